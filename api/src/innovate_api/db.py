"""The SQLAlchemy engine: a pool sized by the settings, pre-ping, timeouts so a request never hangs, and credentials
read from DB_SECRET_FILE at every new connection so a rotated password never needs a restart."""

from __future__ import annotations

import time
import weakref
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import psycopg
from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy import exc as sa_exc
from sqlalchemy.dialects.postgresql.psycopg import PGDialect_psycopg
from sqlalchemy.pool import Pool
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.selectable import ReturnsRows

# Flask and OpenTelemetry are imported where they are used, not here: the database commands (migrate,
# bootstrap-roles) use this module outside the app, and importing them was a third of migrate's start.
from innovate_api.secret_file import Credentials, SecretFileError, read_credentials
from innovate_api.settings import Settings

# When a statement run by DriverStatement last found its connection lost, per pool: every connection that went idle
# before then is pinged at its next checkout (what SQLAlchemy's own pool invalidation does for its statements).
_LOST_AT: weakref.WeakKeyDictionary[Pool, float] = weakref.WeakKeyDictionary()


def create_db_engine(settings: Settings) -> Engine:
    engine = create_engine(
        settings.sqlalchemy_url(),
        pool_size=settings.db_pool_size,
        max_overflow=settings.db_pool_max_overflow,
        pool_timeout=settings.db_pool_timeout_seconds,
        pool_recycle=settings.db_pool_recycle_seconds,
        connect_args={
            "connect_timeout": settings.db_connect_timeout_seconds,
            "application_name": "innovate-api",
            "options": f"-c statement_timeout={settings.db_statement_timeout_ms} -c timezone=UTC",
        },
    )
    _ping_idle_connections(engine, settings.db_pool_ping_idle_seconds)
    if settings.db_secret_file is not None:
        _credentials_from_file(engine, settings.db_secret_file)
    return engine


class DatabaseUnreachableError(Exception):
    """No connection within the wait; the message fits on one line and names the last error."""


def wait_for_database(
    engine: Engine,
    timeout_seconds: float,
    *,
    interval_seconds: float,
    clock: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], None] = time.sleep,
) -> int:
    """Return once ``SELECT 1`` succeeds (the attempts it took); raise DatabaseUnreachableError after
    ``timeout_seconds`` of failures. Any failure counts as "not yet": a server still starting refuses connections,
    then answers that it is starting up, and its database may not exist yet."""
    deadline = clock() + timeout_seconds
    attempts = 0
    while True:
        attempts += 1
        try:
            with engine.connect() as connection:
                connection.execute(text("SELECT 1"))
            return attempts
        except Exception as error:
            if clock() >= deadline:
                message = str(error).strip()
                first_line = message.splitlines()[0] if message else type(error).__name__
                raise DatabaseUnreachableError(
                    f"database not reachable after {timeout_seconds:g} s ({attempts} attempts): {first_line}"
                ) from None
            sleep(interval_seconds)


# SQLSTATEs of a login refused for its credentials: invalid_password, invalid_authorization_specification.
_AUTHENTICATION_SQLSTATES = frozenset({"28P01", "28000"})
# How long to wait before the second attempt: a writer replacing the file in place has finished by then, and it is
# far inside DB_CONNECT_TIMEOUT_SECONDS.
SECOND_ATTEMPT_DELAY_SECONDS = 0.05


def is_authentication_failure(error: psycopg.OperationalError) -> bool:
    """Whether the server refused the login for its user name or password.

    libpq reports a failed connection attempt without a result, so psycopg often has no SQLSTATE for it; the
    server's message is then the only evidence (it is the same for an unknown user and a wrong password).
    """
    if error.sqlstate is not None:
        return error.sqlstate in _AUTHENTICATION_SQLSTATES
    return "password authentication failed" in str(error)


def _wait_before_second_attempt() -> None:
    time.sleep(SECOND_ATTEMPT_DELAY_SECONDS)


def _credentials_from_file(engine: Engine, path: Path) -> None:
    """Log in with the credentials in ``path`` as they are when each new DBAPI connection is opened.

    Reading a small file costs microseconds, and the pool opens new connections rarely. Connections already open
    are not affected by a password change (PostgreSQL checks the password only at login). The file and the
    database change at slightly different moments, so one failure a fresh read could fix (login refused for its
    credentials, or the file half-written) gets one more attempt with the file read again after a short wait; a
    second failure is raised, as a DBAPI error, so the request gets the usual 503.
    """

    @event.listens_for(engine, "do_connect")
    def _connect(dialect: Any, _record: Any, cargs: list[Any], cparams: dict[str, Any]) -> Any:
        try:
            _use(cparams, read_credentials(path))
            return dialect.connect(*cargs, **cparams)
        except SecretFileError:
            pass  # e.g. half-written: read it again after the pause
        except psycopg.OperationalError as error:
            if not is_authentication_failure(error):
                raise
        _wait_before_second_attempt()
        try:
            _use(cparams, read_credentials(path))
        except SecretFileError as error:
            raise psycopg.OperationalError(f"DB_SECRET_FILE: {error}") from None
        return dialect.connect(*cargs, **cparams)


