"""The SQLAlchemy engine: a pool sized by the settings, pre-ping, and timeouts so a request never hangs."""

from __future__ import annotations

import time
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy import exc as sa_exc

from innovate_api.settings import Settings


def create_db_engine(settings: Settings) -> Engine:
    engine = create_engine(
        settings.sqlalchemy_url(),
        pool_size=settings.db_pool_size,
        max_overflow=settings.db_pool_max_overflow,
        pool_timeout=settings.db_pool_timeout_seconds,
        pool_recycle=1800,
        connect_args={
            "connect_timeout": settings.db_connect_timeout_seconds,
            "application_name": "innovate-api",
            "options": f"-c statement_timeout={settings.db_statement_timeout_ms} -c timezone=UTC",
        },
    )
    _ping_idle_connections(engine, settings.db_pool_ping_idle_seconds)
    return engine


def _ping_idle_connections(engine: Engine, idle_seconds: float) -> None:
    """Pre-ping, but only connections that sat idle in the pool for longer than ``idle_seconds``.

    SQLAlchemy's ``pool_pre_ping`` pings on every checkout: one more round trip per request, most of the cost of a
    short read. A connection used a moment ago is almost surely alive; one idle for a while may have been cut by a
    restart, failover or idle timeout, and is pinged and, if dead, replaced before the request sees it. If a
    connection breaks between ping and use anyway, the request gets a 503 and SQLAlchemy invalidates the whole
    pool, so the next requests start on fresh connections (measured in tests/test_db_fault.py).
    """

    @event.listens_for(engine, "connect")
    def _fresh(_dbapi_connection: Any, record: Any) -> None:
        record.info["idle_since"] = time.monotonic()

    @event.listens_for(engine, "checkin")
    def _idle(_dbapi_connection: Any, record: Any) -> None:
        record.info["idle_since"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _ping(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
        if time.monotonic() - record.info.get("idle_since", 0.0) <= idle_seconds:
            return
        try:
            engine.dialect.do_ping(dbapi_connection)
        except Exception as error:
            # The pool discards this connection and checks out (or opens) another one.
            raise sa_exc.DisconnectionError(f"idle connection failed its ping: {type(error).__name__}") from error


def autocommit(engine: Engine) -> Engine:
    """The same pool in autocommit mode, for single-statement reads: no BEGIN/ROLLBACK round trips."""
    return engine.execution_options(isolation_level="AUTOCOMMIT")


def engine() -> Engine:
    """The engine of the running app (set by create_app), for writes: ``with engine().begin() as connection``."""
    from flask import current_app

    db_engine: Engine = current_app.extensions["innovate_api.engine"]
    return db_engine


def reader() -> Engine:
    """The app's autocommit engine for reads (``with reader().connect() as connection``)."""
    from flask import current_app

    db_reader: Engine = current_app.extensions["innovate_api.reader"]
    return db_reader
