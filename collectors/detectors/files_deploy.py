"""Deployment signals seen in files.

Keys: `iac.tools`, `deploy.manifests`, `deploy.orchestrators`, `release.strategies`,
`deploy.standard_process`, `deploy.scripts`, and `db.migrations_in_deploy` for what deploys
outside CI (Helm / Argo CD hook jobs, init containers, PaaS release phases, deploy scripts).

- Only positive evidence is emitted, each with a `path:line` and what was seen; defaults are
  filled later. CI definitions are not read here: the pipeline detectors own them.
- Structure is parsed, never words: a "canary" in a README or in a ConfigMap value sets nothing.
- Candidate files are chosen by name first. A generic `*.yaml` file is parsed only when its text
  has `apiVersion:` and `kind:`. Helm chart templates are read through `manifests` (Go templating
  blanked, line-by-line fallback) and never give a broken-YAML warning.
- Broken files give one `broken-yaml` / `broken-json` / `broken-toml` / `broken-hcl` warning and
  the scan goes on.
"""

from __future__ import annotations

import posixpath
import re
import weakref
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import yaml

from collectors.detectors.dependencies import Parsed, load_json, load_toml, load_yaml, warn_once
from collectors.detectors.interface import DetectionContext, Detector
from collectors.detectors.manifests import (
    YAML_ERRORS,
    Container,
    HclBlock,
    HclError,
    K8sObject,
    blank_templates,
    looks_like_kubernetes,
    normalise_run,
    parse_hcl,
    parse_manifests,
)
from collectors.repofiles import RepoFiles
from scanner.yamlfile import LineDict, load_all_lenient, yaml_error_line, yaml_error_reason

# ---------------------------------------------------------------------------------------------
# Small helpers
# ---------------------------------------------------------------------------------------------

MAX_EVIDENCE_PER_VALUE = 3
"""At most this many evidence records per (key, value): enough to check, not a flood."""


def _name(path: str) -> str:
    return path.rsplit("/", 1)[-1]


def _dir(path: str) -> str:
    return path.rsplit("/", 1)[0] if "/" in path else ""


def _join(folder: str, name: str) -> str:
    return f"{folder}/{name}" if folder else name


def _dict(value: Any) -> dict[Any, Any]:
    return value if isinstance(value, dict) else {}


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _short(text: str, limit: int = 100) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _emit(ctx: DetectionContext, key: str, value: bool | list[str], locator: str, observed: str) -> None:
    same = [e for e in ctx.evidence if e.key == key and e.value == value]
    if len(same) >= MAX_EVIDENCE_PER_VALUE or any(e.locator == locator for e in same):
        return
    ctx.emit(key, value, locator, observed)


# Environment names, for per-environment files and folders.
_ENV_WORDS = (
    "dev", "devel", "develop", "development", "test", "testing", "qa", "uat", "int", "integration", "sit",
    "stage", "staging", "stg", "preprod", "pre-prod", "preproduction", "pre-production", "prod", "production",
    "prd", "live", "sandbox", "nonprod", "non-prod", "perf",
)
_ENV_TOKEN = re.compile(
    r"^(?:[a-z0-9]+[-_.])?(" + "|".join(sorted(map(re.escape, _ENV_WORDS), key=len, reverse=True)) + r")(?:[-_.][a-z0-9]+)?$"
)
_AMBIGUOUS_FOLDERS = frozenset({"test", "testing", "int", "integration"})


def env_name(token: str, *, folder: bool = False) -> str | None:
    """`token` when it names an environment (`prod`, `staging`, `prod-eu`...), else None.
    Folder names like `test/` are too ambiguous (test code) and do not count."""
    low = token.lower()
    if folder and low in _AMBIGUOUS_FOLDERS:
        return None
    return low if _ENV_TOKEN.match(low) else None


def _env_of_folders(path: str) -> str | None:
    for part in reversed(path.split("/")[:-1]):
        if env := env_name(part, folder=True):
            return env
    return None


# ---------------------------------------------------------------------------------------------
# Shared, per-files index (parsed once for every detector of this module)
# ---------------------------------------------------------------------------------------------

_CI_FOLDERS = (".github/", ".gitlab/", ".circleci/", ".buildkite/", ".tekton/", ".azure-pipelines/", ".gitea/", ".forgejo/", ".woodpecker/", ".drone/")
_CI_FILE = re.compile(
    r"^(?:\.gitlab-ci.*|\.travis|\.?azure-pipelines.*|bitbucket-pipelines|\.drone|\.woodpecker|cloudbuild.*|buildspec.*|codefresh.*)\.ya?ml$",
    re.I,
)


_TEST_FOLDER = re.compile(r"^(?:tests?|testing|e2e|__tests__|specs?|[\w.-]*[-_](?:tests?|e2e))$", re.I)


def _is_ci_definition(path: str) -> bool:
    return path.startswith(_CI_FOLDERS) or _CI_FILE.match(_name(path)) is not None


def _hcl_kind(path: str) -> str | None:
    name = _name(path).lower()
    if name.endswith(".tf"):
        return "terraform"
    if name.endswith(".tofu"):
        return "opentofu"
    if name == "terragrunt.hcl":
        return "terragrunt"
    if name.endswith(".pkr.hcl"):
        return "packer"
    if name.endswith((".nomad", ".nomad.hcl")):
        return "nomad"
    return None


_JSON_CANDIDATE = re.compile(r"template|cfn|cloudformation|stack|azuredeploy|deploy|task-?_?def|pipeline|spinnaker|dockerrun", re.I)
_CFN_MARKER = re.compile(r"""^AWSTemplateFormatVersion\s*:|"AWSTemplateFormatVersion"\s*:|^\s+Type\s*:\s*["']?AWS::|"Type"\s*:\s*"AWS::""", re.M)
_HEAT_MARKER = re.compile(r"^heat_template_version\s*:", re.M)
_PLAYBOOK_MARKER = re.compile(r"^[ \t]*(?:-[ \t]+)?hosts\s*:", re.M)
_CODEDEPLOY_CANARY = re.compile(r"canary|linear", re.I)


@dataclass(frozen=True)
class HclFile:
    path: str
    kind: str
    """`terraform`, `opentofu`, `terragrunt`, `packer` or `nomad`."""
    root: HclBlock


class _Index:
    """What several detectors need: candidate paths, Kubernetes objects, parsed HCL."""

    def __init__(self, files: RepoFiles) -> None:
        self.files = files
        self._matching: dict[str, list[str]] = {}
        self.problems: list[tuple[str, str, str]] = []
        """(code, message, locator) found by this module's own parsers, replayed into each context."""

    def report(self, ctx: DetectionContext) -> None:
        for code, message, locator in self.problems:
            warn_once(ctx, code, message, locator)

    def text(self, path: str) -> str | None:
        return self.files.read_text(path)

    @cached_property
    def paths(self) -> list[str]:
        """Evidence paths (`RepoFiles.paths`) outside test folders: test manifests and scripts
        do not say how the repository deploys."""
        return [p for p in self.files.paths if not any(_TEST_FOLDER.match(part) for part in p.split("/")[:-1])]

    @cached_property
    def _by_name(self) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        for path in self.paths:
            out.setdefault(_name(path), []).append(path)
        return out

    def named(self, *names: str) -> list[str]:
        return sorted(p for name in names for p in self._by_name.get(name, []))

    def matching(self, pattern: str) -> list[str]:
        """Paths matching a regular expression (searched in the whole path); memoised per pattern."""
        found = self._matching.get(pattern)
        if found is None:
            compiled = re.compile(pattern)
            found = self._matching[pattern] = [p for p in self.paths if compiled.search(p)]
        return found

    @cached_property
    def yaml_paths(self) -> list[str]:
        """Evidence YAML files that are not CI definitions."""
        return [p for p in self.paths if p.lower().endswith((".yaml", ".yml")) and not _is_ci_definition(p)]

    @cached_property
    def chart_dirs(self) -> list[str]:
        return sorted({_dir(p) for p in self.named("Chart.yaml")})

    def is_chart_template(self, path: str) -> bool:
        return any(path.startswith(_join(d, "templates") + "/") for d in self.chart_dirs)

    def yaml_with(self, marker: re.Pattern[str], needle: str, top_level_list: bool = False) -> list[str]:
        """YAML files (not Kubernetes manifests) whose text matches `marker`.

        `needle` is a plain substring every match contains: testing it first is much cheaper
        than the regex on repositories with thousands of YAML files.
        """
        return [
            p for p in self.yaml_paths
            if (t := self.text(p)) is not None and needle in t and (not top_level_list or _top_level_list(t))
            and marker.search(t) and not looks_like_kubernetes(t)
        ]

    @cached_property
    def k8s(self) -> list[K8sObject]:
        """Every Kubernetes-style object in the evidence YAML files and Helm template helpers (`.tpl`)."""
        objects: list[K8sObject] = []
        helpers = [p for p in self.paths if p.endswith(".tpl") and self.is_chart_template(p)]
        for path in [*self.yaml_paths, *helpers]:
            text = self.text(path)
            if text is None or not looks_like_kubernetes(text):
                continue
            parsed = parse_manifests(path, text, templated=self.is_chart_template(path), wanted=_kind_of_interest)
            objects.extend(parsed.objects)
            for problem in parsed.problems:
                locator = f"{path}:{problem.line}" if problem.line else path
                self.problems.append(("broken-yaml", f"{path}: {problem.message}; document ignored", locator))
        return objects

    @cached_property
    def hcl(self) -> list[HclFile]:
        out: list[HclFile] = []
        for path in self.paths:
            kind = _hcl_kind(path)
            if kind is None or (text := self.text(path)) is None:
                continue
            try:
                out.append(HclFile(path, kind, parse_hcl(text)))
            except HclError as exc:
                self.problems.append(("broken-hcl", f"{path}: invalid HCL: {exc.reason}; file ignored", f"{path}:{exc.line}"))
        return out

    def hcl_of(self, *kinds: str) -> list[HclFile]:
        return [f for f in self.hcl if f.kind in kinds]

    @cached_property
    def json_candidates(self) -> list[str]:
        return [p for p in self.paths if p.lower().endswith(".json") and _JSON_CANDIDATE.search(p)]

    @cached_property
    def cloudformation_paths(self) -> list[str]:
        paths = [*self.yaml_paths, *(p for p in self.paths if p.endswith(".template")), *self.json_candidates]
        return [p for p in paths if (t := self.text(p)) is not None and ("AWS::" in t or "AWSTemplateFormatVersion" in t) and _CFN_MARKER.search(t) and not looks_like_kubernetes(t)]


# Kinds some detector of this module reads (manifests, orchestrators, strategies, hooks); keep in
# step with `k8s_manifest_kind`, `k8s_orchestrator`, `k8s_strategies`, `k8s_migrations` and the
# ApplicationSet / Cloud Deploy finders. Other documents (CRDs, ConfigMaps...) are not parsed.
_KINDS_OF_INTEREST = frozenset({
    "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Service", "Ingress", "CronJob", "Job", "Pod",
    "Rollout", "Canary", "VirtualService", "HTTPRoute", "GRPCRoute", "TCPRoute", "TLSRoute", "TrafficSplit",
    "Application", "ApplicationSet", "AppProject", "DeploymentConfig", "Route", "Config", "DeliveryPipeline",
})


def _kind_of_interest(api_version: str, kind: str) -> bool:
    group = api_version.split("/", 1)[0] if "/" in api_version else ""
    return kind in _KINDS_OF_INTEREST or kind.endswith("List") or group.endswith(("fluxcd.io", "crossplane.io"))


_INDEXES: weakref.WeakKeyDictionary[RepoFiles, _Index] = weakref.WeakKeyDictionary()


def _index(ctx: DetectionContext) -> _Index:
    index = _INDEXES.get(ctx.files)
    if index is None:
        index = _INDEXES[ctx.files] = _Index(ctx.files)
    return index


def _paths(ctx: DetectionContext) -> list[str]:
    return _index(ctx).paths


def _named(ctx: DetectionContext, *names: str) -> list[str]:
    return _index(ctx).named(*names)


def _matching(ctx: DetectionContext, pattern: str) -> list[str]:
    return _index(ctx).matching(pattern)


def _load_structured(ctx: DetectionContext, path: str) -> Parsed | None:
    return load_json(ctx, path) if path.lower().endswith(".json") else load_yaml(ctx, path)


# ---------------------------------------------------------------------------------------------
# Finders shared by several keys. Each yields (locator, observed).
# ---------------------------------------------------------------------------------------------

Finding = tuple[str, str]


def _helm_charts(ctx: DetectionContext) -> Iterator[Finding]:
    for path in _named(ctx, "Chart.yaml"):
        doc = load_yaml(ctx, path)
        data = _dict(doc.data if doc else None)
        if doc and isinstance(data.get("name"), str) and ("apiVersion" in data or "version" in data):
            yield doc.locator("name"), f"Helm chart {data['name']!r} ({path})"


