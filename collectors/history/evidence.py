"""Evidence from a repository's hosting history: CI runs, deployments, releases, protection, commits.

`history_evidence(h, production_patterns, source)` turns one normalised `RepoHistory` (GitHub today,
GitLab next) into evidence for the "seen in API history" keys. It is pure: no I/O, no clock. Only
records inside the window [window_start, window_end] count. A part that could not be read (None) gives
no evidence, so its keys stay absent and rules give `unknown`; a `history-unavailable` warning says why.
An empty list was read and gives the "none" values (0, 0.0, []).

How each number is computed
---------------------------
Runs (default-branch CI runs; dynamic workflows such as `dynamic/pages` are left out):
- `ci.default_branch.runs`: runs created in the window ("at least" when the list was cut short).
- `ci.triggers`: run events mapped to the trigger vocabulary (`TRIGGERS`); other events are ignored.
- Judging: a run is green (success) or red (failure, timed_out, startup_failure). Cancelled, skipped,
  neutral, action_required and unfinished runs are ignored, and so are pull-request runs. Per workflow,
  in order of creation, a *break* starts when the first red run after a green one (or a red first run)
  completes, and ends when the next green run of that workflow completes.
- `ci.default_branch.break_median_hours`: median length of the breaks that ended. 0.0 when the judged
  runs had no break. When no break ended but some are still open, the median of their length so far
  (a lower bound of the true median).
- `ci.default_branch.red_ratio`: length of the union of every workflow's breaks (open ones last to the
  window end) / the observed span, which runs from the later of window start and the first judged run's
  completion to the window end.

Deployments (production = the environment name, stripped, matches a production pattern, case-insensitive):
- `deploy.count`: production deployments in state success or inactive (succeeded, then superseded).
- `deploy.frequency_per_week`: count / (window days / 7).
- `deploy.rollbacks`: production deployments whose description or payload says rollback / roll back /
  revert, or that redeploy to an environment a commit deployed there successfully before that is not
  the one currently deployed.
- `deploy.lead_time_median_hours`: over commits' first successful deployment to each production
  environment (redeploys and rollbacks are not new changes), median of (status time − commit time).
- `deploy.change_failure_rate`: over finished production deployments that are not rollbacks, the share
  that failed (failure, error) or whose next deployment to the same environment is a rollback.
- `deploy.time_to_restore_median_hours`: per failed production deployment, hours to the next successful
  deployment to the same environment; 0.0 when none failed.

Releases (published, non-draft; tags dated in the window stand in when the repository has no releases):
- `release.count`, `release.frequency_per_month` (count / (window days / 30)).
- `release.automation`: `release-bot` when at least half of the window's releases were published by a bot or app.
- `release.notes_generated`: at least half of the window's releases have generated notes (`notes_style`).

Protection: `process.required_reviews` is the largest number of approving reviews any rule requires;
`process.required_checks` the union of required status checks.
Commits: `process.pr_merge_share` is the share of the window's default-branch commits that arrived
through a merged pull / merge request.
"""

from __future__ import annotations

import json
import re
import statistics
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from collectors.history.records import (
    CommitRecord,
    DeploymentRecord,
    ReleaseRecord,
    RepoHistory,
    RunRecord,
)
from scanner.evidence import Evidence, SignalValue, Source, Warning_

# --- vocabularies -------------------------------------------------------------------------------

TRIGGERS: dict[str, str] = {
    "push": "push",
    "pull_request": "pull_request",
    "pull_request_target": "pull_request",
    "schedule": "schedule",
    "workflow_dispatch": "manual",
    "repository_dispatch": "api",
    "workflow_call": "upstream",
    "workflow_run": "upstream",
    "release": "tag",
    "create": "tag",
    "issue_comment": "comment",
    "merge_group": "merge-queue",
    # GitLab pipeline sources
    "merge_request_event": "pull_request",
    "external_pull_request_event": "pull_request",
    "web": "manual",
    "api": "api",
    "trigger": "api",
    "pipeline": "upstream",
    "parent_pipeline": "upstream",
    "chat": "comment",
}
"""Run event (GitHub) or pipeline source (GitLab) -> `ci.triggers` vocabulary. Others (dynamic,
page_build, ondemand_dast_scan, ...) are ignored."""

