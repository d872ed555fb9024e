"""The day planner: /staff/<site>/day/<date>. Views read input, call one service, render or redirect."""

from flask import abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _

from dropin.auth.access import is_admin, plannable_site, staff_only
from dropin.claims.links import phone_url
from dropin.claims.refusals import STAFF_MESSAGES, ClaimRefused
from dropin.extensions import db
from dropin.forms import ButtonForm
from dropin.lookup import get_or_404
from dropin.models import Task
from dropin.qr import qr_data_uri
from dropin.sites import day_rows
from dropin.staff import bp, service
from dropin.staff.days import day_or_404, flash_day_closed
from dropin.staff.forms import CancelForm, CopyDayForm, TaskForm, partner_choices, task_values


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
        try:
            created = service.post_from_templates(site_obj, the_day)
        except service.DayClosed:
            flash_day_closed()
        except service.AlreadyPosted:
            db.session.rollback()
            flash(_("Pohjien tehtävät ovat jo päivässä."), "success")
        else:
            db.session.commit()
            flash(
                _("Pohjista lisätty tehtäviä: %(n)s.", n=len(created))
                if created
                else _("Pohjien tehtävät ovat jo päivässä."),
                "success",
            )
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
    try:
        created = service.copy_day(site_obj, form.source.data, the_day)
    except service.DayClosed:
        flash_day_closed()
    except service.AlreadyPosted:
        db.session.rollback()
        flash(_("Tehtävät ovat jo päivässä."), "success")
    else:
        db.session.commit()
        flash(_("Kopioitu tehtäviä: %(n)s.", n=len(created)), "success")
    return redirect(url_for(".day", site=site, day=the_day.isoformat()))


@bp.route("/<site>/day/<day>/tasks/new", methods=["GET", "POST"])
@staff_only
def new_task(site, day):
    site_obj = plannable_site(site)
    the_day = day_or_404(day, site_obj)
    form = TaskForm(today=site_obj.today(), data={"date": the_day})
    form.partner_id.choices = partner_choices()
    if form.validate_on_submit():
        try:
            service.create_task(site_obj, task_values(form), admin=is_admin())
        except service.DayClosed:
            flash_day_closed()
        else:
            db.session.commit()
            flash(_("Tehtävä lisätty."), "success")
            return redirect(url_for(".day", site=site, day=form.date.data.isoformat()))
    status = 400 if request.method == "POST" else 200
    return render_template("staff/task_form.html", site=site_obj, day=the_day, form=form, task=None), status


@bp.route("/<site>/tasks/<id:task_id>/edit", methods=["GET", "POST"])
@staff_only
def edit_task(site, task_id):
    site_obj = plannable_site(site)
    task = get_or_404(Task, task_id, site=site_obj)
    form = TaskForm(obj=task, today=site_obj.today())
    form.partner_id.choices = partner_choices(task.partner)
    needs_confirm = None
    if form.validate_on_submit():
        try:
            service.update_task(task, task_values(form), allow_below_claims=form.confirm_below.data, admin=is_admin())
        except service.DayClosed:
            db.session.rollback()
            flash_day_closed()
        except service.CapacityBelowClaims as error:
            db.session.rollback()
            needs_confirm = error.active
            form.capacity.errors.append(
                _("Varattuja paikkoja on jo %(n)s. Vahvista, jos haluat silti vähentää.", n=error.active)
            )
        else:
            db.session.commit()
            flash(_("Muutokset tallennettu."), "success")
            return redirect(url_for(".day", site=site, day=task.date.isoformat()))
    status = 400 if request.method == "POST" else 200
    return render_template(
        "staff/task_form.html", site=site_obj, day=task.date, form=form, task=task, needs_confirm=needs_confirm
    ), status


@bp.route("/<site>/tasks/<id:task_id>/cancel", methods=["GET", "POST"])
@staff_only
def cancel_task(site, task_id):
    site_obj = plannable_site(site)
    task = get_or_404(Task, task_id, site=site_obj)
    form = CancelForm()
    if form.validate_on_submit():
        try:
            released = service.cancel_task(task, form.reason.data.strip(), admin=is_admin())
        except service.DayClosed:
            flash_day_closed()
        except service.NotCancellable:
            flash(_("Tehtävä on jo peruttu tai suljettu."), "error")
        else:
            db.session.commit()
            flash(_("Tehtävä peruttu. Vapautettuja varauksia: %(n)s.", n=released), "success")
            return redirect(url_for(".day", site=site, day=task.date.isoformat()))
    status = 400 if request.method == "POST" else 200
    return render_template("staff/cancel.html", site=site_obj, task=task, form=form), status


@bp.post("/<site>/tasks/<id:task_id>/walk-in")
@staff_only
def walk_in(site, task_id):
    site_obj = plannable_site(site)
    task = get_or_404(Task, task_id, site=site_obj)
    if not ButtonForm().validate_on_submit():
        abort(400)
    try:
        claim, token = service.walk_in(task)
    except service.DayClosed:
        flash_day_closed()
        return redirect(url_for(".day", site=site, day=task.date.isoformat()))
    except ClaimRefused as refused:
        db.session.rollback()
        flash(str(STAFF_MESSAGES[refused.reason]), "error")
        return redirect(url_for(".day", site=site, day=task.date.isoformat()))
    db.session.commit()
    return render_template(
        "staff/walk_in.html", site=site_obj, task=task, claim=claim, qr_data_uri=qr_data_uri(phone_url(token))
    )
