"""Declared dependencies of a repository, with the line that declares each one, and the parsed
manifests they come from.

Everything here is computed at most once per `RepoFiles` instance (a module-level
`WeakKeyDictionary` keyed by the instance, so nothing outlives the files object), and only from
candidate files selected by name: no file is read unless its name says it is a manifest.

Public API:
- `Dependency`: one declared dependency (normalised `name`, `ecosystem`, `path`, `line`, `dev`, ...).
- `dependencies(files)`: every declared dependency, in path order.
- `dependency_index(files)` / `index_for(ctx)`: a `DependencyIndex` with pattern look-ups
  (`match("npm:@openfeature/*", "pypi:openfeature-sdk")`); `index_for` also replays the
  warnings about broken manifests into the context (once per context).
- `load_json` / `load_toml` / `load_yaml` / `load_xml(ctx, path)`: parsed documents shared by all
  detectors (parsed once per files object; a broken file gives one `broken-*` warning per context
  and `None`), each with a `line(*keys)` look-up.
- `warn_once(ctx, code, message, locator)`.
"""

from __future__ import annotations

import bisect
import fnmatch
import functools
import json
import re
import tomllib
import weakref
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import TYPE_CHECKING, Any, Literal

import yaml
from defusedxml.common import DefusedXmlException
from defusedxml.ElementTree import DefusedXMLParser

from collectors.repofiles import RepoFiles
from scanner.yamlfile import (
    LineDict,
    LineList,
    line_of,
    load_lenient,
    yaml_error_line,
    yaml_error_reason,
)

if TYPE_CHECKING:
    from collectors.detectors.interface import DetectionContext

Ecosystem = Literal["npm", "pypi", "go", "maven", "gradle-plugin", "rubygems", "cargo", "composer", "nuget", "hex", "pub"]
Kind = Literal["library", "plugin", "parent"]
Key = str | int

# --------------------------------------------------------------------------------------------
# Dependency records and the index
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Dependency:
    """One dependency declared in a manifest."""

    name: str
    """Normalised: lower-case; PEP 503 for Python (`Flask_SQLAlchemy` -> `flask-sqlalchemy`);
    `group:artifact` for Maven/Gradle/sbt; the module path for Go; the package id for NuGet."""
    ecosystem: Ecosystem
    path: str
    line: int
    """1-based line of the declaration."""
    dev: bool = False
    """Declared for development or tests only (devDependencies, test scope, dev groups...)."""
    kind: Kind = "library"
    """`plugin` for build plugins (Maven `<plugin>`, Gradle plugin ids, sbt plugins), `parent` for a Maven parent POM."""
    spec: str = ""
    """The version / requirement as written (may be empty)."""

    @property
    def locator(self) -> str:
        return f"{self.path}:{self.line}"

    def describe(self) -> str:
        """Short words for `observed`, e.g. `npm dev dependency @playwright/test`."""
        what = {"library": "dependency", "plugin": "build plugin", "parent": "parent POM"}[self.kind]
        return f"{self.ecosystem} {'dev ' if self.dev else ''}{what} {self.name}"


class DependencyIndex:
    """The dependencies of one repository, with pattern look-ups."""

    def __init__(self, deps: Iterable[Dependency]) -> None:
        self.all: tuple[Dependency, ...] = tuple(deps)
        self._by_ecosystem: dict[str, list[tuple[int, Dependency]]] = {}
        for position, d in enumerate(self.all):
            self._by_ecosystem.setdefault(d.ecosystem, []).append((position, d))

    def __len__(self) -> int:
        return len(self.all)

    def __iter__(self) -> Iterator[Dependency]:
        return iter(self.all)

    def _candidates(self, ecosystems: Iterable[str]) -> list[Dependency]:
        """The dependencies of these ecosystems, in path order."""
        if "*" in ecosystems:
            return list(self.all)
        picked = sorted((item for eco in ecosystems for item in self._by_ecosystem.get(eco, ())), key=lambda item: item[0])
        return [d for _, d in picked]

    def match(self, *patterns: str, dev: bool | None = None, kinds: tuple[Kind, ...] = ("library", "plugin", "parent")) -> list[Dependency]:
        """Dependencies matching any `ecosystem:name-glob` pattern (case-insensitive; `*` as the
        ecosystem matches every ecosystem), in path order. `dev=False` keeps runtime dependencies only."""
        by_ecosystem = _compile_patterns(patterns)
        anywhere = by_ecosystem.get("*")
        out: list[Dependency] = []
        for d in self._candidates(by_ecosystem):
            if (dev is not None and d.dev != dev) or d.kind not in kinds:
                continue
            rx = by_ecosystem.get(d.ecosystem)
            if (rx is not None and rx.match(d.name)) or (anywhere is not None and anywhere.match(d.name)):
                out.append(d)
        return out

    def classify(self, table: Mapping[str, tuple[str, ...]], dev: bool | None = None, exclude: Callable[[Dependency], bool] | None = None) -> dict[str, Dependency]:
        """`{tool: patterns}` -> `{tool: first matching dependency}` for the tools that have one.
        One pass over the dependencies: each is tried against all patterns at once first."""
        everything = tuple(p for patterns in table.values() for p in patterns)
        matching = self.match(*everything, dev=dev)
        out: dict[str, Dependency] = {}
        for tool, patterns in table.items():
            compiled = _compile_patterns(patterns)
            for d in matching:
                hit = any(rx.match(d.name) for rx in (compiled.get(d.ecosystem), compiled.get("*")) if rx is not None)
                if hit and not (exclude and exclude(d)):
                    out[tool] = d
                    break
        return out

    def first(self, *patterns: str, dev: bool | None = None, kinds: tuple[Kind, ...] = ("library", "plugin", "parent")) -> Dependency | None:
        found = self.match(*patterns, dev=dev, kinds=kinds)
        return found[0] if found else None

    def in_file(self, path: str) -> list[Dependency]:
        return [d for d in self.all if d.path == path]


