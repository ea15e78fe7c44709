"""Parsers for the CI systems without a module of their own.

CircleCI, Travis CI, Azure Pipelines, Bitbucket Pipelines, Buildkite, Drone, Woodpecker, Tekton
(Pipelines as Code), AWS CodeBuild, Google Cloud Build, AppVeyor and Semaphore. Each turns one
definition file into `Pipeline`s of the normalised model (`model.py`).

Conventions shared by every parser here:

- **Lines.** YAML keeps no line for scalars, so a shell script is split into logical command lines
  (comments and blank lines dropped, `\\` continuations joined, here-document bodies skipped) and
  each is placed by searching the file forward from its key or list item. Commands pulled in from
  another file (an Azure template) carry the line of the `template:` reference in this file.
- **`Job.default_branch`.** True when a job can run for a push (or schedule) on the default branch
  and no branch filter excludes it; False when a filter excludes the default branch or the job only
  runs for pull requests or tags; otherwise what the branch filter says (None without one). When
  `ctx.repo.default_branch` is unknown, `main` and `master` both count as the default branch.
- **Triggers configured outside the file** (Buildkite, Cloud Build, CodeBuild, plain Tekton):
  `triggers_known=False`, empty `Pipeline.triggers` and empty `Job.triggers`, with a note.
- **Broken files.** `yaml.YAMLError` propagates; a top level that is not a mapping raises `ValueError`.
"""

from __future__ import annotations

import json
import posixpath
import re
from abc import abstractmethod
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, ClassVar

import yaml

from collectors.pipelines.interface import PipelineParser
from collectors.pipelines.model import Command, Job, Pipeline
from scanner import yamlfile
from scanner.yamlfile import LineDict, LineList, Tagged

_MERGE_TAG = "tag:yaml.org,2002:merge"


class _SpliceLoader(yamlfile._LenientLoader):  # noqa: SLF001 - the scanner's lenient loader, one rule wider
    """Go-YAML style merges, as Woodpecker and Drone read them: `- <<: *list` inside a list splices the
    aliased list's items in, and a merge of something that is not a mapping is dropped (PyYAML raises)."""

    def flatten_mapping(self, node: yaml.MappingNode) -> None:
        node.value = [(k, v) for k, v in node.value if k.tag != _MERGE_TAG or isinstance(v, yaml.MappingNode)
                      or (isinstance(v, yaml.SequenceNode) and all(isinstance(c, yaml.MappingNode) for c in v.value))]
        super().flatten_mapping(node)


def _splice_sequence(loader: _SpliceLoader, node: yaml.SequenceNode) -> LineList:
    children: list[yaml.Node] = []
    for child in node.value:
        if isinstance(child, yaml.MappingNode) and len(child.value) == 1 and child.value[0][0].tag == _MERGE_TAG \
                and isinstance(child.value[0][1], yaml.SequenceNode):
            children.extend(child.value[0][1].value)
        else:
            children.append(child)
    node.value = children
    return yamlfile._construct_sequence(loader, node)  # noqa: SLF001


_SpliceLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _splice_sequence)


def load_lenient(text: str) -> Any:
    """`scanner.yamlfile.load_lenient`, falling back to Go-YAML merge rules when PyYAML rejects a merge."""
    try:
        return yamlfile.load_lenient(text)
    except yaml.constructor.ConstructorError:
        return yaml.load(text, Loader=_SpliceLoader)  # noqa: S506 - a SafeLoader subclass


def load_all_lenient(text: str) -> list[Any]:
    try:
        return yamlfile.load_all_lenient(text)
    except yaml.constructor.ConstructorError:
        return [d for d in yaml.load_all(text, Loader=_SpliceLoader) if d is not None]  # noqa: S506

if TYPE_CHECKING:
    from collectors.detectors.interface import DetectionContext

SHELL = "shell"
ACTION = "action"
STEP = "step"
_MAX_DEPTH = 8
"""How deep templates, reusable commands and uploaded pipelines are followed."""


# --------------------------------------------------------------------------------------------
# Small YAML helpers
# --------------------------------------------------------------------------------------------

def _empty() -> LineDict:
    """An empty mapping for a missing section (so `.key_lines` lookups work)."""
    out = LineDict()
    out.line = 0
    out.key_lines = {}
    return out


def _map(value: Any) -> LineDict | None:
    return value if isinstance(value, LineDict) else None


def _line_of(container: Any, key: Any, fallback: int) -> int:
    if isinstance(container, LineDict):
        return container.key_lines.get(key, fallback)
    return fallback


def _items(value: Any, fallback: int) -> list[tuple[Any, int]]:
    """List items with their lines; a single non-list value becomes one item."""
    if value is None:
        return []
    if isinstance(value, LineList):
        return list(zip(value, value.item_lines, strict=False))
    if isinstance(value, list):
        return [(v, fallback) for v in value]
    return [(value, fallback)]


def _strs(value: Any) -> list[str]:
    """Scalar or list of scalars as strings (mappings and None left out)."""
    if value is None:
        return []
    if isinstance(value, list):
        return [_as_str(v) for v in value if v is not None and not isinstance(v, dict | list)]
    if isinstance(value, dict):
        return []
    return [_as_str(value)]


def _as_str(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str | int | float | Tagged):
        return str(value)
    try:
        return json.dumps(value, default=str)
    except (TypeError, ValueError):
        return repr(value)


def _truthy(value: Any) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in ("true", "yes", "on", "1")
    return bool(value) and not isinstance(value, dict | list)


def _inputs(mapping: Any, skip: Iterable[str] = ()) -> tuple[tuple[str, str], ...]:
    if not isinstance(mapping, dict):
        return ()
    skipped = set(skip)
    return tuple((str(k), _as_str(v)) for k, v in mapping.items() if str(k) not in skipped)


def _scalars(value: Any) -> Iterator[str]:
    """Every scalar inside a nested YAML value, as a string."""
    if isinstance(value, dict):
        for v in value.values():
            yield from _scalars(v)
    elif isinstance(value, list):
        for v in value:
            yield from _scalars(v)
    elif value is not None:
        yield _as_str(value)


def _single_key(item: Any) -> tuple[str, Any] | None:
    if isinstance(item, dict) and len(item) == 1:
        key, value = next(iter(item.items()))
        return str(key), value
    return None


def _require_mapping(data: Any, path: str) -> LineDict:
    if not isinstance(data, LineDict):
        raise ValueError(f"{path}: top level is {type(data).__name__}, not a mapping")
    return data


def _at(commands: Iterable[Command], line: int | None) -> list[Command]:
    """Commands moved to `line` (commands that come from another file)."""
    return list(commands) if line is None else [replace(c, line=line) for c in commands]


def _image_name(image: str) -> str:
    """Image reference without tag or digest: `plugins/docker:20` -> `plugins/docker`."""
    name = image.split("@", 1)[0]
    last = name.rsplit("/", 1)
    if ":" in last[-1]:
        name = name[: len(name) - len(last[-1])] + last[-1].split(":", 1)[0]
    return name


def _unique(name: str, taken: set[str], prefix: str | None = None) -> str:
    candidate = name
    if candidate in taken and prefix:
        candidate = f"{prefix}/{name}"
    n = 2
    base = candidate
    while candidate in taken:
        candidate = f"{base}-{n}"
        n += 1
    taken.add(candidate)
    return candidate


# --------------------------------------------------------------------------------------------
# Shell scripts and their lines
# --------------------------------------------------------------------------------------------

_HEREDOC = re.compile(r"<<-?\s*(['\"]?)([A-Za-z_][A-Za-z0-9_]*)\1")


def _logical_lines(script: str) -> list[tuple[str, str]]:
    """(command, its first physical line) for each logical command line of a shell script."""
    out: list[tuple[str, str]] = []
    parts: list[str] = []
    first = ""
    heredoc: str | None = None
    for raw in script.split("\n"):
        stripped = raw.strip()
        if heredoc is not None:
            if stripped == heredoc:
                heredoc = None
            continue
        if not parts:
            if not stripped or stripped.startswith("#"):
                continue
            first = stripped
        if stripped.endswith("\\") and not stripped.endswith("\\\\"):
            parts.append(stripped[:-1].rstrip())
            continue
        parts.append(stripped)
        command = " ".join(p for p in parts if p)
        out.append((command, first))
        parts = []
        m = _HEREDOC.search(command)
        if m:
            heredoc = m.group(2)
    if parts:
        out.append((" ".join(p for p in parts if p), first))
    return out


class _Text:
    """The file's lines, to place scalar values that YAML gives no line for."""

    def __init__(self, text: str) -> None:
        self.lines = text.splitlines()

    @staticmethod
    def _holds(line: str, needle: str) -> bool:
        if needle not in line:
            return False
        tail = line.rstrip()
        return (
            tail.strip() == needle
            or tail.endswith(needle)
            or tail[:-1].endswith(needle)
            or re.search(r"(^|[:\-]\s|[:\-]$|\s)['\"]?" + re.escape(needle), line) is not None
        )

    def find(self, needle: str, start: int, window: int) -> int | None:
        """First line at or after `start` (1-based), within `window` lines, that holds `needle`."""
        if not needle:
            return None
        begin = max(start - 1, 0)
        end = min(len(self.lines), begin + window)
        for i in range(begin, end):
            if self._holds(self.lines[i], needle):
                return i + 1
        short = needle[:24]
        if short != needle:
            for i in range(begin, end):
                if short in self.lines[i]:
                    return i + 1
        return None

    def shell(self, value: Any, line: int) -> list[Command]:
        """One shell `Command` per logical command line of `value` (a script or a list of them)."""
        if value is None or isinstance(value, dict):
            return []
        if isinstance(value, list):
            out: list[Command] = []
            for item, item_line in _items(value, line):
                out.extend(self.shell(item, item_line))
            return out
        script = _as_str(value)
        window = script.count("\n") + 40
        cursor = line
        out = []
        for command, first in _logical_lines(script):
            found = self.find(first, cursor, window)
            where = found if found is not None else cursor
            out.append(Command(text=command, line=where, kind=SHELL))
            cursor = where + 1 if found is not None else cursor
        return out


# --------------------------------------------------------------------------------------------
# Branches, guards and the default branch
# --------------------------------------------------------------------------------------------

def _default_branches(ctx: DetectionContext) -> tuple[str, ...]:
    return (ctx.repo.default_branch,) if ctx.repo.default_branch else ("main", "master")


def _strip_ref(name: str) -> str:
    return name[len("refs/heads/"):] if name.startswith("refs/heads/") else name


def _glob_regex(pattern: str) -> re.Pattern[str]:
    """`**` any characters, `*` and `?` within one path segment, `{a,b}` alternatives."""
    out: list[str] = []
    i = 0
    while i < len(pattern):
        c = pattern[i]
        if pattern.startswith("**", i):
            out.append(".*")
            i += 2
            continue
        if c == "*":
            out.append("[^/]*")
        elif c == "?":
            out.append("[^/]")
        elif c == "{" and "}" in pattern[i:]:
            end = pattern.index("}", i)
            out.append("(?:" + "|".join(re.escape(a) for a in pattern[i + 1:end].split(",")) + ")")
            i = end + 1
            continue
        else:
            out.append(re.escape(c))
        i += 1
    return re.compile("".join(out) + r"\Z")


def _glob_match(pattern: str, branch: str) -> bool:
    return _glob_regex(_strip_ref(pattern.strip())).match(_strip_ref(branch)) is not None


def _wild_match(pattern: str, branch: str) -> bool:
    """Azure and Buildkite wildcards: `*` matches any characters, `/` included."""
    rx = ".*".join(re.escape(part) for part in _strip_ref(pattern.strip()).split("*"))
    return re.fullmatch(rx, _strip_ref(branch), re.IGNORECASE) is not None


def _slash_match(pattern: str, branch: str, *, full: bool) -> bool:
    """`/regex/` or an exact name (CircleCI, Travis)."""
    p = pattern.strip()
    if len(p) >= 2 and p.startswith("/") and p.endswith("/"):
        try:
            rx = re.compile(p[1:-1])
        except re.error:
            return False
        return (rx.fullmatch(branch) if full else rx.search(branch)) is not None
    return p == branch


def _allows(defaults: Sequence[str], include: Sequence[str] | None, exclude: Sequence[str] | None,
            match: Callable[[str, str], bool]) -> bool:
    """Does a branch filter let one of the default branch names through?"""
    def hit(patterns: Sequence[str], branch: str) -> bool:
        return any(match(p, branch) for p in patterns)

    for branch in defaults:
        if include is not None and not hit(include, branch):
            continue
        if exclude and hit(exclude, branch):
            continue
        return True
    return False


def _both(a: bool | None, b: bool | None) -> bool | None:
    """Two branch verdicts that must both hold."""
    if a is False or b is False:
        return False
    if a is True or b is True:
        return True
    return None


def _on_default_branch(triggers: frozenset[str], branch_ok: bool | None) -> bool | None:
    """`Job.default_branch` from a job's triggers and what its branch filters say."""
    if branch_ok is False:
        return False
    if triggers & {"push", "schedule"}:
        return True
    if triggers and triggers <= {"pull_request", "tag", "comment"}:
        return False
    return branch_ok


@dataclass(frozen=True)
class _Guard:
    """What a job condition (`if:`, `condition:`, `when:`) lets through."""

    allowed: frozenset[str] | None = None
    """Only these triggers (None: no restriction)."""
    excluded: frozenset[str] = frozenset()
    branch: bool | None = None
    """Does it let the default branch through? None: it does not say."""
    tags_only: bool = False
    no_tags: bool = False
    active: bool = True
    reason: str | None = None

    def __and__(self, other: _Guard) -> _Guard:
        if self.allowed is None:
            allowed = other.allowed
        elif other.allowed is None:
            allowed = self.allowed
        else:
            allowed = self.allowed & other.allowed
        return _Guard(
            allowed=allowed, excluded=self.excluded | other.excluded, branch=_both(self.branch, other.branch),
            tags_only=self.tags_only or other.tags_only, no_tags=self.no_tags or other.no_tags,
            active=self.active and other.active, reason=self.reason or other.reason,
        )

    def apply(self, base: frozenset[str]) -> frozenset[str]:
        out = set(base if self.allowed is None else self.allowed)
        out -= self.excluded
        if self.tags_only:
            out = {"tag"} if (self.allowed is None or self.allowed & {"push", "tag"}) else set()
        if self.no_tags:
            out.discard("tag")
        return frozenset(out)


def _propagate_manual(jobs: list[Job]) -> list[Job]:
    """A job that needs a manual job (transitively) waits for that person too."""
    manual = {j.id for j in jobs if j.manual}
    changed = True
    while changed:
        changed = False
        for job in jobs:
            if job.id not in manual and any(n in manual for n in job.needs):
                manual.add(job.id)
                changed = True
    return [replace(j, manual=True) if j.id in manual and not j.manual else j for j in jobs]


def _union(jobs: Iterable[Job]) -> frozenset[str]:
    out: set[str] = set()
    for job in jobs:
        if job.active:
            out |= job.triggers
    return frozenset(out)


