"""Constructs the compile step failed on in real apps (issue 12), each reduced to a few lines in
tests/projects/compile_constructs/shows/services.py: translated exactly on both dialects, or reported with
a reason code. A fast tier of table tests on the pure parts, then the project through analyze, then parity."""

from __future__ import annotations

import ast
import datetime
import json
import random

import pytest
import sqlglot

from conftest import REPO, run_cli

PROJECT = REPO / "tests" / "projects" / "compile_constructs"
SERVICES = "shows/services.py"


# ----------------------------------------------------------------------------- fast tier


def _stmt(sql, params):
    return {"sql": sql, "params": params, "kind": "select"}


def _dtdelta_cases():
    rnd = random.Random(0)
    texts = ["2026-11-30 12:00:00", "1969-12-31 23:59:59.500000", "1970-01-01 00:00:00.000001", "0001-01-01 00:00:00",
             "9999-12-31 23:59:59.999999", "2000-02-29 00:00:00.250000", "2000-02-29 00:00:00+00:00", "", None]
    texts += [str(datetime.datetime(1, 1, 1) + datetime.timedelta(microseconds=rnd.randrange(315537897599999999)))
              for _ in range(150)]
    deltas = [0, 1, -1, 999999, -1000000, 86400000000, None] + [rnd.randrange(-10**15, 10**15) for _ in range(3)]
    return [(t, d) for t in texts for d in deltas]


@pytest.mark.parametrize("op", ["+", "-"])
def test_sqlite_duration_arithmetic_is_djangos_own_function(op):
    """F("start") + delta on SQLite: Django adds in Python (django_format_dtdelta, registered on its own
    connections); the SQL of sqlc_dtdelta gives the same text, or fails where Django's function raises (past
    the years 1 to 9999, an empty text), on every case: boundaries, before 1970, with and without microseconds."""
    import sqlite3

    from django.db.backends.sqlite3._functions import _sqlite_format_dtdelta

    from migrator.translate import sqlc_dtdelta

    tree = sqlglot.parse_one(f"SELECT django_format_dtdelta('{op}', \"t\".\"c\", :q_d) FROM \"t\"", read="sqlite")
    sql = sqlc_dtdelta.rewrite(tree, frozenset({("t", "c")})).sql(dialect="sqlite").replace(":q_d", "?1")
    assert "django_format_dtdelta" not in sql.lower()
    db = sqlite3.connect(":memory:")
    db.execute("CREATE TABLE t (c text)")
    differ = []
    for text, delta in _dtdelta_cases():
        try:
            want = _sqlite_format_dtdelta(op, text, delta)
        except (OverflowError, TypeError):
            want = "raises"
        db.execute("DELETE FROM t")
        db.execute("INSERT INTO t VALUES (?)", (text,))
        try:
            got = db.execute(sql, (delta,)).fetchone()[0]
        except sqlite3.OperationalError:
            got = "raises"
        if got != want:
            differ.append((text, delta, want, got))
    assert not differ, differ[:5]


def test_duration_arithmetic_on_other_shapes_stays_djangos_function():
    """A date column, two datetime columns, a duration minus a datetime: left for SQLITE_DJANGO_FUNCTION."""
    from migrator.translate import sqlc_dtdelta

    for call in ("'+', \"t\".\"day\", :q_d", "'-', \"t\".\"c\", \"t\".\"c\"", "'-', :q_d, \"t\".\"c\"",
                 "'*', \"t\".\"c\", :q_d"):
        tree = sqlglot.parse_one(f"SELECT django_format_dtdelta({call}) FROM \"t\"", read="sqlite")
        assert "django_format_dtdelta" in sqlc_dtdelta.rewrite(tree, frozenset({("t", "c")})).sql(dialect="sqlite").lower()


_LEFT = 'SELECT "a_post"."id", {cols} FROM "a_post" LEFT OUTER JOIN {joined} ON ("a_post"."author_id" = {key})'


@pytest.mark.parametrize("cols, joined, key, rigid, reason", [
    # select_related over a nullable FK: a NOT NULL field whose Go type is a value (djtypes.DateTime on SQLite)
    ('"a_user"."joined"', '"a_user"', '"a_user"."id"', {("a_user", "joined")}, "LEFT_JOIN_NULLS"),
    ('"a_user"."name"', '"a_user"', '"a_user"."id"', set(), None),  # sqlc types it nullable itself
    ('T2."id"', '"a_post" T2', 'T2."id"', set(), None),  # joined twice: self-aliased, each column typed by its join
    ('COUNT("a_user"."joined")', '"a_user"', '"a_user"."id"', {("a_user", "joined")}, None),  # inside an aggregate
])
def test_left_join_columns_go_cannot_hold_null_are_reported(cols, joined, key, rigid, reason):
    """A NULL of the empty relation scanned into a Go value would fail (or read zero) where Django gives None:
    such a query is LEFT_JOIN_NULLS, never translated; the other LEFT JOIN columns are."""
    from migrator.translate.sqlc import Hints, translate
    from migrator.translate.sqlc_model import Untranslatable

    sql = _LEFT.format(cols=cols, joined=joined, key=key)
    compiled = {"site": "s", "command": "many", "result": "rows", "sentinels": [],
                "statements": [{"sql": sql, "params": [], "kind": "select"}]}
    site = {"id": "s", "function": "f", "model": "a.Post", "chain": []}
    try:
        got = translate(compiled, site, "sqlite", Hints(rigid=frozenset(rigid))).sql and None
    except Untranslatable as exc:
        got = exc.code
    assert got == reason


