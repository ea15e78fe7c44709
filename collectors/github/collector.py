"""The GitHub collector: repositories, organisations and users, through PyGithub and httpx.

One scan of N repositories, within the budget of issue 3:
1. enumeration (PyGithub, 100 per page): about N/100 points;
2. a probe per 100 repositories (GraphQL): HEAD, tree id, permission, protection and rulesets, and
   the cursors that fingerprint the history: about 0.05 points per repository;
3. per repository, concurrently: the recursive tree at HEAD (REST; skipped when the tree id is
   cached) and the default branch's Actions runs in the window (REST, revalidated by ETag);
4. the files the detectors read, fetched by blob id in GraphQL batches across repositories
   (cached by blob id), then the same detectors as a local checkout;
5. the history (releases, tags, deployments, commits with their pull requests) for the
   repositories whose fingerprint changed, 10 repositories per GraphQL query.
"""

from __future__ import annotations

import asyncio
import dataclasses
import hashlib
import json
import logging
import os
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from fnmatch import fnmatch
from pathlib import Path
from typing import Any
from urllib.parse import quote

from collectors.api_cache import ApiCache
from collectors.detectors.interface import DEFAULT_PRODUCTION_PATTERNS, DetectionContext, RepoIdentity
from collectors.github import queries as q
from collectors.github.client import ClientSettings, GitHubClient, GitHubError, NotFound, RateLimited
from collectors.history.evidence import history_evidence
from collectors.history.records import CommitRecord, DeploymentRecord, ReleaseRecord, RepoHistory, RunRecord, TagRecord
from collectors.interface import Collection, CollectionFailure, Collector, run_detectors
from collectors.local import LocalCollector
from collectors.remote import detector_code_fingerprint, locate_evidence, locate_warning
from collectors.remote_files import PrefetchedRepoFiles, select_candidates
from scanner.errors import CollectorError, UsageError
from scanner.evidence import Evidence, Source, Warning_
from scanner.report import Target

log = logging.getLogger("maturity.github")

PROBE_BATCH = 100
HISTORY_BATCH = 10
MAX_FILE_ROUNDS = 4
RUN_PAGES = 10
_NAME = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$")
_REPO = re.compile(r"^[A-Za-z0-9_.-]{1,100}$")


@dataclass(frozen=True)
class GitHubSettings:
    client: ClientSettings = ClientSettings()
    """API base URL, concurrency, timeouts, retries, longest rate-limit wait."""
    token: str | None = field(default=None, repr=False)
    """Personal or installation token (from GITHUB_TOKEN or the config); never printed."""
    app_id: str | None = None
    """GitHub App id, for App authentication instead of a token."""
    app_private_key: str | None = field(default=None, repr=False)
    """The App's private key (PEM text, read from the key file)."""
    installation_id: int | None = None
    """The App installation to act as."""
    window_days: int = 90
    """History window."""
    production_patterns: tuple[str, ...] = DEFAULT_PRODUCTION_PATTERNS
    """Regexes that mark an environment name as production."""
    include_archived: bool = False
    """Scan archived repositories of an owner too."""
    include_forks: bool = False
    """Scan forks of an owner too."""
    include: tuple[str, ...] = ()
    """Glob patterns of repository names to keep when scanning an owner (empty: all)."""
    exclude: tuple[str, ...] = ()
    """Glob patterns of repository names to leave out."""
    cache_dir: Path | None = None
    """Where the rescan cache lives; None keeps nothing."""


@dataclass(frozen=True)
class _FileResult:
    """What the detectors said about one repository's files."""

    evidence: list[Evidence]
    """File evidence, with `path:line` locators."""
    warnings: list[Warning_]
    """Unreadable files and the like."""
    maturity_toml: str | None
    """The repository's `.maturity.toml`, for its attestations."""


