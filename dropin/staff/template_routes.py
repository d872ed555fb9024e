"""A site's recurring task templates at /staff/<site>/templates: list, add, edit, pause for a season."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from dropin.auth.access import plannable_site, staff_only
from dropin.extensions import db
from dropin.forms import ButtonForm
from dropin.lookup import get_or_404
from dropin.models import TaskTemplate
from dropin.staff import bp, task_templates
from dropin.staff.forms import TemplateForm, partner_choices, template_values


def _form(site, template: TaskTemplate | None = None) -> TemplateForm:
    form = TemplateForm(obj=template)
    form.partner_id.choices = partner_choices(site, template.partner if template else None)
    return form


@bp.get("/<site>/templates")
@staff_only
def templates(site):
    site_obj = plannable_site(site)
    running, paused = task_templates.templates_of(site_obj)
    return render_template("staff/templates.html", site=site_obj, running=running, paused=paused, button=ButtonForm())


def _save(site: str, template: TaskTemplate | None):
    """The template form, new or existing: save and go back to the list, or show the form again."""
    site_obj = plannable_site(site)
    form = _form(site_obj, template)
    if form.validate_on_submit():
        if template is None:
            task_templates.create_template(site_obj, template_values(form))
            flash(_("Pohja lisätty. Sen tehtävät voi lisätä päivään päivän sivulta."), "success")
        else:
            task_templates.update_template(template, template_values(form))
            flash(_("Muutokset tallennettu. Ne näkyvät seuraavissa pohjista lisätyissä tehtävissä."), "success")
        db.session.commit()
        return redirect(url_for(".templates", site=site))
    status = 400 if request.method == "POST" else 200
    return render_template("staff/template_form.html", site=site_obj, form=form, template=template), status


@bp.route("/<site>/templates/new", methods=["GET", "POST"])
@staff_only
def new_template(site):
    return _save(site, None)


@bp.route("/<site>/templates/<id:template_id>/edit", methods=["GET", "POST"])
@staff_only
def edit_template(site, template_id):
    return _save(site, get_or_404(TaskTemplate, template_id, site=plannable_site(site)))


def _set_paused(site: str, template_id: int, paused: bool):
    site_obj = plannable_site(site)
    template = get_or_404(TaskTemplate, template_id, site=site_obj)
    if not ButtonForm().validate_on_submit():
        abort(400)
    if task_templates.set_paused(template, paused):
        db.session.commit()
    flash(_("Pohja on tauolla. Sen tehtäviä ei lisätä päiviin.") if paused else _("Pohja on taas käytössä."), "success")
    return redirect(url_for(".templates", site=site))


@bp.post("/<site>/templates/<id:template_id>/pause")
@staff_only
def pause_template(site, template_id):
    return _set_paused(site, template_id, True)


@bp.post("/<site>/templates/<id:template_id>/resume")
@staff_only
def resume_template(site, template_id):
    return _set_paused(site, template_id, False)
