"""The Django side of the loader, run in its own process: ``python -m migrator.load.worker``.

Django keeps one settings module and one app registry per process, and a user's project may
raise, print or call sys.exit while it imports. So the loader boots Django here, in a child
process, and hands back plain JSON: a ``WorkerResult`` written to the file named by ``--out``.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import traceback
from typing import Callable, Optional

from ..dialects import DEFAULT
from ..ir import Diagnostic, to_dict

RECORDING = "compile-cache-recording"  # exists in the worker's folder while the compile cache records (Worker.close)


def locate_exception(root: str, exc: BaseException) -> tuple[str, int]:
    """The innermost traceback frame inside the project: where the user's mistake is."""
    where = ("", 0)
    tb = exc.__traceback__
    for frame, lineno in traceback.walk_tb(tb):
        if frame.f_code.co_filename.startswith("<"):  # <frozen importlib._bootstrap>: not a file
            continue
        path = os.path.abspath(frame.f_code.co_filename)
        if not os.path.relpath(path, root).startswith("..") and "/site-packages/" not in path:
            where = (os.path.relpath(path, root), lineno)
    if isinstance(exc, SyntaxError) and exc.filename:
        path = os.path.abspath(exc.filename)
        if not os.path.relpath(path, root).startswith(".."):
            where = (os.path.relpath(path, root), exc.lineno or 0)
    return where


def _owning_app(root: str, file: str, installed: list[str]) -> Optional[str]:
    """The INSTALLED_APPS entry whose package holds ``file`` (relative to root)."""
    mod = file[:-3].replace("/", ".") if file.endswith(".py") else ""
    best = None
    for entry in installed:
        parts = entry.split(".")
        pkg = entry
        if parts[-1][:1].isupper():  # "shop.apps.ShopConfig" -> "shop"
            pkg = ".".join(parts[:-2] if len(parts) > 2 and parts[-2] == "apps" else parts[:-1])
        if mod == pkg or mod.startswith(pkg + "."):
            if best is None or len(pkg) > len(best[1]):
                best = (entry, pkg)
    return best[0] if best else None


def _failing_app(exc: BaseException, installed: list[str]) -> Optional[str]:
    """The INSTALLED_APPS entry whose code raised ``exc`` (innermost frame first), or that is the missing
    module itself: for an app outside the project, whose frames carry no project file."""
    modules = [frame.f_globals.get("__name__", "") for frame, _ in traceback.walk_tb(exc.__traceback__)]
    if isinstance(exc, ModuleNotFoundError) and exc.name:
        modules.append(exc.name)
    for mod in reversed(modules):
        app = _owning_app("", mod.replace(".", "/") + ".py", installed) if mod and not mod.startswith(
            ("django.", "importlib", "migrator.")) else None
        if app:
            return app
    return None


def _diag(root: str, code: str, exc: BaseException, hint: str = "", what: str = "") -> Diagnostic:
    file, line = locate_exception(root, exc)
    msg = f"{what}{type(exc).__name__}: {exc}".strip()
    return Diagnostic(code=code, message=msg, file=file, line=line, hint=hint)


def _setup(root: str, settings_module: str, exclude: list[str], result: dict) -> bool:
    """Django's settings and setup(); False (the result marked fatal, with its diagnostic) when either raised."""
    import django
    from django.conf import settings

    result["django_version"] = django.get_version()
    try:
        installed = list(settings.INSTALLED_APPS)
    except Exception as exc:  # noqa: BLE001 - the user's settings module raised
        hint = f"check that '{settings_module}' imports: python -c 'import {settings_module}'"
        result["diagnostics"].append(to_dict(_diag(
            root, "SETTINGS_IMPORT", exc, hint, f"settings module '{settings_module}' failed to import: ")))
        result["fatal"] = True
        return False
    if exclude:
        settings.INSTALLED_APPS = [a for a in installed if a not in exclude]
    try:
        django.setup()
    except Exception as exc:  # noqa: BLE001 - an app's models raised while importing
        hint = "fix the error; the other apps are analysed without this one"
        if isinstance(exc, ModuleNotFoundError):
            hint = (f"if '{exc.name}' lives outside the project directory, name its tree with --source "
                    "(a directory such as ../src, or an installed package), or in migrator.yaml `sources:`")
        d = _diag(root, "APP_IMPORT", exc, hint)
        app = (_owning_app(root, d.file, list(settings.INSTALLED_APPS)) if d.file else None) or _failing_app(
            exc, list(settings.INSTALLED_APPS))
        if app:
            d = Diagnostic(code=d.code, message=f"app '{app}' failed to load: {d.message}", file=d.file,
                           line=d.line, hint=d.hint)
        result["diagnostics"].append(to_dict(d))
        result["failed_app"] = app
        result["fatal"] = True
        return False
    return True


