"""drfjson (the Go side of DRF's field formats) against DRF's own to_representation, value by value.

DRF runs in a subprocess with minimal settings; the Go package runs as a tiny program over the same
inputs. Strict comparison of the two JSON documents (types and values).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

import pytest

from conftest import REPO, go

DECIMALS = [("12.5", 2), ("0.005", 2), ("0.015", 2), ("-0.004", 2), ("123.456", 0), ("2.5", 0),
            ("3.5", 0), ("1E+2", 2), ("-1.005", 2), ("7", None), ("1.50", None), ("99999999.995", 2)]
DATETIMES = [("2026-03-01T23:59:59.123456+00:00", "UTC"), ("2026-03-01T23:59:59+00:00", "UTC"),
             ("2026-07-01T10:00:00+00:00", "Europe/Paris"), ("2026-01-15T10:00:00.000001+00:00", "Asia/Kolkata"),
             ("2026-01-15T10:00:00+00:00", "America/St_Johns")]
FLOATS = [1.0, 0.1, 1e16, 1e-5, 123456789.123, -2.5, 1e22, 0.0001, 9999999999999998.0, 1.5e-7, -0.0, 3.0e15]
UUIDS = [("12345678123456781234567812345678", "hex_verbose"), ("ABCDEF01-2345-6789-ABCD-EF0123456789", "hex_verbose"),
         ("abcdef01-2345-6789-abcd-ef0123456789", "hex")]
TIMES = ["2026-03-01T07:08:09", "2026-03-01T07:08:09.000500"]
# microseconds: zero, under a second, days, negative (timedelta floors the days), past 24 hours, a large value
# FileField URLs: (storage base URL, stored name); the request is GET /api/x/ on localhost:8000
FILES = [("/media/", "products/a.png"), ("/media/", "a b/\u00e7\u00e9.png"), ("/media/", "a//b.png"),
         ("/media/", "./x.png"), ("/media/", "a/../../b.png"), ("/media/", "/abs.png"), ("/media/", "a\\b.png"),
         ("/media/", "x?y#z;w%&+.png"), ("/media/", ""), ("/media/", ".."), ("/media/", "a/."), ("/", "f.txt"),
         ("/a//b/", "c.txt"), ("/static/m/", "~u!*()'.bin"), ("/media/", "/")]
# a text through the DRF field class a project builds per row (helpdesk's CustomField.build_api_field):
# (class, text, decimal_places, max_digits); DRF's to_representation of the str, or "ERR" where it raises (a 500)
TEXTS = [(c, t, None, None) for c in ("CharField", "EmailField", "URLField", "SlugField", "IPAddressField",
                                      "DateField", "TimeField", "DateTimeField") for t in ("", "x y", "2026-03-01")]
TEXTS += [("IntegerField", t, None, None) for t in ("12", " -7 ", "+5", "1_000", "007", "-0", "\u0661\u0662", "",
                                                   "1__0", "1.5", "x", "99999999999999999999999", "\u00a03")]
TEXTS += [("BooleanField", t, None, None) for t in ("", "x", "TRUE", "Yes", "on", "1", "0", "off", "No", "F",
                                                   "null", "false ", "2")]
TEXTS += [("DecimalField", t, p, m) for t, p, m in (
    ("12.345", 2, 5), ("12.345", 2, 3), ("0.005", 2, None), ("0.015", 2, 10), (" 1_000.5 ", 1, 10), ("1e3", 2, 10),
    ("1E+2", 2, 3), ("-0.004", 2, 5), ("NaN", 2, 5), ("-nan", None, None), ("Infinity", 2, 5), ("inf", None, None),
    ("sNaN", 2, 5), ("1.50", None, None), ("1e-3", None, None), ("0E+2", None, None), ("0E+5", 2, 3), (".5", 1, 2),
    ("5.", 0, 1), ("1.26", -1, 5), ("x", 2, 5), ("", 2, 5), ("1.5", 1, 0), ("\u0661\u0662.\u0665", 1, 4),
    ("123456789012345678901234567890", 0, None), ("1_2", 0, None), ("1__2", 0, None),
    ("_12_", 0, None), ("1._5e_1", 2, None), ("nan_1", None, None), ("_", 0, None), ("1e", 0, None), ("1 2", 0, None))]
TEXTS += [("ChoiceField", t, None, None) for t in ("", "a", "b c")]
DURATIONS = [0, 1, 999999, 3723000004, 86400000000, 90061000001, -1, -1000000, -86400000001, 1234567890123456]

DRF_SCRIPT = r"""
import datetime, decimal, json, sys, uuid, zoneinfo
from django.conf import settings
settings.configure(USE_TZ=True, TIME_ZONE="UTC", INSTALLED_APPS=["rest_framework"], ALLOWED_HOSTS=["localhost"])
import django; django.setup()
from django.utils import timezone
from rest_framework import fields
cases = json.loads(sys.argv[1])
out = {"decimal": [fields.DecimalField(max_digits=None, decimal_places=p).to_representation(decimal.Decimal(s))
                   for s, p in cases["decimal"]],
       "datetime": [], "float": [json.loads(json.dumps(fields.FloatField().to_representation(v)))
                                  for v in cases["float"]],
       "float_text": [json.dumps(v) for v in cases["float"]],
       "uuid": [fields.UUIDField(format=f).to_representation(uuid.UUID(s)) for s, f in cases["uuid"]],
       "date": [fields.DateField().to_representation(datetime.datetime.fromisoformat(t).date()) for t in cases["time"]],
       "time": [fields.TimeField().to_representation(datetime.datetime.fromisoformat(t).time()) for t in cases["time"]],
       "naive": [],
       "duration": [fields.DurationField().to_representation(datetime.timedelta(microseconds=us))
                    for us in cases["duration"]],
       "file": []}
