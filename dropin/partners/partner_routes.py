"""Partners at /staff/partners: list, add, edit, archive, and their secret proposal links.

Staff see only their sites' partners (another site's partner is 404, contact data included);
admins see all and choose every partner's sites.
"""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from dropin.auth.access import my_sites, site_scope, staff_only
from dropin.extensions import db
from dropin.forms import ButtonForm
from dropin.lookup import get_or_404
from dropin.models import Partner, PartnerLink
from dropin.partners import bp, link_requests, service
from dropin.partners.forms import LinkForm, PartnerForm, partner_values
from dropin.qr import qr_data_uri
from dropin.routing import public_url
from dropin.transactions import attempt


def _name_taken(form: PartnerForm) -> None:
    form.name.errors.append(_("Tämän niminen kumppani on jo olemassa."))


def _my_partner(partner_id: int) -> Partner:
    """A partner of one of the current user's sites (an admin: any), else 404: its existence stays private."""
    partner = get_or_404(Partner, partner_id)
    if not service.may_see(partner, site_scope()):
        abort(404)
    return partner


def _partner_form(partner: Partner | None = None) -> PartnerForm:
    sites = my_sites()
    data = {"sites": [s.id for s in partner.sites if s in sites]} if partner and request.method == "GET" else None
    form = PartnerForm(obj=partner, data=data)
    form.sites.choices = [(s.id, s.name) for s in sites]
    return form


def _chosen_sites(form: PartnerForm) -> list:
    """The sites ticked on the form; with a single site to choose from, that site."""
    sites = my_sites()
    if len(sites) == 1:
        return sites
    return [s for s in sites if s.id in (form.sites.data or [])]


def _link_form(formdata=None) -> LinkForm:
    form = LinkForm(formdata=formdata)
    form.site_id.choices = [(s.id, s.name) for s in my_sites()]
    return form


def proposal_url(token: str) -> str:
    return public_url("partners.partner_page", token=token)


@bp.get("/staff/partners")
@staff_only
def index():
    active, archived = service.partners_by_state(site_scope())
    requests = [
        (waiting, [s for s in waiting.partner.sites if current_user.can_plan(s)])
        for waiting in link_requests.waiting_requests(site_scope())
    ]
    return render_template(
        "partners/index.html", active=active, archived=archived, requests=requests, button=ButtonForm()
    )


@bp.route("/staff/partners/new", methods=["GET", "POST"])
@staff_only
def new():
    form = _partner_form()
    if form.validate_on_submit():
        added = attempt(
            lambda: service.create_partner(partner_values(form), _chosen_sites(form), site_scope()),
            service.PartnerNameTaken,
        )
        if added.refused is None:
            flash(_("Kumppani lisätty."), "success")
            return redirect(url_for(".show", partner_id=added.result.id))
        _name_taken(form)
    status = 400 if request.method == "POST" else 200
    return render_template("partners/form.html", form=form, partner=None), status


@bp.get("/staff/partners/<id:partner_id>")
@staff_only
def show(partner_id):
    partner = _my_partner(partner_id)
    return render_template(
        "partners/show.html",
        partner=partner,
        links=service.links_of(partner, site_scope()),
        link_form=_link_form(),
        button=ButtonForm(),
        shared=service.shared_beyond(partner, site_scope()),
    )


@bp.route("/staff/partners/<id:partner_id>/edit", methods=["GET", "POST"])
@staff_only
def edit(partner_id):
    partner = _my_partner(partner_id)
    form = _partner_form(partner)
    if form.validate_on_submit():
        sites = _chosen_sites(form) if len(form.sites.choices) > 1 else None

        def save():
            return service.update_partner(partner, partner_values(form), sites, site_scope())

        if attempt(save, service.PartnerNameTaken).refused:
            _name_taken(form)
        else:
            flash(_("Muutokset tallennettu."), "success")
            return redirect(url_for(".show", partner_id=partner.id))
    status = 400 if request.method == "POST" else 200
    return render_template("partners/form.html", form=form, partner=partner), status


@bp.post("/staff/partners/<id:partner_id>/archive")
@staff_only
def archive(partner_id):
    partner = _my_partner(partner_id)
    if not ButtonForm().validate_on_submit():
        abort(400)
    if partner.archived_at is not None:
        return redirect(url_for(".show", partner_id=partner.id))
    if service.archive_for(partner, site_scope()):
        db.session.commit()
        flash(_("Kumppani arkistoitu. Sen tehtävät ja historia säilyvät."), "success")
        return redirect(url_for(".show", partner_id=partner.id))
    # Another site still works with it: only this user's sites let it go.
    db.session.commit()
    flash(_("Kumppani poistettu kohtaamispaikkasi kumppaneista. Muut kohtaamispaikat käyttävät sitä yhä."), "success")
    return redirect(url_for(".index"))


@bp.post("/staff/partners/<id:partner_id>/unarchive")
@staff_only
def unarchive(partner_id):
    partner = _my_partner(partner_id)
    if not ButtonForm().validate_on_submit():
        abort(400)
    if service.set_archived(partner, False):
        db.session.commit()
    flash(_("Kumppani palautettu käyttöön."), "success")
    return redirect(url_for(".show", partner_id=partner.id))


@bp.post("/staff/partners/<id:partner_id>/links")
@staff_only
def new_link(partner_id):
    partner = _my_partner(partner_id)
    form = _link_form(request.form)
    if partner.archived_at is not None or not form.validate_on_submit():
        flash(
            _("Valitse kohtaamispaikka, jolle linkki tehdään.")
            if partner.archived_at is None
            else _("Arkistoidulle kumppanille ei voi tehdä linkkiä."),
            "error",
        )
        return render_template(
            "partners/show.html",
            partner=partner,
            links=service.links_of(partner, site_scope()),
            link_form=form,
            button=ButtonForm(),
        ), 400
    site = next(s for s in my_sites() if s.id == form.site_id.data)
    created = service.create_link(partner, site)
    db.session.commit()
    url = proposal_url(created.token)
    # Shown once, never stored: the page must not be cached or offered again.
    return render_template(
        "partners/link_created.html", partner=partner, link=created.link, url=url, qr=qr_data_uri(url)
    )


@bp.post("/staff/partners/<id:partner_id>/links/<id:link_id>/revoke")
@staff_only
def revoke_link(partner_id, link_id):
    partner = _my_partner(partner_id)
    link = get_or_404(PartnerLink, link_id, partner=partner)
    if not current_user.can_plan(link.site):
        abort(403)
    if not ButtonForm().validate_on_submit():
        abort(400)
    if service.revoke_link(link):
        db.session.commit()
    flash(_("Linkki poistettu käytöstä. Sillä ei voi enää ehdottaa tehtäviä."), "success")
    return redirect(url_for(".show", partner_id=partner.id))
