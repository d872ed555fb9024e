"""Backups that restore: the database, the secret key that keeps kiosks enrolled, and a manifest.

A backup is one gzipped tar file, created readable by its owner only (it holds the secret key):

    manifest.json   what it is: format, database kind, schema revision, time, the dump's SHA-256
    database        SQLite: a copy made with SQLite's online backup API (never a file copy: the
                    last commits may still be in the -wal file); PostgreSQL: `pg_dump --format=custom`
    secret_key      the SECRET_KEY the instance signs sessions and kiosk cookies with

Taking a backup never stops the app: SQLite's backup API copies one consistent snapshot while
claims go on in WAL mode, and pg_dump reads one snapshot of its own.
Restoring is only into an empty database unless forced; the secret key goes into the instance
folder (0600), where the app reads it when SECRET_KEY is not set in the environment.
"""

import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from glob import glob
from pathlib import Path

import sqlalchemy as sa

FORMAT = "dropin-backup"
FORMAT_VERSION = 1
MANIFEST, DATABASE, SECRET = "manifest.json", "database", "secret_key"
PRIVATE_FILE, PRIVATE_DIR = 0o600, 0o700


class BackupError(Exception):
    """A backup or restore that cannot be done; the message says why, for the operator."""


@dataclass(frozen=True)
class Manifest:
    database: str  # "sqlite" or "postgresql"
    revision: str | None
    created_at: str
    sha256: str

    def to_json(self) -> bytes:
        data = {"format": FORMAT, "version": FORMAT_VERSION, **self.__dict__}
        return json.dumps(data, indent=2).encode()

    @classmethod
    def from_json(cls, raw: bytes) -> "Manifest":
        try:
            data = json.loads(raw)
            if data.get("format") != FORMAT or data.get("version") != FORMAT_VERSION:
                raise BackupError("Not a dropin backup of a known format.")
            return cls(data["database"], data["revision"], data["created_at"], data["sha256"])
        except (ValueError, KeyError, TypeError, AttributeError) as error:
            raise BackupError("The backup's manifest is unreadable.") from error


# --- taking a backup ---------------------------------------------------------------------


def create_backup(engine: sa.Engine, secret_key: str, target: Path) -> Manifest:
    """Write a backup of the database behind `engine` and `secret_key` to `target` (0600).

    The file appears only when complete: it is written beside `target` and renamed into place.
    """
    if target.exists():
        raise BackupError(f"{target} already exists; give a new file name or a folder.")
    with tempfile.TemporaryDirectory(prefix="dropin-backup-") as scratch:
        dump = Path(scratch) / DATABASE
        if engine.dialect.name == "sqlite":
            _dump_sqlite(_sqlite_path(engine), dump)
        elif engine.dialect.name == "postgresql":
            _run_pg("pg_dump", engine.url, "--format=custom", "--no-owner", "--no-privileges", f"--file={dump}")
        else:
            raise BackupError(f"No backup for {engine.dialect.name} databases.")
        manifest = Manifest(
            database=engine.dialect.name,
            revision=_revision(engine),
            created_at=datetime.now(UTC).isoformat(timespec="seconds"),
            sha256=_sha256(dump),
        )
        partial = target.with_name(f".{target.name}.partial")
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE)
        try:
            with os.fdopen(fd, "wb") as raw, tarfile.open(fileobj=raw, mode="w:gz", compresslevel=6) as tar:
                _add_bytes(tar, MANIFEST, manifest.to_json())
                tar.add(dump, arcname=DATABASE, filter=_private)
                _add_bytes(tar, SECRET, secret_key.encode())
                raw.flush()
                os.fsync(raw.fileno())
            os.replace(partial, target)
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
    return manifest


def _dump_sqlite(source: Path, dump: Path) -> None:
    # The backup API copies one consistent snapshot, WAL included, while others keep writing.
    if not source.is_file():
        raise BackupError(f"No SQLite database at {source}.")
    src = sqlite3.connect(source, timeout=15)
    dst = sqlite3.connect(dump)
    try:
        src.backup(dst)
        dst.execute("PRAGMA journal_mode=DELETE")  # one self-contained file in the archive
    finally:
        dst.close()
        src.close()


