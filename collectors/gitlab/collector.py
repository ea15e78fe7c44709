"""The GitLab collector: projects and groups (subgroups included), through python-gitlab.

Per project, on a full scan (GitLab's REST API has no batching):
1. first-parent commits of the default branch in the window (HEAD, and `process.pr_merge_share`);
2. the repository archive at HEAD: every file in one request, fed to the same detectors as a
   checkout (skipped when the detector results for that commit are cached);
3. pipelines of the default branch in the window (only when the project has a CI file);
4. deployments in the window, then environments (their tiers) when there are deployments;
5. tags, each with its release when it has one;
6. approval rules (Premium; without them review rules stay unknown);
7. merge requests merged into the default branch in the window, unless the merge commits already
   name them (the default merge methods and template).

A project whose `last_activity_at` has not moved since its cached result, younger than
`history_max_age_s`, is not read again at all.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import tarfile
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from fnmatch import fnmatch
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

from collectors.api_cache import ApiCache
from collectors.detectors.interface import DEFAULT_PRODUCTION_PATTERNS, DetectionContext, RepoIdentity
from collectors.history.evidence import history_evidence
from collectors.history.records import CommitRecord, DeploymentRecord, ProtectionRecord, ReleaseRecord, RepoHistory, RunRecord, TagRecord
from collectors.interface import Collection, CollectionFailure, Collector, run_detectors
from collectors.local import LocalCollector
from collectors.remote import detector_code_fingerprint, locate_evidence, locate_warning
from collectors.repofiles import MAX_FILE_BYTES, MemoryRepoFiles
from collectors.usage import Usage, count_requests
from scanner.errors import CollectorError, UsageError
from scanner.evidence import Evidence, Source, Warning_
from scanner.report import Target

log = logging.getLogger("maturity.gitlab")

MAX_PAGES = 10
"""Pages of 100 read per history list (commits, pipelines, deployments, merge requests)."""
_PATH = re.compile(r"^[A-Za-z0-9_.][A-Za-z0-9_.-]*(/[A-Za-z0-9_.][A-Za-z0-9_.-]*)*$")

# pipeline status -> the run conclusion vocabulary of collectors/history
_CONCLUSION = {"success": "success", "failed": "failure", "canceled": "cancelled", "skipped": "skipped"}
# deployment status -> the deployment state vocabulary of collectors/history
_DEPLOY_STATE = {"success": "success", "failed": "failure", "canceled": "error", "running": "in_progress",
                 "created": "pending", "blocked": "pending", "skipped": None}
_MERGE_REFERENCE = re.compile(r"^See merge request [\w./-]*!(\d+)\s*$", re.MULTILINE)


class RateLimitTooLong(CollectorError):
    """GitLab asked to wait longer than the scan may."""


@dataclass(frozen=True)
class GitLabSettings:
    url: str = "https://gitlab.com"
    """Instance URL (self-managed: https://gitlab.example.com)."""
    token: str | None = field(default=None, repr=False)
    """Personal, project or group access token (from GITLAB_TOKEN or the config); never printed."""
    concurrency: int = 8
    """Projects read at once."""
    timeout_s: float = 30.0
    """Timeout per request."""
    retries: int = 3
    """Retries after a timeout, a dropped connection or a 5xx (and after each 429)."""
    max_wait_s: float = 900.0
    """Longest wait a 429's Retry-After may ask for; beyond it the project fails."""
    window_days: int = 90
    """History window."""
    production_patterns: tuple[str, ...] = DEFAULT_PRODUCTION_PATTERNS
    """Regexes marking an environment name as production, where GitLab gives no tier."""
    include_archived: bool = False
    """Scan archived projects of a group too."""
    include_forks: bool = False
    """Scan forks too."""
    include: tuple[str, ...] = ()
    """Glob patterns of project paths or names to keep when scanning a group (empty: all)."""
    exclude: tuple[str, ...] = ()
    """Glob patterns of project paths or names to leave out."""
    cache_dir: Path | None = None
    """Where the rescan cache lives; None keeps nothing."""
    history_max_age_s: float = 3600.0
    """How long a cached project result is reused while its `last_activity_at` has not moved."""
    max_archive_bytes: int = 500_000_000
    """Largest repository archive read; files past it are left out with a warning."""


def parse_target(target: str) -> str:
    """`gitlab:GROUP[/SUBGROUP...][/PROJECT]` -> the path."""
    spec = target.removeprefix("gitlab:").strip().strip("/")
    if not spec or not _PATH.match(spec) or any(part in (".", "..") for part in spec.split("/")):
        raise UsageError(f"not a GitLab target: {target!r} (expected gitlab:GROUP or gitlab:GROUP/PROJECT)")
    return spec


class GitLabCollector(Collector):
    source = Source.GITLAB

    def __init__(self, settings: GitLabSettings, now: datetime | None = None,
                 progress: Callable[[str, int, int], None] | None = None) -> None:
        import gitlab
        import requests.adapters

        self.settings = settings
        self.now = (now or datetime.now(timezone.utc)).replace(microsecond=0)
        self.window_start = self.now - timedelta(days=settings.window_days)
        self.progress = progress
        self.usage = Usage()
        self.reused = 0
        self.project_targets: set[str] = set()
        """Targets (paths) that named one project rather than a group."""
        host = re.sub(r"[^A-Za-z0-9.-]+", "_", settings.url.split("://", 1)[-1]).strip("_")
        self.cache = ApiCache(settings.cache_dir / f"gitlab-{host}.sqlite3" if settings.cache_dir else None)
        self.gl = gitlab.Gitlab(settings.url.rstrip("/"), private_token=settings.token, timeout=settings.timeout_s, per_page=100,
                                retry_transient_errors=True, user_agent="maturity-scanner")
        adapter = requests.adapters.HTTPAdapter(pool_connections=4, pool_maxsize=max(4, settings.concurrency))
        self.gl.session.mount("https://", adapter)
        self.gl.session.mount("http://", adapter)
        self._lock = count_requests(self.gl.session, self.usage, self._on_response)

    # ------------------------------------------------------------------------------------ HTTP accounting

    def _on_response(self, response: Any) -> None:
        with self._lock:
            remaining = response.headers.get("RateLimit-Remaining")
            if remaining and remaining.isdigit():
                self.usage.remaining["requests"] = int(remaining)
            reset = response.headers.get("RateLimit-Reset")
            if reset and reset.isdigit():
                self.usage.reset_at["requests"] = float(reset)
        if response.status_code == 429:
            what = f"{response.request.method} {urlsplit(response.url).path}"
            retry_after = response.headers.get("Retry-After")
            wait = float(retry_after) if retry_after and retry_after.isdigit() else None
            if wait is None and reset and reset.isdigit():
                wait = max(0.0, float(reset) - time.time())
            if wait is not None and wait > self.settings.max_wait_s:
                raise RateLimitTooLong(f"{what}: GitLab rate limit: asked to wait {wait:.0f} s, more than the "
                                       f"{self.settings.max_wait_s:.0f} s the scan may wait (gitlab.max_wait_s)")
            log.warning("gitlab: rate limited (429) on %s: waiting %s s (Retry-After)", what, f"{wait:.0f}" if wait is not None else "a moment")
            with self._lock:
                self.usage.waited_s += wait or 0.0

    def _call(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        """A python-gitlab call with the scan's retry budget."""
        return fn(*args, max_retries=self.settings.retries, **kwargs)

    def _list(self, manager: Any, **params: Any) -> tuple[list[dict[str, Any]], bool]:
        """Up to MAX_PAGES pages of a list: (items, complete)."""
        items: list[dict[str, Any]] = []
        listing = manager.list(iterator=True, per_page=100, max_retries=self.settings.retries, **params)
        for obj in listing:
            items.append(obj.attributes)
            if len(items) >= MAX_PAGES * 100:
                return items, False
        return items, True

    # ------------------------------------------------------------------------------------ targets

    def expand(self, target: str) -> list[dict[str, Any]]:
        """The projects a target names (project attributes), ordered by path."""
        from gitlab.exceptions import GitlabError

        path = parse_target(target)
        try:
            try:
                project = self._call(self.gl.projects.get, path)
                self.project_targets.add(path)
                return [project.attributes]
            except GitlabError as exc:
                if getattr(exc, "response_code", None) != 404:
                    raise
            try:
                group = self._call(self.gl.groups.get, path)
            except GitlabError as exc:
                if getattr(exc, "response_code", None) == 404:
                    raise CollectorError(f"gitlab:{path}: no such project or group (404), or the token cannot see it") from None
                raise
            params: dict[str, Any] = {"include_subgroups": True, "with_shared": False, "order_by": "path", "sort": "asc"}
            if not self.settings.include_archived:
                params["archived"] = False
            projects, _ = self._list(group.projects, **params)
        except RateLimitTooLong:
            raise
        except GitlabError as exc:
            raise CollectorError(f"gitlab:{path}: {_gitlab_error(exc, self.settings)}") from None
        except Exception as exc:  # noqa: BLE001 - requests errors, garbage answers
            raise CollectorError(f"gitlab:{path}: {type(exc).__name__}: {_safe(str(exc), self.settings)}") from None
        s = self.settings
        out = []
        for p in projects:
            full = p.get("path_with_namespace") or ""
            if (p.get("archived") and not s.include_archived) or (p.get("forked_from_project") and not s.include_forks):
                continue
            names = (full, full.rsplit("/", 1)[-1])
            if s.include and not any(fnmatch(n, pat) for n in names for pat in s.include):
                continue
            if any(fnmatch(n, pat) for n in names for pat in s.exclude):
                continue
            out.append(p)
        return sorted(out, key=lambda p: (p.get("path_with_namespace") or "").lower())

    # ------------------------------------------------------------------------------------ collect

    def collect(self, target: str) -> Collection:
        results = list(self.collect_all([target]))
        if not results:
            raise CollectorError(f"{target}: no project to scan (all archived, forks or excluded)")
        if len(results) > 1:
            raise UsageError(f"{target} names {len(results)} projects: scan it as a group")
        if isinstance(results[0], CollectionFailure):
            raise CollectorError(results[0].error)
        return results[0]

    def collect_all(self, targets: Iterable[str]) -> Iterator[Collection | CollectionFailure]:
        projects: list[dict[str, Any]] = []
        seen: set[str] = set()
        for target in targets:
            for p in self.expand(target):
                if p.get("path_with_namespace") not in seen:
                    seen.add(p.get("path_with_namespace"))
                    projects.append(p)
        if not projects:
            return
        done = 0
        stop: list[str] = []
        with ThreadPoolExecutor(max_workers=self.settings.concurrency, thread_name_prefix="gitlab") as pool:
            futures = {pool.submit(self._project_guarded, p, stop): p for p in projects}
            for future in as_completed(futures):
                result = future.result()
                done += 1
                if self.progress:
                    self.progress(result.target.name if isinstance(result, Collection) else result.target, done, len(projects))
                yield result

    def _project_guarded(self, p: dict[str, Any], stop: list[str]) -> Collection | CollectionFailure:
        from gitlab.exceptions import GitlabError

        name = p.get("path_with_namespace") or str(p.get("id"))
        if stop:
            return CollectionFailure(name, f"not scanned: {stop[0]}")
        try:
            return self._project(p)
        except RateLimitTooLong as exc:
            stop.append(str(exc))
            return CollectionFailure(name, str(exc))
        except GitlabError as exc:
            return CollectionFailure(name, _gitlab_error(exc, self.settings))
        except CollectorError as exc:
            return CollectionFailure(name, str(exc))
        except Exception as exc:  # noqa: BLE001 - one odd project must not sink the scan
            return CollectionFailure(name, f"unexpected {type(exc).__name__}: {_safe(str(exc), self.settings)}")

    # ------------------------------------------------------------------------------------ one project

    def _project(self, p: dict[str, Any]) -> Collection:
        name = p["path_with_namespace"]
        web = (p.get("web_url") or "").rstrip("/")
        branch = p.get("default_branch")
        fingerprint = json.dumps([p.get("last_activity_at"), branch, self.settings.window_days, list(self.settings.production_patterns),
                                  detector_code_fingerprint()])
        cached = self.cache.history(f"result:{name}", fingerprint)
        if cached is not None and time.time() - cached["stored"] <= self.settings.history_max_age_s:
            with self._lock:
                self.reused += 1
            return Collection(target=Target.model_validate(cached["target"]),
                              evidence=[Evidence.model_validate(e) for e in cached["evidence"]],
                              warnings=[Warning_.model_validate(w) for w in cached["warnings"]],
                              attestations=LocalCollector._attestations(cached["maturity_toml"])[0], reused=True,
                              topics=p.get("topics") if isinstance(p.get("topics"), list) else None)
        project = self.gl.projects.get(p["id"], lazy=True)
        warnings: list[Warning_] = []
        if not branch or p.get("empty_repo"):
            evidence, file_warnings = self._detect(name, web, None, None, _ArchiveFiles({}, set()))
            toml = None
            warnings.append(Warning_(code="empty-repository", message="the project has no commits: no files and no history to read", locator=web))
            collection = self._finish(p, web, None, evidence, file_warnings + warnings, None)
        else:
            since = self.window_start.isoformat()
            commits, commits_complete = self._list(project.commits, ref_name=branch, since=since, first_parent=True)
            head = commits[0]["id"] if commits else self._branch_head(project, branch)
            if head is None:
                # the listing names a default branch that cannot be read: no files to judge, history still readable
                evidence, toml, ci_path_present = [], None, True
                file_warnings = [Warning_(code="files-unreadable", message=f"the default branch {branch!r} could not be read (404): "
                                          "file signals stay unknown", locator=web)]
            else:
                evidence, file_warnings, toml, ci_path_present = self._files(project, name, web, branch, head, p)
            history = self._history(project, p, web, branch, commits, commits_complete, ci_path_present)
            more, hist_warnings = history_evidence(history, self.settings.production_patterns, Source.GITLAB)
            collection = self._finish(p, web, head, evidence + more, file_warnings + warnings + hist_warnings, toml)
        self.cache.store_history(f"result:{name}", fingerprint, {
            "stored": time.time(), "target": collection.target.model_dump(mode="json"),
            "evidence": [e.model_dump(mode="json") for e in collection.evidence],
            "warnings": [w.model_dump(mode="json") for w in collection.warnings],
            "maturity_toml": toml})
        return collection

    def _branch_head(self, project: Any, branch: str) -> str | None:
        from gitlab.exceptions import GitlabGetError

        try:
            return self._call(project.branches.get, branch).attributes["commit"]["id"]
        except GitlabGetError as exc:
            if getattr(exc, "response_code", None) == 404:
                return None
            raise

    def _finish(self, p: dict[str, Any], web: str, head: str | None, evidence: list[Evidence], warnings: list[Warning_],
                toml: str | None) -> Collection:
        evidence = [*evidence, Evidence(key="repo.version_control", value=["git"], source=Source.GITLAB, locator=web or ".",
                                        observed=f"a GitLab project ({web})")]
        attestations, problems = LocalCollector._attestations(toml)
        blob = f"{web}/-/blob/{head or p.get('default_branch') or 'HEAD'}/"
        warnings = [*warnings, *(Warning_(code="bad-attestation-file", message=m, locator=f"{blob}.maturity.toml") for m in problems)]
        target = Target(kind="gitlab", name=p["path_with_namespace"], url=web or None, commit=head, default_branch=p.get("default_branch"))
        topics = p.get("topics") or p.get("tag_list")
        return Collection(target=target, evidence=evidence, warnings=warnings, attestations=attestations,
                          topics=list(topics) if isinstance(topics, list) else None)

    # ------------------------------------------------------------------------------------ files

    def _files(self, project: Any, name: str, web: str, branch: str, head: str,
               p: dict[str, Any]) -> tuple[list[Evidence], list[Warning_], str | None, bool]:
        ci_path = p.get("ci_config_path") or ".gitlab-ci.yml"
        key = "detected:" + hashlib.sha256(json.dumps([head, name, branch, list(self.settings.production_patterns),
                                                       detector_code_fingerprint()]).encode()).hexdigest()
        cached = self.cache.object(key)
        if cached is not None:
            return ([Evidence.model_validate(e) for e in cached["evidence"]], [Warning_.model_validate(w) for w in cached["warnings"]],
                    cached["maturity_toml"], bool(cached.get("has_ci")))
        from gitlab.exceptions import GitlabError

        try:
            files, warnings = self._archive(project, head, web)
        except GitlabError as exc:
            if getattr(exc, "response_code", None) not in (403, 404):
                raise
            why = f"the repository archive could not be read (HTTP {exc.response_code}): file signals stay unknown"
            return [], [Warning_(code="files-unreadable", message=why, locator=web)], None, True
        evidence, detect_warnings = self._detect(name, web, branch, head, files)
        warnings = warnings + detect_warnings
        toml = files.read_text(".maturity.toml") if files.exists(".maturity.toml") else None
        has_ci = files.exists(ci_path) or "@" in ci_path  # a CI file in another project (path@group/project)
        if not any(w.code == "archive-truncated" for w in warnings):
            self.cache.store_object(key, {"evidence": [e.model_dump(mode="json") for e in evidence],
                                          "warnings": [w.model_dump(mode="json") for w in warnings], "maturity_toml": toml, "has_ci": has_ci})
        return evidence, warnings, toml, has_ci

    def _archive(self, project: Any, head: str, web: str) -> tuple[_ArchiveFiles, list[Warning_]]:
        """Every file of the repository at `head`, from one archive download."""
        warnings: list[Warning_] = []
        limit = self.settings.max_archive_bytes
        with tempfile.SpooledTemporaryFile(max_size=50_000_000) as spool:
            size = 0
            truncated = False
            for chunk in self._call(project.repository_archive, sha=head, format="tar.gz", streamed=True, iterator=True):
                size += len(chunk)
                if size > limit:
                    truncated = True
                    break
                spool.write(chunk)
            spool.seek(0)
            contents: dict[str, bytes] = {}
            large: set[str] = set()
            try:
                with tarfile.open(fileobj=spool, mode="r|gz") as tar:
                    for member in tar:
                        if not member.isfile():
                            continue
                        path = member.name.split("/", 1)[1] if "/" in member.name else member.name
                        if not path:
                            continue
                        if member.size > MAX_FILE_BYTES:
                            large.add(path)
                            continue
                        data = tar.extractfile(member)
                        contents[path] = data.read() if data is not None else b""
            except (tarfile.TarError, EOFError, OSError) as exc:
                if not truncated:
                    raise CollectorError(f"repository archive unreadable: {type(exc).__name__}: {exc}") from None
            if truncated:
                warnings.append(Warning_(code="archive-truncated", message=f"the repository archive is larger than {limit // 1_000_000} MB: "
                                         f"file signals come from the {len(contents)} files read before that", locator=web))
        return _ArchiveFiles(contents, large), warnings

    def _detect(self, name: str, web: str, branch: str | None, head: str | None,
                files: _ArchiveFiles) -> tuple[list[Evidence], list[Warning_]]:
        identity = RepoIdentity(name=name, default_branch=branch, host=urlsplit(web).hostname if web else None)
        ctx = DetectionContext(files=files, repo=identity, source=Source.GITLAB, production_patterns=self.settings.production_patterns)
        run_detectors(ctx)
        blob_base = f"{web}/-/blob/{head or branch or 'HEAD'}/"
        return [locate_evidence(e, blob_base, web) for e in ctx.evidence], [locate_warning(w, blob_base) for w in ctx.warnings]

    # ------------------------------------------------------------------------------------ history

    def _history(self, project: Any, p: dict[str, Any], web: str, branch: str, commits: list[dict[str, Any]], commits_complete: bool,
                 has_ci: bool) -> RepoHistory:
        from gitlab.exceptions import GitlabError

        since = self.window_start.isoformat()
        unavailable: dict[str, str] = {}

        def optional(part: str, fn: Callable[[], Any], why: str = "not readable with this token") -> Any:
            try:
                return fn()
            except GitlabError as exc:
                code = getattr(exc, "response_code", None)
                if code in (401, 403, 404):
                    unavailable[part] = f"{why} (HTTP {code})"
                    return None
                raise

        runs = None
        runs_complete = True
        if has_ci:
            pipelines = optional("runs", lambda: self._list(project.pipelines, ref=branch, updated_after=since, order_by="id", sort="desc"))
            if pipelines is not None:
                runs = [r for r in (_run(x, branch, web, p) for x in pipelines[0]) if r is not None and r.created_at >= self.window_start]
                runs_complete = pipelines[1]
        else:
            unavailable["runs"] = f"the project has no {p.get('ci_config_path') or '.gitlab-ci.yml'} (CI elsewhere is not visible through GitLab)"
        deployments = None
        listed = optional("deployments", lambda: self._list(project.deployments, updated_after=since, order_by="updated_at", sort="desc"))
        if listed is not None:
            tiers: dict[str, str | None] = {}
            if listed[0]:  # tiers only matter when there are deployments
                environments = optional("deployments", lambda: self._list(project.environments))
                tiers = {e.get("name"): e.get("tier") for e in environments[0]} if environments is not None else {}
            deployments = [d for d in (_deployment(x, web, tiers) for x in listed[0]) if d is not None]
        # one request for both: a tag carries its release (notes) when it has one
        tag_list = optional("releases", lambda: self._call(project.tags.list, per_page=100, get_all=False, order_by="updated", sort="desc"))
        release_records = tags = None
        if tag_list is not None:
            tag_dicts = [t.attributes for t in tag_list]
            tags = [_tag(t, web) for t in tag_dicts]
            release_records = [r for r in (_release_of_tag(t, web) for t in tag_dicts) if r is not None]
        protection = self._protection(project, p, web, branch, optional)
        commit_records = None
        by_sha = self._merge_request_commits(project, p, branch, since, commits, optional)
        if by_sha is not None:
            commit_records = [CommitRecord(c["id"], _when(c.get("committed_date") or c.get("created_at")), by_sha.get(c["id"]),
                                           c.get("web_url") or f"{web}/-/commit/{c['id']}") for c in commits
                              if _when(c.get("committed_date") or c.get("created_at")) is not None]
        reviews_visible = "protection" not in unavailable
        return RepoHistory(
            repo=p["path_with_namespace"], html_url=web, default_branch=branch, window_start=self.window_start, window_end=self.now,
            runs=runs, runs_url=f"{web}/-/pipelines?ref={quote(branch)}", runs_complete=runs_complete,
            deployments=deployments, deployments_url=f"{web}/-/environments",
            releases=release_records, releases_url=f"{web}/-/releases", tags=tags, tags_url=f"{web}/-/tags",
            protection=protection, protection_reviews_visible=reviews_visible,
            commits=commit_records, commits_url=f"{web}/-/commits/{quote(branch)}", unavailable=unavailable)

    def _merge_request_commits(self, project: Any, p: dict[str, Any], branch: str, since: str, commits: list[dict[str, Any]],
                               optional: Callable[..., Any]) -> dict[str, int | None] | None:
        """First-parent commit id -> the merge request it merged.

        With the merge methods that make a merge commit and GitLab's default merge commit template,
        every merge request leaves "See merge request group/project!IID" on the default branch's
        first-parent line: the commits say it, no request needed. Otherwise the merged merge requests
        are listed and matched by their merge, squash and head commit ids.
        """
        if p.get("merge_method", "merge") in ("merge", "rebase_merge") and not p.get("merge_commit_template"):
            out: dict[str, int | None] = {}
            for c in commits:
                m = _MERGE_REFERENCE.search(c.get("message") or "")
                if m:
                    out[c["id"]] = int(m.group(1))
            return out
        merged = optional("commits", lambda: self._list(project.mergerequests, state="merged", target_branch=branch, updated_after=since))
        if merged is None:
            return None
        by_sha: dict[str, int | None] = {}
        for mr in merged[0]:
            for key in ("merge_commit_sha", "squash_commit_sha", "sha"):
                if mr.get(key):
                    by_sha.setdefault(mr[key], mr.get("iid"))
        return by_sha

    def _protection(self, project: Any, p: dict[str, Any], web: str, branch: str,
                    optional: Callable[..., Any]) -> list[ProtectionRecord]:
        records = [ProtectionRecord("project-settings", "pipelines must succeed", None,
                                    ("pipeline",) if p.get("only_allow_merge_if_pipeline_succeeds") else (),
                                    f"{web}/edit#js-merge-request-settings")]
        rules = optional("protection", lambda: self._list(project.approvalrules),
                         "approval rules are not readable (a GitLab Premium feature, or the token lacks the rights)")
        if rules is not None:
            applying = [r for r in rules[0] if not r.get("protected_branches")
                        or any(b.get("name") == branch for b in r.get("protected_branches") or [])]
            for r in applying:
                if r.get("rule_type") in ("report_approver",):
                    continue
                records.append(ProtectionRecord("approval-rule", r.get("name") or "approval rule", int(r.get("approvals_required") or 0),
                                                None, f"{web}/-/settings/merge_requests"))
            if not applying:
                records.append(ProtectionRecord("approval-rule", "no approval rule", 0, None, f"{web}/-/settings/merge_requests"))
        return records


# ---------------------------------------------------------------------------------------------- records


class _ArchiveFiles(MemoryRepoFiles):
    """The archive's files; those over MAX_FILE_BYTES are listed but unreadable, as in a checkout."""

    def __init__(self, contents: dict[str, bytes], large: set[str]) -> None:
        super().__init__(contents)
        self._large = large

    def all_paths(self) -> list[str]:
        return sorted([*self._files, *self._large])

    def _load(self, path: str) -> bytes | None:
        return None if path in self._large else super()._load(path)


def _when(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        t = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return t if t.tzinfo else t.replace(tzinfo=timezone.utc)


def _run(x: dict[str, Any], branch: str, web: str, p: dict[str, Any]) -> RunRecord | None:
    created = _when(x.get("created_at"))
    if created is None:
        return None
    status = x.get("status") or ""
    path = p.get("ci_config_path") or ".gitlab-ci.yml"
    return RunRecord(int(x.get("id") or 0), 0, path, path, x.get("source") or "", "completed" if status in _CONCLUSION else status,
                     _CONCLUSION.get(status), x.get("ref") or branch, x.get("sha") or "", created,
                     _when(x.get("updated_at")) or created, x.get("web_url") or f"{web}/-/pipelines/{x.get('id')}")


def _deployment(x: dict[str, Any], web: str, tiers: dict[str, str | None]) -> DeploymentRecord | None:
    created = _when(x.get("created_at"))
    if created is None:
        return None
    env = (x.get("environment") or {}).get("name") or ""
    deployable = x.get("deployable") or {}
    commit = deployable.get("commit") or {}
    status = x.get("status") or deployable.get("status") or ""
    env_id = (x.get("environment") or {}).get("id")
    return DeploymentRecord(
        id=int(x.get("id") or 0), environment=env, sha=x.get("sha") or "", created_at=created,
        state=_DEPLOY_STATE.get(status, status or None), state_at=_when(deployable.get("finished_at")) or _when(x.get("updated_at")),
        commit_at=_when(commit.get("committed_date") or commit.get("created_at")), creator=(x.get("user") or {}).get("username"),
        description=deployable.get("name"), payload=None, task="deploy",
        url=f"{web}/-/environments/{env_id}" if env_id else f"{web}/-/environments", tier=tiers.get(env))


def _release_of_tag(x: dict[str, Any], web: str) -> ReleaseRecord | None:
    """The release a tag carries, dated by its commit (the tag listing gives no release date nor author)."""
    release = x.get("release")
    commit = x.get("commit") or {}
    when = _when(x.get("created_at")) or _when(commit.get("committed_date") or commit.get("created_at"))
    if not release or when is None:
        return None
    tag = x.get("name") or release.get("tag_name") or ""
    return ReleaseRecord(tag, tag, when, when, False, False, None, None, release.get("description") or "", f"{web}/-/releases/{quote(tag)}")


def _tag(x: dict[str, Any], web: str) -> TagRecord:
    commit = x.get("commit") or {}
    return TagRecord(x.get("name") or "", commit.get("id") or "", _when(commit.get("committed_date") or commit.get("created_at")),
                     f"{web}/-/tags/{quote(x.get('name') or '')}")


def _gitlab_error(exc: Exception, settings: GitLabSettings) -> str:
    code = getattr(exc, "response_code", None)
    message = getattr(exc, "error_message", None) or str(exc) or type(exc).__name__
    if isinstance(message, bytes):
        message = "non-JSON error body"
    text = f"HTTP {code}: {message}" if code else f"{type(exc).__name__}: {message}"
    return _safe(text, settings)


def _safe(text: str, settings: GitLabSettings) -> str:
    text = " ".join(str(text).split())
    if settings.token:
        text = text.replace(settings.token, "***")
    return text[:300]


def token_from_env() -> str | None:
    return os.environ.get("GITLAB_TOKEN") or None


__all__ = ["GitLabCollector", "GitLabSettings", "parse_target", "token_from_env"]
