"""Closing the day, and the printable poster of its tasks."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from dropin.auth.access import is_admin
from dropin.extensions import db
from dropin.kiosk.service import day_board
from dropin.models.task import TASK_CANCELLED
from dropin.qr import qr_data_uri
from dropin.staff import bp, service
from dropin.staff.day_routes import _day, _site, staff_only
from dropin.staff.forms import CloseDayForm, CloseTaskForm


def _task_forms(live, formdata):
    """One prefixed sub-form per task that was not cancelled, prefilled from its active claims."""
    forms = []
    for row in live:
        if row.task.status == TASK_CANCELLED:
            continue
        data = {
            "participants": row.task.participants if row.task.participants is not None else row.active,
            "outcome": row.task.outcome_amount,
        }
        forms.append((row, CloseTaskForm(formdata=formdata, prefix=f"t{row.task.id}", data=data)))
    return forms


@bp.route("/<site>/day/<day>/close", methods=["GET", "POST"])
@staff_only
def close_day(site, day):
    site_obj = _site()
    the_day = _day(day, site_obj)
    if the_day > site_obj.today():
        flash(_("Päivän voi sulkea vasta, kun se on alkanut."), "error")
        return redirect(url_for(".day", site=site, day=the_day.isoformat()))
    record = service.day_record(site_obj, the_day)
    if record is not None and not is_admin():
        flash(_("Päivä on jo suljettu. Vain ylläpitäjä voi muuttaa sitä."), "error")
        return redirect(url_for(".day", site=site, day=the_day.isoformat()))
    live = service.live_day(site_obj, the_day)
    formdata = request.form if request.method == "POST" else None
    form = CloseDayForm(obj=record) if record else CloseDayForm()
    task_forms = _task_forms(live, formdata)
    if form.validate_on_submit() and all(f.validate() for _row, f in task_forms):
        results = {
            row.task.id: service.TaskResult(
                f.participants.data, float(f.outcome.data) if f.outcome.data is not None else None
            )
            for row, f in task_forms
        }
        try:
            service.close_day(
                site_obj,
                the_day,
                results,
                form.meals_participants.data,
                form.meals_others.data,
                (form.note.data or "").strip(),
                current_user.id,
                admin=is_admin(),
            )
        except service.DayClosed:
            db.session.rollback()
            flash(_("Päivä on jo suljettu. Vain ylläpitäjä voi muuttaa sitä."), "error")
            return redirect(url_for(".day", site=site, day=the_day.isoformat()))
        db.session.commit()
        flash(_("Päivä suljettu. Kiitos!"), "success")
        return redirect(url_for(".day", site=site, day=the_day.isoformat()))
    status = 400 if request.method == "POST" else 200
    return render_template(
        "staff/close.html", site=site_obj, day=the_day, form=form, task_forms=task_forms, record=record
    ), status


@bp.get("/<site>/day/<day>/poster")
@staff_only
def poster(site, day):
    site_obj = _site()
    the_day = _day(day, site_obj)
    cards = [c for c in day_board(site_obj, the_day) if c.task.status != TASK_CANCELLED]
    cards.sort(key=lambda c: (c.task.start_time, c.task.title))
    board_url = url_for("kiosk.board", site=site_obj.slug, _external=True)
    return render_template(
        "staff/poster.html", site=site_obj, day=the_day, cards=cards, board_url=board_url, qr=qr_data_uri(board_url)
    )