PULL_REQUEST_EVENTS = frozenset({"pull_request", "pull_request_target", "merge_request_event", "external_pull_request_event"})
GREEN = frozenset({"success"})
RED = frozenset({"failure", "timed_out", "startup_failure"})

TIER_MATCH = "tier: production"
"""What `_Production.matched` holds for an environment that GitLab's tier marks as production."""

DEPLOY_OK = frozenset({"success", "inactive"})
DEPLOY_FAILED = frozenset({"failure", "error"})
DEPLOY_FINISHED = DEPLOY_OK | DEPLOY_FAILED

ROLLBACK_WORDS = re.compile(r"\broll[-_ ]?back|\brevert", re.IGNORECASE)
ROLLBACK_FIELD = re.compile(r"^(is[-_]?)?(roll[-_ ]?back|revert)$", re.IGNORECASE)
"""A payload field that marks a rollback when true (`rollback_on_failure` and the like do not)."""

PART_KEYS: dict[str, tuple[str, ...]] = {
    "runs": ("ci.default_branch.runs", "ci.default_branch.break_median_hours", "ci.default_branch.red_ratio"),
    "deployments": (
        "deploy.count", "deploy.frequency_per_week", "deploy.lead_time_median_hours",
        "deploy.change_failure_rate", "deploy.time_to_restore_median_hours", "deploy.rollbacks",
    ),
    "releases": ("release.count", "release.frequency_per_month"),
    "tags": ("release.count", "release.frequency_per_month"),
    "protection": ("process.required_reviews", "process.required_checks"),
    "commits": ("process.pr_merge_share",),
}
"""The history keys each part of `RepoHistory` feeds (what stays unknown when it cannot be read)."""

_HOST = {Source.GITHUB: "GitHub", Source.GITLAB: "GitLab"}
_CHANGE_REQUEST = {Source.GITLAB: "merge request"}


# --- small helpers ------------------------------------------------------------------------------


@dataclass
class _Sink:
    """Collects the evidence and warnings of one repository."""

    h: RepoHistory
    source: Source
    evidence: list[Evidence] = field(default_factory=list)
    warnings: list[Warning_] = field(default_factory=list)

    def emit(self, key: str, value: SignalValue, locator: str, observed: str) -> None:
        self.evidence.append(Evidence(key=key, value=value, source=self.source, locator=locator or self.h.html_url,
                                      observed=observed, observed_at=self.h.window_end))

    def warn(self, code: str, message: str, locator: str | None = None) -> None:
        self.warnings.append(Warning_(code=code, message=message, locator=locator))

    def unavailable(self, part: str, keys: Iterable[str] | None = None) -> None:
        keys = list(keys or PART_KEYS[part])
        why = self.h.unavailable.get(part, f"{part} could not be read")
        self.warn("history-unavailable", f"{self.host} {part}: {why}; {_stay_unknown(keys)}", self.h.html_url)

    @property
    def host(self) -> str:
        return _HOST.get(self.source, self.source.value)

    @property
    def change_request(self) -> str:
        return _CHANGE_REQUEST.get(self.source, "pull request")


def _stay_unknown(keys: list[str]) -> str:
    return f"{', '.join(keys)} {'stays' if len(keys) == 1 else 'stay'} unknown"


def _in_window(t: datetime | None, h: RepoHistory) -> bool:
    return t is not None and h.window_start <= t <= h.window_end


def _hours(delta: timedelta) -> float:
    return max(delta.total_seconds(), 0.0) / 3600


def _median_hours(values: list[float]) -> float:
    return round(statistics.median(values), 2)


def _window_days(h: RepoHistory) -> float:
    return (h.window_end - h.window_start).total_seconds() / 86400


def _day(t: datetime) -> str:
    return t.strftime("%Y-%m-%d")


def _minute(t: datetime) -> str:
    return t.strftime("%Y-%m-%d %H:%M")


def _plural(n: int, word: str, plural: str | None = None) -> str:
    return f"{n} {word if n == 1 else (plural or word + 's')}"


