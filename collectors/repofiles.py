"""One small abstraction over a repository's files, so every detector runs the same way on a
local checkout and on a tree fetched through an API.

Paths are POSIX, relative to the repository root. Each file's text is read at most once.
"""

from __future__ import annotations

import os
import re
import subprocess
from abc import ABC, abstractmethod
from collections.abc import Iterable, Mapping
from fnmatch import fnmatch
from functools import cached_property
from pathlib import Path

MAX_FILE_BYTES = 1_000_000
"""Files larger than this are not read (they are listed, but `read_text` gives None)."""

# Folders whose content is not evidence of how *this* repository is built and shipped: vendored
# code, fixtures, examples and documentation (see the traps in SIGNALS.md).
NON_EVIDENCE_DIRS = frozenset({
    "node_modules", "vendor", "vendors", "third_party", "third-party", "thirdparty",
    "bower_components", "jspm_packages", ".venv", "venv", "site-packages", ".tox", ".nox",
    "testdata", "test-data", "test_data", "fixtures", "fixture", "__fixtures__", "__snapshots__",
    "examples", "example", "samples", "sample", "demo", "demos", "quickstart", "quickstarts",
    "docs", "doc", "documentation", "website", "_site", ".git", ".hg", ".svn",
    "dist", "target", ".gradle", ".idea", ".vscode", "testing-data", "golden", "goldens",
    "snapshots",
    # scaffolding that generates *other* projects (`django-admin startproject --template`, cookiecutter)
    "project_template", "app_template",
})
_NON_EVIDENCE_PATTERNS = (
    re.compile(r"(^|[-_.])(example|examples|sample|samples|fixture|fixtures|testdata|demo)([-_.]|$)"),
    re.compile(r"\{\{"),  # a templated folder name: `{{cookiecutter.project_slug}}/`, `{{ project_name }}/`
)
_BINARY_SNIFF = 8192


def is_evidence_path(path: str) -> bool:
    """False for files inside vendored, fixture, example or documentation folders."""
    for part in path.split("/")[:-1]:
        low = part.lower()
        if low in NON_EVIDENCE_DIRS or any(p.search(low) for p in _NON_EVIDENCE_PATTERNS):
            return False
    return True


class RepoFiles(ABC):
    """The files of one repository at one revision."""

    def __init__(self) -> None:
        self._text: dict[str, str | None] = {}
        self.reads = 0
        """How many files were actually loaded (for the read-once guarantee)."""

    @abstractmethod
    def all_paths(self) -> list[str]:
        """Every file path in the repository, sorted."""

    @abstractmethod
    def _load(self, path: str) -> bytes | None:
        """The file's bytes, or None when it is missing, too large or unreadable."""

    @cached_property
    def paths(self) -> list[str]:
        """The paths that count as evidence (vendored, fixture, example and docs folders left out)."""
        return [p for p in self.all_paths() if is_evidence_path(p)]

    @cached_property
    def _path_set(self) -> frozenset[str]:
        return frozenset(self.all_paths())

    def exists(self, path: str) -> bool:
        return path in self._path_set

    def read_text(self, path: str) -> str | None:
        """Decoded text (UTF-8, BOM stripped), or None for a missing, binary or too-large file."""
        if path in self._text:
            return self._text[path]
        text: str | None = None
        if path in self._path_set:
            data = self._load(path)
            self.reads += 1
            if data is not None and b"\x00" not in data[:_BINARY_SNIFF]:
                text = data.decode("utf-8", errors="replace").removeprefix("\ufeff")
        self._text[path] = text
        return text

    def glob(self, *patterns: str, evidence_only: bool = True) -> list[str]:
        """Paths matching any shell pattern (matched against the whole path, `*` crosses `/`)."""
        pool = self.paths if evidence_only else self.all_paths()
        return [p for p in pool if any(fnmatch(p, pat) for pat in patterns)]

    def named(self, *names: str, evidence_only: bool = True) -> list[str]:
        """Paths whose file name is one of `names` (case-sensitive), at any depth."""
        index = self._names_evidence if evidence_only else self._names_all
        return sorted(p for name in set(names) for p in index.get(name, ()))

    @cached_property
    def _names_all(self) -> dict[str, list[str]]:
        return self._index_names(self.all_paths())

    @cached_property
    def _names_evidence(self) -> dict[str, list[str]]:
        return self._index_names(self.paths)

    @staticmethod
    def _index_names(paths: list[str]) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        for p in paths:
            out.setdefault(p.rpartition("/")[2], []).append(p)
        return out

    def under(self, folder: str) -> list[str]:
        prefix = folder.rstrip("/") + "/"
        return [p for p in self.all_paths() if p.startswith(prefix)]


class MemoryRepoFiles(RepoFiles):
    """Files held in memory: tests, and trees fetched through an API."""

    def __init__(self, files: Mapping[str, str | bytes]) -> None:
        super().__init__()
        self._files = {k: (v.encode() if isinstance(v, str) else v) for k, v in files.items()}

    def all_paths(self) -> list[str]:
        return sorted(self._files)

    def _load(self, path: str) -> bytes | None:
        data = self._files.get(path)
        return data if data is not None and len(data) <= MAX_FILE_BYTES else None


class LocalRepoFiles(RepoFiles):
    """A directory on disk. Uses `git ls-files` in a git checkout; otherwise walks the tree
    without following links that leave it."""

    def __init__(self, root: Path) -> None:
        super().__init__()
        self.root = root.resolve()
        self.git = False

    @cached_property
    def _listing(self) -> list[str]:
        listed = self._git_ls_files()
        if listed is not None:
            self.git = True
            return sorted(listed)
        return sorted(self._walk())

    def all_paths(self) -> list[str]:
        return self._listing

    def _git_ls_files(self) -> list[str] | None:
        if not (self.root / ".git").exists():
            return None
        try:
            proc = subprocess.run(
                ["git", "-C", str(self.root), "ls-files", "-z", "--cached", "--others", "--exclude-standard", "--deduplicate"],
                capture_output=True, timeout=60, check=False,
            )
        except (OSError, subprocess.TimeoutExpired):
            return None
        if proc.returncode != 0:
            return None
        names = proc.stdout.decode("utf-8", errors="surrogateescape").split("\0")
        return [n for n in dict.fromkeys(names) if n]

    def _walk(self) -> Iterable[str]:
        root = str(self.root)
        for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
            dirnames[:] = [d for d in dirnames if d not in (".git", ".hg", ".svn", "node_modules")]
            rel = os.path.relpath(dirpath, root)
            for name in filenames:
                yield name if rel == "." else f"{rel}/{name}".replace(os.sep, "/")

    def _load(self, path: str) -> bytes | None:
        full = self.root / path
        try:
            if full.is_symlink():
                target = full.resolve()
                if not target.is_relative_to(self.root):
                    return None
                full = target
            if not full.is_file() or full.stat().st_size > MAX_FILE_BYTES:
                return None
            return full.read_bytes()
        except OSError:
            return None
