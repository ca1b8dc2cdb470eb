"""The ``data_reader`` role: read-only access to the app's data for people, through the prod-data-access permission set.

``innovate-api migrate`` keeps it after every migration (idempotent), so local PostgreSQL and RDS have the same role:

- it may log in, but has no password: on RDS it is granted ``rds_iam`` and signs in with an IAM authentication token
  (the permission set allows ``rds-db:connect`` as ``data_reader``); where ``rds_iam`` does not exist (local
  PostgreSQL, the tests) that grant is skipped with a log line, and nobody can log in as it;
- it may read every table of the app's schema, now and later (default privileges), and write none: only SELECT is
  granted, and its sessions are read-only by default as a second lock.
"""

from __future__ import annotations

import logging

from psycopg import sql
from sqlalchemy import Engine, text

from innovate_api.owner_role import act_as_owner
from innovate_api.role_sql import run_statement

ROLE = "data_reader"
log = logging.getLogger(__name__)
# Serializes two migrate runs that would both see the role missing (an arbitrary constant of this app).
_LOCK_KEY = 0x1A55_0125


def ensure_data_reader(engine: Engine) -> bool:
    """Create ``data_reader`` if missing and (re)apply its grants; True if it was created."""
    role = sql.Identifier(ROLE)
    with engine.begin() as connection:
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _LOCK_KEY})

        def role_exists(name: str) -> bool:
            query = text("SELECT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :name)")
            return bool(connection.execute(query, {"name": name}).scalar_one())

        created = not role_exists(ROLE)
        if created:
            run_statement(connection, sql.SQL("CREATE ROLE {} LOGIN").format(role))
        # Role changes need the master (or a superuser): made only when missing, so the migrator passes with reads.
        read_only = connection.execute(
            text(
                "SELECT EXISTS (SELECT 1 FROM pg_db_role_setting WHERE setrole = CAST(:name AS regrole)"
                " AND setdatabase = 0 AND 'default_transaction_read_only=on' = ANY (setconfig))"
            ),
            {"name": ROLE},
        ).scalar_one()
        if not read_only:
            run_statement(connection, sql.SQL("ALTER ROLE {} SET default_transaction_read_only = on").format(role))
        if role_exists("rds_iam"):
            member = connection.execute(
                text("SELECT pg_has_role(CAST(:name AS regrole), 'rds_iam', 'MEMBER')"), {"name": ROLE}
            ).scalar_one()
            if not member:
                run_statement(connection, sql.SQL("GRANT rds_iam TO {}").format(role))
        else:
            log.info("no rds_iam role here (not RDS): %s can read but cannot log in", ROLE)
        # The grants are the owner's to give; made as it, the defaults apply to what later migrations create.
        act_as_owner(connection)
        for statement in (
            sql.SQL("GRANT USAGE ON SCHEMA public TO {}"),
            sql.SQL("GRANT SELECT ON ALL TABLES IN SCHEMA public TO {}"),
            sql.SQL("ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT ON TABLES TO {}"),
        ):
            run_statement(connection, statement.format(role))
    return created
