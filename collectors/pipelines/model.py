"""The normalised pipeline model every CI parser produces and every pipeline detector reads.

A parser turns one CI definition file (a GitHub Actions workflow, `.gitlab-ci.yml`, a
Jenkinsfile, ...) into a `Pipeline` of `Job`s with their `Command`s, each carrying the line it
came from. Triggers use the `ci.triggers` vocabulary of SIGNALS.md.
"""

from __future__ import annotations

from dataclasses import dataclass, field

TRIGGERS = frozenset({"push", "pull_request", "tag", "schedule", "manual", "poll", "upstream", "api", "comment"})
"""The `ci.triggers` vocabulary."""
AUTOMATIC_TRIGGERS = frozenset({"push", "pull_request", "tag", "schedule", "poll", "upstream", "api", "comment"})
"""Triggers that need no person to press a button."""


@dataclass(frozen=True)
class Command:
    """One thing a job does."""

    text: str
    """A shell command (one logical line), an action reference (`actions/checkout@v4`), or a DSL step call."""
    line: int
    """Line in the pipeline file (1-based)."""
    kind: str = "shell"
    """`shell` (run:/script:/sh), `action` (GitHub `uses:`, CircleCI orb command, Azure task, ...), or `step` (other DSL step)."""
    inputs: tuple[tuple[str, str], ...] = ()
    """Inputs of an action (`with:`), as (name, value-as-string) pairs."""
    path: str | None = None
    """File the command is written in, when it is not the pipeline's own file (an included file,
    a composite action, a template)."""

    def input(self, name: str) -> str | None:
        return next((v for k, v in self.inputs if k == name), None)


@dataclass(frozen=True)
class Job:
    """One job of a pipeline."""

    id: str
    """Job id (key in the file, or the stage name in a Jenkinsfile)."""
    line: int
    """Line where the job is defined."""
    triggers: frozenset[str]
    """The triggers under which this job can run, after its own guards (`if:`, `rules:`, `only:`, `when {}`)."""
    name: str = ""
    """Display name, when the file gives one."""
    manual: bool = False
    """True when a person must start or approve it (`when: manual`, an `input` step, an approval step,
    or every trigger it runs under is `manual`)."""
    environment: str | None = None
    """Deployment environment name (`environment:`), when the file names one."""
    environment_line: int | None = None
    """Line of the `environment:` key."""
    environment_action: str | None = None
    """GitLab `environment:action` (`start`, `stop`, `prepare`, ...); None means start."""
    environment_tier: str | None = None
    """Declared tier of the environment (GitLab `deployment_tier`), e.g. `production`."""
    default_branch: bool | None = None
    """Can the job run for a push to the default branch? None when the file does not say."""
    tags_only: bool = False
    """The job runs only for tag pipelines."""
    needs: tuple[str, ...] = ()
    """Ids of jobs that must succeed first."""
    stage: str | None = None
    """Stage name (GitLab, Azure, Jenkins)."""
    stage_index: int | None = None
    """Position of the stage in the pipeline order (earlier stages finish first)."""
    commands: tuple[Command, ...] = ()
    """What the job runs, in order."""
    services: tuple[str, ...] = ()
    """Service container images started beside the job (databases, brokers)."""
    extends: tuple[str, ...] = ()
    """Templates or reusable definitions the job is built from (GitLab `extends:`, a reusable workflow)."""
    matrix_environments: tuple[str, ...] = ()
    """Environment names produced by a matrix over environments."""
    trigger_project: str | None = None
    """A downstream project this job triggers (GitLab `trigger: project`)."""
    active: bool = True
    """False when the job can never run in this repository (`if: false`, a guard naming another repository)."""
    inactive_reason: str | None = None
    """Why it is inactive, for the report's warnings."""
    runner: tuple[str, ...] = ()
    """Labels of the machine the job runs on (GitHub `runs-on`, GitLab `tags`), when the file names them."""
    stand_in: str = ""
    """Non-empty for a job that stands for an included file the parser cannot read: `include` when the file
    may define jobs, `templates` when local jobs `extends:` hidden templates it defines (it then adds no job)."""


@dataclass(frozen=True)
class Pipeline:
    """One CI definition file, parsed."""

    system: str
    """CI system id from the `ci.systems` vocabulary, e.g. `github-actions`."""
    path: str
    """Path of the file in the repository."""
    triggers: frozenset[str]
    """What starts this pipeline (before job guards); empty when the file does not say."""
    trigger_lines: dict[str, int] = field(default_factory=dict)
    """Trigger -> line where it is declared (for evidence locators)."""
    jobs: tuple[Job, ...] = ()
    """The jobs."""
    line: int = 1
    """Line of the pipeline's start (or its trigger block)."""
    active: bool = True
    """False for a pipeline that never runs here (e.g. a reusable workflow nobody calls, a disabled file)."""
    inactive_reason: str | None = None
    """Why it is inactive."""
    triggers_known: bool = True
    """False when what starts the pipeline is configured outside the file (a Jenkins job, a Cloud Build trigger)."""
    includes: tuple[str, ...] = ()
    """Other definitions this one pulls in: resolved local includes, `project:`/`template:` includes, reusable workflows."""
    stages: tuple[str, ...] = ()
    """Declared stage order, when the system has stages."""
    notes: tuple[str, ...] = ()
    """Things the parser noticed that a person may want to read (unsupported keys, guessed defaults)."""

    def job(self, job_id: str) -> Job | None:
        return next((j for j in self.jobs if j.id == job_id), None)
