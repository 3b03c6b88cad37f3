"""use unknowns: a use's public-facing and generative facts may be not stated

Until now a use added by hand, imported or written by the demo without these answers
claimed facts nobody gave: sourcing "SaaS embedded" and public-facing / generative "no"
(the model's defaults). From this revision a new use without them is *not stated*:
sourcing takes the new value ``not_stated`` (a string column: no schema change) and the
two flags become nullable, NULL meaning nobody has said.

Existing rows keep their values. We cannot tell which of them were defaults and which
were answers (a "no" that someone ticked off looks the same as one nobody gave, and the
audit trail of a create records the default as a value), so none is rewritten: the
register's owners can set a use's answers to "not stated" where they know they are
guesses.

Revision ID: 0010
Revises: 0008
Create Date: 2026-12-03 10:45:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_FLAGS = ("public_facing", "generative")


def upgrade() -> None:
    with op.batch_alter_table("ai_use", schema=None) as batch_op:
        for name in _FLAGS:
            batch_op.alter_column(name, existing_type=sa.Boolean(), nullable=True)


def downgrade() -> None:
    # The older schema cannot say "not stated": it becomes "no" (its old default), and a
    # sourcing nobody gave becomes the old default, "saas_embedded".
    ai_use = sa.table(
        "ai_use",
        sa.column("sourcing", sa.String()),
        *(sa.column(name, sa.Boolean()) for name in _FLAGS),
    )
    for name in _FLAGS:
        op.execute(ai_use.update().where(ai_use.c[name].is_(None)).values({name: sa.false()}))
    op.execute(
        ai_use.update().where(ai_use.c.sourcing == "not_stated").values(sourcing="saas_embedded")
    )
    with op.batch_alter_table("ai_use", schema=None) as batch_op:
        for name in _FLAGS:
            batch_op.alter_column(name, existing_type=sa.Boolean(), nullable=False)
