"""Jenkins: a Jenkinsfile (declarative or scripted Groovy) parsed into the pipeline model.

The file is read with a small Groovy scanner (strings, GStrings, triple-quoted and slashy strings,
comments, nested braces) into calls with their arguments and closures; no line grep. Then:
- `pipeline { triggers { ... } }` and `properties([pipelineTriggers([...])])` give the triggers;
  without them what starts the pipeline is configured on the Jenkins server (`triggers_known=False`);
- every `stage` becomes a Job (nested, parallel and matrix stages flattened; `needs` is the previous
  sequential stage, `stage_index` its depth in that order); a declarative `when {}` or a scripted
  `if (env.BRANCH_NAME == ...)` around stages restricts the branches, tags and change requests it runs for;
- `sh` / `bat` / `powershell` / `pwsh` scripts give one shell Command per logical line, with its line;
  other steps give one `step` Command each (the call as written, on one line);
- an `input` (directive or step) makes the stage, and the later stages it gates, manual.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Union

from collectors.pipelines.interface import PipelineParser
from collectors.pipelines.model import Command, Job, Pipeline
from collectors.pipelines.tristate import Tri, and3, not3, or3

if TYPE_CHECKING:
    from collectors.detectors.interface import DetectionContext

SYSTEM = "jenkins"
FALLBACK_DEFAULT_BRANCH = "main"
NOT_PIPELINE_SUFFIXES = frozenset({
    "old", "bak", "backup", "orig", "disabled", "disable", "off", "sample", "samples", "example", "examples",
    "template", "tmpl", "tpl", "dist", "unused", "deprecated", "save", "swp", "tmp", "draft",
    "txt", "md", "rst", "adoc", "html", "yml", "yaml", "json", "xml", "properties", "sh", "py", "log",
})
"""`Jenkinsfile.<suffix>` files that are dead or documentation copies, or not Groovy at all."""


# --------------------------------------------------------------------------------------------
# Groovy scanner
# --------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class _Token:
    kind: str
    """`id`, `str`, `num`, `op` or `nl`."""
    text: str
    start: int
    end: int
    line: int
    value: str = ""
    """String content between the delimiters (escapes kept)."""
    quote: str = ""
    """String delimiter: `'`, `"`, `'''`, `\"\"\"`, `/` or `$/`."""


_OPERATORS = sorted([
    "==~", "=~", "==", "!=", "<=", ">=", "&&", "||", "?.", "*.", ".&", "->", "++", "--", "<<", ">>", "+=", "-=",
    "*=", "/=", "?:", "..", "<=>", "**",
], key=len, reverse=True)
_SLASHY_AFTER = frozenset({"(", ",", "=", "==~", "=~", "~", ":", "[", "{", "!", "&&", "||", "?", "==", "!=", "return"})


_IDENTIFIER = re.compile(r"[\w$]+")
_NUMBER = re.compile(r"\d[\w.]*")


class GroovySyntaxError(ValueError):
    """The Jenkinsfile cannot be read (unbalanced braces, unterminated string or comment)."""


def _tokenize(src: str) -> list[_Token]:
    tokens: list[_Token] = []
    i, line, n = 0, 1, len(src)
    prev: _Token | None = None
    if src.startswith("#!"):  # shebang
        i = src.find("\n") if "\n" in src else n

    def add(tok: _Token) -> None:
        nonlocal prev
        tokens.append(tok)
        if tok.kind != "nl":
            prev = tok

    while i < n:
        c = src[i]
        if c == "\n":
            add(_Token("nl", "\n", i, i + 1, line))
            line += 1
            i += 1
        elif c in " \t\r\f":
            i += 1
        elif c == "\\" and src.startswith("\n", i + 1):
            i += 2
            line += 1
        elif src.startswith("//", i):
            end = src.find("\n", i)
            i = n if end < 0 else end
        elif src.startswith("/*", i):
            end = src.find("*/", i + 2)
            if end < 0:
                raise GroovySyntaxError(f"unterminated comment at line {line}")
            line += src.count("\n", i, end)
            i = end + 2
        elif src.startswith(("'''", '"""'), i):
            quote = src[i:i + 3]
            end = _string_end(src, i + 3, quote, line)
            add(_Token("str", src[i:end + 3], i, end + 3, line, src[i + 3:end], quote))
            line += src.count("\n", i, end + 3)
            i = end + 3
        elif c in "'\"":
            end = _string_end(src, i + 1, c, line)
            if "\n" in src[i:end]:
                raise GroovySyntaxError(f"unterminated string at line {line}")
            add(_Token("str", src[i:end + 1], i, end + 1, line, src[i + 1:end], c))
            i = end + 1
        elif src.startswith("$/", i):
            end = src.find("/$", i + 2)
            if end < 0:
                raise GroovySyntaxError(f"unterminated dollar-slashy string at line {line}")
            add(_Token("str", src[i:end + 2], i, end + 2, line, src[i + 2:end], "$/"))
            line += src.count("\n", i, end)
            i = end + 2
        elif c == "/" and _slashy_allowed(prev) and i + 1 < n and src[i + 1] not in "/*= \n":
            end = _string_end(src, i + 1, "/", line)
            add(_Token("str", src[i:end + 1], i, end + 1, line, src[i + 1:end], "/"))
            line += src.count("\n", i, end)
            i = end + 1
        elif c.isalpha() or c in "_$":
            m = _IDENTIFIER.match(src, i)
            assert m is not None
            add(_Token("id", m.group(0), i, m.end(), line))
            i = m.end()
        elif c.isdigit():
            m = _NUMBER.match(src, i)
            assert m is not None
            add(_Token("num", m.group(0), i, m.end(), line))
            i = m.end()
        else:
            op = next((o for o in _OPERATORS if src.startswith(o, i)), c)
            add(_Token("op", op, i, i + len(op), line))
            i += len(op)
    return tokens


def _slashy_allowed(prev: _Token | None) -> bool:
    if prev is None:
        return True
    return (prev.kind == "op" and prev.text in _SLASHY_AFTER) or (prev.kind == "id" and prev.text == "return")


def _string_end(src: str, i: int, quote: str, line: int) -> int:
    """Offset of the closing `quote` (escapes and `${...}` in double-quoted strings skipped)."""
    n = len(src)
    interpolates = quote.startswith('"')
    while i < n:
        if src[i] == "\\":
            i += 2
            continue
        if interpolates and src.startswith("${", i):
            i = _interpolation_end(src, i + 2, line)
            continue
        if src.startswith(quote, i):
            return i
        if len(quote) == 1 and quote != "/" and src[i] == "\n":
            break
        i += 1
    raise GroovySyntaxError(f"unterminated string at line {line}")


def _interpolation_end(src: str, i: int, line: int) -> int:
    depth = 1
    while i < len(src):
        c = src[i]
        if c in "'\"":
            i = _string_end(src, i + 1, c, line) + 1
            continue
        if c == "{":
            depth += 1
        elif c == "}":
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1
    raise GroovySyntaxError(f"unterminated ${{...}} at line {line}")


