"""Runs every CI parser over a repository's files."""

from __future__ import annotations

from typing import TYPE_CHECKING

import yaml

from collectors.pipelines import github_actions, gitlab_ci, jenkinsfile, other_ci, teamcity
from collectors.pipelines.interface import PipelineParser
from collectors.pipelines.model import Pipeline
from scanner.yamlfile import yaml_error_line, yaml_error_reason

if TYPE_CHECKING:
    from collectors.detectors.interface import DetectionContext

PARSERS: tuple[PipelineParser, ...] = (*github_actions.PARSERS, *gitlab_ci.PARSERS, *jenkinsfile.PARSERS, *other_ci.PARSERS, *teamcity.PARSERS)


def parse_all(ctx: DetectionContext) -> list[Pipeline]:
    pipelines: list[Pipeline] = []
    for parser in PARSERS:
        for path in parser.candidates(ctx):
            text = ctx.files.read_text(path)
            if text is None:
                ctx.warn("unreadable-file", f"{parser.system} definition {path} is binary, too large or unreadable", path)
                continue
            try:
                pipelines.extend(parser.parse(path, text, ctx))
            except yaml.YAMLError as exc:
                line = yaml_error_line(exc)
                ctx.warn("broken-yaml", f"{path}: {yaml_error_reason(exc)}; pipeline ignored", f"{path}:{line}" if line else path)
            except (ValueError, TypeError, KeyError, AttributeError, IndexError, RecursionError) as exc:
                ctx.warn("broken-pipeline", f"{path}: cannot be parsed as a {parser.system} pipeline ({type(exc).__name__}: {exc}); pipeline ignored", path)
    return pipelines
