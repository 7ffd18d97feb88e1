"""sqlc per query, its results cached per query, the package's Go file assembled as sqlc writes it.

sqlc runs on one folder with one file per query (``sqlc/queries/<dialect>/00000.sql``...): it then writes one
Go file per query, whose body (the query's const, its Params and Row structs, its method) and imports are
that query's alone, and each error it prints names the file, so the query. Each query's result (its Go block
and import lines, or the error sqlc gave it) is cached under the hash of its text, in one cache entry per
*package*: sqlc's version, sqlc.yaml and the schema; that entry also keeps the files that depend on the
schema only (``db.go``, ``models.go``). A second generate runs sqlc only on the queries it has not seen, and
not at all when it has seen every one.

The package's query file is then assembled as sqlc writes one for a single query file (``<dialect>.sql.go``):
sqlc's header naming ``<dialect>.sql``, the import lines of every query (the standard library's first, then
the rest, each group sorted by path), and the queries' blocks sorted by method name, as sqlc sorts them. A
cold run and an incremental one assemble the same bytes, and these are the bytes sqlc writes for the single
file (tests/test_sqlc_incremental.py).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from . import runner

_PER_QUERY = re.compile(r"sqlc/\w+/(\d{5})\.sql\.go$")
_ERROR = re.compile(r"sqlc/queries/(\w+)/(\d+)\.sql:\d+:(?:\d+:)?\s*(.*)")
_IMPORT = re.compile(r'^\t(?:\w+ )?"([^"]+)"$')


@dataclass
class PackageRun:
    files: dict[str, str] = field(default_factory=dict)  # rel path -> Go text; {} when sqlc failed
    rejected: dict[int, str] = field(default_factory=dict)  # index of a query sqlc rejected -> its message
    error: str = ""  # an error no query explains (then no files)
    ran: bool = False  # sqlc was started


def _hash(*parts: str) -> str:
    h = hashlib.sha256()
    for p in parts:
        h.update(p.encode() + b"\0")
    return h.hexdigest()


def _split(text: str) -> tuple[str, list[list[str]], str]:
    """A per-query Go file sqlc wrote -> (the text before the import block, its import groups, the body)."""
    single = re.search(r'\nimport ((?:\w+ )?"[^"]+")\n', text)
    if single:  # gofmt's form of one import
        return text[:single.start()] + "\n\n", [["\t" + single.group(1)]], text[single.end():].strip("\n") + "\n"
    head, _, rest = text.partition("\nimport (\n")
    imports, _, body = rest.partition("\n)\n")
    groups = [[line for line in g.split("\n") if line] for g in imports.split("\n\n")]
    return head + "\n", [g for g in groups if g], body.strip("\n") + "\n"


def assemble(dialect: str, blocks: list[tuple[str, dict]]) -> str:
    """``<dialect>.sql.go`` from (method name, cached result) of every accepted query."""
    head = blocks[0][1]["head"]
    head = re.sub(r"^// source: .*$", f"// source: {dialect}.sql", head, count=1, flags=re.M)
    groups: list[set[str]] = [set(), set()]
    for _, r in blocks:
        for i, g in enumerate(r["imports"][:2]):
            groups[i].update(g)
    lines = ["\n".join(sorted(g, key=lambda s: _IMPORT.match(s).group(1) if _IMPORT.match(s) else s))
             for g in groups if g]
    body = "\n".join(r["block"] for _, r in sorted(blocks, key=lambda b: b[0]))
    return f"{head}import (\n" + "\n\n".join(lines) + "\n)\n\n" + body


class Store:
    """One package's cache entry: {"package": {rel: text} or None, "queries": {hash: result}}."""

    def __init__(self, key: str):
        folder = runner.cache_dir()
        self.path = folder / f"package-{key}.json" if folder is not None else None
        self.data = {"package": None, "queries": {}}
        if self.path is not None and self.path.is_file():
            try:
                self.data = json.loads(self.path.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                pass
        self.used: set[str] = set()
        self.changed = False

    def get(self, key: str):
        found = self.data["queries"].get(key)
        if found is not None:
            self.used.add(key)
        return found

    def put(self, key: str, value: dict) -> None:
        self.data["queries"][key] = value
        self.used.add(key)
        self.changed = True

    def save(self) -> None:
        """The entries this run used, and older ones up to as many again (an edit back reads them)."""
        if self.path is None:
            return
        if not self.changed:
            self.path.touch(exist_ok=True)  # recently used: kept longer
            return
        queries = self.data["queries"]
        older = [k for k in queries if k not in self.used][:max(len(self.used), 64)]
        keep = {k: queries[k] for k in sorted(self.used | set(older))}
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with tempfile.NamedTemporaryFile("w", dir=self.path.parent, delete=False, suffix=".tmp", encoding="utf-8") as f:
                json.dump({"package": self.data["package"], "queries": keep}, f)
            os.replace(f.name, self.path)
            entries = sorted(self.path.parent.glob("package-*.json"), key=lambda p: p.stat().st_mtime)
            for old in entries[:-runner.KEEP]:
                old.unlink(missing_ok=True)
        except OSError:
            pass  # a cache that cannot be written only costs time


def package_key(base: dict[str, str]) -> str:
    """The cache entry of a package: sqlc's version, sqlc.yaml and the schema."""
    binary = runner.sqlc_binary()
    version = runner.version(binary) or binary
    return _hash(version, *(f"{k}\0{v}" for k, v in sorted(base.items())))


def run_package(dialect: str, package: str, base: dict[str, str], queries: list[tuple[str, str]],
                stand_in: str, warm=None) -> PackageRun:
    """sqlc on ``queries`` ((method name, query text)), ``base`` being sqlc.yaml (reading ``sqlc/queries/<dialect>``)
    and the schema; ``stand_in`` the query sqlc reads when there is none (its Go is not kept); ``warm``: a sqlc
    already started on ``base`` (prestart.Warm), used for the first run if one is needed."""
    store = Store(package_key(base))
    keys = [_hash(text) for _, text in queries]
    missing = [i for i, k in enumerate(keys) if store.get(k) is None]
    out = PackageRun()
    if missing or store.data["package"] is None:
        out.ran = True
        error = _run_missing(dialect, base, [queries[i][1] for i in missing], [keys[i] for i in missing], stand_in,
                             store, warm)
        if error:
            return PackageRun(error=error, ran=True)
    store.save()
    results = [(queries[i][0], store.get(k)) for i, k in enumerate(keys)]
    out.rejected = {i: r["error"] for i, (_, r) in enumerate(results) if "error" in r}
    out.files = {f"sqlc/{package}/{rel}": text for rel, text in store.data["package"].items()}
    accepted = [(name, r) for name, r in results if "error" not in r]
    if accepted:
        out.files[f"sqlc/{package}/{dialect}.sql.go"] = assemble(dialect, accepted)
    return out


def _run_missing(dialect: str, base: dict, texts: list[str], keys: list[str], stand_in: str, store: Store,
                 warm=None) -> str:
    """Run sqlc on the queries not cached, storing each one's result; a second run without the ones it
    rejected. Returns an error no query explains ("" when none)."""
    todo = list(range(len(texts)))
    for _ in range(2):
        files = dict(base)
        for n, i in enumerate(todo or [None]):
            files[f"sqlc/queries/{dialect}/{n:05d}.sql"] = texts[i] if i is not None else stand_in
        done, warm = (warm.finish(files) if warm is not None else None), None
        run, final = done or runner.generate(runner.sqlc_binary(), files)
        if not run.error:
            _store_run(run.files, todo, keys, store)
            return ""
        rejected = {}
        for m in _ERROR.finditer(run.error):
            n = int(m.group(2))
            if m.group(1) == dialect and n < len(todo) and todo[n] not in rejected:
                rejected[todo[n]] = m.group(3).strip()
        if not rejected or not final:
            return run.error
        for i, msg in rejected.items():
            store.put(keys[i], {"error": msg})
        todo = [i for i in todo if i not in rejected]
    return run.error


def _store_run(files: dict[str, str], todo: list[int], keys: list[str], store: Store) -> None:
    package = {}
    for rel, text in files.items():
        m = _PER_QUERY.search(rel)
        if m is None:
            package[Path(rel).name] = text
        elif todo:
            head, imports, body = _split(text)
            store.put(keys[todo[int(m.group(1))]], {"head": head, "imports": imports, "block": body})
    store.data["package"] = package
    store.changed = True
