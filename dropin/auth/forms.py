from flask_babel import lazy_gettext as _l
from wtforms import EmailField, PasswordField
from wtforms.validators import DataRequired, Length

from dropin.forms import Form


class LoginForm(Form):
    email = EmailField(
        _l("Sähköposti"),
        validators=[DataRequired(), Length(max=200)],
        render_kw={"autocomplete": "username", "inputmode": "email"},
    )
    password = PasswordField(
        _l("Salasana"), validators=[DataRequired(), Length(max=200)], render_kw={"autocomplete": "current-password"}
    )
