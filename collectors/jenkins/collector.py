"""The Jenkins collector: a whole server or one folder, through python-jenkins.

Requests, for a server of N jobs:
- one `tree=` query lists the job tree, folders, multibranch projects and organisation folders
  included, ten levels deep (a deeper folder costs one more);
- per job: its `config.xml` (triggers, repositories, pipeline script, parameters) and one `tree=`
  query of its builds with the `{0,100}` range (another range only while the window reaches
  further back); a branch job of a multibranch project reads only its builds (the project's
  config.xml says the rest).

Jobs are grouped by the repository they build (the git remote of config.xml, else of the builds'
BuildData), normalised so that `git@host:o/r.git` and `https://host/o/r` are one. A scan with
other targets merges each group into the report of the repository it builds; the groups nothing
claims are reported on their own.
"""

from __future__ import annotations

import json
import logging
import re
import zlib
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any
from urllib.parse import quote, unquote, urlsplit

from collectors.detectors.interface import DEFAULT_PRODUCTION_PATTERNS, DetectionContext
from collectors.history.evidence import history_evidence
from collectors.history.records import DeploymentRecord, RepoHistory, RunRecord
from collectors.interface import Collection
from collectors.jenkins.config_xml import ConfigXmlError, JobConfig, parse_config
from collectors.local import parse_remote
from collectors.repofiles import MemoryRepoFiles
from collectors.usage import Usage, count_requests
from scanner.errors import CollectorError, UsageError
from scanner.evidence import Evidence, Source, Warning_
from scanner.report import Target

log = logging.getLogger("maturity.jenkins")

FOLDER_CLASSES = ("com.cloudbees.hudson.plugins.folder.Folder", "jenkins.branch.OrganizationFolder")
MULTIBRANCH_CLASSES = ("org.jenkinsci.plugins.workflow.multibranch.WorkflowMultiBranchProject",)
TREE_DEPTH = 10
BUILDS_PAGE = 100
MAX_BUILD_PAGES = 10
BUILD_TREE = ("number,url,result,timestamp,duration,building,actions[_class,causes[_class,shortDescription,userId,userName,"
              "upstreamProject,upstreamBuild],lastBuiltRevision[SHA1,branch[name]],remoteUrls,parameters[name,value]]")

# build cause class (last dotted part) -> ci.triggers
CAUSES = {
    "SCMTriggerCause": "poll", "SCMTrigger$SCMTriggerCause": "poll",
    "UserIdCause": "manual", "Cause$UserIdCause": "manual", "UserCause": "manual", "Cause$UserCause": "manual",
    "TimerTriggerCause": "schedule", "TimerTrigger$TimerTriggerCause": "schedule",
    "GitHubPushCause": "push", "BranchEventCause": "push", "GitLabWebHookCause": "push", "GenericCause": "push",
    "GhprbCause": "pull_request", "UpstreamCause": "upstream", "Cause$UpstreamCause": "upstream",
    "RemoteCause": "api", "Cause$RemoteCause": "api",
}
RESULTS = {"SUCCESS": "success", "FAILURE": "failure", "UNSTABLE": "failure", "ABORTED": "cancelled", "NOT_BUILT": "skipped"}
DEPLOY_RESULTS = {"SUCCESS": "success", "FAILURE": "failure", "UNSTABLE": "failure", "ABORTED": "error"}


@dataclass(frozen=True)
class JenkinsSettings:
    url: str
    """Server URL (`https://ci.example.com`), without the folder part."""
    folder: tuple[str, ...] = ()
    """The folder to scan (`job/a/job/b` as names `("a", "b")`); empty for the whole server."""
    user: str | None = None
    """JENKINS_USER."""
    token: str | None = field(default=None, repr=False)
    """JENKINS_TOKEN (an API token); never printed."""
    timeout_s: float = 30.0
    """Timeout per request (python-jenkins sets none by default)."""
    retries: int = 3
    """Retries after a dropped connection or a 502/503/504."""
    concurrency: int = 8
    """Jobs read at once."""
    window_days: int = 90
    """History window."""
    production_patterns: tuple[str, ...] = DEFAULT_PRODUCTION_PATTERNS
    """Regexes marking an environment name as production."""
    deploy_job_patterns: tuple[str, ...] = (r"deploy", r"release", r"(^|[-_. /])prod(uction)?([-_. /]|$)")
    """Regexes (case-insensitive, searched in the job's name) that make a job a deploy job."""
    deploy_parameter_patterns: tuple[str, ...] = (r"^(deploy_?)?(env|environment|target(_?env)?|stage)$",)
    """Regexes on parameter names that make a parameterised job a deploy job, and name its environment."""
    default_branches: tuple[str, ...] = ("main", "master")
    """Branches taken as the default branch when the repository's own is not known."""
    host_aliases: tuple[tuple[str, str], ...] = ()
    """(host in Jenkins' git remotes, host the other targets use): a mirror or a second name of one server."""


