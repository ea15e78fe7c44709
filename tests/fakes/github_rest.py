"""REST side of the fake GitHub: renders the data of github_data.py in the shapes of GitHub's
OpenAPI description (tests/fixtures/github/openapi-subset.json) and implements the endpoints'
query parameters.  The HTTP plumbing (pagination headers, ETags, rate limits, faults) lives in
github.py; a handler here returns a ``Reply``.
"""

from __future__ import annotations

import base64
import datetime as dt
import fnmatch
import re
from dataclasses import dataclass, field
from typing import Any, Callable
from urllib.parse import quote

from . import github_data as gd
from .github_data import Account, Repo, iso

UTC = dt.timezone.utc
DOCS = "https://docs.github.com/rest"


@dataclass
class Request:
    method: str
    path: str  # without the /api/v3 prefix, percent-decoded
    query: list[tuple[str, str]]
    headers: Any
    api: str  # REST base the client used, e.g. http://127.0.0.1:1234/api/v3
    web: str  # web base, e.g. http://127.0.0.1:1234
    body: bytes = b""
    identity: dict[str, Any] = field(default_factory=dict)

    def arg(self, name: str, default: str | None = None) -> str | None:
        for k, v in self.query:
            if k == name:
                return v
        return default


@dataclass
class Reply:
    status: int
    body: Any = None  # JSON-able, or bytes
    headers: dict[str, str] = field(default_factory=dict)
    page: tuple[int, int, int] | None = None  # (page, per_page, total) when paginated
    charge: bool = True


