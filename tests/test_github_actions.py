"""GitHub Actions parser: triggers, guards, environments, commands, reusable workflows."""

from __future__ import annotations

from textwrap import dedent

import pytest
import yaml

from collectors.detectors.interface import DetectionContext, RepoIdentity
from collectors.pipelines.github_actions import PARSERS, evaluate, parse_expression, split_script
from collectors.pipelines.model import Job, Pipeline
from collectors.repofiles import MemoryRepoFiles

WF = ".github/workflows/ci.yml"
PARSER = PARSERS[0]


def context(files: dict[str, str], name: str | None = "acme/app", default_branch: str | None = "main") -> DetectionContext:
    clean = {path: dedent(text).lstrip("\n") for path, text in files.items()}
    return DetectionContext(files=MemoryRepoFiles(clean), repo=RepoIdentity(name=name, default_branch=default_branch))


def parse(text: str, *, path: str = WF, extra: dict[str, str] | None = None, name: str | None = "acme/app",
          default_branch: str | None = "main") -> Pipeline:
    ctx = context({path: text, **(extra or {})}, name=name, default_branch=default_branch)
    pipelines = PARSER.parse(path, ctx.files.read_text(path) or "", ctx)
    assert len(pipelines) == 1
    return pipelines[0]


def job(pipeline: Pipeline, job_id: str) -> Job:
    found = pipeline.job(job_id)
    assert found is not None, f"no job {job_id}"
    return found


def workflow(on: str, job_body: str = "runs-on: ubuntu-latest\nsteps:\n  - run: make") -> str:
    """A workflow with `on:` as given (YAML after `on:`) and one job `build`."""
    body = "\n".join("    " + line for line in dedent(job_body).strip().splitlines())
    return f"on:{on}\njobs:\n  build:\n{body}\n"


# --- candidates --------------------------------------------------------------------------------


def test_candidates_are_workflow_files_directly_in_the_workflows_folder() -> None:
    ctx = context({
        ".github/workflows/ci.yml": "x", ".github/workflows/release.yaml": "x",
        ".github/workflows/nested/old.yml": "x", ".github/workflows/README.md": "x",
        ".github/workflows/ci.yml.disabled": "x", "docs/.github/workflows/ci.yml": "x",
        "examples/app/.github/workflows/deploy.yml": "x", "ci.yml": "x",
    })
    assert PARSER.system == "github-actions"
    assert sorted(PARSER.candidates(ctx)) == [".github/workflows/ci.yml", ".github/workflows/release.yaml"]


# --- on: forms and trigger vocabulary ------------------------------------------------------------


def test_on_as_a_string() -> None:
    p = parse(workflow(" push"))
    assert p.triggers == {"push"}
    assert p.trigger_lines == {"push": 1}
    assert p.line == 1


def test_on_as_a_list_records_each_event_line() -> None:
    p = parse("name: CI\non:\n  - push\n  - pull_request\njobs:\n  build:\n    runs-on: x\n    steps: [{run: make}]\n")
    assert p.triggers == {"push", "pull_request"}
    assert p.trigger_lines == {"push": 3, "pull_request": 4}
    assert p.line == 2
    assert job(p, "build").triggers == {"push", "pull_request"}


def test_on_as_a_mapping_with_null_values() -> None:
    p = parse(workflow("\n  push:\n  pull_request:\n  workflow_dispatch:\n"))
    assert p.triggers == {"push", "pull_request", "manual"}
    assert p.trigger_lines == {"push": 2, "pull_request": 3, "manual": 4}


def test_on_key_is_a_string_not_a_yaml_boolean() -> None:
    # YAML 1.1 would read `on` as True; the lenient loader keeps it a string key.
    p = parse('"on": [push]\njobs:\n  a:\n    runs-on: x\n    steps: [{run: make}]\n')
    assert p.triggers == {"push"}
    p = parse("on: {schedule: [{cron: '0 0 * * *'}]}\njobs:\n  a:\n    runs-on: x\n    steps: [{run: make}]\n")
    assert p.triggers == {"schedule"}


