"""Which files the scanner reads: the project's and its source trees' .py files (migrations, virtualenvs
and test code left out), each parsed once with positions (Parsed)."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Optional, Sequence

import libcst as cst

from .. import querysets as Q
from ..ir import Diagnostic
from .positions import Positions
from .sources import TEST_DIRS, SourceTree, display_path, is_test_file

SKIP_DIRS = {"migrations", "__pycache__", "node_modules", "site-packages", ".git", ".venv", "venv", "env",
             ".tox", ".mypy_cache", ".pytest_cache", "build", "dist"}


def _module_name(root: Path, path: Path) -> str:
    rel = path.relative_to(root).with_suffix("")
    parts = list(rel.parts)
    if parts and parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)



# ----------------------------------------------------------------------------- project


def project_files(root: Path, include_tests: bool = False) -> list[Path]:
    """Every .py file under ``root`` that may be application code (migrations, virtualenvs and, unless
    ``include_tests``, test code left out)."""
    out = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if d not in SKIP_DIRS and not d.startswith(".")
                             and (include_tests or d not in TEST_DIRS))
        for f in sorted(filenames):
            if f.endswith(".py") and (include_tests or not is_test_file(f)):
                out.append(Path(dirpath) / f)
    return out


# A file is parsed only when it may hold a QuerySet (a manager, a shortcut, a QuerySet method call) or a
# model getter (`return apps.get_model(...)`, see load.swappable).
CANDIDATE = re.compile(r"objects|_manager|get_model\(|get_object_or_404|get_list_or_404|\.(?:%s)\(" % "|".join(
    sorted(m_ for m_ in Q.KNOWN_METHODS if m_.isidentifier())))


@dataclass
class Parsed:
    """One source file, parsed with positions resolved: the part of scanning that needs no models."""

    rel: str
    module: str
    is_package: bool
    positions: Positions


def parse_source(root: Path, path: Path, text: str, rel: Optional[str] = None,
                 module: Optional[str] = None) -> tuple[Optional[Parsed], list[Diagnostic]]:
    """``rel`` and ``module`` default to the file's place under ``root``."""
    rel = rel or path.relative_to(root).as_posix()
    try:
        tree = cst.parse_module(text)
    except cst.ParserSyntaxError as exc:
        line, col, msg = exc.raw_line, exc.raw_column + 1, exc.message
        try:  # CPython's own parser points at the offending token more precisely
            compile(text, rel, "exec", dont_inherit=True)
        except SyntaxError as py:
            line, col, msg = py.lineno or line, py.offset or col, py.msg
        return None, [Diagnostic(code="SYNTAX_ERROR", file=rel, line=line, column=col, message=f"syntax error: {msg}",
                                 hint="QuerySet sites in this file are not analysed until it parses")]
    return Parsed(rel, module if module is not None else _module_name(root, path), path.name == "__init__.py",
                  Positions(tree)), []


def source_files(root: Path, sources: Sequence[SourceTree] = (),
                 include_tests: bool = False) -> list[tuple[Path, str, str]]:
    """(path, display path, module) of every file to scan: the project's, then each source tree's."""
    files = [(p, p.relative_to(root).as_posix(), _module_name(root, p)) for p in project_files(root, include_tests)]
    seen = {p.resolve() for p, _, _ in files}
    for tree in sources:
        base = Path(tree.base)
        for p in project_files(Path(tree.path), include_tests):
            if p.resolve() in seen:
                continue
            seen.add(p.resolve())
            rel = display_path(str(root), str(p), [t.path for t in sources])
            if not include_tests and is_test_file(rel):
                continue
            files.append((p, rel, _module_name(base, p)))
    return files


def parse_sources(root: Path, sources: Sequence[SourceTree] = (),
                  include_tests: bool = False) -> tuple[list[Parsed], list[Diagnostic], int]:
    """Parse every source file that may hold a QuerySet (migrations, virtualenvs and test code skipped)."""
    parsed: list[Parsed] = []
    diags: list[Diagnostic] = []
    count = 0
    for path, rel, module in source_files(root, sources, include_tests):
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            diags.append(Diagnostic(code="UNREADABLE", file=rel, message=f"cannot read the file: {exc}",
                                    severity="warning"))
            continue
        count += 1
        if not CANDIDATE.search(text):
            continue
        p, d = parse_source(root, path, text, rel, module)
        diags += d
        if p is not None:
            parsed.append(p)
    return parsed, diags, count

