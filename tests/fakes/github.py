"""A faithful fake GitHub (REST v3 + GraphQL v4) served over real HTTP on 127.0.0.1.

    from fakes.github import FakeGitHub, generate_org      # tests/ is on sys.path under pytest

    with FakeGitHub(org=generate_org("acme", repos=30, seed=1), latency_ms=0) as gh:
        gh.url              # REST base, GitHub Enterprise style: http://127.0.0.1:PORT/api/v3
        gh.graphql_url      # http://127.0.0.1:PORT/api/graphql   (enterprise=False: / and /graphql)
        gh.requests         # HTTP requests received (304s and faults included)
        gh.points           # rate-limit points charged, REST + GraphQL (gh.rest_points, gh.graphql_points)
        gh.not_modified     # 304 answers
        gh.log              # RequestRecord(method, path, query, status, points, resource, ms, fault) per request
        gh.reset_counters() # zero the counters and the log, refill the rate limits
        gh.inject("status", path=r"^/repos/acme/flagship/", count=3, status=502)
        gh.exhaust("core", reset_in_s=5)    # primary rate limit used up until then
        gh.repo("acme/flagship").push({"Dockerfile": "FROM scratch\n"}, "change")  # change data between scans

Constructor options: ``org``/``orgs`` (github_data.Org, e.g. generate_org() or replay_org()),
``latency_ms`` (sleep per request), ``enterprise``, ``token`` (require this token),
``rate_limit``/``graphql_rate_limit``/``rate_limit_window_s``, ``primary_limit_status`` (403 or 429),
``app_id``/``app_public_key`` (GitHub App auth, see generate_app_key()), ``tree_entry_limit``
(``truncated: true`` above it).

What it does, as GitHub documents it:
- REST responses shaped by the official OpenAPI description (see github_rest.py), JSON errors
  ``{"message", "documentation_url", "status"}``.  Both ``/api/v3/...`` and bare paths work.
- Link header pagination (rel next/last/first/prev), ``per_page`` default 30 and max 100.
- ``ETag`` on every GET 200; ``If-None-Match`` -> 304 with an empty body, which costs no point.
  ``Last-Modified``/``If-Modified-Since`` on single resources that carry ``updated_at``.
  ETags hash the body with the server's own address taken out, so they stay the same across
  restarts for the same data (same ``generate_org`` arguments, ``anchor`` included).
- ``X-RateLimit-Limit/-Remaining/-Used/-Reset/-Resource`` on every response; 1 point per REST
  request that is not a 304 (``/rate_limit`` is free; errors count); GraphQL charged by the
  documented cost formula (github_graphql.py).  An exhausted primary limit answers 403 (or 429,
  see ``primary_limit_status``) with remaining 0 and the reset time; GraphQL answers 200 with a
  ``RATE_LIMITED`` error.  GraphQL needs a token (401 without).
- Faults: ``inject("status", status=500|502|503)``, ``inject("secondary", retry_after=N)``
  (403 + Retry-After + GitHub's message), ``inject("truncated")`` (JSON cut in half, consistent
  Content-Length; ``transfer=True`` announces the full length and closes early),
  ``inject("garbage")`` (non-JSON body with a JSON content type), ``inject("timeout", hang_s=N)``
  (no answer for N seconds, then the connection is closed), ``inject("reset")`` (connection
  closed without an answer).  Each takes ``path`` (a regex searched in the request path and
  query, /api/v3 removed; GraphQL is ``/api/graphql`` or ``/graphql``), ``method`` and ``count``
  (how many matching requests it hits).  Status, secondary, timeout and reset faults charge no
  point; truncated and garbage bodies are 200s and charge like one.
- Auth: any token (or none, for REST) unless ``token=`` is given, then only that token and
  installation tokens pass (401 "Bad credentials" otherwise).  GitHub App: POST
  ``/app/installations/{id}/access_tokens`` and GET ``/repos/{o}/{r}/installation`` need
  ``Authorization: Bearer <JWT>`` (RS256; the signature is checked when ``app_public_key`` is
  given, ``iss`` against ``app_id``, ``exp - iat`` <= 10 minutes); the installation token it
  returns works for ``/installation/repositories`` and everything else.
"""

from __future__ import annotations

