"""Parsers of collectors/pipelines/other_ci.py: CircleCI, Travis, Azure Pipelines, Bitbucket,
Buildkite, Drone, Woodpecker, Tekton, CodeBuild, Cloud Build, AppVeyor and Semaphore."""

from __future__ import annotations

import textwrap

import pytest
import yaml

from collectors.detectors.interface import DetectionContext, RepoIdentity
from collectors.pipelines.interface import PipelineParser
from collectors.pipelines.model import Job, Pipeline
from collectors.pipelines.other_ci import PARSERS
from collectors.repofiles import MemoryRepoFiles


def make_ctx(files: dict[str, str], default_branch: str | None = "main", name: str | None = "o/r",
             host: str | None = "github.com") -> DetectionContext:
    return DetectionContext(
        files=MemoryRepoFiles({k: textwrap.dedent(v) for k, v in files.items()}),
        repo=RepoIdentity(name=name, default_branch=default_branch, host=host),
    )


def parser_for(system: str) -> PipelineParser:
    return next(p for p in PARSERS if p.system == system)


def parse(system: str, files: dict[str, str], path: str, **kw: str | None) -> list[Pipeline]:
    ctx = make_ctx(files, **kw)
    text = ctx.files.read_text(path)
    assert text is not None
    return parser_for(system).parse(path, text, ctx)


def parse_one(system: str, files: dict[str, str], path: str, **kw: str | None) -> Pipeline:
    pipelines = parse(system, files, path, **kw)
    assert len(pipelines) == 1, pipelines
    return pipelines[0]


def line_of(text: str, needle: str, nth: int = 1) -> int:
    """1-based line of the nth line of the (dedented) text that contains needle."""
    hits = [i + 1 for i, line in enumerate(textwrap.dedent(text).splitlines()) if needle in line]
    assert len(hits) >= nth, f"{needle!r} not in text"
    return hits[nth - 1]


def job(pipeline: Pipeline, job_id: str) -> Job:
    found = pipeline.job(job_id)
    assert found is not None, f"no job {job_id!r} in {[j.id for j in pipeline.jobs]}"
    return found


def shell(j: Job) -> list[tuple[str, int]]:
    return [(c.text, c.line) for c in j.commands if c.kind == "shell"]


def actions(j: Job) -> list[str]:
    return [c.text for c in j.commands if c.kind == "action"]


SYSTEM_FILES = {
    "circleci": ".circleci/config.yml",
    "travis": ".travis.yml",
    "azure-pipelines": "azure-pipelines.yml",
    "bitbucket-pipelines": "bitbucket-pipelines.yml",
    "buildkite": ".buildkite/pipeline.yml",
    "drone": ".drone.yml",
    "woodpecker": ".woodpecker.yml",
    "tekton": ".tekton/push.yaml",
    "aws-codebuild": "buildspec.yml",
    "google-cloud-build": "cloudbuild.yaml",
    "appveyor": "appveyor.yml",
    "semaphore": ".semaphore/semaphore.yml",
}


def test_one_parser_per_system() -> None:
    assert sorted(p.system for p in PARSERS) == sorted(SYSTEM_FILES)


@pytest.mark.parametrize(("system", "path"), sorted(SYSTEM_FILES.items()))
def test_broken_yaml_raises(system: str, path: str) -> None:
    ctx = make_ctx({path: "steps: [unclosed\n  - x: {\n"})
    with pytest.raises(yaml.YAMLError):
        parser_for(system).parse(path, ctx.files.read_text(path) or "", ctx)


@pytest.mark.parametrize(("system", "path"), sorted(SYSTEM_FILES.items()))
def test_top_level_list_raises_value_error(system: str, path: str) -> None:
    ctx = make_ctx({path: "- a\n- b\n"})
    with pytest.raises(ValueError):
        parser_for(system).parse(path, ctx.files.read_text(path) or "", ctx)


@pytest.mark.parametrize(("system", "path"), sorted(SYSTEM_FILES.items()))
def test_candidates_leave_out_example_folders(system: str, path: str) -> None:
    ctx = make_ctx({path: "x: 1\n", f"examples/{path}": "x: 1\n", f"docs/{path}": "x: 1\n"})
    found = parser_for(system).candidates(ctx)
    assert path in found
    assert not any(p.startswith(("examples/", "docs/")) for p in found)


def test_broken_file_becomes_a_warning_through_the_registry() -> None:
    ctx = make_ctx({".travis.yml": "script: [unclosed\n", ".drone.yml": "- a\n"})
    assert ctx.pipelines == []
    codes = sorted(w.code for w in ctx.warnings)
    assert codes == ["broken-pipeline", "broken-yaml"]


# ---------------------------------------------------------------------------------------------
# CircleCI
# ---------------------------------------------------------------------------------------------

CIRCLE = """\
version: 2.1
orbs:
  aws-ecs: circleci/aws-ecs@3.2.0
  node: circleci/node@5.1
parameters:
  run-nightly:
    type: boolean
    default: false
commands:
  install:
    steps:
      - run: npm ci
jobs:
  build:
    docker:
      - image: cimg/node:18.0
      - image: postgres:14
    steps:
      - checkout
      - install
      - run: npm test
      - run:
          name: Lint
          command: |
            npm run lint
            # a comment
            npm run \\
              typecheck
      - store_test_results:
          path: results
  deploy:
    docker: [{image: cimg/base:stable}]
    steps:
      - aws-ecs/deploy-service-update:
          cluster: prod-cluster
          family: app
  unused:
    docker: [{image: cimg/base:stable}]
    steps: [{run: echo never}]
workflows:
  main:
    jobs:
      - build:
          filters:
            tags:
              only: /^v.*/
      - hold:
          type: approval
          requires: [build]
      - deploy:
          requires: [hold]
          context: aws-production
          filters:
            branches:
              only: main
      - node/test:
          name: release
          requires: [build]
          filters:
            branches:
              ignore: /.*/
            tags:
              only: /^v.*/
  nightly:
    triggers:
      - schedule:
          cron: "0 0 * * *"
          filters:
            branches:
              only: [main]
    jobs: [build]
  on-demand:
    when: << pipeline.parameters.run-nightly >>
    jobs:
      - deploy:
          context: staging
"""


