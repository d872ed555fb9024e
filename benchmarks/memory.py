"""The resident memory (RSS) of one `dropin serve` process: after start, after 10,000 mixed requests, and its peak.

Usage: .venv/bin/python benchmarks/memory.py [REQUESTS] [--clients 4] [--quick]

Starts `dropin serve` (waitress, real HTTP) as a subprocess with dropin's own settings on a fresh
demo SQLite database, then asks it what a day brings: the kiosk board and its task list (with and
without If-None-Match), the API's tasks, a task's details, the staff day page logged in, the
statistics page as a worker, and a few claims with their receipts (QR codes).

The last line is `FIGURES {json}` for benchmarks/table.py: rss_after_requests_mb and the rest.
"""

import argparse
import itertools
import json
import os
import re
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
DROPIN = Path(sys.executable).parent / "dropin"
SITE = "satama"
PASSWORD = "demo-salasana"
QUICK = 1000  # requests of a --quick run


def rss_kb(pid: int) -> tuple[int, int]:
    """(VmRSS, VmHWM) of a process in KB: its resident memory now and at its peak."""
    fields = dict(line.split(":", 1) for line in Path(f"/proc/{pid}/status").read_text().splitlines())
    return int(fields["VmRSS"].split()[0]), int(fields["VmHWM"].split()[0])


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def dropin(env: dict, *args: str) -> str:
    return subprocess.run([str(DROPIN), *args], env=env, check=True, capture_output=True, text=True).stdout


def wait_until_up(base: str, server: subprocess.Popen) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"dropin serve exited with {server.returncode}")
        try:
            requests.get(f"{base}/healthz", timeout=2)
            return
        except requests.ConnectionError:
            time.sleep(0.1)
    raise SystemExit("dropin serve did not answer in 60 s")


def hidden(html: str, name: str) -> str | None:
    found = re.search(rf'name="{name}"[^>]*value="([^"]*)"', html)
    return found.group(1) if found else None


def log_in(base: str, email: str) -> requests.Session:
    session = requests.Session()
    page = session.get(f"{base}/login").text
    answer = session.post(
        f"{base}/login",
        data={"csrf_token": hidden(page, "csrf_token"), "email": email, "password": PASSWORD},
        allow_redirects=False,
    )
    assert answer.status_code == 302, f"login as {email}: {answer.status_code}"
    return session


class Visitors:
    """The clients: an enrolled kiosk, a phone reading the API, a staff member and a worker."""

    def __init__(self, base: str, enroll_url: str):
        self.base = base
        self.kiosk = requests.Session()
        self.kiosk.get(enroll_url)
        board = self.kiosk.get(f"{base}/kiosk/{SITE}")
        self.etag = '"' + re.search(r'data-board-etag="([^"]+)"', board.text).group(1) + '"'
        self.task_ids = sorted({int(i) for i in re.findall(rf"/kiosk/{SITE}/tasks/(\d+)", board.text)})
        self.staff = log_in(base, "staff@example.org")
        self.worker = log_in(base, "worker@example.org")
        self.api = requests.Session()
        self.claims = 0

    def claim(self, task_id: int) -> requests.Response:
        """Take a place from the kiosk (a task that has one free) and show its receipt with the QR code."""
        details = self.kiosk.get(f"{self.base}/kiosk/{SITE}/tasks/{task_id}")
        form = {"csrf_token": hidden(details.text, "csrf_token"), "nonce": hidden(details.text, "nonce")}
        if form["nonce"] is None:  # ended or full: no join button
            return details
        receipt = self.kiosk.post(f"{self.base}/kiosk/{SITE}/tasks/{task_id}/claim", data=form)
        self.claims += receipt.url.endswith("/receipt")
        self.kiosk.get(f"{self.base}/kiosk/{SITE}/done")
        return receipt

    def look_again(self) -> requests.Response:
        """The board's task list as kiosk.js asks for it: with the version it has, mostly a 304."""
        response = self.kiosk.get(f"{self.base}/kiosk/{SITE}/board/tasks", headers={"If-None-Match": self.etag})
        if response.status_code == 200:
            self.etag = response.headers["ETag"]
        return response

    def mix(self):
        """Endless (label, request) pairs in a day's proportions."""
        base, tasks = self.base, itertools.cycle(self.task_ids)
        board_tasks = f"{base}/kiosk/{SITE}/board/tasks"
        rounds = itertools.count()
        while True:
            task = next(tasks)
            yield self.look_again
            yield self.look_again
            yield lambda: self.kiosk.get(board_tasks)
            yield lambda: self.kiosk.get(f"{base}/kiosk/{SITE}")
            yield lambda task=task: self.kiosk.get(f"{base}/kiosk/{SITE}/tasks/{task}")
            yield lambda: self.api.get(f"{base}/api/v1/sites/{SITE}/tasks")
            yield lambda: self.staff.get(f"{base}/staff/{SITE}/day/")
            yield lambda: self.worker.get(f"{base}/stats")
            if next(rounds) % 200 == 0:  # a few claims: the kiosk may take six a minute
                yield lambda task=task: self.claim(task)


