"""Loading the model and rules: the built-in model is complete; every bad file says file:line."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from scanner.errors import RuleFileError
from scanner.model import load_model
from scanner.signals import CATALOG

MATRIX = Path(__file__).resolve().parent / "fixtures" / "MATRIX.md"


def matrix_rows() -> list[tuple[str, str, str, str]]:
    rows = re.findall(r"^\| ([a-z]+\.[1-5]\.[a-z0-9-]+) \| (.+?) \| (gate|baseline) \| ([a-z, ]+) \|", MATRIX.read_text(), re.M)
    assert len(rows) == 70
    return rows


def test_builtin_model_has_every_practice_of_the_matrix_with_its_words_kind_and_sources():
    model = load_model()
    by_id = {p.id: p for p in model.practices}
    for pid, words, kind, seen in matrix_rows():
        p = by_id[pid]
        assert p.words == words
        assert p.kind == kind
        assert p.seen_from == [s.strip() for s in seen.split(",")]
    assert len(by_id) == 70
    assert [a.id for a in model.definition.areas] == ["culture", "build", "release", "data", "test", "reporting"]
    assert [lv.number for lv in model.definition.levels] == [1, 2, 3, 4, 5]


def test_every_observable_practice_has_a_rule_and_attest_only_ones_have_none():
    model = load_model()
    for p in model.practices:
        rules = model.rules_for(p.id)
        if p.seen_from == ["attest"]:
            assert rules == [], p.id
        else:
            assert rules, f"{p.id} is seen from {p.seen_from} but has no rule"
        for r in rules:
            assert r.definition.motivation and r.definition.remediation and r.definition.implementation
            assert set(r.expression.signal_keys) <= set(CATALOG)


def write(tmp_path: Path, name: str, text: str) -> Path:
    p = tmp_path / name
    p.write_text(text)
    return p


RULE = """\
model: cd-maturity
rules:
  - id: custom/one
    practice: {practice}
    expression: >-
      {expression}
    motivation: m
    implementation: i
    remediation: r
"""


@pytest.mark.parametrize(
    ("practice", "expression", "line", "needle"),
    [
        ("build.3.comit-hook-ci", "signals.ci.triggers.size() > 0", 4, "unknown practice id 'build.3.comit-hook-ci' (did you mean build.3.commit-hook-ci?)"),
        ("build.3.commit-hook-ci", "'push' in signals.ci.trigers", 5, "no collector declares signal 'signals.ci.trigers' (did you mean ci.triggers?)"),
        ("build.3.commit-hook-ci", "'push' in (signals.ci.triggers", 5, "CEL syntax error"),
        ("build.3.commit-hook-ci", "signals.deploy.count > thresholds.nope", 5, "unknown threshold 'thresholds.nope'"),
        ("build.3.commit-hook-ci", "sise(signals.ci.triggers) > 0", 5, "unknown CEL function 'sise'"),
        ("build.3.commit-hook-ci", "facts.ci", 5, "unknown variable 'facts'"),
    ],
)
def test_bad_rule_files_fail_with_file_line_and_one_line_reason(tmp_path, practice, expression, line, needle):
    path = write(tmp_path, "custom.yaml", RULE.format(practice=practice, expression=expression))
    with pytest.raises(RuleFileError) as err:
        load_model(extra_rules=[path])
    message = str(err.value)
    assert message.startswith(f"{path}:{line}: ")
    assert needle in message
    assert "\n" not in message


def test_broken_yaml_and_unknown_fields_point_at_the_line(tmp_path):
    broken = write(tmp_path, "broken.yaml", "model: cd-maturity\nrules:\n  - id: x\n    practice: [unclosed\n")
    with pytest.raises(RuleFileError) as err:
        load_model(extra_rules=[broken])
    assert str(err.value).startswith(f"{broken}:") and "invalid YAML" in str(err.value)
    extra = write(tmp_path, "extra.yaml", RULE.format(practice="build.3.commit-hook-ci", expression="true") + "    severity: high\n")
    with pytest.raises(RuleFileError) as err:
        load_model(extra_rules=[extra])
    assert str(err.value) == f"{extra}:10: rules.0.severity: unknown field"
    missing = write(tmp_path, "missing.yaml", "model: cd-maturity\nrules:\n  - id: x\n    practice: build.3.commit-hook-ci\n    expression: 'true'\n")
    with pytest.raises(RuleFileError) as err:
        load_model(extra_rules=[missing])
    assert "rules.0.motivation: field required" in str(err.value)
    assert str(err.value).startswith(f"{missing}:3:")


def test_override_replaces_disables_and_adds_rules(tmp_path):
    base = load_model()
    assert "build.3.commit-hook-ci/webhook-trigger" in base.rules
    override = write(tmp_path, "override.yaml", """\
model: cd-maturity
rules:
  - id: build.3.commit-hook-ci/webhook-trigger
    practice: build.3.commit-hook-ci
    expression: '"push" in signals.ci.triggers'
    motivation: m
    implementation: i
    remediation: r
  - id: build.4.blue-green/strategy
    practice: build.4.blue-green
    expression: 'true'
    motivation: m
    implementation: i
    remediation: r
    disabled: true
  - id: test.4.exploratory/attested-elsewhere
    practice: test.4.exploratory
    expression: signals.repo.contributing
    motivation: m
    implementation: i
    remediation: r
""")
    model = load_model(extra_rules=[override])
    assert model.rules["build.3.commit-hook-ci/webhook-trigger"].expression.source == '"push" in signals.ci.triggers'
    assert model.rules["build.3.commit-hook-ci/webhook-trigger"].origin == f"{override}:3"
    assert "build.4.blue-green/strategy" not in model.rules
    assert [r.id for r in model.rules_for("test.4.exploratory")] == ["test.4.exploratory/attested-elsewhere"]


def test_duplicate_rule_id_within_a_file_is_an_error(tmp_path):
    text = RULE.format(practice="build.3.commit-hook-ci", expression="true")
    dup = write(tmp_path, "dup.yaml", text + text.split("rules:\n", 1)[1])
    with pytest.raises(RuleFileError, match=r"dup.yaml:10: duplicate rule id 'custom/one'"):
        load_model(extra_rules=[dup])


def test_a_third_model_can_be_shipped_as_data(tmp_path):
    folder = tmp_path / "tiny"
    folder.mkdir()
    write(folder, "model.yaml", """\
id: tiny
version: "0.1"
name: Tiny
levels: [{number: 1, id: one, name: One}, {number: 2, id: two, name: Two}]
areas: [{id: ci, name: CI}]
practices:
  - {id: ci.2.has-ci, words: Has CI, kind: gate, seen_from: [files]}
""")
    write(folder, "rules.yaml", "model: tiny\nrules:\n  - {id: r, practice: ci.2.has-ci, expression: 'size(signals.ci.systems) > 0', motivation: m, implementation: i, remediation: r}\n")
    model = load_model(extra_rules=[folder])
    assert model.id == "tiny" and list(model.rules) == ["r"]
    bad = tmp_path / "bad"
    bad.mkdir()
    write(bad, "model.yaml", "id: bad\nversion: '1'\nname: B\nlevels: [{number: 1, id: one, name: One}]\nareas: [{id: ci, name: CI}]\npractices:\n  - {id: cd.1.x, words: X, kind: gate, seen_from: [files]}\n")
    with pytest.raises(RuleFileError, match=r"model.yaml:7: practice 'cd.1.x' names unknown area 'cd'"):
        load_model(extra_rules=[bad])