import base64
import datetime as dt
import email.utils
import hashlib
import json
import re
import secrets
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler
from typing import Any
from urllib.parse import parse_qsl, unquote, urlencode, urlsplit

from . import github_data as gd
from .github_data import Account, Org, generate_org, replay_org  # noqa: F401  (re-exported)
from .github_graphql import execute_graphql
from .github_rest import ApiError, Reply, Request, RestApi
from .served import FakeHandler, ServedFake

__all__ = ["FakeGitHub", "Fault", "RequestRecord", "generate_org", "replay_org", "generate_app_key"]

SECONDARY_MESSAGE = ("You have exceeded a secondary rate limit. Please wait a few minutes before you try again. "
                     "If you reach out to GitHub Support for help, please include the request ID {rid}.")
SECONDARY_DOCS = "https://docs.github.com/free-pro-team@latest/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits"
PRIMARY_DOCS = "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api"


# ---------------------------------------------------------------------------------------------- rate limits


class RateBucket:
    """One rate-limit resource (``core`` or ``graphql``): a fixed window that starts full."""

    def __init__(self, name: str, limit: int, window_s: float) -> None:
        self.name, self.limit, self.window_s = name, limit, window_s
        self._lock = threading.Lock()
        self.used = 0
        self.reset_at = time.time() + window_s

    def _roll(self) -> None:
        now = time.time()
        if now >= self.reset_at:
            self.used = 0
            self.reset_at = now + self.window_s

    def exhausted(self) -> bool:
        with self._lock:
            self._roll()
            return self.used >= self.limit

    def charge(self, n: int) -> None:
        with self._lock:
            self._roll()
            self.used += n

    def try_charge(self, n: int) -> bool:
        with self._lock:
            self._roll()
            if self.used + n > self.limit:
                return False
            self.used += n
            return True

    def snapshot(self) -> dict[str, int]:
        with self._lock:
            self._roll()
            return {"limit": self.limit, "used": self.used, "remaining": max(0, self.limit - self.used),
                    "reset": int(self.reset_at + 0.999)}

    def exhaust(self, reset_in_s: float) -> None:
        with self._lock:
            self.used = self.limit
            self.reset_at = time.time() + reset_in_s

    def refill(self) -> None:
        with self._lock:
            self.used = 0
            self.reset_at = time.time() + self.window_s


# ---------------------------------------------------------------------------------------------- faults


@dataclass
class Fault:
    kind: str
    pattern: re.Pattern[str]
    method: str | None = None
    remaining: int = 1
    status: int = 502
    retry_after: int | None = 1
    hang_s: float = 30.0
    body: bytes | None = None
    transfer: bool = False
    hits: int = 0


@dataclass
class RequestRecord:
    method: str
    path: str
    query: str
    status: int
    points: int
    resource: str
    ms: float
    fault: str | None = None


KINDS = ("status", "secondary", "truncated", "garbage", "timeout", "reset")


# ---------------------------------------------------------------------------------------------- server


class _Handler(FakeHandler):
    server_name = "GitHub.com"


