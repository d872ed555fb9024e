"""Keeping the daily rollups right: built when read, dropped with any change of a past day's raw
rows, rebuilt when a past day is closed; today is always read raw. On SQLite and PostgreSQL."""

from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from dropin.claims.service import end_claims
from dropin.extensions import db
from dropin.models import Claim, DailyRollup, DayRecord, Feedback, RolledUpDay
from dropin.models.base import utcnow
from dropin.models.claim import ClaimStatus
from dropin.staff import service as staff
from dropin.stats import rollups, staleness
from dropin.stats.query import StatsQuery
from tests.factories import make_partner, make_site
from tests.stats_rollups import claim, from_raw_rows, from_rollups, task_on

pytestmark = pytest.mark.usefixtures("ctx")


@pytest.fixture
def site():
    made = make_site("satama")
    db.session.commit()
    return made


def _rolled(site_id: int, day: date) -> bool:
    return db.session.get(RolledUpDay, (site_id, day)) is not None


def _past() -> date:
    return rollups.horizon() - timedelta(days=3)


def _query(first: date, last: date) -> StatsQuery:
    return StatsQuery(first, last)


def test_a_read_rolls_past_days_up_and_leaves_the_last_two_days_raw(site):
    today = utcnow().date()
    for day in (_past(), rollups.horizon() - timedelta(days=1), rollups.horizon(), today):
        claim(task_on(site, day, capacity=5))
    db.session.commit()
    q = _query(_past() - timedelta(days=1), today)
    assert from_rollups(q) == from_raw_rows(q)
    assert from_rollups(q)["current"]["claims"] == 4
    assert _rolled(site.id, _past())
    assert _rolled(site.id, rollups.horizon() - timedelta(days=1))
    assert not _rolled(site.id, rollups.horizon())
    assert not _rolled(site.id, today)
    rows = db.session.scalars(sa.select(DailyRollup).where(DailyRollup.date == _past())).all()
    assert [(r.tasks, r.places, r.claims, r.kept) for r in rows] == [(1, 5, 1, 1)]


def test_a_day_never_closed_is_rolled_up_with_its_open_tasks(site):
    task = task_on(site, _past(), capacity=3)
    claim(task)
    claim(task, status=ClaimStatus.RELEASED)
    db.session.commit()
    q = _query(_past(), _past())
    figures = from_rollups(q)["current"]
    assert (figures["days"], figures["closed_days"], figures["tasks"], figures["claims"], figures["kept"]) == (
        1,
        0,
        1,
        2,
        1,
    )
    assert _rolled(site.id, _past())
    assert from_rollups(q) == from_raw_rows(q)


def test_a_claim_change_after_close_drops_the_day_in_the_same_transaction(site):
    task = task_on(site, _past(), status="closed", participants=2)
    first, _second = claim(task), claim(task)
    db.session.add(DayRecord(site_id=site.id, date=_past(), meals_participants=2, meals_others=1))
    db.session.commit()
    q = _query(_past(), _past())
    assert from_rollups(q)["current"]["kept"] == 2
    db.session.commit()
    assert _rolled(site.id, _past())
    end_claims(ClaimStatus.CANCELLED, Claim.id == first.id)  # a bulk UPDATE, as staff cancelling does
    assert not _rolled(site.id, _past())
    db.session.commit()
    assert from_rollups(q)["current"]["kept"] == 1
    assert from_rollups(q) == from_raw_rows(q)


def test_an_orm_change_of_a_past_day_drops_it_and_the_day_it_moved_from(site):
    other = _past() - timedelta(days=2)
    task = task_on(site, _past(), capacity=4)
    db.session.add(Feedback(site_id=site.id, date=other, category="cleanup", useful=3))
    db.session.commit()
    q = _query(other, _past())
    from_rollups(q)
    db.session.commit()
    assert _rolled(site.id, _past())
    assert _rolled(site.id, other)
    task.date = other
    db.session.flush()
    assert not _rolled(site.id, _past())
    assert not _rolled(site.id, other)
    db.session.commit()
    assert from_rollups(q) == from_raw_rows(q)
    assert from_rollups(q)["by_day"] == {other: {"tasks": 1, "places": 4, "participations": 0, "claims": 0}}


