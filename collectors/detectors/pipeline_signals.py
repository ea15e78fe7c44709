"""Signals read from the parsed CI pipelines: triggers, what jobs run, and which jobs deploy.

Every job of every active pipeline is classified command by command (`collectors.commands`),
following make targets, package scripts and repository scripts. A job is a deploy job when one
of its commands deploys, or when it declares a deployment environment that is not a package
registry. The trap "a job named deploy that only pushes an image" is therefore a publish job.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from collectors.commands import Finding, checked_out_branch, classify, creates_local_cluster
from collectors.detectors.interface import DetectionContext, Detector
from collectors.pipelines.model import AUTOMATIC_TRIGGERS, Command, Job, Pipeline

# Environments that are package registries or release channels, not places software runs.
_PUBLISH_ENVIRONMENTS = re.compile(
    r"^(pypi|testpypi|test-pypi|npm|npmjs|crates(\.io)?|rubygems|nuget|maven(-central)?|sonatype|ossrh|"
    r"docker(hub)?|ghcr|registry|publish(ing)?|release(s)?|packages?|artifacts?|homebrew|snap(craft)?|"
    r"chocolatey|vsce|marketplace|open-vsx|copilot)$",
    re.IGNORECASE,
)
_TEMPLATED = re.compile(r"\$\{\{|\$\{|\$[A-Za-z_]|\{\{")
_SYSTEM_NAMES = {
    "github-actions": "GitHub Actions workflow", "gitlab-ci": "GitLab CI pipeline", "jenkins": "Jenkinsfile",
    "teamcity": "TeamCity Kotlin DSL settings",
}
_DEPLOY_CATEGORIES = {"deploy", "provision"}
_BROWSER_INSTALL = re.compile(r"(?i)\b(playwright|cypress)(?:@[\w.^~-]+)?\s+install\b")
_DIND = re.compile(r"(?i)dind|(^|/)docker(:|@|$)")
"""Docker-in-Docker services let a job build images; they are not a system the tests integrate with."""
_E2E_TOOLS = frozenset({
    "playwright", "cypress", "selenium", "webdriverio", "testcafe", "nightwatch", "puppeteer", "detox", "maestro",
    "robotframework", "cucumber", "behave", "pytest-bdd", "behat", "gauge", "appium", "capybara", "codeceptjs",
    "codeception", "dusk", "protractor", "espresso", "xcuitest", "flutter-driver", "patrol", "newman", "karate",
    "serenity", "selenide", "taiko", "godog", "specflow", "reqnroll", "chromedp", "rod", "lettuce", "testim",
})
"""End-to-end tool names for `test.e2e`. A suite merely named e2e that a plain test runner (pytest, go,
jest, ava, a reusable workflow) runs sets `test.e2e_in_ci` but adds no name: the runner is not an e2e tool."""
_E2E_ALIASES = {"robot": "robotframework", "wdio": "webdriverio", "xcodebuild-ui": "xcuitest"}
_TEST_CATEGORIES = frozenset({"test", "integration-test", "e2e-test", "test-report"})
_DOWNSTREAM = {"gitlab-ci": "gitlab-multi-project", "buildkite": "buildkite-trigger", "jenkins": "jenkins-downstream"}


@dataclass
class _JobFacts:
    pipeline: Pipeline
    job: Job
    findings: list[tuple[Command, Finding]] = field(default_factory=list)

    def has(self, category: str) -> bool:
        return any(f.category == category for _, f in self.findings)

    def first(self, *categories: str) -> tuple[Command, Finding] | None:
        return next(((c, f) for c, f in self.findings if f.category in categories), None)

    def loc(self, command: Command | None = None) -> str:
        if command is None:
            return f"{self.pipeline.path}:{self.job.line}"
        return f"{command.path or self.pipeline.path}:{command.line}"

    @property
    def label(self) -> str:
        return f"job '{self.job.id}' of {self.pipeline.path}"


_ENV_WORDS = re.compile(
    r"(?i)(?:^|[-_ :/.])(production|prod|prd|live|staging|stage|stg|preprod|pre-prod|uat|qa|test|testing|dev|development|sandbox|preview|review)(?:$|[-_ :/.])"
)
_CANONICAL_ENV = {"prod": "production", "prd": "production", "stage": "staging", "stg": "staging", "pre-prod": "preprod", "testing": "test", "development": "dev"}
_TEST_JOB = re.compile(r"(?i)(^|[-_ :/.])(e2e|tests?|testing|integration|smoke-?tests?|acceptance|verify|ci|pr|preview|review|dry-?run|lint)($|[-_ :/.])")


_PRODUCTION_RUNNER = re.compile(r"(?i)(?:^|[-_ :/.])(production|prod|prd|live)(?:$|[-_ :/.])")


def _production_runner(job: Job) -> str | None:
    """A runner label that names production (`runs-on: [self-hosted, production]`, `prod-runner`, GitLab
    `tags: [prod]`): the job runs on the production host, so starting containers or services there deploys."""
    return next((label for label in job.runner if _PRODUCTION_RUNNER.search(label)), None)


def _environments(job: Job) -> list[str]:
    names = list(job.matrix_environments)
    if job.environment and not _TEMPLATED.search(job.environment):
        names.append(job.environment)
    return sorted({n.strip().lower() for n in names if n and n.strip()})


def _environment_from_name(job: Job) -> str | None:
    """`deploy-prod`, `Deploy to staging`: the environment a job's own name gives, if any."""
    for text in (job.id, job.name):
        m = _ENV_WORDS.search(text or "")
        if m:
            word = m.group(1).lower()
            return _CANONICAL_ENV.get(word, word)
    return None


