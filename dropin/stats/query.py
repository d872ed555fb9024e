"""What the statistics are asked for: a period and optional site, partner and category.

The query lives in the URL (`from`, `to`, `site`, `partner`, `category`), so any view can be
bookmarked or sent to a colleague. Bad input raises BadQuery with a message in plain Finnish.
"""

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from flask_babel import lazy_gettext as _l

from dropin.categories import BY_SLUG
from dropin.models import Partner, Site

MAX_YEARS = 10
EARLIEST, LATEST = date(2000, 1, 1), date(2099, 12, 31)
DATE_RE = re.compile(r"\d{4}-\d{2}-\d{2}")
ID_RE = re.compile(r"\d{1,9}")


class BadQuery(Exception):
    """The statistics cannot be shown for these parameters; `message` tells the user why."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


@dataclass(frozen=True)
class StatsQuery:
    start: date
    end: date
    site: Site | None = None
    partner: Partner | None = None
    category: str | None = None
    # The sites a project worker limited to a region may see (None: every site), and the region's name.
    scope: tuple[int, ...] | None = None
    scope_name: str | None = None

    @property
    def site_ids(self) -> tuple[int, ...] | None:
        """The sites the figures cover: the one chosen, the worker's region's, or None for every site."""
        return (self.site.id,) if self.site else self.scope

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def whole_years(self) -> int:
        """How many calendar years the period spans exactly (1.1.–31.12.), or 0."""
        if (self.start.month, self.start.day, self.end.month, self.end.day) != (1, 1, 12, 31):
            return 0
        return self.end.year - self.start.year + 1

    @property
    def previous_start(self) -> date:
        """The comparison period: the calendar years right before whole years (a leap day does not
        shift them), otherwise as many days right before this one."""
        if self.whole_years:
            return date(self.start.year - self.whole_years, 1, 1)
        return self.start - timedelta(days=self.days)

    @property
    def previous_end(self) -> date:
        return self.start - timedelta(days=1)

    @property
    def narrowed_below_day(self) -> bool:
        """Partner or category filters pick tasks; day-level figures (meals) cannot follow them."""
        return self.partner is not None or self.category is not None

    def args(self, **changes) -> dict[str, str]:
        """The query as URL parameters, for links and the export buttons."""
        args = {"from": self.start.isoformat(), "to": self.end.isoformat()}
        if self.site:
            args["site"] = self.site.slug
        if self.partner:
            args["partner"] = str(self.partner.id)
        if self.category:
            args["category"] = self.category
        args.update(changes)
        return {k: v for k, v in args.items() if v}


@dataclass(frozen=True)
class Preset:
    key: str
    label: object
    start: date
    end: date


def _quarter_start(day: date) -> date:
    return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def presets(today: date) -> list[Preset]:
    """The usual reporting periods. Periods that are still running end today."""
    month_start = today.replace(day=1)
    last_month_end = month_start - timedelta(days=1)
    quarter_start = _quarter_start(today)
    last_quarter_end = quarter_start - timedelta(days=1)
    return [
        Preset("this-month", _l("Tämä kuukausi"), month_start, today),
        Preset("last-month", _l("Edellinen kuukausi"), last_month_end.replace(day=1), last_month_end),
        Preset("this-quarter", _l("Tämä neljännes"), quarter_start, today),
        Preset("last-quarter", _l("Edellinen neljännes"), _quarter_start(last_quarter_end), last_quarter_end),
        Preset("this-year", _l("Tämä vuosi"), date(today.year, 1, 1), today),
        Preset("last-year", _l("Edellinen vuosi"), date(today.year - 1, 1, 1), date(today.year - 1, 12, 31)),
    ]


def _date(raw: str, which) -> date:
    if not DATE_RE.fullmatch(raw):
        raise BadQuery(_l("%(which)s ei ole päivämäärä. Anna se muodossa VVVV-KK-PP, esim. 2026-03-31.", which=which))
    try:
        value = date.fromisoformat(raw)
    except ValueError:
        raise BadQuery(_l("%(which)s ei ole olemassa oleva päivä.", which=which)) from None
    if not EARLIEST <= value <= LATEST:
        raise BadQuery(_l("Päivämäärän pitää olla vuosien 2000 ja 2099 välillä."))
    return value


def _period(args: Mapping[str, str], today: date) -> tuple[date, date]:
    raw_from, raw_to = (args.get("from") or "").strip(), (args.get("to") or "").strip()
    if not raw_from and not raw_to:
        default = presets(today)[0]
        return default.start, default.end
    if not raw_from or not raw_to:
        raise BadQuery(_l("Anna sekä alku- että loppupäivä."))
    start, end = _date(raw_from, _l("Alkupäivä")), _date(raw_to, _l("Loppupäivä"))
    if start > end:
        raise BadQuery(_l("Alkupäivä on loppupäivän jälkeen. Vaihda päivät toisin päin."))
    try:
        limit = start.replace(year=start.year + MAX_YEARS)
    except ValueError:  # 29 February
        limit = start.replace(year=start.year + MAX_YEARS, day=28)
    if end >= limit:
        raise BadQuery(_l("Jakso on liian pitkä. Valitse enintään %(years)s vuotta kerrallaan.", years=MAX_YEARS))
    return start, end


def parse_query(
    args: Mapping[str, str],
    sites: Mapping[str, Site],
    partners: Mapping[int, Partner],
    today: date,
    scope: tuple[int, ...] | None = None,
    scope_name: str | None = None,
) -> StatsQuery:
    """Read the URL's parameters; empty ones mean "all" (of `sites`, within `scope`). Raises BadQuery."""
    start, end = _period(args, today)
    site = partner = None
    slug = (args.get("site") or "").strip()
    if slug:
        site = sites.get(slug)
        if site is None:
            raise BadQuery(_l("Kohtaamispaikkaa ei löytynyt. Valitse kohtaamispaikka listasta."))
    raw_partner = (args.get("partner") or "").strip()
    if raw_partner:
        partner = partners.get(int(raw_partner)) if ID_RE.fullmatch(raw_partner) else None
        if partner is None:
            raise BadQuery(_l("Kumppania ei löytynyt. Valitse kumppani listasta."))
    category = (args.get("category") or "").strip() or None
    if category and category not in BY_SLUG:
        raise BadQuery(_l("Tehtäväluokkaa ei löytynyt. Valitse luokka listasta."))
    return StatsQuery(start, end, site, partner, category, scope, scope_name)