def _some(names: Iterable[str], limit: int = 5) -> str:
    names = list(names)
    shown = ", ".join(names[:limit])
    return shown + (f", … ({len(names) - limit} more)" if len(names) > limit else "")


def _between(h: RepoHistory) -> str:
    return f"between {_day(h.window_start)} and {_day(h.window_end)}"


# --- runs ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Break:
    """A spell in which one workflow was red on the default branch."""

    workflow: str
    start: datetime
    """Completion of the first red run."""
    end: datetime | None
    """Completion of the next green run; None when still red at the window end."""

    def hours(self, until: datetime) -> float:
        return _hours((self.end or until) - self.start)


def is_dynamic(run: RunRecord) -> bool:
    """Workflows GitHub runs by itself (Pages, Dependabot, code-scanning default set-up), not the repository's CI."""
    return run.workflow_path.startswith("dynamic/")


def judged_runs(runs: Iterable[RunRecord]) -> list[RunRecord]:
    """Runs that say whether the branch was green or red: finished green/red runs that are not pull-request runs."""
    return [r for r in runs if r.event not in PULL_REQUEST_EVENTS and r.conclusion in GREEN | RED]


def ci_breaks(judged: Iterable[RunRecord]) -> list[Break]:
    """Breaks per workflow: first red completion after green (or a red first run) -> next green completion."""
    by_workflow: dict[int, list[RunRecord]] = {}
    for r in judged:
        by_workflow.setdefault(r.workflow_id, []).append(r)
    breaks: list[Break] = []
    for runs in by_workflow.values():
        runs.sort(key=lambda r: (r.created_at, r.id))
        red_since: RunRecord | None = None
        for r in runs:
            if r.conclusion in RED and red_since is None:
                red_since = r
            elif r.conclusion in GREEN and red_since is not None:
                breaks.append(Break(red_since.workflow, red_since.updated_at, r.updated_at))
                red_since = None
        if red_since is not None:
            breaks.append(Break(red_since.workflow, red_since.updated_at, None))
    return sorted(breaks, key=lambda b: b.start)


def red_hours(breaks: Iterable[Break], start: datetime, end: datetime) -> float:
    """Hours of [start, end] covered by at least one break (open breaks last until `end`)."""
    spans = sorted((max(b.start, start), min(b.end or end, end)) for b in breaks)
    total, cur_start, cur_end = 0.0, None, None
    for s, e in spans:
        if e <= s:
            continue
        if cur_end is None or s > cur_end:
            if cur_end is not None:
                total += _hours(cur_end - cur_start)
            cur_start, cur_end = s, e
        else:
            cur_end = max(cur_end, e)
    if cur_end is not None:
        total += _hours(cur_end - cur_start)
    return total


def run_evidence(h: RepoHistory, out: _Sink) -> None:
    """`ci.default_branch.runs`, `ci.triggers`, `ci.default_branch.break_median_hours`, `ci.default_branch.red_ratio`."""
    if h.runs is None:
        out.unavailable("runs")
        return
    in_window = [r for r in h.runs if _in_window(r.created_at, h)]
    runs = [r for r in in_window if not is_dynamic(r)]
    locator = h.runs_url or h.html_url
    out.emit("ci.default_branch.runs", len(runs), locator, _run_count_words(h, runs, len(in_window) - len(runs)))
    _trigger_evidence(runs, out)
    judged = judged_runs(runs)
    if not judged:
        return
    breaks = ci_breaks(judged)
    _break_median_evidence(h, judged, breaks, locator, out)
    _red_ratio_evidence(h, judged, breaks, locator, out)


def _run_count_words(h: RepoHistory, runs: list[RunRecord], dynamic: int) -> str:
    workflows = len({r.workflow_id for r in runs})
    if runs:
        words = f"{'at least ' if not h.runs_complete else ''}{_plural(len(runs), 'default-branch run')}"
        words += f" of {_plural(workflows, 'workflow')} {_between(h)}"
    else:
        words = f"no default-branch runs {_between(h)}"
    if not h.runs_complete:
        words += " (the window held more runs than were fetched)"
    if dynamic:
        words += f"; {_plural(dynamic, 'run')} of dynamic workflows (Pages, Dependabot, default set-ups) left out"
    return words