_KUSTOMIZATION_NAMES = ("kustomization.yaml", "kustomization.yml", "Kustomization")
_KUSTOMIZE_KEYS = frozenset({
    "resources", "bases", "components", "patches", "patchesStrategicMerge", "patchesJson6902", "configMapGenerator",
    "secretGenerator", "images", "namespace", "namePrefix", "nameSuffix", "commonLabels", "commonAnnotations", "labels",
    "helmCharts", "generators", "transformers", "replicas", "crds", "replacements", "openapi",
})


def _kustomizations(ctx: DetectionContext) -> list[tuple[str, Parsed]]:
    out: list[tuple[str, Parsed]] = []
    for path in _named(ctx, *_KUSTOMIZATION_NAMES):
        doc = load_yaml(ctx, path)
        if doc and isinstance(doc.data, dict) and (_KUSTOMIZE_KEYS & doc.data.keys() or doc.data.get("kind") == "Kustomization"):
            out.append((path, doc))
    return out


def _kustomize_finding(path: str, doc: Parsed) -> Finding:
    first = next(iter(doc.data))
    return doc.locator(first), f"kustomization {path}"


def _helmfiles(ctx: DetectionContext) -> list[tuple[str, list[LineDict]]]:
    """Helmfiles (Go templating blanked), each as its documents."""
    paths = _matching(ctx, r"(?:^|/)(?:helmfile|helmfile\.d/[^/]+)\.ya?ml(?:\.gotmpl)?$")
    out: list[tuple[str, list[LineDict]]] = []
    for path in paths:
        text = ctx.files.read_text(path)
        if text is None:
            continue
        try:
            docs = load_all_lenient(blank_templates(text))
        except YAML_ERRORS as exc:
            if "{{" not in text:  # a templated helmfile that still does not parse is not "broken"
                line = yaml_error_line(exc) if isinstance(exc, yaml.YAMLError) else None
                reason = yaml_error_reason(exc) if isinstance(exc, yaml.YAMLError) else f"invalid YAML: {exc}"
                warn_once(ctx, "broken-yaml", f"{path}: {reason}; file ignored", f"{path}:{line}" if line else path)
            continue
        out.append((path, [d for d in docs if isinstance(d, LineDict)]))
    return out


def _top_level_list(text: str) -> bool:
    """Is the YAML document a list at the top (as an Ansible playbook is)? Looks at the first content line only."""
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped or stripped.startswith("#") or stripped == "---":
            continue
        return stripped.startswith("- ") or stripped == "-"
    return False


def _playbooks(ctx: DetectionContext, index: _Index) -> list[tuple[str, Parsed, int]]:
    """Ansible playbooks: a YAML list of plays with `hosts:` and tasks or roles. (path, doc, index of the play)."""
    out: list[tuple[str, Parsed, int]] = []
    for path in index.yaml_with(_PLAYBOOK_MARKER, "hosts", top_level_list=True):
        text = index.text(path) or ""
        if not re.search(r"^[ \t]*(?:-[ \t]+)?(?:tasks|roles|pre_tasks|post_tasks|import_playbook)\s*:", text, re.M):
            continue
        doc = load_yaml(ctx, path)
        if doc is None:
            continue
        for i, play in enumerate(_list(doc.data)):
            if isinstance(play, dict) and "hosts" in play and {"tasks", "roles", "pre_tasks", "post_tasks"} & play.keys():
                out.append((path, doc, i))
                break
    return out


@dataclass(frozen=True)
class _Template:
    """A CloudFormation template (SAM included)."""

    path: str
    doc: Parsed

    @property
    def data(self) -> dict[Any, Any]:
        return _dict(self.doc.data)

    @property
    def resources(self) -> dict[Any, Any]:
        return _dict(self.data.get("Resources"))

    @property
    def sam(self) -> bool:
        transform = self.data.get("Transform")
        names = transform if isinstance(transform, list) else [transform]
        return any(isinstance(n, str) and n.startswith("AWS::Serverless") for n in names)


def _cloudformation(ctx: DetectionContext, index: _Index) -> list[_Template]:
    out: list[_Template] = []
    for path in index.cloudformation_paths:
        doc = _load_structured(ctx, path)
        data = _dict(doc.data if doc else None)
        if not doc or not data:
            continue
        typed = [r for r in _dict(data.get("Resources")).values() if isinstance(_dict(r).get("Type"), str)]
        if "AWSTemplateFormatVersion" in data or any(str(r["Type"]).startswith("AWS::") for r in typed):
            out.append(_Template(path, doc))
    return out


# ---------------------------------------------------------------------------------------------
# iac.tools
# ---------------------------------------------------------------------------------------------

_BICEP_DECLARATION = re.compile(r"^[ \t]*(resource|module)\s+\w+\s+'[^']+'", re.M)


def _first_line(text: str, pattern: re.Pattern[str]) -> int | None:
    m = pattern.search(text)
    return text.count("\n", 0, m.start()) + 1 if m else None


class InfrastructureAsCodeDetector(Detector):
    """`iac.tools`: infrastructure or environments described as code."""

    name = "iac-tools"
    provides = frozenset({"iac.tools"})

    def detect(self, ctx: DetectionContext) -> None:
        index = _index(ctx)

        def add(tool: str, locator: str, observed: str) -> None:
            _emit(ctx, "iac.tools", [tool], locator, observed)

        for f in index.hcl:
            blocks = f.root.blocks
            if f.kind in ("terraform", "opentofu"):
                block = next((b for b in blocks if b.type in ("resource", "module", "provider")), None)
                if block:
                    add(f.kind, f"{f.path}:{block.line}", f"{f.kind} {block.type} {' '.join(map(repr, block.labels))}".strip())
            elif f.kind == "terragrunt" and (blocks or f.root.attributes):
                add("terragrunt", f"{f.path}:{(blocks[0].line if blocks else 1)}", f"Terragrunt configuration {f.path}")
                if f.root.children("terraform"):  # Terragrunt runs Terraform (or OpenTofu) modules
                    block = f.root.children("terraform")[0]
                    add("terraform", f"{f.path}:{block.line}", f"Terragrunt configuration {f.path} runs a Terraform module (terraform block)")
            elif f.kind == "packer" and (block := next((b for b in blocks if b.type in ("source", "build")), None)):
                add("packer", f"{f.path}:{block.line}", f"Packer {block.type} {' '.join(block.labels)}".strip())
        for locator, observed in _helm_charts(ctx):
            add("helm", locator, observed)
        for obj in index.k8s:
            if release := _helm_release_of(obj):
                add("helm", release[0], release[1])
        for path, kustomization in _kustomizations(ctx):
            add("kustomize", *_kustomize_finding(path, kustomization))
        for path in _named(ctx, "ansible.cfg"):
            add("ansible", f"{path}:1", f"Ansible configuration {path}")
        for path in index.matching(r"(?:^|/)roles/[^/]+/tasks/main\.ya?ml$"):
            add("ansible", f"{path}:1", f"Ansible role tasks {path}")
        for path, playbook, i in _playbooks(ctx, index):
            add("ansible", playbook.locator(i, "hosts"), f"Ansible playbook {path} (play with hosts and tasks/roles)")
        for path in _named(ctx, "Pulumi.yaml", "Pulumi.yml"):
            doc = load_yaml(ctx, path)
            data = _dict(doc.data if doc else None)
            if doc and "name" in data and "runtime" in data:
                add("pulumi", doc.locator("runtime"), f"Pulumi project {data['name']!r} ({data['runtime']})")
        for template in _cloudformation(ctx, index):
            key = "AWSTemplateFormatVersion" if "AWSTemplateFormatVersion" in template.data else "Resources"
            add("cloudformation", template.doc.locator(key), f"CloudFormation template {template.path}")
            if template.sam:
                add("sam", template.doc.locator("Transform"), f"AWS SAM template {template.path} (Transform {template.data['Transform']})")
        for path in index.yaml_with(_HEAT_MARKER, "heat_template_version"):
            doc = load_yaml(ctx, path)
            if doc and "heat_template_version" in _dict(doc.data):
                add("heat", doc.locator("heat_template_version"), f"OpenStack Heat template {path}")
        for obj in index.k8s:
            if obj.group == "crossplane.io" or obj.group.endswith(".crossplane.io"):
                add("crossplane", obj.locator, f"Crossplane {obj.label} ({obj.api_version})")
        for tool, locator, observed in _azd_infra(ctx, index):
            add(tool, locator, observed)
        for path in index.matching(r"\.bicep$"):
            if (text := index.text(path)) and (line := _first_line(text, _BICEP_DECLARATION)):
                add("bicep", f"{path}:{line}", f"Bicep declaration in {path}")
        for path in index.json_candidates:
            if "deploymentTemplate.json" not in (index.text(path) or ""):
                continue
            doc = load_json(ctx, path)
            data = _dict(doc.data if doc else None)
            if doc and "deploymentTemplate.json" in str(data.get("$schema", "")) and "resources" in data:
                add("arm", doc.locator("$schema"), f"Azure Resource Manager template {path}")
        for path in _named(ctx, "cdk.json"):
            doc = load_json(ctx, path)
            if doc and isinstance(_dict(doc.data).get("app"), str):
                add("cdk", doc.locator("app"), f"AWS CDK app {path}: {_short(doc.data['app'], 60)}")
        for path in _named(ctx, "serverless.yml", "serverless.yaml"):
            doc = load_yaml(ctx, path)
            data = _dict(doc.data if doc else None)
            if doc and "service" in data and "provider" in data:
                add("serverless", doc.locator("provider"), f"Serverless Framework service {path}")
        for path in _named(ctx, "Vagrantfile"):
            text = ctx.files.read_text(path) or ""
            if line := _first_line(text, re.compile(r"^[ \t]*Vagrant\.configure\b", re.M)):
                add("vagrant", f"{path}:{line}", f"Vagrantfile {path}")
        index.report(ctx)


# ---------------------------------------------------------------------------------------------
# deploy.manifests and deploy.orchestrators
# ---------------------------------------------------------------------------------------------

_K8S_WORKLOADS = frozenset({"Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Service", "Ingress", "CronJob", "Job", "Pod"})
_K8S_CORE_GROUPS = frozenset({"", "apps", "batch", "networking.k8s.io", "extensions"})


def _helm_release_of(obj: K8sObject) -> tuple[str, str] | None:
    """(locator, words) when a GitOps object installs a Helm chart: a Flux HelmRelease, or an Argo CD
    Application / ApplicationSet whose source is a chart (`chart:` or `helm:`)."""
    if obj.kind == "HelmRelease" and obj.group == "helm.toolkit.fluxcd.io":
        chart = obj.get("spec", "chart", "spec", "chart")
        what = f"chart {chart!r}" if isinstance(chart, str) else "a Helm chart"
        return f"{obj.path}:{obj.key_line('spec') or obj.line}", f"Flux {obj.label} installs {what}"
    if obj.group != "argoproj.io" or obj.kind not in ("Application", "ApplicationSet"):
        return None
    spec = ("spec", "template", "spec") if obj.kind == "ApplicationSet" else ("spec",)
    sources = [obj.get(*spec, "source"), *_list(obj.get(*spec, "sources"))]
    for source in sources:
        source = _dict(source)
        if "chart" in source or "helm" in source:
            chart = source.get("chart")
            what = f"chart {chart!r}" if isinstance(chart, str) and "{{" not in chart else "a Helm chart"
            return f"{obj.path}:{obj.key_line(*spec) or obj.line}", f"Argo CD {obj.label} deploys {what} (Helm source)"
    return None


def k8s_manifest_kind(obj: K8sObject) -> str | None:
    """The `deploy.manifests` name an object stands for, if any."""
    kind, group = obj.kind, obj.group
    if kind in _K8S_WORKLOADS and group in _K8S_CORE_GROUPS:
        return "kubernetes"
    if group == "argoproj.io":
        if kind in ("Application", "ApplicationSet", "AppProject"):
            return "argo-cd"
        if kind == "Rollout":
            return "kubernetes"
    if group.endswith(".toolkit.fluxcd.io"):
        return "flux"
    if group == "serving.knative.dev" and kind == "Service":
        return "knative"
    if kind in ("DeploymentConfig", "Route") and group in ("", "apps.openshift.io", "route.openshift.io"):
        return "openshift"
    if obj.api_version.startswith("skaffold/") and kind == "Config":
        return "skaffold"
    if group == "deploy.cloud.google.com" and kind == "DeliveryPipeline":
        return "cloud-deploy"
    return None


def k8s_orchestrator(obj: K8sObject) -> str | None:
    if obj.group == "argoproj.io" and obj.kind in ("Application", "ApplicationSet"):
        return "argo-cd"
    if obj.group.endswith(".toolkit.fluxcd.io") and obj.kind in ("Kustomization", "HelmRelease"):
        return "flux"
    return None


_COPILOT_TYPES = re.compile(r"^(Load Balanced Web Service|Backend Service|Worker Service|Request-Driven Web Service|Static Site|Scheduled Job)$")


