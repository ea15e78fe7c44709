"""GitLab CI parser: includes, extends, !reference, rules/only/except per pipeline source, keywords."""

from __future__ import annotations

import textwrap

import pytest
import yaml

from collectors.detectors.interface import DetectionContext, RepoIdentity
from collectors.pipelines.gitlab_ci import (
    MERGE_REQUEST,
    PARSERS,
    PUSH_BRANCH,
    PUSH_DEFAULT,
    TAG_PUSH,
    ExpressionError,
    _make_env,
    _Source,
    evaluate_expression,
)
from collectors.pipelines.model import Job, Pipeline
from collectors.repofiles import MemoryRepoFiles

PARSER = PARSERS[0]


def ctx_for(files: dict[str, str], name: str | None = "group/proj", default_branch: str | None = "main") -> DetectionContext:
    return DetectionContext(files=MemoryRepoFiles(files), repo=RepoIdentity(name=name, default_branch=default_branch))


def parse(text: str, extra: dict[str, str] | None = None, **repo: str | None) -> Pipeline:
    text = textwrap.dedent(text)
    files = {".gitlab-ci.yml": text, **{k: textwrap.dedent(v) for k, v in (extra or {}).items()}}
    ctx = ctx_for(files, **repo)
    [pipeline] = PARSER.parse(".gitlab-ci.yml", text, ctx)
    assert pipeline.system == "gitlab-ci"
    return pipeline


def job(pipeline: Pipeline, job_id: str) -> Job:
    found = pipeline.job(job_id)
    assert found is not None, f"no job {job_id} in {[j.id for j in pipeline.jobs]}"
    return found


# -- candidates -----------------------------------------------------------------------------------

def test_candidates_only_the_root_file() -> None:
    ctx = ctx_for({".gitlab-ci.yml": "a: {script: [x]}", "ci/.gitlab-ci.yml": "b: 1", "examples/.gitlab-ci.yml": "c: 1"})
    assert PARSER.candidates(ctx) == [".gitlab-ci.yml"]


# -- defaults, stages, commands -------------------------------------------------------------------

def test_job_without_rules_runs_on_branch_pushes_and_tags_not_merge_requests() -> None:
    p = parse("""
        build:
          script:
            - make
    """)
    build = job(p, "build")
    assert build.triggers == {"push", "tag"}
    assert build.default_branch is True
    assert build.tags_only is False
    assert build.manual is False
    assert p.triggers == {"push", "tag"}
    assert build.stage == "test" and build.stage_index == 2
    assert p.stages == (".pre", "build", "test", "deploy", ".post")


def test_commands_keep_lines_and_split_block_scalars() -> None:
    p = parse("""
        default:
          before_script:
            - echo setup
        build:
          stage: build
          script:
            - make
            - |
              docker build \\
                -t app .
              # a comment
              docker push app
          after_script: [echo bye]
    """)
    commands = [(c.text, c.line, c.kind) for c in job(p, "build").commands]
    assert commands == [
        ("echo setup", 4, "shell"),
        ("make", 8, "shell"),
        ("docker build -t app .", 10, "shell"),
        ("docker push app", 13, "shell"),
        ("echo bye", 14, "shell"),
    ]


def test_declared_stages_give_indexes() -> None:
    p = parse("""
        stages: [lint, build, deploy]
        a: {stage: lint, script: [x]}
        b: {stage: deploy, script: [x], needs: [a, {job: c}]}
        c: {stage: nowhere, script: [x]}
    """)
    assert p.stages == (".pre", "lint", "build", "deploy", ".post")
    assert job(p, "a").stage_index == 1
    assert job(p, "b").stage_index == 3
    assert job(p, "b").needs == ("a", "c")
    assert job(p, "c").stage_index is None
    assert any("nowhere" in n for n in p.notes)


def test_reserved_keys_and_hidden_jobs_are_not_jobs() -> None:
    p = parse("""
        variables: {A: b}
        image: python
        services: [postgres]
        cache: {paths: [x]}
        .template:
          script: [echo hidden]
        pages:
          script: [mkdocs build]
          artifacts:
            paths: [public]
    """)
    assert [j.id for j in p.jobs] == ["pages"]
    pages = job(p, "pages")
    texts = [c.text for c in pages.commands]
    assert "gitlab-artifacts" in texts and "gitlab-pages" in texts
    assert pages.services == ("postgres",)