@pytest.mark.parametrize(("on", "triggers"), [
    (" pull_request_target", {"pull_request"}),
    (" merge_group", {"pull_request"}),
    ("\n  schedule:\n    - cron: '0 3 * * *'", {"schedule"}),
    (" workflow_dispatch", {"manual"}),
    (" repository_dispatch", {"api"}),
    ("\n  workflow_run:\n    workflows: [CI]\n    types: [completed]", {"upstream"}),
    (" [issue_comment, pull_request_review_comment]", {"comment"}),
    ("\n  release:\n    types: [published]", {"tag"}),
    (" create", {"tag"}),
    (" [issues, label, watch]", set()),
])
def test_events_map_to_the_trigger_vocabulary(on: str, triggers: set[str]) -> None:
    p = parse(workflow(on))
    assert p.triggers == triggers
    assert job(p, "build").triggers == triggers
    assert p.active and job(p, "build").active


def test_push_with_only_tags_is_a_tag_trigger() -> None:
    p = parse(workflow("\n  push:\n    tags: ['v*']"))
    assert p.triggers == {"tag"}
    b = job(p, "build")
    assert b.triggers == {"tag"}
    assert b.tags_only is True
    assert b.default_branch is False


def test_push_with_tags_ignore_only_is_a_tag_trigger() -> None:
    assert parse(workflow("\n  push:\n    tags-ignore: ['nightly']")).triggers == {"tag"}


def test_push_with_branches_and_tags_is_both() -> None:
    p = parse(workflow("\n  push:\n    branches: [main]\n    tags: ['v*']"))
    assert p.triggers == {"push", "tag"}
    b = job(p, "build")
    assert b.triggers == {"push", "tag"}
    assert b.tags_only is False
    assert b.default_branch is True


def test_plain_push_records_push_only() -> None:
    p = parse(workflow("\n  push:\n    paths: ['src/**']"))
    assert p.triggers == {"push"}
    assert job(p, "build").triggers == {"push"}
    assert job(p, "build").default_branch is True


# --- branch filters and the default branch -----------------------------------------------------


@pytest.mark.parametrize(("filters", "default_branch"), [
    ("branches: [main]", True),
    ("branches: [develop]", False),
    ("branches: ['release/**']", False),
    ("branches: ['ma*']", True),
    ("branches: ['**', '!main']", False),
    ("branches: ['!main', '**']", True),
    ("branches-ignore: [main]", False),
    ("branches-ignore: ['feature/**']", True),
])
def test_push_branch_filters_decide_whether_the_default_branch_runs(filters: str, default_branch: bool) -> None:
    b = job(parse(workflow(f"\n  push:\n    {filters}")), "build")
    assert b.default_branch is default_branch
    assert b.triggers == {"push"}


def test_default_branch_from_repository_identity() -> None:
    on = "\n  push:\n    branches: [trunk]"
    assert job(parse(workflow(on), default_branch="trunk"), "build").default_branch is True
    assert job(parse(workflow(on), default_branch="main"), "build").default_branch is False


def test_unknown_default_branch_means_main_or_master() -> None:
    on = "\n  push:\n    branches: [master]"
    assert job(parse(workflow(on), default_branch=None), "build").default_branch is True
    on = "\n  push:\n    branches: [develop]"
    assert job(parse(workflow(on), default_branch=None), "build").default_branch is False


def test_pull_request_only_workflow_does_not_run_on_the_default_branch() -> None:
    b = job(parse(workflow(" pull_request")), "build")
    assert b.default_branch is False
    assert b.triggers == {"pull_request"}


def test_workflow_run_after_the_default_branch_counts_as_default_branch() -> None:
    on = "\n  workflow_run:\n    workflows: [CI]\n    branches: [main]\n    types: [completed]"
    b = job(parse(workflow(on, "if: github.event.workflow_run.conclusion == 'success'\nruns-on: x\nsteps: [{run: ./deploy}]")), "build")
    assert b.triggers == {"upstream"}
    assert b.default_branch is True
    on = "\n  workflow_run:\n    workflows: [CI]\n    branches: [develop]"
    assert job(parse(workflow(on)), "build").default_branch is False


def test_ref_guard_limits_a_job_to_the_default_branch() -> None:
    p = parse(workflow(" [push, pull_request]", "if: github.ref == 'refs/heads/main'\nruns-on: x\nsteps: [{run: ./deploy}]"))
    b = job(p, "build")
    assert b.triggers == {"push"}
    assert b.default_branch is True
    assert b.active


