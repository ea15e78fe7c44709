"""The fake GitHub's data: accounts, repositories with real git object ids, Actions workflows
and runs, deployments, environments, releases, tags, pull requests, branch protection and
rulesets; a deterministic generator for whole organisations (``generate_org``) and a replay of
real recorded Actions runs (``replay_org``).

Everything here is plain data.  The HTTP layer (tests/fakes/github.py) renders it as GitHub's
REST and GraphQL shapes.

Determinism: ``generate_org(name, repos, seed, anchor)`` gives byte-identical data for the same
arguments.  ``anchor`` is "now" for the generated history (default: today 00:00 UTC, so a 90-day
scan window sees the history; pass a fixed datetime to pin it across days).  Each repository's
details are generated lazily from its own random stream, so listing a large org is cheap and a
repository's content does not depend on which others were looked at.
"""

from __future__ import annotations

import base64
import csv
import datetime as dt
import hashlib
import json
import random
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

UTC = dt.timezone.utc
FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "github"


# ----------------------------------------------------------------------------------------------
# accounts


@dataclass(frozen=True)
class Account:
    login: str
    id: int
    type: str = "User"  # User | Organization | Bot
    name: str | None = None
    email: str | None = None

    @property
    def node_id(self) -> str:
        kind = {"User": "04:User", "Organization": "012:Organization", "Bot": "03:Bot"}[self.type]
        return base64.b64encode(f"{kind}{self.id}".encode()).decode()

    @property
    def is_bot(self) -> bool:
        return self.type == "Bot"


GITHUB_ACTIONS_BOT = Account("github-actions[bot]", 41898282, "Bot", "github-actions[bot]", "41898282+github-actions[bot]@users.noreply.github.com")
DEPENDABOT = Account("dependabot[bot]", 49699333, "Bot", "dependabot[bot]", "49699333+dependabot[bot]@users.noreply.github.com")
RENOVATE = Account("renovate[bot]", 29139614, "Bot", "renovate[bot]", "29139614+renovate[bot]@users.noreply.github.com")
PEOPLE = [
    Account("alice-dev", 5001001, "User", "Alice Martin", "alice@example.com"),
    Account("bob-ops", 5001002, "User", "Bob Chen", "bob@example.com"),
    Account("carol-sre", 5001003, "User", "Carol Diaz", "carol@example.com"),
    Account("dave-qa", 5001004, "User", "Dave Okafor", "dave@example.com"),
    Account("erin-lead", 5001005, "User", "Erin Novak", "erin@example.com"),
]


def node_id(kind: str, ident: int | str) -> str:
    """GitHub's legacy global node id: base64("<len>:<Type><id>")."""
    return base64.b64encode(f"{len(kind):03d}:{kind}{ident}".encode()).decode()


def iso(t: dt.datetime | None) -> str | None:
    if t is None:
        return None
    return t.astimezone(UTC).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")


# ----------------------------------------------------------------------------------------------
# git objects (real SHA-1 object ids, so the tree/blob/commit ids are what git would compute)


@dataclass(frozen=True)
class TreeItem:
    name: str
    mode: str  # "100644", "100755", "40000", "120000", "160000"
    type: str  # blob | tree | commit
    sha: str


class GitStore:
    """Content-addressed blobs and trees of one repository."""

    def __init__(self) -> None:
        self.blobs: dict[str, bytes] = {}
        self.trees: dict[str, list[TreeItem]] = {}

    def put_blob(self, content: bytes) -> str:
        sha = hashlib.sha1(b"blob %d\0" % len(content) + content).hexdigest()
        self.blobs.setdefault(sha, content)
        return sha

    def write_tree(self, files: dict[str, tuple[bytes, str]]) -> str:
        """files: path -> (content, mode).  Returns the root tree id."""
        return self.update_tree(None, files)

    def update_tree(self, base: str | None, changes: dict[str, tuple[bytes, str] | None]) -> str:
        """A new tree: ``base`` with ``changes`` applied (path -> (content, mode), or None to
        delete).  Unchanged subtrees keep their ids, as in git."""
        items = {i.name: i for i in self.trees[base]} if base else {}
        groups: dict[str, dict[str, tuple[bytes, str] | None]] = {}
        for path, value in changes.items():
            head, sep, rest = path.partition("/")
            if sep:
                groups.setdefault(head, {})[rest] = value
            elif value is None:
                items.pop(head, None)
            else:
                items[head] = TreeItem(head, value[1], "blob", self.put_blob(value[0]))
        for name, sub in groups.items():
            existing = items.get(name)
            sha = self.update_tree(existing.sha if existing is not None and existing.type == "tree" else None, sub)
            if self.trees[sha]:
                items[name] = TreeItem(name, "40000", "tree", sha)
            else:
                items.pop(name, None)  # git has no empty directories
        return self._store(list(items.values()))

    def _store(self, items: list[TreeItem]) -> str:
        # git orders entries by name, a tree's name compared as if it ended with "/"
        items.sort(key=lambda i: i.name.encode() + (b"/" if i.type == "tree" else b""))
        body = b"".join(f"{i.mode} {i.name}".encode() + b"\0" + bytes.fromhex(i.sha) for i in items)
        sha = hashlib.sha1(b"tree %d\0" % len(body) + body).hexdigest()
        self.trees.setdefault(sha, items)
        return sha

    def walk(self, tree_sha: str, recursive: bool, prefix: str = "") -> list[tuple[str, TreeItem]]:
        out: list[tuple[str, TreeItem]] = []
        for item in self.trees[tree_sha]:
            path = prefix + item.name
            out.append((path, item))
            if recursive and item.type == "tree":
                out.extend(self.walk(item.sha, True, path + "/"))
        return out

    def lookup(self, tree_sha: str, path: str) -> TreeItem | None:
        """The entry at ``path`` under a tree ('' is the tree itself)."""
        path = path.strip("/")
        if not path:
            return TreeItem("", "40000", "tree", tree_sha)
        current = tree_sha
        parts = path.split("/")
        for i, part in enumerate(parts):
            items = self.trees.get(current)
            if items is None:
                return None
            found = next((it for it in items if it.name == part), None)
            if found is None:
                return None
            if i == len(parts) - 1:
                return found
            if found.type != "tree":
                return None
            current = found.sha
        return None


def commit_sha(tree: str, parents: list[str], author: Account, when: dt.datetime, message: str) -> str:
    ts = int(when.timestamp())
    ident = f"{author.name or author.login} <{author.email or author.login + '@users.noreply.github.com'}> {ts} +0000"
    lines = [f"tree {tree}"] + [f"parent {p}" for p in parents] + [f"author {ident}", f"committer {ident}", "", message]
    body = ("\n".join(lines) + "\n").encode()
    return hashlib.sha1(b"commit %d\0" % len(body) + body).hexdigest()


# ----------------------------------------------------------------------------------------------
# records


@dataclass
class Commit:
    sha: str
    tree: str
    parents: list[str]
    message: str
    author: Account
    date: dt.datetime
    pr_number: int | None = None
    changed: list[str] = field(default_factory=list)