def test_circleci_candidates_only_the_main_config() -> None:
    ctx = make_ctx({".circleci/config.yml": CIRCLE, ".circleci/continue_config.yml": "x: 1\n", "circle.yml": "x: 1\n"})
    assert parser_for("circleci").candidates(ctx) == [".circleci/config.yml"]


def test_circleci_commands_lines_and_orbs() -> None:
    p = parse_one("circleci", {".circleci/config.yml": CIRCLE}, ".circleci/config.yml")
    assert p.includes == ("circleci/aws-ecs@3.2.0", "circleci/node@5.1")
    build = job(p, "build")
    # the reusable command `install` is expanded with its own line; checkout is dropped
    assert shell(build) == [
        ("npm ci", line_of(CIRCLE, "- run: npm ci")),
        ("npm test", line_of(CIRCLE, "run: npm test")),
        ("npm run lint", line_of(CIRCLE, "npm run lint")),
        ("npm run typecheck", line_of(CIRCLE, "npm run \\")),
    ]
    assert [c.text for c in build.commands if c.kind == "step"] == ["store_test_results results"]
    assert build.services == ("postgres:14",)
    deploy = job(p, "deploy")
    (orb,) = deploy.commands
    assert (orb.kind, orb.text, orb.line) == ("action", "aws-ecs/deploy-service-update", line_of(CIRCLE, "aws-ecs/deploy-service-update:"))
    assert orb.input("cluster") == "prod-cluster"


def test_circleci_triggers_filters_and_approval() -> None:
    p = parse_one("circleci", {".circleci/config.yml": CIRCLE}, ".circleci/config.yml")
    assert p.triggers == {"push", "tag", "schedule", "api"}
    assert p.trigger_lines["schedule"] == line_of(CIRCLE, "- schedule:")
    build = job(p, "build")
    assert build.triggers == {"push", "tag"} and build.default_branch is True and not build.manual
    hold = job(p, "hold")
    assert hold.manual and hold.needs == ("build",) and hold.commands == ()
    deploy = job(p, "deploy")
    assert deploy.manual, "requires the approval job"
    assert deploy.needs == ("hold",)
    assert deploy.environment == "aws-production"
    assert deploy.environment_line == line_of(CIRCLE, "context: aws-production")
    assert deploy.triggers == {"push"} and deploy.default_branch is True
    release = job(p, "release")
    assert release.tags_only and release.triggers == {"tag"} and release.default_branch is False
    assert actions(release) == ["node/test"]


def test_circleci_workflow_kinds() -> None:
    p = parse_one("circleci", {".circleci/config.yml": CIRCLE}, ".circleci/config.yml")
    nightly = job(p, "nightly/build")
    assert nightly.triggers == {"schedule"}
    on_demand = job(p, "on-demand/deploy")
    assert on_demand.triggers == {"api"} and not on_demand.manual
    assert on_demand.environment == "staging"
    unused = job(p, "unused")
    assert not unused.active and unused.inactive_reason == "not used by any workflow"


def test_circleci_default_branch_filter_and_missing_tag_filter_upstream() -> None:
    config = """\
    version: 2.1
    jobs:
      test: {docker: [{image: a}], steps: [{run: make test}]}
      publish: {docker: [{image: a}], steps: [{run: make publish}]}
    workflows:
      ci:
        jobs:
          - test
          - publish:
              requires: [test]
              filters:
                branches: {only: [develop]}
                tags: {only: /^v.*/}
    """
    p = parse_one("circleci", {".circleci/config.yml": config}, ".circleci/config.yml")
    publish = job(p, "publish")
    assert publish.default_branch is False
    assert publish.triggers == {"push"}, "tag filter is void when the required job has none"
    assert any("tag filter has no effect" in n for n in p.notes)


def test_circleci_without_workflows_runs_build_only() -> None:
    config = "version: 2\njobs:\n  build:\n    steps: [{run: make}]\n  other:\n    steps: [{run: make x}]\n"
    p = parse_one("circleci", {".circleci/config.yml": config}, ".circleci/config.yml")
    assert job(p, "build").triggers == {"push"} and job(p, "build").active
    assert not job(p, "other").active
    assert p.triggers == {"push"}


def test_circleci_setup_config_follows_the_continuation() -> None:
    setup = """\
    version: 2.1
    setup: true
    orbs:
      path-filtering: circleci/path-filtering@1.0.0
    workflows:
      setup:
        jobs:
          - path-filtering/filter:
              mapping: "src/.* run-build true"
              config-path: .circleci/continue.yml
    """
    cont = """\
    version: 2.1
    parameters:
      run-build: {type: boolean, default: false}
    jobs:
      deploy: {docker: [{image: a}], steps: [{run: ./deploy.sh}]}
    workflows:
      build:
        when: << pipeline.parameters.run-build >>
        jobs: [deploy]
    """
    pipelines = parse("circleci", {".circleci/config.yml": setup, ".circleci/continue.yml": cont}, ".circleci/config.yml")
    assert [p.path for p in pipelines] == [".circleci/config.yml", ".circleci/continue.yml"]
    first, second = pipelines
    assert any("setup: true" in n for n in first.notes)
    assert ".circleci/continue.yml" in first.includes
    deploy = job(second, "deploy")
    assert deploy.triggers == {"push"}, "the setup workflow sets the parameter on push"
    assert shell(deploy) == [("./deploy.sh", line_of(cont, "./deploy.sh"))]


# ---------------------------------------------------------------------------------------------
# Travis CI
# ---------------------------------------------------------------------------------------------

TRAVIS = """\
language: python
branches:
  only:
    - main
services: [postgresql]
install: pip install -r requirements.txt
script:
  - pytest
  - |
    flake8 .
    mypy src
stages:
  - test
  - name: deploy
    if: branch = main AND type = push
jobs:
  include:
    - stage: test
      name: unit
    - stage: deploy
      script: skip
      before_deploy: make dist
      deploy:
        - provider: heroku
          app: my-app
          on:
            branch: main
        - provider: pypi
          on:
            tags: true
    - name: nightly
      stage: bench
      if: type = cron
      script: make bench
    - name: fork-only
      if: repo = someone/else
      script: echo x
"""


def test_travis_default_triggers_and_script_lines() -> None:
    p = parse_one("travis", {".travis.yml": "language: python\nscript:\n  - pytest\n  - make lint\n"}, ".travis.yml")
    assert p.triggers == {"push", "pull_request"}
    build = job(p, "build")
    assert shell(build) == [("pytest", 3), ("make lint", 4)]
    assert build.default_branch is True
    assert any("cron" in n for n in p.notes)


