"""Parsing of deployment descriptors for the deploy detectors.

- Kubernetes manifests: multi-document YAML, one `K8sObject` per object (`kind: List` items
  included). A broken document does not lose the others. Go-templated files (Helm chart
  templates, or any manifest with `{{ ... }}` that is not valid YAML as written) are read by
  blanking the template actions and parsing what is left; a document that still does not parse
  is read line by line (kind, apiVersion, annotations, key paths, container commands and images).
  Templated files never produce parse errors.
- HCL (Terraform, OpenTofu, Nomad, Packer, Terragrunt): a tolerant block parser that keeps the
  line of every block and attribute, and keeps attribute values as raw expression text.

Nothing here reads files or emits evidence: callers pass text and get structures back.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import yaml

from scanner.yamlfile import LineDict, load_all_lenient, yaml_error_line, yaml_error_reason

YAML_ERRORS: tuple[type[BaseException], ...] = (yaml.YAMLError, ValueError, TypeError, RecursionError)
"""What loading untrusted YAML can raise (bad timestamps give ValueError, unhashable keys TypeError)."""

# ---------------------------------------------------------------------------------------------
# Kubernetes objects
# ---------------------------------------------------------------------------------------------

_API_VERSION_LINE = re.compile(r"^\s*(?:-\s+)?apiVersion\s*:", re.M)
_KIND_LINE = re.compile(r"^\s*(?:-\s+)?kind\s*:", re.M)


def looks_like_kubernetes(text: str) -> bool:
    """Cheap pre-check before parsing: the text has `apiVersion:` and `kind:` keys."""
    if "apiVersion" not in text or "kind" not in text:
        return False
    return _API_VERSION_LINE.search(text) is not None and _KIND_LINE.search(text) is not None


@dataclass(frozen=True)
class Container:
    """One container of a pod template."""

    name: str
    image: str
    run: str
    """`command` and `args` joined with spaces, quotes and brackets removed."""
    line: int
    """Line of `command` / `args` when given, else of the container."""
    init: bool
    """An init container."""


@dataclass
class K8sObject:
    """One Kubernetes(-style) object of a manifest file."""

    path: str
    line: int
    """Line of the object's `kind` key."""
    api_version: str
    kind: str
    name: str
    body: LineDict | None
    """The parsed object; None when it could only be read line by line (templated)."""
    templated: bool = False
    key_lines: dict[tuple[str, ...], int] = field(default_factory=dict)
    """Line-by-line reading only: line of each mapping key path (list items add no path element)."""
    values: dict[tuple[str, ...], str] = field(default_factory=dict)
    """Line-by-line reading only: inline scalar value of each key path (first occurrence)."""
    line_containers: list[Container] = field(default_factory=list)
    """Line-by-line reading only: the containers found."""

    @property
    def group(self) -> str:
        """API group (`apps`, `argoproj.io`; empty for the core group `v1`)."""
        return self.api_version.split("/", 1)[0] if "/" in self.api_version else ""

    @property
    def locator(self) -> str:
        return f"{self.path}:{self.line}"

    @property
    def label(self) -> str:
        return f"{self.kind} {self.name!r}" if self.name else self.kind

    def get(self, *keys: str) -> Any:
        """The value at a mapping key path of the parsed body (None when absent or not parsed)."""
        node: Any = self.body
        for key in keys:
            if not isinstance(node, dict):
                return None
            node = node.get(key)
        return node

    def key_line(self, *keys: str) -> int | None:
        """Line of the last key of a mapping key path, or None when the path is absent."""
        if self.body is None:
            return self.key_lines.get(tuple(keys))
        node: Any = self.body
        line: int | None = None
        for key in keys:
            if not isinstance(node, LineDict) or key not in node:
                return None
            line = node.key_lines.get(key, node.line)
            node = node[key]
        return line

    def annotations(self) -> dict[str, tuple[str, int]]:
        """metadata.annotations as name -> (value as text, line)."""
        out: dict[str, tuple[str, int]] = {}
        if self.body is None:
            for path, line in self.key_lines.items():
                if len(path) == 3 and path[:2] == ("metadata", "annotations"):
                    out[path[2]] = (_unquote(self.values.get(path, "")), line)
            return out
        annotations = self.get("metadata", "annotations")
        if isinstance(annotations, LineDict):
            for key, value in annotations.items():
                out[str(key)] = (_scalar_text(value), annotations.key_lines.get(key, annotations.line))
        return out

    def containers(self) -> list[Container]:
        """Containers and init containers of the object's pod template (any workload kind)."""
        if self.body is None:
            return list(self.line_containers)
        pod = _pod_spec(self)
        if not isinstance(pod, LineDict):
            return []
        out: list[Container] = []
        for field_name, init in (("initContainers", True), ("containers", False)):
            items = pod.get(field_name)
            if not isinstance(items, list):
                continue
            for item in items:
                if isinstance(item, LineDict):
                    out.append(_container(item, init))
        return out


