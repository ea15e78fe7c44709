"""A small on-disk cache that makes a rescan cheap, in one SQLite file.

- `etag`: REST answers by URL with their ETag, revalidated with `If-None-Match` (GitHub does not
  charge a 304). Only the URL, the ETag and the body are stored, never a request header, so no
  token reaches the disk. (hishel 2 stores request headers, Authorization included, in its
  entries; that is why this is not hishel.)
- `objects`: git trees and blobs by object id. They are content-addressed, so they never go stale.
- `history`: a repository's history records under a fingerprint of its cursors (HEAD, newest
  release, newest deployment status, tags). Reused only while the fingerprint is unchanged.

A cache that cannot be opened or written is skipped with a warning; it never fails a scan.
"""

from __future__ import annotations

import json
import logging
import sqlite3
import threading
import time
import zlib
from pathlib import Path
from typing import Any

log = logging.getLogger("maturity")

ETAG_DAYS = 30
"""ETag answers and history older than this are dropped when the cache opens."""
OBJECT_DAYS = 90
"""Trees, blobs and detector results older than this are dropped (they are fetched again if needed)."""

_SCHEMA = """
CREATE TABLE IF NOT EXISTS etag (url TEXT PRIMARY KEY, etag TEXT NOT NULL, body BLOB NOT NULL, stored REAL NOT NULL);
CREATE TABLE IF NOT EXISTS objects (key TEXT PRIMARY KEY, body BLOB NOT NULL, stored REAL NOT NULL);
CREATE TABLE IF NOT EXISTS history (repo TEXT PRIMARY KEY, fingerprint TEXT NOT NULL, body BLOB NOT NULL, stored REAL NOT NULL);
"""


class ApiCache:
    """The cache for one API host. `ApiCache(None)` is a cache that keeps nothing."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._db: sqlite3.Connection | None = None
        if path is None:
            return
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            db = sqlite3.connect(str(path), check_same_thread=False, isolation_level=None, timeout=10)
            db.execute("PRAGMA journal_mode=WAL")
            db.executescript(_SCHEMA)
            now = time.time()
            # keys with a date in them (the runs window) would otherwise pile up day after day
            db.execute("DELETE FROM etag WHERE stored < ?", (now - ETAG_DAYS * 86400,))
            db.execute("DELETE FROM history WHERE stored < ?", (now - ETAG_DAYS * 86400,))
            db.execute("DELETE FROM objects WHERE stored < ?", (now - OBJECT_DAYS * 86400,))
            self._db = db
        except (OSError, sqlite3.Error) as exc:
            log.warning("cache disabled: cannot open %s: %s", path, exc)

    def _get(self, sql: str, key: str) -> tuple[Any, ...] | None:
        if self._db is None:
            return None
        try:
            with self._lock:
                return self._db.execute(sql, (key,)).fetchone()
        except sqlite3.Error as exc:
            log.warning("cache read failed: %s", exc)
            return None

    def _put(self, sql: str, values: tuple[Any, ...]) -> None:
        if self._db is None:
            return
        try:
            with self._lock:
                self._db.execute(sql, values)
        except sqlite3.Error as exc:
            log.warning("cache write failed: %s", exc)

    # -- REST answers by ETag

    def etag(self, url: str) -> tuple[str, bytes] | None:
        row = self._get("SELECT etag, body FROM etag WHERE url = ?", url)
        return (row[0], zlib.decompress(row[1])) if row else None

    def store_etag(self, url: str, etag: str, body: bytes) -> None:
        self._put("INSERT OR REPLACE INTO etag VALUES (?, ?, ?, ?)", (url, etag, zlib.compress(body), time.time()))

    # -- git objects by id

    def object(self, key: str) -> Any | None:
        row = self._get("SELECT body FROM objects WHERE key = ?", key)
        return json.loads(zlib.decompress(row[0])) if row else None

    def store_object(self, key: str, value: Any) -> None:
        self._put("INSERT OR REPLACE INTO objects VALUES (?, ?, ?)", (key, zlib.compress(json.dumps(value).encode()), time.time()))

    # -- history by fingerprint

    def history(self, repo: str, fingerprint: str) -> Any | None:
        row = self._get("SELECT fingerprint, body FROM history WHERE repo = ?", repo)
        if row is None or row[0] != fingerprint:
            return None
        return json.loads(zlib.decompress(row[1]))

    def store_history(self, repo: str, fingerprint: str, value: Any) -> None:
        self._put("INSERT OR REPLACE INTO history VALUES (?, ?, ?, ?)", (repo, fingerprint, zlib.compress(json.dumps(value).encode()), time.time()))

    def close(self) -> None:
        if self._db is not None:
            with self._lock:
                self._db.close()
            self._db = None
