"""Choices and form-to-model plumbing shared by the task and template forms."""

import sqlalchemy as sa
from flask_babel import gettext as _

from dropin.extensions import db
from dropin.forms import clean_text
from dropin.models import Partner

FORM_TASK_FIELDS = (
    "title",
    "title_sv",
    "title_en",
    "description",
    "description_sv",
    "description_en",
    "category",
    "place",
    "start_time",
    "end_time",
    "capacity",
    "bring",
    "provided",
    "physical_demand",
    "setting",
    "meal_included",
)


def partner_choices(current: Partner | None = None) -> list[tuple[int, str]]:
    """Active partners; an archived one stays selectable on what already names it (`current`)."""
    partners = db.session.scalars(sa.select(Partner).where(Partner.archived_at.is_(None)).order_by(Partner.name))
    choices = [(0, _("Ei kumppania"))] + [(p.id, p.name) for p in partners]
    if current is not None and current.id not in dict(choices):
        choices.append((current.id, current.name))
    return choices


def task_values(form) -> dict:
    """The model's values from a valid task or template form."""
    values = {name: clean_text(getattr(form, name).data) for name in FORM_TASK_FIELDS}
    values["description"] = values["description"] or ""
    values["partner_id"] = form.partner_id.data or None
    if hasattr(form, "date"):
        values["date"] = form.date.data
    return values
