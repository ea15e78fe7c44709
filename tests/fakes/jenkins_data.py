"""Data for the fake Jenkins (fakes.jenkins): folders, jobs, their config.xml and builds as Jenkins' Remote Access
API JSON (Stapler's ``api/json``), with Jenkins' own class names and JSON types (held to DevLake's recorded
payloads in tests/fixtures/jenkins/).

Every URL inside the payloads starts with ``__BASE__/``; the server replaces it with its own address.

``generate_server(jobs=N, seed=1, anchor=None)`` builds a deterministic instance whose special jobs (always
present, whatever N) are::

    platform/team-a/services/billing-build   freestyle, SCMTrigger (jjb-pollscm001.xml), git@github.com:acme/billing.git
    api-build                                 freestyle, GitHubPushTrigger, https://github.com/acme/flagship.git
    gitlab-build                              freestyle, GitLabPushTrigger (jjb-gitlab001.xml), https://gitlab.example.com/acme/flagship.git
    nightly                                   freestyle, TimerTrigger + ParameterizedTimerTrigger (jjb-parameterized-timer001.xml)
    webhook-build                             freestyle, GenericTrigger (jjb-generic-webhook-trigger-full.xml)
    after-api                                 freestyle, ReverseBuildTrigger upstream api-build (jjb-reverse.xml)
    pr-builder                                freestyle, GhprbTrigger (jjb-github-pull-request-minimal.xml)
    inline-pipeline                           WorkflowJob, CpsFlowDefinition, declarative triggers { pollSCM(...) }
    scm-pipeline                              WorkflowJob, CpsScmFlowDefinition git@github.com:acme/billing.git, Jenkinsfile
    apps/shop                                 WorkflowMultiBranchProject (https://github.com/acme/shop.git, PeriodicFolderTrigger)
    apps/shop/main, apps/shop/feature-1       its branch jobs (WorkflowJob, BranchEventCause)
    deploy-production                         freestyle, parameters VERSION (string) / TARGET (choice), UserIdCause
    release-train                             freestyle, UserIdCause
    image-push                                freestyle (not a deploy)

The rest (``jobs`` counts leaf jobs, not folders) are ``svc-NNNN`` freestyle/pipeline jobs in folders ``grp-K``
nested up to 4 levels, cycling through the trigger kinds, with 0-60 builds over the 120 days before ``anchor``
(generated lazily, per job, on first access).  ``replay_server()`` serves DevLake's recorded builds verbatim.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import json
import random
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit
from xml.sax.saxutils import escape

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "jenkins"
SAMPLES = FIXTURES / "config-xml"
BASE = "__BASE__"

FREESTYLE = "hudson.model.FreeStyleProject"
FREESTYLE_BUILD = "hudson.model.FreeStyleBuild"
WORKFLOW = "org.jenkinsci.plugins.workflow.job.WorkflowJob"
WORKFLOW_RUN = "org.jenkinsci.plugins.workflow.job.WorkflowRun"
FOLDER = "com.cloudbees.hudson.plugins.folder.Folder"
MULTIBRANCH = "org.jenkinsci.plugins.workflow.multibranch.WorkflowMultiBranchProject"
FOLDERISH = (FOLDER, MULTIBRANCH)

USERS = (("alice", "Alice Liddell"), ("bob", "Bob Builder"), ("carol", "Carol Danvers"))
TRIGGER_KINDS = ("scm", "github", "gitlab", "timer", "webhook", "reverse", "ghprb", "pipeline-inline", "pipeline-scm", "none")


def _sha(*parts: object) -> str:
    return hashlib.sha1("/".join(map(str, parts)).encode()).hexdigest()


def sample(name: str) -> str:
    return (SAMPLES / name).read_text()


def sample_triggers(name: str) -> str:
    """The ``<triggers ...>...</triggers>`` element of a jenkins-job-builder sample, verbatim."""
    m = re.search(r"<triggers\b.*?</triggers>|<triggers\b[^>]*/>", sample(name), re.S)
    assert m, name
    return m.group(0)


# ---- config.xml

def _git_scm(url: str, branch: str = "*/main") -> str:
    return f"""  <scm class="hudson.plugins.git.GitSCM" plugin="git@5.2.2">
    <configVersion>2</configVersion>
    <userRemoteConfigs>
      <hudson.plugins.git.UserRemoteConfig>
        <url>{escape(url)}</url>
        <credentialsId>git-credentials</credentialsId>
      </hudson.plugins.git.UserRemoteConfig>
    </userRemoteConfigs>
    <branches>
      <hudson.plugins.git.BranchSpec>
        <name>{escape(branch)}</name>
      </hudson.plugins.git.BranchSpec>
    </branches>
    <doGenerateSubmoduleConfigurations>false</doGenerateSubmoduleConfigurations>
    <submoduleCfg class="empty-list"/>
    <extensions/>
  </scm>
