"""Credentials from DB_SECRET_FILE: read at every new connection, so a rotated password needs no restart (ADR 0103).

Real PostgreSQL with scram-sha-256 password authentication: each test makes a login role of its own and rotates its
password with ALTER ROLE, as the rotation function does on RDS.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
from sqlalchemy import Engine, text
from sqlalchemy import exc as sa_exc
from sqlalchemy.engine import make_url

from innovate_api import db
from innovate_api.db import create_db_engine
from innovate_api.settings import Settings


class Role:
    """A login role on the test server; ``rotate`` changes its password in the database only."""

    def __init__(self, admin_url: str, name: str, password: str) -> None:
        self.admin_url = admin_url
        self.name = name
        self.password = password

    def rotate(self, password: str) -> None:
        with psycopg.connect(self.admin_url, autocommit=True) as admin:
            admin.execute(
                psycopg.sql.SQL("ALTER ROLE {} PASSWORD {}").format(
                    psycopg.sql.Identifier(self.name), psycopg.sql.Literal(password)
                )
            )
        self.password = password


@pytest.fixture
def role(database_url: str) -> Iterator[Role]:
    name = f"rotated_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(database_url, autocommit=True) as admin:
        admin.execute(psycopg.sql.SQL("CREATE ROLE {} LOGIN PASSWORD 'first'").format(psycopg.sql.Identifier(name)))
    yield Role(database_url, name, "first")
    with psycopg.connect(database_url, autocommit=True) as admin:
        admin.execute(psycopg.sql.SQL("DROP ROLE {}").format(psycopg.sql.Identifier(name)))


def write_secret(path: Path, username: str, password: str) -> None:
    # Extra keys as in an RDS secret: they must be ignored.
    path.write_text(json.dumps({"engine": "postgres", "host": "h", "username": username, "password": password}))


@pytest.fixture
def secret_file(tmp_path: Path, role: Role) -> Path:
    path = tmp_path / "credentials.json"
    write_secret(path, role.name, role.password)
    return path


def url_without_credentials(database_url: str) -> str:
    # The local game-day drill's form: DATABASE_URL with no user, DB_SECRET_FILE for the credentials.
    return make_url(database_url)._replace(username=None, password=None).render_as_string(hide_password=False)


@pytest.fixture
def file_engine(database_url: str, secret_file: Path) -> Iterator[Engine]:
    engine = create_db_engine(
        Settings(database_url=url_without_credentials(database_url), db_secret_file=secret_file, db_pool_size=2)
    )
    yield engine
    engine.dispose()


def current_user(engine: Engine) -> str:
    with engine.connect() as connection:
        user: str = connection.execute(text("SELECT current_user")).scalar_one()
        return user


class CountedConnects:
    """Wraps the dialect's connect: counts the login attempts and can run a step after the first one fails."""

    def __init__(self, engine: Engine, monkeypatch: pytest.MonkeyPatch, after_first_failure: Any = None) -> None:
        self.attempts = 0
        original = engine.dialect.connect

        def connect(*cargs: Any, **cparams: Any) -> Any:
            self.attempts += 1
            try:
                return original(*cargs, **cparams)
            except psycopg.OperationalError:
                if self.attempts == 1 and after_first_failure is not None:
                    after_first_failure()
                raise

        monkeypatch.setattr(engine.dialect, "connect", connect)


def test_a_rotated_password_is_used_by_the_next_new_connection_without_a_restart(
    file_engine: Engine, role: Role, secret_file: Path
) -> None:
    with file_engine.connect() as before:
        assert before.execute(text("SELECT current_user")).scalar_one() == role.name

        role.rotate("second")
        write_secret(secret_file, role.name, "second")

        # A new DBAPI connection (the first one is still checked out) logs in with the file's new password...
        assert current_user(file_engine) == role.name
        # ...and the session opened before the rotation keeps working: PostgreSQL checks passwords only at login.
        assert before.execute(text("SELECT 1")).scalar_one() == 1


