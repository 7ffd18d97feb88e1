"""The sqlc translator's values: a query and its parameters, the reasons a site gets none, parameter names."""

from __future__ import annotations

from dataclasses import dataclass, field

from .naming import snake

# Parameter names sqlc cannot take in ``sqlc.arg(name)``, renamed with the suffix ``_value`` (checked with sqlc
# 1.31.1, one query per name): PostgreSQL's reserved and type/function-name keywords; the words sqlc's SQLite
# parser reads as literals or keywords; and the locals of the Go sqlc writes (a parameter `rows` or `err`
# redeclares them). The older entries (date, key, value...) are kept so names stay stable.
SQL_WORDS = frozenset("""
    all analyse analyze and any array as asc asymmetric both case cast check collate column constraint create
    current_catalog current_date current_role current_time current_timestamp current_user default deferrable desc
    distinct do else end except false fetch for foreign from grant group having in initially intersect into lateral
    leading limit localtime localtimestamp not null offset on only or order placing primary references returning
    select session_user some symmetric table then to trailing true union unique user using variadic when where
    window with
    authorization binary collation concurrently cross current_schema freeze full ilike inner is isnull join left
    like natural notnull outer overlaps right similar tablesample verbose
    nothing others ties
    ctx err items rows
    key value values date time year
""".split())


def param_name(raw: str) -> str:
    name = snake(raw) or "arg"
    return name + "_value" if name in SQL_WORDS else name


ARRAY_TYPES = {"int": "bigint", "str": "text", "uuid": "uuid", "decimal": "numeric", "date": "date",
               "datetime": "timestamptz", "float": "double precision", "bool": "boolean", "duration": "interval",
               "time": "time"}