_ENVIRONMENT_LIKE = re.compile(
    r"(^|[-_./ ])(prod|production|prd|live|staging|stage|stg|preprod|pre-prod|uat|qa|dev|development|sandbox)([-_./ ]|$)",
    re.IGNORECASE,
)


# --------------------------------------------------------------------------------------------
# Base classes
# --------------------------------------------------------------------------------------------

class _YamlParser(PipelineParser):
    """One YAML mapping per file."""

    system: ClassVar[str]

    def candidates(self, ctx: DetectionContext) -> list[str]:
        return [p for p in ctx.files.paths if self.wants(p)]

    @abstractmethod
    def wants(self, path: str) -> bool:
        """Is this path one of this system's definition files?"""

    def parse(self, path: str, text: str, ctx: DetectionContext) -> list[Pipeline]:
        data = _require_mapping(load_lenient(text), path)
        return self.parse_mapping(path, data, _Text(text), ctx)

    @abstractmethod
    def parse_mapping(self, path: str, data: LineDict, text: _Text, ctx: DetectionContext) -> list[Pipeline]:
        """Parse the file's top-level mapping."""


def _name_matches(path: str, pattern: re.Pattern[str]) -> bool:
    return pattern.fullmatch(path.rsplit("/", 1)[-1]) is not None


# --------------------------------------------------------------------------------------------
# CircleCI
# --------------------------------------------------------------------------------------------

_CIRCLE_DROPPED = frozenset({
    "checkout", "setup_remote_docker", "attach_workspace", "persist_to_workspace", "save_cache",
    "restore_cache", "add_ssh_keys",
})
_CIRCLE_KEPT = frozenset({"store_artifacts", "store_test_results"})
_CIRCLE_WORKFLOW_KEYS = frozenset({
    "requires", "filters", "context", "name", "type", "matrix", "pre-steps", "post-steps", "serial-group", "override-with",
})
_CIRCLE_CONTINUATION = {"continuation/continue": "configuration_path", "path-filtering/filter": "config-path"}
_CIRCLE_PARAM = re.compile(r"pipeline\.parameters\.([A-Za-z0-9_-]+)")


@dataclass
class _CircleWorkflowJob:
    id: str
    ref: str
    line: int
    params: LineDict
    requires: list[str]
    workflow: str


class CircleCIParser(_YamlParser):
    system = "circleci"

    def wants(self, path: str) -> bool:
        return path == ".circleci/config.yml"

    def parse_mapping(self, path: str, data: LineDict, text: _Text, ctx: DetectionContext) -> list[Pipeline]:
        return self._config(path, data, text, ctx, continued=False, seen=frozenset({path}))

    # -- one config file ------------------------------------------------------------------
    def _config(self, path: str, data: LineDict, text: _Text, ctx: DetectionContext, *, continued: bool,
                seen: frozenset[str]) -> list[Pipeline]:
        notes: list[str] = []
        includes: list[str] = []
        orbs = _map(data.get("orbs")) or _empty()
        for alias, ref in orbs.items():
            includes.append(str(ref) if isinstance(ref, str) else f"{alias} (inline orb)")
        commands = _map(data.get("commands")) or _empty()
        definitions = _map(data.get("jobs")) or _empty()
        parameters = _map(data.get("parameters")) or _empty()
        setup = _truthy(data.get("setup"))
        if setup:
            notes.append("setup: true - dynamic configuration: a setup workflow generates or selects the config that continues the pipeline")
        if continued:
            notes.append("continuation config: its workflows run when the setup workflow of .circleci/config.yml continues the pipeline")
        defaults = _default_branches(ctx)
        workflows = _map(data.get("workflows"))
        taken: set[str] = set()
        jobs: list[Job] = []
        trigger_lines: dict[str, int] = {}
        used: set[str] = set()
        if workflows is None:
            notes.append("no workflows: only the job named 'build' runs, on every push")
            for name, definition in definitions.items():
                line = definitions.key_lines.get(name, 1)
                job_id = _unique(str(name), taken)
                active = str(name) == "build"
                if active:
                    trigger_lines.setdefault("push", line)
                jobs.append(Job(
                    id=job_id, line=line, triggers=frozenset({"push"}) if active else frozenset(),
                    default_branch=True if active else None,
                    commands=tuple(self._job_commands(definition, _empty(), text, commands)),
                    services=self._services(definition), active=active,
                    inactive_reason=None if active else "no workflows and not the 'build' job",
                ))
        else:
            for wf_name, wf in workflows.items():
                wf_map = _map(wf)
                if wf_map is None:
                    continue
                jobs.extend(self._workflow(
                    str(wf_name), wf_map, workflows.key_lines.get(wf_name, 1), text, ctx, defaults, definitions,
                    commands, parameters, continued, taken, used, trigger_lines, notes,
                ))
            for name, definition in definitions.items():
                if str(name) not in used:
                    jobs.append(Job(
                        id=_unique(str(name), taken), line=definitions.key_lines.get(name, 1), triggers=frozenset(),
                        commands=tuple(self._job_commands(definition, _empty(), text, commands)),
                        services=self._services(definition), active=False, inactive_reason="not used by any workflow",
                    ))
        jobs = _propagate_manual(jobs)
        pipelines: list[Pipeline] = []
        if setup:
            for target in self._continuations(jobs):
                includes.append(target)
                if target in seen or len(seen) > _MAX_DEPTH:
                    continue
                body = ctx.files.read_text(target)
                if body is None:
                    notes.append(f"continuation config {target} not found")
                    continue
                pipelines.extend(self._config(target, _require_mapping(load_lenient(body), target), _Text(body), ctx,
                                              continued=True, seen=seen | {target}))
        triggers = _union(jobs)
        pipeline = Pipeline(
            system=self.system, path=path, triggers=triggers,
            trigger_lines={t: trigger_lines.get(t, _line_of(data, "workflows", 1)) for t in triggers},
            jobs=tuple(jobs), line=1, includes=tuple(dict.fromkeys(includes)), notes=tuple(notes),
        )
        return [pipeline, *pipelines]

    # -- workflows --------------------------------------------------------------------------
    def _workflow(self, wf_name: str, wf: LineDict, wf_line: int, text: _Text, ctx: DetectionContext,
                  defaults: tuple[str, ...], definitions: LineDict, commands: LineDict, parameters: LineDict,
                  continued: bool, taken: set[str], used: set[str], trigger_lines: dict[str, int],
                  notes: list[str]) -> list[Job]:
        base, base_branch, base_line = self._workflow_triggers(wf_name, wf, wf_line, defaults, parameters, continued, notes)
        for t in base:
            trigger_lines.setdefault(t, base_line)
        entries: list[_CircleWorkflowJob] = []
        local: dict[str, str] = {}
        for item, line in _items(wf.get("jobs"), wf_line):
            if isinstance(item, str):
                ref, params = item, _empty()
            elif (pair := _single_key(item)) is not None:
                ref = pair[0]
                params = _map(pair[1]) or _empty()
                line = _line_of(item, pair[0], line)
            else:
                continue
            local_name = str(params.get("name") or ref)
            job_id = _unique(local_name, taken, prefix=wf_name)
            local[local_name] = job_id
            entries.append(_CircleWorkflowJob(job_id, ref, line, params, _strs(params.get("requires")), wf_name))
        jobs: list[Job] = []
        for entry in entries:
            jobs.append(self._workflow_job(entry, local, base, base_branch, text, ctx, defaults, definitions,
                                           commands, used, trigger_lines, notes))
        return self._tag_builds_need_tagged_upstream(jobs, notes)

    def _workflow_triggers(self, wf_name: str, wf: LineDict, wf_line: int, defaults: tuple[str, ...],
                           parameters: LineDict, continued: bool, notes: list[str]) -> tuple[frozenset[str], bool | None, int]:
        for item, line in _items(wf.get("triggers"), _line_of(wf, "triggers", wf_line)):
            schedule = _map(item.get("schedule")) if isinstance(item, dict) else None
            if schedule is not None:
                branch_ok, _, _ = self._filters(_map(schedule.get("filters")), defaults)
                return frozenset({"schedule"}), branch_ok, _line_of(item, "schedule", line)
        for key in ("when", "unless"):
            if key not in wf:
                continue
            condition = wf[key]
            rendered = _as_str(condition)
            line = _line_of(wf, key, wf_line)
            negated = key == "unless" or (isinstance(condition, dict) and "not" in condition)
            if "scheduled_pipeline" in rendered or "pipeline.schedule." in rendered:
                if not negated:
                    return frozenset({"schedule"}), None, line
                return frozenset({"push"}), None, line
            names = _CIRCLE_PARAM.findall(rendered)
            if names:
                on = [_truthy((_map(parameters.get(n)) or _empty()).get("default")) for n in names]
                runs_by_default = all(on) if not negated else not any(on)
                if runs_by_default or continued:
                    return frozenset({"push"}), None, line
                notes.append(f"workflow {wf_name}: runs only when pipeline parameters {', '.join(names)} are set (API or setup workflow)")
                return frozenset({"api"}), None, line
            if "pipeline.git.branch" in rendered:
                literals = [v for v in _scalars(condition) if "<<" not in v]
                hit = any(lit in defaults for lit in literals)
                return frozenset({"push"}), (not hit) if negated else hit, line
        return frozenset({"push"}), None, wf_line

    @staticmethod
    def _filters(filters: LineDict | None, defaults: tuple[str, ...]) -> tuple[bool | None, bool, bool]:
        """(default branch allowed, branch pushes built, tag pushes built) for `filters:`."""
        if filters is None:
            return None, True, False
        branches = _map(filters.get("branches"))
        tags = _map(filters.get("tags"))
        only = _strs(branches.get("only")) if branches is not None and "only" in branches else None
        ignore = _strs(branches.get("ignore")) if branches is not None else []
        push_ok = only != [] and not any(p.strip() in ("/.*/", "/.+/") for p in ignore)
        branch_ok: bool | None = None
        if branches is not None:
            branch_ok = push_ok and _allows(defaults, only, ignore, lambda p, b: _slash_match(p, b, full=True))
        tag_ok = tags is not None and (bool(_strs(tags.get("only"))) or (
            "ignore" in tags and not any(p.strip() in ("/.*/", "/.+/") for p in _strs(tags.get("ignore")))))
        return branch_ok, push_ok, tag_ok

    def _workflow_job(self, entry: _CircleWorkflowJob, local: dict[str, str], base: frozenset[str],
                      base_branch: bool | None, text: _Text, ctx: DetectionContext, defaults: tuple[str, ...],
                      definitions: LineDict, commands: LineDict, used: set[str], trigger_lines: dict[str, int],
                      notes: list[str]) -> Job:
        params = entry.params
        filters = _map(params.get("filters"))
        branch_ok, push_ok, tag_ok = self._filters(filters, defaults)
        triggers = set(base)
        if "push" in base:
            triggers.discard("push")
            if push_ok:
                triggers.add("push")
            if tag_ok:
                triggers.add("tag")
                tags_line = _line_of(filters, "tags", entry.line)
                trigger_lines.setdefault("tag", tags_line)
        elif not push_ok:
            triggers = set()
        job_triggers = frozenset(triggers)
        needs = tuple(local[r] for r in entry.requires if r in local)
        missing = [r for r in entry.requires if r not in local]
        if missing:
            notes.append(f"job {entry.id}: requires unknown jobs {', '.join(missing)}")
        environment, env_line = self._context(params, entry.line)
        matrix = _map(params.get("matrix"))
        matrix_params = _map(matrix.get("parameters")) if matrix is not None else None
        matrix_envs: tuple[str, ...] = ()
        if matrix_params is not None:
            for key in ("environment", "env", "stage", "target", "deploy-env", "deploy_env"):
                if key in matrix_params:
                    matrix_envs = tuple(_strs(matrix_params[key]))
                    break
        common: dict[str, Any] = {
            "triggers": job_triggers,
            "default_branch": _on_default_branch(job_triggers, _both(branch_ok, base_branch)),
            "tags_only": job_triggers == frozenset({"tag"}),
            "needs": needs, "environment": environment, "environment_line": env_line,
            "matrix_environments": matrix_envs, "active": bool(job_triggers),
            "inactive_reason": None if job_triggers else "its filters exclude every branch and tag",
        }
        if str(params.get("type", "")) == "approval":
            return Job(id=entry.id, line=entry.line, name=entry.ref, manual=True, **common)
        definition = definitions.get(entry.ref)
        if definition is not None:
            used.add(entry.ref)
            return Job(
                id=entry.id, line=definitions.key_lines.get(entry.ref, entry.line), name=entry.ref,
                commands=tuple(self._job_commands(definition, params, text, commands)),
                services=self._services(definition), **common,
            )
        if "/" in entry.ref:
            action = Command(entry.ref, entry.line, ACTION, _inputs(params, _CIRCLE_WORKFLOW_KEYS))
            return Job(id=entry.id, line=entry.line, name=entry.ref, commands=(action,), **common)
        notes.append(f"workflow {entry.workflow}: job {entry.ref} is not defined")
        return Job(id=entry.id, line=entry.line, name=entry.ref, **common)

    def _context(self, params: LineDict, line: int) -> tuple[str | None, int | None]:
        """A context named like an environment (`production`, `aws-staging`) stands for it."""
        for name in _strs(params.get("context")):
            if _ENVIRONMENT_LIKE.search(name):
                return name, _line_of(params, "context", line)
        return None, None

    @staticmethod
    def _tag_builds_need_tagged_upstream(jobs: list[Job], notes: list[str]) -> list[Job]:
        """CircleCI runs a job for a tag only when every job it requires also runs for tags."""
        by_id = {j.id: j for j in jobs}
        changed = True
        while changed:
            changed = False
            for job in list(by_id.values()):
                if "tag" in job.triggers and any("tag" not in by_id[n].triggers for n in job.needs if n in by_id):
                    triggers = job.triggers - {"tag"}
                    notes.append(f"job {job.id}: tag filter has no effect, a required job has no tag filter")
                    by_id[job.id] = replace(
                        job, triggers=triggers, tags_only=False, active=bool(triggers) and job.active,
                        inactive_reason=job.inactive_reason if triggers else "runs only for tags, but a required job never does",
                    )
                    changed = True
        return [by_id[j.id] for j in jobs]

    # -- steps -------------------------------------------------------------------------------
    @staticmethod
    def _services(definition: Any) -> tuple[str, ...]:
        job = _map(definition)
        docker = job.get("docker") if job is not None else None
        images = [str(d.get("image")) for d, _ in _items(docker, 0) if isinstance(d, dict) and d.get("image")]
        return tuple(images[1:])

    def _job_commands(self, definition: Any, params: LineDict, text: _Text, commands: LineDict) -> list[Command]:
        job = _map(definition)
        if job is None:
            return []
        out = self._steps(params.get("pre-steps"), text, commands, 0)
        out += self._steps(job.get("steps"), text, commands, 0)
        out += self._steps(params.get("post-steps"), text, commands, 0)
        return out

    def _steps(self, steps: Any, text: _Text, commands: LineDict, depth: int) -> list[Command]:
        out: list[Command] = []
        for step, line in _items(steps, 1):
            if isinstance(step, str):
                name, body = step, None
            elif (pair := _single_key(step)) is not None:
                name, body = pair
                line = _line_of(step, name, line)
            else:
                continue
            if name in ("run", "deploy"):
                if isinstance(body, dict):
                    out += text.shell(body.get("command"), _line_of(body, "command", line))
                else:
                    out += text.shell(body, line)
            elif name in _CIRCLE_DROPPED:
                continue
            elif name in _CIRCLE_KEPT:
                path = _as_str(body.get("path")) if isinstance(body, dict) else ""
                out.append(Command(f"{name} {path}".strip(), line, STEP))
            elif name in ("when", "unless") and isinstance(body, dict):
                out += self._steps(body.get("steps"), text, commands, depth)
            elif name in commands and depth < _MAX_DEPTH:
                out += self._steps((_map(commands[name]) or _empty()).get("steps"), text, commands, depth + 1)
            elif "/" in name:
                out.append(Command(name, line, ACTION, _inputs(body)))
            else:
                out.append(Command(name, line, STEP, _inputs(body)))
        return out

    @staticmethod
    def _continuations(jobs: list[Job]) -> list[str]:
        targets: list[str] = []
        for job in jobs:
            for command in job.commands:
                key = _CIRCLE_CONTINUATION.get(command.text.split("@", 1)[0]) if command.kind == ACTION else None
                if key is None:
                    continue
                target = command.input(key) or (".circleci/continue_config.yml" if key == "config-path" else None)
                if target and "<<" not in target:
                    targets.append(target)
        return list(dict.fromkeys(targets))


