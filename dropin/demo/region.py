"""The demo's region: the demo site and a second one, with addresses, opening hours and a week of tasks,
so that /r/alue shows a listing grouped by day and site."""

from datetime import time, timedelta

import sqlalchemy as sa

from dropin.extensions import db
from dropin.models import Region, Site, Task
from dropin.models.region import FIRST_REGION_ID
from dropin.models.task_content import Demand, Setting

REGION_NAME = "Kotkan seudun kohtaamispaikat"
HOURS = {
    "satama": ("ma–pe 9–16, la 10–14", "mån–fre 9–16, lör 10–14", "Mon–Fri 9–16, Sat 10–14"),
    "kivikko": ("ti–la 10–17", "tis–lör 10–17", "Tue–Sat 10–17"),
}
SECOND_SITE = ("kivikko", "Olohuone Kivikko", "Kivikontie 4, Kotka")
# (site, days from today, start, end, category, title, Swedish title, place, capacity, setting, meal)
WEEK = (
    (
        "kivikko",
        0,
        time(13),
        time(15),
        "baking",
        "Karjalanpiirakoiden leivonta",
        "Karelska piroger",
        "Keittiö",
        4,
        Setting.INDOOR,
        True,
    ),
    (
        "satama",
        1,
        time(10),
        time(12),
        "gardening",
        "Rantaniityn haravointi",
        "Räfsning av strandängen",
        "Rantaniitty",
        8,
        Setting.OUTDOOR,
        True,
    ),
    (
        "kivikko",
        1,
        time(10),
        time(13),
        "cooking",
        "Keittolounaan valmistus",
        "Soppalunch",
        "Keittiö",
        5,
        Setting.INDOOR,
        True,
    ),
    (
        "kivikko",
        2,
        time(12),
        time(14),
        "cleanup",
        "Lähimetsän roskakävely",
        "Skräppromenad i skogen",
        "Kivikon metsä",
        10,
        Setting.OUTDOOR,
        False,
    ),
    ("satama", 3, time(17), time(0), "other", "Iltakahvilan vuoro", "Kvällscafé", "Sali", 3, Setting.INDOOR, False),
    (
        "kivikko",
        4,
        time(9, 30),
        time(12),
        "invasive",
        "Jättipalsamin kitkentä",
        "Rensning av jättebalsamin",
        "Puropuisto",
        8,
        Setting.OUTDOOR,
        True,
    ),
)


def _second_site() -> Site:
    slug, name, address = SECOND_SITE
    site = db.session.scalar(sa.select(Site).where(Site.slug == slug))
    if site is None:
        site = Site(slug=slug, name=name, address=address, timezone="Europe/Helsinki", meal_time=time(12))
        db.session.add(site)
    return site


def seed_region(demo_site: Site) -> int:
    """Name the first region, put both demo sites in it with their hours, and add the week's tasks
    that are missing, from the demo site's today on. Returns how many tasks were added. Idempotent.

    The demo site's own tasks come later in the week than the day after tomorrow, which the closed-day
    screenshot shows as the board's next day with tasks."""
    region = db.session.get(Region, db.session.scalar(FIRST_REGION_ID))
    region.name = REGION_NAME
    sites = {demo_site.slug: demo_site, SECOND_SITE[0]: _second_site()}
    for slug, site in sites.items():
        site.region = region
        site.opening_hours, site.opening_hours_sv, site.opening_hours_en = HOURS[slug]
    db.session.flush()
    added = 0
    for slug, ahead, start, end, category, title, title_sv, place, capacity, setting, meal in WEEK:
        site, when = sites[slug], demo_site.today() + timedelta(days=ahead)
        exists = sa.select(Task.id).where(Task.site_id == site.id, Task.date == when, Task.title == title)
        if db.session.scalar(exists) is not None:
            continue
        db.session.add(
            Task(
                site=site,
                date=when,
                start_time=start,
                end_time=end,
                title=title,
                title_sv=title_sv,
                description="Tule mukaan, opastamme paikan päällä.",
                category=category,
                place=place,
                capacity=capacity,
                setting=setting,
                physical_demand=Demand.LIGHT,
                meal_included=meal,
            )
        )
        added += 1
    db.session.flush()
    return added
