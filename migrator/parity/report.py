"""Renderers for a parity run: the text summary (table, then one block per failure, intended difference
and noise), JUnit XML (one testsuite per check) and JSON (``summary``: per check, passed / failed /
skipped / noise / intended / seconds; ``cases``: every case that did not simply pass)."""

from __future__ import annotations

import json
from xml.etree import ElementTree as ET

from .context import Report


def _indent(text: str, prefix: str = "    ") -> str:
    return "\n".join(prefix + line for line in text.splitlines())


def text(report: Report, max_failures: int = 50) -> str:
    lines = [f"parity: {report.project} on {report.dialect} ({report.database})"]
    if report.tree:
        lines.append(f"  tree: {report.tree}")
    if report.data:
        lines.append(f"  data: {report.data}")
    for d in report.diagnostics:
        lines.append(f"  {d.render()}")
    if report.error and not report.could_not_run:
        lines.append(f"error: parity could not run: {report.error}")
        return "\n".join(lines) + "\n"
    summary = report.summary()
    lines.append("")
    head = (f"{'check':<10} {'passed':>7} {'failed':>7} {'skipped':>8} {'noise':>6} {'intended':>9} {'notes':>6} "
            f"{'time':>8}")
    lines += [head, "-" * len(head)]
    for check, s in summary.items():
        if check in report.could_not_run:
            lines.append(f"{check:<10} could not run (below)")
            continue
        lines.append(f"{check:<10} {s['passed']:>7} {s['failed']:>7} {s['skipped']:>8} {s['noise']:>6} "
                     f"{s['intended']:>9} {s['note']:>6} {s['seconds']:>7.1f}s")
    failures = [c for c in report.cases if c.status == "failed"]
    for c in failures[:max_failures]:
        lines += ["", f"FAIL [{c.check}] {c.name}", _indent(c.detail or "(no detail)")]
        if c.operation:
            lines += ["  operation:", _indent(c.operation, "      ")]
    if len(failures) > max_failures:
        lines.append(f"\n... and {len(failures) - max_failures} more failures (see --json / --junit)")
    for c in (c for c in report.cases if c.status == "intended"):
        lines.append(f"\nINTENDED [{c.check}] {c.name}: {c.reason}" + (f"\n{_indent(c.detail)}" if c.detail else ""))
    for status, title, most, detail in (("noise", "noise (differs between two Django runs, not compared)", 20, False),
                                        ("note", "notes (differences that change no behaviour, not failures)", 50, True)):
        listed = [c for c in report.cases if c.status == status]
        if listed:
            lines.append(f"\n{title}:")
            lines += [f"  [{c.check}] {c.name}" + (f": {c.detail}" if detail else "") for c in listed[:most]]
            if len(listed) > most:
                lines.append(f"  ... and {len(listed) - most} more")
    for check, why in report.could_not_run.items():
        lines.append(f"\nCOULD NOT RUN [{check}]\n{_indent(why)}")
    if report.error:
        lines.append(f"\nerror: {report.error}")
    verdict = "FAILED" if failures else "COULD NOT RUN" if report.exit_code == 2 else "OK"
    lines.append(f"\n{verdict}: {sum(s['passed'] for s in summary.values())} passed, {len(failures)} failed "
                 f"in {report.total_seconds:.1f}s")
    return "\n".join(lines) + "\n"


def as_json(report: Report) -> str:
    return json.dumps({
        "project": report.project, "dialect": report.dialect, "database": report.database, "tree": report.tree,
        "data": report.data, "exit_code": report.exit_code, "error": report.error,
        "seconds": round(report.total_seconds, 2), "summary": report.summary(),
        "could_not_run": report.could_not_run, "diagnostics": [d.__dict__ for d in report.diagnostics],
        "intended_declared": list(report.intended),
        "cases": [c.__dict__ for c in report.cases if c.status != "passed"],
        "mutation": report.mutation or None,
    }, indent=2, ensure_ascii=False, default=str) + "\n"


