"""Django compiles, we translate: each QuerySet site's SQL as Django executes it, per dialect.

Runs inside the loader worker after django.setup(). For every static or conditional site the chain
is interpreted (known methods, literals, Q/F and django.db.models expressions; never ``eval``),
every runtime argument becomes a typed *sentinel* value, and the QuerySet is compiled by Django's own
compiler for an offline connection of each dialect. Terminal methods run with the compilers'
``execute_sql`` intercepted, so what is captured is exactly the SQL Django would send. Each bound
parameter is then traced back to the sentinel (and so the source argument) it came from, including
the values Django transforms in Python first (LIKE patterns, year bounds, UUID hex on SQLite).
"""

from __future__ import annotations

import ast
import datetime
import json
from dataclasses import dataclass, field
from typing import Any, Optional

from django.core.exceptions import FieldError
from django.db import models

from ..codec import encode
from ..querysets import QUERYSET_METHODS
from .capture import Capture, capture
from .compile_cache import recorded
from .compile_prefetch import prefetch_levels
from .compile_saves import compile_with_saves
from .canonical import NotCanonical, canonical_chain
from .interpret import Interpreter
from .isolate import CompileTimeout, compile_timeout, isolated, progress_writer, time_limit
from .schema import NoConnection, offline_connection
from .sentinels import NotTranslated, Sentinel, Sentinels, Values

__all__ = ["NotTranslated", "Sentinels", "Values", "Interpreter", "compile_site", "compile_sites", "evaluate"]


@dataclass
class Compiled:
    site: str
    dialect: str
    statements: list[Capture] = field(default_factory=list)
    sentinels: list[Sentinel] = field(default_factory=list)
    command: str = "many"  # one | many | exec | execrows | execlastid
    columns: list[str] = field(default_factory=list)
    result: str = "rows"  # rows | scalar | instance
    error: str = ""
    reason: str = ""
    raised: list = field(default_factory=list)  # conditional calls Django refused, left out (_run_body)


TERMINALS_ONE = {"get": "one", "first": "one", "last": "one", "earliest": "one", "latest": "one", "index": "one"}
TERMINALS_MANY = {"in_bulk": "many"}  # in_bulk(ids): the rows of those keys (a dict by key in Python)
RELATED_WRITES = ("create", "get_or_create", "update_or_create", "add", "remove")
TERMINALS_SCALAR = {"count", "exists", "aggregate", "contains"}  # contains(obj): exists() on obj's pk
# bulk_update: the one-row statement, run per row (load.compile_writes); clear(): a related manager's one
# DELETE of the join rows (M2M) or UPDATE ... SET fk = NULL (a nullable reverse foreign key)
TERMINALS_WRITE = {"update": "execrows", "delete": "execrows", "create": "one", "bulk_update": "execrows",
                   "clear": "execrows"}
# set(objs) reads the current links and chooses in Python which to remove and which to add: its statements
# depend on the data, not on the call
NOT_YET_WHY = {"set": "set() reads the current links and chooses in Python which to remove and which to add: its "
                      "statements depend on the data (clear(), add() and remove() are translated)"}
NOT_YET = {"set", "iterator", "explain", "dates", "datetimes"}
# Terminals that run a sequence of statements (each becomes its own query, in order).
SEQUENCES = {"get_or_create": "one", "update_or_create": "one", "add": "exec", "remove": "execrows",
             "bulk_create": "exec"}


def _write_cut_short(terminal: str, captured: list) -> bool:
    """A write whose Python raised before it sent its write: only its reads were captured (update_or_create's
    SELECT when a field's get_prep_value raised on the INSERT), so translating them would read and never write."""
    writes = terminal in TERMINALS_WRITE or terminal in SEQUENCES or terminal in RELATED_WRITES
    return writes and all(c.kind == "select" for c in captured)


def _is_index(call: dict) -> bool:
    """``qs[0]`` (a row), not ``qs[:10]`` (a QuerySet)."""
    if call["method"] != "[]" or not call["args"]:
        return False
    return not isinstance(ast.parse(f"x[\n{call['args'][0]['source']}\n]", mode="eval").body.slice, ast.Slice)


