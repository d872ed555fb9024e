"""The figures against values worked out by hand on the known data set of tests/stats_data.py,
on SQLite and PostgreSQL."""

from datetime import date

import pytest

from dropin.extensions import db
from dropin.stats import tables, totals
from dropin.stats.query import StatsQuery
from tests.stats_data import known_data

pytestmark = pytest.mark.usefixtures("ctx")

MARCH = (date(2026, 3, 1), date(2026, 3, 31))


@pytest.fixture
def request_ctx(app):
    """Labels are written in the request's language: the view is built inside a request."""
    with app.test_request_context():
        yield


@pytest.fixture
def data():
    built = known_data()
    db.session.commit()
    return built


def _query(**filters) -> StatsQuery:
    return StatsQuery(*MARCH, **filters)


def test_every_figure_of_the_period_by_hand(data):
    raw = totals.collect(_query())
    f = raw.current
    assert (f.days, f.closed_days, f.tasks, f.places) == (3, 2, 4, 21)
    assert f.participations == 16
    assert (f.claims, f.kept, f.released, f.cancelled, f.walk_ins) == (24, 19, 3, 2, 3)
    assert (f.first_time, f.returning) == (3, 5)
    assert (f.meals_participants, f.meals_others) == (16, 3)
    assert f.feedback == {"useful": {3: 4, 2: 1, 1: 0}, "decide": {3: 2, 2: 2, 1: 2}, "community": {3: 6, 2: 0, 1: 0}}
    assert (f.proposals, f.proposals_approved) == (2, 1)


def test_the_previous_period_is_as_long_and_right_before(data):
    q = _query()
    assert (q.previous_start, q.previous_end) == (date(2026, 1, 29), date(2026, 2, 28))
    p = totals.collect(q).previous
    assert (p.days, p.closed_days, p.tasks, p.places, p.participations) == (1, 1, 1, 6, 4)
    assert (p.claims, p.kept, p.released, p.cancelled) == (6, 5, 1, 0)
    assert (p.meals_participants, p.meals_others) == (4, 2)
    assert p.feedback["useful"] == {3: 5, 2: 0, 1: 0}
    assert (p.proposals, p.proposals_approved) == (1, 1)


def test_breakdowns_by_partner_category_and_day(data):
    raw = totals.collect(_query())
    kurki, pata = data["kurki"].id, data["pata"].id
    by_partner = {k: (m.tasks, m.places, m.claims, m.participations) for k, m in raw.by_partner.items()}
    assert by_partner == {kurki: (2, 14, 15, 12), pata: (1, 4, 6, 4), None: (1, 3, 3, 0)}
    by_category = {k: (m.tasks, m.places, m.claims, m.participations) for k, m in raw.by_category.items()}
    assert by_category == {"cleanup": (2, 14, 15, 12), "cooking": (1, 4, 6, 4), "baking": (1, 3, 3, 0)}
    by_day = {k: (m.tasks, m.claims, m.participations) for k, m in raw.by_day.items()}
    assert by_day == {date(2026, 3, 2): (3, 19, 16), date(2026, 3, 4): (0, 2, 0), date(2026, 3, 10): (1, 3, 0)}


def test_outcomes_add_up_per_partner_category_and_unit(data):
    outcomes = {(o.partner_id, o.category, o.unit): (o.amount, o.tasks) for o in totals.collect(_query()).outcomes}
    assert outcomes == {
        (data["kurki"].id, "cleanup", "säkkiä roskia"): (8.5, 2),
        (data["pata"].id, "cooking", "annosta"): (20.0, 1),
    }


def test_a_site_filter_keeps_only_that_site(data):
    f = totals.collect(_query(site=data["muu"])).current
    assert (f.tasks, f.places, f.participations, f.claims, f.walk_ins) == (1, 8, 7, 7, 1)
    assert (f.meals_participants, f.meals_others, f.closed_days) == (7, 0, 1)
    assert sum(f.feedback["useful"].values()) == 0
    assert f.proposals == 0


def test_partner_and_category_filters_follow_tasks_and_feedback(data):
    f = totals.collect(_query(partner=data["pata"])).current
    assert (f.tasks, f.claims, f.released, f.participations) == (1, 6, 2, 4)
    assert f.feedback["decide"] == {3: 0, 2: 0, 1: 2}
    assert f.feedback["useful"] == {3: 0, 2: 1, 1: 0}
    g = totals.collect(_query(category="baking")).current
    assert (g.tasks, g.places, g.claims, g.first_time, g.participations) == (1, 3, 3, 1, 0)


