"""The parameter set an INSERT can perform (issue 18: every write query must succeed at least once per run).

The sets values.write_param_sets tries first come from the rows of the written model: a unique column gets a
value some row already holds, and a model with no rows gives every parameter the value that matches nothing
(987654321 for a foreign key: no such row). Both refuse the INSERT the same way on both sides, and the write
is never compared. The set built here, tried last, points every foreign key at a row of its target (a
one-to-one key at a target no row of the model holds yet) and gives every other text, UUID and unique number a
value no row of the model holds, within the length of the value it stands for (a varchar keeps its limit)."""

from __future__ import annotations

import itertools
import uuid

from .boundary import named_model

RELATIONS = ("ForeignKey", "OneToOneField")


def column_values(dump: dict, model: str, name: str) -> list:
    """Every non-NULL plain value of `name` in the rows of `model`."""
    return [r.get(name) for r in dump.get(model, []) if r.get(name) is not None
            and not isinstance(r.get(name), (dict, list))]


def target_values(rel, dump: dict) -> list:
    """The values a foreign key may hold: its target field in the target's rows (their `pk` for an `id` no row
    spells out)."""
    targets = column_values(dump, rel.target, rel.target_field)
    if not targets and rel.target_field == "id":
        targets = [r.get("pk") for r in dump.get(rel.target, []) if r.get("pk") is not None]
    return targets


def target_value(f, model: str, dump: dict, current):
    """A value of a foreign key's target rows: `current` when it is one of them (and, for a one-to-one key,
    held by no row of `model`), else the first target row that fits; `current` when the target has no rows."""
    targets = target_values(f.relation, dump)
    taken = set(map(str, column_values(dump, model, f.name))) if f.internal_type == "OneToOneField" else set()
    free = [t for t in targets if str(t) not in taken]
    if current in free:
        return current
    return free[0] if free else current


def unused_text(v: str, held: set) -> str:
    """A text no row holds, no longer than `v`, which fitted its column (a max_length refuses a longer one)."""
    if len(v) <= 2 or v[:1].isdigit():
        return v
    for n in range(10):
        cand = f"{v[:-2]}-w" if n == 0 else f"{v[:-2 - len(str(n))]}-w{n}"
        if cand not in held:
            return cand
    return v


def unused_uuid(v: str, held: set) -> str:
    """A UUID no row holds, in the spelling of `v` (dashed, or Django's 32 hex digits)."""
    base = uuid.UUID(str(v)).int if _is_uuid(v) else 0
    norm = {str(h).replace("-", "").lower() for h in held}
    for n in range(1, 100):
        cand = uuid.UUID(int=(base + n) % (1 << 128))
        if cand.hex not in norm:
            return str(cand) if "-" in str(v) or not v else cand.hex
    return v


def _is_uuid(v) -> bool:
    try:
        uuid.UUID(str(v))
    except ValueError:
        return False
    return True


def insert_set(query, dump: dict, fields: dict, base: dict, together: dict | None = None) -> dict:
    """`base` changed so the INSERT can succeed: foreign keys on existing target rows, texts, UUIDs and unique
    numbers no row of the written model holds, and foreign keys of a unique set (`together`: "app.Model" -> field
    name tuples, unique_together and unconditional unique constraints) in a combination no row holds.
    `fields`: "app.Model.field" -> ir.Field (may be empty: texts only, as before)."""
    out = _fields_set(query, dump, fields, base)
    return _free_combination(query, dump, fields, out, together or {})


def _free_combination(query, dump: dict, fields: dict, out: dict, together: dict) -> dict:
    """`out` with the foreign keys of each unique set of the written model moved to a combination of target rows
    no row of the model holds (an order's coupon: the (order, coupon) pair the data left free), when the first
    pair is taken; unchanged when no free combination exists or the set is not all parameters."""
    by_field = {p.field.rpartition(".")[2]: p for p in query.params if p.field and p.sentinel in out and not p.is_list}
    model = next((p.field.rpartition(".")[0] for p in by_field.values()), query.model)
    rows = dump.get(model, [])
    for names in together.get(model, ()):
        if not all(n in by_field for n in names):
            continue
        held = {tuple(str(r.get(n)) for n in names) for r in rows}
        if tuple(str(out[by_field[n].sentinel]) for n in names) not in held:
            continue
        choices = []
        for n in names:
            f = fields.get(f"{model}.{n}")
            rel = f.relation if f is not None and f.internal_type in RELATIONS else None
            targets = target_values(rel, dump) if rel is not None else []
            choices.append(targets or [out[by_field[n].sentinel]])
        free = next((c for c in itertools.islice(itertools.product(*choices), 5000)
                     if tuple(map(str, c)) not in held), None)
        if free is not None:
            out.update({by_field[n].sentinel: v for n, v in zip(names, free)})
    return out


def _fields_set(query, dump: dict, fields: dict, base: dict) -> dict:
    out, texts = dict(base), set()  # texts: those given to other parameters, so that no two columns hold one
    # text (a tag's name and slug both "e-w" from a row whose name is its slug: the two swapped read the same)
    for p in query.params:
        if p.is_list or getattr(p, "source", "").startswith("<") or p.sentinel not in base:
            continue
        v, f = base[p.sentinel], fields.get(p.field) if p.field else None
        model, _, name = p.field.rpartition(".") if p.field else (query.model, "", p.name)
        if f is None and not p.field and p.kind == "int":  # a field-less id named after a model (`task_list`)
            named = named_model(p.name, dump, "")
            ids = column_values(dump, named, "id") if named else []
            out[p.sentinel] = v if v in ids or not ids else ids[0]
        elif f is not None and f.internal_type in RELATIONS and f.relation is not None:
            out[p.sentinel] = target_value(f, model, dump, v)
        elif p.kind == "uuid" or (isinstance(v, str) and _is_uuid(v) and len(v) in (32, 36)):
            out[p.sentinel] = unused_uuid(v, set(column_values(dump, model, name)))
        elif isinstance(v, str):
            out[p.sentinel] = unused_text(v, set(map(str, column_values(dump, model, name))) | texts)
            texts.add(out[p.sentinel])
        elif p.kind == "int" and f is not None and f.unique and isinstance(v, int) and not isinstance(v, bool):
            held = [x for x in column_values(dump, model, name) if isinstance(x, int)]
            out[p.sentinel] = max(held) + 1 if held else v
    return out
