"""The board, its live list and the tasks API are rendered once per change and kept per process.

Every way a board can change must make the next look fresh (a new ETag and the new content): a
claim at the kiosk, a release through the API, staff editing, cancelling, walking a visitor in,
closing and reopening the day, approving a partner's proposal, and the clock passing a task's
start and end. An unchanged board answers 304 from the cache: a statement or two, no template.
"""

import re
from datetime import date, datetime, time, timedelta
from types import SimpleNamespace

import pytest
import sqlalchemy as sa
from flask import template_rendered

from dropin import board_cache
from dropin.admin.service import revoke_kiosk
from dropin.claims.service import claim_place
from dropin.extensions import db
from dropin.models import Kiosk, Proposal, Site, Task
from dropin.partners import service as partners
from dropin.staff import proposal_review
from dropin.staff import service as staff
from tests.factories import make_kiosk, make_partner, make_site, make_task
from tests.helpers import counted_queries, csrf_token

PAGE = "/kiosk/testi"
TASKS = "/kiosk/testi/board/tasks"
API = "/api/v1/sites/testi/tasks"


@pytest.fixture
def board(app, client):
    """Site testi with one open task of three places, and the client enrolled as its kiosk."""
    with app.app_context():
        site = make_site("testi")
        task = make_task(site, title="Roskien keruu", place="Rantapolku", capacity=3)
        enrollment = make_kiosk(site)
        db.session.commit()
        ids = SimpleNamespace(site_id=site.id, task_id=task.id, today=site.today(), token=None, proposal_id=None)
    assert client.get(f"/kiosk/enroll/{enrollment.enroll_token}").status_code == 302
    return ids


def rendered_templates(app) -> list[str]:
    """Start recording the names of the templates the app renders (stopped with the app)."""
    names: list[str] = []
    template_rendered.connect(lambda _app, template, **_: names.append(template.name), app, weak=False)
    return names


def etags(client) -> dict[str, str]:
    return {url: client.get(url).get_etag()[0] for url in (TASKS, API)}


def in_app(app, change):
    def run(board):
        with app.app_context():
            result = change(board, db.session.get(Site, board.site_id), db.session.get(Task, board.task_id))
            db.session.commit()
            return result

    return run


# --- the changes, each with what the board and the API must show after it ---------------------
def kiosk_claim(app, client, board):
    details = client.get(f"/kiosk/testi/tasks/{board.task_id}").get_data(as_text=True)
    page = client.post(f"/kiosk/testi/tasks/{board.task_id}/claim", data={"csrf_token": csrf_token(details)})
    assert page.status_code == 302
    assert "/receipt" in page.location


def take_a_place(board, _site, task):
    _claim, board.token = claim_place(task)


def api_release(app, client, board):
    assert client.delete(f"/api/v1/claims/{board.token}").status_code == 204


def staff_edit(_board, _site, task):
    staff.update_task(task, {"place": "Uimaranta"})


def staff_cancel(_board, _site, task):
    staff.cancel_task(task, "Sataa kaatamalla")


def walk_in(_board, _site, task):
    staff.walk_in(task)


def close(board, site, _task):
    results = {board.task_id: staff.TaskResult(participants=2, outcome=None)}
    staff.close_day(site, board.today, results, 0, 0, None, None, confirm_unfinished=True)


def reopen(board, site, _task):
    staff.reopen_day(site, board.today)


def propose(board, site, _task):
    link = partners.create_link(make_partner("Luontoyhdistys Kurki ry"), site).link
    values = {
        "date": board.today,
        "start_time": time(0, 0),
        "end_time": time(23, 59),
        "title": "Haravointi",
        "description": "",
        "category": "gardening",
        "place": "Puisto",
        "capacity": 4,
        "bring": None,
    }
    board.proposal_id = partners.submit_proposal(link, values).id


def approve(board, _site, _task):
    proposal_review.approve_proposal(db.session.get(Proposal, board.proposal_id), None)


def nothing(*_args):
    return None


def api_task(body: dict, task_id: int) -> dict:
    return next(task for task in body["tasks"] if task["id"] == task_id)


def api_field(name: str, value):
    """The API's check: the board's task has `value` in field `name`."""
    return lambda body, board: api_task(body, board.task_id)[name] == value


def api_titles(title: str):
    return lambda body, _board: title in [task["title"] for task in body["tasks"]]


