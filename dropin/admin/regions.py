"""Regions: the admin's write side. Functions flush and audit; the view commits."""

import re

import sqlalchemy as sa

from dropin import audit
from dropin.extensions import db
from dropin.models import Region, Site

REGION_FIELDS = ("slug", "name", "embed_origins")
# An origin that may frame the listing: https with a host name and perhaps a port, or a local test page.
ORIGIN_RE = re.compile(
    r"^(?:https://(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)*[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?"
    r"|http://localhost)(?::(?P<port>[0-9]{1,5}))?$"
)


class RegionSlugTaken(Exception):
    """Another region already uses this slug."""


class BadOrigin(ValueError):
    """Not an origin a page may be framed by: `https://host[:port]` or `http://localhost[:port]`."""

    def __init__(self, origin: str):
        super().__init__(origin)
        self.origin = origin


def parse_origins(text: str) -> list[str]:
    """The origins of `text` (one a line, or separated by spaces or commas), lower-cased and without
    duplicates; a trailing slash is forgiven. Raises BadOrigin for the first one that is not an origin."""
    origins: list[str] = []
    for raw in re.split(r"[\s,]+", text or ""):
        if not raw:
            continue
        origin = raw.lower().removesuffix("/")
        match = ORIGIN_RE.match(origin)
        if match is None or not 0 < int(match["port"] or 443) <= 65535:
            raise BadOrigin(raw)
        if origin not in origins:
            origins.append(origin)
    return origins


def regions_with_sites() -> list[tuple[Region, list[Site]]]:
    """Every region by name, with its sites by name, in two queries."""
    regions = list(db.session.scalars(sa.select(Region).order_by(Region.name, Region.id)))
    sites = db.session.scalars(sa.select(Site).order_by(Site.name))
    by_region: dict[int, list[Site]] = {region.id: [] for region in regions}
    for site in sites:
        by_region[site.region_id].append(site)
    return [(region, by_region[region.id]) for region in regions]


def _check_slug(slug: str, region: Region | None) -> None:
    taken = db.session.scalar(sa.select(Region.id).where(Region.slug == slug))
    if taken is not None and (region is None or taken != region.id):
        raise RegionSlugTaken(slug)


def _values(values: dict) -> dict:
    return {
        "slug": values["slug"],
        "name": values["name"],
        "embed_origins": "\n".join(parse_origins(values.get("embed_origins", ""))),
    }


def create_region(values: dict) -> Region:
    """A new region from slug, name and embed_origins (text; see parse_origins)."""
    fields = _values(values)
    _check_slug(fields["slug"], None)
    region = Region(**fields)
    db.session.add(region)
    db.session.flush()
    audit.record("region.create", "region", region.id, after=audit.snapshot(region, REGION_FIELDS))
    return region


def update_region(region: Region, values: dict) -> Region:
    """Change a region. A new slug moves its listing and feeds to a new address."""
    fields = _values(values)
    _check_slug(fields["slug"], region)
    audit.update(region, fields, REGION_FIELDS, "region.update", "region", None)
    return region
