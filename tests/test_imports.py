"""The import graph of migrator/ follows the pipeline (STYLE.md): no cycle between modules, no import against
the stage order, and the emit stage only renders (it imports value types, not translators, and starts no
process). Static: the modules are parsed, not imported; function-level imports count too."""

from __future__ import annotations

import ast
import functools
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent / "migrator"

# Stage order, earliest first: a module may import its own layer and earlier ones. A module not listed (a new
# one) is in the last layer: it may import anything, and nothing listed may import it.
LAYERS = [
    ("migrator", "migrator.ir", "migrator.plan", "migrator.parallel", "migrator.templating", "migrator.toolchain",
     "migrator.toolmemo", "migrator.gofmt", "migrator.querysets", "migrator.dialects", "migrator.gostring",
     "migrator.codec", "migrator.ir_drf", "migrator.cache", "migrator.frameworks", "migrator.equivalence"),  # shared values, tools
    ("migrator.load",),
    ("migrator.translate", "migrator.config"),
    ("migrator.sqlcstep",),
    ("migrator.emit",),
    ("migrator.write",),
    ("migrator.generate", "migrator.analyze", "migrator.report", "migrator.docgen", "migrator.drf_report"),
    ("migrator.parity", "migrator.bench", "migrator.cutover"),
    ("migrator.cli", "migrator.__main__"),
]
# What emit may take from the translate stage: value types and constants it renders, never a translator.
EMIT_FROM_TRANSLATE = {"ANY_METHODS", "HTTPModel", "schema_sql", "GormModel", "HTTPPlan"}
NO_PROCESS = {"subprocess", "multiprocessing", "os.system", "pty"}


def _modules() -> dict[str, Path]:
    out = {}
    for p in sorted(ROOT.rglob("*.py")):
        parts = p.relative_to(ROOT.parent).with_suffix("").parts
        out[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = p
    return out


def _imports(name: str, path: Path) -> list[tuple[str, tuple[str, ...], int]]:
    """(imported module, names taken from it, line) for every import of the file, at any depth."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    out = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            base = package.split(".")[:len(package.split(".")) - node.level + 1] if node.level else []
            target = ".".join(base + ([node.module] if node.module else []))
            out.append((target, tuple(a.name for a in node.names), node.lineno))
        elif isinstance(node, ast.Import):
            out += [(a.name, (), node.lineno) for a in node.names]
    return out


def _resolve(target: str, names: tuple[str, ...], modules: dict) -> list[str]:
    """The migrator modules an import reaches: ``from pkg import mod`` reaches pkg.mod when it is a module."""
    if target not in modules:
        return []
    subs = [f"{target}.{n}" for n in names if f"{target}.{n}" in modules]
    return subs if subs and len(subs) == len(names) else [target] + subs


def _layer(module: str) -> int:
    best, found = -1, len(LAYERS)
    for i, layer in enumerate(LAYERS):
        for prefix in layer:
            below = module.startswith(prefix + ".") and prefix != "migrator"  # the package itself is only itself
            if (module == prefix or below) and len(prefix) > best:
                best, found = len(prefix), i
    return found


@functools.cache  # one parse of migrator/ for the three checks that read it (none changes it)
def _graph() -> dict[str, dict[str, int]]:
    modules = _modules()
    graph: dict[str, dict[str, int]] = {m: {} for m in modules}
    for m, path in modules.items():
        for target, names, line in _imports(m, path):
            for dep in _resolve(target, names, modules):
                if dep != m and not m.startswith(dep + ".") and dep != "migrator":
                    graph[m].setdefault(dep, line)
    return graph


def _cycles(graph: dict[str, dict[str, int]]) -> list[frozenset]:
    """The groups of modules that import each other (strongly connected components of more than one module)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    out = []

    def visit(m: str) -> None:
        index[m] = low[m] = len(index)
        stack.append(m)
        for dep in graph[m]:
            if dep not in index:
                visit(dep)
                low[m] = min(low[m], low[dep])
            elif dep in stack:
                low[m] = min(low[m], index[dep])
        if low[m] == index[m]:
            group = []
            while True:
                group.append(stack.pop())
                if group[-1] == m:
                    break
            if len(group) > 1:
                out.append(frozenset(group))

    for m in sorted(graph):
        if m not in index:
            visit(m)
    return out


# Cycles that exist today (none since the scanner's source readers moved to load.model_source); the test
# fails on any new cycle and on a listed one that is gone (so the list only shrinks).
KNOWN_CYCLES: set[frozenset] = set()


def test_no_import_cycle():
    found = set(_cycles(_graph()))
    assert sorted(map(sorted, found - KNOWN_CYCLES)) == []  # a new cycle
    assert sorted(map(sorted, KNOWN_CYCLES - found)) == []  # fixed: remove it from KNOWN_CYCLES


def test_no_import_against_the_stage_order():
    wrong = [f"{m}:{line} imports {dep}" for m, deps in _graph().items() for dep, line in deps.items()
             if _layer(dep) > _layer(m)]
    assert wrong == []


def test_emit_only_renders():
    modules = _modules()
    found = []
    for m, path in modules.items():
        if not m.startswith("migrator.emit"):
            continue
        for target, names, line in _imports(m, path):
            if target in NO_PROCESS or target.split(".")[0] in NO_PROCESS or (target == "os" and "system" in names):
                found.append(f"{m}:{line} imports {target} (emit starts no process)")
            if target.startswith("migrator.translate") and set(names) - EMIT_FROM_TRANSLATE:
                found.append(f"{m}:{line} takes {sorted(set(names) - EMIT_FROM_TRANSLATE)} from {target}")
    assert found == []


def test_the_checks_can_fail():
    """The layer table sees an import against the order, and the resolver sees a module imported by name."""
    assert _layer("migrator.emit.sqlc") > _layer("migrator.sqlcstep.runner") > _layer("migrator.translate.sqlc")
    assert _layer("migrator.cutover_new_module") == len(LAYERS)
    modules = _modules()
    assert _resolve("migrator.emit", ("sqlc",), modules) == ["migrator.emit.sqlc"]
    assert "migrator.sqlcstep.runner" in _graph()["migrator.sqlcstep"]
    assert _cycles({"a": {"b": 1}, "b": {"c": 1}, "c": {"a": 1}, "d": {"a": 1}}) == [frozenset("abc")]
