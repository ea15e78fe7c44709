"""Files fetched through an API (`collectors.remote_files`): what is fetched first, and that the
detectors reach the same signals as over the whole repository, in as many rounds as it takes."""

from __future__ import annotations

import ast
import importlib
import inspect
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from collectors.detectors.interface import DetectionContext
from collectors.interface import run_detectors
from collectors.remote_files import PrefetchedRepoFiles, detect_until_complete, is_candidate, select_candidates
from collectors.repofiles import MAX_FILE_BYTES, MemoryRepoFiles
from scanner.signals import fold

# ---------------------------------------------------------------------------------------------
# helpers
# ---------------------------------------------------------------------------------------------


def _bytes(files: dict[str, str | bytes]) -> dict[str, bytes]:
    return {k: v.encode() if isinstance(v, str) else v for k, v in files.items()}


class Remote:
    """A repository behind an API: the tree listing, and a `fetch` that records every batch."""

    def __init__(self, files: dict[str, str | bytes], unreadable: frozenset[str] = frozenset()) -> None:
        self.data = _bytes(files)
        self.tree = {p: len(b) for p, b in self.data.items()}
        self.unreadable = unreadable
        self.batches: list[list[str]] = []

    def fetch(self, paths: list[str]) -> dict[str, bytes | None]:
        self.batches.append(list(paths))
        return {p: None if p in self.unreadable else self.data[p] for p in paths}

    @property
    def fetched(self) -> set[str]:
        return {p for batch in self.batches for p in batch}

    def run(self) -> tuple[DetectionContext, PrefetchedRepoFiles, int]:
        return detect_until_complete(self.tree, self.fetch, lambda files: DetectionContext(files=files))


def reference(files: dict[str, str | bytes]) -> DetectionContext:
    """The detectors over the whole repository at hand (what a local checkout gives)."""
    ctx = DetectionContext(files=MemoryRepoFiles(files))
    run_detectors(ctx)
    return ctx


def assert_same_signals(files: dict[str, str | bytes]) -> tuple[Remote, int]:
    remote = Remote(files)
    ctx, _, rounds = remote.run()
    ref = reference(files)
    assert fold(ctx.evidence) == fold(ref.evidence)
    assert ctx.warnings == ref.warnings
    return remote, rounds


# ---------------------------------------------------------------------------------------------
# the scenario repositories the other tests build
# ---------------------------------------------------------------------------------------------

_TESTS = Path(__file__).parent
_MODULES = sorted(p.stem for p in _TESTS.glob("test_*.py") if p.stem != Path(__file__).stem)


def _file_sets(module_name: str) -> Iterator[tuple[str, dict[str, str | bytes]]]:
    """Every literal file set (`{path: text}`) a test module passes to `make_repo`, `MemoryRepoFiles`,
    `run_module` or its own helpers, evaluated in the module's namespace (sets built from local
    variables are skipped)."""
    try:
        module = importlib.import_module(module_name)
        tree = ast.parse(inspect.getsource(module))
    except Exception:  # noqa: BLE001 - a module that cannot be imported here has no sets for us
        return
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        for arg in node.args[:2]:
            if not (isinstance(arg, ast.Dict) and arg.keys and all(isinstance(k, ast.Constant) and isinstance(k.value, str) for k in arg.keys)):
                continue
            try:
                value = eval(compile(ast.Expression(arg), module_name, "eval"), vars(module))  # noqa: S307 - our own test literals
            except Exception:  # noqa: BLE001
                continue
            if all(isinstance(v, (str, bytes)) for v in value.values()):
                yield f"{module_name}:{node.lineno}", value


SCENARIOS = [s for m in _MODULES for s in _file_sets(m)]


def test_the_scenario_repositories_were_found():
    assert len(SCENARIOS) >= 100
    assert any(name.startswith("test_scenarios:") for name, _ in SCENARIOS)


