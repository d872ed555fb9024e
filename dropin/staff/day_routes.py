"""The day planner: /staff/<site>/day/<date>. Views read input, call one service, render or redirect."""

from flask import abort, flash, jsonify, redirect, render_template, request, session, url_for
from flask_babel import gettext as _

from dropin.auth.access import is_admin, plannable_site, staff_only
from dropin.claims.links import phone_url
from dropin.claims.refusals import STAFF_MESSAGES, Availability, ClaimRefused, TaskFull
from dropin.claims.service import find_claim
from dropin.forms import ButtonForm
from dropin.lookup import get_or_404
from dropin.models import Task
from dropin.qr import qr_data_uri
from dropin.sites import TaskRow, day_rows, task_row
from dropin.staff import bp, service
from dropin.staff.days import day_or_404, flash_day_closed
from dropin.staff.forms import (
    CancelForm,
    CopyDayForm,
    TaskForm,
    WalkInForm,
    partner_choices,
    task_values,
    unsaved_changes,
)
from dropin.transactions import attempt

# The last walk-in's phone token, so its page survives a reload without taking a second place.
WALK_IN_KEY = "walk_in"

# Posting or copying tasks: the day was closed, or a double tap posted them a moment earlier.
DAY_REFUSALS = (service.DayClosed, service.AlreadyPosted)


def places_over(row: TaskRow) -> int:
    """Active places beyond the capacity: walk-ins staff added to a full task."""
    return max(row.taken - row.task.capacity, 0)


@bp.get("/<site>/day/")
@bp.get("/<site>/day/<day>")
@staff_only
def day(site, day=None):
    site_obj = plannable_site(site)
    the_day = day_or_404(day, site_obj)
    return render_template(
        "staff/day.html",
        site=site_obj,
        day=the_day,
        live=day_rows(site_obj, the_day),
        state=service.day_state(site_obj, the_day, is_admin()),
        due=service.due_templates(site_obj, the_day),
        button=ButtonForm(),
        copy_form=CopyDayForm(),
        places_over=places_over,
    )


@bp.get("/<site>/day/<day>/live.json")
@staff_only
def live(site, day):
    site_obj = plannable_site(site)
    rows = day_rows(site_obj, day_or_404(day, site_obj))
    return jsonify(
        tasks=[
            {
                "id": r.task.id,
                "active": r.taken,
                "free": r.free,
                "capacity": r.task.capacity,
                "walk_ins": r.walk_ins,
                "over": places_over(r),
                "status": r.task.status,
            }
            for r in rows
        ]
    )


@bp.post("/<site>/day/<day>/post-templates")
@staff_only
def post_templates(site, day):
    site_obj = plannable_site(site)
    the_day = day_or_404(day, site_obj)
    if ButtonForm().validate_on_submit():
        posted = attempt(lambda: service.post_from_templates(site_obj, the_day), *DAY_REFUSALS)
        if isinstance(posted.refused, service.DayClosed):
            flash_day_closed()
        elif posted.result:
            flash(_("Pohjista lisätty tehtäviä: %(n)s.", n=len(posted.result)), "success")
        else:  # nothing was due, or a colleague's tap posted them a moment earlier
            flash(_("Pohjien tehtävät ovat jo päivässä."), "success")
    return redirect(url_for(".day", site=site, day=the_day.isoformat()))


@bp.post("/<site>/day/<day>/copy")
@staff_only
def copy(site, day):
    site_obj = plannable_site(site)
    the_day = day_or_404(day, site_obj)
    form = CopyDayForm()
    if not form.validate_on_submit():
        flash(_("Valitse päivä, josta kopioidaan."), "error")
        return redirect(url_for(".day", site=site, day=the_day.isoformat())), 303
    copied = attempt(lambda: service.copy_day(site_obj, form.source.data, the_day), *DAY_REFUSALS)
    if isinstance(copied.refused, service.DayClosed):
        flash_day_closed()
    elif copied.refused:
        flash(_("Tehtävät ovat jo päivässä."), "success")
    else:
        flash(_("Kopioitu tehtäviä: %(n)s.", n=len(copied.result)), "success")
    return redirect(url_for(".day", site=site, day=the_day.isoformat()))


@bp.route("/<site>/day/<day>/tasks/new", methods=["GET", "POST"])
@staff_only
def new_task(site, day):
    site_obj = plannable_site(site)
    the_day = day_or_404(day, site_obj)
    form = TaskForm(today=site_obj.today(), data={"date": the_day})
    form.partner_id.choices = partner_choices(site_obj)
    ask_past_end = False
    if form.validate_on_submit():
        added = attempt(
            lambda: service.create_task(
                site_obj, task_values(form), admin=is_admin(), past_end_confirmed=form.confirm_past_end.data
            ),
            service.DayClosed,
            service.EndAlreadyPast,
        )
        if added.refused is None:
            flash(_("Tehtävä lisätty."), "success")
            return redirect(url_for(".day", site=site, day=form.date.data.isoformat()))
        if isinstance(added.refused, service.EndAlreadyPast):
            ask_past_end = True
            form.end_time.errors.append(_("Tehtävän loppuaika on jo mennyt. Lisätäänkö silti?"))
        else:
            flash_day_closed()
    status = 400 if request.method == "POST" else 200
    return render_template(
        "staff/task_form.html", site=site_obj, day=the_day, form=form, task=None, ask_past_end=ask_past_end
    ), status


