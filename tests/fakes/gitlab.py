"""A faithful fake GitLab (REST v4) served over real HTTP on 127.0.0.1.

    from fakes.gitlab import FakeGitLab, generate_group     # tests/ is on sys.path under pytest

    with FakeGitLab(group=generate_group("acme", projects=12, seed=1), latency_ms=0) as gl:
        gl.url              # http://127.0.0.1:PORT  (python-gitlab: gitlab.Gitlab(gl.url, private_token=...))
        gl.api              # http://127.0.0.1:PORT/api/v4
        gl.requests         # HTTP requests received (faults included)
        gl.log              # RequestRecord(method, path, query, status, ms, fault) per request
        gl.reset_counters() # zero the counters and the log, refill the rate limit
        gl.inject("429", path=r"/projects/\\d+/pipelines", count=2, retry_after=1)
        gl.project("acme/flagship")                          # the data (gitlab_data.Project), mutable between scans

Constructor options: ``group``/``groups`` (gitlab_data.Group trees: generate_group() or replay_project()),
``latency_ms`` (sleep per request), ``token`` (require this token: ``PRIVATE-TOKEN`` header or
``Authorization: Bearer``; 401 ``{"message": "401 Unauthorized"}`` otherwise), ``rate_limit`` /
``rate_limit_window_s``, ``host``/``port``.

What it does, as GitLab documents it (REST API docs: "Pagination", "Rate limits", "Status codes"):
- ``/api/v4/...``: /version, /user, /groups/:id (numeric id or URL-encoded full path), /groups/:id/projects
  (``include_subgroups``, ``archived``), /groups/:id/subgroups, /projects/:id, /projects/:id/repository/tree
  (``recursive``, ``path``, ``ref``), .../repository/files/:path/raw (``ref``), .../repository/blobs/:sha/raw,
  /pipelines (``ref``, ``status``, ``source``, ``updated_after/before``, ``sort``), /pipelines/:id,
  /pipelines/:id/jobs, /jobs (``scope[]``), /environments (``name``, ``states``), /deployments
  (``environment``, ``status``, ``updated_after/before``, ``sort``), /releases, /repository/tags,
  /protected_branches, /approval_rules, /merge_requests (``state``, ``target_branch``, ``updated_after``),
  /repository/commits (``ref_name``, ``since``, ``until``).
- Offset pagination: ``page``/``per_page`` (default 20, max 100), headers X-Page, X-Per-Page, X-Next-Page,
  X-Prev-Page (empty when none), X-Total, X-Total-Pages and ``Link`` (rel prev/next/first/last).
- RateLimit-Limit/-Remaining/-Reset/-Observed/-ResetTime on every answer; over the limit: 429 ``Retry later``
  with Retry-After (status faults carry no RateLimit-* headers, as they come from the proxy).  404s ``{"message": "404 Project Not Found"}`` (Group, File, Commit, Not found ...).
- Faults: ``inject("429", retry_after=N)``, ``inject("status", status=500|502|503)``, ``inject("garbage")``
  (200, JSON content type, HTML body), ``inject("timeout", hang_s=N)`` (no answer for N s, then the
  connection is closed).  Each takes ``path`` (regex searched in path + query, /api/v4 removed), ``method``
  and ``count``.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import json
import re
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler
from typing import Any
from urllib.parse import parse_qsl, quote, unquote, urlencode, urlsplit

from .gitlab_data import PIPELINE_LIST_KEYS, USERS, Group, Project, _sha, generate_group, replay_project, user_basic
from .served import FakeHandler, RequestRecord, ServedFake

GitLabRequest = RequestRecord

__all__ = ["FakeGitLab", "GitLabFault", "GitLabRequest", "generate_group", "replay_project"]

KINDS = ("429", "status", "garbage", "timeout")


@dataclass
class GitLabFault:
    kind: str
    pattern: re.Pattern[str]
    method: str | None = None
    remaining: int = 1
    status: int = 502
    retry_after: int = 1
    hang_s: float = 30.0
    hits: int = 0


class _NotFound(Exception):
    def __init__(self, what: str = "Not found") -> None:
        super().__init__(what)
        self.message = f"404 {what}" if what != "Not found" else "404 Not found"


class _Handler(FakeHandler):
    server_name = "nginx"


def _parse_time(s: str) -> dt.datetime:
    t = dt.datetime.fromisoformat(s.replace("Z", "+00:00"))
    return t if t.tzinfo else t.replace(tzinfo=dt.timezone.utc)


def _bool(v: str | None) -> bool | None:
    """Grape's Boolean coercion: true/false, 1/0, yes/no, t/f, any case; None when absent or unknown."""
    if v is None:
        return None
    return {"true": True, "1": True, "yes": True, "t": True, "false": False, "0": False, "no": False, "f": False}.get(v.lower())


