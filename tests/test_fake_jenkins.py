"""The fake Jenkins (tests/fakes/jenkins.py) is held to Jenkins' real payloads (DevLake's recorded builds and jobs,
tests/fixtures/jenkins/) and driven with the real client, python-jenkins.  All traffic goes to 127.0.0.1."""

from __future__ import annotations

import base64
import datetime as dt
import json
import time
import urllib.error
import urllib.request
from urllib.parse import quote, urlsplit

import pytest

jenkins = pytest.importorskip("jenkins")
from defusedxml import ElementTree  # noqa: E402
from fakes.jenkins import FakeJenkins, TreeError, generate_server, parse_tree, prune, replay_server  # noqa: E402
from fakes.jenkins_data import SAMPLES, load_recorded  # noqa: E402
from fakes.served import json_types  # noqa: E402

ANCHOR = dt.datetime(2025, 6, 2, tzinfo=dt.timezone.utc)
USER, TOKEN = "ci", "11aa22bb33cc"
BUILDS_TREE = ("builds[number,url,result,timestamp,duration,building,actions[_class,causes[_class,shortDescription,userId,userName,"
               "upstreamProject,upstreamBuild],lastBuiltRevision[SHA1,branch[name]],remoteUrls,parameters[name,value]]]")
SPECIAL = ["platform/team-a/services/billing-build", "api-build", "gitlab-build", "nightly", "webhook-build", "after-api", "pr-builder",
           "inline-pipeline", "scm-pipeline", "apps/shop/main", "apps/shop/feature-1", "deploy-production", "release-train", "image-push"]


@pytest.fixture(scope="module")
def fake():
    with FakeJenkins(server=generate_server(jobs=300, seed=3, anchor=ANCHOR), user=USER, token=TOKEN) as jk:
        yield jk


@pytest.fixture()
def server(fake):
    fake.clear_faults()
    fake.reset_counters()
    return jenkins.Jenkins(fake.url, USER, TOKEN, timeout=10, retries=0)


def get(fake, path: str, auth: bool = True) -> tuple[int, dict, bytes]:
    headers = {"Authorization": "Basic " + base64.b64encode(f"{USER}:{TOKEN}".encode()).decode()} if auth else {}
    try:
        with urllib.request.urlopen(urllib.request.Request(fake.url.rstrip("/") + path, headers=headers), timeout=10) as r:
            return r.status, dict(r.headers), r.read()
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers), e.read()


def builds_of(server, full_name: str, tree: str = BUILDS_TREE + "{0,100}") -> list[dict]:
    item = "".join(f"job/{p}/" for p in full_name.split("/")).rstrip("/")
    return server.get_info(item, query="?tree=" + tree)["builds" if tree.startswith("builds") else "allBuilds"]


def test_tree_grammar():
    assert parse_tree("a,b[c,d[e]]{0,10},f{3}") == {"a": (None, None), "b": ({"c": (None, None), "d": ({"e": (None, None)}, None)}, (0, 10)),
                                                    "f": (None, (3, 4))}
    assert parse_tree("x[*]{5,}")["x"] == ({"*": (None, None)}, (5, None)) and parse_tree("x{,2}")["x"] == (None, (None, 2))
    for bad in ("a[b", "a]", "a{1", "", "a,,b"):
        with pytest.raises(TreeError):
            parse_tree(bad)
    data = {"_class": "K", "a": 1, "b": [{"_class": "C", "c": i, "d": {"e": 2, "f": 3}} for i in range(5)], "g": {"_class": "G", "h": 1}}
    assert prune(data, parse_tree("b[d[e]]{1,3},g")) == {"_class": "K", "b": [{"_class": "C", "d": {"e": 2}}] * 2, "g": {"_class": "G"}}
    assert prune(data, parse_tree("b[c]{3}")) == {"_class": "K", "b": [{"_class": "C", "c": 3}]}
    assert prune(data, parse_tree("b[*]{,1}"))["b"] == [{"_class": "C", "c": 0, "d": {}}]


