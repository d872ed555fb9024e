"""/stats over HTTP: who may see it, bad parameters, the exports and the report, queries per view."""

import csv
import io
import re
from datetime import date
from html import unescape

import pytest
from openpyxl import load_workbook

from dropin.extensions import db
from dropin.models import Task
from tests.factories import make_kiosk, make_partner, make_user
from tests.helpers import counted_queries, login
from tests.stats_data import known_data, make_claims, make_task_on

MARCH = "from=2026-03-01&to=2026-03-31"
PAGES = ("/stats", "/stats/export.csv", "/stats/export.xlsx", "/stats/report", "/stats/report.pdf")
MAX_QUERIES = 25


@pytest.fixture
def world(app):
    with app.app_context():
        data = known_data()
        make_user("worker@example.org", "worker")
        make_user("admin@example.org", "admin")
        make_user("staff@example.org", "staff", sites=[data["satama"]])
        enrollment = make_kiosk(data["satama"])
        db.session.commit()
        return {"kurki": data["kurki"].id, "pata": data["pata"].id, "enroll": enrollment.enroll_token}


@pytest.fixture
def worker(client, world):
    login(client, "worker@example.org")
    return client


@pytest.mark.parametrize("email", ["worker@example.org", "admin@example.org"])
def test_workers_and_admins_see_every_stats_page(client, world, email):
    login(client, email)
    for path in PAGES:
        assert client.get(f"{path}?{MARCH}").status_code == 200, path


def test_staff_are_refused(client, world):
    login(client, "staff@example.org")
    for path in PAGES:
        assert client.get(f"{path}?{MARCH}").status_code == 403, path


def test_anonymous_users_and_kiosk_browsers_are_sent_to_log_in(client, world):
    for path in PAGES:
        response = client.get(f"{path}?{MARCH}")
        assert response.status_code == 302, path
        assert "/login" in response.headers["Location"], path
    client.get(f"/kiosk/enroll/{world['enroll']}")  # now this browser is the kiosk
    for path in PAGES:
        response = client.get(f"{path}?{MARCH}")
        assert response.status_code == 302, path
        assert "/login" in response.headers["Location"], path


def test_a_worker_lands_on_the_stats_and_sees_them_in_the_menu(client, world):
    response = login(client, "worker@example.org")
    assert response.headers["Location"].endswith("/stats")
    page = client.get("/stats").get_data(as_text=True)
    assert 'href="/stats"' in page
    assert "Tilastot" in page


def _figure(html: str, key: str) -> tuple[str, str]:
    row = re.search(
        rf'data-figure="{re.escape(key)}">\s*<th scope="row">.*?</th>\s*'
        r'<td class="num current">(.*?)</td>\s*<td class="num previous">(.*?)</td>',
        html,
        re.S,
    )
    assert row, key
    return tuple(html_text(cell) for cell in row.groups())


def html_text(fragment: str) -> str:
    return unescape(re.sub(r"<[^>]+>", "", fragment)).replace("\u00a0", " ").strip()


def test_the_page_shows_the_hand_computed_figures(worker):
    html = worker.get(f"/stats?{MARCH}").get_data(as_text=True)
    assert _figure(html, "claims") == ("24", "..")  # 6 = 5 + 1 released: hidden to protect the 1
    assert _figure(html, "places") == ("21", "6")
    assert _figure(html, "participations") == ("16", "<5")
    assert _figure(html, "released") == ("<5", "<5")
    assert _figure(html, "fill_rate") == ("90,5 %", "..")  # the previous rate would reveal the released 1
    assert _figure(html, "community-share") == ("100,0 %", "–")
    assert "1.3.2026–31.3.2026" in html
    assert "29.1.2026–28.2.2026" in html


def test_the_page_is_self_contained_and_csp_safe(worker):
    html = worker.get(f"/stats?{MARCH}").get_data(as_text=True)
    assert html.count('<svg class="chart"') == 4
    assert html.count('role="img"') >= 4
    assert html.count("<details") >= 5
    assert "<table" in html
    assert "style=" not in html
    assert "<style" not in html
    assert "<script>" not in html
    assert not re.search(r'(src|href)="(https?:)?//', html)


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("from=2026-13-01&to=2026-12-31", "Alkupäivä ei ole olemassa oleva päivä."),
        ("from=2026-03-31&to=2026-03-01", "Alkupäivä on loppupäivän jälkeen."),
        ("from=2010-01-01&to=2026-01-01", "Jakso on liian pitkä."),
        ("from=2026-03-01&to=2026-03-31&site=ei-ole", "Kohtaamispaikkaa ei löytynyt."),
        ("from=2026-03-01&to=2026-03-31&partner=999999", "Kumppania ei löytynyt."),
        ("from=2026-03-01&to=2026-03-31&category=%3Cscript%3E", "Tehtäväluokkaa ei löytynyt."),
        ("from=0000-00-00&to=9999-99-99", "ei ole olemassa oleva päivä"),
    ],
)
def test_bad_parameters_give_a_finnish_message_and_400(worker, query, message):
    for path in PAGES:
        response = worker.get(f"{path}?{query}")
        assert response.status_code == 400, path
        assert message in response.get_data(as_text=True), path


