"""GitHub Actions workflows (`.github/workflows/*.yml`) parsed into the normalised pipeline model.

The `on:` block says which events start a workflow; each job's `if:` can narrow that down to one
branch, to tags, or to one repository. So the parser lists the *scenarios* a workflow starts in:
one for each event, and for `push` one for each kind of ref (the default branch, other branches,
tags). Then it evaluates every job guard in each scenario. The evaluator for the GitHub expression
language is three-valued: a value the files cannot give (a secret, a step output, the actor) is
*unknown*. A trigger is dropped only when the guard is definitely false in every scenario of that
trigger.

A reusable workflow (`on: workflow_call`) takes its scenarios from the jobs that call it, after
their own guards. Their `with:` values become its `inputs`.
"""

from __future__ import annotations

import itertools
import json
import math
import posixpath
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, Union

import yaml

from collectors.pipelines.interface import PipelineParser
from collectors.pipelines.model import Command, Job, Pipeline
from scanner.yamlfile import Tagged, load_lenient

if TYPE_CHECKING:
    from collectors.detectors.interface import DetectionContext

SYSTEM = "github-actions"

_WORKFLOW_PATH = re.compile(r"^\.github/workflows/[^/]+\.ya?ml$")
_MAX_CALL_DEPTH = 6
"""GitHub allows reusable workflows to nest 4 levels deep; a little slack, and no cycles."""
_MAX_ACTION_DEPTH = 8
_MAX_CANDIDATES = 64


# --------------------------------------------------------------------------------------------
# Values of the expression language
# --------------------------------------------------------------------------------------------


def _runner_labels(value: Any) -> tuple[str, ...]:
    """`runs-on: [self-hosted, production]`, `runs-on: prod-runner`, `runs-on: {group: deployers, labels: [...]}`."""
    if isinstance(value, dict):
        items = [*_runner_labels(value.get("group")), *_runner_labels(value.get("labels"))]
        return tuple(items)
    if isinstance(value, (str, int, float)):
        return (str(value),) if "${{" not in str(value) else ()
    if isinstance(value, list):
        return tuple(str(v) for v in value if isinstance(v, (str, int, float)) and "${{" not in str(v))
    return ()


class _Unknown:
    """A value the files cannot tell. `truth` is its truthiness if that alone is known."""

    __slots__ = ("truth",)

    def __init__(self, truth: bool | None) -> None:
        self.truth = truth

    def __repr__(self) -> str:
        return f"_Unknown({self.truth})"


UNKNOWN = _Unknown(None)
_UNKNOWN_TRUTHY = _Unknown(True)
_UNKNOWN_FALSY = _Unknown(False)


@dataclass(frozen=True)
class _Partial:
    """A non-empty string known only by its start and a few values it is not (`refs/heads/` but
    not `refs/heads/main`). Comparisons are case-insensitive, as in GitHub."""

    prefix: str
    excluded: frozenset[str] = frozenset()
    """Case-folded whole values this string is known not to be."""

    def equals(self, other: str) -> bool | None:
        folded, mine = other.casefold(), self.prefix.casefold()
        if folded in self.excluded or not folded.startswith(mine) or len(folded) == len(mine):
            return False
        return None

    def starts_with(self, start: str) -> bool | None:
        folded, mine = start.casefold(), self.prefix.casefold()
        if mine.startswith(folded):
            return True
        if folded.startswith(mine):
            return None
        return False

    def contains(self, part: str) -> bool | None:
        folded, mine = part.casefold(), self.prefix.casefold()
        if folded in mine:
            return True
        if folded.startswith("refs/") and mine.startswith("refs/") and not folded.startswith(mine):
            return False  # a ref has `refs/` only at its start (`contains(github.ref, 'refs/tags')`)
        return None

    def without(self, head: str) -> _Partial:
        """The rest after a known head (`refs/heads/` -> the branch name)."""
        folded = head.casefold()
        return _Partial(self.prefix[len(head):], frozenset(e[len(head):] for e in self.excluded if e.startswith(folded)))


@dataclass(frozen=True, eq=False)
class _Open:
    """An object whose listed properties are known; any other property is unknown."""

    known: Mapping[str, Any]


Value = Any
"""None, bool, int/float, str, list, dict (a closed object), `_Open`, `_Partial` or `_Unknown`."""


def _kind(v: Value) -> str:
    if v is None:
        return "null"
    if isinstance(v, bool):
        return "bool"
    if isinstance(v, (int, float)):
        return "number"
    if isinstance(v, str):
        return "string"
    return "object"


def _truth(v: Value) -> bool | None:
    if isinstance(v, _Unknown):
        return v.truth
    if v is None:
        return False
    if isinstance(v, bool):
        return v
    if isinstance(v, (int, float)):
        return v != 0 and not math.isnan(v)
    if isinstance(v, str):
        return v != ""
    return True  # _Partial (never empty), lists and objects


_JSON_NUMBER = re.compile(r"^-?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$")


def _to_number(v: Value) -> float | None:
    """GitHub's coercion to a number (None = unknown); NaN for what is not a number."""
    if isinstance(v, (_Unknown, _Partial)):
        return None
    if v is None:
        return 0.0
    if isinstance(v, bool):
        return 1.0 if v else 0.0
    if isinstance(v, (int, float)):
        return float(v)
    if isinstance(v, str):
        s = v.strip()
        if not s:
            return 0.0
        if _JSON_NUMBER.match(s):
            return float(s)
        if re.match(r"^0x[0-9a-fA-F]+$", s):
            return float(int(s, 16))
        return math.nan
    return math.nan


def _to_str(v: Value) -> str | None:
    """GitHub's coercion to a string (None = unknown)."""
    if isinstance(v, (_Unknown, _Partial)):
        return None
    if v is None:
        return ""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    if isinstance(v, (int, float, str)):
        return str(v)
    if isinstance(v, list):
        return "Array"
    if isinstance(v, dict):
        return "Object"
    return None


def _equals(a: Value, b: Value) -> bool | None:
    """Loose equality: strings ignore case; different types are compared as numbers."""
    if isinstance(a, _Unknown) or isinstance(b, _Unknown) or isinstance(a, _Open) or isinstance(b, _Open):
        return None
    if isinstance(a, _Partial) or isinstance(b, _Partial):
        partial, other = (a, b) if isinstance(a, _Partial) else (b, a)
        return partial.equals(other) if isinstance(other, str) else None
    ka, kb = _kind(a), _kind(b)
    if ka == kb:
        if ka == "string":
            return bool(a.casefold() == b.casefold())
        if ka in ("number", "bool"):
            return bool(a == b)
        if ka == "null":
            return True
        return a is b
    na, nb = _to_number(a), _to_number(b)
    if na is None or nb is None:
        return None
    return na == nb


def _order(op: str, a: Value, b: Value) -> bool | None:
    if any(isinstance(v, (_Unknown, _Partial, _Open)) for v in (a, b)):
        return None
    x: Any
    y: Any
    if isinstance(a, str) and isinstance(b, str):
        x, y = a.casefold(), b.casefold()
    else:
        x, y = _to_number(a), _to_number(b)
        if x is None or y is None:
            return None
        if math.isnan(x) or math.isnan(y):
            return False
    result: bool = {"<": x < y, "<=": x <= y, ">": x > y, ">=": x >= y}[op]
    return result


def _three(value: bool | None) -> Value:
    return UNKNOWN if value is None else value


def _any3(values: Sequence[bool | None]) -> Value:
    if any(v is True for v in values):
        return True
    if all(v is False for v in values):
        return False
    return UNKNOWN


def _lookup(obj: Mapping[Any, Any], key: str) -> tuple[bool, Any]:
    """Case-insensitive property lookup: (found, value)."""
    if key in obj:
        return True, obj[key]
    folded = key.casefold()
    for k, v in obj.items():
        if isinstance(k, str) and k.casefold() == folded:
            return True, v
    return False, None


