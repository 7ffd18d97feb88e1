"""``request.GET`` and ``request.POST`` in a migrated view: both are Django QueryDicts, read the same way
(``.get(k)``, ``.get(k, default)``, ``[k]``); only where their values come from differs.

- ``request.GET``: the query string (``req.Query``).
- ``request.POST``: the form body as Django parses it (pyform.go ``Req.Form``): empty unless the method is
  POST with ``Content-Type: application/x-www-form-urlencoded``. Bodies whose reading this port does not cover
  (multipart, another charset, beyond Django's limits, escapes that are not UTF-8) answer 501 before the view
  runs, as a view that is not migrated: never a different answer.
"""

from __future__ import annotations

import ast as _ast
import re

from .handlers_values import Const, GoValue, NotRecognised, QueryDict, q


def request_get(reader) -> QueryDict:
    return QueryDict("req.Query", reader.query_keys)


def request_post(reader) -> QueryDict:
    """``request.POST``: the form variable, declared once at the top of the handler (form_prologue)."""
    if reader.form_var is None:
        reader.form_var = reader.var("form")
    return QueryDict(reader.form_var, reader.form_keys)


def note_int(reader, code: str) -> None:
    """``int(request.POST.get(k))`` / ``int(request.POST[k])``: ``k`` joins ``reader.form_ints``, the keys whose
    texts the parity check posts as integers too (parity.http_forms), so the code past int() is compared."""
    key = _form_key(reader, code)
    if key is not None:
        reader.form_ints.add(key)


def note_texts(reader, code: str, texts) -> None:
    """``request.POST.get(k) == "true"`` (``!=``, ``in`` constants): the texts join ``reader.form_texts[k]``, which
    the parity check posts too (parity.http_forms), so the branch a constant opens is compared."""
    key = _form_key(reader, code)
    if key is not None:
        reader.form_texts.setdefault(key, set()).update(t for t in texts if isinstance(t, str))


def _form_key(reader, code: str) -> str | None:
    """The request.POST key whose value the Go ``code`` is (``QGet(form, "k")``), else None."""
    if reader.form_var is None:
        return None
    m = re.fullmatch(rf'\*?QGet\({re.escape(reader.form_var)}, "([^"\\]*)"\)', code)  # the variable: a placeholder
    return m.group(1) if m else None


def form_prologue(reader) -> list[str]:
    """The statements that parse the form body before the view's own (none when it does not read request.POST)."""
    if reader.form_var is None:
        return []
    covered = reader.var("covered")
    return [f"{reader.form_var}, {covered} := req.Form()",
            "// a form body Django reads with code this port does not cover (pyform.go): a stub's 501",
            f"if !{covered} {{",
            f"return 501, {not_covered(reader)}, nil", "}"]


# dateutil.parser.parse's value: only stored in a DateTimeField (get_prep_value, USE_TZ in UTC), where naive and
# aware datetimes are the same instant; used elsewhere (compared, printed) it is not read
DATEUTIL = "dateutil datetime"
_DATEUTIL_PARSE = "dateutil.parser._parser.parse"