def test_travis_include_stages_and_phases() -> None:
    p = parse_one("travis", {".travis.yml": TRAVIS}, ".travis.yml")
    assert p.stages == ("test", "deploy")
    unit = job(p, "unit")
    assert (unit.stage, unit.stage_index) == ("test", 0)
    assert shell(unit) == [
        ("pip install -r requirements.txt", line_of(TRAVIS, "install:")),
        ("pytest", line_of(TRAVIS, "- pytest")),
        ("flake8 .", line_of(TRAVIS, "flake8 .")),
        ("mypy src", line_of(TRAVIS, "mypy src")),
    ]
    assert unit.services == ("postgresql",)
    assert job(p, "nightly").triggers == {"schedule"}
    fork = job(p, "fork-only")
    assert not fork.active and "someone/else" in (fork.inactive_reason or "")


def test_travis_deploy_providers() -> None:
    p = parse_one("travis", {".travis.yml": TRAVIS}, ".travis.yml")
    stage_job = next(j for j in p.jobs if j.stage == "deploy" and not j.id.count(":deploy:"))
    assert stage_job.triggers == {"push"}, "the stage condition allows only pushes"
    heroku = job(p, f"{stage_job.id}:deploy:heroku")
    assert actions(heroku) == ["travis-deploy:heroku"]
    assert shell(heroku) == [("make dist", line_of(TRAVIS, "before_deploy"))]
    assert heroku.commands[1].input("app") == "my-app"
    assert heroku.default_branch is True and heroku.triggers == {"push"} and heroku.needs == (stage_job.id,)
    pypi = job(p, f"{stage_job.id}:deploy:pypi")
    assert not pypi.active, "branches.only without a regex filters tag builds out"


def test_travis_tag_deploy_and_other_branch() -> None:
    config = """\
    script: make
    deploy:
      - provider: releases
        on: {tags: true}
      - provider: s3
        on: {branch: develop}
    """
    p = parse_one("travis", {".travis.yml": config}, ".travis.yml")
    releases = job(p, "build:deploy:releases")
    assert releases.tags_only and releases.triggers == {"tag"} and releases.default_branch is False
    s3 = job(p, "build:deploy:s3")
    assert s3.default_branch is False and "pull_request" not in s3.triggers
    assert p.triggers == {"push", "pull_request", "tag"}


# ---------------------------------------------------------------------------------------------
# Azure Pipelines
# ---------------------------------------------------------------------------------------------

AZURE = """\
trigger:
  branches:
    include: [main, releases/*]
  tags:
    include: ['v*']
pr: none
schedules:
  - cron: "0 3 * * *"
    branches: {include: [main]}
resources:
  pipelines:
    - pipeline: upstream
      source: other
      trigger: true
variables:
  isMain: $[eq(variables['Build.SourceBranch'], 'refs/heads/main')]
stages:
  - stage: Build
    jobs:
      - job: Test
        steps:
          - script: |
              pip install -r requirements.txt
              pytest
          - bash: echo hi
          - template: templates/steps.yml
          - task: PublishBuildArtifacts@1
            inputs:
              PathtoPublish: dist
  - stage: Approve
    jobs:
      - job: Wait
        pool: server
        steps:
          - task: ManualValidation@0
  - stage: Deploy
    condition: and(succeeded(), eq(variables.isMain, true))
    jobs:
      - deployment: DeployWeb
        environment: production.web
        strategy:
          runOnce:
            deploy:
              steps:
                - task: AzureWebApp@1
                  inputs:
                    appName: web
                - pwsh: Write-Host done
  - stage: Dev
    dependsOn: Build
    condition: eq(variables['Build.SourceBranch'], 'refs/heads/develop')
    jobs:
      - deployment: DeployDev
        environment:
          name: dev
        strategy: {runOnce: {deploy: {steps: [{script: ./deploy.sh dev}]}}}
      - job: After
        dependsOn: DeployDev
        steps: [{script: echo after}]
  - stage: Tags
    dependsOn: Build
    condition: startsWith(variables['Build.SourceBranch'], 'refs/tags/')
    jobs:
      - job: Release
        steps: [{script: make release}]
"""
AZURE_TEMPLATE = "steps:\n  - script: make lint\n"


def test_azure_candidates() -> None:
    files = {
        "azure-pipelines.yml": "steps: []\n", ".azure-pipelines/ci.yml": "steps: []\n", "azure-pipelines/cd.yaml": "steps: []\n",
        ".pipelines/x.yml": "steps: []\n", "svc/azure-pipelines.yml": "steps: []\n", "ci/other.yml": "steps: []\n",
        ".azure-pipelines.yml": "steps: []\n", "build/azure-pipelines/release.yml": "steps: []\n",
    }
    assert parser_for("azure-pipelines").candidates(make_ctx(files)) == [
        ".azure-pipelines.yml", ".azure-pipelines/ci.yml", ".pipelines/x.yml", "azure-pipelines.yml", "azure-pipelines/cd.yaml",
        "build/azure-pipelines/release.yml", "svc/azure-pipelines.yml",
    ]


def test_azure_default_and_disabled_triggers() -> None:
    p = parse_one("azure-pipelines", {"azure-pipelines.yml": "steps:\n  - script: make\n"}, "azure-pipelines.yml")
    assert p.triggers == {"push", "pull_request"}
    assert job(p, "Job").default_branch is True
    assert shell(job(p, "Job")) == [("make", 2)]
    off = parse_one("azure-pipelines", {"azure-pipelines.yml": "trigger: none\npr: none\nsteps:\n  - script: make\n"}, "azure-pipelines.yml")
    assert off.triggers == {"manual"}
    assert job(off, "Job").manual


@pytest.mark.parametrize("host", ["dev.azure.com", "myorg.visualstudio.com", None])
def test_azure_without_pr_key_does_not_claim_pull_requests_off_github(host: str | None) -> None:
    p = parse_one("azure-pipelines", {"azure-pipelines.yml": "steps:\n  - script: make\n"}, "azure-pipelines.yml", host=host)
    assert p.triggers == {"push"}
    assert any("branch policies" in n for n in p.notes)
    explicit = parse_one("azure-pipelines", {"azure-pipelines.yml": "pr: [main]\nsteps:\n  - script: make\n"},
                         "azure-pipelines.yml", host=host)
    assert "pull_request" in explicit.triggers


