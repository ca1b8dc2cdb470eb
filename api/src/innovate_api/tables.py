"""The database schema as SQLAlchemy Core tables: the one source the queries and the migration check use.

Invariant kept by the task queries and guarded here: within a project, the tasks of each status column have the
positions 0..n-1. The unique constraint is DEFERRABLE INITIALLY DEFERRED because shifting a column is done with one
UPDATE whose intermediate rows may collide; the constraint is checked at commit, so a bug can never commit a
duplicate position.
"""

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    Date,
    DateTime,
    Enum,
    ForeignKey,
    Integer,
    MetaData,
    PrimaryKeyConstraint,
    Table,
    Text,
    UniqueConstraint,
    Uuid,
    func,
    text,
)

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

# Declaration order is the column order of the board and the sort order of task lists.
TASK_STATUSES = ("todo", "doing", "done")
task_status = Enum(*TASK_STATUSES, name="task_status", metadata=metadata)

projects = Table(
    "projects",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("name", Text, nullable=False),
    Column("description", Text, nullable=False, server_default=""),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("updated_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("version", Integer, nullable=False, server_default=text("1")),
    # The creator's token subject. NULL: created by an image before authentication; such a project is nobody's.
    Column("owner_sub", Text, nullable=True),
    UniqueConstraint("name"),
    CheckConstraint("char_length(name) BETWEEN 1 AND 120", name="name_length"),
    CheckConstraint("char_length(description) <= 2000", name="description_length"),
    CheckConstraint("version >= 1", name="version_positive"),
)

tasks = Table(
    "tasks",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("project_id", Uuid, ForeignKey("projects.id", ondelete="CASCADE"), nullable=False),
    Column("title", Text, nullable=False),
    Column("status", task_status, nullable=False),
    Column("position", Integer, nullable=False),
    Column("due_date", Date, nullable=True),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("updated_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("version", Integer, nullable=False, server_default=text("1")),
    # Also the index behind listing a project's tasks in board order (project, status, position).
    UniqueConstraint("project_id", "status", "position", deferrable=True, initially="DEFERRED"),
    CheckConstraint("char_length(title) BETWEEN 1 AND 200", name="title_length"),
    CheckConstraint("position >= 0", name="position_non_negative"),
    CheckConstraint("version >= 1", name="version_positive"),
)

# One row per Idempotency-Key and operation scope. It is inserted in the same transaction that creates the
# resource, so a concurrent repeat blocks on the primary key until the first commits (then replays its response)
# or rolls back (then runs itself). Indexed by age for `innovate-api purge-idempotency-keys`.
idempotency_keys = Table(
    "idempotency_keys",
    metadata,
    Column("scope", Text, nullable=False),
    Column("key", Text, nullable=False),
    Column("request_hash", Text, nullable=False),
    Column("status_code", Integer, nullable=True),
    Column("response_body", Text, nullable=True),
    Column("response_headers", Text, nullable=True),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now(), index=True),
    PrimaryKeyConstraint("scope", "key"),
)

# One row: the oldest image revision (migration head of an image) that runs on the database's current schema, so an
# image older than the schema can tell whether it may serve it (innovate_api.schema_compat). Written by `migrate`.
schema_compatibility = Table(
    "schema_compatibility",
    metadata,
    Column("singleton", Boolean, nullable=False, server_default=text("true")),
    Column("oldest_image_revision", Text, nullable=False),
    PrimaryKeyConstraint("singleton"),
    CheckConstraint("singleton", name="one_row"),
)