def dateutil_parse(reader, node, env, fn):
    """``dateutil.parser.parse(text)`` (or ``parser.parse``, ``parse`` imported): pyform.go PyDateutilParse, for the
    ISO 8601 forms it covers; other text answers 501 (not covered), a field out of range is dateutil's ParserError
    (a ValueError), None is its TypeError. None when the call is another."""
    func = node.func
    if isinstance(func, _ast.Attribute) and isinstance(func.value, _ast.Attribute) and isinstance(
            func.value.value, _ast.Name) and func.value.value.id not in env:  # dateutil.parser.parse
        owner = fn["names"].get(f"{func.value.value.id}.{func.value.attr}") or {}
        found = func.attr == "parse" and owner.get("ref") == "dateutil.parser"
    else:
        key = func.id if isinstance(func, _ast.Name) else _ast.unparse(func)
        found = key not in env and (fn["names"].get(key) or {}).get("ref") == _DATEUTIL_PARSE
    if not found:
        return None
    settings = reader.settings()
    if settings is None or not settings.get("use_tz") or settings.get("time_zone") != "UTC":
        raise NotRecognised("dateutil.parser.parse without USE_TZ and TIME_ZONE = 'UTC'")
    if len(node.args) != 1 or node.keywords:
        raise NotRecognised("dateutil.parser.parse arguments")
    arg = reader.expr(node.args[0], env, fn)
    if not isinstance(arg, GoValue) or arg.type not in ("string", "*string"):
        raise NotRecognised("dateutil.parser.parse of a value that is not text")
    code = arg.code
    if arg.type == "*string":
        reader.throw_if(f"{code} == nil", "builtins.TypeError",
                        Const("Parser must be a string or character stream, not NoneType"))
        code = f"*{code}"
    var = reader.var("parsed")
    reader.stmts.append(f"{var}, err := PyDateutilParse({code})")
    reader.stmts.append("// text dateutil reads with rules this port does not cover (pyform.go): a stub's 501\n"
                        f"if err == ErrNotCovered {{\nreturn 501, {not_covered(reader)}, nil\n}}")
    reader.throw_if("err != nil", "builtins.ValueError", GoValue("err.Error()", "string"))
    return GoValue(var, DATEUTIL)


def not_covered(reader) -> str:
    """The Go answer of an input this port does not cover: the stub's 501 body (pyform.go NotCovered)."""
    source = f"{reader.route.get('file', '')}:{reader.route.get('line', '')}"
    return f"NotCovered({q(reader.route['view'])}, {q(source)})"


def nil_matches_nothing(reader, p, v) -> bool:
    """``.get(field=value)`` of a value that may be None (``request.POST.get(k)``): Django compiles None to
    ``IS NULL``, which a NOT NULL column never matches: DoesNotExist, raised before the query (in Go, the value
    is then known not nil). False elsewhere (a nullable column, another lookup, not a ``.get()``)."""
    label, _, name = p.field.rpartition(".")
    model = reader.models.get(label)
    f = next((f for f in model.fields if f.name == name), None) if model else None
    exact = re.search(rf"(?<![<>!])=\s*sqlc\.arg\({re.escape(p.name)}\)", reader.query.sql or "")
    if getattr(reader, "no_match", None) is None or f is None or f.null or not exact or p.transform:
        return False
    reader.throw_if(f"{v.code} == nil", reader.no_match)
    return True


# an integer field's internal type -> the bits of its column on PostgreSQL / MySQL (SQLite's are 64)
_BITS = {"AutoField": 32, "IntegerField": 32, "SmallAutoField": 16, "SmallIntegerField": 16, "BigAutoField": 64,
         "BigIntegerField": 64}


def int_lookup(reader, p, v, base: str) -> str | None:
    """``.get(id=text)`` of an integer field by text (``request.POST.get(k)``): pyvalues.go PyIntLookup, Django's
    get_prep_value (int(), its ValueError) and IntegerFieldOverflow (a number beyond the column matches nothing:
    DoesNotExist); None, DoesNotExist too. None when the lookup is another (not exact, a nullable column, a
    parameter type narrower than the column on SQLite)."""
    label, _, name = p.field.rpartition(".")
    model = reader.models.get(label)
    f = next((f for f in model.fields if f.name == name), None) if model else None
    exact = re.search(rf"(?<![<>!])=\s*sqlc\.arg\({re.escape(p.name)}\)", reader.query.sql or "")
    if getattr(reader, "no_match", None) is None or f is None or f.null or not exact or p.transform or (
            f.internal_type not in _BITS or base != "int64"):
        return None
    code = v.code
    if v.type == "*string":
        reader.throw_if(f"{v.code} == nil", reader.no_match)
        code = f"*{v.code}"
    var, ok = reader.var("number"), reader.var("ok")
    reader.stmts.append(f"{var}, {ok}, err := PyIntLookup({code}, {q(f.name)}, {_BITS[f.internal_type]})")
    reader.throw_if("err != nil", "builtins.ValueError", GoValue("err.Error()", "string"))
    reader.throw_if(f"!{ok}", reader.no_match)
    return var