def test_info_crumb_and_whoami(fake, server):
    with pytest.raises(jenkins.BadHTTPException):  # python-jenkins sends no credentials until a first jenkins_open resolves them
        server.get_version()
    assert server.get_whoami()["id"] == USER and server.get_version() == "2.440.3"
    status, headers, body = get(fake, "/api/json")
    assert status == 200 and headers["X-Jenkins"] == "2.440.3" and headers["Content-Type"].startswith("application/json")
    root = json.loads(body)
    assert root["_class"] == "hudson.model.Hudson" and root["useCrumbs"] is True and {"name", "url", "color"} >= set(root["jobs"][1]) - {"_class"}
    crumb = json.loads(get(fake, "/crumbIssuer/api/json")[2])
    assert crumb["_class"] == "hudson.security.csrf.DefaultCrumbIssuer" and crumb["crumbRequestField"] == "Jenkins-Crumb"
    assert len(crumb["crumb"]) == 64 and int(crumb["crumb"], 16) >= 0
    who = json.loads(get(fake, "/whoAmI/api/json")[2])
    assert who["name"] == USER and who["authenticated"] is True and server.get_whoami()["id"] == USER
    assert get(fake, "/whoAmI/api/json", auth=False)[1]["X-Jenkins"] == "2.440.3"


def test_all_jobs_in_one_request(fake, server):
    jobs = server.get_all_jobs(folder_depth_per_request=10)
    assert [r.path for r in fake.log] == ["/crumbIssuer/api/json", "/api/json"]  # the crumb, then ONE tree request
    names = {j["fullname"]: j for j in jobs}
    assert set(SPECIAL) <= set(names)
    assert {"platform", "platform/team-a", "platform/team-a/services", "apps", "apps/shop"} <= set(names)
    assert names["platform/team-a/services"]["_class"] == "com.cloudbees.hudson.plugins.folder.Folder" and "color" not in names["platform"]
    assert names["apps/shop"]["_class"] == "org.jenkinsci.plugins.workflow.multibranch.WorkflowMultiBranchProject"
    assert names["apps/shop/main"]["_class"] == "org.jenkinsci.plugins.workflow.job.WorkflowJob"
    assert names["platform/team-a/services/billing-build"]["url"] == fake.url + "job/platform/job/team-a/job/services/job/billing-build/"
    leaves = [j for j in jobs if "jobs" not in j]
    assert len(leaves) == 300 and max(j["fullname"].count("/") for j in leaves) == 4
    assert all(j["color"] in ("blue", "red", "yellow", "aborted", "notbuilt", "blue_anime", "red_anime") for j in leaves)


def test_folder_depth_beyond_request_gives_class_only(fake, server):
    fake.reset_counters()
    got = server.get_info(query="?tree=jobs[name,url,jobs[name,url,jobs]]")
    platform = next(j for j in got["jobs"] if j["name"] == "platform")
    assert platform["jobs"] == [{"_class": "com.cloudbees.hudson.plugins.folder.Folder", "name": "team-a", "url": fake.url + "job/platform/job/team-a/",
                                 "jobs": [{"_class": "com.cloudbees.hudson.plugins.folder.Folder"}]}]
    jobs = server.get_all_jobs(folder_depth_per_request=1)  # python-jenkins then asks each folder in turn
    assert "platform/team-a/services/billing-build" in {j["fullname"] for j in jobs}
    assert any(r.path == "/job/platform/job/team-a/api/json" for r in fake.log)
    sub = server.get_info("job/platform/job/team-a", query="?tree=jobs[name,_class,jobs[name]]")
    assert sub["jobs"][0]["jobs"] == [{"_class": "hudson.model.FreeStyleProject", "name": "billing-build"}]


