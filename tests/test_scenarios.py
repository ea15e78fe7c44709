"""End-to-end: small repositories on disk, scanned by the local collector, and the traps of SIGNALS.md."""

from __future__ import annotations

import json

import pytest

from collectors.local import LocalCollector
from scanner.cli import main
from scanner.signals import flatten, fold


def scan(root):
    c = LocalCollector().collect(str(root))
    return flatten(fold(c.evidence)), c


def evidence_for(c, key):
    return [e for e in c.evidence if e.key == key and e.value not in (False, [], 0)]


GHA_CI = """\
name: ci
on:
  push:
    branches: [main]
  pull_request:
jobs:
  test:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - run: make test
      - run: ruff check .
"""


def test_github_actions_push_and_pr_with_tests_through_make(make_repo):
    root = make_repo({".github/workflows/ci.yml": GHA_CI, "Makefile": "test:\n\tpytest --cov=app\n", "pyproject.toml": "[project]\nname='a'\n", "uv.lock": "x"})
    s, c = scan(root)
    assert s["ci.systems"] == ["github-actions"]
    assert s["ci.triggers"] == ["pull_request", "push"]
    assert s["test.unit_in_ci"] is True and s["quality.coverage_in_ci"] is True
    assert s["quality.static_analysis_in_ci"] is True
    assert s["build.lockfiles"] is True
    unit = evidence_for(c, "test.unit_in_ci")[0]
    assert unit.locator == ".github/workflows/ci.yml:11"
    assert "Makefile" in unit.observed


