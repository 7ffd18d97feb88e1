"""The parent side of compiling: one request to the Django worker, watched, and restarted past a stuck site.

The worker (load.worker, load.compile) appends per dialect a line when a site starts and one with its
result. ``CompileJob`` watches those lines: a worker that makes no progress for twice the per-site bound
(plus a margin) is stuck on the last site it started, and one that ends without a reply died on it. That
site becomes COMPILE_TIMEOUT or LOADER_CRASH, what was done is kept, and a fresh worker compiles the rest.
``compile_diagnostics`` turns what compiling met into located diagnostics.
"""

from __future__ import annotations

import json
import os

from ..dialects import DEFAULT
from ..ir import Diagnostic, Project
from . import Worker

DIALECTS = DEFAULT  # what is compiled unless a request names its dialects (generate --dialect)
MAX_RESTARTS = 5


def not_compiled(sites: list[dict], why: str, reason: str = "NOT_COMPILED",
                 dialects: tuple[str, ...] = DIALECTS) -> list[dict]:
    return [{"site": s["id"], "dialect": d, "reason": reason, "error": why} for s in sites for d in dialects]


class CompileJob:
    """One compile request and, when the worker gets stuck or dies on a site, the restarts after it.

    The worker appends, per dialect, a line when a site starts and one with its result; the job watches
    those files: no new line for twice the site bound (plus a margin) and the worker is stuck on the last
    site it started. That site becomes COMPILE_TIMEOUT (LOADER_CRASH when the process died), what was
    done is kept, and a fresh worker compiles the rest."""

    def __init__(self, worker: Worker, sites: list[dict], dialects: tuple[str, ...] = DIALECTS):
        from .isolate import compile_timeout

        self.worker = worker
        self.sites = sites
        self.dialects = tuple(dialects)
        self.done: dict[tuple[str, str], dict] = {}
        self.timeout = compile_timeout()
        self._n = 0
        self.pending = self._send(sites)

    def _send(self, sites: list[dict]) -> tuple[str, str]:
        self._n += 1
        progress = os.path.join(self.worker.tmp, f"progress-{self._n}")
        os.makedirs(progress, exist_ok=True)
        path = os.path.join(self.worker.tmp, f"sites-{self._n}.json")
        with open(path, "w", encoding="utf-8") as fh:
            fh.write(json.dumps(sites))
        return self.worker.send(compile=path, progress=progress, dialects=list(self.dialects)), progress

    def _progress(self, progress: str) -> dict[str, list[dict]]:
        out: dict[str, list[dict]] = {}
        for d in self.dialects:
            try:
                with open(os.path.join(progress, f"{d}.jsonl"), encoding="utf-8") as fh:
                    lines = fh.read().splitlines()
            except FileNotFoundError:
                lines = []
            events = []
            for line in lines:
                try:
                    events.append(json.loads(line))
                except ValueError:  # the last line, cut by the kill
                    pass
            out[d] = events
        return out

    def wait(self) -> list[dict]:
        restarts = 0
        while True:
            out, progress = self.pending

            def size() -> int:
                return sum(os.path.getsize(os.path.join(progress, f)) for f in os.listdir(progress))
            result = self.worker.receive(out, size, 2 * self.timeout + 5)
            events = self._progress(progress)
            for d, evs in events.items():
                for e in evs:
                    if "done" in e:
                        e["done"].pop("ran", None)  # the compile cache's record (load.compile_cache)
                        self.done[(e["done"]["site"], d)] = e["done"]
            if "compiled" in result:
                for c in result["compiled"]:
                    self.done[(c["site"], c["dialect"])] = c
                break
            stuck = self._stuck(events, result)
            if not stuck:  # stalled or ended outside any site: say so for every site left
                why = "; ".join(d["message"] for d in result.get("diagnostics", [])) or \
                    "the compile worker stopped answering outside any site"
                self._mark(self._left(), "COMPILE_TIMEOUT" if result.get("stalled") else "LOADER_CRASH", why)
                break
            self.worker.kill()
            restarts += 1
            left = self._left()
            if restarts > MAX_RESTARTS:
                self._mark(left, "NOT_COMPILED", f"not compiled: the compile step stopped after {MAX_RESTARTS} "
                           "stuck sites (see the COMPILE_TIMEOUT diagnostics)")
                break
            if not left:
                break
            root, settings, exclude, env = self.worker.args
            self.worker.close()
            self.worker = Worker(root, settings, exclude, False, env, serve=True)
            first = self.worker.first()
            if first.get("fatal"):
                self._mark(left, "LOADER_CRASH", "the restarted Django process did not start: " + "; ".join(
                    d["message"] for d in first.get("diagnostics", [])))
                break
            self.pending = self._send(left)
        return [self.done[(s["id"], d)] for s in self.sites for d in self.dialects if (s["id"], d) in self.done]

    def _stuck(self, events: dict[str, list[dict]], result: dict) -> list[str]:
        """Mark the site(s) the worker was on when it stalled or died; return their ids."""
        stalled = result.get("stalled")
        if stalled:
            why = (f"the compile worker made no progress for {2 * self.timeout + 5:g} s on this site (a lock, a "
                   "network wait or a loop that swallows the time limit) and was restarted without it")
            reason = "COMPILE_TIMEOUT"
        else:
            code = self.worker.proc.poll()
            tail = self.worker.tail()
            why = f"the Django process died (exit status {code}) while compiling this site" + (f": {tail}" if tail else "")
            reason = "LOADER_CRASH"
        ids = []
        for evs in events.values():
            done = {e["done"]["site"] for e in evs if "done" in e}
            started = [e["start"] for e in evs if "start" in e and e["start"] not in done]
            ids += [sid for sid in started[-1:] if sid not in ids]
        by_id = {s["id"]: s for s in self.sites}
        self._mark([by_id[sid] for sid in ids if sid in by_id], reason, why)
        return ids

    def _left(self) -> list[dict]:
        return [s for s in self.sites if any((s["id"], d) not in self.done for d in self.dialects)]

    def _mark(self, sites: list[dict], reason: str, why: str) -> None:
        for s in sites:
            for d in self.dialects:
                self.done.setdefault((s["id"], d), {"site": s["id"], "dialect": d, "reason": reason, "error": why})