def _property(obj: Value, key: Value) -> Value:
    if isinstance(obj, (_Unknown, _Partial)) or isinstance(key, (_Unknown, _Partial, _Open)):
        return UNKNOWN
    if obj is None:
        return None  # property of null is null
    if isinstance(obj, list):
        number = _to_number(key)
        if number is None or math.isnan(number) or not number.is_integer():
            return None
        index = int(number)
        return obj[index] if 0 <= index < len(obj) else None
    name = _to_str(key)
    if name is None:
        return UNKNOWN
    if isinstance(obj, _Open):
        found, value = _lookup(obj.known, name)
        return value if found else UNKNOWN
    if isinstance(obj, dict):
        found, value = _lookup(obj, name)
        return value if found else None
    return None


# --------------------------------------------------------------------------------------------
# Expression parser
# --------------------------------------------------------------------------------------------


class _ExprError(ValueError):
    """An expression GitHub would reject."""


@dataclass(frozen=True)
class _Lit:
    value: Value


@dataclass(frozen=True)
class _Ctx:
    name: str


@dataclass(frozen=True)
class _Prop:
    obj: _Node
    key: _Node


@dataclass(frozen=True)
class _Star:
    obj: _Node


@dataclass(frozen=True)
class _Not:
    operand: _Node


@dataclass(frozen=True)
class _Logic:
    op: str
    left: _Node
    right: _Node


@dataclass(frozen=True)
class _Compare:
    op: str
    left: _Node
    right: _Node


@dataclass(frozen=True)
class _Call:
    name: str
    args: tuple[_Node, ...]


_Node = Union[_Lit, _Ctx, _Prop, _Star, _Not, _Logic, _Compare, _Call]

_TOKEN = re.compile(
    r"""\s*(?:
      (?P<str>'(?:[^']|'')*')
    | (?P<num>-?(?:0[xX][0-9a-fA-F]+|\d+(?:\.\d*)?(?:[eE][+-]?\d+)?))
    | (?P<op>==|!=|<=|>=|&&|\|\||[()\[\],.!<>*])
    | (?P<id>[A-Za-z_][A-Za-z0-9_-]*)
    )""",
    re.VERBOSE,
)


def _tokenize(text: str) -> list[tuple[str, str]]:
    tokens: list[tuple[str, str]] = []
    pos = 0
    text = text.rstrip()
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if m is None or m.end() == pos:
            raise _ExprError(f"unexpected {text[pos:].strip()[:20]!r}")
        kind = m.lastgroup or ""
        tokens.append((kind, m.group(kind)))
        pos = m.end()
    return tokens


class _ExprParser:
    """Recursive descent over GitHub's precedence: `||` < `&&` < `== !=` < `< <= > >=` < `!` < `. []`."""

    def __init__(self, text: str) -> None:
        self.tokens = _tokenize(text)
        self.pos = 0

    def parse(self) -> _Node:
        if not self.tokens:
            raise _ExprError("empty expression")
        node = self._or()
        if self.pos != len(self.tokens):
            raise _ExprError(f"unexpected {self.tokens[self.pos][1]!r}")
        return node

    def _peek(self) -> tuple[str, str] | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def _take(self, *ops: str) -> str | None:
        tok = self._peek()
        if tok is not None and tok[0] == "op" and tok[1] in ops:
            self.pos += 1
            return tok[1]
        return None

    def _expect(self, op: str) -> None:
        if self._take(op) is None:
            raise _ExprError(f"expected {op!r}")

    def _or(self) -> _Node:
        node = self._and()
        while self._take("||"):
            node = _Logic("||", node, self._and())
        return node

    def _and(self) -> _Node:
        node = self._equality()
        while self._take("&&"):
            node = _Logic("&&", node, self._equality())
        return node

    def _equality(self) -> _Node:
        node = self._comparison()
        while (op := self._take("==", "!=")) is not None:
            node = _Compare(op, node, self._comparison())
        return node

    def _comparison(self) -> _Node:
        node = self._unary()
        while (op := self._take("<", "<=", ">", ">=")) is not None:
            node = _Compare(op, node, self._unary())
        return node

    def _unary(self) -> _Node:
        if self._take("!"):
            return _Not(self._unary())
        return self._postfix(self._primary())

    def _postfix(self, node: _Node) -> _Node:
        while True:
            if self._take("."):
                tok = self._peek()
                if tok is None:
                    raise _ExprError("property name expected")
                self.pos += 1
                if tok == ("op", "*"):
                    node = _Star(node)
                elif tok[0] in ("id", "num"):
                    node = _Prop(node, _Lit(tok[1]))
                else:
                    raise _ExprError(f"property name expected, got {tok[1]!r}")
            elif self._take("["):
                if self._take("*"):
                    node = _Star(node)
                else:
                    node = _Prop(node, self._or())
                self._expect("]")
            else:
                return node

    def _primary(self) -> _Node:
        tok = self._peek()
        if tok is None:
            raise _ExprError("unexpected end of expression")
        kind, text = tok
        self.pos += 1
        if kind == "str":
            return _Lit(text[1:-1].replace("''", "'"))
        if kind == "num":
            return _Lit(float(int(text, 16)) if text.lower().lstrip("-").startswith("0x") else float(text))
        if kind == "op" and text == "(":
            node = self._or()
            self._expect(")")
            return node
        if kind == "id":
            word = text.lower()
            if self._take("("):
                args: list[_Node] = []
                if not self._take(")"):
                    args.append(self._or())
                    while self._take(","):
                        args.append(self._or())
                    self._expect(")")
                return _Call(word, tuple(args))
            if word in ("true", "false"):
                return _Lit(word == "true")
            if word == "null":
                return _Lit(None)
            if word == "nan":
                return _Lit(math.nan)
            if word == "infinity":
                return _Lit(math.inf)
            return _Ctx(word)
        raise _ExprError(f"unexpected {text!r}")


def parse_expression(text: str) -> _Node:
    """Parse the inside of `${{ }}`. Raises `ValueError` for what GitHub would reject."""
    return _ExprParser(text).parse()


def _whole_expression(text: str) -> str | None:
    """The inside of a value that is exactly one `${{ ... }}`, else None."""
    s = text.strip()
    if s.startswith("${{") and s.endswith("}}") and s.count("${{") == 1:
        return s[3:-2]
    return None


# --------------------------------------------------------------------------------------------
# Evaluation
# --------------------------------------------------------------------------------------------


def evaluate(node: _Node, contexts: Mapping[str, Value]) -> Value:
    """Evaluate with three-valued logic; what cannot be known is an `_Unknown`."""
    if isinstance(node, _Lit):
        return node.value
    if isinstance(node, _Ctx):
        return contexts.get(node.name, UNKNOWN)
    if isinstance(node, _Prop):
        return _property(evaluate(node.obj, contexts), evaluate(node.key, contexts))
    if isinstance(node, _Star):
        return UNKNOWN
    if isinstance(node, _Not):
        t = _truth(evaluate(node.operand, contexts))
        return UNKNOWN if t is None else not t
    if isinstance(node, _Logic):
        left = evaluate(node.left, contexts)
        lt = _truth(left)
        if node.op == "&&":
            if lt is False:
                return left
            right = evaluate(node.right, contexts)
            if lt is True:
                return right
            return _UNKNOWN_FALSY if _truth(right) is False else UNKNOWN
        if lt is True:
            return left
        right = evaluate(node.right, contexts)
        if lt is False:
            return right
        return _UNKNOWN_TRUTHY if _truth(right) is True else UNKNOWN
    if isinstance(node, _Compare):
        a, b = evaluate(node.left, contexts), evaluate(node.right, contexts)
        if node.op in ("==", "!="):
            eq = _equals(a, b)
            if eq is None:
                return UNKNOWN
            return eq if node.op == "==" else not eq
        return _three(_order(node.op, a, b))
    if isinstance(node, _Call):
        return _call(node.name, [evaluate(a, contexts) for a in node.args])
    raise _ExprError(f"cannot evaluate {node!r}")


