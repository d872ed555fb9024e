"""Believable history for demos and benchmarks: `dropin seed-history --years 5 --sites 3`.

Weekday tasks with seasons (outdoor work mostly April–October, invasive plants in summer,
cooking and baking all year), a summer break and Christmas off, claims with releases and
walk-ins, first-time answers, closed days with participants, outcomes and meals, anonymous
feedback and partners' proposals. The same --seed and end date give the same rows.

Rows go in with bulk INSERTs (session.execute(insert(Model), rows)), not one ORM object at a
time: five years for three sites load in seconds on SQLite.
"""

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import click
import sqlalchemy as sa
from flask.cli import with_appcontext

from dropin.claims.service import CODE_ALPHABET
from dropin.demo.today import OUTCOME_UNITS, PARTNERS, TASKS, seed_demo
from dropin.extensions import db
from dropin.models import Claim, DayRecord, Feedback, Partner, PartnerLink, Proposal, Site, Task
from dropin.models.claim import ClaimSource, ClaimStatus
from dropin.models.proposal import ProposalStatus
from dropin.models.task import TaskStatus

MORE_SITES = (
    ("kivikko", "Olohuone Kivikko", "Kivikontie 4"),
    ("harju", "Olohuone Harju", "Harjukatu 12"),
    ("koski", "Olohuone Koski", "Koskenranta 3"),
    ("lehto", "Olohuone Lehto", "Lehtotie 8"),
)
# Each stands in, at the other sites, for the demo partner of the same place in today.PARTNERS:
# nature work, the neighbourhood, a kitchen for baking, a kitchen for cooking.
MORE_PARTNERS = (
    dict(name="Seudun jätehuolto Oy", kind="Jätehuolto"),
    dict(name="Asukasyhdistys Kivikko ry", kind="Asukasyhdistys"),
    dict(name="Palveluklubi Majakka ry", kind="Palvelujärjestö"),
    dict(name="Kylätalo Harjun ruokapiiri", kind="Yhteisökeittiö"),
)
# Chance that a category's task runs in a month (1–12): outdoor work follows the seasons.
SEASONS = {
    "cleanup": (0.1, 0.1, 0.2, 0.8, 0.9, 0.9, 0.8, 0.9, 0.9, 0.8, 0.3, 0.1),
    "invasive": (0, 0, 0, 0, 0.4, 0.9, 0.9, 0.9, 0.5, 0, 0, 0),
    "gardening": (0, 0, 0.1, 0.7, 0.9, 0.9, 0.8, 0.9, 0.9, 0.8, 0.2, 0),
    "cooking": (0.95,) * 12,
    "baking": (0.9,) * 12,
    "other": (0.5,) * 12,
}
# How each question tends to be answered: chances of 3 (yes), 2 (somewhat), 1 (no).
FEEDBACK_ODDS = {"useful": (0.7, 0.22, 0.08), "decide": (0.55, 0.3, 0.15), "community": (0.6, 0.28, 0.12)}


@dataclass
class Summary:
    sites: int = 0
    tasks: int = 0
    claims: int = 0
    days: int = 0
    feedback: int = 0
    proposals: int = 0


def _insert(model):
    # render_nulls keeps every row's columns the same, so the rows go in large batches instead of
    # being split wherever a None appears.
    return sa.insert(model).execution_options(render_nulls=True)


def _closed_for_holidays(day: date) -> bool:
    """Christmas to Epiphany and two weeks in July: the drop-in space is closed."""
    if (day.month == 12 and day.day >= 22) or (day.month == 1 and day.day <= 6):
        return True
    return day.month == 7 and 6 <= day.day <= 19


