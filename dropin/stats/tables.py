"""The published statistics: raw figures turned into protected cells, rows and tables.

The page, the printable report, the CSV and the XLSX all render the StatsView built here, so
they cannot disagree about what is hidden.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta

from flask_babel import format_date
from flask_babel import lazy_gettext as _l

from dropin.categories import CATEGORIES, category
from dropin.models import Partner, Site
from dropin.models.feedback import ANSWERS, QUESTIONS
from dropin.stats.figures import Measures, PeriodFigures, RawStats
from dropin.stats.formatting import threshold
from dropin.stats.query import StatsQuery
from dropin.stats.suppression import AMOUNT, Cell, Relation, change, protect, rate, shown

QUESTION_LABELS = {
    "useful": _l("Työ tuntui hyödylliseltä"),
    "decide": _l("Sain itse päättää tekemisestäni"),
    "community": _l("Tunsin kuuluvani joukkoon"),
}
ANSWER_LABELS = {3: _l("kyllä"), 2: _l("vähän"), 1: _l("ei")}
WEEKDAYS = (
    _l("maanantai"),
    _l("tiistai"),
    _l("keskiviikko"),
    _l("torstai"),
    _l("perjantai"),
    _l("lauantai"),
    _l("sunnuntai"),
)
# A breakdown's columns; participations and claims count people, tasks and places do not.
MEASURES = (
    ("tasks", _l("Tehtäviä")),
    ("places", _l("Paikkoja")),
    ("claims", _l("Varauksia")),
    ("participations", _l("Osallistumisia")),
)
PEOPLE_MEASURES = ("claims", "participations")


@dataclass(frozen=True)
class FigureRow:
    key: str
    label: object
    current: Cell
    previous: Cell
    change: Cell
    part: bool = False  # a part of the row above it


@dataclass(frozen=True)
class FigureGroup:
    title: object
    rows: list[FigureRow]


@dataclass(frozen=True)
class Row:
    label: str
    cells: tuple[Cell, ...]
    short: str | None = None  # under a chart's axis, where the full label does not fit

    @property
    def axis_label(self) -> str:
        return self.short or self.label


@dataclass(frozen=True)
class Table:
    key: str
    title: object
    columns: tuple  # the headers of the cells, after the rows' label
    rows: list[Row]
    total: Row | None = None
    label_header: object = ""  # the header of the rows' label column


# The footnote of 'arrived of claimed', under the figures and in the exports' head.
ARRIVALS_NOTE = _l(
    "Paikalle tulleet lasketaan vain tehtävistä, joihin henkilökunta merkitsi ainakin yhden saapumisen, "
    "koska saapumisen merkitseminen on vapaaehtoista. Itse perutut ja henkilökunnan perumat paikat eivät "
    "ole mukana, ellei kävijää ehditty merkitä saapuneeksi."
)


@dataclass
class StatsView:
    query: StatsQuery
    groups: list[FigureGroup]
    feedback: list[FigureGroup]
    breakdowns: dict[str, Table]
    outcomes: Table
    outcome_totals: Table
    figures: dict[str, FigureRow] = field(default_factory=dict)
    arrivals_note: object = ARRIVALS_NOTE

    def __post_init__(self):
        for group in [*self.groups, *self.feedback]:
            self.figures.update({row.key: row for row in group.rows})

    def description(self) -> list[tuple[object, str]]:
        """What the figures are about, in words: the head of the report and of both exports."""
        q = self.query
        return [
            (_l("Jakso"), f"{format_date(q.start)}–{format_date(q.end)}"),
            (_l("Vertailujakso"), f"{format_date(q.previous_start)}–{format_date(q.previous_end)}"),
            (_l("Kohtaamispaikka"), q.site.name if q.site else str(_l("kaikki"))),
            *([(_l("Alue"), q.scope_name)] if q.scope_name else []),
            (_l("Kumppani"), q.partner.name if q.partner else str(_l("kaikki"))),
            (_l("Tehtäväluokka"), str(category(q.category).name) if q.category else str(_l("kaikki"))),
        ]


def _people_counts(f: PeriodFigures, meals: bool) -> tuple[dict, list[Relation]]:
    """The period's counts of people, and the sums among them that secondary suppression guards."""
    values = {
        "participations": f.participations,
        "claims": f.claims,
        "kept": f.kept,
        "released": f.released,
        "cancelled": f.cancelled,
        "walk_ins": f.walk_ins,
        "answered": f.first_time + f.returning,
        "first_time": f.first_time,
        "returning": f.returning,
        "checked_claims": f.checked_claims,
        "arrived": f.arrived,
        # Never shown, but the reader can subtract it: it must be guarded as a part of its sum.
        "not_arrived": f.checked_claims - f.arrived,
    }
    relations = [
        Relation(("kept", "released", "cancelled"), "claims"),
        Relation(("first_time", "returning"), "answered"),
        Relation(("arrived", "not_arrived"), "checked_claims"),
    ]
    if meals:
        values.update(
            meals_total=f.meals_participants + f.meals_others,
            meals_participants=f.meals_participants,
            meals_others=f.meals_others,
        )
        relations.append(Relation(("meals_participants", "meals_others"), "meals_total"))
    for question in QUESTIONS:
        answers = f.feedback[question]
        values[(question, "answered")] = sum(answers.values())
        values.update({(question, a): answers[a] for a in ANSWERS})
        relations.append(Relation(tuple((question, a) for a in ANSWERS), (question, "answered")))
    return values, relations