@pytest.mark.parametrize("dialect, expected", [
    ("sqlite", 'SELECT "a_post"."id", T2."id" FROM "a_post" AS "a_post" LEFT OUTER JOIN "a_post" AS T2 ON '
               '("a_post"."author_id" = T2."id")'),
    ("postgresql", 'SELECT "a_post"."id", T2."id" FROM "a_post" AS "a_post" LEFT OUTER JOIN "a_post" AS T2 ON '
                   '("a_post"."author_id" = T2."id")'),
    # MySQL too (LEFT_JOIN_NULLS on main); this SQL's double quotes are string literals to MySQL, as written
    ("mysql", "SELECT 'a_post'.'id', t2.'id' FROM `a_post` AS `a_post` LEFT OUTER JOIN `a_post` AS t2 ON "
              "('a_post'.'author_id' = t2.'id')"),
])
def test_a_table_joined_twice_is_self_aliased(dialect, expected):
    """sqlc matches T2's columns to the first unaliased table of the same name (the required FROM table) and
    types them NOT NULL; aliased to its own name, each occurrence types its own columns (sqlc_nulls.self_alias)."""
    from migrator.translate.sqlc import translate
    from migrator.translate.sqlc_model import Untranslatable

    sql = _LEFT.format(cols='T2."id"', joined='"a_post" T2', key='T2."id"')
    compiled = {"site": "s", "command": "many", "result": "rows", "sentinels": [],
                "statements": [{"sql": sql, "params": [], "kind": "select"}]}
    try:
        got = translate(compiled, {"id": "s", "function": "f", "model": "a.Post", "chain": []}, dialect).sql
    except Untranslatable as exc:
        got = exc.code
    assert got == expected


@pytest.mark.parametrize("dialect, expected", [
    ("sqlite", 'SELECT "a_post"."id", CAST("a_user"."joined" AS dj_datetime_text) AS "joined" FROM "a_post" LEFT OUTER '
               'JOIN "a_user" ON ("a_post"."author_id" = "a_user"."id")'),
    ("postgresql", "LEFT_JOIN_NULLS"),  # PostgreSQL types a CAST NOT NULL: no pointer to be had there
])
def test_a_value_typed_left_join_column_is_read_through_a_nullable_cast_on_sqlite(dialect, expected):
    """sqlc.yaml maps dj_datetime_text (TEXT affinity: the stored text unchanged) to *djtypes.DateTime, so the
    NULL of an empty relation is nil, as Django's None (sqlc_nulls)."""
    from migrator.translate.sqlc import Hints, translate
    from migrator.translate.sqlc_model import Untranslatable

    sql = _LEFT.format(cols='"a_user"."joined"', joined='"a_user"', key='"a_user"."id"')
    compiled = {"site": "s", "command": "many", "result": "rows", "sentinels": [],
                "statements": [{"sql": sql, "params": [], "kind": "select"}]}
    hints = Hints(rigid=frozenset({("a_user", "joined")}), rigid_types=((("a_user", "joined"), "DateTime"),))
    try:
        got = translate(compiled, {"id": "s", "function": "f", "model": "a.Post", "chain": []}, dialect, hints).sql
    except Untranslatable as exc:
        got = exc.code
    assert got == expected


def test_two_runtime_booleans_each_find_their_placeholder():
    from migrator.translate.sqlc import _bool_placeholders

    a, b = {"name": "active"}, {"name": "public"}
    stmt = _stmt('SELECT 1 FROM "t" WHERE ("t"."active" AND "t"."public" AND "t"."n" = %s)', [7])
    flips = {"active": [_stmt('SELECT 1 FROM "t" WHERE (NOT "t"."active" AND "t"."public" AND "t"."n" = %s)', [7])],
             "public": [_stmt('SELECT 1 FROM "t" WHERE ("t"."active" AND NOT "t"."public" AND "t"."n" = %s)', [7])]}
    sql, params, forced = _bool_placeholders(stmt, flips, [a, b])
    assert sql == 'SELECT 1 FROM "t" WHERE (("t"."active" = %s) AND ("t"."public" = %s) AND "t"."n" = %s)'
    assert params == [True, True, 7]
    assert forced == {0: a, 1: b}


