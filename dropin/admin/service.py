"""Sites and kiosks: the admin's write side. Functions flush and audit; the view commits."""

from zoneinfo import available_timezones

import sqlalchemy as sa

from dropin import audit
from dropin.extensions import db
from dropin.kiosks import Enrollment, enroll_kiosk, issue_secrets
from dropin.models import Kiosk, Region, Site
from dropin.models.base import utcnow
from dropin.models.region import FIRST_REGION_ID

SLUG_RE = r"^[a-z0-9][a-z0-9-]*$"
SITE_FIELDS = (
    "slug",
    "name",
    "timezone",
    "meal_time",
    "address",
    "opening_hours",
    "opening_hours_sv",
    "opening_hours_en",
    "region_id",
)
# What the audit log keeps of a kiosk: never a token's hash or the cookie secret.
KIOSK_FIELDS = ("name", "enrolled_at", "revoked_at")


class SlugTaken(Exception):
    """Another site already uses this slug."""


class KioskRevoked(Exception):
    """The kiosk is revoked for good: enroll a new one instead."""


def sites_with_kiosks() -> list[tuple[Site, int]]:
    """Every site with its number of kiosks in use, in one query."""
    in_use = (
        sa.select(Kiosk.site_id, sa.func.count().label("n"))
        .where(Kiosk.revoked_at.is_(None))
        .group_by(Kiosk.site_id)
        .subquery()
    )
    rows = db.session.execute(
        sa.select(Site, sa.func.coalesce(in_use.c.n, 0))
        .outerjoin(in_use, in_use.c.site_id == Site.id)
        .order_by(Site.name)
    )
    return [(site, count) for site, count in rows]


def kiosks_of(site: Site) -> list[Kiosk]:
    """Kiosks in use first, newest first; revoked ones after them."""
    return list(
        db.session.scalars(
            sa.select(Kiosk)
            .where(Kiosk.site_id == site.id)
            .order_by(Kiosk.revoked_at.is_not(None), Kiosk.created_at.desc(), Kiosk.id.desc())
        )
    )


def _check_site(values: dict, site: Site | None) -> None:
    if values["timezone"] not in available_timezones():
        raise ValueError(f"unknown timezone {values['timezone']!r}")
    taken = db.session.scalar(sa.select(Site.id).where(Site.slug == values["slug"]))
    if taken is not None and (site is None or taken != site.id):
        raise SlugTaken(values["slug"])


def _site_values(values: dict, site: Site | None) -> dict:
    """SITE_FIELDS of `values`; a missing region is the site's own, or for a new site the first region."""
    fields = {name: values.get(name) for name in SITE_FIELDS}
    if fields["region_id"] is None:
        fields["region_id"] = site.region_id if site else db.session.scalar(FIRST_REGION_ID)
    elif db.session.get(Region, fields["region_id"]) is None:
        raise ValueError(f"no region {fields['region_id']}")
    return fields


def create_site(values: dict) -> Site:
    """A new site from the fields of SITE_FIELDS (a region left out: the first region)."""
    _check_site(values, None)
    site = Site(**_site_values(values, None))
    db.session.add(site)
    db.session.flush()
    audit.record("site.create", "site", site.id, site.id, after=audit.snapshot(site, SITE_FIELDS))
    return site


def update_site(site: Site, values: dict) -> Site:
    """Change a site. A new slug moves its kiosk board to a new address."""
    _check_site(values, site)
    audit.update(site, _site_values(values, site), SITE_FIELDS, "site.update", "site", site.id)
    return site


def add_kiosk(site: Site, name: str) -> Enrollment:
    """Enroll a kiosk: its enrollment and API tokens are returned once, stored only as hashes."""
    enrollment = enroll_kiosk(site, name.strip())
    kiosk = enrollment.kiosk
    audit.record("kiosk.enroll", "kiosk", kiosk.id, site.id, after=audit.snapshot(kiosk, KIOSK_FIELDS))
    return enrollment


def revoke_kiosk(kiosk: Kiosk) -> Kiosk:
    """Stop a kiosk for good: its browser cookie and API token stop working at once."""
    if kiosk.revoked_at is not None:
        return kiosk
    before = audit.snapshot(kiosk, KIOSK_FIELDS)
    kiosk.revoked_at = utcnow()
    kiosk.enroll_token_hash = None
    kiosk.enroll_issued_at = None
    db.session.flush()
    old, new = audit.changed(before, audit.snapshot(kiosk, KIOSK_FIELDS))
    audit.record("kiosk.revoke", "kiosk", kiosk.id, kiosk.site_id, before=old, after=new)
    return kiosk


def reissue_enrollment(kiosk: Kiosk) -> Enrollment:
    """New secrets for a kiosk whose browser was reset or whose link expired: a new one-time
    enrollment link and a new API token. The old browser is signed out and the old API token
    stops working at once. Returns the secrets, shown once."""
    if kiosk.revoked_at is not None:
        raise KioskRevoked()
    before = audit.snapshot(kiosk, ("enrolled_at",))
    enrollment = issue_secrets(kiosk)
    audit.record(
        "kiosk.reissue", "kiosk", kiosk.id, kiosk.site_id, before=before, after=audit.snapshot(kiosk, ("enrolled_at",))
    )
    return enrollment
