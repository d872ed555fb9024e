"""Start a throwaway PostgreSQL cluster. initdb refuses root, so as root it runs as `postgres`."""

import functools
import glob
import os
import shutil
import socket
import subprocess
from pathlib import Path

import sqlalchemy as sa


def _bin(name: str) -> str:
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    if not candidates:
        raise RuntimeError(f"PostgreSQL's {name} not found: install the postgresql package (make test does as root)")
    return candidates[-1]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class PostgresCluster:
    def __init__(self, directory: Path):
        self.dir = Path(directory)
        self.port = _free_port()
        self.as_root = os.geteuid() == 0
        self._engine: sa.Engine | None = None

    def _run(self, *args: str) -> None:
        command = list(args)
        if self.as_root:
            command = ["runuser", "-u", "postgres", "--", *command]
        done = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL)
        if done.returncode:
            raise RuntimeError(f"{args[0]} failed: {done.stderr.decode(errors='replace')}")

    def start(self) -> None:
        if self.as_root:
            shutil.chown(self.dir, "postgres", "postgres")
            self.dir.chmod(0o755)
        data = self.dir / "data"
        self._run(
            _bin("initdb"),
            "-D",
            str(data),
            "-A",
            "trust",
            "-U",
            "postgres",
            "--no-sync",
            "-E",
            "UTF8",
            "--locale=C.UTF-8",
        )
        self._run(
            _bin("pg_ctl"),
            "-D",
            str(data),
            "-l",
            str(self.dir / "pg.log"),
            "-w",
            "-o",
            f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -F -c max_connections=200",
            "start",
        )

    def stop(self) -> None:
        if self._engine is not None:
            self._engine.dispose()
        self._run(_bin("pg_ctl"), "-D", str(self.dir / "data"), "-m", "immediate", "-w", "stop")

    def url(self, name: str) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{name}"

    def _execute(self, statement: str) -> None:
        if self._engine is None:
            self._engine = sa.create_engine(self.url("postgres"), isolation_level="AUTOCOMMIT")
        with self._engine.connect() as conn:
            conn.exec_driver_sql(statement)

    def create_database(self, name: str, template: str | None = None) -> None:
        copy = f" TEMPLATE {template}{self._copy_strategy}" if template else ""
        self._execute(f'CREATE DATABASE "{name}"{copy}')

    def drop_database(self, name: str) -> None:
        self._execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    @functools.cached_property
    def _copy_strategy(self) -> str:
        # A plain file copy of a small template is several times quicker than PostgreSQL 15's default, WAL_LOG.
        self._execute("SELECT 1")
        return " STRATEGY FILE_COPY" if self._engine.dialect.server_version_info >= (15,) else ""