"""


def freestyle_config(scm_url: str | None, triggers: str = "<triggers/>", properties: str = "<properties/>", shell: str = "make test",
                     description: str = "") -> str:
    scm = _git_scm(scm_url) if scm_url else '  <scm class="hudson.scm.NullSCM"/>\n'
    return f"""<?xml version='1.1' encoding='UTF-8'?>
<project>
  <actions/>
  <description>{escape(description)}</description>
  <keepDependencies>false</keepDependencies>
  {properties}
{scm}  <canRoam>true</canRoam>
  <disabled>false</disabled>
  <blockBuildWhenDownstreamBuilding>false</blockBuildWhenDownstreamBuilding>
  <blockBuildWhenUpstreamBuilding>false</blockBuildWhenUpstreamBuilding>
  {triggers}
  <concurrentBuild>false</concurrentBuild>
  <builders>
    <hudson.tasks.Shell>
      <command>{escape(shell)}</command>
      <configuredLocalRules/>
    </hudson.tasks.Shell>
  </builders>
  <publishers/>
  <buildWrappers/>
</project>
"""


def pipeline_inline_config(script: str, triggers_property: str = "") -> str:
    props = f"<properties>{triggers_property}</properties>" if triggers_property else "<properties/>"
    return f"""<?xml version='1.1' encoding='UTF-8'?>
<flow-definition plugin="workflow-job@1400.v7fd111b_ec82f">
  <actions/>
  <description></description>
  <keepDependencies>false</keepDependencies>
  {props}
  <definition class="org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition" plugin="workflow-cps@3894.vd0f0248b_a_fc4">
    <script>{escape(script)}</script>
    <sandbox>true</sandbox>
  </definition>
  <triggers/>
  <disabled>false</disabled>
</flow-definition>
"""


def pipeline_scm_config(url: str, script_path: str = "Jenkinsfile", triggers: str = "") -> str:
    props = ("<properties>\n    <org.jenkinsci.plugins.workflow.job.properties.PipelineTriggersJobProperty>\n      "
             f"{triggers}\n    </org.jenkinsci.plugins.workflow.job.properties.PipelineTriggersJobProperty>\n  </properties>"
             if triggers else "<properties/>")
    scm = _git_scm(url).replace("  <scm ", "    <scm ", 1).replace("\n", "\n  ").rstrip() + "\n"
    return f"""<?xml version='1.1' encoding='UTF-8'?>
<flow-definition plugin="workflow-job@1400.v7fd111b_ec82f">
  <actions/>
  <description></description>
  <keepDependencies>false</keepDependencies>
  {props}
  <definition class="org.jenkinsci.plugins.workflow.cps.CpsScmFlowDefinition" plugin="workflow-cps@3894.vd0f0248b_a_fc4">
{scm}    <scriptPath>{escape(script_path)}</scriptPath>
    <lightweight>true</lightweight>
  </definition>
  <triggers/>
  <disabled>false</disabled>
</flow-definition>
"""


def folder_config(description: str = "") -> str:
    return f"""<?xml version='1.1' encoding='UTF-8'?>
<com.cloudbees.hudson.plugins.folder.Folder plugin="cloudbees-folder@6.901.vb_4c7a_da_75da_3">
  <actions/>
  <description>{escape(description)}</description>
  <properties/>
  <folderViews class="com.cloudbees.hudson.plugins.folder.views.DefaultFolderViewHolder">
    <views>
      <hudson.model.AllView>
        <owner class="com.cloudbees.hudson.plugins.folder.Folder" reference="../../../.."/>
        <name>All</name>
        <filterExecutors>false</filterExecutors>
        <filterQueue>false</filterQueue>
        <properties class="hudson.model.View$PropertyList"/>
      </hudson.model.AllView>
    </views>
    <tabBar class="hudson.views.DefaultViewsTabBar"/>
  </folderViews>
  <healthMetrics/>
  <icon class="com.cloudbees.hudson.plugins.folder.icons.StockFolderIcon"/>
</com.cloudbees.hudson.plugins.folder.Folder>
"""


def multibranch_config(remote: str, spec: str = "H/15 * * * *", interval: int = 900000) -> str:
    mb = MULTIBRANCH
    return f"""<?xml version='1.1' encoding='UTF-8'?>
