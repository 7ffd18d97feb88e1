"""migrator.yaml: what a user tells the tool about their project (read with pyyaml). A ``types:`` key is a
field class name (or its dotted path: that class alone) or a Django internal type (every field of it).

    types:                      # custom or third-party fields the tool cannot map by itself
      MoneyField: {go: "decimal.Decimal", nullable: "*decimal.Decimal",
                   imports: ["github.com/shopspring/decimal"], column: "numeric(12, 2)"}
    sources: [shop, ../src]     # code outside the project directory: installed packages or directories
    include_tests: false        # test code (tests.py, test_*.py, tests/, conftest.py) is left out by default
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

from .ir import Diagnostic
from .translate.types import UserType

FILENAME = "migrator.yaml"


@dataclass(frozen=True)
class Config:
    types: dict[str, UserType] = field(default_factory=dict)
    intended: tuple[dict, ...] = ()  # parity: intended differences
    path: str = ""
    sources: tuple[str, ...] = ()  # more source trees to scan (see load.sources)
    include_tests: bool = False

    def scan_options(self, sources: tuple[str, ...] = (), include_tests: bool = False) -> dict:
        """``load_project`` keywords: the command line's --source/--include-tests added to this file's."""
        return {"sources": tuple(dict.fromkeys((*self.sources, *sources))),
                "include_tests": include_tests or self.include_tests}


def load_config(root: Path, path: Optional[Path] = None) -> tuple[Config, list[Diagnostic]]:
    path = path or (root / FILENAME)
    if not path.is_file():
        return Config(), []
    rel = str(path.relative_to(root)) if path.is_relative_to(root) else str(path)
    import yaml  # here: most projects have no migrator.yaml, and pyyaml takes 0.1 to 0.2 s to import

    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        return Config(path=rel), [Diagnostic(code="CONFIG_SYNTAX", file=rel, line=(mark.line + 1) if mark else 0,
                                             column=(mark.column + 1) if mark else 0, message=f"invalid YAML: {exc}")]
    if not isinstance(data, dict):
        return Config(path=rel), [Diagnostic(code="CONFIG_SHAPE", file=rel, line=1, message="expected a mapping at the top level")]
    diags: list[Diagnostic] = []
    types: dict[str, UserType] = {}
    for name, spec in (data.get("types") or {}).items():
        if not isinstance(spec, dict) or not spec.get("go"):
            diags.append(Diagnostic(code="CONFIG_TYPE", file=rel, message=f"types.{name}: needs at least `go:`",
                                    hint="e.g. types: {MoneyField: {go: decimal.Decimal, column: numeric(12,2)}}"))
            continue
        types[str(name)] = UserType(go=str(spec["go"]), nullable=str(spec.get("nullable", "")),
                                    imports=tuple(spec.get("imports", ()) or ()), column=str(spec.get("column", "")))
    intended = tuple(d for d in (data.get("parity", {}) or {}).get("intended_differences", []) or [] if isinstance(d, dict))
    sources = data.get("sources") or []
    if isinstance(sources, str):
        sources = [sources]
    if not isinstance(sources, list) or not all(isinstance(x, str) for x in sources):
        diags.append(Diagnostic(code="CONFIG_SHAPE", file=rel, message="sources: expected a list of package names or "
                                "directories", hint="e.g. sources: [shop, ../src]"))
        sources = []
    return Config(types=types, intended=intended, path=rel, sources=tuple(sources),
                  include_tests=bool(data.get("include_tests", False))), diags
