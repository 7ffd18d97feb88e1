"""Mutation testing of `migrate parity` (issue 6, item 5): how many small, wrong changes to the generated
Go and SQL does parity catch?

Every mutant of `migrator.parity.mutants.MUTANTS` is applied on its own copy of the generated sample tree
(one textual change that must match exactly once), then `migrate parity --no-generate --only <check>`
runs on SQLite against it. A mutant is killed when parity exits 1 (a mismatch). Exit 0 is a survivor;
any other exit code (parity could not run, e.g. a mutant that does not compile) fails the test, since
it says nothing about the checks. Mutants run two at a time; each is judged on its own run of parity.
"""

from __future__ import annotations

import json
import os
import queue
import shutil
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor

from conftest import REPO, SAMPLE
from migrator.parity.mutants import MUTANTS

GENERATED = REPO / "generated"
MIN_MUTANTS = 20
MIN_KILL_RATE = 0.95


WORKERS = 2


def run_control(check, tmp, slots):
    """The unmutated tree must pass the check: otherwise every mutant would count as killed."""
    slot = slots.get()
    try:
        tree = tmp / f"slot{slot}" / "tree"
        shutil.rmtree(tree, ignore_errors=True)
        shutil.copytree(GENERATED, tree, ignore=shutil.ignore_patterns("bin"))
        return _parity(None, tree, tmp / f"control-{check}.json", check)
    finally:
        slots.put(slot)


def run_mutant(mutant, tmp, slots):
    """A fresh copy of the tree with this one mutation, then parity on it. The copy goes to a worker's
    fixed path (`slot`), emptied first: Go's build cache is keyed on the package directory, so the
    packages the mutant leaves alone are not compiled again for every mutant."""
    slot = slots.get()
    try:
        tree = tmp / f"slot{slot}" / "tree"
        shutil.rmtree(tree, ignore_errors=True)
        shutil.copytree(GENERATED, tree, ignore=shutil.ignore_patterns("bin"))
        mutant.apply(tree)
        out = tmp / f"{mutant.name}.json"
        return _parity(mutant, tree, out, mutant.check)
    finally:
        slots.put(slot)


def _parity(mutant, tree, out, check):
    start = time.monotonic()
    proc = subprocess.run(
        [sys.executable, "-m", "migrator", "parity", str(SAMPLE), "--generated", str(tree), "--no-generate",
         "--only", check, "--json", str(out)],
        cwd=REPO, capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(REPO)})
    report = json.loads(out.read_text()) if out.exists() else None
    return mutant, proc, report, time.monotonic() - start


def test_parity_kills_at_least_95_percent_of_mutants(tmp_path):
    assert len(MUTANTS) >= MIN_MUTANTS
    assert len({m.name for m in MUTANTS}) == len(MUTANTS)
    start = time.monotonic()
    slots = queue.Queue()
    for i in range(WORKERS):
        slots.put(i)
    checks = sorted({m.check for m in MUTANTS})
    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        controls = list(pool.map(lambda c: run_control(c, tmp_path, slots), checks))
        results = list(pool.map(lambda m: run_mutant(m, tmp_path, slots), MUTANTS))
    elapsed = time.monotonic() - start

    for check, (_, proc, _, _) in zip(checks, controls):
        assert proc.returncode == 0, f"the unmutated tree fails --only {check}:\n{proc.stdout[-3000:]}\n{proc.stderr[-2000:]}"

    broken = [(m, p) for m, p, _, _ in results if p.returncode not in (0, 1)]
    assert not broken, "\n".join(f"{m.name}: parity exited {p.returncode}\n{p.stdout[-2000:]}\n{p.stderr[-2000:]}"
                                 for m, p in broken)
    killed = [m for m, p, r, _ in results if p.returncode == 1 and r["summary"][m.check]["failed"] > 0]
    survivors = [m for m in MUTANTS if m not in killed]
    rate = len(killed) / len(MUTANTS)

    print(f"\nmutation testing: {len(killed)}/{len(MUTANTS)} killed, kill rate {rate:.0%}, {elapsed:.0f}s")
    for m, p, r, secs in results:
        status = "killed " if m in killed else "SURVIVED"
        failed = r["summary"][m.check]["failed"] if r else "?"
        print(f"  {status} {m.check:8} {m.kind:17} {m.name:36} failed cases: {failed:<3} {secs:5.1f}s")
    if survivors:
        print("survivors: " + ", ".join(f"{m.name} ({m.path}: {m.original!r} -> {m.mutated!r})" for m in survivors))
    assert rate >= MIN_KILL_RATE, f"kill rate {rate:.0%} < {MIN_KILL_RATE:.0%}; survivors: {[m.name for m in survivors]}"
