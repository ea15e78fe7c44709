"""Rules read signals and give practice verdicts. Missing evidence gives `unknown`, never `not_met`."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from scanner.evidence import Evidence, Source, Warning_
from scanner.model import CompiledExpression, Model, PracticeDef, Rule
from scanner.report import PracticeVerdict, RuleResult, Status
from scanner.signals import CATALOG, flatten


@dataclass(frozen=True)
class Outcome:
    value: bool | None
    """True, False, or None for unknown."""
    missing: tuple[str, ...] = ()
    """Referenced signal keys absent from the signals document."""
    error: str | None = None
    """A rule error that was not caused by missing evidence."""


def _render(v: Any) -> str:
    return json.dumps(v, separators=(",", ":")) if not isinstance(v, str) else repr(v)


class Activation:
    """What rules read (`signals`, `thresholds`), converted to CEL once per report.

    Handing CEL a Python dict converts the whole signals document at every evaluation (0.12 ms for
    this repository's own report, times some 120 rule and condition evaluations); a `cel.Context`
    converts it once (judging the whole report then took 1.85 ms)."""

    def __init__(self, signals: dict[str, Any], thresholds: dict[str, float]) -> None:
        from scanner.celapi import cel

        self.context = cel.Context()
        self.context.add_variable("signals", signals)
        self.context.add_variable("thresholds", thresholds)


def evaluate(expr: CompiledExpression, env: Activation, flat: dict[str, Any]) -> Outcome:
    missing = tuple(k for k in expr.signal_keys if k not in flat)
    try:
        result = expr.program.execute(env.context)
    except KeyError:
        return Outcome(None, missing or ("?",))
    except Exception as exc:  # a type error or similar inside the rule itself
        if missing:
            return Outcome(None, missing)
        return Outcome(None, (), f"{type(exc).__name__}: {str(exc).splitlines()[0]}")
    if not isinstance(result, bool):
        return Outcome(None, (), f"expression gave {type(result).__name__}, not a boolean")
    return Outcome(result, missing)


def _values(keys: tuple[str, ...], flat: dict[str, Any]) -> str:
    shown = [f"{k}={_render(flat[k])}" for k in keys if k in flat]
    return ", ".join(shown)


def _missing_words(missing: tuple[str, ...]) -> str:
    history = [k for k in missing if k in CATALOG and CATALOG[k].origin == "history"]
    words = "missing " + ", ".join(missing)
    if history and len(history) == len(missing):
        words += " (seen only in API history: scan through github:, gitlab: or jenkins:)"
    return words


def _rule_result(rule: Rule, env: Activation, flat: dict[str, Any], warnings: list[Warning_]) -> tuple[RuleResult, Outcome]:
    if rule.applies_if is not None:
        cond = evaluate(rule.applies_if, env, flat)
        if cond.value is False:
            seen = _values(rule.applies_if.signal_keys, flat)
            return RuleResult(rule=rule.id, status=Status.NOT_APPLICABLE, reason=f"does not apply: {rule.applies_if.source} is false ({seen})"), cond
    out = evaluate(rule.expression, env, flat)
    seen = _values(rule.expression.signal_keys, flat)
    if out.error:
        warnings.append(Warning_(code="rule-error", message=f"rule {rule.id} ({rule.origin}): {out.error}"))
        return RuleResult(rule=rule.id, status=Status.UNKNOWN, reason=f"rule error: {out.error}"), out
    if out.value is None:
        return RuleResult(rule=rule.id, status=Status.UNKNOWN, reason=_missing_words(out.missing) + (f"; seen {seen}" if seen else "")), out
    status = Status.MET if out.value else Status.NOT_MET
    return RuleResult(rule=rule.id, status=status, reason=f"{rule.expression.source} is {str(out.value).lower()} ({seen or 'no signals'})"), out


def _evidence_ids(keys: set[str], evidence: list[Evidence]) -> list[str]:
    return [e.id for e in evidence if e.key in keys and e.source != Source.ATTESTATION]


def judge(
    model: Model,
    signals: dict[str, Any],
    evidence: list[Evidence],
    thresholds: dict[str, float],
    attestations: dict[str, Evidence],
    warnings: list[Warning_],
) -> list[PracticeVerdict]:
    """One verdict per practice. `attestations` maps practice id -> attestation evidence."""
    flat = flatten(signals)
    env = Activation(signals, thresholds)
    area_na: dict[str, str] = {}
    for area in model.definition.areas:
        cond = model.area_conditions.get(area.id)
        if cond is not None and evaluate(cond, env, flat).value is False:
            area_na[area.id] = area.not_applicable_reason or f"{cond.source} is false"
            area_na[area.id] += f" ({_values(cond.signal_keys, flat)})"
    area_keys = {a: set(c.signal_keys) for a, c in model.area_conditions.items()}
    out: list[PracticeVerdict] = []
    for practice in model.practices:
        out.append(_judge_one(model, practice, env, flat, evidence, attestations, warnings, area_na, area_keys))
    return out


def _judge_one(model, practice: PracticeDef, env: Activation, flat, evidence, attestations, warnings, area_na, area_keys) -> PracticeVerdict:
    base = dict(id=practice.id, area=practice.area, level=practice.level, kind=practice.kind, words=practice.words)
    rules = model.rules_for(practice.id)
    results = [_rule_result(r, env, flat, warnings) for r in rules]
    rule_results = [rr for rr, _ in results]

    attestation = attestations.get(practice.id)
    if attestation is not None:
        status = {"met": Status.ATTESTED, "not_met": Status.NOT_MET, "not_applicable": Status.NOT_APPLICABLE}[str(attestation.value)]
        observed = next((rr for rr in rule_results if rr.status in (Status.MET, Status.NOT_MET)), None)
        if observed and ((observed.status == Status.MET) != (status == Status.ATTESTED)) and status != Status.NOT_APPLICABLE:
            warnings.append(Warning_(code="attestation-conflict", message=f"{practice.id}: attested {attestation.value} but rule {observed.rule} observed {observed.status.value}", locator=attestation.locator))
        return PracticeVerdict(**base, status=status, rule=None, evidence=[attestation.id], reason=attestation.observed, rules=rule_results)

    if practice.area in area_na:
        keys = area_keys.get(practice.area, set())
        return PracticeVerdict(**base, status=Status.NOT_APPLICABLE, rule=None, evidence=_evidence_ids(keys, evidence), reason=f"area does not apply: {area_na[practice.area]}", rules=rule_results)

    if not rules:
        how = "attest it in .maturity.toml or the config" if practice.seen_from == ["attest"] else "no rule observes it; attest it or add a rule"
        return PracticeVerdict(**base, status=Status.UNKNOWN, rule=None, evidence=[], reason=f"nothing automatic can see this practice: {how}", rules=[])

    for rule, (rr, _) in zip(rules, results):
        if rr.status == Status.MET:
            return PracticeVerdict(**base, status=Status.MET, rule=rule.id, evidence=_evidence_ids(set(rule.expression.signal_keys), evidence), reason=rr.reason, rules=rule_results)
    if all(rr.status == Status.NOT_APPLICABLE for rr in rule_results):
        rule = rules[0]
        keys = set(rule.applies_if.signal_keys) if rule.applies_if else set()
        return PracticeVerdict(**base, status=Status.NOT_APPLICABLE, rule=rule.id, evidence=_evidence_ids(keys, evidence), reason=rule_results[0].reason, rules=rule_results)
    decisive = next(((r, rr) for r, (rr, _) in zip(rules, results) if rr.status == Status.UNKNOWN), None)
    status = Status.UNKNOWN
    if decisive is None:
        decisive = next((r, rr) for r, (rr, _) in zip(rules, results) if rr.status == Status.NOT_MET)
        status = Status.NOT_MET
    rule, rr = decisive
    keys = {k for r in rules for k in r.expression.signal_keys}
    return PracticeVerdict(**base, status=status, rule=rule.id, evidence=_evidence_ids(keys, evidence), reason=rr.reason, remediation=rule.definition.remediation, rules=rule_results)