@functools.lru_cache(maxsize=256)
def _compile_patterns(patterns: tuple[str, ...]) -> dict[str, re.Pattern[str]]:
    """`ecosystem:glob` patterns -> one regex per ecosystem (pattern tables are constants, so
    this cache holds a few dozen entries and nothing about any repository)."""
    globs: dict[str, list[str]] = {}
    for pattern in patterns:
        eco, sep, glob = pattern.partition(":")
        if not sep or not glob:
            raise ValueError(f"dependency pattern {pattern!r} needs an ecosystem prefix")
        globs.setdefault(eco, []).append(normalise(glob, eco) if eco == "pypi" else glob.lower())
    return {eco: re.compile("|".join(f"(?:{fnmatch.translate(g)})" for g in gs)) for eco, gs in globs.items()}


def normalise(name: str, ecosystem: str) -> str:
    if ecosystem == "pypi":
        return re.sub(r"[-_.]+", "-", name).lower()
    return name.strip().lower()


# --------------------------------------------------------------------------------------------
# Per-files cache
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    code: str
    message: str
    locator: str


@dataclass
class _Cache:
    docs: dict[tuple[str, str], Parsed | None] = field(default_factory=dict)
    problems: dict[str, Problem] = field(default_factory=dict)
    index: DependencyIndex | None = None
    manifests: list[str] | None = None


_CACHES: weakref.WeakKeyDictionary[RepoFiles, _Cache] = weakref.WeakKeyDictionary()


def _cache(files: RepoFiles) -> _Cache:
    cache = _CACHES.get(files)
    if cache is None:
        cache = _Cache()
        _CACHES[files] = cache
    return cache


def warn_once(ctx: DetectionContext, code: str, message: str, locator: str | None = None) -> None:
    """`ctx.warn`, unless a warning with the same code and locator is already there."""
    if any(w.code == code and w.locator == locator for w in ctx.warnings):
        return
    ctx.warn(code, message, locator)


# --------------------------------------------------------------------------------------------
# Parsed documents with line look-ups
# --------------------------------------------------------------------------------------------


class Parsed:
    """A parsed file and a way to find the line of a key path in it."""

    def __init__(self, path: str, text: str, data: Any, lines: Callable[[], dict[tuple[Key, ...], int]] | None = None) -> None:
        self.path = path
        self.text = text
        self.data = data
        self._lines_factory = lines
        self._lines: dict[tuple[Key, ...], int] | None = None

    def line(self, *keys: Key) -> int | None:
        """Line of the deepest known node along `keys` (1-based), or None. Without keys: the
        line of the document's root node (an XML root element, a YAML mapping)."""
        if not keys and getattr(self.data, "line", None):
            return int(self.data.line)
        if isinstance(self.data, (LineDict, LineList)):
            return _yaml_key_line(self.data, keys)
        if self._lines is None:
            self._lines = self._lines_factory() if self._lines_factory else {}
        for n in range(len(keys), 0, -1):
            hit = self._lines.get(tuple(keys[:n]))
            if hit is not None:
                return hit
        return None

    def locator(self, *keys: Key) -> str:
        return f"{self.path}:{self.line(*keys) or 1}"


def _yaml_key_line(data: LineDict | LineList, keys: tuple[Key, ...]) -> int | None:
    """Line of the last key (or list item) along `keys` that exists."""
    return line_of(data, keys)


def match_line(text: str, m: re.Match[str]) -> int:
    """1-based line of a regex match, skipping whitespace (newlines) the match starts with."""
    matched = m.group(0)
    start = m.start() + len(matched) - len(matched.lstrip())
    return text.count("\n", 0, start) + 1


def _offset_to_line(text: str) -> Callable[[int], int]:
    newlines = [m.start() for m in re.finditer("\n", text)]
    return lambda pos: bisect.bisect_left(newlines, pos) + 1


def _load(files: RepoFiles, path: str, kind: str, parse: Callable[[str, str], Parsed]) -> tuple[Parsed | None, Problem | None]:
    cache = _cache(files)
    key = (kind, path)
    if key in cache.docs:
        return cache.docs[key], cache.problems.get(f"{kind}:{path}")
    text = files.read_text(path)
    parsed: Parsed | None = None
    problem: Problem | None = None
    if text is not None:
        try:
            parsed = parse(path, text)
        except _ParseError as exc:
            problem = Problem(f"broken-{kind}", f"{path}: {exc.reason}; file ignored", f"{path}:{exc.line}" if exc.line else path)
            cache.problems[f"{kind}:{path}"] = problem
    cache.docs[key] = parsed
    return parsed, problem


