"""Django's compile of a site, reused between runs only when everything it read is unchanged.

Runs in the Django worker. A compiled site (one dialect) is stored under a key made of:

- the site itself (its whole IR: chain, arguments, file, line, function), the dialect;
- the *environment*: this cache's format, Python's version, the project root and settings module, the process
  environment (less a few variables a shell changes by itself), a signature of every non-project module loaded
  (Django, third-party packages, the migrator itself: path, size, mtime), the content of every project module
  Django's setup loaded (models, managers, settings, apps, admin...), and every signal receiver connected
  (its module, name, file and line: a compiled write names the receivers it did not run);

and the entry records the *dependencies* its compile met beyond that environment, each with its content hash: the
site's own file and the project files it imports, transitively (the interpreter reads the site module's source and
constants, load.bindings, and a constant may come from another module), and the file of every Python function that
ran while it compiled outside the environment (a C profiler per site, ``recorded``: a view helper, a module
imported after setup). A project function can hand out a value cached in memory by another site of the same pass,
so the files run by any site compiled in a pass are dependencies of every site compiled in it. The profiler slows
compiling 1.5 to 3 times: the sites missed compile unprofiled for the reply, then a forked process compiles them
again, recorded, and stores them (``_record_later``). An entry is used only when its key matches and every
dependency still has its hash. If a module imported after setup (the URLconf, the views) rebinds a name of a
setup-time module or of a model class or its ``_meta``, or registers a lookup class of the project's on a field, the
setup snapshot no longer describes the registry: every loaded project module then joins the environment (nothing is
reused across a view edit, but nothing stale either). A package's own lookups, registered when it is imported
(``django.contrib.postgres`` on every field), are covered by that package's files.

Not stored: what a time limit, a crash or our own bug decided (COMPILE_TIMEOUT, LOADER_CRASH, NOT_COMPILED).
Assumed: project code does not read files or the network to decide a query (compiling refuses writes and
connections, load.isolate, but not reads); a value a project module computes is a function of its source and the
sources above; a module imported after setup does not change Django's objects in place (a list's items) other than
by registering lookups, nor register a package's lookup class under a name of its own.
On by default; ``MIGRATOR_COMPILE_CACHE=off`` turns it off (``enabled``), ``MIGRATOR_CACHE_DIR=off`` with the others.
The recording runs detached (its own session, at nice 10, at most ``RECORD_BOUND`` seconds): the command ends
without waiting for it, and the next run finds what it stored; ``MIGRATOR_COMPILE_CACHE=wait`` makes closing the
session wait for it instead (tests that read what it stored).
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import sysconfig
from typing import Callable, Optional

from ..cache import cache_dir
from . import import_graph
from .compile_switch import RECORD_BOUND, RECORDER, SWITCH, enabled, prune as _prune, recording, waited  # noqa: F401

FORMAT = 1
NOT_STORED = {"COMPILE_TIMEOUT", "LOADER_CRASH", "NOT_COMPILED", "WORKER_FAILED"}
# set by a shell or by how the process was started, never read by a project's settings for a query
VOLATILE_ENV = {"PWD", "OLDPWD", "SHLVL", "_", "TERM", "COLUMNS", "LINES", "PS1", "SSH_TTY", "SSH_CLIENT",
                "SSH_CONNECTION", "TMUX_PANE", "WINDOWID", "PYTEST_CURRENT_TEST",
                "MIGRATOR_CACHE_DIR", SWITCH}  # where the entry is, when it is written: not what it holds
_STDLIB = tuple(os.path.realpath(p) + os.sep for p in {sysconfig.get_paths()["stdlib"],
                                                       sysconfig.get_paths()["platstdlib"]})


class _Boot:
    """What Django's setup left: the project modules it loaded, and a snapshot of the names they bind."""

    def __init__(self) -> None:
        self.modules: set[str] = set()
        self.snapshot: dict = {}
        self.root = ""
        self.bases: tuple[str, ...] = ()
        self.hashes: dict[str, str] = {}  # path -> content hash (a process reads a file once)
        self.imports: dict[str, list[str]] = {}  # path -> the project files it imports


_BOOT = _Boot()
_RECORDING = False  # a cached compile is running: ``recorded`` traces each site


