"""The keys a serializer's own ``__init__`` adds per row of a model, and the attributes they render, -> Go.

django-helpdesk's ``BaseTicketSerializer.__init__`` adds ``custom_<name>`` per ``CustomField`` row, each a DRF field
``CustomField.build_api_field()`` picks by ``data_type`` (load/drf_rowfields, load/drf_builder: ``RowFields``), and
its views run ``Ticket.set_custom_field_values()`` (``RowAttributes``), which sets ``custom_<name>`` to the ticket's
``TicketCustomFieldValue.value`` of each ``CustomField`` row, ``None`` without one. DRF's answer then has, after the
declared fields, per key row in its QuerySet's order (``/rowkeys``, load/drf_sites): the attribute rendered by the
field class (``drfjson.TextField``, which reproduces ``to_representation`` of a text), ``null`` for ``None``; where
the method did not run (a detail DRF's ``get_object`` reads again), the key is left out (``SkipField``), or a
``required`` field is a 500 (``AttributeError``). A value of the class column the builder's table lacks is DRF's
``NameError`` in ``__init__``: a 500. The method's rows (``/rowattrs_<m>``) and the instance's related rows
(``/rowvalues_<m>``, one query per object where DRF runs one ``.get()`` per row) are read when ``attrs`` is true.

The builder's keyword arguments that change ``to_representation`` are ``required``, ``decimal_places`` and
``max_digits`` (a constant or ``self.<column>``); ``label``, ``help_text``, ``max_length``, ``min_length``,
``style``, ``allow_blank`` only change validation; ``choices`` of a ``ChoiceField`` leave a text as it is when the
choices' keys are texts (helpdesk's ``get_choices()``: ``[[line, line], ...]``; the method itself is not read: an
integer key would render an integer). Any other keyword, or another shape: Unsupported, the view stays a stub.
"""

from __future__ import annotations

import json

from ..ir_drf import DRFView, Serializer
from ..load.drf_sites import ROWATTRS, ROWKEYS, ROWVALUES

INERT = frozenset({"label", "help_text", "max_length", "min_length", "style", "allow_blank", "trim_whitespace"})
CHECK = "if err != nil {\n\t\treturn item, err\n\t}"


class NotKeyed(Exception):
    pass


def _query(mine: list, suffix: str, store, params: int):
    q = next((q for q in mine if q.site.endswith(suffix)), None)
    m = store.methods.get(q.name) if q else None
    if m is None or not m.row or q.command != "many" or len(m.params) != params:
        raise NotKeyed(f"no sqlc query of {suffix.strip('/_')} in the store")
    return m


def _col(store, method, column: str) -> tuple[str, str]:
    """(Go field, neutral type) of a column of a query's row."""
    for name, go_type, tag in store.structs[method.row].fields:
        if tag == column:
            return name, go_type
    raise NotKeyed(f"no column {column} in {method.row}")


def _text(var: str, go_type: str) -> str:
    if go_type == "string":
        return var
    if go_type in ("int64", "int32", "int16"):
        return f"strconv.FormatInt(int64({var}), 10)"
    raise NotKeyed(f"a key's attribute of Go type {go_type}")


def _value(arg: str, python: str, store, keys) -> str:
    """The Go value of a keyword argument (``self.<column>`` of the key row, or a constant)."""
    if python.startswith("self.") and python[5:].isidentifier():
        name, go_type = _col(store, keys, python[5:])
        want = {"required": ("bool",), "decimal_places": ("int64", "*int64"), "max_digits": ("int64", "*int64")}[arg]
        if go_type not in want:
            raise NotKeyed(f"{arg}={python}: a {go_type} column")
        return f"k.{name}" if go_type in ("bool", "*int64") else f"&[]int64{{k.{name}}}[0]"
    try:
        value = json.loads(python.replace("True", "true").replace("False", "false").replace("None", "null"))
    except ValueError as exc:
        raise NotKeyed(f"{arg}={python} is not a constant or a column of the row") from exc
    if arg == "required" and isinstance(value, bool):
        return "true" if value else "false"
    if arg != "required" and (value is None or isinstance(value, int) and not isinstance(value, bool)):
        return "nil" if value is None else f"&[]int64{{{value}}}[0]"
    raise NotKeyed(f"{arg}={python}")


