"""The Go helpers behind integer arithmetic and JSON body values in migrated views, against Python itself:
Ints (checked int64 + - *), JSONValue.In (``x in (1, 2, 3, 4, 5)``), JSONValue.PyInt (``int(x)``), PyStr
(``str(x)``) and PyJSON (``json.dumps(x)``) of what json.loads gives for a request body. Python computes every
expected answer here; the generated pyvalues.go must give the same."""

from __future__ import annotations

import json
import re

import pytest

from conftest import go
from tests.test_http import server_tree  # noqa: F401 (the fixture: the sample's Go tree, built once per session)

INT64 = (-2**63, 2**63 - 1)
_EDGE = [0, 1, -1, 2, 7, 2**31, -2**31, 2**32, 3037000499, 3037000500, -3037000500, 2**62, INT64[0], INT64[1],
         INT64[0] + 1, INT64[1] - 1, 4611686018427387904, -4611686018427387904]
ARITH = [(op, a, b) for op in "+-*" for a in _EDGE for b in _EDGE]
JSON_TEXTS = ["1", "5", "6", "0", "-0", "true", "false", "1.0", "1e0", "1E0", "1.00", "5.0000000000000001", "0.5", "2.5",
              "4.999999999999999999", '"1"', '" 3 "', '"3.0"', '"x"', '"٣"', "null", "[1]", "[]", '{"a": 1}', "{}",
              '{"a": 1, "b": 2}', "100000000000000000001", "-9223372036854775808", "9223372036854775808", "1e400",
              "-1e400", "1e16", "1.5e-05", "123456789012345678", '["a\'b", 2.50, true, null, {"k": [1e2]}]', '"é"',
              "9.223372036854775807e18", "-9.2233720368547758e18"]

