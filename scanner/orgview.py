"""The organisation view: where the repositories stand, area by area, from their latest stored results."""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from scanner.store import StoredResult

GroupBy = Literal["owner", "team", "topic"]
NOT_APPLICABLE = "n/a"


@dataclass(frozen=True)
class GroupView:
    """One group of repositories (the whole organisation, an owner, a team or a topic)."""

    group: str
    """The group's name (`all` without --group-by)."""
    repositories: list[str]
    """`provider:name` of its repositories."""
    cells: dict[str, dict[str, int]]
    """Area id (and `overall`) -> level number as text (and `n/a`) -> repositories: one count per cell of the matrix."""
    profile: dict[str, float | None]
    """Area id (and `overall`) -> median level over the repositories where it applies (None when it applies nowhere)."""


def _area_level(result: StoredResult, area: str) -> int | None:
    """The area's level, or None where the area does not apply (the report says; a profile keeps a meaningless level)."""
    for a in result.report.areas:
        if a.id == area:
            return a.level if a.applicable else None
    return result.area_levels.get(area)


def _groups(result: StoredResult, by: GroupBy | None) -> list[str]:
    if by is None:
        return ["all"]
    if by == "owner":
        return [result.name.split("/", 1)[0] if "/" in result.name else "(no owner)"]
    values = result.teams if by == "team" else result.topics
    return sorted(set(values)) if values else [f"(no {by})"]


def org_view(results: list[StoredResult], areas: list[str], levels: list[int], by: GroupBy | None = None) -> list[GroupView]:
    """The distribution of area levels (counts per cell) and the median profile, per group."""
    members: dict[str, list[StoredResult]] = {}
    for r in results:
        for g in _groups(r, by):
            members.setdefault(g, []).append(r)
    out = []
    for group in sorted(members):
        rs = members[group]
        cells: dict[str, dict[str, int]] = {}
        profile: dict[str, float | None] = {}
        for area in [*areas, "overall"]:
            counts = {str(n): 0 for n in levels} | {NOT_APPLICABLE: 0}
            values = []
            for r in rs:
                level = r.overall_level if area == "overall" else _area_level(r, area)
                if level is None:
                    counts[NOT_APPLICABLE] += 1
                else:
                    counts[str(level)] = counts.get(str(level), 0) + 1
                    values.append(level)
            if area == "overall":
                counts.pop(NOT_APPLICABLE)
            cells[area] = counts
            profile[area] = float(statistics.median(values)) if values else None
        out.append(GroupView(group, sorted(f"{r.provider}:{r.name}" for r in rs), cells, profile))
    return out
