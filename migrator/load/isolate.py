"""What compiling a site may not do: run signal receivers, write files, connect, start processes, take forever.

Compiling a write site (create(), get_or_create, M2M add...) runs Django's real code path: the model's
``save()`` and, unguarded, every signal receiver. A receiver that updates a search index (haystack's
RealtimeSignalProcessor with Whoosh: a file lock, a writer thread) deadlocked the compile and wrote an
index into the user's project. So, while one site compiles (``isolated``):

- every ``django.dispatch.Signal`` send is recorded and not delivered: model signals (pre/post_init,
  pre/post_save, pre/post_delete, m2m_changed) and any other signal a save() sends, so haystack-style
  signal processors never run;
- an audit hook refuses what would leave the process: opening a file for writing, creating, renaming or
  removing files, connecting a socket, starting a process (``SideEffect``, recorded with the project
  line that tried);
- ``time_limit`` ends a site that takes longer than MIGRATOR_COMPILE_TIMEOUT seconds (``CompileTimeout``);
  the parent process also watches the worker and restarts it when a site swallows that (load.Worker).

``save()`` overrides are a different matter: they decide which statements a write sends. ``save_overrides``
wraps each one so the compile knows which ran, and can run the write again without them to compare.
"""

from __future__ import annotations

import contextlib
import inspect
import os
import signal
import sys
import threading
from typing import Any, Callable, Iterator, Optional

from .sources import display_path

DEFAULT_TIMEOUT = 10.0


def compile_timeout() -> float:
    """Seconds one site may take to compile: MIGRATOR_COMPILE_TIMEOUT, default 10."""
    try:
        value = float(os.environ.get("MIGRATOR_COMPILE_TIMEOUT", "") or DEFAULT_TIMEOUT)
    except ValueError:
        value = DEFAULT_TIMEOUT
    return value if value > 0 else DEFAULT_TIMEOUT


class CompileTimeout(BaseException):
    """A site took longer than its bound. BaseException: an ``except Exception`` in the project or in
    Django must not swallow it and go on compiling."""


class SideEffect(PermissionError):
    """Compiling tried to act outside its process. A PermissionError, so code that copes with a read-only
    file system (importlib writing a .pyc, a cache) copes with this too; the attempt is recorded anyway."""


# ----------------------------------------------------------------------------- where, in the project


def where(root: str, frame: Any = None) -> str:
    """``file:line`` of the innermost frame in the project (else outside migrator, Django and the stdlib),
    from ``frame`` (default: the caller's caller) outwards."""
    frame = frame if frame is not None else sys._getframe(2)
    fallback = ""
    here = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    stdlib = os.path.dirname(os.__file__)
    while frame is not None:
        path = os.path.abspath(frame.f_code.co_filename)
        if root and not os.path.relpath(path, root).startswith("..") and "/site-packages/" not in path:
            return f"{os.path.relpath(path, root)}:{frame.f_lineno}"
        if not fallback and not path.startswith((here, stdlib)) and "/django/" not in path \
                and not path.startswith("<"):
            fallback = f"{display_path(root, path) if root else path}:{frame.f_lineno}"
        frame = frame.f_back
    return fallback


def location(root: str, fn: Callable) -> str:
    """``file:line`` of a function's definition, relative to the project when it is the project's."""
    fn = inspect.unwrap(getattr(fn, "__func__", fn))
    code = getattr(fn, "__code__", None)
    if code is None:
        return getattr(fn, "__qualname__", repr(fn))
    path = os.path.abspath(code.co_filename)
    # machine-independent: relative to the project, or an installed file's package path (todo/models.py)
    return f"{display_path(root, path) if root else path}:{code.co_firstlineno}"


# ----------------------------------------------------------------------------- side effects


_WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_APPEND | os.O_TRUNC
_REFUSED = {"os.mkdir", "os.rename", "os.remove", "os.rmdir", "os.truncate", "os.symlink", "os.link",
            "os.chmod", "os.chown", "os.utime", "shutil.rmtree", "shutil.move", "shutil.copyfile",
            "socket.connect", "socket.bind", "socket.sendto", "subprocess.Popen", "os.system", "os.exec",
            "os.posix_spawn", "os.spawn", "os.startfile", "os.kill", "os.killpg",
            "sqlite3.connect"}  # compiling uses offline connections: a real one creates or changes a database