@dataclass
class Workflow:
    id: int
    name: str
    path: str
    state: str = "active"
    created_at: dt.datetime | None = None
    updated_at: dt.datetime | None = None


@dataclass
class Run:
    id: int
    workflow_id: int
    name: str
    path: str
    event: str
    status: str
    conclusion: str | None
    head_branch: str
    head_sha: str
    run_number: int
    created_at: dt.datetime
    updated_at: dt.datetime
    run_started_at: dt.datetime
    actor: Account
    display_title: str
    head_commit: Commit | None = None
    pull_requests: list[int] = field(default_factory=list)
    run_attempt: int = 1
    raw: dict[str, Any] | None = None  # replayed recording, served verbatim


@dataclass
class DeploymentStatus:
    id: int
    state: str  # error failure inactive pending success queued in_progress
    created_at: dt.datetime
    creator: Account
    description: str
    environment: str
    log_url: str = ""
    environment_url: str = ""


@dataclass
class Deployment:
    id: int
    sha: str
    ref: str
    task: str
    environment: str
    description: str | None
    creator: Account
    created_at: dt.datetime
    statuses: list[DeploymentStatus] = field(default_factory=list)  # oldest first
    production: bool = False
    transient: bool = False
    payload: dict[str, Any] = field(default_factory=dict)
    original_environment: str | None = None

    @property
    def updated_at(self) -> dt.datetime:
        return self.statuses[-1].created_at if self.statuses else self.created_at


@dataclass
class Environment:
    id: int
    name: str
    created_at: dt.datetime
    wait_timer: int | None = None
    reviewers: list[Account] = field(default_factory=list)
    protected_branches_only: bool = False


@dataclass
class Release:
    id: int
    tag_name: str
    name: str
    body: str
    author: Account
    created_at: dt.datetime
    published_at: dt.datetime | None
    target_commitish: str
    draft: bool = False
    prerelease: bool = False
    generated_notes: bool = False


@dataclass
class Tag:
    name: str
    sha: str
    date: dt.datetime


@dataclass
class Pull:
    number: int
    id: int
    title: str
    body: str
    user: Account
    state: str  # open | closed
    created_at: dt.datetime
    updated_at: dt.datetime
    closed_at: dt.datetime | None
    merged_at: dt.datetime | None
    merge_commit_sha: str | None
    head_ref: str
    head_sha: str
    base_ref: str
    draft: bool = False


@dataclass
class Protection:
    required_reviews: int | None = 1
    code_owner_reviews: bool = False
    dismiss_stale_reviews: bool = False
    required_checks: list[str] = field(default_factory=list)
    strict: bool = False
    enforce_admins: bool = False
    linear_history: bool = False
    allow_force_pushes: bool = False
    allow_deletions: bool = False


@dataclass
class Ruleset:
    id: int
    name: str
    rules: list[dict[str, Any]]  # REST shape: {"type": ..., "parameters": {...}}
    include: list[str] = field(default_factory=lambda: ["~DEFAULT_BRANCH"])
    exclude: list[str] = field(default_factory=list)
    enforcement: str = "active"
    target: str = "branch"
    source_type: str = "Repository"
    source: str = ""
    created_at: dt.datetime | None = None


# ----------------------------------------------------------------------------------------------
# repository


@dataclass
class Repo:
    name: str
    id: int
    owner: Account
    created_at: dt.datetime
    archetype: str = "service"
    description: str | None = None
    language: str | None = None
    topics: list[str] = field(default_factory=list)
    private: bool = False
    archived: bool = False
    fork: bool = False
    parent_full_name: str | None = None
    default_branch: str = "main"
    admin: bool = True  # the token's permission on this repository
    actions_enabled: bool = True
    empty: bool = False
    license_key: str | None = "mit"
    stars: int = 0
    size_kb: int = 0  # the listing's "size"; set up front so a listing never depends on lazily built details
    # filled by the archetype builder (lazily, see Org)
    store: GitStore = field(default_factory=GitStore)
    commits: list[Commit] = field(default_factory=list)  # default branch, newest first
    branches: dict[str, str] = field(default_factory=dict)  # name -> head sha
    workflows: list[Workflow] = field(default_factory=list)
    runs: list[Run] = field(default_factory=list)  # newest first
    deployments: list[Deployment] = field(default_factory=list)  # newest first
    environments: list[Environment] = field(default_factory=list)
    releases: list[Release] = field(default_factory=list)  # newest first
    tags: list[Tag] = field(default_factory=list)  # newest first
    pulls: list[Pull] = field(default_factory=list)  # newest first
    protection: dict[str, Protection] = field(default_factory=dict)  # branch -> protection
    rulesets: list[Ruleset] = field(default_factory=list)
    updated_at: dt.datetime | None = None
    pushed_at: dt.datetime | None = None
    _ids: Iterable[int] | None = None

    @property
    def full_name(self) -> str:
        return f"{self.owner.login}/{self.name}"

    @property
    def node_id(self) -> str:
        return node_id("Repository", self.id)

    @property
    def head(self) -> Commit | None:
        return self.commits[0] if self.commits else None

    def read(self, path: str, commit: Commit | None = None) -> bytes | None:
        commit = commit or self.head
        item = self.store.lookup(commit.tree, path) if commit else None
        return self.store.blobs.get(item.sha) if item is not None and item.type == "blob" else None

    def files(self, commit: Commit | None = None) -> dict[str, bytes]:
        """path -> content of the tree at ``commit`` (HEAD by default)."""
        commit = commit or self.head
        if commit is None:
            return {}
        return {p: self.store.blobs[i.sha] for p, i in self.store.walk(commit.tree, True) if i.type == "blob"}

    def commit(self, sha: str) -> Commit | None:
        for c in self.commits:
            if c.sha == sha:
                return c
        return None

    def resolve(self, ref: str) -> Commit | None:
        """A branch name, tag name, HEAD, a full or abbreviated (>= 4) commit id."""
        if not self.commits:
            return None
        if ref in ("HEAD", ""):
            return self.head
        for prefix in ("refs/heads/", "heads/"):
            if ref.startswith(prefix) and ref[len(prefix):] in self.branches:
                ref = ref[len(prefix):]
        if ref in self.branches:
            return self.commit(self.branches[ref])
        for prefix in ("refs/tags/", "tags/"):
            if ref.startswith(prefix):
                ref = ref[len(prefix):]
        for t in self.tags:
            if t.name == ref:
                return self.commit(t.sha)
        if 4 <= len(ref) <= 40 and all(ch in "0123456789abcdef" for ch in ref):
            for c in self.commits:
                if c.sha.startswith(ref):
                    return c
        return None

    def push(self, changes: dict[str, str | bytes | None], message: str = "Update files", when: dt.datetime | None = None,
             author: Account | None = None, pr_number: int | None = None) -> Commit:
        """Add a commit on the default branch (None deletes a path).  Tests use this to change a
        repository between two scans: the tree, contents and ETags change as on GitHub."""
        delta: dict[str, tuple[bytes, str] | None] = {}
        for path, content in changes.items():
            delta[path] = None if content is None else (
                content.encode() if isinstance(content, str) else content, _mode(path))
        when = when or ((self.head.date if self.head else self.created_at) + dt.timedelta(minutes=5))
        author = author or PEOPLE[0]
        tree = self.store.update_tree(self.head.tree if self.head else None, delta)
        parents = [self.head.sha] if self.head else []
        c = Commit(commit_sha(tree, parents, author, when, message), tree, parents, message, author, when, pr_number, sorted(changes))
        self.commits.insert(0, c)
        self.branches[self.default_branch] = c.sha
        self.empty = False
        self.pushed_at = max(self.pushed_at or when, when)
        self.updated_at = max(self.updated_at or when, when)
        return c


