"""A partner asks for its link again at /p/new-link; staff of its sites see it and make a new link."""

import re

import pytest
import sqlalchemy as sa

from dropin import config
from dropin.extensions import db
from dropin.models import AuditEvent, PartnerLink
from dropin.models.partner import PartnerLinkRequest
from tests.factories import make_partner, make_site
from tests.helpers import audit_text, count_rows, token_of

ASK = "/p/new-link"


@pytest.fixture
def partners(app) -> dict:
    with app.app_context():
        satama, muu = make_site("satama"), make_site("muu")
        kurki = make_partner("Luontoyhdistys Kurki ry", sites=[satama], email="Kurki@Example.org")
        other = make_partner("Muun yhdistys ry", sites=[muu], email="muu@example.org")
        db.session.commit()
        return {"kurki": kurki.id, "other": other.id}


def ask(client, email: str):
    response = client.post(ASK, data={"csrf_token": token_of(client, ASK), "email": email})
    assert response.status_code == 303, response.status_code
    return client.get(response.headers["Location"]).get_data(as_text=True)


def answer_of(html: str) -> str:
    return re.search(r'data-testid="link-request-answer">([^<]+)<', html).group(1)


def test_the_answer_is_the_same_for_a_known_and_an_unknown_address(client, app, partners):
    known = ask(client, "  kurki@example.ORG ")
    unknown = ask(app.test_client(), "nobody@example.org")
    assert answer_of(known) == answer_of(unknown)
    assert "Sähköpostia emme lähetä" in answer_of(known)
    with app.app_context():
        stored = db.session.scalars(sa.select(PartnerLinkRequest)).all()
        assert [r.partner_id for r in stored] == [partners["kurki"]]
    # The address typed is kept nowhere: not in the request, not in the audit log.
    assert "kurki@example" not in audit_text(app).lower()
    assert "nobody@example.org" not in audit_text(app)
    assert count_rows(app, AuditEvent, AuditEvent.action == "partner_link.request") == 1


def test_asking_twice_keeps_one_request_waiting(client, app, partners):
    ask(client, "kurki@example.org")
    ask(client, "kurki@example.org")
    assert count_rows(app, PartnerLinkRequest) == 1


def test_a_bad_address_gets_a_finnish_message(client, app, partners):
    response = client.post(ASK, data={"csrf_token": token_of(client, ASK), "email": "ei osoite"})
    assert response.status_code == 400
    assert "Tarkista sähköpostiosoite" in response.get_data(as_text=True)
    assert count_rows(app, PartnerLinkRequest) == 0


def test_staff_of_the_partners_site_see_it_and_one_tap_makes_a_new_link(client, app, partners, login_as):
    ask(app.test_client(), "kurki@example.org")
    elsewhere = app.test_client()
    login_as("staff", sites=["muu"], email="muu-staff@example.org", client=elsewhere)
    assert "Luontoyhdistys Kurki ry" not in elsewhere.get("/staff/partners").get_data(as_text=True)
    login_as("staff", sites=["satama"])
    html = client.get("/staff/partners").get_data(as_text=True)
    assert f'data-testid="link-request-{partners["kurki"]}"' in html
    assert "Kumppanit pyytävät uutta linkkiä" in html
    form = re.search(
        r'<form method="post" action="(/staff/partners/\d+/links)">.*?value="([^"]+)".*?name="site_id" value="(\d+)"',
        html,
        re.S,
    )
    response = client.post(form.group(1), data={"csrf_token": form.group(2), "site_id": form.group(3)})
    assert response.status_code == 200
    assert 'id="link-url"' in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(sa.select(PartnerLinkRequest.handled_at)) is not None
        assert count_rows(app, PartnerLink) == 1
    assert f"link-request-{partners['kurki']}" not in client.get("/staff/partners").get_data(as_text=True)


def test_asking_is_throttled(client, app, partners):
    app.config["PARTNER_LINK_REQUEST_RATE_LIMIT"] = "2 per hour"
    token = token_of(client, ASK)
    codes = [client.post(ASK, data={"csrf_token": token, "email": "x@example.org"}).status_code for _ in range(3)]
    assert codes == [303, 303, 429]
    assert client.get(ASK).status_code == 200  # reading the page is not limited


def test_the_default_limit_is_five_an_hour(client, app, partners):
    token = token_of(client, ASK)
    codes = [client.post(ASK, data={"csrf_token": token, "email": "x@example.org"}).status_code for _ in range(6)]
    assert codes == [303] * 5 + [429]


def test_the_limit_comes_from_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("DROPIN_PARTNER_LINK_REQUEST_RATE_LIMIT", "3 per day")
    given = {"INSTANCE_PATH": str(tmp_path), "SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": "sqlite://"}
    assert config.load(given)["PARTNER_LINK_REQUEST_RATE_LIMIT"] == "3 per day"
