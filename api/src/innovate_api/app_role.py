"""The application's own database role: what the API and its jobs log in as, instead of the master user (ADR 0103).

Given the application user's secret (DB_APP_SECRET_FILE), ``innovate-api bootstrap-roles`` (as the master user) and
``innovate-api migrate`` (after migrating) ensure that:

- the role exists: it is created with LOGIN and the secret's password only when missing, by a login that may create
  roles (the master user, a local superuser; the migrator may not, and never needs to once the role exists). An
  existing role's password is never set here: after creation, Secrets Manager's alternating-users rotation owns it,
  and a migration that reset it from a secret file synced a little late would lock the API out;
- it may read and write the rows of the app's tables and use their sequences, and nothing more: no DDL (it owns
  nothing, and PostgreSQL 15+ lets no one but the owner create in ``public``), and only SELECT on the migrations'
  bookkeeping (the readiness check reads it; only ``migrate`` writes it);
- tables and sequences later migrations create get the same grants by default. The grants are made as the owner
  role (owner_role.py), so the defaults are recorded for the role that creates those objects.

The rotation creates ``<user>_clone`` as a member of ``<user>`` (``GRANT <user> TO <user>_clone``), so the clone
inherits these grants; after a rotation the secret may name the clone, which then already exists and gets the
same grants directly. Running it again changes nothing.
"""

from __future__ import annotations

from psycopg import sql
from sqlalchemy import Connection, Engine, text

from innovate_api.owner_role import OWNER, act_as_owner
from innovate_api.role_sql import create_login_role, run_statement
from innovate_api.secret_file import Credentials
from innovate_api.tables import schema_compatibility

ROW_PRIVILEGES = "SELECT, INSERT, UPDATE, DELETE"
SEQUENCE_PRIVILEGES = "USAGE, SELECT"
# Written only by `migrate`; the app reads them to decide readiness.
BOOKKEEPING_TABLES = ("alembic_version", schema_compatibility.name)
# Serializes two migrate runs that would both see the role missing (an arbitrary constant of this app).
_LOCK_KEY = 0x1A55_0103


class AppRoleError(Exception):
    """The application role cannot be set up as asked; the message names DB_APP_SECRET_FILE."""


def ensure_app_role(engine: Engine, credentials: Credentials) -> bool:
    """Create the role if it is missing and (re)apply its grants; True if it was created."""
    with engine.begin() as connection:
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _LOCK_KEY})
        migrator = connection.execute(text("SELECT current_user")).scalar_one()
        if credentials.username in (migrator, OWNER):
            name = credentials.username
            raise AppRoleError(f"DB_APP_SECRET_FILE: names the migrating user or the owner role, {name!r}")
        exists = connection.execute(
            text("SELECT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :name)"), {"name": credentials.username}
        ).scalar_one()
        if not exists:
            create_login_role(connection, credentials)
        act_as_owner(connection)
        _grant(connection, credentials.username)
    return not exists


def _grant(connection: Connection, role_name: str) -> None:
    role = sql.Identifier(role_name)
    rows = sql.SQL(ROW_PRIVILEGES)
    sequences = sql.SQL(SEQUENCE_PRIVILEGES)
    for statement in (
        sql.SQL("GRANT USAGE ON SCHEMA public TO {}"),
        sql.SQL("GRANT {rows} ON ALL TABLES IN SCHEMA public TO {}"),
        sql.SQL("GRANT {sequences} ON ALL SEQUENCES IN SCHEMA public TO {}"),
        sql.SQL("ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT {rows} ON TABLES TO {}"),
        sql.SQL("ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT {sequences} ON SEQUENCES TO {}"),
    ):
        run_statement(connection, statement.format(role, rows=rows, sequences=sequences))
    for table in BOOKKEEPING_TABLES:
        present = connection.execute(text("SELECT to_regclass(:name) IS NOT NULL"), {"name": table}).scalar_one()
        if present:
            run_statement(
                connection,
                sql.SQL("REVOKE INSERT, UPDATE, DELETE ON {} FROM {}").format(sql.Identifier(table), role),
            )
