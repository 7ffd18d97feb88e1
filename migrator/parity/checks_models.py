"""The `models` check: the generated GORM models read and write Django's database as Django does.

1. Reads: gormcheck dumps every table through the GORM models (many-to-many preloaded); Django dumps it
   twice (two processes). One case per table: Go's rows must equal Django's, field by field, except
   fields whose values differ between the two Django runs (noise, reported as such).
2. Writes: operations built from the loaded data (per model: an update of its first row changing every
   plain field, a create copying its last row with unique values changed and each NULL or zero value taken
   from another row that has one, a delete of its last row, deletes last and in reverse
   dependency order so on_delete runs) are applied through GORM on one copy of the database and through
   Django on two more (a model whose save or delete receivers are Go stubs: Django's side of its writes runs
   with the model signals muted, a note says which receivers; the Go stubs are the user's to port, and what the
   receivers write is not compared). One case per operation (same success or failure, same primary key), one per
   table afterwards (same rows), and one for Django's full_clean() of every row Go wrote.
"""

from __future__ import annotations

import json

from .context import Case, Context, register
from .models_deletes import most_referenced, through_each_relation
from .values import both_raised, duration_iso, noisy_fields, table_difference

TEXT = {"CharField", "TextField", "SlugField", "EmailField", "URLField", "FilePathField", "FileField", "ImageField"}
INTS = {"IntegerField", "BigIntegerField", "SmallIntegerField", "PositiveIntegerField", "PositiveSmallIntegerField",
        "PositiveBigIntegerField"}


def _changed(f, value, held: list = ()):
    """A different valid value for an update, or ... when the field is left alone. For a field with choices, a
    value another row holds first (`held`: what the database stores): the IR's choice values are the loader's
    JSON form, which is not always what the column holds (a TimeZoneField's ZoneInfo choices, written
    `zoneinfo.ZoneInfo(key='Africa/Abidjan')`, made Go store that text and every later Django read of the table
    fail with ValidationError)."""
    if f.choices:
        others = [v for v in held if v is not None and v != value and not isinstance(v, (list, dict))]
        others += [c.value for c in f.choices if c.value != value]
        return others[0] if others else ...
    t = f.internal_type
    if _image(f) and t in TEXT:  # an empty name: Django opens a named image to read its size (below)
        return "" if value is None or value else (None if getattr(f, "null", False) else ...)
    plain_text = f.field_class.rsplit(".", 1)[-1] in ("CharField", "TextField")  # no format validator
    if t in TEXT and plain_text:
        new = f"{value or ''}_go ✓%"
        return new[-(f.max_length or 200):] if f.max_length and len(new) > f.max_length else new
    if t in INTS:
        return 1 if value != 1 else 2
    if t == "BooleanField":
        return not value if value is not None else True
    if t == "DecimalField":
        return f"{1:.{f.decimal_places or 0}f}"
    return _changed_other(t, f.field_class.rsplit(".", 1)[-1], value)


def _image(f) -> bool:
    """An ImageField. Setting one on a loaded row makes Django read the image's width and height from its file
    when the field has width_field / height_field (ImageFileDescriptor.__set__ -> update_dimension_fields), and
    generated data names files that do not exist: wiki's ImageRevision update failed FileNotFoundError on
    Django's side only. An update writes an empty name instead (no file, so no size is read), before the
    dimension fields (so their new values are the ones saved, as on the Go side)."""
    return f.field_class.rsplit(".", 1)[-1] == "ImageField"


# a value of these types that GORM decodes through its json key: an update that leaves them alone never
# shows a renamed key (`birth_date`, `paid_at`, `attributes`, `website` survived as GORM json-key mutants)
_NEW_TEXT = {"URLField": "https://example.com/go-{}", "EmailField": "go-{}@example.com",
             "FileField": "go/file-{}.txt"}


