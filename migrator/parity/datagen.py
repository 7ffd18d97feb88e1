"""Test data generated from the models, inside the Django process (django_side ``generate SEED ROWS``).

For projects without a fixture (or with ``--data both``); the value of each field comes from datagen_values.
Rows are written through Django's own ``Model.save`` with the model signals muted: a project's ``save()``
override or receiver (a slug loop, a search index, an e-mail) is not run (the Go side does not port them
and they often fail on generated data); auto_now and defaults apply as in production. Model by model in
foreign-key dependency order, deterministic for a seed. Each value respects the field: choices, nullability
(row 0 leaves every nullable field NULL), max_length, max_digits/decimal_places, the integer range (a
PositiveIntegerField stays within 32 bits), Min/MaxValueValidator and Min/MaxLengthValidator limits and
every other validator (a value a validator refuses is replaced), unique fields, unique_together and
unconditional UniqueConstraints (a combination already used is drawn again), foreign keys (an existing row
of the target; one-to-one targets are not reused; a key a cycle left NULL is set at the end: datagen_cycles).
Row 0 and 1 carry edge values: empty and maximal strings, LIKE metacharacters (``%``, ``_``, ``\\``),
non-ASCII text, the largest decimal, 2**53 + 1, datetimes one microsecond either side of midnight UTC. A row
that still fails (the database refuses it, a validator no value satisfies) is skipped with its reason.

Limits (documented in docs/parity.md): Meta CheckConstraints are not read (a row the database refuses is
skipped and counted); generic foreign keys get an arbitrary content type; models of django.contrib apps
that migrate fills (content types, permissions) are left as migrate leaves them.
"""

from __future__ import annotations

import contextlib
import functools
import random

from .boundary_rows import EMPTY, LIMITS, SHARED
from .free_targets import FREE, add_free_targets
from .datagen_values import field_value, plain_text, shared_value, sibling_target, small_number_text, valid
from .datagen_cycles import close_cycles

SKIP_APPS = {"contenttypes"}


def _order(models):
    """Models in foreign-key dependency order (targets first). A nullable key's target comes first too when
    it can (todo.Task's nullable task_list: TaskList first, or every task has no list and a write of one
    finds no list to point at); cycles are broken at nullable keys."""
    pending = {m._meta.label: m for m in models}
    done: list = []
    seen: set = set()

    def deps(m, nullable: bool) -> set:
        out = {f.related_model._meta.concrete_model._meta.label for f in m._meta.concrete_fields
               if f.is_relation and f.related_model is not None and (nullable or not f.null)}
        out |= {p._meta.label for p in m._meta.get_parent_list()}
        out.discard(m._meta.label)
        return out

    while pending:
        progressed = False
        for nullable in (True, False):  # every key first; only the NOT NULL ones when a cycle blocks
            for label in sorted(pending):
                m = pending[label]
                need = deps(m, nullable)
                if need <= seen or not (need & set(pending)):
                    done.append(m)
                    seen.add(label)
                    del pending[label]
                    progressed = True
            if progressed:
                break
        if not progressed:  # a cycle of NOT NULL keys: take the first and let the rows fail if they must
            label = sorted(pending)[0]
            done.append(pending.pop(label))
            seen.add(label)
    return done


@contextlib.contextmanager
def quiet_signals(names=("pre_save", "post_save", "m2m_changed", "pre_delete", "post_delete")):
    """The model signals ``names`` muted: a project's receivers do not run while data is generated."""
    from django.db.models import signals

    muted = [getattr(signals, n) for n in names]
    saved = [(sig, sig.receivers) for sig in muted]
    for sig in muted:
        sig.receivers = []
        sig.sender_receivers_cache.clear()
    try:
        yield
    finally:
        for sig, receivers in saved:
            sig.receivers = receivers
            sig.sender_receivers_cache.clear()