# --------------------------------------------------------------------------------------------
# Travis CI
# --------------------------------------------------------------------------------------------

_TRAVIS_PHASES = ("before_install", "install", "before_script", "script", "after_success", "after_failure", "after_script")
_TRAVIS_EXPANSION = ("env", "python", "node_js", "rvm", "ruby", "jdk", "go", "php", "os", "scala", "perl", "rust",
                     "dart", "elixir", "otp_release", "julia", "r", "ghc", "compiler", "arch", "dist", "osx_image")
_TRAVIS_TYPES = {"push": "push", "pull_request": "pull_request", "cron": "schedule", "api": "api"}
_TRAVIS_DEPLOY_SKIP = ("provider", "on", "edge", "skip_cleanup", "cleanup")


def _travis_values(raw: str) -> list[str]:
    raw = raw.strip()
    if raw.startswith("(") and raw.endswith(")"):
        raw = raw[1:-1]
    return [v.strip().strip("'\"") for v in raw.split(",") if v.strip()]


def _travis_guard(condition: str, defaults: tuple[str, ...], repo: str | None) -> _Guard:
    """A Travis `if:` condition, for the clauses joined by AND that name type, branch, tag or repo."""
    guard = _Guard()
    if re.search(r"\bOR\b|\|\|", condition, re.IGNORECASE):
        return guard
    for clause in re.split(r"\s+(?:AND|&&)\s+", condition.strip(), flags=re.IGNORECASE):
        c = clause.strip().strip("()").strip()
        negate = False
        if re.match(r"(NOT|!)\s*", c, re.IGNORECASE) and not re.match(r"NOT\s+IN\b", c, re.IGNORECASE):
            negate = True
            c = re.sub(r"^(NOT|!)\s*", "", c, flags=re.IGNORECASE)
        m = re.fullmatch(r"tag\s+IS\s+(NOT\s+)?(present|blank)", c, re.IGNORECASE)
        if m:
            present = (m.group(2).lower() == "present") != bool(m.group(1)) != negate
            guard = guard & (_Guard(tags_only=True) if present else _Guard(no_tags=True))
            continue
        m = re.fullmatch(r"(\w+)\s*(=~|==|=|!=|NOT\s+IN|IN)\s*(.+)", c, re.IGNORECASE)
        if not m:
            continue
        attr, op, raw = m.group(1).lower(), re.sub(r"\s+", " ", m.group(2).upper()), m.group(3)
        positive = (op in ("=", "==", "=~", "IN")) != negate
        values = _travis_values(raw) if op.endswith("IN") else [raw.strip().strip("'\"")]
        if attr == "type":
            mapped = frozenset(_TRAVIS_TYPES[v] for v in values if v in _TRAVIS_TYPES)
            guard = guard & (_Guard(allowed=mapped) if positive else _Guard(excluded=mapped))
        elif attr == "branch":
            if op == "=~":
                rx = values[0].strip("/")
                hit = any(re.search(rx, b) for b in defaults)
            else:
                hit = any(v in defaults for v in values)
            guard = guard & _Guard(branch=hit if positive else not hit)
        elif attr == "repo" and repo:
            hit = any(v.lower() == repo.lower() for v in values)
            if hit != positive:
                guard = guard & _Guard(active=False, reason=f"if: {condition} (this repository is {repo})")
    return guard


class TravisParser(_YamlParser):
    system = "travis"
    _BASE = frozenset({"push", "pull_request"})

    def wants(self, path: str) -> bool:
        return path == ".travis.yml"

    def parse_mapping(self, path: str, data: LineDict, text: _Text, ctx: DetectionContext) -> list[Pipeline]:
        defaults = _default_branches(ctx)
        notes = ["Travis builds pushes and pull requests (unless turned off in the repository settings); cron jobs are configured in the UI"]
        root_guard = _travis_guard(_as_str(data["if"]), defaults, ctx.repo.name) if "if" in data else _Guard()
        branches = data.get("branches")
        only = except_ = None
        if isinstance(branches, dict):
            only = _strs(branches["only"]) if "only" in branches else None
            except_ = _strs(branches.get("except")) or None
        elif isinstance(branches, list):
            only = _strs(branches)
        if only is not None or except_ is not None:
            allowed = _allows(defaults, only, except_, lambda p, b: _slash_match(p, b, full=False))
            root_guard = root_guard & _Guard(branch=allowed)
            if only is not None and not any(p.strip().startswith("/") for p in only):
                root_guard = root_guard & _Guard(no_tags=True)
                notes.append("branches.only has no regular expression, so tag builds are filtered out too")
        stage_guards: dict[str, _Guard] = {}
        stage_names: list[str] = []
        for stage, _ in _items(data.get("stages"), 1):
            name = _as_str(stage.get("name")) if isinstance(stage, dict) else _as_str(stage)
            stage_names.append(name)
            if isinstance(stage, dict) and "if" in stage:
                stage_guards[name.lower()] = _travis_guard(_as_str(stage["if"]), defaults, ctx.repo.name)
        matrix = _map(data.get("jobs")) or _map(data.get("matrix"))
        include = _items(matrix.get("include"), 1) if matrix is not None else []
        taken: set[str] = set()
        jobs: list[Job] = []
        services = tuple(_strs(data.get("services")))
        if not include or any(isinstance(data.get(k), list) and len(data[k]) > 1 for k in _TRAVIS_EXPANSION):
            if include:
                notes.append("root build matrix kept beside jobs.include (a list-valued matrix key expands it)")
            jobs += self._job("build", 1, None, None, data, _empty(), root_guard, text, defaults, ctx, taken, services)
        stage = "test"
        for item, line in include:
            if not isinstance(item, LineDict):
                continue
            stage = _as_str(item.get("stage")) if "stage" in item else stage
            guard = root_guard & stage_guards.get(stage.lower(), _Guard())
            if "if" in item:
                guard = guard & _travis_guard(_as_str(item["if"]), defaults, ctx.repo.name)
            name = _as_str(item.get("name")) or f"{stage}-{len(jobs) + 1}"
            index = next((i for i, s in enumerate(stage_names) if s.lower() == stage.lower()), None)
            jobs += self._job(name, line, stage, index, data, item, guard, text, defaults, ctx, taken,
                              tuple(_strs(item["services"])) if "services" in item else services)
        triggers = _union(jobs)
        return [Pipeline(
            system=self.system, path=path, triggers=triggers, trigger_lines=dict.fromkeys(triggers, 1), jobs=tuple(jobs),
            stages=tuple(stage_names), notes=tuple(notes),
        )]

    def _job(self, name: str, line: int, stage: str | None, stage_index: int | None, root: LineDict, item: LineDict,
             guard: _Guard, text: _Text, defaults: tuple[str, ...], ctx: DetectionContext, taken: set[str],
             services: tuple[str, ...]) -> list[Job]:
        def lookup(key: str) -> tuple[Any, int] | None:
            for source in (item, root):
                if key in source:
                    return source[key], source.key_lines.get(key, line)
            return None

        commands: list[Command] = []
        for phase in _TRAVIS_PHASES:
            found = lookup(phase)
            if found is not None and _as_str(found[0]).strip() != "skip":
                commands += text.shell(found[0], found[1])
        triggers = guard.apply(self._BASE)
        job_id = _unique(name, taken)
        job = Job(
            id=job_id, line=line, name=name, triggers=triggers, stage=stage, stage_index=stage_index,
            default_branch=_on_default_branch(triggers, guard.branch), tags_only=triggers == frozenset({"tag"}),
            commands=tuple(commands), services=services, active=guard.active and bool(triggers),
            inactive_reason=guard.reason or (None if triggers else "its conditions exclude every build"),
        )
        out = [job]
        deploy = lookup("deploy")
        if deploy is None:
            return out
        before, after = lookup("before_deploy"), lookup("after_deploy")
        for provider, provider_line in _items(deploy[0], deploy[1]):
            if not isinstance(provider, dict):
                continue
            name_ = _as_str(provider.get("provider")) or "unknown"
            cmds = text.shell(before[0], before[1]) if before else []
            cmds.append(Command(f"travis-deploy:{name_}", _line_of(provider, "provider", provider_line), ACTION,
                                _inputs(provider, _TRAVIS_DEPLOY_SKIP)))
            cmds += text.shell(after[0], after[1]) if after else []
            on = _map(provider.get("on")) or _empty()
            deploy_guard = guard & _Guard(excluded=frozenset({"pull_request"}))
            if _truthy(on.get("tags")):
                deploy_guard = deploy_guard & _Guard(tags_only=True)
            if "branch" in on and not _truthy(on.get("all_branches")):
                deploy_guard = deploy_guard & _Guard(branch=any(b in defaults for b in _strs(on["branch"])))
            elif "branch" not in on and not _truthy(on.get("all_branches")) and not _truthy(on.get("tags")):
                deploy_guard = deploy_guard & _Guard(branch=True)
            if on.get("repo") and ctx.repo.name and _as_str(on["repo"]).lower() != ctx.repo.name.lower():
                deploy_guard = deploy_guard & _Guard(active=False, reason=f"deploy on.repo is {on['repo']}")
            deploy_triggers = deploy_guard.apply(self._BASE)
            if "tag" in deploy_triggers and deploy_guard.tags_only and guard.no_tags:
                deploy_triggers = frozenset()
            out.append(Job(
                id=_unique(f"{job_id}:deploy:{name_}", taken), line=provider_line, name=f"deploy ({name_})",
                triggers=deploy_triggers, stage=stage, stage_index=stage_index,
                default_branch=_on_default_branch(deploy_triggers, deploy_guard.branch),
                tags_only=deploy_triggers == frozenset({"tag"}), needs=(job_id,), commands=tuple(cmds),
                active=deploy_guard.active and bool(deploy_triggers),
                inactive_reason=deploy_guard.reason or (None if deploy_triggers else "its conditions exclude every build"),
            ))
        return out


# --------------------------------------------------------------------------------------------
# Azure Pipelines
# --------------------------------------------------------------------------------------------

_AZ_SHELL_KEYS = ("script", "bash", "pwsh", "powershell")
_AZ_TEMPLATE_REF = re.compile(r"^[ \t-]*template:[ \t]*['\"]?([^'\"\s#]+)", re.MULTILINE)
_AZ_BRANCH = r"variables(?:\[\s*['\"]Build\.SourceBranch['\"]\s*\]|\.Build\.SourceBranch\b)"
_AZ_BRANCH_NAME = r"variables(?:\[\s*['\"]Build\.SourceBranchName['\"]\s*\]|\.Build\.SourceBranchName\b)"
_AZ_REASON = r"variables(?:\[\s*['\"]Build\.Reason['\"]\s*\]|\.Build\.Reason\b)"
_AZ_REASONS = {
    "individualci": "push", "batchedci": "push", "pullrequest": "pull_request", "schedule": "schedule",
    "manual": "manual", "resourcetrigger": "upstream", "buildcompletion": "upstream",
}
_AZ_HOOKS = ("preDeploy", "deploy", "routeTraffic", "postRouteTraffic")


def _az_variables(value: Any) -> dict[str, str]:
    out: dict[str, str] = {}
    if isinstance(value, dict):
        out.update({str(k): _as_str(v) for k, v in value.items() if not isinstance(v, dict | list)})
    elif isinstance(value, list):
        for item in value:
            if isinstance(item, dict) and "name" in item:
                out[_as_str(item["name"])] = _as_str(item.get("value"))
    return out


def _az_guard(condition: Any, variables: Mapping[str, str], defaults: tuple[str, ...]) -> _Guard:
    """The branch, tag and build-reason parts of an Azure `condition:`."""
    if condition is False or _as_str(condition).strip().lower() == "false":
        return _Guard(active=False, reason="condition: false")
    cond = _as_str(condition)

    def substitute(m: re.Match[str]) -> str:
        name = m.group(1) or m.group(2)
        if name not in variables:
            return m.group(0)
        value = variables[name].strip()
        inner = re.fullmatch(r"\$\[(.*)\]", value, re.DOTALL)
        return f"({inner.group(1)})" if inner else f"'{value}'"

    for _ in range(3):
        cond = re.sub(r"variables(?:\.([A-Za-z_][\w]*)\b(?!\.)|\[\s*['\"]([\w.]+)['\"]\s*\])", substitute, cond)
    low = cond.lower()
    loose = "or(" in low.replace(" ", "") or "not(" in low.replace(" ", "")
    guard = _Guard()

    def literals(subject: str, fn: str) -> list[str]:
        found = re.findall(fn + r"\(\s*" + subject + r"\s*,\s*'([^']*)'\s*\)", cond, re.IGNORECASE)
        found += re.findall(fn + r"\(\s*'([^']*)'\s*,\s*" + subject + r"\s*\)", cond, re.IGNORECASE)
        return found

    def in_literals(subject: str) -> list[str]:
        out: list[str] = []
        for args in re.findall(r"\bin\(\s*" + subject + r"\s*,([^)]*)\)", cond, re.IGNORECASE):
            out += re.findall(r"'([^']*)'", args)
        return out

    names = {b.lower() for b in defaults}
    positive = [_strip_ref(v).lower() for v in literals(_AZ_BRANCH, "eq") + in_literals(_AZ_BRANCH) if not v.startswith("refs/tags")]
    positive += [v.lower() for v in literals(_AZ_BRANCH_NAME, "eq") + in_literals(_AZ_BRANCH_NAME)]
    negative = [_strip_ref(v).lower() for v in literals(_AZ_BRANCH, "ne")] + [v.lower() for v in literals(_AZ_BRANCH_NAME, "ne")]
    prefixes = [v for v in literals(_AZ_BRANCH, "startsWith")]
    tag_prefix = any(p.lower().startswith("refs/tags") for p in prefixes)
    head_prefixes = [_strip_ref(p).lower() for p in prefixes if p.lower().startswith("refs/heads/")]
    if positive or head_prefixes:
        hit = any(p in names for p in positive) or any(n.startswith(p) for p in head_prefixes for n in names)
        guard = guard & _Guard(branch=True if hit else (None if loose else False), no_tags=not loose)
    elif negative and not loose:
        guard = guard & _Guard(branch=not any(n in names for n in negative))
    if tag_prefix and not loose and not positive:
        guard = guard & _Guard(tags_only=True)
    reasons = [_AZ_REASONS.get(v.lower()) for v in literals(_AZ_REASON, "eq") + in_literals(_AZ_REASON)]
    not_reasons = [_AZ_REASONS.get(v.lower()) for v in literals(_AZ_REASON, "ne")]
    if reasons and (not loose or all(r is not None for r in reasons)) and "not(" not in low.replace(" ", ""):
        guard = guard & _Guard(allowed=frozenset(r for r in reasons if r))
    if not_reasons and not loose:
        guard = guard & _Guard(excluded=frozenset(r for r in not_reasons if r))
    return guard


