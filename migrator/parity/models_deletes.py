"""Which rows the models check deletes besides the last free one (checks_models.build_ops): the row most rows point
at through a relation whose on_delete lets the delete happen, the row most rows protect (both sides must refuse it),
and a row each SET_NULL-like relation reaches, so every on_delete rule of the schema runs on both sides."""

from __future__ import annotations


def most_referenced(label: str, pks: list, models: dict, dump: dict, protected: bool = False):
    """The pk among `pks` that the most rows point at through a relation whose on_delete lets the delete
    happen (CASCADE, SET_NULL...), and that no row protects (PROTECT/RESTRICT); None when there is none.
    With `protected`, the pk most rows protect: both sides must refuse its delete (session 11: the last row
    was protected by nothing, so a GORM helper that skipped its PROTECT check survived)."""
    counts: dict = {}
    guarded: dict = {}  # pk -> how many rows protect it
    for other, f in _relations_to(label, models):
        for r in dump.get(other, []):
            v = r.get(f.name)
            if v not in pks:
                continue
            if f.relation.on_delete in _PROTECT:
                guarded[v] = guarded.get(v, 0) + 1
            else:
                counts[v] = counts.get(v, 0) + 1
    if protected:
        held = sorted(guarded, key=str)
        return max(held, key=lambda k: guarded[k]) if held else None
    free = sorted((k for k in counts if k not in guarded), key=str)
    return max(free, key=lambda k: counts[k]) if free else None


_NOT_CASCADE = ("SET_NULL", "SET_DEFAULT", "SET", "DO_NOTHING")
_PROTECT = ("PROTECT", "RESTRICT")


def _relations_to(label: str, models: dict) -> list:
    """(model label, field) of each relation to `label` other than many-to-many, the models in label order."""
    return [(other, f) for other in sorted(models) for f in models[other].fields
            if f.relation and f.relation.kind != "many_to_many" and f.relation.target == label]


def through_each_relation(label: str, free: list, models: dict, dump: dict, chosen: set) -> list:
    """For each relation to `label` whose on_delete is not CASCADE nor a protection (SET_NULL, SET_DEFAULT, SET,
    DO_NOTHING) and that no row of `chosen` is referenced through: a pk of `free` it references (the one it references
    most), no row protects, and no earlier choice took. Session 12: the user deleted had no review, so review.user's
    SET_NULL turned into CASCADE survived as a GORM mutant."""
    relations = _relations_to(label, models)
    guarded = {r.get(f.name) for other, f in relations if f.relation.on_delete in _PROTECT for r in dump.get(other, [])}
    taken, out = set(chosen) - {None}, []
    for other, f in relations:
        if f.relation.on_delete not in _NOT_CASCADE:
            continue
        counts: dict = {}
        for r in dump.get(other, []):
            if r.get(f.name) is not None:
                counts[r.get(f.name)] = counts.get(r.get(f.name), 0) + 1
        if any(pk in counts for pk in taken):
            continue  # a delete already reaches a row through this relation
        options = sorted((pk for pk in counts if pk in free and pk not in guarded), key=str)
        if options:
            out.append(max(options, key=lambda k: counts[k]))
            taken.add(out[-1])
    return out