_POD_SPEC_PATHS: dict[str, tuple[str, ...]] = {
    "Pod": ("spec",),
    "CronJob": ("spec", "jobTemplate", "spec", "template", "spec"),
}


def _pod_spec(obj: K8sObject) -> Any:
    return obj.get(*_POD_SPEC_PATHS.get(obj.kind, ("spec", "template", "spec")))


def _scalar_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else str(value)


def _plain_name(name: Any) -> str:
    """An object name, or "" when it is not a plain string (computed by a template)."""
    if not isinstance(name, str) or "{{" in name or _PLACEHOLDER in name:
        return ""
    return name


def _unquote(text: str) -> str:
    text = text.strip()
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "\"'":
        return text[1:-1]
    return text


_RUN_NOISE = re.compile(r"[\[\]\"',]")
_SPACES = re.compile(r"\s+")


def normalise_run(text: str) -> str:
    """Command text with YAML/JSON list punctuation removed: `["a", "b"]` -> `a b`."""
    return _SPACES.sub(" ", _RUN_NOISE.sub(" ", text)).strip()


def _words(value: Any) -> str:
    if isinstance(value, list):
        return " ".join(_scalar_text(v) for v in value)
    return _scalar_text(value)


def _container(item: LineDict, init: bool) -> Container:
    run = normalise_run(f"{_words(item.get('command'))} {_words(item.get('args'))}")
    line = item.key_lines.get("command") or item.key_lines.get("args") or item.line
    return Container(_scalar_text(item.get("name")), _scalar_text(item.get("image")), run, line, init)


def _objects_of(path: str, doc: Any, templated: bool) -> Iterator[K8sObject]:
    if not isinstance(doc, LineDict):
        return
    kind, api_version = doc.get("kind"), doc.get("apiVersion")
    if not isinstance(kind, str) or not isinstance(api_version, str):
        return
    if kind.endswith("List") and isinstance(doc.get("items"), list):
        for item in doc["items"]:
            yield from _objects_of(path, item, templated)
        return
    metadata = doc.get("metadata")
    name = metadata.get("name") if isinstance(metadata, dict) else None
    yield K8sObject(path, doc.key_lines.get("kind", doc.line), api_version.strip(), kind.strip(),
                    _plain_name(name), doc, templated)


@dataclass(frozen=True)
class ParseProblem:
    message: str
    line: int | None


@dataclass
class ParsedManifests:
    objects: list[K8sObject]
    problems: list[ParseProblem]


_DOC_START = re.compile(r"^---(?:\s|$)")


def _documents(text: str, boundary: re.Pattern[str] = _DOC_START) -> list[tuple[int, list[str]]]:
    """Split a multi-document YAML text: (line of the document's first line, its lines)."""
    docs: list[tuple[int, list[str]]] = []
    start, lines = 1, list[str]()
    for number, line in enumerate(text.split("\n"), 1):
        if boundary.match(line):
            if lines:
                docs.append((start, lines))
            start, lines = number + 1, []
        else:
            lines.append(line)
    if lines:
        docs.append((start, lines))
    return docs


KindFilter = Callable[[str, str], bool]
"""(apiVersion, kind) -> is this document worth parsing?"""

_TOP_API_VERSION = re.compile(r"""^apiVersion:\s*["']?([^"'\s#]+)""")
_TOP_KIND = re.compile(r"""^kind:\s*["']?([^"'\s#]+)""")


def _unwanted(lines: list[str], wanted: KindFilter | None) -> bool:
    """True when the document plainly declares an apiVersion and kind that `wanted` refuses."""
    if wanted is None:
        return False
    api_version = kind = None
    for line in lines:
        if api_version is None and (m := _TOP_API_VERSION.match(line)):
            api_version = m.group(1)
        elif kind is None and (m := _TOP_KIND.match(line)):
            kind = m.group(1)
        if api_version and kind:
            return "{{" not in api_version + kind and not wanted(api_version, kind)
    return False


