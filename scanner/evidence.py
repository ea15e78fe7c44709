"""Evidence: what a collector saw, where, and when. Verdicts cite evidence by `id`."""

from __future__ import annotations

from datetime import datetime, timezone
from enum import StrEnum
from typing import Union

from pydantic import BaseModel, ConfigDict, Field

SignalValue = Union[bool, int, float, str, list[str]]


class Source(StrEnum):
    """Where a piece of evidence came from."""

    LOCAL = "local"
    GITHUB = "github"
    GITLAB = "gitlab"
    JENKINS = "jenkins"
    ATTESTATION = "attestation"


def utcnow() -> datetime:
    return datetime.now(timezone.utc).replace(microsecond=0)


class Evidence(BaseModel):
    """One observation that sets (part of) a signal."""

    model_config = ConfigDict(frozen=True, use_attribute_docstrings=True, extra="forbid")

    id: str = ""
    """Stable reference within one report (`e1`, `e2`, ...); practices cite evidence by this id."""
    key: str
    """The signal key this observation contributes to, e.g. `ci.triggers`."""
    value: SignalValue
    """The value observed: a boolean, a number, a string or a list of vocabulary names."""
    source: Source
    """Which collector saw it."""
    locator: str
    """Where a person can check it: `path:line` inside the target, or a URL."""
    observed: str
    """What was seen, in words, e.g. `workflow triggers on push to main`."""
    observed_at: datetime = Field(default_factory=utcnow)
    """When it was observed (UTC)."""


class Warning_(BaseModel):
    """Something the scan could not read or chose to ignore; the scan went on."""

    model_config = ConfigDict(frozen=True, use_attribute_docstrings=True, extra="forbid", title="Warning")

    code: str
    """A short stable code, e.g. `broken-yaml`, `expired-attestation`, `inactive-job`."""
    message: str
    """One line for a person."""
    locator: str | None = None
    """`path[:line]` or URL the warning is about, when there is one."""