# --------------------------------------------------------------------------------------------
# Groovy structure: statements of terms (strings, calls, lists, closures, other code)
# --------------------------------------------------------------------------------------------

@dataclass
class _Str:
    value: str
    quote: str
    line: int
    start: int
    end: int


@dataclass
class _Arg:
    name: str | None
    value: _Term


@dataclass
class _Call:
    name: str
    """Dotted name as written, e.g. `sh`, `docker.build`."""
    args: list[_Arg]
    closure: list[list[_Term]] | None
    line: int
    start: int
    head_end: int
    """End of the call without its closure (after the last chained call's arguments)."""
    chain: list[_Call] = field(default_factory=list)
    """Calls chained on the result: `docker.build(x).push()`."""

    def positional(self, index: int = 0) -> _Term | None:
        values = [a.value for a in self.args if a.name is None]
        return values[index] if index < len(values) else None

    def named(self, name: str) -> _Term | None:
        return next((a.value for a in self.args if a.name == name), None)

    @property
    def base(self) -> str:
        """The name without a `steps.` / `this.` receiver."""
        for prefix in ("steps.", "this.", "script."):
            if self.name.startswith(prefix):
                return self.name[len(prefix):]
        return self.name


@dataclass
class _List:
    items: list[_Arg]
    """Entries; map entries have a name."""


@dataclass
class _Closure:
    body: list[list[_Term]]
    line: int


@dataclass
class _Raw:
    text: str
    items: list[_Term]
    line: int


_Term = Union[_Str, _Call, _List, _Closure, _Raw]  # noqa: UP007 - used at runtime in dataclass fields
_Statement = list[_Term]

KEYWORDS = frozenset({
    "def", "return", "if", "else", "for", "while", "switch", "case", "default", "try", "catch", "finally", "new",
    "import", "throw", "in", "instanceof", "as", "true", "false", "null", "this", "super", "final", "static",
    "void", "package", "class", "break", "continue", "assert", "private", "public", "protected", "var",
})
_CONTINUE_AFTER = frozenset({
    ",", "+", "-", "*", "/", "&&", "||", "=", "==", "!=", "?", ":", ".", "?.", "->", "+=", "-=", "<<", "==~",
    "=~", "!", "(", "[", "?:", "<", ">", "<=", ">=",
})
_CONTINUE_BEFORE = frozenset({".", "?.", "&&", "||", "?", ":", "?:"})


def _command_may_follow(terms: _Statement) -> bool:
    """A command call (`sh 'x'`) can start here: at the start of a statement, after a `case x:` label,
    a closure's `->`, an `else`, an assignment (`def ok = input message: 'Go?'`) or a brace-less `if (...)`."""
    if not terms:
        return True
    last = terms[-1]
    if isinstance(last, _Raw):
        return last.text in (":", "->", "else", "=")
    return isinstance(last, _Call) and last.name in ("if", "for", "while") and last.closure is None


class _Parser:
    def __init__(self, src: str) -> None:
        self.src = src
        self.tokens = _tokenize(src)
        self.pos = 0

    def parse(self) -> list[_Statement]:
        return self._block(closing=None)

    # -- helpers --------------------------------------------------------------------------------

    def _peek(self, offset: int = 0) -> _Token | None:
        index = self.pos + offset
        return self.tokens[index] if index < len(self.tokens) else None

    def _take(self) -> _Token:
        tok = self._peek()
        if tok is None:
            raise GroovySyntaxError("unexpected end of file")
        self.pos += 1
        return tok

    def _is(self, tok: _Token | None, *texts: str) -> bool:
        return tok is not None and tok.kind == "op" and tok.text in texts

    def _skip_newlines(self) -> None:
        while (tok := self._peek()) is not None and tok.kind == "nl":
            self.pos += 1

    def _next_significant(self) -> _Token | None:
        offset = 0
        while (tok := self._peek(offset)) is not None and tok.kind == "nl":
            offset += 1
        return tok

    # -- blocks and statements ------------------------------------------------------------------

    def _block(self, closing: str | None) -> list[_Statement]:
        statements: list[_Statement] = []
        while True:
            tok = self._peek()
            if tok is None:
                if closing:
                    raise GroovySyntaxError(f"missing {closing} at end of file")
                return statements
            if tok.kind == "nl" or self._is(tok, ";"):
                self.pos += 1
            elif self._is(tok, "}"):
                if closing != "}":
                    raise GroovySyntaxError(f"unbalanced }} at line {tok.line}")
                self.pos += 1
                return statements
            else:
                statement = self._statement()
                if statement:
                    statements.append(statement)

    def _statement(self) -> _Statement:
        terms: _Statement = []
        while (tok := self._peek()) is not None:
            if tok.kind == "nl":
                if self._continues():
                    self.pos += 1
                    continue
                break
            if self._is(tok, ";", "}"):
                break
            if self._is(tok, ")", "]"):
                raise GroovySyntaxError(f"unbalanced {tok.text} at line {tok.line}")
            terms.append(self._term(command_ok=_command_may_follow(terms)))
        return terms

    def _continues(self) -> bool:
        before = self.tokens[self.pos - 1] if self.pos else None
        if before is not None and before.kind == "op" and before.text in _CONTINUE_AFTER:
            return True
        after = self._next_significant()
        if after is not None and after.kind == "id" and after.text == "else":
            return True
        return after is not None and after.kind == "op" and after.text in _CONTINUE_BEFORE

    # -- terms ----------------------------------------------------------------------------------

    def _term(self, *, command_ok: bool) -> _Term:
        tok = self._take()
        if tok.kind == "str":
            term: _Term = _Str(tok.value, tok.quote, tok.line, tok.start, tok.end)
            self._skip_chain()
            return term
        if tok.kind == "id":
            return self._identifier(tok, command_ok=command_ok)
        if self._is(tok, "["):
            return _List(self._arguments("]"))
        if self._is(tok, "{"):
            return _Closure(self._block("}"), tok.line)
        if self._is(tok, "("):
            args = self._arguments(")")
            return _Raw(self.src[tok.start:self.tokens[self.pos - 1].end], [a.value for a in args], tok.line)
        return _Raw(tok.text, [], tok.line)

    def _skip_chain(self) -> None:
        """Method calls on a string (`'''...'''.stripIndent()`) are not steps."""
        while self._is(self._peek(), ".", "?.") and (nxt := self._peek(1)) is not None and nxt.kind == "id":
            self.pos += 2
            if self._is(self._peek(), "("):
                self.pos += 1
                self._arguments(")")

    def _identifier(self, first: _Token, *, command_ok: bool) -> _Term:
        parts = [first.text]
        while self._is(self._peek(), ".", "?.") and (nxt := self._peek(1)) is not None and nxt.kind == "id":
            parts.append(nxt.text)
            self.pos += 2
        name = ".".join(parts)
        nxt = self._peek()
        if self._is(nxt, "("):
            self.pos += 1
            args = self._arguments(")")
            head_end = self.tokens[self.pos - 1].end
            call = _Call(name, args, None, first.line, first.start, head_end)
            call.closure = self._trailing_closure()
            self._chain(call)
            return call
        if self._is(nxt, "{") and first.text not in ("return", "new", "in", "as", "def"):
            head_end = self.tokens[self.pos - 1].end
            call = _Call(name, [], None, first.line, first.start, head_end)
            call.closure = self._trailing_closure()
            self._chain(call)
            return call
        if command_ok and name not in KEYWORDS and self._starts_argument(nxt):
            args = self._command_arguments()
            head_end = self.tokens[self.pos - 1].end
            return _Call(name, args, None, first.line, first.start, head_end)
        return _Raw(name, [], first.line)

    def _trailing_closure(self) -> list[_Statement] | None:
        nxt = self._next_significant()
        if self._is(nxt, "{"):
            self._skip_newlines()
            self.pos += 1
            return self._block("}")
        return None

    def _chain(self, call: _Call) -> None:
        while self._is(self._peek(), ".", "?.") and (nxt := self._peek(1)) is not None and nxt.kind == "id":
            self.pos += 2
            if self._is(self._peek(), "("):
                self.pos += 1
                args = self._arguments(")")
                chained = _Call(nxt.text, args, None, nxt.line, nxt.start, self.tokens[self.pos - 1].end)
                chained.closure = self._trailing_closure()
                call.chain.append(chained)
                call.head_end = chained.head_end
            elif self._is(self._peek(), "{"):
                chained = _Call(nxt.text, [], None, nxt.line, nxt.start, nxt.end)
                chained.closure = self._trailing_closure()
                call.chain.append(chained)

    def _starts_argument(self, tok: _Token | None) -> bool:
        if tok is None or tok.kind == "nl":
            return False
        if tok.kind in ("str", "num"):
            return True
        if tok.kind == "id":
            after = self._peek(1)
            # `agent any`, `input message: 'x'`; not `x = 1`, `a.b`, `x == y`, `x in y`
            return tok.text not in ("in", "instanceof", "as") and (
                after is None or after.kind in ("nl", "str", "id", "num")
                or self._is(after, ":", ",", ";", "}", "(", "{", ".", "?."))
        if self._is(tok, "["):
            return tok.start > self.tokens[self.pos - 1].end  # `foo [a]` is an argument, `foo[a]` indexing
        return self._is(tok, "-", "!")

    def _command_arguments(self) -> list[_Arg]:
        args: list[_Arg] = []
        while True:
            args.append(self._argument(stops=(",", ";", "}")))
            if self._is(self._peek(), ","):
                self.pos += 1
                self._skip_newlines()
                continue
            return args

    def _arguments(self, closing: str) -> list[_Arg]:
        args: list[_Arg] = []
        while True:
            self._skip_newlines()
            tok = self._peek()
            if tok is None:
                raise GroovySyntaxError(f"missing {closing} at end of file")
            if self._is(tok, closing):
                self.pos += 1
                return args
            if self._is(tok, ":") and closing == "]" and self._is(self._peek(1), "]"):  # [:]
                self.pos += 2
                return args
            before = self.pos
            args.append(self._argument(stops=(",", closing), inside=True))
            if self.pos == before:
                raise GroovySyntaxError(f"unexpected {tok.text} at line {tok.line}")
            self._skip_newlines()
            if self._is(self._peek(), ","):
                self.pos += 1

    def _argument(self, stops: tuple[str, ...], inside: bool = False) -> _Arg:
        name: str | None = None
        tok, after = self._peek(), self._peek(1)
        if tok is not None and tok.kind in ("id", "str") and self._is(after, ":"):
            name = tok.value if tok.kind == "str" else tok.text
            self.pos += 2
        start_tok = self._peek()
        terms: list[_Term] = []
        while (tok := self._peek()) is not None:
            if tok.kind == "nl":
                if inside or self._continues():
                    self.pos += 1
                    continue
                break
            if self._is(tok, *stops) or self._is(tok, ")", "]", "}"):
                break
            terms.append(self._term(command_ok=False))
        if len(terms) == 1:
            return _Arg(name, terms[0])
        start = start_tok.start if start_tok is not None else 0
        end = self.tokens[self.pos - 1].end if self.pos else start
        line = start_tok.line if start_tok is not None else 1
        return _Arg(name, _Raw(self.src[start:end], terms, line))


