"""What the tool knows about QuerySet methods and site kinds: plain tables, shared by the scanner,
the reports and the docs (docs tables are generated from here)."""

from __future__ import annotations

# Methods that return a QuerySet: a chain goes on after them.
QUERYSET_METHODS = {
    "all": "no-op refinement",
    "filter": "WHERE (AND of lookups / Q objects)",
    "exclude": "WHERE NOT (...)",
    "order_by": "ORDER BY (replaces Meta.ordering)",
    "reverse": "reverses the ordering",
    "distinct": "SELECT DISTINCT",
    "values": "dict rows of the named columns",
    "values_list": "tuple rows (flat=True: a single column)",
    "select_related": "JOIN of forward relations",
    "prefetch_related": "a second query per relation, keyed by the parent ids",
    "only": "restricts the selected columns",
    "defer": "leaves columns out",
    "annotate": "computed columns (aggregates add GROUP BY)",
    "alias": "named expression usable in later filters",
    "none": "an empty result",
    "using": "another database alias",
    "select_for_update": "SELECT ... FOR UPDATE",
    "dates": "distinct truncated dates",
    "datetimes": "distinct truncated datetimes",
    "union": "UNION of QuerySets",
    "intersection": "INTERSECT of QuerySets",
    "difference": "EXCEPT of QuerySets",
    "complex_filter": "filter with a Q or dict",
    "[]": "slicing: LIMIT / OFFSET",
}

# Terminal methods that give a model instance (or a tuple holding one).
INSTANCE_METHODS = {
    "get": "exactly one row, DoesNotExist / MultipleObjectsReturned",
    "first": "first row by the ordering (pk when unordered), or None",
    "last": "last row by the ordering, or None",
    "earliest": "first row by a date field",
    "latest": "last row by a date field",
    "create": "INSERT one row",
    "get_or_create": "SELECT, then INSERT when missing",
    "update_or_create": "SELECT ... FOR UPDATE, then UPDATE or INSERT",
}

# Terminal methods that give a plain value or run a write.
VALUE_METHODS = {
    "count": "SELECT COUNT(*)",
    "exists": "SELECT 1 ... LIMIT 1",
    "aggregate": "aggregate over the whole QuerySet",
    "update": "UPDATE ... WHERE",
    "delete": "DELETE, with Django's on_delete collector",
    "bulk_create": "multi-row INSERT",
    "bulk_update": "UPDATE ... CASE per row",
    "in_bulk": "dict of pk -> instance",
    "iterator": "streams rows",
    "contains": "membership test by pk",
    "explain": "EXPLAIN of the query",
    "iter": "the QuerySet evaluated whole (list(), iteration, len(), return)",
}

# Methods of related managers only (reverse foreign keys and many-to-many).
RELATED_METHODS = {
    "add": "INSERT into the join table (M2M) or UPDATE of the foreign key",
    "remove": "DELETE from the join table (M2M) or SET NULL of the foreign key",
    "clear": "removes every link",
    "set": "replaces the set of links",
}

# Methods that leave the ORM: never translated statically.
UNSUPPORTED_METHODS = {
    "raw": "RAW_SQL",
    "extra": "EXTRA",
}

TERMINAL_METHODS = {**INSTANCE_METHODS, **VALUE_METHODS, **RELATED_METHODS}
KNOWN_METHODS = {**QUERYSET_METHODS, **TERMINAL_METHODS, **{k: v for k, v in UNSUPPORTED_METHODS.items()}}

# Methods whose arguments name fields or relations: a runtime value there changes the SQL shape.
SHAPE_METHODS = {
    "order_by", "values", "values_list", "select_related", "prefetch_related", "only", "defer",
    "distinct", "annotate", "alias", "aggregate", "dates", "datetimes", "using",
}

