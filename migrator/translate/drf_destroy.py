"""DRF's destroy of a model other models point to -> the generated GORM delete helper (``models.Delete<Struct>``).

``perform_destroy`` calls ``instance.delete()``: Django's collector emulates ``on_delete`` in Python (its foreign
keys have no ON DELETE in the schema), in one transaction. The GORM layer already reproduces that collector per
struct (translate/gorm.py ``deletes``, templates/gorm/delete.go.j2: PROTECT checked before anything is deleted,
CASCADE followed recursively, SET_NULL, a literal SET_DEFAULT, many-to-many join rows, a multi-table parent), so
the DRF handler calls it instead of writing a second collector.

It is used only where the helper leaves the database exactly as Django does: every model the delete reaches
(the model, then each CASCADE target, recursively) is checked, and the destroy stays 501 with the reason when one
of them has a ``delete()`` override or a ``pre_delete`` / ``post_delete`` receiver (Django runs them, the helper
does not), a ``GenericRelation`` (Django's collector deletes the generic rows), an incoming foreign key whose
``on_delete`` is RESTRICT (Django lets a restricted row go when the same delete also cascades to it: the helper
refuses it), DO_NOTHING, ``SET(...)``, or a SET_DEFAULT whose default is not an integer literal; or when one of
them is not a concrete managed model (no helper is generated for it). A protected row makes Django raise
``ProtectedError``, which DRF's exception handler does not handle: Django's 500; the helper's
``*models.ProtectedError`` gives the handler core's 500, nothing deleted.
"""

from __future__ import annotations

from ..ir import Model, Project

EXACT = ("CASCADE", "SET_NULL", "PROTECT")  # on_delete values the helper reproduces for any graph


class NotCollected(Exception):
    """Why the destroy stays 501 (the helper would not delete what Django's collector deletes)."""


def _incoming(project: Project, m: Model):
    """(model, field) of each foreign key / one-to-one of a concrete model that points at ``m``."""
    for other in project.models:
        if other.kind not in ("concrete", "unmanaged"):
            continue
        for f in other.fields:
            if f.relation and f.relation.kind != "many_to_many" and f.relation.target == m.label:
                yield other, f


def _check(project: Project, m: Model) -> None:
    hooks = [h for h in m.hooks if h.kind == "delete_override" or h.kind == "signal"
             and h.signal in ("pre_delete", "post_delete")]
    if hooks:
        h = hooks[0]
        what = "a delete() override" if h.kind == "delete_override" else f"a {h.signal} receiver {h.name}"
        raise NotCollected(f"{m.label} has {what}: Django runs it on delete, the GORM helper does not")
    generic = next((f for f in m.fields if f.field_class.endswith("GenericRelation")), None)
    if generic is not None:
        raise NotCollected(f"{m.label}.{generic.name} is a GenericRelation: Django's collector deletes its rows")


def collected(project: Project, label: str) -> list[str]:
    """The labels of the models a delete of ``label`` reaches (itself first, then the CASCADE targets), or
    NotCollected with the reason the GORM helper would not leave the database as Django's collector does."""
    models = {m.label: m for m in project.models}
    seen, todo = [], [label]
    while todo:
        m = models.get(todo.pop(0))
        if m is None or m.label in seen:
            continue
        seen.append(m.label)
        if m.kind != "concrete":
            raise NotCollected(f"{m.label} is {m.kind}: the GORM layer generates no delete helper for it")
        _check(project, m)
        for other, f in _incoming(project, m):
            od, where = f.relation.on_delete, f"{other.label}.{f.name}"
            if f.relation.parent_link:
                continue  # the child row of a multi-table parent: Django deletes it through the parent link
            if od == "SET_DEFAULT" and f.default.kind == "literal" and type(f.default.value) is int:
                continue  # the helper writes the literal into its UPDATE (an integer: the same SQL on every dialect)
            if od not in EXACT:
                raise NotCollected(f"{where} has on_delete={od}: the generated GORM delete helper does not "
                                   "reproduce it exactly")
            if od == "CASCADE":
                todo.append(other.label)
    return seen


def destroy_call(project: Project, label: str) -> dict:
    """What the DRF destroy calls: {"struct": GORM struct, "pk_type": its pk's Go type, "reach": labels}, or
    NotCollected."""
    from .gorm import GormTranslator

    reach = collected(project, label)
    model = project.model(label)
    g = GormTranslator(project, {})
    struct = g.struct_of(label)
    if not struct:
        raise NotCollected(f"{label} has no GORM struct (its delete helper is not generated)")
    pk = g.pk_of(model)
    return {"struct": struct, "pk_type": g.go_type(model, pk) or "int64", "reach": reach}