def test_azure_trigger_filter_excluding_default_branch() -> None:
    text = "trigger:\n  branches:\n    include: [develop]\npr: [main]\nsteps:\n  - script: make\n"
    p = parse_one("azure-pipelines", {"azure-pipelines.yml": text}, "azure-pipelines.yml")
    assert p.triggers == {"push", "pull_request"}
    assert p.trigger_lines == {"push": 1, "pull_request": 4}
    assert job(p, "Job").default_branch is False


def test_azure_explicit_triggers_and_steps() -> None:
    p = parse_one("azure-pipelines", {"azure-pipelines.yml": AZURE, "templates/steps.yml": AZURE_TEMPLATE}, "azure-pipelines.yml")
    assert p.triggers == {"push", "tag", "schedule", "upstream"}
    assert p.trigger_lines["schedule"] == line_of(AZURE, "schedules:")
    assert p.trigger_lines["upstream"] == line_of(AZURE, "trigger: true")
    assert p.stages == ("Build", "Approve", "Deploy", "Dev", "Tags")
    assert p.includes == ("templates/steps.yml",)
    test = job(p, "Test")
    template_line = line_of(AZURE, "- template: templates/steps.yml")
    assert shell(test) == [
        ("pip install -r requirements.txt", line_of(AZURE, "pip install")),
        ("pytest", line_of(AZURE, "              pytest")),
        ("echo hi", line_of(AZURE, "bash: echo hi")),
        ("make lint", template_line),
    ]
    publish = next(c for c in test.commands if c.kind == "action")
    assert (publish.text, publish.input("PathtoPublish")) == ("PublishBuildArtifacts@1", "dist")


def test_azure_deployments_conditions_and_manual_validation() -> None:
    p = parse_one("azure-pipelines", {"azure-pipelines.yml": AZURE, "templates/steps.yml": AZURE_TEMPLATE}, "azure-pipelines.yml")
    assert job(p, "Wait").manual
    web = job(p, "DeployWeb")
    assert web.environment == "production" and web.environment_line == line_of(AZURE, "environment: production.web")
    assert web.manual, "a later stage than the ManualValidation stage"
    assert web.default_branch is True, "isMain variable resolved to a refs/heads/main comparison"
    assert "tag" not in web.triggers
    assert actions(web) == ["AzureWebApp@1"] and shell(web) == [("Write-Host done", line_of(AZURE, "pwsh:"))]
    dev = job(p, "DeployDev")
    assert dev.environment == "dev" and not dev.manual, "depends only on Build"
    assert dev.default_branch is False
    assert job(p, "After").needs == ("DeployDev",)
    release = job(p, "Release")
    assert release.tags_only and release.triggers == {"tag"}
    assert any("environments" in n for n in p.notes)


def test_azure_template_file_is_inactive_and_expanded_where_used() -> None:
    files = {
        ".azure-pipelines/ci.yml": "trigger: [main]\nsteps:\n  - template: steps/lint.yml\n",
        ".azure-pipelines/steps/lint.yml": "parameters: []\nsteps:\n  - script: make lint\n",
    }
    ci = parse_one("azure-pipelines", files, ".azure-pipelines/ci.yml")
    assert shell(job(ci, "Job")) == [("make lint", 3)]
    tmpl = parse_one("azure-pipelines", files, ".azure-pipelines/steps/lint.yml")
    assert not tmpl.active and tmpl.inactive_reason == "template included by .azure-pipelines/ci.yml"
    assert shell(tmpl.jobs[0]) == [("make lint", 3)]


def test_azure_extends_with_stages_in_parameters() -> None:
    text = """\
    extends:
      template: v1/Official.yml@templates
      parameters:
        stages:
          - stage: Ship
            jobs:
              - deployment: Prod
                environment: prod
                strategy: {runOnce: {deploy: {steps: [{script: ./ship.sh}]}}}
    """
    p = parse_one("azure-pipelines", {"azure-pipelines.yml": text}, "azure-pipelines.yml")
    prod = job(p, "Prod")
    assert prod.environment == "prod" and shell(prod) == [("./ship.sh", line_of(text, "./ship.sh"))]
    assert "v1/Official.yml@templates" in p.includes


# ---------------------------------------------------------------------------------------------
# Bitbucket Pipelines
# ---------------------------------------------------------------------------------------------

BITBUCKET = """\
definitions:
  services:
    postgres:
      image: postgres:14
  steps:
    - step: &test
        name: Test
        services: [postgres]
        script:
          - pip install -r requirements.txt
          - pytest
pipelines:
  default:
    - step: *test
  branches:
    main:
      - step: *test
      - parallel:
          - step:
              name: Lint
              script: [make lint]
          - step:
              name: Build
              script: [make build]
      - step:
          name: Deploy staging
          deployment: staging
          script:
            - pipe: atlassian/aws-s3-deploy:1.1.0
              variables:
                S3_BUCKET: my-bucket
      - step:
          name: Deploy production
          deployment: production
          trigger: manual
          script:
            - ./deploy.sh prod
      - step:
          name: Smoke
          script: [./smoke.sh]
  pull-requests:
    '**':
      - step: *test
  tags:
    'v*':
      - stage:
          name: Release
          deployment: production
          steps:
            - step:
                name: Publish
                script: [make publish]
  custom:
    rollback:
      - variables:
          - name: VERSION
      - step:
          name: Rollback
          script: [./rollback.sh $VERSION]
"""


def test_bitbucket_triggers_per_section() -> None:
    p = parse_one("bitbucket-pipelines", {"bitbucket-pipelines.yml": BITBUCKET}, "bitbucket-pipelines.yml")
    assert p.triggers == {"push", "pull_request", "tag", "manual"}
    assert p.trigger_lines["push"] == line_of(BITBUCKET, "default:")
    assert job(p, "default/Test").default_branch is False, "branches.main takes the default branch"
    assert job(p, "branches:main/Test").default_branch is True
    assert job(p, "pull-requests:**/Test").triggers == {"pull_request"}
    publish = job(p, "tags:v*/Publish")
    assert publish.tags_only and publish.environment == "production" and publish.stage == "Release"
    rollback = job(p, "custom:rollback/Rollback")
    assert rollback.manual and rollback.triggers == {"manual"}


