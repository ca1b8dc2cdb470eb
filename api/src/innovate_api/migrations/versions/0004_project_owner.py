"""Projects belong to a user: the token subject (``sub``) of the user who created them.

Nullable, so the image before this one (which knows no users) keeps inserting projects during a canary; the API
treats a project without an owner as nobody's (ADR 0127). No index: the project list was a scan and sort before
(projects are few: one per board), and an index built CONCURRENTLY cannot run inside the one transaction `migrate`
applies and records the schema's compatibility in.

Revision ID: 0004
Revises: 0003
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None
# Expand/contract (innovate_api.schema_compat): a nullable column; older images keep working.
phase = "expand"


def upgrade() -> None:
    # Adding a nullable column without a default only touches the catalog, but it needs an ACCESS EXCLUSIVE lock:
    # give up quickly rather than queue every request behind a long transaction.
    op.execute("SET lock_timeout = '2s'")
    op.add_column("projects", sa.Column("owner_sub", sa.Text(), nullable=True), if_not_exists=True)


def downgrade() -> None:
    op.drop_column("projects", "owner_sub")
