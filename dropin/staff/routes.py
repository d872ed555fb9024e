"""The staff home: which site to plan."""

from flask import redirect, render_template, url_for

from dropin.auth.access import my_sites, staff_only
from dropin.staff import bp


@bp.get("/")
@staff_only
def index():
    sites = my_sites()
    if len(sites) == 1:
        return redirect(url_for(".day", site=sites[0].slug))
    return render_template("staff/index.html", sites=sites)
