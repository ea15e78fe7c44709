"""Repository files fetched through an API: which blobs to fetch first, and the files object the
detectors run on when only some contents are at hand.

A remote collector (GitHub, GitLab) lists a repository's whole recursive tree (every path with its
blob size) in one call, but must fetch file contents in batches. It fetches the *candidates* first
(`select_candidates`: the files the detectors are likely to read), runs the detectors over a
`PrefetchedRepoFiles`, and fetches whatever they asked for and did not get (`missing`) in another
round, until nothing new is missing (`detect_until_complete` is the reference loop).

The candidate rules were derived by recording every `read_text` of `run_detectors` over real
repositories; where a detector selects files by a per-path rule, that rule is reused here (so the two
stay in step). What the tree alone makes the detectors read (the start-up code they rank and cap, one
sample per migration folder) is found by running them once over the bare listing (a dry run, no
fetch). Reads that depend on content (a script a CI job runs, a file a Makefile includes, a GitLab
`include: local:`) are covered by broad name rules, and otherwise come in round 2.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping

from collectors import commands
from collectors.detectors import dependencies, files_deploy
from collectors.detectors.dependencies import manifest_parser
from collectors.detectors.files_build import CODEOWNERS_LOCATIONS, CONTRIBUTING_DIRS, CONTRIBUTING_STEMS, is_dockerfile
from collectors.detectors.files_deploy import _JSON_CANDIDATE, _hcl_kind, _is_deploy_script
from collectors.detectors.files_deploy import _TEST_FOLDER as _DEPLOY_TEST_FOLDER
from collectors.detectors.files_quality import _DASHBOARD_PATH
from collectors.detectors.files_release_db import _NOT_STARTUP, _PERF_PATH, _STARTUP_EXTS, _STARTUP_NAME, in_test_dir, is_ci_path
from collectors.detectors.interface import DetectionContext
from collectors.interface import run_detectors
from collectors.pipelines.jenkinsfile import is_jenkinsfile
from collectors.pipelines.other_ci import PARSERS as _OTHER_CI_PARSERS
from collectors.repofiles import MAX_FILE_BYTES, RepoFiles, is_evidence_path

MAX_ROUNDS = 4

# ---------------------------------------------------------------------------------------------
# Candidates
# ---------------------------------------------------------------------------------------------

_CI_FOLDERS = (
    ".gitlab/", ".circleci/", ".buildkite/", ".tekton/", ".azure-pipelines/", ".azuredevops/", ".azure/",
    ".gitea/", ".forgejo/", ".woodpecker/", ".drone/", ".semaphore/", ".teamcity/", ".ci/", ".pipelines/",
)
"""Folders of CI definitions and their includes and templates: every text file in them is a candidate."""
_GITHUB_READ = re.compile(r"^\.github/(?:workflows/|actions/|(?:dependabot|release|release-please)\.ya?ml$)")
"""What is read under `.github/`: workflows, local actions, Dependabot and release-notes configuration (its
other YAML, issue templates and labeler rules, is neither CI nor deployment: `files_deploy` skips it)."""
_DOCUMENT = re.compile(r"\.(md|markdown|rst|adoc|txt|png|jpe?g|gif|svg|ico|webp)$", re.I)

_NAMES = frozenset({
    # task runners and project files the command classifier expands (`make test`, `rake`, `just`, `task`, `nox`, `tox`, `mise`...)
    "Makefile", "makefile", "GNUmakefile", "Rakefile", "rakefile", "Rakefile.rb", "justfile", "Justfile", ".justfile", "JUSTFILE",
    "noxfile.py", "tox.ini", "tox.toml", "hatch.toml", "pixi.toml", "mise.toml", ".mise.toml", "lefthook.toml", "devbox.json",
    "deno.json", "project.json", "fabfile.py", "Fastfile", "runtests.py", "runtest.py", "run_tests.py", "run-tests.py",
    "zap-baseline.py", "zap-full-scan.py", "zap-api-scan.py", "manage.py",
    # test and coverage configuration
    ".coveragerc", "pytest.ini", ".pytest.ini", ".simplecov", "tarpaulin.toml", ".tarpaulin.toml", "coveralls.json",
    "spec_helper.rb", "rails_helper.rb", "test_helper.rb",
    # deploy and platform descriptors
    "Procfile", "Capfile", "Vagrantfile", "dinghyfile", "fly.toml", "netlify.toml", "vercel.json", "app.json",
    "cdk.json", "appspec.json", "Dockerrun.aws.json", "ansible.cfg", ".platform.app.yaml",
    # migrations
    "alembic.ini", "env.py",
    # repository policy
    ".maturity.toml", "CODEOWNERS",
})
_NAME_PATTERNS = re.compile(
    r"^(?:"
    r"Makefile\.[\w.-]+|[\w.-]+\.mk|[\w.-]+\.just"                         # make includes (`Makefile.common`), just modules
    r"|[\w.-]+\.(?:sh|bash|ps1)"                                            # scripts CI jobs, containers and deploys run
    r"|[\w.-]+\.ya?ml(?:\.(?:j2|jinja2?|tmpl|tpl|template))?"                # every YAML file is looked at (Kubernetes, compose, CloudFormation...)
    r"|[\w.-]+\.(?:bicep|jsonnet|libsonnet|template|kts|sln|slnx)"          # IaC, dashboards as code, CloudFormation, TeamCity, .NET solutions
    r"|(?:jest|vitest|vite)(?:\.[\w-]+)?\.config\.(?:[cm]?[jt]s|json)|vitest\.workspace\.[cm]?[jt]s|\.(?:nycrc|c8rc)(?:\.\w+)?"
    r"|application(?:-[\w-]+)?\.properties"                                 # Spring / Quarkus start-up migration settings
    r"|(?:[\w.-]+)?\.env"                                                    # `source .env` / `. ./config.env` in CI scripts
    r"|(?:uwsgi|supervisor|supervisord|circus|honcho)[\w.-]*\.(?:ini|conf)"  # process managers a container starts with
    r"|[\w-]*(?:entrypoint|start)[\w-]*"                                     # extension-less container start scripts
    r"|locustfile[\w.-]*\.py|[\w.-]*Simulation\.(?:scala|java|kt)|[\w.-]+\.jmx|[\w.-]+\.k6\.[jt]s"
    r"|0001_[\w.-]+\.py|[\w.-]*changelog[\w.-]*\.(?:xml|ya?ml|json|sql)"  # first Django migration, Liquibase changelogs
    r"|[\w.-]+\.(?:feature|robot)"                                          # Gherkin and Robot Framework suites (a few are sampled)
    r")$",
    re.I,
)
_SCRIPT_FOLDERS = frozenset({"scripts", "script", "bin", "ci", "hack", "tools", "tasks", "deploy", "deployment", "release", ".ci"})
"""Extension-less files here are usually shell scripts a CI job runs (`ci/test`, `script/cibuild`)."""
_PLATFORM_HOOK = re.compile(r"(^|/)\.ebextensions/[^/]+\.config$|(^|/)\.platform/hooks/(pre|post)deploy/")
_CHART_HELPER = re.compile(r"(^|/)templates/[^/]*\.tpl$")
_ROOT_README = re.compile(r"readme(\.\w+)?$", re.I)


def _other_ci_root(path: str) -> bool:
    for parser in _OTHER_CI_PARSERS:
        wants = getattr(parser, "wants", None)
        if wants is not None and wants(path):
            return True
    return False


def is_candidate(path: str, size: int | None) -> bool:
    """True for a file the detectors are likely to read: fetch it in the first round.

    `size` is the blob size from the tree listing (None when unknown). Files larger than
    `MAX_FILE_BYTES` are never candidates (the detectors cannot read them anyway), nor is ordinary
    source code, unless its name marks a file a detector reads (an application entry point or
    database module for the start-up migration check, a performance test, a first Django migration).
    """
    if size is not None and size > MAX_FILE_BYTES:
        return False
    return _by_name(path) or _startup_code(path)


def _by_name(path: str) -> bool:
    name = path.rsplit("/", 1)[-1]
    folder = path.rsplit("/", 1)[0] if "/" in path else ""
    if folder in CONTRIBUTING_DIRS and name.split(".", 1)[0].upper() in CONTRIBUTING_STEMS:
        return True  # looked for in docs/ too, which is not an evidence folder
    if path in CODEOWNERS_LOCATIONS or (not folder and _ROOT_README.match(name)):
        return True
    if not is_evidence_path(path):
        return False
    if path.startswith(".github/"):
        if _GITHUB_READ.match(path):
            return not _DOCUMENT.search(name)
        if name.lower().endswith((".yml", ".yaml")):
            return False
    elif path.startswith(_CI_FOLDERS):
        return not _DOCUMENT.search(name)
    if name in _NAMES or _NAME_PATTERNS.match(name) or (name.endswith(".tpl") and _CHART_HELPER.search(path)):
        return True
    if is_jenkinsfile(name) or is_ci_path(path) or _other_ci_root(path) or is_dockerfile(path) or manifest_parser(path) is not None:
        return True
    if _hcl_kind(path) is not None or _is_deploy_script(path) or _PLATFORM_HOOK.search(path):
        return True
    low = name.lower()
    if low.endswith(".json") and (_DASHBOARD_PATH.search(path) or _JSON_CANDIDATE.search(path) and not _in_test_folder(path)):
        return True  # Grafana dashboards; CloudFormation / ARM / ECS task definitions
    if "." not in name and folder.rsplit("/", 1)[-1].lower() in _SCRIPT_FOLDERS:
        return True
    if _PERF_PATH.search(path) and low.endswith((".js", ".ts", ".mjs", ".py")) and not low.endswith(".d.ts"):
        return True  # k6 / locust tests are recognised from their imports
    return False


def _in_test_folder(path: str) -> bool:
    return any(_DEPLOY_TEST_FOLDER.match(part) for part in path.split("/")[:-1])


def _startup_code(path: str) -> bool:
    """Source files the start-up migration check reads (selected by name: migration, database and
    entry-point files): the rule of `files_release_db._startup_candidates`, without its cap."""
    name = path.rsplit("/", 1)[-1]
    if not path.endswith(_STARTUP_EXTS) or in_test_dir(path) or _NOT_STARTUP.search(path) or is_ci_path(path) or not is_evidence_path(path):
        return False
    if name.startswith("__init__") or name.endswith((".d.ts", ".min.js", ".Designer.cs")):
        return False
    return _STARTUP_NAME.search("/".join(path.rsplit("/", 2)[-2:])) is not None


def select_candidates(tree: Mapping[str, int | None], *, dry_run: bool = True) -> list[str]:
    """The paths of `tree` (path -> blob size) to fetch in the first round, sorted.

    Every path `is_candidate` names by its own name, plus what the tree alone makes the detectors
    read: with `dry_run`, the detectors are run over the bare listing (no contents) and every file they
    ask for is taken (the start-up code they rank and cap, one sample per migration folder, ...);
    without it, the start-up code `is_candidate` names is taken whole.
    """
    small = {p: s for p, s in tree.items() if s is None or s <= MAX_FILE_BYTES}
    picked = {p for p in small if _by_name(p)}
    if dry_run:
        picked |= set(small) & _dry_run(tree)
    else:
        picked |= {p for p in small if _startup_code(p)}
    return sorted(picked)


def _dry_run(tree: Mapping[str, int | None]) -> set[str]:
    """The files the detectors read when no content is at hand: those the tree alone selects."""
    files = PrefetchedRepoFiles(tree)
    run_detectors(DetectionContext(files=files))
    return files.missing


# ---------------------------------------------------------------------------------------------
# Files
# ---------------------------------------------------------------------------------------------


class PrefetchedRepoFiles(RepoFiles):
    """A repository known by its full tree listing, with the contents fetched so far.

    `all_paths()` is every tree path, so `paths`, `named`, `glob` and `exists` behave exactly as on a
    local checkout. A file of the tree whose content was not fetched reads as None and is recorded in
    `missing`; fetch those and `add` them (or build a new instance) for the next round. Files larger
    than `MAX_FILE_BYTES` read as None, as locally, and are not missing. A path fetched as None
    (binary, unreadable) reads as None and is not missing either.

    `tree` lists blobs only (no folders, no submodule commits). Through an API a symlink is a blob
    whose content is its target path; a checkout follows it instead.
    """

    def __init__(self, tree: Mapping[str, int | None], contents: Mapping[str, bytes | None] | None = None) -> None:
        super().__init__()
        self.tree: dict[str, int | None] = dict(tree)
        self.contents: dict[str, bytes | None] = dict(contents or {})
        self.missing: set[str] = set()
        """Tree paths a detector read whose content was not fetched."""
        self._sorted = sorted(self.tree)

    def all_paths(self) -> list[str]:
        return self._sorted

    def _load(self, path: str) -> bytes | None:
        size = self.tree.get(path)
        if size is not None and size > MAX_FILE_BYTES:
            return None
        if path not in self.contents:
            self.missing.add(path)
            return None
        data = self.contents[path]
        return data if data is None or len(data) <= MAX_FILE_BYTES else None

    def add(self, contents: Mapping[str, bytes | None]) -> None:
        """Supply more contents (a later round). Those paths are read again on the next read, and
        stop being missing.

        The detector modules keep parsed state per files object (the dependency index, the deploy
        index, the command classifier), built from what was readable then: that state is dropped
        too, so re-running the detectors on this object sees the new contents. (`fresh()` gives a
        new object instead, which is what `detect_until_complete` uses.)"""
        self.contents.update(contents)
        for path in contents:
            self._text.pop(path, None)
            self.missing.discard(path)
        _forget_detector_state(self)

    def fresh(self) -> PrefetchedRepoFiles:
        """A new files object with the same tree and every content fetched so far (no read state)."""
        return PrefetchedRepoFiles(self.tree, self.contents)


def _forget_detector_state(files: RepoFiles) -> None:
    """Drop what the detector modules cached for `files` (they key their caches by the files object)."""
    for cache in (dependencies._CACHES, files_deploy._INDEXES, commands._CLASSIFIERS):
        cache.pop(files, None)


# ---------------------------------------------------------------------------------------------
# The reference loop
# ---------------------------------------------------------------------------------------------

Fetch = Callable[[list[str]], Mapping[str, "bytes | None"]]


def detect_until_complete(
    tree: Mapping[str, int | None],
    fetch: Fetch,
    make_context: Callable[[RepoFiles], DetectionContext],
    max_rounds: int = MAX_ROUNDS,
    *,
    dry_run: bool = True,
) -> tuple[DetectionContext, PrefetchedRepoFiles, int]:
    """Fetch the candidates, run the detectors, fetch what they missed, run again on a fresh
    context, until nothing new is missing or `max_rounds` detector runs were made.

    `fetch(paths)` returns the contents of those paths; a path it leaves out or maps to None is
    unreadable (binary, gone) and is not asked for again. Returns the last context, its files and
    the number of detector runs (the dry run of `select_candidates` fetches nothing and is not
    counted). Each round runs on a new `PrefetchedRepoFiles`, so no state parsed from an earlier,
    incomplete round is reused. (A remote collector batches rounds across many repositories itself;
    this is the simple form, and the test oracle.)
    """
    contents: dict[str, bytes | None] = {}
    asked: set[str] = set()
    want = select_candidates(tree, dry_run=dry_run)
    rounds = 0
    while True:
        contents.update(_fetch(fetch, want))
        asked.update(want)
        files = PrefetchedRepoFiles(tree, contents)
        ctx = make_context(files)
        run_detectors(ctx)
        rounds += 1
        want = sorted(files.missing - asked)
        if not want or rounds >= max_rounds:
            return ctx, files, rounds


def _fetch(fetch: Fetch, paths: Iterable[str]) -> dict[str, bytes | None]:
    paths = list(paths)
    if not paths:
        return {}
    got = fetch(paths)
    return {p: got.get(p) for p in paths}
