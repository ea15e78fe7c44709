"""The scan report: one pydantic model that every output format renders.

`SCHEMA_VERSION` follows semver: a minor bump adds optional fields, a major bump changes or
removes them. The committed JSON Schema (`schemas/scan-report.schema.json`) is generated from
`ScanReport` and a test keeps the two in step.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

from scanner.evidence import Evidence, Warning_

SCHEMA_VERSION = "1.0.0"


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, use_attribute_docstrings=True, extra="forbid")


class Status(StrEnum):
    MET = "met"
    NOT_MET = "not_met"
    UNKNOWN = "unknown"
    NOT_APPLICABLE = "not_applicable"
    ATTESTED = "attested"

    @property
    def passes(self) -> bool:
        """Counts towards a level: met, attested (as met) or not applicable."""
        return self in (Status.MET, Status.ATTESTED, Status.NOT_APPLICABLE)


class ToolInfo(_Frozen):
    name: str
    """Always `maturity-scanner`."""
    version: str
    """The scanner's version."""


class ModelInfo(_Frozen):
    id: str
    """Model id, e.g. `cd-maturity`."""
    version: str
    """Model version; practice ids change only with it."""
    name: str
    """Display name."""


class Target(_Frozen):
    kind: Literal["local", "github", "gitlab", "jenkins"]
    """What was scanned."""
    name: str
    """A human name: the directory name, or `owner/repo`."""
    path: str | None = None
    """Absolute path of a local checkout."""
    url: str | None = None
    """Remote URL (the checkout's `origin`, or the API URL)."""
    commit: str | None = None
    """The commit scanned, when known."""
    default_branch: str | None = None
    """The default branch, when known."""


class RuleResult(_Frozen):
    rule: str
    """Rule id."""
    status: Status
    """What this rule alone concluded."""
    reason: str
    """Why, with the signal values it read."""


class PracticeVerdict(_Frozen):
    id: str
    """Practice id, `<area>.<level>.<slug>`."""
    area: str
    """Area id."""
    level: int
    """The level the practice belongs to."""
    kind: Literal["gate", "baseline"]
    """`gate` blocks its level when not met; `baseline` never blocks."""
    words: str
    """The matrix's words for the practice."""
    status: Status
    """The verdict."""
    rule: str | None
    """The rule that decided the verdict (`null` when attested or no rule observes it)."""
    evidence: list[str]
    """Ids of the evidence records behind the verdict."""
    reason: str
    """Why, in one line."""
    remediation: str | None = None
    """What to do to meet it (for practices not met or unknown)."""
    rules: list[RuleResult] = []
    """Every rule of the practice and what it concluded."""


class Blocker(_Frozen):
    practice: str
    """The gate practice that stops the next level."""
    status: Status
    """`not_met` or `unknown`."""
    rule: str | None
    """The rule that decided it."""
    evidence: list[str]
    """Evidence ids."""
    reason: str
    """Why."""
    remediation: str | None = None
    """The next step."""


class AreaResult(_Frozen):
    id: str
    """Area id."""
    name: str
    """Display name."""
    level: int
    """Highest level whose gates (and all gates below) pass."""
    level_name: str
    """Name of `level`."""
    ceiling: int
    """The level the area would have if every `unknown` turned out met."""
    applicable: bool = True
    """False when the whole area does not apply (e.g. no datastore); its level is then not meaningful."""
    blockers: list[Blocker]
    """Gate practices of the next level that are not met or unknown."""


class Overall(_Frozen):
    level: int
    """The lowest level over the applicable areas (the staged view)."""
    level_name: str
    """Name of `level`."""
    ceiling: int
    """The lowest ceiling over the applicable areas."""
    profile: dict[str, int]
    """Area id -> level (the continuous view)."""
    ceiling_profile: dict[str, int]
    """Area id -> ceiling."""


class ScanReport(_Frozen):
    """A maturity-scanner report for one target."""

    schema_version: str = SCHEMA_VERSION
    """Version of this report's schema (semver)."""
    tool: ToolInfo
    """The tool that produced it."""
    model: ModelInfo
    """The maturity model applied."""
    scanned_at: datetime
    """When the scan finished (UTC)."""
    target: Target
    """What was scanned."""
    evidence: list[Evidence]
    """Every observation, each with a locator a person can check."""
    signals: dict[str, Any]
    """The nested signals document folded from the evidence (see docs/signals.md)."""
    practices: list[PracticeVerdict]
    """One verdict per practice of the model."""
    areas: list[AreaResult]
    """One result per area."""
    overall: Overall
    """Overall level and the profile."""
    thresholds: dict[str, float]
    """Threshold values the rules used."""
    warnings: list[Warning_]
    """Files that could not be read, ignored configuration, expired attestations, rule errors."""
