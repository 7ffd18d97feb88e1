"""A QuerySet variable refined by optional filters, read in a migrated view (part of ViewReader).

```python
qs = product.reviews.all().select_related("user")      # no site here: nothing runs yet
if min_rating is not None:
    qs = qs.filter(rating__gte=min_rating)             # an optional filter of the site below
return [... for r in qs.order_by("-created_at", "id")]  # the site: one query, `(narg IS NULL OR ...)`
```

The scanner proved each refinement exact as an optional filter (``load/branches.optional_problem``: the test
is exactly the presence of the filter's values) and compiled the evaluation into one query whose parameters
are ``sqlc.narg``. The reader binds the variable to Refining (no Go), skips each ``if test: qs =
qs.filter(...)`` after checking the site evaluating ``qs`` holds that filter under that test, and gives each
optional parameter its value when the test holds, else nil (SQL NULL: the filter is off); an optional ``__in``
list is a slice, nil when its test fails.
"""

from __future__ import annotations

import ast as _ast

from . import path_queries
from .handlers_values import Const, GoValue, NotRecognised, path_value


class Refining:
    """A QuerySet held in a name, built at ``node`` and refined under the tests ``conditions``."""

    def __init__(self, node, conditions: tuple = (), steps: tuple = (), off: tuple = ()):
        self.node, self.conditions = node, conditions
        self.steps = steps  # the lines of ``qs = qs.order_by(...)`` outside an `if`: calls of the site's chain
        self.off = off  # the tests known false on this path (a route's constant default): those filters stay off


def bind(reader, st, env, fn) -> bool:
    """``qs = <chain>`` at a line without a QuerySet site (the site is where ``qs`` is evaluated)."""
    if not (isinstance(st, _ast.Assign) and len(st.targets) == 1 and isinstance(st.targets[0], _ast.Name)
            and isinstance(st.value, _ast.Call) and reader._is_chain(st.value, env, fn)):
        return False
    root = reader._root(st.value)
    line = fn["line"] + st.lineno - 1
    if isinstance(root, _ast.Name) and isinstance(env.get(root.id), Refining):
        if root.id != st.targets[0].id or reader.sites.get((fn["file"], line)):
            return False  # a site here: the QuerySet is evaluated from here
        held = env[root.id]  # qs = qs.order_by(...) outside an `if`: one more call of the site's chain (check)
        env[root.id] = Refining(held.node, held.conditions, held.steps + (line,), held.off)
        return True
    if reader.sites.get((fn["file"], line)) or path_queries.binding(reader, st, env, fn):
        return False  # a site here, or one query per if/elif path (path_queries)
    env[st.targets[0].id] = Refining(st.value)
    return True


def refinement(reader, st, env, fn) -> bool:
    """``if test: qs = qs.filter(...)`` of a Refining ``qs``: recorded, nothing in Go."""
    if not (isinstance(st, _ast.If) and not st.orelse and len(st.body) == 1 and isinstance(st.body[0], _ast.Assign)):
        return False
    assign = st.body[0]
    target = assign.targets[0] if len(assign.targets) == 1 else None
    if not (isinstance(target, _ast.Name) and isinstance(env.get(target.id), Refining)):
        return False
    value = assign.value
    if not (isinstance(value, _ast.Call) and isinstance(value.func, _ast.Attribute) and value.func.attr == "filter"
            and isinstance(value.func.value, _ast.Name) and value.func.value.id == target.id):
        raise NotRecognised(f"a refinement of {target.id} under `if` other than {target.id}.filter(...)")
    test = reader.cond(st.test, env, fn)
    held = env[target.id]
    if isinstance(test, Const) and not test.value:  # never refined on this path: its filter's parameter is nil
        env[target.id] = Refining(held.node, held.conditions, held.steps, held.off + (_ast.unparse(st.test),))
        return True
    env[target.id] = Refining(held.node, held.conditions + (_ast.unparse(st.test),), held.steps, held.off)
    return True


