"""The raw figures of a query, before suppression: what totals.collect gives tables.build."""

from dataclasses import dataclass, field
from datetime import date

from dropin.models.feedback import ANSWERS, QUESTIONS


@dataclass
class Measures:
    """What a task-level breakdown counts for one row (a day, a partner, a category)."""

    tasks: int = 0
    places: int = 0
    participations: int = 0
    claims: int = 0

    def add(self, other: "Measures") -> None:
        self.tasks += other.tasks
        self.places += other.places
        self.participations += other.participations
        self.claims += other.claims


@dataclass
class PeriodFigures:
    days: int = 0  # site-days with at least one task that was not cancelled
    closed_days: int = 0  # of those, the days closed with their figures recorded
    tasks: int = 0
    places: int = 0
    participations: int = 0
    claims: int = 0
    kept: int = 0
    released: int = 0
    cancelled: int = 0
    walk_ins: int = 0
    first_time: int = 0
    returning: int = 0
    checked_claims: int = 0  # claims of tasks with any arrival marked: held, or arrived and then given back
    arrived: int = 0
    meals_participants: int = 0
    meals_others: int = 0
    proposals: int = 0
    proposals_approved: int = 0
    feedback: dict[str, dict[int, int]] = field(
        default_factory=lambda: {q: dict.fromkeys(ANSWERS, 0) for q in QUESTIONS}
    )


@dataclass(frozen=True)
class Outcome:
    partner_id: int | None
    category: str
    unit: str
    amount: float
    tasks: int


@dataclass
class RawStats:
    current: PeriodFigures
    previous: PeriodFigures
    by_day: dict[date, Measures]
    by_partner: dict[int | None, Measures]
    by_category: dict[str, Measures]
    outcomes: list[Outcome]
    rolled_up_now: int = 0  # site-days rolled up while collecting: the caller commits them
    by_site: dict[int, Measures] = field(default_factory=dict)


def add_figures(into: PeriodFigures, other: PeriodFigures) -> None:
    """Add the figures of other days (never the same site-days) to `into`."""
    for name, value in vars(other).items():
        if name != "feedback":
            setattr(into, name, getattr(into, name) + value)
    for question, answers in other.feedback.items():
        for answer, count in answers.items():
            into.feedback[question][answer] += count