# --------------------------------------------------------------------------------------------
# Conditions: declarative `when {}` and scripted `if (env.BRANCH_NAME == ...)`
# --------------------------------------------------------------------------------------------

REFS = ("default", "branch", "tag", "change")
"""What a build is for: the default branch, another branch, a tag, a change request (PR/MR)."""




@dataclass(frozen=True)
class _Cond:
    kind: str
    """`branch`, `tag`, `change`, `trigger`, `not`, `all`, `any`, `unknown`."""
    pattern: str | None = None
    comparator: str = "GLOB"
    children: tuple[_Cond, ...] = ()
    trigger: str | None = None
    text: str = ""


UNKNOWN_COND = _Cond("unknown")
CAUSE_TRIGGERS = {
    "TimerTrigger": "schedule", "TimerTriggerCause": "schedule", "SCMTrigger": "poll", "SCMTriggerCause": "poll",
    "UserIdCause": "manual", "UserCause": "manual", "UpstreamCause": "upstream", "BuildUpstreamCause": "upstream",
    "GitHubPushCause": "push", "BranchEventCause": "push", "BranchIndexingCause": "push",
    "GitLabWebHookCause": "push", "RemoteCause": "api", "GenericCause": "push",
}


def _glob_regex(pattern: str) -> str:
    out = []
    for token in re.findall(r"\*\*|\*|\?|[^*?]+", pattern):
        out.append({"**": ".*", "*": "[^/]*", "?": "[^/]"}.get(token) or re.escape(token))
    return "".join(out)


def _name_matches(pattern: str, comparator: str, name: str) -> bool:
    comparator = comparator.upper()
    if comparator == "EQUALS":
        return pattern == name
    try:
        rx = pattern if comparator == "REGEXP" else _glob_regex(pattern)
        return re.fullmatch(rx, name) is not None
    except re.error:
        return False


def _is_literal(pattern: str, comparator: str) -> bool:
    return comparator.upper() == "EQUALS" or (comparator.upper() == "GLOB" and not re.search(r"[*?]", pattern)) or (
        comparator.upper() == "REGEXP" and re.fullmatch(r"[\w./-]+", pattern) is not None)


def _evaluate(cond: _Cond, trigger: str | None, ref: str, default_branch: str) -> Tri:
    if cond.kind == "all":
        return and3([_evaluate(c, trigger, ref, default_branch) for c in cond.children])
    if cond.kind == "any":
        return or3([_evaluate(c, trigger, ref, default_branch) for c in cond.children])
    if cond.kind == "not":
        return not3(and3([_evaluate(c, trigger, ref, default_branch) for c in cond.children]))
    if cond.kind == "branch":
        pattern = cond.pattern or ""
        if ref == "default":
            return _name_matches(pattern, cond.comparator, default_branch)
        if ref == "branch":
            return False if _is_literal(pattern, cond.comparator) and pattern == default_branch else None
        if ref == "change":
            return _name_matches(pattern, cond.comparator, "PR-1") or None if "PR" in pattern else False
        return False
    if cond.kind == "tag":
        if ref != "tag":
            return False
        return True if not cond.pattern else None
    if cond.kind == "change":
        if ref != "change":
            return False
        return True if not cond.pattern else None
    if cond.kind == "trigger":
        return None if trigger is None else trigger == cond.trigger
    return None