def _trigger_evidence(runs: list[RunRecord], out: _Sink) -> None:
    newest: dict[str, RunRecord] = {}
    count: Counter[str] = Counter()
    for r in runs:
        trigger = TRIGGERS.get(r.event)
        if trigger is None:
            continue
        count[trigger] += 1
        if trigger not in newest or r.created_at > newest[trigger].created_at:
            newest[trigger] = r
    for trigger in sorted(newest):
        events = sorted({r.event for r in runs if TRIGGERS.get(r.event) == trigger})
        run = newest[trigger]
        out.emit("ci.triggers", [trigger], run.html_url,
                 f"{_plural(count[trigger], 'default-branch run')} started by {'/'.join(events)} in the window"
                 f" (newest {_minute(run.created_at)}, workflow {run.workflow})")


def _break_median_evidence(h: RepoHistory, judged: list[RunRecord], breaks: list[Break], locator: str, out: _Sink) -> None:
    ended = [b for b in breaks if b.end is not None]
    still_red = [b for b in breaks if b.end is None]
    base = (f"{_plural(len(judged), 'green or red run')} of {_plural(len({r.workflow_id for r in judged}), 'workflow')}"
            " (pull-request, cancelled and skipped runs left out)")
    if ended:
        per_workflow = Counter(b.workflow for b in ended)
        parts = ", ".join(f"{w}: {_plural(n, 'break')}" for w, n in sorted(per_workflow.items()))
        value = _median_hours([b.hours(h.window_end) for b in ended])
        words = f"{_plural(len(ended), 'break')} ended in {base}, median {value} h ({parts})"
    elif still_red:
        value = _median_hours([b.hours(h.window_end) for b in still_red])
        words = f"no break ended in {base}; median {value} h is a lower bound from breaks still open"
    else:
        value, words = 0.0, f"no break in {base}"
    if still_red:
        words += "; still red at window end: " + _some(
            f"{b.workflow} since {_minute(b.start)} ({round(b.hours(h.window_end), 2)} h)" for b in still_red)
    out.emit("ci.default_branch.break_median_hours", value, locator, words)


def _red_ratio_evidence(h: RepoHistory, judged: list[RunRecord], breaks: list[Break], locator: str, out: _Sink) -> None:
    start = max(h.window_start, min(r.updated_at for r in judged))
    span = _hours(h.window_end - start)
    if span <= 0:
        return
    red = red_hours(breaks, start, h.window_end)
    ratio = round(red / span, 4)
    workflows = sorted({b.workflow for b in breaks})
    words = f"red {round(red, 2)} h of {round(span, 2)} h observed ({_minute(start)} to {_minute(h.window_end)})"
    if workflows:
        words += f": union of the red spells of {_some(workflows)}"
    out.emit("ci.default_branch.red_ratio", ratio, locator, words)


# --- deployments --------------------------------------------------------------------------------


def production_pattern(environment: str, patterns: Iterable[re.Pattern[str]]) -> str | None:
    """The first pattern that marks `environment` (stripped) as production, or None."""
    for p in patterns:
        if p.search(environment.strip()):
            return p.pattern
    return None


def _compile(patterns: Iterable[str], out: _Sink) -> list[re.Pattern[str]]:
    compiled = []
    for p in patterns:
        try:
            compiled.append(re.compile(p, re.IGNORECASE))
        except re.error as err:
            out.warn("bad-production-pattern", f"production pattern {p!r} is not a regular expression ({err}); ignored")
    return compiled


def says_rollback(text: str | None) -> bool:
    """The description or payload marks a rollback: the words rollback / roll back / revert, or a truthy `rollback` field."""
    if not text:
        return False
    try:
        data = json.loads(text)
    except ValueError:
        return bool(ROLLBACK_WORDS.search(text))
    return _json_says_rollback(data)


def _json_says_rollback(data: Any) -> bool:
    if isinstance(data, dict):
        return any((ROLLBACK_FIELD.match(str(k)) and _truthy(v)) or _json_says_rollback(v) for k, v in data.items())
    if isinstance(data, list):
        return any(_json_says_rollback(v) for v in data)
    return isinstance(data, str) and bool(ROLLBACK_WORDS.search(data))


