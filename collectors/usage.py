"""What a scan cost at an API: requests, rate-limit points, 304s, waits and what is left."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any


@dataclass
class Usage:
    """What the scan cost."""

    requests: int = 0
    """HTTP requests sent (retries and 304s included)."""
    points: int = 0
    """GitHub rate-limit points charged: 1 per REST answer that is not a 304, GraphQL by its reported cost (0 elsewhere)."""
    not_modified: int = 0
    """304 answers (free)."""
    waited_s: float = 0.0
    """Seconds spent waiting for rate limits."""
    remaining: dict[str, int] = field(default_factory=dict)
    """Rate-limit resource (`core`, `graphql`; `requests` at GitLab) -> what is left, from the latest answer."""
    reset_at: dict[str, float] = field(default_factory=dict)
    """Rate-limit resource -> reset time (epoch seconds)."""

    def reset_datetime(self) -> datetime | None:
        if not self.reset_at:
            return None
        return datetime.fromtimestamp(max(self.reset_at.values()), tz=timezone.utc).replace(microsecond=0)

    def add(self, other: Usage) -> None:
        """Fold another collector's usage into this total."""
        self.requests += other.requests
        self.points += other.points
        self.not_modified += other.not_modified
        self.waited_s += other.waited_s
        self.remaining.update(other.remaining)
        self.reset_at.update(other.reset_at)


def count_requests(session: Any, usage: Usage, on_response: Callable[[Any], None] | None = None) -> threading.Lock:
    """Count every answer a requests session receives into `usage` (python-gitlab and python-jenkins
    are requests-based); `on_response` sees each one too (rate-limit headers, 429 waits).
    Returns the lock that guards `usage`."""
    lock = threading.Lock()

    def hook(response: Any, *args: Any, **kwargs: Any) -> None:
        with lock:
            usage.requests += 1
        if on_response is not None:
            on_response(response)

    session.hooks["response"].append(hook)
    return lock