def test_runtime_booleans_bound_as_parameters_and_as_columns():
    from migrator.translate.sqlc import _bool_placeholders

    a, b = {"name": "flag"}, {"name": "public"}
    stmt = _stmt('SELECT 1 FROM "t" WHERE ("t"."x" = %s AND "t"."public")', [True])
    flips = {"flag": [_stmt('SELECT 1 FROM "t" WHERE ("t"."x" = %s AND "t"."public")', [False])],
             "public": [_stmt('SELECT 1 FROM "t" WHERE ("t"."x" = %s AND NOT "t"."public")', [True])]}
    sql, params, forced = _bool_placeholders(stmt, flips, [a, b])
    assert sql == 'SELECT 1 FROM "t" WHERE ("t"."x" = %s AND ("t"."public" = %s))'
    assert (params, forced) == ([True, True], {0: a, 1: b})


def test_a_boolean_that_changes_more_than_its_column_stays_reported():
    from migrator.translate.sqlc import Untranslatable, _bool_placeholders

    stmt = _stmt('SELECT 1 FROM "t" WHERE "t"."d" IS NULL', [])
    flips = {"f": [_stmt('SELECT 1 FROM "t" WHERE "t"."d" IS NOT NULL', [])]}
    with pytest.raises(Untranslatable) as exc:
        _bool_placeholders(stmt, flips, [{"name": "f"}])
    assert exc.value.code == "BOOL_PARAMETER"


@pytest.mark.parametrize("part, sql", [
    ("month", "(CAST(strftime('%m', \"t\".\"c\") AS INTEGER))"),
    ("week_day", "((CAST(strftime('%w', \"t\".\"c\") AS INTEGER) + 1))"),
    ("quarter", "(((CAST(strftime('%m', \"t\".\"c\") AS INTEGER) + 2) / 3))"),
    ("week", None),  # ISO week: no strftime form in every SQLite, stays SQLITE_DJANGO_FUNCTION
])
def test_date_parts_on_sqlite(part, sql):
    from sqlglot import exp

    from migrator.translate.sqlc_rewrite import _sqlite_date_part

    col = exp.column("c", table="t", quoted=True)
    out = _sqlite_date_part("django_datetime_extract", [exp.Literal.string(part), col])
    assert (out.sql(dialect="sqlite") if out is not None else None) == sql


def test_limit_and_offset_are_named_before_a_sqlite_list():
    """sqlc numbers LIMIT/OFFSET after a WHERE list, whose items then took their numbers (SLICE_ORDER)."""
    import sqlglot
    from sqlglot import exp

    from migrator.translate.sqlc_rewrite import _slices_last

    tree = sqlglot.parse_one('SELECT "t"."id" FROM "t" WHERE "t"."s" IN (1) ORDER BY "t"."id" LIMIT 1 OFFSET 2',
                             read="sqlite")
    tree.find(exp.In).set("expressions", [exp.Var(this="sqlc.slice(status)")])
    tree.args["limit"].set("expression", exp.Var(this="sqlc.arg(size)"))
    tree.args["offset"].set("expression", exp.Var(this="sqlc.arg(skip)"))
    assert _slices_last(tree).sql(dialect="sqlite") == (
        'SELECT "t"."id" FROM "t" WHERE (CAST(sqlc.arg(size) AS INTEGER) IS NULL OR CAST(sqlc.arg(skip) AS INTEGER) '
        'IS NULL OR 1 = 1) AND ("t"."s" IN (sqlc.slice(status))) ORDER BY "t"."id" LIMIT sqlc.arg(size) OFFSET '
        'sqlc.arg(skip)')