def _truthy(v: Any) -> bool:
    return bool(v) and not (isinstance(v, str) and v.strip().lower() in ("false", "no", "0", "none", "null"))


def rollbacks(deployments: list[DeploymentRecord]) -> dict[int, str]:
    """Rollback deployment id -> why, over one environment's deployments in creation order."""
    found: dict[int, str] = {}
    deployed: set[str] = set()
    current: str | None = None
    for d in deployments:
        if says_rollback(d.description):
            found[d.id] = "its description says rollback"
        elif says_rollback(d.payload):
            found[d.id] = "its payload says rollback"
        elif d.sha in deployed and d.sha != current:
            found[d.id] = f"it redeploys {d.sha[:7]}, deployed there before, over {current[:7] if current else '?'}"
        if d.state in DEPLOY_OK:
            deployed.add(d.sha)
            current = d.sha
    return found


@dataclass
class _Production:
    """The window's production deployments, per environment in creation order."""

    by_env: dict[str, list[DeploymentRecord]]
    matched: dict[str, str]
    """environment -> the production pattern it matched."""
    rollbacks: dict[int, str]

    @property
    def all(self) -> list[DeploymentRecord]:
        return sorted((d for ds in self.by_env.values() for d in ds), key=lambda d: (d.created_at, d.id))

    def matched_words(self) -> str:
        return "; ".join(f"environment {env!r} has tier production" if p == TIER_MATCH else f"environment {env!r} matched production pattern {p!r}"
                         for env, p in sorted(self.matched.items()))


def _production(deployments: list[DeploymentRecord], patterns: list[re.Pattern[str]]) -> _Production:
    by_env: dict[str, list[DeploymentRecord]] = {}
    matched: dict[str, str] = {}
    for d in deployments:
        # GitLab's environment tier decides first; names are matched only where there is no tier
        if d.tier is not None:
            pattern = TIER_MATCH if d.tier == "production" else None
        else:
            pattern = production_pattern(d.environment, patterns)
        if pattern is not None:
            matched[d.environment] = pattern
            by_env.setdefault(d.environment, []).append(d)
    found: dict[int, str] = {}
    for ds in by_env.values():
        ds.sort(key=lambda d: (d.created_at, d.id))
        found.update(rollbacks(ds))
    return _Production(by_env, matched, found)


def deployment_evidence(h: RepoHistory, production_patterns: tuple[str, ...], out: _Sink) -> None:
    """`deploy.count`, `deploy.frequency_per_week`, `deploy.rollbacks`, `deploy.lead_time_median_hours`,
    `deploy.change_failure_rate`, `deploy.time_to_restore_median_hours`."""
    if h.deployments is None:
        out.unavailable("deployments")
        return
    patterns = _compile(production_patterns, out)
    window = [d for d in h.deployments if _in_window(d.created_at, h)]
    prod = _production(window, patterns)
    locator = h.deployments_url or h.html_url
    counted = [d for d in prod.all if d.state in DEPLOY_OK]
    _count_evidence(h, window, prod, counted, patterns, locator, out)
    if not prod.by_env:
        return
    _lead_time_evidence(prod, counted, locator, out)
    _change_failure_evidence(prod, locator, out)
    _time_to_restore_evidence(prod, locator, out)


