"""The `dropin` commands, run through Flask's CLI runner against a real database."""

import re

import pytest
import sqlalchemy as sa

from dropin.cli import runnable, served_url
from dropin.demo.region import WEEK as REGION_WEEK
from dropin.extensions import db
from dropin.models import Kiosk, Site, Task, User
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
        # Today's nine at the demo site, and the demo region's week at both sites.
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Task)) == 9 + len(REGION_WEEK)
        assert set(db.session.scalars(sa.select(Site.slug))) == {"satama", "kivikko"}
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


# --- set-up traps: what the commands print must work as printed ---------------------------------


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"PORT": "8401"}, "http://127.0.0.1:8401/kiosk/enroll/"),
        ({"HOST": "127.0.0.2", "PORT": "8402"}, "http://127.0.0.2:8402/kiosk/enroll/"),
    ],
)
def test_enroll_kiosk_links_to_where_dropin_serve_listens(app, runner, env, expected):
    """`PORT=8401 make run` plus the printed enroll command gives a link to that very server."""
    with app.app_context():
        make_site("satama")
        db.session.commit()
    result = runner.invoke(args=["enroll-kiosk", "satama"], env={"HOST": None, "PORT": None, **env})
    assert result.exit_code == 0, result.output
    assert expected in result.output


def test_a_listen_everywhere_host_becomes_this_machines_address():
    url = served_url(None, "0.0.0.0", 8080)
    assert url.startswith("http://")
    assert url.endswith(":8080")
    assert "0.0.0.0" not in url
    assert served_url("http://dropin.lan:8080/", "0.0.0.0", 8080) == "http://dropin.lan:8080"


def test_the_banner_names_a_command_that_runs_as_printed(tmp_path):
    program = tmp_path / ".venv" / "bin" / "dropin"
    program.parent.mkdir(parents=True)
    program.write_text("#!/bin/sh\n")
    program.chmod(0o755)
    # make run starts .venv/bin/dropin, which is not on PATH: the banner says .venv/bin/dropin.
    assert runnable(str(program), str(tmp_path), "/usr/bin:/bin") == ".venv/bin/dropin"
    # In an activated venv PATH finds this very program: its name is enough.
    assert runnable(str(program), str(tmp_path), f"{program.parent}:/usr/bin") == "dropin"