def boot_snapshot(root: str) -> None:
    """Called once Django is set up and the registry read, before the URLconf is imported."""
    from .sources import ENV, decode

    if not enabled():
        return
    _BOOT.root = os.path.realpath(root)
    _BOOT.bases = (_BOOT.root,) + tuple(os.path.realpath(p) for p, _b in decode(os.environ.get(ENV, "")))
    _BOOT.modules = {name for name, path in _loaded() if _is_project(path)}
    _BOOT.snapshot = _registry_snapshot()


def _loaded() -> list[tuple[str, str]]:
    out = []
    for name, mod in list(sys.modules.items()):
        path = getattr(mod, "__file__", None)
        if isinstance(path, str) and path:
            out.append((name, os.path.realpath(path)))
    return out


def _is_project(path: str) -> bool:
    return import_graph.is_project(path, _BOOT.bases)


def _is_stdlib(path: str) -> bool:
    return path.startswith(_STDLIB) and "site-packages" not in path


def _content(path: str) -> str:
    if path not in _BOOT.hashes:
        try:
            with open(path, "rb") as fh:
                _BOOT.hashes[path] = hashlib.sha256(fh.read()).hexdigest()
        except OSError:
            _BOOT.hashes[path] = "missing"
    return _BOOT.hashes[path]


def _stat(path: str) -> str:
    try:
        st = os.stat(path)
    except OSError:
        return "missing"
    return f"{st.st_size}:{st.st_mtime_ns}"


def signature(path: str) -> str:
    """A project file by its content; a package's or the interpreter's by size and modification time."""
    return _content(path) if _is_project(path) else _stat(path)


def _registry_snapshot() -> dict:
    """Which object each name of a setup-time project module, a model class and its ``_meta`` is bound to."""
    from django.apps import apps

    snap: dict = {}
    for name in _BOOT.modules:
        mod = sys.modules.get(name)
        if mod is not None:
            snap["m:" + name] = {k: id(v) for k, v in vars(mod).items() if type(v) is not type(sys)}
    for model in apps.get_models(include_auto_created=True):
        key = f"{model._meta.label}:{id(model)}"
        snap["c:" + key] = {k: id(v) for k, v in vars(model).items()}
        snap["o:" + key] = {k: id(v) for k, v in vars(model._meta).items()}
    for klass in _lookup_classes():  # register_lookup() adds to a dict in place: its items, not the dict
        snap[f"l:{klass.__qualname__}:{id(klass)}"] = {k: id(v) for k, v in klass.__dict__["class_lookups"].items()
                                                        if _project_object(v)}
    return snap


def _project_object(value) -> bool:
    """Whether ``value`` (a lookup class) comes from a project module. A package's own lookups, registered when
    it is imported (django.contrib.postgres on every field), are covered by its files' signatures."""
    module = sys.modules.get(getattr(value, "__module__", "") or "")
    path = getattr(module, "__file__", None)
    return isinstance(path, str) and _is_project(os.path.realpath(path))


def _lookup_classes() -> list[type]:
    """Every field, lookup and transform class holding lookups registered on it."""
    from django.db.models.query_utils import RegisterLookupMixin

    out, todo, seen = [], [RegisterLookupMixin], set()
    while todo:
        klass = todo.pop()
        if klass in seen:
            continue
        seen.add(klass)
        todo += type.__subclasses__(klass)
        if isinstance(klass.__dict__.get("class_lookups"), dict):
            out.append(klass)
    return out


def _registry_changed() -> bool:
    """Whether code run since the setup rebound a name the snapshot holds (or added one to a module or a model
    class). ``_meta`` may gain keys (Django fills its cached properties lazily): only rebinding counts there."""
    now = _registry_snapshot()
    if {k for k, v in now.items() if v} != {k for k, v in _BOOT.snapshot.items() if v}:
        return True
    for key, before in _BOOT.snapshot.items():
        after = now.get(key, {})
        if any(after.get(k, -1) != v for k, v in before.items()):
            return True
        if not key.startswith("o:") and after.keys() - before.keys():
            return True
    return False