# Why a static or conditional site got no query (sqlc/UNTRANSLATED.md), and what a person does about it.
REASONS = {
    "NOT_YET_TRANSLATED": ("a method the sqlc step does not translate yet (bulk_update, clear, set, union...)",
                           "write the query by hand in a .sql file next to sqlc/queries, or use the GORM models"),
    "UNKNOWN_METHOD": ("a custom manager method the step cannot call (create_user...)",
                       "port the method: usually a GORM create with the values it computes"),
    "CASCADE_DELETE": ("a delete() whose rows Django deletes with its collector",
                       "select the ids and call the generated models.Delete<Model> helper"),
    "LEFT_JOIN_NULLS": ("the query reads columns of a LEFT OUTER JOIN whose Go type cannot be NULL (a NOT NULL UUID or "
                        "JSON on PostgreSQL; on MySQL also a decimal, date or datetime)",
                        "drop select_related on the nullable relation and load it separately, or use GORM Preload"),
    "BOOL_PARAMETER": ("runtime boolean arguments not traced: several in one call, or one that changes the SQL "
                       "beyond `col` / `NOT col` (`__isnull=flag`)",
                       "split the call into the two literal variants (filter(x=True) / filter(x=False))"),
    "OPTIONAL_LIST": ("an __in filter under `if` on SQLite: sqlc.slice cannot be NULL",
                      "make the list always present, or write two queries"),
    "PARAMETER_NOT_FOUND": ("Django transformed a runtime value in a way the step cannot reverse",
                            "pass the transformed value yourself: write the query by hand"),
    "NEEDS_DATABASE": ("Django needs a live database to compile this call",
                       "write the query by hand from Django's SQL (str(qs.query))"),
    "COMPILE_FAILED": ("Django refused the chain as interpreted with typed stand-in values",
                       "see the detail; simplify the expression or write the query by hand"),
    "NESTED_PREFETCH": ("prefetch_related across several relations (a__b)",
                        "prefetch each level with its own query keyed by the ids of the level above"),
    "SQLC_REJECTED": ("sqlc could not parse or type Django's SQL (on SQLite also: a parameter in the HAVING of the "
                      "outer query, or of a subquery that cannot be lifted into a WHERE)", "the detail is sqlc's message"),
    "UNSUPPORTED_EXPRESSION": ("an argument expression the interpreter does not model",
                               "compute the value before the call and pass a variable"),
    "SQLITE_DJANGO_FUNCTION": ("SQL that calls one of Django's SQLite-only Python functions",
                               "PostgreSQL translates; on SQLite rewrite the filter as a range"),
    "TIME_ZONE": ("a date function in a time zone other than UTC", "store and query in UTC (USE_TZ)"),
    "MULTIPLE_STATEMENTS": ("the call runs several statements the step does not sequence",
                            "use the GORM models for this write"),
    "REWRITE_FAILED": ("sqlglot could not rewrite Django's SQL", "the detail says where; report it"),
    "NOT_COMPILED": ("the Django compile step did not run for this site", "see the loader's diagnostics"),
    "SLICE_ORDER": ("a parameter after an `__in` list on SQLite: sqlc numbers it as if the list were one value, "
                    "so a list of two or more would bind an item to it", "move the `__in` filter last, or use PostgreSQL"),
    "NON_ASCII": ("a non-ASCII table, column or alias name on SQLite: sqlc's SQLite parser mis-edits the query "
                  "file after it", "rename it in ASCII (db_table, db_column, the annotation's name)"),
    "COMPILE_TIMEOUT": ("compiling the site took longer than MIGRATOR_COMPILE_TIMEOUT seconds (default 10), or "
                        "stopped the worker (a lock, a network wait); the other sites compiled without it",
                        "the detail names the line it was on; raise the bound if it is only slow"),
    "LOADER_CRASH": ("the Django process died while compiling this site", "the detail shows its last output"),
    "SIDE_EFFECT": ("compiling the site tried to write a file, connect or start a process (refused): the call runs "
                    "Python with effects the query does not have", "the detail names the line that tried"),
    "DISTINCT_ORDER": ("distinct() ordered by a column it does not return (Meta.ordering, order_by), in a shape the "
                       "step cannot keep exactly (an ORDER BY term that is not a selected column, a returned column "
                       "without a name): Django selects the ordering column too and drops it from each row",
                       "order by a returned column, or add the ordering column to values()"),
    "DYNAMIC_KWARGS": ("lookups or defaults passed as a dict built at run time: the columns are decided at run time",
                       "spell the keyword arguments out, or one query per shape"),
    "UNSUPPORTED_TERMINAL": ("the chain does not end in a QuerySet or a method the step knows",
                             "see the detail; write the query by hand"),
    "DYNAMIC_Q": ("a Q object from a variable bound more than once (branches, |=, &=), changed in place or returned "
                  "by a function: its conditions are decided at run time",
                  "build the Q in one expression, or one query per shape"),
    "CUSTOM_QUERIES": ("a manager or QuerySet method that runs queries of its own Python code before the chain "
                       "(create_user() hashing a password, a method choosing queries by results)",
                       "port the method: its queries and the Python between them"),
    "REQUEST_SITE": ("Site.objects.get_current() without settings.SITE_ID: Django looks the request's host up, then "
                     "the host without its port", "set SITE_ID, or write the two lookups by hand"),
    "SAVE_OVERRIDE": ("the write runs a save() override that changes the statements or values Django sends",
                      "port the override to the Go side (a GORM hook), or write the query by hand"),
    "FIELD_PRE_SAVE": ("the write stores a column whose field class computes its value in pre_save (a hash of the "
                       "secret, a checksum, a slug): Django writes that value, the query the one it is given",
                       "compute the value on the Go side before the write, or keep this write in Django"),
    "FIELD_CONVERSION": ("the site binds a run-time value of a field whose class converts or validates it in Python "
                         "(get_prep_value, get_db_prep_value, get_db_prep_save): Django binds the converted value or "
                         "refuses it, the query the one it is given",
                         "declare a Go type doing the same conversion in migrator.yaml types: (docs/gorm.md), or "
                         "keep this site in Django"),
    "RECEIVER_WRITES": ("a signal receiver the write reaches (post_save, pre_save...) changes rows in Python: it writes "
                        "rows of its own, or sets fields of the row before the INSERT; the query alone would leave the "
                        "database different", "port the receiver's writes into the Go write (the same transaction), "
                                               "or keep this write in Django"),
}


class Untranslatable(Exception):
    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code


@dataclass
class Param:
    name: str  # sqlc parameter name
    source: str
    kind: str  # value family (int, str, decimal, date, datetime, uuid, bool, year)
    transform: str = ""  # "" | like | like_prefix | like_suffix | like_exact | year_start | year_end
    optional: bool = False
    is_list: bool = False
    field: str = ""
    sentinel: str = ""  # the source argument's sentinel name (several params may share one: year bounds)


@dataclass
class Query:
    name: str
    site: str
    function: str
    model: str
    dialect: str
    command: str  # one | many | exec | execrows
    sql: str  # sqlc SQL
    params: list[Param] = field(default_factory=list)
    result: str = "rows"
    django_sql: str = ""
    part: str = ""  # "2/2 insert" for one statement of a sequence (get_or_create...), "" for a whole query
    note: str = ""  # a line for the query's comment
    get: bool = False  # a get()'s SELECT (LIMIT 21): sqlc reads it as <name>Rows :many, sqlcstep/getone.py wraps it
    # the tests of conditional calls Django refused (FieldError), left out of the query: a path where one holds raises
    raised: tuple[str, ...] = ()
