"""Django's result for a QuerySet case, in the JSON form parity compares (the `querysets` command of
django_side): the chain interpreted with the case's values (migrator.load.compile.evaluate), every value
turned into plain JSON (``plain``: decimals, datetimes in UTC, durations as ISO 8601, bytes as base64, a
model instance as its columns), rows in the SQL's column order (select_related columns included). Runs
inside the Django process, after django_side.setup.
"""

from __future__ import annotations

import datetime
import json

from migrator.codec import encode


def duration_iso(value) -> str:
    """A duration's one representation in parity (IR, dumps, operations, query parameters and results):
    Django's ISO 8601 duration_iso_string, which djtypes.Duration marshals and unmarshals."""
    from django.utils.duration import duration_iso_string

    return duration_iso_string(value)

def _python_value(kind: str, v):
    import decimal
    import uuid as uuidlib

    from django.utils.dateparse import parse_date, parse_datetime

    if v is None:
        return None
    if isinstance(v, list):
        return [_python_value(kind, x) for x in v]
    if kind == "decimal":
        return decimal.Decimal(str(v))
    if kind == "date":
        return parse_date(v)
    if kind == "datetime":
        return parse_datetime(v)
    if kind == "uuid":
        return uuidlib.UUID(v)
    if kind == "duration":
        from django.utils.dateparse import parse_duration

        return parse_duration(v) if isinstance(v, str) else datetime.timedelta(microseconds=v)
    return v


def plain(v):
    """A Django result value in JSON form (the test normalises both sides from here)."""
    tagged = encode(v, utc=True, duration=duration_iso, binary=True)  # migrator.codec
    if tagged is not None:
        return tagged
    if hasattr(v, "_meta") and hasattr(v, "pk"):  # a model instance inside a result: its columns
        return _row(v)
    if isinstance(v, (list, tuple)):
        return [plain(x) for x in v]
    if isinstance(v, dict):
        return {k: plain(x) for k, x in v.items()}
    return v


def _row(obj) -> list:
    if isinstance(obj, dict):
        return [plain(v) for v in obj.values()]
    if isinstance(obj, tuple):
        return [plain(v) for v in obj]
    if hasattr(obj, "_meta"):
        deferred = obj.get_deferred_fields()
        return [plain(getattr(obj, f.attname)) for f in obj._meta.concrete_fields if f.attname not in deferred]
    return [plain(obj)]


def _related_row(obj, width: int) -> list:
    """A model instance with the objects select_related joined in, in the SQL's column order (forward
    relations in field order, depth first, then reverse one-to-ones), when the SELECT read `width`
    columns; the instance's own fields when the related objects do not account for them exactly."""
    own = _row(obj)
    if not hasattr(obj, "_meta") or len(own) == width:
        return own
    annotated = own + _annotations(obj)  # annotate(): Django selects it after the fields, sets it on the instance
    if len(annotated) == width:
        return annotated
    seen = {id(obj)}

    def expand(o, model, extra: list = ()) -> list:
        if o is None:
            return [None] * len(model._meta.concrete_fields)
        seen.add(id(o))
        out = _row(o) + list(extra)  # the root's annotations come before the joined columns
        related = [f for f in model._meta.concrete_fields if f.is_relation]
        related += [r for r in model._meta.related_objects if r.one_to_one]
        for f in related:
            if f.is_cached(o):
                target = f.get_cached_value(o)
                if id(target) not in seen:  # not back along the relation just followed
                    out += expand(target, f.related_model)
        return out

    full = expand(obj, type(obj), annotated[len(own):])
    if len(full) != width:
        seen = {id(obj)}
        full = expand(obj, type(obj))
    return full if len(full) == width else own


def _annotations(obj) -> list:
    """The values annotate() set on a model instance: ModelIterable sets them after the loaded fields, in the
    SELECT's order (an instance from only("id") with an annotation is its id and the annotation, as in SQL)."""
    fields = {f.attname for f in obj._meta.concrete_fields}
    return [plain(v) for k, v in vars(obj).items() if not k.startswith("_") and k not in fields]


def _read_width():
    """A context manager recording the column count of every SELECT Django runs (cursor.description)."""
    from django.db import connection

    widths: list[int] = []

    def wrapper(execute, sql, params, many, context):
        res = execute(sql, params, many, context)
        desc = getattr(context.get("cursor"), "description", None)
        widths.append(len(desc) if desc else 0)
        return res

    return connection.execute_wrapper(wrapper), widths


