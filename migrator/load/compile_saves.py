"""A write that runs a save() override: translated only when the override changes nothing Django sends.

Runs in the loader worker. The write is compiled as Django runs it, and with Django's own Model.save in place
of the override (what a Go query does, load.isolate.save_overrides). Different SQL, or a different value
wherever a runtime argument (a sentinel) is bound: SAVE_OVERRIDE, never the one or the other.

Values bound from no argument may differ between two compiles and mean nothing: an auto_now stamp, a
``default=uuid.uuid4``. They may also be what the override computes: KBItem.save and IgnoreEmail.save set an unset
date to now, OrganizationInvitation.save a new guid when unset; the plain save binds NULL (or the field's fixed
default) there, and a Go query given the same arguments would write that instead. So such a difference is
accepted only when it is noise on both sides: each way, a second compile binds another value there too
(``volatile``). Otherwise the site is SAVE_OVERRIDE, with the statement and parameter that differ.

The sentinels' own values rarely meet an override's conditions: "zq1x" is already stripped and lower-case and
shorter than any column. So the write is compiled again both ways with probe values (``_probed``: texts in
capitals with spaces around and one code point past max_length, then empty texts; booleans False): the sample's Order.save lowers
and strips the e-mail, helpdesk's Ticket.save cuts a title past 200 code points. A difference there is
SAVE_OVERRIDE too. Missed: a condition no probe value meets (a particular choice, a number range).
"""

from __future__ import annotations

import json
from typing import Callable

from .isolate import save_overrides

PROBES = {"loud": "texts in capitals with spaces around, longer than their column", "empty": "empty texts"}
Position = tuple[int, int]  # (statement, parameter), 1-based as messages show them


def compile_with_saves(site: dict, dialect: str, root: str, compile_plain: Callable[..., dict]) -> dict:
    """``compile_plain(site, dialect[, probe=True])`` with every save() override as Django runs it; with
    SAVE_OVERRIDE instead when an override changes the statements or a value they bind."""
    ran: list[str] = []
    with save_overrides(root, ran):
        out = compile_plain(site, dialect)
    if not ran:
        return out
    plain: list[str] = []
    with save_overrides(root, plain, bypass=True):
        without = compile_plain(site, dialect)
    if "reason" in out and "reason" in without:
        return out  # not translated either way: its own reason says why
    what = ""
    if "reason" in out:
        what = f"{out['reason']}: {out.get('error', '')}"
    elif not same_statements(out, without):
        n, m = len(out["statements"]), len(without.get("statements") or [])
        what = (f"it sends {n} statements instead of {m}" if n != m else "it sends other statements or values")
        what += " than Django's own save()"
    else:
        fixed = sorted(differing(out, without) - _volatile(site, dialect, root, compile_plain, out, without))
        if fixed:
            i, j = fixed[0]
            what = (f"statement {i} binds parameter {j} to another value than Django's own save() does, and not "
                    f"one that changes on every run (an auto_now stamp, a default callable): a value the override "
                    f"sets, not an argument of the call")
    if not what:
        what = _probed(site, dialect, root, compile_plain)
    if what:
        return {"site": site["id"], "dialect": dialect, "reason": "SAVE_OVERRIDE", "save_overrides": ran,
                "error": f"the write depends on {', '.join(ran)}: {what}"}
    out["save_overrides"] = ran
    return out


def _probed(site: dict, dialect: str, root: str, compile_plain) -> str:
    """What the override changes when the arguments are values it would normalise (``PROBES``: texts in
    capitals with spaces around and one past max_length, or empty; booleans False), or "" when nothing: the
    sentinels' own values ("zq1x", True) leave ``.strip().lower()`` or a cut at max_length nothing to do."""
    for probe, values in PROBES.items():
        with save_overrides(root, []):
            over = compile_plain(site, dialect, probe=probe)
        with save_overrides(root, [], bypass=True):
            plain = compile_plain(site, dialect, probe=probe)
        if "reason" in over and "reason" in plain:
            continue  # the probe values do not compile either way: no evidence (the sentinels' compile stands)
        if "reason" in over or "reason" in plain or not same_statements(over, plain):
            return (f"given other values ({values}, booleans False) it sends other statements or values than "
                    f"Django's own save(): it changes what the arguments write")
    return ""


def _volatile(site: dict, dialect: str, root: str, compile_plain, out: dict, without: dict) -> set[Position]:
    """Positions whose value changes from one compile to the next both with and without the overrides."""
    if not differing(out, without):
        return set()
    with save_overrides(root, []):
        again = compile_plain(site, dialect)
    with save_overrides(root, [], bypass=True):
        plain_again = compile_plain(site, dialect)
    return differing(out, again) & differing(without, plain_again)


def differing(a: dict, b: dict) -> set[Position]:
    """Positions of the parameters two compiles of the same SQL bind to different values (a value and its
    text, such as a date and the ISO text SQLite binds for it, are the same value: an override that saves
    without ``using=`` reaches the default connection's conversions)."""
    out: set[Position] = set()
    for i, (x, y) in enumerate(zip(a.get("statements") or [], b.get("statements") or []), 1):
        out |= {(i, j) for j, (p, q) in enumerate(zip(x["params"], y["params"]), 1) if _plain(p) != _plain(q)}
    return out


def _plain(v):
    """A tagged value ({"date": "2026-12-01"}, migrator.codec) as its text; anything else as it is."""
    if isinstance(v, dict) and len(v) == 1 and isinstance(next(iter(v.values())), str):
        return next(iter(v.values()))
    return v


def same_statements(a: dict, b: dict) -> bool:
    """The same SQL, in the same order, and the same value wherever either binds a runtime argument (a
    sentinel)."""
    sa, sb = a.get("statements") or [], b.get("statements") or []
    if [(s["sql"], s["kind"], len(s["params"])) for s in sa] != [(s["sql"], s["kind"], len(s["params"])) for s in sb]:
        return False
    traced = [json.dumps(x["value"], sort_keys=True) for x in (a.get("sentinels") or []) + (b.get("sentinels") or [])]
    for x, y in zip(sa, sb):
        for p, q in zip(x["params"], y["params"]):
            if p != q and any(json.dumps(v, sort_keys=True) in traced for v in (p, q)):
                return False
    return True