@pytest.mark.parametrize("files", [s[1] for s in SCENARIOS], ids=[s[0] for s in SCENARIOS])
def test_scenario_signals_equal_those_of_the_whole_repository(files):
    assert_same_signals(files)


def test_round_one_misses_few_files_of_the_scenarios():
    reads = misses = 0
    for _, files in SCENARIOS:
        ref = reference(files)
        reads += sum(1 for p in ref.files._text if p in files)
        remote = Remote(files)
        remote.run()
        misses += sum(len(b) for b in remote.batches[1:])
    assert reads > 300
    assert misses <= reads * 0.02


# ---------------------------------------------------------------------------------------------
# hand-made layouts
# ---------------------------------------------------------------------------------------------

BIG_SOURCE = "def f():\n    return 1\n" * 20_000  # ~440 kB of code no detector reads


def test_github_workflow_running_a_deploy_script_in_one_round():
    files = {
        ".github/workflows/deploy.yml": "on:\n  push:\n    branches: [main]\njobs:\n  deploy:\n    runs-on: ubuntu-latest\n"
                                        "    environment: production\n    steps:\n      - uses: actions/checkout@v4\n      - run: ./scripts/deploy.sh\n",
        "scripts/deploy.sh": "#!/bin/sh\nset -e\nkubectl apply -f k8s/\n",
        "k8s/deployment.yaml": "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n"
                               "      containers:\n        - name: web\n          image: ghcr.io/o/web:1\n",
        "src/app/engine.py": BIG_SOURCE,
        "src/app/util.py": "X = 1\n",
        "README.md": "# app\n",
    }
    remote, rounds = assert_same_signals(files)
    assert rounds == 1
    assert "scripts/deploy.sh" in remote.batches[0]
    assert "src/app/engine.py" not in remote.fetched and "src/app/util.py" not in remote.fetched
    signals = fold(reference(files).evidence)
    assert signals["deploy"]["automated"] is True


def test_package_json_script_and_jest_threshold_in_one_round():
    files = {
        ".gitlab-ci.yml": "stages: [test]\ntest:\n  image: node:20\n  script:\n    - npm ci\n    - npm run ci\n",
        "package.json": json.dumps({"name": "web", "scripts": {"ci": "jest --coverage", "lint": "eslint ."}, "devDependencies": {"jest": "^29"}}),
        "jest.config.js": "module.exports = { coverageThreshold: { global: { lines: 80 } } };\n",
        "package-lock.json": "{}",
        "src/index.js": "console.log(1)\n",
        "src/components/Button.jsx": "export default () => null;\n" * 1000,
    }
    remote, rounds = assert_same_signals(files)
    assert rounds == 1
    assert {"package.json", "jest.config.js", ".gitlab-ci.yml"} <= set(remote.batches[0])
    assert "src/components/Button.jsx" not in remote.fetched


def test_makefile_target_and_make_include_in_one_round():
    files = {
        ".circleci/config.yml": "version: 2.1\njobs:\n  test:\n    docker: [{image: cimg/python:3.12}]\n    steps: [checkout, {run: make test}]\n"
                                "workflows:\n  main:\n    jobs: [test]\n",
        "Makefile": "include build/common.mk\n\n.PHONY: test\ntest: deps\n\tpytest --cov=app --cov-fail-under=80\n",
        "build/common.mk": "deps:\n\tpip install -r requirements.txt\n",
        "requirements.txt": "flask==3.0.0\n",
        "app/__init__.py": "",
        "app/views.py": BIG_SOURCE,
    }
    remote, rounds = assert_same_signals(files)
    assert rounds == 1
    assert "app/views.py" not in remote.fetched


