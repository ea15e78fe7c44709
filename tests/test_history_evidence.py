"""History evidence: the arithmetic behind the "seen in API history" keys, on hand-built histories (no HTTP)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from collectors.detectors.interface import DEFAULT_PRODUCTION_PATTERNS
from collectors.history.evidence import PART_KEYS, history_evidence, notes_style, says_rollback
from collectors.history.records import (
    CommitRecord,
    DeploymentRecord,
    ProtectionRecord,
    ReleaseRecord,
    RepoHistory,
    RunRecord,
    TagRecord,
)
from scanner.evidence import Evidence, Source
from scanner.signals import HISTORY_KEYS, fold

T0 = datetime(2026, 8, 29, tzinfo=timezone.utc)
REPO = "https://github.com/acme/shop"
PROD = DEFAULT_PRODUCTION_PATTERNS


def at(hours: float) -> datetime:
    return T0 + timedelta(hours=hours)


def history(**parts) -> RepoHistory:
    """A history where every part was read and was empty (but for one merged commit), unless given."""
    base = dict(
        repo="acme/shop", html_url=REPO, default_branch="main", window_start=T0, window_end=T0 + timedelta(days=90),
        runs=[], runs_url=f"{REPO}/actions?query=branch%3Amain", deployments=[], deployments_url=f"{REPO}/deployments",
        releases=[], releases_url=f"{REPO}/releases", tags=[], tags_url=f"{REPO}/tags", protection=[],
        commits=[CommitRecord("c0", at(1), 1, f"{REPO}/commit/c0")], commits_url=f"{REPO}/commits/main",
    )
    base.update(parts)
    return RepoHistory(**base)


def run(id_: int, wf: int, conclusion: str | None, created: float, done: float, event: str = "push",
        name: str | None = None, path: str | None = None) -> RunRecord:
    name = name or {1: "CI", 2: "e2e", 3: "Release"}.get(wf, f"wf{wf}")
    return RunRecord(id_, wf, name, path or f".github/workflows/{name.lower()}.yml", event,
                     "completed" if conclusion else "in_progress", conclusion, "main", f"sha{id_}", at(created), at(done),
                     f"{REPO}/actions/runs/{id_}")


def deploy(id_: int, sha: str, created: float, state: str | None, state_at: float | None = None, commit_at: float | None = None,
           env: str = "production", description: str | None = None, payload: str | None = None) -> DeploymentRecord:
    return DeploymentRecord(id_, env, sha, at(created), state, at(state_at) if state_at is not None else None,
                            at(commit_at) if commit_at is not None else None, "ci-bot", description, payload,
                            url=f"{REPO}/deployments/{id_}")


def release(tag: str, published: float | None, bot: bool | None = False, body: str = "Fixes.", draft: bool = False,
            author: str | None = None) -> ReleaseRecord:
    when = at(published) if published is not None else None
    return ReleaseRecord(tag, tag, when or T0, when, draft, False, author or ("github-actions[bot]" if bot else "alice"),
                         bot, body, f"{REPO}/releases/tag/{tag}")


def tag(name: str, hours: float | None) -> TagRecord:
    return TagRecord(name, f"sha-{name}", at(hours) if hours is not None else None, f"{REPO}/releases/tag/{name}")


def scan(h: RepoHistory, patterns: tuple[str, ...] = PROD, source: Source = Source.GITHUB):
    evidence, warnings = history_evidence(h, patterns, source)
    return evidence, warnings


def by_key(evidence: list[Evidence]) -> dict[str, list[Evidence]]:
    out: dict[str, list[Evidence]] = {}
    for e in evidence:
        out.setdefault(e.key, []).append(e)
    return out


def one(evidence: list[Evidence], key: str) -> Evidence:
    found = by_key(evidence).get(key, [])
    assert len(found) == 1, (key, found)
    return found[0]


def values(evidence: list[Evidence]) -> dict[str, object]:
    return {e.key: e.value for e in evidence if e.key != "ci.triggers"}


# --- runs ---------------------------------------------------------------------------------------

BREAK_RUNS = [
    # CI (workflow 1): green, red, red, cancelled, PR green, green (break 2.5 h -> 6.5 h = 4.0 h), red (schedule), green (2.0 h)
    run(1, 1, "success", 1, 1.5),
    run(2, 1, "failure", 2, 2.5),
    run(3, 1, "failure", 3, 3.5),
    run(4, 1, "cancelled", 4, 4.1),
    run(5, 1, "success", 4.5, 5, event="pull_request"),
    run(6, 1, "success", 6, 6.5),
    run(7, 1, "timed_out", 10, 11, event="schedule"),
    run(8, 1, "success", 12, 13),
    # e2e (workflow 2): red first run (break 2 h -> 8 h = 6.0 h), green, then red still open at window end
    run(11, 2, "failure", 0.5, 2),
    run(12, 2, "success", 7, 8),
    run(13, 2, "startup_failure", 20, 20),
    # Release (workflow 3): only green, started by hand
    run(21, 3, "success", 50, 51, event="workflow_dispatch"),
    # left out: a dynamic workflow, a run before the window, a run still going
    run(31, 9, "failure", 30, 31, event="dynamic", name="pages-build-deployment", path="dynamic/pages/pages-build-deployment"),
    run(32, 1, "failure", -5, -4),
    run(33, 1, None, 100, 100),
]


def test_run_count_triggers_and_break_median_with_two_workflows_and_an_open_break():
    ev, warnings = scan(history(runs=BREAK_RUNS))
    assert warnings == []
    count = one(ev, "ci.default_branch.runs")
    assert count.value == 13  # 15 runs, minus the dynamic one and the one before the window
    assert count.locator == f"{REPO}/actions?query=branch%3Amain"
    assert count.observed.startswith("13 default-branch runs of 3 workflows between 2026-08-29 and 2026-11-27")
    assert "1 run of dynamic workflows" in count.observed

    triggers = {e.value[0]: e for e in by_key(ev)["ci.triggers"]}
    assert sorted(triggers) == ["manual", "pull_request", "push", "schedule"]
    assert triggers["push"].locator == f"{REPO}/actions/runs/33"  # the newest push run
    assert triggers["manual"].locator == f"{REPO}/actions/runs/21"
    assert triggers["pull_request"].observed.startswith("1 default-branch run started by pull_request")

    median = one(ev, "ci.default_branch.break_median_hours")
    # ended breaks: CI 4.0 h and 2.0 h, e2e 6.0 h; the e2e break since 20 h is still open
    assert median.value == 4.0
    assert "3 breaks ended" in median.observed
    assert "(CI: 2 breaks, e2e: 1 break)" in median.observed
    assert "still red at window end: e2e since 2026-08-29 20:00 (2140.0 h)" in median.observed


def test_red_ratio_is_the_union_of_overlapping_red_spells_over_the_observed_span():
    h = history(window_end=at(100), runs=[
        run(1, 1, "success", 0, 20),   # first completion at 20 h: the observed span is 20 h -> 100 h = 80 h
        run(2, 1, "failure", 25, 30),  # CI red 30 -> 50
        run(3, 1, "success", 45, 50),
        run(4, 2, "failure", 35, 40),  # e2e red 40 -> 60, overlapping CI: union 30 -> 60
        run(5, 2, "success", 55, 60),
        run(6, 2, "failure", 85, 90),  # e2e red from 90 to the window end
    ])
    ev, _ = scan(h)
    ratio = one(ev, "ci.default_branch.red_ratio")
    assert ratio.value == 0.5  # (30 + 10) / 80
    assert ratio.observed.startswith("red 40.0 h of 80.0 h observed (2026-08-29 20:00 to 2026-09-02 04:00)")
    assert one(ev, "ci.default_branch.break_median_hours").value == 20.0


def test_red_ratio_rounds_to_four_decimals():
    ev, _ = scan(history(runs=BREAK_RUNS))
    # span 1.5 h -> 2160 h; red: [2, 8] (e2e covers CI's 2.5 -> 6.5), [11, 13], [20, 2160]
    assert one(ev, "ci.default_branch.red_ratio").value == round(2148 / 2158.5, 4) == 0.9951


def test_cancelled_and_pull_request_runs_are_not_judged():
    h = history(runs=[
        run(1, 1, "cancelled", 1, 2),
        run(2, 1, "skipped", 3, 4),
        run(3, 1, "failure", 5, 6, event="pull_request"),
        run(4, 1, "failure", 7, 8, event="pull_request_target"),
    ])
    ev, warnings = scan(h)
    assert values(ev)["ci.default_branch.runs"] == 4
    assert "ci.default_branch.break_median_hours" not in values(ev)
    assert "ci.default_branch.red_ratio" not in values(ev)
    assert warnings == []


def test_green_runs_only_give_no_break_and_zero_red():
    h = history(runs=[run(1, 1, "success", 1, 2), run(2, 1, "neutral", 3, 4), run(3, 1, "success", 5, 6)], runs_complete=False)
    ev, _ = scan(h)
    assert one(ev, "ci.default_branch.runs").observed.startswith("at least 3 default-branch runs")
    median = one(ev, "ci.default_branch.break_median_hours")
    assert median.value == 0.0
    assert median.observed.startswith("no break in 2 green or red runs of 1 workflow")
    assert one(ev, "ci.default_branch.red_ratio").value == 0.0


def test_only_an_open_break_gives_its_length_so_far_as_a_lower_bound():
    h = history(window_end=at(50), runs=[run(1, 1, "success", 0, 10), run(2, 1, "failure", 15, 20)])
    ev, _ = scan(h)
    median = one(ev, "ci.default_branch.break_median_hours")
    assert median.value == 30.0
    assert "lower bound" in median.observed
    assert one(ev, "ci.default_branch.red_ratio").value == 0.75  # 30 of 40 h


def test_no_runs_gives_zero_runs_and_nothing_else():
    ev, warnings = scan(history())
    assert values(ev)["ci.default_branch.runs"] == 0
    assert "ci.triggers" not in by_key(ev)
    assert "ci.default_branch.red_ratio" not in values(ev)
    assert warnings == []


# --- deployments --------------------------------------------------------------------------------

PROD_DEPLOYS = [
    deploy(1, "a", 10, "inactive", 10.5, commit_at=8),          # lead 2.5 h
    deploy(2, "b", 20, "failure", 20.5, commit_at=19),          # failed; restored by 3 at 31 h: 10.5 h
    deploy(3, "c", 30, "inactive", 31, commit_at=28),           # lead 3.0 h
    deploy(4, "d", 40, "inactive", 40.5, commit_at=39),         # lead 1.5 h; rolled back by 5
    deploy(5, "c", 41, "inactive", 41.5, commit_at=28),         # rollback: c was deployed before, d is current
    deploy(6, "e", 50, "error", 50.2, commit_at=49),            # failed; restored by 7 at 60.5 h: 10.3 h
    deploy(7, "f", 60, "success", 60.5, payload='{"rollback": true, "to": "v1"}'),  # rollback by payload
    deploy(8, "g", 70, "success", 71, commit_at=69),            # lead 2.0 h
    deploy(9, "g", 75, "pending"),                              # not finished
    deploy(10, "z", 80, "success", 80.5, env=" live "),         # a second production environment, no commit date
    deploy(20, "s1", 15, "success", 15.5, env="staging", description="rollback"),  # not production
    deploy(21, "p0", -1, "success", -0.5),                      # before the window
]


def test_production_deployments_count_frequency_and_pattern_named():
    ev, warnings = scan(history(deployments=PROD_DEPLOYS))
    assert warnings == []
    count = one(ev, "deploy.count")
    assert count.value == 7  # 1, 3, 4, 5, 7, 8 to production and 10 to ' live '
    assert count.locator == f"{REPO}/deployments"
    assert "environment ' live ' matched production pattern '^live$'" in count.observed
    assert "environment 'production' matched production pattern '^prod(uction)?([-_ ./].*)?$'" in count.observed
    assert one(ev, "deploy.frequency_per_week").value == 0.54  # 7 / (90 / 7)


def test_rollbacks_by_payload_and_by_redeploy_of_an_older_commit():
    ev, _ = scan(history(deployments=PROD_DEPLOYS))
    rb = one(ev, "deploy.rollbacks")
    assert rb.value == 2
    assert "#5 to 'production' (it redeploys c, deployed there before, over d)" in rb.observed
    assert "#7 to 'production' (its payload says rollback)" in rb.observed
    assert rb.locator == f"{REPO}/deployments/7"


def test_rollback_by_description_and_redeploy_of_the_current_commit_is_not_one():
    ev, _ = scan(history(deployments=[
        deploy(1, "a", 10, "success", 10.5),
        deploy(2, "a", 20, "success", 20.5),                     # same commit again: not a rollback
        deploy(3, "b", 30, "success", 30.5),
        deploy(4, "b", 40, "failure", 40.5, description="Revert to last good build"),
    ]))
    assert values(ev)["deploy.rollbacks"] == 1
    assert "#4 to 'production' (its description says rollback)" in one(ev, "deploy.rollbacks").observed


def test_says_rollback():
    assert says_rollback("Roll back to v1.2")
    assert says_rollback('{"rollback": "v1.2"}')
    assert says_rollback('{"meta": {"reason": "revert bad release"}}')
    assert not says_rollback('{"rollback": false, "rollback_on_failure": true}')
    assert not says_rollback("deploy v1.3")
    assert not says_rollback(None)


def test_lead_time_change_failure_rate_and_time_to_restore():
    ev, _ = scan(history(deployments=PROD_DEPLOYS))
    v = values(ev)
    assert v["deploy.lead_time_median_hours"] == 2.25  # median of 2.5, 3.0, 1.5, 2.0 (rollback 5 left out)
    cfr = one(ev, "deploy.change_failure_rate")
    # finished, not rollbacks: 1, 2, 3, 4, 6, 8, 10; failed 2 and 6; 4 is followed by the rollback 5
    assert cfr.value == round(3 / 7, 4) == 0.4286
    assert cfr.observed.startswith("3 of 7 finished production deployments failed or were rolled back (2 failed, 1 followed by a rollback")
    ttr = one(ev, "deploy.time_to_restore_median_hours")
    assert ttr.value == 10.4  # median of 10.5 and 10.3
    assert "(2 failures restored)" in ttr.observed


def test_non_production_only_gives_zero_and_names_what_was_seen():
    ev, warnings = scan(history(deployments=[
        deploy(1, "a", 10, "success", 11, env="staging"),
        deploy(2, "b", 20, "success", 21, env="staging"),
        deploy(3, "c", 30, "success", 31, env="github-pages"),
    ]))
    assert warnings == []
    assert {k: v for k, v in values(ev).items() if k.startswith("deploy.")} == {
        "deploy.count": 0, "deploy.frequency_per_week": 0.0, "deploy.rollbacks": 0}
    observed = one(ev, "deploy.count").observed
    assert "none to production" in observed
    assert "'github-pages' (1), 'staging' (2)" in observed
    assert "'^prod(uction)?([-_ ./].*)?$'" in observed


def test_custom_production_pattern():
    ev, _ = scan(history(deployments=[deploy(1, "a", 10, "success", 11, env="shop-main")]), patterns=("^shop-main$",))
    assert values(ev)["deploy.count"] == 1
    assert "environment 'shop-main' matched production pattern '^shop-main$'" in one(ev, "deploy.count").observed


def test_no_deployments_gives_zero_count_and_no_rates():
    ev, _ = scan(history())
    v = values(ev)
    assert (v["deploy.count"], v["deploy.frequency_per_week"], v["deploy.rollbacks"]) == (0, 0.0, 0)
    for key in ("deploy.lead_time_median_hours", "deploy.change_failure_rate", "deploy.time_to_restore_median_hours"):
        assert key not in v
    assert one(ev, "deploy.count").observed == "no deployments recorded between 2026-08-29 and 2026-11-27"


def test_no_failed_production_deployment_gives_zero_restore_time():
    ev, _ = scan(history(deployments=[deploy(1, "a", 10, "success", 11), deploy(2, "b", 20, "inactive", 21)]))
    ttr = one(ev, "deploy.time_to_restore_median_hours")
    assert (ttr.value, ttr.observed) == (0.0, "no failed production deployment in the window")
    assert values(ev)["deploy.change_failure_rate"] == 0.0
    assert "deploy.lead_time_median_hours" not in values(ev)  # no commit dates


def test_unrestored_failure_leaves_time_to_restore_unknown():
    ev, warnings = scan(history(deployments=[deploy(1, "a", 10, "success", 11), deploy(2, "b", 20, "failure", 21)]))
    assert "deploy.time_to_restore_median_hours" not in values(ev)
    assert values(ev)["deploy.change_failure_rate"] == 0.5
    assert [w.code for w in warnings] == ["history-incomplete"]
    assert "deploy.time_to_restore_median_hours stays unknown" in warnings[0].message


# --- releases -----------------------------------------------------------------------------------

WHATS_CHANGED = "## What's Changed\n* Add cart by @bob in https://github.com/acme/shop/pull/1\n\n**Full Changelog**: https://x/compare/a...b"
RELEASE_PLEASE = ("## [1.2.0](https://github.com/acme/shop/compare/v1.1.0...v1.2.0) (2026-09-01)\n\n\n### Features\n\n"
                  "* add cart ([abc1234](https://github.com/acme/shop/commit/abc1234))\n")


def test_releases_count_bot_share_and_generated_notes():
    ev, _ = scan(history(releases=[
        release("v1.4", 200, bot=True, body=RELEASE_PLEASE),
        release("v1.3", 150, bot=True, body=WHATS_CHANGED),
        release("v1.2", 100, bot=True, body=WHATS_CHANGED),
        release("v1.1", 50, body="Hand-written notes."),
        release("v1.5-draft", None, draft=True),
        release("v1.0", -24, bot=True, body=WHATS_CHANGED),  # before the window
    ]))
    v = values(ev)
    assert (v["release.count"], v["release.frequency_per_month"]) == (4, 1.33)
    automation = one(ev, "release.automation")
    assert automation.value == ["release-bot"]
    assert automation.observed == "3 of 4 releases in the window published by a bot or app: github-actions[bot] (3)"
    notes = one(ev, "release.notes_generated")
    assert notes.value is True
    assert notes.observed.startswith("3 of 4 releases in the window have generated notes")
    assert "changelog-tool sections with commit links: v1.4" in notes.observed


def test_few_generated_notes_and_few_bot_releases():
    ev, _ = scan(history(releases=[
        release("v3", 30, body=WHATS_CHANGED),
        release("v2", 20, bot=True),
        release("v1", 10),
    ]))
    assert "release.automation" not in by_key(ev)
    assert one(ev, "release.notes_generated").value is False


def test_notes_style():
    assert notes_style(WHATS_CHANGED) == "github"
    assert notes_style("## What’s Changed\n\n* x (#1) @bob") == "github"
    assert notes_style(RELEASE_PLEASE) == "changelog"
    assert notes_style("### Patch Changes\n\n- 1a2b3c4: fix the cart") == "changelog"
    assert notes_style("### Features\n\n* nicer cart") is None  # a heading alone is not enough
    assert notes_style("") is None


def test_tags_stand_in_when_there_are_no_releases():
    ev, _ = scan(history(tags=[tag("v4", 400), tag("v3", 300), tag("v2", 200), tag("v1", 100), tag("v0", -10), tag("old", None)]))
    count = one(ev, "release.count")
    assert count.value == 4
    assert count.locator == f"{REPO}/tags"
    assert count.observed.startswith("no GitHub releases; 4 tags in the window: v4, v3, v2, v1")
    assert "1 tag without a date not counted" in count.observed
    assert values(ev)["release.frequency_per_month"] == 1.33
    assert "release.automation" not in by_key(ev)
    assert "release.notes_generated" not in by_key(ev)


def test_releases_outside_the_window_only_and_nothing_at_all():
    ev, _ = scan(history(releases=[release("v1", -100)], tags=[tag("v9", 10)]))
    assert values(ev)["release.count"] == 0  # releases exist, so tags do not stand in
    assert "release.notes_generated" not in by_key(ev)
    ev, _ = scan(history())
    assert one(ev, "release.count").observed == "no releases and no tags"


def test_unreadable_tags_matter_only_without_releases():
    ev, warnings = scan(history(tags=None, unavailable={"tags": "403 Forbidden"}))
    assert "release.count" not in values(ev)
    assert [w.message for w in warnings] == ["GitHub tags: 403 Forbidden; release.count, release.frequency_per_month stay unknown"]
    ev, warnings = scan(history(tags=None, releases=[release("v1", 10)]))
    assert values(ev)["release.count"] == 1
    assert warnings == []


# --- protection ---------------------------------------------------------------------------------


def test_no_protection_when_reviews_are_visible():
    ev, warnings = scan(history(protection=[]))
    reviews = one(ev, "process.required_reviews")
    assert (reviews.value, reviews.observed) == (0, "default branch has no protection rule or ruleset")
    assert one(ev, "process.required_checks").value == []
    assert warnings == []


def test_reviews_invisible_without_admin_rights():
    h = history(protection=[ProtectionRecord("branch", "main", None, ("ci / test", "ci / build", "ci / test"), f"{REPO}/tree/main")],
                protection_reviews_visible=False)
    ev, warnings = scan(h)
    assert "process.required_reviews" not in values(ev)
    assert [(w.code, w.message) for w in warnings] == [
        ("history-unavailable", "review rules need admin rights on the repository; process.required_reviews stays unknown")]
    checks = one(ev, "process.required_checks")
    assert (checks.value, checks.locator) == (["ci / build", "ci / test"], f"{REPO}/tree/main")


def test_several_protection_sources_fold_to_max_and_union():
    ev, _ = scan(history(protection=[
        ProtectionRecord("branch-protection", "main", 1, ("build", "test"), f"{REPO}/settings/branches"),
        ProtectionRecord("ruleset", "default", 2, ("test", "lint"), f"{REPO}/rules/7"),
        ProtectionRecord("branch", "main", None, (), f"{REPO}/tree/main"),
    ]))
    assert len(by_key(ev)["process.required_reviews"]) == 2
    assert len(by_key(ev)["process.required_checks"]) == 2
    signals = fold(ev)
    assert signals["process"]["required_reviews"] == 2
    assert signals["process"]["required_checks"] == ["build", "lint", "test"]
    assert by_key(ev)["process.required_reviews"][1].observed == "ruleset 'default' requires 2 approving reviews"


def test_protection_without_reviews_or_checks():
    ev, _ = scan(history(protection=[ProtectionRecord("ruleset", "linear", 0, (), f"{REPO}/rules/8")]))
    assert values(ev)["process.required_reviews"] == 0
    assert values(ev)["process.required_checks"] == []


# --- commits ------------------------------------------------------------------------------------


def commits(merged: int, direct: int, before: int = 0) -> list[CommitRecord]:
    out = [CommitRecord(f"m{i}", at(10 + i), 100 + i, f"{REPO}/commit/m{i}") for i in range(merged)]
    out += [CommitRecord(f"d{i}", at(5 + i), None, f"{REPO}/commit/d{i}") for i in range(direct)]
    out += [CommitRecord(f"o{i}", at(-1 - i), None, f"{REPO}/commit/o{i}") for i in range(before)]
    return out


def test_pr_merge_share():
    ev, _ = scan(history(commits=commits(38, 3, before=2)))
    share = one(ev, "process.pr_merge_share")
    assert share.value == 0.9268
    assert share.observed == ("38 of 41 default-branch commits since 2026-08-29 arrived through merged pull requests "
                              "(the newest 41 commits)")
    assert share.locator == f"{REPO}/commits/main"
    ev, _ = scan(history(commits=commits(1, 1)), source=Source.GITLAB)
    assert "merged merge requests" in one(ev, "process.pr_merge_share").observed


def test_no_commits_in_the_window_leaves_pr_share_unknown():
    ev, warnings = scan(history(commits=commits(0, 0, before=3)))
    assert "process.pr_merge_share" not in values(ev)
    assert [(w.code, w.message) for w in warnings] == [
        ("history-incomplete", "no default-branch commits in the window: process.pr_merge_share stays unknown")]


# --- unreadable parts ---------------------------------------------------------------------------


def test_every_unreadable_part_gives_absent_keys_and_a_warning():
    why = {"runs": "Actions are disabled", "deployments": "403 Resource not accessible by integration",
           "releases": "404 Not Found", "protection": "needs admin rights", "commits": "409 Git Repository is empty"}
    h = history(runs=None, deployments=None, releases=None, tags=None, protection=None, commits=None, unavailable=why)
    ev, warnings = scan(h)
    assert ev == []
    assert len(warnings) == 5
    for w, part in zip(warnings, ["runs", "deployments", "releases", "protection", "commits"]):
        assert w.code == "history-unavailable"
        assert w.locator == REPO
        assert why[part] in w.message
        for key in PART_KEYS[part]:
            assert key in w.message
    assert warnings[1].message.startswith("GitHub deployments: 403 Resource not accessible by integration; deploy.count, ")
    assert warnings[1].message.endswith("stay unknown")


def test_each_unreadable_part_alone_leaves_only_its_keys_absent():
    for part in ("runs", "deployments", "releases", "protection", "commits"):
        ev, warnings = scan(history(**{"commits": commits(1, 0), part: None}))
        present = set(values(ev))
        assert not present & set(PART_KEYS[part]), part
        assert any(part in w.message for w in warnings), part


# --- fold ---------------------------------------------------------------------------------------


def test_fold_gives_the_expected_nested_signals():
    h = history(runs=BREAK_RUNS, deployments=PROD_DEPLOYS, commits=commits(9, 1),
                releases=[release("v2", 100, bot=True, body=WHATS_CHANGED), release("v1", 10, bot=True, body=WHATS_CHANGED)],
                protection=[ProtectionRecord("ruleset", "main", 1, ("test",), f"{REPO}/rules/1")])
    ev, warnings = scan(h)
    assert warnings == []
    assert all(e.locator.startswith("https://") and e.observed and e.source == Source.GITHUB for e in ev)
    assert {e.key for e in ev} - {"ci.triggers", "release.automation", "release.notes_generated"} <= HISTORY_KEYS
    files = [Evidence(key="ci.triggers", value=["tag"], source=Source.LOCAL, locator=".github/workflows/release.yml:3", observed="on: push tags"),
             Evidence(key="release.automation", value=["release-please"], source=Source.LOCAL, locator="release-please-config.json",
                      observed="release-please config run by a workflow")]
    assert fold(ev + files) == {
        "ci": {
            "triggers": ["manual", "pull_request", "push", "schedule", "tag"],
            "default_branch": {"runs": 13, "break_median_hours": 4.0, "red_ratio": 0.9951},
        },
        "deploy": {
            "count": 7, "frequency_per_week": 0.54, "lead_time_median_hours": 2.25, "change_failure_rate": 0.4286,
            "time_to_restore_median_hours": 10.4, "rollbacks": 2,
        },
        "release": {"count": 2, "frequency_per_month": 0.67, "automation": ["release-bot", "release-please"], "notes_generated": True},
        "process": {"required_reviews": 1, "required_checks": ["test"], "pr_merge_share": 0.9},
    }
