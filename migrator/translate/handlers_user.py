"""``request.user`` in a migrated view's body, read against djauth (the generated Go auth package).

The view reader (handlers.ViewReader) calls in here at four points, each a small hook:

- ``request.user`` -> a UserRow: the Go variable holding the request's ``*djauth.User``, declared where
  first read (``djauth.CurrentUser(ctx)``: loaded once per request by djauth's Middleware, as Django's
  AuthenticationMiddleware does lazily);
- an attribute of a UserRow (``request.user.is_authenticated``, ``.username``, ``.id``...): user_attribute;
- a forward relation to the user model on a fetched row (``profile.user``): the query Django's descriptor
  runs, by primary key (related_user);
- a UserRow as a query argument (``filter(user=request.user)``, ``request.user.orders...``): its primary
  key (user_pk).

AnonymousUser is Django's: ``is_authenticated`` false, ``is_active`` / ``is_staff`` / ``is_superuser``
false, ``username`` "", ``pk`` / ``id`` None; anything else on it (``email``, a related manager, being a
query argument) raises in Django, so the Go answers 500 there (a check the reader emits where the value is
used). Attributes djauth does not load (``date_joined``, custom fields) keep the view a stub.
"""

from __future__ import annotations

import ast as _ast
from dataclasses import dataclass

from .auth import PK_KINDS, user_model
from .handlers_values import Const, GoValue, NotRecognised, Obj, Request, q

# attribute -> djauth.User field, for the columns djauth loads (when the user model has them)
_STRINGS = {"email": "Email", "first_name": "FirstName", "last_name": "LastName"}
_FLAGS = {"is_active": "IsActive", "is_staff": "IsStaff", "is_superuser": "IsSuperuser"}  # False on AnonymousUser
MARK = "djauth."  # a handler whose Go names djauth runs behind its Middleware (user_guards)


@dataclass
class UserRow:
    """A ``*djauth.User`` in a Go variable; ``authenticated``: never AnonymousUser (a row loaded by pk)."""

    var: str
    authenticated: bool = False


def _model(reader):
    model = user_model(reader.project)
    if model is None:
        raise NotRecognised("request.user without a user model (django.contrib.auth is not installed)")
    return model


def _declare(reader, key, hint: str, call: str, what: str) -> str:
    """The Go variable holding ``call``'s user, declared here unless one in scope already holds it."""
    var = reader.computed(key)
    if var is None:
        var = reader.var(hint)
        reader.stmts.append(f"{var}, err := {call}\n" + reader.error_check(what))
        reader.remember(key, var)
    return var


def request_user(reader) -> UserRow:
    """``request.user``."""
    _model(reader)
    return UserRow(_declare(reader, ("djauth.CurrentUser",), "user", "djauth.CurrentUser(ctx)", "request.user"))


def _authenticated(reader, row: UserRow, what: str) -> None:
    """Django raises on AnonymousUser here: the Go answers 500 for an anonymous request (once per scope)."""
    if row.authenticated or reader.computed(("authenticated", row.var)) is not None:
        return
    if reader.handlers:  # an except clause could catch Django's AttributeError / TypeError
        raise NotRecognised(f"request.user.{what} inside try: AnonymousUser's error could be caught")
    reader.stmts.append(f"if !{row.var}.IsAuthenticated {{\nreturn http.StatusInternalServerError, nil, "
                        f"errors.New({q(f'AnonymousUser: {what}')})\n}}")
    reader.remember(("authenticated", row.var), row.var)


def user_pk(reader, row: UserRow) -> GoValue:
    """The user as a query argument: its integer primary key (Django raises for AnonymousUser, except in
    a chain on its EmptyManager, which anonymous_manager's closure does not run for AnonymousUser)."""
    model = _model(reader)
    pk = model.field(model.pk)
    if pk is None or PK_KINDS.get(pk.internal_type) != "int":
        raise NotRecognised("request.user with a primary key that is not an integer")
    if getattr(reader, "anonymous_empty", None) != row.var:
        _authenticated(reader, row, "pk as a query argument")
    return GoValue(f"{row.var}.IntPK()", "int64", pk)


EMPTY_MANAGERS = ("groups", "user_permissions")  # AnonymousUser's EmptyManager(Group) / EmptyManager(Permission)


