"""The detector interface and the context detectors run in."""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from functools import cached_property
from typing import ClassVar

from collectors.pipelines.model import Pipeline
from collectors.repofiles import RepoFiles
from scanner.evidence import Evidence, SignalValue, Source, Warning_

DEFAULT_PRODUCTION_PATTERNS = (r"^prod(uction)?([-_ ./].*)?$", r"^prd([-_].*)?$", r"^live$", r"(^|[-_/])prod(uction)?$")


@dataclass(frozen=True)
class RepoIdentity:
    """What is known about the repository being scanned, used to evaluate pipeline guards."""

    name: str | None = None
    """`owner/repo` as the hosting service knows it, when known (from the `origin` remote)."""
    default_branch: str | None = None
    """The default branch, when known."""
    host: str | None = None
    """Hosting service host, e.g. `github.com`."""


@dataclass
class DetectionContext:
    files: RepoFiles
    """The repository's files."""
    repo: RepoIdentity = field(default_factory=RepoIdentity)
    """Identity of the repository, for guards such as `if: github.repository == ...`."""
    source: Source = Source.LOCAL
    """Source recorded on every evidence record."""
    production_patterns: tuple[str, ...] = DEFAULT_PRODUCTION_PATTERNS
    """Regexes (case-insensitive) that mark an environment name as production."""
    evidence: list[Evidence] = field(default_factory=list)
    warnings: list[Warning_] = field(default_factory=list)
    undetermined: dict[str, str] = field(default_factory=dict)
    """Signal key -> why it could not be decided from files (its "found none" default is then not filled)."""

    def emit(self, key: str, value: SignalValue, locator: str, observed: str) -> None:
        """Record one observation. `locator` is `path:line` (or `path`)."""
        self.evidence.append(Evidence(key=key, value=value, source=self.source, locator=locator, observed=observed))

    def warn(self, code: str, message: str, locator: str | None = None) -> None:
        self.warnings.append(Warning_(code=code, message=message, locator=locator))

    def leave_undetermined(self, key: str, why: str) -> None:
        """Say that files cannot decide `key`: it stays absent (unknown) unless other evidence sets it."""
        self.undetermined.setdefault(key, why)

    def is_production(self, environment: str) -> str | None:
        """The pattern that marks `environment` as production, or None."""
        for pattern in self.production_patterns:
            if re.search(pattern, environment.strip(), re.IGNORECASE):
                return pattern
        return None

    @cached_property
    def pipelines(self) -> list[Pipeline]:
        """Every CI definition in the repository, parsed once and shared by all detectors."""
        from collectors.pipelines.registry import parse_all

        return parse_all(self)


class Detector(ABC):
    """Reads files (and pipelines) and emits evidence for the keys in `provides`."""

    name: ClassVar[str]
    """Short id, e.g. `iac`."""
    provides: ClassVar[frozenset[str]]
    """Signal keys this detector can set; every one must be in the signal catalog."""

    @abstractmethod
    def detect(self, ctx: DetectionContext) -> None:
        """Emit evidence into `ctx`. Must not raise on bad repository content: warn instead."""