def _offer(f: PeriodFigures) -> dict[str, Cell]:
    return {
        "days": shown(f.days),
        "closed_days": shown(f.closed_days),
        "tasks": shown(f.tasks),
        "places": shown(f.places),
        "proposals": shown(f.proposals),
        "proposals_approved": shown(f.proposals_approved),
    }


def _with_rates(cells: dict) -> dict:
    cells["fill_rate"] = rate(cells["kept"], cells["places"])
    cells["first_share"] = rate(cells["first_time"], cells["answered"])
    cells["arrival_rate"] = rate(cells["arrived"], cells["checked_claims"])
    for question in QUESTIONS:
        cells[(question, "share")] = rate(cells[(question, 3)], cells[(question, "answered")])
    return cells


def _breakdown_relations(breakdowns: dict[str, dict], values: dict) -> list[Relation]:
    relations = []
    for name, rows in breakdowns.items():
        for measure in PEOPLE_MEASURES:
            keys = []
            for row_key, measures in rows.items():
                values[(name, row_key, measure)] = getattr(measures, measure)
                keys.append((name, row_key, measure))
            relations.append(Relation(tuple(keys), measure))
    return relations


def _months(start: date, end: date) -> list[date]:
    months, month = [], start.replace(day=1)
    while month <= end:
        months.append(month)
        month = (month + timedelta(days=32)).replace(day=1)
    return months


def _time_breakdowns(q: StatsQuery, by_day: dict[date, Measures]) -> dict[str, dict]:
    weeks = {}
    day = q.start - timedelta(days=q.start.weekday())
    while day <= q.end:
        weeks[day] = Measures()
        day += timedelta(days=7)
    months = {m: Measures() for m in _months(q.start, q.end)}
    weekdays = {n: Measures() for n in range(5)}
    for day, measures in by_day.items():
        weeks[day - timedelta(days=day.weekday())].add(measures)
        months[day.replace(day=1)].add(measures)
        weekdays.setdefault(day.weekday(), Measures()).add(measures)
    return {"month": months, "week": weeks, "weekday": dict(sorted(weekdays.items()))}


def _partial(start: date, end: date, q: StatsQuery | None) -> str:
    """A week or month the period cuts: its figures cover only some of its days."""
    return str(_l(" (osa)")) if q and (start < q.start or end > q.end) else ""


def _site_name(key: int, sites: dict[int, Site]) -> str:
    return sites[key].name if key in sites else str(_l("Poistettu kohtaamispaikka"))


