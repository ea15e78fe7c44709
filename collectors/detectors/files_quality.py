"""Quality and reporting signals seen in configuration files (not in CI pipelines):
`security.scanners`, `quality.coverage_threshold`, `reporting.channels`, `reporting.dashboards`."""

from __future__ import annotations

import re
from typing import Any

from collectors.detectors.dependencies import child_text, index_for, load_json, load_toml, load_xml, load_yaml, local, match_line
from collectors.detectors.interface import DetectionContext, Detector


def _name(path: str) -> str:
    return path.rsplit("/", 1)[-1]


def _line_of(text: str, pattern: re.Pattern[str]) -> tuple[int, str] | None:
    if m := pattern.search(text):
        line = match_line(text, m)
        return line, text.splitlines()[line - 1].strip()
    return None


def _ini_value(text: str, sections: tuple[str, ...], key: str) -> tuple[int, str] | None:
    """(line, value) of `key` in one of the INI `sections` (value may continue on indented lines)."""
    section = ""
    for lineno, raw in enumerate(text.splitlines(), 1):
        s = raw.strip()
        if not s or s.startswith(("#", ";")):
            continue
        if m := re.match(r"\[([^\]]+)\]\s*$", s):
            section = m.group(1).strip().lower()
            continue
        if section in sections and not raw[0].isspace():
            m = re.match(rf"{re.escape(key)}\s*[=:]\s*(.*)$", s)
            if m:
                value = m.group(1)
                for follow in text.splitlines()[lineno:]:
                    if follow[:1].isspace() and follow.strip():
                        value += " " + follow.strip()
                    else:
                        break
                return lineno, value
    return None


def _get(data: Any, *keys: str) -> Any:
    """`data[k1][k2]...`, or None when a level is missing or not a mapping."""
    for key in keys:
        if not isinstance(data, dict):
            return None
        data = data.get(key)
    return data


def _positive_number(value: Any) -> bool:
    try:
        return float(str(value).strip().rstrip("%")) > 0
    except ValueError:
        return False


class _Found:
    def __init__(self) -> None:
        self.items: dict[str, tuple[str, str]] = {}

    def add(self, tool: str, locator: str, observed: str) -> None:
        self.items.setdefault(tool, (locator, observed))

    def emit(self, ctx: DetectionContext, key: str) -> None:
        for tool in sorted(self.items):
            locator, observed = self.items[tool]
            ctx.emit(key, [tool], locator, observed)


# ---------------------------------------------------------------------------------------------
# security.scanners
# ---------------------------------------------------------------------------------------------

# Configuration files that exist only to configure a scanner (exact repository paths).
_SCANNER_FILES: dict[str, tuple[str, ...]] = {
    "renovate": (
        "renovate.json", "renovate.json5", ".renovaterc", ".renovaterc.json", ".renovaterc.json5",
        ".github/renovate.json", ".github/renovate.json5", ".gitlab/renovate.json", ".gitlab/renovate.json5",
    ),
    "snyk": (".snyk",),
    "semgrep": (".semgrep.yml", ".semgrep.yaml", "semgrep.yml", "semgrep.yaml"),
    "trivy": ("trivy.yaml", "trivy.yml", ".trivy.yaml", ".trivy.yml", ".trivyignore", ".trivyignore.yaml"),
    "gitleaks": (".gitleaks.toml", "gitleaks.toml", ".gitleaksignore"),
    "bandit": (".bandit", "bandit.yaml", "bandit.yml"),
    "checkov": (".checkov.yml", ".checkov.yaml"),
    "grype": (".grype.yaml", ".grype.yml"),
    "osv-scanner": ("osv-scanner.toml", ".osv-scanner.toml"),
    "detect-secrets": (".secrets.baseline",),
    "mend": (".whitesource",),
    "zap": (".zap/rules.tsv",),
}