from django.core.files.storage import FileSystemStorage
from django.test import RequestFactory
class FieldFile:
    def __init__(self, storage, name): self.storage, self.name = storage, name
    def __bool__(self): return bool(self.name)
    @property
    def url(self): return self.storage.url(self.name)
for base, name in cases["file"]:
    field = fields.FileField()
    field._context = {"request": RequestFactory().get("/api/x/", HTTP_HOST="localhost:8000")}
    out["file"].append(field.to_representation(FieldFile(FileSystemStorage(base_url=base), name)))
from django.test import override_settings
with override_settings(USE_TZ=False):
    out["naive"] = [fields.DateTimeField().to_representation(datetime.datetime.fromisoformat(t)) for t in cases["time"]]
for s, tz in cases["datetime"]:
    with timezone.override(zoneinfo.ZoneInfo(tz)):
        out["datetime"].append(fields.DateTimeField().to_representation(datetime.datetime.fromisoformat(s)))
from rest_framework.fields import ChoiceField
out["text"] = []
for cls, text, places, digits in cases["text"]:
    kwargs = {"decimal_places": places, "max_digits": digits} if cls == "DecimalField" else {}
    if cls == "ChoiceField":  # helpdesk's get_choices(): [[line, line] ...] over list_values, "" first
        kwargs = {"choices": [["", "---------"], ["a", "a"], ["b c", "b c"]]}
    try:
        out["text"].append(getattr(fields, cls)(**kwargs).to_representation(text))
    except Exception:  # noqa: BLE001 - what the serializer raises: a 500
        out["text"].append("ERR")
print(json.dumps(out))
"""

GO_MAIN = r"""package main

import (
	"encoding/json"
	"fmt"
	"os"
	"time"

	"drfcheck/drfjson"
)

type cases struct {
	Decimal  [][2]any    `json:"decimal"`
	Datetime [][2]string `json:"datetime"`
	Float    []float64   `json:"float"`
	UUID     [][2]string `json:"uuid"`
	Time     []string    `json:"time"`
	Duration []int64     `json:"duration"`
	File     [][2]string `json:"file"`
	Text     [][4]any    `json:"text"`
}

