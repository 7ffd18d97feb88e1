"""load/bindings.py reads a function's nodes once per process: parity's Django side asks the same function about
the same names for every read case of the sample (~1,200 per run), and walking it again each time was most of
a `querysets` run (docs/performance.md, "Parity run time")."""

from __future__ import annotations

import ast

from migrator.load import bindings

SOURCE = "def f(a):\n    q = Q(x=1)\n    def g():\n        q = 2\n    return M.objects.filter(q | a)\n"


def test_a_function_is_walked_once_whatever_is_asked_of_it(monkeypatch):
    fn = ast.parse(SOURCE).body[0]
    walked = []
    real = ast.iter_child_nodes
    monkeypatch.setattr(ast, "iter_child_nodes", lambda node: walked.append(node) or real(node))
    first = bindings._binds(fn, "q")
    once = len(walked)
    assert [type(n).__name__ for n in first] == ["Name"] and first[0].lineno == 2  # not g's own q
    assert bindings._binds(fn, "q") == first and len(walked) == once  # asked again: not walked again
    assert [type(n).__name__ for n in bindings._binds(fn, "a")] == ["FunctionDef"]  # a parameter
    assert len(walked) == once  # another name: the nodes already read
    assert bindings._binds(fn, "x") == ()


def test_a_module_binding_is_read_once_per_name(monkeypatch):
    tree = ast.parse("OPEN = Q(status='open')\nCLOSED = Q(status='closed')\nCLOSED = None\n")
    walks = []
    real = ast.walk
    monkeypatch.setattr(ast, "walk", lambda node: walks.append(node) or real(node))
    assert isinstance(bindings._module_binding(tree, "OPEN"), ast.Call)
    n = len(walks)
    assert isinstance(bindings._module_binding(tree, "OPEN"), ast.Call) and len(walks) == n
    assert bindings._module_binding(tree, "CLOSED") is None  # bound twice: no single expression