# Scanners a build declares as a plugin or a development dependency (the build or a script runs them).
_SCANNER_DEPS: dict[str, tuple[str, ...]] = {
    "owasp-dependency-check": ("gradle-plugin:org.owasp.dependencycheck", "maven:org.owasp:dependency-check-maven", "maven:org.owasp:dependency-check-gradle"),
    "find-sec-bugs": ("maven:com.h3xstream.findsecbugs:*",),
    "snyk": ("maven:io.snyk:snyk-maven-plugin", "gradle-plugin:io.snyk.gradle.plugin.snykplugin", "npm:snyk"),
    "brakeman": ("rubygems:brakeman",),
    "bundler-audit": ("rubygems:bundler-audit",),
    "bandit": ("pypi:bandit",),
    "pip-audit": ("pypi:pip-audit",),
    "safety": ("pypi:safety",),
    "audit-ci": ("npm:audit-ci",),
    "roave-security-advisories": ("composer:roave/security-advisories",),
}


class SecurityScannersDetector(Detector):
    name = "security-config"
    provides = frozenset({"security.scanners"})

    def detect(self, ctx: DetectionContext) -> None:
        files = ctx.files
        found = _Found()
        self._dependabot(ctx, found)
        for tool, paths in _SCANNER_FILES.items():
            for path in paths:
                if files.exists(path):
                    found.add(tool, f"{path}:1", f"{tool} configuration {path}")
                    break
        for path in files.paths:
            if path.startswith(".semgrep/") and path.endswith((".yml", ".yaml")):
                found.add("semgrep", f"{path}:1", f"semgrep rules {path}")
            elif path.startswith(".github/codeql/") and path.endswith((".yml", ".yaml")):
                found.add("codeql", f"{path}:1", f"CodeQL configuration {path}")
        if files.exists("package.json") and "renovate" not in found.items:
            doc = load_json(ctx, "package.json")
            if doc is not None and isinstance(doc.data, dict) and isinstance(doc.data.get("renovate"), dict):
                found.add("renovate", doc.locator("renovate"), "renovate configuration in package.json")
        if files.exists("pyproject.toml") and "bandit" not in found.items:
            pyproject = load_toml(ctx, "pyproject.toml")
            tables = pyproject.data.get("tool") if pyproject is not None else None
            if pyproject is not None and isinstance(tables, dict) and isinstance(tables.get("bandit"), dict):
                found.add("bandit", pyproject.locator("tool", "bandit"), "[tool.bandit] in pyproject.toml")
        for tool, dep in index_for(ctx).classify(_SCANNER_DEPS).items():
            found.add(tool, dep.locator, f"{dep.describe()} ({tool} declared by the build)")
        found.emit(ctx, "security.scanners")

    @staticmethod
    def _dependabot(ctx: DetectionContext, found: _Found) -> None:
        for path in (".github/dependabot.yml", ".github/dependabot.yaml"):
            if not ctx.files.exists(path):
                continue
            doc = load_yaml(ctx, path)
            if doc is None or not isinstance(doc.data, dict):
                continue
            updates = doc.data.get("updates")
            if isinstance(updates, list) and updates:
                ecosystems = sorted({str(u.get("package-ecosystem")) for u in updates if isinstance(u, dict) and u.get("package-ecosystem")})
                found.add("dependabot", doc.locator("updates"), f"dependabot version updates for {', '.join(ecosystems) or 'some ecosystems'} ({path})")
                return


# ---------------------------------------------------------------------------------------------
# quality.coverage_threshold
# ---------------------------------------------------------------------------------------------

_COV_FAIL_UNDER = re.compile(r"--cov-fail-under[= ]\s*(\d+(?:\.\d+)?)")
_CODECOV_FILES = ("codecov.yml", ".codecov.yml", "codecov.yaml", ".codecov.yaml", ".github/codecov.yml", ".github/.codecov.yml", "dev/codecov.yml", ".config/codecov.yml")


