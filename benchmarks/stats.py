"""Server time and queries of the statistics page on five years of history for three sites.

    .venv/bin/python benchmarks/stats.py [--runs 20] [--years 5] [--sites 3] [--pg postgresql+psycopg://...]

Loads the history with `seed-history` into a fresh SQLite file (and, with --pg, into the given
PostgreSQL database, migrated here if needed: it keeps the rows), then asks for the page as the
demo project worker through Flask's test client, for three periods. Prints the median and the
95th percentile of the server time and the SQL statements per page view (counted with a
before_cursor_execute listener).
"""

import argparse
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from dropin import create_app
from dropin.demo.today import DEMO_PASSWORD
from dropin.extensions import db


def migrate_and_seed(url: str, years: int, sites: int) -> float:
    from flask_migrate import upgrade

    from dropin.demo.history import seed_history

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "benchmark"})
    with app.app_context():
        upgrade(directory=str(ROOT / "migrations"))
        started = time.perf_counter()
        summary = seed_history(years, sites)
        db.session.commit()
        seconds = time.perf_counter() - started
        print(
            f"  seed-history: {summary.tasks} tasks, {summary.claims} claims, {summary.feedback} feedback "
            f"answers in {seconds:.1f} s"
        )
        db.engine.dispose()
    return seconds


def periods(today: date, years: int) -> list[tuple[str, str]]:
    return [
        ("this month", ""),
        ("last year", f"from={today.year - 1}-01-01&to={today.year - 1}-12-31"),
        (
            f"all {years} years",
            f"from={(today - timedelta(days=round(365.25 * years))).isoformat()}&to={today.isoformat()}",
        ),
    ]


def run(label: str, url: str, runs: int, years: int, sites: int) -> None:
    print(f"{label}:")
    migrate_and_seed(url, years, sites)
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": url,
            "SECRET_KEY": "benchmark",
            "WTF_CSRF_ENABLED": False,
            "RATELIMIT_ENABLED": False,
        }
    )
    client = app.test_client()
    response = client.post("/login", data={"email": "worker@example.org", "password": DEMO_PASSWORD})
    assert response.status_code == 302, response.status_code
    statements = []
    with app.app_context():
        engine = db.engine
    sa.event.listen(engine, "before_cursor_execute", lambda *args: statements.append(args[2]))
    for name, query in periods(date.today(), years):
        for path in ("/stats", "/stats/report", "/stats/export.xlsx"):
            if path != "/stats" and name == "this month":
                continue
            client.get(f"{path}?{query}")  # warm the caches once
            times, counts = [], []
            for _ in range(runs):
                statements.clear()
                started = time.perf_counter()
                response = client.get(f"{path}?{query}")
                times.append((time.perf_counter() - started) * 1000)
                counts.append(len(statements))
                assert response.status_code == 200, response.status_code
            p95 = statistics.quantiles(times, n=20)[-1] if runs >= 2 else times[0]
            print(
                f"  {path:<18} {name:<14} median {statistics.median(times):7.1f} ms   p95 {p95:7.1f} ms   "
                f"queries per view {max(counts)}"
            )
    with app.app_context():
        db.engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20, help="page views per measurement (default 20)")
    parser.add_argument("--years", type=int, default=5, help="years of history (default 5)")
    parser.add_argument("--sites", type=int, default=3, help="sites (default 3)")
    parser.add_argument("--pg", metavar="URL", help="also benchmark this PostgreSQL database")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="dropin-bench-") as tmp:
        run("sqlite", f"sqlite:///{Path(tmp) / 'bench.sqlite'}", args.runs, args.years, args.sites)
    if args.pg:
        url = args.pg.replace("postgresql://", "postgresql+psycopg://", 1).replace(
            "postgres://", "postgresql+psycopg://", 1
        )
        run("postgresql", url, args.runs, args.years, args.sites)


if __name__ == "__main__":
    main()