# reason -> severity of the diagnostic that says, at the site, what compiling it could not do
_COMPILE_PROBLEMS = {"COMPILE_TIMEOUT": "error", "LOADER_CRASH": "error", "NOT_COMPILED": "error",
                     "SIDE_EFFECT": "warning", "SAVE_OVERRIDE": "warning", "RECEIVER_WRITES": "warning"}


def compile_diagnostics(project: Project, compiled: list[dict]) -> list[Diagnostic]:
    """Located diagnostics for what the compile step met beyond an untranslated construct: a site that
    timed out or killed the worker, a refused side effect, a save() override the write depends on (one
    per site, not per dialect), and, once per receiver, the signal receivers the Go side will not run."""
    sites = {s.id: s for s in project.querysets}
    out: list[Diagnostic] = []
    seen: set[tuple[str, str]] = set()
    receivers: dict[str, list[str]] = {}
    for c in compiled:
        site = sites.get(c.get("site"))
        if site is None:
            continue
        reason = c.get("reason", "")
        code, message = "", ""
        if reason in _COMPILE_PROBLEMS:
            code, message = reason, f"{site.root}.{'.'.join(x.method for x in site.chain)}(): {c.get('error', '')}"
        elif c.get("save_overrides"):
            code = "SAVE_OVERRIDE"
            message = (f"the generated query does the write as Django's Model.save() does; it does not run "
                       f"{', '.join(c['save_overrides'])} (its Python, e.g. computed values, is not ported)")
        if code and (site.id, code) not in seen:
            seen.add((site.id, code))
            out.append(Diagnostic(code=code, file=site.file, line=site.line, column=site.column, message=message,
                                  severity=_COMPILE_PROBLEMS[code],
                                  hint={"COMPILE_TIMEOUT": "set MIGRATOR_COMPILE_TIMEOUT (seconds) if it is only slow",
                                        "SAVE_OVERRIDE": "port the override to the Go side (a GORM hook) or write "
                                                         "the query by hand",
                                        "RECEIVER_WRITES": "port the receiver's writes into the Go write (the same "
                                                           "transaction), or keep this write in Django"}.get(code, "")))
        for r in c.get("receivers_not_run", []):
            where = f"{site.file}:{site.line}"
            if where not in receivers.setdefault(r, []):
                receivers[r].append(where)
    for r, wheres in sorted(receivers.items()):
        file, _, line = wheres[0].rpartition(":")
        more = f" and {len(wheres) - 1} other site(s)" if len(wheres) > 1 else ""
        out.append(Diagnostic(code="SIGNAL_NOT_RUN", file=file, line=int(line), severity="warning",
                              message=f"signal receiver {r} was not run while compiling this write{more}; the "
                                      "generated Go does not run it either",
                              hint="port what it does to the Go side, or keep this write in Django"))
    return out
