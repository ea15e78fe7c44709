"""The fake GitLab (tests/fakes/gitlab.py) is held to GitLab's real payloads (DevLake's recorded gitlab.com
data, tests/fixtures/gitlab/) and driven with the real client, python-gitlab.  All traffic goes to 127.0.0.1."""

from __future__ import annotations

import datetime as dt
import json
import urllib.error
import urllib.request

import pytest

gitlab = pytest.importorskip("gitlab")

from fakes.gitlab import FakeGitLab, encode_path, generate_group, replay_project  # noqa: E402
from fakes.gitlab_data import SOURCES, load_recorded  # noqa: E402
from fakes.served import json_types  # noqa: E402

ANCHOR = dt.datetime(2025, 6, 2, tzinfo=dt.timezone.utc)
TOKEN = "glpat-test"


@pytest.fixture(scope="module")
def fake():
    with FakeGitLab(group=generate_group("acme", projects=30, seed=3, anchor=ANCHOR), groups=[replay_project()], token=TOKEN) as gl:
        yield gl


@pytest.fixture()
def gl(fake):
    fake.clear_faults()
    fake.reset_counters()
    return gitlab.Gitlab(fake.url, private_token=TOKEN, per_page=100, retry_transient_errors=True, timeout=10)


def get(fake, path: str, token: str | None = TOKEN):
    req = urllib.request.Request(fake.api + path, headers={"PRIVATE-TOKEN": token} if token else {})
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            return r.status, dict(r.headers), r.read()
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers), e.read()


def test_group_projects_with_subgroups_over_pages(fake, gl):
    group = gl.groups.get("acme")
    assert group.full_path == "acme" and group.parent_id is None
    projects = group.projects.list(include_subgroups=True, per_page=7, iterator=True)
    names = {p.path_with_namespace for p in projects}
    assert len(names) == 30 and len(fake.log) == 1 + 5  # the group + ceil(30 / 7) pages
    assert {"acme/flagship", "acme/platform/manual-deploy", "acme/platform/infra/broken-ci", "acme/apps/no-pipelines"} <= names
    assert len(group.projects.list(get_all=True)) < 30  # without include_subgroups: the root's own only
    live = group.projects.list(include_subgroups=True, archived=False, get_all=True)
    assert "acme/legacy" not in {p.path_with_namespace for p in live} and len(live) == 29
    sub = gl.groups.get("acme/platform")
    assert [g.full_path for g in sub.subgroups.list(get_all=True)] == ["acme/platform/infra"]
    assert gl.groups.get("acme/platform/infra").parent_id == sub.id  # python-gitlab URL-encodes the path
    assert json.loads(get(fake, "/groups/" + encode_path("acme/platform/infra"))[2])["parent_id"] == sub.id


def test_project_cicd_history(fake, gl):
    p = gl.projects.get("acme/flagship")
    assert p.id == fake.project("acme/flagship").id and p.default_branch == "main"
    pipes = p.pipelines.list(get_all=True)
    assert len(pipes) == len(fake.project(p.id).pipelines) > 40
    assert set(SOURCES) <= {x.source for x in pipes}
    assert [x.id for x in pipes] == sorted((x.id for x in pipes), reverse=True)
    detail = p.pipelines.get(pipes[0].id)
    assert "detailed_status" in detail.attributes and "before_sha" in detail.attributes
    assert {"production", "staging"} <= {e.name for e in p.environments.list(get_all=True)}
    assert {e.tier for e in p.environments.list(get_all=True)} >= {"production", "staging"}
    prod = p.deployments.list(environment="production", get_all=True)
    assert prod and all(d.environment["name"] == "production" for d in prod)
    good = [d for d in prod if d.status == "success"]
    assert good[-1].sha in {d.sha for d in good[:-1]}  # the last deploy redeploys an older sha: a rollback
    after = (ANCHOR - dt.timedelta(days=30)).isoformat()
    recent = p.pipelines.list(updated_after=after, ref="main", get_all=True)
    assert recent and all(x.updated_at > after[:10] and x.ref == "main" for x in recent)
    mrs = p.mergerequests.list(state="merged", target_branch="main", get_all=True)
    assert mrs and all(m.state == "merged" and m.merged_at for m in mrs)
    assert p.releases.list(get_all=True) and p.tags.list(get_all=True)
    assert p.protectedbranches.list(get_all=True)[0].name == "main"
    assert p.approvalrules.list(get_all=True)[0].approvals_required == 2
    commits = p.commits.list(ref_name="main", since=after, get_all=True)
    assert commits and all(c.committed_date >= after[:10] for c in commits)
    tree = p.repository_tree(recursive=True, get_all=True)
    assert {"src/app/main.py", "src", ".gitlab-ci.yml"} <= {e["path"] for e in tree}
    ci = p.files.raw(file_path=".gitlab-ci.yml", ref="main")
    assert b"deploy_production" in ci
    blob = next(e for e in tree if e["path"] == "Dockerfile")
    assert p.repository_raw_blob(blob["id"]).startswith(b"FROM ")