@dataclass
class _Job:
    full_name: str
    url: str
    cls: str
    parent: _Job | None = None
    config: JobConfig | None = None
    builds: list[dict[str, Any]] | None = None
    builds_complete: bool = True
    error: str | None = None
    warnings: list[Warning_] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.full_name.rsplit("/", 1)[-1]

    @property
    def is_branch_job(self) -> bool:
        return self.parent is not None and self.parent.cls in MULTIBRANCH_CLASSES


@dataclass
class JenkinsGroup:
    """The jobs that build one repository (or, with `key` None, no repository Jenkins names)."""

    key: tuple[str, str] | None
    """(host, owner/repo) of the repository, normalised; None for jobs with no git remote."""
    scm_url: str | None
    """A git remote URL as Jenkins has it."""
    jobs: list[str]
    """Full names of the jobs."""
    evidence: list[Evidence]
    """Jenkins evidence for the repository."""
    warnings: list[Warning_]
    """What could not be read."""


def parse_target(target: str) -> tuple[str, tuple[str, ...]]:
    """`jenkins:https://ci.example.com[/job/a/job/b]` -> (server URL, folder names)."""
    spec = target.removeprefix("jenkins:").strip()
    parts = urlsplit(spec)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise UsageError(f"not a Jenkins target: {target!r} (expected jenkins:https://HOST[/job/FOLDER...])")
    path = parts.path.rstrip("/")
    base_path, sep, rest = path.partition("/job/")
    folder: tuple[str, ...] = ()
    if sep:
        segments = ("job/" + rest).split("/")
        if len(segments) % 2 or any(segments[i] != "job" for i in range(0, len(segments), 2)):
            raise UsageError(f"not a Jenkins folder URL: {spec!r} (expected …/job/A/job/B)")
        folder = tuple(unquote(segments[i]) for i in range(1, len(segments), 2))
    return f"{parts.scheme}://{parts.netloc}{base_path}", folder


def repo_key(url: str | None) -> tuple[str, str] | None:
    """`git@github.com:Acme/Repo.git`, `https://github.com/acme/repo` -> ("github.com", "acme/repo")."""
    if not url:
        return None
    host, path = parse_remote(url)
    if not host or not path:
        return None
    return host.lower(), path.lower().removesuffix(".git").strip("/")