def test_keyword_steps_for_reports_coverage_release() -> None:
    p = parse("""
        test:
          script: [pytest]
          coverage: '/TOTAL.*\\s(\\d+)%/'
          artifacts:
            reports:
              junit: report.xml
              coverage_report:
                coverage_format: cobertura
                path: coverage.xml
        release:
          script: [echo release]
          release:
            tag_name: $CI_COMMIT_TAG
            description: x
    """)
    steps = [(c.text, c.line) for c in job(p, "test").commands if c.kind == "step"]
    assert steps == [
        ("gitlab-artifacts-reports:junit", 7),
        ("gitlab-artifacts-reports:coverage_report", 8),
        ("gitlab-coverage-keyword", 4),
    ]
    assert [c.text for c in job(p, "release").commands if c.kind == "step"] == ["gitlab-release-keyword"]


def test_services_strings_and_mappings() -> None:
    p = parse("""
        default:
          services: [redis:7]
        it:
          services:
            - postgres:15
            - name: rabbitmq:3
              alias: mq
          script: [pytest -m integration]
        unit:
          script: [pytest]
    """)
    assert job(p, "it").services == ("postgres:15", "rabbitmq:3")
    assert job(p, "unit").services == ("redis:7",)


# -- rules and pipeline sources -------------------------------------------------------------------

def test_merge_request_rule() -> None:
    p = parse("""
        mr-check:
          script: [lint]
          rules:
            - if: $CI_PIPELINE_SOURCE == "merge_request_event"
    """)
    j = job(p, "mr-check")
    assert j.triggers == {"pull_request"}
    assert j.default_branch is False
    assert p.triggers == {"pull_request"}
    assert p.trigger_lines["pull_request"] == 5  # the rule's line


def test_schedule_and_web_rules_only_count_when_named() -> None:
    p = parse("""
        nightly:
          script: [run-e2e]
          rules:
            - if: '$CI_PIPELINE_SOURCE == "schedule"'
        by-hand:
          script: [deploy]
          rules:
            - if: $CI_PIPELINE_SOURCE == "web"
        build:
          script: [make]
    """)
    assert job(p, "nightly").triggers == {"schedule"}
    web = job(p, "by-hand")
    assert web.triggers == {"manual"}
    assert web.manual is True  # only a person starts web pipelines
    # the build job runs in scheduled and web pipelines too, now that the file plans for them
    assert job(p, "build").triggers == {"push", "tag", "schedule", "manual"}
    assert p.triggers == {"push", "tag", "schedule", "manual"}
    assert p.trigger_lines["schedule"] == 5


def test_sources_not_named_are_not_claimed() -> None:
    p = parse("""
        build:
          script: [make]
          rules:
            - if: $SOME_PROJECT_VARIABLE == "yes"
    """)
    # unknown variable: never excludes, but schedule/web/api are not invented
    assert job(p, "build").triggers == {"push", "tag", "pull_request"}


def test_tag_rule_is_tags_only() -> None:
    p = parse("""
        publish:
          script: [twine upload dist/*]
          rules:
            - if: $CI_COMMIT_TAG
    """)
    j = job(p, "publish")
    assert j.triggers == {"tag"}
    assert j.tags_only is True
    assert j.default_branch is False


def test_default_branch_rule_excludes_other_branches_tags_and_mrs() -> None:
    p = parse("""
        deploy:
          script: [./deploy.sh]
          rules:
            - if: $CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH
    """, default_branch="trunk")
    j = job(p, "deploy")
    assert j.triggers == {"push"}
    assert j.default_branch is True
    assert j.tags_only is False


def test_literal_default_branch_and_regex() -> None:
    p = parse("""
        on-main:
          script: [x]
          rules:
            - if: $CI_COMMIT_REF_NAME =~ /^(main|master)$/
        on-release:
          script: [x]
          rules:
            - if: $CI_COMMIT_BRANCH =~ /^release\\//
        not-main:
          script: [x]
          rules:
            - if: $CI_COMMIT_BRANCH == "main"
              when: never
            - when: always
    """)
    assert job(p, "on-main").default_branch is True
    assert job(p, "on-release").default_branch is False
    assert job(p, "on-release").triggers == {"push"}
    not_main = job(p, "not-main")
    assert not_main.default_branch is False
    assert not_main.triggers == {"push", "tag", "pull_request"}