def parse_manifests(path: str, text: str, *, templated: bool = False, wanted: KindFilter | None = None) -> ParsedManifests:
    """Every Kubernetes-style object of a (possibly multi-document, possibly Go-templated) YAML file.

    With `wanted`, documents of other kinds (CRDs, ConfigMaps...) are skipped without being
    parsed: large generated manifests are mostly made of them."""
    if wanted is not None and not templated:
        lines = text.split("\n")
        for start, doc in _documents(text):
            if _unwanted(doc, wanted):
                lines[start - 1:start - 1 + len(doc)] = [""] * len(doc)
        text = "\n".join(lines)
    if not templated:
        try:
            docs = load_all_lenient(text)
        except YAML_ERRORS:
            pass
        else:
            return ParsedManifests([o for d in docs for o in _objects_of(path, d, False)], [])
        if "{{" in text:
            templated = True
    if templated:
        return ParsedManifests(_parse_templated(path, text, wanted), [])
    # Broken plain YAML: keep the documents that parse, report the others.
    objects: list[K8sObject] = []
    problems: list[ParseProblem] = []
    for start, lines in _documents(text):
        try:
            docs = load_all_lenient("\n" * (start - 1) + "\n".join(lines))
        except yaml.YAMLError as exc:
            problems.append(ParseProblem(yaml_error_reason(exc), yaml_error_line(exc)))
            continue
        except YAML_ERRORS as exc:
            problems.append(ParseProblem(f"invalid YAML: {exc}", start))
            continue
        objects.extend(o for d in docs for o in _objects_of(path, d, False))
    return ParsedManifests(objects, problems)


# --- Go templates -----------------------------------------------------------------------------

_TEMPLATE_COMMENT = re.compile(r"\{\{-?\s*/\*.*?\*/\s*-?\}\}", re.S)
_TEMPLATE_ACTION = re.compile(r"\{\{.*?\}\}")
_PLACEHOLDER = "__template__"


def _is_template_only(stripped: str) -> bool:
    return stripped.startswith("{{") and not _TEMPLATE_ACTION.sub("", stripped).strip()


def blank_templates(text: str) -> str:
    """Go templating removed, line numbers kept: lines holding only actions become empty and
    inline actions become a placeholder scalar."""
    text = _TEMPLATE_COMMENT.sub(lambda m: "\n" * m.group(0).count("\n"), text)
    out: list[str] = []
    for line in text.split("\n"):
        if _is_template_only(line.strip()):
            out.append("")
        else:
            out.append(_TEMPLATE_ACTION.sub(_PLACEHOLDER, line))
    return "\n".join(out)


_TEMPLATE_DOC_START = re.compile(r"^(?:---(?:\s|$)|\s*\{\{-?\s*define\s)")


def _parse_templated(path: str, text: str, wanted: KindFilter | None = None) -> list[K8sObject]:
    """Each document (split at `---` and at `{{ define }}`) is parsed with its templating blanked,
    or read line by line when that is still not YAML."""
    objects: list[K8sObject] = []
    for start, lines in _documents(text, _TEMPLATE_DOC_START):
        if _unwanted(lines, wanted):
            continue
        try:
            docs = load_all_lenient("\n" * (start - 1) + blank_templates("\n".join(lines)))
            objects.extend(o for d in docs for o in _objects_of(path, d, True))
        except YAML_ERRORS:
            obj = _read_lines(path, lines, start)
            if obj is not None:
                objects.append(obj)
    return objects


_KEY = re.compile(r"""^(?P<indent> *)(?P<dash>- +)?(?P<key>"[^"]*"|'[^']*'|[A-Za-z0-9_.$/-]+) *:(?: +(?P<value>.*?))? *$""")
_INLINE_COMMENT = re.compile(r"\s+#.*$")


@dataclass
class _OpenContainer:
    name: str = ""
    image: str = ""
    run: list[str] = field(default_factory=list)
    line: int = 0
    run_line: int = 0
    init: bool = False

    def close(self) -> Container:
        return Container(self.name, self.image, normalise_run(" ".join(self.run)), self.run_line or self.line, self.init)