def test_a_parameter_after_a_sqlite_list_in_a_subquery_or_a_flag_is_named_first():
    """oauth2_provider: a subquery's WHERE with its lists before `user_id = ?`; machina: an optional list's flag
    after another list (SLICE_ORDER on main). The subquery's conjuncts are ordered like the outer WHERE's; a
    parameter read only through a cast is named first through the same cast (its type kept)."""
    import sqlglot
    from sqlglot import exp

    from migrator.translate.sqlc_rewrite import _slices_last

    def tree(sql, slices, args):
        t = sqlglot.parse_one(sql, read="sqlite")
        for node, name in zip([n for n in t.find_all(exp.In) if not n.args.get("query")], slices):
            node.set("expressions", [exp.Var(this=f"sqlc.slice({name})")])
        for node, text in zip(list(t.find_all(exp.Placeholder)), args):
            node.replace(exp.Var(this=text))
        return t

    sub = tree('SELECT "r"."id" FROM "r" WHERE "r"."t" IN (SELECT U0."id" FROM "t" AS U0 WHERE (U0."g" IN (1) AND '
               'U0."c" IN (1) AND U0."u" = ?))', ["grants", "types"], ["sqlc.arg(user_value)"])
    assert _slices_last(sub).sql(dialect="sqlite") == (
        'SELECT "r"."id" FROM "r" WHERE "r"."t" IN (SELECT U0."id" FROM "t" AS U0 WHERE (U0."u" = sqlc.arg(user_value) '
        'AND U0."g" IN (sqlc.slice(grants)) AND U0."c" IN (sqlc.slice(types))))')
    flag = tree('SELECT "p"."id" FROM "p" WHERE (("p"."f" IS NULL OR "p"."f" IN (1)) AND (? OR "p"."c" IN (1)))',
                ["forums", "codes"], ["NOT CAST(sqlc.arg(codes_present) AS BOOLEAN)"])
    assert _slices_last(flag).sql(dialect="sqlite") == (
        'SELECT "p"."id" FROM "p" WHERE (CAST(sqlc.arg(codes_present) AS BOOLEAN) IS NULL OR 1 = 1) AND ((("p"."f" '
        'IS NULL OR "p"."f" IN (sqlc.slice(forums))) AND (NOT CAST(sqlc.arg(codes_present) AS BOOLEAN) OR "p"."c" '
        'IN (sqlc.slice(codes)))))')
    bare = tree('SELECT "p"."id" FROM "p" WHERE (("p"."f" IN (1) OR "p"."g" = ?) AND ("p"."c" IN (1) OR "p"."h" = ?))',
                ["forums", "codes"], ["sqlc.arg(g)", "sqlc.arg(h)"])
    with pytest.raises(Exception) as exc:  # a bare parameter after a list: no cast says its type, still refused
        _slices_last(bare)
    assert getattr(exc.value, "code", "") == "SLICE_ORDER"


@pytest.mark.parametrize("body, found", [
    ("q = Q(a=1)\nreturn M.objects.filter(q)", "Q(a=1)"),
    ("q = Q(a=1)\nif x:\n    q |= Q(b=2)\nreturn M.objects.filter(q)", None),  # augmented: decided at run time
    ("if x:\n    q = Q(a=1)\nelse:\n    q = Q(b=2)\nreturn M.objects.filter(q)", None),  # bound in branches
    ("q = Q(a=1)\nq.add(Q(b=2), Q.AND)\nreturn M.objects.filter(q)", None),  # changed in place
    ("if x:\n    q = Q(a=1)\nreturn M.objects.filter(q)", None),  # the binding does not enclose the site
])
def test_a_name_is_followed_only_when_bound_once_before_the_site(body, found):
    from migrator.load import bindings

    text = "def f(x):\n" + "".join(f"    {line}\n" for line in body.splitlines())
    tree = ast.parse(text)
    fn = tree.body[0]
    site_line = len(text.splitlines())
    binds = bindings._binds(fn, "q")
    stmt = next((n for n in ast.walk(fn) if isinstance(n, ast.Assign) and n.targets[0] is binds[0]), None) \
        if len(binds) == 1 else None
    ok = stmt is not None and bindings._enclosing_block(fn, stmt, site_line) and not any(
        isinstance(n, ast.Attribute) and getattr(n.value, "id", "") == "q" for n in bindings._own_nodes(fn))
    assert (ast.unparse(stmt.value) if ok else None) == found


@pytest.mark.parametrize("body, followed", [
    ("spec = {'a': x, 'b': 1}\nreturn M.objects.get(**spec)", {"spec": ["a", "b"]}),
    ("spec = {'a': x}\nM.objects.filter(**spec).exists()\nreturn M(**spec)", {"spec": ["a"]}),
    ("spec = {'a': x}\nspec['b'] = 2\nreturn M.objects.get(**spec)", {}),  # grown in place
    ("spec = {'a': x}\nspec.update(b=2)\nreturn M.objects.get(**spec)", {}),  # changed through a method
    ("spec = {'a': x}\nfill(spec)\nreturn M.objects.get(**spec)", {}),  # handed to a function
    ("if x:\n    spec = {'a': x}\nelse:\n    spec = {'b': x}\nreturn M.objects.get(**spec)", {}),  # bound twice
    ("spec = {k: x}\nreturn M.objects.get(**spec)", {}),  # a key computed at run time
    ("spec = {'a__in': x, **more}\nreturn M.objects.get(**spec)", {}),  # ** inside the display
    ("spec = {'a b': x}\nreturn M.objects.get(**spec)", {}),  # not a keyword
    ("spec = dict(a=x)\nreturn M.objects.get(**spec)", {}),  # not a display
])
def test_a_kwargs_dict_is_followed_only_when_nothing_can_change_it(body, followed):
    import libcst as cst

    from migrator.load.scan_kwargs import _literal_keys, kwarg_dicts

    fn = cst.parse_module("def f(x, more):\n" + "".join(f"    {line}\n" for line in body.splitlines())).body[0]
    assert {n: _literal_keys(d) for n, d in kwarg_dicts(fn).items()} == followed


