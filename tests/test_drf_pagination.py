"""drfjson's pagination (page windows and their next / previous links) against DRF's own paginators.

Each case is a request URL and a row count: DRF's PageNumberPagination / LimitOffsetPagination run on
a list of that many rows (in a subprocess, minimal settings); the Go side computes the window and the
links from the same URL. Strict comparison: same rows, same links (null included), same 404s.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

import pytest

from conftest import REPO, go

PAGE = [("/api/p/", 5), ("/api/p/?page=2", 5), ("/api/p/?page=3", 5), ("/api/p/?page=4", 5), ("/api/p/?page=0", 5),
        ("/api/p/?page=x", 5), ("/api/p/?page=last", 5), ("/api/p/?page=%202%20", 5), ("/api/p/?page=%2B2", 5),
        ("/api/p/?page=1_0", 30), ("/api/p/?page=", 5), ("/api/p/?b=1&a=x+y&page=2&a=z", 5),
        ("/api/p/?page=2&q=%2F%2A~%C3%A9", 5), ("/api/p/?page=1", 0), ("/api/p/?page=2", 0),
        ("/api/p/?page=1&page=2", 5), ("/api/p/?page=2.0", 5), ("/api/p/?flag&page=3", 5)]
LIMIT = [("/api/p/", 5), ("/api/p/?limit=1", 5), ("/api/p/?limit=10", 5), ("/api/p/?limit=0", 5),
         ("/api/p/?limit=-1", 5), ("/api/p/?offset=2", 5), ("/api/p/?offset=4&limit=2", 5),
         ("/api/p/?offset=3&limit=2", 5), ("/api/p/?offset=1&limit=2", 5), ("/api/p/?offset=x", 5),
         ("/api/p/?offset=10", 5), ("/api/p/?z=1&offset=2&limit=1", 5), ("/api/p/?limit=1_0&offset=-1", 5)]
# page_size_query_param "size" (page_size 2, max_page_size 4; "free": no page_size, no cutoff)
SIZED = [("/api/p/?size=3", 7), ("/api/p/?size=3&page=3", 7), ("/api/p/?size=0", 7), ("/api/p/?size=-1", 7),
         ("/api/p/?size=abc", 7), ("/api/p/?size=", 7), ("/api/p/?size=10", 7), ("/api/p/?size=%203%20", 7),
         ("/api/p/?size=1_0", 7), ("/api/p/?size=99999999999999999999", 7), ("/api/p/?size=1&size=3", 7),
         ("/api/p/?size=-99999999999999999999", 7), ("/api/p/?size=2.0", 7), ("/api/p/?page=2&size=1", 7)]
FREE = [("/api/p/", 5), ("/api/p/?size=2", 5), ("/api/p/?size=2&page=3", 5), ("/api/p/?size=0", 5),
        ("/api/p/?size=99999999999999999999", 5), ("/api/p/?size=x&page=2", 5)]

DRF_SCRIPT = r"""
import json, sys
from django.conf import settings
settings.configure(ALLOWED_HOSTS=["*"], INSTALLED_APPS=["rest_framework"], ROOT_URLCONF=[])
import django; django.setup()
from rest_framework import exceptions, pagination
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory
cases = json.loads(sys.argv[1])
factory = APIRequestFactory()

class Pages(pagination.PageNumberPagination):
    page_size = 2

class Limits(pagination.LimitOffsetPagination):
    default_limit, max_limit = 2, 3

class Sized(pagination.PageNumberPagination):
    page_size, page_size_query_param, max_page_size = 2, "size", 4

class Free(pagination.PageNumberPagination):
    page_size, page_size_query_param = None, "size"

def run(paginator, path, count):
    request = Request(factory.get(path))
    try:
        rows = paginator.paginate_queryset(list(range(count)), request)
    except exceptions.NotFound as exc:
        return {"ok": False, "detail": str(exc.detail)}
    if rows is None:
        return {"ok": True, "paginated": False}
    return {"ok": True, "rows": rows, "next": paginator.get_next_link(), "previous": paginator.get_previous_link()}

