"""The size budgets of STYLE.md and issue 13: a module of migrator/ stays within 400 lines and a function within
80. Static (the files are parsed, not imported). The allow-list names the files not split yet, each with its
reason; the test fails on a new file past the budget and on a listed one back within it (so the list only
shrinks)."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent / "migrator"
MODULE_LINES = 400
FUNCTION_LINES = 80

# "path" (a module) or "path:function" -> why it is past the budget today.
ALLOWED = {  # each edited today on another engineer's branch (session 10): split after the lead merges them
    "parity/values.py": "pgkill's, corpuskill's and receivers' branches edit it (issues 18, 12)",
    "parity/mutation.py": "corpuskill's and suite's branches edit it (issues 18, 13)",
    "parity/datagen.py:generate": "pgkill's branch edits it (issue 18)",
    "parity/datagen_values.py:field_value": "parity data generation, pgkill's and corpuskill's area today (issue 18)",
    "load/compile.py:compile_site": "receivers' branch edits it (issue 12)",
    "translate/handlers_write.py:run": "auth's area today (issue 14: the sample's last request.user view)",
}


def over_budget(root: Path = ROOT) -> dict[str, int]:
    """Every module past MODULE_LINES and every function past FUNCTION_LINES, with its length in lines."""
    out = {}
    for path in sorted(root.rglob("*.py")):
        rel = path.relative_to(root).as_posix()
        text = path.read_text(encoding="utf-8")
        if len(text.splitlines()) > MODULE_LINES:
            out[rel] = len(text.splitlines())
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                length = node.end_lineno - node.lineno + 1
                if length > FUNCTION_LINES:
                    out[f"{rel}:{node.name}"] = length
    return out


def test_modules_and_functions_within_budget():
    found = over_budget()
    assert {k: v for k, v in found.items() if k not in ALLOWED} == {}  # split it (by responsibility)
    assert sorted(set(ALLOWED) - set(found)) == []  # back within budget: remove it from ALLOWED


def test_the_budget_check_can_fail(tmp_path):
    (tmp_path / "big.py").write_text("x = 1\n" * (MODULE_LINES + 1), encoding="utf-8")
    body = "".join(f"    y{i} = {i}\n" for i in range(FUNCTION_LINES))
    (tmp_path / "fn.py").write_text(f"def long():\n{body}\ndef short():\n    pass\n", encoding="utf-8")
    assert over_budget(tmp_path) == {"big.py": MODULE_LINES + 1, "fn.py:long": FUNCTION_LINES + 1}