def _changed_other(t: str, cls: str, value):
    """A different valid value for a date, datetime, duration, JSON or formatted text field (..., when none)."""
    import datetime

    if t == "DateField":
        day = datetime.date.fromisoformat(value[:10]) if isinstance(value, str) else datetime.date(2001, 2, 3)
        return (day + datetime.timedelta(days=1)).isoformat()
    if t == "DateTimeField":
        at = (datetime.datetime.fromisoformat(value.replace("Z", "+00:00")) if isinstance(value, str)
              else datetime.datetime(2001, 2, 3, 4, 5, 6, tzinfo=datetime.timezone.utc))
        at = (at + datetime.timedelta(days=1, seconds=1)).astimezone(datetime.timezone.utc)
        return at.isoformat().replace("+00:00", "Z")
    if t == "DurationField":  # ISO 8601, as the dump carries it
        new = duration_iso(3_600_000_001)
        return new if new != value else duration_iso(7_200_000_002)
    if t == "JSONField" and isinstance(value, list):
        # a list keeps its shape, text added: oauth2_provider's ResourceJSONField refuses anything but a list
        # of URI strings (Django's update raised ValidationError where Go's wrote the object)
        return [*value, "https://go.example/✓"]
    if t == "JSONField":
        return {"go": [1, "✓"], "was": value}
    if cls in _NEW_TEXT and t in TEXT:
        return _NEW_TEXT[cls].format(len(str(value or "")))
    return ...


def _ancestors(m, models: dict) -> set[str]:
    """The labels of a model's multi-table parents, theirs, and so on (IR parents are the direct ones)."""
    seen: set[str] = set()
    todo = list(m.parents)
    while todo:
        label = todo.pop()
        if label not in seen:
            seen.add(label)
            todo += list(getattr(models.get(label), "parents", ()))
    return seen


def _receivers(model, signals: tuple[str, ...]) -> str:
    """Signal receivers the Go side only has as stubs to port by hand: those writes cannot match yet."""
    return ", ".join(f"{h.signal} {h.name}" for h in model.hooks if h.kind == "signal" and h.signal in signals)


def build_ops(project, dump: dict, skipped: list | None = None) -> list[dict]:
    """The operations, and (label, why) for each model left out into ``skipped``."""
    skipped = [] if skipped is None else skipped
    models = {m.label: m for m in project.models if m.kind == "concrete" and m.label in dump}
    updates, creates, deletes = [], [], []
    # a multi-table child's delete removes its parent row too: the parent's delete targets another row; and the
    # child's first row (the update's) stays, or a parent delete's cascade hides what the update wrote (the
    # DigitalProduct json keys survived as mutants: Product pk=26, the most referenced, was its updated row)
    taken = {(p, rows[i][models[label].field(models[label].pk).name]) for label, rows in dump.items()
             if label in models and models[label].parents and len(rows) > 1 for p in models[label].parents
             for i in (0, -1)}
    for label in sorted(models):
        m, rows = models[label], dump[label]
        if not rows:
            continue
        pk_field = m.field(m.pk)
        save_hooks = _receivers(m, ("pre_save", "post_save"))
        muted = {"mute": save_hooks} if save_hooks else {}  # Django's side runs the write with its receivers muted
        # a multi-table child's struct holds its own columns only: its ancestors' are written through them (wiki's
        # Image update wrote ArticlePlugin.deleted, its grandparent's, in Django's save only)
        ancestors = _ancestors(m, models)
        editable = [f for f in m.fields if f.column and not f.primary_key and not f.relation and f.editable
                    and not f.auto_now and not f.auto_now_add and not f.unique and f.inherited_from not in ancestors]
        first = rows[0]
        values = {}
        for f in editable:
            new = _changed(f, first.get(f.name), [r.get(f.name) for r in rows])
            if new is not ...:  # every field: one the Go struct does not decode (a json key) must show
                values[f.name] = new
        if values:
            values = dict(sorted(values.items(), key=lambda kv: not _image(m.field(kv[0]))))  # images first
            updates.append({"op": "update", "model": label, "pk": first[pk_field.name], "values": values, **muted})
        auto_pk = pk_field is not None and pk_field.internal_type in ("AutoField", "BigAutoField", "SmallAutoField")
        if auto_pk and not m.parents:  # a multi-table child is created through its parent first (docs/gorm.md)
            last = rows[-1]
            new = {}
            for f in m.fields:
                if not f.column or f.primary_key or f.auto_now or f.auto_now_add or f.name not in last:
                    continue
                v = last[f.name]
                if not v and not f.unique:  # NULL or a zero value: another row's, so the field is written
                    v = next((r[f.name] for r in reversed(rows) if r.get(f.name)), v)
                if f.unique and isinstance(v, str) and f.internal_type in TEXT:
                    v = (v + "-go")[-(f.max_length or 200):]
                elif f.unique and isinstance(v, int) and f.internal_type in INTS:
                    v = v + 1000003
                elif f.unique and isinstance(v, str) and f.internal_type == "UUIDField" and v:  # one no row holds:
                    held = {r.get(f.name) for r in rows}  # the last row's made both sides refuse the create
                    v = next((v[:-1] + d for d in "0123456789abcdef" if v[:-1] + d not in held), v)
                new[f.name] = v
            creates.append({"op": "create", "model": label, "values": new, **muted})
        delete_hooks = _receivers(m, ("pre_delete", "post_delete"))
        muted = {"mute": delete_hooks} if delete_hooks else {}
        free = [r[pk_field.name] for r in rows[1:] if (label, r[pk_field.name]) not in taken]
        if free:
            deletes.append({"op": "delete", "model": label, "pk": free[-1], **muted})
        # and the row most referenced by other rows, so that on_delete (CASCADE, SET_NULL, PROTECT) runs
        parent = most_referenced(label, free, models, dump)
        if parent is not None and parent != free[-1]:
            deletes.append({"op": "delete", "model": label, "pk": parent, **muted})
        kept = most_referenced(label, free, models, dump, protected=True)  # both sides must refuse it
        if kept is not None and kept not in (free[-1], parent):
            deletes.append({"op": "delete", "model": label, "pk": kept, **muted})
        for pk in through_each_relation(label, free, models, dump, {*free[-1:], parent, kept}):
            deletes.append({"op": "delete", "model": label, "pk": pk, **muted})
    return updates + creates + _children_first(deletes, models)


