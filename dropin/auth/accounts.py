"""Creating and updating user accounts (used by the CLI and the admin pages).

Every change is audited with e-mail, role, active and sites: never the password or its hash.
"""

import re
import secrets

import sqlalchemy as sa

from dropin import audit
from dropin.extensions import db
from dropin.models import Site, User
from dropin.models.user import Role

MIN_PASSWORD = 10
MAX_PASSWORD = 200  # the login form accepts no more
MAX_EMAIL = 200
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
# No look-alikes (0/o, 1/l/i): the password is read off a screen and typed on a phone.
PASSWORD_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"


class AccountError(ValueError):
    pass


class EmailTaken(AccountError):
    """Another account already has this e-mail address."""


class OwnAccount(AccountError):
    """An admin may not demote or disable their own account."""


def normalize_email(email: str) -> str:
    return email.strip().lower()


def valid_email(email: str) -> bool:
    return len(email) <= MAX_EMAIL and EMAIL_RE.match(email) is not None


def generate_password() -> str:
    """A random password of 15 letters and digits in groups of five (about 74 bits)."""
    chars = "".join(secrets.choice(PASSWORD_ALPHABET) for _ in range(15))
    return "-".join(chars[i : i + 5] for i in range(0, 15, 5))


def user_snapshot(user: User) -> dict:
    """What the audit log keeps of an account."""
    snapshot = {
        "email": user.email,
        "role": user.role,
        "active": user.active,
        "sites": sorted(site.slug for site in user.sites),
    }
    if user.role == Role.WORKER:  # only a project worker has a region (None: every region)
        snapshot["region"] = user.region.slug if user.region else None
    return snapshot


def _check(email: str, role: str, password: str | None) -> None:
    if not valid_email(email):
        raise AccountError("Give a valid e-mail address.")
    if role not in list(Role):
        raise AccountError(f"Role must be one of {', '.join(Role)}.")
    if password is not None and not MIN_PASSWORD <= len(password) <= MAX_PASSWORD:
        raise AccountError(f"The password must be {MIN_PASSWORD}–{MAX_PASSWORD} characters.")


def find_user(email: str) -> User | None:
    return db.session.scalar(sa.select(User).where(User.email == normalize_email(email)))


def create_user(email: str, role: str, password: str, sites=(), region=None) -> User:
    """A new active account. Sites are kept for staff only; the others see every site or none.
    A region is kept for project workers only (None: every region)."""
    email = normalize_email(email)
    _check(email, role, password)
    if find_user(email) is not None:
        raise EmailTaken(email)
    user = User(email=email, role=role, active=True)
    user.set_password(password)
    user.sites = list(sites) if role == Role.STAFF else []
    user.region = region if role == Role.WORKER else None
    db.session.add(user)
    db.session.flush()
    audit.record("user.create", "user", user.id, after=user_snapshot(user))
    return user


def update_user(user: User, role: str, sites, acting: User, region=None) -> User:
    """Change role, sites and a project worker's region. Admins cannot demote themselves (someone must stay admin)."""
    _check(user.email, role, None)
    if user.id == acting.id and role != Role.ADMIN:
        raise OwnAccount()
    before = user_snapshot(user)
    user.role = role
    user.sites = list(sites) if role == Role.STAFF else []
    user.region = region if role == Role.WORKER else None
    db.session.flush()
    old, new = audit.changed(before, user_snapshot(user))
    if new:
        audit.record("user.update", "user", user.id, before=old, after=new)
    return user


def set_active(user: User, active: bool, acting: User) -> User:
    """Disable or enable an account. A disabled user cannot log in and their sessions end at once."""
    if user.id == acting.id and not active:
        raise OwnAccount()
    if user.active != active:
        user.active = active
        if not active:
            user.session_version = (user.session_version or 0) + 1
        db.session.flush()
        audit.record(
            "user.enable" if active else "user.disable",
            "user",
            user.id,
            before={"active": not active},
            after={"active": active},
        )
    return user


def reset_password(user: User, password: str) -> User:
    """Set a new password. The session id carries a key of the hash, so every other session ends."""
    _check(user.email, user.role, password)
    user.set_password(password)
    db.session.flush()
    audit.record("user.password", "user", user.id)
    return user


def save_user(email: str, role: str, password: str, site_slugs=()) -> tuple[User, bool]:
    """Create the user, or update role, password and sites of an existing one (the CLI's command)."""
    email = normalize_email(email)
    _check(email, role, password)
    sites = []
    for slug in site_slugs:
        site = db.session.scalar(sa.select(Site).where(Site.slug == slug))
        if site is None:
            raise AccountError(f"No site with slug {slug!r}.")
        sites.append(site)
    user = find_user(email)
    if user is None:
        return create_user(email, role, password, sites), True
    before = user_snapshot(user)
    user.role = role
    user.active = True
    if role == Role.STAFF:
        user.sites.extend([site for site in sites if site not in user.sites])
    else:
        user.sites = []
    user.set_password(password)
    db.session.flush()
    old, new = audit.changed(before, user_snapshot(user))
    if new:
        audit.record("user.update", "user", user.id, before=old, after=new)
    audit.record("user.password", "user", user.id)
    return user, False