def _read(root: str, result: dict, with_schema: bool, compile_file: Optional[str], with_routes: bool) -> None:
    """After setup: the registry, then (as asked) the schema, the compiled sites and the routes, into result."""
    from django.db import connections

    from .registry import read_registry

    apps, models, read_diags = read_registry(root)
    result["diagnostics"] += [to_dict(d) for d in read_diags]
    result["apps"] = [to_dict(a, compact=True) for a in apps]
    result["models"] = [to_dict(m, compact=True) for m in models]
    result["databases"] = {alias: connections[alias].vendor for alias in connections}
    from .compile_cache import boot_snapshot

    boot_snapshot(root)  # what Django's setup loaded: the compile cache's environment (before the URLconf)
    if with_schema:
        from .schema import collect_schema

        try:
            result["schema"] = collect_schema()
        except Exception as exc:  # noqa: BLE001 - a field whose DDL needs a live database
            result["diagnostics"].append(to_dict(_diag(
                root, "SCHEMA_FAILED", exc, "schema.sql is not generated; the rest is",
                "Django's schema editor failed: ")))
    if compile_file:
        from .compile import compile_sites

        with open(compile_file, encoding="utf-8") as fh:
            sites = json.load(fh)
        result["compiled"] = compile_sites(sites, DEFAULT, root)
    if with_routes:
        from .urls import collect_routes

        try:
            result["routes"], route_diags = collect_routes(root)
            result["diagnostics"] += route_diags
        except Exception as exc:  # noqa: BLE001 - the project's URLconf raised while importing
            result["routes"] = []
            result["diagnostics"].append(to_dict(_diag(
                root, "URLCONF_IMPORT", exc, "the http target has no routes until the URLconf imports",
                "the URLconf failed to import: ")))


def run(root: str, settings_module: str, exclude: list[str], with_schema: bool,
        compile_file: Optional[str] = None, with_routes: bool = False) -> dict:
    root = os.path.abspath(root)
    os.chdir(root)
    sys.path.insert(0, root)
    from .sources import ENV, decode

    for _path, base in decode(os.environ.get(ENV, "")):  # --source trees: importable like the project
        if base not in sys.path:
            sys.path.append(base)
    os.environ["DJANGO_SETTINGS_MODULE"] = settings_module
    result: dict = {"diagnostics": [], "failed_app": None, "fatal": False}
    try:
        if _setup(root, settings_module, exclude, result):
            _read(root, result, with_schema, compile_file, with_routes)
    except SystemExit as exc:
        result["diagnostics"].append(to_dict(Diagnostic(
            code="PROJECT_EXIT", message=f"the project called sys.exit({exc.code}) while loading")))
        result["fatal"] = True
    return result


def _write(path: str, result: dict) -> None:
    with open(path, "w", encoding="utf-8") as fh:
        # dumps, not dump: json.dump streams through the pure-Python encoder, 5x slower on a large registry
        fh.write(json.dumps(result, separators=(",", ":")))


def serve(reply_fd: int) -> None:
    """After the first result, answer requests on stdin, one JSON object per line, until EOF:
    ``{"compile": SITES_JSON, "out": RESULT_JSON, "progress": DIR}`` (see compile.compile_sites), or
    ``{"drf": true, "out": RESULT_JSON}`` (drf_views.collect). Each finished request writes a line to ``reply_fd``:
    the parent reads the result file then (stdout belongs to the user's project, which may print)."""
    reply = os.fdopen(reply_fd, "w", buffering=1)
    reply.write("ready\n")
    for line in sys.stdin:
        request = json.loads(line)
        result: dict = {"diagnostics": []}
        after: Callable[[], None] = lambda: None
        try:
            if "compile" in request:
                from .compile import compile_sites
                from .compile_cache import cached

                with open(request["compile"], encoding="utf-8") as fh:
                    sites = json.load(fh)
                result["compiled"], after = cached(
                    compile_sites, sites, tuple(request.get("dialects") or DEFAULT), os.getcwd(),
                    request.get("progress"), os.environ["DJANGO_SETTINGS_MODULE"],
                    os.path.join(os.path.dirname(request["out"]), RECORDING))
            if request.get("drf"):  # the DRF loader's JSON (drf_views), without a Django boot of its own
                from .drf_views import collect

                result["drf"] = json.loads(json.dumps(collect(os.getcwd()), sort_keys=True))
        except Exception as exc:  # noqa: BLE001 - a bug of ours: say so, keep serving
            result["diagnostics"].append(to_dict(Diagnostic(
                code="WORKER_FAILED", message=f"{type(exc).__name__}: {exc}")))
        _write(request["out"], result)
        reply.write("done\n")
        after()  # the compile cache's recording, in a forked process (load.compile_cache)


def main(argv: Optional[list[str]] = None) -> int:
    p = argparse.ArgumentParser()
    p.add_argument("root")
    p.add_argument("--settings", required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--exclude-app", action="append", default=[])
    p.add_argument("--schema", action="store_true")
    p.add_argument("--compile", default=None, help="JSON file of QuerySet sites to compile to SQL")
    p.add_argument("--routes", action="store_true", help="read the URLconf (load.urls)")
    p.add_argument("--serve", type=int, default=None, metavar="FD",
                   help="then answer requests on stdin; a line on FD says each result is written")
    a = p.parse_args(argv)
    from .source_memo import install

    install()  # inspect's answers kept per object: the URLconf's and DRF's views ask for the same ones many times
    result = run(a.root, a.settings, a.exclude_app, a.schema, a.compile, a.routes)
    _write(a.out, result)
    if a.serve is not None and not result.get("fatal"):
        serve(a.serve)
    return 0


if __name__ == "__main__":
    import gc

    # A short-lived process that builds Django's app registry and the IR and frees little of it: the
    # cyclic GC would only scan them again and again (~25% of django.setup() + read_registry at 1000 models).
    gc.disable()
    sys.exit(main())
