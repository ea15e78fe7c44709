"""What a Jenkins job's `config.xml` says: its triggers, the repositories it builds, its pipeline
script, its parameters and, for multibranch projects, the branch sources and folder scan.

Parsed with defusedxml (no entities, no external references). Locators point at the line of the
element in the config.xml, found by its position in the text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from xml.etree.ElementTree import Element

from defusedxml import ElementTree
from defusedxml.common import DefusedXmlException


@dataclass(frozen=True)
class Trigger:
    """One trigger of a job, in the `ci.triggers` vocabulary."""

    kind: str
    """push, pull_request, poll, schedule, upstream, api, comment."""
    detail: str
    """What the config says, in words (the class, its schedule or branch filter)."""
    line: int
    """Line of the trigger element in config.xml."""


@dataclass
class JobConfig:
    """The parts of a config.xml the collector reads."""

    root: str
    """The root element: project, flow-definition, matrix-project, org.jenkinsci.plugins.workflow.multibranch..."""
    triggers: list[Trigger] = field(default_factory=list)
    """Triggers, from `<triggers>` and from multibranch / organisation folder settings."""
    scm_urls: list[str] = field(default_factory=list)
    """Git remote URLs the job builds (git SCM, pipeline-from-SCM, branch sources)."""
    branches: list[str] = field(default_factory=list)
    """Branch specs of a git SCM (`*/main`)."""
    inline_script: str | None = None
    """An inline pipeline script (CpsFlowDefinition)."""
    script_path: str | None = None
    """The Jenkinsfile path of a pipeline from SCM (CpsScmFlowDefinition)."""
    parameters: list[str] = field(default_factory=list)
    """Names of the build parameters."""
    disabled: bool = False
    """`<disabled>true</disabled>`."""
    notes: list[str] = field(default_factory=list)
    """Things a person may want to know (folder scan interval...)."""


class ConfigXmlError(ValueError):
    """The config.xml is not XML (or tries entity tricks)."""


_GIT_URL = re.compile(r"^(https?://|ssh://|git@|git://)[^\s]+$")


def parse_config(text: str) -> JobConfig:
    try:
        root = ElementTree.fromstring(text.encode("utf-8") if isinstance(text, str) else text)
    except (ElementTree.ParseError, DefusedXmlException, ValueError) as exc:
        raise ConfigXmlError(str(exc).splitlines()[0] if str(exc) else type(exc).__name__) from None
    lines = _Lines(text)
    cfg = JobConfig(root=root.tag)
    cfg.disabled = (root.findtext("disabled") or "").strip().lower() == "true"
    _triggers(root, cfg, lines)
    _scm(root, cfg)
    _pipeline(root, cfg)
    _parameters(root, cfg)
    _multibranch(root, cfg, lines)
    cfg.scm_urls = list(dict.fromkeys(cfg.scm_urls))
    return cfg


class _Lines:
    """Line numbers of elements, found in order of appearance in the text."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.cursor: dict[str, int] = {}

    def of(self, tag: str) -> int:
        start = self.cursor.get(tag, 0)
        i = self.text.find(f"<{tag}", start)
        if i < 0:
            i = self.text.find(f"<{tag}")
        if i < 0:
            return 1
        self.cursor[tag] = i + 1
        return self.text.count("\n", 0, i) + 1


def _text(el: Element | None, path: str) -> str:
    if el is None:
        return ""
    return (el.findtext(path) or "").strip()


def _flag(el: Element, path: str) -> bool:
    return _text(el, path).lower() == "true"


def _triggers(root: Element, cfg: JobConfig, lines: _Lines) -> None:
    containers = [root.find("triggers"), root.find("properties/org.jenkinsci.plugins.workflow.job.properties.PipelineTriggersJobProperty/triggers")]
    for container in containers:
        if container is None:
            continue
        for t in list(container):
            line = lines.of(t.tag)
            cfg.triggers.extend(_trigger(t, line))