def _since(items: list[dict], key: str, q: dict[str, str], after: str, before: str) -> list[dict]:
    """Keep items whose ``key`` timestamp is after ``q[after]`` / before ``q[before]`` (when given)."""
    if after in q:
        a = _parse_time(q[after])
        items = [x for x in items if x.get(key) and _parse_time(x[key]) > a]
    if before in q:
        b = _parse_time(q[before])
        items = [x for x in items if x.get(key) and _parse_time(x[key]) < b]
    return items


class FakeGitLab(ServedFake):
    thread_name = "fake-gitlab"
    handler = _Handler

    def __init__(self, group: Group | None = None, groups: list[Group] | tuple[Group, ...] = (), *, latency_ms: float = 0,
                 token: str | None = None, rate_limit: int = 2000, rate_limit_window_s: float = 60,
                 host: str = "127.0.0.1", port: int = 0) -> None:
        roots = ([group] if group is not None else []) + list(groups) or [generate_group()]
        self.groups: dict[str, Group] = {}
        self.projects: dict[str, Project] = {}
        for r in roots:
            for g in r.walk():
                self.groups[str(g.id)] = self.groups[g.full_path.lower()] = g
                for p in g.projects:
                    self.projects[str(p.id)] = self.projects[p.path_with_namespace.lower()] = p
        self.latency_ms, self.token = latency_ms, token
        self.rate_limit, self.rate_limit_window_s = rate_limit, rate_limit_window_s
        self._host, self._port = host, port
        self._lock = threading.Lock()
        self._init_served(self._host, self._port)
        self.internal_errors: list[str] = []
        self.reset_counters()

    @property
    def url(self) -> str:
        return self.base_url

    @property
    def api(self) -> str:
        return self.url + "/api/v4"

    def project(self, ref: str | int) -> Project:
        return self.projects[str(ref).lower()]

    def reset_counters(self) -> None:
        with self._lock:
            self.requests = 0
            self.log: list[GitLabRequest] = []
            self._window_start, self._used = time.time(), 0

    def inject(self, kind: str, path: str = ".*", *, count: int = 1, method: str | None = None, status: int | None = None,
               retry_after: int = 1, hang_s: float = 30.0) -> GitLabFault:
        if kind not in KINDS:
            raise ValueError(f"unknown fault {kind!r}; one of {KINDS}")
        f = GitLabFault(kind, re.compile(path), method, count, status or (429 if kind == "429" else 502), retry_after, hang_s)
        return self._add_fault(f)

    def _rate(self) -> tuple[int, int, int]:
        with self._lock:
            now = time.time()
            if now >= self._window_start + self.rate_limit_window_s:
                self._window_start, self._used = now, 0
            self._used += 1
            return self._used, max(0, self.rate_limit - self._used), int(self._window_start + self.rate_limit_window_s)

    # ---- HTTP

    def _serve(self, h: BaseHTTPRequestHandler) -> None:
        t0 = time.monotonic()
        split = urlsplit(h.path)
        raw = split.path
        path = raw[len("/api/v4"):] if raw.startswith("/api/v4/") or raw == "/api/v4" else raw
        length = int(h.headers.get("Content-Length") or 0)
        if length:
            h.rfile.read(length)
        with self._lock:
            self.requests += 1
        if self.latency_ms:
            time.sleep(self.latency_ms / 1000)
        target = unquote(path) + ("?" + split.query if split.query else "")
        fault = self._take_fault(h.command, target)
        used, remaining, reset = self._rate()

        def record(status: int, kind: str | None = None) -> None:
            with self._lock:
                self.log.append(GitLabRequest(h.command, unquote(path), split.query, status, (time.monotonic() - t0) * 1000, kind))

        if fault is not None and fault.kind == "timeout":
            record(0, "timeout")
            self._stop.wait(fault.hang_s)
            h.close_connection = True
            return
        rl = {"RateLimit-Limit": str(self.rate_limit), "RateLimit-Observed": str(used), "RateLimit-Remaining": str(remaining),
              "RateLimit-Reset": str(reset), "RateLimit-ResetTime": email.utils.formatdate(reset, usegmt=True)}
        if (fault is not None and fault.kind == "429") or used > self.rate_limit:
            ra = fault.retry_after if fault is not None else max(1, reset - int(time.time()))
            record(429, fault.kind if fault else None)
            self._send(h, 429, b"Retry later\n", {**rl, "Retry-After": str(ra)}, "text/plain")
            return
        if fault is not None and fault.kind == "status":
            record(fault.status, "status")
            # 5xx come from the proxy / Workhorse in front of Rails: no RateLimit-* headers (python-gitlab would
            # otherwise sleep until RateLimit-Reset before retrying)
            self._send(h, fault.status, json.dumps({"message": f"{fault.status} Internal Server Error"}).encode(), {})
            return
        pairs = parse_qsl(split.query, keep_blank_values=True)
        query = dict(pairs)
        query["__scope"] = ",".join(v for k, v in pairs if k in ("scope", "scope[]"))  # repeated: jobs ?scope[]=a&scope[]=b
        given = h.headers.get("PRIVATE-TOKEN") or (h.headers.get("Authorization") or "").removeprefix("Bearer ").strip() or None
        if self.token is not None and given != self.token:
            record(401)
            self._send(h, 401, b'{"message":"401 Unauthorized"}', rl)
            return
        headers = dict(rl)
        ctype = "application/json"
        try:
            result = self._route(h.command, [unquote(s) for s in path.strip("/").split("/")], query)
            if isinstance(result, _Archive):
                status, body, ctype = 200, result.data, "application/octet-stream"
                headers["Content-Disposition"] = 'attachment; filename="archive.tar.gz"'
            elif isinstance(result, bytes):
                status, body, ctype = 200, result, "text/plain; charset=utf-8"
            elif isinstance(result, list):
                page, extra = self._paginate(result, query, f"http://{h.headers.get('Host') or self._host}{raw}")
                status, body = 200, json.dumps(page).encode()
                headers.update(extra)
            else:
                status, body = 200, json.dumps(result).encode()
        except _NotFound as e:
            status, body = 404, json.dumps({"message": e.message}).encode()
        except Exception as e:  # noqa: BLE001
            self.internal_errors.append(f"{h.command} {h.path}: {e!r}")
            status, body = 500, b'{"message":"500 Internal Server Error"}'
        if fault is not None and fault.kind == "garbage" and status == 200:
            body, ctype = b"<html><body><h1>502 Bad Gateway</h1><p>GitLab is not responding.</p></body></html>\n", "application/json"
        record(status, fault.kind if fault else None)
        self._send(h, status, body, headers, ctype)

    def _send(self, h: BaseHTTPRequestHandler, status: int, body: bytes, headers: dict[str, str], ctype: str = "application/json") -> None:
        h.send_response(status)
        h.send_header("Content-Type", ctype)
        h.send_header("Content-Length", str(len(body)))
        h.send_header("Cache-Control", "max-age=0, private, must-revalidate")
        h.send_header("X-Request-Id", f"01FAKE{self.requests:010d}")
        h.send_header("X-Content-Type-Options", "nosniff")
        for k, v in headers.items():
            h.send_header(k, v)
        h.end_headers()
        if h.command != "HEAD":
            try:
                h.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError):
                h.close_connection = True

    @staticmethod
    def _paginate(items: list, q: dict[str, str], base: str) -> tuple[list, dict[str, str]]:
        def num(key: str, default: int) -> int:
            try:
                return int(q.get(key) or default)
            except ValueError:
                return default

        per = min(100, max(1, num("per_page", 20)))
        page = max(1, num("page", 1))
        total = len(items)
        pages = max(1, -(-total // per))
        out = items[(page - 1) * per: page * per]

        def link(n: int) -> str:
            return base + "?" + urlencode({**{k: v for k, v in q.items() if not k.startswith("__")}, "page": n, "per_page": per})

        links = []
        if page > 1:
            links.append(f'<{link(page - 1)}>; rel="prev"')
        if page < pages:
            links.append(f'<{link(page + 1)}>; rel="next"')
        links += [f'<{link(1)}>; rel="first"', f'<{link(pages)}>; rel="last"']
        return out, {"X-Page": str(page), "X-Per-Page": str(per), "X-Next-Page": str(page + 1) if page < pages else "",
                     "X-Prev-Page": str(page - 1) if page > 1 else "", "X-Total": str(total), "X-Total-Pages": str(pages),
                     "Link": ", ".join(links)}

    # ---- routes

    def _group(self, ref: str) -> Group:
        g = self.groups.get(ref.lower())
        if g is None:
            raise _NotFound("Group Not Found")
        return g

    def _project(self, ref: str) -> Project:
        p = self.projects.get(ref.lower())
        if p is None:
            raise _NotFound("Project Not Found")
        return p

    def _route(self, method: str, s: list[str], q: dict[str, str]) -> Any:
        if method not in ("GET", "HEAD"):
            raise _NotFound()
        if s == ["version"]:
            return {"version": "17.5.1-ee", "revision": "4f4d6a5c2b1", "kas": {"enabled": True, "externalUrl": None, "version": "17.5.1"},
                    "enterprise": True}
        if s == ["user"]:
            return {**user_basic(USERS[0]), "created_at": "2020-01-01T00:00:00.000Z", "bio": "", "is_admin": False, "bot": False,
                    "email": "alice@example.com", "two_factor_enabled": True, "external": False, "private_profile": False}
        if len(s) >= 2 and s[0] == "groups":
            g = self._group(s[1])
            if len(s) == 2:
                return g.json()
            if s[2:] == ["subgroups"]:
                return [x.json() for x in g.subgroups]
            if s[2:] == ["projects"]:
                subs, archived = _bool(q.get("include_subgroups")), _bool(q.get("archived"))
                ps = g.all_projects() if subs else list(g.projects)
                if archived is not None:
                    ps = [p for p in ps if p.archived == archived]
                if q.get("order_by") in ("id", "path", "name", "created_at", "last_activity_at"):
                    key = q["order_by"]
                    ps.sort(key=lambda p: (p.json()[key], p.id), reverse=q.get("sort", "desc") == "desc")
                elif subs:
                    ps.sort(key=lambda p: p.created_at, reverse=True)
                return [p.json() for p in ps]
            raise _NotFound()
        if len(s) >= 2 and s[0] == "projects":
            return self._project_route(self._project(s[1]), s[2:], q)
        raise _NotFound()

    def _project_route(self, p: Project, s: list[str], q: dict[str, str]) -> Any:
        if not s:
            return p.json()
        head = s[0]
        if head == "repository" and len(s) >= 2:
            return self._repo_route(p, s[1:], q)
        if head == "pipelines":
            if len(s) == 1:
                items = [x for x in p.pipelines if all(x.get(k) == q[k] for k in ("ref", "status", "source", "sha") if k in q)]
                items = _since(items, "updated_at", q, "updated_after", "updated_before")
                if q.get("sort") == "asc":
                    items = items[::-1]
                return [{k: x.get(k) for k in PIPELINE_LIST_KEYS if k in x} for x in items]
            pl = next((x for x in p.pipelines if str(x["id"]) == s[1]), None)
            if pl is None:
                raise _NotFound()
            if len(s) == 2:
                return pl
            if s[2:] == ["jobs"]:
                return [j for j in p.jobs if j["pipeline"]["id"] == pl["id"]]
            raise _NotFound()
        if s == ["jobs"]:
            scope = [v for v in q.get("__scope", "").split(",") if v]
            return [j for j in p.jobs if not scope or j["status"] in scope]
        if s == ["environments"]:
            envs = [e for e in p.environments if ("name" not in q or e["name"] == q["name"]) and ("states" not in q or e["state"] == q["states"])]
            return envs
        if s == ["deployments"]:
            items = [d for d in p.deployments if ("environment" not in q or d["environment"]["name"] == q["environment"])
                     and ("status" not in q or d["status"] == q["status"])]
            items = _since(items, "updated_at", q, "updated_after", "updated_before")
            if q.get("order_by") == "updated_at":
                items = sorted(items, key=lambda d: (d["updated_at"], d["id"]))
            return items[::-1] if q.get("sort") == "desc" else items
        if s == ["merge_requests"]:
            items = [m for m in p.merge_requests if q.get("state", "all") in ("all", m["state"])
                     and ("target_branch" not in q or m["target_branch"] == q["target_branch"])]
            items = _since(items, "updated_at", q, "updated_after", "updated_before")
            return items[::-1] if q.get("sort") == "asc" else items
        simple = {"releases": p.releases, "protected_branches": p.protected_branches, "approval_rules": p.approval_rules}
        if len(s) == 1 and head in simple:
            return list(simple[head])
        raise _NotFound()

    def _repo_route(self, p: Project, s: list[str], q: dict[str, str]) -> Any:
        ref = q.get("ref") or q.get("ref_name") or p.default_branch
        if ref not in (p.default_branch, *(c["id"] for c in p.commits), *(t["name"] for t in p.tags)) and s[0] != "blobs":
            raise _NotFound("Tree Not Found" if s[0] == "tree" else "Commit Not Found")
        if s == ["tree"]:
            if not p.files:
                raise _NotFound("Tree Not Found")
            base = q.get("path", "").strip("/")
            entries: dict[str, dict] = {}
            for fp in sorted(p.files):
                if base and not fp.startswith(base + "/"):
                    continue
                rel = fp[len(base) + 1:] if base else fp
                parts = rel.split("/")
                depth = len(parts) if _bool(q.get("recursive")) else 1
                for i in range(min(depth, len(parts))):
                    full = "/".join(([base] if base else []) + parts[: i + 1])
                    blob = i == len(parts) - 1
                    entries.setdefault(full, {"id": p.blob_sha(fp) if blob else _tree_sha(p, full), "name": parts[i],
                                              "type": "blob" if blob else "tree", "path": full, "mode": "100644" if blob else "040000"})
            return sorted(entries.values(), key=lambda e: (e["type"] != "tree", e["path"]))
        if len(s) >= 3 and s[0] == "files" and s[-1] == "raw":
            fp = "/".join(s[1:-1])
            if fp not in p.files:
                raise _NotFound("File Not Found")
            return p.files[fp].encode()
        if len(s) == 3 and s[0] == "blobs" and s[2] == "raw":
            for fp in p.files:
                if p.blob_sha(fp) == s[1]:
                    return p.files[fp].encode()
            raise _NotFound("Blob Not Found")
        if s == ["tags"]:
            return list(p.tags)
        if s == ["commits"]:
            # the fake's history is linear, so ``first_parent`` changes nothing
            return _since(list(p.commits), "committed_date", q, "since", "until")
        if len(s) == 1 and s[0] in ("archive", "archive.tar.gz", "archive.tgz"):
            return _Archive(_archive(p, q.get("sha") or p.default_branch))
        if len(s) >= 2 and s[0] == "branches":
            name = "/".join(s[1:])
            if name != p.default_branch or not p.commits:
                raise _NotFound("Branch Not Found")
            return {"name": name, "commit": p.commits[0], "merged": False, "default": True, "can_push": True,
                    "protected": any(b.get("name") == name for b in p.protected_branches), "developers_can_push": False,
                    "developers_can_merge": False, "web_url": f"{p.json()['web_url']}/-/tree/{quote(name, safe='')}"}
        raise _NotFound()


class _Archive:
    """A binary answer (the repository archive)."""

    def __init__(self, data: bytes) -> None:
        self.data = data


def _archive(p: Project, sha: str) -> bytes:
    """``git archive --format=tar.gz``: one top folder ``<project>-<sha>-<sha>/``, the commit id in the
    pax global header, as GitLab serves it.  The fake's files do not change by ref."""
    import gzip
    import io
    import tarfile

    commit = next((c for c in p.commits if c["id"] == sha or sha == p.default_branch), None)
    if commit is None or not p.files:
        raise _NotFound("Commit Not Found" if p.files else "Repository Not Found")
    top = f"{p.name}-{commit['id']}-{commit['id']}"
    mtime = int(_parse_time(commit["committed_date"]).timestamp())
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w", format=tarfile.PAX_FORMAT, pax_headers={"comment": commit["id"]}) as tar:
        for path in sorted(p.files):
            data = p.files[path].encode()
            info = tarfile.TarInfo(f"{top}/{path}")
            info.size, info.mtime, info.mode = len(data), mtime, 0o644
            tar.addfile(info, io.BytesIO(data))
    return gzip.compress(raw.getvalue(), mtime=mtime)


def _tree_sha(p: Project, path: str) -> str:
    return _sha(p.id, "tree", path)


def encode_path(full_path: str) -> str:
    """``acme/platform/infra`` -> ``acme%2Fplatform%2Finfra`` (GitLab's URL-encoded :id)."""
    return quote(full_path, safe="")