def _text(term: _Term | None) -> str | None:
    """The literal text of a string term (GString content kept as written)."""
    return term.value if isinstance(term, _Str) else None


def _when_conditions(body: list[_Statement], src: str) -> list[_Cond]:
    conds: list[_Cond] = []
    for statement in body:
        for term in statement:
            if isinstance(term, _Call):
                cond = _when_condition(term, src)
                if cond is not None:
                    conds.append(cond)
    return conds


def _when_condition(call: _Call, src: str) -> _Cond | None:
    name = call.name
    if name in ("beforeAgent", "beforeInput", "beforeOptions"):
        return None
    if name == "branch":
        pattern = _text(call.named("pattern")) or _text(call.positional())
        return _Cond("branch", pattern, _text(call.named("comparator")) or "GLOB") if pattern else UNKNOWN_COND
    if name == "buildingTag":
        return _Cond("tag")
    if name == "tag":
        pattern = _text(call.named("pattern")) or _text(call.positional())
        return _Cond("tag", pattern, _text(call.named("comparator")) or "GLOB")
    if name == "changeRequest":
        return _Cond("change", "filtered" if call.args else None)
    if name == "triggeredBy":
        cause = _text(call.named("cause")) or _text(call.positional()) or ""
        trigger = CAUSE_TRIGGERS.get(cause.rsplit(".", 1)[-1].split("$")[-1])
        return _Cond("trigger", trigger=trigger) if trigger else UNKNOWN_COND
    if name in ("not", "allOf", "anyOf"):
        children = tuple(_when_conditions(call.closure or [], src))
        return _Cond({"not": "not", "allOf": "all", "anyOf": "any"}[name], children=children)
    if name == "expression":
        body = call.closure or []
        texts = [_statement_text(s, src) for s in body]
        return _text_condition(" ".join(t.removeprefix("return ").strip() for t in texts if t))
    return _Cond("unknown", text=name)


def _statement_text(statement: _Statement, src: str) -> str:
    return " ".join(_term_text(t, src) for t in statement)


def _term_text(term: _Term, src: str) -> str:
    """Source-like text of a term (strings re-quoted with `'`, for `_text_condition`)."""
    if isinstance(term, _Str):
        return f"'{term.value}'" if term.quote != "/" else f"/{term.value}/"
    if isinstance(term, _Raw):
        return term.text
    if isinstance(term, _Call):
        return " ".join(src[term.start:term.head_end].split())
    return ""


_BRANCH_VAR = r"(?:env\.)?(?:BRANCH_NAME|GIT_BRANCH)"
_ATOMS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(rf"^{_BRANCH_VAR}\s*(==|!=)\s*['\"]([^'\"$]+)['\"]$"), "branch-eq"),
    (re.compile(rf"^['\"]([^'\"$]+)['\"]\s*(==|!=)\s*{_BRANCH_VAR}$"), "branch-eq-rev"),
    (re.compile(rf"^{_BRANCH_VAR}\s*(==~|=~)\s*/(.+)/$"), "branch-re"),
    (re.compile(rf"^{_BRANCH_VAR}\.startsWith\(\s*['\"]([^'\"$]+)['\"]\s*\)$"), "branch-prefix"),
    (re.compile(r"^(!?)\s*(?:env\.)?TAG_NAME(?:\s*(!=|==)\s*null)?$"), "tag"),
    (re.compile(r"^(!?)\s*(?:env\.)?CHANGE_ID(?:\s*(!=|==)\s*null)?$"), "change"),
    (re.compile(r"^(!?)\s*buildingTag\(\)$"), "tag-call"),
)


def _text_condition(text: str) -> _Cond:
    """A scripted condition read from its text: branch / tag / change-request tests joined by && or ||."""
    text = text.strip()
    while text.startswith("(") and text.endswith(")") and _balanced(text[1:-1]):
        text = text[1:-1].strip()
    if "||" in text and _balanced_split(text, "||"):
        return _Cond("any", children=tuple(_text_condition(p) for p in _balanced_split(text, "||")))
    if "&&" in text and _balanced_split(text, "&&"):
        return _Cond("all", children=tuple(_text_condition(p) for p in _balanced_split(text, "&&")))
    if text.startswith("!(") and text.endswith(")") and _balanced(text[2:-1]):
        return _Cond("not", children=(_text_condition(text[2:-1]),))
    for rx, kind in _ATOMS:
        m = rx.match(text)
        if not m:
            continue
        if kind == "branch-eq":
            cond = _Cond("branch", m.group(2).removeprefix("origin/"), "EQUALS")
            return cond if m.group(1) == "==" else _Cond("not", children=(cond,))
        if kind == "branch-eq-rev":
            cond = _Cond("branch", m.group(1).removeprefix("origin/"), "EQUALS")
            return cond if m.group(2) == "==" else _Cond("not", children=(cond,))
        if kind == "branch-re":
            return _Cond("branch", m.group(2), "REGEXP")
        if kind == "branch-prefix":
            return _Cond("branch", re.escape(m.group(1)) + ".*", "REGEXP")
        base = _Cond("tag") if kind in ("tag", "tag-call") else _Cond("change")
        negated = m.group(1) == "!" or (kind != "tag-call" and m.group(2) == "==")
        return _Cond("not", children=(base,)) if negated else base
    return _Cond("unknown", text=text)


def _balanced(text: str) -> bool:
    depth = 0
    for c in text:
        depth += {"(": 1, ")": -1}.get(c, 0)
        if depth < 0:
            return False
    return depth == 0


def _balanced_split(text: str, sep: str) -> list[str]:
    """`text` split on `sep` outside parentheses (empty when `sep` only occurs inside them)."""
    parts, depth, start, i = [], 0, 0, 0
    while i < len(text):
        c = text[i]
        depth += {"(": 1, ")": -1}.get(c, 0)
        if depth == 0 and text.startswith(sep, i):
            parts.append(text[start:i])
            start = i + len(sep)
            i += len(sep)
            continue
        i += 1
    if not parts:
        return []
    parts.append(text[start:])
    return [p.strip() for p in parts]


# --------------------------------------------------------------------------------------------
# Walking the pipeline: triggers, stages, commands
# --------------------------------------------------------------------------------------------