def test_jenkinsfile_with_pollscm_is_polling_ci_not_commit_hook(make_repo, capsys):
    root = make_repo({
        "Jenkinsfile": "pipeline {\n  agent any\n  triggers {\n    pollSCM('H/15 * * * *')\n  }\n  stages {\n    stage('Build') {\n      steps {\n        sh 'mvn -B verify'\n      }\n    }\n  }\n}\n",
        "pom.xml": "<project><modelVersion>4.0.0</modelVersion><groupId>a</groupId><artifactId>b</artifactId><version>1</version></project>",
    })
    s, c = scan(root)
    assert s["ci.systems"] == ["jenkins"]
    assert s["ci.triggers"] == ["poll"]
    assert evidence_for(c, "ci.triggers")[0].locator == "Jenkinsfile:4"
    assert s["test.unit_in_ci"] is True
    assert main(["scan", str(root), "-f", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    status = {p["id"]: p["status"] for p in doc["practices"]}
    assert status["build.2.ci-builds"] == "met"
    assert status["build.3.commit-hook-ci"] == "not_met"


DEPLOY_GUARDED = """\
on:
  push:
    branches: [main]
jobs:
  deploy:
    if: github.repository == 'upstream/app'
    runs-on: ubuntu-latest
    environment: production
    steps:
      - run: kubectl apply -f k8s/
"""


def test_deploy_job_guarded_for_another_repository_does_not_count_in_a_fork(make_repo):
    fork = make_repo({".github/workflows/deploy.yml": DEPLOY_GUARDED}, remote="git@github.com:someone/app.git")
    s, c = scan(fork)
    assert s["deploy.automated"] is False and s["deploy.production"] is False
    assert any(w.code == "inactive-job" and "upstream/app" in w.message for w in c.warnings)
    upstream = make_repo({".github/workflows/deploy.yml": DEPLOY_GUARDED}, remote="https://github.com/upstream/app.git")
    s2, c2 = scan(upstream)
    assert s2["deploy.automated"] is True and s2["deploy.production"] is True and s2["deploy.continuous"] is True
    assert s2["deploy.environments"] == ["production"]
    assert evidence_for(c2, "deploy.automated")[0].locator == ".github/workflows/deploy.yml:10"


def test_example_fixture_docs_and_readme_pipelines_are_not_evidence(make_repo):
    root = make_repo({
        "examples/demo/.github/workflows/ci.yml": GHA_CI,
        "docs/ci/.gitlab-ci.yml": "test:\n  script: [pytest]\n",
        "testdata/Jenkinsfile": "pipeline { triggers { pollSCM('* * * * *') } }\n",
        "README.md": "Use this:\n\n```yaml\non: push\njobs:\n  t:\n    runs-on: x\n    steps:\n      - run: pytest\n```\n",
    })
    s, _ = scan(root)
    assert s["ci.systems"] == [] and s["ci.triggers"] == [] and s["test.unit_in_ci"] is False


def test_dead_configuration_does_not_count(make_repo):
    root = make_repo({
        "Jenkinsfile.old": "pipeline { triggers { pollSCM('* * * * *') } stages { stage('d') { steps { sh 'kubectl apply -f x' } } } }\n",
        ".releaserc.json": '{"branches": ["main"]}',
        "package.json": '{"name": "x", "devDependencies": {"semantic-release": "^24"}}',
    })
    s, _ = scan(root)
    assert s["ci.systems"] == [] and s["release.automation"] == []
    root2 = make_repo({
        ".releaserc.json": '{"branches": ["main"]}',
        "package.json": '{"name": "x", "scripts": {"release": "semantic-release"}, "devDependencies": {"semantic-release": "^24"}}',
        ".github/workflows/release.yml": "on:\n  push:\n    branches: [main]\njobs:\n  r:\n    runs-on: ubuntu-latest\n    steps:\n      - run: npx semantic-release\n",
    })
    s2, _ = scan(root2)
    assert s2["release.automation"] == ["semantic-release"]
    assert s2["release.notes_generated"] is True


def test_a_job_named_deploy_that_only_pushes_an_image_is_publishing(make_repo):
    root = make_repo({".github/workflows/deploy.yml": """\
on:
  push:
    branches: [main]
jobs:
  deploy:
    runs-on: ubuntu-latest
    steps:
      - run: docker build -t ghcr.io/acme/app:${{ github.sha }} .
      - run: docker push ghcr.io/acme/app:${{ github.sha }}
"""})
    s, _ = scan(root)
    assert s["artifacts.published"] is True
    assert s["artifacts.commit_traceable"] is True
    assert s["deploy.automated"] is False and s["deploy.scripts"] is False


def test_canary_and_locust_words_in_unrelated_files_are_not_signals(make_repo):
    root = make_repo({
        "README.md": "We do canary releases and load test with locust. Blue-green soon.\n",
        "src/app.py": "# canary bird\nMODE = 'canary'\nimport os\n",
        "config/settings.yaml": "release:\n  strategy: canary\n",
        "k8s/cm.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\ndata:\n  strategy: canary\n",
    })
    s, _ = scan(root)
    assert s["release.strategies"] == [] and s["test.performance"] == []


def test_real_rollout_counts_but_not_under_examples(make_repo):
    rollout = "apiVersion: argoproj.io/v1alpha1\nkind: Rollout\nmetadata: {name: app}\nspec:\n  strategy:\n    canary:\n      steps:\n        - setWeight: 20\n"
    s, c = scan(make_repo({"deploy/rollout.yaml": rollout}))
    assert s["release.strategies"] == ["canary"]
    assert evidence_for(c, "release.strategies")[0].locator.startswith("deploy/rollout.yaml:")
    s2, _ = scan(make_repo({"examples/rollout.yaml": rollout}))
    assert s2["release.strategies"] == []


def test_broken_yaml_is_a_warning_and_the_scan_goes_on(make_repo):
    root = make_repo({
        ".github/workflows/broken.yml": "on: [push\njobs:\n  x: {\n",
        ".github/workflows/ci.yml": GHA_CI,
        "Makefile": "test:\n\tpytest\n",
    })
    s, c = scan(root)
    assert s["ci.systems"] == ["github-actions"] and s["test.unit_in_ci"] is True
    broken = [w for w in c.warnings if w.code == "broken-yaml"]
    assert broken and broken[0].locator.startswith(".github/workflows/broken.yml")


def test_gitlab_manual_production_deploy_is_on_demand_not_automated(make_repo):
    root = make_repo({".gitlab-ci.yml": """\
stages: [test, deploy]
test:
  stage: test
  script:
    - pytest
deploy-prod:
  stage: deploy
  script:
    - helm upgrade --install app ./chart
  environment:
    name: production
  when: manual
  rules:
    - if: $CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH
"""})
    s, _ = scan(root)
    assert s["ci.systems"] == ["gitlab-ci"]
    assert s["deploy.on_demand"] is True and s["deploy.automated"] is False
    assert s["deploy.environments"] == ["production"]
    assert s["deploy.continuous"] is False


def test_migrations_applied_by_the_deploy_job_and_data_area(make_repo, capsys):
    root = make_repo({
        "alembic.ini": "[alembic]\nscript_location = migrations\n",
        "migrations/env.py": "from alembic import context\n",
        "migrations/versions/001_init.py": "revision = '001'\ndef upgrade():\n    pass\ndef downgrade():\n    pass\n",
        "pyproject.toml": "[project]\nname = 'svc'\ndependencies = ['sqlalchemy', 'psycopg[binary]']\n",
        ".github/workflows/deploy.yml": """\
on:
  push:
    branches: [main]
jobs:
  deploy:
    runs-on: ubuntu-latest
    environment: production
    steps:
      - run: alembic upgrade head
      - run: kubectl set image deployment/svc svc=ghcr.io/acme/svc:${{ github.sha }}
""",
    })
    s, _ = scan(root)
    assert s["db.datastore"] is True and s["db.migration_tools"] == ["alembic"]
    assert s["db.migrations_in_ci"] is True and s["db.migrations_in_deploy"] is True
    assert main(["scan", str(root), "-f", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    status = {p["id"]: p["status"] for p in doc["practices"]}
    assert status["data.4.migrations-in-deploy"] == "met"
    assert status["data.5.rollback-tested"] == "not_met"


def test_repository_without_a_datastore_has_data_not_applicable(make_repo, capsys):
    root = make_repo({"main.go": "package main\n", "go.mod": "module x\n\ngo 1.22\n"})
    assert main(["scan", str(root), "-f", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    data = next(a for a in doc["areas"] if a["id"] == "data")
    assert data["applicable"] is False
    assert {p["status"] for p in doc["practices"] if p["area"] == "data"} == {"not_applicable"}


@pytest.mark.parametrize(
    ("files", "key", "value"),
    [
        ({"Chart.yaml": "apiVersion: v2\nname: a\nversion: 0.1.0\n"}, "iac.tools", ["helm"]),
        ({"main.tf": 'resource "aws_s3_bucket" "b" {\n  bucket = "x"\n}\n'}, "iac.tools", ["terraform"]),
        ({"package.json": '{"name": "w", "dependencies": {"@openfeature/server-sdk": "1"}}'}, "release.feature_flags", ["openfeature"]),
        ({".github/dependabot.yml": "version: 2\nupdates:\n  - package-ecosystem: pip\n    directory: /\n    schedule: {interval: weekly}\n"}, "security.scanners", ["dependabot"]),
        ({".github/CODEOWNERS": "* @team\n"}, "repo.codeowners", True),
        ({"CONTRIBUTING.md": "# How\n"}, "repo.contributing", True),
    ],
)
def test_file_detectors_through_the_collector(make_repo, files, key, value):
    s, _ = scan(make_repo(files))
    assert s[key] == value


def test_environments_used_only_for_secrets_are_not_deployments(make_repo):
    root = make_repo({".github/workflows/x.yml": """\
on:
  push:
    branches: [main]
jobs:
  notify:
    runs-on: ubuntu-latest
    environment: discord-notifier
    steps:
      - run: ./scripts/notify.sh
  perf:
    runs-on: ubuntu-latest
    environment: migrations-perf-test
    steps:
      - run: python bench.py
  cleanup:
    runs-on: ubuntu-latest
    environment: staging
    steps:
      - run: ./scripts/cleanup.sh
  ship:
    runs-on: ubuntu-latest
    environment: eu-staging
    steps:
      - uses: acme/internal-deploy@v1
"""})
    s, c = scan(root)
    assert s["deploy.environments"] == ["eu-staging"]
    assert s["deploy.automated"] is True and s["deploy.production"] is False
    assert [e.locator for e in evidence_for(c, "deploy.automated")] == [".github/workflows/x.yml:22"]


def test_deploying_into_a_throwaway_cluster_is_test_setup(make_repo):
    root = make_repo({".github/workflows/e2e.yml": """\
on: [push, pull_request]
jobs:
  e2e:
    runs-on: ubuntu-latest
    steps:
      - uses: helm/kind-action@v1
      - run: kubectl apply -k manifests/
      - run: go test ./test/e2e/...
"""})
    s, _ = scan(root)
    assert s["deploy.automated"] is False and s["deploy.production"] is False
    assert s["test.service_containers"] is True


def test_environment_named_by_the_job_and_staging_is_not_production(make_repo):
    root = make_repo({".github/workflows/cd.yml": """\
on:
  push:
    branches: [main]
jobs:
  deploy-staging:
    runs-on: ubuntu-latest
    steps:
      - run: helm upgrade --install app ./chart -f values-staging.yaml
"""})
    s, _ = scan(root)
    assert s["deploy.environments"] == ["staging"]
    assert s["deploy.automated"] is True and s["deploy.production"] is False and s["deploy.continuous"] is False


# --- Hand-labelling round: minimal reproductions of misread real pipelines --------------------------

def test_deploy_through_another_repositorys_reusable_workflow(make_repo):
    root = make_repo({".github/workflows/deploy.yml": """\
name: Deploy
on:
  workflow_dispatch:
    inputs:
      environment:
        type: choice
        options: [integration, staging, production]
  release:
    types: [released]
jobs:
  build-image:
    uses: org/infra/.github/workflows/build-push-image.yml@main
  trigger-deploy:
    needs: build-image
    uses: org/infra/.github/workflows/deploy.yml@main
    with:
      environment: ${{ inputs.environment || 'integration' }}
""", ".github/workflows/ci.yml": """\
on: [push, pull_request]
jobs:
  codeql:
    uses: org/infra/.github/workflows/codeql-analysis.yml@main
  lint:
    uses: org/infra/.github/workflows/rubocop.yml@main
"""})
    s, c = scan(root)
    assert s["artifacts.published"] is True
    assert s["deploy.automated"] is True and s["deploy.on_demand"] is True
    assert s["deploy.environments"] == ["integration", "production", "staging"]
    assert s["deploy.production"] is True and s["deploy.continuous"] is False
    assert s["security.scanners_in_ci"] is True and s["quality.static_analysis_in_ci"] is True
    env = [e for e in evidence_for(c, "deploy.environments") if e.value == ["integration"]][0]
    assert env.locator == ".github/workflows/deploy.yml:17"


def test_a_test_workflows_environment_input_is_not_a_deployment(make_repo):
    root = make_repo({".github/workflows/ci.yml": """\
on: [push]
jobs:
  tests:
    uses: org/infra/.github/workflows/run-tests.yml@main
    with:
      environment: staging
"""})
    s, _ = scan(root)
    assert s["deploy.automated"] is False and s["deploy.environments"] == []
    assert s["test.unit_in_ci"] is True


def test_azd_pipeline_in_azdo_folder_deploys_on_push(make_repo):
    root = make_repo({".azdo/pipelines/azure-dev.yml": """\
trigger:
  - main
pool:
  vmImage: ubuntu-latest
steps:
  - task: AzureCLI@2
    inputs:
      azureSubscription: conn
      scriptType: bash
      scriptLocation: inlineScript
      inlineScript: |
        azd provision --no-prompt
  - script: azd deploy --no-prompt
"""})
    s, c = scan(root)
    assert s["ci.systems"] == ["azure-pipelines"]
    assert s["deploy.automated"] is True and s["deploy.continuous"] is True
    scripts = evidence_for(c, "deploy.scripts")[0]
    assert "azd deploy" in scripts.observed and scripts.locator == ".azdo/pipelines/azure-dev.yml:13"


def test_jenkins_multibranch_pipeline_with_a_cron_still_builds_on_push(make_repo):
    root = make_repo({"Jenkinsfile": """\
pipeline {
  agent any
  triggers {
    cron(env.BRANCH_IS_PRIMARY ? 'H/30 * * * *' : '')
  }
  stages {
    stage('Diff') {
      when { changeRequest() }
      steps { sh 'helmfile diff' }
    }
    stage('Apply') {
      when { branch 'main' }
      steps { sh 'helmfile apply' }
    }
  }
}
"""})
    s, c = scan(root)
    assert s["ci.triggers"] == ["pull_request", "push", "schedule"]
    assert s["deploy.automated"] is True and s["deploy.production"] is True and s["deploy.continuous"] is True
    assert evidence_for(c, "deploy.continuous")[0].locator == "Jenkinsfile:13"


def test_jenkins_cron_only_pipeline_without_branch_conditions_stays_scheduled(make_repo):
    root = make_repo({"Jenkinsfile": "pipeline {\n  agent any\n  triggers { cron('H 2 * * *') }\n  stages {\n    stage('Nightly') {\n      steps { sh 'make test' }\n    }\n  }\n}\n"})
    s, _ = scan(root)
    assert s["ci.triggers"] == ["schedule"]


def test_gitlab_tests_against_a_database_service_reporting_junit_are_integration_tests(make_repo):
    root = make_repo({".gitlab-ci.yml": """\
backend-test:
  services:
    - name: $CI_DIND_IMAGE
      alias: docker
    - name: postgres:13
      alias: db
  script:
    - docker run --network=host $TEST_IMAGE ci-test
  artifacts:
    reports:
      junit: reports/report.xml
build-image:
  services: [docker:24-dind]
  script:
    - docker build -t app .
    - make check
"""})
    s, c = scan(root)
    assert s["test.unit_in_ci"] is True and s["test.integration_in_ci"] is True
    assert "postgres:13" in evidence_for(c, "test.integration_in_ci")[0].observed


def test_docker_in_docker_alone_does_not_make_tests_integration_tests(make_repo):
    root = make_repo({".gitlab-ci.yml": "test:\n  services: [docker:dind]\n  script:\n    - pytest\n"})
    s, _ = scan(root)
    assert s["test.unit_in_ci"] is True and s["test.integration_in_ci"] is False


def test_circleci_orb_deploy_jobs_by_branch(make_repo):
    root = make_repo({".circleci/config.yml": """\
version: 2.1
orbs:
  hokusai: artsy/hokusai@volatile
workflows:
  default:
    jobs:
      - hokusai/deploy-staging:
          name: deploy-staging
          filters:
            branches:
              only: main
      - hokusai/deploy-production:
          name: deploy-production
          filters:
            branches:
              only: release
"""})
    s, _ = scan(root)
    assert s["deploy.automated"] is True
    assert s["deploy.environments"] == ["production", "staging"]
    assert s["deploy.production"] is True
    assert s["deploy.continuous"] is False  # production ships from the release branch, not every push to main


def test_e2e_suite_run_by_a_plain_test_runner_names_no_e2e_tool(make_repo):
    root = make_repo({".github/workflows/ci.yml": """\
on: [push, pull_request]
jobs:
  e2e:
    runs-on: ubuntu-latest
    steps:
      - run: go test ./test/e2e/...
      - run: pytest tests/e2e
""", "go.mod": "module x\n"})
    s, _ = scan(root)
    assert s["test.e2e_in_ci"] is True
    assert s["test.e2e"] == []


def test_e2e_tool_run_in_ci_is_named(make_repo):
    root = make_repo({".github/workflows/ci.yml": """\
on: [push]
jobs:
  ui:
    runs-on: ubuntu-latest
    steps:
      - run: npx playwright test
"""})
    s, _ = scan(root)
    assert s["test.e2e_in_ci"] is True and s["test.e2e"] == ["playwright"]


def test_woodpecker_list_merge_of_an_anchored_list_is_read(make_repo):
    root = make_repo({".woodpecker/test.yaml": """\
variables:
  - &paths
    - '**/*.go'
    - go.mod
when:
  - event: pull_request
  - event: push
    branch: main
steps:
  test:
    image: golang
    commands:
      - go test ./...
    when:
      path:
        - <<: *paths
        - '.woodpecker/**'
"""})
    s, c = scan(root)
    assert s["ci.systems"] == ["woodpecker"]
    assert s["test.unit_in_ci"] is True
    assert not [w for w in c.warnings if getattr(w, "code", None) == "broken-yaml"]


def test_gitlab_project_remote_and_component_includes_are_judged_by_their_file_names(make_repo):
    root = make_repo({".gitlab-ci.yml": """\
include:
  - project: acme/ci-templates
    file: [templates/build.yml, security/sast.yml, release.yml]
  - remote: https://example.com/ci/lint-python.yml
  - component: gitlab.example.com/acme/components/deploy@1.2
  - project: acme/shared
    file: ci/base.yml
test:
  script: [make check]
"""})
    s, c = scan(root)
    assert s["security.scanners_in_ci"] is True
    assert s["quality.static_analysis_in_ci"] is True
    assert s["release.automation"] == ["gitlab-release"]
    assert s["deploy.scripts"] is True
    # unclear names (`build.yml`, `ci/base.yml`) claim nothing
    assert not any("base" in e.observed or "build.yml" in e.observed for e in c.evidence if e.key != "ci.triggers")


def test_gitlab_include_with_an_unclear_name_claims_nothing(make_repo):
    root = make_repo({".gitlab-ci.yml": """\
include:
  - project: gnome/citemplates
    file: flatpak/flatpak_ci_initiative.yml
  - project: acme/shared
    file: [common.yml, templates/main.yml]
build:
  script: [meson compile]
"""})
    s, _ = scan(root)
    assert s["artifacts.published"] is True  # the flatpak bundle
    assert s.get("deploy.scripts") is not True
    assert s["security.scanners_in_ci"] is False


COMPOSE_WITH_PRESTART = """\
services:
  db:
    image: postgres:17
  prestart:
    build:
      context: ./backend
    depends_on:
      db:
        condition: service_healthy
    command: bash scripts/prestart.sh
  backend:
    build:
      context: ./backend
    depends_on:
      prestart:
        condition: service_completed_successfully
  seed:
    image: busybox
    profiles: [dev]
    command: alembic downgrade base
"""


def test_compose_up_in_a_deploy_job_applies_the_migrations_of_its_one_shot_services(make_repo):
    root = make_repo({
        ".github/workflows/deploy.yml": """\
on:
  push:
    branches: [main]
jobs:
  deploy:
    runs-on: [self-hosted, production]
    steps:
      - uses: actions/checkout@v4
      - run: docker compose -f compose.yml --project-name app build
      - run: docker compose -f compose.yml --project-name app up -d
""",
        "compose.yml": COMPOSE_WITH_PRESTART,
        "backend/scripts/prestart.sh": "#!/bin/bash\npython app/backend_pre_start.py\nalembic upgrade head\n",
        "backend/alembic.ini": "[alembic]\n",
    })
    s, c = scan(root)
    assert s["deploy.automated"] is True
    assert s["db.migrations_in_deploy"] is True
    assert s["db.rollback_tested"] is False  # the `dev` profile is not started
    ev = evidence_for(c, "db.migrations_in_deploy")[0]
    assert ev.locator == ".github/workflows/deploy.yml:10"


def test_compose_up_reads_only_the_named_file(make_repo):
    root = make_repo({
        ".github/workflows/deploy.yml": """\
on:
  push:
    branches: [main]
jobs:
  deploy:
    runs-on: ubuntu-latest
    steps:
      - run: ssh deploy@host "docker compose -f compose.prod.yml up -d"
""",
        "compose.yml": COMPOSE_WITH_PRESTART,
        "compose.prod.yml": "services:\n  web:\n    image: nginx\n",
        "backend/scripts/prestart.sh": "alembic upgrade head\n",
    })
    s, _ = scan(root)
    assert s["deploy.automated"] is True
    assert s["db.migrations_in_deploy"] is False


def test_a_coverage_report_action_and_a_gradle_coverage_report_task_mean_coverage_in_ci(make_repo):
    root = make_repo({".github/workflows/ci.yml": """\
on: [push]
jobs:
  test:
    runs-on: ubuntu-latest
    steps:
      - run: ./gradlew testDebugUnitTest
      - uses: madrapps/jacoco-report@v1.7.1
        with:
          paths: build/reports/jacoco/report.xml
          min-coverage-overall: 40
""", "gradlew": "#!/bin/sh\n", "build.gradle.kts": "plugins { jacoco }\n"})
    s, _ = scan(root)
    assert s["quality.coverage_in_ci"] is True and s["quality.coverage_threshold"] is True
    root2 = make_repo({".github/workflows/ci.yml": "on: [push]\njobs:\n  t:\n    runs-on: x\n    steps:\n      - run: ./gradlew createDemoDebugCombinedCoverageReport\n",
                       "gradlew": "#!/bin/sh\n", "build.gradle.kts": "plugins { jacoco }\n"})
    s2, _ = scan(root2)
    assert s2["quality.coverage_in_ci"] is True


def test_github_pages_environment_published_from_the_default_branch_is_the_live_site(make_repo):
    wf = """\
on:
  push:
    branches: [main]
  pull_request:
jobs:
  deploy:
    if: github.event_name == 'push'
    runs-on: ubuntu-latest
    environment:
      name: github-pages
      url: ${{ steps.deployment.outputs.page_url }}
    steps:
      - uses: actions/deploy-pages@v4
"""
    s, _ = scan(make_repo({".github/workflows/pages.yml": wf}))
    assert s["deploy.environments"] == ["github-pages"]
    assert s["deploy.production"] is True and s["deploy.continuous"] is True
    s2, _ = scan(make_repo({".github/workflows/pages.yml": wf.replace("branches: [main]", "branches: [preview]")}))
    assert s2["deploy.production"] is False


def test_a_documentation_site_published_from_main_is_not_production(make_repo):
    docs = make_repo({".github/workflows/docs.yml": """\
on:
  push:
    branches: [main]
jobs:
  publish:
    runs-on: ubuntu-latest
    environment: github-pages
    steps:
      - run: mkdocs build
      - uses: actions/deploy-pages@v4
"""})
    s, _ = scan(docs)
    assert s["deploy.automated"] is True
    assert s["deploy.production"] is False and s["deploy.continuous"] is False
    site = make_repo({".github/workflows/pages.yml": """\
on:
  push:
    branches: [main]
jobs:
  deploy:
    runs-on: ubuntu-latest
    environment: github-pages
    steps:
      - run: hugo --minify
      - uses: actions/deploy-pages@v4
"""})
    s2, _ = scan(site)
    assert s2["deploy.production"] is True and s2["deploy.continuous"] is True


# ----- fifth round: deployment branches, background services, e2e scripts, include templates, production runners

def test_pushing_a_deployment_branch_from_a_deploy_workflow_deploys_but_pushing_tags_does_not(make_repo):
    root = make_repo({
        ".github/workflows/deploy.yml": """\
on:
  push:
    branches: [main]
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - run: npm ci && npm run build
      - run: git push origin HEAD:production
""",
        ".github/workflows/release.yml": """\
on:
  push:
    branches: [main]
jobs:
  release:
    runs-on: ubuntu-latest
    steps:
      - run: npm version patch && git push origin main --follow-tags
""",
        "package.json": '{"scripts": {"build": "vite build"}}',
    })
    s, c = scan(root)
    assert s["deploy.automated"] is True and s["deploy.production"] is True
    ev = evidence_for(c, "deploy.scripts")
    assert len(ev) == 1 and "deploy.yml" in ev[0].locator and "production" in ev[0].observed


def test_fast_forwarding_a_release_branch_in_a_deploy_job_deploys(make_repo):
    root = make_repo({
        ".github/workflows/ci.yml": """\
on:
  workflow_dispatch:
jobs:
  deploy:
    runs-on: ubuntu-latest
    steps:
      - run: |
          git checkout release
          git merge --ff-only origin/main
          git push
""",
    })
    s, _ = scan(root)
    assert s["deploy.on_demand"] is True and s["deploy.automated"] is False


def test_compose_services_started_before_tests_are_service_containers_and_a_database_makes_it_integration(make_repo):
    wf = """\
on: [push]
jobs:
  test:
    runs-on: ubuntu-latest
    steps:
      - run: docker compose -f {file} up -d --wait
      - run: go test ./...
"""
    root = make_repo({".github/workflows/ci.yml": wf.format(file="ci/compose.yml"),
                      "ci/compose.yml": "services:\n  db:\n    image: postgres:16\n", "go.mod": "module x\n"})
    s, _ = scan(root)
    assert s["test.service_containers"] is True and s["test.integration_in_ci"] is True
    root = make_repo({".github/workflows/ci.yml": wf.format(file="ci/compose.yml"),
                      "ci/compose.yml": "services:\n  web:\n    image: nginx\n", "go.mod": "module x\n"})
    s, _ = scan(root)
    assert s["test.service_containers"] is True and s["test.integration_in_ci"] is False
    # Started after the tests (or with no tests at all), the services are not for the tests.
    root = make_repo({".github/workflows/ci.yml": "on: [push]\njobs:\n  smoke:\n    runs-on: ubuntu-latest\n    steps:\n"
                      "      - run: docker compose up -d\n", "docker-compose.yml": "services:\n  db:\n    image: mysql:8\n"})
    s, _ = scan(root)
    assert s["test.service_containers"] is False and s["test.integration_in_ci"] is False


def test_an_e2e_script_and_helm_test_in_a_throwaway_cluster_run_e2e_tests_without_naming_a_tool(make_repo):
    root = make_repo({
        ".github/workflows/ci.yml": """\
on: [push]
jobs:
  chart:
    runs-on: ubuntu-latest
    steps:
      - uses: helm/kind-action@v1
      - run: helm install app ./chart --wait
      - run: helm test app
  smoke:
    runs-on: ubuntu-latest
    steps:
      - run: ./test/e2e.sh
""",
        "test/e2e.sh": "#!/bin/bash\nset -e\n./bin/server &\ncurl -fsS localhost:8080/health\n",
    })
    s, c = scan(root)
    assert s["test.e2e_in_ci"] is True and s["test.e2e"] == []
    assert s["deploy.scripts"] is False
    assert {e.locator for e in evidence_for(c, "test.e2e_in_ci")} == {".github/workflows/ci.yml:8", ".github/workflows/ci.yml:12"}


def test_gitlab_project_include_of_deploy_templates_is_decided_by_the_local_jobs_that_extend_them(make_repo):
    include = "include:\n  - project: ops/ci-templates\n    file: /templates/deploy.yml\n"
    root = make_repo({".gitlab-ci.yml": include + """\
stages: [build, deploy]
build:
  stage: build
  script: [make build]
deploy-staging:
  stage: deploy
  extends: .deploy
  environment: staging
  rules:
    - if: $CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH
"""})
    s, _ = scan(root)
    assert s["deploy.automated"] is True
    assert s["deploy.environments"] == ["staging"]
    assert s["deploy.production"] is False
    # With no local job extending it, the include stands for a deploy job, but not a known production one.
    root = make_repo({".gitlab-ci.yml": include + "build:\n  script: [make build]\n"})
    s, _ = scan(root)
    assert s["deploy.automated"] is True and s["deploy.production"] is False


def test_a_job_on_a_production_runner_that_restarts_containers_deploys_to_production(make_repo):
    root = make_repo({
        ".github/workflows/cd.yml": """\
on:
  push:
    branches: [main]
jobs:
  update:
    runs-on: [self-hosted, production]
    steps:
      - uses: actions/checkout@v4
      - run: docker compose pull && docker compose up -d
  restart:
    runs-on: prod-runner
    steps:
      - run: sudo systemctl restart app
  build:
    runs-on: [self-hosted, production]
    steps:
      - run: docker build -t app .
""",
    })
    s, c = scan(root)
    assert s["deploy.production"] is True and s["deploy.continuous"] is True
    assert s["deploy.environments"] == ["production"]
    assert {e.locator for e in evidence_for(c, "deploy.scripts")} == {".github/workflows/cd.yml:9", ".github/workflows/cd.yml:13"}


def test_browsers_installed_for_a_test_run_mean_e2e_and_reusable_test_workflows_count(make_repo):
    root = make_repo({
        "package.json": '{"name": "w", "scripts": {"test:integration": "jest --config client/tests/integration/jest.config.js"}}',
        ".github/workflows/ci.yml": """\
on: [push, pull_request]
jobs:
  integration:
    runs-on: ubuntu-latest
    steps:
      - run: npx playwright install --with-deps
      - run: npm run test:integration
  tests:
    uses: acme/workflows/.github/workflows/laravel.yml@v2
""",
    })
    s, c = scan(root)
    assert s["test.e2e_in_ci"] is True and s["test.e2e"] == ["playwright"]
    assert evidence_for(c, "test.e2e_in_ci")[0].locator == ".github/workflows/ci.yml:6"
    units = [e.observed for e in evidence_for(c, "test.unit_in_ci")]
    assert any("judged by the name 'tests'" in o for o in units)
    lint_only = make_repo({".github/workflows/ci.yml": "on: [push]\njobs:\n  lint:\n    runs-on: ubuntu-latest\n    steps:\n      - run: npx playwright install\n      - run: npx eslint .\n"})
    s2, _ = scan(lint_only)
    assert s2["test.e2e_in_ci"] is False
