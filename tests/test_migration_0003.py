"""Migration 0003 on a schema-0002 register built here: defaults nobody answered become
unknown, answered values stay, every rewritten use is audited (``riskdesk check`` OK)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from riskdesk.service import audit
from riskdesk.service.integrity import check_register
from riskdesk.service.register import RegisterService
from riskdesk.store.db import open_register

OLD_DEFAULTS: dict[str, Any] = {
    "people_affected": 0,
    "decision_role": "none",
    "autonomy": "none",
    "data_sensitivity": "internal",
    "childrens_data": False,
    "harm_severity": "minor",
    "reversibility": "reversible",
    "rights_impacting": False,
    "safety_impacting": False,
    "eu_ai_act_class": "not_assessed",
}
NOW = dt.datetime(2026, 11, 2, 9, 30, tzinfo=dt.UTC)


def _old_row(table: sa.Table, use_id: int, name: str, **values: Any) -> dict[str, Any]:
    """A full schema-0002 ``ai_use`` row, as riskdesk 0002 wrote one (Low, exposure 6)."""
    row: dict[str, Any] = {}
    for column in table.c:
        if isinstance(column.type, sa.Boolean):
            row[column.name] = False
        elif isinstance(column.type, sa.Integer):
            row[column.name] = 0
        elif isinstance(column.type, sa.DateTime):
            row[column.name] = NOW
        elif isinstance(column.type, sa.Date):
            row[column.name] = None
        else:
            row[column.name] = ""
    for key in ("vendor_id", "owner_first_id", "owner_second_id", "owner_third_id"):
        row[key] = None
    row["dev_prod_separated"] = None
    row.update(OLD_DEFAULTS)
    row.update(
        id=use_id,
        name=name,
        stage="production",
        sourcing="saas_embedded",
        human_oversight="in_the_loop",
        tier="low",
        exposure=6,
        score_method="exposure-1",
    )
    row.update(values)
    return row


def _register_at_0002(path: Path) -> None:
    from alembic import command

    from riskdesk.store.db import _alembic_config, make_engine

    engine = make_engine(f"sqlite:///{path}")
    with engine.begin() as conn:
        command.upgrade(_alembic_config(conn), "0002")
        uses = sa.Table("ai_use", sa.MetaData(), autoload_with=conn)
        # 1: imported, never touched: every default is a guess.
        untouched = _old_row(uses, 1, "Gaggle self-harm scanning")
        # 2: classified by hand (harm moved from moderate back to minor, EU class kept
        #    "not assessed"): the defaults it still holds were seen and kept.
        classified_before = _old_row(uses, 2, "Lesson drafting", harm_severity="moderate")
        classified = _old_row(uses, 2, "Lesson drafting")
        # 3: imported with some answers: those stay, the defaults become unknown.
        partial = _old_row(
            uses,
            3,
            "IEP goal writer",
            people_affected=2400,
            decision_role="recommends",
            childrens_data=True,
            tier="moderate",
            exposure=41,
        )
        # 4: edited without touching any factor (a rename): no evidence.
        renamed_before = _old_row(uses, 4, "Chatbot")
        renamed = _old_row(uses, 4, "Tutoring chatbot")
        conn.execute(sa.insert(uses), [untouched, classified, partial, renamed])
        events = [
            audit.PendingEvent("create", "ai_use", "1", None, untouched),
            audit.PendingEvent("create", "ai_use", "2", None, classified_before),
            audit.PendingEvent("update", "ai_use", "2", classified_before, classified),
            audit.PendingEvent("create", "ai_use", "3", None, partial),
            audit.PendingEvent("create", "ai_use", "4", None, renamed_before),
            audit.PendingEvent("update", "ai_use", "4", renamed_before, renamed),
        ]
        audit.append(conn, "alice", events, at=NOW)
    engine.dispose()


def test_0003_makes_unanswered_defaults_unknown_and_stays_audited(tmp_path: Path) -> None:
    path = tmp_path / "register.db"
    _register_at_0002(path)
    register = open_register(path)  # upgrades to head
    try:
        service = RegisterService(register, actor="test")
        uses = {u["id"]: u for u in service.rows("ai_use")}

        untouched = uses[1]
        assert all(untouched[k] is None for k in OLD_DEFAULTS)
        assert (untouched["tier"], untouched["assessment"], untouched["exposure"]) == (
            "not_assessed",
            "not_assessed",
            None,
        )
        assert (untouched["tier_low"], untouched["tier_high"]) == ("low", "critical")

        classified = uses[2]
        answered = {k: v for k, v in OLD_DEFAULTS.items() if k != "eu_ai_act_class"}
        assert {k: classified[k] for k in answered} == answered
        # "not assessed" was always an explicit unknown: the only question left.
        assert classified["eu_ai_act_class"] is None
        assert classified["assessment"] == "partly" and classified["tier"] == "not_assessed"
        assert classified["tier_low"] == "low"

        partial = uses[3]
        assert (partial["people_affected"], partial["decision_role"]) == (2400, "recommends")
        assert partial["childrens_data"] is True
        assert partial["autonomy"] is None and partial["harm_severity"] is None
        assert partial["data_sensitivity"] is None  # settled by children's data, kept unknown
        assert partial["assessment"] == "partly" and partial["exposure"] is None
        assert partial["tier_low"] == "moderate"  # 10 + 12 + 16 points already known

        assert uses[4]["decision_role"] is None and uses[4]["assessment"] == "not_assessed"
        assert {u["score_method"] for u in uses.values()} == {"exposure-2"}

        # Every rewritten use has its audit event: the register is what the trail says.
        report = check_register(register)
        assert report.ok, report.summary()
        with register.engine.connect() as conn:
            actors = conn.execute(sa.text("SELECT actor, entity_id FROM audit_event")).all()
        assert sorted(e for a, e in actors if a == "riskdesk upgrade 0003") == ["1", "2", "3", "4"]

        # The service keeps working on the migrated rows.
        service.update("ai_use", 1, {"name": "Gaggle scanning"})
        assert service.get("ai_use", 1)["decision_role"] is None
    finally:
        register.dispose()
