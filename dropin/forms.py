"""Form pieces every feature uses."""

from flask_wtf import FlaskForm


class ButtonForm(FlaskForm):
    """A bare POST button: CSRF only."""


def clean_text(value):
    """Strip a string; an empty one becomes None. Anything else passes as it is."""
    if isinstance(value, str):
        value = value.strip()
        return value or None
    return value