def test_ref_guard_for_another_branch_runs_on_push_but_not_the_default_branch() -> None:
    on = "\n  push:\n    branches: [main, develop]"
    b = job(parse(workflow(on, "if: github.ref_name == 'develop'\nruns-on: x\nsteps: [{run: ./deploy}]")), "build")
    assert b.triggers == {"push"}
    assert b.default_branch is False


def test_default_branch_comparison_with_the_event_repository() -> None:
    guard = "if: github.ref == format('refs/heads/{0}', github.event.repository.default_branch)"
    b = job(parse(workflow(" [push, pull_request]", f"{guard}\nruns-on: x\nsteps: [{{run: ./deploy}}]")), "build")
    assert b.triggers == {"push"}
    assert b.default_branch is True


def test_tag_guard_on_plain_push_makes_a_tags_only_job() -> None:
    p = parse(workflow(" push", "if: startsWith(github.ref, 'refs/tags/')\nruns-on: x\nsteps: [{run: ./release}]"))
    b = job(p, "build")
    assert b.tags_only is True
    assert b.triggers == {"tag"}
    assert b.default_branch is False
    assert p.triggers == {"push"}


def test_contains_refs_tags_guard_is_decided_for_branch_refs() -> None:
    b = job(parse(workflow(" push", "if: contains(github.ref, 'refs/tags')\nruns-on: x\nsteps: [{run: ./release}]")), "build")
    assert b.tags_only is True
    assert b.triggers == {"tag"}


def test_tag_guard_on_dispatch_is_still_tags_only() -> None:
    on = "\n  push:\n    tags: ['v*']\n  workflow_dispatch:"
    b = job(parse(workflow(on, "if: github.ref_type == 'tag'\nruns-on: x\nsteps: [{run: ./release}]")), "build")
    assert b.tags_only is True
    assert b.triggers == {"tag", "manual"}
    b = job(parse(workflow(on)), "build")
    assert b.tags_only is False


# --- job guards ---------------------------------------------------------------------------------

DEPLOY = """
on:
  push:
    branches: [main]
jobs:
  deploy:
    if: github.repository == 'acme/app'
    environment: production
    runs-on: ubuntu-latest
    steps:
      - run: ./deploy.sh
"""


def test_repository_guard_matching_this_repository_keeps_the_job_active() -> None:
    d = job(parse(DEPLOY, name="acme/app"), "deploy")
    assert d.active is True
    assert d.inactive_reason is None
    assert d.triggers == {"push"}


def test_repository_guard_compares_case_insensitively() -> None:
    assert job(parse(DEPLOY, name="ACME/App"), "deploy").active is True


def test_repository_guard_naming_another_repository_makes_the_job_inactive() -> None:
    d = job(parse(DEPLOY, name="someone/fork"), "deploy")
    assert d.active is False
    assert d.inactive_reason is not None
    assert "github.repository == 'acme/app'" in d.inactive_reason
    assert "line 6" in d.inactive_reason
    assert "someone/fork" in d.inactive_reason
    # an inactive job keeps its other data
    assert d.environment == "production"
    assert [c.text for c in d.commands] == ["./deploy.sh"]
    assert d.triggers == {"push"}


def test_repository_guard_with_unknown_repository_stays_active() -> None:
    assert job(parse(DEPLOY, name=None), "deploy").active is True


def test_repository_owner_guard() -> None:
    text = workflow(" push", "if: ${{ github.repository_owner == 'acme' && github.event_name == 'push' }}\nruns-on: x\nsteps: [{run: x}]")
    assert job(parse(text, name="acme/app"), "build").active is True
    other = job(parse(text, name="fork/app"), "build")
    assert other.active is False
    assert other.inactive_reason is not None and "acme" in other.inactive_reason


def test_negated_repository_guard_is_inactive_in_that_repository() -> None:
    text = workflow(" push", "if: github.repository != 'acme/app'\nruns-on: x\nsteps: [{run: x}]")
    assert job(parse(text, name="acme/app"), "build").active is False
    assert job(parse(text, name="other/app"), "build").active is True


@pytest.mark.parametrize("guard", ["false", "${{ false }}", "\"${{ false }}\"", "1 == 2"])
def test_if_false_makes_the_job_inactive(guard: str) -> None:
    b = job(parse(workflow(" push", f"if: {guard}\nruns-on: x\nsteps: [{{run: make}}]")), "build")
    assert b.active is False
    assert b.inactive_reason is not None and "always false" in b.inactive_reason
    assert [c.text for c in b.commands] == ["make"]


