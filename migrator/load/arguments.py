"""What an argument of a site is, before the interpreter (load.interpret) runs it: the Django expression classes
it may build, constants written with value constructors, the field and lookup a keyword names, the parameter
name a runtime value gets, and a Q parameter of a project method handed a runtime value."""

from __future__ import annotations

import ast
import datetime
import decimal
import re
from typing import Any, Optional

from django.apps import apps
from django.db import models
from django.db.models.expressions import BaseExpression

from .sentinels import NotTranslated


def _expression_classes() -> dict[str, Any]:
    from django.db.models import functions

    out = {n: getattr(functions, n) for n in dir(functions) if n[:1].isupper()}
    out.update({n: getattr(models, n) for n in (
        "Q", "F", "Value", "Count", "Sum", "Avg", "Min", "Max", "StdDev", "Variance", "Exists", "OuterRef",
        "Subquery", "Case", "When", "ExpressionWrapper", "Prefetch", "Window", "WindowFrame", "RowRange",
        "ValueRange", "OrderBy", "Func") if hasattr(models, n)})
    # output_field=DecimalField(max_digits=12, decimal_places=2) and friends
    out.update({n: getattr(models, n) for n in dir(models) if n.endswith("Field") and n[:1].isupper()})
    return out


_EXPRESSIONS = _expression_classes()
# Constructors of plain values: with literal arguments they are constants, not runtime values.
_VALUES = {"Decimal": decimal.Decimal, "timedelta": datetime.timedelta, "date": datetime.date}
_VALUE_MODULES = ("datetime", "decimal", "dt")


def _value_constructor(node: ast.Call) -> Optional[Any]:
    """``date(2024, 1, 1)``, ``datetime.timedelta(days=1)``: a constant. Not a method that happens to share the
    name (``obj.start.date()`` is a runtime value), nor a call with a runtime argument."""
    func = node.func
    if isinstance(func, ast.Name):
        name = func.id
    elif isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.value.id in _VALUE_MODULES:
        name = func.attr
    else:
        return None
    if name not in _VALUES or not (node.args or node.keywords):
        return None
    if not all(isinstance(a, ast.Constant) for a in node.args) or not all(
            k.arg and isinstance(k.value, ast.Constant) for k in node.keywords):
        return None
    return _VALUES[name]


def parse_source(source: str) -> ast.AST:
    """An argument's source as an expression; one written over several lines parses inside parentheses."""
    return ast.parse(f"(\n{source}\n)", mode="eval").body


def _resolve_field(model: type, path: str) -> tuple[Optional[models.Field], str]:
    """``category__slug__iexact`` -> (Category.slug, "iexact")."""
    parts = path.split("__")
    fld, cur, lookup = None, model, "exact"
    for i, part in enumerate(parts):
        if part == "pk" and cur is not None:
            fld = cur._meta.pk
        else:
            try:
                fld = cur._meta.get_field(part)
            except Exception:  # noqa: BLE001 - not a field: a lookup or transform
                lookup = "__".join(parts[i:])
                break
        if i == len(parts) - 1:
            break
        if not fld.is_relation or fld.related_model is None:
            # start__day: `day` is a transform of `start`, even when the model has a field named `day`
            lookup = "__".join(parts[i + 1:])
            break
        cur = fld.related_model
    return fld, lookup


# methods whose positional arguments are conditions (Q objects or boolean expressions)
Q_ARGUMENTS = ("filter", "exclude", "get", "get_or_create", "update_or_create", "first", "complex_filter")


def _runtime_q(fn, method: str, call: dict, args: list, kwargs: dict) -> None:
    """A project's manager method whose parameter is annotated ``Q`` (``thread(user, filter: Q)``) handed a
    runtime value (``self.filter``, set by each subclass): its conditions are decided at run time (DYNAMIC_Q),
    not a parameter, and not the TypeError Django raises on it."""
    import inspect

    if method in Q_ARGUMENTS or getattr(fn, "__module__", "").startswith("django."):
        return
    try:
        bound = inspect.signature(fn).bind(*args, **kwargs)
    except (TypeError, ValueError):
        return
    params = inspect.signature(fn).parameters
    for name, value in bound.arguments.items():
        note = params[name].annotation
        text = note if isinstance(note, str) else getattr(note, "__name__", "")
        if text.rsplit(".", 1)[-1] == "Q" and not isinstance(value, (models.Q, BaseExpression)):
            given = [a["source"].strip() for a in call["args"] if not a["keyword"]]
            at = list(params).index(name)
            source = given[at] if at < len(given) else next(
                (a["source"].strip() for a in call["args"] if a["keyword"] == name), name)
            raise NotTranslated("DYNAMIC_Q", f"`{source}` is given to {method}()'s `{name}: Q` and is not a Q object "
                                "the tool can follow: its conditions are decided at run time")


def _builds_expression(node: ast.AST) -> bool:
    """Whether an expression combines Django expressions (F("stock") + qty, Q() | Q()) or holds a QuerySet written
    in place (``M.objects.filter(...)``)."""
    for n in ast.walk(node):
        if isinstance(n, ast.Call):
            fname = n.func.attr if isinstance(n.func, ast.Attribute) else getattr(n.func, "id", "")
            if fname in _EXPRESSIONS:
                return True
        if isinstance(n, ast.Attribute) and n.attr in ("objects", "_default_manager"):
            if isinstance(n.value, (ast.Name, ast.Attribute)) and any(
                    m.__name__ == (n.value.attr if isinstance(n.value, ast.Attribute) else n.value.id)
                    for m in apps.get_models()):
                return True
    return False


def _param_name(source: str, keyword: str) -> str:
    """A parameter name from the source argument: ``request.GET.get("q")`` -> ``q``, ``min_price`` -> ``min_price``."""
    m = re.search(r"""\.get\(\s*['"](\w+)['"]""", source) or re.search(r"""\[\s*['"](\w+)['"]\s*\]""", source)
    if m:
        return m.group(1)
    names = re.findall(r"[A-Za-z_]\w*", source)
    if len(names) == 1 or (names and "." not in source and "(" not in source):
        return names[-1] if len(names) == 1 else "_".join(names[:2])
    if names:
        last = [n for n in names if n not in ("self", "request", "data", "get", "int", "str", "len", "Decimal")]
        if last:
            return last[-1] if not keyword else keyword.split("__")[0]
    return keyword.replace("__", "_") or "arg"


