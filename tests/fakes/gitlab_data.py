"""Data for the fake GitLab (fakes.gitlab): groups, projects and their CI/CD history as GitLab REST v4 JSON.

Payloads are stored already rendered (GitLab's own key names and JSON types, taken from the recorded real
payloads in tests/fixtures/gitlab/), so the server only filters, sorts and paginates them.

``generate_group(name, projects=N, seed=, anchor=)`` builds a deterministic group tree::

    acme                     (root; projects flagship, no-pipelines, ...)
    acme/platform            (subgroup)
    acme/platform/infra      (sub-subgroup)
    acme/apps                (subgroup)

Special projects (always present, whatever N): ``flagship`` (everything: many pipelines of every
``source``, environments production/staging/testing, deployments incl. a rollback = a redeploy of an
older sha, releases, tags, protected branches, approval rules, merged MRs), ``manual-deploy``
(production deploy job ``when: manual``), ``no-pipelines`` (no pipelines, no deployments),
``broken-ci`` (``.gitlab-ci.yml`` is not valid YAML; its pipelines fail with ``yaml_errors``) and
``legacy`` (archived).  The rest are ``svc-NN``.  ``replay_project()`` serves DevLake's recorded
gitlab.com payloads verbatim.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import json
import random
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

WEB = "https://gitlab.example.com"
FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "gitlab"
SOURCES = ("push", "merge_request_event", "schedule", "web", "api", "trigger", "pipeline", "parent_pipeline")
PIPELINE_LIST_KEYS = ("id", "iid", "project_id", "sha", "ref", "status", "source", "created_at", "updated_at", "web_url", "name")


@dataclass
class Group:
    id: int
    name: str
    path: str
    full_path: str
    parent: Group | None = None
    subgroups: list[Group] = field(default_factory=list)
    projects: list[Project] = field(default_factory=list)
    created_at: str = "2020-01-01T00:00:00.000Z"

    def walk(self) -> list[Group]:
        out = [self]
        for g in self.subgroups:
            out += g.walk()
        return out

    def all_projects(self) -> list[Project]:
        return [p for g in self.walk() for p in g.projects]

    def json(self) -> dict[str, Any]:
        return {"id": self.id, "web_url": f"{WEB}/groups/{self.full_path}", "name": self.name, "path": self.path,
                "description": "", "visibility": "private", "share_with_group_lock": False, "require_two_factor_authentication": False,
                "two_factor_grace_period": 48, "project_creation_level": "developer", "auto_devops_enabled": None,
                "subgroup_creation_level": "maintainer", "emails_disabled": False, "emails_enabled": True, "mentions_disabled": None,
                "lfs_enabled": True, "default_branch": None, "default_branch_protection": 2, "avatar_url": None,
                "request_access_enabled": True, "full_name": " / ".join(g.name for g in self.chain()), "full_path": self.full_path,
                "created_at": self.created_at, "parent_id": self.parent.id if self.parent else None, "organization_id": 1,
                "shared_runners_setting": "enabled", "ldap_cn": None, "ldap_access": None, "marked_for_deletion_on": None,
                "wiki_access_level": "enabled"}

    def chain(self) -> list[Group]:
        return (self.parent.chain() if self.parent else []) + [self]


@dataclass
class Project:
    id: int
    name: str
    group: Group
    files: dict[str, str] = field(default_factory=dict)
    archived: bool = False
    default_branch: str = "main"
    created_at: str = "2021-01-01T00:00:00.000Z"
    commits: list[dict] = field(default_factory=list)          # newest first
    pipelines: list[dict] = field(default_factory=list)        # detail shape; list shape = PIPELINE_LIST_KEYS
    jobs: list[dict] = field(default_factory=list)
    environments: list[dict] = field(default_factory=list)
    deployments: list[dict] = field(default_factory=list)
    releases: list[dict] = field(default_factory=list)
    tags: list[dict] = field(default_factory=list)
    protected_branches: list[dict] = field(default_factory=list)
    approval_rules: list[dict] = field(default_factory=list)
    merge_requests: list[dict] = field(default_factory=list)

    @property
    def path_with_namespace(self) -> str:
        return f"{self.group.full_path}/{self.name}"

    def blob_sha(self, path: str) -> str:
        return _sha("blob", self.files[path])

    def json(self) -> dict[str, Any]:
        g, pwn = self.group, self.path_with_namespace
        last = self.commits[0]["committed_date"] if self.commits else self.created_at
        return {"id": self.id, "description": f"{self.name} service", "name": self.name, "name_with_namespace": " / ".join(
                    [x.name for x in g.chain()] + [self.name]), "path": self.name, "path_with_namespace": pwn,
                "created_at": self.created_at, "default_branch": self.default_branch, "tag_list": [], "topics": [],
                "ssh_url_to_repo": f"git@gitlab.example.com:{pwn}.git", "http_url_to_repo": f"{WEB}/{pwn}.git",
                "web_url": f"{WEB}/{pwn}", "readme_url": f"{WEB}/{pwn}/-/blob/{self.default_branch}/README.md" if "README.md" in self.files else None,
                "forks_count": 0, "avatar_url": None, "star_count": 0, "last_activity_at": last,
                "namespace": {"id": g.id, "name": g.name, "path": g.path, "kind": "group", "full_path": g.full_path,
                              "parent_id": g.parent.id if g.parent else None, "avatar_url": None, "web_url": f"{WEB}/groups/{g.full_path}"},
                "container_registry_image_prefix": f"registry.gitlab.example.com/{pwn}",
                "_links": {"self": f"{WEB}/api/v4/projects/{self.id}"}, "packages_enabled": True, "empty_repo": not self.files,
                "archived": self.archived, "visibility": "private", "resolve_outdated_diff_discussions": False,
                "container_registry_enabled": True, "issues_enabled": True, "merge_requests_enabled": True, "wiki_enabled": True,
                "jobs_enabled": True, "snippets_enabled": True, "builds_access_level": "enabled", "repository_access_level": "enabled",
                "merge_requests_access_level": "enabled", "shared_runners_enabled": True, "creator_id": 1,
                "import_status": "none", "open_issues_count": 0, "ci_default_git_depth": 20, "ci_config_path": "",
                "public_jobs": True, "only_allow_merge_if_pipeline_succeeds": self.name == "flagship",
                "only_allow_merge_if_all_discussions_are_resolved": False, "remove_source_branch_after_merge": True,
                "request_access_enabled": True, "merge_method": "merge", "squash_option": "default_off",
                "auto_devops_enabled": False, "auto_devops_deploy_strategy": "continuous", "approvals_before_merge": 0,
                "mirror": False, "permissions": {"project_access": None, "group_access": {"access_level": 50, "notification_level": 3}}}


# ---------------------------------------------------------------------------------------------- helpers


def _sha(*parts: object) -> str:
    return hashlib.sha1("\0".join(map(str, parts)).encode()).hexdigest()


def _ts(t: dt.datetime) -> str:
    return t.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.") + f"{t.microsecond // 1000:03d}Z"


def _ts_offset(t: dt.datetime) -> str:
    return t.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.000+00:00")


USERS = [(101, "alice", "Alice Martin"), (102, "bob", "Bob Chen"), (103, "carol", "Carol Diaz"), (104, "dave", "Dave Okafor")]


def user_basic(u: tuple[int, str, str]) -> dict[str, Any]:
    return {"id": u[0], "username": u[1], "name": u[2], "state": "active", "locked": False,
            "avatar_url": f"https://secure.gravatar.com/avatar/{_sha(u[1])[:32]}?s=80&d=identicon", "web_url": f"{WEB}/{u[1]}"}


def user_full(u: tuple[int, str, str]) -> dict[str, Any]:
    return {**user_basic(u), "created_at": "2020-01-01T00:00:00.000Z", "bio": "", "bio_html": "", "location": "",
            "public_email": "", "skype": "", "linkedin": "", "twitter": "", "discord": "", "website_url": "", "organization": "",
            "job_title": "", "pronouns": "", "bot": False, "work_information": "", "followers": 0, "following": 0, "local_time": None}


YAML_OK = """stages: [build, test, deploy]