def _mode(path: str) -> str:
    return "100755" if path.endswith(".sh") or path.rsplit("/", 1)[-1] in ("mvnw", "gradlew") else "100644"


class Org:
    """An organisation (or user account) and its repositories.  Repository details are built on
    first access by the builder given at construction (thread-safe)."""

    def __init__(self, account: Account, repos: list[Repo], builder=None, installation_id: int = 0) -> None:
        self.account = account
        self.login = account.login
        self._repos = {r.name: r for r in repos}
        self._builder = builder
        self._built: set[str] = set()
        self._lock = threading.RLock()
        self.installation_id = installation_id or (account.id % 90_000_000) + 10_000_000
        self.special: dict[str, Any] = {}

    @property
    def kind(self) -> str:
        return self.account.type

    def repo_names(self) -> list[str]:
        return list(self._repos)

    def repo(self, name: str) -> Repo | None:
        repo = self._repos.get(name)
        if repo is None:
            lowered = {k.lower(): v for k, v in self._repos.items()}
            repo = lowered.get(name.lower())
        if repo is None:
            return None
        if self._builder is not None and repo.name not in self._built:
            with self._lock:
                if repo.name not in self._built:
                    self._builder(repo)
                    self._built.add(repo.name)
        return repo

    @property
    def repos(self) -> list[Repo]:
        """Every repository, fully built, in creation order."""
        return [self.repo(n) for n in self._repos]  # type: ignore[misc]

    def shallow_repos(self) -> list[Repo]:
        """Repositories with their listing fields only (details may not be built yet)."""
        return list(self._repos.values())

    def add(self, repo: Repo) -> Repo:
        self._repos[repo.name] = repo
        self._built.add(repo.name)
        return repo


# ----------------------------------------------------------------------------------------------
# generated organisations

_ADJ = ["amber", "brisk", "cobalt", "delta", "ember", "fable", "granite", "harbor", "indigo", "jade", "keystone",
        "lumen", "maple", "nimbus", "onyx", "polar", "quartz", "rapid", "sable", "tidal", "umber", "vivid",
        "willow", "xenon", "yonder", "zephyr", "alpine", "basalt", "cedar", "dune"]
_NOUN = ["api", "billing", "catalog", "dashboard", "events", "frontend", "gateway", "hub", "identity", "jobs",
         "kernel", "ledger", "mailer", "notifier", "orders", "payments", "queue", "reports", "search", "tracker",
         "uploader", "vault", "worker", "exporter", "infra", "sdk", "cli", "docs", "metrics", "scheduler"]

ARCHETYPES = ["full-cd", "service", "library", "ci-only", "flaky", "legacy", "iac", "frontend"]

# the special repositories every generated org starts with (as far as ``repos`` allows)
SPECIAL_PLAN = [("flagship", "full-cd"), ("empty-repo", "empty"), ("actions-disabled", "service"),
                ("no-admin", "service"), ("old-monolith", "legacy"), ("forked-lib", "library")]


def _today() -> dt.datetime:
    now = dt.datetime.now(UTC)
    return now.replace(hour=0, minute=0, second=0, microsecond=0)


def generate_org(name: str = "acme", repos: int = 30, seed: int = 1, anchor: dt.datetime | None = None,
                 kind: str = "Organization", history_days: int = 120) -> Org:
    """A deterministic organisation of ``repos`` repositories covering the practices.

    The first repositories are always (as far as ``repos`` allows): ``flagship`` (full CD:
    push/PR CI, deploy jobs to staging and production environments, release-please releases by
    github-actions[bot], Dockerfile, lock file, protection with reviews and required checks),
    ``empty-repo`` (no commits), ``actions-disabled`` (Actions runs/workflows 404),
    ``no-admin`` (token without admin: branch protection 404), ``old-monolith`` (archived, Jenkins),
    ``forked-lib`` (a fork).  The rest cycle through the archetypes ``full-cd``, ``service``,
    ``library``, ``ci-only``, ``flaky``, ``legacy``, ``iac`` and ``frontend``, with a few more
    archived repositories and forks.  ``org.special`` names them.
    """
    anchor = (anchor or _today()).astimezone(UTC)
    rng = random.Random(f"org:{name}:{seed}")
    owner = Account(name, 7_000_000 + rng.randrange(1_000_000), kind, name.title())
    names: list[str] = []
    plan: list[tuple[str, str]] = []
    for special, archetype in SPECIAL_PLAN[:repos]:
        names.append(special)
        plan.append((special, archetype))
    combos = [f"{a}-{n}" for a in _ADJ for n in _NOUN]
    rng.shuffle(combos)
    i = 0
    while len(plan) < repos:
        base = combos[i % len(combos)] + ("" if i < len(combos) else f"-{i // len(combos) + 1}")
        i += 1
        plan.append((base, ARCHETYPES[(len(plan) - len(SPECIAL_PLAN)) % len(ARCHETYPES)]))
    org_repos: list[Repo] = []
    base_id = 300_000_000 + rng.randrange(10_000_000) * 10
    special: dict[str, Any] = {"archived": [], "forks": []}
    for idx, (rname, archetype) in enumerate(plan):
        r = random.Random(f"repo:{name}:{seed}:{rname}")
        created = anchor - dt.timedelta(days=400 + r.randrange(900), hours=r.randrange(24))
        repo = Repo(name=rname, id=base_id + idx * 7 + 1, owner=owner, created_at=created, archetype=archetype)
        repo.stars = r.randrange(0, 300)
        repo.size_kb = 0 if rname == "empty-repo" else r.randrange(20, 5000)
        repo.private = r.random() < 0.3
        if rname == "empty-repo":
            repo.empty = True
            repo.archetype = "empty"
            repo.license_key = None
            repo.description = None
            special["empty"] = rname
        elif rname == "actions-disabled":
            repo.actions_enabled = False
            special["actions_disabled"] = rname
        elif rname == "no-admin":
            repo.admin = False
            special["no_admin"] = rname
        elif rname == "old-monolith":
            repo.archived = True
        elif rname == "forked-lib":
            repo.fork = True
            repo.parent_full_name = f"upstream-oss/{rname}"
        elif idx >= len(SPECIAL_PLAN):
            roll = r.random()
            if roll < 0.05:
                repo.archived = True
            elif roll < 0.10:
                repo.fork = True
                repo.parent_full_name = f"upstream-oss/{rname}"
        if repo.archived:
            special["archived"].append(rname)
        if repo.fork:
            special["forks"].append(rname)
        if archetype == "full-cd" and "full_cd" not in special:
            special["full_cd"] = rname
        repo.language = _LANG.get(repo.archetype)
        repo.description = None if repo.empty else f"{rname.replace('-', ' ').title()} ({repo.archetype})"
        repo.topics = [] if repo.empty else [repo.archetype.replace("_", "-")]
        if repo.empty:
            repo.updated_at = repo.pushed_at = created
        elif repo.archived:
            repo.updated_at = repo.pushed_at = created + dt.timedelta(days=30)
        else:
            repo.updated_at = repo.pushed_at = anchor - dt.timedelta(hours=r.randint(2, 72), minutes=r.randrange(60))
        org_repos.append(repo)

    def build(repo: Repo) -> None:
        _build_repo(repo, anchor, history_days, seed)

    org = Org(owner, org_repos, build)
    org.special = special
    org.anchor = anchor  # type: ignore[attr-defined]
    return org