def test_builds_in_one_request_with_ranges(fake, server):
    b = builds_of(server, "platform/team-a/services/billing-build")
    assert len(fake.log) == 2 and len(b) == 40
    assert [x["number"] for x in b] == list(range(40, 0, -1)) and all(x["timestamp"] < ANCHOR.timestamp() * 1000 for x in b)
    assert b[0]["timestamp"] > b[-1]["timestamp"] > (ANCHOR - dt.timedelta(days=121)).timestamp() * 1000
    first = b[0]
    assert set(first) == {"_class", "number", "url", "result", "timestamp", "duration", "building", "actions"}
    causes = [c for a in first["actions"] for c in a.get("causes", [])]
    assert causes == [{"_class": "hudson.triggers.SCMTrigger$SCMTriggerCause", "shortDescription": "Started by an SCM change"}]
    data = next(a for a in first["actions"] if a.get("_class") == "hudson.plugins.git.util.BuildData")
    assert data["remoteUrls"] == ["git@github.com:acme/billing.git"] and data["lastBuiltRevision"]["branch"] == [{"name": "refs/remotes/origin/main"}]
    assert {} in first["actions"]
    results = [x["result"] for x in reversed(b)]
    assert "FAILURE" in results and any(results[i] == "FAILURE" and results[i + 1] == "SUCCESS" for i in range(len(results) - 1))
    assert [x["number"] for x in builds_of(server, "platform/team-a/services/billing-build", BUILDS_TREE + "{5,8}")] == [35, 34, 33]
    assert [x["number"] for x in builds_of(server, "platform/team-a/services/billing-build", BUILDS_TREE + "{38,}")] == [2, 1]
    assert [x["number"] for x in builds_of(server, "platform/team-a/services/billing-build", "builds[number]{2}")] == [38]
    # builds is the newest 100, allBuilds all of them
    job = fake.job("nightly")
    many = [dict(job.builds[0], number=n, url=f"__BASE__/job/nightly/{n}/") for n in range(150, 0, -1)]
    old, job.builds = job.builds, many
    try:
        assert len(builds_of(server, "nightly", "builds[number]")) == 100
        assert len(builds_of(server, "nightly", "allBuilds[number]")) == 150
        assert [x["number"] for x in builds_of(server, "nightly", "allBuilds[number]{100,200}")][:2] == [50, 49]
    finally:
        job.builds = old


def test_special_job_builds(fake, server):
    def causes(name: str) -> set[str]:
        return {c["_class"] for x in builds_of(server, name) for a in x["actions"] for c in a.get("causes", [])}

    assert causes("api-build") == {"com.cloudbees.jenkins.GitHubPushCause"}
    assert causes("nightly") == {"hudson.triggers.TimerTrigger$TimerTriggerCause"}
    assert causes("after-api") == {"hudson.model.Cause$UpstreamCause"}
    up = next(c for x in builds_of(server, "after-api") for a in x["actions"] for c in a.get("causes", []))
    assert up["upstreamProject"] == "api-build" and isinstance(up["upstreamBuild"], int)
    assert causes("apps/shop/main") <= {"jenkins.branch.BranchEventCause", "jenkins.branch.BranchIndexingCause"}
    shop = builds_of(server, "apps/shop/main")
    assert any(c["shortDescription"] == "Push event to branch main" for x in shop for a in x["actions"] for c in a.get("causes", []))
    assert {u for x in shop for a in x["actions"] for u in a.get("remoteUrls", [])} == {"git@github.com:acme/shop.git"}
    assert {u for x in builds_of(server, "api-build") for a in x["actions"] for u in a.get("remoteUrls", [])} == {"https://github.com/acme/flagship.git"}
    deploys = builds_of(server, "deploy-production")
    assert causes("deploy-production") == {"hudson.model.Cause$UserIdCause"}
    params = [a["parameters"] for x in deploys for a in x["actions"] if a.get("_class") == "hudson.model.ParametersAction"]
    assert len(params) == len(deploys) and {p["name"] for ps in params for p in ps} == {"VERSION", "TARGET"}
    results = [x["result"] for x in reversed(deploys)]
    assert results.count("FAILURE") == 1 and results[results.index("FAILURE") + 1] == "SUCCESS"


