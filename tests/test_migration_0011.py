"""Migration 0011 adds the gap counts' indexes, on SQLite and PostgreSQL, and its
downgrade drops them; a register's values are not touched."""

from __future__ import annotations

import sqlalchemy as sa

from riskdesk.store.db import _alembic_config, make_engine

NAMES = {
    "risk": {"ix_risk_residual": 6, "ix_risk_use_owner": 2},
    "ai_use": {"ix_ai_use_stage": 3},
}


def _indexes(conn: sa.Connection) -> dict[str, dict[str, int]]:
    """Table → its 0011 index names → how many columns each has."""
    inspector = sa.inspect(conn)
    return {
        table: {
            ix["name"]: len(ix["column_names"])
            for ix in inspector.get_indexes(table)
            if ix["name"] in NAMES[table]
        }
        for table in NAMES
    }


def test_0011_adds_the_indexes_and_its_downgrade_drops_them(blank_url: str) -> None:
    from alembic import command

    engine = make_engine(blank_url)
    try:
        with engine.begin() as conn:
            command.upgrade(_alembic_config(conn), "0010")
        with engine.connect() as conn:
            assert _indexes(conn) == {"risk": {}, "ai_use": {}}
        with engine.begin() as conn:
            command.upgrade(_alembic_config(conn), "0011")
        with engine.connect() as conn:
            assert _indexes(conn) == NAMES
        with engine.begin() as conn:
            command.downgrade(_alembic_config(conn), "0010")
        with engine.connect() as conn:
            assert _indexes(conn) == {"risk": {}, "ai_use": {}}
    finally:
        engine.dispose()
