"""A site's data version moves with every change to what its board shows, in the same transaction."""

from datetime import time, timedelta

import pytest
import sqlalchemy as sa

from dropin import data_version
from dropin.admin.service import revoke_kiosk
from dropin.claims.refusals import TaskFull
from dropin.claims.service import claim_place, release_claim
from dropin.extensions import db
from dropin.kiosks import redeem_enrollment
from dropin.models import Claim, DayRecord, Partner, Proposal, Task
from dropin.partners.service import create_link, find_link
from dropin.staff import claim_desk, service
from dropin.staff.proposal_review import approve_proposal
from tests.factories import make_kiosk, make_partner, make_site, make_task, make_template
from tests.helpers import counted_queries

pytestmark = pytest.mark.usefixtures("ctx")


def committed_version(site_id: int) -> int:
    db.session.commit()
    db.session.expire_all()
    return data_version.current(site_id)


@pytest.fixture
def site():
    site = make_site()
    make_site("muu")
    db.session.commit()
    return site


def bumps(site, change) -> bool:
    """Whether `change`, committed, moved the site's version (and left other sites' alone)."""
    before = committed_version(site.id)
    other_site = db.session.scalar(sa.text("SELECT id FROM sites WHERE slug = 'muu'"))
    other_before = data_version.current(other_site)
    change()
    after = committed_version(site.id)
    assert data_version.current(other_site) == other_before
    return after > before


def test_claims_and_releases_bump_the_version(site):
    task = make_task(site, capacity=2)
    holder = {}
    assert bumps(site, lambda: holder.update(claim=claim_place(task)[0]))
    assert bumps(site, lambda: release_claim(holder["claim"]))


def test_staff_changes_bump_the_version(site):
    task = make_task(site, capacity=2)
    assert bumps(site, lambda: make_task(site, title="Uusi"))
    assert bumps(site, lambda: service.update_task(task, {"title": "Haravointi"}))
    assert bumps(site, lambda: service.walk_in(task))
    assert bumps(site, lambda: service.cancel_task(task, "Sataa"))


def test_closing_and_reopening_the_day_bump_the_version(site):
    start = site.now() - timedelta(hours=3)
    make_task(site, start_time=time(0, 0), end_time=max(time(0, 1), start.time().replace(microsecond=0)))
    day = site.today()
    assert bumps(site, lambda: service.close_day(site, day, {}, 0, 0, None, None, confirm_unfinished=True))
    assert db.session.scalar(sa.select(DayRecord).where(DayRecord.site_id == site.id)) is not None
    assert bumps(site, lambda: service.reopen_day(site, day))


def test_an_approved_proposal_bumps_the_version(site):
    partner = make_partner()
    link = find_link(create_link(partner, site).token)
    proposal = Proposal(
        link=link,
        date=site.today() + timedelta(days=1),
        start_time=time(10),
        end_time=time(12),
        title="Vieraslajitalkoot",
        category="nature",
        place="Puisto",
        capacity=4,
    )
    db.session.add(proposal)
    assert bumps(site, lambda: approve_proposal(proposal, None))


def test_a_partner_renamed_bumps_the_sites_that_show_its_tasks(site):
    partner = make_partner(sites=[site])
    make_task(site, partner=partner)
    assert bumps(site, lambda: setattr(db.session.get(Partner, partner.id), "name", "Uusi nimi ry"))


def test_a_kiosk_enrolled_or_revoked_bumps_the_version(site):
    """An enrolled kiosk's board differs from a public one: dropin.board_polls sends answers again by version."""
    enrollment = make_kiosk(site)
    db.session.commit()
    assert bumps(site, lambda: redeem_enrollment(enrollment.enroll_token))
    assert bumps(site, lambda: revoke_kiosk(enrollment.kiosk))


def test_what_the_board_does_not_show_leaves_the_version_alone(site):
    task = make_task(site)
    claim, _ = claim_place(task)
    assert not bumps(site, lambda: make_template(site))
    assert not bumps(site, lambda: db.session.scalars(sa.select(Task)).all())
    assert not bumps(site, lambda: setattr(claim, "first_time", True))
    assert not bumps(site, lambda: claim_desk.mark_arrived(claim))


def test_a_refused_claim_rolled_back_leaves_the_version_alone(site):
    task = make_task(site, capacity=1)
    claim_place(task)
    before = committed_version(site.id)
    with pytest.raises(TaskFull):
        claim_place(task)
    db.session.rollback()
    assert data_version.current(site.id) == before


def test_one_bump_per_transaction(site):
    task = make_task(site, capacity=5)
    before = committed_version(site.id)
    claim_place(task)
    claim_place(task)
    service.update_task(task, {"title": "Toinen"})
    assert committed_version(site.id) == before + 1


def test_a_claim_takes_three_statements_after_the_task_is_loaded(app, site):
    task = make_task(site, capacity=5)
    db.session.commit()
    task = db.session.get(Task, task.id)
    task.site  # noqa: B018  (loaded, as the views have it)
    with counted_queries(app) as statements:
        claim, token = claim_place(task, token="retry-token")
        db.session.commit()
    writes = [s for s in statements if not s.lstrip().upper().startswith(("SAVEPOINT", "RELEASE"))]
    assert len(writes) == 3, "\n".join(s[:90] for s in statements)  # the lock, the task with its count, the INSERT
    assert db.session.scalar(sa.select(sa.func.count(Claim.id))) == 1
    assert claim.code
    assert claim.task_id == task.id
