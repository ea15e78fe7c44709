"""Alembic environment of the history store: runs on the connection `Store` passes in `config.attributes["connection"]`."""

from __future__ import annotations

from alembic import context

from scanner.store.models import Base

connection = context.config.attributes.get("connection")
if connection is None:  # pragma: no cover - the store always passes its connection
    raise RuntimeError("the history store migrations run only through scanner.store.Store.upgrade")

context.configure(connection=connection, target_metadata=Base.metadata)
with context.begin_transaction():
    context.run_migrations()