def test_config_xml_parses(fake, server):
    def root(name: str):
        return ElementTree.fromstring(server.get_job_config(name).encode())

    billing = root("platform/team-a/services/billing-build")
    assert billing.find("triggers/hudson.triggers.SCMTrigger/spec").text == "*/15 * * * *"
    assert billing.find("scm/userRemoteConfigs/hudson.plugins.git.UserRemoteConfig/url").text == "git@github.com:acme/billing.git"
    assert root("api-build").find("triggers/com.cloudbees.jenkins.GitHubPushTrigger") is not None
    gl = root("gitlab-build")
    assert gl.find("triggers/com.dabsquared.gitlabjenkins.GitLabPushTrigger") is not None
    assert gl.find(".//hudson.plugins.git.UserRemoteConfig/url").text == "https://gitlab.example.com/acme/flagship.git"
    assert root("nightly").find("triggers/hudson.triggers.TimerTrigger/spec").text
    assert root("webhook-build").find("triggers/org.jenkinsci.plugins.gwt.GenericTrigger") is not None
    assert root("after-api").find("triggers/jenkins.triggers.ReverseBuildTrigger/upstreamProjects").text == "api-build"
    assert root("pr-builder").find("triggers/org.jenkinsci.plugins.ghprb.GhprbTrigger") is not None
    inline = root("inline-pipeline")
    assert inline.tag == "flow-definition" and inline.find("definition").get("class") == "org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition"
    assert "pollSCM('H/5 * * * *')" in inline.find("definition/script").text
    scm = root("scm-pipeline").find("definition")
    assert scm.get("class") == "org.jenkinsci.plugins.workflow.cps.CpsScmFlowDefinition" and scm.find("scriptPath").text == "Jenkinsfile"
    assert scm.find(".//url").text == "git@github.com:acme/billing.git"
    shop = root("apps/shop")
    assert shop.tag == "org.jenkinsci.plugins.workflow.multibranch.WorkflowMultiBranchProject"
    assert shop.find(".//source/remote").text == "https://github.com/acme/shop.git"
    trig = shop.find("triggers/com.cloudbees.hudson.plugins.folder.computed.PeriodicFolderTrigger")
    assert trig.find("spec").text == "H/15 * * * *" and trig.find("interval").text == "900000"
    params = root("deploy-production").find("properties/hudson.model.ParametersDefinitionProperty/parameterDefinitions")
    assert [p.find("name").text for p in params] == ["VERSION", "TARGET"]
    assert [s.text for s in params.find("hudson.model.ChoiceParameterDefinition/choices/a")] == ["staging", "production"]
    for j in fake.server.walk():  # every config.xml (samples included) is well-formed
        ElementTree.fromstring(j.config.encode())
    for f in SAMPLES.glob("*.xml"):
        ElementTree.fromstring(f.read_bytes())
    status, headers, _ = get(fake, "/job/api-build/config.xml")
    assert status == 200 and "xml" in headers["Content-Type"]


def test_not_found(fake, server):
    with pytest.raises(jenkins.NotFoundException):
        server.get_job_config("no-such-job")
    with pytest.raises(jenkins.NotFoundException):
        server.get_job_config("platform/nope/billing-build")
    status, headers, body = get(fake, "/job/nope/api/json")
    assert status == 404 and headers["Content-Type"].startswith("text/html") and b"Not Found" in body


def test_basic_auth_required(fake):
    assert get(fake, "/api/json", auth=False)[0] == 401
    bad = jenkins.Jenkins(fake.url, USER, "wrong", timeout=5, retries=0)
    with pytest.raises(jenkins.JenkinsException):
        bad.get_info()
    with pytest.raises(jenkins.JenkinsException):
        jenkins.Jenkins(fake.url, timeout=5, retries=0).get_all_jobs()
    assert {r.status for r in fake.log[-3:]} == {401}


def test_faults(fake, server):
    fake.inject("status", path=r"/job/api-build/", status=503)
    with pytest.raises(jenkins.JenkinsException):  # requests' HTTPError for 503 (not 401/403/500)
        server.get_info("job/api-build")
    assert server.get_info("job/api-build")["name"] == "api-build"  # count=1: the next one passes
    fake.inject("status", path=r"^/api/json", status=500)
    with pytest.raises(jenkins.JenkinsException):
        server.get_info()
    fake.inject("403", path=r"config\.xml")
    with pytest.raises(jenkins.JenkinsException, match="403"):
        server.get_job_config("api-build")
    fake.inject("401", path=r"^/api/json")
    with pytest.raises(jenkins.JenkinsException, match="401"):
        server.get_info()
    fake.inject("garbage", path=r"^/api/json")
    with pytest.raises(jenkins.JenkinsException, match="Could not parse JSON"):
        server.get_info()
    fake.inject("slow", path=r"^/api/json", delay_s=0.3)
    t0 = time.monotonic()
    assert server.get_info()["_class"] == "hudson.model.Hudson" and time.monotonic() - t0 >= 0.3
    fake.inject("slow", path=r"^/api/json", delay_s=1.0)
    quick = jenkins.Jenkins(fake.url, USER, TOKEN, timeout=0.3, retries=0)
    quick.crumb = False
    with pytest.raises(jenkins.TimeoutException):
        quick.get_info()
    kinds = [r.fault for r in fake.log if r.fault]  # the timed-out request is logged when its delay is over
    assert kinds[:6] == ["status", "status", "403", "401", "garbage", "slow"]
    assert not fake.internal_errors
    with pytest.raises(ValueError):
        fake.inject("teapot")