def _run_body(interp: "Interpreter", site: dict, alias: Optional[str],
              raised: Optional[list] = None) -> tuple[Any, list[dict], str, tuple]:
    """The QuerySet (or manager) the terminal call applies to, after every refinement of the chain.

    Returns (qs, chain, terminal, ends): the chain with contrib-manager calls rewritten (load.canonical), its
    terminal method ("index" for ``qs[0]``, "iter" for a whole evaluation), and the methods that end a chain.
    A related manager's own writes (create, add...) run on the manager: its QuerySet does not set the key.
    ``raised`` (compiling): a call under an ``if`` that Django refuses (FieldError: django-nyt's mark_read filters
    on a field its model does not have) is left out and recorded there: the query is the other paths' (on the
    path that makes it, Python raises), and the view reader refuses a path whose test may hold."""
    manager = interp.base()
    try:
        chain = canonical_chain(site, manager)
    except NotCanonical as exc:
        raise NotTranslated(exc.code, str(exc)) from exc
    qs = manager
    if hasattr(qs, "get_queryset"):
        qs = qs.get_queryset() if not site.get("related_from") else qs.all()
    if alias:
        qs = qs.using(alias)
    terminal = chain[-1]["method"] if chain else "iter"
    if terminal == "[]" and _is_index(chain[-1]):
        terminal = "index"
    own = manager.db_manager(alias) if alias else manager
    if len(chain) == 1 and (terminal in ("add", "remove", "clear") or site.get("related_from") and terminal in RELATED_WRITES):
        qs = own  # related-manager methods live on the manager
    ends = (*TERMINALS_ONE, *TERMINALS_SCALAR, *TERMINALS_WRITE, *SEQUENCES, *TERMINALS_MANY, "iter")
    body = chain[:-1] if terminal in ends else chain
    for i, c in enumerate(body):
        # a manager's own method (a tree manager's root_nodes()) is not on its QuerySet
        target = own if i == 0 and not hasattr(qs, c["method"]) and hasattr(own, c["method"]) else qs
        made = len(interp.s.items)
        try:
            qs = interp.call(target, c)
        except FieldError as exc:
            if raised is None or not c.get("condition"):
                raise
            raised.append({"condition": c["condition"], "line": c.get("line", 0), "error": f"FieldError: {exc}"})
            del interp.s.items[made:]  # its arguments reach no SQL
            continue
        if alias and isinstance(qs, models.QuerySet):
            qs = qs.using(alias)
    return qs, chain, terminal, ends


