"""Forms of the admin pages. Every limit is checked on the server; messages are in plain Finnish."""

from functools import lru_cache
from zoneinfo import available_timezones

from flask_babel import lazy_gettext as _l
from wtforms import (
    DateField,
    EmailField,
    IntegerField,
    PasswordField,
    RadioField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    TimeField,
)
from wtforms.validators import (
    DataRequired,
    Length,
    NumberRange,
    Optional,
    Regexp,
    ValidationError,
)
from wtforms.widgets import CheckboxInput, ListWidget

from dropin.admin.service import SLUG_RE
from dropin.auth.accounts import (
    MAX_EMAIL,
    MAX_PASSWORD,
    MIN_PASSWORD,
    normalize_email,
    valid_email,
)
from dropin.forms import Form
from dropin.models.user import Role
from dropin.routing import MAX_ID

ROLE_NAMES = {Role.STAFF: _l("Ohjaaja"), Role.WORKER: _l("Projektityöntekijä"), Role.ADMIN: _l("Ylläpitäjä")}
PASSWORD_GENERATE, PASSWORD_TYPED = "generate", "typed"


@lru_cache(maxsize=1)
def timezones() -> frozenset[str]:
    return frozenset(available_timezones())


def optional_int(value):
    """For filters: an empty choice is no filter; anything but digits is an error."""
    if value in (None, ""):
        return None
    number = int(value)
    if not 0 < number <= MAX_ID:
        raise ValueError("out of range")
    return number


def choices(pairs) -> list[SelectChoice]:
    return [SelectChoice(str(value), label) for value, label in pairs]


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class PasswordChoiceForm(Form):
    """A random password shown once, or one typed by the admin."""

    password_mode = RadioField(
        _l("Salasana"),
        default=PASSWORD_GENERATE,
        choices=[
            SelectChoice(PASSWORD_GENERATE, _l("Luo satunnainen salasana. Näet sen vain kerran.")),
            SelectChoice(PASSWORD_TYPED, _l("Kirjoitan salasanan itse")),
        ],
    )
    password = PasswordField(
        _l("Salasana, jos kirjoitat sen itse"),
        validators=[
            Length(
                max=MAX_PASSWORD, message=_l("Salasana on liian pitkä (enintään %(max)s merkkiä).", max=MAX_PASSWORD)
            )
        ],
        render_kw={"autocomplete": "new-password", "maxlength": MAX_PASSWORD},
    )

    def validate_password(self, field):
        if self.password_mode.data == PASSWORD_TYPED and len(field.data or "") < MIN_PASSWORD:
            raise ValidationError(_l("Salasanassa pitää olla vähintään %(min)s merkkiä.", min=MIN_PASSWORD))

    @property
    def generated(self) -> bool:
        return self.password_mode.data == PASSWORD_GENERATE


class UserEditForm(Form):
    role = SelectField(_l("Rooli"), choices=[SelectChoice(role, name) for role, name in ROLE_NAMES.items()])
    sites = MultiCheckboxField(_l("Kohtaamispaikat (vain ohjaajille)"), coerce=int, choices=[])
    region = SelectField(_l("Alue (vain projektityöntekijöille)"), coerce=optional_int, choices=[])


class NewUserForm(UserEditForm, PasswordChoiceForm):
    email = EmailField(
        _l("Sähköposti"),
        validators=[
            DataRequired(_l("Anna sähköpostiosoite.")),
            Length(max=MAX_EMAIL, message=_l("Sähköpostiosoite on liian pitkä.")),
        ],
        render_kw={"autocomplete": "off", "inputmode": "email", "maxlength": MAX_EMAIL},
    )

    def validate_email(self, field):
        if not valid_email(normalize_email(field.data or "")):
            raise ValidationError(_l("Sähköpostiosoite ei ole oikean muotoinen."))


MAX_HOURS = 200
HOURS_FIELDS = ("opening_hours", "opening_hours_sv", "opening_hours_en")


def _hours_length() -> Length:
    return Length(max=MAX_HOURS, message=_l("Aukioloajat ovat liian pitkät (enintään %(max)s merkkiä).", max=MAX_HOURS))


