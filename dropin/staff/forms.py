"""Forms of the day desk and the recurring task templates.

Every limit is checked on the server; messages are in the user's language.
"""

from datetime import date, time, timedelta

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateField,
    DecimalField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    StopValidation,
    ValidationError,
)
from wtforms.widgets import CheckboxInput, HiddenInput, ListWidget

from dropin.categories import CATEGORIES
from dropin.extensions import db
from dropin.forms import Form, clean_text
from dropin.models import Partner, Site
from dropin.models.task_content import CONTENT_FIELDS, Demand, Setting, ends_after_start
from dropin.templating import clock

MAX_CAPACITY = 100
WEEKDAYS = [
    ("1", _l("Ma")),
    ("2", _l("Ti")),
    ("3", _l("Ke")),
    ("4", _l("To")),
    ("5", _l("Pe")),
    ("6", _l("La")),
    ("7", _l("Su")),
]


def category_choices():
    return [(c.slug, c.name) for c in CATEGORIES]


DEMAND_CHOICES = [(Demand.LIGHT, _l("Kevyt")), (Demand.MODERATE, _l("Keskiraskas")), (Demand.HEAVY, _l("Raskas"))]
SETTING_CHOICES = [(Setting.OUTDOOR, _l("Ulkona")), (Setting.INDOOR, _l("Sisällä"))]


class TaskFieldsMixin:
    """Fields shared by a task and a template."""

    title = StringField(_l("Otsikko"), validators=[DataRequired(_l("Anna tehtävälle otsikko.")), Length(max=120)])
    description = TextAreaField(_l("Kuvaus selkokielellä"), validators=[Optional(), Length(max=2000)])
    category = SelectField(_l("Luokka"), choices=category_choices)
    place = StringField(
        _l("Paikka tai tapaamispaikka"), validators=[DataRequired(_l("Kerro, missä tavataan.")), Length(max=200)]
    )
    start_time = TimeField(_l("Alkaa"), validators=[InputRequired(_l("Anna alkamisaika."))])
    end_time = TimeField(
        _l("Päättyy"),
        validators=[InputRequired(_l("Anna päättymisaika."))],
        description=_l("Jos tehtävä päättyy keskiyöllä, valitse 00.00."),
    )
    capacity = IntegerField(
        _l("Paikkoja"),
        validators=[
            InputRequired(_l("Kerro paikkojen määrä.")),
            NumberRange(1, MAX_CAPACITY, _l("Paikkoja voi olla 1–%(max)s.", max=MAX_CAPACITY)),
        ],
    )
    partner_id = SelectField(_l("Kumppani"), coerce=int, choices=[], validate_choice=True)
    bring = StringField(_l("Ota mukaan"), validators=[Optional(), Length(max=300)])
    provided = StringField(_l("Saat meiltä"), validators=[Optional(), Length(max=300)])
    physical_demand = SelectField(_l("Kuinka raskasta"), choices=DEMAND_CHOICES)
    setting = SelectField(_l("Missä"), choices=SETTING_CHOICES)
    meal_included = BooleanField(_l("Osallistujat saavat ruokaa"), default=True)
    title_sv = StringField(_l("Otsikko ruotsiksi"), validators=[Optional(), Length(max=120)])
    title_en = StringField(_l("Otsikko englanniksi"), validators=[Optional(), Length(max=120)])
    description_sv = TextAreaField(_l("Kuvaus ruotsiksi"), validators=[Optional(), Length(max=2000)])
    description_en = TextAreaField(_l("Kuvaus englanniksi"), validators=[Optional(), Length(max=2000)])

    def validate_end_time(self, field):
        if self.start_time.data and field.data and not ends_after_start(self.start_time.data, field.data):
            raise ValidationError(_l("Päättymisajan pitää olla alkamisajan jälkeen."))


class TaskForm(TaskFieldsMixin, Form):
    date = DateField(_l("Päivä"), validators=[InputRequired(_l("Anna päivä."))])
    # Set when staff confirm cutting capacity below the places already taken...
    confirm_below = BooleanField(_l("Vähennä paikkoja silti: ylimääräiset varaukset perutaan"))
    # ...of which they were shown this many: if more arrive meanwhile, they are asked again.
    seen_active = IntegerField(widget=HiddenInput(), validators=[Optional()])
    # The task's revision the form was filled from: saving over a newer change is caught.
    revision = IntegerField(widget=HiddenInput(), validators=[Optional()])
    # Set when staff confirm adding a task whose end has already passed.
    confirm_past_end = BooleanField(_l("Kyllä, lisää tehtävä silti"))

    def __init__(self, *args, today=None, **kwargs):
        super().__init__(*args, **kwargs)
        self._today = today

    def validate_date(self, field):
        if (
            self._today
            and field.data
            and not (self._today - timedelta(days=30) <= field.data <= self._today + timedelta(days=366))
        ):
            raise ValidationError(_l("Päivän pitää olla enintään vuoden päässä."))


