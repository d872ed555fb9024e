"""Partner records, their proposal links and the partner's public form over HTTP: bad input, secrets."""

import hashlib
import json
import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from dropin.extensions import db
from dropin.models import AuditEvent, Partner, PartnerLink, Proposal, Task, TaskTemplate
from dropin.models.proposal import ProposalStatus
from tests.factories import make_partner, make_task
from tests.helpers import audit_text, count_rows, csrf_token, site_id, token_of
from tests.web.filled_forms import partner_data, proposal_data

LINK_RE = re.compile(r'id="link-url">([^<]+)<')


# --- partners -------------------------------------------------------------------------------------


def test_add_and_edit_a_partner(client, app, planning, login_as):
    login_as("staff", sites=["satama"])
    response = client.post("/staff/partners/new", data=partner_data(token_of(client, "/staff/partners/new")))
    assert response.status_code == 302
    with app.app_context():
        partner = db.session.scalar(sa.select(Partner).where(Partner.name == "Yhteiskeittiö Pata"))
        assert (partner.phone, partner.email) == ("+358 40 000 0004", "pata@example.org")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Kumppani lisätty." in page
    assert "pata@example.org" in page
    edit = f"/staff/partners/{partner.id}/edit"
    response = client.post(edit, data=partner_data(token_of(client, edit), kind="", notes="  "))
    assert response.status_code == 302
    with app.app_context():
        partner = db.session.get(Partner, partner.id)
        assert partner.kind is None
        assert partner.notes is None
        [event] = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "partner.update")).all()
        assert event.before == {"kind": "Yhdistys", "notes": "Keittiö vapaa arkisin."}
        assert event.after == {"kind": None, "notes": None}


@pytest.mark.parametrize(
    ("overrides", "message"),
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
def test_bad_partner_input_gets_a_finnish_message_and_stores_nothing(
    client, app, planning, login_as, overrides, message
):
    login_as("staff", sites=["satama"])
    before = count_rows(app, Partner)
    response = client.post(
        "/staff/partners/new", data=partner_data(token_of(client, "/staff/partners/new"), **overrides)
    )
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert count_rows(app, Partner) == before


def test_renaming_to_a_taken_name_is_refused(client, app, planning, login_as):
    with app.app_context():
        make_partner("Toinen ry")
        db.session.commit()
    login_as("staff", sites=["satama"])
    edit = f"/staff/partners/{planning['partner']}/edit"
    response = client.post(edit, data=partner_data(token_of(client, edit), name="TOINEN RY"))
    assert response.status_code == 400
    assert "Tämän niminen kumppani on jo olemassa." in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Partner, planning["partner"]).name == "Luontoyhdistys Kurki ry"


def test_archive_keeps_the_partner_its_tasks_and_history(client, app, planning, login_as):
    with app.app_context():
        task = make_task(db.session.get(TaskTemplate, planning["template"]).site, partner_id=planning["partner"])
        db.session.commit()
        task_id = task.id
    # Staff of every site of the partner archive it for everyone (test_partner_sites: of one site).
    login_as("staff", sites=["satama", "muu"])
    show = f"/staff/partners/{planning['partner']}"
    response = client.post(f"{show}/archive", data={"csrf_token": token_of(client, show)})
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(Partner, planning["partner"]).archived_at is not None
        assert db.session.get(Task, task_id).partner_id == planning["partner"]
    listing = client.get("/staff/partners").get_data(as_text=True)
    archived_part = listing.split("Arkistoidut (1)")[1]
    assert "Luontoyhdistys Kurki ry" in archived_part
    assert "Luontoyhdistys Kurki ry" not in client.get(f"/staff/{planning['site']}/templates/new").get_data(
        as_text=True
    )
    assert client.get(f"/p/{planning['token']}").status_code == 404  # an archived partner proposes nothing
    response = client.post(f"{show}/unarchive", data={"csrf_token": token_of(client, show)})
    assert response.status_code == 302
    assert client.get(f"/p/{planning['token']}").status_code == 200


@pytest.mark.parametrize("partner_id", [999_999, 2**31, 10**20])
def test_unknown_partner_ids_are_404(client, planning, login_as, partner_id):
    login_as("staff", sites=["satama"])
    assert client.get(f"/staff/partners/{partner_id}").status_code == 404