def _children_first(deletes: list[dict], models: dict) -> list[dict]:
    """Deletes of referencing models before the models they reference, so no delete targets a row an
    earlier on_delete cascade already removed. References count through other models (a cascade goes on),
    and a multi-table parent references what its children do: deleting a django_nyt Subscription deletes
    its ArticleSubscription and so that child's wiki ArticlePlugin parent row (Django then raised DoesNotExist
    for the ArticlePlugin delete after it, where Go's DELETE of the gone row deleted nothing)."""
    refs = {label: {f.relation.target for f in m.fields if f.relation and f.relation.kind != "many_to_many"}
            | set(m.parents) for label, m in models.items()}
    changed = True
    while changed:  # to a fixed point: a parent takes its children's references, each model its targets'
        changed = False
        for label, m in models.items():
            grown = set().union(*(refs.get(t, set()) for t in refs[label]))
            for parent in m.parents:
                if not (refs[label] - {parent}) <= refs.get(parent, set()):
                    refs.setdefault(parent, set()).update(refs[label] - {parent})
                    changed = True
            if not grown <= refs[label]:
                refs[label] |= grown
                changed = True
    order: list[str] = []
    pending = sorted({d["model"] for d in deletes})
    while pending:
        # a model nobody still pending points at goes next; in a cycle (wiki's RevisionPlugin and its
        # current_revision), one that only the models of its own cycle point at
        free = [l for l in pending if not any(l in refs.get(o, ()) for o in pending if o != l)] or \
            [l for l in pending if all(o in refs.get(l, ()) for o in pending if o != l and l in refs.get(o, ()))] or \
            pending[:1]
        order.append(free[0])
        pending.remove(free[0])
    return [d for label in order for d in deletes if d["model"] == label]


