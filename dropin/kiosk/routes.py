"""The visitor's board on the shared touchscreen."""

import secrets

from flask import abort, current_app, g, redirect, render_template, request, session, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from itsdangerous import BadSignature, URLSafeTimedSerializer

from dropin import board_cache, board_polls
from dropin.claims.limits import kiosk_claims_limit
from dropin.claims.links import phone_url
from dropin.claims.refusals import ClaimRefused
from dropin.claims.service import RetryKeyReused, answer_first_time, claim_place, find_claim, retry_token
from dropin.errors import error_response
from dropin.extensions import db
from dropin.kiosk import bp
from dropin.kiosk.forms import FirstTimeForm, JoinForm
from dropin.kiosks import EnrollmentExpired, kiosk_cookie, load_site_and_kiosk, redeem_enrollment
from dropin.lookup import get_or_404
from dropin.models import Claim, Task
from dropin.models.claim import ClaimSource
from dropin.qr import qr_data_uri
from dropin.sites import board_day, task_row
from dropin.transactions import attempt

# The phone token of the claim just taken, kept only until the receipt shows its QR code once.
RECEIPT_KEY = "receipt"
# The claim of the receipt on the screen (its id: no key to anything), for the first-time answer.
RECEIPT_CLAIM_KEY = "receipt_claim"
# What a visitor leaves in the kiosk session: the receipt, the feedback flow, the language.
VISITOR_KEYS = (RECEIPT_KEY, RECEIPT_CLAIM_KEY, "feedback", "lang")

bp.url_value_preprocessor(load_site_and_kiosk)


def _showing():
    """The board of this request's site now, and whether this screen is an enrolled kiosk."""
    return board_cache.showing(g.site), g.kiosk is not None


def _render_tasks(template: str, showing, enrolled: bool, **context) -> str:
    day = board_day(g.site, showing.now)
    tasks_etag = board_cache.etag(showing.key("tasks", str(get_locale()), enrolled))
    return render_template(template, day=day, today=showing.today, enrolled=enrolled, tasks_etag=tasks_etag, **context)


@bp.get("/<site>")
def board(site):
    session.pop(RECEIPT_KEY, None)
    session.pop(RECEIPT_CLAIM_KEY, None)
    showing, enrolled = _showing()
    board_polls.made_from(showing)
    # The language links carry the query on: it is part of the page.
    key = showing.key("page", str(get_locale()), enrolled, tuple(sorted(request.args.items(multi=True))))
    body = board_cache.cached(key, lambda: _render_tasks("kiosk/board.html", showing, enrolled))
    return current_app.response_class(body, mimetype="text/html")


@bp.get("/<site>/board/tasks")
def board_tasks(site):
    """The board's task list alone, for kiosk.js to swap in place; unchanged, a 304 with no body."""
    showing, enrolled = _showing()
    board_polls.made_from(showing)
    key = showing.key("tasks", str(get_locale()), enrolled)
    etag = board_cache.etag(key)
    if request.if_none_match.contains_weak(etag):
        response = current_app.response_class(status=304)
    else:
        body = board_cache.cached(key, lambda: _render_tasks("kiosk/_board_tasks.html", showing, enrolled))
        response = current_app.response_class(body, mimetype="text/html")
    response.set_etag(etag)
    # Revalidated on every look (the ETag makes that cheap); never kept by a shared cache.
    response.headers["Cache-Control"] = "private, no-cache"
    return response


def _nonces() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="kiosk-join")


@bp.get("/<site>/tasks/<id:task_id>")
def details(site, task_id):
    card = task_row(get_or_404(Task, task_id, site=g.site))
    form = JoinForm(nonce=_nonces().dumps(secrets.token_urlsafe(16)))
    return render_template("kiosk/details.html", card=card, enrolled=g.kiosk is not None, form=form)


