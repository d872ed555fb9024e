"""The code on the receipt at the staff desk: finding a claim by its code, arrivals and releases, on both databases."""

from datetime import time, timedelta

import pytest
import sqlalchemy as sa

from dropin.claims.refusals import TaskEnded
from dropin.claims.service import active_counts, claim_place
from dropin.extensions import db
from dropin.models import AuditEvent, Claim, DayRecord
from dropin.models.claim import ClaimStatus
from dropin.staff import claim_desk, service
from tests.factories import make_site, make_task

pytestmark = pytest.mark.usefixtures("ctx")


def _claim(task, code: str | None = None) -> Claim:
    claim, _token = claim_place(task)
    if code:
        claim.code = code
        db.session.flush()
    return claim


def _past_claim(site, days_ago: int, code: str) -> Claim:
    """A claim of a task `days_ago` days back, as the kiosk took it on that day."""
    task = make_task(site, date=site.today() - timedelta(days=days_ago), start_time=time(10), end_time=time(12))
    claim = Claim(task=task, code=code, token_hash=f"{days_ago:064x}")
    db.session.add(claim)
    db.session.flush()
    return claim


def _audits(action: str) -> list[AuditEvent]:
    return db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == action)).all()


@pytest.mark.parametrize("typed", ["ACD34", "acd34", " acd34 ", "ACD-34", "a c d 3 4", "Acd-34"])
def test_a_code_is_found_however_it_is_typed(typed):
    site = make_site()
    claim = _claim(make_task(site), "ACD34")
    assert claim_desk.normalize_code(typed) == "ACD34"
    assert claim_desk.find_claims(site, typed) == [claim]


@pytest.mark.parametrize("typed", ["", "   ", "--", "ACD34!", "x" * 40, "ÅÄÖ12", "ACD/34"])
def test_nonsense_is_no_code(typed):
    site = make_site()
    _claim(make_task(site), "ACD34")
    assert claim_desk.normalize_code(typed) is None
    assert claim_desk.find_claims(site, typed) == []


def test_only_this_sites_claims_of_today_and_the_last_seven_days():
    site, other = make_site("satama"), make_site("muu")
    _claim(make_task(other), "ACD34")
    week_old = _past_claim(site, 7, "FGH67")
    _past_claim(site, 8, "JKM79")
    assert claim_desk.find_claims(site, "ACD34") == []  # another site's code
    assert claim_desk.find_claims(site, "fgh67") == [week_old]
    assert claim_desk.find_claims(site, "JKM79") == []  # eight days old
    assert claim_desk.find_claims(site, "QQQQQ") == []


def test_a_code_two_claims_share_lists_both_todays_first():
    """Codes are unique per task, not per site: staff see every claim of the code, the newest day first."""
    site = make_site()
    older = _past_claim(site, 3, "ACD34")
    today = _claim(make_task(site), "ACD34")
    assert claim_desk.find_claims(site, "acd34") == [today, older]


def test_claim_at_desk_is_one_of_the_codes_claims():
    site = make_site()
    claim = _claim(make_task(site), "ACD34")
    other = _claim(make_task(site, title="Leivonta"), "FGH67")
    assert claim_desk.claim_at_desk(site, "acd34", claim.id) == claim
    assert claim_desk.claim_at_desk(site, "ACD34", other.id) is None
    assert claim_desk.claim_at_desk(make_site("muu"), "ACD34", claim.id) is None


def test_arrival_is_marked_once_and_audited_once():
    site = make_site()
    claim = _claim(make_task(site), "ACD34")
    db.session.commit()
    assert claim_desk.mark_arrived(claim) is True
    first = claim.arrived_at
    assert first is not None
    assert claim_desk.mark_arrived(claim) is False  # a second tap changes nothing
    db.session.commit()
    assert db.session.get(Claim, claim.id).arrived_at == first
    events = _audits("claim.arrive")
    assert len(events) == 1
    assert (events[0].entity, events[0].entity_id, events[0].site_id) == ("claim", claim.id, site.id)
    # The audit log holds no visitor data: not even the code.
    assert "ACD34" not in repr((events[0].before, events[0].after))


def test_an_arrival_can_be_undone():
    site = make_site()
    claim = _claim(make_task(site))
    claim_desk.mark_arrived(claim)
    assert claim_desk.undo_arrival(claim) is True
    assert claim.arrived_at is None
    assert claim_desk.undo_arrival(claim) is False
    assert len(_audits("claim.unarrive")) == 1


def test_no_arrival_for_a_place_given_back_or_on_a_closed_day():
    site = make_site()
    task = make_task(site)
    released = _claim(task)
    released.status = ClaimStatus.RELEASED
    held = _claim(task)
    db.session.flush()
    with pytest.raises(claim_desk.PlaceNotHeld):
        claim_desk.mark_arrived(released)
    db.session.add(DayRecord(site_id=site.id, date=site.today(), meals_participants=0, meals_others=0))
    db.session.flush()
    with pytest.raises(service.DayClosed):
        claim_desk.mark_arrived(held)
    assert held.arrived_at is None
    assert not claim_desk.desk_claim(held).can_arrive


def test_staff_release_the_place_as_the_visitor_would():
    site = make_site()
    task = make_task(site, capacity=2)
    claim = _claim(task, "ACD34")
    db.session.commit()
    assert claim_desk.desk_claim(claim).can_release
    assert claim_desk.release_for_visitor(claim) is True
    assert claim.status == ClaimStatus.RELEASED
    assert claim.ended_at is not None
    assert active_counts([task.id])[task.id] == 0
    assert claim_desk.release_for_visitor(claim) is False  # already given back: nothing more
    events = _audits("claim.release")
    assert len(events) == 1
    assert events[0].after == {"status": ClaimStatus.RELEASED}
    assert not claim_desk.desk_claim(claim).can_release


def test_a_place_in_an_ended_task_is_not_released_by_staff_either():
    site = make_site()
    claim = _past_claim(site, 1, "ACD34")
    with pytest.raises(TaskEnded):
        claim_desk.release_for_visitor(claim)
    assert claim.status == ClaimStatus.ACTIVE
    assert not claim_desk.desk_claim(claim).can_release
    assert _audits("claim.release") == []


def test_what_the_desk_may_do_follows_the_claim():
    site = make_site()
    claim = _claim(make_task(site))
    fresh = claim_desk.desk_claim(claim)
    assert (fresh.can_arrive, fresh.can_undo_arrival, fresh.can_release) == (True, False, True)
    claim_desk.mark_arrived(claim)
    arrived = claim_desk.desk_claim(claim)
    assert (arrived.can_arrive, arrived.can_undo_arrival, arrived.can_release) == (False, True, True)
    assert arrived.arrived_at.tzinfo is not None
    assert arrived.arrived_at.utcoffset() == site.now().utcoffset()  # the site's local time