SHELL_STEPS = frozenset({"sh", "bat", "powershell", "pwsh"})
TRANSPARENT = frozenset({
    "pipeline", "node", "steps", "script", "dir", "ws", "timeout", "retry", "timestamps", "ansiColor", "withEnv",
    "catchError", "warnError", "lock", "waitUntil", "container", "wrap", "properties", "stages",
    "always", "success", "failure", "unstable", "changed", "fixed", "regression", "aborted", "cleanup",
    "unsuccessful", "else", "try", "catch", "finally", "for", "while", "switch", "each", "eachWithIndex",
    "collect", "findAll", "find", "with", "tap", "forEach", "call", "skipDefaultCheckout", "label",
})
"""Calls that only structure the pipeline: their closures are walked, they are not steps."""
NOT_STEPS = frozenset({
    "println", "print", "echo", "error", "sleep", "readFile", "writeFile", "fileExists", "readJSON", "readYaml",
    "readProperties", "writeJSON", "writeYaml", "isUnix", "pwd", "deleteDir", "cleanWs", "stash", "unstash",
    "agent", "environment", "options", "tools", "parameters", "axes", "excludes", "currentBuild", "return",
    "def", "string", "booleanParam", "choice", "text", "password", "usernamePassword", "sshUserPrivateKey",
    "file", "certificate", "usernameColonPassword", "buildDiscarder", "logRotator", "disableConcurrentBuilds",
    "format", "toString", "trim", "split", "contains", "startsWith", "endsWith", "equals", "size", "matches",
})
"""Calls that are neither structure nor evidence of what the pipeline does."""
SKIPPED_DIRECTIVES = frozenset({"environment", "options", "agent", "tools", "parameters", "axes", "axis", "excludes", "exclude"})
"""Declarative directives whose content is configuration, not steps (`environment {}` are variables)."""
DOTTED_STEP_ROOTS = frozenset({"docker", "kubernetes", "openshift", "helm", "podman"})
NOT_STEP_RECEIVERS = frozenset({
    "env", "params", "currentBuild", "scm", "System", "Math", "String", "Integer", "Long", "Boolean", "Double",
    "JsonOutput", "JsonSlurper", "Date", "Thread", "manager", "pullRequest",
})
NOT_STEP_METHODS = frozenset({
    "add", "addAll", "put", "putAll", "remove", "removeAll", "each", "eachWithIndex", "collect", "collectEntries",
    "findAll", "find", "any", "every", "contains", "containsKey", "get", "set", "split", "tokenize", "trim",
    "replace", "replaceAll", "toString", "size", "join", "values", "keySet", "entrySet", "combinations",
    "capitalize", "toLowerCase", "toUpperCase", "startsWith", "endsWith", "equals", "matches", "format", "sort",
    "unique", "plus", "minus", "append", "println", "print", "substring", "indexOf", "take", "drop", "first", "last",
})
DOTTED_STEP_METHODS = frozenset({
    "push", "deploy", "build", "run", "inside", "withRun", "withRegistry", "withServer", "publish", "upload",
})
PUSH_TRIGGERS = frozenset({
    "githubPush", "bitbucketPush", "GenericTrigger", "gitea", "giteaPush", "gogsPush", "bitbucketServerPush",
})
PULL_REQUEST_TRIGGERS = frozenset({"githubPullRequests", "ghprbTrigger", "githubPullRequest", "bitbucketPullRequest"})
CLASS_TRIGGERS = {
    "SCMTrigger": "poll", "TimerTrigger": "schedule", "GitHubPushTrigger": "push", "ReverseBuildTrigger": "upstream",
    "GhprbTrigger": "pull_request", "BitBucketTrigger": "push", "GenericTrigger": "push",
}


@dataclass
class _Stage:
    name: str
    line: int
    conds: list[_Cond]
    commands: list[Command] = field(default_factory=list)
    manual: bool = False
    input_line: int | None = None
    body: list[_Item] = field(default_factory=list)


@dataclass
class _Parallel:
    branches: list[list[_Item]]


_Item = Union[_Stage, _Parallel]  # noqa: UP007


@dataclass
class _Walk:
    """What the walk found."""

    src: str
    items: list[_Item] = field(default_factory=list)
    loose: list[Command] = field(default_factory=list)
    post: list[Command] = field(default_factory=list)
    loose_manual: bool = False
    triggers: dict[str, int] = field(default_factory=dict)
    trigger_blocks: int = 0
    """`triggers {}` blocks and `pipelineTriggers([...])` calls found."""
    unknown_triggers: int = 0
    """Trigger calls in them this parser does not know."""
    trigger_block_line: int | None = None
    pipeline_line: int | None = None
    includes: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    functions: dict[str, list[_Statement]] = field(default_factory=dict)


@dataclass(frozen=True)
class _Where:
    """Where the walk is: the stage collecting commands (None: outside stages), the list new stages
    go to, the scripted conditions around, and whether the walk is inside a pipeline-level `post`."""

    stage: _Stage | None
    items: list[_Item]
    conds: tuple[_Cond, ...] = ()
    post: bool = False
    calling: tuple[str, ...] = ()