def test_the_error_page_keeps_the_form_to_fix_it(worker):
    html = worker.get("/stats?from=2026-03-31&to=2026-03-01").get_data(as_text=True)
    assert 'role="alert"' in html
    assert 'value="2026-03-31"' in html
    assert '<details class="stats-filters" open>' in html


def test_filters_narrow_the_figures(worker, world):
    html = worker.get(f"/stats?{MARCH}&site=muu").get_data(as_text=True)
    assert _figure(html, "claims")[0] == "7"
    assert "Olohuone Muu" in html
    html = worker.get(f"/stats?{MARCH}&partner={world['kurki']}").get_data(as_text=True)
    assert _figure(html, "claims")[0] == "15"
    assert 'data-figure="meals_total"' not in html
    # Pata's 6 claims are 4 kept and 2 released: shown, the 6 would tell both are 2 to 4.
    html = worker.get(f"/stats?{MARCH}&partner={world['pata']}").get_data(as_text=True)
    assert _figure(html, "claims")[0] == ".."
    assert _figure(html, "places")[0] == "4"
    html = worker.get(f"/stats?{MARCH}&category=baking").get_data(as_text=True)
    assert _figure(html, "places")[0] == "3"


def test_presets_keep_the_other_filters(worker, world):
    html = worker.get(f"/stats?{MARCH}&site=muu").get_data(as_text=True)
    presets = re.findall(r'class="preset" href="([^"]+)"', html)
    assert len(presets) == 6
    assert all("site=muu" in p.replace("&amp;", "&") for p in presets)


def test_csv_opens_in_finnish_excel(worker):
    response = worker.get(f"/stats/export.csv?{MARCH}")
    body = response.data
    assert body.startswith(b"\xef\xbb\xbf")
    assert response.mimetype == "text/csv"
    assert 'filename="dropin-tilastot-2026-03-01-2026-03-31.csv"' in response.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig")), delimiter=";"))
    by_label = {(r[0], r[1]): r[2:] for r in rows if len(r) >= 6}
    assert by_label[("Osallistuminen", "Varaukset yhteensä")] == ["", "24", "..", ".."]
    assert by_label[("Tarjolla", "Tarjottuja paikkoja")] == ["", "21", "6", "15"]
    assert by_label[("Osallistuminen", "itse perutut")] == ["", "<5", "<5", ".."]
    assert by_label[("Osallistuminen", "voimassa pysyneet")] == ["", "19", "..", ".."]  # 5 = 6 - 1 - 0
    assert by_label[("Osallistuminen", "Täyttöaste")] == ["%", "90,5", "..", ".."]
    assert ["vko 11/2026", "1", "3", "<5", "0"] in rows  # tasks, places, claims (small), participations
    assert ["vko 10/2026", "3", "18", "..", "16"] in rows  # 21 claims hidden to protect the 3
    assert ["Yhteensä", "4", "21", "24", "16"] in rows
    assert any(r[:1] == ["Luonnonsuojeluyhdistys Kurki ry"] and "8,5" in r for r in rows)


def test_xlsx_holds_the_same_protected_figures(worker):
    response = worker.get(f"/stats/export.xlsx?{MARCH}")
    assert response.mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    book = load_workbook(io.BytesIO(response.data))
    assert book.sheetnames[:3] == ["Tiedot", "Tunnusluvut", "Palaute"]
    assert "Kumppaneittain" in book.sheetnames
    figures = {(r[0], r[1]): r[2:] for r in book["Tunnusluvut"].iter_rows(min_row=2, values_only=True)}
    assert figures[("Osallistuminen", "Varaukset yhteensä")] == (None, 24, "..", "..")
    assert figures[("Tarjolla", "Tarjottuja paikkoja")] == (None, 21, 6, 15)
    assert figures[("Osallistuminen", "itse perutut")] == (None, "<5", "<5", "..")
    unit, rate, *_ = figures[("Osallistuminen", "Täyttöaste")]
    assert unit == "%"
    assert rate == pytest.approx(19 / 21, abs=1e-4)
    cell = next(c for c in book["Tunnusluvut"]["E"] if c.value == 6)
    assert cell.number_format == "0"
    partners = {r[0]: r[1:] for r in book["Kumppaneittain"].iter_rows(min_row=2, values_only=True)}
    assert partners["Yhteiskeittiö Pata"] == (1, 4, "..", "<5")  # 6 claims hide the 3 of the own tasks
    assert partners["Yhteensä"] == (4, 21, 24, 16)
    info = {r[0]: r[1] for r in book["Tiedot"].iter_rows(values_only=True) if r[0]}
    assert info["Jakso"] == "1.3.2026–31.3.2026"


