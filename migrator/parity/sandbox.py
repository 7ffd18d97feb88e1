"""What parity's Django side may touch: a copy of the project, in the run's work directory, and nothing else.

Parity runs the user's Django for real (writes, save() overrides, signal receivers), so whatever the
project's code writes must land somewhere the user never sees:

- ``project_copy``: the Django processes (django_side and the http check's runserver) run in a copy of
  the project's source tree (``WORK/sandbox/tree/<name>``), so a path the settings compute from ``__file__``
  or ``BASE_DIR`` (a Whoosh index, MEDIA_ROOT, a SQLite file, a log file) lands in the copy. Left out:
  version control, virtualenvs, node_modules, bytecode caches, and files over ``MAX_FILE`` bytes (media).
  The project's siblings are linked next to the copy, so a settings module that imports a module next to
  its project (``parents[2]``) still finds it, read-only.
- ``settings_overrides``: what settings may point outside the copy is moved into the work directory, or
  kept in the process (see ``OVERRIDES`` and docs/parity.md, "What parity touches").
- ``guard``: an audit hook (as load/isolate.py does while compiling) that refuses a file-system write
  outside the work directory and records it with the project line that tried; the runner reports each as
  ``path:line:col: warning[PARITY_SIDE_EFFECT]`` (``side_effect_diagnostics``), so a refused write that
  changes what Django does is explained next to the difference it causes.

The sandbox is on when ``MIGRATOR_PARITY_SANDBOX`` names the work directory (``env``); django_side run by
hand without it behaves as before.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
from pathlib import Path
from typing import Optional

ENV = "MIGRATOR_PARITY_SANDBOX"
MAX_FILE = 20 * 1024 * 1024  # bytes: larger files are media or data dumps, not what settings read
SKIP_DIRS = {".git", ".hg", ".svn", "node_modules", "__pycache__", ".tox", ".nox", ".mypy_cache", ".pytest_cache",
             ".ruff_cache", ".venv", "venv", ".direnv"}
RECORD = "side_effects.jsonl"
CODE = "PARITY_SIDE_EFFECT"


def box(work: Path) -> Path:
    return Path(work) / "sandbox"


def env(work: Path) -> dict:
    """Environment of a Django process of the run: the sandbox on, temporary files and bytecode inside it."""
    tmp = box(work) / "tmp"
    tmp.mkdir(parents=True, exist_ok=True)
    return {ENV: str(Path(work).resolve()), "TMPDIR": str(tmp), "PYTHONDONTWRITEBYTECODE": "1"}


def _ignore(folder: str, names: list[str]) -> set[str]:
    out = set()
    for name in names:
        path = os.path.join(folder, name)
        if os.path.islink(path):
            continue
        if os.path.isdir(path):
            if name in SKIP_DIRS or os.path.exists(os.path.join(path, "pyvenv.cfg")):
                out.add(name)
        elif name.endswith(".pyc") or os.path.getsize(path) > MAX_FILE:
            out.add(name)
    return out


def project_copy(root: Path, work: Path) -> Path:
    """The copy of ``root`` the Django side runs in (made on first use, then reused for the run)."""
    root = Path(root).resolve()
    dest = copy_root(root, work)
    if dest.is_dir():
        return dest
    dest.parent.mkdir(parents=True, exist_ok=True)
    shutil.copytree(root, dest, symlinks=True, ignore=_ignore)
    for sibling in root.parent.iterdir():  # read-only neighbours: writes through them are refused (guard)
        link = dest.parent / sibling.name
        if sibling != root and not link.exists() and not link.is_symlink():
            link.symlink_to(sibling)
    return dest


def copy_root(root: Path, work: Path) -> Path:
    """Where the copy of ``root`` is (its neighbours linked next to it)."""
    return box(work) / "tree" / Path(root).resolve().name


def map_back(text: str, root: Path, work: Path) -> str:
    """A message of the Django side with the user's paths instead of the copy's."""
    return text.replace(str(copy_root(root, work)), str(Path(root).resolve()))


# ----------------------------------------------------------------------------- settings

# setting -> why it is moved; each points at a place inside the work directory, or stays in the process
OVERRIDES = {
    "EMAIL_BACKEND": "locmem: an e-mail a receiver sends during parity never leaves the machine",
    "MEDIA_ROOT": "a FileField's save() writes there (moved only when outside the copy)",
    "FILE_UPLOAD_TEMP_DIR": "uploads spill there (moved only when outside the copy)",
    "SESSION_FILE_PATH": "file sessions (moved only when outside the copy)",
    "STATIC_ROOT": "collectstatic writes there (moved only when outside the copy)",
    "CACHES": "a file cache's LOCATION moves into the work directory; a cache server (memcached, redis) "
              "becomes locmem: a shared cache would carry values between runs and into the user's service",
    "LOGGING": "a file handler's filename moves into the work directory",
}
_LOCAL_CACHES = ("locmem", "dummy", "db.DatabaseCache", "filebased")


def _inside(path, folder: Path) -> bool:
    try:
        return Path(os.path.realpath(os.fsdecode(path))).is_relative_to(os.path.realpath(folder))
    except (TypeError, ValueError):
        return False


def settings_overrides(values: dict, work: Path) -> dict:
    """The settings (of ``values``: a settings module's globals or a dict of them) to replace, and their new
    values: every place outside the work directory a setting names, moved inside it."""
    work = Path(work)
    place = box(work) / "moved"
    out: dict = {"EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend"}
    for name in ("MEDIA_ROOT", "FILE_UPLOAD_TEMP_DIR", "SESSION_FILE_PATH", "STATIC_ROOT"):
        value = values.get(name)
        if value and os.path.isabs(os.fsdecode(value)) and not _inside(value, work):
            out[name] = str(place / name.lower())
    caches = {}
    for alias, conf in dict(values.get("CACHES") or {}).items():
        conf = dict(conf)
        backend = str(conf.get("BACKEND", ""))
        if "filebased" in backend and not _inside(conf.get("LOCATION", "/"), work):
            conf["LOCATION"] = str(place / "cache" / alias)
        elif not any(k in backend for k in _LOCAL_CACHES):
            conf = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": f"parity-{alias}"}
        caches[alias] = conf
    if caches and caches != values.get("CACHES"):
        out["CACHES"] = caches
    logging = values.get("LOGGING")
    if isinstance(logging, dict) and isinstance(logging.get("handlers"), dict):
        handlers = {}
        for name, conf in logging["handlers"].items():
            conf = dict(conf)
            if conf.get("filename") and not _inside(os.path.abspath(conf["filename"]), work):
                conf["filename"] = str(place / "logs" / f"{name}-{os.path.basename(os.fsdecode(conf['filename']))}")
            handlers[name] = conf
        if handlers != logging["handlers"]:
            out["LOGGING"] = {**logging, "handlers": handlers}
    for folder in ("cache", "logs"):
        (place / folder).mkdir(parents=True, exist_ok=True)
    return out


def sandbox_settings(values: dict) -> dict:
    """For a settings shim (the http check's runserver): guard on, and the overrides, when the sandbox is on."""
    work = os.environ.get(ENV)
    if not work:
        return {}
    guard(Path(work), str(Path(os.getcwd())))
    return settings_overrides(values, Path(work))


# ----------------------------------------------------------------------------- the guard

_WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_APPEND | os.O_TRUNC
_PATH_EVENTS = {"os.mkdir", "os.rename", "os.remove", "os.rmdir", "os.truncate", "os.symlink", "os.link",
                "os.chmod", "os.chown", "os.utime", "shutil.rmtree", "shutil.move", "shutil.copyfile",
                "shutil.copytree", "sqlite3.connect"}


class ParitySideEffect(PermissionError):
    """The project's code tried to write outside parity's work directory. A PermissionError, so code that
    copes with a read-only file system copes with this; the attempt is reported anyway."""


class _Guard:
    def __init__(self, work: Path, root: str) -> None:
        self.work, self.root = os.path.realpath(work), root
        self.fd = os.open(os.path.join(work, "sandbox", RECORD), os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        self.busy = False

    def allowed(self, path) -> bool:
        if isinstance(path, int):
            return True  # a descriptor this process holds
        text = os.fsdecode(path)
        if text in (":memory:", "") or text.startswith(("file:", "/dev/null", "/dev/shm/")):
            return True
        real = os.path.realpath(text)
        return real == self.work or real.startswith(self.work + os.sep)

    def hook(self, event: str, args: tuple) -> None:
        if self.busy:
            return
        if event == "open":
            path, mode, flags = args
            writes = (isinstance(mode, str) and any(c in mode for c in "wax+")) or \
                (mode is None and isinstance(flags, int) and flags & _WRITE_FLAGS)
            paths = [path] if writes else []
        elif event in _PATH_EVENTS:
            paths = [a for a in args[:2] if isinstance(a, (str, bytes, os.PathLike))]
            if event in ("shutil.copyfile", "shutil.copytree", "os.symlink", "os.link"):
                paths = paths[1:]  # what is read may be anywhere; what is written may not
        else:
            return
        bad = [p for p in paths if not self.allowed(p)]
        if not bad:
            return
        self.busy = True
        try:
            from migrator.load.isolate import where

            entry = {"event": event, "path": os.fsdecode(bad[0]), "at": where(self.root)}
            os.write(self.fd, (json.dumps(entry) + "\n").encode("utf-8"))
        finally:
            self.busy = False
        raise ParitySideEffect(f"migrate parity refuses {event} of {os.fsdecode(bad[0])!r}: parity writes only "
                               "inside its temporary work directory, never into the project or elsewhere")


_INSTALLED: Optional[_Guard] = None


def guard(work: Path, root: str) -> None:
    """Install the audit hook of this process (once; an audit hook cannot be removed)."""
    global _INSTALLED
    if _INSTALLED is None:
        _INSTALLED = _Guard(Path(work), root)
        sys.addaudithook(_INSTALLED.hook)


def side_effect_diagnostics(root: Path, work: Path) -> list:
    """One PARITY_SIDE_EFFECT warning per refused write (deduplicated), located at the project line that tried."""
    from ..ir import Diagnostic

    record = box(work) / RECORD
    if not record.is_file():
        return []
    root = Path(root).resolve()
    counts: dict[tuple[str, str, str], int] = {}
    for line in record.read_text(encoding="utf-8").splitlines():
        entry = json.loads(line)
        key = (entry.get("at", ""), entry["event"], map_back(entry["path"], root, work))
        counts[key] = counts.get(key, 0) + 1
    out = []
    for (at, event, path), n in counts.items():
        file, _, num = at.rpartition(":")
        file, num = (file, int(num)) if num.isdigit() else (at, 0)
        shown = str(root / file) if file and not os.path.isabs(file) and (root / file).exists() else file
        out.append(Diagnostic(code=CODE, severity="warning", file=shown or str(root), line=num,
                              message=f"refused {event} of {path}" + (f" ({n} times)" if n > 1 else "")
                                      + ": parity writes only inside its temporary "
                                      "work directory, so what Django did after this may differ from a real run",
                              hint="point this path at a setting parity moves (MEDIA_ROOT, CACHES, LOGGING: see "
                                   "docs/parity.md, \"What parity touches\") or below BASE_DIR"))
    return out
