"""Small helpers that make objects for tests. They flush; the test commits when it needs to."""

import functools
from datetime import time

import sqlalchemy as sa
from werkzeug.security import generate_password_hash

from dropin.extensions import db
from dropin.kiosks import enroll_kiosk
from dropin.models import Partner, Site, Task, User
from tests.helpers import PASSWORD


def make_site(slug: str = "testi", **kw) -> Site:
    site = Site(
        slug=slug, name=kw.pop("name", f"Olohuone {slug}"), timezone=kw.pop("timezone", "Europe/Helsinki"), **kw
    )
    db.session.add(site)
    db.session.flush()
    return site


def make_partner(name: str = "Testiyhdistys ry", sites=None, **kw) -> Partner:
    """A partner of `sites`; by default of every site that exists now (as the migration links old partners)."""
    if sites is None:
        sites = list(db.session.scalars(sa.select(Site)))
    partner = Partner(name=name, sites=list(sites), **kw)
    db.session.add(partner)
    db.session.flush()
    return partner


def running_window(site: Site) -> tuple[time, time]:
    """Start and end times that make a task of today open right now (at least an hour left)."""
    now = site.now()
    if now.hour >= 22:
        # Late in the evening the task runs to a minute before midnight.
        return time(0, 0), time(23, 59)
    return time(max(now.hour - 1, 0), 0), time(23, 59)


def make_task(site: Site, **kw) -> Task:
    start, end = running_window(site)
    fields = dict(
        date=site.today(),
        start_time=start,
        end_time=end,
        title="Roskien keruu",
        description="Kerätään roskia.",
        category="cleanup",
        place="Ranta",
        capacity=3,
    )
    fields.update(kw)
    task = Task(site=site, **fields)
    db.session.add(task)
    db.session.flush()
    return task


def make_kiosk(site: Site, name: str = "Näyttö"):
    return enroll_kiosk(site, name)


# Production hashes with werkzeug's scrypt at n=32768 (~0.1 s a check, on purpose; see
# tests/unit/test_password_cost.py). The users tests make log in hundreds of times: their hashes are
# scrypt at a 32nd of the cost. Logins still run the real check against the stored hash.
TEST_HASH_METHOD = "scrypt:1024:8:1"


@functools.cache
def _password_hash(password: str) -> str:
    return generate_password_hash(password, method=TEST_HASH_METHOD)


def make_user(email: str, role: str, password: str = PASSWORD, sites=()) -> User:
    user = User(email=email, role=role, password_hash=_password_hash(password))
    user.sites.extend(sites)
    db.session.add(user)
    db.session.flush()
    return user


def make_template(site: Site, **kw):
    from dropin.models import TaskTemplate

    fields = dict(
        title="Lounaan valmistus",
        category="cooking",
        place="Keittiö",
        weekdays="1234567",
        start_time=time(9, 0),
        end_time=time(11, 0),
        capacity=4,
        outcome_unit="annosta",
    )
    fields.update(kw)
    template = TaskTemplate(site=site, **fields)
    db.session.add(template)
    db.session.flush()
    return template
