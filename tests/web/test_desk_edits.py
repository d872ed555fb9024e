"""A week at the desk (issue #11) over HTTP: walk-ins over capacity, stale edit forms, task times."""

import re
from datetime import time, timedelta
from html import unescape
from types import SimpleNamespace

import pytest
import sqlalchemy as sa

from dropin.claims.service import claim_place
from dropin.extensions import db
from dropin.models import Claim, Site, Task, TaskTemplate
from dropin.models.claim import ClaimStatus
from dropin.models.proposal import Proposal
from dropin.partners import service as partners
from tests.factories import make_kiosk, make_partner, make_site, make_task, make_user
from tests.helpers import audit_rows, count_rows, csrf_token, login, token_of
from tests.web.filled_forms import proposal_data, template_data

FULL_QUESTION = "Tehtävä on täynnä. Lisää silti yli paikkamäärän?"
EDITED_MEANWHILE = "Joku muu muutti tehtävää sillä välin. Tarkista tiedot ja tallenna uudelleen."
PAST_END_QUESTION = "Tehtävän loppuaika on jo mennyt. Lisätäänkö silti?"


@pytest.fixture
def desk(app):
    """Site satama with a task of two places, its staff member (two of them) and an enrolled kiosk."""
    with app.app_context():
        site = make_site("satama")
        task = make_task(site, title="Roskien keruu", capacity=2)
        make_user("staff@example.org", "staff", sites=[site])
        make_user("toinen@example.org", "staff", sites=[site])
        enrollment = make_kiosk(site)
        db.session.commit()
        return SimpleNamespace(
            site=site.slug,
            site_id=site.id,
            today=site.today(),
            task=task.id,
            day=f"/staff/satama/day/{site.today().isoformat()}",
            edit=f"/staff/satama/tasks/{task.id}/edit",
            walk_in=f"/staff/satama/tasks/{task.id}/walk-in",
            over=f"/staff/satama/tasks/{task.id}/walk-in/over-capacity",
            enroll=f"/kiosk/enroll/{enrollment.enroll_token}",
            api_token=enrollment.api_token,
        )


def fill(app, task_id: int) -> None:
    with app.app_context():
        task = db.session.get(Task, task_id)
        for _ in range(task.capacity):
            claim_place(task)
        db.session.commit()


def active(app, task_id: int) -> int:
    return count_rows(app, Claim, Claim.task_id == task_id, Claim.status == ClaimStatus.ACTIVE)


def edit_data(page: str, **overrides) -> dict:
    """The edit form as a browser sends it back: every field as the page shows it, then `overrides`."""
    data = {name: unescape(value) for name, value in re.findall(r'<input[^>]*name="(\w+)"[^>]*value="([^"]*)"', page)}
    for name, value in re.findall(r'<textarea[^>]*name="(\w+)"[^>]*>(.*?)</textarea>', page, re.S):
        data[name] = unescape(value).strip()
    for name, options in re.findall(r'<select[^>]*name="(\w+)"[^>]*>(.*?)</select>', page, re.S):
        # A browser sends the selected option, or the first when none is.
        chosen = re.search(r'<option selected value="([^"]*)"', options) or re.search(r'value="([^"]*)"', options)
        data[name] = chosen.group(1)
    for box in ("confirm_below", "confirm_past_end", "meal_included"):
        if not re.search(rf'<input checked[^>]*name="{box}"', page):
            data.pop(box, None)
    return {**data, **overrides}


# --- Walk-ins over capacity ----------------------------------------------------------------------


def test_a_walk_in_to_a_full_task_asks_before_going_over_capacity(client, app, desk):
    fill(app, desk.task)
    login(client, "staff@example.org")
    day = client.get(desk.day).get_data(as_text=True)
    # A full task's button leads to the question, not straight to a place.
    assert f'href="{desk.over}"' in day
    # Posted as before, without the confirmation, it is refused with today's message.
    refused = client.post(desk.walk_in, data={"csrf_token": csrf_token(day)})
    assert refused.status_code == 303
    assert refused.headers["Location"] == desk.over
    assert active(app, desk.task) == 2
    question = client.get(desk.over).get_data(as_text=True)
    assert "Tehtävä on täynnä." in question
    assert FULL_QUESTION in question
    confirmed = client.post(desk.walk_in, data={"csrf_token": csrf_token(question), "over_capacity": "y"})
    assert confirmed.status_code == 303
    assert confirmed.headers["Location"] == desk.walk_in
    code = client.get(desk.walk_in).get_data(as_text=True)
    with app.app_context():
        claim = db.session.scalar(sa.select(Claim).where(Claim.source == "staff"))
        assert claim.over_capacity is True
    assert claim.code in code
    assert active(app, desk.task) == 3
    day = client.get(desk.day).get_data(as_text=True)
    counts = re.sub(r"<[^>]+>|\s+", "", day.split('class="staff-task-count"')[1].split("</p>")[0])
    assert counts.startswith(">3/2(1yli)paikkaavarattu")
    row = next(t for t in client.get(f"{desk.day}/live.json").get_json()["tasks"] if t["id"] == desk.task)
    assert (row["active"], row["capacity"], row["over"], row["free"], row["walk_ins"]) == (3, 2, 1, 0, 1)
    assert audit_rows(app, "claim.walk_in")[-1].after == {"source": "staff", "over_capacity": True}