_GO_TEST = """package main

import (
\t"encoding/json"
\t"testing"
)

var arithCases = []struct {
\top   byte
\ta, b int64
\twant string
}{
%s}

// text -> what Python answers for `x in (1, 2, 3, 4, 5)`, int(x), str(x), json.dumps(x) ("err" where it raises,
// "big" where int() gives an integer beyond int64, "order" where str() of an object depends on key order)
var jsonCases = [][5]string{
%s}

func TestIntsArePythons(t *testing.T) {
\tfor _, c := range arithCases {
\t\tn, err := CheckedInt(func(x *Ints) int64 {
\t\t\treturn map[byte]func(int64, int64) int64{'+': x.Add, '-': x.Sub, '*': x.Mul}[c.op](c.a, c.b)
\t\t})
\t\tgot := "over"
\t\tif err == nil {
\t\t\tgot = json.Number(fmt.Sprint(n)).String()
\t\t}
\t\tif got != c.want {
\t\t\tt.Errorf("%%d %%c %%d: got %%s, Python says %%s", c.a, c.op, c.b, got, c.want)
\t\t}
\t}
}

func TestJSONValuesArePythons(t *testing.T) {
\tfor _, c := range jsonCases {
\t\tloaded, err := PyJSONLoads([]byte(c[0]))
\t\tif err != nil {
\t\t\tt.Fatalf("%%s: %%v", c[0], err)
\t\t}
\t\tv := JSONValue{Value: loaded, Set: true}
\t\tif got := fmt.Sprint(v.In(1, 2, 3, 4, 5)); got != c[1] {
\t\t\tt.Errorf("%%s in (1..5): got %%s, Python says %%s", c[0], got, c[1])
\t\t}
\t\tn, err := v.PyInt()
\t\tgot := fmt.Sprint(n)
\t\tif err != nil {
\t\t\tgot = "err"
\t\t}
\t\tif want := map[string]string{"big": "err"}[c[2]]; got != c[2] && got != want {
\t\t\tt.Errorf("int(%%s): got %%s, Python says %%s", c[0], got, c[2])
\t\t}
\t\ttext, err := PyStr(loaded)
\t\tif err != nil {
\t\t\ttext = "order"
\t\t}
\t\tif text != c[3] {
\t\t\tt.Errorf("str(%%s): got %%q, Python says %%q", c[0], text, c[3])
\t\t}
\t\tout, err := json.Marshal(PyJSON(loaded))
\t\tif err != nil {
\t\t\tout = []byte("err")
\t\t}
\t\tif string(out) != c[4] {
\t\t\tt.Errorf("json.dumps(%%s): got %%s, Python says %%s", c[0], out, c[4])
\t\t}
\t}
}

// text -> what Django compares an AutoField with in an exact lookup, on SQLite then PostgreSQL ("err": the
// ValueError, "none": beyond the column's range, no row); n -> timedelta(minutes=n) in microseconds ("err": Python's
// OverflowError, or beyond what int64 microseconds hold: both a 500)
var lookupCases = [][3]string{
%s}
var minuteCases = [][2]string{
%s}

// an aware datetime in UTC + a timedelta of so many microseconds ("err": Python's OverflowError)
var shiftCases = [][3]string{
%s}

func TestIntLookupsAndTimedeltasArePythons(t *testing.T) {
\tdefer func(d string) { djtypes.Dialect = d }(djtypes.Dialect)
\tfor _, c := range lookupCases {
\t\tfor i, dialect := range []string{"sqlite", "postgresql"} {
\t\t\tdjtypes.Dialect = dialect
\t\t\tn, ok, err := PyIntLookup(c[0], "id", 32)
\t\t\tgot := fmt.Sprint(n)
\t\t\tif err != nil {
\t\t\t\tgot = "err"
\t\t\t} else if !ok {
\t\t\t\tgot = "none"
\t\t\t}
\t\t\tif got != c[i+1] {
\t\t\t\tt.Errorf("%%s: %%q on %%s, Django says %%q", c[0], got, dialect, c[i+1])
\t\t\t}
\t\t}
\t}
\tfor _, c := range shiftCases {
\t\tat, _ := time.Parse(time.RFC3339Nano, c[0])
\t\tvar micros int64
\t\tfmt.Sscan(c[1], &micros)
\t\tu, err := PyShift(djtypes.DateTime{Time: at}, djtypes.Duration(micros))
\t\tgot := u.Time.Format(time.RFC3339Nano)
\t\tif err != nil {
\t\t\tgot = "err"
\t\t}
\t\tif got != c[2] {
\t\t\tt.Errorf("%%s + %%s microseconds: %%s, Python says %%s", c[0], c[1], got, c[2])
\t\t}
\t}
\tfor _, c := range minuteCases {
\t\tvar n int64
\t\tfmt.Sscan(c[0], &n)
\t\td, err := PyTimedelta(n, 60000000, "minutes")
\t\tgot := fmt.Sprint(int64(d))
\t\tif err != nil {
\t\t\tgot = "err"
\t\t}
\t\tif got != c[1] {
\t\t\tt.Errorf("timedelta(minutes=%%s): %%s, Python says %%s", c[0], got, c[1])
\t\t}
\t}
}
"""

LOOKUP_TEXTS = ["12", " 12 ", "+7", "-3", "1_2", "1__2", "٣", "0", "", "abc", "1.5", "2147483647", "2147483648",
                "-2147483648", "-2147483649", "9223372036854775807", "9223372036854775808", "-9223372036854775809"]
MINUTES = [0, 1, -90, 1440, 153722867280, 153722867281, -153722867280, -153722867281, 1439999998560,
           1440000000000, 2**62]


def _lookup(text: str) -> list[str]:
    """Django's IntegerField.get_prep_value (int()) then lookups.IntegerFieldOverflow with each dialect's range."""
    from django.db import models  # noqa: F401 (imports operations without its circular import)
    from django.db.backends.base.operations import BaseDatabaseOperations

    try:
        n = int(text)
    except ValueError:
        return [text, "err", "err"]
    ranges = [(-2**63, 2**63 - 1), BaseDatabaseOperations.integer_field_ranges["AutoField"]]
    return [text, *(str(n) if lo <= n <= hi else "none" for lo, hi in ranges)]