def test_gitlab_include_of_a_local_file_in_one_round():
    files = {
        ".gitlab-ci.yml": "include:\n  - local: ci/deploy.gitlab-ci.yml\n  - local: /.gitlab/ci/test.yml\nstages: [test, deploy]\n",
        "ci/deploy.gitlab-ci.yml": "deploy:\n  stage: deploy\n  environment: production\n  script: [helm upgrade --install web chart/]\n"
                                   "  rules:\n    - if: $CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH\n",
        ".gitlab/ci/test.yml": "unit:\n  stage: test\n  script: [go test ./...]\n",
        "chart/Chart.yaml": "apiVersion: v2\nname: web\nversion: 0.1.0\n",
        "chart/templates/deployment.yaml": "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ .Release.Name }}\n",
        "go.mod": "module example.com/web\n\ngo 1.22\n",
        "main.go": "package main\n\nfunc main() {}\n",
        "internal/handler/handler.go": "package handler\n" + "// x\n" * 5000,
    }
    remote, rounds = assert_same_signals(files)
    assert rounds == 1
    assert "internal/handler/handler.go" not in remote.fetched


def test_jenkinsfile_running_a_script_outside_any_candidate_name_takes_more_rounds():
    files = {
        "Jenkinsfile": "pipeline {\n  agent any\n  stages {\n    stage('Test') {\n      steps {\n        sh './build/run-checks'\n"
                       "      }\n    }\n  }\n}\n",
        "build/run-checks": "#!/bin/sh\nset -e\n./build/steps/unit\n",
        "build/steps/unit": "#!/bin/sh\nmvn -B verify\n",
        "pom.xml": "<project><modelVersion>4.0.0</modelVersion><groupId>a</groupId><artifactId>b</artifactId><version>1</version></project>",
        "src/main/java/a/Billing.java": "class Billing {}\n" * 2000,
    }
    remote, rounds = assert_same_signals(files)
    assert not is_candidate("build/run-checks", 40)
    assert rounds == 3
    assert remote.batches[1:] == [["build/run-checks"], ["build/steps/unit"]]
    assert fold(reference(files).evidence)["test"]["unit_in_ci"] is True
    assert "src/main/java/a/Billing.java" not in remote.fetched


def test_rounds_stop_at_max_rounds():
    chain = {f"build/step{i}": f"#!/bin/sh\n./build/step{i + 1}\n" for i in range(6)}
    files = {"Jenkinsfile": "pipeline { agent any\n stages { stage('t') { steps { sh './build/step0' } } } }\n", **chain, "build/step6": "pytest\n"}
    remote = Remote(files)
    _, pf, rounds = remote.run()
    assert rounds == 4
    assert pf.missing  # what a fifth round would have fetched


def test_a_path_fetched_as_unreadable_is_not_asked_for_again():
    files = {
        ".github/workflows/ci.yml": "on: push\njobs:\n  t:\n    runs-on: x\n    steps:\n      - run: ./scripts/lint.sh\n      - run: ./build/check\n",
        "scripts/lint.sh": "#!/bin/sh\nruff check .\n",  # a candidate: asked for in round 1
        "build/check": "#!/bin/sh\npytest\n",  # asked for in round 2
    }
    remote = Remote(files, unreadable=frozenset({"scripts/lint.sh", "build/check"}))
    ctx, pf, rounds = remote.run()
    assert rounds == 2 and remote.batches[1] == ["build/check"]
    assert sum(b.count("scripts/lint.sh") for b in remote.batches) == 1
    assert pf.read_text("build/check") is None and pf.read_text("scripts/lint.sh") is None and not pf.missing
    signals = fold(ctx.evidence)
    assert signals["test"]["unit_in_ci"] is False and signals["quality"]["static_analysis_in_ci"] is False


# ---------------------------------------------------------------------------------------------
# PrefetchedRepoFiles
# ---------------------------------------------------------------------------------------------


