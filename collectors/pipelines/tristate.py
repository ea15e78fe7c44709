"""Three-valued (Kleene) logic for pipeline guards: True, False, or None for "cannot tell"."""

from __future__ import annotations

from collections.abc import Iterable

Tri = bool | None


def and3(values: Iterable[Tri]) -> Tri:
    values = list(values)
    if any(v is False for v in values):
        return False
    return True if all(v is True for v in values) else None


def or3(values: Iterable[Tri]) -> Tri:
    values = list(values)
    if any(v is True for v in values):
        return True
    return False if all(v is False for v in values) else None


def not3(value: Tri) -> Tri:
    return None if value is None else not value