def _count_evidence(h: RepoHistory, window: list[DeploymentRecord], prod: _Production, counted: list[DeploymentRecord],
                    patterns: list[re.Pattern[str]], locator: str, out: _Sink) -> None:
    if not window:
        words = f"no deployments recorded {_between(h)}"
    elif not prod.by_env:
        envs = Counter(d.environment for d in window)
        words = (f"{_plural(len(window), 'deployment')} {_between(h)}, none to production: environments "
                 + _some(f"{e!r} ({n})" for e, n in sorted(envs.items()))
                 + " match none of the production patterns " + ", ".join(repr(p.pattern) for p in patterns))
    else:
        per_env = Counter(d.environment for d in counted)
        words = (f"{_plural(len(counted), 'successful production deployment')} {_between(h)} "
                 f"(state success or inactive, of {_plural(len(prod.all), 'production deployment')}"
                 + (": " + ", ".join(f"{e!r} {n}" for e, n in sorted(per_env.items())) if len(prod.by_env) > 1 else "")
                 + f"); {prod.matched_words()}")
    out.emit("deploy.count", len(counted), locator, words)
    days = _window_days(h)
    per_week = round(len(counted) / (days / 7), 2) if days > 0 else 0.0
    out.emit("deploy.frequency_per_week", per_week, locator,
             f"{_plural(len(counted), 'successful production deployment')} in {round(days, 1)} days = {per_week} per week")
    rb = [d for d in prod.all if d.id in prod.rollbacks]
    rb_words = (f"{_plural(len(rb), 'rollback deployment')} to production {_between(h)}: "
                + _some(f"#{d.id} to {d.environment!r} ({prod.rollbacks[d.id]})" for d in rb)) if rb else \
        f"no rollback deployment to production {_between(h)} (none says rollback/revert, none redeploys an older commit)"
    out.emit("deploy.rollbacks", len(rb), (rb[-1].url or locator) if rb else locator, rb_words)


def _lead_time_evidence(prod: _Production, counted: list[DeploymentRecord], locator: str, out: _Sink) -> None:
    first: dict[tuple[str, str], DeploymentRecord] = {}
    for d in counted:
        if d.id not in prod.rollbacks:
            first.setdefault((d.environment, d.sha), d)
    dated = [d for d in first.values() if d.commit_at is not None]
    if not dated:
        return
    value = _median_hours([_hours((d.state_at or d.created_at) - d.commit_at) for d in dated])
    out.emit("deploy.lead_time_median_hours", value, locator,
             f"median {value} h from commit to production over {_plural(len(dated), 'commit')} with a commit date "
             f"(each commit's first successful deployment to a production environment; "
             f"{len(counted)} successful production deployments, redeploys and rollbacks left out)")


def _change_failure_evidence(prod: _Production, locator: str, out: _Sink) -> None:
    failed: list[DeploymentRecord] = []
    rolled_back: list[DeploymentRecord] = []
    base = 0
    for ds in prod.by_env.values():
        for i, d in enumerate(ds):
            if d.id in prod.rollbacks or d.state not in DEPLOY_FINISHED:
                continue
            base += 1
            if d.state in DEPLOY_FAILED:
                failed.append(d)
            elif i + 1 < len(ds) and ds[i + 1].id in prod.rollbacks:
                rolled_back.append(d)
    if not base:
        return
    rate = round((len(failed) + len(rolled_back)) / base, 4)
    words = (f"{len(failed) + len(rolled_back)} of {_plural(base, 'finished production deployment')} failed or were rolled back "
             f"({len(failed)} failed, {len(rolled_back)} followed by a rollback; rollback deployments themselves not counted)")
    out.emit("deploy.change_failure_rate", rate, locator, words)


def _time_to_restore_evidence(prod: _Production, locator: str, out: _Sink) -> None:
    restored: list[float] = []
    open_failures: list[DeploymentRecord] = []
    for ds in prod.by_env.values():
        for i, d in enumerate(ds):
            if d.state not in DEPLOY_FAILED:
                continue
            fix = next((n for n in ds[i + 1:] if n.state in DEPLOY_OK), None)
            if fix is None:
                open_failures.append(d)
            else:
                restored.append(_hours((fix.state_at or fix.created_at) - (d.state_at or d.created_at)))
    unrestored = "; not restored by the window end: " + _some(f"#{d.id} to {d.environment!r}" for d in open_failures)
    if restored:
        value = _median_hours(restored)
        words = (f"median {value} h from a failed production deployment to the next successful one in the same environment "
                 f"({_plural(len(restored), 'failure')} restored)" + (unrestored if open_failures else ""))
        out.emit("deploy.time_to_restore_median_hours", value, locator, words)
    elif open_failures:
        out.warn("history-incomplete", f"{_plural(len(open_failures), 'failed production deployment')}, none restored yet"
                 f"{unrestored}: deploy.time_to_restore_median_hours stays unknown", locator)
    else:
        out.emit("deploy.time_to_restore_median_hours", 0.0, locator, "no failed production deployment in the window")


