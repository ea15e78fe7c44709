"""Placeholder: replaced by the real parser."""

from collectors.pipelines.interface import PipelineParser

PARSERS: list[PipelineParser] = []
