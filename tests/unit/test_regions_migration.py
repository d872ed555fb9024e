"""Migration 0011 puts every existing site in one default region; new sites join the first region."""

import sqlalchemy as sa
from flask_migrate import downgrade, upgrade

from dropin.extensions import db
from dropin.models import Region, Site
from dropin.models.region import DEFAULT_REGION_SLUG
from tests.helpers import ROOT

DIRECTORY = str(ROOT / "migrations")


def test_a_fresh_database_has_the_default_region(app):
    with app.app_context():
        regions = db.session.execute(sa.select(Region.slug, Region.name, Region.embed_origins)).all()
    assert regions == [(DEFAULT_REGION_SLUG, "Oma alue", "")]


def test_existing_sites_land_in_the_default_region(app):
    with app.app_context():
        downgrade(directory=DIRECTORY, revision="0008")
        with db.engine.begin() as connection:
            for slug in ("a", "b"):
                connection.execute(
                    sa.text(
                        "INSERT INTO sites (slug, name, timezone, created_at) "
                        "VALUES (:slug, :slug, 'Europe/Helsinki', CURRENT_TIMESTAMP)"
                    ),
                    {"slug": slug},
                )
        upgrade(directory=DIRECTORY)
        rows = db.session.execute(sa.select(Site.slug, Region.slug).join(Site.region).order_by(Site.slug)).all()
    assert rows == [("a", DEFAULT_REGION_SLUG), ("b", DEFAULT_REGION_SLUG)]


def test_a_new_site_joins_the_first_region_unless_told(app):
    with app.app_context():
        first = db.session.scalar(sa.select(Region.id))
        second = Region(slug="toinen", name="Toinen alue")
        db.session.add(second)
        db.session.flush()
        default, chosen = Site(slug="uusi", name="Uusi"), Site(slug="valittu", name="Valittu", region_id=second.id)
        db.session.add_all([default, chosen])
        db.session.commit()
        assert (default.region_id, chosen.region_id) == (first, second.id)
        assert default.region.slug == DEFAULT_REGION_SLUG
