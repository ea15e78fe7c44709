"""The JSON contract, the CLI's exit codes and its one-line errors."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

from scanner.cli import main
from scanner.schema import report_schema

ROOT = Path(__file__).resolve().parents[1]
SCHEMA_FILE = ROOT / "schemas" / "scan-report.schema.json"


def test_committed_schema_matches_the_model():
    committed = json.loads(SCHEMA_FILE.read_text())
    assert committed == report_schema(), "schemas/scan-report.schema.json drifted: run `maturity schema > schemas/scan-report.schema.json`"


def run(args, capsys):
    code = main(args)
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def small_repo(make_repo):
    return make_repo({
        "Makefile": "test:\n\tpytest\n",
        "pyproject.toml": "[project]\nname='x'\n",
        ".github/workflows/ci.yml": "on: [push, pull_request]\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n      - run: make test\n",
    }, remote="git@github.com:acme/widgets.git")


def test_json_report_validates_against_the_committed_schema(small_repo, capsys):
    code, out, err = run(["scan", str(small_repo), "--format", "json"], capsys)
    assert code == 0, err
    doc = json.loads(out)
    jsonschema.validate(doc, json.loads(SCHEMA_FILE.read_text()))
    assert doc["schema_version"] == "1.0.0"
    assert doc["tool"]["name"] == "maturity-scanner"
    assert doc["model"]["id"] == "cd-maturity"
    assert doc["target"]["name"] == "acme/widgets" and doc["target"]["commit"]
    assert len(doc["practices"]) == 70 and len(doc["areas"]) == 6
    assert set(doc["overall"]["profile"]) == {"culture", "build", "release", "data", "test", "reporting"}
    ids = {e["id"] for e in doc["evidence"]}
    for p in doc["practices"]:
        assert set(p["evidence"]) <= ids
    assert doc["thresholds"]["break_median_hours"] == 24


def test_table_and_markdown_formats_and_output_file(small_repo, capsys, tmp_path):
    code, out, _ = run(["scan", str(small_repo)], capsys)
    assert code == 0
    for area in ("Culture & Organization", "Build & Deploy", "Release", "Data Management", "Test & Verification", "Information & Reporting"):
        assert area in out
    out_file = tmp_path / "r.md"
    code, out, _ = run(["scan", str(small_repo), "-f", "markdown", "-o", str(out_file)], capsys)
    assert code == 0 and out == ""
    text = out_file.read_text()
    assert text.startswith("# CD maturity of acme/widgets") and "| Build & Deploy |" in text


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["scan", "/definitely/not/here"], "error: no such directory: /definitely/not/here"),
        (["scan", ".", "--format", "xml"], "error: --format: unknown format 'xml'"),
        (["scan", ".", "--fail-under", "legendary"], "error: --fail-under: unknown level 'legendary'"),
        (["scan", ".", "--bogus"], "error: No such option: --bogus"),
        (["scan", ".", "--config", "/nope.toml"], "error: /nope.toml: no such config file"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(args, needle, capsys):
    code, out, err = run(args, capsys)
    assert code == 2
    assert err.strip().splitlines() == [err.strip()]
    assert needle in err
    assert "Traceback" not in err


def test_malformed_config_and_rule_file_exit_2_with_location(small_repo, tmp_path, capsys):
    cfg = tmp_path / "c.toml"
    cfg.write_text("[scanner]\nwindow_days = 'often'\nbogus = 1\n")
    code, _, err = run(["scan", str(small_repo), "--config", str(cfg)], capsys)
    assert code == 2 and "scanner.window_days" in err and "scanner.bogus: unknown key" in err
    cfg.write_text("[scanner\n")
    code, _, err = run(["scan", str(small_repo), "--config", str(cfg)], capsys)
    assert code == 2 and "invalid TOML" in err
    rules = tmp_path / "r.yaml"
    rules.write_text("model: cd-maturity\nrules:\n  - id: x\n    practice: build.9.nope\n    expression: 'true'\n    motivation: m\n    implementation: i\n    remediation: r\n")
    code, _, err = run(["scan", str(small_repo), "--rules", str(rules)], capsys)
    assert code == 2 and f"{rules}:4: unknown practice id 'build.9.nope'" in err
    code, out, err = run(["rules", "check", str(rules)], capsys)
    assert code == 2 and f"{rules}:4:" in err
    rules.write_text("model: cd-maturity\nrules: []\n")
    code, out, _ = run(["rules", "check", str(rules)], capsys)
    assert code == 0 and out.startswith("ok: model cd-maturity")


def test_unknown_threshold_in_config_is_a_config_error(small_repo, tmp_path, capsys):
    cfg = tmp_path / "c.toml"
    cfg.write_text("[thresholds]\nbreak_median_hour = 3\n")
    code, _, err = run(["scan", str(small_repo), "--config", str(cfg)], capsys)
    assert code == 2 and "unknown threshold(s) break_median_hour" in err


def test_config_thresholds_are_used_and_reported(small_repo, tmp_path, capsys):
    cfg = tmp_path / "c.toml"
    cfg.write_text("[thresholds]\nbreak_median_hours = 6\n")
    code, out, _ = run(["scan", str(small_repo), "--config", str(cfg), "-f", "json"], capsys)
    assert code == 0 and json.loads(out)["thresholds"]["break_median_hours"] == 6.0


def test_fail_under_gate_exits_3_below_and_0_at_or_above(small_repo, capsys):
    code, out, _ = run(["scan", str(small_repo), "-f", "json"], capsys)
    level = json.loads(out)["overall"]["level"]
    code, _, err = run(["scan", str(small_repo), "--fail-under", str(level + 1)], capsys)
    assert code == 3 and "below" in err
    code, _, _ = run(["scan", str(small_repo), "--fail-under", str(level)], capsys)
    assert code == 0
    code, _, _ = run(["scan", str(small_repo), "--fail-under", "optimizing"], capsys)
    assert code == (0 if level >= 5 else 3)


def test_unexpected_failure_is_one_line_exit_1_and_debug_shows_traceback(small_repo, monkeypatch, capsys):
    import scanner.scan

    def boom(*a, **k):
        raise RuntimeError("kaboom")

    monkeypatch.setattr(scanner.scan, "build_report", boom)
    code, _, err = run(["scan", str(small_repo)], capsys)
    assert code == 1 and err.strip() == "error: unexpected RuntimeError: kaboom (run with --debug for the traceback)"
    with pytest.raises(RuntimeError):
        main(["scan", str(small_repo), "--debug"])


def test_rules_list_and_config_check(tmp_path, capsys):
    code, out, _ = run(["rules", "list"], capsys)
    assert code == 0 and "build.3.commit-hook-ci" in out
    good = tmp_path / "good.toml"
    good.write_text((ROOT / "config.example.toml").read_text())
    code, out, err = run(["config", "check", str(good)], capsys)
    assert code == 0, err
    bad = tmp_path / "bad.toml"
    bad.write_text("[schedule]\ncron='* * * * *'\ninterval_seconds=5\n[[targets]]\nkind='local'\n[[attestations]]\npractice='culture.2.agile'\n")
    code, _, err = run(["config", "check", str(bad)], capsys)
    lines = err.strip().splitlines()
    assert code == 2 and len(lines) == 3
    assert any("a local target needs 'path'" in ln for ln in lines)
    assert any("not both" in ln for ln in lines)
    assert any("attestation #1" in ln for ln in lines)


def test_console_script_runs_in_a_subprocess(small_repo):
    exe = Path(sys.executable).with_name("maturity")
    cmd = [str(exe)] if exe.exists() else [sys.executable, "-c", "from scanner.cli import entry; entry()"]
    proc = subprocess.run([*cmd, "scan", str(small_repo), "-f", "json"], capture_output=True, text=True, env={**os.environ, "COLUMNS": "120"})
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["target"]["name"] == "acme/widgets"


def test_every_signal_of_the_catalog_is_documented():
    from scanner.signals import CATALOG

    doc = (ROOT / "docs" / "signals.md").read_text()
    missing = [k for k in CATALOG if f"`{k}`" not in doc]
    assert missing == []


def test_this_projects_own_checkout_scans_and_validates(capsys):
    code, out, err = run(["scan", str(ROOT), "--format", "json"], capsys)
    assert code == 0, err
    doc = json.loads(out)
    jsonschema.validate(doc, json.loads(SCHEMA_FILE.read_text()))
    assert "github-actions" not in doc["signals"]["ci"]["systems"]  # our tests' workflow strings are not pipelines
    assert doc["target"]["kind"] == "local" and doc["target"]["path"] == str(ROOT)


def test_config_attestations_apply_and_bad_ones_are_config_errors(small_repo, tmp_path, capsys):
    cfg = tmp_path / "c.toml"
    cfg.write_text('[[attestations]]\npractice = "test.4.exploratory"\nstatus = "met"\nby = "QA guild"\ndate = 2026-03-01\nnote = "risk-based charters"\n')
    code, out, err = run(["scan", str(small_repo), "--config", str(cfg), "-f", "json"], capsys)
    assert code == 0, err
    doc = json.loads(out)
    practice = next(p for p in doc["practices"] if p["id"] == "test.4.exploratory")
    assert practice["status"] == "attested"
    cited = next(e for e in doc["evidence"] if e["id"] == practice["evidence"][0])
    assert cited["locator"] == f"{cfg}:2" and "QA guild" in cited["observed"]
    cfg.write_text('[[attestations]]\npractice = "test.4.exploratory"\nstatus = "maybe"\nby = "x"\ndate = 2026-03-01\n')
    code, _, err = run(["scan", str(small_repo), "--config", str(cfg)], capsys)
    assert code == 2 and "attestation #1: status" in err
