"""The history store: every scan and per-repository result, in SQLite (default) or PostgreSQL, migrated with Alembic."""

from scanner.store.store import HistoryRow, RepoChange, ScanDiff, ScanRow, Store, StoredResult, StoreError

__all__ = ["HistoryRow", "RepoChange", "ScanDiff", "ScanRow", "Store", "StoreError", "StoredResult"]
