"""One app process behind nginx against two: requests per second and the factor between them.

    .venv/bin/python benchmarks/processes.py [--rounds 3] [--seconds 5] [--pg postgresql+psycopg://...]

The region of deploy/README.md on loopback (tests/integration/region.py): nginx running
deploy/nginx/dropin.conf over HTTPS, Redis for the rate limits, PostgreSQL (a throwaway cluster,
or --pg). One nginx sends to process 1 only, another to processes 1 and 2; the rounds alternate
between them, and the figures are medians. Two workloads: the board's task list
(GET /kiosk/<site>/board/tasks, the full list) and claims (POST /api/v1/tasks/<id>/claims with a
kiosk's token, over 16 tasks). wrk makes the load when Debian's wrk is installed, else a threaded
Python client; either way it runs on the same cores as the servers, as the output says.

The last line is `FIGURES {json}` for benchmarks/table.py; measure() returns the same dict.
"""

import argparse
import http.client
import json
import math
import os
import re
import shutil
import ssl
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import ExitStack
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # the region helpers live with the integration tests

from dropin import create_app
from dropin.extensions import db
from tests.factories import make_kiosk, make_site, make_task
from tests.integration.region import PUBLIC_HOST, RedisServer, binary, dropin_processes, nginx, region_env
from tests.pg import PostgresCluster

TASKS = 16  # claims spread over this many tasks, as many sites' kiosks would


def migrate_and_seed(url: str) -> tuple[str, list[int], str]:
    """The schema, a board of 8 tasks, and 16 roomy tasks for claims; returns the board's slug,
    the claim tasks and the kiosk's API token."""
    from flask_migrate import upgrade

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "benchmark"})
    with app.app_context():
        upgrade(directory=str(ROOT / "migrations"))
        board = make_site("lauta-" + os.urandom(3).hex())
        for n in range(8):
            make_task(board, title=f"Tehtävä {n + 1}", capacity=6)
        claims = make_site("paikat-" + os.urandom(3).hex())
        token = make_kiosk(claims).api_token
        tasks = [make_task(claims, capacity=1_000_000).id for _ in range(TASKS)]
        slug = board.slug
        db.session.commit()
        db.engine.dispose()
    return slug, tasks, token


def _scratch_dir(prefix: str) -> Path:
    return Path(tempfile.mkdtemp(prefix=prefix, dir="/dev/shm" if os.access("/dev/shm", os.W_OK) else None))


def claim_path(tasks: list[int], n: int) -> str:
    return f"/api/v1/tasks/{tasks[n % len(tasks)]}/claims"


def wrk_load(port: int, path: str, seconds: float, connections: int, claims: tuple[list[int], str] | None) -> dict:
    """wrk -t1 on one nginx; returns req/s and the count of answers that were not the expected kind."""
    script = ""
    if claims:
        tasks, token = claims
        script = (
            f"local ids = {{{', '.join(map(str, tasks))}}}\nlocal n = 0\n"
            "request = function()\n  n = n + 1\n"
            '  return wrk.format("POST", "/api/v1/tasks/" .. ids[n % #ids + 1] .. "/claims", '
            f'{{["Authorization"] = "Bearer {token}", ["Content-Length"] = "0"}}, "")\nend\n'
        )
    with tempfile.NamedTemporaryFile("w", suffix=".lua") as lua:
        lua.write(script)
        lua.flush()
        done = subprocess.run(
            [binary("wrk"), "-t1", f"-c{connections}", f"-d{max(1, round(seconds))}s", "-H", f"Host: {PUBLIC_HOST}"]
            + ["-H", "Accept-Encoding: gzip", "-s", lua.name, f"https://127.0.0.1:{port}{path}"],
            capture_output=True,
            text=True,
            check=True,
            stdin=subprocess.DEVNULL,
        )
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", done.stdout).group(1))
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", done.stdout)
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", done.stdout)
    unexpected = (int(bad.group(1)) if bad else 0) + (sum(map(int, errors.groups())) if errors else 0)
    return {"rps": rate, "unexpected": unexpected}


