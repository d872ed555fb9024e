"""Two waitress processes keep their own board answers, and both see a claim made through the other:
each reads the site's data version from the database before sending a kept answer again."""

import http.client
import json
from urllib.parse import urlsplit

from tests.integration import claimable_task, waitress_servers

SLUG = "kaksi"
LIST = f"/kiosk/{SLUG}/board/tasks"
API = f"/api/v1/sites/{SLUG}/tasks"


def get(base: str, path: str, etag: str | None = None) -> tuple[int, str | None, bytes]:
    conn = http.client.HTTPConnection(urlsplit(base).netloc, timeout=30)
    try:
        conn.request("GET", path, headers={"If-None-Match": etag} if etag else {})
        response = conn.getresponse()
        return response.status, response.getheader("ETag"), response.read()
    finally:
        conn.close()


def claim(base: str, task_id: int, token: str) -> int:
    conn = http.client.HTTPConnection(urlsplit(base).netloc, timeout=30)
    try:
        conn.request("POST", f"/api/v1/tasks/{task_id}/claims", headers={"Authorization": f"Bearer {token}"})
        return conn.getresponse().status
    finally:
        conn.close()


def test_a_claim_through_one_process_makes_the_others_kept_answers_fresh(database_url, tmp_path):
    task_id, token = claimable_task(database_url, capacity=3, slug=SLUG)
    with waitress_servers(database_url, tmp_path, count=2) as (one, other):
        _status, list_etag, body = get(one, LIST)
        assert b"3/3 paikkaa vapaana" in body
        _status, api_etag, _body = get(one, API)
        for _ in range(2):  # the first through Flask, the second kept
            assert get(one, LIST, list_etag)[0] == 304
            assert get(one, API, api_etag)[0] == 304

        assert claim(other, task_id, token) == 201

        status, new_etag, body = get(one, LIST, list_etag)
        assert status == 200
        assert new_etag != list_etag
        assert b"2/3 paikkaa vapaana" in body
        status, _etag, body = get(one, API, api_etag)
        assert status == 200
        assert json.loads(body)["tasks"][0]["free"] == 2