@dataclass
class _Repo:
    """One repository in flight through the stages."""

    full_name: str
    node: dict[str, Any] = field(default_factory=dict)
    tree: dict[str, tuple[int, str]] | None = None
    runs: list[RunRecord] | None = None
    runs_complete: bool = True
    runs_url: str = ""
    branch_summary: Any = None
    history: dict[str, Any] | None = None
    reused_history: bool = False
    files_cached: bool = False
    unavailable: dict[str, str] = field(default_factory=dict)
    warnings: list[Warning_] = field(default_factory=list)
    error: str | None = None

    @property
    def html_url(self) -> str:
        return self.node.get("url") or ""

    @property
    def default_branch(self) -> str | None:
        return (self.node.get("defaultBranchRef") or {}).get("name")

    @property
    def head(self) -> dict[str, Any]:
        return ((self.node.get("defaultBranchRef") or {}).get("target")) or {}


def parse_target(target: str) -> tuple[str, str | None]:
    """`github:OWNER/REPO` -> (owner, repo); `github:OWNER` -> (owner, None)."""
    spec = target.removeprefix("github:").strip().strip("/")
    owner, _, repo = spec.partition("/")
    if not owner or not _NAME.match(owner) or (repo and ("/" in repo or not _REPO.match(repo))):
        raise UsageError(f"not a GitHub target: {target!r} (expected github:OWNER or github:OWNER/REPO)")
    return owner, repo or None


