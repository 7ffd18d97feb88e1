"""sqlglot's translation of each compiled site, cached by content (``$MIGRATOR_CACHE_DIR/translate/``).

Translating a site (``sqlc.translate_all``) is a function of what Django compiled for it, the site's IR, the
dialect and the project's ``Hints``, computed by the migrator's code with sqlglot: an entry is found under the hash
of the first two, in one file per dialect, hints and code (``cache.code_signature``: any edit or upgrade of the
migrator, of sqlglot or of Python starts a new file). A site the step could not translate is cached with its reason,
as the step reports it. After editing one view only that view's sites are translated again (about 1 ms of sqlglot per
query on this machine: a third of a second for the sample, seconds for a large project).
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import tempfile
from typing import Optional

from ..cache import cache_dir, code_signature
from ..plan import value_from_json, value_to_json
from .sqlc_model import Query, Untranslatable

KEEP = 16  # files kept (the least recently used are removed beyond that)


def _hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogateescape")).hexdigest()


def hints_key(hints) -> str:
    """The hints as text in a stable order (their frozensets iterate in an order that changes per process)."""
    return repr([(f.name, sorted(map(repr, getattr(hints, f.name)))) for f in dataclasses.fields(hints)])


class TranslationCache:
    """One dialect's entries: ``translate(compiled, site, fn)`` -> (queries, None) or ([], (reason, detail))."""

    def __init__(self, dialect: str, hints):
        folder = cache_dir("translate")
        key = _hash(f"{code_signature()}\0{dialect}\0{hints_key(hints)}")[:40]
        self.path = folder / f"{dialect}-{key}.json" if folder is not None else None
        self.entries: dict = {}
        if self.path is not None and self.path.is_file():
            try:
                self.entries = json.loads(self.path.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                self.entries = {}
        self.used: set[str] = set()
        self.changed = False

    def translate(self, compiled: dict, site: dict, fn) -> tuple[list[Query], Optional[tuple[str, str]]]:
        """``fn(compiled, site)``: the translation, run when the entry is missing (its exceptions as the step
        reports them: Untranslatable's code, or REWRITE_FAILED)."""
        key = _hash(json.dumps([compiled, site], sort_keys=True, default=repr))
        entry = self.entries.get(key) if self.path is not None else None
        if entry is None:
            try:
                entry = {"queries": [value_to_json(q) for q in fn(compiled, site)]}
            except Untranslatable as exc:
                entry = {"skip": [exc.code, str(exc)]}
            except Exception as exc:  # noqa: BLE001 - sqlglot could not rewrite Django's SQL
                entry = {"skip": ["REWRITE_FAILED", f"{type(exc).__name__}: {exc}"]}
            self.entries[key] = entry
            self.changed = True
        self.used.add(key)
        if "skip" in entry:
            return [], tuple(entry["skip"])
        return [value_from_json(Query, q) for q in entry["queries"]], None

    def save(self) -> None:
        """The entries this run used, and older ones up to as many again (an edit undone finds its own)."""
        if self.path is None:
            return
        try:
            if not self.changed:
                self.path.touch(exist_ok=True)  # recently used: kept longer
                return
            older = [k for k in self.entries if k not in self.used][:max(len(self.used), 64)]
            keep = {k: self.entries[k] for k in sorted(self.used | set(older))}
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with tempfile.NamedTemporaryFile("w", dir=self.path.parent, delete=False, suffix=".tmp",
                                             encoding="utf-8") as fh:
                json.dump(keep, fh)
            os.replace(fh.name, self.path)
            files = sorted(self.path.parent.glob("*.json"), key=lambda p: p.stat().st_mtime)
            for old in files[:-KEEP]:
                old.unlink(missing_ok=True)
        except OSError:
            pass  # a cache that cannot be written only costs time