# Reason codes for sites that are not `static`, with the one-line explanation analyze prints.
REASONS = {
    "CONDITIONAL_FILTER": ("conditional", "refined under a condition; becomes optional filters (sqlc.narg ... IS NULL OR ...)"),
    "MODEL_FROM_VARIABLE": ("dynamic", "the model class comes from a variable, so the table is decided at run time"),
    "ABSTRACT_MODEL": ("dynamic", "a method of an abstract model with several concrete subclasses: the table is that of the subclass running it"),
    "CUSTOM_METHOD": ("dynamic", "a custom manager / QuerySet method whose body is not `return <QuerySet chain on self>` and cannot be followed with the site's arguments (a test, attribute or loop on a runtime value): what it runs is decided by its Python code"),
    "VIEW_QUERYSET": ("dynamic", "built on a view's get_queryset() that the tool cannot follow (a mixin's, an ordering, or a body other than `return <chain>`)"),
    "DYNAMIC_KWARGS": ("dynamic", "lookups passed as **kwargs built at run time: the WHERE shape is decided at run time"),
    "Q_BUILT_IN_LOOP": ("dynamic", "a Q object built in a loop: the number of conditions is decided at run time"),
    "REFINED_IN_LOOP": ("dynamic", "refined inside a loop: the number of conditions is decided at run time"),
    "DYNAMIC_FIELD": ("dynamic", "a field name or expression comes from a runtime value"),
    "ASSIGNED_IN_BRANCHES": ("dynamic", "the variable holds a different QuerySet in different branches (if/else, "
                             "try/except, match, loops): which one reaches the site is decided at run time"),
    "BRANCH_DEPENDENT": ("dynamic", "refined in an elif/else/except/case branch, or in more than one branch: "
                         "optional filters (applied when their value is given) cannot say which branch ran"),
    "FLAG_CONDITION": ("dynamic", "refined under a condition that is not the presence of the filter's own runtime "
                       "values (a flag, a comparison, a literal filter): an optional filter would apply it by another rule"),
    "CONDITIONAL_SHAPE": ("dynamic", "a method other than filter() under a condition (exclude, order_by, values, "
                          "annotate, a slice...): the query itself changes, it is not an optional filter"),
    "CONDITIONAL_JOIN": ("dynamic", "a filter under a condition that joins a nullable, reverse or many-to-many "
                         "relation: the join itself changes which rows come back, so it is not an optional filter"),
    "PASSED_TO_HELPER": ("dynamic", "the QuerySet is handed to a function of the project, which may refine it "
                         "before it is evaluated: the caller's and the callee's chains are not joined"),
    "SUBCLASS_ATTRIBUTE": ("dynamic", "a base class's site that reads an attribute each subclass sets (`self.filter`): "
                           "the query is that of the subclass running it, reported as one site per subclass"),
    "QUERYSET_PARAMETER": ("dynamic", "the QuerySet arrives as a parameter: its shape is decided by the caller"),
    "COMBINED_QUERYSETS": ("unsupported", "QuerySets combined with | or & (qs1 | qs2, qs |= other): the tool does "
                           "not translate a combination of QuerySets"),
    "QUERYSET_AS_VALUE": ("unsupported", "a QuerySet used as a value inside another query (`__in=qs`, Subquery(qs), "
                          "Exists(qs)) not written there on its model's name: part of that query, which the tool "
                          "does not translate with a subquery it cannot follow"),
    "RAW_SQL": ("unsupported", "raw() SQL is outside the ORM: port it by hand into a sqlc query"),
    "EXTRA": ("unsupported", "extra() injects SQL fragments the tool cannot model"),
    "TREE_QUERY": ("unsupported", "a django-mptt method of a node (get_descendants(), get_ancestors(), get_children()...): "
                   "a QuerySet of the node's model filtered on its tree columns by django-mptt's Python code, not translated"),
    "TAG_MANAGER": ("unsupported", "django-taggit's tags manager on the model class (Entry.tags.most_common()): the tags "
                    "of every row of the model, a query built by taggit's Python code, not translated"),
    "UNKNOWN_METHOD": ("unsupported", "a method the tool does not know (not a QuerySet or manager method)"),
    "UNRESOLVED_MODEL": ("unsupported", "the model could not be resolved"),
}

KIND_ORDER = {"static": 0, "conditional": 1, "dynamic": 2, "unsupported": 3}

# Django expression classes an argument may build without reading runtime values.
EXPRESSION_CLASSES = {
    "Q", "F", "Value", "Count", "Sum", "Avg", "Min", "Max", "StdDev", "Variance", "Exists", "OuterRef",
    "Subquery", "Case", "When", "ExpressionWrapper", "Func", "Coalesce", "Lower", "Upper", "Length",
    "Concat", "Cast", "TruncDate", "TruncMonth", "TruncDay", "TruncYear", "ExtractYear", "Now", "Prefetch",
    "Window", "RowRange", "ValueRange", "OrderBy",
    "Decimal", "timedelta", "date",  # value constructors: constants when their arguments are literals
}


# Custom manager / QuerySet methods are known by name only (the tool never calls them while scanning):
# by Django convention these prefixes create or fetch one object; the others refine the QuerySet.
CUSTOM_TERMINAL_PREFIXES = ("create", "acreate", "get", "aget", "update_or", "bulk_")


def custom_is_terminal(name: str) -> bool:
    return name.startswith(CUSTOM_TERMINAL_PREFIXES)

# Lookups and what the sqlc target does with a runtime value for each (Django compiles the SQL;
# this is about the value a Go caller passes). docs/sqlc.md renders this table.
LOOKUPS = {
    "exact": "bound as is (an instance passes its primary key)",
    "iexact": "PostgreSQL: UPPER(col::text) = UPPER($1); SQLite: LIKE $1 ESCAPE '\\' with the value LIKE-escaped",
    "contains / icontains": "LIKE pattern: the Go caller passes djtypes.Contains(value) (escapes % _ \\, adds %)",
    "startswith / istartswith": "LIKE pattern: djtypes.StartsWith(value)",
    "endswith / iendswith": "LIKE pattern: djtypes.EndsWith(value)",
    "in": "PostgreSQL: = ANY(sqlc.arg(x)::type[]); SQLite: IN (sqlc.slice(x)); a conditional __in is not translated on SQLite",
    "gt / gte / lt / lte": "bound as is",
    "range": "two parameters, <name>_from and <name>_to",
    "isnull": "a literal True/False is part of the SQL shape; a runtime boolean is not translated yet",
    "date": "PostgreSQL: CAST(col AT TIME ZONE 'UTC' AS DATE) = CAST($1 AS DATE); SQLite: date(col) = CAST(? AS TEXT)",
    "year": "two parameters, <name>_start and <name>_end: the year's bounds, as Django computes them",
    "month / day / week_day / quarter / hour ...": "PostgreSQL: EXTRACT(...) = $1, the number bound as is; SQLite: "
                                                   "Django's own SQL function, not translated (SQLITE_DJANGO_FUNCTION)",
    "a__b, a__b__c": "joins, exactly as Django writes them",
}
