"""Every form of the app is a dropin.forms.Form, so the one rule for text reaches every field."""

import importlib
import pkgutil

from flask_wtf import FlaskForm

import dropin
from dropin.forms import Form, visible_line, visible_text


def _subclasses(base):
    for sub in base.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def test_every_form_is_a_dropin_form():
    for module in pkgutil.walk_packages(dropin.__path__, "dropin."):
        if module.name.endswith(".forms"):
            importlib.import_module(module.name)
    forms = [f for f in _subclasses(FlaskForm) if f.__module__.startswith("dropin.")]
    assert len(forms) > 15
    assert [f.__qualname__ for f in forms if not issubclass(f, Form)] == []


def test_invisible_characters_go_and_one_line_stays_one_line():
    assert visible_line("Pata\u202e ry\u200b\r\n\tKurki") == "Pata ry Kurki"
    assert visible_text("Rivi\u2066 1\r\nRivi\ufeff 2\t") == "Rivi 1\r\nRivi 2\t"
    assert visible_line(None) is None
