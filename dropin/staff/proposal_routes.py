"""Partners' proposals waiting at a site, /staff/<site>/proposals: approve or reject."""

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import format_date
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from dropin.auth.access import is_admin, my_sites, plannable_site, staff_only
from dropin.forms import ButtonForm
from dropin.lookup import get_or_404
from dropin.models import Proposal
from dropin.staff import bp, proposal_review
from dropin.staff.service import DayClosed
from dropin.transactions import Outcome, attempt


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


# What staff read when a decision is refused, and how loudly.
REFUSALS = {
    proposal_review.ProposalDecided: (_l("Ehdotus on jo käsitelty."), "warning"),
    proposal_review.ProposalInPast: (_l("Ehdotettu päivä on jo mennyt. Ehdotuksen voi vain hylätä."), "error"),
    DayClosed: (_l("Päivä on jo suljettu. Vain ylläpitäjä voi lisätä siihen tehtävän."), "error"),
}


def _decide(site: str, proposal_id: int, decision) -> Outcome:
    """Load the site's proposal, apply `decision` to it and commit, or flash why it was refused."""
    proposal = get_or_404(Proposal, proposal_id, site=plannable_site(site))
    if not ButtonForm().validate_on_submit():
        abort(400)
    decided = attempt(lambda: decision(proposal), *REFUSALS)
    if decided.refused:
        message, category = REFUSALS[type(decided.refused)]
        flash(str(message), category)
    return decided


@bp.post("/<site>/proposals/<id:proposal_id>/approve")
@staff_only
def approve_proposal(site, proposal_id):
    approved = _decide(
        site, proposal_id, lambda p: proposal_review.approve_proposal(p, current_user.id, admin=is_admin())
    )
    if approved.refused is None:
        day = format_date(approved.result.date, "d.M.yyyy")
        flash(_("Hyväksytty. Tehtävä on nyt päivässä %(day)s.", day=day), "success")
    return redirect(url_for(".proposals", site=site))


@bp.post("/<site>/proposals/<id:proposal_id>/reject")
@staff_only
def reject_proposal(site, proposal_id):
    if _decide(site, proposal_id, lambda p: proposal_review.reject_proposal(p, current_user.id)).refused is None:
        flash(_("Ehdotus hylätty."), "success")
    return redirect(url_for(".proposals", site=site))
