"""A believable day in a fictional Finnish drop-in space. No real person's name or contact data."""

import secrets
from datetime import date, time

import sqlalchemy as sa

from dropin.claims.service import CODE_ALPHABET, hash_token
from dropin.demo.region import seed_region
from dropin.extensions import db
from dropin.models import Claim, Partner, Site, Task, TaskTemplate, User
from dropin.models.claim import ClaimSource
from dropin.models.task import TaskStatus
from dropin.models.user import Role

DEMO_SITE = "satama"
DEMO_PASSWORD = "demo-salasana"
DEMO_USERS = (("staff@example.org", Role.STAFF), ("worker@example.org", Role.WORKER), ("admin@example.org", Role.ADMIN))

PARTNERS = (
    dict(
        name="Luonnonsuojeluyhdistys Kurki ry",
        kind="Luonnonsuojelu",
        contact_person="Sanna Esimerkki",
        phone="040 000 0001",
        email="kurki@example.org",
        notes="Välineet noudetaan Satamakadun varastolta.",
    ),
    dict(
        name="Kaupunginosayhdistys Rantala ry",
        kind="Asukasyhdistys",
        contact_person="Pekka Malli",
        phone="040 000 0002",
        email="rantala@example.org",
        notes=None,
    ),
    dict(
        name="Jokilaakson seurakunta, diakonia",
        kind="Seurakunta",
        contact_person="Leena Kuvitteellinen",
        phone="040 000 0003",
        email="diakonia@example.org",
        notes="Keittiö vapaa arkisin klo 9–16.",
    ),
    dict(
        name="Yhteiskeittiö Pata",
        kind="Yhteisökeittiö",
        contact_person="Ahmed Testinen",
        phone="040 000 0004",
        email="pata@example.org",
        notes=None,
    ),
)

# (partner index, category, start, end, capacity, setting, demand, title, description, place, bring, provided)
TASKS = (
    (
        3,
        "cooking",
        time(9, 0),
        time(11, 30),
        3,
        "indoor",
        "light",
        "Lounaan valmistus",
        "Teemme yhdessä keittolounaan. Pilkotaan kasviksia ja katetaan pöydät.",
        "Olohuoneen keittiö",
        None,
        "Esiliina ja hiussuoja",
    ),
    (
        0,
        "cleanup",
        time(10, 0),
        time(12, 0),
        6,
        "outdoor",
        "moderate",
        "Roskien keruu rantapolulla",
        "Kerätään roskia rantapolun varrelta. Kävellään rauhassa.",
        "Tapaaminen olohuoneen ovella",
        "Säänmukaiset vaatteet",
        "Hanskat, roskapihdit ja säkit",
    ),
    (
        0,
        "invasive",
        time(10, 0),
        time(13, 0),
        5,
        "outdoor",
        "moderate",
        "Jättipalsamin kitkentä",
        "Kitketään vieraslaji jättipalsamia puron rannalta. Ohjaaja näyttää, miten se tehdään.",
        "Myllypuron silta",
        "Kumisaappaat, jos on",
        "Hanskat ja juomavesi",
    ),
    (
        1,
        "gardening",
        time(12, 0),
        time(15, 0),
        4,
        "outdoor",
        "moderate",
        "Kukkapenkkien kunnostus",
        "Kitketään ja katetaan kukkapenkit talvea varten.",
        "Rantalan puisto",
        None,
        "Työvälineet ja hanskat",
    ),
    (
        2,
        "baking",
        time(13, 0),
        time(15, 0),
        4,
        "indoor",
        "light",
        "Pullan leivonta",
        "Leivotaan pullaa seurakunnan iltapäiväkahville.",
        "Seurakuntatalon keittiö",
        None,
        "Esiliina ja kaikki aineet",
    ),
    (
        1,
        "cleanup",
        time(14, 0),
        time(16, 0),
        5,
        "outdoor",
        "light",
        "Pihan siivous",
        "Haravoidaan ja siivotaan asukastalon piha.",
        "Rantalan asukastalo",
        None,
        "Haravat ja säkit",
    ),
    (
        3,
        "cooking",
        time(16, 0),
        time(19, 0),
        4,
        "indoor",
        "light",
        "Iltapalan valmistus",
        "Tehdään iltapala ja keitetään puuroa. Syödään yhdessä.",
        "Yhteiskeittiö Pata",
        None,
        "Esiliina",
    ),
    (
        1,
        "gardening",
        time(15, 0),
        time(18, 0),
        6,
        "outdoor",
        "heavy",
        "Lehtien haravointi",
        "Haravoidaan lehtiä puistossa ja viedään ne kompostiin.",
        "Rantalan puisto",
        "Lämmin takki",
        "Haravat ja hanskat",
    ),
    (
        2,
        "baking",
        time(17, 0),
        time(20, 0),
        3,
        "indoor",
        "light",
        "Iltakahvin leivonnaiset",
        "Leivotaan sämpylöitä ja keksejä illan kahvihetkeen.",
        "Seurakuntatalon keittiö",
        None,
        "Kaikki aineet",
    ),
)
FULL_TASK, CANCELLED_TASK = "Lounaan valmistus", "Pihan siivous"
OUTCOME_UNITS = {
    "cleanup": "säkkiä roskia",
    "invasive": "m² raivattu",
    "cooking": "annosta",
    "baking": "leivonnaista",
    "gardening": None,
}


