"""The registry of HTTP frameworks the http target writes (``--framework``): every list of frameworks in the
code reads it (the CLI's choices on generate and parity, the route guards, emit.http's template folders
templates/<name>). Each shares the handler core, the store, djauth's guards and the DRF handlers; only the
routing and its adapter differ (docs/http.md)."""

from __future__ import annotations

NAMES: tuple[str, ...] = ("nethttp", "fiber", "gin")  # the first is the default
