"""The admin pages: who may open them, users, sites and kiosks, and the audit log."""

import json
import re
import secrets
from datetime import UTC, datetime
from types import SimpleNamespace

import pytest
import sqlalchemy as sa
from itsdangerous import URLSafeTimedSerializer

from dropin.extensions import db
from dropin.models import AuditEvent, Kiosk, Site, User
from dropin.models.user import ROLE_ADMIN, ROLE_STAFF, ROLE_WORKER
from tests.factories import make_kiosk, make_site, make_task, make_user
from tests.helpers import PASSWORD, login, token_of


@pytest.fixture
def people(app):
    """A site with a task and a kiosk; an admin, a staff member of the site and a project worker."""
    with app.app_context():
        site = make_site("testi")
        task = make_task(site)
        kiosk = make_kiosk(site).kiosk
        admin = make_user("admin@example.org", ROLE_ADMIN)
        staff = make_user("staff@example.org", ROLE_STAFF, sites=[site])
        worker = make_user("worker@example.org", ROLE_WORKER)
        db.session.commit()
        return SimpleNamespace(
            site=site.id, task=task.id, kiosk=kiosk.id, admin=admin.id, staff=staff.id, worker=worker.id
        )


@pytest.fixture
def admin(client, people):
    """The test client, signed in as the admin."""
    assert login(client, "admin@example.org").status_code == 302
    return client


def session_csrf(app, client) -> str:
    """The CSRF token of the client's session, as any page of it would embed (Flask-WTF's own recipe):
    a worker has no admin page to read it from, and a POST needs one to get past CSRF to the role check."""
    with client.session_transaction() as session:
        raw = session.setdefault("csrf_token", secrets.token_hex(20))
    return URLSafeTimedSerializer(app.config["SECRET_KEY"], salt="wtf-csrf-token").dumps(raw)


def counts(app) -> tuple[int, int, int, int]:
    """Users, sites, kiosks and audit events: what a refused request must not add to."""
    with app.app_context():
        return tuple(
            db.session.scalar(sa.select(sa.func.count()).select_from(model))
            for model in (User, Site, Kiosk, AuditEvent)
        )


def audit_rows(app, action=None) -> list[AuditEvent]:
    with app.app_context():
        query = sa.select(AuditEvent).order_by(AuditEvent.id)
        if action:
            query = query.where(AuditEvent.action == action)
        rows = db.session.scalars(query).all()
        db.session.expunge_all()
        return rows


# --- who may open what ------------------------------------------------------------------------


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
    before = counts(app)
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
    assert counts(app) == before
    index = client.get("/admin/")
    assert index.status_code == {"admin": 302, "anonymous": 302}.get(role, 403)


def test_the_staff_menu_links_to_admin_for_admins_only(app, client, people):
    login(client, "admin@example.org")
    assert 'href="/admin/users"' in client.get("/staff/testi/day/").get_data(as_text=True)
    client.post("/logout", data={"csrf_token": token_of(client, "/admin/users")})
    login(client, "staff@example.org")
    assert "/admin/" not in client.get("/staff/testi/day/").get_data(as_text=True)


# --- users ------------------------------------------------------------------------------------


def new_user_form(admin, **fields) -> dict:
    data = {
        "csrf_token": token_of(admin, "/admin/users/new"),
        "email": "uusi@example.org",
        "role": "staff",
        "password_mode": "typed",
        "password": "pitkä-salasana-1",
    }
    data.update(fields)
    return data


def test_admin_adds_a_staff_member_who_can_then_log_in(app, admin, people):
    response = admin.post(
        "/admin/users/new", data=new_user_form(admin, email=" Uusi@Example.org ", sites=[str(people.site)])
    )
    assert response.status_code == 302
    with app.app_context():
        user = db.session.scalar(sa.select(User).where(User.email == "uusi@example.org"))
        assert (user.role, [s.slug for s in user.sites], user.active) == ("staff", ["testi"], True)
    [event] = audit_rows(app, "user.create")
    assert event.after == {"email": "uusi@example.org", "role": "staff", "active": True, "sites": ["testi"]}
    assert event.user_email == "admin@example.org"
    other = app.test_client()
    assert login(other, "uusi@example.org", "pitkä-salasana-1").status_code == 302