def _read_lines(path: str, lines: list[str], first_line: int) -> K8sObject | None:
    """Read one templated document line by line, following indentation."""
    stack: list[tuple[int, str]] = []
    key_lines: dict[tuple[str, ...], int] = {}
    values: dict[tuple[str, ...], str] = {}
    containers: list[_OpenContainer] = []
    collecting: int | None = None  # indent of the command/args key whose block is being read
    for offset, raw in enumerate(lines):
        number = first_line + offset
        stripped = raw.strip()
        blank = not stripped or stripped.startswith("#") or _is_template_only(stripped)
        if collecting is not None and containers:
            indent = len(raw) - len(raw.lstrip(" "))
            if blank:
                continue
            if indent > collecting or (indent == collecting and (stripped == "-" or stripped.startswith("- "))):
                containers[-1].run.append(stripped.removeprefix("-").strip())
                continue
            collecting = None
        if blank:
            continue
        m = _KEY.match(_INLINE_COMMENT.sub("", raw.rstrip()))
        if not m:
            continue
        key = _unquote(m.group("key"))
        column = len(m.group("indent")) + len(m.group("dash") or "")
        while stack and stack[-1][0] >= column:
            stack.pop()
        parent = tuple(k for _, k in stack)
        key_path = (*parent, key)
        value = m.group("value") or ""
        key_lines.setdefault(key_path, number)
        if value:
            values.setdefault(key_path, value)
        in_container = bool(parent) and parent[-1] in ("containers", "initContainers")
        if in_container and m.group("dash"):
            containers.append(_OpenContainer(line=number, init=parent[-1] == "initContainers"))
        if in_container and containers:
            current = containers[-1]
            if key == "name":
                current.name = _unquote(value)
            elif key == "image":
                current.image = _unquote(value)
            elif key in ("command", "args"):
                current.run_line = current.run_line or number
                if value and value not in ("|", ">", "|-", ">-"):
                    current.run.append(value)
                else:
                    collecting = column
        stack.append((column, key))
    kind, api_version = values.get(("kind",)), values.get(("apiVersion",))
    if not kind or not api_version:
        return None
    return K8sObject(
        path, key_lines[("kind",)], _unquote(api_version), _unquote(kind), _plain_name(_unquote(values.get(("metadata", "name"), ""))),
        None, True, key_lines, values, [c.close() for c in containers],
    )


# ---------------------------------------------------------------------------------------------
# HCL
# ---------------------------------------------------------------------------------------------


class HclError(ValueError):
    def __init__(self, message: str, line: int) -> None:
        super().__init__(f"{message} (line {line})")
        self.reason = message
        self.line = line


@dataclass(frozen=True)
class HclAttribute:
    name: str
    raw: str
    """The expression as written."""
    line: int

    @property
    def string(self) -> str | None:
        """The value of a plain quoted string literal, else None."""
        m = re.fullmatch(r'"((?:[^"\\]|\\.)*)"', self.raw)
        return m.group(1) if m else None


@dataclass
class HclBlock:
    type: str
    labels: tuple[str, ...]
    line: int
    attributes: dict[str, HclAttribute] = field(default_factory=dict)
    blocks: list[HclBlock] = field(default_factory=list)

    def children(self, *types: str) -> list[HclBlock]:
        return [b for b in self.blocks if b.type in types]

    def walk(self) -> Iterator[HclBlock]:
        """This block and every block nested in it, depth first."""
        yield self
        for block in self.blocks:
            yield from block.walk()

    def string(self, name: str) -> str | None:
        attribute = self.attributes.get(name)
        return attribute.string if attribute else None


_HCL_SKIP = re.compile(r"(?:[ \t\r\n]+|#[^\n]*|//[^\n]*|/\*.*?\*/)*", re.S)
_HCL_SKIP_INLINE = re.compile(r"(?:[ \t\r]+|/\*.*?\*/)*", re.S)
_HCL_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*")
_HCL_EXPR_STOP = re.compile(r"[\n\"{}\[\]()#/<]")
_HCL_STRING_STOP = re.compile(r"[\\\"$%{}\n]")
_HCL_HEREDOC = re.compile(r"<<-?([A-Za-z_][A-Za-z0-9_]*)[ \t]*\r?\n")


