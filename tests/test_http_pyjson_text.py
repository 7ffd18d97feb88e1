"""pyvalues.go PyJSONLoadsText against CPython's json.loads of a str (dal's ``forward``, translate.handlers_jsontext):
for each text, Python's own answer (a dict, another value, ValueError) must be the Go's (PyIsDict, another value,
a *PyValueError); nesting past PyJSONDepth is a *PyRecursionError, where CPython's scanner raises RecursionError."""

from __future__ import annotations

import json

import pytest

from conftest import go
from tests.test_http import server_tree  # noqa: F401 (the fixture: the sample's Go tree, built once per session)

TEXTS = ["{}", " {} ", "\t{}\n\r", '{"a": 1}', '{"a": NaN}', '{"a": -Infinity, "b": Infinity}', "NaN", "[1]", "[]", "null",
         "true", "1", "-0", "1.5e+3", "1.", "1e", "01", "-", "-I", "", " ", "{", "}", '{"a": 1,}', "[1,]", "[1 2]",
         '{"a" 1}', "{'a': 1}", '{"a": 1}x', '{"a": 1} {}', "\ufeff{}", '{"\\ud800": 1}', '{"\\ud83d\\ude00": 2}',
         '{"\\u00e9": "\\/\\b\\f\\n\\r\\t"}', '{"a": "\\x"}', '{"a": "\\u12"}', '{"a": "\\u12G4"}', '{"a": "\x01"}',
         '{"a": "unterminated}', '{"é": "ü"}', "1" * 4300, "1" * 4301, "-" + "1" * 4301, "1" * 4301 + ".0",
         "1" * 4301 + "e1", '{"a": ' + "1" * 4301 + "}", "[" * 50 + "]" * 50, "[" * 900 + "]" * 900 + "x",
         '{"a": [{"b": [true, false, null]}]}', "tru", "nul", "Infinityx", "[-Infinity]", "1e999", "[1.0e-400]"]

_GO_TEST = """package main

import (
\t"errors"
\t"strings"
\t"testing"
)

// text -> what CPython's json.loads answers: "dict", "other" (another value), "value" (ValueError)
var textCases = [][2]string{
%s}

func TestJSONTextIsPythons(t *testing.T) {
\tfor _, c := range textCases {
\t\tv, err := PyJSONLoadsText(c[0])
\t\tgot := map[bool]string{true: "dict", false: "other"}[PyIsDict(v)]
\t\tif err != nil {
\t\t\tgot = map[bool]string{true: "value", false: err.Error()}[IsPyValueError(err)]
\t\t}
\t\tif got != c[1] {
\t\t\tt.Errorf("json.loads(%%.60q): got %%s, Python says %%s", c[0], got, c[1])
\t\t}
\t}
\tvar rec *PyRecursionError
\tfor depth, want := range map[int]bool{PyJSONDepth: false, PyJSONDepth + 1: true, 5000: true} {
\t\tdeep := strings.Repeat("[", depth) + strings.Repeat("]", depth)
\t\tif _, err := PyJSONLoadsText(deep); errors.As(err, &rec) != want {
\t\t\tt.Errorf("nesting %%d: %%v", depth, err)
\t\t}
\t}
}
"""


def _python(text: str) -> str:
    try:
        return "dict" if isinstance(json.loads(text), dict) else "other"
    except ValueError:
        return "value"


def test_python_sees_each_text_as_listed():
    """The table's answers come from Python (not a copy of the Go's), and 5000 levels is Python's RecursionError."""
    assert [_python(t) for t in ("{}", "[1]", "\ufeff{}", "1" * 4301, '{"a": NaN}')] == [
        "dict", "other", "value", "value", "dict"]
    with pytest.raises(RecursionError):
        json.loads("[" * 5000 + "]" * 5000)


@pytest.mark.slow
def test_json_loads_of_a_text_is_pythons(server_tree):  # noqa: F811
    framework, out, _ = server_tree
    if framework != "nethttp":
        pytest.skip("pyvalues.go is the same bytes on every framework (tests/test_gin.py compares them)")
    cases = "".join(f"\t{{{json.dumps(t)}, {json.dumps(_python(t))}}},\n" for t in TEXTS)
    test = out / "http" / "pyjsontext_test.go"
    test.write_text(_GO_TEST % cases)
    try:
        go("test", "-run", "TestJSONTextIsPythons", "./http", cwd=out)
    finally:
        test.unlink()