def test_listing_behaves_like_a_checkout_whatever_was_fetched():
    files = {"a/Dockerfile": "FROM x\n", "examples/demo/Dockerfile": "FROM y\n", "src/b.py": "x = 1\n", "Makefile": "all:\n"}
    pf = PrefetchedRepoFiles({p: len(t) for p, t in files.items()}, {"Makefile": b"all:\n"})
    local = MemoryRepoFiles(files)
    assert pf.all_paths() == local.all_paths() == sorted(files)
    assert pf.paths == local.paths
    assert pf.named("Dockerfile") == local.named("Dockerfile")
    assert pf.glob("*.py") == local.glob("*.py")
    assert pf.under("a") == ["a/Dockerfile"]
    assert pf.exists("src/b.py") and not pf.exists("nope")
    assert pf.read_text("Makefile") == "all:\n" and not pf.missing
    assert pf.read_text("src/b.py") is None and pf.missing == {"src/b.py"}
    assert pf.read_text("not/in/tree") is None and pf.missing == {"src/b.py"}


def test_large_files_stay_unreadable_without_being_missing():
    big = b"x" * (MAX_FILE_BYTES + 1)
    tree = {"k8s/huge.yaml": len(big), "dump.json": len(big), "ok.yaml": 3}
    assert not is_candidate("k8s/huge.yaml", len(big)) and is_candidate("k8s/huge.yaml", 100)
    assert "k8s/huge.yaml" not in select_candidates(tree)
    pf = PrefetchedRepoFiles(tree, {"dump.json": big})  # fetched anyway, or listed without a size
    assert pf.read_text("k8s/huge.yaml") is None and pf.read_text("dump.json") is None
    assert not pf.missing
    unsized = PrefetchedRepoFiles({"dump.json": None}, {"dump.json": big})
    assert unsized.read_text("dump.json") is None and not unsized.missing

    remote = Remote({"deploy/huge.yaml": "apiVersion: v1\nkind: Service\n" + "#" * MAX_FILE_BYTES, "Dockerfile": "FROM x\n"})
    _, pf, rounds = remote.run()
    assert rounds == 1 and "deploy/huge.yaml" not in remote.fetched and not pf.missing


def test_add_supplies_a_later_round_to_the_same_object():
    files = {
        ".github/workflows/ci.yml": "on: push\njobs:\n  t:\n    runs-on: x\n    steps:\n      - run: ./build/test-all\n",
        "build/test-all": "#!/bin/sh\npytest --cov=app\n",
        "pyproject.toml": "[project]\nname = 'a'\ndependencies = ['django>=5']\n",
    }
    data = _bytes(files)
    pf = PrefetchedRepoFiles({p: len(b) for p, b in data.items()}, {p: data[p] for p in select_candidates({p: len(b) for p, b in data.items()})})
    first = DetectionContext(files=pf)
    run_detectors(first)
    assert pf.missing == {"build/test-all"}
    assert fold(first.evidence)["test"]["unit_in_ci"] is False
    pf.add({"build/test-all": data["build/test-all"]})
    assert not pf.missing
    again = DetectionContext(files=pf)
    run_detectors(again)
    assert fold(again.evidence) == fold(reference(files).evidence)
    assert fold(again.evidence)["test"]["unit_in_ci"] is True and not pf.missing
    fresh = pf.fresh()  # the contents so far, no read state
    assert fresh is not pf and fresh.reads == 0 and fresh.read_text("build/test-all") == "#!/bin/sh\npytest --cov=app\n"


