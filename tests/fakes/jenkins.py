"""A faithful fake Jenkins (Remote Access API) served over real HTTP on 127.0.0.1.

    from fakes.jenkins import FakeJenkins, generate_server     # tests/ is on sys.path under pytest

    with FakeJenkins(server=generate_server(jobs=200, seed=1), user="ci", token="11abc") as jk:
        jk.url              # http://127.0.0.1:PORT/  (python-jenkins: jenkins.Jenkins(jk.url, "ci", "11abc"))
        jk.requests         # HTTP requests received (faults included)
        jk.log              # JenkinsRequest(method, path, query, status, ms, fault) per request
        jk.reset_counters() # zero the counters and the log
        jk.inject("status", path=r"/job/api-build/", count=2, status=503)
        jk.job("platform/team-a/services/billing-build")   # the data (jenkins_data.Job), mutable between scans

Constructor options: ``server`` (a jenkins_data.Server: generate_server() or replay_server(); default
generate_server()), ``user``/``token`` (require HTTP Basic ``user:token``; 401 otherwise), ``latency_ms``
(sleep per request), ``crumbs`` (serve /crumbIssuer, default True; False answers 404 as with CSRF protection
off), ``host``/``port``.

What it does, as Jenkins does (Remote Access API, Stapler's ``api/json``):
- ``X-Jenkins: 2.440.3`` (plus X-Hudson, X-Jenkins-Session) on every answer; ``Server: Jetty(10.0.20)``.
- ``/`` (HTML), ``/api/json``, ``/crumbIssuer/api/json`` (DefaultCrumbIssuer, ``Jenkins-Crumb``, sets JSESSIONID),
  ``/whoAmI/api/json``, ``/me/api/json``; ``/job/a/job/b/api/json`` (folders, jobs, multibranch projects; ``/view/NAME``
  prefixes are ignored), ``/job/.../config.xml`` (``application/xml``), ``/job/.../N/api/json``,
  ``/job/.../lastBuild/api/json`` (and lastSuccessfulBuild, lastFailedBuild, ...).
- ``tree=``: Jenkins' grammar (``a,b[c,d[e]]{M,N}``, ``*``), applied generically: ``_class`` is always kept on
  objects that have one; an object asked for without sub-fields comes back as ``{"_class": ...}`` only (how
  python-jenkins' get_all_jobs sees folders beyond the requested depth); ``{M,N}`` keeps indices M (inclusive)
  to N (exclusive), ``{M,}`` from M, ``{,N}`` up to N, ``{N}`` just N.  Without ``tree`` a depth=0 view is served
  (nested objects carry a few identifying fields only).  ``builds`` holds the newest 100 builds, ``allBuilds``
  (only with ``tree``) all of them, newest first.
- 404: Jenkins' HTML "Not Found" page; python-jenkins raises NotFoundException.
- Faults (``inject(kind, path=regex, count=N, method=None, status=, delay_s=)``): ``"401"`` (bad credentials page),
  ``"403"`` (access denied page), ``"status"`` (500/502/503, HTML), ``"slow"`` (sleep ``delay_s`` then answer),
  ``"garbage"`` (200 with an HTML body where JSON was asked).  ``path`` is searched in the unquoted path + query.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

from .jenkins_data import BASE, Job, Server, generate_server, replay_server
from .served import FakeHandler, RequestRecord, ServedFake

JenkinsRequest = RequestRecord

__all__ = ["FakeJenkins", "JenkinsFault", "JenkinsRequest", "TreeError", "generate_server", "parse_tree", "prune", "replay_server"]

KINDS = ("401", "403", "status", "slow", "garbage")
VERSION = "2.440.3"
Tree = dict[str, tuple["Tree | None", "tuple[int | None, int | None] | None"]]


@dataclass
class JenkinsFault:
    kind: str
    pattern: re.Pattern[str]
    method: str | None = None
    remaining: int = 1
    status: int = 500
    delay_s: float = 2.0
    hits: int = 0


class TreeError(ValueError):
    pass


# ---- tree= (Stapler's TreePruner / Jenkins "Controlling the amount of data you fetch")

def parse_tree(spec: str) -> Tree:
    """``jobs[name,url,jobs[name]]{0,10},views[*]`` -> {"jobs": ({...}, (0, 10)), "views": ({"*": (None, None)}, None)}."""
    pos = 0

    def parse_list(end: str | None) -> Tree:
        nonlocal pos
        out: Tree = {}
        while True:
            m = re.compile(r"\s*([A-Za-z0-9_$*.\-]+)\s*").match(spec, pos)
            if not m:
                raise TreeError(f"expected a field name at {pos} in {spec!r}")
            name, pos = m.group(1), m.end()
            sub: Tree | None = None
            rng = None
            if pos < len(spec) and spec[pos] == "[":
                pos += 1
                sub = parse_list("]")
            if pos < len(spec) and spec[pos] == "{":
                close = spec.find("}", pos)
                if close < 0:
                    raise TreeError(f"unclosed range in {spec!r}")
                rng = parse_range(spec[pos + 1:close])
                pos = close + 1
            out[name] = (sub, rng)
            if pos < len(spec) and spec[pos] == ",":
                pos += 1
                continue
            if end is not None:
                if pos < len(spec) and spec[pos] == end:
                    pos += 1
                    return out
                raise TreeError(f"expected {end!r} at {pos} in {spec!r}")
            if pos != len(spec):
                raise TreeError(f"unexpected {spec[pos]!r} at {pos} in {spec!r}")
            return out

    return parse_list(None)


def parse_range(s: str) -> tuple[int | None, int | None]:
    s = s.strip()
    try:
        if "," not in s:
            n = int(s)
            return n, n + 1
        lo, hi = s.split(",", 1)
        return (int(lo) if lo.strip() else None), (int(hi) if hi.strip() else None)
    except ValueError as e:
        raise TreeError(f"bad range {{{s}}}") from e


def _resolve(v: Any) -> Any:
    return v() if callable(v) else v


def prune(value: Any, tree: Tree | None) -> Any:
    """Filter ``value`` (dicts may hold callables, resolved only when selected) by a parsed tree."""
    value = _resolve(value)
    if isinstance(value, list):
        return [prune(x, tree) for x in value]
    if not isinstance(value, dict):
        return value
    out: dict[str, Any] = {}
    if "_class" in value:
        out["_class"] = value["_class"]
    if not tree:
        return out
    star = tree.get("*")
    for k, v in value.items():
        if k == "_class":
            continue
        spec = tree.get(k, star)
        if spec is None:
            continue
        sub, rng = spec
        v = _resolve(v)
        if isinstance(v, list) and rng is not None:
            lo, hi = rng
            lo = max(0, lo or 0)
            v = v[lo:hi] if hi is not None else v[lo:]
        out[k] = prune(v, sub)
    return out


def depth0(value: dict[str, Any]) -> dict[str, Any]:
    """Jenkins' default (depth=0) view: every property of the object; nested objects with identifying fields only."""
    ident: Tree = {k: (None, None) for k in ("name", "url", "color", "number", "shortDescription", "userId", "userName", "upstreamProject",
                                             "upstreamBuild", "upstreamUrl", "parameters", "value", "SHA1", "branch", "lastBuiltRevision",
                                             "remoteUrls", "kind", "items")}
    for k in ("causes", "parameters", "branch", "lastBuiltRevision"):
        ident[k] = (ident, None)
    tree: Tree = {k: (ident, None) for k in value if k != "allBuilds"}
    tree["actions"] = (ident, None)
    return prune(value, tree)


