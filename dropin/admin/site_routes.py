"""Sites: list, add and edit."""

import sqlalchemy as sa
from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from dropin.admin import bp, service
from dropin.admin.forms import KioskForm, SiteForm, choices, timezones
from dropin.extensions import db
from dropin.forms import ButtonForm
from dropin.lookup import get_or_404
from dropin.models import Region, Site
from dropin.transactions import attempt


def _site_form(site: Site | None = None) -> SiteForm:
    form = SiteForm(obj=site) if site else SiteForm()
    regions = db.session.scalars(sa.select(Region).order_by(Region.name, Region.id))
    form.region_id.choices = choices((region.id, region.name) for region in regions)
    return form


def _slug_taken(form: SiteForm) -> None:
    form.slug.errors.append(_("Tämä osoitenimi on jo käytössä."))


def _render_form(form: SiteForm, site: Site | None):
    status = 400 if request.method == "POST" else 200
    return render_template("admin/site_form.html", form=form, site=site, zones=sorted(timezones())), status


@bp.get("/sites")
def sites():
    return render_template("admin/sites.html", rows=service.sites_with_kiosks())


@bp.route("/sites/new", methods=["GET", "POST"])
def new_site():
    form = _site_form()
    if form.validate_on_submit():
        added = attempt(lambda: service.create_site(form.values()), service.SlugTaken)
        if added.refused is None:
            flash(_("Kohtaamispaikka %(name)s lisätty.", name=added.result.name), "success")
            return redirect(url_for(".site", site_id=added.result.id))
        _slug_taken(form)
    return _render_form(form, None)


@bp.route("/sites/<id:site_id>/edit", methods=["GET", "POST"])
def edit_site(site_id):
    site = get_or_404(Site, site_id)
    form = _site_form(site)
    if form.validate_on_submit():
        if attempt(lambda: service.update_site(site, form.values()), service.SlugTaken).refused:
            _slug_taken(form)
        else:
            flash(_("Muutokset tallennettu."), "success")
            return redirect(url_for(".site", site_id=site.id))
    return _render_form(form, site)


@bp.get("/sites/<id:site_id>")
def site(site_id):
    site_obj = get_or_404(Site, site_id)
    return render_template(
        "admin/site.html", site=site_obj, kiosks=service.kiosks_of(site_obj), form=KioskForm(), button=ButtonForm()
    )