def test_embedded_expression_in_if_is_a_non_empty_string_and_always_runs() -> None:
    # GitHub treats `${{ false }} && true` as a string, which is truthy.
    b = job(parse(workflow(" push", "if: ${{ false }} && true\nruns-on: x\nsteps: [{run: make}]")), "build")
    assert b.active is True


def test_event_name_guard_restricts_triggers() -> None:
    on = " [push, pull_request, workflow_dispatch]"
    b = job(parse(workflow(on, "if: github.event_name == 'push'\nruns-on: x\nsteps: [{run: x}]")), "build")
    assert b.triggers == {"push"}
    b = job(parse(workflow(on, "if: ${{ github.event_name != 'pull_request' }}\nruns-on: x\nsteps: [{run: x}]")), "build")
    assert b.triggers == {"push", "manual"}
    guard = "contains(fromJSON('[\"push\", \"workflow_dispatch\"]'), github.event_name)"
    b = job(parse(workflow(on, f"if: {guard}\nruns-on: x\nsteps: [{{run: x}}]")), "build")
    assert b.triggers == {"push", "manual"}


def test_event_name_guard_for_dispatch_makes_the_job_manual() -> None:
    on = " [push, workflow_dispatch]"
    b = job(parse(workflow(on, "if: github.event_name == 'workflow_dispatch'\nruns-on: x\nsteps: [{run: x}]")), "build")
    assert b.triggers == {"manual"}
    assert b.manual is True
    assert b.default_branch is False


def test_unknown_values_keep_every_trigger() -> None:
    on = " [push, pull_request]"
    for guard in ("vars.DEPLOY == 'true'", "secrets.TOKEN != ''", "success() && needs.test.result == 'success'",
                  "${{ !contains(github.event.head_commit.message, '[skip ci]') }}"):
        b = job(parse(workflow(on, f"if: \"{guard}\"\nruns-on: x\nsteps: [{{run: x}}]")), "build")
        assert b.triggers == {"push", "pull_request"}, guard
        assert b.active


def test_fork_guard_on_pull_requests() -> None:
    guard = "github.event_name == 'push' || github.event.pull_request.head.repo.full_name == github.repository"
    b = job(parse(workflow(" [push, pull_request]", f"if: {guard}\nruns-on: x\nsteps: [{{run: x}}]")), "build")
    assert b.triggers == {"push", "pull_request"}
    guard = "github.event.pull_request.head.repo.full_name == github.repository"
    b = job(parse(workflow(" [push, pull_request]", f"if: {guard}\nruns-on: x\nsteps: [{{run: x}}]")), "build")
    assert b.triggers == {"pull_request"}


def test_dispatch_input_is_null_on_other_events() -> None:
    on = "\n  push:\n  workflow_dispatch:\n    inputs:\n      deploy: {type: boolean}"
    b = job(parse(workflow(on, "if: inputs.deploy\nruns-on: x\nsteps: [{run: x}]")), "build")
    assert b.triggers == {"manual"}
    assert b.manual is True


def test_guard_false_for_every_event_makes_the_job_inactive() -> None:
    b = job(parse(workflow(" pull_request", "if: github.event_name == 'push'\nruns-on: x\nsteps: [{run: x}]")), "build")
    assert b.active is False
    assert b.inactive_reason is not None and "every event" in b.inactive_reason
    assert b.triggers == frozenset()


def test_unparseable_guard_is_unknown_and_noted() -> None:
    p = parse(workflow(" push", "if: github.ref == \nruns-on: x\nsteps: [{run: x}]"))
    assert job(p, "build").active is True
    assert job(p, "build").triggers == {"push"}
    assert any("cannot parse" in n for n in p.notes)


# --- manual ---------------------------------------------------------------------------------------


def test_workflow_dispatch_only_is_manual() -> None:
    b = job(parse(workflow(" workflow_dispatch")), "build")
    assert b.manual is True
    assert b.triggers == {"manual"}
    assert b.default_branch is False


def test_dispatch_with_schedule_is_not_manual() -> None:
    b = job(parse(workflow("\n  workflow_dispatch:\n  schedule:\n    - cron: '0 0 * * 1'")), "build")
    assert b.manual is False
    assert b.triggers == {"manual", "schedule"}


# --- environments -------------------------------------------------------------------------------


