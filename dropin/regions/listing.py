"""One listing for a region: the tasks of today and the next seven days at every site of the region.

Read only, for anyone: the page, its embeddable variant and the open-data feeds all read
`region_listing`. A task's state here is what a visitor would find at the space: free places
are taken at the space on the day, so a task of a later day is "open" until it is full,
cancelled or over. Cancelled tasks stay listed, marked as cancelled (as on the board), so that
nobody sets out for a task that will not happen. Nothing about visitors is read but counts.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import sqlalchemy as sa
import sqlalchemy.orm as so

from dropin.claims.refusals import Availability
from dropin.extensions import db
from dropin.models import Region, Site, Task
from dropin.models.base import utcnow
from dropin.models.task import TaskStatus
from dropin.models.task_content import wall_clock
from dropin.sites import TaskRow, task_rows

# Today and the next seven days.
DAYS_AHEAD = 7


@dataclass(frozen=True)
class ListedTask:
    """A task on the region's listing with what a visitor finds at the space."""

    row: TaskRow
    state: Availability

    @property
    def task(self) -> Task:
        return self.row.task

    @property
    def free(self) -> int:
        return self.row.free

    @property
    def starts_at(self) -> datetime:
        """When the task starts, in its site's zone."""
        task = self.task
        return wall_clock(datetime.combine(task.date, task.start_time, tzinfo=task.site.zone))

    @property
    def ends_at(self) -> datetime:
        return self.task.ends_at


@dataclass(frozen=True)
class SiteDay:
    site: Site
    tasks: list[ListedTask]


@dataclass(frozen=True)
class ListingDay:
    date: date
    today: bool
    sites: list[SiteDay]


@dataclass(frozen=True)
class Listing:
    region: Region
    sites: list[Site]  # every site of the region, by name: how to get there
    days: list[ListingDay]  # only days with tasks

    @property
    def tasks(self) -> list[ListedTask]:
        return [listed for day in self.days for site_day in day.sites for listed in site_day.tasks]


def find_region(slug: str) -> Region | None:
    return db.session.scalar(sa.select(Region).where(Region.slug == slug))


def regions_with_site_slugs() -> list[tuple[Region, list[str]]]:
    """Every region by slug with its sites' slugs, in two queries."""
    regions = list(db.session.scalars(sa.select(Region).order_by(Region.slug)))
    slugs: dict[int, list[str]] = defaultdict(list)
    for region_id, slug in db.session.execute(sa.select(Site.region_id, Site.slug).order_by(Site.slug)):
        slugs[region_id].append(slug)
    return [(region, slugs[region.id]) for region in regions]


def listing_state(row: TaskRow, today: date) -> Availability:
    """The board's state for today's tasks; a later day's task is open (or full) until then."""
    task = row.task
    if task.date > today and task.status == TaskStatus.OPEN:
        return Availability.FULL if row.free == 0 else Availability.OPEN
    return row.state


def _tasks(sites: list[Site], first: date, last: date) -> list[Task]:
    return list(
        db.session.scalars(
            sa.select(Task)
            .where(Task.site_id.in_([site.id for site in sites]), Task.date.between(first, last))
            .options(so.joinedload(Task.site), so.joinedload(Task.partner))
            .order_by(Task.date, Task.start_time, Task.title, Task.id)
        )
    )


def region_listing(region: Region, now: datetime | None = None) -> Listing:
    """The region's tasks from today (in each site's zone) to seven days on, by day, then site, then time.

    Three queries whatever the number of sites and tasks: the sites, the tasks, their live counts."""
    now = now or utcnow()
    sites = list(db.session.scalars(sa.select(Site).where(Site.region_id == region.id).order_by(Site.name)))
    if not sites:
        return Listing(region, [], [])
    todays = {site.id: now.astimezone(site.zone).date() for site in sites}
    first, last = min(todays.values()), max(todays.values()) + timedelta(days=DAYS_AHEAD)
    tasks = [
        task
        for task in _tasks(sites, first, last)
        if todays[task.site_id] <= task.date <= todays[task.site_id] + timedelta(days=DAYS_AHEAD)
    ]
    by_day: dict[date, dict[int, list[ListedTask]]] = defaultdict(lambda: defaultdict(list))
    for row in task_rows(tasks, now):
        by_day[row.task.date][row.task.site_id].append(ListedTask(row, listing_state(row, todays[row.task.site_id])))
    order = {site.id: index for index, site in enumerate(sites)}
    site_of = {site.id: site for site in sites}
    days = [
        ListingDay(
            day,
            day == todays[sites[0].id],
            [
                SiteDay(site_of[site_id], listed)
                for site_id, listed in sorted(by_day[day].items(), key=lambda i: order[i[0]])
            ],
        )
        for day in sorted(by_day)
    ]
    return Listing(region, sites, days)
