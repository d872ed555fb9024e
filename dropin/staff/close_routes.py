"""Closing the day, reopening today's, and the printable poster of its tasks."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from dropin.auth.access import is_admin, plannable_site, staff_only
from dropin.claims.refusals import Availability
from dropin.forms import ButtonForm
from dropin.models.task import TaskStatus
from dropin.qr import qr_data_uri
from dropin.routing import public_url
from dropin.sites import day_rows
from dropin.staff import bp, service
from dropin.staff.closing import earlier_figures, participants_prefill, unfinished_tasks
from dropin.staff.days import day_or_404, flash_day_closed
from dropin.staff.forms import CloseDayForm, CloseTaskForm
from dropin.transactions import attempt


def _task_forms(live, formdata):
    """One prefixed sub-form per task that was not cancelled, prefilled (closing.participants_prefill)."""
    rows = [row for row in live if row.task.status != TaskStatus.CANCELLED]
    prefill = participants_prefill([row.task for row in rows])
    data = {row.task.id: {"participants": prefill[row.task.id], "outcome": row.task.outcome_amount} for row in rows}
    return [(row, CloseTaskForm(formdata=formdata, prefix=f"t{row.task.id}", data=data[row.task.id])) for row in rows]


def _results(task_forms) -> dict[int, service.TaskResult]:
    return {
        row.task.id: service.TaskResult(
            f.participants.data, float(f.outcome.data) if f.outcome.data is not None else None
        )
        for row, f in task_forms
    }


@bp.route("/<site>/day/<day>/close", methods=["GET", "POST"])
@staff_only
def close_day(site, day):
    site_obj = plannable_site(site)
    the_day = day_or_404(day, site_obj)
    state = service.day_state(site_obj, the_day, is_admin())
    if not state.closable:
        if state.future:
            flash(_("Päivän voi sulkea vasta, kun se on alkanut."), "error")
        else:
            flash_day_closed()
        return redirect(url_for(".day", site=site, day=the_day.isoformat()))
    live = day_rows(site_obj, the_day)
    formdata = request.form if request.method == "POST" else None
    form = CloseDayForm(obj=earlier_figures(site_obj, the_day))
    task_forms = _task_forms(live, formdata)
    if form.validate_on_submit() and all(f.validate() for _row, f in task_forms):
        closed = attempt(
            lambda: service.close_day(
                site_obj,
                the_day,
                _results(task_forms),
                form.meals_participants.data,
                form.meals_others.data,
                (form.note.data or "").strip(),
                current_user.id,
                admin=is_admin(),
                confirm_unfinished=form.confirm_unfinished.data,
            ),
            service.DayClosed,
            service.TasksUnfinished,
        )
        if isinstance(closed.refused, service.TasksUnfinished):
            form.confirm_unfinished.errors = [_("Päivää ei suljettu. Rastita kohta, jos haluat sulkea sen silti.")]
        elif closed.refused:  # closed by a colleague a moment ago
            flash_day_closed()
            return redirect(url_for(".day", site=site, day=the_day.isoformat()))
        else:
            flash(_("Päivä suljettu. Kiitos!"), "success")
            return redirect(url_for(".day", site=site, day=the_day.isoformat()))
    status = 400 if request.method == "POST" else 200
    return render_template(
        "staff/close.html",
        site=site_obj,
        day=the_day,
        form=form,
        task_forms=task_forms,
        unfinished=unfinished_tasks(site_obj, the_day),
    ), status


@bp.post("/<site>/day/<day>/reopen")
@staff_only
def reopen_day(site, day):
    site_obj = plannable_site(site)
    the_day = day_or_404(day, site_obj)
    if not ButtonForm().validate_on_submit():
        abort(400)
    reopened = attempt(lambda: service.reopen_day(site_obj, the_day), service.NotReopenable)
    if reopened.refused is None:
        flash(_("Päivä avattu uudelleen. Tehtävät näkyvät taas kävijöille."), "success")
    elif service.day_state(site_obj, the_day).closed:
        flash(_("Vain tämän päivän voi avata uudelleen."), "error")
    else:  # a colleague reopened it a moment ago
        flash(_("Päivä on jo auki."), "success")
    return redirect(url_for(".day", site=site, day=the_day.isoformat()))


@bp.get("/<site>/day/<day>/poster")
@staff_only
def poster(site, day):
    site_obj = plannable_site(site)
    the_day = day_or_404(day, site_obj)
    # Printed on the day itself, the poster offers only what can still be joined or is still running.
    over = {Availability.ENDED} if the_day == site_obj.today() else set()
    cards = [
        row for row in day_rows(site_obj, the_day) if row.task.status != TaskStatus.CANCELLED and row.state not in over
    ]
    # Printed and read by phones outside: DROPIN_PUBLIC_URL when set, not the printing browser's Host.
    board_url = public_url("kiosk.board", site=site_obj.slug)
    return render_template(
        "staff/poster.html",
        site=site_obj,
        day=the_day,
        cards=cards,
        board_address=board_url.split("://", 1)[-1],  # printed under the QR for those without a camera
        qr=qr_data_uri(board_url),
    )
