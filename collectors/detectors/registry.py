"""Every file detector, in the order they run."""

from __future__ import annotations

from collectors.detectors import files_build, files_deploy, files_quality, files_release_db, pipeline_signals
from collectors.detectors.interface import Detector

DETECTORS: tuple[Detector, ...] = (
    *pipeline_signals.DETECTORS,
    *files_build.DETECTORS,
    *files_deploy.DETECTORS,
    *files_release_db.DETECTORS,
    *files_quality.DETECTORS,
)


def provided_keys() -> frozenset[str]:
    return frozenset(k for d in DETECTORS for k in d.provides)
