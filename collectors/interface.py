"""The collector interface: a source that turns a target into evidence.

`collect` handles one target. `collect_all` has a default that loops over `collect` and records
one failing target without stopping the others; collectors that can batch (GitHub GraphQL)
override it.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import ClassVar

from collectors.detectors.interface import DetectionContext
from collectors.detectors.registry import DETECTORS
from scanner.attestations import Attestation
from scanner.errors import CollectorError, MaturityError
from scanner.evidence import Evidence, Source, Warning_
from scanner.report import Target
from scanner.signals import CATALOG


@dataclass(frozen=True)
class Collection:
    """What a collector gathered about one repository."""

    target: Target
    """What was scanned."""
    evidence: list[Evidence]
    """Every observation, positive and "looked, found none"."""
    warnings: list[Warning_] = field(default_factory=list)
    """What could not be read; the scan went on."""
    attestations: list[tuple[Attestation, str]] = field(default_factory=list)
    """Attestations found in the repository (`.maturity.toml`), with their locators."""
    cursor: str | None = None
    """What must move for a rescan to see something new (the HEAD of a clean checkout); None when unknown."""
    reused: bool = False
    """True when the collector's own cache answered everything (nothing had changed)."""
    topics: list[str] | None = None
    """The hosting service's topics of the repository, when it has them (for `maturity org --group-by topic`)."""


@dataclass(frozen=True)
class CollectionFailure:
    """A target that could not be collected; an org scan records it and goes on."""

    target: str
    """The target as given."""
    error: str
    """One line saying why."""


class Collector(ABC):
    source: ClassVar[Source]
    """The evidence source this collector records."""

    @abstractmethod
    def collect(self, target: str) -> Collection:
        """Collect one target. Raises `MaturityError` subclasses for problems a user can fix."""

    def collect_all(self, targets: Iterable[str]) -> Iterator[Collection | CollectionFailure]:
        for target in targets:
            try:
                yield self.collect(target)
            except MaturityError as exc:
                yield CollectionFailure(target, str(exc))
            except Exception as exc:  # one odd repository must not sink an org scan
                yield CollectionFailure(target, f"unexpected {type(exc).__name__}: {exc}")


def run_detectors(ctx: DetectionContext) -> None:
    """Run every file detector, then fill "looked, found none" for the keys nothing set.

    A detector that fails on odd content costs a warning, not the scan.
    """
    provided: set[str] = set()
    for detector in DETECTORS:
        provided.update(detector.provides)
        try:
            detector.detect(ctx)
        except Exception as exc:  # noqa: BLE001 - a detector bug must not sink the scan
            ctx.warn("detector-error", f"detector {detector.name} failed: {type(exc).__name__}: {exc}")
            for key in detector.provides:
                ctx.leave_undetermined(key, f"detector {detector.name} failed")
    seen = {e.key for e in ctx.evidence}
    for key in sorted(provided - seen):
        if key in ctx.undetermined:
            ctx.warn("undetermined-signal", f"{key} left unknown: {ctx.undetermined[key]}")
            continue
        spec = CATALOG[key]
        ctx.emit(key, spec.default(), ".", f"looked in {len(ctx.files.paths)} files: none found")


__all__ = ["Collection", "CollectionFailure", "Collector", "CollectorError", "run_detectors"]