def test_contact_data_stays_behind_login(client, app, planning):
    with app.app_context():
        make_task(db.session.get(TaskTemplate, planning["template"]).site, partner_id=planning["partner"])
        db.session.commit()
    pages = [
        f"/kiosk/{planning['site']}",
        "/api/v1/sites",
        f"/api/v1/sites/{planning['site']}/tasks",
        f"/p/{planning['token']}",
    ]
    for path in pages:
        text = client.get(path).get_data(as_text=True)
        for secret in ("Sanna Esimerkki", "040 000 0001", "kurki@example.org", "Avain varastolta"):
            assert secret not in text, (path, secret)
    assert "Luontoyhdistys Kurki ry" in client.get(f"/kiosk/{planning['site']}").get_data(as_text=True)


# --- proposal links -------------------------------------------------------------------------------


def test_new_link_is_shown_once_and_only_its_hash_is_stored(client, app, planning, login_as):
    login_as("staff", sites=["satama"])
    show = f"/staff/partners/{planning['partner']}"
    response = client.post(
        f"{show}/links", data={"csrf_token": token_of(client, show), "site_id": str(site_id(app, planning["site"]))}
    )
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    url = LINK_RE.search(html).group(1)
    token = url.rsplit("/p/", 1)[1]
    assert 'src="data:image/svg+xml;base64,' in html
    assert "js/copy.js" in html
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


def test_staff_cannot_make_a_link_for_another_site(client, app, planning, login_as):
    login_as("staff", sites=["satama"])
    show = f"/staff/partners/{planning['partner']}"
    before = count_rows(app, PartnerLink)
    response = client.post(
        f"{show}/links", data={"csrf_token": token_of(client, show), "site_id": str(site_id(app, planning["other"]))}
    )
    assert response.status_code == 400
    assert "Valitse kohtaamispaikka" in response.get_data(as_text=True)
    assert count_rows(app, PartnerLink) == before


def test_revoked_link_is_404_and_staff_of_another_site_cannot_revoke(client, app, planning, login_as):
    show = f"/staff/partners/{planning['partner']}"
    other = client.application.test_client()
    login_as("staff", sites=["muu"], email="other@example.org", client=other)
    response = other.post(f"{show}/links/{planning['link']}/revoke", data={"csrf_token": token_of(other, show)})
    assert response.status_code == 403
    login_as("staff", sites=["satama"])
    response = client.post(f"{show}/links/{planning['link']}/revoke", data={"csrf_token": token_of(client, show)})
    assert response.status_code == 302
    assert client.get(f"/p/{planning['token']}").status_code == 404
    public = client.application.test_client()
    assert public.get(f"/p/{planning['token']}").status_code == 404
    assert public.post(f"/p/{planning['token']}", data={}).status_code in (400, 404)
    with app.app_context():
        assert db.session.get(PartnerLink, planning["link"]).revoked_at is not None
        assert db.session.get(Partner, planning["partner"]) is not None


def test_link_of_another_partner_is_404(client, app, planning, login_as):
    with app.app_context():
        other_partner = make_partner("Toinen ry")
        db.session.commit()
        other_id = other_partner.id
    login_as("staff", sites=["satama"])
    show = f"/staff/partners/{other_id}"
    response = client.post(f"{show}/links/{planning['link']}/revoke", data={"csrf_token": token_of(client, show)})
    assert response.status_code == 404


def test_no_audit_event_holds_a_token(client, app, planning, login_as):
    login_as("staff", sites=["satama"])
    show = f"/staff/partners/{planning['partner']}"
    html = client.post(
        f"{show}/links", data={"csrf_token": token_of(client, show), "site_id": str(site_id(app, planning["site"]))}
    ).get_data(as_text=True)
    new_token = LINK_RE.search(html).group(1).rsplit("/p/", 1)[1]
    public = client.application.test_client()
    form = f"/p/{new_token}/propose"
    public.post(form, data=proposal_data(token_of(public, form), planning["today"]))
    text = audit_text(app)
    for token in (planning["token"], new_token):
        assert token not in text
        assert hashlib.sha256(token.encode()).hexdigest() not in text


# --- the partner's public form --------------------------------------------------------------------


