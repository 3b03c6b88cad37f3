"""agent permissions, model catalogue and vendor due diligence (issue 17)

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-03 04:30:00

Existing rows get NULL for the new yes/no and date facts: nobody has said, so they
stay unknown rather than becoming "no".
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_TEXT = sa.String


def _text(name: str) -> sa.Column:  # type: ignore[type-arg]
    return sa.Column(name, _TEXT(), nullable=False, server_default="")


def upgrade() -> None:
    # Plain ADD COLUMN, never a batch rebuild: rebuilding ``vendor`` or ``ai_use`` drops
    # a table other rows point at, which SQLite refuses with foreign keys on.
    op.add_column("vendor", sa.Column("dpa_signed", sa.Boolean(), nullable=True))
    op.add_column("vendor", sa.Column("security_review_on", sa.Date(), nullable=True))
    op.add_column("vendor", _text("security_review_result"))
    op.add_column("vendor", _text("data_location"))
    op.add_column("vendor", _text("sub_processors"))
    op.add_column("vendor", sa.Column("contract_end", sa.Date(), nullable=True))
    op.add_column("vendor", _text("exit_plan"))
    op.add_column("vendor", _text("incident_contact"))

    op.create_table(
        "ai_model",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", _TEXT(), nullable=False),
        sa.Column("provider_id", sa.Integer(), nullable=True),
        sa.Column("model_version", _TEXT(), nullable=False),
        sa.Column("notes", _TEXT(), nullable=False),
        sa.ForeignKeyConstraint(["provider_id"], ["vendor.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("ai_model", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_ai_model_name"), ["name"], unique=False)
        batch_op.create_index(batch_op.f("ix_ai_model_provider_id"), ["provider_id"], unique=False)

    # model_id has no database-level foreign key (adding one would rebuild ai_use); the
    # service layer checks it and clears it when a model is deleted.
    op.add_column("ai_use", sa.Column("model_id", sa.Integer(), nullable=True))
    op.add_column("ai_use", sa.Column("human_approval_destructive", sa.Boolean(), nullable=True))
    op.add_column("ai_use", sa.Column("credentials_scoped", sa.Boolean(), nullable=True))
    op.add_column("ai_use", sa.Column("action_logging", sa.Boolean(), nullable=True))
    op.add_column("ai_use", _text("fallback"))
    op.add_column("ai_use", sa.Column("permissions_reviewed_on", sa.Date(), nullable=True))
    op.create_index("ix_ai_use_model_id", "ai_use", ["model_id"], unique=False)

    op.create_table(
        "agent_permission",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("use_id", sa.Integer(), nullable=False),
        sa.Column("system", _TEXT(), nullable=False),
        sa.Column("access", _TEXT(), nullable=False),
        sa.Column("environment", _TEXT(), nullable=True),
        sa.Column("needed", sa.Boolean(), nullable=True),
        sa.Column("approved_by_id", sa.Integer(), nullable=True),
        sa.Column("last_reviewed", sa.Date(), nullable=True),
        sa.Column("reviewed_by_id", sa.Integer(), nullable=True),
        sa.Column("notes", _TEXT(), nullable=False),
        sa.ForeignKeyConstraint(["use_id"], ["ai_use.id"]),
        sa.ForeignKeyConstraint(["approved_by_id"], ["person.id"]),
        sa.ForeignKeyConstraint(["reviewed_by_id"], ["person.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("agent_permission", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_agent_permission_use_id"), ["use_id"], unique=False)

    op.create_table(
        "permission_review",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("use_id", sa.Integer(), nullable=False),
        sa.Column("reviewed_on", sa.Date(), nullable=False),
        sa.Column("reviewer_id", sa.Integer(), nullable=True),
        sa.Column("decisions", _TEXT(), nullable=False),
        sa.Column("notes", _TEXT(), nullable=False),
        sa.ForeignKeyConstraint(["use_id"], ["ai_use.id"]),
        sa.ForeignKeyConstraint(["reviewer_id"], ["person.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("permission_review", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_permission_review_use_id"), ["use_id"], unique=False)


def downgrade() -> None:
    op.drop_table("permission_review")
    op.drop_table("agent_permission")
    op.drop_index("ix_ai_use_model_id", table_name="ai_use")
    for name in (
        "permissions_reviewed_on",
        "fallback",
        "action_logging",
        "credentials_scoped",
        "human_approval_destructive",
        "model_id",
    ):
        op.drop_column("ai_use", name)
    op.drop_table("ai_model")
    for name in (
        "incident_contact",
        "exit_plan",
        "contract_end",
        "sub_processors",
        "data_location",
        "security_review_result",
        "security_review_on",
        "dpa_signed",
    ):
        op.drop_column("vendor", name)
