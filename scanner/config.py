"""Configuration: a TOML file read through pydantic-settings; environment variables override it.

Environment variables use the prefix `MATURITY_` and `__` between levels, e.g.
`MATURITY_SCANNER__WINDOW_DAYS=30` or `MATURITY_THRESHOLDS__BREAK_MEDIAN_HOURS=12`.
Secrets (tokens) are never read from the file's plain values into reports or logs.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict

from collectors.detectors.interface import DEFAULT_PRODUCTION_PATTERNS
from scanner.errors import ConfigError


def _valid_regexes(patterns: list[str]) -> list[str]:
    import re

    for p in patterns:
        try:
            re.compile(p)
        except re.error as exc:
            raise ValueError(f"bad regex {p!r}: {exc}") from None
    return patterns


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", use_attribute_docstrings=True)


class ScannerSection(_Section):
    database: str | None = None
    """SQLAlchemy URL of the history store (stored scans, the daemon); unset: maturity.db beside the config file."""
    window_days: int = Field(90, ge=1, le=3650)
    """History window, in days, for signals seen in API history."""
    model: str = "cd-maturity"
    """Built-in model id, or a path to a model directory."""
    rules: list[str] = []
    """Extra rule files or folders that add or override rules."""
    production_patterns: list[str] = list(DEFAULT_PRODUCTION_PATTERNS)
    """Regexes (case-insensitive) that mark an environment name as production."""

    @field_validator("production_patterns")
    @classmethod
    def _regexes(cls, v: list[str]) -> list[str]:
        return _valid_regexes(v)


class ScheduleSection(_Section):
    cron: str | None = None
    """Cron expression for the daemon's scans."""
    interval_seconds: int | None = Field(None, ge=1)
    """Or: seconds between scans."""


class HttpSection(_Section):
    bind: str = "127.0.0.1:8787"
    """Address of the daemon's HTTP server."""


class _ApiSection(_Section):
    token: SecretStr | None = None
    """A token; better left out of the file: the provider's environment variable (GITHUB_TOKEN, GITLAB_TOKEN)
    or MATURITY_<PROVIDER>__TOKEN is read when this is unset."""
    concurrency: int = Field(8, ge=1, le=64)
    """Requests (GitHub) or projects (GitLab) in flight at once."""
    timeout_s: float = Field(30.0, gt=0, le=600)
    """Timeout per request, in seconds."""
    retries: int = Field(3, ge=0, le=10)
    """Retries after a timeout, a dropped connection, a 5xx, a garbled answer or a 429."""
    max_wait_s: float = Field(900.0, ge=0)
    """Longest wait for a rate limit; beyond it the repositories left are reported as not scanned."""
    cache: bool = True
    """Keep what makes a rescan cheap (ETags, trees, files, history fingerprints, detector results)."""
    cache_dir: str | None = None
    """Where the cache lives (default: $XDG_CACHE_HOME/maturity-scanner or ~/.cache/maturity-scanner)."""
    include_archived: bool = False
    """Scan an owner's or a group's archived repositories too."""
    include_forks: bool = False
    """Scan forks too."""


class GitHubSection(_ApiSection):
    url: str = "https://api.github.com"
    """REST API base URL; GitHub Enterprise Server: `https://HOST/api/v3`."""
    app_id: str | None = None
    """GitHub App id, to authenticate as an App installation instead of with a token."""
    private_key_path: str | None = None
    """The App's private key file (PEM)."""
    installation_id: int | None = None
    """The App installation id."""


class GitLabSection(_ApiSection):
    url: str = "https://gitlab.com"
    """Instance URL; self-managed: `https://gitlab.example.com`."""
    history_max_age_s: float = Field(3600.0, ge=0)
    """How long a project's cached result is reused while its last_activity_at has not moved (0: never)."""


class JenkinsSection(_Section):
    url: str | None = None
    """Server URL, used by `[[targets]] kind = "jenkins"` entries that give none."""
    user: str | None = None
    """User name; JENKINS_USER (or MATURITY_JENKINS__USER) is read when this is unset."""
    token: SecretStr | None = None
    """API token; better left out of the file: JENKINS_TOKEN (or MATURITY_JENKINS__TOKEN) is read when this is unset."""
    concurrency: int = Field(8, ge=1, le=64)
    """Jobs read at once."""
    timeout_s: float = Field(30.0, gt=0, le=600)
    """Timeout per request, in seconds (python-jenkins sets none by default)."""
    retries: int = Field(3, ge=0, le=10)
    """Retries after a dropped connection or a 502/503/504."""
    deploy_job_patterns: list[str] = [r"deploy", r"release", r"(^|[-_. /])prod(uction)?([-_. /]|$)"]
    """Regexes (case-insensitive) on a job's name that make it a deploy job; the one that matched is kept as evidence."""
    deploy_parameter_patterns: list[str] = [r"^(deploy_?)?(env|environment|target(_?env)?|stage)$"]
    """Regexes on build parameter names that make a job a deploy job and name the environment of each build."""
    default_branches: list[str] = ["main", "master"]
    """Branch names taken as a repository's default branch when its builds are judged."""
    host_aliases: dict[str, str] = {}
    """Git host in Jenkins' remotes -> the host the other targets use (a mirror, a second name of one server)."""

    @field_validator("deploy_job_patterns", "deploy_parameter_patterns")
    @classmethod
    def _regexes(cls, v: list[str]) -> list[str]:
        return _valid_regexes(v)


