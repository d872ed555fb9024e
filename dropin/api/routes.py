"""The JSON API for the kiosk's own script and partners' systems."""

import re
from datetime import date

import sqlalchemy as sa
import sqlalchemy.orm as so
from flask import current_app, g, request, url_for
from flask_babel import get_locale

from dropin import board_cache, board_polls
from dropin.api import bp
from dropin.api.auth import bearer_kiosk, kiosk_token_required
from dropin.api.openapi import openapi_document
from dropin.claims.limits import kiosk_claims_limit
from dropin.claims.links import phone_url
from dropin.claims.refusals import API_MESSAGES, CLAIM_CANCELLED, CLAIM_CANCELLED_MESSAGE, ClaimRefused
from dropin.claims.service import RetryKeyReused, claim_place, find_claim, release_claim, retry_token
from dropin.errors import error_response
from dropin.extensions import csrf, db
from dropin.models import Site, Task
from dropin.models.claim import ClaimSource, ClaimStatus
from dropin.regions.listing import regions_with_site_slugs
from dropin.sites import TaskRow, board_rows, find_site, task_row
from dropin.transactions import attempt

csrf.exempt(bp)  # bearer tokens, not cookies, authorise writes here

# A client's key for retrying a claim safely (a UUID is typical): visible ASCII, at most 255.
RETRY_KEY = re.compile(r"[!-~]{1,255}")


def _site_json(site: Site, today: date | None = None) -> dict:
    return {
        "slug": site.slug,
        "name": site.name,
        "timezone": site.timezone,
        "meal_time": site.meal_time.strftime("%H:%M") if site.meal_time else None,
        "today": (today or site.today()).isoformat(),
    }


def _task_json(card: TaskRow) -> dict:
    task, locale = card.task, str(get_locale())
    return {
        "id": task.id,
        "site": task.site.slug,
        "date": task.date.isoformat(),
        "title": task.localized("title", locale),
        "description": task.localized("description", locale),
        "category": task.category,
        "start_time": task.start_time.strftime("%H:%M"),
        "end_time": task.end_time.strftime("%H:%M"),
        "place": task.place,
        "partner": task.partner.name if task.partner else None,
        "capacity": task.capacity,
        "free": card.free,
        "status": task.status,
        "cancel_reason": task.cancel_reason,
        "meal_included": task.meal_included,
        "setting": task.setting,
        "physical_demand": task.physical_demand,
        "bring": task.bring,
        "provided": task.provided,
        "claimable": card.claimable,
    }


def _claim_json(claim, token: str) -> dict:
    return {
        "code": claim.code,
        "token": token,
        "status": claim.status,
        "phone_url": phone_url(token),
        "task": _task_json(task_row(claim.task)),
    }


def _claimed(task: Task, token: str | None) -> tuple[dict, str]:
    """Take the place and describe it while the transaction still holds what it read: no reload after commit."""
    claim, phone_token = claim_place(task, ClaimSource.KIOSK, token=token)
    return _claim_json(claim, phone_token), phone_token


@bp.errorhandler(429)
def too_many_claims(_error):
    """A kiosk over its claims limit, in English like every API message; Flask-Limiter adds Retry-After."""
    return error_response(429, "Too many claims from this kiosk. Wait a moment and try again.", "too_many_claims")


@bp.get("/openapi.json")
def openapi():
    return openapi_document()


@bp.get("/sites")
def sites():
    rows = db.session.scalars(sa.select(Site).order_by(Site.name))
    return {"sites": [_site_json(s) for s in rows]}


@bp.get("/regions")
def regions():
    rows = regions_with_site_slugs()
    return {"regions": [{"slug": region.slug, "name": region.name, "sites": slugs} for region, slugs in rows]}


@bp.get("/sites/<slug>/tasks")
def site_tasks(slug):
    site = find_site(slug)
    if site is None:
        return error_response(404, "No such site.")
    raw = request.args.get("date")
    try:
        day = date.fromisoformat(raw) if raw else None  # None: the site's today
    except ValueError:
        return error_response(400, "date must be YYYY-MM-DD.", "bad_date")
    showing = board_cache.showing(site, day)
    board_polls.made_from(showing)
    key = showing.key("api", str(get_locale()))
    etag = board_cache.etag(key)
    if request.if_none_match.contains_weak(etag):
        response = current_app.response_class(status=304)
    else:
        body = board_cache.cached(key, lambda: _site_tasks_json(site, showing))
        response = current_app.response_class(body, mimetype="application/json")
    response.set_etag(etag)
    return response


def _site_tasks_json(site: Site, showing: board_cache.Showing) -> str:
    """The body as Flask's jsonify writes it (compact, keys sorted), to keep and send again."""
    tasks = [_task_json(c) for c in board_rows(site, showing.day, showing.now)]
    body = {"site": _site_json(site, showing.today), "date": showing.day.isoformat(), "tasks": tasks}
    return current_app.json.dumps(body, separators=(",", ":")) + "\n"


@bp.post("/tasks/<id:task_id>/claims")
@kiosk_claims_limit(bearer_kiosk)
@kiosk_token_required
def create_claim(task_id):
    task = db.session.get(Task, task_id, options=[so.joinedload(Task.site), so.joinedload(Task.partner)])
    if task is None or task.site_id != g.kiosk.site_id:
        return error_response(404, "No such task at this kiosk's site.")
    key = request.headers.get("Idempotency-Key")
    if key is not None and not RETRY_KEY.fullmatch(key):
        return error_response(400, "Idempotency-Key must be 1 to 255 visible ASCII characters.", "bad_idempotency_key")
    token = retry_token(current_app.config["SECRET_KEY"], f"api:{g.kiosk.id}", key) if key is not None else None
    placed = attempt(lambda: _claimed(task, token), ClaimRefused, RetryKeyReused)
    if isinstance(placed.refused, RetryKeyReused):
        return error_response(422, "This Idempotency-Key was already used for another task.", "idempotency_key_reused")
    if placed.refused:
        return error_response(409, API_MESSAGES[placed.refused.reason], placed.refused.reason)
    body, phone_token = placed.result
    return body, 201, {"Location": url_for(".get_claim", token=phone_token)}


@bp.get("/claims/<token>")
def get_claim(token):
    claim = find_claim(token)
    if claim is None:
        return error_response(404, "No such claim.")
    return _claim_json(claim, token)


@bp.delete("/claims/<token>")
def delete_claim(token):
    claim = find_claim(token)
    if claim is None:
        return error_response(404, "No such active claim.")
    released = attempt(lambda: release_claim(claim), ClaimRefused)
    if released.refused:
        return error_response(409, API_MESSAGES[released.refused.reason], released.refused.reason)
    if released.result:
        return "", 204
    if claim.status == ClaimStatus.CANCELLED:  # staff cancelled it, perhaps a moment before this request
        return error_response(409, CLAIM_CANCELLED_MESSAGE, CLAIM_CANCELLED)
    return error_response(404, "No such active claim.")
