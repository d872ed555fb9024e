"""The audit log: newest first, 50 a page, filters in the query string so a view can be bookmarked."""

from flask import current_app, render_template, request
from flask_babel import gettext as _

from dropin.admin import bp
from dropin.admin.audit_log import AuditFilter, audit_page, filter_options, sane_day
from dropin.admin.forms import AuditFilterForm, choices
from dropin.admin.labels import ACTIONS, ENTITIES


def _filter_form(options: dict) -> AuditFilterForm:
    form = AuditFilterForm(formdata=request.args)
    everything = [("", _("Kaikki"))]
    form.action.choices = choices(everything + [(a, ACTIONS.get(a, a)) for a in options["actions"]])
    form.entity.choices = choices(everything + [(e, ENTITIES.get(e, e)) for e in options["entities"]])
    form.user.choices = choices(everything + list(options["users"]))
    form.site.choices = choices(everything + list(options["sites"]))
    return form


def _dates_in_range(form: AuditFilterForm) -> bool:
    fine = True
    for field in (form.date_from, form.date_to):
        if not sane_day(field.data):
            field.errors = [*field.errors, _("Anna päivä vuosilta 2000–2099.")]
            fine = False
    return fine


FILTERS = ("action", "user", "site", "entity", "entity_id", "date_from", "date_to")


def _query_args() -> dict:
    """The filters that are set, as query parameters for the page links."""
    return {name: request.args[name] for name in FILTERS if request.args.get(name)}


@bp.get("/audit")
def audit():
    options = filter_options()
    form = _filter_form(options)
    valid = form.validate()
    if not (_dates_in_range(form) and valid):
        return render_template("admin/audit.html", form=form, rows=[], page=1, more=False, args={}), 400
    filters = AuditFilter(
        action=form.action.data or None,
        user_id=form.user.data,
        site_id=form.site.data,
        entity=form.entity.data or None,
        entity_id=form.entity_id.data,
        date_from=form.date_from.data,
        date_to=form.date_to.data,
    )
    page = form.page.data or 1
    rows, more = audit_page(filters, page, current_app.config["DROPIN_TIMEZONE"])
    return render_template(
        "admin/audit.html",
        form=form,
        rows=rows,
        page=page,
        more=more,
        args=_query_args(),
        filtered=filters != AuditFilter(),
    )
