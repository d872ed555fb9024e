"""Partners, task templates, proposal links and proposals over HTTP: roles, bad input, secrets."""

import hashlib
import json
import re
from datetime import time, timedelta

import pytest
import sqlalchemy as sa

from dropin.extensions import db
from dropin.models import AuditEvent, DayRecord, Partner, PartnerLink, Proposal, Task, TaskTemplate
from dropin.models.proposal import PROPOSAL_PENDING
from dropin.partners import proposals, service
from tests.factories import make_partner, make_site, make_task
from tests.helpers import csrf_token, token_of

STALE_FORM = "Lomake ehti vanhentua"
LINK_RE = re.compile(r'id="link-url">([^<]+)<')


def count(app, model, *where) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count()).select_from(model).where(*where))


def audit_text(app) -> str:
    with app.app_context():
        return json.dumps([[e.action, e.before, e.after] for e in db.session.scalars(sa.select(AuditEvent))])


@pytest.fixture
def world(app):
    """Two sites, satama and muu, with a template each; a partner with a link and a proposal at each."""
    with app.app_context():
        site, other = make_site("satama"), make_site("muu")
        partner = make_partner(
            "Luontoyhdistys Kurki ry",
            contact_person="Sanna Esimerkki",
            phone="040 000 0001",
            email="kurki@example.org",
            notes="Avain varastolta",
        )
        template = service.create_template(
            site,
            {
                "title": "Roskien keruu",
                "category": "cleanup",
                "place": "Ranta",
                "weekdays": "135",
                "start_time": time(10, 0),
                "end_time": time(12, 0),
                "capacity": 5,
            },
        )
        other_template = service.create_template(
            other,
            {
                "title": "Leivonta",
                "category": "baking",
                "place": "Keittiö",
                "weekdays": "2",
                "start_time": time(10, 0),
                "end_time": time(12, 0),
                "capacity": 3,
            },
        )
        created = service.create_link(partner, site)
        other_created = service.create_link(partner, other)
        proposal = proposals.submit_proposal(
            created.link,
            {
                "date": site.today() + timedelta(days=2),
                "start_time": time(10, 0),
                "end_time": time(12, 0),
                "title": "Haravointi",
                "description": "",
                "category": "gardening",
                "place": "Puisto",
                "capacity": 4,
                "bring": None,
            },
        )
        other_proposal = proposals.submit_proposal(
            other_created.link,
            {
                "date": site.today() + timedelta(days=2),
                "start_time": time(10, 0),
                "end_time": time(12, 0),
                "title": "Muualla",
                "description": "",
                "category": "cooking",
                "place": "Keittiö",
                "capacity": 2,
                "bring": None,
            },
        )
        db.session.commit()
        return {
            "site": site.slug,
            "other": other.slug,
            "partner": partner.id,
            "template": template.id,
            "other_template": other_template.id,
            "token": created.token,
            "link": created.link.id,
            "other_link": other_created.link.id,
            "proposal": proposal.id,
            "other_proposal": other_proposal.id,
            "today": site.today(),
        }


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


# --- who gets in ------------------------------------------------------------------------------


def test_anonymous_users_are_sent_to_log_in(client, world):
    for path in get_routes(world):
        response = client.get(path)
        assert response.status_code == 302 and "/login" in response.headers["Location"], path


def test_anonymous_posts_are_refused(client, world, app):
    token = token_of(client, "/login")  # a session with a CSRF token, but no user
    for path in post_routes(world):
        response = client.post(path, data={"csrf_token": token})
        assert response.status_code == 302 and "/login" in response.headers["Location"], path
    assert count(app, AuditEvent, AuditEvent.user_id.is_not(None)) == 0


@pytest.mark.parametrize(
    "role, sites, partners, site_pages",
    [
        ("staff", ["satama"], 200, 200),
        ("admin", [], 200, 200),
        ("staff", ["muu"], 200, 403),
        ("worker", [], 403, 403),
    ],
    ids=["staff", "admin", "staff-of-another-site", "worker"],
)
def test_roles_against_every_page(client, world, login_as, role, sites, partners, site_pages):
    login_as(role, sites)
    site_paths = site_get_routes(world)
    for path in get_routes(world):
        response = client.get(path)
        if path == "/staff/planning":
            expected = {403} if role == "worker" else {200, 302}
        else:
            expected = {site_pages if path in site_paths else partners}
        assert response.status_code in expected, (role, sites, path, response.status_code)