build:
  stage: build
  image: docker:24
  script:
    - docker build -t $CI_REGISTRY_IMAGE:$CI_COMMIT_SHA .

test:
  stage: test
  script:
    - make test
  coverage: '/TOTAL.*\\s+(\\d+%)$/'

deploy_staging:
  stage: deploy
  script: ./deploy.sh staging
  environment:
    name: staging
    url: https://staging.example.com
  rules:
    - if: $CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH

deploy_production:
  stage: deploy
  script: ./deploy.sh production
  environment:
    name: production
    url: https://example.com
  rules:
    - if: $CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH
"""
YAML_MANUAL = """stages: [build, test, deploy]

build:
  stage: build
  image: docker:24
  script:
    - docker build -t $CI_REGISTRY_IMAGE:$CI_COMMIT_SHA .

test:
  stage: test
  script:
    - make test

deploy_production:
  stage: deploy
  script: ./deploy.sh production
  environment:
    name: production
    url: https://example.com
  rules:
    - if: $CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH
      when: manual
"""
YAML_BROKEN = "stages: [build, test\n\nbuild:\n  script:\n    - make\n   - make test\n  stage: build\n"
YAML_ERROR = "jobs:build config contains unknown keys: script\n(<unknown>): did not find expected ',' or ']' while parsing a flow sequence at line 1 column 9"


YAML_FLAGSHIP_INCLUDES = """include:
  - local: ci/review.yml
  - template: Security/SAST.gitlab-ci.yml
  - project: acme/ci-templates
    ref: main
    file: /templates/lint.yml

