"""Register-wide counts used by ``riskdesk summary``, the dashboard and exports."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from riskdesk.enums import SCORED_TIERS, Assessment, Stage, Tier
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
        by_assessment_rows: dict[str, int] = dict(
            conn.execute(
                select(uses.c.assessment, func.count())
                .where(uses.c.stage != Stage.RETIRED.value)
                .group_by(uses.c.assessment)
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
        # "unassessed": live uses not fully assessed, which have no tier yet — counted
        # apart so no reader can mistake them for Low
        "by_tier": {
            **{t.value: int(by_tier_rows.get(t.value, 0)) for t in SCORED_TIERS},
            "unassessed": int(by_tier_rows.get(Tier.NOT_ASSESSED.value, 0)),
        },
        "by_assessment": {
            a: int(by_assessment_rows.get(a, 0))
            for a in (Assessment.ASSESSED, Assessment.PARTLY, Assessment.NOT_ASSESSED)
        },
        # open oversight gaps, counted exactly as `riskdesk gaps` and the dashboard do
        "gaps": gap_count(service),
    }


def unassessed_sentence(count: int) -> str:
    """What the board must be told about uses nobody has finished assessing ("" if none).

    One wording for the board pack and the workbook, so neither lets a reader assume
    those uses are Low.
    """
    if count <= 0:
        return ""
    if count == 1:
        return "1 use is not yet assessed — the board cannot yet know its exposure."
    return f"{count:,} uses are not yet assessed — the board cannot yet know their exposure."
