"""Anonymous "how did it go" answers from the kiosk. They flush, never commit.

A Feedback row holds only the site, the site's local date, a category, a partner and three
answers: never the claim, its code, a token or a time of day.
"""

import re
from collections.abc import Mapping

import sqlalchemy as sa

from dropin.claims.service import CODE_ALPHABET, CODE_LENGTH
from dropin.extensions import db
from dropin.models import Claim, Feedback, Site, Task
from dropin.models.claim import ClaimStatus
from dropin.models.feedback import ANSWERS, QUESTIONS

CODE_RE = re.compile(f"[{CODE_ALPHABET}]{{{CODE_LENGTH}}}")


class InvalidAnswers(ValueError):
    """Answers to questions that do not exist, or values other than 3, 2, 1 or None."""


def normalize_code(typed: str | None) -> str | None:
    """The code as stored on a claim (upper case, no spaces or dashes), or None when it cannot be one."""
    code = re.sub(r"[\s-]", "", typed or "").upper()
    return code if CODE_RE.fullmatch(code) else None


def tasks_of_code(site: Site, code: str | None) -> list[Task]:
    """Today's tasks at `site` with a claim of that code. Claims cancelled by staff do not count."""
    code = normalize_code(code)
    if code is None:
        return []
    return list(
        db.session.scalars(
            sa.select(Task)
            .join(Claim, Claim.task_id == Task.id)
            .where(
                Task.site_id == site.id,
                Task.date == site.today(),
                Claim.code == code,
                Claim.status != ClaimStatus.CANCELLED,
            )
            .distinct()
            .order_by(Task.id)
        )
    )


def code_is_known(site: Site, code: str | None) -> bool:
    return bool(tasks_of_code(site, code))


def _checked(answers: Mapping[str, int | None]) -> dict[str, int | None]:
    unknown = set(answers) - set(QUESTIONS)
    if unknown:
        raise InvalidAnswers(f"unknown questions: {sorted(unknown)}")
    checked = {q: answers.get(q) for q in QUESTIONS}
    if any(v is not None and v not in ANSWERS for v in checked.values()):
        raise InvalidAnswers("answers are 3, 2, 1 or None")
    return checked


def save_feedback(site: Site, answers: Mapping[str, int | None], code: str | None = None) -> Feedback | None:
    """Store one visitor's answers (3 yes, 2 somewhat, 1 no, None skipped); None when all were skipped.

    A known code of today's task at `site` ties the answers to that task's category and partner;
    the code itself is forgotten here. Two of today's tasks sharing a code (rare) tie only what
    they have in common.
    """
    checked = _checked(answers)
    if all(v is None for v in checked.values()):
        return None
    tasks = tasks_of_code(site, code)
    categories = {t.category for t in tasks}
    partners = {t.partner_id for t in tasks}
    feedback = Feedback(
        site_id=site.id,
        date=site.today(),
        category=categories.pop() if len(categories) == 1 else None,
        partner_id=partners.pop() if len(partners) == 1 else None,
        **checked,
    )
    db.session.add(feedback)
    db.session.flush()
    return feedback
