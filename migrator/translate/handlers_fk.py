"""``row.<forward relation>`` read on a row loaded without ``select_related``: the query Django's descriptor runs.

``ForwardManyToOneDescriptor.__get__`` fetches ``Target._base_manager.get(<to_field>=row.<fk>_id)`` the first
time the attribute is read, and caches the row on the instance (a second read runs no query); a None key gives
None without a query; a key no row has raises ``RelatedObjectDoesNotExist`` (Django's 500 when nothing
catches it). load/fk_sites compiles one site per target model; here the Go runs it with the row's key:

    tl, err := s.Store.TaskListGet(ctx, *task.TaskListID)   // inside `if task.TaskListID != nil {` when nullable

A nullable relation's row may be None: reading an attribute of it is Python's AttributeError (a 500), which
the Go answers where the attribute is read (handlers.attribute, ``Obj.none_raises``). Inside ``try:`` the
view stays a stub (an except clause could catch those errors).
"""

from __future__ import annotations

from ..load.fk_sites import FK
from .handlers_values import GoValue, NotRecognised, Obj, model_word, q


def _site(reader, target: str, to_field: str):
    suffix = f"{FK}{target}.{to_field}"
    return next((s for sites in reader.sites.values() for s in sites if s.id.endswith(suffix)), None)


def lazy_relation(reader, base: Obj, attr: str):
    """The related row of ``base.<attr>`` as an Obj (fetched once per scope), or None when ``attr`` is not a
    forward relation of base's model."""
    model = reader.models.get(base.model)
    f = model.field(attr) if model is not None else None
    if f is None or not f.relation or f.relation.kind not in ("foreign_key", "one_to_one") or not f.column:
        return None
    if f.attname not in base.columns:
        raise NotRecognised(f"{base.model}.{attr}: its key {f.attname} is not a column the query selected")
    held = reader.computed(("lazy relation", base.var, attr))
    if held is not None:
        return reader.lazy_rows[held]
    if reader.handlers:
        raise NotRecognised(f"{base.model}.{attr} read lazily inside try: RelatedObjectDoesNotExist could be caught")
    target = f.relation.target
    site = _site(reader, target, f.relation.target_field)
    q = reader.queries.get(site.id) if site is not None else None
    m = reader.pkg.methods.get(q.name) if q is not None else None
    if m is None:
        raise NotRecognised(f"{base.model}.{attr} is not a column the query selected, and no query of "
                            f"{target} by {f.relation.target_field} was generated (load/fk_sites)")
    if len(q.params) != 1 or len(m.params) != 1 or q.command != "one" or q.result != "instance":
        raise NotRecognised(f"{q.name}: not one row by one key")
    code, typ, _ = base.columns[f.attname]
    nullable = typ.startswith("*")
    if nullable != f.null or (nullable and m.params[0][1].startswith("*")):
        raise NotRecognised(f"{base.model}.{attr}: a key of type {typ} for the parameter {m.params[0][1]}")
    arg = reader.arg(q.params[0], GoValue(f"*{code}" if nullable else code, typ.lstrip("*"), f), m.params[0][1])
    reader.used.append(q.name)
    call = f"s.Store.{q.name}(ctx, {arg})"
    word = model_word(target)
    var = reader.var(attr)
    fail = reader.error_check(f"{base.model}.{attr}")  # (the site's function is another view's, where first read)
    if not nullable:
        reader.stmts.append(f"{var}, err := {call}\n{fail}")
        row = reader.obj(var, site, m.ret)
    else:
        found, fetched = reader.var(f"{attr}_found"), reader.var(word)
        reader.stmts.append(f"var {var} {m.ret}\n{found} := {code} != nil\nif {found} {{\n{fetched}, err := {call}\n"
                            f"{fail}\n{var} = {fetched}\n}}")
        row = reader.obj(var, site, m.ret)
        row.present, row.none_raises = found, True
    reader.remember(("lazy relation", base.var, attr), var)
    reader.lazy_rows[var] = row
    return row


def none_attribute(reader, row: Obj, attr: str) -> None:
    """``row.<attr>`` where the lazily fetched row may be None: Python's AttributeError, Django's 500 (once per
    scope; past it the row is known present)."""
    if not row.none_raises or row.present in reader.guards or reader.computed(("present", row.present)) is not None:
        return
    if reader.handlers:
        raise NotRecognised(f"attribute {attr} of a nullable relation read inside try: the AttributeError of "
                            "None could be caught")
    error = f"AttributeError: 'NoneType' object has no attribute '{attr}'"
    reader.stmts.append(f"if !{row.present} {{\nreturn http.StatusInternalServerError, nil, errors.New({q(error)})\n}}")
    reader.remember(("present", row.present), row.present)
