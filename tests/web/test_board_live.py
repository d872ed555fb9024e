"""The board's task list as a small endpoint the kiosk polls: an unchanged board costs a 304 with no body.

The ETag is made from the key of the list's rendering (dropin.board_cache): the site's data version,
the language, enrolled or not, the day and the next moment a task starts or ends, so it changes
whenever the list could look different. tests/web/test_board_cache.py changes it every way.
"""

import re
from types import SimpleNamespace

import pytest

from dropin.claims.service import claim_place
from dropin.extensions import db
from dropin.models import Task
from tests.factories import make_kiosk, make_site, make_task

TASKS = "/kiosk/testi/board/tasks"


@pytest.fixture
def place(app):
    """A site with one open task of three places and a kiosk not yet enrolled."""
    with app.app_context():
        site = make_site("testi")
        task = make_task(site, title="Roskien keruu", place="Rantapolku", capacity=3)
        enrollment = make_kiosk(site)
        db.session.commit()
        return SimpleNamespace(task_id=task.id, enroll_url=f"/kiosk/enroll/{enrollment.enroll_token}")


@pytest.fixture
def enrolled(client, place):
    assert client.get(place.enroll_url).status_code == 302
    return client


def take_a_place(app, task_id: int) -> None:
    """Another screen (or the API) takes a place, behind this kiosk's back."""
    with app.app_context():
        claim_place(db.session.get(Task, task_id))
        db.session.commit()


def test_the_board_tells_its_script_where_and_how_often_to_look(enrolled, app):
    app.config["KIOSK_POLL_SECONDS"] = 7
    page = enrolled.get("/kiosk/testi").get_data(as_text=True)
    assert f'data-poll-url="{TASKS}"' in page
    assert 'data-poll-seconds="7"' in page
    assert "data-board-live" in page
    assert "data-board-paused" in page  # the calm note, hidden until the server cannot be reached


def test_the_list_comes_with_a_strong_etag_and_must_be_revalidated(enrolled):
    response = enrolled.get(TASKS)
    assert response.status_code == 200
    assert response.mimetype == "text/html"
    etag, weak = response.get_etag()
    assert etag
    assert not weak
    assert "no-cache" in response.headers["Cache-Control"]
    assert "no-store" not in response.headers["Cache-Control"]
    body = response.get_data(as_text=True)
    assert "Roskien keruu" in body
    assert "3/3 paikkaa vapaana" in body
    assert "<html" not in body  # a fragment, not a page
    assert "data-board-day" in body


def test_an_unchanged_list_answers_304_with_no_body(enrolled):
    etag = enrolled.get(TASKS).get_etag()[0]
    again = enrolled.get(TASKS, headers={"If-None-Match": f'"{etag}"'})
    assert again.status_code == 304
    assert again.get_data() == b""
    assert again.get_etag()[0] == etag
    assert "no-cache" in again.headers["Cache-Control"]


def test_a_weakened_etag_still_answers_304(enrolled):
    """A gzipping proxy (nginx) turns the ETag weak; If-None-Match compares weakly (RFC 9110 13.1.2)."""
    etag = enrolled.get(TASKS).get_etag()[0]
    again = enrolled.get(TASKS, headers={"If-None-Match": f'W/"{etag}"'})
    assert again.status_code == 304


def test_a_place_taken_elsewhere_gives_a_new_etag_and_the_new_count(enrolled, app, place):
    etag = enrolled.get(TASKS).get_etag()[0]
    take_a_place(app, place.task_id)
    response = enrolled.get(TASKS, headers={"If-None-Match": f'"{etag}"'})
    assert response.status_code == 200
    assert response.get_etag()[0] != etag
    assert "2/3 paikkaa vapaana" in response.get_data(as_text=True)


def test_each_language_has_its_own_etag_and_text(enrolled):
    finnish = enrolled.get(TASKS)
    enrolled.get("/kiosk/testi?lang=sv")
    swedish = enrolled.get(TASKS, headers={"If-None-Match": f'"{finnish.get_etag()[0]}"'})
    assert swedish.status_code == 200
    assert swedish.get_etag()[0] != finnish.get_etag()[0]
    assert "3/3 platser lediga" in swedish.get_data(as_text=True)
    enrolled.get("/kiosk/testi?lang=en")
    english = enrolled.get(TASKS)
    assert english.get_etag()[0] not in (finnish.get_etag()[0], swedish.get_etag()[0])


def test_an_enrolled_kiosk_and_a_public_board_get_different_lists(client, place):
    public = client.get(TASKS)
    assert public.status_code == 200  # the board is public; so is its list
    assert "kysy henkilökunnalta" in public.get_data(as_text=True)
    client.get(place.enroll_url)
    kiosk = client.get(TASKS, headers={"If-None-Match": f'"{public.get_etag()[0]}"'})
    assert kiosk.status_code == 200
    assert kiosk.get_etag()[0] != public.get_etag()[0]
    assert "Kerro miten meni" in kiosk.get_data(as_text=True)


def test_a_staff_edit_of_a_task_gives_a_new_etag(enrolled, app, place):
    etag = enrolled.get(TASKS).get_etag()[0]
    with app.app_context():
        db.session.get(Task, place.task_id).place = "Uimaranta"
        db.session.commit()
    response = enrolled.get(TASKS, headers={"If-None-Match": f'"{etag}"'})
    assert response.status_code == 200
    assert "Uimaranta" in response.get_data(as_text=True)


def test_an_unknown_site_has_no_list(client):
    assert client.get("/kiosk/eiole/board/tasks").status_code == 404


def test_the_board_page_carries_its_lists_version_so_the_first_look_is_a_304(enrolled):
    page = enrolled.get("/kiosk/testi").get_data(as_text=True)
    version = re.search(r'data-board-etag="([0-9a-f]+)"', page).group(1)
    response = enrolled.get(TASKS, headers={"If-None-Match": f'"{version}"'})
    assert response.status_code == 304
