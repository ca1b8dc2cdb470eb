"""Migrations on an empty database: up to head matches the tables the code uses, down to base leaves nothing."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine, inspect, text

from innovate_api import migrate
from innovate_api.settings import Settings
from innovate_api.tables import metadata
from tests.conftest import Server


def test_up_down_up_on_an_empty_database(pg_server: Server) -> None:
    settings = Settings(database_url=pg_server.create_database("api_migrations"))
    engine = create_engine(settings.sqlalchemy_url())
    try:
        migrate.upgrade(engine)
        with engine.connect() as connection:
            assert migrate.current_revision(connection) == migrate.head_revision()
            diff = compare_metadata(MigrationContext.configure(connection), metadata)
            assert diff == [], f"migrations and tables.py disagree: {diff}"

        migrate.downgrade(engine, "base")
        with engine.connect() as connection:
            assert set(inspect(connection).get_table_names()) <= {"alembic_version"}
            types = connection.execute(text("SELECT typname FROM pg_type WHERE typname = 'task_status'")).all()
            assert types == []
            assert migrate.current_revision(connection) is None

        migrate.upgrade(engine)
        with engine.connect() as connection:
            assert {"projects", "tasks", "idempotency_keys"} <= set(inspect(connection).get_table_names())
    finally:
        engine.dispose()
