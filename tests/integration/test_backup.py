"""`dropin backup` while claims flow through a real waitress process, then `dropin restore` into a
fresh instance: every claim acknowledged before the backup started is there, and the restored
instance serves, with the kiosks' cookies still good (the secret key came along)."""

import http.client
import shutil
import stat
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

import pytest
import sqlalchemy as sa

from dropin import create_app
from dropin.claims.service import hash_token
from dropin.extensions import db
from dropin.models import Claim
from tests.factories import make_kiosk, make_site, make_task
from tests.helpers import ROOT
from tests.integration import server_env, waitress_servers

pytestmark = pytest.mark.slow

DROPIN = str(Path(sys.executable).parent / "dropin")
SLUG = "varmuus"


def dropin(env: dict, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [DROPIN, *args], env=server_env(env), cwd=ROOT, capture_output=True, text=True, stdin=subprocess.DEVNULL
    )


def set_up(database_url: str) -> tuple[int, str, str]:
    """A site with an open task and a kiosk; return the task id, its API token and its enrollment token."""
    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": "setup"})
    with app.app_context():
        site = make_site(SLUG)
        enrollment = make_kiosk(site)
        task = make_task(site, capacity=100_000)
        db.session.commit()
        found = task.id, enrollment.api_token, enrollment.enroll_token
        db.engine.dispose()
    return found


def kiosk_cookie(base: str, enroll_token: str) -> str:
    conn = http.client.HTTPConnection(base.removeprefix("http://"), timeout=10)
    conn.request("GET", f"/kiosk/enroll/{enroll_token}")
    response = conn.getresponse()
    response.read()
    cookie = next(v for k, v in response.getheaders() if k.lower() == "set-cookie" and v.startswith("dropin_kiosk="))
    return cookie.split(";", 1)[0]


def board(base: str, cookie: str) -> tuple[int, str]:
    conn = http.client.HTTPConnection(base.removeprefix("http://"), timeout=10)
    conn.request("GET", f"/kiosk/{SLUG}", headers={"Cookie": cookie})
    response = conn.getresponse()
    return response.status, response.read().decode()


class ClaimStream:
    """Threads POSTing claims until stopped; keeps (time acknowledged, phone token) of every 201."""

    def __init__(self, base: str, task_id: int, token: str, workers: int = 4):
        self.acknowledged: list[tuple[float, str]] = []
        self.failures: list[str] = []
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._args = base.removeprefix("http://"), f"/api/v1/tasks/{task_id}/claims", token
        self._threads = [threading.Thread(target=self._work, daemon=True) for _ in range(workers)]

    def _work(self) -> None:
        host, path, token = self._args
        conn = http.client.HTTPConnection(host, timeout=30)
        while not self._stop.is_set():
            conn.request("POST", path, headers={"Authorization": f"Bearer {token}", "Content-Length": "0"})
            response = conn.getresponse()
            response.read()
            acknowledged = time.monotonic()
            with self._lock:
                if response.status == 201:
                    phone_token = response.getheader("Location").rsplit("/", 1)[1]
                    self.acknowledged.append((acknowledged, phone_token))
                else:
                    self.failures.append(str(response.status))
        conn.close()

    def count(self) -> int:
        with self._lock:
            return len(self.acknowledged)

    def wait_for(self, count: int, seconds: float = 20) -> None:
        deadline = time.monotonic() + seconds
        while self.count() < count:
            assert time.monotonic() < deadline, f"only {self.count()} claims in {seconds} s: {self.failures[:3]}"
            time.sleep(0.01)  # polling the other threads' progress

    def __enter__(self):
        for thread in self._threads:
            thread.start()
        return self

    def __exit__(self, *_):
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout=30)


@pytest.fixture
def fresh_database(db_kind, request, tmp_path):
    """Where the restore goes: no DATABASE_URL (the instance's own SQLite file), or a new, empty PostgreSQL database."""
    if db_kind == "sqlite":
        yield None
        return
    cluster = request.getfixturevalue("postgres")
    name = "restored_" + uuid.uuid4().hex[:8]
    cluster.create_database(name)
    yield cluster.url(name)
    cluster.drop_database(name)


