"""The fake GitHub (tests/fakes/) is held to GitHub's own descriptions: every REST body it serves
validates against the official OpenAPI schemas, GraphQL documents are validated against the real
public schema, and the real client libraries (PyGithub, httpx) work against it.  All traffic goes
to 127.0.0.1."""

from __future__ import annotations

import datetime as dt
import json
import re
import time

import pytest

# the fake's own dependencies (test extras: httpx, graphql-core, jsonschema; PyGithub for the client tests)
httpx = pytest.importorskip("httpx")
pytest.importorskip("graphql")
pytest.importorskip("jsonschema")

from fakes import FakeGitHub, generate_app_key, generate_org, replay_org, validate_against_github_schema
from fakes.github_data import GITHUB_ACTIONS_BOT, load_recorded_runs
from fakes.openapi import load_spec, match_template, response_errors

ANCHOR = dt.datetime(2025, 6, 2, tzinfo=dt.timezone.utc)
AUTH = {"Authorization": "token test-token"}


@pytest.fixture(scope="module")
def org():
    return generate_org("acme", repos=14, seed=7, anchor=ANCHOR)


@pytest.fixture(scope="module")
def gh(org):
    with FakeGitHub(org=org, orgs=[replay_org()]) as fake:
        yield fake


@pytest.fixture
def client(gh):
    gh.clear_faults()
    with httpx.Client(base_url=gh.url, headers=AUTH, timeout=10) as c:
        yield c


def links(response: httpx.Response) -> dict[str, str]:
    out = {}
    for part in (response.headers.get("link") or "").split(","):
        m = re.match(r'\s*<([^>]+)>;\s*rel="(\w+)"', part)
        if m:
            out[m.group(2)] = m.group(1)
    return out


# ---------------------------------------------------------------------------------------------- REST shapes


def _walk_pages(client: httpx.Client, url: str, params: dict | None = None) -> list[httpx.Response]:
    pages = [client.get(url, params=params)]
    while "next" in links(pages[-1]):
        pages.append(client.get(links(pages[-1])["next"]))
    return pages


@pytest.fixture(scope="module")
def short_org():
    """Every kind of repository, with three weeks of history (validating bodies is the slow part)."""
    return generate_org("acme", repos=14, seed=7, anchor=ANCHOR, history_days=21)


def test_every_rest_response_matches_the_openapi_schemas(short_org):
    """Crawl every endpoint the fake serves, for repositories of every kind, across all pages,
    and validate every body against the documented response schema of its status."""
    org = short_org
    with FakeGitHub(org=org) as gh, httpx.Client(base_url=gh.url, headers=AUTH, timeout=10) as client:
        _crawl_and_validate(org, client)


def _crawl_and_validate(org, client) -> None:
    validated: set[tuple[str, int]] = set()
    failures: list[str] = []

    def check(url: str, params: dict | None = None, template: str | None = None, walk: bool = True) -> list[httpx.Response]:
        pages = _walk_pages(client, url, params) if walk else [client.get(url, params=params)]
        for resp in pages:
            path = httpx.URL(str(resp.url)).path.removeprefix("/api/v3")
            tpl = template or match_template(path)
            assert tpl is not None, path
            status = resp.status_code
            op = load_spec()["paths"][tpl]["get"]
            if str(status) not in op["responses"]:
                # an undocumented status (GitHub's descriptions list few errors): still GitHub's error shape
                body = resp.json()
                assert set(body) >= {"message", "documentation_url"}, body
                continue
            errors = response_errors("GET", tpl, status, resp.json() if resp.content else None)
            validated.add((tpl, status))
            failures.extend(f"{resp.url} [{status}] {e}" for e in errors[:5])
        return pages

    check("/orgs/acme/repos", {"per_page": 5})
    check("/users/acme/repos", {"per_page": 100})
    check("/rate_limit", walk=False)
    # every repository of the org, whatever its kind (empty, archived, fork, no admin, Actions off)
    for repo in org.repos:
        base = f"/repos/acme/{repo.name}"
        check(base)
        check(f"{base}/git/trees/{repo.default_branch}", {"recursive": "1"})
        check(f"{base}/actions/runs", {"branch": repo.default_branch, "per_page": 100})
        check(f"{base}/actions/workflows")
        check(f"{base}/deployments", {"per_page": 100})
        check(f"{base}/environments")
        check(f"{base}/releases", {"per_page": 100})
        check(f"{base}/tags", {"per_page": 100})
        check(f"{base}/branches/{repo.default_branch}/protection")
        check(f"{base}/rules/branches/{repo.default_branch}")
        check(f"{base}/pulls", {"state": "closed", "per_page": 100})
        check(f"{base}/commits", {"per_page": 100})
        if repo.commits:
            check(f"{base}/contents/", template="/repos/{owner}/{repo}/contents/{path}")
            for path in sorted(repo.files())[:4]:
                check(f"{base}/contents/{path}")
            blob = next(iter(sorted(repo.store.blobs)))
            check(f"{base}/git/blobs/{blob}")
            for d in repo.deployments[:3]:
                check(f"{base}/deployments/{d.id}/statuses")
            if repo.workflows and repo.actions_enabled:
                check(f"{base}/actions/workflows/{repo.workflows[0].id}/runs", {"per_page": 30}, walk=False)
        else:
            check(f"{base}/contents/README.md")
            check(f"{base}/git/blobs/{'0' * 40}")
    assert not failures, "\n".join(failures[:40])
    served = {tpl for tpl, _ in validated}
    expected = {p for m, p in ((m.upper(), p) for p, ops in load_spec()["paths"].items() for m in ops)
                if m == "GET" and not any(x in p for x in ("/tarball/", "/issues", "/check-runs", "/commits/{ref}/status", "/installation"))}
    # (tarball, issues, check runs, combined status are not served; the App endpoints are checked below)
    assert expected <= served, sorted(expected - served)
    assert ("/repos/{owner}/{repo}/branches/{branch}/protection", 404) in validated
    assert ("/repos/{owner}/{repo}/git/trees/{tree_sha}", 409) in validated  # the empty repository


