"""Keys a cycle of references left NULL, pointed at rows once every model is filled.

datagen._order breaks a cycle at a nullable key, so the model filled first finds no row of its target and
every one of its rows holds NULL there: oauth2_provider's AccessToken.source_refresh_token (RefreshToken
points back at AccessToken), machina's Topic.first_post / last_post (Post points at its Topic). A read
compared on those columns then sees NULL on both sides of any mutant: `source_refresh_token_id = ?1 LIMIT 1`
-> `LIMIT 0`, `first_post_id` read for `last_post_id`, an on_delete step of the deleted row's referrers all
survived. After the last model, each such key of the rows but the first (row 0 keeps every nullable field
NULL) points at a target row: the k-th row at the (k + field's rank)-th target, so two keys of one model to
one table differ; a one-to-one key at a target no row holds yet, each once.

A CASCADE key is set too: rows that cascade to each other (wiki's Article.current_revision and
ArticleRevision.article, as every real wiki holds) are what a delete meets; the generated Go delete helpers
collect each row once, as Django's Collector does (templates/gorm/delete.go.j2).
"""

from __future__ import annotations


def cycle_keys(ordered) -> list:
    """(model, field) for each nullable key whose target model is filled after the model (``ordered``: the
    fill order): the keys its rows were given NULL for want of a target."""
    position = {m._meta.label: i for i, m in enumerate(ordered)}
    out = []
    for i, model in enumerate(ordered):
        for f in model._meta.concrete_fields:
            if not (f.is_relation and f.null and f.related_model is not None) or f.remote_field.parent_link:
                continue
            if position.get(f.related_model._meta.concrete_model._meta.label, -1) > i:
                out.append((model, f))
    return out


def assign(rows: list, targets: list, taken: set, one_to_one: bool, rank: int) -> dict:
    """row pk -> target pk for the NULL rows ``rows`` (in pk order; the first keeps NULL). A one-to-one key
    takes each target not in ``taken`` once, from the (rank)-th on."""
    if one_to_one:
        free = [t for t in targets if t not in taken]
        free = free[rank % len(free):] + free[:rank % len(free)] if free else []
        return dict(zip(rows[1:], free))
    return {pk: targets[(k + rank) % len(targets)] for k, pk in enumerate(rows[1:], start=1)} if targets else {}


def close_cycles(ordered, pools: dict, used_one_to_one: dict, bulk: set, skipped: list) -> None:
    """Point the keys of cycle_keys(ordered) at rows (the rows added for a LIMIT, ``bulk``, are left as they
    are); an update the database refuses is added to ``skipped`` with its reason."""
    from django.db import transaction

    for model, f in cycle_keys(ordered):
        label = model._meta.label
        mine = [pk for pk in pools.get(label, []) if (label, pk) not in bulk]
        nulls = list(model._base_manager.filter(pk__in=mine, **{f"{f.attname}__isnull": True})
                     .order_by("pk").values_list("pk", flat=True))
        taken = used_one_to_one.setdefault(f, set()) if f.one_to_one else set()
        targets = list(pools.get(f.related_model._meta.concrete_model._meta.label, []))
        for pk, target in assign(nulls, targets, taken, f.one_to_one, model._meta.concrete_fields.index(f)).items():
            try:
                with transaction.atomic():
                    model._base_manager.filter(pk=pk).update(**{f.attname: target})
            except Exception as exc:  # noqa: BLE001 - this key of this row only
                skipped.append(f"{label} pk={pk} {f.name} (a key a cycle left NULL): {type(exc).__name__}: "
                               f"{(str(exc).splitlines() or [''])[0]}")
                continue
            if f.one_to_one:
                taken.add(target)
