"""The scan pipeline: collect -> evidence -> signals -> verdicts -> levels -> one report."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import scanner
from collectors.interface import Collection
from collectors.local import LocalCollector, LocalSettings
from collectors.usage import Usage
from scanner.attestations import Attestation, attestation_evidence, parse_attestations
from scanner.config import Settings, TargetEntry
from scanner.errors import CollectorError, ConfigError, UsageError
from scanner.evidence import Evidence, utcnow
from scanner.levels import infer_levels
from scanner.model import Model, load_model
from scanner.report import ModelInfo, ScanReport, ToolInfo
from scanner.signals import fold
from scanner.verdicts import judge


@dataclass
class ScanOptions:
    settings: Settings = field(default_factory=Settings)
    """The loaded configuration."""
    config_path: Path | None = None
    """Where the configuration came from, for locators of its attestations."""
    config_text: str | None = None
    """The configuration file's text, read once, for the line numbers of its attestations."""
    rules: list[Path] = field(default_factory=list)
    """Extra rule files / folders from the command line."""


def prepare_model(options: ScanOptions) -> tuple[Model, dict[str, float]]:
    extra = [Path(p) for p in options.settings.scanner.rules] + list(options.rules)
    model_ref = options.settings.scanner.model
    if Path(model_ref).is_dir():
        model = load_model(extra_rules=[Path(model_ref), *extra])
    else:
        model = load_model(model_ref, extra)
    thresholds = model.threshold_defaults
    unknown = sorted(set(options.settings.thresholds) - set(thresholds))
    if unknown:
        raise ConfigError(f"{options.config_path or 'config'}: thresholds: unknown threshold(s) {', '.join(unknown)} (known: {', '.join(sorted(thresholds))})")
    thresholds.update({k: float(v) for k, v in options.settings.thresholds.items()})
    return model, thresholds


def config_attestations(options: ScanOptions) -> list[tuple[Attestation, str]]:
    origin = str(options.config_path or "config")
    found, problems = parse_attestations(options.settings.attestations or None, origin, options.config_text)
    if problems:
        raise ConfigError(problems[0])
    return found


def build_report(model: Model, collection: Collection, thresholds: dict[str, float], extra_attestations: list[tuple[Attestation, str]], today: date | None = None) -> ScanReport:
    """Fold a collection into signals, judge every practice and infer levels."""
    warnings = list(collection.warnings)
    attested, att_warnings = attestation_evidence(
        [*extra_attestations, *collection.attestations], {p.id for p in model.practices}, today or date.today()
    )
    warnings.extend(att_warnings)
    ordered = sorted(collection.evidence, key=lambda e: (e.key, e.locator, e.observed))
    evidence: list[Evidence] = [e.model_copy(update={"id": f"e{i}"}) for i, e in enumerate(ordered, 1)]
    start = len(evidence) + 1
    attestations: dict[str, Evidence] = {}
    for offset, (practice, e) in enumerate(sorted(attested.items())):
        attestations[practice] = e.model_copy(update={"id": f"e{start + offset}"})
    evidence.extend(attestations.values())
    signals = fold(evidence)
    verdicts = judge(model, signals, evidence, thresholds, attestations, warnings)
    areas, overall = infer_levels(model, verdicts)
    return ScanReport(
        tool=ToolInfo(name="maturity-scanner", version=scanner.__version__),
        model=ModelInfo(id=model.id, version=model.definition.version, name=model.definition.name),
        scanned_at=utcnow(),
        target=collection.target,
        evidence=evidence,
        signals=signals,
        practices=verdicts,
        areas=areas,
        overall=overall,
        thresholds=thresholds,
        warnings=warnings,
    )