class CoverageThresholdDetector(Detector):
    name = "coverage-threshold"
    provides = frozenset({"quality.coverage_threshold"})

    def detect(self, ctx: DetectionContext) -> None:
        hits: list[tuple[str, str]] = []
        for check in (self._python, self._javascript, self._jvm, self._codecov, self._other):
            hits.extend(check(ctx))
        seen: set[str] = set()
        for locator, observed in hits:
            if locator not in seen:
                seen.add(locator)
                ctx.emit("quality.coverage_threshold", True, locator, observed)

    # --- Python ---

    def _python(self, ctx: DetectionContext) -> list[tuple[str, str]]:
        files = ctx.files
        out: list[tuple[str, str]] = []
        ini_files = {".coveragerc": ("report",), "setup.cfg": ("coverage:report",), "tox.ini": ("coverage:report",)}
        for name, sections in ini_files.items():
            for path in files.named(name):
                text = files.read_text(path) or ""
                hit = _ini_value(text, sections, "fail_under")
                if hit and _positive_number(hit[1]):
                    out.append((f"{path}:{hit[0]}", f"{path} coverage fail_under = {hit[1]}"))
                for section in ("tool:pytest", "pytest"):
                    add = _ini_value(text, (section,), "addopts") if name != ".coveragerc" else None
                    if add and (m := _COV_FAIL_UNDER.search(add[1])) and _positive_number(m.group(1)):
                        out.append((f"{path}:{add[0]}", f"{path} pytest addopts {m.group(0)}"))
        for path in files.named("pytest.ini"):
            add = _ini_value(files.read_text(path) or "", ("pytest",), "addopts")
            if add and (m := _COV_FAIL_UNDER.search(add[1])) and _positive_number(m.group(1)):
                out.append((f"{path}:{add[0]}", f"{path} pytest addopts {m.group(0)}"))
        for path in files.named("pyproject.toml"):
            doc = load_toml(ctx, path)
            if doc is None:
                continue
            fail_under = _get(doc.data, "tool", "coverage", "report", "fail_under")
            if fail_under is not None and _positive_number(fail_under):
                out.append((doc.locator("tool", "coverage", "report", "fail_under"), f"{path} [tool.coverage.report] fail_under = {fail_under}"))
            addopts = _get(doc.data, "tool", "pytest", "ini_options", "addopts")
            joined = " ".join(map(str, addopts)) if isinstance(addopts, list) else addopts if isinstance(addopts, str) else ""
            if (m := _COV_FAIL_UNDER.search(joined)) and _positive_number(m.group(1)):
                out.append((doc.locator("tool", "pytest", "ini_options", "addopts"), f"{path} pytest addopts {m.group(0)}"))
        return out

    # --- JavaScript ---

    def _javascript(self, ctx: DetectionContext) -> list[tuple[str, str]]:
        files = ctx.files
        out: list[tuple[str, str]] = []
        for path in files.named("package.json"):
            doc = load_json(ctx, path)
            if doc is None or not isinstance(doc.data, dict):
                continue
            jest = doc.data.get("jest")
            if isinstance(jest, dict) and isinstance(jest.get("coverageThreshold"), dict) and jest["coverageThreshold"]:
                out.append((doc.locator("jest", "coverageThreshold"), f"{path} jest coverageThreshold"))
            nyc = doc.data.get("nyc") or doc.data.get("c8")
            if isinstance(nyc, dict) and (nyc.get("check-coverage") is True or nyc.get("checkCoverage") is True):
                section = "nyc" if "nyc" in doc.data else "c8"
                out.append((doc.locator(section), f"{path} {section} check-coverage"))
        for path in files.paths:
            name = _name(path)
            if re.match(r"jest\.config\.(js|ts|mjs|cjs|mts|cts|json)$", name):
                text = files.read_text(path) or ""
                if hit := _line_of(text, re.compile(r"\bcoverageThreshold\b")):
                    out.append((f"{path}:{hit[0]}", f"{path} sets jest coverageThreshold"))
            elif re.match(r"(vitest|vite)(\.[\w-]+)?\.config\.(js|ts|mjs|cjs|mts|cts)$", name):
                text = files.read_text(path) or ""
                start = text.find("coverage")
                if start != -1 and (hit := _line_of(text[start:], re.compile(r"\bthresholds\s*:|\b(lines|branches|functions|statements)\s*:\s*[1-9]"))):
                    line = text.count("\n", 0, start) + hit[0]
                    out.append((f"{path}:{line}", f"{path} sets coverage thresholds: {hit[1][:60]}"))
            elif name in (".nycrc", ".nycrc.json", ".c8rc", ".c8rc.json"):
                text = files.read_text(path) or ""
                if hit := _line_of(text, re.compile(r"""["']?check-coverage["']?\s*:\s*true""")):
                    out.append((f"{path}:{hit[0]}", f"{path} check-coverage: true"))
            elif name in (".nycrc.yml", ".nycrc.yaml"):
                text = files.read_text(path) or ""
                if hit := _line_of(text, re.compile(r"^[ \t]*check-coverage\s*:\s*true\b", re.M)):
                    out.append((f"{path}:{hit[0]}", f"{path} check-coverage: true"))
        return out

    # --- JVM ---

    def _jvm(self, ctx: DetectionContext) -> list[tuple[str, str]]:
        files = ctx.files
        out: list[tuple[str, str]] = []
        for path in files.named("pom.xml"):
            doc = load_xml(ctx, path)
            if doc is None:
                continue
            for plugin in doc.data.iter():
                if local(plugin.tag) != "plugin" or child_text(plugin, "artifactId") != "jacoco-maven-plugin":
                    continue
                for goal in plugin.iter():
                    if local(goal.tag) == "goal" and (goal.text or "").strip() == "check":
                        has_limit = any(local(e.tag) in ("minimum", "limit") for e in plugin.iter())
                        out.append((f"{path}:{getattr(goal, 'line', 0) or 1}", f"{path} jacoco-maven-plugin check goal" + (" with coverage limits" if has_limit else "")))
                        break
        for path in files.paths:
            if _name(path) in ("build.gradle", "build.gradle.kts"):
                text = files.read_text(path) or ""
                if "jacocoTestCoverageVerification" in text and (hit := _line_of(text, re.compile(r"\bminimum\s*(=|\()\s*[\w.(\"']*[1-9]"))):
                    out.append((f"{path}:{hit[0]}", f"{path} jacocoTestCoverageVerification rule: {hit[1][:60]}"))
                elif hit := _line_of(text, re.compile(r"\bminBound\s*\(|\bminValue\s*=")):
                    out.append((f"{path}:{hit[0]}", f"{path} kover verification bound: {hit[1][:60]}"))
        return out

    # --- codecov ---

    def _codecov(self, ctx: DetectionContext) -> list[tuple[str, str]]:
        for path in _CODECOV_FILES:
            if not ctx.files.exists(path):
                continue
            doc = load_yaml(ctx, path)
            if doc is not None and (target := _codecov_target(_get(doc.data, "coverage", "status", "project"))) is not None:
                return [(doc.locator("coverage", "status", "project"), f"{path} sets a codecov project status with target {target} (a status check; it blocks merges only where branch protection requires it)")]
        return []

    # --- others ---

    def _other(self, ctx: DetectionContext) -> list[tuple[str, str]]:
        files = ctx.files
        out: list[tuple[str, str]] = []
        for path in files.named(".testcoverage.yml", ".testcoverage.yaml"):
            doc = load_yaml(ctx, path)
            threshold = _get(doc.data, "threshold") if doc is not None else None
            if doc is not None and isinstance(threshold, dict) and any(_positive_number(v) for v in threshold.values()):
                out.append((doc.locator("threshold"), f"{path} go-test-coverage thresholds"))
        simplecov = [p for p in files.paths if _name(p) == ".simplecov" or p.endswith(("spec/spec_helper.rb", "spec/rails_helper.rb", "test/test_helper.rb"))]
        for path in simplecov:
            if hit := _line_of(files.read_text(path) or "", re.compile(r"\bminimum_coverage\b")):
                out.append((f"{path}:{hit[0]}", f"{path} SimpleCov {hit[1][:60]}"))
        for path in files.named("tarpaulin.toml", ".tarpaulin.toml"):
            if hit := _line_of(files.read_text(path) or "", re.compile(r"^[ \t]*fail-under\s*=\s*[1-9]", re.M)):
                out.append((f"{path}:{hit[0]}", f"{path} cargo-tarpaulin {hit[1]}"))
        return out


