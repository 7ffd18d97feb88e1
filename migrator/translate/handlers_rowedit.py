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

from ..load.save_sites import NOW, SAVE
from .handlers_form import not_covered
from .handlers_values import Const, GoValue, NotRecognised, Obj, why_no_query


def aug_assign(reader, st, env, fn) -> bool:
    """``row.column += timedelta``: True when read (the env's row updated), False when ``st`` is not an
    augmented assignment; NotRecognised for one this port does not read."""
    if _same_column_shift(st):  # `row.end = row.end + delta`: the same as `row.end += delta`
        st = _ast.AugAssign(target=st.targets[0], op=st.value.op, value=st.value.right, lineno=st.lineno)
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


def _same_column_shift(st) -> bool:
    """``row.column = row.column + value`` (or ``-``): an assignment that reads the column it writes, once."""
    if not (isinstance(st, _ast.Assign) and len(st.targets) == 1 and isinstance(st.targets[0], _ast.Attribute)
            and isinstance(st.value, _ast.BinOp) and isinstance(st.value.op, (_ast.Add, _ast.Sub))):
        return False
    t = st.targets[0]
    return isinstance(t.value, _ast.Name) and _ast.dump(st.value.left) == _ast.dump(
        _ast.Attribute(value=_ast.Name(id=t.value.id, ctx=_ast.Load()), attr=t.attr, ctx=_ast.Load()))


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


def save_row(reader, node, env, fn):
    """``row.save()`` of a row a query loaded (load/save_sites): the UPDATE of every column by its primary key, with
    the row's current values and now for ``auto_now`` (the row keeps that now, as pre_save sets it); no row updated
    (deleted since it was read) is Django's INSERT of it again: a 501 before any write. None for another call; a
    stub naming what Django would run besides the UPDATE (a save() override, receivers, a field's own pre_save)."""
    func = node.func
    if not (isinstance(func, _ast.Attribute) and func.attr == "save" and isinstance(func.value, _ast.Name)
            and isinstance(row := env.get(func.value.id), Obj)):
        return None
    line = fn["line"] + node.lineno - 1
    what = f"{func.value.id}.save() at line {line}: Model.save() of a loaded {row.model} row"
    site = next((s for s in reader.sites.get((fn["file"], line), ())
                 if s.id.endswith(SAVE) and s.column == node.col_offset + 1 and s.model == row.model), None)
    if site is None:
        raise NotRecognised(f"{what} (an UPDATE of every column, auto_now ones set to now) has no derived query "
                            "(load/save_sites: a bare save() of a name assigned once from a .get() of a concrete model)")
    model = reader.models[row.model]
    runs = [h.name for h in model.hooks if h.kind == "save_override" or h.signal in ("pre_save", "post_save")]
    runs += [c for f in model.fields for c in f.conversions if c.endswith(".pre_save")]
    if runs:
        raise NotRecognised(f"{what} runs {', '.join(sorted(set(runs)))} besides its UPDATE: not translated")
    q = reader.queries.get(site.id)
    m = reader.pkg.methods.get(q.name) if q is not None else None
    struct = reader.pkg.structs.get(m.params[0][1]) if m is not None and m.params else None
    if struct is None or q.command != "execrows":
        raise NotRecognised(f"{what}: its UPDATE has no sqlc query shared by both dialects"
                            + (why_no_query(reader.skipped, site.id) or ""))
    types = {tag: typ for _, typ, tag in struct.fields}
    given, columns = {}, dict(row.columns)
    for p in q.params:
        attr = p.source.partition(".")[2]
        if p.source == NOW and (f := model.field(p.field.rpartition(".")[2])) is not None:
            code, _ = reader._computed(f, types.get(p.name, ""))  # handlers_create: the request's now
            columns.update({a: (code, c[1], c[2]) for a, c in row.columns.items() if c[2] is f})
        elif attr in row.columns and row.columns[attr][1] == types.get(p.name):
            code = row.columns[attr][0]
        else:
            held = row.columns[attr][1] if attr in row.columns else "no such column"
            why = " (sqlc typed the SET of a nullable column NOT NULL: None could not be written)" if held.startswith(
                "*") and not str(types.get(p.name)).startswith("*") else ""
            raise NotRecognised(f"{what}: its UPDATE binds {p.name} ({p.source}) as {types.get(p.name)} where the "
                                f"row holds {held}{why}")
        given[p.name] = code
    var = reader.var("saved")
    reader.stmts.append(f"{var}, err := {reader.call_query(q, m, site, env, fn, given=given)}\n" + reader.on_error(site))
    reader.stmts.append(f"// no row updated: Django's save() INSERTs the row again (deleted since it was read): a stub's 501\n"
                        f"if {var} == 0 {{\nreturn 501, {not_covered(reader)}, nil\n}}")
    env[func.value.id] = dataclasses.replace(row, columns=columns)
    return Const(None)