def _heroku(ctx: DetectionContext) -> Iterator[Finding]:
    for path in _named(ctx, "heroku.yml"):
        doc = load_yaml(ctx, path)
        data = _dict(doc.data if doc else None)
        if doc and {"build", "run", "setup"} & data.keys():
            yield doc.locator(next(k for k in ("build", "run", "setup") if k in data)), f"heroku.yml {path}"
    for path in _named(ctx, "Procfile"):
        folder = _dir(path)
        app_json = _join(folder, "app.json")
        if not ctx.files.exists(app_json):
            # A `release:` process type is the platform's release phase (Heroku, Dokku and their
            # clones): the Procfile is a deploy descriptor, not a local process list for foreman.
            for number, line in enumerate((ctx.files.read_text(path) or "").splitlines(), 1):
                if re.match(r"^release\s*:\s*\S", line):
                    yield f"{path}:{number}", f"Procfile {path} declares a release phase"
                    break
            continue
        doc = load_json(ctx, app_json)
        data = _dict(doc.data if doc else None)
        if "expo" in data or not ({"buildpacks", "addons", "formation", "stack", "environments", "env"} & data.keys()):
            continue
        for number, line in enumerate((ctx.files.read_text(path) or "").splitlines(), 1):
            if re.match(r"^web\s*:\s*\S", line):
                yield f"{path}:{number}", f"Heroku Procfile web process with {app_json}"
                break


def _fly(ctx: DetectionContext) -> Iterator[Finding]:
    for path in _named(ctx, "fly.toml"):
        doc = load_toml(ctx, path)
        if doc and isinstance(_dict(doc.data).get("app"), str):
            yield doc.locator("app"), f"fly.toml app {doc.data['app']!r}"


def _render(ctx: DetectionContext) -> Iterator[Finding]:
    for path in _named(ctx, "render.yaml", "render.yml"):
        doc = load_yaml(ctx, path)
        if doc and _list(_dict(doc.data).get("services")):
            yield doc.locator("services"), f"Render blueprint {path} with {len(doc.data['services'])} service(s)"


def _vercel(ctx: DetectionContext) -> Iterator[Finding]:
    for path in _named(ctx, "vercel.json"):
        doc = load_json(ctx, path)
        if doc and isinstance(doc.data, dict):
            yield f"{path}:1", f"Vercel project configuration {path}"


def _netlify(ctx: DetectionContext) -> Iterator[Finding]:
    for path in _named(ctx, "netlify.toml"):
        doc = load_toml(ctx, path)
        if doc and isinstance(doc.data, dict):
            first = next(iter(doc.data), None)
            yield (doc.locator(first) if first else f"{path}:1"), f"Netlify configuration {path}"


def _app_engine(ctx: DetectionContext) -> Iterator[Finding]:
    for path in _named(ctx, "app.yaml"):
        doc = load_yaml(ctx, path)
        if doc and isinstance(_dict(doc.data).get("runtime"), str):
            yield doc.locator("runtime"), f"App Engine app.yaml (runtime {doc.data['runtime']})"


def _cloud_foundry(ctx: DetectionContext) -> Iterator[Finding]:
    for path in _named(ctx, "manifest.yml", "manifest.yaml"):
        doc = load_yaml(ctx, path)
        if doc and _list(_dict(doc.data).get("applications")):
            yield doc.locator("applications"), f"Cloud Foundry manifest {path}"


def _task_definition(data: dict[Any, Any]) -> bool:
    return bool(_list(data.get("containerDefinitions"))) or bool(_list(_dict(data.get("taskDefinition")).get("containerDefinitions")))


def _ecs(ctx: DetectionContext, index: _Index) -> Iterator[Finding]:
    for path in index.json_candidates:
        if "containerDefinitions" not in (index.text(path) or ""):
            continue
        doc = load_json(ctx, path)
        if doc and _task_definition(_dict(doc.data)):
            yield doc.locator("containerDefinitions") if "containerDefinitions" in doc.data else doc.locator("taskDefinition"), f"ECS task definition {path}"
    for template in _cloudformation(ctx, index):
        for name, resource in template.resources.items():
            if _dict(resource).get("Type") in ("AWS::ECS::Service", "AWS::ECS::TaskDefinition"):
                yield template.doc.locator("Resources", name, "Type"), f"CloudFormation {resource['Type']} {name}"
    for f in index.hcl_of("terraform", "opentofu"):
        for block in f.root.children("resource"):
            if block.labels[:1] in (("aws_ecs_service",), ("aws_ecs_task_definition",)):
                yield f"{f.path}:{block.line}", f"Terraform {' '.join(block.labels)}"


def _kamal(ctx: DetectionContext) -> Iterator[Finding]:
    for path in _matching(ctx, r"(?:^|/)config/deploy\.yml$"):
        doc = load_yaml(ctx, path)
        data = _dict(doc.data if doc else None)
        if doc and {"service", "image", "servers"} <= data.keys():
            yield doc.locator("service"), f"Kamal deploy configuration {path}"


def _capistrano(ctx: DetectionContext) -> Iterator[Finding]:
    for path in _named(ctx, "Capfile"):
        for number, line in enumerate((ctx.files.read_text(path) or "").splitlines(), 1):
            if re.match(r"""^[ \t]*require\s*\(?\s*["']capistrano/""", line):
                yield f"{path}:{number}", f"Capistrano Capfile ({line.strip()})"
                break
    for path in _matching(ctx, r"(?:^|/)config/deploy\.rb$"):
        for number, line in enumerate((ctx.files.read_text(path) or "").splitlines(), 1):
            if re.match(r"^[ \t]*(set\s+:(application|repo_url)|lock\s+['\"~])", line):
                yield f"{path}:{number}", f"Capistrano deploy configuration ({line.strip()})"
                break


def _spinnaker_pipelines(ctx: DetectionContext, index: _Index) -> list[tuple[str, Parsed]]:
    out: list[tuple[str, Parsed]] = []
    for path in index.json_candidates:
        text = index.text(path) or ""
        if '"stages"' not in text or '"application"' not in text:
            continue
        doc = load_json(ctx, path)
        data = _dict(doc.data if doc else None)
        if doc and isinstance(data.get("application"), str) and _list(data.get("stages")):
            out.append((path, doc))
    return out


def _spinnaker(ctx: DetectionContext, index: _Index) -> Iterator[Finding]:
    for path, doc in _spinnaker_pipelines(ctx, index):
        yield doc.locator("stages"), f"Spinnaker pipeline for application {doc.data['application']!r} ({path})"
    for path in _named(ctx, "dinghyfile"):
        text = ctx.files.read_text(path) or ""
        if line := _first_line(text, re.compile(r'"(pipelines|stages)"\s*:')):
            yield f"{path}:{line}", f"Spinnaker dinghyfile {path}"


def _elastic_beanstalk(ctx: DetectionContext) -> Iterator[Finding]:
    for path in _named(ctx, "Dockerrun.aws.json"):
        doc = load_json(ctx, path)
        if doc and "AWSEBDockerrunVersion" in _dict(doc.data):
            yield doc.locator("AWSEBDockerrunVersion"), f"Elastic Beanstalk {path}"
    for path in _matching(ctx, r"(?:^|/)\.ebextensions/[^/]+\.config$"):
        yield f"{path}:1", f"Elastic Beanstalk extension {path}"


def _copilot(ctx: DetectionContext) -> Iterator[Finding]:
    for path in _matching(ctx, r"(?:^|/)copilot/[^/]+/manifest\.ya?ml$"):
        doc = load_yaml(ctx, path)
        kind = _dict(doc.data if doc else None).get("type")
        if doc and isinstance(kind, str) and _COPILOT_TYPES.match(kind):
            yield doc.locator("type"), f"AWS Copilot {kind} {path}"


_AZD_HOSTS = frozenset({"appservice", "containerapp", "function", "aks", "staticwebapp", "springapp", "ai.endpoint"})


def _azd_project(ctx: DetectionContext, path: str) -> tuple[Parsed, dict[Any, Any]] | None:
    """An Azure Developer CLI project (`azure.yaml`) with at least one service hosted on Azure."""
    doc = load_yaml(ctx, path)
    data = _dict(doc.data if doc else None)
    services = _dict(data.get("services"))
    if doc and any(str(_dict(s).get("host", "")).lower() in _AZD_HOSTS for s in services.values()):
        return doc, data
    return None


def _azd(ctx: DetectionContext) -> Iterator[Finding]:
    for path in _named(ctx, "azure.yaml", "azure.yml"):
        if project := _azd_project(ctx, path):
            doc, data = project
            hosts = sorted({str(_dict(s).get("host")).lower() for s in _dict(data["services"]).values() if _dict(s).get("host")})
            yield doc.locator("services"), f"Azure Developer CLI project {path}: services hosted on {', '.join(hosts)}"


def _azd_infra(ctx: DetectionContext, index: _Index) -> Iterator[tuple[str, str, str]]:
    """(tool, locator, words): the infrastructure an azd project provisions (`infra:`, by default Bicep in ./infra)."""
    for path in _named(ctx, "azure.yaml", "azure.yml"):
        if not (project := _azd_project(ctx, path)):
            continue
        doc, data = project
        infra = _dict(data.get("infra"))
        provider = str(infra.get("provider") or "bicep").lower()
        folder = _join(_dir(path), str(infra.get("path") or "infra").strip("./") or "infra")
        ext = {"bicep": (".bicep", ".bicepparam"), "terraform": (".tf",)}.get(provider)
        if ext and any(p.startswith(folder + "/") and p.endswith(ext) for p in index.paths):
            locator = doc.locator("infra") if infra else doc.locator("services")
            yield provider, locator, f"Azure Developer CLI project {path} provisions its infrastructure with {provider} ({folder}/)"


def _nomad(index: _Index) -> Iterator[Finding]:
    for f in index.hcl_of("nomad"):
        for block in f.root.children("job"):
            yield f"{f.path}:{block.line}", f"Nomad job {' '.join(block.labels)}".strip()


def _helmfile_releases(docs: list[LineDict]) -> list[tuple[str, int]]:
    out: list[tuple[str, int]] = []
    for doc in docs:
        releases = doc.get("releases")
        if isinstance(releases, list):
            for i, release in enumerate(releases):
                if isinstance(release, dict):
                    out.append((str(release.get("name", f"#{i + 1}")), getattr(release, "line", doc.line)))
    return out


class DeployDescriptorsDetector(Detector):
    """`deploy.manifests` (deployment descriptors kept in the repository) and
    `deploy.orchestrators` (tools that coordinate the deployment of several components)."""

    name = "deploy-descriptors"
    provides = frozenset({"deploy.manifests", "deploy.orchestrators"})

    def detect(self, ctx: DetectionContext) -> None:
        index = _index(ctx)

        def manifest(tool: str, finding: Finding) -> None:
            _emit(ctx, "deploy.manifests", [tool], *finding)

        for obj in index.k8s:
            templated = " (Helm template)" if index.is_chart_template(obj.path) else ""
            if tool := k8s_manifest_kind(obj):
                manifest(tool, (obj.locator, f"{obj.label} ({obj.api_version}){templated}"))
            if tool := k8s_orchestrator(obj):
                _emit(ctx, "deploy.orchestrators", [tool], obj.locator, f"{obj.label} ({obj.api_version}) reconciles deployments")
        for finding in _helm_charts(ctx):
            manifest("helm", finding)
        for path, doc in _kustomizations(ctx):
            manifest("kustomize", _kustomize_finding(path, doc))
        finders: tuple[tuple[str, Iterable[Finding]], ...] = (
            ("nomad", _nomad(index)),
            ("heroku", _heroku(ctx)),
            ("fly", _fly(ctx)),
            ("render", _render(ctx)),
            ("vercel", _vercel(ctx)),
            ("netlify", _netlify(ctx)),
            ("app-engine", _app_engine(ctx)),
            ("cloud-foundry", _cloud_foundry(ctx)),
            ("ecs", _ecs(ctx, index)),
            ("kamal", _kamal(ctx)),
            ("capistrano", _capistrano(ctx)),
            ("elastic-beanstalk", _elastic_beanstalk(ctx)),
            ("copilot", _copilot(ctx)),
            ("azd", _azd(ctx)),
        )
        for tool, findings in finders:
            for finding in findings:
                manifest(tool, finding)
        for finding in _spinnaker(ctx, index):
            manifest("spinnaker", finding)
            _emit(ctx, "deploy.orchestrators", ["spinnaker"], *finding)
        releases_seen: list[tuple[str, str, int]] = []
        for path, docs in _helmfiles(ctx):
            releases = _helmfile_releases(docs)
            if releases:
                manifest("helmfile", (f"{path}:{releases[0][1]}", f"helmfile {path} with {len(releases)} release(s)"))
                releases_seen.extend((path, name, line) for name, line in releases)
        if len(releases_seen) >= 2:
            path, _, line = releases_seen[0]
            names = ", ".join(name for _, name, _ in releases_seen[:5])
            _emit(ctx, "deploy.orchestrators", ["helmfile"], f"{path}:{line}", f"helmfile coordinates {len(releases_seen)} releases ({names})")
        index.report(ctx)


