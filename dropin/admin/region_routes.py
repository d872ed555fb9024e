"""Regions: list, add and edit (name, slug, the origins allowed to frame the listing)."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from dropin.admin import bp, regions
from dropin.admin.region_forms import RegionForm
from dropin.lookup import get_or_404
from dropin.models import Region
from dropin.transactions import attempt


def _render_form(form: RegionForm, region: Region | None):
    status = 400 if request.method == "POST" else 200
    return render_template("admin/region_form.html", form=form, region=region), status


def _slug_taken(form: RegionForm) -> None:
    form.slug.errors.append(_("Tämä osoitenimi on jo käytössä."))


@bp.get("/regions")
def regions_list():
    return render_template("admin/regions.html", rows=regions.regions_with_sites())


@bp.route("/regions/new", methods=["GET", "POST"])
def new_region():
    form = RegionForm()
    if form.validate_on_submit():
        added = attempt(lambda: regions.create_region(form.values()), regions.RegionSlugTaken)
        if added.refused is None:
            flash(_("Alue %(name)s lisätty.", name=added.result.name), "success")
            return redirect(url_for(".regions_list"))
        _slug_taken(form)
    return _render_form(form, None)


@bp.route("/regions/<id:region_id>/edit", methods=["GET", "POST"])
def edit_region(region_id):
    region = get_or_404(Region, region_id)
    form = RegionForm(obj=region)
    if form.validate_on_submit():
        if attempt(lambda: regions.update_region(region, form.values()), regions.RegionSlugTaken).refused:
            _slug_taken(form)
        else:
            flash(_("Muutokset tallennettu."), "success")
            return redirect(url_for(".regions_list"))
    return _render_form(form, region)
