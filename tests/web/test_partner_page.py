"""The partner's own page at /p/<token>: its tasks and nobody else's, protected counts, no contact data."""

import re
from dataclasses import dataclass
from datetime import date, timedelta

import pytest

from dropin.claims.service import claim_place
from dropin.extensions import db
from dropin.models import DayRecord, Feedback, Task
from dropin.models.task import TaskStatus
from dropin.partners import service
from tests.factories import make_partner, make_site, make_task
from tests.web.conftest import proposal_values

CONTACTS = (
    "Sanna Esimerkki",
    "040 000 0001",
    "kurki@example.org",
    "Ville Vieras",
    "050 999 9999",
    "toinen@example.org",
)


@dataclass(frozen=True)
class World:
    token: str
    other_token: str
    today: date
    past: date
    ids: dict


def _past_day(today: date) -> date:
    yesterday = today - timedelta(days=1)
    if yesterday.year != today.year:
        pytest.skip("on New Year's Day this year has no closed day before today")
    return yesterday


@pytest.fixture
def world(app) -> World:
    """Two partners at the same two sites: each with tasks today and tomorrow, a cancellation, a
    proposal, a closed day's outcomes and feedback. Kurki's link is the one opened."""
    with app.app_context():
        satama, muu = make_site("satama", name="Olohuone Satama"), make_site("muu", name="Olohuone Muu")
        kurki = make_partner(
            "Luontoyhdistys Kurki ry",
            sites=[satama, muu],
            contact_person="Sanna Esimerkki",
            phone="040 000 0001",
            email="kurki@example.org",
        )
        toinen = make_partner(
            "Toinen yhdistys ry",
            sites=[satama, muu],
            contact_person="Ville Vieras",
            phone="050 999 9999",
            email="toinen@example.org",
        )
        today = satama.today()
        past = _past_day(today)
        ids = {}
        ids["kurki_today"] = make_task(satama, partner_id=kurki.id, title="Kurjen rantasiivous", capacity=8).id
        make_task(muu, partner_id=kurki.id, title="Kurjen leivonta", date=today + timedelta(days=1))
        make_task(satama, partner_id=toinen.id, title="Toisen tehtävä tänään")
        make_task(muu, partner_id=toinen.id, title="Toisen leivonta", date=today + timedelta(days=1))
        make_task(
            satama,
            partner_id=kurki.id,
            title="Kurjen peruttu",
            date=today + timedelta(days=2),
            status=TaskStatus.CANCELLED,
            cancel_reason="Myrskyvaroitus",
        )
        make_task(
            satama,
            partner_id=toinen.id,
            title="Toisen peruttu",
            date=today + timedelta(days=2),
            status=TaskStatus.CANCELLED,
            cancel_reason="Toisen syy",
        )
        # A closed day: Kurki's two tasks (4 and 10 people), the other partner's one (7).
        for site in (satama, muu):
            db.session.add(DayRecord(site_id=site.id, date=past))
        closed = dict(date=past, status=TaskStatus.CLOSED)
        ids["kurki_four"] = make_task(
            satama,
            partner_id=kurki.id,
            title="Kurjen pieni",
            participants=4,
            outcome_amount=12,
            outcome_unit="säkkiä roskia",
            **closed,
        ).id
        ids["kurki_ten"] = make_task(
            muu, partner_id=kurki.id, title="Kurjen iso", participants=10, category="baking", **closed
        ).id
        make_task(satama, partner_id=toinen.id, title="Toisen pidetty", participants=7, outcome_amount=99, **closed)
        for _ in range(3):
            db.session.add(Feedback(site_id=satama.id, date=past, partner_id=kurki.id, category="cleanup", useful=3))
        for _ in range(6):
            db.session.add(Feedback(site_id=satama.id, date=past, partner_id=toinen.id, category="cleanup", useful=1))
        link = service.create_link(kurki, satama)
        other = service.create_link(toinen, satama)
        day = today + timedelta(days=3)
        service.submit_proposal(link.link, proposal_values(day, "Kurjen ehdotus", "gardening", "Puisto", 4))
        service.submit_proposal(other.link, proposal_values(day, "Toisen ehdotus", "cooking", "Keittiö", 2))
        db.session.commit()
        return World(link.token, other.token, today, past, ids)


