"""Levels from verdicts, exactly as MATRIX.md says: cumulative, gates only, unknown is not met."""

from __future__ import annotations

from scanner.model import Model
from scanner.report import AreaResult, Blocker, Overall, PracticeVerdict, Status


def _highest(levels: list[int], gates_by_level: dict[int, list[PracticeVerdict]], passes) -> int:
    reached = levels[0]
    for lv in levels[1:]:
        # Level L needs every gate of levels 1..L; gates of level 1 are checked when reaching 2.
        if all(passes(v) for below in levels if below <= lv for v in gates_by_level.get(below, [])):
            reached = lv
        else:
            break
    return reached


def infer_levels(model: Model, verdicts: list[PracticeVerdict]) -> tuple[list[AreaResult], Overall]:
    levels = sorted(lv.number for lv in model.definition.levels)
    areas: list[AreaResult] = []
    for area in model.definition.areas:
        mine = [v for v in verdicts if v.area == area.id]
        gates: dict[int, list[PracticeVerdict]] = {}
        for v in mine:
            if v.kind == "gate":
                gates.setdefault(v.level, []).append(v)
        level = _highest(levels, gates, lambda v: v.status.passes)
        ceiling = _highest(levels, gates, lambda v: v.status.passes or v.status == Status.UNKNOWN)
        applicable = not mine or any(v.status != Status.NOT_APPLICABLE for v in mine)
        blockers = []
        if level < levels[-1]:
            # Every gate at or below `level` passes, so what stops level+1 is among its own gates
            # and (for level 1) the level-1 gates.
            for v in mine:
                if v.kind == "gate" and v.level <= level + 1 and not v.status.passes:
                    blockers.append(Blocker(practice=v.id, status=v.status, rule=v.rule, evidence=v.evidence, reason=v.reason, remediation=v.remediation))
            blockers.sort(key=lambda b: (b.status != Status.NOT_MET, b.practice))
        areas.append(AreaResult(id=area.id, name=area.name, level=level, level_name=model.level_name(level), ceiling=ceiling, applicable=applicable, blockers=blockers))
    counted = [a for a in areas if a.applicable] or areas
    overall_level = min(a.level for a in counted)
    overall = Overall(
        level=overall_level,
        level_name=model.level_name(overall_level),
        ceiling=min(a.ceiling for a in counted),
        profile={a.id: a.level for a in areas},
        ceiling_profile={a.id: a.ceiling for a in areas},
    )
    return areas, overall
