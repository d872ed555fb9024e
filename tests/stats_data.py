"""A small data set whose figures were worked out by hand: the stats tests check against it.

March 2026 is the period (31 days), so the comparison period is 29.1.–28.2.2026.

    task  site   date   partner  category  cap  status     claims                                   participants
    T1    satama  2.3.  Kurki    cleanup   6    closed     5 active (2 walk-ins), 1 released        5, 3.5 sacks
    T2    satama  2.3.  Pata     cooking   4    closed     4 active, 2 released                     4, 20 portions
    T3    satama  4.3.  Kurki    cleanup   5    cancelled  2 cancelled                              -
    T4    satama 10.3.  -        baking    3    open       3 active                                 -
    T5    muu     2.3.  Kurki    cleanup   8    closed     7 active (1 walk-in)                     7, 5 sacks
    T6    satama  1.4.  Kurki    cleanup   4    open       2 active (after the period)
    T7    satama 16.2.  Kurki    cleanup   6    closed     5 active, 1 released (previous period)   4

First-time answers: T1 2 yes 2 no 1 skipped, T2 3 no, T4 1 yes. Closed days with meals: satama 2.3.
9 + 3, muu 2.3. 7 + 0, satama 16.2. 4 + 2. Feedback on 2.3. at satama: four about Kurki's
clean-up, two about Pata's cooking; five on 16.2. Kurki proposed two tasks for March (one
approved) and one for February (approved).
"""

from datetime import date, time

import sqlalchemy as sa

from dropin.extensions import db
from dropin.models import Claim, DayRecord, Feedback, PartnerLink, Proposal
from dropin.models.claim import ClaimSource, ClaimStatus
from dropin.models.task import TaskStatus
from tests.factories import make_partner, make_site, make_task


def make_claims(task, n, status=ClaimStatus.ACTIVE, source=ClaimSource.KIOSK, first_time=None):
    """`n` claims of the task, each with a code and token hash of its own."""
    for _ in range(n):
        number = db.session.scalar(sa.select(sa.func.count()).select_from(Claim)) or 0
        db.session.add(
            Claim(
                task=task,
                code=f"C{number:04d}",
                token_hash=f"{number:064x}",
                source=source,
                first_time=first_time,
                status=status,
            )
        )
        db.session.flush()


def make_task_on(
    site, day, partner, category, capacity, status="open", participants=None, outcome=None, unit=None, **kw
):
    """A task from 10 to 12 on `day`, with the fields the figures count (`kw` may set any other)."""
    fields = dict(
        date=day,
        partner=partner,
        category=category,
        capacity=capacity,
        status=status,
        participants=participants,
        outcome_amount=outcome,
        outcome_unit=unit,
        start_time=time(10, 0),
        end_time=time(12, 0),
    )
    return make_task(site, **{**fields, **kw})


def known_data() -> dict:
    """Build the data set of this module's docstring; returns its sites and partners."""
    satama, muu = make_site("satama", name="Olohuone Satama"), make_site("muu", name="Olohuone Muu")
    kurki, pata = make_partner("Luonnonsuojeluyhdistys Kurki ry"), make_partner("Yhteiskeittiö Pata")
    march2, march4, march10 = date(2026, 3, 2), date(2026, 3, 4), date(2026, 3, 10)
    t1 = make_task_on(satama, march2, kurki, "cleanup", 6, TaskStatus.CLOSED, 5, 3.5, "säkkiä roskia")
    make_claims(t1, 2, source=ClaimSource.STAFF, first_time=True)
    make_claims(t1, 2, first_time=False)
    make_claims(t1, 1)
    make_claims(t1, 1, status=ClaimStatus.RELEASED)
    t2 = make_task_on(satama, march2, pata, "cooking", 4, TaskStatus.CLOSED, 4, 20, "annosta")
    make_claims(t2, 3, first_time=False)
    make_claims(t2, 1)
    make_claims(t2, 2, status=ClaimStatus.RELEASED)
    t3 = make_task_on(satama, march4, kurki, "cleanup", 5, TaskStatus.CANCELLED)
    make_claims(t3, 2, status=ClaimStatus.CANCELLED)
    t4 = make_task_on(satama, march10, None, "baking", 3)
    make_claims(t4, 1, first_time=True)
    make_claims(t4, 2)
    t5 = make_task_on(muu, march2, kurki, "cleanup", 8, TaskStatus.CLOSED, 7, 5, "säkkiä roskia")
    make_claims(t5, 1, source=ClaimSource.STAFF)
    make_claims(t5, 6)
    t6 = make_task_on(satama, date(2026, 4, 1), kurki, "cleanup", 4)
    make_claims(t6, 2)
    t7 = make_task_on(satama, date(2026, 2, 16), kurki, "cleanup", 6, TaskStatus.CLOSED, 4)
    make_claims(t7, 5)
    make_claims(t7, 1, status=ClaimStatus.RELEASED)
    db.session.add_all(
        [
            DayRecord(site_id=satama.id, date=march2, meals_participants=9, meals_others=3),
            DayRecord(site_id=muu.id, date=march2, meals_participants=7, meals_others=0),
            DayRecord(site_id=satama.id, date=date(2026, 2, 16), meals_participants=4, meals_others=2),
        ]
    )
    for useful, decide in ((3, 3), (3, 3), (3, 2), (3, 2)):
        db.session.add(
            Feedback(
                site_id=satama.id,
                date=march2,
                partner_id=kurki.id,
                category="cleanup",
                useful=useful,
                decide=decide,
                community=3,
            )
        )
    for useful in (2, None):
        db.session.add(
            Feedback(
                site_id=satama.id,
                date=march2,
                partner_id=pata.id,
                category="cooking",
                useful=useful,
                decide=1,
                community=3,
            )
        )
    for _ in range(5):
        db.session.add(
            Feedback(site_id=satama.id, date=date(2026, 2, 16), partner_id=kurki.id, category="cleanup", useful=3)
        )
    link = PartnerLink(partner_id=kurki.id, site_id=satama.id, token_hash="f" * 64)
    db.session.add(link)
    db.session.flush()
    for day, status in ((date(2026, 3, 5), "approved"), (date(2026, 3, 6), "pending"), (date(2026, 2, 20), "approved")):
        db.session.add(
            Proposal(
                link_id=link.id,
                date=day,
                start_time=time(9, 0),
                end_time=time(11, 0),
                title="Roskien keruu",
                category="cleanup",
                place="Ranta",
                capacity=4,
                status=status,
            )
        )
    db.session.flush()
    return {"satama": satama, "muu": muu, "kurki": kurki, "pata": pata}
