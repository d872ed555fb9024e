"""What a partner sees on its own page at /p/<token>: read-only, no account, the secret link is the key.

Only the link's partner's own rows are read: tasks whose partner it is, proposals sent through its
links and feedback given on its tasks, at the sites it works with (Partner.sites; a site that let
the partner go is not shown). Nothing about anyone's contact data is read.

Counts of people, decided once here for every page that shows them:
- The places taken right now on an upcoming task ("3 tulossa") are NOT suppressed: they are the
  same information the public kiosk board shows as free places, and the supervisor needs them to
  know whom to expect. They are an operational count of today, not a statistic.
- Every other count of people (participants of a past task, the season's participations, the
  anonymous feedback answers) IS suppressed with the statistics' rules
  (dropin.stats.suppression): 1 to threshold - 1 is hidden ("alle 5"), and a second figure is
  hidden where a reader could subtract (a task's participants from the season's total, an
  answer from a question's answers). The page and the printed "kiitos" page use the same cells.
Counts of the offer (tasks, places) and outcome amounts (sacks of litter) are not about people.

The season is the calendar year of the link's site (today: this year): simple, and what a
partner's annual report asks for.
"""

from dataclasses import dataclass
from datetime import date, timedelta

import sqlalchemy as sa
import sqlalchemy.orm as so

from dropin.claims.service import active_counts
from dropin.extensions import db
from dropin.models import DayRecord, Feedback, Partner, PartnerLink, Proposal, Site, Task
from dropin.models.feedback import ANSWERS, QUESTIONS
from dropin.models.task import TaskStatus
from dropin.stats.suppression import Cell, Relation, protect

# How far back cancellations are shown: the partner needs the recent and coming ones, not history.
CANCELLED_DAYS_BACK = 30
PROPOSALS_SHOWN = 20
# The page lists the latest closed tasks one by one; the season's summary covers them all.
PAST_SHOWN = 10


@dataclass(frozen=True)
class Upcoming:
    task: Task
    taken: int  # active claims now: the board's own figure, deliberately not suppressed
    today: bool


@dataclass(frozen=True)
class PastTask:
    task: Task
    participants: Cell


@dataclass(frozen=True)
class Outcome:
    category: str
    unit: str | None
    amount: float
    tasks: int


@dataclass(frozen=True)
class FeedbackQuestion:
    question: str
    answered: Cell
    answers: dict[int, Cell]


@dataclass(frozen=True)
class Season:
    year: int
    past: list[PastTask]  # the tasks of closed days, newest first
    tasks: int
    places: int
    participations: Cell
    outcomes: list[Outcome]
    feedback: list[FeedbackQuestion]

    @property
    def answered(self) -> bool:
        return any(q.answered.hidden or q.answered.value for q in self.feedback)


def partner_sites(partner: Partner) -> list[Site]:
    """The sites the partner works with: only their tasks are shown."""
    return list(partner.sites)


def _tasks_of(partner: Partner, sites: list[Site]):
    return (
        sa.select(Task)
        .where(Task.partner_id == partner.id, Task.site_id.in_([site.id for site in sites]))
        .options(so.joinedload(Task.site))
    )


def upcoming(partner: Partner, sites: list[Site]) -> list[Upcoming]:
    """The partner's open tasks of today and later at its sites, soonest first, with places taken now."""
    if not sites:
        return []
    today = {site.id: site.today() for site in sites}
    tasks = [
        task
        for task in db.session.scalars(
            _tasks_of(partner, sites).where(Task.status == TaskStatus.OPEN, Task.date >= min(today.values()))
        )
        if task.date >= today[task.site_id]
    ]
    tasks.sort(key=lambda t: (t.date, t.start_time, t.site.name, t.title, t.id))
    counts = active_counts(t.id for t in tasks)
    return [Upcoming(t, counts[t.id], t.date == today[t.site_id]) for t in tasks]


def cancellations(partner: Partner, sites: list[Site], today: date) -> list[Task]:
    """The partner's cancelled tasks from a month back on, soonest first (each carries its reason)."""
    if not sites:
        return []
    since = today - timedelta(days=CANCELLED_DAYS_BACK)
    query = _tasks_of(partner, sites).where(Task.status == TaskStatus.CANCELLED, Task.date >= since)
    return list(db.session.scalars(query.order_by(Task.date, Task.start_time, Task.id)))


