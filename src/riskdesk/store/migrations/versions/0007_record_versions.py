"""record versions: optimistic concurrency for team registers

Every editable record gets ``version`` (1 for existing rows); the service raises it on
each change and refuses an edit or undo based on an older one.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-03 04:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Frozen copy of riskdesk.store.models.VERSIONED_TABLES as of this revision.
TABLES = (
    "org_profile",
    "person",
    "vendor",
    "ai_use",
    "risk",
    "control",
    "incident",
    "challenge",
    "review",
    "setting",
    "ai_model",  # issue 17: the model catalogue and each agent's permissions
    "agent_permission",
)


def upgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(
                sa.Column("version", sa.Integer(), nullable=False, server_default="1")
            )


def downgrade() -> None:
    for table in reversed(TABLES):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column("version")
