"""The task templates of a site, /staff/<site>/templates, over HTTP: adding, editing, pausing, bad input."""

import re

import pytest
import sqlalchemy as sa

from dropin.extensions import db
from dropin.models import Partner, TaskTemplate
from tests.helpers import audit_text, count_rows, token_of
from tests.web.filled_forms import template_data


def test_add_a_template_and_it_shows_on_the_day(client, app, planning, login_as):
    login_as("staff", sites=["satama"])
    new = f"/staff/{planning['site']}/templates/new"
    response = client.post(
        new, data=template_data(token_of(client, new), weekdays=["7", "1", "3"], partner_id=str(planning["partner"]))
    )
    assert response.status_code == 302
    with app.app_context():
        template = db.session.scalar(sa.select(TaskTemplate).where(TaskTemplate.title == "Haravointi"))
        assert template.weekdays == "137"
        assert template.outcome_unit == "säkkiä lehtiä"
        assert template.partner_id == planning["partner"]
        assert template.title_sv == "Krattning"
        assert template.description == ""
        assert template.description_sv is None
    listing = client.get(f"/staff/{planning['site']}/templates").get_data(as_text=True)
    assert "Haravointi" in listing
    assert "Ma ke su" in listing


def test_edit_shows_the_saved_weekdays_and_keeps_an_archived_partner(client, app, planning, login_as):
    with app.app_context():
        template = db.session.get(TaskTemplate, planning["template"])
        template.partner_id = planning["partner"]
        db.session.get(Partner, planning["partner"]).archived_at = template.created_at
        db.session.commit()
    login_as("staff", sites=["satama"])
    edit = f"/staff/{planning['site']}/templates/{planning['template']}/edit"
    html = client.get(edit).get_data(as_text=True)
    boxes = re.findall(r'<input [^>]*name="weekdays"[^>]*>', html)
    assert len(boxes) == 7
    assert not any("required" in box for box in boxes)
    assert [re.search(r'value="(\d)"', box).group(1) for box in boxes if "checked" in box] == ["1", "3", "5"]
    response = client.post(edit, data=template_data(token_of(client, edit), partner_id=str(planning["partner"])))
    assert response.status_code == 302
    with app.app_context():
        template = db.session.get(TaskTemplate, planning["template"])
        assert template.weekdays == "13"
        assert template.partner_id == planning["partner"]


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"title": ""}, "Anna tehtävälle otsikko."),
        ({"title": "a" * 10_000}, "Ei voi olla pidempi kuin 120 merkkiä."),
        ({"place": "a" * 10_000}, "Ei voi olla pidempi kuin 200 merkkiä."),
        ({"outcome_unit": "a" * 10_000}, "Enintään 60 merkkiä."),
        ({"end_time": "09:00"}, "Päättymisajan pitää olla alkamisajan jälkeen."),
        ({"end_time": "10:00"}, "Päättymisajan pitää olla alkamisajan jälkeen."),
        ({"capacity": "0"}, "Paikkoja voi olla 1–100."),
        ({"capacity": "10000"}, "Paikkoja voi olla 1–100."),
        ({"weekdays": []}, "Valitse ainakin yksi viikonpäivä."),
        ({"weekdays": ["8"]}, "Valitse viikonpäivät listasta."),
        ({"partner_id": "999999"}, "Virheellinen valinta"),
    ],
)
def test_bad_template_input_gets_a_finnish_message_and_stores_nothing(
    client, app, planning, login_as, overrides, message
):
    login_as("staff", sites=["satama"])
    new = f"/staff/{planning['site']}/templates/new"
    before = audit_text(app)
    response = client.post(new, data=template_data(token_of(client, new), **overrides))
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert message in html
    assert "Tarkista merkityt kohdat." in html
    assert count_rows(app, TaskTemplate) == 2
    assert audit_text(app) == before


def test_pause_and_resume_a_template(client, app, planning, login_as):
    login_as("staff", sites=["satama"])
    listing = f"/staff/{planning['site']}/templates"
    base = f"{listing}/{planning['template']}"
    assert client.post(f"{base}/pause", data={"csrf_token": token_of(client, listing)}).status_code == 302
    html = client.get(listing).get_data(as_text=True)
    assert "Tauolla (1)" in html
    assert "Käytössä olevia pohjia ei ole." in html
    with app.app_context():
        assert db.session.get(TaskTemplate, planning["template"]).paused is True
    day = client.get(f"/staff/{planning['site']}/day/").get_data(as_text=True)
    assert "Lisää päivän tehtävät pohjista" not in day
    assert client.post(f"{base}/resume", data={"csrf_token": token_of(client, listing)}).status_code == 302
    with app.app_context():
        assert db.session.get(TaskTemplate, planning["template"]).paused is False


def test_tampered_template_ids_of_another_site_are_refused(client, app, planning, login_as):
    login_as("staff", sites=["satama"])
    s, o, t = planning["site"], planning["other"], planning["other_template"]
    token = token_of(client, f"/staff/{s}/templates")
    assert client.get(f"/staff/{s}/templates/{t}/edit").status_code == 404
    assert client.get(f"/staff/{o}/templates/{t}/edit").status_code == 403
    assert client.post(f"/staff/{s}/templates/{t}/edit", data=template_data(token)).status_code == 404
    assert client.post(f"/staff/{s}/templates/{t}/pause", data={"csrf_token": token}).status_code == 404
    assert client.post(f"/staff/{o}/templates/{t}/pause", data={"csrf_token": token}).status_code == 403
    assert client.get(f"/staff/{s}/templates/{2**31}/edit").status_code == 404
    assert client.get("/staff/ei-ole/templates").status_code == 404
    with app.app_context():
        template = db.session.get(TaskTemplate, t)
        assert (template.title, template.paused) == ("Leivonta", False)