def test_backup_under_claims_restores_every_acknowledged_claim(database_url, fresh_database, tmp_path):
    task_id, api_token, enroll_token = set_up(database_url)
    original, restored = tmp_path / "original", tmp_path / "restored"
    original.mkdir()
    backup_file = tmp_path / "backups" / "dropin.tar.gz"
    backup_file.parent.mkdir()
    # No SECRET_KEY: the instance makes its own key file, which the backup has to carry.
    source_env = {"DATABASE_URL": database_url, "DROPIN_INSTANCE": str(original), "SECRET_KEY": None}

    with waitress_servers(database_url, original, count=1, env={"SECRET_KEY": None}) as (base,):
        cookie = kiosk_cookie(base, enroll_token)
        with ClaimStream(base, task_id, api_token) as stream:
            stream.wait_for(100)
            started = time.monotonic()
            made = dropin(source_env, "backup", str(backup_file))
            took = time.monotonic() - started
            stream.wait_for(stream.count() + 20)  # claims went on after the backup too
        assert made.returncode == 0, made.stderr
        assert stream.failures == []

    before = [token for at, token in stream.acknowledged if at < started]
    after = [token for at, token in stream.acknowledged if at > started + took]
    assert len(before) >= 100
    assert after
    assert stat.S_IMODE(backup_file.stat().st_mode) == 0o600

    # The restore runs in this process (the same command, without a second start-up): a fresh
    # instance, its own secret key just generated, as `dropin restore` would find it.
    restored_url = fresh_database or f"sqlite:///{restored / 'dropin.sqlite'}"
    fresh = create_app({"SQLALCHEMY_DATABASE_URI": restored_url, "INSTANCE_PATH": restored})
    done = fresh.test_cli_runner().invoke(args=["restore", str(backup_file)])
    assert done.exit_code == 0, done.output
    with fresh.app_context():
        kept = set(db.session.scalars(sa.select(Claim.token_hash).where(Claim.task_id == task_id)))
        again = fresh.test_cli_runner().invoke(args=["restore", str(backup_file)])
        db.engine.dispose()
    assert {hash_token(token) for token in before} <= kept
    # Nothing from after the backup finished can be in it: it is a snapshot, not a live copy.
    assert not {hash_token(token) for token in after} & kept
    assert (restored / "secret_key").read_text() == (original / "secret_key").read_text()
    assert again.exit_code == 1
    assert "not empty" in again.output
    assert "--force" in again.output

    with waitress_servers(fresh_database, restored, count=1, env={"SECRET_KEY": None}) as (base,):
        status, page = board(base, cookie)
        assert status == 200
        assert "Kerro miten meni" in page  # the kiosk enrolled before the backup is still enrolled
        assert "kysy henkilökunnalta" not in page
    shutil.rmtree(restored, ignore_errors=True)


def test_restore_refuses_a_backup_of_the_other_database_kind(app, db_kind, tmp_path):
    made = app.test_cli_runner().invoke(args=["backup", str(tmp_path)])
    assert made.exit_code == 0, made.output
    (backup_file,) = tmp_path.glob("dropin-*.tar.gz")
    assert stat.S_IMODE(backup_file.stat().st_mode) == 0o600
    other = "postgresql+psycopg://nobody@127.0.0.1:1/none" if db_kind == "sqlite" else f"sqlite:///{tmp_path}/b.sqlite"
    other_app = create_app({"SQLALCHEMY_DATABASE_URI": other, "SECRET_KEY": "x", "INSTANCE_PATH": tmp_path / "b"})
    done = other_app.test_cli_runner().invoke(args=["restore", str(backup_file)])
    assert done.exit_code != 0
    assert f"backup is of a {db_kind} database" in done.output
    assert not (tmp_path / "b" / "secret_key").exists()


def test_backup_into_a_folder_keeps_the_newest(app, tmp_path):
    for name in ("dropin-20260101-010000.tar.gz", "dropin-20260102-010000.tar.gz", "other.txt"):
        (tmp_path / name).write_text("old")
    made = app.test_cli_runner().invoke(args=["backup", str(tmp_path), "--keep", "2"])
    assert made.exit_code == 0, made.output
    left = sorted(path.name for path in tmp_path.iterdir())
    assert left[:2] == ["dropin-20260102-010000.tar.gz", left[1]]
    assert left[1].startswith("dropin-2")
    assert left[2:] == ["other.txt"]


def test_restore_into_a_database_that_is_down_says_so(app, db_kind, tmp_path):
    if db_kind == "sqlite":
        pytest.skip("a SQLite file is made where it is missing")
    assert app.test_cli_runner().invoke(args=["backup", str(tmp_path)]).exit_code == 0
    (backup_file,) = tmp_path.glob("dropin-*.tar.gz")
    down = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": "postgresql+psycopg://postgres@127.0.0.1:1/none",
            "SECRET_KEY": "x",
            "INSTANCE_PATH": tmp_path / "down",
        }
    )
    done = down.test_cli_runner().invoke(args=["restore", str(backup_file)])
    assert done.exit_code == 1
    assert "Cannot use the database" in done.output