class JenkinsCollector:
    source = Source.JENKINS

    def __init__(self, settings: JenkinsSettings, now: datetime | None = None,
                 progress: Callable[[str, int, int], None] | None = None) -> None:
        import jenkins
        from requests.adapters import HTTPAdapter
        from urllib3.util.retry import Retry

        self.settings = settings
        self.now = (now or datetime.now(timezone.utc)).replace(microsecond=0)
        self.window_start = self.now - timedelta(days=settings.window_days)
        self.progress = progress
        self.usage = Usage()
        self.server = jenkins.Jenkins(settings.url, username=settings.user, password=settings.token, timeout=settings.timeout_s,
                                      retries=settings.retries)
        session = self.server._session
        retry = Retry(total=settings.retries, backoff_factor=0.5, status_forcelist=(502, 503, 504), allowed_methods=("GET",),
                      respect_retry_after_header=True, raise_on_status=False)
        adapter = HTTPAdapter(max_retries=retry, pool_connections=2, pool_maxsize=max(4, settings.concurrency))
        session.mount("http://", adapter)
        session.mount("https://", adapter)
        count_requests(session, self.usage)

    # ------------------------------------------------------------------------------------ requests

    def _get_json(self, url: str) -> Any:
        import requests

        text = self._open(requests.Request("GET", url))
        try:
            return json.loads(text)
        except ValueError:
            raise CollectorError(f"GET {urlsplit(url).path}: the answer is not JSON") from None

    def _open(self, req: Any) -> str:
        import jenkins

        try:
            return self.server.jenkins_open(req)
        except jenkins.NotFoundException:
            raise CollectorError(f"GET {urlsplit(req.url).path}: not found (404)") from None
        except jenkins.JenkinsException as exc:
            raise CollectorError(f"GET {urlsplit(req.url).path}: {_jenkins_error(exc, self.settings)}") from None
        except Exception as exc:  # noqa: BLE001 - requests/urllib3 errors (timeouts, refused connections)
            raise CollectorError(f"GET {urlsplit(req.url).path}: {type(exc).__name__}: {_safe(str(exc), self.settings)}") from None

    def _folder_url(self, names: tuple[str, ...]) -> str:
        base = self.settings.url.rstrip("/") + "/"
        return base + "".join(f"job/{quote(n, safe='')}/" for n in names)

    # ------------------------------------------------------------------------------------ discovery

    def discover(self) -> list[_Job]:
        """Every job under the scanned folder, multibranch projects and their branch jobs included."""
        jobs: list[_Job] = []
        self._walk(self.settings.folder, None, jobs)
        return jobs

    def _walk(self, names: tuple[str, ...], parent: _Job | None, out: list[_Job]) -> None:
        query = "jobs"
        for _ in range(TREE_DEPTH):
            query = f"jobs[name,url,color,_class,{query}]"
        url = self._folder_url(names) + "api/json?tree=" + query
        data = self._get_json(url)
        self._flatten(data.get("jobs") or [], names, parent, out)

    def _flatten(self, nodes: list[dict[str, Any]], names: tuple[str, ...], parent: _Job | None, out: list[_Job]) -> None:
        for node in nodes:
            if not isinstance(node, dict):
                continue
            name = node.get("name")
            if not name:
                continue
            cls = node.get("_class") or ""
            path = (*names, name)
            job = _Job("/".join(path), node.get("url") or self._folder_url(path), cls, parent)
            children = node.get("jobs")
            if cls in FOLDER_CLASSES or cls in MULTIBRANCH_CLASSES or isinstance(children, list):
                if cls in MULTIBRANCH_CLASSES:
                    out.append(job)  # its config.xml holds the branch sources and the folder scan
                holder = job if cls in MULTIBRANCH_CLASSES else parent
                kids = children if isinstance(children, list) else []
                if kids and all(isinstance(k, dict) and "name" not in k for k in kids):
                    self._walk(path, holder, out)  # deeper than one tree query reaches
                else:
                    self._flatten(kids, path, holder, out)
                continue
            out.append(job)

    # ------------------------------------------------------------------------------------ per job

    def _read_job(self, job: _Job) -> None:
        import requests

        try:
            if not job.is_branch_job:
                text = self._open(requests.Request("GET", job.url.rstrip("/") + "/config.xml"))
                try:
                    job.config = parse_config(text)
                except ConfigXmlError as exc:
                    job.warnings.append(Warning_(code="broken-xml", message=f"{job.full_name}: config.xml is not readable XML: {exc}",
                                                locator=job.url.rstrip("/") + "/config.xml"))
            if job.cls not in MULTIBRANCH_CLASSES:
                self._read_builds(job)
        except CollectorError as exc:
            job.error = str(exc)

    def _read_builds(self, job: _Job) -> None:
        builds: list[dict[str, Any]] = []
        start = 0
        cutoff = self.window_start.timestamp() * 1000
        for _ in range(MAX_BUILD_PAGES):
            url = f"{job.url.rstrip('/')}/api/json?tree=builds[{BUILD_TREE}]{{{start},{start + BUILDS_PAGE}}}"
            page = self._get_json(url).get("builds") or []
            builds.extend(b for b in page if isinstance(b, dict))
            if len(page) < BUILDS_PAGE or (page and (page[-1].get("timestamp") or 0) < cutoff):
                break
            start += BUILDS_PAGE
        else:
            job.builds_complete = False
        job.builds = [b for b in builds if (b.get("timestamp") or 0) >= cutoff]

    # ------------------------------------------------------------------------------------ collect

    def collect_groups(self) -> tuple[list[JenkinsGroup], list[tuple[str, str]]]:
        """Every repository group, and (job, error) for the jobs that could not be read."""
        jobs = self.discover()
        total = len(jobs)
        done = 0
        with ThreadPoolExecutor(max_workers=self.settings.concurrency, thread_name_prefix="jenkins") as pool:
            futures = {pool.submit(self._read_job, job): job for job in jobs}
            for future in as_completed(futures):
                future.result()
                done += 1
                if self.progress:
                    self.progress(futures[future].full_name, done, total)
        failures = [(j.full_name, j.error) for j in jobs if j.error]
        groups: dict[tuple[str, str] | None, list[_Job]] = {}
        remotes: dict[tuple[str, str] | None, str | None] = {}
        for job in jobs:
            if job.error or job.cls in MULTIBRANCH_CLASSES:
                continue
            url = self._remote_of(job)
            key = repo_key(url)
            if key is not None:
                key = (dict(self.settings.host_aliases).get(key[0], key[0]), key[1])
            groups.setdefault(key, []).append(job)
            remotes.setdefault(key, url)
        out = [self._group(key, remotes.get(key), members) for key, members in groups.items()]
        out.sort(key=lambda g: (g.key is None, g.key or ("", "")))
        return out, failures

    def _remote_of(self, job: _Job) -> str | None:
        for source in (job.config, job.parent.config if job.parent else None):
            if source is not None and source.scm_urls:
                return source.scm_urls[0]
        for build in job.builds or []:
            for action in build.get("actions") or []:
                if isinstance(action, dict) and action.get("remoteUrls"):
                    return action["remoteUrls"][0]
        return None

    def _group(self, key: tuple[str, str] | None, remote: str | None, jobs: list[_Job]) -> JenkinsGroup:
        evidence: list[Evidence] = []
        warnings: list[Warning_] = []
        runs: list[RunRecord] = []
        deployments: list[DeploymentRecord] = []
        deploy_jobs = 0
        seen_multibranch: set[str] = set()
        default_branch_jobs = {j.full_name for j in jobs if self._builds_default_branch(j)}
        evidence.append(self._emit("ci.systems", ["jenkins"], jobs[0].url, f"Jenkins job(s) build this repository: {', '.join(j.full_name for j in jobs[:5])}"))
        for job in jobs:
            warnings.extend(job.warnings)
            cfg = job.config
            if job.parent is not None and job.parent.cls in MULTIBRANCH_CLASSES and job.parent.full_name not in seen_multibranch:
                seen_multibranch.add(job.parent.full_name)
                evidence.extend(self._config_evidence(job.parent, job.parent.config))
                warnings.extend(job.parent.warnings)
            if cfg is not None:
                evidence.extend(self._config_evidence(job, cfg))
            evidence.extend(self._cause_evidence(job))
            deploy = self._deploy_match(job)
            if deploy is not None:
                deploy_jobs += 1
                evidence.extend(self._deploy_job_evidence(job, deploy))
                deployments.extend(self._deployments(job))
            elif job.full_name in default_branch_jobs:
                runs.extend(self._runs(job))
        html = jobs[0].url if len(jobs) == 1 else self.settings.url
        history = RepoHistory(repo=key[1] if key else "jenkins", html_url=html, default_branch=None, window_start=self.window_start,
                              window_end=self.now, runs=runs, runs_url=html,
                              runs_complete=all(j.builds_complete for j in jobs), deployments=deployments if deploy_jobs else None,
                              deployments_url=html)
        parts = ("runs", "deployments") if deploy_jobs else ("runs",)
        if not runs and not default_branch_jobs:
            parts = tuple(p for p in parts if p != "runs")
            warnings.append(Warning_(code="history-unavailable", message="no Jenkins job of this repository builds its default branch "
                                     f"({', '.join(self.settings.default_branches)}): ci.default_branch.* stay unknown", locator=html))
        more, more_warnings = history_evidence(history, self.settings.production_patterns, Source.JENKINS, parts=parts)
        evidence.extend(more)
        warnings.extend(more_warnings)
        return JenkinsGroup(key, remote, sorted(j.full_name for j in jobs), evidence, warnings)

    # ------------------------------------------------------------------------------------ evidence

    def _emit(self, key: str, value: Any, locator: str, observed: str) -> Evidence:
        return Evidence(key=key, value=value, source=Source.JENKINS, locator=locator, observed=observed)

    def _config_evidence(self, job: _Job, cfg: JobConfig | None) -> list[Evidence]:
        if cfg is None:
            return []
        where = job.url.rstrip("/") + "/config.xml"
        out = [self._emit("ci.triggers", [t.kind], f"{where}#L{t.line}", f"job {job.full_name}: {t.detail}") for t in cfg.triggers]
        for note in cfg.notes:
            out.append(self._emit("ci.triggers", ["push"], where, f"job {job.full_name}: {note}"))
        if cfg.inline_script is not None:
            out.extend(self._inline_pipeline(job, cfg.inline_script, where))
        return out

    def _inline_pipeline(self, job: _Job, script: str, where: str) -> list[Evidence]:
        from collectors.pipelines.jenkinsfile import JenkinsfileParser

        ctx = DetectionContext(files=MemoryRepoFiles({}), source=Source.JENKINS)
        try:
            pipelines = JenkinsfileParser().parse("Jenkinsfile", script, ctx)
        except Exception as exc:  # noqa: BLE001 - a script the parser cannot read is a warning
            job.warnings.append(Warning_(code="broken-pipeline", message=f"{job.full_name}: inline pipeline script not parsed: {exc}",
                                        locator=where))
            return []
        out = []
        for p in pipelines:
            for trigger in sorted(p.triggers):
                line = p.trigger_lines.get(trigger)
                out.append(self._emit("ci.triggers", [trigger], f"{where}" + (f" (script line {line})" if line else ""),
                                      f"job {job.full_name}: inline pipeline script triggers on {trigger}"))
        return out

    def _cause_evidence(self, job: _Job) -> list[Evidence]:
        newest: dict[str, dict[str, Any]] = {}
        for build in job.builds or []:
            for kind in _build_triggers(build):
                newest.setdefault(kind, build)
        return [self._emit("ci.triggers", [kind], b.get("url") or job.url,
                           f"job {job.full_name}: build #{b.get('number')} was started by {_cause_words(b, kind)}")
                for kind, b in sorted(newest.items())]

    def _deploy_match(self, job: _Job) -> str | None:
        for pattern in self.settings.deploy_job_patterns:
            if re.search(pattern, job.name, re.IGNORECASE):
                return f"job name {job.name!r} matched deploy pattern {pattern!r}"
        params = job.config.parameters if job.config else []
        for pattern in self.settings.deploy_parameter_patterns:
            for name in params:
                if re.search(pattern, name, re.IGNORECASE):
                    return f"parameter {name!r} matched deploy parameter pattern {pattern!r}"
        return None

    def _deploy_job_evidence(self, job: _Job, why: str) -> list[Evidence]:
        out = [self._emit("deploy.scripts", True, job.url, f"deploy job {job.full_name}: {why}")]
        builds = job.builds or []
        environments = sorted({self._environment_of(job, b) for b in builds})
        if environments:
            out.append(self._emit("deploy.environments", environments, job.url,
                                  f"deploy job {job.full_name} deployed to {', '.join(environments)} in the window"))
        params = bool(job.config and job.config.parameters)
        by_user = [b for b in builds if "manual" in _build_triggers(b)]
        automatic = [b for b in builds if set(_build_triggers(b)) & {"push", "poll", "schedule", "upstream"}]
        if params and by_user:
            out.append(self._emit("deploy.on_demand", True, by_user[0].get("url") or job.url,
                                  f"deploy job {job.full_name} takes parameters ({', '.join(job.config.parameters)}) and "
                                  f"{len(by_user)} of its builds in the window were started by a person"))
        if automatic:
            out.append(self._emit("deploy.automated", True, automatic[0].get("url") or job.url,
                                  f"deploy job {job.full_name}: {len(automatic)} builds in the window started without a person"))
        return out

    def _environment_of(self, job: _Job, build: dict[str, Any]) -> str:
        for action in build.get("actions") or []:
            for p in (action.get("parameters") or []) if isinstance(action, dict) else []:
                if not isinstance(p, dict):
                    continue
                if any(re.search(pat, str(p.get("name") or ""), re.IGNORECASE) for pat in self.settings.deploy_parameter_patterns):
                    return str(p.get("value") or job.name)
        return job.name

    def _deployments(self, job: _Job) -> list[DeploymentRecord]:
        out = []
        for b in job.builds or []:
            if b.get("building") or not b.get("timestamp"):
                continue
            started = datetime.fromtimestamp(b["timestamp"] / 1000, tz=timezone.utc)
            ended = started + timedelta(milliseconds=b.get("duration") or 0)
            sha, _branch = _revision(b)
            user = next((c.get("userId") for c in _causes(b) if c.get("userId")), None)
            out.append(DeploymentRecord(id=_build_id(job, b), environment=self._environment_of(job, b), sha=sha or "",
                                        created_at=started, state=DEPLOY_RESULTS.get(b.get("result") or "", None), state_at=ended,
                                        commit_at=None, creator=user, description=job.full_name, payload=None,
                                        url=b.get("url") or job.url))
        return out

    def _builds_default_branch(self, job: _Job) -> bool:
        defaults = self.settings.default_branches
        if job.is_branch_job:
            return job.name in defaults
        for b in job.builds or []:
            _sha, branch = _revision(b)
            if branch and branch.rsplit("/", 1)[-1] in defaults:
                return True
        if job.config and job.config.branches:
            return any(spec.rsplit("/", 1)[-1] in defaults for spec in job.config.branches)
        return False

    def _runs(self, job: _Job) -> list[RunRecord]:
        out = []
        defaults = self.settings.default_branches
        for b in job.builds or []:
            if not b.get("timestamp"):
                continue
            _sha, branch = _revision(b)
            if branch and not job.is_branch_job and branch.rsplit("/", 1)[-1] not in defaults:
                continue
            started = datetime.fromtimestamp(b["timestamp"] / 1000, tz=timezone.utc)
            ended = started + timedelta(milliseconds=b.get("duration") or 0)
            kinds = _build_triggers(b)
            event = {"manual": "workflow_dispatch", "schedule": "schedule", "upstream": "workflow_run", "api": "repository_dispatch",
                     "pull_request": "pull_request"}.get(kinds[0] if kinds else "push", "push")
            out.append(RunRecord(_build_id(job, b), _job_id(job), job.full_name, job.full_name, event,
                                 "in_progress" if b.get("building") else "completed",
                                 None if b.get("building") else RESULTS.get(b.get("result") or ""), branch, _sha or "", started, ended,
                                 b.get("url") or job.url))
        return out


