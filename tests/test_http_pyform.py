"""pyform.go against the Python it ports, input by input (slow: one small Go program, stdlib only):

- ``Req.Form()`` against Django's ``request.POST`` of a WSGIRequest with the same method, Content-Type and body;
- ``PyDateutilParse`` against ``dateutil.parser.parse`` followed by what a DateTimeField stores with USE_TZ in
  UTC (a naive value made aware in UTC).

Where the Go side says "not covered" (the handler answers 501), the test pins which inputs those are: a change
that stops covering an input, or covers one wrongly, fails here."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import go

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
FORM = "application/x-www-form-urlencoded"

# (method, Content-Type, body)
FORMS = [
    ("POST", FORM, b"a=1&b=2&a=3"),
    ("POST", FORM, b"q=a+b%20c&empty=&bare&&=v&k=%zz%4&pct=100%25"),
    ("POST", FORM, b"e=%C3%A9t%C3%A9&sym=%E2%82%AC"),
    ("POST", FORM, b"latin=\xe9t\xe9&x=1"),  # not UTF-8: QueryDict decodes the body as ISO-8859-1
    ("POST", "APPLICATION/X-WWW-FORM-URLENCODED; charset=UTF-8", b"a=1"),
    ("POST", FORM + "; charset=utf8", b"a=1"),  # Django: 400 (only "utf-8" is accepted)
    ("POST", FORM + "; charset=latin-1", b"a=1"),
    ("POST", FORM, b"a=b;c=d"),  # no ";" separator in Python 3.10+
    ("POST", FORM, b"bad=%C3%28"),  # an escape that is not UTF-8: Python's U+FFFD, not covered
    ("POST", "text/plain", b"a=1"),
    ("POST", "application/json", b'{"a": 1}'),
    ("POST", "", b"a=1"),
    ("PUT", FORM, b"a=1"),
    ("POST", "multipart/form-data; boundary=x", b"--x\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n--x--\r\n"),
    ("POST", FORM, b"&".join(b"k%d=1" % i for i in range(1001))),  # TooManyFieldsSent
]
NOT_COVERED_FORMS = {5, 6, 8, 13, 14}

DATES = ["2026-03-02", "2026-03-02T10:30", "2026-03-02 10:30:05", "2026-03-02T10:30:05.5", "2026-03-02T10:30:05.1234567",
         "2026-03-02T10:30:05.123456Z", "2026-03-02T10:30:05+02:00", "2026-03-02T00:30-05:30", "2026-03-02T10:30+23:59",
         "2024-02-29", "2026-02-29", "2026-02-30T10:00", "2026-13-01", "2026-00-10", "2026-03-00", "2026-03-02T24:00",
         "2026-03-02T10:60", "2026-03-02T10:30:60", "1000-01-01", "0999-01-01", "9999-12-31T23:59:59", "",
         "2026-03-02T10:30+24:00", "not a date", "March 2 2026", "2026/03/02", " 2026-03-02", "2026-03-02t10:30",
         "2026-03-02T10", "20260302"]
NOT_COVERED_DATES = {"2026-03-02T10:30:05.1234567", "0999-01-01", "2026-03-02T10:30+24:00", "not a date", "March 2 2026",
                     "2026/03/02", " 2026-03-02", "2026-03-02t10:30", "2026-03-02T10", "20260302"}

HARNESS = '''package main

import (
	"encoding/json"
	"os"
	"time"
)

type Req struct {
	Method string
	Body   []byte
	Header func(string) []string
}

type PyValueError struct{ Msg string }

func (e *PyValueError) Error() string { return e.Msg }

func main() {
	var in struct {
		Forms [][3]string
		Dates []string
	}
	json.NewDecoder(os.Stdin).Decode(&in)
	var out struct {
		Forms []any
		Dates []any
	}
	for _, f := range in.Forms {
		ct := f[1]
		r := Req{Method: f[0], Body: []byte(f[2]), Header: func(string) []string { return []string{ct} }}
		form, covered := r.Form()
		if !covered {
			out.Forms = append(out.Forms, "not covered")
			continue
		}
		out.Forms = append(out.Forms, form)
	}
	for _, s := range in.Dates {
		t, err := PyDateutilParse(s)
		switch {
		case err == ErrNotCovered:
			out.Dates = append(out.Dates, "not covered")
		case err != nil:
			out.Dates = append(out.Dates, "error")
		default:
			out.Dates = append(out.Dates, t.Time.UTC().Format(time.RFC3339Nano))
		}
	}
	json.NewEncoder(os.Stdout).Encode(out)
}
'''

PYTHON = '''
import datetime, io, json, sys
import django
from django.conf import settings
settings.configure(USE_TZ=True, TIME_ZONE="UTC", DEFAULT_CHARSET="utf-8")
django.setup()
import dateutil.parser
from django.core.handlers.wsgi import WSGIRequest
inp = json.load(sys.stdin)
forms, dates = [], []
for method, ct, body in inp["Forms"]:
    body = body.encode("latin-1")
    env = {"REQUEST_METHOD": method, "CONTENT_TYPE": ct, "CONTENT_LENGTH": str(len(body)), "wsgi.input": io.BytesIO(body),
           "PATH_INFO": "/", "SERVER_NAME": "localhost", "SERVER_PORT": "80", "wsgi.url_scheme": "http"}
    try:
        forms.append({k: v for k, v in WSGIRequest(env).POST.lists()})
    except Exception as exc:
        forms.append(type(exc).__name__)
for s in inp["Dates"]:
    try:
        t = dateutil.parser.parse(s)
        t = t.replace(tzinfo=datetime.timezone.utc) if t.tzinfo is None else t.astimezone(datetime.timezone.utc)
    except (ValueError, OverflowError):
        dates.append("error")
        continue
    dates.append(t.strftime("%Y-%m-%dT%H:%M:%S") + (f".{t.microsecond:06d}".rstrip("0") if t.microsecond else "") + "Z")
json.dump({"Forms": forms, "Dates": dates}, sys.stdout)
'''


def test_pyform_go_answers_as_django_and_dateutil(tmp_path):
    from migrator.emit.gofile import go_file
    from migrator.templating import render

    if shutil.which("go") is None:
        pytest.skip("no Go toolchain")
    shutil.copytree(ROOT / "templates/common/djtypes", tmp_path / "djtypes", ignore=shutil.ignore_patterns("*_test.go"))
    (tmp_path / "djtypes/dialect.go").write_text(render("common/dialect.go.j2", dialects=("sqlite", "postgresql")))
    (tmp_path / "go.mod").write_text("module pyformcheck\n\ngo 1.22\n")
    (tmp_path / "pyform.go").write_text(go_file("pyform.go", "nethttp/pyform.go.j2", "pyformcheck",
                                                extra_imports=("errors", "net/url", "unicode/utf8", "regexp", "time")))
    (tmp_path / "main.go").write_text(HARNESS)
    go("build", "-o", "check", ".", cwd=tmp_path)
    inp = json.dumps({"Forms": [[m, ct, body.decode("latin-1")] for m, ct, body in FORMS], "Dates": DATES})
    got = json.loads(subprocess.run([str(tmp_path / "check")], input=inp.encode("latin-1"), capture_output=True,
                                    check=True, timeout=60).stdout)
    want = json.loads(subprocess.run([sys.executable, "-c", PYTHON], input=inp, capture_output=True, text=True,
                                     check=True, timeout=120).stdout)
    for i, (g, w) in enumerate(zip(got["Forms"], want["Forms"])):
        if i in NOT_COVERED_FORMS:
            assert g == "not covered", (FORMS[i], g, w)
        else:
            assert g == w, (FORMS[i], g, w)
    for s, g, w in zip(DATES, got["Dates"], want["Dates"]):
        if s in NOT_COVERED_DATES:
            assert g == "not covered", (s, g, w)
        else:
            assert g == w, (s, g, w)