class _Walker:
    def __init__(self, src: str) -> None:
        self.found = _Walk(src)

    # -- statements -----------------------------------------------------------------------------

    def collect_functions(self, body: list[_Statement]) -> None:
        """Functions defined at the top of the file (`def deploy(env) { ... }`), inlined where called."""
        for statement in body:
            definition = _function_definition(statement)
            if definition is not None:
                self.found.functions[definition.name] = definition.closure or []

    def statements(self, body: list[_Statement], where: _Where) -> None:
        scripted_stage: _Stage | None = None
        for statement in body:
            if _function_definition(statement) is not None:
                continue
            where_now = replace(where, stage=scripted_stage) if scripted_stage is not None else where
            started = self.statement(statement, where_now)
            if started is not None:
                scripted_stage = started

    def statement(self, statement: _Statement, where: _Where) -> _Stage | None:
        """Walk one statement; returns the stage an old-style `stage 'name'` (no closure) starts."""
        negations: list[_Cond] = []
        started: _Stage | None = None
        previous: _Term | None = None
        for term in statement:
            if isinstance(term, _Call) and term.name == "if":
                cond = _text_condition(_args_text(self.found.src, term))
                for arg in term.args:  # `if (sh(returnStatus: true, script: '...') == 0)`
                    self.term(arg.value, where, top=False)
                inner = replace(where, conds=(*where.conds, *negations, cond))
                self.statements(term.closure or [], inner)
                negations.append(_Cond("not", children=(cond,)))
                continue
            if isinstance(term, _Call) and term.name == "else":
                inner = replace(where, conds=(*where.conds, *negations))
                self.statements(term.closure or [], inner)
                negations = []
                continue
            if isinstance(term, _Raw) and term.text == "else":
                continue
            negations = []
            after_new = isinstance(previous, _Raw) and previous.text == "new"
            previous = term
            result = self.term(term, where, top=not after_new)
            if result is not None:
                started = result
        return started

    def term(self, term: _Term, where: _Where, *, top: bool) -> _Stage | None:
        if isinstance(term, _Call):
            return self.call(term, where, top=top)
        if isinstance(term, _Closure):
            self.statements(term.body, where)
        elif isinstance(term, _List):
            for arg in term.items:
                self.term(arg.value, where, top=False)
        elif isinstance(term, _Raw):
            for item in term.items:
                self.term(item, where, top=False)
        return None

    # -- calls ----------------------------------------------------------------------------------

    def call(self, call: _Call, where: _Where, *, top: bool) -> _Stage | None:
        name = call.base
        if name == "stage":
            return self._stage(call, where)
        if name == "pipeline" and call.closure is not None:
            self.found.pipeline_line = self.found.pipeline_line or call.line
        if name == "parallel":
            self._parallel(call, where)
            return None
        if name == "matrix":
            branch: list[_Item] = []
            self.statements(call.closure or [], replace(where, items=branch))
            where.items.append(_Parallel([branch]))
            return None
        if name == "triggers" and call.closure is not None:
            self._trigger_block(call)
            return None
        if name == "pipelineTriggers":
            self._pipeline_triggers(call)
            return None
        if name in ("Library", "library", "libraries", "lib"):
            self._library(call, where)
            return None
        if name == "when" and call.closure is not None:
            if where.stage is not None:
                where.stage.conds.extend(_when_conditions(call.closure, self.found.src))
            return None
        if name == "input":
            self._input(call, where)
            return None
        if name == "post" and call.closure is not None:
            post_where = where if where.stage is not None else replace(where, post=True)
            self.statements(call.closure, post_where)
            return None
        if name in SHELL_STEPS:
            self._emit(where, *_shell_commands(self.found.src, call))
        elif name in self.found.functions and name not in where.calling:
            if top:
                self._emit(where, self._step(call))
            self.statements(self.found.functions[name], replace(where, calling=(*where.calling, name)))
        elif top and self._is_step(call):
            self._emit(where, self._step(call))
        elif name in SKIPPED_DIRECTIVES:
            return None
        for arg in call.args:
            self.term(arg.value, where, top=False)
        if call.closure is not None:
            self.statements(call.closure, where)
        for chained in call.chain:
            if chained.closure is not None:
                self.statements(chained.closure, where)
        return None

    def _is_step(self, call: _Call) -> bool:
        name = call.base
        if name in TRANSPARENT or name in NOT_STEPS or name in KEYWORDS:
            return False
        if "." in name:
            # `infra.runMaven(...)`, `docker.build(...)` are steps; `list.add(x)`, `env.X.split('/')` are not
            root, method = name.split(".", 1)[0], name.rsplit(".", 1)[-1]
            if root in DOTTED_STEP_ROOTS or any(c.name in DOTTED_STEP_METHODS for c in call.chain):
                return True
            return root not in NOT_STEP_RECEIVERS and method not in NOT_STEP_METHODS and not re.match(
                r"(get|set|is|to|has)[A-Z]", method)
        return True

    def _step(self, call: _Call) -> Command:
        text = " ".join(self.found.src[call.start:call.head_end].split())
        inputs = tuple((a.name, a.value.value) for a in call.args if a.name and isinstance(a.value, _Str))
        return Command(text=text, line=call.line, kind="step", inputs=inputs)

    def _emit(self, where: _Where, *commands: Command) -> None:
        if where.stage is not None:
            where.stage.commands.extend(commands)
        elif where.post:
            self.found.post.extend(commands)
        else:
            self.found.loose.extend(commands)

    def _stage(self, call: _Call, where: _Where) -> _Stage | None:
        name = _text(call.positional()) or _text(call.named("name")) or f"stage@{call.line}"
        stage = _Stage(name, call.line, list(where.conds))
        where.items.append(stage)
        if call.closure is None:
            return stage  # old-style `stage 'name'`: the statements after it belong to it
        self.statements(call.closure, replace(where, stage=stage, items=stage.body, conds=()))
        return None

    def _parallel(self, call: _Call, where: _Where) -> None:
        branches: list[list[_Item]] = []
        if call.closure is not None:  # declarative: parallel { stage(...) {...} ... }
            for statement in call.closure:
                branch: list[_Item] = []
                self.statement(statement, replace(where, items=branch))
                branches.append(branch)
        for arg in call.args:  # scripted: parallel(a: {...}, b: {...}) / parallel([a: {...}])
            values = [a.value for a in arg.value.items] if isinstance(arg.value, _List) else [arg.value]
            for value in values:
                branch = []
                self.term(value, replace(where, items=branch), top=False)
                branches.append(branch)
        branches = [b for b in branches if b]
        if branches:
            where.items.append(_Parallel(branches))

    def _input(self, call: _Call, where: _Where) -> None:
        if where.stage is not None:
            where.stage.manual = True
            where.stage.input_line = where.stage.input_line or call.line
        else:
            self.found.loose_manual = True
        self._emit(where, self._step(call))

    def _library(self, call: _Call, where: _Where) -> None:
        if call.name == "libraries":
            self.statements(call.closure or [], where)
            return
        values = [call.named("identifier") or call.positional()]
        if isinstance(values[0], _List):
            values = [a.value for a in values[0].items]
        for value in values:
            text = _text(value)
            if text:
                self.found.includes.append(f"library:{text}")

    # -- triggers -------------------------------------------------------------------------------

    def _trigger_block(self, call: _Call) -> None:
        self.found.trigger_blocks += 1
        self.found.trigger_block_line = self.found.trigger_block_line or call.line
        for statement in call.closure or []:
            for term in statement:
                if isinstance(term, _Call):
                    self._trigger(term)

    def _pipeline_triggers(self, call: _Call) -> None:
        self.found.trigger_blocks += 1
        self.found.trigger_block_line = self.found.trigger_block_line or call.line
        for arg in call.args:
            values = [a.value for a in arg.value.items] if isinstance(arg.value, _List) else [arg.value]
            for value in values:
                if isinstance(value, _Call):
                    self._trigger(value)
                elif isinstance(value, _List):
                    self._class_trigger(value, call.line)

    def _add_trigger(self, trigger: str, line: int) -> None:
        self.found.triggers.setdefault(trigger, line)

    def _trigger(self, call: _Call) -> None:
        name, line, notes = call.name, call.line, self.found.notes
        if name == "pollSCM":
            spec = call.named("scmpoll_spec") or call.positional()
            self._scheduled("poll", "pollSCM", spec, line)
        elif name in ("cron", "parameterizedCron"):
            spec = call.named("spec") or call.named("parameterizedSpecification") or call.positional()
            self._scheduled("schedule", name, spec, line)
        elif name in PUSH_TRIGGERS:
            self._add_trigger("push", line)
        elif name in PULL_REQUEST_TRIGGERS:
            self._add_trigger("pull_request", line)
        elif name == "gitlab":
            if _flag(call.named("triggerOnPush"), default=True):
                self._add_trigger("push", line)
            if _flag(call.named("triggerOnMergeRequest"), default=True):
                self._add_trigger("pull_request", line)
            if _flag(call.named("triggerOnNoteRequest"), default=False):
                self._add_trigger("comment", line)
        elif name == "upstream":
            projects = _text(call.named("upstreamProjects")) or _text(call.positional()) or "?"
            self._add_trigger("upstream", line)
            notes.append(f"upstream {projects}")
        elif name == "issueCommentTrigger":
            self._add_trigger("comment", line)
        else:
            self.found.unknown_triggers += 1
            notes.append(f"trigger {name} at line {line} not understood")

    def _class_trigger(self, entry: _List, line: int) -> None:
        values = {a.name: a.value for a in entry.items if a.name}
        cls = (_text(values.get("$class")) or "").rsplit(".", 1)[-1]
        trigger = CLASS_TRIGGERS.get(cls)
        if trigger in ("poll", "schedule"):
            self._scheduled(trigger, "pollSCM" if trigger == "poll" else "cron",
                            values.get("scmpoll_spec") or values.get("spec"), line)
        elif trigger:
            self._add_trigger(trigger, line)
        else:
            self.found.unknown_triggers += 1
            self.found.notes.append(f"trigger {cls or '?'} at line {line} not understood")

    def _scheduled(self, trigger: str, label: str, spec: _Term | None, line: int) -> None:
        text = _text(spec)
        if text is not None and not text.strip():
            self.found.notes.append(f"{label} with an empty schedule at line {line}: never fires")
            return
        self._add_trigger(trigger, line)
        if text is not None:
            self.found.notes.append(f"{label} {' '.join(text.split())}")
        else:
            shown = spec.text if isinstance(spec, _Raw) else "?"
            self.found.notes.append(f"{label} schedule computed at run time: {' '.join(shown.split())}")