def test_the_published_view_hides_small_counts_and_what_would_reveal_them(request_ctx, data):
    view = tables.build(
        _query(), totals.collect(_query()), {data["kurki"].id: data["kurki"], data["pata"].id: data["pata"]}, small=5
    )
    f = view.figures
    shown = {k: row.current.value for k, row in f.items() if not row.current.hidden}
    hidden = {k for k, row in f.items() if row.current.hidden}
    assert shown["claims"] == 24
    assert shown["kept"] == 19
    assert shown["participations"] == 16
    assert {"released", "cancelled", "walk_ins"} <= hidden  # 3, 2 and 3 people
    # 8 answered = 3 first-timers + 5 returning: with the 5 hidden, 8 - 5 (at least) would leave the
    # 3 at most 3, so the 8 goes as well, and the share with them.
    assert {"answered", "first_time", "returning", "first_share"} <= hidden
    assert f["first_time"].current.small  # "<5"
    assert not f["returning"].current.small  # ".."
    # 19 meals = 16 + 3 (hidden): the 16 goes too.
    assert shown["meals_total"] == 19
    assert "meals_participants" in hidden
    # useful: 5 answers = 4 yes + 1 somewhat (hidden) + 0 no: the 4 goes too, and the yes share.
    assert shown["useful-answered"] == 5
    assert shown["useful-1"] == 0
    assert {"useful-3", "useful-2", "useful-share"} <= hidden
    assert shown["community-3"] == 6
    assert shown["community-share"] == pytest.approx(100.0)
    assert shown["fill_rate"] == pytest.approx(100 * 19 / 21)
    # Offer figures are never hidden, however small.
    assert shown["days"] == 3
    assert shown["tasks"] == 4
    assert shown["proposals"] == 2


def test_changes_against_the_previous_period(request_ctx, data):
    view = tables.build(_query(), totals.collect(_query()), {}, small=5)
    f = view.figures
    assert f["tasks"].change.value == 3
    assert f["places"].change.value == 21 - 6
    assert f["community-3"].change.value == 6
    assert f["useful-answered"].change.value == 0
    # Previous participations 4: hidden, and so is the change.
    assert f["participations"].previous.small
    assert f["participations"].change.hidden
    # Previous claims 6 = 5 kept + 1 released: only hiding all three protects the 1.
    assert f["claims"].previous.hidden
    assert f["kept"].previous.hidden
    assert f["released"].previous.small
    assert f["claims"].change.hidden
    assert f["fill_rate"].previous.hidden
    assert f["fill_rate"].change.hidden
    # Previous meals 4 + 2 = 6 would tell both are 2 to 4: the 6 is hidden too.
    assert f["meals_total"].previous.hidden
    assert f["meals_total"].change.hidden


def test_breakdown_tables_are_protected_column_by_column(request_ctx, data):
    partners = {data["kurki"].id: data["kurki"], data["pata"].id: data["pata"]}
    view = tables.build(_query(), totals.collect(_query()), partners, small=5)
    rows = {row.label: row.cells for row in view.breakdowns["partner"].rows}
    # Columns: tasks, places, claims, participations.
    kurki, pata, own = (
        rows["Luonnonsuojeluyhdistys Kurki ry"],
        rows["Yhteiskeittiö Pata"],
        rows["Ei kumppania (oma tehtävä)"],
    )
    assert [c.value for c in kurki[:2]] == [2, 14]
    assert [c.value for c in own[:2]] == [1, 3]
    # claims 3 (small) and 6 (next smallest)
    assert own[2].hidden
    assert pata[2].hidden
    assert kurki[2].value == 15
    # participations 4 (small) and 12
    assert pata[3].hidden
    assert kurki[3].hidden
    assert own[3].value == 0
    assert view.breakdowns["partner"].total.cells[2].value == 24
    weeks = {row.label: row.cells[2] for row in view.breakdowns["week"].rows}
    assert weeks["vko 10/2026"].hidden  # claims 21
    assert weeks["vko 11/2026"].hidden  # claims 3
    assert weeks["vko 9/2026 (osa)"].value == 0
    assert "vko 14/2026 (osa)" in weeks


def test_nothing_is_hidden_when_the_threshold_is_one(request_ctx, data):
    view = tables.build(_query(), totals.collect(_query()), {}, small=1)
    assert not any(row.current.hidden for row in view.figures.values())
    assert view.figures["first_share"].current.value == pytest.approx(100 * 3 / 8)


def test_meals_are_left_out_when_a_partner_or_category_narrows_the_tasks(request_ctx, data):
    view = tables.build(_query(partner=data["kurki"]), totals.collect(_query(partner=data["kurki"])), {}, small=5)
    assert "meals_total" not in view.figures


def test_an_empty_period_gives_zeros_not_errors(request_ctx, data):
    q = StatsQuery(date(2030, 1, 1), date(2030, 1, 31))
    view = tables.build(q, totals.collect(q), {}, small=5)
    assert view.figures["claims"].current.value == 0
    assert view.figures["fill_rate"].current.missing
    assert view.breakdowns["partner"].rows == []
    assert view.outcomes.rows == []
