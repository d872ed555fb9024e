"""The region's public page /r/<region>: its own sites' tasks of the week, by day and site; the
embeddable variant and who may frame it; a 404 page for an unknown region; nothing about visitors."""

import re
from datetime import timedelta

import pytest

from dropin.extensions import db
from dropin.sites import find_site
from tests.factories import make_task
from tests.helpers import counted_queries
from tests.web.region_world import TITLE_FI, TITLE_SV, build_region_world


@pytest.fixture
def world(app):
    with app.app_context():
        return build_region_world()


def page(client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, path
    return response.get_data(as_text=True)


def frame_ancestors(response) -> str:
    return re.search(r"frame-ancestors ([^;]+)", response.headers["Content-Security-Policy"]).group(1)


def test_the_page_lists_the_week_by_day_then_site(client, world):
    html = page(client, "/r/alue")
    days = re.findall(r'<h2 class="region-date" id="day-([0-9-]+)"', html)
    assert days == sorted(days)
    assert len(days) == 3
    assert days[0] == world.today.isoformat()
    today = html[html.index(f'id="day-{days[0]}"') : html.index(f'id="day-{days[1]}"')]
    assert "Olohuone Satama" in today
    assert "Olohuone Kallio" not in today
    assert today.index("Pullataikina") < today.index("Roskien keruu rannalla")  # by start time
    assert "Sämpylöiden leipominen" in html[html.index(f'id="day-{days[1]}"') : html.index(f'id="day-{days[2]}"')]
    assert TITLE_FI in html[html.index(f'id="day-{days[2]}"') :]
    assert "Liian kaukana tulevaisuudessa" not in html
    assert "Eilinen tehtävä" not in html


def test_each_task_shows_time_place_pictogram_meal_and_free_places(client, world):
    html = page(client, "/r/alue")
    later = html[html.index(TITLE_FI) - 600 : html.index(TITLE_FI) + 1400]
    assert "pictograms/invasive.svg" in later
    assert 'alt="Vieraslajien poisto"' in later
    assert "10.00–24.00" in later  # an end at midnight reads 24.00
    assert "Äijänsaari" in later
    assert "Ruoka tarjolla" in later
    assert "6/6 paikkaa vapaana" in later
    running = html[html.index("Roskien keruu rannalla") :]
    assert "3/4 paikkaa vapaana" in running[:1500]  # one place taken at the kiosk


def test_a_cancelled_task_is_shown_as_cancelled_with_its_reason(client, world):
    html = page(client, "/r/alue")
    item = html[html.rindex("<li", 0, html.index("Pullataikina")) : html.index("</li>", html.index("Pullataikina"))]
    assert "region-task-cancelled" in item
    assert "Peruttu" in item
    assert "Uuni on rikki." in item
    assert "paikkaa vapaana" not in item
    assert "Ruoka tarjolla" not in item


def test_how_to_get_there_and_no_join_button(client, world):
    html = page(client, "/r/alue")
    assert "Satamakatu 3, Kotka" in html
    assert "ma–pe 10–16" in html
    assert "Kalliotie 1, Kotka" in html
    assert "Tehtäviin ei ilmoittauduta etukäteen" in html
    assert "<form" not in html
    assert "/tasks/" not in html


def test_the_page_shows_only_its_own_regions_sites(client, world):
    home, other = page(client, "/r/alue"), page(client, "/r/ita")
    assert "Kaukainen olohuone" not in home
    assert "Toisen alueen tehtävä" not in home
    assert "Toisen alueen tehtävä" in other
    assert "Olohuone Satama" not in other
    assert "Roskien keruu rannalla" not in other


def test_nothing_about_visitors_is_on_the_page(client, world):
    for path in ("/r/alue", "/r/alue?embed=1", "/r/alue?lang=sv"):
        html = page(client, path)
        assert world.code not in html
        assert world.phone_token not in html


def test_the_page_speaks_swedish_and_english(client, world):
    html = page(client, "/r/alue?lang=sv")
    assert TITLE_SV in html
    assert "mån–fre 10–16" in html
    assert 'lang="sv"' in html
    english = page(client, "/r/alue?lang=en")
    assert 'lang="en"' in english
    assert "10:00–24:00" in english
    assert "ma–pe 10–16" in english  # no English hours written: the Finnish ones


def test_an_unknown_region_has_a_404_page_pointing_to_the_known_ones(client, world):
    response = client.get("/r/ei-ole")
    html = response.get_data(as_text=True)
    assert response.status_code == 404
    assert "Aluetta ei löytynyt" in html
    assert 'href="/r/alue"' in html
    assert 'href="/r/ita"' in html


def test_the_page_may_not_be_framed(client, world):
    response = client.get("/r/ita")
    assert frame_ancestors(response) == "'none'"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert '<header class="page-header">' in response.get_data(as_text=True)


def test_the_embed_variant_may_be_framed_by_the_regions_origins_only(client, world):
    response = client.get("/r/ita?embed=1")
    html = response.get_data(as_text=True)
    assert frame_ancestors(response) == "https://www.kunta.fi http://localhost:8080"
    assert "X-Frame-Options" not in response.headers  # it could only contradict the CSP
    assert '<header class="page-header">' not in html
    assert "<h1>Itäinen alue</h1>" in html
    assert "default-src 'self'" in response.headers["Content-Security-Policy"]  # the rest of the CSP stands


def test_an_embed_with_no_origins_allowed_is_framed_by_nobody(client, world):
    response = client.get("/r/alue?embed=1")
    assert frame_ancestors(response) == "'none'"
    assert response.headers["X-Frame-Options"] == "DENY"


def test_other_pages_keep_frame_ancestors_none(client, world):
    client.get("/r/ita?embed=1")  # the allowance of one response does not carry over
    for path in ("/", "/r/ei-ole?embed=1", "/login"):
        response = client.get(path)
        assert frame_ancestors(response) == "'none'", path
        assert response.headers["X-Frame-Options"] == "DENY", path


def test_the_page_costs_the_same_queries_whatever_the_number_of_tasks(app, client, world):
    page(client, "/r/alue")  # the first request of a client reads more (the session, the app's caches)
    with counted_queries(app) as few:
        page(client, "/r/alue")
    with app.app_context():
        for slug in ("satama", "kallio"):
            site = find_site(slug)
            for ahead in range(7):
                make_task(site, date=world.today + timedelta(days=ahead), title=f"Lisää {ahead}")
        db.session.commit()
    with counted_queries(app) as many:
        html = page(client, "/r/alue")
    assert html.count("Lisää 6") == 2
    assert len(many) == len(few)
