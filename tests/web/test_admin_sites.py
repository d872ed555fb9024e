"""The admin's site pages, /admin/sites, and the kiosks of a site: enrolling, revoking, new links."""

import json
import re
from types import SimpleNamespace

import pytest
import sqlalchemy as sa

from dropin.extensions import db
from dropin.models import Kiosk, Site
from tests.factories import make_site
from tests.helpers import assert_refused_and_nothing_stored, audit_rows, token_of

# --- sites --------------------------------------------------------------------------------------


def site_form(admin, url="/admin/sites/new", **fields) -> dict:
    return {
        "csrf_token": token_of(admin, url),
        "name": "Olohuone Kallio",
        "slug": "kallio",
        "timezone": "Europe/Helsinki",
        "meal_time": "12:00",
        "address": "Kalliontie 1",
        **fields,
    }


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
    assert created.after["slug"] == "kallio"
    assert created.site_id == site_id
    [updated] = audit_rows(app, "site.update")
    assert updated.before == {"timezone": "Europe/Helsinki", "meal_time": "12:00:00", "address": "Kalliontie 1"}
    assert updated.after == {"timezone": "Europe/Stockholm", "meal_time": None, "address": None}
    assert "Olohuone Kallio" in admin.get("/admin/sites").get_data(as_text=True)


@pytest.mark.parametrize(
    ("fields", "message"),
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
    assert_refused_and_nothing_stored(app, admin, "/admin/sites/new", site_form(admin, **fields), message)


def test_editing_a_site_to_a_taken_slug_is_refused(app, admin, people):
    with app.app_context():
        other = make_site("toinen").id
        db.session.commit()
    url = f"/admin/sites/{other}/edit"
    response = admin.post(url, data=site_form(admin, url, slug="testi"))
    assert response.status_code == 400
    with app.app_context():
        assert db.session.get(Site, other).slug == "toinen"


# --- kiosks -------------------------------------------------------------------------------------


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
    assert token not in site_page
    assert shown.api_token not in site_page
    assert "Aulan näyttö" in site_page
    [event] = audit_rows(app, "kiosk.enroll")
    assert event.after == {"name": "Aulan näyttö", "enrolled_at": None, "revoked_at": None}
    stored = json.dumps([[e.before, e.after] for e in audit_rows(app)])
    assert token not in stored
    assert shown.api_token not in stored


def test_a_kiosk_name_is_required(app, admin, people):
    url = f"/admin/sites/{people.site}"
    data = {"csrf_token": token_of(admin, url), "name": " "}
    assert_refused_and_nothing_stored(app, admin, f"{url}/kiosks", data, "Anna näytölle nimi.")


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
    assert event.before == {"revoked_at": None}
    assert event.after["revoked_at"]
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
    assert new_url != shown.url
    assert not kiosk_may_claim(old_browser, people.task)
    assert new_browser.get(new_url).status_code == 302
    assert kiosk_may_claim(new_browser, people.task)
    [event] = audit_rows(app, "kiosk.reissue")
    assert event.after == {"enrolled_at": None}
    assert event.before["enrolled_at"]