class _Guard:
    def __init__(self) -> None:
        self.active = False
        self.root = ""
        self.attempts: list[str] = []
        self.installed = False

    def hook(self, event: str, args: tuple) -> None:
        if not self.active:  # every thread: a project's writer thread acting now is the compile's doing
            return
        if event == "open":
            path, mode, flags = args
            if isinstance(path, int):  # a descriptor this process already holds
                return
            writes = (isinstance(mode, str) and any(c in mode for c in "wax+")) or \
                (mode is None and isinstance(flags, int) and flags & _WRITE_FLAGS)
            if not writes:
                return
            text = os.fsdecode(path)
            if _bytecode(text):  # importlib caching bytecode of a module imported lazily
                return
            what = f"open({_shown(self.root, text)!r}, {mode or 'flags=' + oct(flags)!r}) for writing"
        elif event == "os.rename" and len(args) > 1 and isinstance(args[1], (str, bytes)) and _bytecode(
                os.fsdecode(args[1])):
            return  # the same cache entry moved in place
        elif event in _REFUSED:
            what = f"{event}{_short(self.root, args)}"
        else:
            return
        self.active = False  # the bookkeeping below must not trip the hook
        try:
            at = where(self.root)
            self.attempts.append(what + (f" at {at}" if at else ""))
        finally:
            self.active = True
        raise SideEffect(f"the migrator's compile step refuses {what}: compiling must not act outside its process")


def _bytecode(path: str) -> bool:
    """A file importlib writes to cache a module's bytecode (``__pycache__``, or under PYTHONPYCACHEPREFIX)."""
    prefix = sys.pycache_prefix
    return "__pycache__" in path or bool(prefix) and os.path.abspath(path).startswith(os.path.abspath(prefix) + os.sep)


def _shown(root: str, value):
    """A path in a message, as a generated file may hold it: never this machine's absolute path."""
    if isinstance(value, (str, os.PathLike)) and os.path.isabs(os.fsdecode(value)):
        return display_path(root, os.fsdecode(value)) if root else os.path.basename(os.fsdecode(value))
    return value


def _short(root: str, args: tuple) -> str:
    text = repr(tuple(_shown(root, a) for a in args if not callable(a)))
    return text if len(text) < 160 else text[:157] + "...)"


_GUARD = _Guard()


# ----------------------------------------------------------------------------- signals


def _signal_names() -> dict[int, str]:
    from django.db.models import signals

    return {id(v): k for k, v in vars(signals).items() if k[:1] != "_" and hasattr(v, "send")}


def _receivers(sig, sender) -> list:
    try:
        live = sig._live_receivers(sender)
    except Exception:  # noqa: BLE001 - a Django version with another internal shape: name nothing
        return []
    if isinstance(live, tuple) and len(live) == 2 and all(isinstance(x, list) for x in live):
        live = live[0] + live[1]  # Django 5: (sync receivers, async receivers)
    return list(live)


_WRITES_READ: dict[tuple[str, str], list[str]] = {}  # (receiver entry, root) -> its writes (load.receivers)