"""
YAML_REVIEW = """review:
  stage: deploy
  script: ./deploy.sh review
  environment:
    name: review/$CI_COMMIT_REF_SLUG
    on_stop: stop_review
  rules:
    - if: $CI_PIPELINE_SOURCE == "merge_request_event"

stop_review:
  stage: deploy
  script: ./deploy.sh stop-review
  environment:
    name: review/$CI_COMMIT_REF_SLUG
    action: stop
  rules:
    - if: $CI_PIPELINE_SOURCE == "merge_request_event"
      when: manual

downstream_e2e:
  stage: deploy
  trigger:
    project: acme/platform/infra/svc-02
    branch: main
  rules:
    - if: $CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH
"""


def _files(name: str, rng: random.Random) -> dict[str, str]:
    ci = {"broken-ci": YAML_BROKEN, "manual-deploy": YAML_MANUAL}.get(name, YAML_OK)
    files = {"README.md": f"# {name}\n", ".gitlab-ci.yml": ci, "Dockerfile": "FROM python:3.12-slim\nCOPY . /app\n",
             "src/app/__init__.py": "", "src/app/main.py": "print('hello')\n", "tests/test_main.py": "def test_ok():\n    assert True\n",
             "Makefile": "test:\n\tpytest -q\n"}
    if rng.random() < 0.5 or name == "flagship":
        files["k8s/deployment.yaml"] = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: app\n"
    if name == "flagship":
        files["CHANGELOG.md"] = "# Changelog\n\n## 1.2.0\n"
        files["db/migrations/V1__init.sql"] = "create table t (id int);\n"
        files[".gitlab-ci.yml"] = YAML_FLAGSHIP_INCLUDES + ci.replace("  environment:\n    name: production\n",
                                                                       "  resource_group: production\n  environment:\n    name: production\n")
        files["ci/review.yml"] = YAML_REVIEW
    return files


# ---------------------------------------------------------------------------------------------- builders


class _Builder:
    def __init__(self, p: Project, rng: random.Random, anchor: dt.datetime, ids: dict[str, int]) -> None:
        self.p, self.rng, self.anchor, self.ids = p, rng, anchor, ids
        self.web = f"{WEB}/{p.path_with_namespace}"

    def next_id(self, kind: str) -> int:
        self.ids[kind] += 1
        return self.ids[kind]

    def commit(self, i: int, when: dt.datetime, parent: str | None) -> dict[str, Any]:
        u = USERS[i % len(USERS)]
        sha = _sha(self.p.id, "commit", i)
        title = f"Change {i} in {self.p.name}"
        return {"id": sha, "short_id": sha[:8], "created_at": _ts_offset(when), "parent_ids": [parent] if parent else [],
                "title": title, "message": title + "\n", "author_name": u[2], "author_email": f"{u[1]}@example.com",
                "authored_date": _ts_offset(when), "committer_name": u[2], "committer_email": f"{u[1]}@example.com",
                "committed_date": _ts_offset(when), "trailers": {}, "extended_trailers": {}, "web_url": f"{self.web}/-/commit/{sha}"}

    def pipeline(self, iid: int, commit: dict, source: str, status: str, when: dt.datetime, ref: str,
                 yaml_errors: str | None = None) -> dict[str, Any]:
        pid = self.next_id("pipeline")
        dur = 60 + self.rng.randrange(600)
        started, finished = when + dt.timedelta(seconds=5), when + dt.timedelta(seconds=5 + dur)
        done = status in ("success", "failed", "canceled")
        label = {"success": "passed"}.get(status, status)
        u = USERS[iid % len(USERS)]
        return {"id": pid, "iid": iid, "project_id": self.p.id, "sha": commit["id"], "ref": ref, "status": status, "source": source,
                "created_at": _ts(when), "updated_at": _ts(finished if done else when), "web_url": f"{self.web}/-/pipelines/{pid}",
                "before_sha": commit["parent_ids"][0] if commit["parent_ids"] else "0" * 40, "tag": False, "yaml_errors": yaml_errors,
                "user": user_basic(u), "started_at": None if yaml_errors else _ts(started), "finished_at": _ts(finished) if done else None,
                "committed_at": None, "duration": None if yaml_errors or not done else dur, "queued_duration": None if yaml_errors else 5,
                "coverage": None if yaml_errors else f"{70 + self.rng.randrange(25)}.{self.rng.randrange(100):02d}",
                "detailed_status": {"icon": f"status_{label}", "text": label.capitalize(), "label": label, "group": status,
                                    "tooltip": label, "has_details": False, "details_path": f"/{self.p.path_with_namespace}/-/pipelines/{pid}",
                                    "illustration": None, "favicon": f"/assets/ci_favicons/favicon_status_{status}.png"},
                "name": None}

    def job(self, pipeline: dict, commit: dict, name: str, stage: str, status: str, when: dt.datetime) -> dict[str, Any]:
        jid = self.next_id("job")
        dur = float(20 + self.rng.randrange(200)) + 0.5
        ran = status in ("success", "failed", "canceled")
        u = USERS[pipeline["iid"] % len(USERS)]
        return {"id": jid, "status": status, "stage": stage, "name": name, "ref": pipeline["ref"], "tag": False, "coverage": None,
                "allow_failure": False, "created_at": _ts(when), "started_at": _ts(when + dt.timedelta(seconds=10)) if ran else None,
                "finished_at": _ts(when + dt.timedelta(seconds=10 + dur)) if ran else None, "erased_at": None,
                "duration": dur if ran else None, "queued_duration": 10.0 if ran else None, "user": user_full(u), "commit": commit,
                "pipeline": {k: pipeline[k] for k in PIPELINE_LIST_KEYS if k != "name"},
                "failure_reason": "script_failure" if status == "failed" else None,
                "web_url": f"{self.web}/-/jobs/{jid}", "project": {"ci_job_token_scope_enabled": False},
                "artifacts": [{"file_type": "trace", "size": 2048, "filename": "job.log", "file_format": None}] if ran else [],
                "runner": {"id": 7, "description": "shared-runner-1", "ip_address": "10.0.0.7", "active": True, "paused": False,
                           "is_shared": True, "runner_type": "instance_type", "name": "gitlab-runner", "online": True, "status": "online"}
                if ran else None, "artifacts_expire_at": None, "tag_list": [], "when": "manual" if status == "manual" else "on_success"}

    def environment(self, name: str, tier: str, when: dt.datetime) -> dict[str, Any]:
        eid = self.next_id("environment")
        return {"id": eid, "name": name, "slug": name, "external_url": f"https://{name}.{self.p.name}.example.com",
                "created_at": _ts(when), "updated_at": _ts(when), "tier": tier, "state": "available", "auto_stop_at": None,
                "description": None, "cluster_agent": None, "kubernetes_namespace": None, "flux_resource_path": None,
                "auto_stop_setting": "always"}

    def deployment(self, iid: int, env: dict, job: dict, status: str, when: dt.datetime) -> dict[str, Any]:
        did = self.next_id("deployment")
        # a deployment's environment carries no tier (GitLab's docs and the recorded payloads): /environments does
        e = {k: env[k] for k in ("id", "name", "slug", "external_url", "created_at", "updated_at")}
        return {"id": did, "iid": iid, "ref": job["ref"], "sha": job["commit"]["id"], "created_at": _ts(when),
                "updated_at": job["finished_at"] or _ts(when), "status": status, "user": user_basic(USERS[iid % len(USERS)]),
                "environment": e, "deployable": job}

    def merge_request(self, iid: int, commit: dict, when: dt.datetime, state: str = "merged") -> dict[str, Any]:
        mid = self.next_id("mr")
        a, m = USERS[iid % len(USERS)], USERS[(iid + 1) % len(USERS)]
        created = when - dt.timedelta(hours=3 + iid % 20)
        merged = state == "merged"
        return {"id": mid, "iid": iid, "project_id": self.p.id, "title": f"Feature {iid}", "description": f"Implements feature {iid}",
                "state": state, "created_at": _ts(created), "updated_at": _ts(when),
                "merged_by": user_basic(m) if merged else None, "merge_user": user_basic(m) if merged else None,
                "merged_at": _ts(when) if merged else None, "closed_by": None if merged else user_basic(a),
                "closed_at": None if merged else _ts(when), "target_branch": self.p.default_branch,
                "source_branch": f"feature-{iid}", "user_notes_count": iid % 4, "upvotes": 0, "downvotes": 0, "author": user_basic(a),
                "assignees": [user_basic(a)], "assignee": user_basic(a), "reviewers": [user_basic(m)], "source_project_id": self.p.id, "target_project_id": self.p.id,
                "labels": ["backend"] if iid % 2 else [], "draft": False, "work_in_progress": False,
                "milestone": {"id": 900 + self.p.id, "iid": 1, "group_id": self.p.group.id, "title": "Q1", "description": "",
                              "state": "active", "created_at": _ts(created), "updated_at": _ts(created),
                              "due_date": (created + dt.timedelta(days=14)).strftime("%Y-%m-%d"), "start_date": created.strftime("%Y-%m-%d"),
                              "expired": False, "web_url": f"{WEB}/groups/{self.p.group.full_path}/-/milestones/1"},
                "merge_when_pipeline_succeeds": False, "merge_status": "can_be_merged", "detailed_merge_status": "not_open",
                "sha": _sha(self.p.id, "mr-head", iid), "merge_commit_sha": commit["id"] if merged else None,
                "squash_commit_sha": commit["id"] if merged and iid % 3 == 0 else None,
                "discussion_locked": None, "should_remove_source_branch": None, "force_remove_source_branch": True,
                "prepared_at": _ts(created), "reference": f"!{iid}",
                "references": {"short": f"!{iid}", "relative": f"!{iid}", "full": f"{self.p.path_with_namespace}!{iid}"},
                "web_url": f"{self.web}/-/merge_requests/{iid}",
                "time_stats": {"time_estimate": 0, "total_time_spent": 0, "human_time_estimate": None, "human_total_time_spent": None},
                "squash": iid % 3 == 0, "squash_on_merge": merged and iid % 3 == 0, "task_completion_status": {"count": 0, "completed_count": 0},
                "has_conflicts": False, "blocking_discussions_resolved": True, "approvals_before_merge": 0,
                "allow_collaboration": False, "allow_maintainer_to_push": False}

    def release(self, tag: str, commit: dict, when: dt.datetime) -> tuple[dict, dict]:
        rel = {"name": tag, "tag_name": tag, "description": f"Release {tag}", "created_at": _ts(when), "released_at": _ts(when),
               "upcoming_release": False, "author": user_basic(USERS[0]), "commit": commit,
               "commit_path": f"/{self.p.path_with_namespace}/-/commit/{commit['id']}", "tag_path": f"/{self.p.path_with_namespace}/-/tags/{tag}",
               "assets": {"count": 4, "sources": [{"format": f, "url": f"{self.web}/-/archive/{tag}/{self.p.name}-{tag}.{f}"}
                                                  for f in ("zip", "tar.gz", "tar.bz2", "tar")], "links": []},
               "evidences": [], "_links": {"closed_issues_url": f"{self.web}/-/issues?release_tag={tag}&scope=all&state=closed",
                                           "self": f"{self.web}/-/releases/{tag}"}}
        tg = {"name": tag, "message": "", "target": commit["id"], "commit": commit, "release": {"tag_name": tag, "description": rel["description"]},
              "protected": False, "created_at": None}
        return rel, tg


def _access(level: int, desc: str, i: int) -> dict[str, Any]:
    return {"id": i, "access_level": level, "access_level_description": desc, "deploy_key_id": None, "user_id": None, "group_id": None}


def _build_project(p: Project, rng: random.Random, anchor: dt.datetime, ids: dict[str, int]) -> None:
    b = _Builder(p, rng, anchor, ids)
    p.files = _files(p.name, rng)
    flagship = p.name == "flagship"
    n_commits = 40 if flagship else 8 + rng.randrange(10)
    start = anchor - dt.timedelta(days=90)
    step = dt.timedelta(days=90) / n_commits
    commits, parent = [], None
    for i in range(n_commits):
        c = b.commit(i, start + step * i + dt.timedelta(minutes=rng.randrange(60)), parent)
        commits.append(c)
        parent = c["id"]
    p.commits = commits[::-1]
    p.protected_branches = [{"id": p.id * 10, "name": p.default_branch, "push_access_levels": [_access(40, "Maintainers", p.id * 10 + 1)],
                             "merge_access_levels": [_access(30, "Developers + Maintainers", p.id * 10 + 2)],
                             "allow_force_push": False, "unprotect_access_levels": [], "code_owner_approval_required": flagship}]
    if flagship or rng.random() < 0.4:
        approvers = [user_basic(u) for u in USERS[:2]]
        p.approval_rules = [{"id": p.id * 10, "name": "Maintainers review", "rule_type": "regular", "report_type": None,
                             "eligible_approvers": approvers, "approvals_required": 2 if flagship else 1, "users": approvers, "groups": [],
                             "contains_hidden_groups": False, "protected_branches": [], "applies_to_all_protected_branches": False}]
    for k in range(1, (12 if flagship else 3) + 1):
        c = commits[min(len(commits) - 1, k * len(commits) // 13 + 1)]
        mr = b.merge_request(k, c, dt.datetime.fromisoformat(c["committed_date"]), "closed" if k % 5 == 4 else "merged")
        p.merge_requests.append(mr)
        if mr["state"] == "merged":
            # merge method "merge": the commit on the default branch is GitLab's merge commit, with its default message
            c["title"] = f"Merge branch '{mr['source_branch']}' into '{p.default_branch}'"
            c["message"] = f"{c['title']}\n\n{mr['title']}\n\nSee merge request {p.path_with_namespace}!{mr['iid']}\n"
            c["parent_ids"] = [*c["parent_ids"], mr["sha"]]
    p.merge_requests.reverse()  # GitLab default: created_at desc
    if p.name == "no-pipelines":
        return
    envs = {"production": b.environment("production", "production", start), "staging": b.environment("staging", "staging", start)}
    if flagship:
        envs["review/feature-1"] = b.environment("review/feature-1", "development", start)
        envs["testing"] = b.environment("testing", "testing", start)
    p.environments = list(envs.values())
    pipelines, deploys = [], []
    n_pipes = 45 if flagship else len(commits)
    for i in range(n_pipes):
        c = commits[i % len(commits)]
        when = dt.datetime.fromisoformat(c["committed_date"]) + dt.timedelta(minutes=1 + i // len(commits))
        source = SOURCES[i % len(SOURCES)] if flagship else ("push" if i % 4 else "merge_request_event")
        ref = f"refs/merge-requests/{i}/head" if source == "merge_request_event" else p.default_branch
        if p.name == "broken-ci":
            pl = b.pipeline(i + 1, c, source, "failed", when, ref, yaml_errors=YAML_ERROR)
            pipelines.append(pl)
            continue
        status = "failed" if rng.random() < 0.15 else "success"
        if i == n_pipes - 1 and flagship:
            status = "running"
        pl = b.pipeline(i + 1, c, source, status, when, ref)
        pipelines.append(pl)
        p.jobs.append(b.job(pl, c, "build", "build", "success" if status != "failed" else "failed", when))
        if status == "success" and source == "push":
            js = b.job(pl, c, "deploy_staging", "deploy", "success", when + dt.timedelta(minutes=5))
            p.jobs.append(js)
            deploys.append(b.deployment(0, envs["staging"], js, "success", when + dt.timedelta(minutes=5)))
            manual = p.name == "manual-deploy"
            jp = b.job(pl, c, "deploy_production", "deploy", "manual" if manual and i % 3 else "success", when + dt.timedelta(minutes=15))
            if manual:
                jp["when"] = "manual"
            p.jobs.append(jp)
            if jp["status"] == "success":
                deploys.append(b.deployment(0, envs["production"], jp, "success", when + dt.timedelta(minutes=15)))
    if flagship:  # rollback: redeploy an older production sha after a failed deploy of the newest
        prod = [d for d in deploys if d["environment"]["name"] == "production"]
        last_pl, old = pipelines[-2], prod[-3]["deployable"]
        t = dt.datetime.fromisoformat(commits[-1]["committed_date"]) + dt.timedelta(hours=2)
        jf = b.job(last_pl, commits[-1], "deploy_production", "deploy", "failed", t)
        deploys.append(b.deployment(0, envs["production"], jf, "failed", t))
        rb_pl = b.pipeline(n_pipes + 1, old["commit"], "web", "success", t + dt.timedelta(minutes=20), p.default_branch)
        pipelines.append(rb_pl)
        jr = b.job(rb_pl, old["commit"], "deploy_production", "deploy", "success", t + dt.timedelta(minutes=20))
        p.jobs += [jf, jr]
        deploys.append(b.deployment(0, envs["production"], jr, "success", t + dt.timedelta(minutes=20)))
        for n, k in enumerate((10, 25, 38)):
            rel, tg = b.release(f"v1.{n}.0", commits[k], dt.datetime.fromisoformat(commits[k]["committed_date"]) + dt.timedelta(hours=1))
            p.releases.insert(0, rel)
            p.tags.insert(0, tg)
    for n, d in enumerate(deploys, 1):
        d["iid"] = n
    p.pipelines = sorted(pipelines, key=lambda x: -x["id"])  # GitLab default: id desc
    p.deployments = deploys  # GitLab default: id asc
    p.jobs.sort(key=lambda x: -x["id"])


def generate_group(name: str = "acme", projects: int = 12, seed: int = 1, anchor: dt.datetime | None = None) -> Group:
    """A deterministic group tree (see module docstring); ``anchor`` is "now" for the history (default 2025-06-02 UTC)."""
    anchor = anchor or dt.datetime(2025, 6, 2, tzinfo=dt.timezone.utc)
    rng = random.Random(seed)
    base = 1000 + seed * 100_000
    root = Group(base + 1, name, name, name)
    platform = Group(base + 2, "platform", "platform", f"{name}/platform", root)
    infra = Group(base + 3, "infra", "infra", f"{name}/platform/infra", platform)
    apps = Group(base + 4, "apps", "apps", f"{name}/apps", root)
    root.subgroups, platform.subgroups = [platform, apps], [infra]
    homes = [root, platform, infra, apps]
    names = ["flagship", "manual-deploy", "no-pipelines", "broken-ci", "legacy"]
    names += [f"svc-{i:02d}" for i in range(1, max(0, projects - len(names)) + 1)]
    ids = {"pipeline": base * 10, "job": base * 100, "environment": base, "deployment": base * 10, "mr": base * 10}
    for i, pname in enumerate(names):
        g = {"flagship": root, "manual-deploy": platform, "no-pipelines": apps, "broken-ci": infra, "legacy": root}.get(pname, homes[i % 4])
        p = Project(base + 100 + i, pname, g, archived=pname == "legacy",
                    created_at=_ts(anchor - dt.timedelta(days=400 - i)))
        _build_project(p, rng, anchor, ids)
        g.projects.append(p)
    for g in root.walk():
        g.projects.sort(key=lambda x: x.created_at, reverse=True)  # GitLab default: created_at desc
    return root


# ---------------------------------------------------------------------------------------------- recorded data


def load_recorded(kind: str) -> list[dict[str, Any]]:
    """Rows of tests/fixtures/gitlab/devlake_raw_gitlab_api_<kind>.csv as {"url", "data"(parsed)} dicts."""
    csv.field_size_limit(1 << 30)
    with open(FIXTURES / f"devlake_raw_gitlab_api_{kind}.csv", newline="", encoding="utf-8") as f:
        return [{"url": r["url"], "data": json.loads(r["data"])} for r in csv.DictReader(f)]


def replay_project() -> Group:
    """Group ``merico-dev/ee`` with project ``vdev.co`` (id 12345678) serving DevLake's recorded gitlab.com
    pipelines (detail shape where recorded), deployments and merge requests verbatim, plus the recorded
    jobs of a self-hosted instance."""
    root = Group(4347861, "merico-dev", "merico-dev", "merico-dev")
    ee = Group(4347862, "ee", "ee", "merico-dev/ee", root)
    root.subgroups = [ee]
    p = Project(12345678, "vdev.co", ee, default_branch="master", created_at="2019-03-01T00:00:00.000Z")
    p.files = {".gitlab-ci.yml": YAML_OK, "README.md": "# vdev.co\n"}
    details = {r["data"]["id"]: r["data"] for r in load_recorded("pipeline_details")}
    pls = {r["data"]["id"]: details.get(r["data"]["id"], r["data"]) for r in load_recorded("pipeline")}
    pls.update({k: v for k, v in details.items() if k not in pls})
    p.pipelines = sorted(pls.values(), key=lambda x: -x["id"])
    p.deployments = sorted((r["data"] for r in load_recorded("deployments")), key=lambda x: x["id"])
    envs: dict[int, dict] = {}
    for d in p.deployments:
        envs.setdefault(d["environment"]["id"], {**d["environment"], "state": "available",
                                                 "tier": "production" if d["environment"]["name"] == "production" else "staging"})
    p.environments = list(envs.values())
    p.merge_requests = sorted((r["data"] for r in load_recorded("merge_requests")), key=lambda x: x["created_at"], reverse=True)
    p.jobs = sorted((r["data"] for r in load_recorded("job")), key=lambda x: -x["id"])
    ee.projects = [p]
    return root