class _ParseError(Exception):
    def __init__(self, reason: str, line: int | None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.line = line


def _loader(kind: str, parse: Callable[[str, str], Parsed]) -> Callable[[DetectionContext | RepoFiles, str], Parsed | None]:
    def load(target: DetectionContext | RepoFiles, path: str) -> Parsed | None:
        files = target if isinstance(target, RepoFiles) else target.files
        parsed, problem = _load(files, path, kind, parse)
        if problem is not None and not isinstance(target, RepoFiles):
            warn_once(target, problem.code, problem.message, problem.locator)
        return parsed

    load.__name__ = f"load_{kind}"
    load.__doc__ = (
        f"The parsed {kind.upper()} file (shared by all detectors), or None when it is missing, unreadable or broken. "
        f"Given a DetectionContext, a broken file adds one `broken-{kind}` warning."
    )
    return load


# --- JSON ---


def _parse_json(path: str, text: str) -> Parsed:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise _ParseError(f"invalid JSON: {exc.msg} (line {exc.lineno})", exc.lineno) from None
    except RecursionError:
        raise _ParseError("invalid JSON: nested too deeply", None) from None
    return Parsed(path, text, data, lambda: json_lines(text))


_JSON_WS = re.compile(r"[ \t\r\n]*")
_JSON_SCALAR = re.compile(r"-?[0-9][-+0-9.eE]*|true|false|null")


def json_lines(text: str) -> dict[tuple[Key, ...], int]:
    """Line (1-based) of every object member (its key) and array element of a valid JSON text."""
    out: dict[tuple[Key, ...], int] = {}
    line = _offset_to_line(text)
    scanstring = json.decoder.scanstring  # type: ignore[attr-defined]

    def skip(pos: int) -> int:
        m = _JSON_WS.match(text, pos)
        return m.end() if m else pos

    def value(pos: int, path: tuple[Key, ...]) -> int:
        pos = skip(pos)
        c = text[pos]
        if c == "{":
            pos = skip(pos + 1)
            if text[pos] == "}":
                return pos + 1
            while True:
                pos = skip(pos)
                key, pos_after = scanstring(text, pos + 1)
                out.setdefault((*path, key), line(pos))
                pos = skip(pos_after) + 1  # ':'
                pos = skip(value(pos, (*path, key)))
                if text[pos] == ",":
                    pos += 1
                    continue
                return pos + 1
        if c == "[":
            pos = skip(pos + 1)
            if text[pos] == "]":
                return pos + 1
            i = 0
            while True:
                pos = skip(pos)
                out.setdefault((*path, i), line(pos))
                pos = skip(value(pos, (*path, i)))
                i += 1
                if text[pos] == ",":
                    pos += 1
                    continue
                return pos + 1
        if c == '"':
            return int(scanstring(text, pos + 1)[1])
        m = _JSON_SCALAR.match(text, pos)
        return m.end() if m else pos + 1

    try:
        value(0, ())
    except (IndexError, ValueError, RecursionError):
        pass  # keep what was found
    return out


# --- TOML ---


def _parse_toml(path: str, text: str) -> Parsed:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        m = re.search(r"line (\d+)", str(exc))
        raise _ParseError(f"invalid TOML: {exc}", int(m.group(1)) if m else None) from None
    return Parsed(path, text, data, lambda: toml_lines(text))


_TOML_BARE_KEY = r"(?:[A-Za-z0-9_-]+|\"(?:[^\"\\]|\\.)*\"|'[^']*')"
_TOML_KEY = re.compile(rf"\s*({_TOML_BARE_KEY}(?:\s*\.\s*{_TOML_BARE_KEY})*)\s*=\s*")
_TOML_HEADER = re.compile(rf"\s*\[\[?\s*({_TOML_BARE_KEY}(?:\s*\.\s*{_TOML_BARE_KEY})*)\s*\]\]?")
_TOML_KEY_PART = re.compile(_TOML_BARE_KEY)


def _toml_key_parts(dotted: str) -> tuple[str, ...]:
    parts: list[str] = []
    for m in _TOML_KEY_PART.finditer(dotted):
        p = m.group(0)
        if p[0] in "\"'":
            p = p[1:-1]
        parts.append(p)
    return tuple(parts)


def toml_lines(text: str) -> dict[tuple[Key, ...], int]:
    """Line (1-based) of every table header, key, and element of an array value of a TOML text
    (an approximate scanner that relies on the text being valid TOML)."""
    out: dict[tuple[Key, ...], int] = {}
    line = _offset_to_line(text)
    n = len(text)
    table: tuple[str, ...] = ()
    pos = 0

    def skip_string(pos: int) -> int:
        for quote in ('"""', "'''"):
            if text.startswith(quote, pos):
                end = text.find(quote, pos + 3)
                while end != -1 and quote == '"""' and _escaped(text, end):
                    end = text.find(quote, end + 1)
                return n if end == -1 else end + 3
        q = text[pos]
        i = pos + 1
        while i < n and text[i] != q and text[i] != "\n":
            i += 2 if (q == '"' and text[i] == "\\") else 1
        return i + 1

    def skip_ws_comments(pos: int) -> int:
        while pos < n:
            c = text[pos]
            if c in " \t\r\n":
                pos += 1
            elif c == "#":
                end = text.find("\n", pos)
                pos = n if end == -1 else end
            else:
                break
        return pos

    def scan_value(pos: int, path: tuple[Key, ...]) -> int:
        c = text[pos] if pos < n else ""
        if c in "\"'":
            return skip_string(pos)
        if c == "[":
            pos += 1
            i = 0
            while True:
                pos = skip_ws_comments(pos)
                if pos >= n or text[pos] == "]":
                    return pos + 1
                if text[pos] == ",":
                    pos += 1
                    continue
                out.setdefault((*path, i), line(pos))
                pos = scan_value(pos, (*path, i))
                i += 1
        if c == "{":
            pos += 1
            while True:
                pos = skip_ws_comments(pos)
                if pos >= n or text[pos] == "}":
                    return pos + 1
                if text[pos] == ",":
                    pos += 1
                    continue
                m = _TOML_KEY.match(text, pos)
                if not m:
                    return pos + 1
                sub = (*path, *_toml_key_parts(m.group(1)))
                out.setdefault(sub, line(m.start(1)))
                pos = scan_value(m.end(), sub)
        m = re.compile(r"[^,\]\}\n#]*").match(text, pos)
        return m.end() if m else pos + 1

    while pos < n:
        pos = skip_ws_comments(pos)
        if pos >= n:
            break
        if text[pos] == "[":
            m = _TOML_HEADER.match(text, pos)
            if m:
                table = _toml_key_parts(m.group(1))
                out.setdefault(table, line(pos))
            end = text.find("\n", pos)
            pos = n if end == -1 else end + 1
            continue
        m = _TOML_KEY.match(text, pos)
        if not m:
            end = text.find("\n", pos)
            pos = n if end == -1 else end + 1
            continue
        key = (*table, *_toml_key_parts(m.group(1)))
        out.setdefault(key, line(m.start(1)))
        pos = scan_value(m.end(), key)
        end = text.find("\n", pos)
        pos = n if end == -1 else end + 1
    return out


def _escaped(text: str, pos: int) -> bool:
    backslashes = 0
    while pos - 1 - backslashes >= 0 and text[pos - 1 - backslashes] == "\\":
        backslashes += 1
    return backslashes % 2 == 1


# --- YAML ---


def _parse_yaml(path: str, text: str) -> Parsed:
    try:
        data = load_lenient(text)
    except yaml.YAMLError as exc:
        raise _ParseError(yaml_error_reason(exc), yaml_error_line(exc)) from None
    except (ValueError, TypeError) as exc:  # bad timestamps, unhashable keys
        raise _ParseError(f"invalid YAML: {exc}", None) from None
    except RecursionError:
        raise _ParseError("invalid YAML: nested too deeply", None) from None
    return Parsed(path, text, data)


# --- XML ---


class LineElement(ET.Element):
    """An XML element that knows the line of its start tag (`line`, 1-based)."""

    line: int = 0


class _LineTreeBuilder(ET.TreeBuilder):
    def __init__(self) -> None:
        super().__init__(element_factory=self._make)
        self.parser: DefusedXMLParser | None = None

    def _make(self, tag: str, attrs: dict[str, str]) -> LineElement:
        el = LineElement(tag, attrs)
        el.line = self.parser.parser.CurrentLineNumber if self.parser is not None else 0
        return el


def parse_xml_lines(text: str) -> LineElement:
    """Parse XML safely (defusedxml: no entities, no external references); every element has `.line`."""
    target = _LineTreeBuilder()
    parser = DefusedXMLParser(target=target)
    target.parser = parser
    parser.feed(text)
    root = parser.close()
    return root


def _parse_xml(path: str, text: str) -> Parsed:
    try:
        root = parse_xml_lines(text)
    except ET.ParseError as exc:
        raise _ParseError(f"invalid XML: {exc}", exc.position[0] if exc.position else None) from None
    except (DefusedXmlException, ValueError) as exc:
        raise _ParseError(f"XML refused ({type(exc).__name__}: entities or external references)", None) from None
    return Parsed(path, text, root)


def local(tag: str) -> str:
    """An XML tag without its namespace."""
    return tag.rsplit("}", 1)[-1]


def child_text(el: ET.Element, name: str) -> str:
    for c in el:
        if local(c.tag) == name:
            return (c.text or "").strip()
    return ""


load_json = _loader("json", _parse_json)
load_toml = _loader("toml", _parse_toml)
load_yaml = _loader("yaml", _parse_yaml)
load_xml = _loader("xml", _parse_xml)


# --------------------------------------------------------------------------------------------
# Manifest parsers
# --------------------------------------------------------------------------------------------

_DEV_WORDS = re.compile(r"(^|[-_./])(dev|develop|development|test|tests|testing|lint|linting|docs?|typing|typecheck|mypy|ci|bench|benchmarks?|perf|e2e)([-_./]|$)", re.I)


def _is_dev_group(name: str) -> bool:
    return bool(_DEV_WORDS.search(name))


# --- npm ---

_NPM_SECTIONS = (("dependencies", False), ("devDependencies", True), ("peerDependencies", False), ("optionalDependencies", False))


def _npm(files: RepoFiles, path: str) -> list[Dependency]:
    doc = load_json(files, path)
    if doc is None or not isinstance(doc.data, dict):
        return []
    out: list[Dependency] = []
    for section, dev in _NPM_SECTIONS:
        deps = doc.data.get(section)
        if isinstance(deps, dict):
            for name, spec in deps.items():
                out.append(Dependency(normalise(name, "npm"), "npm", path, doc.line(section, name) or 1, dev, spec=str(spec)))
    return out


# --- Python ---

_PIP_NAME = re.compile(r"([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)\s*(\[[^\]]*\])?\s*(.*)$")
_REQUIREMENTS_FILE = re.compile(r"(^|.*[-_.])(requirements|constraints)([-_.].*)?\.(txt|in)$", re.I)


def is_requirements_file(path: str) -> bool:
    """`requirements*.txt`, `dev-requirements.in`, `constraints.txt`, `requirements/*.txt`..."""
    parts = path.lower().split("/")
    if not parts[-1].endswith((".txt", ".in")):
        return False
    return bool(_REQUIREMENTS_FILE.match(parts[-1])) or (len(parts) > 1 and parts[-2] == "requirements")


def parse_requirement(req: str) -> tuple[str, str] | None:
    """`(normalised name, spec)` of a PEP 508 requirement string, or None when it names no package."""
    req = req.strip()
    if not req or req.startswith(("-", ".", "/", "#")):
        return None
    m = _PIP_NAME.match(req)
    if not m:
        return None
    rest = m.group(3).strip()
    if "://" in req and not rest.startswith("@"):
        return None
    if rest and not re.match(r"(===?|~=|!=|<=?|>=?|@|;|\()", rest):
        return None
    return normalise(m.group(1), "pypi"), rest


def _requirements_txt(files: RepoFiles, path: str) -> list[Dependency]:
    text = files.read_text(path)
    if text is None:
        return []
    dev = _is_dev_group(PurePosixPath(path).name.rsplit(".", 1)[0]) or _is_dev_group(PurePosixPath(path).parent.as_posix())
    out: list[Dependency] = []
    continued = False
    for lineno, raw in enumerate(text.splitlines(), 1):
        was_continued = continued
        continued = raw.rstrip().endswith("\\")
        if was_continued:
            continue
        s = re.sub(r"(^|\s)#.*", "", raw).rstrip().removesuffix("\\").strip()
        parsed = parse_requirement(s)
        if parsed:
            out.append(Dependency(parsed[0], "pypi", path, lineno, dev, spec=parsed[1]))
    return out


def _pyproject(files: RepoFiles, path: str) -> list[Dependency]:
    doc = load_toml(files, path)
    if doc is None:
        return []
    data = doc.data
    out: list[Dependency] = []

    def add_reqs(reqs: Any, keys: tuple[str, ...], dev: bool) -> None:
        if not isinstance(reqs, list):
            return
        for i, req in enumerate(reqs):
            if isinstance(req, str) and (parsed := parse_requirement(req)):
                out.append(Dependency(parsed[0], "pypi", path, doc.line(*keys, i) or 1, dev, spec=parsed[1]))

    def add_table(table: Any, keys: tuple[str, ...], dev: bool) -> None:
        if not isinstance(table, dict):
            return
        for name, spec in table.items():
            if name.lower() == "python":
                continue
            out.append(Dependency(normalise(name, "pypi"), "pypi", path, doc.line(*keys, name) or 1, dev, spec=spec if isinstance(spec, str) else ""))

    project = data.get("project")
    if isinstance(project, dict):
        add_reqs(project.get("dependencies"), ("project", "dependencies"), False)
        extras = project.get("optional-dependencies")
        if isinstance(extras, dict):
            for group, reqs in extras.items():
                add_reqs(reqs, ("project", "optional-dependencies", group), _is_dev_group(group))
    groups = data.get("dependency-groups")
    if isinstance(groups, dict):
        for group, reqs in groups.items():
            add_reqs(reqs, ("dependency-groups", group), True)
    tool = data.get("tool") if isinstance(data.get("tool"), dict) else {}
    poetry = tool.get("poetry")
    if isinstance(poetry, dict):
        add_table(poetry.get("dependencies"), ("tool", "poetry", "dependencies"), False)
        add_table(poetry.get("dev-dependencies"), ("tool", "poetry", "dev-dependencies"), True)
        if isinstance(poetry.get("group"), dict):
            for group, body in poetry["group"].items():
                if isinstance(body, dict):
                    add_table(body.get("dependencies"), ("tool", "poetry", "group", group, "dependencies"), group != "main")
    uv = tool.get("uv")
    if isinstance(uv, dict):
        add_reqs(uv.get("dev-dependencies"), ("tool", "uv", "dev-dependencies"), True)
    pdm = tool.get("pdm")
    if isinstance(pdm, dict) and isinstance(pdm.get("dev-dependencies"), dict):
        for group, reqs in pdm["dev-dependencies"].items():
            add_reqs(reqs, ("tool", "pdm", "dev-dependencies", group), True)
    return out


def _pipfile(files: RepoFiles, path: str) -> list[Dependency]:
    doc = load_toml(files, path)
    if doc is None:
        return []
    out: list[Dependency] = []
    for section, dev in (("packages", False), ("dev-packages", True)):
        table = doc.data.get(section)
        if isinstance(table, dict):
            for name, spec in table.items():
                out.append(Dependency(normalise(name, "pypi"), "pypi", path, doc.line(section, name) or 1, dev, spec=spec if isinstance(spec, str) else ""))
    return out


def _setup_cfg(files: RepoFiles, path: str) -> list[Dependency]:
    text = files.read_text(path)
    if text is None:
        return []
    out: list[Dependency] = []
    section = ""
    key: str | None = None
    for lineno, raw in enumerate(text.splitlines(), 1):
        if not raw.strip() or raw.lstrip().startswith(("#", ";")):
            continue
        if m := re.match(r"\[([^\]]+)\]", raw):
            section, key = m.group(1).strip().lower(), None
            continue
        value = raw
        if not raw[0].isspace():
            km = re.match(r"([^=:]+?)\s*[=:]\s*(.*)$", raw)
            if not km:
                key = None
                continue
            key, value = km.group(1).strip().lower(), km.group(2)
        if key is None:
            continue
        dev: bool | None = None
        if section == "options" and key in ("install_requires", "setup_requires"):
            dev = False
        elif section == "options" and key == "tests_require":
            dev = True
        elif section == "options.extras_require":
            dev = _is_dev_group(key)
        if dev is None:
            continue
        parsed = parse_requirement(value)
        if parsed:
            out.append(Dependency(parsed[0], "pypi", path, lineno, dev, spec=parsed[1]))
    return out


_SETUP_PY_ARG = re.compile(r"\b(install_requires|tests_require|setup_requires|extras_require)\s*=\s*([\[{])")
_PY_STRING = re.compile(r"""("(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')(\s*:)?""")


def _setup_py(files: RepoFiles, path: str) -> list[Dependency]:
    text = files.read_text(path)
    if text is None:
        return []
    line = _offset_to_line(text)
    out: list[Dependency] = []
    for m in _SETUP_PY_ARG.finditer(text):
        start = m.end() - 1
        end = _matching_bracket(text, start)
        dev = m.group(1) == "tests_require"
        for s in _PY_STRING.finditer(text, start, end):
            if s.group(2):  # a dict key: an extras_require group name
                dev = _is_dev_group(s.group(1)[1:-1])
                continue
            parsed = parse_requirement(s.group(1)[1:-1])
            if parsed:
                out.append(Dependency(parsed[0], "pypi", path, line(s.start()), dev, spec=parsed[1]))
    return out


def _matching_bracket(text: str, start: int) -> int:
    pairs = {"[": "]", "{": "}", "(": ")"}
    depth = 0
    i = start
    while i < len(text):
        c = text[i]
        if c in "\"'":
            m = _PY_STRING.match(text, i)
            i = m.end(1) if m else i + 1
            continue
        if c == "#":
            nl = text.find("\n", i)
            i = len(text) if nl == -1 else nl
            continue
        if c in pairs:
            depth += 1
        elif c in pairs.values():
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1
    return len(text)


# --- Go ---


_GO_TOOL_MODULE_DIRS = frozenset({"build", "tools", "tool", "hack", "magefiles", "ci", "dagger", ".dagger", "scripts"})
"""Folders whose nested Go module is the repository's build / CI tooling (a dagger or mage pipeline,
`tools/go.mod` pinning generators), not the product: its requirements count as development ones."""


def _go_mod(files: RepoFiles, path: str) -> list[Dependency]:
    text = files.read_text(path)
    if text is None:
        return []
    folders = path.split("/")[:-1]
    tooling = any(part.lower() in _GO_TOOL_MODULE_DIRS or _is_dev_group(part) for part in folders)
    entries: list[tuple[str, int, str]] = []
    local: set[str] = set()  # modules replaced by a folder of this repository: its own code, not a dependency
    block: str | None = None
    for lineno, raw in enumerate(text.splitlines(), 1):
        s = raw.strip()
        if block:
            if s.startswith(")"):
                block = None
                continue
            entry = s
        else:
            m = re.match(r"(require|tool|replace)\b\s*(\(?)\s*(.*)$", s)
            if not m:
                continue
            if m.group(2):
                block = m.group(1)
                continue
            block_kind = m.group(1)
            entry = m.group(3)
            if block_kind == "replace":
                local |= _go_local_replace(entry)
            else:
                entries.append((entry, lineno, block_kind))
            continue
        if block == "replace":
            local |= _go_local_replace(entry)
        else:
            entries.append((entry, lineno, block))
    out: list[Dependency] = []
    for entry, lineno, kind in entries:
        out.extend(d for d in _go_entry(entry, path, lineno, kind, tooling) if d.name not in local)
    return out


def _without_own_go_modules(files: RepoFiles, deps: list[Dependency]) -> list[Dependency]:
    """Drop Go requirements on a module that a `go.mod` of this repository declares (`flipt`'s
    tools requiring `go.flipt.io/flipt/rpc/flipt`): the repository's own code, not a dependency."""
    own: set[str] = set()
    for path in (p for p in manifest_paths(files) if p.endswith("go.mod")):
        m = re.search(r"^\s*module\s+\"?([^\s\"/]+(?:/[^\s\"]+)*)", files.read_text(path) or "", re.M)
        if m:
            own.add(normalise(m.group(1), "go"))
    if not own:
        return deps
    return [d for d in deps if d.ecosystem != "go" or not any(d.name == o or d.name.startswith(o + "/") for o in own)]


def _go_local_replace(entry: str) -> set[str]:
    """`example.com/x v1 => ../x`: {`example.com/x`} when the replacement is a local folder."""
    old, sep, new = entry.partition("=>")
    if not sep or not old.split() or not new.strip().startswith(("./", "../")):
        return set()
    return {normalise(old.split()[0].strip('"'), "go")}


def _go_entry(entry: str, path: str, lineno: int, kind: str, tooling: bool = False) -> list[Dependency]:
    if not entry or entry.startswith("//") or re.search(r"//\s*indirect\b", entry):
        return []  # indirect requirements are transitive, not declared by this module
    parts = entry.split()
    spec = parts[1] if len(parts) > 1 and not parts[1].startswith("//") else ""
    return [Dependency(normalise(parts[0].strip('"'), "go"), "go", path, lineno, tooling or kind == "tool", spec=spec)]


# --- JVM ---


def _pom(files: RepoFiles, path: str) -> list[Dependency]:
    doc = load_xml(files, path)
    if doc is None:
        return []
    out: list[Dependency] = []

    def walk(el: ET.Element) -> None:
        for child in el:
            tag = local(child.tag)
            if tag in ("dependencyManagement", "pluginManagement"):
                continue  # version pins, not usage
            if tag in ("dependency", "plugin", "parent"):
                group = child_text(child, "groupId") or ("org.apache.maven.plugins" if tag == "plugin" else "")
                artifact = child_text(child, "artifactId")
                if artifact:
                    scope = child_text(child, "scope")
                    kind: Kind = {"dependency": "library", "plugin": "plugin", "parent": "parent"}[tag]  # type: ignore[assignment]
                    line = getattr(child, "line", 0) or 1
                    out.append(Dependency(f"{group}:{artifact}".lower(), "maven", path, line, scope == "test", kind, child_text(child, "version")))
                if tag == "plugin":
                    walk(child)  # the plugin's own <dependencies>
                continue
            walk(child)

    walk(doc.data)
    return out


_GRADLE_CONF = re.compile(
    r"(?i)^(?:[a-z][a-z0-9]*)?(implementation|api|compileonly|runtimeonly|compile|runtime|classpath|annotationprocessor|kapt|ksp|"
    r"developmentonly|testfixturesimplementation|gatling|jmh|detekt|compileonlyapi|liquibaseruntime|flywaymigration)$"
)
_GRADLE_STRING_DEP = re.compile(
    r"""^\s*(?P<conf>[A-Za-z][A-Za-z0-9]*)\s*\(?\s*(?:(?:platform|enforcedPlatform|testFixtures)\s*\(\s*)?["'](?P<g>[^"':\s$]+):(?P<a>[^"':\s]+)(?::(?P<v>[^"']*))?["']"""
)
_GRADLE_MAP_DEP = re.compile(
    r"""^\s*(?P<conf>[A-Za-z][A-Za-z0-9]*)\s*\(?\s*group\s*[:=]\s*["'](?P<g>[^"']+)["']\s*,\s*name\s*[:=]\s*["'](?P<a>[^"']+)["']"""
)
_GRADLE_COORDINATE_ENTRY = re.compile(
    r"""^\s*(?:(?:set|ext\.)?\(?\s*)?["']?[A-Za-z_][\w.-]*["']?\s*[:=,]\s*["'](?P<g>[A-Za-z][\w-]*(?:\.[\w-]+)+):(?P<a>[A-Za-z][\w.-]*)(?::(?P<v>[^"'\s]*))?["']"""
)
# `implementation(` on a line of its own, then one quoted coordinate per line up to `)`.
_GRADLE_LIST_OPEN = re.compile(r"^\s*([A-Za-z][A-Za-z0-9]*)\s*\(\s*$")
_GRADLE_LIST_ENTRY = re.compile(r"""^\s*["'](?P<g>[^"':\s$]+):(?P<a>[^"':\s]+)(?::(?P<v>[^"']*))?["']\s*[,)]?""")


def _gradle_dev(conf: str) -> bool:
    return conf.startswith(("test", "androidtest", "integrationtest", "functionaltest", "gatling", "jmh"))


_GRADLE_PLUGIN_ID = re.compile(r"""\bid\s*\(?\s*["']([A-Za-z0-9_.-]+)["']""")
_GRADLE_APPLY = re.compile(r"""\bapply\s*\(?\s*plugin\s*[:=]\s*["']([A-Za-z0-9_.-]+)["']""")
_GRADLE_BARE_PLUGIN = re.compile(r"^\s*`?([a-z][a-z0-9-]*)`?\s*$")


def _gradle(files: RepoFiles, path: str) -> list[Dependency]:
    text = files.read_text(path)
    if text is None:
        return []
    out: list[Dependency] = []
    plugins_depth = 0
    depth = 0
    list_conf: str | None = None  # `implementation(` whose coordinates follow one per line
    for lineno, raw in enumerate(text.splitlines(), 1):
        code = re.sub(r"//.*$", "", raw)
        if re.match(r"\s*plugins\s*\{", code):
            plugins_depth = depth + 1
        if list_conf is not None:
            if em := _GRADLE_LIST_ENTRY.match(code):
                out.append(Dependency(f"{em.group('g')}:{em.group('a')}".lower(), "maven", path, lineno, _gradle_dev(list_conf), spec=em.group("v") or ""))
            if ")" in re.sub(r"""(["'])[^"']*\1""", "", code):
                list_conf = None
            depth += code.count("{") - code.count("}")
            continue
        if (om := _GRADLE_LIST_OPEN.match(code)) and _GRADLE_CONF.match(om.group(1)):
            list_conf = om.group(1).lower()
            continue
        m = _GRADLE_STRING_DEP.match(code) or _GRADLE_MAP_DEP.match(code)
        if m and _GRADLE_CONF.match(m.group("conf")):
            conf = m.group("conf").lower()
            spec = m.groupdict().get("v") or ""
            out.append(Dependency(f"{m.group('g')}:{m.group('a')}".lower(), "maven", path, lineno, _gradle_dev(conf), spec=spec))
        elif cm := _GRADLE_COORDINATE_ENTRY.match(code):
            # `jmhCore: "org.openjdk.jmh:jmh-core:$versions.jmh"` in a `libs = [...]` map or an `ext`
            # block (gradle/dependencies.gradle): a declared library that build scripts refer to by name.
            out.append(Dependency(f"{cm.group('g')}:{cm.group('a')}".lower(), "maven", path, lineno, False, spec=cm.group("v") or ""))
        for pm in (*_GRADLE_PLUGIN_ID.finditer(code), *_GRADLE_APPLY.finditer(code)):
            out.append(Dependency(pm.group(1).lower(), "gradle-plugin", path, lineno, False, "plugin"))
        if plugins_depth and depth >= plugins_depth and (bm := _GRADLE_BARE_PLUGIN.match(code)):
            out.append(Dependency(bm.group(1).lower(), "gradle-plugin", path, lineno, False, "plugin"))
        depth += code.count("{") - code.count("}")
        if plugins_depth and depth < plugins_depth:
            plugins_depth = 0
    return out


def _gradle_catalog(files: RepoFiles, path: str) -> list[Dependency]:
    doc = load_toml(files, path)
    if doc is None:
        return []
    out: list[Dependency] = []
    libraries = doc.data.get("libraries")
    if isinstance(libraries, dict):
        for alias, spec in libraries.items():
            coords = ""
            if isinstance(spec, str):
                coords = ":".join(spec.split(":")[:2])
            elif isinstance(spec, dict):
                coords = str(spec.get("module") or (f"{spec.get('group')}:{spec.get('name')}" if spec.get("group") else ""))
            if coords.count(":") == 1:
                out.append(Dependency(coords.lower(), "maven", path, doc.line("libraries", alias) or 1))
    plugins = doc.data.get("plugins")
    if isinstance(plugins, dict):
        for alias, spec in plugins.items():
            pid = spec.split(":")[0] if isinstance(spec, str) else spec.get("id") if isinstance(spec, dict) else None
            if isinstance(pid, str) and pid:
                out.append(Dependency(pid.lower(), "gradle-plugin", path, doc.line("plugins", alias) or 1, kind="plugin"))
    return out


_SBT_DEP = re.compile(r"""["']([^"'\s]+)["']\s*%%?%?\s*["']([^"'\s]+)["']""")


def _sbt(files: RepoFiles, path: str) -> list[Dependency]:
    text = files.read_text(path)
    if text is None:
        return []
    out: list[Dependency] = []
    for lineno, raw in enumerate(text.splitlines(), 1):
        code = re.sub(r"//.*$", "", raw)
        plugin = "addSbtPlugin" in code
        for m in _SBT_DEP.finditer(code):
            rest = code[m.end():]
            dev = bool(re.search(r"%\s*(\"|')?(Test|IntegrationTest|it|test)\b", rest)) or "% Test" in rest
            out.append(Dependency(f"{m.group(1)}:{m.group(2)}".lower(), "maven", path, lineno, dev, "plugin" if plugin else "library"))
    return out


# --- Ruby ---


def _gemfile(files: RepoFiles, path: str) -> list[Dependency]:
    text = files.read_text(path)
    if text is None:
        return []
    out: list[Dependency] = []
    stack: list[bool] = []  # for each open `do` block: is it a dev/test group
    for lineno, raw in enumerate(text.splitlines(), 1):
        code = re.sub(r"#.*$", "", raw).strip()
        if not code:
            continue
        if m := re.match(r"group\s*\(?\s*(.+?)\)?\s+do\b", code):
            groups = set(re.findall(r":(\w+)|[\"'](\w+)[\"']", m.group(1)))
            names = {a or b for a, b in groups}
            stack.append(bool(names) and names <= {"development", "test", "ci", "lint", "rubocop"})
            continue
        if re.search(r"\bdo(\s*\|[^|]*\|)?\s*$", code) or re.match(r"(if|unless|case|begin|while|until)\b", code):
            stack.append(False)
            continue
        if re.fullmatch(r"end\b.*", code) and stack:
            stack.pop()
            continue
        if m := re.match(r"gem\s*\(?\s*[\"']([^\"']+)[\"'](.*)$", code):
            inline = re.search(r"group(s)?:\s*(\[[^\]]*\]|:\w+)", m.group(2))
            dev = any(stack)
            if inline:
                names = set(re.findall(r":(\w+)", inline.group(2)))
                dev = bool(names) and names <= {"development", "test", "ci", "lint"}
            spec = m.group(2).strip(" ,")
            out.append(Dependency(m.group(1).lower(), "rubygems", path, lineno, dev, spec=spec[:60]))
    return out


_GEMSPEC_DEP = re.compile(r"""\.add_(runtime_|development_)?dependency\s*\(?\s*["']([^"']+)["']""")


def _gemspec(files: RepoFiles, path: str) -> list[Dependency]:
    text = files.read_text(path)
    if text is None:
        return []
    out: list[Dependency] = []
    for lineno, raw in enumerate(text.splitlines(), 1):
        for m in _GEMSPEC_DEP.finditer(raw):
            out.append(Dependency(m.group(2).lower(), "rubygems", path, lineno, m.group(1) == "development_"))
    return out


# --- Rust ---


def _cargo(files: RepoFiles, path: str) -> list[Dependency]:
    doc = load_toml(files, path)
    if doc is None:
        return []
    out: list[Dependency] = []

    def add(table: Any, keys: tuple[str, ...], dev: bool) -> None:
        if isinstance(table, dict):
            for name, spec in table.items():
                version = spec if isinstance(spec, str) else str(spec.get("version", "")) if isinstance(spec, dict) else ""
                out.append(Dependency(name.lower(), "cargo", path, doc.line(*keys, name) or 1, dev, spec=version))

    def sections(body: dict[str, Any], prefix: tuple[str, ...]) -> None:
        add(body.get("dependencies"), (*prefix, "dependencies"), False)
        add(body.get("build-dependencies"), (*prefix, "build-dependencies"), False)
        add(body.get("dev-dependencies"), (*prefix, "dev-dependencies"), True)

    sections(doc.data, ())
    workspace = doc.data.get("workspace")
    if isinstance(workspace, dict):
        add(workspace.get("dependencies"), ("workspace", "dependencies"), False)
    target = doc.data.get("target")
    if isinstance(target, dict):
        for cfg, body in target.items():
            if isinstance(body, dict):
                sections(body, ("target", cfg))
    return out


# --- PHP ---


def _composer(files: RepoFiles, path: str) -> list[Dependency]:
    doc = load_json(files, path)
    if doc is None or not isinstance(doc.data, dict):
        return []
    out: list[Dependency] = []
    for section, dev in (("require", False), ("require-dev", True)):
        deps = doc.data.get(section)
        if isinstance(deps, dict):
            for name, spec in deps.items():
                if name == "php" or name.startswith(("ext-", "lib-")) or name == "composer-plugin-api":
                    continue
                out.append(Dependency(name.lower(), "composer", path, doc.line(section, name) or 1, dev, spec=str(spec)))
    return out


# --- .NET ---


def _msbuild(files: RepoFiles, path: str) -> list[Dependency]:
    doc = load_xml(files, path)
    if doc is None:
        return []
    out: list[Dependency] = []
    for el in doc.data.iter():
        tag = local(el.tag)
        if tag in ("PackageReference", "PackageVersion", "GlobalPackageReference"):
            name = el.get("Include") or el.get("Update")
        elif tag == "package":  # packages.config
            name = el.get("id")
        else:
            continue
        if name:
            version = el.get("Version") or el.get("version") or child_text(el, "Version")
            out.append(Dependency(name.lower(), "nuget", path, getattr(el, "line", 0) or 1, False, spec=version or ""))
    return out


# --- Elixir ---


def _mix(files: RepoFiles, path: str) -> list[Dependency]:
    text = files.read_text(path)
    if text is None:
        return []
    out: list[Dependency] = []
    in_deps = False
    for lineno, raw in enumerate(text.splitlines(), 1):
        code = re.sub(r"#.*$", "", raw)
        if re.match(r"\s*defp?\s+deps\b", code):
            in_deps = True
            continue
        if in_deps and re.match(r"\s*defp?\s+\w+", code):
            in_deps = False
        if not in_deps:
            continue
        for m in re.finditer(r"\{\s*:([a-z0-9_]+)\s*,([^}]*)", code):
            only = re.search(r"only:\s*(\[[^\]]*\]|:\w+)", m.group(2))
            dev = bool(only) and "prod" not in only.group(1)  # type: ignore[union-attr]
            out.append(Dependency(m.group(1).lower(), "hex", path, lineno, dev))
    return out


# --- Dart ---


def _pubspec(files: RepoFiles, path: str) -> list[Dependency]:
    doc = load_yaml(files, path)
    if doc is None or not isinstance(doc.data, dict):
        return []
    out: list[Dependency] = []
    for section, dev in (("dependencies", False), ("dev_dependencies", True)):
        deps = doc.data.get(section)
        if isinstance(deps, dict):
            for name, spec in deps.items():
                if isinstance(spec, dict) and "sdk" in spec:
                    continue
                out.append(Dependency(str(name).lower(), "pub", path, doc.line(section, name) or 1, dev, spec=spec if isinstance(spec, str) else ""))
    return out


# --------------------------------------------------------------------------------------------
# Dispatch
# --------------------------------------------------------------------------------------------

Parser = Callable[[RepoFiles, str], list[Dependency]]

_BY_NAME: dict[str, Parser] = {
    "package.json": _npm,
    "pyproject.toml": _pyproject,
    "Pipfile": _pipfile,
    "setup.cfg": _setup_cfg,
    "setup.py": _setup_py,
    "go.mod": _go_mod,
    "pom.xml": _pom,
    "build.gradle": _gradle,
    "build.gradle.kts": _gradle,
    "settings.gradle": _gradle,
    "settings.gradle.kts": _gradle,
    "libs.versions.toml": _gradle_catalog,
    "build.sbt": _sbt,
    "plugins.sbt": _sbt,
    "Gemfile": _gemfile,
    "gems.rb": _gemfile,
    "Cargo.toml": _cargo,
    "composer.json": _composer,
    "Directory.Packages.props": _msbuild,
    "Directory.Build.props": _msbuild,
    "packages.config": _msbuild,
    "mix.exs": _mix,
    "pubspec.yaml": _pubspec,
}
_BY_SUFFIX: tuple[tuple[str, Parser], ...] = (
    (".gradle", _gradle),  # gradle/dependencies.gradle, libraries.gradle: scripts applied with `apply from:`
    (".gradle.kts", _gradle),
    (".csproj", _msbuild),
    (".fsproj", _msbuild),
    (".vbproj", _msbuild),
    (".gemspec", _gemspec),
)


def manifest_parser(path: str) -> Parser | None:
    """The parser for a manifest path, or None when the path is not a dependency manifest."""
    name = path.rsplit("/", 1)[-1]
    if name in _BY_NAME:
        return _BY_NAME[name]
    for suffix, parser in _BY_SUFFIX:
        if name.endswith(suffix):
            return parser
    if is_requirements_file(path):
        return _requirements_txt
    return None


def manifest_paths(files: RepoFiles) -> list[str]:
    """Evidence paths that are dependency manifests (selected by name only)."""
    cache = _cache(files)
    if cache.manifests is None:
        cache.manifests = [p for p in files.paths if manifest_parser(p) is not None]
    return cache.manifests


def dependency_index(files: RepoFiles) -> DependencyIndex:
    """The dependencies of `files`, parsed once per files object."""
    cache = _cache(files)
    if cache.index is None:
        deps: list[Dependency] = []
        for path in manifest_paths(files):
            parser = manifest_parser(path)
            assert parser is not None
            try:
                deps.extend(parser(files, path))
            except (ValueError, TypeError, KeyError, AttributeError, IndexError, RecursionError) as exc:
                kind = "xml" if path.endswith(("pom.xml", "proj", ".props", ".config")) else "manifest"
                cache.problems[f"dep:{path}"] = Problem(f"broken-{kind}", f"{path}: cannot read dependencies ({type(exc).__name__}: {exc})", path)
        cache.index = DependencyIndex(_without_own_go_modules(files, deps))
    return cache.index


def dependencies(files: RepoFiles) -> list[Dependency]:
    """Every declared dependency of the repository (evidence paths only), in path order."""
    return list(dependency_index(files).all)


def index_for(ctx: DetectionContext) -> DependencyIndex:
    """`dependency_index(ctx.files)`, with warnings about broken manifests added to `ctx` once."""
    index = dependency_index(ctx.files)
    cache = _cache(ctx.files)
    manifests = set(manifest_paths(ctx.files))
    for key, problem in cache.problems.items():
        path = key.split(":", 1)[1]
        if path in manifests:
            warn_once(ctx, problem.code, problem.message, problem.locator)
    return index
