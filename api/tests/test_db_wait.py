"""db.wait_for_database: what ``innovate-api migrate --wait-for-database`` (and the off-hours wake-up) waits with."""

from __future__ import annotations

import psycopg
import pytest
from sqlalchemy import create_engine

from innovate_api.db import DatabaseUnreachableError, wait_for_database
from tests.conftest import Server
from tools.processes import free_port


def test_it_retries_until_the_database_is_there(pg_server: Server) -> None:
    # A server that is up but has not created the database yet, as the local PostgreSQL on its first start.
    name = "wait_for_database_later"
    with psycopg.connect(pg_server.url, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    url = pg_server.url.rsplit("/", 1)[0] + "/" + name
    engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
    slept: list[float] = []

    def sleep(seconds: float) -> None:
        slept.append(seconds)
        if len(slept) == 2:
            pg_server.create_database(name)

    try:
        assert wait_for_database(engine, 30, interval_seconds=0.05, sleep=sleep) == 3
    finally:
        engine.dispose()
    assert slept == [0.05, 0.05]


def test_it_gives_up_after_the_timeout_in_one_line() -> None:
    unreachable = create_engine(
        f"postgresql+psycopg://u:p@127.0.0.1:{free_port()}/x", connect_args={"connect_timeout": 1}
    )
    now = [0.0]

    def sleep(seconds: float) -> None:
        now[0] += seconds

    with pytest.raises(DatabaseUnreachableError, match=r"^database not reachable after 2 s \(5 attempts\): ") as raised:
        wait_for_database(unreachable, 2, interval_seconds=0.5, clock=lambda: now[0], sleep=sleep)
    assert "\n" not in str(raised.value)