def compile_site(site: dict, dialect: str, flip_bools: bool | str = False, probe: str = "") -> Compiled:
    from django.db import connections

    result = Compiled(site=site["id"], dialect=dialect)
    conn = offline_connection(dialect)
    # compile as inside transaction.atomic(): select_for_update and get_or_create's savepoint need it
    conn.in_atomic_block = True
    conn.autocommit = False
    conn.savepoint = lambda: "s1"
    conn.savepoint_commit = conn.savepoint_rollback = lambda sid: None
    conn.needs_rollback = False
    conn.get_autocommit = lambda: False
    conn.validate_no_broken_transaction = lambda: None
    alias = conn.alias
    connections[alias] = conn
    sentinels = Sentinels(flip_bools, probe)
    interp = Interpreter(site, sentinels, alias)
    for c in site["chain"]:
        if c["method"] in NOT_YET:
            raise NotTranslated("NOT_YET_TRANSLATED", NOT_YET_WHY.get(c["method"], f"{c['method']}() is not translated "
                                                                                    "to sqlc yet"))
    early: list[Capture] = []
    with capture(conn, early):
        qs, chain, terminal, ends = _run_body(interp, site, alias, result.raised)
    if early:
        method = next((c["method"] for c in chain if c["method"] not in QUERYSET_METHODS), chain[0]["method"])
        raise NotTranslated("CUSTOM_QUERIES", f"{method}() runs {len(early)} statement(s) of its own Python code "
                            "before the chain is evaluated: which ones is decided by that code")
    if terminal == "delete" and isinstance(qs, models.QuerySet) and type(qs).delete is models.QuerySet.delete:
        from django.db.models.deletion import Collector

        if not Collector(using=alias).can_fast_delete(qs):
            # Django's collector emulates on_delete in Python: the rows are selected here and deleted
            # by the generated GORM helper, which reproduces the collector (see docs/gorm.md).
            sql, params = qs.values_list("pk", flat=True).query.get_compiler(using=alias).as_sql()
            result.statements = [Capture(sql, tuple(params), "select")]
            result.sentinels = sentinels.items
            result.command, result.result = "many", "delete_ids"
            return result
    if terminal == "in_bulk" and not chain[-1]["args"]:
        terminal = "iter"  # in_bulk() with no ids: every row of the QuerySet, keyed by pk in Python
    if terminal == "bulk_create":
        return _bulk_create(result, qs, alias, conn, sentinels)
    captured: list[Capture] = []
    with capture(conn, captured):
        if terminal == "iter" or terminal not in ends:
            if isinstance(qs, models.QuerySet):
                compiler = qs.query.get_compiler(using=alias)
                sql, params = compiler.as_sql()
                captured.append(Capture(sql, tuple(params), "select", extra_select=compiler.has_extra_select,
                                        columns=compiler.col_count if compiler.has_extra_select else 0))
                result.command = "many"
                result.result = "rows"
            else:
                raise NotTranslated("UNSUPPORTED_TERMINAL", "the chain does not end in a QuerySet")
        else:
            try:
                interp.call(qs, chain[-1])  # what it returns is fake; the SQL it sent is what counts
            except qs.model.DoesNotExist:
                pass
            except NotTranslated:
                raise
            except Exception as exc:  # noqa: BLE001 - what Django raises on a fake empty result
                if not captured:
                    raise NotTranslated("COMPILE_FAILED", f"{type(exc).__name__}: {exc}") from exc
                if _write_cut_short(terminal, captured):
                    raise NotTranslated("COMPILE_FAILED", f"{terminal}() raised {type(exc).__name__} in Python after "
                                        f"its SELECT, before its write ({exc}): its reads alone are not the write"
                                        ) from exc
            result.command = TERMINALS_ONE.get(terminal) or TERMINALS_WRITE.get(terminal) or "one"
            result.result = "instance" if terminal in TERMINALS_ONE or terminal == "create" else "scalar"
            if terminal in TERMINALS_MANY:
                result.command, result.result = TERMINALS_MANY[terminal], "rows"
            if terminal == "create" and captured and captured[-1].kind == "insert" and \
                    " RETURNING " not in captured[-1].sql.upper():
                result.command = "exec"  # a primary key the caller sets (not auto): Django reads nothing back
            if terminal in SEQUENCES:
                result.command, result.result = SEQUENCES[terminal], "sequence"
            if terminal == "update_or_create":
                _update_path(qs, chain[-1], interp, captured)
    if terminal == "delete" and any(c.kind == "select" for c in captured):
        raise NotTranslated("CASCADE_DELETE", "delete() runs Django's collector: use the generated GORM Delete helper")
    if not captured:
        raise NotTranslated("NO_STATEMENT", f"{terminal}() sent no SQL")
    if any(c.extra_select and not c.columns for c in captured):
        raise NotTranslated("DISTINCT_ORDER", "distinct() ordered by a column it does not return: Django selects the "
                            "ordering column too and drops it from each row, so the query returns a column the "
                            "Django rows do not have")
    prefetches = [a for c in chain if c["method"] == "prefetch_related" for a in c["args"]]
    if any(not (a["kind"] == "literal" and isinstance(a.get("value"), str)) for a in prefetches):
        raise NotTranslated("UNSUPPORTED_EXPRESSION", "prefetch_related() of a Prefetch object or a runtime value: "
                            "its query is not translated")
    if prefetches:  # prefetch_related: a query per relation and level, keyed by the ids of the level above
        captured += [cap for a in prefetches for cap in prefetch_levels(qs.model, a["value"], alias, conn, sentinels)]
        result.result = "sequence"
    if len(captured) != 1 and result.result != "sequence":
        raise NotTranslated("MULTIPLE_STATEMENTS", f"{terminal}() runs {len(captured)} statements")
    result.statements = captured
    result.sentinels = sentinels.items
    return result