def _codecov_target(project: Any) -> str | None:
    """The project status target of a codecov.yml, unless the status is informational or off."""
    if not isinstance(project, dict):
        return None
    statuses = [v for v in project.values() if isinstance(v, dict)] or [project]
    for status in statuses:
        if status.get("informational") is True or status.get("enabled") is False:
            continue
        target = status.get("target")
        if target is not None:
            return str(target)
        if "threshold" in status:
            return f"auto (threshold {status['threshold']})"
    return None


# ---------------------------------------------------------------------------------------------
# reporting.channels
# ---------------------------------------------------------------------------------------------

_CI_BADGE = re.compile(
    r"github\.com/[\w.-]+/[\w.-]+/(actions/)?workflows/[^\s)\"'\]]+/badge\.svg"
    r"|/badges/[^\s)\"'\]]+/pipeline\.svg"
    r"|travis-ci\.(org|com)/[^\s)\"'\]]+\.svg"
    r"|circleci\.com/(gh|bb|gl|api)/[^\s)\"'\]]+(\.svg|/badge)|dl\.circleci\.com/status-badge"
    r"|(dev\.azure\.com|visualstudio\.com)/[^\s)\"'\]]*_apis/build/status"
    r"|badge\.buildkite\.com/"
    r"|buildStatus/icon"
    r"|ci\.appveyor\.com/api/projects/status"
    r"|/api/badges/[^\s)\"'\]]+/status\.svg"
    r"|img\.shields\.io/(github/(actions/)?workflow/status|github/check-runs|travis|circleci|gitlab/pipeline|azure-devops/build|jenkins/build|appveyor/build|buildkite|drone/build)"
    r"|sonarcloud\.io/api/project_badges",
    re.I,
)
_COVERAGE_BADGE = re.compile(
    r"codecov\.io/[^\s)\"'\]]*(badge|graph)[^\s)\"'\]]*|coveralls\.io/repos/[^\s)\"'\]]*badge|img\.shields\.io/(codecov|coveralls)/",
    re.I,
)