_LANG = {"full-cd": "TypeScript", "service": "Python", "library": "Go", "ci-only": "Java", "flaky": "Java",
         "legacy": "Java", "iac": "HCL", "frontend": "JavaScript", "empty": None}


# ---------------------------------------------------------------------------------------------- files

def _workflow_ci(kind: str, branch: str) -> str:
    steps = {
        "node": "      - uses: actions/setup-node@v4\n        with:\n          node-version: 20\n          cache: npm\n"
                "      - run: npm ci\n      - run: npm run lint\n      - run: npm test -- --coverage\n",
        "python": "      - uses: actions/setup-python@v5\n        with:\n          python-version: '3.12'\n"
                  "      - run: pip install poetry && poetry install\n      - run: poetry run ruff check .\n"
                  "      - run: poetry run pytest --cov\n      - run: poetry run alembic upgrade head\n",
        "go": "      - uses: actions/setup-go@v5\n        with:\n          go-version: '1.22'\n"
              "      - run: go vet ./...\n      - run: go test -race ./...\n",
        "java": "      - uses: actions/setup-java@v4\n        with:\n          distribution: temurin\n          java-version: '21'\n"
                "      - run: ./mvnw -B verify\n",
        "yarn": "      - uses: actions/setup-node@v4\n        with:\n          node-version: 20\n"
                "      - run: yarn install --frozen-lockfile\n      - run: yarn test\n      - run: yarn cypress run\n",
    }[kind]
    return (f"name: CI\n\non:\n  push:\n    branches: [{branch}]\n  pull_request:\n    branches: [{branch}]\n\n"
            f"jobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n{steps}")


def _workflow_deploy(branch: str, manual: bool = False) -> str:
    trigger = "on:\n  workflow_dispatch:\n" if manual else f"on:\n  push:\n    branches: [{branch}]\n"
    return (f"name: Deploy\n\n{trigger}\npermissions:\n  contents: read\n  packages: write\n  deployments: write\n\n"
            "jobs:\n  image:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n"
            "      - uses: docker/build-push-action@v6\n        with:\n          push: true\n"
            "          tags: ghcr.io/${{ github.repository }}:${{ github.sha }}\n"
            "  staging:\n    needs: image\n    runs-on: ubuntu-latest\n    environment: staging\n    steps:\n"
            "      - uses: actions/checkout@v4\n      - run: helm upgrade --install app charts/app --set image.tag=${{ github.sha }} -n staging\n"
            "  production:\n    needs: staging\n    runs-on: ubuntu-latest\n    environment:\n      name: production\n"
            "      url: https://app.example.com\n    steps:\n      - uses: actions/checkout@v4\n"
            "      - run: helm upgrade --install app charts/app --set image.tag=${{ github.sha }} -n production\n")


_RELEASE_PLEASE = ("name: release-please\n\non:\n  push:\n    branches: [main]\n\npermissions:\n  contents: write\n"
                   "  pull-requests: write\n\njobs:\n  release-please:\n    runs-on: ubuntu-latest\n    steps:\n"
                   "      - uses: googleapis/release-please-action@v4\n        with:\n          release-type: node\n")
_GORELEASER_WF = ("name: release\n\non:\n  push:\n    tags: ['v*']\n\npermissions:\n  contents: write\n\njobs:\n"
                  "  goreleaser:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n"
                  "        with:\n          fetch-depth: 0\n      - uses: actions/setup-go@v5\n"
                  "      - uses: goreleaser/goreleaser-action@v6\n        with:\n          args: release --clean\n"
                  "        env:\n          GITHUB_TOKEN: ${{ secrets.GITHUB_TOKEN }}\n")
_CODEQL = ("name: CodeQL\n\non:\n  schedule:\n    - cron: '17 3 * * 1'\n  push:\n    branches: [main]\n\njobs:\n"
           "  analyze:\n    runs-on: ubuntu-latest\n    permissions:\n      security-events: write\n    steps:\n"
           "      - uses: actions/checkout@v4\n      - uses: github/codeql-action/init@v3\n"
           "      - uses: github/codeql-action/analyze@v3\n")
_TERRAFORM_WF = ("name: terraform\n\non:\n  push:\n    branches: [main]\n  pull_request:\n\njobs:\n  plan:\n"
                 "    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n"
                 "      - uses: hashicorp/setup-terraform@v3\n      - run: terraform init\n      - run: terraform plan\n"
                 "  apply:\n    if: github.ref == 'refs/heads/main'\n    needs: plan\n    runs-on: ubuntu-latest\n"
                 "    environment: production\n    steps:\n      - uses: actions/checkout@v4\n"
                 "      - uses: hashicorp/setup-terraform@v3\n      - run: terraform init\n"
                 "      - run: terraform apply -auto-approve\n")
_DEPENDABOT = ("version: 2\nupdates:\n  - package-ecosystem: {eco}\n    directory: /\n    schedule:\n"
               "      interval: weekly\n")
_JENKINSFILE = ("pipeline {\n  agent any\n  triggers { pollSCM('H/15 * * * *') }\n  stages {\n"
                "    stage('Build') { steps { sh 'mvn -B package' } }\n    stage('Test') { steps { sh 'mvn test' } }\n"
                "  }\n}\n")


