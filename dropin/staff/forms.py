"""Forms of the day desk. Every limit is checked on the server; messages are in the user's language."""

from datetime import timedelta

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    DecimalField,
    IntegerField,
    SelectField,
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

from dropin.categories import CATEGORIES

MAX_CAPACITY = 100


def category_choices():
    return [(c.slug, c.name) for c in CATEGORIES]


DEMAND_CHOICES = [("light", _l("Kevyt")), ("moderate", _l("Keskiraskas")), ("heavy", _l("Raskas"))]
SETTING_CHOICES = [("outdoor", _l("Ulkona")), ("indoor", _l("Sisällä"))]


class TaskFieldsMixin:
    """Fields shared by a task and a template."""

    title = StringField(_l("Otsikko"), validators=[DataRequired(_l("Anna tehtävälle otsikko.")), Length(max=120)])
    description = TextAreaField(_l("Kuvaus selkokielellä"), validators=[Optional(), Length(max=2000)])
    category = SelectField(_l("Luokka"), choices=category_choices)
    place = StringField(
        _l("Paikka tai tapaamispaikka"), validators=[DataRequired(_l("Kerro, missä tavataan.")), Length(max=200)]
    )
    start_time = TimeField(_l("Alkaa"), validators=[InputRequired(_l("Anna alkamisaika."))])
    end_time = TimeField(_l("Päättyy"), validators=[InputRequired(_l("Anna päättymisaika."))])
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
        if self.start_time.data and field.data and field.data <= self.start_time.data:
            raise ValidationError(_l("Päättymisajan pitää olla alkamisajan jälkeen."))


class TaskForm(TaskFieldsMixin, FlaskForm):
    date = DateField(_l("Päivä"), validators=[InputRequired(_l("Anna päivä."))])
    # Set when staff confirm cutting capacity below the places already taken.
    confirm_below = BooleanField(_l("Vähennä paikkoja silti: ylimääräiset varaukset perutaan"))

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


class CancelForm(FlaskForm):
    reason = StringField(
        _l("Syy (näkyy kävijöille)"),
        validators=[DataRequired(_l("Kerro lyhyesti, miksi tehtävä perutaan.")), Length(max=300)],
    )


class CopyDayForm(FlaskForm):
    source = DateField(_l("Kopioi päivästä"), validators=[InputRequired(_l("Valitse päivä, josta kopioidaan."))])


def finite(_form, field):
    """Decimal("sNaN") and "Infinity" parse but cannot be compared: refuse them before NumberRange does."""
    if field.data is not None and not field.data.is_finite():
        raise StopValidation(_l("Anna tulos numerona."))


class CloseTaskForm(FlaskForm):
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


class CloseDayForm(FlaskForm):
    meals_participants = IntegerField(
        _l("Aterioita osallistujille"),
        validators=[InputRequired(_l("Anna aterioiden määrä.")), NumberRange(0, 5000, _l("Määrän pitää olla 0–5000."))],
    )
    meals_others = IntegerField(
        _l("Aterioita muille"),
        validators=[InputRequired(_l("Anna aterioiden määrä.")), NumberRange(0, 5000, _l("Määrän pitää olla 0–5000."))],
    )
    note = TextAreaField(_l("Muistiinpano (ei nimiä)"), validators=[Optional(), Length(max=2000)])
