"""Links are built from the request's Host: only the host names we serve are accepted."""

import pytest

from dropin import config
from dropin.extensions import db
from tests.factories import make_kiosk, make_site, make_task

EVIL = "evil.example"


@pytest.fixture
def claimable(app):
    with app.app_context():
        site = make_site("satama")
        task = make_task(site, capacity=3)
        token = make_kiosk(site).api_token
        db.session.commit()
        return task.id, token


def _claim(client, claimable, host=None):
    task_id, token = claimable
    headers = {"Authorization": f"Bearer {token}", **({"Host": host} if host else {})}
    return client.post(f"/api/v1/tasks/{task_id}/claims", headers=headers)


def test_a_foreign_host_gets_400_and_never_a_link_with_it(client, claimable, login_as):
    refused = _claim(client, claimable, host=EVIL)
    assert refused.status_code == 400
    assert EVIL not in refused.get_data(as_text=True)
    for path in ("/", "/login", "/kiosk/satama", "/c/abc", "/ei-ole"):
        response = client.get(path, headers={"Host": EVIL})
        assert response.status_code == 400, path
        assert EVIL not in response.get_data(as_text=True) + str(response.headers), path
    login_as("admin")
    assert client.get("/admin/users", headers={"Host": f"{EVIL}:8080"}).status_code == 400


def test_the_machines_own_names_are_served(client, claimable):
    for host in ("localhost", "127.0.0.1:8080", "localhost:5000"):
        assert client.get("/login", headers={"Host": host}).status_code == 200, host
    link = _claim(client, claimable, host="127.0.0.1:8080").get_json()["phone_url"]
    assert link.startswith("http://127.0.0.1:8080/c/")


def test_a_configured_host_is_served_and_links_follow_it(app, client, claimable):
    app.config["ALLOWED_HOSTS"] = ["dropin.example.fi"]
    assert (
        _claim(client, claimable, host="dropin.example.fi")
        .get_json()["phone_url"]
        .startswith("http://dropin.example.fi/c/")
    )
    assert client.get("/login", headers={"Host": "localhost"}).status_code == 400


def _hosts(monkeypatch, **env) -> list[str] | None:
    for name in ("DROPIN_ALLOWED_HOSTS", "DROPIN_PUBLIC_URL", "HOST"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return config.load({"SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": "sqlite://", "INSTANCE_PATH": "/tmp"})[
        "ALLOWED_HOSTS"
    ]


def test_by_default_this_machine_and_the_public_url_are_allowed(monkeypatch):
    hosts = _hosts(monkeypatch, DROPIN_PUBLIC_URL="http://192.168.1.10:8080", HOST="10.1.2.3")
    assert {"localhost", "127.0.0.1", "192.168.1.10", "10.1.2.3"} <= set(hosts)
    assert set(config.machine_names()) <= set(hosts)
    assert EVIL not in hosts


def test_allowed_hosts_come_from_the_environment(monkeypatch):
    assert _hosts(monkeypatch, DROPIN_ALLOWED_HOSTS="dropin.example.fi, .kunta.fi") == [
        "dropin.example.fi",
        ".kunta.fi",
    ]
    assert _hosts(monkeypatch, DROPIN_ALLOWED_HOSTS="*") is None
