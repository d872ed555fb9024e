"""Partners, templates, proposal links and proposals: the rules, called directly."""

import hashlib
import json
from datetime import time, timedelta

import pytest
import sqlalchemy as sa

from dropin.extensions import db
from dropin.models import AuditEvent, DayRecord, Partner, PartnerLink, Proposal, Site, Task
from dropin.models.proposal import ProposalStatus
from dropin.partners import service
from dropin.staff import proposal_review, task_templates
from dropin.staff.forms import partner_choices
from dropin.staff.service import DayClosed
from tests.factories import make_partner, make_site, make_task

pytestmark = pytest.mark.usefixtures("ctx")

PARTNER = {
    "name": "Luontoyhdistys Kurki ry",
    "kind": "Yhdistys",
    "contact_person": "Sanna Esimerkki",
    "phone": "040 000 0001",
    "email": "kurki@example.org",
    "notes": "Välineet varastolta.",
}
TEMPLATE = {
    "title": "Roskien keruu",
    "category": "cleanup",
    "place": "Ranta",
    "weekdays": "135",
    "start_time": time(10, 0),
    "end_time": time(12, 0),
    "capacity": 5,
    "outcome_unit": "säkkiä roskia",
}


def a_site():
    """The test's site: made on first use."""
    return db.session.scalar(sa.select(Site).where(Site.slug == "testi")) or make_site()


def create(values: dict = PARTNER):
    return service.create_partner(values, [a_site()])


def count(model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def events(action: str) -> list[AuditEvent]:
    return list(db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == action)))


def all_audit_text() -> str:
    return json.dumps([[e.action, e.before, e.after] for e in db.session.scalars(sa.select(AuditEvent))])


def proposal_values(day, **kw) -> dict:
    values = {
        "date": day,
        "start_time": time(10, 0),
        "end_time": time(12, 0),
        "title": "Haravointi",
        "description": "Haravoidaan lehtiä.",
        "category": "gardening",
        "place": "Puisto",
        "capacity": 4,
        "bring": "Lämmin takki",
    }
    values.update(kw)
    return values


# --- partners ---------------------------------------------------------------------------------


def test_create_partner_is_audited_with_its_fields():
    partner = create()
    [event] = events("partner.create")
    assert event.entity_id == partner.id
    assert event.after["name"] == PARTNER["name"]
    assert event.after["email"] == PARTNER["email"]
    assert event.before is None


@pytest.mark.parametrize("name", ["Luontoyhdistys Kurki ry", "LUONTOYHDISTYS KURKI RY"])
def test_partner_names_are_unique_whatever_the_case(name):
    create()
    with pytest.raises(service.PartnerNameTaken):
        create({**PARTNER, "name": name})
    assert count(Partner) == 1


def test_the_unique_index_has_the_last_word_when_two_requests_race(monkeypatch):
    create()
    monkeypatch.setattr(service, "_ensure_unique_name", lambda *args: None)  # as if checked at the same time
    with pytest.raises(service.PartnerNameTaken):
        create(dict(PARTNER))
    # Only the savepoint was rolled back: the session goes on.
    assert count(Partner) == 1
    assert len(events("partner.create")) == 1


def test_renaming_a_partner_to_another_partners_name_is_refused():
    create()
    other = create({**PARTNER, "name": "Toinen ry"})
    with pytest.raises(service.PartnerNameTaken):
        service.update_partner(other, {**PARTNER, "name": "luontoyhdistys kurki ry"})


def test_update_partner_audits_only_what_changed():
    partner = create()
    service.update_partner(partner, {**PARTNER, "phone": "040 000 0009"})
    [event] = events("partner.update")
    assert event.before == {"phone": "040 000 0001"}
    assert event.after == {"phone": "040 000 0009"}
    service.update_partner(partner, {**PARTNER, "phone": "040 000 0009"})
    assert len(events("partner.update")) == 1  # no change, no event


def test_archive_keeps_the_partner_and_its_tasks_and_can_be_undone(app):
    site = a_site()
    partner = create()
    task = make_task(site, partner_id=partner.id)
    assert service.set_archived(partner, True) is True
    assert service.set_archived(partner, True) is False  # twice changes nothing
    db.session.expire_all()
    assert db.session.get(Partner, partner.id).archived_at is not None
    assert db.session.get(Task, task.id).partner_id == partner.id
    active, archived = service.partners_by_state()
    assert active == []
    assert [p.id for p in archived] == [partner.id]
    with app.test_request_context():  # the choices carry a translated "no partner"
        assert partner.id not in dict(partner_choices(site))
        assert service.set_archived(partner, False) is True
        assert partner.archived_at is None
        assert partner.id in dict(partner_choices(site))
    assert [e.action for e in db.session.scalars(sa.select(AuditEvent).order_by(AuditEvent.id))] == [
        "partner.create",
        "partner.archive",
        "partner.unarchive",
    ]