def _sites(count: int) -> list[Site]:
    """The demo site first, then the fictional others, created when missing."""
    seed_demo()
    slugs = ["satama", *(slug for slug, _name, _address in MORE_SITES)][:count]
    for n in range(len(slugs), count):
        slugs.append(f"olohuone-{n + 1}")
    existing = {s.slug: s for s in db.session.scalars(sa.select(Site).where(Site.slug.in_(slugs)))}
    names = {slug: (name, address) for slug, name, address in MORE_SITES}
    for slug in slugs:
        if slug not in existing:
            name, address = names.get(slug, (f"Olohuone {slug.rsplit('-', 1)[-1]}", None))
            existing[slug] = Site(
                slug=slug, name=name, address=address, timezone="Europe/Helsinki", meal_time=time(12, 0)
            )
            db.session.add(existing[slug])
    db.session.flush()
    return [existing[slug] for slug in slugs]


def _partners(sites: list[Site]) -> list[Partner]:
    wanted = [*PARTNERS, *MORE_PARTNERS]
    existing = {p.name: p for p in db.session.scalars(sa.select(Partner))}
    for data in wanted:
        if data["name"] not in existing:
            existing[data["name"]] = Partner(**data)
            db.session.add(existing[data["name"]])
        # Every demo site works with every demo partner: each site's staff see them all.
        existing[data["name"]].sites.extend(site for site in sites if site not in existing[data["name"]].sites)
    db.session.flush()
    return [existing[data["name"]] for data in wanted]


def _plan(rng: random.Random, site_index: int, partners: list[Partner]) -> list[tuple]:
    """The site's recurring tasks: the demo catalogue, each on a few weekdays, with its partner."""
    demo, more = partners[: len(PARTNERS)], partners[len(PARTNERS) :]
    own = demo if site_index == 0 else [rng.choice(pair) for pair in zip(demo, more)]
    plan = []
    for p, category, start, end, capacity, setting, demand, title, desc, place, bring, provided in TASKS:
        weekdays = set(rng.sample(range(5), rng.choice((2, 2, 3))))
        plan.append(
            (own[p], category, start, end, capacity, setting, demand, title, desc, place, bring, provided, weekdays)
        )
    return plan


def _utc(day: date, at: time, zone: ZoneInfo, minutes: int = 0) -> datetime:
    return datetime.combine(day, at, tzinfo=zone) + timedelta(minutes=minutes)