def scan_path(path: str, options: ScanOptions, prepared: tuple[Model, dict[str, float]] | None = None) -> ScanReport:
    """Scan a local checkout. `prepared` is the result of `prepare_model` when the caller has it already."""
    if not path:
        raise UsageError("no path given")
    model, thresholds = prepared or prepare_model(options)
    attestations = config_attestations(options)
    collector = LocalCollector(LocalSettings(production_patterns=tuple(options.settings.scanner.production_patterns)))
    collection = collector.collect(path)
    return build_report(model, collection, thresholds, attestations)


# ---------------------------------------------------------------------------------------------- remote and many targets


def default_cache_dir() -> Path:
    import os

    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "maturity-scanner"


def github_settings(options: ScanOptions, entry: TargetEntry | None = None, url: str | None = None, cache: bool = True):
    """The GitHub collector's settings from the config's [github] section, a target entry and CLI overrides."""
    from collectors.github.client import ClientSettings
    from collectors.github.collector import GitHubSettings, token_from_env

    gh = options.settings.github
    key_text = None
    if gh.private_key_path:
        try:
            key_text = Path(gh.private_key_path).expanduser().read_text(encoding="utf-8")
        except OSError as exc:
            raise ConfigError(f"github.private_key_path: cannot read {gh.private_key_path}: {exc.strerror}") from None
    api_url = (url or (entry.url if entry and entry.url else None) or gh.url).rstrip("/")
    if not api_url.startswith(("http://", "https://")):
        raise UsageError(f"--github-url: not an http(s) URL: {api_url!r}")
    cache_dir = Path(gh.cache_dir).expanduser() if gh.cache_dir else default_cache_dir()
    return GitHubSettings(
        client=ClientSettings(api_url=api_url, concurrency=gh.concurrency, timeout_s=gh.timeout_s, retries=gh.retries, max_wait_s=gh.max_wait_s),
        token=gh.token.get_secret_value() if gh.token else token_from_env(),
        app_id=gh.app_id, app_private_key=key_text, installation_id=gh.installation_id,
        window_days=options.settings.scanner.window_days,
        production_patterns=tuple(options.settings.scanner.production_patterns),
        include_archived=entry.include_archived if entry and entry.include_archived is not None else gh.include_archived,
        include_forks=entry.include_forks if entry and entry.include_forks is not None else gh.include_forks,
        include=tuple(entry.include) if entry else (), exclude=tuple(entry.exclude) if entry else (),
        cache_dir=cache_dir if (cache and gh.cache) else None,
    )


def gitlab_settings(options: ScanOptions, entry: TargetEntry | None = None, url: str | None = None, cache: bool = True):
    """The GitLab collector's settings from the config's [gitlab] section, a target entry and CLI overrides."""
    from collectors.gitlab.collector import GitLabSettings, token_from_env

    gl = options.settings.gitlab
    base = (url or (entry.url if entry and entry.url else None) or gl.url).rstrip("/")
    if not base.startswith(("http://", "https://")):
        raise UsageError(f"--gitlab-url: not an http(s) URL: {base!r}")
    cache_dir = Path(gl.cache_dir).expanduser() if gl.cache_dir else default_cache_dir()
    return GitLabSettings(
        url=base, token=gl.token.get_secret_value() if gl.token else token_from_env(), concurrency=gl.concurrency,
        timeout_s=gl.timeout_s, retries=gl.retries, max_wait_s=gl.max_wait_s, window_days=options.settings.scanner.window_days,
        production_patterns=tuple(options.settings.scanner.production_patterns),
        include_archived=entry.include_archived if entry and entry.include_archived is not None else gl.include_archived,
        include_forks=entry.include_forks if entry and entry.include_forks is not None else gl.include_forks,
        include=tuple(entry.include) if entry else (), exclude=tuple(entry.exclude) if entry else (),
        cache_dir=cache_dir if (cache and gl.cache) else None, history_max_age_s=gl.history_max_age_s,
    )