def test_partners_by_state_sorts_by_name():
    for name in ("Öljykerho", "aamuseura", "Bingo ry"):
        make_partner(name)
    active, _archived = service.partners_by_state()
    assert [p.name for p in active][:2] == ["aamuseura", "Bingo ry"]


# --- proposal links ---------------------------------------------------------------------------


def test_link_token_is_returned_once_and_only_its_hash_is_stored():
    site, partner = make_site(), make_partner()
    created = service.create_link(partner, site)
    db.session.commit()
    assert len(created.token) >= 43  # 32 random bytes
    stored = db.session.execute(sa.select(PartnerLink.__table__)).mappings().one()
    assert stored["token_hash"] == hashlib.sha256(created.token.encode()).hexdigest()
    assert created.token not in json.dumps({k: str(v) for k, v in stored.items()})
    audit_text = all_audit_text()
    assert created.token not in audit_text
    assert stored["token_hash"] not in audit_text
    assert service.find_link(created.token).id == created.link.id


def test_two_links_never_share_a_token():
    site, partner = make_site(), make_partner()
    assert service.create_link(partner, site).token != service.create_link(partner, site).token


@pytest.mark.parametrize("token", ["", "x", "a" * 200])
def test_unknown_or_odd_tokens_find_no_link(token):
    service.create_link(make_partner(), make_site())
    assert service.find_link(token) is None


def test_revoked_link_and_archived_partners_link_stop_working():
    site, partner = make_site(), make_partner()
    revoked, archived = service.create_link(partner, site), service.create_link(make_partner("Toinen"), site)
    assert service.revoke_link(revoked.link) is True
    assert service.revoke_link(revoked.link) is False
    service.set_archived(archived.link.partner, True)
    assert service.find_link(revoked.token) is None
    assert service.find_link(archived.token) is None
    [event] = events("partner_link.revoke")
    assert event.before == {"revoked_at": None}
    assert event.after["revoked_at"]


def test_links_of_lists_working_links_first():
    site, partner = make_site(), make_partner()
    old = service.create_link(partner, site).link
    new = service.create_link(partner, site).link
    service.revoke_link(old)
    assert [link.id for link in service.links_of(partner)] == [new.id, old.id]


# --- templates --------------------------------------------------------------------------------


def test_template_create_update_pause_are_audited():
    site = make_site()
    template = task_templates.create_template(site, TEMPLATE)
    task_templates.update_template(template, {**TEMPLATE, "weekdays": "1234567", "capacity": 6})
    assert task_templates.set_paused(template, True) is True
    assert task_templates.set_paused(template, True) is False
    running, paused = task_templates.templates_of(site)
    assert running == []
    assert paused == [template]
    task_templates.set_paused(template, False)
    actions = [e.action for e in db.session.scalars(sa.select(AuditEvent).order_by(AuditEvent.id))]
    assert actions == ["template.create", "template.update", "template.pause", "template.resume"]
    update = events("template.update")[0]
    assert update.before == {"weekdays": "135", "capacity": 5}
    assert update.after == {"weekdays": "1234567", "capacity": 6}
    assert events("template.create")[0].after["outcome_unit"] == "säkkiä roskia"


def test_templates_of_shows_only_the_sites_own():
    site, other = make_site(), make_site("muu")
    task_templates.create_template(site, TEMPLATE)
    task_templates.create_template(other, {**TEMPLATE, "title": "Muualla"})
    running, _paused = task_templates.templates_of(site)
    assert [t.title for t in running] == ["Roskien keruu"]


# --- proposals --------------------------------------------------------------------------------


@pytest.fixture
def proposal():
    site = make_site()
    link = service.create_link(make_partner(), site).link
    return service.submit_proposal(link, proposal_values(site.today() + timedelta(days=3)))


def test_submit_proposal_waits_for_staff_and_is_audited(proposal):
    assert proposal.status == ProposalStatus.PENDING
    [event] = events("proposal.submit")
    assert event.user_id is None
    assert event.after["title"] == "Haravointi"
    assert event.after["partner_id"] == proposal.link.partner_id
    assert proposal_review.pending_count(None) == 1
    assert proposal_review.pending_count([proposal.link.site_id]) == 1
    assert proposal_review.pending_count([]) == 0
    assert proposal_review.pending_per_site([proposal.link.site_id]) == {proposal.link.site_id: 1}