@pytest.mark.parametrize("role, sites", [("worker", []), ("staff", ["muu"])], ids=["worker", "staff-of-another-site"])
def test_posts_of_those_without_the_right_are_refused_and_change_nothing(client, app, world, login_as, role, sites):
    login_as(role, sites)
    token = token_of(client, f"/p/{world['token']}")  # a page with a form, whoever is logged in
    before = audit_text(app)
    for path in post_routes(world):
        if role == "staff" and path.startswith("/staff/partners/") and "revoke" not in path:
            continue  # partners are shared by every site's staff
        response = client.post(path, data={"csrf_token": token, "name": "X", "site_id": "1"})
        assert response.status_code == 403, (role, sites, path, response.status_code)
    assert audit_text(app) == before


def test_planning_takes_single_site_staff_to_the_waiting_proposals(client, app, world, login_as):
    login_as("staff", sites=["satama"])
    response = client.get("/staff/planning")
    assert response.headers["Location"].endswith(f"/staff/{world['site']}/proposals")
    client.post(
        f"/staff/{world['site']}/proposals/{world['proposal']}/reject",
        data={"csrf_token": token_of(client, f"/staff/{world['site']}/proposals")},
    )
    assert client.get("/staff/planning").headers["Location"].endswith(f"/staff/{world['site']}/templates")


def test_admin_sees_every_site_with_its_count(client, world, login_as):
    login_as("admin")
    html = client.get("/staff/planning").get_data(as_text=True)
    assert "Olohuone satama" in html and "Olohuone muu" in html and 'class="badge">1<' in html


def test_menu_shows_the_pending_count_of_ones_own_sites(client, world, login_as):
    login_as("staff", sites=["satama"])
    html = client.get(f"/staff/{world['site']}/templates").get_data(as_text=True)
    assert "Pohjat ja ehdotukset" in html
    assert re.search(r'Pohjat ja ehdotukset <span class="badge">1<', html)
    admin = client.application.test_client()
    login_as("admin", client=admin)
    assert re.search(
        r'Pohjat ja ehdotukset <span class="badge">2<', admin.get("/staff/partners").get_data(as_text=True)
    )


# --- partners ---------------------------------------------------------------------------------


def partner_data(token, **overrides):
    data = {
        "csrf_token": token,
        "name": "Yhteiskeittiö Pata",
        "kind": "Yhdistys",
        "contact_person": "Ahmed",
        "phone": "+358 40 000 0004",
        "email": "pata@example.org",
        "notes": "Keittiö vapaa arkisin.",
    }
    data.update(overrides)
    return data


def test_add_and_edit_a_partner(client, app, world, login_as):
    login_as("staff", sites=["satama"])
    response = client.post("/staff/partners/new", data=partner_data(token_of(client, "/staff/partners/new")))
    assert response.status_code == 302
    with app.app_context():
        partner = db.session.scalar(sa.select(Partner).where(Partner.name == "Yhteiskeittiö Pata"))
        assert (partner.phone, partner.email) == ("+358 40 000 0004", "pata@example.org")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Kumppani lisätty." in page and "pata@example.org" in page
    edit = f"/staff/partners/{partner.id}/edit"
    response = client.post(edit, data=partner_data(token_of(client, edit), kind="", notes="  "))
    assert response.status_code == 302
    with app.app_context():
        partner = db.session.get(Partner, partner.id)
        assert partner.kind is None and partner.notes is None
        [event] = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "partner.update")).all()
        assert event.before == {"kind": "Yhdistys", "notes": "Keittiö vapaa arkisin."}
        assert event.after == {"kind": None, "notes": None}


