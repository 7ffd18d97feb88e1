"""Sequences and text for migrated handlers (split from handlers.py and handlers_write.py).

- ``obj, created = Model.objects.get_or_create(k=v, defaults={...})``: the sqlc target translates it to
  two statements (``1/2 select``, ``2/2 insert ... RETURNING id``). Go runs the select; when it finds
  no row, the insert, and the row is built from the insert's parameters and the returned id (every
  column of the row must be one of them: a column Django fills from a default is not known here).
- tuples: ``return a, b`` in a helper and ``a, b = helper(...)``.
- text: ``x or ""`` of a JSON value (``PyOr``), ``s.split(",")`` of a string (``strings.Split``), ``.strip()`` (``PyStrip``: Python's whitespace; a value
  that is not text has no ``strip``: AttributeError, a 500 as in Django), ``django.utils.text.slugify``
  (``Slugify``: NFKD, ASCII, the same regexes).
"""

from __future__ import annotations

import ast as _ast

from .handlers_user import UserRow, save_default, user_pk
from .handlers_values import JSON, Const, GoValue, Global, NotRecognised, Tuple, model_word, q

_SLUGIFY = "django.utils.text.slugify"
_LOCALDATE = "django.utils.timezone.localdate"
_NOW = "django.utils.timezone.now"
_NOW_GO = "djtypes.DateTimeOf(djtypes.Now())"