def test_a_file_updated_just_after_a_refused_login_is_read_again_and_the_retry_succeeds(
    file_engine: Engine, role: Role, secret_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The database already has the new password; the file catches up just after the first login is refused.
    role.rotate("second")
    connects = CountedConnects(
        file_engine, monkeypatch, after_first_failure=lambda: write_secret(secret_file, role.name, "second")
    )
    assert current_user(file_engine) == role.name
    assert connects.attempts == 2


def test_a_file_that_stays_wrong_fails_after_one_retry_as_a_dbapi_error(
    file_engine: Engine, role: Role, monkeypatch: pytest.MonkeyPatch
) -> None:
    role.rotate("second")  # and the file never follows
    connects = CountedConnects(file_engine, monkeypatch)
    with pytest.raises(sa_exc.OperationalError, match="password authentication failed"):  # → 503 + Retry-After
        current_user(file_engine)
    assert connects.attempts == 2


def test_a_failure_other_than_the_login_is_not_retried(
    database_url: str, secret_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    missing_database = make_url(url_without_credentials(database_url)).set(database="no_such_database")
    engine = create_db_engine(
        Settings(database_url=missing_database.render_as_string(hide_password=False), db_secret_file=secret_file)
    )
    connects = CountedConnects(engine, monkeypatch)
    try:
        with pytest.raises(sa_exc.OperationalError, match="no_such_database"):
            current_user(engine)
    finally:
        engine.dispose()
    assert connects.attempts == 1


def test_a_half_written_file_is_read_again_after_a_short_wait(
    file_engine: Engine, role: Role, secret_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    secret_file.write_text('{"username": "' + role.name + '", "passw')  # a writer caught mid-write
    waits: list[float] = []

    def writer_finishes() -> None:
        waits.append(db.SECOND_ATTEMPT_DELAY_SECONDS)
        write_secret(secret_file, role.name, role.password)

    monkeypatch.setattr(db, "_wait_before_second_attempt", writer_finishes)
    assert current_user(file_engine) == role.name
    assert waits == [0.05]


def test_a_file_that_stays_unreadable_is_a_dbapi_error_naming_the_variable(
    file_engine: Engine, secret_file: Path
) -> None:
    secret_file.write_text("{")
    with pytest.raises(sa_exc.OperationalError, match="DB_SECRET_FILE: not valid JSON"):
        current_user(file_engine)


def test_the_file_replaces_the_credentials_of_database_url(database_url: str, role: Role, secret_file: Path) -> None:
    # DATABASE_URL names the server's superuser; the file's role is who logs in.
    engine = create_db_engine(Settings(database_url=database_url, db_secret_file=secret_file))
    try:
        assert current_user(engine) == role.name
    finally:
        engine.dispose()


def test_db_secret_from_the_environment_still_works_but_keeps_the_password_it_started_with(
    database_url: str, role: Role
) -> None:
    # The RDS-style settings with DB_SECRET: read once at start, which is why a rotation used to break new logins.
    url = make_url(database_url)
    settings = Settings(
        db_host=url.host,
        db_port=url.port,
        db_name=url.database,
        db_secret=json.dumps({"username": role.name, "password": role.password}),
        db_sslmode="disable",
    )
    engine = create_db_engine(settings)
    try:
        assert current_user(engine) == role.name
        role.rotate("second")
        engine.dispose()  # only new logins check the password
        with pytest.raises(sa_exc.OperationalError, match="password authentication failed"):
            current_user(engine)
    finally:
        engine.dispose()


@pytest.mark.parametrize(
    ("sqlstate", "message", "expected"),
    [
        ("28P01", "", True),
        ("28000", "", True),
        ("57P03", "password authentication failed", False),  # a SQLSTATE decides when there is one
        (None, 'FATAL:  password authentication failed for user "app"', True),
        (None, "connection refused", False),
    ],
)
def test_what_counts_as_a_refused_login(sqlstate: str | None, message: str, expected: bool) -> None:
    error = psycopg.errors.lookup(sqlstate)(message) if sqlstate else psycopg.OperationalError(message)
    assert isinstance(error, psycopg.OperationalError)
    assert db.is_authentication_failure(error) is expected