def _receivers() -> list[str]:
    """Every receiver connected to a module-level Signal: module, name, file, line."""
    from django.dispatch import Signal

    out = set()
    for mod in list(sys.modules.values()):
        for name, sig in list(getattr(mod, "__dict__", {}).items()):
            if not issubclass(type(sig), Signal):  # type(), not isinstance: a lazy object would be evaluated
                continue
            for entry in list(sig.receivers):
                ref = entry[1] if len(entry) > 1 else None
                fn = ref() if callable(ref) and type(ref).__name__ in ("ReferenceType", "WeakMethod") else ref
                fn = getattr(fn, "__func__", fn)
                code = getattr(fn, "__code__", None)
                out.add(f"{name}:{getattr(fn, '__module__', '')}.{getattr(fn, '__qualname__', repr(type(fn)))}:"
                        f"{getattr(code, 'co_filename', '')}:{getattr(code, 'co_firstlineno', 0)}")
    return sorted(out)


class Environment:
    """The part of every key that is the same for all sites of a run (see the module's docstring)."""

    def __init__(self, settings: str) -> None:
        # load.compile and its modules are part of the environment: the worker imported them before calling cached()
        loaded = _loaded()
        widened = _registry_changed()
        self.files = {p for n, p in loaded if not _is_stdlib(p) and (
            not _is_project(p) or n in _BOOT.modules or widened)}
        parts = {"format": FORMAT, "python": sys.version, "root": _BOOT.root, "settings": settings,
                 "env": sorted((k, v) for k, v in os.environ.items() if k not in VOLATILE_ENV),
                 "files": sorted((p, signature(p)) for p in self.files), "receivers": _receivers(),
                 "widened": widened}
        self.key = hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()

    def entry(self, folder: str, site: dict, dialect: str) -> str:
        text = json.dumps([self.key, dialect, site], sort_keys=True)
        name = hashlib.sha256(text.encode()).hexdigest()
        return os.path.join(folder, name[:2], name + ".json")

    def outside(self, paths) -> set[str]:
        """The files among ``paths`` this environment does not cover (real files only)."""
        return {p for p in paths if p not in self.files and not _is_stdlib(p) and os.path.isfile(p)}


def site_file(site: dict) -> str:
    """The site's own file, absolute (found under the root or a --source tree's base)."""
    rel = site.get("file", "")
    for base in _BOOT.bases:
        path = os.path.join(base, rel)
        if os.path.isfile(path):
            return os.path.realpath(path)
    return os.path.join(_BOOT.root, rel)


def imported(path: str) -> list[str]:
    """``path`` and the project files it imports, transitively (load/import_graph.py, remembered per process)."""
    return import_graph.imported(path, _BOOT.bases, _BOOT.imports)


def recorded(compile_one: Callable[[dict, str, str], dict], site: dict, dialect: str, root: str) -> dict:
    """``compile_one(site, dialect, root)``, with the files of the Python functions it ran in ``"ran"`` when
    a cached compile is recording (the hook load.compile calls per site); else just the call."""
    if not _RECORDING or sys.gettrace() or sys.getprofile():  # a debugger or coverage owns the hook: not stored
        return compile_one(site, dialect, root)
    from _lsprof import Profiler  # C: a Python trace function made compiling 3.5x slower, this ~1.5x

    profiler = Profiler(builtins=False)
    profiler.enable()
    try:
        out = compile_one(site, dialect, root)
    finally:
        profiler.disable()
    codes = {e.code for e in profiler.getstats() if not isinstance(e.code, str)}
    out["ran"] = sorted({c.co_filename for c in codes if not c.co_filename.startswith("<")})
    return out