def test_partner_proposes_a_task_without_an_account(client, app, planning):
    form = f"/p/{planning['token']}/propose"
    page = client.get(form).get_data(as_text=True)
    assert "Olohuone satama" in page
    assert "Luontoyhdistys Kurki ry" in page
    response = client.post(form, data=proposal_data(csrf_token(page), planning["today"] + timedelta(days=5)))
    assert response.status_code == 303
    thanks = client.get(response.headers["Location"])
    assert thanks.status_code == 200
    assert "Kiitos! Ehdotus on lähetetty." in thanks.get_data(as_text=True)
    with app.app_context():
        proposal = db.session.scalar(sa.select(Proposal).where(Proposal.title == "Pajunvesojen raivaus"))
        assert proposal.status == ProposalStatus.PENDING
        assert proposal.link_id == planning["link"]
    assert planning["token"] not in audit_text(app)


@pytest.mark.parametrize(
    ("overrides", "message"),
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
def test_bad_proposal_gets_a_finnish_message_and_stores_nothing(client, app, planning, overrides, message):
    form = f"/p/{planning['token']}/propose"
    before = count_rows(app, Proposal)
    response = client.post(
        form, data=proposal_data(token_of(client, form), planning["today"] + timedelta(days=5), **overrides)
    )
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert message in html
    assert "Tarkista merkityt kohdat." in html
    assert count_rows(app, Proposal) == before


@pytest.mark.parametrize("days", [-1, 181, 5 * 365])
def test_proposal_date_must_be_within_half_a_year(client, app, planning, days):
    form = f"/p/{planning['token']}/propose"
    before = count_rows(app, Proposal)
    response = client.post(form, data=proposal_data(token_of(client, form), planning["today"] + timedelta(days=days)))
    assert response.status_code == 400
    assert "Valitse päivä tältä päivältä enintään puolen vuoden päähän." in response.get_data(as_text=True)
    assert count_rows(app, Proposal) == before


@pytest.mark.parametrize("token", ["tuntematon", "a" * 300])
def test_unknown_tokens_are_404(client, planning, token):
    assert client.get(f"/p/{token}").status_code == 404
    assert client.get(f"/p/{token}/thanks").status_code == 404


def test_the_form_is_throttled_per_link(client, app, planning):
    app.config["PROPOSAL_RATE_LIMIT"] = "2 per hour"
    form = f"/p/{planning['token']}/propose"
    token = token_of(client, form)
    day = planning["today"] + timedelta(days=3)
    assert client.post(form, data=proposal_data(token, day)).status_code == 303
    assert client.post(form, data=proposal_data(token, day, capacity="0")).status_code == 400  # counts too
    response = client.post(form, data=proposal_data(token, day))
    assert response.status_code == 429
    assert "Liian monta yritystä" in response.get_data(as_text=True)
    assert count_rows(app, Proposal, Proposal.title == "Pajunvesojen raivaus") == 1
    assert client.get(form).status_code == 200  # reading the form is not limited


def test_the_default_limit_is_ten_an_hour(client, app, planning):
    form = f"/p/{planning['token']}/propose"
    token = token_of(client, form)
    codes = [
        client.post(form, data=proposal_data(token, planning["today"], capacity="0")).status_code for _ in range(11)
    ]
    assert codes == [400] * 10 + [429]


def test_a_proposals_swedish_and_english_texts_reach_the_task(client, app, planning, login_as):
    """A translation the partner typed once is kept: the approved task shows it on a Swedish kiosk."""
    form = f"/p/{planning['token']}/propose"
    page = client.get(form).get_data(as_text=True)
    assert 'name="title_sv"' in page
    assert 'name="description_en"' in page
    translated = {
        "title_sv": "Röjning av videskott",
        "description_sv": "Vi klipper videskott vid stranden.",
        "title_en": "Clearing willow shoots",
        "description_en": "We cut willow shoots on the shore.",
    }
    data = {**proposal_data(csrf_token(page), planning["today"] + timedelta(days=5)), **translated}
    assert client.post(form, data=data).status_code == 303
    with app.app_context():
        proposal = db.session.scalar(sa.select(Proposal).where(Proposal.title == "Pajunvesojen raivaus"))
        assert {name: getattr(proposal, name) for name in translated} == translated
        proposal_id = proposal.id
    staff = app.test_client()
    login_as("staff", sites=["satama"], client=staff)
    review = f"/staff/{planning['site']}/proposals"
    assert "Röjning av videskott" in staff.get(review).get_data(as_text=True)
    staff.post(f"{review}/{proposal_id}/approve", data={"csrf_token": token_of(staff, review)})
    with app.app_context():
        task = db.session.scalar(sa.select(Task).where(Task.title == "Pajunvesojen raivaus"))
        assert {name: getattr(task, name) for name in translated} == translated
