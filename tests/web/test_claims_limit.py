"""One kiosk cannot take a task's places in bulk: a few claims a minute, then a kind word and a wait."""

import re

import pytest
from limits import parse_many

from dropin.config import Config
from dropin.extensions import db
from dropin.models import Claim
from tests.factories import make_kiosk, make_site, make_task
from tests.helpers import count_rows, csrf_token
from tests.web import test_api, test_kiosk

api, board, spec = test_api.api, test_api.board, test_api.spec
enrolled, place = test_kiosk.enrolled, test_kiosk.place

LIMIT = 3


@pytest.fixture
def app_config(app_config):
    return {**app_config, "KIOSK_CLAIM_RATE_LIMIT": f"{LIMIT} per minute"}


@pytest.fixture
def big_task(app):
    """A task of 40 places at a site with two enrolled kiosks; their API tokens."""
    with app.app_context():
        site = make_site("iso")
        task = make_task(site, capacity=40)
        tokens = [make_kiosk(site, name).api_token for name in ("Eteinen", "Keittiö")]
        db.session.commit()
        return task.id, tokens


def claim(api, task_id: int, token: str):
    return api("POST", f"/api/v1/tasks/{task_id}/claims", token=token)


def test_one_api_token_takes_a_few_places_then_gets_a_429_with_retry_after(app, api, big_task):
    task_id, (token, other) = big_task
    answers = [claim(api, task_id, token) for _ in range(LIMIT + 2)]
    assert [a.status_code for a in answers] == [201] * LIMIT + [429, 429]
    refused = answers[-1]
    assert refused.get_json() == {
        "error": "too_many_claims",
        "message": "Too many claims from this kiosk. Wait a moment and try again.",
    }
    assert 0 < int(refused.headers["Retry-After"]) <= 60  # never more than a minute's wait
    assert count_rows(app, Claim, Claim.task_id == task_id) == LIMIT
    assert claim(api, task_id, other).status_code == 201  # another kiosk is not held up


def test_a_bad_token_is_not_counted_against_anyone(api, big_task):
    task_id, (token, _other) = big_task
    for _ in range(LIMIT + 1):
        assert claim(api, task_id, "x" * 43).status_code == 401
    assert claim(api, task_id, token).status_code == 201


def test_the_kiosk_says_calmly_to_wait_and_returns_to_the_board(app, enrolled, place):
    app.config["KIOSK_CLAIM_RATE_LIMIT"] = "1 per minute"
    test_kiosk.take_place(enrolled, place)
    page = enrolled.get(place.details).get_data(as_text=True)
    response = enrolled.post(place.claim, data={"csrf_token": csrf_token(page)})
    assert response.status_code == 429
    text = response.get_data(as_text=True)
    assert "Hetki, odota vähän ja yritä uudelleen." in text
    assert re.search(r'data-error-return-url="/kiosk/testi/done"', text)
    assert count_rows(app, Claim, Claim.task_id == place.task_id) == 1


def test_the_default_limit_waits_a_minute_at_most():
    (limit,) = parse_many(Config.KIOSK_CLAIM_RATE_LIMIT)
    assert limit.get_expiry() <= 60
    assert limit.amount >= 3
