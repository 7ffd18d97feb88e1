"""A server of the http check counts as started only when its own process listens on its port
(migrator/parity/ports.py). Session 8's unverified failure `POST /api/catalog/products/1/tags/ {"tag": "parity"}`
(Django 404, Go 201; Django answers 201 on the loaded data) is what a taken port gives: another process answers
the readiness probe, the runserver exits "That port is already in use", and the requests reach a server on
another database."""

from __future__ import annotations

import http.server
import threading
from types import SimpleNamespace

import pytest

from migrator.parity.http_servers import PortTaken, Servers
from migrator.parity.ports import owns_port


@pytest.fixture
def foreign_server():
    """Another process's server (here a thread of this one) already on the port."""
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), http.server.SimpleHTTPRequestHandler)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    yield srv.server_address[1]
    srv.shutdown()
    srv.server_close()


def test_a_port_answered_by_another_process_is_not_the_servers(foreign_server, tmp_path):
    import os

    port = foreign_server
    assert owns_port(os.getpid(), port) is True  # this process holds it
    # a "server" that failed to bind (the port is taken) and exited, as runserver does: no process of its own
    # holds the port
    proc = SimpleNamespace(pid=2**22 + 7, returncode=1, poll=lambda: 1)
    assert owns_port(proc.pid, port) is False
    servers = Servers(SimpleNamespace(query_runs={}), tmp_path / "server", "", "t")
    log = tmp_path / "django.log"
    log.write_text("Error: That port is already in use.\n")
    # before: the probe's answer (the foreign server's) was taken as the server's, and the run went on
    with pytest.raises(PortTaken, match=f"port {port} answered by another process"):
        servers._wait("Django", f"http://127.0.0.1:{port}", "/", proc, log)


def test_a_key_of_a_struct_several_views_build_is_judged_on_their_requests():
    """ProfilePayload (profile_detail and me) has target "*": no request's view is "*", so its key mutant was
    `not compared` on every run although every profile GET shows the key."""
    from migrator.parity.mutation import http_reached

    asked = {"accounts.views.me", "accounts.views.profile_detail"}
    assert http_reached("*", asked) and http_reached("accounts.views.me", asked)
    assert not http_reached("orders.views.my_orders", asked) and not http_reached("*", set())
