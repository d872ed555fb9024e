"""Migration 0008 gives every existing partner the sites that use it, so no staff member loses one."""

import sqlalchemy as sa
from flask_migrate import downgrade, upgrade

from dropin.extensions import db
from dropin.models import PartnerLink
from tests.factories import make_partner, make_site, make_task, make_template
from tests.helpers import ROOT

DIRECTORY = str(ROOT / "migrations")


def test_existing_partners_get_the_sites_where_they_have_tasks_templates_or_links(app):
    with app.app_context():
        downgrade(directory=DIRECTORY, revision="0007")
        # The 0007 tables of sites, partners, tasks, templates and links are the models' own.
        a, b, c = make_site("a"), make_site("b"), make_site("c")
        with_task, with_template = make_partner("Tehtävä", sites=[]), make_partner("Pohja", sites=[])
        with_link, with_nothing = make_partner("Linkki", sites=[]), make_partner("Ei mitään", sites=[])
        make_task(b, partner_id=with_task.id)
        make_template(c, partner_id=with_template.id)
        db.session.add(PartnerLink(partner_id=with_link.id, site_id=a.id, token_hash="x" * 64))
        ids = {p.name: p.id for p in (with_task, with_template, with_link, with_nothing)}
        sites = {s.slug: s.id for s in (a, b, c)}
        db.session.commit()
        db.session.remove()
        upgrade(directory=DIRECTORY)
        with db.engine.connect() as connection:
            rows = set(connection.execute(sa.text("SELECT partner_id, site_id FROM partner_sites")))
    assert rows == {
        (ids["Tehtävä"], sites["b"]),
        (ids["Pohja"], sites["c"]),
        (ids["Linkki"], sites["a"]),
        (ids["Ei mitään"], sites["a"]),
        (ids["Ei mitään"], sites["b"]),
        (ids["Ei mitään"], sites["c"]),
    }
