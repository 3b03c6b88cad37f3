"""initial register schema

Revision ID: 0001
Revises:
Create Date: 2026-11-27 03:57:06.637371
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:

    op.create_table(
        "audit_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(), nullable=False),
        sa.Column("action", sa.String(), nullable=False),
        sa.Column("entity", sa.String(), nullable=False),
        sa.Column("entity_id", sa.String(), nullable=False),
        sa.Column("before", sa.String(), nullable=False),
        sa.Column("after", sa.String(), nullable=False),
        sa.Column("prev_hash", sa.String(), nullable=False),
        sa.Column("hash", sa.String(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_audit_event_entity"), ["entity"], unique=False)
        batch_op.create_index(batch_op.f("ix_audit_event_entity_id"), ["entity_id"], unique=False)

    op.create_table(
        "org_profile",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("sector", sa.String(), nullable=False),
        sa.Column("champion_name", sa.String(), nullable=False),
        sa.Column("risk_appetite", sa.String(), nullable=False),
        sa.Column("paper_size", sa.String(), nullable=False),
        sa.Column("confidentiality", sa.String(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "person",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("email", sa.String(), nullable=False),
        sa.Column("title", sa.String(), nullable=False),
        sa.Column("department", sa.String(), nullable=False),
        sa.Column("default_line", sa.String(), nullable=False),
        sa.Column("has_left", sa.Boolean(), nullable=False),
        sa.Column("notes", sa.String(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("person", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_person_name"), ["name"], unique=False)

    op.create_table(
        "setting",
        sa.Column("key", sa.String(), nullable=False),
        sa.Column("value", sa.String(), nullable=False),
        sa.PrimaryKeyConstraint("key"),
    )
    op.create_table(
        "vendor",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("notes", sa.String(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("vendor", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_vendor_name"), ["name"], unique=False)

    op.create_table(
        "ai_use",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("purpose", sa.String(), nullable=False),
        sa.Column("department", sa.String(), nullable=False),
        sa.Column("stage", sa.String(), nullable=False),
        sa.Column("sourcing", sa.String(), nullable=False),
        sa.Column("vendor_id", sa.Integer(), nullable=True),
        sa.Column("model_name", sa.String(), nullable=False),
        sa.Column("model_version", sa.String(), nullable=False),
        sa.Column("users", sa.String(), nullable=False),
        sa.Column("people_affected", sa.Integer(), nullable=False),
        sa.Column("affected_groups", sa.String(), nullable=False),
        sa.Column("decision_role", sa.String(), nullable=False),
        sa.Column("human_oversight", sa.String(), nullable=False),
        sa.Column("autonomy", sa.String(), nullable=False),
        sa.Column("agent_permissions", sa.String(), nullable=False),
        sa.Column("permissions_reviewed", sa.Boolean(), nullable=False),
        sa.Column("data_sensitivity", sa.String(), nullable=False),
        sa.Column("childrens_data", sa.Boolean(), nullable=False),
        sa.Column("harm_severity", sa.String(), nullable=False),
        sa.Column("reversibility", sa.String(), nullable=False),
        sa.Column("rights_impacting", sa.Boolean(), nullable=False),
        sa.Column("safety_impacting", sa.Boolean(), nullable=False),
        sa.Column("public_facing", sa.Boolean(), nullable=False),
        sa.Column("generative", sa.Boolean(), nullable=False),
        sa.Column("eu_ai_act_class", sa.String(), nullable=False),
        sa.Column("eu_ai_act_basis", sa.String(), nullable=False),
        sa.Column("dev_prod_separated", sa.Boolean(), nullable=True),
        sa.Column("rollback_plan", sa.String(), nullable=False),
        sa.Column("kill_switch", sa.String(), nullable=False),
        sa.Column("monitoring", sa.String(), nullable=False),
        sa.Column("board_reporting", sa.Boolean(), nullable=False),
        sa.Column("owner_first_id", sa.Integer(), nullable=True),
        sa.Column("owner_second_id", sa.Integer(), nullable=True),
        sa.Column("owner_third_id", sa.Integer(), nullable=True),
        sa.Column("go_live", sa.Date(), nullable=True),
        sa.Column("last_review", sa.Date(), nullable=True),
        sa.Column("next_review", sa.Date(), nullable=True),
        sa.Column("needs_rereview", sa.Boolean(), nullable=False),
        sa.Column("notes", sa.String(), nullable=False),
        sa.Column("source_record", sa.String(), nullable=False),
        sa.Column("exposure", sa.Integer(), nullable=False),
        sa.Column("tier", sa.String(), nullable=False),
        sa.Column("score_method", sa.String(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["owner_first_id"],
            ["person.id"],
        ),
        sa.ForeignKeyConstraint(
            ["owner_second_id"],
            ["person.id"],
        ),
        sa.ForeignKeyConstraint(
            ["owner_third_id"],
            ["person.id"],
        ),
        sa.ForeignKeyConstraint(
            ["vendor_id"],
            ["vendor.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("ai_use", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_ai_use_department"), ["department"], unique=False)
        batch_op.create_index(batch_op.f("ix_ai_use_exposure"), ["exposure"], unique=False)
        batch_op.create_index(batch_op.f("ix_ai_use_name"), ["name"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_ai_use_owner_first_id"), ["owner_first_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_ai_use_owner_second_id"), ["owner_second_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_ai_use_owner_third_id"), ["owner_third_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_ai_use_tier"), ["tier"], unique=False)
        batch_op.create_index(batch_op.f("ix_ai_use_vendor_id"), ["vendor_id"], unique=False)

    op.create_table(
        "control",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("description", sa.String(), nullable=False),
        sa.Column("control_type", sa.String(), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(), nullable=False),
        sa.Column("framework_refs", sa.String(), nullable=False),
        sa.Column("last_tested", sa.Date(), nullable=True),
        sa.Column("test_every_months", sa.Integer(), nullable=False),
        sa.Column("evidence", sa.String(), nullable=False),
        sa.ForeignKeyConstraint(
            ["owner_id"],
            ["person.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "incident",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("use_id", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("title", sa.String(), nullable=False),
        sa.Column("occurred_on", sa.Date(), nullable=False),
        sa.Column("severity", sa.String(), nullable=False),
        sa.Column("people_affected", sa.Integer(), nullable=False),
        sa.Column("description", sa.String(), nullable=False),
        sa.Column("actions", sa.String(), nullable=False),
        sa.Column("reportable", sa.Boolean(), nullable=False),
        sa.Column("reported_on", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["use_id"],
            ["ai_use.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("incident", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_incident_use_id"), ["use_id"], unique=False)

    op.create_table(
        "review",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("use_id", sa.Integer(), nullable=False),
        sa.Column("reviewed_on", sa.Date(), nullable=False),
        sa.Column("reviewer_id", sa.Integer(), nullable=True),
        sa.Column("exposure", sa.Integer(), nullable=False),
        sa.Column("tier", sa.String(), nullable=False),
        sa.Column("score_method", sa.String(), nullable=False),
        sa.Column("snapshot", sa.String(), nullable=False),
        sa.Column("notes", sa.String(), nullable=False),
        sa.ForeignKeyConstraint(
            ["reviewer_id"],
            ["person.id"],
        ),
        sa.ForeignKeyConstraint(
            ["use_id"],
            ["ai_use.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("review", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_review_use_id"), ["use_id"], unique=False)

    op.create_table(
        "risk",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("use_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(), nullable=False),
        sa.Column("description", sa.String(), nullable=False),
        sa.Column("taxonomy_refs", sa.String(), nullable=False),
        sa.Column("inherent_likelihood", sa.Integer(), nullable=False),
        sa.Column("inherent_impact", sa.Integer(), nullable=False),
        sa.Column("residual_likelihood", sa.Integer(), nullable=False),
        sa.Column("residual_impact", sa.Integer(), nullable=False),
        sa.Column("target_likelihood", sa.Integer(), nullable=True),
        sa.Column("target_impact", sa.Integer(), nullable=True),
        sa.Column("treatment", sa.String(), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=True),
        sa.Column("due_date", sa.Date(), nullable=True),
        sa.Column("status", sa.String(), nullable=False),
        sa.Column("accepted_by_id", sa.Integer(), nullable=True),
        sa.Column("acceptance_rationale", sa.String(), nullable=False),
        sa.Column("acceptance_expires", sa.Date(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["accepted_by_id"],
            ["person.id"],
        ),
        sa.ForeignKeyConstraint(
            ["owner_id"],
            ["person.id"],
        ),
        sa.ForeignKeyConstraint(
            ["use_id"],
            ["ai_use.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("risk", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_risk_owner_id"), ["owner_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_risk_use_id"), ["use_id"], unique=False)

    op.create_table(
        "challenge",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("use_id", sa.Integer(), nullable=False),
        sa.Column("risk_id", sa.Integer(), nullable=True),
        sa.Column("raised_by_id", sa.Integer(), nullable=True),
        sa.Column("raised_on", sa.Date(), nullable=False),
        sa.Column("question", sa.String(), nullable=False),
        sa.Column("severity", sa.String(), nullable=False),
        sa.Column("answer", sa.String(), nullable=False),
        sa.Column("answered_by_id", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(), nullable=False),
        sa.Column("resolution", sa.String(), nullable=False),
        sa.Column("resolved_on", sa.Date(), nullable=True),
        sa.Column("snapshot_raised", sa.String(), nullable=False),
        sa.Column("snapshot_resolved", sa.String(), nullable=False),
        sa.ForeignKeyConstraint(
            ["answered_by_id"],
            ["person.id"],
        ),
        sa.ForeignKeyConstraint(
            ["raised_by_id"],
            ["person.id"],
        ),
        sa.ForeignKeyConstraint(
            ["risk_id"],
            ["risk.id"],
        ),
        sa.ForeignKeyConstraint(
            ["use_id"],
            ["ai_use.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("challenge", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_challenge_use_id"), ["use_id"], unique=False)

    op.create_table(
        "incident_risk",
        sa.Column("incident_id", sa.Integer(), nullable=False),
        sa.Column("risk_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["incident_id"],
            ["incident.id"],
        ),
        sa.ForeignKeyConstraint(
            ["risk_id"],
            ["risk.id"],
        ),
        sa.PrimaryKeyConstraint("incident_id", "risk_id"),
    )
    op.create_table(
        "risk_control",
        sa.Column("risk_id", sa.Integer(), nullable=False),
        sa.Column("control_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["control_id"],
            ["control.id"],
        ),
        sa.ForeignKeyConstraint(
            ["risk_id"],
            ["risk.id"],
        ),
        sa.PrimaryKeyConstraint("risk_id", "control_id"),
    )


def downgrade() -> None:

    op.drop_table("risk_control")
    op.drop_table("incident_risk")
    with op.batch_alter_table("challenge", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_challenge_use_id"))

    op.drop_table("challenge")
    with op.batch_alter_table("risk", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_risk_use_id"))
        batch_op.drop_index(batch_op.f("ix_risk_owner_id"))

    op.drop_table("risk")
    with op.batch_alter_table("review", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_review_use_id"))

    op.drop_table("review")
    with op.batch_alter_table("incident", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_incident_use_id"))

    op.drop_table("incident")
    op.drop_table("control")
    with op.batch_alter_table("ai_use", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_ai_use_vendor_id"))
        batch_op.drop_index(batch_op.f("ix_ai_use_tier"))
        batch_op.drop_index(batch_op.f("ix_ai_use_owner_third_id"))
        batch_op.drop_index(batch_op.f("ix_ai_use_owner_second_id"))
        batch_op.drop_index(batch_op.f("ix_ai_use_owner_first_id"))
        batch_op.drop_index(batch_op.f("ix_ai_use_name"))
        batch_op.drop_index(batch_op.f("ix_ai_use_exposure"))
        batch_op.drop_index(batch_op.f("ix_ai_use_department"))

    op.drop_table("ai_use")
    with op.batch_alter_table("vendor", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_vendor_name"))

    op.drop_table("vendor")
    op.drop_table("setting")
    with op.batch_alter_table("person", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_person_name"))

    op.drop_table("person")
    op.drop_table("org_profile")
    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_audit_event_entity_id"))
        batch_op.drop_index(batch_op.f("ix_audit_event_entity"))

    op.drop_table("audit_event")