class GitHubCollector(Collector):
    source = Source.GITHUB

    def __init__(self, settings: GitHubSettings, now: datetime | None = None,
                 progress: Callable[[str, int, int], None] | None = None) -> None:
        self.settings = settings
        self.now = (now or datetime.now(timezone.utc)).replace(microsecond=0)
        self.window_start = self.now - timedelta(days=settings.window_days)
        self.progress = progress
        host = re.sub(r"[^A-Za-z0-9.-]+", "_", settings.client.api_url.split("://", 1)[-1]).strip("_")
        self.cache = ApiCache(settings.cache_dir / f"github-{host}.sqlite3" if settings.cache_dir else None)
        self._gh = None
        self.topics: dict[str, list[str]] = {}
        """owner/name -> topics, from an owner's listing."""
        self._token_source = self._auth()
        self.client = GitHubClient(settings.client, self._token_source, self.cache)
        self.usage = self.client.usage
        self.reused = 0

    # ------------------------------------------------------------------------------------ auth

    def _auth(self) -> Callable[[], str | None]:
        s = self.settings
        if s.app_id and s.app_private_key and s.installation_id:
            from github import Auth

            installation = Auth.AppAuth(s.app_id, s.app_private_key).get_installation_auth(int(s.installation_id))
            self._pygithub(installation)

            def app_token() -> str | None:
                try:
                    return installation.token
                except Exception as exc:  # noqa: BLE001 - PyGithub raises several kinds
                    raise CollectorError(f"GitHub App authentication failed: {_safe(exc, s)}") from None

            return app_token
        if s.app_id or s.installation_id:
            raise UsageError("GitHub App authentication needs app_id, private_key_path and installation_id together")
        token = s.token
        return lambda: token

    def _pygithub(self, auth: Any = None):  # noqa: ANN202
        if self._gh is None:
            from github import Auth, Github, GithubRetry

            if auth is None and self.settings.token:
                auth = Auth.Token(self.settings.token)
            c = self.settings.client
            # PyGithub's defaults sleep 0.25 s between requests and retry 10 times; the client's
            # settings decide instead.
            self._gh = Github(auth=auth, base_url=c.api_url.rstrip("/"), timeout=int(c.timeout_s), per_page=c.page_size,
                              retry=GithubRetry(total=c.retries, backoff_factor=c.backoff_s), seconds_between_requests=None,
                              seconds_between_writes=None, user_agent="maturity-scanner")
        return self._gh

    # ------------------------------------------------------------------------------------ targets

    def expand(self, target: str) -> list[str]:
        """The repositories a target names, ordered by name; archived and forks left out unless asked."""
        owner, repo = parse_target(target)
        if repo:
            return [f"{owner}/{repo}"]
        from github import GithubException

        gh = self._pygithub()
        counter = _PyGithubCounter(self.usage)
        try:
            account = gh.get_user(owner)
            kind = account.type
            if kind == "Organization":
                listing = gh.get_organization(owner).get_repos(type="all")
            else:
                listing = account.get_repos(type="owner")
            listed = list(listing)
            repos = [(r.name, r.archived, r.fork) for r in listed]
            # the listing carries topics: reading them costs no request (PyGithub completes only unset fields)
            self.topics.update({f"{owner}/{r.name}": list(r.topics or []) for r in listed})
        except GithubException as exc:
            if exc.status == 404:
                raise CollectorError(f"github:{owner}: no such organisation or user (404)") from None
            raise CollectorError(f"github:{owner}: listing repositories failed: HTTP {exc.status}: {_safe(exc, self.settings)}") from None
        except Exception as exc:  # noqa: BLE001 - requests/urllib3 errors, garbage answers
            raise CollectorError(f"github:{owner}: listing repositories failed: {type(exc).__name__}: {_safe(exc, self.settings)}") from None
        finally:
            counter.close()
        s = self.settings
        out = []
        for name, archived, fork in repos:
            if (archived and not s.include_archived) or (fork and not s.include_forks):
                continue
            if s.include and not any(fnmatch(name, p) or fnmatch(f"{owner}/{name}", p) for p in s.include):
                continue
            if any(fnmatch(name, p) or fnmatch(f"{owner}/{name}", p) for p in s.exclude):
                continue
            out.append(f"{owner}/{name}")
        return sorted(out, key=str.lower)

    # ------------------------------------------------------------------------------------ collect

    def collect(self, target: str) -> Collection:
        results = list(self.collect_all([target]))
        if not results:
            raise CollectorError(f"{target}: no repository to scan (all archived, forks or excluded)")
        if len(results) > 1:
            raise UsageError(f"{target} names {len(results)} repositories: scan it as an organisation")
        first = results[0]
        if isinstance(first, CollectionFailure):
            raise CollectorError(first.error)
        return first

    def collect_all(self, targets: Iterable[str]) -> Iterator[Collection | CollectionFailure]:
        names: list[str] = []
        for target in targets:
            try:
                names.extend(n for n in self.expand(target) if n not in names)
            except CollectorError as exc:
                if target.removeprefix("github:").count("/") == 0:
                    raise
                yield CollectionFailure(target, str(exc))
        if not names:
            return
        loop = asyncio.new_event_loop()
        try:
            loop.run_until_complete(self.client.__aenter__())
            done = 0
            for start in range(0, len(names), PROBE_BATCH):
                chunk = names[start:start + PROBE_BATCH]
                try:
                    results = loop.run_until_complete(self._collect_chunk(chunk))
                except RateLimited as exc:
                    # nothing more can be read until the reset: say so for every repository left
                    results = [CollectionFailure(n, f"not scanned: {exc}") for n in names[start:]]
                    names = names[:start + len(chunk)]
                for result in results:
                    done += 1
                    if self.progress:
                        self.progress(result.target.name if isinstance(result, Collection) else result.target, done, len(names))
                    yield result
        finally:
            loop.run_until_complete(self.client.__aexit__())
            loop.close()

    async def _collect_chunk(self, names: list[str]) -> list[Collection | CollectionFailure]:
        repos = [_Repo(n) for n in names]
        try:
            await self._probe(repos)
        except RateLimited:
            raise
        except GitHubError as exc:
            for r in repos:
                r.error = str(exc)
        live = [r for r in repos if r.error is None]
        await asyncio.gather(*(self._rest_stage(r) for r in live))
        live = [r for r in live if r.error is None]
        await self._history_stage(live)
        files = await self._files_stage([r for r in live if r.error is None])
        out: list[Collection | CollectionFailure] = []
        for r in repos:
            if r.error is not None:
                out.append(CollectionFailure(r.full_name, r.error))
                continue
            try:
                out.append(self._assemble(r, files[r.full_name]))
            except Exception as exc:  # noqa: BLE001 - one odd repository must not sink the scan
                out.append(CollectionFailure(r.full_name, f"unexpected {type(exc).__name__}: {_safe(exc, self.settings)}"))
        return out

    # ------------------------------------------------------------------------------------ stages

    async def _probe(self, repos: list[_Repo]) -> None:
        data, errors = await self.client.graphql(q.probe_query([r.full_name for r in repos]))
        for alias, message in _alias_errors(errors).items():
            idx = int(alias[1:])
            repos[idx].error = message
        for i, r in enumerate(repos):
            node = data.get(f"r{i}")
            if r.error is None and not node:
                r.error = "not found, or the token cannot see it"
            elif node:
                r.node = node

    async def _rest_stage(self, r: _Repo) -> None:
        try:
            r.tree = await self._tree(r)
            if r.default_branch:
                await self._runs(r)
                if r.node.get("viewerPermission") != "ADMIN":
                    await self._branch_summary(r)
        except RateLimited:
            raise
        except GitHubError as exc:
            r.error = str(exc)

    async def _tree(self, r: _Repo) -> dict[str, tuple[int, str]]:
        tree_oid = (r.head.get("tree") or {}).get("oid")
        if not tree_oid:
            return {}
        key = f"tree:{tree_oid}"
        cached = self.cache.object(key)
        if cached is not None:
            r.warnings.extend(Warning_(**w) for w in cached.get("warnings", []))
            return {p: (s, o) for p, s, o in cached["entries"]}
        answer = await self.client.get(f"repos/{r.full_name}/git/trees/{tree_oid}", {"recursive": "1"}, conditional=False)
        body = answer.body
        if not isinstance(body, dict) or not isinstance(body.get("tree"), list):
            raise GitHubError(f"GET /repos/{r.full_name}/git/trees: unexpected answer shape")
        entries = [(e["path"], int(e.get("size") or 0), e["sha"]) for e in body["tree"]
                   if isinstance(e, dict) and e.get("type") == "blob" and isinstance(e.get("path"), str) and isinstance(e.get("sha"), str)]
        warnings = []
        if body.get("truncated"):
            w = Warning_(code="tree-truncated", message=f"GitHub truncated the file tree at {len(entries)} files: "
                         "file signals come from those files only", locator=f"{r.html_url}/tree/{r.default_branch}")
            warnings.append(w.model_dump())
            r.warnings.append(w)
        self.cache.store_object(key, {"entries": entries, "warnings": warnings})
        return {p: (s, o) for p, s, o in entries}

    async def _runs(self, r: _Repo) -> None:
        assert r.tree is not None
        if not any(p.startswith(".github/workflows/") and p.endswith((".yml", ".yaml")) for p in r.tree):
            r.unavailable["runs"] = "the repository has no GitHub Actions workflows (CI elsewhere is not visible through GitHub)"
            return
        branch = r.default_branch or ""
        params = {"branch": branch, "created": f">={self.window_start.date().isoformat()}", "per_page": self.settings.client.page_size,
                  "exclude_pull_requests": "true"}
        r.runs_url = f"{r.html_url}/actions?query={quote('branch:' + branch)}"
        try:
            items, complete, _ = await self.client.get_pages(f"repos/{r.full_name}/actions/runs", params, "workflow_runs", RUN_PAGES)
        except NotFound:
            r.unavailable["runs"] = "GitHub Actions runs are not readable (404: Actions disabled, or no access)"
            return
        runs = []
        for x in items:
            try:
                runs.append(RunRecord(int(x["id"]), int(x["workflow_id"]), x.get("name") or x.get("path") or "", x.get("path") or "",
                                      x.get("event") or "", x.get("status") or "", x.get("conclusion"), x.get("head_branch"),
                                      x.get("head_sha") or "", q.when(x["created_at"]), q.when(x.get("updated_at") or x["created_at"]),
                                      x.get("html_url") or r.runs_url))
            except (KeyError, TypeError, ValueError):
                continue
        r.runs = [x for x in runs if x.head_branch == branch and x.created_at >= self.window_start]
        r.runs_complete = complete

    async def _branch_summary(self, r: _Repo) -> None:
        try:
            answer = await self.client.get(f"repos/{r.full_name}/branches/{quote(r.default_branch or '', safe='')}")
            r.branch_summary = answer.body
        except NotFound:
            r.branch_summary = None

    async def _history_stage(self, repos: list[_Repo]) -> None:
        todo = []
        for r in repos:
            if not r.default_branch:
                continue
            cached = self.cache.history(r.full_name, q.fingerprint(r.node, self.settings.window_days))
            if cached is not None and q.when(cached.get("since")) is not None and q.when(cached["since"]) <= self.window_start:
                r.history, r.reused_history = _decode(cached), True
                self.reused += 1
            else:
                todo.append(r)
        since = self.window_start.isoformat().replace("+00:00", "Z")
        batches = [todo[i:i + HISTORY_BATCH] for i in range(0, len(todo), HISTORY_BATCH)]
        await asyncio.gather(*(self._history_batch(batch, since) for batch in batches))

    async def _history_batch(self, batch: list[_Repo], since: str) -> None:
        try:
            data, errors = await self.client.graphql(q.history_query([r.full_name for r in batch]), {"since": since})
        except RateLimited:
            raise
        except GitHubError as exc:
            for r in batch:
                for part in ("releases", "tags", "deployments", "commits"):
                    r.unavailable[part] = f"history query failed: {exc}"
            return
        failed = _alias_errors(errors)
        for i, r in enumerate(batch):
            node = data.get(f"r{i}") or {}
            if f"r{i}" in failed or not node:
                for part in ("releases", "tags", "deployments", "commits"):
                    r.unavailable[part] = failed.get(f"r{i}", "GitHub gave no history")
                continue
            deployments = await self._more_deployments(r, node)
            r.history = {"since": since,
                         "releases": q.release_records(node), "tags": q.tag_records(node, r.html_url),
                         "deployments": deployments, "commits": q.commit_records(node, r.default_branch or "")}
            self.cache.store_history(r.full_name, q.fingerprint(r.node, self.settings.window_days), _encode(r.history))

    async def _more_deployments(self, r: _Repo, node: dict[str, Any]) -> list[DeploymentRecord]:
        conn = node.get("deployments") or {}
        nodes = list(conn.get("nodes") or [])
        page = conn.get("pageInfo") or {}
        pages = 1
        while page.get("hasPreviousPage") and nodes and pages < 10:
            oldest = q.when((nodes[0] or {}).get("createdAt"))
            if oldest is None or oldest < self.window_start:
                break
            data, _ = await self.client.graphql(q.deployments_page_query(r.full_name), {"before": page.get("startCursor")})
            conn = (data.get("r0") or {}).get("deployments") or {}
            nodes = list(conn.get("nodes") or []) + nodes
            page = conn.get("pageInfo") or {}
            pages += 1
        return q.deployment_records(nodes, r.html_url)

    async def _files_stage(self, repos: list[_Repo]) -> dict[str, _FileResult]:
        """Fetch candidate files, run the detectors, fetch what they missed, until nothing is missing.

        What the detectors said about a tree is cached under the tree id, the repository's identity,
        the production patterns and the scanner's code: an unchanged tree is not read again.
        """
        results: dict[str, _FileResult] = {}
        files: dict[str, PrefetchedRepoFiles] = {}
        want: dict[str, list[str]] = {}
        todo = []
        for r in repos:
            cached = self.cache.object(self._detection_key(r))
            if cached is not None:
                r.files_cached = True
                results[r.full_name] = _FileResult([Evidence.model_validate(e) for e in cached["evidence"]],
                                                   [Warning_.model_validate(w) for w in cached["warnings"]], cached["maturity_toml"])
                continue
            todo.append(r)
            tree = r.tree or {}
            files[r.full_name] = PrefetchedRepoFiles({p: s for p, (s, _) in tree.items()}, {})
            want[r.full_name] = select_candidates({p: s for p, (s, _) in tree.items()})
        contexts: dict[str, tuple[DetectionContext, PrefetchedRepoFiles]] = {}
        for _round in range(MAX_FILE_ROUNDS):
            if not todo:
                break
            await self._fetch_files(todo, files, want)
            want = {}
            for r in todo:
                # a new files object per round: detectors index files by object, an index built on
                # the previous round's partial contents must not be reused
                f = files[r.full_name] = files[r.full_name].fresh()
                ctx = self._context(r, f)
                run_detectors(ctx)
                contexts[r.full_name] = (ctx, f)
                if f.missing:
                    want[r.full_name] = sorted(f.missing)
            if not want:
                break
        for r in todo:
            ctx, f = contexts[r.full_name]
            toml = f.read_text(".maturity.toml") if f.exists(".maturity.toml") else None
            results[r.full_name] = _FileResult(list(ctx.evidence), list(ctx.warnings), toml)
            if r.tree is not None and not any(w.code == "files-unreadable" for w in r.warnings):
                self.cache.store_object(self._detection_key(r), {"evidence": [e.model_dump(mode="json") for e in ctx.evidence],
                                                                 "warnings": [w.model_dump(mode="json") for w in ctx.warnings],
                                                                 "maturity_toml": toml})
        return results

    def _detection_key(self, r: _Repo) -> str:
        tree_oid = (r.head.get("tree") or {}).get("oid") or "empty"
        parts = [tree_oid, r.full_name, r.default_branch, list(self.settings.production_patterns), detector_code_fingerprint()]
        return "detected:" + hashlib.sha256(json.dumps(parts).encode()).hexdigest()

    async def _fetch_files(self, repos: list[_Repo], files: dict[str, PrefetchedRepoFiles], want: dict[str, list[str]]) -> None:
        pending: list[tuple[_Repo, str, str, int]] = []
        for r in repos:
            tree = r.tree or {}
            got: dict[str, bytes | None] = {}
            for path in want.get(r.full_name, []):
                size, oid = tree[path]
                cached = self.cache.object(f"blob:{oid}")
                if cached is not None:
                    got[path] = cached.encode() if isinstance(cached, str) else None
                else:
                    pending.append((r, path, oid, size))
            if got:
                files[r.full_name].add(got)
        batches: list[list[tuple[_Repo, str, str, int]]] = [[]]
        size = 0
        for item in pending:
            if batches[-1] and (len(batches[-1]) >= q.BLOB_BATCH or size + item[3] > q.BLOB_BATCH_BYTES):
                batches.append([])
                size = 0
            batches[-1].append(item)
            size += item[3]
        await asyncio.gather(*(self._fetch_blob_batch(b, files) for b in batches if b))

    async def _fetch_blob_batch(self, batch: list[tuple[_Repo, str, str, int]], files: dict[str, PrefetchedRepoFiles]) -> None:
        by_repo: dict[str, list[tuple[_Repo, str, str, int]]] = {}
        for item in batch:
            by_repo.setdefault(item[0].full_name, []).append(item)
        groups = list(by_repo.values())
        requests = [(g[0][0].full_name, list(dict.fromkeys(oid for _, _, oid, _ in g))) for g in groups]
        try:
            data, _errors = await self.client.graphql(q.blob_query(requests))
        except RateLimited:
            raise
        except GitHubError as exc:
            for g in groups:
                g[0][0].warnings.append(Warning_(code="files-unreadable", message=f"{len(g)} file(s) could not be fetched: {exc}",
                                                 locator=g[0][0].html_url))
                files[g[0][0].full_name].add({path: None for _, path, _, _ in g})
            return
        for i, g in enumerate(groups):
            node = data.get(f"r{i}") or {}
            oids = requests[i][1]
            texts: dict[str, str | None] = {}
            for j, oid in enumerate(oids):
                blob = node.get(f"b{j}") or {}
                text = None if blob.get("isBinary") else blob.get("text")
                if blob.get("isTruncated") and text is not None:
                    text = await self._blob_rest(g[0][0], oid)
                texts[oid] = text
                self.cache.store_object(f"blob:{oid}", text)
            files[g[0][0].full_name].add({path: (texts.get(oid).encode() if texts.get(oid) is not None else None)
                                          for _, path, oid, _ in g})

    async def _blob_rest(self, r: _Repo, oid: str) -> str | None:
        import base64

        try:
            answer = await self.client.get(f"repos/{r.full_name}/git/blobs/{oid}", conditional=False)
            data = base64.b64decode(answer.body.get("content") or "")
        except (GitHubError, ValueError, AttributeError):
            return None
        return None if b"\x00" in data[:8192] else data.decode("utf-8", errors="replace")

    # ------------------------------------------------------------------------------------ assemble

    def _context(self, r: _Repo, files: PrefetchedRepoFiles) -> DetectionContext:
        identity = RepoIdentity(name=r.full_name, default_branch=r.default_branch, host=_web_host(r.html_url))
        return DetectionContext(files=files, repo=identity, source=Source.GITHUB, production_patterns=self.settings.production_patterns)

    def _assemble(self, r: _Repo, detected: _FileResult) -> Collection:
        sha = r.head.get("oid")
        blob_base = f"{r.html_url}/blob/{sha}/" if sha else f"{r.html_url}/blob/HEAD/"
        evidence = [locate_evidence(e, blob_base, r.html_url) for e in detected.evidence]
        evidence.append(Evidence(key="repo.version_control", value=["git"], source=Source.GITHUB, locator=r.html_url,
                                 observed=f"a GitHub repository ({r.html_url})"))
        warnings = [*r.warnings, *(locate_warning(w, blob_base) for w in detected.warnings)]
        if r.node.get("isEmpty") or not r.default_branch:
            warnings.append(Warning_(code="empty-repository", message="the repository has no commits: no files and no history to read",
                                     locator=r.html_url))
        else:
            hist = self._repo_history(r)
            more, hist_warnings = history_evidence(hist, self.settings.production_patterns, Source.GITHUB)
            evidence.extend(more)
            warnings.extend(hist_warnings)
        attestations, problems = LocalCollector._attestations(detected.maturity_toml)
        for problem in problems:
            warnings.append(Warning_(code="bad-attestation-file", message=problem, locator=f"{blob_base}.maturity.toml"))
        target = Target(kind="github", name=r.full_name, url=r.html_url or None, commit=sha, default_branch=r.default_branch)
        return Collection(target=target, evidence=evidence, warnings=warnings, attestations=attestations,
                          reused=r.reused_history and r.files_cached, topics=self.topics.get(r.full_name))

    def _repo_history(self, r: _Repo) -> RepoHistory:
        h = r.history or {}
        unavailable = dict(r.unavailable)
        protection = q.protection_records(r.node, r.default_branch or "", r.html_url)
        admin = r.node.get("viewerPermission") == "ADMIN"
        if not admin and r.branch_summary:
            protection.append(q.branch_summary_record(r.branch_summary, r.html_url, r.default_branch or ""))
        if not admin and not any(p.required_reviews is not None for p in protection):
            unavailable.setdefault("protection", "review rules of branch protection need admin rights on the repository")
        return RepoHistory(
            repo=r.full_name, html_url=r.html_url, default_branch=r.default_branch, window_start=self.window_start, window_end=self.now,
            runs=r.runs, runs_url=r.runs_url, runs_complete=r.runs_complete,
            deployments=h.get("deployments"), deployments_url=f"{r.html_url}/deployments",
            releases=h.get("releases"), releases_url=f"{r.html_url}/releases",
            tags=h.get("tags"), tags_url=f"{r.html_url}/tags",
            protection=protection if (admin or r.branch_summary is not None or protection) else None,
            protection_reviews_visible=admin or any(p.required_reviews is not None for p in protection),
            commits=h.get("commits"), commits_url=f"{r.html_url}/commits/{r.default_branch}",
            unavailable={k: v for k, v in unavailable.items() if k != "protection" or not admin},
        )


