"""Helpers shared by the file-detector tests."""

from __future__ import annotations

from types import ModuleType

from collectors.detectors.interface import DetectionContext
from collectors.repofiles import MemoryRepoFiles


def run_module(module: ModuleType, files: dict[str, str | bytes]) -> DetectionContext:
    """Run every detector of a detector module over an in-memory repository."""
    ctx = DetectionContext(files=MemoryRepoFiles(files))
    for detector in module.DETECTORS:
        detector.detect(ctx)
    return ctx


def tools(ctx: DetectionContext, key: str) -> dict[str, str]:
    """A list signal's evidence: tool -> locator of its first record (one tool per record)."""
    out: dict[str, str] = {}
    for e in ctx.evidence:
        if e.key == key:
            assert isinstance(e.value, list) and len(e.value) == 1, e
            out.setdefault(e.value[0], e.locator)
    return out