@pytest.mark.parametrize(
    "overrides, message",
    [
        ({"name": ""}, "Anna kumppanin nimi."),
        ({"name": "   "}, "Anna kumppanin nimi."),
        ({"name": "a" * 10_000}, "Nimi voi olla enintään 120 merkkiä."),
        ({"name": "luontoyhdistys kurki ry"}, "Tämän niminen kumppani on jo olemassa."),
        ({"email": "ei-osoite"}, "Tarkista sähköpostiosoite"),
        ({"phone": "soita minulle"}, "Anna puhelinnumero numeroina"),
        ({"notes": "a" * 10_000}, "Enintään 2000 merkkiä."),
        ({"contact_person": "a" * 10_000}, "Enintään 120 merkkiä."),
    ],
)
def test_bad_partner_input_gets_a_finnish_message_and_stores_nothing(client, app, world, login_as, overrides, message):
    login_as("staff", sites=["satama"])
    before = count(app, Partner)
    response = client.post(
        "/staff/partners/new", data=partner_data(token_of(client, "/staff/partners/new"), **overrides)
    )
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert count(app, Partner) == before


def test_renaming_to_a_taken_name_is_refused(client, app, world, login_as):
    with app.app_context():
        make_partner("Toinen ry")
        db.session.commit()
    login_as("staff", sites=["satama"])
    edit = f"/staff/partners/{world['partner']}/edit"
    response = client.post(edit, data=partner_data(token_of(client, edit), name="TOINEN RY"))
    assert response.status_code == 400 and "Tämän niminen kumppani on jo olemassa." in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Partner, world["partner"]).name == "Luontoyhdistys Kurki ry"


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
def test_forged_csrf_token_is_a_finnish_400_and_stores_nothing(client, app, world, login_as, path):
    login_as("staff", sites=["satama"])
    before = audit_text(app)
    url = path.format(p=world["partner"], s=world["site"], q=world["proposal"], t=world["token"])
    response = client.post(url, data=partner_data("forged-token"))
    assert response.status_code == 400
    assert STALE_FORM in response.get_data(as_text=True)
    assert audit_text(app) == before


def test_archive_keeps_the_partner_its_tasks_and_history(client, app, world, login_as):
    with app.app_context():
        task = make_task(db.session.get(TaskTemplate, world["template"]).site, partner_id=world["partner"])
        db.session.commit()
        task_id = task.id
    login_as("staff", sites=["satama"])
    show = f"/staff/partners/{world['partner']}"
    response = client.post(f"{show}/archive", data={"csrf_token": token_of(client, show)})
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(Partner, world["partner"]).archived_at is not None
        assert db.session.get(Task, task_id).partner_id == world["partner"]
    listing = client.get("/staff/partners").get_data(as_text=True)
    archived_part = listing.split("Arkistoidut (1)")[1]
    assert "Luontoyhdistys Kurki ry" in archived_part
    assert "Luontoyhdistys Kurki ry" not in client.get(f"/staff/{world['site']}/templates/new").get_data(as_text=True)
    assert client.get(f"/p/{world['token']}").status_code == 404  # an archived partner proposes nothing
    response = client.post(f"{show}/unarchive", data={"csrf_token": token_of(client, show)})
    assert response.status_code == 302
    assert client.get(f"/p/{world['token']}").status_code == 200


@pytest.mark.parametrize("partner_id", [999_999, 2**31, 10**20])
def test_unknown_partner_ids_are_404(client, world, login_as, partner_id):
    login_as("staff", sites=["satama"])
    assert client.get(f"/staff/partners/{partner_id}").status_code == 404


def test_contact_data_stays_behind_login(client, app, world):
    with app.app_context():
        make_task(db.session.get(TaskTemplate, world["template"]).site, partner_id=world["partner"])
        db.session.commit()
    pages = [f"/kiosk/{world['site']}", "/api/v1/sites", f"/api/v1/sites/{world['site']}/tasks", f"/p/{world['token']}"]
    for path in pages:
        text = client.get(path).get_data(as_text=True)
        for secret in ("Sanna Esimerkki", "040 000 0001", "kurki@example.org", "Avain varastolta"):
            assert secret not in text, (path, secret)
    assert "Luontoyhdistys Kurki ry" in client.get(f"/kiosk/{world['site']}").get_data(as_text=True)