def test_app_installation_endpoints_match_the_schemas(org):
    jwt = pytest.importorskip("jwt")
    pytest.importorskip("cryptography")
    private, public = generate_app_key()

    with FakeGitHub(org=org, app_id=4242, app_public_key=public) as gh, httpx.Client(base_url=gh.url, timeout=10) as c:
        now = int(time.time())
        token = jwt.encode({"iat": now - 60, "exp": now + 540, "iss": "4242"}, private, algorithm="RS256")
        inst = c.get("/repos/acme/flagship/installation", headers={"Authorization": f"Bearer {token}"})
        assert inst.status_code == 200
        assert response_errors("GET", "/repos/{owner}/{repo}/installation", 200, inst.json()) == []
        r = c.post(f"/app/installations/{org.installation_id}/access_tokens", headers={"Authorization": f"Bearer {token}"})
        assert r.status_code == 201
        assert response_errors("POST", "/app/installations/{installation_id}/access_tokens", 201, r.json()) == []
        itoken = r.json()["token"]
        assert itoken.startswith("ghs_")
        repos = c.get("/installation/repositories", params={"per_page": 5}, headers={"Authorization": f"token {itoken}"})
        assert repos.status_code == 200 and repos.json()["total_count"] == len(org.repo_names())
        assert response_errors("GET", "/installation/repositories", 200, repos.json()) == []
        assert "next" in links(repos)
        # a personal token is not a JWT; a JWT is not a user token; a wrong signature is refused
        assert c.post(f"/app/installations/{org.installation_id}/access_tokens", headers=AUTH).status_code == 401
        assert c.get("/repos/acme/flagship", headers={"Authorization": f"Bearer {token}"}).status_code == 403
        other, _ = generate_app_key()
        forged = jwt.encode({"iat": now - 60, "exp": now + 540, "iss": "4242"}, other, algorithm="RS256")
        bad = c.post(f"/app/installations/{org.installation_id}/access_tokens", headers={"Authorization": f"Bearer {forged}"})
        assert bad.status_code == 401 and bad.json()["message"] == "A JSON web token could not be decoded"
        too_long = jwt.encode({"iat": now, "exp": now + 3600, "iss": "4242"}, private, algorithm="RS256")
        r = c.post(f"/app/installations/{org.installation_id}/access_tokens", headers={"Authorization": f"Bearer {too_long}"})
        assert r.status_code == 401 and "too far in the future" in r.json()["message"]


# ---------------------------------------------------------------------------------------------- pagination


