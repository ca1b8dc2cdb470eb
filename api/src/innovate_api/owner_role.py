"""The owner role: the NOLOGIN role that owns the app's schema and every object in it, and that migrations run as.

No one logs in as it. ``innovate-api migrate`` logs in as the migrating user (on AWS the migrator login, a member of
the owner; locally a superuser) and runs every migration and grant after ``SET LOCAL ROLE`` to it, so what a
migration creates is owned by the owner whoever logged in, including the rotation's ``<user>_clone``, which is a
member of the migrator and so of the owner. Default privileges for the application role and ``data_reader`` are
recorded for the owner, so they apply to what later migrations create.

``ensure_owner`` is the privileged part, run as the master user by ``innovate-api bootstrap-roles`` (and by
``migrate`` itself, where the login may do it: a local superuser). Each step is taken only when a catalog read shows
it is missing, so a migrator that may do none of them passes through with reads only:

- the role exists (created NOLOGIN) and the login user may ``SET ROLE`` to it;
- it owns ``public`` (PostgreSQL 15+ gives ``public`` to the database owner, who on RDS is the master);
- it owns every table, view, sequence, type and function in ``public``: a database migrated before the owner existed
  has them owned by the master, and each is moved with ``ALTER … OWNER TO`` (grants made on them are kept).
"""

from __future__ import annotations

from psycopg import sql
from sqlalchemy import Connection, Engine, text

from innovate_api.role_sql import create_login_role, run_statement
from innovate_api.secret_file import Credentials

OWNER = "innovate_owner"
SCHEMA = "public"
# Serializes two runs that would both see the role missing (an arbitrary constant of this app).
_LOCK_KEY = 0x1A55_0135

# Objects of the schema not owned by the owner, with the ALTER that moves each. Indexes, and sequences owned by a
# column, follow their table (ALTER TABLE moves them; ALTER SEQUENCE on an identity sequence is refused), so the
# tables come first and sequences are listed only when no column owns them. Objects of an extension belong to it.
_NOT_OWNED = """
SELECT kind, name FROM (
  SELECT 1 AS step, CASE c.relkind WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW' ELSE 'TABLE' END AS kind,
         c.relname::text AS name, c.relowner AS owner, c.oid AS objid
  FROM pg_class c WHERE c.relnamespace = CAST(:schema AS regnamespace) AND c.relkind IN ('r', 'p', 'v', 'm', 'f')
  UNION ALL
  SELECT 2, 'SEQUENCE', c.relname::text, c.relowner, c.oid
  FROM pg_class c WHERE c.relnamespace = CAST(:schema AS regnamespace) AND c.relkind = 'S'
    AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid
                    AND d.refclassid = 'pg_class'::regclass AND d.deptype IN ('a', 'i'))
  UNION ALL
  SELECT 3, CASE t.typtype WHEN 'd' THEN 'DOMAIN' ELSE 'TYPE' END, t.typname::text, t.typowner, t.oid
  FROM pg_type t WHERE t.typnamespace = CAST(:schema AS regnamespace) AND t.typtype IN ('e', 'd', 'r')
  UNION ALL
  SELECT 4, 'ROUTINE', p.oid::regprocedure::text, p.proowner, p.oid
  FROM pg_proc p WHERE p.pronamespace = CAST(:schema AS regnamespace)
) AS o
WHERE o.owner <> CAST(:owner AS regrole)
  AND NOT EXISTS (SELECT 1 FROM pg_depend e WHERE e.objid = o.objid AND e.deptype = 'e')
ORDER BY step, name
"""


class OwnerRoleError(Exception):
    """The login user cannot set up or use the owner role; the message says who must run what."""


def ensure_owner(connection: Connection) -> list[str]:
    """Create the owner role if missing, give it the schema and every object in it; what was changed, in words."""
    connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _LOCK_KEY})
    owner = sql.Identifier(OWNER)
    login = connection.execute(text("SELECT current_user")).scalar_one()
    changed: list[str] = []

    def needs(step: str, missing: bool, statement: sql.Composable) -> None:
        if not missing:
            return
        try:
            with connection.begin_nested():
                run_statement(connection, statement)
        except Exception as error:
            raise OwnerRoleError(
                f"{login!r} may not {step} ({_first_line(error)}): "
                "run `innovate-api bootstrap-roles` as the master user"
            ) from None
        changed.append(step)

    exists = connection.execute(text("SELECT to_regrole(:owner) IS NOT NULL"), {"owner": OWNER}).scalar_one()
    needs(f"create the owner role {OWNER}", not exists, sql.SQL("CREATE ROLE {} NOLOGIN").format(owner))
    member = connection.execute(
        text("SELECT pg_has_role(current_user, CAST(:owner AS regrole), 'SET')"), {"owner": OWNER}
    ).scalar_one()
    needs(f"join {OWNER}", not member, sql.SQL("GRANT {} TO CURRENT_USER").format(owner))
    schema_owner = connection.execute(
        text("SELECT nspowner::regrole::text FROM pg_namespace WHERE nspname = :schema"), {"schema": SCHEMA}
    ).scalar_one()
    needs(
        f"give schema {SCHEMA} to {OWNER}",
        schema_owner != OWNER,
        sql.SQL("ALTER SCHEMA {} OWNER TO {}").format(sql.Identifier(SCHEMA), owner),
    )
    for kind, name in connection.execute(text(_NOT_OWNED), {"schema": SCHEMA, "owner": OWNER}).all():
        # A routine's name is its signature as regprocedure prints it (already quoted where needed).
        target = sql.SQL(name) if kind == "ROUTINE" else sql.Identifier(SCHEMA, name)
        needs(
            f"give {kind.lower()} {name} to {OWNER}",
            True,
            sql.SQL("ALTER {} {} OWNER TO {}").format(sql.SQL(kind), target, owner),
        )
    return changed


def ensure_migrator(engine: Engine, credentials: Credentials) -> bool:
    """The migrator login (DB_MIGRATOR_SECRET_FILE) exists and may act as the owner; True if it was created.

    Like the application user's, its password is set only at creation: the alternating-users rotation owns it then.
    It gets no role attributes (no CREATEROLE, no CREATEDB): membership in the owner is all a migration needs.
    """
    with engine.begin() as connection:
        ensure_owner(connection)
        if credentials.username == OWNER:
            raise OwnerRoleError(f"DB_MIGRATOR_SECRET_FILE: names the owner role {OWNER!r}, which never logs in")
        exists = connection.execute(text("SELECT to_regrole(:name) IS NOT NULL"), {"name": credentials.username})
        created = not exists.scalar_one()
        if created:
            create_login_role(connection, credentials)
        member = connection.execute(
            text("SELECT pg_has_role(CAST(:name AS regrole), CAST(:owner AS regrole), 'SET')"),
            {"name": credentials.username, "owner": OWNER},
        ).scalar_one()
        if not member:
            grant = sql.SQL("GRANT {} TO {}").format(sql.Identifier(OWNER), sql.Identifier(credentials.username))
            run_statement(connection, grant)
    return created


def act_as_owner(connection: Connection) -> None:
    """Until the end of the connection's transaction, create and grant as the owner role."""
    run_statement(connection, sql.SQL("SET LOCAL ROLE {}").format(sql.Identifier(OWNER)))


def _first_line(error: Exception) -> str:
    cause = getattr(error, "orig", None) or error
    lines = str(cause).strip().splitlines()
    return lines[0] if lines else type(cause).__name__