# --- releases -----------------------------------------------------------------------------------

_GITHUB_NOTES = re.compile(r"^#{1,4}\s*What['’]s Changed\b|^\*\*Full Changelog\*\*\s*:", re.IGNORECASE | re.MULTILINE)
_CHANGELOG_HEADING = re.compile(
    r"^#{1,4}\s*(?:⚠️?\s*)?(?:Features|Bug Fixes|Performance Improvements|Reverts|Breaking Changes|BREAKING CHANGES|"
    r"Dependencies|Documentation|Miscellaneous Chores|Code Refactoring|Major Changes|Minor Changes|Patch Changes|Changelog)\s*$",
    re.IGNORECASE | re.MULTILINE,
)
_CHANGELOG_ENTRY = re.compile(r"\[[^\]]+\]\(https?://[^)]+\)|^\s*[-*]\s+`?[0-9a-f]{7,40}`?[:\s]", re.MULTILINE)


def notes_style(body: str) -> str | None:
    """Which generator's layout release notes have: `github` (What's Changed / Full Changelog),
    `changelog` (release-please, semantic-release, changesets, goreleaser sections with commit links), or None."""
    if _GITHUB_NOTES.search(body or ""):
        return "github"
    if _CHANGELOG_HEADING.search(body or "") and _CHANGELOG_ENTRY.search(body or ""):
        return "changelog"
    return None


_STYLE_WORDS = {"github": "GitHub's generated layout", "changelog": "changelog-tool sections with commit links"}


def release_evidence(h: RepoHistory, out: _Sink) -> None:
    """`release.count`, `release.frequency_per_month`, `release.automation`, `release.notes_generated`."""
    if h.releases is None:
        out.unavailable("releases")
        return
    window = sorted((r for r in h.releases if not r.draft and _in_window(r.published_at or r.created_at, h)),
                    key=lambda r: r.published_at or r.created_at)
    if h.releases:
        words = (f"{_plural(len(window), 'release')} published {_between(h)}: {_some(r.tag for r in window)}" if window else
                 f"no release published {_between(h)} ({_plural(len(h.releases), 'release')} in all)")
        _release_count(h, len(window), "release", h.releases_url, words, out)
        _release_automation_evidence(window, h.releases_url or h.html_url, out)
        _notes_generated_evidence(window, h.releases_url or h.html_url, out)
    elif h.tags is None:
        out.unavailable("tags")
    elif h.tags:
        tags = [t for t in h.tags if _in_window(t.date, h)]
        undated = sum(1 for t in h.tags if t.date is None)
        words = f"no {out.host} releases; {_plural(len(tags), 'tag')} in the window"
        words += f": {_some(t.name for t in tags)}" if tags else ""
        words += f" ({_plural(undated, 'tag')} without a date not counted)" if undated else ""
        _release_count(h, len(tags), "tag", h.tags_url, words, out)
    else:
        _release_count(h, 0, "release", h.releases_url, "no releases and no tags", out)


def _release_count(h: RepoHistory, count: int, noun: str, locator: str, words: str, out: _Sink) -> None:
    out.emit("release.count", count, locator, words)
    days = _window_days(h)
    per_month = round(count / (days / 30), 2) if days > 0 else 0.0
    out.emit("release.frequency_per_month", per_month, locator, f"{_plural(count, noun)} in {round(days, 1)} days = {per_month} per month")


def _release_automation_evidence(window: list[ReleaseRecord], locator: str, out: _Sink) -> None:
    bots = [r for r in window if r.author_is_bot]
    if not window or 2 * len(bots) < len(window):
        return
    authors = Counter(r.author or "?" for r in bots)
    out.emit("release.automation", ["release-bot"], locator,
             f"{len(bots)} of {_plural(len(window), 'release')} in the window published by a bot or app: "
             + ", ".join(f"{a} ({n})" for a, n in authors.most_common()))


