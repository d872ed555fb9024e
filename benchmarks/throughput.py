"""Requests per second of dropin's busiest answers, as a share of a bare Flask hello-world.

    .venv/bin/python benchmarks/throughput.py [--quick] [--rounds 3] [--seconds 4] [--pg URL | --no-pg]

Both run as their own process on the same waitress settings (`dropin serve`: 8 threads, no
Server banner, untrusted proxy headers cleared), on free ports; dropin on a fresh demo SQLite
file (migrated, `seed-demo`). Each row alternates the hello-world and dropin (ref, dropin, ref,
dropin, ...), 8 keep-alive clients, and prints the medians and their ratio. Every answer's status
is checked: a fast 404 is no result. The claim row runs on SQLite and on PostgreSQL: the --pg
database, else a throwaway cluster (fsync on, as in production) when PostgreSQL is installed.
The last line is `FIGURES {json}` for benchmarks/table.py.
"""

import argparse
import http.client
import json
import os
import statistics
import sys
import tempfile
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import asdict, dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # dropin itself, and the factories of the tests

from benchmarks.load import Load, Round, generator, hammer
from benchmarks.servers import THREADS, dropin_server, hello_server

CLIENTS = 8


@dataclass(frozen=True)
class Demo:
    url: str
    slug: str
    api_token: str
    enroll_token: str


@dataclass(frozen=True)
class Row:
    reference_rps: float
    subject_rps: float
    ratio: float
    p95_ms: float  # dropin's, median over rounds
    unexpected: int  # answers of another status than expected, both servers, every round
    failed: int  # requests with no answer at all


def prepare(url: str) -> Demo:
    """Migrate the database, load the demo and enroll a kiosk; its tokens are shown once, so keep them."""
    from flask_migrate import upgrade

    from dropin import create_app
    from dropin.demo.today import DEMO_SITE, seed_demo
    from dropin.extensions import db
    from dropin.kiosks import enroll_kiosk
    from dropin.sites import find_site

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "benchmark-setup"})
    with app.app_context():
        upgrade(directory=str(ROOT / "migrations"))
        seed_demo()
        enrollment = enroll_kiosk(find_site(DEMO_SITE), "Benchmark")
        db.session.commit()
        demo = Demo(url, DEMO_SITE, enrollment.api_token, enrollment.enroll_token)
        db.engine.dispose()
    return demo


def roomy_task(demo: Demo) -> int:
    """A new task of today at the demo site, open now, with room for every claim a round can make."""
    from dropin import create_app
    from dropin.extensions import db
    from dropin.sites import find_site
    from tests.factories import make_task

    app = create_app({"SQLALCHEMY_DATABASE_URI": demo.url, "SECRET_KEY": "benchmark-setup"})
    with app.app_context():
        task = make_task(find_site(demo.slug), title="Kuormitustesti", capacity=1_000_000)
        db.session.commit()
        task_id = task.id
        db.engine.dispose()
    return task_id


def _get(base: str, path: str, headers: dict[str, str] | None = None) -> http.client.HTTPResponse:
    host, port = base.removeprefix("http://").split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=10)
    conn.request("GET", path, headers=headers or {})
    response = conn.getresponse()
    response.read()
    conn.close()
    return response


def kiosk_cookie(base: str, demo: Demo) -> str:
    """The Cookie header of the demo's enrolled kiosk (the enrollment link works once)."""
    response = _get(base, f"/kiosk/enroll/{demo.enroll_token}")
    if response.status != 302:
        raise RuntimeError(f"enrolling the kiosk answered {response.status}")
    return response.getheader("Set-Cookie").split(";", 1)[0]


def board_etag(base: str, path: str) -> str:
    response = _get(base, path)
    if response.status != 200 or not response.getheader("ETag"):
        raise RuntimeError(f"{path} answered {response.status} without an ETag")
    return response.getheader("ETag")


def compare(ref: tuple[str, Load], subject: Callable[[], tuple[str, Load]], rounds: int, seconds: float) -> Row:
    """Alternate the reference and the subject; `subject` is asked for its load before each round."""
    hammer(*ref, seconds=1, connections=CLIENTS)  # warm-up: first requests, lazy imports
    hammer(*subject(), seconds=1, connections=CLIENTS)
    refs: list[Round] = []
    subjects: list[Round] = []
    for _ in range(rounds):
        refs.append(hammer(*ref, seconds=seconds, connections=CLIENTS))
        subjects.append(hammer(*subject(), seconds=seconds, connections=CLIENTS))
    reference_rps = statistics.median(r.per_second for r in refs)
    subject_rps = statistics.median(r.per_second for r in subjects)
    return Row(
        reference_rps=round(reference_rps, 1),
        subject_rps=round(subject_rps, 1),
        ratio=round(subject_rps / reference_rps, 4) if reference_rps else 0.0,
        p95_ms=round(statistics.median(r.p95_ms for r in subjects), 2),
        unexpected=sum(r.unexpected for r in refs + subjects),
        failed=sum(r.failed for r in refs + subjects),
    )