def anonymous_manager(reader, node, env, fn) -> UserRow | None:
    """The user of a chain on ``user.groups`` / ``user.user_permissions`` when it may be AnonymousUser: Django's
    AnonymousUser answers those with an EmptyManager, whose QuerySets are ``.none()`` (no query, no row)."""
    while isinstance(node, (_ast.Call, _ast.Attribute, _ast.Subscript)):
        if isinstance(node, _ast.Attribute) and node.attr in EMPTY_MANAGERS and is_user_chain(node, env):
            base = node.value
            if not ((isinstance(base, _ast.Attribute) and base.attr == "user") or isinstance(base, _ast.Name)):
                return None
            row = reader.expr(base, env, fn)
            if not isinstance(row, UserRow) or row.authenticated or reader.computed(("authenticated", row.var)):
                return None
            return row
        node = node.func if isinstance(node, _ast.Call) else node.value
    return None


def unless_anonymous(row: UserRow, call: str, query, m, last: str) -> str:
    """``call`` run for a signed-in user only; for AnonymousUser the answer of an empty QuerySet: no rows, a
    count of 0, exists() False, get() DoesNotExist and first() None (sql.ErrNoRows, read as Django does)."""
    if m.ret.startswith("[]"):
        zero, err = "nil", "nil"
    elif query.command == "one" and query.result == "instance" and last in ("get", "first"):
        zero, err = f"{m.ret}{{}}", "sql.ErrNoRows"
    elif query.command == "one" and query.result == "scalar" and last in ("count", "exists"):
        zero = {"bool": "false", "string": '""'}.get(m.ret, "0")
        err = "sql.ErrNoRows" if last == "exists" else "nil"
    else:
        raise NotRecognised(f"{last}() on AnonymousUser's EmptyManager (user.groups / user.user_permissions)")
    return (f"func() ({m.ret}, error) {{\nif !{row.var}.IsAuthenticated {{\nreturn {zero}, {err}\n}}\n"
            f"return {call}\n}}()")


def anonymous_pk_argument(v, param: str) -> None:
    """``filter(owner_id=request.user.id)`` without a check that the user is signed in: for AnonymousUser the
    value is None, which Django compiles to ``owner_id IS NULL`` (rows without an owner), a query other than
    ``owner_id = $1``: not translated, even after an ``is_authenticated`` check (the reader does not narrow the
    user there); ``filter(owner=request.user)`` is."""
    if isinstance(v, GoValue) and v.code.endswith(".NullPK()"):
        raise NotRecognised(f"request.user.id as the query argument {param}: None for AnonymousUser, which Django "
                            "compiles to IS NULL (another query)")


def user_attribute(reader, row: UserRow, attr: str):
    """``user.<attr>`` for the attributes djauth.User carries with Django's values."""
    model = _model(reader)
    field = model.field(attr)
    if attr == "is_authenticated":
        return Const(True) if row.authenticated else GoValue(f"{row.var}.IsAuthenticated", "bool")
    if attr == "is_anonymous":
        return Const(False) if row.authenticated else GoValue(f"!{row.var}.IsAuthenticated", "bool")
    if attr in _FLAGS and field is not None:
        return GoValue(f"{row.var}.{_FLAGS[attr]}", "bool", field)
    if attr in ("pk", "id", model.pk) and (attr != "id" or model.field("id") is not None):
        pk = model.field(model.pk)
        if pk is None or PK_KINDS.get(pk.internal_type) != "int":
            raise NotRecognised("request.user.pk that is not an integer")
        if row.authenticated:
            return GoValue(f"{row.var}.IntPK()", "int64", pk)
        return GoValue(f"{row.var}.NullPK()", "sql.NullInt64", pk)  # None for AnonymousUser
    if attr == "username" and field is not None and field.column and not field.null and (
            model.field("username") is not None):  # djauth's Username is USERNAME_FIELD's value
        return GoValue(f"{row.var}.Username", "string", field)
    if attr in _STRINGS and field is not None and field.column and not field.null:
        _authenticated(reader, row, attr)
        return GoValue(f"{row.var}.{_STRINGS[attr]}", "string", field)
    raise NotRecognised(f"request.user.{attr} is not read yet (djauth loads the flags, pk, username, email "
                        "and names)")