class ReportingChannelsDetector(Detector):
    name = "reporting-channels"
    provides = frozenset({"reporting.channels"})

    def detect(self, ctx: DetectionContext) -> None:
        readmes = sorted(p for p in ctx.files.all_paths() if "/" not in p and re.match(r"readme(\.\w+)?$", p, re.I))
        badge = coverage = False
        for path in readmes:
            text = ctx.files.read_text(path) or ""
            for lineno, line in enumerate(text.splitlines(), 1):
                if not badge and (m := _CI_BADGE.search(line)):
                    ctx.emit("reporting.channels", ["badge"], f"{path}:{lineno}", f"CI status badge in {path}: {m.group(0)[:100]}")
                    badge = True
                if not coverage and (m := _COVERAGE_BADGE.search(line)):
                    ctx.emit("reporting.channels", ["coverage-report"], f"{path}:{lineno}", f"coverage badge in {path}: {m.group(0)[:100]}")
                    coverage = True
        if not coverage:
            for path in _CODECOV_FILES:
                if ctx.files.exists(path):
                    ctx.emit("reporting.channels", ["coverage-report"], f"{path}:1", f"codecov configured ({path}): coverage reports are published")
                    break


# ---------------------------------------------------------------------------------------------
# reporting.dashboards
# ---------------------------------------------------------------------------------------------