# ---------------------------------------------------------------------------------------------- helpers


def group_collection(group: JenkinsGroup, server_url: str) -> Collection:
    """A group no other target claimed, as its own report."""
    name = "/".join(group.key) if group.key else f"jenkins:{server_url}"
    target = Target(kind="jenkins", name=name, url=group.scm_url or server_url)
    warnings = [*group.warnings, Warning_(code="jenkins-only", message=f"only Jenkins was read for this repository (jobs: "
                                          f"{', '.join(group.jobs[:5])}{' …' if len(group.jobs) > 5 else ''}): file signals stay unknown",
                                          locator=server_url)]
    return Collection(target=target, evidence=group.evidence, warnings=warnings)


def _causes(build: dict[str, Any]) -> list[dict[str, Any]]:
    out = []
    for action in build.get("actions") or []:
        if isinstance(action, dict):
            out.extend(c for c in action.get("causes") or [] if isinstance(c, dict))
    return out


def _build_triggers(build: dict[str, Any]) -> list[str]:
    kinds = []
    for c in _causes(build):
        cls = str(c.get("_class") or "")
        short = cls.rsplit(".", 1)[-1]
        kind = CAUSES.get(short) or CAUSES.get(short.split("$")[-1])
        if kind and kind not in kinds:
            kinds.append(kind)
    return kinds


