"""Alembic environment: runs on the connection that innovate_api.migrate hands over (never on import)."""

from alembic import context

from innovate_api.tables import metadata

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=metadata, transaction_per_migration=True)
with context.begin_transaction():
    context.run_migrations()
