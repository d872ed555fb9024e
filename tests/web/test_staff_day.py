"""The day desk over HTTP: roles, the planner's actions and bad input."""

from datetime import time, timedelta

import pytest
import sqlalchemy as sa

from dropin.extensions import db
from dropin.models import AuditEvent, Claim, DayRecord, Task
from dropin.models.claim import ClaimStatus
from dropin.sites import find_site
from tests.factories import make_site, make_task, make_template, make_user
from tests.helpers import count_rows, csrf_token, login, token_of


@pytest.fixture
def world(app):
    """Two sites; staff of the first, staff of the second, a worker and an admin."""
    with app.app_context():
        site, other = make_site("satama"), make_site("muu")
        task = make_task(site, capacity=3)
        other_task = make_task(other)
        make_template(site)
        make_user("staff@example.org", "staff", sites=[site])
        make_user("other@example.org", "staff", sites=[other])
        make_user("worker@example.org", "worker")
        make_user("admin@example.org", "admin")
        db.session.commit()
        return {"site": site.slug, "today": site.today().isoformat(), "task": task.id, "other_task": other_task.id}


def staff_routes(w):
    """Every staff route: (method, path)."""
    s, d, t = w["site"], w["today"], w["task"]
    return [
        ("GET", "/staff/"),
        ("GET", f"/staff/{s}/day/"),
        ("GET", f"/staff/{s}/day/{d}"),
        ("GET", f"/staff/{s}/day/{d}/live.json"),
        ("POST", f"/staff/{s}/day/{d}/post-templates"),
        ("POST", f"/staff/{s}/day/{d}/copy"),
        ("GET", f"/staff/{s}/day/{d}/tasks/new"),
        ("GET", f"/staff/{s}/tasks/{t}/edit"),
        ("GET", f"/staff/{s}/tasks/{t}/cancel"),
        ("POST", f"/staff/{s}/tasks/{t}/walk-in"),
        ("GET", f"/staff/{s}/day/{d}/close"),
        ("GET", f"/staff/{s}/day/{d}/poster"),
    ]


def test_anonymous_users_are_sent_to_log_in(client, world):
    for method, path in staff_routes(world):
        response = client.open(path, method=method)
        if method == "POST":
            # No session, no CSRF token: refused before anything else.
            assert response.status_code in (302, 400), path
        else:
            assert response.status_code == 302, path
            assert "/login" in response.headers["Location"], path


@pytest.mark.parametrize(
    ("email", "allowed"),
    [
        ("staff@example.org", True),
        ("admin@example.org", True),
        ("worker@example.org", False),
        ("other@example.org", False),
    ],
)
def test_roles_against_every_staff_route(client, world, email, allowed):
    login(client, email)
    for method, path in staff_routes(world):
        if method == "POST":
            continue  # the POSTs are covered with their CSRF token below
        response = client.open(path, method=method)
        if path == "/staff/":
            expected = (403,) if email == "worker@example.org" else (200, 302)
        else:
            expected = (200, 302) if allowed else (403,)
        assert response.status_code in expected, (email, path, response.status_code)


def test_post_templates_twice_posts_once(client, app, world):
    login(client, "staff@example.org")
    day = f"/staff/{world['site']}/day/{world['today']}"
    for _ in range(2):
        response = client.post(f"{day}/post-templates", data={"csrf_token": token_of(client, day)})
        assert response.status_code == 302
    assert count_rows(app, Task, Task.template_id.is_not(None)) == 1


def _task_data(token, **overrides):
    return {
        "csrf_token": token,
        "title": "Haravointi",
        "category": "gardening",
        "date": "",
        "start_time": "10:00",
        "end_time": "12:00",
        "capacity": "4",
        "place": "Puisto",
        "partner_id": "0",
        "physical_demand": "light",
        "setting": "outdoor",
        "meal_included": "y",
        **overrides,
    }