# ---------------------------------------------------------------------------------------------- helpers


class _PyGithubCounter(logging.Handler):
    """Counts PyGithub's requests into `Usage` while it is attached.

    PyGithub logs every request on `github.Requester` at DEBUG (token masked); this handler only
    counts them, and keeps those lines (they carry response bodies) away from other handlers.
    """

    def __init__(self, usage: Any) -> None:
        super().__init__(logging.DEBUG)
        self.usage = usage
        self.logger = logging.getLogger("github.Requester")
        self._saved = (self.logger.level, self.logger.propagate)
        self.logger.setLevel(logging.DEBUG)
        self.logger.propagate = False
        self.logger.addHandler(self)

    def emit(self, record: logging.LogRecord) -> None:
        args = record.args if isinstance(record.args, tuple) else ()
        if len(args) != 9 or not isinstance(args[6], int):
            return
        status, headers = args[6], args[7] if isinstance(args[7], dict) else {}
        self.usage.requests += 1
        if status == 304:
            self.usage.not_modified += 1
        else:
            self.usage.points += 1
        remaining = str(headers.get("x-ratelimit-remaining", ""))
        if remaining.isdigit():
            self.usage.remaining[str(headers.get("x-ratelimit-resource", "core"))] = int(remaining)

    def close(self) -> None:
        self.logger.removeHandler(self)
        self.logger.setLevel(self._saved[0])
        self.logger.propagate = self._saved[1]
        super().close()


