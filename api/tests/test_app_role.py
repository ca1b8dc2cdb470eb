"""The application role `migrate` sets up: reads and writes rows through the real API, and nothing more (ADR 0103).

A database of its own (grants are per database); roles are per server, so each test names its own and the module
drops them at the end.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from psycopg import sql
from sqlalchemy import Engine, create_engine
from sqlalchemy.engine import make_url

from innovate_api.app import create_app
from innovate_api.app_role import AppRoleError, ensure_app_role
from innovate_api.db import create_db_engine
from innovate_api.http.idempotency import purge_expired
from innovate_api.owner_role import act_as_owner
from innovate_api.secret_file import Credentials
from innovate_api.settings import Settings
from tests.auth_tokens import TEST_AUTH, TestIssuer
from tests.conftest import Server, signed_in
from tests.factories import etag, make_project, make_task, tasks_url
from tests.test_cli import run
from tools.processes import run_migrations

ROLES: list[str] = []


@pytest.fixture(scope="module")
def migrated_url(pg_server: Server) -> Iterator[str]:
    url = pg_server.create_database("app_role_test")
    run_migrations(url)
    yield url
    with psycopg.connect(pg_server.url, autocommit=True) as admin:
        admin.execute('DROP DATABASE "app_role_test" WITH (FORCE)')  # takes the roles' grants with it
        for name in ROLES:
            admin.execute(sql.SQL("DROP ROLE IF EXISTS {}").format(sql.Identifier(name)))


@pytest.fixture
def migrator(migrated_url: str) -> Iterator[Engine]:
    engine = create_engine(make_url(migrated_url).set(drivername="postgresql+psycopg"))
    yield engine
    engine.dispose()


@pytest.fixture
def app_user() -> Credentials:
    name = f"innovate_app_{uuid.uuid4().hex[:8]}"
    ROLES.extend([name, f"{name}_clone"])
    return Credentials(name, f"pw-{uuid.uuid4().hex}")


def login(migrated_url: str, credentials: Credentials) -> psycopg.Connection[tuple[object, ...]]:
    url = make_url(migrated_url)
    return psycopg.connect(
        host=url.host,
        port=url.port,
        dbname=url.database,
        user=credentials.username,
        password=credentials.password,
        autocommit=True,
    )


def secret_file(tmp_path: Path, credentials: Credentials) -> Path:
    path = tmp_path / f"{credentials.username}.json"
    path.write_text(json.dumps({"engine": "postgres", **credentials._asdict()}))
    return path


def test_the_api_runs_as_the_app_role(
    migrator: Engine, migrated_url: str, app_user: Credentials, tmp_path: Path, issuer: TestIssuer
) -> None:
    assert ensure_app_role(migrator, app_user) is True
    unauthenticated = make_url(migrated_url)._replace(username=None, password=None)
    settings = Settings(
        database_url=unauthenticated.render_as_string(hide_password=False),
        db_secret_file=secret_file(tmp_path, app_user),
        **TEST_AUTH,
    )
    engine = create_db_engine(settings)
    try:
        client = signed_in(create_app(settings, engine=engine, auth_keys=issuer.keys()), issuer.mint())
        ready = client.get("/readyz")  # reads the migrations' bookkeeping
        assert ready.status_code == 200, ready.get_json()
        project = make_project(client)
        task = make_task(client, project["id"], "as the app role")
        url = tasks_url(project["id"], task["id"])
        moved = client.patch(url, json={"title": "renamed by the app role"}, headers=etag(task))
        assert moved.status_code == 200, moved.get_json()
        listed = client.get(tasks_url(project["id"]))
        assert [t["title"] for t in listed.get_json()["items"]] == ["renamed by the app role"]
        deleted = client.delete(url, headers=etag(moved.get_json()))
        assert deleted.status_code == 204
        assert purge_expired(engine) == 0  # the purge job deletes as the app role too
    finally:
        engine.dispose()


@pytest.mark.parametrize(
    "statement",
    [
        "DROP TABLE tasks",
        "ALTER TABLE tasks ADD COLUMN x int",
        "TRUNCATE projects",
        "CREATE TABLE mine (id int)",
        "INSERT INTO alembic_version VALUES ('x')",
        "DELETE FROM schema_compatibility",
        "CREATE ROLE someone",
    ],
)
def test_the_app_role_cannot_change_the_schema_or_the_bookkeeping(
    migrator: Engine, migrated_url: str, app_user: Credentials, statement: str
) -> None:
    ensure_app_role(migrator, app_user)
    with login(migrated_url, app_user) as connection:
        assert connection.execute("SELECT count(*) FROM alembic_version").fetchone() == (1,)
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            connection.execute(statement)


def test_running_it_again_changes_nothing_and_never_resets_the_password(
    migrator: Engine, migrated_url: str, app_user: Credentials
) -> None:
    assert ensure_app_role(migrator, app_user) is True
    rotated = app_user._replace(password="rotated-by-secrets-manager")
    with migrator.begin() as connection:
        connection.exec_driver_sql(f"ALTER ROLE \"{app_user.username}\" PASSWORD '{rotated.password}'")

    assert ensure_app_role(migrator, app_user) is False  # the file still holds the first password
    with login(migrated_url, rotated) as connection:
        assert connection.execute("SELECT current_user").fetchone() == (app_user.username,)
    with pytest.raises(psycopg.OperationalError, match="password authentication failed"):
        login(migrated_url, app_user)


def test_tables_created_by_later_migrations_are_granted_by_default(
    migrator: Engine, migrated_url: str, app_user: Credentials
) -> None:
    ensure_app_role(migrator, app_user)
    with migrator.begin() as connection:
        act_as_owner(connection)  # what `migrate` does before every migration
        connection.exec_driver_sql("CREATE TABLE later (id serial PRIMARY KEY, note text)")
    try:
        with login(migrated_url, app_user) as connection:
            connection.execute("INSERT INTO later (note) VALUES ('sequence usable too')")
            assert connection.execute("SELECT note FROM later").fetchone() == ("sequence usable too",)
    finally:
        with migrator.begin() as connection:
            connection.exec_driver_sql("DROP TABLE later")


def test_the_rotations_clone_inherits_the_grants(migrator: Engine, migrated_url: str, app_user: Credentials) -> None:
    ensure_app_role(migrator, app_user)
    # What Secrets Manager's alternating-users rotation does on its first run.
    clone = Credentials(f"{app_user.username}_clone", "clone-password")
    with migrator.begin() as connection:
        connection.exec_driver_sql(f"CREATE ROLE \"{clone.username}\" WITH LOGIN PASSWORD '{clone.password}'")
        connection.exec_driver_sql(f'GRANT "{app_user.username}" TO "{clone.username}"')
    with login(migrated_url, clone) as connection:
        connection.execute("INSERT INTO projects (id, name) VALUES (gen_random_uuid(), 'by the clone')")
        connection.execute("DELETE FROM projects WHERE name = 'by the clone'")
    # A later migrate whose secret names the clone only applies grants.
    assert ensure_app_role(migrator, clone) is False


def test_the_migrating_user_itself_is_refused(migrator: Engine, migrated_url: str) -> None:
    migrating_user = make_url(migrated_url).username
    assert migrating_user is not None
    with pytest.raises(AppRoleError, match="DB_APP_SECRET_FILE: names the migrating user or the owner role"):
        ensure_app_role(migrator, Credentials(migrating_user, "x"))


def test_migrate_with_db_app_secret_file_sets_up_the_role_and_can_run_twice(
    migrated_url: str, app_user: Credentials, tmp_path: Path
) -> None:
    path = secret_file(tmp_path, app_user)
    for _ in range(2):
        result = run("migrate", DATABASE_URL=migrated_url, DB_APP_SECRET_FILE=str(path))
        assert result.returncode == 0, result.stderr
    with login(migrated_url, app_user) as connection:
        assert connection.execute("SELECT count(*) FROM tasks").fetchone() is not None


def test_migrate_with_a_bad_db_app_secret_file_fails_in_one_line_before_migrating(
    migrated_url: str, tmp_path: Path
) -> None:
    path = tmp_path / "app.json"
    path.write_text('{"username": "innovate_app"}')
    result = run("migrate", DATABASE_URL=migrated_url, DB_APP_SECRET_FILE=str(path))
    assert result.returncode == 2
    assert (
        result.stderr.strip()
        == f"innovate-api: invalid settings: DB_APP_SECRET_FILE: missing string field 'password': {path}"
    )