def cached(compile_sites: Callable[..., list[dict]], sites: list[dict], dialects: tuple[str, ...], root: str,
           progress: Optional[str], settings: str, marker: str = "") -> tuple[list[dict], Callable[[], None]]:
    """``compile_sites(sites, dialects, root, progress)`` (load.compile), each site's results taken from the cache
    when every dialect's entry is valid, the others compiled: the same list, in order. And what to call once that
    list is sent: the sites compiled are compiled again under the profiler and stored, in a forked process (the
    profiler makes compiling about 1.5 to 3 times slower: off the critical path); ``marker`` exists while it runs
    (Worker.close waits for it, bounded). Off unless ``enabled``."""
    folder = cache_dir("compile")
    if folder is None or not _BOOT.bases or not enabled():
        return compile_sites(sites, dialects, root, progress), lambda: None
    env = Environment(settings)
    found = [[_read(env.entry(str(folder), s, d)) for d in dialects] for s in sites]
    misses = [s for s, f in zip(sites, found) if not all(f)]
    fresh = iter(compile_sites(misses, dialects, root, progress) if misses else [])
    out: list[dict] = []
    for s, f in zip(sites, found):
        out += f if all(f) else [next(fresh) for _d in dialects]
    record = lambda: _record_later(env, str(folder), misses, compile_sites, dialects, root, marker)  # noqa: E731
    if not waited():  # detached, and forked now: the command may kill the worker's group as soon as it reads the reply
        record()
        return out, lambda: None
    if misses and marker:  # before the reply, for the same reason
        with open(marker, "w", encoding="utf-8"):
            pass
    return out, record


def _record_later(env: "Environment", folder: str, sites: list[dict], compile_sites: Callable[..., list[dict]],
                  dialects: tuple[str, ...], root: str, marker: str) -> None:
    """Compile ``sites`` again, recorded, and store them, in a forked child (none when the process has threads: a
    lock another thread holds would stay held in the child; the sites are then compiled again next time)."""
    import select
    import threading

    pid, detach = -1, not waited()
    if sites and hasattr(os, "fork") and threading.active_count() == 1:
        ready, told = os.pipe()
        try:
            pid = os.fork()
        except OSError:
            pass
        if pid != 0:  # this process (or no child): once the child has left the group, it survives the group's kill
            os.close(told)
            if pid > 0 and detach:
                select.select([ready], [], [], 10)
            os.close(ready)
    if pid != 0:
        if pid < 0 and marker and os.path.exists(marker):  # no child records: nothing to wait for
            os.remove(marker)
        return
    global _RECORDING
    flag = ""
    try:  # the child: every site recorded; the state the first pass left is what this one compiles in
        os.close(ready)
        if detach:  # out of the worker's process group (closing kills that group), below the command's work
            import signal

            os.setsid()
            os.write(told, b"1")
            os.nice(10)
            signal.alarm(RECORD_BOUND)  # its default action ends the process: nothing half-written is stored
            os.makedirs(folder, exist_ok=True)
            flag = os.path.join(folder, f"{RECORDER}{os.getpid()}")
            open(flag, "w").close()
        os.close(told)
        _RECORDING = True
        compiled = compile_sites(sites, dialects, root, None)
        _store(env, folder, [(s, c) for s, c in zip([s for s in sites for _d in dialects], compiled)])
        _prune(folder)
    finally:
        for done in (marker, flag):
            if done and os.path.exists(done):
                os.remove(done)
        os._exit(0)


def _read(path: str) -> Optional[dict]:
    try:
        with open(path, encoding="utf-8") as fh:
            entry = json.load(fh)
    except (OSError, ValueError):
        return None
    if any(signature(p) != sig for p, sig in entry.get("deps", {}).items()):
        return None
    return entry.get("result")


def _store(env: Environment, folder: str, stored: list[tuple[dict, dict]]) -> None:
    """Each fresh result with its dependencies. What a site's compile ran may leave state behind (a value cached
    in memory, a lookup registered) that another site compiled in the same process reads without running that
    code (and the first pass compiled every one of them before this one): the files run by any site compiled here
    are every site's dependencies."""
    ran = [c.pop("ran", None) for _s, c in stored]  # None: not recorded (a debugger held the hook), not stored
    met = set().union(*(env.outside(r or ()) for r in ran)) if ran else set()
    for i, (site, c) in enumerate(stored):
        if ran[i] is None or c.get("reason") in NOT_STORED:
            continue
        deps = {p: signature(p) for p in met}
        for p in imported(site_file(site)):
            deps[p] = signature(p)
        path = env.entry(folder, site, c["dialect"])
        try:
            os.makedirs(os.path.dirname(path), exist_ok=True)
            tmp = f"{path}.{os.getpid()}.tmp"
            with open(tmp, "w", encoding="utf-8") as fh:
                fh.write(json.dumps({"deps": deps, "result": c}, sort_keys=True))
            os.replace(tmp, path)
        except OSError:  # a read-only or full cache folder: the run goes on uncached
            pass