def _rows(result) -> list:
    """Each row in the SQL's column order. For model instances, the columns Django read (with its converters)
    rather than the instance's fields: the columns select_related joined in are compared too."""
    from django.db.models.query import ModelIterable, QuerySet

    if isinstance(result, QuerySet) and result._iterable_class is ModelIterable and not result._prefetch_related_lookups:
        compiler = result.query.get_compiler(using=result.db)
        return [[plain(v) for v in row] for row in compiler.results_iter()]
    return [_row(r) for r in result]


# methods Django runs only inside a transaction (TransactionManagementError in autocommit): the view that
# calls them is inside transaction.atomic(), so the harness evaluates such a site, results read, in one too
NEEDS_TRANSACTION = frozenset({"select_for_update"})


def site_transaction(site: dict):
    """transaction.atomic() for a site whose chain needs one (select_for_update), else a no-op context."""
    import contextlib

    from django.db import transaction

    chain = site.get("chain", []) if isinstance(site, dict) else []
    if any(c.get("method") in NEEDS_TRANSACTION for c in chain):
        return transaction.atomic()
    return contextlib.nullcontext()


def first_select(site: dict) -> dict:
    """A site marked ``first_select`` (checks_queries.lookup_site): ``get_for_model(x)`` as the first statement
    Django's ContentTypeManager runs, ``get(app_label=..., model=...)`` with x's meta (load.canonical rewrites
    the call into the get_or_create of those values; the get is its first statement)."""
    from django.apps import apps

    from migrator.load.canonical import canonical_chain

    manager = getattr(apps.get_model(site["model"]), site.get("manager") or "objects")
    *body, last = canonical_chain(site, manager)
    if last["method"] != "get_or_create":
        raise ValueError(f"{site['id']}: {site['chain'][0]['method']}() is not Django's get_for_model")
    return {k: v for k, v in site.items() if k != "first_select"} | {"chain": [*body, {**last, "method": "get"}]}


def _evaluate_case(site: dict, values: dict) -> dict:
    """Django's result for one case, read completely (a lazy QuerySet runs here, inside the caller's transaction)."""
    from django.db.models import QuerySet

    from migrator.load.compile import evaluate

    if isinstance(site, dict) and site.get("first_select"):  # a test stands a name in for a site
        site = first_select(site)
    wrapper, widths = _read_width()
    with wrapper:
        kind, result = evaluate(site, values)
    if kind == "rows":
        ordered = bool(result.ordered) if isinstance(result, QuerySet) else True
        return {"rows": _rows(result), "ordered": ordered}
    if kind in ("get", "first", "last", "earliest", "latest"):
        return {"row": _related_row(result, widths[-1] if widths else 0)} if result is not None else {"none": True}
    if kind == "aggregate":
        return {"row": [plain(v) for v in result.values()]}
    return {"value": plain(result)}


def _statements(case: dict, values: dict) -> list:
    """Django's rows of later statements of the sequence a site runs (prefetch_related queries): the site
    evaluated once with its values while every statement is recorded, then per SQL of case["statements"]
    (Django's SQL of that part, its `IN (...)` list of any length) the first recorded statement of that
    shape, run again through the model of its table (`Model.objects.raw`, so Django's converters apply):
    {"rows", "ordered", "params"} (the parameters Django bound, which the Go side is given), or
    {"absent": why} when the site did not run it (no parent row) or it is not one table's columns."""
    from django.db import connection

    seen: list = []

    def wrapper(execute, sql, params, many, context):
        seen.append((sql, list(params or ())))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(wrapper):
        try:
            _evaluate_case(case["site"], values)
        except Exception:  # noqa: BLE001 - a get() that found nothing runs no later statement
            pass
    return [_recorded(want, seen) for want in case["statements"]]