@dataclass
class _AzJob:
    name: str
    line: int
    commands: list[Command]
    depends: list[str] | None
    condition: Any
    variables: dict[str, str]
    environment: str | None = None
    environment_line: int | None = None
    services: tuple[str, ...] = ()
    validation: bool = False


@dataclass
class _AzStage:
    name: str | None
    line: int
    jobs: list[_AzJob]
    depends: list[str] | None = None
    condition: Any = None
    variables: dict[str, str] = field(default_factory=dict)


class _AzureBuilder:
    """Walks one Azure Pipelines file (and the local templates it includes)."""

    def __init__(self, path: str, ctx: DetectionContext, data: LineDict) -> None:
        self.path = path
        self.ctx = ctx
        self.includes: list[str] = []
        self.notes: list[str] = []
        self.containers: dict[str, str] = {}
        resources = _map(data.get("resources"))
        if resources is not None:
            for item, _ in _items(resources.get("containers"), 1):
                if isinstance(item, dict) and item.get("container"):
                    self.containers[_as_str(item["container"])] = _as_str(item.get("image"))

    # -- templates -----------------------------------------------------------------------
    def template(self, ref: str, from_path: str, depth: int) -> tuple[LineDict, _Text, str] | None:
        if "@" in ref:
            self.includes.append(ref)
            self.notes.append(f"template {ref} lives in another repository; not followed")
            return None
        if "${{" in ref or "$(" in ref:
            self.includes.append(ref)
            self.notes.append(f"template path {ref} is computed; not followed")
            return None
        resolved = ref.lstrip("/") if ref.startswith("/") else posixpath.normpath(posixpath.join(posixpath.dirname(from_path), ref))
        self.includes.append(resolved)
        if depth >= _MAX_DEPTH:
            self.notes.append(f"template {resolved}: nesting too deep; not followed")
            return None
        body = self.ctx.files.read_text(resolved)
        if body is None:
            self.notes.append(f"template {resolved} not found")
            return None
        try:
            data = load_lenient(body)
        except yaml.YAMLError:
            self.notes.append(f"template {resolved} is not valid YAML; not followed")
            return None
        if not isinstance(data, LineDict):
            self.notes.append(f"template {resolved} is not a mapping; not followed")
            return None
        return data, _Text(body), resolved

    @staticmethod
    def flatten(value: Any, fallback: int, depth: int = 0) -> Iterator[tuple[Any, int]]:
        """List items, with `${{ if }}` / `${{ each }}` blocks opened (their content counted in)."""
        for item, line in _items(value, fallback):
            pair = _single_key(item)
            if pair is not None and pair[0].strip().startswith("${{") and depth < _MAX_DEPTH:
                yield from _AzureBuilder.flatten(pair[1], _line_of(item, pair[0], line), depth + 1)
            else:
                yield item, line

    # -- structure ----------------------------------------------------------------------
    def body(self, data: LineDict, text: _Text, source: str, at: int | None, depth: int) -> list[_AzStage]:
        if "stages" in data:
            return self.stages(data["stages"], text, source, at, depth)
        if "jobs" in data:
            return [_AzStage(None, _line_of(data, "jobs", 1), self.jobs(data["jobs"], text, source, at, depth))]
        if "steps" in data:
            line = at or _line_of(data, "steps", 1)
            job = _AzJob("Job", line, self.steps(data["steps"], text, source, at, depth), None, None, {})
            return [_AzStage(None, line, [job])]
        extends = _map(data.get("extends"))
        if extends is not None:
            ref_line = _line_of(extends, "template", _line_of(data, "extends", 1))
            params = _map(extends.get("parameters"))
            if params is not None and any(k in params for k in ("stages", "jobs", "steps")):
                if extends.get("template"):
                    self.template(_as_str(extends["template"]), source, depth)
                return self.body(params, text, source, at, depth)
            if extends.get("template"):
                loaded = self.template(_as_str(extends["template"]), source, depth)
                if loaded is not None:
                    return self.body(loaded[0], loaded[1], loaded[2], at or ref_line, depth + 1)
        return []

    def stages(self, value: Any, text: _Text, source: str, at: int | None, depth: int) -> list[_AzStage]:
        out: list[_AzStage] = []
        for item, line in self.flatten(value, 1):
            if not isinstance(item, dict):
                continue
            if "template" in item and "stage" not in item:
                loaded = self.template(_as_str(item["template"]), source, depth)
                if loaded is not None:
                    out += self.stages(loaded[0].get("stages"), loaded[1], loaded[2], at or line, depth + 1)
                continue
            name = _as_str(item.get("stage")) or f"stage{len(out) + 1}"
            depends = _strs(item["dependsOn"]) if "dependsOn" in item else None
            out.append(_AzStage(
                name, at or line, self.jobs(item.get("jobs"), text, source, at, depth), depends, item.get("condition"),
                _az_variables(item.get("variables")),
            ))
        return out

    def jobs(self, value: Any, text: _Text, source: str, at: int | None, depth: int) -> list[_AzJob]:
        out: list[_AzJob] = []
        for item, line in self.flatten(value, 1):
            if not isinstance(item, dict):
                continue
            if "template" in item and "job" not in item and "deployment" not in item:
                loaded = self.template(_as_str(item["template"]), source, depth)
                if loaded is not None:
                    out += self.jobs(loaded[0].get("jobs"), loaded[1], loaded[2], at or line, depth + 1)
                continue
            deployment = "deployment" in item
            name = _as_str(item.get("deployment") if deployment else item.get("job")) or ("Job" if not out else f"Job{len(out) + 1}")
            commands = self.steps(item.get("steps"), text, source, at, depth)
            strategy = _map(item.get("strategy"))
            if deployment and strategy is not None:
                for kind, body in strategy.items():
                    hooks = _map(body)
                    if hooks is None:
                        continue
                    if kind != "runOnce":
                        self.notes.append(f"deployment {name}: {kind} deployment strategy")
                    for hook in _AZ_HOOKS:
                        commands += self.steps((_map(hooks.get(hook)) or _empty()).get("steps"), text, source, at, depth)
                    on = _map(hooks.get("on")) or _empty()
                    for outcome in ("failure", "success"):
                        commands += self.steps((_map(on.get(outcome)) or _empty()).get("steps"), text, source, at, depth)
            environment, env_line = None, None
            if deployment and "environment" in item:
                env = item["environment"]
                raw = _as_str(env.get("name")) if isinstance(env, dict) else _as_str(env)
                environment = raw.split(".", 1)[0] if raw else None
                env_line = at or _line_of(item, "environment", line)
            services = tuple(self.containers.get(_as_str(v), _as_str(v)) for v in (_map(item.get("services")) or _empty()).values())
            out.append(_AzJob(
                name=name, line=at or line, commands=commands,
                depends=_strs(item["dependsOn"]) if "dependsOn" in item else None, condition=item.get("condition"),
                variables=_az_variables(item.get("variables")), environment=environment, environment_line=env_line,
                services=services,
                validation=any(c.kind == ACTION and c.text.lower().startswith(("manualvalidation@", "manualintervention@")) for c in commands),
            ))
        return out

    def steps(self, value: Any, text: _Text, source: str, at: int | None, depth: int) -> list[Command]:
        out: list[Command] = []
        for step, line in self.flatten(value, 1):
            if not isinstance(step, LineDict):
                continue
            for key in _AZ_SHELL_KEYS:
                if key in step:
                    out += _at(text.shell(step[key], step.key_lines.get(key, line)), at)
            if "task" in step:
                out.append(Command(_as_str(step["task"]), at or step.key_lines.get("task", line), ACTION, _inputs(step.get("inputs"))))
            if "publish" in step:
                out.append(Command(f"publish {_as_str(step['publish'])}", at or line, STEP, _inputs(step, ("publish",))))
            if "template" in step:
                ref = _as_str(step["template"])
                loaded = self.template(ref, source, depth)
                if loaded is not None:
                    out += self.steps(loaded[0].get("steps"), loaded[1], loaded[2], at or line, depth + 1)
                else:
                    out.append(Command(f"template:{ref}", at or line, ACTION, _inputs(step.get("parameters"))))
        return out


class AzurePipelinesParser(_YamlParser):
    system = "azure-pipelines"
    # `azure-pipelines/` may sit below a build folder (`build/azure-pipelines/release.yml`).
    _FOLDERS = re.compile(r"(?:[^/]+/)*(?:\.?azure-pipelines)/.+\.ya?ml|(?:\.pipelines|\.azdo/pipelines)/.+\.ya?ml")
    _NAMES = frozenset({"azure-pipelines.yml", "azure-pipelines.yaml", ".azure-pipelines.yml", ".azure-pipelines.yaml"})

    def wants(self, path: str) -> bool:
        return path.rsplit("/", 1)[-1] in self._NAMES or self._FOLDERS.fullmatch(path) is not None

    def parse_mapping(self, path: str, data: LineDict, text: _Text, ctx: DetectionContext) -> list[Pipeline]:
        defaults = _default_branches(ctx)
        builder = _AzureBuilder(path, ctx, data)
        referrer = self._referrer(path, ctx)
        if referrer is not None:
            stages = builder.body(data, text, path, None, 0)
            jobs = self._finish(stages, frozenset(), None, True, {}, defaults)
            return [Pipeline(
                system=self.system, path=path, triggers=frozenset(), jobs=tuple(jobs), active=False,
                inactive_reason=f"template included by {referrer}", includes=tuple(dict.fromkeys(builder.includes)),
            )]
        triggers, lines, push_ok, tags_ok, notes = self._triggers(data, defaults, ctx.repo.host)
        stages = builder.body(data, text, path, None, 0)
        jobs = self._finish(stages, triggers, push_ok, tags_ok, _az_variables(data.get("variables")), defaults)
        notes += builder.notes
        if any(j.environment for j in jobs):
            notes.append("approvals and checks are configured on Azure DevOps environments, outside the file")
        return [Pipeline(
            system=self.system, path=path, triggers=triggers, trigger_lines=lines, jobs=tuple(jobs),
            line=min(lines.values(), default=1), includes=tuple(dict.fromkeys(builder.includes)),
            stages=tuple(s.name for s in stages if s.name), notes=tuple(notes),
        )]

    def _referrer(self, path: str, ctx: DetectionContext) -> str | None:
        """The other pipeline file that includes this one as a template, if any."""
        for other in self.candidates(ctx):
            if other == path:
                continue
            body = ctx.files.read_text(other) or ""
            for ref in _AZ_TEMPLATE_REF.findall(body):
                if "@" in ref:
                    continue
                resolved = ref.lstrip("/") if ref.startswith("/") else posixpath.normpath(posixpath.join(posixpath.dirname(other), ref))
                if resolved == path:
                    return other
        return None

    @staticmethod
    def _branch_filter(value: Any) -> tuple[list[str] | None, list[str] | None, list[str]]:
        """(branch include, branch exclude, tag include) of a `trigger:`/`pr:`/schedule filter."""
        if isinstance(value, str):
            value = [value]
        if isinstance(value, list):
            names = _strs(value)
            return [n for n in names if not n.startswith("refs/tags/")], None, [n for n in names if n.startswith("refs/tags/")]
        mapping = _map(value)
        if mapping is None:
            return None, None, []
        branches = mapping.get("branches")
        include = exclude = None
        tags: list[str] = []
        if isinstance(branches, dict):
            include = _strs(branches["include"]) if "include" in branches else None
            exclude = _strs(branches.get("exclude")) or None
        elif isinstance(branches, list):
            include = _strs(branches)
        if include is not None:
            tags = [n for n in include if n.startswith("refs/tags/")]
            include = [n for n in include if not n.startswith("refs/tags/")] or ([] if tags else include)
        tag_filter = _map(mapping.get("tags"))
        if tag_filter is not None:
            tags += _strs(tag_filter.get("include")) or ["*"]
        return include, exclude, tags

    def _triggers(self, data: LineDict, defaults: tuple[str, ...], repo_host: str | None = None) -> tuple[frozenset[str], dict[str, int], bool | None, bool, list[str]]:
        triggers: set[str] = set()
        lines: dict[str, int] = {}
        notes: list[str] = []
        push_ok: bool | None = None
        tags_ok = False
        trigger = data.get("trigger", ...)
        if trigger is ...:
            triggers.add("push")
            lines["push"] = 1
            push_ok, tags_ok = True, True
            notes.append("no trigger: key - CI runs for pushes to every branch")
        elif not (trigger is None or _as_str(trigger).strip().lower() in ("none", "false")):
            include, exclude, tags = self._branch_filter(trigger)
            mapping = _map(trigger)
            if isinstance(trigger, list):
                has_branches = bool(include)
            elif mapping is not None:
                has_branches = include != [] if "branches" in mapping else "tags" not in mapping
            else:
                has_branches = True
            if has_branches:
                triggers.add("push")
                lines["push"] = data.key_lines["trigger"]
                push_ok = _allows(defaults, include or None, exclude, _wild_match)
            if tags:
                triggers.add("tag")
                lines["tag"] = data.key_lines["trigger"]
                tags_ok = True
        pr = data.get("pr", ...)
        if pr is ...:
            host = (repo_host or "").lower()
            if "github" in host or "bitbucket" in host:
                triggers.add("pull_request")
                lines["pull_request"] = 1
                notes.append("no pr: key - pull requests from GitHub and Bitbucket run it")
            else:
                # Azure Repos builds pull requests only through branch policies, which are not in the files.
                notes.append("no pr: key - pull request builds are not claimed: on Azure Repos (or an unknown host) "
                             "branch policies decide")
        elif not (pr is None or _as_str(pr).strip().lower() in ("none", "false")):
            triggers.add("pull_request")
            lines["pull_request"] = data.key_lines["pr"]
        if _items(data.get("schedules"), 1):
            triggers.add("schedule")
            lines["schedule"] = data.key_lines["schedules"]
        resources = _map(data.get("resources"))
        if resources is not None:
            for kind in ("pipelines", "repositories", "containers", "packages"):
                for item, line in _items(resources.get(kind), _line_of(resources, kind, 1)):
                    if isinstance(item, dict) and "trigger" in item and _as_str(item["trigger"]).strip().lower() not in ("none", "false"):
                        triggers.add("upstream")
                        lines.setdefault("upstream", _line_of(item, "trigger", line))
            if _items(resources.get("webhooks"), 1):
                triggers.add("api")
                lines.setdefault("api", resources.key_lines["webhooks"])
        if not triggers:
            triggers.add("manual")
            lines["manual"] = _line_of(data, "trigger", 1)
            notes.append("no automatic trigger: the pipeline runs when someone starts it")
        return frozenset(triggers), lines, push_ok, tags_ok, notes

    @staticmethod
    def _finish(stages: list[_AzStage], triggers: frozenset[str], push_ok: bool | None, tags_ok: bool,
                variables: dict[str, str], defaults: tuple[str, ...]) -> list[Job]:
        taken: set[str] = set()
        stage_names = [s.name for s in stages]
        # Stage dependencies: explicit dependsOn, else the previous stage.
        stage_deps: dict[int, list[int]] = {}
        for i, stage in enumerate(stages):
            if stage.depends is None:
                stage_deps[i] = [i - 1] if i > 0 else []
            else:
                stage_deps[i] = [stage_names.index(d) for d in stage.depends if d in stage_names]
        gated: set[int] = set()
        for i in range(len(stages)):
            todo, seen = list(stage_deps[i]), set()
            while todo:
                j = todo.pop()
                if j in seen:
                    continue
                seen.add(j)
                if any(job.validation for job in stages[j].jobs):
                    gated.add(i)
                todo.extend(stage_deps[j])
        jobs: list[Job] = []
        for i, stage in enumerate(stages):
            local: dict[str, str] = {}
            stage_vars = {**variables, **stage.variables}
            stage_guard = _az_guard(stage.condition, stage_vars, defaults) if stage.condition is not None else _Guard()
            for draft in stage.jobs:
                local[draft.name] = _unique(draft.name, taken, prefix=stage.name)
            for draft in stage.jobs:
                guard = stage_guard
                if draft.condition is not None:
                    guard = guard & _az_guard(draft.condition, {**stage_vars, **draft.variables}, defaults)
                base = triggers | {"manual"} if guard.allowed and "manual" in guard.allowed else triggers
                job_triggers = guard.apply(base)
                reason = guard.reason
                if guard.tags_only and not tags_ok:
                    job_triggers, reason = frozenset(), reason or "runs only for tags, which the pipeline's trigger does not build"
                branch_ok = _both(push_ok, guard.branch) if "push" in job_triggers else guard.branch
                jobs.append(Job(
                    id=local[draft.name], line=draft.line, name=draft.name, triggers=job_triggers,
                    manual=draft.validation or i in gated or job_triggers == frozenset({"manual"}),
                    environment=draft.environment, environment_line=draft.environment_line,
                    default_branch=_on_default_branch(job_triggers, branch_ok), tags_only=job_triggers == frozenset({"tag"}),
                    needs=tuple(local[d] for d in (draft.depends or []) if d in local),
                    stage=stage.name, stage_index=i if stage.name else None, commands=tuple(draft.commands),
                    services=draft.services, active=guard.active and (bool(job_triggers) or not triggers),
                    inactive_reason=None if guard.active and (bool(job_triggers) or not triggers)
                    else reason or "its condition excludes every trigger of the pipeline",
                ))
        return _propagate_manual(jobs)


