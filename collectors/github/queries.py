"""The GraphQL documents the GitHub collector sends, and the parsers of their answers.

Every document batches many repositories under aliases (`r0`, `r1`, ...) and asks for
`rateLimit { cost remaining resetAt }`, so the client counts what it spent. Costs follow GitHub's
formula (connections requested, divided by 100): the probe costs about 0.05 points per repository,
the history about 1.05 (100 commits, each with its pull request), and a blob batch 1 point for up
to BLOB_BATCH files.
"""

from __future__ import annotations

import json
from datetime import datetime
from fnmatch import fnmatch
from typing import Any

from collectors.history.records import CommitRecord, DeploymentRecord, ProtectionRecord, ReleaseRecord, TagRecord

RATE = "rateLimit { cost remaining resetAt }"
COMMITS_SAMPLE = 100
"""Default-branch commits read for `process.pr_merge_share` (the newest ones in the window)."""
DEPLOYMENTS_PAGE = 100
RELEASES_PAGE = 50
TAGS_PAGE = 50
BLOB_BATCH = 200
"""Files per blob query."""
BLOB_BATCH_BYTES = 3_000_000
"""Bytes of file text per blob query, to keep answers well under GitHub's limits."""

PROBE_FIELDS = """
  nameWithOwner url isEmpty isArchived isFork viewerPermission pushedAt
  defaultBranchRef {
    name
    target { ... on Commit { oid committedDate tree { oid } } }
    rules(first: 50) {
      nodes {
        type
        repositoryRuleset { name databaseId }
        parameters {
          ... on PullRequestParameters { requiredApprovingReviewCount }
          ... on RequiredStatusChecksParameters { requiredStatusChecks { context } }
        }
      }
    }
  }
  branchProtectionRules(first: 20) {
    nodes { pattern requiresApprovingReviews requiredApprovingReviewCount requiresStatusChecks requiredStatusCheckContexts }
  }
  releases(first: 1, orderBy: {field: CREATED_AT, direction: DESC}) { totalCount nodes { databaseId updatedAt } }
  deployments(last: 1) { totalCount nodes { databaseId latestStatus { id state } } }
  refs(refPrefix: "refs/tags/", first: 1, orderBy: {field: TAG_COMMIT_DATE, direction: DESC}) { totalCount nodes { name } }
"""

HISTORY_FIELDS = f"""
  releases(first: {RELEASES_PAGE}, orderBy: {{field: CREATED_AT, direction: DESC}}) {{
    nodes {{ tagName name createdAt publishedAt isDraft isPrerelease url description author {{ login }} }}
  }}
  refs(refPrefix: "refs/tags/", first: {TAGS_PAGE}, orderBy: {{field: TAG_COMMIT_DATE, direction: DESC}}) {{
    nodes {{ name target {{ oid ... on Commit {{ committedDate }} ... on Tag {{ target {{ oid ... on Commit {{ committedDate }} }} }} }} }}
  }}
  deployments(last: {DEPLOYMENTS_PAGE}) {{
    pageInfo {{ hasPreviousPage startCursor }}
    nodes {{ ...Deployment }}
  }}
  defaultBranchRef {{
    target {{
      ... on Commit {{
        history(first: {COMMITS_SAMPLE}, since: $since) {{
          nodes {{ oid committedDate url associatedPullRequests(first: 3) {{ nodes {{ number merged baseRefName }} }} }}
        }}
      }}
    }}
  }}
"""

DEPLOYMENT_FRAGMENT = """
fragment Deployment on Deployment {
  databaseId environment commitOid createdAt description payload task
  creator { login }
  latestStatus { state createdAt }
  commit { committedDate }
}
"""


def _lit(value: str) -> str:
    return json.dumps(value)


def _repo(alias: str, full_name: str, fields: str) -> str:
    owner, _, name = full_name.partition("/")
    return f"  {alias}: repository(owner: {_lit(owner)}, name: {_lit(name)}) {{ {fields} }}\n"