def _field(ser: Serializer, store, keys) -> list[str]:
    """Statements building ``f`` (a drfjson.TextField) for the key row ``k``."""
    b = ser.rows.built
    if b is None:
        raise NotKeyed(f"the field {ser.rows.builder}() builds is not read ({ser.rows.built_reason})")
    col, go_type = _col(store, keys, b.column)
    if go_type != "string":
        raise NotKeyed(f"{b.column}, the column picking the field class, is not a text")
    table = ", ".join(f"{json.dumps(v)}: {json.dumps(c)}" for v, c in b.classes)
    out = [f"f := drfjson.TextField{{Class: map[string]string{{{table}}}[k.{col}]}}",
           f"if f.Class == \"\" {{ // {b.method}: NameError in the serializer's __init__\n\t\t"
           f"return item, fmt.Errorf(\"Unrecognized {b.column} %q\", k.{col})\n\t}}"]
    names = {"required": "Required", "decimal_places": "DecimalPlaces", "max_digits": "MaxDigits"}
    for values, arg, python in b.args:
        if arg in INERT or arg == "choices" and all(dict(b.classes).get(v) == "ChoiceField" for v in values):
            continue
        if arg not in names:
            raise NotKeyed(f"{b.method}'s argument {arg}={python} changes what the field renders (not generated)")
        set_ = f"f.{names[arg]} = {_value(arg, python, store, keys)}"
        if values == ("*",):
            out.append(set_)
        else:
            test = " || ".join(f"k.{col} == {json.dumps(v)}" for v in values)
            out.append(f"if {test} {{\n\t\t{set_}\n\t}}")
    return out


def _attributes(view: DRFView, mine: list, store, used: list) -> list[str]:
    """Statements filling ``set`` (attribute name -> its value) with what the view's model method sets (the store
    methods they call appended to ``used``)."""
    if len(view.row_attributes) != 1:
        raise NotKeyed(f"{len(view.row_attributes)} model methods set the attributes (one is generated)")
    r = view.row_attributes[0]
    if r.default is not None:
        raise NotKeyed(f"{r.method} sets {r.default!r} without a related row (None is generated)")
    method = r.method.rsplit(".", 1)[-1]
    rows, values = _query(mine, ROWATTRS + method, store, 0), _query(mine, ROWVALUES + method, store, 1)
    used += [rows.name, values.name]
    rid, rid_type = _col(store, rows, "id")
    key, key_type = _col(store, values, r.lookup + "_id")
    val, val_type = _col(store, values, r.column)
    attr, attr_type = _col(store, rows, r.attr)
    if rid_type != "int64" or key_type != "int64" or val_type not in ("string", "*string"):
        raise NotKeyed(f"{r.method}: the rows' pk, {r.lookup} or {r.column} is not an integer / a text")
    arg = "&row.ID" if values.params[0].type.startswith("*") else "row.ID"
    value = "r.{0}".format(val) if val_type == "*string" else "&[]string{{r.{0}}}[0]".format(val)
    return [f"rows, err := s.Store.{rows.name}(ctx)", CHECK,
            f"related, err := s.Store.{values.name}(ctx, {arg})", CHECK,
            "byRow := map[int64]*string{}",
            f"for _, r := range related {{\n\t\t\tbyRow[r.{key}] = {value}\n\t\t}}",
            f"for _, r := range rows {{\n\t\t\tset[{json.dumps(r.prefix)} + {_text('r.' + attr, attr_type)}] "
            f"= byRow[r.{rid}]\n\t\t}}"]


def keyed(view: DRFView, ser: Serializer, mine: list, store) -> tuple[list[str], list[str]]:
    """(the statements of the item adding the keys, the store methods they call); the item's ``attrs`` parameter
    says whether the view's model method ran on the row."""
    r = ser.rows
    clash = [f.name for f in ser.fields if f.name.startswith(r.prefix)]
    if clash:  # DRF's self.fields[key] = ... would replace that field where it stands, not add a key last
        raise NotKeyed(f"the declared field {clash[0]} may be one of the keys {r.prefix}<{r.attr}>")
    keys = _query(mine, ROWKEYS, store, 0)
    used = [keys.name]
    build = _field(ser, store, keys)
    attr, attr_type = _col(store, keys, r.attr)
    name = f"{json.dumps(r.prefix)} + {_text('k.' + attr, attr_type)}"
    inner = "\n\t\t".join(_attributes(view, mine, store, used)) if view.row_attributes else ""
    fill = f"if attrs {{ // {view.row_attributes[0].method}() ran on the row\n\t\t{inner}\n\t}}" if inner else \
        "_ = attrs // no model method sets the attributes"
    loop = "\n\t\t".join(build + [
        f"v, ok := set[{name}]",
        f"if !ok && f.Required {{ // AttributeError\n\t\t\treturn item, fmt.Errorf(\"no attribute %s\", {name})\n\t\t}}",
        "if !ok { // SkipField\n\t\t\tcontinue\n\t\t}",
        "x, err := f.Render(v)", "if err != nil {\n\t\t\treturn item, err\n\t\t}",
        f"item.Keys = append(item.Keys, drfjson.Key{{Name: {name}, Value: x}})"])
    return [f"keys, err := s.Store.{keys.name}(ctx) // {r.owner}.__init__: a key per row of {r.source}", CHECK,
            "set := map[string]*string{}", fill, f"for _, k := range keys {{\n\t\t{loop}\n\t}}"], used


def keyed_field() -> str:
    return "Keys drfjson.Keys `json:\"-\"` // added per row at request time (MarshalJSON writes them last)"