def _notes_generated_evidence(window: list[ReleaseRecord], locator: str, out: _Sink) -> None:
    if not window:
        return
    styles = {r.tag: notes_style(r.body) for r in window}
    generated = [tag for tag, s in styles.items() if s]
    value = 2 * len(generated) >= len(window)
    words = f"{len(generated)} of {_plural(len(window), 'release')} in the window have generated notes"
    by_style = {s: [t for t, st in styles.items() if st == s] for s in _STYLE_WORDS}
    details = [f"{_STYLE_WORDS[s]}: {_some(tags)}" for s, tags in by_style.items() if tags]
    out.emit("release.notes_generated", value, locator, words + (f" ({'; '.join(details)})" if details else ""))


# --- protection ---------------------------------------------------------------------------------


def protection_evidence(h: RepoHistory, out: _Sink) -> None:
    """`process.required_reviews` (max over rules) and `process.required_checks` (union over rules)."""
    if h.protection is None:
        out.unavailable("protection")
        return
    records = h.protection
    fallback = records[0].url if records else h.html_url
    saying_reviews = [p for p in records if p.required_reviews is not None]
    for p in saying_reviews:
        out.emit("process.required_reviews", p.required_reviews, p.url or fallback,
                 f"{p.source} {p.name!r} requires {_plural(p.required_reviews, 'approving review')}")
    if not saying_reviews:
        if h.protection_reviews_visible:
            words = ("default branch has no protection rule or ruleset" if not records else
                     "no protection rule or ruleset on the default branch requires reviews (" + _some(f"{p.source} {p.name!r}" for p in records) + ")")
            out.emit("process.required_reviews", 0, fallback, words)
        else:
            why = h.unavailable.get("protection", "review rules need admin rights on the repository")
            out.warn("history-unavailable", f"{why}; {_stay_unknown(['process.required_reviews'])}", h.html_url)
    saying_checks = [p for p in records if p.required_checks]
    for p in saying_checks:
        checks = sorted(set(p.required_checks or ()))
        out.emit("process.required_checks", checks, p.url or fallback, f"{p.source} {p.name!r} requires status checks {', '.join(checks)}")
    if saying_checks:
        return
    if not records or any(p.required_checks is not None for p in records):
        read = _some(f"{p.source} {p.name!r}" for p in records) if records else "no protection rule or ruleset"
        out.emit("process.required_checks", [], fallback, f"no required status checks on the default branch ({read})")
    else:
        out.warn("history-unavailable", "no protection source said which status checks are required; "
                 + _stay_unknown(["process.required_checks"]), h.html_url)


# --- commits ------------------------------------------------------------------------------------


def commit_evidence(h: RepoHistory, out: _Sink) -> None:
    """`process.pr_merge_share`: window commits that came through a merged pull / merge request / window commits."""
    if h.commits is None:
        out.unavailable("commits")
        return
    window: list[CommitRecord] = [c for c in h.commits if _in_window(c.committed_at, h)]
    locator = h.commits_url or h.html_url
    if not window:
        out.warn("history-incomplete", "no default-branch commits in the window: " + _stay_unknown(["process.pr_merge_share"]), locator)
        return
    merged = sum(1 for c in window if c.pr_number is not None)
    share = round(merged / len(window), 4)
    out.emit("process.pr_merge_share", share, locator,
             f"{merged} of {len(window)} default-branch commits since {_day(h.window_start)} arrived through merged "
             f"{out.change_request}s (the newest {_plural(len(window), 'commit')})")


# --- entry point --------------------------------------------------------------------------------


ALL_PARTS = ("runs", "deployments", "releases", "protection", "commits")


def history_evidence(h: RepoHistory, production_patterns: tuple[str, ...], source: Source,
                     parts: tuple[str, ...] = ALL_PARTS) -> tuple[list[Evidence], list[Warning_]]:
    """Evidence for the "seen in API history" keys of one repository, and warnings for what could not be read.

    `parts` limits it to what a source can see at all (Jenkins: runs and deployments), so the others
    give no "could not be read" warning."""
    out = _Sink(h, source)
    if "runs" in parts:
        run_evidence(h, out)
    if "deployments" in parts:
        deployment_evidence(h, production_patterns, out)
    if "releases" in parts:
        release_evidence(h, out)
    if "protection" in parts:
        protection_evidence(h, out)
    if "commits" in parts:
        commit_evidence(h, out)
    return out.evidence, out.warnings