def _add_bytes(tar: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size, info.mode, info.mtime = len(data), PRIVATE_FILE, int(datetime.now(UTC).timestamp())
    tar.addfile(info, io.BytesIO(data))


def _private(info: tarfile.TarInfo) -> tarfile.TarInfo:
    info.mode, info.uid, info.gid, info.uname, info.gname = PRIVATE_FILE, 0, 0, "", ""
    return info


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _revision(engine: sa.Engine) -> str | None:
    with engine.connect() as conn:
        if not sa.inspect(conn).has_table("alembic_version"):
            return None
        return conn.scalar(sa.text("SELECT version_num FROM alembic_version"))


# --- restoring ---------------------------------------------------------------------------


def read_manifest(backup: Path) -> Manifest:
    with _open(backup) as tar:
        return Manifest.from_json(_member(tar, MANIFEST))


def restore_backup(engine: sa.Engine, instance: Path, backup: Path, *, force: bool = False) -> Manifest:
    """Restore `backup` into the database behind `engine` and the secret key into `instance`.

    Refuses a database that holds any rows unless `force`; the backup must be of the same kind
    of database (SQLite or PostgreSQL) as the one it goes into.
    """
    with _open(backup) as tar, tempfile.TemporaryDirectory(prefix="dropin-restore-") as scratch:
        manifest = Manifest.from_json(_member(tar, MANIFEST))
        if manifest.database != engine.dialect.name:
            raise BackupError(
                f"The backup is of a {manifest.database} database; this instance uses {engine.dialect.name}."
            )
        dump = Path(scratch) / DATABASE
        fd = os.open(dump, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE)
        with os.fdopen(fd, "wb") as out:
            source = tar.extractfile(DATABASE) if DATABASE in tar.getnames() else None
            if source is None:
                raise BackupError("The backup holds no database.")
            shutil.copyfileobj(source, out)
        if _sha256(dump) != manifest.sha256:
            raise BackupError("The backup is damaged: its database does not match the manifest's checksum.")
        secret = _member(tar, SECRET).decode().strip()
        rows = count_rows(engine)
        if rows and not force:
            raise BackupError(
                f"The database is not empty ({rows} rows). Restore into an empty instance, or add --force "
                "to replace everything in it with the backup."
            )
        engine.dispose()
        if manifest.database == "sqlite":
            _restore_sqlite(dump, _sqlite_path(engine))
        else:
            _run_pg("pg_restore", engine.url, "--clean", "--if-exists", "--no-owner", "--no-privileges",
                    "--single-transaction", "--exit-on-error", str(dump))  # fmt: skip
        write_secret(instance, secret)
    return manifest


def _restore_sqlite(dump: Path, target: Path) -> None:
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        os.close(os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE))
    src = sqlite3.connect(f"file:{dump}?mode=ro", uri=True)
    dst = sqlite3.connect(target, timeout=15)
    try:
        dst.execute("PRAGMA journal_mode=WAL")
        src.backup(dst)  # replaces every page of the target, in one transaction
    finally:
        dst.close()
        src.close()


def write_secret(instance: Path, secret: str) -> None:
    """Put the secret key where config.load() reads it: instance/secret_key, 0600, replaced atomically."""
    instance.mkdir(mode=PRIVATE_DIR, parents=True, exist_ok=True)
    partial = instance / ".secret_key.partial"
    partial.unlink(missing_ok=True)
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE)
    with os.fdopen(fd, "w") as fh:
        fh.write(secret)
    os.replace(partial, instance / "secret_key")


def count_rows(engine: sa.Engine) -> int:
    """Rows in the database's tables, leaving out Alembic's own: 0 for an empty or just migrated database."""
    with engine.connect() as conn:
        tables = [name for name in sa.inspect(conn).get_table_names() if name != "alembic_version"]
        preparer = engine.dialect.identifier_preparer
        return sum(conn.scalar(sa.text(f"SELECT count(*) FROM {preparer.quote(name)}")) for name in tables)


def _open(backup: Path) -> tarfile.TarFile:
    try:
        return tarfile.open(backup, mode="r:gz")
    except (OSError, tarfile.TarError) as error:
        raise BackupError(f"Cannot read {backup} as a dropin backup: {error}") from error


def _member(tar: tarfile.TarFile, name: str) -> bytes:
    try:
        found = tar.extractfile(name)
    except KeyError:
        found = None
    if found is None:
        raise BackupError(f"The backup has no {name}.")
    return found.read()


# --- where things are --------------------------------------------------------------------


def _sqlite_path(engine: sa.Engine) -> Path:
    name = engine.url.database
    if not name or name == ":memory:" or name.startswith("file:"):
        raise BackupError("Only a SQLite database in a file can be backed up or restored.")
    return Path(name)


def _pg_bin(name: str) -> str:
    found = shutil.which(name) or (sorted(glob(f"/usr/lib/postgresql/*/bin/{name}")) or [None])[-1]
    if found is None:
        raise BackupError(f"PostgreSQL's {name} is not installed (Debian: postgresql-client).")
    return found


def _run_pg(program: str, url: sa.URL, *args: str) -> None:
    # libpq's own variables, so that a password never shows in the process list.
    env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
    given = {
        "PGHOST": url.query.get("host") or url.host,
        "PGPORT": url.port and str(url.port),
        "PGUSER": url.username,
        "PGPASSWORD": url.password,
        "PGDATABASE": url.database,
    }
    env.update({key: str(value) for key, value in given.items() if value})
    done = subprocess.run(
        [_pg_bin(program), f"--dbname={url.database}", *args], env=env, capture_output=True, stdin=subprocess.DEVNULL
    )
    if done.returncode:
        raise BackupError(f"{program} failed: {done.stderr.decode(errors='replace').strip()}")