def _files_for(repo: Repo) -> dict[str, str | bytes]:
    a = repo.archetype
    b = repo.default_branch
    common = {"README.md": f"# {repo.name}\n\n{repo.description or ''}\n", "LICENSE": "MIT License\n\nCopyright (c) example\n"}
    if a == "full-cd":
        return {**common,
                "package.json": json.dumps({"name": repo.name, "version": "1.4.0", "private": True,
                                            "scripts": {"build": "tsc -p .", "test": "jest", "lint": "eslint .",
                                                        "e2e": "playwright test"},
                                            "devDependencies": {"jest": "^29.7.0", "typescript": "^5.4.0",
                                                                "@playwright/test": "^1.44.0"}}, indent=2) + "\n",
                "package-lock.json": json.dumps({"name": repo.name, "version": "1.4.0", "lockfileVersion": 3,
                                                 "requires": True, "packages": {}}, indent=2) + "\n",
                "tsconfig.json": '{\n  "compilerOptions": {"outDir": "dist", "strict": true}\n}\n',
                "src/index.ts": "export const answer = 42;\n",
                "test/index.test.ts": "import { answer } from '../src';\ntest('answer', () => expect(answer).toBe(42));\n",
                "e2e/home.spec.ts": "import { test, expect } from '@playwright/test';\ntest('home', async ({ page }) => {\n  await page.goto('/');\n});\n",
                "playwright.config.ts": "export default { testDir: './e2e' };\n",
                "Dockerfile": "FROM node:20-alpine\nWORKDIR /app\nCOPY . .\nRUN npm ci && npm run build\nCMD [\"node\", \"dist/index.js\"]\n",
                "charts/app/Chart.yaml": f"apiVersion: v2\nname: {repo.name}\nversion: 0.1.0\n",
                "charts/app/values.yaml": "image:\n  repository: ghcr.io/example/app\n  tag: latest\n",
                ".github/workflows/ci.yml": _workflow_ci("node", b),
                ".github/workflows/deploy.yml": _workflow_deploy(b),
                ".github/workflows/release-please.yml": _RELEASE_PLEASE,
                ".github/workflows/codeql.yml": _CODEQL,
                ".github/dependabot.yml": _DEPENDABOT.format(eco="npm"),
                ".github/CODEOWNERS": "* @acme/platform\n",
                "release-please-config.json": '{\n  "packages": {".": {"release-type": "node"}}\n}\n',
                ".release-please-manifest.json": '{\n  ".": "1.4.0"\n}\n',
                "CONTRIBUTING.md": "# Contributing\n\nOpen a pull request.\n",
                "docs/examples/.gitlab-ci.yml": "# example only, not this repository's pipeline\ntest:\n  script: make test\n"}
    if a == "service":
        return {**common,
                "pyproject.toml": f"[tool.poetry]\nname = \"{repo.name}\"\nversion = \"0.9.0\"\n\n[tool.poetry.dependencies]\n"
                                  "python = \"^3.12\"\nfastapi = \"^0.111\"\nalembic = \"^1.13\"\n\n"
                                  "[tool.poetry.group.dev.dependencies]\npytest = \"^8.2\"\npytest-cov = \"^5.0\"\n",
                "poetry.lock": "# This file is automatically @generated by Poetry and should not be changed by hand.\n"
                               "[[package]]\nname = \"fastapi\"\nversion = \"0.111.0\"\n",
                "app/__init__.py": "", "app/main.py": "from fastapi import FastAPI\n\napp = FastAPI()\n",
                "tests/test_main.py": "def test_ok():\n    assert True\n",
                "alembic.ini": "[alembic]\nscript_location = migrations\n",
                "migrations/env.py": "from alembic import context\n",
                "migrations/versions/0001_init.py": "revision = '0001'\ndown_revision = None\n\ndef upgrade():\n    pass\n\ndef downgrade():\n    pass\n",
                "Dockerfile": "FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nRUN pip install poetry && poetry install --only main\nCMD [\"uvicorn\", \"app.main:app\"]\n",
                "charts/app/Chart.yaml": f"apiVersion: v2\nname: {repo.name}\nversion: 0.1.0\n",
                ".github/workflows/ci.yml": _workflow_ci("python", b),
                ".github/workflows/deploy.yml": _workflow_deploy(b),
                ".github/dependabot.yml": _DEPENDABOT.format(eco="pip"),
                "CODEOWNERS": "* @acme/backend\n"}
    if a == "library":
        return {**common,
                "go.mod": f"module github.com/{repo.owner.login}/{repo.name}\n\ngo 1.22\n\nrequire github.com/stretchr/testify v1.9.0\n",
                "go.sum": "github.com/stretchr/testify v1.9.0 h1:HtqpIVDClZ4nwg75+f6Lvsy/wHu+3BoSGCbBAcpTsTg=\n",
                "lib.go": "package lib\n\nfunc Answer() int { return 42 }\n",
                "lib_test.go": "package lib\n\nimport \"testing\"\n\nfunc TestAnswer(t *testing.T) { if Answer() != 42 { t.Fatal() } }\n",
                ".goreleaser.yaml": "version: 2\nbuilds:\n  - env: [CGO_ENABLED=0]\nchangelog:\n  use: github\n",
                ".github/workflows/ci.yml": _workflow_ci("go", b),
                ".github/workflows/release.yml": _GORELEASER_WF,
                ".github/workflows/codeql.yml": _CODEQL}
    if a in ("ci-only", "flaky"):
        return {**common,
                "pom.xml": f"<project><modelVersion>4.0.0</modelVersion><groupId>com.example</groupId><artifactId>{repo.name}</artifactId><version>1.0.0</version></project>\n",
                "mvnw": "#!/bin/sh\nexec mvn \"$@\"\n",
                "src/main/java/com/example/App.java": "package com.example;\npublic class App {}\n",
                "src/test/java/com/example/AppTest.java": "package com.example;\npublic class AppTest {}\n",
                ".github/workflows/ci.yml": _workflow_ci("java", b)}
    if a == "legacy":
        return {**common, "Jenkinsfile": _JENKINSFILE, "Makefile": "build:\n\tmvn package\n",
                "pom.xml": "<project><modelVersion>4.0.0</modelVersion></project>\n",
                "deploy/deploy.sh": "#!/bin/sh\nscp target/*.war prod:/opt/tomcat/webapps/\n",
                "Jenkinsfile.old": "node { sh 'ant' }\n"}
    if a == "iac":
        return {**common, "main.tf": "terraform {\n  required_version = \">= 1.6\"\n}\n\nresource \"null_resource\" \"x\" {}\n",
                ".terraform.lock.hcl": "# This file is maintained automatically by \"terraform init\".\n",
                "modules/network/main.tf": "variable \"cidr\" {}\n",
                ".github/workflows/terraform.yml": _TERRAFORM_WF}
    if a == "frontend":
        return {**common,
                "package.json": json.dumps({"name": repo.name, "version": "2.1.0", "scripts": {"test": "vitest", "build": "vite build"},
                                            "devDependencies": {"cypress": "^13.0.0", "vite": "^5.0.0"}}, indent=2) + "\n",
                "yarn.lock": "# THIS IS AN AUTOGENERATED FILE. DO NOT EDIT THIS FILE DIRECTLY.\n# yarn lockfile v1\n",
                "cypress.config.js": "module.exports = { e2e: { baseUrl: 'http://localhost:5173' } };\n",
                "src/main.js": "console.log('hi');\n",
                "public/logo.png": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00\x90wS\xde",
                ".github/workflows/ci.yml": _workflow_ci("yarn", b),
                ".github/workflows/deploy.yml": _workflow_deploy(b, manual=True),
                "renovate.json": '{\n  "extends": ["config:recommended"]\n}\n'}
    return common


# ---------------------------------------------------------------------------------------------- history

class _Ids:
    def __init__(self, start: int) -> None:
        self.n = start

    def __call__(self, step: int = 1) -> int:
        self.n += step
        return self.n


