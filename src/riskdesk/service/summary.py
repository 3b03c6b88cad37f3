"""Register-wide counts used by ``riskdesk summary``, the dashboard and exports."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from riskdesk.enums import Stage, Tier
from riskdesk.service.oversight import gap_count
from riskdesk.service.register import RegisterService, table_of


def register_summary(service: RegisterService) -> dict[str, Any]:
    uses = table_of("ai_use")
    with service.engine.connect() as conn:
        by_stage_rows: dict[str, int] = dict(
            conn.execute(select(uses.c.stage, func.count()).group_by(uses.c.stage)).all()
        )
        by_tier_rows: dict[str, int] = dict(
            conn.execute(
                select(uses.c.tier, func.count())
                .where(uses.c.stage != Stage.RETIRED.value)
                .group_by(uses.c.tier)
            ).all()
        )
    return {
        "uses": service.count("ai_use"),
        "risks": service.count("risk"),
        "people": service.count("person"),
        "vendors": service.count("vendor"),
        "incidents": service.count("incident"),
        "controls": service.count("control"),
        # every stage and tier present, zero counts included, so consumers need no guards
        "by_stage": {s.value: int(by_stage_rows.get(s.value, 0)) for s in Stage},
        "by_tier": {t.value: int(by_tier_rows.get(t.value, 0)) for t in Tier},
        # open oversight gaps, counted exactly as `riskdesk gaps` and the dashboard do
        "gaps": gap_count(service),
    }