def test_environment_as_string_and_mapping() -> None:
    text = """
    on: push
    jobs:
      staging:
        runs-on: x
        environment: staging
        steps: [{run: ./deploy staging}]
      prod:
        runs-on: x
        environment:
          name: production
          url: https://example.com
        steps: [{run: ./deploy prod}]
    """
    p = parse(dedent(text).lstrip())
    assert (job(p, "staging").environment, job(p, "staging").environment_line) == ("staging", 5)
    assert (job(p, "prod").environment, job(p, "prod").environment_line) == ("production", 9)
    assert job(p, "prod").matrix_environments == ()


def test_environment_from_matrix_values_and_include() -> None:
    text = """
    on: push
    jobs:
      deploy:
        strategy:
          matrix:
            env: [staging, qa]
            include:
              - env: production
                region: eu
        environment: ${{ matrix.env }}
        runs-on: x
        steps: [{run: ./deploy}]
    """
    d = job(parse(dedent(text).lstrip()), "deploy")
    assert d.environment == "${{ matrix.env }}"
    assert d.matrix_environments == ("staging", "qa", "production")


def test_environment_from_a_nested_matrix_value_in_a_template() -> None:
    text = """
    on: push
    jobs:
      deploy:
        strategy:
          matrix:
            target: [{name: eu}, {name: us}]
        environment:
          name: prod-${{ matrix.target.name }}
        runs-on: x
        steps: [{run: ./deploy}]
    """
    d = job(parse(dedent(text).lstrip()), "deploy")
    assert d.environment == "prod-${{ matrix.target.name }}"
    assert d.matrix_environments == ("prod-eu", "prod-us")


def test_environment_from_a_dispatch_choice_input() -> None:
    text = """
    on:
      workflow_dispatch:
        inputs:
          environment:
            type: choice
            options: [staging, production]
    jobs:
      deploy:
        environment: ${{ github.event.inputs.environment }}
        runs-on: x
        steps: [{run: ./deploy}]
    """
    d = job(parse(dedent(text).lstrip()), "deploy")
    assert d.environment == "${{ github.event.inputs.environment }}"
    assert d.matrix_environments == ("staging", "production")
    assert d.manual is True


def test_environment_expression_that_cannot_be_enumerated_stays_raw() -> None:
    d = job(parse(workflow(" push", "environment: ${{ vars.TARGET }}\nruns-on: x\nsteps: [{run: x}]")), "build")
    assert d.environment == "${{ vars.TARGET }}"
    assert d.matrix_environments == ()


# --- commands -----------------------------------------------------------------------------------

SCRIPT = """
on: push
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - name: Build
        run: |
          # install first
          npm ci

          docker build \\
            -t app:latest \\
            .
          cat > values.yaml <<'EOF'
          kubectl apply -f not-a-command
          EOF
          echo "done # not a comment"  # a comment
      - run: make test
      - name: PowerShell
        shell: pwsh
        run: |
          Invoke-Build `
            -Task Test
"""


def test_run_is_split_into_logical_commands_with_file_lines() -> None:
    cmds = job(parse(dedent(SCRIPT).lstrip()), "build").commands
    assert [(c.text, c.line, c.kind) for c in cmds] == [
        ("npm ci", 9, "shell"),
        ("docker build -t app:latest .", 11, "shell"),
        ("cat > values.yaml <<'EOF'", 14, "shell"),
        ('echo "done # not a comment"', 17, "shell"),
        ("make test", 18, "shell"),
        ("Invoke-Build -Task Test", 22, "shell"),
    ]


def test_split_script_runs_here_documents_fed_to_a_shell() -> None:
    script = "ssh deploy@host <<EOF\n  cd /srv/app\n  ./migrate.sh\nEOF\necho ok\n"
    assert [(t, i) for t, i, _ in split_script(script)] == [
        ("ssh deploy@host <<EOF", 0), ("cd /srv/app", 1), ("./migrate.sh", 2), ("echo ok", 4),
    ]


def test_split_script_joins_multi_line_quoted_strings() -> None:
    assert [t for t, _, _ in split_script('python -c "\nimport app\napp.run()\n"\nls\n')] == [
        'python -c "\nimport app\napp.run()\n"', "ls",
    ]


