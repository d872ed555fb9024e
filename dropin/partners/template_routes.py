"""A site's recurring task templates at /staff/<site>/templates: list, add, edit, pause for a season."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from dropin.auth.access import plannable_site
from dropin.extensions import db
from dropin.forms import ButtonForm
from dropin.models import TaskTemplate
from dropin.partners import bp, service
from dropin.partners.access import staff_only, template_of_site
from dropin.partners.forms import TemplateForm, template_values
from dropin.staff.options import partner_choices


def _form(template: TaskTemplate | None = None) -> TemplateForm:
    form = TemplateForm(obj=template)
    form.partner_id.choices = partner_choices(template.partner if template else None)
    return form


@bp.get("/staff/<site>/templates")
@staff_only
def templates(site):
    site_obj = plannable_site(site)
    running, paused = service.templates_of(site_obj)
    return render_template(
        "partners/templates.html", site=site_obj, running=running, paused=paused, button=ButtonForm()
    )


@bp.route("/staff/<site>/templates/new", methods=["GET", "POST"])
@staff_only
def new_template(site):
    site_obj = plannable_site(site)
    form = _form()
    if form.validate_on_submit():
        service.create_template(site_obj, template_values(form))
        db.session.commit()
        flash(_("Pohja lisätty. Sen tehtävät voi lisätä päivään päivän sivulta."), "success")
        return redirect(url_for(".templates", site=site))
    status = 400 if request.method == "POST" else 200
    return render_template("partners/template_form.html", site=site_obj, form=form, template=None), status


@bp.route("/staff/<site>/templates/<id:template_id>/edit", methods=["GET", "POST"])
@staff_only
def edit_template(site, template_id):
    site_obj = plannable_site(site)
    template = template_of_site(site_obj, template_id)
    form = _form(template)
    if form.validate_on_submit():
        service.update_template(template, template_values(form))
        db.session.commit()
        flash(_("Muutokset tallennettu. Ne näkyvät seuraavissa pohjista lisätyissä tehtävissä."), "success")
        return redirect(url_for(".templates", site=site))
    status = 400 if request.method == "POST" else 200
    return render_template("partners/template_form.html", site=site_obj, form=form, template=template), status


def _set_paused(site: str, template_id: int, paused: bool):
    site_obj = plannable_site(site)
    template = template_of_site(site_obj, template_id)
    if not ButtonForm().validate_on_submit():
        abort(400)
    if service.set_paused(template, paused):
        db.session.commit()
    flash(_("Pohja on tauolla. Sen tehtäviä ei lisätä päiviin.") if paused else _("Pohja on taas käytössä."), "success")
    return redirect(url_for(".templates", site=site))


@bp.post("/staff/<site>/templates/<id:template_id>/pause")
@staff_only
def pause_template(site, template_id):
    return _set_paused(site, template_id, True)


@bp.post("/staff/<site>/templates/<id:template_id>/resume")
@staff_only
def resume_template(site, template_id):
    return _set_paused(site, template_id, False)