def _unique_sets(model) -> list[tuple[str, ...]]:
    """Field-name tuples that must be unique together: unique fields, unique_together, and UniqueConstraints
    over fields without a condition or expressions."""
    from django.db.models import UniqueConstraint

    sets = [(f.name,) for f in model._meta.concrete_fields if f.unique and not f.primary_key]
    sets += [tuple(t) for t in model._meta.unique_together]
    sets += [tuple(c.fields) for c in model._meta.total_unique_constraints
             if isinstance(c, UniqueConstraint) and c.fields and tuple(c.fields) not in sets]
    return sets


ATTEMPTS = 8


def _clashes(uniques, by_name: dict, used: dict) -> list:
    return [u for u in uniques if all(by_name.get(n) is not None for n in u if n in by_name)
            and all(n in by_name for n in u) and tuple(str(by_name[n]) for n in u) in used.get(u, set())]


def _sibling_key(clash: list, values: dict, by_name: dict, pools: dict, used: dict) -> bool:
    """Siblings kept under a unique set of several fields (an order's coupons, unique (order, coupon)): the last
    field of each clashing set, a foreign key, takes the first target that leaves the combination unused, the
    other fields stay (rows 1, 3 and 4 share their first foreign row). False when some set cannot be freed."""
    for u in clash:
        f = next((f for f in values if f.name == u[-1]), None)
        if len(u) < 2 or f is None or not f.is_relation or f.one_to_one:
            return False
        free = [pk for pk in pools.get(f.related_model._meta.concrete_model._meta.label, [])
                if tuple(str(pk if n == f.name else by_name[n]) for n in u) not in used.get(u, set())]
        if not free:
            return False
        values[f] = by_name[f.name] = free[0]
    return True


AUTO_TYPES = frozenset({"AutoField", "BigAutoField", "SmallAutoField"})


def generated_fields(model) -> list:
    """The fields a generated row sets: not the database's own (an auto primary key, implicit or declared
    `id = models.BigAutoField(primary_key=True)` as oauth2_provider does: its rows were all skipped for
    "no generator for BigAutoField"), not save()'s (auto_now), not a multi-table child's parent link."""
    return [f for f in model._meta.concrete_fields
            if not (f.primary_key and not f.is_relation and (f.auto_created or f.get_internal_type() in AUTO_TYPES))
            and not getattr(f, "auto_now", False) and not getattr(f, "auto_now_add", False)
            and not (f.is_relation and f.remote_field.parent_link)]  # multi-table: save() writes the parent


def _fill(model, rng, row: int, pools: dict, used_one_to_one: dict, used: dict):
    """An unsaved instance for this row whose values pass the validators and whose unique combinations are
    unused; raises LookupError (no target row) or ValueError (no acceptable value) with the reason."""
    fields = generated_fields(model)
    uniques = _unique_sets(model)
    why = ""
    for attempt in range(ATTEMPTS):
        r = row if attempt == 0 else row + 1000 * attempt  # later attempts draw random values
        values = {}
        for f in fields:
            value = field_value(f, rng, r, pools, used_one_to_one)
            problem = valid(f, value)
            if problem:
                value = field_value(f, rng, r + 3, pools, used_one_to_one)
                if valid(f, value) and f.get_internal_type() in ("CharField", "TextField", "SlugField"):
                    value = plain_text(f, r)  # letters and digits: what most format validators accept
                if valid(f, value) and f.get_internal_type() in ("CharField", "TextField"):
                    value = small_number_text(f, r, valid)  # a cron field (celery_beat): `3`, else `*`
                if valid(f, value):
                    raise ValueError(f"{model._meta.label}.{f.name}: no generated value passes its validators "
                                     f"({problem})")
            values[f] = value
        by_name = {f.name: v for f, v in values.items()}
        clash = _clashes(uniques, by_name, used)
        if clash and attempt == 0 and _sibling_key(clash, values, by_name, pools, used):
            clash = _clashes(uniques, by_name, used)
        if clash:
            why = f"{model._meta.label}: unique {', '.join(clash[0])}: no unused combination in {ATTEMPTS} draws"
            for f in fields:  # a one-to-one target drawn for this attempt is free again
                if f.one_to_one and values.get(f) is not None:
                    used_one_to_one.get(f, set()).discard(values[f])
            continue
        obj = model()
        for f, v in values.items():
            setattr(obj, f.attname, v)
        return obj, [(u, tuple(str(by_name[n]) for n in u)) for u in uniques if all(n in by_name for n in u)
                     and all(by_name[n] is not None for n in u)]
    raise ValueError(why)


