"""The cut-over's shadow comparator (docs/cutover.md), generated with the Go service: ``cmd/shadowdiff/main.go``
(standard library only), with the URLconf's routes in Django's order so that its log lines and counters name
the route. It renders like every emitter, so it lives in emit (outside, it made an import cycle with emit)."""

from __future__ import annotations

import json

from . import GenFile
from .gofile import go_file

PATH = "cmd/shadowdiff/main.go"


def emit_shadowdiff(routes: list, module: str) -> dict[str, GenFile]:
    """``routes``: the http target's translated routes (``django`` and ``path_regex`` are read)."""
    text = go_file(PATH, "cutover/shadowdiff.go.j2", module, q=json.dumps, routes=routes, extra_imports=(
        "math/big", "regexp", "sync", "net/url", "os/signal", "syscall"))
    return {PATH: GenFile(text)}
