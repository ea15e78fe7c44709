"""The signal catalog (the public contract of `signals`) and the fold from evidence to signals.

Each key declares its type, how values from several sources merge, and where it can be seen.
A key absent from the folded document means "could not be observed"; `false` or `[]` means
"looked, found none".
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Literal

from scanner.evidence import Evidence, Source

SignalType = Literal["bool", "int", "float", "str", "list"]
Merge = Literal["union", "any", "all", "max", "min", "sum", "prefer"]
Origin = Literal["files", "history"]

# When a number is merged with `prefer`, the first source in this order that has a value wins.
SOURCE_PREFERENCE: tuple[Source, ...] = (Source.JENKINS, Source.GITLAB, Source.GITHUB, Source.LOCAL)


@dataclass(frozen=True)
class SignalSpec:
    key: str
    """Dotted key, e.g. `ci.triggers`; nests as `{"ci": {"triggers": ...}}` in `signals`."""
    type: SignalType
    """The JSON type of the value."""
    merge: Merge
    """How values from several evidence records fold into one."""
    origin: Origin
    """`files` (a checkout or API file tree) or `history` (API history over the window)."""
    description: str
    """One line for the docs and `maturity signals`."""

    def default(self) -> Any:
        """The value meaning "looked, found none" (only for `files` keys)."""
        return {"bool": False, "list": [], "int": 0, "float": 0.0, "str": ""}[self.type]


def _s(key: str, type_: SignalType, origin: Origin, description: str, merge: Merge | None = None) -> SignalSpec:
    default_merge: dict[SignalType, Merge] = {"list": "union", "bool": "any", "int": "max", "float": "prefer", "str": "prefer"}
    return SignalSpec(key, type_, merge or default_merge[type_], origin, description)


CATALOG: dict[str, SignalSpec] = {
    s.key: s
    for s in (
        # --- seen in files -------------------------------------------------------------
        _s("ci.systems", "list", "files", "CI systems with an active pipeline definition: github-actions, gitlab-ci, jenkins, circleci, travis, azure-pipelines, bitbucket-pipelines, buildkite, drone, woodpecker, tekton, aws-codebuild, google-cloud-build, appveyor, semaphore, teamcity"),
        _s("ci.triggers", "list", "files", "what starts the active pipelines: push, pull_request, tag, schedule, manual, poll, upstream, api, comment, merge-queue"),
        _s("build.scripts", "list", "files", "build tools found: make, maven, gradle, npm, poetry, go, cargo, docker…"),
        _s("build.lockfiles", "bool", "files", "dependency lock files are committed"),
        _s("artifacts.published", "bool", "files", "CI publishes images, packages, release assets or CI artifacts"),
        _s("artifacts.commit_traceable", "bool", "files", "published artifacts or deployments carry the commit they were built from"),
        _s("deploy.automated", "bool", "files", "a CI job deploys with no human step (on push, tag or schedule)"),
        _s("deploy.on_demand", "bool", "files", "a deploy job exists that a person starts (workflow_dispatch, when: manual, an input step)"),
        _s("deploy.environments", "list", "files", "environment names that CI deploys to"),
        _s("deploy.production", "bool", "files", "a CI deploy job targets production (by environment name, or an unnamed deploy from the default branch)"),
        _s("deploy.continuous", "bool", "files", "a CI job deploys to production on every push to the default branch, with no human step"),
        _s("deploy.scripts", "bool", "files", "deployment is scripted: a deploy job, or a deploy script / make target that runs a deploy command"),
        _s("deploy.standard_process", "bool", "files", "one deploy definition serves every environment (shared job template, matrix, overlays)"),
        _s("deploy.manifests", "list", "files", "deployment descriptors kept in the repo: kubernetes, helm, kustomize, argo-cd, flux, nomad, heroku, fly…"),
        _s("deploy.orchestrators", "list", "files", "tools that coordinate deployments of several components: argo-cd, flux, spinnaker, gitlab-multi-project…"),
        _s("iac.tools", "list", "files", "infrastructure-as-code tools: terraform, helm, kustomize, ansible, pulumi, cloudformation, heat, crossplane, bicep…"),
        _s("release.strategies", "list", "files", "progressive delivery strategies: canary, blue-green"),
        _s("release.feature_flags", "list", "files", "feature-flag SDKs or services: openfeature, flagd, unleash, launchdarkly, flagsmith, growthbook…"),
        _s("release.automation", "list", "files", "release tools that a pipeline runs: release-please, semantic-release, goreleaser, changesets, tag-pipeline…; release-bot when a bot or app publishes the releases"),
        _s("release.notes_generated", "bool", "files", "release notes are produced by automation"),
        _s("db.datastore", "bool", "files", "the repository uses a datastore (migrations, database drivers or ORMs, database services, managed databases declared in IaC)"),
        _s("db.migration_tools", "list", "files", "versioned migration tools: alembic, flyway, liquibase, django, rails, golang-migrate, goose, prisma…"),
        _s("db.migrations_in_ci", "bool", "files", "CI applies the migrations"),
        _s("db.migrations_in_deploy", "bool", "files", "the deploy path applies the migrations (deploy job, Helm/Argo hook, release phase, app start-up)"),
        _s("db.rollback_tested", "bool", "files", "CI exercises a downgrade / rollback"),
        _s("test.unit_in_ci", "bool", "files", "CI runs automated tests"),
        _s("test.integration_in_ci", "bool", "files", "CI runs integration tests (integration suites, service containers, testcontainers)"),
        _s("test.service_containers", "bool", "files", "CI starts service containers (databases, brokers) for its jobs"),
        _s("test.e2e", "list", "files", "end-to-end / functional test tools found: playwright, cypress, selenium, webdriverio, maestro, cucumber… (plain test runners are not listed)"),
        _s("test.e2e_in_ci", "bool", "files", "CI runs the end-to-end / functional tests"),
        _s("test.e2e_gates_deploy", "bool", "files", "a deploy job runs only after end-to-end / acceptance tests passed in the same pipeline"),
        _s("test.performance", "list", "files", "performance test tools found: k6, locust, jmeter, gatling, artillery…"),
        _s("test.performance_in_ci", "bool", "files", "CI runs performance tests or benchmarks"),
        _s("security.scanners", "list", "files", "security scanners configured: codeql, dependabot, renovate, trivy, snyk, zap, semgrep, bandit, gitlab-sast…"),
        _s("security.scanners_in_ci", "bool", "files", "a security scanner runs as part of the pipeline (bots such as dependabot do not count)"),
        _s("quality.static_analysis_in_ci", "bool", "files", "CI runs linters or static analysers"),
        _s("quality.coverage_in_ci", "bool", "files", "CI collects test coverage"),
        _s("quality.coverage_threshold", "bool", "files", "a coverage minimum is enforced (fail-under, coverageThreshold, jacoco rules…)"),
        _s("reporting.channels", "list", "files", "how CI results are reported: badge, test-report, coverage-report, notification"),
        _s("reporting.dashboards", "list", "files", "dashboards kept as code: grafana, datadog, newrelic…"),
        _s("repo.version_control", "list", "files", "version control systems the checkout is under: git…"),
        _s("repo.codeowners", "bool", "files", "a CODEOWNERS file is present where the host reads it"),
        _s("repo.owners", "list", "files", "owners of the whole repository: the catch-all rule of CODEOWNERS (teams like org/team, or people)"),
        _s("repo.contributing", "bool", "files", "contribution / development process is documented (CONTRIBUTING, DEVELOPMENT, HACKING)"),
        # --- seen in API history -------------------------------------------------------
        _s("ci.default_branch.runs", "int", "history", "CI runs on the default branch in the window"),
        _s("ci.default_branch.break_median_hours", "float", "history", "median hours from a failing default-branch run to the next passing one"),
        _s("ci.default_branch.red_ratio", "float", "history", "share of the window the default branch was red"),
        _s("deploy.count", "int", "history", "successful deployments to production in the window"),
        _s("deploy.frequency_per_week", "float", "history", "production deployments per week"),
        _s("deploy.lead_time_median_hours", "float", "history", "median hours from commit to production"),
        _s("deploy.change_failure_rate", "float", "history", "failed or rolled-back production deployments / all of them"),
        _s("deploy.time_to_restore_median_hours", "float", "history", "median hours from a failed deployment to the next good one"),
        _s("deploy.rollbacks", "int", "history", "rollback deployments in the window"),
        _s("release.count", "int", "history", "releases in the window"),
        _s("release.frequency_per_month", "float", "history", "releases per month"),
        _s("process.pr_merge_share", "float", "history", "share of default-branch commits that arrived through a merged PR / MR"),
        _s("process.required_reviews", "int", "history", "required approving reviews on the default branch", merge="max"),
        _s("process.required_checks", "list", "history", "required status checks on the default branch"),
        _s("process.issues_closed", "int", "history", "issues closed in the window (an issue tracker in active use)"),
    )
}

FILE_KEYS: frozenset[str] = frozenset(k for k, s in CATALOG.items() if s.origin == "files")
HISTORY_KEYS: frozenset[str] = frozenset(k for k, s in CATALOG.items() if s.origin == "history")


def _check_type(spec: SignalSpec, value: Any) -> Any:
    ok = {
        "bool": lambda v: isinstance(v, bool),
        "int": lambda v: isinstance(v, int) and not isinstance(v, bool),
        "float": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
        "str": lambda v: isinstance(v, str),
        "list": lambda v: isinstance(v, list) and all(isinstance(x, str) for x in v),
    }[spec.type](value)
    if not ok:
        raise TypeError(f"signal {spec.key} expects {spec.type}, got {value!r}")
    return float(value) if spec.type == "float" else value


def _merge(spec: SignalSpec, items: list[Evidence]) -> Any:
    values = [_check_type(spec, e.value) for e in items]
    match spec.merge:
        case "union":
            return sorted({x for v in values for x in v})
        case "any":
            return any(values)
        case "all":
            return all(values)
        case "max":
            return max(values)
        case "min":
            return min(values)
        case "sum":
            return sum(values)
        case "prefer":
            rank = {src: i for i, src in enumerate(SOURCE_PREFERENCE)}
            best = min(items, key=lambda e: rank.get(e.source, len(rank)))
            return _check_type(spec, best.value)
    raise AssertionError(spec.merge)


def fold(evidence: Iterable[Evidence]) -> dict[str, Any]:
    """Fold evidence from every source into one nested signals document.

    Attestation evidence is not a signal and is skipped. Keys outside the catalog are kept
    (collectors may add keys) with union/any/prefer merging by their value type.
    """
    by_key: dict[str, list[Evidence]] = {}
    for e in evidence:
        if e.source == Source.ATTESTATION:
            continue
        by_key.setdefault(e.key, []).append(e)
    flat: dict[str, Any] = {}
    for key in sorted(by_key):
        spec = CATALOG.get(key) or _infer_spec(key, by_key[key][0].value)
        flat[key] = _merge(spec, by_key[key])
    return nest(flat)


def _infer_spec(key: str, value: Any) -> SignalSpec:
    t: SignalType = (
        "bool" if isinstance(value, bool) else "int" if isinstance(value, int) else
        "float" if isinstance(value, float) else "list" if isinstance(value, list) else "str"
    )
    return _s(key, t, "files", "")


def nest(flat: dict[str, Any]) -> dict[str, Any]:
    """`{"a.b": 1}` -> `{"a": {"b": 1}}`."""
    out: dict[str, Any] = {}
    for key, value in flat.items():
        node = out
        *parents, leaf = key.split(".")
        for p in parents:
            node = node.setdefault(p, {})
        node[leaf] = value
    return out


def flatten(nested: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    out: dict[str, Any] = {}
    for k, v in nested.items():
        key = f"{prefix}{k}"
        if isinstance(v, dict):
            out.update(flatten(v, key + "."))
        else:
            out[key] = v
    return out