def probe_query(repos: list[str]) -> str:
    body = "".join(_repo(f"r{i}", full, PROBE_FIELDS) for i, full in enumerate(repos))
    return f"query Probe {{\n{body}  {RATE}\n}}\n"


def history_query(repos: list[str]) -> str:
    body = "".join(_repo(f"r{i}", full, HISTORY_FIELDS) for i, full in enumerate(repos))
    return f"query History($since: GitTimestamp!) {{\n{body}  {RATE}\n}}\n{DEPLOYMENT_FRAGMENT}"


def deployments_page_query(full_name: str) -> str:
    fields = f"deployments(last: {DEPLOYMENTS_PAGE}, before: $before) {{ pageInfo {{ hasPreviousPage startCursor }} nodes {{ ...Deployment }} }}"
    return f"query DeploymentsPage($before: String!) {{\n{_repo('r0', full_name, fields)}  {RATE}\n}}\n{DEPLOYMENT_FRAGMENT}"


def blob_query(requests: list[tuple[str, list[str]]]) -> str:
    """`requests`: (owner/name, [blob oid, ...]); aliases are r<i> and b<j>."""
    parts = []
    for i, (full, oids) in enumerate(requests):
        objs = " ".join(f"b{j}: object(oid: {_lit(oid)}) {{ ... on Blob {{ text isBinary isTruncated byteSize }} }}" for j, oid in enumerate(oids))
        parts.append(_repo(f"r{i}", full, objs))
    return f"query Blobs {{\n{''.join(parts)}  {RATE}\n}}\n"


# ---------------------------------------------------------------------------------------------- parsing


def when(value: str | None) -> datetime | None:
    if not value:
        return None
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def protection_records(node: dict[str, Any], default_branch: str, html_url: str) -> list[ProtectionRecord]:
    """Classic branch protection rules that match the default branch, and the rules (rulesets) on it."""
    out: list[ProtectionRecord] = []
    for rule in (node.get("branchProtectionRules") or {}).get("nodes") or []:
        if not rule or not fnmatch(default_branch, rule.get("pattern") or ""):
            continue
        reviews = rule.get("requiredApprovingReviewCount") if rule.get("requiresApprovingReviews") else 0
        checks = tuple(c for c in rule.get("requiredStatusCheckContexts") or [] if c) if rule.get("requiresStatusChecks") else ()
        out.append(ProtectionRecord("branch-protection", rule.get("pattern") or default_branch, reviews, checks,
                                    f"{html_url}/settings/branches"))
    ref = node.get("defaultBranchRef") or {}
    by_ruleset: dict[str, tuple[int | None, list[str], int | None]] = {}
    for rule in (ref.get("rules") or {}).get("nodes") or []:
        if not rule:
            continue
        ruleset = rule.get("repositoryRuleset") or {}
        name = ruleset.get("name") or "ruleset"
        reviews, checks, rid = by_ruleset.get(name, (None, [], ruleset.get("databaseId")))
        params = rule.get("parameters") or {}
        if rule.get("type") == "PULL_REQUEST":
            reviews = max(reviews or 0, int(params.get("requiredApprovingReviewCount") or 0))
        elif rule.get("type") == "REQUIRED_STATUS_CHECKS":
            checks = checks + [c["context"] for c in params.get("requiredStatusChecks") or [] if c and c.get("context")]
        by_ruleset[name] = (reviews, checks, rid)
    for name, (reviews, checks, rid) in sorted(by_ruleset.items()):
        url = f"{html_url}/rules/{rid}" if rid else f"{html_url}/rules"
        out.append(ProtectionRecord("ruleset", name, reviews, tuple(checks) if checks else None, url))
    return out


def branch_summary_record(branch: dict[str, Any], html_url: str, default_branch: str) -> ProtectionRecord:
    """REST `GET /repos/{o}/{r}/branches/{b}`: what any reader sees (required checks, not reviews)."""
    checks = ((branch.get("protection") or {}).get("required_status_checks") or {}).get("contexts") or []
    return ProtectionRecord("branch", default_branch, None, tuple(c for c in checks if isinstance(c, str)),
                            f"{html_url}/tree/{default_branch}")


