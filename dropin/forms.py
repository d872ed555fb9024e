"""Form pieces every feature uses, and the one rule for text typed into the app.

The rule, in two halves:
- A control character (C0, NUL and DEL; tab, line feed and carriage return excepted) in any URL
  value, query parameter or form field refuses the whole request with 400: no database, export or
  spreadsheet ever sees one (security.refuse_control_characters applies it to every request).
- Characters that change what a name looks like without being seen (bidi overrides and isolates,
  zero-width characters) are dropped from every text field of every form (`Form` below), and a
  one-line field turns tabs and line breaks into spaces. Passwords are left exactly as typed.
"""

import re

from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField, TextAreaField

# C0 controls but \t \n \r, and DEL: openpyxl, PostgreSQL (NUL) and terminals choke on them.
CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# Bidi embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069), zero-width characters.
INVISIBLE_CHARACTERS = re.compile("[\u202a-\u202e\u2066-\u2069\u200b-\u200d\u2060\ufeff]")
LINE_BREAKS = re.compile("[\t\n\r]+")


def has_control_characters(text: str) -> bool:
    return CONTROL_CHARACTERS.search(text) is not None


def without_control_characters(text: str) -> str:
    """Text stored before the input rule existed, made safe to export."""
    return CONTROL_CHARACTERS.sub("", text)


def visible_text(value):
    """Multi-line text without invisible characters; line breaks and tabs stay."""
    return INVISIBLE_CHARACTERS.sub("", value) if isinstance(value, str) else value


def visible_line(value):
    """One line of text (a name, a title, a place) without invisible characters or line breaks."""
    return LINE_BREAKS.sub(" ", visible_text(value)) if isinstance(value, str) else value


class Form(FlaskForm):
    """Every form of the app: a FlaskForm (CSRF included) whose text fields drop invisible characters."""

    class Meta:
        def bind_field(self, form, unbound_field, options):
            kind = unbound_field.field_class
            if issubclass(kind, StringField) and not issubclass(kind, PasswordField):
                clean = visible_text if issubclass(kind, TextAreaField) else visible_line
                options["filters"] = (clean, *unbound_field.kwargs.get("filters", ()))
            return unbound_field.bind(form=form, **options)


class ButtonForm(Form):
    """A bare POST button: CSRF only."""


def clean_text(value):
    """Strip a string; an empty one becomes None. Anything else passes as it is."""
    if isinstance(value, str):
        value = value.strip()
        return value or None
    return value