def _minutes(n: int) -> list[str]:
    import datetime

    try:
        micros = datetime.timedelta(minutes=n) // datetime.timedelta(microseconds=1)
    except OverflowError:
        return [str(n), "err"]
    return [str(n), str(micros) if INT64[0] <= micros <= INT64[1] else "err"]


SHIFTS = [("2026-03-02T10:30:00Z", m * 60_000000) for m in (0, 90, -90, 1440 * 366, -1440 * 365 * 2027)] + [
    ("2026-03-02T10:30:00.25Z", 1), ("9999-12-31T23:00:00Z", 3599_999999), ("9999-12-31T23:00:00Z", 3600_000000),
    ("0001-01-01T01:00:00Z", -3600_000000), ("0001-01-01T01:00:00Z", -3600_000001), ("2026-03-02T10:30:00Z", 2**63 - 1),
    ("2026-03-02T10:30:00Z", -2**63 + 1), ("2024-02-28T23:59:59.999999Z", 1), ("2026-03-02T10:30:00Z", 86400_000000 * 3000000)]


def _shift(at: str, micros: int) -> list[str]:
    import datetime

    base = datetime.datetime.fromisoformat(at.replace("Z", "+00:00"))
    try:
        got = (base + datetime.timedelta(microseconds=micros)).isoformat().replace("+00:00", "Z")
    except OverflowError:
        return [at, str(micros), "err"]
    return [at, str(micros), got]


def _python(text: str) -> list[str]:
    value = json.loads(text)
    try:
        number = int(value)
        as_int = str(number) if INT64[0] <= number <= INT64[1] else "big"
    except (TypeError, ValueError, OverflowError):
        as_int = "err"
    as_str = "order" if isinstance(value, dict) and len(value) > 1 else str(value)
    try:
        dumped = json.dumps(value, separators=(",", ":"), allow_nan=False, ensure_ascii=False)
    except ValueError:  # inf: Python writes Infinity, which is not JSON; Go refuses to write it (a 500)
        dumped = "err"
    return [text, str(value in (1, 2, 3, 4, 5)).lower(), as_int, as_str, dumped]


def test_go_helpers_are_pythons(server_tree):  # noqa: F811
    framework, out, _ = server_tree
    if framework != "nethttp":
        pytest.skip("pyvalues.go is the same bytes on every framework (tests/test_gin.py compares them)")
    arith = "".join(
        f"\t{{'{op}', {a}, {b}, {json.dumps(str(r) if INT64[0] <= (r := eval(f'{a} {op} {b}')) <= INT64[1] else 'over')}}},\n"
        for op, a, b in ARITH).replace(str(INT64[0]) + ",", "-9223372036854775807 - 1,")
    cases = "".join("\t{" + ", ".join(json.dumps(x) for x in _python(t)) + "},\n" for t in JSON_TEXTS)
    test = out / "http" / "pyjson_test.go"
    lookups = "".join("\t{" + ", ".join(json.dumps(x) for x in _lookup(t)) + "},\n" for t in LOOKUP_TEXTS)
    minutes = "".join("\t{" + ", ".join(json.dumps(x) for x in _minutes(n)) + "},\n" for n in MINUTES)
    shifts = "".join("\t{" + ", ".join(json.dumps(x) for x in _shift(*c)) + "},\n" for c in SHIFTS)
    module = re.search(r"^module (\S+)", (out / "go.mod").read_text(), re.M).group(1)
    test.write_text((_GO_TEST % (arith, cases, lookups, minutes, shifts)).replace(
        '"encoding/json"\n', f'"encoding/json"\n\t"fmt"\n\t"time"\n\n\t"{module}/djtypes"\n'))
    try:
        go("test", "-run", "TestIntsArePythons|TestJSONValuesArePythons|TestIntLookupsAndTimedeltasArePythons",
           "./http", cwd=out)
    finally:
        test.unlink()