def proposals(partner: Partner) -> list[Proposal]:
    """The partner's latest proposals through any of its links, newest first, with their sites."""
    return list(
        db.session.scalars(
            sa.select(Proposal)
            .join(Proposal.link)
            .where(PartnerLink.partner_id == partner.id)
            .options(so.contains_eager(Proposal.link).joinedload(PartnerLink.site))
            .order_by(Proposal.created_at.desc(), Proposal.id.desc())
            .limit(PROPOSALS_SHOWN)
        )
    )


def approved_tasks(found: list[Proposal]) -> dict[int, Task]:
    """The tasks approved proposals became, by id, in one query."""
    ids = [p.task_id for p in found if p.task_id is not None]
    if not ids:
        return {}
    return {task.id: task for task in db.session.scalars(sa.select(Task).where(Task.id.in_(ids)))}


def _closed_tasks(partner: Partner, sites: list[Site], year: int) -> list[Task]:
    """The partner's tasks of `year` on days staff closed (a DayRecord), cancelled ones left out."""
    closed = sa.exists().where(DayRecord.site_id == Task.site_id, DayRecord.date == Task.date)
    query = _tasks_of(partner, sites).where(
        Task.date >= date(year, 1, 1), Task.date <= date(year, 12, 31), Task.status != TaskStatus.CANCELLED, closed
    )
    return list(db.session.scalars(query.order_by(Task.date.desc(), Task.start_time.desc(), Task.id.desc())))


def _feedback_counts(partner: Partner, sites: list[Site], year: int) -> dict[str, dict[int, int]]:
    columns = [(q, a) for q in QUESTIONS for a in ANSWERS]
    row = db.session.execute(
        sa.select(*(sa.func.count(sa.case((getattr(Feedback, q) == a, 1))) for q, a in columns)).where(
            Feedback.partner_id == partner.id,
            Feedback.site_id.in_([site.id for site in sites]),
            Feedback.date >= date(year, 1, 1),
            Feedback.date <= date(year, 12, 31),
        )
    ).one()
    counts = {q: dict.fromkeys(ANSWERS, 0) for q in QUESTIONS}
    for (question, answer), n in zip(columns, row, strict=True):
        counts[question][answer] = int(n or 0)
    return counts


def _outcomes(tasks: list[Task]) -> list[Outcome]:
    totals: dict[tuple[str, str | None], list] = {}
    for task in tasks:
        if task.outcome_amount is None:
            continue
        entry = totals.setdefault((task.category, task.outcome_unit), [0.0, 0])
        entry[0] += task.outcome_amount
        entry[1] += 1
    return [
        Outcome(cat, unit, amount, n)
        for (cat, unit), (amount, n) in sorted(totals.items(), key=lambda item: (item[0][0], item[0][1] or ""))
    ]


def season(partner: Partner, sites: list[Site], year: int, threshold: int) -> Season:
    """The partner's year in figures; every count of people protected together (see the docstring)."""
    tasks = _closed_tasks(partner, sites, year) if sites else []
    feedback = _feedback_counts(partner, sites, year) if sites else {q: dict.fromkeys(ANSWERS, 0) for q in QUESTIONS}
    values: dict = {("task", t.id): t.participants or 0 for t in tasks}
    values["participations"] = sum(t.participants or 0 for t in tasks)
    relations = [Relation(tuple(("task", t.id) for t in tasks), "participations")]
    for question in QUESTIONS:
        values.update({(question, a): feedback[question][a] for a in ANSWERS})
        values[(question, "answered")] = sum(feedback[question].values())
        relations.append(Relation(tuple((question, a) for a in ANSWERS), (question, "answered")))
    cells = protect(values, relations, threshold)
    past = [PastTask(t, cells[("task", t.id)] if t.participants is not None else Cell(None)) for t in tasks]
    questions = [FeedbackQuestion(q, cells[(q, "answered")], {a: cells[(q, a)] for a in ANSWERS}) for q in QUESTIONS]
    return Season(
        year=year,
        past=past,
        tasks=len(tasks),
        places=sum(t.capacity for t in tasks),
        participations=cells["participations"],
        outcomes=_outcomes(tasks),
        feedback=questions,
    )
