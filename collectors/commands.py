"""Placeholder: replaced by the real command classifier (see the interface below)."""

from __future__ import annotations

from dataclasses import dataclass

from collectors.pipelines.model import Command
from collectors.repofiles import RepoFiles

CATEGORIES = frozenset({
    "test", "integration-test", "e2e-test", "performance-test", "lint", "coverage", "coverage-threshold",
    "security-scan", "deploy", "publish", "migrate", "migrate-rollback", "release", "release-notes",
    "notify", "test-report", "coverage-report", "orchestrate", "commit-traceable", "provision", "build",
})


@dataclass(frozen=True)
class Finding:
    category: str
    """One of `CATEGORIES`."""
    tool: str
    """Lower-case hyphenated tool name, e.g. `pytest`, `kubectl`, `release-please`."""
    detail: str
    """What matched, with the expansion chain, e.g. `make test -> Makefile:12 pytest --cov`."""


def classify(command: Command, files: RepoFiles) -> list[Finding]:
    raise NotImplementedError
