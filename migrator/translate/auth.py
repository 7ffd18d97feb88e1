"""The user model as djauth (the generated Go auth package) needs it: table, columns, permission tables.

Pure: Project IR in, a plain view-model out (no Django, no Jinja). The user model is the concrete
model that derives from AbstractBaseUser (``AUTH_USER_MODEL``: Django leaves a swapped-out ``auth.User``
out of the registry the loader reads); the permission tables come from its ``groups`` and
``user_permissions`` many-to-many fields (PermissionsMixin), the token table from DRF's authtoken app.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional

from ..ir import Diagnostic, Model, Project

BASE_USER = "django.contrib.auth.base_user.AbstractBaseUser"
# PBKDF2PasswordHasher.iterations per Django release (django/contrib/auth/hashers.py)
PBKDF2_ITERATIONS = {(3, 2): 260_000, (4, 0): 320_000, (4, 1): 390_000, (4, 2): 600_000, (5, 0): 720_000,
                     (5, 1): 870_000, (5, 2): 1_000_000, (6, 0): 1_200_000}
# (Go field, column candidates): the string columns request.user exposes, when the model has them
STRING_COLUMNS = (("Password", ("password",)), ("Email", ("email",)), ("FirstName", ("first_name",)),
                  ("LastName", ("last_name",)))
BOOL_COLUMNS = (("IsActive", "is_active"), ("IsStaff", "is_staff"), ("IsSuperuser", "is_superuser"))
PK_KINDS = {"AutoField": "int", "BigAutoField": "int", "SmallAutoField": "int", "IntegerField": "int",
            "BigIntegerField": "int", "PositiveIntegerField": "int", "UUIDField": "uuid"}


@dataclass(frozen=True)
class UserModel:
    label: str
    table: str
    pk_column: str
    pk_kind: str
    password_column: str
    username_field: str
    username_column: str
    last_login_column: str
    select: str  # SELECT ... FROM table (pk first, as the scan list)
    scan: str  # Go scan destinations, in select order
    nullable: dict  # Go local -> User field, for string columns scanned through sql.NullString
    perms: Optional[dict]
    token: Optional[dict]
    django_version: str
    pbkdf2_iterations: int
    diagnostics: tuple = field(default=())


def pbkdf2_iterations(version: str) -> int:
    """The iteration count of the Django release (the latest known one at or below it)."""
    try:
        major, minor = (int(x) for x in version.split(".")[:2])
    except ValueError:
        return PBKDF2_ITERATIONS[max(PBKDF2_ITERATIONS)]
    known = [v for v in PBKDF2_ITERATIONS if v <= (major, minor)]
    return PBKDF2_ITERATIONS[max(known)] if known else PBKDF2_ITERATIONS[min(PBKDF2_ITERATIONS)]


def user_model(project: Project) -> Optional[Model]:
    users = [m for m in project.models if m.kind == "concrete" and BASE_USER in m.abstract_bases]
    return sorted(users, key=lambda m: (m.label != "auth.User", m.label))[0] if users else None


def _column(model: Model, name: str) -> str:
    f = model.field(name)
    return f.column if f is not None and f.column else ""


def _m2m(model: Model, name: str):
    f = model.field(name)
    return f.relation if f is not None and f.relation and f.relation.kind == "many_to_many" else None


def _perms(model: Model) -> Optional[dict]:
    groups, perms = _m2m(model, "groups"), _m2m(model, "user_permissions")
    if not (groups and perms and groups.join_table and perms.join_table):
        return None
    return {"groups_table": groups.join_table, "groups_user": groups.join_column,
            "groups_target": groups.join_target_column, "user_perms_table": perms.join_table,
            "user_perms_user": perms.join_column, "user_perms_target": perms.join_target_column}


def _token(project: Project) -> Optional[dict]:
    token = project.model("authtoken.Token")
    if token is None or not _column(token, "key") or not _column(token, "user"):
        return None
    return {"table": token.db_table, "key_column": _column(token, "key"), "user_column": _column(token, "user")}


def plan_auth(project: Project) -> Optional[UserModel]:
    """The view-model of djauth's users.go, or None when the project has no user model (no contrib.auth)."""
    model = user_model(project)
    if model is None:
        return None
    diagnostics = []
    pk = model.field(model.pk)
    pk_kind = PK_KINDS.get(pk.internal_type, "str") if pk else "str"
    username_field = "username" if _column(model, "username") else "email" if _column(model, "email") else ""
    if not username_field:  # USERNAME_FIELD is a class attribute the IR does not carry
        diagnostics.append(Diagnostic(
            "AUTH_USERNAME_FIELD", f"{model.label} has neither `username` nor `email`: Go logins by password look "
            "users up by the primary key", file=model.file, line=model.line, column=1, severity="warning"))
        username_field = model.pk
    columns, scan, nullable = [pk.column if pk else model.pk], ["&u.ID"], {}
    for go_field, names in STRING_COLUMNS + (("Username", (username_field,)),):
        col = next((_column(model, n) for n in names if _column(model, n)), "")
        if col:
            local = go_field[0].lower() + go_field[1:]
            columns.append(col)
            scan.append(f"&{local}")
            nullable[local] = go_field
    for go_field, name in BOOL_COLUMNS:
        if _column(model, name):
            columns.append(_column(model, name))
            scan.append(f"&u.{go_field}")
    return UserModel(
        label=model.label, table=model.db_table, pk_column=columns[0], pk_kind=pk_kind,
        password_column=_column(model, "password"), username_field=username_field,
        username_column=_column(model, username_field), last_login_column=_column(model, "last_login"),
        # identifiers quoted as MySQL does (a column may be a reserved word there); djauth's rebind makes them
        # "name" on PostgreSQL and SQLite
        select=f"SELECT {', '.join(f'`{c}`' for c in columns)} FROM `{model.db_table}`", scan=", ".join(scan), nullable=nullable,
        perms=_perms(model), token=_token(project), django_version=project.django_version,
        pbkdf2_iterations=pbkdf2_iterations(project.django_version), diagnostics=tuple(diagnostics))
