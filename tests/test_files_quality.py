"""security.scanners, quality.coverage_threshold, reporting.channels, reporting.dashboards seen in files."""

from __future__ import annotations

from detector_helpers import run_module, tools

from collectors.detectors import files_quality
from collectors.detectors.interface import DetectionContext
from scanner.signals import CATALOG


def run(files: dict[str, str | bytes]) -> DetectionContext:
    return run_module(files_quality, files)



def locators(ctx: DetectionContext, key: str) -> list[str]:
    out = []
    for e in ctx.evidence:
        if e.key == key:
            assert e.value is True
            out.append(e.locator)
    return out


def test_provides_are_catalog_keys():
    for detector in files_quality.DETECTORS:
        assert detector.provides <= set(CATALOG)


# --- security scanners -----------------------------------------------------------------------


def test_security_scanner_configs():
    ctx = run({
        ".github/dependabot.yml": "version: 2\nupdates:\n  - package-ecosystem: pip\n    directory: /\n    schedule: {interval: weekly}\n",
        ".github/renovate.json5": "{extends: ['config:recommended']}\n",
        ".snyk": "version: v1.25.0\n",
        ".semgrep/rules.yml": "rules: []\n",
        ".github/codeql/codeql-config.yml": "name: x\n",
        ".trivyignore": "CVE-2020-1\n",
        ".gitleaks.toml": "title = 'x'\n",
        "pyproject.toml": "[project]\nname = 'x'\n\n[tool.bandit]\nskips = ['B101']\n",
    })
    assert tools(ctx, "security.scanners") == {
        "dependabot": ".github/dependabot.yml:2",
        "renovate": ".github/renovate.json5:1",
        "snyk": ".snyk:1",
        "semgrep": ".semgrep/rules.yml:1",
        "codeql": ".github/codeql/codeql-config.yml:1",
        "trivy": ".trivyignore:1",
        "gitleaks": ".gitleaks.toml:1",
        "bandit": "pyproject.toml:4",
    }
    [dependabot] = [e for e in ctx.evidence if e.value == ["dependabot"]]
    assert "pip" in dependabot.observed


def test_renovate_in_package_json_and_negatives():
    ctx = run({"package.json": '{\n  "name": "x",\n  "renovate": {"extends": ["config:base"]}\n}'})
    assert tools(ctx, "security.scanners") == {"renovate": "package.json:3"}
    ctx = run({
        ".github/dependabot.yml": "version: 2\nupdates: []\n",
        "README.md": "We scan with snyk, trivy and semgrep.\n",
        "docs/renovate.json": "{}",
        "src/bandit.py": "x = 1\n",
    })
    assert tools(ctx, "security.scanners") == {}


def test_broken_dependabot_config_warns():
    ctx = run({".github/dependabot.yml": "version: 2\nupdates:\n  - [\n", ".snyk": "v\n"})
    assert tools(ctx, "security.scanners") == {"snyk": ".snyk:1"}
    assert [w.code for w in ctx.warnings] == ["broken-yaml"]
    assert ctx.warnings[0].locator.startswith(".github/dependabot.yml")


# --- coverage thresholds ---------------------------------------------------------------------


def test_python_coverage_thresholds():
    assert locators(run({".coveragerc": "[run]\nbranch = True\n\n[report]\nfail_under = 85\n"}), "quality.coverage_threshold") == [".coveragerc:5"]
    assert locators(run({".coveragerc": "[report]\nfail_under = 0\n"}), "quality.coverage_threshold") == []
    assert locators(run({"setup.cfg": "[metadata]\nname = x\n[coverage:report]\nfail_under = 90\n"}), "quality.coverage_threshold") == ["setup.cfg:4"]
    assert locators(run({"pyproject.toml": "[tool.coverage.report]\nshow_missing = true\nfail_under = 75.5\n"}), "quality.coverage_threshold") == ["pyproject.toml:3"]
    assert locators(run({"pyproject.toml": '[tool.pytest.ini_options]\naddopts = ["-ra", "--cov=app", "--cov-fail-under=80"]\n'}), "quality.coverage_threshold") == ["pyproject.toml:2"]
    assert locators(run({"pytest.ini": "[pytest]\naddopts =\n    --cov=app\n    --cov-fail-under 70\n"}), "quality.coverage_threshold") == ["pytest.ini:2"]
    assert locators(run({"setup.cfg": "[tool:pytest]\naddopts = --cov=app\n"}), "quality.coverage_threshold") == []