def test_a_task_with_room_shows_no_over_capacity_mark(client, app, desk):
    login(client, "staff@example.org")
    day = client.get(desk.day).get_data(as_text=True)
    assert "data-over hidden" in day
    assert f'action="{desk.walk_in}"' in day


def test_the_visitors_path_stays_refused_when_full_even_when_asked_to_go_over(client, app, desk):
    fill(app, desk.task)
    assert client.get(desk.enroll).status_code == 302
    details = client.get(f"/kiosk/satama/tasks/{desk.task}").get_data(as_text=True)
    assert "Tämä tehtävä on täynnä." in details
    claim = f"/kiosk/satama/tasks/{desk.task}/claim"
    # A full task's details have no form: the kiosk's own token, from its session, as a forged post would.
    client.post(claim, data={"csrf_token": token_of(client, "/login"), "over_capacity": "y"})
    response = client.post(
        f"/api/v1/tasks/{desk.task}/claims",
        json={"over_capacity": True},
        headers={"Authorization": f"Bearer {desk.api_token}"},
    )
    assert response.status_code == 409
    assert active(app, desk.task) == 2
    with app.app_context():
        assert not db.session.scalar(sa.select(sa.func.count()).where(Claim.over_capacity.is_(True)))


# --- Stale forms ---------------------------------------------------------------------------------


def test_two_staff_saving_the_same_task_the_second_sees_the_current_values(app, desk, login_as):
    first, second = app.test_client(), app.test_client()
    login(first, "staff@example.org")
    login(second, "toinen@example.org")
    first_page = first.get(desk.edit).get_data(as_text=True)
    second_page = second.get(desk.edit).get_data(as_text=True)
    assert 'name="revision"' in first_page
    saved = first.post(desk.edit, data=edit_data(first_page, capacity="6"))
    assert saved.status_code == 302
    stale = second.post(desk.edit, data=edit_data(second_page, title="Rannan siivous", capacity="2"))
    assert stale.status_code == 409
    page = stale.get_data(as_text=True)
    assert EDITED_MEANWHILE in page
    # The form now holds what is stored: the first person's capacity, the task's title.
    assert 'name="capacity" type="number" value="6"' in page or 'value="6"' in page.split('name="capacity"')[1][:80]
    assert 'value="Roskien keruu"' in page
    # What the second person typed is listed, not lost.
    assert "Rannan siivous" in page
    with app.app_context():
        task = db.session.get(Task, desk.task)
        assert (task.title, task.capacity) == ("Roskien keruu", 6)
    # Sent again from the refreshed form, it is saved.
    again = second.post(desk.edit, data=edit_data(page, title="Rannan siivous"))
    assert again.status_code == 302
    with app.app_context():
        task = db.session.get(Task, desk.task)
        assert (task.title, task.capacity) == ("Rannan siivous", 6)


def test_claims_arriving_while_a_cut_is_confirmed_ask_again_and_cancel_nothing(client, app, desk):
    with app.app_context():
        task = db.session.get(Task, desk.task)
        task.capacity = 5
        claim_place(task)
        claim_place(task)
        db.session.commit()
    login(client, "staff@example.org")
    page = client.get(desk.edit).get_data(as_text=True)
    asked = client.post(desk.edit, data=edit_data(page, capacity="1"))
    assert asked.status_code == 400
    asked_page = asked.get_data(as_text=True)
    assert "Paikkoja on jo varattu 2: paikkamäärä ei voi olla pienempi." in asked_page
    # Meanwhile two more visitors take a place at the kiosk.
    with app.app_context():
        task = db.session.get(Task, desk.task)
        claim_place(task)
        claim_place(task)
        db.session.commit()
    again = client.post(desk.edit, data=edit_data(asked_page, capacity="1", confirm_below="y"))
    assert again.status_code == 400
    assert "Paikkoja on jo varattu 4: paikkamäärä ei voi olla pienempi." in again.get_data(as_text=True)
    assert active(app, desk.task) == 4
    with app.app_context():
        assert db.session.get(Task, desk.task).capacity == 5
    done = client.post(desk.edit, data=edit_data(again.get_data(as_text=True), capacity="1", confirm_below="y"))
    assert done.status_code == 302
    assert active(app, desk.task) == 1


def test_a_tampered_revision_is_a_form_error_not_a_500(client, app, desk):
    login(client, "staff@example.org")
    page = client.get(desk.edit).get_data(as_text=True)
    response = client.post(desk.edit, data=edit_data(page, revision="x' OR 1=1"))
    assert response.status_code == 400


# --- Task times ----------------------------------------------------------------------------------