# --------------------------------------------------------------------------------------------
# Bitbucket Pipelines
# --------------------------------------------------------------------------------------------

class BitbucketPipelinesParser(_YamlParser):
    system = "bitbucket-pipelines"

    def wants(self, path: str) -> bool:
        return path == "bitbucket-pipelines.yml"

    def parse_mapping(self, path: str, data: LineDict, text: _Text, ctx: DetectionContext) -> list[Pipeline]:
        defaults = _default_branches(ctx)
        pipelines = _map(data.get("pipelines"))
        if pipelines is None:
            raise ValueError(f"{path}: no pipelines: section")
        definitions = _map(data.get("definitions")) or _empty()
        services = _map(definitions.get("services")) or _empty()
        jobs: list[Job] = []
        taken: set[str] = set()
        lines: dict[str, int] = {}
        notes: list[str] = []
        branches = _map(pipelines.get("branches")) or _empty()
        default_key = self._branch_for_default(branches, defaults)
        if "default" in pipelines:
            lines.setdefault("push", pipelines.key_lines["default"])
            jobs += self._sequence("default", pipelines["default"], frozenset({"push"}), default_key is None, False, False,
                                   text, services, taken)
        for pattern, body in branches.items():
            lines.setdefault("push", branches.key_lines[pattern])
            jobs += self._sequence(f"branches:{pattern}", body, frozenset({"push"}), str(pattern) == default_key, False, False,
                                   text, services, taken)
        for pattern, body in (_map(pipelines.get("pull-requests")) or _empty()).items():
            lines.setdefault("pull_request", pipelines.key_lines["pull-requests"])
            jobs += self._sequence(f"pull-requests:{pattern}", body, frozenset({"pull_request"}), False, False, False,
                                   text, services, taken)
        for pattern, body in (_map(pipelines.get("tags")) or _empty()).items():
            lines.setdefault("tag", pipelines.key_lines["tags"])
            jobs += self._sequence(f"tags:{pattern}", body, frozenset({"tag"}), False, True, False, text, services, taken)
        custom = _map(pipelines.get("custom")) or _empty()
        for name, body in custom.items():
            lines.setdefault("manual", pipelines.key_lines["custom"])
            jobs += self._sequence(f"custom:{name}", body, frozenset({"manual"}), None, False, True, text, services, taken)
        if custom:
            notes.append("custom pipelines run by hand, or on a schedule configured in Bitbucket")
        if "pull-requests" in pipelines:
            notes.append("pull-request pipelines match the source branch of the pull request")
        triggers = _union(jobs)
        return [Pipeline(
            system=self.system, path=path, triggers=triggers, trigger_lines={t: lines.get(t, 1) for t in triggers},
            jobs=tuple(jobs), line=data.key_lines["pipelines"], notes=tuple(notes),
        )]

    @staticmethod
    def _branch_for_default(branches: LineDict, defaults: tuple[str, ...]) -> str | None:
        """The `branches:` pattern Bitbucket picks for the default branch (an exact name wins over a glob)."""
        for default in defaults:
            if default in branches:
                return default
        for pattern in branches:
            if any(_glob_match(str(pattern), d) for d in defaults):
                return str(pattern)
        return None

    def _sequence(self, label: str, body: Any, triggers: frozenset[str], default_branch: bool | None, tags_only: bool,
                  manual: bool, text: _Text, services: LineDict, taken: set[str]) -> list[Job]:
        """The steps of one pipeline, in order. A manual step (or stage) pauses the pipeline: it and
        every later step wait for a person. Steps of a parallel group run together."""
        jobs: list[Job] = []
        previous: tuple[str, ...] = ()
        gated = manual
        for item, line in _items(body, 1):
            pair = _single_key(item)
            if pair is None:
                continue
            kind, value = pair
            line = _line_of(item, kind, line)
            steps: list[tuple[LineDict, int]] = []
            stage: LineDict | None = None
            if kind == "step":
                steps = [(_map(value) or _empty(), line)]
            elif kind == "parallel":
                steps = self._substeps(value.get("steps") if isinstance(value, dict) else value, line)
            elif kind == "stage" and isinstance(value, LineDict):
                stage = value
                steps = self._substeps(value.get("steps"), line)
            starts_manual = any(_as_str(s.get("trigger")).lower() == "manual" for s, _ in steps) or (
                stage is not None and _as_str(stage.get("trigger")).lower() == "manual")
            if starts_manual and jobs:
                gated = True
            current: list[str] = []
            for step, step_line in steps:
                name = _as_str(step.get("name"))
                env, env_line = None, None
                if step.get("deployment"):
                    env, env_line = _as_str(step["deployment"]), step.key_lines["deployment"]
                elif stage is not None and stage.get("deployment"):
                    env, env_line = _as_str(stage["deployment"]), stage.key_lines["deployment"]
                commands: list[Command] = []
                for key in ("script", "after-script"):
                    for entry, entry_line in _items(step.get(key), _line_of(step, key, step_line)):
                        if isinstance(entry, dict) and "pipe" in entry:
                            commands.append(Command(_as_str(entry["pipe"]), _line_of(entry, "pipe", entry_line), ACTION,
                                                    _inputs(entry.get("variables"))))
                        else:
                            commands += text.shell(entry, entry_line)
                job_id = _unique(f"{label}/{name or f'step-{len(jobs) + 1}'}", taken)
                current.append(job_id)
                jobs.append(Job(
                    id=job_id, line=step_line, name=name, triggers=triggers, manual=gated, environment=env,
                    environment_line=env_line, default_branch=default_branch, tags_only=tags_only, needs=previous,
                    stage=_as_str(stage.get("name")) or "stage" if stage is not None else None, commands=tuple(commands),
                    services=tuple(self._service(s, services) for s in _strs(step.get("services"))),
                ))
            previous = tuple(current) or previous
        return jobs

    @staticmethod
    def _substeps(value: Any, fallback: int) -> list[tuple[LineDict, int]]:
        out: list[tuple[LineDict, int]] = []
        for sub, line in _items(value, fallback):
            pair = _single_key(sub)
            if pair is not None and pair[0] == "step":
                out.append((_map(pair[1]) or _empty(), _line_of(sub, "step", line)))
        return out

    @staticmethod
    def _service(name: str, services: LineDict) -> str:
        definition = services.get(name)
        if isinstance(definition, dict):
            image = definition.get("image")
            if isinstance(image, dict):
                return _as_str(image.get("name")) or name
            return _as_str(image) or name
        return name


# --------------------------------------------------------------------------------------------
# Buildkite
# --------------------------------------------------------------------------------------------

_BK_UPLOAD = re.compile(r"buildkite-agent\s+pipeline\s+upload(?:\s+(?!-)([^\s|;&]+))?")
_BK_FILES = frozenset({".buildkite/pipeline.yml", ".buildkite/pipeline.yaml", "buildkite.yml", "buildkite.yaml"})
_BK_OTHER = re.compile(r"^\.buildkite/(?:[^/]+/)*[^/]+\.ya?ml$")
_BK_FRAGMENT = re.compile(r"(?i)(?:^|[/._-])(?:templates?|tmpl|tpl|partials?|snippets?|fragments?|hooks|plugins)(?:[/._-]|$)|"
                          r"(?:^|/)(?:docker-)?compose[^/]*$|\.j2\.|\.jinja")


def _bk_branches(spec: str, defaults: tuple[str, ...]) -> bool:
    patterns = spec.split()
    positive = [p for p in patterns if not p.startswith("!")]
    negative = [p[1:] for p in patterns if p.startswith("!")]
    return _allows(defaults, positive or None, negative, _wild_match)


def _bk_if(condition: str, defaults: tuple[str, ...]) -> _Guard:
    loose = "||" in condition
    guard = _Guard()
    for op, value in re.findall(r"build\.branch\s*(==|!=|=~|!~)\s*(\"[^\"]*\"|'[^']*'|/[^/]*/|pipeline\.default_branch)", condition):
        if value == "pipeline.default_branch":
            hit = True
        elif value.startswith("/"):
            hit = any(re.search(value[1:-1], d) for d in defaults)
        else:
            hit = value.strip("\"'") in defaults
        verdict = hit if op in ("==", "=~") else not hit
        if verdict or not loose:
            guard = guard & _Guard(branch=verdict)
    if re.search(r"build\.tag\s*(!=\s*null|=~)", condition) and not loose:
        guard = guard & _Guard(branch=False, tags_only=True)
    if re.search(r"build\.pull_request\.id\s*!=\s*null", condition) and not loose:
        guard = guard & _Guard(branch=False)
    return guard


@dataclass
class _BkState:
    """Where a walk over Buildkite steps is."""

    gate: list[str] = field(default_factory=list)
    """Ids a new step waits for without `depends_on` (everything before the last wait or block)."""
    current: list[str] = field(default_factory=list)
    """Steps since the last wait or block."""
    keys: dict[str, str] = field(default_factory=dict)
    """Step `key` -> job id."""

    def barrier(self) -> None:
        self.gate, self.current = self.current or self.gate, []


def _bk_depends(value: Any) -> list[str] | None:
    if value is None:
        return None
    out: list[str] = []
    for item, _ in _items(value, 0):
        if isinstance(item, dict):
            out.append(_as_str(item.get("step")))
        elif item is not None:
            out.append(_as_str(item))
    return [d for d in out if d]


@dataclass
class _BkStep:
    id: str
    line: int
    name: str
    manual: bool = False
    block: bool = False
    needs: tuple[str, ...] = ()
    commands: tuple[Command, ...] = ()
    default_branch: bool | None = None
    tags_only: bool = False
    trigger_project: str | None = None