def _build_repo(repo: Repo, anchor: dt.datetime, history_days: int, seed: int) -> None:
    if repo.empty:
        return
    listed = (repo.pushed_at, repo.updated_at)  # the listing fields must not depend on being built
    rng = random.Random(f"details:{repo.full_name}:{seed}")
    ids = _Ids(repo.id * 1000 % 1_000_000_000 + 1_000_000_000)  # databaseId is a GraphQL Int (32-bit)
    a = repo.archetype
    files = _files_for(repo)
    activity = {"full-cd": (45, 70), "service": (30, 50), "library": (15, 30), "ci-only": (20, 40),
                "flaky": (30, 50), "legacy": (3, 8), "iac": (10, 20), "frontend": (20, 40)}.get(a, (10, 20))
    if repo.archived:
        activity = (0, 0)
    n_commits = round(rng.randint(*activity) * history_days / 120)  # activity is per 120 days
    people = PEOPLE[:]
    rng.shuffle(people)
    # initial commit long before the window, then the window's history
    start = anchor - dt.timedelta(days=history_days)
    initial_when = repo.created_at + dt.timedelta(hours=1)
    repo.push({p: c for p, c in files.items()}, "Initial commit", initial_when, people[0])
    repo.commits[0].changed = sorted(files)
    last_push = listed[0] or anchor
    times = sorted(start + dt.timedelta(seconds=rng.randrange(max(60, int((last_push - start).total_seconds()) - 60)))
                   for _ in range(n_commits))
    pr_share = {"full-cd": 0.95, "service": 0.8, "library": 0.7, "ci-only": 0.5, "flaky": 0.6, "legacy": 0.0,
                "iac": 0.9, "frontend": 0.4}.get(a, 0.5)
    pr_number = rng.randint(10, 60)
    editable = [p for p in files if p.endswith((".ts", ".py", ".go", ".java", ".js", ".md", ".tf")) and not p.startswith("docs/")] or ["README.md"]
    for k, when in enumerate(times):
        path = rng.choice(editable)
        old = repo.read(path) or b""
        content = old + f"// change {k}\n".encode() if not path.endswith((".py", ".md", ".tf")) else old + f"# change {k}\n".encode()
        author = rng.choice(people) if rng.random() > 0.1 else (DEPENDABOT if a != "frontend" else RENOVATE)
        if rng.random() < pr_share:
            pr_number += rng.randint(1, 3)
            title = f"{rng.choice(['Fix', 'Add', 'Improve', 'Refactor', 'Bump'])} {path.rsplit('/', 1)[-1]} ({k})"
            msg = f"{title} (#{pr_number})\n\nSquashed pull request #{pr_number}."
            c = repo.push({path: content}, msg, when, author, pr_number)
            opened = when - dt.timedelta(hours=rng.randint(1, 72))
            repo.pulls.append(Pull(pr_number, ids(), title, f"Changes {path}.", author, "closed", opened,
                                   when, when, when, c.sha, f"change-{k}-{path.rsplit('/', 1)[-1].split('.')[0]}",
                                   _fake_sha(f"{repo.full_name}:pr:{pr_number}"), repo.default_branch))
        else:
            repo.push({path: content}, f"Update {path}", when, author)
    # a few PRs closed without merge, and open ones
    for extra in range(rng.randint(1, 4) if pr_share else 0):
        pr_number += 1
        opened = anchor - dt.timedelta(days=rng.randint(1, history_days - 1), hours=rng.randrange(24))
        is_open = extra % 2 == 0
        closed = None if is_open else opened + dt.timedelta(days=1)
        author = rng.choice(people)
        repo.pulls.append(Pull(pr_number, ids(), f"Experiment {extra}", "WIP", author, "open" if is_open else "closed",
                               opened, closed or opened, closed, None, None, f"experiment-{extra}",
                               _fake_sha(f"{repo.full_name}:pr:{pr_number}"), repo.default_branch, draft=is_open))
    repo.pulls.sort(key=lambda p: p.created_at, reverse=True)
    repo.branches = {repo.default_branch: repo.head.sha}  # type: ignore[union-attr]
    _build_actions(repo, rng, ids, anchor, start)
    _build_deployments(repo, rng, ids, anchor)
    _build_releases(repo, rng, ids, anchor, people, history_days)
    _build_protection(repo, rng, ids)
    repo.pushed_at, repo.updated_at = listed


def _fake_sha(text: str) -> str:
    return hashlib.sha1(text.encode()).hexdigest()


def _workflow_files(repo: Repo) -> dict[str, str]:
    out = {}
    for path, content in repo.files().items():
        if path.startswith(".github/workflows/") and path.endswith((".yml", ".yaml")):
            text = content.decode()
            first = text.splitlines()[0] if text else ""
            out[path] = first.split(":", 1)[1].strip() if first.startswith("name:") else path.rsplit("/", 1)[-1]
    return out


def _build_actions(repo: Repo, rng: random.Random, ids: _Ids, anchor: dt.datetime, start: dt.datetime) -> None:
    wf_files = _workflow_files(repo)
    created = repo.commits[-1].date
    for path, name in sorted(wf_files.items()):
        repo.workflows.append(Workflow(ids(), name, path, "active", created, created + dt.timedelta(days=2)))
    if repo.archived or not repo.workflows:
        return
    by_path = {w.path: w for w in repo.workflows}
    run_numbers: dict[int, int] = {w.id: rng.randint(100, 900) for w in repo.workflows}
    runs: list[Run] = []
    p_break, p_fix = {"flaky": (0.35, 0.4), "ci-only": (0.15, 0.6), "full-cd": (0.08, 0.85)}.get(repo.archetype, (0.12, 0.7))
    red = False
    pulls_by_sha = {p.merge_commit_sha: p for p in repo.pulls if p.merge_commit_sha}

    def add(wf: Workflow, event: str, branch: str, sha: str, when: dt.datetime, conclusion: str | None,
            actor: Account, title: str, head: Commit | None, prs: list[int] | None = None) -> None:
        run_numbers[wf.id] += 1
        duration = dt.timedelta(minutes=rng.randint(2, 25))
        status = "completed" if conclusion else "in_progress"
        runs.append(Run(ids(), wf.id, wf.name, wf.path, event, status, conclusion, branch, sha, run_numbers[wf.id],
                        when, when + (duration if conclusion else dt.timedelta(seconds=30)), when, actor, title, head,
                        prs or []))

    ci = by_path.get(".github/workflows/ci.yml") or by_path.get(".github/workflows/terraform.yml")
    deploy = by_path.get(".github/workflows/deploy.yml")
    release_please = by_path.get(".github/workflows/release-please.yml")
    codeql = by_path.get(".github/workflows/codeql.yml")
    window_commits = [c for c in reversed(repo.commits) if c.date >= start]
    head_files = repo.files()
    for c in window_commits:
        title = c.message.splitlines()[0]
        pull = pulls_by_sha.get(c.sha)
        if ci:
            if pull is not None:  # the PR's own runs, before the merge
                add(ci, "pull_request", pull.head_ref, pull.head_sha, pull.created_at + dt.timedelta(minutes=3),
                    "failure" if rng.random() < 0.2 else "success", pull.user, pull.title, None, [pull.number])
            red = (rng.random() < p_break) if not red else (rng.random() >= p_fix)
            add(ci, "push", repo.default_branch, c.sha, c.date + dt.timedelta(seconds=20),
                "failure" if red else "success", c.author, title, c)
        if deploy and b"workflow_dispatch" not in head_files.get(deploy.path, b""):
            add(deploy, "push", repo.default_branch, c.sha, c.date + dt.timedelta(seconds=25),
                "failure" if rng.random() < 0.1 else "success", c.author, title, c)
        if release_please:
            add(release_please, "push", repo.default_branch, c.sha, c.date + dt.timedelta(seconds=30), "success",
                c.author, title, c)
    if deploy and b"workflow_dispatch" in head_files.get(deploy.path, b""):
        for c in window_commits[::5]:
            add(deploy, "workflow_dispatch", repo.default_branch, c.sha, c.date + dt.timedelta(hours=2), "success",
                rng.choice(PEOPLE), "Deploy", c)
    if codeql:
        week = start + dt.timedelta(days=(7 - start.weekday()) % 7, hours=3, minutes=17)
        while week < anchor:
            head = next((c for c in repo.commits if c.date <= week), repo.commits[-1])
            add(codeql, "schedule", repo.default_branch, head.sha, week, "success", repo.commits[-1].author,
                "CodeQL", head)
            week += dt.timedelta(days=7)
    runs.sort(key=lambda r: (r.created_at, r.id), reverse=True)
    # the newest default-branch CI run of some repositories is still running
    if runs and rng.random() < 0.3:
        newest = runs[0]
        newest.status, newest.conclusion = "in_progress", None
    repo.runs = runs