@pytest.mark.parametrize("method, keyword, source, reason", [
    ("update_or_create", "defaults", "cls._unpack_fields(**entry)", "DYNAMIC_KWARGS"),
    ("get_or_create", "defaults", "values", "DYNAMIC_KWARGS"),
    ("get_or_create", "defaults", "{'a': x}", None),
    ("get_or_create", "defaults", "None", None),
    ("annotate", "h", "Case(*[When(tz=t, then=F('x')) for t in zones], default=F('x'))", "DYNAMIC_FIELD"),
    ("annotate", "h", "Case(When(tz='UTC', then=F('x')), default=F('x'))", None),
    ("filter", "*", "[Q(a=t) for t in ts]", None),  # a top-level unpacking: classified by its kind elsewhere
])
def test_a_runtime_shape_inside_an_argument(method, keyword, source, reason):
    from migrator.ir import Arg
    from migrator.load.scan_kwargs import runtime_shape

    got = runtime_shape(method, Arg(kind="runtime", source=source, keyword=keyword, names=("x",)))
    assert (str(got) if got is not None else None) == reason


def test_a_string_stand_in_a_validating_field_refuses_is_one_of_its_choices():
    """django-timezone-field's TimeZoneField refuses 'zq6x' in Python (celery_beat's CrontabSchedule.timezone)."""
    from django.core.exceptions import ValidationError
    from django.db import models

    from migrator.load.sentinels import _accepted

    class Zone(models.CharField):
        def get_prep_value(self, value):
            if value not in ("UTC", "Europe/Paris", "Asia/Tokyo"):
                raise ValidationError(f"Invalid timezone {value!r}")
            return value

    zones = Zone(max_length=20, choices=[("UTC", "UTC"), ("Europe/Paris", "Paris"), ("Asia/Tokyo", "Tokyo")])
    assert [_accepted(zones, "zq1x", k) for k in (1, 2, 3)] == ["Europe/Paris", "Asia/Tokyo", "UTC"]
    assert _accepted(models.CharField(max_length=5), "zq1x", 1) == "zq1x"



def test_a_json_stand_in_a_validating_field_refuses_takes_a_shape_it_accepts():
    """oauth2_provider's ResourceJSONField refuses {"sentinel": k} in get_db_prep_value ("Resource must be a list
    of URI strings"): its AccessToken update_or_create was COMPILE_FAILED instead of its true reason."""
    import json as _json
    from types import SimpleNamespace

    from django.core.exceptions import ValidationError
    from django.db import models

    from migrator.load.sentinels import _json_accepted

    class Texts(models.JSONField):
        def get_db_prep_value(self, value, connection, prepared=False):
            if not isinstance(value, list) or not all(isinstance(x, str) for x in value):
                raise ValidationError("Resource must be a list of URI strings")
            return super().get_db_prep_value(value, connection, prepared)

    class Number(models.JSONField):
        def get_prep_value(self, value):
            if not isinstance(value, int):
                raise ValidationError("a number")
            return value

    conn = SimpleNamespace(ops=SimpleNamespace(adapt_json_value=lambda v, enc: _json.dumps(v, cls=enc)))
    assert _json_accepted(Texts(), {"sentinel": 3}, 3, conn) == ["zq3x"]
    assert _json_accepted(Number(), {"sentinel": 4}, 4, conn) == 73_100_004
    assert _json_accepted(models.JSONField(), {"sentinel": 5}, 5, conn) == {"sentinel": 5}


# ----------------------------------------------------------------------------- the project


@pytest.fixture(scope="module")
def constructs():
    """The sqlc step on the project, as `analyze --sqlc` runs it: per site line, {dialect: query names or
    (reason, detail)}, and every translated query."""
    from migrator.analyze import sqlc_options, translation_status
    from migrator.emit.manifest import sqlc_section
    from migrator.load import compile_sites, load_project

    project = load_project(PROJECT, schema=True)
    compiled = compile_sites(project)
    options = sqlc_options(project, {}, compiled)
    status, _summary = translation_status(sqlc_section(options.sqlc.queries, options.sqlc.skipped), project)
    lines = {s.id: s.line for s in project.querysets if s.file == SERVICES}
    out: dict[int, dict] = {}
    for sid, per in status.items():
        if sid in lines:
            out[lines[sid]] = {d: v["queries"] if "queries" in v else (v["reason"], v["detail"]) for d, v in per.items()}
    queries = [q for qs in options.sqlc.queries.values() for q in qs]
    return out, queries