class ApiError(Exception):
    def __init__(self, status: int, message: str, doc: str | None = None, extra: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.status, self.message, self.doc, self.extra = status, message, doc, extra or {}


def not_found(message: str = "Not Found") -> ApiError:
    return ApiError(404, message)


# ---------------------------------------------------------------------------------------------- shapes


def avatar(web: str, account: Account) -> str:
    if account.is_bot:
        return f"{web}/avatars/in/{account.id}?v=4"
    return f"{web}/avatars/u/{account.id}?v=4"


def simple_user(req: Request, a: Account | None) -> dict[str, Any] | None:
    if a is None:
        return None
    api, web = req.api, req.web
    u = f"{api}/users/{quote(a.login)}"
    return {
        "login": a.login, "id": a.id, "node_id": a.node_id, "avatar_url": avatar(web, a), "gravatar_id": "",
        "url": u, "html_url": f"{web}/apps/{a.login[:-5]}" if a.is_bot and a.login.endswith("[bot]") else f"{web}/{a.login}",
        "followers_url": f"{u}/followers", "following_url": f"{u}/following{{/other_user}}",
        "gists_url": f"{u}/gists{{/gist_id}}", "starred_url": f"{u}/starred{{/owner}}{{/repo}}",
        "subscriptions_url": f"{u}/subscriptions", "organizations_url": f"{u}/orgs", "repos_url": f"{u}/repos",
        "events_url": f"{u}/events{{/privacy}}", "received_events_url": f"{u}/received_events",
        "type": a.type, "user_view_type": "public", "site_admin": False,
    }


GITHUB_ORG = Account("github", 9919, "Organization")
GITHUB_ACTIONS_APP = {"id": 15368, "slug": "github-actions", "name": "GitHub Actions", "client_id": "Iv1.05c79e9ad1f6bdfa"}


def actions_app(req: Request) -> dict[str, Any]:
    return {
        "id": GITHUB_ACTIONS_APP["id"], "slug": GITHUB_ACTIONS_APP["slug"], "node_id": "MDM6QXBwMTUzNjg=",
        "client_id": GITHUB_ACTIONS_APP["client_id"], "owner": simple_user(req, GITHUB_ORG), "name": GITHUB_ACTIONS_APP["name"],
        "description": "Automate your workflow from idea to production", "external_url": "https://help.github.com/en/actions",
        "html_url": f"{req.web}/apps/github-actions", "created_at": "2018-07-30T09:30:17Z", "updated_at": "2024-04-10T20:33:16Z",
        "permissions": {"actions": "write", "contents": "write", "deployments": "write", "metadata": "read"},
        "events": ["check_run", "check_suite", "deployment", "push", "workflow_dispatch"],
    }


_LICENSES = {"mit": ("MIT License", "MIT")}


def license_obj(req: Request, key: str | None) -> dict[str, Any] | None:
    if not key:
        return None
    name, spdx = _LICENSES.get(key, (key.upper(), key.upper()))
    return {"key": key, "name": name, "spdx_id": spdx, "url": f"{req.api}/licenses/{key}", "node_id": gd.node_id("License", key)}


def _repo_urls(req: Request, full: str) -> dict[str, str]:
    r = f"{req.api}/repos/{full}"
    host = req.web.split("://", 1)[1]
    return {
        "archive_url": f"{r}/{{archive_format}}{{/ref}}", "assignees_url": f"{r}/assignees{{/user}}",
        "blobs_url": f"{r}/git/blobs{{/sha}}", "branches_url": f"{r}/branches{{/branch}}",
        "collaborators_url": f"{r}/collaborators{{/collaborator}}", "comments_url": f"{r}/comments{{/number}}",
        "commits_url": f"{r}/commits{{/sha}}", "compare_url": f"{r}/compare/{{base}}...{{head}}",
        "contents_url": f"{r}/contents/{{+path}}", "contributors_url": f"{r}/contributors",
        "deployments_url": f"{r}/deployments", "downloads_url": f"{r}/downloads", "events_url": f"{r}/events",
        "forks_url": f"{r}/forks", "git_commits_url": f"{r}/git/commits{{/sha}}", "git_refs_url": f"{r}/git/refs{{/sha}}",
        "git_tags_url": f"{r}/git/tags{{/sha}}", "git_url": f"git://{host}/{full}.git",
        "issue_comment_url": f"{r}/issues/comments{{/number}}", "issue_events_url": f"{r}/issues/events{{/number}}",
        "issues_url": f"{r}/issues{{/number}}", "keys_url": f"{r}/keys{{/key_id}}", "labels_url": f"{r}/labels{{/name}}",
        "languages_url": f"{r}/languages", "merges_url": f"{r}/merges", "milestones_url": f"{r}/milestones{{/number}}",
        "notifications_url": f"{r}/notifications{{?since,all,participating}}", "pulls_url": f"{r}/pulls{{/number}}",
        "releases_url": f"{r}/releases{{/id}}", "ssh_url": f"git@{host.split(':')[0]}:{full}.git",
        "stargazers_url": f"{r}/stargazers", "statuses_url": f"{r}/statuses/{{sha}}", "subscribers_url": f"{r}/subscribers",
        "subscription_url": f"{r}/subscription", "tags_url": f"{r}/tags", "teams_url": f"{r}/teams",
        "trees_url": f"{r}/git/trees{{/sha}}", "clone_url": f"{req.web}/{full}.git", "mirror_url": None,
        "hooks_url": f"{r}/hooks", "svn_url": f"{req.web}/{full}",
    }


def permissions(repo: Repo) -> dict[str, bool]:
    if repo.admin:
        return {"admin": True, "maintain": True, "push": True, "triage": True, "pull": True}
    return {"admin": False, "maintain": False, "push": False, "triage": False, "pull": True}


def _repo_size(repo: Repo) -> int:
    return 0 if repo.empty else repo.size_kb


def _counts(repo: Repo) -> dict[str, int]:
    forks = (repo.id // 7) % 5
    return {"forks_count": forks, "stargazers_count": repo.stars, "watchers_count": repo.stars,
            "open_issues_count": (repo.id // 3) % 9}


def minimal_repo(req: Request, repo: Repo) -> dict[str, Any]:
    c = _counts(repo)
    out: dict[str, Any] = {
        "id": repo.id, "node_id": repo.node_id, "name": repo.name, "full_name": repo.full_name,
        "private": repo.private, "owner": simple_user(req, repo.owner), "html_url": f"{req.web}/{repo.full_name}",
        "description": repo.description, "fork": repo.fork, "url": f"{req.api}/repos/{repo.full_name}",
    }
    out.update(_repo_urls(req, repo.full_name))
    out.update({
        "homepage": None, "language": repo.language, "forks_count": c["forks_count"],
        "stargazers_count": c["stargazers_count"], "watchers_count": c["watchers_count"], "size": _repo_size(repo),
        "default_branch": repo.default_branch, "open_issues_count": c["open_issues_count"], "is_template": False,
        "topics": list(repo.topics), "has_issues": True, "has_projects": True, "has_wiki": False, "has_pages": False,
        "has_downloads": True, "has_discussions": False, "archived": repo.archived, "disabled": False,
        "visibility": "private" if repo.private else "public", "pushed_at": iso(repo.pushed_at),
        "created_at": iso(repo.created_at), "updated_at": iso(repo.updated_at), "permissions": permissions(repo),
        "allow_forking": True, "web_commit_signoff_required": False,
        "license": license_obj(req, repo.license_key), "forks": c["forks_count"],
        "open_issues": c["open_issues_count"], "watchers": c["watchers_count"],
    })
    return out


def repository_obj(req: Request, repo: Repo) -> dict[str, Any]:
    """The ``repository`` schema (pull request heads, parents, installation repositories)."""
    out = minimal_repo(req, repo)
    out.update({"allow_rebase_merge": True, "allow_squash_merge": True, "allow_auto_merge": False,
                "delete_branch_on_merge": True, "allow_merge_commit": True, "allow_update_branch": False,
                "use_squash_pr_title_as_default": True, "squash_merge_commit_title": "PR_TITLE",
                "squash_merge_commit_message": "COMMIT_MESSAGES", "merge_commit_title": "MERGE_MESSAGE",
                "merge_commit_message": "PR_TITLE", "temp_clone_token": ""})
    if not repo.admin:
        for k in ("allow_rebase_merge", "allow_squash_merge", "allow_auto_merge", "delete_branch_on_merge",
                  "allow_merge_commit", "allow_update_branch", "use_squash_pr_title_as_default",
                  "squash_merge_commit_title", "squash_merge_commit_message", "merge_commit_title", "merge_commit_message"):
            out.pop(k, None)
    return out


def _parent_repo(repo: Repo) -> Repo:
    owner_login, name = (repo.parent_full_name or "upstream-oss/x").split("/", 1)
    owner = Account(owner_login, 8_100_000 + repo.id % 1000, "Organization")
    parent = Repo(name=name, id=repo.id + 3, owner=owner, created_at=repo.created_at - dt.timedelta(days=200),
                  description=repo.description, language=repo.language, default_branch=repo.default_branch,
                  admin=False, license_key=repo.license_key, stars=repo.stars * 10 + 5)
    parent.updated_at = parent.pushed_at = repo.created_at
    return parent


def full_repo(req: Request, repo: Repo, org: gd.Org) -> dict[str, Any]:
    out = repository_obj(req, repo)
    out["subscribers_count"] = (repo.id // 11) % 20
    out["network_count"] = _counts(repo)["forks_count"]
    if org.kind == "Organization":
        out["organization"] = simple_user(req, repo.owner)
    if repo.fork:
        parent = repository_obj(req, _parent_repo(repo))
        out["parent"] = parent
        out["source"] = parent
    if repo.admin:
        out["security_and_analysis"] = {"secret_scanning": {"status": "enabled"},
                                        "secret_scanning_push_protection": {"status": "enabled"},
                                        "dependabot_security_updates": {"status": "enabled"}}
    return out


def b64_lines(content: bytes) -> str:
    """Base64 with a newline every 60 characters and at the end, as GitHub's contents/blobs API."""
    raw = base64.b64encode(content).decode()
    if not raw:
        return ""
    return "".join(raw[i:i + 60] + "\n" for i in range(0, len(raw), 60))


def simple_commit(c: gd.Commit) -> dict[str, Any]:
    who = {"name": c.author.name or c.author.login, "email": c.author.email or f"{c.author.login}@users.noreply.github.com"}
    return {"id": c.sha, "tree_id": c.tree, "message": c.message, "timestamp": iso(c.date), "author": who,
            "committer": {"name": "GitHub", "email": "noreply@github.com"} if c.pr_number else who}


def pull_minimal(req: Request, repo: Repo, number: int) -> dict[str, Any]:
    pull = next((p for p in repo.pulls if p.number == number), None)
    repo_ref = {"id": repo.id, "url": f"{req.api}/repos/{repo.full_name}", "name": repo.name}
    return {"url": f"{req.api}/repos/{repo.full_name}/pulls/{number}", "id": pull.id if pull else number,
            "number": number,
            "head": {"ref": pull.head_ref if pull else "feature", "sha": pull.head_sha if pull else "0" * 40, "repo": repo_ref},
            "base": {"ref": repo.default_branch, "sha": repo.head.sha if repo.head else "0" * 40, "repo": repo_ref}}


def workflow_obj(req: Request, repo: Repo, w: gd.Workflow) -> dict[str, Any]:
    return {"id": w.id, "node_id": gd.node_id("Workflow", w.id), "name": w.name, "path": w.path, "state": w.state,
            "created_at": iso(w.created_at), "updated_at": iso(w.updated_at),
            "url": f"{req.api}/repos/{repo.full_name}/actions/workflows/{w.id}",
            "html_url": f"{req.web}/{repo.full_name}/blob/{repo.default_branch}/{w.path}",
            "badge_url": f"{req.web}/{repo.full_name}/workflows/{quote(w.name)}/badge.svg"}


def run_obj(req: Request, repo: Repo, r: gd.Run, exclude_prs: bool = False) -> dict[str, Any]:
    if r.raw is not None:
        out = dict(r.raw)
        if exclude_prs:
            out["pull_requests"] = []
        return out
    base = f"{req.api}/repos/{repo.full_name}/actions/runs/{r.id}"
    suite = r.id * 3 + 1
    head_commit = simple_commit(r.head_commit) if r.head_commit else {
        "id": r.head_sha, "tree_id": gd._fake_sha("tree:" + r.head_sha), "message": r.display_title,
        "timestamp": iso(r.created_at - dt.timedelta(minutes=1)),
        "author": {"name": r.actor.name or r.actor.login, "email": r.actor.email or ""},
        "committer": {"name": r.actor.name or r.actor.login, "email": r.actor.email or ""}}
    mini = minimal_repo(req, repo)
    return {
        "id": r.id, "name": r.name, "node_id": gd.node_id("WorkflowRun", r.id), "head_branch": r.head_branch,
        "head_sha": r.head_sha, "path": r.path, "display_title": r.display_title, "run_number": r.run_number,
        "event": r.event, "status": r.status, "conclusion": r.conclusion, "workflow_id": r.workflow_id,
        "check_suite_id": suite, "check_suite_node_id": gd.node_id("CheckSuite", suite),
        "url": base, "html_url": f"{req.web}/{repo.full_name}/actions/runs/{r.id}",
        "pull_requests": [] if exclude_prs else [pull_minimal(req, repo, n) for n in r.pull_requests],
        "created_at": iso(r.created_at), "updated_at": iso(r.updated_at), "actor": simple_user(req, r.actor),
        "run_attempt": r.run_attempt, "referenced_workflows": [], "run_started_at": iso(r.run_started_at),
        "triggering_actor": simple_user(req, r.actor), "jobs_url": f"{base}/jobs", "logs_url": f"{base}/logs",
        "check_suite_url": f"{req.api}/repos/{repo.full_name}/check-suites/{suite}", "artifacts_url": f"{base}/artifacts",
        "cancel_url": f"{base}/cancel", "rerun_url": f"{base}/rerun", "previous_attempt_url": None,
        "workflow_url": f"{req.api}/repos/{repo.full_name}/actions/workflows/{r.workflow_id}",
        "head_commit": head_commit, "repository": mini, "head_repository": mini,
    }


def deployment_obj(req: Request, repo: Repo, d: gd.Deployment) -> dict[str, Any]:
    url = f"{req.api}/repos/{repo.full_name}/deployments/{d.id}"
    return {
        "url": url, "id": d.id, "node_id": gd.node_id("Deployment", d.id), "task": d.task, "original_environment": d.original_environment or d.environment,
        "environment": d.environment, "description": d.description, "created_at": iso(d.created_at),
        "updated_at": iso(d.updated_at), "statuses_url": f"{url}/statuses",
        "repository_url": f"{req.api}/repos/{repo.full_name}", "creator": simple_user(req, d.creator),
        "sha": d.sha, "ref": d.ref, "payload": d.payload, "transient_environment": d.transient,
        "production_environment": d.production,
        "performed_via_github_app": actions_app(req) if d.creator.is_bot else None,
    }


def deployment_status_obj(req: Request, repo: Repo, d: gd.Deployment, s: gd.DeploymentStatus) -> dict[str, Any]:
    url = f"{req.api}/repos/{repo.full_name}/deployments/{d.id}"
    log = f"{req.web}/{repo.full_name}/actions/runs/{d.id // 2}"
    return {
        "url": f"{url}/statuses/{s.id}", "id": s.id, "node_id": gd.node_id("DeploymentStatus", s.id), "state": s.state,
        "creator": simple_user(req, s.creator), "description": s.description, "environment": s.environment,
        "target_url": log, "created_at": iso(s.created_at), "updated_at": iso(s.created_at), "deployment_url": url,
        "repository_url": f"{req.api}/repos/{repo.full_name}", "environment_url": s.environment_url, "log_url": log,
        "performed_via_github_app": actions_app(req) if s.creator.is_bot else None,
    } if s.environment_url else {
        "url": f"{url}/statuses/{s.id}", "id": s.id, "node_id": gd.node_id("DeploymentStatus", s.id), "state": s.state,
        "creator": simple_user(req, s.creator), "description": s.description, "environment": s.environment,
        "target_url": log, "created_at": iso(s.created_at), "updated_at": iso(s.created_at), "deployment_url": url,
        "repository_url": f"{req.api}/repos/{repo.full_name}", "log_url": log,
        "performed_via_github_app": actions_app(req) if s.creator.is_bot else None,
    }


def environment_obj(req: Request, repo: Repo, e: gd.Environment) -> dict[str, Any]:
    rules: list[dict[str, Any]] = []
    if e.wait_timer:
        rules.append({"id": e.id + 1, "node_id": gd.node_id("Gate", e.id + 1), "type": "wait_timer", "wait_timer": e.wait_timer})
    if e.reviewers:
        rules.append({"id": e.id + 2, "node_id": gd.node_id("Gate", e.id + 2), "prevent_self_review": False,
                      "type": "required_reviewers",
                      "reviewers": [{"type": "User", "reviewer": simple_user(req, a)} for a in e.reviewers]})
    if e.protected_branches_only:
        rules.append({"id": e.id + 3, "node_id": gd.node_id("Gate", e.id + 3), "type": "branch_policy"})
    return {
        "id": e.id, "node_id": gd.node_id("Environment", e.id), "name": e.name,
        "url": f"{req.api}/repos/{repo.full_name}/environments/{quote(e.name)}",
        "html_url": f"{req.web}/{repo.full_name}/deployments/activity_log?environments_filter={quote(e.name)}",
        "created_at": iso(e.created_at), "updated_at": iso(e.created_at), "protection_rules": rules,
        "deployment_branch_policy": {"protected_branches": True, "custom_branch_policies": False} if e.protected_branches_only else None,
    }


def release_obj(req: Request, repo: Repo, r: gd.Release) -> dict[str, Any]:
    url = f"{req.api}/repos/{repo.full_name}/releases/{r.id}"
    host = req.web.split("://", 1)[1]
    return {
        "url": url, "assets_url": f"{url}/assets",
        "upload_url": f"http://{host}/api/uploads/repos/{repo.full_name}/releases/{r.id}/assets{{?name,label}}",
        "html_url": f"{req.web}/{repo.full_name}/releases/{'untagged-' + str(r.id) if r.draft else 'tag/' + r.tag_name}",
        "id": r.id, "author": simple_user(req, r.author), "node_id": gd.node_id("Release", r.id), "tag_name": r.tag_name,
        "target_commitish": r.target_commitish, "name": r.name, "draft": r.draft, "immutable": False,
        "prerelease": r.prerelease, "created_at": iso(r.created_at), "updated_at": iso(r.published_at or r.created_at),
        "published_at": iso(r.published_at), "assets": [],
        "tarball_url": None if r.draft else f"{req.api}/repos/{repo.full_name}/tarball/{r.tag_name}",
        "zipball_url": None if r.draft else f"{req.api}/repos/{repo.full_name}/zipball/{r.tag_name}",
        "body": r.body, "mentions_count": r.body.count("@") if r.body else 0,
    }


def tag_obj(req: Request, repo: Repo, t: gd.Tag) -> dict[str, Any]:
    return {"name": t.name, "zipball_url": f"{req.api}/repos/{repo.full_name}/zipball/refs/tags/{t.name}",
            "tarball_url": f"{req.api}/repos/{repo.full_name}/tarball/refs/tags/{t.name}",
            "commit": {"sha": t.sha, "url": f"{req.api}/repos/{repo.full_name}/commits/{t.sha}"},
            "node_id": gd.node_id("Ref", f"{repo.id}:refs/tags/{t.name}")}


def protection_obj(req: Request, repo: Repo, branch: str, p: gd.Protection) -> dict[str, Any]:
    base = f"{req.api}/repos/{repo.full_name}/branches/{quote(branch, safe='')}/protection"
    out: dict[str, Any] = {"url": base}
    if p.required_checks or p.strict:
        out["required_status_checks"] = {
            "url": f"{base}/required_status_checks", "strict": p.strict, "contexts": list(p.required_checks),
            "contexts_url": f"{base}/required_status_checks/contexts",
            "checks": [{"context": c, "app_id": GITHUB_ACTIONS_APP["id"]} for c in p.required_checks]}
    if p.required_reviews is not None:
        out["required_pull_request_reviews"] = {
            "url": f"{base}/required_pull_request_reviews", "dismiss_stale_reviews": p.dismiss_stale_reviews,
            "require_code_owner_reviews": p.code_owner_reviews, "require_last_push_approval": False,
            "required_approving_review_count": p.required_reviews}
    out.update({
        "required_signatures": {"url": f"{base}/required_signatures", "enabled": False},
        "enforce_admins": {"url": f"{base}/enforce_admins", "enabled": p.enforce_admins},
        "required_linear_history": {"enabled": p.linear_history}, "allow_force_pushes": {"enabled": p.allow_force_pushes},
        "allow_deletions": {"enabled": p.allow_deletions}, "block_creations": {"enabled": False},
        "required_conversation_resolution": {"enabled": False}, "lock_branch": {"enabled": False},
        "allow_fork_syncing": {"enabled": False},
    })
    return out


def ruleset_applies(rs: gd.Ruleset, repo: Repo, branch: str) -> bool:
    if rs.enforcement == "disabled" or rs.target != "branch":
        return False

    def match(pattern: str) -> bool:
        if pattern == "~ALL":
            return True
        if pattern == "~DEFAULT_BRANCH":
            return branch == repo.default_branch
        pat = pattern[len("refs/heads/"):] if pattern.startswith("refs/heads/") else pattern
        return fnmatch.fnmatchcase(branch, pat)

    return any(match(p) for p in rs.include) and not any(match(p) for p in rs.exclude)


def branch_rules(repo: Repo, branch: str) -> list[dict[str, Any]]:
    out = []
    for rs in repo.rulesets:
        if ruleset_applies(rs, repo, branch):
            for rule in rs.rules:
                out.append({**rule, "ruleset_source_type": rs.source_type, "ruleset_source": rs.source or repo.full_name,
                            "ruleset_id": rs.id})
    return out


def pull_obj(req: Request, repo: Repo, p: gd.Pull) -> dict[str, Any]:
    r = f"{req.api}/repos/{repo.full_name}"
    url = f"{r}/pulls/{p.number}"
    html = f"{req.web}/{repo.full_name}/pull/{p.number}"
    robj = repository_obj(req, repo)

    def side(ref: str, sha: str) -> dict[str, Any]:
        return {"label": f"{repo.owner.login}:{ref}", "ref": ref, "sha": sha, "user": simple_user(req, repo.owner), "repo": robj}

    base_sha = repo.head.sha if repo.head else "0" * 40
    return {
        "url": url, "id": p.id, "node_id": gd.node_id("PullRequest", p.id), "html_url": html, "diff_url": f"{html}.diff",
        "patch_url": f"{html}.patch", "issue_url": f"{r}/issues/{p.number}", "commits_url": f"{url}/commits",
        "review_comments_url": f"{url}/comments", "review_comment_url": f"{r}/pulls/comments{{/number}}",
        "comments_url": f"{r}/issues/{p.number}/comments", "statuses_url": f"{r}/statuses/{p.head_sha}",
        "number": p.number, "state": p.state, "locked": False, "title": p.title, "user": simple_user(req, p.user),
        "body": p.body, "labels": [], "milestone": None, "active_lock_reason": None, "created_at": iso(p.created_at),
        "updated_at": iso(p.updated_at), "closed_at": iso(p.closed_at), "merged_at": iso(p.merged_at),
        "merge_commit_sha": p.merge_commit_sha, "assignee": None, "assignees": [], "requested_reviewers": [],
        "requested_teams": [], "head": side(p.head_ref, p.head_sha), "base": side(p.base_ref, base_sha),
        "_links": {"self": {"href": url}, "html": {"href": html}, "issue": {"href": f"{r}/issues/{p.number}"},
                   "comments": {"href": f"{r}/issues/{p.number}/comments"}, "review_comments": {"href": f"{url}/comments"},
                   "review_comment": {"href": f"{r}/pulls/comments{{/number}}"}, "commits": {"href": f"{url}/commits"},
                   "statuses": {"href": f"{r}/statuses/{p.head_sha}"}},
        "author_association": "MEMBER" if not p.user.is_bot else "CONTRIBUTOR", "auto_merge": None, "draft": p.draft,
    }


def commit_obj(req: Request, repo: Repo, c: gd.Commit) -> dict[str, Any]:
    r = f"{req.api}/repos/{repo.full_name}"
    git_who = {"name": c.author.name or c.author.login, "email": c.author.email or "", "date": iso(c.date)}
    committer = {"name": "GitHub", "email": "noreply@github.com", "date": iso(c.date)} if c.pr_number else git_who
    web_flow = Account("web-flow", 19864447, "User", "GitHub", "noreply@github.com")
    return {
        "sha": c.sha, "node_id": gd.node_id("Commit", f"{repo.id}:{c.sha}"),
        "commit": {"author": git_who, "committer": committer, "message": c.message,
                   "tree": {"sha": c.tree, "url": f"{r}/git/trees/{c.tree}"}, "url": f"{r}/git/commits/{c.sha}",
                   "comment_count": 0,
                   "verification": {"verified": bool(c.pr_number), "reason": "valid" if c.pr_number else "unsigned",
                                    "signature": None, "payload": None, "verified_at": iso(c.date) if c.pr_number else None}},
        "url": f"{r}/commits/{c.sha}", "html_url": f"{req.web}/{repo.full_name}/commit/{c.sha}",
        "comments_url": f"{r}/commits/{c.sha}/comments", "author": simple_user(req, c.author),
        "committer": simple_user(req, web_flow if c.pr_number else c.author),
        "parents": [{"sha": p, "url": f"{r}/commits/{p}", "html_url": f"{req.web}/{repo.full_name}/commit/{p}"} for p in c.parents],
    }


# ---------------------------------------------------------------------------------------------- the API


def parse_date_filter(expr: str) -> Callable[[dt.datetime], bool]:
    """GitHub search date syntax used by ``created``: 2024-01-01, >=2024-01-01, <2024-01-01T10:00:00Z,
    2024-01-01..2024-02-01, 2024-01-01..*, *..2024-02-01."""

    def parse(s: str, end: bool) -> dt.datetime:
        s = s.strip()
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", s):
            d = dt.datetime.strptime(s, "%Y-%m-%d").replace(tzinfo=UTC)
            return d + dt.timedelta(days=1) - dt.timedelta(microseconds=1) if end else d
        s2 = s.replace("Z", "+00:00")
        d = dt.datetime.fromisoformat(s2)
        return d if d.tzinfo else d.replace(tzinfo=UTC)

    expr = expr.strip()
    try:
        if ".." in expr:
            lo, hi = expr.split("..", 1)
            lo_t = None if lo.strip() == "*" else parse(lo, False)
            hi_t = None if hi.strip() == "*" else parse(hi, True)
            return lambda t: (lo_t is None or t >= lo_t) and (hi_t is None or t <= hi_t)
        for op in (">=", "<=", ">", "<"):
            if expr.startswith(op):
                # a bare date compares by day: >2024-01-01 means from 2024-01-02
                value = expr[len(op):]
                bare = bool(re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip()))
                if op == ">=":
                    b = parse(value, False)
                    return lambda t: t >= b
                if op == ">":
                    b = parse(value, True) if bare else parse(value, False)
                    return lambda t: t > b
                if op == "<=":
                    b = parse(value, True)
                    return lambda t: t <= b
                b = parse(value, False)
                return lambda t: t < b
        lo_t, hi_t = parse(expr, False), parse(expr, True)
        return lambda t: lo_t <= t <= hi_t
    except ValueError as exc:
        raise ApiError(422, "Validation Failed", extra={"errors": [{"resource": "Search", "field": "created", "code": "invalid"}]}) from exc


def parse_since(value: str | None) -> dt.datetime | None:
    if not value:
        return None
    try:
        d = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError as exc:
        raise ApiError(400, "Invalid time: " + value) from exc
    return d if d.tzinfo else d.replace(tzinfo=UTC)


class RestApi:
    """Route table and handlers.  ``orgs`` maps lower-case login -> Org."""

    def __init__(self, fake) -> None:  # noqa: ANN001
        self.fake = fake
        r = self._routes = []

        def route(method: str, pattern: str, fn) -> None:  # noqa: ANN001
            r.append((method, re.compile("^" + pattern + "$"), fn))

        seg = r"(?P<{}>[^/]+)"
        o, n = seg.format("owner"), seg.format("repo")
        route("GET", r"/rate_limit", self.rate_limit)
        route("GET", rf"/orgs/{seg.format('org')}/repos", self.org_repos)
        route("GET", rf"/orgs/{seg.format('org')}", self.org_obj)
        route("GET", rf"/users/{seg.format('user')}", self.user_obj)
        route("GET", r"/user", self.viewer_obj)
        route("GET", rf"/users/{seg.format('user')}/repos", self.user_repos)
        route("GET", r"/installation/repositories", self.installation_repos)
        route("POST", rf"/app/installations/{seg.format('iid')}/access_tokens", self.app_access_token)
        route("GET", rf"/repos/{o}/{n}/installation", self.repo_installation)
        route("GET", rf"/repos/{o}/{n}", self.repo)
        route("GET", rf"/repos/{o}/{n}/git/trees/(?P<sha>.+)", self.tree)
        route("GET", rf"/repos/{o}/{n}/git/blobs/{seg.format('sha')}", self.blob)
        route("GET", rf"/repos/{o}/{n}/contents/?(?P<path>.*)", self.contents)
        route("GET", rf"/repos/{o}/{n}/actions/runs", self.runs)
        route("GET", rf"/repos/{o}/{n}/actions/workflows", self.workflows)
        route("GET", rf"/repos/{o}/{n}/actions/workflows/{seg.format('wf')}/runs", self.runs)
        route("GET", rf"/repos/{o}/{n}/deployments", self.deployments)
        route("GET", rf"/repos/{o}/{n}/deployments/(?P<did>\d+)/statuses", self.deployment_statuses)
        route("GET", rf"/repos/{o}/{n}/environments", self.environments)
        route("GET", rf"/repos/{o}/{n}/releases", self.releases)
        route("GET", rf"/repos/{o}/{n}/tags", self.tags)
        route("GET", rf"/repos/{o}/{n}/branches/(?P<branch>.+)/protection", self.protection)
        route("GET", rf"/repos/{o}/{n}/branches/(?P<branch>.+)", self.branch)
        route("GET", rf"/repos/{o}/{n}/branches", self.branches)
        route("GET", rf"/repos/{o}/{n}/rules/branches/(?P<branch>.+)", self.rules)
        route("GET", rf"/repos/{o}/{n}/pulls", self.pulls)
        route("GET", rf"/repos/{o}/{n}/commits", self.commits)

    def dispatch(self, req: Request) -> Reply:
        for method, pattern, fn in self._routes:
            m = pattern.match(req.path)
            if m and (method == req.method or (method == "GET" and req.method == "HEAD")):
                return fn(req, **m.groupdict())
        raise ApiError(404, "Not Found")  # GitHub answers 404 for unknown routes and methods alike

    # ---- helpers

    def _org(self, login: str) -> gd.Org:
        org = self.fake.find_org(login)
        if org is None:
            raise not_found()
        return org

    def _repo(self, owner: str, name: str) -> tuple[gd.Org, Repo]:
        org = self._org(owner)
        repo = org.repo(name)
        if repo is None or (repo.private and not self.fake.can_see_private(org)):
            raise not_found()
        return org, repo

    @staticmethod
    def paging(req: Request) -> tuple[int, int]:
        try:
            per_page = int(req.arg("per_page", "30") or 30)
        except ValueError:
            per_page = 30
        per_page = 30 if per_page < 1 else min(per_page, 100)
        try:
            page = int(req.arg("page", "1") or 1)
        except ValueError:
            page = 1
        return max(page, 1), per_page

    def page_list(self, req: Request, items: list, render) -> Reply:  # noqa: ANN001
        page, per_page = self.paging(req)
        chunk = items[(page - 1) * per_page: page * per_page]
        return Reply(200, [render(x) for x in chunk], page=(page, per_page, len(items)))

    def page_wrapped(self, req: Request, items: list, key: str, render, total: int | None = None,  # noqa: ANN001
                     extra: dict[str, Any] | None = None) -> Reply:
        page, per_page = self.paging(req)
        chunk = items[(page - 1) * per_page: page * per_page]
        body: dict[str, Any] = {"total_count": len(items) if total is None else total}
        if extra:
            body.update(extra)
        body[key] = [render(x) for x in chunk]
        return Reply(200, body, page=(page, per_page, len(items)))

    # ---- endpoints

    def rate_limit(self, req: Request) -> Reply:
        core = self.fake.bucket("core").snapshot()
        gql = self.fake.bucket("graphql").snapshot()
        reset = core["reset"]
        body = {"resources": {
            "core": core, "search": {"limit": 30, "used": 0, "remaining": 30, "reset": reset},
            "graphql": gql,
            "integration_manifest": {"limit": 5000, "used": 0, "remaining": 5000, "reset": reset},
            "source_import": {"limit": 100, "used": 0, "remaining": 100, "reset": reset},
            "code_scanning_upload": {"limit": 1000, "used": 0, "remaining": 1000, "reset": reset},
            "actions_runner_registration": {"limit": 10000, "used": 0, "remaining": 10000, "reset": reset},
            "scim": {"limit": 15000, "used": 0, "remaining": 15000, "reset": reset},
            "dependency_snapshots": {"limit": 100, "used": 0, "remaining": 100, "reset": reset},
            "code_search": {"limit": 10, "used": 0, "remaining": 10, "reset": reset},
        }, "rate": core}
        return Reply(200, body, charge=False)

    def _list_repos(self, req: Request, org: gd.Org, kind: str) -> Reply:
        rtype = req.arg("type") or ("all" if kind == "org" else "owner")
        valid = {"org": {"all", "public", "private", "forks", "sources", "member"}, "user": {"all", "owner", "member"}}[kind]
        if rtype not in valid:
            raise ApiError(422, "Validation Failed", extra={"errors": [{"resource": "Repository", "field": "type", "code": "invalid"}]})
        repos = org.shallow_repos()
        if not self.fake.can_see_private(org):
            repos = [r for r in repos if not r.private]
        if rtype == "public":
            repos = [r for r in repos if not r.private]
        elif rtype == "private":
            repos = [r for r in repos if r.private]
        elif rtype == "forks":
            repos = [r for r in repos if r.fork]
        elif rtype == "sources":
            repos = [r for r in repos if not r.fork]
        elif rtype == "member":
            repos = []
        sort = req.arg("sort") or ("created" if kind == "org" else "full_name")
        keys = {"created": lambda r: (r.created_at, r.id), "updated": lambda r: (r.updated_at, r.id),
                "pushed": lambda r: (r.pushed_at, r.id), "full_name": lambda r: r.full_name.lower()}
        if sort not in keys:
            raise ApiError(422, "Validation Failed", extra={"errors": [{"resource": "Repository", "field": "sort", "code": "invalid"}]})
        direction = req.arg("direction") or ("asc" if sort == "full_name" else "desc")
        repos = sorted(repos, key=keys[sort], reverse=(direction == "desc"))
        return self.page_list(req, repos, lambda r: minimal_repo(req, r))

    def org_repos(self, req: Request, org: str) -> Reply:
        o = self._org(org)
        if o.kind != "Organization":
            raise not_found()
        return self._list_repos(req, o, "org")

    def user_repos(self, req: Request, user: str) -> Reply:
        return self._list_repos(req, self._org(user), "user")

    def installation_repos(self, req: Request) -> Reply:
        org = self.fake.find_org(req.identity.get("installation_org", "")) if req.identity.get("kind") == "installation" else None
        if org is None:
            raise ApiError(403, "You must authenticate with an installation access token in order to list repositories for an installation.")
        repos = [org.repo(r.name) for r in org.shallow_repos()]
        return self.page_wrapped(req, repos, "repositories", lambda r: repository_obj(req, r),
                                 extra={"repository_selection": "all"})

    def app_access_token(self, req: Request, iid: str) -> Reply:
        org = next((o for o in self.fake.orgs.values() if str(o.installation_id) == iid), None)
        if org is None:
            raise not_found()
        token, expires = self.fake.issue_installation_token(org)
        body = {"token": token, "expires_at": iso(expires),
                "permissions": {"actions": "read", "administration": "read", "contents": "read", "deployments": "read",
                                "metadata": "read", "pull_requests": "read"},
                "repository_selection": "all"}
        return Reply(201, body, charge=False)

    def repo_installation(self, req: Request, owner: str, repo: str) -> Reply:
        org, r = self._repo(owner, repo)
        if req.identity.get("kind") != "app":
            raise ApiError(401, "A JSON web token could not be decoded")
        iid = org.installation_id
        body = {
            "id": iid, "account": simple_user(req, org.account), "repository_selection": "all",
            "access_tokens_url": f"{req.api}/app/installations/{iid}/access_tokens",
            "repositories_url": f"{req.api}/installation/repositories",
            "html_url": f"{req.web}/organizations/{org.login}/settings/installations/{iid}",
            "app_id": self.fake.app_id or 1, "app_slug": "maturity-scanner", "target_id": org.account.id,
            "target_type": org.account.type, "permissions": {"contents": "read", "metadata": "read"},
            "events": [], "created_at": iso(r.created_at), "updated_at": iso(r.created_at), "single_file_name": None,
            "suspended_by": None, "suspended_at": None,
        }
        return Reply(200, body, charge=False)

    def repo(self, req: Request, owner: str, repo: str) -> Reply:
        org, r = self._repo(owner, repo)
        return Reply(200, full_repo(req, r, org))

    def _empty_check(self, r: Repo) -> None:
        if r.empty or not r.commits:
            raise ApiError(409, "Git Repository is empty.")

    def tree(self, req: Request, owner: str, repo: str, sha: str) -> Reply:
        _, r = self._repo(owner, repo)
        self._empty_check(r)
        tree_sha = sha if sha in r.store.trees else None
        if tree_sha is None:
            c = r.resolve(sha)
            if c is None:
                raise not_found()
            tree_sha = c.tree
        recursive = req.arg("recursive") is not None  # any value, even 0 or false, recurses (as GitHub)
        entries = r.store.walk(tree_sha, recursive)
        limit = self.fake.tree_entry_limit
        truncated = len(entries) > limit
        entries = entries[:limit]
        base = f"{req.api}/repos/{r.full_name}/git"
        out = []
        for path, item in entries:
            e: dict[str, Any] = {"path": path, "mode": item.mode if item.mode != "40000" else "040000", "type": item.type, "sha": item.sha}
            if item.type == "blob":
                e["size"] = len(r.store.blobs[item.sha])
                e["url"] = f"{base}/blobs/{item.sha}"
            elif item.type == "tree":
                e["url"] = f"{base}/trees/{item.sha}"
            out.append(e)
        return Reply(200, {"sha": tree_sha, "url": f"{base}/trees/{tree_sha}", "tree": out, "truncated": truncated})

    def blob(self, req: Request, owner: str, repo: str, sha: str) -> Reply:
        _, r = self._repo(owner, repo)
        self._empty_check(r)
        content = r.store.blobs.get(sha)
        if content is None:
            raise not_found()
        return Reply(200, {"sha": sha, "node_id": gd.node_id("Blob", f"{r.id}:{sha}"), "size": len(content),
                           "url": f"{req.api}/repos/{r.full_name}/git/blobs/{sha}", "content": b64_lines(content),
                           "encoding": "base64"})

    def _content_entry(self, req: Request, r: Repo, ref: str, path: str, item: gd.TreeItem) -> dict[str, Any]:
        self_url = f"{req.api}/repos/{r.full_name}/contents/{quote(path)}?ref={quote(ref)}"
        kind = {"blob": "file", "tree": "dir", "commit": "submodule"}[item.type]
        if item.mode == "120000":
            kind = "symlink"
        git = f"{req.api}/repos/{r.full_name}/git/{'trees' if item.type == 'tree' else 'blobs'}/{item.sha}"
        html = f"{req.web}/{r.full_name}/{'tree' if item.type == 'tree' else 'blob'}/{ref}/{quote(path)}"
        size = len(r.store.blobs[item.sha]) if item.type == "blob" else 0
        return {"name": path.rsplit("/", 1)[-1], "path": path, "sha": item.sha, "size": size, "url": self_url,
                "html_url": html, "git_url": git,
                "download_url": f"{req.web}/{r.full_name}/raw/{ref}/{quote(path)}" if item.type == "blob" else None,
                "type": kind, "_links": {"self": self_url, "git": git, "html": html}}

    def contents(self, req: Request, owner: str, repo: str, path: str) -> Reply:
        _, r = self._repo(owner, repo)
        if r.empty or not r.commits:
            raise ApiError(404, "This repository is empty.")
        ref = req.arg("ref") or r.default_branch
        c = r.resolve(ref)
        if c is None:
            raise ApiError(404, f"No commit found for the ref {ref}")
        path = path.strip("/")
        item = r.store.lookup(c.tree, path)
        if item is None:
            raise not_found()
        if item.type == "tree":
            entries = [self._content_entry(req, r, ref, (path + "/" if path else "") + it.name, it) for it in r.store.trees[item.sha]]
            return Reply(200, entries)
        entry = self._content_entry(req, r, ref, path, item)
        content = r.store.blobs[item.sha]
        if len(content) > 1024 * 1024:  # 1-100 MB: content empty, encoding none (GitHub)
            body = {"type": "file", "encoding": "none", "content": "", **{k: v for k, v in entry.items() if k != "type"}}
        else:
            body = {"type": "file", "encoding": "base64", "content": b64_lines(content), **{k: v for k, v in entry.items() if k != "type"}}
        return Reply(200, body)

    def _actions(self, r: Repo) -> None:
        if not r.actions_enabled:
            raise not_found()

    def runs(self, req: Request, owner: str, repo: str, wf: str | None = None) -> Reply:
        _, r = self._repo(owner, repo)
        self._actions(r)
        runs = r.runs
        filtered = False
        if wf is not None:
            w = next((w for w in r.workflows if str(w.id) == wf or w.path.rsplit("/", 1)[-1] == wf), None)
            if w is None:
                raise not_found()
            runs = [x for x in runs if x.workflow_id == w.id]
        for name, pred in (
            ("branch", lambda x, v: x.head_branch == v),
            ("event", lambda x, v: x.event == v),
            ("actor", lambda x, v: x.actor.login == v),
            ("head_sha", lambda x, v: x.head_sha == v),
            ("status", lambda x, v: x.status == v or x.conclusion == v),
        ):
            v = req.arg(name)
            if v:
                runs = [x for x in runs if pred(x, v)]
                filtered = True
        created = req.arg("created")
        if created:
            f = parse_date_filter(created)
            runs = [x for x in runs if f(x.created_at)]
            filtered = True
        if filtered:
            runs = runs[:1000]  # GitHub returns at most 1,000 results for filtered searches
        exclude = (req.arg("exclude_pull_requests") or "").lower() == "true"
        return self.page_wrapped(req, runs, "workflow_runs", lambda x: run_obj(req, r, x, exclude))

    def workflows(self, req: Request, owner: str, repo: str) -> Reply:
        _, r = self._repo(owner, repo)
        self._actions(r)
        return self.page_wrapped(req, r.workflows, "workflows", lambda w: workflow_obj(req, r, w))

    def deployments(self, req: Request, owner: str, repo: str) -> Reply:
        _, r = self._repo(owner, repo)
        ds = r.deployments
        for name, attr in (("sha", "sha"), ("ref", "ref"), ("task", "task"), ("environment", "environment")):
            v = req.arg(name)
            if v is not None and v != "none":
                ds = [d for d in ds if getattr(d, attr) == v]
        return self.page_list(req, ds, lambda d: deployment_obj(req, r, d))

    def deployment_statuses(self, req: Request, owner: str, repo: str, did: str) -> Reply:
        _, r = self._repo(owner, repo)
        d = next((d for d in r.deployments if str(d.id) == did), None)
        if d is None:
            raise not_found()
        return self.page_list(req, list(reversed(d.statuses)), lambda s: deployment_status_obj(req, r, d, s))

    def environments(self, req: Request, owner: str, repo: str) -> Reply:
        _, r = self._repo(owner, repo)
        return self.page_wrapped(req, r.environments, "environments", lambda e: environment_obj(req, r, e))

    def releases(self, req: Request, owner: str, repo: str) -> Reply:
        _, r = self._repo(owner, repo)
        rel = r.releases if r.admin else [x for x in r.releases if not x.draft]  # drafts need push access
        return self.page_list(req, rel, lambda x: release_obj(req, r, x))

    def tags(self, req: Request, owner: str, repo: str) -> Reply:
        _, r = self._repo(owner, repo)
        return self.page_list(req, r.tags, lambda t: tag_obj(req, r, t))

    def protection(self, req: Request, owner: str, repo: str, branch: str) -> Reply:
        _, r = self._repo(owner, repo)
        if not r.admin:
            raise not_found()  # GitHub hides protection from non-admins as 404
        if r.resolve(branch) is None or branch not in r.branches:
            raise ApiError(404, "Branch not found")
        p = r.protection.get(branch)
        if p is None:
            raise ApiError(404, "Branch not protected")
        return Reply(200, protection_obj(req, r, branch, p))

    def _branch_obj(self, req: Request, r: Repo, name: str, full: bool) -> dict[str, Any]:
        c = r.commit(r.branches[name])
        p = r.protection.get(name)
        base = f"{req.api}/repos/{r.full_name}/branches/{quote(name, safe='')}"
        out: dict[str, Any] = {"name": name, "commit": commit_obj(req, r, c) if full else
                               {"sha": c.sha, "url": f"{req.api}/repos/{r.full_name}/commits/{c.sha}"}}
        if full:
            out["_links"] = {"self": base, "html": f"{req.web}/{r.full_name}/tree/{quote(name)}"}
        out["protected"] = p is not None
        # readers see whether a branch is protected and its required checks, not the review rules
        out["protection"] = {"enabled": p is not None, "required_status_checks": {
            "enforcement_level": "non_admins" if p and p.required_checks else "off",
            "contexts": list(p.required_checks) if p else [],
            "checks": [{"context": x, "app_id": GITHUB_ACTIONS_APP["id"]} for x in (p.required_checks if p else [])]}}
        out["protection_url"] = f"{base}/protection"
        return out

    def branches(self, req: Request, owner: str, repo: str) -> Reply:
        _, r = self._repo(owner, repo)
        names = sorted(r.branches)
        if (req.arg("protected") or "").lower() == "true":
            names = [b for b in names if b in r.protection]
        return self.page_list(req, names, lambda b: self._branch_obj(req, r, b, False))

    def branch(self, req: Request, owner: str, repo: str, branch: str) -> Reply:
        _, r = self._repo(owner, repo)
        if branch not in r.branches:
            raise ApiError(404, "Branch not found")
        return Reply(200, self._branch_obj(req, r, branch, True))

    def _account_obj(self, req: Request, a: Account, org: gd.Org | None) -> dict[str, Any]:
        out = simple_user(req, a) or {}
        repos = [x for x in org.shallow_repos()] if org else []
        out.update({"name": a.name, "company": None, "blog": "", "location": None, "email": a.email,
                    "bio": None, "twitter_username": None, "public_repos": sum(not x.private for x in repos),
                    "public_gists": 0, "followers": 0, "following": 0, "created_at": "2015-01-01T00:00:00Z",
                    "updated_at": "2024-01-01T00:00:00Z"})
        if a.type == "Organization":
            out = {"login": a.login, "id": a.id, "node_id": a.node_id, "url": f"{req.api}/orgs/{a.login}",
                   "repos_url": f"{req.api}/orgs/{a.login}/repos", "events_url": f"{req.api}/orgs/{a.login}/events",
                   "hooks_url": f"{req.api}/orgs/{a.login}/hooks", "issues_url": f"{req.api}/orgs/{a.login}/issues",
                   "members_url": f"{req.api}/orgs/{a.login}/members{{/member}}",
                   "public_members_url": f"{req.api}/orgs/{a.login}/public_members{{/member}}",
                   "avatar_url": avatar(req.web, a), "description": None, "name": a.name, "company": None, "blog": "",
                   "location": None, "email": None, "is_verified": False, "has_organization_projects": True,
                   "has_repository_projects": True, "public_repos": out["public_repos"], "public_gists": 0,
                   "followers": 0, "following": 0, "html_url": f"{req.web}/{a.login}", "created_at": "2015-01-01T00:00:00Z",
                   "updated_at": "2024-01-01T00:00:00Z", "archived_at": None, "type": "Organization",
                   "total_private_repos": sum(x.private for x in repos), "owned_private_repos": sum(x.private for x in repos)}
        return out

    def org_obj(self, req: Request, org: str) -> Reply:
        o = self._org(org)
        if o.kind != "Organization":
            raise not_found()
        return Reply(200, self._account_obj(req, o.account, o))

    def user_obj(self, req: Request, user: str) -> Reply:
        o = self._org(user)
        return Reply(200, self._account_obj(req, o.account, o))

    def viewer_obj(self, req: Request) -> Reply:
        if req.identity.get("kind") in ("anonymous", None):
            raise ApiError(401, "Requires authentication")
        return Reply(200, self._account_obj(req, self.fake.viewer, None))

    def rules(self, req: Request, owner: str, repo: str, branch: str) -> Reply:
        _, r = self._repo(owner, repo)
        return self.page_list(req, branch_rules(r, branch), lambda x: x)

    def pulls(self, req: Request, owner: str, repo: str) -> Reply:
        _, r = self._repo(owner, repo)
        state = req.arg("state") or "open"
        if state not in ("open", "closed", "all"):
            raise ApiError(422, "Validation Failed", extra={"errors": [{"resource": "PullRequest", "field": "state", "code": "invalid"}]})
        ps = [p for p in r.pulls if state == "all" or p.state == state]
        base = req.arg("base")
        if base:
            ps = [p for p in ps if p.base_ref == base]
        head = req.arg("head")
        if head:
            ps = [p for p in ps if f"{r.owner.login}:{p.head_ref}" == head]
        sort = req.arg("sort") or "created"
        key = {"created": lambda p: (p.created_at, p.number), "updated": lambda p: (p.updated_at, p.number),
               "popularity": lambda p: (p.number % 7, p.number), "long-running": lambda p: (p.created_at, p.number)}.get(sort)
        if key is None:
            raise ApiError(422, "Validation Failed", extra={"errors": [{"resource": "PullRequest", "field": "sort", "code": "invalid"}]})
        direction = req.arg("direction") or ("desc" if sort in ("created",) else "asc")
        ps = sorted(ps, key=key, reverse=(direction == "desc"))
        return self.page_list(req, ps, lambda p: pull_obj(req, r, p))

    def commits(self, req: Request, owner: str, repo: str) -> Reply:
        _, r = self._repo(owner, repo)
        self._empty_check(r)
        ref = req.arg("sha") or r.default_branch
        head = r.resolve(ref)
        if head is None:
            raise ApiError(404, f"No commit found for SHA: {ref}")
        idx = r.commits.index(head)
        cs = r.commits[idx:]
        since, until = parse_since(req.arg("since")), parse_since(req.arg("until"))
        if since:
            cs = [c for c in cs if c.date >= since]
        if until:
            cs = [c for c in cs if c.date <= until]
        path = req.arg("path")
        if path:
            cs = [c for c in cs if any(p == path or p.startswith(path.rstrip("/") + "/") for p in c.changed)]
        author = req.arg("author")
        if author:
            cs = [c for c in cs if author in (c.author.login, c.author.email)]
        return self.page_list(req, cs, lambda c: commit_obj(req, r, c))