def test_add_one_off_task(client, app, world):
    login(client, "staff@example.org")
    path = f"/staff/{world['site']}/day/{world['today']}/tasks/new"
    # Ending at midnight, it has not ended whenever the test runs (an end already past asks first).
    data = _task_data(token_of(client, path), date=world["today"], end_time="00:00")
    response = client.post(path, data=data)
    assert response.status_code == 302
    with app.app_context():
        task = db.session.scalar(sa.select(Task).where(Task.title == "Haravointi"))
        assert task.capacity == 4
        assert task.start_time == time(10)
        assert task.partner_id is None
        assert db.session.scalar(sa.select(AuditEvent.action).where(AuditEvent.entity_id == task.id)) == "task.create"


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"title": ""}, "Anna tehtävälle otsikko."),
        ({"title": "x" * 10_000}, "120"),
        ({"start_time": "12:00", "end_time": "10:00"}, "Päättymisajan pitää olla alkamisajan jälkeen."),
        ({"capacity": "0"}, "Paikkoja voi olla 1–100."),
        ({"capacity": "10000"}, "Paikkoja voi olla 1–100."),
        ({"capacity": "paljon"}, "Paikkoja"),
        ({"date": "2099-01-01"}, "Päivän pitää olla enintään vuoden päässä."),
        ({"category": "hacking"}, "Luokka"),
        ({"partner_id": "999999"}, "Kumppani"),
        ({"csrf_token": "forged"}, "Lomake ehti vanhentua"),
    ],
)
def test_bad_task_input_gets_a_finnish_message_and_stores_nothing(client, app, world, overrides, message):
    login(client, "staff@example.org")
    path = f"/staff/{world['site']}/day/{world['today']}/tasks/new"
    data = _task_data(token_of(client, path), date=world["today"])
    data.update(overrides)
    response = client.post(path, data=data)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert message in page or "Tarkista merkityt kohdat." in page
    assert count_rows(app, Task, Task.title == "Haravointi") == 0


def test_tampered_ids_of_another_site_are_refused(client, world):
    login(client, "staff@example.org")
    s, t = world["site"], world["other_task"]
    assert client.get(f"/staff/{s}/tasks/{t}/edit").status_code == 404
    assert client.get(f"/staff/muu/tasks/{t}/edit").status_code == 403
    assert client.get(f"/staff/{s}/tasks/99999999999/edit").status_code == 404
    assert client.get(f"/staff/{s}/day/2026-02-31").status_code == 404
    assert client.get(f"/staff/{s}/day/tomorrow").status_code == 404


def test_capacity_cut_below_claims_asks_first(client, app, world):
    from dropin.claims.service import claim_place

    with app.app_context():
        task = db.session.get(Task, world["task"])
        claim_place(task)
        claim_place(task)
        db.session.commit()
    login(client, "staff@example.org")
    path = f"/staff/{world['site']}/tasks/{world['task']}/edit"
    data = _task_data(token_of(client, path), date=world["today"], capacity="1", title="Roskien keruu")
    response = client.post(path, data=data)
    assert response.status_code == 400
    assert "Paikkoja on jo varattu 2: paikkamäärä ei voi olla pienempi." in response.get_data(as_text=True)
    data["confirm_below"] = "y"
    assert client.post(path, data=data).status_code == 302
    assert count_rows(app, Claim, Claim.task_id == world["task"], Claim.status == ClaimStatus.ACTIVE) == 1


def test_cancel_needs_a_reason_and_then_shows_it_on_the_kiosk(client, app, world):
    login(client, "staff@example.org")
    path = f"/staff/{world['site']}/tasks/{world['task']}/cancel"
    token = token_of(client, path)
    assert client.post(path, data={"csrf_token": token, "reason": "  "}).status_code == 400
    assert client.post(path, data={"csrf_token": token, "reason": "Myrskyvaroitus"}).status_code == 302
    board = client.get(f"/kiosk/{world['site']}").get_data(as_text=True)
    assert "Myrskyvaroitus" in board
    assert "Peruttu" in board


def test_walk_in_shows_the_code_and_counts_on_the_live_view(client, app, world):
    login(client, "staff@example.org")
    day = f"/staff/{world['site']}/day/{world['today']}"
    walk_in = f"/staff/{world['site']}/tasks/{world['task']}/walk-in"
    response = client.post(walk_in, data={"csrf_token": token_of(client, day)})
    # Post/redirect/get: the code's page can be reloaded without taking a second place.
    assert response.status_code == 303
    assert response.headers["Location"] == walk_in
    first, reloaded = client.get(walk_in), client.get(walk_in)
    with app.app_context():
        claim = db.session.scalar(sa.select(Claim))
        assert claim.source == "staff"
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Claim)) == 1
    assert claim.code in first.get_data(as_text=True)
    assert claim.code in reloaded.get_data(as_text=True)
    live = client.get(f"{day}/live.json").get_json()
    row = next(t for t in live["tasks"] if t["id"] == world["task"])
    assert (row["active"], row["walk_ins"], row["free"]) == (1, 1, 2)


