"""`dropin rollup-stats`: roll past days up ahead of the first statistics page that reads them."""

import time

import click
from flask.cli import with_appcontext

from dropin.extensions import db
from dropin.stats import rollups
from dropin.stats.query import EARLIEST, LATEST


@click.command("rollup-stats")
@click.option("--all", "everything", is_flag=True, help="Build every day again, not only the missing ones.")
@with_appcontext
def rollup_stats_command(everything: bool):
    """Roll up the statistics of every past day not rolled up yet (all of them with --all)."""
    started = time.perf_counter()
    if everything:
        rollups.drop_all()
    days = rollups.ensure(None, EARLIEST, LATEST)
    db.session.commit()
    seconds = time.perf_counter() - started
    click.echo(f"Rolled up {days} site-days in {seconds:.1f} s (the days before {rollups.horizon()}).")
