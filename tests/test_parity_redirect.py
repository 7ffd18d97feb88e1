"""The http check judges a redirect itself: its status and Location, never the page it leads to (fast: one
in-process http.server on a thread, no process started)."""

from __future__ import annotations

import http.server
import threading

import pytest

from migrator.parity.http import compare_endpoints, fetch

PAGE = b'{"page": "login"}'
# "django" redirects its guarded page to a login page; "go" answers that login page's body straight away, or
# redirects to another page that answers the same body
ROUTES = {"/django/notes/": (302, "/django/login/?next=/notes/"), "/django/login/": (200, ""),
          "/go/notes/": (200, ""), "/go/away/": (302, "/go/login/?next=/away/"), "/go/login/": (200, ""),
          "/django/away/": (302, "/django/login/?next=/away/")}


class _Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 (http.server's name)
        status, location = ROUTES.get(self.path, (404, ""))
        self.send_response(status)
        if location:
            self.send_header("Location", location)
        self.send_header("Content-Type", "application/json")
        body = PAGE if status == 200 else b""
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def server():
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_a_redirect_is_the_answer_not_the_page_it_leads_to(server):
    answer = fetch(server, "GET", "/django/notes/")
    assert (answer[0], answer[2], answer.location) == (302, b"", "/django/login/?next=/notes/")
    assert fetch(server, "GET", "/django/login/").location == ""  # an answer that is not a redirect has none


def test_a_redirect_and_the_page_it_leads_to_differ(server):
    # the old fetch followed the redirect: both sides answered 200 with PAGE, and the check saw no difference
    diffs = compare_endpoints(["/notes/"], server + "/django", server + "/go")
    assert [(d.where, d.django, d.go) for d in diffs] == [("status", 302, 200),
                                                          ("Location", "/django/login/?next=/notes/", ""),
                                                          ("$", None, {"page": "login"})]  # the body as before


def test_two_redirects_compare_their_locations_exactly(server):
    diffs = compare_endpoints(["/away/"], server + "/django", server + "/go")
    assert [(d.where, d.django, d.go) for d in diffs] == [("Location", "/django/login/?next=/away/",
                                                           "/go/login/?next=/away/")]