def _with_building(query: str) -> str:
    """DevLake's recorded rows of one job carry ``building`` although their query does not ask for it (hand-edited test data)."""
    return query if "building" in query else query.replace("allBuilds%5Bnumber", "allBuilds%5Bbuilding%2Cnumber")


def test_payloads_match_recorded_jenkins(fake, server):
    """Every key a real build / job payload has is in the fake's (asked with the very same ``tree``), with the same JSON type."""
    errors = set()
    for kind, names in (("builds", ["deploy-production", "platform/team-a/services/billing-build", "scm-pipeline"]),
                        ("builds_multibranch", ["apps/shop/main", "apps/shop/feature-1"]),
                        ("jobs_multibranch", ["apps/shop"])):
        rows = load_recorded(kind)
        mine: dict[str, set[str]] = {}
        for query in {_with_building(urlsplit(r["url"]).query) for r in rows}:
            for name in names:
                path = "".join(f"/job/{quote(p)}" for p in name.split("/")) + "/api/json?" + query
                got = json.loads(get(fake, path)[2])
                for x in got["jobs" if kind.startswith("jobs") else "allBuilds"]:
                    json_types(x, "", mine)
        for rec in rows:
            for where, types in json_types(rec["data"], "", {}).items():
                if where not in mine:
                    errors.add(f"{kind}{where}: missing")
                elif types - {"null"} - mine[where]:
                    errors.add(f"{kind}{where}: real {sorted(types)} vs fake {sorted(mine[where])}")
    assert not sorted(errors), "\n".join(sorted(errors))


def test_replay_serves_recorded_builds_verbatim():
    with FakeJenkins(server=replay_server()) as jk:
        server = jenkins.Jenkins(jk.url, timeout=10, retries=0)
        names = {j["fullname"] for j in server.get_all_jobs()}
        assert {"devlake", "dir-test/pipeline-test", "pipeline-test2", "github_org/devlake-jenkins/main",
                "github_org/devlake-jenkins/feature-1", "github_org/devlake-jenkins/PR-2"} <= names
        for kind in ("builds", "builds_multibranch"):
            for rec in load_recorded(kind):
                url = urlsplit(rec["url"])
                got = json.loads(get(jk, url.path + "?" + _with_building(url.query))[2])["allBuilds"]
                assert rec["data"] in got
        jobs = load_recorded("jobs_multibranch")
        url = urlsplit(jobs[0]["url"])
        got = json.loads(get(jk, url.path + "?" + url.query)[2])["jobs"]
        for rec in jobs:
            mine = next(j for j in got if j["name"] == rec["data"]["name"])
            assert {k: v for k, v in mine.items() if k != "url"} == {k: v for k, v in rec["data"].items() if k != "url"}
            assert mine["url"] == jk.url + "job/github_org/job/devlake-jenkins/job/" + rec["data"]["name"] + "/"


def test_generate_is_deterministic_and_quick():
    t0 = time.monotonic()
    big = generate_server(jobs=1000, seed=1, anchor=ANCHOR)
    assert len(big.leaf_jobs()) == 1000 and time.monotonic() - t0 < 5
    again = generate_server(jobs=1000, seed=1, anchor=ANCHOR)
    assert [j.full_name for j in big.walk()] == [j.full_name for j in again.walk()]
    assert big.leaf_jobs()[500].builds == again.leaf_jobs()[500].builds
    assert all(0 <= len(j.builds) <= 60 for j in big.leaf_jobs()[14:])
    assert {j.full_name for j in generate_server(jobs=0).leaf_jobs()} == set(SPECIAL)
