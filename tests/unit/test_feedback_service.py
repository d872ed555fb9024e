"""What an anonymous 'Kerro miten meni' answer keeps, and what it never keeps."""

from datetime import timedelta

import pytest
import sqlalchemy as sa

from dropin.claims.service import claim_place, hash_token, release_claim
from dropin.extensions import db
from dropin.feedback.service import InvalidAnswers, code_is_known, normalize_code, save_feedback, tasks_of_code
from dropin.models import Claim, Feedback
from dropin.models.claim import ClaimStatus
from tests.factories import make_partner, make_site, make_task

pytestmark = pytest.mark.usefixtures("ctx")

# The whole row: a surrogate key, where and on which local day, what kind of task, and three answers.
COLUMNS = {"id", "site_id", "date", "category", "partner_id", "useful", "decide", "community"}


def stored() -> list[dict]:
    """Every feedback row, every column of the table."""
    rows = db.session.execute(sa.select(Feedback.__table__).order_by(Feedback.id)).mappings()
    return [dict(row) for row in rows]


def claimed_code(task) -> str:
    claim, _token = claim_place(task)
    return claim.code


def old_claim(task, code: str) -> Claim:
    """A claim made on an earlier day: claim_place refuses those, so it is written directly."""
    claim = Claim(task=task, code=code, token_hash=hash_token(code + str(task.id)))
    db.session.add(claim)
    db.session.flush()
    return claim


def test_the_table_has_only_the_expected_columns():
    in_database = {c["name"] for c in sa.inspect(db.engine).get_columns("feedback")}
    assert in_database == COLUMNS
    assert set(Feedback.__table__.columns.keys()) == COLUMNS


def test_answers_are_stored_with_the_site_and_its_local_day_and_nothing_else():
    site = make_site(timezone="Pacific/Kiritimati")  # UTC+14: its today is often not UTC's
    feedback = save_feedback(site, {"useful": 3, "decide": None, "community": 1})
    db.session.commit()
    assert stored() == [
        {
            "id": feedback.id,
            "site_id": site.id,
            "date": site.today(),
            "category": None,
            "partner_id": None,
            "useful": 3,
            "decide": None,
            "community": 1,
        }
    ]


def test_a_known_code_ties_the_answers_to_the_tasks_category_and_partner_but_is_not_kept():
    site = make_site()
    partner = make_partner()
    task = make_task(site, category="baking", partner=partner)
    code = claimed_code(task)
    save_feedback(site, {"useful": 2, "decide": 3, "community": 2}, code)
    db.session.commit()
    [row] = stored()
    assert row == {
        "id": row["id"],
        "site_id": site.id,
        "date": site.today(),
        "category": "baking",
        "partner_id": partner.id,
        "useful": 2,
        "decide": 3,
        "community": 2,
    }
    assert code not in {str(value) for value in row.values()}


def test_a_code_is_read_as_typed_by_hand():
    site = make_site()
    code = claimed_code(make_task(site, category="cooking"))
    typed = f" {code[:2].lower()} {code[2:]} "
    assert normalize_code(typed) == code
    save_feedback(site, {"useful": 3}, typed)
    assert stored()[0]["category"] == "cooking"


@pytest.mark.parametrize("typed", [None, "", "AAAA", "AAAAAA", "OOOOO", "AB1CD", "ÄÄÄÄÄ", "A A-A"])
def test_what_cannot_be_a_code_is_no_code(typed):
    assert normalize_code(typed) is None
    assert tasks_of_code(make_site(), typed) == []


def test_an_unknown_code_stores_the_answers_untied():
    site = make_site()
    code = claimed_code(make_task(site))
    other = "A" * 5 if code != "A" * 5 else "C" * 5
    assert not code_is_known(site, other)
    save_feedback(site, {"useful": 1}, other)
    assert [(r["category"], r["partner_id"], r["useful"]) for r in stored()] == [(None, None, 1)]


def test_a_code_of_another_site_is_ignored():
    site, other = make_site("testi"), make_site("toinen")
    code = claimed_code(make_task(other, partner=make_partner()))
    assert not code_is_known(site, code)
    save_feedback(site, {"useful": 3}, code)
    assert [(r["site_id"], r["category"], r["partner_id"]) for r in stored()] == [(site.id, None, None)]


def test_a_code_of_another_day_is_ignored():
    site = make_site()
    yesterday = make_task(site, date=site.today() - timedelta(days=1), partner=make_partner())
    old_claim(yesterday, "KYMPP")
    assert not code_is_known(site, "KYMPP")
    save_feedback(site, {"decide": 2}, "KYMPP")
    assert [(r["date"], r["category"], r["partner_id"]) for r in stored()] == [(site.today(), None, None)]


def test_a_place_given_back_still_counts_but_one_cancelled_by_staff_does_not():
    site = make_site()
    released, _ = claim_place(make_task(site, category="gardening"))
    release_claim(released)
    cancelled, _ = claim_place(make_task(site, category="invasive"))
    released.code, cancelled.code, cancelled.status = "RRRRR", "CCCCC", ClaimStatus.CANCELLED
    db.session.flush()
    assert code_is_known(site, "RRRRR")
    assert not code_is_known(site, "CCCCC")


def test_two_of_todays_tasks_with_the_same_code_tie_only_what_they_share():
    site = make_site()
    first = make_task(site, category="cooking", partner=make_partner("Yksi ry"))
    second = make_task(site, category="cooking", partner=make_partner("Kaksi ry"))
    old_claim(first, "QQQQQ")
    old_claim(second, "QQQQQ")
    save_feedback(site, {"community": 3}, "QQQQQ")
    assert [(r["category"], r["partner_id"]) for r in stored()] == [("cooking", None)]


@pytest.mark.parametrize("answers", [{}, {"useful": None}, {"useful": None, "decide": None, "community": None}])
def test_all_skipped_stores_nothing(answers):
    site = make_site()
    code = claimed_code(make_task(site))
    assert save_feedback(site, answers, code) is None
    db.session.commit()
    assert stored() == []


@pytest.mark.parametrize(
    "answers", [{"useful": 4}, {"useful": 0}, {"useful": "3"}, {"mood": 3}, {"useful": 3, "claim_id": 1}]
)
def test_answers_other_than_three_two_one_or_skipped_are_refused(answers):
    with pytest.raises(InvalidAnswers):
        save_feedback(make_site(), answers)
    assert stored() == []
