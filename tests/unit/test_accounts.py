"""Accounts without HTTP: creating, changing, disabling and resetting, and what the audit log keeps."""

import json

import pytest
import sqlalchemy as sa

from dropin.auth import accounts
from dropin.auth.service import load_user
from dropin.extensions import db
from dropin.models import AuditEvent, User
from dropin.models.user import Role
from tests.factories import make_site, make_user


def events(action=None) -> list[AuditEvent]:
    query = sa.select(AuditEvent).order_by(AuditEvent.id)
    return list(db.session.scalars(query.where(AuditEvent.action == action) if action else query))


def test_create_user_normalizes_the_email_and_audits_without_the_password(ctx):
    site = make_site("testi")
    user = accounts.create_user("  Ohjaaja@Example.ORG ", Role.STAFF, "kymmenen-merkkiä", [site])
    assert (user.email, user.role, user.active, user.sites) == ("ohjaaja@example.org", Role.STAFF, True, [site])
    assert user.check_password("kymmenen-merkkiä")
    [event] = events("user.create")
    assert (event.entity, event.entity_id, event.user_id) == ("user", user.id, None)
    assert event.after == {"email": "ohjaaja@example.org", "role": "staff", "active": True, "sites": ["testi"]}
    assert user.password_hash not in json.dumps(event.after)


def test_only_staff_keep_sites(ctx):
    site = make_site("testi")
    assert accounts.create_user("w@example.org", Role.WORKER, "kymmenen-merkkiä", [site]).sites == []
    assert accounts.create_user("a@example.org", Role.ADMIN, "kymmenen-merkkiä", [site]).sites == []


@pytest.mark.parametrize(
    ("email", "role", "password"),
    [
        ("ei-osoite", Role.STAFF, "kymmenen-merkkiä"),
        ("a@b", Role.STAFF, "kymmenen-merkkiä"),
        ("x" * 200 + "@example.org", Role.STAFF, "kymmenen-merkkiä"),
        ("ok@example.org", "root", "kymmenen-merkkiä"),
        ("ok@example.org", Role.STAFF, "yhdeksän9"),
        ("ok@example.org", Role.STAFF, "x" * 201),
    ],
)
def test_create_user_refuses_bad_values(ctx, email, role, password):
    with pytest.raises(accounts.AccountError):
        accounts.create_user(email, role, password)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) == 0
    assert events() == []


def test_an_email_is_taken_whatever_its_case(ctx):
    make_user("olemassa@example.org", Role.STAFF)
    with pytest.raises(accounts.EmailTaken):
        accounts.create_user("Olemassa@Example.org", Role.WORKER, "kymmenen-merkkiä")


def test_update_user_audits_only_what_changed(ctx):
    site, other = make_site("testi"), make_site("toinen")
    admin = make_user("admin@example.org", Role.ADMIN)
    user = make_user("s@example.org", Role.STAFF, sites=[site])
    accounts.update_user(user, Role.STAFF, [site, other], admin)
    accounts.update_user(user, Role.STAFF, [site, other], admin)  # no change, no event
    accounts.update_user(user, Role.WORKER, [site], admin)
    first, second = events("user.update")
    assert (first.before, first.after) == ({"sites": ["testi"]}, {"sites": ["testi", "toinen"]})
    assert (second.before, second.after) == (
        {"role": "staff", "sites": ["testi", "toinen"]},
        {"role": "worker", "sites": []},
    )


def test_an_admin_cannot_demote_or_disable_themselves_but_can_another_admin(ctx):
    me, other = make_user("me@example.org", Role.ADMIN), make_user("other@example.org", Role.ADMIN)
    for role in (Role.STAFF, Role.WORKER):
        with pytest.raises(accounts.OwnAccount):
            accounts.update_user(me, role, [], me)
    with pytest.raises(accounts.OwnAccount):
        accounts.set_active(me, False, me)
    assert (me.role, me.active) == (Role.ADMIN, True)
    accounts.update_user(other, Role.WORKER, [], me)
    accounts.set_active(other, False, me)
    assert (other.role, other.active) == (Role.WORKER, False)


def test_disabling_ends_the_session_at_once(ctx):
    admin, user = make_user("admin@example.org", Role.ADMIN), make_user("s@example.org", Role.STAFF)
    session_id = user.get_id()
    assert load_user(session_id) is user
    accounts.set_active(user, False, admin)
    assert load_user(session_id) is None
    accounts.set_active(user, False, admin)  # already disabled: no second event
    [event] = events("user.disable")
    assert (event.before, event.after) == ({"active": True}, {"active": False})
    accounts.set_active(user, True, admin)
    assert [e.action for e in events()] == ["user.disable", "user.enable"]


def test_a_password_reset_changes_the_session_id(ctx):
    user = make_user("s@example.org", Role.STAFF)
    old_id, old_hash = user.get_id(), user.password_hash
    accounts.reset_password(user, "aivan-uusi-salasana")
    assert user.get_id() != old_id
    assert load_user(old_id) is None
    assert load_user(user.get_id()) is user
    assert user.check_password("aivan-uusi-salasana")
    [event] = events("user.password")
    assert (event.before, event.after) == (None, None)
    assert old_hash != user.password_hash
    with pytest.raises(accounts.AccountError):
        accounts.reset_password(user, "lyhyt")


def test_generated_passwords_are_long_random_and_easy_to_type(ctx):
    passwords = {accounts.generate_password() for _ in range(50)}
    assert len(passwords) == 50
    for password in passwords:
        assert len(password) == 17
        assert password.count("-") == 2
        assert set(password.replace("-", "")) <= set(accounts.PASSWORD_ALPHABET)
        assert len(password) >= accounts.MIN_PASSWORD


def test_save_user_creates_then_updates_and_audits_both(ctx):
    site = make_site("testi")
    user, created = accounts.save_user("cli@example.org", Role.STAFF, "ensimmäinen-salasana", ["testi"])
    assert created
    assert user.sites == [site]
    again, created = accounts.save_user("CLI@example.org", Role.ADMIN, "toinen-salasana-12")
    assert (again, created, again.role, again.sites) == (user, False, Role.ADMIN, [])
    assert again.check_password("toinen-salasana-12")
    assert [e.action for e in events()] == ["user.create", "user.update", "user.password"]
    stored = json.dumps([[e.before, e.after] for e in events()])
    assert "salasana" not in stored
    assert user.password_hash not in stored
    with pytest.raises(accounts.AccountError, match="No site"):
        accounts.save_user("cli@example.org", Role.STAFF, "ensimmäinen-salasana", ["ei-ole"])