def test_close_day_stores_figures_and_locks_the_day_for_staff(client, app, world):
    login(client, "staff@example.org")
    path = f"/staff/{world['site']}/day/{world['today']}/close"
    page = client.get(path).get_data(as_text=True)
    assert "Älä koskaan kirjoita nimiä" in page
    token = csrf_token(page)
    t = world["task"]
    bad = client.post(
        path, data={"csrf_token": token, f"t{t}-participants": "-1", "meals_participants": "3", "meals_others": "1"}
    )
    assert bad.status_code == 400
    ok = client.post(
        path,
        data={
            "csrf_token": token,
            f"t{t}-participants": "4",
            f"t{t}-outcome": "2.5",
            "meals_participants": "4",
            "meals_others": "2",
            "note": "Aurinkoinen päivä",
            "confirm_unfinished": "y",  # the task runs to the evening
        },
    )
    assert ok.status_code == 302
    with app.app_context():
        record = db.session.scalar(sa.select(DayRecord))
        task = db.session.get(Task, t)
        assert (record.meals_participants, record.meals_others, record.note) == (4, 2, "Aurinkoinen päivä")
        assert (task.participants, task.outcome_amount, task.status) == (4, 2.5, "closed")
    # Closed: staff cannot reopen the form or add tasks.
    assert client.get(path).status_code == 302
    new = f"/staff/{world['site']}/day/{world['today']}/tasks/new"
    client.post(new, data=_task_data(token_of(client, new), date=world["today"]))
    assert count_rows(app, Task, Task.title == "Haravointi") == 0


def test_copy_previous_day(client, app, world):
    with app.app_context():
        from dropin.sites import find_site

        site = find_site(world["site"])
        make_task(
            site,
            date=site.today() - timedelta(days=7),
            title="Viime viikon leivonta",
            start_time=time(13),
            end_time=time(15),
        )
        db.session.commit()
        source = (site.today() - timedelta(days=7)).isoformat()
    login(client, "staff@example.org")
    day = f"/staff/{world['site']}/day/{world['today']}"
    assert client.post(f"{day}/copy", data={"csrf_token": token_of(client, day), "source": source}).status_code == 302
    assert count_rows(app, Task, Task.title == "Viime viikon leivonta") == 2


def test_poster_lists_the_days_tasks_with_a_qr(client, world):
    login(client, "staff@example.org")
    page = client.get(f"/staff/{world['site']}/day/{world['today']}/poster").get_data(as_text=True)
    assert "Roskien keruu" in page
    assert "data:image/svg+xml;base64," in page


def test_a_poster_printed_on_the_day_leaves_out_the_tasks_already_over(client, app, world):
    with app.app_context():
        site = find_site(world["site"])
        make_task(site, title="Aamukahvin keitto", start_time=time(0, 0), end_time=time(0, 1))
        yesterday = site.today() - timedelta(days=1)
        make_task(site, title="Eilinen haravointi", date=yesterday)
        db.session.commit()
    login(client, "staff@example.org")
    today = client.get(f"/staff/{world['site']}/day/{world['today']}/poster").get_data(as_text=True)
    assert "Roskien keruu" in today
    assert "Aamukahvin keitto" not in today
    # Printed afterwards, for the record, a past day's poster still lists what was on offer.
    past = client.get(f"/staff/{world['site']}/day/{yesterday.isoformat()}/poster").get_data(as_text=True)
    assert "Eilinen haravointi" in past


def test_a_task_of_an_archived_partner_can_still_be_edited(client, app, world):
    from dropin.models.base import utcnow
    from tests.factories import make_partner

    with app.app_context():
        partner = make_partner("Lopettanut yhdistys ry")
        task = db.session.get(Task, world["task"])
        task.partner = partner
        partner.archived_at = utcnow()
        db.session.commit()
        partner_id = partner.id
    login(client, "staff@example.org")
    path = f"/staff/{world['site']}/tasks/{world['task']}/edit"
    data = _task_data(token_of(client, path), date=world["today"], partner_id=str(partner_id), capacity="5")
    assert client.post(path, data=data).status_code == 302


