"""How far a helper's statements run: ``if a and <call>`` (the call only where ``a`` holds) and ``@transaction.atomic``.

``if a and b: raise/return`` where ``b`` runs a query or a helper: Python evaluates ``b`` only when ``a`` holds.

The reader reads a test into one Go expression, the statements its operands need (a query's call, a
conversion) put before the ``if``: for ``user is not None and Review.objects.filter(user=user).exists()``
that would run the query for AnonymousUser too, with a user Django never binds (``user=None`` compiles to
``IS NULL``: another query). So such a test is read as nested ifs, each operand's statements inside the
block of the operands before it:

```go
if user.IsAuthenticated {
	exists, err := s.Store.CreateReviewReviewExists(ctx, ...)   // the user is signed in here
	...
	if exists {
		return 400, ErrorResponse{...}, nil
	}
}
```

Inside ``if user.IsAuthenticated`` the reader knows the user is signed in (its pk is a query argument).

A helper the view calls is read into the handler only when it has no decorator, or ``@transaction.atomic``
around at most one write (one statement is atomic by itself; a raise after a second write would need the
rollback, which is not read yet). Any other decorator keeps the view a stub, named.
"""

from __future__ import annotations

import ast as _ast
import re

from .handlers_values import Const, NotRecognised

_SIGNED_IN = re.compile("([\\w\x01\x02]+)\\.IsAuthenticated")


def needs_split(test) -> bool:
    """``a and b...`` where an operand after the first calls something (its statements must wait for ``a``)."""
    return isinstance(test, _ast.BoolOp) and isinstance(test.op, _ast.And) and any(
        isinstance(n, _ast.Call) for v in test.values[1:] for n in _ast.walk(v))


def read_split(reader, st, env, fn) -> None:
    """Emit ``if a { <b's statements> if b { body } }`` for ``if a and b: body`` (body ends the view)."""
    first, rest = st.test.values[0], st.test.values[1:]
    test = reader.cond(first, env, fn)
    inner = _ast.If(test=rest[0] if len(rest) == 1 else _ast.BoolOp(op=_ast.And(), values=rest), body=st.body, orelse=[])
    _ast.copy_location(inner, st)
    if isinstance(test, Const):
        if test.value:
            reader.run([inner], env, fn)
        return
    reader.stmts.append(f"if {test.code} {{")
    signed_in = _SIGNED_IN.fullmatch(test.code)
    if signed_in:
        reader.remember(("authenticated", signed_in.group(1)), signed_in.group(1))
    if reader.run([inner], dict(env), fn) is not None:
        raise NotRecognised(f"a branch that does not end the view (line {fn['line'] + st.lineno - 1})")
    reader.stmts.append("}")


_ATOMIC = "django.db.transaction.atomic"


def decorated(tree, names: dict) -> bool:
    """True for a helper under ``@transaction.atomic``; NotRecognised for another decorator."""
    atomic = False
    for d in tree.decorator_list:
        text = _ast.unparse(d)
        head, _, attr = text.partition(".")
        ref = (names.get(text) or {}).get("ref") or (
            (names.get(head) or {}).get("ref", "") + "." + attr if attr else "")
        if ref not in (_ATOMIC, "django.db.transaction.Atomic"):
            raise NotRecognised(f"{tree.name} is decorated with @{text}: the decorator is not read")
        atomic = True
    return atomic


def one_write(name: str, used: list, queries: list) -> None:
    """``@transaction.atomic`` around the statements of ``used``: at most one of them writes."""
    sql = {q.name: q.sql for q in queries}
    writes = [n for n in used if sql.get(n, "").lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))]
    if len(writes) > 1:
        raise NotRecognised(f"{name} writes {len(writes)} times under @transaction.atomic (its rollback is not "
                            "read yet)")