# --- proposal links ---------------------------------------------------------------------------


def test_new_link_is_shown_once_and_only_its_hash_is_stored(client, app, world, login_as):
    login_as("staff", sites=["satama"])
    show = f"/staff/partners/{world['partner']}"
    response = client.post(
        f"{show}/links", data={"csrf_token": token_of(client, show), "site_id": str(_site_id(app, world["site"]))}
    )
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    url = LINK_RE.search(html).group(1)
    token = url.rsplit("/p/", 1)[1]
    assert 'src="data:image/svg+xml;base64,' in html and "js/copy.js" in html
    with app.app_context():
        hashes = set(db.session.scalars(sa.select(PartnerLink.token_hash)))
        assert hashlib.sha256(token.encode()).hexdigest() in hashes
        rows = json.dumps(
            [dict(r) for r in db.session.execute(sa.select(PartnerLink.__table__)).mappings()], default=str
        )
        assert token not in rows
    assert token not in audit_text(app)
    assert token not in client.get(show).get_data(as_text=True)  # never shown again
    assert client.get(f"/p/{token}").status_code == 200


def _site_id(app, slug: str) -> int:
    from dropin.models import Site

    with app.app_context():
        return db.session.scalar(sa.select(Site.id).where(Site.slug == slug))


def test_staff_cannot_make_a_link_for_another_site(client, app, world, login_as):
    login_as("staff", sites=["satama"])
    show = f"/staff/partners/{world['partner']}"
    before = count(app, PartnerLink)
    response = client.post(
        f"{show}/links", data={"csrf_token": token_of(client, show), "site_id": str(_site_id(app, world["other"]))}
    )
    assert response.status_code == 400 and "Valitse olohuone" in response.get_data(as_text=True)
    assert count(app, PartnerLink) == before


def test_revoked_link_is_404_and_staff_of_another_site_cannot_revoke(client, app, world, login_as):
    show = f"/staff/partners/{world['partner']}"
    other = client.application.test_client()
    login_as("staff", sites=["muu"], email="other@example.org", client=other)
    response = other.post(f"{show}/links/{world['link']}/revoke", data={"csrf_token": token_of(other, show)})
    assert response.status_code == 403
    login_as("staff", sites=["satama"])
    response = client.post(f"{show}/links/{world['link']}/revoke", data={"csrf_token": token_of(client, show)})
    assert response.status_code == 302
    assert client.get(f"/p/{world['token']}").status_code == 404
    public = client.application.test_client()
    assert public.get(f"/p/{world['token']}").status_code == 404
    assert public.post(f"/p/{world['token']}", data={}).status_code in (400, 404)
    with app.app_context():
        assert db.session.get(PartnerLink, world["link"]).revoked_at is not None
        assert db.session.get(Partner, world["partner"]) is not None


def test_link_of_another_partner_is_404(client, app, world, login_as):
    with app.app_context():
        other_partner = make_partner("Toinen ry")
        db.session.commit()
        other_id = other_partner.id
    login_as("staff", sites=["satama"])
    show = f"/staff/partners/{other_id}"
    response = client.post(f"{show}/links/{world['link']}/revoke", data={"csrf_token": token_of(client, show)})
    assert response.status_code == 404


# --- the partner's public form ----------------------------------------------------------------


def proposal_data(token, day, **overrides):
    data = {
        "csrf_token": token,
        "title": "Pajunvesojen raivaus",
        "date": day.isoformat(),
        "start_time": "09:00",
        "end_time": "12:00",
        "place": "Rantapuisto",
        "category": "invasive",
        "capacity": "5",
        "description": "Raivataan vesoja.",
        "bring": "Saappaat",
    }
    data.update(overrides)
    return data


