"""The registry of HTTP frameworks the http target writes (``--framework``): every list of frameworks in the
code reads it (the CLI's choices, the route guards, emit.http's template folders). Each shares the handler
core, the store, djauth's guards and the DRF handlers; only the routing and its adapter differ (docs/http.md)."""

from __future__ import annotations

# name -> the Go module it adds to the tree ("" for the standard library)
FRAMEWORKS: dict[str, str] = {
    "nethttp": "",
    "fiber": "github.com/gofiber/fiber/v2",
    "gin": "github.com/gin-gonic/gin",
}
NAMES = tuple(FRAMEWORKS)
