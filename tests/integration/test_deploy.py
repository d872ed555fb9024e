"""deploy/ for real: nginx running deploy/nginx/dropin.conf over HTTPS in front of two `dropin serve`
processes on PostgreSQL, their rate limits in Redis, as deploy/README.md sets a region up."""

import http.client
import json
import os
import subprocess
import threading
import urllib.request
import uuid
from collections import Counter
from dataclasses import dataclass

import pytest
import sqlalchemy as sa

from dropin import create_app
from dropin.extensions import db
from dropin.models import Claim
from dropin.models.claim import ClaimStatus
from tests.factories import make_kiosk, make_site, make_task, make_user
from tests.helpers import PASSWORD
from tests.integration.region import Client, Region, missing_binaries, nginx_command, region

pytestmark = pytest.mark.slow

# Places one kiosk may take a minute, in every process together.
CLAIM_LIMIT = 8


@dataclass
class Deployed:
    region: Region
    database_url: str

    def site_with_kiosks(self, kiosks: int, capacity: int) -> tuple[str, int, list[str]]:
        """A new site with an open task of today and enrolled kiosks: its slug, the task and API tokens."""
        app = create_app({"SQLALCHEMY_DATABASE_URI": self.database_url, "SECRET_KEY": "setup"})
        with app.app_context():
            site = make_site("alue-" + uuid.uuid4().hex[:8])
            tokens = [make_kiosk(site, f"Näyttö {n}").api_token for n in range(kiosks)]
            task = make_task(site, capacity=capacity)
            db.session.commit()
            found = site.slug, task.id, tokens
            db.engine.dispose()
        return found

    def active_codes(self, task_id: int) -> list[str]:
        engine = sa.create_engine(self.database_url)
        try:
            with engine.connect() as conn:
                return list(
                    conn.scalars(
                        sa.select(Claim.code).where(Claim.task_id == task_id, Claim.status == ClaimStatus.ACTIVE)
                    )
                )
        finally:
            engine.dispose()


def _database(request, name: str) -> str:
    """A new database on the test session's PostgreSQL, with a staff account."""
    if os.environ.get("DROPIN_TEST_DATABASES") and "postgresql" not in os.environ["DROPIN_TEST_DATABASES"]:
        pytest.skip("the region set-up runs on PostgreSQL, not in DROPIN_TEST_DATABASES")
    missing = missing_binaries()
    if missing and os.geteuid() == 0:
        pytest.fail(f"{', '.join(missing)} not installed: `make system-deps` installs them")
    if missing:
        pytest.skip(f"{', '.join(missing)} not installed (Debian: sudo apt-get install nginx redis-server openssl)")
    cluster = request.getfixturevalue("postgres")
    cluster.create_database(name, template="dropin_template")
    request.addfinalizer(lambda: cluster.drop_database(name))
    app = create_app({"SQLALCHEMY_DATABASE_URI": cluster.url(name), "SECRET_KEY": "setup"})
    with app.app_context():
        make_user("staff@example.org", "staff")
        db.session.commit()
        db.engine.dispose()
    return cluster.url(name)


@pytest.fixture(scope="module")
def deployed(request, tmp_path_factory):
    """Two app processes behind nginx, shared by the tests of this module."""
    url = _database(request, "t_deploy_" + uuid.uuid4().hex[:8])
    limit = {"DROPIN_KIOSK_CLAIM_RATE_LIMIT": f"{CLAIM_LIMIT} per minute"}
    with region(url, tmp_path_factory.mktemp("region"), processes=2, env=limit) as running:
        yield Deployed(running, url)


@pytest.fixture
def deployed_alone(request, tmp_path):
    """One app process behind nginx, for a test that stops Redis."""
    url = _database(request, "t_deploy_" + uuid.uuid4().hex[:8])
    with region(url, tmp_path, processes=1) as running:
        yield Deployed(running, url)


def _claim(client: Client, task_id: int, token: str) -> tuple[int, dict]:
    headers = {"Authorization": f"Bearer {token}", "Content-Length": "0"}
    response, text = client.request("POST", f"/api/v1/tasks/{task_id}/claims", headers=headers)
    return response.status, json.loads(text) if text.startswith("{") else {"body": text[:200]}


def test_the_rendered_config_passes_nginx_t(deployed):
    done = subprocess.run(
        [*nginx_command(deployed.region.nginx.workdir), "-t"], capture_output=True, text=True, stdin=subprocess.DEVNULL
    )
    assert done.returncode == 0, done.stderr
    assert "test is successful" in done.stderr


