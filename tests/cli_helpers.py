"""Run the `maturity` command line in-process, with a given environment, and capture what it prints."""

from __future__ import annotations

import io
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

from scanner.cli import main


def run_cli(args: list[str], monkeypatch, tmp_path: Path, **env: str) -> tuple[int, str, str]:  # noqa: ANN001
    """(exit code, stdout, stderr); `env` is set for the run, and the cache goes under `tmp_path`."""
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main(args)
    return code, out.getvalue(), err.getvalue()


def get(signals: dict, key: str):
    """The value of a dotted signal key in a nested signals document, or None when absent."""
    node = signals
    for part in key.split("."):
        if not isinstance(node, dict) or part not in node:
            return None
        node = node[part]
    return node
