"""Migrations run as the owner role, not the master user: an RDS-like database moved over, then migrated by a login
that may do nothing but act as the owner (owner_role.py).

A PostgreSQL server of its own: roles are per server, and on RDS the master is not a superuser but a CREATEROLE,
CREATEDB login that owns the app's database, so it may administer only the roles it created. Here ``rds_master``
is exactly that, and the database starts as the previous release left it: migrated by the master, who owns every
table, type and sequence, with the application role granted by it.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from alembic import command
from sqlalchemy import create_engine
from sqlalchemy.engine import make_url

from innovate_api.migrate import alembic_config
from innovate_api.owner_role import OWNER
from innovate_api.secret_file import Credentials
from tests.test_cli import run
from tools.processes import PostgresRunner, postgres

MASTER = Credentials("rds_master", "master-password")
MIGRATOR = Credentials("innovate_migrator", "migrator-password")
APP = Credentials("innovate_app", "app-password")
DATABASE = "rds_like"

# Who owns what in the app's schema, every grant on it, the default privileges and the owner's members: what a
# second migrate must leave exactly as the first one did.
CATALOG = """
SELECT 'schema', nspname, nspowner::regrole::text, coalesce(nspacl::text, '') FROM pg_namespace WHERE nspname = 'public'
UNION ALL
SELECT 'relation', relname, relowner::regrole::text, coalesce(relacl::text, '') FROM pg_class
  WHERE relnamespace = 'public'::regnamespace
UNION ALL
SELECT 'type', typname, typowner::regrole::text, coalesce(typacl::text, '') FROM pg_type
  WHERE typnamespace = 'public'::regnamespace AND typtype = 'e'
UNION ALL
SELECT 'default', defaclobjtype::text, defaclrole::regrole::text, defaclacl::text FROM pg_default_acl
UNION ALL
SELECT 'member', member::regrole::text, roleid::regrole::text, '' FROM pg_auth_members
  WHERE roleid = to_regrole('innovate_owner')
ORDER BY 1, 2, 3, 4
"""


@pytest.fixture(scope="module")
def server() -> Iterator[PostgresRunner]:
    with postgres() as runner:
        yield runner


def url_as(server: PostgresRunner, who: Credentials) -> str:
    return (
        make_url(server.database_url(DATABASE))
        .set(username=who.username, password=who.password)
        .render_as_string(hide_password=False)
    )


def secret_file(tmp_path: Path, credentials: Credentials) -> str:
    path = tmp_path / f"{credentials.username}.json"
    path.write_text(json.dumps(credentials._asdict()))
    return str(path)


def catalog(server: PostgresRunner) -> list[tuple[object, ...]]:
    with psycopg.connect(server.database_url(DATABASE)) as connection:
        return connection.execute(CATALOG).fetchall()


def owners(server: PostgresRunner) -> set[str]:
    return {str(row[2]) for row in catalog(server) if row[0] in ("schema", "relation", "type")}


@pytest.fixture(scope="module")
def bootstrapped(server: PostgresRunner, tmp_path_factory: pytest.TempPathFactory) -> PostgresRunner:
    """The previous release's database, then `bootstrap-roles` as the master (the one-time step)."""
    with psycopg.connect(server.url, autocommit=True) as admin:
        admin.execute(f"CREATE ROLE {MASTER.username} LOGIN CREATEROLE CREATEDB PASSWORD '{MASTER.password}'")
        admin.execute(f"CREATE DATABASE {DATABASE} OWNER {MASTER.username}")
    # What the previous release's migrate did, as the master: tables are its own, the app role granted by it.
    engine = create_engine(make_url(url_as(server, MASTER)).set(drivername="postgresql+psycopg"))
    try:
        with engine.begin() as connection:
            config = alembic_config()
            config.attributes["connection"] = connection
            command.upgrade(config, "head")
            connection.exec_driver_sql(f"CREATE ROLE {APP.username} LOGIN PASSWORD '{APP.password}'")
            connection.exec_driver_sql(
                f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {APP.username}"
            )
            connection.exec_driver_sql("INSERT INTO projects (id, name) VALUES (gen_random_uuid(), 'kept')")
    finally:
        engine.dispose()
    assert owners(server) == {"pg_database_owner", MASTER.username}

    tmp = tmp_path_factory.mktemp("secrets")
    result = run(
        "bootstrap-roles",
        DATABASE_URL=url_as(server, MASTER),
        DB_MIGRATOR_SECRET_FILE=secret_file(tmp, MIGRATOR),
        DB_APP_SECRET_FILE=secret_file(tmp, APP),
    )
    assert result.returncode == 0, result.stderr
    return server


