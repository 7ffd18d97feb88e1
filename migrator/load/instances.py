"""Where the scanner learns that a name holds a model instance or a model class it cannot name.

- a signal receiver's sender (``post_save.connect(fn, Order)``, ``@receiver(post_save, sender=Order)``):
  ``instance`` and ``kwargs["instance"]`` in ``fn`` are rows of ``Order``;
- a ModelForm's ``class Meta: model = Order``: ``self.instance`` and ``super().save(commit=False)``;
- a registry lookup on a setting (``Group = apps.get_model(settings.GROUP_MODEL)``): a model class whose
  table only the settings know (its sites are MODEL_FROM_VARIABLE).
Nothing is called: these are read from the source.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Optional, Sequence

import libcst as cst

from ..ir import Model
from .cst_tools import _SCOPES, walk
from .model_source import LABEL_LOADERS, _assignments, class_body, loader_name

if TYPE_CHECKING:
    from .scan_index import Ctx, Scanner


def lookup_variables(statements: Sequence[cst.CSTNode]) -> set[str]:
    """Names a scope binds to a registry lookup whose model is decided at run time
    (``Group = apps.get_model(settings.GROUP_MODEL)``): a model class all the same, its table unknown."""
    out = set()
    for target, value in _assignments(statements):
        if type(target) is cst.Name and type(value) is cst.Call and loader_name(value.func) in LABEL_LOADERS:
            out.add(target.value)
    return out


def receivers(sc: "Scanner", body: Sequence[cst.CSTNode], ctx: "Ctx") -> dict[str, Model]:
    """Module functions connected to a model signal with one sender: ``post_save.connect(fn, Order)``,
    ``connect(fn, sender=Order)``, ``@receiver(post_save, sender=Order)``. In them, ``instance`` (a parameter,
    or ``kwargs["instance"]``) is an instance of the sender. A function connected to several senders is left out."""
    seen: dict[str, Optional[Model]] = {}

    def note(name: str, sender: Optional[cst.BaseExpression]) -> None:
        model = sc.model_ref(sender, ctx) if sender is not None else None
        seen[name] = model if seen.get(name, model) is model else None

    for stmt in body:
        if type(stmt) is cst.FunctionDef:
            for d in stmt.decorators:
                call = d.decorator
                if type(call) is cst.Call and loader_name(call.func) == "receiver":
                    note(stmt.name.value, next((a.value for a in call.args if a.keyword and a.keyword.value == "sender"), None))
            continue
        for node in walk(stmt, _SCOPES):
            if type(node) is cst.Call and type(node.func) is cst.Attribute and node.func.attr.value == "connect" \
                    and node.args and type(node.args[0].value) is cst.Name and node.args[0].keyword is None:
                pos = [a.value for a in node.args if a.keyword is None]
                sender = next((a.value for a in node.args if a.keyword and a.keyword.value == "sender"),
                              pos[1] if len(pos) > 1 else None)
                note(node.args[0].value.value, sender)
    return {n: m for n, m in seen.items() if m is not None}


def meta_model(sc: "Scanner", meta: cst.ClassDef) -> Optional[Model]:
    """``class Meta: model = M`` of a ModelForm."""
    for stmt in class_body(meta):
        for small in stmt.body if type(stmt) is cst.SimpleStatementLine else ():
            if type(small) is cst.Assign and len(small.targets) == 1 and type(small.targets[0].target) is cst.Name \
                    and small.targets[0].target.value == "model":
                return sc.model_ref(small.value, sc.ctx)
    return None


# formset and form factories: (the positional index of the model, its keyword)
FORM_FACTORIES = {"modelformset_factory": 0, "modelform_factory": 0, "inlineformset_factory": 1}


def factory_model(sc: "Scanner", class_name: str) -> Optional[Model]:
    """The model a ModelForm without ``Meta.model`` is given by the module's own factory calls
    (``SettingsFormSet = modelformset_factory(Settings, form=SettingsModelForm)``): one model, or None."""
    found: dict = {}
    for stmt in sc.tree.body:
        for small in stmt.body if type(stmt) is cst.SimpleStatementLine else ():
            call = small.value if type(small) in (cst.Assign, cst.Expr) else None
            if type(call) is not cst.Call:
                continue
            name = (sc.qualified(call.func) or "").rpartition(".")[2]
            form = next((a.value for a in call.args if a.keyword is not None and a.keyword.value == "form"), None)
            if name not in FORM_FACTORIES or type(form) is not cst.Name or form.value != class_name:
                continue
            pos = [a.value for a in call.args if a.keyword is None]
            at = FORM_FACTORIES[name]
            model = next((a.value for a in call.args if a.keyword is not None and a.keyword.value == "model"),
                         pos[at] if len(pos) > at else None)
            mo = sc.model_ref(model, sc.ctx) if model is not None else None
            found[mo.label if mo is not None else ""] = mo
    return next(iter(found.values())) if len(found) == 1 else None


ADMIN_BASES = ("django.contrib.admin.ModelAdmin", "django.contrib.admin.options.ModelAdmin")
_REGISTER = ("django.contrib.admin.register", "django.contrib.admin.decorators.register")


def admin_model(sc: "Scanner", node: cst.ClassDef) -> Optional[Model]:
    """The model a ModelAdmin is registered for: ``@admin.register(M)`` on the class, or the module's own
    ``admin.site.register(M, ThisAdmin)``; one model, or None (several, or none found)."""
    found: dict = {}
    for dec in node.decorators:
        call = dec.decorator
        if type(call) is cst.Call and (sc.qualified(call.func) or "") in _REGISTER:
            for a in call.args:
                if a.keyword is None and a.star == "":
                    mo = sc.model_ref(a.value, sc.ctx)
                    found[mo.label if mo is not None else ""] = mo
    for stmt in sc.tree.body:
        for small in stmt.body if type(stmt) is cst.SimpleStatementLine else ():
            call = small.value if type(small) is cst.Expr else None
            if type(call) is not cst.Call or not (sc.qualified(call.func) or "").endswith("admin.site.register"):
                continue
            pos = [a.value for a in call.args if a.keyword is None]
            if len(pos) == 2 and type(pos[1]) is cst.Name and pos[1].value == node.name.value:
                mo = sc.model_ref(pos[0], sc.ctx)
                found[mo.label if mo is not None else ""] = mo
    return next(iter(found.values())) if len(found) == 1 else None
