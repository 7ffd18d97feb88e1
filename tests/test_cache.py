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
