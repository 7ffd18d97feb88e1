"""Renderers for a parity run: the text summary (table, then one block per failure, intended difference
and noise), JUnit XML (one testsuite per check) and JSON (``summary``: per check, passed / failed /
skipped / noise / intended / seconds; ``cases``: every case that did not simply pass)."""

from __future__ import annotations

import json
from xml.etree import ElementTree as ET

from .runner import Report


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
    ET.indent(suites)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(suites, encoding="unicode") + "\n"
