"""Creating and updating user accounts (used by the CLI and the admin pages)."""
import sqlalchemy as sa

from dropin.extensions import db
from dropin.models import Site, User
from dropin.models.user import ROLES

MIN_PASSWORD = 10


class AccountError(ValueError):
    pass


def save_user(email: str, role: str, password: str, site_slugs=()) -> tuple[User, bool]:
    """Create the user, or update role, password and sites of an existing one."""
    email = email.strip().lower()
    if "@" not in email or len(email) > 200:
        raise AccountError("Give a valid e-mail address.")
    if role not in ROLES:
        raise AccountError(f"Role must be one of {', '.join(ROLES)}.")
    if len(password) < MIN_PASSWORD:
        raise AccountError(f"The password must be at least {MIN_PASSWORD} characters.")
    sites = []
    for slug in site_slugs:
        site = db.session.scalar(sa.select(Site).where(Site.slug == slug))
        if site is None:
            raise AccountError(f"No site with slug {slug!r}.")
        sites.append(site)
    user = db.session.scalar(sa.select(User).where(User.email == email))
    created = user is None
    if created:
        user = User(email=email, role=role)
        db.session.add(user)
    user.role = role
    user.active = True
    user.set_password(password)
    for site in sites:
        if site not in user.sites:
            user.sites.append(site)
    db.session.flush()
    return user, created
