"""Server time and queries of the statistics pages on years of history for many sites.

    .venv/bin/python benchmarks/stats.py [--runs 5] [--years 5] [--sites 20] [--pg postgresql+psycopg://...]

Loads the history with `seed-history` into a fresh SQLite file (and, with --pg, into the given
PostgreSQL database, migrated here if needed: it keeps the rows), rolls the past days up as
`dropin rollup-stats` does (the steady state: a day is rolled up once, when first read or closed),
then asks for the pages as the demo project worker through Flask's test client, for three
periods. Prints the median and the 95th percentile of the server time and the SQL statements per
page view (counted with a before_cursor_execute listener), then the rows of issue 13's table.

`figures()` returns the same numbers as a dict. The last line is `FIGURES {json}` for
benchmarks/table.py (see `table_figures()`); without --pg the PostgreSQL figures are left out and
`not_measured` says why.
"""

import argparse
import json
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

PAGES = ("/stats", "/stats/report", "/stats/export.xlsx")


def migrate_and_seed(url: str, years: int, sites: int) -> dict:
    """Seed the history and roll it up; returns the seconds each took and the claims seeded."""
    from flask_migrate import upgrade

    from dropin.demo.history import seed_history
    from dropin.stats import rollups
    from dropin.stats.query import EARLIEST, LATEST

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "benchmark"})
    with app.app_context():
        upgrade(directory=str(ROOT / "migrations"))
        started = time.perf_counter()
        summary = seed_history(years, sites)
        db.session.commit()
        seeded = time.perf_counter() - started
        print(
            f"  seed-history: {summary.tasks} tasks, {summary.claims} claims, {summary.feedback} feedback "
            f"answers in {seeded:.1f} s"
        )
        started = time.perf_counter()
        days = rollups.ensure(None, EARLIEST, LATEST)
        db.session.commit()
        rolled = time.perf_counter() - started
        print(f"  rollup-stats: {days} site-days rolled up in {rolled:.1f} s")
        db.engine.dispose()
    return {"seed_s": seeded, "rollup_s": rolled, "claims": summary.claims, "site_days": days}


def periods(today: date, years: int) -> list[tuple[str, str]]:
    return [
        ("this month", ""),
        ("last year", f"from={today.year - 1}-01-01&to={today.year - 1}-12-31"),
        (
            f"all {years} years",
            f"from={(today - timedelta(days=round(365.25 * years))).isoformat()}&to={today.isoformat()}",
        ),
    ]


def measure(url: str, runs: int, years: int) -> dict[tuple[str, str], dict]:
    """{(page, period): {"median_ms", "p95_ms", "queries"}} of `runs` views each, after one warm-up."""
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
    results = {}
    for name, query in periods(date.today(), years):
        for path in PAGES:
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
            results[(path, name)] = {"median_ms": statistics.median(times), "p95_ms": p95, "queries": max(counts)}
            print(
                f"  {path:<18} {name:<14} median {statistics.median(times):7.1f} ms   p95 {p95:7.1f} ms   "
                f"queries per view {max(counts)}"
            )
    with app.app_context():
        db.engine.dispose()
    return results


def run(label: str, url: str, runs: int, years: int, sites: int) -> dict:
    print(f"{label}:")
    loaded = migrate_and_seed(url, years, sites)
    return {**loaded, "pages": measure(url, runs, years)}


def figures(sites: int = 20, years: int = 5, runs: int = 5, pg: str | None = None) -> dict[str, dict]:
    """{"sqlite": ..., "postgresql": ...}: the seed and rollup times and every page's figures."""
    found = {}
    with tempfile.TemporaryDirectory(prefix="dropin-bench-") as tmp:
        found["sqlite"] = run("sqlite", f"sqlite:///{Path(tmp) / 'bench.sqlite'}", runs, years, sites)
    if pg:
        url = pg.replace("postgresql://", "postgresql+psycopg://", 1).replace("postgres://", "postgresql+psycopg://", 1)
        found["postgresql"] = run("postgresql", url, runs, years, sites)
    return found


def goal_rows(found: dict[str, dict], years: int) -> list[tuple[str, str, str]]:
    """The rows of issue 13's table: (what, SQLite, PostgreSQL), medians in ms."""

    def cell(kind: str, *keys) -> str:
        if kind not in found:
            return "-"
        return " / ".join(f"{found[kind]['pages'][key]['median_ms']:.0f}" for key in keys)

    every = f"all {years} years"
    rows = [("/stats, last year (goal < 100 ms)", ("/stats", "last year"))]
    rows.append((f"/stats / report / XLSX, {every} (goal < 250 ms)", *((page, every) for page in PAGES)))
    return [(label, cell("sqlite", *keys), cell("postgresql", *keys)) for label, *keys in rows]


def table_figures(found: dict[str, dict], sites: int, years: int, runs: int) -> dict:
    """The figures benchmarks/table.py reads: /stats for last year per database, and each page for
    all the years on the slower of the databases measured; medians in ms."""
    every = f"all {years} years"
    slower = {page: max(found[kind]["pages"][(page, every)]["median_ms"] for kind in found) for page in PAGES}
    figures: dict = {
        "sites": sites,
        "years": years,
        "runs": runs,
        "databases": sorted(found),
        "stats_last_year_ms": {kind: found[kind]["pages"][("/stats", "last year")]["median_ms"] for kind in found},
        "all_years_ms": slower,
    }
    if "postgresql" not in found:
        figures["not_measured"] = {"postgresql": "no PostgreSQL (no --pg given)"}
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="page views per measurement (default 5)")
    parser.add_argument("--years", type=int, default=5, help="years of history (default 5)")
    parser.add_argument("--sites", type=int, default=20, help="sites (default 20)")
    parser.add_argument("--pg", metavar="URL", help="also benchmark this PostgreSQL database")
    args = parser.parse_args()
    runs = max(args.runs, 3)
    found = figures(args.sites, args.years, runs, args.pg)
    print(f"\nIssue 13, {args.sites} sites, {args.years} years, medians of {runs} views (ms):")
    print(f"  {'':<48} {'SQLite':>18} {'PostgreSQL':>18}")
    for label, on_sqlite, on_pg in goal_rows(found, args.years):
        print(f"  {label:<48} {on_sqlite:>18} {on_pg:>18}")
    if "postgresql" not in found:
        print("  PostgreSQL not measured: no --pg given")
    print("FIGURES " + json.dumps(table_figures(found, args.sites, args.years, runs)), flush=True)


if __name__ == "__main__":
    main()