class _HclParser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0
        self._newlines = [m.start() for m in re.finditer("\n", text)]

    def line(self, pos: int | None = None) -> int:
        return bisect.bisect_left(self._newlines, self.pos if pos is None else pos) + 1

    def fail(self, message: str) -> HclError:
        return HclError(message, self.line())

    def body(self, block: HclBlock, closing: bool) -> None:
        text = self.text
        while True:
            self.pos = _HCL_SKIP.match(text, self.pos).end()  # type: ignore[union-attr]
            if self.pos >= len(text):
                if closing:
                    raise HclError(f"block `{block.type}` is not closed", block.line)
                return
            if text[self.pos] == "}":
                if not closing:
                    raise self.fail("unexpected `}`")
                self.pos += 1
                return
            m = _HCL_IDENT.match(text, self.pos)
            if not m:
                raise self.fail(f"unexpected {text[self.pos]!r}")
            name, line = m.group(0), self.line()
            self.pos = _HCL_SKIP_INLINE.match(text, m.end()).end()  # type: ignore[union-attr]
            if text.startswith("=", self.pos) and not text.startswith("==", self.pos):
                start = self.pos + 1
                self.expression()
                block.attributes.setdefault(name, HclAttribute(name, text[start:self.pos].strip(), line))
                continue
            labels: list[str] = []
            while True:
                self.pos = _HCL_SKIP_INLINE.match(text, self.pos).end()  # type: ignore[union-attr]
                if self.pos >= len(text):
                    raise self.fail(f"`{name}` is neither an attribute nor a block")
                c = text[self.pos]
                if c == "{":
                    self.pos += 1
                    break
                if c == '"':
                    start = self.pos
                    self.string()
                    labels.append(text[start + 1:self.pos - 1])
                    continue
                label = _HCL_IDENT.match(text, self.pos)
                if not label:
                    raise self.fail(f"`{name}` is neither an attribute nor a block")
                labels.append(label.group(0))
                self.pos = label.end()
            child = HclBlock(name, tuple(labels), line)
            self.body(child, closing=True)
            block.blocks.append(child)

    def expression(self) -> None:
        """Skip an attribute's expression: up to a newline (or the `}` of a one-line block) outside brackets."""
        text = self.text
        depth = 0
        while True:
            m = _HCL_EXPR_STOP.search(text, self.pos)
            if not m:
                if depth:
                    raise self.fail("unbalanced brackets")
                self.pos = len(text)
                return
            self.pos = m.start()
            c = text[self.pos]
            if c == "\n":
                if depth == 0:
                    return
                self.pos += 1
            elif c == '"':
                self.string()
            elif c in "{[(":
                depth += 1
                self.pos += 1
            elif c in "}])":
                if depth == 0:
                    return
                depth -= 1
                self.pos += 1
            elif c == "#" or text.startswith("//", self.pos):
                end = text.find("\n", self.pos)
                self.pos = len(text) if end == -1 else end
            elif text.startswith("/*", self.pos):
                end = text.find("*/", self.pos + 2)
                if end == -1:
                    raise self.fail("unclosed comment")
                self.pos = end + 2
            elif c == "<" and (heredoc := _HCL_HEREDOC.match(text, self.pos)):
                marker = re.compile(r"^[ \t]*" + re.escape(heredoc.group(1)) + r"[ \t]*\r?$", re.M)
                closing = marker.search(text, heredoc.end())
                if not closing:
                    raise self.fail(f"heredoc {heredoc.group(1)} is not closed")
                self.pos = closing.end()
            else:
                self.pos += 1

    def string(self) -> None:
        """Skip a quoted string (with `${...}` / `%{...}` templates) starting at `"`."""
        text = self.text
        start_line = self.line()
        self.pos += 1
        depth = 0
        while True:
            m = _HCL_STRING_STOP.search(text, self.pos)
            if not m:
                raise HclError("unclosed string", start_line)
            self.pos = m.start()
            c = text[self.pos]
            if c == "\\":
                self.pos += 2
            elif c == '"':
                self.pos += 1
                if depth == 0:
                    return
            elif c in "$%":
                if text.startswith(c * 2 + "{", self.pos):
                    self.pos += 3
                elif text.startswith("{", self.pos + 1):
                    depth += 1
                    self.pos += 2
                else:
                    self.pos += 1
            elif c == "{":
                depth += 1 if depth else 0
                self.pos += 1
            elif c == "}":
                depth -= 1 if depth else 0
                self.pos += 1
            else:  # newline
                if depth == 0:
                    raise HclError("unclosed string", start_line)
                self.pos += 1


def parse_hcl(text: str) -> HclBlock:
    """Parse an HCL file into a root block (type `""`) holding its top-level attributes and blocks.
    Raises `HclError` with the line of the problem."""
    parser = _HclParser(text)
    root = HclBlock("", (), 1)
    try:
        parser.body(root, closing=False)
    except RecursionError:
        raise HclError("nested too deeply", parser.line()) from None
    return root