def own_problems(go_clean: dict, dj_clean: dict) -> dict:
    """The full_clean() problems of the Go copy's rows that Django's copy does not have, per row and field: what
    Django itself refuses after the same operations is not Go's doing. Per field, so that a row both copies
    refuse shows only the field they differ on (oauth2_provider's Application:1 showed every redirect URI the
    update made invalid, on both copies alike, hiding the one field Go wrote otherwise: client_secret)."""
    out = {}
    for row, fields in go_clean.items():
        theirs = dj_clean.get(row) or {}
        mine = {f: msgs for f, msgs in fields.items() if theirs.get(f) != msgs}
        if mine:
            out[row] = mine
    return out


def _mute_notes(ops: list[dict]) -> list[Case]:
    """One note per model and kind of write whose Django side runs with the model signals muted (build_ops)."""
    muted = sorted({("delete" if op["op"] == "delete" else "update/create", op["model"], op["mute"])
                    for op in ops if op.get("mute")})
    return [Case(check="models", name=f"{what} {label} receivers muted", status="note",
                 detail=f"signal receiver {hooks} is a stub in the Go tree (hooks_*.go): Django's side of these "
                        "writes runs with the model signals muted; what the receivers do is not compared")
            for what, label, hooks in muted]


def _op_text(op: dict) -> str:
    pk = f" pk={op['pk']}" if "pk" in op else ""
    values = f" {json.dumps(op['values'], ensure_ascii=False)}" if op.get("values") else ""
    return f"{op['op']} {op['model']}{pk}{values}"


@register("models")
def check_models(ctx: Context) -> list[Case]:
    cases: list[Case] = []
    if not ctx.has_program("gormcheck"):
        return [Case(check="models", name="gorm", status="skipped", reason="the tree has no gorm target")]
    ctx.progress("models: dumping through GORM and Django (twice)")
    go_dump = ctx.go("gormcheck", "dump", ctx.url)
    kept = _django_side(ctx)
    dj, noise = kept["dumps"], kept["noise"]
    for label, key in sorted(noise):
        cases.append(Case(check="models", name=f"read {label}.{key}", status="noise",
                          detail="differs between two Django reads of the same rows: not compared"))
    unmanaged = {m.label for m in ctx.project.models if m.kind == "unmanaged"}
    for label in sorted(set(go_dump) | set(dj[0])):
        go_rows = go_dump.get(label)
        if isinstance(go_rows, dict):  # gormcheck could not read this table
            if label in unmanaged and label not in dj[0]:
                cases.append(Case(check="models", name=f"read {label}", status="skipped",
                                  reason=f"unmanaged model over a table or view this {ctx.dialect} database does "
                                         f"not have (created outside migrations, or for another backend): "
                                         f"{go_rows.get('error', '')}"))
                continue
            cases.append(Case(check="models", name=f"read {label}", status="failed",
                              detail=f"gormcheck could not read the table Django reads: {go_rows.get('error')}",
                              operation=f"gormcheck dump vs {label}._base_manager.order_by('pk')"))
            continue
        diff = table_difference(label, go_rows, dj[0].get(label), noise)
        cases.append(Case(check="models", name=f"read {label}", status="failed" if diff else "passed",
                          detail=diff and f"go != django: {diff}",
                          operation=f"gormcheck dump vs {label}._base_manager.order_by('pk')"))
    ops = kept["ops"]
    cases += [Case(check="models", name=name, status="skipped", reason=why) for name, why in kept["left_out"]]
    if not ops:
        return cases + [Case(check="models", name="writes", status="skipped", reason="no rows to build operations from")]
    ctx.progress(f"models: {len(ops)} operations through GORM and Django (twice)")
    go_results, after_go, go_clean = _go_writes(ctx, kept)
    dj_results, (after_dj, after_dj2), dj_clean = kept["results"], kept["after"], kept["clean"]
    cases += _mute_notes(ops)
    for i, op in enumerate(ops):
        g, d, d2 = go_results[i], dj_results[0][i], dj_results[1][i]
        name = f"{op['op']} {op['model']}" + (f" pk={op['pk']}" if "pk" in op else "")
        if ("error" in d) != ("error" in d2) or (("error" not in d) and d != d2):
            cases.append(Case(check="models", name=name, status="noise", operation=_op_text(op),
                              detail=f"the two Django runs disagree: {d} / {d2}"))
            continue
        if ("error" in g) != ("error" in d):
            why = f"go {'failed: ' + g['error'] if 'error' in g else 'succeeded'}, django " \
                  f"{'failed: ' + d['error'] if 'error' in d else 'succeeded'}"
        elif "error" in g:  # both failed: a pass only when they failed the same way
            why = both_raised(d["error"], g["error"])
        elif g != d:
            why = f"go returned {g}, django {d}"
        else:
            why = ""
        cases.append(Case(check="models", name=name, status="failed" if why else "passed", detail=why,
                          operation=_op_text(op)))
    problems = own_problems(go_clean, dj_clean)  # rows Django itself would refuse afterwards are not Go's doing
    noise_after = noisy_fields(after_dj, after_dj2)
    for label, key in sorted(noise_after - noise):
        cases.append(Case(check="models", name=f"after writes {label}.{key}", status="noise",
                          detail="differs between the two Django runs of the operations (a clock or a random "
                                 "default): not compared"))
    for label in sorted(set(after_go) | set(after_dj)):
        diff = table_difference(label, after_go.get(label), after_dj.get(label), noise_after | noise)
        cases.append(Case(check="models", name=f"after writes {label}", status="failed" if diff else "passed",
                          detail=diff and f"go != django: {diff}",
                          operation=f"the {len(ops)} operations, then a Django dump of each copy"))
    cases.append(Case(check="models", name="full_clean of Go's writes", status="failed" if problems else "passed",
                      detail=json.dumps(problems, ensure_ascii=False)[:2000] if problems else "",
                      operation="Model.full_clean() on every row of the Go copy (problems Django's copy has too "
                                "are not counted)"))
    return cases


