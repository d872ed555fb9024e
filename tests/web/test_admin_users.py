"""The admin's user pages, /admin/users: adding, roles and sites, disabling, password resets."""

import json
import re

import pytest
import sqlalchemy as sa

from dropin.extensions import db
from dropin.models import Site, User
from dropin.models.user import Role
from tests.factories import make_user
from tests.helpers import (
    PASSWORD,
    admin_counts,
    assert_refused_and_nothing_stored,
    audit_rows,
    counted_queries,
    login,
    token_of,
)


def new_user_form(admin, **fields) -> dict:
    return {
        "csrf_token": token_of(admin, "/admin/users/new"),
        "email": "uusi@example.org",
        "role": "staff",
        "password_mode": "typed",
        "password": "pitkä-salasana-1",
        **fields,
    }


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
        assert user.check_password(password)
        assert user.sites == []
    assert login(app.test_client(), "uusi@example.org", password).status_code == 302


def test_sites_are_kept_for_staff_only(app, admin, people):
    admin.post("/admin/users/new", data=new_user_form(admin, role="worker", sites=[str(people.site)]))
    with app.app_context():
        assert db.session.scalar(sa.select(User).where(User.email == "uusi@example.org")).sites == []


@pytest.mark.parametrize(
    ("fields", "message"),
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
    assert_refused_and_nothing_stored(app, admin, "/admin/users/new", new_user_form(admin, **fields), message)


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
    before = admin_counts(app)
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
    assert admin_counts(app) == before
    assert admin.get("/admin/users").status_code == 200


def test_a_disabled_user_is_signed_out_and_cannot_log_in(app, admin, people):
    staff = app.test_client()
    assert login(staff, "staff@example.org").status_code == 302
    assert staff.get("/staff/testi/day/").status_code == 200
    url = f"/admin/users/{people.staff}/disable"
    assert admin.post(url, data={"csrf_token": token_of(admin, "/admin/users/new")}).status_code == 302
    # The open session ends at its next request.
    response = staff.get("/staff/testi/day/")
    assert response.status_code == 302
    assert response.location.startswith("/login")
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
    assert signed_out.status_code == 302
    assert signed_out.location.startswith("/login")
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
    before = admin_counts(app)
    response = admin.post(
        url, data={"csrf_token": token_of(admin, url), "password_mode": "typed", "password": "123456789"}
    )
    assert response.status_code == 400
    assert "vähintään 10 merkkiä" in response.get_data(as_text=True)
    assert admin_counts(app) == before
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
    assert not any(h in page for h in hashes)
    assert "scrypt" not in page


def test_user_list_queries_do_not_grow_with_users(app, admin, people):
    admin.get("/admin/users")
    with counted_queries(app) as few:
        admin.get("/admin/users")
    with app.app_context():
        site = db.session.get(Site, people.site)
        for i in range(20):
            make_user(f"ohjaaja{i}@example.org", Role.STAFF, sites=[site])
        db.session.commit()
    with counted_queries(app) as many:
        html = admin.get("/admin/users").get_data(as_text=True)
    assert "ohjaaja19@example.org" in html
    assert len(many) == len(few)