def test_partner_proposes_a_task_without_an_account(client, app, world):
    form = f"/p/{world['token']}"
    page = client.get(form).get_data(as_text=True)
    assert "Olohuone satama" in page and "Luontoyhdistys Kurki ry" in page
    response = client.post(form, data=proposal_data(csrf_token(page), world["today"] + timedelta(days=5)))
    assert response.status_code == 303
    thanks = client.get(response.headers["Location"])
    assert thanks.status_code == 200 and "Kiitos! Ehdotus on lähetetty." in thanks.get_data(as_text=True)
    with app.app_context():
        proposal = db.session.scalar(sa.select(Proposal).where(Proposal.title == "Pajunvesojen raivaus"))
        assert proposal.status == PROPOSAL_PENDING and proposal.link_id == world["link"]
    assert world["token"] not in audit_text(app)


@pytest.mark.parametrize(
    "overrides, message",
    [
        ({"title": ""}, "Anna tehtävälle otsikko."),
        ({"title": "a" * 10_000}, "Ei voi olla pidempi kuin 120 merkkiä."),
        ({"description": "a" * 10_000}, "Ei voi olla pidempi kuin 2000 merkkiä."),
        ({"end_time": "08:00"}, "Päättymisajan pitää olla alkamisajan jälkeen."),
        ({"capacity": "0"}, "Paikkoja voi olla 1–100."),
        ({"capacity": "10000"}, "Paikkoja voi olla 1–100."),
        ({"date": "five-years"}, "Ei ole kelvollinen päivämäärä-arvo"),
        ({"category": "hacking"}, "Virheellinen valinta"),
        ({"capacity": "paljon"}, "Ei ole kelvollinen kokonaisluku"),
    ],
)
def test_bad_proposal_gets_a_finnish_message_and_stores_nothing(client, app, world, overrides, message):
    form = f"/p/{world['token']}"
    before = count(app, Proposal)
    response = client.post(
        form, data=proposal_data(token_of(client, form), world["today"] + timedelta(days=5), **overrides)
    )
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert message in html and "Tarkista merkityt kohdat." in html
    assert count(app, Proposal) == before


@pytest.mark.parametrize("days", [-1, 181, 5 * 365])
def test_proposal_date_must_be_within_half_a_year(client, app, world, days):
    form = f"/p/{world['token']}"
    before = count(app, Proposal)
    response = client.post(form, data=proposal_data(token_of(client, form), world["today"] + timedelta(days=days)))
    assert response.status_code == 400
    assert "Valitse päivä tältä päivältä enintään puolen vuoden päähän." in response.get_data(as_text=True)
    assert count(app, Proposal) == before


@pytest.mark.parametrize("token", ["tuntematon", "a" * 300])
def test_unknown_tokens_are_404(client, world, token):
    assert client.get(f"/p/{token}").status_code == 404
    assert client.get(f"/p/{token}/thanks").status_code == 404


def test_the_form_is_throttled_per_link(client, app, world):
    app.config["PROPOSAL_RATE_LIMIT"] = "2 per hour"
    form = f"/p/{world['token']}"
    token = token_of(client, form)
    day = world["today"] + timedelta(days=3)
    assert client.post(form, data=proposal_data(token, day)).status_code == 303
    assert client.post(form, data=proposal_data(token, day, capacity="0")).status_code == 400  # counts too
    response = client.post(form, data=proposal_data(token, day))
    assert response.status_code == 429
    assert "Liian monta yritystä" in response.get_data(as_text=True)
    assert count(app, Proposal, Proposal.title == "Pajunvesojen raivaus") == 1
    assert client.get(form).status_code == 200  # reading the form is not limited


def test_the_default_limit_is_ten_an_hour(client, app, world):
    form = f"/p/{world['token']}"
    token = token_of(client, form)
    codes = [client.post(form, data=proposal_data(token, world["today"], capacity="0")).status_code for _ in range(11)]
    assert codes == [400] * 10 + [429]


# --- templates --------------------------------------------------------------------------------


def template_data(token, **overrides):
    data = {
        "csrf_token": token,
        "title": "Haravointi",
        "category": "gardening",
        "weekdays": ["1", "3"],
        "start_time": "10:00",
        "end_time": "12:00",
        "capacity": "4",
        "place": "Puisto",
        "partner_id": "0",
        "physical_demand": "moderate",
        "setting": "outdoor",
        "meal_included": "y",
        "outcome_unit": "säkkiä lehtiä",
        "title_sv": "Krattning",
    }
    data.update(overrides)
    return data