def test_bitbucket_default_pipeline_covers_default_branch_without_branch_section() -> None:
    text = "pipelines:\n  default:\n    - step:\n        script: [make]\n  branches:\n    'release/*':\n      - step:\n          script: [make]\n"
    p = parse_one("bitbucket-pipelines", {"bitbucket-pipelines.yml": text}, "bitbucket-pipelines.yml")
    assert job(p, "default/step-1").default_branch is True
    assert job(p, "branches:release/*/step-1").default_branch is False


def test_bitbucket_steps_manual_gate_and_commands() -> None:
    p = parse_one("bitbucket-pipelines", {"bitbucket-pipelines.yml": BITBUCKET}, "bitbucket-pipelines.yml")
    test = job(p, "branches:main/Test")
    assert shell(test) == [("pip install -r requirements.txt", line_of(BITBUCKET, "- pip install")), ("pytest", line_of(BITBUCKET, "- pytest"))]
    assert test.services == ("postgres:14",)
    assert job(p, "branches:main/Lint").needs == ("branches:main/Test",)
    staging = job(p, "branches:main/Deploy staging")
    assert staging.needs == ("branches:main/Lint", "branches:main/Build")
    assert staging.environment == "staging" and staging.environment_line == line_of(BITBUCKET, "deployment: staging")
    assert not staging.manual
    (pipe,) = staging.commands
    assert (pipe.kind, pipe.text, pipe.input("S3_BUCKET")) == ("action", "atlassian/aws-s3-deploy:1.1.0", "my-bucket")
    prod = job(p, "branches:main/Deploy production")
    assert prod.manual and prod.environment == "production"
    assert shell(prod) == [("./deploy.sh prod", line_of(BITBUCKET, "./deploy.sh prod"))]
    assert job(p, "branches:main/Smoke").manual, "steps after a manual step wait for it"


# ---------------------------------------------------------------------------------------------
# Buildkite
# ---------------------------------------------------------------------------------------------

BUILDKITE = """\
steps:
  - label: ":pytest: test"
    key: test
    command:
      - pip install .
      - pytest
  - label: lint
    commands: make lint
    plugins:
      - docker#v5.9.0:
          image: python:3.11
  - wait
  - block: "Deploy?"
    branches: main
  - label: deploy
    command: ./deploy.sh production
    branches: "main"
  - input: "Version?"
    key: ask
  - label: after-input
    depends_on: ask
    command: ./release.sh
  - trigger: deploy-pipeline
    label: Trigger deploy
  - command: buildkite-agent pipeline upload .buildkite/extra.yml
"""


def test_buildkite_candidates() -> None:
    files = {".buildkite/pipeline.yml": "steps:\n  - command: buildkite-agent pipeline upload .buildkite/extra.yml\n",
             "buildkite.yml": "steps: []\n", ".buildkite/extra.yml": "steps: []\n",
             ".buildkite/release.yml": "steps: []\n", ".buildkite/templates/deploy.yml": "steps: []\n",
             ".buildkite/docker-compose.yml": "services: {}\n", ".buildkite/steps.tpl.yml": "steps: []\n"}
    # extra.yml is read as part of the pipeline that uploads it; release.yml is a pipeline of its own
    assert parser_for("buildkite").candidates(make_ctx(files)) == [".buildkite/pipeline.yml", ".buildkite/release.yml", "buildkite.yml"]


def test_buildkite_other_files_are_pipelines_only_when_they_hold_steps() -> None:
    files = {
        ".buildkite/release.yml": "steps:\n  - label: publish\n    command: npm publish\n",
        ".buildkite/agent.yml": "env:\n  FOO: bar\n",
        ".buildkite/list.yml": "- command: make\n",
    }
    release = parse_one("buildkite", files, ".buildkite/release.yml")
    assert release.triggers_known is False and [j.name for j in release.jobs] == ["publish"]
    assert parse("buildkite", files, ".buildkite/agent.yml") == []
    assert parse("buildkite", files, ".buildkite/list.yml") == []


def test_buildkite_triggers_unknown_and_steps() -> None:
    files = {".buildkite/pipeline.yml": BUILDKITE, ".buildkite/extra.yml": "steps:\n  - command: ./extra.sh\n"}
    main, extra = parse("buildkite", files, ".buildkite/pipeline.yml")
    assert not main.triggers_known and main.triggers == frozenset()
    assert all(j.triggers == frozenset() for j in main.jobs)
    assert any("outside the file" in n for n in main.notes)
    test = job(main, "test")
    assert shell(test) == [("pip install .", line_of(BUILDKITE, "- pip install .")), ("pytest", line_of(BUILDKITE, "- pytest"))]
    assert test.default_branch is None
    lint = job(main, "lint")
    assert actions(lint) == ["docker#v5.9.0"] and lint.commands[1].input("image") == "python:3.11"
    assert extra.path == ".buildkite/extra.yml" and main.includes == (".buildkite/extra.yml",)
    assert job(extra, "step-1").manual, "uploaded by a step behind the block"


def test_buildkite_block_and_input_steps() -> None:
    p = parse("buildkite", {".buildkite/pipeline.yml": BUILDKITE}, ".buildkite/pipeline.yml")[0]
    block = job(p, "Deploy?")
    assert block.manual and block.needs == ("test", "lint")
    deploy = job(p, "deploy")
    assert deploy.manual and deploy.needs == ("Deploy?",) and deploy.default_branch is True
    assert shell(deploy) == [("./deploy.sh production", line_of(BUILDKITE, "./deploy.sh production"))]
    ask = job(p, "ask")
    assert ask.manual and ask.needs == (), "an input step waits for nothing before it"
    assert job(p, "after-input").manual and job(p, "after-input").needs == ("ask",)
    trigger = job(p, "Trigger deploy")
    assert trigger.trigger_project == "deploy-pipeline"


def test_buildkite_branch_filter_excluding_default_branch() -> None:
    text = "steps:\n  - command: make\n    branches: '!main release/*'\n  - command: make x\n    if: build.branch == pipeline.default_branch\n"
    p = parse_one("buildkite", {"buildkite.yml": text}, "buildkite.yml")
    assert [j.default_branch for j in p.jobs] == [False, True]
    assert not any(j.manual for j in p.jobs)


