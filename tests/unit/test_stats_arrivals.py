"""'Arrived of claimed' on the known data set of tests/stats_data.py, with check-ins added, on both databases.

Check-ins are optional, so the figure counts only tasks where staff marked at least one arrival:
the claims still held there (or that arrived before they were given back), and of them the arrived.
"""

from datetime import date

import pytest
import sqlalchemy as sa

from dropin.extensions import db
from dropin.models import Claim, Task
from dropin.models.base import utcnow
from dropin.models.claim import ClaimStatus
from dropin.stats import tables, totals
from dropin.stats.query import StatsQuery
from tests.stats_data import known_data

pytestmark = pytest.mark.usefixtures("ctx")

MARCH = StatsQuery(date(2026, 3, 1), date(2026, 3, 31))


@pytest.fixture
def request_ctx(app):
    with app.test_request_context():
        yield


def arrive(site, day: date, n: int, status: str = ClaimStatus.ACTIVE) -> None:
    """Mark `n` of the claims of that status arrived, in the site's task of that day."""
    claims = db.session.scalars(
        sa.select(Claim)
        .join(Task, Task.id == Claim.task_id)
        .where(Task.site_id == site.id, Task.date == day, Claim.status == status)
        .order_by(Claim.id)
        .limit(n)
    ).all()
    assert len(claims) == n
    for claim in claims:
        claim.arrived_at = utcnow()
    db.session.flush()


def test_only_tasks_with_check_ins_count_and_given_back_places_stay_out():
    data = known_data()
    # T5 (muu, 2.3.): 7 claims held, all 7 arrived. T1, T2 and T4 have no check-ins: not counted.
    arrive(data["muu"], date(2026, 3, 2), 7)
    db.session.commit()
    f = totals.collect(MARCH).current
    assert (f.checked_claims, f.arrived) == (7, 7)
    assert (f.claims, f.kept) == (24, 19)  # the other figures stay as they were
    p = totals.collect(MARCH).previous
    assert (p.checked_claims, p.arrived) == (0, 0)


def test_a_released_place_counts_only_when_the_visitor_had_arrived():
    data = known_data()
    satama = data["satama"]
    # T1 and T2 are both on 2.3. at satama: T1 has 5 held and 1 released, T2 4 held and 2 released.
    t1 = db.session.scalar(
        sa.select(Task).where(Task.site_id == satama.id, Task.category == "cleanup", Task.date == date(2026, 3, 2))
    )
    held = db.session.scalars(
        sa.select(Claim).where(Claim.task_id == t1.id, Claim.status == ClaimStatus.ACTIVE).order_by(Claim.id)
    ).all()
    for claim in held[:2]:
        claim.arrived_at = utcnow()
    released = db.session.scalar(sa.select(Claim).where(Claim.task_id == t1.id, Claim.status == ClaimStatus.RELEASED))
    released.arrived_at = utcnow()  # came, then left early and gave the place back
    db.session.commit()
    f = totals.collect(MARCH).current
    # T1 only: 5 held + the released one that arrived = 6; arrived 3. T2 (no check-ins) is left out.
    assert (f.checked_claims, f.arrived) == (6, 3)


def test_the_published_figure_and_its_rate(request_ctx):
    data = known_data()
    arrive(data["muu"], date(2026, 3, 2), 7)
    arrive(data["satama"], date(2026, 3, 10), 3)  # T4: 3 held, 3 arrived
    db.session.commit()
    view = tables.build(MARCH, totals.collect(MARCH), {}, small=5)
    f = view.figures
    assert f["checked_claims"].current.value == 10
    assert f["arrived"].current.value == 10
    assert f["arrival_rate"].current.value == pytest.approx(100.0)
    assert f["arrival_rate"].previous.missing  # no check-ins in February: nothing to divide


def test_a_small_count_of_arrivals_is_suppressed(request_ctx):
    data = known_data()
    arrive(data["muu"], date(2026, 3, 2), 2)  # 2 of T5's 7
    arrive(data["satama"], date(2026, 3, 10), 1)  # 1 of T4's 3
    db.session.commit()
    raw = totals.collect(MARCH)
    assert (raw.current.checked_claims, raw.current.arrived) == (10, 3)
    f = tables.build(MARCH, raw, {}, small=5).figures
    assert f["checked_claims"].current.value == 10
    assert f["arrived"].current.hidden
    assert f["arrived"].current.small  # shown as "<5"
    assert f["arrived"].current.value is None  # a hidden cell never carries its value
    assert f["arrival_rate"].current.hidden
    assert f["arrived"].change.hidden


def test_a_total_that_would_pin_a_small_count_is_hidden_too(request_ctx):
    data = known_data()
    arrive(data["muu"], date(2026, 3, 2), 3)  # 7 = 3 arrived + 4 not: the 7 would tell the 3 is 3 or 4
    db.session.commit()
    f = tables.build(MARCH, totals.collect(MARCH), {}, small=5).figures
    assert f["arrived"].current.small
    assert f["checked_claims"].current.hidden
    assert not f["checked_claims"].current.small  # "..", withheld to protect the small count
    assert f["arrival_rate"].current.hidden


def test_arrivals_shown_would_reveal_a_small_complement(request_ctx):
    data = known_data()
    arrive(data["muu"], date(2026, 3, 2), 6)  # 6 of 7 arrived: 7 - 6 would say that 1 did not come
    db.session.commit()
    f = tables.build(MARCH, totals.collect(MARCH), {}, small=5).figures
    assert f["arrived"].current.hidden
    assert not f["arrived"].current.small  # "..", not "<5": the 6 itself is not small
    assert f["arrival_rate"].current.hidden
