"""Server processes for the benchmarks, each on a free port: a bare Flask hello-world, and dropin
through its own `dropin serve`, both on waitress with the same arguments."""

import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tests.integration import stop_process

ROOT = Path(__file__).resolve().parent.parent
THREADS = 8  # `dropin serve`'s default
STARTUP_SECONDS = 30
# The reference: Flask's own hello-world, served by waitress.serve() with dropin's arguments.
HELLO = """import sys
import waitress
from flask import Flask

app = Flask(__name__)


@app.get("/")
def hello():
    return "Hello, World!"


waitress.serve(app, host="127.0.0.1", port=int(sys.argv[1]), threads=int(sys.argv[2]), ident="",
               clear_untrusted_proxy_headers=True)
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def server_env(changes: dict[str, str | None]) -> dict[str, str]:
    """This process's environment with `changes`; a None value removes the variable."""
    env = {**os.environ, **changes}
    return {key: value for key, value in env.items() if value is not None}


@contextmanager
def running(command: list[str], env: dict, cwd: Path, ready_path: str, log: Path) -> Iterator[str]:
    """Run a server process on a free port (`{port}` in `command`); yield its base URL once `ready_path` answers 200."""
    port = free_port()
    with log.open("wb") as out:
        process = subprocess.Popen(
            [part.replace("{port}", str(port)) for part in command],
            env=env,
            cwd=cwd,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        try:
            base = f"http://127.0.0.1:{port}"
            _wait_ready(process, base + ready_path, log)
            yield base
        finally:
            stop_process(process)


def _wait_ready(process: subprocess.Popen, url: str, log: Path) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{url}: the server exited with {process.returncode}:\n{log.read_text()}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.05)  # polling while the process imports and binds
    raise RuntimeError(f"{url} did not answer in {STARTUP_SECONDS} s:\n{log.read_text()}")


def hello_server(workdir: Path) -> Iterator[str]:
    script = workdir / "hello.py"
    script.write_text(HELLO)
    command = [sys.executable, str(script), "{port}", str(THREADS)]
    return running(command, server_env({}), workdir, "/", workdir / "hello.log")


def dropin_server(database_url: str, workdir: Path, name: str) -> Iterator[str]:
    """`dropin serve` on the demo database; the per-kiosk claim limit raised, or every claim after the
    first few would be a 429 (the limit's own tests are in tests/web/test_claims_limit.py)."""
    env = server_env(
        {
            "DATABASE_URL": database_url,
            "SECRET_KEY": secrets.token_hex(16),
            "DROPIN_INSTANCE": str(workdir),
            "DROPIN_KIOSK_CLAIM_RATE_LIMIT": "1000000 per minute",
            "FLASK_DEBUG": None,
        }
    )
    command = [sys.executable, "-m", "dropin.cli", "serve", "--host=127.0.0.1", "--port={port}", f"--threads={THREADS}"]
    return running(command, env, ROOT, "/healthz", workdir / f"dropin-{name}.log")
