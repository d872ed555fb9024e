"""Forms of partners, their proposal links and the partners' public proposal form."""

from datetime import timedelta

from flask_babel import lazy_gettext as _l
from wtforms import DateField, EmailField, SelectField, SelectMultipleField, StringField, TelField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional, Regexp, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from dropin.forms import Form, clean_text
from dropin.staff.forms import TaskFieldsMixin

PROPOSAL_DAYS_AHEAD = 180
TRANSLATIONS = ("title_sv", "description_sv", "title_en", "description_en")
# Deliberately loose: a typo is caught, an unusual but valid address is not refused.
EMAIL_PATTERN = r"^[^@\s]+@[^@\s]+\.[^@\s]+$"
PHONE_PATTERN = r"^\+?[0-9][0-9 ()\-]{4,38}$"


class PartnerForm(Form):
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
    # Offered only to someone with more than one site; with one, the partner simply is that site's.
    sites = SelectMultipleField(
        _l("Kohtaamispaikat, joiden kumppani tämä on"),
        coerce=int,
        choices=[],
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
    )

    def validate_sites(self, field):
        if len(field.choices) > 1 and not field.data:
            raise ValidationError(_l("Valitse ainakin yksi kohtaamispaikka."))


class LinkForm(Form):
    site_id = SelectField(
        _l("Kohtaamispaikka"), coerce=int, choices=[], validators=[InputRequired(_l("Valitse kohtaamispaikka."))]
    )


class ProposalForm(Form):
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
    title_sv = TaskFieldsMixin.title_sv
    description_sv = TaskFieldsMixin.description_sv
    title_en = TaskFieldsMixin.title_en
    description_en = TaskFieldsMixin.description_en
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


def proposal_values(form: ProposalForm) -> dict:
    values = {
        name: clean_text(getattr(form, name).data)
        for name in ("title", "date", "start_time", "end_time", "place", "category", "capacity", "bring", *TRANSLATIONS)
    }
    values["description"] = clean_text(form.description.data) or ""
    return values


class LinkRequestForm(Form):
    """A partner who lost its link types the address staff have for it. The address is never stored."""

    email = EmailField(
        _l("Sähköpostiosoite"),
        validators=[
            DataRequired(_l("Kirjoita sähköpostiosoite.")),
            Length(max=200, message=_l("Enintään 200 merkkiä.")),
            Regexp(EMAIL_PATTERN, message=_l("Tarkista sähköpostiosoite, esim. nimi@yhdistys.fi.")),
        ],
        filters=[lambda value: value.strip() if isinstance(value, str) else value],
        render_kw={"autocomplete": "email", "inputmode": "email"},
    )