def test_a_generated_password_is_shown_once_and_works(app, admin, people):
    page = admin.post(
        "/admin/users/new", data=new_user_form(admin, password_mode="generate", password="", role="worker")
    )
    assert page.status_code == 200
    password = re.search(r'data-testid="password">([^<]+)<', page.get_data(as_text=True)).group(1)
    assert len(password) >= 10
    assert password not in admin.get("/admin/users").get_data(as_text=True)
    with app.app_context():
        user = db.session.scalar(sa.select(User).where(User.email == "uusi@example.org"))
        assert user.check_password(password) and user.sites == []
    assert login(app.test_client(), "uusi@example.org", password).status_code == 302


def test_sites_are_kept_for_staff_only(app, admin, people):
    admin.post("/admin/users/new", data=new_user_form(admin, role="worker", sites=[str(people.site)]))
    with app.app_context():
        assert db.session.scalar(sa.select(User).where(User.email == "uusi@example.org")).sites == []


@pytest.mark.parametrize(
    "fields, message",
    [
        ({"email": "ei-sahkopostia"}, "Sähköpostiosoite ei ole oikean muotoinen."),
        ({"email": ""}, "Anna sähköpostiosoite."),
        ({"email": "a" * 300 + "@example.org"}, "Sähköpostiosoite on liian pitkä."),
        ({"password": "lyhyt"}, "Salasanassa pitää olla vähintään 10 merkkiä."),
        ({"password": ""}, "Salasanassa pitää olla vähintään 10 merkkiä."),
        ({"password": "x" * 5000}, "Salasana on liian pitkä"),
        ({"role": "superuser"}, "Tarkista merkityt kohdat."),
        ({"sites": ["999999"]}, "Tarkista merkityt kohdat."),
        ({"email": "staff@example.org"}, "Tällä sähköpostiosoitteella on jo tunnus."),
        ({"csrf_token": "forged"}, "Lomake ehti vanhentua"),
    ],
)
def test_bad_user_input_is_refused_and_stores_nothing(app, admin, people, fields, message):
    before = counts(app)
    response = admin.post("/admin/users/new", data=new_user_form(admin, **fields))
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert counts(app) == before


def test_admin_changes_role_and_sites_audited_before_and_after(app, admin, people):
    token = token_of(admin, f"/admin/users/{people.staff}/edit")
    response = admin.post(f"/admin/users/{people.staff}/edit", data={"csrf_token": token, "role": "worker"})
    assert response.status_code == 302
    with app.app_context():
        user = db.session.get(User, people.staff)
        assert (user.role, user.sites) == ("worker", [])
    [event] = audit_rows(app, "user.update")
    assert (event.entity, event.entity_id) == ("user", people.staff)
    assert event.before == {"role": "staff", "sites": ["testi"]}
    assert event.after == {"role": "worker", "sites": []}


def test_an_admin_cannot_demote_or_disable_themselves(app, admin, people):
    before = counts(app)
    url = f"/admin/users/{people.admin}/edit"
    response = admin.post(url, data={"csrf_token": token_of(admin, url), "role": "staff"})
    assert response.status_code == 400
    assert "Et voi poistaa omaa ylläpitäjän rooliasi" in response.get_data(as_text=True)
    response = admin.post(f"/admin/users/{people.admin}/disable", data={"csrf_token": token_of(admin, url)})
    assert response.status_code == 400
    assert "Et voi poistaa omaa tunnustasi käytöstä" in response.get_data(as_text=True)
    with app.app_context():
        me = db.session.get(User, people.admin)
        assert (me.role, me.active) == ("admin", True)
    assert counts(app) == before
    assert admin.get("/admin/users").status_code == 200