def _line(fn: str) -> int:
    tree = ast.parse((PROJECT / SERVICES).read_text())
    f = next(n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef) and n.name == fn)
    return f.body[-1].lineno


@pytest.mark.parametrize("fn", [
    "same_day",      # obj.start.date(): a method call, not the datetime.date constructor
    "at_doors",      # a TimeField value (a string stand-in before)
    "in_month",      # runtime __year and __month
    "on_parts",      # runtime __day, __week_day, __quarter (a field named `day` beside start__day)
    "matching",      # Q objects held in variables, combined with |
    "open_shows",    # a module-level Q constant
    "first_show",    # qs[0]: NEEDS_DATABASE before
    "add_note",      # reverse foreign key create(): the key was NULL
    "tag_show",      # M2M add() of a row whose key is text
    "new_tag",       # create() with a primary key the caller sets: no RETURNING
    "flagged",       # two runtime booleans in one call
    "show_type",     # ContentType.objects.get_for_model(Model)
    "type_of",       # ContentType.objects.get_for_model(obj)
    "current_site",  # Site.objects.get_current()
    "nothing",       # none(): Django sends no SQL; the Go query returns no row either
    "either",        # union() of a QuerySet written in the argument (NOT_YET_TRANSLATED before)
    "with_notes",    # Exists(M.objects.filter(... OuterRef ...)): one query, not a runtime value
    "noted",         # id__in=M.objects.filter(...).values(...): a subquery
    "poster_revisions",  # a parent's reverse FK on a multi-table child: EmptyResultSet before
    "poster_shows",      # a parent's M2M on a multi-table child: PARAMETER_NOT_FOUND before
    "listed",            # a Q from a project manager method (postman's perms): DYNAMIC_Q before
    "retitle",           # bulk_update(): NOT_YET_TRANSLATED before (auditlog)
    "by_spec",           # get(**spec), spec a dict with literal keys built once: DYNAMIC_KWARGS before (celery_beat)
    "noted_local",       # notes = M.objects...; filter(id__in=notes): QUERYSET_AS_VALUE before
    "noted_local_q",     # the same subquery inside a Q
    "untag",             # M2M clear(): NOT_YET_TRANSLATED before
    "with_note_shows",   # prefetch_related("notes__show"): NESTED_PREFETCH before
    "poster_tags",       # prefetch_related("shows__tags") on a multi-table child: a parent's M2M first
    "notes_with_show",   # prefetch over a forward foreign key: `id = one key` on SQLite before (a list given as one)
    "show_with_notes",   # get() with a prefetch: the related rows' query was :one (the first note only) before
    "total_length",      # SUM of a DurationField (parity on PostgreSQL: a 4-field interval struct from Go before)
    "postpone",          # F("start") + a runtime timedelta: SQLITE_DJANGO_FUNCTION on SQLite before (sqlc_dtdelta)
    "distinct_titles",   # distinct() ordered by a column it does not return: DISTINCT_ORDER before (sqlc_distinct)
])
@pytest.mark.slow
def test_construct_is_translated_on_both_dialects(constructs, fn):
    sites, _queries = constructs
    got = sites[_line(fn)]
    assert all(isinstance(got.get(d), list) and got[d] for d in ("sqlite", "postgresql")), got


@pytest.mark.parametrize("fn, sqlite_reason", [
    # an annotation compared with a runtime datetime: an int stand-in (COMPILE_FAILED) before; on SQLite the
    # parameter sits in HAVING, which sqlc's SQLite engine leaves as `sqlc.arg()` text (a Go function without it)
    ("stale_titles", ("SQLC_REJECTED", "a parameter in HAVING")),
])
@pytest.mark.slow
def test_construct_is_translated_on_postgresql_and_reported_on_sqlite(constructs, fn, sqlite_reason):
    sites, _queries = constructs
    got = sites[_line(fn)]
    assert isinstance(got["postgresql"], list) and got["postgresql"], got
    assert got["sqlite"][0] == sqlite_reason[0] and sqlite_reason[1] in got["sqlite"][1], got


