"""A fresh app and a real database per test: a SQLite file and a throwaway PostgreSQL cluster."""

import os
import shutil
import tempfile
import uuid
from pathlib import Path

import pytest
import sqlalchemy as sa
from jinja2 import BytecodeCache

from dropin import create_app
from dropin.extensions import db as _db
from dropin.models import Site
from tests.factories import make_user
from tests.helpers import ROOT, login
from tests.pg import PostgresCluster
from tests.url_builders import share_compiled_builders

share_compiled_builders()

DATABASES = ("sqlite", "postgresql")


def _scratch_dir(prefix: str) -> Path:
    """A new directory, in memory where Linux has /dev/shm: every test copies a template database,
    and on a busy disk the copies and the fsync of each commit are what the suite waits for."""
    in_memory = "/dev/shm" if os.access("/dev/shm", os.W_OK) else None
    return Path(tempfile.mkdtemp(prefix=prefix, dir=in_memory))


def _migrate(url: str) -> None:
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "migrate"})
    with app.app_context():
        from flask_migrate import upgrade

        upgrade(directory=str(ROOT / "migrations"))
        _db.engine.dispose()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory) -> Path:
    """One migrated SQLite file; each test gets a copy."""
    path = tmp_path_factory.mktemp("sqlite") / "template.sqlite"
    _migrate(f"sqlite:///{path}")
    return path


@pytest.fixture(scope="session")
def postgres(tmp_path_factory):
    """A PostgreSQL cluster for this test session, with a migrated template database."""
    # pytest's own temp dirs are root-only; the postgres user needs a directory of its own.
    cluster = PostgresCluster(_scratch_dir("dropin-pg-"))
    cluster.start()
    cluster.create_database("dropin_template")
    _migrate(cluster.url("dropin_template"))
    yield cluster
    cluster.stop()
    shutil.rmtree(cluster.dir, ignore_errors=True)


@pytest.fixture(params=DATABASES)
def db_kind(request) -> str:
    return request.param


@pytest.fixture
def database_url(request, db_kind):
    if db_kind == "sqlite":
        directory = _scratch_dir("dropin-sqlite-")
        path = directory / "dropin.sqlite"
        shutil.copy(request.getfixturevalue("sqlite_template"), path)
        yield f"sqlite:///{path}"
        shutil.rmtree(directory, ignore_errors=True)
        return
    cluster = request.getfixturevalue("postgres")
    name = "t_" + uuid.uuid4().hex[:12]
    cluster.create_database(name, template="dropin_template")
    yield cluster.url(name)
    # Dropped at once: hundreds of kept copies are gigabytes to hold, and to delete at the end.
    cluster.drop_database(name)


@pytest.fixture
def app_config(database_url, tmp_path) -> dict:
    return {
        "TESTING": True,
        "SQLALCHEMY_DATABASE_URI": database_url,
        "SECRET_KEY": "test-" + uuid.uuid4().hex,
        "RATELIMIT_ENABLED": True,
        # Tests take many places from one kiosk; tests/web/test_claims_limit.py sets the real limit.
        "KIOSK_CLAIM_RATE_LIMIT": "10000 per minute",
        "SERVER_NAME": None,
    }


class SharedTemplateCode(BytecodeCache):
    """Jinja's compiled templates, kept in memory for every app of the test process.

    Each test's fresh app would parse and compile its templates again (a third of a web test's time);
    with this, Jinja compiles each template once and the other apps load the code. Jinja checks the
    template source's checksum on every load, so an edited template is compiled anew."""

    def __init__(self):
        self.code: dict[str, bytes] = {}

    def load_bytecode(self, bucket) -> None:
        if bucket.key in self.code:
            bucket.bytecode_from_string(self.code[bucket.key])

    def dump_bytecode(self, bucket) -> None:
        self.code[bucket.key] = bucket.bytecode_to_string()


TEMPLATE_CODE = SharedTemplateCode()


@pytest.fixture
def app(app_config):
    app = create_app(app_config)
    app.jinja_env.bytecode_cache = TEMPLATE_CODE
    yield app
    with app.app_context():
        _db.engine.dispose()


@pytest.fixture
def ctx(app):
    """An app context, for tests that call services directly."""
    with app.app_context():
        yield
        _db.session.remove()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def login_as(app, client):
    """`login_as(role, sites=(), email=None)`: a new user of that role, staff of the sites named by slug,
    logged in through the real login form; returns the user (detached, its columns loaded).

    The test `client` is the one logged in; `client=` logs in another test client instead.
    """

    def log_in(role: str, sites=(), email: str | None = None, *, client=client):
        email = email or f"{role}@example.org"
        with app.app_context():
            found = _db.session.scalars(sa.select(Site).where(Site.slug.in_(sites))).all()
            assert len(found) == len(set(sites)), f"no such site among {sites}"
            user = make_user(email, role, sites=found)
            _db.session.commit()
            _db.session.refresh(user)
            _db.session.expunge(user)
        assert login(client, email).status_code == 302, email
        return user

    return log_in


def pytest_collection_modifyitems(config, items):
    # The slow tests first (in their own order), so that with `-n 2` no long test is left for the end
    # while the other worker has nothing to do.
    items.sort(key=lambda item: item.get_closest_marker("slow") is None)
    # PostgreSQL-only runs when asked: DROPIN_TEST_DATABASES=sqlite skips the cluster.
    wanted = os.environ.get("DROPIN_TEST_DATABASES")
    if not wanted:
        return
    keep = set(wanted.split(","))
    for item in items:
        kind = getattr(item, "callspec", None) and item.callspec.params.get("db_kind")
        if kind and kind not in keep:
            item.add_marker(pytest.mark.skip(reason=f"{kind} not in DROPIN_TEST_DATABASES"))
