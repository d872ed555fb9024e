from wtforms import HiddenField

from dropin.forms import Form


class FirstTimeForm(Form):
    answer = HiddenField()
