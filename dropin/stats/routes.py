"""/stats: the figures page, its CSV and XLSX exports and the printable funder report.

Project workers and admins only. Every view reads the same URL parameters, so a bookmark,
an export and the report of one view always show the same figures.
"""

from datetime import datetime
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask import Response, current_app, g, render_template, request, url_for

from dropin.auth.access import statistics_region, workers_only
from dropin.errors import error_response
from dropin.extensions import db
from dropin.models import Site
from dropin.stats import bp, charts, export, tables, totals
from dropin.stats.query import BadQuery, StatsQuery, parse_query, presets


def _today():
    return datetime.now(ZoneInfo(current_app.config["DROPIN_TIMEZONE"])).date()


def _scope() -> tuple[tuple[int, ...] | None, str | None]:
    """The site ids a project worker limited to a region may see and the region's name; (None, None): all."""
    if "stats_scope" not in g:
        region = statistics_region()
        ids = None
        if region is not None:
            ids = tuple(db.session.scalars(sa.select(Site.id).where(Site.region_id == region.id)))
        g.stats_scope = (ids, region.name if region else None)
    return g.stats_scope


def _choices() -> tuple[dict, dict]:
    return totals.choices(_scope()[0])


def _view(sites: dict, partners: dict) -> tables.StatsView:
    """The protected figures of the URL's query, within the user's scope. Raises BadQuery."""
    query = parse_query(request.args, sites, partners, _today(), *_scope())
    raw = totals.collect(query)
    if raw.rolled_up_now:
        _keep_rollups()
    return tables.build(query, raw, partners, sites={site.id: site for site in sites.values()})


def _keep_rollups() -> None:
    """Commit the days rolled up on the way. Nothing else changed, so the page's objects stay
    loaded instead of being read again one by one."""
    session = db.session()
    session.expire_on_commit = False
    try:
        session.commit()
    finally:
        session.expire_on_commit = True


def _presets(query: StatsQuery | None) -> list[tuple]:
    """(preset, its link keeping the other filters, whether it is the period shown)."""
    base = query.args() if query else {}
    return [
        (
            p,
            url_for(".index", **{**base, "from": p.start.isoformat(), "to": p.end.isoformat()}),
            query is not None and (p.start, p.end) == (query.start, query.end),
        )
        for p in presets(_today())
    ]


@bp.get("")
@workers_only
def index():
    sites, partners = _choices()
    try:
        view = _view(sites, partners)
    except BadQuery as error:
        return render_template(
            "stats/index.html",
            view=None,
            error=error.message,
            form=request.args,
            sites=sites.values(),
            partners=partners.values(),
            preset_links=_presets(None),
        ), 400
    return render_template(
        "stats/index.html",
        view=view,
        form=view.query.args(),
        charts=charts.page_charts(view),
        sites=sites.values(),
        partners=partners.values(),
        preset_links=_presets(view.query),
    )


def _exported(render, mimetype: str, extension: str):
    try:
        view = _view(*_choices())
    except BadQuery as error:
        return error_response(400, str(error.message))
    q = view.query
    name = f"dropin-tilastot-{q.start.isoformat()}-{q.end.isoformat()}.{extension}"
    return Response(
        render(view),
        mimetype=mimetype,
        headers={"Content-Disposition": f'attachment; filename="{name}"', "Cache-Control": "no-store"},
    )


@bp.get("/export.csv")
@workers_only
def export_csv():
    return _exported(export.to_csv, "text/csv; charset=utf-8", "csv")


@bp.get("/export.xlsx")
@workers_only
def export_xlsx():
    return _exported(export.to_xlsx, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx")


def _report_html(view: tables.StatsView) -> str:
    return render_template(
        "stats/report.html",
        view=view,
        charts=charts.report_charts(view),
        generated=datetime.now(ZoneInfo(current_app.config["DROPIN_TIMEZONE"])),
    )


@bp.get("/report")
@workers_only
def report():
    try:
        view = _view(*_choices())
    except BadQuery as error:
        return error_response(400, str(error.message))
    return _report_html(view)


@bp.get("/report.pdf")
@workers_only
def report_pdf():
    """The same report as one A4 PDF file, made on the server."""
    try:
        view = _view(*_choices())
    except BadQuery as error:
        return error_response(400, str(error.message))
    from dropin.stats import pdf  # WeasyPrint on first use: it weighs tens of MB in every server process

    q = view.query
    name = f"dropin-raportti-{q.start.isoformat()}-{q.end.isoformat()}.pdf"
    return Response(
        pdf.html_to_pdf(_report_html(view), current_app._get_current_object()),
        mimetype="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{name}"', "Cache-Control": "no-store"},
    )