def test_a_disabled_user_is_signed_out_and_cannot_log_in(app, admin, people):
    staff = app.test_client()
    assert login(staff, "staff@example.org").status_code == 302
    assert staff.get("/staff/testi/day/").status_code == 200
    url = f"/admin/users/{people.staff}/disable"
    assert admin.post(url, data={"csrf_token": token_of(admin, "/admin/users/new")}).status_code == 302
    # The open session ends at its next request.
    response = staff.get("/staff/testi/day/")
    assert response.status_code == 302 and response.location.startswith("/login")
    refused = login(staff, "staff@example.org")
    assert refused.status_code == 401
    assert "Sähköposti tai salasana on väärin." in refused.get_data(as_text=True)
    [event] = audit_rows(app, "user.disable")
    assert (event.before, event.after) == ({"active": True}, {"active": False})
    # Enabled again, the same password works.
    admin.post(f"/admin/users/{people.staff}/enable", data={"csrf_token": token_of(admin, "/admin/users/new")})
    assert login(app.test_client(), "staff@example.org").status_code == 302


def test_a_password_reset_signs_out_the_users_other_sessions(app, admin, people):
    staff = app.test_client()
    login(staff, "staff@example.org")
    assert staff.get("/staff/testi/day/").status_code == 200
    url = f"/admin/users/{people.staff}/password"
    response = admin.post(
        url, data={"csrf_token": token_of(admin, url), "password_mode": "typed", "password": "aivan-uusi-salasana"}
    )
    assert response.status_code == 302
    signed_out = staff.get("/staff/testi/day/")
    assert signed_out.status_code == 302 and signed_out.location.startswith("/login")
    assert login(app.test_client(), "staff@example.org", PASSWORD).status_code == 401
    assert login(app.test_client(), "staff@example.org", "aivan-uusi-salasana").status_code == 302
    [event] = audit_rows(app, "user.password")
    assert (event.entity_id, event.before, event.after) == (people.staff, None, None)


def test_an_admin_resetting_their_own_password_stays_signed_in(app, admin, people):
    url = f"/admin/users/{people.admin}/password"
    page = admin.post(url, data={"csrf_token": token_of(admin, url), "password_mode": "generate"})
    assert page.status_code == 200
    assert admin.get("/admin/users").status_code == 200


def test_a_short_reset_password_is_refused(app, admin, people):
    url = f"/admin/users/{people.staff}/password"
    before = counts(app)
    response = admin.post(
        url, data={"csrf_token": token_of(admin, url), "password_mode": "typed", "password": "123456789"}
    )
    assert response.status_code == 400
    assert "vähintään 10 merkkiä" in response.get_data(as_text=True)
    assert counts(app) == before
    assert login(app.test_client(), "staff@example.org").status_code == 302


def test_the_audit_log_never_holds_a_password_or_its_hash(app, admin, people):
    admin.post("/admin/users/new", data=new_user_form(admin))
    url = f"/admin/users/{people.staff}/password"
    admin.post(
        url, data={"csrf_token": token_of(admin, url), "password_mode": "typed", "password": "toinen-salasana-9"}
    )
    admin.post(url, data={"csrf_token": token_of(admin, url), "password_mode": "generate"})
    with app.app_context():
        hashes = db.session.scalars(sa.select(User.password_hash)).all()
    events = audit_rows(app)
    assert {e.action for e in events} >= {"user.create", "user.password"}
    stored = json.dumps([[e.before, e.after] for e in events])
    for secret in ["pitkä-salasana-1", "toinen-salasana-9", "scrypt", "pbkdf2", "password"] + hashes:
        assert secret not in stored
    page = admin.get("/admin/audit").get_data(as_text=True)
    assert not any(h in page for h in hashes) and "scrypt" not in page


@pytest.mark.parametrize(
    "url",
    ["/admin/users/999999/edit", "/admin/users/99999999999/edit", "/admin/sites/99999999999", "/admin/sites/0/edit"],
)
def test_unknown_ids_are_not_found(admin, url):
    assert admin.get(url).status_code == 404


