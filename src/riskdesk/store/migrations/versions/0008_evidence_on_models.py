"""evidence on models: an evidence link may name a catalogued model (issue 18)

A model card or a provider's evaluation supports the model itself, which several uses
may run on; until now evidence could be attached to uses, risks, controls, reviews,
challenges, incidents and vendors only. Existing links are unchanged.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-03 08:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("evidence_link", schema=None) as batch_op:
        batch_op.add_column(sa.Column("model_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            "fk_evidence_link_model_id_ai_model", "ai_model", ["model_id"], ["id"]
        )
        batch_op.create_index(batch_op.f("ix_evidence_link_model_id"), ["model_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("evidence_link", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_evidence_link_model_id"))
        batch_op.drop_constraint("fk_evidence_link_model_id_ai_model", type_="foreignkey")
        batch_op.drop_column("model_id")