# A documentation site published by a library's pipeline is not the product reaching production.
_DOCS = re.compile(r"(?i)(^|[-_ :/.])(docs?|documentation|mkdocs|sphinx|javadoc|typedoc|storybook)($|[-_ :/.])")
_DEPLOY_WORDS = re.compile(r"(?i)(^|[-_ :/.])(deploy(s|ment)?|rollout|roll-out|promote|promotion|ship)($|[-_ :/.])")
_TEARDOWN_WORDS = re.compile(r"(?i)(^|[-_ :/.])(clean-?up|teardown|tear-down|destroy|delete|remove|stop|notify|notifier)($|[-_ :/.])")
_ENV_TOKENS = frozenset({
    "production", "prod", "prd", "live", "staging", "stage", "stg", "preprod", "pre-prod", "uat", "qa",
    "dev", "development", "sandbox", "preview", "review", "github-pages", "int", "demo",
})


_PAGES_ENVS = frozenset({"github-pages", "gh-pages", "pages"})


def _env_like(name: str) -> bool:
    """Does an environment name look like a place software runs (`prod`, `eu-staging`, `test`)?"""
    tokens = [t for t in re.split(r"[-_ /.:]+", name.lower()) if t]
    if name.lower() in _ENV_TOKENS:
        return True
    return bool(tokens) and (tokens[0] in _ENV_TOKENS | {"test", "testing"} or tokens[-1] in _ENV_TOKENS)


def _is_deploy_environment(job: Job) -> bool:
    """A job that declares an environment deploys when the environment or the job says so.

    GitHub environments are also used only to hold secrets (`discord-notifier`), so the name
    must look like a deployment target, or the job must be named like a deployment.
    """
    if job.environment_action and job.environment_action.lower() not in ("start", "deploy"):
        return False
    envs = _environments(job) or ([job.environment] if job.environment else [])
    if not envs or all(_PUBLISH_ENVIRONMENTS.match(e) for e in envs):
        return False
    if _TEARDOWN_WORDS.search(job.id) or _TEARDOWN_WORDS.search(job.name or ""):
        return False
    if job.environment_tier or _DEPLOY_WORDS.search(job.id) or _DEPLOY_WORDS.search(job.name or ""):
        return True
    return any(_DEPLOY_WORDS.search(e) or _env_like(e) for e in envs if not _TEMPLATED.search(e)) or any(_TEMPLATED.search(e) for e in envs)


def _ancestors(pipeline: Pipeline, job: Job) -> set[str]:
    """Jobs that must finish before `job`: `needs` transitively, or earlier stages when it has no needs."""
    seen: set[str] = set()
    todo = list(job.needs)
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        other = pipeline.job(name)
        if other is not None:
            todo.extend(other.needs)
    if not job.needs and job.stage_index is not None:
        seen.update(j.id for j in pipeline.jobs if j.stage_index is not None and j.stage_index < job.stage_index)
    return seen


