"""The CI parser interface: one implementation module per CI system."""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import TYPE_CHECKING, ClassVar

from collectors.pipelines.model import Pipeline

if TYPE_CHECKING:
    from collectors.detectors.interface import DetectionContext


class PipelineParser(ABC):
    system: ClassVar[str]
    """The `ci.systems` id this parser recognises."""

    @abstractmethod
    def candidates(self, ctx: DetectionContext) -> list[str]:
        """Paths (from `ctx.files.paths`, so example/fixture/docs folders are already left out)
        that hold this system's pipeline definitions. Dead files such as `Jenkinsfile.old` are not candidates."""

    @abstractmethod
    def parse(self, path: str, text: str, ctx: DetectionContext) -> list[Pipeline]:
        """Parse one file. May raise `yaml.YAMLError` / `ValueError` for a broken file: the registry
        turns that into a warning and the scan goes on. Other repository files are read through
        `ctx.files` (local includes, reusable workflows)."""
