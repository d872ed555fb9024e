"""Partners' proposals waiting at a site, /staff/<site>/proposals: approve or reject."""

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import format_date
from flask_babel import gettext as _
from flask_login import current_user

from dropin.auth.access import is_admin, my_sites, plannable_site, staff_only
from dropin.extensions import db
from dropin.forms import ButtonForm
from dropin.lookup import get_or_404
from dropin.models import Proposal
from dropin.staff import bp, proposal_review
from dropin.staff.service import DayClosed


@bp.get("/planning")
@staff_only
def planning():
    """The menu's way in: one site goes straight to its proposals (when any wait) or templates."""
    sites = my_sites()
    counts = proposal_review.pending_per_site([s.id for s in sites])
    if len(sites) == 1:
        site = sites[0]
        endpoint = ".proposals" if counts[site.id] else ".templates"
        return redirect(url_for(endpoint, site=site.slug))
    return render_template("staff/planning.html", sites=sites, counts=counts)


@bp.get("/<site>/proposals")
@staff_only
def proposals(site):
    site_obj = plannable_site(site)
    return render_template(
        "staff/proposals.html",
        site=site_obj,
        today=site_obj.today(),
        pending=proposal_review.pending_proposals(site_obj),
        recent=proposal_review.recent_decisions(site_obj),
        button=ButtonForm(),
    )


@bp.post("/<site>/proposals/<id:proposal_id>/approve")
@staff_only
def approve_proposal(site, proposal_id):
    site_obj = plannable_site(site)
    proposal = get_or_404(Proposal, proposal_id, site=site_obj)
    if not ButtonForm().validate_on_submit():
        abort(400)
    try:
        task = proposal_review.approve_proposal(proposal, current_user.id, admin=is_admin())
    except proposal_review.ProposalDecided:
        db.session.rollback()
        flash(_("Ehdotus on jo käsitelty."), "warning")
    except proposal_review.ProposalInPast:
        db.session.rollback()
        flash(_("Ehdotettu päivä on jo mennyt. Ehdotuksen voi vain hylätä."), "error")
    except DayClosed:
        db.session.rollback()
        flash(_("Päivä on jo suljettu. Vain ylläpitäjä voi lisätä siihen tehtävän."), "error")
    else:
        db.session.commit()
        flash(_("Hyväksytty. Tehtävä on nyt päivässä %(day)s.", day=format_date(task.date, "d.M.yyyy")), "success")
    return redirect(url_for(".proposals", site=site))


@bp.post("/<site>/proposals/<id:proposal_id>/reject")
@staff_only
def reject_proposal(site, proposal_id):
    site_obj = plannable_site(site)
    proposal = get_or_404(Proposal, proposal_id, site=site_obj)
    if not ButtonForm().validate_on_submit():
        abort(400)
    try:
        proposal_review.reject_proposal(proposal, current_user.id)
    except proposal_review.ProposalDecided:
        db.session.rollback()
        flash(_("Ehdotus on jo käsitelty."), "warning")
    else:
        db.session.commit()
        flash(_("Ehdotus hylätty."), "success")
    return redirect(url_for(".proposals", site=site))
