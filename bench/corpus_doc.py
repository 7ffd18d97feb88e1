"""docs/fidelity.md from corpus results: the regions bench/corpus.py owns, merged into the page as it stands.

The page mixes what the corpus run measures with sections people maintain by hand (parity strength, the JSON
API endpoints). Each generated part sits between ``<!-- corpus.py:begin NAME -->`` and ``<!-- corpus.py:end
NAME -->``; a rerun replaces those regions and keeps every line outside them. Inside a region the lines of an
app that was not run this time (``--apps todo``) are kept as they were, so a partial run updates its own rows.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

BEGIN, END = "<!-- corpus.py:begin {} -->", "<!-- corpus.py:end {} -->"
_REGION = re.compile(r"<!-- corpus\.py:begin (\S+) -->\n(.*?)<!-- corpus\.py:end \1 -->\n?", re.S)
_NONE = re.compile(r"^None[.:]")


def regions(text: str) -> dict[str, str]:
    """name -> the text between a region's markers."""
    return {m.group(1): m.group(2) for m in _REGION.finditer(text)}


def wrap(name: str, body: str) -> str:
    return f"{BEGIN.format(name)}\n{body.rstrip(chr(10))}\n{END.format(name)}\n"


def app_of(line: str, apps: Iterable[str]) -> str | None:
    """The app a line of a region speaks for: a table row ``| app |``, a list item ``- app (`` / ``- **app**``."""
    for app in apps:
        if line.startswith((f"| {app} |", f"- {app} (", f"- **{app}**", f"- {app}:")):
            return app
    return None


def _split(body: str, apps: Iterable[str]) -> tuple[list[str], dict[str, list[str]], list[str]]:
    """(lines before the first app's, app -> its lines with their indented continuations, lines after)."""
    apps = list(apps)
    head: list[str] = []
    rows: dict[str, list[str]] = {}
    tail: list[str] = []
    current = None
    for line in body.splitlines():
        app = app_of(line, apps)
        if app is not None:
            current = app
            rows.setdefault(app, []).append(line)
        elif current is not None and line.startswith("  "):
            rows[current].append(line)
        elif rows:
            current = None
            tail.append(line)
        else:
            head.append(line)
    return head, rows, tail


def merge_region(old: str, new: str, fresh: Iterable[str], apps: Iterable[str]) -> str:
    """``new``'s text with the rows of ``fresh`` apps from ``new`` and the other apps' rows kept from ``old``,
    in ``apps`` order. A "None." placeholder of ``new`` goes when kept rows fill the region."""
    apps, fresh = list(apps), set(fresh)
    head, new_rows, tail = _split(new, apps)
    _h, old_rows, _t = _split(old, apps)
    rows = [line for a in apps for line in (new_rows.get(a, []) if a in fresh else old_rows.get(a, []))]
    if rows and not new_rows:  # the fresh apps have nothing here: the placeholder ends the header
        head = [line for line in head if not _NONE.match(line)]
        while head and not head[-1]:
            head.pop()
        head.append("")
    return "\n".join(head + rows + tail) + "\n"


def merge(page: str, generated: dict[str, str], fresh: Iterable[str], apps: Iterable[str]) -> str:
    """The page with its generated regions replaced (rows merged, see ``merge_region``) and every other line
    kept; a region the page does not have yet is added at its end. A page without any region (or none at
    all) is the generated regions alone."""
    fresh, apps = list(fresh), list(apps)
    old = regions(page)
    if not old:
        return "\n".join(wrap(n, b) for n, b in generated.items())

    def replace(m: re.Match) -> str:
        name = m.group(1)
        if name not in generated:
            return m.group(0)
        return wrap(name, merge_region(m.group(2), generated[name], fresh, apps))
    out = _REGION.sub(replace, page)
    missing = [wrap(n, b) for n, b in generated.items() if n not in old]
    return out + ("\n" + "\n".join(missing) if missing else "")