def _recorded(want: str, seen: list) -> dict:
    import re

    from django.apps import apps

    def shape(sql: str) -> str:  # an `IN (...)` of any length; Django writes one id as `= %s`, and a forward
        # foreign key's prefetch on PostgreSQL as a tuple: `("t"."id") IN ((%s), (%s))`
        sql = re.sub(r"\(([`\"]\w+[`\"]\.[`\"]\w+[`\"])\) IN \(\(%s\)(?:, \(%s\))*\)", r"\1 IN (%s)", sql)
        sql = re.sub(r"IN \((?:%s(?:, )?)+\)", "IN (%s)", sql)
        return sql if sql == want else re.sub(r"([`\"]\w+[`\"]\.[`\"]\w+[`\"]) = %s", r"\1 IN (%s)", sql)

    found = next(((sql, params) for sql, params in seen if shape(sql) == want), None)
    if found is None:
        return {"absent": "Django did not run this statement for these values"}
    sql, params = found
    table = re.match(r'SELECT .*? FROM [`"](\w+)[`"]', sql, re.S)
    model = next((m for m in apps.get_models() if table and m._meta.db_table == table.group(1)), None)
    columns = re.findall(r'[`"](\w+)[`"]\.[`"](\w+)[`"]', sql[:table.end()]) if table else []
    if model is None or [c for _t, c in columns] != [f.column for f in model._meta.concrete_fields] \
            or {t for t, _c in columns} != {table.group(1)} or sql.count("%s") != len(params):
        return {"absent": "not the columns of one model: not compared"}
    rows = [_row(obj) for obj in model._base_manager.raw(sql, params)]
    return {"rows": rows, "ordered": "ORDER BY" in sql, "params": [plain(p) for p in params]}


def assign(model, obj, values: dict) -> None:
    """Each field (by name) of `obj` set from its JSON value (dates and durations parsed, bytes from base64)."""
    from django.utils.dateparse import parse_date, parse_datetime, parse_duration

    for name, value in values.items():
        f = model._meta.get_field(name)
        if f.many_to_many:
            continue
        t = f.get_internal_type()
        if value is not None:
            if t == "DateTimeField":
                value = parse_datetime(value)
            elif t == "DateField":
                value = parse_date(value)
            elif t == "DurationField":
                value = parse_duration(value) if isinstance(value, str) else datetime.timedelta(microseconds=value)
            elif t == "BinaryField" and isinstance(value, str):
                import base64

                value = base64.b64decode(value)
        setattr(obj, f.attname, value)


def insert_row(spec: dict) -> dict:
    """One object of spec["model"] with spec["fields"] written as the INSERT of a get_or_create / update_or_create
    (``save(force_insert=True)``, what their create path runs) or of a bulk_create (``bulk_create([obj])``):
    parity.insert_alone's case. Its result is the new primary key."""
    from django.apps import apps

    model = apps.get_model(spec["model"])
    obj = model()
    assign(model, obj, spec["fields"])
    if spec["method"] == "bulk_create":
        model._default_manager.bulk_create([obj])
    elif model._meta.parents:  # a multi-table child's INSERT names its own table: that INSERT alone (save() first
        # writes the parent row it points at, an UPDATE with the blank object's values: wiki's ArticleSubscription
        # raised NOT NULL on wiki_articleplugin.created where Go's child INSERT, the statement compared, succeeded)
        from django.db import router

        obj._save_table(cls=model, force_insert=True, using=router.db_for_write(model, instance=obj))
    else:
        obj.save(force_insert=True)
    return {"value": plain(obj.pk)}


def querysets(cases: list[dict]) -> list:
    """Each case: {"site": <site dict>, "values": {name: value}, "kinds": {name: kind}} -> Django's result;
    with "statements": later statements of the site's sequence (_statements: a list, one result each)."""
    out = []
    for case in cases:
        # each case stands alone: an exception anywhere in it (the chain, a model's __str__ or property,
        # turning the result into JSON) is that case's result, compared with the Go side's
        try:
            values = {k: _python_value(case["kinds"].get(k, ""), v) for k, v in case["values"].items()}
            if "insert" in case:  # parity.insert_alone: the INSERT alone, one object
                entry = insert_row(case["insert"])
            else:
                with site_transaction(case["site"]):
                    entry = _statements(case, values) if "statements" in case else _evaluate_case(case["site"], values)
            out.append(json.loads(json.dumps(entry, ensure_ascii=False, default=str)))  # a FieldFile: its name
        except Exception as exc:  # noqa: BLE001 - compared with the Go side's error
            out.append({"error": f"{type(exc).__name__}: {_message(exc)}"})
    return out


def _message(exc: BaseException) -> str:
    try:
        return str(exc)
    except Exception:  # noqa: BLE001 - an exception whose own message fails
        return repr(type(exc))