def related_user(reader, obj: Obj, attr: str):
    """``row.<fk to the user model>`` not selected with the row: Django's descriptor queries it by pk.
    None when ``attr`` is not such a relation."""
    model = user_model(reader.project)
    source = reader.models.get(obj.model)
    f = source.field(attr) if source is not None and model is not None else None
    if f is None or not f.relation or f.relation.target != model.label or f.relation.kind == "many_to_many":
        return None
    if f.null or f.attname not in obj.columns or f.relation.target_field not in ("id", model.pk):
        raise NotRecognised(f"{obj.model}.{attr}: a nullable relation to the user, or not by its pk")
    code = obj.columns[f.attname][0]
    var = _declare(reader, ("djauth.RelatedUser", code), attr, f"djauth.RelatedUser(ctx, {code})",
                   f"{obj.model}.{attr}")
    return UserRow(var, authenticated=True)


# internal types whose Field.empty_strings_allowed is True (their get_default() is "" when not null)
_TEXT_TYPES = {"CharField", "TextField", "SlugField", "EmailField", "URLField", "FilePathField",
               "GenericIPAddressField", "IPAddressField"}


def save_default(f, typ: str) -> tuple[str, str]:
    """(Go code, Go type) of ``f.get_default()``, the value Django inserts for a column get_or_create(user=...)
    is not given (Profile.objects.get_or_create(user=request.user)); a callable default is not read."""
    d = f.default
    value = d.value if d.kind == "literal" else None if f.null or f.internal_type not in _TEXT_TYPES else ""
    if d.kind == "callable" or (value is None and not typ.startswith("*")):
        raise NotRecognised(f"the default of {f.name} ({d.kind}) for a {typ} column")
    if value is None:
        return "nil", typ
    base = typ.lstrip("*")
    if isinstance(value, bool) and base == "bool":
        code = "true" if value else "false"
    elif isinstance(value, int) and not isinstance(value, bool) and base in ("int64", "int32", "int16", "int"):
        code = str(value)
    elif isinstance(value, str) and base == "string":
        code = q(value)
    else:
        raise NotRecognised(f"the default {value!r} of {f.name} for a {typ} column")
    return (f"Ptr({code})" if typ.startswith("*") else code), typ


def is_user_chain(node, env) -> bool:
    """``request.user.<related manager>...``: a QuerySet chain rooted at the request's user."""
    prev = None
    while isinstance(node, (_ast.Call, _ast.Attribute, _ast.Subscript)):
        prev, node = node, node.func if isinstance(node, _ast.Call) else node.value
        if (isinstance(prev, _ast.Attribute) and prev.attr == "user" and isinstance(node, _ast.Name)
                and isinstance(env.get(node.id), Request)):
            return True
    return prev is not None and isinstance(node, _ast.Name) and isinstance(env.get(node.id), UserRow)  # user.orders


def user_guards(handlers, migrated: dict, guards: dict) -> dict:
    """handler -> the identity guard, for migrated handlers whose Go reads djauth without a guard of their
    own: the route then runs djauth's Middleware (request.user loaded once per request) before them."""
    identity = "func(a *djauth.Auth, h http.HandlerFunc) http.HandlerFunc { return h }"
    out = {}
    for h in handlers:
        mv = migrated.get(h.view)
        if mv is not None and h.name not in guards and any(
                MARK in st for v in (mv, *mv.variants.values()) for g in v.groups for st in g["stmts"]):
            out[h.name] = identity
    return out


def _answers(reader, call, fn) -> bool:
    """``call`` is of a project function with a ``return SomethingResponse(...)``."""
    name = call.func.id if isinstance(call.func, _ast.Name) else None
    ref = (fn["names"].get(name) or {}).get("ref") if name else None
    target = reader.functions.get(ref) if ref else None
    if target is None:
        return False
    return any(isinstance(n, _ast.Return) and isinstance(n.value, _ast.Call) and isinstance(n.value.func, _ast.Name)
               and n.value.func.id.endswith("Response") for n in _ast.walk(_ast.parse(target["source"])))


