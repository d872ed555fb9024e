"""Staff, statistics and admin pages switch language as the kiosk does, keeping the page and its query."""

import re

import pytest

from dropin.extensions import db
from dropin.models.user import Role
from tests.factories import make_site

SWITCH = re.compile(r'<a class="language[^"]*" lang="(\w\w)" hreflang="\w\w"\s+href="([^"]+)"')


@pytest.fixture
def site(app):
    with app.app_context():
        make_site("satama")
        db.session.commit()
    return "satama"


def switch_links(html: str) -> dict[str, str]:
    return {code: href.replace("&amp;", "&") for code, href in SWITCH.findall(html)}


@pytest.mark.parametrize(
    ("role", "path"),
    [
        (Role.STAFF, "/staff/satama/day/"),
        (Role.STAFF, "/staff/partners"),
        (Role.WORKER, "/stats?from=2026-03-01&to=2026-03-31"),
        (Role.ADMIN, "/admin/users"),
    ],
)
def test_every_signed_in_page_offers_the_three_languages(client, login_as, site, role, path):
    login_as(role, sites=[site] if role == Role.STAFF else ())
    links = switch_links(client.get(path).get_data(as_text=True))
    assert set(links) == {"fi", "sv", "en"}
    assert links["sv"].startswith(path.split("?")[0])
    assert "lang=sv" in links["sv"]


def test_switching_keeps_the_statistics_filters_and_speaks_swedish(client, login_as, site):
    login_as(Role.WORKER)
    html = client.get("/stats?from=2026-03-01&to=2026-03-31&site=satama").get_data(as_text=True)
    swedish = switch_links(html)["sv"]
    assert "from=2026-03-01" in swedish
    assert "site=satama" in swedish
    page = client.get(swedish).get_data(as_text=True)
    assert '<html lang="sv"' in page
    assert "Statistik" in page or "statistik" in page
