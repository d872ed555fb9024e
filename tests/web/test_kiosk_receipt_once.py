"""The phone link of a receipt is shown once: the kiosk's session cookie forgets the phone token as
soon as the receipt is on the screen, and a reload shows the code without the QR code."""

from urllib.parse import urlsplit

from dropin.qr import qr_data_uri
from tests.helpers import csrf_token
from tests.web import test_kiosk
from tests.web.test_kiosk import claims_of, receipt_token, take_place

enrolled, place = test_kiosk.enrolled, test_kiosk.place


def session_of(app, client) -> dict:
    """The session as the kiosk's cookie holds it, decoded with the app's own session interface."""
    cookie = client.get_cookie(app.config["SESSION_COOKIE_NAME"])
    return dict(app.session_interface.get_signing_serializer(app).loads(cookie.value))


def test_the_receipt_shows_the_qr_code_once_and_the_cookie_forgets_the_token(app, enrolled, place):
    take_place(enrolled, place)
    token = receipt_token(enrolled)
    page = enrolled.get(place.receipt).get_data(as_text=True)
    assert qr_data_uri(f"http://localhost/c/{token}") in page
    cookie = session_of(app, enrolled)
    assert token not in repr(cookie)
    assert "receipt" not in cookie
    [claim] = claims_of(app, place.task_id)
    again = enrolled.get(place.receipt)
    assert again.status_code == 200
    text = again.get_data(as_text=True)
    assert f">{claim.code}<" in text  # the visitor may still be reading it
    assert "data:image/svg+xml" not in text
    assert token not in text


def test_the_first_time_answer_still_works_after_the_receipt_was_shown(app, enrolled, place):
    take_place(enrolled, place)
    receipt = enrolled.get(place.receipt).get_data(as_text=True)
    response = enrolled.post(
        "/kiosk/testi/receipt/first-time", data={"csrf_token": csrf_token(receipt), "answer": "yes"}
    )
    assert urlsplit(response.location).path == place.receipt
    [claim] = claims_of(app, place.task_id)
    assert claim.first_time is True
    thanks = enrolled.get(response.location).get_data(as_text=True)
    assert "Kiitos vastauksesta!" in thanks
    assert "data:image/svg+xml" not in thanks


def test_done_forgets_the_receipt_altogether(app, enrolled, place):
    take_place(enrolled, place)
    enrolled.get(place.receipt)
    enrolled.get("/kiosk/testi/done")
    assert urlsplit(enrolled.get(place.receipt).location).path == place.board
    assert not {key for key in session_of(app, enrolled) if key.startswith("receipt")}
