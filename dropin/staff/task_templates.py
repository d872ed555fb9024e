"""A site's recurring tasks ("templates"): each is posted as a task on its weekdays. Functions flush, never commit."""

import sqlalchemy as sa
import sqlalchemy.orm as so

from dropin import audit
from dropin.extensions import db
from dropin.models import Site, TaskTemplate
from dropin.staff.service import TASK_FIELDS

TEMPLATE_FIELDS = TASK_FIELDS + ("weekdays", "paused")


def templates_of(site: Site) -> tuple[list[TaskTemplate], list[TaskTemplate]]:
    """The site's running templates and its paused ones, by start time."""
    templates = db.session.scalars(
        sa.select(TaskTemplate)
        .where(TaskTemplate.site_id == site.id)
        .options(so.joinedload(TaskTemplate.partner))
        .order_by(TaskTemplate.start_time, TaskTemplate.title)
    ).all()
    return [t for t in templates if not t.paused], [t for t in templates if t.paused]


def create_template(site: Site, values: dict) -> TaskTemplate:
    template = TaskTemplate(site=site, **values)
    db.session.add(template)
    db.session.flush()
    audit.record("template.create", "template", template.id, site.id, after=audit.snapshot(template, TEMPLATE_FIELDS))
    return template


def update_template(template: TaskTemplate, values: dict) -> TaskTemplate:
    audit.update(template, values, TEMPLATE_FIELDS, "template.update", "template", template.site_id)
    return template


def set_paused(template: TaskTemplate, paused: bool) -> bool:
    """Pause a template for a season, or resume it. False if nothing changed."""
    if template.paused == paused:
        return False
    template.paused = paused
    db.session.flush()
    audit.record(
        "template.pause" if paused else "template.resume",
        "template",
        template.id,
        template.site_id,
        before={"paused": not paused},
        after={"paused": paused},
    )
    return True
