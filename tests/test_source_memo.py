"""load.source_memo: inspect.getsourcelines kept per object in the Django process; a different object, or the same
function given another code object, is read again; a failure is not kept; callers cannot change what is kept."""

from __future__ import annotations

import importlib.util
import inspect
import sys

import pytest

from migrator.load import source_memo


def _module(tmp_path, name: str, text: str, monkeypatch):
    path = tmp_path / f"{name}.py"
    path.write_text(text)
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, name, module)  # inspect finds a class's file through its module
    spec.loader.exec_module(module)
    return module


def test_each_object_and_code_object_is_read_from_its_own_source(tmp_path, monkeypatch):
    m = _module(tmp_path, "memo_a", "def f():\n    return 1\n\n\ndef g():\n    return 2\n\n\nclass K:\n    x = 1\n",
                monkeypatch)
    assert source_memo.getsourcelines(m.f) == inspect.getsourcelines(m.f) == (["def f():\n", "    return 1\n"], 1)
    assert source_memo.getsourcelines(m.g) == (["def g():\n", "    return 2\n"], 5)  # another object: a miss
    assert source_memo.getsourcelines(m.K) == inspect.getsourcelines(m.K)
    m.f.__code__ = m.g.__code__  # the same function object, another code: read again
    assert source_memo.getsourcelines(m.f) == (["def g():\n", "    return 2\n"], 5)
    lines, _ = source_memo.getsourcelines(m.g)
    lines.append("changed by a caller\n")
    assert source_memo.getsourcelines(m.g) == (["def g():\n", "    return 2\n"], 5)


def test_a_failure_is_not_kept(tmp_path, monkeypatch):
    m = _module(tmp_path, "memo_b", "def f():\n    return 1\n", monkeypatch)
    (tmp_path / "memo_b.py").unlink()
    import linecache

    linecache.clearcache()
    with pytest.raises(OSError):
        source_memo.getsourcelines(m.f)
    (tmp_path / "memo_b.py").write_text("def f():\n    return 3\n")
    assert source_memo.getsourcelines(m.f) == (["def f():\n", "    return 3\n"], 1)


def test_install_replaces_inspect_in_this_process_only(monkeypatch):
    monkeypatch.setattr(inspect, "getsourcelines", inspect.getsourcelines)  # undone after the test
    source_memo.install()
    assert inspect.getsourcelines is source_memo.getsourcelines
    assert inspect.getsource(_module) == "".join(source_memo.getsourcelines(_module)[0])