def test_manual_production_deploy_with_environment_mapping() -> None:
    p = parse("""
        stages: [build, deploy]
        deploy-prod:
          stage: deploy
          script: [kubectl apply -f k8s/]
          environment:
            name: production
            url: https://example.com
            deployment_tier: production
          rules:
            - if: $CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH
              when: manual
    """)
    j = job(p, "deploy-prod")
    assert j.manual is True
    assert j.environment == "production"
    assert j.environment_tier == "production"
    assert j.environment_line == 6
    assert j.environment_action is None
    assert j.triggers == {"push"}
    assert j.default_branch is True


def test_manual_job_keyword_without_rules() -> None:
    p = parse("""
        deploy:
          script: [deploy]
          environment: staging
          when: manual
    """)
    j = job(p, "deploy")
    assert j.manual is True and j.environment == "staging"


def test_mixed_manual_and_automatic_is_not_manual() -> None:
    p = parse("""
        deploy:
          script: [deploy]
          rules:
            - if: $CI_COMMIT_TAG
            - if: $CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH
              when: manual
    """)
    j = job(p, "deploy")
    assert j.manual is False
    assert j.triggers == {"push", "tag"}
    assert any("manual for push to the default branch" in n for n in p.notes)


def test_environment_stop_action() -> None:
    p = parse("""
        stop-review:
          script: [helm uninstall review]
          environment:
            name: review/$CI_COMMIT_REF_SLUG
            action: stop
          when: manual
    """)
    j = job(p, "stop-review")
    assert j.environment == "review/$CI_COMMIT_REF_SLUG"
    assert j.environment_action == "stop"


def test_parallel_matrix_fills_environments() -> None:
    p = parse("""
        deploy:
          script: [deploy $TARGET]
          environment: $TARGET
          parallel:
            matrix:
              - TARGET: [staging, production]
                REGION: [eu, us]
              - TARGET: qa
    """)
    j = job(p, "deploy")
    assert j.environment == "$TARGET"
    assert j.matrix_environments == ("staging", "production", "qa")


def test_only_except() -> None:
    p = parse("""
        deploy:
          script: [deploy]
          only: [main]
        tags:
          script: [release]
          only: [tags]
        mrs:
          script: [check]
          only: [merge_requests]
        branches-but-main:
          script: [x]
          except: [main]
        nightly:
          script: [x]
          only:
            refs: [schedules]
            variables: [$NIGHTLY == "1"]
        on-release-branches:
          script: [x]
          only: [/^release-.*$/]
    """)
    # `schedules` is named by the nightly job, so scheduled pipelines (on an unknown ref) are evaluated too
    assert job(p, "deploy").triggers == {"push", "schedule"} and job(p, "deploy").default_branch is True
    assert job(p, "tags").triggers == {"tag", "schedule"} and job(p, "tags").tags_only is True
    assert job(p, "mrs").triggers == {"pull_request"}
    assert job(p, "branches-but-main").default_branch is False
    assert job(p, "branches-but-main").triggers == {"push", "tag", "schedule"}
    assert job(p, "nightly").triggers == {"schedule"}
    assert job(p, "on-release-branches").default_branch is False
    assert job(p, "on-release-branches").triggers == {"push", "tag", "schedule"}


def test_workflow_rules_filter_sources() -> None:
    p = parse("""
        workflow:
          rules:
            - if: $CI_PIPELINE_SOURCE == "merge_request_event"
            - if: $CI_COMMIT_BRANCH && $CI_OPEN_MERGE_REQUESTS
              when: never
            - if: $CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH
        build:
          script: [make]
        mr-only:
          script: [x]
          rules:
            - if: $CI_MERGE_REQUEST_IID
    """)
    build = job(p, "build")
    # default jobs never run in MR pipelines; the workflow drops tag and feature-branch pipelines
    assert build.triggers == {"push"}
    assert build.default_branch is True
    assert job(p, "mr-only").triggers == {"pull_request"}
    assert p.triggers == {"push", "pull_request"}
    assert p.trigger_lines == {"pull_request": 4, "push": 7}  # the workflow rules admitting them


def test_workflow_rule_variables_feed_job_rules() -> None:
    p = parse("""
        workflow:
          rules:
            - if: $CI_COMMIT_TAG
              variables: {DEPLOY: "yes"}
            - when: always
        deploy:
          script: [deploy]
          rules:
            - if: $DEPLOY == "yes"
    """)
    j = job(p, "deploy")
    # DEPLOY is set on tag pipelines; on other pipelines it may come from project settings (unknown)
    assert "tag" in j.triggers