def _function_definition(statement: _Statement) -> _Call | None:
    """`def name(...) { ... }` (or with a return type / modifiers / annotations)."""
    last = statement[-1]
    if (len(statement) >= 2 and isinstance(last, _Call) and last.closure is not None and "." not in last.name
            and last.name not in KEYWORDS
            and all(isinstance(t, _Raw) and re.fullmatch(r"[\w<>\[\],.@ ]+", t.text) for t in statement[:-1])):
        return last
    return None


def _flag(term: _Term | None, *, default: bool) -> bool:
    if isinstance(term, _Raw) and term.text in ("true", "false"):
        return term.text == "true"
    return default


def _args_text(src: str, call: _Call) -> str:
    """The source of a call's parenthesised arguments, without the parentheses."""
    head = src[call.start:call.head_end]
    open_at = head.find("(")
    return head[open_at + 1:-1] if open_at >= 0 and head.endswith(")") else ""


_GROOVY_ESCAPE = re.compile(r"\\([\\'\"$])")


def _shell_commands(src: str, call: _Call) -> list[Command]:
    """One shell Command per logical line of an `sh`/`bat`/`powershell` script."""
    script = call.named("script") or call.positional()
    if isinstance(script, _Str):
        return _script_lines(script.value, script.line)
    if isinstance(script, _Raw):
        joined = _concatenation(src, script)
        if joined is not None:
            return _script_lines(*joined)
        return [Command(text=" ".join(script.text.split()), line=script.line)]
    if script is None:
        return []
    return [Command(text=" ".join(_term_text(script, src).split()), line=call.line)]


def _concatenation(src: str, raw: _Raw) -> tuple[str, int] | None:
    """`"make " + "test " + flags` as one script, other operands shown as `${...}`; None when it is not a concatenation."""
    strings = [t for t in raw.items if isinstance(t, _Str)]
    operators = [t for t in raw.items if isinstance(t, _Raw) and not t.items and not re.fullmatch(r"[\w.]+", t.text)]
    if not strings or any(t.text != "+" for t in operators):
        return None
    parts: list[str] = []
    for term in raw.items:
        if isinstance(term, _Str):
            parts.append(term.value)
        elif isinstance(term, _Call):
            parts.append("${" + " ".join(src[term.start:term.head_end].split()) + "}")
        elif isinstance(term, _Raw) and term.text != "+":
            parts.append("${" + term.text + "}")
    return "".join(parts), strings[0].line


def _script_lines(value: str, first_line: int) -> list[Command]:
    out: list[Command] = []
    pending: list[str] = []
    pending_line = first_line
    for offset, raw in enumerate(value.split("\n")):
        stripped = raw.strip()
        if not pending:
            if not stripped or stripped.startswith("#"):
                continue
            pending_line = first_line + offset
        if stripped.endswith("\\"):
            pending.append(stripped.rstrip("\\").rstrip())
            continue
        pending.append(stripped)
        out.append(Command(text=_GROOVY_ESCAPE.sub(r"\1", " ".join(p for p in pending if p)), line=pending_line))
        pending = []
    if pending:
        out.append(Command(text=_GROOVY_ESCAPE.sub(r"\1", " ".join(p for p in pending if p)), line=pending_line))
    return out


# --------------------------------------------------------------------------------------------
# From the walk to the Pipeline
# --------------------------------------------------------------------------------------------

COMPATIBLE_REFS = {
    "pull_request": ("change",), "comment": ("change",), "tag": ("tag",),
    "push": REFS, "poll": REFS,
}
"""Refs a trigger can build; SCM events (push, poll) can also discover tags and change requests."""
OTHER_TRIGGER_REFS = ("default", "branch")


@dataclass
class _FlatJob:
    stage: _Stage
    id: str
    needs: tuple[str, ...]
    conds: tuple[_Cond, ...]
    manual: bool


def _flatten(items: list[_Item], prev: tuple[str, ...], conds: tuple[_Cond, ...], manual: bool,
             out: list[_FlatJob], used: set[str]) -> tuple[str, ...]:
    for item in items:
        if isinstance(item, _Parallel):
            ends: list[str] = []
            for branch in item.branches:
                ends.extend(_flatten(branch, prev, conds, manual, out, used))
            prev = tuple(dict.fromkeys(ends)) or prev
            continue
        stage_conds = (*conds, *item.conds)
        stage_manual = manual or item.manual
        if item.commands or not item.body:
            job_id = item.name
            suffix = 2
            while job_id in used:
                job_id = f"{item.name} ({suffix})"
                suffix += 1
            used.add(job_id)
            out.append(_FlatJob(item, job_id, prev, stage_conds, stage_manual))
            prev = (job_id,)
        prev = _flatten(item.body, prev, stage_conds, stage_manual, out, used)
    return prev


class _Runs:
    """Which triggers and refs a job runs for, given the pipeline's triggers and the job's conditions."""

    def __init__(self, triggers: frozenset[str], known: bool, default_branch: str) -> None:
        self.triggers = triggers
        self.known = known
        self.default_branch = default_branch

    def contexts(self, conds: tuple[_Cond, ...]) -> dict[tuple[str | None, str], Tri]:
        out: dict[tuple[str | None, str], Tri] = {}
        pool: list[str | None] = list(self.triggers) if self.known else [None]
        for trigger in pool:
            refs = REFS if trigger is None else COMPATIBLE_REFS.get(trigger, OTHER_TRIGGER_REFS)
            for ref in refs:
                value = and3([_evaluate(c, trigger, ref, self.default_branch) for c in conds])
                if value is not False:
                    out[(trigger, ref)] = value
        return out

    @staticmethod
    def job_triggers(contexts: dict[tuple[str | None, str], Tri], conds: tuple[_Cond, ...]) -> frozenset[str]:
        """A trigger runs the job when it builds a branch the job allows. An SCM event (push, poll)
        counts as `tag` / `pull_request` only for a job whose conditions ask for tags / change requests:
        whether the server builds those at all is not in the file."""
        out: set[str] = set()
        for (trigger, ref) in contexts:
            if trigger is None:
                continue
            if trigger not in ("push", "poll") or ref in ("default", "branch"):
                out.add(trigger)
            elif ref == "tag" and _mentions(conds, "tag"):
                out.add("tag")
            elif ref == "change" and _mentions(conds, "change"):
                out.add("pull_request")
        return frozenset(out)


