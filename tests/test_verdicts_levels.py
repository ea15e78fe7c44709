"""Evidence -> signals -> verdicts -> levels, on a small model built in the test."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from collectors.interface import Collection
from scanner.attestations import Attestation
from scanner.evidence import Evidence, Source
from scanner.model import load_model
from scanner.report import Status, Target
from scanner.scan import build_report
from scanner.signals import fold

MODEL = """\
id: toy
version: "1"
name: Toy
levels:
  - {number: 1, id: one, name: One}
  - {number: 2, id: two, name: Two}
  - {number: 3, id: three, name: Three}
areas:
  - {id: build, name: Build}
  - id: data
    name: Data
    applies_if: signals.db.datastore
    not_applicable_reason: no datastore
thresholds:
  hours: {value: 24, description: h}
practices:
  - {id: build.1.base, words: Manual, kind: baseline, seen_from: [files]}
  - {id: build.1.scripts, words: Scripts, kind: gate, seen_from: [files]}
  - {id: build.2.ci, words: CI, kind: gate, seen_from: [files]}
  - {id: build.2.hooks, words: Hooks, kind: gate, seen_from: [files]}
  - {id: build.3.fast, words: Fast, kind: gate, seen_from: [history]}
  - {id: build.3.people, words: People, kind: gate, seen_from: [attest]}
  - {id: data.2.migrations, words: Migrations, kind: gate, seen_from: [files]}
"""
RULES = """\
model: toy
rules:
  - {id: base, practice: build.1.base, expression: "!signals.deploy.automated", motivation: m, implementation: i, remediation: r}
  - {id: scripts, practice: build.1.scripts, expression: "size(signals.build.scripts) > 0", motivation: m, implementation: i, remediation: add a build script}
  - {id: ci, practice: build.2.ci, expression: "size(signals.ci.systems) > 0", motivation: m, implementation: i, remediation: add CI}
  - {id: hooks-push, practice: build.2.hooks, expression: "'push' in signals.ci.triggers", motivation: m, implementation: i, remediation: trigger on push}
  - {id: hooks-history, practice: build.2.hooks, expression: "signals.ci.default_branch.runs > 0 && signals.ci.default_branch.break_median_hours < 1.0", motivation: m, implementation: i, remediation: r}
  - {id: fast, practice: build.3.fast, expression: "signals.ci.default_branch.break_median_hours <= thresholds.hours", motivation: m, implementation: i, remediation: fix fast}
  - {id: mig, practice: data.2.migrations, expression: "size(signals.db.migration_tools) > 0", motivation: m, implementation: i, remediation: r}