@contextlib.contextmanager
def muted_signals(root: str, skipped: list[str], writers: Optional[list[str]] = None) -> Iterator[None]:
    """Every Signal send is recorded in ``skipped`` ("post_save -> module.receiver (file:line)"), not delivered;
    a receiver whose Python writes rows (load.receivers) also in ``writers``, with the line that writes."""
    from django.dispatch import Signal

    from .receivers import receiver_writes

    names = _signal_names()
    saved = {n: Signal.__dict__[n] for n in ("send", "send_robust", "asend", "asend_robust") if n in Signal.__dict__}

    def record(sig, sender) -> None:
        label = names.get(id(sig), "signal")
        for r in _receivers(sig, sender):
            fn = getattr(r, "__func__", r)
            owner = type(getattr(r, "__self__", None)).__qualname__ + "." if hasattr(r, "__self__") else ""
            name = f"{getattr(fn, '__module__', '?')}.{owner}{getattr(fn, '__name__', repr(fn))}"
            entry = f"{label} -> {name} ({location(root, fn)})"
            if entry not in skipped:
                skipped.append(entry)
                if writers is not None:
                    key = (entry, root)  # read once per worker: a receiver's source does not change under it
                    if key not in _WRITES_READ:
                        _WRITES_READ[key] = receiver_writes(r, label, lambda f: location(root, f))
                    writes = _WRITES_READ[key]
                    if writes:
                        more = f" (and {len(writes) - 1} more)" if len(writes) > 1 else ""
                        writers.append(f"{entry}: {writes[0]}{more}")

    def send(self, sender, **named):
        record(self, sender)
        return []

    async def asend(self, sender, **named):
        record(self, sender)
        return []

    Signal.send = Signal.send_robust = send
    if "asend" in saved:
        Signal.asend = Signal.asend_robust = asend
    try:
        yield
    finally:
        for n, fn in saved.items():
            setattr(Signal, n, fn)


# ----------------------------------------------------------------------------- save() overrides


def overridden_saves() -> dict[type, Callable]:
    """Model classes (concrete or abstract bases) that define their own save(): class -> that save()."""
    from django.apps import apps
    from django.db import models

    out: dict[type, Callable] = {}
    for model in apps.get_models():
        for klass in model.__mro__:
            if klass is models.Model or not isinstance(klass, type) or not issubclass(klass, models.Model):
                continue
            fn = klass.__dict__.get("save")
            if fn is not None and not getattr(fn, "__module__", "").startswith("django."):
                out[klass] = fn
    return out


@contextlib.contextmanager
def save_overrides(root: str, ran: list[str], bypass: bool = False) -> Iterator[None]:
    """Each save() override records its location in ``ran`` when it runs; with ``bypass`` it then runs
    Django's Model.save instead of its own body (the write as the generated Go does it)."""
    from django.db import models

    overrides = overridden_saves()

    def wrap(klass: type, fn: Callable) -> Callable:
        loc = f"{klass.__module__}.{klass.__qualname__}.save ({location(root, fn)})"

        def save(self, *args, **kwargs):
            if loc not in ran:
                ran.append(loc)
            if bypass:
                return models.Model.save(self, *args, **kwargs)
            return fn(self, *args, **kwargs)
        save.__wrapped_save__ = fn  # type: ignore[attr-defined]
        return save

    for klass, fn in overrides.items():
        setattr(klass, "save", wrap(klass, fn))
    try:
        yield
    finally:
        for klass, fn in overrides.items():
            setattr(klass, "save", fn)


# ----------------------------------------------------------------------------- all together


@contextlib.contextmanager
def isolated(root: str, skipped_receivers: list[str], side_effects: list[str],
             writers: Optional[list[str]] = None) -> Iterator[None]:
    """Signals recorded not delivered (those that write rows in ``writers``), and writes, connections and
    processes refused, for one site."""
    if not _GUARD.installed:
        sys.addaudithook(_GUARD.hook)  # audit hooks cannot be removed: it does nothing unless active
        _GUARD.installed = True
    _GUARD.root, _GUARD.attempts = root, side_effects
    with muted_signals(root, skipped_receivers, writers):
        _GUARD.active = True
        try:
            yield
        finally:
            _GUARD.active = False


@contextlib.contextmanager
def time_limit(seconds: float, root: str = "") -> Iterator[None]:
    """Raise CompileTimeout in this (main) thread after ``seconds``; elsewhere, no bound here (the parent
    process still watches)."""
    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "setitimer"):
        yield
        return

    def expired(signum, frame) -> None:
        at = where(root, frame)
        raise CompileTimeout(f"compiling took longer than {seconds:g} s" + (f" (it was at {at})" if at else ""))

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@contextlib.contextmanager
def progress_writer(path: Optional[str]) -> Iterator[Callable[[str], None]]:
    """Append lines to ``path`` through a descriptor opened first (os.write: no audit event while isolated)."""
    if not path:
        yield lambda line: None
        return
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)

    def write(line: str) -> None:
        os.write(fd, (line + "\n").encode("utf-8"))
    try:
        yield write
    finally:
        os.close(fd)