# ---------------------------------------------------------------------------------------------
# release.strategies
# ---------------------------------------------------------------------------------------------

Strategy = tuple[str, str, str]
"""(strategy, locator, observed)."""


def _weighted(entries: Any, weight_key: str) -> int:
    return sum(1 for e in _list(entries) if isinstance(e, dict) and weight_key in e)


def k8s_strategies(obj: K8sObject) -> Iterator[Strategy]:
    """Progressive-delivery strategies declared by one Kubernetes object."""
    kind, group, label = obj.kind, obj.group, obj.label
    if kind == "Rollout" and group == "argoproj.io":
        for key, strategy in (("canary", "canary"), ("blueGreen", "blue-green")):
            if line := obj.key_line("spec", "strategy", key):
                yield strategy, f"{obj.path}:{line}", f"Argo {label}: spec.strategy.{key}"
    elif kind == "Canary" and group == "flagger.app":
        yield _flagger(obj)
    elif kind == "VirtualService" and group == "networking.istio.io":
        for protocol in ("http", "tcp", "tls"):
            for route in _list(obj.get("spec", protocol)):
                if _weighted(_dict(route).get("route"), "weight") >= 2:
                    yield "canary", f"{obj.path}:{getattr(route, 'line', obj.line)}", f"Istio {label}: {protocol} route split by weight"
                    return
    elif kind in ("HTTPRoute", "GRPCRoute", "TCPRoute", "TLSRoute") and group == "gateway.networking.k8s.io":
        for rule in _list(obj.get("spec", "rules")):
            if _weighted(_dict(rule).get("backendRefs"), "weight") >= 2:
                yield "canary", f"{obj.path}:{getattr(rule, 'line', obj.line)}", f"Gateway API {label}: backendRefs split by weight"
                return
    elif kind == "TrafficSplit" and group == "split.smi-spec.io":
        if len(_list(obj.get("spec", "backends"))) >= 2:
            yield "canary", f"{obj.path}:{obj.key_line('spec', 'backends')}", f"SMI {label} over several backends"
    elif kind == "Ingress":
        value, line = obj.annotations().get("nginx.ingress.kubernetes.io/canary", ("", 0))
        if value.strip().lower() == "true":
            yield "canary", f"{obj.path}:{line}", f"{label}: nginx.ingress.kubernetes.io/canary: \"true\""
    elif kind == "Service" and group == "serving.knative.dev":
        if _weighted(obj.get("spec", "traffic"), "percent") >= 2:
            yield "canary", f"{obj.path}:{obj.key_line('spec', 'traffic')}", f"Knative {label}: traffic split by percent"
    elif kind == "DeliveryPipeline" and group == "deploy.cloud.google.com":
        for stage in _list(_dict(obj.get("serialPipeline")).get("stages")):
            canary = _dict(_dict(stage).get("strategy")).get("canary")
            if isinstance(canary, LineDict):
                yield "canary", f"{obj.path}:{canary.line}", f"Cloud Deploy {label}: canary stage for {_dict(stage).get('targetId')}"
                return


def _flagger(obj: K8sObject) -> Strategy:
    """Flagger: blue/green when the analysis runs `iterations` without traffic weights (and
    without `match`, which is A/B testing: counted as canary); canary otherwise."""
    section = "analysis" if obj.key_line("spec", "analysis") else "canaryAnalysis"
    has = {k for k in ("iterations", "stepWeight", "stepWeights", "maxWeight", "match", "mirror") if obj.key_line("spec", section, k)}
    line = obj.key_line("spec", section) or obj.line
    if "iterations" in has and not has & {"stepWeight", "stepWeights", "maxWeight", "match"}:
        return "blue-green", f"{obj.path}:{line}", f"Flagger {obj.label}: {section} by iterations with no traffic weights (blue/green)"
    how = "A/B match" if "match" in has else "traffic weights"
    return "canary", f"{obj.path}:{line}", f"Flagger {obj.label}: progressive {section} ({how})"


def _cloudformation_strategies(template: _Template) -> Iterator[Strategy]:
    doc = template.doc
    for name, resource in template.resources.items():
        rtype, props = _dict(resource).get("Type"), _dict(_dict(resource).get("Properties"))

        def at(*keys: str | int, name: str = name) -> str:
            return doc.locator("Resources", name, "Properties", *keys)

        if rtype == "AWS::CodeDeploy::DeploymentGroup":
            if _dict(props.get("DeploymentStyle")).get("DeploymentType") == "BLUE_GREEN":
                yield "blue-green", at("DeploymentStyle", "DeploymentType"), f"CodeDeploy deployment group {name}: BLUE_GREEN"
            config = props.get("DeploymentConfigName")
            if isinstance(config, str) and _CODEDEPLOY_CANARY.search(config):
                yield "canary", at("DeploymentConfigName"), f"CodeDeploy deployment group {name}: {config}"
        elif rtype == "AWS::CodeDeploy::DeploymentConfig":
            kind = _dict(props.get("TrafficRoutingConfig")).get("Type")
            if kind in ("TimeBasedCanary", "TimeBasedLinear"):
                yield "canary", at("TrafficRoutingConfig", "Type"), f"CodeDeploy deployment config {name}: {kind}"
        elif rtype == "AWS::ECS::Service":
            if _dict(props.get("DeploymentController")).get("Type") == "CODE_DEPLOY":
                yield "blue-green", at("DeploymentController", "Type"), f"ECS service {name}: CODE_DEPLOY controller (blue/green)"
            strategy = _dict(props.get("DeploymentConfiguration")).get("Strategy")
            if strategy in ("BLUE_GREEN", "CANARY", "LINEAR"):
                value = "blue-green" if strategy == "BLUE_GREEN" else "canary"
                yield value, at("DeploymentConfiguration", "Strategy"), f"ECS service {name}: {strategy} deployments"
        elif rtype in ("AWS::ElasticLoadBalancingV2::Listener", "AWS::ElasticLoadBalancingV2::ListenerRule"):
            for key in ("DefaultActions", "Actions"):
                for i, action in enumerate(_list(props.get(key))):
                    if _weighted(_dict(_dict(action).get("ForwardConfig")).get("TargetGroups"), "Weight") >= 2:
                        yield "canary", at(key, i, "ForwardConfig"), f"{rtype.rsplit('::', 1)[-1]} {name}: weighted target groups"
        elif rtype == "AWS::Serverless::Function":
            preference = _dict(props.get("DeploymentPreference")).get("Type")
            if isinstance(preference, str) and _CODEDEPLOY_CANARY.search(preference):
                yield "canary", at("DeploymentPreference", "Type"), f"SAM function {name}: DeploymentPreference {preference}"
    preference = _dict(_dict(_dict(template.data.get("Globals")).get("Function")).get("DeploymentPreference")).get("Type")
    if isinstance(preference, str) and _CODEDEPLOY_CANARY.search(preference):
        yield "canary", doc.locator("Globals", "Function", "DeploymentPreference", "Type"), f"SAM Globals: DeploymentPreference {preference}"
    for name, hook in _dict(template.data.get("Hooks")).items():
        if _dict(hook).get("Type") == "AWS::CodeDeploy::BlueGreen":
            yield "blue-green", doc.locator("Hooks", name, "Type"), f"CloudFormation hook {name}: AWS::CodeDeploy::BlueGreen"


def _terraform_strategies(f: HclFile) -> Iterator[Strategy]:
    for resource in f.root.children("resource"):
        rtype = resource.labels[0] if resource.labels else ""
        label = " ".join(resource.labels)
        if rtype == "aws_codedeploy_deployment_group":
            for style in resource.children("deployment_style"):
                if style.string("deployment_type") == "BLUE_GREEN":
                    yield "blue-green", f"{f.path}:{style.attributes['deployment_type'].line}", f"Terraform {label}: deployment_type = BLUE_GREEN"
            config = resource.string("deployment_config_name")
            if config and _CODEDEPLOY_CANARY.search(config):
                yield "canary", f"{f.path}:{resource.attributes['deployment_config_name'].line}", f"Terraform {label}: {config}"
        elif rtype == "aws_codedeploy_deployment_config":
            for routing in resource.children("traffic_routing_config"):
                if routing.string("type") in ("TimeBasedCanary", "TimeBasedLinear"):
                    yield "canary", f"{f.path}:{routing.attributes['type'].line}", f"Terraform {label}: traffic routing {routing.string('type')}"
        elif rtype == "aws_ecs_service":
            for controller in resource.children("deployment_controller"):
                if controller.string("type") == "CODE_DEPLOY":
                    yield "blue-green", f"{f.path}:{controller.attributes['type'].line}", f"Terraform {label}: deployment_controller CODE_DEPLOY (blue/green)"
            for settings in resource.children("deployment_configuration"):
                strategy = settings.string("strategy")
                if strategy in ("BLUE_GREEN", "CANARY", "LINEAR"):
                    value = "blue-green" if strategy == "BLUE_GREEN" else "canary"
                    yield value, f"{f.path}:{settings.attributes['strategy'].line}", f"Terraform {label}: deployment strategy {strategy}"
        elif rtype in ("google_cloud_run_service", "google_cloud_run_v2_service"):
            traffic = [t for t in resource.children("traffic") if "percent" in t.attributes]
            if len(traffic) >= 2:
                yield "canary", f"{f.path}:{traffic[0].line}", f"Terraform {label}: traffic split across revisions"
        elif rtype == "aws_lambda_alias":
            for routing in resource.children("routing_config"):
                if "additional_version_weights" in routing.attributes:
                    yield "canary", f"{f.path}:{routing.line}", f"Terraform {label}: weighted alias routing"
        for block in resource.walk():
            if block.type == "forward" and sum(1 for t in block.children("target_group") if "weight" in t.attributes) >= 2:
                yield "canary", f"{f.path}:{block.line}", f"Terraform {label}: forward to weighted target groups"
                break


def _spinnaker_strategies(path: str, doc: Parsed) -> Iterator[Strategy]:
    for i, stage in enumerate(_list(_dict(doc.data).get("stages"))):
        stage = _dict(stage)
        kind = stage.get("type")
        if kind in ("canary", "kayentaCanary"):
            yield "canary", doc.locator("stages", i, "type"), f"Spinnaker {kind} stage {stage.get('name', '')!r} ({path})"
        elif kind == "deployManifest":
            traffic = _dict(stage.get("trafficManagement"))
            strategy = _dict(traffic.get("options")).get("strategy")
            if traffic.get("enabled") and strategy in ("redblack", "bluegreen"):
                yield "blue-green", doc.locator("stages", i, "trafficManagement"), f"Spinnaker deployManifest stage with {strategy} traffic management ({path})"
        elif kind == "deploy":
            for j, cluster in enumerate(_list(stage.get("clusters"))):
                if _dict(cluster).get("strategy") in ("redblack", "bluegreen"):
                    yield "blue-green", doc.locator("stages", i, "clusters", j, "strategy"), f"Spinnaker deploy stage with {cluster['strategy']} strategy ({path})"


def _appspec_strategies(ctx: DetectionContext) -> Iterator[Strategy]:
    """CodeDeploy appspec for ECS: CodeDeploy deploys ECS services blue/green only."""
    for path in _named(ctx, "appspec.yml", "appspec.yaml", "appspec.json"):
        doc = _load_structured(ctx, path)
        for i, resource in enumerate(_list(_dict(doc.data if doc else None).get("Resources"))):
            for name, target in _dict(resource).items():
                if _dict(target).get("Type") == "AWS::ECS::Service" and doc:
                    yield "blue-green", doc.locator("Resources", i, name, "Type"), f"CodeDeploy appspec for ECS service {name} (blue/green)"


def _serverless_strategies(ctx: DetectionContext) -> Iterator[Strategy]:
    """serverless-plugin-canary-deployments: `deploymentSettings.type` of a function."""
    for path in _named(ctx, "serverless.yml", "serverless.yaml"):
        doc = load_yaml(ctx, path)
        for name, function in _dict(_dict(doc.data if doc else None).get("functions")).items():
            kind = _dict(_dict(function).get("deploymentSettings")).get("type")
            if doc and isinstance(kind, str) and _CODEDEPLOY_CANARY.search(kind):
                yield "canary", doc.locator("functions", name, "deploymentSettings", "type"), f"Serverless function {name}: deploymentSettings {kind}"