def migrate_as(server: PostgresRunner, who: Credentials, tmp_path: Path, *args: str) -> str:
    result = run("migrate", *args, DATABASE_URL=url_as(server, who), DB_APP_SECRET_FILE=secret_file(tmp_path, APP))
    assert result.returncode == 0, result.stderr
    return result.stderr


def test_bootstrap_gives_the_schema_and_every_object_to_the_owner_and_keeps_the_data(
    bootstrapped: PostgresRunner,
) -> None:
    assert owners(bootstrapped) == {OWNER}
    with psycopg.connect(url_as(bootstrapped, APP)) as app:  # its grants survived the move
        assert app.execute("SELECT name FROM projects").fetchall() == [("kept",)]


def test_the_migrator_may_act_as_the_owner_and_nothing_else(bootstrapped: PostgresRunner) -> None:
    with psycopg.connect(bootstrapped.database_url(DATABASE)) as admin:
        row = admin.execute(
            "SELECT rolsuper, rolcreaterole, rolcreatedb, pg_has_role(oid, %s, 'MEMBER'), "
            "(SELECT rolcanlogin FROM pg_roles WHERE rolname = %s) FROM pg_roles WHERE rolname = %s",
            (OWNER, OWNER, MIGRATOR.username),
        ).fetchone()
    assert row == (False, False, False, True, False)  # ... and the owner itself cannot log in


def test_the_migrator_migrates_down_and_up_and_what_it_creates_is_the_owners(
    bootstrapped: PostgresRunner, tmp_path: Path
) -> None:
    migrate_as(bootstrapped, MIGRATOR, tmp_path, "--down", "base")
    migrate_as(bootstrapped, MIGRATOR, tmp_path)
    assert owners(bootstrapped) == {OWNER}
    with psycopg.connect(url_as(bootstrapped, APP), autocommit=True) as app:
        app.execute("INSERT INTO projects (id, name) VALUES (gen_random_uuid(), 'after')")
        for statement in ("DROP TABLE tasks", "ALTER TABLE projects ADD COLUMN x int", "CREATE TABLE mine (id int)"):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                app.execute(statement)


def test_migrate_again_changes_nothing(bootstrapped: PostgresRunner, tmp_path: Path) -> None:
    migrate_as(bootstrapped, MIGRATOR, tmp_path)
    before = catalog(bootstrapped)
    migrate_as(bootstrapped, MIGRATOR, tmp_path)
    assert catalog(bootstrapped) == before
    assert ("default", "r", OWNER, f"{{{APP.username}=arwd/{OWNER},data_reader=r/{OWNER}}}") in before


def test_the_rotations_clone_of_the_migrator_migrates_as_the_owner(
    bootstrapped: PostgresRunner, tmp_path: Path
) -> None:
    # What Secrets Manager's alternating-users rotation does on its first run, as the master.
    clone = Credentials(f"{MIGRATOR.username}_clone", "clone-password")
    with psycopg.connect(url_as(bootstrapped, MASTER), autocommit=True) as master:
        master.execute(f"CREATE ROLE {clone.username} WITH LOGIN PASSWORD '{clone.password}'")
        master.execute(f"GRANT {MIGRATOR.username} TO {clone.username}")
    migrate_as(bootstrapped, clone, tmp_path, "--down", "0003")
    migrate_as(bootstrapped, clone, tmp_path)
    assert owners(bootstrapped) == {OWNER}


def test_an_object_the_migrator_cannot_move_fails_migrate_in_one_line_naming_the_fix(
    bootstrapped: PostgresRunner, tmp_path: Path
) -> None:
    with psycopg.connect(url_as(bootstrapped, MASTER), autocommit=True) as master:
        master.execute("CREATE TABLE stray (id int)")  # e.g. made by hand as the master
    try:
        result = run("migrate", DATABASE_URL=url_as(bootstrapped, MIGRATOR))
        assert result.returncode == 1
        assert result.stderr.startswith(
            f"innovate-api migrate: '{MIGRATOR.username}' may not give table stray to {OWNER} ("
        )
        assert result.stderr.rstrip().endswith("run `innovate-api bootstrap-roles` as the master user")
        assert result.stderr.count("\n") == 1
        result = run("bootstrap-roles", DATABASE_URL=url_as(bootstrapped, MASTER))
        assert result.returncode == 0, result.stderr
        migrate_as(bootstrapped, MIGRATOR, tmp_path)
    finally:
        with psycopg.connect(url_as(bootstrapped, MASTER), autocommit=True) as master:
            master.execute("SET ROLE innovate_owner")
            master.execute("DROP TABLE IF EXISTS stray")