def test_claims_and_board_polls_through_nginx_with_no_errors(deployed):
    slug, task_id, tokens = deployed.site_with_kiosks(kiosks=6, capacity=30)
    board = f"/kiosk/{slug}/board/tasks"
    claims: list[tuple[int, dict]] = []
    polls: list[tuple[int, str]] = []
    failures: list[str] = []

    def claimer(token: str) -> None:
        client = Client(deployed.region)
        try:
            claims.extend(_claim(client, task_id, token) for _ in range(CLAIM_LIMIT - 1))
        except Exception as error:  # every failed request is a result to report
            failures.append(repr(error))
        finally:
            client.close()

    def poller() -> None:
        client, etag = Client(deployed.region), None
        try:
            for _ in range(25):
                response, _ = client.request("GET", board, headers={"If-None-Match": etag} if etag else {})
                polls.append((response.status, response.headers.get("ETag")))
                etag = response.headers.get("ETag") or etag
        except Exception as error:
            failures.append(repr(error))
        finally:
            client.close()

    threads = [threading.Thread(target=claimer, args=(token,)) for token in tokens]
    threads += [threading.Thread(target=poller) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert failures == []
    statuses = Counter(status for status, _ in claims)
    # 6 kiosks x 7 tries for 30 places: every try answered, none over the limit, no place twice.
    assert statuses == {201: 30, 409: 12}, statuses
    assert {body["error"] for status, body in claims if status == 409} == {"full"}
    acknowledged = sorted(body["code"] for status, body in claims if status == 201)
    assert acknowledged == sorted(deployed.active_codes(task_id))
    assert {status for status, _ in polls} <= {200, 304}
    assert all(etag and not etag.startswith("W/") for _, etag in polls), "gzip must not weaken the board's ETag"
    # Both app processes served: the limits and the places above were kept across them.
    assert len(set(deployed.region.nginx.upstreams())) == 2


def test_an_unchanged_board_is_a_304_from_every_process(deployed):
    slug, _, _ = deployed.site_with_kiosks(kiosks=1, capacity=3)
    client = Client(deployed.region)
    first, body = client.request("GET", f"/kiosk/{slug}/board/tasks")
    assert first.status == 200
    assert "Roskien keruu" in body
    etag = first.headers["ETag"]
    before = len(deployed.region.nginx.upstreams())
    again = [client.request("GET", f"/kiosk/{slug}/board/tasks", headers={"If-None-Match": etag}) for _ in range(4)]
    assert [(response.status, text) for response, text in again] == [(304, "")] * 4
    assert len(set(deployed.region.nginx.upstreams()[before:])) == 2  # nginx took turns


def test_the_claim_limit_is_shared_by_the_processes(deployed):
    _, task_id, (token,) = deployed.site_with_kiosks(kiosks=1, capacity=100)
    client = Client(deployed.region)
    before = len(deployed.region.nginx.upstreams())
    outcomes = [_claim(client, task_id, token) for _ in range(2 * CLAIM_LIMIT)]
    statuses = [status for status, _ in outcomes]
    # N a minute means N in all, not N in each of the two processes that took turns answering.
    assert statuses == [201] * CLAIM_LIMIT + [429] * CLAIM_LIMIT
    assert outcomes[-1][1]["error"] == "too_many_claims"
    assert len(set(deployed.region.nginx.upstreams()[before:])) == 2
    assert any("kiosk-claims" in key for key in deployed.region.redis.stored_keys())


def test_the_app_sees_the_client_nginx_forwards(deployed):
    """The login throttle locks the client's own address: nginx's X-Forwarded-For reaches the app,
    and a client's made-up one does not."""
    guesser, colleague = Client(deployed.region, "127.0.0.3"), Client(deployed.region, "127.0.0.4")
    wrong = [
        guesser.form(
            "/login", {"email": "staff@example.org", "password": "väärä"}, {"X-Forwarded-For": f"198.51.100.{n}"}
        ).status
        for n in range(5)
    ]
    assert wrong == [401, 401, 401, 401, 429]
    assert colleague.form("/login", {"email": "staff@example.org", "password": PASSWORD}).status == 302


def test_https_http_and_gzip(deployed):
    slug, task_id, (token,) = deployed.site_with_kiosks(kiosks=1, capacity=3)
    client = Client(deployed.region)
    page, _ = client.request("GET", f"/kiosk/{slug}")
    assert page.status == 200
    assert page.headers["Content-Encoding"] == "gzip"
    assert "max-age=" in page.headers["Strict-Transport-Security"]  # the app knows it is https
    assert page.headers["Server"] == "nginx"  # no version
    status, body = _claim(client, task_id, token)
    assert status == 201
    assert body["phone_url"].startswith("https://dropin.example.fi/c/")
    # Static files come from the app, caching and all; nginx only compresses them.
    styles, _ = client.request("GET", "/static/css/dropin.css")
    port = deployed.region.app_ports[0]
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/static/css/dropin.css") as direct:
        assert styles.status == direct.status == 200
        assert styles.headers["Content-Encoding"] == "gzip"
        assert styles.headers["Cache-Control"] == direct.headers["Cache-Control"]
    plain = http.client.HTTPConnection("127.0.0.1", deployed.region.nginx.http_port, timeout=10)
    plain.request("GET", f"/kiosk/{slug}?lang=sv", headers={"Host": "dropin.example.fi"})
    moved = plain.getresponse()
    assert moved.status == 301
    assert moved.headers["Location"] == f"https://dropin.example.fi/kiosk/{slug}?lang=sv"


def test_places_can_be_taken_while_redis_is_down(deployed_alone):
    """Redis restarting must not stop the kiosks: each process counts in its own memory meanwhile."""
    _, task_id, (token,) = deployed_alone.site_with_kiosks(kiosks=1, capacity=10)
    client = Client(deployed_alone.region)
    assert _claim(client, task_id, token)[0] == 201
    deployed_alone.region.redis.stop()
    assert [_claim(client, task_id, token)[0] for _ in range(3)] == [201] * 3
    deployed_alone.region.redis.start()
