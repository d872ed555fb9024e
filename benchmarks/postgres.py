"""A throwaway PostgreSQL cluster for the benchmarks, durable as in production.

tests/pg.py's cluster runs with fsync off (-F), which makes every commit cheaper than on a
real server; a benchmark of claims must pay for the flush to disk, so this one keeps fsync on.
It lives in a temporary directory on disk (not /dev/shm) for the same reason.
"""

import contextlib
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tests.pg import PostgresCluster, _bin


class DurableCluster(PostgresCluster):
    def start(self) -> None:
        if self.as_root:
            shutil.chown(self.dir, "postgres", "postgres")
            self.dir.chmod(0o755)
        data = self.dir / "data"
        self._run(_bin("initdb"), "-D", str(data), "-A", "trust", "-U", "postgres", "-E", "UTF8", "--locale=C.UTF-8")
        options = f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c max_connections=200"
        self._run(_bin("pg_ctl"), "-D", str(data), "-l", str(self.dir / "pg.log"), "-w", "-o", options, "start")


def installed() -> bool:
    try:
        _bin("initdb")
    except RuntimeError:
        return False
    return True


@contextmanager
def throwaway_postgres(*names: str) -> Iterator[list[str] | None]:
    """Start a cluster with empty databases `names`; yield their SQLAlchemy URLs (None when
    PostgreSQL is not installed); stop and delete the cluster after."""
    if not installed():
        yield None
        return
    cluster = DurableCluster(Path(tempfile.mkdtemp(prefix="dropin-bench-pg-")))
    try:
        cluster.start()
        for name in names:
            cluster.create_database(name)
        yield [cluster.url(name) for name in names]
    finally:
        with contextlib.suppress(RuntimeError):  # a cluster that never started: its error is on its way up
            cluster.stop()
        shutil.rmtree(cluster.dir, ignore_errors=True)
