"""Random histories: whatever happens to tasks, claims, closed days, feedback and proposals, and in
whatever order the statistics are read meanwhile, the figures read through the rollups equal those
read straight from the raw rows. On SQLite and PostgreSQL, with fixed seeds."""

import random
from datetime import time, timedelta

import pytest
import sqlalchemy as sa

from dropin.claims.service import end_claims
from dropin.extensions import db
from dropin.models import Claim, DayRecord, Feedback, PartnerLink, Proposal, Task
from dropin.models.base import utcnow
from dropin.models.claim import ClaimSource, ClaimStatus
from dropin.staff import service as staff
from dropin.stats.query import StatsQuery
from tests.factories import make_partner, make_site
from tests.stats_rollups import claim, from_raw_rows, from_rollups, task_on

pytestmark = pytest.mark.usefixtures("ctx")

CATEGORIES = ("cleanup", "cooking", "baking")
STATUSES = (ClaimStatus.ACTIVE, ClaimStatus.ACTIVE, ClaimStatus.RELEASED, ClaimStatus.CANCELLED)


class History:
    """Random changes over the last three weeks and the next days, as staff, kiosks and seeding make them."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.sites = [make_site("satama"), make_site("muu")]
        self.partners = [None, make_partner("Kurki ry"), make_partner("Pata ry")]
        pairs = ((self.partners[1], self.sites[0]), (self.partners[2], self.sites[1]))
        self.links = [
            PartnerLink(partner_id=p.id, site_id=s.id, token_hash=f"{n:064x}") for n, (p, s) in enumerate(pairs)
        ]
        db.session.add_all(self.links)
        today = utcnow().date()
        self.days = [today + timedelta(days=n) for n in range(-20, 2)]
        self.past_days = [d for d in self.days if d < today - timedelta(days=2)]

    def _tasks(self) -> list[Task]:
        return db.session.scalars(sa.select(Task).order_by(Task.id)).all()

    def _task(self) -> Task | None:
        tasks = self._tasks()
        return self.rng.choice(tasks) if tasks else None

    def add_task(self):
        rng = self.rng
        status = rng.choice(("open", "open", "closed", "cancelled"))
        task = task_on(
            rng.choice(self.sites),
            rng.choice(self.days),
            rng.choice(self.partners),
            rng.choice(CATEGORIES),
            rng.randint(1, 6),
            status,
            participants=rng.randint(0, 6) if status == "closed" else None,
            outcome_amount=rng.choice((None, 1.5, 4.0)),
            outcome_unit=rng.choice((None, "säkkiä", "annosta")),
        )
        for _ in range(rng.randint(0, 4)):
            self.add_claim(task)

    def add_claim(self, task=None):
        rng, task = self.rng, task or self._task()
        if task is not None:
            claim(
                task,
                rng.choice(STATUSES),
                rng.choice((ClaimSource.KIOSK, ClaimSource.STAFF)),
                rng.choice((None, True, False)),
                utcnow() if rng.random() < 0.3 else None,
            )

    def end_claims(self):  # a bulk UPDATE by the task, as cancelling does
        task = self._task()
        if task is not None:
            end_claims(self.rng.choice((ClaimStatus.RELEASED, ClaimStatus.CANCELLED)), Claim.task_id == task.id)

    def mark_arrival(self):  # a bulk UPDATE by the claim, as the desk does
        ids = db.session.scalars(sa.select(Claim.id)).all()
        if ids:
            db.session.execute(sa.update(Claim).where(Claim.id == self.rng.choice(ids)).values(arrived_at=utcnow()))

    def edit_task(self):
        rng, task = self.rng, self._task()
        if task is None:
            return
        change = rng.choice(("status", "figures", "move", "site", "partner"))
        if change == "status":
            task.status = rng.choice(("open", "closed", "cancelled"))
        elif change == "figures":
            task.participants, task.capacity, task.outcome_amount = rng.randint(0, 5), rng.randint(1, 6), 2.5
        elif change == "move":
            task.date = rng.choice(self.days)
        elif change == "site":
            task.site = rng.choice(self.sites)
        else:
            task.partner = rng.choice(self.partners)

    def delete_task(self):
        task = self._task()
        if task is not None:
            db.session.execute(sa.delete(Claim).where(Claim.task_id == task.id))
            db.session.delete(task)

    def close_past_day(self):
        rng, site, day = self.rng, self.rng.choice(self.sites), self.rng.choice(self.past_days)
        tasks = [t for t in self._tasks() if t.site_id == site.id and t.date == day and t.status != "cancelled"]
        results = {t.id: staff.TaskResult(rng.randint(0, 5), None) for t in tasks}
        staff.close_day(site, day, results, rng.randint(0, 9), rng.randint(0, 3), None, None, True, True)

    def cancel_task(self):
        open_tasks = [t for t in self._tasks() if t.status == "open"]
        if open_tasks:
            staff.cancel_task(self.rng.choice(open_tasks), "Sade.", admin=True)

    def day_record(self):
        rng, site, day = self.rng, self.rng.choice(self.sites), self.rng.choice(self.days)
        record = db.session.scalar(sa.select(DayRecord).where(DayRecord.site_id == site.id, DayRecord.date == day))
        if record is None:
            db.session.add(DayRecord(site_id=site.id, date=day, meals_participants=rng.randint(0, 9), meals_others=2))
        elif rng.random() < 0.5:
            db.session.delete(record)
        else:
            record.meals_others = rng.randint(0, 9)

    def feedback(self):
        rng = self.rng
        if rng.random() < 0.7:
            partner = rng.choice(self.partners)
            db.session.add(
                Feedback(
                    site_id=rng.choice(self.sites).id,
                    date=rng.choice(self.days),
                    partner_id=partner.id if partner else None,
                    category=rng.choice(CATEGORIES),
                    useful=rng.choice((None, 1, 2, 3)),
                    decide=rng.choice((None, 1, 2, 3)),
                    community=rng.choice((None, 1, 2, 3)),
                )
            )
        else:
            db.session.execute(sa.update(Feedback).where(Feedback.id % 2 == 0).values(useful=rng.choice((1, 3))))

    def proposal(self):
        rng = self.rng
        proposals = db.session.scalars(sa.select(Proposal)).all()
        if proposals and rng.random() < 0.4:
            rng.choice(proposals).status = rng.choice(("approved", "rejected"))
            return
        db.session.add(
            Proposal(
                link_id=rng.choice(self.links).id,
                date=rng.choice(self.days),
                start_time=time(10, 0),
                end_time=time(12, 0),
                title="Ehdotus",
                description="Tehdään yhdessä.",
                category=rng.choice(CATEGORIES),
                place="Piha",
                capacity=4,
                status=rng.choice(("pending", "approved")),
            )
        )

    def bulk_claims(self):  # INSERT of many rows at once, as seed-history does
        task, bits = self._task(), self.rng.getrandbits
        if task is not None:
            rows = [
                dict(task_id=task.id, code=f"B{bits(28):07x}", token_hash=f"{bits(252):063x}b", status="active")
                for _ in range(3)
            ]
            db.session.execute(sa.insert(Claim), rows)

    CHANGES = (add_task, add_task, add_claim, end_claims, mark_arrival, edit_task, edit_task, delete_task)
    CHANGES += (close_past_day, cancel_task, day_record, feedback, proposal, bulk_claims)

    def change(self):
        self.rng.choice(self.CHANGES)(self)
        db.session.flush()


def _queries(history: History) -> list[StatsQuery]:
    today = history.days[-2]
    return [
        StatsQuery(today - timedelta(days=9), today + timedelta(days=1)),
        StatsQuery(history.days[0], today - timedelta(days=3)),
        StatsQuery(today - timedelta(days=6), today, site=history.sites[1]),
        StatsQuery(today - timedelta(days=9), today, partner=history.partners[1]),
        StatsQuery(today - timedelta(days=9), today, category="cooking"),
    ]


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_rollups_equal_the_raw_rows_after_random_histories(seed):
    rng = random.Random(seed)
    history = History(rng)
    for _ in range(12):
        history.add_task()
    db.session.commit()
    for _round in range(8):
        for q in rng.sample(_queries(history), 2):
            from_rollups(q)  # rolls days up, to be changed next
        db.session.commit()
        for _ in range(rng.randint(1, 6)):
            history.change()
        if rng.random() < 0.8:
            db.session.commit()
        else:
            db.session.rollback()  # a change given up: the rollups it dropped come back with it
        for q in _queries(history):
            assert from_rollups(q) == from_raw_rows(q), (seed, _round, q)
        db.session.commit()