def test_yaml_variables_are_known_for_push_pipelines() -> None:
    p = parse("""
        variables:
          DEPLOY_ENABLED: "false"
        deploy:
          script: [deploy]
          rules:
            - if: $DEPLOY_ENABLED == "true"
    """)
    j = job(p, "deploy")
    assert j.triggers == frozenset()
    assert j.active is False


def test_changes_and_exists() -> None:
    p = parse("""
        docs:
          script: [mkdocs build]
          rules:
            - changes: [docs/**/*]
        docker:
          script: [docker build .]
          rules:
            - exists: [Dockerfile]
        helm:
          script: [helm lint]
          rules:
            - exists: ["charts/**/Chart.yaml"]
    """, extra={"Dockerfile": "FROM x"})
    assert job(p, "docs").triggers == {"push", "tag", "pull_request"}
    assert job(p, "docker").triggers == {"push", "tag", "pull_request"}
    helm = job(p, "helm")
    assert helm.triggers == frozenset() and helm.active is False


def test_project_path_guard_makes_job_inactive() -> None:
    text = """
        deploy:
          script: [deploy]
          rules:
            - if: $CI_PROJECT_PATH == "upstream/proj" && $CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH
        only-upstream:
          script: [x]
          only: [main@upstream/proj]
        build:
          script: [make]
    """
    p = parse(text)
    deploy = job(p, "deploy")
    assert deploy.active is False
    assert deploy.triggers == frozenset()
    assert "upstream/proj" in (deploy.inactive_reason or "") and "group/proj" in (deploy.inactive_reason or "")
    assert job(p, "only-upstream").active is False
    assert job(p, "build").active is True
    same = parse(text.replace("upstream/proj", "group/proj"))
    assert job(same, "deploy").active is True and job(same, "deploy").triggers == {"push"}
    unknown = parse(text, name=None)
    assert job(unknown, "deploy").active is True  # unknown project: never excludes


def test_workflow_guarded_by_project_makes_pipeline_inactive() -> None:
    p = parse("""
        workflow:
          rules:
            - if: $CI_PROJECT_NAMESPACE == "gitlab-org"
        build:
          script: [make]
    """)
    assert p.active is False
    assert "gitlab-org" in (p.inactive_reason or "")


def test_unknown_default_branch_falls_back_to_main_with_a_note() -> None:
    p = parse("""
        deploy:
          script: [x]
          rules:
            - if: $CI_COMMIT_BRANCH == "main"
    """, default_branch=None)
    assert job(p, "deploy").default_branch is True
    assert any("default branch unknown" in n for n in p.notes)


# -- includes -------------------------------------------------------------------------------------

def test_local_includes_string_list_and_wildcard() -> None:
    p = parse("""
        include:
          - local: ./ci/build.yml
          - ci/jobs/*.yml
          - project: group/ci-templates
            ref: main
            file: [/deploy.yml, /lint.yml]
          - template: Security/SAST.gitlab-ci.yml
          - remote: https://example.com/ci.yml
          - component: gitlab.com/components/secret-detection/secret-detection@1.0
        test:
          script: [pytest]
    """, extra={
        "ci/build.yml": """
            include: ci/common.yml
            build:
              script:
                - make
        """,
        "ci/common.yml": """
            .common:
              tags: [docker]
            lint:
              script: [ruff check]
        """,
        "ci/jobs/a.yml": "job-a:\n  script: [echo a]\n",
        "ci/jobs/b.yml": "job-b:\n  script: [echo b]\n",
        "ci/jobs/nested/c.yml": "job-c:\n  script: [echo c]\n",
    })
    ids = [j.id for j in p.jobs]
    assert ids[:5] == ["lint", "build", "job-a", "job-b", "test"]
    assert "job-c" not in ids  # `*` does not cross folders
    assert p.includes == (
        "local:ci/build.yml", "local:ci/common.yml", "local:ci/jobs/a.yml", "local:ci/jobs/b.yml",
        "project:group/ci-templates:/deploy.yml", "project:group/ci-templates:/lint.yml",
        "template:Security/SAST.gitlab-ci.yml", "remote:https://example.com/ci.yml",
        "component:gitlab.com/components/secret-detection/secret-detection@1.0",
    )
    # the line of an included job's command is within the included file
    assert job(p, "build").commands[0].line == 5
    assert any("ci/build.yml defines jobs build" in n for n in p.notes)
    sast = job(p, "include:template:Security/SAST.gitlab-ci.yml")
    assert [(c.kind, c.text) for c in sast.commands] == [("action", "gitlab-template:Security/SAST.gitlab-ci.yml")]
    assert sast.triggers == {"push", "tag"} and sast.line == 8
    component = job(p, "include:component:gitlab.com/components/secret-detection/secret-detection@1.0")
    assert component.commands[0].text == "gitlab-component:gitlab.com/components/secret-detection/secret-detection@1.0"
    # a trigger line points into the root file
    assert p.trigger_lines["push"] == 11  # the root file's own job, not a line of ci/build.yml