# --- sites and kiosks -------------------------------------------------------------------------


def site_form(admin, url="/admin/sites/new", **fields) -> dict:
    data = {
        "csrf_token": token_of(admin, url),
        "name": "Olohuone Kallio",
        "slug": "kallio",
        "timezone": "Europe/Helsinki",
        "meal_time": "12:00",
        "address": "Kalliontie 1",
    }
    data.update(fields)
    return data


def test_admin_adds_and_edits_a_site(app, admin, people):
    response = admin.post("/admin/sites/new", data=site_form(admin))
    assert response.status_code == 302
    with app.app_context():
        site = db.session.scalar(sa.select(Site).where(Site.slug == "kallio"))
        assert (site.name, site.timezone, site.meal_time.isoformat(), site.address) == (
            "Olohuone Kallio",
            "Europe/Helsinki",
            "12:00:00",
            "Kalliontie 1",
        )
        site_id = site.id
    assert response.location == f"/admin/sites/{site_id}"
    url = f"/admin/sites/{site_id}/edit"
    response = admin.post(url, data=site_form(admin, url, timezone="Europe/Stockholm", meal_time="", address=""))
    assert response.status_code == 302
    [created] = audit_rows(app, "site.create")
    assert created.after["slug"] == "kallio" and created.site_id == site_id
    [updated] = audit_rows(app, "site.update")
    assert updated.before == {"timezone": "Europe/Helsinki", "meal_time": "12:00:00", "address": "Kalliontie 1"}
    assert updated.after == {"timezone": "Europe/Stockholm", "meal_time": None, "address": None}
    assert "Olohuone Kallio" in admin.get("/admin/sites").get_data(as_text=True)


@pytest.mark.parametrize(
    "fields, message",
    [
        ({"slug": "Iso Kirjain"}, "Käytä vain pieniä kirjaimia"),
        ({"slug": "-alku"}, "Käytä vain pieniä kirjaimia"),
        ({"slug": "ääkkönen"}, "Käytä vain pieniä kirjaimia"),
        ({"slug": "testi"}, "Tämä osoitenimi on jo käytössä."),
        ({"slug": "a" * 61}, "Osoitenimi on liian pitkä"),
        ({"timezone": "Europe/Kallio"}, "Tuntematon aikavyöhyke."),
        ({"timezone": ""}, "Anna aikavyöhyke."),
        ({"name": ""}, "Anna kohtaamispaikan nimi."),
        ({"name": "x" * 5000}, "Nimi on liian pitkä."),
        ({"address": "x" * 5000}, "Osoite on liian pitkä."),
        ({"meal_time": "kahdeltatoista"}, "Tarkista merkityt kohdat."),
        ({"csrf_token": "forged"}, "Lomake ehti vanhentua"),
    ],
)
def test_bad_site_input_is_refused_and_stores_nothing(app, admin, people, fields, message):
    before = counts(app)
    response = admin.post("/admin/sites/new", data=site_form(admin, **fields))
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert counts(app) == before


def test_editing_a_site_to_a_taken_slug_is_refused(app, admin, people):
    with app.app_context():
        other = make_site("toinen").id
        db.session.commit()
    url = f"/admin/sites/{other}/edit"
    response = admin.post(url, data=site_form(admin, url, slug="testi"))
    assert response.status_code == 400
    with app.app_context():
        assert db.session.get(Site, other).slug == "toinen"


def enroll_new_kiosk(admin, site_id, name="Aulan näyttö") -> SimpleNamespace:
    url = f"/admin/sites/{site_id}"
    page = admin.post(f"{url}/kiosks", data={"csrf_token": token_of(admin, url), "name": name})
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    enroll_url = re.search(r'data-testid="enroll-url">([^<]+)<', html).group(1)
    api_token = re.search(r'data-testid="api-token">([^<]+)<', html)
    return SimpleNamespace(html=html, url=enroll_url, api_token=api_token and api_token.group(1))


