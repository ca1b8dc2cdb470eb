"""DriverStatement: statements run on the DBAPI cursor keep SQLAlchemy's error and disconnect semantics."""

from __future__ import annotations

import time
from collections.abc import Iterator

import psycopg
import pytest
from sqlalchemy import Engine, bindparam, literal, select
from sqlalchemy import exc as sa_exc

from innovate_api.db import DriverStatement, create_db_engine
from innovate_api.settings import Settings

DIVIDE = DriverStatement(select((literal(10) / bindparam("by")).label("quotient")))


@pytest.fixture
def quiet_engine(database_url: str) -> Iterator[Engine]:
    """A pool that never pings idle connections on its own (a one-hour threshold)."""
    engine = create_db_engine(Settings(database_url=database_url, db_pool_size=2, db_pool_ping_idle_seconds=3600))
    yield engine
    engine.dispose()


def test_rows_come_back_with_columns_as_attributes(quiet_engine: Engine) -> None:
    with quiet_engine.begin() as connection:
        assert DIVIDE.first(connection, {"by": 5}) == {"quotient": 2}


def test_a_statement_error_is_sqlalchemys_and_keeps_the_connection(quiet_engine: Engine) -> None:
    with pytest.raises(sa_exc.DataError) as raised, quiet_engine.begin() as connection:
        DIVIDE.first(connection, {"by": 0})
    assert not raised.value.connection_invalidated
    assert isinstance(raised.value.orig, psycopg.errors.DivisionByZero)


def test_a_lost_connection_is_invalidated_and_the_others_are_checked_before_use(
    quiet_engine: Engine, database_url: str
) -> None:
    # Two pooled connections, both idle; then the server ends every session of the API (a restart or failover).
    with quiet_engine.connect() as first, quiet_engine.connect() as second:
        first.exec_driver_sql("SELECT 1")
        second.exec_driver_sql("SELECT 1")
    with psycopg.connect(database_url, autocommit=True) as admin:
        admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            " WHERE application_name = 'innovate-api' AND datname = current_database()"
        )

    with pytest.raises(sa_exc.OperationalError) as raised, quiet_engine.begin() as connection:
        DIVIDE.first(connection, {"by": 5})
    assert raised.value.connection_invalidated  # the API answers 503 + Retry-After for it

    # The other connection went idle before the loss: it is pinged at checkout and replaced, not handed out dead.
    with quiet_engine.begin() as connection:
        assert DIVIDE.first(connection, {"by": 5}) == {"quotient": 2}


def test_the_pool_replaces_connections_older_than_the_recycle_setting(database_url: str) -> None:
    """A replaced connection logs in anew, which is how a rotated DB_SECRET_FILE reaches a running process."""
    engine = create_db_engine(Settings(database_url=database_url, db_pool_recycle_seconds=1))
    try:
        with engine.connect() as connection:
            first = connection.exec_driver_sql("SELECT pg_backend_pid()").scalar_one()
        time.sleep(1.2)
        with engine.connect() as connection:
            second = connection.exec_driver_sql("SELECT pg_backend_pid()").scalar_one()
    finally:
        engine.dispose()
    assert first != second
    assert Settings(database_url=database_url).db_pool_recycle_seconds == 1800