def test_include_string_form_and_override_by_root() -> None:
    p = parse("""
        include: ci/base.yml
        build:
          variables: {B: "2"}
          script: [make release]
    """, extra={"ci/base.yml": """
        build:
          stage: build
          variables: {A: "1"}
          script: [make]
          rules:
            - if: $CI_COMMIT_TAG
    """})
    build = job(p, "build")
    assert [c.text for c in build.commands] == ["make release"]
    assert build.stage == "build"  # deep-merged from the included file
    assert build.triggers == {"tag"}


def test_include_cycle_and_missing_file() -> None:
    p = parse("""
        include: [ci/a.yml, ci/missing.yml]
        x:
          script: [x]
    """, extra={
        "ci/a.yml": "include: ci/b.yml\na:\n  script: [a]\n",
        "ci/b.yml": "include: ci/a.yml\nb:\n  script: [b]\n",
    })
    assert {j.id for j in p.jobs} == {"a", "b", "x"}
    assert any("cycle" in n for n in p.notes)
    assert any("ci/missing.yml" in n and "matches no file" in n for n in p.notes)


def test_broken_included_file_is_a_warning_not_a_crash() -> None:
    files = {".gitlab-ci.yml": "include: ci/bad.yml\nx:\n  script: [x]\n", "ci/bad.yml": "a: [unclosed\n"}
    ctx = ctx_for(files)
    [p] = PARSER.parse(".gitlab-ci.yml", files[".gitlab-ci.yml"], ctx)
    assert [j.id for j in p.jobs] == ["x"]
    assert [w.code for w in ctx.warnings] == ["broken-yaml"]


# -- extends and !reference -----------------------------------------------------------------------

def test_extends_multi_level_deep_merge() -> None:
    p = parse("""
        .base:
          image: alpine
          variables: {A: "1"}
          before_script: [echo base]
          rules:
            - if: $CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH
        .deploy:
          extends: .base
          stage: deploy
          variables: {B: "2"}
          script: [./deploy.sh]
          environment: {name: production}
        .manual:
          when: manual
        deploy-prod:
          extends: [.deploy, .manual]
          script: [./deploy.sh prod]
    """)
    assert [j.id for j in p.jobs] == ["deploy-prod"]
    j = job(p, "deploy-prod")
    assert j.extends == (".deploy", ".base", ".manual")
    assert [c.text for c in j.commands] == ["echo base", "./deploy.sh prod"]
    assert j.stage == "deploy"
    assert j.environment == "production"
    assert j.triggers == {"push"}  # rules inherited from .base
    assert j.manual is True  # the job-level `when: manual` from .manual applies to the rule that has no `when`


def test_extends_cycle_is_noted_not_fatal() -> None:
    p = parse("""
        .a:
          extends: .b
          script: [a]
        .b:
          extends: .a
        job:
          extends: .a
    """)
    assert [c.text for c in job(p, "job").commands] == ["a"]
    assert any("circular" in n for n in p.notes)


def test_reference_tags_are_resolved() -> None:
    p = parse("""
        .setup:
          script:
            - echo setup
            - pip install -r requirements.txt
        .rules:
          deploy:
            - if: $CI_COMMIT_TAG
        deploy:
          script:
            - !reference [.setup, script]
            - ./deploy.sh
          rules:
            - !reference [.rules, deploy]
        broken:
          script:
            - !reference [.nothing, script]
            - echo still here
    """)
    d = job(p, "deploy")
    assert [(c.text, c.line) for c in d.commands] == [
        ("echo setup", 4), ("pip install -r requirements.txt", 5), ("./deploy.sh", 12),
    ]
    assert d.triggers == {"tag"}
    assert [c.text for c in job(p, "broken").commands] == ["echo still here"]
    assert any("cannot be resolved" in n for n in p.notes)