class ReleaseStrategyDetector(Detector):
    """`release.strategies`: canary and blue/green releases declared in manifests or IaC."""

    name = "release-strategies"
    provides = frozenset({"release.strategies"})

    def detect(self, ctx: DetectionContext) -> None:
        index = _index(ctx)
        found: list[Strategy] = []
        for obj in index.k8s:
            found.extend(k8s_strategies(obj))
        for template in _cloudformation(ctx, index):
            found.extend(_cloudformation_strategies(template))
        for f in index.hcl_of("terraform", "opentofu"):
            found.extend(_terraform_strategies(f))
        for path, doc in _spinnaker_pipelines(ctx, index):
            found.extend(_spinnaker_strategies(path, doc))
        found.extend(_appspec_strategies(ctx))
        found.extend(_serverless_strategies(ctx))
        for strategy, locator, observed in found:
            _emit(ctx, "release.strategies", [strategy], locator, observed)
        index.report(ctx)


# ---------------------------------------------------------------------------------------------
# deploy.standard_process
# ---------------------------------------------------------------------------------------------


def _resolve(folder: str, ref: str) -> str | None:
    """A repository path for a relative reference, or None for remote / escaping references."""
    if "://" in ref or ref.startswith(("git@", "github.com/", "git::")) or ref.startswith("/"):
        return None
    resolved = posixpath.normpath(posixpath.join(folder or ".", ref))
    return None if resolved.startswith("..") else ("" if resolved == "." else resolved)


def _kustomize_overlays(ctx: DetectionContext) -> Iterator[Finding]:
    kustomizations = _kustomizations(ctx)
    folders = {_dir(path) for path, _ in kustomizations}
    users: dict[str, list[tuple[str, str]]] = {}  # base folder -> [(overlay folder, locator)]
    for path, doc in kustomizations:
        folder = _dir(path)
        for key in ("resources", "bases"):  # components are mix-ins, not a shared base
            for i, ref in enumerate(_list(doc.data.get(key))):
                target = _resolve(folder, ref) if isinstance(ref, str) else None
                if target is None:
                    continue
                base = target if target in folders else _dir(target) if _dir(target) in folders and target != folder else None
                if base is not None and base != folder and all(u != folder for u, _ in users.get(base, [])):
                    users.setdefault(base, []).append((folder, doc.locator(key, i)))
    for base, overlays in sorted(users.items()):
        # Only overlays that stand for environments or clusters make a standard process; variants of
        # one install (`cluster-install/`, `namespace-install/`, `crds/`) do not.
        overlays = [(o, loc) for o, loc in overlays if _environment_overlay(o)]
        if len(overlays) >= 2:
            names = ", ".join(sorted(o for o, _ in overlays))
            yield overlays[0][1], f"kustomize base {base or '.'} shared by {len(overlays)} overlays ({names})"


_OVERLAY_PARENTS = frozenset({"overlays", "overlay", "envs", "env", "environments", "environment", "clusters", "cluster", "stages", "regions", "tenants"})


def _environment_overlay(folder: str) -> bool:
    """True when an overlay folder names an environment (`overlays/prod`, `staging/`, `envs/eu-1/app`)
    or sits in a folder of overlays (`overlays/<any>`, `clusters/<any>`)."""
    parts = folder.split("/") if folder else []
    return any(env_name(p, folder=True) for p in parts) or any(p.lower() in _OVERLAY_PARENTS for p in parts[:-1])


_VALUES_FILE = re.compile(r"^(?:values[-_.](?P<a>.+)|(?P<b>.+?)[-_.]values)\.ya?ml$", re.I)


def _helm_values_env(path: str, chart_dirs: list[str]) -> str | None:
    name = _name(path)
    m = _VALUES_FILE.match(name)
    if m:
        return env_name(m.group("a") or m.group("b"))
    folder = _name(_dir(path))
    if re.fullmatch(r"values\.ya?ml", name, re.I):  # envs/<env>/values.yaml; not a chart's own defaults
        return None if _dir(path) in chart_dirs else env_name(folder)
    if folder == "values" and name.lower().endswith((".yaml", ".yml")):
        return env_name(name.rsplit(".", 1)[0])
    return None


def _helm_values(ctx: DetectionContext, index: _Index) -> Iterator[Finding]:
    if not index.chart_dirs and not _named(ctx, "helmfile.yaml", "helmfile.yml"):
        return
    envs: dict[str, str] = {}
    for path in index.yaml_paths:
        if (env := _helm_values_env(path, index.chart_dirs)) and not index.is_chart_template(path):
            envs.setdefault(env, path)
    if len(envs) >= 2:
        first = sorted(envs.values())[0]
        yield f"{first}:1", f"per-environment Helm values for {len(envs)} environments ({', '.join(sorted(envs))})"


def _tfvars(ctx: DetectionContext) -> Iterator[Finding]:
    envs: dict[str, str] = {}
    for path in _matching(ctx, r"\.tfvars(?:\.json)?$"):
        m = re.fullmatch(r"(.+?)(?:\.auto)?\.tfvars(?:\.json)?", _name(path))
        if not m:
            continue
        env = env_name(m.group(1)) or (_env_of_folders(path) if m.group(1) in ("terraform", "vars", "variables", "env", "main") else None)
        if env:
            envs.setdefault(env, path)
    if len(envs) >= 2:
        first = sorted(envs.values())[0]
        yield f"{first}:1", f"Terraform variables per environment: {', '.join(sorted(envs))}"


def _shared_modules(index: _Index) -> Iterator[Finding]:
    """Terraform root modules in per-environment folders calling the same module, and Terragrunt
    configurations of several environments using the same source."""
    callers: dict[str, dict[str, str]] = {}  # source -> env -> locator
    for f in index.hcl_of("terraform", "opentofu", "terragrunt"):
        env = _env_of_folders(f.path)
        if env is None:
            continue
        blocks = f.root.children("terraform") if f.kind == "terragrunt" else f.root.children("module")
        for block in blocks:
            source = block.string("source")
            if not source:
                continue
            source = source.split("?", 1)[0]
            resolved = _resolve(_dir(f.path), source) if source.startswith(".") else source
            if resolved is not None:
                callers.setdefault(resolved, {}).setdefault(env, f"{f.path}:{block.attributes['source'].line}")
    for source, envs in sorted(callers.items()):
        if len(envs) >= 2:
            yield sorted(envs.values())[0], f"module {source} deployed per environment ({', '.join(sorted(envs))})"


_APPSET_GENERATORS = ("clusters", "git", "matrix", "merge", "clusterDecisionResource")


def _application_sets(index: _Index) -> Iterator[Finding]:
    for obj in index.k8s:
        if obj.kind != "ApplicationSet" or obj.group != "argoproj.io":
            continue
        for generator in _list(obj.get("spec", "generators")):
            kinds = [k for k in _dict(generator) if k in _APPSET_GENERATORS]
            elements = _list(_dict(_dict(generator).get("list")).get("elements"))
            if kinds or len(elements) >= 2:
                how = f"{kinds[0]} generator" if kinds else f"list generator with {len(elements)} elements"
                yield f"{obj.path}:{obj.key_line('spec', 'generators')}", f"Argo CD {obj.label} generates applications ({how})"
                break


def _helmfile_environments(ctx: DetectionContext) -> Iterator[Finding]:
    for path, docs in _helmfiles(ctx):
        for doc in docs:
            environments = doc.get("environments")
            if isinstance(environments, LineDict) and len(environments) >= 2 and _helmfile_releases(docs):
                yield f"{path}:{doc.key_lines.get('environments', doc.line)}", f"helmfile environments: {', '.join(map(str, environments))}"
                break


def _cloud_deploy(index: _Index) -> Iterator[Finding]:
    for obj in index.k8s:
        if obj.kind == "DeliveryPipeline" and obj.group == "deploy.cloud.google.com":
            stages = _list(_dict(obj.get("serialPipeline")).get("stages"))
            if len(stages) >= 2:
                targets = ", ".join(str(_dict(s).get("targetId")) for s in stages)
                yield f"{obj.path}:{obj.key_line('serialPipeline')}", f"Cloud Deploy {obj.label} promotes one release through {targets}"


def _per_destination_files(ctx: DetectionContext) -> Iterator[Finding]:
    """Kamal destinations (`config/deploy.<dest>.yml`) and Capistrano stages (`config/deploy/<stage>.rb`)."""
    kamal = _matching(ctx, r"(?:^|/)config/deploy\.[^./]+\.yml$")
    if len(kamal) >= 2 and any(ctx.files.exists(_join(_dir(p), "deploy.yml")) for p in kamal):
        yield f"{sorted(kamal)[0]}:1", f"Kamal destinations: {', '.join(sorted(_name(p).split('.')[1] for p in kamal))}"
    stages = _matching(ctx, r"(?:^|/)config/deploy/[^/]+\.rb$")
    if len(stages) >= 2 and _named(ctx, "Capfile"):
        yield f"{sorted(stages)[0]}:1", f"Capistrano stages: {', '.join(sorted(_name(p)[:-3] for p in stages))}"


def _pulumi_stacks(ctx: DetectionContext) -> Iterator[Finding]:
    """One Pulumi program with a stack configuration per environment (`Pulumi.staging.yaml`,
    `Pulumi.production.yaml` beside `Pulumi.yaml`)."""
    for project in _named(ctx, "Pulumi.yaml", "Pulumi.yml"):
        folder = _dir(project)
        envs: dict[str, str] = {}
        for path in _matching(ctx, r"(?:^|/)Pulumi\.[^/]+\.ya?ml$"):
            if _dir(path) == folder and (env := env_name(_name(path).split(".")[1])):
                envs.setdefault(env, path)
        if len(envs) >= 2:
            yield f"{sorted(envs.values())[0]}:1", f"Pulumi project {project} with a stack per environment ({', '.join(sorted(envs))})"


class StandardDeployProcessDetector(Detector):
    """`deploy.standard_process`: one deploy definition parameterised for several environments."""

    name = "deploy-standard-process"
    provides = frozenset({"deploy.standard_process"})

    def detect(self, ctx: DetectionContext) -> None:
        index = _index(ctx)
        finders: tuple[Iterable[Finding], ...] = (
            _kustomize_overlays(ctx), _helm_values(ctx, index), _tfvars(ctx), _shared_modules(index),
            _application_sets(index), _helmfile_environments(ctx), _cloud_deploy(index), _per_destination_files(ctx),
            _pulumi_stacks(ctx),
        )
        for finder in finders:
            for locator, observed in finder:
                _emit(ctx, "deploy.standard_process", True, locator, observed)
        index.report(ctx)


# ---------------------------------------------------------------------------------------------
# Commands: what deploys, what migrates
# ---------------------------------------------------------------------------------------------

