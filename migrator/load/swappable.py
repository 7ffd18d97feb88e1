"""Model getters of the project, resolved statically: ``get_application_model()``, ``get_logentry_model()``.

Reusable apps make their models swappable (``class Meta: swappable = "OAUTH2_PROVIDER_APPLICATION_MODEL"``)
and reach them through a getter of their own, ``return apps.get_model(oauth2_settings.APPLICATION_MODEL)``
or ``return apps.get_model(getattr(settings, "AUDITLOG_LOGENTRY_MODEL", "auditlog.LogEntry"))``. Nothing is
called to resolve one: the getter's body names a setting, the setting is the ``swappable`` of a model
class in the scanned sources, and that model is the active one exactly when Django's registry holds it
(``apps.get_models()`` leaves swapped-out models out). A getter wrapping a literal lookup
(``return apps.get_model("shop", "Order")``) resolves like the lookup itself.

The setting a getter reads is matched to a ``swappable`` name exactly (``AUDITLOG_LOGENTRY_MODEL``) or, for
an app-settings object (``oauth2_settings.GRANT_MODEL``), as the suffix of the swappable names of models
of the getter's own package; when several match (``..._GRANT_MODEL`` and ``..._DEVICE_GRANT_MODEL``) the
one with the shortest prefix is the app's namespace plus the key, and a tie leaves the getter unresolved.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterable, Optional

import libcst as cst

from ..ir import Model
from .cst_tools import walk

if TYPE_CHECKING:
    from .scan_files import Parsed
    from .scan_index import Index

LOOKUPS = {"get_model"}  # apps.get_model / django_apps.get_model


def _string(node: cst.BaseExpression) -> Optional[str]:
    if type(node) is cst.SimpleString and isinstance(node.evaluated_value, str):
        return node.evaluated_value
    return None


def swappable_models(parsed: Iterable["Parsed"], index: "Index") -> dict[str, Model]:
    """Setting name -> the registry's model whose class declares ``Meta.swappable = "<name>"``."""
    out: dict[str, Model] = {}
    if index.user_model is not None:
        out["AUTH_USER_MODEL"] = index.user_model
    for p in parsed:
        for node in p.positions.module.body:
            if type(node) is not cst.ClassDef:
                continue
            model = index.by_qualname.get(f"{p.module}.{node.name.value}")
            if model is None:
                continue
            for meta in node.body.body if type(node.body) is cst.IndentedBlock else ():
                if type(meta) is cst.ClassDef and meta.name.value == "Meta":
                    for n in walk(meta):
                        if type(n) is cst.Assign and len(n.targets) == 1 and type(n.targets[0].target) is cst.Name \
                                and n.targets[0].target.value == "swappable" and _string(n.value):
                            out[_string(n.value)] = model  # type: ignore[index]
    return out


def _statements(fn: cst.FunctionDef) -> list[cst.CSTNode]:
    return list(fn.body.body) if type(fn.body) is cst.IndentedBlock else [fn.body]


def _lookup(fn: cst.FunctionDef) -> Optional[cst.Call]:
    """The ``<x>.get_model(...)`` call every ``return`` of ``fn`` returns (a try/except that only re-raises
    around it allowed), or None."""
    returns = [n for n in walk(fn.body) if type(n) is cst.Return]
    if len(returns) != 1 or returns[0].value is None:
        return None
    value = returns[0].value
    if type(value) is cst.Call and type(value.func) in (cst.Attribute, cst.Name):
        name = value.func.attr.value if type(value.func) is cst.Attribute else value.func.value
        if name in LOOKUPS:
            return value
    return None


def _user_model_call(fn: cst.FunctionDef) -> Optional[cst.Call]:
    """``return get_user_model()`` (under any name it is imported as), the one return of ``fn``: a project's own
    getter of the user model, as ``get_user_model`` (model_refs.loaded_models reads it)."""
    returns = [n for n in walk(fn.body) if type(n) is cst.Return]
    value = returns[0].value if len(returns) == 1 else None
    if type(value) is not cst.Call or value.args or type(value.func) is not cst.Name:
        return None
    names = {(a.asname.name.value if a.asname else a.name.value) for n in walk(fn.body) if type(n) is cst.ImportFrom
             and not isinstance(n.names, cst.ImportStar) for a in n.names if a.name.value == "get_user_model"}
    if value.func.value == "get_user_model" or value.func.value in names:
        return value.with_changes(func=cst.Name("get_user_model"))
    return None


def _setting_key(arg: cst.BaseExpression, fn: cst.FunctionDef) -> Optional[str]:
    """The setting name a lookup argument reads: ``x.KEY``, ``getattr(x, "KEY", default)``, or a local name
    assigned once from one of these."""
    if type(arg) is cst.Name:
        values = [n.value for n in walk(fn.body) if type(n) is cst.Assign
                  for t in n.targets if type(t.target) is cst.Name and t.target.value == arg.value]
        if len(values) != 1:
            return None
        arg = values[0]
    if type(arg) is cst.Attribute and arg.attr.value.isupper():
        return arg.attr.value
    if type(arg) is cst.Call and type(arg.func) is cst.Name and arg.func.value == "getattr" and len(arg.args) >= 2:
        key = _string(arg.args[1].value)
        return key if key and key.isupper() else None
    return None


def _by_key(key: str, package: str, swappable: dict[str, Model]) -> Optional[Model]:
    if key in swappable:
        return swappable[key]
    found = sorted((len(name), name) for name, mo in swappable.items()
                   if name.endswith("_" + key) and mo.module.split(".")[0] == package)
    if not found or (len(found) > 1 and found[0][0] == found[1][0]):
        return None
    return swappable[found[0][1]]


def getters(parsed: Iterable["Parsed"], index: "Index") -> dict[str, Model]:
    """Name of each module-level getter function of the scanned sources -> the model it returns. A name
    defined by several modules with different answers is left out (the call names it bare)."""
    from .model_refs import loaded_models

    parsed = list(parsed)
    swappable = swappable_models(parsed, index)
    seen: dict[str, Optional[Model]] = {}
    for p in parsed:
        for fn in p.positions.module.body:
            if type(fn) is not cst.FunctionDef or fn.params.params or fn.params.posonly_params:
                continue
            call = _lookup(fn) or _user_model_call(fn)
            if call is None:
                continue
            loaded = loaded_models(call, index)
            if loaded is not None:
                model: Optional[Model] = loaded[0] if len(loaded) == 1 else None
            elif call.args and call.args[0].keyword is None:
                key = _setting_key(call.args[0].value, fn)
                model = _by_key(key, p.module.split(".")[0], swappable) if key else None
            else:
                model = None
            name = fn.name.value
            if model is None or (name in seen and seen[name] is not model):
                seen[name] = None
            else:
                seen[name] = model
    return {n: m for n, m in seen.items() if m is not None}
