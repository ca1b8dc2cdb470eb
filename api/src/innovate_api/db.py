"""The SQLAlchemy engine: a pool sized by the settings, pre-ping, and timeouts so a request never hangs."""

from __future__ import annotations

from sqlalchemy import Engine, create_engine

from innovate_api.settings import Settings


def create_db_engine(settings: Settings) -> Engine:
    return create_engine(
        settings.sqlalchemy_url(),
        pool_size=settings.db_pool_size,
        max_overflow=settings.db_pool_max_overflow,
        pool_timeout=settings.db_pool_timeout_seconds,
        # A connection broken by a database restart or failover is detected at checkout and replaced, and the
        # whole pool is invalidated on the first disconnect, so recovery costs a few 503s, not a wedged worker.
        pool_pre_ping=True,
        pool_recycle=1800,
        connect_args={
            "connect_timeout": settings.db_connect_timeout_seconds,
            "application_name": "innovate-api",
            "options": f"-c statement_timeout={settings.db_statement_timeout_ms} -c timezone=UTC",
        },
    )


def engine() -> Engine:
    """The engine of the running app (set by create_app)."""
    from flask import current_app

    db_engine: Engine = current_app.extensions["innovate_api.engine"]
    return db_engine
