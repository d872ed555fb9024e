"""The admin pages as a whole: only admins get in, and the staff menu links there for them alone."""

import re
import secrets

import pytest
from itsdangerous import URLSafeTimedSerializer

from tests.helpers import admin_counts, login, token_of


def session_csrf(app, client) -> str:
    """The CSRF token of the client's session, as any page of it would embed (Flask-WTF's own recipe):
    a worker has no admin page to read it from, and a POST needs one to get past CSRF to the role check."""
    with client.session_transaction() as session:
        raw = session.setdefault("csrf_token", secrets.token_hex(20))
    return URLSafeTimedSerializer(app.config["SECRET_KEY"], salt="wtf-csrf-token").dumps(raw)


def admin_routes(ids) -> list[tuple[str, str]]:
    return [
        ("GET", "/admin/users"),
        ("GET", "/admin/users/new"),
        ("POST", "/admin/users/new"),
        ("GET", f"/admin/users/{ids.staff}/edit"),
        ("POST", f"/admin/users/{ids.staff}/edit"),
        ("POST", f"/admin/users/{ids.staff}/disable"),
        ("POST", f"/admin/users/{ids.staff}/enable"),
        ("GET", f"/admin/users/{ids.staff}/password"),
        ("POST", f"/admin/users/{ids.staff}/password"),
        ("GET", "/admin/audit"),
        ("GET", "/admin/sites"),
        ("GET", "/admin/sites/new"),
        ("POST", "/admin/sites/new"),
        ("GET", f"/admin/sites/{ids.site}"),
        ("GET", f"/admin/sites/{ids.site}/edit"),
        ("POST", f"/admin/sites/{ids.site}/edit"),
        ("POST", f"/admin/sites/{ids.site}/kiosks"),
        ("POST", f"/admin/kiosks/{ids.kiosk}/revoke"),
        ("POST", f"/admin/kiosks/{ids.kiosk}/reissue"),
        ("GET", "/admin/regions"),
        ("GET", "/admin/regions/new"),
        ("POST", "/admin/regions/new"),
        ("GET", "/admin/regions/1/edit"),  # the default region of the migration
        ("POST", "/admin/regions/1/edit"),
    ]


def test_every_admin_route_is_in_the_access_table(app, people):
    listed = {(method, re.sub(r"/\d+", "/<n>", url)) for method, url in admin_routes(people)} | {("GET", "/admin/")}
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith("admin."):
            path = re.sub(r"<(?:int|id):\w+>", "<n>", rule.rule)
            for method in rule.methods - {"HEAD", "OPTIONS"}:
                assert (method, path) in listed, f"{method} {rule.rule} is not checked for access"


@pytest.mark.parametrize("role", ["admin", "staff", "worker", "anonymous"])
def test_only_admins_get_in(app, client, people, role):
    if role != "anonymous":
        assert login(client, f"{role}@example.org").status_code == 302
    before = admin_counts(app)
    for method, url in admin_routes(people):
        if method == "GET":
            response = client.get(url)
        elif role == "admin":
            continue  # what admins' POSTs do is tested below
        else:
            response = client.post(url, data={"csrf_token": session_csrf(app, client)})
        if role == "admin":
            assert response.status_code == 200, url
        elif role == "anonymous":
            assert response.status_code == 302, f"{method} {url}"
            assert response.location.startswith("/login"), f"{method} {url}"
        else:
            assert response.status_code == 403, f"{method} {url}"
    assert admin_counts(app) == before
    index = client.get("/admin/")
    assert index.status_code == {"admin": 302, "anonymous": 302}.get(role, 403)


def test_the_staff_menu_links_to_admin_for_admins_only(app, client, people):
    login(client, "admin@example.org")
    assert 'href="/admin/users"' in client.get("/staff/testi/day/").get_data(as_text=True)
    client.post("/logout", data={"csrf_token": token_of(client, "/admin/users")})
    login(client, "staff@example.org")
    assert "/admin/" not in client.get("/staff/testi/day/").get_data(as_text=True)


@pytest.mark.parametrize(
    "url",
    ["/admin/users/999999/edit", "/admin/users/99999999999/edit", "/admin/sites/99999999999", "/admin/sites/0/edit"],
)
def test_unknown_ids_are_not_found(admin, url):
    assert admin.get(url).status_code == 404