def test_link_header_pagination_walks_all_pages_like_github():
    org = generate_org("bigco", repos=45, seed=3, anchor=ANCHOR)
    with FakeGitHub(org=org) as gh, httpx.Client(headers=AUTH, timeout=10) as c:
        first = c.get(f"{gh.url}/orgs/bigco/repos", params={"per_page": 10, "sort": "full_name"})
        rel = links(first)
        assert set(rel) == {"next", "last"}
        assert rel["last"].endswith("per_page=10&sort=full_name&page=5")
        assert rel["next"].startswith(gh.url + "/orgs/bigco/repos?")
        middle = c.get(rel["next"])
        assert set(links(middle)) == {"prev", "next", "last", "first"}
        assert first.headers["link"].index('rel="next"') < first.headers["link"].index('rel="last"')
        names = [r["name"] for r in first.json()]
        url = rel["next"]
        while url:
            page = c.get(url)
            names += [r["name"] for r in page.json()]
            url = links(page).get("next")
        assert set(links(page)) == {"prev", "first"}
        assert names == sorted(org.repo_names()) and len(names) == 45
        # default 30 a page, 100 at most, no Link header on a single page
        assert len(c.get(f"{gh.url}/orgs/bigco/repos").json()) == 30
        big = c.get(f"{gh.url}/orgs/bigco/repos", params={"per_page": 500})
        assert len(big.json()) == 45 and "link" not in big.headers
        # the wrapped lists (Actions runs) paginate the same way, with total_count
        runs = c.get(f"{gh.url}/repos/bigco/flagship/actions/runs", params={"per_page": 100})
        total = runs.json()["total_count"]
        assert total > 100 and links(runs)["last"].endswith(f"page={-(-total // 100)}")


# ---------------------------------------------------------------------------------------------- conditional requests


def test_etag_304_is_free_and_etags_are_stable_across_restarts(org):
    with FakeGitHub(org=org) as gh, httpx.Client(base_url=gh.url, headers=AUTH, timeout=10) as c:
        first = c.get("/repos/acme/flagship/actions/runs", params={"branch": "main"})
        etag = first.headers["etag"]
        assert etag.startswith('W/"')
        points, remaining = gh.points, int(first.headers["x-ratelimit-remaining"])
        again = c.get("/repos/acme/flagship/actions/runs", params={"branch": "main"}, headers={"If-None-Match": etag})
        assert again.status_code == 304 and again.content == b""
        assert gh.points == points and gh.not_modified == 1
        assert int(again.headers["x-ratelimit-remaining"]) == remaining
        # every GET carries an ETag; Last-Modified and If-Modified-Since on single resources
        repo = c.get("/repos/acme/flagship")
        assert "etag" in repo.headers and "last-modified" in repo.headers
        assert c.get("/repos/acme/flagship", headers={"If-Modified-Since": repo.headers["last-modified"]}).status_code == 304
        for path in ("/orgs/acme/repos", "/repos/acme/flagship/git/trees/main", "/repos/acme/flagship/releases"):
            assert c.get(path).headers.get("etag")
    fresh = generate_org("acme", repos=14, seed=7, anchor=ANCHOR)
    with FakeGitHub(org=fresh) as gh2, httpx.Client(base_url=gh2.url, headers=AUTH) as c2:
        # a listing does not change when the fake builds repository details behind it (scan, then rescan)
        listing = c2.get("/orgs/acme/repos", params={"per_page": 100})
        assert all(fresh.repo(n) for n in fresh.repo_names())
        assert c2.get("/orgs/acme/repos", params={"per_page": 100}, headers={"If-None-Match": listing.headers["etag"]}).status_code == 304
        assert c2.get("/repos/acme/flagship/actions/runs", params={"branch": "main"}).headers["etag"] == etag
        # a change on GitHub changes the ETag
        before = c2.get("/repos/acme/flagship/git/trees/main", params={"recursive": 1})
        gh2.repo("acme/flagship").push({"Dockerfile": "FROM scratch\n"}, "Slim image")
        after = c2.get("/repos/acme/flagship/git/trees/main", params={"recursive": 1}, headers={"If-None-Match": before.headers["etag"]})
        assert after.status_code == 200 and after.headers["etag"] != before.headers["etag"]


# ---------------------------------------------------------------------------------------------- rate limits


def test_rate_limit_headers_count_down_and_exhaustion_is_reported_like_github(org):
    with FakeGitHub(org=org, rate_limit=5, rate_limit_window_s=1.0) as gh, httpx.Client(base_url=gh.url, headers=AUTH, timeout=10) as c:
        seen = []
        for _ in range(5):
            r = c.get("/repos/acme/flagship")
            assert r.headers["x-ratelimit-resource"] == "core" and r.headers["x-ratelimit-limit"] == "5"
            seen.append((int(r.headers["x-ratelimit-remaining"]), int(r.headers["x-ratelimit-used"])))
        assert seen == [(4, 1), (3, 2), (2, 3), (1, 4), (0, 5)]
        assert c.get("/rate_limit").json()["resources"]["core"]["remaining"] == 0  # /rate_limit is free
        over = c.get("/repos/acme/flagship")
        assert over.status_code == 403 and over.headers["x-ratelimit-remaining"] == "0"
        assert "API rate limit exceeded" in over.json()["message"]
        reset = int(over.headers["x-ratelimit-reset"])
        assert reset >= int(time.time())
        time.sleep(max(0.0, reset - time.time()) + 0.05)
        assert c.get("/repos/acme/flagship").status_code == 200
        assert gh.rest_points == 6
    with FakeGitHub(org=org, primary_limit_status=429) as gh, httpx.Client(base_url=gh.url, headers=AUTH, timeout=10) as c:
        gh.exhaust("core", reset_in_s=30)
        r = c.get("/orgs/acme/repos")
        assert r.status_code == 429 and r.headers["x-ratelimit-remaining"] == "0" and int(r.headers["retry-after"]) > 0
        gh.exhaust("graphql", reset_in_s=30)
        g = c.post(gh.graphql_url, json={"query": "{ viewer { login } }"})
        assert g.status_code == 200 and g.json()["errors"][0]["type"] == "RATE_LIMITED"
        assert g.headers["x-ratelimit-resource"] == "graphql"


