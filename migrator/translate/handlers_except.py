"""Exceptions for migrated handlers (split from handlers_write.py): the class an ``except`` names, ``raise``
translated where it happens (the innermost matching clause's body, else Django's answer: Http404 a 404, the
exceptions Django turns into a status of their own, anything else a 500), and the classes not read because
they would catch differently from Python (a bare except, ``except Exception``, a lone ``except
json.JSONDecodeError`` around ``json.loads``)."""

from __future__ import annotations

import ast as _ast

from .handlers_values import Const, Done, Exc, GoValue, Global, NotRecognised, q

# exceptions django.core.handlers.exception.response_for_exception turns into a status of their own
_DJANGO_STATUS = {
    "django.core.exceptions.PermissionDenied": 403,
    "django.core.exceptions.BadRequest": 400,
    "django.core.exceptions.SuspiciousOperation": 400,
    "django.http.multipartparser.MultiPartParserError": 400,
}

# exception class -> the classes an `except` naming them catches it for (its MRO: Django's and Python's classes)
_E = "builtins.Exception"
_CAUGHT_BY = {
    "builtins.ValueError": {"builtins.ValueError", _E},
    "builtins.TypeError": {"builtins.TypeError", _E},
    "builtins.KeyError": {"builtins.KeyError", "builtins.LookupError", _E},
    "decimal.InvalidOperation": {"decimal.InvalidOperation", "decimal.DecimalException", "builtins.ArithmeticError", _E},
    "django.http.response.Http404": {"django.http.response.Http404", _E},
    **{ref: {ref, _E} for ref in _DJANGO_STATUS},
}
_BUILTIN_EXC = {"ValueError", "KeyError", "TypeError", "UnicodeDecodeError"}
# json.loads of bytes raises JSONDecodeError (bad JSON) or UnicodeDecodeError (bytes not UTF-8), both ValueErrors;
# the Go's DecodeBody error is one error for both, so an except naming one of these alone is not read
_JSON_PART = {"json.decoder.JSONDecodeError", "builtins.UnicodeDecodeError", "builtins.UnicodeError"}
# builtin classes above every class the reader raises: they catch errors the Go answers 500 for without a raise
_CATCH_ALL = {"Exception", "BaseException", "LookupError", "ArithmeticError", "OSError", "RuntimeError"}


def _caught_by(ref: str, models: set):
    """The classes an except catching ``ref`` names, None when not known (a project's own class)."""
    if ref.endswith(".DoesNotExist") and ref[:-len(".DoesNotExist")] in models:  # a model's (app.Model.DoesNotExist)
        return {ref, "django.core.exceptions.ObjectDoesNotExist", _E}  # (a parent model's: refused in throw)
    return _CAUGHT_BY.get(ref)


class ExceptMixin:
    """Exception reading for ViewReader (see the module docstring)."""

    def exc_ref(self, node, env, fn) -> str:
        if isinstance(node, _ast.Name) and node.id in _BUILTIN_EXC and node.id not in fn["names"]:
            return f"builtins.{node.id}"
        if isinstance(node, _ast.Name) and node.id in _CATCH_ALL and node.id not in fn["names"]:
            raise NotRecognised(f"except {node.id} (line {fn['line'] + node.lineno - 1}): it catches errors the Go "
                                "answers 500 for (a database error, an overflow) as well as the ones it raises")
        v = self.expr(node, env, fn)
        if isinstance(v, Global) and v.kind in ("function", "external", "exception"):
            return v.ref
        raise NotRecognised(f"exception class {_ast.unparse(node)}")

    def raise_(self, st, env, fn):
        if st.exc is None or st.cause is not None:
            raise NotRecognised("a bare raise or raise from")
        node, message = st.exc, None
        if isinstance(node, _ast.Call):
            if len(node.args) > 1 or node.keywords:
                raise NotRecognised("exception arguments")
            if node.args:
                message = self.expr(node.args[0], env, fn)
                if not isinstance(message, (Const, GoValue)) or (isinstance(message, GoValue) and message.type != "string"):
                    raise NotRecognised("an exception message that is not text")
            node = node.func
        return self.throw(self.exc_ref(node, env, fn), message)

    def throw(self, ref: str, message):
        """Go for `raise ref(message)` here: the handler that catches it, or Django's answer."""
        caught_by = _caught_by(ref, {m.label for m in self.project.models})
        for h in reversed(self.handlers):
            other = ref.endswith(".DoesNotExist") and caught_by and {
                r for r in h.refs - {ref} if r.endswith(".DoesNotExist")}
            if (caught_by is None or other) and ref not in h.refs:  # a project's class (or a parent model's
                # DoesNotExist, which a child model's subclasses): its bases are not known here
                raise NotRecognised(f"{ref} raised inside except {', '.join(sorted(h.refs))}: "
                                    "whether that clause catches it depends on classes the reader does not know")
            if h.refs & (caught_by or {ref}):
                saved_depth, saved_handlers = self.depth, self.handlers
                self.depth, self.handlers = h.depth, self.handlers[:self.handlers.index(h)]
                env = dict(h.env)
                if h.name:
                    env[h.name] = Exc(ref, message)
                try:
                    out = self.run(list(h.body), env, h.fn)
                finally:
                    self.depth, self.handlers = saved_depth, saved_handlers
                if not isinstance(out, Done):
                    raise NotRecognised("an except clause that does not end the view")
                return Done()
        if ref == "django.http.response.Http404":
            self.stmts.append("return http.StatusNotFound, NotFoundBody, nil")
        elif ref in _DJANGO_STATUS:  # Django answers these with its 403/400 page, not a 500
            self.stmts.append(self.error_page(ref, _DJANGO_STATUS[ref]))  # handlers_exprs
        else:
            said = f" {message.value}" if isinstance(message, Const) and isinstance(message.value, str) else ""
            text = f"{self.view_name()}: uncaught {ref.rpartition('.')[2]}{said}"
            self.stmts.append(f"return http.StatusInternalServerError, nil, errors.New({q(text)})")
        return Done()

    def json_catch(self) -> None:
        """json.loads' error here: refused when the except clause it reaches names JSONDecodeError or
        UnicodeDecodeError without ValueError (it would catch one of the two errors the Go cannot tell apart)."""
        for h in reversed(self.handlers):
            if h.refs & _CAUGHT_BY["builtins.ValueError"]:
                return
            if h.refs & _JSON_PART:
                raise NotRecognised(f"except {', '.join(sorted(r.rpartition('.')[2] for r in h.refs & _JSON_PART))} "
                                    "around json.loads: Python tells bad JSON from bytes that are not UTF-8, the Go does not")

    def throw_if(self, cond: str, ref: str, message=None) -> None:
        """`if cond { raise ref }`, the raise translated where it happens."""
        self.stmts.append(f"if {cond} {{")
        out = self.throw(ref, message)
        if not isinstance(out, Done):
            raise NotRecognised("a raise that does not end the view")
        self.stmts.append("}")
