"""Real waitress processes on one database, and a burst of claims at them.

Shared by tests/integration/test_concurrency.py and benchmarks/claims.py.
"""

import http.client
import json
import os
import secrets
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa

from dropin import create_app
from dropin.extensions import db
from dropin.models import Claim
from dropin.models.claim import ClaimStatus
from tests.factories import make_kiosk, make_site, make_task
from tests.helpers import ROOT

STARTUP_SECONDS = 30


@dataclass(frozen=True)
class Outcome:
    status: int  # 0 when the request itself failed
    error: str | None  # the JSON `error` field, or the exception
    seconds: float


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_healthy(process: subprocess.Popen, base: str, log: Path) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"waitress exited with {process.returncode}:\n{log.read_text()}")
        try:
            with urllib.request.urlopen(base + "/healthz", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.05)  # polling interval while the process imports and binds
    raise RuntimeError(f"{base} gave no /healthz in {STARTUP_SECONDS} s:\n{log.read_text()}")


@contextmanager
def waitress_servers(
    database_url: str | None, workdir: Path, count: int = 2, threads: int = 8, env: dict[str, str | None] | None = None
) -> Iterator[list[str]]:
    """Start `count` waitress processes of the app on one database; yield their base URLs.

    `env` changes the processes' environment (None removes a variable, e.g. SECRET_KEY to use the
    instance's own key file); a None `database_url` leaves DATABASE_URL to `env`.
    """
    env = server_env(
        {
            "DATABASE_URL": database_url,
            "SECRET_KEY": secrets.token_hex(16),
            "DROPIN_INSTANCE": str(workdir),
            # A burst of claims from one kiosk token is what these servers are for (the limit's own
            # tests are in tests/web/test_claims_limit.py); `env` may set it back.
            "DROPIN_KIOSK_CLAIM_RATE_LIMIT": "1000000 per minute",
            **(env or {}),
        }
    )
    with ExitStack() as stack:
        started = []
        for i in range(count):
            port, log = free_port(), workdir / f"waitress-{i}.log"
            out = stack.enter_context(log.open("wb"))
            process = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "waitress",
                    "--host=127.0.0.1",
                    f"--port={port}",
                    "--ident=",
                    f"--threads={threads}",
                    "--call",
                    "dropin:create_app",
                ],
                env=env,
                cwd=ROOT,
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
            )
            stack.callback(stop_process, process)
            started.append((process, f"http://127.0.0.1:{port}", log))
        for process, base, log in started:
            _wait_healthy(process, base, log)
        yield [base for _, base, _ in started]


def server_env(changes: dict[str, str | None]) -> dict[str, str]:
    """This process's environment with `changes`; a None value removes the variable."""
    env = {**os.environ, **changes}
    return {key: value for key, value in env.items() if value is not None}


def stop_process(process: subprocess.Popen) -> None:
    """Ask a server process to stop; kill it after 10 s."""
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def claimable_task(database_url: str, capacity: int, slug: str = "kuormitus") -> tuple[int, str]:
    """Create a site, an enrolled kiosk and an open task of today; return the task id and API token."""
    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": "setup"})
    with app.app_context():
        site = make_site(slug)
        enrollment = make_kiosk(site)
        task = make_task(site, capacity=capacity)
        db.session.commit()
        found = task.id, enrollment.api_token
        db.engine.dispose()
    return found


def active_claims(database_url: str, task_id: int) -> int:
    engine = sa.create_engine(database_url)
    try:
        with engine.connect() as conn:
            return conn.scalar(
                sa.select(sa.func.count())
                .select_from(Claim)
                .where(Claim.task_id == task_id, Claim.status == ClaimStatus.ACTIVE)
            )
    finally:
        engine.dispose()


def _claim(conn: http.client.HTTPConnection, path: str, token: str) -> Outcome:
    started = time.perf_counter()
    try:
        conn.request("POST", path, headers={"Authorization": f"Bearer {token}", "Content-Length": "0"})
        response = conn.getresponse()
        body = response.read()
    except (OSError, http.client.HTTPException) as exc:  # a failed request is a result to count
        conn.close()
        return Outcome(0, repr(exc), time.perf_counter() - started)
    seconds = time.perf_counter() - started
    if response.status == 201:
        return Outcome(201, None, seconds)
    try:
        return Outcome(response.status, json.loads(body)["error"], seconds)
    except (ValueError, KeyError, TypeError):
        return Outcome(response.status, body[:200].decode(errors="replace"), seconds)


def fire_claims(bases: list[str], task_id: int, token: str, total: int, workers: int) -> tuple[list[Outcome], float]:
    """POST `total` claims from `workers` threads (each on one keep-alive connection, servers taken
    in turn), released together by a barrier. Returns the outcomes and the wall time in seconds."""
    path = f"/api/v1/tasks/{task_id}/claims"
    barrier = threading.Barrier(workers + 1, timeout=60)
    outcomes: list[list[Outcome]] = [[] for _ in range(workers)]

    def work(i: int) -> None:
        host, port = bases[i % len(bases)].removeprefix("http://").split(":")
        conn = http.client.HTTPConnection(host, int(port), timeout=60)
        try:
            conn.connect()  # before the barrier: the burst measures claims, not TCP handshakes
        except OSError:
            barrier.abort()  # let the others fail at once instead of waiting out the timeout
            raise
        barrier.wait()
        for _ in range(total // workers + (i < total % workers)):
            outcomes[i].append(_claim(conn, path, token))
        conn.close()

    threads = [threading.Thread(target=work, args=(i,), daemon=True) for i in range(workers)]
    for thread in threads:
        thread.start()
    barrier.wait()
    started = time.perf_counter()
    for thread in threads:
        thread.join()
    return [o for worker in outcomes for o in worker], time.perf_counter() - started