# -- trigger jobs ---------------------------------------------------------------------------------

def test_trigger_project_and_child_pipeline() -> None:
    p = parse("""
        downstream:
          trigger: group/deployer
        downstream-map:
          trigger:
            project: group/other
            branch: main
        child:
          trigger:
            include: ci/child.yml
    """)
    assert job(p, "downstream").trigger_project == "group/deployer"
    assert job(p, "downstream-map").trigger_project == "group/other"
    assert job(p, "child").trigger_project is None
    assert any("child pipeline from ci/child.yml" in n for n in p.notes)


# -- errors ---------------------------------------------------------------------------------------

def test_broken_yaml_raises() -> None:
    with pytest.raises(yaml.YAMLError):
        PARSER.parse(".gitlab-ci.yml", "build:\n  script: [make\n", ctx_for({}))


@pytest.mark.parametrize("text", ["- a\n- b\n", "just a string\n", ""])
def test_non_mapping_raises_value_error(text: str) -> None:
    with pytest.raises(ValueError):
        PARSER.parse(".gitlab-ci.yml", text, ctx_for({}))


# -- the expression evaluator ---------------------------------------------------------------------

@pytest.mark.parametrize(("expr", "source", "expected"), [
    ('$CI_PIPELINE_SOURCE == "push"', PUSH_DEFAULT, True),
    ("$CI_PIPELINE_SOURCE == 'push'", MERGE_REQUEST, False),
    ('$CI_PIPELINE_SOURCE != "merge_request_event"', MERGE_REQUEST, False),
    ("$CI_COMMIT_TAG", TAG_PUSH, True),
    ("$CI_COMMIT_TAG", PUSH_DEFAULT, False),
    ("$CI_COMMIT_TAG == null", PUSH_BRANCH, True),
    ("$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH", PUSH_BRANCH, False),
    ('$CI_COMMIT_BRANCH == "develop"', PUSH_BRANCH, None),
    ('$CI_COMMIT_BRANCH =~ /^feat/', PUSH_DEFAULT, False),
    ('$CI_COMMIT_BRANCH =~ /^MA/i', PUSH_DEFAULT, True),
    ('$CI_COMMIT_BRANCH !~ /^main$/', PUSH_BRANCH, True),
    ('$CI_COMMIT_BRANCH !~ /^release/', PUSH_BRANCH, None),
    ('$CI_COMMIT_BRANCH =~ /^main$/', PUSH_BRANCH, False),
    ("$UNKNOWN", PUSH_DEFAULT, None),
    ('$UNKNOWN == "x" || $CI_COMMIT_TAG', TAG_PUSH, True),
    ('$UNKNOWN == "x" && $CI_COMMIT_TAG', PUSH_DEFAULT, False),
    ('$CI_COMMIT_TAG || $CI_COMMIT_BRANCH == "main" && $CI_PIPELINE_SOURCE == "web"', PUSH_DEFAULT, False),
    ('($CI_COMMIT_TAG || $CI_COMMIT_BRANCH == "main") && $CI_PIPELINE_SOURCE == "push"', PUSH_DEFAULT, True),
    ("$CI_MERGE_REQUEST_IID", MERGE_REQUEST, True),
    ("$CI_MERGE_REQUEST_TARGET_BRANCH_NAME == 'main'", PUSH_DEFAULT, False),
    ('${CI_PROJECT_PATH} == "group/proj"', PUSH_DEFAULT, True),
])
def test_expressions(expr: str, source: _Source, expected: bool | None) -> None:
    env = _make_env(source, "main", "group/proj")
    assert evaluate_expression(expr, env) is expected


@pytest.mark.parametrize("expr", ["$A ==", "($A", "$A = 'x'", ""])
def test_unreadable_expressions_raise(expr: str) -> None:
    with pytest.raises(ExpressionError):
        evaluate_expression(expr, _make_env(PUSH_DEFAULT, "main", None))


def test_unreadable_rule_is_unknown_and_noted() -> None:
    p = parse("""
        job:
          script: [x]
          rules:
            - if: $A === "x"
    """)
    assert job(p, "job").triggers == {"push", "tag", "pull_request"}
    assert any("not understood" in n for n in p.notes)
