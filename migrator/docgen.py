"""Docs tables generated from the code's own tables (reasons, methods, types).

``python -m migrator.docgen`` rewrites the marked blocks in docs/*.md; a test fails when a doc
is stale, so a table in the docs can never drift from the code.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Callable

from . import querysets as Q
from .translate import types as T


def _table(headers, rows) -> str:
    out = ["| " + " | ".join(headers) + " |", "|" + "|".join("---" for _ in headers) + "|"]
    out += ["| " + " | ".join(str(c).replace("|", "\\|") for c in r) + " |" for r in rows]
    return "\n".join(out)


def reasons_table() -> str:
    return _table(["reason", "kind", "what it means"],
                  [[f"`{code}`", kind, text] for code, (kind, text) in sorted(Q.REASONS.items())])


def methods_table() -> str:
    rows = []
    for group, table in (("QuerySet", Q.QUERYSET_METHODS), ("instance", Q.INSTANCE_METHODS),
                         ("value", Q.VALUE_METHODS), ("related manager", Q.RELATED_METHODS)):
        rows += [[f"`{name}`", group, what] for name, what in table.items()]
    rows += [[f"`{name}`", "unsupported", Q.REASONS[code][1]] for name, code in Q.UNSUPPORTED_METHODS.items()]
    return _table(["method", "returns", "SQL"], rows)


def types_table() -> str:
    return _table(["Django internal type", "Go", "Go (NULL column)", "note"],
                  [[f"`{k}`", f"`{v.go}`", f"`{v.nullable}`", v.note] for k, v in T.TYPES.items()])


def lookups_table() -> str:
    return _table(["lookup", "runtime value in the generated query"], [[f"`{k}`", v] for k, v in Q.LOOKUPS.items()])


def sqlc_reasons_table() -> str:
    from .translate.sqlc import REASONS as SQLC

    return _table(["reason", "what it means", "what to do"], [[f"`{k}`", a, b] for k, (a, b) in sorted(SQLC.items())])


def tools_table() -> str:
    from .toolchain import NEEDS, TOOLS

    def users(name: str) -> str:
        return ", ".join(f"`{c}`" + (f" ({when})" if when else "") for c, n in NEEDS.items() for t, when in n
                         if t == name)
    return _table(["tool", "minimum", "needed by", "how to install"],
                  [[f"`{t.name}`", t.minimum or "any", users(t.name), t.install] for t in TOOLS.values()])


BLOCKS: dict[str, Callable[[], str]] = {"reasons": reasons_table, "methods": methods_table, "types": types_table,
                                        "lookups": lookups_table, "sqlc_reasons": sqlc_reasons_table,
                                        "tools": tools_table}
DOCS = Path(__file__).resolve().parent.parent / "docs"


def render(text: str) -> str:
    def sub(m: re.Match) -> str:
        return f"<!-- table:{m.group(1)} -->\n{BLOCKS[m.group(1)]()}\n<!-- /table:{m.group(1)} -->"
    return re.sub(r"<!-- table:(\w+) -->.*?<!-- /table:\1 -->", sub, text, flags=re.S)


def stale(docs: Path = DOCS) -> list[Path]:
    return [p for p in sorted(docs.glob("*.md")) if render(p.read_text()) != p.read_text()]


def main() -> int:
    for p in sorted(DOCS.glob("*.md")):
        text = p.read_text()
        new = render(text)
        if new != text:
            p.write_text(new)
            print(f"updated {p}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
