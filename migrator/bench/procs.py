"""The two stacks as processes: start (timing the cold start), measure (PSS, CPU), stop.

- cold start: from just before ``Popen`` to the first ``200`` of a database-backed endpoint, polled
  every millisecond on loopback (a refused connection costs microseconds; gunicorn's master listens
  before its workers are ready, so a request waits in its backlog and is answered by the first worker);
- memory: PSS (proportional set size: shared pages divided among the processes sharing them) summed
  over the whole process tree, from ``/proc/<pid>/smaps_rollup``: the gunicorn master and its workers,
  or the one Go process;
- CPU: ``utime + stime`` of a set of processes from ``/proc/<pid>/stat`` (the server tree, and the
  PostgreSQL backends serving it), read before and after a load run.
"""

from __future__ import annotations

import http.client
import os
import signal
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

from ..parity.runner import CannotRun

_TICK = os.sysconf("SC_CLK_TCK")


@dataclass
class Stack:
    name: str  # "django" | "go"
    argv: list[str]
    cwd: Path
    env: dict
    port: int
    log: Path
    proc: subprocess.Popen | None = None
    info: dict = field(default_factory=dict)  # how it runs (workers, pool), for the report

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, probe: str, timeout: float = 60.0, ok: tuple[int, ...] | None = (200,)) -> float:
        """Start the server; seconds from process start to the first answer of ``probe`` with a status in
        ``ok`` (None: any answer)."""
        with open(self.log, "a") as fh:
            t0 = time.perf_counter()
            self.proc = subprocess.Popen(self.argv, cwd=self.cwd, env=self.env, stdout=fh, stderr=subprocess.STDOUT,
                                         start_new_session=True)
        deadline, last = t0 + timeout, ""
        while True:
            try:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=max(0.1, deadline - time.perf_counter()))
                conn.request("GET", probe)
                resp = conn.getresponse()
                resp.read()
                conn.close()
                if ok is None or resp.status in ok:
                    return time.perf_counter() - t0
                last = f"status {resp.status}"
            except (OSError, http.client.HTTPException) as exc:
                last = type(exc).__name__
            if self.proc.poll() is not None or time.perf_counter() > deadline:
                why = f"exited {self.proc.returncode}" if self.proc.poll() is not None else f"no 200 in {timeout:.0f}s"
                tail = "\n".join(self.log.read_text(errors="replace").strip().splitlines()[-15:])
                self.stop()
                raise CannotRun(f"the {self.name} server did not answer {probe} ({why}, last: {last}):\n{tail}")
            time.sleep(0.001)

    def stop(self) -> None:
        p, self.proc = self.proc, None
        if p is None or p.poll() is not None:
            return
        p.send_signal(signal.SIGTERM)
        try:
            p.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(p.pid, signal.SIGKILL)
            p.wait()

    def pids(self) -> list[int]:
        return tree_pids(self.proc.pid) if self.proc else []


def tree_pids(root: int) -> list[int]:
    """root and every descendant, from the parent pid in /proc/<pid>/stat."""
    children: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            stat = Path(entry.path, "stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(ppid, []).append(int(entry.name))
    out, todo = [], [root]
    while todo:
        pid = todo.pop()
        out.append(pid)
        todo += children.get(pid, [])
    return sorted(out)


def pss_parts(pids: list[int]) -> dict[str, int]:
    """Pss summed over the processes, and its split: Pss_Anon (heaps, stacks), Pss_File (the executable and
    shared libraries, mapped files), Pss_Shmem; in kB as the kernel counts (KiB)."""
    total = {"Pss": 0, "Pss_Anon": 0, "Pss_File": 0, "Pss_Shmem": 0}
    for pid in pids:
        try:
            for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
                key = line.split(":", 1)[0]
                if key in total:
                    total[key] += int(line.split()[1])
        except OSError:
            continue  # exited meanwhile
    return total


def pss_kib(pids: list[int]) -> int:
    return pss_parts(pids)["Pss"]


def cpu_seconds(pids: list[int]) -> float:
    """utime + stime of the processes (their own, not their reaped children)."""
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # fields 14 and 15 of proc(5), counted after the comm
    return total / _TICK