# ---------------------------------------------------------------------------------------------
# Drone
# ---------------------------------------------------------------------------------------------

DRONE = """\
kind: pipeline
type: docker
name: default

trigger:
  branch: [main]
  event:
    include: [push, pull_request, promote]

services:
  - name: db
    image: postgres:14

steps:
  - name: test
    image: python:3.11
    commands:
      - pip install -r requirements.txt
      - pytest
  - name: publish
    image: plugins/docker:20
    settings:
      repo: org/app
    when:
      event: push
  - name: deploy
    image: alpine
    commands: [./deploy.sh]
    when:
      event: [promote]
      target: [production]
---
kind: secret
name: token
get: {path: secret/x, name: token}
---
kind: pipeline
name: nightly
trigger:
  cron: [nightly]
steps:
  - name: bench
    commands: [make bench]
---
kind: pipeline
name: other-repo
trigger:
  repo: [someone/else]
steps:
  - name: x
    commands: [make]
"""


def test_drone_defaults() -> None:
    p = parse_one("drone", {".drone.yml": "kind: pipeline\nsteps:\n  - name: t\n    image: x\n    commands: [make test]\n"}, ".drone.yml")
    assert p.triggers == {"push", "pull_request", "tag"}
    t = job(p, "t")
    assert shell(t) == [("make test", 5)] and t.default_branch is True


def test_drone_documents_triggers_and_promotion() -> None:
    default, nightly, other = parse("drone", {".drone.yml": DRONE}, ".drone.yml")
    assert default.triggers == {"push", "pull_request", "manual"}
    assert default.trigger_lines["push"] == line_of(DRONE, "trigger:")
    test = job(default, "test")
    assert shell(test) == [("pip install -r requirements.txt", line_of(DRONE, "- pip install")), ("pytest", line_of(DRONE, "- pytest"))]
    assert test.services == ("postgres:14",) and test.default_branch is True
    publish = job(default, "publish")
    assert publish.triggers == {"push"} and publish.needs == ("test",)
    (plugin,) = publish.commands
    assert (plugin.kind, plugin.text, plugin.input("repo")) == ("action", "drone-plugin:plugins/docker", "org/app")
    deploy = job(default, "deploy")
    assert deploy.manual and deploy.triggers == {"manual"} and deploy.environment == "production"
    assert nightly.triggers == {"schedule"} and nightly.line == line_of(DRONE, "name: nightly") - 1
    assert not other.active and other.inactive_reason == "repo filter excludes o/r"


def test_drone_branch_filter_excluding_default_branch() -> None:
    text = "kind: pipeline\ntrigger:\n  branch:\n    exclude: [main]\nsteps:\n  - name: t\n    commands: [make]\n"
    p = parse_one("drone", {".drone.yml": text}, ".drone.yml")
    assert job(p, "t").default_branch is False


# ---------------------------------------------------------------------------------------------
# Woodpecker
# ---------------------------------------------------------------------------------------------

WOODPECKER = """\
steps:
  test:
    image: python
    commands:
      - pytest
  publish:
    image: woodpeckerci/plugin-docker-buildx
    settings:
      repo: org/app
    when:
      - event: push
        branch: main
      - event: tag
  deploy:
    image: alpine
    commands:
      - ./deploy.sh
    when:
      event: deployment
      environment: production
"""


def test_woodpecker_candidates_and_folder_precedence() -> None:
    files = {".woodpecker.yml": "steps: [{name: a, commands: [make]}]\n", ".woodpecker/ci.yml": WOODPECKER, ".woodpecker/x/y.yml": "a: 1\n"}
    assert parser_for("woodpecker").candidates(make_ctx(files)) == [".woodpecker.yml", ".woodpecker/ci.yml"]
    single = parse_one("woodpecker", files, ".woodpecker.yml")
    assert not single.active


def test_woodpecker_events_and_deployment() -> None:
    p = parse_one("woodpecker", {".woodpecker.yml": WOODPECKER}, ".woodpecker.yml")
    assert p.triggers == {"push", "pull_request", "tag"}
    test = job(p, "test")
    assert shell(test) == [("pytest", line_of(WOODPECKER, "- pytest"))]
    publish = job(p, "publish")
    assert publish.triggers == {"push", "tag"} and publish.default_branch is True
    assert actions(publish) == ["woodpecker-plugin:woodpeckerci/plugin-docker-buildx"]
    deploy = job(p, "deploy")
    assert not deploy.active, "the default workflow events do not include deployment"
    manual = WOODPECKER.replace("steps:", "when:\n  - event: [push, deployment]\nsteps:", 1)
    deploy = job(parse_one("woodpecker", {".woodpecker.yml": manual}, ".woodpecker.yml"), "deploy")
    assert deploy.active and deploy.manual and deploy.environment == "production"


# ---------------------------------------------------------------------------------------------
# Tekton
# ---------------------------------------------------------------------------------------------

TEKTON_PUSH = """\
apiVersion: tekton.dev/v1
kind: PipelineRun
metadata:
  name: app-on-push
  annotations:
    pipelinesascode.tekton.dev/on-event: "[push, pull_request]"
    pipelinesascode.tekton.dev/on-target-branch: "[main]"
    pipelinesascode.tekton.dev/task: "[git-clone]"
spec:
  pipelineSpec:
    tasks:
      - name: fetch
        taskRef:
          resolver: hub
          params:
            - name: name
              value: git-clone
      - name: test
        runAfter: [fetch]
        taskSpec:
          steps:
            - name: unit
              image: python
              script: |
                #!/bin/bash
                set -e
                pytest
            - name: deploy
              image: bitnami/kubectl
              command: [kubectl]
              args: [apply, -f, k8s/]
"""
TEKTON_PR = """\
apiVersion: tekton.dev/v1
kind: PipelineRun
metadata:
  name: pr
  annotations:
    pipelinesascode.tekton.dev/on-cel-expression: event == "pull_request" && target_branch == "main"
spec:
  pipelineRef:
    name: shared
---
apiVersion: tekton.dev/v1
kind: Task
metadata: {name: unused-here}
spec:
  steps: [{image: a, script: echo}]
"""
TEKTON_SHARED = """\
apiVersion: tekton.dev/v1
kind: Pipeline
metadata:
  name: shared
spec:
  tasks:
    - name: build
      taskSpec:
        steps:
          - image: alpine
            command: ["sh", "-c"]
            args:
              - |
                make build
                make push
"""


