"""How long a login lasts: logout ends every copy of the session, and logins expire by the clock."""

import time
from datetime import date

import pytest

from dropin import config
from dropin.auth import lifetime
from dropin.extensions import db
from tests.factories import make_site
from tests.helpers import csrf_token

DAY = "/staff/satama/day/"


@pytest.fixture
def staff(app, client, login_as):
    with app.app_context():
        make_site("satama")
        db.session.commit()
    return login_as("staff", sites=["satama"])


def _session_cookie(client) -> str:
    return client.get_cookie("session").value


def _replay(app, cookie: str):
    """Another browser holding a copy of the cookie."""
    thief = app.test_client()
    thief.set_cookie("session", cookie)
    return thief.get(DAY)


def _set_clocks(client, **ago: int) -> None:
    """Put the session's clocks `seconds` into the past, as if that time had gone by."""
    with client.session_transaction() as session:
        for name, seconds in ago.items():
            session[name] = int(time.time()) - seconds


def test_logout_ends_a_copied_session_cookie(app, client, staff):
    copied = _session_cookie(client)
    assert _replay(app, copied).status_code == 200
    page = client.get(DAY).get_data(as_text=True)
    assert client.post("/logout", data={"csrf_token": csrf_token(page)}).status_code == 302
    replayed = _replay(app, copied)
    assert replayed.status_code == 302
    assert replayed.headers["Location"].startswith("/login")


def test_logging_in_again_after_logout_works(client, staff):
    from tests.helpers import login

    page = client.get(DAY).get_data(as_text=True)
    client.post("/logout", data={"csrf_token": csrf_token(page)})
    assert login(client, "staff@example.org").status_code == 302
    assert client.get(DAY).status_code == 200


def test_a_login_ends_after_twelve_hours_however_busy(app, client, staff):
    _set_clocks(client, **{lifetime.LOGGED_IN_AT: 12 * 3600 - 60, lifetime.SEEN_AT: 10})
    assert client.get(DAY).status_code == 200
    _set_clocks(client, **{lifetime.LOGGED_IN_AT: 12 * 3600 + 1, lifetime.SEEN_AT: 10})
    assert client.get(DAY).status_code == 302
    assert client.get(DAY).status_code == 302  # and stays ended


def test_a_login_ends_after_thirty_idle_minutes(client, staff):
    _set_clocks(client, **{lifetime.SEEN_AT: 29 * 60})
    assert client.get(DAY).status_code == 200  # a request: the idle clock starts over
    _set_clocks(client, **{lifetime.SEEN_AT: 29 * 60})
    assert client.get(DAY).status_code == 200
    _set_clocks(client, **{lifetime.SEEN_AT: 30 * 60 + 1})
    assert client.get(DAY).status_code == 302


def test_the_day_pages_own_polling_does_not_keep_an_idle_login_alive(client, staff):
    """staff.js asks for the live counts every few seconds: a phone left on the day page still logs out."""
    live = f"{DAY}{date.today().isoformat()}/live.json"
    _set_clocks(client, **{lifetime.SEEN_AT: 29 * 60})
    assert client.get(live).status_code == 200  # the poll is answered, but is not the person
    with client.session_transaction() as session:
        session[lifetime.SEEN_AT] -= 2 * 60  # two more minutes with nobody touching the phone
    assert client.get(DAY).status_code == 302


def test_a_replayed_cookie_cannot_outlive_the_idle_limit(app, client, staff):
    _set_clocks(client, **{lifetime.SEEN_AT: 31 * 60})
    assert _replay(app, _session_cookie(client)).status_code == 302


def test_the_idle_limit_is_configurable(app, client, staff):
    app.config["LOGIN_IDLE_SECONDS"] = 5 * 60
    _set_clocks(client, **{lifetime.SEEN_AT: 6 * 60})
    assert client.get(DAY).status_code == 302


def test_login_lifetimes_come_from_the_environment(monkeypatch):
    monkeypatch.setenv("DROPIN_LOGIN_MAX_HOURS", "8")
    monkeypatch.setenv("DROPIN_LOGIN_IDLE_MINUTES", "15")
    settings = config.load({"SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": "sqlite://", "INSTANCE_PATH": "/tmp"})
    assert settings["LOGIN_MAX_SECONDS"] == settings["PERMANENT_SESSION_LIFETIME"] == 8 * 3600
    assert settings["LOGIN_IDLE_SECONDS"] == 15 * 60
