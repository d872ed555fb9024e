"""The region's listing for anyone: /r/<region> (?embed=1 to frame it), tasks.ics and tasks.json."""

from flask import current_app, render_template, request

from dropin.regions import bp
from dropin.regions.feeds import ics_body, json_body, strong_etag
from dropin.regions.listing import find_region, region_listing, regions_with_site_slugs
from dropin.security import allow_framing, embeddable, frame_options_header

bp.after_request(frame_options_header)


class UnknownRegion(Exception):
    """The URL names no region."""


@bp.errorhandler(UnknownRegion)
def unknown_region(_error):
    if request.endpoint == "regions.tasks_json":
        return {"error": "not_found", "message": "No such region."}, 404
    regions = [region for region, _sites in regions_with_site_slugs()]
    return render_template("regions/not_found.html", regions=regions), 404


def _region(slug: str):
    region = find_region(slug)
    if region is None:
        raise UnknownRegion(slug)
    return region


def _feed_locale() -> str:
    # Only the query string chooses a feed's language: the session never does, so a feed is one for all.
    asked = request.args.get("lang")
    return asked if asked in current_app.config["LANGUAGES"] else current_app.config["BABEL_DEFAULT_LOCALE"]


def _feed(body: bytes, mimetype: str):
    response = current_app.response_class(body, mimetype=mimetype)
    response.set_etag(strong_etag(body))
    # A shared cache may keep a feed for a minute: it is the same for everyone and holds nothing
    # about visitors (no claims, codes or tokens), and free places a minute old harm nobody.
    response.headers["Cache-Control"] = "public, max-age=60"
    return response.make_conditional(request)


@bp.get("/<region>")
@embeddable
def listing(region):
    found = _region(region)
    embed = request.args.get("embed") == "1"
    if embed:
        allow_framing(found.origins)
    return render_template("regions/listing.html", listing=region_listing(found), embed=embed)


@bp.get("/<region>/tasks.ics")
def tasks_ics(region):
    found = _region(region)
    body = ics_body(region_listing(found), _feed_locale(), request.host.partition(":")[0])
    return _feed(body, "text/calendar")


@bp.get("/<region>/tasks.json")
def tasks_json(region):
    found = _region(region)
    return _feed(json_body(region_listing(found), _feed_locale()), "application/json")