def test_secondary_rate_limit_answers_403_with_retry_after(gh, client):
    points = gh.points
    gh.inject("secondary", path=r"^/repos/acme/flagship/releases", retry_after=7)
    r = client.get("/repos/acme/flagship/releases")
    assert r.status_code == 403 and r.headers["retry-after"] == "7"
    assert r.json()["message"].startswith("You have exceeded a secondary rate limit")
    assert "x-ratelimit-remaining" in r.headers
    assert gh.points == points  # not charged
    assert client.get("/repos/acme/flagship/releases").status_code == 200


# ---------------------------------------------------------------------------------------------- faults


def test_faults_burst_truncated_garbage_timeout_reset_and_latency(org):
    with FakeGitHub(org=org) as gh, httpx.Client(base_url=gh.url, headers=AUTH, timeout=10) as c:
        burst = gh.inject("status", path=r"^/repos/acme/flagship/tags", count=3, status=502)
        assert [c.get("/repos/acme/flagship/tags").status_code for _ in range(4)] == [502, 502, 502, 200]
        assert burst.hits == 3
        assert c.get("/repos/acme/flagship/releases").status_code == 200  # other paths unaffected
        gh.inject("status", path="/repos/acme/flagship$", status=500)
        assert c.get("/repos/acme/flagship").json()["message"] == "Server Error"

        gh.inject("truncated", path="/environments")
        r = c.get("/repos/acme/flagship/environments")
        assert r.status_code == 200
        with pytest.raises(json.JSONDecodeError):
            json.loads(r.content)
        gh.inject("garbage", path="/deployments")
        r = c.get("/repos/acme/flagship/deployments")
        assert r.headers["content-type"].startswith("application/json")
        with pytest.raises(json.JSONDecodeError):
            r.json()
        gh.inject("truncated", path="/pulls", transfer=True)
        with pytest.raises(httpx.RemoteProtocolError):
            c.get("/repos/acme/flagship/pulls")
        gh.inject("timeout", path="/commits", hang_s=3)
        t0 = time.monotonic()
        with pytest.raises(httpx.ReadTimeout):
            c.get("/repos/acme/flagship/commits", timeout=0.3)
        assert time.monotonic() - t0 < 2
        gh.inject("reset", path="/git/trees")
        with pytest.raises(httpx.RemoteProtocolError):
            c.get("/repos/acme/flagship/git/trees/main")
        gh.inject("secondary", path="graphql")
        assert c.post(gh.graphql_url, json={"query": "{ viewer { login } }"}).status_code == 403
        assert c.get("/repos/acme/flagship").status_code == 200  # all spent: healthy again
        assert {r.fault for r in gh.log if r.fault} == {"status", "truncated", "garbage", "timeout", "reset", "secondary"}
    with FakeGitHub(org=org, latency_ms=60) as gh, httpx.Client(base_url=gh.url, headers=AUTH) as c:
        t0 = time.monotonic()
        c.get("/repos/acme/flagship")
        assert time.monotonic() - t0 >= 0.06


def test_a_required_token_is_enforced(org):
    with FakeGitHub(org=org, token="s3cret") as gh, httpx.Client(base_url=gh.url, timeout=10) as c:
        bad = c.get("/repos/acme/flagship", headers={"Authorization": "token nope"})
        assert bad.status_code == 401 and bad.json()["message"] == "Bad credentials"
        assert c.get("/repos/acme/flagship").status_code == 401
        assert c.get("/repos/acme/flagship", headers={"Authorization": "Bearer s3cret"}).status_code == 200
    with FakeGitHub(org=org) as gh:  # GraphQL always needs a token
        assert httpx.post(gh.graphql_url, json={"query": "{ viewer { login } }"}).status_code == 401


# ---------------------------------------------------------------------------------------------- the generated org