def _call(name: str, args: list[Value]) -> Value:
    def arity(low: int, high: int | None = None) -> None:
        if len(args) < low or (high is not None and len(args) > high):
            raise _ExprError(f"{name}() takes {low}..{high} arguments")

    if name == "always":
        return True
    if name in ("success", "failure", "cancelled"):
        return UNKNOWN  # depends on how earlier jobs or steps ended
    if name in ("startswith", "endswith"):
        arity(2, 2)
        subject, part = args
        wanted = _to_str(part)
        if wanted is None:
            return UNKNOWN
        if isinstance(subject, _Partial):
            return _three(subject.starts_with(wanted)) if name == "startswith" else UNKNOWN
        text = _to_str(subject)
        if text is None:
            return UNKNOWN
        check = str.startswith if name == "startswith" else str.endswith
        return check(text.casefold(), wanted.casefold())
    if name == "contains":
        arity(2, 2)
        haystack, needle = args
        if isinstance(haystack, list):
            return _any3([_equals(item, needle) for item in haystack])
        wanted = _to_str(needle)
        if wanted is None or isinstance(haystack, (_Unknown, _Open)):
            return UNKNOWN
        if isinstance(haystack, _Partial):
            return _three(haystack.contains(wanted))
        text = _to_str(haystack)
        return UNKNOWN if text is None else wanted.casefold() in text.casefold()
    if name == "format":
        arity(1)
        strings = [_to_str(a) for a in args]
        if any(s is None for s in strings):
            return UNKNOWN
        return _format(str(strings[0]), [str(s) for s in strings[1:]])
    if name == "join":
        arity(1, 2)
        sep = _to_str(args[1]) if len(args) == 2 else ","
        items = args[0] if isinstance(args[0], list) else [args[0]]
        parts = [_to_str(i) for i in items]
        if sep is None or any(p is None for p in parts):
            return UNKNOWN
        return sep.join(str(p) for p in parts)
    if name == "fromjson":
        arity(1, 1)
        text = _to_str(args[0])
        if text is None or isinstance(args[0], _Partial):
            return UNKNOWN
        try:
            return _from_json(json.loads(text))
        except (ValueError, RecursionError):
            return UNKNOWN
    return UNKNOWN  # toJSON, hashFiles, and what GitHub may add


def _from_json(v: Any) -> Value:
    if isinstance(v, bool) or v is None or isinstance(v, str):
        return v
    if isinstance(v, (int, float)):
        return float(v)
    if isinstance(v, list):
        return [_from_json(i) for i in v]
    if isinstance(v, dict):
        return {str(k): _from_json(i) for k, i in v.items()}
    return UNKNOWN


def _format(template: str, args: list[str]) -> Value:
    out: list[str] = []
    i = 0
    while i < len(template):
        c = template[i]
        if template.startswith("{{", i) or template.startswith("}}", i):
            out.append(c)
            i += 2
        elif c == "{":
            end = template.find("}", i)
            index = template[i + 1:end] if end > i else ""
            if not index.isdigit() or int(index) >= len(args):
                return UNKNOWN
            out.append(args[int(index)])
            i = end + 1
        else:
            out.append(c)
            i += 1
    return "".join(out)


def _dotted(node: _Node) -> list[str] | None:
    """`github.event.inputs.env` -> ['github', 'event', 'inputs', 'env'] (lower-case)."""
    if isinstance(node, _Ctx):
        return [node.name]
    if isinstance(node, _Prop) and isinstance(node.key, _Lit) and isinstance(node.key.value, str):
        head = _dotted(node.obj)
        return None if head is None else [*head, node.key.value.lower()]
    return None


def _walk(node: _Node) -> Iterator[_Node]:
    yield node
    children: tuple[_Node, ...] = ()
    if isinstance(node, (_Prop,)):
        children = (node.obj, node.key)
    elif isinstance(node, (_Star,)):
        children = (node.obj,)
    elif isinstance(node, _Not):
        children = (node.operand,)
    elif isinstance(node, (_Logic, _Compare)):
        children = (node.left, node.right)
    elif isinstance(node, _Call):
        children = node.args
    for child in children:
        yield from _walk(child)


_REPOSITORY_PATHS = (
    ["github", "repository"], ["github", "repository_owner"], ["github", "event", "repository", "full_name"],
    ["github", "event", "repository", "owner", "login"],
)


def _repository_literals(node: _Node) -> list[str]:
    """String literals a guard compares the repository (or its owner) with."""
    names: list[str] = []
    for n in _walk(node):
        if isinstance(n, _Compare) and n.op in ("==", "!="):
            for side, other in ((n.left, n.right), (n.right, n.left)):
                if _dotted(side) in _REPOSITORY_PATHS and isinstance(other, _Lit) and isinstance(other.value, str):
                    names.append(other.value)
    return list(dict.fromkeys(names))


@dataclass(frozen=True)
class _Guard:
    """An `if:` as written, parsed once."""

    text: str
    line: int
    node: _Node | None
    """None when it cannot be parsed (then it is unknown)."""


# --------------------------------------------------------------------------------------------
# Scenarios: the ways a workflow can start
# --------------------------------------------------------------------------------------------

InputCandidates = Mapping[str, tuple[tuple[str, ...], frozenset[str]]]
"""Lower-case input name -> (possible values, where they come from: `choice`, `caller`, `matrix`)."""


@dataclass(frozen=True, eq=False)
class _Scenario:
    """One way the workflow can start, with what is then known of the `github` context."""

    event: str | None
    """`github.event_name` (None: unknown)."""
    trigger: str | None
    """The `ci.triggers` name, or None for events that are not CI triggers (issues, labels...)."""
    ref: Value = UNKNOWN
    ref_type: Value = UNKNOWN
    default_branch_push: bool = False
    """A push to the default branch (or a `workflow_run` after a run on it)."""
    tag: bool = False
    """The ref is a tag (tag push, release)."""
    tag_via_push: bool = False
    """A tag push through a plain `push:`: recorded as `push` for the workflow."""
    action: Value = UNKNOWN
    """`github.event.action`, when the event's `types:` names only one."""
    head_branch: Value = None
    """`github.event.workflow_run.head_branch`."""
    inputs: Value = field(default_factory=dict)
    """The `inputs` context: a closed dict, or `_Open` when unknown."""
    input_candidates: InputCandidates = field(default_factory=dict)


_UNKNOWN_SCENARIO = _Scenario(event=None, trigger=None, inputs=_Open({}))

_EVENT_TRIGGERS: Mapping[str, str] = {
    "pull_request": "pull_request", "pull_request_target": "pull_request", "merge_group": "pull_request",
    "schedule": "schedule", "workflow_dispatch": "manual", "repository_dispatch": "api", "deployment": "api",
    "workflow_run": "upstream", "issue_comment": "comment", "pull_request_review_comment": "comment",
    "release": "tag", "create": "tag",
}
_PR_PAYLOAD_EVENTS = frozenset({"pull_request", "pull_request_target", "pull_request_review", "pull_request_review_comment"})
_PR_REF_EVENTS = frozenset({"pull_request", "pull_request_review", "pull_request_review_comment"})