def test_a_finished_claim_cannot_be_released_afterwards(client, app, world):
    """Once the day is closed, its figures stay as recorded (phone page and API alike)."""
    from dropin.claims.service import claim_place
    from dropin.staff.service import TaskResult, close_day

    with app.app_context():
        task = db.session.get(Task, world["task"])
        _claim, token = claim_place(task)
        db.session.commit()
        close_day(task.site, task.date, {task.id: TaskResult(1, None)}, 1, 0, None, None, confirm_unfinished=True)
        db.session.commit()
    refused = client.delete(f"/api/v1/claims/{token}")
    assert refused.status_code == 409
    assert refused.get_json()["error"] == "closed"
    page = client.get(f"/c/{token}/release").get_data(as_text=True)
    client.post(f"/c/{token}/release", data={"csrf_token": csrf_token(page)})
    with app.app_context():
        assert db.session.scalar(sa.select(Claim.status)) == ClaimStatus.ACTIVE


def test_moving_a_template_task_to_a_day_that_has_one_is_no_error(client, app, world):
    from dropin.staff.service import post_from_templates

    with app.app_context():
        from dropin.sites import find_site

        site = find_site(world["site"])
        tomorrow = site.today() + timedelta(days=1)
        (posted,) = post_from_templates(site, site.today())
        post_from_templates(site, tomorrow)
        db.session.commit()
        task_id, title = posted.id, posted.title
    login(client, "staff@example.org")
    path = f"/staff/{world['site']}/tasks/{task_id}/edit"
    data = _task_data(token_of(client, path), date=tomorrow.isoformat(), title=title, category="cooking")
    assert client.post(path, data=data).status_code == 302
    with app.app_context():
        moved = db.session.get(Task, task_id)
        assert moved.date == tomorrow
        assert moved.template_id is None


def test_a_double_tap_on_posting_is_no_error(app, world):
    from dropin.sites import find_site
    from dropin.staff.service import AlreadyPosted, _add_tasks, due_templates

    with app.app_context():
        site = find_site(world["site"])
        due = due_templates(site, site.today())  # read before the other request commits
        _add_tasks(site, site.today(), due, "task.post")
        db.session.commit()
        with pytest.raises(AlreadyPosted):
            _add_tasks(site, site.today(), due, "task.post")
        db.session.rollback()


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31", "1999-12-31"])
def test_far_dates_are_not_found(client, world, day):
    login(client, "staff@example.org")
    assert client.get(f"/staff/{world['site']}/day/{day}").status_code == 404
    assert client.get(f"/staff/{world['site']}/day/{day}/close").status_code == 404


def test_a_day_cannot_be_closed_before_it_has_begun(client, app, world):
    from dropin.sites import find_site
    from dropin.staff.service import DayInFuture, close_day

    with app.app_context():
        site = find_site(world["site"])
        tomorrow = site.today() + timedelta(days=1)
        with pytest.raises(DayInFuture):
            close_day(site, tomorrow, {}, 0, 0, None, None, admin=True)
    login(client, "staff@example.org")
    response = client.get(f"/staff/{world['site']}/day/{tomorrow.isoformat()}/close")
    assert response.status_code == 302
    assert count_rows(app, DayRecord) == 0


def test_the_kiosk_reset_never_signs_staff_out(client, world):
    login(client, "staff@example.org")
    assert client.get(f"/kiosk/{world['site']}/done").status_code == 302
    assert client.get(f"/staff/{world['site']}/day/").status_code == 200


@pytest.mark.parametrize("outcome", ["sNaN", "NaN", "Infinity", "-1"])
def test_outcomes_must_be_plain_numbers(client, world, outcome):
    login(client, "staff@example.org")
    path = f"/staff/{world['site']}/day/{world['today']}/close"
    t = world["task"]
    response = client.post(
        path,
        data={
            "csrf_token": token_of(client, path),
            f"t{t}-participants": "1",
            f"t{t}-outcome": outcome,
            "meals_participants": "1",
            "meals_others": "0",
        },
    )
    assert response.status_code == 400
