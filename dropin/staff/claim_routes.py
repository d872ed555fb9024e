"""The receipt's code at the desk: /staff/<site>/claims/<code>, with arrived and release buttons.

Every button posts, changes one claim through `claim_desk` and redirects back to the code's page
(post/redirect/get), so a reload never repeats it.
"""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from dropin.auth.access import plannable_site, staff_only
from dropin.claims.refusals import STAFF_MESSAGES, ClaimRefused
from dropin.forms import ButtonForm
from dropin.staff import bp, claim_desk
from dropin.staff.days import flash_day_closed
from dropin.staff.service import DayClosed
from dropin.transactions import attempt


def _not_found(site, typed: str):
    return render_template("staff/claim_not_found.html", site=site, code=typed), 404


@bp.get("/<site>/claims/")
@staff_only
def claim_lookup(site):
    """The day page's code field sends here; the code's own page has a clean address."""
    site_obj = plannable_site(site)
    typed = request.args.get("code", "")
    code = claim_desk.normalize_code(typed)
    if code is None:
        return _not_found(site_obj, typed[:40])
    return redirect(url_for(".claim_code", site=site, code=code))


@bp.get("/<site>/claims/<code>")
@staff_only
def claim_code(site, code):
    site_obj = plannable_site(site)
    found = claim_desk.find_claims(site_obj, code)
    if not found:
        return _not_found(site_obj, code[:40])
    return render_template(
        "staff/claim.html",
        site=site_obj,
        code=claim_desk.normalize_code(code),
        found=[claim_desk.desk_claim(claim) for claim in found],
        button=ButtonForm(),
    )


def _act(site: str, code: str, claim_id: int, change, done: str, unchanged: str):
    """Run one desk change on the code's claim and go back to the code's page with what happened."""
    site_obj = plannable_site(site)
    claim = claim_desk.claim_at_desk(site_obj, code, claim_id)
    if claim is None:
        abort(404)
    if not ButtonForm().validate_on_submit():
        abort(400)
    outcome = attempt(lambda: change(claim), DayClosed, claim_desk.PlaceNotHeld, ClaimRefused)
    if isinstance(outcome.refused, DayClosed):
        flash_day_closed()
    elif isinstance(outcome.refused, claim_desk.PlaceNotHeld):
        flash(_("Paikka on jo vapautettu tai peruttu."), "error")
    elif isinstance(outcome.refused, ClaimRefused):
        flash(str(STAFF_MESSAGES[outcome.refused.reason]), "error")
    else:
        flash(done if outcome.result else unchanged, "success")
    return redirect(url_for(".claim_code", site=site, code=claim.code), 303)


@bp.post("/<site>/claims/<code>/<id:claim_id>/arrived")
@staff_only
def claim_arrived(site, code, claim_id):
    return _act(
        site, code, claim_id, claim_desk.mark_arrived, _("Merkitty saapuneeksi."), _("Saapuminen oli jo merkitty.")
    )


@bp.post("/<site>/claims/<code>/<id:claim_id>/not-arrived")
@staff_only
def claim_not_arrived(site, code, claim_id):
    return _act(
        site,
        code,
        claim_id,
        claim_desk.undo_arrival,
        _("Saapumismerkintä poistettu."),
        _("Saapumista ei ollut merkitty."),
    )


@bp.post("/<site>/claims/<code>/<id:claim_id>/release")
@staff_only
def claim_release(site, code, claim_id):
    return _act(
        site,
        code,
        claim_id,
        claim_desk.release_for_visitor,
        _("Paikka vapautettu. Joku muu voi nyt ottaa sen."),
        _("Paikka oli jo vapautettu."),
    )