def _django_side(ctx: Context) -> dict:
    """Django's two dumps of the loaded database and the operations built from them; computed once per database and
    kept (ctx.query_runs): the mutation run calls this check again on each mutated tree, where only Go changed."""
    kept = ctx.query_runs.setdefault("models_django", {})
    if ctx.url not in kept:
        dj = [ctx.django(ctx.url, "dump") for _ in range(2)]
        left_out: list = []
        ops = build_ops(ctx.project, dj[0], left_out)
        ops_file = ctx.tmp("ops.json")
        ops_file.write_text(json.dumps(ops))
        kept[ctx.url] = {"dumps": dj, "noise": noisy_fields(dj[0], dj[1]), "ops": ops, "left_out": left_out,
                         "ops_file": str(ops_file)}
    return kept[ctx.url]


def _go_writes(ctx: Context, kept: dict) -> tuple[list, dict, dict]:
    """The operations through GORM on a copy: Go's results, Django's dump and full_clean of that copy. Django's own
    two runs of the operations (each on a copy, dumped, the first full_clean'd) are made on the first call, in the
    same Django process as the Go copy's dump, and kept in `kept` for the calls after it."""
    ops_file = kept["ops_file"]
    mine = "results" not in kept
    go_db = ctx.scratch.copy(ctx.url, "ops_go")
    dj_dbs = [ctx.scratch.copy(ctx.url, f"ops_dj{i}") for i in (1, 2)] if mine else []
    try:
        go_results = ctx.go("gormcheck", "apply", go_db, ops_file)
        dj_results = [ctx.django(db, "apply", ops_file) for db in dj_dbs]
        after = ctx.django_batch([{"database": db, "command": "dump"} for db in (go_db, *dj_dbs)]
                                 + [{"database": db, "command": "clean"} for db in (go_db, *dj_dbs[:1])])
    finally:
        for db in (go_db, *dj_dbs):
            ctx.scratch.drop(db)
    if mine:
        after_go, after_dj, after_dj2, go_clean, dj_clean = after
        kept.update(results=dj_results, after=(after_dj, after_dj2), clean=dj_clean)
    else:
        after_go, go_clean = after
    return go_results, after_go, go_clean