def test_approval_creates_exactly_one_task_of_the_partner(proposal):
    task = proposal_review.approve_proposal(proposal, None)
    assert (task.partner_id, task.site_id, task.date) == (
        proposal.link.partner_id,
        proposal.link.site_id,
        proposal.date,
    )
    assert (task.title, task.capacity, task.bring, task.setting) == ("Haravointi", 4, "Lämmin takki", "outdoor")
    assert proposal.status == ProposalStatus.APPROVED
    assert proposal.task_id == task.id
    assert proposal.decided_at
    with pytest.raises(proposal_review.ProposalDecided):
        proposal_review.approve_proposal(proposal, None)
    with pytest.raises(proposal_review.ProposalDecided):
        proposal_review.reject_proposal(proposal, None)
    assert count(Task) == 1
    [event] = events("proposal.approve")
    assert event.before == {"status": "pending"}
    assert event.after["task_id"] == task.id
    assert events("task.create")[0].entity_id == task.id
    assert proposal_review.pending_proposals(proposal.link.site) == []


def test_a_stale_copy_of_a_decided_proposal_cannot_be_approved_again(proposal):
    """Two staff open the page; the second click finds the proposal decided by the first."""
    proposal_id = proposal.id
    db.session.execute(
        sa.update(Proposal)
        .where(Proposal.id == proposal_id)
        .values(status=ProposalStatus.REJECTED)
        .execution_options(synchronize_session=False)
    )
    # The object in the session still says pending: the conditional UPDATE has the last word.
    assert proposal.status == ProposalStatus.PENDING
    with pytest.raises(proposal_review.ProposalDecided):
        proposal_review.approve_proposal(proposal, None)
    assert count(Task) == 0


def test_approval_on_a_closed_day_needs_an_admin(proposal):
    db.session.add(DayRecord(site_id=proposal.link.site_id, date=proposal.date))
    db.session.flush()
    with pytest.raises(DayClosed):
        proposal_review.approve_proposal(proposal, None)
    assert proposal.status == ProposalStatus.PENDING
    assert count(Task) == 0
    proposal_review.approve_proposal(proposal, None, admin=True)
    assert count(Task) == 1


def test_a_proposal_for_a_day_gone_by_can_only_be_rejected(proposal):
    proposal.date = proposal.link.site.today() - timedelta(days=1)
    with pytest.raises(proposal_review.ProposalInPast):
        proposal_review.approve_proposal(proposal, None)
    proposal_review.reject_proposal(proposal, None)
    assert proposal.status == ProposalStatus.REJECTED
    assert count(Task) == 0
    [event] = events("proposal.reject")
    assert event.after == {"status": "rejected"}
    assert proposal_review.recent_decisions(proposal.link.site) == [proposal]


def test_proposals_are_listed_per_site_soonest_first():
    site, other = make_site(), make_site("muu")
    link = service.create_link(make_partner(), site).link
    other_link = service.create_link(make_partner("B"), other).link
    later = service.submit_proposal(link, proposal_values(site.today() + timedelta(days=9)))
    sooner = service.submit_proposal(link, proposal_values(site.today() + timedelta(days=2)))
    service.submit_proposal(other_link, proposal_values(site.today() + timedelta(days=1)))
    assert proposal_review.pending_proposals(site) == [sooner, later]


def test_audit_never_holds_tokens_or_claim_codes(proposal):
    from dropin.claims.service import claim_place

    site = proposal.link.site
    created = service.create_link(proposal.link.partner, site)
    task = proposal_review.approve_proposal(proposal, None)
    task.date = site.today()
    task.start_time, task.end_time = time(0, 0), time(23, 59)
    claim, claim_token = claim_place(task)
    service.revoke_link(created.link)
    text = all_audit_text()
    for secret in (created.token, created.link.token_hash, claim_token, claim.code, claim.token_hash):
        assert secret not in text


def test_a_double_tap_sends_the_proposal_once(proposal):
    again = service.submit_proposal(proposal.link, proposal_values(proposal.date))
    assert again.id == proposal.id
    assert count(Proposal) == 1
    other_time = service.submit_proposal(
        proposal.link, proposal_values(proposal.date, start_time=time(13, 0), end_time=time(14, 0))
    )
    assert other_time.id != proposal.id
    assert len(events("proposal.submit")) == 2
