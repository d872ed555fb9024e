"""A claim changed by another request after this one read it: the change that comes second sees it."""

import pytest
import sqlalchemy as sa

from dropin.claims.service import claim_place, release_claim
from dropin.extensions import db
from dropin.models import Claim
from dropin.models.claim import ClaimStatus
from tests.factories import make_site, make_task

pytestmark = pytest.mark.usefixtures("ctx")


def _changed_elsewhere(claim: Claim, status: ClaimStatus) -> None:
    """As another request would: the row changes, the object this request loaded does not."""
    db.session.execute(
        sa.update(Claim).where(Claim.id == claim.id).values(status=status).execution_options(synchronize_session=False)
    )


def test_a_release_after_staff_cancelled_the_place_changes_nothing():
    claim, _token = claim_place(make_task(make_site(), capacity=2))
    db.session.commit()
    assert claim.status == ClaimStatus.ACTIVE  # loaded, then staff cancel it
    _changed_elsewhere(claim, ClaimStatus.CANCELLED)
    assert release_claim(claim) is False
    assert claim.status == ClaimStatus.CANCELLED
    db.session.commit()
    assert db.session.scalar(sa.select(Claim.status).where(Claim.id == claim.id)) == ClaimStatus.CANCELLED