def test_tekton_pac_triggers_and_steps() -> None:
    files = {".tekton/push.yaml": TEKTON_PUSH}
    p = parse_one("tekton", files, ".tekton/push.yaml")
    assert p.triggers == {"push", "pull_request"} and p.triggers_known
    assert p.trigger_lines["push"] == line_of(TEKTON_PUSH, "on-event")
    assert p.includes == ("git-clone",)
    fetch = job(p, "fetch")
    assert actions(fetch) == ["tekton-task:git-clone"]
    test = job(p, "test")
    assert test.needs == ("fetch",) and test.default_branch is True
    assert shell(test) == [
        ("set -e", line_of(TEKTON_PUSH, "set -e")),
        ("pytest", line_of(TEKTON_PUSH, "                pytest")),
        ("kubectl apply -f k8s/", line_of(TEKTON_PUSH, "command: [kubectl]")),
    ]


def test_tekton_pipeline_ref_across_files_and_plain_pipeline() -> None:
    files = {
        ".tekton/pr.yaml": TEKTON_PR, ".tekton/shared.yaml": TEKTON_SHARED,
        ".tekton/plain.yaml": "apiVersion: tekton.dev/v1\nkind: Pipeline\nmetadata: {name: lonely}\nspec:\n  tasks: [{name: a, taskRef: {name: buildah}}]\n",
    }
    assert parser_for("tekton").candidates(make_ctx(files)) == [".tekton/plain.yaml", ".tekton/pr.yaml", ".tekton/shared.yaml"]
    run = parse_one("tekton", files, ".tekton/pr.yaml")
    assert run.triggers == {"pull_request"} and run.jobs == () and "shared" in run.includes
    shared = parse_one("tekton", files, ".tekton/shared.yaml")
    assert shared.triggers == {"pull_request"} and shared.triggers_known
    build = job(shared, "build")
    assert build.default_branch is False
    assert shell(build) == [("make build", line_of(TEKTON_SHARED, "make build")), ("make push", line_of(TEKTON_SHARED, "make push"))]
    plain = parse_one("tekton", files, ".tekton/plain.yaml")
    assert not plain.triggers_known and plain.triggers == frozenset()
    assert actions(job(plain, "a")) == ["tekton-task:buildah"]


# ---------------------------------------------------------------------------------------------
# AWS CodeBuild
# ---------------------------------------------------------------------------------------------

BUILDSPEC = """\
version: 0.2
phases:
  install:
    runtime-versions: {python: 3.11}
    commands:
      - pip install -r requirements.txt
  build:
    commands:
      - pytest
      - |
        docker build -t app .
        docker push app
    finally:
      - echo done
artifacts:
  files: ['**/*']
"""


def test_codebuild_candidates() -> None:
    files = {"buildspec.yml": BUILDSPEC, "deploy/buildspec-deploy.yml": "phases: {}\n", "ci/buildspec_test.yaml": "phases: {}\n",
             "buildspecs.txt": "", "notbuildspec.yml": "a: 1\n"}
    assert parser_for("aws-codebuild").candidates(make_ctx(files)) == ["buildspec.yml", "ci/buildspec_test.yaml", "deploy/buildspec-deploy.yml"]


def test_codebuild_phases() -> None:
    p = parse_one("aws-codebuild", {"buildspec.yml": BUILDSPEC}, "buildspec.yml")
    assert not p.triggers_known and p.triggers == frozenset()
    assert [j.id for j in p.jobs] == ["install", "build"]
    build = job(p, "build")
    assert build.needs == ("install",) and build.triggers == frozenset()
    assert shell(build) == [
        ("pytest", line_of(BUILDSPEC, "- pytest")),
        ("docker build -t app .", line_of(BUILDSPEC, "docker build")),
        ("docker push app", line_of(BUILDSPEC, "docker push")),
        ("echo done", line_of(BUILDSPEC, "echo done")),
    ]
    assert [c.text for c in build.commands if c.kind == "step"] == ["codebuild-artifacts **/*"]


# ---------------------------------------------------------------------------------------------
# Google Cloud Build
# ---------------------------------------------------------------------------------------------

CLOUDBUILD = """\
steps:
  - name: gcr.io/cloud-builders/docker
    id: build
    args: ['build', '-t', 'gcr.io/$PROJECT_ID/app', '.']
  - name: gcr.io/google.com/cloudsdktool/cloud-sdk
    id: deploy
    entrypoint: bash
    args:
      - -c
      - |
        gcloud run deploy app --image gcr.io/$PROJECT_ID/app
        echo ok
  - name: python:3.11
    id: test
    waitFor: ['-']
    script: |
      pip install .
      pytest
  - name: node
    args: [npm, test]
images: ['gcr.io/$PROJECT_ID/app']
"""


def test_cloudbuild_candidates() -> None:
    files = {"cloudbuild.yaml": "steps: []\n", "deploy/cloudbuild.yml": "steps: []\n", "cloudbuild-prod.yaml": "steps: []\n", "cloud.yaml": "a: 1\n"}
    assert parser_for("google-cloud-build").candidates(make_ctx(files)) == ["cloudbuild-prod.yaml", "cloudbuild.yaml", "deploy/cloudbuild.yml"]


def test_cloudbuild_steps() -> None:
    p = parse_one("google-cloud-build", {"cloudbuild.yaml": CLOUDBUILD}, "cloudbuild.yaml")
    assert not p.triggers_known and p.triggers == frozenset()
    build = job(p, "build")
    assert actions(build) == ["gcb:gcr.io/cloud-builders/docker"]
    assert shell(build) == [("docker build -t gcr.io/$PROJECT_ID/app .", line_of(CLOUDBUILD, "args: ['build'"))]
    deploy = job(p, "deploy")
    assert deploy.needs == ("build",)
    assert shell(deploy) == [
        ("gcloud run deploy app --image gcr.io/$PROJECT_ID/app", line_of(CLOUDBUILD, "gcloud run deploy")),
        ("echo ok", line_of(CLOUDBUILD, "echo ok")),
    ]
    test = job(p, "test")
    assert test.needs == () and shell(test) == [("pip install .", line_of(CLOUDBUILD, "pip install")), ("pytest", line_of(CLOUDBUILD, "      pytest"))]
    node = job(p, "step-4")
    assert shell(node) == [] and node.commands[0].input("args") == "npm test", "unknown entrypoint: args kept as input"
    push = job(p, "push-artifacts")
    assert [c.text for c in push.commands] == ["docker push gcr.io/$PROJECT_ID/app"]


