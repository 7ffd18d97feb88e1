"""The tool check's answers kept between runs (migrator.toolmemo): a hit asks nothing; every input of the key that
changes (a binary's path, size, mtime, inode, the arguments; a package's .dist-info path and mtime, its origin, the
Python executable) is a miss. No process is started: ``ask`` counts the questions."""

from __future__ import annotations

import os
import shutil
import sys

import pytest

from migrator import toolmemo


@pytest.fixture(autouse=True)
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv("MIGRATOR_CACHE_DIR", str(tmp_path / "cache"))
    return tmp_path / "cache" / "tools"


class Asker:
    def __init__(self, answer: str = "sqlc v1.31.1") -> None:
        self.answer, self.asked = answer, 0

    def __call__(self) -> str:
        self.asked += 1
        return self.answer


def ask_binary(binary, asker, *args: str) -> str:
    return toolmemo.remembered(toolmemo.binary_key(str(binary), *args), asker)


@pytest.fixture
def binary(tmp_path):
    path = tmp_path / "bin" / "sqlc"
    path.parent.mkdir()
    path.write_bytes(b"#!/bin/sh\necho v1\n")
    path.chmod(0o755)
    os.utime(path, ns=(1_000_000_000, 1_000_000_000))
    return path


def test_a_second_run_asks_nothing_when_nothing_changed(binary, cache):
    asker = Asker()
    assert ask_binary(binary, asker, "version") == "sqlc v1.31.1"
    assert ask_binary(binary, Asker("other"), "version") == "sqlc v1.31.1"  # kept: not asked again
    assert asker.asked == 1 and len(list(cache.iterdir())) == 1


def test_a_touched_binary_is_asked_again(binary):
    ask_binary(binary, Asker(), "version")
    os.utime(binary, ns=(2_000_000_000, 2_000_000_000))
    assert ask_binary(binary, Asker("new"), "version") == "new"


def test_a_binary_of_another_size_is_asked_again(binary):
    ask_binary(binary, Asker(), "version")
    binary.write_bytes(b"#!/bin/sh\necho v2 longer\n")
    os.utime(binary, ns=(1_000_000_000, 1_000_000_000))  # same mtime: the size alone tells
    assert ask_binary(binary, Asker("new"), "version") == "new"


def test_a_swapped_binary_is_asked_again_even_with_the_same_size_and_mtime(binary, tmp_path):
    ask_binary(binary, Asker(), "version")
    swap = tmp_path / "bin" / "sqlc.new"
    swap.write_bytes(b"#!/bin/sh\necho v9\n")  # same size as the old one
    os.utime(swap, ns=(1_000_000_000, 1_000_000_000))
    os.replace(swap, binary)  # a new inode at the same path
    assert ask_binary(binary, Asker("new"), "version") == "new"


def test_another_path_and_the_path_a_link_resolves_to(binary, tmp_path):
    ask_binary(binary, Asker(), "version")
    copy = tmp_path / "bin" / "sqlc2"
    shutil.copy2(binary, copy)
    assert ask_binary(copy, Asker("copy"), "version") == "copy"
    link = tmp_path / "bin" / "link"
    link.symlink_to(binary)  # the same file: its resolved path is the key
    assert ask_binary(link, Asker("never asked"), "version") == "sqlc v1.31.1"


def test_other_arguments_are_another_question(binary):
    ask_binary(binary, Asker(), "version")
    assert ask_binary(binary, Asker("go1.26"), "env", "GOVERSION") == "go1.26"


def test_an_empty_answer_a_missing_binary_or_caching_off_keep_nothing(binary, tmp_path, cache, monkeypatch):
    failed = Asker("")
    ask_binary(binary, failed, "version")
    assert ask_binary(binary, Asker("later"), "version") == "later"  # the failure was not kept
    assert toolmemo.binary_key(str(tmp_path / "absent")) is None
    monkeypatch.setenv("MIGRATOR_CACHE_DIR", "off")
    asker = Asker()
    ask_binary(binary, asker, "x")
    ask_binary(binary, asker, "x")
    assert asker.asked == 2


