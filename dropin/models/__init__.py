"""One module per aggregate; import them all so Alembic sees every table."""
from dropin.models.claim import Claim
from dropin.models.partner import Partner
from dropin.models.site import Kiosk, Site
from dropin.models.task import Task
from dropin.models.user import User

__all__ = ["Claim", "Kiosk", "Partner", "Site", "Task", "User"]
