"""Reading the statistics' query from the URL: periods, presets and plain-Finnish refusals."""

from datetime import date

import pytest

from dropin import create_app
from dropin.models import Partner, Site
from dropin.stats.query import BadQuery, StatsQuery, parse_query, presets

TODAY = date(2026, 11, 26)
SITES = {"satama": Site(slug="satama", name="Olohuone Satama")}
PARTNERS = {7: Partner(id=7, name="Kurki ry")}


@pytest.fixture(scope="module")
def finnish():
    """Messages are lazy strings; reading them needs an app, not a database."""
    app = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://", "SECRET_KEY": "filters"})
    with app.test_request_context():
        yield


def parse(**args):
    return parse_query(args, SITES, PARTNERS, TODAY)


def refusal(**args) -> str:
    with pytest.raises(BadQuery) as raised:
        parse(**args)
    return str(raised.value.message)


def test_presets_are_the_usual_reporting_periods():
    found = {p.key: (p.start, p.end) for p in presets(TODAY)}
    assert found == {
        "this-month": (date(2026, 11, 1), TODAY),
        "last-month": (date(2026, 10, 1), date(2026, 10, 31)),
        "this-quarter": (date(2026, 10, 1), TODAY),
        "last-quarter": (date(2026, 7, 1), date(2026, 9, 30)),
        "this-year": (date(2026, 1, 1), TODAY),
        "last-year": (date(2025, 1, 1), date(2025, 12, 31)),
    }


def test_presets_across_a_new_year():
    found = {p.key: (p.start, p.end) for p in presets(date(2027, 1, 15))}
    assert found["last-month"] == (date(2026, 12, 1), date(2026, 12, 31))
    assert found["last-quarter"] == (date(2026, 10, 1), date(2026, 12, 31))


def test_no_parameters_means_this_month():
    assert parse() == StatsQuery(date(2026, 11, 1), TODAY)


def test_every_parameter_is_read_and_empty_ones_mean_all():
    q = parse(**{"from": "2026-01-01", "to": "2026-03-31", "site": "satama", "partner": "7", "category": "cooking"})
    assert (q.start, q.end, q.site.slug, q.partner.id, q.category) == (
        date(2026, 1, 1),
        date(2026, 3, 31),
        "satama",
        7,
        "cooking",
    )
    q = parse(**{"from": "2026-01-01", "to": "2026-01-31", "site": "", "partner": "", "category": ""})
    assert q.site is None
    assert q.partner is None
    assert q.category is None


def test_the_query_goes_back_into_the_url_unchanged():
    args = {"from": "2026-01-01", "to": "2026-03-31", "site": "satama", "partner": "7", "category": "cooking"}
    assert parse(**args).args() == args
    assert parse(**{"from": "2026-01-01", "to": "2026-01-31"}).args() == {"from": "2026-01-01", "to": "2026-01-31"}


def test_the_comparison_period_has_as_many_days_right_before():
    q = parse(**{"from": "2024-03-01", "to": "2024-03-31"})
    assert (q.previous_start, q.previous_end) == (date(2024, 1, 30), date(2024, 2, 29))
    one_day = parse(**{"from": "2026-01-01", "to": "2026-01-01"})
    assert (one_day.previous_start, one_day.previous_end) == (date(2025, 12, 31), date(2025, 12, 31))


def test_whole_calendar_years_compare_with_the_years_right_before():
    """'Edellinen vuosi' after a leap year: 2025 compares with all of 2024, not 2 January onwards."""
    year = parse(**{"from": "2025-01-01", "to": "2025-12-31"})
    assert (year.previous_start, year.previous_end) == (date(2024, 1, 1), date(2024, 12, 31))
    two = parse(**{"from": "2024-01-01", "to": "2025-12-31"})
    assert (two.previous_start, two.previous_end) == (date(2022, 1, 1), date(2023, 12, 31))


@pytest.mark.usefixtures("finnish")
@pytest.mark.parametrize(
    ("args", "message"),
    [
        ({"from": "1.3.2026", "to": "2026-03-31"}, "Alkupäivä ei ole päivämäärä"),
        ({"from": "2026-03-01", "to": "20260331"}, "Loppupäivä ei ole päivämäärä"),
        ({"from": "2026-02-30", "to": "2026-03-31"}, "Alkupäivä ei ole olemassa oleva päivä"),
        ({"from": "2026-03-31", "to": "2026-03-01"}, "Alkupäivä on loppupäivän jälkeen"),
        ({"from": "2016-01-01", "to": "2026-01-01"}, "Jakso on liian pitkä"),
        ({"from": "1999-12-31", "to": "2000-01-31"}, "vuosien 2000 ja 2099 välillä"),
        ({"from": "2026-03-01"}, "Anna sekä alku- että loppupäivä"),
        ({"site": "ei-ole"}, "Kohtaamispaikkaa ei löytynyt"),
        ({"partner": "8"}, "Kumppania ei löytynyt"),
        ({"partner": "x' OR 1=1"}, "Kumppania ei löytynyt"),
        ({"partner": "9" * 40}, "Kumppania ei löytynyt"),
        ({"category": "juggling"}, "Tehtäväluokkaa ei löytynyt"),
    ],
)
def test_bad_parameters_are_refused_in_plain_finnish(args, message):
    assert message in refusal(**args)


def test_ten_years_less_a_day_is_allowed():
    q = parse(**{"from": "2016-01-02", "to": "2026-01-01"})
    assert q.days == 3653


def test_a_leap_day_start_still_gets_its_ten_year_limit():
    assert parse(**{"from": "2016-02-29", "to": "2026-02-27"}).start == date(2016, 2, 29)
    with pytest.raises(BadQuery):
        parse(**{"from": "2016-02-29", "to": "2026-02-28"})