_DEPLOY_COMMANDS: tuple[tuple[str, re.Pattern[str]], ...] = tuple((tool, re.compile(rx, re.I)) for tool, rx in (
    ("kubectl", r"\b(?:kubectl|oc)\b[^;&|]*?\s(?:apply|replace|set\s+image|rollout\s+(?:restart|undo|resume)|create\s+(?:-f|--filename))\b"),
    ("helm", r"\bhelm3?\s+(?:secrets\s+)?(?:upgrade|install)\b"),
    ("helmfile", r"\bhelmfile\b[^;&|]*?\s(?:apply|sync|deploy)\b"),
    ("terraform", r"\b(?:terraform|tofu|terragrunt)\b[^;&|]*?\s(?:run-all\s+)?apply\b"),
    ("aws-ecs", r"\baws\s+ecs\s+(?:update-service|deploy)\b|\becs-deploy\b"),
    ("aws-codedeploy", r"\baws\s+deploy\s+create-deployment\b"),
    ("aws-cloudformation", r"\baws\s+cloudformation\s+(?:deploy|create-stack|update-stack)\b"),
    ("aws-lambda", r"\baws\s+lambda\s+update-function-code\b"),
    ("elastic-beanstalk", r"\beb\s+deploy\b|\baws\s+elasticbeanstalk\s+update-environment\b"),
    ("copilot", r"\bcopilot\s+(?:(?:svc|job|app)\s+)?deploy\b"),
    ("gcloud", r"\bgcloud\b[^;&|]*?\s(?:run\s+deploy|app\s+deploy|functions\s+deploy|run\s+services\s+(?:update|replace)|deploy\s+releases\s+create)\b"),
    ("az", r"\baz\s+(?:webapp\s+(?:deploy|up|deployment\s+source\s+config-zip)|functionapp\s+(?:deploy|deployment\s+source\s+config-zip)"
           r"|containerapp\s+(?:update|up)|deployment\s+(?:group|sub|mg|tenant)\s+create)\b|\bfunc\s+azure\s+functionapp\s+publish\b|\bazd\s+(?:up|deploy)\b"),
    ("fly", r"\b(?:flyctl|fly)\s+deploy\b"),
    ("vercel", r"\bvercel\b[^;&|]*?\s(?:--prod\b|deploy\b)"),
    ("netlify", r"\bnetlify\s+deploy\b[^;&|]*\s--prod\b"),
    ("firebase", r"\bfirebase\b[^;&|]*?\sdeploy\b"),
    ("cloud-foundry", r"\bcf\s+(?:push|blue-green-deploy|zero-downtime-push)\b"),
    ("ansible", r"\bansible-playbook\b"),
    ("serverless", r"\b(?:serverless|sls)\s+deploy\b"),
    ("cdk", r"\bcdk\s+deploy\b"),
    ("sam", r"\bsam\s+deploy\b"),
    ("kamal", r"\b(?:kamal|mrsk)\s+(?:deploy|redeploy)\b"),
    ("capistrano", r"\bcap\s+\S+\s+deploy\b"),
    ("docker-swarm", r"\bdocker\s+stack\s+deploy\b"),
    ("nomad", r"\bnomad\s+(?:job\s+)?run\b"),
    ("heroku", r"\bheroku\s+container:release\b|\bgit\s+push\b[^;&|]*\b(?:heroku|dokku)\b"),
    ("skaffold", r"\bskaffold\s+(?:run|deploy)\b"),
    ("pulumi", r"\bpulumi\s+up\b"),
    ("argo-cd", r"\bargocd\s+app\s+(?:sync|set)\b"),
    ("flux", r"\bflux\s+reconcile\b"),
    ("railway", r"\brailway\s+up\b"),
    ("knative", r"\bkn\s+service\s+(?:create|update|apply)\b"),
))
_SSH = re.compile(r"\bssh\b", re.I)
_REMOTE_RESTART = re.compile(
    r"\bdocker[\s-]compose\b[^;&|]*\sup\b|\bdocker\s+(?:service\s+update|run)\b|\bsystemctl\s+(?:restart|reload|start)\b"
    r"|\bservice\s+\S+\s+(?:restart|reload)\b|\bsupervisorctl\s+(?:restart|reload|update)\b|\bpm2\s+(?:reload|restart|start|startOrReload)\b",
    re.I,
)
_MIGRATIONS: tuple[tuple[str, re.Pattern[str]], ...] = tuple((tool, re.compile(rx, re.I)) for tool, rx in (
    ("alembic", r"\balembic\b[^;&|]*\bupgrade\b"),
    ("django", r"\b(?:manage\.py|django-admin)\s+migrate\b"),
    ("rails", r"\b(?:rails|rake)\s+db:(?:migrate|prepare)\b"),
    ("flyway", r"\bflyway\b[^;&|]*\bmigrate\b"),
    ("liquibase", r"\bliquibase\b[^;&|]*\bupdate(?:-count|-to-tag|Count|ToTag)?\b"),
    ("prisma", r"\bprisma\s+migrate\s+deploy\b"),
    ("knex", r"\bknex\b[^;&|]*\bmigrate:latest\b"),
    ("sequelize", r"\bsequelize(?:-cli)?\b[^;&|]*\bdb:migrate\b(?!:undo)"),
    ("typeorm", r"\btypeorm\b[^;&|]*\bmigration:run\b"),
    ("ef-core", r"\bdotnet\s+ef\s+database\s+update\b"),
    ("goose", r"\bgoose\b[^;&|]*\sup\b"),
    ("golang-migrate", r"\bmigrate\b[^;&|]*\s-(?:path|source|database)\b[^;&|]*\sup\b"),
    ("dbmate", r"\bdbmate\b[^;&|]*\s(?:up|migrate)\b"),
    ("laravel", r"\bartisan\s+migrate\b(?!:(?:rollback|reset|status|install))"),
    ("ecto", r"\bmix\s+ecto\.migrate\b|\bRelease\.migrate\b"),
    ("diesel", r"\bdiesel\s+migration\s+run\b"),
    ("sqlx", r"\bsqlx\s+migrate\s+run\b"),
    ("flask-migrate", r"\bflask\s+db\s+upgrade\b"),
    ("atlas", r"\batlas\s+(?:migrate\s+apply|schema\s+apply)\b"),
    ("sqitch", r"\bsqitch\b[^;&|]*\sdeploy\b"),
))
_GENERIC_MIGRATE = re.compile(r"(?<![\w-])(?:db[:_-])?migrat(?:e|ions?)(?![\w-])", re.I)
_NOT_APPLYING = re.compile(r"\b(?:rollback|down|undo|status|create|generate|new|info|validate|make|check|dry-run|reset|revert)\b", re.I)
_MIGRATION_IMAGES: tuple[tuple[str, re.Pattern[str], re.Pattern[str] | None], ...] = (
    ("flyway", re.compile(r"(?:^|/)flyway(?:[:@]|$)", re.I), None),
    ("liquibase", re.compile(r"(?:^|/)liquibase(?:[:@]|$)", re.I), None),
    ("golang-migrate", re.compile(r"(?:^|/)migrate/migrate(?:[:@]|$)", re.I), re.compile(r"\bup\b")),
    ("dbmate", re.compile(r"(?:^|/)dbmate(?:[:@]|$)", re.I), re.compile(r"\b(?:up|migrate)\b")),
    ("atlas", re.compile(r"(?:^|/)atlas(?:[:@]|$)", re.I), re.compile(r"\bmigrate\s+apply\b")),
    ("sqitch", re.compile(r"(?:^|/)sqitch(?:[:@]|$)", re.I), re.compile(r"\bdeploy\b")),
)
_NOT_A_COMMAND = re.compile(r"^(?:#|//|rem\s|::|echo\b|printf\b|write-host\b|write-output\b|print\s*\(|console\.log\b|puts\b|logger\.|log\.)", re.I)


@dataclass(frozen=True)
class CommandLine:
    line: int
    text: str
    remote: bool = False
    """Runs on another host (inside `ssh ... <<EOF`, or a Fabric task)."""


@dataclass(frozen=True)
class Hit:
    tool: str
    line: int
    text: str


def _command_text(text: str) -> str | None:
    stripped = text.strip().lstrip("@+-").strip()
    if not stripped or _NOT_A_COMMAND.match(stripped):
        return None
    return normalise_run(stripped)


def deploy_hit(lines: Iterable[CommandLine]) -> Hit | None:
    """The first line that deploys (a deploy CLI, or ssh to a host that restarts the service)."""
    for cl in lines:
        text = _command_text(cl.text)
        if text is None:
            continue
        for tool, pattern in _DEPLOY_COMMANDS:
            if pattern.search(text):
                return Hit(tool, cl.line, text)
        if (cl.remote or _SSH.search(text)) and _REMOTE_RESTART.search(text):
            return Hit("ssh", cl.line, text)
    return None


def migration_tool(run: str, *, generic: bool = False) -> str | None:
    """The migration tool a command applies migrations with; with `generic`, a bare `migrate`
    word counts too (for contexts that are already deploy steps: hook jobs, init containers)."""
    for tool, pattern in _MIGRATIONS:
        if pattern.search(run):
            return tool
    if generic and _GENERIC_MIGRATE.search(run) and not _NOT_APPLYING.search(run):
        return "migrate command"
    return None


def migration_hit(lines: Iterable[CommandLine]) -> Hit | None:
    for cl in lines:
        text = _command_text(cl.text)
        if text and (tool := migration_tool(text)):
            return Hit(tool, cl.line, text)
    return None


def _container_migration(container: Container, *, generic: bool) -> str | None:
    if tool := migration_tool(container.run, generic=generic):
        return tool
    if generic:
        for tool, image, needs in _MIGRATION_IMAGES:
            if image.search(container.image) and (needs is None or needs.search(container.run)):
                return f"{tool} image"
    return None


# ---------------------------------------------------------------------------------------------
# deploy.scripts
# ---------------------------------------------------------------------------------------------

_DEPLOY_NAME = re.compile(r"(?:^|[-_./:])(?:re)?(?:deploy|release|rollout)", re.I)
_SCRIPT_EXTENSIONS = frozenset({"", ".sh", ".bash", ".zsh", ".ksh", ".ps1", ".py", ".rb", ".js", ".mjs", ".cjs", ".ts", ".bat", ".cmd", ".pl"})
_DEPLOY_FOLDERS = frozenset({"deploy", "deployment", "deployments", "deploy-scripts", "release", "k8s", "kubernetes", "kube", "openshift"})
_TEST_NAME = re.compile(r"(?:^test_|_test\.|\.test\.|\.spec\.|_spec\.)", re.I)
_HEREDOC = re.compile(r"(?<!<)<<(?!<)-?\s*(['\"]?)(\w+)\1")
_SHELL_READS_STDIN = re.compile(r"^[ \t]*(?:sudo\s+)?(?:ba|z|k)?sh\b")
_MAKEFILES = ("Makefile", "makefile", "GNUmakefile")
_JUSTFILES = ("justfile", "Justfile", ".justfile")
_TASKFILES = ("Taskfile.yml", "Taskfile.yaml", "taskfile.yml", "taskfile.yaml", "Taskfile.dist.yml", "Taskfile.dist.yaml")


@dataclass(frozen=True)
class DeployScript:
    path: str
    what: str
    """e.g. `make target 'deploy'`, `script deploy.sh`."""
    deploy: Hit
    migration: Hit | None


def _script_extension(name: str) -> str | None:
    if name.startswith("."):
        return None
    ext = "." + name.rsplit(".", 1)[1].lower() if "." in name else ""
    return ext if ext in _SCRIPT_EXTENSIONS else None


_LOCAL_CLUSTER = re.compile(r"\b(?:kind\s+create\s+cluster|minikube\s+start|k3d\s+cluster\s+create|ctlptl\s+create)\b")
_LOCAL_CLUSTER_NAME = re.compile(r"(?i)(^|[-_.])(kind|minikube|k3d|local)([-_.]|$)")


def _is_deploy_script(path: str) -> bool:
    name = _name(path)
    ext = _script_extension(name)
    if ext is None or _TEST_NAME.search(name) or name in _MAKEFILES + _JUSTFILES or name in ("Capfile", "Vagrantfile", "Procfile", "Dockerfile"):
        return False
    stem = name[: -len(ext)] if ext else name
    if _DEPLOY_NAME.search(stem):
        return True
    return ext in (".sh", ".bash", ".ps1") and _name(_dir(path)).lower() in _DEPLOY_FOLDERS


def _joined_lines(text: str, continuation: str = "\\") -> list[CommandLine]:
    """Logical lines (backslash continuations joined) with the line each starts on.

    A here-document is data (release notes, a manifest fed to `kubectl apply -f -`) and is left
    out, unless it feeds a shell: `ssh host <<EOF` (its lines are marked remote) or `bash <<EOF`."""
    out: list[CommandLine] = []
    pending: list[str] = []
    start = 0
    heredoc: tuple[str, bool, bool] | None = None  # (terminator, commands?, remote?)
    for number, raw in enumerate(text.splitlines(), 1):
        if heredoc is not None:
            terminator, commands, remote = heredoc
            if raw.strip() == terminator:
                heredoc = None
            elif commands:
                out.append(CommandLine(number, raw, remote=remote))
            continue
        if not pending:
            start = number
        if raw.rstrip().endswith(continuation):
            pending.append(raw.rstrip()[: -len(continuation)])
            continue
        pending.append(raw)
        logical = " ".join(pending)
        pending = []
        out.append(CommandLine(start, logical))
        if m := _HEREDOC.search(logical):
            opener = logical[: m.start()]
            remote = _SSH.search(opener) is not None
            heredoc = (m.group(2), remote or _SHELL_READS_STDIN.match(opener) is not None, remote)
    if pending:
        out.append(CommandLine(start, " ".join(pending)))
    return out


# --- Makefile ---

_MAKE_ASSIGN = re.compile(r"^(?:export\s+|override\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*(?::{1,3}=|\?=|\+=|!=|=)\s*(.*)$")
_MAKE_RULE = re.compile(r"^([^\s:=#][^:=#]*?)\s*::?(?!=)\s*([^#;]*)")
_MAKE_CONDITIONAL = re.compile(r"^[ \t]*(?:ifeq|ifneq|ifdef|ifndef|else|endif|include|-include)\b")
_MAKE_VAR = re.compile(r"\$[({]([A-Za-z_][A-Za-z0-9_]*)[)}]")
_MAKE_CALL = re.compile(r"(?:\$[({]MAKE[)}]|\bmake)\s+([^;&|]*)")


@dataclass
class _Recipe:
    name: str
    line: int
    prerequisites: list[str]
    lines: list[CommandLine]


def _parse_makefile(text: str) -> dict[str, _Recipe]:
    variables: dict[str, str] = {}
    targets: dict[str, _Recipe] = {}
    current: list[_Recipe] = []
    for cl in _joined_lines(text):
        raw = cl.text
        if raw.startswith("\t"):
            for recipe in current:
                recipe.lines.append(CommandLine(cl.line, raw.strip()))
            continue
        if not raw.strip() or raw.lstrip().startswith("#") or _MAKE_CONDITIONAL.match(raw):
            continue
        if m := _MAKE_ASSIGN.match(raw):
            variables[m.group(1)] = m.group(2).strip()
            current = []
            continue
        if m := _MAKE_RULE.match(raw):
            prerequisites = [p for p in m.group(2).replace("|", " ").split() if "=" not in p]
            current = []
            for name in m.group(1).split():
                recipe = targets.setdefault(name, _Recipe(name, cl.line, [], []))
                recipe.prerequisites.extend(prerequisites)
                current.append(recipe)
            continue
        current = []

    def expand(value: str) -> str:
        for _ in range(3):
            new = _MAKE_VAR.sub(lambda v: variables.get(v.group(1), v.group(0)) if v.group(1) != "MAKE" else v.group(0), value)
            if new == value:
                break
            value = new
        return value

    for recipe in targets.values():
        recipe.lines = [CommandLine(c.line, expand(c.text)) for c in recipe.lines]
    return targets