def _row_label(name: str, key, partners: dict[int, Partner], q: StatsQuery | None = None, sites=None) -> str:
    if name == "month":
        end = (key + timedelta(days=32)).replace(day=1) - timedelta(days=1)
        return format_date(key, "LLLL yyyy") + _partial(key, end, q)
    if name == "week":
        year, week, _ = key.isocalendar()
        return str(_l("vko %(week)s/%(year)s", week=week, year=year)) + _partial(key, key + timedelta(days=6), q)
    if name == "weekday":
        return str(WEEKDAYS[key])
    if name == "partner":
        return partners[key].name if key in partners else str(_l("Ei kumppania (oma tehtävä)"))
    if name == "site":
        return _site_name(key, sites or {})
    return str(category(key).name)


def _axis_label(name: str, key) -> str | None:
    if name == "month":
        return format_date(key, "LLL yyyy")
    if name == "week":
        return str(_l("vko %(week)s", week=key.isocalendar()[1]))
    return None


BREAKDOWN_TITLES = {
    "month": _l("Kuukausittain"),
    "week": _l("Viikoittain"),
    "weekday": _l("Viikonpäivittäin"),
    "partner": _l("Kumppaneittain"),
    "category": _l("Tehtäväluokittain"),
    "site": _l("Kohtaamispaikoittain"),
}


def _breakdown_table(name: str, rows: dict, cells: dict, totals: dict, names: dict, q: StatsQuery) -> Table:
    def row_cells(key, measures):
        return tuple(
            cells[(name, key, m)] if m in PEOPLE_MEASURES else shown(getattr(measures, m)) for m, _label in MEASURES
        )

    table_rows = [
        Row(_row_label(name, key, names["partner"], q, names["site"]), row_cells(key, measures), _axis_label(name, key))
        for key, measures in rows.items()
    ]
    total = Row(str(_l("Yhteensä")), tuple(totals[m] for m, _label in MEASURES))
    return Table(name, BREAKDOWN_TITLES[name], tuple(label for _m, label in MEASURES), table_rows, total)


def _outcomes_table(raw: RawStats, partners: dict[int, Partner]) -> Table:
    rows = sorted(raw.outcomes, key=lambda o: (_row_label("partner", o.partner_id, partners), o.category, o.unit))
    return Table(
        "outcomes",
        _l("Tulokset kumppaneittain ja tehtäväluokittain"),
        (_l("Tehtäväluokka"), _l("Tulos"), _l("Yksikkö"), _l("Tehtäviä")),
        [
            Row(
                _row_label("partner", o.partner_id, partners),
                (
                    Cell(str(category(o.category).name), "text"),
                    shown(o.amount, AMOUNT),
                    Cell(o.unit, "text"),
                    shown(o.tasks),
                ),
            )
            for o in rows
        ],
        label_header=_l("Kumppani"),
    )


def _outcome_totals(raw: RawStats) -> Table:
    """The outcomes of every partner added up per category and unit: what the work achieved."""
    totals: dict[tuple[str, str], list] = {}
    for o in raw.outcomes:
        total = totals.setdefault((o.category, o.unit), [0.0, 0])
        total[0] += o.amount
        total[1] += o.tasks
    order = [c.slug for c in CATEGORIES]
    keys = sorted(totals, key=lambda k: (order.index(k[0]) if k[0] in order else len(order), k[1]))
    return Table(
        "outcome_totals",
        _l("Tulokset yhteensä"),
        (_l("Tulos"), _l("Yksikkö"), _l("Tehtäviä")),
        [
            Row(str(category(c).name), (shown(totals[(c, u)][0], AMOUNT), Cell(u, "text"), shown(totals[(c, u)][1])))
            for c, u in keys
        ],
        label_header=_l("Tehtäväluokka"),
    )


def _ordered_partners(rows: dict, partners) -> dict:
    return dict(
        sorted(
            rows.items(), key=lambda kv: (-kv[1].participations, -kv[1].claims, _row_label("partner", kv[0], partners))
        )
    )


def _ordered_categories(rows: dict) -> dict:
    order = [c.slug for c in CATEGORIES]
    return {slug: rows[slug] for slug in sorted(rows, key=lambda s: order.index(s) if s in order else len(order))}


