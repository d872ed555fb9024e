"""A claim sent again after its answer was lost: the API's Idempotency-Key and the kiosk's one-time
join form return the first claim instead of taking a second place."""

import re

import pytest
import sqlalchemy as sa

from dropin.extensions import db
from dropin.models import Claim, Site
from tests.factories import make_kiosk, make_task
from tests.helpers import csrf_token
from tests.web import test_api, test_kiosk

# The API's and the kiosk's own fixtures.
api, board, spec = test_api.api, test_api.board, test_api.spec
enrolled, place = test_kiosk.enrolled, test_kiosk.place


def claims(app, task_id: int) -> list[tuple[str, str]]:
    with app.app_context():
        return db.session.execute(sa.select(Claim.code, Claim.token_hash).where(Claim.task_id == task_id)).all()


def post_claim(api, board, key: str | None, token: str | None = None):
    headers = {"Idempotency-Key": key} if key is not None else {}
    return api("POST", f"/api/v1/tasks/{board.task_id}/claims", token=token or board.token, headers=headers)


# --- the API ------------------------------------------------------------------------------------


def test_the_same_key_twice_is_one_claim_and_the_same_answer(app, api, board):
    first = post_claim(api, board, "e5b1c0de-0001")
    again = post_claim(api, board, "e5b1c0de-0001")
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.get_json() == first.get_json()
    assert again.headers["Location"] == first.headers["Location"]
    assert len(claims(app, board.task_id)) == 1


def test_different_keys_are_different_claims(app, api, board):
    tokens = {post_claim(api, board, key).get_json()["token"] for key in ("yksi", "kaksi")}
    assert len(tokens) == 2
    assert len(claims(app, board.task_id)) == 2


def test_a_key_belongs_to_its_kiosk(app, api, board):
    with app.app_context():
        other = make_kiosk(db.session.get(Site, board.site_id), "Toinen näyttö")
        db.session.commit()
        other_token = other.api_token
    first = post_claim(api, board, "sama-avain")
    second = post_claim(api, board, "sama-avain", token=other_token)
    assert first.get_json()["token"] != second.get_json()["token"]
    assert len(claims(app, board.task_id)) == 2


def test_the_retry_of_a_claim_that_filled_the_task_is_still_the_claim(app, api, board):
    post_claim(api, board, None)
    first = post_claim(api, board, "viimeinen")  # the last of two places
    again = post_claim(api, board, "viimeinen")
    assert again.status_code == 201
    assert again.get_json()["code"] == first.get_json()["code"]


def test_a_key_used_for_another_task_is_refused(app, api, board):
    with app.app_context():
        other_task = make_task(db.session.get(Site, board.site_id), title="Toinen").id
        db.session.commit()
    post_claim(api, board, "avain")
    response = api(
        "POST", f"/api/v1/tasks/{other_task}/claims", token=board.token, headers={"Idempotency-Key": "avain"}
    )
    assert response.status_code == 422
    assert response.get_json()["error"] == "idempotency_key_reused"
    assert claims(app, other_task) == []


@pytest.mark.parametrize("key", ["", "x" * 256, "sarkain\tvälissä", "ääkkönen"])
def test_a_malformed_key_is_a_400(app, api, board, key):
    response = post_claim(api, board, key)
    assert response.status_code == 400
    assert response.get_json()["error"] == "bad_idempotency_key"
    assert claims(app, board.task_id) == []


def test_the_document_describes_the_header(spec):
    parameters = spec["paths"]["/api/v1/tasks/{task_id}/claims"]["post"]["parameters"]
    resolved = [test_api._resolve(spec, p["$ref"]) if "$ref" in p else p for p in parameters]
    headers = [p for p in resolved if p["in"] == "header"]
    assert [h["name"] for h in headers] == ["Idempotency-Key"]
    assert "retry" in headers[0]["description"].lower()


# --- the kiosk ----------------------------------------------------------------------------------


def join_form(client, place) -> dict:
    page = client.get(place.details).get_data(as_text=True)
    nonce = re.search(r'name="nonce" type="hidden" value="([^"]+)"', page)
    assert nonce, "no one-time nonce in the join form"
    return {"csrf_token": csrf_token(page), "nonce": nonce.group(1)}


def receipt_code(client, place) -> str:
    page = client.get(place.receipt).get_data(as_text=True)
    return re.search(r'class="receipt-code"[^>]*>([A-Z0-9]+)<', page).group(1)


def test_the_join_form_sent_twice_is_one_claim_and_the_same_receipt(app, enrolled, place):
    form = join_form(enrolled, place)
    assert enrolled.post(place.claim, data=form).status_code == 302
    first = receipt_code(enrolled, place)
    assert enrolled.post(place.claim, data=form).status_code == 302  # a reload or a resubmit
    assert receipt_code(enrolled, place) == first
    assert [code for code, _ in claims(app, place.task_id)] == [first]


def test_each_visit_of_the_details_page_is_a_new_place(app, enrolled, place):
    for _ in range(2):
        enrolled.post(place.claim, data=join_form(enrolled, place))
    assert len(claims(app, place.task_id)) == 2


def test_an_old_join_form_takes_no_place(app, enrolled, place):
    form = join_form(enrolled, place)
    app.config["KIOSK_JOIN_SECONDS"] = -1  # every form is too old now
    response = enrolled.post(place.claim, data=form)
    assert response.status_code == 302
    assert response.location.endswith(place.details)
    assert claims(app, place.task_id) == []


def test_a_forged_nonce_takes_no_place(app, enrolled, place):
    form = join_form(enrolled, place) | {"nonce": "keksitty"}
    assert enrolled.post(place.claim, data=form).location.endswith(place.details)
    assert claims(app, place.task_id) == []
