"""Readiness on schema compatibility: an image serves every schema from its oldest supported one up to a newer one
that still serves it (expand/contract), and refuses the rest."""

from __future__ import annotations

from collections.abc import Iterator
from types import ModuleType

import pytest
from flask import Flask
from sqlalchemy import Engine, create_engine, inspect, text

from innovate_api import migrate, schema_compat
from innovate_api.app import create_app
from innovate_api.db import create_db_engine
from innovate_api.schema_compat import Migration, MigrationDeclarationError
from innovate_api.settings import Settings
from innovate_api.tables import metadata
from tests.auth_tokens import TEST_AUTH
from tests.conftest import Server

HEAD = migrate.head_revision()
FIRST = schema_compat.history()[0].revision


@pytest.fixture
def scratch(pg_server: Server) -> Iterator[tuple[Engine, Flask]]:
    """A migrated database of its own (the tests rewrite alembic_version) and an app on it."""
    settings = Settings(database_url=pg_server.create_database("api_schema_compat"), **TEST_AUTH)
    engine = create_db_engine(settings)
    migrate.upgrade(engine)
    try:
        yield engine, create_app(settings, engine=engine)
    finally:
        engine.dispose()


def _set(engine: Engine, *, revision: str, oldest_image: str | None) -> None:
    with engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = :r"), {"r": revision})
        connection.execute(text("DELETE FROM schema_compatibility"))
        if oldest_image is not None:
            connection.execute(
                text("INSERT INTO schema_compatibility (oldest_image_revision) VALUES (:r)"), {"r": oldest_image}
            )


def _readyz(app: Flask) -> tuple[int, dict[str, str]]:
    response = app.test_client().get("/readyz")
    return response.status_code, response.get_json()


def test_migrate_records_the_oldest_image_the_schema_serves(scratch: tuple[Engine, Flask]) -> None:
    engine, app = scratch
    with engine.connect() as connection:
        assert schema_compat.recorded_oldest_image_served(connection) == FIRST  # only expand migrations so far
    assert _readyz(app) == (200, {"status": "ready"})


def test_the_previous_image_stays_ready_on_a_newer_schema_that_still_serves_it(scratch: tuple[Engine, Flask]) -> None:
    """The canary moment: the PreSync Job migrated past this image's head (an expand step)."""
    engine, app = scratch
    _set(engine, revision="9999_from_the_next_release", oldest_image=FIRST)
    assert _readyz(app) == (200, {"status": "ready"})


def test_an_image_is_refused_by_a_newer_schema_that_contracted_past_it(scratch: tuple[Engine, Flask]) -> None:
    engine, app = scratch
    _set(engine, revision="9999_from_the_next_release", oldest_image="9998_not_known_here")
    status, body = _readyz(app)
    assert status == 503
    assert body["status"] == "schema newer than this image supports"
    assert body["oldest_image_served"] == "9998_not_known_here"


def test_an_unknown_schema_without_a_compatibility_record_is_refused(scratch: tuple[Engine, Flask]) -> None:
    engine, app = scratch
    _set(engine, revision="9999_from_the_next_release", oldest_image=None)
    assert _readyz(app)[0] == 503


def test_a_schema_older_than_the_image_supports_is_refused(
    scratch: tuple[Engine, Flask], monkeypatch: pytest.MonkeyPatch
) -> None:
    engine, app = scratch
    monkeypatch.setattr(schema_compat, "OLDEST_SCHEMA_REVISION", HEAD)
    _set(engine, revision=FIRST, oldest_image=FIRST)
    status, body = _readyz(app)
    assert (status, body["status"], body["database"], body["oldest_schema"]) == (
        503,
        "schema older than this image supports",
        FIRST,
        HEAD,
    )


def test_a_contract_migration_raises_the_oldest_image_served_to_its_parent(monkeypatch: pytest.MonkeyPatch) -> None:
    chain = (
        Migration("a", None, "expand"),
        Migration("b", "a", "expand"),
        Migration("c", "b", "contract"),
        Migration("d", "c", "expand"),
    )
    monkeypatch.setattr(schema_compat, "history", lambda: chain)
    assert [schema_compat.oldest_image_served(m.revision) for m in chain] == ["a", "a", "b", "b"]


def test_every_migration_declares_its_phase() -> None:
    assert {m.phase for m in schema_compat.history()} <= {"expand", "contract"}
    undeclared = ModuleType("0042_undeclared")
    with pytest.raises(MigrationDeclarationError, match='declare phase = "expand" or "contract"'):
        schema_compat._phase("0042", undeclared)


def test_the_oldest_supported_schema_has_every_table_and_column_the_code_uses(pg_server: Server) -> None:
    """OLDEST_SCHEMA_REVISION is honest: migrated only that far, the database has what tables.py declares (but the
    compatibility record, which readiness reads only when it exists)."""
    url = Settings(database_url=pg_server.create_database("api_oldest_schema")).sqlalchemy_url()
    engine = create_engine(url)
    try:
        migrate.upgrade(engine, schema_compat.OLDEST_SCHEMA_REVISION)
        schema = inspect(engine)
        missing = [
            f"{table.name}.{column.name}"
            for table in metadata.sorted_tables
            if table.name != schema_compat.COMPATIBILITY_TABLE
            for column in table.columns
            if column.name not in {c["name"] for c in schema.get_columns(table.name)}
        ]
    finally:
        engine.dispose()
    assert missing == [], f"raise OLDEST_SCHEMA_REVISION: the code uses {missing}"