def jenkins_settings(options: ScanOptions, entry: TargetEntry):
    """The Jenkins collector's settings from the config's [jenkins] section and a target entry."""
    import os

    from collectors.jenkins.collector import JenkinsSettings, parse_target

    jk = options.settings.jenkins
    url = entry.url or entry.name or jk.url
    if not url:
        raise ConfigError("targets: a jenkins target needs 'url' (or [jenkins] url)")
    base, folder = parse_target(url if url.startswith("jenkins:") else f"jenkins:{url}")
    return JenkinsSettings(
        url=base, folder=folder, user=jk.user or os.environ.get("JENKINS_USER") or None,
        token=jk.token.get_secret_value() if jk.token else (os.environ.get("JENKINS_TOKEN") or None),
        timeout_s=jk.timeout_s, retries=jk.retries, concurrency=jk.concurrency, window_days=options.settings.scanner.window_days,
        production_patterns=tuple(options.settings.scanner.production_patterns), deploy_job_patterns=tuple(jk.deploy_job_patterns),
        deploy_parameter_patterns=tuple(jk.deploy_parameter_patterns), default_branches=tuple(jk.default_branches),
        host_aliases=tuple((k.lower(), v.lower()) for k, v in jk.host_aliases.items()),
    )


def target_entry(spec: str) -> TargetEntry:
    """A command-line target as a config entry: `github:OWNER[/REPO]` or a local path."""
    if spec.startswith("github:"):
        from collectors.github.collector import parse_target

        owner, repo = parse_target(spec)
        return TargetEntry(kind="github", name=f"{owner}/{repo}" if repo else owner)
    if spec.startswith("gitlab:"):
        from collectors.gitlab.collector import parse_target as parse_gitlab

        return TargetEntry(kind="gitlab", name=parse_gitlab(spec))
    if spec.startswith("jenkins:"):
        from collectors.jenkins.collector import parse_target as parse_jenkins

        parse_jenkins(spec)
        return TargetEntry(kind="jenkins", url=spec.removeprefix("jenkins:"))
    return TargetEntry(kind="local", path=spec)


def is_single_repository(entry: TargetEntry) -> bool:
    """Known to name one repository before any API call (a GitLab path may be a project or a group)."""
    return entry.kind == "local" or (entry.kind == "github" and "/" in (entry.name or ""))


@dataclass
class RemoteOptions:
    github_url: str | None = None
    """--github-url: overrides the config's [github] url and the targets' url."""
    gitlab_url: str | None = None
    """--gitlab-url: overrides the config's [gitlab] url and the targets' url."""
    cache: bool = True
    """False: neither read nor write the rescan cache."""
    progress: object | None = None
    """Called as progress(name, done, total) after each repository."""
    reuse: Any = None
    """Called as reuse(provider, name, cursor) before a local checkout is read; what it returns (a stored
    result) stands for the repository, which is then not read again. None: always read."""


@dataclass(frozen=True)
class Reused:
    """A repository that had not moved since a stored scan: its stored result stands."""

    name: str
    """The repository's name."""
    stored: Any
    """What `RemoteOptions.reuse` returned (a `scanner.store.StoredResult`)."""
    cursor: str
    """The cursor both scans saw."""


def _remote_collector(entry: TargetEntry, options: ScanOptions, remote: RemoteOptions):
    if entry.kind == "github":
        from collectors.github.collector import GitHubCollector

        return GitHubCollector(github_settings(options, entry, remote.github_url, remote.cache), progress=remote.progress)
    from collectors.gitlab.collector import GitLabCollector

    return GitLabCollector(gitlab_settings(options, entry, remote.gitlab_url, remote.cache), progress=remote.progress)


def collect_entries(entries: list[TargetEntry], options: ScanOptions, remote: RemoteOptions, usage: dict):
    """Every repository of every target, one `Collection` or `CollectionFailure` at a time.

    `usage` receives the API usage per provider (a `collectors.usage.Usage` under `github` / `gitlab`),
    the repositories reused from the cache (`<provider>_reused`) and the targets that named one GitLab
    project (`gitlab_projects`).
    """

    from collectors.jenkins.collector import group_collection

    jenkins_groups = yield from _jenkins_groups([e for e in entries if e.kind == "jenkins"], options, remote, usage)
    aliases = {k.lower(): v.lower() for k, v in options.settings.jenkins.host_aliases.items()}
    for result in _collect_others([e for e in entries if e.kind != "jenkins"], options, remote, usage):
        if isinstance(result, Collection) and jenkins_groups:
            result = _link_jenkins(result, jenkins_groups, aliases)
        yield result
    for server, group in jenkins_groups.values():
        yield group_collection(group, server)