<{mb} plugin="workflow-multibranch@795.ve0cb_1f45ca_9a_">
  <actions/>
  <description></description>
  <properties/>
  <folderViews class="jenkins.branch.MultiBranchProjectViewHolder" plugin="branch-api@2.1169.va_f810c56e895">
    <owner class="{mb}" reference="../.."/>
  </folderViews>
  <healthMetrics/>
  <icon class="jenkins.branch.MetadataActionFolderIcon" plugin="branch-api@2.1169.va_f810c56e895">
    <owner class="{mb}" reference="../.."/>
  </icon>
  <orphanedItemStrategy class="com.cloudbees.hudson.plugins.folder.computed.DefaultOrphanedItemStrategy" plugin="cloudbees-folder@6.901.vb_4c7a_da_75da_3">
    <pruneDeadBranches>true</pruneDeadBranches>
    <daysToKeep>-1</daysToKeep>
    <numToKeep>-1</numToKeep>
    <abortBuilds>false</abortBuilds>
  </orphanedItemStrategy>
  <triggers>
    <com.cloudbees.hudson.plugins.folder.computed.PeriodicFolderTrigger plugin="cloudbees-folder@6.901.vb_4c7a_da_75da_3">
      <spec>{spec}</spec>
      <interval>{interval}</interval>
    </com.cloudbees.hudson.plugins.folder.computed.PeriodicFolderTrigger>
  </triggers>
  <disabled>false</disabled>
  <sources class="jenkins.branch.MultiBranchProject$BranchSourceList" plugin="branch-api@2.1169.va_f810c56e895">
    <data>
      <jenkins.branch.BranchSource>
        <source class="jenkins.plugins.git.GitSCMSource" plugin="git@5.2.2">
          <id>{_sha(remote)[:8]}-{_sha(remote, 1)[:4]}-{_sha(remote, 2)[:4]}-{_sha(remote, 3)[:4]}-{_sha(remote, 4)[:12]}</id>
          <remote>{escape(remote)}</remote>
          <credentialsId>git-credentials</credentialsId>
          <traits>
            <jenkins.plugins.git.traits.BranchDiscoveryTrait/>
          </traits>
        </source>
        <strategy class="jenkins.branch.DefaultBranchPropertyStrategy">
          <properties class="empty-list"/>
        </strategy>
      </jenkins.branch.BranchSource>
    </data>
    <owner class="{mb}" reference="../.."/>
  </sources>
  <factory class="org.jenkinsci.plugins.workflow.multibranch.WorkflowBranchProjectFactory">
    <owner class="{mb}" reference="../.."/>
    <scriptPath>Jenkinsfile</scriptPath>
  </factory>
</{mb}>
"""


def branch_job_config(branch: str) -> str:
    return f"""<?xml version='1.1' encoding='UTF-8'?>
<flow-definition plugin="workflow-job@1400.v7fd111b_ec82f">
  <actions/>
  <description></description>
  <displayName>{escape(branch)}</displayName>
  <keepDependencies>false</keepDependencies>
  <properties>
    <org.jenkinsci.plugins.workflow.multibranch.BranchJobProperty plugin="workflow-multibranch@795.ve0cb_1f45ca_9a_">
      <branch plugin="branch-api@2.1169.va_f810c56e895">
        <sourceId>shop</sourceId>
        <head class="jenkins.plugins.git.GitBranchSCMHead" plugin="git@5.2.2">
          <name>{escape(branch)}</name>
        </head>
        <scm class="hudson.plugins.git.GitSCM" plugin="git@5.2.2">
          <configVersion>2</configVersion>
        </scm>
        <properties/>
        <actions/>
      </branch>
    </org.jenkinsci.plugins.workflow.multibranch.BranchJobProperty>
  </properties>
  <definition class="org.jenkinsci.plugins.workflow.multibranch.SCMBinder" plugin="workflow-multibranch@795.ve0cb_1f45ca_9a_">
    <scriptPath>Jenkinsfile</scriptPath>
  </definition>
  <triggers/>
  <disabled>false</disabled>
