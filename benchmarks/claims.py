"""Claims per second through two waitress processes on one database.

    .venv/bin/python benchmarks/claims.py [N] [--workers 16] [--pg postgresql+psycopg://...]

Every run uses a fresh SQLite file; with --pg, the given (migrated here if needed) PostgreSQL
database too, with a site of its own. One task with N places takes all N claims, so every
claim queues on the same row lock: the busiest case a drop-in space can produce.
"""

import argparse
import statistics
import sys
import tempfile
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # the helpers live with the integration tests

from dropin import create_app
from tests.integration import active_claims, claimable_task, fire_claims, waitress_servers


def migrate(url: str) -> None:
    from flask_migrate import upgrade

    from dropin.extensions import db

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "benchmark"})
    with app.app_context():
        upgrade(directory=str(ROOT / "migrations"))
        db.engine.dispose()


def run(label: str, url: str, claims: int, workers: int, workdir: Path) -> None:
    migrate(url)
    task_id, token = claimable_task(url, capacity=claims, slug=f"bench-{uuid.uuid4().hex[:8]}")
    with waitress_servers(url, workdir, count=2) as bases:
        outcomes, seconds = fire_claims(bases, task_id, token, total=claims, workers=workers)
    taken = [o for o in outcomes if o.status == 201]
    failed = len(outcomes) - len(taken)
    cuts = statistics.quantiles([o.seconds * 1000 for o in outcomes], n=100, method="inclusive")
    print(
        f"{label:<10} {len(taken):>6} claims in {seconds:6.2f} s = {len(taken) / seconds:7.0f} claims/s   "
        f"p50 {cuts[49]:6.1f} ms   p95 {cuts[94]:6.1f} ms   not 201: {failed}   "
        f"active in db: {active_claims(url, task_id)}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("claims", nargs="?", type=int, default=1000, help="claims to make (default 1000)")
    parser.add_argument("--workers", type=int, default=16, help="concurrent clients (default 16)")
    parser.add_argument("--pg", metavar="URL", help="also benchmark this PostgreSQL database")
    args = parser.parse_args()
    if args.claims < 2 or args.workers < 1:
        parser.error("need at least 2 claims and 1 worker")
    print(f"{args.claims} claims from {args.workers} clients, two waitress processes with 8 threads each")
    with tempfile.TemporaryDirectory(prefix="dropin-bench-") as tmp:
        run("sqlite", f"sqlite:///{Path(tmp) / 'bench.sqlite'}", args.claims, args.workers, Path(tmp))
        if args.pg:
            url = args.pg.replace("postgresql://", "postgresql+psycopg://", 1).replace(
                "postgres://", "postgresql+psycopg://", 1
            )
            run("postgresql", url, args.claims, args.workers, Path(tmp))


if __name__ == "__main__":
    main()
