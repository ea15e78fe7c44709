from __future__ import annotations

import subprocess
from pathlib import Path

import pytest


def write_tree(root: Path, files: dict[str, str | bytes]) -> Path:
    for rel, content in files.items():
        p = root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            p.write_bytes(content)
        else:
            p.write_text(content, encoding="utf-8")
    return root


def git_init(root: Path, remote: str | None = None, default_branch: str | None = None) -> None:
    def git(*args: str) -> None:
        subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True)

    git("init", "-q", "-b", "main")
    git("config", "user.email", "t@example.invalid")
    git("config", "user.name", "t")
    git("add", "-A")
    git("commit", "-q", "-m", "init", "--allow-empty")
    if remote:
        git("remote", "add", "origin", remote)
        if default_branch:
            git("update-ref", f"refs/remotes/origin/{default_branch}", "HEAD")
            git("symbolic-ref", "refs/remotes/origin/HEAD", f"refs/remotes/origin/{default_branch}")


@pytest.fixture
def make_repo(tmp_path: Path):
    """Build a small repository on disk: make_repo({path: text}, git=True, remote=None)."""
    counter = {"n": 0}

    def _make(files: dict[str, str | bytes], git: bool = True, remote: str | None = None, default_branch: str | None = "main") -> Path:
        counter["n"] += 1
        root = tmp_path / f"repo{counter['n']}"
        root.mkdir()
        write_tree(root, files)
        if git:
            git_init(root, remote, default_branch if remote else None)
        return root

    return _make
