"""Enrolled kiosks: enrollment, recognising an enrolled browser or an API token, and loading them for a URL.

The kiosk board, the feedback flow, the API, the admin pages and the CLI use these; it depends
only on the models, the claims service and the shared site module.
"""

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import abort, current_app, g, request
from itsdangerous import BadSignature, URLSafeSerializer

from dropin.claims.service import hash_token
from dropin.extensions import db
from dropin.models import Kiosk, Site
from dropin.models.base import utcnow
from dropin.sites import find_site

MAX_TOKEN_LENGTH = 128


class EnrollmentExpired(Exception):
    """The enrollment link is older than DROPIN_ENROLLMENT_HOURS: the admin makes a new one."""


@dataclass(frozen=True)
class Enrollment:
    kiosk: Kiosk
    enroll_token: str  # one-time, for the enrollment URL
    api_token: str  # long-lived bearer token for the JSON API


def enrollment_valid_until(kiosk: Kiosk) -> datetime | None:
    """Until when the kiosk's pending enrollment link works (UTC); None when there is none."""
    if kiosk.enroll_token_hash is None or kiosk.enroll_issued_at is None:
        return None
    return kiosk.enroll_issued_at + timedelta(hours=current_app.config["ENROLLMENT_HOURS"])


def issue_secrets(kiosk: Kiosk) -> Enrollment:
    """New enrollment link, API token and cookie secret: every earlier secret of the kiosk stops
    working at once. Returned once; only their hashes are stored."""
    enroll_token, api_token = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    kiosk.enroll_token_hash = hash_token(enroll_token)
    kiosk.enroll_issued_at = utcnow()
    kiosk.api_token_hash = hash_token(api_token)
    # A new cookie secret signs out the browser that used the old enrollment.
    kiosk.cookie_secret = secrets.token_hex(16)
    kiosk.enrolled_at = None
    db.session.flush()
    return Enrollment(kiosk, enroll_token, api_token)


def enroll_kiosk(site: Site, name: str) -> Enrollment:
    """Create a kiosk for `site`; its secrets are returned once and stored only as hashes."""
    kiosk = Kiosk(site=site, name=name)
    db.session.add(kiosk)
    return issue_secrets(kiosk)


def redeem_enrollment(token: str, now: datetime | None = None) -> Kiosk | None:
    """Use up a one-time enrollment token; None when it is unknown or already used.
    Raises EnrollmentExpired when the link is too old (it stays refused, never used)."""
    if not token or len(token) > MAX_TOKEN_LENGTH:
        return None
    kiosk = db.session.scalar(sa.select(Kiosk).where(Kiosk.enroll_token_hash == hash_token(token)))
    if kiosk is None or not kiosk.active:
        return None
    valid_until = enrollment_valid_until(kiosk)
    if valid_until is None or (now or utcnow()) >= valid_until:
        raise EnrollmentExpired()
    kiosk.enroll_token_hash = None
    kiosk.enroll_issued_at = None
    kiosk.enrolled_at = utcnow()
    db.session.flush()
    return kiosk


def _serializer(secret_key: str) -> URLSafeSerializer:
    return URLSafeSerializer(secret_key, salt="dropin.kiosk")


def kiosk_cookie(kiosk: Kiosk, secret_key: str) -> str:
    return _serializer(secret_key).dumps({"k": kiosk.id, "s": kiosk.cookie_secret})


def kiosk_from_cookie(value: str | None, secret_key: str) -> Kiosk | None:
    if not value:
        return None
    try:
        data = _serializer(secret_key).loads(value)
        kiosk = db.session.get(Kiosk, int(data["k"]))
        secret = str(data["s"])
    except (BadSignature, KeyError, TypeError, ValueError):
        return None
    if kiosk is None or not kiosk.active or not secrets.compare_digest(kiosk.cookie_secret, secret):
        return None
    return kiosk


def kiosk_from_api_token(token: str | None) -> Kiosk | None:
    if not token or len(token) > MAX_TOKEN_LENGTH:
        return None
    kiosk = db.session.scalar(sa.select(Kiosk).where(Kiosk.api_token_hash == hash_token(token)))
    return kiosk if kiosk is not None and kiosk.active else None


def load_site_and_kiosk(_endpoint, values) -> None:
    """A URL value preprocessor: `g.site` from the URL's site (404 unknown), and `g.kiosk` when
    this browser is an enrolled kiosk of that very site (None otherwise)."""
    if not values or "site" not in values:
        return
    g.site = find_site(values["site"])
    if g.site is None:
        abort(404)
    config = current_app.config
    g.kiosk = kiosk_from_cookie(request.cookies.get(config["KIOSK_COOKIE_NAME"]), config["SECRET_KEY"])
    if g.kiosk is not None and g.kiosk.site_id != g.site.id:
        g.kiosk = None