FIGURE_GROUPS = (
    (
        _l("Tarjolla"),
        (
            ("days", _l("Päiviä, joina oli tehtäviä"), False),
            ("closed_days", _l("joista luvut kirjattu"), True),
            ("tasks", _l("Tarjottuja tehtäviä"), False),
            ("places", _l("Tarjottuja paikkoja"), False),
        ),
    ),
    (
        _l("Osallistuminen"),
        (
            ("participations", _l("Osallistumiset"), False),
            ("claims", _l("Varaukset yhteensä"), False),
            ("kept", _l("voimassa pysyneet"), True),
            ("released", _l("itse perutut"), True),
            ("cancelled", _l("henkilökunnan perumat"), True),
            ("walk_ins", _l("Tiskiltä kirjatut varaukset"), False),
            ("fill_rate", _l("Täyttöaste"), False),
            ("checked_claims", _l("Varaukset tehtävissä, joihin merkittiin saapumisia"), False),
            ("arrived", _l("joista kävijä tuli paikalle"), True),
            ("arrival_rate", _l("Paikalle tulleiden osuus"), False),
        ),
    ),
    (
        _l("Ensimmäistä kertaa vai ennenkin"),
        (
            ("answered", _l("Vastasi kysymykseen"), False),
            ("first_time", _l("ensimmäistä kertaa mukana"), True),
            ("returning", _l("ollut mukana ennenkin"), True),
            ("first_share", _l("Ensikertalaisten osuus"), False),
        ),
    ),
    (
        _l("Ateriat"),
        (
            ("meals_total", _l("Aterioita yhteensä"), False),
            ("meals_participants", _l("osallistujille"), True),
            ("meals_others", _l("muille kävijöille"), True),
        ),
    ),
    (
        _l("Kumppanien ehdotukset"),
        (("proposals", _l("Ehdotettuja tehtäviä"), False), ("proposals_approved", _l("otettu ohjelmaan"), True)),
    ),
)


def _figure(key, label, part, current: dict, previous: dict) -> FigureRow:
    cur, prev = current.get(key, Cell(None)), previous.get(key, Cell(None))
    return FigureRow(
        str(key) if not isinstance(key, tuple) else "-".join(map(str, key)), label, cur, prev, change(cur, prev), part
    )


def build(
    q: StatsQuery,
    raw: RawStats,
    partners: dict[int, Partner],
    small: int | None = None,
    sites: dict[int, Site] | None = None,
) -> StatsView:
    """Protect every count of people (see suppression.py) and lay the figures out as tables; with
    `sites` (by id) and more than one of them in the figures, a comparison of the sites too."""
    small = small if small is not None else threshold()
    meals = not q.narrowed_below_day
    breakdowns = {
        **_time_breakdowns(q, raw.by_day),
        "partner": _ordered_partners(raw.by_partner, partners),
        "category": _ordered_categories(raw.by_category),
    }
    if sites is not None and q.site is None and len(raw.by_site) > 1:
        breakdowns["site"] = dict(sorted(raw.by_site.items(), key=lambda kv: _site_name(kv[0], sites)))
    values, relations = _people_counts(raw.current, meals)
    relations += _breakdown_relations(breakdowns, values)
    current = {**protect(values, relations, small), **_offer(raw.current)}
    previous = {**protect(*_people_counts(raw.previous, meals), small), **_offer(raw.previous)}
    _with_rates(current)
    _with_rates(previous)
    groups = [
        FigureGroup(title, [_figure(key, label, part, current, previous) for key, label, part in rows])
        for title, rows in FIGURE_GROUPS
        if meals or rows[0][0] != "meals_total"
    ]
    feedback = [
        FigureGroup(
            QUESTION_LABELS[question],
            [
                _figure((question, "answered"), _l("Vastauksia"), False, current, previous),
                *(_figure((question, a), ANSWER_LABELS[a], True, current, previous) for a in ANSWERS),
                _figure((question, "share"), _l("Kyllä-vastausten osuus"), False, current, previous),
            ],
        )
        for question in QUESTIONS
    ]
    totals = {
        "tasks": current["tasks"],
        "places": current["places"],
        "claims": current["claims"],
        "participations": current["participations"],
    }
    names = {"partner": partners, "site": sites or {}}
    tables = {name: _breakdown_table(name, rows, current, totals, names, q) for name, rows in breakdowns.items()}
    return StatsView(q, groups, feedback, tables, _outcomes_table(raw, partners), _outcome_totals(raw))