def test_special_projects(fake, gl):
    assert gl.projects.get("acme/apps/no-pipelines").pipelines.list(get_all=True) == []
    broken = gl.projects.get("acme/platform/infra/broken-ci")
    assert all(p.status == "failed" for p in broken.pipelines.list(get_all=True))
    assert broken.pipelines.get(broken.pipelines.list(get_all=True)[0].id).yaml_errors
    import yaml
    with pytest.raises(yaml.YAMLError):
        yaml.safe_load(broken.files.raw(file_path=".gitlab-ci.yml", ref="main"))
    manual = gl.projects.get("acme/platform/manual-deploy")
    assert "when: manual" in manual.files.raw(file_path=".gitlab-ci.yml", ref="main").decode()
    assert any(j.status == "manual" and j.name == "deploy_production" for j in manual.jobs.list(get_all=True))
    assert {j.status for j in manual.jobs.list(scope=["manual"], get_all=True)} == {"manual"}
    assert gl.projects.get("acme/legacy").archived is True


def test_pagination_headers(fake):
    pid = fake.project("acme/flagship").id
    total = len(fake.project(pid).pipelines)
    status, h, body = get(fake, f"/projects/{pid}/pipelines?per_page=10&page=2")
    assert status == 200 and len(json.loads(body)) == 10
    assert (h["X-Page"], h["X-Per-Page"], h["X-Next-Page"], h["X-Prev-Page"]) == ("2", "10", "3", "1")
    assert h["X-Total"] == str(total) and h["X-Total-Pages"] == str(-(-total // 10))
    assert 'rel="next"' in h["Link"] and "page=3" in h["Link"] and 'rel="last"' in h["Link"]
    for k in ("RateLimit-Limit", "RateLimit-Remaining", "RateLimit-Reset", "RateLimit-Observed"):
        assert h[k].isdigit()
    last = -(-total // 10)
    _, h, _ = get(fake, f"/projects/{pid}/pipelines?per_page=10&page={last}")
    assert h["X-Next-Page"] == "" and 'rel="next"' not in h["Link"]
    _, h, body = get(fake, f"/projects/{pid}/pipelines?per_page=500")
    assert h["X-Per-Page"] == "100" and len(json.loads(body)) == total


def test_auth_and_not_found(fake):
    assert get(fake, "/user", token=None)[0] == 401
    assert json.loads(get(fake, "/user", token="nope")[2]) == {"message": "401 Unauthorized"}
    req = urllib.request.Request(fake.api + "/user", headers={"Authorization": f"Bearer {TOKEN}"})
    with urllib.request.urlopen(req, timeout=10) as r:
        assert json.loads(r.read())["username"] == "alice"
    status, _, body = get(fake, "/projects/acme%2Fnope")
    assert status == 404 and json.loads(body) == {"message": "404 Project Not Found"}
    pid = fake.project("acme/flagship").id
    assert json.loads(get(fake, f"/projects/{pid}/repository/files/nope.txt/raw?ref=main")[2]) == {"message": "404 File Not Found"}
    assert json.loads(get(fake, "/version")[2])["version"].startswith("17.")


def test_429_retry_after_then_cleared(fake, gl):
    pid = fake.project("acme/flagship").id
    fault = fake.inject("429", path=rf"/projects/{pid}/pipelines", count=2, retry_after=1)
    status, h, _ = get(fake, f"/projects/{pid}/pipelines")
    assert status == 429 and h["Retry-After"] == "1"
    pipes = gl.projects.get(pid, lazy=True).pipelines.list(get_all=True)  # python-gitlab waits Retry-After, then succeeds
    assert pipes and fault.hits == 2
    assert [r.status for r in fake.log if r.path.endswith("/pipelines")] == [429, 429, 200]


def test_status_and_garbage_faults(fake, gl):
    pid = fake.project("acme/flagship").id
    fake.inject("status", path=rf"/projects/{pid}/environments", status=502)
    assert gl.projects.get(pid, lazy=True).environments.list(get_all=True)  # retried
    fake.inject("garbage", path=rf"/projects/{pid}/releases")
    status, h, body = get(fake, f"/projects/{pid}/releases")
    assert status == 200 and h["Content-Type"].startswith("application/json")
    with pytest.raises(json.JSONDecodeError):
        json.loads(body)
    fake.inject("garbage", path=rf"/projects/{pid}/releases")
    with pytest.raises(gitlab.exceptions.GitlabParsingError):
        gl.projects.get(pid, lazy=True).releases.list(get_all=True)


def test_timeout_and_latency(fake):
    pid = fake.project("acme/flagship").id
    fake.inject("timeout", path=rf"/projects/{pid}/releases", hang_s=0.5)
    with pytest.raises(Exception):  # noqa: B017,PT011
        urllib.request.urlopen(urllib.request.Request(fake.api + f"/projects/{pid}/releases", headers={"PRIVATE-TOKEN": TOKEN}),
                               timeout=0.3)
    fake.latency_ms = 50
    try:
        assert get(fake, "/version")[0] == 200 and fake.log[-1].ms >= 50
    finally:
        fake.latency_ms = 0




def test_payloads_match_recorded_gitlab(fake):
    """Every key a real payload has is in the fake's payloads, with the same JSON type (a real null matches any)."""
    def body(path: str) -> list:
        got = json.loads(get(fake, path + ("&" if "?" in path else "?") + "per_page=100")[2])
        return got if isinstance(got, list) else [got]

    mine: dict[str, dict[str, set[str]]] = {k: {} for k in ("pipeline", "pipeline_details", "job", "deployments", "merge_requests")}
    for name in ("acme/flagship", "acme/platform/manual-deploy", "acme/platform/infra/broken-ci"):
        p = fake.project(name)
        for x in body(f"/projects/{p.id}/pipelines"):
            json_types(x, "", mine["pipeline"])
        for pl in p.pipelines:
            for x in body(f"/projects/{p.id}/pipelines/{pl['id']}"):
                json_types(x, "", mine["pipeline_details"])
        for kind, path in (("job", "jobs"), ("deployments", "deployments"), ("merge_requests", "merge_requests?state=all")):
            for x in body(f"/projects/{p.id}/{path}"):
                json_types(x, "", mine[kind])
    errors = set()
    for kind, seen in mine.items():
        for rec in load_recorded(kind):
            for where, types in json_types(rec["data"], "", {}).items():
                if where not in seen:
                    errors.add(f"{kind}{where}: missing")
                elif types - {"null"} - seen[where]:
                    errors.add(f"{kind}{where}: real {sorted(types)} vs fake {sorted(seen[where])}")
    assert not sorted(errors), "\n".join(sorted(errors))


def test_replay_serves_recorded_payloads_verbatim(fake, gl):
    recorded = {r["data"]["id"]: r["data"] for r in load_recorded("deployments")}
    p = gl.projects.get("merico-dev/ee/vdev.co")
    assert p.id == 12345678
    deps = p.deployments.list(get_all=True)
    assert {d.id for d in deps} == set(recorded) and all({k: v for k, v in d.attributes.items() if k != "project_id"} == recorded[d.id] for d in deps)
    details = {r["data"]["id"]: r["data"] for r in load_recorded("pipeline_details")}
    some = next(iter(details))
    assert json.loads(get(fake, f"/projects/12345678/pipelines/{some}")[2]) == details[some]
    assert len(p.mergerequests.list(get_all=True)) == len(load_recorded("merge_requests"))