def _site() -> Site:
    site = db.session.scalar(sa.select(Site).where(Site.slug == DEMO_SITE))
    if site is None:
        site = Site(
            slug=DEMO_SITE,
            name="Olohuone Satama",
            timezone="Europe/Helsinki",
            meal_time=time(12, 0),
            address="Satamakatu 1",
        )
        db.session.add(site)
    return site


def _partners(site: Site) -> list[Partner]:
    partners = []
    for data in PARTNERS:
        partner = db.session.scalar(sa.select(Partner).where(Partner.name == data["name"]))
        if partner is None:
            partner = Partner(**data)
            db.session.add(partner)
        if site not in partner.sites:
            partner.sites.append(site)  # the site's staff see their partners
        partners.append(partner)
    return partners


def _users(site: Site) -> None:
    for email, role in DEMO_USERS:
        if db.session.scalar(sa.select(User).where(User.email == email)) is None:
            user = User(email=email, role=role)
            user.set_password(DEMO_PASSWORD)
            if role == Role.STAFF:
                user.sites.append(site)
            db.session.add(user)


def _templates(site: Site, partners: list[Partner]) -> dict[str, TaskTemplate]:
    """The demo partners' recurring needs, every day of the week so the demo board never sleeps."""
    templates = {t.title: t for t in db.session.scalars(sa.select(TaskTemplate).where(TaskTemplate.site_id == site.id))}
    for p, cat, start, end, cap, setting, demand, title, desc, place, bring, provided in TASKS:
        if title not in templates:
            templates[title] = TaskTemplate(
                site=site,
                partner=partners[p],
                title=title,
                description=desc,
                category=cat,
                place=place,
                weekdays="1234567",
                start_time=start,
                end_time=end,
                capacity=cap,
                setting=setting,
                physical_demand=demand,
                bring=bring,
                provided=provided,
                meal_included=True,
                outcome_unit=OUTCOME_UNITS.get(cat),
            )
            db.session.add(templates[title])
    return templates


def _code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(5))


def seed_demo(day: date | None = None) -> int:
    """Add the demo site, partners, users and `day`'s tasks, and the demo region with a second site and a
    week of tasks; return how many of `day`'s board tasks were added.

    Idempotent: running it again on the same day adds nothing.
    """
    site = _site()
    partners = _partners(site)
    _users(site)
    templates = _templates(site, partners)
    db.session.flush()
    day = day or site.today()
    existing = set(db.session.scalars(sa.select(Task.title).where(Task.site_id == site.id, Task.date == day)))
    added = 0
    for p, cat, start, end, cap, setting, demand, title, desc, place, bring, provided in TASKS:
        if title in existing:
            continue
        task = Task(
            site=site,
            partner=partners[p],
            date=day,
            start_time=start,
            end_time=end,
            title=title,
            description=desc,
            category=cat,
            place=place,
            capacity=cap,
            setting=setting,
            physical_demand=demand,
            bring=bring,
            provided=provided,
            meal_included=True,
            template_id=templates[title].id,
            outcome_unit=templates[title].outcome_unit,
        )
        if title == CANCELLED_TASK:
            task.status = TaskStatus.CANCELLED
            task.cancel_reason = "Sadetta luvassa. Piha siivotaan toisena päivänä."
        db.session.add(task)
        if title == FULL_TASK:
            for _ in range(cap):
                db.session.add(
                    Claim(
                        task=task,
                        code=_code(),
                        token_hash=hash_token(secrets.token_urlsafe(24)),
                        source=ClaimSource.STAFF,
                    )
                )
        added += 1
    db.session.flush()
    seed_region(site)
    return added
