"""incident unknowns: an incident's people affected may be unknown (NULL)

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-03 09:45:00

Until now an incident logged without them was recorded as a *near miss* that affected
*0 people*: guesses stated as facts. From this release an incident's kind nobody gave
is "not stated" (a new ``IncidentKind`` value, the model's default; the column was
already free text, so it needs no schema change) and its people affected is unknown,
stored as NULL — which is this migration: the column becomes nullable.

Existing incidents keep their kind and their people affected, defaults included. There
is no telling which of today's "near miss" or "0" someone chose and which riskdesk
wrote unasked: unlike the exposure factors in 0003, an incident's kind and people are
saved by the same form as everything else about it, so no audit event can tell them
apart. Nothing is rewritten, so no audit event is added and every record's history
and hash stay as they were.

Downgrade: schema 0008 cannot hold "unknown", so the old defaults come back (an
unknown people affected becomes 0, a kind not stated becomes a near miss).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # SQLite rebuilds the table; riskdesk runs upgrades with foreign keys off and checks
    # them before COMMIT (store/db.py), so rows pointing at incidents stay as they are.
    with op.batch_alter_table("incident", schema=None) as batch_op:
        batch_op.alter_column("people_affected", existing_type=sa.Integer(), nullable=True)


def downgrade() -> None:
    conn = op.get_bind()
    conn.execute(sa.text("UPDATE incident SET people_affected = 0 WHERE people_affected IS NULL"))
    conn.execute(sa.text("UPDATE incident SET kind = 'near_miss' WHERE kind = 'not_stated'"))
    with op.batch_alter_table("incident", schema=None) as batch_op:
        batch_op.alter_column("people_affected", existing_type=sa.Integer(), nullable=False)