TABLE_HEADERS = {
    "Tulokset yhteensä": ["Tehtäväluokka", "Tulos", "Yksikkö", "Tehtäviä"],
    "Tulokset kumppaneittain ja tehtäväluokittain": ["Kumppani", "Tehtäväluokka", "Tulos", "Yksikkö", "Tehtäviä"],
    "Kumppaneittain": ["", "Tehtäviä", "Paikkoja", "Varauksia", "Osallistumisia"],
}


def test_every_exported_table_lines_up_with_its_header(worker):
    """Read back as a person in Excel would: each table's header names the columns of its rows."""
    rows = list(
        csv.reader(io.StringIO(worker.get(f"/stats/export.csv?{MARCH}").data.decode("utf-8-sig")), delimiter=";")
    )
    blocks, block = [], []
    for row in rows:
        if row == []:
            blocks.append(block)
            block = []
        else:
            block.append(row)
    blocks.append(block)
    tables = {b[0][0]: b[1:] for b in blocks if len(b) >= 2 and len(b[0]) == 1}
    for title, header in TABLE_HEADERS.items():
        assert tables[title][0] == header, title
        assert tables[title][1:], f"{title} has no rows in the test data"
        assert {len(row) for row in tables[title][1:]} == {len(header)}, title
    book = load_workbook(io.BytesIO(worker.get(f"/stats/export.xlsx?{MARCH}").data))
    for sheet, header in (
        ("Tulokset yhteensä", TABLE_HEADERS["Tulokset yhteensä"]),
        ("Tulokset kumppaneittain", TABLE_HEADERS["Tulokset kumppaneittain ja tehtäväluokittain"]),
    ):
        values = list(book[sheet].iter_rows(values_only=True))
        assert [v or "" for v in values[0]] == header, sheet
        assert all(row[len(header) - 1] is not None for row in values[1:]), sheet


def test_text_from_the_database_never_becomes_a_formula(worker, app):
    with app.app_context():
        partner = make_partner("=1+2 Kumppani")
        task = make_task_on(db.session.get(Task, 1).site, date(2026, 3, 3), partner, "other", 9)
        make_claims(task, 6)
        db.session.commit()
    rows = worker.get(f"/stats/export.csv?{MARCH}").data.decode("utf-8-sig")
    assert "\n'=1+2 Kumppani;" in rows.replace("\r", "")
    book = load_workbook(io.BytesIO(worker.get(f"/stats/export.xlsx?{MARCH}").data))
    names = [c for c in book["Kumppaneittain"]["A"] if c.value and "Kumppani" in c.value]
    assert names
    assert all(c.data_type == "s" for c in names)


def test_the_report_opens_with_the_three_dimensions(worker):
    html = worker.get(f"/stats/report?{MARCH}").get_data(as_text=True)
    headings = re.findall(r"<h2>(.*?)</h2>", html)
    assert headings[:3] == [
        "1. Osallisuus omassa elämässä",
        "2. Osallisuus vaikuttamisen prosesseissa",
        "3. Osallisuus yhteisestä hyvästä",
    ]
    assert "stats.css" in html
    assert "Tulokset yhteensä" in html
    assert "<5" not in html.replace("&lt;5", "")


def test_a_page_view_runs_a_fixed_number_of_queries(worker, app):
    with counted_queries(app) as small:
        assert worker.get(f"/stats?{MARCH}").status_code == 200
    with app.app_context():
        site = db.session.get(Task, 1).site
        for n in range(8):  # more partners, days and claims: the count must not grow with them
            partner = make_partner(f"Lisäkumppani {n}")
            for day in (5, 12, 19, 26):
                make_claims(
                    make_task_on(site, date(2026, 3, day), partner, "gardening", 6, "closed", 5, 1.0, "säkkiä"), 5
                )
        db.session.commit()
    with counted_queries(app) as large:
        assert worker.get(f"/stats?{MARCH}").status_code == 200
    assert len(small) <= MAX_QUERIES, len(small)
    assert len(large) == len(small), large
    for path in PAGES[1:]:
        with counted_queries(app) as statements:
            worker.get(f"{path}?{MARCH}")
        assert len(statements) <= MAX_QUERIES, path
