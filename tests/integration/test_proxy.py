"""`dropin serve` behind a reverse proxy on loopback: waitress believes the trusted proxy's
X-Forwarded-* headers (client address, https, host) and nobody else's."""

import http.client
import os
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

import pytest

from dropin import create_app
from dropin.extensions import db
from tests.factories import make_user
from tests.helpers import ROOT
from tests.integration import _wait_healthy, claimable_task, free_port
from tests.integration.browser import Browser

pytestmark = pytest.mark.slow

PROXY = "127.0.0.2"  # the proxy's own address: every 127.x.y.z is this machine
PUBLIC_HOST = "dropin.example.fi"
HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding", "te", "trailer", "upgrade", "proxy-connection"}


class ForwardingProxy(ThreadingHTTPServer):
    """nginx's usual setup in miniature: TLS ends here, the client's address goes on in X-Forwarded-For."""

    daemon_threads = True

    def __init__(self, upstream: str):
        self.upstream = urlsplit(upstream)
        super().__init__(("127.0.0.1", 0), _Forward)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


class _Forward(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def _forward(self):
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP_BY_HOP}
        # What the client sent as X-Forwarded-For is kept in front, as nginx's $proxy_add_x_forwarded_for does.
        forwarded_for = ", ".join(filter(None, [self.headers.get("X-Forwarded-For"), self.client_address[0]]))
        headers.update(
            {"X-Forwarded-For": forwarded_for, "X-Forwarded-Proto": "https", "X-Forwarded-Host": PUBLIC_HOST}
        )
        upstream = self.server.upstream
        conn = http.client.HTTPConnection(upstream.hostname, upstream.port, timeout=60, source_address=(PROXY, 0))
        try:
            conn.request(self.command, self.path, body=body, headers=headers)
            response = conn.getresponse()
            data = response.read()
        finally:
            conn.close()
        self.send_response_only(response.status)
        for name, value in response.getheaders():
            if name.lower() not in HOP_BY_HOP | {"content-length"}:
                self.send_header(name, value)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(data)

    do_GET = do_POST = _forward


@pytest.fixture
def served(tmp_path, database_url):
    """`dropin serve` trusting the proxy at 127.0.0.2, and that proxy in front of it."""
    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": "setup"})
    with app.app_context():
        make_user("staff@example.org", "staff")
        db.session.commit()
        db.engine.dispose()
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "SECRET_KEY": "proxy-test",
        "DROPIN_INSTANCE": str(tmp_path),
        "PORT": str(free_port()),
        "HOST": "127.0.0.1",
        "DROPIN_TRUSTED_PROXY": PROXY,
        "DROPIN_TRUSTED_PROXY_COUNT": "1",
        "DROPIN_TRUSTED_PROXY_HEADERS": "x-forwarded-for x-forwarded-proto x-forwarded-host",
        "DROPIN_ALLOWED_HOSTS": f"{PUBLIC_HOST} 127.0.0.1",
    }
    log = tmp_path / "serve.log"
    with log.open("w") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "dropin.cli", "serve"],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            cwd=ROOT,
            stdin=subprocess.DEVNULL,
        )
    direct = f"http://127.0.0.1:{env['PORT']}"
    proxy = ForwardingProxy(direct)
    thread = threading.Thread(target=proxy.serve_forever, daemon=True)
    thread.start()
    try:
        _wait_healthy(process, direct, log)
        yield direct, proxy.base
    finally:
        proxy.shutdown()
        proxy.server_close()
        process.terminate()
        process.wait(timeout=10)


def _five_wrong(browser: Browser, **headers) -> list[int]:
    return [browser.login("staff@example.org", "väärä", headers=headers).status for _ in range(5)]


def test_clients_behind_the_proxy_get_locks_of_their_own(served):
    _, proxied = served
    guesser, colleague = Browser(proxied, source="127.0.0.3"), Browser(proxied, source="127.0.0.4")
    assert _five_wrong(guesser) == [401, 401, 401, 401, 429]
    assert guesser.login("staff@example.org").status == 429
    assert colleague.login("staff@example.org").status == 302


def test_through_the_proxy_https_brings_hsts_and_https_links(served, database_url):
    _, proxied = served
    response, _ = Browser(proxied).request("GET", "/login")
    assert response.status == 200
    assert "max-age=" in response.headers["Strict-Transport-Security"]
    task_id, token = claimable_task(database_url, capacity=3)
    claimed, body = Browser(proxied).request(
        "POST", f"/api/v1/tasks/{task_id}/claims", headers={"Authorization": f"Bearer {token}", "Content-Length": "0"}
    )
    assert claimed.status == 201, body
    assert f'"https://{PUBLIC_HOST}/c/' in body


def test_a_direct_client_cannot_pretend_to_be_the_proxy(served, database_url):
    direct, _ = served
    spoofer = Browser(direct)
    statuses = [
        spoofer.login("staff@example.org", "väärä", headers={"X-Forwarded-For": f"198.51.100.{n}"}).status
        for n in range(5)
    ]
    assert statuses == [401, 401, 401, 401, 429]
    # A new made-up address does not make a new client: the lock follows the real one.
    assert spoofer.login("staff@example.org", headers={"X-Forwarded-For": "198.51.100.99"}).status == 429
    response, _ = spoofer.request("GET", "/login", headers={"X-Forwarded-Proto": "https"})
    assert "Strict-Transport-Security" not in response.headers
    task_id, token = claimable_task(database_url, capacity=3)
    _, body = spoofer.request(
        "POST",
        f"/api/v1/tasks/{task_id}/claims",
        headers={
            "Authorization": f"Bearer {token}",
            "Content-Length": "0",
            "X-Forwarded-Proto": "https",
            "X-Forwarded-Host": PUBLIC_HOST,
        },
    )
    assert '"http://127.0.0.1:' in body
    assert PUBLIC_HOST not in body


def test_a_logged_out_cookie_replayed_over_http_is_refused(served):
    direct, _ = served
    staff = Browser(direct)
    assert staff.login("staff@example.org").status == 302
    copied = dict(staff.cookies)
    page = staff.request("GET", "/staff/")[1]
    from tests.helpers import csrf_token

    assert staff.request("POST", "/logout", {"csrf_token": csrf_token(page)})[0].status == 302
    thief = Browser(direct)
    thief.cookies = copied
    replayed, _ = thief.request("GET", "/staff/")
    assert replayed.status == 302
    assert replayed.headers["Location"].startswith("/login")