class _Generator:
    def __init__(self, rng: random.Random, start: date, end: date):
        self.rng, self.start, self.end = rng, start, end
        self.tasks, self.extras, self.days, self.links = [], [], [], []

    def _year_share(self, day: date) -> float:
        return (day - self.start).days / max((self.end - self.start).days, 1)

    def plan_days(self, site: Site, plan: list[tuple], taken: tuple[date, date] | None, closed: set[date]) -> None:
        """Every weekday of the period the site is open, outside the span `taken` by earlier history."""
        zone, day = site.zone, self.start
        while day <= self.end:
            if day.weekday() < 5 and not (taken and taken[0] <= day <= taken[1]) and not _closed_for_holidays(day):
                self._day(site, plan, day, zone, closable=day not in closed)
            day += timedelta(days=1)

    def _day(self, site, plan, day, zone, closable: bool) -> None:
        rng = self.rng
        # Growing slowly over the years, a little quieter in winter.
        fill = 0.55 + 0.2 * self._year_share(day) - (0.08 if day.month in (1, 2, 11) else 0)
        closed = closable and rng.random() > 0.03  # now and then nobody records the day
        meals = 0
        for (
            partner,
            category,
            start,
            end,
            capacity,
            setting,
            demand,
            title,
            desc,
            place,
            bring,
            provided,
            weekdays,
        ) in plan:
            if day.weekday() not in weekdays or rng.random() > SEASONS[category][day.month - 1]:
                continue
            cancelled = rng.random() < (0.08 if setting == "outdoor" else 0.02)
            kept = 0 if cancelled else max(0, min(capacity, round(capacity * rng.gauss(fill, 0.25))))
            released = sum(rng.random() < 0.15 for _ in range(kept + 1))
            claims = (
                [ClaimStatus.ACTIVE] * kept + [ClaimStatus.RELEASED] * released
                if not cancelled
                else [ClaimStatus.CANCELLED] * rng.randint(0, 2)
            )
            participants = outcome = None
            if closed and not cancelled:
                participants = max(0, kept - sum(rng.random() < 0.1 for _ in range(kept)) + (rng.random() < 0.2))
                outcome = self._outcome(category, participants)
                meals += participants
            unit = OUTCOME_UNITS.get(category)
            status = TaskStatus.CANCELLED if cancelled else (TaskStatus.CLOSED if closed else TaskStatus.OPEN)
            created = _utc(day, time(7, 30), zone, -rng.randint(0, 60 * 24 * 3))
            self.tasks.append(
                dict(
                    site_id=site.id,
                    partner_id=partner.id,
                    date=day,
                    start_time=start,
                    end_time=end,
                    title=title,
                    description=desc,
                    category=category,
                    place=place,
                    capacity=capacity,
                    bring=bring,
                    provided=provided,
                    physical_demand=demand,
                    setting=setting,
                    meal_included=True,
                    template_id=None,
                    outcome_unit=unit,
                    participants=participants,
                    outcome_amount=outcome if unit else None,
                    status=status,
                    cancel_reason="Sää esti työn." if cancelled else None,
                    created_at=created,
                    updated_at=created,
                )
            )
            self.extras.append((claims, participants, zone, start))
        if closed and meals:
            self.days.append(
                dict(
                    site_id=site.id,
                    date=day,
                    meals_participants=round(meals * 0.9),
                    meals_others=rng.randint(3, 20),
                    note=None,
                    closed_by_id=None,
                    closed_at=_utc(day, time(17, 0), zone),
                )
            )

    def _outcome(self, category: str, participants: int) -> float | None:
        rng = self.rng
        per_person = {"cleanup": (0.8, 2.0), "invasive": (10, 30), "baking": (8, 15)}.get(category)
        if category == "cooking":
            return float(rng.randint(15, 40)) if participants else 0.0
        if per_person is None:
            return None
        return round(participants * rng.uniform(*per_person) * 2) / 2

    def claims_and_feedback(self, task_ids: list[int]) -> tuple[list[dict], list[dict]]:
        rng, claims, feedback = self.rng, [], []
        for task_id, row, (statuses, participants, zone, start) in zip(task_ids, self.tasks, self.extras):
            first_odds = 0.35 - 0.2 * self._year_share(row["date"])
            codes = rng.sample(range(len(CODE_ALPHABET) ** 5), len(statuses))
            for status, code in zip(statuses, codes):
                created = _utc(row["date"], start, zone, -rng.randint(5, 240))
                claims.append(
                    dict(
                        task_id=task_id,
                        code=_code(code),
                        token_hash=f"{rng.getrandbits(256):064x}",
                        source=ClaimSource.STAFF if rng.random() < 0.22 else ClaimSource.KIOSK,
                        first_time=(rng.random() < first_odds) if rng.random() < 0.55 else None,
                        status=status,
                        created_at=created,
                        ended_at=created + timedelta(minutes=30) if status != ClaimStatus.ACTIVE else None,
                    )
                )
            for _ in range(sum(rng.random() < 0.3 for _ in range(participants or 0))):
                answers = {
                    q: (None if rng.random() < 0.1 else rng.choices((3, 2, 1), odds)[0])
                    for q, odds in FEEDBACK_ODDS.items()
                }
                feedback.append(
                    dict(
                        site_id=row["site_id"],
                        date=row["date"],
                        category=row["category"],
                        partner_id=row["partner_id"],
                        **answers,
                    )
                )
        return claims, feedback


def _code(number: int) -> str:
    letters = []
    for _ in range(5):
        number, digit = divmod(number, len(CODE_ALPHABET))
        letters.append(CODE_ALPHABET[digit])
    return "".join(letters)


