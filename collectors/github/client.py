"""The fast path to GitHub: REST with ETag revalidation and GraphQL, over one httpx.AsyncClient.

It owns the API budget: bounded concurrency, rate-limit headers honoured (a spent primary limit
waits for its reset, a secondary limit waits for `Retry-After` and backs off), transient failures
retried with backoff, and every request, point, 304 and second waited counted in `usage`.

Errors never carry the token: messages name the method, the path and the status only.
"""

from __future__ import annotations

import asyncio
import json
import logging
import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any
from urllib.parse import urlencode, urlsplit

import httpx

from collectors.api_cache import ApiCache
from collectors.usage import Usage
from scanner.errors import CollectorError

log = logging.getLogger("maturity.github")

USER_AGENT = "maturity-scanner (+https://github.com/maturity-scanner)"
API_VERSION = "2022-11-28"


class GitHubError(CollectorError):
    """GitHub answered with an error, or not at all."""

    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


class NotFound(GitHubError):
    """404: the thing does not exist, or the token may not see it (GitHub does not say which)."""


class RateLimited(GitHubError):
    """The rate limit is spent and its reset is further away than the scan may wait."""


@dataclass(frozen=True)
class ClientSettings:
    api_url: str = "https://api.github.com"
    """REST base URL; GitHub Enterprise Server: `https://HOST/api/v3`."""
    concurrency: int = 8
    """Requests in flight at once."""
    timeout_s: float = 30.0
    """Read timeout per request."""
    retries: int = 3
    """Retries of a request after a timeout, a dropped connection, a 5xx or a garbled body."""
    max_wait_s: float = 900.0
    """Longest the scan waits for a rate limit to reset before it gives up."""
    backoff_s: float = 1.0
    """First backoff step; doubles per retry."""
    page_size: int = 100
    """Items per page of REST lists (GitHub's maximum is 100)."""
    graphql_concurrency: int = 4
    """GraphQL queries in flight at once (each is heavy on GitHub's side; its secondary limits count CPU time)."""

    @property
    def graphql_url(self) -> str:
        base = self.api_url.rstrip("/")
        if base.endswith("/api/v3"):
            return base[: -len("/v3")] + "/graphql"
        return base + "/graphql"


@dataclass(frozen=True)
class RestAnswer:
    status: int
    """200 (304s are answered from the cache and reported as 200 with `cached`)."""
    body: Any
    """The decoded JSON."""
    url: str
    """The URL asked (without credentials)."""
    next_url: str | None
    """Link rel=next, for pagination."""
    cached: bool
    """True when GitHub said 304 and the body came from the cache."""


def _describe(method: str, url: str) -> str:
    parts = urlsplit(url)
    return f"{method} {parts.path}"


def _retry_after(headers: httpx.Headers) -> float | None:
    value = headers.get("retry-after")
    if value is None:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        return None


def _next_link(headers: httpx.Headers) -> str | None:
    link = headers.get("link")
    if not link:
        return None
    for part in link.split(","):
        section = part.split(";")
        if len(section) >= 2 and 'rel="next"' in section[1].replace(" ", ""):
            return section[0].strip().strip("<>")
    return None


