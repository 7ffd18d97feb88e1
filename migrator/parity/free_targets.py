"""One row more of each model a one-to-one key points at, when every row of it is taken (issues 18 and 12).

datagen gives a model pointed at one-to-one as many rows as the model pointing at it (a profile per user), and
each one-to-one row takes a target of its own: afterwards no user is free, so an INSERT of that model
(helpdesk's `UserSettings.objects.create(user=...)`) is refused the same way on both sides (unique user_id)
and is never compared; write_sets.target_value looks for a target no row holds and finds none. Here, once
every model is generated, such a target gets one more row, generated as usual from its own random stream (the
rows before it are unchanged) with the signals still muted (no receiver writes the profile of the new user),
and no row points at it. Only for the one-to-one keys of a model some query INSERTs into on its own
(bounds_file's FREE list): the sample's `Profile.objects.get_or_create(user=...)` INSERT, compared alone
(insert_alone), gets a user without a profile."""

from __future__ import annotations

import random

FREE = "free"  # the key of bounds_file's models an INSERT writes (no model label lacks a dot)


def inserted_models(queries) -> list[str]:
    """The labels (sorted) of the models the queries INSERT into: each INSERT is compared on its own, a
    get_or_create's (`2/2 insert`) too (insert_alone), so each needs a free target."""
    return sorted({q.model for q in queries if q.sql.lstrip().upper().startswith("INSERT")})


def full_targets(models, pools: dict, taken, written=None) -> list[str]:
    """Labels (sorted, each once) of the targets of one-to-one keys (not a multi-table parent link) whose
    every row is taken: `pools` label -> pks of its rows, `taken(model, field)` -> the target pks the
    model's rows hold; `written`: the labels of the models an INSERT writes, the only keys looked at (None:
    every model's). A target with no rows, or outside `models`, is left alone (a generated row would not
    help: its own keys found no target)."""
    labels = {m._meta.label for m in models}
    out: set[str] = set()
    for m in (m for m in models if written is None or m._meta.label in written):
        for f in m._meta.concrete_fields:
            if not f.is_relation or not f.one_to_one or f.remote_field.parent_link:
                continue
            target = f.related_model._meta.concrete_model._meta.label
            pks = pools.get(target, [])
            if target in labels and pks and not {str(p) for p in pks} - {str(t) for t in taken(m, f)}:
                out.add(target)
    return sorted(out)


def taken_in_db(model, field) -> set:
    """The target pks the rows of `model` hold in the one-to-one `field` (none when its table cannot be read)."""
    try:
        return set(model._base_manager.exclude(**{f"{field.attname}__isnull": True})
                   .values_list(field.attname, flat=True))
    except Exception:  # noqa: BLE001 - a table migrate did not make: no row is added for it
        return set()


def held_keys(model, unique_sets) -> dict:
    """For each unique set of `model`, the value combinations its rows hold (datagen's `used`), read back."""
    used: dict = {}
    for u in unique_sets(model):
        names = [model._meta.get_field(n).attname for n in u]
        used[u] = {tuple(map(str, vals)) for vals in model._base_manager.values_list(*names)
                   if all(v is not None for v in vals)}
    return used


def add_free_targets(models, seed: int, row: int, pools: dict, used_one_to_one: dict, fill, unique_sets,
                     save, skipped: list, written=None) -> None:
    """One generated row for each full_targets label: `fill(model, rng, row, pools, used_one_to_one, used)`
    builds it (datagen._fill), `save(obj, keys, what, row, model=..., used=...)` writes it (and records a
    refusal); a row that cannot be built is added to `skipped` with its reason. `written`: as full_targets."""
    from django.apps import apps

    by_label = {m._meta.label: m for m in models}
    for k, label in enumerate(full_targets(models, pools, taken_in_db, written)):
        model = by_label.get(label) or apps.get_model(label)
        try:
            obj, keys = fill(model, random.Random(seed * 7919 + k), row + k, pools, used_one_to_one,
                             held_keys(model, unique_sets))
        except Exception as exc:  # noqa: BLE001 - this row only
            skipped.append(f"{label} free one-to-one target: {type(exc).__name__}: {exc}")
            continue
        save(obj, keys, "free one-to-one target", row + k, model=model, used={})