def release_records(node: dict[str, Any]) -> list[ReleaseRecord]:
    out = []
    for r in (node.get("releases") or {}).get("nodes") or []:
        if not r:
            continue
        author = (r.get("author") or {}).get("login")
        created = when(r.get("createdAt"))
        if created is None:
            continue
        # Release.author is a User: a release published by an app or bot (github-actions) has none
        is_bot = True if author is None else author.endswith("[bot]")
        out.append(ReleaseRecord(r.get("tagName") or "", r.get("name"), created, when(r.get("publishedAt")), bool(r.get("isDraft")),
                                 bool(r.get("isPrerelease")), author, is_bot, r.get("description") or "", r.get("url") or ""))
    return out


def tag_records(node: dict[str, Any], html_url: str) -> list[TagRecord]:
    out = []
    for ref in (node.get("refs") or {}).get("nodes") or []:
        if not ref:
            continue
        target = ref.get("target") or {}
        commit = target.get("target") if "target" in target else target  # an annotated tag points to a commit
        commit = commit or {}
        out.append(TagRecord(ref.get("name") or "", commit.get("oid") or target.get("oid") or "", when(commit.get("committedDate")),
                             f"{html_url}/releases/tag/{ref.get('name')}"))
    return out


def deployment_records(nodes: list[dict[str, Any]] | None, html_url: str) -> list[DeploymentRecord]:
    out = []
    for d in nodes or []:
        if not d:
            continue
        created = when(d.get("createdAt"))
        if created is None:
            continue
        status = d.get("latestStatus") or {}
        env = d.get("environment") or ""
        out.append(DeploymentRecord(
            id=int(d.get("databaseId") or 0), environment=env, sha=d.get("commitOid") or "", created_at=created,
            state=(status.get("state") or "").lower() or None, state_at=when(status.get("createdAt")),
            commit_at=when((d.get("commit") or {}).get("committedDate")), creator=(d.get("creator") or {}).get("login"),
            description=d.get("description"), payload=d.get("payload"), task=d.get("task") or "deploy",
            url=f"{html_url}/deployments/{env}" if env else f"{html_url}/deployments"))
    out.sort(key=lambda x: (x.created_at, x.id), reverse=True)
    return out


def commit_records(node: dict[str, Any], default_branch: str) -> list[CommitRecord]:
    target = ((node.get("defaultBranchRef") or {}).get("target")) or {}
    out = []
    for c in (target.get("history") or {}).get("nodes") or []:
        if not c:
            continue
        number = None
        for pr in (c.get("associatedPullRequests") or {}).get("nodes") or []:
            if pr and pr.get("merged") and pr.get("baseRefName") == default_branch:
                number = pr.get("number")
                break
        committed = when(c.get("committedDate"))
        if committed is not None:
            out.append(CommitRecord(c.get("oid") or "", committed, number, c.get("url") or ""))
    return out


def fingerprint(node: dict[str, Any], window_days: int) -> str:
    """What must change for the history to change: HEAD, newest release, newest deployment status, tags."""
    head = (((node.get("defaultBranchRef") or {}).get("target")) or {}).get("oid")
    rel = (node.get("releases") or {})
    dep = (node.get("deployments") or {})
    tags = (node.get("refs") or {})
    rel_node = (rel.get("nodes") or [None])[0] or {}
    dep_node = (dep.get("nodes") or [None])[-1] or {}
    tag_node = (tags.get("nodes") or [None])[0] or {}
    parts = [head, rel.get("totalCount"), rel_node.get("databaseId"), rel_node.get("updatedAt"), dep.get("totalCount"),
             dep_node.get("databaseId"), (dep_node.get("latestStatus") or {}).get("id"), tags.get("totalCount"), tag_node.get("name"),
             window_days]
    return json.dumps(parts)
