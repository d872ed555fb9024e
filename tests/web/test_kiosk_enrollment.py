"""Kiosk enrollment links expire (DROPIN_ENROLLMENT_HOURS) and a re-issued kiosk gets a new API token."""

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from dropin.extensions import db
from dropin.kiosks import EnrollmentExpired, enroll_kiosk, redeem_enrollment
from dropin.models import Kiosk
from dropin.models.base import utcnow
from tests.factories import make_site
from tests.helpers import token_of
from tests.web.test_admin_sites import api_claim, enroll_new_kiosk, kiosk_may_claim

EXPIRED_PAGE = "Linkki on vanhentunut"


def age_enrollment(app, hours: float) -> None:
    """Move every pending enrollment link `hours` into the past, as if made then."""
    with app.app_context():
        for kiosk in db.session.scalars(sa.select(Kiosk).where(Kiosk.enroll_token_hash.is_not(None))):
            kiosk.enroll_issued_at = utcnow() - timedelta(hours=hours)
        db.session.commit()


def test_an_enrollment_link_works_for_24_hours_by_default(app, ctx):
    assert app.config["ENROLLMENT_HOURS"] == 24
    enrollment = enroll_kiosk(make_site("satama"), "Aula")
    made = enrollment.kiosk.enroll_issued_at
    with pytest.raises(EnrollmentExpired):
        redeem_enrollment(enrollment.enroll_token, now=made + timedelta(hours=24))
    assert redeem_enrollment(enrollment.enroll_token, now=made + timedelta(hours=23, minutes=59)) is not None


def test_the_hours_come_from_the_environment(monkeypatch, app_config):
    from dropin import create_app

    monkeypatch.setenv("DROPIN_ENROLLMENT_HOURS", "2")
    assert create_app(app_config).config["ENROLLMENT_HOURS"] == 2


def test_an_old_enrollment_link_gets_a_calm_finnish_page_and_enrolls_nothing(app, admin, people):
    shown = enroll_new_kiosk(admin, people.site)
    age_enrollment(app, 25)
    browser = app.test_client()
    page = browser.get(shown.url)
    assert page.status_code == 410
    html = page.get_data(as_text=True)
    assert EXPIRED_PAGE in html
    assert "Pyydä ylläpitäjältä uusi linkki" in html
    assert "dropin_kiosk" not in page.headers.get("Set-Cookie", "")
    assert not kiosk_may_claim(browser, people.task)
    # The admin's page says so, and a new link works at once.
    site_page = admin.get(f"/admin/sites/{people.site}").get_data(as_text=True)
    assert "Linkki on vanhentunut: tee uusi linkki." in site_page


def test_the_admin_sees_until_when_the_link_works(app, admin, people):
    shown = enroll_new_kiosk(admin, people.site)
    with app.app_context():
        kiosk = db.session.scalar(sa.select(Kiosk).where(Kiosk.name == "Aulan näyttö"))
        until = (kiosk.enroll_issued_at + timedelta(hours=24)).astimezone(kiosk.site.zone)
    expected = f"Linkki toimii {until.day}.{until.month}.{until.year} {until:%H.%M} asti."
    assert expected in shown.html
    assert expected in admin.get(f"/admin/sites/{people.site}").get_data(as_text=True)


def test_enroll_kiosk_command_says_until_when_the_link_works(app, runner):
    with app.app_context():
        make_site("satama")
        db.session.commit()
    result = runner.invoke(args=["enroll-kiosk", "satama", "--base-url", "http://kiosk.lan:8080"])
    assert result.exit_code == 0, result.output
    shown = re.search(r"The link works until (\d{4}-\d\d-\d\d \d\d:\d\d) \(Europe/Helsinki\)", result.output)
    assert shown is not None, result.output
    with app.app_context():
        kiosk = db.session.scalar(sa.select(Kiosk))
        until = (kiosk.enroll_issued_at + timedelta(hours=24)).astimezone(kiosk.site.zone)
    assert shown.group(1) == f"{until:%Y-%m-%d %H:%M}"


def test_reissuing_a_kiosk_replaces_its_api_token(app, admin, people):
    shown = enroll_new_kiosk(admin, people.site)
    assert api_claim(app.test_client(), people.task, shown.api_token).status_code == 201
    with app.app_context():
        kiosk_id = db.session.scalar(sa.select(Kiosk.id).where(Kiosk.name == "Aulan näyttö"))
    url = f"/admin/sites/{people.site}"
    page = admin.post(f"/admin/kiosks/{kiosk_id}/reissue", data={"csrf_token": token_of(admin, url)})
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    new_token = re.search(r'data-testid="api-token">([^<]+)<', html).group(1)
    assert new_token != shown.api_token
    assert "Näytön vanha rajapinnan avain ei enää toimi." in html
    # The old token stops at once; the new one works.
    assert api_claim(app.test_client(), people.task, shown.api_token).status_code == 401
    assert api_claim(app.test_client(), people.task, new_token).status_code in (201, 409)


def test_a_reissued_link_of_an_expired_one_works(app, admin, people):
    shown = enroll_new_kiosk(admin, people.site)
    age_enrollment(app, 48)
    with app.app_context():
        kiosk_id = db.session.scalar(sa.select(Kiosk.id).where(Kiosk.name == "Aulan näyttö"))
    url = f"/admin/sites/{people.site}"
    html = admin.post(f"/admin/kiosks/{kiosk_id}/reissue", data={"csrf_token": token_of(admin, url)}).get_data(
        as_text=True
    )
    new_url = re.search(r'data-testid="enroll-url">([^<]+)<', html).group(1)
    assert app.test_client().get(shown.url).status_code in (404, 410)
    browser = app.test_client()
    assert browser.get(new_url).status_code == 302
    assert kiosk_may_claim(browser, people.task)
