"""The data_reader role `migrate` keeps: reads every table, writes none, changes no schema, logs in by IAM only."""

from __future__ import annotations

from collections.abc import Iterator

import psycopg
import pytest
from sqlalchemy import create_engine
from sqlalchemy.engine import make_url

from innovate_api.data_reader import ROLE, ensure_data_reader
from tests.conftest import Server
from tools.processes import run_migrations


@pytest.fixture(scope="module")
def migrated_url(pg_server: Server) -> Iterator[str]:
    url = pg_server.create_database("data_reader_test")
    run_migrations(url)  # migrate keeps data_reader
    yield url
    with psycopg.connect(pg_server.url, autocommit=True) as admin:
        admin.execute('DROP DATABASE "data_reader_test" WITH (FORCE)')


def as_reader(url: str) -> psycopg.Connection[tuple[object, ...]]:
    """A session with data_reader's privileges (SET ROLE: it has no password to log in with locally)."""
    connection = psycopg.connect(url, autocommit=True)
    connection.execute(f"SET ROLE {ROLE}")
    return connection


def test_it_reads_every_table(migrated_url: str) -> None:
    with as_reader(migrated_url) as reader:
        for table in ("projects", "tasks", "idempotency_keys", "alembic_version"):
            reader.execute(f"SELECT count(*) FROM {table}")


@pytest.mark.parametrize(
    "statement",
    [
        "INSERT INTO projects (id, name) VALUES (gen_random_uuid(), 'x')",
        "UPDATE projects SET name = 'x'",
        "DELETE FROM tasks",
        "DROP TABLE tasks",
        "ALTER TABLE projects ADD COLUMN x int",
        "CREATE TABLE mine (id int)",
        "TRUNCATE projects",
    ],
)
def test_it_cannot_write_or_change_the_schema(migrated_url: str, statement: str) -> None:
    with as_reader(migrated_url) as reader, pytest.raises(psycopg.errors.Error) as refused:
        reader.execute(statement)
    assert isinstance(refused.value, psycopg.errors.InsufficientPrivilege | psycopg.errors.ReadOnlySqlTransaction)


def test_its_sessions_are_read_only_even_if_a_grant_slipped(migrated_url: str) -> None:
    with psycopg.connect(migrated_url, autocommit=True) as admin:
        setting = admin.execute(
            "SELECT setconfig FROM pg_db_role_setting JOIN pg_roles r ON r.oid = setrole WHERE r.rolname = %s",
            (ROLE,),
        ).fetchone()
    assert setting is not None
    assert "default_transaction_read_only=on" in setting[0]


def test_it_has_no_password_and_again_changes_nothing(migrated_url: str) -> None:
    engine = create_engine(make_url(migrated_url).set(drivername="postgresql+psycopg"))
    try:
        assert ensure_data_reader(engine) is False  # already there from migrate
    finally:
        engine.dispose()
    with psycopg.connect(migrated_url, autocommit=True) as admin:
        row = admin.execute("SELECT rolcanlogin, rolpassword IS NULL FROM pg_authid WHERE rolname = %s", (ROLE,))
        assert row.fetchone() == (True, True)


def test_on_rds_it_is_granted_rds_iam(migrated_url: str) -> None:
    """RDS has an rds_iam role; a stand-in here shows the grant is made where it exists."""
    with psycopg.connect(migrated_url, autocommit=True) as admin:
        admin.execute("CREATE ROLE rds_iam NOLOGIN")
        try:
            engine = create_engine(make_url(migrated_url).set(drivername="postgresql+psycopg"))
            try:
                ensure_data_reader(engine)
            finally:
                engine.dispose()
            member = admin.execute("SELECT pg_has_role(%s, 'rds_iam', 'MEMBER')", (ROLE,)).fetchone()
            assert member == (True,)
        finally:
            admin.execute("REVOKE rds_iam FROM data_reader")
            admin.execute("DROP ROLE rds_iam")
