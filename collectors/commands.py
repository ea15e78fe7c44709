"""What a CI command does: the command classifier every pipeline detector relies on.

A CI parser hands over each thing a job does as a `Command` (a shell line, an action reference, a
DSL step). `classify` says what it does as `Finding`s: `test`, `deploy`, `publish`, ...

The shell text is parsed, not grepped: it is split into simple commands (on `&&`, `||`, `;`, `|`,
newlines; comments, here-documents and quoting respected, unbalanced quotes tolerated), wrappers
are peeled off (`sudo`, `env`, `poetry run`, `npx`, `python -m`, `docker compose run <svc>`, ...)
and the program and its arguments decide. `echo` and `printf` never count.

Task runners are expanded through the repository's own files, so `make test`, `npm run ci`,
`just lint`, `task e2e`, `tox -e lint`, `nox -s tests`, `./scripts/ci.sh` or `pre-commit run`
say what they really run. Expansion is depth-limited (`MAX_DEPTH`) and cycle-safe, and every
finding's `detail` carries the chain, e.g. `npm run ci -> package.json scripts.ci: jest --coverage`.

Public API:
- `CATEGORIES`, `Finding(category, tool, detail)`
- `CommandClassifier(files)`, with `.classify(command, job=None, cwd=None) -> list[Finding]` (parsed
  repository files and results are cached on the instance)
- `classify(command, files, job=None, cwd=None) -> list[Finding]`, which reuses one `CommandClassifier`
  per `files` object (a `WeakKeyDictionary`, so nothing outlives the files)
- `creates_local_cluster(command) -> bool`: the command starts a throwaway Kubernetes cluster (kind,
  minikube, k3d, ...), so deployments later in that job are test set-up
- `split_shell(text) -> list[SimpleCommand]`, the shell splitter (also useful to other detectors)

`job` is the job's id or name when the caller knows it. A job named like `deploy` lets the
conservative copy-to-a-host rules (`rsync`/`scp` to `user@host:`) count as a deployment; a job named
like an e2e / integration suite (and not like a deployment) turns `kubectl apply`-style deployments
into test set-up (no `deploy` finding). `cwd` is the directory the command runs in (GitHub
`working-directory`), when known; without it, a script path that exactly one repository file ends
with, or the only `package.json` of the repository, is taken.
"""

from __future__ import annotations

import ast
import configparser
import functools
import json
import posixpath
import re
import shlex
import tomllib
import weakref
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from fnmatch import fnmatchcase
from typing import Any

import yaml

from collectors.commands_data import (
    ACTION_PREFIXES,
    ACTIONS,
    AZURE_TASKS,
    GITLAB_INCLUDE_FILES,
    JENKINS_CLASSES,
    JENKINS_STEPS,
    ORB_COMMANDS,
    PRE_COMMIT_HOOKS,
    REUSABLE_WORKFLOWS,
    TOOL_IMAGES,
    TRAVIS_PROVIDERS,
    Pairs,
)
from collectors.pipelines.model import Command
from collectors.repofiles import RepoFiles

CATEGORIES = frozenset({
    "test", "integration-test", "e2e-test", "performance-test", "lint", "coverage", "coverage-threshold",
    "security-scan", "deploy", "publish", "migrate", "migrate-rollback", "release", "release-notes",
    "notify", "test-report", "coverage-report", "orchestrate", "commit-traceable", "provision", "build",
    "service-containers", "service-datastore",
})

MAX_DEPTH = 3
"""How many task-runner / script expansions deep `make ci -> npm run test -> ./x.sh` may go."""
MAX_LABEL = 160
"""Longest command text kept in a `detail` hop."""


@dataclass(frozen=True)
class Finding:
    category: str
    """One of `CATEGORIES`."""
    tool: str
    """Lower-case hyphenated tool name, e.g. `pytest`, `kubectl`, `release-please`."""
    detail: str
    """What matched, with the expansion chain, e.g. `make test -> Makefile:12 pytest --cov`."""


# =================================================================================================
# Shell splitting
# =================================================================================================

@dataclass
class SimpleCommand:
    """One simple command of a shell text: its words (quotes removed; `$(...)`, `${...}` and
    backquotes kept verbatim inside words), its raw text, and where it starts."""

    words: list[str]
    raw: str
    line: int
    """1-based line in the text where the command starts."""
    pipe: int
    """Commands joined by `|` share this number."""
    heredoc: str | None = None
    """Body of a here-document fed to the command (`cat <<EOF ... EOF`)."""


_GHA_EXPR = re.compile(r"\$\{\{(.*?)\}\}", re.S)


def _compact_expr(m: re.Match[str]) -> str:
    return "${{" + "".join(m.group(1).split()) + "}}"


def _match_close(s: str, j: int) -> int:
    """Index just after the bracket that closes `s[j]` (`(` or `{`); tolerant of a missing one."""
    open_c = s[j]
    close_c = ")" if open_c == "(" else "}"
    depth, k, n = 0, j, len(s)
    while k < n:
        ch = s[k]
        if ch == "\\":
            k += 2
            continue
        if open_c == "(" and ch == "'":
            e = s.find("'", k + 1)
            k = n if e < 0 else e + 1
            continue
        if open_c == "(" and ch == '"':
            e = k + 1
            while e < n and s[e] != '"':
                e += 2 if s[e] == "\\" else 1
            k = e + 1
            continue
        if ch == open_c:
            depth += 1
        elif ch == close_c:
            depth -= 1
            if depth == 0:
                return k + 1
        k += 1
    return n


def split_shell(text: str) -> list[SimpleCommand]:
    """Split shell text into simple commands. Never raises."""
    s = _GHA_EXPR.sub(_compact_expr, text)
    n = len(s)
    out: list[SimpleCommand] = []
    words: list[str] = []
    cur: list[str] = []
    have = False
    start = -1
    cmd_line = line = 1
    pipe = 0
    redirect: Any = None  # None | "skip" | ("heredoc", strip_tabs)
    heredocs: list[tuple[str, bool, int]] = []
    i = 0

    def flush_word() -> None:
        nonlocal cur, have, redirect
        if have:
            w = "".join(cur)
            if redirect == "skip":
                redirect = None
            elif isinstance(redirect, tuple):
                heredocs.append((w, redirect[1], len(out)))
                redirect = None
            else:
                words.append(w)
        cur = []
        have = False

    def flush_cmd(end: int, piped: bool) -> None:
        nonlocal words, start, pipe
        flush_word()
        if start >= 0 and (words or (heredocs and heredocs[-1][2] == len(out))):
            out.append(SimpleCommand(words, " ".join(s[start:end].split()), cmd_line, pipe))
        words = []
        start = -1
        if not piped:
            pipe += 1

    def take_heredocs(i: int, line: int) -> tuple[int, int]:
        for delim, strip, idx in heredocs:
            body: list[str] = []
            while i < n:
                j = s.find("\n", i)
                end = n if j < 0 else j
                ln = s[i:end]
                i = n if j < 0 else j + 1
                line += 1
                if (ln.lstrip("\t") if strip else ln).strip() == delim:
                    break
                body.append(ln)
            if idx < len(out):
                out[idx].heredoc = "\n".join(body)
        heredocs.clear()
        return i, line

    while i < n:
        c = s[i]
        if start < 0 and c not in " \t\r\n;&|()":
            start = i
            cmd_line = line
        if c == "\n":
            flush_cmd(i, False)
            line += 1
            i += 1
            if heredocs:
                i, line = take_heredocs(i, line)
            continue
        if c in " \t\r":
            flush_word()
            i += 1
            continue
        if c == "#" and not have:
            j = s.find("\n", i)
            i = n if j < 0 else j
            continue
        if c == "\\":
            if i + 1 < n and s[i + 1] == "\n":
                line += 1
                i += 2
                continue
            if i + 1 < n:
                cur.append(s[i + 1])
                have = True
            i += 2
            continue
        if c == "'":
            j = s.find("'", i + 1)
            j = n if j < 0 else j
            seg = s[i + 1:j]
            line += seg.count("\n")
            cur.append(seg)
            have = True
            i = j + 1
            continue
        if c == '"':
            j = i + 1
            buf: list[str] = []
            while j < n and s[j] != '"':
                ch = s[j]
                if ch == "\\" and j + 1 < n and s[j + 1] in '"\\$`\n':
                    if s[j + 1] == "\n":
                        line += 1
                    else:
                        buf.append(s[j + 1])
                    j += 2
                    continue
                if ch == "$" and j + 1 < n and s[j + 1] in "({":
                    k = _match_close(s, j + 1)
                    buf.append(s[j:k])
                    line += s[j:k].count("\n")
                    j = k
                    continue
                if ch == "\n":
                    line += 1
                buf.append(ch)
                j += 1
            cur.append("".join(buf))
            have = True
            i = j + 1
            continue
        if c == "$" and i + 1 < n and s[i + 1] in "({":
            k = _match_close(s, i + 1)
            seg = s[i:k]
            line += seg.count("\n")
            cur.append(seg)
            have = True
            i = k
            continue
        if c == "`":
            j = s.find("`", i + 1)
            j = n if j < 0 else j
            seg = s[i:j + 1]
            line += seg.count("\n")
            cur.append(seg)
            have = True
            i = j + 1
            continue
        if c == ";":
            flush_cmd(i, False)
            i += 2 if s.startswith(";;", i) else 1
            continue
        if c == "&":
            if s.startswith("&&", i):
                flush_cmd(i, False)
                i += 2
            elif s.startswith("&>", i):
                flush_word()
                redirect = "skip"
                i += 3 if s.startswith("&>>", i) else 2
            else:
                flush_cmd(i, False)
                i += 1
            continue
        if c == "|":
            if s.startswith("||", i):
                flush_cmd(i, False)
                i += 2
            else:
                flush_cmd(i, True)
                i += 2 if s.startswith("|&", i) else 1
            continue
        if c in "<>":
            if s.startswith("<(", i) or s.startswith(">(", i):
                k = _match_close(s, i + 1)
                cur.append(s[i:k])
                have = True
                i = k
                continue
            if have and "".join(cur).isdigit():
                cur = []
                have = False
            else:
                flush_word()
            if s.startswith("<<<", i):
                redirect, i = "skip", i + 3
            elif s.startswith("<<-", i):
                redirect, i = ("heredoc", True), i + 3
            elif s.startswith("<<", i):
                redirect, i = ("heredoc", False), i + 2
            else:
                i += 1
                if i < n and s[i] in ">&|":
                    i += 1
                redirect = "skip"
            continue
        if c in "()":
            flush_cmd(i, False)
            i += 1
            continue
        cur.append(c)
        have = True
        i += 1
    flush_cmd(n, False)
    return out


_LEAD_KEYWORDS = frozenset({"if", "then", "else", "elif", "do", "while", "until", "!", "{", "}", "time", "coproc"})
_SKIP_KEYWORDS = frozenset({"for", "case", "select", "function", "fi", "done", "esac", "in", "}"})
_ASSIGN = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*\+?=")
_LEAD_KW_RAW = re.compile(r"^(?:(?:if|then|else|elif|do|while|until|!|\{|time)\s+)+")


def _prepare(words: list[str]) -> tuple[dict[str, str], list[str]]:
    """Drop leading shell keywords and variable assignments; returns (assignments, words)."""
    i = 0
    while i < len(words) and words[i] in _LEAD_KEYWORDS:
        i += 1
    if i < len(words) and words[i] in _SKIP_KEYWORDS:
        return {}, []
    env: dict[str, str] = {}
    while i < len(words) and _ASSIGN.match(words[i]):
        k, _, v = words[i].partition("=")
        env[k.rstrip("+")] = v
        i += 1
    return env, words[i:]


# =================================================================================================
# Small helpers on argument lists
# =================================================================================================

def _opt(args: list[str], *names: str) -> str | None:
    """Value of the first of `names` (`--x v`, `--x=v`, `-x v`, `-xv` for one-letter short options)."""
    for i, a in enumerate(args):
        for nm in names:
            if a == nm:
                return args[i + 1] if i + 1 < len(args) else ""
            if a.startswith(nm + "="):
                return a[len(nm) + 1:]
            if len(nm) == 2 and nm[0] == "-" and nm[1] != "-" and a.startswith(nm) and len(a) > 2 and not a.startswith("--"):
                return a[2:]
    return None


def _opts(args: list[str], *names: str) -> list[str]:
    """Every value of the options `names`."""
    vals: list[str] = []
    i = 0
    while i < len(args):
        a = args[i]
        for nm in names:
            if a == nm and i + 1 < len(args):
                vals.append(args[i + 1])
                i += 1
                break
            if a.startswith(nm + "="):
                vals.append(a[len(nm) + 1:])
                break
            if len(nm) == 2 and nm[1] != "-" and a.startswith(nm) and len(a) > 2 and not a.startswith("--"):
                vals.append(a[2:])
                break
        i += 1
    return vals


def _flag(args: list[str], *names: str) -> bool:
    return any(a == nm or a.startswith(nm + "=") for a in args for nm in names)


def _positionals(args: list[str], valued: Iterable[str] = (), stop: bool = True) -> list[str]:
    """Arguments that are not options; options in `valued` consume the next word. After `--`, the rest
    is positional unless `stop` is False (then it is dropped)."""
    valued = set(valued)
    out: list[str] = []
    i = 0
    while i < len(args):
        a = args[i]
        if a == "--":
            if stop:
                out.extend(args[i + 1:])
            break
        if a.startswith("-") and len(a) > 1:
            if a in valued:
                i += 1
        else:
            out.append(a)
        i += 1
    return out


def _after_dd(args: list[str]) -> list[str]:
    return args[args.index("--") + 1:] if "--" in args else []


def _truthy(value: str | None) -> bool:
    return value is not None and value.strip().strip("'\"").lower() in ("true", "yes", "on", "1", "y")


def _is_expr(value: str | None) -> bool:
    return value is not None and ("${{" in value or "$(" in value or value.strip().startswith("$"))


def _clip(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= MAX_LABEL else text[:MAX_LABEL - 1] + "…"


_SYSTEM_DIR = re.compile(r"^/(?:usr|bin|sbin|etc|lib|lib64|proc|sys|dev|tmp|var|opt/hostedtoolcache)(?:/|$)")


def _norm_path(cwd: str, path: str) -> str | None:
    """Repository-relative POSIX path of `path` seen from `cwd`, or None if it leaves the repository."""
    path = _ROOT_VARS.sub("", path.strip()).replace("\\", "/")
    if not path or "$" in path or path.startswith("~"):
        return None
    if path.startswith("/"):
        return None
    joined = posixpath.normpath(posixpath.join(cwd, path)) if cwd else posixpath.normpath(path)
    if joined == ".":
        return ""
    if joined.startswith(".."):
        return None
    return joined


_ROOT_VARS = re.compile(
    r"^(?:\$\{\{(?:github\.workspace|env\.GITHUB_WORKSPACE)\}\}|\$\{?(?:GITHUB_WORKSPACE|CI_PROJECT_DIR|WORKSPACE|"
    r"PWD|BITBUCKET_CLONE_DIR|CIRCLE_WORKING_DIRECTORY|TRAVIS_BUILD_DIR|DRONE_WORKSPACE|BUILD_SOURCESDIRECTORY|"
    r"SYSTEM_DEFAULTWORKINGDIRECTORY|CODEBUILD_SRC_DIR)\}?|\$\(pwd\)|\$\(Build\.SourcesDirectory\)|"
    r"\$\(System\.DefaultWorkingDirectory\))/?"
)

_COMMIT_REF = re.compile(
    r"github\.sha\b|github\.event\.pull_request\.head\.sha|github\.event\.after|\bGITHUB_SHA\b|\bCI_COMMIT_SHA\b|"
    r"\bCI_COMMIT_SHORT_SHA\b|\bGIT_COMMIT(?:_SHORT)?\b|\bCIRCLE_SHA1\b|\bTRAVIS_COMMIT\b|\bBUILD_SOURCEVERSION\b|"
    r"Build\.SourceVersion\b|\bBITBUCKET_COMMIT\b|\bDRONE_COMMIT(?:_SHA)?\b|\bCI_COMMIT_SHA\b|\bBUILDKITE_COMMIT\b|"
    r"\bCODEBUILD_RESOLVED_SOURCE_VERSION\b|\bSEMAPHORE_GIT_SHA\b|\bCOMMIT_SHA\b|\bSHORT_SHA\b|\bGIT_SHA\b|"
    r"\bSHA_SHORT\b|\bGIT_SHORT_SHA\b|\bGIT_COMMIT_SHA\b|\bGIT_HASH\b|\bCOMMIT_HASH\b|\bCI_COMMIT_ID\b|"
    r"\bWOODPECKER_COMMIT\b|\bCF_SHORT_REVISION\b|\bCF_REVISION\b|git\s+rev-parse|git\s+log\s+-1\s+--(?:format|pretty)=|"
    r"outputs\.(?:sha|sha_short|short_sha|git_sha|commit|commit_sha|shortsha)\b",
    re.IGNORECASE,
)

_INTEGRATION_RE = re.compile(
    r"integration|(?:^|[^a-z0-9])(?:int|it|itest|itests|inttest|inttests|integ)(?:[^a-z0-9]|$)"
)
_E2E_RE = re.compile(
    r"e2e|end-?to-?end|end2end|endtoend|acceptance|(?:^|[^a-z])functional(?:[^a-z]|test|$)|"
    r"(?:^|[^a-z0-9])ui[-_]?tests?(?:[^a-z0-9]|$)|(?:^|[^a-z0-9])system[-_ ]?(?:tests?|specs?)(?:[^a-z0-9]|$)"
)
_NEGATED_SUITE = re.compile(r"(?:^|[^a-z])(?:not|no|non|skip|without|exclude|except)[\s_-]*(?:integration|e2e|it\b)")
_DEPLOY_NAME = re.compile(r"deploy|(?:^|[^a-z])(?:release|rollout|ship)(?:[^a-z]|$)", re.IGNORECASE)
_LINT_NAME = re.compile(
    r"^(?:lint|linters?|linting|flake8|pylint|mypy|type|types|typing|typecheck|type-check|typecheck|pyright|style|"
    r"pep8|ruff|format|fmt|formatting|static|static-analysis|check-format|format-check|pre-commit|precommit|"
    r"black|isort|codestyle|code-style|quality|eslint|pycodestyle|pydocstyle|bandit)$"
)


_PERF_NAME = re.compile(r"(?i)perf|load[-_ ]?test|stress|bench|(?:^|[^a-z])(?:k6|locust|gatling|jmeter|smoke)(?:[^a-z]|$)")


def _suite(text: str) -> str | None:
    """`integration-test` / `e2e-test` when a name or path names such a suite."""
    low = text.lower()
    if _NEGATED_SUITE.search(low):
        return None
    if _E2E_RE.search(low):
        return "e2e-test"
    if _INTEGRATION_RE.search(low):
        return "integration-test"
    return None


def _hint(name: str) -> tuple[str, str] | None:
    cat = _suite(name)
    return (cat, name) if cat else None


# =================================================================================================
# Expansion context
# =================================================================================================

@dataclass(frozen=True)
class _Ctx:
    chain: tuple[str, ...] = ()
    """Labels of the expansion hops so far (the first is the original command)."""
    cwd: str = ""
    depth: int = 0
    visiting: frozenset = frozenset()
    hint: tuple[str, str] | None = None
    """(category, name) when a suite name (`test:integration`, `make e2e`) relabels `test` findings."""
    remote: bool = False
    """Inside a command run on another host (`ssh host '...'`)."""
    deploy_named: bool = False
    """Inside a job, target or script named like a deployment."""
    test_scope: bool = False
    """Inside a job, target or script named like an e2e / integration suite (and not like a deployment)."""
    scope: str = ""
    """The name of the innermost job, target, script or task being expanded (`type-check`, `lint:js`)."""
    pipeline_deploy: bool = False
    """The pipeline file (workflow) is named like a deployment (`deploy.yml`, `Jenkinsfile.release`)."""
    local_cluster: bool = False
    """An earlier command of the job started a throwaway Kubernetes cluster (kind, minikube, k3d)."""
    git_branch: str | None = None
    """The branch an earlier command of the job checked out."""


@dataclass
class _Loc:
    """Where expanded text comes from: `Makefile` with a base line, or `package.json scripts.ci` without."""

    prefix: str
    base: int | None = None

    def label(self, line: int, raw: str) -> str:
        if self.base is None:
            return f"{self.prefix}: {_clip(raw)}"
        return f"{self.prefix}:{self.base + line - 1} {_clip(raw)}"


@dataclass
class _TextState:
    """What one shell text has shown so far (simple commands run in order)."""

    cwd: str
    simples: list[SimpleCommand] = field(default_factory=list)
    index: int = 0
    sha_images: set[str] = field(default_factory=set)
    local_cluster: bool = False
    commit_vars: set[str] = field(default_factory=set)
    """Shell variables assigned from the commit (`TAG=$(git rev-parse --short HEAD)`)."""
    variables: dict[str, str] = field(default_factory=dict)
    """Variables set by earlier commands (`export DOCKER_HOST=ssh://...`, `COVERAGE=true`)."""
    wrapper_functions: set[str] = field(default_factory=set)
    """Shell functions that run their arguments (`run() { echo "+ $*"; "$@"; }`)."""
    git_branch: str | None = None
    """The branch an earlier `git checkout` / `git switch` made current."""

    def note_assignments(self, env: dict[str, str], words: list[str]) -> None:
        pairs = list(env.items()) if not words else []
        if words and words[0] in ("export", "declare", "local", "readonly", "typeset"):
            pairs += [tuple(w.split("=", 1)) for w in words[1:] if _ASSIGN.match(w)]  # type: ignore[misc]
        for k, v in pairs:
            k = k.rstrip("+")
            self.variables[k] = v
            if self.mentions_commit(v):
                self.commit_vars.add(k)
        for k, v in env.items():
            if words and self.mentions_commit(v):
                self.commit_vars.add(k)

    def mentions_commit(self, text: str) -> bool:
        if _COMMIT_REF.search(text):
            return True
        return any(re.search(r"\$\{?" + re.escape(v) + r"\b", text) for v in self.commit_vars)


def _named_scope(ctx: _Ctx, name: str) -> _Ctx:
    """The context inside a target, script, env or task called `name` (`test-integration`, `deploy.sh`)."""
    hint = _hint(name)
    deploy_named = ctx.deploy_named or bool(_DEPLOY_NAME.search(name))
    return replace(ctx, hint=hint or ctx.hint, deploy_named=deploy_named, scope=name,
                   test_scope=ctx.test_scope or bool(hint and not deploy_named))


def _mk(ctx: _Ctx, label: str, category: str, tool: str, note: str = "") -> Finding:
    if category == "test" and ctx.hint:
        category = ctx.hint[0]
        note = f"{note}; " if note else ""
        note += f"suite named '{ctx.hint[1]}'"
    detail = " -> ".join((*ctx.chain, label)) if ctx.chain else label
    if note:
        detail += f" ({note})"
    return Finding(category, tool, detail)


class _Call:
    """One simple command being classified."""

    __slots__ = ("clf", "ctx", "env", "raw", "label", "prog", "args", "words", "state", "simple")

    def __init__(self, clf: CommandClassifier, ctx: _Ctx, env: dict[str, str], raw: str, label: str,
                 state: _TextState, simple: SimpleCommand | None) -> None:
        self.clf = clf
        self.ctx = ctx
        self.env = env
        self.raw = raw
        self.label = label
        self.state = state
        self.simple = simple
        self.prog = ""
        self.args: list[str] = []
        self.words: list[str] = []

    def f(self, category: str, tool: str, note: str = "") -> Finding:
        return _mk(self.ctx, self.label, category, tool, note)

    def fs(self, pairs: Iterable[tuple[str, str]], note: str = "") -> list[Finding]:
        return [self.f(c, t, note) for c, t in pairs]

    def redo(self, words: list[str]) -> list[Finding]:
        """Classify `words` as the command instead (a wrapper's inner command)."""
        return self.clf._dispatch(self, words)

    def text(self, text: str, **ctx_changes: Any) -> list[Finding]:
        """Classify a shell string carried by this command (`bash -c '...'`, `ssh host '...'`)."""
        ctx = replace(self.ctx, **ctx_changes) if ctx_changes else self.ctx
        return self.clf._text_inline(text, ctx, self)

    @property
    def cwd(self) -> str:
        return self.state.cwd

    def pipe_neighbours(self) -> list[SimpleCommand]:
        if self.simple is None:
            return []
        return [sm for sm in self.state.simples if sm.pipe == self.simple.pipe and sm is not self.simple]


Handler = Callable[[_Call], list[Finding]]
_HANDLERS: dict[str, Handler] = {}


def _program(*names: str) -> Callable[[Handler], Handler]:
    def deco(fn: Handler) -> Handler:
        for nm in names:
            _HANDLERS[nm] = fn
        return fn
    return deco


_PY_NAME = re.compile(r"^(?:python|pypy)[0-9.]*(?:w)?$|^py$")
_VERSIONED_INTERP = re.compile(
    r"^(python|pypy|php|ruby|node|perl|pip)(?:[0-9][0-9.]*|\$\{\{[^}]*\}\}|\$\{\w+\}|\$\w+)+$")


_PREFER_HANDLER = frozenset({"gradlew", "mvnw", "rails", "rake", "rspec", "console", "bundle", "sbt", "mill", "composer",
                             "phpunit", "pest", "kamal", "cap", "jest", "artisan", "cake", "yarn", "flutter", "dart"})
"""Programs that repositories commit as launchers (`./gradlew`, `bin/rails`): the program, not the file, decides."""


@functools.lru_cache(maxsize=4096)
def _prog_name(word: str) -> str:
    """The program a command word names (a pure function of the word, so it is memoised)."""
    word = re.sub(r"^\$\{\w+\}(?=[\w.-])", "", word)  # `${PREFIX}coverage`
    base = word.replace("\\", "/").rsplit("/", 1)[-1]
    low = base.lower()
    for ext in (".exe", ".cmd", ".bat", ".phar"):
        if low.endswith(ext):
            low = low[: -len(ext)]
    m = _VERSIONED_INTERP.match(low)
    if m:  # `php${{matrix.php}}`, `python$PYVER`, `php8.1`, `ruby3.2`: the interpreter, whatever its version
        low = m.group(1)
    if _PY_NAME.match(low):
        return "python"
    if re.fullmatch(r"pip[0-9.]*", low):
        return "pip"
    if low.startswith("@") is False and "@" in low and not low.startswith("git@"):
        low = low.split("@", 1)[0]
    return low


def _npx_prog(word: str) -> str:
    """`@vscode/vsce@2` -> `vsce`; `semantic-release@19` -> `semantic-release`."""
    w = word
    if w.startswith("@") and "/" in w:
        w = w.split("/", 1)[1]
    w = w.split("@", 1)[0] if "@" in w else w
    return w


# =================================================================================================
# The classifier
# =================================================================================================

class CommandClassifier:
    """Classifies the commands of one repository. Parsed repository files (Makefiles, package.json,
    tox.ini, ...) and results are cached on the instance."""

    def __init__(self, files: RepoFiles) -> None:
        self.files = files
        self._results: dict[tuple[Command, str | None, str | None], list[Finding]] = {}
        self._parsed: dict[tuple[str, str], Any] = {}

    # ----- entry points ---------------------------------------------------------------------------
    def classify(self, command: Command, job: str | None = None, cwd: str | None = None, *,
                 pipeline: str | None = None, host: bool = False, local_cluster: bool = False,
                 git_branch: str | None = None) -> list[Finding]:
        """What `command` does. `job`: the job's id or name, when known. `cwd`: the repository-relative
        directory the command runs in (GitHub `working-directory`, ...), when known. `pipeline`: the pipeline
        file's name. `host`: the job runs on the deployment target itself (a runner labelled `production`).
        `local_cluster`: an earlier command of the job started a throwaway Kubernetes cluster. `git_branch`: the
        branch an earlier command of the job checked out."""
        key = (command, job, cwd, pipeline, host, local_cluster, git_branch)
        hit = self._results.get(key)
        if hit is not None:
            return list(hit)
        deploy_named = bool(job and _DEPLOY_NAME.search(job))
        suite = _suite(job) if job and not deploy_named else None
        ctx = _Ctx(deploy_named=deploy_named, cwd=_norm_path("", cwd or "") or "",
                   hint=(suite, job) if suite and job else None, scope=job or "",
                   test_scope=bool(job and not deploy_named and (suite or _PERF_NAME.search(job))),
                   pipeline_deploy=bool(pipeline and _DEPLOY_NAME.search(posixpath.basename(pipeline))),
                   remote=host, local_cluster=local_cluster, git_branch=git_branch)
        try:
            if command.kind == "action":
                found = self._action(command, ctx)
            elif command.kind == "step":
                found = self._step(command.text, ctx)
            else:
                found = self._text(command.text, ctx, None)
        except RecursionError:  # pragma: no cover - defensive: depth is bounded anyway
            found = []
        result = _dedupe(found)
        self._results[key] = result
        return list(result)

    # ----- shell text -----------------------------------------------------------------------------
    def _text(self, text: str, ctx: _Ctx, loc: _Loc | None) -> list[Finding]:
        simples = split_shell(text)
        state = _TextState(cwd=ctx.cwd, simples=simples, git_branch=ctx.git_branch)
        state.local_cluster = ctx.local_cluster or any(_creates_local_cluster(sm.words) for sm in simples)
        state.wrapper_functions = _wrapper_functions(text)
        out: list[Finding] = []
        for idx, sm in enumerate(simples):
            state.index = idx
            env, words = _prepare(sm.words)
            state.note_assignments(env, words)
            raw = _LEAD_KW_RAW.sub("", sm.raw)
            label = loc.label(sm.line, raw) if loc else _clip(raw)
            if not words:
                for v in env.values():
                    if v.startswith("$(") and v.endswith(")"):
                        out += self._text_inline(v[2:-1], ctx, None, state=state, label=label)
                continue
            call = _Call(self, replace(ctx, cwd=state.cwd), {**state.variables, **env}, raw, label, state, sm)
            if sm.heredoc is not None:
                call.env["__heredoc__"] = sm.heredoc
            out += self._dispatch(call, words)
        return out

    def _text_inline(self, text: str, ctx: _Ctx, parent: _Call | None, *, state: _TextState | None = None,
                     label: str | None = None) -> list[Finding]:
        """Classify a string that belongs to one command (`bash -c`, `ssh host`, `$(...)`): the
        findings keep the parent's label (the inner command text is added as a note)."""
        simples = split_shell(text)
        st = _TextState(cwd=(parent.state.cwd if parent else (state.cwd if state else ctx.cwd)), simples=simples)
        st.local_cluster = ctx.local_cluster or any(_creates_local_cluster(sm.words) for sm in simples)
        outer = parent.state if parent else state
        if outer is not None:
            st.commit_vars |= outer.commit_vars
            st.variables.update(outer.variables)
            st.local_cluster = st.local_cluster or outer.local_cluster
        base_label = parent.label if parent else (label or "")
        out: list[Finding] = []
        for idx, sm in enumerate(simples):
            st.index = idx
            env, words = _prepare(sm.words)
            st.note_assignments(env, words)
            if not words:
                continue
            lab = base_label if _clip(sm.raw) in base_label else f"{base_label} [{_clip(sm.raw)}]"
            call = _Call(self, replace(ctx, cwd=st.cwd), {**st.variables, **env}, sm.raw, lab, st, sm)
            if sm.heredoc is not None:
                call.env["__heredoc__"] = sm.heredoc
            out += self._dispatch(call, words)
        return out

    def _dispatch(self, call: _Call, words: list[str]) -> list[Finding]:
        for _ in range(16):
            if not words:
                return []
            if len(words) > 1 and (_BARE_VAR.match(words[0]) or words[0] in call.state.wrapper_functions) \
                    and _prog_name(words[1]) in _HANDLERS:
                words = words[1:]  # `$SUDO kubectl ...`, `xargs $guard gh ...`, a `run() { "$@"; }` helper
                continue
            nxt = _unwrap(call, words)
            if nxt is None:
                break
            words = nxt
        else:
            return []
        if not words:
            return []
        prog = _prog_name(words[0])
        call.prog, call.args, call.words = prog, words[1:], words
        if len(words) == 2 and words[1] in ("--version", "-V", "--help", "-h"):
            return []
        if call.ctx.remote:
            found = self._dispatch_local(call, words, prog)
            if not any(f.category == "deploy" for f in found) and _runs_deploy_script(words):
                found.append(call.f("deploy", "ssh", "a deploy script run on a remote host"))
            return found
        return self._dispatch_local(call, words, prog)

    def _dispatch_local(self, call: _Call, words: list[str], prog: str) -> list[Finding]:
        if "/" in words[0].replace("\\", "/") and prog not in _PREFER_HANDLER:
            found = self._script(call, words[0], required_slash=True)
            if found is not None:  # a script of the repository (`scripts/test`, `./deploy`)
                return found
        handler = _HANDLERS.get(prog)
        if handler is None and prog.startswith(".") and prog[1:] in _HANDLERS:
            handler = _HANDLERS[prog[1:]]  # `.\gradlew.bat` lost its backslash to shell quoting
        if handler is not None:
            found = _traceable(call, handler(call))
            if call.ctx.test_scope and found:
                # Inside an e2e / integration suite (`make test-e2e`, a job named `e2e`): `kubectl apply`
                # and friends set up the system under test; they do not deliver the software.
                dropped = {f.tool for f in found if f.category in ("deploy", "orchestrate")}
                found = [f for f in found if f.category not in ("deploy", "orchestrate")
                         and not (f.category == "commit-traceable" and f.tool in dropped)]
            return found
        found = self._script(call, words[0], required_slash=True)
        if found is None and "/" not in words[0]:
            found = _traceable(call, _cli_deploy_to_host(call, words))
        return found or []

    # ----- expansion machinery -------------------------------------------------------------------
    def _enter(self, call: _Call, key: tuple, name: str | None, cwd: str | None = None,
               hop: str | None = None) -> _Ctx | None:
        """A context for expanding what `call` runs, or None past `MAX_DEPTH` or on a cycle."""
        ctx = call.ctx
        if ctx.depth >= MAX_DEPTH or key in ctx.visiting:
            return None
        ctx = _named_scope(ctx, name) if name else ctx
        return replace(ctx, chain=(*ctx.chain, hop or call.label), cwd=ctx.cwd if cwd is None else cwd,
                       depth=ctx.depth + 1, visiting=ctx.visiting | {key})

    def _expand_items(self, call: _Call, key: tuple, name: str | None, items: list[tuple[_Loc, str]],
                      cwd: str | None = None) -> list[Finding] | None:
        ctx = self._enter(call, key, name, cwd)
        if ctx is None:
            return None
        out: list[Finding] = []
        for loc, text in items:
            out += self._text(text, ctx, loc)
        return out

    def _fallback(self, call: _Call, name: str, tool: str, why: str) -> list[Finding]:
        """Judge an unresolvable task-runner target by its name alone (conservative)."""
        low = name.lower().strip(":")
        suite = _suite(low)
        if low == "check" and tool not in ("make", "ant", "ninja"):
            return []  # `npm run check` is as often a type check as a test run
        if _TEST_TARGET.match(low) or (suite and re.search(r"test|spec|check", low)) or (suite and low in ("e2e", "it", "integration")):
            return [call.f(suite or "test", tool, f"{why}; judged by the name '{name}'")]
        tokens = set(re.split(r"[-_:./ ]+", low))
        if tokens & {"test", "tests", "spec", "specs"} and not tokens & {"build", "image", "images", "lint", "clean", "deps", "install", "setup"}:
            return [call.f("test", tool, f"{why}; judged by the name '{name}'")]
        if _LINT_NAME.match(low) or low.startswith("lint"):
            return [call.f("lint", tool, f"{why}; judged by the name '{name}'")]
        if low in ("build", "compile", "dist", "package", "assemble") or (low == "all" and tool == "make"):
            return [call.f("build", tool, f"{why}; judged by the name '{name}'")]
        return []

    def _judged(self, call: _Call, name: str, tool: str, texts: list[str], found: list[Finding]) -> list[Finding]:
        """A target or script named like a suite (`make test-e2e`, `npm test`) whose commands were not
        recognised (`./end-to-end-test.sh`, `node test/run.js`): trust the name, provided it runs
        something besides `echo`/`exit`."""
        judged = self._fallback(call, name, tool, "its commands are not recognised")
        if not judged or judged[0].category == "lint" or any(_same_kind(f.category, judged[0].category) for f in found):
            return []  # `lint:*` scripts often run linters of other things (commit messages, lock files)
        for text in texts:
            for sm in split_shell(text):
                words = _prepare(sm.words)[1]
                if words and _HANDLERS.get(_prog_name(words[0])) is not _h_inert:
                    return judged
        return []

    # ----- files --------------------------------------------------------------------------------
    def _read(self, path: str) -> str | None:
        return self.files.read_text(path) if self.files.exists(path) else None

    def _cached(self, kind: str, path: str, build: Callable[[], Any]) -> Any:
        key = (kind, path)
        if key not in self._parsed:
            try:
                self._parsed[key] = build()
            except Exception:  # noqa: BLE001 - broken repository files must not break classification
                self._parsed[key] = None
        return self._parsed[key]

    def _script_path(self, word: str, cwd: str) -> str | None:
        if "/" not in word and not re.search(r"\.(?:sh|bash|zsh|ps1|ksh)$", word):
            return None
        for base in dict.fromkeys((cwd, "")):
            p = _norm_path(base, word)
            if p and self.files.exists(p):
                return p
        if word.startswith("/") and not _SYSTEM_DIR.match(word) and "$" not in word:
            return self._container_script(word)
        rel = _norm_path("", word)
        if rel and "/" in rel:
            # The job may run in a sub-directory we were not told about (`working-directory: backend`):
            # accept a path that exactly one repository file ends with.
            def build() -> str | None:
                hits = [q for q in self.files.paths if q.endswith("/" + rel)]
                return hits[0] if len(hits) == 1 else None
            return self._cached("script-suffix", rel, build)
        return None

    def _container_script(self, word: str) -> str | None:
        """An absolute path inside a container (`docker compose exec backend bash /app/scripts/lint.sh`): the
        repository file that ends with the longest tail of it, when exactly one does (`backend/scripts/lint.sh`)."""
        def build() -> str | None:
            parts = [p for p in posixpath.normpath(word).split("/") if p]
            for k in range(len(parts) - 1, 0, -1):
                tail = "/".join(parts[-k:])
                hits = [q for q in self.files.paths if q == tail or q.endswith("/" + tail)]
                if len(hits) == 1:
                    return hits[0]
                if hits:
                    return None
            return None
        return self._cached("container-script", word, build)

    def _script(self, call: _Call, word: str, required_slash: bool = False) -> list[Finding] | None:
        """Run the repository script `word` names (`./ci.sh`, `scripts/x`, or `x.sh` for `bash x.sh`);
        None when no readable script of the repository has that name."""
        path = self._script_path(word if required_slash or "/" in word else "./" + word, call.cwd)
        if path is None or self._read(path) is None:
            return None
        rel, direct = _norm_path("", word), _norm_path(call.cwd, word)
        cwd = None
        if rel and path not in (rel, direct) and path.endswith("/" + rel):
            cwd = path[: -len(rel) - 1]  # found under a sub-directory: the job runs there
        elif word.startswith("/"):
            # A container's path mapped onto the repository: the container's working directory is the
            # folder that holds the mapped tail (`/app/tests-start.sh` -> `backend/`).
            tail_parts = len(path.split("/"))
            word_parts = [p for p in posixpath.normpath(word).split("/") if p]
            matched = next((k for k in range(min(tail_parts, len(word_parts)), 0, -1)
                            if path.split("/")[-k:] == word_parts[-k:]), 1)
            cwd = "/".join(path.split("/")[:-matched]) or None
        return self._run_script(call, path, cwd)

    def _run_script(self, call: _Call, path: str, cwd: str | None = None) -> list[Finding]:
        text = self._read(path)
        if text is None:
            return []
        first = text.lstrip().split("\n", 1)[0]
        if first.startswith("#!") and re.search(r"python|node|ruby|perl|php|deno|bun|groovy|kotlin", first):
            return []
        name = path.rsplit(".", 1)[0] if "." in posixpath.basename(path) else path
        found = self._expand_items(call, ("script", path), name, [(_Loc(path, 1), text)], cwd=cwd) or []
        stem = posixpath.basename(name)
        if _suite(stem) == "e2e-test" and not call.ctx.deploy_named and not _DEPLOY_NAME.search(stem):
            # `./test/e2e.sh`, `scripts/acceptance-tests.sh` whose commands are not recognised: trust the name.
            found += self._judged(call, "e2e" if re.search(r"test|spec|check", stem) is None else stem, "script", [text], found)
        return found

    # ----- JSON / TOML / YAML helpers ---------------------------------------------------------------
    def _json(self, path: str) -> Any:
        def build() -> Any:
            text = self._read(path)
            return None if text is None else json.loads(text)
        return self._cached("json", path, build)

    def _toml(self, path: str) -> Any:
        def build() -> Any:
            text = self._read(path)
            return None if text is None else tomllib.loads(text)
        return self._cached("toml", path, build)

    def _yaml(self, path: str) -> Any:
        def build() -> Any:
            text = self._read(path)
            return None if text is None else yaml.safe_load(text)
        return self._cached("yaml", path, build)

    def _find(self, cwd: str, *names: str) -> str | None:
        for nm in names:
            p = posixpath.join(cwd, nm) if cwd else nm
            if self.files.exists(p):
                return p
        return None

    # Actions and steps are implemented further down (module functions bound as methods).
    def _action(self, command: Command, ctx: _Ctx) -> list[Finding]:
        return _classify_action(self, command, ctx)

    def _step(self, text: str, ctx: _Ctx) -> list[Finding]:
        return _classify_step(self, text, ctx)


_TEST_TARGET = re.compile(
    r"^(?:test|tests|check|unit|unittest|unit-?tests?|test-?unit|tests?[-_:]all|test[-_:]ci|ci[-_:]test|"
    r"spec|specs|test[-_:]?race|go-?test|pytest|jest|mocha|vitest|runtests|run-?tests)$"
)


_TEST_KINDS = frozenset({"test", "integration-test", "e2e-test", "performance-test"})


def _same_kind(a: str, b: str) -> bool:
    return a == b or (a in _TEST_KINDS and b in _TEST_KINDS)


def _dedupe(found: list[Finding]) -> list[Finding]:
    seen: set[tuple[str, str]] = set()
    out: list[Finding] = []
    for f in found:
        if f.category not in CATEGORIES:
            continue
        key = (f.category, f.tool)
        if key not in seen:
            seen.add(key)
            out.append(f)
    return out


_REMOTE_DEPLOY_WORD = re.compile(r"(?i)deploy|^(?:release|rollout|redeploy)(?:\.\w+)?$")
def _runs_deploy_script(words: list[str]) -> bool:
    """`./deploy.sh`, `sh deploy.sh`, `make deploy`, `npm run deploy`: a script or target named for deploying."""
    names = [words[0]]
    if _prog_name(words[0]) in ("sh", "bash", "zsh", "make", "just", "task", "npm", "yarn", "pnpm", "fab", "cap"):
        names += [w for w in words[1:3] if not w.startswith("-") and w != "run"][:1]
    return any(_REMOTE_DEPLOY_WORD.search(posixpath.basename(w)) for w in names)


_BARE_VAR = re.compile(r"^\$(?:\{\w+\}|\w+)$")
_FUNC_DEF = re.compile(r"(?m)^[ \t]*(?:function[ \t]+)?([A-Za-z_][\w-]*)[ \t]*(?:\(\))?[ \t]*\{(.*?)^[ \t]*\}", re.S)


def _wrapper_functions(text: str) -> set[str]:
    if "$@" not in text:
        return set()
    return {m.group(1) for m in _FUNC_DEF.finditer(text)
            if re.search(r"(?m)^[ \t]*(?:exec[ \t]+|eval[ \t]+|time[ \t]+)?\"?\$@\"?", m.group(2))}


def _creates_local_cluster(words: list[str]) -> bool:
    while words and _prog_name(words[0]) in ("sudo", "env", "time"):
        words = words[1:]
    if any("get.k3s.io" in x for x in words) or (words and _prog_name(words[0]) in ("k3s", "k3s-install.sh")):
        return True
    w = [x for x in words if not x.startswith("-")]
    if len(w) >= 3 and _prog_name(w[0]) in ("kind", "k3d", "ctlptl") and w[1] in ("create", "cluster"):
        return True
    return len(w) >= 2 and _prog_name(w[0]) in ("minikube", "microk8s") and w[1] == "start"


_LOCAL_CLUSTER_ACTIONS = frozenset({
    "helm/kind-action", "engineerd/setup-kind", "container-tools/kind-action", "medyagh/setup-minikube",
    "manusa/actions-setup-minikube", "absaoss/k3d-action", "nolar/setup-k3d-k3s", "debianmaster/actions-k3s",
    "jupyterhub/action-k3s-helm", "balchua/microk8s-actions", "rinx/setup-k3d",
})


_HOST_TARGETS = frozenset({
    "cloudrun", "cloud-run", "appengine", "app-engine", "gae", "heroku", "vercel", "netlify", "fly", "flyio",
    "fly.io", "render", "railway", "lambda", "ecs", "beanstalk", "k8s", "kubernetes", "openshift", "azure",
    "azure-webapp", "firebase", "surge", "cloudflare"})
"""Hosting targets a project's own CLI may publish to (`datasette publish cloudrun`, `app deploy heroku`)."""


def _cli_deploy_to_host(call: _Call, words: list[str]) -> list[Finding]:
    """An unknown program whose sub-command publishes or deploys to a named hosting platform
    (`datasette publish cloudrun db.db`, `mytool deploy fly`): a deployment through the project's own CLI."""
    if len(words) < 3 or words[1].lower() not in ("publish", "deploy"):
        return []
    target = words[2].lower()
    if target not in _HOST_TARGETS:
        return []
    return [call.f("deploy", target.replace("fly.io", "fly").replace("cloud-run", "cloudrun"),
                   f"{call.prog} {words[1]} {words[2]}")]


def creates_local_cluster(command: Command) -> bool:
    """True when `command` starts a throwaway local Kubernetes cluster (kind, minikube, k3d, k3s,
    microk8s, or an action that sets one up). `kubectl apply` / `helm upgrade` later in the same job
    then target a test cluster, not an environment: a job-level detector should discount them."""
    if command.kind == "action":
        return _action_key(command.text) in _LOCAL_CLUSTER_ACTIONS
    if command.kind == "shell":
        return any(_creates_local_cluster(_prepare(sm.words)[1]) for sm in split_shell(command.text))
    return False


_CLASSIFIERS: "weakref.WeakKeyDictionary[RepoFiles, CommandClassifier]" = weakref.WeakKeyDictionary()


def classify(command: Command, files: RepoFiles, job: str | None = None, cwd: str | None = None, *,
             pipeline: str | None = None, host: bool = False, local_cluster: bool = False,
             git_branch: str | None = None) -> list[Finding]:
    """What `command` does, judged with the repository's `files`. One `CommandClassifier` (and its
    caches) is kept per `files` object for as long as that object lives."""
    clf = _CLASSIFIERS.get(files)
    if clf is None:
        clf = _CLASSIFIERS[files] = CommandClassifier(files)
    return clf.classify(command, job, cwd, pipeline=pipeline, host=host, local_cluster=local_cluster,
                        git_branch=git_branch)


def checked_out_branch(command: Command, current: str | None = None) -> str | None:
    """The branch current after `command` (`git checkout production`, `git switch -c deploy`), given `current`."""
    if command.kind != "shell" or "git" not in command.text:
        return current
    for sm in split_shell(command.text):
        words = _prepare(sm.words)[1]
        if len(words) >= 2 and _prog_name(words[0]) == "git" and words[1] in ("checkout", "switch"):
            current = _checkout_target(words[2:]) or current
    return current


def _checkout_target(rest: list[str]) -> str | None:
    pos = _positionals(rest, {"-b", "-B", "-c", "-C", "--orphan", "--track", "-t"})
    target = _opt(rest, "-b", "-B", "-c", "-C", "--orphan") or (pos[0] if pos and "--" not in rest[: rest.index(pos[0])] else None)
    if target and not target.startswith("-"):
        target = target.removeprefix("origin/")
        return target if "/" not in target and "$" not in target else None
    return None


# =================================================================================================
# Wrappers: commands that run another command
# =================================================================================================

def _skip_opts(a: list[str], valued: Iterable[str] = (), assign_env: dict[str, str] | None = None,
               allow_assign: bool = False) -> list[str]:
    """Drop leading options (and the values of `valued` ones), an optional `--`, and, when
    `allow_assign`, leading `VAR=value` words."""
    valued = set(valued)
    i = 0
    while i < len(a):
        w = a[i]
        if w == "--":
            i += 1
            break
        if w.startswith("-") and len(w) > 1:
            i += 2 if w in valued else 1
            continue
        if allow_assign and _ASSIGN.match(w):
            if assign_env is not None:
                k, _, v = w.partition("=")
                assign_env[k] = v
            i += 1
            continue
        break
    return a[i:]


_SIMPLE_WRAPPERS: dict[str, frozenset[str]] = {
    "sudo": frozenset({"-u", "-g", "-C", "-D", "-h", "-p", "-r", "-t", "-U", "-T", "--user", "--group"}),
    "doas": frozenset({"-u", "-C"}),
    "time": frozenset({"-f", "-o", "--format", "--output"}),
    "nohup": frozenset(), "exec": frozenset({"-a"}), "command": frozenset(), "builtin": frozenset(),
    "chronic": frozenset(), "unbuffer": frozenset(), "catchsegv": frozenset(), "dbus-run-session": frozenset(),
    "winpty": frozenset(), "travis_retry": frozenset(), "xvfb-maybe": frozenset(), "with-contenv": frozenset(),
    "dumb-init": frozenset(), "tini": frozenset(), "caffeinate": frozenset(), "noglob": frozenset(),
    "nice": frozenset({"-n", "--adjustment"}), "ionice": frozenset({"-c", "-n", "-p", "--class", "--classdata"}),
    "stdbuf": frozenset({"-i", "-o", "-e"}), "taskset": frozenset(),
    "xvfb-run": frozenset({"-s", "--server-args", "-n", "--server-num", "-e", "--error-file", "-f",
                           "--auth-file", "-w", "--wait", "-p", "--xauth-protocol"}),
    "valgrind": frozenset(), "strace": frozenset({"-o", "-e", "-p", "-s"}), "ltrace": frozenset({"-o", "-e"}),
    "xargs": frozenset({"-n", "-I", "-i", "-P", "-L", "-l", "-d", "-a", "-E", "-s", "--max-args", "--max-procs",
                        "--delimiter", "--arg-file", "--replace", "--max-lines"}),
    "retry": frozenset({"-t", "--times", "-d", "--delay", "--tries", "-s", "--sleep", "-m", "--max-time"}),
    "with_retry": frozenset(), "flock": frozenset({"-w", "--timeout", "-E"}), "call": frozenset(),
}


def _unwrap(call: _Call, words: list[str]) -> list[str] | None:
    """The inner command when `words` is a wrapper (`sudo x`, `poetry run x`, `npx x`), else None."""
    p = _prog_name(words[0])
    a = words[1:]
    first = a[0] if a else ""
    if p == "command" and first in ("-v", "-V"):
        return []  # `command -v ginkgo` looks a program up; it does not run it
    if p in _SIMPLE_WRAPPERS:
        rest = _skip_opts(a, _SIMPLE_WRAPPERS[p], call.env, allow_assign=p in ("sudo", "doas"))
        if p == "flock" and rest:
            rest = rest[1:]  # the lock file
            if rest and rest[0] in ("-c", "--command") and len(rest) > 1:
                return ["sh", "-c", rest[1]]
        return rest
    if p == "env":
        i = 0
        while i < len(a):
            w = a[i]
            if w in ("-u", "--unset", "-C", "--chdir"):
                i += 2
            elif w in ("-S", "--split-string") and i + 1 < len(a):
                return ["sh", "-c", " ".join(a[i + 1:])]
            elif w.startswith("-") and w != "-":
                i += 1
            elif _ASSIGN.match(w):
                k, _, v = w.partition("=")
                call.env[k] = v
                i += 1
            else:
                break
        return a[i:]
    if p in ("timeout", "gtimeout"):
        rest = _skip_opts(a, {"-s", "--signal", "-k", "--kill-after"})
        return rest[1:]
    if p == "travis_wait":
        return a[1:] if first.isdigit() else a
    if p == "cross-env":
        return _skip_opts(a, (), call.env, allow_assign=True)
    if p in ("cross-env-shell", "eval"):
        return ["sh", "-c", " ".join(_skip_opts(a, (), call.env, allow_assign=True))]
    if p == "dotenv":
        return _after_dd(a) if "--" in a else _skip_opts(a, {"-e", "-v", "-p"})
    if p == "env-cmd":
        return _skip_opts(a, {"-f", "--file", "-e", "--environments", "-r", "--rc-file"})
    if p in ("dotenvx", "doppler", "infisical", "op", "chamber", "aws-vault", "teller", "varlock") and first in ("run", "exec"):
        if "--" in a:
            return _after_dd(a)
        rest = _skip_opts(a[1:], {"--env-file", "-f", "--env", "-e", "--project", "-p", "--config", "-c"})
        return rest[1:] if p in ("aws-vault", "chamber") else rest
    if p == "sops" and first in ("exec-env", "exec-file") and len(a) >= 3:
        return ["sh", "-c", a[-1]]
    if p == "poetry":
        rest = _skip_opts(a, {"-C", "--directory", "-P", "--project"})
        if rest and rest[0] == "run":
            return rest[1:]
        return None
    if p == "pipenv" and first == "run":
        return a[1:]
    if p == "uv" and first == "run":
        return _uv_run(a[1:])
    if p in ("uvx", "pipx") or (p == "uv" and a[:2] == ["tool", "run"]):
        rest = a[2:] if p == "uv" else (a[1:] if p == "pipx" and first == "run" else a)
        if p == "pipx" and first != "run":
            return None
        spec = _opt(rest, "--from", "--spec")
        rest = _skip_opts(rest, {"--from", "--spec", "--with", "--python", "-p", "--index", "--index-url",
                                 "--pip-args", "--extra-index-url", "-w"})
        if rest:
            rest = [_npx_prog(rest[0]) if not spec else rest[0]] + rest[1:]
        return rest
    if p in ("conda", "mamba", "micromamba") and first == "run":
        return _skip_opts(a[1:], {"-n", "--name", "-p", "--prefix", "--cwd"})
    if p == "bundle" and first == "exec":
        return _skip_opts(a[1:], {"--gemfile"})
    if p in ("rbenv", "pyenv", "asdf", "nodenv", "goenv", "jenv", "rtx") and first == "exec":
        return _skip_opts(a[1:])
    if p == "mise" and first in ("exec", "x"):
        return _after_dd(a) if "--" in a else None
    if p == "nix" and first in ("develop", "shell"):
        for flag in ("--command", "-c"):
            if flag in a:
                return a[a.index(flag) + 1:]
        return None
    if p == "nix-shell":
        cmd = _opt(a, "--run", "--command")
        return ["sh", "-c", cmd] if cmd else None
    if p == "direnv" and first == "exec":
        return a[2:]
    if p in ("script",) and _opt(a, "-c", "--command"):
        return ["sh", "-c", _opt(a, "-c", "--command") or ""]
    if p == "su" and _opt(a, "-c", "--command"):
        return ["sh", "-c", _opt(a, "-c", "--command") or ""]
    if p == "ddev" and first == "exec":
        return _skip_opts(a[1:], {"-s", "--service", "-d", "--dir"})
    if p in ("npx", "pnpx", "bunx") or (p == "npm" and first in ("exec", "x")) or \
            (p == "pnpm" and first in ("exec", "dlx")) or (p == "yarn" and first in ("dlx", "exec")) or \
            (p == "bun" and first == "x"):
        rest = a if p in ("npx", "pnpx", "bunx") else a[1:]
        c = _opt(rest, "-c", "--call", "--shell-mode")
        if c:
            return ["sh", "-c", c]
        if "--" in rest and not _positionals(rest[:rest.index("--")], {"-p", "--package"}):
            rest = _after_dd(rest)
        else:
            rest = _skip_opts(rest, {"-p", "--package", "--node-options", "--registry", "--cache", "--userconfig"})
        if rest:
            rest = [_npx_prog(rest[0])] + rest[1:]
        return rest
    return None


def _uv_run(a: list[str]) -> list[str]:
    valued = {"--with", "--with-editable", "--with-requirements", "--python", "-p", "--project", "--directory",
              "--package", "--extra", "--group", "--no-group", "--only-group", "--env-file", "--index",
              "--index-url", "--extra-index-url", "--find-links", "-f", "--resolution", "--prerelease",
              "--exclude-newer", "--python-preference", "--cache-dir", "--config-file", "--link-mode",
              "--refresh-package", "--reinstall-package", "--upgrade-package", "-P", "-C", "--config-setting",
              "--default-index", "--index-strategy", "--keyring-provider", "--color", "--python-platform"}
    i = 0
    while i < len(a):
        w = a[i]
        if w == "--":
            return a[i + 1:]
        if w in ("-m", "--module") and i + 1 < len(a):
            return ["python", "-m"] + a[i + 1:]
        if w.startswith("-"):
            i += 2 if w in valued else 1
            continue
        return a[i:]
    return []


# =================================================================================================
# Task runners and scripts: expansion through repository files
# =================================================================================================

# ----- shells and scripts ---------------------------------------------------------------------------

@_program("sh", "bash", "zsh", "dash", "ksh", "ash", "fish")
def _h_shell(call: _Call) -> list[Finding]:
    a = call.args
    i = 0
    while i < len(a):
        w = a[i]
        if w == "-c" or (w.startswith("-") and not w.startswith("--") and "c" in w[1:] and len(w) <= 6):
            return call.text(a[i + 1]) if i + 1 < len(a) else []
        if w in ("-o", "+o", "-O", "+O", "--rcfile", "--init-file"):
            i += 2
            continue
        if w.startswith("-") or w.startswith("+"):
            i += 1
            continue
        break
    rest = a[i:]
    if not rest:
        body = call.env.get("__heredoc__")
        return call.text(body) if body else []
    target = rest[0]
    if target.startswith("<(") and re.search(r"codecov\.io", target):
        return call.fs((("coverage", "codecov"), ("coverage-report", "codecov")), "codecov bash uploader")
    if target.startswith("<(") and "codacy.com" in target:
        return call.fs((("coverage", "codacy"), ("coverage-report", "codacy")))
    return call.clf._script(call, target) or []


@_program("source", ".")
def _h_source(call: _Call) -> list[Finding]:
    if not call.args:
        return []
    return call.clf._script(call, call.args[0]) or []


@_program("pwsh", "powershell")
def _h_pwsh(call: _Call) -> list[Finding]:
    f = _opt(call.args, "-File", "-file", "-f")
    if f:
        return call.clf._script(call, f) or []
    c = _opt(call.args, "-Command", "-command", "-c")
    if c:
        return call.text(c)
    pos = _positionals(call.args, {"-ExecutionPolicy", "-executionpolicy"})
    if pos and pos[0].lower().endswith(".ps1"):
        return call.clf._script(call, pos[0]) or []
    return []


@_program("cd", "pushd")
def _h_cd(call: _Call) -> list[Finding]:
    pos = _positionals(call.args)
    if not pos or pos[0] in ("-", "~"):
        call.state.cwd = "" if not pos or pos[0] == "~" else call.state.cwd
        return []
    new = _norm_path(call.state.cwd, pos[0])
    if new is not None:
        call.state.cwd = new
    return []


@_program("popd")
def _h_popd(call: _Call) -> list[Finding]:
    call.state.cwd = call.ctx.cwd
    return []


@_program("echo", "printf", "cat", "true", "false", ":", "test", "[", "[[", "exit", "return", "export", "set",
          "unset", "local", "declare", "readonly", "alias", "read", "shift", "trap", "wait", "sleep", "mkdir", "rm",
          "cp", "mv", "ls", "touch", "chmod", "chown", "ln", "grep", "sed", "awk", "tee", "head", "tail", "wc",
          "sort", "uniq", "tr", "cut", "find", "tar", "unzip", "zip", "gzip", "jq", "yq", "envsubst", "basename",
          "dirname", "pwd", "date", "whoami", "which", "type", "hash", "ulimit", "umask", "apt-get", "apt", "apk",
          "yum", "dnf", "brew", "choco", "pip", "write-host", "write-output", "set-location", "tput",
          "openssl", "base64", "sha256sum", "md5sum", "diff", "cmp", "file", "stat", "du", "df", "free", "uname",
          "nproc", "ps", "kill", "pkill", "systemctl", "service", "supervisorctl", "pm2", "git-lfs")
def _h_inert(call: _Call) -> list[Finding]:
    if call.ctx.remote:
        return _remote_deploy(call)
    return []


def _remote_deploy(call: _Call) -> list[Finding]:
    """Inside `ssh host '...'`: restarting a service or bringing containers up is a deployment."""
    p, a = call.prog, call.args
    pos = _positionals(a)
    if p == "systemctl" and pos and pos[0] in ("restart", "reload", "start", "reload-or-restart", "try-restart"):
        return [call.f("deploy", "ssh", "service restarted over ssh")]
    if p == "service" and len(pos) >= 2 and pos[1] in ("restart", "reload", "start"):
        return [call.f("deploy", "ssh", "service restarted over ssh")]
    if p == "supervisorctl" and pos and pos[0] in ("restart", "reload", "update"):
        return [call.f("deploy", "ssh", "service restarted over ssh")]
    if p == "pm2" and pos and pos[0] in ("restart", "reload", "startorreload", "startOrReload", "start", "startOrRestart"):
        return [call.f("deploy", "ssh", "pm2 restart over ssh")]
    return []


# ----- make -------------------------------------------------------------------------------------------

@dataclass
class _Rule:
    line: int
    prereqs: list[str]
    recipe: list[tuple[int, str]]


@dataclass
class _Makefile:
    path: str
    rules: dict[str, _Rule]
    default: str | None
    vars: dict[str, str]


_MK_ASSIGN = re.compile(r"^(?:export\s+|override\s+)?([A-Za-z_][A-Za-z0-9_.-]*)\s*(:::=|::=|:=|\?=|\+=|!=|=)\s*(.*)$")
_MK_RULE = re.compile(r"^([^:=#\t][^:=#]*?)\s*(::?)(?!=)\s*(.*)$")
_MK_INCLUDE = re.compile(r"^-?(?:include|sinclude)\s+(.+)$")
_MK_VAR = re.compile(r"\$\$|\$\(([A-Za-z_][A-Za-z0-9_.-]*)\)|\$\{([A-Za-z_][A-Za-z0-9_.-]*)\}|\$@")


def _parse_makefile(read: Callable[[str], str | None], path: str) -> _Makefile:
    mk = _Makefile(path, {}, None, {})
    _parse_make_into(read, path, mk, set())
    goal = mk.vars.get(".DEFAULT_GOAL")
    if goal:
        mk.default = goal.strip()
    return mk


def _parse_make_into(read: Callable[[str], str | None], path: str, mk: _Makefile, seen: set[str]) -> None:
    if path in seen or len(seen) > 8:
        return
    seen.add(path)
    text = read(path)
    if text is None:
        return
    lines = text.split("\n")
    current: list[str] | None = None
    in_define = False
    i = 0
    while i < len(lines):
        lineno = i + 1
        ln = lines[i].rstrip("\r")
        i += 1
        while ln.endswith("\\") and i < len(lines):
            ln = ln[:-1] + " " + lines[i].rstrip("\r").lstrip()
            i += 1
        if in_define:
            if ln.strip().startswith("endef"):
                in_define = False
            continue
        if ln.startswith("\t"):
            if current is not None:
                cmd = ln.strip()
                if cmd and not cmd.startswith("#"):
                    for t in current:
                        mk.rules[t].recipe.append((lineno, cmd))
            continue
        s = ln.strip()
        if not s or s.startswith("#"):
            continue
        if re.match(r"^(?:ifeq|ifneq|ifdef|ifndef|else|endif)\b", s):
            continue
        if s.startswith("define ") or s == "define":
            in_define = True
            current = None
            continue
        m = _MK_INCLUDE.match(s)
        if m:
            base = posixpath.dirname(path)
            for inc in m.group(1).split():
                if "$" not in inc and "*" not in inc:
                    _parse_make_into(read, posixpath.normpath(posixpath.join(base, inc)), mk, seen)
            current = None
            continue
        m = _MK_ASSIGN.match(s)
        if m:
            name, op, value = m.group(1), m.group(2), m.group(3).split(" #", 1)[0].strip()
            if op == "?=":
                mk.vars.setdefault(name, value)
            elif op == "+=":
                mk.vars[name] = (mk.vars.get(name, "") + " " + value).strip()
            elif op != "!=":
                mk.vars[name] = value
            current = None
            continue
        m = _MK_RULE.match(s)
        if m:
            targets = m.group(1).split()
            rest = m.group(3)
            if re.match(r"^[A-Za-z_][A-Za-z0-9_]*\s*(?:[:+?]?=)", rest):  # target-specific variable
                current = None
                continue
            inline = None
            if ";" in rest:
                rest, inline = rest.split(";", 1)
            prereqs = [p for p in rest.split("#", 1)[0].split() if p != "|"]
            for t in targets:
                rule = mk.rules.get(t)
                if rule is None:
                    mk.rules[t] = _Rule(lineno, list(prereqs), [])
                else:
                    rule.prereqs.extend(prereqs)
                if inline and inline.strip():
                    mk.rules[t].recipe.append((lineno, inline.strip()))
                if mk.default is None and not t.startswith(".") and "%" not in t and "$" not in t:
                    mk.default = t
            current = targets
            continue
        current = None


def _mk_expand(text: str, mk: _Makefile, target: str, overrides: dict[str, str], depth: int = 0) -> str:
    def sub(m: re.Match[str]) -> str:
        tok = m.group(0)
        if tok == "$$":
            return "$"
        if tok == "$@":
            return target
        name = m.group(1) or m.group(2)
        if name == "MAKE":
            return "make"
        if name in overrides:
            return overrides[name]
        if name in mk.vars and depth < 6:
            return _mk_expand(mk.vars[name], mk, target, overrides, depth + 1)
        return tok
    return _MK_VAR.sub(sub, text)


@_program("make", "gmake", "mingw32-make", "remake", "bmake")
def _h_make(call: _Call) -> list[Finding]:
    a = call.args
    directory = call.cwd
    mfile: str | None = None
    targets: list[str] = []
    overrides: dict[str, str] = {}
    i = 0
    while i < len(a):
        w = a[i]
        if w in ("-n", "--dry-run", "--just-print", "--recon", "-q", "--question", "-p", "--print-data-base"):
            return []
        if w in ("-C", "--directory") and i + 1 < len(a):
            directory = _norm_path(directory, a[i + 1]) or directory
            i += 2
            continue
        if w.startswith("-C") and len(w) > 2:
            directory = _norm_path(directory, w[2:]) or directory
        elif w.startswith("--directory="):
            directory = _norm_path(directory, w.split("=", 1)[1]) or directory
        elif w in ("-f", "--file", "--makefile") and i + 1 < len(a):
            mfile = a[i + 1]
            i += 2
            continue
        elif w.startswith(("--file=", "--makefile=")):
            mfile = w.split("=", 1)[1]
        elif w in ("-j", "--jobs", "-l", "--load-average"):
            if i + 1 < len(a) and a[i + 1].isdigit():
                i += 1
        elif w in ("-o", "-W", "-I", "--include-dir", "--old-file", "--what-if", "--assume-old", "--assume-new"):
            i += 1
        elif w.startswith("-"):
            pass
        elif _ASSIGN.match(w):
            k, _, v = w.partition("=")
            overrides[k] = v
        else:
            targets.append(w)
        i += 1
    clf = call.clf
    if mfile:
        path = _norm_path(directory, mfile)
    else:
        path = clf._find(directory, "GNUmakefile", "makefile", "Makefile")
    mk = clf._cached("make", path, lambda: _parse_makefile(clf._read, path)) if path else None
    out: list[Finding] = []
    if not targets:
        out.append(call.f("build", "make"))
        if mk is None or not mk.default:
            return out
        targets = [mk.default]
    if mk is None:
        for t in targets:
            out += clf._fallback(call, t, "make", "no Makefile in the repository")
        return out
    for t in targets:
        found = _make_target(call, mk, t, overrides, call.ctx, set(), 0)
        rule = mk.rules.get(t)
        if rule is not None and call.ctx.depth < MAX_DEPTH:
            found += clf._judged(call, t, "make", [_mk_expand(c, mk, t, overrides) for _, c in rule.recipe], found)
        out += found
    return out


def _make_target(call: _Call, mk: _Makefile, target: str, overrides: dict[str, str], parent: _Ctx,
                 seen: set[str], hops: int) -> list[Finding]:
    rule = mk.rules.get(target)
    if rule is None or target in seen or hops > 8:
        return []
    seen.add(target)
    clf = call.clf
    if hops == 0:
        ctx = clf._enter(call, ("make", mk.path, target), target, cwd=posixpath.dirname(mk.path))
        if ctx is None:
            return []
    else:
        ctx = _named_scope(parent, target)
    out: list[Finding] = []
    for dep in rule.prereqs:
        dep = _mk_expand(dep, mk, target, overrides)
        if dep in mk.rules and dep not in seen:
            hop = f"{mk.path}:{rule.line} {target}: {' '.join(rule.prereqs)}"
            sub = replace(ctx, chain=(*ctx.chain, _clip(hop)))
            out += _make_target(call, mk, dep, overrides, sub, seen, hops + 1)
    for lineno, cmd in rule.recipe:
        text = _mk_expand(cmd, mk, target, overrides).lstrip()
        while text[:1] in ("@", "-", "+"):
            text = text[1:].lstrip()
        out += clf._text(text, replace(ctx, visiting=ctx.visiting | {("make", mk.path, target)}), _Loc(mk.path, lineno))
    return out


# ----- package.json scripts (npm, yarn, pnpm, bun) ---------------------------------------------------

_NPM_BUILTINS = frozenset({
    "install", "i", "ci", "add", "remove", "rm", "uninstall", "un", "update", "up", "upgrade", "outdated", "ls",
    "list", "link", "unlink", "pack", "version", "view", "info", "config", "set", "get", "cache", "init", "create",
    "login", "logout", "whoami", "owner", "tag", "dist-tag", "deprecate", "prune", "dedupe", "ddp", "rebuild",
    "shrinkwrap", "fund", "doctor", "explain", "why", "help", "bin", "root", "prefix", "search", "star", "stars",
    "team", "token", "org", "profile", "access", "hook", "diff", "query", "sbom", "pkg", "repo", "docs", "bugs",
    "home", "edit", "explore", "completion", "ping", "import", "install-ci-test", "cit", "install-test", "it",
    "workspaces", "workspace", "plugin", "constraints", "patch", "patch-commit", "set", "node", "store", "env",
    "setup", "fetch", "licenses", "check", "generate-lock-entry", "global", "autoclean", "import", "policies",
    "unplug", "dlx", "exec", "x", "npm", "approve-builds", "self-update", "about", "server", "deploy",
})


def _pkg_scripts(call: _Call, directory: str) -> tuple[str | None, dict[str, str] | None]:
    path = posixpath.join(directory, "package.json") if directory else "package.json"
    data = call.clf._json(path)
    if not isinstance(data, dict):
        return (None, None)
    scripts = data.get("scripts")
    return path, {k: v for k, v in scripts.items() if isinstance(v, str)} if isinstance(scripts, dict) else {}


def _run_pkg_script(call: _Call, manager: str, directory: str, name: str, extra: list[str],
                    allow_bin: bool = False) -> list[Finding]:
    path, scripts = _pkg_scripts(call, directory)
    if scripts is None:
        only = _only_package_dir(call) if directory == call.ctx.cwd else None
        if only is not None:  # the job runs in the one directory that has a package.json (`working-directory`)
            directory = only
            path, scripts = _pkg_scripts(call, directory)
    if scripts is None:
        if allow_bin and _HANDLERS.get(name) not in (None, _h_inert):
            return call.redo([name, *extra])
        return call.clf._fallback(call, name, manager, "no package.json found")
    script = scripts.get(name)
    if script is None:
        if allow_bin and _HANDLERS.get(name) is not _h_inert:
            return call.redo([name, *extra])
        return []
    text = script + ("" if not extra else " " + shlex.join(extra))
    found = call.clf._expand_items(call, ("npm", path, name), name, [(_Loc(f"{path} scripts.{name}"), text)],
                                   cwd=directory)
    if found is None:
        return []
    return found + call.clf._judged(call, name, manager, [script], found)


def _named_files(call: _Call, name: str) -> list[str]:
    """Every evidence path whose file name is `name` (cached per classifier)."""
    return call.clf._cached("named", name, lambda: call.clf.files.named(name)) or []


def _only_package_dir(call: _Call) -> str | None:
    dirs = [posixpath.dirname(p) for p in _named_files(call, "package.json")]
    return dirs[0] if len(dirs) == 1 else None


def _workspace_dirs(call: _Call, root: str, selectors: list[str] | None) -> list[str]:
    """Package directories of a JS monorepo (all of them, or those `selectors` name by path or name)."""
    dirs = []
    for p in _named_files(call, "package.json"):
        d = posixpath.dirname(p)
        if d == root or (root and not d.startswith(root + "/")):
            continue
        dirs.append(d)
    if not selectors:
        return dirs[:40]
    chosen = []
    for d in dirs:
        data = call.clf._json(posixpath.join(d, "package.json"))
        pname = data.get("name", "") if isinstance(data, dict) else ""
        for sel in selectors:
            s = sel.strip("'\"").lstrip("!").rstrip(".").lstrip(".").removeprefix("/").removesuffix("/...")
            s = s.removeprefix("./").rstrip("/")
            if s.startswith("...") or s.startswith("["):
                return dirs[:40]
            if fnmatchcase(pname, s) or fnmatchcase(d, s) or fnmatchcase(d, s + "/*") or d == s or d.endswith("/" + s):
                chosen.append(d)
                break
    return chosen[:40]


def _run_workspace_script(call: _Call, manager: str, name: str, extra: list[str],
                          selectors: list[str] | None, root: str | None = None) -> list[Finding]:
    root = call.cwd if root is None else root
    out: list[Finding] = []
    for d in _workspace_dirs(call, root, selectors):
        _, scripts = _pkg_scripts(call, d)
        if scripts and name in scripts:
            out += _run_pkg_script(call, manager, d, name, extra)
    if not out:
        _, scripts = _pkg_scripts(call, root)
        if scripts and name in scripts:
            out += _run_pkg_script(call, manager, root, name, extra)
    if not out and not _pkg_scripts(call, root)[1] and not _workspace_dirs(call, root, None):
        out += call.clf._fallback(call, name, manager, "no package.json found")
    return out


def _split_extra(rest: list[str]) -> tuple[list[str], list[str]]:
    """npm: args after `--` go to the script."""
    if "--" in rest:
        k = rest.index("--")
        return rest[:k], rest[k + 1:]
    return rest, []


@_program("npm")
def _h_npm(call: _Call) -> list[Finding]:
    a = call.args
    directory = call.cwd
    workspaces: list[str] | None = None
    all_ws = False
    i = 0
    while i < len(a):
        w = a[i]
        if w in ("--prefix", "-C") and i + 1 < len(a):
            directory = _norm_path(directory, a[i + 1]) or directory
            i += 2
            continue
        if w.startswith("--prefix="):
            directory = _norm_path(directory, w.split("=", 1)[1]) or directory
        elif w in ("-w", "--workspace") and i + 1 < len(a):
            workspaces = (workspaces or []) + [a[i + 1]]
            i += 2
            continue
        elif w.startswith("--workspace="):
            workspaces = (workspaces or []) + [w.split("=", 1)[1]]
        elif w in ("--workspaces", "-ws", "--ws"):
            all_ws = True
        elif w in ("--loglevel", "--registry", "--cache", "--userconfig", "--omit", "--include"):
            i += 2
            continue
        elif not w.startswith("-"):
            break
        i += 1
    rest = a[i:]
    if not rest:
        return []
    cmd, rest = rest[0], rest[1:]
    if workspaces is None and not all_ws:
        ws = _opts(rest, "-w", "--workspace")
        workspaces = ws or None
        all_ws = _flag(rest, "--workspaces", "-ws", "--ws")
    if cmd in ("publish",):
        if _flag(rest, "--dry-run"):
            return []
        return [call.f("publish", "npm")]
    if cmd == "audit":
        pos = _positionals(rest)
        return [] if pos[:1] == ["fix"] else [call.f("security-scan", "npm-audit")]
    if cmd in ("test", "t", "tst", "run", "run-script", "rum", "urn", "start"):
        if cmd in ("run", "run-script", "rum", "urn"):
            own, extra = _split_extra(rest)
            pos = _positionals(own, {"-w", "--workspace"})
            if not pos:
                return []
            name = pos[0]
        else:
            own, extra = _split_extra(rest)
            name = "test" if cmd in ("t", "tst") else cmd
        if workspaces or all_ws:
            return _run_workspace_script(call, "npm", name, extra, None if all_ws else workspaces, directory)
        return _run_pkg_script(call, "npm", directory, name, extra)
    return []


_YARN_OWN = frozenset({"install", "add", "remove", "upgrade", "up", "upgrade-interactive", "info", "why", "pack", "version",
                       "cache", "config", "init", "link", "unlink", "login", "logout", "owner", "tag", "team", "global",
                       "licenses", "check", "generate-lock-entry", "autoclean", "import", "outdated", "policies", "set",
                       "plugin", "constraints", "patch", "patch-commit", "unplug", "dedupe", "explain", "node", "bin",
                       "list", "create", "help", "rebuild", "stage", "search", "sdks"})


@_program("yarn", "yarnpkg")
def _h_yarn(call: _Call) -> list[Finding]:
    a = call.args
    directory = call.cwd
    i = 0
    while i < len(a) and a[i].startswith("-"):
        if a[i] == "--cwd" and i + 1 < len(a):
            directory = _norm_path(directory, a[i + 1]) or directory
            i += 2
            continue
        if a[i].startswith("--cwd="):
            directory = _norm_path(directory, a[i].split("=", 1)[1]) or directory
        i += 1
    rest = a[i:]
    if not rest:
        return []
    cmd, rest = rest[0], rest[1:]
    if cmd == "publish" or (cmd == "npm" and rest[:1] == ["publish"]):
        return [] if _flag(rest, "--dry-run") else [call.f("publish", "npm", "yarn publish")]
    if cmd == "audit" or (cmd == "npm" and rest[:1] == ["audit"]):
        return [call.f("security-scan", "npm-audit", "yarn audit")]
    if cmd == "workspace" and len(rest) >= 2:
        return _run_workspace_script(call, "yarn", _yarn_script_name(rest[1:])[0], _yarn_script_name(rest[1:])[1],
                                     [rest[0]], directory)
    if cmd == "workspaces":
        sub = [w for w in rest]
        if sub[:1] == ["run"] and len(sub) >= 2:
            return _run_workspace_script(call, "yarn", sub[1], sub[2:], None, directory)
        if sub[:1] == ["foreach"]:
            body = _skip_opts(sub[1:], {"--include", "--exclude", "--from", "-j", "--jobs", "--since"})
            if body[:1] == ["run"]:
                body = body[1:]
            if body:
                return _run_workspace_script(call, "yarn", body[0], body[1:], None, directory)
        return []
    if cmd in _YARN_OWN:
        return []
    if cmd == "run":
        if not rest:
            return []
        cmd, rest = rest[0], rest[1:]
    return _run_pkg_script(call, "yarn", directory, cmd, [w for w in rest if w != "--"], allow_bin=True)


def _yarn_script_name(rest: list[str]) -> tuple[str, list[str]]:
    if rest[:1] == ["run"] and len(rest) > 1:
        return rest[1], rest[2:]
    return rest[0], rest[1:]


@_program("pnpm")
def _h_pnpm(call: _Call) -> list[Finding]:
    a = call.args
    directory = call.cwd
    filters: list[str] = []
    recursive = False
    i = 0
    while i < len(a) and a[i].startswith("-"):
        w = a[i]
        if w in ("-C", "--dir") and i + 1 < len(a):
            directory = _norm_path(directory, a[i + 1]) or directory
            i += 2
            continue
        if w.startswith("--dir="):
            directory = _norm_path(directory, w.split("=", 1)[1]) or directory
        elif w in ("--filter", "-F") and i + 1 < len(a):
            filters.append(a[i + 1])
            i += 2
            continue
        elif w.startswith("--filter="):
            filters.append(w.split("=", 1)[1])
        elif w in ("-r", "--recursive", "-w", "--workspace-root"):
            recursive = recursive or w in ("-r", "--recursive")
        i += 1
    rest = a[i:]
    if not rest:
        return []
    cmd, rest = rest[0], rest[1:]
    filters += _opts(rest, "--filter", "-F")
    recursive = recursive or _flag(rest, "-r", "--recursive")
    rest = [w for j, w in enumerate(rest) if w not in ("-r", "--recursive", "--filter", "-F")
            and not w.startswith("--filter=") and not (j > 0 and rest[j - 1] in ("--filter", "-F"))]
    if cmd == "publish":
        return [] if _flag(rest, "--dry-run") else [call.f("publish", "npm", "pnpm publish")]
    if cmd == "audit":
        return [call.f("security-scan", "npm-audit", "pnpm audit")]
    if cmd in _NPM_BUILTINS or cmd in _YARN_OWN:
        return []
    if cmd in ("run", "run-script"):
        own, extra = _split_extra(rest)
        pos = _positionals(own)
        if not pos:
            return []
        cmd, rest = pos[0], own[own.index(pos[0]) + 1:] + extra
    elif cmd == "t":
        cmd = "test"
    if recursive or filters:
        return _run_workspace_script(call, "pnpm", cmd, [w for w in rest if w != "--"], filters or None, directory)
    return _run_pkg_script(call, "pnpm", directory, cmd, [w for w in rest if w != "--"], allow_bin=True)


@_program("bun")
def _h_bun(call: _Call) -> list[Finding]:
    a = call.args
    directory = call.cwd
    cwd_opt = _opt(a, "--cwd")
    if cwd_opt:
        directory = _norm_path(directory, cwd_opt) or directory
    valued = {"--cwd", "--filter", "-F"}
    filters = _opts(a, "--filter", "-F")
    pos = _positionals(a, valued)
    if not pos:
        return []
    cmd = pos[0]
    rest = a[a.index(cmd) + 1:]
    if cmd == "test":
        out = [call.f("test", "bun")]
        if _flag(rest, "--coverage"):
            out.append(call.f("coverage", "bun"))
        return out
    if cmd == "publish":
        return [] if _flag(rest, "--dry-run") else [call.f("publish", "npm", "bun publish")]
    if cmd == "run":
        filters += _opts(rest, "--filter", "-F")
        pos2 = _positionals(rest, valued)
        if not pos2:
            return []
        cmd, rest = pos2[0], rest[rest.index(pos2[0]) + 1:]
    elif cmd in _NPM_BUILTINS or cmd in ("build", "pm", "upgrade", "repl", "link", "init", "create"):
        return []
    if cmd.endswith((".ts", ".js", ".mjs", ".cjs", ".tsx", ".jsx")):
        return []
    extra = [w for w in rest if w != "--"]
    if filters:
        return _run_workspace_script(call, "bun", cmd, extra, filters, directory)
    return _run_pkg_script(call, "bun", directory, cmd, extra, allow_bin=True)


@_program("run-s", "run-p", "npm-run-all", "npm-run-all2")
def _h_run_all(call: _Call) -> list[Finding]:
    valued = {"--npm-path", "--max-parallel", "-m"}
    _, scripts = _pkg_scripts(call, call.cwd)
    out: list[Finding] = []
    for pat in _positionals(call.args, valued):
        parts = pat.split()
        if not parts:
            continue
        name, extra = parts[0], [w for w in parts[1:] if w != "--"]
        if scripts is None:
            out += call.clf._fallback(call, name, "npm", "no package.json found")
            continue
        if any(ch in name for ch in "*?"):
            rx = re.compile("^" + re.escape(name).replace(r"\*\*", ".+").replace(r"\*", "[^:]+").replace(r"\?", ".") + "$")
            names = [s for s in scripts if rx.match(s)]
        else:
            names = [name]
        for nm in names:
            out += _run_pkg_script(call, "npm", call.cwd, nm, extra)
    return out


@_program("concurrently")
def _h_concurrently(call: _Call) -> list[Finding]:
    valued = {"-n", "--names", "-c", "--prefix-colors", "-p", "--prefix", "-s", "--success", "-m", "--max-processes",
              "--hide", "-t", "--timestamp-format", "-l", "--prefix-length", "--restart-tries", "--restart-after",
              "--name-separator", "--default-input-target", "--handle-input"}
    out: list[Finding] = []
    for item in _positionals(call.args, valued):
        m = re.match(r"^(npm|yarn|pnpm|bun):(.+)$", item)
        if m:
            name = m.group(2)
            _, scripts = _pkg_scripts(call, call.cwd)
            if scripts and any(ch in name for ch in "*"):
                rx = re.compile("^" + re.escape(name).replace(r"\*", ".*") + "$")
                for nm in scripts:
                    if rx.match(nm):
                        out += _run_pkg_script(call, m.group(1), call.cwd, nm, [])
            else:
                out += _run_pkg_script(call, m.group(1), call.cwd, name.split()[0], name.split()[1:])
        else:
            out += call.text(item)
    return out


@_program("start-server-and-test", "server-test", "start-test")
def _h_start_server_and_test(call: _Call) -> list[Finding]:
    pos = _positionals(call.args, {"--expect"})
    target = pos[-1] if len(pos) >= 3 or len(pos) == 1 else "test"
    if len(pos) == 2:
        target = "test"
    _, scripts = _pkg_scripts(call, call.cwd)
    if scripts is not None and target in scripts:
        return _run_pkg_script(call, "npm", call.cwd, target, [])
    if " " in target:
        return call.text(target)
    return _run_pkg_script(call, "npm", call.cwd, target, [])


@_program("lerna")
def _h_lerna(call: _Call) -> list[Finding]:
    pos = _positionals(call.args, {"--scope", "--ignore", "--concurrency", "--since", "--dist-tag", "--preid",
                                   "--conventional-prerelease", "--message", "-m", "--registry", "--loglevel"})
    if not pos:
        return []
    sub = pos[0]
    if sub == "publish":
        out = [call.f("publish", "npm", "lerna publish"), call.f("release", "lerna")]
        if _flag(call.args, "--conventional-commits"):
            out.append(call.f("release-notes", "lerna"))
        return out
    if sub == "version":
        out = [call.f("release", "lerna")]
        if _flag(call.args, "--conventional-commits"):
            out.append(call.f("release-notes", "lerna"))
        return out
    if sub == "run" and len(pos) > 1:
        scopes = _opts(call.args, "--scope")
        return _run_workspace_script(call, "lerna", pos[1], [], scopes or None)
    return []


@_program("turbo")
def _h_turbo(call: _Call) -> list[Finding]:
    pos = _positionals(call.args, {"--filter", "-F", "--concurrency", "--cache-dir", "--graph", "--output-logs",
                                   "--log-order", "--env-mode", "--cache", "--team", "--token", "--scope",
                                   "--log-prefix", "--profile", "--summarize", "--ui"}, stop=False)
    if pos[:1] == ["run"]:
        pos = pos[1:]
    elif pos and pos[0] in ("prune", "login", "link", "unlink", "gen", "daemon", "ls", "info", "telemetry", "scan", "bin"):
        return []
    filters = _opts(call.args, "--filter", "-F")
    out: list[Finding] = []
    for task in pos:
        task_name = task.split("#", 1)[-1]
        found = _run_workspace_script(call, "turbo", task_name, [], filters or None)
        out += found
    return out


@_program("nx")
def _h_nx(call: _Call) -> list[Finding]:
    a = call.args
    pos = _positionals(a, {"-t", "--target", "--targets", "-p", "--projects", "--base", "--head", "--parallel",
                           "--configuration", "-c", "--exclude", "--output-style", "--nxBail"}, stop=False)
    targets: list[str] = []
    for v in _opts(a, "-t", "--target", "--targets"):
        targets += [t for t in re.split(r"[,\s]+", v) if t]
    if pos and pos[0] in ("run-many", "affected"):
        targets += [p for p in pos[1:] if ":" not in p]  # `-t lint test build`
    elif pos and pos[0].startswith("affected:"):
        targets.append(pos[0].split(":", 1)[1])
    elif pos and pos[0] == "run" and len(pos) > 1:
        targets.append(pos[1].split(":")[1] if ":" in pos[1] else pos[1])
    elif pos and ":" in pos[0] and not pos[0].startswith("@"):
        targets.append(pos[0].split(":")[1])
    elif len(pos) >= 1 and pos[0] not in ("g", "generate", "migrate", "graph", "show", "reset", "daemon",
                                           "format:write", "format:check", "list", "report", "release", "init"):
        targets.append(pos[0])
    if pos[:1] == ["format:check"]:
        return [call.f("lint", "nx", "nx format:check")]
    if pos[:1] == ["release"]:
        return [] if _flag(a, "--dry-run", "-d") else [call.f("release", "nx-release")]
    out: list[Finding] = []
    for t in targets:
        found = _nx_project_targets(call, t)
        found += _run_workspace_script(call, "nx", t, [], None) if not found else []
        if not found:
            found = call.clf._fallback(call, t, "nx", "target not found in project.json or package.json")
        out += found
    return out


_NX_EXECUTORS: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = (
    (r"jest", (("test", "jest"),)),
    (r"vite:test|vitest", (("test", "vitest"),)),
    (r"cypress", (("e2e-test", "cypress"),)),
    (r"playwright", (("e2e-test", "playwright"),)),
    (r"eslint|linter", (("lint", "eslint"),)),
    (r"karma", (("test", "karma"),)),
    (r"@nx-go/.*:test|@nx-go/nx-go:test", (("test", "go"),)),
    (r"gradle.*:test", (("test", "gradle"),)),
)


def _nx_project_targets(call: _Call, target: str) -> list[Finding]:
    out: list[Finding] = []
    clf = call.clf
    for p in _named_files(call, "project.json"):
        data = clf._json(p)
        if not isinstance(data, dict):
            continue
        spec = (data.get("targets") or {}).get(target) if isinstance(data.get("targets"), dict) else None
        if not isinstance(spec, dict):
            continue
        executor = str(spec.get("executor", ""))
        opts = spec.get("options") if isinstance(spec.get("options"), dict) else {}
        if executor in ("nx:run-commands", "@nrwl/workspace:run-commands", "@nx/workspace:run-commands") or spec.get("command"):
            cmds = opts.get("commands") or [opts.get("command") or spec.get("command")]
            items = []
            for c in cmds:
                c = c.get("command") if isinstance(c, dict) else c
                if isinstance(c, str):
                    items.append((_Loc(f"{p} targets.{target}"), c))
            out += clf._expand_items(call, ("nx", p, target), target, items,
                                     cwd=str(opts.get("cwd") or posixpath.dirname(p))) or []
            continue
        for rx, pairs in _NX_EXECUTORS:
            if re.search(rx, executor):
                ctx = clf._enter(call, ("nx", p, target), target)
                if ctx is not None:
                    lab = f"{p} targets.{target}: {executor}"
                    for cat, tool in pairs:
                        out.append(_mk(ctx, lab, cat, tool))
                    cov = opts.get("codeCoverage") or opts.get("coverage")
                    if cov is True:
                        out.append(_mk(ctx, lab, "coverage", pairs[0][1]))
                break
    return out


# ----- just, Taskfile, mise, devbox, pixi, composer, pyproject-based runners ------------------------

_JUST_RECIPE = re.compile(r"^(@?)([A-Za-z_][A-Za-z0-9_-]*)((?:\s+[^:=]*?)?)\s*:(?!=)\s*(.*)$")


def _parse_justfile(text: str) -> tuple[dict[str, tuple[int, list[str], list[tuple[int, str]], bool]], str | None]:
    recipes: dict[str, tuple[int, list[str], list[tuple[int, str]], bool]] = {}
    aliases: dict[str, str] = {}
    first = None
    current: str | None = None
    for idx, ln in enumerate(text.split("\n"), 1):
        if not ln.strip():
            continue
        if ln[0] in " \t":
            if current is not None:
                body = ln.strip()
                if body and not body.startswith("#") or body.startswith("#!"):
                    recipes[current][2].append((idx, body))
            continue
        current = None
        s = ln.strip()
        if s.startswith(("#", "[", "set ", "export ", "import ", "mod ")):
            continue
        m = re.match(r"^alias\s+([\w-]+)\s*:=\s*([\w-]+)", s)
        if m:
            aliases[m.group(1)] = m.group(2)
            continue
        if re.match(r"^[A-Za-z_][\w-]*\s*:=", s):
            continue
        m = _JUST_RECIPE.match(s)
        if m:
            name, params, deps = m.group(2), m.group(3).strip(), m.group(4)
            dep_names = re.findall(r"(?:^|\s|\()([A-Za-z_][\w-]*)", deps.split("#", 1)[0])
            recipes[name] = (idx, dep_names, [], bool(params))
            current = name
            if first is None and not name.startswith("_"):
                first = name
    for al, target in aliases.items():
        if target in recipes and al not in recipes:
            recipes[al] = recipes[target]
    return recipes, first


@_program("just")
def _h_just(call: _Call) -> list[Finding]:
    a = call.args
    jf = _opt(a, "-f", "--justfile")
    wd = _opt(a, "-d", "--working-directory")
    valued = {"-f", "--justfile", "-d", "--working-directory", "--set", "--dotenv-path", "--dotenv-filename",
              "--shell", "--shell-arg", "--color", "--command-color", "--list-heading", "--list-prefix", "--chooser"}
    if _flag(a, "--list", "-l", "--summary", "--show", "-s", "--dump", "--evaluate", "--choose", "--init",
             "--dry-run", "-n", "--fmt", "--edit", "--variables"):
        return []
    pos = [w for w in _positionals(a, valued) if not _ASSIGN.match(w)]
    clf = call.clf
    path = _norm_path(call.cwd, jf) if jf else clf._find(call.cwd, "justfile", "Justfile", ".justfile", "JUSTFILE")
    if path is None and call.cwd:
        path = clf._find("", "justfile", "Justfile", ".justfile")
    parsed = clf._cached("just", path, lambda: _parse_justfile(clf._read(path) or "")) if path else None
    if parsed is None:
        return clf._fallback(call, pos[0], "just", "no justfile found") if pos else []
    recipes, first = parsed
    names = pos[:1] or ([first] if first else [])
    if pos and pos[0] in recipes and not recipes[pos[0]][3]:
        names = [w for w in pos if w in recipes] or names
    out: list[Finding] = []
    cwd = _norm_path(call.cwd, wd) if wd else posixpath.dirname(path)
    for nm in names:
        found = _just_recipe(call, path, recipes, nm, call.ctx, set(), cwd or "")
        if nm in recipes and call.ctx.depth < MAX_DEPTH:
            found += clf._judged(call, nm, "just", [c for _, c in recipes[nm][2]], found)
        out += found
    return out


def _just_recipe(call: _Call, path: str, recipes: dict, name: str, parent: _Ctx, seen: set[str], cwd: str,
                 hops: int = 0) -> list[Finding]:
    if name not in recipes or name in seen or hops > 8:
        return []
    seen.add(name)
    line, deps, body, _ = recipes[name]
    if hops == 0:
        ctx = call.clf._enter(call, ("just", path, name), name, cwd=cwd)
        if ctx is None:
            return []
    else:
        ctx = _named_scope(parent, name)
    out: list[Finding] = []
    for d in deps:
        sub = replace(ctx, chain=(*ctx.chain, f"{path}:{line} {name}: {' '.join(deps)}"))
        out += _just_recipe(call, path, recipes, d, sub, seen, cwd, hops + 1)
    if body and body[0][1].startswith("#!") and not re.search(r"\b(?:ba|z|da|k)?sh\b", body[0][1]):
        return out
    for lineno, cmd in body:
        cmd = cmd.lstrip("@-").lstrip()
        out += call.clf._text(cmd, ctx, _Loc(path, lineno))
    return out


_TASKFILES = ("Taskfile.yml", "Taskfile.yaml", "taskfile.yml", "taskfile.yaml", "Taskfile.dist.yml",
              "Taskfile.dist.yaml", "taskfile.dist.yml", "taskfile.dist.yaml")


@_program("task", "go-task")
def _h_task(call: _Call) -> list[Finding]:
    a = call.args
    if _flag(a, "--list", "-l", "--list-all", "-a", "--init", "-i", "--dry", "-n", "--summary", "--help", "-h", "--version"):
        return []
    valued = {"-d", "--dir", "-t", "--taskfile", "-o", "--output", "-C", "--concurrency", "--interval", "-I",
              "--output-group-begin", "--output-group-end", "--sort"}
    own = a[:a.index("--")] if "--" in a else a
    pos = [w for w in _positionals(own, valued) if not _ASSIGN.match(w)]
    clf = call.clf
    tf = _opt(a, "-t", "--taskfile")
    d = _opt(a, "-d", "--dir")
    base = _norm_path(call.cwd, d) if d else call.cwd
    path = _norm_path(base or "", tf) if tf else clf._find(base or "", *_TASKFILES)
    if path is None and base:
        path = clf._find("", *_TASKFILES)
    data = clf._yaml(path) if path else None
    if not isinstance(data, dict):
        return clf._fallback(call, pos[0], "task", "no Taskfile found") if pos else []
    out: list[Finding] = []
    for nm in pos or ["default"]:
        found = _taskfile_task(call, path, data, nm, call.ctx, set(), 0)
        spec = (data.get("tasks") or {}).get(nm) if isinstance(data.get("tasks"), dict) else None
        cmds = spec.get("cmds") if isinstance(spec, dict) else spec if isinstance(spec, list) else [spec]
        texts = [c if isinstance(c, str) else c.get("cmd") for c in cmds or [] if isinstance(c, (str, dict))]
        if call.ctx.depth < MAX_DEPTH:
            found += clf._judged(call, nm, "task", [t for t in texts if isinstance(t, str)], found)
        out += found
    return out


def _taskfile_task(call: _Call, path: str, data: dict, name: str, parent: _Ctx, seen: set[str], hops: int) -> list[Finding]:
    clf = call.clf
    tasks = data.get("tasks") if isinstance(data.get("tasks"), dict) else {}
    spec = tasks.get(name)
    if spec is None:
        for tn, tv in tasks.items():
            if isinstance(tv, dict) and name in (tv.get("aliases") or []):
                spec, name = tv, tn
                break
    if spec is None and ":" in name:
        ns, sub = name.split(":", 1)
        inc = (data.get("includes") or {}).get(ns) if isinstance(data.get("includes"), dict) else None
        inc_path = inc.get("taskfile") if isinstance(inc, dict) else inc
        if isinstance(inc_path, str):
            p = _norm_path(posixpath.dirname(path), inc_path)
            if p is not None and not clf.files.exists(p):
                p = clf._find(p, *_TASKFILES)
            inc_data = clf._yaml(p) if p else None
            if isinstance(inc_data, dict):
                return _taskfile_task(call, p, inc_data, sub, parent, seen, hops)
        return []
    if spec is None or (path, name) in seen or hops > 8:
        return []
    seen.add((path, name))
    if hops == 0:
        ctx = clf._enter(call, ("task", path, name), name, cwd=posixpath.dirname(path))
        if ctx is None:
            return []
    else:
        ctx = _named_scope(parent, name)
    if isinstance(spec, str):
        spec = {"cmds": [spec]}
    elif isinstance(spec, list):
        spec = {"cmds": spec}
    if not isinstance(spec, dict):
        return []
    if isinstance(spec.get("dir"), str) and "{{" not in spec["dir"]:
        ctx = replace(ctx, cwd=_norm_path(posixpath.dirname(path), spec["dir"]) or ctx.cwd)
    out: list[Finding] = []
    for d in spec.get("deps") or []:
        dn = d.get("task") if isinstance(d, dict) else d
        if isinstance(dn, str):
            out += _taskfile_task(call, path, data, dn, replace(ctx, chain=(*ctx.chain, f"{path} tasks.{name}.deps")),
                                  seen, hops + 1)
    for k, c in enumerate(spec.get("cmds") or []):
        if isinstance(c, dict):
            if isinstance(c.get("task"), str):
                out += _taskfile_task(call, path, data, c["task"],
                                      replace(ctx, chain=(*ctx.chain, f"{path} tasks.{name}.cmds[{k}]")), seen, hops + 1)
                continue
            c = c.get("cmd")
        if isinstance(c, str):
            out += clf._text(c, ctx, _Loc(f"{path} tasks.{name}.cmds[{k}]"))
    return out


@_program("mise", "rtx")
def _h_mise(call: _Call) -> list[Finding]:
    pos = _positionals(call.args, {"-C", "--cd", "-E", "--env", "-j", "--jobs", "-o", "--output"})
    if not pos:
        return []
    if pos[0] in ("run", "r"):
        names = pos[1:2]
    elif pos[0] in ("tasks",) and pos[1:2] == ["run"]:
        names = pos[2:3]
    else:
        return []
    clf = call.clf
    out: list[Finding] = []
    for nm in names:
        for cfg in ("mise.toml", ".mise.toml", "mise/config.toml", ".config/mise.toml", ".config/mise/config.toml"):
            data = clf._toml(cfg) if clf.files.exists(cfg) else None
            task = ((data or {}).get("tasks") or {}).get(nm) if isinstance(data, dict) else None
            if task is None:
                continue
            run = task if isinstance(task, (str, list)) else task.get("run") if isinstance(task, dict) else None
            runs = [run] if isinstance(run, str) else [r for r in (run or []) if isinstance(r, str)]
            out += clf._expand_items(call, ("mise", cfg, nm), nm, [(_Loc(f"{cfg} tasks.{nm}"), r) for r in runs]) or []
            break
        else:
            for d in ("mise-tasks", ".mise/tasks", "mise/tasks", ".config/mise/tasks"):
                p = posixpath.join(d, *nm.split(":"))
                if clf.files.exists(p):
                    out += clf._run_script(call, p)
                    break
    return out


@_program("devbox")
def _h_devbox(call: _Call) -> list[Finding]:
    pos = _positionals(call.args, {"-c", "--config", "-e", "--env", "--env-file"})
    if pos[:1] != ["run"] or len(pos) < 2:
        return []
    if "--" in call.args:
        return call.redo(_after_dd(call.args))
    data = call.clf._json("devbox.json")
    scripts = ((data or {}).get("shell") or {}).get("scripts") if isinstance(data, dict) else None
    nm = pos[1]
    if isinstance(scripts, dict) and nm in scripts:
        v = scripts[nm]
        items = [v] if isinstance(v, str) else [x for x in v if isinstance(x, str)]
        return call.clf._expand_items(call, ("devbox", nm), nm,
                                      [(_Loc(f"devbox.json shell.scripts.{nm}"), x) for x in items]) or []
    return call.redo(pos[1:])


@_program("pixi")
def _h_pixi(call: _Call) -> list[Finding]:
    pos = _positionals(call.args, {"-e", "--environment", "--manifest-path"})
    if pos[:1] not in (["run"], ["r"]) or len(pos) < 2:
        return []
    nm = pos[1]
    clf = call.clf
    for cfg, prefix in (("pixi.toml", ()), ("pyproject.toml", ("tool", "pixi"))):
        data = clf._toml(cfg) if clf.files.exists(cfg) else None
        if not isinstance(data, dict):
            continue
        for k in prefix:
            data = data.get(k) if isinstance(data, dict) else None
        if not isinstance(data, dict):
            continue
        tables = [data.get("tasks")] + [f.get("tasks") for f in (data.get("feature") or {}).values() if isinstance(f, dict)]
        for t in tables:
            if isinstance(t, dict) and nm in t:
                spec = t[nm]
                cmd = spec if isinstance(spec, (str, list)) else spec.get("cmd") if isinstance(spec, dict) else None
                deps = spec.get("depends-on") or spec.get("depends_on") or [] if isinstance(spec, dict) else []
                items = []
                for d in deps if isinstance(deps, list) else [deps]:
                    if isinstance(d, str):
                        items.append((_Loc(f"{cfg} tasks.{nm}.depends-on"), f"pixi run {d}"))
                if isinstance(cmd, list):
                    cmd = shlex.join(str(x) for x in cmd)
                if isinstance(cmd, str):
                    items.append((_Loc(f"{cfg} tasks.{nm}"), cmd))
                return clf._expand_items(call, ("pixi", nm), nm, items) or []
    return call.redo(pos[1:] + _after_dd(call.args))


def _pyproject(call: _Call, *keys: str) -> Any:
    data = call.clf._toml("pyproject.toml") if call.clf.files.exists("pyproject.toml") else None
    for k in keys:
        data = data.get(k) if isinstance(data, dict) else None
    return data


@_program("poe")
def _h_poe(call: _Call) -> list[Finding]:
    pos = _positionals(call.args, {"-C", "--directory", "--root", "-e", "--executor"})
    if not pos:
        return []
    return _poe_task(call, pos[0], pos[1:])


def _poe_task(call: _Call, name: str, extra: list[str]) -> list[Finding]:
    tasks = _pyproject(call, "tool", "poe", "tasks")
    if not isinstance(tasks, dict) or name not in tasks:
        return []
    spec = tasks[name]
    items: list[tuple[_Loc, str]] = []
    loc = _Loc(f"pyproject.toml tool.poe.tasks.{name}")

    def add(s: Any) -> None:
        if isinstance(s, str):
            items.append((loc, s + (" " + shlex.join(extra) if extra else "")))
        elif isinstance(s, dict):
            for key in ("cmd", "shell"):
                if isinstance(s.get(key), str):
                    items.append((loc, s[key]))
            if isinstance(s.get("ref"), str):
                items.append((loc, f"poe {s['ref']}"))
            seq = s.get("sequence")
            if isinstance(seq, list):
                for x in seq:
                    if isinstance(x, str):
                        items.append((loc, f"poe {x}"))
                    else:
                        add(x)
        elif isinstance(s, list):
            for x in s:
                if isinstance(x, str):
                    items.append((loc, f"poe {x}"))
                else:
                    add(x)
    add(spec)
    return call.clf._expand_items(call, ("poe", name), name, items) or []


@_program("pdm")
def _h_pdm(call: _Call) -> list[Finding]:
    pos = _positionals(call.args, {"-p", "--project", "-G", "--group", "-L", "--lockfile", "-v"})
    if not pos:
        return []
    sub = pos[0]
    if sub == "publish":
        return [] if _flag(call.args, "--dry-run") else [call.f("publish", "pypi", "pdm publish")]
    if sub == "build":
        return [call.f("build", "pdm")]
    if sub != "run" or len(pos) < 2:
        return []
    rest = call.args[call.args.index("run") + 1:]
    rest = _skip_opts(rest, {"-p", "--project", "--venv"})
    if not rest:
        return []
    name = rest[0]
    scripts = _pyproject(call, "tool", "pdm", "scripts")
    if isinstance(scripts, dict) and name in scripts and not name.startswith("_"):
        spec = scripts[name]
        loc = _Loc(f"pyproject.toml tool.pdm.scripts.{name}")
        items: list[tuple[_Loc, str]] = []
        if isinstance(spec, str):
            items.append((loc, spec))
        elif isinstance(spec, dict):
            for key in ("cmd", "shell"):
                v = spec.get(key)
                if isinstance(v, list):
                    v = shlex.join(str(x) for x in v)
                if isinstance(v, str):
                    items.append((loc, v))
            for x in spec.get("composite") or []:
                if isinstance(x, str):
                    first = x.split()[0] if x.split() else ""
                    items.append((loc, f"pdm run {x}" if first in scripts else x))
        if items and rest[1:]:
            loc0, t0 = items[-1]
            items[-1] = (loc0, t0 + " " + shlex.join(rest[1:]))
        return call.clf._expand_items(call, ("pdm", name), name, items) or []
    return call.redo(rest)


@_program("rye")
def _h_rye(call: _Call) -> list[Finding]:
    pos = _positionals(call.args, {"--pyproject"})
    if not pos:
        return []
    if pos[0] == "test":
        return [call.f("test", "pytest", "rye test")]
    if pos[0] == "lint":
        return [call.f("lint", "ruff", "rye lint")]
    if pos[0] == "fmt" and _flag(call.args, "--check"):
        return [call.f("lint", "ruff", "rye fmt --check")]
    if pos[0] == "publish":
        return [call.f("publish", "pypi", "rye publish")]
    if pos[0] != "run" or len(pos) < 2:
        return []
    name = pos[1]
    scripts = _pyproject(call, "tool", "rye", "scripts")
    if isinstance(scripts, dict) and name in scripts:
        spec = scripts[name]
        loc = _Loc(f"pyproject.toml tool.rye.scripts.{name}")
        items: list[tuple[_Loc, str]] = []
        if isinstance(spec, (str, list)):
            spec = {"cmd": spec}
        if isinstance(spec, dict):
            v = spec.get("cmd")
            if isinstance(v, list):
                v = shlex.join(str(x) for x in v)
            if isinstance(v, str):
                items.append((loc, v))
            for x in spec.get("chain") or []:
                if isinstance(x, str):
                    items.append((loc, f"rye run {x}" if x.split()[0] in scripts else x))
        return call.clf._expand_items(call, ("rye", name), name, items) or []
    return call.redo(pos[1:])


@_program("hatch")
def _h_hatch(call: _Call) -> list[Finding]:
    a = call.args
    pos = _positionals(a, {"-e", "--env", "-p", "--project", "--data-dir", "--cache-dir", "--config", "-i",
                           "--include", "-x", "--exclude", "--python", "-py"})
    if not pos:
        return []
    sub = pos[0]
    if sub == "test":
        out = [call.f("test", "hatch", "hatch test (pytest)")]
        if _flag(a, "--cover", "-c"):
            out.append(call.f("coverage", "coverage-py", "hatch test --cover"))
        return out
    if sub == "publish":
        return [call.f("publish", "pypi", "hatch publish")]
    if sub == "build":
        return [call.f("build", "hatch")]
    if sub == "fmt":
        return [call.f("lint", "ruff", "hatch fmt --check")] if _flag(a, "--check") else []
    if sub != "run":
        return []
    rest = a[a.index("run") + 1:]
    rest = _skip_opts(rest, {"-i", "--include", "-x", "--exclude", "--filter"})
    if not rest:
        return []
    env_name = _opt(a[:a.index("run")], "-e", "--env") or "default"
    target = rest[0]
    if ":" in target and not target.startswith(("/", "./")):
        env_name, target = target.split(":", 1)
    scripts = _hatch_scripts(call, env_name)
    if target in scripts:
        return _hatch_script(call, env_name, target, scripts, rest[1:])
    return call.redo([target] + rest[1:])


def _hatch_scripts(call: _Call, env_name: str) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for envs in (_pyproject(call, "tool", "hatch", "envs"),
                 (call.clf._toml("hatch.toml") or {}).get("envs") if call.clf.files.exists("hatch.toml") else None):
        if not isinstance(envs, dict):
            continue
        for nm in ("default", env_name):
            e = envs.get(nm)
            if isinstance(e, dict) and isinstance(e.get("scripts"), dict):
                out.update(e["scripts"])
    return out


def _hatch_script(call: _Call, env_name: str, name: str, scripts: dict[str, Any], extra: list[str]) -> list[Finding]:
    spec = scripts[name]
    cmds = [spec] if isinstance(spec, str) else [x for x in spec if isinstance(x, str)] if isinstance(spec, list) else []
    loc = _Loc(f"pyproject.toml tool.hatch.envs.{env_name}.scripts.{name}")
    items: list[tuple[_Loc, str]] = []
    for c in cmds:
        c = c.replace("{args}", shlex.join(extra) if extra else "")
        c = re.sub(r"\{args:([^}]*)\}", lambda m: shlex.join(extra) if extra else m.group(1), c)
        first = c.split()[0] if c.split() else ""
        items.append((loc, f"hatch run {env_name}:{c}" if first in scripts and first != name else c))
    return call.clf._expand_items(call, ("hatch", env_name, name), name, items) or []


@_program("composer")
def _h_composer(call: _Call) -> list[Finding]:
    a = call.args
    d = _opt(a, "-d", "--working-dir")
    directory = _norm_path(call.cwd, d) if d else call.cwd
    pos = _positionals(a, {"-d", "--working-dir", "--timeout"})
    if not pos:
        return []
    sub = pos[0]
    if sub == "audit":
        return [call.f("security-scan", "composer-audit")]
    if sub == "exec":
        rest = a[a.index("exec") + 1:]
        return call.redo(_skip_opts(rest))
    if sub in ("run-script", "run"):
        if len(pos) < 2:
            return []
        sub, extra = pos[1], pos[2:]
    else:
        extra = pos[1:]
    return _composer_script(call, directory or "", sub, extra)


def _composer_script(call: _Call, directory: str, name: str, extra: list[str]) -> list[Finding]:
    path = posixpath.join(directory, "composer.json") if directory else "composer.json"
    data = call.clf._json(path)
    scripts = data.get("scripts") if isinstance(data, dict) else None
    if not isinstance(scripts, dict) or name not in scripts:
        if data is None and name in ("test", "tests", "lint", "phpstan", "cs", "check"):
            return call.clf._fallback(call, name, "composer", "no composer.json found")
        return []
    spec = scripts[name]
    items = [spec] if isinstance(spec, str) else [x for x in spec if isinstance(x, str)] if isinstance(spec, list) else []
    loc = _Loc(f"{path} scripts.{name}")
    texts: list[tuple[_Loc, str]] = []
    for it in items:
        it = it.strip()
        if it.startswith("@putenv"):
            continue
        if it.startswith("@php "):
            it = "php " + it[5:]
        elif it.startswith("@composer "):
            it = "composer " + it[10:]
        elif it.startswith("@"):
            it = "composer run-script " + it[1:]
        elif re.match(r"^[\w\\]+::\w+$", it):
            continue
        texts.append((loc, it + (" " + shlex.join(extra) if extra else "")))
    return call.clf._expand_items(call, ("composer", path, name), name, texts, cwd=directory) or []


# ----- tox ---------------------------------------------------------------------------------------------

def _brace_expand(s: str) -> list[str]:
    m = re.search(r"\{([^{}]*)\}", s)
    if not m:
        return [s]
    out = []
    for part in m.group(1).split(","):
        out += _brace_expand(s[:m.start()] + part.strip() + s[m.end():])
    return out


@dataclass
class _Tox:
    path: str
    envlist: list[str]
    commands: dict[str, list[tuple[int | None, str]]]
    """env name (or '' for the base testenv) -> commands (line, text)."""
    labels: dict[str, list[str]]


def _parse_tox(read: Callable[[str], str | None], toml: Callable[[str], Any], exists: Callable[[str], bool]) -> _Tox | None:
    for path in ("tox.ini", "tox.toml", "pyproject.toml", "setup.cfg"):
        if not exists(path):
            continue
        if path in ("tox.toml", "pyproject.toml"):
            data = toml(path)
            if path == "pyproject.toml":
                data = (data or {}).get("tool", {}).get("tox") if isinstance(data, dict) else None
                if isinstance(data, dict) and isinstance(data.get("legacy_tox_ini"), str):
                    return _parse_tox_ini(data["legacy_tox_ini"], path, legacy=True)
            if isinstance(data, dict) and data:
                return _parse_tox_toml(data, path)
            continue
        text = read(path)
        if text is None:
            continue
        if path == "setup.cfg" and "[tox:tox]" not in text and "[testenv" not in text:
            continue
        return _parse_tox_ini(text, path)
    return None


def _parse_tox_ini(text: str, path: str, legacy: bool = False) -> _Tox:
    cp = configparser.RawConfigParser(strict=False, delimiters=("=",), comment_prefixes=("#", ";"),
                                      inline_comment_prefixes=None, interpolation=None)
    cp.optionxform = str  # type: ignore[assignment]
    cp.read_string(text)
    # line numbers of `commands` keys
    key_lines: dict[str, int] = {}
    section = None
    for idx, ln in enumerate(text.split("\n"), 1):
        m = re.match(r"^\s*\[([^\]]+)\]", ln)
        if m:
            section = m.group(1).strip()
        elif section and re.match(r"^commands\s*=", ln):
            key_lines[section] = idx
    main = "tox:tox" if path == "setup.cfg" else "tox"
    envlist: list[str] = []
    if cp.has_section(main):
        raw = cp.get(main, "envlist", fallback="") or cp.get(main, "env_list", fallback="")
        for item in re.split(r"[,\n]+", raw):
            item = item.strip()
            if item:
                envlist += _brace_expand(item)
    labels: dict[str, list[str]] = {}
    if cp.has_section(main):
        for ln in (cp.get(main, "labels", fallback="") or "").split("\n"):
            if "=" in ln:
                k, v = ln.split("=", 1)
                labels[k.strip()] = [x.strip() for x in re.split(r"[,\s]+", v) if x.strip()]
    commands: dict[str, list[tuple[int | None, str]]] = {}
    prefix = "testenv"
    for sec in cp.sections():
        if sec == prefix or sec.startswith(prefix + ":"):
            name = "" if sec == prefix else sec.split(":", 1)[1].strip()
            raw = cp.get(sec, "commands", fallback=None)
            pre = cp.get(sec, "commands_pre", fallback=None)
            if raw is None and pre is None:
                continue
            lines: list[tuple[int | None, str]] = []
            base = None if legacy else key_lines.get(sec)
            for ln in (pre or "").replace("\\\n", " ").split("\n"):
                if ln.strip():
                    lines.append((None, ln.strip()))
            for k, ln in enumerate((raw or "").split("\n")):
                if ln.strip():
                    lines.append((base + k if base else None, ln.strip().rstrip("\\").strip()))
            for nm in _brace_expand(name) if name else [name]:
                commands[nm] = lines
    return _Tox(path, envlist, commands, labels)


def _parse_tox_toml(data: dict, path: str) -> _Tox:
    envlist = [str(x) for x in data.get("env_list") or data.get("envlist") or []]
    commands: dict[str, list[tuple[int | None, str]]] = {}

    def conv(cmds: Any) -> list[tuple[int | None, str]]:
        out = []
        for c in cmds or []:
            if isinstance(c, list):
                words = []
                for w in c:
                    if isinstance(w, str):
                        words.append(w)
                    elif isinstance(w, dict) and isinstance(w.get("default"), list):
                        words += [str(x) for x in w["default"]]
                out.append((None, shlex.join(words)))
            elif isinstance(c, str):
                out.append((None, c))
        return out
    base = data.get("env_run_base") or {}
    if isinstance(base, dict) and (base.get("commands") or base.get("commands_pre")):
        commands[""] = conv(base.get("commands_pre")) + conv(base.get("commands"))
    for nm, spec in (data.get("env") or {}).items():
        if isinstance(spec, dict) and (spec.get("commands") or spec.get("commands_pre")):
            commands[nm] = conv(spec.get("commands_pre")) + conv(spec.get("commands"))
    labels = {k: [str(x) for x in v] for k, v in (data.get("labels") or {}).items() if isinstance(v, list)}
    return _Tox(path, envlist, commands, labels)


_TOX_SUBST = re.compile(r"\{([^{}]*)\}")


def _tox_subst(text: str) -> str:
    def sub(m: re.Match[str]) -> str:
        inner = m.group(1)
        if inner.startswith("posargs"):
            return inner.split(":", 1)[1] if ":" in inner else ""
        if inner in ("envpython",):
            return "python"
        if inner in ("toxinidir", "tox_root", "envdir", "env_dir"):
            return "."
        if inner in ("envbindir", "env_bin_dir"):
            return "."
        return ""
    return _TOX_SUBST.sub(sub, text)


def _tox_env_lines(tox: _Tox, env: str) -> list[tuple[int | None, str]]:
    lines = tox.commands.get(env)
    if lines is None:
        lines = tox.commands.get("", [])
    factors = set(env.split("-"))
    out = []
    for line, text in lines:
        m = re.match(r"^([!\w.,-]+):\s+(.*)$", text)
        if m and not text.startswith(("http", "-")):
            conds = m.group(1).split(",")
            ok = False
            for cond in conds:
                parts = cond.split("-")
                if all((p[1:] not in factors) if p.startswith("!") else (p in factors) for p in parts if p):
                    ok = True
            if not ok:
                continue
            text = m.group(2)
        text = text.lstrip("- ").strip()
        if text:
            out.append((line, _tox_subst(text)))
    return out


@_program("tox")
def _h_tox(call: _Call) -> list[Finding]:
    a = call.args
    own = a[:a.index("--")] if "--" in a else a
    pos = _positionals(own, {"-e", "--env", "-c", "--conf", "-p", "--parallel", "-m", "--labels", "-f", "--factors",
                             "-x", "--override", "--workdir", "--root", "--installpkg", "-n"})
    if pos and pos[0] in ("list", "l", "config", "c", "devenv", "d", "quickstart", "q", "depends", "de", "schema"):
        return []
    if pos and pos[0] in ("exec", "e"):
        inner = _after_dd(a)
        return call.redo(inner) if inner else []
    clf = call.clf
    tox = clf._cached("tox", "", lambda: _parse_tox(clf._read, clf._toml, clf.files.exists))
    envs: list[str] = []
    for v in _opts(own, "-e", "--env"):
        envs += [e.strip() for e in v.split(",") if e.strip()]
    for v in _opts(own, "-m", "--labels"):
        envs += (tox.labels.get(v, [v]) if tox else [v])
    if tox is None:
        names = envs or ["tox"]
        out = []
        for e in names:
            out.append(call.f("lint" if _tox_lint(e) else "test", "tox", "no tox configuration found"))
        return out
    if not envs or envs == ["ALL"] or "ALL" in envs:
        envs = tox.envlist or [e for e in tox.commands if e] or ["py"]
    factors = _opts(own, "-f", "--factors")
    if factors:
        envs = [e for e in envs if all(f in e.split("-") for f in factors)]
    out: list[Finding] = []
    for env in envs[:30]:
        lines = _tox_env_lines(tox, env)
        items = [(_Loc(tox.path, ln) if ln else _Loc(f"{tox.path} [testenv{':' + env if env in tox.commands else ''}]"), t)
                 for ln, t in lines]
        ctx = clf._enter(call, ("tox", env), env)
        if ctx is None:
            continue
        found: list[Finding] = []
        for loc, t in items:
            found += clf._text(t, ctx, loc)
        if _tox_lint(env) and not any(f.category == "lint" for f in found):
            found.append(_mk(ctx, f"{tox.path} env {env}", "lint", "tox", "env named like a linter"))
        elif not found and not re.search(r"doc|build|pkg|release|publish|dev|clean|bump|changelog|upload|deploy|serve", env):
            found.append(_mk(ctx, f"{tox.path} env {env}", "test", "tox"))
        out += found
    return out


def _tox_lint(env: str) -> bool:
    return any(_LINT_NAME.match(f) for f in env.split("-")) or bool(re.search(r"lint|mypy|flake8|typ", env))


# ----- nox ---------------------------------------------------------------------------------------------

@dataclass
class _NoxSession:
    name: str
    line: int
    runs: list[tuple[int, list[str]]]
    notifies: list[str]
    tags: list[str]


def _parse_noxfile(text: str) -> tuple[dict[str, _NoxSession], list[str] | None]:
    tree = ast.parse(text)
    sessions: dict[str, _NoxSession] = {}
    defaults: list[str] | None = None
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and any(
                isinstance(t, ast.Attribute) and t.attr == "sessions" for t in node.targets):
            if isinstance(node.value, (ast.List, ast.Tuple)):
                defaults = [e.value for e in node.value.elts if isinstance(e, ast.Constant) and isinstance(e.value, str)]
    for node in tree.body:
        if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        deco = None
        for d in node.decorator_list:
            target = d.func if isinstance(d, ast.Call) else d
            if (isinstance(target, ast.Attribute) and target.attr == "session") or \
                    (isinstance(target, ast.Name) and target.id == "session"):
                deco = d
        if deco is None:
            continue
        name, tags = node.name, []
        if isinstance(deco, ast.Call):
            for kw in deco.keywords:
                if kw.arg == "name" and isinstance(kw.value, ast.Constant):
                    name = str(kw.value.value)
                if kw.arg == "tags" and isinstance(kw.value, (ast.List, ast.Tuple)):
                    tags = [e.value for e in kw.value.elts if isinstance(e, ast.Constant)]
        runs: list[tuple[int, list[str]]] = []
        notifies: list[str] = []
        for sub in ast.walk(node):
            if isinstance(sub, ast.Call) and isinstance(sub.func, ast.Attribute):
                if sub.func.attr in ("run", "run_always"):
                    words = []
                    for arg in sub.args:
                        if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                            words.append(arg.value)
                        elif isinstance(arg, (ast.List, ast.Tuple)):
                            words += [e.value for e in arg.elts if isinstance(e, ast.Constant) and isinstance(e.value, str)]
                    if words:
                        runs.append((sub.lineno, words))
                elif sub.func.attr == "notify" and sub.args and isinstance(sub.args[0], ast.Constant):
                    notifies.append(str(sub.args[0].value))
        sessions[name] = _NoxSession(name, node.lineno, runs, notifies, tags)
    return sessions, defaults


@_program("nox")
def _h_nox(call: _Call) -> list[Finding]:
    a = call.args
    own = a[:a.index("--")] if "--" in a else a
    if _flag(own, "-l", "--list", "--list-sessions", "--json"):
        return []
    clf = call.clf
    nf = _opt(own, "-f", "--noxfile") or "noxfile.py"
    path = _norm_path(call.cwd, nf)
    parsed = clf._cached("nox", path, lambda: _parse_noxfile(clf._read(path) or "")) if path and clf.files.exists(path) else None
    wanted: list[str] = []
    for flag in ("-s", "--session", "--sessions", "-e"):
        if flag in own:
            k = own.index(flag) + 1
            while k < len(own) and not own[k].startswith("-"):
                wanted.append(own[k])
                k += 1
    wanted += [v for v in _opts(own, "--session", "--sessions") if v]
    tags = _opts(own, "-t", "--tags")
    if parsed is None:
        names = wanted or ["nox"]
        return [call.f("lint" if _tox_lint(n) else "test", "nox", "no noxfile found") for n in names]
    sessions, defaults = parsed
    if tags:
        names = [s.name for s in sessions.values() if set(s.tags) & set(tags)]
    else:
        names = wanted or defaults or list(sessions)
    out: list[Finding] = []
    for raw_name in names[:30]:
        nm = re.sub(r"\(.*\)$", "", raw_name)
        nm = re.sub(r"-(?:\d+(?:\.\d+)*|pypy\d*)$", "", nm)
        out += _nox_session(call, path, sessions, nm, set())
    return out


def _nox_session(call: _Call, path: str, sessions: dict[str, _NoxSession], name: str, seen: set[str]) -> list[Finding]:
    s = sessions.get(name)
    if s is None or name in seen:
        return []
    seen.add(name)
    clf = call.clf
    ctx = clf._enter(call, ("nox", name), name)
    if ctx is None:
        return []
    out: list[Finding] = []
    for line, words in s.runs:
        out += clf._text(shlex.join(words), ctx, _Loc(path, line))
    for other in s.notifies:
        out += _nox_session(call, path, sessions, other, seen)
    if not out and _tox_lint(name):
        out.append(_mk(ctx, f"{path}:{s.line} session {name}", "lint", "nox", "session named like a linter"))
    return out


# ----- pre-commit / lefthook ------------------------------------------------------------------------

@_program("pre-commit", "prek")
def _h_pre_commit(call: _Call) -> list[Finding]:
    a = call.args
    pos = _positionals(a, {"-c", "--config", "--hook-stage", "--from-ref", "--to-ref", "--source", "--origin",
                           "-s", "-o", "--files", "--color"})
    if pos and pos[0] != "run":
        return []
    hook = pos[1] if len(pos) > 1 else None
    cfg = _opt(a, "-c", "--config") or ".pre-commit-config.yaml"
    return _pre_commit_hooks(call, cfg, hook)


def _pre_commit_hooks(call: _Call, cfg: str, only: str | None) -> list[Finding]:
    clf = call.clf
    path = _norm_path(call.cwd, cfg) or cfg
    if not clf.files.exists(path):
        path = cfg if clf.files.exists(cfg) else (".pre-commit-config.yml" if clf.files.exists(".pre-commit-config.yml") else None)
    data = clf._yaml(path) if path else None
    if not isinstance(data, dict):
        return []
    ctx = clf._enter(call, ("pre-commit", path), None)
    if ctx is None:
        return []
    out: list[Finding] = []
    for repo in data.get("repos") or []:
        if not isinstance(repo, dict):
            continue
        for hook in repo.get("hooks") or []:
            if not isinstance(hook, dict) or not isinstance(hook.get("id"), str):
                continue
            hid = hook["id"]
            if only and hid != only and hook.get("alias") != only:
                continue
            label = f"{path} hook {hid}"
            pairs = PRE_COMMIT_HOOKS.get(hid.lower())
            if pairs is not None:
                out += [_mk(ctx, label, c, t) for c, t in pairs]
                continue
            entry = hook.get("entry")
            if repo.get("repo") in ("local", "meta") and isinstance(entry, str) and hook.get("language") not in ("pygrep", "fail"):
                args = hook.get("args") or []
                text = entry + (" " + shlex.join(str(x) for x in args) if args else "")
                out += clf._text(text, ctx, _Loc(f"{path} hook {hid}"))
            elif "lint" in hid.lower():
                out.append(_mk(ctx, label, "lint", hid.lower()))
    return out


@_program("lefthook")
def _h_lefthook(call: _Call) -> list[Finding]:
    pos = _positionals(call.args)
    if pos[:1] != ["run"] or len(pos) < 2:
        return []
    clf = call.clf
    for cfg in ("lefthook.yml", "lefthook.yaml", ".lefthook.yml", "lefthook.toml"):
        data = clf._yaml(cfg) if clf.files.exists(cfg) and not cfg.endswith("toml") else None
        if not isinstance(data, dict):
            continue
        hook = data.get(pos[1])
        if not isinstance(hook, dict):
            return []
        items = []
        for group in ("commands", "scripts"):
            for nm, spec in (hook.get(group) or {}).items() if isinstance(hook.get(group), dict) else []:
                if isinstance(spec, dict) and isinstance(spec.get("run"), str):
                    items.append((_Loc(f"{cfg} {pos[1]}.{group}.{nm}"), re.sub(r"\{[a-z_]+\}", "", spec["run"])))
        return clf._expand_items(call, ("lefthook", cfg, pos[1]), None, items) or []
    return []


# =================================================================================================
# Program handlers
# =================================================================================================

def _suite_findings(call: _Call, tool: str, exprs: Iterable[str | None], paths: list[str],
                    unit_too: bool = False, note: str = "") -> list[Finding]:
    """A test run, as `test`, `integration-test` or `e2e-test` depending on what it selects:
    a selecting expression (marker, tag, pattern, config) naming a suite wins; otherwise paths decide
    (all of them in suites -> only those suites; some -> `test` as well)."""
    for e in exprs:
        if e:
            cat = _suite(e)
            if cat:
                out = [call.f(cat, tool, note)]
                return ([call.f("test", tool, note)] + out) if unit_too else out
    named = [c for c in (_suite(p) for p in paths) if c]
    if named and len(named) == len(paths) and not unit_too:
        return [call.f(c, tool, note) for c in dict.fromkeys(named)]
    return [call.f("test", tool, note)] + [call.f(c, tool, note) for c in dict.fromkeys(named)]


def _simple(*pairs: tuple[str, str], note: str = "") -> Handler:
    def handler(call: _Call) -> list[Finding]:
        return call.fs(pairs, note)
    return handler


def _register(names: Iterable[str], handler: Handler) -> None:
    for nm in names:
        _HANDLERS[nm] = handler


# ----- Python ----------------------------------------------------------------------------------------

_PY_MODULES = {"build": "pyproject-build", "django": "django-admin", "semantic_release": "semantic-release",
               "pip_audit": "pip-audit", "pytest_benchmark": "pytest", "robot.run": "robot", "pabot.pabot": "pabot",
               "pylint": "pylint", "black": "black", "twine": "twine", "unittest": "unittest", "nose2": "nose2"}


@_program("python")
def _h_python(call: _Call) -> list[Finding]:
    a = call.args
    i = 0
    while i < len(a):
        w = a[i]
        if w == "-m" and i + 1 < len(a):
            mod, rest = a[i + 1], a[i + 2:]
            break
        if w.startswith("-m") and len(w) > 2 and not w.startswith("--"):
            mod, rest = w[2:], a[i + 1:]
            break
        if w == "-c":
            return []
        if w in ("-W", "-X", "-Q"):
            i += 2
            continue
        if w.startswith("-"):
            i += 1
            continue
        return _python_script(call, w, a[i + 1:])
    else:
        return []
    prog = _PY_MODULES.get(mod, mod.replace("_", "-"))
    if prog not in _HANDLERS:
        return []
    return call.redo([prog, *rest])


def _python_script(call: _Call, script: str, rest: list[str]) -> list[Finding]:
    base = posixpath.basename(script.replace("\\", "/"))
    if base == "manage.py":
        return _django(call, rest)
    if base == "setup.py":
        return _setup_py(call, rest)
    if base in ("zap-baseline.py", "zap-full-scan.py", "zap-api-scan.py"):
        return [call.f("security-scan", "zap")]
    if base in ("runtests.py", "run_tests.py", "runtest.py", "run-tests.py"):
        return _suite_findings(call, "python", [], _positionals(rest), note=base)
    return []


def _django(call: _Call, rest: list[str]) -> list[Finding]:
    valued = {"--settings", "--pythonpath", "--database", "-v", "--verbosity", "--tag", "--exclude-tag", "-k",
              "-p", "--pattern", "-t", "--top-level-directory", "--testrunner", "--parallel", "--shuffle"}
    pos = _positionals(rest, valued)
    if not pos:
        return []
    sub, args = pos[0], pos[1:]
    if sub == "test":
        tags = _opts(rest, "--tag")
        out = _suite_findings(call, "django", tags, args)
        out.append(call.f("migrate", "django", "Django's test runner applies the migrations to its test database"))
        return out
    if sub == "migrate":
        if _flag(rest, "--plan", "--check"):
            return []
        if len(args) >= 2 and args[1] == "zero":
            return [call.f("migrate-rollback", "django", f"migrate {args[0]} zero")]
        return [call.f("migrate", "django")]
    if sub == "makemigrations":
        if _flag(rest, "--check"):
            return [call.f("lint", "django", "makemigrations --check")]
        return []
    if sub == "check":
        return [call.f("lint", "django", "manage.py check")]
    if sub == "behave":
        return [call.f("e2e-test", "behave")]
    return []


@_program("django-admin")
def _h_django_admin(call: _Call) -> list[Finding]:
    return _django(call, call.args)


def _setup_py(call: _Call, rest: list[str]) -> list[Finding]:
    pos = _positionals(rest, {"-r", "--repository"})
    out: list[Finding] = []
    if "test" in pos or "pytest" in pos:
        out.append(call.f("test", "setuptools"))
    if "nosetests" in pos:
        out.append(call.f("test", "nose"))
    if "flake8" in pos:
        out.append(call.f("lint", "flake8"))
    if "upload" in pos:
        out.append(call.f("publish", "pypi", "setup.py upload"))
    if any(p in ("sdist", "bdist_wheel", "build", "bdist") for p in pos):
        out.append(call.f("build", "setuptools"))
    return out


@_program("pytest", "py.test", "pytest-3")
def _h_pytest(call: _Call) -> list[Finding]:
    a = call.args
    valued = {"-m", "-k", "-p", "-c", "-o", "--rootdir", "--confcutdir", "--basetemp", "-n", "--numprocesses",
              "--dist", "--junitxml", "--junit-xml", "--cov", "--cov-report", "--cov-config", "--cov-fail-under",
              "--durations", "--maxfail", "--tb", "-W", "--deselect", "--ignore", "--ignore-glob", "--log-level",
              "--html", "--benchmark-json", "--benchmark-save", "--reruns", "--timeout", "--count", "--splits",
              "--group", "--browser", "--base-url", "--ds", "--driver", "--alluredir", "--import-mode",
              "--capture", "--junit-prefix", "--log-file", "--log-cli-level", "--cov-context", "--hypothesis-profile",
              "--randomly-seed", "-r", "--benchmark-min-rounds", "--benchmark-group-by", "--benchmark-compare",
              "--benchmark-compare-fail", "--benchmark-columns", "--benchmark-sort", "--lf-no-failures",
              "--pyargs", "--markers", "--json-report-file", "--report-log", "--dburl", "--db", "--settings"}
    pos = _positionals(a, valued)
    bench = [w for w in a if w.startswith("--benchmark") and not w.startswith(("--benchmark-skip", "--benchmark-disable"))]
    codspeed = _flag(a, "--codspeed")
    out: list[Finding] = []
    if codspeed:
        out.append(call.f("performance-test", "codspeed"))
    if bench:
        out.append(call.f("performance-test", "pytest-benchmark"))
    if not (codspeed or _flag(a, "--benchmark-only")):
        exprs = [_opt(a, "-m"), _opt(a, "-k"), _opt(a, "-c")]
        if _flag(a, "--browser", "--headed", "--browser-channel"):
            out.append(call.f("e2e-test", "playwright", "pytest-playwright"))
        else:
            out += _suite_findings(call, "pytest", exprs, pos)
    addopts = _pytest_addopts(call)
    cov = (any(w.startswith("--cov") and not w.startswith("--cov-fail-under") for w in a) or "--cov" in addopts) \
        and not _flag(a, "--no-cov")
    if cov:
        out.append(call.f("coverage", "pytest-cov", "" if any(w.startswith("--cov") for w in a) else "--cov in pytest addopts"))
    if _flag(a, "--cov-fail-under") or (cov and "--cov-fail-under" in addopts):
        out.append(call.f("coverage-threshold", "pytest-cov"))
    elif cov:
        fu = _coverage_fail_under(call)
        if fu:
            out.append(call.f("coverage-threshold", "coverage-py", f"fail_under = {fu} in {_fail_under_path(call)}"))
    return out


def _fail_under_path(call: _Call) -> str:
    return call.clf._cached("coverage-fu-path", "", lambda: _coverage_config(call)[1]) or "coverage config"


def _pytest_addopts(call: _Call) -> str:
    def build() -> str:
        clf = call.clf
        parts = []
        ini = _pyproject(call, "tool", "pytest", "ini_options")
        if isinstance(ini, dict):
            v = ini.get("addopts")
            parts.append(" ".join(v) if isinstance(v, list) else str(v or ""))
        for path, section in (("pytest.ini", "pytest"), ("setup.cfg", "tool:pytest"), ("tox.ini", "pytest"),
                              (".pytest.ini", "pytest")):
            text = clf._read(path)
            if text and f"[{section}]" in text:
                cp = configparser.RawConfigParser(strict=False, interpolation=None)
                try:
                    cp.read_string(text)
                    parts.append(cp.get(section, "addopts", fallback=""))
                except configparser.Error:
                    pass
        return " ".join(parts)
    return call.clf._cached("pytest-addopts", "", build) or ""


def _coverage_config(call: _Call) -> tuple[float | None, str | None]:
    clf = call.clf
    cov = _pyproject(call, "tool", "coverage", "report")
    if isinstance(cov, dict) and cov.get("fail_under"):
        try:
            return float(cov["fail_under"]), "pyproject.toml"
        except (TypeError, ValueError):
            pass
    for path, section in ((".coveragerc", "report"), ("setup.cfg", "coverage:report"), ("tox.ini", "coverage:report")):
        text = clf._read(path)
        if text and f"[{section}]" in text:
            cp = configparser.RawConfigParser(strict=False, interpolation=None)
            try:
                cp.read_string(text)
                v = cp.get(section, "fail_under", fallback=None)
                if v and float(v) > 0:
                    return float(v), path
            except (configparser.Error, ValueError):
                pass
    return None, None


def _coverage_fail_under(call: _Call) -> float | None:
    return call.clf._cached("coverage-fu", "", lambda: _coverage_config(call)[0])


@_program("unittest")
def _h_unittest(call: _Call) -> list[Finding]:
    a = call.args
    start = _opt(a, "-s", "--start-directory")
    pos = [p for p in _positionals(a, {"-s", "--start-directory", "-p", "--pattern", "-t", "--top-level-directory", "-k"})
           if p != "discover"]
    return _suite_findings(call, "unittest", [start, _opt(a, "-k")], pos)


_register(("nose2", "nosetests", "ward", "green", "trial", "zope-testrunner", "stestr", "testr"),
          lambda call: _suite_findings(call, call.prog if call.prog != "nosetests" else "nose", [_opt(call.args, "-A", "--attr")],
                                       _positionals(call.args, {"-s", "--start-dir", "-A", "--attr", "-c", "--config"})))


@_program("coverage", "coverage3", "python-coverage")
def _h_coverage(call: _Call) -> list[Finding]:
    a = call.args
    valued = {"--rcfile", "-o", "--omit", "--include", "--source", "--data-file", "-d", "--directory", "--fail-under",
              "--precision", "--format", "--context", "--concurrency", "--contexts", "--title"}
    pos = _positionals(a, valued)
    if not pos:
        return []
    sub = pos[0]
    if sub == "run":
        rest = a[a.index("run") + 1:]
        rest = _skip_opts(rest, valued - {"-m"})
        out = [call.f("coverage", "coverage-py")]
        k = a.index("run") + 1
        inner: list[str] = []
        while k < len(a):
            if a[k] == "-m" and k + 1 < len(a):
                inner = ["python", "-m", *a[k + 1:]]
                break
            if a[k] in valued:
                k += 2
                continue
            if a[k].startswith("-"):
                k += 1
                continue
            inner = ["python", *a[k:]]
            break
        if inner:
            out += call.redo(inner)
        return out
    if sub in ("report", "xml", "html", "json", "lcov", "combine", "annotate"):
        out = [call.f("coverage", "coverage-py")]
        if _flag(a, "--fail-under"):
            out.append(call.f("coverage-threshold", "coverage-py"))
        elif sub != "combine" and _coverage_fail_under(call):
            out.append(call.f("coverage-threshold", "coverage-py", f"fail_under in {_fail_under_path(call)}"))
        return out
    return []


@_program("pyproject-build")
def _h_pybuild(call: _Call) -> list[Finding]:
    return [call.f("build", "python-build")]


@_program("twine")
def _h_twine(call: _Call) -> list[Finding]:
    return [call.f("publish", "pypi", "twine upload")] if _positionals(call.args)[:1] == ["upload"] else []


@_program("flit", "uv", "maturin")
def _h_pypublish(call: _Call) -> list[Finding]:
    pos = _positionals(call.args, {"--repository", "-r", "--token", "-t", "--publish-url", "-u", "-p", "--password",
                                   "--username", "-i", "--interpreter"})
    if pos[:1] in (["publish"], ["upload"]) and not _flag(call.args, "--dry-run"):
        return [call.f("publish", "pypi", f"{call.prog} {pos[0]}")]
    if pos[:1] == ["build"]:
        return [call.f("build", call.prog)]
    return []


@_program("poetry")
def _h_poetry(call: _Call) -> list[Finding]:
    pos = _positionals(call.args, {"-C", "--directory", "-P", "--project", "-r", "--repository", "-u", "--username",
                                   "-p", "--password", "--cert", "--client-cert"})
    if pos[:1] == ["publish"] and not _flag(call.args, "--dry-run"):
        return [call.f("publish", "pypi", "poetry publish")]
    if pos[:1] == ["build"]:
        return [call.f("build", "poetry")]
    return []


@_program("alembic")
def _h_alembic(call: _Call) -> list[Finding]:
    pos = _positionals(call.args, {"-c", "--config", "-n", "--name", "-x", "--raiseerr"})
    if not pos:
        return []
    if pos[0] == "upgrade":
        if _flag(call.args, "--sql"):
            return []
        return [call.f("migrate", "alembic")]
    if pos[0] == "downgrade":
        return [] if _flag(call.args, "--sql") else [call.f("migrate-rollback", "alembic")]
    if pos[0] == "check":
        return [call.f("lint", "alembic", "alembic check")]
    return []


@_program("gke-deploy")
def _h_gke_deploy(call: _Call) -> list[Finding]:
    return [call.f("deploy", "kubernetes", "gke-deploy run")] if _positionals(call.args)[:1] in (["run"], ["apply"]) else []


@_program("fastapi")
def _h_fastapi(call: _Call) -> list[Finding]:
    return [call.f("deploy", "fastapi-cloud", "fastapi deploy")] if _positionals(call.args)[:1] == ["deploy"] else []


@_program("flask")
def _h_flask(call: _Call) -> list[Finding]:
    pos = _positionals(call.args, {"-A", "--app", "-e", "--env-file"})
    if pos[:1] == ["db"] and len(pos) > 1:
        if pos[1] == "upgrade":
            return [call.f("migrate", "alembic", "flask db upgrade (Flask-Migrate)")]
        if pos[1] == "downgrade":
            return [call.f("migrate-rollback", "alembic", "flask db downgrade (Flask-Migrate)")]
    if pos[:1] == ["test"]:
        return [call.f("test", "flask")]
    return []


@_program("yoyo", "yoyo-migrate")
def _h_yoyo(call: _Call) -> list[Finding]:
    pos = _positionals(call.args, {"-d", "--database", "-c", "--config", "-r", "--revision", "-m", "--match"})
    if pos[:1] in (["apply"], ["reapply"]) or pos[:1] == ["develop"]:
        out = [call.f("migrate", "yoyo")]
        if pos[0] == "reapply":
            out.append(call.f("migrate-rollback", "yoyo", "reapply rolls back first"))
        return out
    if pos[:1] == ["rollback"]:
        return [call.f("migrate-rollback", "yoyo")]
    return []


@_program("robot", "pabot", "robotframework")
def _h_robot(call: _Call) -> list[Finding]:
    return [call.f("e2e-test", "robot")] if _positionals(call.args, {"-d", "--outputdir", "-i", "--include", "-e",
                                                                      "--exclude", "-v", "--variable", "-L", "--loglevel",
                                                                      "-t", "--test", "-s", "--suite", "-o", "-l", "-r",
                                                                      "--processes", "-x", "--xunit", "-V", "-P"}) else []


_register(("behave",), _simple(("e2e-test", "behave")))


@_program("locust")
def _h_locust(call: _Call) -> list[Finding]:
    if _flag(call.args, "-f", "--locustfile", "--headless", "--config") or any(w.startswith("-f") for w in call.args):
        return [call.f("performance-test", "locust")]
    return []


@_program("asv")
def _h_asv(call: _Call) -> list[Finding]:
    pos = _positionals(call.args, {"--config", "-b", "--bench", "-e", "--machine", "-E", "--environment", "-f", "--factor"})
    return [call.f("performance-test", "asv")] if pos[:1] in (["run"], ["continuous"], ["dev"]) else []


@_program("towncrier")
def _h_towncrier(call: _Call) -> list[Finding]:
    pos = _positionals(call.args, {"--version", "--name", "--date", "--config", "--dir"})
    if pos[:1] in (["check"], ["create"]) or _flag(call.args, "--draft"):
        return []
    return [call.f("release-notes", "towncrier")]


@_program("semantic-release")
def _h_semantic_release(call: _Call) -> list[Finding]:
    a = call.args
    pos = _positionals(a, {"-c", "--config", "-b", "--branches", "-e", "--extends", "-p", "--plugins", "-r",
                           "--repository-url", "-t", "--tag-format", "--strict"})
    if _flag(a, "--noop", "--dry-run", "-d"):
        return []
    if pos and pos[0] in ("version", "publish", "changelog", "generate-config"):
        if pos[0] == "version":
            out = [call.f("release", "python-semantic-release")]
            if not _flag(a, "--no-changelog"):
                out.append(call.f("release-notes", "python-semantic-release"))
            return out
        if pos[0] == "publish":
            return [call.f("publish", "github-release", "semantic-release publish"), call.f("release", "python-semantic-release")]
        if pos[0] == "changelog":
            return [call.f("release-notes", "python-semantic-release")]
        return []
    return [call.f("release", "semantic-release"), call.f("release-notes", "semantic-release")]


@_program("cz", "commitizen")
def _h_cz(call: _Call) -> list[Finding]:
    pos = _positionals(call.args, {"--increment", "--prerelease", "-pr", "--devrelease", "-d", "--files-only"})
    if _flag(call.args, "--dry-run"):
        return []
    if pos[:1] == ["bump"]:
        out = [call.f("release", "commitizen")]
        if _flag(call.args, "--changelog", "-ch"):
            out.append(call.f("release-notes", "commitizen"))
        return out
    if pos[:1] in (["changelog"], ["ch"]):
        return [call.f("release-notes", "commitizen")]
    if pos[:1] == ["check"]:
        return []
    return []


# ----- JavaScript / TypeScript test runners --------------------------------------------------------------

def _js_config_text(call: _Call, explicit: str | None, names: tuple[str, ...], pkg_key: str | None) -> str:
    clf = call.clf
    parts = []
    if explicit:
        p = _norm_path(call.cwd, explicit)
        if p:
            parts.append(clf._read(p) or "")
    else:
        for nm in names:
            p = posixpath.join(call.cwd, nm) if call.cwd else nm
            t = clf._read(p)
            if t:
                parts.append(t)
        if pkg_key:
            data = clf._json(posixpath.join(call.cwd, "package.json") if call.cwd else "package.json")
            if isinstance(data, dict) and isinstance(data.get(pkg_key), dict):
                parts.append(json.dumps(data[pkg_key]))
    return "\n".join(parts)


_JEST_CONFIGS = ("jest.config.js", "jest.config.ts", "jest.config.mjs", "jest.config.cjs", "jest.config.json")


@_program("jest", "react-scripts", "craco", "react-app-rewired", "rescripts", "razzle")
def _h_jest(call: _Call) -> list[Finding]:
    a = call.args
    if call.prog != "jest":
        pos0 = _positionals(a)
        if not pos0:
            return []
        if pos0[0] == "build":
            return [call.f("build", call.prog)]
        if pos0[0] != "test":
            return []
        a = a[a.index("test") + 1:]
    valued = {"-c", "--config", "-t", "--testNamePattern", "--testPathPattern", "--testPathPatterns", "--selectProjects",
              "--reporters", "--maxWorkers", "-w", "--shard", "--testTimeout", "--coverageReporters", "--outputFile",
              "--coverageDirectory", "--rootDir", "--roots", "--testPathIgnorePatterns", "--coverageThreshold",
              "--collectCoverageFrom", "--testResultsProcessor", "--env", "--testEnvironment", "--setupFiles",
              "--changedSince", "--seed", "--ci-reporter", "--json", "--projects"}
    if _flag(a, "--listTests", "--showConfig", "--init", "--clearCache"):
        return []
    if any(w in ("--watch", "--watchAll", "--watch=true", "--watchAll=true") for w in a) and not _flag(a, "--ci"):
        return []
    pos = _positionals(a, valued)
    cfg = _opt(a, "-c", "--config")
    exprs = [cfg, _opt(a, "--testPathPattern", "--testPathPatterns"), _opt(a, "--selectProjects"),
             _opt(a, "-t", "--testNamePattern")]
    out = _suite_findings(call, "jest", exprs, pos)
    cfg_text = _js_config_text(call, cfg, _JEST_CONFIGS, "jest")
    cov = (_flag(a, "--coverage", "--collectCoverage") and not _flag(a, "--coverage=false", "--collectCoverage=false")) \
        or bool(re.search(r"[\"']?collectCoverage[\"']?\s*:\s*true", cfg_text))
    if cov:
        out.append(call.f("coverage", "jest"))
        if _flag(a, "--coverageThreshold") or re.search(r"coverageThreshold", cfg_text):
            out.append(call.f("coverage-threshold", "jest", "" if _flag(a, "--coverageThreshold") else "coverageThreshold in jest config"))
    return out


_VITEST_CONFIGS = ("vitest.config.ts", "vitest.config.js", "vitest.config.mts", "vitest.config.mjs", "vite.config.ts",
                   "vite.config.js", "vite.config.mts", "vite.config.mjs", "vitest.workspace.ts")


@_program("vitest")
def _h_vitest(call: _Call) -> list[Finding]:
    a = call.args
    valued = {"-c", "--config", "--project", "--dir", "-r", "--root", "--reporter", "--outputFile", "--shard",
              "--environment", "-t", "--testNamePattern", "--workspace", "--pool", "--maxWorkers", "--exclude"}
    pos = _positionals(a, valued)
    sub = pos[0] if pos and pos[0] in ("run", "watch", "dev", "related", "bench", "list", "init") else None
    if sub == "bench":
        return [call.f("performance-test", "vitest", "vitest bench")]
    if sub in ("list", "init"):
        return []
    if sub in ("watch", "dev") and not _flag(a, "--run"):
        return []
    files = pos[1:] if sub else pos
    cfg = _opt(a, "-c", "--config")
    out = _suite_findings(call, "vitest", [cfg, _opt(a, "--project"), _opt(a, "--dir"), _opt(a, "--workspace")], files)
    cov_args = [w for w in a if w.startswith("--coverage")]
    cfg_text = _js_config_text(call, cfg, _VITEST_CONFIGS, None)
    cov = (any(w in ("--coverage", "--coverage.enabled", "--coverage.enabled=true") for w in cov_args)
           or bool(re.search(r"coverage\s*:\s*\{[^{}]*enabled\s*:\s*true", cfg_text))) and "--coverage.enabled=false" not in a
    if cov:
        out.append(call.f("coverage", "vitest"))
        if any(w.startswith(("--coverage.thresholds", "--coverage.100")) for w in cov_args) or \
                re.search(r"thresholds\s*:", cfg_text):
            out.append(call.f("coverage-threshold", "vitest"))
    return out


@_program("mocha", "_mocha", "ts-mocha", "mocha-parallel-tests", "electron-mocha")
def _h_mocha(call: _Call) -> list[Finding]:
    a = call.args
    valued = {"-R", "--reporter", "-r", "--require", "-t", "--timeout", "--config", "--spec", "-g", "--grep", "-u",
              "--ui", "--file", "--extension", "--ignore", "-O", "--reporter-option", "--reporter-options", "-s",
              "--slow", "--retries", "-j", "--jobs", "--package", "--opts", "-f", "--fgrep"}
    pos = _positionals(a, valued) + _opts(a, "--spec")
    return _suite_findings(call, "mocha", [_opt(a, "-g", "--grep"), _opt(a, "--config")], pos)


def _runner(tool: str, valued: Iterable[str] = ()) -> Handler:
    vs = set(valued)

    def handler(call: _Call) -> list[Finding]:
        return _suite_findings(call, tool, [], _positionals(call.args, vs))
    return handler


_register(("ava",), _runner("ava", {"--match", "-m", "--timeout", "-T", "--concurrency", "-c", "--tap"}))
_register(("jasmine", "jasmine-node", "jasmine-ts"), _runner("jasmine", {"--config", "--filter", "--reporter"}))
_register(("tap", "tape", "uvu", "tsd", "borp", "poku", "qunit", "testem"), lambda call: _suite_findings(
    call, call.prog, [], _positionals(call.args, {"-R", "--reporter", "-t", "--timeout", "-r", "--require", "-j"})))
_register(("web-test-runner", "wtr"), _runner("web-test-runner", {"--config", "--files", "--browsers"}))


@_program("karma")
def _h_karma(call: _Call) -> list[Finding]:
    pos = _positionals(call.args)
    if pos[:1] in (["start"], ["run"]):
        return _suite_findings(call, "karma", [pos[1] if len(pos) > 1 else None], [])
    return []


@_program("node", "nodejs", "ts-node", "tsx")
def _h_node(call: _Call) -> list[Finding]:
    a = call.args
    if _flag(a, "--test"):
        out = _suite_findings(call, "node-test", [], _positionals(a, {"-r", "--require", "--import", "--loader",
                                                                     "--test-reporter", "--test-name-pattern"}))
        if _flag(a, "--experimental-test-coverage"):
            out.append(call.f("coverage", "node-test"))
        return out
    pos = _positionals(a, {"-r", "--require", "--import", "--loader", "--max-old-space-size", "--env-file", "-e", "--eval"})
    if not pos:
        return []
    script = pos[0].replace("\\", "/")
    m = re.search(r"node_modules/(?:\.bin/([^/]+)$|(@[^/]+/[^/]+|[^/@][^/]*)/)", script)
    if m:
        name = m.group(1) or _npx_prog(m.group(2))
        if name in _HANDLERS:
            return call.redo([name, *pos[1:]])
    return []


@_program("ng")
def _h_ng(call: _Call) -> list[Finding]:
    pos = _positionals(call.args, {"-c", "--configuration", "--project", "--browsers", "--karma-config"})
    if not pos:
        return []
    sub = pos[0]
    if sub in ("test", "t"):
        if _flag(call.args, "--watch") and not _flag(call.args, "--watch=false", "--no-watch"):
            return []
        out = _suite_findings(call, "angular", [], pos[1:])
        if _flag(call.args, "--code-coverage", "--codeCoverage"):
            out.append(call.f("coverage", "angular"))
        return out
    if sub == "e2e":
        return [call.f("e2e-test", "angular", "ng e2e")]
    if sub == "lint":
        return [call.f("lint", "angular-eslint")]
    if sub in ("build", "b"):
        return [call.f("build", "angular")]
    if sub == "deploy":
        return [call.f("deploy", "angular-deploy", "ng deploy")]
    return []


@_program("vue-cli-service")
def _h_vue_cli(call: _Call) -> list[Finding]:
    pos = _positionals(call.args)
    if pos[:1] == ["test:unit"]:
        return _suite_findings(call, "vue-cli", [], pos[1:])
    if pos[:1] == ["test:e2e"]:
        return [call.f("e2e-test", "vue-cli")]
    if pos[:1] == ["lint"] and not _flag(call.args, "--fix"):
        return [call.f("lint", "eslint")]
    if pos[:1] == ["build"]:
        return [call.f("build", "vue-cli")]
    return []


@_program("next", "nuxt", "nuxi", "astro", "vite", "remix", "gatsby", "svelte-kit", "ember", "expo", "docusaurus")
def _h_webfw(call: _Call) -> list[Finding]:
    pos = _positionals(call.args)
    if pos[:1] == ["lint"]:
        return [call.f("lint", "eslint", f"{call.prog} lint")]
    if pos[:1] in (["typecheck"], ["check"]):
        return [call.f("lint", call.prog, f"{call.prog} {pos[0]}")]
    if pos[:1] == ["build"]:
        return [call.f("build", call.prog)]
    if call.prog == "ember" and pos[:1] in (["test"], ["t"]):
        return [call.f("test", "ember")]
    return []


# ----- e2e ----------------------------------------------------------------------------------------------

@_program("playwright")
def _h_playwright(call: _Call) -> list[Finding]:
    pos = _positionals(call.args, {"-c", "--config", "-g", "--grep", "--project", "--reporter", "-j", "--workers",
                                   "--shard", "--retries", "--timeout", "--output", "--grep-invert", "--max-failures"})
    if pos[:1] != ["test"]:
        return []
    cfg = _opt(call.args, "-c", "--config") or ""
    if re.search(r"(?:^|[^a-z])ct(?:[^a-z]|$)|component", cfg.lower()):
        return [call.f("test", "playwright", "component tests")]
    return [call.f("e2e-test", "playwright")]


@_program("cypress")
def _h_cypress(call: _Call) -> list[Finding]:
    pos = _positionals(call.args, {"--browser", "-b", "--config", "-c", "--config-file", "-C", "--env", "-e", "--spec",
                                   "-s", "--project", "-P", "--reporter", "-r", "--reporter-options", "-o", "--tag",
                                   "--group", "--ci-build-id", "--parallel", "--key", "-k", "--port", "-p"})
    if pos[:1] != ["run"]:
        return []
    if _flag(call.args, "--component", "--ct"):
        return [call.f("test", "cypress", "component tests")]
    return [call.f("e2e-test", "cypress")]


@_program("wdio")
def _h_wdio(call: _Call) -> list[Finding]:
    pos = _positionals(call.args, {"--spec", "--suite", "--logLevel", "--baseUrl", "--exclude"})
    if pos[:1] in (["config"], ["install"], ["repl"]):
        return []
    return [call.f("e2e-test", "webdriverio")]


_register(("testcafe",), lambda call: [call.f("e2e-test", "testcafe")] if call.args else [])
_register(("nightwatch",), _simple(("e2e-test", "nightwatch")))
_register(("protractor",), _simple(("e2e-test", "protractor")))
_register(("selenium-side-runner",), _simple(("e2e-test", "selenium")))
_register(("cucumber-js", "cucumber", "cucumber-tsflow"), _simple(("e2e-test", "cucumber")))
_register(("gauge",), lambda call: [call.f("e2e-test", "gauge")] if _positionals(call.args)[:1] == ["run"] else [])
_register(("behat",), _simple(("e2e-test", "behat")))


@_program("detox")
def _h_detox(call: _Call) -> list[Finding]:
    return [call.f("e2e-test", "detox")] if _positionals(call.args, {"-c", "--configuration"})[:1] == ["test"] else []


@_program("maestro")
def _h_maestro(call: _Call) -> list[Finding]:
    pos = _positionals(call.args, {"--device", "--format", "--output", "-e", "--env", "--include-tags", "--exclude-tags",
                                   "--api-key", "--app-file", "--flows"})
    return [call.f("e2e-test", "maestro")] if pos[:1] in (["test"], ["cloud"]) else []


@_program("codeceptjs")
def _h_codeceptjs(call: _Call) -> list[Finding]:
    pos = _positionals(call.args, {"-c", "--config", "--grep", "--profile"})
    return [call.f("e2e-test", "codeceptjs")] if pos[:1] in (["run"], ["run-workers"], ["run-multiple"]) else []


@_program("newman")
def _h_newman(call: _Call) -> list[Finding]:
    return [call.f("e2e-test", "newman", "Postman collection")] if _positionals(call.args)[:1] == ["run"] else []


# ----- performance -----------------------------------------------------------------------------------------

@_program("k6", "xk6")
def _h_k6(call: _Call) -> list[Finding]:
    pos = _positionals(call.args, {"-e", "--env", "-o", "--out", "-u", "--vus", "-d", "--duration", "-i",
                                   "--iterations", "--config", "-c", "--tag", "--summary-export", "--stage", "-s",
                                   "--log-output", "--console-output", "-q"})
    if pos[:1] in (["run"], ["cloud"]):
        return [call.f("performance-test", "k6")]
    return []


@_program("artillery")
def _h_artillery(call: _Call) -> list[Finding]:
    pos = _positionals(call.args, {"-o", "--output", "-e", "--environment", "-t", "--target", "--config", "-c",
                                   "--record", "--key", "--overrides", "--region", "--count"})
    return [call.f("performance-test", "artillery")] if pos[:1] in (["run"], ["quick"], ["run-fargate"], ["run-lambda"], ["run-aci"]) else []


@_program("jmeter", "jmeter.sh")
def _h_jmeter(call: _Call) -> list[Finding]:
    return [call.f("performance-test", "jmeter")] if _flag(call.args, "-n", "--nongui") or any(
        w.startswith("-n") and len(w) <= 4 for w in call.args) else []


@_program("gatling", "gatling.sh")
def _h_gatling(call: _Call) -> list[Finding]:
    return [call.f("performance-test", "gatling")]


@_program("vegeta")
def _h_vegeta(call: _Call) -> list[Finding]:
    return [call.f("performance-test", "vegeta")] if _positionals(call.args)[:1] == ["attack"] else []


@_program("wrk", "wrk2", "hey", "oha", "bombardier", "autocannon", "ghz", "h2load", "siege")
def _h_loadgen(call: _Call) -> list[Finding]:
    if any(re.match(r"^(?:https?://|\$|[\w.-]+:\d+)", w) for w in _positionals(call.args, {"-c", "-d", "-t", "-n", "-z", "-q",
                                                                                           "-m", "-H", "-s", "--latency"})):
        return [call.f("performance-test", call.prog)]
    return []


@_program("hyperfine")
def _h_hyperfine(call: _Call) -> list[Finding]:
    return [call.f("performance-test", "hyperfine")]


@_program("lhci")
def _h_lhci(call: _Call) -> list[Finding]:
    pos = _positionals(call.args)
    return [call.f("performance-test", "lighthouse")] if pos[:1] in (["autorun"], ["collect"], ["assert"]) else []


# ----- linters and formatters in check mode ------------------------------------------------------------------

# program -> lint tool; "" marks programs that look like linters but do not analyse the code (link
# checkers, commit-message linters) or need a subcommand (`_LINT_SUBCOMMAND`).
_LINTERS: dict[str, str] = {
    "flake8": "flake8", "pflake8": "flake8", "flakeheaven": "flake8", "flakehell": "flake8", "pylint": "pylint",
    "mypy": "mypy", "dmypy": "mypy", "pyright": "pyright", "basedpyright": "pyright", "pyre": "pyre",
    "pytype": "pytype", "pydocstyle": "pydocstyle", "pycodestyle": "pycodestyle", "pep8": "pycodestyle",
    "pyflakes": "pyflakes", "prospector": "prospector", "pylama": "pylama", "vulture": "vulture", "xenon": "xenon",
    "darglint": "darglint", "interrogate": "interrogate", "deptry": "deptry", "ty": "ty", "pyrefly": "pyrefly",
    "slotscheck": "slotscheck", "import-linter": "import-linter", "lint-imports": "import-linter",
    "eslint": "eslint", "tslint": "tslint", "stylelint": "stylelint", "xo": "xo", "standard": "standard",
    "oxlint": "oxlint", "markdownlint": "markdownlint", "markdownlint-cli2": "markdownlint", "mdl": "markdownlint",
    "svelte-check": "svelte-check", "knip": "knip", "jshint": "jshint", "htmlhint": "htmlhint",
    "sass-lint": "sass-lint", "cspell": "cspell", "textlint": "textlint", "remark": "remark-lint",
    "staticcheck": "staticcheck", "revive": "revive", "golint": "golint", "errcheck": "errcheck",
    "ineffassign": "ineffassign", "gocyclo": "gocyclo", "gocritic": "gocritic", "nilaway": "nilaway",
    "rubocop": "rubocop", "standardrb": "standardrb", "reek": "reek", "erb_lint": "erb-lint", "erblint": "erb-lint",
    "erb-lint": "erb-lint", "haml-lint": "haml-lint", "slim-lint": "slim-lint", "sorbet": "sorbet", "srb": "sorbet",
    "shellcheck": "shellcheck", "hadolint": "hadolint", "yamllint": "yamllint", "actionlint": "actionlint",
    "psalm": "psalm", "phpcs": "phpcs", "phpmd": "phpmd", "phpinsights": "phpinsights", "deptrac": "deptrac",
    "parallel-lint": "php-parallel-lint", "phplint": "phplint", "swiftlint": "swiftlint", "ktlint": "ktlint",
    "detekt": "detekt", "detekt-cli": "detekt", "checkstyle": "checkstyle", "pmd": "pmd", "spotbugs": "spotbugs",
    "clang-tidy": "clang-tidy", "run-clang-tidy": "clang-tidy", "cppcheck": "cppcheck", "cpplint": "cpplint",
    "tflint": "tflint", "kube-linter": "kube-linter", "kubeval": "kubeval", "kubeconform": "kubeconform",
    "ansible-lint": "ansible-lint", "hlint": "hlint", "luacheck": "luacheck", "selene": "selene",
    "vale": "vale", "codespell": "codespell", "typos": "typos", "editorconfig-checker": "editorconfig-checker",
    "ec": "editorconfig-checker", "eclint": "editorconfig-checker", "checkmake": "checkmake", "cfn-lint": "cfn-lint",
    "cfn_nag_scan": "cfn-nag", "rstcheck": "rstcheck", "doc8": "doc8", "validate-pyproject": "validate-pyproject",
    "check-jsonschema": "check-jsonschema", "jsonlint": "jsonlint", "dotenv-linter": "dotenv-linter",
    "ls-lint": "ls-lint", "misspell": "misspell", "clj-kondo": "clj-kondo", "credo": "credo", "ameba": "ameba",
    "infer": "infer", "pyupgrade": "", "markdown-link-check": "", "lychee": "", "dockerfilelint": "dockerfilelint",
    "commitlint": "", "lint-staged": "lint-staged", "tsc-files": "tsc", "type-coverage": "type-coverage",
    "spectral": "spectral", "redocly": "", "swagger-cli": "", "ruff-lsp": "", "sqlfluff": "",
    "golangci-lint": "", "gts": "", "buf": "", "qodana": "", "codeclimate": "", "trunk": "", "biome": "", "rome": "",
    "mega-linter-runner": "megalinter", "megalinter": "megalinter", "super-linter": "super-linter",
    "conftest": "", "kube-score": "", "polaris": "", "swiftformat": "", "djlint": "", "sonar-scanner": "sonarqube",
    "sonar-scanner.bat": "sonarqube", "sonar": "", "jscpd": "jscpd", "dependency-cruiser": "dependency-cruiser",
    "depcruise": "dependency-cruiser", "madge": "", "publint": "publint", "attw": "arethetypeswrong",
    "licensee": "", "woke": "woke", "zizmor": "zizmor",
}
_LINT_SUBCOMMAND: dict[str, tuple[str, ...]] = {
    "golangci-lint": ("run",), "sqlfluff": ("lint",), "buf": ("lint", "breaking"), "qodana": ("scan",),
    "codeclimate": ("analyze",), "trunk": ("check",), "biome": ("check", "lint", "ci"), "rome": ("check", "ci"),
    "conftest": ("test", "verify"), "kube-score": ("score",), "polaris": ("audit",), "sonar": ("analyze",),
    "gts": ("check", "lint"),
}
_LINT_TOOL_NAMES = {"golangci-lint": "golangci-lint", "sqlfluff": "sqlfluff", "buf": "buf", "qodana": "qodana",
                    "codeclimate": "codeclimate", "trunk": "trunk", "biome": "biome", "rome": "biome",
                    "conftest": "conftest", "kube-score": "kube-score", "polaris": "polaris", "sonar": "sonarqube",
                    "gts": "gts"}


def _h_linter(call: _Call) -> list[Finding]:
    p = call.prog
    if _flag(call.args, "--version", "-V", "--help", "-h", "--init") and len(call.args) <= 1:
        return []
    if p in _LINT_SUBCOMMAND:
        pos = _positionals(call.args, {"-c", "--config", "--out-format", "--timeout", "-e"})
        if not pos or pos[0] not in _LINT_SUBCOMMAND[p]:
            return []
        return [call.f("lint", _LINT_TOOL_NAMES[p])]
    if p == "swiftformat":
        return [call.f("lint", "swiftformat")] if _flag(call.args, "--lint") else []
    if p == "djlint":
        return [call.f("lint", "djlint")] if _flag(call.args, "--check", "--lint") else []
    tool = _LINTERS.get(p)
    return [call.f("lint", tool)] if tool else []


_register((k for k in _LINTERS), _h_linter)


@_program("ruff")
def _h_ruff(call: _Call) -> list[Finding]:
    pos = _positionals(call.args, {"--config", "--select", "--ignore", "--extend-select", "--target-version",
                                   "--output-format", "--line-length", "--exclude", "--extend-exclude"})
    if pos[:1] == ["format"]:
        return [call.f("lint", "ruff", "ruff format --check")] if _flag(call.args, "--check", "--diff") else []
    if pos[:1] in (["check"], []) or (pos and pos[0] not in ("server", "rule", "config", "linter", "clean", "version",
                                                              "analyze", "help")):
        return [call.f("lint", "ruff")]
    return []


def _check_mode(flags: tuple[str, ...], tool: str, write_flags: tuple[str, ...] = ()) -> Handler:
    def handler(call: _Call) -> list[Finding]:
        a = call.args
        if _flag(a, *flags) and not (write_flags and _flag(a, *write_flags)):
            return [call.f("lint", tool)]
        return []
    return handler


_register(("black", "blue"), _check_mode(("--check", "--diff"), "black"))
_register(("isort",), _check_mode(("--check", "--check-only", "-c", "--diff"), "isort"))
_register(("prettier",), _check_mode(("--check", "-c", "--list-different", "-l"), "prettier", ("--write", "-w")))
_register(("yapf",), _check_mode(("--diff", "-d"), "yapf"))
_register(("autopep8",), _check_mode(("--diff", "--exit-code"), "autopep8"))
_register(("docformatter",), _check_mode(("--check",), "docformatter"))
_register(("gofmt", "gofumpt", "goimports"), lambda call: [call.f("lint", call.prog)]
          if _flag(call.args, "-l", "-d") and not _flag(call.args, "-w") else [])
_register(("shfmt",), _check_mode(("-d", "--diff", "-l", "--list"), "shfmt", ("-w", "--write")))
_register(("rustfmt",), _check_mode(("--check",), "rustfmt"))
_register(("clang-format", "git-clang-format"), _check_mode(("--dry-run", "-n", "--Werror", "--diff"), "clang-format", ("-i",)))
_register(("cmake-format",), _check_mode(("--check",), "cmake-format"))
_register(("stylua",), _check_mode(("--check", "-c"), "stylua"))
_register(("dprint",), lambda call: [call.f("lint", "dprint")] if _positionals(call.args)[:1] == ["check"] else [])
_register(("php-cs-fixer", "php-cs-fixer.phar"), lambda call: [call.f("lint", "php-cs-fixer")]
          if _flag(call.args, "--dry-run") or _positionals(call.args)[:1] == ["check"] else [])
_register(("pint",), _check_mode(("--test",), "pint"))
_register(("rector",), _check_mode(("--dry-run", "-n"), "rector"))
_register(("phpstan", "phpstan.phar"), lambda call: [call.f("lint", "phpstan")]
          if not _positionals(call.args)[:1] or _positionals(call.args)[0] in ("analyse", "analyze") else [])
_register(("scalafmt",), _check_mode(("--test", "--check", "--list"), "scalafmt"))
_register(("ktfmt",), _check_mode(("--dry-run", "--set-exit-if-changed"), "ktfmt"))
_register(("google-java-format",), _check_mode(("--dry-run", "-n", "--set-exit-if-changed"), "google-java-format"))
_register(("terraform-docs",), lambda call: [])


@_program("tsc", "vue-tsc", "tsgo")
def _h_tsc(call: _Call) -> list[Finding]:
    a = call.args
    if _flag(a, "--noEmit", "--noemit", "--noEmit=true"):
        return [call.f("lint", "tsc", "type check (tsc --noEmit)")]
    if _flag(a, "--watch", "-w", "--init", "--version", "-v"):
        return []
    if _TYPECHECK_NAME.search(call.ctx.scope) and not re.search(r"(?i)build|emit|compile|gen|dts|declaration|dist", call.ctx.scope) \
            and not _flag(a, "--build", "-b", "--outDir", "--declaration", "-d", "--emitDeclarationOnly"):
        # `"type-check": "tsc"`: the project's tsconfig sets noEmit, or the output is thrown away.
        return [call.f("lint", "tsc", f"type check (tsc in '{call.ctx.scope}')")]
    return [call.f("build", "tsc")]


_TYPECHECK_NAME = re.compile(r"(?i)(?:^|[^a-z])(?:type-?check(?:ing|s)?|check-?types|types?|tsc|typescript)(?:[^a-z]|$)")


@_program("bandit")
def _h_bandit(call: _Call) -> list[Finding]:
    return [call.f("lint", "bandit"), call.f("security-scan", "bandit")]


@_program("semgrep")
def _h_semgrep(call: _Call) -> list[Finding]:
    pos = _positionals(call.args, {"--config", "-c", "-f", "--output", "-o", "--exclude", "--include", "--severity",
                                   "--baseline-commit", "--timeout", "-j", "--jobs", "--sarif-output", "--json-output",
                                   "--metrics"})
    if pos[:1] in (["login"], ["logout"], ["publish"], ["install-semgrep-pro"], ["show"], ["lsp"]):
        return []
    return [call.f("security-scan", "semgrep"), call.f("lint", "semgrep")]


# ----- security scanners -----------------------------------------------------------------------------------

def _sec(tool: str, subs: tuple[str, ...] | None = None, also_lint: bool = False,
         valued: Iterable[str] = ()) -> Handler:
    vs = set(valued)

    def handler(call: _Call) -> list[Finding]:
        if subs is not None:
            pos = _positionals(call.args, vs)
            if not any(p in subs for p in pos[:2]):
                return []
        out = [call.f("security-scan", tool)]
        if also_lint:
            out.append(call.f("lint", tool))
        return out
    return handler


_TRIVY_SUBS = ("image", "i", "fs", "filesystem", "config", "conf", "repo", "repository", "k8s", "kubernetes", "sbom",
               "rootfs", "vm", "aws")
_register(("trivy",), _sec("trivy", _TRIVY_SUBS, valued={"--severity", "-s", "--exit-code", "--format", "-f",
                                                         "--output", "-o", "--cache-dir", "--timeout", "--ignorefile",
                                                         "--skip-dirs", "--skip-files", "--scanners", "--template", "-t"}))
_register(("grype",), lambda call: [call.f("security-scan", "grype")] if _positionals(call.args, {"-o", "--output", "-f",
                                                                                                  "--fail-on", "-c"}) else [])
_register(("snyk",), _sec("snyk", ("test", "monitor", "container", "code", "iac", "sbom"),
                          valued={"--org", "--severity-threshold", "--file", "--project-name", "--policy-path"}))
_register(("osv-scanner",), _sec("osv-scanner"))
_register(("checkov",), _sec("checkov"))
_register(("tfsec", "tfsec-ci"), _sec("tfsec"))
_register(("kics",), _sec("kics", ("scan",)))
_register(("terrascan",), _sec("terrascan", ("scan",)))
_register(("gitleaks",), _sec("gitleaks", ("detect", "protect", "git", "dir", "stdin"),
                              valued={"-c", "--config", "-s", "--source", "-r", "--report-path", "-f", "--report-format",
                                      "--log-opts", "--baseline-path"}))
_register(("trufflehog",), _sec("trufflehog", ("git", "github", "gitlab", "filesystem", "docker", "s3", "gcs",
                                              "syslog", "circleci", "travisci", "postman", "jenkins", "elasticsearch",
                                              "huggingface"), valued={"--since-commit", "--branch", "--json"}))
_register(("detect-secrets",), _sec("detect-secrets", ("scan", "audit")))
_register(("detect-secrets-hook",), _sec("detect-secrets"))
_register(("ggshield",), _sec("ggshield", ("secret", "scan", "iac", "sca")))
_register(("talisman",), _sec("talisman"))
_register(("gosec",), _sec("gosec"))
_register(("govulncheck",), _sec("govulncheck"))
_register(("pip-audit",), _sec("pip-audit"))
_register(("safety",), _sec("safety", ("check", "scan")))
_register(("audit-ci",), _sec("npm-audit"))
_register(("better-npm-audit",), _sec("npm-audit", ("audit",)))
_register(("retire",), _sec("retire-js"))
_register(("bundler-audit", "bundle-audit"), _sec("bundler-audit"))
_register(("brakeman",), _sec("brakeman"))
_register(("dependency-check", "dependency-check.sh", "dependency-check.bat"), _sec("owasp-dependency-check"))
_register(("nuclei",), _sec("nuclei"))
_register(("nikto", "nikto.pl"), _sec("nikto"))
_register(("dockle",), _sec("dockle"))
_register(("kubesec",), _sec("kubesec", ("scan",)))
_register(("prowler",), _sec("prowler"))
_register(("scorecard",), _sec("scorecard"))
_register(("bearer",), _sec("bearer", ("scan",)))
_register(("horusec",), _sec("horusec", ("start",)))
_register(("mobsfscan",), _sec("mobsfscan"))
_register(("njsscan",), _sec("njsscan"))
_register(("clair-scanner", "clairctl"), _sec("clair"))
_register(("sobelow",), _sec("sobelow"))
_register(("secretlint",), _sec("secretlint"))
_register(("zap-baseline.py", "zap-full-scan.py", "zap-api-scan.py", "zap-baseline", "zap-full-scan", "zap-api-scan"),
          _sec("zap"))
_register(("zap", "zap.sh", "zap-cli"), lambda call: [call.f("security-scan", "zap")]
          if _flag(call.args, "-cmd", "-quickurl", "-autorun") or _positionals(call.args)[:1] in (["quick-scan"], ["active-scan"]) else [])
_register(("cx",), _sec("checkmarx", ("scan",)))
_register(("sourceanalyzer",), _sec("fortify"))
_register(("cnspec",), _sec("cnspec", ("scan",)))


@_program("codeql")
def _h_codeql(call: _Call) -> list[Finding]:
    pos = _positionals(call.args, {"--format", "--output", "-o", "--language", "-l", "--source-root", "-s", "--threads"})
    if pos[:2] == ["database", "analyze"] or pos[:1] == ["analyze"]:
        return [call.f("security-scan", "codeql"), call.f("lint", "codeql")]
    return []


# ----- coverage tools ---------------------------------------------------------------------------------------

@_program("nyc", "c8")
def _h_nyc(call: _Call) -> list[Finding]:
    a = call.args
    tool = call.prog
    pos = _positionals(a, {"--reporter", "-r", "--report-dir", "--temp-dir", "-t", "--include", "-n", "--exclude", "-x",
                           "--extension", "-e", "--lines", "--branches", "--functions", "--statements", "--require", "-i",
                           "--cwd", "--nycrc-path", "--config", "-c", "--src", "--exclude-after-remap"})
    out = [call.f("coverage", tool)]
    cfg_text = _js_config_text(call, None, (".nycrc", ".nycrc.json", ".nycrc.yml", ".c8rc", ".c8rc.json"), tool)
    check = _flag(a, "--check-coverage") or (pos[:1] == ["check-coverage"]) or \
        bool(re.search(r"check-coverage[\"']?\s*[:=]\s*true|checkCoverage[\"']?\s*:\s*true", cfg_text))
    if check:
        out.append(call.f("coverage-threshold", tool))
    if pos and pos[0] in ("report", "check-coverage", "merge", "instrument"):
        return out
    k = 0
    rest: list[str] = []
    valued = {"--reporter", "-r", "--report-dir", "--temp-dir", "-t", "--include", "-n", "--exclude", "-x", "--extension",
              "-e", "--lines", "--branches", "--functions", "--statements", "--require", "-i", "--cwd", "--nycrc-path",
              "--config", "-c", "--src", "--exclude-after-remap"}
    while k < len(a):
        if a[k] == "--":
            rest = a[k + 1:]
            break
        if a[k] in valued:
            k += 2
            continue
        if a[k].startswith("-"):
            k += 1
            continue
        rest = a[k:]
        break
    if rest:
        out += call.redo(rest)
    return out


_register(("istanbul",), lambda call: [call.f("coverage", "istanbul")] + (
    [call.f("coverage-threshold", "istanbul")] if _positionals(call.args)[:1] == ["check-coverage"] else []))


@_program("gcovr")
def _h_gcovr(call: _Call) -> list[Finding]:
    out = [call.f("coverage", "gcovr")]
    if any(w.startswith("--fail-under") for w in call.args):
        out.append(call.f("coverage-threshold", "gcovr"))
    return out


_register(("lcov", "genhtml", "llvm-cov", "grcov", "fastcov", "gcov"), lambda call: [call.f("coverage", call.prog)])
_register(("reportgenerator", "dotnet-reportgenerator"), _simple(("coverage", "reportgenerator")))


@_program("kcov")
def _h_kcov(call: _Call) -> list[Finding]:
    rest = _skip_opts(call.args, {"--include-path", "--exclude-path", "--include-pattern", "--exclude-pattern",
                                  "--collect-only", "--report-only"})
    out = [call.f("coverage", "kcov")]
    if len(rest) > 1:
        out += call.redo(rest[1:])
    return out


@_program("codecov", "codecovcli", "codecov-cli")
def _h_codecov(call: _Call) -> list[Finding]:
    pos = _positionals(call.args)
    if pos[:1] in (["create-commit"], ["create-report"], ["do-upload"], ["upload-process"], ["upload-coverage"]) or \
            call.prog == "codecov" or not pos:
        return [call.f("coverage", "codecov"), call.f("coverage-report", "codecov")]
    return []


_register(("coveralls", "coveralls-lcov", "goveralls", "coveralls-python", "cpp-coveralls", "coveralls.net",
           "csharp-coveralls", "php-coveralls", "php-coveralls.phar", "coveralls-report", "node-coveralls"),
          _simple(("coverage", "coveralls"), ("coverage-report", "coveralls")))
_register(("cc-test-reporter",), lambda call: [call.f("coverage", "codeclimate"), call.f("coverage-report", "codeclimate")]
          if _positionals(call.args)[:1] in (["after-build"], ["upload-coverage"], ["sum-coverage"], ["format-coverage"]) else [])
_register(("codacy-coverage-reporter",), _simple(("coverage", "codacy"), ("coverage-report", "codacy")))
_register(("qlty",), lambda call: [call.f("coverage-report", "qlty")] if _positionals(call.args)[:2] == ["coverage", "publish"]
          else ([call.f("lint", "qlty")] if _positionals(call.args)[:1] == ["check"] else []))
_register(("diff-cover",), lambda call: [call.f("coverage", "diff-cover")] + (
    [call.f("coverage-threshold", "diff-cover")] if _flag(call.args, "--fail-under") else []))


# ----- Go ----------------------------------------------------------------------------------------------------

_GO_VALUED = {"-run", "-bench", "-tags", "--tags", "-coverprofile", "-covermode", "-coverpkg", "-count", "-timeout",
              "-p", "-parallel", "-benchtime", "-cpu", "-ldflags", "-gcflags", "-mod", "-exec", "-o", "-skip", "-list",
              "-shuffle", "-vet", "-memprofile", "-cpuprofile", "-outputdir", "-trace", "-blockprofile",
              "-mutexprofile", "-C", "-modfile", "-overlay", "-pkgdir", "-asmflags", "-buildmode", "-compiler",
              "-installsuffix", "-toolexec", "-fuzz", "-fuzztime", "-json"}


def _go_test(call: _Call, a: list[str], tool: str = "go") -> list[Finding]:
    own = a[:a.index("-args")] if "-args" in a else a
    pos = [p for p in _positionals(own, _GO_VALUED) if not p.startswith("-")]
    out: list[Finding] = []
    bench = _opt(own, "-bench", "--bench", "-test.bench")
    run = _opt(own, "-run", "--run") or ""
    tags = _opt(own, "-tags", "--tags") or ""
    if bench:
        out.append(call.f("performance-test", "go-bench"))
        if re.fullmatch(r"\^?\$|xxx|XXX|NONE|none|\^#|-|\^\$\$", run or "x") or run in ("^$", "XXX", "NONE", "^#"):
            return out + _go_cov(call, own)
    if _opt(own, "-fuzz"):
        out.append(call.f("test", "go-fuzz"))
        return out
    tag_list = [t for t in re.split(r"[,\s]+", tags) if t]
    tag_suite = next((_suite(t) for t in tag_list if not t.startswith("!") and _suite(t)), None)
    if tag_suite:
        out += [call.f("test", tool), call.f(tag_suite, tool, f"build tag {tags}")]
    else:
        out += _suite_findings(call, tool, [run], pos)
    return out + _go_cov(call, own)


def _go_cov(call: _Call, a: list[str]) -> list[Finding]:
    if any(w.split("=")[0] in ("-cover", "-coverprofile", "-covermode", "-coverpkg", "--cover", "--coverprofile",
                               "-test.coverprofile") for w in a):
        return [call.f("coverage", "go-cover")]
    return []


@_program("go")
def _h_go(call: _Call) -> list[Finding]:
    a = call.args
    if not a:
        return []
    sub, rest = a[0], a[1:]
    if sub == "test":
        return _go_test(call, rest)
    if sub == "vet":
        return [call.f("lint", "go-vet")]
    if sub == "build":
        return [call.f("build", "go")]
    if sub in ("run", "tool"):
        pos = _positionals(rest, {"-tags", "-ldflags", "-mod", "-C", "-exec", "-modfile"})
        if not pos:
            return []
        target = pos[0]
        if sub == "tool" and target == "cover":
            return [call.f("coverage", "go-cover")]
        name = _go_pkg_prog(target)
        if name and name in _HANDLERS and name != "go":
            return call.redo([name, *rest[rest.index(target) + 1:]])
    return []


def _go_pkg_prog(target: str) -> str | None:
    t = target.split("@", 1)[0].rstrip("/")
    if t.endswith(".go") or t in (".", "./") or t.startswith("./") and "/cmd/" not in t:
        return None
    parts = [p for p in t.split("/") if p and not re.fullmatch(r"v\d+", p)]
    return parts[-1].lower() if parts else None


@_program("gotestsum")
def _h_gotestsum(call: _Call) -> list[Finding]:
    a = call.args
    if _flag(a, "--raw-command"):
        return call.redo(_after_dd(a))
    return _go_test(call, _after_dd(a), "go")


@_program("richgo", "gotest")
def _h_richgo(call: _Call) -> list[Finding]:
    return _go_test(call, call.args[1:] if call.args[:1] == ["test"] else call.args)


@_program("ginkgo")
def _h_ginkgo(call: _Call) -> list[Finding]:
    a = call.args
    valued = {"--label-filter", "--focus", "--skip", "-p", "--procs", "--tags", "--junit-report", "--json-report",
              "--timeout", "--coverprofile", "--output-dir", "--focus-file", "--skip-file", "--seed", "--flake-attempts",
              "--poll-progress-after", "--covermode", "--coverpkg", "--compilers", "--output-interceptor-mode"}
    pos = _positionals(a, valued)
    if pos[:1] in (["bootstrap"], ["generate"], ["version"], ["help"], ["outline"], ["unfocus"], ["labels"], ["build"]):
        return []
    if pos[:1] == ["run"]:
        pos = pos[1:]
    out = _suite_findings(call, "ginkgo", [_opt(a, "--label-filter"), _opt(a, "--focus"), _opt(a, "--tags")], pos)
    if _flag(a, "--cover", "-cover", "--coverprofile"):
        out.append(call.f("coverage", "ginkgo"))
    return out


@_program("goreleaser")
def _h_goreleaser(call: _Call) -> list[Finding]:
    a = call.args
    pos = _positionals(a, {"-f", "--config", "--parallelism", "-p", "--timeout", "--release-notes", "--skip", "--id"})
    sub = pos[0] if pos else "release"
    if sub in ("check", "init", "healthcheck", "jsonschema", "completion", "man", "help", "changelog"):
        return []
    if sub == "build" or _flag(a, "--snapshot"):
        return [call.f("build", "goreleaser")]
    if sub != "release":
        return []
    skipped = ",".join(_opts(a, "--skip"))
    out = []
    if not _flag(a, "--skip-publish") and "publish" not in skipped:
        out.append(call.f("publish", "goreleaser"))
        out.append(call.f("release", "goreleaser"))
    if "announce" not in skipped and out:
        out.append(call.f("release-notes", "goreleaser", "changelog"))
    return out


@_program("ko")
def _h_ko(call: _Call) -> list[Finding]:
    a = call.args
    pos = _positionals(a, {"-f", "--filename", "--platform", "-t", "--tags", "--image-refs", "--base-import-paths",
                           "--bare", "-B", "--sbom", "--tag-only", "--push"})
    if not pos:
        return []
    local = _flag(a, "--local", "-L", "--push=false") or any(w.startswith("--push=false") for w in a)
    if pos[0] in ("build", "publish", "resolve"):
        return [call.f("build", "ko")] if local else [call.f("publish", "ko")]
    if pos[0] in ("apply", "create"):
        out = [call.f("deploy", "ko", "ko apply")]
        if not local:
            out.append(call.f("publish", "ko"))
        return out
    return []


# ----- Rust --------------------------------------------------------------------------------------------------

@_program("cargo", "cross")
def _h_cargo(call: _Call) -> list[Finding]:
    a = [w for w in call.args if not w.startswith("+")]
    i = 0
    while i < len(a) and a[i].startswith("-"):
        i += 2 if a[i] in ("--manifest-path", "-Z", "--config", "-C", "--color") else 1
    if i >= len(a):
        return []
    sub, rest = a[i], a[i + 1:]
    if sub == "hack" or sub == "minimal-versions":
        inner = _skip_opts(rest, {"--features", "--exclude-features", "--group-features", "--depth", "--version-range",
                                  "--version-step", "-p", "--package", "--exclude"})
        return call.redo(["cargo", *inner]) if inner else []
    valued = {"-p", "--package", "--features", "-F", "--target", "--test", "--bench", "--bin", "--example",
              "-j", "--jobs", "--profile", "--exclude", "--target-dir", "--manifest-path", "--message-format",
              "--color", "-Z", "--config", "--partition", "--archive-file", "-E", "--filterset", "--junit-path",
              "--fail-under", "--out", "-o", "--output-dir", "--output-path", "--lcov", "--codecov", "--cobertura",
              "--ignore-filename-regex", "--fail-under-lines", "--fail-under-functions", "--fail-under-regions",
              "--workspace-remap", "--token", "--registry", "--index"}
    pos = _positionals(rest, valued)
    if sub in ("test", "t"):
        exprs = _opts(rest, "--test") + _opts(rest, "-p", "--package")
        return _suite_findings(call, "cargo", exprs, pos[:1] if pos else [])
    if sub in ("miri", "insta") and pos[:1] == ["test"]:
        return [call.f("test", "cargo", f"cargo {sub} test")]
    if sub == "nextest":
        if pos[:1] != ["run"] and pos[:1] != ["r"]:
            return []
        return _suite_findings(call, "cargo-nextest", _opts(rest, "-E", "--filterset", "-p", "--package", "--test"), [])
    if sub in ("bench", "criterion"):
        return [call.f("performance-test", "cargo-bench" if sub == "bench" else "criterion")]
    if sub == "codspeed" and pos[:1] == ["run"]:
        return [call.f("performance-test", "codspeed")]
    if sub == "clippy":
        return [call.f("lint", "clippy")]
    if sub == "fmt":
        return [call.f("lint", "rustfmt")] if "--check" in rest else []
    if sub in ("udeps", "machete", "semver-checks", "shear", "sort", "spellcheck", "geiger", "outdated"):
        return [call.f("lint", f"cargo-{sub}")] if sub not in ("outdated", "geiger") else []
    if sub == "build" or sub == "b":
        return [call.f("build", "cargo")]
    if sub == "publish":
        return [] if _flag(rest, "--dry-run", "-n") else [call.f("publish", "crates-io", "cargo publish")]
    if sub == "tarpaulin":
        out = [call.f("test", "cargo"), call.f("coverage", "tarpaulin")]
        if _flag(rest, "--fail-under"):
            out.append(call.f("coverage-threshold", "tarpaulin"))
        return out
    if sub == "llvm-cov":
        out = [call.f("coverage", "cargo-llvm-cov")]
        if pos[:1] not in (["report"], ["clean"], ["show-env"]):
            out.insert(0, call.f("test", "cargo-nextest" if pos[:1] == ["nextest"] else "cargo"))
        if any(w.startswith("--fail-under") for w in rest):
            out.append(call.f("coverage-threshold", "cargo-llvm-cov"))
        return out
    if sub == "audit":
        return [call.f("security-scan", "cargo-audit")] if pos[:1] != ["fix"] else []
    if sub == "deny":
        return [call.f("security-scan", "cargo-deny")] if not pos or pos[0] == "check" else []
    if sub == "vet":
        return [call.f("security-scan", "cargo-vet")] if not pos or pos[0] == "check" else []
    if sub == "release":
        if not _flag(rest, "--execute", "-x"):
            return []
        return [call.f("release", "cargo-release")] + (
            [call.f("publish", "crates-io", "cargo release")] if "--no-publish" not in rest else [])
    if sub == "sqlx":
        return call.redo(["sqlx", *rest])
    if sub == "make" and pos:
        return call.clf._fallback(call, pos[0], "cargo-make", "Makefile.toml not expanded")
    return []


@_program("release-plz")
def _h_release_plz(call: _Call) -> list[Finding]:
    pos = _positionals(call.args)
    if _flag(call.args, "--dry-run"):
        return []
    if pos[:1] == ["release"]:
        return [call.f("release", "release-plz"), call.f("publish", "crates-io", "release-plz release")]
    if pos[:1] in (["release-pr"], ["update"]):
        return [call.f("release", "release-plz"), call.f("release-notes", "release-plz")]
    return []


@_program("diesel")
def _h_diesel(call: _Call) -> list[Finding]:
    pos = _positionals(call.args, {"--database-url", "--migration-dir", "--config-file"})
    if pos[:2] == ["migration", "run"] or pos[:2] in (["database", "setup"], ["database", "reset"], ["setup"]):
        return [call.f("migrate", "diesel")]
    if pos[:2] in (["migration", "redo"], ["migration", "revert"]):
        return [call.f("migrate-rollback", "diesel")]
    return []


@_program("sqlx")
def _h_sqlx(call: _Call) -> list[Finding]:
    pos = _positionals(call.args, {"-D", "--database-url", "--source", "--target-version"})
    if pos[:2] == ["migrate", "run"] or pos[:2] in (["database", "setup"], ["database", "reset"]):
        return [call.f("migrate", "sqlx")]
    if pos[:2] == ["migrate", "revert"]:
        return [call.f("migrate-rollback", "sqlx")]
    return []


@_program("sea-orm-cli")
def _h_seaorm(call: _Call) -> list[Finding]:
    pos = _positionals(call.args, {"-u", "--database-url", "-d", "--migration-dir", "-n", "--num"})
    if pos[:1] == ["migrate"]:
        if pos[1:2] in ([], ["up"], ["fresh"], ["refresh"]):
            out = [call.f("migrate", "sea-orm")]
            if pos[1:2] == ["refresh"]:
                out.append(call.f("migrate-rollback", "sea-orm"))
            return out
        if pos[1:2] in (["down"], ["reset"]):
            return [call.f("migrate-rollback", "sea-orm")]
    return []


# ----- JVM: Maven, Gradle, sbt, others --------------------------------------------------------------------

_MVN_PHASES = ["validate", "initialize", "generate-sources", "process-sources", "generate-resources",
               "process-resources", "compile", "process-classes", "generate-test-sources", "process-test-sources",
               "generate-test-resources", "process-test-resources", "test-compile", "process-test-classes", "test",
               "prepare-package", "package", "pre-integration-test", "integration-test", "post-integration-test",
               "verify", "install", "deploy"]
_MVN_INDEX = {p: i for i, p in enumerate(_MVN_PHASES)}
_MVN_GOALS: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = (
    (r"(?:^|:)sonar(?:-maven-plugin)?(?::[\w.-]+)*:sonar$|^sonar:sonar$", (("lint", "sonarqube"),)),
    (r"jacoco(?:-maven-plugin)?(?::[\w.-]+)?:(?:report|report-aggregate|report-integration|prepare-agent)", (("coverage", "jacoco"),)),
    (r"jacoco(?:-maven-plugin)?(?::[\w.-]+)?:check", (("coverage-threshold", "jacoco"),)),
    (r"checkstyle(?:-plugin)?(?::[\w.-]+)?:(?:check|checkstyle)", (("lint", "checkstyle"),)),
    (r"pmd(?:-plugin)?(?::[\w.-]+)?:(?:check|pmd|cpd-check|cpd)$", (("lint", "pmd"),)),
    (r"spotbugs(?:-maven-plugin)?(?::[\w.-]+)?:(?:check|spotbugs)", (("lint", "spotbugs"),)),
    (r"spotless(?:-maven-plugin)?(?::[\w.-]+)?:check", (("lint", "spotless"),)),
    (r"dependency-check(?:-maven)?(?::[\w.-]+)?:(?:check|aggregate)", (("security-scan", "owasp-dependency-check"),)),
    (r"flyway(?:-maven-plugin)?(?::[\w.-]+)?:migrate", (("migrate", "flyway"),)),
    (r"flyway(?:-maven-plugin)?(?::[\w.-]+)?:undo", (("migrate-rollback", "flyway"),)),
    (r"liquibase(?:-maven-plugin)?(?::[\w.-]+)?:update$", (("migrate", "liquibase"),)),
    (r"liquibase(?:-maven-plugin)?(?::[\w.-]+)?:rollback", (("migrate-rollback", "liquibase"),)),
    (r"gatling(?:-maven-plugin)?(?::[\w.-]+)?:(?:test|execute)", (("performance-test", "gatling"),)),
    (r"jmeter(?:-maven-plugin)?(?::[\w.-]+)?:jmeter", (("performance-test", "jmeter"),)),
    (r"jib(?:-maven-plugin)?(?::[\w.-]+)?:build$", (("publish", "jib"),)),
    (r"jib(?:-maven-plugin)?(?::[\w.-]+)?:(?:dockerBuild|buildTar)", (("build", "jib"),)),
    (r"release(?::[\w.-]+)?:perform", (("release", "maven-release"), ("publish", "maven"))),
    (r"release(?::[\w.-]+)?:prepare", (("release", "maven-release"),)),
    (r"^deploy:deploy(?:-file)?$", (("publish", "maven"),)),
    (r"(?:dockerfile|docker):push", (("publish", "docker"),)),
    (r"(?:k8s|fabric8|oc):(?:deploy|apply)", (("deploy", "kubernetes"),)),
    (r"appengine:deploy", (("deploy", "app-engine"),)),
    (r"azure-webapp:deploy", (("deploy", "azure-webapp"),)),
    (r"azure-functions:deploy", (("deploy", "azure-functions"),)),
    (r"heroku:deploy", (("deploy", "heroku"),)),
    (r"surefire(?::[\w.-]+)?:test", (("test", "maven"),)),
    (r"failsafe(?::[\w.-]+)?:(?:integration-test|verify)", (("integration-test", "maven-failsafe"),)),
    (r"central-publishing|nexus-staging(?::[\w.-]+)?:(?:deploy|release)", (("publish", "maven"),)),
)


def _pom_plugins(call: _Call, directory: str) -> dict[str, str]:
    """artifactId -> the text of its `<plugin>` block with executions, for plugins bound in `<build>`."""
    def build() -> dict[str, str]:
        out: dict[str, str] = {}
        paths = _named_files(call, "pom.xml")[:60]
        for p in paths:
            text = call.clf._read(p) or ""
            text = re.sub(r"<pluginManagement>.*?</pluginManagement>|<reporting>.*?</reporting>|<!--.*?-->", "", text, flags=re.S)
            for block in re.findall(r"<plugin>(.*?)</plugin>", text, flags=re.S):
                m = re.search(r"<artifactId>\s*([\w.-]+)\s*</artifactId>", block)
                if m and "<goal>" in block:
                    out[m.group(1)] = out.get(m.group(1), "") + block
                elif m and m.group(1) in ("maven-failsafe-plugin",):
                    out.setdefault(m.group(1), block)
        return out
    return call.clf._cached("pom-plugins", directory, build) or {}


@_program("mvn", "mvnw", "mvnd", "maven", "mvn.cmd", "mvnw.cmd", "mvnDebug")
def _h_maven(call: _Call) -> list[Finding]:
    a = call.args
    valued = {"-f", "--file", "-s", "--settings", "-gs", "--global-settings", "-pl", "--projects", "-rf",
              "--resume-from", "-T", "--threads", "-P", "--activate-profiles", "-l", "--log-file", "-t",
              "--toolchains", "-b", "--builder", "-D", "--define", "-gt", "--global-toolchains", "-emp", "-ep"}
    props: dict[str, str] = {}
    for k, w in enumerate(a):
        d = w[2:] if w.startswith("-D") and len(w) > 2 else (a[k + 1] if w in ("-D", "--define") and k + 1 < len(a) else None)
        if d:
            key, _, val = d.partition("=")
            props[key] = val or "true"
    profiles = ",".join(_opts(a, "-P", "--activate-profiles"))
    goals = _positionals(a, valued)
    phases = [g for g in goals if g in _MVN_INDEX]
    top = max((_MVN_INDEX[p] for p in phases), default=-1)
    skip_tests = props.get("skipTests", "false") != "false" or props.get("maven.test.skip", "false") != "false"
    skip_its = skip_tests or props.get("skipITs", "false") != "false"
    out: list[Finding] = []
    plugins = _pom_plugins(call, "") if top >= _MVN_INDEX["test"] else {}
    if top >= _MVN_INDEX["test"] and not skip_tests:
        test_sel = props.get("test") or props.get("it.test") or props.get("groups") or ""
        excluded = props.get("excludedGroups", "")
        if test_sel and _suite(test_sel):
            out.append(call.f(_suite(test_sel) or "test", "maven", f"-Dtest/-Dgroups={test_sel}"))
        else:
            out.append(call.f("test", "maven", "surefire"))
            prof_suite = _suite(profiles) if profiles else None
            if prof_suite and not (excluded and _suite(excluded)):
                out.append(call.f(prof_suite, "maven", f"profile {profiles}"))
        if top >= _MVN_INDEX["integration-test"] and not skip_its and "maven-failsafe-plugin" in plugins:
            out.append(call.f("integration-test", "maven-failsafe", "maven-failsafe-plugin configured in pom.xml"))
        if "jacoco-maven-plugin" in plugins:
            out.append(call.f("coverage", "jacoco", "jacoco-maven-plugin in pom.xml"))
            if top >= _MVN_INDEX["verify"] and re.search(r"<goal>\s*check\s*</goal>", plugins["jacoco-maven-plugin"]):
                out.append(call.f("coverage-threshold", "jacoco", "jacoco check in pom.xml"))
    if top >= _MVN_INDEX["verify"]:
        for art, (cat, tool) in (("maven-checkstyle-plugin", ("lint", "checkstyle")), ("maven-pmd-plugin", ("lint", "pmd")),
                                 ("spotbugs-maven-plugin", ("lint", "spotbugs")), ("spotless-maven-plugin", ("lint", "spotless")),
                                 ("dependency-check-maven", ("security-scan", "owasp-dependency-check"))):
            block = plugins.get(art) if plugins else _pom_plugins(call, "").get(art)
            if block and re.search(r"<goal>\s*(?:check|aggregate)\s*</goal>", block):
                out.append(call.f(cat, tool, f"{art} bound in pom.xml"))
    if top >= _MVN_INDEX["package"]:
        out.append(call.f("build", "maven"))
    if top >= _MVN_INDEX["deploy"] and props.get("maven.deploy.skip", "false") == "false":
        out.append(call.f("publish", "maven", "mvn deploy"))
    for g in goals:
        if g in _MVN_INDEX:
            continue
        for rx, pairs in _MVN_GOALS:
            if re.search(rx, g):
                pairs_ = pairs
                if g.endswith("build-image"):
                    pairs_ = (("build", "spring-boot"),)
                out += call.fs(pairs_, g)
                break
        else:
            if g.endswith("spring-boot:build-image") or g == "spring-boot:build-image":
                pub = props.get("spring-boot.build-image.publish") == "true"
                out.append(call.f("publish" if pub else "build", "spring-boot", g))
    return out


_GRADLE_LINT_PLUGINS = (
    (r"""['"(]checkstyle['")]|plugin:\s*['"]checkstyle""", "checkstyle"),
    (r"""['"(]pmd['")]|plugin:\s*['"]pmd""", "pmd"),
    (r"com\.github\.spotbugs", "spotbugs"),
    (r"io\.gitlab\.arturbosch\.detekt|\bdetekt\b", "detekt"),
    (r"org\.jlleitschuh\.gradle\.ktlint|ktlint", "ktlint"),
    (r"com\.diffplug\.spotless|\bspotless\b", "spotless"),
    (r"com\.android\.(?:application|library)", "android-lint"),
)


def _gradle_build_text(call: _Call, directory: str) -> str:
    def build() -> str:
        parts = []
        for p in call.clf.files.paths:
            b = posixpath.basename(p)
            if b in ("build.gradle", "build.gradle.kts") or (p.startswith("buildSrc/") and p.endswith((".gradle", ".gradle.kts", ".kt"))) \
                    or (p.startswith(("gradle/", "build-logic/")) and p.endswith((".gradle", ".gradle.kts"))):
                parts.append(call.clf._read(p) or "")
                if len(parts) > 60:
                    break
        return "\n".join(parts)
    return call.clf._cached("gradle-text", directory, build) or ""


@_program("gradle", "gradlew", "gradlew.bat", "gw")
def _h_gradle(call: _Call) -> list[Finding]:
    a = call.args
    valued = {"-x", "--exclude-task", "-p", "--project-dir", "-b", "--build-file", "-c", "--settings-file", "-I",
              "--init-script", "-D", "-P", "--console", "--warning-mode", "-g", "--gradle-user-home", "--max-workers",
              "--priority", "--include-build", "-M", "--write-verification-metadata", "--dependency-verification",
              "-F", "--tests", "--configuration", "--project-cache-dir", "--scan-", "--stacktrace-"}
    tasks = _positionals(a, valued)
    excluded = {t.rsplit(":", 1)[-1] for t in _opts(a, "-x", "--exclude-task")}
    test_filters = _opts(a, "--tests")
    out: list[Finding] = []
    build_text = None
    test_excluded = bool(excluded & {"test", "check"})

    def text() -> str:
        nonlocal build_text
        if build_text is None:
            build_text = _gradle_build_text(call, call.cwd)
        return build_text

    for task in tasks:
        name = task.rsplit(":", 1)[-1]
        low = name.lower()
        if re.fullmatch(r"connected\w*AndroidTest|connected\w*Check", name):
            out.append(call.f("integration-test", "android-instrumented", name))
            continue
        if name not in ("test", "check", "build") and (
                re.fullmatch(r"\w*IntegrationTests?|integrationTests?|intTest|itest|it", name) or
                (re.fullmatch(r"\w*Tests?", name) and _suite(name) == "integration-test")):
            out.append(call.f("integration-test", "gradle", name))
            continue
        if name in ("test", "check", "build") or re.fullmatch(r"test\w*UnitTest|\w*Tests?|allTests", name) \
                and not _suite(name):
            if not test_excluded and name not in excluded:
                if name in ("check", "build") and not _suite_any(test_filters):
                    out.append(call.f("test", "gradle", f"{name} runs test"))
                else:
                    out += _suite_findings(call, "gradle", test_filters, [], note=name)
                if name in ("test", "check", "build") and re.search(
                        r"finalizedBy\W+(?:tasks\.)?(?:named\(\W*)?jacocoTestReport|jacocoTestReport\s*\{[^}]*dependsOn", text()):
                    out.append(call.f("coverage", "jacoco", "jacocoTestReport finalizes test"))
            if name in ("check", "build") and "check" not in excluded:
                for rx, tool in _GRADLE_LINT_PLUGINS:
                    if re.search(rx, text()):
                        out.append(call.f("lint", tool, f"{tool} plugin runs in {name}"))
                if re.search(r"dependsOn\W+(?:tasks\.)?(?:named\(\W*)?jacocoTestCoverageVerification|koverVerify|"
                             r"kover\s*\{[^}]*verify", text()):
                    out.append(call.f("coverage-threshold", "jacoco" if "jacoco" in text() else "kover",
                                      f"verification in {name}"))
            if name == "build":
                out.append(call.f("build", "gradle"))
            continue
        if re.fullmatch(r"(?i)e2e\w*|\w*e2e\w*|\w*(?:functional|acceptance|endToEnd)Tests?", name):
            out.append(call.f("e2e-test", "gradle", name))
            continue
        if low in ("assemble", "bootjar", "jar", "shadowjar", "war", "bootwar", "distzip", "disttar", "installdist") \
                or re.fullmatch(r"assemble\w+|bundle\w+", name):
            out.append(call.f("build", "gradle"))
            continue
        if re.fullmatch(r"jacoco\w*Report|testCodeCoverageReport|codeCoverageReport|jacocoRootReport|jacocoMerge", name) \
                or re.fullmatch(r"(?:create|generate|merge)?\w*Coverage\w*Report\w*", name):
            out.append(call.f("coverage", "jacoco"))
            continue
        if name in ("jacocoTestCoverageVerification",) or re.fullmatch(r"jacoco\w*Verification", name):
            out += [call.f("coverage", "jacoco"), call.f("coverage-threshold", "jacoco")]
            continue
        if re.fullmatch(r"kover\w*Report|koverLog|koverXml\w*|koverHtml\w*", name):
            out.append(call.f("coverage", "kover"))
            continue
        if re.fullmatch(r"koverVerify\w*", name):
            out += [call.f("coverage", "kover"), call.f("coverage-threshold", "kover")]
            continue
        if low in ("sonarqube", "sonar"):
            out.append(call.f("lint", "sonarqube"))
            continue
        for rx, tool in ((r"detekt\w*", "detekt"), (r"ktlint\w*", "ktlint"), (r"spotlessCheck|spotless\w*Check", "spotless"),
                         (r"checkstyle\w*", "checkstyle"), (r"spotbugs\w*", "spotbugs"), (r"pmd\w*", "pmd"),
                         (r"lint|lint\w+|lintVital\w+", "android-lint"), (r"ktfmtCheck\w*", "ktfmt"),
                         (r"apiCheck", "binary-compatibility-validator")):
            if re.fullmatch(rx, name) and not re.search(r"(?i)format|baseline|fix|apply", name):
                out.append(call.f("lint", tool))
                break
        else:
            if re.fullmatch(r"dependencyCheck(?:Analyze|Aggregate)", name):
                out.append(call.f("security-scan", "owasp-dependency-check"))
            elif re.fullmatch(r"publish\w*", name) and not re.search(r"MavenLocal|Local$", name):
                out.append(call.f("publish", "gradle", name))
            elif name in ("uploadArchives", "bintrayUpload", "artifactoryPublish", "closeAndReleaseSonatypeStagingRepository",
                          "closeAndReleaseRepository", "releaseSonatypeStagingRepository", "publishPlugins"):
                out.append(call.f("publish", "gradle", name))
            elif name == "jib":
                out.append(call.f("publish", "jib"))
            elif name in ("jibDockerBuild", "jibBuildTar"):
                out.append(call.f("build", "jib"))
            elif name == "bootBuildImage":
                out.append(call.f("publish" if _flag(a, "--publishImage") else "build", "spring-boot", name))
            elif re.fullmatch(r"(?:docker|image)Push\w*|pushImage|dockerPushImage", name):
                out.append(call.f("publish", "docker", name))
            elif name == "flywayMigrate":
                out.append(call.f("migrate", "flyway"))
            elif name == "flywayUndo":
                out.append(call.f("migrate-rollback", "flyway"))
            elif re.fullmatch(r"gatlingRun\w*|gatling", name):
                out.append(call.f("performance-test", "gatling"))
            elif name in ("jmh", "benchmark") or re.fullmatch(r"\w*[bB]enchmarks?", name):
                out.append(call.f("performance-test", "jmh" if name == "jmh" else "gradle", name))
            elif name == "appengineDeploy":
                out.append(call.f("deploy", "app-engine"))
            elif name in ("azureWebAppDeploy", "azureWebappDeploy"):
                out.append(call.f("deploy", "azure-webapp"))
            elif name == "azureFunctionsDeploy":
                out.append(call.f("deploy", "azure-functions"))
    return out


def _suite_any(values: list[str]) -> bool:
    return any(_suite(v) for v in values)


@_program("sbt", "sbtn", "sbt-client")
def _h_sbt(call: _Call) -> list[Finding]:
    cmds: list[str] = []
    for arg in call.args:
        if arg.startswith("-") and not arg.startswith("-D"):
            continue
        for part in arg.split(";"):
            part = part.strip().lstrip("+").strip()
            if part:
                cmds.append(part)
    out: list[Finding] = []
    coverage_on = False
    for c in cmds:
        word = c.split()[0]
        low = word.lower()
        if low == "coverage":
            coverage_on = True
            continue
        if low in ("test", "testonly", "testquick", "test/test", "test:test"):
            sel = c.split()[1:] if low != "test" else []
            out += _suite_findings(call, "sbt", sel, [])
            if coverage_on:
                out.append(call.f("coverage", "scoverage"))
        elif low in ("it:test", "integrationtest/test", "it/test", "it:testonly", "integrationtest/testonly"):
            out.append(call.f("integration-test", "sbt"))
        elif low in ("gatling:test", "gatling/test", "gatlingit:test", "gatling/testonly"):
            out.append(call.f("performance-test", "gatling"))
        elif low in ("jmh:run", "jmh/run"):
            out.append(call.f("performance-test", "jmh"))
        elif low in ("coveragereport", "coverageaggregate"):
            out.append(call.f("coverage", "scoverage"))
            text = call.clf._read("build.sbt") or ""
            if re.search(r"coverageFailOnMinimum\s*:=\s*true", text):
                out.append(call.f("coverage-threshold", "scoverage", "coverageFailOnMinimum in build.sbt"))
        elif low in ("scalafmtcheck", "scalafmtcheckall", "scalafmtsbtcheck", "scalastyle", "test:scalastyle",
                     "scapegoat", "wartremover"):
            out.append(call.f("lint", "scalafmt" if "fmt" in low else low))
        elif low == "scalafix" and "--check" in c:
            out.append(call.f("lint", "scalafix"))
        elif low in ("publish", "publishsigned", "+publish", "+publishsigned", "sonatypebundlerelease", "sonatyperelease"):
            out.append(call.f("publish", "sbt", word))
        elif low == "ci-release":
            out += [call.f("publish", "sbt", "ci-release"), call.f("release", "sbt-ci-release")]
        elif low in ("docker:publish", "docker/publish"):
            out.append(call.f("publish", "docker", word))
        elif low == "flywaymigrate":
            out.append(call.f("migrate", "flyway"))
        elif low in ("package", "assembly", "docker:publishlocal", "docker/publishlocal", "universal:packagebin"):
            out.append(call.f("build", "sbt"))
    return out


@_program("mill")
def _h_mill(call: _Call) -> list[Finding]:
    out: list[Finding] = []
    for t in _positionals(call.args, {"-j", "--jobs", "-i"}):
        last = t.rsplit(".", 1)[-1]
        if last in ("test", "testOnly") or t.endswith(".test"):
            out += _suite_findings(call, "mill", [], [t])
        elif last in ("publish", "publishAll") or "PublishModule/publishAll" in t:
            out.append(call.f("publish", "mill"))
        elif last in ("checkFormat", "fix") and last == "checkFormat":
            out.append(call.f("lint", "scalafmt"))
    return out


@_program("lein")
def _h_lein(call: _Call) -> list[Finding]:
    pos = _positionals(call.args)
    for k, w in enumerate(pos):
        if w in ("with-profile", "with-profiles", "update-in", "do"):
            continue
        if w == "test":
            return _suite_findings(call, "lein", pos[k + 1:k + 2], [])
        if w in ("midje", "kaocha", "eftest"):
            return [call.f("test", w)]
        if w == "cloverage":
            return [call.f("test", "lein"), call.f("coverage", "cloverage")]
        if w in ("kibit", "eastwood", "bikeshed", "check-namespace-decls"):
            return [call.f("lint", w)]
        if w == "cljfmt" and pos[k + 1:k + 2] == ["check"]:
            return [call.f("lint", "cljfmt")]
        if w == "deploy":
            return [call.f("publish", "clojars", "lein deploy")]
        break
    return []


@_program("clojure", "clj")
def _h_clojure(call: _Call) -> list[Finding]:
    for w in call.args:
        m = re.match(r"^-[MXTA]((?::[\w.-]+)+)", w)
        if m:
            aliases = [x for x in m.group(1).split(":") if x]
            if any(re.fullmatch(r"test|tests|kaocha|test-runner|unit", x) for x in aliases):
                return [call.f("test", "clojure", f"alias {m.group(1)}")]
            if any(re.search(r"lint|kondo|eastwood|cljfmt|format-check", x) for x in aliases):
                return [call.f("lint", "clojure", f"alias {m.group(1)}")]
            if any(x in ("coverage", "cloverage") for x in aliases):
                return [call.f("test", "clojure"), call.f("coverage", "cloverage")]
            if any(x in ("deploy",) for x in aliases):
                return [call.f("publish", "clojars")]
    return []


@_program("ant")
def _h_ant(call: _Call) -> list[Finding]:
    out: list[Finding] = []
    for t in _positionals(call.args, {"-f", "-buildfile", "-file", "-lib", "-logfile", "-l", "-propertyfile"}):
        if not t.startswith("-D"):
            out += call.clf._fallback(call, t, "ant", "build.xml targets not expanded")
    return out


@_program("jreleaser", "jreleaser-cli")
def _h_jreleaser(call: _Call) -> list[Finding]:
    a = call.args
    if _flag(a, "--dry-run", "-d"):
        return []
    pos = _positionals(a, {"--basedir", "-b", "--config-file", "-c", "--output-directory", "-od", "-s", "--select-platform"})
    sub = pos[0] if pos else ""
    if sub in ("full-release", "release"):
        out = [call.f("release", "jreleaser"), call.f("release-notes", "jreleaser", "changelog")]
        if sub == "full-release":
            out.append(call.f("publish", "jreleaser"))
        return out
    if sub == "changelog":
        return [call.f("release-notes", "jreleaser")]
    if sub in ("deploy", "upload", "publish"):
        return [call.f("publish", "jreleaser")]
    return []


# ----- .NET ----------------------------------------------------------------------------------------------

@_program("dotnet")
def _h_dotnet(call: _Call) -> list[Finding]:
    a = call.args
    if not a:
        return []
    sub, rest = a[0], a[1:]
    if sub == "test" or sub == "vstest":
        return _dotnet_test(call, rest)
    if sub in ("build", "msbuild"):
        return [call.f("build", "dotnet")]
    if sub in ("publish", "pack"):
        return [call.f("build", "dotnet", f"dotnet {sub}")]
    if sub == "nuget" and rest[:1] == ["push"]:
        return [call.f("publish", "nuget")]
    if sub == "format":
        return [call.f("lint", "dotnet-format")] if _flag(rest, "--verify-no-changes", "--check") else []
    if sub == "ef" or sub == "dotnet-ef":
        return _dotnet_ef(call, rest)
    if sub == "tool" and rest[:1] == ["run"] and len(rest) > 1:
        return call.redo([rest[1], *rest[2:]])
    if sub in ("sonarscanner", "dotnet-sonarscanner"):
        return [call.f("lint", "sonarqube")] if rest[:1] == ["begin"] else []
    if sub in ("reportgenerator", "dotnet-reportgenerator"):
        return [call.f("coverage", "reportgenerator")]
    if sub in ("coverage", "dotnet-coverage"):
        return _dotnet_coverage(call, rest)
    if sub in ("coverlet",):
        return [call.f("coverage", "coverlet")]
    if sub == "run":
        proj = _opt(rest, "--project", "-p") or ""
        if re.search(r"(?i)bench", proj):
            return [call.f("performance-test", "benchmarkdotnet", proj)]
    if sub in ("stryker", "dotnet-stryker"):
        return []
    return []


def _dotnet_test(call: _Call, rest: list[str]) -> list[Finding]:
    valued = {"-c", "--configuration", "-f", "--framework", "--filter", "-l", "--logger", "--collect", "-s", "--settings",
              "-r", "--results-directory", "-v", "--verbosity", "-a", "--test-adapter-path", "--blame-hang-timeout",
              "--runtime", "--arch", "-o", "--output", "--diag", "-d", "--environment", "-e"}
    pos = [p for p in _positionals(rest, valued) if not p.startswith("/p:")]
    filt = _opt(rest, "--filter") or ""
    if re.search(r"(?i)(?:category|trait|testcategory)\s*!=\s*\w*integration|!~\s*integration", filt):
        filt = ""
    out = _suite_findings(call, "dotnet", [filt], pos)
    if not filt and [f.category for f in out] == ["test"]:
        out += _dotnet_solution_suites(call, pos)
    collect = " ".join(_opts(rest, "--collect") + [w[len("--collect:"):] for w in rest if w.startswith("--collect:")])
    props = " ".join(w for w in rest if w.lower().startswith(("/p:", "-p:", "-property:", "/property:")))
    settings = _opt(rest, "-s", "--settings") or ""
    if re.search(r"(?i)coverage", collect) or re.search(r"(?i)CollectCoverage\s*=\s*true", props) or \
            re.search(r"(?i)cover", settings):
        out.append(call.f("coverage", "coverlet" if "XPlat" in collect or "CollectCoverage" in props else "dotnet-coverage"))
        if re.search(r"(?i)\bThreshold\s*=", props):
            out.append(call.f("coverage-threshold", "coverlet"))
    return out


_DOTNET_PROJECT = re.compile(r"[\w./\\ -]*?([\w.-]+)\.(?:cs|fs|vb)proj\b", re.I)


def _dotnet_solution_suites(call: _Call, pos: list[str]) -> list[Finding]:
    """`dotnet test` of a whole solution (named, or the only one where it runs) runs every test project
    in it: `*.IntegrationTests` / `*.FunctionalTests` projects make it an integration run too."""
    target = pos[0] if pos else None
    if target is not None and not target.lower().endswith((".sln", ".slnf", ".slnx")):
        return []
    if target is None:
        here = call.cwd.strip("/")
        sols = [p for p in call.clf.files.paths if p.lower().endswith((".sln", ".slnx"))
                and posixpath.dirname(p) == here]
        if len(sols) != 1:
            return []
        path: str | None = sols[0]
    else:
        path = _norm_path(call.cwd, target.replace("\\", "/"))
    text = call.clf._read(path) if path else None
    if not text:
        return []
    out: list[Finding] = []
    for m in _DOTNET_PROJECT.finditer(text):
        name = m.group(1)
        low = name.lower()
        if not re.search(r"tests?(?:$|\.)|specs?$|(?:^|\.)it$", low):
            continue
        cat = _suite(low)
        if cat == "e2e-test" and re.search(r"functional", low) and not re.search(r"e2e|end-?to-?end|ui|acceptance", low):
            cat = "integration-test"  # ASP.NET "functional tests" host the API in memory against real backing services
        if cat and not any(f.category == cat for f in out):
            out.append(call.f(cat, "dotnet", f"test project {name} of {path}"))
    return out


def _dotnet_coverage(call: _Call, rest: list[str]) -> list[Finding]:
    out = [call.f("coverage", "dotnet-coverage")]
    pos = _positionals(rest, {"-f", "--output-format", "-o", "--output", "-s", "--settings"})
    if pos[:1] == ["collect"] and len(pos) > 1:
        out += call.text(" ".join(pos[1:]) if len(pos) > 2 else pos[1])
    return out


_register(("dotnet-coverage",), lambda call: _dotnet_coverage(call, call.args))
_register(("dotnet-format",), lambda call: [call.f("lint", "dotnet-format")] if _flag(call.args, "--verify-no-changes", "--check") else [])
_register(("vstest.console", "vstest.console.exe"), _simple(("test", "vstest")))
_register(("msbuild",), _simple(("build", "msbuild")))
_register(("nuget",), lambda call: [call.f("publish", "nuget")] if _positionals(call.args)[:1] == ["push"] else [])
_register(("efbundle",), _simple(("migrate", "ef-core", "EF Core migration bundle")))


@_program("dotnet-ef")
def _h_dotnet_ef(call: _Call) -> list[Finding]:
    return _dotnet_ef(call, call.args)


def _dotnet_ef(call: _Call, rest: list[str]) -> list[Finding]:
    pos = _positionals(rest, {"-p", "--project", "-s", "--startup-project", "-c", "--context", "--connection",
                              "--configuration", "--framework", "--runtime", "--msbuildprojectextensionspath"})
    if pos[:2] == ["database", "update"]:
        if len(pos) > 2 and pos[2] == "0":
            return [call.f("migrate-rollback", "ef-core", "database update 0")]
        return [call.f("migrate", "ef-core")]
    if pos[:2] == ["migrations", "has-pending-model-changes"]:
        return [call.f("lint", "ef-core")]
    return []


# ----- Ruby ---------------------------------------------------------------------------------------------

@_program("rspec", "parallel_rspec", "turbo_tests", "knapsack")
def _h_rspec(call: _Call) -> list[Finding]:
    a = call.args
    pos = _positionals(a, {"-t", "--tag", "-e", "--example", "-f", "--format", "-o", "--out", "-r", "--require",
                           "-I", "--seed", "-P", "--pattern", "--exclude-pattern", "-n"})
    tags = [t for t in _opts(a, "-t", "--tag") if not t.startswith("~")]
    e2e_paths = [p for p in pos if re.search(r"(?:^|/)(?:system|features)(?:/|$)", p)]
    if e2e_paths and len(e2e_paths) == len(pos):
        out = [call.f("e2e-test", "capybara", "system/feature specs")]
    else:
        out = _suite_findings(call, "rspec", tags, pos)
    out += _simplecov(call)
    return out


def _simplecov(call: _Call) -> list[Finding]:
    for k, v in call.env.items():
        if re.search(r"COVERAGE|SIMPLECOV|\bCOV\b", k) and v.strip("'\"").lower() not in ("", "0", "false", "no", "off"):
            return [call.f("coverage", "simplecov", f"{k}={v}")]
    return []


_RAKE_DEFAULT = re.compile(
    r"task\s*\(?\s*:?[\"']?default[\"']?\s*(?:=>|:)\s*(\[[^\]]*\]|%[iw][\[(][^\])]*[\])]|:\w+|[\"'][\w:]+[\"'])")


def _rake_default(call: _Call) -> list[str]:
    for p in ("Rakefile", "rakefile", "Rakefile.rb"):
        text = call.clf._read(p)
        if text:
            m = _RAKE_DEFAULT.search(text)
            if m:
                names = re.findall(r"[\w:]+", m.group(1).replace("%i", "").replace("%w", ""))
                return [n.strip(":") for n in names if n.strip(":")]
            if "RSpec::Core::RakeTask.new" in text and "default" in text:
                return ["spec"]
            if ".load_tasks" in text and "config/application" in text:
                # A Rails app: Rails makes `test` the default task, rspec-rails makes it `spec`.
                gemfile = call.clf._read("Gemfile") or ""
                return ["spec"] if "rspec-rails" in gemfile else ["test"]
            return []
    return []


def _rake_tasks(call: _Call, tasks: list[str], tool: str) -> list[Finding]:
    out: list[Finding] = []
    for t in tasks:
        low = t.lower()
        if low in ("db:migrate", "db:setup", "db:prepare", "db:migrate:up", "db:reset") or low.startswith("db:migrate:primary"):
            out.append(call.f("migrate", "rails", f"{tool} {t}"))
        elif low in ("db:rollback", "db:migrate:redo", "db:migrate:down") or low.startswith("db:rollback"):
            out.append(call.f("migrate-rollback", "rails", f"{tool} {t}"))
        elif low in ("test:system", "spec:system", "spec:features", "test:all:system"):
            out.append(call.f("e2e-test", "capybara", f"{tool} {t}"))
        elif low in ("test", "spec", "test:all", "spec:all", "test:units", "test:functionals", "test:unit", "spec:unit",
                     "parallel:spec", "parallel:test", "knapsack:rspec") or re.fullmatch(r"(?:test|spec)(?::\w+)+", low):
            out += _suite_findings(call, tool, [], [t])
        elif low in ("rubocop", "standard", "lint", "rubocop:check", "erb_lint", "reek"):
            out.append(call.f("lint", "rubocop" if "rubocop" in low else low))
        elif low in ("cucumber", "features"):
            out.append(call.f("e2e-test", "cucumber"))
        elif low in ("release",) and "bundler/gem_tasks" in (call.clf._read("Rakefile") or ""):
            out.append(call.f("publish", "rubygems", "rake release (bundler gem tasks)"))
        elif low in ("build",) and "bundler/gem_tasks" in (call.clf._read("Rakefile") or ""):
            out.append(call.f("build", "gem"))
        elif low in ("brakeman", "bundle:audit", "bundler:audit"):
            out.append(call.f("security-scan", "brakeman" if low == "brakeman" else "bundler-audit"))
    return out


@_program("rake", "rails")
def _h_rake(call: _Call) -> list[Finding]:
    a = call.args
    pos = [w for w in _positionals(a, {"-f", "--rakefile", "-I", "--libdir", "-r", "--require", "-e", "-E", "-p", "-e",
                                      "--environment", "-b", "--port"}) if not _ASSIGN.match(w)]
    if call.prog == "rails":
        if pos[:1] in (["test"], ["t"]):
            paths = pos[1:]
            if paths and all(re.search(r"(?:^|/)system(?:/|$)", p) for p in paths):
                return [call.f("e2e-test", "capybara", "rails test test/system")]
            return _suite_findings(call, "rails", [], paths) + _simplecov(call)
        if pos[:1] in (["server"], ["s"], ["console"], ["c"], ["generate"], ["g"], ["new"], ["runner"], ["r"]):
            return []
        return _rake_tasks(call, pos, "rails")
    if not pos:
        defaults = _rake_default(call)
        found = _rake_tasks(call, defaults, "rake")
        return [replace(f, detail=f.detail + " (Rakefile default task)") for f in found] + (_simplecov(call) if found else [])
    return _rake_tasks(call, pos, "rake") + (_simplecov(call) if any(t in ("test", "spec") for t in pos) else [])


@_program("bundle", "bundler")
def _h_bundle(call: _Call) -> list[Finding]:
    pos = _positionals(call.args)
    if pos[:1] == ["audit"]:
        return [call.f("security-scan", "bundler-audit")]
    return []


@_program("gem")
def _h_gem(call: _Call) -> list[Finding]:
    pos = _positionals(call.args, {"--key", "-k", "--host", "--otp"})
    if pos[:1] == ["push"]:
        return [call.f("publish", "rubygems", "gem push")]
    if pos[:1] == ["build"]:
        return [call.f("build", "gem")]
    return []


@_program("cap", "capistrano")
def _h_cap(call: _Call) -> list[Finding]:
    pos = _positionals(call.args)
    return [call.f("deploy", "capistrano")] if any(p == "deploy" or p.startswith("deploy:") and p != "deploy:check" for p in pos) else []


@_program("mina")
def _h_mina(call: _Call) -> list[Finding]:
    return [call.f("deploy", "mina")] if "deploy" in _positionals(call.args) else []


@_program("kamal")
def _h_kamal(call: _Call) -> list[Finding]:
    pos = _positionals(call.args, {"-d", "--destination", "-c", "--config-file", "-r", "--roles", "-h", "--hosts",
                                   "--version"})
    if pos[:1] in (["deploy"], ["redeploy"], ["setup"]):
        return [call.f("deploy", "kamal")]
    return []


# ----- PHP -----------------------------------------------------------------------------------------------

@_program("php", "php8", "php7", "php8.1", "php8.2", "php8.3", "php8.4")
def _h_php(call: _Call) -> list[Finding]:
    a = call.args
    pos = _positionals(a, {"-d", "-c", "-f", "-r"})
    if _flag(a, "-l", "--syntax-check"):
        return [call.f("lint", "php-lint")]
    if not pos:
        return []
    script = pos[0]
    rest = a[a.index(script) + 1:]
    base = posixpath.basename(script)
    if base == "artisan":
        return _artisan(call, rest)
    if base == "console" and "bin/" in script or base == "console":
        return _symfony_console(call, rest)
    name = _prog_name(base)
    if name in _HANDLERS and name != "php":
        return call.redo([name, *rest])
    return []


def _artisan(call: _Call, rest: list[str]) -> list[Finding]:
    pos = _positionals(rest, {"--env", "--database", "--path", "--step", "--filter", "--group", "--testsuite",
                              "--min", "--parallel", "--processes", "-p"})
    if not pos:
        return []
    sub = pos[0]
    if sub == "test":
        out = _suite_findings(call, "laravel", [_opt(rest, "--testsuite"), _opt(rest, "--group"), _opt(rest, "--filter")], pos[1:])
        if _flag(rest, "--coverage"):
            out.append(call.f("coverage", "laravel"))
            if _flag(rest, "--min"):
                out.append(call.f("coverage-threshold", "laravel"))
        return out
    if sub in ("migrate", "migrate:fresh", "migrate:install"):
        return [call.f("migrate", "laravel")] if not _flag(rest, "--pretend") else []
    if sub in ("migrate:rollback", "migrate:reset", "migrate:refresh"):
        out = [call.f("migrate-rollback", "laravel")]
        if sub == "migrate:refresh":
            out.append(call.f("migrate", "laravel"))
        return out
    if sub in ("dusk",):
        return [call.f("e2e-test", "dusk")]
    return []


@_program("artisan")
def _h_artisan(call: _Call) -> list[Finding]:
    return _artisan(call, call.args)


@_program("sail")
def _h_sail(call: _Call) -> list[Finding]:
    a = call.args
    if not a:
        return []
    if a[0] in ("artisan", "art", "a"):
        return _artisan(call, a[1:])
    if a[0] in ("test", "t"):
        return _artisan(call, ["test", *a[1:]])
    if a[0] == "dusk":
        return [call.f("e2e-test", "dusk")]
    if a[0] in ("composer", "npm", "npx", "yarn", "pnpm", "php", "pest", "phpunit", "bun", "node", "pint"):
        return call.redo(a)
    return []


def _symfony_console(call: _Call, rest: list[str]) -> list[Finding]:
    pos = _positionals(rest, {"--env", "-e", "--em", "--conn", "--configuration"})
    if not pos:
        return []
    sub = pos[0]
    if sub in ("doctrine:migrations:migrate", "d:m:m", "doctrine:migrations:execute"):
        target = pos[1] if len(pos) > 1 else ""
        if target in ("prev", "first", "current-1") or _flag(rest, "--down"):
            return [call.f("migrate-rollback", "doctrine-migrations")]
        return [call.f("migrate", "doctrine-migrations")] if not _flag(rest, "--dry-run") else []
    if sub.startswith("lint:"):
        return [call.f("lint", "symfony")]
    if sub in ("doctrine:schema:validate",):
        return [call.f("lint", "doctrine")]
    return []


@_program("console")
def _h_console(call: _Call) -> list[Finding]:
    return _symfony_console(call, call.args)


@_program("phpunit", "simple-phpunit", "paratest", "pest")
def _h_phpunit(call: _Call) -> list[Finding]:
    a = call.args
    valued = {"-c", "--configuration", "--testsuite", "--group", "--exclude-group", "--filter", "--bootstrap",
              "--log-junit", "--coverage-clover", "--coverage-html", "--coverage-xml", "--coverage-text",
              "--coverage-cobertura", "--coverage-php", "--coverage-crap4j", "--min", "-p", "--processes",
              "--printer", "--cache-result-file", "--whitelist", "--coverage-filter", "--testdox-html"}
    pos = _positionals(a, valued)
    tool = "pest" if call.prog == "pest" else "phpunit"
    out = _suite_findings(call, tool, [_opt(a, "--testsuite"), _opt(a, "--group"), _opt(a, "-c", "--configuration")], pos)
    if any(w.startswith("--coverage") for w in a):
        out.append(call.f("coverage", tool))
        if tool == "pest" and any(w.startswith("--min") for w in a):
            out.append(call.f("coverage-threshold", "pest"))
    return out


@_program("codecept", "codeception")
def _h_codecept(call: _Call) -> list[Finding]:
    pos = _positionals(call.args, {"-c", "--config", "-g", "--group", "-s", "--skip", "--env", "-o", "--override"})
    if pos[:1] != ["run"]:
        return []
    suite = pos[1] if len(pos) > 1 else ""
    out: list[Finding]
    if suite in ("acceptance", "functional", "e2e"):
        out = [call.f("e2e-test", "codeception", f"{suite} suite")]
    elif suite in ("integration", "api"):
        out = [call.f("integration-test", "codeception", f"{suite} suite")]
    else:
        out = [call.f("test", "codeception")]
    if _flag(call.args, "--coverage", "--coverage-xml", "--coverage-html"):
        out.append(call.f("coverage", "codeception"))
    return out


@_program("phinx")
def _h_phinx(call: _Call) -> list[Finding]:
    pos = _positionals(call.args, {"-c", "--configuration", "-e", "--environment", "-t", "--target", "-d", "--date"})
    if pos[:1] == ["migrate"]:
        return [call.f("migrate", "phinx")]
    if pos[:1] == ["rollback"]:
        return [call.f("migrate-rollback", "phinx")]
    return []


@_program("dep", "deployer")
def _h_deployer(call: _Call) -> list[Finding]:
    pos = _positionals(call.args, {"-f", "--file", "-o", "--option", "--hosts", "--roles"})
    return [call.f("deploy", "deployer")] if pos[:1] == ["deploy"] else []


@_program("envoy")
def _h_envoy(call: _Call) -> list[Finding]:
    pos = _positionals(call.args)
    return [call.f("deploy", "envoy")] if pos[:1] == ["run"] and len(pos) > 1 and "deploy" in pos[1] else []


# ----- Elixir, Erlang -----------------------------------------------------------------------------------

def _mix_aliases(call: _Call) -> dict[str, list[str]]:
    def build() -> dict[str, list[str]]:
        text = call.clf._read("mix.exs") or ""
        m = re.search(r"defp?\s+aliases\b[^\n]*\n(.*?)\n\s*end\b", text, flags=re.S)
        out: dict[str, list[str]] = {}
        if not m:
            return out
        for k1, k2, body in re.findall(r"(?:\"([\w.:-]+)\"|([\w.]+)):\s*\[(.*?)\]", m.group(1), flags=re.S):
            key = k1 or k2
            out[key] = re.findall(r"\"([^\"]+)\"", body)
        return out
    return call.clf._cached("mix-aliases", "", build) or {}


@_program("mix")
def _h_mix(call: _Call) -> list[Finding]:
    a = call.args
    if not a:
        return []
    if a[0] == "do":
        out: list[Finding] = []
        for part in re.split(r"\s*,\s*|\s+\+\s+", " ".join(a[1:])):
            if part.strip():
                out += _mix_task(call, part.split(), True)
        return out
    return _mix_task(call, a, True)


def _mix_task(call: _Call, words: list[str], use_alias: bool) -> list[Finding]:
    task, rest = words[0], words[1:]
    aliases = _mix_aliases(call) if use_alias else {}
    if task in aliases:
        ctx = call.clf._enter(call, ("mix", task), task)
        out: list[Finding] = []
        if ctx is None:
            return out
        for item in aliases[task]:
            parts = item.split()
            if not parts:
                continue
            sub = _Call(call.clf, ctx, call.env, item, f"mix.exs aliases.{task}: {item}", call.state, call.simple)
            sub.prog = "mix"
            out += _mix_task(sub, parts + (rest if parts[0] == task else []), parts[0] != task)
        return out
    if task == "test":
        out = _suite_findings(call, "exunit", [_opt(rest, "--only"), _opt(rest, "--include")],
                              _positionals(rest, {"--only", "--include", "--exclude", "--seed", "--max-failures",
                                                  "--partitions", "--formatter"}))
        if _flag(rest, "--cover"):
            out.append(call.f("coverage", "exunit"))
        return out
    if task.startswith("coveralls"):
        out = [call.f("test", "exunit"), call.f("coverage", "excoveralls")]
        if task in ("coveralls.github", "coveralls.post", "coveralls.travis", "coveralls.circle", "coveralls.semaphore",
                    "coveralls.drone", "coveralls.gitlab"):
            out.append(call.f("coverage-report", "coveralls"))
        cfg = call.clf._read("coveralls.json") or ""
        if re.search(r"\"minimum_coverage\"\s*:\s*[1-9]", cfg):
            out.append(call.f("coverage-threshold", "excoveralls", "minimum_coverage in coveralls.json"))
        return out
    if task == "credo":
        return [call.f("lint", "credo")]
    if task == "format" and _flag(rest, "--check-formatted"):
        return [call.f("lint", "mix-format")]
    if task == "dialyzer":
        return [call.f("lint", "dialyzer")]
    if task == "sobelow":
        return [call.f("security-scan", "sobelow")]
    if task in ("deps.audit", "hex.audit", "mix_audit"):
        return [call.f("security-scan", "mix-audit")]
    if task in ("ecto.migrate", "ecto.setup", "ecto.reset"):
        return [call.f("migrate", "ecto")]
    if task == "ecto.rollback":
        return [call.f("migrate-rollback", "ecto")]
    if task == "hex.publish":
        return [] if _flag(rest, "--dry-run") else [call.f("publish", "hex")]
    if task == "release":
        return [call.f("build", "mix")]
    return []


@_program("rebar3")
def _h_rebar3(call: _Call) -> list[Finding]:
    out: list[Finding] = []
    for w in _positionals(call.args):
        for t in w.split(","):
            if t in ("eunit", "ct", "proper"):
                out.append(call.f("test", "rebar3"))
            elif t == "cover":
                out.append(call.f("coverage", "rebar3"))
            elif t in ("dialyzer", "xref", "lint", "fmt"):
                if t != "fmt" or _flag(call.args, "--check"):
                    out.append(call.f("lint", "rebar3"))
    return out


# ----- Apple, Android, Flutter ----------------------------------------------------------------------------

@_program("swift")
def _h_swift(call: _Call) -> list[Finding]:
    a = call.args
    if a[:1] == ["test"]:
        out = _suite_findings(call, "swift", [_opt(a, "--filter")], [])
        if _flag(a, "--enable-code-coverage"):
            out.append(call.f("coverage", "swift"))
        return out
    if a[:1] == ["build"]:
        return [call.f("build", "swift")]
    if a[:1] == ["format"] and _flag(a, "lint") or a[:2] == ["format", "lint"]:
        return [call.f("lint", "swift-format")]
    return []


@_program("xcodebuild", "xcrun")
def _h_xcodebuild(call: _Call) -> list[Finding]:
    a = call.args
    if call.prog == "xcrun":
        if a[:1] == ["xcodebuild"]:
            return call.redo(a)
        if a[:1] == ["altool"] and _flag(a, "--upload-app", "--upload-package"):
            return [call.f("publish", "app-store", "altool upload")]
        return []
    valued = {"-scheme", "-workspace", "-project", "-destination", "-sdk", "-configuration", "-derivedDataPath",
              "-resultBundlePath", "-only-testing", "-skip-testing", "-testPlan", "-archivePath", "-exportPath",
              "-exportOptionsPlist", "-xcconfig", "-target", "-enableCodeCoverage", "-parallel-testing-enabled",
              "-maximum-concurrent-test-simulator-destinations", "-toolchain", "-arch"}
    pos = _positionals(a, valued)
    out: list[Finding] = []
    if "test" in pos or "test-without-building" in pos:
        only = " ".join(_opts(a, "-only-testing") + _opts(a, "-testPlan") + _opts(a, "-scheme"))
        cat = "e2e-test" if re.search(r"(?i)uitests?", only) else (_suite(only) if only else None) or "test"
        out.append(call.f(cat, "xcodebuild"))
        if (_opt(a, "-enableCodeCoverage") or "").upper() == "YES":
            out.append(call.f("coverage", "xcodebuild"))
    if "build" in pos or "archive" in pos:
        out.append(call.f("build", "xcodebuild"))
    return out


_FASTLANE_ACTIONS: tuple[tuple[str, tuple[str, str]], ...] = (
    (r"\b(?:scan|run_tests)\b", ("test", "fastlane")),
    (r"\b(?:android_firebase_test|firebase_test_lab_\w+|run_firebase_test_lab\w*|ios_firebase_test|"
     r"aws_device_farm|emulator_test|maestro_test)\b", ("e2e-test", "device-ui-tests")),
    (r"\b(?:gym|build_app|build_ios_app|build_android_app|gradle)\b", ("build", "fastlane")),
    (r"\b(?:pilot|upload_to_testflight|testflight|deliver|upload_to_app_store|appstore|supply|upload_to_play_store|"
     r"firebase_app_distribution|app_center_upload|appcenter_upload|crashlytics|hockey)\b", ("publish", "fastlane")),
    (r"\bswiftlint\b", ("lint", "swiftlint")),
    (r"\bslack\b", ("notify", "slack")),
)


@_program("fastlane", "fl")
def _h_fastlane(call: _Call) -> list[Finding]:
    pos = _positionals(call.args)
    if not pos or pos[0] in ("init", "env", "lanes", "list", "docs", "run", "action", "actions", "match", "pem", "cert",
                             "sigh", "produce", "snapshot", "frameit", "screengrab"):
        if pos[:1] == ["run"] and len(pos) > 1:
            lane_text = pos[1]
            return [call.f(c, t) for rx, (c, t) in _FASTLANE_ACTIONS if re.search(rx, lane_text)]
        return []
    lane = pos[1] if pos[0] in ("ios", "android", "mac") and len(pos) > 1 else pos[0]
    text = call.clf._read("fastlane/Fastfile") or call.clf._read("Fastfile") or ""
    m = re.search(rf"^(\s*)lane\s+:{re.escape(lane)}\b.*?$(.*?)^\1end\b", text, flags=re.S | re.M)
    if not m:
        return []
    body = m.group(2)
    body = "\n".join(ln.split("#", 1)[0] for ln in body.split("\n"))
    out = [call.f(c, t, f"lane {lane}") for rx, (c, t) in _FASTLANE_ACTIONS if re.search(rx, body)]
    for sh in re.findall(r"\bsh\s*\(?\s*[\"']([^\"']+)[\"']", body):
        out += call.text(sh)
    return out


@_program("flutter", "fvm")
def _h_flutter(call: _Call) -> list[Finding]:
    a = call.args
    if call.prog == "fvm":
        if a[:1] == ["flutter"] or a[:1] == ["dart"]:
            return call.redo(a)
        return []
    pos = _positionals(a, {"--flavor", "-d", "--device-id", "--dart-define", "--driver", "--target", "-t",
                           "--coverage-path", "--name", "--plain-name", "--tags", "--exclude-tags", "-j", "--concurrency",
                           "--reporter", "-r", "--file-reporter", "--target-platform"})
    if not pos:
        return []
    sub = pos[0]
    if sub == "test":
        out = _suite_findings(call, "flutter", [_opt(a, "--tags")], pos[1:])
        if _flag(a, "--coverage"):
            out.append(call.f("coverage", "flutter"))
        return out
    if sub == "drive":
        return [call.f("e2e-test", "flutter-driver")]
    if sub == "analyze":
        return [call.f("lint", "dart-analyze")]
    if sub == "build":
        return [call.f("build", "flutter")]
    if sub == "pub" and pos[1:2] == ["publish"] and not _flag(a, "--dry-run", "-n"):
        return [call.f("publish", "pub-dev")]
    if sub == "format" and _flag(a, "--set-exit-if-changed"):
        return [call.f("lint", "dart-format")]
    return []


@_program("dart")
def _h_dart(call: _Call) -> list[Finding]:
    a = call.args
    pos = _positionals(a, {"-o", "--output", "--tags", "-t", "-x", "--exclude-tags", "-p", "--platform", "-j",
                           "--concurrency", "-r", "--reporter", "--coverage"})
    if not pos:
        return []
    sub = pos[0]
    if sub == "test":
        out = _suite_findings(call, "dart", [_opt(a, "--tags", "-t")], pos[1:])
        if _flag(a, "--coverage"):
            out.append(call.f("coverage", "dart"))
        return out
    if sub == "analyze":
        return [call.f("lint", "dart-analyze")]
    if sub == "format" and _flag(a, "--set-exit-if-changed"):
        return [call.f("lint", "dart-format")]
    if sub == "pub" and pos[1:2] == ["publish"] and not _flag(a, "--dry-run", "-n"):
        return [call.f("publish", "pub-dev")]
    if sub == "run" and len(pos) > 1 and pos[1] in ("very_good_cli", "coverage:test_with_coverage"):
        return [call.f("test", "dart"), call.f("coverage", "dart")]
    return []


@_program("very_good", "very-good")
def _h_very_good(call: _Call) -> list[Finding]:
    a = call.args
    if _positionals(a, {"--min-coverage", "--exclude-coverage", "-t", "--tags", "-x"})[:1] != ["test"]:
        return []
    out = [call.f("test", "flutter")]
    if _flag(a, "--coverage"):
        out.append(call.f("coverage", "flutter"))
        if _flag(a, "--min-coverage"):
            out.append(call.f("coverage-threshold", "very-good-cli"))
    return out


@_program("pod")
def _h_pod(call: _Call) -> list[Finding]:
    pos = _positionals(call.args)
    if pos[:2] in (["lib", "lint"], ["spec", "lint"]):
        return [call.f("lint", "cocoapods")]
    if pos[:2] == ["trunk", "push"]:
        return [call.f("publish", "cocoapods")]
    return []


# ----- C/C++, build systems, other languages ----------------------------------------------------------------

@_program("ctest")
def _h_ctest(call: _Call) -> list[Finding]:
    a = call.args
    if _flag(a, "-N", "--show-only"):
        return []
    return _suite_findings(call, "ctest", [_opt(a, "-L", "--label-regex"), _opt(a, "-R", "--tests-regex"),
                                           _opt(a, "--preset")], [])


@_program("cmake")
def _h_cmake(call: _Call) -> list[Finding]:
    a = call.args
    if "--build" in a or any(w.startswith("--build=") for w in a):
        targets = _opts(a, "--target", "-t")
        out: list[Finding] = []
        for t in targets:
            if t in ("test", "check", "RUN_TESTS", "tests", "unit_tests", "unittests"):
                out.append(call.f("test", "ctest", f"cmake --target {t}"))
            elif _suite(t) and re.search(r"test", t):
                out.append(call.f(_suite(t) or "test", "ctest", f"cmake --target {t}"))
            elif re.search(r"cov", t):
                out.append(call.f("coverage", "cmake", f"cmake --target {t}"))
        return out or [call.f("build", "cmake")]
    return []


@_program("meson")
def _h_meson(call: _Call) -> list[Finding]:
    pos = _positionals(call.args, {"-C", "--suite", "--setup", "--num-processes", "--repeat", "--wrapper"})
    if pos[:1] == ["test"]:
        return _suite_findings(call, "meson", [_opt(call.args, "--suite")], pos[1:])
    if pos[:1] == ["compile"]:
        return [call.f("build", "meson")]
    return []


@_program("ninja")
def _h_ninja(call: _Call) -> list[Finding]:
    pos = _positionals(call.args, {"-C", "-j", "-k", "-l", "-f", "-t", "-d", "-w"})
    out: list[Finding] = []
    for t in pos:
        if t in ("test", "check", "tests"):
            out.append(call.f("test", "ninja", f"ninja {t}"))
        elif t in ("coverage", "coverage-html", "coverage-xml"):
            out.append(call.f("coverage", "ninja"))
    return out or [call.f("build", "ninja")]


@_program("bazel", "bazelisk", "blaze")
def _h_bazel(call: _Call) -> list[Finding]:
    a = call.args
    i = 0
    while i < len(a) and a[i].startswith("-"):
        i += 1
    if i >= len(a):
        return []
    sub, rest = a[i], a[i + 1:]
    targets = [t for t in _positionals(rest, {"--config", "--test_tag_filters", "--test_filter", "--test_output",
                                              "--jobs", "-j", "--remote_cache"}) if not t.startswith("-")]
    tags = _opt(rest, "--test_tag_filters") or ""
    if sub == "test":
        return _suite_findings(call, "bazel", [t for t in tags.split(",") if t and not t.startswith("-")], targets)
    if sub == "coverage":
        return _suite_findings(call, "bazel", [tags], targets) + [call.f("coverage", "bazel")]
    if sub == "build":
        return [call.f("build", "bazel")]
    return []


_register(("bats",), _runner("bats", {"-f", "--filter", "-j", "--jobs", "-F", "--formatter", "-o", "--output"}))
_register(("shellspec",), _simple(("test", "shellspec")))
_register(("invoke-pester",), _simple(("test", "pester")))
_register(("prove",), _runner("prove", {"-I", "-j", "--jobs", "-r"}))
_register(("busted",), _simple(("test", "busted")))
_register(("elm-test",), _simple(("test", "elm-test")))
_register(("phpspec",), lambda call: [call.f("test", "phpspec")] if _positionals(call.args)[:1] == ["run"] else [])


@_program("stack", "cabal")
def _h_haskell(call: _Call) -> list[Finding]:
    pos = _positionals(call.args)
    if pos[:1] == ["test"]:
        out = [call.f("test", call.prog)]
        if _flag(call.args, "--coverage", "--enable-coverage"):
            out.append(call.f("coverage", "hpc"))
        return out
    if pos[:1] == ["build"]:
        return [call.f("build", call.prog)]
    if pos[:1] == ["upload"] and _flag(call.args, "--publish"):
        return [call.f("publish", "hackage")]
    return []


@_program("zig")
def _h_zig(call: _Call) -> list[Finding]:
    pos = _positionals(call.args)
    if pos[:1] == ["test"] or pos[:2] == ["build", "test"]:
        return [call.f("test", "zig")]
    if pos[:1] == ["fmt"] and _flag(call.args, "--check"):
        return [call.f("lint", "zig-fmt")]
    return []


@_program("dune")
def _h_dune(call: _Call) -> list[Finding]:
    pos = _positionals(call.args)
    if pos[:1] in (["test"], ["runtest"]):
        return [call.f("test", "dune")]
    if pos[:2] == ["build", "@runtest"]:
        return [call.f("test", "dune")]
    if pos[:2] == ["build", "@fmt"]:
        return [call.f("lint", "ocamlformat")]
    return []


@_program("deno")
def _h_deno(call: _Call) -> list[Finding]:
    a = call.args
    if not a:
        return []
    sub = a[0]
    if sub == "test":
        out = _suite_findings(call, "deno", [], _positionals(a[1:], {"--filter", "--config", "-c", "--reporter"}))
        if any(w.startswith("--coverage") for w in a):
            out.append(call.f("coverage", "deno"))
        return out
    if sub == "coverage":
        return [call.f("coverage", "deno")]
    if sub == "lint":
        return [call.f("lint", "deno-lint")]
    if sub == "fmt" and _flag(a, "--check"):
        return [call.f("lint", "deno-fmt")]
    if sub == "check":
        return [call.f("lint", "deno-check")]
    if sub == "bench":
        return [call.f("performance-test", "deno-bench")]
    if sub == "task" and len(a) > 1:
        data = call.clf._json("deno.json") or call.clf._json("deno.jsonc")
        tasks = data.get("tasks") if isinstance(data, dict) else None
        if isinstance(tasks, dict) and isinstance(tasks.get(a[1]), (str, dict)):
            t = tasks[a[1]]
            cmd = t if isinstance(t, str) else t.get("command")
            if isinstance(cmd, str):
                return call.clf._expand_items(call, ("deno", a[1]), a[1], [(_Loc(f"deno.json tasks.{a[1]}"), cmd)]) or []
    if sub == "publish" and not _flag(a, "--dry-run"):
        return [call.f("publish", "jsr")]
    return []


@_program("julia")
def _h_julia(call: _Call) -> list[Finding]:
    text = " ".join(call.args)
    out: list[Finding] = []
    if re.search(r"Pkg\.test\(|runtests\.jl|TestEnv", text):
        out.append(call.f("test", "julia"))
        if re.search(r"coverage\s*=\s*true|--code-coverage", text):
            out.append(call.f("coverage", "julia"))
    return out


@_program("r", "rscript")
def _h_r(call: _Call) -> list[Finding]:
    text = " ".join(call.args)
    out: list[Finding] = []
    if call.args[:2] == ["CMD", "check"] or re.search(r"devtools::(?:test|check)|testthat::|rcmdcheck::|tinytest", text):
        out.append(call.f("test", "r"))
    if re.search(r"covr::", text):
        out.append(call.f("coverage", "covr"))
        if re.search(r"codecov\(|coveralls\(", text):
            out.append(call.f("coverage-report", "codecov" if "codecov(" in text else "coveralls"))
    if re.search(r"lintr::", text):
        out.append(call.f("lint", "lintr"))
    return out


@_program("crystal")
def _h_crystal(call: _Call) -> list[Finding]:
    pos = _positionals(call.args)
    if pos[:1] == ["spec"]:
        return [call.f("test", "crystal")]
    if pos[:1] == ["tool"] and pos[1:2] == ["format"] and _flag(call.args, "--check"):
        return [call.f("lint", "crystal-format")]
    return []


@_program("nimble")
def _h_nimble(call: _Call) -> list[Finding]:
    return [call.f("test", "nimble")] if _positionals(call.args)[:1] == ["test"] else []


@_program("scan-build", "scan-build-14", "scan-build-15")
def _h_scan_build(call: _Call) -> list[Finding]:
    rest = _skip_opts(call.args, {"-o", "--use-cc", "--use-c++", "-enable-checker", "-disable-checker", "--status-bugs"})
    return [call.f("lint", "clang-static-analyzer")] + (call.redo(rest) if rest else [])


# ----- containers ---------------------------------------------------------------------------------------

def _image_repo(ref: str) -> str:
    """`ghcr.io/o/app:1.2@sha256:..` -> `ghcr.io/o/app`."""
    ref = ref.split("@", 1)[0]
    last = ref.rsplit("/", 1)[-1]
    if ":" in last:
        ref = ref[: len(ref) - len(last)] + last.split(":", 1)[0]
    return ref


def _tool_image(ref: str) -> str | None:
    repo = _image_repo(ref.lower())
    for prefix in ("docker.io/", "index.docker.io/", "registry.hub.docker.com/", "public.ecr.aws/", "mirror.gcr.io/"):
        repo = repo.removeprefix(prefix)
    if repo.startswith("library/"):
        repo = repo[8:]
    if repo in TOOL_IMAGES:
        return TOOL_IMAGES[repo]
    tail = repo.split("/", 1)[1] if repo.count("/") >= 2 else None
    return TOOL_IMAGES.get(tail) if tail else None


_DOCKER_GLOBAL = {"-H", "--host", "--context", "-c", "--config", "-l", "--log-level", "--tlscacert", "--tlscert",
                  "--tlskey"}
_DOCKER_RUN_VALUED = {"-e", "--env", "-v", "--volume", "-w", "--workdir", "-p", "--publish", "--name", "--network",
                      "--net", "-u", "--user", "--entrypoint", "--env-file", "--mount", "-l", "--label", "--platform",
                      "--add-host", "--cpus", "-m", "--memory", "--shm-size", "--ulimit", "--cap-add", "--cap-drop",
                      "--device", "--gpus", "--restart", "--log-driver", "--log-opt", "--pull", "--security-opt",
                      "--tmpfs", "--hostname", "-h", "--ipc", "--pid", "--dns", "--link", "--volumes-from",
                      "--stop-signal", "--health-cmd", "--health-interval", "--health-retries", "--health-timeout",
                      "--cidfile", "-a", "--attach", "--label-file", "--memory-swap", "--runtime", "--sysctl",
                      "--userns", "--uts", "--cgroupns", "--cpu-shares", "--cpuset-cpus", "--expose", "--group-add",
                      "--mac-address", "--ip", "--network-alias", "--stop-timeout", "--storage-opt", "--isolation",
                      "--domainname", "--detach-keys", "--index", "--cgroup-parent", "--init-path"}


@_program("docker", "podman", "nerdctl", "finch")
def _h_docker(call: _Call) -> list[Finding]:
    a = call.args
    host = call.env.get("DOCKER_HOST", "")
    i = 0
    while i < len(a) and a[i].startswith("-"):
        if a[i] in ("-H", "--host") and i + 1 < len(a):
            host = a[i + 1]
        if a[i] in _DOCKER_GLOBAL:
            i += 2
        else:
            i += 1
    if i >= len(a):
        return []
    sub, rest = a[i], a[i + 1:]
    remote = call.ctx.remote or bool(re.match(r"^(?:ssh|tcp)://", host))
    tool = "docker" if call.prog in ("docker", "finch") else call.prog
    if sub == "compose":
        return _compose(call, rest, remote)
    if sub in ("image", "container", "builder", "buildx") and rest:
        if sub == "buildx" and rest[0] == "bake":
            return [call.f("publish" if _flag(rest, "--push") else "build", tool, "buildx bake")]
        if sub == "buildx" and rest[:2] == ["imagetools", "create"]:
            return [call.f("publish", tool, "buildx imagetools create")]
        if rest[0] in ("build", "b", "push", "run", "exec", "tag"):
            sub, rest = rest[0], rest[1:]
        else:
            return []
    if sub in ("build", "b"):
        return _docker_build(call, rest, tool)
    if sub == "push" or (sub == "manifest" and rest[:1] == ["push"]):
        targets = _positionals(rest, {"--platform"})
        if sub == "manifest":
            targets = targets[1:]
        out = [call.f("publish", tool)]
        if any(_image_repo(t) in call.state.sha_images and not call.state.mentions_commit(t) for t in targets) or (
                _flag(rest, "--all-tags", "-a") and any(_image_repo(t) in call.state.sha_images for t in targets)):
            out.append(call.f("commit-traceable", tool, "image tagged with the commit earlier in this script"))
        return out
    if sub == "tag":
        pos = _positionals(rest)
        if len(pos) >= 2 and call.state.mentions_commit(pos[1]):
            call.state.sha_images.add(_image_repo(pos[1]))
        return []
    if sub == "stack" and rest[:1] == ["deploy"]:
        return [call.f("deploy", "docker-swarm", "docker stack deploy")]
    if sub == "service" and rest[:1] in (["update"], ["create"]) and (rest[0] == "create" or _flag(rest, "--image")):
        return [call.f("deploy", "docker-swarm", f"docker service {rest[0]}")]
    if sub == "scout" and rest[:1] and rest[0] in ("cves", "quickview", "recommendations", "compare", "cves-report"):
        return [call.f("security-scan", "docker-scout")]
    if sub == "run":
        return _docker_run(call, rest, remote)
    if sub == "exec":
        rest2 = _skip_opts(rest, {"-e", "--env", "-w", "--workdir", "-u", "--user", "--env-file", "--detach-keys"})
        return call.redo(rest2[1:]) if len(rest2) > 1 else []
    return []


def _docker_build(call: _Call, rest: list[str], tool: str) -> list[Finding]:
    tags = _opts(rest, "-t", "--tag")
    outputs = " ".join(_opts(rest, "-o", "--output"))
    push = _flag(rest, "--push") or "push=true" in outputs or "type=registry" in outputs
    out: list[Finding] = []
    target = _opt(rest, "--target") or ""
    if target and re.fullmatch(r"(?i)tests?|unit-?tests?|test-?runner|ci-?test", target):
        out.append(call.f("test", tool, f"Dockerfile stage '{target}'"))
    elif target and re.fullmatch(r"(?i)lint|linter|linting", target):
        out.append(call.f("lint", tool, f"Dockerfile stage '{target}'"))
    for t in tags:
        if call.state.mentions_commit(t):
            call.state.sha_images.add(_image_repo(t))
    if push:
        out.append(call.f("publish", tool, "build --push"))
        return out
    out.append(call.f("build", tool))
    return out


def _docker_run(call: _Call, rest: list[str], remote: bool) -> list[Finding]:
    i = 0
    entrypoint = None
    detached = False
    while i < len(rest):
        w = rest[i]
        if w == "--entrypoint" and i + 1 < len(rest):
            entrypoint = rest[i + 1]
        elif w.startswith("--entrypoint="):
            entrypoint = w.split("=", 1)[1]
        if w in ("-d", "--detach") or (w.startswith("-") and not w.startswith("--") and "d" in w[1:] and len(w) <= 4):
            detached = True
        if w in _DOCKER_RUN_VALUED:
            i += 2
            continue
        if w.startswith("-"):
            i += 1
            continue
        break
    if i >= len(rest):
        return []
    image, cmd = rest[i], rest[i + 1:]
    if entrypoint:
        cmd = [entrypoint, *cmd]
    prog = _tool_image(image)
    out: list[Finding] = []
    if cmd:
        out = call.redo(cmd)
        if not out and prog and _prog_name(cmd[0]) != prog:
            out = call.redo([prog, *cmd])
    elif prog:
        out = call.redo([prog])
    if not out and remote and detached:
        out = [call.f("deploy", "docker", "container started on a remote host")]
    elif not out and detached and not call.ctx.deploy_named and _DATASTORE_IMAGE.search(image):
        out = [call.f("service-containers", "docker", f"docker run -d {image}"),
               call.f("service-datastore", "docker", f"datastore image {image}")]
    return out


def _compose(call: _Call, a: list[str], remote: bool) -> list[Finding]:
    valued = {"-f", "--file", "-p", "--project-name", "--profile", "--env-file", "--project-directory", "--ansi",
              "--progress", "--parallel", "-H", "--host", "--context", "-c"}
    files = " ".join(_opts(a, "-f", "--file"))
    i = 0
    while i < len(a) and a[i].startswith("-"):
        if a[i] in ("-H", "--host") and i + 1 < len(a) and re.match(r"^(?:ssh|tcp)://", a[i + 1]):
            remote = True
        i += 2 if a[i] in valued else 1
    if i >= len(a):
        return []
    sub, rest = a[i], a[i + 1:]
    if sub in ("run", "exec"):
        valued_run = {"-e", "--env", "-w", "--workdir", "-u", "--user", "--name", "--entrypoint", "-p", "--publish",
                      "-v", "--volume", "-l", "--label", "--cap-add", "--cap-drop", "--index", "--env-file"}
        entrypoint = _opt(rest, "--entrypoint")
        k = 0
        while k < len(rest) and rest[k].startswith("-"):
            k += 2 if rest[k] in valued_run else 1
        if k >= len(rest):
            return []
        cmd = rest[k + 1:]
        if entrypoint:
            cmd = [entrypoint, *cmd]
        return call.redo(cmd) if cmd else []
    if sub == "push":
        return [call.f("publish", "docker-compose", "compose push")]
    if sub == "build":
        return [call.f("publish" if _flag(rest, "--push") else "build", "docker-compose")]
    if sub == "up":
        migrations = _compose_migrations(call, _opts(a, "-f", "--file"), _opts(a, "--profile"), rest)
        if remote:
            return [call.f("deploy", "docker-compose", "compose up on a remote host"), *migrations]
        if call.ctx.deploy_named and not call.ctx.test_scope and _flag(rest, "-d", "--detach", "--wait"):
            # `docker compose up -d` in a deploy job (a self-hosted runner on the target host).
            return [call.f("deploy", "docker-compose", "compose up -d in a deploy job"), *migrations]
        if not remote and _flag(rest, "-d", "--detach", "--wait"):
            return [*migrations, *_compose_started_services(call, a, rest)]
        if migrations:
            return migrations
        exit_from = _opt(rest, "--exit-code-from")
        if exit_from or _flag(rest, "--abort-on-container-exit"):
            names = " ".join([files, exit_from or ""] + _positionals(rest, {"--exit-code-from", "--scale", "-t", "--timeout",
                                                                            "--attach", "--no-attach", "--wait-timeout"}))
            if re.search(r"(?i)test|e2e|integration|spec|cypress|playwright", names):
                cat = _suite(names) or "test"
                return [call.f(cat, "docker-compose", f"compose up --exit-code-from {exit_from or ''}".strip())]
    return []


_COMPOSE_DEFAULTS = ("compose.yaml", "compose.yml", "docker-compose.yml", "docker-compose.yaml")
_COMPOSE_UP_VALUED = {"--exit-code-from", "--scale", "-t", "--timeout", "--attach", "--no-attach", "--wait-timeout",
                      "--pull"}


def _compose_migrations(call: _Call, files: list[str], profiles: list[str], rest: list[str]) -> list[Finding]:
    """Services of the compose file(s) `up` starts whose command applies migrations (a one-shot `prestart` /
    `migrate` service, `command: alembic upgrade head && ...`). Reads only the files the command names, or the
    default compose file (and its override) in the working directory."""
    services, chosen = _compose_services(call, files, profiles, rest)
    out: list[Finding] = []
    for name in sorted(chosen):
        svc = services[name]
        command = svc.get("command")
        entry = svc.get("entrypoint")
        parts = [x for x in (entry, command) if x]
        if not parts:
            continue
        text = " ".join(" ".join(shlex.quote(str(w)) for w in x) if isinstance(x, list) else str(x) for x in parts)
        build = svc.get("build")
        context = build.get("context") if isinstance(build, dict) else build if isinstance(build, str) else None
        base = posixpath.dirname(svc["__file__"])
        svc_cwd = _norm_path(base, str(context)) if context else base
        found = call.text(text, cwd=svc_cwd if svc_cwd is not None else base)
        for f in found:
            if f.category in ("migrate", "migrate-rollback"):
                out.append(call.f(f.category, f.tool, f"compose service '{name}' in {svc['__file__']}: {f.detail}".rstrip(": ")))
    return out


_DATASTORE_IMAGE = re.compile(
    r"(?i)(?:^|/)(?:postgres|postgis|pgvector|timescaledb|mysql|mariadb|percona|mongo(?:db)?|redis|valkey|keydb|memcached|"
    r"rabbitmq|kafka|cp-kafka|redpanda|zookeeper|nats|pulsar|activemq|artemis|elasticsearch|opensearch|solr|cassandra|"
    r"scylla|couchdb|couchbase|neo4j|clickhouse|influxdb|cockroach(?:db)?|mssql|mssql-server|sql-server|oracle-?xe|"
    r"oracle-free|db2|dynamodb-local|localstack|minio|azurite|cosmosdb|firestore|pubsub|emulator|etcd|consul|vault|"
    r"meilisearch|typesense|qdrant|weaviate|milvus|surrealdb|questdb|spanner-emulator|keycloak|mailhog|mailpit|"
    r"postgresql|mysql-server)(?:[:@/\s]|$)")
"""Images of databases, brokers, caches and cloud emulators: services that tests integrate with."""
_DATASTORE_SERVICE = re.compile(r"(?i)^(?:db|database|postgres(?:ql)?|pg|mysql|mariadb|mongo(?:db)?|redis|rabbit(?:mq)?|"
                                r"kafka|broker|elasticsearch|es|cache|queue|minio|localstack)(?:[-_]?\d+|[-_]test)?$")


def _compose_services(call: _Call, files: list[str], profiles: list[str], rest: list[str]) -> tuple[dict[str, Any], set[str]]:
    """The services of the compose file(s) a command names (or the default one in its directory), and the
    ones `up` starts. Reads no other file."""
    clf = call.clf
    cwd = call.cwd
    if files:
        paths = [_norm_path(cwd, f) for f in files]
    else:
        default = next((p for p in (_norm_path(cwd, n) for n in _COMPOSE_DEFAULTS) if p and clf.files.exists(p)), None)
        paths = [default] if default else []
        override = _norm_path(cwd, "docker-compose.override.yml" if default and "docker-" in default else "compose.override.yaml")
        if default and override and clf.files.exists(override):
            paths.append(override)
    services: dict[str, Any] = {}
    for path in paths:
        doc = clf._yaml(path) if path and clf.files.exists(path) else None
        if isinstance(doc, dict) and isinstance(doc.get("services"), dict):
            for name, svc in doc["services"].items():
                if isinstance(svc, dict):
                    services[str(name)] = {**services.get(str(name), {}), **svc, "__file__": path}
    if not services:
        return {}, set()
    wanted = _positionals(rest, _COMPOSE_UP_VALUED)
    if wanted:
        todo, chosen = list(wanted), set()
        while todo:
            n = todo.pop()
            if n in chosen or n not in services:
                continue
            chosen.add(n)
            deps = services[n].get("depends_on")
            todo += list(deps) if isinstance(deps, (dict, list)) else []
    else:
        chosen = {n for n, svc in services.items()
                  if not svc.get("profiles") or set(map(str, svc.get("profiles") or [])) & set(profiles)}
    return services, chosen


def _compose_started_services(call: _Call, a: list[str], rest: list[str]) -> list[Finding]:
    """`docker compose up -d` / `--wait` outside a deploy: services started in the background for what the
    job runs next (the tests). A database, broker or emulator among them is something tests integrate with."""
    services, chosen = _compose_services(call, _opts(a, "-f", "--file"), _opts(a, "--profile"), rest)
    if not chosen:
        return [call.f("service-containers", "docker-compose", "compose up in the background")]
    backing = []
    for name in sorted(chosen):
        image = services[name].get("image")
        if (isinstance(image, str) and _DATASTORE_IMAGE.search(image)) or (not image and _DATASTORE_SERVICE.match(name)):
            backing.append(f"{name} ({image})" if isinstance(image, str) else name)
    listed = ", ".join(sorted(chosen)[:6])
    if backing:
        return [call.f("service-containers", "docker-compose", f"starts {listed}"),
                call.f("service-datastore", "docker-compose", f"datastores: {', '.join(backing[:4])}")]
    return [call.f("service-containers", "docker-compose", f"starts {listed}")]


@_program("docker-compose", "podman-compose")
def _h_docker_compose(call: _Call) -> list[Finding]:
    remote = call.ctx.remote or bool(re.match(r"^(?:ssh|tcp)://", call.env.get("DOCKER_HOST", "")))
    return _compose(call, call.args, remote)


@_program("buildah")
def _h_buildah(call: _Call) -> list[Finding]:
    pos = _positionals(call.args, {"-t", "--tag", "-f", "--file", "--format", "--creds", "--authfile"})
    if pos[:1] == ["push"]:
        return [call.f("publish", "buildah")]
    if pos[:1] in (["bud"], ["build"]):
        return [call.f("build", "buildah")]
    return []


@_program("executor", "kaniko")
def _h_kaniko(call: _Call) -> list[Finding]:
    a = call.args
    if not _flag(a, "--destination", "-d") and not any(w.startswith("-d") for w in a):
        return [call.f("build", "kaniko")] if _flag(a, "--context", "-c", "--dockerfile", "-f") else []
    return [call.f("build" if _flag(a, "--no-push") else "publish", "kaniko")]


@_program("crane", "gcrane")
def _h_crane(call: _Call) -> list[Finding]:
    pos = _positionals(call.args)
    return [call.f("publish", "crane")] if pos[:1] in (["push"], ["copy"], ["cp"], ["append"], ["tag"], ["mutate"], ["index"]) else []


@_program("skopeo")
def _h_skopeo(call: _Call) -> list[Finding]:
    return [call.f("publish", "skopeo")] if _positionals(call.args)[:1] in (["copy"], ["sync"]) else []


@_program("oras")
def _h_oras(call: _Call) -> list[Finding]:
    return [call.f("publish", "oras")] if _positionals(call.args)[:1] in (["push"], ["copy"], ["cp"]) else []


@_program("regctl")
def _h_regctl(call: _Call) -> list[Finding]:
    pos = _positionals(call.args)
    return [call.f("publish", "regctl")] if pos[:2] in (["image", "copy"], ["image", "mod"]) else []


@_program("pack")
def _h_pack(call: _Call) -> list[Finding]:
    pos = _positionals(call.args)
    if pos[:1] == ["build"]:
        return [call.f("publish" if _flag(call.args, "--publish") else "build", "buildpacks")]
    return []


@_program("earthly")
def _h_earthly(call: _Call) -> list[Finding]:
    a = call.args
    targets = [w for w in a if w.startswith("+") or "+" in w and not w.startswith("-")]
    out: list[Finding] = []
    if _flag(a, "--push", "-P"):
        out.append(call.f("publish", "earthly", "earthly --push"))
    for t in targets:
        name = t.split("+", 1)[-1]
        out += call.clf._fallback(call, name, "earthly", "Earthfile targets not expanded")
    return out


@_program("depot")
def _h_depot(call: _Call) -> list[Finding]:
    pos = _positionals(call.args, {"-t", "--tag", "--project", "-f", "--file", "--platform"})
    if pos[:1] in (["build"], ["bake"]):
        return [call.f("publish" if _flag(call.args, "--push") else "build", "depot")]
    return []


@_program("jib")
def _h_jib(call: _Call) -> list[Finding]:
    return [call.f("publish", "jib")] if _positionals(call.args)[:1] in (["build"], ["jar"], ["war"]) else []


# ----- Kubernetes and GitOps ------------------------------------------------------------------------------

_KUBE_GLOBAL = {"-n", "--namespace", "--context", "--kubeconfig", "-s", "--server", "--token", "--cluster", "--user",
                "-v", "--as", "--as-group", "--certificate-authority", "--client-certificate", "--client-key",
                "--request-timeout", "--tls-server-name", "-f", "--filename", "-k", "--kustomize", "-l", "--selector",
                "-o", "--output", "--field-manager", "--timeout", "--prune-allowlist", "-c", "--container",
                "--record", "--type", "-p", "--patch", "--patch-file", "--for", "--image", "--from", "-i"}
_LOCAL_CONTEXT = re.compile(r"^(?:kind-.*|kind|minikube|k3d-.*|docker-desktop|docker-for-desktop|microk8s|rancher-desktop|colima.*|orbstack)$")


def _kube_local(call: _Call, a: list[str]) -> bool:
    ctx = _opt(a, "--context") or ""
    return call.state.local_cluster or bool(_LOCAL_CONTEXT.match(ctx))


@_program("kubectl", "oc", "microk8s.kubectl")
def _h_kubectl(call: _Call) -> list[Finding]:
    a = call.args
    pos = _positionals(a, _KUBE_GLOBAL)
    tool = "openshift" if call.prog == "oc" else "kubectl"
    if not pos:
        return []
    sub = pos[0]
    if sub == "exec":
        inner = _after_dd(a)
        return call.redo(inner) if inner else []
    if sub == "argo" and pos[1:2] == ["rollouts"]:
        if pos[2:3] in (["promote"], ["set"], ["retry"]) and not _kube_local(call, a):
            return [call.f("deploy", "argo-rollouts", f"rollouts {pos[2]}")]
        return []
    dry = any(w.startswith("--dry-run") and w not in ("--dry-run=none",) for w in a) or _flag(a, "--validate=only")
    if dry:
        return []
    deploying = False
    note = ""
    if sub == "apply":
        deploying = not (pos[1:2] in (["view-last-applied"], ["edit-last-applied"]))
    elif sub == "create":
        deploying = _flag(a, "-f", "--filename", "-k", "--kustomize") or pos[1:2] in (["deployment"], ["deploy"])
    elif sub == "replace":
        deploying = True
    elif sub == "set" and pos[1:2] == ["image"]:
        deploying, note = True, "set image"
    elif sub == "rollout" and pos[1:2] in (["restart"], ["resume"]):
        deploying, note = True, f"rollout {pos[1]}"
    elif sub == "patch" and len(pos) > 1 and re.match(r"^(?:deploy|deployment|deployments|statefulset|sts|daemonset|ds|"
                                                         r"rollout|deploymentconfig|dc)(?:[./]|$)", pos[1]):
        deploying, note = True, "patch"
    elif tool == "openshift" and sub in ("new-app",) or (tool == "openshift" and sub == "rollout" and pos[1:2] == ["latest"]):
        deploying = True
    elif tool == "openshift" and sub == "start-build":
        return [call.f("build", "openshift")]
    if not deploying:
        return []
    if _kube_local(call, a):
        return []
    kustomize = _flag(a, "-k", "--kustomize") or any(
        _prog_name(sm.words[0]) == "kustomize" for sm in call.pipe_neighbours() if sm.words)
    if kustomize and tool == "kubectl":
        tool = "kustomize"
    return [call.f("deploy", tool, note)]


@_program("kustomize")
def _h_kustomize(call: _Call) -> list[Finding]:
    pos = _positionals(call.args)
    if pos[:3] == ["edit", "set", "image"] and call.state.mentions_commit(" ".join(pos[3:])):
        return [call.f("commit-traceable", "kustomize", "image pinned to the commit")]
    return []


@_program("helm", "helm3", "werf-helm")
def _h_helm(call: _Call) -> list[Finding]:
    a = call.args
    valued = {"-n", "--namespace", "--kube-context", "--kubeconfig", "-f", "--values", "--set", "--set-string",
              "--set-file", "--set-json", "--version", "--timeout", "--repo", "--username", "--password", "--post-renderer",
              "-o", "--output", "--description", "--history-max", "--ca-file", "--cert-file", "--key-file", "--registry-config",
              "--destination", "-d", "--app-version", "--max-history", "--wait-for-jobs", "--burst-limit"}
    pos = _positionals(a, valued)
    if not pos:
        return []
    sub = pos[0]
    if sub in ("secrets", "s3", "gcs") and len(pos) > 1 and pos[1] in ("upgrade", "install"):
        sub = pos[1]
    elif sub == "test" and _kube_local(call, a):
        # `helm test` against a throwaway cluster the job started: the chart's tests run end to end.
        return [call.f("e2e-test", "helm", "helm test in a throwaway cluster")]
    elif sub in ("diff", "template", "test", "rollback", "uninstall", "delete", "status", "history", "get", "show", "search",
                 "repo", "dependency", "dep", "registry", "pull", "fetch", "plugin", "version", "env", "list", "ls"):
        return []
    if sub == "lint":
        return [call.f("lint", "helm")]
    if sub == "package":
        return [call.f("build", "helm")]
    if sub in ("push", "cm-push"):
        return [call.f("publish", "helm", f"helm {sub}")]
    if sub in ("upgrade", "install"):
        if any(w.startswith("--dry-run") for w in a) or _kube_local(call, a):
            return []
        return [call.f("deploy", "helm", f"helm {sub}")]
    return []


@_program("helmfile")
def _h_helmfile(call: _Call) -> list[Finding]:
    pos = _positionals(call.args, {"-e", "--environment", "-f", "--file", "-l", "--selector", "--state-values-set",
                                   "--state-values-file", "--kube-context", "-n", "--namespace", "--args"})
    if pos[:1] in (["apply"], ["sync"], ["deploy"]) and not _kube_local(call, call.args):
        return [call.f("deploy", "helmfile")]
    if pos[:1] == ["lint"]:
        return [call.f("lint", "helmfile")]
    return []


@_program("argocd")
def _h_argocd(call: _Call) -> list[Finding]:
    pos = _positionals(call.args, {"--server", "--auth-token", "--grpc-web-root-path", "--revision", "--timeout",
                                   "--resource", "--label", "-l", "--project", "--core", "--kube-context", "--port-forward-namespace"})
    if pos[:2] == ["app", "sync"]:
        return [call.f("deploy", "argocd", "argocd app sync"), call.f("orchestrate", "argocd")]
    if pos[:2] in (["app", "set"], ["app", "patch"]) and _COMMIT_REF.search(" ".join(call.args)):
        return [call.f("commit-traceable", "argocd", "app revision/image pinned to the commit")]
    if pos[:2] in (["app", "create"], ["appset", "create"]):
        return [call.f("orchestrate", "argocd", f"argocd {pos[0]} create")]
    return []


@_program("flux")
def _h_flux(call: _Call) -> list[Finding]:
    pos = _positionals(call.args, {"-n", "--namespace", "--context", "--kubeconfig", "--timeout"})
    if pos[:1] == ["reconcile"]:
        return [call.f("deploy", "flux", "flux reconcile"), call.f("orchestrate", "flux")]
    if pos[:1] == ["bootstrap"]:
        return [call.f("orchestrate", "flux", "flux bootstrap")]
    return []


@_program("skaffold")
def _h_skaffold(call: _Call) -> list[Finding]:
    pos = _positionals(call.args, {"-p", "--profile", "-f", "--filename", "-n", "--namespace", "--kube-context",
                                   "-d", "--default-repo", "-t", "--tag", "--build-artifacts", "-m", "--module"})
    if pos[:1] in (["run"], ["deploy"], ["apply"]) and not _kube_local(call, call.args):
        return [call.f("deploy", "skaffold")]
    if pos[:1] == ["build"]:
        return [call.f("build", "skaffold")]
    return []


def _subcmd(tool: str, subs: dict[tuple[str, ...], tuple[tuple[str, str], ...]], valued: Iterable[str] = ()) -> Handler:
    vs = set(valued)

    def handler(call: _Call) -> list[Finding]:
        pos = _positionals(call.args, vs)
        for key, pairs in subs.items():
            if tuple(pos[:len(key)]) == key:
                return call.fs(pairs, " ".join(key))
        return []
    return handler


_register(("devspace",), _subcmd("devspace", {("deploy",): (("deploy", "devspace"),)}))
_register(("garden",), _subcmd("garden", {("deploy",): (("deploy", "garden"),)}))
_register(("werf",), _subcmd("werf", {("converge",): (("deploy", "werf"),), ("deploy",): (("deploy", "werf"),)}))
_register(("kapp",), _subcmd("kapp", {("deploy",): (("deploy", "kapp"),)}, {"-a", "--app", "-f", "--file", "-n"}))
_register(("kpt",), _subcmd("kpt", {("live", "apply"): (("deploy", "kpt"),)}))
_register(("waypoint",), _subcmd("waypoint", {("up",): (("deploy", "waypoint"),), ("deploy",): (("deploy", "waypoint"),)}))
_register(("okteto",), _subcmd("okteto", {("deploy",): (("deploy", "okteto"),)}))
_register(("kn",), _subcmd("kn", {("service", "create"): (("deploy", "knative"),), ("service", "update"): (("deploy", "knative"),),
                                  ("service", "apply"): (("deploy", "knative"),)}))
_register(("nomad",), _subcmd("nomad", {("job", "run"): (("deploy", "nomad"),), ("run",): (("deploy", "nomad"),)},
                              {"-address", "-var", "-var-file", "-region", "-namespace", "-token"}))
_register(("levant",), _subcmd("levant", {("deploy",): (("deploy", "nomad"),)}))
_register(("spin",), _subcmd("spinnaker", {("pipeline", "execute"): (("deploy", "spinnaker"), ("orchestrate", "spinnaker"))},
                             {"--application", "-a", "--name", "-n", "--gate-endpoint", "--config", "-t", "--parameter-file"}))
_register(("wrangler",), lambda call: (
    [call.f("deploy", "cloudflare-pages", "wrangler pages deploy")]
    if _positionals(call.args)[:2] in (["pages", "deploy"], ["pages", "publish"]) else
    [call.f("deploy", "cloudflare-workers", "wrangler deploy")]
    if _positionals(call.args)[:1] in (["deploy"], ["publish"]) and not _flag(call.args, "--dry-run") else []))
_register(("railway",), _subcmd("railway", {("up",): (("deploy", "railway"),), ("redeploy",): (("deploy", "railway"),)}))
_register(("doctl",), _subcmd("doctl", {("apps", "create-deployment"): (("deploy", "digitalocean-app-platform"),),
                                        ("apps", "update"): (("deploy", "digitalocean-app-platform"),)}))
_register(("caprover",), _subcmd("caprover", {("deploy",): (("deploy", "caprover"),)}))
_register(("convox",), _subcmd("convox", {("deploy",): (("deploy", "convox"),)}))
_register(("copilot",), _subcmd("copilot", {("deploy",): (("deploy", "aws-copilot"),), ("svc", "deploy"): (("deploy", "aws-copilot"),),
                                            ("job", "deploy"): (("deploy", "aws-copilot"),)}))
_register(("eb",), _subcmd("eb", {("deploy",): (("deploy", "elastic-beanstalk"),)}, {"--label", "-l", "--message", "-m",
                                                                                       "--version", "--modules", "-p"}))
_register(("ecs-deploy",), _simple(("deploy", "aws-ecs")))
_register(("ecs",), _subcmd("ecs", {("deploy",): (("deploy", "aws-ecs"),)}))
_register(("ecs-cli",), _subcmd("ecs-cli", {("compose", "service", "up"): (("deploy", "aws-ecs"),)},
                                {"--cluster", "-c", "--project-name", "-p", "--file", "-f", "--region", "-r"}))
_register(("sam",), _subcmd("sam", {("deploy",): (("deploy", "aws-sam"),), ("sync",): (("deploy", "aws-sam"),)}))
_register(("serverless", "sls", "osls"), lambda call: [call.f("deploy", "serverless")]
          if _positionals(call.args, {"-s", "--stage", "-r", "--region", "-c", "--config", "--aws-profile", "-f",
                                      "--function"})[:1] == ["deploy"] else [])
_register(("amplify",), _subcmd("amplify", {("publish",): (("deploy", "aws-amplify"),), ("push",): (("deploy", "aws-amplify"),)}))
_register(("surge",), lambda call: [call.f("deploy", "surge")] if _positionals(call.args)
          and _positionals(call.args)[0] not in ("login", "logout", "whoami", "list", "teardown", "token") else [])
_register(("gh-pages",), lambda call: [call.f("deploy", "github-pages", "gh-pages")] if _flag(call.args, "-d", "--dist") else [])
_register(("ghp-import",), lambda call: [call.f("deploy", "github-pages", "ghp-import --push")] if _flag(call.args, "-p", "--push") else [])
_register(("mkdocs",), lambda call: [call.f("deploy", "github-pages", "mkdocs gh-deploy")]
          if _positionals(call.args)[:1] == ["gh-deploy"] else [])
_register(("mike",), lambda call: [call.f("deploy", "github-pages", "mike deploy --push")]
          if _positionals(call.args)[:1] == ["deploy"] and _flag(call.args, "--push", "-p") else [])
_register(("hugo",), _subcmd("hugo", {("deploy",): (("deploy", "hugo"),)}))
_register(("octo", "octo.exe", "Octo"), lambda call: [call.f("deploy", "octopus")]
          if _positionals(call.args)[:1] in (["deploy-release"], ["promote-release"]) or (
              _positionals(call.args)[:1] == ["create-release"] and any(w.lower().startswith("--deployto") for w in call.args)) else [])
_register(("octopus",), _subcmd("octopus", {("release", "deploy"): (("deploy", "octopus"),),
                                            ("release", "promote"): (("deploy", "octopus"),)}))
_register(("dokku",), lambda call: [call.f("deploy", "dokku")]
          if any(p in ("git:sync", "ps:rebuild", "git:from-image", "deploy", "ps:restart", "git:from-archive")
                 for p in _positionals(call.args)[:2]) else [])
_register(("func",), _subcmd("func", {("azure", "functionapp", "publish"): (("deploy", "azure-functions"),)}))
_register(("shipit",), lambda call: [call.f("deploy", "shipit")] if "deploy" in _positionals(call.args) else [])
_register(("fab", "fabric"), lambda call: [call.f("deploy", "fabric")]
          if any("deploy" in p for p in _positionals(call.args, {"-H", "--hosts", "-i", "-f", "-r", "-R", "--roles"})) else [])


# ----- infrastructure as code -------------------------------------------------------------------------------

@_program("terraform", "tofu", "terragrunt", "terraform.exe", "gitlab-terraform", "tfcmt", "tflocal")
def _h_terraform(call: _Call) -> list[Finding]:
    a = call.args
    tool = {"tofu": "opentofu", "terragrunt": "terragrunt"}.get(call.prog, "terraform")
    pos = [p for p in _positionals(a, {"-var", "-var-file", "-target", "-lock-timeout", "-parallelism", "-state",
                                        "-backend-config", "-out", "-replace", "--terragrunt-working-dir",
                                        "--terragrunt-config", "--working-dir", "-chdir"}) if not p.startswith("-")]
    if call.prog == "tfcmt":
        pos = pos[1:] if pos[:1] in (["plan"], ["apply"]) else pos
        inner = _after_dd(a)
        return call.redo(inner) if inner else []
    if tool == "terragrunt" and pos[:1] in (["run-all"], ["run"]):
        pos = pos[1:]
    if not pos:
        return []
    sub = pos[0]
    if sub == "apply" and not _flag(a, "-destroy"):
        return [call.f("deploy", tool, f"{call.prog} apply"), call.f("provision", tool)]
    if sub == "validate":
        return [call.f("lint", tool, "validate")]
    if sub == "fmt" and _flag(a, "-check", "--check"):
        return [call.f("lint", tool, "fmt -check")]
    if sub == "test":
        return [call.f("test", tool)]
    return []


@_program("pulumi")
def _h_pulumi(call: _Call) -> list[Finding]:
    pos = _positionals(call.args, {"-s", "--stack", "-C", "--cwd", "--config", "-c", "--target", "-t", "--parallel",
                                   "-p", "--message", "-m"})
    if pos[:1] in (["up"], ["update"]) and not _flag(call.args, "--preview-only"):
        return [call.f("deploy", "pulumi", "pulumi up"), call.f("provision", "pulumi")]
    return []


@_program("cdk", "cdktf", "cdk8s")
def _h_cdk(call: _Call) -> list[Finding]:
    pos = _positionals(call.args, {"-c", "--context", "--profile", "-a", "--app", "--require-approval", "-o", "--output",
                                   "--parameters", "--outputs-file", "--concurrency"})
    tool = {"cdk": "aws-cdk", "cdktf": "cdktf"}.get(call.prog, call.prog)
    if pos[:1] in (["deploy"], ["apply"]) and call.prog != "cdk8s":
        return [call.f("deploy", tool, f"{call.prog} deploy"), call.f("provision", tool)]
    return []


@_program("ansible-playbook")
def _h_ansible_playbook(call: _Call) -> list[Finding]:
    a = call.args
    if _flag(a, "--check", "-C", "--syntax-check", "--list-tasks", "--list-hosts", "--list-tags"):
        return []
    pos = _positionals(a, {"-i", "--inventory", "-e", "--extra-vars", "-l", "--limit", "-u", "--user", "-t", "--tags",
                           "--skip-tags", "--vault-password-file", "--vault-id", "-f", "--forks", "--private-key",
                           "--key-file", "-c", "--connection", "-T", "--timeout", "-M", "--module-path",
                           "--become-user", "--become-method", "--ssh-extra-args", "--ssh-common-args",
                           "--start-at-task", "--scp-extra-args", "--sftp-extra-args"})
    if not pos:
        return []
    names = " ".join(posixpath.basename(p) for p in pos)
    if re.search(r"(?i)deploy|site|release|rollout", names):
        return [call.f("deploy", "ansible", f"playbook {names}")]
    return [call.f("provision", "ansible", f"playbook {names}")]


@_program("openstack")
def _h_openstack(call: _Call) -> list[Finding]:
    pos = _positionals(call.args, {"-t", "--template", "-e", "--environment", "--parameter", "--os-cloud", "--timeout"})
    if pos[:2] in (["stack", "create"], ["stack", "update"]):
        return [call.f("provision", "heat", f"openstack stack {pos[1]}")]
    return []


_register(("heat",), lambda call: [call.f("provision", "heat")]
          if _positionals(call.args)[:1] in (["stack-create"], ["stack-update"]) else [])
_register(("packer",), _subcmd("packer", {("build",): (("build", "packer"),)}))


# ----- cloud CLIs -----------------------------------------------------------------------------------------

@_program("aws")
def _h_aws(call: _Call) -> list[Finding]:
    a = call.args
    valued = {"--region", "--profile", "--output", "--endpoint-url", "--query", "--cli-read-timeout",
              "--cli-connect-timeout", "--ca-bundle", "--color", "--cluster", "--service", "--task-definition",
              "--function-name", "--stack-name", "--template-file", "--application-name", "--deployment-group-name",
              "--environment-name", "--version-label", "--zip-file", "--image-uri", "--s3-bucket", "--s3-key",
              "--parameter-overrides", "--capabilities", "--desired-count", "--s3-prefix", "--tags", "--service-arn",
              "--app-id", "--branch-name", "--exclude", "--include", "--acl", "--cache-control", "--source-version",
              "--template-body", "--template-url", "--parameters", "--role-arn", "--revision", "--storage-class",
              "--sse", "--content-type", "--metadata-directive", "--expires"}
    pos = _positionals(a, valued)
    if len(pos) < 2:
        return []
    svc, op = pos[0], pos[1]
    if svc == "ecs" and op == "update-service" and _flag(a, "--task-definition", "--force-new-deployment"):
        return [call.f("deploy", "aws-ecs", "aws ecs update-service")]
    if svc == "ecs" and op == "deploy":
        return [call.f("deploy", "aws-ecs", "aws ecs deploy")]
    if svc == "lambda" and op == "update-function-code":
        return [call.f("deploy", "aws-lambda", "update-function-code")]
    if svc == "cloudformation" and op in ("deploy", "create-stack", "update-stack", "execute-change-set"):
        return [call.f("deploy", "cloudformation", f"cloudformation {op}"), call.f("provision", "cloudformation")]
    if svc == "deploy" and op == "create-deployment":
        return [call.f("deploy", "aws-codedeploy")]
    if svc == "elasticbeanstalk" and op == "update-environment" and _flag(a, "--version-label"):
        return [call.f("deploy", "elastic-beanstalk")]
    if svc == "apprunner" and op in ("start-deployment", "update-service"):
        return [call.f("deploy", "aws-apprunner")]
    if svc == "amplify" and op in ("start-deployment",):
        return [call.f("deploy", "aws-amplify")]
    if svc == "s3" and op in ("cp", "sync") and len(pos) >= 4:
        src, dst = pos[2], pos[3]
        if dst.startswith("s3://") and re.match(r"^(?:\./)?(?:dist|build|target|out|artifacts?|release|releases|bin|pkg)(?:/|$)", src):
            return [call.f("publish", "ci-artifact", f"aws s3 {op} {src} to a bucket")]
    return []


@_program("gcloud")
def _h_gcloud(call: _Call) -> list[Finding]:
    a = call.args
    valued = {"--project", "--account", "--verbosity", "--format", "--impersonate-service-account", "--configuration",
              "--region", "--zone", "--image", "--platform", "--tag", "-t", "--config", "--substitutions", "--source",
              "--service-account", "--memory", "--cpu", "--port", "--set-env-vars", "--update-env-vars", "--runtime",
              "--entry-point", "--trigger-http", "--delivery-pipeline", "--images", "--release", "--to-target",
              "--container-image", "--version", "--timeout", "--concurrency", "--max-instances", "--min-instances",
              "--gcs-log-dir", "--machine-type", "--labels", "--update-labels", "--env-vars-file", "--vpc-connector",
              "--trigger-topic", "--trigger-bucket", "--cluster", "--location"}
    pos = [p for p in _positionals(a, valued) if p not in ("alpha", "beta")]
    if len(pos) < 2:
        return []
    key = tuple(pos[:3])
    if key[:2] == ("run", "deploy") or key in (("run", "services", "update"), ("run", "services", "replace"),
                                                ("run", "jobs", "deploy")):
        if key == ("run", "services", "update") and not _flag(a, "--image"):
            return []
        return [call.f("deploy", "cloud-run", "gcloud " + " ".join(key))]
    if key[:2] == ("app", "deploy"):
        return [call.f("deploy", "app-engine", "gcloud app deploy")]
    if key[:2] == ("functions", "deploy"):
        return [call.f("deploy", "cloud-functions", "gcloud functions deploy")]
    if key == ("deploy", "releases", "create") or key == ("deploy", "releases", "promote"):
        return [call.f("deploy", "google-cloud-deploy", "gcloud deploy releases")]
    if key[:2] == ("builds", "submit"):
        return [call.f("publish" if _flag(a, "--tag", "-t", "--pack") else "build", "cloud-build", "gcloud builds submit")]
    if key in (("compute", "instances", "update-container"), ("compute", "instances", "create-with-container")):
        return [call.f("deploy", "compute-engine", "gcloud " + " ".join(key))]
    if key in (("container", "images", "add-tag"), ("artifacts", "docker", "tags")):
        return [call.f("publish", "artifact-registry")]
    if key in (("deployment-manager", "deployments", "create"), ("deployment-manager", "deployments", "update")):
        return [call.f("provision", "deployment-manager")]
    if key[:2] == ("storage", "cp") or key[:2] == ("storage", "rsync"):
        if len(pos) >= 4 and pos[3].startswith("gs://") and re.match(r"^(?:\./)?(?:dist|build|target|out|artifacts?)(?:/|$)", pos[2]):
            return [call.f("publish", "ci-artifact", "gcloud storage cp to a bucket")]
    return []


@_program("az")
def _h_az(call: _Call) -> list[Finding]:
    a = call.args
    valued = {"-g", "--resource-group", "-n", "--name", "--subscription", "--src", "--src-path", "--type", "--slot",
              "--image", "--registry", "-r", "-t", "--template-file", "--parameters", "-p", "--location", "-l",
              "--docker-custom-image-name", "--container-image-name", "-f", "--file", "--query", "-o", "--output",
              "--artifact-path", "--deployment-name", "--revision-suffix", "--environment", "--service", "--app",
              "--target-port", "--plan", "--runtime", "--source", "--mode", "--what-if-result-format"}
    pos = _positionals(a, valued)
    key = tuple(pos[:4])
    if key[:2] == ("webapp", "deploy") or key[:2] == ("webapp", "up") or key[:4] == ("webapp", "deployment", "source",
                                                                                         "config-zip") \
            or key[:3] == ("webapp", "config", "container") and pos[3:4] == ["set"]:
        return [call.f("deploy", "azure-webapp", "az " + " ".join(pos[:3]))]
    if key[:2] == ("functionapp", "deploy") or key[:4] == ("functionapp", "deployment", "source", "config-zip"):
        return [call.f("deploy", "azure-functions")]
    if key[:2] == ("containerapp", "update") or key[:2] == ("containerapp", "up") or key[:3] == ("containerapp", "revision", "copy"):
        return [call.f("deploy", "azure-containerapp", "az " + " ".join(pos[:2]))]
    if key[:1] == ("deployment",) and pos[-1:] == ["create"] or key[:3] == ("group", "deployment", "create") \
            or (len(pos) >= 3 and pos[0] == "deployment" and pos[2] == "create"):
        if _flag(a, "--what-if", "-c", "--confirm-with-what-if"):
            return [call.f("provision", "arm")]
        return [call.f("provision", "arm", "az deployment create")]
    if key[:2] == ("acr", "build"):
        return [call.f("publish", "docker", "az acr build")]
    if key[:2] == ("acr", "import"):
        return [call.f("publish", "docker", "az acr import")]
    if key[:3] == ("spring", "app", "deploy"):
        return [call.f("deploy", "azure-spring-apps")]
    if key[:2] == ("container", "create"):
        return [call.f("deploy", "azure-container-instances")]
    return []


@_program("azd")
def _h_azd(call: _Call) -> list[Finding]:
    """Azure Developer CLI: `azd up` provisions and deploys, `azd deploy` deploys, `azd provision` provisions."""
    pos = _positionals(call.args, {"-e", "--environment", "--cwd", "-C", "--from-package", "--docs"})
    if pos[:1] == ["up"]:
        return [call.f("deploy", "azd", "azd up"), call.f("provision", "azd")]
    if pos[:1] == ["deploy"]:
        return [call.f("deploy", "azd", "azd deploy")]
    if pos[:1] == ["provision"] and not _flag(call.args, "--preview"):
        return [call.f("provision", "azd", "azd provision")]
    return []


@_program("fly", "flyctl")
def _h_fly(call: _Call) -> list[Finding]:
    pos = _positionals(call.args, {"-a", "--app", "-c", "--config", "-i", "--image", "--strategy", "-e", "--env",
                                   "--build-arg", "--dockerfile", "-r", "--region", "--image-label", "--wait-timeout"})
    if pos[:1] == ["deploy"]:
        return [call.f("deploy", "fly", "fly deploy")]
    if pos[:2] in (["machine", "update"], ["machines", "update"]) and _flag(call.args, "--image", "-i"):
        return [call.f("deploy", "fly", "fly machine update")]
    return []


@_program("vercel", "now")
def _h_vercel(call: _Call) -> list[Finding]:
    a = call.args
    prod = _flag(a, "--prod", "--production") or (_opt(a, "--target") or "") == "production"
    pos = _positionals(a, {"--token", "-t", "--scope", "-S", "--target", "-e", "--env", "-b", "--build-env", "-A",
                           "--local-config", "--cwd"})
    if pos[:1] == ["promote"]:
        return [call.f("deploy", "vercel", "vercel promote")]
    if prod and (not pos or pos[0] in ("deploy",) or pos[0].startswith((".", "/")) or pos[0] not in (
            "pull", "build", "env", "link", "login", "logout", "whoami", "ls", "list", "inspect", "rm", "remove",
            "alias", "domains", "dns", "certs", "secrets", "projects", "teams", "switch", "logs", "git", "init")):
        return [call.f("deploy", "vercel", "vercel --prod")]
    return []


@_program("netlify", "netlify-cli")
def _h_netlify(call: _Call) -> list[Finding]:
    a = call.args
    pos = _positionals(a, {"-d", "--dir", "-f", "--functions", "-s", "--site", "-a", "--auth", "-m", "--message",
                           "--alias", "--filter", "--context"})
    if pos[:1] == ["deploy"] and _flag(a, "--prod", "--production", "-p", "--prodIfUnlocked", "--prod-if-unlocked"):
        return [call.f("deploy", "netlify", "netlify deploy --prod")]
    return []


@_program("firebase", "firebase-tools")
def _h_firebase(call: _Call) -> list[Finding]:
    pos = _positionals(call.args, {"--only", "--except", "-P", "--project", "--token", "-m", "--message", "--config",
                                   "--app", "--groups", "--testers", "--release-notes", "--release-notes-file"})
    if pos[:1] == ["deploy"]:
        return [call.f("deploy", "firebase", "firebase deploy")]
    if pos[:1] == ["appdistribution:distribute"]:
        return [call.f("publish", "firebase-app-distribution")]
    return []


@_program("heroku")
def _h_heroku(call: _Call) -> list[Finding]:
    pos = _positionals(call.args, {"-a", "--app", "-r", "--remote", "--recursive", "--arg", "--context-path"})
    if not pos:
        return []
    sub = pos[0]
    if sub == "container:release":
        return [call.f("deploy", "heroku", "heroku container:release")]
    if sub == "container:push":
        return [call.f("publish", "heroku", "heroku container:push")]
    if sub in ("deploy:jar", "deploy:war", "builds:create", "pipelines:promote"):
        return [call.f("deploy", "heroku", f"heroku {sub}")]
    return []


@_program("cf", "cf7", "cf8")
def _h_cf(call: _Call) -> list[Finding]:
    pos = _positionals(call.args)
    if pos[:1] in (["push"], ["zero-downtime-push"], ["blue-green-deploy"], ["bgd"], ["v3-zdt-push"], ["v3-push"],
                   ["deploy"]):
        note = "zero-downtime / blue-green" if pos[0] not in ("push", "v3-push") or _flag(call.args, "--strategy") else ""
        return [call.f("deploy", "cloudfoundry", note)]
    return []


# ----- git, GitHub/GitLab CLIs, release tooling ------------------------------------------------------------

@_program("git")
def _h_git(call: _Call) -> list[Finding]:
    a = call.args
    i = 0
    while i < len(a) and a[i].startswith("-"):
        i += 2 if a[i] in ("-C", "-c", "--git-dir", "--work-tree", "--namespace") else 1
    if i >= len(a):
        return []
    sub, rest = a[i], a[i + 1:]
    if sub == "push":
        pos = _positionals(rest, {"--repo", "-o", "--push-option", "--receive-pack", "--exec"})
        remote = pos[0] if pos else (_opt(rest, "--repo") or "")
        refs = pos[1:]
        if re.search(r"(?:^|[/@.])heroku(?:\.com|$)|git\.heroku\.com", remote) or remote == "heroku":
            return [call.f("deploy", "heroku", "git push heroku")]
        if remote == "dokku" or remote.startswith("dokku@"):
            return [call.f("deploy", "dokku", "git push dokku")]
        if "azurewebsites.net" in remote:
            return [call.f("deploy", "azure-webapp", "git push to Azure App Service")]
        if any(re.search(r"(?:^|[:/])gh-pages$", r) for r in refs):
            return [call.f("deploy", "github-pages", "git push gh-pages")]
        branch = _pushed_deploy_branch(call, rest, refs)
        if branch:
            return [call.f("deploy", "git-push", f"pushes the deployment branch '{branch}', which the hosting platform deploys")]
        return []
    if sub in ("checkout", "switch"):
        call.state.git_branch = _checkout_target(rest) or call.state.git_branch
        return []
    if sub == "subtree" and rest[:1] == ["push"] and "gh-pages" in rest:
        return [call.f("deploy", "github-pages", "git subtree push gh-pages")]
    if sub == "cliff":
        return [call.f("release-notes", "git-cliff")]
    if sub == "secrets" and _flag(rest, "--scan", "--scan-history"):
        return [call.f("security-scan", "git-secrets")]
    return []


_DEPLOY_BRANCHES = frozenset({"deploy", "deployment", "deployed", "production", "prod", "live", "release", "staging",
                              "stage", "pages", "www"})
"""Branches a hosting platform deploys from (Netlify, Heroku pipelines, cPanel, GitHub Pages sources, ...)."""


def _pushed_deploy_branch(call: _Call, rest: list[str], refs: list[str]) -> str | None:
    """The deployment branch a `git push` in a deploy-named job, script or workflow updates: `HEAD:release`,
    `main:production`, `+HEAD:refs/heads/deploy`, or the checked-out `production` branch after a fast-forward.
    Pushing tags, the default branch (a version bump, a changelog commit) or a feature branch is not a deployment."""
    ctx = call.ctx
    if not (ctx.deploy_named or ctx.pipeline_deploy) or ctx.test_scope or ctx.remote:
        return None
    if _flag(rest, "--tags", "--delete", "-d", "--dry-run", "-n", "--mirror"):
        return None
    targets: list[str] = []
    for ref in refs or [""]:
        ref = ref.lstrip("+")
        dest = ref.split(":", 1)[1] if ":" in ref else ref
        if dest in ("", "HEAD", "@"):
            dest = call.state.git_branch or ""
        if dest.startswith("refs/tags/"):
            continue
        targets.append(dest.removeprefix("refs/heads/"))
    if not refs and not call.state.git_branch:
        return None
    return next((t for t in targets if t.lower() in _DEPLOY_BRANCHES), None)


_register(("git-cliff",), _simple(("release-notes", "git-cliff")))
_register(("conventional-changelog",), _simple(("release-notes", "conventional-changelog")))
_register(("auto-changelog",), _simple(("release-notes", "auto-changelog")))
_register(("github_changelog_generator", "github-changelog-generator"), _simple(("release-notes", "github-changelog-generator")))
_register(("gren",), lambda call: [call.f("release-notes", "gren")] if _positionals(call.args)[:1] in (["release"], ["changelog"]) else [])
_register(("standard-version", "commit-and-tag-version"), lambda call: [] if _flag(call.args, "--dry-run") else
          [call.f("release", call.prog), call.f("release-notes", call.prog)])
_register(("release-it",), lambda call: [] if _flag(call.args, "--dry-run", "-d", "--changelog", "--release-version")
          else [call.f("release", "release-it")])
_register(("knope",), lambda call: [call.f("release", "knope"), call.f("release-notes", "knope")]
          if _positionals(call.args)[:1] == ["release"] and not _flag(call.args, "--dry-run") else [])
_register(("cog", "cocogitto"), lambda call: [call.f("release", "cocogitto"), call.f("release-notes", "cocogitto")]
          if _positionals(call.args)[:1] == ["bump"] and not _flag(call.args, "--dry-run")
          else ([call.f("release-notes", "cocogitto")] if _positionals(call.args)[:1] == ["changelog"] else []))
_register(("auto",), lambda call: [call.f("release", "auto"), call.f("release-notes", "auto")]
          if _positionals(call.args)[:1] in (["shipit"], ["release"]) and not _flag(call.args, "--dry-run", "-d") else [])


@_program("release-please")
def _h_release_please(call: _Call) -> list[Finding]:
    pos = _positionals(call.args)
    if pos[:1] in (["release-pr"], ["github-release"], ["manifest-pr"], ["manifest-release"]) and not _flag(call.args, "--dry-run"):
        return [call.f("release", "release-please"), call.f("release-notes", "release-please")]
    return []


@_program("changeset", "changesets")
def _h_changeset(call: _Call) -> list[Finding]:
    pos = _positionals(call.args)
    if pos[:1] == ["version"]:
        return [call.f("release", "changesets", "changeset version"), call.f("release-notes", "changesets")]
    if pos[:1] == ["publish"]:
        return [call.f("release", "changesets", "changeset publish"), call.f("publish", "npm", "changeset publish"),
                call.f("release-notes", "changesets")]
    return []


@_program("gh")
def _h_gh(call: _Call) -> list[Finding]:
    a = call.args
    pos = _positionals(a, {"-R", "--repo", "-t", "--title", "-n", "--notes", "-F", "--notes-file", "--target",
                           "--discussion-category", "--notes-start-tag", "-d"})
    if pos[:2] == ["release", "create"]:
        out = [call.f("release", "github-release", "gh release create")]
        if len(pos) > 3:
            out.append(call.f("publish", "github-release", "release assets"))
        else:
            out.append(call.f("publish", "github-release"))
        if _flag(a, "--generate-notes"):
            out.append(call.f("release-notes", "github-release", "--generate-notes"))
        return out
    if pos[:2] == ["release", "upload"]:
        return [call.f("publish", "github-release", "gh release upload"), call.f("release", "github-release")]
    return []


@_program("hub")
def _h_hub(call: _Call) -> list[Finding]:
    pos = _positionals(call.args, {"-m", "--message", "-F", "--file", "-a", "--attach", "-t", "--commitish"})
    if pos[:2] == ["release", "create"]:
        return [call.f("release", "github-release", "hub release create"), call.f("publish", "github-release")]
    return []


_register(("ghr",), _simple(("release", "github-release"), ("publish", "github-release")))
_register(("github-release",), lambda call: [call.f("release", "github-release"), call.f("publish", "github-release")]
          if _positionals(call.args)[:1] in (["release"], ["upload"]) else [])


@_program("glab")
def _h_glab(call: _Call) -> list[Finding]:
    pos = _positionals(call.args, {"-R", "--repo", "-n", "--name", "-N", "--notes", "-F", "--notes-file", "-r", "--ref"})
    if pos[:2] == ["release", "create"]:
        return [call.f("release", "gitlab-release", "glab release create")]
    if pos[:2] == ["release", "upload"]:
        return [call.f("publish", "gitlab-release")]
    return []


@_program("release-cli")
def _h_release_cli(call: _Call) -> list[Finding]:
    return [call.f("release", "gitlab-release", "release-cli create")] if "create" in _positionals(call.args, {
        "--name", "--description", "--tag-name", "--ref", "--assets-link", "--milestone", "--released-at",
        "--server-url", "--job-token", "--project-id"}) else []


# ----- package publishing --------------------------------------------------------------------------------

_register(("vsce",), lambda call: [call.f("publish", "vscode-marketplace")] if _positionals(call.args)[:1] == ["publish"] else [])
_register(("ovsx",), lambda call: [call.f("publish", "open-vsx")] if _positionals(call.args)[:1] == ["publish"] else [])
_register(("snapcraft",), lambda call: [call.f("publish", "snapcraft")]
          if _positionals(call.args)[:1] in (["upload"], ["push"], ["release"]) else [])
_register(("anaconda",), lambda call: [call.f("publish", "anaconda")] if "upload" in _positionals(call.args, {"-t", "--token", "-u", "--user"})[:1] else [])
_register(("conda",), lambda call: [call.f("publish", "anaconda")] if _positionals(call.args)[:1] == ["upload"] else
          ([call.f("build", "conda")] if _positionals(call.args)[:1] == ["build"] else []))
_register(("appcenter",), lambda call: [call.f("publish", "appcenter")]
          if _positionals(call.args)[:2] == ["distribute", "release"] else [])


@_program("jfrog", "jf")
def _h_jfrog(call: _Call) -> list[Finding]:
    pos = _positionals(call.args)
    if pos[:1] == ["rt"]:
        pos = pos[1:]
    if pos[:1] and pos[0] in ("u", "upload", "bp", "build-publish", "dp", "docker-push", "npm-publish", "npmp",
                              "gp", "gradle-publish", "mvn"):
        return [call.f("publish", "artifactory", f"jfrog {pos[0]}")]
    if pos[:2] in (["npm", "publish"], ["docker", "push"], ["mvn", "deploy"]):
        return [call.f("publish", "artifactory", "jfrog " + " ".join(pos[:2]))]
    if pos[:2] in (["audit"], ["scan"]) or pos[:1] in (["audit"], ["scan"]):
        return [call.f("security-scan", "jfrog-xray")]
    return []


@_program("cr", "chart-releaser")
def _h_chart_releaser(call: _Call) -> list[Finding]:
    return [call.f("publish", "helm", "chart-releaser")] if _positionals(call.args)[:1] in (["upload"], ["index"]) else []


# ----- databases: migrations ------------------------------------------------------------------------------

@_program("flyway")
def _h_flyway(call: _Call) -> list[Finding]:
    pos = [p for p in _positionals(call.args) if not p.startswith("-")]
    if "migrate" in pos:
        return [call.f("migrate", "flyway")]
    if "undo" in pos:
        return [call.f("migrate-rollback", "flyway")]
    return []


@_program("liquibase", "lb")
def _h_liquibase(call: _Call) -> list[Finding]:
    pos = [p for p in _positionals(call.args, {"--changelog-file", "--changeLogFile", "--url", "--username",
                                              "--password", "--defaults-file", "--search-path", "--contexts",
                                              "--label-filter"}) if not p.startswith("-")]
    if not pos:
        return []
    if pos[0] in ("update", "update-count", "update-to-tag", "updateCount", "updateToTag"):
        return [call.f("migrate", "liquibase")]
    if pos[0].lower().startswith("rollback") or pos[0] in ("update-testing-rollback", "updateTestingRollback"):
        out = [call.f("migrate-rollback", "liquibase")]
        if pos[0].lower().startswith("update"):
            out.insert(0, call.f("migrate", "liquibase"))
        return out
    return []


@_program("migrate")
def _h_golang_migrate(call: _Call) -> list[Finding]:
    a = call.args
    if not _flag(a, "-path", "--path", "-source", "--source", "-database", "--database"):
        return []
    pos = _positionals(a, {"-path", "--path", "-source", "--source", "-database", "--database", "-lock-timeout",
                           "-prefetch"})
    if pos[:1] == ["up"] or pos[:1] == ["goto"]:
        return [call.f("migrate", "golang-migrate")]
    if pos[:1] == ["down"]:
        return [call.f("migrate-rollback", "golang-migrate")]
    return []


@_program("goose")
def _h_goose(call: _Call) -> list[Finding]:
    pos = _positionals(call.args, {"-dir", "--dir", "-table", "-certfile", "-ssl-cert", "-ssl-key", "-s"})
    for p in pos[:4]:
        if p in ("up", "up-by-one", "up-to"):
            return [call.f("migrate", "goose")]
        if p in ("down", "down-to", "redo", "reset"):
            out = [call.f("migrate-rollback", "goose")]
            if p == "redo":
                out.insert(0, call.f("migrate", "goose"))
            return out
    return []


@_program("atlas")
def _h_atlas(call: _Call) -> list[Finding]:
    pos = _positionals(call.args, {"-u", "--url", "--dir", "--env", "--to", "--dev-url", "--revisions-schema",
                                   "--baseline", "--tx-mode", "--var", "--config", "-c"})
    if pos[:2] in (["migrate", "apply"], ["schema", "apply"]):
        return [call.f("migrate", "atlas")] if not _flag(call.args, "--dry-run") else []
    if pos[:2] == ["migrate", "down"]:
        return [call.f("migrate-rollback", "atlas")]
    if pos[:2] == ["migrate", "lint"]:
        return [call.f("lint", "atlas")]
    return []


@_program("dbmate")
def _h_dbmate(call: _Call) -> list[Finding]:
    pos = _positionals(call.args, {"-u", "--url", "-d", "--migrations-dir", "-s", "--schema-file", "-e", "--env",
                                   "--migrations-table", "--wait-timeout"})
    if pos[:1] in (["up"], ["migrate"]):
        return [call.f("migrate", "dbmate")]
    if pos[:1] in (["rollback"], ["down"]):
        return [call.f("migrate-rollback", "dbmate")]
    return []


@_program("sqitch")
def _h_sqitch(call: _Call) -> list[Finding]:
    pos = _positionals(call.args, {"-t", "--target", "--to", "--to-change", "--mode", "-C", "--chdir", "--plan-file"})
    if pos[:1] in (["deploy"], ["rebase"], ["checkout"]):
        out = [call.f("migrate", "sqitch")]
        if pos[0] in ("rebase", "checkout"):
            out.append(call.f("migrate-rollback", "sqitch"))
        return out
    if pos[:1] == ["revert"]:
        return [call.f("migrate-rollback", "sqitch")]
    return []


@_program("prisma")
def _h_prisma(call: _Call) -> list[Finding]:
    pos = _positionals(call.args, {"--schema", "--name", "-n"})
    if pos[:2] in (["migrate", "deploy"], ["migrate", "dev"], ["migrate", "reset"]):
        return [call.f("migrate", "prisma", "prisma " + " ".join(pos[:2]))]
    if pos[:2] == ["migrate", "diff"] and _flag(call.args, "--exit-code"):
        return [call.f("lint", "prisma")]
    return []


@_program("knex")
def _h_knex(call: _Call) -> list[Finding]:
    pos = _positionals(call.args, {"--knexfile", "--env", "--cwd", "--specific", "--migrations-directory"})
    if pos[:1] in (["migrate:latest"], ["migrate:up"], ["migrate"]):
        return [call.f("migrate", "knex")]
    if pos[:1] in (["migrate:rollback"], ["migrate:down"]):
        return [call.f("migrate-rollback", "knex")]
    return []


@_program("sequelize", "sequelize-cli")
def _h_sequelize(call: _Call) -> list[Finding]:
    pos = _positionals(call.args, {"--env", "--config", "--migrations-path", "--url", "--options-path", "--to", "--name"})
    if pos[:1] == ["db:migrate"]:
        return [call.f("migrate", "sequelize")]
    if pos[:1] and pos[0].startswith("db:migrate:undo"):
        return [call.f("migrate-rollback", "sequelize")]
    return []


@_program("typeorm", "typeorm-ts-node-commonjs", "typeorm-ts-node-esm")
def _h_typeorm(call: _Call) -> list[Finding]:
    pos = _positionals(call.args, {"-d", "--dataSource", "-f", "--config", "-c", "--connection", "-t", "--transaction"})
    if pos[:1] == ["migration:run"]:
        return [call.f("migrate", "typeorm")]
    if pos[:1] == ["migration:revert"]:
        return [call.f("migrate-rollback", "typeorm")]
    return []


@_program("mikro-orm", "mikro-orm-esm")
def _h_mikro(call: _Call) -> list[Finding]:
    pos = _positionals(call.args)
    if pos[:1] in (["migration:up"], ["migration:fresh"]):
        return [call.f("migrate", "mikro-orm")]
    if pos[:1] == ["migration:down"]:
        return [call.f("migrate-rollback", "mikro-orm")]
    return []


@_program("drizzle-kit")
def _h_drizzle(call: _Call) -> list[Finding]:
    pos = _positionals(call.args, {"--config"})
    if pos[:1] in (["migrate"],):
        return [call.f("migrate", "drizzle")]
    if pos[:1] == ["check"]:
        return [call.f("lint", "drizzle")]
    return []


def _up_down(tool: str, up: tuple[str, ...] = ("up",), down: tuple[str, ...] = ("down",),
             valued: Iterable[str] = ()) -> Handler:
    vs = set(valued)

    def handler(call: _Call) -> list[Finding]:
        pos = _positionals(call.args, vs)
        if pos[:1] and pos[0] in up:
            return [call.f("migrate", tool)]
        if pos[:1] and pos[0] in down:
            return [call.f("migrate-rollback", tool)]
        return []
    return handler


_register(("node-pg-migrate",), _up_down("node-pg-migrate", valued={"-m", "--migrations-dir", "-d", "--database-url-var",
                                                                     "-f", "--config-file", "-j"}))
_register(("db-migrate",), _up_down("db-migrate", ("up",), ("down", "reset"), {"-e", "--env", "--config",
                                                                              "--migrations-dir", "-m"}))
_register(("migrate-mongo",), _up_down("migrate-mongo", valued={"-f", "--file"}))
_register(("graphile-migrate",), _up_down("graphile-migrate", ("migrate", "reset"), ("uncommit",)))
_register(("tern",), _up_down("tern", ("migrate",), (), {"-m", "--migrations", "-c", "--config", "-d", "--destination"}))
_register(("soda",), _up_down("soda", ("migrate",), (), {"-e", "--env", "-c", "--config", "-p", "--path"}))
_register(("refinery",), _up_down("refinery", ("migrate",), (), {"-c", "--config", "-p", "--path"}))
_register(("shmig",), _up_down("shmig", ("migrate", "up"), ("rollback", "down"), {"-t", "-d", "-m", "-c"}))


# ----- remote hosts, HTTP calls -------------------------------------------------------------------------

_REMOTE_SPEC = re.compile(r"^(?:[\w.$-]+@)?[\w.${}-]+:(?!//)")


@_program("ssh")
def _h_ssh(call: _Call) -> list[Finding]:
    valued = {"-i", "-p", "-o", "-l", "-F", "-J", "-L", "-R", "-D", "-E", "-S", "-W", "-b", "-c", "-e", "-m", "-O",
              "-Q", "-w", "-B", "-I"}
    pos = _positionals(call.args, valued)
    if not pos:
        return []
    remote_cmd = pos[1:]
    if remote_cmd:
        text = remote_cmd[0] if len(remote_cmd) == 1 else " ".join(remote_cmd)
        return call.text(text, remote=True)
    body = call.env.get("__heredoc__")
    return call.text(body, remote=True) if body else []


_SIMPLE_WRAPPERS["sshpass"] = frozenset({"-p", "-f", "-d", "-P"})


@_program("rsync", "scp", "sftp", "lftp")
def _h_copy_to_host(call: _Call) -> list[Finding]:
    if not call.ctx.deploy_named or call.ctx.remote:
        return []
    pos = _positionals(call.args, {"-e", "--rsh", "-i", "-P", "-o", "-F", "--exclude", "--include", "--exclude-from",
                                   "--filter", "-f", "--chmod", "--chown", "--rsync-path", "--password-file", "--port",
                                   "-J", "-c", "-u", "-p"})
    if len(pos) >= 2 and _REMOTE_SPEC.match(pos[-1]) and not _REMOTE_SPEC.match(pos[0]):
        return [call.f("deploy", call.prog, "copy to a host in a deploy-named job or script")]
    return []


_NOTIFY_URLS = (
    (re.compile(r"hooks\.slack\.com|slack\.com/api/chat\.postMessage"), "slack"),
    (re.compile(r"\.webhook\.office\.com|outlook\.office(?:365)?\.com/webhook|logic\.azure\.com[^ ]*workflows"), "teams"),
    (re.compile(r"discord(?:app)?\.com/api/webhooks"), "discord"),
    (re.compile(r"chat\.googleapis\.com"), "google-chat"),
    (re.compile(r"api\.telegram\.org/bot"), "telegram"),
    (re.compile(r"/hooks/[a-z0-9]{20,}|mattermost"), "mattermost"),
)
_NOTIFY_VARS = re.compile(r"\$\{?\{?(?:secrets\.|env\.)?\w*(SLACK|TEAMS|DISCORD|MATTERMOST|GOOGLE_CHAT|GCHAT|ROCKETCHAT)\w*"
                          r"(?:WEBHOOK|HOOK|URL)\w*", re.IGNORECASE)


_DEPLOY_HOOKS = (
    (re.compile(r"api\.netlify\.com/build_hooks/"), "netlify"),
    (re.compile(r"api\.vercel\.com/v\d+/integrations/deploy/"), "vercel"),
    (re.compile(r"api\.render\.com/deploy/"), "render"),
    (re.compile(r"pages/webhooks/deploy_hooks/"), "cloudflare-pages"),
    (re.compile(r"\$\{?[A-Z0-9_]*(?:DEPLOY_HOOK|BUILD_HOOK|DEPLOYHOOK|BUILDHOOK)[A-Z0-9_]*\}?"), "deploy-hook"),
)
"""Deploy hooks: a request to one makes the hosting service build and deploy the site."""


@_program("curl", "wget", "http", "https", "xh", "invoke-restmethod", "invoke-webrequest")
def _h_http(call: _Call) -> list[Finding]:
    text = " ".join(call.args)
    if re.search(r"codecov\.io/bash", text) and any(_prog_name(sm.words[0]) in ("bash", "sh") for sm in call.pipe_neighbours() if sm.words):
        return [call.f("coverage", "codecov"), call.f("coverage-report", "codecov", "codecov bash uploader")]
    for rx, svc in _NOTIFY_URLS:
        if rx.search(text):
            return [call.f("notify", svc, "webhook")]
    for rx, svc in _DEPLOY_HOOKS:
        if rx.search(text):
            return [call.f("deploy", svc, "deploy hook")]
    m = _NOTIFY_VARS.search(text)
    if m:
        svc = {"TEAMS": "teams", "DISCORD": "discord", "MATTERMOST": "mattermost", "GOOGLE_CHAT": "google-chat",
               "GCHAT": "google-chat", "ROCKETCHAT": "rocketchat"}.get(m.group(1).upper(), "slack")
        return [call.f("notify", svc, "webhook")]
    return []


@_program("slack-notify", "slack-cli", "slackcat", "apprise", "teams-notify")
def _h_notify_cli(call: _Call) -> list[Finding]:
    return [call.f("notify", "slack" if "slack" in call.prog else call.prog)]


@_program("sendmail", "mailx", "msmtp")
def _h_mail(call: _Call) -> list[Finding]:
    return [call.f("notify", "email")] if call.args else []


@_program("mail")
def _h_mail_cmd(call: _Call) -> list[Finding]:
    return [call.f("notify", "email")] if _flag(call.args, "-s") else []


# =================================================================================================
# Actions (GitHub `uses:`, CircleCI orbs, Bitbucket pipes, Drone plugins, Azure tasks)
# =================================================================================================

def _inputs(command: Command) -> dict[str, str]:
    return {k.lower().replace("-", "_"): v for k, v in command.inputs}


def _inp(inputs: dict[str, str], *names: str) -> str | None:
    for nm in names:
        v = inputs.get(nm.lower().replace("-", "_"))
        if v is not None:
            return v
    return None


def _pseudo_call(clf: CommandClassifier, ctx: _Ctx, label: str) -> _Call:
    return _Call(clf, ctx, {}, label, label, _TextState(cwd=ctx.cwd), None)


def _split_args(text: str | None) -> list[str]:
    if not text:
        return []
    try:
        return shlex.split(text)
    except ValueError:
        return text.split()


_ActionFn = Callable[[_Call, dict[str, str]], list[Finding]]
_ACTION_SPECIAL: dict[str, _ActionFn] = {}


def _action(*names: str) -> Callable[[_ActionFn], _ActionFn]:
    def deco(fn: _ActionFn) -> _ActionFn:
        for nm in names:
            _ACTION_SPECIAL[nm] = fn
        return fn
    return deco


def _action_key(text: str) -> str:
    name = text.strip().split("@", 1)[0].strip().lower().rstrip("/")
    for prefix in ("docker.io/", "index.docker.io/", "registry.hub.docker.com/"):
        name = name.removeprefix(prefix)
    last = name.rsplit("/", 1)[-1]
    if ":" in last:
        name = name[: len(name) - len(last)] + last.split(":", 1)[0]
    return name


def _classify_action(clf: CommandClassifier, command: Command, ctx: _Ctx) -> list[Finding]:
    text = command.text.strip()
    inputs = _inputs(command)
    call = _pseudo_call(clf, ctx, _clip(text))
    marker = _marker(call, text, inputs)
    if marker is not None:
        return marker
    m = re.match(r"^([A-Za-z][\w.-]*)@(\d+)$", text)
    if m and "/" not in text:
        return _azure_task(call, m.group(1).lower(), inputs)
    if text.startswith(("./", ".\\")):
        return _local_action(call, text.split("@", 1)[0], inputs)
    if text.startswith("docker://"):
        prog = _tool_image(text[len("docker://"):])
        if not prog:
            return []
        args = _split_args(_inp(inputs, "args"))
        return call.redo([prog, *args])
    key = _action_key(text)
    found: list[Finding] = []
    remote = _REMOTE_WORKFLOW.match(key)
    if remote:
        return _remote_workflow(call, remote.group(1))
    special = _ACTION_SPECIAL.get(key) or _ACTION_SPECIAL.get("/".join(key.split("/")[:2]))
    if special is not None:
        found = special(call, inputs)
    else:
        pairs = _lookup_action(key, "@" in text)
        if pairs:
            found = call.fs(pairs)
        elif key.rsplit("/", 1)[-1] in ("pre-commit", "precommit", "pre-commit-action"):
            # Third-party wrappers of pre-commit (e.g. a composite action `org/actions/pre-commit`)
            # run the repository's own .pre-commit-config.yaml.
            found = call.redo(["pre-commit", "run", "--all-files"])
        elif pairs is None and _tool_image(text) and _inp(inputs, "args") is not None:
            found = call.redo([_tool_image(text) or "", *_split_args(_inp(inputs, "args"))])  # a container step
    if found and any(f.category == "deploy" or (f.category == "publish" and f.tool != "ci-artifact") for f in found) \
            and not any(f.category == "commit-traceable" for f in found):
        hit = next((k for k, v in inputs.items() if k not in ("ref", "repository", "token", "github_token")
                    and _COMMIT_REF.search(v)), None)
        if hit:
            tool = next(f.tool for f in found if f.category in ("deploy", "publish"))
            found.append(call.f("commit-traceable", tool, f"input {hit} carries the commit"))
    return found


_REMOTE_WORKFLOW = re.compile(r"^[^/\s]+/[^/\s]+/\.github/workflows/([^/\s]+?)\.ya?ml$")
_REUSABLE_WORKFLOWS = tuple((re.compile(rx), pairs) for rx, pairs in REUSABLE_WORKFLOWS)


def _remote_workflow(call: _Call, stem: str) -> list[Finding]:
    """A reusable workflow of another repository: what its file name says it does, or else what the
    calling job's name says (a job `tests` calling `org/workflows/.github/workflows/laravel.yml`)."""
    for rx, pairs in _REUSABLE_WORKFLOWS:
        if rx.search(stem):
            return [call.f(c, t, f"reusable workflow {stem}") for c, t in pairs]
    if call.ctx.scope:
        judged = call.clf._fallback(call, call.ctx.scope, "reusable-workflow", f"reusable workflow {stem} of another repository")
        return [f for f in judged if f.category != "build"]
    return []


def _lookup_action(key: str, github: bool) -> Pairs | None:
    if key in ACTIONS:
        return ACTIONS[key]
    parts = key.split("/")
    if len(parts) > 2 and "/".join(parts[:2]) in ACTIONS:  # `owner/repo/sub-action` of a one-purpose repository
        return ACTIONS["/".join(parts[:2])]
    for prefix in sorted(ACTION_PREFIXES, key=len, reverse=True):
        if key.startswith(prefix):
            return ACTION_PREFIXES[prefix]
    if not github and len(parts) == 2:
        cmd = parts[1].replace("_", "-")
        if cmd in ORB_COMMANDS:
            return ORB_COMMANDS[cmd]
        if _ORB_DEPLOY.match(cmd):
            # An orb's `deploy`, `deploy-production`, `helm-deploy` job or command: the orb exists to deploy.
            return (("deploy", parts[0]),)
    return None


_ORB_DEPLOY = re.compile(r"^(?:deploy|rollout|promote)(?:-(?!(?:check|status|notify|notification|lock|unlock|plan|preview|dry-run|diff|validate)\b).+)?$|^[a-z0-9-]+-deploy$")


def _local_action(call: _Call, path: str, inputs: dict[str, str]) -> list[Finding]:
    clf = call.clf
    base = _norm_path("", path)
    if base is None:
        return []
    action_file = clf._find(base, "action.yml", "action.yaml")
    data = clf._yaml(action_file) if action_file else None
    if not isinstance(data, dict):
        return []
    runs = data.get("runs") if isinstance(data.get("runs"), dict) else {}
    ctx = clf._enter(call, ("action", action_file), posixpath.basename(base))
    if ctx is None:
        return []
    out: list[Finding] = []
    for k, step in enumerate(runs.get("steps") or []):
        if not isinstance(step, dict):
            continue
        if isinstance(step.get("run"), str):
            out += clf._text(step["run"], ctx, _Loc(f"{action_file} runs.steps[{k}]"))
        elif isinstance(step.get("uses"), str):
            with_ = step.get("with") if isinstance(step.get("with"), dict) else {}
            sub = Command(step["uses"], 0, "action", tuple((str(a), str(b)) for a, b in with_.items()))
            sub_ctx = replace(ctx, chain=(*ctx.chain, f"{action_file} runs.steps[{k}]"))
            out += _classify_action(clf, sub, sub_ctx)
    return out


@_action("docker/build-push-action", "docker/bake-action", "redhat-actions/buildah-build")
def _a_build_push(call: _Call, inputs: dict[str, str]) -> list[Finding]:
    if call.label.lower().startswith("redhat-actions/buildah-build"):
        return [call.f("build", "buildah")]
    push = _inp(inputs, "push")
    outputs = _inp(inputs, "outputs") or ""
    tags = (_inp(inputs, "tags") or "") + " " + (_inp(inputs, "set") or "")
    labels = (_inp(inputs, "labels") or "") + " " + (_inp(inputs, "annotations") or "")
    out: list[Finding] = []
    if _truthy(push) or "push=true" in outputs or "type=registry" in outputs:
        out.append(call.f("publish", "docker", "push: true"))
    elif _is_expr(push):
        out.append(call.f("publish", "docker", f"conditional: push: {push.strip()}"))
    else:
        return [call.f("build", "docker", "push: false" if push is not None else "no push")]
    if _COMMIT_REF.search(tags) or _COMMIT_REF.search(labels):
        out.append(call.f("commit-traceable", "docker", "image tag or label carries the commit"))
    elif re.search(r"outputs\.(?:labels|annotations)", labels):
        out.append(call.f("commit-traceable", "metadata-action", "labels from docker/metadata-action carry the revision"))
    return out


@_action("node/run", "node/test")
def _a_circleci_node(call: _Call, inputs: dict[str, str]) -> list[Finding]:
    """The circleci/node orb's `run` job (`npm-run:` / `yarn-run:` / `pnpm-run:` a package script) and `test` job."""
    if call.label.lower().startswith("node/test"):
        script = _inp(inputs, "run-command") or "test"
        manager = (_inp(inputs, "pkg-manager") or "npm").strip()
        return call.redo([manager if manager in ("npm", "yarn", "pnpm") else "npm", "run", script])
    for key, manager in (("npm-run", "npm"), ("yarn-run", "yarn"), ("pnpm-run", "pnpm"), ("bun-run", "bun")):
        script = _inp(inputs, key)
        if script:
            return call.redo([manager, "run", *_split_args(script)])
    return []


@_action("softprops/action-gh-release")
def _a_gh_release(call: _Call, inputs: dict[str, str]) -> list[Finding]:
    out = [call.f("release", "github-release"), call.f("publish", "github-release")]
    if _truthy(_inp(inputs, "generate_release_notes")):
        out.append(call.f("release-notes", "github-release", "generate_release_notes: true"))
    return out


@_action("ncipollo/release-action")
def _a_ncipollo(call: _Call, inputs: dict[str, str]) -> list[Finding]:
    out = [call.f("release", "github-release"), call.f("publish", "github-release")]
    if _truthy(_inp(inputs, "generateReleaseNotes", "generatereleasenotes")):
        out.append(call.f("release-notes", "github-release", "generateReleaseNotes: true"))
    return out


@_action("release-drafter/release-drafter", "toolmantim/release-drafter")
def _a_release_drafter(call: _Call, inputs: dict[str, str]) -> list[Finding]:
    out = [call.f("release-notes", "release-drafter")]
    if _truthy(_inp(inputs, "publish")):
        out.append(call.f("release", "release-drafter", "publish: true"))
    return out


@_action("changesets/action")
def _a_changesets(call: _Call, inputs: dict[str, str]) -> list[Finding]:
    out = [call.f("release", "changesets"), call.f("release-notes", "changesets")]
    if _inp(inputs, "publish"):
        out.append(call.f("publish", "npm", "changesets publish"))
    return out


@_action("release-plz/action", "marcoieni/release-plz-action")
def _a_release_plz(call: _Call, inputs: dict[str, str]) -> list[Finding]:
    command = (_inp(inputs, "command") or "").strip()
    if _truthy(_inp(inputs, "dry_run", "dry-run")):
        return []
    if command in ("release", "release-pr"):
        return call.redo(["release-plz", command])
    return call.redo(["release-plz", "release-pr"]) + call.redo(["release-plz", "release"])  # no command: both


@_action("goreleaser/goreleaser-action")
def _a_goreleaser(call: _Call, inputs: dict[str, str]) -> list[Finding]:
    if _truthy(_inp(inputs, "install_only")):
        return []
    args = _split_args(_inp(inputs, "args")) or ["release"]
    return call.redo(["goreleaser", *args])


@_action("cypress-io/github-action")
def _a_cypress(call: _Call, inputs: dict[str, str]) -> list[Finding]:
    if (_inp(inputs, "runTests", "runtests") or "").strip().lower() == "false" or _truthy(_inp(inputs, "install_only")):
        return []
    if _truthy(_inp(inputs, "component")):
        return [call.f("test", "cypress", "component tests")]
    return [call.f("e2e-test", "cypress")]


@_action("astral-sh/ruff-action")
def _a_ruff(call: _Call, inputs: dict[str, str]) -> list[Finding]:
    return call.redo(["ruff", *(_split_args(_inp(inputs, "args")) or ["check"])])


@_action("psf/black")
def _a_black(call: _Call, inputs: dict[str, str]) -> list[Finding]:
    opts = _inp(inputs, "options")
    return call.redo(["black", *(_split_args(opts) if opts is not None else ["--check", "--diff"])])


@_action("pre-commit/action", "pre-commit-ci/lite-action")
def _a_pre_commit(call: _Call, inputs: dict[str, str]) -> list[Finding]:
    if call.label.lower().startswith("pre-commit-ci/lite-action"):
        return []
    return call.redo(["pre-commit", "run", *(_split_args(_inp(inputs, "extra_args")) or ["--all-files"])])


@_action("actions-rs/cargo")
def _a_rs_cargo(call: _Call, inputs: dict[str, str]) -> list[Finding]:
    cmd = _inp(inputs, "command")
    if not cmd:
        return []
    words = ["cargo", cmd, *_split_args(_inp(inputs, "args"))]
    if _truthy(_inp(inputs, "use_cross", "use-cross")):
        words[0] = "cross"
    return call.redo(words)


@_action("actions-rs/tarpaulin")
def _a_tarpaulin(call: _Call, inputs: dict[str, str]) -> list[Finding]:
    return call.redo(["cargo", "tarpaulin", *_split_args(_inp(inputs, "args"))])


def _script_input(*names: str, remote: bool = False) -> _ActionFn:
    def fn(call: _Call, inputs: dict[str, str]) -> list[Finding]:
        text = _inp(inputs, *names)
        return call.text(text, remote=remote) if text else []
    return fn


_action("reactivecircus/android-emulator-runner")(_script_input("script"))
_action("gabrielbb/xvfb-action", "coactions/setup-xvfb")(_script_input("run"))
_action("nick-fields/retry", "nick-invision/retry", "wandalen/wretry.action")(_script_input("command"))
_action("uraimo/run-on-arch-action")(_script_input("run"))
_action("azure/cli", "azure/powershell")(_script_input("inlinescript", "inline_script"))
_action("appleboy/ssh-action", "appleboy/drone-ssh", "garygrossgarten/github-action-ssh", "fifsky/ssh-action",
        "cross-the-world/ssh-pipeline")(_script_input("script", "command", "commands", remote=True))
_action("atlassian/ssh-run")(_script_input("command", remote=True))
_action("atlassian/kubectl-run", "atlassian/aws-eks-kubectl-run", "atlassian/google-gke-kubectl-run",
        "atlassian/azure-aks-kubectl-run")(
    lambda call, inputs: call.redo(["kubectl", *_split_args(_inp(inputs, "kubectl_command"))])
    if _inp(inputs, "kubectl_command") else [call.f("deploy", "kubernetes", "kubectl pipe")])


@_action("addnab/docker-run-action")
def _a_docker_run(call: _Call, inputs: dict[str, str]) -> list[Finding]:
    run = _inp(inputs, "run")
    if run:
        out = call.text(run)
        if out:
            return out
    prog = _tool_image(_inp(inputs, "image") or "")
    return call.redo([prog, *_split_args(run)]) if prog else []


@_action("azure/k8s-deploy")
def _a_k8s_deploy(call: _Call, inputs: dict[str, str]) -> list[Finding]:
    action = (_inp(inputs, "action") or "deploy").strip().lower()
    return [call.f("deploy", "kubernetes", f"action: {action}")] if action in ("deploy", "promote") else []


@_action("azure/static-web-apps-deploy")
def _a_swa(call: _Call, inputs: dict[str, str]) -> list[Finding]:
    return [] if (_inp(inputs, "action") or "upload").strip().lower() == "close" else [call.f("deploy", "azure-static-web-apps")]


@_action("superfly/flyctl-actions")
def _a_flyctl(call: _Call, inputs: dict[str, str]) -> list[Finding]:
    if call.label.lower().startswith("superfly/flyctl-actions/setup-flyctl"):
        return []
    return call.redo(["flyctl", *_split_args(_inp(inputs, "args"))])


@_action("amondnet/vercel-action")
def _a_vercel(call: _Call, inputs: dict[str, str]) -> list[Finding]:
    return call.redo(["vercel", *_split_args(_inp(inputs, "vercel_args"))])


@_action("nwtgck/actions-netlify")
def _a_netlify(call: _Call, inputs: dict[str, str]) -> list[Finding]:
    prod = _inp(inputs, "production_deploy")
    if _truthy(prod):
        return [call.f("deploy", "netlify", "production-deploy: true")]
    if _is_expr(prod):
        return [call.f("deploy", "netlify", f"conditional: production-deploy: {prod}")]
    return []


@_action("netlify/actions")
def _a_netlify_cli(call: _Call, inputs: dict[str, str]) -> list[Finding]:
    return call.redo(["netlify", *_split_args(_inp(inputs, "args"))])


@_action("firebaseextended/action-hosting-deploy")
def _a_firebase_hosting(call: _Call, inputs: dict[str, str]) -> list[Finding]:
    channel = (_inp(inputs, "channelid", "channel_id") or "").strip().strip("'\"")
    if channel == "live":
        return [call.f("deploy", "firebase", "channelId: live")]
    return []


@_action("w9jds/firebase-action")
def _a_firebase(call: _Call, inputs: dict[str, str]) -> list[Finding]:
    return call.redo(["firebase", *_split_args(_inp(inputs, "args"))])


@_action("cloudflare/wrangler-action")
def _a_wrangler(call: _Call, inputs: dict[str, str]) -> list[Finding]:
    cmd = _inp(inputs, "command")
    if cmd:
        return call.redo(["wrangler", *_split_args(cmd)])
    return [call.f("deploy", "cloudflare-workers", "wrangler deploy")]


@_action("pulumi/actions")
def _a_pulumi(call: _Call, inputs: dict[str, str]) -> list[Finding]:
    cmd = (_inp(inputs, "command") or "").strip()
    return [call.f("deploy", "pulumi", f"command: {cmd}"), call.f("provision", "pulumi")] if cmd in ("up", "update") else []


@_action("hashicorp/tfc-workflows-github")
def _a_tfc(call: _Call, inputs: dict[str, str]) -> list[Finding]:
    if "apply-run" in call.label.lower():
        return [call.f("deploy", "terraform", "Terraform Cloud apply"), call.f("provision", "terraform")]
    return []


@_action("clowdhaus/argo-cd-action")
def _a_argocd(call: _Call, inputs: dict[str, str]) -> list[Finding]:
    return call.redo(["argocd", *_split_args(_inp(inputs, "command")), *_split_args(_inp(inputs, "options"))])


@_action("steebchen/kubectl", "actions-hub/kubectl", "danielr1996/kubectl-action", "ameydev/gke-kubectl-action",
         "kodermax/kubectl-aws-eks", "ianbelcher/eks-kubectl-action", "tale/kubectl-action")
def _a_kubectl(call: _Call, inputs: dict[str, str]) -> list[Finding]:
    args = _inp(inputs, "command", "args", "base64_kube_config_cmd")
    if not args:
        return []
    words = _split_args(args)
    return call.redo(words if words[:1] == ["kubectl"] else ["kubectl", *words])


@_action("koslib/helm-eks-action", "wyrihaximus/github-action-helm3", "vimeda/helm")
def _a_helm(call: _Call, inputs: dict[str, str]) -> list[Finding]:
    text = _inp(inputs, "command", "exec")
    if text:
        return call.text(text)
    return [call.f("deploy", "helm")] if call.label.lower().startswith("vimeda/helm") else []


@_action("ad-m/github-push-action")
def _a_git_push(call: _Call, inputs: dict[str, str]) -> list[Finding]:
    return [call.f("deploy", "github-pages", "push to gh-pages")] if (_inp(inputs, "branch") or "").strip() == "gh-pages" else []


@_action("mathieudutour/github-tag-action", "anothrnick/github-tag-action")
def _a_tag(call: _Call, inputs: dict[str, str]) -> list[Finding]:
    if _truthy(_inp(inputs, "dry_run", "dry-run")):
        return []
    out = [call.f("release", "github-tag-action", "version tag cut by automation")]
    if call.label.lower().startswith("mathieudutour"):
        out.append(call.f("release-notes", "github-tag-action", "changelog output"))
    return out


@_action("irongut/codecoveragesummary")
def _a_ccs(call: _Call, inputs: dict[str, str]) -> list[Finding]:
    out = [call.f("coverage-report", "code-coverage-summary")]
    if _truthy(_inp(inputs, "fail_below_min")):
        out.append(call.f("coverage-threshold", "code-coverage-summary", "fail_below_min: true"))
    return out


@_action("5monkeys/cobertura-action")
def _a_cobertura(call: _Call, inputs: dict[str, str]) -> list[Finding]:
    out = [call.f("coverage-report", "cobertura")]
    if _truthy(_inp(inputs, "fail_below_threshold")):
        out.append(call.f("coverage-threshold", "cobertura", "fail_below_threshold: true"))
    return out


def _threshold_input(tool: str, *names: str) -> _ActionFn:
    def fn(call: _Call, inputs: dict[str, str]) -> list[Finding]:
        pairs = _lookup_action(_action_key(call.label), True) or (("coverage-report", tool),)
        out = call.fs(pairs)
        val = _inp(inputs, *names)
        if val and val.strip() not in ("0", "''", '""'):
            out.append(call.f("coverage-threshold", tool, f"{names[0]}: {val.strip()}"))
        return out
    return fn


_action("zgosalvez/github-actions-report-lcov")(_threshold_input("lcov", "minimum_coverage"))
_action("artiomtr/jest-coverage-report-action")(_threshold_input("jest", "threshold"))
_action("orgoro/coverage")(_threshold_input("cobertura", "thresholdall", "thresholdnew"))
_action("cicirello/jacoco-badge-generator")(_threshold_input("jacoco", "fail_if_coverage_less_than"))
_action("madrapps/jacoco-report")(_threshold_input("jacoco", "min-coverage-overall", "min-coverage-changed-files"))


@_action("insightsengineering/coverage-action")
def _a_cov_action(call: _Call, inputs: dict[str, str]) -> list[Finding]:
    out = [call.f("coverage-report", "cobertura")]
    if _truthy(_inp(inputs, "fail")) and _inp(inputs, "threshold"):
        out.append(call.f("coverage-threshold", "cobertura", "fail: true"))
    return out


@_action("plugins/docker", "plugins/docker-buildx", "woodpeckerci/plugin-docker-buildx", "thegeeklab/drone-docker-buildx",
         "woodpeckerci/plugin-kaniko")
def _a_drone_docker(call: _Call, inputs: dict[str, str]) -> list[Finding]:
    if _truthy(_inp(inputs, "dry_run", "dry-run")):
        return [call.f("build", "docker", "dry_run")]
    out = [call.f("publish", "docker", "drone docker plugin")]
    tags = " ".join(_inp(inputs, k) or "" for k in ("tags", "tag", "auto_tag", "tags_file"))
    if _COMMIT_REF.search(tags):
        out.append(call.f("commit-traceable", "docker", "tags carry the commit"))
    return out


@_action("plugins/ansible")
def _a_drone_ansible(call: _Call, inputs: dict[str, str]) -> list[Finding]:
    playbook = _inp(inputs, "playbook")
    return call.redo(["ansible-playbook", playbook]) if playbook else []


# ----- Azure Pipelines tasks ----------------------------------------------------------------------------

def _azure_task(call: _Call, task: str, inputs: dict[str, str]) -> list[Finding]:
    def inp(*names: str, default: str | None = None) -> str | None:
        v = _inp(inputs, *names)
        return default if v is None else v
    if task in ("bash", "cmdline", "shellscript", "powershell", "pwsh", "azurecli", "azurepowershell"):
        script = inp("script", "inlinescript", "inline")
        target = (inp("targettype", "scripttype", default="") or "").lower()
        path = inp("filepath", "scriptpath")
        if path and (target in ("filepath", "") or not script):
            p = _norm_path("", _ROOT_VARS.sub("", path))
            return call.clf._run_script(call, p) if p else []
        return call.text(script) if script else []
    if task == "ssh":
        text = inp("commands", "inline")
        return call.text(text, remote=True) if text else []
    if task == "docker":
        cmd = (inp("command", default="buildAndPush") or "").lower()
        if cmd in ("buildandpush", "push"):
            out = [call.f("publish", "docker", f"Docker task {cmd}")]
            if _COMMIT_REF.search(inp("tags", default="") or ""):
                out.append(call.f("commit-traceable", "docker", "tags carry the commit"))
            return out
        return [call.f("build", "docker")] if cmd == "build" else []
    if task == "dockercompose":
        action = (inp("action", default="") or "").lower()
        if "push" in action:
            return [call.f("publish", "docker-compose")]
        return [call.f("build", "docker-compose")] if "build" in action else []
    if task == "kubernetesmanifest":
        action = (inp("action", default="deploy") or "").lower()
        return [call.f("deploy", "kubernetes", f"KubernetesManifest {action}")] if action in ("deploy", "promote") else []
    if task == "kubernetes":
        cmd = (inp("command", default="") or "").lower()
        return call.redo(["kubectl", cmd, *_split_args(inp("arguments"))]) if cmd else []
    if task == "helmdeploy":
        cmd = (inp("command", default="ls") or "").lower()
        return call.redo(["helm", cmd, *_split_args(inp("arguments"))])
    if task.startswith("terraform"):
        cmd = (inp("command", default="") or "").lower()
        return [call.f("deploy", "terraform", "Terraform task apply"), call.f("provision", "terraform")] if cmd == "apply" else []
    if task == "dotnetcorecli":
        cmd = (inp("command", default="build") or "").lower()
        args = _split_args(inp("arguments"))
        if cmd == "test":
            out = call.redo(["dotnet", "test", *_split_args(inp("projects")), *args])
            if (inp("publishtestresults", default="true") or "").lower() != "false":
                out.append(call.f("test-report", "azure-test-results"))
            return out
        if cmd == "push":
            return [call.f("publish", "nuget")]
        if cmd == "custom":
            return call.redo(["dotnet", *_split_args(inp("custom")), *args])
        return call.redo(["dotnet", cmd, *args]) if cmd in ("build", "publish", "pack") else []
    if task == "nugetcommand":
        return [call.f("publish", "nuget")] if (inp("command", default="") or "").lower() == "push" else []
    if task == "npm":
        cmd = (inp("command", default="install") or "").lower()
        if cmd == "publish":
            return [call.f("publish", "npm")]
        if cmd == "custom":
            d = inp("workingdir")
            sub = replace(call.ctx, cwd=_norm_path("", d) or "") if d else call.ctx
            call.ctx = sub
            call.state.cwd = sub.cwd
            return call.redo(["npm", *_split_args(inp("customcommand"))])
        return []
    if task in ("maven", "gradle"):
        if task == "maven":
            words = ["mvn", *_split_args(inp("goals", default="package")), *_split_args(inp("options"))]
        else:
            words = ["gradle", *_split_args(inp("tasks", default="build")), *_split_args(inp("options"))]
        out = call.redo(words)
        cov = (inp("codecoveragetooloption", default="None") or "").lower()
        if cov in ("jacoco", "cobertura"):
            out.append(call.f("coverage", cov))
        if any(f.category in ("test", "integration-test") for f in out) and \
                (inp("publishjunitresults", default="true") or "").lower() != "false":
            out.append(call.f("test-report", "azure-test-results"))
        for key, tool in (("sonarqubeRunAnalysis", "sonarqube"), ("checkstyleRunAnalysis", "checkstyle"),
                          ("pmdRunAnalysis", "pmd"), ("spotBugsRunAnalysis", "spotbugs"), ("findbugsRunAnalysis", "spotbugs")):
            if _truthy(inp(key)):
                out.append(call.f("lint", tool))
        return out
    if task == "vstest":
        out = [call.f("test", "vstest")]
        if _truthy(inp("codecoverageenabled")):
            out.append(call.f("coverage", "vstest"))
        return out
    if task == "xcode":
        return [call.f("test", "xcodebuild")] if "test" in (inp("actions", default="build") or "") else [call.f("build", "xcodebuild")]
    if task == "githubrelease":
        action = (inp("action", default="create") or "").lower()
        if action not in ("create", "edit"):
            return []
        out = [call.f("release", "github-release"), call.f("publish", "github-release")]
        if (inp("addchangelog", default="true") or "").lower() != "false":
            out.append(call.f("release-notes", "github-release", "addChangeLog"))
        return out
    if task == "universalpackages":
        return [call.f("publish", "azure-artifacts")] if (inp("command", default="") or "").lower() == "publish" else []
    if task == "twineauthenticate":
        return []
    pairs = AZURE_TASKS.get(task)
    return call.fs(pairs) if pairs else []


# =================================================================================================
# Steps: GitLab markers, Travis deploy providers, Jenkins steps
# =================================================================================================

_GITLAB_REPORTS: dict[str, tuple[tuple[str, str], ...]] = {
    "junit": (("test-report", "gitlab-junit"),),
    "coverage_report": (("coverage-report", "gitlab-coverage"),),
    "cobertura": (("coverage-report", "gitlab-coverage"),),
    "codequality": (("lint", "gitlab-code-quality"),),
    "sast": (("security-scan", "gitlab-sast"),),
    "dependency_scanning": (("security-scan", "gitlab-dependency-scanning"),),
    "container_scanning": (("security-scan", "gitlab-container-scanning"),),
    "secret_detection": (("security-scan", "gitlab-secret-detection"),),
    "dast": (("security-scan", "gitlab-dast"),),
    "api_fuzzing": (("security-scan", "gitlab-api-fuzzing"),),
    "coverage_fuzzing": (("security-scan", "gitlab-coverage-fuzzing"),),
    "load_performance": (("performance-test", "gitlab-load-performance"),),
    "browser_performance": (("performance-test", "gitlab-browser-performance"),),
    "performance": (("performance-test", "gitlab-browser-performance"),),
}

_GITLAB_TEMPLATES: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = (
    (r"(?:^|/)sast-iac(?:\.latest)?$", (("security-scan", "gitlab-sast-iac"),)),
    (r"(?:^|/)sast(?:\.latest)?$", (("security-scan", "gitlab-sast"),)),
    (r"(?:^|/)dependency-scanning(?:\.latest)?$", (("security-scan", "gitlab-dependency-scanning"),)),
    (r"(?:^|/)container-scanning(?:\.latest)?$", (("security-scan", "gitlab-container-scanning"),)),
    (r"(?:^|/)secret-detection(?:\.latest)?$", (("security-scan", "gitlab-secret-detection"),)),
    (r"(?:^|/)dast-api(?:\.latest)?$", (("security-scan", "gitlab-dast-api"),)),
    (r"(?:^|/)dast(?:\.latest|-on-demand-scan|-on-demand-api-scan)?$", (("security-scan", "gitlab-dast"),)),
    (r"(?:^|/)api-fuzzing(?:\.latest)?$", (("security-scan", "gitlab-api-fuzzing"),)),
    (r"(?:^|/)coverage-fuzzing(?:\.latest)?$", (("security-scan", "gitlab-coverage-fuzzing"),)),
    (r"(?:^|/)code-quality$", (("lint", "gitlab-code-quality"),)),
    (r"(?:^|/)load-performance-testing$", (("performance-test", "gitlab-load-performance"),)),
    (r"(?:^|/)browser-performance(?:-testing)?$", (("performance-test", "gitlab-browser-performance"),)),
    (r"^auto-devops$", (("test", "gitlab-auto-devops"), ("lint", "gitlab-code-quality"), ("security-scan", "gitlab-sast"),
                        ("security-scan", "gitlab-secret-detection"), ("security-scan", "gitlab-dependency-scanning"),
                        ("security-scan", "gitlab-container-scanning"), ("publish", "gitlab-auto-build"),
                        ("deploy", "gitlab-auto-deploy"))),
    (r"^jobs/build$", (("publish", "gitlab-auto-build"),)),
    (r"^jobs/test$", (("test", "gitlab-auto-devops"),)),
    (r"^jobs/deploy(?:\.latest)?$", (("deploy", "gitlab-auto-deploy"),)),
    (r"^jobs/deploy/ecs$", (("deploy", "aws-ecs"),)),
    (r"^jobs/deploy/ec2$", (("deploy", "aws-ec2"),)),
    (r"^(?:terraform(?:\.latest)?|opentofu/full-pipeline|opentofu)$", (("provision", "terraform"), ("deploy", "terraform"))),
    (r"^pages/", (("deploy", "gitlab-pages"),)),
)


def _gitlab_template(call: _Call, ref: str) -> list[Finding]:
    name = ref.strip().lower()
    name = re.sub(r"^.*?/components/", "", name) if "/components/" in name else name
    name = name.split("@", 1)[0].removesuffix(".gitlab-ci.yml").removesuffix(".yml").strip("/")
    if name.count("/") >= 1 and "/components/" not in ref.lower():
        short = re.sub(r"^(?:security|verify|jobs/(?=\w*(?:sast|scanning|detection|dast|fuzzing|quality)))/", "", name)
    else:
        short = name
    if "/" in short and ref.lower().find("/components/") >= 0:
        short = short.split("/")[-1] if not short.startswith("opentofu") else short
    for rx, pairs in _GITLAB_TEMPLATES:
        if re.search(rx, short) or re.search(rx, name):
            return call.fs(pairs, "GitLab template")
    return []


_GITLAB_INCLUDE_FILES = tuple((re.compile(rx), pairs) for rx, pairs in GITLAB_INCLUDE_FILES)
_GENERIC_STEMS = frozenset({"template", "templates", "main", "index", "ci", "gitlab-ci", "pipeline", "default", "base", "job", "jobs"})


def _gitlab_include(call: _Call, kind: str, ref: str) -> list[Finding]:
    """A `project:`/`remote:`/`component:` include: a GitLab template's name, else what the file's name says
    (`templates/deploy.yml`, `security/sast.yml`), the way reusable workflows of other repositories are judged."""
    found = _gitlab_template(call, ref.split(":", 1)[1] if kind == "project" and ":" in ref else ref)
    if found:
        return found
    path = ref.split(":", 1)[1] if kind == "project" and ":" in ref else ref
    path = re.sub(r"[?#].*$", "", path).split("@", 1)[0].strip().strip("/").lower()
    parts = [p for p in path.split("/") if p]
    if not parts:
        return []
    stems = [re.sub(r"(\.gitlab-ci)?\.ya?ml$", "", parts[-1])]
    if stems[0] in _GENERIC_STEMS and len(parts) > 1:
        stems.append(parts[-2])
    for stem in stems:
        if stem in _GENERIC_STEMS:
            continue
        for rx, pairs in (*_GITLAB_INCLUDE_FILES, *_REUSABLE_WORKFLOWS):
            if rx.search(stem):
                tool_pairs = tuple((c, "gitlab-include" if t == "reusable-workflow" else t) for c, t in pairs)
                return call.fs(tool_pairs, f"GitLab {kind} include {stem}")
    return []


_TEKTON_TASKS: tuple[tuple[str, Pairs], ...] = (
    (r"^(?:buildah|kaniko|docker-build|buildpacks|s2i|jib-\w+|ko)$", (("publish", "tekton-image-build"),)),
    (r"^(?:kubernetes-actions|kubectl-deploy-pod|deploy-using-kubectl|helm-upgrade-from-\w+|argocd-task-sync-and-wait|"
     r"kn-apply|kn|openshift-client)$", (("deploy", "tekton-deploy"),)),
    (r"^(?:golang-test|pytest|python-test|maven|gradle|npm-test|jest)$", (("test", "tekton-test"),)),
    (r"^(?:golangci-lint|pylint|flake8|sonarqube-scanner|eslint|yaml-lint|shellcheck|hadolint)$", (("lint", "tekton-lint"),)),
    (r"^(?:trivy-scanner|snyk-\w+|grype|gitleaks)$", (("security-scan", "tekton-scan"),)),
    (r"^(?:send-to-webhook-slack|send-to-channel-slack|send-to-microsoft-teams|sendmail)$", (("notify", "tekton-notify"),)),
)
_APPVEYOR_PROVIDERS: dict[str, Pairs] = {
    "nuget": (("publish", "nuget"),), "github": (("release", "github-release"), ("publish", "github-release")),
    "azureblob": (("publish", "ci-artifact"),), "s3": (("publish", "ci-artifact"),),
    "webdeploy": (("deploy", "webdeploy"),), "azurecs": (("deploy", "azure-cloud-services"),),
    "azureappservicezipdeploy": (("deploy", "azure-webapp"),), "agent": (("deploy", "appveyor-agent"),),
    "environment": (("deploy", "appveyor-environment"),), "ftp": (("deploy", "ftp"),),
    "bintray": (("publish", "bintray"),), "sqldatabase": (("migrate", "dacpac"),),
}
_BUILDKITE_PLUGINS: dict[str, Pairs] = {
    "junit-annotate": (("test-report", "junit-annotate"),), "test-collector": (("test-report", "buildkite-test-analytics"),),
    "test-summary": (("test-report", "test-summary"),), "artifacts": (("publish", "ci-artifact"),),
}


def _marker(call: _Call, text: str, inputs: dict[str, str]) -> list[Finding] | None:
    """Synthetic texts the CI parsers use for keywords and plugins (`gitlab-template:...`,
    `drone-plugin:<image>`, `gcb:<builder>`, ...); None when `text` is not one of them."""
    low = text.lower()
    if low.startswith(("gitlab-", "travis-deploy:", "gcb-artifacts:", "codebuild-", "store_artifacts", "store_test_results")):
        return _classify_step(call.clf, text, call.ctx)
    if low.startswith(("drone-plugin:", "woodpecker-plugin:")):
        image = text.split(":", 1)[1]
        key = _action_key(image)
        special = _ACTION_SPECIAL.get(key)
        if special is not None:
            return special(call, inputs)
        pairs = _lookup_action(key, False)
        if pairs is not None:
            return call.fs(pairs)
        prog = _tool_image(image)
        return call.redo([prog, *_split_args(_inp(inputs, "args", "commands"))]) if prog else []
    if low.startswith("gcb:"):
        prog = _tool_image(text[4:])
        args = _split_args(_inp(inputs, "args"))
        return call.redo([prog, *args]) if prog and args else []
    if low.startswith("tekton-task:"):
        label = low.split(":", 1)[1].strip()
        return next(([call.f(pairs[0][0], label, "Tekton task")] for rx, pairs in _TEKTON_TASKS if re.match(rx, label)), [])
    if low.startswith("appveyor-deploy:"):
        pairs = _APPVEYOR_PROVIDERS.get(low.split(":", 1)[1].strip())
        return call.fs(pairs, "AppVeyor deployment provider") if pairs else []
    if low.startswith(("semaphore-promotion:", "template:")):
        return []
    if "#" in text and "@" not in text and " " not in text:  # Buildkite plugin `docker-compose#v4.16.0`
        name = re.sub(r"-buildkite-plugin$", "", text.split("#", 1)[0].rstrip("/").rsplit("/", 1)[-1].lower())
        if name == "docker-compose":
            if _inp(inputs, "push"):
                return [call.f("publish", "docker-compose", "Buildkite docker-compose plugin push")]
            return [call.f("build", "docker-compose")] if _inp(inputs, "build") else []
        if name == "artifacts" and not _inp(inputs, "upload"):
            return []
        pairs = _BUILDKITE_PLUGINS.get(name)
        return call.fs(pairs, f"Buildkite plugin {name}") if pairs else []
    return None


def _classify_step(clf: CommandClassifier, text: str, ctx: _Ctx) -> list[Finding]:
    t = text.strip()
    call = _pseudo_call(clf, ctx, _clip(t))
    low = t.lower()
    if low.startswith("gcb-artifacts:"):
        kind = low.split(":", 1)[1]
        return [call.f("publish", "ci-artifact" if kind == "objects" else "artifact-registry", f"Cloud Build artifacts {kind}")]
    if low.startswith("codebuild-artifacts"):
        return [call.f("publish", "ci-artifact")]
    if low.startswith("codebuild-reports"):
        return [call.f("test-report", "codebuild-reports")]
    if low.startswith("store_artifacts"):
        return [call.f("publish", "ci-artifact")]
    if low.startswith("store_test_results"):
        return [call.f("test-report", "circleci-test-results")]
    if re.match(r"^publish\s", low):  # Azure Pipelines `publish:` shortcut (a pipeline artifact)
        return [call.f("publish", "ci-artifact")]
    if low.startswith("gitlab-"):
        if low == "gitlab-artifacts":
            return [call.f("publish", "ci-artifact")]
        if low.startswith("gitlab-artifacts-reports:"):
            kind = low.split(":", 1)[1].strip()
            return [call.f("publish", "ci-artifact")] + call.fs(_GITLAB_REPORTS.get(kind, ()))
        if low == "gitlab-coverage-keyword":
            return [call.f("coverage", "gitlab-coverage"), call.f("coverage-report", "gitlab-coverage")]
        if low == "gitlab-release-keyword":
            return [call.f("release", "gitlab-release")]
        if low == "gitlab-pages":
            return [call.f("deploy", "gitlab-pages")]
        if low.startswith("gitlab-template:"):
            return _gitlab_template(call, t.split(":", 1)[1])
        if low.startswith(("gitlab-component:", "gitlab-project:", "gitlab-remote:")):
            kind, ref = t.split(":", 1)
            return _gitlab_include(call, kind.lower().removeprefix("gitlab-"), ref)
        return []
    if low.startswith("travis-deploy:"):
        provider = low.split(":", 1)[1].strip()
        pairs = TRAVIS_PROVIDERS.get(provider)
        return call.fs(pairs, f"Travis deploy provider {provider}") if pairs else []
    m = re.match(r"^([A-Za-z_][\w]*)", t)
    if not m:
        return []
    name = m.group(1).lower()
    if name in ("sh", "bat", "powershell", "pwsh"):
        arg = re.search(r"""^\w+\s*\(?\s*(?:script\s*:\s*)?(?:'''(.*?)'''|\"\"\"(.*?)\"\"\"|'([^']*)'|"((?:[^"\\]|\\.)*)")""", t, re.S)
        if arg:
            return call.text(next(g for g in arg.groups() if g is not None))
        return []
    if name == "step":
        cls = re.search(r"\$class\s*:\s*['\"](\w+)['\"]", t)
        pairs = JENKINS_CLASSES.get(cls.group(1).lower()) if cls else None
        return call.fs(pairs) if pairs else []
    if name == "docker" and re.match(r"docker\.build\s*\(", t):
        return [call.f("build", "docker", "docker.build")]
    if re.search(r"\.push\s*\(", t) and re.match(r"^(?:docker\.image\([^)]*\)|[A-Za-z_]\w*)\.push\s*\(", t):
        out = [call.f("publish", "docker", "Jenkins docker image push")]
        if _COMMIT_REF.search(t):
            out.append(call.f("commit-traceable", "docker", "image tag carries the commit"))
        return out
    if name == "ansibleplaybook":
        pb = re.search(r"playbook\s*:\s*['\"]([^'\"]+)['\"]", t)
        return call.redo(["ansible-playbook", pb.group(1)]) if pb else []
    pairs = JENKINS_STEPS.get(name)
    if pairs is None:
        # A step that is plain shell (Cloud Build `images:` as `docker push <image>`).
        words = split_shell(t)[0].words if split_shell(t) else []
        if words and _HANDLERS.get(_prog_name(words[0])) not in (None, _h_inert) and not re.match(r"^\w+\s*\(", t):
            return call.text(t)
        return []
    out = call.fs(pairs)
    if name in ("jacoco", "recordcoverage", "publishcoverage", "cobertura") and re.search(
            r"qualityGates|globalThresholds|minimum\w*Coverage|changeBuildStatus\s*:\s*true|failUnhealthy|failUnstable|"
            r"lineCoverageTargets|sourceCodeRetention", t):
        if re.search(r"qualityGates|globalThresholds|minimum\w*Coverage|changeBuildStatus\s*:\s*true|failUnhealthy|failUnstable", t):
            out.append(call.f("coverage-threshold", pairs[0][1], "coverage quality gate"))
    return out


# =================================================================================================
# Commit traceability of published or deployed artifacts
# =================================================================================================

def _traceable(call: _Call, found: list[Finding]) -> list[Finding]:
    """A publish or deploy command whose own text names the commit (`docker push app:$GITHUB_SHA`,
    `helm upgrade --set image.tag=$CI_COMMIT_SHA`) ties the artifact to the commit."""
    if not found or not call.state.mentions_commit(call.raw):
        return found
    own = " -> ".join((*call.ctx.chain, call.label)) if call.ctx.chain else call.label
    for f in found:
        if f.detail != own and not f.detail.startswith(own + " ("):
            continue
        if f.category == "deploy" or (f.category == "publish" and f.tool != "ci-artifact"):
            if any(g.category == "commit-traceable" and g.tool == f.tool for g in found):
                return found
            return found + [call.f("commit-traceable", f.tool, "the command names the commit")]
    return found