def test_an_unreadable_entry_is_a_miss(binary, cache):
    ask_binary(binary, Asker(), "version")
    (entry,) = cache.iterdir()
    entry.write_text("{not json")
    assert ask_binary(binary, Asker("again"), "version") == "again"


@pytest.fixture
def site(tmp_path):
    site = tmp_path / "site-packages"
    (site / "psycopg").mkdir(parents=True)
    (site / "psycopg" / "__init__.py").write_text("")
    (site / "psycopg_binary-3.3.9.dist-info").mkdir()  # a neighbour with a longer name: not psycopg's
    (site / "psycopg-3.3.9.dist-info").mkdir()
    return site


def ask_package(site, asker, name="psycopg") -> str:
    return toolmemo.remembered(toolmemo.package_key(name, str(site / name / "__init__.py")), asker)


def test_a_package_is_keyed_by_its_own_dist_info(site):
    key = toolmemo.package_key("psycopg", str(site / "psycopg" / "__init__.py"))
    assert key[3] == str(site / "psycopg-3.3.9.dist-info") and key[1] == sys.executable
    assert ask_package(site, Asker("3.3.9")) == "3.3.9"
    assert ask_package(site, Asker("never asked")) == "3.3.9"


def test_an_upgraded_package_is_asked_again(site):
    ask_package(site, Asker("3.3.9"))
    (site / "psycopg-3.3.9.dist-info").rename(site / "psycopg-3.4.0.dist-info")
    assert ask_package(site, Asker("3.4.0")) == "3.4.0"


def test_a_reinstalled_package_is_asked_again(site):
    ask_package(site, Asker("3.3.9"))
    os.utime(site / "psycopg-3.3.9.dist-info", ns=(3_000_000_000, 3_000_000_000))
    assert ask_package(site, Asker("reinstalled")) == "reinstalled"


def test_another_python_or_origin_is_asked_again(site, tmp_path, monkeypatch):
    ask_package(site, Asker("3.3.9"))
    other = tmp_path / "other"
    shutil.copytree(site, other)
    for entry in (site / "psycopg-3.3.9.dist-info", other / "psycopg-3.3.9.dist-info"):
        os.utime(entry, ns=(4_000_000_000, 4_000_000_000))
    ask_package(site, Asker("3.3.9"))
    assert ask_package(other, Asker("from elsewhere")) == "from elsewhere"
    monkeypatch.setattr(sys, "executable", "/another/python3")
    assert ask_package(site, Asker("another python")) == "another python"


def test_a_package_without_dist_info_beside_it_is_always_asked(tmp_path):
    (tmp_path / "lone").mkdir()
    assert toolmemo.package_key("lone", str(tmp_path / "lone" / "__init__.py")) is None
    asker = Asker("1.0")
    ask_package(tmp_path, asker, "lone")
    ask_package(tmp_path, asker, "lone")
    assert asker.asked == 2


def test_the_tool_check_asks_sqlc_once_across_runs(binary, monkeypatch):
    """toolchain.probe (the `sqlc version` of the tool check) goes through the kept answers: a new process (the
    per-process memo cleared) asks nothing; a touched binary is asked again."""
    from migrator import toolchain

    runs = []
    monkeypatch.setattr(toolchain, "_run", lambda *argv: runs.append(argv) or "sqlc v1.31.1")
    for _ in range(2):
        toolchain._probe.cache_clear()
        assert toolchain.probe(str(binary), "version") == "sqlc v1.31.1"
    assert len(runs) == 1
    os.utime(binary, ns=(5_000_000_000, 5_000_000_000))
    toolchain._probe.cache_clear()
    toolchain.probe(str(binary), "version")
    assert len(runs) == 2
