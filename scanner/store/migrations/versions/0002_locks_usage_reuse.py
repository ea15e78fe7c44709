"""Locks (one scanning daemon per database), API usage per scan, reused results, and repository topics and teams.

Revision ID: 0002_locks_usage_reuse
Revises: 0001_initial
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002_locks_usage_reuse"
down_revision = "0001_initial"
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "locks",
        sa.Column("name", sa.String(200), primary_key=True),
        sa.Column("holder", sa.String(200), nullable=False),
        sa.Column("acquired_at", TS, nullable=False),
        sa.Column("heartbeat_at", TS, nullable=False),
    )
    op.create_table(
        "api_usage",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("scan_id", sa.Integer, sa.ForeignKey("scans.id", ondelete="CASCADE"), nullable=False),
        sa.Column("provider", sa.String(16), nullable=False),
        sa.Column("requests", sa.Integer, nullable=False),
        sa.Column("points", sa.Integer, nullable=True),
        sa.Column("not_modified", sa.Integer, nullable=False),
        sa.Column("rate_limit_remaining", sa.Integer, nullable=True),
        sa.Column("waited_s", sa.Float, nullable=False),
        sa.Column("cache_reused", sa.Integer, nullable=False),
    )
    op.create_index("ix_api_usage_scan_id", "api_usage", ["scan_id"])
    if op.get_bind().dialect.name == "sqlite":
        # SQLite adds a nullable column with an inline REFERENCES clause; no table rebuild (which, with foreign keys on,
        # would cascade-delete the evidence of every result).
        op.execute("ALTER TABLE results ADD COLUMN reused_from INTEGER REFERENCES results (id) ON DELETE SET NULL")
    else:
        op.add_column("results", sa.Column("reused_from", sa.Integer, nullable=True))
        op.create_foreign_key("fk_results_reused_from", "results", "results", ["reused_from"], ["id"], ondelete="SET NULL")
    op.add_column("results", sa.Column("cursor", sa.Text, nullable=True))
    op.add_column("repositories", sa.Column("topics", sa.JSON, nullable=True))
    op.add_column("repositories", sa.Column("teams", sa.JSON, nullable=True))


def downgrade() -> None:
    op.drop_column("repositories", "teams")
    op.drop_column("repositories", "topics")
    op.drop_column("results", "cursor")
    op.drop_column("results", "reused_from")
    op.drop_table("api_usage")
    op.drop_table("locks")
