"""A project worker limited to a region: statistics of its sites only, with a comparison of the sites."""

import re
from datetime import date, time

import pytest
import sqlalchemy as sa

from dropin.extensions import db
from dropin.models import Region, User
from dropin.models.task import TaskStatus
from tests.factories import make_partner, make_site, make_task, make_user
from tests.helpers import login

DAY = date(2026, 3, 10)
PERIOD = "from=2026-03-01&to=2026-03-31"


def closed_task(site, participants: int, partner=None, **kw):
    return make_task(
        site,
        date=DAY,
        start_time=time(10),
        end_time=time(12),
        status=TaskStatus.CLOSED,
        participants=participants,
        capacity=12,
        partner=partner,
        **kw,
    )


@pytest.fixture
def regions(app):
    """The default region with Satama (7 took part) and Kallio (6), and an eastern region's Kaukana (9)."""
    with app.app_context():
        east = Region(slug="ita", name="Itäinen alue")
        db.session.add(east)
        db.session.flush()
        satama, kallio = make_site("satama", name="Olohuone Satama"), make_site("kallio", name="Olohuone Kallio")
        faraway = make_site("kaukana", name="Kaukainen olohuone", region_id=east.id)
        home_partner = make_partner("Rantojen ystävät ry", sites=[satama])
        far_partner = make_partner("Itäinen kirkkoseurakunta", sites=[faraway])
        closed_task(satama, 7, home_partner)
        closed_task(kallio, 6)
        closed_task(faraway, 9, far_partner)
        home = db.session.scalar(sa.select(Region).where(Region.id != east.id))
        make_user("alue@example.fi", "worker").region_id = home.id
        make_user("kaikki@example.fi", "worker")
        make_user("admin@example.fi", "admin")
        db.session.commit()
        return {"home": home.name, "east": east.id}


def figure(html: str, key: str) -> str:
    """The current period's value of a key figure, as shown."""
    pattern = rf'data-figure="{key}">\s*<th scope="row">.*?</th>\s*<td class="num current">(.*?)</td>'
    row = re.search(pattern, html, re.S)
    assert row, key
    return re.sub(r"<[^>]+>", "", row.group(1)).strip()


def test_a_worker_limited_to_a_region_sees_its_sites_only(client, regions):
    login(client, "alue@example.fi")
    html = client.get(f"/stats?{PERIOD}").get_data(as_text=True)
    assert "Olohuone Satama" in html
    assert "Olohuone Kallio" in html
    assert "Kaukainen olohuone" not in html
    assert "Itäinen kirkkoseurakunta" not in html  # the other region's partner is not a choice either
    assert regions["home"] in html  # the region is named among what the figures are about
    assert figure(html, "participations") == "13"


def test_the_comparison_of_sites_is_suppressed_like_the_rest(client, regions, app):
    with app.app_context():
        kallio = db.session.scalar(sa.text("SELECT id FROM sites WHERE slug = 'kallio'"))
        db.session.execute(sa.text("UPDATE tasks SET participants = 3 WHERE site_id = :id"), {"id": kallio})
        db.session.commit()
    login(client, "alue@example.fi")
    html = client.get(f"/stats?{PERIOD}").get_data(as_text=True)
    table = html[html.index('id="table-site"') :]
    table = table[: table.index("</table>")]
    assert "Olohuone Satama" in table
    assert "Olohuone Kallio" in table
    assert ">3<" not in table  # 3 people at Kallio: too few to show
    assert ">7<" not in table  # and Satama's 7 would give it away beside the total of 10


def test_another_regions_site_is_a_bad_query_for_a_limited_worker(client, regions):
    login(client, "alue@example.fi")
    response = client.get(f"/stats?{PERIOD}&site=kaukana")
    assert response.status_code == 400
    assert "Kohtaamispaikkaa ei löytynyt" in response.get_data(as_text=True)
    csv = client.get(f"/stats/export.csv?{PERIOD}").get_data(as_text=True)
    assert "Kaukainen olohuone" not in csv
    assert "Olohuone Kallio" in csv


@pytest.mark.parametrize("email", ["kaikki@example.fi", "admin@example.fi"])
def test_workers_without_a_region_and_admins_see_every_site(client, regions, email):
    login(client, email)
    html = client.get(f"/stats?{PERIOD}").get_data(as_text=True)
    assert figure(html, "participations") == "22"
    table = html[html.index('id="table-site"') :]
    assert "Kaukainen olohuone" in table[: table.index("</table>")]


def test_a_workers_region_is_set_by_an_admin_and_followed_at_once(client, regions, app):
    login(client, "alue@example.fi")
    assert figure(client.get(f"/stats?{PERIOD}").get_data(as_text=True), "participations") == "13"
    with app.app_context():
        user = db.session.scalar(sa.select(User).where(User.email == "alue@example.fi"))
        user.region_id = regions["east"]
        db.session.commit()
    html = client.get(f"/stats?{PERIOD}").get_data(as_text=True)
    assert figure(html, "participations") == "9"
    assert "Olohuone Satama" not in html
