"""incident follow-up: status, owner, root cause, lessons learned and closed date

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-03 04:40:00

Incidents already on the register start as open: nobody recorded closing them.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("incident") as batch:
        batch.add_column(sa.Column("status", sa.String(), nullable=False, server_default="open"))
        batch.add_column(sa.Column("owner_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("root_cause", sa.String(), nullable=False, server_default=""))
        batch.add_column(sa.Column("lessons", sa.String(), nullable=False, server_default=""))
        batch.add_column(sa.Column("closed_on", sa.Date(), nullable=True))
        batch.create_foreign_key("fk_incident_owner_id_person", "person", ["owner_id"], ["id"])


def downgrade() -> None:
    with op.batch_alter_table("incident") as batch:
        batch.drop_constraint("fk_incident_owner_id_person", type_="foreignkey")
        batch.drop_column("closed_on")
        batch.drop_column("lessons")
        batch.drop_column("root_cause")
        batch.drop_column("owner_id")
        batch.drop_column("status")