def _one_to_one_extra(model, models, bounds: dict) -> int:
    """More rows for a model other models point at one-to-one: each of their boundary rows needs a row of
    its own here (a profile per user), or it is skipped for want of a target."""
    label = model._meta.label
    return sum(len(vs) for m in models for f in m._meta.concrete_fields
               if f.one_to_one and not f.remote_field.parent_link
               and f.related_model._meta.concrete_model._meta.label == label
               for fl, vs in bounds.items() if fl.rpartition(".")[0] == m._meta.label)


def _restamp(model, obj, row: int) -> None:
    """The auto_now / auto_now_add columns of a saved row set apart: save() stamps them all with one instant,
    so created_at would equal updated_at on every row (and a query reading one for the other would pass).
    Each gets the row's generated datetime for its position (datagen_values._rank): rows saved at different
    times, a later column later."""
    stamps = {f.attname: field_value(f, random.Random(row), row, {}, {}) for f in model._meta.concrete_fields
              if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)}
    stamps = {k: v for k, v in stamps.items() if v is not None}
    if stamps:
        model._base_manager.filter(pk=obj.pk).update(**stamps)


def _bound_rows(model, rng, rows: int, bounds: dict, pools, used_one_to_one, used) -> list:
    """Extra unsaved rows of `model`, one per boundary value the queries compare a field with
    (boundary.literal_bounds): the field set to that value, the rest generated as usual."""
    out = []
    label = model._meta.label
    for k, (field_label, value) in enumerate((fl, v) for fl, vs in sorted(bounds.items()) for v in vs
                                              if fl.rpartition(".")[0] == label):
        field = model._meta.get_field(field_label.rpartition(".")[2])
        obj, keys = _fill(model, rng, rows + 10 + k, pools, used_one_to_one, used)
        value = field.to_python(value)
        if valid(field, value):
            continue
        setattr(obj, field.attname, value)
        out.append((obj, keys, f"{field_label} = {value}"))
    return out


def _limit_rows(model, rng, row: int, limits: list, pools, used_one_to_one, used) -> list:
    """Unsaved rows for the queries ending in `LIMIT n` over this model (boundary_rows.limit_rows), and the
    pairs tied on an ordered read's first key (tie_rows): n + 1 rows pointing at the same foreign rows as row 1
    (each foreign key's sibling_target; the last key of a unique set takes the first target whose combination
    is unused) with the query's literal conditions set, so a parameter selecting that foreign row keeps them.
    Each item is (obj, keys, what, after): `after` the auto_now columns to set once save() has stamped them."""
    out = []
    uniques = _unique_sets(model)
    own = {u[-1] for u in uniques}
    for spec in (s for s in limits if s["model"] == model._meta.label):
        shared: dict = {}
        fresh = _fresh_targets(model, spec.get("fresh", ""), pools)
        if fresh is not None and len(fresh) - 1 < spec["rows"]:
            continue
        for k in range(spec["rows"]):
            obj, _ = _fill(model, rng, row + k, pools, used_one_to_one, used)
            for f in model._meta.concrete_fields:
                pks = pools.get(f.related_model._meta.concrete_model._meta.label, []) if f.is_relation else []
                if pks and not f.one_to_one:
                    setattr(obj, f.attname, pks[k % len(pks)] if f.name in own else sibling_target(f, pks))
            if fresh:  # aggregate_ties: each row under a target of its own that no row points at yet
                setattr(obj, model._meta.get_field(fresh[0]).attname, fresh[1 + k])
            after = {}
            for name, value in spec["set"].items():
                f = model._meta.get_field(name)
                if value == SHARED:  # get_rows / tie_rows: one value on every row
                    value = shared.setdefault(name, shared_value(f, obj, row, spec.get("first", "")))
                if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                    after[f.attname] = value
                setattr(obj, f.attname, value)
            keys = _free_keys(model, obj, uniques, own, pools, used, k)
            if keys is not None:
                out.append((obj, keys, f"limit row {k + 1} of {spec['rows']}", after))
                for u, key in keys:
                    used.setdefault(u, set()).add(key)
        row += spec["rows"]
    return out