def kiosk_may_claim(browser, task_id) -> bool:
    """An enrolled browser sees the join button; any other is asked to talk to staff."""
    return "Tule mukaan" in browser.get(f"/kiosk/testi/tasks/{task_id}").get_data(as_text=True)


def api_claim(client, task_id, token):
    return client.post(f"/api/v1/tasks/{task_id}/claims", headers={"Authorization": f"Bearer {token}"})


def test_enrolling_a_kiosk_shows_its_link_token_and_qr_once(app, admin, people):
    shown = enroll_new_kiosk(admin, people.site)
    assert shown.url.startswith("http://localhost/kiosk/enroll/")
    assert 'src="data:image/svg+xml;base64,' in shown.html
    browser = app.test_client()
    assert browser.get(shown.url).status_code == 302
    assert kiosk_may_claim(browser, people.task)
    assert api_claim(app.test_client(), people.task, shown.api_token).status_code == 201
    # Used once; never shown again; only hashes stored; nothing secret audited.
    assert app.test_client().get(shown.url).status_code == 404
    site_page = admin.get(f"/admin/sites/{people.site}").get_data(as_text=True)
    token = shown.url.rsplit("/", 1)[1]
    assert token not in site_page and shown.api_token not in site_page and "Aulan näyttö" in site_page
    [event] = audit_rows(app, "kiosk.enroll")
    assert event.after == {"name": "Aulan näyttö", "enrolled_at": None, "revoked_at": None}
    stored = json.dumps([[e.before, e.after] for e in audit_rows(app)])
    assert token not in stored and shown.api_token not in stored


def test_a_kiosk_name_is_required(app, admin, people):
    before = counts(app)
    url = f"/admin/sites/{people.site}"
    response = admin.post(f"{url}/kiosks", data={"csrf_token": token_of(admin, url), "name": " "})
    assert response.status_code == 400
    assert "Anna näytölle nimi." in response.get_data(as_text=True)
    assert counts(app) == before


def test_a_revoked_kiosk_loses_its_cookie_and_api_token(app, admin, people):
    shown = enroll_new_kiosk(admin, people.site)
    browser = app.test_client()
    browser.get(shown.url)
    assert kiosk_may_claim(browser, people.task)
    with app.app_context():
        kiosk_id = db.session.scalar(sa.select(Kiosk.id).where(Kiosk.name == "Aulan näyttö"))
    url = f"/admin/sites/{people.site}"
    assert admin.post(f"/admin/kiosks/{kiosk_id}/revoke", data={"csrf_token": token_of(admin, url)}).status_code == 302
    assert not kiosk_may_claim(browser, people.task)
    claim = browser.post(f"/kiosk/testi/tasks/{people.task}/claim", data={"csrf_token": token_of(browser, "/login")})
    assert claim.status_code == 403
    assert api_claim(app.test_client(), people.task, shown.api_token).status_code == 401
    with app.app_context():
        kiosk = db.session.get(Kiosk, kiosk_id)
        assert kiosk.revoked_at is not None
    [event] = audit_rows(app, "kiosk.revoke")
    assert event.before == {"revoked_at": None} and event.after["revoked_at"]
    page = admin.get(url).get_data(as_text=True)
    assert "Poistettu käytöstä" in page
    # A revoked kiosk gets no new link.
    refused = admin.post(f"/admin/kiosks/{kiosk_id}/reissue", data={"csrf_token": token_of(admin, url)})
    assert refused.status_code == 303
    assert len(audit_rows(app, "kiosk.reissue")) == 0