_DASHBOARD_PATH = re.compile(r"(^|[/_.-])(dashboards?|grafana|monitoring|observability)([/_.-]|$)", re.I)
_TF_DASHBOARDS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("grafana", re.compile(r"""^[ \t]*resource\s+["']grafana_dashboard["']""", re.M)),
    ("datadog", re.compile(r"""^[ \t]*resource\s+["']datadog_dashboard(_json)?["']""", re.M)),
    ("newrelic", re.compile(r"""^[ \t]*resource\s+["']newrelic_one_dashboard(_json)?["']""", re.M)),
    ("cloudwatch", re.compile(r"""^[ \t]*resource\s+["']aws_cloudwatch_dashboard["']""", re.M)),
    ("google-cloud-monitoring", re.compile(r"""^[ \t]*resource\s+["']google_monitoring_dashboard["']""", re.M)),
    ("azure-dashboard", re.compile(r"""^[ \t]*resource\s+["']azurerm_(portal_)?dashboard["']""", re.M)),
)
_GRAFONNET = re.compile(r"""import\s+["'][^"']*(grafonnet|grafana-builder|grafonnet-lib)[^"']*["']""")
_GRAFANA_CRD = re.compile(r"^[ \t]*kind:\s*GrafanaDashboard\b|^[ \t]*grafana_dashboard:\s*[\"']?1", re.M)
MAX_DASHBOARD_READS = 300


class DashboardsDetector(Detector):
    name = "dashboards"
    provides = frozenset({"reporting.dashboards"})

    def detect(self, ctx: DetectionContext) -> None:
        files = ctx.files
        found = _Found()
        reads = 0
        for path in files.paths:
            if reads >= MAX_DASHBOARD_READS:
                break
            name = _name(path)
            suffix = name[name.rfind("."):] if "." in name else ""
            if suffix == ".tf":
                reads += 1
                text = files.read_text(path) or ""
                for tool, pattern in _TF_DASHBOARDS:
                    if tool not in found.items and (hit := _line_of(text, pattern)):
                        found.add(tool, f"{path}:{hit[0]}", f"terraform {hit[1].rstrip('{ ').strip()} in {path}")
            elif suffix in (".jsonnet", ".libsonnet") and "grafana" not in found.items:
                reads += 1
                if hit := _line_of(files.read_text(path) or "", _GRAFONNET):
                    found.add("grafana", f"{path}:{hit[0]}", f"grafonnet dashboard code {path}")
            elif "grafana" not in found.items and _DASHBOARD_PATH.search(path):
                if suffix == ".json":
                    reads += 1
                    self._grafana_json(ctx, path, found)
                elif suffix in (".yml", ".yaml"):
                    reads += 1
                    if hit := _line_of(files.read_text(path) or "", _GRAFANA_CRD):
                        found.add("grafana", f"{path}:{hit[0]}", f"Grafana dashboard resource {path}: {hit[1][:60]}")
        found.emit(ctx, "reporting.dashboards")

    @staticmethod
    def _grafana_json(ctx: DetectionContext, path: str, found: _Found) -> None:
        doc = load_json(ctx, path)
        if doc is None or not isinstance(doc.data, dict):
            return
        dashboard: dict[str, Any] = doc.data
        keys: tuple[str, ...] = ()
        if isinstance(doc.data.get("dashboard"), dict):  # API export format
            dashboard, keys = doc.data["dashboard"], ("dashboard",)
        if "panels" in dashboard and "schemaVersion" in dashboard or "rows" in dashboard and "schemaVersion" in dashboard:
            found.add("grafana", doc.locator(*keys, "schemaVersion"), f"Grafana dashboard JSON {path} (schemaVersion {dashboard['schemaVersion']})")


DETECTORS: list[Detector] = [SecurityScannersDetector(), CoverageThresholdDetector(), ReportingChannelsDetector(), DashboardsDetector()]