def test_generated_org_covers_the_practices(gh, org, client):
    sp = org.special
    assert {"empty", "actions_disabled", "no_admin", "archived", "forks", "full_cd"} <= set(sp)
    listing = [r for page in _walk_pages(client, "/orgs/acme/repos", {"per_page": 100}) for r in page.json()]
    assert {r["name"] for r in listing if r["archived"]} == set(sp["archived"])
    assert {r["name"] for r in listing if r["fork"]} == set(sp["forks"])
    # the empty repository
    empty = client.get(f"/repos/acme/{sp['empty']}/contents/")
    assert empty.status_code == 404 and empty.json()["message"] == "This repository is empty."
    assert client.get(f"/repos/acme/{sp['empty']}/commits").status_code == 409
    # Actions disabled, protection without admin rights
    assert client.get(f"/repos/acme/{sp['actions_disabled']}/actions/runs").status_code == 404
    assert client.get(f"/repos/acme/{sp['no_admin']}/branches/main/protection").status_code == 404
    assert client.get(f"/repos/acme/{sp['no_admin']}").json()["permissions"]["admin"] is False
    flag = client.get("/repos/acme/flagship/branches/main/protection").json()
    assert flag["required_pull_request_reviews"]["required_approving_review_count"] == 2
    assert flag["required_status_checks"]["contexts"] == ["test", "analyze"]
    lib = next(r for r in org.repos if r.archetype == "library" and not r.fork)
    assert client.get(f"/repos/acme/{lib.name}/branches/main/protection").json()["message"] == "Branch not protected"
    assert {x["type"] for x in client.get(f"/repos/acme/{lib.name}/rules/branches/main").json()} == {"pull_request", "required_status_checks"}
    # files the detectors look for
    tree = {e["path"] for e in client.get("/repos/acme/flagship/git/trees/main", params={"recursive": 1}).json()["tree"]}
    assert {"Dockerfile", "package-lock.json", ".github/workflows/ci.yml", ".github/workflows/deploy.yml",
            ".github/workflows/release-please.yml"} <= tree
    deploy_yml = client.get("/repos/acme/flagship/contents/.github/workflows/deploy.yml").json()
    import base64

    text = base64.b64decode(deploy_yml["content"]).decode()
    assert "environment:" in text and "production" in text
    # Actions history on the default branch: successes and failures, push and pull_request events
    runs = [r for page in _walk_pages(client, "/repos/acme/flagship/actions/runs", {"per_page": 100}) for r in page.json()["workflow_runs"]]
    assert {r["event"] for r in runs} >= {"push", "pull_request", "schedule"}
    main_ci = [r for r in runs if r["head_branch"] == "main" and r["name"] == "CI"]
    assert {"success", "failure"} <= {r["conclusion"] for r in main_ci}
    flaky = next(r for r in org.repos if r.archetype == "flaky")
    flaky_concl = [r.conclusion for r in flaky.runs if r.head_branch == "main"]
    assert flaky_concl.count("failure") >= 3
    # filters: created range, status, event
    cutoff = (ANCHOR - dt.timedelta(days=30)).strftime("%Y-%m-%d")
    recent = client.get("/repos/acme/flagship/actions/runs", params={"created": f">={cutoff}", "per_page": 100}).json()
    assert recent["total_count"] and all(r["created_at"] >= cutoff for r in recent["workflow_runs"])
    failed = client.get("/repos/acme/flagship/actions/runs", params={"status": "failure", "event": "push"}).json()
    assert all(r["conclusion"] == "failure" and r["event"] == "push" for r in failed["workflow_runs"])
    # deployments and their statuses, production and staging
    deps = client.get("/repos/acme/flagship/deployments", params={"per_page": 100}).json()
    assert {"production", "staging"} <= {d["environment"] for d in deps}
    prod = client.get("/repos/acme/flagship/deployments", params={"environment": "production", "per_page": 100}).json()
    assert prod and all(d["environment"] == "production" for d in prod)
    states = set()
    for d in [x for x in org.repo("flagship").deployments][:60]:
        states |= {s.state for s in d.statuses}
    assert {"success", "failure", "inactive"} <= states
    statuses = client.get(f"/repos/acme/flagship/deployments/{prod[0]['id']}/statuses").json()
    assert statuses[0]["state"] in ("success", "failure", "inactive", "in_progress")
    envs = client.get("/repos/acme/flagship/environments").json()
    assert {e["name"] for e in envs["environments"]} == {"staging", "production"}
    # releases by a bot and by people
    bot_rel = client.get("/repos/acme/flagship/releases").json()[0]
    assert bot_rel["author"]["login"] == GITHUB_ACTIONS_BOT.login and bot_rel["author"]["type"] == "Bot"
    assert "What's Changed" in bot_rel["body"]
    svc = next(r for r in org.repos if r.archetype == "service" and r.releases)
    assert client.get(f"/repos/acme/{svc.name}/releases").json()[0]["author"]["type"] == "User"
    # merged pull requests behind default-branch commits
    pulls = client.get("/repos/acme/flagship/pulls", params={"state": "closed", "base": "main", "per_page": 100}).json()
    merged = {p["merge_commit_sha"] for p in pulls if p["merged_at"]}
    commits = client.get("/repos/acme/flagship/commits", params={"per_page": 100}).json()
    assert sum(c["sha"] in merged for c in commits) >= len(commits) * 0.7
    since = (ANCHOR - dt.timedelta(days=10)).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert all(c["commit"]["committer"]["date"] >= since for c in client.get("/repos/acme/flagship/commits", params={"since": since}).json())


