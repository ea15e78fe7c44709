"""Plain records of what a hosting API (GitHub, GitLab) said, normalised from REST and GraphQL shapes.

The collectors fill them; `evidence.py` turns them into evidence. Keeping them apart lets the
signal arithmetic be tested without HTTP, and lets a cached history be replayed for a new window.
Times are timezone-aware UTC datetimes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True)
class RunRecord:
    """One GitHub Actions workflow run on the default branch."""

    id: int
    """Run id."""
    workflow_id: int
    """The workflow it belongs to; break and repair are judged per workflow."""
    workflow: str
    """Workflow name (or path when unnamed)."""
    workflow_path: str
    """`.github/workflows/ci.yml`; used to leave out dynamic workflows such as `dynamic/pages`."""
    event: str
    """What started it: push, pull_request, schedule, workflow_dispatch, repository_dispatch..."""
    status: str
    """queued, in_progress, completed..."""
    conclusion: str | None
    """success, failure, cancelled, skipped, timed_out, startup_failure, neutral, action_required; None while running."""
    head_branch: str | None
    """Branch the run was for."""
    head_sha: str
    """Commit the run was for."""
    created_at: datetime
    """When the run was created."""
    updated_at: datetime
    """When it last changed (its end, for a completed run)."""
    html_url: str
    """Where a person sees it."""


@dataclass(frozen=True)
class DeploymentRecord:
    """One deployment, with the state of its latest status."""

    id: int
    """Deployment id (databaseId)."""
    environment: str
    """Environment name as given when created."""
    sha: str
    """Commit deployed."""
    created_at: datetime
    """When the deployment was created."""
    state: str | None
    """Latest status, lower-case: success, failure, error, inactive, pending, queued, in_progress; None without statuses."""
    state_at: datetime | None
    """When the latest status was set."""
    commit_at: datetime | None
    """When the deployed commit was committed (for lead time), when known."""
    creator: str | None
    """Login of who created it."""
    description: str | None
    """The deployment's description."""
    payload: str | None
    """The deployment's payload (JSON text), where tools mark rollbacks."""
    task: str = "deploy"
    """deploy, or a custom task name."""
    url: str = ""
    """Where a person sees it (the environment's deployments page or the API URL)."""
    tier: str | None = None
    """GitLab's environment tier (production, staging, testing, development, other); when given it
    decides production, before the name patterns."""


@dataclass(frozen=True)
class ReleaseRecord:
    """One GitHub release."""

    tag: str
    """Tag name."""
    name: str | None
    """Release title."""
    created_at: datetime
    """When created."""
    published_at: datetime | None
    """When published; None for drafts."""
    draft: bool
    """Drafts are not releases yet."""
    prerelease: bool
    """Marked as a pre-release."""
    author: str | None
    """Author login; bots end in `[bot]`. None when GitHub does not say."""
    author_is_bot: bool | None
    """True for a bot or app author, False for a person, None when unknown."""
    body: str
    """Release notes."""
    url: str
    """html URL of the release."""


@dataclass(frozen=True)
class TagRecord:
    """One git tag."""

    name: str
    """Tag name."""
    sha: str
    """Commit the tag points to."""
    date: datetime | None
    """Commit date of the tagged commit, when known."""
    url: str
    """Where a person sees it."""


@dataclass(frozen=True)
class ProtectionRecord:
    """Review and check requirements on the default branch from one source."""

    source: str
    """`branch-protection` (classic rule), `ruleset` (repository or org ruleset) or `branch` (the
    branch summary any reader sees: required checks only)."""
    name: str
    """Rule pattern or ruleset name."""
    required_reviews: int | None
    """Approving reviews required; None when this source does not say."""
    required_checks: tuple[str, ...] | None
    """Required status check contexts; None when this source does not say."""
    url: str
    """Where a person checks it."""


@dataclass(frozen=True)
class CommitRecord:
    """One commit on the default branch, with the merged pull request it arrived through, if any."""

    oid: str
    """Commit id."""
    committed_at: datetime
    """Commit date."""
    pr_number: int | None
    """Number of the merged pull request into the default branch that contains it; None when none."""
    url: str
    """html URL of the commit."""


@dataclass
class RepoHistory:
    """Everything GitHub history said about one repository, and what it could not say.

    A list that is None was not readable (no permission, feature disabled): its signals stay absent.
    An empty list was read and held nothing.
    """

    repo: str
    """`owner/name`."""
    html_url: str
    """The repository's web URL."""
    default_branch: str | None
    """Default branch, None for an empty repository."""
    window_start: datetime
    """Start of the scan window."""
    window_end: datetime
    """End of the scan window (the scan time)."""
    runs: list[RunRecord] | None = None
    """Default-branch Actions runs in the window, newest first."""
    runs_url: str = ""
    """API/html URL of the runs list, the locator for run-count evidence."""
    runs_complete: bool = True
    """False when the window held more runs than were fetched."""
    deployments: list[DeploymentRecord] | None = None
    """Deployments created in the window (all environments), newest first."""
    deployments_url: str = ""
    """Where a person sees the deployments."""
    releases: list[ReleaseRecord] | None = None
    """Releases, newest first (may reach before the window)."""
    releases_url: str = ""
    """Where a person sees the releases."""
    tags: list[TagRecord] | None = None
    """Tags, newest first (may reach before the window)."""
    tags_url: str = ""
    """Where a person sees the tags."""
    protection: list[ProtectionRecord] | None = None
    """Protection sources that apply to the default branch; None when the token cannot see them."""
    protection_reviews_visible: bool = True
    """False when review requirements cannot be seen (no admin rights and no ruleset said)."""
    commits: list[CommitRecord] | None = None
    """Default-branch commits in the window, newest first (a sample: the newest ones)."""
    commits_url: str = ""
    """Where a person sees the commits."""
    unavailable: dict[str, str] = field(default_factory=dict)
    """Part (`runs`, `deployments`, `releases`, `tags`, `protection`, `commits`) -> why it could not be read."""
