"""Logging in and out: hashed passwords, throttling per account and per client, sessions."""

from datetime import timedelta

import pytest
import sqlalchemy as sa

from dropin.extensions import db
from dropin.models import LoginThrottle, User
from dropin.models.base import utcnow
from tests.factories import make_site, make_user
from tests.helpers import PASSWORD, csrf_token, login


@pytest.fixture
def users(app):
    with app.app_context():
        site = make_site("satama")
        make_user("staff@example.org", "staff", sites=[site])
        make_user("worker@example.org", "worker")
        db.session.commit()


def _attempt(client, email, password, address="10.0.0.1"):
    return login(client, email, password, environ_base={"REMOTE_ADDR": address})


def test_login_lands_staff_on_their_day_and_sets_an_expiring_session(client, users):
    response = login(client, "Staff@Example.org ", PASSWORD)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/staff/")
    cookie = response.headers.getlist("Set-Cookie")[-1]
    assert "Expires=" in cookie
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie
    assert client.get("/staff/satama/day/").status_code == 200


def test_wrong_password_is_a_clear_finnish_message(client, users):
    response = _attempt(client, "staff@example.org", "väärä-salasana")
    assert response.status_code == 401
    assert "Sähköposti tai salasana on väärin." in response.get_data(as_text=True)


def test_five_failures_lock_the_account_for_fifteen_minutes(app, client, users):
    for n in range(5):
        # From five different clients: the account itself is what gets locked.
        assert _attempt(client, "staff@example.org", "väärä", address=f"10.0.1.{n}").status_code in (401, 429)
    locked = _attempt(client, "staff@example.org", PASSWORD, address="10.0.2.1")
    assert locked.status_code == 429
    assert "Yritä uudelleen 15 minuutin päästä" in locked.get_data(as_text=True)
    with app.app_context():
        rows = db.session.scalars(sa.select(LoginThrottle)).all()
        # Keys are hashes: no e-mail address or IP address is stored.
        assert all("staff@" not in r.key and "10.0." not in r.key for r in rows)
        for row in rows:
            row.locked_until = utcnow() - timedelta(seconds=1)
        db.session.commit()
    assert _attempt(client, "staff@example.org", PASSWORD, address="10.0.2.1").status_code == 302


def test_five_failures_from_one_client_lock_that_client(client, users):
    for n in range(5):
        _attempt(client, f"nobody{n}@example.org", "väärä", address="10.9.9.9")
    assert _attempt(client, "worker@example.org", PASSWORD, address="10.9.9.9").status_code == 429
    assert _attempt(client, "worker@example.org", PASSWORD, address="10.9.9.8").status_code == 302


def test_disabled_user_cannot_log_in_and_is_signed_out(app, client, users):
    login(client, "staff@example.org")
    with app.app_context():
        db.session.scalar(sa.select(User).where(User.email == "staff@example.org")).active = False
        db.session.commit()
    assert client.get("/staff/satama/day/").status_code == 302  # the running session ends
    assert _attempt(client, "staff@example.org", PASSWORD).status_code == 401


def test_a_password_change_signs_out_other_sessions(app, client, users):
    login(client, "staff@example.org")
    with app.app_context():
        user = db.session.scalar(sa.select(User).where(User.email == "staff@example.org"))
        user.set_password("uusi-salasana-1234")
        db.session.commit()
    assert client.get("/staff/satama/day/").status_code == 302


def test_logout_needs_a_post_with_csrf(client, users):
    login(client, "staff@example.org")
    assert client.get("/logout").status_code == 405
    page = client.get("/staff/satama/day/").get_data(as_text=True)
    assert client.post("/logout", data={"csrf_token": csrf_token(page)}).status_code == 302
    assert client.get("/staff/satama/day/").status_code == 302


def test_next_never_redirects_off_site(client, users):
    page = client.get("/login?next=//evil.example/x")
    response = client.post(
        "/login?next=//evil.example/x",
        data={
            "csrf_token": csrf_token(page.get_data(as_text=True)),
            "email": "staff@example.org",
            "password": PASSWORD,
        },
    )
    assert "evil.example" not in response.headers["Location"]


def test_passwords_are_stored_with_a_modern_kdf(app, users):
    with app.app_context():
        hashes = db.session.scalars(sa.select(User.password_hash)).all()
        assert all(h.startswith("scrypt:") and PASSWORD not in h for h in hashes)


def test_login_form_errors_are_400_not_500(client, users):
    assert client.post("/login", data={"email": "x", "password": "y"}).status_code == 400
    huge = client.post("/login", data={"email": "a" * 100_000, "password": "b"})
    assert huge.status_code in (400, 413)


def test_enabling_a_disabled_user_does_not_revive_old_sessions(app, client, users):
    from dropin.auth.accounts import set_active

    login(client, "staff@example.org")
    with app.test_request_context():
        user = db.session.scalar(sa.select(User).where(User.email == "staff@example.org"))
        set_active(user, False, acting=make_user("boss@example.org", "admin"))
        set_active(user, True, acting=db.session.scalar(sa.select(User).where(User.email == "boss@example.org")))
        db.session.commit()
    assert client.get("/staff/satama/day/").status_code == 302
    assert login(client, "staff@example.org").status_code == 302
    assert client.get("/staff/satama/day/").status_code == 200


def test_audit_filters_with_huge_ids_are_not_errors(client, users, login_as):
    login_as("admin")
    assert client.get("/admin/audit?user=99999999999999999999").status_code in (200, 400)
    assert client.get("/admin/audit?site=-5").status_code in (200, 400)