def test_generation_is_deterministic_and_git_ids_are_real(tmp_path):
    a = generate_org("acme", repos=8, seed=11, anchor=ANCHOR)
    b = generate_org("acme", repos=8, seed=11, anchor=ANCHOR)
    c = generate_org("acme", repos=8, seed=12, anchor=ANCHOR)
    ra, rb = a.repo("flagship"), b.repo("flagship")
    assert [x.sha for x in ra.commits] == [x.sha for x in rb.commits]
    assert [x.id for x in ra.runs] == [x.id for x in rb.runs]
    assert a.repo_names() == b.repo_names() != c.repo_names()
    # blob and tree ids are what git computes
    import hashlib

    readme = ra.files()["README.md"]
    sha = next(i.sha for p, i in ra.store.walk(ra.head.tree, True) if p == "README.md")
    assert sha == hashlib.sha1(b"blob %d\0" % len(readme) + readme).hexdigest()
    # the tree ids are the ones git itself computes for the same files (modes included)
    import os
    import subprocess

    for repo in (ra, a.repo("old-monolith")):
        root = tmp_path / repo.name
        for path, content in repo.files().items():
            target = root / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(content)
            if path.endswith(".sh") or path.endswith("mvnw"):
                os.chmod(target, 0o755)
        subprocess.run(["git", "init", "-q", str(root)], check=True)
        subprocess.run(["git", "-C", str(root), "add", "-A"], check=True)
        tree = subprocess.run(["git", "-C", str(root), "write-tree"], check=True, capture_output=True, text=True).stdout.strip()
        assert tree == repo.head.tree


# ---------------------------------------------------------------------------------------------- GraphQL

BATCH = """
query Batch($since: GitTimestamp!, $n: Int!) {
  rateLimit { cost remaining resetAt used limit nodeCount }
  r0: repository(owner: "acme", name: "flagship") { ...Repo }
  r1: repository(owner: "acme", name: "no-admin") { ...Repo }
  r2: repository(owner: "acme", name: "empty-repo") { ...Repo }
  r3: repository(owner: "acme", name: "actions-disabled") { ...Repo }
  r4: repository(owner: "acme", name: "old-monolith") { ...Repo }
  missing: repository(owner: "acme", name: "does-not-exist") { name }
}
fragment Repo on Repository {
  nameWithOwner isArchived isFork isEmpty viewerPermission
  defaultBranchRef {
    name
    target { oid ... on Commit { history(first: $n, since: $since) { totalCount nodes { oid committedDate
      associatedPullRequests(first: 1) { nodes { number merged } } } } } }
    branchProtectionRule { requiredApprovingReviewCount requiredStatusCheckContexts }
  }
  dockerfile: object(expression: "HEAD:Dockerfile") { ... on Blob { text byteSize isBinary } }
  workflows: object(expression: "HEAD:.github/workflows") { ... on Tree { entries { name path type object { ... on Blob { byteSize } } } } }
}
"""