def fire(visitors: Visitors, total: int, clients: int) -> dict[int, int]:
    work = visitors.mix()
    lock = threading.Lock()
    statuses: dict[int, int] = {}
    left = [total]

    def client():
        while True:
            with lock:
                if left[0] <= 0:
                    return
                left[0] -= 1
                call = next(work)
            status = call().status_code
            with lock:
                statuses[status] = statuses.get(status, 0) + 1

    threads = [threading.Thread(target=client) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return statuses


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("requests", nargs="?", type=int, default=10_000, help="requests to make (default 10000)")
    parser.add_argument("--clients", type=int, default=4, help="concurrent clients (default 4)")
    parser.add_argument("--quick", action="store_true", help=f"{QUICK} requests: does it all run?")
    args = parser.parse_args()
    if args.quick:
        args.requests = QUICK
    with tempfile.TemporaryDirectory(prefix="dropin-memory-") as tmp:
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        env = {**os.environ, "DROPIN_INSTANCE": tmp, "HOST": "127.0.0.1", "PORT": str(port)}
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))
        for name in ("DATABASE_URL", "SECRET_KEY"):
            env.pop(name, None)
        dropin(env, "db", "upgrade")
        dropin(env, "seed-demo")
        enroll_url = re.search(r"Open once in the kiosk's browser: (\S+)", dropin(env, "enroll-kiosk", SITE)).group(1)
        server = subprocess.Popen([str(DROPIN), "serve"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        try:
            wait_until_up(base, server)
            started = rss_kb(server.pid)[0]
            visitors = Visitors(base, enroll_url)
            began = time.monotonic()
            statuses = fire(visitors, args.requests, args.clients)
            seconds = time.monotonic() - began
            after, peak = rss_kb(server.pid)
        finally:
            server.terminate()
            server.wait(timeout=10)
    print(f"one `dropin serve` process, {args.requests} mixed requests from {args.clients} clients in {seconds:.1f} s")
    print(f"  statuses: {dict(sorted(statuses.items()))}, places taken: {visitors.claims}")
    print(f"  RSS after start:          {started / 1024:6.1f} MB")
    print(f"  RSS after {args.requests} requests: {after / 1024:6.1f} MB")
    print(f"  peak RSS (VmHWM):         {peak / 1024:6.1f} MB")
    figures = {
        "requests": args.requests,
        "clients": args.clients,
        "seconds": round(seconds, 1),
        "statuses": {str(status): count for status, count in sorted(statuses.items())},
        "rss_after_start_mb": round(started / 1024, 1),
        "rss_after_requests_mb": after / 1024,  # unrounded: the goal's limit is judged on it
        "peak_rss_mb": round(peak / 1024, 1),
    }
    print("FIGURES " + json.dumps(figures), flush=True)


if __name__ == "__main__":
    main()
