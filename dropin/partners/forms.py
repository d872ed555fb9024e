"""Forms of partners, task templates, proposal links and the partners' public proposal form."""

from datetime import timedelta

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, EmailField, SelectField, SelectMultipleField, StringField, TelField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional, Regexp, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from dropin.forms import clean_text
from dropin.staff.forms import TaskFieldsMixin
from dropin.staff.options import task_values

PROPOSAL_DAYS_AHEAD = 180
WEEKDAYS = [
    ("1", _l("Ma")),
    ("2", _l("Ti")),
    ("3", _l("Ke")),
    ("4", _l("To")),
    ("5", _l("Pe")),
    ("6", _l("La")),
    ("7", _l("Su")),
]
# Deliberately loose: a typo is caught, an unusual but valid address is not refused.
EMAIL_PATTERN = r"^[^@\s]+@[^@\s]+\.[^@\s]+$"
PHONE_PATTERN = r"^\+?[0-9][0-9 ()\-]{4,38}$"


class PartnerForm(FlaskForm):
    name = StringField(
        _l("Nimi"),
        validators=[
            DataRequired(_l("Anna kumppanin nimi.")),
            Length(max=120, message=_l("Nimi voi olla enintään 120 merkkiä.")),
        ],
    )
    kind = StringField(
        _l("Millainen toimija"), validators=[Optional(), Length(max=80, message=_l("Enintään 80 merkkiä."))]
    )
    contact_person = StringField(
        _l("Yhteyshenkilö"), validators=[Optional(), Length(max=120, message=_l("Enintään 120 merkkiä."))]
    )
    phone = TelField(
        _l("Puhelin"),
        validators=[
            Optional(),
            Length(max=40, message=_l("Enintään 40 merkkiä.")),
            Regexp(PHONE_PATTERN, message=_l("Anna puhelinnumero numeroina, esim. 040 123 4567.")),
        ],
        render_kw={"autocomplete": "off", "inputmode": "tel"},
    )
    email = EmailField(
        _l("Sähköposti"),
        validators=[
            Optional(),
            Length(max=200, message=_l("Enintään 200 merkkiä.")),
            Regexp(EMAIL_PATTERN, message=_l("Tarkista sähköpostiosoite, esim. nimi@yhdistys.fi.")),
        ],
        render_kw={"autocomplete": "off", "inputmode": "email"},
    )
    notes = TextAreaField(
        _l("Muistiinpanot"), validators=[Optional(), Length(max=2000, message=_l("Enintään 2000 merkkiä."))]
    )


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


class TemplateForm(TaskFieldsMixin, FlaskForm):
    weekdays = WeekdaysField(
        _l("Viikonpäivät"), choices=WEEKDAYS, validators=[InputRequired(_l("Valitse ainakin yksi viikonpäivä."))]
    )
    outcome_unit = StringField(
        _l("Mitä saadaan aikaan (yksikkö)"), validators=[Optional(), Length(max=60, message=_l("Enintään 60 merkkiä."))]
    )


class LinkForm(FlaskForm):
    site_id = SelectField(_l("Olohuone"), coerce=int, choices=[], validators=[InputRequired(_l("Valitse olohuone."))])


class ProposalForm(FlaskForm):
    """What a partner may propose: no staff-only fields, no partner choice (the link tells)."""

    title = TaskFieldsMixin.title
    date = DateField(_l("Päivä"), validators=[InputRequired(_l("Anna päivä."))])
    start_time = TaskFieldsMixin.start_time
    end_time = TaskFieldsMixin.end_time
    place = TaskFieldsMixin.place
    category = TaskFieldsMixin.category
    capacity = TaskFieldsMixin.capacity
    description = TaskFieldsMixin.description
    bring = TaskFieldsMixin.bring
    validate_end_time = TaskFieldsMixin.validate_end_time

    def __init__(self, *args, today=None, **kwargs):
        super().__init__(*args, **kwargs)
        self._today = today
        if today:
            # The phone's date picker offers only the days that will be accepted.
            last = today + timedelta(days=PROPOSAL_DAYS_AHEAD)
            self.date.render_kw = {"min": today.isoformat(), "max": last.isoformat()}

    def validate_date(self, field):
        if (
            self._today
            and field.data
            and not (self._today <= field.data <= self._today + timedelta(days=PROPOSAL_DAYS_AHEAD))
        ):
            raise ValidationError(_l("Valitse päivä tältä päivältä enintään puolen vuoden päähän."))


def partner_values(form: PartnerForm) -> dict:
    """The model's values from a valid partner form."""
    return {
        name: clean_text(getattr(form, name).data)
        for name in ("name", "kind", "contact_person", "phone", "email", "notes")
    }


def template_values(form: TemplateForm) -> dict:
    """The model's values from a valid template form."""
    values = task_values(form)
    values.update({name: clean_text(getattr(form, name).data) for name in ("outcome_unit",)})
    values["weekdays"] = form.weekdays.digits
    return values


def proposal_values(form: ProposalForm) -> dict:
    values = {
        name: clean_text(getattr(form, name).data)
        for name in ("title", "date", "start_time", "end_time", "place", "category", "capacity", "bring")
    }
    values["description"] = clean_text(form.description.data) or ""
    return values