def test_graphql_batches_repositories_with_aliases_and_charges_the_documented_cost(gh, client):
    assert validate_against_github_schema(BATCH, {"since": "2025-01-01T00:00:00Z", "n": 100}) == []
    before = gh.graphql_points
    r = client.post(gh.graphql_url, json={"query": BATCH, "variables": {"since": "2025-01-01T00:00:00Z", "n": 100}})
    body = r.json()
    assert r.status_code == 200 and r.headers["x-ratelimit-resource"] == "graphql"
    data = body["data"]
    # 5 repositories x (history: 1 request + associatedPullRequests: 100 requests) = 505 -> 5 points
    assert data["rateLimit"]["cost"] == 5 and gh.graphql_points - before == 5
    assert data["rateLimit"]["remaining"] == int(r.headers["x-ratelimit-remaining"])
    flag = data["r0"]
    hist = flag["defaultBranchRef"]["target"]["history"]
    assert hist["totalCount"] == len(hist["nodes"]) or len(hist["nodes"]) == 100
    assert any(n["associatedPullRequests"]["nodes"] for n in hist["nodes"])
    assert flag["dockerfile"]["text"].startswith("FROM ")
    assert {e["path"] for e in flag["workflows"]["entries"]} >= {".github/workflows/ci.yml", ".github/workflows/deploy.yml"}
    assert flag["defaultBranchRef"]["branchProtectionRule"]["requiredApprovingReviewCount"] == 2
    assert data["r1"]["viewerPermission"] == "READ" and data["r1"]["defaultBranchRef"]["branchProtectionRule"] is None
    assert data["r2"]["isEmpty"] is True and data["r2"]["defaultBranchRef"] is None
    assert data["r4"]["isArchived"] is True
    assert data["missing"] is None
    assert body["errors"] == [{"type": "NOT_FOUND", "path": ["missing"], "locations": [{"line": 9, "column": 3}],
                               "message": "Could not resolve to a Repository with the name 'acme/does-not-exist'."}]
    assert gh.internal_errors == []


def test_graphql_org_listing_releases_deployments_and_limits(gh, client):
    q = """
    query($org: String!, $after: String) {
      organization(login: $org) {
        repositories(first: 5, after: $after, orderBy: {field: NAME, direction: ASC}) {
          totalCount pageInfo { hasNextPage endCursor }
          nodes { name isArchived isFork
            releases(first: 3, orderBy: {field: CREATED_AT, direction: DESC}) { nodes { tagName author { login } } }
            deployments(first: 5, environments: ["production"], orderBy: {field: CREATED_AT, direction: DESC}) {
              nodes { environment state commitOid statuses(first: 3) { nodes { state } } } }
            branchProtectionRules(first: 5) { nodes { pattern requiredApprovingReviewCount } }
            rulesets(first: 5) { nodes { name rules(first: 10) { nodes { type
              parameters { ... on PullRequestParameters { requiredApprovingReviewCount } } } } } }
          }
        }
      }
    }"""
    assert validate_against_github_schema(q) == []
    names, after = [], None
    while True:
        body = client.post(gh.graphql_url, json={"query": q, "variables": {"org": "acme", "after": after}}).json()
        conn = body["data"]["organization"]["repositories"]
        names += [n["name"] for n in conn["nodes"]]
        if not conn["pageInfo"]["hasNextPage"]:
            break
        after = conn["pageInfo"]["endCursor"]
    assert names == sorted(names) and len(names) == conn["totalCount"]
    # errors GitHub gives before running a query, charging nothing
    points = gh.graphql_points
    no_first = client.post(gh.graphql_url, json={"query": '{ repository(owner:"acme", name:"flagship") { releases { totalCount } } }'}).json()
    assert no_first["errors"][0]["type"] == "MISSING_PAGINATION_BOUNDARIES"
    too_many = client.post(gh.graphql_url, json={"query": '{ repository(owner:"acme", name:"flagship") { releases(first: 101) { totalCount } } }'}).json()
    assert too_many["errors"][0]["type"] == "EXCESSIVE_PAGINATION"
    invalid = client.post(gh.graphql_url, json={"query": '{ repository(owner:"acme", name:"flagship") { noSuchField } }'}).json()
    assert "noSuchField" in invalid["errors"][0]["message"] and "data" not in invalid
    assert gh.graphql_points == points
    # the real schema rejects the same mistakes
    assert validate_against_github_schema('{ repository(owner:"a", name:"b") { noSuchField } }')
    assert validate_against_github_schema('query($x: Int!) { viewer { login } }')  # unused variable


def test_the_fake_graphql_schema_is_a_faithful_subset_of_githubs():
    """Every type, field, argument and enum value of the fake's SDL exists in GitHub's real
    schema with the same type, and the committed SDL is what the generator produces."""
    from fakes.build_graphql_subset import SUBSET_PATH, build_subset_sdl
    from fakes.github_graphql import fake_schema
    from fakes.graphql_schema import github_schema
    from graphql import GraphQLEnumType, GraphQLInputObjectType, GraphQLInterfaceType, GraphQLObjectType

    real, fake = github_schema(), fake_schema()
    for name, t in fake.type_map.items():
        if name.startswith("__"):
            continue
        rt = real.type_map[name]
        assert type(rt) is type(t), name
        if isinstance(t, (GraphQLObjectType, GraphQLInterfaceType, GraphQLInputObjectType)):
            for fname, f in t.fields.items():
                assert str(rt.fields[fname].type) == str(f.type), f"{name}.{fname}"
                for aname, a in getattr(f, "args", {}).items():
                    assert str(rt.fields[fname].args[aname].type) == str(a.type), f"{name}.{fname}({aname})"
        if isinstance(t, GraphQLEnumType):
            assert set(t.values) == set(rt.values), name
    from graphql import build_schema, print_schema

    committed = build_schema(SUBSET_PATH.read_text(encoding="utf-8"))
    assert print_schema(committed) == print_schema(build_schema(build_subset_sdl(real)))