def _recipe_lines(recipes: dict[str, _Recipe], name: str, call: re.Pattern[str], seen: set[str] | None = None) -> list[CommandLine]:
    """A recipe's lines, with those of its prerequisites and of the recipes it calls (`make x`, `just x`)."""
    seen = seen if seen is not None else set()
    recipe = recipes.get(name)
    if recipe is None or name in seen or len(seen) > 20:
        return []
    seen.add(name)
    out: list[CommandLine] = []
    for prerequisite in recipe.prerequisites:
        out.extend(_recipe_lines(recipes, prerequisite, call, seen))
    for cl in recipe.lines:
        out.append(cl)
        for m in call.finditer(cl.text):
            for word in m.group(1).split():
                if word in recipes:
                    out.extend(_recipe_lines(recipes, word, call, seen))
    return out


def _makefile_scripts(files: RepoFiles, path: str) -> Iterator[DeployScript]:
    recipes = _parse_makefile(files.read_text(path) or "")
    for name in recipes:
        if _DEPLOY_NAME.search(name) and not name.startswith("."):
            lines = _recipe_lines(recipes, name, _MAKE_CALL)
            if hit := deploy_hit(lines):
                yield DeployScript(path, f"make target '{name}'", hit, migration_hit(lines))


# --- justfile ---

_JUST_RECIPE = re.compile(r"^@?([A-Za-z0-9_-]+)(?:\s+[^:]*?)?\s*:(?!=)\s*(.*)$")
_JUST_CALL = re.compile(r"\bjust\s+([^;&|]*)")


def _justfile_scripts(files: RepoFiles, path: str) -> Iterator[DeployScript]:
    recipes: dict[str, _Recipe] = {}
    current: _Recipe | None = None
    for cl in _joined_lines(files.read_text(path) or ""):
        raw = cl.text
        if not raw.strip():
            continue
        if raw[:1] in (" ", "\t"):
            if current is not None:
                current.lines.append(CommandLine(cl.line, raw.strip()))
            continue
        current = None
        if raw.startswith(("set ", "alias ", "export ", "import ", "mod ", "[", "#")):
            continue
        if m := _JUST_RECIPE.match(raw):
            current = recipes.setdefault(m.group(1), _Recipe(m.group(1), cl.line, m.group(2).split(), []))
    for name in recipes:
        if _DEPLOY_NAME.search(name):
            lines = _recipe_lines(recipes, name, _JUST_CALL)
            if hit := deploy_hit(lines):
                yield DeployScript(path, f"just recipe '{name}'", hit, migration_hit(lines))


# --- package.json ---

_NPM_CALL = re.compile(r"\b(?:npm\s+run(?:-script)?|yarn(?:\s+run)?|pnpm(?:\s+run)?|bun\s+run)\s+([\w:.-]+)")


def _package_scripts(ctx: DetectionContext, path: str) -> Iterator[DeployScript]:
    doc = load_json(ctx, path)
    scripts = _dict(_dict(doc.data if doc else None).get("scripts"))
    if not doc or not scripts:
        return

    def lines_of(name: str, seen: set[str]) -> list[CommandLine]:
        if name in seen or not isinstance(scripts.get(name), str):
            return []
        seen.add(name)
        out = lines_of(f"pre{name}", seen)
        line = doc.line("scripts", name) or 1
        for part in re.split(r"&&|\|\||;", scripts[name]):
            out.append(CommandLine(line, part))
            for m in _NPM_CALL.finditer(part):
                out.extend(lines_of(m.group(1), seen))
        return out + lines_of(f"post{name}", seen)

    for name in scripts:
        if _DEPLOY_NAME.search(name):
            lines = lines_of(name, set())
            if hit := deploy_hit(lines):
                yield DeployScript(path, f"package.json script '{name}'", hit, migration_hit(lines))


# --- Taskfile ---


def _taskfile_scripts(ctx: DetectionContext, path: str) -> Iterator[DeployScript]:
    doc = load_yaml(ctx, path)
    tasks = _dict(_dict(doc.data if doc else None).get("tasks"))

    def lines_of(name: str, seen: set[str]) -> list[CommandLine]:
        task = tasks.get(name)
        if name in seen or task is None:
            return []
        seen.add(name)
        out: list[CommandLine] = []
        spec = task if isinstance(task, dict) else {"cmds": task}
        for dep in _list(spec.get("deps")):
            out.extend(lines_of(dep if isinstance(dep, str) else str(_dict(dep).get("task")), seen))
        cmds = _list(spec.get("cmds"))
        item_lines = getattr(cmds, "item_lines", [])
        for i, cmd in enumerate(cmds):
            line = item_lines[i] if i < len(item_lines) else 1
            if isinstance(cmd, str):
                out.extend(CommandLine(line + n, part) for n, part in enumerate(cmd.splitlines()))
            elif isinstance(cmd, dict) and isinstance(cmd.get("cmd"), str):
                out.append(CommandLine(line, cmd["cmd"]))
            elif isinstance(cmd, dict) and isinstance(cmd.get("task"), str):
                out.extend(lines_of(cmd["task"], seen))
        return out

    for name in tasks:
        if isinstance(name, str) and _DEPLOY_NAME.search(name):
            lines = lines_of(name, set())
            if hit := deploy_hit(lines):
                yield DeployScript(path, f"Taskfile task '{name}'", hit, migration_hit(lines))


# --- fabfile ---

_PY_DEF = re.compile(r"^(\s*)def\s+(\w+)\s*\(")


def _fabfile_scripts(files: RepoFiles, path: str) -> Iterator[DeployScript]:
    lines = (files.read_text(path) or "").splitlines()
    for i, raw in enumerate(lines):
        m = _PY_DEF.match(raw)
        if not m or not _DEPLOY_NAME.search(m.group(2)):
            continue
        indent = len(m.group(1))
        body: list[CommandLine] = []
        for number in range(i + 1, len(lines)):
            text = lines[number]
            if text.strip() and len(text) - len(text.lstrip()) <= indent:
                break
            body.append(CommandLine(number + 1, text, remote=True))  # Fabric's run()/sudo() run on the hosts
        if hit := deploy_hit(body):
            yield DeployScript(path, f"Fabric task '{m.group(2)}'", hit, migration_hit(body))


def deploy_scripts(ctx: DetectionContext, index: _Index) -> list[DeployScript]:
    """Every deploy script of the repository whose body really deploys."""
    files = ctx.files
    found: list[DeployScript] = []
    for path in _paths(ctx):
        name = _name(path)
        if name in _MAKEFILES or name.endswith(".mk"):
            found.extend(_makefile_scripts(files, path))
        elif name in _JUSTFILES or name.endswith(".just"):
            found.extend(_justfile_scripts(files, path))
        elif name == "package.json":
            found.extend(_package_scripts(ctx, path))
        elif name in _TASKFILES:
            found.extend(_taskfile_scripts(ctx, path))
        elif name == "fabfile.py" or (_name(_dir(path)) == "fabfile" and name.endswith(".py")):
            found.extend(_fabfile_scripts(files, path))
        elif _is_deploy_script(path):
            lines = _joined_lines(files.read_text(path) or "")
            if _LOCAL_CLUSTER_NAME.search(_name(path)) or any(_LOCAL_CLUSTER.search(line.text) for line in lines):
                continue  # deploys into a throwaway kind/minikube/k3d cluster: a developer's sandbox
            if hit := deploy_hit(lines):
                found.append(DeployScript(path, f"script {path}", hit, migration_hit(lines)))
    for locator, observed in _capistrano(ctx):
        path, number = locator.rsplit(":", 1)
        if _name(path) == "Capfile":
            found.append(DeployScript(path, "Capfile", Hit("capistrano", int(number), observed), None))
    for locator, observed in _kamal(ctx):
        # Like a Capfile, a Kamal configuration is the whole deploy procedure: `kamal deploy` runs it.
        path, number = locator.rsplit(":", 1)
        found.append(DeployScript(path, "Kamal configuration", Hit("kamal", int(number), observed), None))
    for path, doc, i in _playbooks(ctx, index):
        stem = _name(path).rsplit(".", 1)[0]
        if _DEPLOY_NAME.search(stem):
            line = doc.line(i, "hosts") or 1
            found.append(DeployScript(path, f"Ansible playbook {path}", Hit("ansible", line, "play with hosts and tasks"), None))
        elif hit := _playbook_deploys_app(ctx, index, path, doc):
            found.append(DeployScript(hit[0], f"Ansible playbook {path}", Hit("ansible", hit[1], hit[2]), None))
    return found


# Ansible modules that run the application itself (containers, Kubernetes objects, Helm releases).
_ANSIBLE_APP_MODULE = re.compile(
    r"^[ \t]*(?:-[ \t]+)?(?:(?:ansible\.builtin|community\.docker|community\.general|kubernetes\.core|community\.kubernetes|containers\.podman)\.)?"
    r"(docker_compose(?:_v2)?|docker_container|docker_stack|docker_swarm_service|k8s|helm|podman_container|podman_play)\s*:",
    re.M,
)
# A checkout or unpacking of the application's code / release artifact ...
_ANSIBLE_FETCH_APP = re.compile(r"^[ \t]*(?:-[ \t]+)?(?:ansible\.builtin\.)?(git|unarchive|get_url)\s*:", re.M)
# ... followed by a restart of a service.
_ANSIBLE_RESTART = re.compile(r"\bstate\s*:\s*['\"]?(?:restarted|reloaded)\b", re.M)
_APP_ROLE = re.compile(r"^(?:[\w-]*[-_])?(?:deploy(?:ment)?|app|application|release)(?:[-_][\w-]*)?$", re.I)


# Services of the operating system and of bought-in servers: restarting them configures a host.
_SYSTEM_SERVICES = re.compile(
    r"^(?:nginx|apache2?|httpd|caddy|haproxy|traefik|sshd?|docker|containerd|podman|kubelet|k3s|ufw|firewalld|fail2ban|"
    r"postfix|exim4?|dovecot|chronyd?|ntpd?|cron|crond|rsyslog|systemd-[\w-]+|journald|networking|network-manager|NetworkManager|"
    r"postgresql(?:@[\w.-]+)?|mysql|mariadb|redis(?:-server)?|memcached|mongod|rabbitmq-server|php[\d.]*-fpm|unattended-upgrades|"
    r"node_exporter|prometheus|grafana-server|telegraf|snapd|auditd|apparmor|tailscaled|wg-quick@[\w-]+|{{.*}})$",
    re.I,
)


def _restarts_app_service(text: str, at: int) -> bool:
    """Whether the service restarted at `at` is the application's own (a one-word service name
    near the `state:` that is not an operating-system or bought-in server)."""
    start = at
    for _ in range(4):
        start = text.rfind("\n", 0, max(start - 1, 0)) if start > 0 else 0
    end = at
    for _ in range(4):
        nxt = text.find("\n", end + 1)
        end = nxt if nxt >= 0 else len(text)
    window = text[max(start, 0):end]
    names = [n.strip() for n in re.findall(r"""\bname\s*:\s*['"]?([^'"\n,}#]+)""", window)]
    return any(re.fullmatch(r"[\w@.-]+", n) and not _SYSTEM_SERVICES.match(n) for n in names)


def _play_roles(play: dict[Any, Any]) -> list[str]:
    out: list[str] = []
    for role in _list(play.get("roles")):
        name = role if isinstance(role, str) else _dict(role).get("role") or _dict(role).get("name")
        if isinstance(name, str):
            out.append(name.rsplit(".", 1)[-1] if "/" not in name else name.rsplit("/", 1)[-1])
    return out