@pytest.mark.parametrize("fn, reason, detail", [
    ("widened", "DYNAMIC_Q", "`q` is not a Q object the tool can follow"),
    ("new_board", "SAVE_OVERRIDE", "shows.models.Board.save (shows/models.py:42)"),
    ("retag", "NOT_YET_TRANSLATED", "set() reads the current links and chooses in Python"),
    # a Q parameter of a project manager method given a runtime value: COMPILE_FAILED (TypeError) before
    ("shows", "DYNAMIC_Q", "`self.filter` is given to titled()'s `filter: Q`"),
    # a JSONField validating in get_db_prep_value: COMPILE_FAILED with an object stand-in (session 13), then
    # translated into an INSERT Go runs while Django refuses it (b502c8c, reverted): Django's value is not Go's
    ("grant", "FIELD_CONVERSION", "shows.Grant.resource (shows.models.URIList.get_db_prep_value)"),
])
@pytest.mark.slow
def test_construct_is_reported(constructs, fn, reason, detail):
    sites, _queries = constructs
    got = sites[_line(fn)]
    for d in ("sqlite", "postgresql"):
        assert got[d][0] == reason and detail in got[d][1], got


@pytest.mark.parametrize("fn, reason", [
    ("by_grown_spec", "DYNAMIC_KWARGS"),  # spec["day"] = day under an if: the lookups are decided at run time
    ("by_defaults", "DYNAMIC_KWARGS"),    # defaults=values: the columns written are decided at run time
])
@pytest.mark.slow
def test_a_runtime_shape_is_dynamic_at_the_scanner(fn, reason):
    from migrator.load import load_project

    project = load_project(PROJECT)
    line = _line(fn)
    assert [(q.kind, q.reason) for q in project.querysets if q.file == SERVICES and q.line == line] == [
        ("dynamic", reason)]


@pytest.mark.parametrize("fn", [
    "noted_where",    # `notes` refined under an `if`
    "noted_maybe",    # `notes` bound in both branches
    "noted_rebound",  # `text`, read by the subquery, bound again before the outer query
])
@pytest.mark.slow
def test_a_subquery_held_in_a_variable_the_outer_site_cannot_inline_stays_reported(fn):
    """The subquery is not one the outer site can be compiled with: inlining its code would change the query."""
    from migrator.load import load_project

    project = load_project(PROJECT)
    line = _line(fn)
    outer = [(q.kind, q.reason) for q in project.querysets if q.file == SERVICES and q.line == line
             and q.root == "Show.objects"]
    assert outer == [("unsupported", "QUERYSET_AS_VALUE")]


@pytest.mark.slow
def test_translated_sql_is_exact(constructs):
    _sites, translated = constructs
    queries = {(q.name, q.dialect): q for q in translated}
    new_tag = queries[("NewTagTagCreate", "postgresql")]
    assert new_tag.command == "exec" and "RETURNING" not in new_tag.sql
    note = queries[("AddNoteNoteCreate", "sqlite")]
    assert note.sql.startswith('INSERT INTO "shows_note" ("show_id", "text") VALUES (sqlc.arg(show_id), sqlc.arg(text))')
    flagged = queries[("FlaggedShowFilter", "postgresql")]
    assert '("shows_show"."active" = sqlc.arg(active)) AND ("shows_show"."public" = sqlc.arg(public))' in flagged.sql
    assert "EXTRACT(MONTH FROM" in queries[("InMonthShowFilter", "postgresql")].sql
    site = queries[("CurrentSiteSiteGetCurrent", "sqlite")]
    assert '"django_site"."id" = 1' in site.sql and not site.params
    kinds = [q.part for q in translated if q.name.startswith("TypeOfContentTypeGetForModel") and q.dialect == "sqlite"]
    assert kinds == ["1/2 select", "2/2 insert"]
    assert [p.source for p in queries[("TypeOfContentTypeGetForModelSelect", "sqlite")].params] == [
        "obj._meta.concrete_model._meta.app_label", "obj._meta.concrete_model._meta.model_name"]
    assert '"shows_show"."id" IS NULL' in queries[("NothingShowNone", "postgresql")].sql
    bulk = queries[("RetitleShowBulkUpdate", "postgresql")]  # the one-row statement, run per row by the caller
    assert bulk.command == "execrows" and [p.name for p in bulk.params] == ["pk", "title", "day"]
    assert bulk.sql == (
        'UPDATE "shows_show" SET "title" = CAST((CASE WHEN ("shows_show"."id" = sqlc.arg(pk)) THEN sqlc.arg(title) '
        'ELSE NULL END) AS VARCHAR(100)), "day" = CAST((CASE WHEN ("shows_show"."id" = sqlc.arg(pk)) THEN '
        'sqlc.arg(day) ELSE NULL END) AS DATE) WHERE "shows_show"."id" IN (sqlc.arg(pk))')
    clear = queries[("UntagTagClear", "postgresql")]
    assert (clear.command, clear.sql) == ("execrows", 'DELETE FROM "shows_show_tags" WHERE "shows_show_tags"."show_id" = '
                                                      'sqlc.arg(show_id)')
    forward = [(queries[("NotesWithShowNotePrefetchRelatedSelect2", d)].sql.split(" WHERE ")[1]) for d in ("sqlite", "postgresql")]
    assert forward == ['"shows_show"."id" IN (sqlc.slice(show_ids))', '"shows_show"."id" = ANY(sqlc.arg(show_ids)::bigint[])']
    nested = queries[("WithNoteShowsShowPrefetchRelatedSelect3", "postgresql")]  # the shows of the notes of the shows
    assert nested.sql.endswith('WHERE "shows_show"."id" = ANY(sqlc.arg(notes_show_ids)::bigint[])')
    got = [(q.part, q.command) for q in translated if q.site.endswith(f":{_line('show_with_notes')}:12")
           and q.dialect == "postgresql"]
    assert got == [("1/2 select", "one"), ("2/2 select", "many")], got
    spec = queries[("BySpecShowGet", "sqlite")]
    assert '("shows_show"."day" = sqlc.arg(day) AND "shows_show"."title" = sqlc.arg(title))' in spec.sql
    assert [p.source for p in spec.params] == ["show.day", "show.title"]
    stale = queries[("StaleTitlesShowValuesList", "postgresql")]  # the datetime compared with MAX(start)
    assert 'HAVING MAX("shows_show"."start") <= sqlc.arg(before)' in stale.sql
    assert [(p.name, p.kind) for p in stale.params] == [("before", "datetime")]
    postpone = queries[("PostponeShowUpdate", "postgresql")]  # start + a runtime timedelta: an interval parameter
    assert sorted((p.name, p.kind) for p in postpone.params) == [("delta", "duration"), ("pk", "int")], postpone.params
    assert '"shows_show"."start" + sqlc.arg(delta)::interval' in postpone.sql  # sqlc types it an interval
    on_sqlite = queries[("PostponeShowUpdate", "sqlite")]  # Django's django_format_dtdelta, in SQLite's own SQL
    assert "django_format_dtdelta" not in on_sqlite.sql and "CAST(sqlc.arg(delta) AS dj_duration)" in on_sqlite.sql
    tag = queries[("TagShowTagAddInsert", "sqlite")]  # add(tag): the related row's key, text here
    assert [(p.name, p.kind) for p in tag.params] == [("show_id", "int"), ("tag", "str")]