def _mentions(conds: tuple[_Cond, ...], kind: str) -> bool:
    return any(c.kind == kind or _mentions(c.children, kind) for c in conds)


class JenkinsfileParser(PipelineParser):
    system = SYSTEM

    def candidates(self, ctx: DetectionContext) -> list[str]:
        return [p for p in ctx.files.paths if is_jenkinsfile(p.rsplit("/", 1)[-1])]

    def parse(self, path: str, text: str, ctx: DetectionContext) -> list[Pipeline]:
        statements = _Parser(text).parse()
        if not statements:
            raise ValueError(f"{path} is empty")
        walker = _Walker(text)
        walker.collect_functions(statements)
        walker.statements(statements, _Where(None, walker.found.items))
        return [_build(path, walker.found, ctx)]


def is_jenkinsfile(name: str) -> bool:
    """A file name Jenkins would run as a pipeline (not a `.old` / `.bak` / `.example` copy)."""
    if name in ("Jenkinsfile", "Jenkinsfile.groovy") or name.endswith((".Jenkinsfile", ".jenkinsfile")):
        return True
    m = re.fullmatch(r"Jenkinsfile[._-](.+)", name)
    if not m:
        return False
    parts = {p.lower() for p in re.split(r"[._-]", m.group(1)) if p}
    return bool(parts) and not parts & NOT_PIPELINE_SUFFIXES


_MULTIBRANCH_VARS = re.compile(r"\b(?:BRANCH_NAME|BRANCH_IS_PRIMARY|CHANGE_ID|CHANGE_TARGET|CHANGE_BRANCH)\b")
"""Variables that only a multibranch pipeline sets."""


def _build(path: str, found: _Walk, ctx: DetectionContext) -> Pipeline:
    default_branch = ctx.repo.default_branch or FALLBACK_DEFAULT_BRANCH
    notes = list(found.notes)
    # Triggers are known when the file declares them, unless all it declares is something this parser cannot read.
    triggers_known = found.trigger_blocks > 0 and (bool(found.triggers) or not found.unknown_triggers)
    if not triggers_known:
        what = "the triggers in the file are not understood" if found.trigger_blocks else "no triggers in the file"
        notes.append(f"{what}: what starts this pipeline is configured on the Jenkins server "
                     "(job triggers, multibranch webhooks or branch indexing)")
    if ctx.repo.default_branch is None:
        notes.append(f"default branch unknown; taken as {FALLBACK_DEFAULT_BRANCH}")
    flat: list[_FlatJob] = []
    used: set[str] = set()
    _flatten(found.items, (), (), False, flat, used)
    trigger_lines = dict(found.triggers)
    if triggers_known and set(found.triggers) <= {"schedule"} and (
            _MULTIBRANCH_VARS.search(found.src) or any(_mentions(j.conds, k) for j in flat for k in ("branch", "change", "tag"))):
        # A timer in a multibranch pipeline (stages for branches or change requests) adds to the builds Jenkins
        # starts on SCM events; it does not replace them.
        trigger_lines.setdefault("push", found.pipeline_line or 1)
        notes.append("multibranch pipeline (branch / change-request conditions): built on SCM events as well as on its timer")
    pipeline_triggers = frozenset(trigger_lines)
    runs = _Runs(pipeline_triggers, triggers_known, default_branch)
    index: dict[str, int] = {}
    contexts: dict[str, dict[tuple[str | None, str], Tri]] = {}
    manual: dict[str, bool] = {}
    for job in flat:
        index[job.id] = max((index[n] + 1 for n in job.needs if n in index), default=0)
        contexts[job.id] = runs.contexts(job.conds)
        manual[job.id] = job.manual
    _gate_after_input(flat, contexts, manual, notes)

    jobs: list[Job] = []
    unguarded = runs.contexts(())
    if found.loose:
        jobs.append(_job("(outside stages)", found.loose[0].line, found.loose, runs, unguarded, (), found.loose_manual,
                         (), None))
    for job in flat:
        jobs.append(_job(job.id, job.stage.line, job.stage.commands, runs, contexts[job.id], job.conds, manual[job.id],
                         job.needs, index[job.id], name=job.stage.name))
    if found.post:
        last = tuple(j.id for j in flat if not any(j.id in other.needs for other in flat))
        jobs.append(_job("(post)", found.post[0].line, found.post, runs, unguarded, (), False, last,
                         max(index.values(), default=-1) + 1))

    line = found.trigger_block_line or found.pipeline_line or 1
    return Pipeline(
        system=SYSTEM, path=path, triggers=pipeline_triggers, trigger_lines=trigger_lines, jobs=tuple(jobs),
        line=line, triggers_known=triggers_known, includes=tuple(dict.fromkeys(found.includes)),
        stages=tuple(j.stage.name for j in flat), notes=tuple(dict.fromkeys(notes)),
    )


def _gate_after_input(flat: list[_FlatJob], contexts: dict[str, dict[tuple[str | None, str], Tri]],
                      manual: dict[str, bool], notes: list[str]) -> None:
    """A stage after an `input` stage is gated by that person too, when it only runs where the input ran."""
    gates = [j for j in flat if j.manual]
    for job in flat:
        if manual[job.id]:
            continue
        for gate in gates:
            if set(contexts[job.id]) <= set(contexts[gate.id]) and _precedes(gate.id, job.id, flat):
                manual[job.id] = True
                notes.append(f"stage {job.id} waits for the input in stage {gate.id} (line {gate.stage.input_line})")
                break


def _precedes(first: str, later: str, flat: list[_FlatJob]) -> bool:
    """`first` is an ancestor of `later` through needs."""
    needs = {j.id: j.needs for j in flat}
    todo, seen = list(needs.get(later, ())), set()
    while todo:
        current = todo.pop()
        if current == first:
            return True
        if current not in seen:
            seen.add(current)
            todo.extend(needs.get(current, ()))
    return False


def _job(job_id: str, line: int, commands: list[Command], runs: _Runs, contexts: dict[tuple[str | None, str], Tri],
         conds: tuple[_Cond, ...], manual: bool, needs: tuple[str, ...], stage_index: int | None, name: str = "") -> Job:
    refs = {ref for (_, ref) in contexts}
    default_values = [v for (_, ref), v in contexts.items() if ref == "default"]
    if not default_values:
        default_branch: bool | None = False
    elif any(v is True for v in default_values) or runs.known:
        default_branch = True
    else:
        default_branch = None
    return Job(
        id=job_id, line=line, triggers=_Runs.job_triggers(contexts, conds), name=name, manual=manual,
        default_branch=default_branch, tags_only=refs == {"tag"}, needs=needs,
        stage=name or None, stage_index=stage_index, commands=tuple(commands),
    )


PARSERS: list[PipelineParser] = [JenkinsfileParser()]
