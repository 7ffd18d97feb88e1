"""Declared rules of parity's data: values no caller can pass, which parity does not ask for.

1. A value past the range of its column's integer type.

The boundary sets step each number of the data by one (parity.boundary): the largest value of an IntegerField
that the generated data fills to its limit, 2147483647, gives 2147483648. Django binds it and compares (the
column cannot hold it: no row matches); the Go parameter has the column's type (int32 for an integer column,
sqlc on PostgreSQL) and cannot even receive it, so the call fails before any query (celery_beat's
IntervalSchedule.every, wiki's ArticleForObject.object_id). Neither side can store such a value, and no caller
holding the column's Go type can pass it, so the set is not a case: it is dropped, not compared. The range is
the column's storage type (smallint, integer, bigint), by the field's internal type, signed: a negative value
for a PositiveIntegerField is still tried (Go holds it, both sides find nothing). Fields of other types, and
parameters without a field, are not limited here.

2. A value a field refuses in Python before any query: a string that names no time zone for django-timezone-field's
TimeZoneField (celery_beat's CrontabSchedule.timezone). Django raises ValidationError when it prepares the
lookup; the Go query takes any string and finds no row. A caller of the Go query passes a zone it read from a row
or validated, as Django's forms do; so the value that matches no row is a valid zone no row holds
(``no_match_value``), and both sides answer the same way. (Go does not refuse an invalid zone: a caller that
passes unvalidated text sees "no row" where Django raised.)
"""

from __future__ import annotations

INT16 = (-(2 ** 15), 2 ** 15 - 1)
INT32 = (-(2 ** 31), 2 ** 31 - 1)
INT64 = (-(2 ** 63), 2 ** 63 - 1)
STORAGE = {"SmallIntegerField": INT16, "PositiveSmallIntegerField": INT16, "SmallAutoField": INT16,
           "IntegerField": INT32, "PositiveIntegerField": INT32, "AutoField": INT32,
           "BigIntegerField": INT64, "PositiveBigIntegerField": INT64, "BigAutoField": INT64}


def _fits(value, limits: tuple[int, int]) -> bool:
    values = value if isinstance(value, list) else [value]
    return all(not isinstance(v, int) or isinstance(v, bool) or limits[0] <= v <= limits[1] for v in values)


def within_columns(sets: list[dict], query, field_types: dict | None) -> list[dict]:
    """The parameter sets whose every integer fits its field's column type (the rule above)."""
    limits = {p.sentinel: STORAGE[field_types[p.field]] for p in query.params
              if p.kind == "int" and p.field and (field_types or {}).get(p.field) in STORAGE}
    if not limits:
        return sets
    return [s for s in sets if all(_fits(v, limits[k]) for k, v in s.items() if k in limits and v is not None)]


# field class name -> valid values that the generated data does not use (the first one no row holds is taken)
VALID_UNUSED = {"TimeZoneField": ("Antarctica/Troll", "Pacific/Chatham")}


def field_type(internal_type: str, field_class: str) -> str:
    """The type parity's value rules key on: the field class's name when a rule of its own applies (rule 2),
    else Django's internal type."""
    name = field_class.rpartition(".")[2]
    return name if name in VALID_UNUSED else internal_type


def no_match_value(field_type_: str, default):
    """A value the field accepts that matches no row (rule 2), or None when the field has no such rule."""
    for v in VALID_UNUSED.get(field_type_, ()):
        if v != default:
            return v
    return None
