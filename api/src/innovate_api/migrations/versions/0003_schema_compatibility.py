"""Record the oldest image revision the schema serves, so an image older than the schema knows whether it may serve.

Revision ID: 0003
Revises: 0002
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None
# Expand/contract (innovate_api.schema_compat): a new table only; older images keep working.
phase = "expand"


def upgrade() -> None:
    op.create_table(
        "schema_compatibility",
        sa.Column("singleton", sa.Boolean(), server_default=sa.text("true"), nullable=False),
        sa.Column("oldest_image_revision", sa.Text(), nullable=False),
        sa.CheckConstraint("singleton", name=op.f("ck_schema_compatibility_one_row")),
        sa.PrimaryKeyConstraint("singleton", name=op.f("pk_schema_compatibility")),
    )


def downgrade() -> None:
    op.drop_table("schema_compatibility")
