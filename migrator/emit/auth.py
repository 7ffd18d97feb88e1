"""djauth: the generated Go package that reads and writes what django.contrib.auth does (sessions, password
hashes, permissions, CSRF, DRF tokens). Written with the common files, like djtypes, whatever the targets
(so go.mod, which must require golang.org/x/crypto for it, is the same for every target); the http target
adds http/auth.go (the route guards) and, for fiber, its own go.mod with djauth's modules.

Every file is static Go under ``templates/auth/`` except ``users.go``, rendered from the user model the
translator read from Django's registry (translate.auth). The hashers need golang.org/x/crypto (Argon2,
bcrypt, scrypt; PBKDF2 is the standard library's), so a tree with djauth requires it: AUTH_REQUIRES.
"""

from __future__ import annotations

import json

from ..templating import render, template_root
from . import Emitted, GenFile
from .gofile import go_file, gofmt

PACKAGE = "djauth"
# golang.org/x/crypto v0.42.0 is the release of golang.org/x/text v0.29.0 (which go.mod already pins); it
# raises golang.org/x/sys to v0.36.0 (go mod tidy over the http tree).
AUTH_REQUIRES = [("golang.org/x/crypto", "v0.42.0")]
AUTH_INDIRECT = {"golang.org/x/sys": "v0.36.0"}


def emit_auth(user) -> Emitted:
    """djauth/*.go for the user model ``user`` (translate.auth.UserModel, which the translate stage decided)."""
    out = Emitted(diagnostics=list(user.diagnostics))
    for path in sorted((template_root() / "auth").glob("*.go")):  # (*.go.j2 are rendered)
        out.files[f"{PACKAGE}/{path.name}"] = GenFile(path.read_text())
    out.files[f"{PACKAGE}/users.go"] = GenFile(gofmt(f"{PACKAGE}/users.go", render(
        "auth/users.go.j2", u=user, q=lambda v: json.dumps(str(v), ensure_ascii=False),
        qi=lambda name: f"`{name}`")))  # quoted as MySQL does; djauth's rebind: "name" elsewhere
    out.notes.append(f"auth: djauth for {user.label} ({'permissions' if user.perms else 'no permissions'}"
                     f"{', DRF tokens' if user.token else ''}; PBKDF2 {user.pbkdf2_iterations} iterations, "
                     f"Django {user.django_version})")
    return out


def server_auth(module: str, framework: str = "nethttp") -> GenFile:
    """http/auth.go: Server.Auth, and the guard the routes wrap guarded views' handlers in (for fiber, djauth's
    net/http guards run on the request converted by fiber's adaptor; for gin, on its own request)."""
    if framework == "fiber":
        return GenFile(go_file("http/auth.go", "auth/server_fiber.go.j2", module, extra_imports=(
            "sync", "slices", "github.com/gofiber/fiber/v2/middleware/adaptor")))
    if framework == "gin":  # djauth's guards run on Gin's own *http.Request and http.ResponseWriter
        return GenFile(go_file("http/auth.go", "auth/server_gin.go.j2", module, extra_imports=("sync", "slices")))
    return GenFile(go_file("http/auth.go", "auth/server.go.j2", module, extra_imports=("sync", "slices")))


# go.sum lines of AUTH_REQUIRES and AUTH_INDIRECT (go mod tidy over an http tree with djauth)
AUTH_SUM = """\
golang.org/x/crypto v0.42.0 h1:chiH31gIWm57EkTXpwnqf8qeuMUi0yekh6mT2AvFlqI=
golang.org/x/crypto v0.42.0/go.mod h1:4+rDnOTJhQCx2q7/j6rAN5XDw8kPjeaXEUR2eL94ix8=
golang.org/x/sys v0.36.0 h1:KVRy2GtZBrk1cBYA7MKu5bEZFxQk4NIDV6RLVcC8o0k=
golang.org/x/sys v0.36.0/go.mod h1:OgkHotnGiDImocRcuBABYBEXf8A9a87e/uXjp9XT3ks=
"""


def _sum_key(line: str) -> tuple:
    """go.sum's order (golang.org/x/mod's semver): path, version (a pre-release first), the h1 before /go.mod."""
    path, version = line.split()[:2]
    base, gomod = version.removesuffix("/go.mod"), version.endswith("/go.mod")
    core, _, pre = base.lstrip("v").partition("-")
    numbers = tuple(int(x) if x.isdigit() else 0 for x in core.split("+")[0].split("."))
    return path, numbers, not pre, pre, gomod


def with_auth_modules(go_sum: str, replaced: dict[str, str]) -> str:
    """A go.sum with djauth's modules; the versions AUTH_INDIRECT raises (module -> old version) are dropped."""
    lines = [line for line in go_sum.splitlines()
             if line and replaced.get(line.split()[0]) != line.split()[1].removesuffix("/go.mod")]
    return "\n".join(sorted(lines + AUTH_SUM.splitlines(), key=_sum_key)) + "\n"
