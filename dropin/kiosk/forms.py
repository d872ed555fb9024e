from wtforms import HiddenField

from dropin.forms import ButtonForm, Form


class FirstTimeForm(Form):
    answer = HiddenField()


class JoinForm(ButtonForm):
    """The join button. `nonce` is made when the details page is shown: sent twice (a reload, a
    retry after a lost answer), it returns the first claim instead of taking a second place."""

    nonce = HiddenField()
