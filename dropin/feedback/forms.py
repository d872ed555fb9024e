"""The feedback flow's forms and the words shown for its questions and answers."""

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, StringField
from wtforms.validators import AnyOf, Length

from dropin.claims.service import CODE_LENGTH
from dropin.forms import Form

QUESTION_TEXT = {
    "useful": _l("Tuntuiko hyvältä tehdä jotain hyödyllistä?"),
    "decide": _l("Saitko itse päättää, miten teit?"),
    "community": _l("Tunsitko olevasi osa porukkaa?"),
}
SKIP = "skip"


@dataclass(frozen=True)
class AnswerChoice:
    value: int
    face: str
    word: object  # a lazy string, rendered in the request's language


# Stored as 3, 2, 1; each shown as a face pictogram (static/img/icons/answer-<face>.svg) and a word.
CHOICES = (
    AnswerChoice(3, "yes", _l("Kyllä")),
    AnswerChoice(2, "somewhat", _l("Vähän")),
    AnswerChoice(1, "no", _l("Ei")),
)


class AnswerForm(Form):
    """One tap: the pressed button's value is the answer, or 'skip'."""

    answer = HiddenField(validators=[AnyOf([str(c.value) for c in CHOICES] + [SKIP])])

    @property
    def value(self) -> int | None:
        return None if self.answer.data == SKIP else int(self.answer.data)


class CodeForm(Form):
    # Room for spaces or a dash typed between the characters; the service reads the code out of it.
    code = StringField(_l("Koodi"), validators=[Length(max=CODE_LENGTH + 10)])
