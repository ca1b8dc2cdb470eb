"""Which database schemas this image runs on: readiness answers on compatibility, not on equality with the head.

During a canary the PreSync Job migrates the database before the new pods start, so the stable pods (the previous
image) serve a schema one or more migrations newer than their own head, and after an abort they keep serving it.
That is safe because migrations follow expand/contract (ADR 0100):

- every migration declares ``phase = "expand"`` (it only adds: images older than it keep working) or
  ``phase = "contract"`` (it removes what only images older than its ``down_revision`` used, so it ships one
  release after the code stopped using it);
- after migrating, the database records in ``schema_compatibility`` the oldest image revision its schema still
  serves: a contract migration raises it to its ``down_revision``, an expand migration keeps its parent's;
- the image declares ``OLDEST_SCHEMA_REVISION``, the oldest schema its code runs on (a test migrates a database to
  it and checks that every table and column of ``tables.py`` is there).

An image's "revision" is the head of the migrations it ships.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from types import ModuleType
from typing import Literal

from alembic.script import ScriptDirectory
from sqlalchemy import Connection, delete, insert, select, text

from innovate_api import migrate
from innovate_api.tables import schema_compatibility

# The oldest schema this image's code runs on. Raise it when the code starts to need what a migration adds.
OLDEST_SCHEMA_REVISION = "0004"

Phase = Literal["expand", "contract"]
PHASES: tuple[Phase, ...] = ("expand", "contract")

COMPATIBILITY_TABLE = schema_compatibility.name


class MigrationDeclarationError(Exception):
    """A migration script does not declare its phase correctly."""


@dataclass(frozen=True)
class Migration:
    revision: str
    down_revision: str | None
    phase: Phase


@cache
def history() -> tuple[Migration, ...]:
    """This image's migrations, oldest first (the chain is linear: Alembic branches are not used here)."""
    script = ScriptDirectory.from_config(migrate.alembic_config())
    chain = []
    for entry in reversed(list(script.walk_revisions())):
        down = entry.down_revision
        if down is not None and not isinstance(down, str):
            raise MigrationDeclarationError(f"migration {entry.revision}: merge revisions are not supported")
        chain.append(Migration(entry.revision, down, _phase(entry.revision, entry.module)))
    return tuple(chain)


def _phase(revision: str, module: ModuleType) -> Phase:
    phase = getattr(module, "phase", None)
    if phase not in PHASES:
        raise MigrationDeclarationError(
            f'migration {revision}: declare phase = "expand" or "contract" at module level, got {phase!r}'
        )
    return phase  # type: ignore[no-any-return]


def position(revision: str) -> int | None:
    """The revision's index in this image's history, or None when this image does not know it."""
    for index, migration in enumerate(history()):
        if migration.revision == revision:
            return index
    return None


def oldest_image_served(revision: str) -> str:
    """The oldest image revision that runs on the schema at ``revision`` (which must be in this image's history)."""
    oldest = history()[0].revision
    for migration in history():
        if migration.phase == "contract" and migration.down_revision is not None:
            oldest = migration.down_revision
        if migration.revision == revision:
            return oldest
    raise KeyError(revision)


@dataclass(frozen=True)
class Compatibility:
    ready: bool
    status: str
    database: str | None
    image: str
    oldest_schema: str
    oldest_image_served: str | None = None

    def as_json(self) -> dict[str, str | None]:
        body: dict[str, str | None] = {"status": self.status}
        if not self.ready:
            body.update(database=self.database, image=self.image, oldest_schema=self.oldest_schema)
            if self.oldest_image_served is not None:
                body["oldest_image_served"] = self.oldest_image_served
        return body


def check(connection: Connection) -> Compatibility:
    """Whether this image can serve the schema the database is at (one or two small reads)."""
    image = history()[-1].revision
    database = migrate.current_revision(connection)

    def answer(ready: bool, status: str, served: str | None = None) -> Compatibility:
        return Compatibility(ready, status, database, image, OLDEST_SCHEMA_REVISION, served)

    if database is None:
        return answer(False, "database not migrated")
    known_at = position(database)
    if known_at is not None:
        if known_at < (position(OLDEST_SCHEMA_REVISION) or 0):
            return answer(False, "schema older than this image supports")
        return answer(True, "ready")
    # A newer schema than this image knows: the database says which images it still serves.
    served = recorded_oldest_image_served(connection)
    if served is not None and position(served) is not None:
        return answer(True, "ready", served)
    return answer(False, "schema newer than this image supports", served)


def recorded_oldest_image_served(connection: Connection) -> str | None:
    exists = connection.execute(text("SELECT to_regclass(:name) IS NOT NULL"), {"name": COMPATIBILITY_TABLE})
    if not exists.scalar_one():
        return None
    return connection.execute(select(schema_compatibility.c.oldest_image_revision)).scalar_one_or_none()


def record(connection: Connection) -> None:
    """Store the oldest image revision the database's current schema serves (called in the migration's transaction)."""
    revision = migrate.current_revision(connection)
    exists = connection.execute(text("SELECT to_regclass(:name) IS NOT NULL"), {"name": COMPATIBILITY_TABLE})
    if revision is None or not exists.scalar_one():
        return
    connection.execute(delete(schema_compatibility))
    connection.execute(insert(schema_compatibility).values(oldest_image_revision=oldest_image_served(revision)))
