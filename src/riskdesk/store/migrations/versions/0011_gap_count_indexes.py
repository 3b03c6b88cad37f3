"""gap count indexes: the ladder's reads of risks and uses answered from indexes

``riskdesk summary`` counts every open gap in SQL (``service.gap_counts``) and first
checks that every value it reads is in its stored form. At 100,000 uses (500,000
risks) the table scans behind those reads took most of its second (issue 19):

- ``ix_risk_residual`` (status, residual ratings, acceptance, use): the risks above
  appetite without a current acceptance are found by range searches, and the check that
  every status and rating is one the SQL reads is a few searches, not a scan;
- ``ix_risk_use_owner`` (use, owner): "does the 2nd-line owner own one of the use's
  risks" (the lines' independence) is answered from the index alone;
- ``ix_ai_use_stage`` (stage, tier, assessment): the summary's counts by stage, tier and
  assessment, and the same check on uses, from the index alone.

Indexes only: no value changes, and the downgrade drops them.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-03 13:30:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INDEXES = {
    "ix_risk_residual": (
        "risk",
        [
            "status",
            "residual_likelihood",
            "residual_impact",
            "accepted_by_id",
            "acceptance_expires",
            "use_id",
        ],
    ),
    "ix_risk_use_owner": ("risk", ["use_id", "owner_id"]),
    "ix_ai_use_stage": ("ai_use", ["stage", "tier", "assessment"]),
}


def upgrade() -> None:
    for name, (table, columns) in INDEXES.items():
        op.create_index(name, table, columns)


def downgrade() -> None:
    for name, (table, _columns) in INDEXES.items():
        op.drop_index(name, table_name=table)