CHANGES = {
    # name: (prepare in the app, where the change runs, the change, what the board and the API show after it)
    "kiosk claim": (nothing, "client", kiosk_claim, "2/3 paikkaa vapaana", api_field("free", 2)),
    "release through the API": (take_a_place, "client", api_release, "3/3 paikkaa vapaana", api_field("free", 3)),
    "staff edit": (nothing, "app", staff_edit, "Uimaranta", api_field("place", "Uimaranta")),
    "cancel": (nothing, "app", staff_cancel, "Sataa kaatamalla", api_field("status", "cancelled")),
    "walk-in": (nothing, "app", walk_in, "2/3 paikkaa vapaana", api_field("free", 2)),
    "close the day": (nothing, "app", close, "Tämän päivän tehtävät ovat päättyneet", api_field("status", "closed")),
    "reopen the day": (close, "app", reopen, "3/3 paikkaa vapaana", api_field("status", "open")),
    "proposal approval": (propose, "app", approve, "Haravointi", api_titles("Haravointi")),
}


@pytest.mark.parametrize("name", CHANGES)
def test_every_change_makes_the_next_look_fresh(app, client, board, name):
    prepare, where, change, shown, api_shows = CHANGES[name]
    in_app(app, prepare)(board)
    before = etags(client)
    assert client.get(PAGE).status_code == 200  # the page is kept too, and must not stay
    assert shown not in client.get(TASKS).get_data(as_text=True)

    if where == "client":
        change(app, client, board)
    else:
        in_app(app, change)(board)

    tasks = client.get(TASKS, headers={"If-None-Match": f'"{before[TASKS]}"'})
    assert tasks.status_code == 200
    assert tasks.get_etag()[0] != before[TASKS]
    assert shown in tasks.get_data(as_text=True)
    assert shown in client.get(PAGE).get_data(as_text=True)
    api = client.get(API, headers={"If-None-Match": f'"{before[API]}"'})
    assert api.status_code == 200
    assert api.get_etag()[0] != before[API]
    assert api_shows(api.get_json(), board)


def test_an_unchanged_list_is_a_304_from_the_cache_in_two_statements_and_no_template(app, client, board):
    etag = client.get(TASKS).get_etag()[0]
    templates = rendered_templates(app)
    with counted_queries(app) as statements:
        again = client.get(TASKS, headers={"If-None-Match": f'"{etag}"'})
    assert again.status_code == 304
    assert len(statements) <= 2  # the site with its version, the kiosk of the cookie
    assert templates == []


def test_an_unchanged_api_list_is_a_304_in_one_statement(app, client, board):
    etag = client.get(API).get_etag()[0]
    with counted_queries(app) as statements:
        again = client.get(API, headers={"If-None-Match": f'"{etag}"'})
    assert again.status_code == 304
    assert again.get_data() == b""
    assert len(statements) <= 1


def test_an_unchanged_board_is_sent_again_without_rendering(app, client, board):
    first = client.get(PAGE).get_data()
    templates = rendered_templates(app)
    assert client.get(PAGE).get_data() == first
    assert client.get(TASKS).status_code == 200
    assert templates == ["kiosk/_board_tasks.html"]  # the list once; the page came from the cache


def test_the_page_carries_the_etag_of_its_list(client, board):
    page = client.get(PAGE).get_data(as_text=True)
    assert f'data-board-etag="{client.get(TASKS).get_etag()[0]}"' in page


def test_the_language_links_of_a_kept_page_carry_the_query_of_this_request(client, board):
    swedish = re.compile(r'href="(/kiosk/testi\?[^"]*lang=sv[^"]*)"')
    assert "x=1" not in swedish.search(client.get(PAGE).get_data(as_text=True)).group(1)
    assert "x=1" in swedish.search(client.get(PAGE + "?x=1").get_data(as_text=True)).group(1)


# --- the clock ---------------------------------------------------------------------------------
@pytest.fixture
def clock(app, monkeypatch):
    """Site kello with a task from 10 to 12 today; `clock.at(hour, minute)` sets the board's clock."""
    with app.app_context():
        site = make_site("kello")
        make_task(site, title="Leivonta", date=site.today(), start_time=time(10, 0), end_time=time(12, 0))
        db.session.commit()
        today, zone = site.today(), site.zone

    def at(hour: int, minute: int = 0, day: date = today) -> None:
        moment = datetime.combine(day, time(hour, minute), tzinfo=zone)
        monkeypatch.setattr(board_cache, "utcnow", lambda: moment)

    return SimpleNamespace(at=at, today=today)


