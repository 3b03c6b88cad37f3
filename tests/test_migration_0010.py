"""Migration 0010 on a schema-0008 register built here, on SQLite and PostgreSQL: the
values a use holds are kept (nobody can tell a default from an answer), and from then on
a use may leave public-facing and generative not stated."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from riskdesk.service.register import RegisterService
from riskdesk.store.db import _alembic_config, make_engine, open_register

NOW = dt.datetime(2026, 11, 2, 9, 30, tzinfo=dt.UTC)


def _filled(table: sa.Table, **values: Any) -> dict[str, Any]:
    """A row with every NOT NULL column filled (the id is the database's, so
    PostgreSQL's sequence knows it)."""
    row: dict[str, Any] = {}
    for column in table.c:
        if column.primary_key:
            continue
        if column.nullable:
            row[column.name] = None
        elif isinstance(column.type, sa.Boolean):
            row[column.name] = False
        elif isinstance(column.type, sa.Integer):
            row[column.name] = 0
        elif isinstance(column.type, sa.DateTime):
            row[column.name] = NOW
        else:
            row[column.name] = ""
    row.update(values)
    return row


def _old_row(table: sa.Table, **values: Any) -> dict[str, Any]:
    """A full schema-0008 ``ai_use`` row."""
    row = _filled(table)
    row.update(stage="production", human_oversight="in_the_loop", tier="low")
    row.update(assessment="not_assessed", score_method="exposure-2", version=1)
    row.update(values)
    return {k: v for k, v in row.items() if k in table.c}


def test_0010_keeps_every_value_and_lets_new_uses_leave_them_unstated(blank_url: str) -> None:
    from alembic import command

    engine = make_engine(blank_url)
    with engine.begin() as conn:
        command.upgrade(_alembic_config(conn), "0008")
        uses = sa.Table("ai_use", sa.MetaData(), autoload_with=conn)
        assert not uses.c.public_facing.nullable and not uses.c.generative.nullable
        conn.execute(
            sa.insert(uses),
            [
                # The old defaults: maybe answers, maybe not; kept either way.
                _old_row(uses, name="Old default", sourcing="saas_embedded"),
                _old_row(
                    uses,
                    name="Stated",
                    sourcing="in_house",
                    public_facing=True,
                    generative=True,
                ),
            ],
        )
        # A risk refers to the use: the column change must not rebuild (drop) ai_use.
        risks = sa.Table("risk", sa.MetaData(), autoload_with=conn)
        first = conn.execute(sa.select(sa.func.min(uses.c.id))).scalar()
        conn.execute(sa.insert(risks), [_filled(risks, use_id=first, title="Vendor lock-in")])
    engine.dispose()
    register = open_register(blank_url)  # upgrades to head
    try:
        service = RegisterService(register, actor="t")
        found = {
            u["name"]: (u["sourcing"], u["public_facing"], u["generative"])
            for u in service.rows("ai_use")
        }
        assert [r["title"] for r in service.rows("risk")] == ["Vendor lock-in"]
        assert found == {
            "Old default": ("saas_embedded", False, False),
            "Stated": ("in_house", True, True),
        }
        new = service.create("ai_use", {"name": "New"})
        fresh = service.get("ai_use", new)
        assert (fresh["sourcing"], fresh["public_facing"], fresh["generative"]) == (
            "not_stated",
            None,
            None,
        )
    finally:
        register.dispose()


def test_its_downgrade_turns_not_stated_back_into_the_old_defaults(tmp_path: Path) -> None:
    """0010 alone, up and down: the older schema cannot say "not stated"."""
    from alembic import command

    engine = make_engine(f"sqlite:///{tmp_path / 'r.db'}")
    try:
        with engine.begin() as conn:
            command.upgrade(_alembic_config(conn), "0010")
            uses = sa.Table("ai_use", sa.MetaData(), autoload_with=conn)
            conn.execute(
                sa.insert(uses),
                [
                    _old_row(uses, name="Unstated", sourcing="not_stated"),
                    _old_row(uses, name="Stated", sourcing="open_model", generative=True),
                ],
            )
            unstated = uses.c.name == "Unstated"
            conn.execute(sa.update(uses).where(unstated).values(public_facing=None))
            conn.execute(sa.update(uses).where(unstated).values(generative=None))
            risks = sa.Table("risk", sa.MetaData(), autoload_with=conn)
            first = conn.execute(sa.select(sa.func.min(uses.c.id))).scalar()
            conn.execute(sa.insert(risks), [_filled(risks, use_id=first, title="A risk")])
        with engine.begin() as conn:
            command.downgrade(_alembic_config(conn), "0008")
        with engine.connect() as conn:
            uses = sa.Table("ai_use", sa.MetaData(), autoload_with=conn)
            rows = conn.execute(
                sa.select(uses.c.sourcing, uses.c.public_facing, uses.c.generative).order_by(
                    uses.c.id
                )
            ).all()
        assert not uses.c.public_facing.nullable and not uses.c.generative.nullable
        assert [tuple(r) for r in rows] == [
            ("saas_embedded", False, False),
            ("open_model", False, True),
        ]
    finally:
        engine.dispose()