def _proposals(rng: random.Random, sites: list[Site], partners: list[Partner], days: list[date]) -> int:
    """Partners' proposal links, and a proposal or two a month from some of them, on the new days."""
    links = []
    for site in sites:
        for partner in rng.sample(partners, 2):
            links.append(
                dict(
                    partner_id=partner.id,
                    site_id=site.id,
                    token_hash=f"{rng.getrandbits(256):064x}",
                    created_at=_utc(days[0], time(9, 0), site.zone),
                )
            )
    link_ids = db.session.scalars(
        _insert(PartnerLink).returning(PartnerLink.id, sort_by_parameter_order=True), links
    ).all()
    rows = []
    for day in days:
        if rng.random() < 0.07:
            (p, category, s, e, capacity, *_rest, title, desc, place, _bring, _provided) = rng.choice(TASKS)
            status = rng.choices(
                (ProposalStatus.APPROVED, ProposalStatus.REJECTED, ProposalStatus.PENDING), (0.75, 0.15, 0.1)
            )[0]
            rows.append(
                dict(
                    link_id=rng.choice(link_ids),
                    date=day,
                    start_time=s,
                    end_time=e,
                    title=title,
                    description=desc,
                    category=category,
                    place=place,
                    capacity=capacity,
                    bring=None,
                    status=status,
                    task_id=None,
                    decided_by_id=None,
                    created_at=_utc(day, time(9, 0), ZoneInfo("Europe/Helsinki"), -60 * 24 * 7),
                    decided_at=None
                    if status == ProposalStatus.PENDING
                    else _utc(day, time(9, 0), ZoneInfo("Europe/Helsinki"), -60 * 24 * 5),
                )
            )
    if rows:
        db.session.execute(_insert(Proposal), rows)
    return len(rows)


def seed_history(years: int, site_count: int, seed: int = 1, until: date | None = None) -> Summary:
    """Add `years` of history up to `until` (default yesterday) for `site_count` sites.

    The span of days that already has tasks at a site is left alone, so running it twice adds
    nothing, and a longer run only adds the years before.
    Flushes; the caller commits.
    """
    rng = random.Random(seed)
    sites = _sites(site_count)
    partners = _partners(sites)
    end = until or sites[0].today() - timedelta(days=1)
    start = end - timedelta(days=round(365.25 * years) - 1)
    generator = _Generator(rng, start, end)
    for index, site in enumerate(sites):
        first, last = db.session.execute(
            sa.select(sa.func.min(Task.date), sa.func.max(Task.date)).where(
                Task.site_id == site.id, Task.date >= start, Task.date <= end
            )
        ).one()
        taken = (first, last) if first else None
        closed = set(db.session.scalars(sa.select(DayRecord.date).where(DayRecord.site_id == site.id)))
        generator.plan_days(site, _plan(rng, index, partners), taken, closed)
    summary = Summary(sites=len(sites), tasks=len(generator.tasks), days=len(generator.days))
    if not generator.tasks:
        return summary
    task_ids = db.session.scalars(_insert(Task).returning(Task.id, sort_by_parameter_order=True), generator.tasks).all()
    claims, feedback = generator.claims_and_feedback(task_ids)
    for model, rows in ((Claim, claims), (Feedback, feedback), (DayRecord, generator.days)):
        if rows:
            db.session.execute(_insert(model), rows)
    summary.claims, summary.feedback = len(claims), len(feedback)
    summary.proposals = _proposals(rng, sites, partners, sorted({row["date"] for row in generator.tasks}))
    db.session.flush()
    return summary


@click.command("seed-history")
@click.option("--years", default=2, show_default=True, type=click.IntRange(1, 10))
@click.option("--sites", "site_count", default=1, show_default=True, type=click.IntRange(1, 20))
@click.option("--seed", default=1, show_default=True, help="The same seed gives the same history.")
@click.option("--until", type=click.DateTime(formats=["%Y-%m-%d"]), help="Last day of history (default yesterday).")
@with_appcontext
def seed_history_command(years: int, site_count: int, seed: int, until: datetime | None):
    """Generate believable past tasks, claims, closed days and feedback for demos and benchmarks."""
    summary = seed_history(years, site_count, seed, until.date() if until else None)
    db.session.commit()
    click.echo(
        f"History ready: {summary.sites} site(s), {summary.tasks} tasks, {summary.claims} claims, "
        f"{summary.days} closed days, {summary.feedback} feedback answers, {summary.proposals} proposals."
    )