def _patterns(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [str(v) for v in value if isinstance(v, (str, int, float)) and not isinstance(v, bool)]
    return []


_GLOB_SPECIAL = "*?+[\\"


def _glob_regex(pattern: str) -> re.Pattern[str]:
    """GitHub filter pattern: `*` (not `/`), `**`, `?`/`+` (of the previous character), `[...]`."""
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
        elif c in "?+":
            out.append(c)
        elif c == "[" and (end := pattern.find("]", i + 1)) > i:
            out.append(pattern[i:end + 1])
            i = end + 1
            continue
        elif c == "\\" and i + 1 < len(pattern):
            out.append(re.escape(pattern[i + 1]))
            i += 2
            continue
        else:
            out.append(re.escape(c))
        i += 1
    try:
        return re.compile("^" + "".join(out) + "$")
    except re.error:
        return re.compile("^" + re.escape(pattern) + "$")


def _filter_match(name: str, patterns: Sequence[str]) -> bool:
    """Does `name` pass a list of patterns (later `!patterns` exclude, later patterns re-include)?"""
    matched = False
    for pattern in patterns:
        negative = pattern.startswith("!")
        if _glob_regex(pattern[1:] if negative else pattern).match(name):
            matched = not negative
    return matched


def _is_literal(pattern: str) -> bool:
    return not pattern.startswith("!") and not any(c in pattern for c in _GLOB_SPECIAL)


def _literal_prefix(pattern: str) -> str:
    for i, c in enumerate(pattern):
        if c in _GLOB_SPECIAL:
            return pattern[: i - 1] if c in "?+" and i > 0 else pattern[:i]
    return pattern


def _matches_everything(patterns: Sequence[str]) -> bool:
    return _filter_match("x", patterns) and _filter_match("x/y.z", patterns)


def _single_type(spec: Any) -> Value:
    types = _patterns(spec.get("types")) if isinstance(spec, dict) else []
    return types[0] if len(types) == 1 else UNKNOWN


def _branch_accept(spec: Mapping[str, Any], key: str) -> Callable[[str], bool]:
    if key in spec:
        wanted = _patterns(spec[key])
        return lambda name: _filter_match(name, wanted)
    if f"{key}-ignore" in spec:
        ignored = _patterns(spec[f"{key}-ignore"])
        return lambda name: not _filter_match(name, ignored)
    return lambda name: True


def _ref_scenarios(
    spec: Mapping[str, Any], key: str, head: str, defaults: Sequence[str], make: Callable[[Value, bool], _Scenario],
) -> list[_Scenario]:
    """Scenarios for the refs a `branches`/`tags` filter (or its `-ignore` form) lets through:
    each default branch that passes, each literal name, one partial ref per glob."""
    accept = _branch_accept(spec, key)
    out = [make(f"{head}{d}", True) for d in defaults if accept(d)]
    excluded = frozenset(f"{head}{d}".casefold() for d in defaults)
    if key in spec:
        seen: set[str] = set()
        for pattern in _patterns(spec[key]):
            if pattern.startswith("!") or pattern in defaults:
                continue
            if _is_literal(pattern):
                ref = f"{head}{pattern}"
                if ref not in seen and accept(pattern):
                    seen.add(ref)
                    out.append(make(ref, False))
            elif (prefix := head + _literal_prefix(pattern)) + "*" not in seen:
                seen.add(prefix + "*")
                out.append(make(_Partial(prefix, excluded), False))
    else:
        ignored = _patterns(spec.get(f"{key}-ignore"))
        if not _matches_everything(ignored):
            literal = frozenset(f"{head}{p}".casefold() for p in ignored if _is_literal(p))
            out.append(make(_Partial(head, excluded | literal), False))
    return out


def _push_scenarios(spec: Any, defaults: Sequence[str]) -> list[_Scenario]:
    """Push with `branches` -> branch pushes; with only `tags` -> tag pushes; plain -> both."""
    spec = spec if isinstance(spec, dict) else {}
    has_branches = "branches" in spec or "branches-ignore" in spec
    has_tags = "tags" in spec or "tags-ignore" in spec
    out: list[_Scenario] = []
    if has_branches or not has_tags:
        def branch(ref: Value, is_default: bool) -> _Scenario:
            return _Scenario("push", "push", ref=ref, ref_type="branch", default_branch_push=is_default, action=None, inputs={})

        out += _ref_scenarios(spec, "branches", "refs/heads/", defaults, branch)
    if has_tags or not has_branches:
        via_push = not has_tags

        def tag(ref: Value, _: bool) -> _Scenario:
            return _Scenario("push", "push" if via_push else "tag", ref=ref, ref_type="tag", tag=True,
                             tag_via_push=via_push, action=None, inputs={})

        out += _ref_scenarios(spec, "tags", "refs/tags/", (), tag)
    return out


def _dispatch_choices(spec: Any) -> dict[str, tuple[tuple[str, ...], frozenset[str]]]:
    inputs = spec.get("inputs") if isinstance(spec, dict) else None
    out: dict[str, tuple[tuple[str, ...], frozenset[str]]] = {}
    if isinstance(inputs, dict):
        for name, decl in inputs.items():
            if isinstance(decl, dict) and str(decl.get("type", "")).lower() == "choice" and isinstance(decl.get("options"), list):
                values = tuple(_yaml_str(o) for o in decl["options"] if o is not None)
                if values:
                    out[str(name).lower()] = (values, frozenset({"choice"}))
    return out


def _event_scenarios(event: str, spec: Any, defaults: Sequence[str], default_known: bool) -> list[_Scenario]:
    trigger = _EVENT_TRIGGERS.get(event)
    default_ref: Value = f"refs/heads/{defaults[0]}" if default_known else _Partial("refs/heads/")
    action = _single_type(spec)
    if event == "push":
        return _push_scenarios(spec, defaults)
    if event in _PR_REF_EVENTS:
        return [_Scenario(event, trigger, ref=_Partial("refs/pull/"), action=action)]
    if event == "pull_request_target":
        return [_Scenario(event, trigger, ref=_Partial("refs/heads/"), ref_type="branch", action=action)]
    if event == "merge_group":
        return [_Scenario(event, trigger, ref=_Partial("refs/heads/gh-readonly-queue/"), ref_type="branch", action=action)]
    if event == "workflow_dispatch":
        # A person picks the ref: any branch, or a tag.
        choices = _dispatch_choices(spec)
        return [
            _Scenario(event, trigger, ref=_Partial("refs/heads/"), ref_type="branch", action=None, inputs=_Open({}),
                      input_candidates=choices),
            _Scenario(event, trigger, ref=_Partial("refs/tags/"), ref_type="tag", tag=True, action=None,
                      inputs=_Open({}), input_candidates=choices),
        ]
    if event == "release":
        return [_Scenario(event, trigger, ref=_Partial("refs/tags/"), ref_type="tag", tag=True, action=action)]
    if event == "create":
        return [_Scenario(event, trigger, ref=_Partial("refs/"), tag=True, action=None)]
    if event in ("deployment", "deployment_status"):
        return [_Scenario(event, trigger, ref=_Partial("refs/"), action=action)]
    if event == "workflow_run":
        spec = spec if isinstance(spec, dict) else {}

        def run(head_branch: Value, is_default: bool) -> _Scenario:
            return _Scenario(event, trigger, ref=default_ref, ref_type="branch", default_branch_push=is_default,
                             action=action, head_branch=head_branch)

        return _ref_scenarios(spec, "branches", "", defaults, run)
    # schedule, repository_dispatch, issue_comment, issues, ...: run on the default branch
    return [_Scenario(event, trigger, ref=default_ref, ref_type="branch", action=action)]


def _declared_triggers(event: str, spec: Any) -> tuple[str, ...]:
    if event == "push":
        spec = spec if isinstance(spec, dict) else {}
        has_branches = "branches" in spec or "branches-ignore" in spec
        has_tags = "tags" in spec or "tags-ignore" in spec
        if has_tags:
            return ("push", "tag") if has_branches else ("tag",)
        return ("push",)
    trigger = _EVENT_TRIGGERS.get(event)
    return (trigger,) if trigger else ()


def _declared_events(on: Any, on_line: int) -> list[tuple[str, Any, int]]:
    """(event, its settings, line) for `on:` as a string, a list or a mapping."""
    if isinstance(on, str):
        return [(on.strip(), None, on_line)]
    if isinstance(on, list):
        lines = getattr(on, "item_lines", [])
        return [(item.strip(), None, lines[i] if i < len(lines) else on_line)
                for i, item in enumerate(on) if isinstance(item, str)]
    if isinstance(on, dict):
        return [(str(k).strip(), v, _key_line(on, k, on_line)) for k, v in on.items()]
    return []


def _job_triggers(scenarios: Sequence[_Scenario]) -> frozenset[str]:
    """Triggers of the scenarios a job can run in. A job that runs for tag pushes of a plain
    `push:` but not for its branch pushes is a tag job."""
    out = {s.trigger for s in scenarios if s.trigger and not s.tag_via_push}
    if any(s.tag_via_push for s in scenarios) and "push" not in out:
        out.add("tag")
    return frozenset(out)


def _ref_name(ref: Value) -> Value:
    heads = ("refs/heads/", "refs/tags/", "refs/pull/")
    if isinstance(ref, str):
        return next((ref[len(h):] for h in heads if ref.startswith(h)), ref)
    if isinstance(ref, _Partial):
        return next((ref.without(h) for h in heads if ref.prefix.startswith(h)), UNKNOWN)
    return UNKNOWN


# --------------------------------------------------------------------------------------------
# YAML helpers
# --------------------------------------------------------------------------------------------


def _key_line(mapping: Any, key: Any, default: int) -> int:
    lines = getattr(mapping, "key_lines", None)
    return lines.get(key, default) if isinstance(lines, dict) else default


def _yaml_str(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return ""
    if isinstance(value, (str, int, float)):
        return str(value)
    if isinstance(value, Tagged):
        return str(value)
    return json.dumps(value, default=str)


def _inputs(with_: Any) -> tuple[tuple[str, str], ...]:
    if not isinstance(with_, dict):
        return ()
    return tuple((str(k), _yaml_str(v)) for k, v in with_.items())


def _matrix_values(matrix: Any, path: Sequence[str]) -> list[str] | None:
    """Values `matrix.a.b` takes: from the matrix's lists and its `include` entries."""
    if not isinstance(matrix, dict) or not path:
        return None
    key, rest = path[0], path[1:]
    values: list[Any] = []
    found, direct = _lookup({k: v for k, v in matrix.items() if k not in ("include", "exclude")}, key)
    if found:
        values.extend(direct if isinstance(direct, list) else [direct])
    include = matrix.get("include")
    if isinstance(include, list):
        for entry in include:
            if isinstance(entry, dict):
                hit, value = _lookup(entry, key)
                if hit:
                    values.append(value)
    if not values:
        return None
    for part in rest:
        nested = [_lookup(v, part) for v in values if isinstance(v, dict)]
        values = [v for hit, v in nested if hit]
    out = [_yaml_str(v) for v in values if isinstance(v, (str, int, float, bool)) and "${{" not in _yaml_str(v)]
    return list(dict.fromkeys(out)) or None


_TEMPLATE_EXPR = re.compile(r"\$\{\{(.*?)\}\}", re.DOTALL)

Candidates = tuple[tuple[str, ...], frozenset[str]]


def _node_candidates(node: _Node, matrix: Any, inputs: InputCandidates) -> Candidates | None:
    if isinstance(node, _Lit):
        return ((_yaml_str(node.value),), frozenset())
    if isinstance(node, _Logic) and node.op == "||":
        left, right = _node_candidates(node.left, matrix, inputs), _node_candidates(node.right, matrix, inputs)
        if left is None or right is None:
            return None
        return tuple(dict.fromkeys(left[0] + right[0])), left[1] | right[1]
    if isinstance(node, _Call) and node.name == "format" and node.args:
        parts = [_node_candidates(a, matrix, inputs) for a in node.args]
        if any(p is None for p in parts):
            return None
        known = [p for p in parts if p is not None]
        combos = itertools.islice(itertools.product(*(p[0] for p in known)), _MAX_CANDIDATES)
        formatted = [_format(c[0], list(c[1:])) for c in combos]
        if any(not isinstance(v, str) for v in formatted):
            return None
        return tuple(dict.fromkeys(str(v) for v in formatted)), frozenset().union(*(p[1] for p in known))
    path = _dotted(node)
    if path is None:
        return None
    if path[0] == "matrix" and len(path) > 1:
        values = _matrix_values(matrix, path[1:])
        return (tuple(values), frozenset({"matrix"})) if values else None
    if path[0] == "inputs" and len(path) == 2:
        return inputs.get(path[1])
    if path[:3] == ["github", "event", "inputs"] and len(path) == 4:
        return inputs.get(path[3])
    return None


def _template_candidates(template: str, matrix: Any, inputs: InputCandidates) -> Candidates | None:
    """Every value a string with `${{ }}` parts can take, when each part can be enumerated."""
    pieces: list[tuple[str, ...]] = []
    kinds: set[str] = set()
    pos = 0
    for m in _TEMPLATE_EXPR.finditer(template):
        if m.start() > pos:
            pieces.append((template[pos:m.start()],))
        try:
            node = parse_expression(m.group(1))
        except ValueError:
            return None
        found = _node_candidates(node, matrix, inputs)
        if found is None:
            return None
        pieces.append(found[0])
        kinds |= found[1]
        pos = m.end()
    if pos < len(template):
        pieces.append((template[pos:],))
    values = ("".join(c).strip() for c in itertools.islice(itertools.product(*pieces), _MAX_CANDIDATES))
    return tuple(dict.fromkeys(v for v in values if v)), frozenset(kinds)


def _merge_candidates(scenarios: Sequence[_Scenario]) -> dict[str, Candidates]:
    merged: dict[str, tuple[list[str], set[str]]] = {}
    for s in scenarios:
        for name, (values, kinds) in s.input_candidates.items():
            slot = merged.setdefault(name, ([], set()))
            slot[0].extend(v for v in values if v not in slot[0])
            slot[1].update(kinds)
    return {k: (tuple(v), frozenset(kinds)) for k, (v, kinds) in merged.items()}


# --------------------------------------------------------------------------------------------
# `run:` scripts
# --------------------------------------------------------------------------------------------

_HEREDOC = re.compile(r"(?<!<)<<(-?)\s*(['\"]?)([A-Za-z_][A-Za-z0-9_]*)\2")
_SHELL_CONSUMERS = frozenset({"ssh", "bash", "sh", "zsh", "dash", "ksh", "sudo", "su"})
"""Commands that run a here-document's lines as commands (`ssh host <<EOF`)."""


def _continuation_char(shell: str | None) -> str:
    name = (shell or "").strip().split(" ")[0].lower()
    return {"pwsh": "`", "powershell": "`", "cmd": "^"}.get(name, "\\")


def _scan_line(line: str, quote: str | None) -> tuple[str, str | None]:
    """The line without a trailing `# comment`, and the quote still open at its end."""
    i = 0
    while i < len(line):
        c = line[i]
        if quote == "'":
            if c == "'":
                quote = None
        elif quote == '"':
            if c == "\\":
                i += 1
            elif c == '"':
                quote = None
        elif c == "\\":
            i += 1
        elif c in "'\"":
            quote = c
        elif c == "#" and (i == 0 or line[i - 1].isspace()):
            return line[:i], None
        i += 1
    return line, quote


def _continues(text: str, char: str) -> bool:
    if char != "\\":
        return text.endswith(char)
    trailing = len(text) - len(text.rstrip("\\"))
    return trailing % 2 == 1


def split_script(script: str, continuation: str = "\\") -> list[tuple[str, int, str]]:
    """Logical command lines of a shell script: (command, index of its first line, that line as
    written). Continuations are joined; blank lines, comments and here-document bodies (unless fed
    to a shell such as `ssh host <<EOF`) are left out."""
    out: list[tuple[str, int, str]] = []
    lines = script.split("\n")
    parts: list[tuple[str, str]] = []  # (separator to the next part, text)
    start = 0
    quote: str | None = None
    heredocs: list[tuple[str, bool]] = []  # (terminator, body runs as commands)
    for i, raw in enumerate(lines):
        if heredocs and not parts:
            terminator, body_runs = heredocs[0]
            if raw.strip() == terminator:
                heredocs.pop(0)
                continue
            if not body_runs:
                continue
        if not parts:
            stripped = raw.strip()
            if not stripped or stripped.startswith("#"):
                continue
            start = i
        text, quote = _scan_line(raw, quote)
        if quote is not None:
            parts.append(("\n", text))
            continue
        if _continues(text.rstrip(), continuation):
            parts.append((" ", text.rstrip()[:-1]))
            continue
        parts.append(("", text))
        command = _join(parts)
        parts = []
        if command:
            out.append((command, start, lines[start].strip()))
            first = command.split(None, 1)[0].rsplit("/", 1)[-1] if command.split() else ""
            heredocs.extend((m.group(3), first in _SHELL_CONSUMERS) for m in _HEREDOC.finditer(command))
    if parts and (command := _join(parts)):
        out.append((command, start, lines[start].strip()))
    return out


def _join(parts: list[tuple[str, str]]) -> str:
    text = ""
    previous = ""
    for separator, piece in parts:
        if previous == " ":
            text = text.rstrip() + " " + piece.strip()
        elif previous == "\n":
            text += "\n" + piece
        else:
            text += piece
        previous = separator
    return text.strip()


class _LineFinder:
    """Maps the lines of a `run:` value back to lines of the file."""

    def __init__(self, file_lines: Sequence[str], key_line: int) -> None:
        self.lines = file_lines
        self.key_line = key_line
        header = file_lines[key_line - 1] if 1 <= key_line <= len(file_lines) else ""
        m = re.search(r"\brun\s*:\s*(\S?)", header)
        self.literal = m is not None and m.group(1) == "|"
        self.cursor = max(key_line - 1, 0)
        self.last = self.cursor

    def locate(self, index: int, first_line: str) -> int:
        probe = first_line[:60]
        if self.literal:
            line = self.key_line + 1 + index
            if 1 <= line <= len(self.lines) and probe in self.lines[line - 1]:
                return line
        # Folded (`>`) and plain multi-line values are joined by YAML: look for the first word then.
        words = first_line.split(None, 1)
        for needle in dict.fromkeys((probe, words[0] if words else "")):
            for begin in (self.cursor, self.last):
                for j in range(begin, min(len(self.lines), begin + 1000)):
                    if needle and needle in self.lines[j]:
                        self.last, self.cursor = j, j + 1
                        return j + 1
        return self.key_line


# --------------------------------------------------------------------------------------------
# The parser
# --------------------------------------------------------------------------------------------


@dataclass
class _Starts:
    """How a workflow can start."""

    own: list[_Scenario]
    """From its own events."""
    inherited: list[_Scenario]
    """From the jobs that call it (`workflow_call`)."""
    inherited_triggers: frozenset[str]
    callers: tuple[str, ...]
    """`path:job` of each calling job in this repository."""
    reusable: bool

    @property
    def scenarios(self) -> list[_Scenario]:
        return self.own + self.inherited


class _Workflow:
    """Parses one workflow file. Lives for one `parse` call (holds its notes and caches)."""

    def __init__(self, parser: GitHubActionsParser, path: str, text: str, data: dict[Any, Any], ctx: DetectionContext) -> None:
        self.parser = parser
        self.path = path
        self.data = data
        self.ctx = ctx
        self.file_lines = text.split("\n")
        repo = getattr(ctx, "repo", None)
        self.repo_name: str | None = getattr(repo, "name", None) or None
        self.default_branch: str | None = getattr(repo, "default_branch", None) or None
        self.defaults: tuple[str, ...] = (self.default_branch,) if self.default_branch else ("main", "master")
        self.notes: list[str] = []
        self.includes: list[str] = []
        self._loaded: dict[str, Any] = {}

    # -- how the workflow starts ------------------------------------------------------------

    @staticmethod
    def _on(data: Mapping[Any, Any]) -> tuple[bool, Any, int]:
        for key in ("on", True):
            if key in data:
                return True, data[key], _key_line(data, key, 1)
        return False, None, 1

    def starts(self, path: str, data: Mapping[Any, Any], stack: tuple[str, ...]) -> _Starts:
        _, on, on_line = self._on(data)
        own: list[_Scenario] = []
        call_spec: Any = None
        reusable = False
        for event, spec, _ in _declared_events(on, on_line):
            if event == "workflow_call":
                reusable, call_spec = True, spec
            else:
                own.extend(_event_scenarios(event, spec, self.defaults, self.default_branch is not None))
        inherited: list[_Scenario] = []
        triggers: set[str] = set()
        callers: list[str] = []
        if reusable and len(stack) < _MAX_CALL_DEPTH:
            for caller_path, caller_data, job_id, job in self._callers(path):
                if caller_path in stack:
                    continue
                callers.append(f"{caller_path}:{job_id}")
                guard = self.guard(job.get("if"), _key_line(job, "if", 1), record=False)
                caller_scenarios = self.starts(caller_path, caller_data, (*stack, path)).scenarios
                surviving = [s for s in caller_scenarios if self.holds(guard, s, self.repo_name) is not False]
                triggers |= _job_triggers(surviving)
                inherited.extend(self._callee_scenario(s, job, call_spec) for s in surviving)
        return _Starts(own, inherited, frozenset(triggers), tuple(callers), reusable)

    def _load(self, path: str) -> Any:
        if path not in self._loaded:
            text = self.ctx.files.read_text(path)
            try:
                self._loaded[path] = load_lenient(text) if text else None
            except yaml.YAMLError:
                self._loaded[path] = None  # reported when that file itself is parsed
        return self._loaded[path]

    def _callers(self, path: str) -> Iterator[tuple[str, Mapping[Any, Any], str, Mapping[Any, Any]]]:
        """Jobs of other workflows in this repository that call the workflow at `path`."""
        base = posixpath.basename(path)
        for other in self.parser.candidates(self.ctx):
            if other == path:
                continue
            text = self.ctx.files.read_text(other)
            if not text or base not in text:
                continue
            data = self._load(other)
            jobs = data.get("jobs") if isinstance(data, dict) else None
            if not isinstance(jobs, dict):
                continue
            for job_id, job in jobs.items():
                if isinstance(job, dict) and self._local_target(job.get("uses")) == path:
                    yield other, data, str(job_id), job

    def _local_target(self, uses: Any) -> str | None:
        """The repository path a reusable-workflow reference points to, when it is this repository."""
        if not isinstance(uses, str):
            return None
        ref = uses.strip()
        if ref.startswith("./"):
            return posixpath.normpath(ref[2:])
        m = re.match(r"^([^/@\s]+/[^/@\s]+)/([^@\s]+)@\S+$", ref)
        if m and self.repo_name and m.group(1).casefold() == self.repo_name.casefold():
            return posixpath.normpath(m.group(2))
        return None

    def _callee_scenario(self, scenario: _Scenario, job: Mapping[Any, Any], call_spec: Any) -> _Scenario:
        """The caller's scenario, with `inputs` from the calling job's `with:` (and the callee's defaults)."""
        with_: Mapping[Any, Any] = job["with"] if isinstance(job.get("with"), dict) else {}
        declared = call_spec.get("inputs") if isinstance(call_spec, dict) else None
        matrix = _strategy_matrix(job)
        contexts = self.contexts(scenario, self.repo_name)
        inputs: dict[str, Value] = {}
        candidates: dict[str, Candidates] = {}
        for name, raw in with_.items():
            key = str(name)
            inputs[key] = self._with_value(raw, contexts, matrix, scenario)
            if isinstance(raw, str) and "${{" in raw:
                found = _template_candidates(raw, matrix, scenario.input_candidates)
            else:
                found = ((_yaml_str(raw),), frozenset())
            if found and found[0]:
                # Values written in the caller (not a matrix or a person's choice) count as `caller`.
                candidates[key.lower()] = (found[0], found[1] or frozenset({"caller"}))
        given = {k.lower() for k in inputs}
        if isinstance(declared, dict):
            for name, decl in declared.items():
                key = str(name)
                if key.lower() in given or not isinstance(decl, dict) or "default" not in decl:
                    continue
                default = decl["default"]
                if isinstance(default, str) and "${{" in default:
                    inputs[key] = UNKNOWN
                else:
                    inputs[key] = default
                    candidates[key.lower()] = ((_yaml_str(default),), frozenset({"caller"}))
        return replace(scenario, inputs=inputs, input_candidates=candidates)

    def _with_value(self, raw: Any, contexts: Mapping[str, Value], matrix: Any, scenario: _Scenario) -> Value:
        if isinstance(raw, str):
            inner = _whole_expression(raw)
            if inner is not None:
                try:
                    return evaluate(parse_expression(inner), contexts)
                except ValueError:
                    return UNKNOWN
            if "${{" in raw:
                found = _template_candidates(raw, matrix, scenario.input_candidates)
                return found[0][0] if found and len(found[0]) == 1 else UNKNOWN
            return raw
        if raw is None or isinstance(raw, (bool, int, float)):
            return raw
        return UNKNOWN

    # -- guards ------------------------------------------------------------------------------

    def guard(self, raw: Any, line: int, *, record: bool = True) -> _Guard | None:
        """Parse an `if:` (with or without `${{ }}`); None when there is none."""
        if raw is None:
            return None
        if isinstance(raw, (bool, int, float)):
            return _Guard(_yaml_str(raw), line, _Lit(raw))
        text = str(raw).strip()
        inner = _whole_expression(text)
        if inner is None and "${{" in text:
            # A string with embedded expressions: GitHub evaluates it as a (non-empty) string.
            literal = _TEMPLATE_EXPR.sub("", text).strip()
            return _Guard(text, line, _Lit(_UNKNOWN_TRUTHY if literal else UNKNOWN))
        try:
            return _Guard(text, line, parse_expression(inner if inner is not None else text))
        except ValueError as exc:
            if record:
                self.notes.append(f"line {line}: cannot parse `if: {text}` ({exc}); treated as unknown")
            return _Guard(text, line, None)

    def contexts(self, s: _Scenario, repo_name: str | None, env: Mapping[str, Value] | None = None) -> dict[str, Value]:
        """The expression contexts in a scenario; `repo_name` None makes the repository unknown."""
        repository: dict[str, Value] = {}
        github: dict[str, Value] = {
            "ref": s.ref, "ref_name": _ref_name(s.ref), "ref_type": s.ref_type,
        }
        if repo_name and "/" in repo_name:
            owner, short = repo_name.split("/", 1)
            github.update(repository=repo_name, repository_owner=owner)
            repository.update(full_name=repo_name, name=short, owner=_Open({"login": owner}))
        if self.default_branch:
            repository["default_branch"] = self.default_branch
        event: dict[str, Value] = {"repository": _Open(repository)}
        if s.event is not None:
            github["event_name"] = s.event
            pr = s.event in _PR_PAYLOAD_EVENTS
            github["head_ref"] = UNKNOWN if pr else ""
            github["base_ref"] = UNKNOWN if pr else ""
            if not pr:
                event["pull_request"] = None
            event["inputs"] = _Open({}) if s.event == "workflow_dispatch" else None
            event["workflow_run"] = _Open({"head_branch": s.head_branch}) if s.event == "workflow_run" else None
            event["action"] = s.action
            if s.event in ("push", "create"):
                event["ref"] = s.ref
        github["event"] = _Open(event)
        unknown = _Open({})
        return {
            "github": _Open(github), "inputs": s.inputs, "env": _Open(env or {}),
            "vars": unknown, "secrets": unknown, "matrix": unknown, "needs": unknown, "steps": unknown,
            "runner": unknown, "job": unknown, "jobs": unknown, "strategy": unknown,
        }

    def holds(self, guard: _Guard | None, s: _Scenario, repo_name: str | None,
              env: Mapping[str, Value] | None = None) -> bool | None:
        """Can the guard be true in this scenario? True, False, or None (unknown)."""
        if guard is None:
            return True
        if guard.node is None:
            return None
        try:
            return _truth(evaluate(guard.node, self.contexts(s, repo_name, env)))
        except ValueError:
            return None

    def _inactive_reason(self, guard: _Guard, elsewhere: Sequence[_Scenario]) -> str:
        where = f"`if: {_short(guard.text)}` (line {guard.line})"
        if self.holds(guard, _UNKNOWN_SCENARIO, None) is False:
            return f"{where} is always false"
        if elsewhere and self.repo_name and guard.node is not None:
            names = ", ".join(_repository_literals(guard.node)) or "another repository"
            return f"{where} restricts the job to {names}; this repository is {self.repo_name}"
        return f"{where} is false for every event that starts this workflow"

    # -- the pipeline ------------------------------------------------------------------------

    def pipeline(self) -> Pipeline:
        has_on, on, on_line = self._on(self.data)
        declared = _declared_events(on, on_line)
        triggers: set[str] = set()
        trigger_lines: dict[str, int] = {}
        call_line = on_line
        for event, spec, line in declared:
            if event == "workflow_call":
                call_line = line
            for trigger in _declared_triggers(event, spec):
                triggers.add(trigger)
                trigger_lines.setdefault(trigger, line)
        starts = self.starts(self.path, self.data, ())
        for trigger in starts.inherited_triggers:
            triggers.add(trigger)
            trigger_lines.setdefault(trigger, call_line)
        inactive = self._pipeline_inactive(has_on, declared, starts)
        scenarios = starts.scenarios
        jobs: list[Job] = []
        for job_id, job in self.data["jobs"].items():
            line = _key_line(self.data["jobs"], job_id, 1)
            if not isinstance(job, dict):
                self.notes.append(f"line {line}: job `{job_id}` is not a mapping; ignored")
                continue
            jobs.append(self.job(str(job_id), job, line, scenarios, inactive))
        return Pipeline(
            system=SYSTEM, path=self.path, triggers=frozenset(triggers), trigger_lines=trigger_lines,
            jobs=tuple(jobs), line=on_line, active=inactive is None, inactive_reason=inactive,
            includes=tuple(dict.fromkeys(self.includes)), notes=tuple(dict.fromkeys(self.notes)),
        )

    def _pipeline_inactive(self, has_on: bool, declared: Sequence[tuple[str, Any, int]], starts: _Starts) -> str | None:
        if starts.scenarios:
            return None
        if not has_on:
            return "no `on:` key: GitHub never starts this workflow"
        if starts.reusable and not starts.callers:
            return "reusable workflow not called from this repository"
        if starts.reusable:
            return f"reusable workflow called only from jobs that never run here ({', '.join(starts.callers)})"
        if not declared:
            return "`on:` names no event: GitHub never starts this workflow"
        return "no event in `on:` can start this workflow"

    # -- jobs ----------------------------------------------------------------------------------

    def job(self, job_id: str, job: Mapping[Any, Any], line: int, scenarios: list[_Scenario], pipeline_inactive: str | None) -> Job:
        guard = self.guard(job.get("if"), _key_line(job, "if", line))
        active, reason = True, None
        if pipeline_inactive is not None:
            active, reason, runs_in = False, pipeline_inactive, []
        else:
            runs_in = [s for s in scenarios if self.holds(guard, s, self.repo_name) is not False]
            if guard is not None and not runs_in:
                # Keep what it would run on elsewhere (a guard naming another repository).
                runs_in = [s for s in scenarios if self.holds(guard, s, None) is not False]
                active, reason = False, self._inactive_reason(guard, runs_in)
        eval_in = runs_in or scenarios or [_UNKNOWN_SCENARIO]
        matrix = _strategy_matrix(job)

        commands: list[Command] = []
        extends: tuple[str, ...] = ()
        uses = job.get("uses")
        if isinstance(uses, str) and uses.strip():
            target = self._local_target(uses) or uses.strip()
            extends = (target,)
            self.includes.append(target)
            commands.append(Command(text=target, line=_key_line(job, "uses", line), kind="action", inputs=_inputs(job.get("with"))))
        commands.extend(self._steps(job, eval_in))

        environment, environment_line = _environment(job)
        if environment is None and isinstance(uses, str) and extends and extends[0] == uses.strip():
            environment, environment_line = _remote_deploy_environment(job, uses.strip(), line)
        matrix_environments: tuple[str, ...] = ()
        if environment and "${{" in environment:
            found = _template_candidates(environment, matrix, _merge_candidates(eval_in))
            if found and found[0]:
                values, kinds = found
                if kinds <= {"caller"} and len(values) == 1:
                    environment = values[0]
                else:
                    matrix_environments = values

        name = job.get("name")
        return Job(
            id=job_id, line=line, triggers=_job_triggers(runs_in),
            name=_yaml_str(name) if isinstance(name, (str, int, float)) else "",
            manual=bool(runs_in) and all(s.trigger == "manual" for s in runs_in),
            environment=environment, environment_line=environment_line,
            default_branch=any(s.default_branch_push for s in runs_in) if scenarios else None,
            tags_only=bool(runs_in) and all(s.tag for s in runs_in),
            needs=tuple(_patterns(job.get("needs"))), commands=tuple(commands), services=_services(job.get("services")),
            extends=extends, matrix_environments=matrix_environments, active=active, inactive_reason=reason,
            runner=_runner_labels(job.get("runs-on")),
        )

    def _known_env(self, job: Mapping[Any, Any]) -> dict[str, Value]:
        """Literal `env:` of the workflow and job, unless a step may change them (`$GITHUB_ENV`)."""
        steps = job.get("steps")
        if isinstance(steps, list) and any(isinstance(s, dict) and "GITHUB_ENV" in str(s.get("run", "")) for s in steps):
            return {}
        env: dict[str, Value] = {}
        for source in (self.data.get("env"), job.get("env")):
            if isinstance(source, dict):
                for k, v in source.items():
                    env[str(k)] = v if isinstance(v, str) and "${{" not in v else UNKNOWN
        return env

    def _steps(self, job: Mapping[Any, Any], scenarios: Sequence[_Scenario]) -> list[Command]:
        steps = job.get("steps")
        if not isinstance(steps, list):
            return []
        shell = _default_shell(job) or _default_shell(self.data)
        env = self._known_env(job)
        out: list[Command] = []
        for step in steps:
            if not isinstance(step, dict):
                continue
            guard = self.guard(step.get("if"), _key_line(step, "if", getattr(step, "line", 1)))
            step_env = dict(env)
            if isinstance(step.get("env"), dict):
                step_env.update((str(k), UNKNOWN) for k in step["env"])  # not visible to the step's own `if:`
            if guard is not None and all(self.holds(guard, s, self.repo_name, step_env) is False for s in scenarios):
                continue
            if "uses" in step and isinstance(step["uses"], str):
                line = _key_line(step, "uses", getattr(step, "line", 1))
                ref = step["uses"].strip()
                out.append(Command(text=ref, line=line, kind="action", inputs=_inputs(step.get("with"))))
                if ref.startswith("./"):
                    out.extend(self._local_action(ref, line, scenarios, (), 0))
            if "run" in step and step["run"] is not None:
                key_line = _key_line(step, "run", getattr(step, "line", 1))
                finder = _LineFinder(self.file_lines, key_line)
                step_shell = step.get("shell") if isinstance(step.get("shell"), str) else shell
                for text, index, first in split_script(_yaml_str(step["run"]), _continuation_char(step_shell)):
                    out.append(Command(text=text, line=finder.locate(index, first)))
        return out

    def _local_action(self, ref: str, line: int, scenarios: Sequence[_Scenario], seen: tuple[str, ...], depth: int) -> list[Command]:
        """The commands of a local composite action, all located at the `uses:` line that runs it."""
        folder = posixpath.normpath(ref[2:].split("@", 1)[0] or ".")
        if folder.startswith(".."):
            return []
        candidates = [f"{folder}/{n}" if folder != "." else n for n in ("action.yml", "action.yaml")]
        path = next((p for p in candidates if self.ctx.files.exists(p)), None)
        if path is None:
            self.notes.append(f"line {line}: local action `{ref}` has no action.yml in this repository")
            return []
        if path in seen or depth >= _MAX_ACTION_DEPTH:
            return []
        text = self.ctx.files.read_text(path)
        try:
            data = load_lenient(text) if text else None
        except yaml.YAMLError as exc:
            self.notes.append(f"line {line}: local action {path} is not valid YAML ({type(exc).__name__})")
            return []
        runs = data.get("runs") if isinstance(data, dict) else None
        if not isinstance(runs, dict) or str(runs.get("using", "")).lower() != "composite":
            return []
        self.includes.append(path)
        inner = [replace(s, inputs=_Open({})) for s in scenarios]  # `inputs` are the action's, unknown here
        out: list[Command] = []
        steps = runs.get("steps")
        for step in steps if isinstance(steps, list) else []:
            if not isinstance(step, dict):
                continue
            guard = self.guard(step.get("if"), line, record=False)
            if guard is not None and all(self.holds(guard, s, self.repo_name) is False for s in inner):
                continue
            if isinstance(step.get("uses"), str):
                nested = step["uses"].strip()
                out.append(Command(text=nested, line=line, kind="action", inputs=_inputs(step.get("with"))))
                if nested.startswith("./"):
                    out.extend(self._local_action(nested, line, scenarios, (*seen, path), depth + 1))
            if step.get("run") is not None:
                shell = step.get("shell") if isinstance(step.get("shell"), str) else None
                out.extend(Command(text=t, line=line) for t, _, _ in split_script(_yaml_str(step["run"]), _continuation_char(shell)))
        return out


def _short(text: str, limit: int = 120) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _default_shell(mapping: Mapping[Any, Any]) -> str | None:
    defaults = mapping.get("defaults")
    run = defaults.get("run") if isinstance(defaults, dict) else None
    shell = run.get("shell") if isinstance(run, dict) else None
    return shell if isinstance(shell, str) else None


def _strategy_matrix(job: Mapping[Any, Any]) -> Any:
    strategy = job.get("strategy")
    return strategy.get("matrix") if isinstance(strategy, dict) else None


def _environment(job: Mapping[Any, Any]) -> tuple[str | None, int | None]:
    if "environment" not in job:
        return None, None
    value = job["environment"]
    line = _key_line(job, "environment", getattr(job, "line", 1))
    if isinstance(value, dict):
        value = value.get("name")
    if value is None or isinstance(value, (dict, list)):
        return None, None
    name = _yaml_str(value).strip()
    return (name, line) if name else (None, None)


_REMOTE_DEPLOY_WORDS = re.compile(r"(?i)(^|[-_ ./])(deploy(s|ment)?|rollout|promote)($|[-_ ./])")
_ENVIRONMENT_INPUTS = ("environment", "environment_name", "environment-name", "deploy_environment",
                       "deploy-environment", "target_environment", "target-environment", "env")


def _remote_deploy_environment(job: Mapping[Any, Any], uses: str, line: int) -> tuple[str | None, int | None]:
    """The environment a job passes to another repository's deploy workflow (`with: environment:`).

    The called workflow cannot be read here, so its `environment:` is unknown; the input is the
    best evidence of where it deploys. Only for a workflow or job named like a deployment.
    """
    with_ = job.get("with")
    if not isinstance(with_, dict):
        return None, None
    workflow = uses.split("@", 1)[0].rsplit("/", 1)[-1]
    name = job.get("name")
    if not any(_REMOTE_DEPLOY_WORDS.search(t) for t in (workflow, name if isinstance(name, str) else "")):
        return None, None
    for key in _ENVIRONMENT_INPUTS:
        value = with_.get(key)
        if isinstance(value, (str, int, float)) and not isinstance(value, bool) and _yaml_str(value).strip():
            return _yaml_str(value).strip(), _key_line(with_, key, line)
    return None, None


def _services(value: Any) -> tuple[str, ...]:
    if not isinstance(value, dict):
        return ()
    images: list[str] = []
    for service in value.values():
        image = service.get("image") if isinstance(service, dict) else service
        if isinstance(image, str) and image.strip():
            images.append(image.strip())
    return tuple(images)


class GitHubActionsParser(PipelineParser):
    """GitHub Actions workflows: the files directly in `.github/workflows/` (GitHub ignores subfolders)."""

    system = SYSTEM

    def candidates(self, ctx: DetectionContext) -> list[str]:
        return [p for p in ctx.files.paths if _WORKFLOW_PATH.match(p)]

    def parse(self, path: str, text: str, ctx: DetectionContext) -> list[Pipeline]:
        data = load_lenient(text)
        if not isinstance(data, dict) or not isinstance(data.get("jobs"), dict) or not data["jobs"]:
            what = "not a mapping" if not isinstance(data, dict) else "no `jobs` mapping"
            ctx.warn("not-a-workflow", f"{path}: {what}; not a GitHub Actions workflow", path)
            return []
        return [_Workflow(self, path, text, data, ctx).pipeline()]


PARSERS: list[PipelineParser] = [GitHubActionsParser()]