class SequenceMixin:
    def sequence_parts(self, site_id: str) -> list:
        """The statements of a sequence, in order (``1/2 select``, ``2/2 insert``)."""
        parts = [q for q in self.all_queries if q.site == site_id and q.part]
        return sorted(parts, key=lambda q: int(q.part.split("/")[0]))

    def unpack(self, target, value, env, fn) -> None:
        names = [e.id if isinstance(e, _ast.Name) else None for e in target.elts]
        if None in names or not isinstance(value, Tuple) or len(value.items) != len(names):
            raise NotRecognised(f"unpacking at line {fn['line'] + target.lineno - 1}")
        for n, v in zip(names, value.items):
            env[n] = v
            self.name_as(v, n)

    def is_get_or_create(self, node, env, fn) -> bool:
        return (isinstance(node, _ast.Call) and isinstance(node.func, _ast.Attribute)
                and node.func.attr == "get_or_create" and self._is_chain(node, env, fn))

    def get_or_create(self, node, env, fn):
        """(row, created) for ``Model.objects.get_or_create(...)`` (see the module docstring)."""
        site, _q, _m = self.site_at(fn, self._root(node), whole=False)
        parts = self.sequence_parts(site.id)
        if [q.part.split(" ", 1)[-1] for q in parts] != ["select", "insert"] or parts[0].command != "one" or (
                parts[1].command != "one"):
            raise NotRecognised(f"get_or_create of {site.model} is not a select then an insert")
        sel, ins = parts
        msel, mins = self.pkg.methods.get(sel.name), self.pkg.methods.get(ins.name)
        if msel is None or mins is None:
            raise NotRecognised(f"{sel.name} / {ins.name} are not in the generated package")
        struct = self.pkg.structs.get(msel.ret)
        if struct is None:
            raise NotRecognised(f"row type {msel.ret}")
        model = self.models[site.model]
        by_column = {f.column: f for f in model.fields if f.column}
        values = {}  # column -> Go code of the value inserted
        defaults = {}  # parameter -> (Go code, type) of a default Django computes at save time
        ins_struct = self.pkg.structs.get(mins.params[0][1]) if mins.params else None
        ins_types = {tag: typ for _, typ, tag in ins_struct.fields} if ins_struct else {}
        for p in ins.params:
            f = next((f for f in model.fields if p.field in (f"{site.model}.{f.name}", f.name)), None)
            if f is not None and p.source.startswith("<") and p.name in ins_types:  # Field.get_default()
                values[f.column] = defaults[p.name] = save_default(f, ins_types[p.name])
                continue
            if f is None or p.is_list or p.optional:
                raise NotRecognised(f"insert parameter {p.name} of {ins.name}")
            v = self.expr(_ast.parse(p.source, mode="eval").body, env, fn)
            if isinstance(v, UserRow):  # get_or_create(user=request.user) (handlers_user)
                v = user_pk(self, v)
            if not isinstance(v, GoValue) or v.type in ("any", JSON):
                raise NotRecognised(f"insert parameter {p.name} of {ins.name}")
            values[f.column] = (v.code, v.type)
        word = model_word(site.model)
        found = self.var(word)
        self.stmts.append(f"{found}, err := {self.call_query(sel, msel, site, env, fn)}")
        created = self.var("created")
        new_id = self.var(f"{word}_id")
        fields, pk = [], None
        for name, typ, tag in struct.fields:
            f = by_column.get(tag)
            if f is not None and f.primary_key:
                pk = (name, typ)
            elif tag in values and values[tag][1] == typ:
                fields.append(f"{name}: {values[tag][0]}")
            else:
                raise NotRecognised(f"get_or_create: column {tag} of the created row is not known")
        insert = self.call_query(ins, mins, site, env, fn, {k: c for k, (c, _t) in defaults.items()})
        self.stmts.append(f"{created} := IsNoRows(err)\nif {created} {{\n"
                          + _created_row(found, msel.ret, fields, pk, insert, mins.ret, new_id)
                          + f"\n}}\n{self.on_error(site)}")
        return Tuple([self.obj(found, site, msel.ret), GoValue(created, "bool")])

    def choices_attribute(self, base, attr: str):
        """``Order.Status`` (the TextChoices/IntegerChoices class a field of Order is declared with), then
        ``Order.Status.PENDING``: its value, a constant (a member is a str/int subclass: it compares, binds
        and encodes as its value), and ``Order.Status.values``: the tuple of values. None for another attribute."""
        if isinstance(base, Global) and base.kind == "model" and base.ref in self.models:
            fields = [f for f in self.models[base.ref].fields if f.choices_class == attr and f.choices]
            return Global("choices", fields[0].choices) if fields else None
        if not (isinstance(base, Global) and base.kind == "choices"):
            return None
        if attr == "values":
            return Tuple([Const(c.value) for c in base.ref])
        member = next((c for c in base.ref if c.name == attr), None)
        if member is None:
            raise NotRecognised(f"attribute {attr} of a choices class")
        return Const(member.value)

    def clock_call(self, ref: str, node):
        """``timezone.now()``: the aware UTC now (USE_TZ); ``timezone.localdate()``: today in TIME_ZONE (UTC only);
        None for another call."""
        if ref not in (_LOCALDATE, _NOW):
            return None
        what = f"timezone.{ref.rpartition('.')[2]}()"
        if node.args or node.keywords:
            raise NotRecognised(f"{what} of a given value")
        settings = self.settings()
        if settings is None:
            raise NotRecognised(f"{what} with USE_TZ and TIME_ZONE not read")
        if not settings.get("use_tz"):
            raise NotRecognised(f"{what} with USE_TZ = False (a naive local time)")
        if ref == _NOW:
            return GoValue(_NOW_GO, "djtypes.DateTime")
        if settings.get("time_zone") != "UTC":
            raise NotRecognised(f"{what} in TIME_ZONE {settings.get('time_zone')}: only UTC is read")
        return GoValue("djtypes.Today()", "djtypes.Date")  # the date of now in UTC

    def datetime_year_bound(self, year, last: bool) -> str:
        """Go of a DateTimeField's ``__year`` bound (a ``*djtypes.DateTime``, nil for a nil year: the optional
        filter off): Django's year_lookup_bounds_for_datetime_field, the first or last microsecond of the year in
        TIME_ZONE (UTC only); a year Python's datetime() refuses (outside 1..9999) is its ValueError, a 500."""
        settings = self.settings()
        if settings is None or not settings.get("use_tz") or settings.get("time_zone") != "UTC":
            raise NotRecognised("a datetime's __year bound without USE_TZ and TIME_ZONE = 'UTC'")
        if isinstance(year, GoValue) and year.type in ("int", "int32", "int64"):
            year = GoValue(f"Ptr(int64({year.code}))", "*int64")
        if not (isinstance(year, GoValue) and year.type == "*int64"):
            raise NotRecognised("a datetime's __year bound of a value that is not an integer")
        key = ("year bound", year.code, last)
        if self.computed(key) is not None:  # the same bound for the count and the page
            return self.computed(key)
        var = self.var("year_end" if last else "year_start")
        self.remember(key, var)
        self.stmts.append(f"{var}, err := PyYearBound({year.code}, {'true' if last else 'false'})\n"
                          + self.error_check("the year's bounds"))
        return var

    def is_q(self, node, env, fn) -> bool:
        """``Q(...) & Q(...)``, ``|``, ``~``: a condition assigned to a name, which the site that filters on it
        has compiled (its parameters name the values it binds: they are read there)."""
        if isinstance(node, _ast.UnaryOp):
            return isinstance(node.op, _ast.Invert) and self.is_q(node.operand, env, fn)
        if isinstance(node, _ast.BinOp):
            return isinstance(node.op, (_ast.BitAnd, _ast.BitOr)) and all(
                self.is_q(n, env, fn) for n in (node.left, node.right))
        if isinstance(node, _ast.Name):
            v = env.get(node.id)
            return isinstance(v, Global) and v.kind == "q"
        return isinstance(node, _ast.Call) and isinstance(node.func, _ast.Name) and node.func.id not in env and (
            fn["names"].get(node.func.id) or {}).get("ref") == "django.db.models.query_utils.Q"

    @staticmethod
    def is_time_shift(node, fn) -> bool:
        """``x + timedelta(...)`` or ``x - timedelta(...)``."""
        call = node.right
        return isinstance(node.op, (_ast.Add, _ast.Sub)) and isinstance(call, _ast.Call) and isinstance(
            call.func, _ast.Name) and (fn["names"].get(call.func.id) or {}).get("ref") == "datetime.timedelta"

    def time_shift(self, node, env, fn):
        """``x - timedelta(days=n)`` (``+``, ``weeks=``) of a date or an aware datetime, n known: AddDays /
        AddDate, whole days (in UTC a day is 24 hours, as timedelta's)."""
        call = node.right
        days = 0
        for kw in call.keywords:
            v = self.expr(kw.value, env, fn)
            if call.args or kw.arg not in ("days", "weeks") or not isinstance(v, Const) or type(v.value) is not int:
                raise NotRecognised("timedelta() of other than a known number of days or weeks")
            days += v.value * (7 if kw.arg == "weeks" else 1)
        days = -days if isinstance(node.op, _ast.Sub) else days
        base = self.expr(node.left, env, fn)
        if isinstance(base, GoValue) and base.type == "djtypes.Date":
            return GoValue(f"{base.code}.AddDays({days})", "djtypes.Date")
        if isinstance(base, GoValue) and base.type == "djtypes.DateTime":
            at = "djtypes.Now()" if base.code == _NOW_GO else f"{base.code}.Time"
            return GoValue(f"djtypes.DateTimeOf({at}.AddDate(0, 0, {days}))", "djtypes.DateTime")
        raise NotRecognised("timedelta added to a value that is not a date or a datetime")

    def text_call(self, node, env, fn):
        """``.strip()``, ``slugify()``, ``.upper()`` / ``.lower()`` of a text known here (``request.method``); None
        when the call is none of them."""
        func = node.func
        if isinstance(func, _ast.Attribute) and func.attr in ("upper", "lower") and not node.args and not node.keywords:
            v = self.expr(func.value, env, fn)
            if isinstance(v, Const) and isinstance(v.value, str):
                return Const(getattr(v.value, func.attr)())
            raise NotRecognised(f"{func.attr}() of a text known at run time only (Python's case mapping is not Go's)")
        if isinstance(func, _ast.Attribute) and func.attr == "strip" and not node.args and not node.keywords:
            v = self.expr(func.value, env, fn)
            if isinstance(v, Const) and isinstance(v.value, str):
                return Const(v.value.strip())
            if isinstance(v, GoValue) and v.type in ("any", "string"):
                var = self.var("stripped")
                self.stmts.append(f"{var}, err := PyStrip({v.code})\n"
                                  + self.error_check("strip()"))
                return GoValue(var, "string")
            raise NotRecognised("strip() of this value")
        if isinstance(func, _ast.Attribute) and func.attr == "split" and len(node.args) == 1 and not node.keywords:
            sep = node.args[0]  # Python's and Go's split agree for a separator that is not empty ('' raises)
            v = self.expr(func.value, env, fn)
            if isinstance(v, GoValue) and v.type == "*string" and any(g.startswith(f"{v.code} != nil") for g in self.guards):
                v = GoValue(f"*{v.code}", "string")  # under `if s:` (request.GET.get's value: not None)
            if isinstance(sep, _ast.Constant) and isinstance(sep.value, str) and sep.value \
                    and isinstance(v, GoValue) and v.type == "string":
                return GoValue(f"strings.Split({v.code}, {q(sep.value)})", "[]string")
            raise NotRecognised("split() of this value, or by this separator")
        if isinstance(func, _ast.Name) and isinstance(fn["names"].get(func.id), dict):
            g = fn["names"][func.id]
            if g.get("ref") == _SLUGIFY:
                if len(node.args) != 1 or node.keywords:
                    raise NotRecognised("slugify with allow_unicode")
                v = self.expr(node.args[0], env, fn)
                if isinstance(v, GoValue) and v.type == "string":
                    return GoValue(f"Slugify({v.code})", "string")
                raise NotRecognised("slugify() of a value that is not text")
        return None

    def or_text(self, node, env, fn):
        """``x or "text"`` of a JSON value: PyOr (Python returns x when it is true, whatever its type)."""
        v = self.expr(node.values[0], env, fn)
        if isinstance(v, GoValue) and v.type == JSON:
            return GoValue(f"PyOr({v.code}.Value, {q(node.values[1].value)})", "any")
        if isinstance(v, GoValue) and v.type == "string":
            return GoValue(f"Cond({v.code} != \"\", {v.code}, {q(node.values[1].value)})", "string")
        return None


def _created_row(found: str, row_type: str, fields: list[str], pk, insert: str, id_type: str, new_id: str) -> str:
    """The Go of get_or_create's insert branch: the row built from what is inserted, its primary key the id
    the insert returns; ``err`` is the outer one (one check after the branch serves the select and the insert)."""
    if pk is None:
        raise NotRecognised(f"get_or_create: {row_type} has no primary key column")
    name, typ = pk
    if typ == id_type:
        return f"{found} = {row_type}{{{', '.join(fields)}}}\n{found}.{name}, err = {insert}"
    return (f"var {new_id} {id_type}\n{new_id}, err = {insert}\n"
            f"{found} = {row_type}{{{', '.join([f'{name}: {typ}({new_id})'] + fields)}}}")
