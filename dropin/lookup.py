"""Loading what a URL or a form names: one get_or_404 for every model.

Unknown ids are a 404, and so is a row that belongs to another owner than the one the URL
names (`site=`, `partner=`): a user never learns that another site's row exists.
"""

from flask import abort

from dropin.extensions import db
from dropin.routing import MAX_ID


def get_or_404(model, ident: int, **owners):
    """The `model` row of that id, or 404. Each keyword names an owner the row must belong to:
    `get_or_404(Task, task_id, site=site)` also 404s when `task.site_id != site.id`."""
    # Ids may also come from form fields, which the URL converter does not bound.
    if not 0 < ident <= MAX_ID:
        abort(404)
    found = db.get_or_404(model, ident)
    for name, owner in owners.items():
        if getattr(found, f"{name}_id") != owner.id:
            abort(404)
    return found