def _use(cparams: dict[str, Any], credentials: Credentials) -> None:
    cparams["user"] = credentials.username
    cparams["password"] = credentials.password


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
        idle_since = record.info.get("idle_since", 0.0)
        if time.monotonic() - idle_since <= idle_seconds and idle_since > _LOST_AT.get(engine.pool, 0.0):
            return
        try:
            engine.dialect.do_ping(dbapi_connection)
        except Exception as error:
            # The pool discards this connection and checks out (or opens) another one.
            raise sa_exc.DisconnectionError(f"idle connection failed its ping: {type(error).__name__}") from error


class DriverStatement:
    """A Core statement compiled once for psycopg and run on the DBAPI cursor of a SQLAlchemy connection, inside
    that connection's transaction. For the statements of the hottest write path only (create-task): it skips
    SQLAlchemy's per-statement execution machinery (execution context, result and row objects), about 40 µs of a
    0.5 ms create (ADR 0096), and keeps what that machinery did for these statements: a DBAPI error is raised as
    SQLAlchemy's exception (so the 503 handling is the same), a lost connection is invalidated, every other
    connection of the pool that was idle before the loss is pinged before its next use, and with tracing on the
    statement gets its span like SQLAlchemy's own.
    """

    _dialect = PGDialect_psycopg()  # type: ignore[no-untyped-call]

    def __init__(self, statement: ReturnsRows) -> None:
        compiled = statement.compile(dialect=self._dialect)
        assert isinstance(compiled, SQLCompiler)
        self.sql = str(compiled)
        # Values the statement carries itself (e.g. the literals of coalesce(max(position) + 1, 0)).
        self._fixed = {name: bind.value for name, bind in compiled.binds.items() if not bind.required}
        # Names of the columns it returns, known from the statement: rows come as plain tuples, which psycopg
        # makes without looking at the result's description (a named-tuple row factory does, on every execute).
        self.columns = tuple(column.name for column in statement.exported_columns)
        from innovate_api.observability.tracing import statement_span

        self._statement_span = statement_span

    def first(self, connection: Connection, values: Mapping[str, Any]) -> dict[str, Any] | None:
        """Run it with ``values`` for its bind parameters; the first row (column name -> value) or None."""
        parameters = {**self._fixed, **values}
        try:
            cursor = _cursor(connection)
            span = self._statement_span(connection.engine, self.sql)
            if span is None:
                cursor.execute(self.sql, parameters)
                row = cursor.fetchone()
            else:
                with span:
                    cursor.execute(self.sql, parameters)
                    row = cursor.fetchone()
        except psycopg.Error as error:
            lost = connection.dialect.is_disconnect(error, connection.connection.dbapi_connection, None)  # type: ignore[arg-type]
            if lost:
                _LOST_AT[connection.engine.pool] = time.monotonic()
                connection.invalidate(error)
            raise sa_exc.DBAPIError.instance(
                self.sql, parameters, error, psycopg.Error, connection_invalidated=lost, dialect=connection.dialect
            ) from error
        return None if row is None else dict(zip(self.columns, row, strict=True))


_CURSOR = "innovate_api.driver_cursor"


def _cursor(connection: Connection) -> psycopg.Cursor[Any]:
    """The DBAPI connection's cursor for DriverStatements, made once per DBAPI connection: a psycopg cursor is
    a client-side object (no server resource), and making one costs more than running a short statement's Python.
    It lives in the pool entry's ``info``, which SQLAlchemy clears when the connection is replaced, so it never
    outlives its connection. A pooled connection serves one request at a time, so the cursor does too.
    """
    pooled = connection.connection
    cursor: psycopg.Cursor[Any] | None = pooled.info.get(_CURSOR)
    if cursor is None or cursor.closed:
        driver: psycopg.Connection[Any] = pooled.driver_connection  # type: ignore[assignment]
        cursor = pooled.info[_CURSOR] = driver.cursor()
    return cursor


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
