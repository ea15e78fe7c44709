"""The local collector: a checkout (or any directory) on disk."""

from __future__ import annotations

import re
import subprocess
import tomllib
from dataclasses import dataclass
from pathlib import Path

from collectors.detectors.interface import DEFAULT_PRODUCTION_PATTERNS, DetectionContext, RepoIdentity
from collectors.interface import Collection, Collector, run_detectors
from collectors.repofiles import LocalRepoFiles
from scanner.attestations import parse_attestations
from scanner.errors import UsageError
from scanner.evidence import Source
from scanner.report import Target

_REMOTE = re.compile(r"^(?:[a-z+]+://)?(?:[^@/]+@)?(?P<host>[^:/]+)(?::\d+)?[:/](?P<path>.+?)(?:\.git)?/?$")


def parse_remote(url: str) -> tuple[str | None, str | None]:
    """`git@github.com:o/r.git` / `https://github.com/o/r` -> (`github.com`, `o/r`)."""
    m = _REMOTE.match(url.strip())
    if not m:
        return None, None
    return m.group("host").lower(), m.group("path").strip("/")


def _redact(url: str) -> str:
    """Drop credentials from a remote URL (`https://user:token@host/...`)."""
    return re.sub(r"^([a-z+]+://)[^@/]+@", r"\1", url)


def _git(root: Path, *args: str) -> str | None:
    try:
        proc = subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True, timeout=20, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return proc.stdout.strip() if proc.returncode == 0 and proc.stdout.strip() else None


def clean_head(root: Path) -> str | None:
    """HEAD of a git checkout with nothing changed or untracked (so its files are exactly that commit), else None."""
    head = _git(root, "rev-parse", "HEAD")
    if head is None:
        return None
    try:
        proc = subprocess.run(["git", "-C", str(root), "status", "--porcelain", "--untracked-files=normal"], capture_output=True, text=True,
                              timeout=20, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return head if proc.returncode == 0 and not proc.stdout.strip() else None


def checkout_name(root: Path) -> str:
    """The name a scan of this directory reports: `owner/repo` from its origin remote, else the folder's name."""
    remote = _git(root, "remote", "get-url", "origin") if (root / ".git").exists() else None
    _host, name = parse_remote(_redact(remote)) if remote else (None, None)
    return name or root.resolve().name


@dataclass(frozen=True)
class LocalSettings:
    production_patterns: tuple[str, ...] = DEFAULT_PRODUCTION_PATTERNS
    """Regexes that mark an environment name as production."""
    repository: str | None = None
    """`owner/repo` to assume when the checkout has no usable `origin` remote."""


class LocalCollector(Collector):
    source = Source.LOCAL

    def __init__(self, settings: LocalSettings | None = None) -> None:
        self.settings = settings or LocalSettings()

    def collect(self, target: str) -> Collection:
        root = Path(target).expanduser()
        if not root.exists():
            raise UsageError(f"no such directory: {target}")
        if not root.is_dir():
            raise UsageError(f"not a directory: {target}")
        root = root.resolve()
        files = LocalRepoFiles(root)
        files.all_paths()  # decide git vs walk now, so identity below knows
        url = commit = branch = None
        if files.git:
            remote = _git(root, "remote", "get-url", "origin")
            url = _redact(remote) if remote else None
            commit = _git(root, "rev-parse", "HEAD")
            head = _git(root, "symbolic-ref", "--short", "refs/remotes/origin/HEAD")
            branch = head.split("/", 1)[1] if head and "/" in head else None
        host, name = parse_remote(url) if url else (None, None)
        identity = RepoIdentity(name=name or self.settings.repository, default_branch=branch, host=host)
        ctx = DetectionContext(files=files, repo=identity, source=Source.LOCAL, production_patterns=self.settings.production_patterns)
        if files.git:
            ctx.emit("repo.version_control", ["git"], ".git", "the directory is a git checkout" + (f" of {url}" if url else ""))
        else:
            ctx.leave_undetermined("repo.version_control", "not a git checkout (an exported tree cannot show its version control)")
            ctx.warn("not-a-checkout", f"{root} is not a git checkout: files were walked, version control is unknown")
        run_detectors(ctx)
        attestations, problems = self._attestations(files.read_text(".maturity.toml") if files.exists(".maturity.toml") else None)
        for problem in problems:
            ctx.warn("bad-attestation-file", problem, ".maturity.toml")
        return Collection(
            target=Target(kind="local", name=name or root.name, path=str(root), url=url, commit=commit, default_branch=branch),
            evidence=ctx.evidence, warnings=ctx.warnings, attestations=attestations, cursor=clean_head(root) if files.git else None,
        )

    @staticmethod
    def _attestations(text: str | None):
        if text is None:
            return [], []
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            return [], [f".maturity.toml: invalid TOML: {exc}"]
        unknown = sorted(set(data) - {"attestations"})
        problems = [f".maturity.toml: unknown table or key {k!r} (only [[attestations]] is read)" for k in unknown]
        found, more = parse_attestations(data.get("attestations"), ".maturity.toml", text)
        return found, problems + more