class WalkInForm(Form):
    """Taking a place for a visitor at the desk; `over_capacity` is the confirmed second step for a full task."""

    over_capacity = BooleanField()


class CancelForm(Form):
    reason = StringField(
        _l("Syy (näkyy kävijöille)"),
        validators=[DataRequired(_l("Kerro lyhyesti, miksi tehtävä perutaan.")), Length(max=300)],
    )


class CopyDayForm(Form):
    source = DateField(_l("Kopioi päivästä"), validators=[InputRequired(_l("Valitse päivä, josta kopioidaan."))])


def finite(_form, field):
    """Decimal("sNaN") and "Infinity" parse but cannot be compared: refuse them before NumberRange does."""
    if field.data is not None and not field.data.is_finite():
        raise StopValidation(_l("Anna tulos numerona."))


class CloseTaskForm(Form):
    """One task's row in closing the day, prefixed per task; the day form carries the CSRF token."""

    class Meta:
        csrf = False

    participants = IntegerField(
        _l("Osallistui"),
        validators=[
            InputRequired(_l("Anna osallistujien määrä.")),
            NumberRange(0, 1000, _l("Määrän pitää olla 0–1000.")),
        ],
    )
    outcome = DecimalField(
        _l("Tulos"),
        places=1,
        validators=[Optional(), finite, NumberRange(0, 1_000_000, _l("Tuloksen pitää olla nolla tai enemmän."))],
    )


class CloseDayForm(Form):
    meals_participants = IntegerField(
        _l("Aterioita osallistujille"),
        validators=[InputRequired(_l("Anna aterioiden määrä.")), NumberRange(0, 5000, _l("Määrän pitää olla 0–5000."))],
    )
    meals_others = IntegerField(
        _l("Aterioita muille"),
        validators=[InputRequired(_l("Anna aterioiden määrä.")), NumberRange(0, 5000, _l("Määrän pitää olla 0–5000."))],
    )
    note = TextAreaField(_l("Muistiinpano (ei nimiä)"), validators=[Optional(), Length(max=2000)])
    # Shown while some of the day's tasks still run; the service refuses to close early without it.
    confirm_unfinished = BooleanField(_l("Suljen päivän silti, vaikka tehtäviä on kesken"))


class WeekdaysField(SelectMultipleField):
    """Checkboxes Ma–Su, stored as ISO weekday digits: "135" is Monday, Wednesday and Friday."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()

    def process_data(self, value):
        super().process_data(list(value) if isinstance(value, str) else value)

    def pre_validate(self, form):
        known = {value for value, _label in WEEKDAYS}
        if any(value not in known for value in self.data or ()):
            raise ValidationError(_l("Valitse viikonpäivät listasta."))

    @property
    def digits(self) -> str:
        return "".join(sorted(set(self.data or ())))


class TemplateForm(TaskFieldsMixin, Form):
    weekdays = WeekdaysField(
        _l("Viikonpäivät"), choices=WEEKDAYS, validators=[InputRequired(_l("Valitse ainakin yksi viikonpäivä."))]
    )
    outcome_unit = StringField(
        _l("Mitä saadaan aikaan (yksikkö)"), validators=[Optional(), Length(max=60, message=_l("Enintään 60 merkkiä."))]
    )


def partner_choices(site: Site, current: Partner | None = None) -> list[tuple[int, str]]:
    """The site's active partners (never another site's); an archived or former one stays selectable
    on what already names it (`current`)."""
    partners = db.session.scalars(
        sa.select(Partner)
        .where(Partner.archived_at.is_(None), Partner.sites.any(Site.id == site.id))
        .order_by(Partner.name)
    )
    choices = [(0, _("Ei kumppania"))] + [(p.id, p.name) for p in partners]
    if current is not None and current.id not in dict(choices):
        choices.append((current.id, current.name))
    return choices


def task_values(form) -> dict:
    """The model's values from a valid task or template form."""
    values = {name: clean_text(form[name].data) for name in CONTENT_FIELDS if name in form}
    values["description"] = values["description"] or ""
    values["partner_id"] = form.partner_id.data or None
    if hasattr(form, "date"):
        values["date"] = form.date.data
    return values


def unsaved_changes(form: TaskForm, task) -> list[tuple[str, str]]:
    """What a refused form said differently from the task as stored now: (label, value as typed)."""
    changes = []
    for name, value in task_values(form).items():
        if value == getattr(task, name):
            continue
        field = form[name]
        if isinstance(field, SelectField):
            shown = str(dict(field.choices).get(value or 0, value))
        elif isinstance(value, bool):
            shown = _("kyllä") if value else _("ei")
        elif isinstance(value, time):
            shown = clock(value)
        elif isinstance(value, date):
            shown = f"{value.day}.{value.month}.{value.year}"
        else:
            shown = "–" if value is None else str(value)
        changes.append((str(field.label.text), shown))
    return changes


def template_values(form: TemplateForm) -> dict:
    """The model's values from a valid template form."""
    values = task_values(form)
    values["weekdays"] = form.weekdays.digits
    return values