def check(site, held: Refining, query=None) -> None:
    """The site evaluating ``held`` holds each of its refinements as an optional filter under its test. A filter
    Django refused when compiling (``query.raised``: FieldError) is not in the query: a path refining with it
    raises in Python, so it is not read; a path where its test is false is the query's."""
    raised = tuple(getattr(query, "raised", ()))
    refused = [t for t in held.conditions if t in raised]
    if refused:
        raise NotRecognised(f"the filter under `if {refused[0]}` raises in Django (FieldError when compiled): "
                            f"the site {site.file}:{site.line} has no query for a path where the test holds")
    tested = [c.condition for c in site.chain if c.condition and c.condition not in raised]
    missing = [t for t in held.conditions if t not in tested]
    if missing:
        raise NotRecognised(f"the filter under `if {missing[0]}` is not an optional filter of the site "
                            f"{site.file}:{site.line}")
    steps = {c.line for c in site.chain if not c.condition} if held.steps else set()
    if any(line not in steps for line in held.steps):
        raise NotRecognised(f"the refinement at line {held.steps[0]} is not a call of the site {site.file}:{site.line}")
    unread = [t for t in tested if t not in held.conditions and t not in held.off]
    if unread:  # the query would apply a filter this path of the view never refined the QuerySet with
        raise NotRecognised(f"the site {site.file}:{site.line} filters under `if {unread[0]}`, which the view "
                            "did not read on this path")


def value(reader, site, p, env, fn) -> GoValue:
    """Go for the optional parameter ``p``: its value when its filter's test holds, else nil (a pointer)."""
    same = _same_source(p.source)  # the site's text as written, the parameter's as ast.unparse writes it
    call = next((c for c in site.chain if c.condition and any(same(a.source) for a in c.args)), None)
    if call is None:
        raise NotRecognised(f"the optional parameter {p.name} of {site.file}:{site.line} has no test")
    test_node, source = _ast.parse(call.condition, mode="eval").body, _ast.parse(p.source, mode="eval").body
    if p.is_list:
        return _list(reader, p, test_node, source, env, fn)
    if isinstance(source, _ast.Name):
        test, v = reader.cond(test_node, env, fn), reader.expr(source, env, fn)
        if isinstance(v, GoValue) and v.type.startswith("*") and (
                not isinstance(test, Const) and test.code == f"{v.code} != nil" or isinstance(test, Const) and test.value):
            return v  # `if x is not None`: x itself, nil for None
        if isinstance(test_node, _ast.Name) and test_node.id == source.id and isinstance(v, GoValue) and path_value(
                reader.path, v.code).get("digits"):
            return v  # `if x:` of a re_path group of digits: never empty, so always true
        if isinstance(test, Const) and test.value and isinstance(v, Const) and isinstance(v.value, bool):
            return v  # `if is_viewed is not None` of a constant default: the constant (bound as the parameter's type)
    # the value when the test holds, computed only then: Python's `source if test else None`
    v = reader.ifexp(_ast.IfExp(test=test_node, body=source, orelse=_ast.Constant(None)), env, fn)
    if isinstance(v, Const) and v.value is None:
        return GoValue("nil", "nil")
    if not isinstance(v, GoValue):
        raise NotRecognised(f"the optional parameter {p.name} under `if {call.condition}`")
    return v


def _same_source(source: str):
    """A test: is a source text the same Python as ``source`` (`status.split(",")` is `status.split(',')`)?"""
    def same(text: str) -> bool:
        try:
            return text == source or _ast.unparse(_ast.parse(text, mode="eval")) == source
        except SyntaxError:
            return False
    return same


def _list(reader, p, test_node, source, env, fn) -> GoValue:
    """An optional ``__in`` list (``status.split(",")`` under ``if status``): the slice when the test holds, else
    nil (PostgreSQL's NULL array, the SQLite and MySQL adapters' false presence flag: the filter is off)."""
    test = reader.cond(test_node, env, fn)
    if isinstance(test, Const):
        v = reader.expr(source, env, fn) if test.value else GoValue("nil", "nil")
        if v.code == "nil" or isinstance(v, GoValue) and v.type.startswith("[]"):
            return v
        raise NotRecognised(f"the optional list {p.name} is not a list")
    key = ("optional list", test.code, _ast.unparse(source))
    held = reader.computed(key)  # the same list for the count and the page (a second query of the QuerySet)
    if held is not None:
        return held
    at = len(reader.stmts)
    v = reader.open_if(test, source, env, fn)
    if not (isinstance(v, GoValue) and v.type.startswith("[]")):
        raise NotRecognised(f"the optional list {p.name} is not a list")
    var = reader.var(p.name)
    reader.stmts += [f"{var} = {v.code}", "}"]
    reader.stmts.insert(at, f"var {var} {v.type}")
    reader.remember(key, GoValue(var, v.type))
    return GoValue(var, v.type)
