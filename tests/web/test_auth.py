"""Logging in and out: hashed passwords, throttling per account and per client, sessions."""

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from dropin.auth import throttle
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


def _expire_locks(app) -> None:
    """Move every lock and wait into the past, as if the minutes had gone by."""
    with app.app_context():
        for row in db.session.scalars(sa.select(LoginThrottle)):
            row.locked_until = utcnow() - timedelta(seconds=1)
        db.session.commit()


def test_five_wrong_passwords_lock_that_client_out_of_that_account_for_fifteen_minutes(app, client, users):
    for _ in range(4):
        assert _attempt(client, "staff@example.org", "väärä", address="10.0.1.1").status_code == 401
    assert _attempt(client, "staff@example.org", "väärä", address="10.0.1.1").status_code == 429
    locked = _attempt(client, "staff@example.org", PASSWORD, address="10.0.1.1")
    assert locked.status_code == 429
    assert "Yritä uudelleen 15 minuutin päästä" in locked.get_data(as_text=True)
    with app.app_context():
        rows = db.session.scalars(sa.select(LoginThrottle)).all()
        # Keys are hashes: no e-mail address or IP address is stored.
        assert rows
        assert all("staff@" not in r.key and "10.0." not in r.key for r in rows)
    _expire_locks(app)
    assert _attempt(client, "staff@example.org", PASSWORD, address="10.0.1.1").status_code == 302


def test_five_wrong_passwords_from_one_client_do_not_lock_out_another(client, users):
    for _ in range(5):
        _attempt(client, "staff@example.org", "väärä", address="10.0.1.1")
    assert _attempt(client, "staff@example.org", PASSWORD, address="10.0.1.1").status_code == 429
    assert _attempt(client, "staff@example.org", PASSWORD, address="10.0.2.2").status_code == 302


def test_many_wrong_passwords_slow_the_account_down_briefly_instead_of_locking_it(app, client, users):
    # Ten from two clients: each is locked out, and the account now makes everyone wait a moment.
    for n in range(throttle.SLOW_AFTER):
        _attempt(client, "staff@example.org", "väärä", address=f"10.0.1.{n % 2}")
    slowed = _attempt(client, "staff@example.org", PASSWORD, address="10.0.2.2")
    assert slowed.status_code == 429
    assert 1 <= int(slowed.headers["Retry-After"]) <= throttle.MAX_DELAY.total_seconds()
    assert "Odota 1 sekuntia" in slowed.get_data(as_text=True)
    with app.app_context():
        account = db.session.get(LoginThrottle, throttle.attempt_for("staff@example.org", "-", app.secret_key).account)
        account.locked_until = utcnow() - timedelta(seconds=1)  # the second has passed
        db.session.commit()
    assert _attempt(client, "staff@example.org", PASSWORD, address="10.0.2.2").status_code == 302


def test_the_wait_grows_with_each_wrong_password_and_stays_short():
    waits = [throttle.account_delay(n).total_seconds() for n in range(throttle.SLOW_AFTER + 10)]
    assert waits[: throttle.SLOW_AFTER] == [0] * throttle.SLOW_AFTER
    assert waits[throttle.SLOW_AFTER :][:4] == [1, 2, 4, 8]
    assert waits == sorted(waits)
    assert max(waits) == throttle.MAX_DELAY.total_seconds() == 60


def test_many_failures_from_one_client_lock_that_client(client, users):
    for n in range(throttle.MAX_CLIENT_ATTEMPTS):
        _attempt(client, f"nobody{n}@example.org", "väärä", address="10.9.9.9")
    assert _attempt(client, "worker@example.org", PASSWORD, address="10.9.9.9").status_code == 429
    assert _attempt(client, "worker@example.org", PASSWORD, address="10.9.9.8").status_code == 302


def test_admins_see_recent_lockouts_without_addresses(app, client, users, login_as):
    for _ in range(5):
        _attempt(client, "staff@example.org", "väärä", address="10.0.1.1")
    for _ in range(5):
        _attempt(client, "nobody@example.org", "väärä", address="10.0.1.1")
    other = app.test_client()
    login_as("admin", client=other)
    page = other.get("/admin/users").get_data(as_text=True)
    lockouts = page[page.index("Viimeaikaiset lukitukset") :]
    assert "staff@example.org" in lockouts
    assert "nobody@example.org" not in lockouts  # no account: nothing to show, nothing stored
    assert "10.0.1.1" not in page
    row = lockouts[lockouts.index("staff@example.org") :]
    assert re.search(r"<td[^>]*>\s*5\s*</td>", row), "five wrong passwords"


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
