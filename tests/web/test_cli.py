"""The `dropin` commands, run through Flask's CLI runner against a real database."""

import re

import sqlalchemy as sa

from dropin.extensions import db
from dropin.models import Kiosk, Task, User
from dropin.models.user import Role
from tests.factories import make_site


def test_seed_demo_is_idempotent(app, runner):
    first = runner.invoke(args=["seed-demo"])
    second = runner.invoke(args=["seed-demo"])
    assert first.exit_code == 0
    assert "9 task(s) added" in first.output
    assert second.exit_code == 0
    assert "0 task(s) added" in second.output
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Task)) == 9
        statuses = sorted(db.session.scalars(sa.select(Task.status)))
        assert statuses.count("cancelled") == 1
        roles = set(db.session.scalars(sa.select(User.role)))
        assert roles == {"staff", "worker", "admin"}


def test_seed_demo_if_demo_leaves_a_real_site_alone(app, runner):
    with app.app_context():
        make_site("kirkkokatu")
        db.session.commit()
    result = runner.invoke(args=["seed-demo", "--if-demo"])
    assert result.exit_code == 0
    assert "not loaded" in result.output
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Task)) == 0


def test_create_user_reads_the_password_from_stdin(app, runner):
    with app.app_context():
        make_site("satama")
        db.session.commit()
    result = runner.invoke(
        args=["create-user", "Hanna@Example.org", "--role", "staff", "--site", "satama", "--password-stdin"],
        input="pitkä-salasana-123\n",
    )
    assert result.exit_code == 0, result.output
    with app.app_context():
        user = db.session.scalar(sa.select(User))
        assert user.email == "hanna@example.org"
        assert user.role == Role.STAFF
        assert user.check_password("pitkä-salasana-123")
        assert "pitkä" not in user.password_hash
        assert [s.slug for s in user.sites] == ["satama"]


def test_create_user_refuses_bad_input(app, runner):
    short = runner.invoke(args=["create-user", "a@example.org", "--role", "staff", "--password-stdin"], input="lyhyt\n")
    bad_role = runner.invoke(
        args=["create-user", "a@example.org", "--role", "root", "--password-stdin"], input="x" * 12
    )
    no_site = runner.invoke(
        args=["create-user", "a@example.org", "--role", "staff", "--site", "eiole", "--password-stdin"],
        input="pitkä-salasana-123\n",
    )
    assert short.exit_code != 0
    assert "10" in short.output
    assert "password" in short.output
    assert bad_role.exit_code != 0
    assert no_site.exit_code != 0
    assert "No site" in no_site.output
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) == 0


def test_enroll_kiosk_prints_a_one_time_url_and_a_token(app, runner, client):
    with app.app_context():
        make_site("satama")
        db.session.commit()
    result = runner.invoke(args=["enroll-kiosk", "satama", "--name", "Aula", "--base-url", "http://kiosk.lan:8080"])
    assert result.exit_code == 0, result.output
    url = re.search(r"http://kiosk\.lan:8080(/kiosk/enroll/\S+)", result.output).group(1)
    token = re.search(r"API token \(Authorization: Bearer \.\.\.\): (\S+)", result.output).group(1)
    assert len(token) >= 32
    with app.app_context():
        kiosk = db.session.scalar(sa.select(Kiosk))
        assert kiosk.name == "Aula"
        assert token not in (kiosk.api_token_hash, kiosk.enroll_token_hash)
    assert client.get(url).status_code == 302
    assert client.get(url).status_code == 404  # one time only
    assert runner.invoke(args=["enroll-kiosk", "eiole"]).exit_code != 0