def _playbook_deploys_app(ctx: DetectionContext, index: _Index, path: str, doc: Parsed) -> tuple[str, int, str] | None:
    """(path, line, words) when a playbook's plays deploy an application whatever the file is called:
    a task (of the playbook or of one of its roles) runs containers, Kubernetes objects or Helm releases;
    the code or a release artifact is checked out / unpacked and a service restarted; or a role is named
    deploy / app / release. A playbook that only configures the operating system gives None."""
    roles: list[str] = []
    for i, play in enumerate(_list(doc.data)):
        if not isinstance(play, dict) or "hosts" not in play:
            continue
        for role in _play_roles(play):
            if _APP_ROLE.match(role):
                return path, doc.line(i, "roles") or doc.line(i, "hosts") or 1, f"play runs role {role!r}"
            roles.append(role)
    base = _dir(path)
    texts: list[tuple[str, str]] = [(path, index.text(path) or "")]
    folders = {f for role in roles for f in (_join(base, f"roles/{role}/tasks"), f"roles/{role}/tasks", _join(_dir(base), f"roles/{role}/tasks"))}
    for task_file in index.matching(r"(?:^|/)roles/[^/]+/tasks/[^/]+\.ya?ml$") if folders else ():
        if _dir(task_file) in folders:
            texts.append((task_file, index.text(task_file) or ""))
    fetched = restarted = None
    for file, text in texts:
        if m := _ANSIBLE_APP_MODULE.search(text):
            return file, text.count("\n", 0, m.start()) + 1, f"task uses the {m.group(1)} module"
        if fetched is None and (m := _ANSIBLE_FETCH_APP.search(text)):
            fetched = (file, text.count("\n", 0, m.start()) + 1, f"task checks out / unpacks the application ({m.group(1)})")
        if restarted is None and any(_restarts_app_service(text, m.start()) for m in _ANSIBLE_RESTART.finditer(text)):
            restarted = True
    if fetched and restarted:
        return fetched[0], fetched[1], fetched[2] + " and restarts its service"
    return None


class DeployScriptsDetector(Detector):
    """`deploy.scripts`: a deploy/release/rollout script, make target, package script, task or
    playbook whose body runs a real deploy command (an image push alone is not a deploy).
    A migration command in such a script sets `db.migrations_in_deploy`."""

    name = "deploy-scripts"
    provides = frozenset({"deploy.scripts", "db.migrations_in_deploy"})

    def detect(self, ctx: DetectionContext) -> None:
        index = _index(ctx)
        for script in deploy_scripts(ctx, index):
            hit = script.deploy
            _emit(ctx, "deploy.scripts", True, f"{script.path}:{hit.line}", f"{script.what} deploys: {_short(hit.text)}")
            if script.migration:
                m = script.migration
                _emit(ctx, "db.migrations_in_deploy", True, f"{script.path}:{m.line}", f"{script.what} applies {m.tool} migrations while deploying: {_short(m.text)}")
        index.report(ctx)


# ---------------------------------------------------------------------------------------------
# db.migrations_in_deploy (manifests, hooks, release phases)
# ---------------------------------------------------------------------------------------------

_HELM_DEPLOY_HOOKS = frozenset({"pre-install", "pre-upgrade", "post-install", "post-upgrade"})
_ARGO_DEPLOY_HOOKS = frozenset({"PreSync", "Sync"})
_START_UP_KINDS = frozenset({"Deployment", "StatefulSet", "Rollout", "DeploymentConfig"})


def _deploy_hook(obj: K8sObject) -> tuple[str, int] | None:
    """The Helm / Argo CD hook annotation that runs this object as part of a deployment."""
    annotations = obj.annotations()
    for name, hooks in (("helm.sh/hook", _HELM_DEPLOY_HOOKS), ("argocd.argoproj.io/hook", _ARGO_DEPLOY_HOOKS)):
        value, line = annotations.get(name, ("", 0))
        if {v.strip() for v in value.split(",")} & hooks:
            return f"{name}: {value}", line
    return None


def k8s_migrations(obj: K8sObject) -> Iterator[tuple[str, str]]:
    """(locator, observed) for each way this object applies migrations during a deployment."""
    if obj.kind in ("Job", "Pod"):
        hook = _deploy_hook(obj)
        if hook is None:
            return
        for c in obj.containers():
            if tool := _container_migration(c, generic=True):
                yield f"{obj.path}:{c.line}", f"{obj.label} ({hook[0]}) runs {tool} migrations: {_short(c.run or c.image)}"
                return
    elif obj.kind in _START_UP_KINDS:
        for c in obj.containers():
            if tool := _container_migration(c, generic=c.init):
                where = f"init container {c.name!r}" if c.init else f"container {c.name!r} at start-up"
                yield f"{obj.path}:{c.line}", f"{obj.label} {where} runs {tool} migrations: {_short(c.run or c.image)}"
                return


def _release_phases(ctx: DetectionContext) -> Iterator[tuple[str, str]]:
    """PaaS release phases: Heroku Procfile `release:` / heroku.yml `release`, fly.toml
    `[deploy] release_command`, Render `preDeployCommand`."""
    for path in _named(ctx, "Procfile"):
        for number, line in enumerate((ctx.files.read_text(path) or "").splitlines(), 1):
            m = re.match(r"^release\s*:\s*(.+)$", line)
            if m and (tool := migration_tool(m.group(1))):
                yield f"{path}:{number}", f"Procfile release phase runs {tool} migrations: {_short(m.group(1))}"
    for path in _named(ctx, "heroku.yml"):
        doc = load_yaml(ctx, path)
        release = _dict(_dict(doc.data if doc else None).get("release")).get("command")
        words = " ".join(map(str, release)) if isinstance(release, list) else str(release or "")
        if doc and (tool := migration_tool(words)):
            yield doc.locator("release", "command"), f"heroku.yml release phase runs {tool} migrations: {_short(words)}"
    for path in _named(ctx, "fly.toml"):
        doc = load_toml(ctx, path)
        release_command = _dict(_dict(doc.data if doc else None).get("deploy")).get("release_command")
        if doc and isinstance(release_command, str) and (tool := migration_tool(release_command)):
            yield doc.locator("deploy", "release_command"), f"fly.toml release_command runs {tool} migrations: {_short(release_command)}"
    for path in _named(ctx, "render.yaml", "render.yml"):
        doc = load_yaml(ctx, path)
        for i, service in enumerate(_list(_dict(doc.data if doc else None).get("services"))):
            pre_deploy = _dict(service).get("preDeployCommand")
            if doc and isinstance(pre_deploy, str) and (tool := migration_tool(pre_deploy)):
                yield doc.locator("services", i, "preDeployCommand"), f"Render preDeployCommand runs {tool} migrations: {_short(pre_deploy)}"
    for path in _named(ctx, "Capfile"):
        for number, line in enumerate((ctx.files.read_text(path) or "").splitlines(), 1):
            if re.match(r"""^[ \t]*require\s*\(?\s*["']capistrano/rails/migrations["']""", line):
                yield f"{path}:{number}", "Capistrano runs Rails migrations on deploy (capistrano/rails/migrations)"


class DeployMigrationsDetector(Detector):
    """`db.migrations_in_deploy` from deployment descriptors: Helm / Argo CD hook jobs, init
    containers (or start-up commands) of workloads, and PaaS release phases."""

    name = "deploy-migrations"
    provides = frozenset({"db.migrations_in_deploy"})

    def detect(self, ctx: DetectionContext) -> None:
        index = _index(ctx)
        for obj in index.k8s:
            for locator, observed in k8s_migrations(obj):
                _emit(ctx, "db.migrations_in_deploy", True, locator, observed)
        for locator, observed in _release_phases(ctx):
            _emit(ctx, "db.migrations_in_deploy", True, locator, observed)
        index.report(ctx)


# ---------------------------------------------------------------------------------------------
# db.datastore from infrastructure code
# ---------------------------------------------------------------------------------------------

_CFN_DATASTORES = frozenset({
    "AWS::DynamoDB::Table", "AWS::DynamoDB::GlobalTable", "AWS::Serverless::SimpleTable", "AWS::RDS::DBInstance",
    "AWS::RDS::DBCluster", "AWS::DocDB::DBCluster", "AWS::Neptune::DBCluster", "AWS::Cassandra::Table",
    "AWS::Timestream::Database", "AWS::Redshift::Cluster", "AWS::Redshift::Serverless::Workgroup",
})
_TF_DATASTORE = re.compile(
    r"^(aws_db_instance|aws_rds_cluster|aws_dynamodb_table|aws_dynamodb_global_table|aws_docdb_cluster|aws_neptune_cluster|"
    r"aws_keyspaces_table|aws_redshift_cluster|google_sql_database_instance|google_spanner_instance|google_firestore_database|"
    r"google_bigtable_instance|google_alloydb_cluster|azurerm_(postgresql|mysql)(_flexible)?_server|azurerm_mssql_server|"
    r"azurerm_sql_server|azurerm_cosmosdb_account|azurerm_mariadb_server|digitalocean_database_cluster|mongodbatlas_cluster|"
    r"mongodbatlas_advanced_cluster|scaleway_rdb_instance|oci_database_autonomous_database)$"
)


# Infrastructure programs (AWS CDK, Pulumi): the construct libraries / resource classes of managed
# databases. A library API, not a word: `Table` alone would be ambiguous, `aws-cdk-lib/aws-dynamodb` is not.
_PROGRAM_DATASTORE = re.compile(
    r"""aws-cdk-lib/aws-(?:dynamodb|rds|docdb|neptune|redshift|timestream|keyspaces)\b|@aws-cdk/aws-(?:dynamodb|rds|docdb|neptune)\b"""
    r"""|\baws_cdk(?:\.|\s+import\s+(?:[\w\s,()]*,\s*)?)aws_(?:dynamodb|rds|docdb|neptune|redshift|timestream)\b"""
    r"""|\bsoftware\.amazon\.awscdk\.services\.(?:dynamodb|rds|docdb|neptune)\b|awscdk/v2/aws(?:dynamodb|rds|docdb|neptune)\b"""
    r"""|\baws\.(?:dynamodb\.(?:Table|GlobalTable)|rds\.(?:Instance|Cluster)|docdb\.Cluster|neptune\.Cluster|redshift\.Cluster)\s*\("""
    r"""|\bgcp\.(?:sql\.DatabaseInstance|spanner\.Instance|firestore\.Database|bigtable\.Instance|alloydb\.Cluster)\s*\("""
    r"""|\b(?:dynamodb\.NewTable|rds\.NewInstance|rds\.NewCluster|sql\.NewDatabaseInstance)\s*\("""
    r"""|\bdigitalocean\.DatabaseCluster\s*\(|\bmongodbatlas\.(?:Cluster|AdvancedCluster)\s*\("""
)
_PROGRAM_EXTENSIONS = (".ts", ".js", ".mjs", ".py", ".java", ".go", ".cs", ".kt")
_PROGRAM_SKIP = re.compile(r"(?:^|/)(?:node_modules|cdk\.out|dist|build|target|tests?|__tests__|spec)/|\.(?:test|spec|d)\.[jt]s$|(?:^|/)test_[^/]*\.py$")
_PROGRAM_FILE_LIMIT = 400


def _program_datastores(ctx: DetectionContext) -> Iterator[Finding]:
    """Managed databases that an AWS CDK app or a Pulumi program declares: its source files under
    the folder of `cdk.json` / `Pulumi.yaml` (tests and build output left out)."""
    roots = sorted({_dir(p) for p in _named(ctx, "cdk.json", "Pulumi.yaml", "Pulumi.yml")})
    if not roots:
        return
    read = 0
    for path in _paths(ctx):
        if not path.endswith(_PROGRAM_EXTENSIONS) or _PROGRAM_SKIP.search(path):
            continue
        if not any(not root or path.startswith(root + "/") for root in roots):
            continue
        read += 1
        if read > _PROGRAM_FILE_LIMIT:
            return
        text = ctx.files.read_text(path)
        if text and (m := _PROGRAM_DATASTORE.search(text)):
            yield f"{path}:{text.count(chr(10), 0, m.start()) + 1}", f"infrastructure program {path} declares a managed database ({m.group(0).strip('( ')})"
            return


class ManagedDatastoreDetector(Detector):
    """`db.datastore` from managed databases the repository's own infrastructure code declares
    (a SAM app's DynamoDB tables, Terraform `aws_db_instance`...): resource types, not words."""

    name = "managed-datastores"
    provides = frozenset({"db.datastore"})

    def detect(self, ctx: DetectionContext) -> None:
        index = _index(ctx)
        for template in _cloudformation(ctx, index):
            for name, resource in template.resources.items():
                rtype = _dict(resource).get("Type")
                if rtype in _CFN_DATASTORES:
                    ctx.emit("db.datastore", True, template.doc.locator("Resources", name, "Type"), f"CloudFormation template {template.path} declares {rtype} {name}")
                    return
        for f in index.hcl_of("terraform", "opentofu"):
            for block in f.root.children("resource"):
                if block.labels and _TF_DATASTORE.match(block.labels[0]):
                    ctx.emit("db.datastore", True, f"{f.path}:{block.line}", f"Terraform declares a managed database: resource {' '.join(block.labels)}")
                    return
        for locator, observed in _program_datastores(ctx):
            ctx.emit("db.datastore", True, locator, observed)
            return
        index.report(ctx)


DETECTORS: list[Detector] = [
    InfrastructureAsCodeDetector(),
    DeployDescriptorsDetector(),
    ReleaseStrategyDetector(),
    StandardDeployProcessDetector(),
    DeployScriptsDetector(),
    DeployMigrationsDetector(),
    ManagedDatastoreDetector(),
]
"""Every deploy detector of this module, in the order they run."""