def test_folded_and_plain_run_values_locate_their_line() -> None:
    text = "on: push\njobs:\n  b:\n    runs-on: x\n    steps:\n      - run: >\n          make\n          all\n      - {name: t, run: make test}\n"
    cmds = job(parse(text), "b").commands
    assert [(c.text, c.line) for c in cmds] == [("make all", 7), ("make test", 9)]


def test_uses_becomes_an_action_command_with_string_inputs() -> None:
    text = """
    on: push
    jobs:
      build:
        runs-on: x
        steps:
          - uses: actions/checkout@v4
          - uses: docker/build-push-action@v5
            with:
              push: true
              tags: ghcr.io/acme/app:latest
              retries: 3
    """
    cmds = job(parse(dedent(text).lstrip()), "build").commands
    assert [(c.text, c.kind, c.line) for c in cmds] == [
        ("actions/checkout@v4", "action", 6), ("docker/build-push-action@v5", "action", 7),
    ]
    assert cmds[1].inputs == (("push", "true"), ("tags", "ghcr.io/acme/app:latest"), ("retries", "3"))
    assert cmds[1].input("push") == "true"


def test_step_if_false_drops_the_step() -> None:
    text = """
    on: push
    jobs:
      build:
        runs-on: x
        steps:
          - if: false
            run: ./never
          - if: github.event_name == 'pull_request'
            run: ./only-on-prs
          - if: always()
            run: ./report
          - if: env.DEPLOY == 'yes'
            run: ./deploy
          - if: steps.build.outcome == 'success'
            run: ./maybe
    """
    cmds = job(parse(dedent(text).lstrip()), "build").commands
    assert [c.text for c in cmds] == ["./report", "./deploy", "./maybe"]


def test_step_if_on_a_literal_env_value() -> None:
    text = """
    on: push
    env:
      DEPLOY: "no"
    jobs:
      build:
        runs-on: x
        steps:
          - if: env.DEPLOY == 'yes'
            run: ./deploy
          - run: make
    """
    assert [c.text for c in job(parse(dedent(text).lstrip()), "build").commands] == ["make"]
    # a step may change env through $GITHUB_ENV: then the value is unknown
    changed = dedent(text).lstrip().replace("- run: make", "- run: echo DEPLOY=yes >> $GITHUB_ENV")
    assert [c.text for c in job(parse(changed), "build").commands] == ["./deploy", "echo DEPLOY=yes >> $GITHUB_ENV"]


def test_local_composite_action_is_expanded() -> None:
    text = """
    on: push
    jobs:
      build:
        runs-on: x
        steps:
          - uses: ./.github/actions/setup
            with:
              node: 20
          - run: npm test
    """
    action = """
    name: setup
    runs:
      using: composite
      steps:
        - uses: actions/setup-node@v4
        - run: |
            npm ci
            npm run build
          shell: bash
        - if: false
          run: never
          shell: bash
        - uses: ./.github/actions/nested
    """
    nested = "runs:\n  using: composite\n  steps:\n    - run: terraform apply -auto-approve\n      shell: bash\n"
    p = parse(dedent(text).lstrip(), extra={".github/actions/setup/action.yml": action,
                                            ".github/actions/nested/action.yaml": nested})
    cmds = job(p, "build").commands
    assert [(c.text, c.kind) for c in cmds] == [
        ("./.github/actions/setup", "action"), ("actions/setup-node@v4", "action"), ("npm ci", "shell"),
        ("npm run build", "shell"), ("./.github/actions/nested", "action"), ("terraform apply -auto-approve", "shell"),
        ("npm test", "shell"),
    ]
    assert cmds[0].inputs == (("node", "20"),)
    assert {c.line for c in cmds[:6]} == {6}  # located at the `uses:` that runs them
    assert ".github/actions/setup/action.yml" in p.includes
    assert ".github/actions/nested/action.yaml" in p.includes


def test_missing_local_action_is_noted() -> None:
    p = parse(workflow(" push", "runs-on: x\nsteps:\n  - uses: ./tools/missing"))
    assert [c.text for c in job(p, "build").commands] == ["./tools/missing"]
    assert any("./tools/missing" in n for n in p.notes)


