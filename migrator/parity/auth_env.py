"""The Go server's auth environment in the parity check: the project's own values of the settings djauth reads
(templates/auth/config.go FromEnv), under Django's names, as a deployment gives them to the Go side."""

from __future__ import annotations

import json

# djauth's settings (templates/auth/config.go FromEnv) that the check's requests depend on, as a deployment gives them
# to the Go server: under Django's names, from the project's settings (not Go's defaults, which are Django's)
GO_AUTH_TEXT = ("SESSION_ENGINE", "SESSION_COOKIE_NAME", "SESSION_COOKIE_PATH", "SESSION_COOKIE_DOMAIN",
                "SESSION_COOKIE_SAMESITE", "CSRF_COOKIE_NAME", "CSRF_COOKIE_PATH", "CSRF_COOKIE_DOMAIN",
                "CSRF_COOKIE_SAMESITE", "CSRF_HEADER_NAME")
GO_AUTH_FLAGS = ("SESSION_COOKIE_SECURE", "SESSION_COOKIE_HTTPONLY", "SESSION_EXPIRE_AT_BROWSER_CLOSE",
                 "CSRF_COOKIE_SECURE", "CSRF_COOKIE_HTTPONLY", "CSRF_USE_SESSIONS")
GO_AUTH_NUMBERS = ("SESSION_COOKIE_AGE", "CSRF_COOKIE_AGE")
# djauth splits a list at commas, or reads a JSON array (a value starting with "["): SECRET_KEY_FALLBACKS' keys are
# any text, a comma included, and a rotated key the Go side lacks logs out every session Django still accepts
GO_AUTH_LISTS = ("CSRF_TRUSTED_ORIGINS", "AUTHENTICATION_BACKENDS", "SECRET_KEY_FALLBACKS")


def go_auth_env(settings) -> dict:
    """The Go server's environment for the project's auth settings (a text left empty or unset keeps Go's default)."""
    out = {}
    for name in GO_AUTH_TEXT:
        if isinstance(value := getattr(settings, name, None), str) and value:
            out[name] = value
    for name in GO_AUTH_FLAGS:
        if (value := getattr(settings, name, None)) is not None:
            out[name] = "true" if value else "false"
    for name in GO_AUTH_NUMBERS:
        if isinstance(value := getattr(settings, name, None), int):
            out[name] = str(value)
    for name in GO_AUTH_LISTS:
        if value := [str(v) for v in getattr(settings, name, None) or ()]:
            out[name] = go_env_list(value)
    return out


def go_env_list(items: list) -> str:
    """A list as djauth's FromEnv reads it back item for item: comma-separated when that is lossless, else JSON."""
    plain = ",".join(items)
    if plain.startswith("[") or any("," in v or v != v.strip() or not v for v in items):
        return json.dumps(items)
    return plain
