from flask_wtf import FlaskForm
from wtforms import HiddenField


class ButtonForm(FlaskForm):
    """A bare POST button: CSRF only."""


class FirstTimeForm(FlaskForm):
    answer = HiddenField()