func optional(v any) *int64 {
	if f, ok := v.(float64); ok {
		n := int64(f)
		return &n
	}
	return nil
}

func must(s string, err error) string {
	if err != nil {
		panic(err)
	}
	return s
}

func main() {
	var c cases
	if err := json.Unmarshal([]byte(os.Args[1]), &c); err != nil {
		panic(err)
	}
	out := map[string]any{}
	var decs, dts, uuids, dates, times, naive, texts []string
	var floats []drfjson.Float
	for _, d := range c.Decimal {
		places := -1
		if p, ok := d[1].(float64); ok {
			places = int(p)
		}
		decs = append(decs, must(drfjson.Decimal(d[0].(string), places)))
	}
	for _, d := range c.Datetime {
		t, err := time.Parse(time.RFC3339Nano, d[0])
		if err != nil {
			panic(err)
		}
		loc, err := time.LoadLocation(d[1])
		if err != nil {
			panic(err)
		}
		dts = append(dts, drfjson.DateTime(t, loc))
	}
	for _, f := range c.Float {
		floats = append(floats, drfjson.Float(f))
		b, err := json.Marshal(drfjson.Float(f))
		if err != nil {
			panic(err)
		}
		texts = append(texts, string(b))
	}
	for _, u := range c.UUID {
		uuids = append(uuids, must(drfjson.UUID(u[0], u[1])))
	}
	for _, s := range c.Time {
		t, err := time.Parse("2006-01-02T15:04:05.999999", s)
		if err != nil {
			panic(err)
		}
		dates = append(dates, drfjson.Date(t))
		times = append(times, drfjson.Time(t))
		naive = append(naive, drfjson.NaiveDateTime(t))
	}
	out["decimal"], out["datetime"], out["float"], out["float_text"] = decs, dts, floats, texts
	out["uuid"], out["date"], out["time"], out["naive"] = uuids, dates, times, naive
	durations := []string{}
	for _, us := range c.Duration {
		durations = append(durations, drfjson.Duration(us))
	}
	out["duration"] = durations
	files := []*string{}
	for _, f := range c.File {
		files = append(files, drfjson.FileURL("http://localhost:8000", f[0], f[1]))
	}
	out["file"] = files
	texts2 := []any{}
	for _, t := range c.Text {
		text := t[1].(string)
		v, err := drfjson.TextField{Class: t[0].(string), DecimalPlaces: optional(t[2]), MaxDigits: optional(t[3])}.Render(&text)
		if err != nil {
			v = "ERR"
		}
		texts2 = append(texts2, v)
	}
	out["text"] = texts2
	b, err := json.Marshal(out)
	if err != nil {
		panic(err)
	}
	fmt.Println(string(b))
}
"""


def _cases() -> str:
    return json.dumps({"decimal": DECIMALS, "datetime": DATETIMES, "float": FLOATS, "uuid": UUIDS, "time": TIMES,
                       "duration": DURATIONS, "file": FILES,
                       "text": TEXTS})


@pytest.mark.slow
def test_drfjson_formats_equal_drf(tmp_path):
    drf = subprocess.run([sys.executable, "-c", DRF_SCRIPT, _cases()], capture_output=True, text=True, timeout=120)
    assert drf.returncode == 0, drf.stderr
    shutil.copytree(REPO / "templates" / "drf" / "drfjson", tmp_path / "drfjson")
    (tmp_path / "go.mod").write_text("module drfcheck\n\ngo 1.22\n")
    (tmp_path / "main.go").write_text(GO_MAIN)
    got = go("run", ".", _cases(), cwd=tmp_path)
    expected, actual = json.loads(drf.stdout), json.loads(got.stdout)
    for key in expected:  # per key first, so a failure names the format
        if key == "text":  # case by case, so a failure names the class and the text
            assert [(c, a) for c, a in zip(TEXTS, actual[key])] == [(c, e) for c, e in zip(TEXTS, expected[key])]
        assert (key, actual[key]) == (key, expected[key])
        assert [type(v) for v in actual[key]] == [type(v) for v in expected[key]], key
    assert actual == expected
