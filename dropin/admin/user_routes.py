"""Users: list, add, change role, sites and a project worker's region, disable and enable, reset a password."""

import sqlalchemy as sa
import sqlalchemy.orm as so
from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user
from wtforms import SelectChoice

from dropin.admin import bp
from dropin.admin.forms import NewUserForm, PasswordChoiceForm, UserEditForm, choices
from dropin.auth import accounts, throttle
from dropin.extensions import db
from dropin.forms import ButtonForm
from dropin.lookup import get_or_404
from dropin.models import Region, Site, User
from dropin.transactions import attempt


def _site_choices() -> list[SelectChoice]:
    return choices((site.id, site.name) for site in db.session.scalars(sa.select(Site).order_by(Site.name)))


def _region_choices() -> list[SelectChoice]:
    regions = db.session.scalars(sa.select(Region).order_by(Region.name, Region.id))
    return [SelectChoice("", _("Kaikki alueet")), *choices((region.id, region.name) for region in regions)]


def _chosen_region(region_id: int | None) -> Region | None:
    return db.session.get(Region, region_id) if region_id else None


def _chosen_sites(ids: list[int]) -> list[Site]:
    return list(db.session.scalars(sa.select(Site).where(Site.id.in_(ids)))) if ids else []


def _status(form) -> int:
    return 400 if request.method == "POST" else 200


def _password_of(form: PasswordChoiceForm) -> str:
    return accounts.generate_password() if form.generated else form.password.data


@bp.get("/")
def index():
    return redirect(url_for(".users"))


@bp.get("/users")
def users():
    rows = db.session.scalars(
        sa.select(User).options(so.selectinload(User.sites), so.selectinload(User.region)).order_by(User.email)
    ).all()
    return render_template("admin/users.html", users=rows, lockouts=throttle.recent_lockouts())


@bp.route("/users/new", methods=["GET", "POST"])
def new_user():
    form = NewUserForm()
    form.sites.choices = _site_choices()
    form.region.choices = _region_choices()
    if form.validate_on_submit():
        password = _password_of(form)
        sites, region = _chosen_sites(form.sites.data), _chosen_region(form.region.data)
        added = attempt(
            lambda: accounts.create_user(form.email.data, form.role.data, password, sites, region),
            accounts.EmailTaken,
        )
        if added.refused:
            form.email.errors.append(_("Tällä sähköpostiosoitteella on jo tunnus."))
        elif form.generated:
            return render_template("admin/password_shown.html", user=added.result, password=password, created=True)
        else:
            flash(_("Käyttäjä %(email)s lisätty.", email=added.result.email), "success")
            return redirect(url_for(".users"))
    return render_template("admin/user_new.html", form=form), _status(form)


def _edit_form(user: User, formdata=True) -> UserEditForm:
    # formdata=None shows the stored values even on a POST (a refused button press).
    kwargs = {} if formdata is True else {"formdata": None}
    data = {"role": user.role, "sites": [site.id for site in user.sites], "region": user.region_id}
    form = UserEditForm(data=data, **kwargs)
    form.sites.choices = _site_choices()
    form.region.choices = _region_choices()
    return form


def _render_edit(user: User, form: UserEditForm, status: int = 200):
    return render_template("admin/user_edit.html", user=user, form=form, button=ButtonForm()), status


@bp.route("/users/<id:user_id>/edit", methods=["GET", "POST"])
def edit_user(user_id):
    user = get_or_404(User, user_id)
    form = _edit_form(user)
    if form.validate_on_submit():
        sites, region = _chosen_sites(form.sites.data), _chosen_region(form.region.data)
        if attempt(
            lambda: accounts.update_user(user, form.role.data, sites, current_user, region), accounts.OwnAccount
        ).refused:
            form.role.errors.append(_("Et voi poistaa omaa ylläpitäjän rooliasi. Pyydä toista ylläpitäjää."))
        else:
            flash(_("Muutokset tallennettu."), "success")
            return redirect(url_for(".users"))
    return _render_edit(user, form, _status(form))


def _set_active(user_id: int, active: bool):
    user = get_or_404(User, user_id)
    if attempt(lambda: accounts.set_active(user, active, current_user), accounts.OwnAccount).refused:
        form = _edit_form(user, formdata=None)
        form.form_errors.append(_("Et voi poistaa omaa tunnustasi käytöstä."))
        return _render_edit(user, form, 400)
    flash(
        _("Tunnus %(email)s on taas käytössä.", email=user.email)
        if active
        else _("Tunnus %(email)s on poistettu käytöstä. Sen istunnot päättyivät.", email=user.email),
        "success",
    )
    return redirect(url_for(".edit_user", user_id=user.id))


@bp.post("/users/<id:user_id>/disable")
def disable_user(user_id):
    return _set_active(user_id, False)


@bp.post("/users/<id:user_id>/enable")
def enable_user(user_id):
    return _set_active(user_id, True)


@bp.route("/users/<id:user_id>/password", methods=["GET", "POST"])
def reset_password(user_id):
    user = get_or_404(User, user_id)
    form = PasswordChoiceForm()
    if form.validate_on_submit():
        password = _password_of(form)
        accounts.reset_password(user, password)
        db.session.commit()
        if user.id == current_user.id:
            login_user(user)  # the new hash changed the session id: keep this session, end the others
        if form.generated:
            return render_template("admin/password_shown.html", user=user, password=password, created=False)
        flash(_("Salasana vaihdettu. Käyttäjän muut istunnot päättyivät."), "success")
        return redirect(url_for(".edit_user", user_id=user.id))
    return render_template("admin/password.html", user=user, form=form), _status(form)