"""


@pytest.fixture
def toy(tmp_path: Path):
    folder = tmp_path / "toy"
    folder.mkdir()
    (folder / "model.yaml").write_text(MODEL)
    (folder / "rules.yaml").write_text(RULES)
    return load_model(extra_rules=[folder])


def ev(key, value, source=Source.LOCAL, locator="f:1"):
    return Evidence(key=key, value=value, source=source, locator=locator, observed="seen")


def report(model, evidence, attestations=(), thresholds=None, today=date(2026, 11, 27)):
    collection = Collection(target=Target(kind="local", name="t"), evidence=list(evidence))
    return build_report(model, collection, thresholds or model.threshold_defaults, list(attestations), today=today)


def by_id(r):
    return {p.id: p for p in r.practices}


def test_fold_merges_per_key_rule_and_skips_attestations():
    signals = fold([
        ev("ci.triggers", ["push"]), ev("ci.triggers", ["poll", "push"], Source.JENKINS),
        ev("deploy.automated", False), ev("deploy.automated", True, Source.GITHUB),
        ev("ci.default_branch.runs", 10, Source.GITHUB), ev("ci.default_branch.runs", 7, Source.JENKINS),
        ev("ci.default_branch.break_median_hours", 5.0, Source.GITHUB), ev("ci.default_branch.break_median_hours", 9, Source.JENKINS),
        ev("attestation.x", "met", Source.ATTESTATION),
    ])
    assert signals["ci"]["triggers"] == ["poll", "push"]
    assert signals["deploy"]["automated"] is True
    assert signals["ci"]["default_branch"]["runs"] == 10
    assert signals["ci"]["default_branch"]["break_median_hours"] == 9.0  # Jenkins preferred, as a float
    assert "attestation" not in signals


def test_fold_rejects_a_value_of_the_wrong_type():
    with pytest.raises(TypeError, match="ci.triggers expects list"):
        fold([ev("ci.triggers", True)])


def test_missing_evidence_is_unknown_never_not_met(toy):
    r = report(toy, [ev("build.scripts", ["make"]), ev("ci.systems", ["jenkins"]), ev("ci.triggers", ["poll"])])
    p = by_id(r)
    assert p["build.2.ci"].status == Status.MET
    # hooks: the file rule is false, the history rule lacks evidence -> unknown, not not_met
    assert p["build.2.hooks"].status == Status.UNKNOWN
    assert "missing ci.default_branch.runs" in p["build.2.hooks"].reason
    assert p["build.3.fast"].status == Status.UNKNOWN
    assert "scan through github:" in p["build.3.fast"].reason
    assert p["build.1.base"].status == Status.UNKNOWN  # deploy.automated absent
    # when the history evidence says no as well, it is not_met
    r2 = report(toy, [ev("ci.triggers", ["poll"]), ev("ci.default_branch.runs", 3), ev("ci.default_branch.break_median_hours", 30.0)])
    assert by_id(r2)["build.2.hooks"].status == Status.NOT_MET
    assert by_id(r2)["build.3.fast"].status == Status.NOT_MET


def test_empty_list_or_false_means_looked_and_found_none(toy):
    r = report(toy, [ev("ci.systems", []), ev("deploy.automated", False)])
    assert by_id(r)["build.2.ci"].status == Status.NOT_MET
    assert by_id(r)["build.1.base"].status == Status.MET


def test_verdicts_cite_the_evidence_of_the_signals_they_read(toy):
    r = report(toy, [ev("ci.systems", ["jenkins"], locator="Jenkinsfile:1"), ev("build.scripts", ["make"], locator="Makefile:1")])
    ci = by_id(r)["build.2.ci"]
    cited = [e for e in r.evidence if e.id in ci.evidence]
    assert [e.locator for e in cited] == ["Jenkinsfile:1"]
    assert ci.rule == "ci"


def test_levels_are_cumulative_and_baselines_never_block(toy):
    # build.1.base is a baseline that comes out not_met (deploy automated) -> must not block.
    full = [ev("deploy.automated", True), ev("build.scripts", ["make"]), ev("ci.systems", ["github-actions"]), ev("ci.triggers", ["push"]),
            ev("ci.default_branch.break_median_hours", 2.0)]
    r = report(toy, full)
    assert by_id(r)["build.1.base"].status == Status.NOT_MET
    build = next(a for a in r.areas if a.id == "build")
    # build.3.people is attest-only: unknown -> stops level 3, ceiling 3
    assert (build.level, build.ceiling) == (2, 3)
    assert [b.practice for b in build.blockers] == ["build.3.people"]
    assert build.blockers[0].status == Status.UNKNOWN
    # a level-1 gate failing keeps the area at 1 even when level-2 gates pass
    r2 = report(toy, [ev("build.scripts", []), ev("ci.systems", ["gitlab-ci"]), ev("ci.triggers", ["push"])])
    build2 = next(a for a in r2.areas if a.id == "build")
    assert build2.level == 1 and build2.ceiling == 1
    assert [b.practice for b in build2.blockers] == ["build.1.scripts"]
    assert build2.blockers[0].remediation == "add a build script"


def test_overall_is_the_minimum_over_applicable_areas_and_profile_lists_all(toy):
    r = report(toy, [ev("build.scripts", ["make"]), ev("ci.systems", ["x"]), ev("ci.triggers", ["push"]), ev("db.datastore", False)])
    data = next(a for a in r.areas if a.id == "data")
    assert data.applicable is False
    assert by_id(r)["data.2.migrations"].status == Status.NOT_APPLICABLE
    assert "no datastore" in by_id(r)["data.2.migrations"].reason
    assert r.overall.profile == {"build": 2, "data": 3}
    assert r.overall.level == 2  # the not-applicable data area does not count
    r2 = report(toy, [ev("build.scripts", ["make"]), ev("ci.systems", ["x"]), ev("ci.triggers", ["push"]), ev("db.datastore", True), ev("db.migration_tools", [])])
    assert r2.overall.profile["data"] == 1 and r2.overall.level == 1


def test_attestation_is_evidence_and_counts_as_met(toy):
    att = Attestation(practice="build.3.people", status="met", by="Jane", date=date(2026, 1, 2), note="pairing rota")
    full = [ev("build.scripts", ["make"]), ev("ci.systems", ["x"]), ev("ci.triggers", ["push"]), ev("ci.default_branch.break_median_hours", 2.0)]
    r = report(toy, full, [(att, "config.toml:12")])
    people = by_id(r)["build.3.people"]
    assert people.status == Status.ATTESTED
    cited = next(e for e in r.evidence if e.id == people.evidence[0])
    assert cited.source == Source.ATTESTATION and cited.locator == "config.toml:12"
    assert "Jane" in cited.observed and "pairing rota" in cited.observed
    assert next(a for a in r.areas if a.id == "build").level == 3


def test_expired_attestation_is_ignored_with_a_warning(toy):
    att = Attestation(practice="build.3.people", status="met", by="Jane", date=date(2025, 1, 2), expires=date(2026, 1, 1))
    r = report(toy, [], [(att, ".maturity.toml:3")])
    assert by_id(r)["build.3.people"].status == Status.UNKNOWN
    assert [w.code for w in r.warnings] == ["expired-attestation"]
    assert r.warnings[0].locator == ".maturity.toml:3"
    assert all(e.source != Source.ATTESTATION for e in r.evidence)


def test_attestation_conflicting_with_evidence_is_reported(toy):
    att = Attestation(practice="build.2.ci", status="met", by="Bob", date=date(2026, 5, 1))
    r = report(toy, [ev("ci.systems", [])], [(att, "c:1")])
    assert by_id(r)["build.2.ci"].status == Status.ATTESTED
    assert any(w.code == "attestation-conflict" for w in r.warnings)


def test_rule_errors_that_are_not_missing_evidence_are_unknown_with_a_warning(tmp_path, toy):
    bad = tmp_path / "bad.yaml"
    bad.write_text('model: toy\nrules:\n  - {id: ci, practice: build.2.ci, expression: "signals.ci.systems + 1 > 0", motivation: m, implementation: i, remediation: r}\n')
    model = load_model(extra_rules=[tmp_path / "toy", bad])
    r = report(model, [ev("ci.systems", ["x"])])
    assert by_id(r)["build.2.ci"].status == Status.UNKNOWN
    assert by_id(r)["build.2.ci"].reason.startswith("rule error:")
    assert any(w.code == "rule-error" and "bad.yaml:3" in w.message for w in r.warnings)


def test_kleene_logic_decides_when_the_known_part_is_enough(tmp_path, toy):
    extra = tmp_path / "k.yaml"
    extra.write_text(
        "model: toy\nrules:\n"
        "  - {id: ci, practice: build.2.ci, expression: \"size(signals.ci.systems) > 0 || signals.deploy.automated\", motivation: m, implementation: i, remediation: r}\n"
        "  - {id: scripts, practice: build.1.scripts, expression: \"size(signals.build.scripts) > 0 && signals.deploy.automated\", motivation: m, implementation: i, remediation: r}\n"
    )
    model = load_model(extra_rules=[tmp_path / "toy", extra])
    r = report(model, [ev("ci.systems", ["x"]), ev("build.scripts", [])])
    assert by_id(r)["build.2.ci"].status == Status.MET  # true || missing
    assert by_id(r)["build.1.scripts"].status == Status.NOT_MET  # false && missing


def test_real_model_on_empty_evidence_is_all_unknown_or_attest_and_level_one():
    model = load_model()
    r = report(model, [])
    assert r.overall.level == 1
    assert {p.status for p in r.practices} == {Status.UNKNOWN}
    assert r.overall.ceiling == 5


def test_blocker_hint_gives_the_next_step_and_the_evidence_to_check(toy):
    from scanner.formats.interface import blocker_hint

    r = report(toy, [ev("build.scripts", ["make"]), ev("ci.systems", ["jenkins"], locator="Jenkinsfile:1"), ev("ci.triggers", ["poll"], locator="Jenkinsfile:4")])
    build = next(a for a in r.areas if a.id == "build")
    hooks = next(b for b in build.blockers if b.practice == "build.2.hooks")
    assert hooks.status.value == "unknown"
    hint, seen = blocker_hint(r, hooks)
    assert hint.startswith("missing ci.default_branch.runs")
    assert seen == "Jenkinsfile:4: seen"
    r2 = report(toy, [ev("build.scripts", ["make"]), ev("ci.systems", ["jenkins"]), ev("ci.triggers", ["poll"], locator="Jenkinsfile:4"),
                      ev("ci.default_branch.runs", 5), ev("ci.default_branch.break_median_hours", 9.0)])
    hooks2 = next(b for b in next(a for a in r2.areas if a.id == "build").blockers if b.practice == "build.2.hooks")
    assert hooks2.status.value == "not_met"
    assert blocker_hint(r2, hooks2)[0] == "trigger on push"