def test_javascript_coverage_thresholds():
    pkg = '{\n  "jest": {\n    "coverageThreshold": {"global": {"lines": 80}}\n  }\n}'
    assert locators(run({"package.json": pkg}), "quality.coverage_threshold") == ["package.json:3"]
    assert locators(run({"package.json": '{"jest": {"collectCoverage": true}}'}), "quality.coverage_threshold") == []
    assert locators(run({"web/jest.config.ts": "export default {\n  collectCoverage: true,\n  coverageThreshold: { global: { lines: 90 } },\n}\n"}), "quality.coverage_threshold") == ["web/jest.config.ts:3"]
    vitest = "export default defineConfig({\n  test: {\n    coverage: {\n      provider: 'v8',\n      thresholds: { lines: 80 },\n    },\n  },\n})\n"
    assert locators(run({"vitest.config.ts": vitest}), "quality.coverage_threshold") == ["vitest.config.ts:5"]
    assert locators(run({"vitest.config.ts": "export default { test: { coverage: { provider: 'v8' } } }\n"}), "quality.coverage_threshold") == []
    assert locators(run({".nycrc": '{\n  "all": true,\n  "check-coverage": true,\n  "lines": 80\n}'}), "quality.coverage_threshold") == [".nycrc:3"]


def test_codecov_project_status_target():
    ctx = run({"codecov.yml": "coverage:\n  status:\n    project:\n      default:\n        target: 80%\n"})
    [e] = [e for e in ctx.evidence if e.key == "quality.coverage_threshold"]
    assert e.locator == "codecov.yml:3" and "status check" in e.observed
    informational = "coverage:\n  status:\n    project:\n      default:\n        target: 80%\n        informational: true\n"
    assert locators(run({"codecov.yml": informational}), "quality.coverage_threshold") == []
    assert locators(run({".codecov.yml": "comment: false\n"}), "quality.coverage_threshold") == []


def test_jvm_coverage_rules():
    pom = (
        "<project>\n"
        "  <build><plugins>\n"
        "    <plugin>\n"
        "      <groupId>org.jacoco</groupId>\n"
        "      <artifactId>jacoco-maven-plugin</artifactId>\n"
        "      <executions>\n"
        "        <execution><id>report</id><goals><goal>report</goal></goals></execution>\n"
        "        <execution><id>check</id>\n"
        "          <goals>\n"
        "            <goal>check</goal>\n"
        "          </goals>\n"
        "          <configuration><rules><rule><limits><limit><minimum>0.80</minimum></limit></limits></rule></rules></configuration>\n"
        "        </execution>\n"
        "      </executions>\n"
        "    </plugin>\n"
        "  </plugins></build>\n"
        "</project>\n"
    )
    ctx = run({"pom.xml": pom})
    [e] = [e for e in ctx.evidence if e.key == "quality.coverage_threshold"]
    assert e.locator == "pom.xml:10" and "limits" in e.observed
    report_only = pom.replace("<goal>check</goal>", "<goal>report-aggregate</goal>")
    assert locators(run({"pom.xml": report_only}), "quality.coverage_threshold") == []
    gradle = "plugins { id 'jacoco' }\njacocoTestCoverageVerification {\n  violationRules {\n    rule { limit { minimum = 0.8 } }\n  }\n}\n"
    assert locators(run({"build.gradle": gradle}), "quality.coverage_threshold") == ["build.gradle:4"]


def test_other_coverage_thresholds():
    assert locators(run({".testcoverage.yml": "profile: cover.out\nthreshold:\n  file: 70\n  total: 80\n"}), "quality.coverage_threshold") == [".testcoverage.yml:2"]
    assert locators(run({"spec/spec_helper.rb": "require 'simplecov'\nSimpleCov.start do\n  minimum_coverage 90\nend\n"}), "quality.coverage_threshold") == ["spec/spec_helper.rb:3"]


def test_broken_coverage_config_warns_and_goes_on():
    ctx = run({"pyproject.toml": "[tool.coverage.report\nfail_under = 80", ".coveragerc": "[report]\nfail_under = 60\n"})
    assert locators(ctx, "quality.coverage_threshold") == [".coveragerc:2"]
    assert [w.code for w in ctx.warnings] == ["broken-toml"]


# --- reporting channels ----------------------------------------------------------------------


