"""The model method building a serializer field per row (load/drf_builder), helpdesk's
CustomField.build_api_field shape: fast tables on the reading (the whole method read by the slow loader run of
tests/test_drf_scoped.py over drf_scoped's Queue.build_api_field)."""

from __future__ import annotations

import ast
from types import SimpleNamespace

import pytest

from test_drf_rowfields import read_or_refused

FN = SimpleNamespace(__qualname__="F.build")
KINDS = ("varchar", "text", "decimal", "list")


def _stmt(src: str) -> ast.stmt:
    return ast.parse(src).body[0]


@pytest.mark.parametrize("src, want", [
    ("self.data_type == 'text'", ("text",)),
    ("self.data_type in ('varchar', 'text')", ("varchar", "text")),
    ("self.data_type in ['varchar']", None),  # a list literal: not read (only tuples)
    ("self.other == 'text'", None),
    ("self.data_type != 'text'", None),
    ("self.data_type == x", None),
    ("self.data_type == 1", None),
    ("'a' < self.data_type < 'z'", None),
])
def test_chosen(src, want):
    from migrator.load.drf_builder import _chosen

    node = ast.parse(src, mode="eval").body
    read_or_refused(_chosen, want, node, "data_type", FN)


def test_branch_narrows_per_value():
    """helpdesk's chain: nested ifs narrow, elif takes the rest; each keyword with the values it applies to."""
    from migrator.load.drf_builder import _branch

    src = ("if self.data_type in ('varchar', 'text'):\n    a['max_length'] = self.max_length\n"
           "    if self.data_type == 'text':\n        a['style'] = {'t': 1}\n"
           "elif self.data_type == 'decimal':\n    a['decimal_places'] = self.decimal_places\n"
           "elif self.data_type == 'list':\n    a['choices'] = self.get_choices()\n")
    assert _branch(_stmt(src), "data_type", "a", KINDS, FN) == [
        (("varchar", "text"), "max_length", "self.max_length"), (("text",), "style", "{'t': 1}"),
        (("decimal",), "decimal_places", "self.decimal_places"), (("list",), "choices", "self.get_choices()")]
    assert _branch(_stmt("if self.data_type == 'x':\n    a['k'] = 1\nelse:\n    a['k'] = 2"), "data_type", "a",
                   ("x", "y"), FN) == [(("x",), "k", "1"), (("y",), "k", "2")]


@pytest.mark.parametrize("src", [
    "if self.data_type == 'text':\n    b['k'] = 1",  # another dict
    "if self.data_type == 'text':\n    a[k] = 1",  # a key that is not a constant
    "if self.data_type == 'text':\n    print(1)",
    "for x in y:\n    a['k'] = 1",
])
def test_branch_refused(src):
    from migrator.load.drf_builder import _branch
    from migrator.load.drf_queryset import Unread

    with pytest.raises(Unread):
        _branch(_stmt(src), "data_type", "a", KINDS, FN)


@pytest.mark.parametrize("src, want", [
    ("try:\n    return t[self.data_type](**a)\nexcept KeyError:\n    raise NameError('x')", "data_type"),
    ("return t[self.data_type](**a)", "data_type"),
    ("try:\n    return t[self.data_type](**a)\nexcept KeyError:\n    return None", None),  # answers, not raises
    ("try:\n    return t[self.data_type](**a)\nexcept Exception:\n    raise NameError('x')", None),
    ("return t[self.data_type](required=True, **a)", None),
    ("return t[self.data_type](**b)", None),
    ("return u[self.data_type](**a)", None),
    ("return t[other.data_type](**a)", None),
    ("return t.get(self.data_type)(**a)", None),
])
def test_call(src, want):
    from migrator.load.drf_builder import _call

    read_or_refused(lambda *a: _call(*a)[0], want, _stmt(src), "t", "a", FN)


@pytest.mark.parametrize("src, want", [
    ("a = {'label': self.label, 'required': self.required}",
     ("a", [(("*",), "label", "self.label"), (("*",), "required", "self.required")])),
    ("a = {k: self.label}", None), ("a = dict(label=1)", None), ("a.b = {'label': 1}", None),
])
def test_always(src, want):
    from migrator.load.drf_builder import _always

    read_or_refused(_always, want, _stmt(src), FN)