class TargetEntry(_Section):
    kind: Literal["local", "github", "gitlab", "jenkins"]
    """Which collector scans it."""
    path: str | None = None
    """A local checkout (kind = local)."""
    name: str | None = None
    """`owner/repo`, an org, a group, or a Jenkins folder (other kinds)."""
    url: str | None = None
    """API base URL for self-hosted servers."""
    include: list[str] = []
    """Glob patterns of repository names to include."""
    exclude: list[str] = []
    """Glob patterns of repository names to exclude."""
    include_archived: bool | None = None
    """Scan archived repositories (default: the provider section's setting)."""
    include_forks: bool | None = None
    """Scan forks (default: the provider section's setting)."""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="MATURITY_", env_nested_delimiter="__", extra="forbid")

    scanner: ScannerSection = ScannerSection()
    schedule: ScheduleSection = ScheduleSection()
    http: HttpSection = HttpSection()
    github: GitHubSection = GitHubSection()
    gitlab: GitLabSection = GitLabSection()
    jenkins: JenkinsSection = JenkinsSection()
    thresholds: dict[str, float] = {}
    targets: list[TargetEntry] = []
    attestations: list[dict[str, Any]] = []

    @classmethod
    def settings_customise_sources(cls, settings_cls, init_settings, env_settings, dotenv_settings, file_secret_settings) -> tuple[PydanticBaseSettingsSource, ...]:
        # The environment overrides the file (the file arrives as init kwargs).
        return env_settings, init_settings


def read_config_file(path: Path) -> tuple[dict[str, Any], str]:
    """The parsed TOML of a config file and its text (kept for the line numbers of attestations)."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(f"{path}: no such config file") from None
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read: {exc.strerror}") from None
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: not UTF-8 text") from None
    try:
        return tomllib.loads(text), text
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML: {exc}") from None


def load_settings(path: Path | None, data: dict[str, Any] | None = None) -> Settings:
    """Validate a config (`data` as read by `read_config_file`; the file is read when not given), or
    only the environment when `path` is None."""
    if data is None:
        data = read_config_file(path)[0] if path is not None else {}
    try:
        return Settings(**data)
    except ValidationError as exc:
        raise ConfigError("; ".join(config_problems(exc, path))) from None


def config_problems(exc: ValidationError, path: Path | None) -> list[str]:
    where = str(path) if path else "environment"
    out = []
    for err in exc.errors():
        loc = ".".join(str(p) for p in err["loc"]) or "(top)"
        msg = "unknown key" if err["type"] == "extra_forbidden" else err["msg"].removeprefix("Value error, ")
        out.append(f"{where}: {loc}: {msg}")
    return out


def check_config(path: Path) -> list[str]:
    """Every problem in a config file, one line each (empty when it is fine)."""
    try:
        data, text = read_config_file(path)
    except ConfigError as exc:
        return [str(exc)]
    try:
        settings = Settings(**data)
    except ValidationError as exc:
        return config_problems(exc, path)
    problems: list[str] = []
    from scanner.attestations import parse_attestations

    _, att_problems = parse_attestations(settings.attestations or None, str(path), text)
    problems.extend(att_problems)
    for t in settings.targets:
        if t.kind == "local" and not t.path:
            problems.append(f"{path}: targets: a local target needs 'path'")
        if t.kind != "local" and not t.name and not t.url:
            problems.append(f"{path}: targets: a {t.kind} target needs 'name' or 'url'")
    gh = settings.github
    app = {"app_id": gh.app_id, "private_key_path": gh.private_key_path, "installation_id": gh.installation_id}
    if any(v is not None for v in app.values()) and not all(v is not None for v in app.values()):
        missing = ", ".join(k for k, v in app.items() if v is None)
        problems.append(f"{path}: github: GitHub App authentication needs app_id, private_key_path and installation_id (missing: {missing})")
    if gh.private_key_path and not Path(gh.private_key_path).expanduser().is_file():
        problems.append(f"{path}: github.private_key_path: no such file: {gh.private_key_path}")
    if not gh.url.startswith(("http://", "https://")):
        problems.append(f"{path}: github.url: not an http(s) URL: {gh.url!r}")
    if not settings.gitlab.url.startswith(("http://", "https://")):
        problems.append(f"{path}: gitlab.url: not an http(s) URL: {settings.gitlab.url!r}")
    if settings.schedule.cron and settings.schedule.interval_seconds:
        problems.append(f"{path}: schedule: give either 'cron' or 'interval_seconds', not both")
    return problems
