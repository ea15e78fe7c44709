"""GitLab CI: the root `.gitlab-ci.yml` (with its local includes) parsed into the pipeline model.

What GitLab does, and so what this parser does, in order:
1. local `include:`s are read and deep-merged (the including file wins, later includes override
   earlier ones); `project:`, `template:`, `remote:` and `component:` includes are recorded only;
2. `extends:` deep-merges templates (hidden `.jobs` or other jobs) into each job;
3. `!reference [job, key, ...]` tags are replaced by the content they point at;
4. `default:` (and the deprecated top-level `image`, `services`, `before_script`, ...) fills
   what a job does not set itself;
5. `workflow:rules` and each job's `rules:` / `only:` / `except:` are evaluated for every pipeline
   source with a small three-valued evaluator: a variable the file cannot know (a project CI/CD
   variable, a branch name other than the default one) is *unknown*, and unknown never excludes.

Pipeline sources `push` (default branch and other branches), tag pushes and
`merge_request_event` are always evaluated. `schedule`, `web`, `api`, `trigger`, `pipeline`,
`parent_pipeline`, `external_pull_request_event` and `chat` are evaluated only when the file names
them (in a `CI_PIPELINE_SOURCE` expression or an `only:`/`except:` keyword): any GitLab project
*can* be run from the web UI or by a schedule, so only a file that plans for it is evidence.

`Pipeline.triggers` is the union of what the jobs run for (GitLab creates no pipeline without a
job). Lines of jobs and commands defined in an included file are lines of that file (a note names
the file); `trigger_lines` always point into the root file.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from itertools import product
from typing import TYPE_CHECKING, Any

import yaml

from collectors.pipelines.interface import PipelineParser
from collectors.pipelines.model import Command, Job, Pipeline
from collectors.pipelines.tristate import Tri, and3, not3, or3
from scanner.yamlfile import LineDict, LineList, Tagged, load_all_lenient

if TYPE_CHECKING:
    from collectors.detectors.interface import DetectionContext

SYSTEM = "gitlab-ci"
ROOT_FILE = ".gitlab-ci.yml"
RESERVED_KEYS = frozenset({
    "stages", "types", "variables", "workflow", "include", "default", "image", "services",
    "before_script", "after_script", "cache", "spec",
})
"""Top-level keys that are not jobs (`pages` is a job)."""
GLOBAL_DEFAULT_KEYS = ("image", "services", "before_script", "after_script", "cache")
"""Deprecated top-level keys that act as `default:`."""
DEFAULT_KEYS = frozenset({
    "before_script", "after_script", "image", "services", "cache", "artifacts", "retry", "tags",
    "timeout", "interruptible", "hooks", "id_tokens",
})
"""Keys a job inherits from `default:`."""
DEFAULT_STAGES = (".pre", "build", "test", "deploy", ".post")
MAX_INCLUDES = 150
MAX_EXTENDS_DEPTH = 11
MAX_REFERENCE_DEPTH = 10
FALLBACK_DEFAULT_BRANCH = "main"


# --------------------------------------------------------------------------------------------
# Loading: strings that remember their line, includes, extends, !reference, default:
# --------------------------------------------------------------------------------------------

class _Str(str):
    """A YAML string value that remembers the line its content starts on."""

    line: int

    def __new__(cls, value: str, line: int) -> _Str:
        obj = super().__new__(cls, value)
        obj.line = line
        return obj


_BLOCK_SCALAR_START = re.compile(r"(?:^|[\s:-])[|>][0-9+-]*\s*(?:#.*)?$")


def _content_line(lines: list[str], line: int) -> int:
    """The first content line of a scalar whose node starts on `line` (`key: |` content is below)."""
    raw = lines[line - 1] if 0 < line <= len(lines) else ""
    return line + 1 if _BLOCK_SCALAR_START.search(raw) else line


def _annotate(node: Any, lines: list[str]) -> None:
    """Replace every string value in `node` by a `_Str` carrying its content line."""
    if isinstance(node, LineDict):
        for key in list(node):
            value = node[key]
            if isinstance(value, str) and not isinstance(value, _Str):
                node[key] = _Str(value, _content_line(lines, node.key_lines.get(key, node.line)))
            else:
                _annotate(value, lines)
    elif isinstance(node, LineList):
        for i, value in enumerate(node):
            if isinstance(value, str) and not isinstance(value, _Str):
                node[i] = _Str(value, _content_line(lines, node.item_lines[i]))
            else:
                _annotate(value, lines)
    elif isinstance(node, Tagged):
        _annotate(node.value, lines)


def _load(text: str) -> Any:
    """The CI configuration of one file: the document after an optional `spec:` header document."""
    docs = load_all_lenient(text)
    if not docs:
        return None
    doc = docs[-1] if len(docs) > 1 and isinstance(docs[0], dict) and "spec" in docs[0] else docs[0]
    if len(docs) > 2 or (len(docs) == 2 and doc is docs[0]):
        raise ValueError("several YAML documents; only a `spec:` header may precede the configuration")
    _annotate(doc, text.splitlines())
    return doc


def _line(node: Any, default: int = 1) -> int:
    return getattr(node, "line", 0) or default


def _key_line(mapping: Any, key: Any, default: int | None = None) -> int:
    """Line of `key` in `mapping`; `default` (else the mapping's own line) when the key is absent."""
    lines = getattr(mapping, "key_lines", None) or {}
    return lines.get(key) or default or _line(mapping)


def _new_dict(line: int) -> LineDict:
    out = LineDict()
    out.line = line
    out.key_lines = {}
    return out


def _copy_dict(source: Mapping[Any, Any], skip: frozenset[str] = frozenset()) -> LineDict:
    out = _new_dict(_line(source))
    for key, value in source.items():
        if key not in skip:
            out[key] = value
            out.key_lines[key] = _key_line(source, key)
    return out


def _deep_merge(base: Any, over: Any) -> Any:
    """GitLab's merge: mappings merge key by key (`over` wins), anything else is replaced."""
    if isinstance(base, Mapping) and isinstance(over, Mapping):
        return _merge_mappings(base, over)
    return over


def _merge_mappings(base: Mapping[Any, Any], over: Mapping[Any, Any]) -> LineDict:
    out = _copy_dict(base)
    out.line = _line(over, _line(base))
    for key, value in over.items():
        out[key] = _deep_merge(out[key], value) if key in out else value
        out.key_lines[key] = _key_line(over, key)
    return out


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    if isinstance(value, list):
        return list(value)
    return [value]


def _flatten(value: Any, depth: int = 0) -> Iterator[Any]:
    """Items of a (possibly nested, e.g. by `!reference`) list; a scalar is a one-item list."""
    if isinstance(value, list) and depth <= MAX_REFERENCE_DEPTH:
        for item in value:
            yield from _flatten(item, depth + 1)
    elif value is not None:
        yield value


_GLOB_TOKEN = re.compile(r"\*\*/|\*\*|\*|\?|\{[^{}]*\}|\[[^\]]*\]|[^*?{\[]+|.")


def _glob_regex(pattern: str) -> re.Pattern[str]:
    """A GitLab/Ruby `File.fnmatch` glob (`*` stays in a folder, `**` crosses folders, `{a,b}`)."""
    out: list[str] = []
    for token in _GLOB_TOKEN.findall(pattern):
        if token == "**/":
            out.append("(?:.*/)?")
        elif token == "**":
            out.append(".*")
        elif token == "*":
            out.append("[^/]*")
        elif token == "?":
            out.append("[^/]")
        elif token.startswith("{") and token.endswith("}"):
            out.append("(?:" + "|".join(re.escape(p) for p in token[1:-1].split(",")) + ")")
        elif token.startswith("[") and token.endswith("]") and len(token) > 2:
            body = token[1:-1]
            out.append("[" + ("^" + body[1:] if body.startswith("!") else body) + "]")
        else:
            out.append(re.escape(token))
    return re.compile("".join(out) + r"\Z")


@dataclass
class _Config:
    """The merged configuration of one pipeline and what was learned building it."""

    root: LineDict
    includes: list[str] = field(default_factory=list)
    local_files: list[str] = field(default_factory=list)
    synthetic: list[tuple[str, str, int]] = field(default_factory=list)
    """(`template`/`component`/`project`/`remote`, name, line) for includes that become synthetic jobs."""
    notes: list[str] = field(default_factory=list)
    extends_chain: dict[str, tuple[str, ...]] = field(default_factory=dict)
    unknown_extends: set[str] = field(default_factory=set)
    """Templates local jobs extend that no readable file defines (they come from project/remote includes)."""
    origin: dict[str, str] = field(default_factory=dict)
    """Top-level key -> the file that defines it last (the one whose lines it carries)."""
    include_lines: dict[str, int] = field(default_factory=dict)
    """Included file -> line, in the root file, of the include that brought it in."""


class _Loader:
    """Builds the merged configuration of one root file."""

    def __init__(self, ctx: DetectionContext, path: str) -> None:
        self.ctx = ctx
        self.path = path
        self.config = _Config(root=_new_dict(1))
        self._seen: set[str] = {path}
        self._all_paths = ctx.files.all_paths()

    # -- includes -----------------------------------------------------------------------------

    def build(self, doc: LineDict) -> _Config:
        self.config.root = self._with_includes(doc, self.path, (self.path,), None)
        self._resolve_extends()
        self._resolve_references()
        return self.config

    def _with_includes(self, doc: LineDict, path: str, stack: tuple[str, ...], root_line: int | None) -> LineDict:
        """`doc` merged over the files it includes (`root_line`: where the root file includes it)."""
        merged = _new_dict(1)
        for entry, line in self._include_entries(doc.get("include"), _key_line(doc, "include")):
            for included_path in self._include(entry, line, path):
                if included_path in stack:
                    self.config.notes.append(f"include cycle through {included_path} ignored ({path}:{line})")
                    continue
                if included_path in self._seen:
                    continue
                if len(self._seen) > MAX_INCLUDES:
                    self.config.notes.append(f"more than {MAX_INCLUDES} includes; {included_path} not read")
                    continue
                self._seen.add(included_path)
                text = self.ctx.files.read_text(included_path)
                try:
                    sub = _load(text) if text is not None else None
                except (yaml.YAMLError, ValueError) as exc:
                    reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
                    self.ctx.warn("broken-yaml", f"{included_path} (included by {path}) cannot be read: {reason}; "
                                  "its jobs are missing", included_path)
                    self.config.notes.append(f"included file {included_path} is broken; its jobs are missing")
                    continue
                if not isinstance(sub, LineDict):
                    self.config.notes.append(f"included file {included_path} is empty, unreadable or not a mapping")
                    continue
                self.config.local_files.append(included_path)
                self.config.includes.append(f"local:{included_path}")
                self.config.include_lines[included_path] = root_line or line
                sub_config = self._with_includes(sub, included_path, (*stack, included_path), root_line or line)
                merged = _merge_mappings(merged, sub_config)
        own = _copy_dict(doc, frozenset({"include"}))
        self.config.origin.update((str(key), path) for key in own)
        return _merge_mappings(merged, own)

    @staticmethod
    def _include_entries(value: Any, line: int) -> Iterator[tuple[Any, int]]:
        if isinstance(value, LineList):
            yield from zip(value, value.item_lines, strict=True)
        elif value is not None:
            yield value, _line(value, line)

    def _include(self, entry: Any, line: int, from_path: str) -> list[str]:
        """Record one include entry; return the repository paths of the local files it names."""
        notes = self.config.notes
        if isinstance(entry, str):
            if re.match(r"https?://", entry):
                self.config.includes.append(f"remote:{entry}")
                self.config.synthetic.append(("remote", entry, line))
                return []
            return self._local(entry, line, from_path)
        if not isinstance(entry, Mapping):
            notes.append(f"include entry at {from_path}:{line} not understood")
            return []
        if "rules" in entry:
            notes.append(f"include at {from_path}:{line} has rules:, not evaluated (the file is taken as included)")
        if "local" in entry:
            return self._local(str(entry["local"]), line, from_path)
        if "project" in entry:
            files = _as_list(entry.get("file")) or [".gitlab-ci.yml"]
            for name in files:
                self.config.includes.append(f"project:{entry['project']}:{name}")
                # Not readable here: a synthetic job judged by the file's name (`templates/deploy.yml`).
                self.config.synthetic.append(("project", f"{entry['project']}:{name}", line))
            return []
        if "template" in entry:
            name = str(entry["template"])
            self.config.includes.append(f"template:{name}")
            self.config.synthetic.append(("template", name, line))
            return []
        if "component" in entry:
            name = str(entry["component"])
            self.config.includes.append(f"component:{name}")
            self.config.synthetic.append(("component", name, line))
            return []
        if "remote" in entry:
            self.config.includes.append(f"remote:{entry['remote']}")
            self.config.synthetic.append(("remote", str(entry["remote"]), line))
            return []
        notes.append(f"include entry at {from_path}:{line} not understood")
        return []

    def _local(self, name: str, line: int, from_path: str) -> list[str]:
        target = posixpath.normpath(name.strip()).lstrip("/")
        if "$" in target:
            self.config.notes.append(f"local include {name} ({from_path}:{line}) uses a variable; not read")
            return []
        if any(c in target for c in "*?[{"):
            rx = _glob_regex(target)
            found = [p for p in self._all_paths if rx.match(p) and p.endswith((".yml", ".yaml"))]
        else:
            found = [target] if self.ctx.files.exists(target) else []
        if not found:
            self.config.notes.append(f"local include {name} ({from_path}:{line}) matches no file")
        return found

    # -- extends and !reference ---------------------------------------------------------------

    def _resolve_extends(self) -> None:
        root = self.config.root
        entries = {k: v for k, v in root.items() if k not in RESERVED_KEYS and isinstance(v, Mapping)}
        done: dict[str, LineDict] = {}
        for name in entries:
            self._extend(name, entries, (), done)
        for name, resolved in done.items():
            root[name] = resolved

    def _extend(self, name: str, entries: Mapping[str, Any], stack: tuple[str, ...], done: dict[str, LineDict]) -> LineDict:
        if name in done:
            return done[name]
        entry = entries[name]
        merged = _new_dict(_line(entry))
        chain: list[str] = []
        for parent in _as_list(entry.get("extends")):
            parent = str(parent)
            if parent in stack or parent == name:
                self.config.notes.append(f"job {name}: circular extends through {parent} ignored")
                continue
            if parent not in entries:
                self.config.notes.append(f"job {name}: extends unknown {parent} (defined in a project/template include?)")
                self.config.unknown_extends.add(parent)
                chain.append(parent)
                continue
            if len(stack) >= MAX_EXTENDS_DEPTH:
                self.config.notes.append(f"job {name}: extends nested deeper than {MAX_EXTENDS_DEPTH} levels")
                continue
            merged = _merge_mappings(merged, self._extend(parent, entries, (*stack, name), done))
            chain.extend([parent, *self.config.extends_chain.get(parent, ())])
        result = _merge_mappings(merged, _copy_dict(entry, frozenset({"extends"})))
        done[name] = result
        self.config.extends_chain[name] = tuple(dict.fromkeys(chain))
        return result

    def _resolve_references(self) -> None:
        root = self.config.root
        resolved = {key: self._dereference(value, 0) for key, value in root.items()}
        for key, value in resolved.items():
            root[key] = value

    def _dereference(self, node: Any, depth: int) -> Any:
        if isinstance(node, Tagged) and node.tag == "!reference":
            return self._follow(node.value, depth)
        if isinstance(node, Mapping):
            out = _copy_dict(node)
            for key in out:
                out[key] = self._dereference(out[key], depth)
            return out
        if isinstance(node, LineList):
            items = LineList(self._dereference(item, depth) for item in node)
            items.line = node.line
            items.item_lines = list(node.item_lines)
            return items
        return node

    def _follow(self, path: Any, depth: int) -> Any:
        keys = [str(k) for k in _as_list(path)]
        if depth >= MAX_REFERENCE_DEPTH:
            self.config.notes.append(f"!reference {keys} nested deeper than {MAX_REFERENCE_DEPTH} levels; ignored")
            return None
        node: Any = self.config.root
        for key in keys:
            if not isinstance(node, Mapping) or key not in node:
                self.config.notes.append(f"!reference {keys} cannot be resolved (defined in a project/template include?)")
                return None
            node = node[key]
        return self._dereference(node, depth + 1)


def _apply_defaults(job: Mapping[str, Any], root: Mapping[str, Any]) -> LineDict:
    """The job with what it inherits from `default:` and the deprecated global keys."""
    inherit = job.get("inherit")
    inherit_default = inherit.get("default", True) if isinstance(inherit, Mapping) else True
    if inherit_default is False:
        return _copy_dict(job)
    allowed = set(DEFAULT_KEYS) if inherit_default is True else {str(k) for k in _as_list(inherit_default)}
    defaults = _new_dict(_line(root))
    for key in GLOBAL_DEFAULT_KEYS:
        if key in root:
            defaults[key] = root[key]
            defaults.key_lines[key] = _key_line(root, key)
    default = root.get("default")
    if isinstance(default, Mapping):
        for key, value in default.items():
            defaults[key] = value
            defaults.key_lines[key] = _key_line(default, key)
    out = _copy_dict(job)
    for key, value in defaults.items():
        if key in allowed and key not in out:
            out[key] = value
            out.key_lines[key] = _key_line(defaults, key)
    return out


# --------------------------------------------------------------------------------------------
# Three-valued evaluation of rules:if, only/except
# --------------------------------------------------------------------------------------------

"""True, False, or None for "cannot be known from the files"."""


@dataclass(frozen=True)
class _Unknown:
    """A value the files cannot know."""

    defined: bool | None = None
    """True when it is certainly set (and not empty), None when it may be unset."""
    not_equal: frozenset[str] = frozenset()
    """Values it certainly is not (a branch that is not the default branch)."""


Value = str | None | _Unknown
"""A known string, None (unset / `null`), or unknown."""

UNKNOWN = _Unknown()
SOME_STRING = _Unknown(defined=True)




@dataclass(frozen=True)
class _Source:
    """One way a pipeline can be created."""

    key: str
    """Name used in notes."""
    pipeline_source: str
    """`CI_PIPELINE_SOURCE`."""
    ref: str
    """`default` (the default branch), `branch` (another branch), `tag`, `mr`, `ext` (external PR), `any`."""
    trigger: str
    """The `ci.triggers` value."""


PUSH_DEFAULT = _Source("push to the default branch", "push", "default", "push")
PUSH_BRANCH = _Source("push to another branch", "push", "branch", "push")
TAG_PUSH = _Source("tag push", "push", "tag", "tag")
MERGE_REQUEST = _Source("merge request", "merge_request_event", "mr", "pull_request")
ALWAYS_SOURCES = (PUSH_DEFAULT, PUSH_BRANCH, TAG_PUSH, MERGE_REQUEST)
OPTIONAL_SOURCES = (
    _Source("schedule", "schedule", "any", "schedule"),
    _Source("web", "web", "any", "manual"),
    _Source("api", "api", "any", "api"),
    _Source("trigger", "trigger", "any", "upstream"),
    _Source("pipeline", "pipeline", "any", "upstream"),
    _Source("parent_pipeline", "parent_pipeline", "any", "upstream"),
    _Source("external pull request", "external_pull_request_event", "ext", "pull_request"),
    _Source("chat", "chat", "any", "comment"),
)
ONLY_KEYWORD_SOURCES = {
    "schedules": "schedule", "web": "web", "api": "api", "triggers": "trigger", "pipelines": "pipeline",
    "external_pull_requests": "external_pull_request_event", "merge_requests": "merge_request_event",
    "chat": "chat",
}
YAML_VARIABLES_KNOWN_FOR = frozenset({"default", "branch", "tag", "mr"})
"""Refs of sources for which variables set in the file are taken as known: schedules and
web/API/trigger runs can pass their own values."""


@dataclass(frozen=True)
class _Env:
    """Variables of one pipeline source."""

    source: _Source
    values: Mapping[str, Value]

    def get(self, name: str) -> Value:
        if name in self.values:
            return self.values[name]
        if name.startswith("CI_MERGE_REQUEST_"):
            return SOME_STRING if self.source.ref == "mr" else None
        if name.startswith("CI_EXTERNAL_PULL_REQUEST_"):
            return SOME_STRING if self.source.ref == "ext" else None
        return UNKNOWN

    def with_variables(self, variables: Mapping[str, str]) -> _Env:
        if self.source.ref not in YAML_VARIABLES_KNOWN_FOR or not variables:
            return self
        merged: dict[str, Value] = dict(variables)
        merged.update(self.values)
        return _Env(self.source, merged)


def _make_env(source: _Source, default_branch: str, project: str | None) -> _Env:
    values: dict[str, Value] = {"CI_PIPELINE_SOURCE": source.pipeline_source, "CI_DEFAULT_BRANCH": default_branch}
    other_branch = _Unknown(defined=True, not_equal=frozenset({default_branch}))
    if source.ref == "default":
        values |= {"CI_COMMIT_BRANCH": default_branch, "CI_COMMIT_REF_NAME": default_branch, "CI_COMMIT_TAG": None}
    elif source.ref == "branch":
        values |= {"CI_COMMIT_BRANCH": other_branch, "CI_COMMIT_REF_NAME": other_branch, "CI_COMMIT_TAG": None}
    elif source.ref == "tag":
        values |= {"CI_COMMIT_BRANCH": None, "CI_COMMIT_REF_NAME": SOME_STRING, "CI_COMMIT_TAG": SOME_STRING}
    elif source.ref == "mr":
        values |= {"CI_COMMIT_BRANCH": None, "CI_COMMIT_REF_NAME": SOME_STRING, "CI_COMMIT_TAG": None}
    elif source.ref == "ext":
        values |= {"CI_COMMIT_BRANCH": SOME_STRING, "CI_COMMIT_REF_NAME": SOME_STRING, "CI_COMMIT_TAG": None}
    else:
        values |= {"CI_COMMIT_REF_NAME": SOME_STRING}
    if project:
        namespace, _, name = project.rpartition("/")
        values |= {"CI_PROJECT_PATH": project, "CI_PROJECT_NAME": name, "CI_PROJECT_NAMESPACE": namespace or None,
                   "CI_PROJECT_ROOT_NAMESPACE": project.split("/", 1)[0]}
    return _Env(source, values)


class ExpressionError(ValueError):
    """A `rules:if` / `only:variables` expression this evaluator cannot read."""


_EXPR_TOKEN = re.compile(r"""\s*(?:
    (?P<var>\$\{[A-Za-z_][A-Za-z0-9_]*\}|\$[A-Za-z_][A-Za-z0-9_]*)
  | (?P<str>"[^"]*"|'[^']*')
  | (?P<regex>/(?:[^/\\]|\\.)*/[a-z]*)
  | (?P<op>==|!=|=~|!~|&&|\|\||\(|\))
  | (?P<null>null\b)
  )""", re.VERBOSE)


@dataclass(frozen=True)
class _Regex:
    pattern: str
    flags: str


def _tokenize(expr: str) -> list[tuple[str, str]]:
    tokens: list[tuple[str, str]] = []
    pos = 0
    text = expr.rstrip()
    while pos < len(text):
        m = _EXPR_TOKEN.match(text, pos)
        if not m or m.end() == pos:
            raise ExpressionError(f"cannot read {expr!r} at {text[pos:pos + 20]!r}")
        kind = m.lastgroup or ""
        tokens.append((kind, m.group(kind)))
        pos = m.end()
    return tokens


def _parse_regex(literal: str) -> _Regex | None:
    m = re.fullmatch(r"/(.*)/([a-z]*)", literal, re.DOTALL)
    return _Regex(m.group(1), m.group(2)) if m else None


class _Evaluator:
    """Recursive-descent evaluation of a GitLab CI/CD variable expression (`&&` binds tighter than `||`)."""

    def __init__(self, expr: str, env: _Env) -> None:
        self.expr = expr
        self.tokens = _tokenize(expr)
        self.pos = 0
        self.env = env

    def evaluate(self) -> Tri:
        if not self.tokens:
            raise ExpressionError("empty expression")
        result = self._or()
        if self.pos != len(self.tokens):
            raise ExpressionError(f"unexpected {self.tokens[self.pos][1]!r} in {self.expr!r}")
        return result

    def _peek(self) -> tuple[str, str] | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def _take(self) -> tuple[str, str]:
        token = self._peek()
        if token is None:
            raise ExpressionError(f"{self.expr!r} ends too early")
        self.pos += 1
        return token

    def _or(self) -> Tri:
        values = [self._and()]
        while self._peek() == ("op", "||"):
            self.pos += 1
            values.append(self._and())
        return or3(values)

    def _and(self) -> Tri:
        values = [self._primary()]
        while self._peek() == ("op", "&&"):
            self.pos += 1
            values.append(self._primary())
        return and3(values)

    def _primary(self) -> Tri:
        if self._peek() == ("op", "("):
            self.pos += 1
            value = self._or()
            if self._take() != ("op", ")"):
                raise ExpressionError(f"unbalanced parentheses in {self.expr!r}")
            return value
        left = self._operand()
        token = self._peek()
        if token is None or token[0] != "op" or token[1] not in ("==", "!=", "=~", "!~"):
            return self._truthy(left)
        self.pos += 1
        right = self._operand()
        if token[1] in ("==", "!="):
            if isinstance(left, _Regex) or isinstance(right, _Regex):
                raise ExpressionError(f"regex compared with == in {self.expr!r}")
            equal = _equals(left, right)
            return equal if token[1] == "==" else not3(equal)
        if isinstance(left, _Regex):
            raise ExpressionError(f"regex on the left of {token[1]} in {self.expr!r}")
        matched = _matches(left, right)
        return matched if token[1] == "=~" else not3(matched)

    def _operand(self) -> Value | _Regex:
        kind, text = self._take()
        if kind == "var":
            return self.env.get(text.strip("${}"))
        if kind == "str":
            return text[1:-1]
        if kind == "null":
            return None
        if kind == "regex":
            return _parse_regex(text)
        raise ExpressionError(f"unexpected {text!r} in {self.expr!r}")

    @staticmethod
    def _truthy(value: Value | _Regex) -> Tri:
        if isinstance(value, _Regex):
            return True
        if isinstance(value, _Unknown):
            return True if value.defined else None
        return bool(value)


def _equals(left: Value, right: Value) -> Tri:
    if isinstance(left, _Unknown) and isinstance(right, _Unknown):
        return None
    if isinstance(right, _Unknown):
        left, right = right, left
    if isinstance(left, _Unknown):
        if right is None or right == "":
            return False if left.defined else None
        return False if right in left.not_equal else None
    return left == right


def _matches(value: Value, pattern: Value | _Regex) -> Tri:
    if isinstance(pattern, str):
        pattern = _parse_regex(pattern)
    if not isinstance(pattern, _Regex):
        return None
    if value is None:
        return False
    if isinstance(value, _Unknown):
        literal = re.fullmatch(r"\^([\w./-]+)\$", pattern.pattern)
        if literal and literal.group(1) in value.not_equal:
            return False
        return None
    flags = (re.IGNORECASE if "i" in pattern.flags else 0) | (re.MULTILINE if "m" in pattern.flags else 0) \
        | (re.DOTALL if "s" in pattern.flags else 0)
    try:
        return re.search(pattern.pattern, value, flags) is not None
    except re.error:
        return None


def evaluate_expression(expr: str, env: _Env) -> Tri:
    """Evaluate one `rules:if` expression; raises `ExpressionError` when it cannot be read."""
    return _Evaluator(expr, env).evaluate()


# --------------------------------------------------------------------------------------------
# Per-source decisions
# --------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class _Outcome:
    """How a job (or the workflow) can go for one source."""

    runs: bool
    manual: bool = False
    """Every way it runs needs a person."""
    line: int | None = None
    """Line of the rule that lets it run."""
    certain: bool = False
    """That rule certainly matches (its condition is not unknown)."""
    variables: Mapping[str, str] = field(default_factory=dict)
    """Variables set by a definitely matching workflow rule."""


NEVER = _Outcome(runs=False)


class _Decider:
    """Evaluates workflow rules, job rules and only/except for one pipeline."""

    def __init__(self, ctx: DetectionContext, notes: list[str], project_known: bool = True) -> None:
        self.ctx = ctx
        self.notes = notes
        self.default_branch = ctx.repo.default_branch or FALLBACK_DEFAULT_BRANCH
        self.project = ctx.repo.name if project_known else None
        self.project_guards: list[str] = []
        self._paths = ctx.files.all_paths()
        self._noted: set[str] = set()
        self._exists: dict[tuple[str, ...], bool] = {}

    def env(self, source: _Source) -> _Env:
        return _make_env(source, self.default_branch, self.project)

    def _note(self, text: str) -> None:
        if text not in self._noted:
            self._noted.add(text)
            self.notes.append(text)

    def expression(self, expr: Any, env: _Env) -> Tri:
        if expr is None:
            return True
        text = str(expr)
        if "CI_PROJECT_" in text:
            self.project_guards.extend(re.findall(r"""CI_PROJECT_\w+\s*==\s*["']([^"']+)["']""", text))
        try:
            return evaluate_expression(text, env)
        except ExpressionError as exc:
            self._note(f"expression not understood, taken as unknown: {exc}")
            return None

    def changes(self, source: _Source) -> Tri:
        # GitLab: `changes` is always true when there is no Git push behind the pipeline.
        return None if source.ref in ("default", "branch", "mr", "ext") else True

    def exists(self, spec: Any) -> Tri:
        if isinstance(spec, Mapping):
            if spec.get("project"):
                return None
            spec = spec.get("paths")
        patterns = [str(p) for p in _flatten(spec)]
        if any("$" in p for p in patterns):
            return None
        key = tuple(patterns)
        if key not in self._exists:
            regexes = [_glob_regex(p.lstrip("/")) for p in patterns]
            self._exists[key] = any(rx.match(path) for rx in regexes for path in self._paths)
        return self._exists[key]

    def rules(self, rules: Any, env: _Env, default_when: str, fallback_line: int) -> _Outcome:
        """First-match evaluation; an unknown condition lets both this rule and the later ones apply."""
        possible: list[tuple[str, int, bool]] = []
        variables: Mapping[str, str] = {}
        for rule in _flatten(rules):
            if not isinstance(rule, Mapping):
                continue
            parts: list[Tri] = []
            if "if" in rule:
                parts.append(self.expression(rule["if"], env))
            if "changes" in rule:
                parts.append(self.changes(env.source))
            if "exists" in rule:
                parts.append(self.exists(rule["exists"]))
            condition = and3(parts)
            if condition is False:
                continue
            when = str(rule.get("when") or default_when)
            possible.append((when, _line(rule, fallback_line), condition is True))
            if condition is True:
                if not possible[:-1]:
                    variables = _string_variables(rule.get("variables"))
                break
        else:
            possible.append(("never", fallback_line, False))
        running = [(w, ln, certain) for w, ln, certain in possible if w != "never"]
        if not running:
            return NEVER
        manual = all(w == "manual" for w, _, _ in running) or env.source.pipeline_source == "web"
        return _Outcome(runs=True, manual=manual, line=running[0][1], certain=running[0][2], variables=variables)

    def only_except(self, job: Mapping[str, Any], env: _Env) -> Tri:
        only = job.get("only")
        exclude = job.get("except")
        include = self._policy(only if only is not None else ["branches", "tags"], env, is_only=True)
        excluded = self._policy(exclude, env, is_only=False) if exclude is not None else False
        return and3([include, not3(excluded)])

    def _policy(self, policy: Any, env: _Env, *, is_only: bool) -> Tri:
        if isinstance(policy, Mapping):
            parts: list[Tri] = []
            refs = policy.get("refs", ["branches", "tags"] if is_only else None)
            if refs is not None:
                parts.append(or3([self._ref(str(r), env) for r in _flatten(refs)]))
            if "variables" in policy:
                parts.append(or3([self.expression(v, env) for v in _flatten(policy["variables"])]))
            if "changes" in policy:
                parts.append(self.changes(env.source))
            if "kubernetes" in policy:
                parts.append(None)
            return and3(parts)
        return or3([self._ref(str(r), env) for r in _flatten(policy)])

    def _ref(self, pattern: str, env: _Env) -> Tri:
        source = env.source
        project_match: Tri = True
        if "@" in pattern and not pattern.startswith("/"):
            pattern, _, project = pattern.partition("@")
            self.project_guards.append(project)
            project_match = None if self.project is None else project == self.project
        return and3([project_match, self._ref_name(pattern, source)])

    def _ref_name(self, pattern: str, source: _Source) -> Tri:
        ref = source.ref
        if pattern == "branches":
            return {"default": True, "branch": True, "ext": False, "tag": False, "mr": False}.get(ref)
        if pattern == "tags":
            return {"tag": True, "default": False, "branch": False, "mr": False, "ext": False}.get(ref)
        if pattern == "pushes":
            return source.pipeline_source == "push"
        if pattern in ONLY_KEYWORD_SOURCES:
            return source.pipeline_source == ONLY_KEYWORD_SOURCES[pattern]
        if ref in ("mr", "ext"):
            return False
        if pattern.startswith("/") and _parse_regex(pattern):
            if ref == "default":
                return _matches(self.default_branch, pattern)
            return _matches(_Unknown(defined=True, not_equal=frozenset({self.default_branch})), pattern)
        if ref == "default":
            return pattern == self.default_branch
        if ref == "branch":
            return False if pattern == self.default_branch else None
        if ref == "tag":
            return False  # a plain name in only/except names a branch
        return None


def _string_variables(value: Any) -> dict[str, str]:
    """Variables with a literal value (`VAR: x` or `VAR: {value: x}`); values using other variables are left out."""
    out: dict[str, str] = {}
    if not isinstance(value, Mapping):
        return out
    for name, raw in value.items():
        if isinstance(raw, Mapping):
            raw = raw.get("value")
        if isinstance(raw, bool):
            raw = "true" if raw else "false"
        if isinstance(raw, (str, int, float)) and "$" not in str(raw):
            out[str(name)] = str(raw)
    return out


def _mentioned_sources(root: Mapping[str, Any], jobs: Mapping[str, Mapping[str, Any]]) -> list[_Source]:
    """Optional sources the file plans for (named in expressions or only/except keywords)."""
    expressions: list[str] = []
    keywords: set[str] = set()

    def scan_rules(rules: Any) -> None:
        for rule in _flatten(rules):
            if isinstance(rule, Mapping) and rule.get("if") is not None:
                expressions.append(str(rule["if"]))

    workflow = root.get("workflow")
    if isinstance(workflow, Mapping):
        scan_rules(workflow.get("rules"))
    for job in jobs.values():
        scan_rules(job.get("rules"))
        for key in ("only", "except"):
            policy = job.get(key)
            refs = policy.get("refs") if isinstance(policy, Mapping) else policy
            keywords.update(str(r) for r in _flatten(refs))
            if isinstance(policy, Mapping):
                expressions.extend(str(v) for v in _flatten(policy.get("variables")))
    relevant = [e for e in expressions if "CI_PIPELINE_SOURCE" in e]
    named = {ONLY_KEYWORD_SOURCES[k] for k in keywords if k in ONLY_KEYWORD_SOURCES}
    return [s for s in OPTIONAL_SOURCES
            if s.pipeline_source in named or any(re.search(rf"\b{s.pipeline_source}\b", e) for e in relevant)]


# --------------------------------------------------------------------------------------------
# Jobs
# --------------------------------------------------------------------------------------------

_VAR_REF = re.compile(r"\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?")


def _script_commands(value: Any, fallback_line: int) -> list[Command]:
    """One shell Command per logical line of a script (nested lists flattened, `\\` continuations joined)."""
    out: list[Command] = []
    for item in _flatten(value):
        if isinstance(item, (Mapping, Tagged)):
            continue
        text = str(item)
        start = getattr(item, "line", None) or fallback_line
        pending: list[str] = []
        pending_line = start
        for offset, raw in enumerate(text.split("\n")):
            stripped = raw.strip()
            if not pending:
                if not stripped or stripped.startswith("#"):
                    continue
                pending_line = start + offset
            if stripped.endswith("\\") and not stripped.endswith("\\\\"):
                pending.append(stripped[:-1].rstrip())
                continue
            pending.append(stripped)
            out.append(Command(text=" ".join(p for p in pending if p), line=pending_line))
            pending = []
        if pending:
            out.append(Command(text=" ".join(p for p in pending if p), line=pending_line))
    return out


def _keyword_steps(job: Mapping[str, Any], job_id: str, job_line: int) -> list[Command]:
    """Steps for GitLab keywords that later stages classify (reports, coverage, release, artifacts)."""
    steps: list[Command] = []
    artifacts = job.get("artifacts")
    if isinstance(artifacts, Mapping):
        reports = artifacts.get("reports")
        if isinstance(reports, Mapping):
            for kind in reports:
                steps.append(Command(f"gitlab-artifacts-reports:{kind}", _key_line(reports, kind, job_line), kind="step"))
        if artifacts.get("paths"):
            steps.append(Command("gitlab-artifacts", _key_line(artifacts, "paths", job_line), kind="step"))
    if job.get("coverage") is not None:
        steps.append(Command("gitlab-coverage-keyword", _key_line(job, "coverage", job_line), kind="step"))
    if job.get("release") is not None:
        steps.append(Command("gitlab-release-keyword", _key_line(job, "release", job_line), kind="step"))
    if (job_id == "pages" and job.get("pages") is not False) or job.get("pages") not in (None, False):
        steps.append(Command("gitlab-pages", _key_line(job, "pages", job_line), kind="step"))
    trigger = job.get("trigger")
    project = _trigger_project(trigger)
    if project:
        steps.append(Command(f"gitlab-trigger-project:{project}", _key_line(job, "trigger", job_line), kind="step"))
    elif isinstance(trigger, Mapping) and trigger.get("include") is not None:
        steps.append(Command("gitlab-trigger-child-pipeline", _key_line(job, "trigger", job_line), kind="step"))
    return steps


def _trigger_project(trigger: Any) -> str | None:
    if isinstance(trigger, str):
        return trigger
    if isinstance(trigger, Mapping) and trigger.get("project"):
        return str(trigger["project"])
    return None


def _child_pipeline_files(trigger: Any) -> list[str]:
    if not isinstance(trigger, Mapping):
        return []
    out: list[str] = []
    for entry in _flatten(trigger.get("include")):
        if isinstance(entry, Mapping):
            name = entry.get("local") or entry.get("artifact") or entry.get("template") or entry.get("project")
            out.append(str(name))
        else:
            out.append(str(entry))
    return out


def _matrix_combinations(parallel: Any) -> list[dict[str, str]]:
    if not isinstance(parallel, Mapping):
        return []
    combos: list[dict[str, str]] = []
    for entry in _flatten(parallel.get("matrix")):
        if not isinstance(entry, Mapping):
            continue
        names = [str(k) for k in entry]
        values = [[str(v) for v in _flatten(entry[k])] for k in entry]
        combos.extend(dict(zip(names, combo, strict=True)) for combo in product(*values))
    return combos


def _matrix_environments(environment: str, parallel: Any) -> tuple[str, ...]:
    if "$" not in environment:
        return ()
    out: list[str] = []
    for combo in _matrix_combinations(parallel):
        if any(name in combo for name in _VAR_REF.findall(environment)):
            out.append(_substitute(environment, combo))
    return tuple(dict.fromkeys(out))


def _substitute(text: str, values: Mapping[str, str]) -> str:
    """`text` with `$VAR` / `${VAR}` replaced where `values` has VAR."""
    return _VAR_REF.sub(lambda m: values.get(m.group(1), m.group(0)), text)


@dataclass(frozen=True)
class _Environment:
    name: str | None = None
    line: int | None = None
    action: str | None = None
    tier: str | None = None


def _environment(job: Mapping[str, Any]) -> _Environment:
    value = job.get("environment")
    if value is None:
        return _Environment()
    line = _key_line(job, "environment")
    if isinstance(value, Mapping):
        name = value.get("name")
        action = value.get("action")
        tier = value.get("deployment_tier")
        return _Environment(str(name) if name is not None else None, line,
                            str(action) if action is not None else None, str(tier) if tier is not None else None)
    return _Environment(str(value), line)


def _services(value: Any) -> tuple[str, ...]:
    out: list[str] = []
    for item in _flatten(value):
        if isinstance(item, Mapping):
            if item.get("name"):
                out.append(str(item["name"]))
        else:
            out.append(str(item))
    return tuple(out)


def _needs(value: Any) -> tuple[str, ...]:
    out: list[str] = []
    for item in _flatten(value):
        if isinstance(item, Mapping):
            if item.get("job") and not item.get("project") and not item.get("pipeline"):
                out.append(str(item["job"]))
        else:
            out.append(str(item))
    return tuple(out)


class _PipelineBuilder:
    """Turns the merged configuration into the Pipeline."""

    def __init__(self, ctx: DetectionContext, path: str, config: _Config) -> None:
        self.ctx = ctx
        self.path = path
        self.config = config
        self.root = config.root
        self.notes = config.notes
        self.jobs_raw: dict[str, Mapping[str, Any]] = {
            k: v for k, v in self.root.items()
            if k not in RESERVED_KEYS and isinstance(k, str) and not k.startswith(".") and isinstance(v, Mapping)
        }
        for key, value in self.root.items():
            if key not in RESERVED_KEYS and not str(key).startswith(".") and not isinstance(value, Mapping):
                self.notes.append(f"top-level key {key} is neither a job nor a GitLab keyword; ignored")
        self.sources = [*ALWAYS_SOURCES, *_mentioned_sources(self.root, self.jobs_raw)]
        self.stages = self._stages()

    def _stages(self) -> tuple[str, ...]:
        declared = self.root.get("stages", self.root.get("types"))
        if not isinstance(declared, list):
            return DEFAULT_STAGES
        names = [str(s) for s in _flatten(declared) if str(s) not in (".pre", ".post")]
        return (".pre", *dict.fromkeys(names), ".post")

    def build(self) -> Pipeline:
        decider = _Decider(self.ctx, self.notes)
        global_vars = _string_variables(self.root.get("variables"))
        workflow = self._workflow(decider, global_vars)
        decided: list[tuple[Job, Mapping[_Source, _Outcome]]] = [
            self._job(name, raw, decider, workflow, global_vars) for name, raw in self.jobs_raw.items()
        ]
        decided += [self._synthetic_job(kind, name, line, decider, workflow, global_vars)
                    for kind, name, line in self.config.synthetic]
        jobs = tuple(job for job, _ in decided)

        triggers = {t for job in jobs for t in job.triggers}
        trigger_lines = self._trigger_lines(workflow, decided, triggers)

        active, reason = True, None
        if not any(o.runs for o in workflow.values()):
            active, reason = False, self._workflow_inactive_reason(global_vars)
        elif not triggers:
            active, reason = False, "no job runs for any pipeline source"
        for included in self.config.local_files:
            defined = [j.id for j in jobs if self.config.origin.get(j.id) == included]
            self.notes.append(f"included local file {included}" + (f" defines jobs {', '.join(defined)}" if defined else "")
                              + " (their lines refer to that file)")
        if self.ctx.repo.default_branch is None:
            self.notes.append(f"default branch unknown; CI_DEFAULT_BRANCH taken as {FALLBACK_DEFAULT_BRANCH}")
        return Pipeline(
            system=SYSTEM, path=self.path, triggers=frozenset(triggers), trigger_lines=trigger_lines,
            jobs=jobs, line=1, active=active, inactive_reason=reason, triggers_known=True,
            includes=tuple(dict.fromkeys(self.config.includes)), stages=self.stages,
            notes=tuple(dict.fromkeys(self.notes)),
        )

    def _trigger_lines(self, workflow: Mapping[_Source, _Outcome],
                       decided: list[tuple[Job, Mapping[_Source, _Outcome]]], triggers: set[str]) -> dict[str, int]:
        """Evidence line of each trigger in the root file: the workflow rule admitting it, else a job
        rule running under it, else a job, else the include that brings in a job running under it."""
        lines: dict[str, int] = {}
        for source, outcome in workflow.items():
            if outcome.runs and outcome.line is not None and source.trigger in triggers:
                lines.setdefault(source.trigger, outcome.line)
        ranked: dict[str, tuple[int, int]] = {}
        for job, running in decided:
            origin = self.config.origin.get(job.id, self.path)
            for source, outcome in running.items():
                if origin != self.path:
                    rank, line = 2, self.config.include_lines.get(origin, 1)
                else:
                    line = outcome.line or job.line
                    rank = 0 if outcome.certain else 1
                if source.trigger not in ranked or rank < ranked[source.trigger][0]:
                    ranked[source.trigger] = (rank, line)
        for trigger, (_, line) in ranked.items():
            lines.setdefault(trigger, line)
        return lines

    def _workflow(self, decider: _Decider, global_vars: Mapping[str, str]) -> dict[_Source, _Outcome]:
        workflow = self.root.get("workflow")
        rules = workflow.get("rules") if isinstance(workflow, Mapping) else None
        out: dict[_Source, _Outcome] = {}
        for source in self.sources:
            if rules is None:
                out[source] = _Outcome(runs=True)
            else:
                env = decider.env(source).with_variables(global_vars)
                outcome = decider.rules(rules, env, "always", _key_line(workflow, "rules"))
                out[source] = _Outcome(runs=outcome.runs, line=outcome.line, variables=outcome.variables)
        return out

    def _workflow_inactive_reason(self, global_vars: Mapping[str, str]) -> str:
        if self.ctx.repo.name:
            unguarded = _Decider(self.ctx, [], project_known=False)
            if any(o.runs for o in self._workflow(unguarded, global_vars).values()):
                projects = ", ".join(dict.fromkeys(unguarded.project_guards)) or "another project"
                return f"workflow:rules only create pipelines in {projects}, not in {self.ctx.repo.name}"
        return "workflow:rules never create a pipeline"

    def _running(self, raw: Mapping[str, Any], line: int, decider: _Decider,
                 workflow: Mapping[_Source, _Outcome], global_vars: Mapping[str, str]) -> dict[_Source, _Outcome]:
        """The sources the job can run for, and how."""
        job_vars = {**global_vars, **_string_variables(raw.get("variables"))}
        job_when = str(raw.get("when") or "on_success")
        running: dict[_Source, _Outcome] = {}
        for source in self.sources:
            flow = workflow.get(source, NEVER)
            if not flow.runs:
                continue
            env = decider.env(source).with_variables({**job_vars, **flow.variables})
            if raw.get("rules") is not None:
                outcome = decider.rules(raw.get("rules"), env, job_when, _key_line(raw, "rules", line))
            elif decider.only_except(raw, env) is False or job_when == "never":
                outcome = NEVER
            else:
                manual = job_when == "manual" or source.pipeline_source == "web"
                outcome = _Outcome(runs=True, manual=manual, line=line)
            if outcome.runs:
                running[source] = outcome
        return running

    def _job(self, name: str, raw_job: Mapping[str, Any], decider: _Decider, workflow: Mapping[_Source, _Outcome],
             global_vars: Mapping[str, str]) -> tuple[Job, dict[_Source, _Outcome]]:
        line = _key_line(self.root, name)
        raw = _apply_defaults(raw_job, self.root)
        running = self._running(raw, line, decider, workflow, global_vars)
        active, reason = True, None
        if not running:
            active, reason = False, self._inactive_reason(raw, line, workflow, global_vars)
        manual_sources = {s.key for s, o in running.items() if o.manual}
        if manual_sources and len(manual_sources) < len(running):
            self.notes.append(f"job {name}: manual for {', '.join(sorted(manual_sources))}, automatic otherwise")

        env = _environment(raw)
        stage = str(raw.get("stage") or "test")
        stage_index = self.stages.index(stage) if stage in self.stages else None
        if stage_index is None:
            self.notes.append(f"job {name}: stage {stage} is not declared in stages:")
        if raw.get("resource_group"):
            self.notes.append(f"job {name}: resource_group {raw['resource_group']}")
        children = _child_pipeline_files(raw.get("trigger"))
        if children:
            self.notes.append(f"job {name} triggers a child pipeline from {', '.join(children)} (not parsed here)")

        commands = [
            *_script_commands(raw.get("before_script"), _key_line(raw, "before_script", line)),
            *_script_commands(raw.get("script"), _key_line(raw, "script", line)),
            *_script_commands(raw.get("after_script"), _key_line(raw, "after_script", line)),
            *_keyword_steps(raw, name, line),
        ]
        pushes_or_mrs = any(s.ref in ("default", "branch", "mr", "ext") for s in running)
        job = Job(
            id=name, line=line, triggers=frozenset(s.trigger for s in running),
            manual=bool(running) and all(o.manual for o in running.values()),
            environment=env.name, environment_line=env.line, environment_action=env.action,
            environment_tier=env.tier,
            default_branch=PUSH_DEFAULT in running,
            tags_only=TAG_PUSH in running and not pushes_or_mrs,
            needs=_needs(raw.get("needs")), stage=stage, stage_index=stage_index,
            commands=tuple(commands), services=_services(raw.get("services")),
            extends=self.config.extends_chain.get(name, ()),
            matrix_environments=_matrix_environments(env.name, raw.get("parallel")) if env.name else (),
            trigger_project=_trigger_project(raw.get("trigger")),
            active=active, inactive_reason=reason,
            runner=tuple(str(t) for t in _as_list(raw.get("tags")) if isinstance(t, (str, int)) and "$" not in str(t)),
        )
        return job, running

    def _inactive_reason(self, raw: Mapping[str, Any], line: int, workflow: Mapping[_Source, _Outcome],
                         global_vars: Mapping[str, str]) -> str:
        if not any(o.runs for o in workflow.values()):
            return "workflow:rules never create a pipeline"
        if self.ctx.repo.name:
            unguarded = _Decider(self.ctx, [], project_known=False)
            if self._running(raw, line, unguarded, workflow, global_vars):
                projects = ", ".join(dict.fromkeys(unguarded.project_guards)) or "another project"
                return f"rules only run this job in {projects}, not in {self.ctx.repo.name}"
        return "rules / only / except match no pipeline source"

    def _synthetic_job(self, kind: str, name: str, line: int, decider: _Decider, workflow: Mapping[_Source, _Outcome],
                       global_vars: Mapping[str, str]) -> tuple[Job, dict[_Source, _Outcome]]:
        """A job standing for an included template/component: it runs like a job without rules."""
        running = self._running(_new_dict(line), line, decider, workflow, global_vars)
        job = Job(
            id=f"include:{kind}:{name}", line=line, triggers=frozenset(s.trigger for s in running),
            manual=bool(running) and all(o.manual for o in running.values()),
            default_branch=PUSH_DEFAULT in running,
            commands=(Command(text=f"gitlab-{kind}:{name}", line=line, kind="action"),),
            active=bool(running), inactive_reason=None if running else "workflow:rules never create a pipeline",
            # Local jobs that extend hidden templates of an unreadable include say what it is for: templates.
            stand_in="templates" if kind in ("project", "remote") and self.config.unknown_extends else "include",
        )
        return job, running


class GitLabCIParser(PipelineParser):
    system = SYSTEM

    def candidates(self, ctx: DetectionContext) -> list[str]:
        return [p for p in ctx.files.paths if p == ROOT_FILE]

    def parse(self, path: str, text: str, ctx: DetectionContext) -> list[Pipeline]:
        doc = _load(text)
        if not isinstance(doc, LineDict):
            raise ValueError(f"{path} is not a mapping of GitLab CI keywords and jobs")
        config = _Loader(ctx, path).build(doc)
        return [_PipelineBuilder(ctx, path, config).build()]


PARSERS: list[PipelineParser] = [GitLabCIParser()]