def _fresh_targets(model, column: str, pools: dict) -> list | None:
    """For a spec with "fresh" (tie_rows.aggregate_ties): [field name, target pk, ...], the targets of the
    foreign key on `column` that no row of `model` points at yet, the last generated first (the siblings
    point at the first ones); None when the spec has none, [] when the column is no foreign key."""
    if not column:
        return None
    f = next((f for f in model._meta.concrete_fields if f.column == column and f.is_relation and not f.one_to_one), None)
    if f is None:
        return []
    taken = set(model._base_manager.values_list(f.attname, flat=True))
    free = [pk for pk in reversed(pools.get(f.related_model._meta.concrete_model._meta.label, [])) if pk not in taken]
    return [f.name, *free]


def _free_keys(model, obj, uniques, own, pools, used, k: int):
    """The unique keys of `obj`, moving the last field of a clashing unique set to the next target whose
    combination is unused (two coupons of one order: `unique (order, coupon)`); None when none is."""
    def keys():
        return [(u, tuple(str(getattr(obj, model._meta.get_field(n).attname)) for n in u)) for u in uniques]

    found = keys()
    for f in (model._meta.get_field(n) for n in own):
        pks = pools.get(f.related_model._meta.concrete_model._meta.label, []) if f.is_relation else []
        for j in range(len(pks)):
            if not any(key in used.get(u, set()) for u, key in found):
                break
            setattr(obj, f.attname, pks[(k + j + 1) % len(pks)])
            found = keys()
    return None if any(key in used.get(u, set()) for u, key in found) else found


