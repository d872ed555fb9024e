"""The visitor's own page on a phone, /c/<token>: seeing the task and giving the place back."""

from types import SimpleNamespace
from urllib.parse import urlsplit

import pytest
import sqlalchemy as sa

from dropin.claims.service import active_counts, claim_place
from dropin.extensions import db
from dropin.models import Claim, Task
from dropin.models.claim import ClaimStatus
from dropin.models.task import TaskStatus
from tests.factories import make_site, make_task
from tests.helpers import csrf_token

CANCEL_LINK = "Peru osallistuminen"


@pytest.fixture
def claimed(app):
    """One place taken in a task of three; the phone link's token as the QR code gives it."""
    with app.app_context():
        task = make_task(make_site("testi"), title="Roskien keruu", place="Rantapolku", capacity=3)
        claim, token = claim_place(task)
        db.session.commit()
        return SimpleNamespace(
            task_id=task.id,
            claim_id=claim.id,
            code=claim.code,
            token=token,
            url=f"/c/{token}",
            release=f"/c/{token}/release",
        )


def claim_row(app, claim_id: int) -> Claim:
    with app.app_context():
        claim = db.session.get(Claim, claim_id)
        db.session.expunge(claim)
        return claim


def active(app, task_id: int) -> int:
    with app.app_context():
        return active_counts([task_id])[task_id]


def test_phone_page_shows_the_task_code_and_a_way_to_cancel(client, claimed):
    response = client.get(claimed.url)
    assert response.status_code == 200
    text = response.get_data(as_text=True)
    assert "Olet mukana" in text
    assert "Roskien keruu" in text
    assert "Rantapolku" in text
    assert f"<strong>{claimed.code}</strong>" in text
    assert f'href="{claimed.release}">{CANCEL_LINK}</a>' in text


def test_confirmation_page_asks_before_releasing(client, app, claimed):
    response = client.get(claimed.release)
    assert response.status_code == 200
    text = response.get_data(as_text=True)
    assert "Perutaanko osallistuminen?" in text
    assert "Roskien keruu" in text
    assert f'action="{claimed.release}"' in text
    assert f'href="{claimed.url}"' in text  # "Ei, olen tulossa" goes back
    assert active(app, claimed.task_id) == 1  # looking is not releasing


def test_release_frees_the_place(client, app, claimed):
    page = client.get(claimed.release).get_data(as_text=True)
    response = client.post(claimed.release, data={"csrf_token": csrf_token(page)})
    assert response.status_code == 302
    assert urlsplit(response.location).path == claimed.url
    assert active(app, claimed.task_id) == 0
    claim = claim_row(app, claimed.claim_id)
    assert claim.status == ClaimStatus.RELEASED
    assert claim.ended_at is not None
    text = client.get(claimed.url).get_data(as_text=True)
    assert "Osallistuminen on peruttu" in text
    assert "Olet mukana" not in text
    assert CANCEL_LINK not in text
    assert claimed.code not in text


def test_releasing_twice_is_harmless(client, app, claimed):
    csrf = csrf_token(client.get(claimed.release).get_data(as_text=True))
    client.post(claimed.release, data={"csrf_token": csrf})
    first = claim_row(app, claimed.claim_id)
    again = client.post(claimed.release, data={"csrf_token": csrf})
    assert again.status_code == 302
    assert urlsplit(again.location).path == claimed.url
    second = claim_row(app, claimed.claim_id)
    assert second.status == ClaimStatus.RELEASED
    assert second.ended_at == first.ended_at
    assert active(app, claimed.task_id) == 0
    confirm = client.get(claimed.release)
    assert confirm.status_code == 302
    assert urlsplit(confirm.location).path == claimed.url


def test_release_needs_the_csrf_token_and_says_so_kindly(client, app, claimed):
    client.get(claimed.release)
    response = client.post(claimed.release, data={"csrf_token": "forged"})
    assert response.status_code == 302
    assert urlsplit(response.location).path == claimed.url
    assert active(app, claimed.task_id) == 1
    assert "Sivu ehti vanhentua" in client.get(claimed.url).get_data(as_text=True)


def test_release_gives_the_place_to_the_next_visitor(client, app, claimed):
    with app.app_context():
        task = db.session.get(Task, claimed.task_id)
        claim_place(task)
        claim_place(task)
        db.session.commit()
    assert active(app, claimed.task_id) == 3
    csrf = csrf_token(client.get(claimed.release).get_data(as_text=True))
    client.post(claimed.release, data={"csrf_token": csrf})
    with app.app_context():
        claim_place(db.session.get(Task, claimed.task_id))  # would raise TaskFull before
        db.session.commit()
    assert active(app, claimed.task_id) == 3


@pytest.mark.parametrize("token", ["unknown", "x" * 32, "a" * 129, "a" * 2000])
def test_unknown_token_is_404(client, claimed, token):
    assert client.get(f"/c/{token}").status_code == 404
    assert client.get(f"/c/{token}/release").status_code == 404


def test_unknown_token_cannot_release(client, app, claimed):
    csrf = csrf_token(client.get(claimed.release).get_data(as_text=True))
    assert client.post(f"/c/{claimed.token}x/release", data={"csrf_token": csrf}).status_code == 404
    assert active(app, claimed.task_id) == 1


def test_cancelled_task_shows_the_reason(client, app, claimed):
    with app.app_context():
        task = db.session.get(Task, claimed.task_id)
        task.status, task.cancel_reason = TaskStatus.CANCELLED, "Myrskyvaroitus, ranta on suljettu."
        db.session.execute(sa.update(Claim).where(Claim.task_id == task.id).values(status=ClaimStatus.CANCELLED))
        db.session.commit()
    text = client.get(claimed.url).get_data(as_text=True)
    assert "Tehtävä on peruttu" in text
    assert "Myrskyvaroitus, ranta on suljettu." in text
    assert "Et tehnyt mitään väärin." in text
    assert CANCEL_LINK not in text
    confirm = client.get(claimed.release)
    assert confirm.status_code == 302
    assert urlsplit(confirm.location).path == claimed.url


def test_phone_page_needs_no_kiosk(client, claimed):
    assert client.get_cookie("dropin_kiosk") is None
    assert client.get(claimed.url).status_code == 200
