"""The shadow comparator, generated with the Go service: ``cmd/shadowdiff/main.go`` (standard library only),
with the URLconf's routes in Django's order so that its log lines and counters name the route."""

from __future__ import annotations

import json

from ..emit import GenFile
from ..emit.gofile import go_file

PATH = "cmd/shadowdiff/main.go"


def emit_shadowdiff(routes: list, module: str) -> dict[str, GenFile]:
    """``routes``: the http target's translated routes (``django`` and ``path_regex`` are read)."""
    text = go_file(PATH, "cutover/shadowdiff.go.j2", module, q=json.dumps, routes=routes, extra_imports=(
        "math/big", "regexp", "sync", "net/url", "os/signal", "syscall"))
    return {PATH: GenFile(text)}