def test_add_a_template_and_it_shows_on_the_day(client, app, world, login_as):
    login_as("staff", sites=["satama"])
    new = f"/staff/{world['site']}/templates/new"
    response = client.post(
        new, data=template_data(token_of(client, new), weekdays=["7", "1", "3"], partner_id=str(world["partner"]))
    )
    assert response.status_code == 302
    with app.app_context():
        template = db.session.scalar(sa.select(TaskTemplate).where(TaskTemplate.title == "Haravointi"))
        assert template.weekdays == "137" and template.outcome_unit == "säkkiä lehtiä"
        assert template.partner_id == world["partner"] and template.title_sv == "Krattning"
        assert template.description == "" and template.description_sv is None
    listing = client.get(f"/staff/{world['site']}/templates").get_data(as_text=True)
    assert "Haravointi" in listing and "Ma ke su" in listing


def test_edit_shows_the_saved_weekdays_and_keeps_an_archived_partner(client, app, world, login_as):
    with app.app_context():
        template = db.session.get(TaskTemplate, world["template"])
        template.partner_id = world["partner"]
        db.session.get(Partner, world["partner"]).archived_at = template.created_at
        db.session.commit()
    login_as("staff", sites=["satama"])
    edit = f"/staff/{world['site']}/templates/{world['template']}/edit"
    html = client.get(edit).get_data(as_text=True)
    boxes = re.findall(r'<input [^>]*name="weekdays"[^>]*>', html)
    assert len(boxes) == 7 and not any("required" in box for box in boxes)
    assert [re.search(r'value="(\d)"', box).group(1) for box in boxes if "checked" in box] == ["1", "3", "5"]
    response = client.post(edit, data=template_data(token_of(client, edit), partner_id=str(world["partner"])))
    assert response.status_code == 302
    with app.app_context():
        template = db.session.get(TaskTemplate, world["template"])
        assert template.weekdays == "13" and template.partner_id == world["partner"]


@pytest.mark.parametrize(
    "overrides, message",
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
def test_bad_template_input_gets_a_finnish_message_and_stores_nothing(client, app, world, login_as, overrides, message):
    login_as("staff", sites=["satama"])
    new = f"/staff/{world['site']}/templates/new"
    before = audit_text(app)
    response = client.post(new, data=template_data(token_of(client, new), **overrides))
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert message in html and "Tarkista merkityt kohdat." in html
    assert count(app, TaskTemplate) == 2
    assert audit_text(app) == before


def test_pause_and_resume_a_template(client, app, world, login_as):
    login_as("staff", sites=["satama"])
    listing = f"/staff/{world['site']}/templates"
    base = f"{listing}/{world['template']}"
    assert client.post(f"{base}/pause", data={"csrf_token": token_of(client, listing)}).status_code == 302
    html = client.get(listing).get_data(as_text=True)
    assert "Tauolla (1)" in html and "Käytössä olevia pohjia ei ole." in html
    with app.app_context():
        assert db.session.get(TaskTemplate, world["template"]).paused is True
    day = client.get(f"/staff/{world['site']}/day/").get_data(as_text=True)
    assert "Lisää päivän tehtävät pohjista" not in day
    assert client.post(f"{base}/resume", data={"csrf_token": token_of(client, listing)}).status_code == 302
    with app.app_context():
        assert db.session.get(TaskTemplate, world["template"]).paused is False


def test_tampered_template_ids_of_another_site_are_refused(client, app, world, login_as):
    login_as("staff", sites=["satama"])
    s, o, t = world["site"], world["other"], world["other_template"]
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


# --- proposals --------------------------------------------------------------------------------


def test_staff_see_their_sites_proposals_with_the_partner(client, world, login_as):
    login_as("staff", sites=["satama"])
    html = client.get(f"/staff/{world['site']}/proposals").get_data(as_text=True)
    assert "Haravointi" in html and "Luontoyhdistys Kurki ry" in html and "Muualla" not in html
    assert "kurki@example.org" not in html


def test_approval_creates_exactly_one_task_and_a_second_does_nothing(client, app, world, login_as):
    login_as("staff", sites=["satama"])
    page = f"/staff/{world['site']}/proposals"
    approve = f"{page}/{world['proposal']}/approve"
    response = client.post(approve, data={"csrf_token": token_of(client, page)})
    assert response.status_code == 302
    assert "Hyväksytty." in client.get(page).get_data(as_text=True)
    response = client.post(approve, data={"csrf_token": token_of(client, page)})
    assert response.status_code == 302
    assert "Ehdotus on jo käsitelty." in client.get(page).get_data(as_text=True)
    with app.app_context():
        [task] = db.session.scalars(sa.select(Task)).all()
        assert (task.title, task.partner_id, task.date) == (
            "Haravointi",
            world["partner"],
            world["today"] + timedelta(days=2),
        )
        [event] = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "proposal.approve")).all()
        assert event.after["task_id"] == task.id and event.user_email == "staff@example.org"
        assert event.before == {"status": "pending"}
    day = client.get(f"/staff/{world['site']}/day/{task.date.isoformat()}").get_data(as_text=True)
    assert "Haravointi" in day