def test_closing_a_past_day_rebuilds_its_rollup_at_once(site):
    task = task_on(site, _past(), capacity=4)
    claim(task)
    db.session.commit()
    q = _query(_past(), _past())
    assert from_rollups(q)["current"]["closed_days"] == 0
    db.session.commit()
    results = {task.id: staff.TaskResult(participants=3, outcome=None)}
    staff.close_day(site, _past(), results, 3, 2, None, None, admin=True, confirm_unfinished=True)
    assert _rolled(site.id, _past())  # rebuilt by the close itself, not by the next read
    db.session.commit()
    assert rollups.ensure(None, _past(), _past()) == 0
    figures = from_rollups(q)["current"]
    assert (figures["closed_days"], figures["participations"], figures["meals_others"]) == (1, 3, 2)
    assert from_rollups(q) == from_raw_rows(q)


def test_closing_and_reopening_today_never_rolls_it_up(site):
    today = site.today()
    task = task_on(site, today, capacity=4)
    claim(task)
    db.session.commit()
    results = {task.id: staff.TaskResult(participants=1, outcome=None)}
    staff.close_day(site, today, results, 1, 0, None, None, confirm_unfinished=True)
    db.session.commit()
    q = _query(today - timedelta(days=1), today)
    assert from_rollups(q)["current"]["closed_days"] == 1
    staff.reopen_day(site, today)
    db.session.commit()
    assert from_rollups(q)["current"]["closed_days"] == 0
    assert from_rollups(q) == from_raw_rows(q)
    assert not _rolled(site.id, today)


def test_todays_claims_cost_no_statement_on_the_rollups(site, app):
    from tests.helpers import counted_queries

    task = task_on(site, site.today())
    db.session.commit()
    with counted_queries(app) as statements:
        claim(task)
        db.session.commit()
    assert not [s for s in statements if "rolled_up_days" in s or "daily_rollups" in s]


def test_filters_read_the_rollups_as_they_read_raw_rows(site):
    muu, kurki = make_site("muu"), make_partner("Kurki ry")
    for where, partner, category in ((site, kurki, "cleanup"), (muu, None, "baking"), (site, None, "cooking")):
        task = task_on(where, _past(), partner=partner, category=category, status="closed", participants=2)
        claim(task, first_time=True)
        task.outcome_amount, task.outcome_unit = 1.5, "säkkiä"
    db.session.commit()
    for filters in ({}, {"site": muu}, {"partner": kurki}, {"category": "cooking"}):
        q = StatsQuery(_past() - timedelta(days=5), _past(), **filters)
        assert from_rollups(q) == from_raw_rows(q), filters


def test_the_command_rolls_up_every_past_day_and_all_again(site, runner):
    task_on(site, _past())
    db.session.commit()
    days = (rollups.horizon() - _past()).days  # from the first day with data to the horizon
    result = runner.invoke(args=["rollup-stats"])
    assert result.exit_code == 0, result.output
    assert f"Rolled up {days} site-days" in result.output
    assert "Rolled up 0 site-days" in runner.invoke(args=["rollup-stats"]).output
    assert f"Rolled up {days} site-days" in runner.invoke(args=["rollup-stats", "--all"]).output


def test_a_bulk_insert_of_more_claims_than_a_statement_takes_parameters_finds_its_task_days(site):
    # seed-history inserts a few years' claims at once: their tasks' days are looked up in batches,
    # as PostgreSQL takes at most 65,535 parameters in one statement.
    task_id, site_id = task_on(site, _past(), capacity=5).id, site.id
    db.session.commit()
    db.session.expunge_all()  # not in the session: its day is read from the database
    assert staleness._task_days(db.session, {task_id, *range(10**6, 10**6 + 70_000)}) == {(site_id, _past())}