def test_a_new_enrollment_link_signs_the_old_browser_out(app, admin, people):
    shown = enroll_new_kiosk(admin, people.site)
    old_browser, new_browser = app.test_client(), app.test_client()
    old_browser.get(shown.url)
    assert kiosk_may_claim(old_browser, people.task)
    with app.app_context():
        kiosk_id = db.session.scalar(sa.select(Kiosk.id).where(Kiosk.name == "Aulan näyttö"))
    url = f"/admin/sites/{people.site}"
    page = admin.post(f"/admin/kiosks/{kiosk_id}/reissue", data={"csrf_token": token_of(admin, url)})
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    new_url = re.search(r'data-testid="enroll-url">([^<]+)<', html).group(1)
    assert new_url != shown.url and 'data-testid="api-token"' not in html
    assert not kiosk_may_claim(old_browser, people.task)
    assert new_browser.get(new_url).status_code == 302
    assert kiosk_may_claim(new_browser, people.task)
    assert api_claim(app.test_client(), people.task, shown.api_token).status_code == 201
    [event] = audit_rows(app, "kiosk.reissue")
    assert event.after == {"enrolled_at": None} and event.before["enrolled_at"]


# --- the audit log ----------------------------------------------------------------------------


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


@pytest.fixture
def logged(app, people):
    """Events of two users at two sites on two days (Helsinki is UTC+2 in January)."""
    with app.app_context():
        other = make_site("toinen")
        rows = [
            AuditEvent(
                at=at("2025-01-01T09:00"),
                user_id=people.staff,
                user_email="staff@example.org",
                site_id=people.site,
                action="task.create",
                entity="task",
                entity_id=11,
                after={"title": "Haravointi", "capacity": 4},
            ),
            AuditEvent(
                at=at("2025-01-01T21:30"),
                user_id=people.staff,
                user_email="staff@example.org",
                site_id=people.site,
                action="task.update",
                entity="task",
                entity_id=11,
                before={"capacity": 4},
                after={"capacity": 6},
            ),
            # 00.30 on 2 January in Helsinki, still 1 January in UTC.
            AuditEvent(
                at=at("2025-01-01T22:30"),
                user_id=people.admin,
                user_email="admin@example.org",
                site_id=other.id,
                action="task.cancel",
                entity="task",
                entity_id=12,
                before={"status": "open"},
                after={"status": "cancelled"},
            ),
            AuditEvent(
                at=at("2025-01-03T10:00"),
                user_id=people.admin,
                user_email="admin@example.org",
                site_id=None,
                action="user.update",
                entity="user",
                entity_id=people.worker,
                before={"role": "staff", "active": True},
                after={"role": "worker", "active": False},
            ),
        ]
        db.session.add_all(rows)
        db.session.commit()
        return SimpleNamespace(other_site=other.id, ids=[r.id for r in rows])


def shown_events(client, query: str = "") -> list[str]:
    response = client.get(f"/admin/audit{query}")
    assert response.status_code == 200, query
    return re.findall(r'class="audit-entity" href="[^"]*">([^<]+)<', response.get_data(as_text=True))


def test_the_audit_log_is_newest_first_with_before_and_after(admin, people, logged):
    html = admin.get("/admin/audit").get_data(as_text=True)
    assert shown_events(admin) == [f"Käyttäjä #{people.worker}", "Tehtävä #12", "Tehtävä #11", "Tehtävä #11"]
    # Local time: 21.30 UTC is 23.30 in Helsinki.
    assert "1.1.2025 23.30" in html and "2.1.2025 00.30" in html
    assert "<del>4</del> → <ins>6</ins>" in html
    assert "<del>Ohjaaja</del> → <ins>Projektityöntekijä</ins>" in html
    assert "<del>kyllä</del> → <ins>ei</ins>" in html
    assert "Haravointi" in html and "Tehtävää muutettu" in html


