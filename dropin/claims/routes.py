"""The visitor's own page on their phone: /c/<token>. No login; the token is the key."""

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _

# The module, not its names: dropin.sites reads the claims rules, which load this package first.
from dropin import sites
from dropin.claims import bp
from dropin.claims.refusals import ClaimRefused
from dropin.claims.service import find_claim, release_claim
from dropin.forms import ButtonForm
from dropin.transactions import attempt


def _claim_or_404(token: str):
    claim = find_claim(token)
    if claim is None:
        abort(404)
    return claim


@bp.get("/c/<token>")
def show(token):
    claim = _claim_or_404(token)
    return render_template(
        "claims/show.html",
        claim=claim,
        card=sites.task_row(claim.task),
        meal=sites.meal_offered(claim.task),
        token=token,
    )


@bp.get("/c/<token>/release")
def confirm_release(token):
    claim = _claim_or_404(token)
    if not claim.active:
        return redirect(url_for(".show", token=token))
    return render_template("claims/release.html", claim=claim, token=token, form=ButtonForm())


@bp.post("/c/<token>/release")
def release(token):
    claim = _claim_or_404(token)
    # Cancelled by staff a moment earlier: release_claim changes nothing and the claim's page shows that.
    if ButtonForm().validate_on_submit() and attempt(lambda: release_claim(claim), ClaimRefused).refused:
        flash(_("Tehtävä on jo päättynyt, joten paikkaa ei tarvitse enää perua."), "warning")
    return redirect(url_for(".show", token=token))