# ---------------------------------------------------------------------------------------------
# is_candidate
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", [
    ".github/workflows/ci.yml", ".github/actions/setup/action.yml", ".github/dependabot.yml", ".github/CODEOWNERS", "CODEOWNERS",
    ".gitlab-ci.yml", ".gitlab/ci/deploy.yml", ".circleci/config.yml", "Jenkinsfile", "ci/Jenkinsfile.deploy", ".travis.yml",
    "azure-pipelines.yml", "bitbucket-pipelines.yml", ".buildkite/pipeline.yml", ".drone.yml", ".woodpecker/test.yml", ".tekton/run.yaml",
    ".teamcity/settings.kts", "cloudbuild.yaml", "buildspec.yml", "appveyor.yml", ".semaphore/semaphore.yml",
    "package.json", "web/package.json", "pyproject.toml", "setup.py", "requirements/dev.txt", "go.mod", "Cargo.toml", "pom.xml",
    "build.gradle.kts", "gradle/libs.versions.toml", "Gemfile", "x.gemspec", "composer.json", "src/App/App.csproj", "App.sln", "mix.exs",
    "Dockerfile", "docker/web.Dockerfile", "docker-compose.yml", "compose.prod.yaml", "k8s/deployment.yaml", "chart/Chart.yaml",
    "chart/templates/_helpers.tpl", "overlays/prod/kustomization.yaml", "infra/main.tf", "terragrunt.hcl", "infra/main.bicep",
    "cfn/stack.template", "cloudformation/stack.json", "Makefile", "build/common.mk", "Rakefile", "justfile", "Taskfile.yml", "tox.ini",
    "noxfile.py", "scripts/deploy.sh", "ci/test", "bin/release", ".coveragerc", "pytest.ini", "jest.config.ts", "vitest.config.mts",
    "spec/spec_helper.rb", "codecov.yml", ".pre-commit-config.yaml", ".golangci.yml", ".goreleaser.yaml", "alembic.ini",
    "app/migrations/0001_initial.py", "db/changelog/db.changelog-master.yaml", "src/main/resources/application.properties",
    "Procfile", "fly.toml", "vercel.json", "app.json", "serverless.yml", "ansible.cfg", "playbooks/site.yml", "Vagrantfile",
    ".maturity.toml", "README.md", "CONTRIBUTING.md", "docs/CONTRIBUTING.md", "loadtest/script.js", "locustfile.py", "perf/plan.jmx",
    "features/login.feature", "grafana/dashboards/api.json", "monitoring/dash.jsonnet", "cmd/server/main.go", "internal/db/migrate.go",
    ".env", "docker/uwsgi.ini", "docker-entrypoint",
])
def test_files_detectors_read_are_candidates(path):
    assert is_candidate(path, 1000)


@pytest.mark.parametrize("path", [
    "src/app/engine.py", "internal/handler/handler.go", "src/components/Button.tsx", "lib/foo.rb", "src/main/java/a/Service.java",
    "README-dev.png", "docs/guide.md", "sub/README.md", ".github/ISSUE_TEMPLATE/bug.yml", ".github/labeler.yml", "LICENSE",
    "node_modules/x/package.json", "vendor/github.com/a/b/Makefile", "examples/demo/Dockerfile", "testdata/Jenkinsfile",
    "package-lock.json", "yarn.lock", "assets/logo.png", "src/app/tests/test_engine.py", "CHANGELOG.md", ".releaserc.json",
    "babel.config.js", "tsconfig.json", ".eslintrc.json", "terraform.tfvars",
])
def test_ordinary_source_documents_and_vendored_files_are_not(path):
    assert not is_candidate(path, 1000)


def test_selection_takes_what_the_tree_alone_makes_detectors_read():
    # one sample per migration folder and the start-up code the detectors rank: by the tree, before any content
    tree = {
        "db/migrate/20240101000000_create_users.rb": 200, "db/migrate/20240202000000_add_email.rb": 200,
        **{f"pkg/store{i}/store.go": 100 for i in range(400)},
        "pkg/handler/handler.go": 100,
    }
    picked = select_candidates(tree)
    assert "db/migrate/20240101000000_create_users.rb" in picked and "db/migrate/20240202000000_add_email.rb" not in picked
    assert sum(p.endswith("store.go") for p in picked) == 300  # the start-up check reads at most 300 files
    assert "pkg/handler/handler.go" not in picked
    assert sum(p.endswith("store.go") for p in select_candidates(tree, dry_run=False)) == 400