def look(client, etag: str | None = None):
    headers = {"If-None-Match": f'"{etag}"'} if etag else {}
    return client.get("/kiosk/kello/board/tasks", headers=headers)


def test_the_clock_passing_a_tasks_start_and_end_makes_the_list_fresh_without_any_write(client, clock):
    clock.at(9, 30)
    before = look(client)
    assert "Alkanut jo" not in before.get_data(as_text=True)
    clock.at(9, 59)
    assert look(client, before.get_etag()[0]).status_code == 304  # nothing to see has changed yet

    clock.at(10, 0)
    started = look(client, before.get_etag()[0])
    assert started.status_code == 200
    assert "Alkanut jo" in started.get_data(as_text=True)
    clock.at(11, 59)
    assert look(client, started.get_etag()[0]).status_code == 304

    clock.at(12, 0)
    ended = look(client, started.get_etag()[0])
    assert ended.status_code == 200
    assert "Tämän päivän tehtävät ovat päättyneet" in ended.get_data(as_text=True)


def test_the_api_turns_a_task_ended_on_time_too(client, clock):
    clock.at(11, 59)
    before = client.get("/api/v1/sites/kello/tasks")
    assert before.get_json()["tasks"][0]["claimable"]
    clock.at(12, 0)
    after = client.get("/api/v1/sites/kello/tasks", headers={"If-None-Match": f'"{before.get_etag()[0]}"'})
    assert after.status_code == 200
    assert not after.get_json()["tasks"][0]["claimable"]


def test_midnight_turns_the_board_to_the_next_day(client, clock):
    clock.at(23, 0)
    tonight = look(client)
    clock.at(0, 0, clock.today + timedelta(days=1))
    tomorrow = look(client, tonight.get_etag()[0])
    assert tomorrow.status_code == 200
    assert f'data-board-day="{(clock.today + timedelta(days=1)).isoformat()}"' in tomorrow.get_data(as_text=True)


# --- the cache itself ----------------------------------------------------------------------------
def test_the_cache_keeps_the_most_recently_used_entries_only():
    kept = board_cache.Renderings(size=2)
    made = []

    def make(value):
        return lambda: made.append(value) or value

    for key in ("a", "b", "a", "c", "a", "b"):
        kept.get_or_make((key,), make(key))
    assert made == ["a", "b", "c", "b"]  # b was the least recently used when c came
    assert len(kept) == 2


# --- answers sent again before Flask (dropin.board_polls) -----------------------------------------
def test_an_unchanged_poll_is_answered_again_with_every_header_in_one_statement(app, client, board):
    etag = client.get(TASKS).get_etag()[0]
    first = client.get(TASKS, headers={"If-None-Match": f'"{etag}"'})  # through Flask, and kept
    templates = rendered_templates(app)
    with counted_queries(app) as statements:
        again = client.get(TASKS, headers={"If-None-Match": f'"{etag}"'})
    assert again.status_code == 304
    assert len(statements) == 1  # the site's version
    assert templates == []
    assert sorted(again.headers.items()) == sorted(first.headers.items())
    assert "Content-Security-Policy" in again.headers


def test_a_kept_answer_is_not_sent_to_another_browser_or_language(app, client, board):
    enrolled = client.get(TASKS).get_data(as_text=True)
    assert client.get(TASKS).get_data(as_text=True) == enrolled
    assert "Kerro miten meni" not in app.test_client().get(TASKS).get_data(as_text=True)  # no kiosk cookie
    assert "3/3 platser lediga" in client.get(TASKS + "?lang=sv").get_data(as_text=True)


def test_a_revoked_kiosk_sees_the_public_list_at_its_next_poll(app, client, board):
    etag = client.get(TASKS).get_etag()[0]
    assert client.get(TASKS, headers={"If-None-Match": f'"{etag}"'}).status_code == 304
    with app.app_context():
        revoke_kiosk(db.session.scalars(sa.select(Kiosk)).one())
        db.session.commit()
    after = client.get(TASKS, headers={"If-None-Match": f'"{etag}"'})
    assert after.status_code == 200
    assert "Kerro miten meni" not in after.get_data(as_text=True)


def test_an_answer_that_sets_a_cookie_is_not_kept(app, client, board):
    client.get(TASKS + "?lang=sv")  # the language goes into the session: a Set-Cookie
    with counted_queries(app) as statements:
        assert "Set-Cookie" in client.get(TASKS + "?lang=sv").headers
    assert len(statements) > 1  # Flask answered again