def junit(report: Report) -> str:
    suites = ET.Element("testsuites", name="migrate parity", time=f"{report.total_seconds:.2f}")
    if report.error:
        suite = ET.SubElement(suites, "testsuite", name="parity", tests="1", failures="0", errors="1", skipped="0")
        case = ET.SubElement(suite, "testcase", classname="parity", name="setup")
        ET.SubElement(case, "error", message=report.error.splitlines()[0][:200]).text = report.error
    for check, why in report.could_not_run.items():
        suite = ET.SubElement(suites, "testsuite", name=f"parity.{check}", tests="1", failures="0", errors="1",
                              skipped="0")
        case = ET.SubElement(suite, "testcase", classname=f"parity.{report.dialect}.{check}", name="(could not run)")
        ET.SubElement(case, "error", message=why.splitlines()[0][:200] if why else "").text = why
    for check, s in report.summary().items():
        if check in report.could_not_run:
            continue
        cases = [c for c in report.cases if c.check == check]
        suite = ET.SubElement(suites, "testsuite", name=f"parity.{check}", tests=str(len(cases)),
                              failures=str(s["failed"]), errors="0", skipped=str(s["skipped"] + s["intended"]),
                              time=f"{s['seconds']:.2f}")
        for c in cases:
            case = ET.SubElement(suite, "testcase", classname=f"parity.{report.dialect}.{check}", name=c.name)
            if c.status == "failed":
                ET.SubElement(case, "failure", message=(c.detail.splitlines() or [""])[0][:200]).text = (
                    f"{c.detail}\n\noperation:\n{c.operation}")
            elif c.status in ("skipped", "intended"):
                ET.SubElement(case, "skipped", message=f"{c.status}: {c.reason}"[:500])
            elif c.status in ("noise", "note"):
                ET.SubElement(case, "system-out").text = f"{c.status}: {c.detail}"
    if report.mutation:
        _junit_mutants(suites, report)
    ET.indent(suites)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(suites, encoding="unicode") + "\n"


def _junit_mutants(suites, report: Report) -> None:
    """One testsuite `parity.mutants`: a test case per mutant; a survivor is a skipped case whose message
    says what data would kill it (the strength is a figure to raise, not a failure of the Go code)."""
    m = report.mutation
    suite = ET.SubElement(suites, "testsuite", name="parity.mutants", tests=str(m["run"]), failures="0",
                          errors="0", skipped=str(m["run"] - m["killed"]), time=f"{m['seconds']:.2f}")
    props = ET.SubElement(suite, "properties")
    ET.SubElement(props, "property", name="strength", value=str(m["strength"]))
    for x in m["mutants"]:
        case = ET.SubElement(suite, "testcase", classname=f"parity.{report.dialect}.mutants.{x['check']}",
                             name=f"{x['id']} {x['what']}"[:300])
        if x["status"] != "killed":
            ET.SubElement(case, "skipped", message=f"{x['status']}: {x['hint'] or x['detail']}"[:500])


def strength(report: Report, weakest: bool = False, most: int = 40) -> str:
    """The mutation summary: strength overall and per check, every survivor with the data that would kill
    it; with `weakest`, every query / model from the weakest up."""
    m = report.mutation
    pct = "n/a" if m["strength"] is None else f"{m['strength']:.1%}"
    lines = ["", f"parity strength: {pct} ({m['killed']} of {m['run'] - m['equivalent']} mutants killed; "
                 f"{m['survived']} survived, {m['not_compared']} not compared, {m['equivalent']} equivalent; "
                 f"{m['run']} run of {m['available']} derived, seed {m['seed']}, {m['seconds']:.0f}s)"]
    for check, c in sorted(m["per_check"].items()):
        s = "n/a" if c["strength"] is None else f"{c['strength']:.1%}"
        lines.append(f"  {check:<8} {s:>7}  killed {c['killed']}, survived {c['survived']}, "
                     f"not compared {c['not-compared']}, equivalent {c['equivalent']}")
    if weakest:
        lines.append("\nweakest first (target: strength, killed/run):")
        ranked = sorted(m["per_target"].items(), key=lambda kv: (kv[1]["strength"] is None, kv[1]["strength"] or 0, kv[0]))
        for target, t in ranked:
            s = "  n/a" if t["strength"] is None else f"{t['strength']:5.0%}"
            lines.append(f"  {s} {target} ({t['check']}): {t['killed']} killed, {t['survived']} survived, "
                         f"{t['not-compared']} not compared, {t['equivalent']} equivalent")
    left = [x for x in m["mutants"] if x["status"] in ("survived", "not-compared")]
    if left:
        lines.append("\nsurvivors (each with the data that would kill it):")
        for x in left[:most if not weakest else len(left)]:
            lines.append(f"  {x['status'].upper()} [{x['check']}] {x['target']}: {x['kind']}: {x['what']}")
            lines.append(f"      {x['hint'] or x['detail']}")
        if len(left) > most and not weakest:
            lines.append(f"  ... and {len(left) - most} more (--strength or --json lists them all)")
    eq = [x for x in m["mutants"] if x["status"] == "equivalent"]
    if eq:
        lines.append(f"\nequivalent (proven: no data tells them apart): {len(eq)}")
        lines += [f"  [{x['check']}] {x['target']}: {x['what']}: {x['detail']}" for x in eq[:10]]
    return "\n".join(lines) + "\n"
