"""Production keeps the full cost of its password hash; only the users the test factories make are cheap."""

from werkzeug.security import check_password_hash

from dropin.auth import service
from dropin.models import User
from tests.factories import TEST_HASH_METHOD, _password_hash
from tests.helpers import PASSWORD

PRODUCTION_METHOD = "scrypt:32768:8:1"


def method_of(password_hash: str) -> str:
    return password_hash.split("$", 1)[0]


def test_a_password_set_in_the_app_is_hashed_at_full_cost():
    user = User(email="x@example.org", role="staff")
    user.set_password(PASSWORD)
    assert method_of(user.password_hash) == PRODUCTION_METHOD
    assert user.check_password(PASSWORD)
    assert not user.check_password(PASSWORD + "x")


def test_an_unknown_email_costs_the_same_check_as_a_known_one():
    assert method_of(service._DUMMY_HASH) == PRODUCTION_METHOD
    assert not check_password_hash(service._DUMMY_HASH, PASSWORD)


def test_only_the_test_factories_hash_cheaply():
    assert TEST_HASH_METHOD != PRODUCTION_METHOD
    assert method_of(_password_hash(PASSWORD)) == TEST_HASH_METHOD
    assert check_password_hash(_password_hash(PASSWORD), PASSWORD)