def new_task_data(token: str, day, **overrides) -> dict:
    return {
        "csrf_token": token,
        "title": "Iltasiivous",
        "category": "cleanup",
        "date": day.isoformat(),
        "start_time": "22:00",
        "end_time": "00:00",
        "capacity": "4",
        "place": "Piha",
        "partner_id": "0",
        "physical_demand": "light",
        "setting": "outdoor",
        "meal_included": "y",
        **overrides,
    }


def test_a_task_template_and_proposal_may_end_at_midnight(client, app, desk):
    login(client, "staff@example.org")
    tomorrow = desk.today + timedelta(days=1)
    new = f"/staff/satama/day/{tomorrow.isoformat()}/tasks/new"
    assert client.post(new, data=new_task_data(token_of(client, new), tomorrow)).status_code == 302
    templates = "/staff/satama/templates/new"
    data = template_data(token_of(client, templates), start_time="21:00", end_time="00:00")
    assert client.post(templates, data=data).status_code == 302
    with app.app_context():
        partner = make_partner()
        link = partners.create_link(partner, db.session.get(Site, desk.site_id)).token
        db.session.commit()
    proposal = app.test_client()
    propose = f"/p/{link}"
    data = proposal_data(token_of(proposal, propose + "/propose"), tomorrow, start_time="20:00", end_time="00:00")
    assert proposal.post(propose, data=data).status_code in (302, 303)
    with app.app_context():
        assert db.session.scalar(sa.select(Task.end_time).where(Task.title == "Iltasiivous")) == time(0)
        assert db.session.scalar(sa.select(TaskTemplate.end_time)) == time(0)
        assert db.session.scalar(sa.select(Proposal.end_time)) == time(0)
    # An end before the start is still refused.
    bad = new_task_data(token_of(client, new), tomorrow, end_time="21:00")
    response = client.post(new, data=bad)
    assert response.status_code == 400
    assert "Päättymisajan pitää olla alkamisajan jälkeen." in response.get_data(as_text=True)


def test_an_end_at_midnight_is_shown_as_24(client, app, desk):
    with app.app_context():
        site = db.session.get(Site, desk.site_id)
        task = make_task(site, title="Yökahvila", start_time=time(0), end_time=time(0), capacity=3)
        db.session.commit()
        task_id = task.id
    login(client, "staff@example.org")
    assert "00.00–24.00" in client.get(desk.day).get_data(as_text=True)
    assert "00.00–24.00" in client.get(f"{desk.day}/poster").get_data(as_text=True)
    walk_in = f"/staff/satama/tasks/{task_id}/walk-in"
    assert client.post(walk_in, data={"csrf_token": token_of(client, desk.day)}).status_code == 303
    assert "00.00–24.00" in client.get(walk_in).get_data(as_text=True)
    kiosk = app.test_client()
    assert "00.00–24.00" in kiosk.get("/kiosk/satama").get_data(as_text=True)
    # The kiosk can take a place in it now: it has not ended.
    assert kiosk.get(desk.enroll).status_code == 302
    details = kiosk.get(f"/kiosk/satama/tasks/{task_id}").get_data(as_text=True)
    receipt = kiosk.post(f"/kiosk/satama/tasks/{task_id}/claim", data={"csrf_token": csrf_token(details)})
    assert "receipt" in receipt.location
    with kiosk.session_transaction() as session:
        token = session["receipt"]
    assert "00.00–24.00" in kiosk.get(f"/c/{token}").get_data(as_text=True)
    assert "00:00–24:00" in kiosk.get("/kiosk/satama?lang=en").get_data(as_text=True)


def test_the_api_tells_a_task_ending_at_midnight_is_still_open(client, app, desk):
    with app.app_context():
        task = make_task(db.session.get(Site, desk.site_id), start_time=time(0), end_time=time(0))
        db.session.commit()
        task_id = task.id
    tasks = client.get("/api/v1/sites/satama/tasks").get_json()["tasks"]
    row = next(t for t in tasks if t["id"] == task_id)
    assert (row["end_time"], row["claimable"]) == ("00:00", True)
    spec = client.get("/api/v1/openapi.json").get_json()
    assert "midnight" in spec["components"]["schemas"]["Task"]["properties"]["end_time"]["description"]


def test_a_one_off_task_whose_end_has_passed_is_added_only_when_confirmed(client, app, desk):
    login(client, "staff@example.org")
    yesterday = desk.today - timedelta(days=1)
    new = f"/staff/satama/day/{yesterday.isoformat()}/tasks/new"
    data = new_task_data(token_of(client, new), yesterday, start_time="10:00", end_time="12:00")
    asked = client.post(new, data=data)
    assert asked.status_code == 400
    page = asked.get_data(as_text=True)
    assert PAST_END_QUESTION in page
    assert 'name="confirm_past_end"' in page
    assert count_rows(app, Task, Task.title == "Iltasiivous") == 0
    confirmed = client.post(new, data={**data, "confirm_past_end": "y"})
    assert confirmed.status_code == 302
    assert count_rows(app, Task, Task.title == "Iltasiivous") == 1
