"""Who may open the partner, template and proposal pages and /staff/planning; forged forms on them."""

import pytest

from dropin.models import AuditEvent
from tests.helpers import audit_text, count_rows, token_of
from tests.web.filled_forms import partner_data

STALE_FORM = "Lomake ehti vanhentua"


def get_routes(w) -> list[str]:
    return [
        "/staff/partners",
        "/staff/partners/new",
        f"/staff/partners/{w['partner']}",
        f"/staff/partners/{w['partner']}/edit",
        "/staff/planning",
    ] + site_get_routes(w)


def site_get_routes(w) -> list[str]:
    s = w["site"]
    return [
        f"/staff/{s}/templates",
        f"/staff/{s}/templates/new",
        f"/staff/{s}/templates/{w['template']}/edit",
        f"/staff/{s}/proposals",
    ]


def post_routes(w) -> list[str]:
    s, p = w["site"], w["partner"]
    return [
        "/staff/partners/new",
        f"/staff/partners/{p}/edit",
        f"/staff/partners/{p}/archive",
        f"/staff/partners/{p}/unarchive",
        f"/staff/partners/{p}/links",
        f"/staff/partners/{p}/links/{w['link']}/revoke",
        f"/staff/{s}/templates/new",
        f"/staff/{s}/templates/{w['template']}/edit",
        f"/staff/{s}/templates/{w['template']}/pause",
        f"/staff/{s}/templates/{w['template']}/resume",
        f"/staff/{s}/proposals/{w['proposal']}/approve",
        f"/staff/{s}/proposals/{w['proposal']}/reject",
    ]


# --- who gets in ----------------------------------------------------------------------------------


def test_anonymous_users_are_sent_to_log_in(client, planning):
    for path in get_routes(planning):
        response = client.get(path)
        assert response.status_code == 302, path
        assert "/login" in response.headers["Location"], path


def test_anonymous_posts_are_refused(client, planning, app):
    token = token_of(client, "/login")  # a session with a CSRF token, but no user
    for path in post_routes(planning):
        response = client.post(path, data={"csrf_token": token})
        assert response.status_code == 302, path
        assert "/login" in response.headers["Location"], path
    assert count_rows(app, AuditEvent, AuditEvent.user_id.is_not(None)) == 0


@pytest.mark.parametrize(
    ("role", "sites", "partners", "site_pages"),
    [
        ("staff", ["satama"], 200, 200),
        ("admin", [], 200, 200),
        ("staff", ["muu"], 200, 403),
        ("worker", [], 403, 403),
    ],
    ids=["staff", "admin", "staff-of-another-site", "worker"],
)
def test_roles_against_every_page(client, planning, login_as, role, sites, partners, site_pages):
    login_as(role, sites)
    site_paths = site_get_routes(planning)
    for path in get_routes(planning):
        response = client.get(path)
        if path == "/staff/planning":
            expected = {403} if role == "worker" else {200, 302}
        else:
            expected = {site_pages if path in site_paths else partners}
        assert response.status_code in expected, (role, sites, path, response.status_code)


@pytest.mark.parametrize(
    ("role", "sites"), [("worker", []), ("staff", ["muu"])], ids=["worker", "staff-of-another-site"]
)
def test_posts_of_those_without_the_right_are_refused_and_change_nothing(client, app, planning, login_as, role, sites):
    login_as(role, sites)
    token = token_of(client, f"/p/{planning['token']}/propose")  # a page with a form, whoever is logged in
    before = audit_text(app)
    for path in post_routes(planning):
        if role == "staff" and path.startswith("/staff/partners/") and "revoke" not in path:
            continue  # partners are shared by every site's staff
        response = client.post(path, data={"csrf_token": token, "name": "X", "site_id": "1"})
        assert response.status_code == 403, (role, sites, path, response.status_code)
    assert audit_text(app) == before


# --- forged forms ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "/staff/partners/new",
        "/staff/partners/{p}/edit",
        "/staff/partners/{p}/archive",
        "/staff/partners/{p}/links",
        "/staff/{s}/templates/new",
        "/staff/{s}/proposals/{q}/approve",
        "/p/{t}",
    ],
)
def test_forged_csrf_token_is_a_finnish_400_and_stores_nothing(client, app, planning, login_as, path):
    login_as("staff", sites=["satama"])
    before = audit_text(app)
    url = path.format(p=planning["partner"], s=planning["site"], q=planning["proposal"], t=planning["token"])
    response = client.post(url, data=partner_data("forged-token"))
    assert response.status_code == 400
    assert STALE_FORM in response.get_data(as_text=True)
    assert audit_text(app) == before