def _alias_errors(errors: list[dict[str, Any]]) -> dict[str, str]:
    """GraphQL field errors by the top-level alias (`r3`) they concern."""
    out: dict[str, str] = {}
    for e in errors:
        if not isinstance(e, dict):
            continue
        path = e.get("path") or []
        # an error on the repository itself (`r3`) fails it; one deeper down leaves a null field
        if len(path) == 1 and isinstance(path[0], str) and re.fullmatch(r"r\d+", path[0]):
            kind = e.get("type") or "ERROR"
            out.setdefault(path[0], f"{kind.lower().replace('_', ' ')}: {str(e.get('message', ''))[:200]}")
    return out


def _web_host(html_url: str) -> str | None:
    m = re.match(r"^[a-z]+://([^/]+)", html_url or "")
    return m.group(1).lower() if m else None


def _safe(exc: BaseException, settings: GitHubSettings) -> str:
    """An exception's text with any secret taken out."""
    text = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    for secret in (settings.token, settings.app_private_key):
        if secret:
            text = text.replace(secret, "***")
    return text[:300]


_TYPES = {"releases": ReleaseRecord, "tags": TagRecord, "deployments": DeploymentRecord, "commits": CommitRecord}


def _encode(history: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {"since": history["since"]}
    for key in _TYPES:
        out[key] = [{k: (v.isoformat() if isinstance(v, datetime) else v) for k, v in dataclasses.asdict(x).items()} for x in history[key]]
    return out


def _decode(cached: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {"since": cached["since"]}
    for key, cls in _TYPES.items():
        kinds = {f.name: f.type for f in dataclasses.fields(cls)}
        out[key] = [cls(**{k: (q.when(v) if "datetime" in str(kinds.get(k)) and isinstance(v, str) else v)
                           for k, v in item.items() if k in kinds}) for item in cached.get(key, [])]
    return out


def token_from_env() -> str | None:
    return os.environ.get("GITHUB_TOKEN") or os.environ.get("GH_TOKEN") or None
