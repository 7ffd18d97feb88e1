"""The values a route guard is made of, shared by translate.auth_views (Django's decorators and mixins) and
translate.guards (a project's own decorators, read by load.decorators): both build a Guard, so neither imports
the other's module for it."""

from __future__ import annotations

from dataclasses import dataclass

HOLE = "\x00"  # where the wrapped handler goes in a wrapper's Go text


@dataclass(frozen=True)
class Guard:
    """``wrap`` is a Go expression of the view's handler ``h`` (a http.HandlerFunc) using ``a`` (*djauth.Auth)."""
    wrap: str
    python: tuple[str, ...]  # the decorators, as written


class NotAuth(Exception):
    """A decorator of the auth family this module does not translate."""