class BuildkiteParser(_YamlParser):
    system = "buildkite"

    def wants(self, path: str) -> bool:
        return path in _BK_FILES or (_BK_OTHER.match(path) is not None and not _BK_FRAGMENT.search(path))

    def candidates(self, ctx: DetectionContext) -> list[str]:
        """The root pipeline files, and other `.buildkite/**.yml` files (uploaded by a script or started through
        the API as pipelines of their own), except those a candidate uploads by name: they are read as part of
        the uploading pipeline, gated like the uploading step."""
        found = [p for p in ctx.files.paths if self.wants(p)]
        others = [p for p in found if p not in _BK_FILES]
        if not others:
            return found
        uploaded: set[str] = set()
        for p in found:
            body = ctx.files.read_text(p) or ""
            uploaded.update(m.group(1) for m in _BK_UPLOAD.finditer(body) if m.group(1))
        return [p for p in found if p in _BK_FILES or p not in uploaded]

    def parse(self, path: str, text: str, ctx: DetectionContext) -> list[Pipeline]:
        if path in _BK_FILES:
            return super().parse(path, text, ctx)
        data = load_lenient(text)
        # Another file under .buildkite/ is a pipeline only when it holds a list of steps (not a compose file,
        # an agent config or a fragment of steps pasted in by a generator script).
        if not isinstance(data, LineDict) or not isinstance(data.get("steps"), list) or not data.get("steps"):
            return []
        return self.parse_mapping(path, data, _Text(text), ctx)

    def parse_mapping(self, path: str, data: LineDict, text: _Text, ctx: DetectionContext) -> list[Pipeline]:
        return self._pipeline(path, data, text, ctx, False, frozenset({path}))

    def _pipeline(self, path: str, data: LineDict, text: _Text, ctx: DetectionContext, gated: bool,
                  seen: frozenset[str]) -> list[Pipeline]:
        defaults = _default_branches(ctx)
        notes = ["what starts a Buildkite pipeline (pushes, pull requests, schedules) is configured in Buildkite, outside the file"]
        steps: list[_BkStep] = []
        taken: set[str] = set()
        self._walk(data.get("steps"), _line_of(data, "steps", 1), text, defaults, taken, steps, _BkState())
        jobs = [Job(
            id=s.id, line=s.line, name=s.name, triggers=frozenset(), manual=s.manual or gated, needs=s.needs,
            commands=s.commands, default_branch=s.default_branch, tags_only=s.tags_only, trigger_project=s.trigger_project,
        ) for s in steps]
        jobs = _propagate_manual(jobs)
        includes: list[str] = []
        extra: list[Pipeline] = []
        for job in jobs:
            for command in job.commands:
                m = _BK_UPLOAD.search(command.text) if command.kind == SHELL else None
                if m is None:
                    continue
                if "|" in command.text.split("buildkite-agent")[0]:
                    notes.append(f"line {command.line}: steps generated by a script and uploaded at run time")
                    continue
                target = m.group(1) or ".buildkite/pipeline.yml"
                if "$" in target or target in seen or len(seen) > _MAX_DEPTH:
                    continue
                includes.append(target)
                if target in _BK_FILES and ctx.files.exists(target):
                    continue
                body = ctx.files.read_text(target)
                if body is None:
                    notes.append(f"uploaded pipeline {target} not found")
                    continue
                extra += self._pipeline(target, _require_mapping(load_lenient(body), target), _Text(body), ctx,
                                        job.manual, seen | {target})
        pipeline = Pipeline(
            system=self.system, path=path, triggers=frozenset(), jobs=tuple(jobs), triggers_known=False,
            includes=tuple(dict.fromkeys(includes)), notes=tuple(notes),
        )
        return [pipeline, *extra]

    def _walk(self, value: Any, fallback: int, text: _Text, defaults: tuple[str, ...], taken: set[str],
              out: list[_BkStep], state: _BkState) -> None:
        """Steps in order, groups opened. A block step waits for everything before it and every later
        step without `depends_on` waits for it; an input step gates only the steps that depend on it."""
        for item, line in _items(value, fallback):
            if isinstance(item, str):
                if item in ("wait", "waiter"):
                    state.barrier()
                continue
            step = _map(item)
            if step is None:
                continue
            if "wait" in step and not any(k in step for k in ("command", "commands", "block", "trigger")):
                state.barrier()
                continue
            if "group" in step and "steps" in step:
                self._walk(step["steps"], _line_of(step, "steps", line), text, defaults, taken, out, state)
                continue
            kind = next((k for k in ("block", "input", "trigger") if k in step), "command")
            label = _as_str(step.get("label") or step.get("name") or (step.get(kind) if kind != "command" else "")).strip()
            key = _as_str(step.get("key") or step.get("id") or step.get("identifier"))
            step_id = _unique(key or label or f"step-{len(out) + 1}", taken)
            if key:
                state.keys[key] = step_id
            depends = _bk_depends(step.get("depends_on"))
            if kind == "block" and depends is None:
                needs = tuple(state.current or state.gate)
            elif kind == "input" and depends is None:
                needs = ()
            else:
                needs = tuple(state.keys.get(d, d) for d in depends) if depends is not None else tuple(state.gate)
            branch_ok: bool | None = None
            guard = _Guard()
            if "branches" in step:
                branch_ok = _bk_branches(_as_str(step["branches"]), defaults)
            if "if" in step:
                guard = _bk_if(_as_str(step["if"]), defaults)
            branch_ok = _both(branch_ok, guard.branch)
            commands: list[Command] = []
            for ck in ("command", "commands"):
                if ck in step:
                    commands += text.shell(step[ck], step.key_lines[ck])
            for plugin, plugin_line in _items(step.get("plugins"), _line_of(step, "plugins", line)):
                if isinstance(plugin, str):
                    commands.append(Command(plugin, plugin_line, ACTION))
                elif isinstance(plugin, LineDict):
                    for name, config in plugin.items():
                        commands.append(Command(str(name), plugin.key_lines.get(name, plugin_line), ACTION, _inputs(config)))
            record = _BkStep(
                id=step_id, line=line, name=label, manual=kind in ("block", "input"), block=kind == "block", needs=needs,
                commands=tuple(commands), default_branch=branch_ok, tags_only=guard.tags_only,
                trigger_project=_as_str(step["trigger"]) if kind == "trigger" else None,
            )
            out.append(record)
            if kind == "block" and branch_ok is not False:
                state.gate, state.current = [step_id], []
            elif kind != "input":
                state.current.append(step_id)


# --------------------------------------------------------------------------------------------
# Drone and Woodpecker
# --------------------------------------------------------------------------------------------

def _include_exclude(value: Any) -> tuple[list[str] | None, list[str] | None]:
    if value is None:
        return None, None
    if isinstance(value, dict):
        include = _strs(value["include"]) if "include" in value else None
        return include, _strs(value.get("exclude")) or None
    return _strs(value), None


@dataclass(frozen=True)
class _Condition:
    events: frozenset[str]
    """CI events (the system's own names)."""
    branch_ok: bool | None
    targets: tuple[str, ...]
    active: bool = True
    reason: str | None = None


class _ContainerStepsParser(_YamlParser):
    """Drone and Woodpecker: container steps with `commands`, plugins with `settings`, `when`/`trigger` filters."""

    events: ClassVar[dict[str, str]]
    """CI event -> trigger."""
    all_events: ClassVar[frozenset[str]]
    default_events: ClassVar[frozenset[str]] = frozenset({"push", "pull_request", "tag"})
    plugin_prefix: ClassVar[str]
    target_key: ClassVar[str]
    """Condition key naming the deployment target (`target` in Drone, `environment` in Woodpecker)."""

    def _condition(self, cond: LineDict, ctx: DetectionContext, fallback: frozenset[str]) -> _Condition:
        defaults = _default_branches(ctx)
        include, exclude = _include_exclude(cond.get("event"))
        if include is not None:
            events = set(include)
        elif "cron" in cond:
            events = {"cron"}
        elif self.target_key in cond and "promote" in self.all_events:
            events = {"promote", "rollback"}
        elif self.target_key in cond:
            events = {"deployment"}
        else:
            events = set(fallback) if exclude is None else set(self.all_events)
        events -= set(exclude or ())
        b_inc, b_exc = _include_exclude(cond.get("branch"))
        branch_ok = _allows(defaults, b_inc, b_exc, _glob_match) if (b_inc is not None or b_exc) else None
        r_inc, r_exc = _include_exclude(cond.get("ref"))
        if r_inc is not None:
            heads = [r for r in r_inc if r.startswith("refs/heads/")]
            if all(r.startswith("refs/tags/") for r in r_inc):
                events &= {"tag", "release"}
            elif heads:
                branch_ok = _both(branch_ok, _allows(defaults, heads, None, _glob_match))
        if r_exc:
            branch_ok = _both(branch_ok, _allows(defaults, None, [r for r in r_exc if r.startswith("refs/heads/")], _glob_match))
        active, reason = True, None
        repo_inc, repo_exc = _include_exclude(cond.get("repo"))
        if ctx.repo.name and (repo_inc is not None or repo_exc):
            if not _allows((ctx.repo.name,), repo_inc, repo_exc, _glob_match):
                active, reason = False, f"repo filter excludes {ctx.repo.name}"
        t_inc, _ = _include_exclude(cond.get(self.target_key))
        return _Condition(frozenset(events), branch_ok, tuple(t_inc or ()), active, reason)

    def _conditions(self, value: Any, ctx: DetectionContext, fallback: frozenset[str]) -> list[_Condition]:
        conds = [c for c, _ in _items(value, 1) if isinstance(c, LineDict)]
        if not conds:
            return [_Condition(fallback, None, ())]
        return [self._condition(c, ctx, fallback) for c in conds]

    def _triggers(self, events: Iterable[str]) -> frozenset[str]:
        return frozenset(self.events[e] for e in events if e in self.events)

    def _workflow(self, path: str, doc: LineDict, steps_value: Any, when_key: str, name: str, text: _Text,
                  ctx: DetectionContext, notes: list[str]) -> Pipeline:
        pipeline_conds = self._conditions(doc.get(when_key), ctx, self.default_events)
        if when_key not in doc:
            notes.append(f"no {when_key}: - runs for {', '.join(sorted(self.default_events))}")
        services = self._services(doc.get("services"))
        steps = self._step_list(steps_value, _line_of(doc, "steps", doc.line))
        dag = any(isinstance(s, dict) and "depends_on" in s for s, _, _ in steps)
        taken: set[str] = set()
        jobs: list[Job] = []
        previous: str | None = None
        for step, line, step_name in steps:
            step_conds = [c for c, _ in _items(step.get("when"), 1) if isinstance(c, LineDict)]
            pairs: list[tuple[_Condition, _Condition | None]] = []
            for pc in pipeline_conds:
                if not step_conds:
                    pairs.append((pc, None))
                for raw in step_conds:
                    pairs.append((pc, self._condition(raw, ctx, pc.events)))
            events: set[str] = set()
            branch_votes: list[bool | None] = []
            targets: list[str] = []
            active = all(pc.active for pc in pipeline_conds)
            reason = next((pc.reason for pc in pipeline_conds if pc.reason), None)
            for pc, sc in pairs:
                ev = pc.events & sc.events if sc is not None else pc.events
                if sc is not None and not sc.active:
                    active, reason = False, sc.reason
                events |= ev
                branch_votes.append(_both(pc.branch_ok, sc.branch_ok if sc else None))
                targets += list(pc.targets) + (list(sc.targets) if sc else [])
            triggers = self._triggers(events)
            branch_ok = None if all(v is None for v in branch_votes) else any(v is not False for v in branch_votes)
            manual = bool(triggers) and triggers <= {"manual"}
            environment = targets[0] if targets and (manual or "manual" in triggers) else None
            commands = text.shell(step.get("commands"), _line_of(step, "commands", line))
            if not commands and step.get("image"):
                commands = [Command(f"{self.plugin_prefix}{_image_name(_as_str(step['image']))}", _line_of(step, "image", line),
                                    ACTION, _inputs(step.get("settings")))]
            job_id = _unique(step_name, taken)
            if dag:
                needs = tuple(_strs(step.get("depends_on")))
            else:
                needs = (previous,) if previous else ()
            previous = job_id
            jobs.append(Job(
                id=job_id, line=line, name=step_name, triggers=triggers, manual=manual, environment=environment,
                environment_line=_line_of(step, "when", line) if environment else None,
                default_branch=_on_default_branch(triggers, branch_ok),
                tags_only=bool(triggers) and triggers <= {"tag"}, needs=needs, commands=tuple(commands),
                services=services, active=active and bool(triggers),
                inactive_reason=reason if not active else (None if triggers else "its event filters leave no event"),
            ))
        triggers = self._triggers(set().union(*(c.events for c in pipeline_conds)))
        active = all(c.active for c in pipeline_conds)
        return Pipeline(
            system=self.system, path=path, triggers=triggers,
            trigger_lines=dict.fromkeys(triggers, _line_of(doc, when_key, doc.line)), jobs=tuple(jobs), line=doc.line,
            active=active, inactive_reason=next((c.reason for c in pipeline_conds if c.reason), None), notes=tuple(notes),
        )

    @staticmethod
    def _step_list(value: Any, fallback: int) -> list[tuple[LineDict, int, str]]:
        out: list[tuple[LineDict, int, str]] = []
        if isinstance(value, LineDict):
            for name, step in value.items():
                if isinstance(step, LineDict):
                    out.append((step, value.key_lines.get(name, fallback), str(name)))
        else:
            for step, line in _items(value, fallback):
                if isinstance(step, LineDict):
                    out.append((step, line, _as_str(step.get("name")) or f"step-{len(out) + 1}"))
        return out

    @staticmethod
    def _services(value: Any) -> tuple[str, ...]:
        out: list[str] = []
        if isinstance(value, LineDict):
            value = list(value.values())
        for item, _ in _items(value, 1):
            if isinstance(item, dict) and item.get("image"):
                out.append(_as_str(item["image"]))
        return tuple(out)


class DroneParser(_ContainerStepsParser):
    system = "drone"
    events = {
        "push": "push", "pull_request": "pull_request", "tag": "tag", "cron": "schedule",
        "promote": "manual", "rollback": "manual", "custom": "api",
    }
    all_events = frozenset(events)
    plugin_prefix = "drone-plugin:"
    target_key = "target"

    def wants(self, path: str) -> bool:
        return path == ".drone.yml"

    def parse(self, path: str, text: str, ctx: DetectionContext) -> list[Pipeline]:
        """Every `kind: pipeline` document of the file (secrets and signatures are left out)."""
        src = _Text(text)
        out: list[Pipeline] = []
        for doc in load_all_lenient(text):
            out += self.parse_mapping(path, _require_mapping(doc, path), src, ctx)
        return out

    def parse_mapping(self, path: str, data: LineDict, text: _Text, ctx: DetectionContext) -> list[Pipeline]:
        kind = _as_str(data.get("kind"))
        steps = data.get("steps") if "steps" in data else data.get("pipeline")
        if (kind and kind != "pipeline") or steps is None:
            return []
        notes: list[str] = []
        if "depends_on" in data:
            notes.append("runs after pipelines " + ", ".join(_strs(data["depends_on"])))
        name = _as_str(data.get("name")) or "default"
        return [self._workflow(path, data, steps, "trigger", name, text, ctx, notes)]


class WoodpeckerParser(_ContainerStepsParser):
    system = "woodpecker"
    events = {
        "push": "push", "pull_request": "pull_request", "pull_request_closed": "pull_request", "tag": "tag",
        "release": "tag", "cron": "schedule", "deployment": "manual", "manual": "manual",
    }
    all_events = frozenset(events)
    plugin_prefix = "woodpecker-plugin:"
    target_key = "environment"
    _FOLDER = re.compile(r"\.woodpecker/[^/]+\.ya?ml")

    def wants(self, path: str) -> bool:
        return path in (".woodpecker.yml", ".woodpecker.yaml") or self._FOLDER.fullmatch(path) is not None

    def parse_mapping(self, path: str, data: LineDict, text: _Text, ctx: DetectionContext) -> list[Pipeline]:
        notes: list[str] = []
        if "depends_on" in data:
            notes.append("runs after workflows " + ", ".join(_strs(data["depends_on"])))
        steps = data.get("steps") if "steps" in data else data.get("pipeline")
        name = path.rsplit("/", 1)[-1].rsplit(".", 1)[0].lstrip(".")
        pipeline = self._workflow(path, data, steps, "when", name, text, ctx, notes)
        if not path.startswith(".woodpecker/") and any(self._FOLDER.fullmatch(p) for p in ctx.files.paths):
            pipeline = replace(pipeline, active=False, inactive_reason="the .woodpecker/ folder takes precedence over this file")
        return [pipeline]


# --------------------------------------------------------------------------------------------
# Tekton (Pipelines as Code)
# --------------------------------------------------------------------------------------------

_PAC = "pipelinesascode.tekton.dev/"
_PAC_EVENTS = {"push": "push", "pull_request": "pull_request", "incoming": "api", "pull_request_labeled": "pull_request"}


def _pac_list(value: Any) -> list[str]:
    raw = _as_str(value).strip()
    if raw.startswith("[") and raw.endswith("]"):
        raw = raw[1:-1]
    return [v.strip().strip("'\"") for v in raw.split(",") if v.strip()]


