"""Attestations: a person's signed statement about a practice nothing can observe.

They live in `.maturity.toml` at a repository's root or in the config, as `[[attestations]]`
tables. Each becomes evidence with source `attestation`. An expired one is ignored with a warning.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, ValidationError

from scanner.evidence import Evidence, Source, Warning_


class Attestation(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", use_attribute_docstrings=True)

    practice: str
    """Practice id, e.g. `culture.2.agile`."""
    status: Literal["met", "not_met", "not_applicable"]
    """What the person states."""
    by: str
    """Who attests (name, e-mail or team)."""
    date: date
    """When it was attested."""
    expires: date | None = None
    """After this day the attestation is ignored."""
    note: str = ""
    """Why, or where to check (a wiki page, a ticket)."""


def _line_of(text: str | None, practice: str) -> int | None:
    if not text:
        return None
    m = re.search(r"^\s*practice\s*=\s*[\"']" + re.escape(practice) + r"[\"']", text, re.M)
    return text.count("\n", 0, m.start()) + 1 if m else None


def parse_attestations(raw: object, origin: str, text: str | None = None) -> tuple[list[tuple[Attestation, str]], list[str]]:
    """Validate `[[attestations]]` entries. Returns (attestation, locator) pairs and one-line problems."""
    if raw is None:
        return [], []
    if not isinstance(raw, list):
        return [], [f"{origin}: 'attestations' must be an array of tables ([[attestations]])"]
    out: list[tuple[Attestation, str]] = []
    problems: list[str] = []
    for i, item in enumerate(raw, 1):
        try:
            att = Attestation.model_validate(item)
        except ValidationError as exc:
            err = exc.errors()[0]
            field = ".".join(str(p) for p in err["loc"]) or "entry"
            problems.append(f"{origin}: attestation #{i}: {field}: {err['msg']}")
            continue
        line = _line_of(text, att.practice)
        out.append((att, f"{origin}:{line}" if line else origin))
    return out, problems


def attestation_evidence(
    attestations: list[tuple[Attestation, str]], known_practices: set[str], today: date
) -> tuple[dict[str, Evidence], list[Warning_]]:
    """Practice id -> attestation evidence (the newest valid one wins), plus warnings."""
    chosen: dict[str, tuple[Attestation, str]] = {}
    warnings: list[Warning_] = []
    for att, locator in attestations:
        if att.practice not in known_practices:
            warnings.append(Warning_(code="unknown-practice", message=f"attestation for unknown practice {att.practice!r} ignored", locator=locator))
            continue
        if att.expires is not None and att.expires < today:
            warnings.append(Warning_(code="expired-attestation", message=f"attestation of {att.practice} by {att.by} expired on {att.expires.isoformat()}; ignored", locator=locator))
            continue
        if att.practice not in chosen or chosen[att.practice][0].date <= att.date:
            chosen[att.practice] = (att, locator)
    evidence: dict[str, Evidence] = {}
    for practice, (att, locator) in chosen.items():
        until = f", until {att.expires.isoformat()}" if att.expires else ""
        note = f": {att.note}" if att.note else ""
        evidence[practice] = Evidence(
            key=f"attestation.{practice}", value=att.status, source=Source.ATTESTATION, locator=locator,
            observed=f"attested {att.status} by {att.by} on {att.date.isoformat()}{until}{note}",
        )
    return evidence, warnings
