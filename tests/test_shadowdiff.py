"""cmd/shadowdiff on two small stand-in servers: as a proxy it returns Django's answer; parity's normalisation
(decimal strings, numbers, datetimes at millisecond precision, keys as sets) leaves no difference where a
client could tell none; a value that differs between two Django calls is noise, not a difference; a real
difference is one JSON line and a counter; a POST reaches Django once and Go never."""

from __future__ import annotations

import itertools
import json
import subprocess
import threading
import time
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from conftest import REPO, go
from test_http_parity import _free_port, _wait

pytestmark = pytest.mark.slow


def _server(answer):
    seen = []
    counter = itertools.count()

    class H(BaseHTTPRequestHandler):
        def _do(self):
            n = int(self.headers.get("Content-Length") or 0)
            seen.append((self.command, self.path, self.rfile.read(n), self.headers.get("Host")))
            status, body = answer(self.path, next(counter))
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        do_GET = do_POST = _do

        def log_message(self, *a):
            pass

    srv = ThreadingHTTPServer(("127.0.0.1", 0), H)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    return srv, seen


def test_shadowdiff_compares_like_parity(tmp_path):
    go("build", "-o", str(tmp_path / "shadowdiff"), "./cmd/shadowdiff", cwd=REPO / "generated")

    def django(path, n):
        return 200, {"results": [{"price": "12.50", "at": "2026-01-02T03:04:05.123456Z", "n": 3}], "token": f"t{n}",
                     "name": "tag"}

    def golang(path, n):
        name = "tag" if path.startswith("/api/catalog/tags/") else "TAG"
        return 200, {"name": name, "token": "x", "results": [{"n": 3.0, "price": 12.5, "at": "2026-01-02T03:04:05.123Z"}]}

    (dj, dj_seen), (gs, go_seen) = _server(django), _server(golang)
    port, log = _free_port(), tmp_path / "diffs.jsonl"
    proc = subprocess.Popen([str(tmp_path / "shadowdiff"), "-listen", f"127.0.0.1:{port}", "-django",
                             f"http://127.0.0.1:{dj.server_port}", "-go", f"http://127.0.0.1:{gs.server_port}", "-log", str(log)],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    base = f"http://127.0.0.1:{port}"
    try:
        _wait(base + "/_shadowdiff/metrics", proc, "shadowdiff")
        tags = urllib.request.Request(base + "/api/catalog/tags/", headers={"Host": "shop.example"})
        with urllib.request.urlopen(tags, timeout=5) as r:  # proxied: Django's answer
            assert json.loads(r.read())["token"] == "t0"
        urllib.request.urlopen(base + "/api/orders/1/lines/?x=1", timeout=5).read()
        urllib.request.urlopen(base + "/api/catalog/products/", timeout=5).read()  # a stub in Go: not compared
        req = urllib.request.Request(base + "/api/catalog/products/1/restock/", data=b'{"quantity": 1}', method="POST")
        urllib.request.urlopen(req, timeout=5).read()
        deadline = time.monotonic() + 10
        while len(dj_seen) < 6 and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(0.3)
        metrics = urllib.request.urlopen(base + "/_shadowdiff/metrics", timeout=5).read().decode()
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        dj.shutdown()
        gs.shutdown()
    # each GET of a migrated route twice, the stub's GET and the POST once
    assert sorted(x[0] for x in dj_seen) == ["GET", "GET", "GET", "GET", "GET", "POST"]
    assert [x[0] for x in go_seen] == ["GET", "GET"]
    # both servers see the client's Host (Django checks it against ALLOWED_HOSTS)
    assert {x[3] for x in dj_seen + go_seen if x[1] == "/api/catalog/tags/"} == {"shop.example"}
    lines = [json.loads(x) for x in log.read_text().splitlines()]
    by_route = {x["route"]: x for x in lines}
    assert by_route["api/catalog/tags/"]["differences"] == [] and by_route["api/catalog/tags/"]["noise"] == ["$.token"]
    assert by_route["api/orders/<int:pk>/lines/"]["differences"] == ['$.name: django "tag" != go "TAG"']
    assert by_route["api/orders/<int:pk>/lines/"]["path"] == "/api/orders/1/lines/?x=1"
    assert 'shadowdiff_differences_total{route="api/orders/<int:pk>/lines/"} 1' in metrics
    assert 'shadowdiff_compared_total{route="api/catalog/tags/"} 1' in metrics
    assert "api/catalog/products/<int:pk>/restock/" not in metrics
    assert 'shadowdiff_skipped_stub_total{route="api/catalog/products/"} 1' in metrics