def test_readme_badges():
    readme = (
        "# Project\n"
        "\n"
        "[![CI](https://github.com/acme/app/actions/workflows/ci.yml/badge.svg)](https://github.com/acme/app/actions)\n"
        "[![codecov](https://codecov.io/gh/acme/app/branch/main/graph/badge.svg)](https://codecov.io/gh/acme/app)\n"
    )
    ctx = run({"README.md": readme})
    assert tools(ctx, "reporting.channels") == {"badge": "README.md:3", "coverage-report": "README.md:4"}


def test_other_ci_badges():
    for url in (
        "https://gitlab.com/acme/app/badges/main/pipeline.svg",
        "https://dev.azure.com/acme/app/_apis/build/status/app?branchName=main",
        "https://circleci.com/gh/acme/app.svg?style=svg",
        "https://app.travis-ci.com/acme/app.svg?branch=main",
        "https://jenkins.example.com/buildStatus/icon?job=app",
        "https://badge.buildkite.com/abc123.svg",
    ):
        assert tools(run({"README.rst": f".. image:: {url}\n"}), "reporting.channels") == {"badge": "README.rst:1"}, url


def test_codecov_config_is_a_coverage_report_channel_and_negatives():
    assert tools(run({"codecov.yml": "comment: false\n"}), "reporting.channels") == {"coverage-report": "codecov.yml:1"}
    ctx = run({
        "README.md": "See https://github.com/acme/app/actions for builds.\n```yaml\nruns-on: ubuntu-latest\n```\n",
        "pkg/README.md": "![CI](https://github.com/acme/app/actions/workflows/ci.yml/badge.svg)\n",
    })
    assert tools(ctx, "reporting.channels") == {}


# --- dashboards ------------------------------------------------------------------------------


def test_dashboards_as_code():
    ctx = run({
        "monitoring/dashboards/api.json": '{\n  "title": "API",\n  "panels": [],\n  "schemaVersion": 39\n}',
        "infra/monitoring.tf": 'resource "datadog_dashboard" "api" {\n  title = "API"\n}\n\nresource "aws_cloudwatch_dashboard" "main" {\n}\n',
        "infra/newrelic.tf": 'resource "newrelic_one_dashboard" "x" {\n}\n',
    })
    assert tools(ctx, "reporting.dashboards") == {
        "grafana": "monitoring/dashboards/api.json:4",
        "datadog": "infra/monitoring.tf:1",
        "cloudwatch": "infra/monitoring.tf:5",
        "newrelic": "infra/newrelic.tf:1",
    }


def test_grafana_crd_jsonnet_and_api_export():
    assert tools(run({"deploy/grafana/dash.yaml": "apiVersion: grafana.integreatly.org/v1beta1\nkind: GrafanaDashboard\n"}), "reporting.dashboards") == {"grafana": "deploy/grafana/dash.yaml:2"}
    assert tools(run({"mixin/dashboards.libsonnet": "local grafana = import 'github.com/grafana/grafonnet/gen/grafonnet-latest/main.libsonnet';\n"}), "reporting.dashboards") == {"grafana": "mixin/dashboards.libsonnet:1"}
    export = '{"dashboard": {\n "panels": [],\n "schemaVersion": 30}, "overwrite": true}'
    assert tools(run({"grafana/export.json": export}), "reporting.dashboards") == {"grafana": "grafana/export.json:3"}


def test_dashboard_negatives_and_broken_json():
    ctx = run({
        "src/data/panels.json": '{"panels": [], "schemaVersion": 1}',  # not in a dashboard folder: never read
        "dashboards/config.json": '{"title": "not a dashboard"}',
        "dashboards/broken.json": '{"panels": [',
        "README.md": "We have a grafana dashboard.\n",
        "infra/main.tf": 'resource "aws_s3_bucket" "b" {}\n# datadog_dashboard later\n',
    })
    assert tools(ctx, "reporting.dashboards") == {}
    assert "src/data/panels.json" not in ctx.files._text
    assert [(w.code, w.locator.split(":")[0]) for w in ctx.warnings] == [("broken-json", "dashboards/broken.json")]


def test_security_scanners_declared_as_build_plugins_or_dev_dependencies():
    ctx = run({
        "build.gradle": "plugins {\n  id 'java'\n  id 'org.owasp.dependencycheck' version '8.2.1'\n}\n",
        "Gemfile": "source 'https://rubygems.org'\ngem 'rails'\ngroup :development do\n  gem 'brakeman', require: false\nend\n",
    })
    assert tools(ctx, "security.scanners") == {"owasp-dependency-check": "build.gradle:3", "brakeman": "Gemfile:4"}
