"""Recall of the scanner on models reached indirectly (issue 12): the app registry and its project
wrappers, class-based views, ``self`` in abstract models. Each row names a ``# site: <tag>`` comment of
tests/projects/recall and the site the scanner must report there, with its honest kind."""

from __future__ import annotations

from pathlib import Path

import libcst as cst
import pytest

from migrator.ir import Model
from migrator.load import model_refs
from migrator.load.scanner import Index

PROJECT = Path(__file__).parent / "projects" / "recall"

# tag: (model, chain, kind, reason)
SITES = {
    # 1. the app registry with literal arguments, and project wrappers of it
    "module-get-model": ("shop.Account", "filter", "static", ""),
    "wrapper": ("shop.Order", "count", "static", ""),
    "get-classes": ("shop.Tag", "values_list", "static", ""),
    "local-dotted": ("shop.Invoice", "get", "static", ""),
    "inline-lowercase": ("shop.Tag", "count", "static", ""),
    "imported-binding": ("shop.Order", "filter", "static", ""),
    "runtime-label": ("", "count", "dynamic", "MODEL_FROM_VARIABLE"),
    "two-models": ("", "count", "dynamic", "MODEL_FROM_VARIABLE"),
    # 2. class-based views
    "view-model-default": ("shop.Account", "all.count", "static", ""),
    "self-model": ("shop.Account", "filter.count", "static", ""),
    "class-queryset": ("shop.Account", "filter", "static", ""),
    "view-queryset-attr": ("shop.Account", "filter.first", "static", ""),
    "own-get-queryset": ("shop.Account", "filter", "static", ""),
    "inlined-get-queryset": ("shop.Account", "filter.count", "static", ""),
    "super-get-queryset": ("shop.Account", "all.filter", "static", ""),
    "ordered-view": ("shop.Account", "all.count", "dynamic", "VIEW_QUERYSET"),
    "self-object": ("shop.Tag", "all", "static", ""),
    "request-user": ("shop.Account", "count", "static", ""),
    "viewset-queryset": ("shop.Account", "all", "static", ""),
    "viewset-super": ("shop.Account", "all.filter", "static", ""),
    # 3. related managers on self in abstract models
    "abstract-single": ("shop.Tag", "count", "static", ""),
    "abstract-forward": ("shop.Account", "count", "static", ""),
    "abstract-several": ("", "count", "dynamic", "ABSTRACT_MODEL"),
    "unique-set-accessor": ("shop.Invoice", "count", "static", ""),
    "named-after-model": ("shop.Order", "count", "static", ""),
    "abbreviated-receiver": ("shop.Order", "count", "static", ""),  # organizations' org_tags: org.organization_users
    "formset-factory-model": ("shop.Order", "count", "static", ""),  # wiki's SettingsModelForm.save()
    # 4. custom manager / QuerySet methods defined in the project
    "custom-chain": ("shop.Account", "active.count", "static", ""),
    "custom-chain-on-custom": ("shop.Account", "filter.mine", "static", ""),
    "custom-branches": ("shop.Account", "visible.count", "dynamic", "CUSTOM_METHOD"),
    # its body followed with the site's arguments (load.inline_method): owned() -> _folder() -> count()
    "custom-followed": ("shop.Account", "all.filter.count", "static", ""),
    "custom-followed-terminal": ("shop.Account", "owned_active_count.filter", "dynamic", "CUSTOM_METHOD"),
}


def tagged_lines(project: Path = PROJECT, app: str = "shop") -> dict[str, tuple[str, int]]:
    """tag -> (file, line) of every ``# site: <tag>`` comment in the app's modules."""
    out = {}
    for path in sorted((project / app).glob("*.py")):
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if "# site: " in line:
                out[line.split("# site: ")[1].strip()] = (f"{app}/{path.name}", n)
    return out


@pytest.fixture(scope="module")
def recall_project():
    from migrator.analyze import analyze

    return analyze(PROJECT).project


def test_every_tag_has_a_row():
    assert set(tagged_lines()) == set(SITES)


@pytest.mark.slow
@pytest.mark.parametrize("tag", sorted(SITES))
def test_site(recall_project, tag):
    file, line = tagged_lines()[tag]
    found = [s for s in recall_project.querysets if s.file == file and s.line == line]
    assert len(found) == 1, (tag, [s.id for s in recall_project.querysets if s.file == file])
    s = found[0]
    assert (s.model, ".".join(c.method for c in s.chain), s.kind, s.reason) == SITES[tag]


@pytest.mark.slow
def test_no_site_without_a_tag(recall_project):
    """Nothing else is reported: a registry lookup of something that is not a model stays unknown."""
    tagged = set(tagged_lines().values())
    assert {(s.file, s.line) for s in recall_project.querysets} == tagged


# ----------------------------------------------------------------------------- loaders, in memory


def _index() -> Index:
    models = [Model(app_label="forum", name="Forum", db_table="f", kind="concrete", module="core.db.models", file="", line=1),
              Model(app_label="forum_polls", name="TopicPoll", db_table="p", kind="concrete",
                    module="apps.forum_conversation.forum_polls.models", file="", line=1)]
    return Index.build([], models)


@pytest.mark.parametrize("source,expected", [
    ("apps.get_model('forum', 'Forum')", ["forum.Forum"]),
    ("apps.get_model('forum.Forum')", ["forum.Forum"]),
    ("apps.get_model('forum', 'forum')", ["forum.Forum"]),  # Django: model names are case-insensitive
    ("apps.get_model(app_label='forum', model_name='Forum')", ["forum.Forum"]),
    ("get_model('forum', 'Forum')", ["forum.Forum"]),
    ("get_class('forum_conversation.forum_polls.models', 'TopicPoll')", ["forum_polls.TopicPoll"]),
    ("get_classes('forum.models', ['Forum'])", None),  # no model of that name in a forum.models module
    ("get_classes('db.models', ['Forum'])", ["forum.Forum"]),
    ("get_class('forum.handler', 'PermissionHandler')", None),  # not a model
    ("apps.get_model('forum', name)", None),  # runtime argument
    ("apps.get_model(*label)", None),
    ("apps.get_model('blog', 'Forum')", None),  # wrong app label
    ("load('forum', 'Forum')", None),  # not a loader
])
def test_loaded_models(source, expected):
    got = model_refs.loaded_models(cst.parse_expression(source), _index())
    assert (None if got is None else [m.label for m in got]) == expected


@pytest.mark.parametrize("source,expected", [
    ("Forum = get_model('forum', 'Forum')", {"Forum": "forum.Forum"}),
    ("A, B = get_classes('db.models', ['Forum', 'Forum'])", {"A": "forum.Forum", "B": "forum.Forum"}),
    ("M = get_model('forum', 'Forum')\nM = get_model('forum_polls', 'TopicPoll')", {}),  # two models: a variable
    ("M = get_model('forum', 'Forum')\nM = other()", {}),
    ("M = get_model('forum', 'Forum')\nfor M in x: pass", {}),
    ("M = get_model('forum', 'Forum')\ndef f():\n    M = 1", {"M": "forum.Forum"}),  # another scope
])
def test_bindings(source, expected):
    got = model_refs.bindings(cst.parse_module(source).body, _index())
    assert {n: m.label for n, m in got.items()} == expected
