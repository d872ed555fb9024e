"""One module per aggregate; import them all so Alembic sees every table."""

from dropin.models.audit import AuditEvent
from dropin.models.claim import Claim
from dropin.models.day import DayRecord
from dropin.models.feedback import Feedback
from dropin.models.login_throttle import LoginThrottle
from dropin.models.partner import Partner
from dropin.models.proposal import PartnerLink, Proposal
from dropin.models.region import Region
from dropin.models.rollup import AllSitesRollup, DailyRollup, RolledUpDate, RolledUpDay
from dropin.models.site import Kiosk, Site
from dropin.models.task import Task
from dropin.models.template import TaskTemplate
from dropin.models.user import User

__all__ = [
    "AuditEvent",
    "Claim",
    "DailyRollup",
    "DayRecord",
    "Feedback",
    "Kiosk",
    "LoginThrottle",
    "Partner",
    "PartnerLink",
    "Proposal",
    "Region",
    "AllSitesRollup",
    "RolledUpDate",
    "RolledUpDay",
    "Site",
    "Task",
    "TaskTemplate",
    "User",
]