def _jenkins_groups(entries: list[TargetEntry], options: ScanOptions, remote: RemoteOptions, usage: dict):
    """Read every Jenkins target first, so its jobs can join the repositories the other targets scan.
    Yields the failures; returns {repo key or (server, None): (server URL, group)}."""
    from collectors.interface import CollectionFailure
    from collectors.jenkins.collector import JenkinsCollector

    groups: dict = {}
    for entry in entries:
        settings = jenkins_settings(options, entry)
        collector = JenkinsCollector(settings, progress=remote.progress)
        name = f"jenkins:{entry.url or entry.name}"
        try:
            found, failures = collector.collect_groups()
        except CollectorError as exc:
            yield CollectionFailure(name, str(exc))
            continue
        finally:
            usage.setdefault("jenkins", Usage()).add(collector.usage)
        for job, error in failures:
            yield CollectionFailure(f"{name} job {job}", error)
        for group in found:
            key = group.key or (settings.url, None)
            if key in groups:  # two servers build the same repository: keep both
                _server, prev = groups[key]
                prev.evidence.extend(group.evidence)
                prev.warnings.extend(group.warnings)
                prev.jobs.extend(group.jobs)
            else:
                groups[key] = (settings.url, group)
    return groups


def _link_jenkins(collection: Collection, groups: dict, aliases: dict[str, str]) -> Collection:
    """Merge the Jenkins jobs that build this repository into its collection (and take them off the list).
    `aliases` names one server by one host, on both sides."""
    from collectors.jenkins.collector import repo_key

    key = repo_key(collection.target.url)
    if key is not None:
        key = (aliases.get(key[0], key[0]), key[1])
    if key is None or key not in groups:
        return collection
    _server, group = groups.pop(key)
    return Collection(target=collection.target, evidence=[*collection.evidence, *group.evidence],
                      warnings=[*collection.warnings, *group.warnings], attestations=collection.attestations)


def _collect_others(entries: list[TargetEntry], options: ScanOptions, remote: RemoteOptions, usage: dict):
    from collectors.interface import CollectionFailure

    for entry in entries:
        if entry.kind == "local":
            root = Path(entry.path or ".").expanduser()
            if remote.reuse is not None and root.is_dir():
                from collectors.local import checkout_name, clean_head

                head = clean_head(root)
                name = checkout_name(root)
                stored = remote.reuse("local", name, head) if head else None
                if stored is not None:
                    yield Reused(name, stored, head)
                    continue
            collector = LocalCollector(LocalSettings(production_patterns=tuple(options.settings.scanner.production_patterns)))
            try:
                yield collector.collect(entry.path or ".")
            except UsageError as exc:
                yield CollectionFailure(entry.path or ".", str(exc))
        elif entry.kind in ("github", "gitlab"):
            collector = _remote_collector(entry, options, remote)
            name = f"{entry.kind}:{entry.name}"
            try:
                yield from collector.collect_all([name])
            except CollectorError as exc:
                yield CollectionFailure(name, str(exc).removeprefix(f"{name}: "))
            finally:
                usage.setdefault(entry.kind, Usage()).add(collector.usage)
                usage[f"{entry.kind}_reused"] = usage.get(f"{entry.kind}_reused", 0) + collector.reused
                usage.setdefault(f"{entry.kind}_projects", set()).update(getattr(collector, "project_targets", ()))
        else:
            raise UsageError(f"targets: {entry.kind} targets are not supported yet")