def _retry_token(nonce: str | None) -> str | None:
    """The claim's token for the join form's nonce; None without one. A nonce that is not ours or
    older than KIOSK_JOIN_SECONDS raises BadSignature: that page has waited too long to be trusted."""
    if not nonce:
        return None
    key = _nonces().loads(nonce, max_age=current_app.config["KIOSK_JOIN_SECONDS"])
    return retry_token(current_app.config["SECRET_KEY"], f"kiosk:{g.kiosk.id}", key)


@bp.errorhandler(429)
def wait_a_moment(_error):
    """This screen took places too fast: a calm word, then back to the board by itself."""
    return error_response(429, _("Hetki, odota vähän ja yritä uudelleen."))


@bp.post("/<site>/tasks/<id:task_id>/claim")
@kiosk_claims_limit(lambda: g.kiosk)
def claim(site, task_id):
    task = get_or_404(Task, task_id, site=g.site)
    if g.kiosk is None:
        abort(403)
    form = JoinForm()
    again = redirect(url_for(".details", site=site, task_id=task_id))
    if not form.validate_on_submit():
        return again
    try:
        token = _retry_token(form.nonce.data)
    except BadSignature:
        return again
    placed = attempt(lambda: claim_place(task, ClaimSource.KIOSK, token=token), ClaimRefused, RetryKeyReused)
    if placed.refused:  # the details page tells why
        return again
    _claim, token = placed.result
    session[RECEIPT_KEY] = token  # held only until the receipt is dismissed; the board forgets it
    return redirect(url_for(".receipt", site=site))


def _this_sites(claim: Claim | None) -> Claim | None:
    return claim if claim is not None and claim.task.site_id == g.site.id else None


def _receipt_claim() -> Claim | None:
    """The claim of the receipt on the screen, once its phone token has been shown and forgotten."""
    claim_id = session.get(RECEIPT_CLAIM_KEY)
    return _this_sites(db.session.get(Claim, claim_id)) if isinstance(claim_id, int) else None


@bp.get("/<site>/receipt")
def receipt(site):
    """The code, and the phone link as a QR code once: the session forgets the phone token here, so
    a reload (or the next visitor) sees the code without the link to the visitor's own page."""
    token = session.pop(RECEIPT_KEY, None)
    claim = _this_sites(find_claim(token)) if token else _receipt_claim()
    if claim is None:
        return redirect(url_for(".board", site=site))
    session[RECEIPT_CLAIM_KEY] = claim.id
    return render_template(
        "kiosk/receipt.html",
        claim=claim,
        qr=qr_data_uri(phone_url(token)) if token else None,
        form=FirstTimeForm(),
        seconds=current_app.config["KIOSK_RECEIPT_SECONDS"],
    )


@bp.post("/<site>/receipt/first-time")
def first_time(site):
    claim = _receipt_claim()
    form = FirstTimeForm()
    if claim is not None and form.validate_on_submit() and form.answer.data in ("yes", "no"):
        answer_first_time(claim, form.answer.data == "yes")
        db.session.commit()
    return redirect(url_for(".receipt", site=site, answered=1))


@bp.get("/<site>/done")
def done(site):
    """Back to the board for the next visitor, in Finnish, with nothing of the last one kept."""
    for key in VISITOR_KEYS:
        session.pop(key, None)
    return redirect(url_for(".board", site=site))


@bp.get("/enroll/<token>")
def enroll(token):
    try:
        kiosk = redeem_enrollment(token)
    except EnrollmentExpired:
        # 410: the link was real once; a calm page, not an error, for whoever holds the old QR code.
        return render_template("kiosk/enroll_expired.html"), 410
    if kiosk is None:
        abort(404)
    db.session.commit()
    response = redirect(url_for(".board", site=kiosk.site.slug))
    cfg = current_app.config
    response.set_cookie(
        cfg["KIOSK_COOKIE_NAME"],
        kiosk_cookie(kiosk, cfg["SECRET_KEY"]),
        max_age=cfg["KIOSK_COOKIE_DAYS"] * 86400,
        httponly=True,
        samesite="Lax",
        secure=cfg["SESSION_COOKIE_SECURE"],
    )
    return response