def _bulk_create(result: Compiled, qs, alias: str, conn, sentinels: Sentinels) -> Compiled:
    """bulk_create(objs): the INSERT Django runs per batch, here for one row (every value a parameter)."""
    model = qs.model
    obj = model()
    for f in model._meta.concrete_fields:
        if f.primary_key and f.auto_created or getattr(f, "auto_created", False):
            continue
        if f.is_relation:
            setattr(obj, f.attname, 1)
    captured: list[Capture] = []
    with capture(conn, captured):
        try:
            model._default_manager.db_manager(alias).bulk_create([obj])
        except Exception as exc:  # noqa: BLE001 - the fake result after the INSERT
            if not captured:
                raise NotTranslated("COMPILE_FAILED", f"{type(exc).__name__}: {exc}") from exc
    result.statements = [c for c in captured if c.kind == "insert"][:1]
    result.sentinels = []
    result.command, result.result = "exec", "sequence"
    return result


def _update_path(qs, call: dict, interp: Interpreter, captured: list[Capture]) -> None:
    """update_or_create's other branch: the row exists, its defaults are saved (UPDATE ... WHERE pk)."""
    kwargs = {a["keyword"]: interp.literal_or_sentinel(a, qs.model, a["keyword"], False)
              for a in call["args"] if a["keyword"] not in ("", "*", "**")}
    defaults = kwargs.pop("defaults", {}) or {}
    obj = qs.model(pk=interp.s.make("pk", "the existing row's primary key", qs.model._meta.pk, "exact", False))
    obj._state.adding = False
    obj._state.db = qs.db
    for k, v in defaults.items():
        setattr(obj, k, v)
    auto = [f.name for f in qs.model._meta.concrete_fields if getattr(f, "auto_now", False)]
    try:
        obj.save(using=qs.db, update_fields=list(defaults) + auto)
    except Exception:  # noqa: BLE001 - Django complains that the fake UPDATE touched no row
        pass


def compile_sites(sites: list[dict], dialects: tuple[str, ...], root: str = "",
                  progress: Optional[str] = None) -> list[dict]:
    """Every site for every dialect, in the order of ``sites`` then ``dialects``; the dialects on two cores.

    Each site compiles isolated and bounded (see load.isolate). With ``progress`` (a directory), each
    dialect appends to ``<progress>/<dialect>.jsonl`` a line when a site starts and one with its result:
    the parent process sees where a stuck worker was, and keeps what was done before it."""
    from ..parallel import in_parallel

    per_dialect = in_parallel(lambda d: _compile_dialect(sites, d, root, progress), list(dialects), work=len(sites))
    return [per_dialect[j][i] for i in range(len(sites)) for j in range(len(dialects))]


def _compile_dialect(sites: list[dict], dialect: str, root: str = "", progress: Optional[str] = None) -> list[dict]:
    import os

    out = []
    with progress_writer(os.path.join(progress, f"{dialect}.jsonl") if progress else None) as write:
        for site in sites:
            write(json.dumps({"start": site["id"]}))
            out.append(recorded(_compile_one, site, dialect, root))  # load.compile_cache: what it ran
            write(json.dumps({"done": out[-1]}))
    return out


def _compile_one(site: dict, dialect: str, root: str = "") -> dict:
    """One site, isolated: signals recorded not delivered, side effects refused, time bounded."""
    receivers: list[str] = []
    effects: list[str] = []
    writers: list[str] = []
    try:
        with isolated(root, receivers, effects, writers), time_limit(compile_timeout(), root):
            out = compile_with_saves(site, dialect, root, _compile_plain)
    except CompileTimeout as exc:
        return {"site": site["id"], "dialect": dialect, "reason": "COMPILE_TIMEOUT", "error": str(exc)}
    if effects:
        return {"site": site["id"], "dialect": dialect, "reason": "SIDE_EFFECT",
                "error": "compiling it tried to act outside the process (refused): " + "; ".join(effects[:3])}
    if writers and "reason" not in out:
        return {"site": site["id"], "dialect": dialect, "reason": "RECEIVER_WRITES", "receivers_not_run": receivers,
                "error": "a signal receiver of this write changes rows in Python, which the query alone would not: "
                         + "; ".join(writers[:3])}
    if receivers:
        out["receivers_not_run"] = receivers
    return out