class PipelineSignals(Detector):
    name = "pipelines"
    provides = frozenset({
        "ci.systems", "ci.triggers", "artifacts.published", "artifacts.commit_traceable",
        "deploy.automated", "deploy.on_demand", "deploy.environments", "deploy.production",
        "deploy.continuous", "deploy.scripts", "deploy.standard_process", "deploy.orchestrators",
        "release.automation", "release.notes_generated", "db.migrations_in_ci", "db.migrations_in_deploy",
        "db.rollback_tested", "test.unit_in_ci", "test.integration_in_ci", "test.service_containers",
        "test.e2e", "test.e2e_in_ci", "test.e2e_gates_deploy", "test.performance", "test.performance_in_ci",
        "security.scanners", "security.scanners_in_ci", "quality.static_analysis_in_ci",
        "quality.coverage_in_ci", "quality.coverage_threshold", "reporting.channels",
    })

    def detect(self, ctx: DetectionContext) -> None:
        facts: list[_JobFacts] = []
        unknown_trigger_sources: list[str] = []
        for pipeline in ctx.pipelines:
            if not pipeline.active:
                ctx.warn("inactive-pipeline", f"{pipeline.path}: {pipeline.inactive_reason or 'never runs here'}; ignored", f"{pipeline.path}:{pipeline.line}")
                continue
            active_jobs = []
            for job in pipeline.jobs:
                if job.active:
                    active_jobs.append(job)
                else:
                    ctx.warn("inactive-job", f"{pipeline.path}: job '{job.id}' never runs in this repository ({job.inactive_reason}); ignored", f"{pipeline.path}:{job.line}")
            if not active_jobs and pipeline.jobs:
                continue
            ctx.emit("ci.systems", [pipeline.system], f"{pipeline.path}:{pipeline.line}", f"{_SYSTEM_NAMES.get(pipeline.system, pipeline.system + ' pipeline')} {pipeline.path}")
            self._triggers(ctx, pipeline, active_jobs)
            if not pipeline.triggers_known and not any(j.triggers for j in active_jobs):
                unknown_trigger_sources.append(pipeline.path)
            for job in active_jobs:
                jf = _JobFacts(pipeline, job)
                host = _production_runner(job) is not None
                cluster, branch = False, None
                for command in job.commands:
                    jf.findings.extend((command, f) for f in classify(command, ctx.files, job=job.name or job.id,
                                                                      pipeline=pipeline.path, host=host, local_cluster=cluster,
                                                                      git_branch=branch))
                    cluster = cluster or creates_local_cluster(command)
                    branch = checked_out_branch(command, branch)
                facts.append(jf)
        if unknown_trigger_sources:
            ctx.leave_undetermined("ci.triggers", "what starts " + ", ".join(unknown_trigger_sources) + " is configured outside the repository")
        self._job_signals(ctx, facts)
        self._deploy_signals(ctx, facts)

    @staticmethod
    def _triggers(ctx: DetectionContext, pipeline: Pipeline, jobs: list[Job]) -> None:
        triggers: dict[str, Job | None] = {}
        for job in jobs:
            for t in sorted(job.triggers):
                triggers.setdefault(t, job)
        if not pipeline.jobs:
            for t in pipeline.triggers:
                triggers.setdefault(t, None)
        for t, job in triggers.items():
            line = pipeline.trigger_lines.get(t) or (job.line if job else pipeline.line)
            who = f" (job '{job.id}')" if job is not None and t not in pipeline.trigger_lines else ""
            ctx.emit("ci.triggers", [t], f"{pipeline.path}:{line}", f"{pipeline.path} runs on {t}{who}")

    @staticmethod
    def _job_signals(ctx: DetectionContext, facts: list[_JobFacts]) -> None:
        simple = {
            "test": ("test.unit_in_ci", True),
            "integration-test": ("test.integration_in_ci", True),
            "lint": ("quality.static_analysis_in_ci", True),
            "coverage": ("quality.coverage_in_ci", True),
            "coverage-threshold": ("quality.coverage_threshold", True),
            "publish": ("artifacts.published", True),
            "commit-traceable": ("artifacts.commit_traceable", True),
            "release-notes": ("release.notes_generated", True),
            "migrate": ("db.migrations_in_ci", True),
            "migrate-rollback": ("db.rollback_tested", True),
        }
        channels = {"notify": "notification", "test-report": "test-report", "coverage-report": "coverage-report"}
        emitted: set[tuple[str, str]] = set()

        def once(key: str, value, loc: str, observed: str, dedup: str) -> None:
            if (key, dedup) not in emitted:
                emitted.add((key, dedup))
                ctx.emit(key, value, loc, observed)

        for jf in facts:
            for command, f in jf.findings:
                loc = jf.loc(command)
                what = f"{jf.label} runs {f.tool}: {f.detail}"
                if f.category in simple:
                    key, value = simple[f.category]
                    once(key, value, loc, what, f"{jf.pipeline.path}:{f.tool}")
                    if f.category == "integration-test":
                        once("test.unit_in_ci", True, loc, what, f"{jf.pipeline.path}:{f.tool}")
                    if f.category == "coverage-threshold":
                        once("quality.coverage_in_ci", True, loc, what, f"{jf.pipeline.path}:{f.tool}")
                elif f.category == "e2e-test":
                    tool = _E2E_ALIASES.get(f.tool, f.tool)
                    if tool in _E2E_TOOLS:
                        once("test.e2e", [tool], loc, what, tool)
                    once("test.e2e_in_ci", True, loc, what, tool)
                elif f.category == "performance-test":
                    once("test.performance", [f.tool], loc, what, f.tool)
                    once("test.performance_in_ci", True, loc, what, f.tool)
                elif f.category == "security-scan":
                    once("security.scanners", [f.tool], loc, what, f.tool)
                    once("security.scanners_in_ci", True, loc, what, f.tool)
                elif f.category == "release":
                    once("release.automation", [f.tool], loc, what, f.tool)
                elif f.category == "orchestrate":
                    once("deploy.orchestrators", [f.tool], loc, what, f.tool)
                elif f.category in channels:
                    once("reporting.channels", [channels[f.category]], loc, what, channels[f.category])
            coverage_report = jf.first("coverage-report")
            if coverage_report and not jf.has("coverage"):
                command, f = coverage_report
                once("quality.coverage_in_ci", True, jf.loc(command), f"{jf.label} reports test coverage ({f.tool}: {f.detail}), so coverage is collected there", jf.pipeline.path)
            browsers = next((c for c in jf.job.commands if _BROWSER_INSTALL.search(c.text)), None)
            if browsers is not None and (jf.has("test") or jf.has("integration-test")) and not jf.has("e2e-test"):
                tool = _BROWSER_INSTALL.search(browsers.text).group(1).lower()
                # Browsers installed for the job's test run: the tests drive a browser (jest + playwright).
                once("test.e2e", [tool], jf.loc(browsers), f"{jf.label} installs {tool} browsers for its tests", tool)
                once("test.e2e_in_ci", True, jf.loc(browsers), f"{jf.label} installs {tool} browsers, then runs its tests", tool)
            report = jf.first("test-report")
            if report and not jf.has("test"):
                command, f = report
                once("test.unit_in_ci", True, jf.loc(command), f"{jf.label} publishes test results ({f.tool}: {f.detail}), so tests run there", jf.pipeline.path)
            if jf.job.services:
                services = ", ".join(jf.job.services)
                once("test.service_containers", True, jf.loc(), f"{jf.label} starts service containers: {services}", jf.pipeline.path)
                backing = [s for s in jf.job.services if not _DIND.search(s)]
                if backing and (jf.has("test") or jf.has("test-report")):
                    once("test.integration_in_ci", True, jf.loc(), f"{jf.label} runs tests against service containers ({', '.join(backing)})", jf.pipeline.path)
            started = next((i for i, (_, f) in enumerate(jf.findings) if f.category == "service-containers"), None)
            if started is not None and not jf.job.services:
                command, f = jf.findings[started]
                later = [g for _, g in jf.findings[started:] if g.category in _TEST_CATEGORIES]
                if later:
                    once("test.service_containers", True, jf.loc(command), f"{jf.label} starts services in the background before its tests ({f.tool}: {f.detail})", jf.pipeline.path)
                    store = next((g for _, g in jf.findings[started:] if g.category == "service-datastore"), None)
                    if store is not None:
                        once("test.integration_in_ci", True, jf.loc(command), f"{jf.label} runs tests against the services it started ({store.detail})", jf.pipeline.path)
            if jf.job.trigger_project:
                label = _DOWNSTREAM.get(jf.pipeline.system, f"{jf.pipeline.system}-trigger")
                once("deploy.orchestrators", [label], jf.loc(), f"{jf.label} triggers the pipeline of {jf.job.trigger_project}", jf.job.trigger_project)
        # A tag pipeline that publishes is a release cut by automation, even without a release tool.
        for jf in facts:
            publish = jf.first("publish")
            if publish and (jf.job.tags_only or jf.job.triggers == frozenset({"tag"})) and not jf.has("release"):
                command, f = publish
                once("release.automation", ["tag-pipeline"], jf.loc(command), f"{jf.label} publishes ({f.tool}) when a tag is pushed", "tag-pipeline")

    def _deploy_signals(self, ctx: DetectionContext, facts: list[_JobFacts]) -> None:
        deploys = []
        for jf in facts:
            cluster = next((c for c in jf.job.commands if creates_local_cluster(c)), None)
            if cluster is not None:
                # Deploying into a kind/minikube/k3d cluster the job itself started is test set-up.
                ctx.emit("test.service_containers", True, jf.loc(cluster), f"{jf.label} starts a throwaway Kubernetes cluster for its tests ({cluster.text[:80]})")
                continue
            if jf.job.stand_in == "templates":
                # The include provides hidden templates that local jobs extend: those jobs decide.
                continue
            if jf.first(*_DEPLOY_CATEGORIES) or _is_deploy_environment(jf.job):
                deploys.append(jf)
        by_pipeline: dict[str, list[_JobFacts]] = {}
        for jf in facts:
            by_pipeline.setdefault(jf.pipeline.path, []).append(jf)
        definitions: dict[str, set[str]] = {}
        for jf in deploys:
            job = jf.job
            hit = jf.first("deploy") or jf.first(*_DEPLOY_CATEGORIES)
            loc = jf.loc(hit[0]) if hit else f"{jf.pipeline.path}:{job.environment_line or job.line}"
            how = f"{hit[1].tool}: {hit[1].detail}" if hit else f"environment '{job.environment}'"
            ctx.emit("deploy.scripts", True, loc, f"{jf.label} deploys ({how})")
            envs = _environments(job)
            for env in envs:
                ctx.emit("deploy.environments", [env], f"{jf.pipeline.path}:{job.environment_line or job.line}", f"{jf.label} deploys to environment '{env}'")
            if not envs and not job.environment:
                named = _environment_from_name(job)
                if named:
                    envs = [named]
                    ctx.emit("deploy.environments", [named], f"{jf.pipeline.path}:{job.line}", f"{jf.label} deploys to '{named}' (from the job's name; it declares no environment)")
                elif _production_runner(job) and jf.first(*_DEPLOY_CATEGORIES):
                    envs = ["production"]
                    ctx.emit("deploy.environments", envs, f"{jf.pipeline.path}:{job.line}", f"{jf.label} deploys on its runner labelled '{_production_runner(job)}' (the production host)")
            automatic = sorted(job.triggers & AUTOMATIC_TRIGGERS - {"comment"})
            if job.manual or "manual" in job.triggers or "comment" in job.triggers:
                why = "needs a person to start or approve it" if job.manual else "can be started by hand (" + ", ".join(sorted(job.triggers & {"manual", "comment"})) + ")"
                ctx.emit("deploy.on_demand", True, loc, f"{jf.label} {why}")
            if not job.manual and automatic:
                ctx.emit("deploy.automated", True, loc, f"{jf.label} deploys with no human step on {', '.join(automatic)}")
            docs_site = _DOCS.search(jf.pipeline.path) or _DOCS.search(job.id) or _DOCS.search(job.name or "") or (hit is not None and _DOCS.search(hit[1].detail))
            production = None if docs_site else self._production(ctx, job, envs, automatic)
            if production:
                ctx.emit("deploy.production", True, loc, f"{jf.label} deploys to production ({production})")
                if not job.manual and "push" in job.triggers and job.default_branch is not False and not job.tags_only:
                    ctx.emit("deploy.continuous", True, loc, f"{jf.label} deploys to production on every push to the default branch, with no manual step")
            for env in envs or ["(unnamed)"]:
                definitions.setdefault(env, set()).add(self._definition_key(jf))
            self._deploy_migrations(ctx, jf, by_pipeline[jf.pipeline.path])
            self._e2e_gate(ctx, jf, by_pipeline[jf.pipeline.path])
        self._standard_process(ctx, deploys, definitions)

    @staticmethod
    def _production(ctx: DetectionContext, job: Job, envs: list[str], automatic: list[str]) -> str | None:
        if job.environment_tier and job.environment_tier.lower() == "production":
            return f"environment tier production of '{job.environment}'"
        for env in envs:
            pattern = ctx.is_production(env)
            if pattern:
                return f"environment '{env}' matches /{pattern}/"
        # GitHub Pages has one live site: its environment is where the site is published, like an unnamed deploy.
        pages = bool(envs) and all(e.lower() in _PAGES_ENVS for e in envs)
        if job.stand_in and not pages:
            return None  # an unreadable included file judged by its name: too little to call it production
        if (
            (pages or (not envs and not job.environment)) and job.default_branch is not False
            and ("push" in job.triggers or "tag" in job.triggers)
            and not _TEST_JOB.search(job.id) and not _TEST_JOB.search(job.name or "")
        ):
            return ("the GitHub Pages site, published from the default branch or a tag" if pages
                    else "a deploy job with no environment, run from the default branch or a tag")
        return None

    @staticmethod
    def _definition_key(jf: _JobFacts) -> str:
        if jf.job.extends:
            return "extends:" + ",".join(sorted(jf.job.extends))
        if jf.job.matrix_environments or (jf.job.environment and _TEMPLATED.search(jf.job.environment)):
            return f"param:{jf.pipeline.path}:{jf.job.id}"
        shape = [re.sub(r"(?i)(prod(uction)?|stag(e|ing)|dev(elopment)?|test|qa|uat|preprod)", "ENV", c.text) for c in jf.job.commands]
        return "commands:" + "\n".join(shape)

    @staticmethod
    def _standard_process(ctx: DetectionContext, deploys: list[_JobFacts], definitions: dict[str, set[str]]) -> None:
        if not deploys:
            return
        all_defs = set().union(*definitions.values())
        named = [e for e in definitions if e != "(unnamed)"]
        first = deploys[0]
        loc = f"{first.pipeline.path}:{first.job.line}"
        if len(all_defs) == 1:
            scope = f"{len(named)} environments ({', '.join(sorted(named))})" if len(named) > 1 else "its only environment"
            ctx.emit("deploy.standard_process", True, loc, f"one deploy definition ({first.label}) serves {scope}")
        elif any(d.startswith(("param:", "extends:")) for d in all_defs) and len(all_defs) <= max(1, len(named) // 2):
            ctx.emit("deploy.standard_process", True, loc, f"deploy jobs share parameterised definitions across {len(named)} environments")

    @staticmethod
    def _deploy_migrations(ctx: DetectionContext, jf: _JobFacts, siblings: list[_JobFacts]) -> None:
        related = {jf.job.id} | set(jf.job.needs) | {s.job.id for s in siblings if jf.job.id in s.job.needs}
        for s in siblings:
            if s.job.id in related:
                hit = s.first("migrate")
                if hit:
                    command, f = hit
                    ctx.emit("db.migrations_in_deploy", True, s.loc(command), f"{s.label} applies migrations ({f.tool}) as part of the deployment of {jf.label}")
                    return

    @staticmethod
    def _e2e_gate(ctx: DetectionContext, jf: _JobFacts, siblings: list[_JobFacts]) -> None:
        before = _ancestors(jf.pipeline, jf.job)
        for s in siblings:
            if s.job.id in before or s is jf:
                hit = s.first("e2e-test")
                if hit:
                    command, f = hit
                    ctx.emit("test.e2e_gates_deploy", True, s.loc(command), f"{jf.label} runs only after {f.tool} tests in {s.label}")
                    return


DETECTORS: list[Detector] = [PipelineSignals()]