# ---- HTTP

class _Handler(FakeHandler):
    server_name = "Jetty(10.0.20)"


class _NotFound(Exception):
    pass


class _BadRequest(Exception):
    pass


def _html(title: str, body: str) -> bytes:
    return (f"<!DOCTYPE html><html><head><title>{title} [Jenkins]</title></head>"
            f"<body><div id=\"main-panel\"><h1>{title}</h1><p>{body}</p></div></body></html>\n").encode()


NOT_FOUND = (b"<html>\n<head>\n<meta http-equiv=\"Content-Type\" content=\"text/html;charset=ISO-8859-1\"/>\n"
             b"<title>Error 404 Not Found</title>\n</head>\n<body><h2>HTTP ERROR 404 Not Found</h2>\n<table>\n"
             b"<tr><th>URI:</th><td>/</td></tr>\n<tr><th>STATUS:</th><td>404</td></tr>\n<tr><th>MESSAGE:</th><td>Not Found</td></tr>\n"
             b"<tr><th>SERVLET:</th><td>Stapler</td></tr>\n</table>\n<hr/><a href=\"https://eclipse.org/jetty\">Powered by Jetty:// 10.0.20</a><hr/>\n\n"
             b"</body>\n</html>\n")
BUILD_ALIASES = {"lastBuild", "lastCompletedBuild", "lastFailedBuild", "lastStableBuild", "lastSuccessfulBuild", "lastUnstableBuild",
                 "lastUnsuccessfulBuild", "firstBuild"}