def python_load(port: int, path: str, seconds: float, connections: int, claims: tuple[list[int], str] | None) -> dict:
    """The same load from `connections` threads, each on one keep-alive HTTPS connection."""
    context = ssl.create_default_context()
    context.check_hostname, context.verify_mode = False, ssl.CERT_NONE
    counts, unexpected, lock = [0], [0], threading.Lock()
    deadline = time.perf_counter() + seconds

    def work(worker: int) -> None:
        conn = http.client.HTTPSConnection("127.0.0.1", port, timeout=30, context=context)
        n = worker
        while time.perf_counter() < deadline:
            headers = {"Host": PUBLIC_HOST, "Accept-Encoding": "gzip"}
            method, target = "GET", path
            if claims:
                method, target = "POST", claim_path(claims[0], n)
                headers.update({"Authorization": f"Bearer {claims[1]}", "Content-Length": "0"})
            try:
                conn.request(method, target, headers=headers)
                response = conn.getresponse()
                response.read()
                ok = response.status < 400
            except (OSError, http.client.HTTPException):
                conn.close()
                ok = False
            with lock:
                counts[0] += 1
                unexpected[0] += not ok
            n += connections
        conn.close()

    threads = [threading.Thread(target=work, args=(i,)) for i in range(connections)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return {"rps": counts[0] / (time.perf_counter() - started), "unexpected": unexpected[0]}


def _median_run(load, fronts: dict, path: str, claims, rounds: int, seconds: float, connections: int) -> dict:
    """Alternate the fronts each round (1, 2, then 2, 1, ...) and take each one's median."""
    runs = {name: [] for name in fronts}
    for port in fronts.values():
        load(port, path, 1.0, connections, claims)  # warm-up: connections, caches, every process
    for n in range(rounds):
        for name in list(fronts)[:: 1 if n % 2 == 0 else -1]:
            runs[name].append(load(fronts[name], path, seconds, connections, claims))
    one, two = (statistics.median(r["rps"] for r in runs[name]) for name in ("one", "two"))
    unexpected = sum(r["unexpected"] for name in runs for r in runs[name])
    return {"one_rps": round(one, 1), "two_rps": round(two, 1), "factor": round(two / one, 2), "unexpected": unexpected}


def measure(database_url: str | None = None, rounds: int = 3, seconds: float = 5.0, connections: int = 8) -> dict:
    """Start the region, load it through nginx with one process and with two; return the figures."""
    load, generator = (wrk_load, "wrk -t1") if binary("wrk") else (python_load, "python threads")
    with ExitStack() as stack:
        work = _scratch_dir("dropin-processes-")
        stack.callback(shutil.rmtree, work, ignore_errors=True)
        if database_url is None:
            cluster = PostgresCluster(_scratch_dir("dropin-processes-pg-"))  # its own: the postgres user owns it
            stack.callback(shutil.rmtree, cluster.dir, ignore_errors=True)
            cluster.start()
            stack.callback(cluster.stop)
            cluster.create_database("bench")
            database_url = cluster.url("bench")
        slug, tasks, token = migrate_and_seed(database_url)
        redis = RedisServer(work)
        redis.start()
        stack.callback(redis.stop)
        env = region_env(database_url, redis.url, work, {"DROPIN_KIOSK_CLAIM_RATE_LIMIT": "1000000 per minute"})
        ports = stack.enter_context(dropin_processes(2, env, work))
        fronts = {
            "one": stack.enter_context(nginx(work / "nginx-one", ports[:1])).https_port,
            "two": stack.enter_context(nginx(work / "nginx-two", ports)).https_port,
        }
        board = _median_run(load, fronts, f"/kiosk/{slug}/board/tasks", None, rounds, seconds, connections)
        claims = _median_run(load, fronts, claim_path(tasks, 0), (tasks, token), rounds, seconds, connections)
    return {
        "load_generator": f"{generator} -c{connections}",
        "cores": os.cpu_count(),
        # Other work on the machine takes the cores these figures need: judge them by this.
        "load_average": round(os.getloadavg()[0], 1),
        "rounds": rounds,
        "seconds": seconds,
        "board": board,
        "claims": claims,
        # The headline: the geometric mean of the two workloads' factors.
        "factor": round(math.sqrt(board["factor"] * claims["factor"]), 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3, help="rounds per configuration (default 3)")
    parser.add_argument("--seconds", type=float, default=5.0, help="seconds of load per run (default 5)")
    parser.add_argument("--connections", type=int, default=8, help="concurrent connections (default 8)")
    parser.add_argument("--pg", metavar="URL", help="an empty PostgreSQL database instead of a throwaway cluster")
    parser.add_argument("--quick", action="store_true", help="3 rounds of 2 s")
    args = parser.parse_args()
    seconds = 2.0 if args.quick else args.seconds
    url = args.pg and re.sub(r"^postgres(ql)?://", "postgresql+psycopg://", args.pg)
    figures = measure(url, max(args.rounds, 3), seconds, args.connections)
    print(
        f"through nginx (HTTPS), load from {figures['load_generator']} on the same {figures['cores']} cores, "
        f"medians of {figures['rounds']} alternating rounds of {seconds:g} s; load average {figures['load_average']}"
    )
    for name, label in (("board", "board list (GET, 200)"), ("claims", "claims (POST, 201)")):
        row = figures[name]
        print(
            f"{label:<22} 1 process {row['one_rps']:8.1f} req/s   2 processes {row['two_rps']:8.1f} req/s   "
            f"factor {row['factor']:.2f}   unexpected answers: {row['unexpected']}"
        )
    print(f"factor (geometric mean of the two): {figures['factor']:.2f}")
    if figures["load_average"] > figures["cores"]:
        # Linux shares the cores between sessions: with other work running, a second process gets no more CPU.
        print("warning: the machine was busy (load average over the core count); rerun on a quiet machine")
    print("FIGURES " + json.dumps(figures))


if __name__ == "__main__":
    main()
