"""A world with one of everything a URL can name, for the generated requests to land on."""

from datetime import timedelta
from types import SimpleNamespace

import pytest

from dropin.claims.service import claim_place
from dropin.extensions import db
from dropin.models.user import Role
from dropin.partners import service as partners
from dropin.staff import task_templates
from tests.factories import make_kiosk, make_partner, make_site, make_task, make_user
from tests.web.conftest import proposal_values, template_values


@pytest.fixture
def world(app):
    with app.app_context():
        site = make_site("testi")
        task = make_task(site, capacity=40)
        claim, phone_token = claim_place(task)
        enrollment = make_kiosk(site)
        partner = make_partner("Kurki ry")
        template = task_templates.create_template(site, template_values("Roskien keruu", "cleanup", "Ranta", "135", 5))
        created = partners.create_link(partner, site)
        proposal = partners.submit_proposal(
            created.link,
            proposal_values(site.today() + timedelta(days=2), "Haravointi", "gardening", "Puisto", 4),
        )
        make_user("admin@example.org", Role.ADMIN)
        other = make_user("staff@example.org", Role.STAFF, sites=[site])
        db.session.commit()
        return SimpleNamespace(
            site="testi",
            site_id=site.id,
            task_id=task.id,
            claim_id=claim.id,
            code=claim.code,
            phone_token=phone_token,
            enroll_token=enrollment.enroll_token,
            api_token=enrollment.api_token,
            kiosk_id=enrollment.kiosk.id,
            partner_id=partner.id,
            link_id=created.link.id,
            partner_token=created.token,
            template_id=template.id,
            proposal_id=proposal.id,
            user_id=other.id,
            region_id=site.region_id,
            day=site.today().isoformat(),
        )