def _edit_form(task: Task, site_obj, stored: bool = False) -> TaskForm:
    """The task's edit form: as posted, or (`stored`) filled from the task as it is now."""
    form = TaskForm(obj=task, today=site_obj.today(), **({"formdata": None} if stored else {}))
    form.partner_id.choices = partner_choices(site_obj, task.partner)
    return form


@bp.route("/<site>/tasks/<id:task_id>/edit", methods=["GET", "POST"])
@staff_only
def edit_task(site, task_id):
    site_obj = plannable_site(site)
    task = get_or_404(Task, task_id, site=site_obj)
    form = _edit_form(task, site_obj)
    needs_confirm, unsaved, status = None, [], 200
    if form.validate_on_submit():
        saved = attempt(
            lambda: service.update_task(
                task,
                task_values(form),
                allow_below_claims=form.confirm_below.data,
                admin=is_admin(),
                revision=form.revision.data,
                seen_active=form.seen_active.data,
            ),
            service.DayClosed,
            service.CapacityBelowClaims,
            service.EditedMeanwhile,
        )
        if saved.refused is None:
            flash(_("Muutokset tallennettu."), "success")
            return redirect(url_for(".day", site=site, day=task.date.isoformat()))
        if isinstance(saved.refused, service.EditedMeanwhile):
            # The stored values win; what this person typed is listed so that nothing is lost.
            unsaved = unsaved_changes(form, task)
            form = _edit_form(task, site_obj, stored=True)
            flash(_("Joku muu muutti tehtävää sillä välin. Tarkista tiedot ja tallenna uudelleen."), "error")
            status = 409
        elif isinstance(saved.refused, service.CapacityBelowClaims):
            needs_confirm = saved.refused.active
            form.confirm_below.data = False
            form.capacity.errors.append(
                _("Paikkoja on jo varattu %(n)s: paikkamäärä ei voi olla pienempi.", n=needs_confirm)
            )
        else:
            flash_day_closed()
    if request.method == "POST" and status == 200:
        status = 400
    return render_template(
        "staff/task_form.html",
        site=site_obj,
        day=task.date,
        form=form,
        task=task,
        needs_confirm=needs_confirm,
        unsaved=unsaved,
    ), status


@bp.route("/<site>/tasks/<id:task_id>/cancel", methods=["GET", "POST"])
@staff_only
def cancel_task(site, task_id):
    site_obj = plannable_site(site)
    task = get_or_404(Task, task_id, site=site_obj)
    form = CancelForm()
    if form.validate_on_submit():
        cancelled = attempt(
            lambda: service.cancel_task(task, form.reason.data.strip(), admin=is_admin()),
            service.DayClosed,
            service.NotCancellable,
        )
        if cancelled.refused is None:
            flash(_("Tehtävä peruttu. Vapautettuja varauksia: %(n)s.", n=cancelled.result), "success")
            return redirect(url_for(".day", site=site, day=task.date.isoformat()))
        if isinstance(cancelled.refused, service.DayClosed):
            flash_day_closed()
        else:
            flash(_("Tehtävä on jo peruttu tai suljettu."), "error")
    status = 400 if request.method == "POST" else 200
    return render_template("staff/cancel.html", site=site_obj, task=task, form=form), status


@bp.post("/<site>/tasks/<id:task_id>/walk-in")
@staff_only
def walk_in(site, task_id):
    site_obj = plannable_site(site)
    task = get_or_404(Task, task_id, site=site_obj)
    form = WalkInForm()
    if not form.validate_on_submit():
        abort(400)
    taken = attempt(
        lambda: service.walk_in(task, over_capacity=form.over_capacity.data), service.DayClosed, ClaimRefused
    )
    if taken.refused is None:
        _claim, token = taken.result
        session[WALK_IN_KEY] = token
        return redirect(url_for(".walk_in_code", site=site, task_id=task.id), 303)
    if isinstance(taken.refused, service.DayClosed):
        flash_day_closed()
        return redirect(url_for(".day", site=site, day=task.date.isoformat()))
    flash(str(STAFF_MESSAGES[taken.refused.reason]), "error")
    if isinstance(taken.refused, TaskFull):
        # Full: the second step asks whether to add the visitor beyond the capacity.
        return redirect(url_for(".walk_in_over_capacity", site=site, task_id=task.id), 303)
    return redirect(url_for(".day", site=site, day=task.date.isoformat()))


@bp.get("/<site>/tasks/<id:task_id>/walk-in/over-capacity")
@staff_only
def walk_in_over_capacity(site, task_id):
    """The second step of a walk-in to a full task: add the visitor beyond its capacity?"""
    site_obj = plannable_site(site)
    task = get_or_404(Task, task_id, site=site_obj)
    row = task_row(task)
    state = service.day_state(site_obj, task.date, is_admin())
    if not state.walk_ins_open or row.state not in (Availability.OPEN, Availability.FULL):
        return redirect(url_for(".day", site=site, day=task.date.isoformat()))
    return render_template("staff/walk_in_over.html", site=site_obj, row=row, form=WalkInForm())


@bp.get("/<site>/tasks/<id:task_id>/walk-in")
@staff_only
def walk_in_code(site, task_id):
    """The walk-in's code and QR, for as long as this staff member takes no other walk-in."""
    site_obj = plannable_site(site)
    task = get_or_404(Task, task_id, site=site_obj)
    token = session.get(WALK_IN_KEY, "")
    claim = find_claim(token)
    if claim is None or claim.task_id != task.id:
        return redirect(url_for(".day", site=site, day=task.date.isoformat()))
    return render_template(
        "staff/walk_in.html", site=site_obj, task=task, claim=claim, qr_data_uri=qr_data_uri(phone_url(token))
    )
