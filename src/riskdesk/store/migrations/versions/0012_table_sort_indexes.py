"""table sort indexes: the AI uses table sorted by exposure, tier or stage from an index

The Uses table sorts in SQL (``service.queries``). Exposure sorts by its worst case
(``coalesce(exposure, exposure_high)``), tier and stage by their meaning (a ``CASE``
giving each value its place), and without an index on those expressions SQLite sorted
100,000 uses on every click (issue 19: ~140 ms; ~35–40 ms walking an index).

SQLite uses an expression index only when the query's expression is the same one, so
the ``CASE`` arms below are the ``Tier`` and ``Stage`` enums' order as
``queries._enum_order`` writes them; ``tests/test_table_sort_indexes.py`` fails if the
two drift apart (the sort would stay right, only slower). Indexes only: no value
changes, and the downgrade drops them. A later migration that rebuilds ``ai_use`` in
batch mode must create them again: SQLite's reflection does not see expression indexes.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-03 14:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TIERS = ("low", "moderate", "high", "critical", "not_assessed")
STAGES = ("not_stated", "idea", "development", "pilot", "production", "retired")


def _case(column: str, values: Sequence[str]) -> str:
    arms = " ".join(f"WHEN '{v}' THEN {i}" for i, v in enumerate(values))
    return f"CASE {column} {arms} ELSE -1 END"


INDEXES = {
    "ix_ai_use_exposure_sort": "coalesce(exposure, exposure_high)",
    "ix_ai_use_tier_order": _case("tier", TIERS),
    "ix_ai_use_stage_order": _case("stage", STAGES),
}


def upgrade() -> None:
    # PostgreSQL wants an expression other than a function call in parentheses;
    # SQLite keeps the text as written (its ``check`` compares it), so only there bare
    postgres = op.get_bind().dialect.name == "postgresql"
    for name, expression in INDEXES.items():
        op.create_index(name, "ai_use", [sa.text(f"({expression})" if postgres else expression)])


def downgrade() -> None:
    for name in INDEXES:
        op.drop_index(name, table_name="ai_use")