def test_reject_keeps_the_proposal_and_writes_an_audit_event(client, app, world, login_as):
    login_as("staff", sites=["satama"])
    page = f"/staff/{world['site']}/proposals"
    response = client.post(f"{page}/{world['proposal']}/reject", data={"csrf_token": token_of(client, page)})
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(Proposal, world["proposal"]).status == "rejected"
        assert count(app, Task) == 0
        [event] = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "proposal.reject")).all()
        assert (event.before, event.after) == ({"status": "pending"}, {"status": "rejected"})


def test_approval_on_a_closed_day_is_refused_unless_admin(client, app, world, login_as):
    with app.app_context():
        db.session.add(DayRecord(site_id=_site_id(app, world["site"]), date=world["today"] + timedelta(days=2)))
        db.session.commit()
    page = f"/staff/{world['site']}/proposals"
    approve = f"{page}/{world['proposal']}/approve"
    login_as("staff", sites=["satama"])
    client.post(approve, data={"csrf_token": token_of(client, page)})
    assert "Päivä on jo suljettu." in client.get(page).get_data(as_text=True)
    assert count(app, Task) == 0
    admin = client.application.test_client()
    login_as("admin", client=admin)
    admin.post(approve, data={"csrf_token": token_of(admin, page)})
    assert count(app, Task) == 1


def test_tampered_proposal_ids_of_another_site_are_refused(client, app, world, login_as):
    login_as("staff", sites=["satama"])
    s, o, q = world["site"], world["other"], world["other_proposal"]
    token = token_of(client, f"/staff/{s}/proposals")
    assert client.post(f"/staff/{s}/proposals/{q}/approve", data={"csrf_token": token}).status_code == 404
    assert client.post(f"/staff/{s}/proposals/{q}/reject", data={"csrf_token": token}).status_code == 404
    assert client.post(f"/staff/{o}/proposals/{q}/approve", data={"csrf_token": token}).status_code == 403
    assert client.post(f"/staff/{s}/proposals/{2**40}/approve", data={"csrf_token": token}).status_code == 404
    assert count(app, Task) == 0
    assert count(app, Proposal, Proposal.status == PROPOSAL_PENDING) == 2


def test_no_audit_event_holds_a_token(client, app, world, login_as):
    login_as("staff", sites=["satama"])
    show = f"/staff/partners/{world['partner']}"
    html = client.post(
        f"{show}/links", data={"csrf_token": token_of(client, show), "site_id": str(_site_id(app, world["site"]))}
    ).get_data(as_text=True)
    new_token = LINK_RE.search(html).group(1).rsplit("/p/", 1)[1]
    public = client.application.test_client()
    form = f"/p/{new_token}"
    public.post(form, data=proposal_data(token_of(public, form), world["today"]))
    text = audit_text(app)
    for token in (world["token"], new_token):
        assert token not in text and hashlib.sha256(token.encode()).hexdigest() not in text
