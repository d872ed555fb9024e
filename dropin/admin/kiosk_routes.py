"""Kiosks of a site: enroll, revoke, and new secrets (enrollment link and API token) for a reset browser."""

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _

from dropin.admin import bp, service
from dropin.admin.forms import KioskForm
from dropin.extensions import db
from dropin.forms import ButtonForm
from dropin.kiosks import Enrollment, enrollment_valid_until
from dropin.lookup import get_or_404
from dropin.models import Kiosk, Site
from dropin.models.base import utcnow
from dropin.qr import qr_data_uri
from dropin.routing import public_url


def enrollment_url(token: str) -> str:
    return public_url("kiosk.enroll", token=token)


@bp.context_processor
def _enrollment_times():
    # The site page tells until when each pending enrollment link works, or that it expired.
    return {"enrollment_until": enrollment_valid_until, "now_utc": utcnow()}


def _show_secrets(enrollment: Enrollment, reissued: bool = False):
    # Rendered straight from the POST, never stored: the page cannot be fetched again.
    kiosk = enrollment.kiosk
    url = enrollment_url(enrollment.enroll_token)
    return render_template(
        "admin/kiosk_secret.html",
        kiosk=kiosk,
        site=kiosk.site,
        url=url,
        api_token=enrollment.api_token,
        valid_until=enrollment_valid_until(kiosk),
        reissued=reissued,
        qr=qr_data_uri(url),
    )


@bp.post("/sites/<id:site_id>/kiosks")
def enroll(site_id):
    site = get_or_404(Site, site_id)
    form = KioskForm()
    if not form.validate_on_submit():
        return render_template(
            "admin/site.html", site=site, kiosks=service.kiosks_of(site), form=form, button=ButtonForm()
        ), 400
    enrollment = service.add_kiosk(site, form.name.data)
    db.session.commit()
    return _show_secrets(enrollment)


@bp.post("/kiosks/<id:kiosk_id>/revoke")
def revoke_kiosk(kiosk_id):
    kiosk = get_or_404(Kiosk, kiosk_id)
    service.revoke_kiosk(kiosk)
    db.session.commit()
    flash(_("Näyttö %(name)s poistettu käytöstä. Se ei enää voi ottaa paikkoja.", name=kiosk.name), "success")
    return redirect(url_for(".site", site_id=kiosk.site_id))


@bp.post("/kiosks/<id:kiosk_id>/reissue")
def reissue_kiosk(kiosk_id):
    kiosk = get_or_404(Kiosk, kiosk_id)
    try:
        enrollment = service.reissue_enrollment(kiosk)
    except service.KioskRevoked:
        flash(_("Näyttö on poistettu käytöstä. Lisää uusi näyttö."), "error")
        return redirect(url_for(".site", site_id=kiosk.site_id)), 303
    db.session.commit()
    return _show_secrets(enrollment, reissued=True)