def _cause_words(build: dict[str, Any], kind: str) -> str:
    for c in _causes(build):
        if c.get("shortDescription"):
            return f"'{c['shortDescription']}' ({kind})"
    return kind


def _revision(build: dict[str, Any]) -> tuple[str | None, str | None]:
    for action in build.get("actions") or []:
        if isinstance(action, dict) and isinstance(action.get("lastBuiltRevision"), dict):
            rev = action["lastBuiltRevision"]
            branches = [b.get("name") for b in rev.get("branch") or [] if isinstance(b, dict) and b.get("name")]
            return rev.get("SHA1"), branches[0] if branches else None
    return None, None


def _job_id(job: _Job) -> int:
    return zlib.crc32(job.full_name.encode())


def _build_id(job: _Job, build: dict[str, Any]) -> int:
    return _job_id(job) * 100_000 + int(build.get("number") or 0)


def _jenkins_error(exc: Exception, settings: JenkinsSettings) -> str:
    text = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    if "401" in text or "Unauthorized" in text:
        text = "401 Unauthorized (check JENKINS_USER / JENKINS_TOKEN)"
    elif "403" in text or "Forbidden" in text:
        text = "403 Forbidden (the user may not read this)"
    return _safe(text, settings)


def _safe(text: str, settings: JenkinsSettings) -> str:
    text = " ".join(str(text).split())
    for secret in (settings.token,):
        if secret:
            text = text.replace(secret, "***")
    return text[:300]


__all__ = ["JenkinsCollector", "JenkinsGroup", "JenkinsSettings", "group_collection", "parse_target", "repo_key"]