def test_needs_services_and_container() -> None:
    text = """
    on: push
    jobs:
      test:
        runs-on: x
        container: node:20
        services:
          db:
            image: postgres:16
          cache: redis:7
          broken: {ports: [1]}
        steps: [{run: npm test}]
      deploy:
        needs: test
        runs-on: x
        steps: [{run: ./deploy}]
      report:
        needs: [test, deploy]
        name: Report
        runs-on: x
        steps: [{run: ./report}]
    """
    p = parse(dedent(text).lstrip())
    assert job(p, "test").services == ("postgres:16", "redis:7")
    assert job(p, "deploy").needs == ("test",)
    assert job(p, "report").needs == ("test", "deploy")
    assert job(p, "report").name == "Report"
    assert job(p, "test").line == 3


# --- reusable workflows --------------------------------------------------------------------------

CALLER = """
on:
  push:
    branches: [main]
  pull_request:
jobs:
  test:
    uses: ./.github/workflows/test.yml
  deploy:
    if: github.event_name == 'push'
    uses: ./.github/workflows/deploy.yml
    with:
      environment: production
      dry-run: false
    secrets: inherit
"""
CALLEE = """
on:
  workflow_call:
    inputs:
      environment: {type: string, required: true}
      dry-run: {type: boolean, default: true}
jobs:
  deploy:
    if: ${{ !inputs.dry-run }}
    environment: ${{ inputs.environment }}
    runs-on: x
    steps:
      - run: ./deploy.sh
  smoke:
    if: inputs.dry-run
    runs-on: x
    steps: [{run: ./smoke.sh}]
"""
TESTS = "on: workflow_call\njobs:\n  unit:\n    runs-on: x\n    steps: [{run: pytest}]\n"
REUSABLE = {".github/workflows/deploy.yml": CALLEE, ".github/workflows/test.yml": TESTS}


def test_job_calling_a_reusable_workflow() -> None:
    p = parse(CALLER, extra=REUSABLE)
    d = job(p, "deploy")
    assert d.extends == (".github/workflows/deploy.yml",)
    assert [(c.text, c.kind, c.line) for c in d.commands] == [(".github/workflows/deploy.yml", "action", 10)]
    assert d.commands[0].inputs == (("environment", "production"), ("dry-run", "false"))
    assert d.triggers == {"push"}
    assert set(p.includes) == {".github/workflows/deploy.yml", ".github/workflows/test.yml"}


def test_called_workflow_runs_under_the_callers_triggers() -> None:
    ctx = context({WF: CALLER, **REUSABLE})
    [p] = PARSER.parse(".github/workflows/deploy.yml", ctx.files.read_text(".github/workflows/deploy.yml") or "", ctx)
    assert p.active is True
    assert p.triggers == {"push"}  # the calling job only runs on push
    assert p.trigger_lines == {"push": 2}
    d = job(p, "deploy")
    assert d.triggers == {"push"}
    assert d.default_branch is True
    assert d.environment == "production"
    assert d.active is True
    # `dry-run: false` from the caller makes the smoke job never run
    assert job(p, "smoke").active is False

    [t] = PARSER.parse(".github/workflows/test.yml", TESTS, ctx)
    assert t.triggers == {"push", "pull_request"}
    assert job(t, "unit").triggers == {"push", "pull_request"}


def test_called_workflow_environment_from_several_callers() -> None:
    caller = """
    on: push
    jobs:
      deploy:
        strategy:
          matrix:
            env: [staging, production]
        uses: ./.github/workflows/deploy.yml
        with:
          environment: ${{ matrix.env }}
          dry-run: false
    """
    ctx = context({WF: caller, **REUSABLE})
    [p] = PARSER.parse(".github/workflows/deploy.yml", ctx.files.read_text(".github/workflows/deploy.yml") or "", ctx)
    d = job(p, "deploy")
    assert d.environment == "${{ inputs.environment }}"
    assert d.matrix_environments == ("staging", "production")


def test_reusable_workflow_not_called_is_inactive() -> None:
    p = parse(TESTS, path=".github/workflows/test.yml")
    assert p.active is False
    assert p.inactive_reason == "reusable workflow not called from this repository"
    assert p.triggers == frozenset()
    u = job(p, "unit")
    assert u.active is False
    assert u.triggers == frozenset()
    assert [c.text for c in u.commands] == ["pytest"]


def test_reusable_workflow_with_another_trigger_is_active() -> None:
    p = parse("on: [workflow_call, workflow_dispatch]\njobs:\n  a:\n    runs-on: x\n    steps: [{run: x}]\n")
    assert p.active is True
    assert job(p, "a").manual is True


