"""The statements of a project decorator's body (load.decorators_eval reads its expressions): assignments,
``if`` (decided at import, or kept as a test of the request), ``return`` and ``raise``, into the decision tree
translate.guards renders; and the two ways a function is read: a wrapper of the view (``wrapper_steps``) or a
function giving a value (``evaluate_value``: a test function, a helper the wrapper calls)."""

from __future__ import annotations

import ast

from .decorators_eval import ARGS, KWARGS, REQUEST, RESULT, Obj, Reader, Steps, Sym, Unread, _const, _name, \
    answer_of, function_node, sym_text, truth
from .decorators_calls import write_statement


def block(reader, body: list) -> tuple[list, bool]:
    """The steps of a block, and whether every path through it ends (returns or raises)."""
    steps: list = []
    for st in body:
        if isinstance(st, ast.Expr) and isinstance(st.value, ast.Constant):
            continue  # a docstring
        if isinstance(st, ast.Pass) or write_statement(reader, st):
            continue
        if isinstance(st, ast.Assign) and len(st.targets) == 1 and isinstance(st.targets[0], ast.Name):
            value = reader.expr(st.value)
            if isinstance(value, Steps) and list(value.steps) == [{"view": True}] and reader.result_kept is None:
                value = reader.result_kept = RESULT  # data = view(request, ...): what it does with it is read next
            if isinstance(value, Steps) and any("view" in s for s in _leaves(flatten(list(value.steps)))):
                raise Unread("DECORATOR_RESULT", "the view's result is kept and changed (the decorator wraps "
                             "what the view returns)")
            reader.locals[st.targets[0].id] = value
            continue
        if isinstance(st, ast.If):
            done = branch(reader, st, steps)
        elif isinstance(st, ast.Return):
            steps.append(returned(reader.expr(st.value) if st.value is not None else None))
            done = True
        elif isinstance(st, ast.Raise) and st.exc is not None:
            steps.append(raised(reader.expr(st.exc)))
            done = True
        else:
            raise Unread("DECORATOR_STATEMENT", f"`{ast.unparse(st).splitlines()[0]}` is not read")
        if done:
            return steps, True
    return steps, False


def branch(reader, st: ast.If, steps: list) -> bool:
    """An ``if``: the arm its test picks when known at import, else both arms under the test."""
    test = truth(reader.expr(st.test))
    if not isinstance(test, Sym):  # known at import: only that arm runs
        inner, done = block(reader, st.body if test else st.orelse)
        steps.extend(inner)
        return done
    before = dict(reader.locals)
    arms = []
    for body in (st.body, st.orelse):
        reader.locals = dict(before)
        inner, done = block(reader, body)
        if not done and reader.locals != before:
            raise Unread("DECORATOR_STATEMENT", "a name bound in an `if` arm that goes on")
        arms.append((inner, done))
    reader.locals = before
    steps.append({"if": test.text, "then": arms[0][0], "else": arms[1][0]})
    return arms[0][1] and arms[1][1]


def returned(value) -> dict:
    """``return value``: what a call answered (spliced in by flatten), or a test's value."""
    if isinstance(value, Steps):
        return {"steps": list(value.steps)}
    if isinstance(value, Sym) or _const(value):
        return {"return": sym_text(value)}
    raise Unread("DECORATOR_RETURN", f"returns {getattr(value, 'name', type(value).__name__)}")


def raised(exc) -> dict:
    """``raise``: PermissionDenied (Django's 403 page), Http404 (its 404 page); anything else is not read."""
    from django.core.exceptions import PermissionDenied
    from django.http import Http404

    cls = exc.value if isinstance(exc, Obj) else None
    if cls is PermissionDenied:
        return {"forbidden": True}
    if cls is Http404:
        return not_found()
    raise Unread("DECORATOR_RAISE", f"raises {_name(cls) if cls is not None else exc!r}")


