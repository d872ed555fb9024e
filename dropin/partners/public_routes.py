"""The partner's own form at /p/<token>: no account, the secret link is the key. No contact data shown."""

from flask import abort, current_app, redirect, render_template, request, url_for

from dropin.claims.service import hash_token
from dropin.extensions import db, limiter
from dropin.partners import bp
from dropin.partners.forms import ProposalForm, proposal_values
from dropin.partners.service import find_link, submit_proposal


def _rate_limit() -> str:
    return current_app.config["PROPOSAL_RATE_LIMIT"]


def _link_key() -> str:
    # Per link, whoever uses it; a hash, so the limiter's storage never holds a working token.
    return "proposal-link:" + hash_token((request.view_args or {}).get("token", ""))[:32]


def _link_or_404(token: str):
    link = find_link(token)
    if link is None:
        abort(404)
    return link


@bp.route("/p/<token>", methods=["GET", "POST"])
@limiter.limit(_rate_limit, key_func=_link_key, methods=["POST"])
def propose(token):
    link = _link_or_404(token)
    form = ProposalForm(today=link.site.today())
    if form.validate_on_submit():
        submit_proposal(link, proposal_values(form))
        db.session.commit()
        return redirect(url_for(".proposal_sent", token=token), 303)
    status = 400 if request.method == "POST" else 200
    return render_template("partners/propose.html", link=link, site=link.site, partner=link.partner, form=form), status


@bp.get("/p/<token>/thanks")
def proposal_sent(token):
    link = _link_or_404(token)
    return render_template("partners/proposal_sent.html", site=link.site, partner=link.partner, token=token)
