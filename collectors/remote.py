"""Helpers shared by the API collectors (GitHub, GitLab): evidence locators as URLs, and the
fingerprint that ties cached detector results to the detectors' code."""

from __future__ import annotations

import functools
import hashlib
from pathlib import Path
from urllib.parse import quote

from scanner.evidence import Evidence, Warning_


@functools.cache
def detector_code_fingerprint() -> str:
    """A hash of the detectors' code, so cached detection results die with a scanner change."""
    import collectors

    root = Path(collectors.__file__).parent
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*.py")):
        digest.update(path.relative_to(root).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def locate_evidence(e: Evidence, blob_base: str, html_url: str) -> Evidence:
    """A file locator (`path:line`, or `.` for "looked, found none") as a URL a person can open."""
    loc = e.locator
    if loc.startswith(("http://", "https://")):
        return e
    if loc in (".", ""):
        return e.model_copy(update={"locator": html_url})
    path, _, line = loc.partition(":")
    url = blob_base + quote(path)
    if line.isdigit():
        url += f"#L{line}"
    return e.model_copy(update={"locator": url})


def locate_warning(w: Warning_, blob_base: str) -> Warning_:
    if not w.locator or w.locator.startswith(("http://", "https://")):
        return w
    path, _, line = w.locator.partition(":")
    return w.model_copy(update={"locator": blob_base + quote(path) + (f"#L{line}" if line.isdigit() else "")})