def not_found() -> dict:
    """Http404 raised before the view: Django's default 404 page (no project 404.html, no handler404)."""
    from django.http import Http404
    from django.template import TemplateDoesNotExist, loader
    from django.test import RequestFactory
    from django.urls import get_resolver
    from django.views.defaults import page_not_found

    if getattr(get_resolver().urlconf_module, "handler404", None) is not None:
        raise Unread("DECORATOR_ERROR_PAGE", "Http404: the URLconf has a handler404 of its own")
    try:
        loader.get_template("404.html")
        raise Unread("DECORATOR_ERROR_PAGE", "Http404: the project has a 404.html template")
    except TemplateDoesNotExist:
        pass
    return answer_of(page_not_found(RequestFactory().get("/"), Http404()))


def flatten(steps: list) -> list:
    """Steps with a returned call (``{"steps": [...]}``) spliced in."""
    out = []
    for s in steps:
        if "steps" in s:
            out.extend(flatten(s["steps"]))
        elif "if" in s:
            out.append(dict(s, then=flatten(s["then"]), **{"else": flatten(s["else"])}))
        else:
            out.append(s)
    return out


def as_test(steps: list) -> str:
    """The steps of a function returning tests, as one test: ``if c: A`` then the rest R is ``(c and A) or
    (not c and R)``; falling off the end returns None (false)."""
    if not steps:
        return "False"
    head, rest = steps[0], steps[1:]
    if "return" in head:
        return head["return"]
    if "if" in head:
        then, other = as_test(head["then"] + rest), as_test(head["else"] + rest)
        return f"(({head['if']}) and ({then})) or (not ({head['if']}) and ({other}))"
    raise Unread("DECORATOR_RETURN", "a test function that answers instead of returning a value")


def evaluate_value(fn, view, bound: dict, depth: int = 0):
    """What calling ``fn`` gives: a test (Sym), a constant, or Steps when it answers."""
    node = function_node(fn)
    reader = Reader(fn, view, bound, depth)
    if isinstance(node, ast.Lambda):
        return reader.expr(node.body)
    steps, _ = block(reader, node.body)
    steps = flatten(steps)
    if any(k in s for s in _leaves(steps) for k in ("answer", "login", "forbidden", "view", "result")):
        if not all("return" not in s for s in _leaves(steps)):
            raise Unread("DECORATOR_RETURN", f"{_name(fn)} returns a value on one path and answers on another")
        return Steps(tuple(steps))
    if len(steps) == 1 and "return" in steps[0]:
        text = steps[0]["return"]
        return {"True": True, "False": False, "None": None}.get(text, Sym(text))
    return Sym(as_test(steps))


def _leaves(steps: list):
    for s in steps:
        if "if" in s:
            yield from _leaves(s["then"])
            yield from _leaves(s["else"])
        else:
            yield s


def wrapper_steps(fn, view) -> list:
    """The steps of a decorator's wrapper ``fn(request, *args, **kwargs)`` around ``view``."""
    node = function_node(fn)
    a = node.args
    if isinstance(node, ast.Lambda) or not a.args:
        raise Unread("DECORATOR_SHAPE", f"{_name(fn)} does not take the request first")
    bound = {a.args[0].arg: REQUEST}
    if len(a.args) > 1 or a.kwonlyargs:
        raise Unread("DECORATOR_SHAPE", f"{_name(fn)} takes arguments besides request, *args, **kwargs")
    if a.vararg:
        bound[a.vararg.arg] = ARGS
    if a.kwarg:
        bound[a.kwarg.arg] = KWARGS
    steps, done = block(Reader(fn, view, bound), node.body)
    if not done:
        raise Unread("DECORATOR_RETURN", f"{_name(fn)} can end without answering (None)")
    steps = flatten(steps)
    for leaf in _leaves(steps):
        if "return" in leaf:
            raise Unread("DECORATOR_RETURN", f"{_name(fn)} returns {leaf['return']}, not a response")
    if not any("view" in leaf or "result" in leaf for leaf in _leaves(steps)):
        raise Unread("DECORATOR_RESULT", f"{_name(fn)} never calls the view as it is (it changes its result?)")
    return steps


Reader.evaluate_value = staticmethod(evaluate_value)
