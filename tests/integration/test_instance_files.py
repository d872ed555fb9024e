"""A new instance keeps its database and secret key to the service's own user: 0700 folder, 0600 files."""

import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

from tests.helpers import ROOT
from tests.integration import server_env


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_db_upgrade_creates_a_private_instance(tmp_path):
    instance = tmp_path / "var" / "dropin"
    env = server_env({"DROPIN_INSTANCE": str(instance), "DATABASE_URL": None, "SECRET_KEY": None})
    done = subprocess.run(
        [str(Path(sys.executable).parent / "dropin"), "db", "upgrade"],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
    )
    assert done.returncode == 0, done.stderr
    database = instance / "dropin.sqlite"
    assert mode(instance) == 0o700
    assert mode(database) == 0o600
    assert mode(instance / "secret_key") == 0o600
    # The -wal and -shm files SQLite makes beside it take the database file's mode.
    conn = sqlite3.connect(database)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("CREATE TABLE probe (x)")
    assert mode(Path(f"{database}-wal")) == 0o600
    assert mode(Path(f"{database}-shm")) == 0o600
    conn.close()