def text_of(client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, path
    return response.get_data(as_text=True)


def folded(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_the_page_shows_the_partners_own_tasks_and_nobody_elses(client, world):
    html = text_of(client, f"/p/{world.token}")
    for own in ("Kurjen rantasiivous", "Kurjen leivonta", "Kurjen peruttu", "Myrskyvaroitus", "Kurjen ehdotus"):
        assert own in html, own
    for own in ("Kurjen pieni", "Kurjen iso", "Olohuone Satama", "Olohuone Muu"):
        assert own in html, own
    for other in ("Toisen", "Toinen yhdistys"):
        assert other not in html, other
    # The other partner's link shows its own, and none of Kurki's.
    other_html = text_of(client, f"/p/{world.other_token}")
    assert "Toisen tehtävä tänään" in other_html
    assert "Toisen syy" in other_html
    assert "Kurje" not in other_html


def test_no_contact_data_on_any_partner_page(client, world):
    for path in ("", "/live", "/kiitos", "/propose"):
        html = text_of(client, f"/p/{world.token}{path}")
        for secret in CONTACTS:
            assert secret not in html, (path, secret)


def test_places_taken_now_are_shown_unsuppressed_and_the_fragment_follows_claims(client, app, world):
    page = text_of(client, f"/p/{world.token}")
    assert "0 tulossa" in folded(page)
    first = client.get(f"/p/{world.token}/live")
    etag = first.headers["ETag"]
    assert client.get(f"/p/{world.token}/live", headers={"If-None-Match": etag}).status_code == 304
    with app.app_context():
        task = db.session.get(Task, world.ids["kurki_today"])
        for _ in range(3):
            claim_place(task)
        db.session.commit()
    changed = client.get(f"/p/{world.token}/live", headers={"If-None-Match": etag})
    assert changed.status_code == 200
    assert changed.headers["ETag"] != etag
    assert "3 tulossa" in folded(changed.get_data(as_text=True))  # a live count of today: not "alle 5"
    assert "Toisen" not in changed.get_data(as_text=True)


def test_every_count_of_people_in_outcomes_summary_and_feedback_is_protected(client, world):
    text = folded(text_of(client, f"/p/{world.token}"))
    # 4 people is small: "alle 5"; the 10 beside it would give it away from the total 14, so it is hidden too.
    assert "Tekijöitä: alle 5 · Tulos: 12 säkkiä roskia" in text
    assert "Tekijöitä: .." in text
    assert "Tekijöitä: 10" not in text
    assert "Tekijöitä: 4" not in text
    assert re.search(r"Osallistumisia 14\b", text)
    # Kurki's three feedback answers are "alle 5", the other partner's six are not counted at all.
    assert "Työ tuntui hyödylliseltä alle 5 0 0 alle 5" in text
    kiitos = folded(text_of(client, f"/p/{world.token}/kiitos"))
    assert "Tekijöitä" not in kiitos  # the printed page has the season only
    assert re.search(r"Osallistumisia 14\b", kiitos)
    assert "Työ tuntui hyödylliseltä alle 5 0 0 alle 5" in kiitos


def test_five_participants_are_shown_as_five(client, app, world):
    with app.app_context():
        db.session.get(Task, world.ids["kurki_four"]).participants = 5
        db.session.commit()
    text = folded(text_of(client, f"/p/{world.token}"))
    assert "Tekijöitä: 5 · Tulos: 12 säkkiä roskia" in text
    assert "Tekijöitä: 10" in text
    assert re.search(r"Osallistumisia 15\b", text)
    assert "alle 5 ·" not in text


def test_outcomes_per_category_and_offer_are_not_suppressed(client, world):
    text = folded(text_of(client, f"/p/{world.token}/kiitos"))
    assert re.search(r"Tehtäviä 2 Paikkoja tarjolla 6\b", text)
    assert "12 säkkiä roskia" in text
    assert "99" not in text  # the other partner's outcome


def test_revoked_and_unknown_links_are_404_with_a_way_to_ask_again(client, app, world):
    with app.app_context():
        from dropin.models import PartnerLink
        from dropin.models.base import utcnow

        for link in db.session.query(PartnerLink).all():
            link.revoked_at = utcnow()
        db.session.commit()
    for path in ("", "/live", "/kiitos", "/propose", "/thanks"):
        response = client.get(f"/p/{world.token}{path}")
        assert response.status_code == 404, path
        html = response.get_data(as_text=True)
        assert "Linkki ei toimi" in html
        assert 'href="/p/new-link"' in html
        assert "Kurje" not in html
    assert client.get("/p/tuntematon").status_code == 404


def test_the_old_form_address_still_sends_a_proposal(client, app, world):
    from tests.helpers import token_of
    from tests.web.filled_forms import proposal_data

    token = token_of(client, f"/p/{world.token}/propose")
    response = client.post(f"/p/{world.token}", data=proposal_data(token, world.today + timedelta(days=4)))
    assert response.status_code == 303
    assert "Pajunvesojen raivaus" in text_of(client, f"/p/{world.token}")