print(json.dumps({"page": [run(Pages(), p, n) for p, n in cases["page"]],
                  "limit": [run(Limits(), p, n) for p, n in cases["limit"]],
                  "sized": [run(Sized(), p, n) for p, n in cases["sized"]],
                  "free": [run(Free(), p, n) for p, n in cases["free"]],
                  "nolimit": run(pagination.LimitOffsetPagination(), "/api/p/?offset=1", 5)}))
"""

GO_MAIN = r"""package main

import (
	"encoding/json"
	"fmt"
	"net/url"
	"os"

	"drfcheck/drfjson"
)

func rows(w drfjson.Window, count int) []int {
	out := []int{}
	for i := w.Offset; i < w.Offset+w.Limit && i < count; i++ {
		out = append(out, i)
	}
	return out
}

func result(w drfjson.Window, count int) map[string]any {
	return map[string]any{"ok": true, "rows": rows(w, count), "next": w.Next, "previous": w.Previous}
}

func main() {
	var cases map[string][][2]any
	if err := json.Unmarshal([]byte(os.Args[1]), &cases); err != nil {
		panic(err)
	}
	out := map[string]any{}
	var limits []map[string]any
	pageCases := func(kind string, size, maxSize int) (out []map[string]any) {
		for _, c := range cases[kind] {
			path, count := c[0].(string), int(c[1].(float64))
			u, _ := url.Parse(path)
			n := size
			if kind != "page" {
				n = drfjson.PageSize(u.Query()["size"], size, maxSize)
			}
			if n == 0 {
				out = append(out, map[string]any{"ok": true, "paginated": false})
				continue
			}
			w, ok := drfjson.PageNumber("http://testserver"+path, u.Query()["page"], count, n)
			if !ok {
				out = append(out, map[string]any{"ok": false, "detail": drfjson.InvalidPage})
				continue
			}
			out = append(out, result(w, count))
		}
		return out
	}
	for _, c := range cases["limit"] {
		path, count := c[0].(string), int(c[1].(float64))
		u, _ := url.Parse(path)
		w, _ := drfjson.LimitOffset("http://testserver"+path, u.Query()["limit"], u.Query()["offset"], count, 2, 3)
		limits = append(limits, result(w, count))
	}
	if _, paginated := drfjson.LimitOffset("http://testserver/api/p/?offset=1", nil, []string{"1"}, 5, 0, 0); !paginated {
		out["nolimit"] = map[string]any{"ok": true, "paginated": false}
	}
	out["page"], out["limit"] = pageCases("page", 2, 0), limits
	out["sized"], out["free"] = pageCases("sized", 2, 4), pageCases("free", 0, 0)
	b, _ := json.Marshal(out)
	fmt.Println(string(b))
}
"""


@pytest.mark.slow
def test_pagination_windows_and_links_equal_drf(tmp_path):
    cases = json.dumps({"page": PAGE, "limit": LIMIT, "sized": SIZED, "free": FREE})
    drf = subprocess.run([sys.executable, "-c", DRF_SCRIPT, cases], capture_output=True, text=True, timeout=120)
    assert drf.returncode == 0, drf.stderr
    shutil.copytree(REPO / "templates" / "drf" / "drfjson", tmp_path / "drfjson")
    (tmp_path / "go.mod").write_text("module drfcheck\n\ngo 1.22\n")
    (tmp_path / "main.go").write_text(GO_MAIN)
    expected, actual = json.loads(drf.stdout), json.loads(go("run", ".", cases, cwd=tmp_path).stdout)
    for kind, cases_of in (("page", PAGE), ("limit", LIMIT), ("sized", SIZED), ("free", FREE)):
        for case, want, got in zip(cases_of, expected[kind], actual[kind]):
            assert (case, got) == (case, want)
    assert actual == expected