@pytest.mark.parametrize(
    "query, expected",
    [
        ("?action=task.update", ["Tehtävä #11"]),
        ("?user={staff}", ["Tehtävä #11", "Tehtävä #11"]),
        ("?site={other}", ["Tehtävä #12"]),
        ("?entity=user", ["Käyttäjä #{worker}"]),
        ("?entity=task&entity_id=11", ["Tehtävä #11", "Tehtävä #11"]),
        ("?date_from=2025-01-02&date_to=2025-01-02", ["Tehtävä #12"]),
        ("?date_to=2025-01-01", ["Tehtävä #11", "Tehtävä #11"]),
        ("?date_from=2025-01-03", ["Käyttäjä #{worker}"]),
        ("?user={admin}&site={other}&action=task.cancel", ["Tehtävä #12"]),
        ("?action=day.close", []),
    ],
)
def test_audit_filters_return_only_matching_rows(admin, people, logged, query, expected):
    fill = {"staff": people.staff, "admin": people.admin, "worker": people.worker, "other": logged.other_site}
    assert shown_events(admin, query.format(**fill)) == [e.format(**fill) for e in expected]


@pytest.mark.parametrize(
    "query",
    [
        "?date_from=eilen",
        "?user=kaikki",
        "?page=0",
        "?page=x",
        "?date_from=2025-02-01&date_to=2025-01-01",
        "?entity_id=-3",
        "?action=" + "x" * 100,
    ],
)
def test_bad_audit_filters_get_400(admin, people, query):
    assert admin.get(f"/admin/audit{query}").status_code == 400


def test_the_audit_log_pages_by_50_keeping_the_filters(app, admin, people):
    with app.app_context():
        db.session.add_all(
            [
                AuditEvent(
                    at=at("2025-02-01T08:00").replace(minute=i % 60, second=i // 60),
                    action="task.update",
                    entity="task",
                    entity_id=i + 1,
                    site_id=people.site,
                )
                for i in range(120)
            ]
        )
        db.session.commit()
    first = admin.get(f"/admin/audit?site={people.site}")
    html = first.get_data(as_text=True)
    assert html.count('class="audit-event"') == 50
    assert (
        f'href="/admin/audit?site={people.site}&amp;page=2"' in html
        or f'href="/admin/audit?page=2&amp;site={people.site}"' in html
    )
    third = admin.get(f"/admin/audit?site={people.site}&page=3").get_data(as_text=True)
    assert third.count('class="audit-event"') == 20 and 'rel="next"' not in third
    # Newest first across pages: the last page ends with the oldest event.
    assert shown_events(admin, f"?site={people.site}&page=3")[-1] == "Tehtävä #1"


def count_statements(app):
    statements = []
    with app.app_context():
        engine = db.engine
    sa.event.listen(engine, "before_cursor_execute", lambda *args: statements.append(args[2]))
    return statements


def test_the_audit_page_runs_the_same_queries_for_5_or_55_events(app, admin, people):
    def add(n):
        with app.app_context():
            users = [db.session.get(User, i) for i in (people.admin, people.staff, people.worker)]
            db.session.add_all(
                [
                    AuditEvent(
                        user_id=users[i % 3].id,
                        user_email=users[i % 3].email,
                        site_id=people.site if i % 2 else None,
                        action="task.update",
                        entity="task",
                        entity_id=i,
                        before={"a": 1},
                        after={"a": 2},
                    )
                    for i in range(n)
                ]
            )
            db.session.commit()

    statements = count_statements(app)
    add(5)
    statements.clear()
    admin.get("/admin/audit")
    few = len(statements)
    add(50)
    statements.clear()
    admin.get("/admin/audit")
    assert len(statements) == few
    page_queries = [s for s in statements if "FROM audit_events" in s and "LIMIT" in s]
    assert len(page_queries) == 1 and "JOIN users" in page_queries[0] and "JOIN sites" in page_queries[0]


def test_user_list_queries_do_not_grow_with_users(app, admin, people):
    statements = count_statements(app)
    admin.get("/admin/users")
    statements.clear()
    admin.get("/admin/users")
    few = len(statements)
    with app.app_context():
        site = db.session.get(Site, people.site)
        for i in range(20):
            make_user(f"ohjaaja{i}@example.org", ROLE_STAFF, sites=[site])
        db.session.commit()
    statements.clear()
    html = admin.get("/admin/users").get_data(as_text=True)
    assert "ohjaaja19@example.org" in html
    assert len(statements) == few
