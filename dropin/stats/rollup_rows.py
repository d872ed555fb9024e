"""What a site's days sum up to, read from the raw rows: the DailyRollup and RolledUpDay rows that
rollups.rebuild writes, for (site, first day, last day) spans, in one query per kind of row."""

from datetime import date, timedelta

import sqlalchemy as sa

from dropin.extensions import db
from dropin.models import DayRecord, Feedback, PartnerLink, Proposal, Task
from dropin.models.feedback import ANSWERS, QUESTIONS
from dropin.models.proposal import ProposalStatus
from dropin.models.rollup import column_of
from dropin.models.task import TaskStatus
from dropin.stats.raw import CLAIM_FIGURES, claims_per_task, count_when

FEEDBACK_COLUMNS = tuple(f"{question}_{answer}" for question in QUESTIONS for answer in ANSWERS)
ONE_DAY = timedelta(days=1)

Span = tuple[int, date, date]  # a site and its days from the first to the last


def in_spans(site_column, date_column, spans: list[Span]):
    return sa.or_(
        *(sa.and_(site_column == site_id, date_column >= first, date_column <= last) for site_id, first, last in spans)
    )


def task_rows(spans: list[Span]) -> dict[tuple, dict]:
    scope = [in_spans(Task.site_id, Task.date, spans)]
    claims = claims_per_task(scope)
    offered, closed = Task.status != TaskStatus.CANCELLED, Task.status == TaskStatus.CLOSED
    with_outcome = sa.and_(closed, Task.outcome_unit.is_not(None), Task.outcome_amount.is_not(None))
    key = (Task.site_id, Task.date, Task.partner_id, Task.category, Task.outcome_unit)
    figures = ("all_tasks", "tasks", "closed_tasks", "places", "participations", *CLAIM_FIGURES, "outcome_tasks")
    names = [column_of(figure) for figure in figures]
    rows = db.session.execute(
        sa.select(
            *key,
            sa.func.count(),
            count_when(offered),
            count_when(closed),
            sa.func.sum(sa.case((offered, Task.capacity), else_=0)),
            sa.func.sum(sa.case((closed, Task.participants), else_=0)),
            *(sa.func.sum(sa.func.coalesce(claims.c[f"n_{name}"], 0)) for name in CLAIM_FIGURES),
            count_when(with_outcome),
            sa.func.sum(sa.case((with_outcome, Task.outcome_amount), else_=0)),
        )
        .outerjoin(claims, claims.c.task_id == Task.id)
        .where(*scope)
        .group_by(*key)
    )
    found = {}
    for site_id, day, partner_id, category, unit, *counts in rows:
        *counts, amount = counts
        found[(site_id, day, partner_id, category, unit)] = {
            **dict(zip(names, (int(n or 0) for n in counts))),
            "outcome_amount": float(amount or 0),
        }
    return found


def feedback_rows(spans: list[Span]) -> dict[tuple, dict]:
    key = (Feedback.site_id, Feedback.date, Feedback.partner_id, Feedback.category)
    answers = (count_when(getattr(Feedback, q) == a) for q in QUESTIONS for a in ANSWERS)
    rows = db.session.execute(
        sa.select(*key, *answers).where(in_spans(Feedback.site_id, Feedback.date, spans)).group_by(*key)
    )
    return {
        (site_id, day, partner_id, category, None): dict(zip(FEEDBACK_COLUMNS, (int(n or 0) for n in counts)))
        for site_id, day, partner_id, category, *counts in rows
    }


def proposal_rows(spans: list[Span]) -> dict[tuple, dict]:
    key = (PartnerLink.site_id, Proposal.date, PartnerLink.partner_id, Proposal.category)
    rows = db.session.execute(
        sa.select(*key, sa.func.count(), count_when(Proposal.status == ProposalStatus.APPROVED))
        .join(PartnerLink, PartnerLink.id == Proposal.link_id)
        .where(in_spans(PartnerLink.site_id, Proposal.date, spans))
        .group_by(*key)
    )
    return {
        (site_id, day, partner_id, category, None): {"proposals": int(n), "proposals_approved": int(approved or 0)}
        for site_id, day, partner_id, category, n, approved in rows
    }


def marker_rows(spans: list[Span]) -> list[dict]:
    """A RolledUpDay for every day of the spans, with the meals of its day record."""
    meals = {
        (site_id, day): (participants, others)
        for site_id, day, participants, others in db.session.execute(
            sa.select(DayRecord.site_id, DayRecord.date, DayRecord.meals_participants, DayRecord.meals_others).where(
                in_spans(DayRecord.site_id, DayRecord.date, spans)
            )
        )
    }
    rows = []
    for site_id, first, last in spans:
        day = first
        while day <= last:
            participants, others = meals.get((site_id, day), (0, 0))
            rows.append({"site_id": site_id, "date": day, "meals_participants": participants, "meals_others": others})
            day += ONE_DAY
    return rows