@pytest.mark.slow
@pytest.mark.parametrize("dialect", ["sqlite", "postgresql"])
def test_translated_constructs_pass_parity(tmp_path, request, dialect):
    """Generated data, Django and the generated Go on the same database: every translated query agrees (on
    PostgreSQL a TimeField parameter and column are sqlc's pgtype.Time, which has no JSON form: sqlccheck
    failed to decode `at_doors`'s parameter before)."""
    report = tmp_path / "parity.json"
    extra = ["--database", request.getfixturevalue("postgres_server").url("constructs")] if dialect == "postgresql" \
        else []
    proc = run_cli("parity", str(PROJECT), "--only", "queries", "--json", str(report), *extra)
    data = json.loads(report.read_text())
    failed = [c for c in data["cases"] if c["status"] == "failed"]
    # new_tag inserts a primary key the caller chooses: parity's write data takes each value from rows that exist
    # (migrator/parity/values.py write_param_sets), so both sides refuse it the same way and nothing is compared
    # -- a limit of the harness's data, not a difference; every other translated query must agree
    unwritable = [c for c in failed if c["name"].startswith("NewTagTagCreate ") and
                  c["detail"].startswith("both sides failed the same way (integrity)")]
    assert failed == unwritable and proc.returncode == (1 if failed else 0), proc.stdout + proc.stderr
    summary = data["summary"]["queries"]
    assert summary["passed"] >= 100, summary


def test_a_table_joined_twice_is_not_self_aliased_where_a_parameter_reads_an_alias():
    """sqlc's parameter typing looks the alias up and fails once the table is also aliased to its own name
    (`table alias "t2" does not exist`: tests/projects/corpus_regressions children_of): that SELECT stays as it was."""
    from migrator.translate.sqlc_nulls import self_alias

    sql = 'SELECT "n"."id" FROM "n" INNER JOIN "n" T2 ON ("n"."p" = T2."id") WHERE T2."name" = ?'
    assert self_alias(sqlglot.parse_one(sql, read="sqlite")).sql(dialect="sqlite") == \
        'SELECT "n"."id" FROM "n" INNER JOIN "n" AS T2 ON ("n"."p" = T2."id") WHERE T2."name" = ?'
    sql = 'SELECT "n"."id" FROM "n" LEFT OUTER JOIN "n" T2 ON ("n"."p" = T2."id") WHERE "n"."name" = ?'
    assert 'FROM "n" AS "n"' in self_alias(sqlglot.parse_one(sql, read="sqlite")).sql(dialect="sqlite")
