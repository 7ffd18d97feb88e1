"""Where the Go server's cold start goes, and the floor it is judged against.

The measured cold start (``Stack.start``) is one number, from just before the process is spawned to the
first 200 of a database-backed endpoint. To split it, the server is started once more per round with
``LOG_LEVEL=debug`` (its main.go logs, in milliseconds since ``main`` began: when it listened, when the
pool was open, when it was ready to serve, when the pool's first connection was made, and the wall clock
at ``main``) and ``GODEBUG=inittrace=1`` (the Go runtime prints each package's init time). The phases, in
milliseconds from just before the spawn:

- ``main``: exec, the Go runtime's start and every package's init (``package_init`` of it);
- ``listening``, ``pool_opened``, ``serving``: main.go's steps (the port is bound first, the pool opens
  without connecting, then routes and the server are set up);
- ``connected``: the pool's first connection, made in the background from ``pool_opened`` on;
- ``first_200``: the first answer, whose request waited for ``max(serving, connected)``, then ran its
  first statement (prepared, then executed) and wrote the answer.

The floor (``floor/main.go``) is started in the same rounds: with one connection and one statement
(``floor``), and without a database (``floor_nodb``: exec + runtime + listen + answer).
"""

from __future__ import annotations

import json
import re
import time

from .procs import Stack

_INIT = re.compile(r"^init \S+ @\S+ ms, ([\d.]+) ms clock", re.M)
PHASES = ("main", "package_init", "listening", "pool_opened", "serving", "connected", "first_200")


def go_phases(st: Stack, probe: str) -> dict:
    """One more start of the Go server, with its start-up log on: the phases above (ms), or {} when the
    server's main.go does not log them (a main.go written before it did: it is a scaffold)."""
    saved = st.env
    st.env = {**saved, "LOG_LEVEL": "debug", "GODEBUG": "inittrace=1"}
    offset = st.log.stat().st_size if st.log.exists() else 0
    wall = time.time()
    try:
        first = st.start(probe) * 1000
        time.sleep(0.05)  # the background connection's line, when it comes after the answer
    finally:
        st.stop()
        st.env = saved
    text = st.log.read_bytes()[offset:].decode(errors="replace")
    fields: dict = {}
    for line in text.splitlines():
        if line.startswith("{") and "start-up" in line:
            try:
                fields.update({k: v for k, v in json.loads(line).items() if k.endswith("_ms") or k == "main_unix_us"})
            except ValueError:
                continue
    if "main_unix_us" not in fields:
        return {}
    main = fields["main_unix_us"] / 1000 - wall * 1000
    out = {"main": main, "package_init": sum(float(m.group(1)) for m in _INIT.finditer(text)), "first_200": first}
    for key in ("listening", "pool_opened", "serving", "connected"):
        if f"{key}_ms" in fields:
            out[key] = main + fields[f"{key}_ms"]
    return {k: round(v, 3) for k, v in out.items()}


def steps(phases: dict) -> list[tuple[str, float]]:
    """The phases as consecutive steps (ms each), for the report."""
    if not phases:
        return []
    p = phases
    ready = max(p.get("serving", 0), p.get("connected", 0))
    out = [("exec + Go runtime start", p["main"] - p["package_init"]), ("package init", p["package_init"])]
    if "serving" in p:
        out += [("config + listen", p["listening"] - p["main"]), ("pool open (no connection)", p["pool_opened"] - p["listening"]),
                ("routes + server set-up", p["serving"] - p["pool_opened"])]
    if "connected" in p:
        out.append(("first connection (beside the set-up, from pool open)", p["connected"] - p["pool_opened"]))
    out.append(("first request: first statement + answer (after set-up and connection)", p["first_200"] - ready))
    return [(name, round(ms, 2)) for name, ms in out]