def slug_field() -> StringField:
    """The short name a URL carries (/kiosk/<slug>, /r/<slug>): a–z, digits and hyphens."""
    return StringField(
        _l("Osoitenimi"),
        validators=[
            DataRequired(_l("Anna osoitenimi.")),
            Length(max=60, message=_l("Osoitenimi on liian pitkä (enintään 60 merkkiä).")),
            Regexp(SLUG_RE, message=_l("Käytä vain pieniä kirjaimia a–z, numeroita ja väliviivaa.")),
        ],
        render_kw={"maxlength": 60, "autocapitalize": "none", "spellcheck": "false"},
    )


class SiteForm(Form):
    name = StringField(
        _l("Nimi"),
        validators=[
            DataRequired(_l("Anna kohtaamispaikan nimi.")),
            Length(max=120, message=_l("Nimi on liian pitkä.")),
        ],
        render_kw={"maxlength": 120},
    )
    slug = slug_field()
    timezone = StringField(
        _l("Aikavyöhyke"),
        default="Europe/Helsinki",
        validators=[DataRequired(_l("Anna aikavyöhyke.")), Length(max=60, message=_l("Aikavyöhyke on liian pitkä."))],
        render_kw={"list": "timezones", "maxlength": 60, "autocapitalize": "none", "spellcheck": "false"},
    )
    meal_time = TimeField(_l("Ruoka-aika"), validators=[Optional()])
    address = StringField(
        _l("Osoite"),
        validators=[Optional(), Length(max=200, message=_l("Osoite on liian pitkä."))],
        render_kw={"maxlength": 200},
    )
    # Left out (one region only), a new site joins the first region and an edited one keeps its own.
    region_id = SelectField(_l("Alue"), coerce=optional_int, choices=[], validate_choice=False)
    opening_hours = StringField(
        _l("Aukioloajat"), validators=[Optional(), _hours_length()], render_kw={"maxlength": MAX_HOURS}
    )
    opening_hours_sv = StringField(
        _l("Aukioloajat ruotsiksi"), validators=[Optional(), _hours_length()], render_kw={"maxlength": MAX_HOURS}
    )
    opening_hours_en = StringField(
        _l("Aukioloajat englanniksi"), validators=[Optional(), _hours_length()], render_kw={"maxlength": MAX_HOURS}
    )

    def validate_region_id(self, field):
        if field.data is not None and str(field.data) not in {choice.value for choice in field.choices}:
            raise ValidationError(_l("Valitse alue listasta."))

    def validate_timezone(self, field):
        if field.data not in timezones():
            raise ValidationError(_l("Tuntematon aikavyöhyke. Esimerkiksi Europe/Helsinki."))

    def values(self) -> dict:
        return {
            "slug": self.slug.data.strip(),
            "name": self.name.data.strip(),
            "timezone": self.timezone.data,
            "meal_time": self.meal_time.data,
            "address": (self.address.data or "").strip() or None,
            "region_id": self.region_id.data,
            **{name: (self[name].data or "").strip() or None for name in HOURS_FIELDS},
        }


class KioskForm(Form):
    name = StringField(
        _l("Näytön nimi"),
        default="Kosketusnäyttö",
        validators=[DataRequired(_l("Anna näytölle nimi.")), Length(max=120, message=_l("Nimi on liian pitkä."))],
        render_kw={"maxlength": 120},
    )


class AuditFilterForm(Form):
    """The audit log's filters, read from the query string so a view can be bookmarked."""

    class Meta:
        csrf = False

    action = SelectField(_l("Toiminto"), choices=[], validate_choice=False, validators=[Optional(), Length(max=60)])
    user = SelectField(_l("Kuka"), choices=[], coerce=optional_int, validate_choice=False)
    site = SelectField(_l("Kohtaamispaikka"), choices=[], coerce=optional_int, validate_choice=False)
    entity = SelectField(_l("Kohde"), choices=[], validate_choice=False, validators=[Optional(), Length(max=40)])
    entity_id = IntegerField(
        _l("Kohteen numero"), validators=[Optional(), NumberRange(1, 2**31 - 1, _l("Anna kohteen numero."))]
    )
    date_from = DateField(_l("Alkaen"), validators=[Optional()])
    date_to = DateField(_l("Asti"), validators=[Optional()])
    page = IntegerField(validators=[Optional(), NumberRange(1, 100_000)])

    def validate_date_to(self, field):
        if field.data and self.date_from.data and field.data < self.date_from.data:
            raise ValidationError(_l("Loppupäivä on ennen alkupäivää."))
