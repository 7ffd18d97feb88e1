"""sqlglot rewrites of Django's SQL into what sqlc takes: the sqlc macros, slices last on SQLite, ASCII literals,
and the dialect fixes where sqlc or Go would disagree with Django."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Optional

from sqlglot import exp

from .sqlc_model import ARRAY_TYPES, Param, Untranslatable
from .sqlc_nulls import misread, read_nullable

def _sqlc_macros(tree: exp.Expression, by_name: dict[str, Param], dialect: str,
                 extra: list[Param]) -> exp.Expression:
    """Each placeholder node (`:q_name` a value, `:n_name` its NULL test) becomes its sqlc macro, node by node
    (never by text: `price` is a prefix of `price_unit`). `x IN (list)` becomes `x = ANY(sqlc.arg(x)::type[])`
    on PostgreSQL and `x IN (sqlc.slice(x))` on SQLite and MySQL (an optional list: a `_present` flag). sqlglot does not know the macros: they are opaque
    ``Var`` nodes, written as they are."""
    def param(ph: exp.Expression) -> Optional[tuple[str, Param]]:
        if isinstance(ph, exp.Placeholder) and str(ph.this)[:2] in ("q_", "n_") and str(ph.this)[2:] in by_name:
            return str(ph.this)[0], by_name[str(ph.this)[2:]]
        return None

    def arg(p: Param) -> str:
        text = f"{'sqlc.narg' if p.optional else 'sqlc.arg'}({p.name})"
        if p.is_list and dialect == "postgresql":
            text += f"::{ARRAY_TYPES.get(p.kind, 'text')}[]"
        return text

    def null_check(p: Param) -> str:
        if dialect == "postgresql" and p.optional and not p.is_list:  # PostgreSQL must know the type of `$n IS NULL`
            return f"{arg(p)}::{'timestamptz' if p.transform.startswith('year') else ARRAY_TYPES.get(p.kind, 'text')}"
        return arg(p)

    def fix(node: exp.Expression) -> exp.Expression:
        if isinstance(node, exp.In) and node.expressions and not node.args.get("query"):
            found = [param(e) for e in node.expressions]
            if found[0] and found[0][1].is_list and all(f and f[1] is found[0][1] for f in found):
                p = found[0][1]
                if dialect == "postgresql":
                    return exp.EQ(this=node.this, expression=exp.Any(this=exp.Paren(this=exp.Var(this=arg(p)))))
                node.set("expressions", [exp.Var(this=f"sqlc.slice({p.name})")])
                return node
        if isinstance(node, exp.Is) and isinstance(node.expression, exp.Null):
            found = param(node.this)
            if found and found[0] == "n" and found[1].is_list and dialect != "postgresql":
                p = found[1]  # sqlc.slice cannot be NULL on SQLite: a flag says whether the filter applies
                # CAST: sqlc types the flag bool (bare, it is interface{})
                extra.append(Param(name=f"{p.name}_present", source=p.source, kind="bool", transform="present",
                                   optional=False, sentinel=p.sentinel, field=p.field))
                if dialect == "mysql":  # MySQL casts to no BOOLEAN (and sqlc leaves `NOT sqlc.arg(x)` unexpanded)
                    return exp.Var(this=f"sqlc.arg({p.name}_present) = FALSE")
                return exp.Var(this=f"NOT CAST(sqlc.arg({p.name}_present) AS BOOLEAN)")
        found = param(node)
        if found and found[0] == "q" and found[1].kind == "duration" and dialect == "postgresql" \
                and isinstance(node.parent, (exp.Add, exp.Sub)):  # `start + $1`: sqlc typed $1 as the timestamp
            return exp.Var(this=f"{arg(found[1])}::interval")
        if found:
            return exp.Var(this=arg(found[1]) if found[0] == "q" else null_check(found[1]))
        return node
    return tree.transform(fix, copy=False)


def _has_slice(node: exp.Expression) -> bool:
    return any(str(v.this).startswith("sqlc.slice(") for v in node.find_all(exp.Var))


def _slices_last(tree: exp.Expression) -> exp.Expression:
    """On SQLite sqlc expands ``sqlc.slice(x)`` into one ``?`` per item but numbers every other parameter
    (``?2``) as if the list were one value: a parameter written after a slice then binds a list item
    instead (a two-item status list read the second status as ``status_present``). Put each slice after
    every other parameter (OR operands swapped, the WHERE's slice conjuncts moved last: the same
    predicate), or refuse the query."""
    def swap(node: exp.Expression) -> exp.Expression:
        if isinstance(node, exp.Or) and _has_slice(node.this) and not _has_slice(node.expression):
            return exp.Or(this=node.expression, expression=node.this)
        return node

    if not _has_slice(tree):
        return tree
    tree = tree.transform(swap, copy=False)
    for select in list(tree.find_all(exp.Select)):  # the outer WHERE and a subquery's (`x IN (SELECT ...)`)
        where = select.args.get("where")
        if where is None:
            continue
        cond = where.this.this if isinstance(where.this, exp.Paren) else where.this
        conjuncts = list(cond.flatten()) if isinstance(cond, exp.And) else [cond]
        ordered = [c for c in conjuncts if not _has_slice(c)] + [c for c in conjuncts if _has_slice(c)]
        if [id(c) for c in ordered] != [id(c) for c in conjuncts]:
            where.set("this", exp.Paren(this=exp.and_(*ordered, copy=False)))
    if _after_slice_unnamed(tree.sql(dialect="sqlite")):
        tree = _limits_first(tree)
    if _after_slice_unnamed(tree.sql(dialect="sqlite")):
        raise Untranslatable("SLICE_ORDER", "a parameter comes after an `__in` list (in LIMIT/OFFSET, HAVING, a "
                             "subquery or another OR branch): sqlc's SQLite code would bind a list item to it")
    return tree


def _limits_first(tree: exp.Expression) -> exp.Expression:
    """LIMIT / OFFSET parameters (a slice ``[offset:offset + size]``) come after every WHERE list, and sqlc numbers
    them after it too. Named first in the WHERE by a condition that is always true,
    ``(CAST(sqlc.arg(size) AS INTEGER) IS NULL OR 1 = 1) AND (...)``, they take the first numbers and LIMIT
    reuses them (``LIMIT ?1``): the same rows, with no list item bound in their place. So is a parameter that
    is only ever read through a cast (an optional list's ``CAST(sqlc.arg(x_present) AS BOOLEAN)`` after another
    list): named first through the same cast, it keeps its type."""
    if not isinstance(tree, exp.Select) or tree.args.get("where") is None:
        return tree
    named = []
    for key in ("limit", "offset"):
        clause = tree.args.get(key)
        value = clause.args.get("expression") if clause is not None else None
        if isinstance(value, exp.Var) and re.fullmatch(r"sqlc\.arg\(\w+\)", str(value.this)):
            named.append(exp.Is(this=exp.Cast(this=value.copy(), to=exp.DataType.build("INTEGER")), expression=exp.Null()))
    named += [exp.Is(this=cast.copy(), expression=exp.Null()) for cast in _cast_only(tree)]
    if named:
        always = exp.Paren(this=exp.or_(*named, exp.EQ(this=exp.Literal.number(1), expression=exp.Literal.number(1))))
        where = tree.args["where"]
        where.set("this", exp.and_(always, exp.Paren(this=where.this), copy=False))
    return tree


def _cast_only(tree: exp.Expression) -> list[exp.Expression]:
    """One ``CAST(sqlc.arg(x) AS T)`` per parameter written after the first list whose every use is that cast
    (a node, or the text of a flag's ``NOT CAST(sqlc.arg(x_present) AS BOOLEAN)``)."""
    uses: dict[str, list] = {}
    for var in tree.find_all(exp.Var):
        text = str(var.this)
        m = re.fullmatch(r"sqlc\.arg\((\w+)\)", text)
        if m:
            cast = var.parent if isinstance(var.parent, exp.Cast) else None
            uses.setdefault(m.group(1), []).append(cast.to.sql(dialect="sqlite") if cast is not None else None)
            continue
        for name, typ in _CAST_TEXT.findall(text):
            uses.setdefault(name, []).append(typ)
        uses.update({n: uses.get(n, []) + [None] for n in re.findall(r"sqlc\.arg\((\w+)\)", _CAST_TEXT.sub("", text))})
    text = tree.sql(dialect="sqlite")
    after = set(re.findall(r"sqlc\.arg\((\w+)\)", text[text.find("sqlc.slice("):]))
    return [exp.Var(this=f"CAST(sqlc.arg({name}) AS {types[0]})")  # as written (sqlglot writes BOOLEAN as INTEGER)
            for name, types in sorted(uses.items()) if name in after and types[0] and len(set(types)) == 1]


_CAST_TEXT = re.compile(r"CAST\(sqlc\.arg\((\w+)\) AS (\w+)\)")


def _after_slice_unnamed(text: str) -> bool:
    """Whether a parameter written after the first list is not also written before it (sqlc numbers a name once)."""
    first = text.find("sqlc.slice(")
    before = set(re.findall(r"sqlc\.n?arg\((\w+)\)", text[:first]))
    return any(n not in before for n in re.findall(r"sqlc\.n?arg\((\w+)\)", text[first:]))


def _ascii_literals(tree: exp.Expression) -> exp.Expression:
    """sqlc's SQLite parser counts characters where Go counts bytes: a non-ASCII character shifts its edits
    (sqlc.arg -> ?1) of that query and of every later one in the file, silently. A string literal with one is
    written as the bytes of its UTF-8 text, ``CAST(X'636166C3A9' AS TEXT)`` for ``'café'`` (Django's SQLite
    databases are UTF-8): the same value, in ASCII."""
    def fix(node: exp.Expression) -> exp.Expression:
        if isinstance(node, exp.Literal) and node.is_string and not str(node.this).isascii():
            return exp.Cast(this=exp.Var(this=f"X'{str(node.this).encode().hex().upper()}'"),
                            to=exp.DataType.build("TEXT"))
        return node
    return tree.transform(fix, copy=False)


def _first_non_ascii(text: str) -> str:
    at = next(i for i, ch in enumerate(text) if not ch.isascii())
    return f"near `{text[max(0, at - 30):at + 10]}`"


def _rigid_outer_columns(tree: exp.Expression, rigid: frozenset) -> list[str]:
    """Columns of a LEFT-joined table the SELECT list reads (outside an aggregate) whose Go type cannot
    hold NULL. sqlc types the other LEFT-joined columns nullable (sql.NullString, pgtype.Text), but a
    column override (decimal.Decimal, djtypes.DateTime of a NOT NULL field) applies as it is, and a table
    joined under an alias (Django's T2 when it joins a table twice: a parent of the same model) keeps
    sqlc's NOT NULL types while the same table is also named unaliased (query parity found an int64 id
    scanned from NULL; ``sqlc_nulls.self_alias`` removes that case on SQLite and PostgreSQL)."""
    select = tree if isinstance(tree, exp.Select) else tree.find(exp.Select)
    if select is None:
        return []
    outer = {(j.this.alias_or_name or "").lower(): j.this.name for j in select.args.get("joins") or []
             if (j.side or "").upper() == "LEFT"}
    bare = misread(select)
    found = []
    for e in select.expressions:
        for col in e.find_all(exp.Column):
            table = outer.get(col.table.lower())
            aliased = table is not None and col.table.lower() != table.lower() and table.lower() in bare
            if table and (aliased or (table, col.name) in rigid) and not read_nullable(col) and \
                    col.find_ancestor(exp.AggFunc, exp.Filter, exp.Window) is None:
                found.append(f"{table}.{col.name}")
    return found


def _native_postgres(tree: exp.Expression) -> exp.Expression:
    """Work around sqlc's PostgreSQL type inference where it disagrees with what the query returns.

    sqlc types SUM/AVG/MIN/MAX as NOT NULL (and SUM(numeric) as an integer), but over no rows they are
    NULL, which Django returns as None: wrapped in COALESCE(x, NULL) they come back as an untyped,
    nullable value. A parameter compared with CAST(... AS DATE) is cast to DATE so sqlc types it as a date, one
    compared with EXTRACT(...) to BIGINT.
    """
    select = tree if isinstance(tree, exp.Select) else tree.find(exp.Select)
    if select is not None:
        for e in select.expressions:
            inner = e.this if isinstance(e, exp.Alias) else e
            if isinstance(inner, (exp.Sum, exp.Avg, exp.Min, exp.Max)):
                inner.replace(exp.Coalesce(this=inner.copy(), expressions=[exp.Null()]))

    def fix(node: exp.Expression) -> exp.Expression:
        if isinstance(node, (exp.EQ, exp.GT, exp.GTE, exp.LT, exp.LTE, exp.NEQ)):
            left, right = node.this, node.expression
            if isinstance(left, exp.Cast) and left.to.this == exp.DataType.Type.DATE and isinstance(right, exp.Placeholder):
                node.set("expression", exp.Cast(this=right.copy(), to=exp.DataType.build("DATE")))
            elif left.find(exp.Extract) is not None and isinstance(right, exp.Placeholder):
                # created__month=m: a number (sqlc would type it text)
                node.set("expression", exp.Cast(this=right.copy(), to=exp.DataType.build("BIGINT")))
        return node
    return tree.transform(fix, copy=False)


# Django's date-part extraction on SQLite (django_date_extract / django_datetime_extract, in UTC), in SQLite's
# own strftime over the text Django stores: {lookup: (strftime format, SQL around the integer)}
_SQLITE_PARTS = {"year": ("%Y", "{}"), "month": ("%m", "{}"), "day": ("%d", "{}"), "hour": ("%H", "{}"),
                 "minute": ("%M", "{}"), "second": ("%S", "{}"), "week_day": ("%w", "({} + 1)"),
                 "iso_week_day": ("%w", "((({} + 6) % 7) + 1)"), "quarter": ("%m", "(({} + 2) / 3)")}


def _sqlite_date_part(fname: str, args: list) -> Optional[exp.Expression]:
    if fname not in ("django_date_extract", "django_datetime_extract") or len(args) < 2 or not isinstance(
            args[0], exp.Literal) or args[0].this not in _SQLITE_PARTS:
        return None
    fmt, around = _SQLITE_PARTS[args[0].this]
    number = f"CAST(strftime('{fmt}', {args[1].sql(dialect='sqlite')}) AS INTEGER)"
    return exp.Paren(this=exp.Var(this=around.format(number)))


def _native_sqlite(tree: exp.Expression) -> exp.Expression:
    """Django's SQLite backend calls Python functions it registers per connection; Go has none.

    Also works around two gaps of sqlc's SQLite engine: parameters inside BETWEEN are not seen (so
    BETWEEN becomes >= AND <=), and a parameter compared with date(column) is typed as the column
    (a datetime), so it is cast to TEXT, the form date() returns.
    """
    def fix(node: exp.Expression) -> exp.Expression:
        if isinstance(node, exp.Escape) and isinstance(node.this, exp.Like) and isinstance(
                node.this.expression, exp.Literal) and "\\" not in node.this.expression.this:
            return node.this  # a literal pattern with no escapes: ESCAPE changes nothing (and sqlc rejects it)
        if isinstance(node, exp.Escape) and not isinstance(node.parent, exp.Paren):
            return exp.Paren(this=node.copy())  # sqlc's SQLite parser needs LIKE ... ESCAPE in parentheses after OR
        if isinstance(node, exp.Between):
            return exp.Paren(this=exp.And(this=exp.GTE(this=node.this.copy(), expression=node.args["low"].copy()),
                                          expression=exp.LTE(this=node.this.copy(), expression=node.args["high"].copy())))
        if isinstance(node, (exp.EQ, exp.GT, exp.GTE, exp.LT, exp.LTE, exp.NEQ)):
            left, right = node.this, node.expression
            if isinstance(left, exp.Date) or (isinstance(left, exp.Anonymous) and str(left.this).lower() in (
                    "date", "django_datetime_cast_date")):
                if isinstance(right, exp.Placeholder):
                    node.set("expression", exp.Cast(this=right.copy(), to=exp.DataType.build("TEXT")))
            if isinstance(left, exp.Anonymous) and str(left.this).lower() in (
                    "django_date_extract", "django_datetime_extract") and isinstance(right, exp.Placeholder):
                # a date part is a number: sqlc would type the parameter as the column inside strftime()
                node.set("expression", exp.Cast(this=right.copy(), to=exp.DataType.build("INTEGER")))
            return node
        if isinstance(node, exp.Anonymous) and str(node.this).lower().startswith("django_"):
            fname = str(node.this).lower()
            args = node.expressions
            tz = [a for a in args[1:] if isinstance(a, exp.Literal)]
            if any(t.this not in ("UTC",) for t in tz):
                raise Untranslatable("TIME_ZONE", f"{fname} with a non-UTC time zone")
            if fname == "django_datetime_cast_date":
                return exp.Anonymous(this="date", expressions=[args[0]])
            part = _sqlite_date_part(fname, args)
            if part is not None:
                return part
            raise Untranslatable("SQLITE_DJANGO_FUNCTION", f"{fname}() exists only inside Django's SQLite connection")
        return node
    having = [h for h in tree.find_all(exp.Having) if h.find(exp.Placeholder) is not None]
    if having:  # sqlc's SQLite engine leaves sqlc.arg() in HAVING as text: a Go function without the parameter
        raise Untranslatable("SQLC_REJECTED", "a parameter in HAVING (a filter on an annotation): sqlc's SQLite engine "
                             "does not see it and leaves `sqlc.arg()` in the SQL, so the query fails at run time")
    return tree.transform(fix, copy=False)


def _mysql_regexp(tree: exp.Expression) -> exp.Expression:
    """sqlglot reads Django's ``a REGEXP BINARY %s`` (``regex``) and ``a REGEXP %s`` (``iregex``) as
    ``REGEXP_LIKE(a, ...)``, a MySQL 8 function MariaDB lacks: written back as the ``REGEXP`` operator
    (``BINARY`` stays, as ``CAST(... AS BINARY)``: the same case-sensitive match)."""
    def fix(node: exp.Expression) -> exp.Expression:
        if isinstance(node, exp.RegexpLike) and not node.args.get("flag"):
            return exp.Paren(this=exp.Var(this=f"{node.this.sql(dialect='mysql')} REGEXP "
                                               f"{node.expression.sql(dialect='mysql')}"))
        return node
    return tree.transform(fix, copy=False)


_INVERSE = {exp.EQ: exp.NEQ, exp.NEQ: exp.EQ, exp.GT: exp.LTE, exp.GTE: exp.LT, exp.LT: exp.GTE, exp.LTE: exp.GT}


def _has_macro(node: exp.Expression) -> bool:
    return any(str(v.this).startswith("sqlc.") for v in node.find_all(exp.Var))


def _negate(node: exp.Expression) -> exp.Expression:
    """``NOT node`` without a unary NOT around a macro, exactly (three-valued logic included), or Untranslatable."""
    while isinstance(node, exp.Paren):
        node = node.this
    if not _has_macro(node):
        return exp.Not(this=node)
    sql = lambda e: e.sql(dialect="mysql")  # noqa: E731
    if isinstance(node, exp.Is) and isinstance(node.expression, exp.Null):  # the infix forms sqlc expands
        return exp.Var(this=f"{sql(node.this)} IS NOT NULL")
    if isinstance(node, exp.In) and node.expressions and not node.args.get("query"):
        return exp.Var(this=f"{sql(node.this)} NOT IN ({', '.join(sql(e) for e in node.expressions)})")
    if isinstance(node, exp.Like):
        return exp.Var(this=f"{sql(node.this)} NOT LIKE {sql(node.expression)}")
    if type(node) in _INVERSE:
        return _INVERSE[type(node)](this=node.this, expression=node.expression)
    if isinstance(node, exp.And):  # De Morgan holds in SQL's three-valued logic
        return exp.Paren(this=exp.Or(this=_negate(node.this), expression=_negate(node.expression)))
    if isinstance(node, exp.Or):
        return exp.Paren(this=exp.And(this=_negate(node.this), expression=_negate(node.expression)))
    if isinstance(node, exp.Not):
        return node.this
    raise Untranslatable("SQLC_REJECTED", "sqlc's MySQL engine leaves sqlc.arg() unexpanded under NOT, and this "
                         f"negation has no NOT-free form: {node.sql(dialect='mysql')[:120]}")


def _mysql_not(tree: exp.Expression) -> exp.Expression:
    """sqlc's MySQL engine does not expand ``sqlc.arg()`` under a unary ``NOT`` (Django's ``exclude()``): the
    SQL would reach the server with the macro in it. Push each such NOT into its comparisons instead."""
    def fix(node: exp.Expression) -> exp.Expression:
        if isinstance(node, exp.Not) and _has_macro(node.this):
            return exp.Paren(this=_negate(node.this))
        return node
    return tree.transform(fix, copy=False)


def _mysql_lower_aliases(tree: exp.Expression) -> exp.Expression:
    """sqlc's MySQL engine resolves a table alias written in capitals (Django's ``U0``, ``T3``) by its lower-case
    form where it is defined and as written where it is used, so it rejects the query (``table alias "u1" does
    not exist``). Each such alias is written in lower case in both places: the same query, an alias being one
    name throughout. An alias whose lower-case form is another name of the query stays (sqlc reports it)."""
    aliases = [a.this.this for a in tree.find_all(exp.TableAlias) if isinstance(a.this, exp.Identifier)]
    taken = [n.lower() for n in aliases] + [t.name.lower() for t in tree.find_all(exp.Table)]
    upper = {a for a in aliases if a != a.lower() and taken.count(a.lower()) == 1}
    for node in tree.find_all(exp.TableAlias, exp.Column):
        ident = node.this if isinstance(node, exp.TableAlias) else node.args.get("table")
        if isinstance(ident, exp.Identifier) and ident.this in upper:
            ident.set("this", ident.this.lower())
    return tree


_BOUND = re.compile(r"\b(LIMIT|OFFSET) sqlc\.arg\((\w+)\)")


def _mysql_positional_limit(text: str, params: list[Param]) -> tuple[str, list[Param]]:
    """sqlc's MySQL parser takes no ``sqlc.arg()`` after ``LIMIT`` or ``OFFSET`` (sqlc-dev/sqlc#1025) but takes a
    positional ``?`` there, beside named parameters: a sliced QuerySet's variable bounds are written ``LIMIT ?``
    / ``OFFSET ?``. sqlc names those ``limit`` and ``offset`` (its Params struct's fields, their json tags), so
    in a query with more than one placeholder the parameters are renamed so; a query whose one parameter is its
    LIMIT (``qs[:n]``) keeps its name (one argument, passed as it is). sqlc types them int32. A bound used
    elsewhere too, or a name taken by another parameter, is left as it is (sqlc rejects it, reported)."""
    bounds = {m.group(2): m.group(1).lower() for m in _BOUND.finditer(text)}
    if not bounds or any(text.count(f"sqlc.arg({n})") != 1 for n in bounds) or len(set(bounds.values())) != len(bounds):
        return text, params
    if text.count("sqlc.") > 1:
        if any(p.name in bounds.values() and p.name not in bounds for p in params):
            return text, params
        params = [replace(p, name=bounds.get(p.name, p.name)) for p in params]
    return _BOUND.sub(lambda m: f"{m.group(1)} ?", text), params
