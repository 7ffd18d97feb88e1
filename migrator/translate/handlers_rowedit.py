"""A loaded row's column changed in place in a migrated view (part of ViewReader's statements):
``occurrence.end += delta`` (``-=``) of a DateTimeField by a timedelta known at run time.

Python adds in its datetime: a result outside years 1..9999 is OverflowError ("date value out of range"), which
Django answers 500; pyvalues.go PyShift does the same addition on the UTC instant (USE_TZ: aware datetimes in UTC,
where a timedelta is that many microseconds). The row's value is replaced for what the view reads next (the Obj
bound to the name is a copy: a Go branch that did not run this line keeps the old value). Anything else (another
column type, another operator, a value that is not a timedelta) stays a stub with the line.
"""

from __future__ import annotations

import ast as _ast
import dataclasses

from .handlers_values import Const, GoValue, NotRecognised, Obj


def aug_assign(reader, st, env, fn) -> bool:
    """``row.column += timedelta``: True when read (the env's row updated), False when ``st`` is not an
    augmented assignment; NotRecognised for one this port does not read."""
    if not isinstance(st, _ast.AugAssign):
        return False
    line = fn["line"] + st.lineno - 1
    t = st.target
    row = env.get(t.value.id) if isinstance(t, _ast.Attribute) and isinstance(t.value, _ast.Name) else None
    if not isinstance(row, Obj) or t.attr not in row.columns or not isinstance(st.op, (_ast.Add, _ast.Sub)):
        raise NotRecognised(f"AugAssign at line {line}: only `row.column += timedelta` (or -=) is read")
    code, typ, f = row.columns[t.attr]
    delta = reader.expr(st.value, env, fn)
    if typ != "djtypes.DateTime" or not isinstance(delta, GoValue) or delta.type != "djtypes.Duration":
        raise NotRecognised(f"AugAssign at line {line}: a {typ} column shifted by a value that is not a timedelta")
    var = reader.var(t.attr)
    sign = "-" if isinstance(st.op, _ast.Sub) else ""
    reader.stmts.append(f"{var}, err := PyShift({code}, {sign}{delta.code})")
    reader.throw_if("err != nil", "builtins.OverflowError", Const("date value out of range"))
    columns = dict(row.columns)
    for attr, (c, ty, fld) in row.columns.items():
        if c == code:  # the column under each of its names
            columns[attr] = (var, ty, fld)
    env[t.value.id] = dataclasses.replace(row, columns=columns)
    return True


@dataclasses.dataclass
class Unread:
    """``ob.event`` passed to a helper (django-scheduler's permission callbacks): the related row of a NOT NULL
    foreign key, which Python fetches (a SELECT without side effects; the key's constraint makes it exist) and
    the helper may never read. Passed on as it is; any other use of it stays a stub naming it."""
    what: str


def unread_relation(reader, node, env):
    """An argument ``row.fk`` whose related row the query did not select: Unread; None for any other argument."""
    if not (isinstance(node, _ast.Attribute) and isinstance(node.value, _ast.Name)):
        return None
    row = env.get(node.value.id)
    if not isinstance(row, Obj) or node.attr in row.columns or node.attr in row.related:
        return None
    model = reader.models.get(row.model)
    f = next((f for f in model.fields if f.name == node.attr), None) if model else None
    if f is None or f.null or f.relation is None or f.relation.kind not in ("foreign_key", "one_to_one"):
        return None
    return Unread(f"{row.model}.{node.attr}")


def refuse_save(node, env, fn) -> None:
    """``row.save()`` of a row a query loaded: Django's Model.save() sends an UPDATE of every column (auto_now
    ones set to now, the save() override and the pre_save / post_save receivers run), a query no site holds (the
    project never writes it as a QuerySet); until one is derived for it, the view stays a stub saying so."""
    func = node.func
    if isinstance(func, _ast.Attribute) and func.attr == "save" and isinstance(func.value, _ast.Name) and isinstance(
            row := env.get(func.value.id), Obj):
        raise NotRecognised(f"{func.value.id}.save() at line {fn['line'] + node.lineno - 1}: Model.save() of a loaded "
                            f"{row.model} row (an UPDATE of every column, auto_now ones set to now) has no derived query")