def show(name: str, row: Row) -> None:
    print(
        f"  {name:<28} hello {row.reference_rps:7.0f} req/s   dropin {row.subject_rps:7.0f} req/s   "
        f"{row.ratio:6.1%}   dropin p95 {row.p95_ms:6.1f} ms   unexpected status {row.unexpected}   "
        f"failed {row.failed}",
        flush=True,
    )


def measure(sqlite: Demo, pg: Demo | None, rounds: int, seconds: float, workdir: Path) -> dict[str, Row]:
    rows: dict[str, Row] = {}

    def run(name: str, ref: tuple[str, Load], subject: Callable[[], tuple[str, Load]]) -> None:
        rows[name] = compare(ref, subject, rounds, seconds)
        show(name, rows[name])

    with hello_server(workdir) as hello:
        ref = (hello, Load("/"))
        with dropin_server(sqlite.url, workdir, "sqlite") as base:
            board, tasks = f"/kiosk/{sqlite.slug}", f"/kiosk/{sqlite.slug}/board/tasks"
            cookie = {"Cookie": kiosk_cookie(base, sqlite)}
            run("board", ref, lambda: (base, Load(board)))
            run("board_enrolled", ref, lambda: (base, Load(board, headers=cookie)))
            run("tasks_api", ref, lambda: (base, Load(f"/api/v1/sites/{sqlite.slug}/tasks")))
            # The ETag is asked for before each round: a task starting or ending changes the list.
            run(
                "board_304",
                ref,
                lambda: (base, Load(tasks, headers={"If-None-Match": board_etag(base, tasks)}, expected=304)),
            )
            run("claim_sqlite", ref, lambda: (base, claim_load(sqlite)))
        if pg is not None:
            with dropin_server(pg.url, workdir, "postgresql") as base:
                run("claim_postgresql", ref, lambda: (base, claim_load(pg)))
    return rows


def claim_load(demo: Demo) -> Load:
    """A claim through the API with the kiosk's token, on a new task each round so none fills up."""
    path = f"/api/v1/tasks/{roomy_task(demo)}/claims"
    return Load(path, method="POST", headers={"Authorization": f"Bearer {demo.api_token}"}, expected=201)


def postgres_url(given: str) -> str:
    return given.replace("postgresql://", "postgresql+psycopg://", 1).replace("postgres://", "postgresql+psycopg://", 1)


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="one round of 1 s per server: does it all run?")
    parser.add_argument("--rounds", type=int, default=3, help="rounds per server and row (default 3)")
    parser.add_argument("--seconds", type=float, default=4, help="seconds per round (default 4)")
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--pg", metavar="URL", help="PostgreSQL database for the claim row (migrated and seeded here)")
    group.add_argument("--no-pg", action="store_true", help="leave out the PostgreSQL claim row")
    args = parser.parse_args(argv)
    rounds, seconds = (1, 1.0) if args.quick else (args.rounds, args.seconds)
    if rounds < 1 or seconds < 1:
        parser.error("need at least 1 round of at least 1 s")
    print(
        f"throughput: {generator()}, {CLIENTS} connections, {rounds} round(s) of {seconds:g} s per server and row, "
        f"alternating; waitress {THREADS} threads; load average {os.getloadavg()[0]:.2f}",
        flush=True,
    )
    with tempfile.TemporaryDirectory(prefix="dropin-throughput-") as tmp, ExitStack() as stack:
        workdir = Path(tmp)
        sqlite = prepare(f"sqlite:///{workdir / 'bench.sqlite'}")
        pg_url = postgres_url(args.pg) if args.pg else None
        if pg_url is None and not args.no_pg:
            from benchmarks.postgres import throwaway_postgres

            urls = stack.enter_context(throwaway_postgres("throughput"))
            pg_url = urls[0] if urls else None
        pg = prepare(pg_url) if pg_url else None
        rows = measure(sqlite, pg, rounds, seconds, workdir)
    figures = {
        "load_generator": generator(),
        "rounds": rounds,
        "seconds": seconds,
        "clients": CLIENTS,
        "loadavg": round(os.getloadavg()[0], 2),
        "rows": {name: asdict(row) for name, row in rows.items()},
    }
    if pg is None:
        figures["not_measured"] = {"claim_postgresql": "no PostgreSQL (--no-pg, or not installed)"}
    print("FIGURES " + json.dumps(figures), flush=True)
    return figures


if __name__ == "__main__":
    main()
