"""Fixtures that more than one web test module uses: the partner and planning pages' world, the admin's people."""

from datetime import time, timedelta
from types import SimpleNamespace

import pytest

from dropin.extensions import db
from dropin.models.user import Role
from dropin.partners import service
from dropin.staff import task_templates
from tests.factories import make_kiosk, make_partner, make_site, make_task, make_user
from tests.helpers import login


def template_values(title: str, category: str, place: str, weekdays: str, capacity: int) -> dict:
    return {
        "title": title,
        "category": category,
        "place": place,
        "weekdays": weekdays,
        "start_time": time(10, 0),
        "end_time": time(12, 0),
        "capacity": capacity,
    }


def proposal_values(day, title: str, category: str, place: str, capacity: int) -> dict:
    """As the public form gives them: from 10 to 12, no description, nothing to bring."""
    return {
        "date": day,
        "start_time": time(10, 0),
        "end_time": time(12, 0),
        "title": title,
        "description": "",
        "category": category,
        "place": place,
        "capacity": capacity,
        "bring": None,
    }


@pytest.fixture
def planning(app):
    """Two sites, satama and muu, with a template each; a partner with a link and a proposal at each."""
    with app.app_context():
        site, other = make_site("satama"), make_site("muu")
        partner = make_partner(
            "Luontoyhdistys Kurki ry",
            contact_person="Sanna Esimerkki",
            phone="040 000 0001",
            email="kurki@example.org",
            notes="Avain varastolta",
        )
        template = task_templates.create_template(site, template_values("Roskien keruu", "cleanup", "Ranta", "135", 5))
        other_template = task_templates.create_template(other, template_values("Leivonta", "baking", "Keittiö", "2", 3))
        created = service.create_link(partner, site)
        other_created = service.create_link(partner, other)
        day = site.today() + timedelta(days=2)
        proposal = service.submit_proposal(created.link, proposal_values(day, "Haravointi", "gardening", "Puisto", 4))
        other_proposal = service.submit_proposal(
            other_created.link, proposal_values(day, "Muualla", "cooking", "Keittiö", 2)
        )
        db.session.commit()
        return {
            "site": site.slug,
            "other": other.slug,
            "partner": partner.id,
            "template": template.id,
            "other_template": other_template.id,
            "token": created.token,
            "link": created.link.id,
            "other_link": other_created.link.id,
            "proposal": proposal.id,
            "other_proposal": other_proposal.id,
            "today": site.today(),
        }


@pytest.fixture
def people(app):
    """A site with a task and a kiosk; an admin, a staff member of the site and a project worker."""
    with app.app_context():
        site = make_site("testi")
        task = make_task(site)
        kiosk = make_kiosk(site).kiosk
        admin = make_user("admin@example.org", Role.ADMIN)
        staff = make_user("staff@example.org", Role.STAFF, sites=[site])
        worker = make_user("worker@example.org", Role.WORKER)
        db.session.commit()
        return SimpleNamespace(
            site=site.id, task=task.id, kiosk=kiosk.id, admin=admin.id, staff=staff.id, worker=worker.id
        )


@pytest.fixture
def admin(client, people):
    """The test client, signed in as the admin."""
    assert login(client, "admin@example.org").status_code == 302
    return client