class GitHubClient:
    """Use as `async with GitHubClient(settings, token, cache) as gh:`."""

    def __init__(self, settings: ClientSettings, token: Callable[[], str | None], cache: ApiCache | None = None,
                 transport: httpx.AsyncBaseTransport | None = None) -> None:
        self.settings = settings
        self._token = token
        self.cache = cache or ApiCache(None)
        self.usage = Usage()
        self._transport = transport
        self._http: httpx.AsyncClient | None = None
        self._slots = asyncio.Semaphore(settings.concurrency)
        self._graphql_slots = asyncio.Semaphore(max(1, min(settings.graphql_concurrency, settings.concurrency)))
        self._paused_until = 0.0

    async def __aenter__(self) -> GitHubClient:
        limits = httpx.Limits(max_connections=self.settings.concurrency, max_keepalive_connections=self.settings.concurrency)
        timeout = httpx.Timeout(self.settings.timeout_s, connect=min(10.0, self.settings.timeout_s))
        self._http = httpx.AsyncClient(timeout=timeout, limits=limits, transport=self._transport, follow_redirects=True,
                                       headers={"Accept": "application/vnd.github+json", "User-Agent": USER_AGENT,
                                                "X-GitHub-Api-Version": API_VERSION})
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self._http is not None:
            await self._http.aclose()
            self._http = None

    def url(self, path: str, params: dict[str, Any] | None = None) -> str:
        base = self.settings.api_url.rstrip("/")
        query = f"?{urlencode(sorted(params.items()))}" if params else ""
        return f"{base}/{path.lstrip('/')}{query}"

    # ------------------------------------------------------------------------------------ REST

    async def get(self, path_or_url: str, params: dict[str, Any] | None = None, conditional: bool = True) -> RestAnswer:
        url = path_or_url if path_or_url.startswith(("http://", "https://")) else self.url(path_or_url, params)
        cached = self.cache.etag(url) if conditional else None
        headers = {"If-None-Match": cached[0]} if cached else {}
        resp, body = await self._send("GET", url, headers=headers, resource="core")
        if resp.status_code == 304 and cached is not None:
            return RestAnswer(200, json.loads(cached[1]), url, _next_link(resp.headers), True)
        etag = resp.headers.get("etag")
        if conditional and etag:
            self.cache.store_etag(url, etag, body)
        return RestAnswer(resp.status_code, json.loads(body), url, _next_link(resp.headers), False)

    async def get_pages(self, path: str, params: dict[str, Any], key: str | None = None, max_pages: int = 10) -> tuple[list[Any], bool, str]:
        """Every item over Link pagination (at most `max_pages` pages): (items, complete, first URL)."""
        first = self.url(path, params)
        items: list[Any] = []
        url: str | None = first
        pages = 0
        while url is not None and pages < max_pages:
            answer = await self.get(url)
            page = answer.body.get(key, []) if key else answer.body
            if not isinstance(page, list):
                raise GitHubError(f"{_describe('GET', url)}: unexpected answer shape (no list{' under ' + key if key else ''})")
            items.extend(page)
            url = answer.next_url
            pages += 1
        return items, url is None, first

    # ------------------------------------------------------------------------------------ GraphQL

    async def graphql(self, query: str, variables: dict[str, Any] | None = None) -> tuple[dict[str, Any], list[dict[str, Any]]]:
        """(data, errors). Field errors (NOT_FOUND, FORBIDDEN on one alias) come back in `errors`
        for the caller to pin on the repository they concern; rate limiting is waited out here."""
        payload = json.dumps({"query": query, "variables": variables or {}}).encode()
        for attempt in range(self.settings.retries + 1):
            async with self._graphql_slots:
                resp, body = await self._send("POST", self.settings.graphql_url, content=payload, resource="graphql",
                                              headers={"Content-Type": "application/json"})
            try:
                doc = json.loads(body)
            except ValueError:
                doc = None
            if not isinstance(doc, dict):
                if attempt < self.settings.retries:
                    await self._backoff(attempt, "POST /graphql: garbled answer")
                    continue
                raise GitHubError("POST /graphql: the answer is not JSON")
            data = doc.get("data") or {}
            errors = doc.get("errors") or []
            rate = data.get("rateLimit") if isinstance(data, dict) else None
            if isinstance(rate, dict):
                self.usage.points += int(rate.get("cost") or 0)
                if "remaining" in rate:
                    self.usage.remaining["graphql"] = int(rate["remaining"])
            if any(e.get("type") == "RATE_LIMITED" for e in errors if isinstance(e, dict)):
                await self._wait_primary("graphql", "POST /graphql")
                continue
            if not data and errors:
                first = errors[0].get("message", "error") if isinstance(errors[0], dict) else str(errors[0])
                raise GitHubError(f"POST /graphql: {first}")
            return data, errors
        raise GitHubError("POST /graphql: rate limited on every attempt")

    # ------------------------------------------------------------------------------------ transport

    def _auth_headers(self) -> dict[str, str]:
        token = self._token()
        return {"Authorization": f"Bearer {token}"} if token else {}

    async def _send(self, method: str, url: str, *, headers: dict[str, str], resource: str,
                    content: bytes | None = None) -> tuple[httpx.Response, bytes]:
        assert self._http is not None, "use GitHubClient as an async context manager"
        what = _describe(method, url)
        attempt = 0
        secondary_waits = 0
        while True:
            await self._respect_pause()
            try:
                async with self._slots:
                    self.usage.requests += 1
                    resp = await self._http.request(method, url, headers={**headers, **self._auth_headers()}, content=content)
                    body = await resp.aread()
            except (httpx.TimeoutException, httpx.NetworkError, httpx.RemoteProtocolError) as exc:
                if attempt < self.settings.retries:
                    await self._backoff(attempt, f"{what}: {type(exc).__name__}")
                    attempt += 1
                    continue
                kind = "timed out" if isinstance(exc, httpx.TimeoutException) else f"connection failed ({type(exc).__name__})"
                raise GitHubError(f"{what}: {kind} after {attempt + 1} attempts") from None
            self._note_rate(resp.headers, resource)
            status = resp.status_code
            if status == 304:
                self.usage.not_modified += 1
                return resp, body
            if resource == "core":
                self.usage.points += 1
            if status in (403, 429) and self._is_rate_limit(resp, body):
                wait = _retry_after(resp.headers)
                if wait is not None or b"secondary rate limit" in body.lower():
                    secondary_waits += 1
                    if secondary_waits > 6:
                        raise RateLimited(f"{what}: secondary rate limit did not clear after {secondary_waits - 1} waits", status)
                    wait = wait if wait is not None else min(60.0 * 2 ** (secondary_waits - 1), self.settings.max_wait_s)
                    wait = wait + random.uniform(0, min(1.0, wait / 10))
                    log.warning("github: secondary rate limit on %s: waiting %.1f s (Retry-After)", what, wait)
                    await self._pause(wait)
                    continue
                await self._wait_primary(resource, what)
                continue
            if status >= 500:
                if attempt < self.settings.retries:
                    await self._backoff(attempt, f"{what}: HTTP {status}")
                    attempt += 1
                    continue
                raise GitHubError(f"{what}: HTTP {status} after {attempt + 1} attempts", status)
            if status == 404:
                raise NotFound(f"{what}: not found (404)", status)
            if status >= 400:
                raise GitHubError(f"{what}: HTTP {status}: {_message(body)}", status)
            if resource == "core" and status == 200:
                try:
                    json.loads(body)
                except ValueError:
                    if attempt < self.settings.retries:
                        await self._backoff(attempt, f"{what}: garbled body")
                        attempt += 1
                        continue
                    raise GitHubError(f"{what}: the answer is not JSON (after {attempt + 1} attempts)", status) from None
            return resp, body

    @staticmethod
    def _is_rate_limit(resp: httpx.Response, body: bytes) -> bool:
        if resp.headers.get("x-ratelimit-remaining") == "0" or "retry-after" in resp.headers:
            return True
        return b"rate limit" in body.lower()

    def _note_rate(self, headers: httpx.Headers, resource: str) -> None:
        name = headers.get("x-ratelimit-resource") or resource
        remaining, reset = headers.get("x-ratelimit-remaining"), headers.get("x-ratelimit-reset")
        if remaining is not None and remaining.isdigit():
            self.usage.remaining[name] = int(remaining)
        if reset is not None and reset.isdigit():
            self.usage.reset_at[name] = float(reset)

    async def _wait_primary(self, resource: str, what: str) -> None:
        reset = self.usage.reset_at.get(resource) or self.usage.reset_at.get("core") or (time.time() + 60)
        wait = max(1.0, reset - time.time() + 1)
        if wait > self.settings.max_wait_s:
            at = datetime.fromtimestamp(reset, tz=timezone.utc).strftime("%H:%M:%S UTC")
            raise RateLimited(f"GitHub {resource} rate limit spent; it resets at {at}, in {wait / 60:.0f} min, "
                              f"more than the {self.settings.max_wait_s:.0f} s the scan may wait (github.max_wait_s)")
        log.warning("github: %s rate limit spent on %s: waiting %.0f s for the reset", resource, what, wait)
        await self._pause(wait)

    async def _pause(self, seconds: float) -> None:
        """Every request waits: a rate limit is shared by all of them."""
        now = time.monotonic()
        until = now + seconds
        if until > self._paused_until:
            self.usage.waited_s += until - max(self._paused_until, now)
            self._paused_until = until
        await self._respect_pause()

    async def _respect_pause(self) -> None:
        delay = self._paused_until - time.monotonic()
        if delay > 0:
            await asyncio.sleep(delay)

    async def _backoff(self, attempt: int, why: str) -> None:
        delay = self.settings.backoff_s * 2 ** attempt * random.uniform(0.8, 1.2)
        log.info("github: %s; retrying in %.1f s", why, delay)
        await asyncio.sleep(delay)


def _message(body: bytes) -> str:
    try:
        doc = json.loads(body)
    except ValueError:
        return "non-JSON error body"
    if isinstance(doc, dict) and isinstance(doc.get("message"), str):
        return doc["message"][:200]
    return "error"
