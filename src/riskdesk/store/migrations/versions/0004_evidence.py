"""evidence inside the register: content-addressed files, their revisions and links

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-03 03:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# evidence_link column -> the table it points at
LINK_TARGETS = {
    "use_id": "ai_use",
    "risk_id": "risk",
    "control_id": "control",
    "review_id": "review",
    "challenge_id": "challenge",
    "incident_id": "incident",
    "vendor_id": "vendor",
}


def upgrade() -> None:
    op.create_table(
        "evidence_blob",
        sa.Column("sha256", sa.String(), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("sha256"),
    )
    op.create_table(
        "evidence",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("sha256", sa.String(), nullable=False),
        sa.Column("file_name", sa.String(), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("dated", sa.Date(), nullable=True),
        sa.Column("valid_until", sa.Date(), nullable=True),
        sa.Column("added_by_id", sa.Integer(), nullable=True),
        sa.Column("added_by", sa.String(), nullable=False),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("replaces_id", sa.Integer(), nullable=True),
        sa.Column("removed", sa.Boolean(), nullable=False),
        sa.Column("notes", sa.String(), nullable=False),
        sa.ForeignKeyConstraint(["added_by_id"], ["person.id"]),
        sa.ForeignKeyConstraint(["replaces_id"], ["evidence.id"]),
        sa.ForeignKeyConstraint(["sha256"], ["evidence_blob.sha256"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("evidence", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_evidence_replaces_id"), ["replaces_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_evidence_sha256"), ["sha256"], unique=False)

    op.create_table(
        "evidence_link",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("evidence_id", sa.Integer(), nullable=False),
        *(sa.Column(column, sa.Integer(), nullable=True) for column in LINK_TARGETS),
        sa.ForeignKeyConstraint(["evidence_id"], ["evidence.id"]),
        *(
            sa.ForeignKeyConstraint([column], [f"{table}.id"])
            for column, table in LINK_TARGETS.items()
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("evidence_link", schema=None) as batch_op:
        for column in ("evidence_id", *LINK_TARGETS):
            batch_op.create_index(batch_op.f(f"ix_evidence_link_{column}"), [column], unique=False)


def downgrade() -> None:
    op.drop_table("evidence_link")
    op.drop_table("evidence")
    op.drop_table("evidence_blob")