def _compile_plain(site: dict, dialect: str, probe: str = "") -> dict:
    try:
        c = compile_site(site, dialect, flip_bools=bool(probe), probe=probe)
        out = {"site": site["id"], "dialect": dialect, "command": c.command, "result": c.result,
               "statements": _statements(c),
               "sentinels": [{"name": s.name, "source": s.source, "kind": s.kind, "value": _sentinel_json(s),
                              "optional": s.optional, "is_list": s.is_list, "field": s.field} for s in c.sentinels]}
        if c.raised:
            out["raised"] = c.raised
        if probe:  # load.compile_saves compares the statements only
            return out
        bools = [s.name for s in c.sentinels if s.kind == "bool"]
        # a runtime boolean looks like every literal True: compiled again with it False, the
        # difference shows where it went (a parameter, or `col` against `NOT col`); several: one at a time
        for name in bools:
            try:
                flipped = _statements(compile_site(site, dialect, flip_bools=name if len(bools) > 1 else True))
            except Exception:  # noqa: BLE001 - without it the site stays BOOL_PARAMETER
                continue
            if len(bools) == 1:
                out["flipped"] = flipped
            else:
                out.setdefault("flipped_each", {})[name] = flipped
        return out
    except NotTranslated as exc:
        return {"site": site["id"], "dialect": dialect, "reason": exc.code, "error": str(exc)}
    except NoConnection as exc:
        return {"site": site["id"], "dialect": dialect, "reason": "NEEDS_DATABASE",
                "error": f"Django needs a live database to run this: {exc}"}
    except Exception as exc:  # noqa: BLE001 - Django refused the chain: report it, go on
        return {"site": site["id"], "dialect": dialect, "reason": "COMPILE_FAILED",
                "error": f"{type(exc).__name__}: {exc}"}


def _statements(c: Compiled) -> list[dict]:
    return [{"sql": s.sql, "params": [_jsonable(p) for p in s.params], "kind": s.kind, **({"rows": s.rows} if s.rows else {}),
             **({"columns": s.columns} if s.columns else {})}
            for s in c.statements]


def _sentinel_json(s) -> Any:
    """A JSONField stand-in is tagged whatever its shape (a list one validating field takes: load.sentinels),
    so translate.sqlc_match finds it in the JSON text Django binds."""
    if s.kind == "json" and not s.is_list and not isinstance(s.value, dict):
        return {"json": s.value}
    return _jsonable(s.value)


def _jsonable(v: Any) -> Any:
    if isinstance(v, (list, tuple)):
        return [_jsonable(x) for x in v]
    if isinstance(v, (str, int, float, bool)) or v is None:
        return v
    if isinstance(v, datetime.time):  # a TimeField stand-in (not a tag of migrator.codec's)
        return {"time": v.isoformat()}
    tagged = encode(v)  # migrator.codec: the one tagged-value encoding
    if tagged is not None:
        return tagged
    if isinstance(v, dict):
        return {"json": v}
    if type(v).__name__ == "Jsonb" and hasattr(v, "obj"):  # psycopg's JSON adapter (PostgreSQL)
        return {"json": v.obj}
    return {"repr": repr(v)}


def evaluate(site: dict, values: dict[str, Any]) -> Any:
    """Run a site's chain through Django with real values and return its result."""
    interp = Interpreter(site, Values(values))
    qs, chain, terminal, ends = _run_body(interp, site, None)
    if terminal == "iter" or terminal not in ends:
        return ("rows", qs)
    if terminal == "index":  # qs[0]: one row, or IndexError where get() raises DoesNotExist
        try:
            return ("get", interp.call(qs, chain[-1]))
        except IndexError:
            return ("get", None)
    if terminal in TERMINALS_MANY:
        return ("rows", list(interp.call(qs, chain[-1]).values()))
    try:
        return (terminal, interp.call(qs, chain[-1]))
    except qs.model.DoesNotExist:
        return (terminal, None)