class TektonParser(PipelineParser):
    system = "tekton"
    _FOLDER = re.compile(r"\.tekton/.+\.ya?ml")

    def candidates(self, ctx: DetectionContext) -> list[str]:
        return [p for p in ctx.files.paths if self._FOLDER.fullmatch(p)]

    def parse(self, path: str, text: str, ctx: DetectionContext) -> list[Pipeline]:
        docs = [_require_mapping(d, path) for d in load_all_lenient(text)]
        src = _Text(text)
        tasks = {self._name(d): d for d in docs if _as_str(d.get("kind")) in ("Task", "ClusterTask")}
        pipelines = {self._name(d): d for d in docs if _as_str(d.get("kind")) == "Pipeline"}
        used: set[str] = set()
        out: list[Pipeline] = []
        for doc in docs:
            if _as_str(doc.get("kind")) != "PipelineRun":
                continue
            triggers, lines, branch_ok, known, notes = self._pac_triggers(doc, ctx)
            spec = _map(doc.get("spec")) or _empty()
            body = _map(spec.get("pipelineSpec"))
            includes = [ref for k, v in self._annotations(doc).items()
                        if str(k).startswith((_PAC + "pipeline", _PAC + "task")) for ref in _pac_list(v)]
            ref = _map(spec.get("pipelineRef"))
            if body is None and ref is not None:
                ref_name = _as_str(ref.get("name"))
                if ref_name in pipelines:
                    used.add(ref_name)
                    body = _map(pipelines[ref_name].get("spec"))
                else:
                    includes.append(ref_name or "(pipelineRef)")
                    notes.append(f"pipelineRef {ref_name} is defined in another file")
            jobs = self._jobs(body, src, tasks, triggers, branch_ok)
            out.append(Pipeline(
                system=self.system, path=path, triggers=triggers, trigger_lines=lines, jobs=tuple(jobs), line=doc.line,
                triggers_known=known, includes=tuple(dict.fromkeys(i for i in includes if i)), notes=tuple(notes),
            ))
        for name, doc in pipelines.items():
            if name in used:
                continue
            triggers, lines, branch_ok, known, referrer = self._referenced_by(name, path, ctx)
            notes = [f"started by the PipelineRun in {referrer}"] if referrer else [
                "a Tekton Pipeline with no Pipelines-as-Code PipelineRun here: what starts it is configured outside the file"]
            out.append(Pipeline(
                system=self.system, path=path, triggers=triggers, trigger_lines=lines,
                jobs=tuple(self._jobs(_map(doc.get("spec")), src, tasks, triggers, branch_ok)), line=doc.line,
                triggers_known=known, notes=tuple(notes),
            ))
        return out

    @staticmethod
    def _name(doc: LineDict) -> str:
        return _as_str((_map(doc.get("metadata")) or _empty()).get("name"))

    @staticmethod
    def _annotations(doc: LineDict) -> LineDict:
        return _map((_map(doc.get("metadata")) or _empty()).get("annotations")) or _empty()

    def _pac_triggers(self, doc: LineDict, ctx: DetectionContext) -> tuple[frozenset[str], dict[str, int], bool | None, bool, list[str]]:
        annotations = self._annotations(doc)
        defaults = _default_branches(ctx)
        triggers: set[str] = set()
        lines: dict[str, int] = {}
        branch_ok: bool | None = None
        events: list[str] = []
        line = doc.line
        if _PAC + "on-event" in annotations:
            events = _pac_list(annotations[_PAC + "on-event"])
            line = annotations.key_lines[_PAC + "on-event"]
        branches = _pac_list(annotations[_PAC + "on-target-branch"]) if _PAC + "on-target-branch" in annotations else []
        cel = _as_str(annotations.get(_PAC + "on-cel-expression"))
        if cel:
            line = annotations.key_lines[_PAC + "on-cel-expression"]
            events += re.findall(r"event\s*==\s*[\"']([\w-]+)[\"']", cel)
            for group in re.findall(r"event\s+in\s*\[([^\]]*)\]", cel):
                events += [e.strip().strip("\"'") for e in group.split(",")]
            branches += re.findall(r"target_branch\s*==\s*[\"']([^\"']+)[\"']", cel)
            if not events and "event" not in cel:
                events = ["push", "pull_request"]
        for event in events:
            mapped = _PAC_EVENTS.get(event)
            if mapped:
                if mapped == "push" and branches and all(b.startswith("refs/tags/") for b in branches):
                    mapped = "tag"
                triggers.add(mapped)
                lines.setdefault(mapped, line)
        if _PAC + "on-comment" in annotations:
            triggers.add("comment")
            lines["comment"] = annotations.key_lines[_PAC + "on-comment"]
        if branches:
            heads = [b for b in branches if not b.startswith("refs/tags/")]
            branch_ok = _allows(defaults, heads, None, _glob_match) if heads else False
        if not triggers:
            return frozenset(), {}, None, False, [
                "no Pipelines-as-Code on-event / on-cel-expression annotation: what starts it is configured outside the file"]
        return frozenset(triggers), lines, branch_ok, True, []

    def _referenced_by(self, name: str, path: str, ctx: DetectionContext) -> tuple[frozenset[str], dict[str, int], bool | None, bool, str | None]:
        for other in self.candidates(ctx):
            if other == path:
                continue
            body = ctx.files.read_text(other)
            if not body or name not in body:
                continue
            try:
                docs = load_all_lenient(body)
            except yaml.YAMLError:
                continue
            for doc in docs:
                if not isinstance(doc, LineDict) or _as_str(doc.get("kind")) != "PipelineRun":
                    continue
                ref = _map((_map(doc.get("spec")) or _empty()).get("pipelineRef"))
                if ref is not None and _as_str(ref.get("name")) == name:
                    triggers, _lines, branch_ok, known, _ = self._pac_triggers(doc, ctx)
                    return triggers, dict.fromkeys(triggers, 1), branch_ok, known, other
        return frozenset(), {}, None, False, None

    def _jobs(self, spec: LineDict | None, text: _Text, tasks: Mapping[str, LineDict], triggers: frozenset[str],
              branch_ok: bool | None) -> list[Job]:
        if spec is None:
            return []
        jobs: list[Job] = []
        taken: set[str] = set()
        for key in ("tasks", "finally"):
            for task, line in _items(spec.get(key), _line_of(spec, key, 1)):
                if not isinstance(task, LineDict):
                    continue
                name = _as_str(task.get("name")) or f"task-{len(jobs) + 1}"
                commands: list[Command] = []
                task_spec = _map(task.get("taskSpec"))
                ref = _map(task.get("taskRef"))
                if task_spec is None and ref is not None:
                    ref_name = _as_str(ref.get("name"))
                    if ref_name in tasks:
                        task_spec = _map(tasks[ref_name].get("spec"))
                    else:
                        resolver_params = {_as_str(p.get("name")): p.get("value") for p, _ in _items(ref.get("params"), line)
                                           if isinstance(p, dict)}
                        label = ref_name or _as_str(resolver_params.get("name")) or _as_str(ref.get("resolver")) or "task"
                        task_params = [(_as_str(p.get("name")), _as_str(p.get("value"))) for p, _ in _items(task.get("params"), line) if isinstance(p, dict)]
                        commands.append(Command(f"tekton-task:{label}", _line_of(task, "taskRef", line), ACTION, tuple(task_params)))
                if task_spec is not None:
                    commands += self._steps(task_spec, text)
                jobs.append(Job(
                    id=_unique(name, taken), line=line, name=name, triggers=triggers,
                    default_branch=_on_default_branch(triggers, branch_ok), tags_only=triggers == frozenset({"tag"}),
                    needs=tuple(_strs(task.get("runAfter"))), commands=tuple(commands),
                ))
        return jobs

    @staticmethod
    def _steps(task_spec: LineDict, text: _Text) -> list[Command]:
        out: list[Command] = []
        for step, line in _items(task_spec.get("steps"), _line_of(task_spec, "steps", 1)):
            if not isinstance(step, LineDict):
                continue
            if "script" in step:
                out += text.shell(step["script"], step.key_lines["script"])
            elif "command" in step:
                words = _strs(step["command"]) + _strs(step.get("args"))
                if len(words) >= 3 and words[0].rsplit("/", 1)[-1] in ("sh", "bash") and words[1].startswith("-") and "c" in words[1]:
                    args = step.get("args") if isinstance(step.get("args"), LineList) else None
                    script_line = args.item_lines[-1] if args is not None and args.item_lines else step.key_lines["command"]
                    out += text.shell(words[2], script_line)
                else:
                    out.append(Command(" ".join(words), step.key_lines["command"], SHELL))
            elif "args" in step and step.get("image"):
                out.append(Command(_as_str(step["image"]), step.key_lines["args"], ACTION, (("args", " ".join(_strs(step["args"]))),)))
        return out


# --------------------------------------------------------------------------------------------
# AWS CodeBuild
# --------------------------------------------------------------------------------------------

_CODEBUILD_PHASES = ("install", "pre_build", "build", "post_build")


class CodeBuildParser(_YamlParser):
    system = "aws-codebuild"
    _NAME = re.compile(r"buildspec([-_.][\w.-]*)?\.ya?ml")

    def wants(self, path: str) -> bool:
        return _name_matches(path, self._NAME)

    def parse_mapping(self, path: str, data: LineDict, text: _Text, ctx: DetectionContext) -> list[Pipeline]:
        notes = ["CodeBuild projects are started by webhooks, CodePipeline or schedules configured in AWS, outside the file"]
        phases = _map(data.get("phases")) or _empty()
        jobs: list[Job] = []
        previous: str | None = None
        for phase in _CODEBUILD_PHASES:
            body = _map(phases.get(phase))
            if body is None:
                continue
            line = phases.key_lines[phase]
            commands = text.shell(body.get("commands"), _line_of(body, "commands", line))
            commands += text.shell(body.get("finally"), _line_of(body, "finally", line))
            jobs.append(Job(id=phase, line=line, triggers=frozenset(), needs=(previous,) if previous else (), commands=tuple(commands)))
            previous = phase
        extra: list[Command] = []
        if "artifacts" in data:
            files = _strs((_map(data["artifacts"]) or _empty()).get("files"))
            extra.append(Command("codebuild-artifacts " + " ".join(files), data.key_lines["artifacts"], STEP))
        if "reports" in data:
            extra.append(Command("codebuild-reports", data.key_lines["reports"], STEP))
        if extra:
            if jobs:
                jobs[-1] = replace(jobs[-1], commands=jobs[-1].commands + tuple(extra))
            else:
                jobs.append(Job(id="artifacts", line=extra[0].line, triggers=frozenset(), commands=tuple(extra)))
        includes: list[str] = []
        batch = _map(data.get("batch"))
        if batch is not None:
            for kind in ("build-graph", "build-list"):
                for entry, _ in _items(batch.get(kind), 1):
                    if isinstance(entry, dict) and entry.get("buildspec"):
                        includes.append(_as_str(entry["buildspec"]))
            notes.append("batch build: each batch entry runs its own buildspec")
        if not phases and batch is None:
            notes.append("no phases: nothing runs")
        return [Pipeline(
            system=self.system, path=path, triggers=frozenset(), jobs=tuple(jobs), triggers_known=False,
            includes=tuple(includes), notes=tuple(notes),
        )]


# --------------------------------------------------------------------------------------------
# Google Cloud Build
# --------------------------------------------------------------------------------------------

_GCB_SHELL_BUILDERS = frozenset({
    "docker", "gcloud", "kubectl", "gsutil", "git", "npm", "yarn", "mvn", "gradle", "go", "bazel", "gke-deploy",
    "wget", "curl", "bq", "helm", "terraform", "skaffold",
})


class CloudBuildParser(_YamlParser):
    system = "google-cloud-build"
    _NAME = re.compile(r"cloudbuild([-_.][\w.-]*)?\.ya?ml")

    def wants(self, path: str) -> bool:
        return _name_matches(path, self._NAME)

    def parse_mapping(self, path: str, data: LineDict, text: _Text, ctx: DetectionContext) -> list[Pipeline]:
        notes = ["Cloud Build triggers (push, pull request, tag, schedule, manual) are configured in Google Cloud, outside the file"]
        jobs: list[Job] = []
        taken: set[str] = set()
        for step, line in _items(data.get("steps"), _line_of(data, "steps", 1)):
            if not isinstance(step, LineDict):
                continue
            builder = _as_str(step.get("name"))
            step_id = _unique(_as_str(step.get("id")) or f"step-{len(jobs) + 1}", taken)
            wait_for = _strs(step.get("waitFor")) if "waitFor" in step else None
            needs = tuple(w for w in wait_for if w != "-") if wait_for is not None else tuple(j.id for j in jobs)
            commands = self._commands(step, builder, line, text)
            jobs.append(Job(id=step_id, line=line, name=builder, triggers=frozenset(), needs=needs, commands=tuple(commands)))
        pushes = [Command(f"docker push {img}", line, STEP) for img, line in _items(data.get("images"), _line_of(data, "images", 1))]
        artifacts = _map(data.get("artifacts"))
        if artifacts is not None:
            pushes += [Command(f"gcb-artifacts:{kind}", artifacts.key_lines[kind], STEP) for kind in artifacts]
        if pushes:
            jobs.append(Job(id=_unique("push-artifacts", taken), line=pushes[0].line, triggers=frozenset(),
                            needs=tuple(j.id for j in jobs), commands=tuple(pushes)))
        return [Pipeline(system=self.system, path=path, triggers=frozenset(), jobs=tuple(jobs), triggers_known=False,
                         notes=tuple(notes))]

    @staticmethod
    def _commands(step: LineDict, builder: str, line: int, text: _Text) -> list[Command]:
        """`gcb:<builder>`, then the shell command lines the step runs, when they can be told."""
        name_line = _line_of(step, "name", line)
        short = _image_name(builder).rsplit("/", 1)[-1]
        args = step.get("args")
        words = _strs(args) if isinstance(args, list) else (_as_str(args).split() if args else [])
        arg_lines = args.item_lines if isinstance(args, LineList) else []
        args_line = arg_lines[0] if arg_lines else _line_of(step, "args", name_line)
        entrypoint = _as_str(step.get("entrypoint"))
        shell: list[Command] = []
        if "script" in step:
            shell = text.shell(step["script"], step.key_lines["script"])
        else:
            if entrypoint:
                argv = [entrypoint, *words]
            elif short in _GCB_SHELL_BUILDERS or (short in ("bash", "sh") and words):
                argv = [short, *words]
            elif words and words[0].rsplit("/", 1)[-1] in ("bash", "sh"):
                argv = words
            else:
                argv = []
            offset = len(argv) - len(words)
            if len(argv) >= 3 and argv[0].rsplit("/", 1)[-1] in ("bash", "sh") and argv[1].startswith("-") and "c" in argv[1]:
                index = 2 - offset
                shell = text.shell(argv[2], arg_lines[index] if 0 <= index < len(arg_lines) else args_line)
            elif argv:
                shell = [Command(" ".join(argv), _line_of(step, "entrypoint", args_line) if entrypoint else args_line, SHELL)]
        action = Command(f"gcb:{_image_name(builder)}", name_line, ACTION, (("args", " ".join(words)),) if words and not shell else ())
        return [action, *shell]