def generate_app_key() -> tuple[bytes, bytes]:
    """A fresh RSA key pair for GitHub App tests: (private PEM, public PEM)."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    private = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    public = key.public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    return private, public


class FakeGitHub(ServedFake):
    thread_name = "fake-github"
    handler = _Handler

    def __init__(self, org: Org | None = None, orgs: list[Org] | tuple[Org, ...] = (), *, latency_ms: float = 0,
                 enterprise: bool = True, token: str | None = None, rate_limit: int = 5000,
                 graphql_rate_limit: int = 5000, rate_limit_window_s: float = 3600, primary_limit_status: int = 403,
                 app_id: int | None = None, app_public_key: bytes | str | None = None, tree_entry_limit: int = 100_000,
                 see_private: bool = True, host: str = "127.0.0.1", port: int = 0) -> None:
        all_orgs = ([org] if org is not None else []) + list(orgs)
        if not all_orgs:
            all_orgs = [generate_org()]
        self.orgs: dict[str, Org] = {o.login.lower(): o for o in all_orgs}
        self.latency_ms = latency_ms
        self.enterprise = enterprise
        self.token = token
        self.primary_limit_status = primary_limit_status
        self.app_id = app_id
        self.app_public_key = app_public_key
        self.tree_entry_limit = tree_entry_limit
        self.see_private = see_private
        self.viewer = Account("scanner-user", 6_000_001, "User", "Scanner User", "scanner@example.com")
        self._buckets = {"core": RateBucket("core", rate_limit, rate_limit_window_s),
                         "graphql": RateBucket("graphql", graphql_rate_limit, rate_limit_window_s)}
        self._host, self._port = host, port
        self._lock = threading.Lock()
        self._installation_tokens: dict[str, tuple[str, float]] = {}
        self._init_served(self._host, self._port)
        self.rest = RestApi(self)
        self.internal_errors: list[str] = []
        self.reset_counters()

    @property
    def web_url(self) -> str:
        return self.base_url

    @property
    def url(self) -> str:
        """The REST base URL (``/api/v3`` as GitHub Enterprise Server unless enterprise=False)."""
        return self.web_url + ("/api/v3" if self.enterprise else "")

    @property
    def graphql_url(self) -> str:
        return self.web_url + ("/api/graphql" if self.enterprise else "/graphql")

    # ---- counters

    def reset_counters(self) -> None:
        """Zero the counters and the request log, and refill both rate-limit buckets."""
        with self._lock:
            self.requests = 0
            self.rest_points = 0
            self.graphql_points = 0
            self.not_modified = 0
            self.log: list[RequestRecord] = []
        for b in self._buckets.values():
            b.refill()

    @property
    def points(self) -> int:
        return self.rest_points + self.graphql_points

    def bucket(self, resource: str) -> RateBucket:
        return self._buckets[resource]

    def rate(self, resource: str = "core") -> dict[str, int]:
        return self._buckets[resource].snapshot()

    def exhaust(self, resource: str = "core", reset_in_s: float = 60) -> None:
        """Use up the primary rate limit of ``resource`` until ``reset_in_s`` from now."""
        self._buckets[resource].exhaust(reset_in_s)

    # ---- faults

    def inject(self, kind: str, path: str = ".*", *, count: int = 1, method: str | None = None, status: int | None = None,
               retry_after: int | None = 1, hang_s: float = 30.0, body: bytes | str | None = None,
               transfer: bool = False) -> Fault:
        if kind not in KINDS:
            raise ValueError(f"unknown fault kind {kind!r}; one of {KINDS}")
        f = Fault(kind, re.compile(path), method.upper() if method else None, count,
                  status or (502 if kind == "status" else 403 if kind == "secondary" else 200), retry_after, hang_s,
                  body.encode() if isinstance(body, str) else body, transfer)
        return self._add_fault(f)

    # ---- data

    def find_org(self, login: str) -> Org | None:
        return self.orgs.get((login or "").lower())

    def repo(self, full_name: str) -> gd.Repo | None:
        owner, _, name = full_name.partition("/")
        org = self.find_org(owner)
        return org.repo(name) if org else None

    def can_see_private(self, org: Org | None) -> bool:  # noqa: ARG002
        return self.see_private

    def issue_installation_token(self, org: Org) -> tuple[str, dt.datetime]:
        token = "ghs_" + secrets.token_hex(18)
        expires = dt.datetime.now(dt.timezone.utc).replace(microsecond=0) + dt.timedelta(hours=1)
        with self._lock:
            self._installation_tokens[token] = (org.login, expires.timestamp())
        return token, expires

    # ---- auth

    def _authenticate(self, header: str | None, path: str) -> dict[str, Any] | ApiError:
        needs_app = path.startswith("/app/") or path.endswith("/installation")
        if not header:
            if needs_app:
                return ApiError(401, "A JSON web token could not be decoded")
            if self.token is not None:
                return ApiError(401, "Requires authentication")
            return {"kind": "anonymous"}
        scheme, _, cred = header.partition(" ")
        cred = cred.strip()
        if scheme.lower() not in ("token", "bearer") or not cred:
            return ApiError(401, "Bad credentials")
        if cred.count(".") == 2 and cred.startswith("eyJ"):
            err = self._check_jwt(cred)
            if err:
                return ApiError(401, err)
            if not needs_app:
                return ApiError(403, "Resource not accessible by integration")
            return {"kind": "app"}
        if needs_app:
            return ApiError(401, "A JSON web token could not be decoded")
        with self._lock:
            inst = self._installation_tokens.get(cred)
        if inst is not None:
            if inst[1] < time.time():
                return ApiError(401, "Bad credentials")
            return {"kind": "installation", "installation_org": inst[0]}
        if self.token is None or secrets.compare_digest(cred, self.token):
            return {"kind": "token"}
        return ApiError(401, "Bad credentials")

    def _check_jwt(self, token: str) -> str | None:
        try:
            header_b64, payload_b64, _ = token.split(".")
            header = json.loads(_b64url(header_b64))
            payload = json.loads(_b64url(payload_b64))
        except Exception:  # noqa: BLE001
            return "A JSON web token could not be decoded"
        if header.get("alg") != "RS256":
            return "A JSON web token could not be decoded"
        if self.app_public_key is not None:
            try:
                import jwt

                jwt.decode(token, self.app_public_key, algorithms=["RS256"], options={"verify_exp": False, "verify_iat": False})
            except Exception:  # noqa: BLE001
                return "A JSON web token could not be decoded"
        for claim in ("iat", "exp", "iss"):
            if claim not in payload:
                return f"Missing '{claim}' claim in the JWT's payload."
        now = time.time()
        if not isinstance(payload["exp"], (int, float)):
            return "'Expiration time' claim ('exp') must be a numeric value representing the future time at which the assertion expires."
        if payload["exp"] < now - 60:
            return "'Expiration time' claim ('exp') must be a numeric value representing the future time at which the assertion expires."
        if payload["exp"] - payload["iat"] > 600 + 60 or payload["exp"] > now + 660:
            return "'Expiration time' claim ('exp') is too far in the future"
        if payload["iat"] > now + 60:
            return "'Issued at' claim ('iat') must be an Integer representing the time that the assertion was issued."
        if self.app_id is not None and str(payload["iss"]) != str(self.app_id):
            return "'Issuer' claim ('iss') must be an Integer"
        return None

    # ---- request handling

    def _serve(self, h: BaseHTTPRequestHandler) -> None:
        t0 = time.monotonic()
        split = urlsplit(h.path)
        path = unquote(split.path)
        prefix = ""
        if path == "/api/v3" or path.startswith("/api/v3/"):
            prefix = "/api/v3"
            path = path[len(prefix):] or "/"
        length = int(h.headers.get("Content-Length") or 0)
        body = h.rfile.read(length) if length else b""
        host = h.headers.get("Host") or f"{self._host}:{self.port}"
        api, web = f"http://{host}{prefix}", f"http://{host}"
        is_graphql = path in ("/graphql", "/api/graphql")
        resource = "graphql" if is_graphql else "core"
        with self._lock:
            self.requests += 1
            rid = self.requests
        if self.latency_ms:
            time.sleep(self.latency_ms / 1000)
        target = path + ("?" + split.query if split.query else "")
        fault = self._take_fault(h.command, target)

        def record(status: int, points: int, fault_kind: str | None = None) -> None:
            with self._lock:
                self.log.append(RequestRecord(h.command, path, split.query, status, points, resource,
                                              (time.monotonic() - t0) * 1000, fault_kind))

        if fault is not None and fault.kind in ("timeout", "reset"):
            record(0, 0, fault.kind)
            if fault.kind == "timeout":
                self._stop.wait(fault.hang_s)
            h.close_connection = True
            return
        if fault is not None and fault.kind in ("status", "secondary"):
            if fault.kind == "secondary":
                payload = fault.body or _json({"message": SECONDARY_MESSAGE.format(rid=_rid(rid)), "documentation_url": SECONDARY_DOCS})
                extra = {"Retry-After": str(fault.retry_after)} if fault.retry_after is not None else {}
            else:
                payload = fault.body if fault.body is not None else _json({"message": "Server Error"})
                extra = {}
            record(fault.status, 0, fault.kind)
            self._send(h, fault.status, payload, resource, rid, extra)
            return

        identity = self._authenticate(h.headers.get("Authorization"), path)
        if isinstance(identity, ApiError):
            record(identity.status, 0)
            self._send(h, identity.status, _json(_error_body(identity, None)), resource, rid)
            return
        bucket = self._buckets[resource]

        if is_graphql:
            if identity.get("kind") == "anonymous":
                record(401, 0)
                self._send(h, 401, _json({"message": "This endpoint requires you to be authenticated.",
                                          "documentation_url": "https://docs.github.com/graphql/guides/forming-calls-with-graphql#authenticating-with-graphql"}),
                           resource, rid)
                return
            if h.command != "POST":
                record(404, 0)
                self._send(h, 404, _json({"message": "Not Found", "documentation_url": "https://docs.github.com/graphql"}), resource, rid)
                return
            if bucket.exhausted():
                payload = _json({"errors": [{"type": "RATE_LIMITED", "code": "graphql_rate_limit",
                                             "message": f"API rate limit already exceeded for user ID {self.viewer.id}."}]})
                record(200, 0)
                self._send(h, 200, payload, resource, rid)
                return
            try:
                request_json = json.loads(body or b"null")
            except ValueError:
                request_json = None
            status, response, cost = execute_graphql(self, request_json, web, bucket)
            with self._lock:
                self.graphql_points += cost
            payload = self._apply_body_fault(fault, _json(response))
            record(status, cost, fault.kind if fault else None)
            self._send(h, status, payload, resource, rid, transfer_fault=fault)
            return

        req = Request(h.command, path, parse_qsl(split.query, keep_blank_values=True), h.headers, api, web, body, identity)
        free = path == "/rate_limit"
        if not free and bucket.exhausted():
            snap = bucket.snapshot()
            err = {"message": f"API rate limit exceeded for user ID {self.viewer.id}. If you reach out to GitHub Support "
                              f"for help, please include the request ID {_rid(rid)} and timestamp "
                              f"{dt.datetime.now(dt.timezone.utc):%Y-%m-%d %H:%M:%S} UTC.",
                   "documentation_url": PRIMARY_DOCS}
            extra = {"Retry-After": str(max(0, snap["reset"] - int(time.time())))} if self.primary_limit_status == 429 else {}
            record(self.primary_limit_status, 0)
            self._send(h, self.primary_limit_status, _json(err), resource, rid, extra)
            return
        try:
            reply = self.rest.dispatch(req)
        except ApiError as exc:
            from .openapi import match_template

            reply = Reply(exc.status, _error_body(exc, _doc_url(match_template(path), h.command)))
        text = _json(reply.body) if not isinstance(reply.body, bytes) else reply.body
        headers: dict[str, str] = {}
        status = reply.status
        conditional_hit = False
        if h.command in ("GET", "HEAD") and status == 200:
            canon = text.replace(host.encode(), b"{host}")  # the fake's own address is not content
            etag = 'W/"' + hashlib.sha256(canon).hexdigest() + '"'
            headers["ETag"] = etag
            headers["Cache-Control"] = "private, max-age=60, s-maxage=60"
            last_modified = _last_modified(reply.body)
            if last_modified is not None:
                headers["Last-Modified"] = email.utils.format_datetime(last_modified, usegmt=True)
            inm = h.headers.get("If-None-Match")
            ims = h.headers.get("If-Modified-Since")
            if inm is not None:
                conditional_hit = _etag_matches(inm, etag)
            elif ims and last_modified is not None:
                try:
                    conditional_hit = last_modified <= email.utils.parsedate_to_datetime(ims)
                except (TypeError, ValueError):
                    conditional_hit = False
        if reply.page is not None and status == 200:
            link = _link_header(h.path, host, *reply.page)
            if link:
                headers["Link"] = link
        points = 0
        if conditional_hit:
            status, text = 304, b""
            with self._lock:
                self.not_modified += 1
        elif reply.charge and not free:
            points = 1
            bucket.charge(1)
            with self._lock:
                self.rest_points += 1
        if status != 304:
            text = self._apply_body_fault(fault, text)
        record(status, points, fault.kind if fault else None)
        self._send(h, status, text, resource, rid, headers, transfer_fault=fault if status != 304 else None)

    @staticmethod
    def _apply_body_fault(fault: Fault | None, text: bytes) -> bytes:
        if fault is None:
            return text
        if fault.kind == "truncated" and not fault.transfer:
            return text[: max(1, len(text) // 2)]
        if fault.kind == "garbage":
            return fault.body or b"<html><body><h1>Unicorn!</h1><p>This page is taking too long to load.</p></body></html>\n"
        return text

    def _send(self, h: BaseHTTPRequestHandler, status: int, payload: bytes, resource: str, rid: int,
              extra: dict[str, str] | None = None, transfer_fault: Fault | None = None) -> None:
        snap = self._buckets[resource].snapshot()
        h.send_response(status)
        if status != 304:
            h.send_header("Content-Type", "application/json; charset=utf-8")
        for k, v in (extra or {}).items():
            h.send_header(k, v)
        h.send_header("Vary", "Accept, Authorization, Cookie, X-GitHub-OTP")
        h.send_header("X-GitHub-Media-Type", "github.v3; format=json")
        h.send_header("X-GitHub-Api-Version-Selected", "2022-11-28")
        h.send_header("X-RateLimit-Limit", str(snap["limit"]))
        h.send_header("X-RateLimit-Remaining", str(snap["remaining"]))
        h.send_header("X-RateLimit-Reset", str(snap["reset"]))
        h.send_header("X-RateLimit-Used", str(snap["used"]))
        h.send_header("X-RateLimit-Resource", resource)
        h.send_header("X-GitHub-Request-Id", _rid(rid))
        cut = transfer_fault is not None and transfer_fault.kind == "truncated" and transfer_fault.transfer
        if status != 304:
            h.send_header("Content-Length", str(len(payload)))
        h.end_headers()
        if h.command == "HEAD" or status == 304:
            return
        try:
            if cut:
                h.wfile.write(payload[: max(1, len(payload) // 2)])
                h.wfile.flush()
                h.close_connection = True
            else:
                h.wfile.write(payload)
        except (BrokenPipeError, ConnectionResetError):
            h.close_connection = True


# ---------------------------------------------------------------------------------------------- helpers


def _json(body: Any) -> bytes:
    return json.dumps(body, separators=(",", ":"), ensure_ascii=False).encode()


def _b64url(part: str) -> bytes:
    return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))


def _rid(n: int) -> str:
    return f"{n:04X}:{n * 7919 % 65536:04X}:{n * 104729 % 16777216:06X}:{n * 1299709 % 16777216:06X}:66A1B2C3"


def _doc_url(template: str | None, method: str) -> str:
    if template is None:
        return "https://docs.github.com/rest"
    from .openapi import load_spec

    op = load_spec()["paths"].get(template, {}).get(method.lower(), {})
    return (op.get("externalDocs") or {}).get("url") or "https://docs.github.com/rest"


def _error_body(exc: ApiError, doc: str | None) -> dict[str, Any]:
    out: dict[str, Any] = {"message": exc.message, "documentation_url": doc or "https://docs.github.com/rest"}
    out.update(exc.extra)
    out["status"] = str(exc.status)
    return out


def _etag_matches(header: str, etag: str) -> bool:
    if header.strip() == "*":
        return True
    mine = etag.removeprefix("W/").strip('"')
    for part in header.split(","):
        if part.strip().removeprefix("W/").strip('"') == mine:
            return True
    return False


def _last_modified(body: Any) -> dt.datetime | None:
    if not isinstance(body, dict):
        return None
    stamps = [body.get(k) for k in ("pushed_at", "updated_at") if isinstance(body.get(k), str)]
    if not stamps or "total_count" in body:
        return None
    try:
        return max(dt.datetime.strptime(s, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=dt.timezone.utc) for s in stamps)
    except ValueError:
        return None


def _link_header(raw_path: str, host: str, page: int, per_page: int, total: int) -> str | None:
    last = max(1, -(-total // per_page))
    if last == 1 and page == 1:
        return None
    split = urlsplit(raw_path)
    params = parse_qsl(split.query, keep_blank_values=True)

    def url(p: int) -> str:
        q = [(k, v) for k, v in params if k != "page"]
        seen = any(k == "page" for k, _ in params)
        if seen:  # keep the parameter where the client put it
            q = [(k, str(p) if k == "page" else v) for k, v in params]
        else:
            q.append(("page", str(p)))
        return f"http://{host}{split.path}?{urlencode(q)}"

    parts = []
    if page > 1:
        parts.append(f'<{url(min(page - 1, last))}>; rel="prev"')
    if page < last:
        parts.append(f'<{url(page + 1)}>; rel="next"')
        parts.append(f'<{url(last)}>; rel="last"')
    if page > 1:
        parts.append(f'<{url(1)}>; rel="first"')
    return ", ".join(parts) or None
