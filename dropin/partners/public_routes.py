"""The partner's own pages under /p/<token>: no account, the secret link is the key. No contact data shown.

/p/<token> is the partner's page (its tasks and what came of them), /p/<token>/propose the proposal
form (the old POST to /p/<token> still sends a proposal), /p/<token>/kiitos the printable season
page, and /p/new-link asks staff for a new link when the old one is lost or dead.
"""

import hashlib

from flask import current_app, redirect, render_template, request, url_for
from flask_babel import get_locale

from dropin.claims.service import hash_token
from dropin.extensions import db, limiter
from dropin.partners import bp, display, page
from dropin.partners.forms import LinkRequestForm, ProposalForm, proposal_values
from dropin.partners.link_requests import request_link
from dropin.partners.service import find_link, submit_proposal
from dropin.stats.formatting import threshold
from dropin.stats.tables import ANSWER_LABELS, QUESTION_LABELS


def _rate_limit() -> str:
    return current_app.config["PROPOSAL_RATE_LIMIT"]


def _link_request_limit() -> str:
    return current_app.config["PARTNER_LINK_REQUEST_RATE_LIMIT"]


def _link_key() -> str:
    # Per link, whoever uses it; a hash, so the limiter's storage never holds a working token.
    return "proposal-link:" + hash_token((request.view_args or {}).get("token", ""))[:32]


class LinkGone(Exception):
    """The token opens nothing: unknown, revoked, or its partner archived."""


@bp.errorhandler(LinkGone)
def link_gone(error):
    # A dead or revoked link says so calmly and points to asking for a new one.
    return render_template("partners/link_gone.html"), 404


def _link_or_404(token: str):
    link = find_link(token)
    if link is None:
        raise LinkGone()
    return link


def _propose(token: str):
    link = _link_or_404(token)
    form = ProposalForm(today=link.site.today())
    if form.validate_on_submit():
        submit_proposal(link, proposal_values(form))
        db.session.commit()
        return redirect(url_for(".proposal_sent", token=token), 303)
    status = 400 if request.method == "POST" else 200
    context = {"link": link, "site": link.site, "partner": link.partner, "form": form, "token": token}
    return render_template("partners/propose.html", **context), status


@bp.get("/p/<token>")
def partner_page(token):
    link = _link_or_404(token)
    partner, sites = link.partner, page.partner_sites(link.partner)
    today = link.site.today()
    found = page.proposals(partner)
    return render_template(
        "partners/page.html",
        token=token,
        partner=partner,
        sites=sites,
        upcoming=page.upcoming(partner, sites),
        cancelled=page.cancellations(partner, sites, today),
        proposals=found,
        approved=page.approved_tasks(found),
        season=page.season(partner, sites, today.year, threshold()),
    )


@bp.post("/p/<token>")
@limiter.limit(_rate_limit, key_func=_link_key, methods=["POST"])
def propose_here(token):
    """Proposal forms opened before the partner's page existed post here: they still work."""
    return _propose(token)


@bp.route("/p/<token>/propose", methods=["GET", "POST"])
@limiter.limit(_rate_limit, key_func=_link_key, methods=["POST"])
def propose(token):
    return _propose(token)


@bp.get("/p/<token>/live")
def live(token):
    """The upcoming tasks alone, for partner-live.js to swap in place; unchanged, a 304 with no body."""
    link = _link_or_404(token)
    html = render_template(
        "partners/_upcoming.html", upcoming=page.upcoming(link.partner, page.partner_sites(link.partner))
    )
    # The version of exactly what the list shows, whatever changed it (a claim, a cancellation, a new task).
    etag = hashlib.sha256(f"{get_locale()}\n{html}".encode()).hexdigest()[:32]
    if request.if_none_match.contains_weak(etag):
        response = current_app.response_class(status=304)
    else:
        response = current_app.response_class(html, mimetype="text/html")
    response.set_etag(etag)
    response.headers["Cache-Control"] = "private, no-cache"
    return response


@bp.get("/p/<token>/kiitos")
def thank_you(token):
    link = _link_or_404(token)
    sites = page.partner_sites(link.partner)
    season = page.season(link.partner, sites, link.site.today().year, threshold())
    return render_template("partners/kiitos.html", token=token, partner=link.partner, sites=sites, season=season)


@bp.get("/p/<token>/thanks")
def proposal_sent(token):
    link = _link_or_404(token)
    return render_template("partners/proposal_sent.html", site=link.site, partner=link.partner, token=token)


@bp.route("/p/new-link", methods=["GET", "POST"])
@limiter.limit(_link_request_limit, methods=["POST"])
def new_link_request():
    """Ask for the link again. Whatever address is typed, the answer is the same: nobody learns whose it is."""
    form = LinkRequestForm()
    if form.validate_on_submit():
        request_link(form.email.data)
        db.session.commit()
        return redirect(url_for(".link_requested"), 303)
    status = 400 if request.method == "POST" else 200
    return render_template("partners/link_request.html", form=form), status


@bp.get("/p/new-link/sent")
def link_requested():
    return render_template("partners/link_requested.html")


@bp.context_processor
def figures():
    return {
        "people": display.people,
        "amount": display.amount,
        "small_limit": threshold,
        "PAST_SHOWN": page.PAST_SHOWN,
        "ANSWER_LABELS": ANSWER_LABELS,
        "QUESTION_LABELS": QUESTION_LABELS,
    }