def test_reusable_workflow_called_only_from_an_inactive_job() -> None:
    caller = "on: push\njobs:\n  t:\n    if: github.repository == 'upstream/app'\n    uses: ./.github/workflows/test.yml\n"
    ctx = context({WF: caller, ".github/workflows/test.yml": TESTS}, name="fork/app")
    [p] = PARSER.parse(".github/workflows/test.yml", TESTS, ctx)
    assert p.active is False
    assert p.inactive_reason is not None and ".github/workflows/ci.yml:t" in p.inactive_reason


def test_reusable_workflow_called_by_its_full_name_from_the_same_repository() -> None:
    caller = "on: release\njobs:\n  t:\n    uses: acme/app/.github/workflows/test.yml@main\n"
    ctx = context({WF: caller, ".github/workflows/test.yml": TESTS}, name="acme/app")
    [p] = PARSER.parse(".github/workflows/test.yml", TESTS, ctx)
    assert p.active is True
    assert job(p, "unit").tags_only is True


def test_external_reusable_workflow() -> None:
    p = parse(workflow(" push", "uses: acme/shared/.github/workflows/deploy.yml@v2\nwith:\n  env: prod"))
    b = job(p, "build")
    assert b.extends == ("acme/shared/.github/workflows/deploy.yml@v2",)
    assert [(c.text, c.kind) for c in b.commands] == [("acme/shared/.github/workflows/deploy.yml@v2", "action")]
    assert b.commands[0].input("env") == "prod"
    assert p.includes == ("acme/shared/.github/workflows/deploy.yml@v2",)


# --- not workflows ------------------------------------------------------------------------------


def test_broken_yaml_raises() -> None:
    ctx = context({WF: "on: push\njobs:\n  a: [\n"})
    with pytest.raises(yaml.YAMLError):
        PARSER.parse(WF, "on: push\njobs:\n  a: [\n", ctx)


@pytest.mark.parametrize("text", ["- just\n- a list\n", "name: x\non: push\n", "on: push\njobs: []\n", ""])
def test_not_a_workflow_warns_and_returns_nothing(text: str) -> None:
    ctx = context({WF: text})
    assert PARSER.parse(WF, text, ctx) == []
    assert [w.code for w in ctx.warnings] == ["not-a-workflow"]
    assert ctx.warnings[0].locator == WF


def test_workflow_without_on_never_runs() -> None:
    p = parse("jobs:\n  a:\n    runs-on: x\n    steps: [{run: x}]\n")
    assert p.active is False
    assert p.triggers == frozenset()


# --- the expression evaluator ---------------------------------------------------------------------


@pytest.mark.parametrize(("expression", "value"), [
    ("'Push' == 'push'", True),
    ("'1' == 1", True),
    ("null == 0", True),
    ("'abc' == 0", False),
    ("!(1 == 1) || 2 > 1", True),
    ("true && 'x'", "x"),
    ("false || null", None),
    ("startsWith('refs/tags/v1', 'REFS/TAGS/')", True),
    ("endsWith('app.yml', '.yaml')", False),
    ("contains('Hello', 'ell')", True),
    ("format('{0}-{1}', 'a', 1)", "a-1"),
    ("github.event_name == 'push'", True),
    ("github['event_name']", "push"),
])
def test_expressions_with_known_values(expression: str, value: object) -> None:
    from collectors.pipelines.github_actions import _Open

    assert evaluate(parse_expression(expression), {"github": _Open({"event_name": "push"})}) == value


def test_unknown_values_stay_unknown_unless_the_result_is_decided() -> None:
    from collectors.pipelines.github_actions import _Open, _truth

    contexts = {"github": _Open({"event_name": "push"}), "secrets": _Open({})}

    def truth(expression: str) -> bool | None:
        return _truth(evaluate(parse_expression(expression), contexts))

    assert truth("secrets.TOKEN != ''") is None
    assert truth("!secrets.TOKEN") is None
    assert truth("secrets.TOKEN && github.event_name == 'pull_request'") is False
    assert truth("secrets.TOKEN || github.event_name == 'push'") is True
    assert truth("github.actor == 'bot'") is None


@pytest.mark.parametrize("bad", ["a ==", "(a", "a b", "'open", "a.", "f(a,"])
def test_expression_syntax_errors(bad: str) -> None:
    with pytest.raises(ValueError):
        parse_expression(bad)
