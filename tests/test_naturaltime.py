"""djtypes.NaturalTime (templates/common/djtypes/naturaltime.go) is Django's humanize ``naturaltime`` in English.

Its Go table test (naturaltime_test.go, run with the generated tree's ``go test ./djtypes`` in
tests/test_corpus_regressions.py) holds (value, now, text) rows; here each row is checked against Django itself
with its clock set to ``now``, so the table the Go side passes is Django's answer, not a copy of the port's.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest

from conftest import REPO

TABLE = REPO / "templates/common/djtypes/naturaltime_test.go"
_DATE = r"time\.Date\((\d+), (\d+), (\d+), (\d+), (\d+), (\d+), (\d+), time\.UTC\)"
_ROW = re.compile(rf"\{{{_DATE}, {_DATE}, (\"(?:[^\"\\]|\\.)*\")\}},")

DJANGO = r"""
import datetime as dt, json, sys
from unittest import mock
from django.conf import settings
settings.configure(USE_TZ=True, USE_I18N=True, LANGUAGE_CODE="en-us", INSTALLED_APPS=["django.contrib.humanize"])
import django; django.setup()
from django.contrib.humanize.templatetags import humanize
out = []
for value, now in json.loads(sys.stdin.read()):
    v, n = (dt.datetime(*t[:6], t[6] // 1000, tzinfo=dt.timezone.utc) for t in (value, now))
    class Clock(dt.datetime):
        @classmethod
        def now(cls, tz=None):
            return n
    with mock.patch.object(humanize, "datetime", Clock):
        out.append(str(humanize.naturaltime(v)))  # "now" is a lazy text
print(json.dumps(out))
"""


def table() -> list[tuple[list[int], list[int], str]]:
    rows = []
    for m in _ROW.finditer(TABLE.read_text()):
        g = m.groups()
        text = json.loads(g[14])  # the Go escapes used here (\u00a0, \") are JSON's
        rows.append(([int(x) for x in g[:7]], [int(x) for x in g[7:14]], text))
    return rows


def test_table_is_read_whole():
    rows = table()
    assert len(rows) == TABLE.read_text().count("time.UTC), time.Date(")
    texts = {t for _, _, t in rows}
    # every branch of naturaltime: now, seconds / minutes / hours both ways, timesince's two units, a clamped pivot
    for want in ("now", "a second ago", "an hour from now", "59\u00a0minutes ago", "1\u00a0year, 1\u00a0month ago",
                 "6\u00a0days, 23\u00a0hours from now", "1\u00a0month, 4\u00a0weeks ago"):
        assert want in texts


@pytest.mark.slow
def test_table_is_djangos_naturaltime():
    rows = table()
    done = subprocess.run([sys.executable, "-c", DJANGO], input=json.dumps([[v, n] for v, n, _ in rows]),
                          capture_output=True, text=True, timeout=120, check=True)
    got = json.loads(done.stdout)
    wrong = [(v, n, want, have) for (v, n, want), have in zip(rows, got) if want != have]
    assert not wrong and len(got) == len(rows)
