"""The GitHub client's HTTP behaviour, unit by unit, with respx (no server, no network)."""

from __future__ import annotations

import asyncio
import logging
import time

import httpx
import pytest
import respx

from collectors.api_cache import ApiCache
from collectors.github.client import ClientSettings, GitHubClient, GitHubError, NotFound, RateLimited

API = "https://ghe.example.test/api/v3"
SETTINGS = ClientSettings(api_url=API, retries=2, backoff_s=0.01, max_wait_s=5)
SECRET = "ghs_unit_test_secret_token_value"


def run(coro_fn, settings=SETTINGS, cache=None):
    async def go():
        async with GitHubClient(settings, lambda: SECRET, cache) as client:
            return await coro_fn(client), client

    return asyncio.run(go())


def test_graphql_url_beside_the_rest_base():
    assert ClientSettings(api_url="https://api.github.com").graphql_url == "https://api.github.com/graphql"
    assert ClientSettings(api_url="https://ghe.example.test/api/v3/").graphql_url == "https://ghe.example.test/api/graphql"


@respx.mock
def test_etag_revalidation_serves_the_cached_body_and_counts_no_point(tmp_path):
    route = respx.get(f"{API}/repos/o/r/branches/main")
    route.side_effect = [httpx.Response(200, json={"name": "main"}, headers={"ETag": '"abc"'}),
                         httpx.Response(304, headers={"ETag": '"abc"'})]
    cache = ApiCache(tmp_path / "c.sqlite3")
    answer, client = run(lambda c: c.get("repos/o/r/branches/main"), cache=cache)
    assert answer.body == {"name": "main"} and not answer.cached and client.usage.points == 1
    answer, client = run(lambda c: c.get("repos/o/r/branches/main"), cache=cache)
    assert answer.body == {"name": "main"} and answer.cached
    assert client.usage.points == 0 and client.usage.not_modified == 1
    assert route.calls[1].request.headers["If-None-Match"] == '"abc"'
    assert route.calls[1].request.headers["Authorization"] == f"Bearer {SECRET}"
    assert SECRET.encode() not in (tmp_path / "c.sqlite3").read_bytes()


@respx.mock
def test_secondary_limit_waits_for_retry_after(caplog):
    route = respx.get(f"{API}/x")
    route.side_effect = [httpx.Response(403, json={"message": "You have exceeded a secondary rate limit."}, headers={"Retry-After": "1"}),
                         httpx.Response(200, json=[1])]
    start = time.monotonic()
    with caplog.at_level(logging.WARNING, logger="maturity"):
        answer, client = run(lambda c: c.get("x"))
    assert answer.body == [1] and time.monotonic() - start >= 1.0
    assert client.usage.waited_s >= 1.0
    assert "secondary rate limit" in caplog.text and "Retry-After" in caplog.text


@respx.mock
def test_primary_limit_waits_for_the_reset_or_gives_up_when_it_is_too_far():
    reset = int(time.time()) + 1
    route = respx.get(f"{API}/x")
    route.side_effect = [httpx.Response(403, json={"message": "API rate limit exceeded"},
                                        headers={"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": str(reset)}),
                         httpx.Response(200, json={}, headers={"X-RateLimit-Remaining": "4999"})]
    answer, client = run(lambda c: c.get("x"))
    assert answer.body == {} and client.usage.remaining["core"] == 4999
    far = int(time.time()) + 3600
    respx.get(f"{API}/y").mock(return_value=httpx.Response(429, json={"message": "API rate limit exceeded"},
                                                           headers={"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": str(far)}))
    with pytest.raises(RateLimited, match="more than the 5 s"):
        run(lambda c: c.get("y"))


@respx.mock
def test_5xx_is_retried_then_reported_without_the_token():
    route = respx.get(f"{API}/flaky").mock(return_value=httpx.Response(502, text="bad gateway"))
    with pytest.raises(GitHubError) as info:
        run(lambda c: c.get("flaky"))
    assert route.call_count == 3 and "HTTP 502 after 3 attempts" in str(info.value)
    assert SECRET not in str(info.value)


@respx.mock
def test_garbage_body_and_timeouts_become_one_line_errors():
    respx.get(f"{API}/garbage").mock(return_value=httpx.Response(200, content=b"<html>oops", headers={"Content-Type": "application/json"}))
    with pytest.raises(GitHubError, match="not JSON"):
        run(lambda c: c.get("garbage"))
    respx.get(f"{API}/slow").mock(side_effect=httpx.ReadTimeout("read timed out"))
    with pytest.raises(GitHubError, match="timed out after 3 attempts"):
        run(lambda c: c.get("slow"))
    respx.get(f"{API}/gone").mock(return_value=httpx.Response(404, json={"message": "Not Found"}))
    with pytest.raises(NotFound):
        run(lambda c: c.get("gone"))


@respx.mock
def test_pagination_follows_link_next():
    respx.get(f"{API}/list?per_page=2").mock(return_value=httpx.Response(200, json=[1, 2], headers={"Link": f'<{API}/list?page=2>; rel="next"'}))
    respx.get(f"{API}/list?page=2").mock(return_value=httpx.Response(200, json=[3]))
    (items, complete, first), _ = run(lambda c: c.get_pages("list", {"per_page": 2}))
    assert items == [1, 2, 3] and complete and first.endswith("/list?per_page=2")


@respx.mock
def test_graphql_counts_reported_cost_and_waits_out_rate_limited():
    route = respx.post("https://ghe.example.test/api/graphql")
    route.side_effect = [
        httpx.Response(200, json={"errors": [{"type": "RATE_LIMITED", "message": "API rate limit exceeded"}]},
                       headers={"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": str(int(time.time()) + 1), "X-RateLimit-Resource": "graphql"}),
        httpx.Response(200, json={"data": {"r0": {"x": 1}, "rateLimit": {"cost": 3, "remaining": 4990}}}),
    ]
    (data, errors), client = run(lambda c: c.graphql("query { x }"))
    assert data["r0"] == {"x": 1} and errors == [] and client.usage.points == 3 and client.usage.waited_s >= 1


def test_cache_drops_old_entries_when_it_opens(tmp_path):
    path = tmp_path / "c.sqlite3"
    cache = ApiCache(path)
    cache.store_etag("https://x/old", '"1"', b"{}")
    cache.store_object("blob:abc", "text")
    cache.store_etag("https://x/new", '"2"', b"[]")
    cache.close()
    import sqlite3

    with sqlite3.connect(path) as db:
        db.execute("UPDATE etag SET stored = stored - 31 * 86400 WHERE url = 'https://x/old'")
        db.execute("UPDATE objects SET stored = stored - 91 * 86400")
    cache = ApiCache(path)
    assert cache.etag("https://x/old") is None and cache.object("blob:abc") is None
    assert cache.etag("https://x/new") == ('"2"', b"[]")
