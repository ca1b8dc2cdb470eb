"""Alembic, driven from code: ``innovate-api migrate`` and the revision the readiness check compares.

Migrations run as the owner role (owner_role.py), whoever logged in: the owner is made ready first (a no-op of reads
once it is), then the transaction switches to it, so every object a migration creates is the owner's.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine

from innovate_api.owner_role import act_as_owner, ensure_owner

MIGRATIONS = Path(__file__).parent / "migrations"


def alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None, "no migrations"
    return head


def current_revision(connection: Connection) -> str | None:
    return MigrationContext.configure(connection).get_current_revision()


def upgrade(engine: Engine, target: str = "head") -> None:
    config = alembic_config()
    with engine.begin() as connection:
        ensure_owner(connection)
        act_as_owner(connection)
        config.attributes["connection"] = connection
        command.upgrade(config, target)
        _record_compatibility(connection)


def downgrade(engine: Engine, target: str) -> None:
    config = alembic_config()
    with engine.begin() as connection:
        ensure_owner(connection)
        act_as_owner(connection)
        config.attributes["connection"] = connection
        command.downgrade(config, target)
        _record_compatibility(connection)


def _record_compatibility(connection: Connection) -> None:
    # Imported here: schema_compat reads this module's script directory, so a top-level import would be circular.
    from innovate_api import schema_compat

    schema_compat.record(connection)