def generate(seed: int = 0, rows: int = 5, bounds: dict | None = None) -> dict:
    """Fill the database; returns {"rows": {label: n}, "skipped": [reason, ...]}. A row that fails is skipped
    with its reason; nothing here stops the run. `bounds` ("app.Model.field" -> values) adds one row per
    value (see _bound_rows)."""
    from django.apps import apps
    from django.db import models as djmodels
    from django.db import transaction

    rng = random.Random(seed)
    bounds = dict(bounds or {})
    limits = bounds.pop(LIMITS, [])
    ranges = [s for s in limits if isinstance(s.get("first"), int)]  # range_rows: added last (below)
    limits = [s for s in limits if s not in ranges]
    empty = bounds.pop(EMPTY, [])
    written = bounds.pop(FREE, None)
    models = [m for m in apps.get_models()
              if m._meta.managed and not m._meta.proxy and not m._meta.auto_created
              and m._meta.app_label not in SKIP_APPS and m._meta.label != "auth.Permission"]
    pools: dict[str, list] = {}
    for m in apps.get_models():  # rows migrate made (content types, permissions) can be pointed at
        if m._meta.managed and not m._meta.proxy and m not in models:
            try:
                pools[m._meta.label] = list(m._base_manager.order_by("pk").values_list("pk", flat=True)[:50])
            except Exception:  # noqa: BLE001 - a table migrate did not make
                pools[m._meta.label] = []
    made, skipped, used_one_to_one = {}, [], {}
    bulk: set = set()  # (label, pk) of the rows _limit_rows added

    def save(obj, keys, what: str, row: int, model, used: dict) -> bool:
        label = model._meta.label
        try:
            with transaction.atomic():
                djmodels.Model.save(obj)  # Django's save: not the project's override
                _restamp(model, obj, row)
        except Exception as exc:  # noqa: BLE001 - the database or Django refused this row
            skipped.append(f"{label} {what}: {type(exc).__name__}: {(str(exc).splitlines() or [''])[0]}")
            return False
        for u, key in keys:
            used.setdefault(u, set()).add(key)
        pools[label].append(obj.pk)
        for parent in model._meta.get_parent_list():
            pools.setdefault(parent._meta.label, []).append(obj.pk)
        made[label] = made.get(label, 0) + 1
        return True

    ordered = _order(models)
    with quiet_signals():
        for model in ordered:
            label = model._meta.label
            pools.setdefault(label, [])
            used: dict = {}
            put = functools.partial(save, model=model, used=used)

            try:
                extra = _one_to_one_extra(model, models, bounds) + sum(
                    x["rows"] for x in limits for m in models if x["model"] == m._meta.label and any(
                        f.one_to_one and f.related_model._meta.concrete_model is model for f in m._meta.concrete_fields))
                for row in range(rows + extra):
                    try:
                        obj, keys = _fill(model, rng, row, pools, used_one_to_one, used)
                    except LookupError:
                        raise
                    except Exception as exc:  # noqa: BLE001 - this row only
                        skipped.append(f"{label} row {row}: {type(exc).__name__}: "
                                       f"{str(exc).splitlines()[0] if str(exc) else ''}")
                        continue
                    put(obj, keys, f"row {row}", row)
                for k, (obj, keys, what) in enumerate(_bound_rows(model, rng, rows, bounds, pools,
                                                                  used_one_to_one, used)):
                    put(obj, keys, f"boundary row {what}", rows + 10 + k)
                for k, (obj, keys, what, after) in enumerate(_limit_rows(model, rng, rows + 100, limits, pools,
                                                                         used_one_to_one, used)):
                    if put(obj, keys, what, rows + 100 + k):
                        bulk.add((label, obj.pk))
                        if after:  # a tie on an auto_now column: the shared value, not the row's stamp
                            model._base_manager.filter(pk=obj.pk).update(**after)
            except LookupError as exc:
                skipped.append(str(exc))
            except Exception as exc:  # noqa: BLE001 - a boundary row that cannot be built
                skipped.append(f"{label} boundary rows: {type(exc).__name__}: {exc}")
        close_cycles(ordered, pools, used_one_to_one, bulk, skipped)  # keys a cycle left NULL
        for model in ordered:  # auto-created many-to-many links
            for f in model._meta.local_many_to_many:
                if not f.remote_field.through._meta.auto_created:
                    continue
                targets = pools.get(f.related_model._meta.concrete_model._meta.label, [])
                # the rows added for a LIMIT or a get() get no links: 21 more users in a group would make a read
                # of that group ordered at random noise
                linked = [pk for pk in pools.get(model._meta.label, []) if (model._meta.label, pk) not in bulk]
                for i, pk in enumerate(linked):
                    if targets and i % 3 != 0:
                        try:
                            with transaction.atomic():
                                getattr(model._base_manager.get(pk=pk), f.name).add(
                                    *rng.sample(targets, min(len(targets), i % 3)))
                        except Exception as exc:  # noqa: BLE001 - this link only
                            skipped.append(f"{model._meta.label}.{f.name} links of pk={pk}: {type(exc).__name__}: {exc}")
        add_free_targets(models, seed, rows + 900, pools, used_one_to_one, _fill, _unique_sets, save, skipped,
                         written)  # a target no row holds for a one-to-one INSERT (helpdesk's UserSettings)
        for model in ordered:  # from a generator of their own and after every other row: no other row's values move
            ranged = _limit_rows(model, random.Random(seed + 1), rows + 700, ranges, pools, used_one_to_one, {})
            for k, (obj, keys, what, _after) in enumerate(ranged):
                save(obj, keys, f"range {what}", rows + 700 + k, model, {})
        for spec in empty:  # the second database: no row meets an .exists()'s whole WHERE (exists_rows)
            try:
                apps.get_model(spec["model"])._base_manager.filter(**spec["where"]).update(**{spec["flip"]: False})
            except Exception as exc:  # noqa: BLE001 - this rule only
                skipped.append(f"{spec['model']} rows meeting {spec['where']}: {type(exc).__name__}: {exc}")
    return {"rows": made, "skipped": skipped}
