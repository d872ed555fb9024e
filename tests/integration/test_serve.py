"""`dropin serve` for real: waitress in its own process, as `make run` starts it."""

import os
import subprocess
import sys
import time
import urllib.request

import pytest

from tests.helpers import ROOT
from tests.integration import _wait_healthy, free_port

pytestmark = pytest.mark.slow


@pytest.fixture
def served(tmp_path, database_url):
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "SECRET_KEY": "serve-test",
        "DROPIN_INSTANCE": str(tmp_path),
        "PORT": str(free_port()),
        "HOST": "127.0.0.1",
    }
    dropin = [sys.executable, "-m", "dropin.cli"]
    subprocess.run([*dropin, "seed-demo", "--if-demo"], env=env, check=True, capture_output=True, cwd=ROOT)
    log = tmp_path / "serve.log"
    with log.open("w") as out:
        process = subprocess.Popen(
            [*dropin, "serve"], env=env, stdout=out, stderr=subprocess.STDOUT, cwd=ROOT, stdin=subprocess.DEVNULL
        )
    base = f"http://127.0.0.1:{env['PORT']}"
    try:
        _wait_healthy(process, base, log)
        yield base, log
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_serve_prints_the_urls_and_hides_the_server_banner(served):
    base, log = served
    with urllib.request.urlopen(base + "/kiosk/satama") as response:
        body = response.read().decode()
        assert response.status == 200
        assert "Server" not in response.headers
        assert "Via" not in response.headers
        assert "unsafe-inline" not in response.headers["Content-Security-Policy"]
    assert "Olohuone Satama" in body
    deadline = time.monotonic() + 5
    while "demo logins" not in log.read_text() and time.monotonic() < deadline:
        time.sleep(0.05)  # the banner is printed before waitress binds; stdout may lag a little
    printed = log.read_text()
    assert f"kiosk board (Olohuone Satama): {base}/kiosk/satama" in printed
    assert f"staff login: {base}/login" in printed
    assert "staff@example.org" in printed
    assert "demo-salasana" in printed
