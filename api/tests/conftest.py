"""Shared fixtures: one real PostgreSQL per test session (the repo's runner), a migrated database, the app.

Isolation: every test starts from empty tables (TRUNCATE before each test), so order never matters. Tests that
need a database of their own (migrations, fault, shutdown) create one or start their own server.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import Engine, text

from innovate_api.app import create_app
from innovate_api.db import create_db_engine
from innovate_api.settings import Settings
from tests.auth_tokens import CLIENT_ID, ISSUER, TestIssuer
from tools.processes import PostgresRunner, postgres, run_migrations


class Server:
    """Where the session's PostgreSQL is: our own runner, or INNOVATE_TEST_DATABASE_URL."""

    def __init__(self, runner: PostgresRunner | None, url: str) -> None:
        self.runner = runner
        self.url = url

    def create_database(self, name: str) -> str:
        import psycopg

        with psycopg.connect(self.url, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            connection.execute(f'CREATE DATABASE "{name}"')
        return self.url.rsplit("/", 1)[0] + "/" + name


@pytest.fixture(scope="session")
def pg_server() -> Iterator[Server]:
    given = os.environ.get("INNOVATE_TEST_DATABASE_URL")
    if given:
        yield Server(None, given)
        return
    with postgres() as runner:
        yield Server(runner, runner.url)


@pytest.fixture(scope="session")
def database_url(pg_server: Server) -> str:
    url = pg_server.create_database("api_test")
    run_migrations(url)
    return url


@pytest.fixture(scope="session")
def settings(database_url: str) -> Settings:
    return Settings(
        database_url=database_url,
        db_pool_size=12,
        db_pool_max_overflow=4,
        api_max_body_bytes=4096,
        auth_issuer=ISSUER,
        auth_client_id=CLIENT_ID,
    )


@pytest.fixture(scope="session")
def issuer() -> TestIssuer:
    return TestIssuer()


@pytest.fixture(scope="session")
def engine(settings: Settings) -> Iterator[Engine]:
    engine = create_db_engine(settings)
    yield engine
    engine.dispose()


@pytest.fixture(scope="session")
def app(settings: Settings, engine: Engine, issuer: TestIssuer) -> Flask:
    app = create_app(settings, engine=engine, auth_keys=issuer.keys())
    app.config["TESTING"] = False  # let the 500 handler run as in production
    return app


@pytest.fixture(autouse=True)
def _empty_tables(request: pytest.FixtureRequest) -> None:
    if "engine" not in request.fixturenames:
        return
    engine: Engine = request.getfixturevalue("engine")
    with engine.begin() as connection:
        connection.execute(text("TRUNCATE projects, tasks, idempotency_keys CASCADE"))


@pytest.fixture
def client(app: Flask, engine: Engine, issuer: TestIssuer) -> FlaskClient:
    """A client signed in as user-a (every request carries its access token)."""
    return signed_in(app, issuer.mint("user-a"))


@pytest.fixture
def other_client(app: Flask, engine: Engine, issuer: TestIssuer) -> FlaskClient:
    """Another user (user-b), to show one user cannot reach another's data."""
    return signed_in(app, issuer.mint("user-b"))


def signed_in(app: Flask, token: str) -> FlaskClient:
    client = app.test_client()
    client.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {token}"
    return client


# Figures measured by tests (recovery time, shutdown timings), printed in the terminal summary so `make test-api`
# shows them without -s.
MEASURED: list[str] = []


@pytest.fixture
def report_figure() -> Callable[[str], None]:
    return MEASURED.append


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if MEASURED:
        terminalreporter.section("measured")
        for line in MEASURED:
            terminalreporter.write_line(line)