</flow-definition>
"""


GITHUB_PUSH_TRIGGERS = """<triggers>
    <com.cloudbees.jenkins.GitHubPushTrigger plugin="github@1.38.0">
      <spec></spec>
    </com.cloudbees.jenkins.GitHubPushTrigger>
  </triggers>"""
TIMER_TRIGGER = """<hudson.triggers.TimerTrigger>
      <spec>H 2 * * *</spec>
    </hudson.triggers.TimerTrigger>"""
POLL_SCM_PIPELINE = """pipeline {
    agent any
    triggers {
        pollSCM('H/5 * * * *')
    }
    stages {
        stage('Checkout') {
            steps {
                git url: 'https://github.com/acme/billing.git', branch: 'main'
            }
        }
        stage('Build') {
            steps {
                sh 'make build'
            }
        }
    }
}
"""
PIPELINE_SCM_TRIGGER = """<triggers>
        <hudson.triggers.SCMTrigger>
          <spec>H/5 * * * *</spec>
          <ignorePostCommitHooks>false</ignorePostCommitHooks>
        </hudson.triggers.SCMTrigger>
      </triggers>"""


def _params_property(params: list[tuple[str, str, Any]]) -> str:
    out = []
    for kind, name, default in params:
        if kind == "choice":
            choices = "".join(f"\n              <string>{escape(c)}</string>" for c in default)
            out.append(f"""<hudson.model.ChoiceParameterDefinition>
          <name>{name}</name>
          <description></description>
          <choices class="java.util.Arrays$ArrayList">
            <a class="string-array">{choices}
            </a>
          </choices>
        </hudson.model.ChoiceParameterDefinition>""")
        else:
            out.append(f"""<hudson.model.StringParameterDefinition>
          <name>{name}</name>
          <description></description>
          <defaultValue>{escape(str(default))}</defaultValue>
          <trim>true</trim>
        </hudson.model.StringParameterDefinition>""")
    return ("<properties>\n    <hudson.model.ParametersDefinitionProperty>\n      <parameterDefinitions>\n        "
            + "\n        ".join(out) + "\n      </parameterDefinitions>\n    </hudson.model.ParametersDefinitionProperty>\n  </properties>")


# ---- causes and builds

def cause(kind: str, rng: random.Random, *, branch: str = "main", upstream: str = "api-build", upstream_build: int = 1) -> dict[str, Any]:
    uid, uname = rng.choice(USERS)
    if kind in ("scm", "pipeline-inline"):
        return {"_class": "hudson.triggers.SCMTrigger$SCMTriggerCause", "shortDescription": "Started by an SCM change"}
    if kind == "github":
        return {"_class": "com.cloudbees.jenkins.GitHubPushCause", "shortDescription": f"Started by GitHub push by {uid}"}
    if kind == "gitlab":
        return {"_class": "com.dabsquared.gitlabjenkins.cause.GitLabWebHookCause", "shortDescription": f"Started by GitLab push by {uname}"}
    if kind == "timer":
        return {"_class": "hudson.triggers.TimerTrigger$TimerTriggerCause", "shortDescription": "Started by timer"}
    if kind == "webhook":
        return {"_class": "org.jenkinsci.plugins.gwt.GenericCause", "shortDescription": "Generic Cause"}
    if kind == "reverse":
        return {"_class": "hudson.model.Cause$UpstreamCause", "shortDescription": f'Started by upstream project "{upstream}" build number {upstream_build}',
                "upstreamBuild": upstream_build, "upstreamProject": upstream, "upstreamUrl": "job/" + "/job/".join(upstream.split("/")) + "/"}
    if kind == "ghprb":
        n = rng.randint(1, 400)
        return {"_class": "org.jenkinsci.plugins.ghprb.GhprbCause",
                "shortDescription": f"GitHub pull request #{n} of commit {_sha(n, rng.random())[:7]}, no merge conflicts."}
    if kind == "branch":
        return {"_class": "jenkins.branch.BranchEventCause", "shortDescription": f"Push event to branch {branch}"}
    if kind == "indexing":
        return {"_class": "jenkins.branch.BranchIndexingCause", "shortDescription": "Branch indexing"}
    return {"_class": "hudson.model.Cause$UserIdCause", "shortDescription": f"Started by user {uname}", "userId": uid, "userName": uname}


def build_data(sha: str, branch: str, remote: str, number: int) -> dict[str, Any]:
    rev = {"SHA1": sha, "branch": [{"SHA1": sha, "name": branch}]}
    return {"_class": "hudson.plugins.git.util.BuildData",
            "buildsByBranchName": {branch: {"_class": "hudson.plugins.git.util.Build", "buildNumber": number, "buildResult": None,
                                            "marked": rev, "revision": rev}},
            "lastBuiltRevision": rev, "remoteUrls": [remote], "scmName": ""}


@dataclass
class BuildSpec:
    """How to generate one build (the JSON is rendered by Job.build_json)."""
    number: int
    timestamp: int
    duration: int
    result: str | None
    cause: dict[str, Any]
    sha: str
    branch: str
    params: list[tuple[str, str]] | None = None


@dataclass
class Job:
    name: str
    cls: str
    parent: Job | None = None
    config: str = ""
    children: list[Job] = field(default_factory=list)
    remote: str | None = None
    description: str = ""
    builds_factory: Callable[[Job], list[dict[str, Any]]] | None = None
    _builds: list[dict[str, Any]] | None = None
    _json: dict[str, Any] | None = None

    # ---- naming

    @property
    def is_folder(self) -> bool:
        return self.cls in FOLDERISH

    def chain(self) -> list[Job]:
        return (self.parent.chain() if self.parent else []) + [self]

    @property
    def full_name(self) -> str:
        return "/".join(j.name for j in self.chain())

    @property
    def full_display_name(self) -> str:
        return " » ".join(j.name for j in self.chain())

    @property
    def path(self) -> str:
        """URL path below the root, e.g. ``job/a/job/b/``."""
        return "".join(f"job/{j.name}/" for j in self.chain())

    def walk(self) -> list[Job]:
        out = [self]
        for c in self.children:
            out += c.walk()
        return out

    def add(self, *jobs: Job) -> Job:
        for j in jobs:
            j.parent = self
            self.children.append(j)
        return self

    # ---- builds (newest first)

    @property
    def builds(self) -> list[dict[str, Any]]:
        if self._builds is None:
            self._builds = self.builds_factory(self) if self.builds_factory else []
        return self._builds

    @builds.setter
    def builds(self, value: list[dict[str, Any]]) -> None:
        self._builds, self._json = value, None

    def build_json(self, s: BuildSpec, estimated: int) -> dict[str, Any]:
        workflow = self.cls == WORKFLOW
        actions: list[dict[str, Any]] = []
        if s.params:
            actions.append({"_class": "hudson.model.ParametersAction",
                            "parameters": [{"_class": "hudson.model.StringParameterValue", "name": k, "value": v} for k, v in s.params]})
        actions.append({"_class": "hudson.model.CauseAction", "causes": [s.cause]})
        if workflow:
            actions += [{"_class": "jenkins.scm.api.SCMRevisionAction"}, {"_class": "org.jenkinsci.plugins.workflow.libs.LibrariesAction"}, {}, {}]
        else:
            actions.append({})
        if self.remote:
            actions.append(build_data(s.sha, s.branch, self.remote, s.number))
        actions += [{}, {}, {"_class": "org.jenkinsci.plugins.displayurlapi.actions.RunDisplayAction"}]
        if workflow:
            actions += [{"_class": "org.jenkinsci.plugins.pipeline.modeldefinition.actions.RestartDeclarativePipelineAction"}, {},
                        {"_class": "org.jenkinsci.plugins.workflow.job.views.FlowGraphAction"}, {}, {}]
        building = s.result is None
        b: dict[str, Any] = {
            "_class": WORKFLOW_RUN if workflow else FREESTYLE_BUILD, "actions": actions, "artifacts": [], "building": building,
            "description": None, "displayName": f"#{s.number}", "duration": 0 if building else s.duration, "estimatedDuration": estimated,
            "executor": {"_class": "hudson.model.OneOffExecutor"} if building else None, "fullDisplayName": f"{self.full_display_name} #{s.number}",
            "id": str(s.number), "keepLog": False, "number": s.number, "queueId": 1000 + s.number, "result": s.result,
            "timestamp": s.timestamp, "url": f"{BASE}/{self.path}{s.number}/"}
        if workflow:
            b.update({"changeSets": [{"_class": "hudson.plugins.git.GitChangeSetList", "items": [], "kind": "git"}] if self.remote else [],
                      "culprits": [], "inProgress": building})
        else:
            b.update({"builtOn": "", "changeSet": {"_class": "hudson.plugins.git.GitChangeSetList", "items": [], "kind": "git"}, "culprits": []})
        return b

    # ---- API JSON (values that are costly are callables, resolved only when the tree asks for them)

    def json(self) -> dict[str, Any]:
        if self._json is not None:
            return self._json
        url = f"{BASE}/{self.path}"
        common: dict[str, Any] = {
            "_class": self.cls, "actions": [{}, {"_class": "com.cloudbees.plugins.credentials.ViewCredentialsAction"}],
            "description": self.description or None, "displayName": self.name, "displayNameOrNull": None,
            "fullDisplayName": self.full_display_name, "fullName": self.full_name, "name": self.name, "url": url}
        if self.is_folder:
            d = {**common, "healthReport": [], "jobs": lambda: [c.json() for c in self.children],
                 "primaryView": {"_class": "hudson.model.AllView", "name": "All", "url": url},
                 "views": [{"_class": "hudson.model.AllView", "name": "All", "url": url}]}
            if self.cls == MULTIBRANCH:
                d["sources"] = [{}]
            self._json = d
            return d

        def ref(pick: Callable[[dict[str, Any]], bool]) -> Callable[[], Any]:
            def f() -> Any:
                for b in self.builds:
                    if pick(b):
                        return {"_class": b["_class"], "number": b["number"], "url": b["url"]}
                return None
            return f

        done = lambda b: not b.get("building")  # noqa: E731
        d = {**common, "buildable": True,
             "builds": lambda: self.builds[:100], "allBuilds": lambda: list(self.builds),
             "color": lambda: self.color(),
             "firstBuild": lambda: {k: self.builds[-1][k] for k in ("_class", "number", "url")} if self.builds else None,
             "healthReport": [], "inQueue": False, "keepDependencies": False,
             "lastBuild": ref(lambda b: True), "lastCompletedBuild": ref(done),
             "lastFailedBuild": ref(lambda b: b["result"] == "FAILURE"), "lastStableBuild": ref(lambda b: b["result"] == "SUCCESS"),
             "lastSuccessfulBuild": ref(lambda b: b["result"] in ("SUCCESS", "UNSTABLE")),
             "lastUnstableBuild": ref(lambda b: b["result"] == "UNSTABLE"),
             "lastUnsuccessfulBuild": ref(lambda b: done(b) and b["result"] != "SUCCESS"),
             "nextBuildNumber": lambda: (self.builds[0]["number"] + 1) if self.builds else 1,
             "property": [], "queueItem": None, "concurrentBuild": False}
        if self.cls == FREESTYLE:
            d.update({"disabled": False, "downstreamProjects": [], "labelExpression": None,
                      "scm": {"_class": "hudson.plugins.git.GitSCM" if self.remote else "hudson.scm.NullSCM"}, "upstreamProjects": []})
        else:
            d.update({"resumeBlocked": False})
        self._json = d
        return d

    def color(self) -> str:
        done = [b for b in self.builds if not b.get("building")]
        base = {"SUCCESS": "blue", "UNSTABLE": "yellow", "FAILURE": "red", "ABORTED": "aborted"}.get(done[0]["result"], "grey") if done else "notbuilt"
        return base + "_anime" if self.builds and self.builds[0].get("building") else base


@dataclass
class Server:
    """A Jenkins controller: its top-level items (folders and jobs)."""
    jobs: list[Job]
    version: str = "2.440.3"

    def walk(self) -> list[Job]:
        return [j for top in self.jobs for j in top.walk()]

    def leaf_jobs(self) -> list[Job]:
        return [j for j in self.walk() if not j.is_folder]

    def find(self, full_name: str) -> Job | None:
        parts = [p for p in full_name.strip("/").split("/") if p]
        level, found = self.jobs, None
        for p in parts:
            found = next((j for j in level if j.name == p), None)
            if found is None:
                return None
            level = found.children
        return found


# ---- generation

def _default_anchor() -> dt.datetime:
    now = dt.datetime.now(dt.timezone.utc)
    return now.replace(hour=0, minute=0, second=0, microsecond=0)


def _ms(t: dt.datetime) -> int:
    return int(t.timestamp() * 1000)


def _history(job: Job, *, anchor: dt.datetime, seed: int, n: int, kind: str, branch: str, results: list[str | None] | None = None,
             params: Callable[[random.Random, int], list[tuple[str, str]]] | None = None, days: int = 120,
             causes: Callable[[random.Random, int], dict[str, Any]] | None = None) -> list[dict[str, Any]]:
    """``n`` builds spread over the ``days`` before ``anchor``, newest first.  ``results`` (oldest first) overrides the random ones."""
    rng = random.Random(f"{seed}:{job.full_name}")
    start = anchor - dt.timedelta(days=days)
    span = (anchor - start).total_seconds() - 3600
    times = sorted(rng.uniform(0, span) for _ in range(n))
    est = rng.randint(20_000, 600_000)
    specs = []
    for i, off in enumerate(times):
        number = i + 1
        if results is not None:
            res = results[i]
        else:
            r = rng.random()
            res = "SUCCESS" if r < 0.78 else "FAILURE" if r < 0.92 else "UNSTABLE" if r < 0.96 else "ABORTED"
        c = causes(rng, number) if causes else cause(kind, rng, branch=branch.rsplit("/", 1)[-1], upstream_build=max(1, number))
        specs.append(BuildSpec(number, _ms(start + dt.timedelta(seconds=off)), int(est * rng.uniform(0.6, 1.5)), res, c,
                               _sha(job.full_name, number), branch, params(rng, number) if params else None))
    return [job.build_json(s, est) for s in reversed(specs)]


def _gen(anchor: dt.datetime, seed: int, kind: str, branch: str = "refs/remotes/origin/main", **kw: Any) -> Callable[[Job], list[dict[str, Any]]]:
    def f(job: Job) -> list[dict[str, Any]]:
        opts = dict(kw)
        n = opts.pop("n", None)
        if n is None:
            n = random.Random(f"{seed}:{job.full_name}:n").randint(0, 60)
        return _history(job, anchor=anchor, seed=seed, n=n, kind=kind, branch=branch, **opts)
    return f


def _with_breaks(n: int, breaks: dict[int, int]) -> list[str | None]:
    """n results (oldest first), SUCCESS except ``length`` FAILUREs starting at each index of ``breaks``."""
    out: list[str | None] = ["SUCCESS"] * n
    for at, length in breaks.items():
        for i in range(at, min(n, at + length)):
            out[i] = "FAILURE"
    return out


def generate_server(jobs: int = 50, seed: int = 1, anchor: dt.datetime | None = None) -> Server:
    """A deterministic Jenkins with the special jobs (see the module docstring) and ``jobs`` leaf jobs in all."""
    anchor = anchor or _default_anchor()
    if anchor.tzinfo is None:
        anchor = anchor.replace(tzinfo=dt.timezone.utc)
    g = lambda kind, **kw: _gen(anchor, seed, kind, **kw)  # noqa: E731
    billing_url, flagship = "git@github.com:acme/billing.git", "https://github.com/acme/flagship.git"

    billing = Job("billing-build", FREESTYLE, config=freestyle_config(billing_url, sample_triggers("jjb-pollscm001.xml")), remote=billing_url,
                  builds_factory=g("scm", n=40, results=_with_breaks(40, {8: 2, 21: 3, 33: 1})))
    platform = Job("platform", FOLDER, config=folder_config()).add(
        Job("team-a", FOLDER, config=folder_config()).add(Job("services", FOLDER, config=folder_config()).add(billing)))
    api = Job("api-build", FREESTYLE, config=freestyle_config(flagship, GITHUB_PUSH_TRIGGERS), remote=flagship, builds_factory=g("github", n=30))
    gitlab_url = "https://gitlab.example.com/acme/flagship.git"
    gitlab = Job("gitlab-build", FREESTYLE, config=freestyle_config(gitlab_url, sample_triggers("jjb-gitlab001.xml")), remote=gitlab_url,
                 builds_factory=g("gitlab", n=25))
    timer_triggers = sample_triggers("jjb-parameterized-timer001.xml").replace("<triggers class=\"vector\">",
                                                                               "<triggers class=\"vector\">\n    " + TIMER_TRIGGER, 1)
    nightly = Job("nightly", FREESTYLE, config=freestyle_config(flagship, timer_triggers, _params_property([("string", "PARAM", "value")])),
                  remote=flagship, builds_factory=g("timer", n=60))
    webhook = Job("webhook-build", FREESTYLE, config=freestyle_config(flagship, sample_triggers("jjb-generic-webhook-trigger-full.xml")),
                  remote=flagship, builds_factory=g("webhook", n=12))
    after = Job("after-api", FREESTYLE, config=freestyle_config(flagship, sample_triggers("jjb-reverse.xml").replace("Fantastic-job", "api-build")),
                remote=flagship, builds_factory=g("reverse", n=20))
    pr = Job("pr-builder", FREESTYLE, config=freestyle_config(flagship, sample_triggers("jjb-github-pull-request-minimal.xml")), remote=flagship,
             builds_factory=g("ghprb", branch="refs/remotes/origin/pr/12/merge", n=15))
    inline = Job("inline-pipeline", WORKFLOW, config=pipeline_inline_config(POLL_SCM_PIPELINE, "\n    <org.jenkinsci.plugins.workflow.job.properties."
                                                                            "PipelineTriggersJobProperty>\n      " + PIPELINE_SCM_TRIGGER +
                                                                            "\n    </org.jenkinsci.plugins.workflow.job.properties.PipelineTriggersJobProperty>\n  "),
                 remote="https://github.com/acme/billing.git", builds_factory=g("pipeline-inline", n=18))
    scm_pipe = Job("scm-pipeline", WORKFLOW, config=pipeline_scm_config(billing_url), remote=billing_url,
                   builds_factory=g("user", n=10))
    shop_remote = "git@github.com:acme/shop.git"

    def branch_causes(branch: str) -> Callable[[random.Random, int], dict[str, Any]]:
        return lambda rng, n: cause("indexing" if n == 1 else "branch", rng, branch=branch)

    shop = Job("shop", MULTIBRANCH, config=multibranch_config("https://github.com/acme/shop.git")).add(
        Job("main", WORKFLOW, config=branch_job_config("main"), remote=shop_remote,
            builds_factory=g("branch", branch="main", n=24, causes=branch_causes("main"))),
        Job("feature-1", WORKFLOW, config=branch_job_config("feature-1"), remote=shop_remote,
            builds_factory=g("branch", branch="feature-1", n=6, causes=branch_causes("feature-1"))))
    apps = Job("apps", FOLDER, config=folder_config()).add(shop)

    def deploy_params(rng: random.Random, n: int) -> list[tuple[str, str]]:
        return [("VERSION", f"1.{n // 5}.{n % 5}"), ("TARGET", "production" if n % 3 else "staging")]

    deploy = Job("deploy-production", FREESTYLE, remote=flagship, description="Deploy the flagship to production",
                 config=freestyle_config(flagship, "<triggers/>", _params_property([("string", "VERSION", ""), ("choice", "TARGET", ["staging", "production"])]),
                                         shell="./deploy.sh \"$TARGET\" \"$VERSION\""),
                 builds_factory=g("user", n=20, results=_with_breaks(20, {12: 1}), params=deploy_params))
    release = Job("release-train", FREESTYLE, remote=flagship, config=freestyle_config(flagship, shell="./release.sh"),
                  builds_factory=g("user", n=8))
    image = Job("image-push", FREESTYLE, remote=flagship, config=freestyle_config(flagship, GITHUB_PUSH_TRIGGERS, shell="docker push acme/flagship"),
                builds_factory=g("github", n=15))
    top = [platform, api, gitlab, nightly, webhook, after, pr, inline, scm_pipe, apps, deploy, release, image]
    server = Server(top)
    _generated(server, max(0, jobs - len(server.leaf_jobs())), seed, anchor)
    return server


def _generated(server: Server, n: int, seed: int, anchor: dt.datetime) -> None:
    rng = random.Random(f"{seed}:layout")
    folders: dict[str, Job] = {}

    def folder(path: tuple[str, ...]) -> Job | None:
        if not path:
            return None
        key = "/".join(path)
        if key not in folders:
            f = Job(path[-1], FOLDER, config=folder_config())
            parent = folder(path[:-1])
            if parent is None:
                server.jobs.append(f)
            else:
                parent.add(f)
            folders[key] = f
        return folders[key]

    for i in range(n):
        kind = TRIGGER_KINDS[i % len(TRIGGER_KINDS)]
        depth = rng.randint(0, 4)
        path = tuple([f"grp-{i % 9}"] + [f"sub-{rng.randint(0, 2)}" for _ in range(depth - 1)])[:depth]
        name = f"svc-{i:04d}"
        remote = f"git@github.com:acme/svc-{i:04d}.git" if i % 2 else f"https://github.com/acme/svc-{i:04d}.git"
        if kind == "pipeline-inline":
            job = Job(name, WORKFLOW, config=pipeline_inline_config(POLL_SCM_PIPELINE.replace("acme/billing", f"acme/svc-{i:04d}")), remote=remote)
        elif kind == "pipeline-scm":
            job = Job(name, WORKFLOW, config=pipeline_scm_config(remote), remote=remote)
        else:
            trig = {"scm": sample_triggers(f"jjb-pollscm00{1 + i % 4}.xml"), "github": GITHUB_PUSH_TRIGGERS, "gitlab": sample_triggers(f"jjb-gitlab00{1 + i % 9}.xml"),
                    "timer": f'<triggers class="vector">\n    {TIMER_TRIGGER}\n  </triggers>', "webhook": sample_triggers("jjb-generic-webhook-trigger-full.xml"),
                    "reverse": sample_triggers("jjb-reverse.xml").replace("Fantastic-job", "api-build"),
                    "ghprb": sample_triggers("jjb-github-pull-request-minimal.xml")}.get(kind, "<triggers/>")
            job = Job(name, FREESTYLE, config=freestyle_config(remote, trig), remote=remote)
        job.builds_factory = _gen(anchor, seed, {"pipeline-scm": "user", "none": "user"}.get(kind, kind))
        parent = folder(path)
        if parent is None:
            server.jobs.append(job)
        else:
            parent.add(job)


# ---- replay of recorded payloads

def load_recorded(kind: str) -> list[dict[str, Any]]:
    """Rows of tests/fixtures/jenkins/devlake_raw_jenkins_api_<kind>.csv, ``data`` parsed."""
    csv.field_size_limit(1 << 30)
    with open(FIXTURES / f"devlake_raw_jenkins_api_{kind}.csv", newline="") as f:
        return [{**row, "data": json.loads(row["data"])} for row in csv.DictReader(f)]


def _job_path(url: str) -> list[str]:
    path = urlsplit(url).path.split("/api/json")[0]
    path = re.sub(r"^/view/[^/]+", "", path)
    return [unquote(p) for p in path.strip("/").split("/")[1::2]]


def replay_server() -> Server:
    """Jobs holding DevLake's recorded builds verbatim (plus ``url``): ``devlake``, ``dir-test/pipeline-test``, ``pipeline-test2``,
    a job with a Chinese name, and multibranch ``github_org/devlake-jenkins`` with branches main, PR-2, feature-1, feature-2."""
    server = Server([])

    def ensure(parts: list[str], leaf_cls: str) -> Job:
        level, parent, job = server.jobs, None, None
        for i, p in enumerate(parts):
            job = next((j for j in level if j.name == p), None)
            if job is None:
                last = i == len(parts) - 1
                cls = leaf_cls if last else (MULTIBRANCH if leaf_cls == WORKFLOW and i == len(parts) - 2 and len(parts) > 2 else FOLDER)
                job = Job(p, cls, config=folder_config() if cls == FOLDER else "")
                job._builds = []
                if parent is None:
                    server.jobs.append(job)
                else:
                    parent.add(job)
            parent, level = job, job.children
        assert job is not None
        return job

    for kind in ("builds", "builds_multibranch"):
        for row in load_recorded(kind):
            parts = _job_path(row["url"])
            d = row["data"]
            job = ensure(parts, WORKFLOW if d["_class"] == WORKFLOW_RUN else FREESTYLE)
            assert job._builds is not None
            if all(b["number"] != d["number"] for b in job._builds):
                job._builds.append({**d, "url": f"{BASE}/{job.path}{d['number']}/"})
    for row in load_recorded("jobs_multibranch"):
        d = row["data"]
        ensure(_job_path(row["url"]) + [d["name"]], WORKFLOW).description = d["description"] or ""
    for job in server.walk():
        if job._builds:
            job._builds.sort(key=lambda b: -b["number"])
            remotes = [u for b in job._builds for a in b["actions"] for u in a.get("remoteUrls", [])]
            job.remote = remotes[0] if remotes else None
        if not job.config:
            if job.cls == MULTIBRANCH:
                job.config = multibranch_config(job.children[0].remote or "https://github.com/gustavobini/devlake-jenkins.git" if job.children else "")
            elif job.cls == WORKFLOW and job.parent is not None and job.parent.cls == MULTIBRANCH:
                job.config = branch_job_config(job.name)
            elif job.cls == WORKFLOW:
                job.config = pipeline_scm_config(job.remote or "https://github.com/merico-dev/lake.git")
            else:
                job.config = freestyle_config(job.remote)
    return server