def _build_deployments(repo: Repo, rng: random.Random, ids: _Ids, anchor: dt.datetime) -> None:
    if repo.archived or not repo.runs:
        return
    deploy_runs = [r for r in reversed(repo.runs) if r.path in (".github/workflows/deploy.yml", ".github/workflows/terraform.yml")
                   and r.head_branch == repo.default_branch and r.conclusion]
    if not deploy_runs:
        return
    envs = ["staging", "production"] if repo.archetype != "iac" else ["production"]
    t0 = deploy_runs[0].created_at - dt.timedelta(days=30)
    for i, name in enumerate(envs):
        env = Environment(ids(), name, t0 + dt.timedelta(minutes=i))
        if name == "production":
            env.protected_branches_only = True
            if repo.archetype in ("full-cd", "frontend"):
                env.reviewers = [PEOPLE[4]]
            if repo.archetype == "service":
                env.wait_timer = 5
        repo.environments.append(env)
    last_good: dict[str, str] = {}
    deployments: list[Deployment] = []
    bot = GITHUB_ACTIONS_BOT
    for run in deploy_runs:
        for env in envs:
            created = run.created_at + dt.timedelta(minutes=3 if env == "staging" else 9)
            failed = run.conclusion == "failure" and env == envs[-1]
            if env == "production" and not failed and rng.random() < 0.08:
                failed = True  # production fails on its own now and then
            d = Deployment(ids(), run.head_sha, repo.default_branch, "deploy", env, f"Deploy {run.head_sha[:7]} to {env}",
                           bot, created, production=(env == "production"), original_environment=env)
            d.statuses.append(DeploymentStatus(ids(), "in_progress", created + dt.timedelta(seconds=5), bot, "", env))
            final = "failure" if failed else "success"
            url = f"https://{'app' if env == 'production' else 'staging'}.example.com"
            d.statuses.append(DeploymentStatus(ids(), final, created + dt.timedelta(minutes=4), bot,
                                               "Deployment failed." if failed else "Deployment finished successfully.",
                                               env, environment_url="" if failed else url))
            deployments.append(d)
            if failed and env == "production" and env in last_good:
                # roll back: redeploy the last good commit
                rb_at = created + dt.timedelta(minutes=20)
                rb = Deployment(ids(), last_good[env], repo.default_branch, "deploy", env,
                                f"Rollback to {last_good[env][:7]}", PEOPLE[2], rb_at, production=True,
                                payload={"rollback": True}, original_environment=env)
                rb.statuses.append(DeploymentStatus(ids(), "success", rb_at + dt.timedelta(minutes=3), PEOPLE[2],
                                                    "Rolled back.", env, environment_url=url))
                deployments.append(rb)
            elif not failed:
                last_good[env] = run.head_sha
    # a successful deployment makes the earlier successful ones of its environment inactive
    current: dict[str, Deployment] = {}
    for d in sorted(deployments, key=lambda x: x.created_at):
        if d.statuses[-1].state == "success":
            prev = current.get(d.environment)
            if prev is not None:
                prev.statuses.append(DeploymentStatus(ids(), "inactive", d.statuses[-1].created_at, bot,
                                                      "Superseded.", prev.environment))
            current[d.environment] = d
    repo.deployments = sorted(deployments, key=lambda x: (x.created_at, x.id), reverse=True)


def _bump(version: tuple[int, int, int], rng: random.Random) -> tuple[int, int, int]:
    major, minor, patch = version
    roll = rng.random()
    if roll < 0.1:
        return major + 1, 0, 0
    if roll < 0.5:
        return major, minor + 1, 0
    return major, minor, patch + 1