def answering_helper(reader, st, nxt, fn):
    """``denied = helper(request)`` then ``if denied: return denied`` (``is not None`` too): a helper that
    returns a response (``_login_required_json``: a 401 for AnonymousUser) or None. The reader inlines it
    with its ``return <response>`` answering the view (what the caller's ``if`` does) and its ``return
    None`` going on after the ``if``; anything else it returns keeps the view a stub. Returns (name, call)."""
    if not (isinstance(st, _ast.Assign) and len(st.targets) == 1 and isinstance(st.targets[0], _ast.Name)
            and isinstance(st.value, _ast.Call) and isinstance(nxt, _ast.If) and not nxt.orelse
            and len(nxt.body) == 1 and isinstance(nxt.body[0], _ast.Return)):
        return None
    name, test, ret = st.targets[0].id, nxt.test, nxt.body[0].value
    tested = (isinstance(test, _ast.Name) and test.id == name) or (
        isinstance(test, _ast.Compare) and isinstance(test.left, _ast.Name) and test.left.id == name
        and len(test.ops) == 1 and isinstance(test.ops[0], _ast.IsNot)
        and isinstance(test.comparators[0], _ast.Constant) and test.comparators[0].value is None)
    if not tested or not (isinstance(ret, _ast.Name) and ret.id == name) or not _answers(reader, st.value, fn):
        return None
    return name, st.value


def read_answering(reader, name: str, call, env, fn) -> None:
    """Inline ``call`` (see answering_helper) with its responses answering the view; ``name`` holds None after."""
    saved = reader.answering
    reader.answering = reader.depth + 1
    try:
        value = reader.expr(call, env, fn)
    finally:
        reader.answering = saved
    if not isinstance(value, Const) or value.value is not None:
        raise NotRecognised(f"{name} = a helper that returns a response or something else than None")
    env[name] = value


@dataclass
class OptionalUser:
    """``request.user if request.user.is_authenticated else None``: the signed-in user, or None for
    AnonymousUser (``is None`` is ``!row.IsAuthenticated``; as a nullable foreign key: ``NullPK()``)."""

    row: UserRow


def optional_user(reader, node, test, env, fn):
    """An OptionalUser for ``request.user if request.user.is_authenticated else None``, else None."""
    body = node.body
    if not (isinstance(node.orelse, _ast.Constant) and node.orelse.value is None and isinstance(body, _ast.Attribute)
            and body.attr == "user" and isinstance(body.value, _ast.Name) and isinstance(env.get(body.value.id), Request)):
        return None
    row = reader.expr(body, env, fn)
    if not isinstance(row, UserRow) or test.code != f"{row.var}.IsAuthenticated":
        return None
    return OptionalUser(row)


def wrapped_user_reason(node, env, fn, ref: str) -> str | None:
    """The stub reason for a call of something outside Django given the request's user (django-helpdesk's
    ``huser = HelpdeskUser(request.user)``): the object's methods run the project's own permission rules
    (``can_access_queue``: settings and ``user.has_perm``), which no hook here reads; the reason names the call
    and each method the view calls on what it made, with lines. None when no argument is ``request.user``."""
    if not any(isinstance(a, _ast.Attribute) and a.attr == "user" and isinstance(a.value, _ast.Name)
               and isinstance(env.get(a.value.id), Request) for a in node.args):
        return None
    line = fn["line"] + node.lineno - 1
    uses = []
    if fn.get("source"):
        tree = _ast.parse(fn["source"])
        bound = {t.id for st in _ast.walk(tree) if isinstance(st, _ast.Assign) and isinstance(st.value, _ast.Call)
                 and (st.value.lineno, st.value.col_offset) == (node.lineno, node.col_offset)
                 for t in st.targets if isinstance(t, _ast.Name)}
        uses = [f"{_ast.unparse(c)} at line {fn['line'] + c.lineno - 1}" for c in _ast.walk(tree)
                if isinstance(c, _ast.Call) and isinstance(c.func, _ast.Attribute) and isinstance(c.func.value, _ast.Name)
                and c.func.value.id in bound]
    said = f"; its methods are not read: {', '.join(sorted(uses, key=lambda u: int(u.rsplit(' ', 1)[1])))}" if uses else ""
    return (f"{_ast.unparse(node)} at line {line}: an object of {ref} made from the signed-in user, whose "
            f"permission rules are the project's own{said}")