# --------------------------------------------------------------------------------------------
# AppVeyor
# --------------------------------------------------------------------------------------------

_APPVEYOR_BUILD = ("init", "install", "before_build", "build_script", "after_build", "before_test", "test_script", "after_test",
                   "on_success", "on_failure", "on_finish")
_APPVEYOR_SHELL_KEYS = ("cmd", "ps", "pwsh", "sh")


class AppVeyorParser(_YamlParser):
    system = "appveyor"

    def wants(self, path: str) -> bool:
        return path in ("appveyor.yml", ".appveyor.yml")

    def parse_mapping(self, path: str, data: LineDict, text: _Text, ctx: DetectionContext) -> list[Pipeline]:
        defaults = _default_branches(ctx)
        notes = ["AppVeyor builds pushes and pull requests; scheduled builds are configured in the UI"]
        taken: set[str] = set()
        jobs: list[Job] = []
        overrides = [(o, line) for o, line in _items(data.get("for"), _line_of(data, "for", 1)) if isinstance(o, LineDict)]
        claimed = False
        for override, line in overrides:
            branch_ok = self._branches(override, defaults)
            claimed = claimed or branch_ok is True
            jobs += self._config(f"for-{len(jobs) + 1}", override, data, text, defaults, taken, branch_ok)
        root_ok = self._branches(data, defaults)
        if claimed:
            root_ok = False
        jobs[:0] = self._config(None, data, data, text, defaults, taken, root_ok)
        triggers = _union(jobs)
        return [Pipeline(system=self.system, path=path, triggers=triggers, trigger_lines=dict.fromkeys(triggers, 1),
                         jobs=tuple(jobs), notes=tuple(notes))]

    @staticmethod
    def _branches(config: LineDict, defaults: tuple[str, ...]) -> bool | None:
        branches = _map(config.get("branches"))
        if branches is None:
            return None
        only = _strs(branches["only"]) if "only" in branches else None
        return _allows(defaults, only, _strs(branches.get("except")) or None, lambda p, b: _slash_match(p, b, full=False))

    def _config(self, prefix: str | None, config: LineDict, root: LineDict, text: _Text, defaults: tuple[str, ...],
                taken: set[str], branch_ok: bool | None) -> list[Job]:
        def lookup(key: str) -> tuple[Any, int] | None:
            for source in (config, root):
                if key in source:
                    return source[key], source.key_lines[key]
            return None

        def scripts(key: str) -> list[Command]:
            found = lookup(key)
            if found is None or _as_str(found[0]).strip().lower() in ("off", "false"):
                return []
            out: list[Command] = []
            for entry, line in _items(found[0], found[1]):
                if isinstance(entry, dict):
                    for k in _APPVEYOR_SHELL_KEYS:
                        if k in entry:
                            out += text.shell(entry[k], _line_of(entry, k, line))
                else:
                    out += text.shell(entry, line)
            return out

        base: set[str] = {"push", "pull_request"}
        skip_tags, skip_non_tags = lookup("skip_tags"), lookup("skip_non_tags")
        if skip_non_tags is not None and _truthy(skip_non_tags[0]):
            base = {"tag"}
        elif skip_tags is not None and _truthy(skip_tags[0]):
            base.discard("tag")
        def label(name: str) -> str:
            return f"{prefix}/{name}" if prefix else name

        build_line = next((config.key_lines[k] for k in _APPVEYOR_BUILD if k in config), config.line if prefix else 1)
        commands = [c for key in _APPVEYOR_BUILD for c in scripts(key)]
        triggers = frozenset(base)
        build_id = _unique(label("build"), taken)
        jobs = [Job(id=build_id, line=build_line, triggers=triggers, default_branch=_on_default_branch(triggers, branch_ok),
                    tags_only=triggers == frozenset({"tag"}), commands=tuple(commands))]
        before, after = scripts("before_deploy"), scripts("after_deploy")
        deploy_script = scripts("deploy_script")
        deploy_triggers = frozenset(base - {"pull_request"})
        if deploy_script:
            jobs.append(Job(id=_unique(label("deploy"), taken), line=deploy_script[0].line, triggers=deploy_triggers,
                            default_branch=_on_default_branch(deploy_triggers, branch_ok), needs=(build_id,),
                            commands=tuple(before + deploy_script + after)))
        deploy = lookup("deploy")
        if deploy is not None and not deploy_script:
            for provider, line in _items(deploy[0], deploy[1]):
                if not isinstance(provider, dict):
                    continue
                name = _as_str(provider.get("provider")) or "unknown"
                on = _map(provider.get("on")) or _empty()
                guard = _Guard(branch=branch_ok)
                if "branch" in on:
                    guard = guard & _Guard(branch=_allows(defaults, _strs(on["branch"]), None,
                                                          lambda p, b: _slash_match(p, b, full=False)))
                tag = on.get("APPVEYOR_REPO_TAG", on.get("appveyor_repo_tag"))
                if tag is not None:
                    guard = guard & (_Guard(tags_only=True) if _truthy(tag) else _Guard(no_tags=True))
                triggers_ = guard.apply(deploy_triggers | ({"tag"} if guard.tags_only else set()))
                environment = _as_str(provider.get("name")) if name.lower() == "environment" else None
                action = Command(f"appveyor-deploy:{name}", _line_of(provider, "provider", line), ACTION,
                                 _inputs(provider, ("provider", "on")))
                jobs.append(Job(
                    id=_unique(label(f"deploy:{name}"), taken), line=line, name=f"deploy ({name})", triggers=triggers_,
                    environment=environment or None, environment_line=_line_of(provider, "name", line) if environment else None,
                    default_branch=_on_default_branch(triggers_, guard.branch), tags_only=triggers_ == frozenset({"tag"}),
                    needs=(build_id,), commands=tuple(before + [action] + after),
                    active=bool(triggers_), inactive_reason=None if triggers_ else "its on: conditions exclude every build",
                ))
        return jobs


# --------------------------------------------------------------------------------------------
# Semaphore
# --------------------------------------------------------------------------------------------

_SEMAPHORE_ENTRY = (".semaphore/semaphore.yml", ".semaphore/semaphore.yaml")


def _semaphore_when(expression: str, defaults: tuple[str, ...]) -> _Guard:
    """Branch, tag and pull-request clauses of a Semaphore `when` condition."""
    guard = _Guard()
    loose = re.search(r"\bor\b", expression, re.IGNORECASE) is not None
    hits: list[bool] = []
    for op, value in re.findall(r"\bbranch\s*(=~|!=|!~|=)\s*'([^']*)'", expression):
        if op in ("=~", "!~"):
            try:
                hit = any(re.search(value, d) for d in defaults)
            except re.error:
                hit = False
        else:
            hit = value in defaults
        hits.append(hit if op in ("=", "=~") else not hit)
    if hits:
        verdict = any(hits) if loose else all(hits)
        if verdict or not loose:
            guard = guard & _Guard(branch=verdict)
    if re.search(r"\btag\s*=~", expression) and not hits and not loose:
        guard = guard & _Guard(tags_only=True, branch=False)
    if re.search(r"\bpull_request\s*=~", expression) and not hits and not loose:
        guard = guard & _Guard(allowed=frozenset({"pull_request"}), branch=False)
    return guard


@dataclass
class _Promotion:
    auto: bool
    guard: _Guard
    environment: str | None


class SemaphoreParser(_YamlParser):
    system = "semaphore"
    _FOLDER = re.compile(r"\.semaphore/.+\.ya?ml")

    def wants(self, path: str) -> bool:
        return self._FOLDER.fullmatch(path) is not None

    def parse_mapping(self, path: str, data: LineDict, text: _Text, ctx: DetectionContext) -> list[Pipeline]:
        defaults = _default_branches(ctx)
        notes: list[str] = []
        active, reason = True, None
        entry_manual = False
        env_for_all: str | None = None
        base_guard = _Guard()
        if path in _SEMAPHORE_ENTRY:
            triggers = frozenset({"push"})
            notes.append("entry pipeline: pushes start it; pull requests, tags and schedules are enabled in the project settings")
        else:
            promotions = self._promotions_of(path, ctx, defaults)
            if not promotions:
                triggers, active, reason = frozenset(), False, "not the entry pipeline and no promotion points to it"
            else:
                auto = [p for p in promotions if p.auto]
                triggers = frozenset({"upstream"} if auto else set()) | frozenset({"manual"} if len(auto) < len(promotions) else set())
                entry_manual = not auto
                base_guard = auto[0].guard if auto else promotions[0].guard
                env_for_all = next((p.environment for p in promotions if p.environment), None)
                notes.append("started by a promotion" + (" (automatic)" if auto else " (manual)"))
        jobs: list[Job] = []
        taken: set[str] = set()
        blocks = [(b, line) for b, line in _items(data.get("blocks"), _line_of(data, "blocks", 1)) if isinstance(b, LineDict)]
        block_names = [_as_str(b.get("name")) or f"block-{i + 1}" for i, (b, _) in enumerate(blocks)]
        explicit = any("dependencies" in b for b, _ in blocks)
        block_jobs: dict[str, list[str]] = {}
        global_config = _map(data.get("global_job_config")) or _empty()
        for index, (block, line) in enumerate(blocks):
            name = block_names[index]
            if explicit:
                deps = _strs(block.get("dependencies"))
            else:
                deps = [block_names[index - 1]] if index else []
            needs = tuple(j for d in deps for j in block_jobs.get(d, []))
            guard = base_guard
            run = _map(block.get("run"))
            if run is not None and run.get("when"):
                guard = guard & _semaphore_when(_as_str(run["when"]), defaults)
            skip = _map(block.get("skip"))
            if skip is not None and skip.get("when"):
                inverted = _semaphore_when(_as_str(skip["when"]), defaults)
                if inverted.branch is not None:
                    guard = guard & _Guard(branch=not inverted.branch)
            task = _map(block.get("task")) or _empty()
            prologue = self._section_commands(global_config.get("prologue"), text) + self._section_commands(task.get("prologue"), text)
            epilogue = self._epilogue(task.get("epilogue"), text) + self._epilogue(global_config.get("epilogue"), text)
            ids: list[str] = []
            for job, job_line in _items(task.get("jobs"), _line_of(task, "jobs", line)):
                if not isinstance(job, LineDict):
                    continue
                job_name = _as_str(job.get("name")) or f"job-{len(ids) + 1}"
                commands = prologue + text.shell(job.get("commands"), _line_of(job, "commands", job_line)) + epilogue
                job_triggers = guard.apply(triggers)
                job_id = _unique(job_name, taken, prefix=name)
                ids.append(job_id)
                jobs.append(Job(
                    id=job_id, line=job_line, name=job_name, triggers=job_triggers, manual=entry_manual,
                    environment=env_for_all, environment_line=job_line if env_for_all else None,
                    default_branch=_on_default_branch(job_triggers, guard.branch), tags_only=guard.tags_only,
                    needs=needs, stage=name, stage_index=index, commands=tuple(commands),
                ))
            block_jobs[name] = ids
        depended = {d for b, _ in blocks for d in _strs(b.get("dependencies"))} if explicit else set(block_names[:-1])
        leaves = tuple(j for name in block_names if name not in depended for j in block_jobs.get(name, []))
        includes: list[str] = []
        for promotion, line in _items(data.get("promotions"), _line_of(data, "promotions", 1)):
            if not isinstance(promotion, LineDict):
                continue
            target = self._resolve(path, _as_str(promotion.get("pipeline_file")))
            includes.append(target)
            info = self._promotion(promotion, defaults)
            promo_triggers = info.guard.apply(triggers) if info.auto else frozenset({"manual"})
            jobs.append(Job(
                id=_unique(_as_str(promotion.get("name")) or target, taken), line=line, name=_as_str(promotion.get("name")),
                triggers=promo_triggers, manual=not info.auto or entry_manual, environment=info.environment,
                environment_line=_line_of(promotion, "deployment_target", line) if info.environment else None,
                default_branch=_on_default_branch(promo_triggers, info.guard.branch) if info.auto else info.guard.branch,
                tags_only=info.guard.tags_only, needs=leaves,
                commands=(Command(f"semaphore-promotion:{target}", _line_of(promotion, "pipeline_file", line), ACTION),),
            ))
        all_triggers = triggers | _union(jobs)
        return [Pipeline(
            system=self.system, path=path, triggers=all_triggers if active else frozenset(),
            trigger_lines=dict.fromkeys(all_triggers, 1), jobs=tuple(jobs), active=active, inactive_reason=reason,
            includes=tuple(dict.fromkeys(includes)), stages=tuple(block_names), notes=tuple(notes),
        )]

    @staticmethod
    def _resolve(from_path: str, target: str) -> str:
        return posixpath.normpath(posixpath.join(posixpath.dirname(from_path), target)) if target else from_path

    @staticmethod
    def _promotion(promotion: LineDict, defaults: tuple[str, ...]) -> _Promotion:
        auto = _map(promotion.get("auto_promote"))
        legacy = promotion.get("auto_promote_on")
        guard = _Guard()
        is_auto = False
        if auto is not None and auto.get("when"):
            is_auto = True
            guard = _semaphore_when(_as_str(auto["when"]), defaults)
        elif legacy:
            is_auto = True
            branches = [b for rule, _ in _items(legacy, 1) if isinstance(rule, dict) for b in _strs(rule.get("branch"))]
            if branches:
                guard = _Guard(branch=any(re.search(b, d) for b in branches for d in defaults))
        environment = _as_str(promotion.get("deployment_target")) or None
        return _Promotion(is_auto, guard, environment)

    def _promotions_of(self, path: str, ctx: DetectionContext, defaults: tuple[str, ...]) -> list[_Promotion]:
        """Promotions in the other Semaphore files that start `path`."""
        found: list[_Promotion] = []
        for other in self.candidates(ctx):
            if other == path:
                continue
            body = ctx.files.read_text(other)
            if not body or "promotions" not in body:
                continue
            try:
                data = load_lenient(body)
            except yaml.YAMLError:
                continue
            if not isinstance(data, LineDict):
                continue
            for promotion, _ in _items(data.get("promotions"), 1):
                if isinstance(promotion, LineDict) and self._resolve(other, _as_str(promotion.get("pipeline_file"))) == path:
                    found.append(self._promotion(promotion, defaults))
        return found

    @staticmethod
    def _section_commands(section: Any, text: _Text) -> list[Command]:
        section = _map(section)
        if section is None:
            return []
        return text.shell(section.get("commands"), _line_of(section, "commands", section.line))

    def _epilogue(self, section: Any, text: _Text) -> list[Command]:
        section = _map(section)
        if section is None:
            return []
        out = self._section_commands(section, text)
        for key in ("always", "on_pass", "on_fail"):
            out += self._section_commands(section.get(key), text)
        return out


PARSERS: list[PipelineParser] = [
    CircleCIParser(), TravisParser(), AzurePipelinesParser(), BitbucketPipelinesParser(), BuildkiteParser(),
    DroneParser(), WoodpeckerParser(), TektonParser(), CodeBuildParser(), CloudBuildParser(), AppVeyorParser(),
    SemaphoreParser(),
]
