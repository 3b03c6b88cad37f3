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

On SQLite the two columns are replaced rather than the table rebuilt in batch mode (see
``_swap_column``: a rebuild of ``ai_use`` fails on any register with risks).

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-03 10:45:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_FLAGS = ("public_facing", "generative")


def _sqlite() -> bool:
    return bool(op.get_bind().dialect.name == "sqlite")


def _swap_column(name: str, definition: str) -> None:
    """SQLite: give column ``name`` a new definition without rebuilding ``ai_use``.

    Batch mode would copy the table, drop it and rename the copy; with foreign keys on
    (riskdesk's connections always are, and a migration runs inside a transaction,
    where the pragma cannot be turned off) dropping a table that risks, reviews and
    incidents refer to fails. A new column takes the values instead and the old one is
    dropped (SQLite 3.35+), so the column moves to the end of the table, in every
    register alike (a new one runs this revision too).
    """
    temporary = f"{name}_0010"
    op.execute(f"ALTER TABLE ai_use ADD COLUMN {temporary} {definition}")
    op.execute(f"UPDATE ai_use SET {temporary} = {name}")
    op.execute(f"ALTER TABLE ai_use DROP COLUMN {name}")
    op.execute(f"ALTER TABLE ai_use RENAME COLUMN {temporary} TO {name}")


def upgrade() -> None:
    for name in _FLAGS:
        if _sqlite():
            _swap_column(name, "BOOLEAN")
        else:
            op.alter_column("ai_use", name, existing_type=sa.Boolean(), nullable=True)


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
    for name in _FLAGS:
        if _sqlite():
            _swap_column(name, "BOOLEAN NOT NULL DEFAULT 0")
        else:
            op.alter_column("ai_use", name, existing_type=sa.Boolean(), nullable=False)