def _build_releases(repo: Repo, rng: random.Random, ids: _Ids, anchor: dt.datetime, people: list[Account],
                    history_days: int) -> None:
    a = repo.archetype
    if a in ("ci-only", "flaky", "iac", "empty") or not repo.commits:
        return
    version = (1, rng.randint(0, 5), 0) if a != "legacy" else (3, 2, 0)
    every = {"full-cd": 7, "library": 12, "service": 20, "frontend": 15, "legacy": 60}.get(a, 30)
    commits = list(reversed(repo.commits))
    span = dt.timedelta(days=history_days * 5 // 2)  # releases reach further back than the other history
    when = max(commits[0].date, anchor - span) + dt.timedelta(days=every, minutes=rng.randrange(24 * 60))
    prev_tag: str | None = None
    releases: list[Release] = []
    while when < anchor:
        head = next((c for c in repo.commits if c.date <= when), commits[0])
        version = _bump(version, rng)
        tag = f"v{version[0]}.{version[1]}.{version[2]}"
        if a in ("full-cd", "library"):
            author, generated = GITHUB_ACTIONS_BOT, True
            notes = (f"## What's Changed\n* {head.message.splitlines()[0]} by @{people[1].login} in "
                     f"https://github.com/{repo.full_name}/pull/{head.pr_number or 1}\n\n"
                     f"**Full Changelog**: https://github.com/{repo.full_name}/compare/{prev_tag or 'v0.0.0'}...{tag}")
        else:
            author, generated = rng.choice(people), False
            notes = f"Release {tag}.\n\n- bug fixes\n- small improvements\n"
        releases.append(Release(ids(), tag, tag, notes, author, when, when + dt.timedelta(minutes=2), head.sha,
                                prerelease=(version[2] == 0 and rng.random() < 0.1), generated_notes=generated))
        repo.tags.append(Tag(tag, head.sha, when))
        prev_tag = tag
        when += dt.timedelta(days=every + rng.randint(-2, 3), minutes=rng.randrange(-180, 180))
    if a == "legacy" and repo.tags:
        releases = []  # tags only, no GitHub releases
    if a == "library" and repo.tags:  # a draft release and a tag without release
        releases.append(Release(ids(), "v99.0.0-draft", "Next", "draft notes", GITHUB_ACTIONS_BOT,
                                anchor - dt.timedelta(hours=5), None, repo.default_branch, draft=True))
        repo.tags.append(Tag("nightly", repo.commits[0].sha, anchor - dt.timedelta(hours=2)))
    repo.releases = sorted(releases, key=lambda r: (r.created_at, r.id), reverse=True)
    repo.tags.sort(key=lambda t: t.date, reverse=True)


def _build_protection(repo: Repo, rng: random.Random, ids: _Ids) -> None:
    a = repo.archetype
    b = repo.default_branch
    if a == "full-cd":
        repo.protection[b] = Protection(2, True, True, ["test", "analyze"], True, True, True)
        repo.rulesets.append(Ruleset(ids(), "main protections", [
            {"type": "deletion"}, {"type": "non_fast_forward"},
            {"type": "pull_request", "parameters": {"allowed_merge_methods": ["squash"], "dismiss_stale_reviews_on_push": True,
                                                    "require_code_owner_review": True, "require_last_push_approval": False,
                                                    "required_approving_review_count": 2, "required_review_thread_resolution": True}},
        ], source=repo.full_name))
    elif a in ("service", "iac", "frontend"):
        repo.protection[b] = Protection(1, False, False, ["test"] if a != "iac" else ["plan"], False)
    elif a == "library":
        # no classic protection; a ruleset instead
        repo.rulesets.append(Ruleset(ids(), "release branch rules", [
            {"type": "pull_request", "parameters": {"dismiss_stale_reviews_on_push": False, "require_code_owner_review": False,
                                                    "require_last_push_approval": False, "required_approving_review_count": 1,
                                                    "required_review_thread_resolution": False}},
            {"type": "required_status_checks", "parameters": {"strict_required_status_checks_policy": False,
                                                              "required_status_checks": [{"context": "test", "integration_id": 15368}]}},
        ], source=repo.full_name))
    elif a == "ci-only":
        repo.protection[b] = Protection(None, False, False, [], False)
    # flaky, legacy: unprotected


# ----------------------------------------------------------------------------------------------
# replay of real recorded Actions runs (Apache DevLake e2e data, Apache-2.0)

REPLAY_RUNS_CSV = FIXTURES / "devlake_raw_github_api_runs.csv"


def load_recorded_runs() -> list[dict[str, Any]]:
    """The recorded run objects (column ``data``), in file order, exactly as recorded."""
    csv.field_size_limit(1 << 30)
    with REPLAY_RUNS_CSV.open(newline="", encoding="utf-8") as fh:
        return [json.loads(row["data"]) for row in csv.DictReader(fh)]


def replay_org(shift_to: dt.datetime | None = None) -> Org:
    """The account ``panjf2000`` with one repository, ``ants``, whose Actions runs are the real
    recorded ones.  Runs are served verbatim (GitHub's URLs inside them included), plus
    ``display_title`` (which GitHub added to the run object after the recording; filled as GitHub
    does, from the head commit's first line) so the bodies match today's schema.

    ``shift_to`` moves every timestamp by the same amount so that the newest run is at that
    time (to bring the recording inside a scan window)."""
    raw = load_recorded_runs()
    owner_raw = raw[0]["repository"]["owner"]
    owner = Account(owner_raw["login"], owner_raw["id"], owner_raw["type"])
    repo_raw = raw[0]["repository"]
    delta = dt.timedelta(0)
    if shift_to is not None:
        newest = max(_parse_ts(r["created_at"]) for r in raw)
        delta = shift_to.astimezone(UTC) - newest
    created = _parse_ts(min(r["created_at"] for r in raw)) + delta - dt.timedelta(days=365)
    repo = Repo(name=repo_raw["name"], id=repo_raw["id"], owner=owner, created_at=created, archetype="replay",
                description=repo_raw.get("description"), language="Go", default_branch="master", size_kb=1024)
    files = {
        "README.md": "# ants\n\nA goroutine pool for Go (replayed from recorded Actions runs).\n",
        "go.mod": "module github.com/panjf2000/ants/v2\n\ngo 1.13\n",
        "ants.go": "package ants\n",
        ".github/workflows/codeql.yml": _CODEQL,
        ".github/workflows/test.yml": _workflow_ci("go", "master").replace("name: CI", "name: Run Tests"),
    }
    head_dates = [_parse_ts(r["head_commit"]["timestamp"]) + delta for r in raw if r.get("head_commit")]
    repo.push(files, "Recorded repository snapshot", max(head_dates) + dt.timedelta(minutes=1), PEOPLE[0])
    repo.branches = {"master": repo.head.sha}  # type: ignore[union-attr]
    seen: dict[int, Workflow] = {}
    runs: list[Run] = []
    for r in raw:
        rec = json.loads(json.dumps(r))
        if delta:
            _shift(rec, delta)
        if "display_title" not in rec:
            hc = rec.get("head_commit") or {}
            rec["display_title"] = (hc.get("message") or rec.get("name") or "").split("\n", 1)[0]
        if rec["workflow_id"] not in seen:
            seen[rec["workflow_id"]] = Workflow(rec["workflow_id"], rec["name"], rec["path"], "active",
                                                created, created)
        actor = rec.get("actor") or {}
        runs.append(Run(rec["id"], rec["workflow_id"], rec["name"], rec["path"], rec["event"], rec["status"],
                        rec["conclusion"], rec["head_branch"], rec["head_sha"], rec["run_number"],
                        _parse_ts(rec["created_at"]), _parse_ts(rec["updated_at"]),
                        _parse_ts(rec.get("run_started_at") or rec["created_at"]),
                        Account(actor.get("login", "ghost"), actor.get("id", 0), actor.get("type", "User")),
                        rec["display_title"], None, [p.get("number") for p in rec.get("pull_requests") or []],
                        rec.get("run_attempt", 1), rec))
    runs.sort(key=lambda x: (x.created_at, x.id), reverse=True)
    repo.runs = runs
    repo.workflows = sorted(seen.values(), key=lambda w: w.id)
    repo.updated_at = repo.pushed_at = max(r.updated_at for r in runs)
    org = Org(owner, [repo])
    org.special = {"replay": repo.name}
    return org


def _parse_ts(value: str) -> dt.datetime:
    return dt.datetime.strptime(value.replace("Z", "+0000"), "%Y-%m-%dT%H:%M:%S%z")


def _shift(rec: Any, delta: dt.timedelta) -> None:
    if isinstance(rec, dict):
        for k, v in rec.items():
            if isinstance(v, str) and len(v) == 20 and v.endswith("Z") and v[4] == "-" and v[10] == "T":
                rec[k] = iso(_parse_ts(v) + delta)
            else:
                _shift(v, delta)
    elif isinstance(rec, list):
        for x in rec:
            _shift(x, delta)