# ---------------------------------------------------------------------------------------------- replay


def test_replayed_recorded_runs_parse_and_match_todays_schema(gh, client):
    recorded = load_recorded_runs()
    pages = _walk_pages(client, "/repos/panjf2000/ants/actions/runs", {"per_page": 20})
    served = [r for p in pages for r in p.json()["workflow_runs"]]
    assert len(pages) == 2 and len(served) == len(recorded) == 35
    assert pages[0].json()["total_count"] == 35
    for run in served:
        assert response_errors("GET", "/repos/{owner}/{repo}/actions/runs", 200, {"total_count": 1, "workflow_runs": [run]}) == []
    by_id = {r["id"]: r for r in recorded}
    for run in served:  # verbatim, plus display_title that GitHub added to the object since
        original = by_id[run["id"]]
        assert {k: v for k, v in run.items() if k != "display_title"} == original
    assert [r["created_at"] for r in served] == sorted((r["created_at"] for r in served), reverse=True)
    master = client.get("/repos/panjf2000/ants/actions/runs", params={"branch": "master", "event": "push"}).json()
    assert master["total_count"] == 3 and {r["conclusion"] for r in master["workflow_runs"]} == {"success", "failure", None}
    shifted = replay_org(shift_to=ANCHOR)
    newest = max(r.created_at for r in shifted.repo("ants").runs)
    assert newest == ANCHOR


# ---------------------------------------------------------------------------------------------- real clients


def test_pygithub_drives_the_fake(org):
    pytest.importorskip("github")
    from github import Auth, Github, GithubException, UnknownObjectException

    with FakeGitHub(org=org) as gh:
        g = Github(base_url=gh.url, auth=Auth.Token("t"), per_page=5, retry=None, seconds_between_requests=0,
                   seconds_between_writes=0)
        acme = g.get_organization("acme")
        names = [r.name for r in acme.get_repos()]
        assert sorted(names) == sorted(org.repo_names())
        assert sum(1 for r in gh.log if r.path == "/orgs/acme/repos") == -(-len(names) // 5)  # several pages
        repo = g.get_repo("acme/flagship")
        assert repo.default_branch == "main" and repo.archived is False
        assert b'"name": "flagship"' in repo.get_contents("package.json").decoded_content
        assert {c.path for c in repo.get_contents(".github/workflows")} >= {".github/workflows/ci.yml"}
        tree = repo.get_git_tree("main", recursive=True)
        assert any(e.path == "Dockerfile" for e in tree.tree)
        prot = repo.get_branch("main").get_protection()
        assert prot.required_pull_request_reviews.required_approving_review_count == 2
        with pytest.raises(UnknownObjectException):
            g.get_repo("acme/no-admin").get_branch("main").get_protection()
        runs = repo.get_workflow_runs(branch="main", event="push")
        assert runs.totalCount > 0 and runs[0].head_branch == "main"
        deps = list(repo.get_deployments(environment="production")[:3])
        assert deps and list(deps[0].get_statuses())
        rel = repo.get_releases()[0]
        assert rel.author.login == "github-actions[bot]" and rel.author.type == "Bot"
        assert any(p.merged_at for p in repo.get_pulls(state="closed", base="main")[:10])
        with pytest.raises(GithubException) as exc:
            g.get_repo("acme/actions-disabled").get_workflow_runs().totalCount
        assert exc.value.status == 404
        gh.inject("secondary", path="/releases", retry_after=1)
        with pytest.raises(GithubException) as exc:
            repo.get_releases()[0]
        assert exc.value.status == 403 and "secondary rate limit" in str(exc.value)
        rl = g.get_rate_limit()
        assert rl.resources.core.limit == 5000 and rl.resources.core.remaining < 5000


def test_pygithub_app_auth_gets_an_installation_token(org):
    pytest.importorskip("github")
    from github import Auth, Github

    private, public = generate_app_key()
    with FakeGitHub(org=org, app_id=777, app_public_key=public, token="never-used") as gh:
        app = Auth.AppAuth(777, private.decode())
        inst = app.get_installation_auth(org.installation_id)
        g = Github(base_url=gh.url, auth=inst, retry=None, seconds_between_requests=0)
        assert g.get_repo("acme/flagship").name == "flagship"
        assert any(r.path.startswith("/app/installations/") and r.status == 201 for r in gh.log)