class FakeJenkins(ServedFake):
    thread_name = "fake-jenkins"
    handler = _Handler

    def __init__(self, server: Server | None = None, *, user: str | None = None, token: str | None = None, latency_ms: float = 0,
                 crumbs: bool = True, host: str = "127.0.0.1", port: int = 0) -> None:
        self.server = server if server is not None else generate_server()
        self.user, self.token = user, token
        self.latency_ms, self.crumbs = latency_ms, crumbs
        self._host, self._port = host, port
        self._lock = threading.Lock()
        self._init_served(self._host, self._port)
        self.internal_errors: list[str] = []
        self.session = hashlib.sha1(f"{id(self)}".encode()).hexdigest()[:8]
        self.crumb = hashlib.sha256(f"crumb:{self.session}".encode()).hexdigest()
        self.reset_counters()

    @property
    def url(self) -> str:
        return self.base_url + "/"

    def job(self, full_name: str) -> Job:
        j = self.server.find(full_name)
        if j is None:
            raise KeyError(full_name)
        return j

    def reset_counters(self) -> None:
        with self._lock:
            self.requests = 0
            self.log: list[JenkinsRequest] = []

    def inject(self, kind: str, path: str = ".*", *, count: int = 1, method: str | None = None, status: int | None = None,
               delay_s: float = 2.0) -> JenkinsFault:
        if kind not in KINDS:
            raise ValueError(f"unknown fault {kind!r}; one of {KINDS}")
        default = {"401": 401, "403": 403, "status": 500}.get(kind, 200)
        f = JenkinsFault(kind, re.compile(path), method, count, status or default, delay_s)
        return self._add_fault(f)

    def _authorized(self, h: BaseHTTPRequestHandler) -> bool:
        if self.user is None and self.token is None:
            return True
        auth = h.headers.get("Authorization") or ""
        if not auth.startswith("Basic "):
            return False
        try:
            given = base64.b64decode(auth[6:].strip()).decode()
        except (ValueError, UnicodeDecodeError):
            return False
        return given == f"{self.user or ''}:{self.token or ''}"

    # ---- HTTP

    def _serve(self, h: BaseHTTPRequestHandler) -> None:
        t0 = time.monotonic()
        split = urlsplit(h.path)
        length = int(h.headers.get("Content-Length") or 0)
        if length:
            h.rfile.read(length)
        with self._lock:
            self.requests += 1
        if self.latency_ms:
            time.sleep(self.latency_ms / 1000)
        path = unquote(split.path)
        target = path + ("?" + unquote(split.query) if split.query else "")
        fault = self._take_fault(h.command, target)

        def record(status: int, kind: str | None = None) -> None:
            with self._lock:
                self.log.append(JenkinsRequest(h.command, path, unquote(split.query), status, (time.monotonic() - t0) * 1000, kind))

        if fault is not None and fault.kind == "slow":
            self._stop.wait(fault.delay_s)
        if fault is not None and fault.kind in ("401", "403"):
            record(fault.status, fault.kind)
            self._deny(h, fault.status)
            return
        if fault is not None and fault.kind == "status":
            record(fault.status, "status")
            reason = {500: "Server Error", 502: "Bad Gateway", 503: "Service Unavailable"}.get(fault.status, "Error")
            self._send(h, fault.status, _html(f"{fault.status} {reason}", "Jenkins is unavailable."), "text/html;charset=utf-8")
            return
        if not self._authorized(h):
            record(401)
            self._deny(h, 401)
            return
        headers: dict[str, str] = {}
        try:
            status, body, ctype = 200, *self._route(h, [unquote(s) for s in split.path.strip("/").split("/") if s],
                                                    dict(parse_qsl(split.query, keep_blank_values=True)), headers)
        except _NotFound:
            status, body, ctype = 404, NOT_FOUND, "text/html;charset=iso-8859-1"
        except _BadRequest as e:
            status, body, ctype = 400, _html("Bad Request", str(e)), "text/html;charset=utf-8"
        except Exception as e:  # noqa: BLE001
            self.internal_errors.append(f"{h.command} {h.path}: {e!r}")
            status, body, ctype = 500, _html("Oops!", "A problem occurred while processing the request."), "text/html;charset=utf-8"
        if fault is not None and fault.kind == "garbage" and status == 200:
            body, ctype = _html("Jenkins is getting ready to work", "Please wait while Jenkins is getting ready to work..."), "text/html;charset=utf-8"
        record(status, fault.kind if fault else None)
        self._send(h, status, body, ctype, headers)

    def _deny(self, h: BaseHTTPRequestHandler, status: int) -> None:
        if status == 401:
            body = _html("Unauthorized", "Invalid password/token for user: " + (self.user or "anonymous"))
            self._send(h, 401, body, "text/html;charset=utf-8", {"WWW-Authenticate": 'Basic realm="Jenkins"'})
        else:
            body = _html("Access Denied", f"{self.user or 'anonymous'} is missing the Overall/Read permission")
            self._send(h, 403, body, "text/html;charset=utf-8", {"X-You-Are-Authenticated-As": self.user or "anonymous",
                                                                 "X-Required-Permission": "hudson.model.Hudson.Read"})

    def _send(self, h: BaseHTTPRequestHandler, status: int, body: bytes, ctype: str, headers: dict[str, str] | None = None) -> None:
        h.send_response(status)
        h.send_header("Content-Type", ctype)
        h.send_header("Content-Length", str(len(body)))
        h.send_header("X-Content-Type-Options", "nosniff")
        h.send_header("X-Jenkins", self.server.version or VERSION)
        h.send_header("X-Hudson", "1.395")
        h.send_header("X-Jenkins-Session", self.session)
        h.send_header("Cache-Control", "no-cache,no-store,must-revalidate")
        for k, v in (headers or {}).items():
            h.send_header(k, v)
        h.end_headers()
        if h.command != "HEAD":
            try:
                h.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError):
                h.close_connection = True

    def _json(self, h: BaseHTTPRequestHandler, value: Any, q: dict[str, str]) -> tuple[bytes, str]:
        if "tree" in q:
            try:
                tree = parse_tree(q["tree"])
            except TreeError as e:
                raise _BadRequest(str(e)) from None
            out = prune(value, tree)
        elif isinstance(value, dict) and ("builds" in value or "jobs" in value):
            out = depth0(value)
        else:
            out = prune(value, {"*": ({"*": ({"*": ({"*": (None, None)}, None)}, None)}, None)})
        base = f"http://{h.headers.get('Host') or f'{self._host}:{self.port}'}"
        text = json.dumps(out, ensure_ascii=False, separators=(",", ":")).replace(BASE, base)
        return text.encode(), "application/json;charset=utf-8"

    def _route(self, h: BaseHTTPRequestHandler, s: list[str], q: dict[str, str], headers: dict[str, str]) -> tuple[bytes, str]:
        if h.command not in ("GET", "HEAD"):
            raise _NotFound()
        while len(s) >= 2 and s[0] == "view":  # /view/all/job/... is the same item
            s = s[2:]
        if not s:
            return _html("Dashboard", "Welcome to Jenkins!"), "text/html;charset=utf-8"
        if s == ["api", "json"]:
            return self._json(h, self._root_json(), q)
        if s == ["crumbIssuer", "api", "json"]:
            if not self.crumbs:
                raise _NotFound()
            headers["Set-Cookie"] = f"JSESSIONID.{self.session}=node0{self.session}.node0; Path=/; HttpOnly"
            return self._json(h, {"_class": "hudson.security.csrf.DefaultCrumbIssuer", "crumb": self.crumb, "crumbRequestField": "Jenkins-Crumb"}, q)
        if s == ["whoAmI", "api", "json"]:
            name = self.user or "anonymous"
            return self._json(h, {"_class": "hudson.security.WhoAmI", "anonymous": self.user is None, "authenticated": True,
                                  "authorities": ["authenticated"] if self.user else ["anonymous"], "details": None, "name": name,
                                  "toString": f"Class: org.springframework.security.authentication.UsernamePasswordAuthenticationToken, Name: {name}"}, q)
        if s == ["me", "api", "json"]:
            name = self.user or "anonymous"
            return self._json(h, {"_class": "hudson.model.User", "absoluteUrl": f"{BASE}/user/{name}", "description": None, "fullName": name,
                                  "id": name, "property": [{"_class": "jenkins.security.ApiTokenProperty"}]}, q)
        if s[0] != "job":
            raise _NotFound()
        job, rest = self._walk(s)
        if rest == ["api", "json"]:
            return self._json(h, job.json(), q)
        if rest == ["config.xml"]:
            return job.config.encode(), "application/xml"
        if len(rest) == 3 and rest[1:] == ["api", "json"] and not job.is_folder:
            build = self._build(job, rest[0])
            return self._json(h, build, q)
        raise _NotFound()

    def _walk(self, s: list[str]) -> tuple[Job, list[str]]:
        level, job = self.server.jobs, None
        i = 0
        while i + 1 < len(s) and s[i] == "job":
            nxt = next((j for j in level if j.name == s[i + 1]), None)
            if nxt is None:
                raise _NotFound()
            job, level = nxt, nxt.children
            i += 2
        if job is None:
            raise _NotFound()
        return job, s[i:]

    @staticmethod
    def _build(job: Job, ref: str) -> dict[str, Any]:
        if ref in BUILD_ALIASES:
            r = job.json()[ref]
            r = r() if callable(r) else r
            if r is None:
                raise _NotFound()
            ref = str(r["number"])
        if not ref.isdigit():
            raise _NotFound()
        for b in job.builds:
            if b["number"] == int(ref):
                return b
        raise _NotFound()

    def _root_json(self) -> dict[str, Any]:
        url = f"{BASE}/"
        return {"_class": "hudson.model.Hudson", "assignedLabels": [{"name": "built-in"}], "mode": "NORMAL", "nodeDescription": "the Jenkins controller's built-in node",
                "nodeName": "", "numExecutors": 2, "description": None, "jobs": lambda: [j.json() for j in self.server.jobs],
                "overallLoad": {}, "primaryView": {"_class": "hudson.model.AllView", "name": "all", "url": url}, "quietDownReason": None,
                "quietingDown": False, "slaveAgentPort": 50000, "unlabeledLoad": {"_class": "jenkins.model.UnlabeledLoadStatistics"},
                "url": url, "useCrumbs": self.crumbs, "useSecurity": True, "views": [{"_class": "hudson.model.AllView", "name": "all", "url": url}]}

