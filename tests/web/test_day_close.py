"""Closing the day over HTTP: the early-close warning, reopening today, and the prefilled figures."""

import re
from datetime import time, timedelta

import pytest

from dropin.claims.service import claim_place
from dropin.extensions import db
from dropin.models import AuditEvent, DayRecord, Task
from dropin.models.base import utcnow
from dropin.models.claim import ClaimSource
from dropin.models.task import TaskStatus
from dropin.sites import find_site
from dropin.staff import service
from tests.factories import make_site, make_task, make_user
from tests.helpers import count_rows, csrf_token, login, token_of

CONFIRM = "Suljen päivän silti, vaikka tehtäviä on kesken"


@pytest.fixture
def desk(app):
    """A site with a task running until 23.59 today; its staff, and staff of another site."""
    with app.app_context():
        site, other = make_site("satama"), make_site("muu")
        task = make_task(site, title="Roskien keruu", end_time=time(23, 59), capacity=5)
        make_user("staff@example.org", "staff", sites=[site])
        make_user("other@example.org", "staff", sites=[other])
        db.session.commit()
        today = site.today()
        return {"task": task.id, "today": today, "day": f"/staff/satama/day/{today.isoformat()}"}


def value_of(page: str, name: str) -> str:
    """The value an input of the page offers."""
    match = re.search(rf'<input[^>]* name="{re.escape(name)}"[^>]* value="([^"]*)"', page)
    assert match, f"no input {name}"
    return match.group(1)


def close_data(token, task_id, **extra):
    return {
        "csrf_token": token,
        f"t{task_id}-participants": "2",
        "meals_participants": "2",
        "meals_others": "1",
        "note": "Sateinen aamu",
        **extra,
    }


def test_closing_while_a_task_runs_asks_for_confirmation_and_closes_nothing_without_it(client, app, desk):
    login(client, "staff@example.org")
    path = f"{desk['day']}/close"
    page = client.get(path).get_data(as_text=True)
    assert "Yksi tehtävä on vielä kesken" in page
    assert "Roskien keruu päättyy klo 23.59" in page
    assert CONFIRM in page
    refused = client.post(path, data=close_data(csrf_token(page), desk["task"]))
    assert refused.status_code == 400
    html = refused.get_data(as_text=True)
    assert "Päivää ei suljettu." in html
    assert CONFIRM in html
    assert count_rows(app, DayRecord) == 0
    assert count_rows(app, Task, Task.status == TaskStatus.OPEN) == 1
    closed = client.post(path, data=close_data(csrf_token(page), desk["task"], confirm_unfinished="y"))
    assert closed.status_code == 302
    assert count_rows(app, DayRecord) == 1
    assert count_rows(app, Task, Task.status == TaskStatus.CLOSED) == 1


def test_a_day_whose_tasks_are_over_closes_in_one_tap(client, app, desk):
    with app.app_context():
        site = find_site("satama")
        yesterday = site.today() - timedelta(days=1)
        old = make_task(site, date=yesterday, start_time=time(9), end_time=time(11))
        db.session.commit()
        old_id = old.id
    login(client, "staff@example.org")
    path = f"/staff/satama/day/{yesterday.isoformat()}/close"
    page = client.get(path).get_data(as_text=True)
    assert CONFIRM not in page
    assert client.post(path, data=close_data(csrf_token(page), old_id)).status_code == 302
    assert count_rows(app, DayRecord, DayRecord.date == yesterday) == 1


def close_today(app, desk):
    with app.app_context():
        site = find_site("satama")
        task = db.session.get(Task, desk["task"])
        results = {task.id: service.TaskResult(4, None)}
        service.close_day(site, desk["today"], results, 6, 2, "Iso päivä", None, confirm_unfinished=True)
        db.session.commit()


def test_staff_reopen_today_and_the_next_close_offers_the_earlier_figures(client, app, desk):
    close_today(app, desk)
    login(client, "staff@example.org")
    day = client.get(desk["day"]).get_data(as_text=True)
    assert "Avaa päivä uudelleen" in day
    response = client.post(f"{desk['day']}/reopen", data={"csrf_token": csrf_token(day)})
    assert response.status_code == 302
    assert "Päivä avattu uudelleen" in client.get(response.headers["Location"]).get_data(as_text=True)
    assert count_rows(app, DayRecord) == 0
    assert count_rows(app, Task, Task.status == TaskStatus.OPEN) == 1
    assert count_rows(app, AuditEvent, AuditEvent.action == "day.reopen") == 1
    form = client.get(f"{desk['day']}/close").get_data(as_text=True)
    assert value_of(form, f"t{desk['task']}-participants") == "4"
    assert (value_of(form, "meals_participants"), value_of(form, "meals_others")) == ("6", "2")
    assert "Iso päivä" in form


def test_staff_cannot_reopen_a_past_day(client, app, desk):
    with app.app_context():
        site = find_site("satama")
        yesterday = site.today() - timedelta(days=1)
        old = make_task(site, date=yesterday, start_time=time(9), end_time=time(11))
        service.close_day(site, yesterday, {old.id: service.TaskResult(1, None)}, 1, 0, None, None)
        db.session.commit()
    login(client, "staff@example.org")
    day = f"/staff/satama/day/{yesterday.isoformat()}"
    page = client.get(day).get_data(as_text=True)
    assert "Avaa päivä uudelleen" not in page
    response = client.post(f"{day}/reopen", data={"csrf_token": csrf_token(page)})
    assert response.status_code == 302
    assert "Vain tämän päivän voi avata uudelleen." in client.get(day).get_data(as_text=True)
    assert count_rows(app, DayRecord) == 1
    assert count_rows(app, Task, Task.status == TaskStatus.CLOSED) == 1


def test_staff_of_another_site_cannot_reopen(client, app, desk):
    close_today(app, desk)
    login(client, "other@example.org")
    token = token_of(client, "/staff/muu/day/")
    assert client.post(f"{desk['day']}/reopen", data={"csrf_token": token}).status_code == 403
    assert count_rows(app, DayRecord) == 1


def test_reopening_needs_the_csrf_token(client, app, desk):
    close_today(app, desk)
    login(client, "staff@example.org")
    assert client.post(f"{desk['day']}/reopen").status_code == 400
    assert count_rows(app, DayRecord) == 1


def test_the_close_form_prefills_participants_from_arrivals(client, app, desk):
    with app.app_context():
        site = find_site("satama")
        task = db.session.get(Task, desk["task"])
        plain = make_task(site, title="Leivonta", capacity=5)
        claims = [claim_place(task)[0] for _ in range(3)]
        claims[0].arrived_at = utcnow()
        claim_place(task, ClaimSource.STAFF)
        for _ in range(2):
            claim_place(plain)
        db.session.commit()
        plain_id = plain.id
    login(client, "staff@example.org")
    page = client.get(f"{desk['day']}/close").get_data(as_text=True)
    # One arrived plus the walk-in, instead of the four places taken; no check-ins: the two taken.
    assert value_of(page, f"t{desk['task']}-participants") == "2"
    assert value_of(page, f"t{plain_id}-participants") == "2"