# ---------------------------------------------------------------------------------------------
# AppVeyor
# ---------------------------------------------------------------------------------------------

APPVEYOR = """\
version: 1.0.{build}
install:
  - cmd: nuget restore
  - ps: Install-Module Pester
build_script:
  - msbuild app.sln
test_script: dotnet test
deploy:
  - provider: NuGet
    on:
      APPVEYOR_REPO_TAG: true
  - provider: Environment
    name: production
    on:
      branch: main
"""


def test_appveyor_candidates() -> None:
    files = {"appveyor.yml": "a: 1\n", ".appveyor.yml": "a: 1\n", "sub/appveyor.yml": "a: 1\n"}
    assert parser_for("appveyor").candidates(make_ctx(files)) == [".appveyor.yml", "appveyor.yml"]


def test_appveyor_scripts_and_deploys() -> None:
    p = parse_one("appveyor", {"appveyor.yml": APPVEYOR}, "appveyor.yml")
    assert p.triggers == {"push", "pull_request", "tag"}
    build = job(p, "build")
    assert build.triggers == {"push", "pull_request"}
    assert shell(build) == [
        ("nuget restore", line_of(APPVEYOR, "nuget restore")), ("Install-Module Pester", line_of(APPVEYOR, "Install-Module")),
        ("msbuild app.sln", line_of(APPVEYOR, "msbuild")), ("dotnet test", line_of(APPVEYOR, "dotnet test")),
    ]
    nuget = job(p, "deploy:NuGet")
    assert nuget.tags_only and actions(nuget) == ["appveyor-deploy:NuGet"]
    env = job(p, "deploy:Environment")
    assert env.environment == "production" and env.environment_line == line_of(APPVEYOR, "name: production")
    assert env.triggers == {"push"} and env.default_branch is True


def test_appveyor_branch_only_excluding_default() -> None:
    p = parse_one("appveyor", {"appveyor.yml": "branches:\n  only: [develop]\nbuild_script: [make]\nskip_tags: true\n"}, "appveyor.yml")
    assert job(p, "build").default_branch is False


# ---------------------------------------------------------------------------------------------
# Semaphore
# ---------------------------------------------------------------------------------------------

SEMAPHORE = """\
version: v1.0
name: CI
global_job_config:
  prologue:
    commands: [checkout]
blocks:
  - name: Test
    task:
      jobs:
        - name: unit
          commands:
            - make test
  - name: Build
    run:
      when: "branch = 'release'"
    task:
      jobs:
        - name: image
          commands: [make image]
promotions:
  - name: Staging
    pipeline_file: staging.yml
    auto_promote:
      when: "result = 'passed' and branch = 'main'"
  - name: Production
    pipeline_file: production.yml
    deployment_target: production
"""
SEMAPHORE_DEPLOY = """\
version: v1.0
name: Deploy
blocks:
  - name: Deploy
    task:
      jobs:
        - name: deploy
          commands: [./deploy.sh]
"""


def test_semaphore_entry_pipeline_and_promotions() -> None:
    files = {".semaphore/semaphore.yml": SEMAPHORE, ".semaphore/staging.yml": SEMAPHORE_DEPLOY, ".semaphore/production.yml": SEMAPHORE_DEPLOY}
    assert parser_for("semaphore").candidates(make_ctx(files)) == [".semaphore/production.yml", ".semaphore/semaphore.yml", ".semaphore/staging.yml"]
    p = parse_one("semaphore", files, ".semaphore/semaphore.yml")
    assert p.triggers == {"push", "manual"}
    assert p.includes == (".semaphore/staging.yml", ".semaphore/production.yml")
    unit = job(p, "unit")
    assert shell(unit) == [("checkout", line_of(SEMAPHORE, "[checkout]")), ("make test", line_of(SEMAPHORE, "- make test"))]
    assert unit.default_branch is True and unit.stage == "Test"
    image = job(p, "image")
    assert image.needs == ("unit",) and image.default_branch is False
    staging = job(p, "Staging")
    assert not staging.manual and staging.triggers == {"push"} and staging.default_branch is True
    production = job(p, "Production")
    assert production.manual and production.environment == "production"
    assert production.environment_line == line_of(SEMAPHORE, "deployment_target")


def test_semaphore_promoted_pipelines() -> None:
    files = {".semaphore/semaphore.yml": SEMAPHORE, ".semaphore/staging.yml": SEMAPHORE_DEPLOY, ".semaphore/production.yml": SEMAPHORE_DEPLOY,
             ".semaphore/old.yml": SEMAPHORE_DEPLOY}
    staging = parse_one("semaphore", files, ".semaphore/staging.yml")
    assert staging.triggers == {"upstream"} and not job(staging, "deploy").manual
    assert job(staging, "deploy").default_branch is True
    production = parse_one("semaphore", files, ".semaphore/production.yml")
    deploy = job(production, "deploy")
    assert production.triggers == {"manual"} and deploy.manual and deploy.environment == "production"
    assert shell(deploy) == [("./deploy.sh", line_of(SEMAPHORE_DEPLOY, "./deploy.sh"))]
    old = parse_one("semaphore", files, ".semaphore/old.yml")
    assert not old.active


# ---------------------------------------------------------------------------------------------
# Shared behaviour
# ---------------------------------------------------------------------------------------------

def test_unknown_default_branch_counts_main_and_master() -> None:
    text = "pipelines:\n  branches:\n    master:\n      - step:\n          script: [make]\n"
    p = parse_one("bitbucket-pipelines", {"bitbucket-pipelines.yml": text}, "bitbucket-pipelines.yml", default_branch=None)
    assert p.jobs[0].default_branch is True


def test_heredoc_bodies_and_continuations_are_not_commands() -> None:
    text = """\
    script:
      - |
        cat > app.yaml <<EOF
        kind: Deployment
        EOF
        kubectl apply \\
          -f app.yaml
    """
    p = parse_one("travis", {".travis.yml": text}, ".travis.yml")
    assert shell(job(p, "build")) == [("cat > app.yaml <<EOF", 3), ("kubectl apply -f app.yaml", 6)]