def _trigger(t: Element, line: int) -> list[Trigger]:
    tag = t.tag
    short = tag.rsplit(".", 1)[-1]
    spec = _text(t, "spec")
    if tag == "hudson.triggers.SCMTrigger":
        hooks = " (post-commit hooks ignored)" if _flag(t, "ignorePostCommitHooks") else ""
        return [Trigger("poll", f"SCMTrigger polls the repository on schedule '{spec or '?'}'{hooks}", line)]
    if tag == "hudson.triggers.TimerTrigger":
        return [Trigger("schedule", f"TimerTrigger builds on schedule '{spec or '?'}'", line)]
    if tag == "jenkins.triggers.ReverseBuildTrigger":
        return [Trigger("upstream", f"ReverseBuildTrigger builds after {_text(t, 'upstreamProjects') or 'upstream jobs'}", line)]
    if tag == "com.cloudbees.jenkins.GitHubPushTrigger":
        return [Trigger("push", "GitHubPushTrigger builds on GitHub push webhooks", line)]
    if tag == "com.dabsquared.gitlabjenkins.GitLabPushTrigger":
        out = []
        if _flag(t, "triggerOnPush") or not _text(t, "triggerOnPush"):
            out.append(Trigger("push", "GitLabPushTrigger builds on GitLab push webhooks", line))
        if _flag(t, "triggerOnMergeRequest") or _flag(t, "triggerOpenMergeRequestOnPush"):
            out.append(Trigger("pull_request", "GitLabPushTrigger builds merge requests", line))
        if _flag(t, "triggerOnNoteRequest"):
            out.append(Trigger("comment", f"GitLabPushTrigger builds on a merge request note ('{_text(t, 'noteRegex')}')", line))
        return out
    if tag in ("org.jenkinsci.plugins.gwt.GenericTrigger",):
        return [Trigger("push", "Generic Webhook Trigger builds when a webhook calls it", line)]
    if tag == "org.jenkinsci.plugins.ghprb.GhprbTrigger":
        return [Trigger("pull_request", "GitHub pull request builder (ghprb) builds pull requests", line)]
    if tag.endswith("BitBucketTrigger") or tag.endswith("BitbucketWebhookTrigger"):
        return [Trigger("push", f"{short} builds on Bitbucket push webhooks", line)]
    if "PeriodicFolderTrigger" in tag:
        return []  # branch indexing of a multibranch project: noted with its interval, not polling CI
    if tag.endswith("BuildResultTrigger"):
        return [Trigger("upstream", f"{short} builds after other jobs' results", line)]
    return []


def _scm(root: Element, cfg: JobConfig) -> None:
    for remote in root.iter("hudson.plugins.git.UserRemoteConfig"):
        url = _text(remote, "url")
        if _GIT_URL.match(url):
            cfg.scm_urls.append(url)
    for spec in root.iter("hudson.plugins.git.BranchSpec"):
        name = _text(spec, "name")
        if name:
            cfg.branches.append(name)


def _pipeline(root: Element, cfg: JobConfig) -> None:
    definition = root.find("definition")
    if definition is None:
        return
    cls = definition.get("class", "")
    if cls.endswith("CpsFlowDefinition"):
        cfg.inline_script = definition.findtext("script") or ""
    elif cls.endswith("CpsScmFlowDefinition"):
        cfg.script_path = _text(definition, "scriptPath") or "Jenkinsfile"


def _parameters(root: Element, cfg: JobConfig) -> None:
    for defs in root.iter("parameterDefinitions"):
        for p in list(defs):
            name = _text(p, "name")
            if name:
                cfg.parameters.append(name)


def _multibranch(root: Element, cfg: JobConfig, lines: _Lines) -> None:
    tag = root.tag
    if "multibranch" not in tag.lower() and "OrganizationFolder" not in tag:
        return
    cfg.triggers.append(Trigger("push", "multibranch project: branch sources build on their webhooks", lines.of(tag)))
    for source in root.iter():
        stag = source.tag
        if stag.endswith(("GitSCMSource", "GitHubSCMSource", "GitLabSCMSource", "BitbucketSCMSource")):
            remote = _text(source, "remote") or _text(source, "repositoryUrl")
            if not remote and _text(source, "repoOwner") and _text(source, "repository"):
                server = _text(source, "apiUri") or "https://github.com"
                host = "github.com" if "api.github.com" in server or server == "https://github.com" else re.sub(r"^https?://", "", server).split("/")[0]
                remote = f"https://{host}/{_text(source, 'repoOwner')}/{_text(source, 'repository')}.git"
            if remote and _GIT_URL.match(remote):
                cfg.scm_urls.append(remote)
    for trig in root.iter("com.cloudbees.hudson.plugins.folder.computed.PeriodicFolderTrigger"):
        interval = _text(trig, "interval")
        spec = _text(trig, "spec")
        minutes = f"{int(interval) // 60000} min" if interval.isdigit() else spec
        cfg.notes.append(f"periodic branch indexing every {minutes}")
