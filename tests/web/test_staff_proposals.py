"""Reviewing partners' proposals, /staff/<site>/proposals, and /staff/planning over HTTP."""

import re
from datetime import timedelta

import sqlalchemy as sa

from dropin.extensions import db
from dropin.models import AuditEvent, DayRecord, Proposal, Task
from dropin.models.proposal import ProposalStatus
from tests.helpers import count_rows, site_id, token_of

# --- /staff/planning and the menu -----------------------------------------------------------------


def test_planning_takes_single_site_staff_to_the_waiting_proposals(client, app, planning, login_as):
    login_as("staff", sites=["satama"])
    response = client.get("/staff/planning")
    assert response.headers["Location"].endswith(f"/staff/{planning['site']}/proposals")
    client.post(
        f"/staff/{planning['site']}/proposals/{planning['proposal']}/reject",
        data={"csrf_token": token_of(client, f"/staff/{planning['site']}/proposals")},
    )
    assert client.get("/staff/planning").headers["Location"].endswith(f"/staff/{planning['site']}/templates")


def test_admin_sees_every_site_with_its_count(client, planning, login_as):
    login_as("admin")
    html = client.get("/staff/planning").get_data(as_text=True)
    assert "Olohuone satama" in html
    assert "Olohuone muu" in html
    assert 'class="badge">1<' in html


def test_menu_shows_the_pending_count_of_ones_own_sites(client, planning, login_as):
    login_as("staff", sites=["satama"])
    html = client.get(f"/staff/{planning['site']}/templates").get_data(as_text=True)
    assert "Pohjat ja ehdotukset" in html
    assert re.search(r'Pohjat ja ehdotukset <span class="badge">1<', html)
    admin = client.application.test_client()
    login_as("admin", client=admin)
    assert re.search(
        r'Pohjat ja ehdotukset <span class="badge">2<', admin.get("/staff/partners").get_data(as_text=True)
    )


# --- reviewing proposals --------------------------------------------------------------------------


def test_staff_see_their_sites_proposals_with_the_partner(client, planning, login_as):
    login_as("staff", sites=["satama"])
    html = client.get(f"/staff/{planning['site']}/proposals").get_data(as_text=True)
    assert "Haravointi" in html
    assert "Luontoyhdistys Kurki ry" in html
    assert "Muualla" not in html
    assert "kurki@example.org" not in html


def test_approval_creates_exactly_one_task_and_a_second_does_nothing(client, app, planning, login_as):
    login_as("staff", sites=["satama"])
    page = f"/staff/{planning['site']}/proposals"
    approve = f"{page}/{planning['proposal']}/approve"
    response = client.post(approve, data={"csrf_token": token_of(client, page)})
    assert response.status_code == 302
    assert "Hyväksytty." in client.get(page).get_data(as_text=True)
    response = client.post(approve, data={"csrf_token": token_of(client, page)})
    assert response.status_code == 302
    assert "Ehdotus on jo käsitelty." in client.get(page).get_data(as_text=True)
    with app.app_context():
        [task] = db.session.scalars(sa.select(Task)).all()
        assert (task.title, task.partner_id, task.date) == (
            "Haravointi",
            planning["partner"],
            planning["today"] + timedelta(days=2),
        )
        [event] = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "proposal.approve")).all()
        assert event.after["task_id"] == task.id
        assert event.user_email == "staff@example.org"
        assert event.before == {"status": "pending"}
    day = client.get(f"/staff/{planning['site']}/day/{task.date.isoformat()}").get_data(as_text=True)
    assert "Haravointi" in day


def test_reject_keeps_the_proposal_and_writes_an_audit_event(client, app, planning, login_as):
    login_as("staff", sites=["satama"])
    page = f"/staff/{planning['site']}/proposals"
    response = client.post(f"{page}/{planning['proposal']}/reject", data={"csrf_token": token_of(client, page)})
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(Proposal, planning["proposal"]).status == "rejected"
        assert count_rows(app, Task) == 0
        [event] = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "proposal.reject")).all()
        assert (event.before, event.after) == ({"status": "pending"}, {"status": "rejected"})


def test_approval_on_a_closed_day_is_refused_unless_admin(client, app, planning, login_as):
    with app.app_context():
        db.session.add(DayRecord(site_id=site_id(app, planning["site"]), date=planning["today"] + timedelta(days=2)))
        db.session.commit()
    page = f"/staff/{planning['site']}/proposals"
    approve = f"{page}/{planning['proposal']}/approve"
    login_as("staff", sites=["satama"])
    client.post(approve, data={"csrf_token": token_of(client, page)})
    assert "Päivä on jo suljettu." in client.get(page).get_data(as_text=True)
    assert count_rows(app, Task) == 0
    admin = client.application.test_client()
    login_as("admin", client=admin)
    admin.post(approve, data={"csrf_token": token_of(admin, page)})
    assert count_rows(app, Task) == 1


def test_tampered_proposal_ids_of_another_site_are_refused(client, app, planning, login_as):
    login_as("staff", sites=["satama"])
    s, o, q = planning["site"], planning["other"], planning["other_proposal"]
    token = token_of(client, f"/staff/{s}/proposals")
    assert client.post(f"/staff/{s}/proposals/{q}/approve", data={"csrf_token": token}).status_code == 404
    assert client.post(f"/staff/{s}/proposals/{q}/reject", data={"csrf_token": token}).status_code == 404
    assert client.post(f"/staff/{o}/proposals/{q}/approve", data={"csrf_token": token}).status_code == 403
    assert client.post(f"/staff/{s}/proposals/{2**40}/approve", data={"csrf_token": token}).status_code == 404
    assert count_rows(app, Task) == 0
    assert count_rows(app, Proposal, Proposal.status == ProposalStatus.PENDING) == 2
