"""The error hierarchy. Every error a user can cause is a `MaturityError` with a one-line message."""

from __future__ import annotations


class MaturityError(Exception):
    """Base of every error the scanner raises on purpose."""

    exit_code = 1


class UsageError(MaturityError):
    """Bad command-line input: a missing path, an unknown format, a bad level."""

    exit_code = 2


class ConfigError(UsageError):
    """A malformed configuration or `.maturity.toml` file."""


class RuleFileError(UsageError):
    """A model or rule file that does not load; the message starts with `file:line:`."""

    def __init__(self, path: str, line: int | None, reason: str) -> None:
        self.path = path
        self.line = line
        self.reason = reason
        where = f"{path}:{line}" if line else path
        super().__init__(f"{where}: {reason}")


class CollectorError(MaturityError):
    """A source could not be read (an unreadable checkout, an API that failed)."""
