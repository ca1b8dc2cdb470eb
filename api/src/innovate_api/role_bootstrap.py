"""The roles' bootstrap: the one privileged step, run as the master user (ADR 0129, ADR 0158).

One implementation for both callers: ``innovate-api bootstrap-roles`` (credentials from files; locally, as the local
superuser) and, on AWS, the data stack's custom resource (bootstrap_handler.py, credentials from Secrets Manager).
Every step is idempotent and changes only what a catalog read shows missing, so running it again only reads.

This module and everything it imports must stay free of Flask, the settings and OpenTelemetry: the custom
resource's Lambda ships only SQLAlchemy and psycopg (api/tools/bootstrap_asset.py checks the import closure).
"""

from __future__ import annotations

import logging

from sqlalchemy import Engine

from innovate_api.app_role import ensure_app_role
from innovate_api.data_reader import ROLE as DATA_READER
from innovate_api.data_reader import ensure_data_reader
from innovate_api.owner_role import OWNER, ensure_migrator, ensure_owner
from innovate_api.secret_file import Credentials

log = logging.getLogger("innovate_api.bootstrap")


def bootstrap_roles(engine: Engine, *, migrator: Credentials | None, app: Credentials | None) -> list[str]:
    """As the master: the owner role owns the schema; the migrator and application logins exist (when given, created
    with the given password only if missing); ``data_reader`` exists. What was done, one line per role."""
    with engine.begin() as connection:
        changed = ensure_owner(connection)
    done = [f"owner role {OWNER}: " + ("; ".join(changed) if changed else "already in place")]
    if migrator is not None:
        created = ensure_migrator(engine, migrator)
        done.append(f"migrator {migrator.username} " + ("created" if created else "already there"))
    if app is not None:
        created = ensure_app_role(engine, app)
        done.append(f"application role {app.username} " + ("created" if created else "already there: grants applied"))
    created = ensure_data_reader(engine)
    done.append(f"{DATA_READER} role " + ("created" if created else "grants applied"))
    for line in done:
        log.info("%s", line)
    return done
