"""Register-wide counts used by ``riskdesk summary``, the dashboard and exports."""

from __future__ import annotations

from typing import Any

from sqlalchemy import column, func, select, table

from riskdesk.enums import SCORED_TIERS, Assessment, Stage, Tier
from riskdesk.service.gap_counts import HasEngine, gap_total

# Light Core tables, not the models: `riskdesk summary` imports no sqlmodel (issue 19).
_COUNTED = ("uses", "risks", "people", "vendors", "incidents", "controls")
_TABLES = ("ai_use", "risk", "person", "vendor", "incident", "control")


def register_summary(source: HasEngine) -> dict[str, Any]:
    """The counts ``riskdesk summary`` prints, for a ``Register`` or a ``RegisterService``."""
    uses = table("ai_use", column("stage"), column("tier"), column("assessment"))
    live = uses.c.stage != Stage.RETIRED.value
    with source.engine.connect() as conn:
        # one statement for the six table counts
        sizes = conn.execute(
            select(*(select(func.count()).select_from(table(t)).scalar_subquery() for t in _TABLES))
        ).one()
        by_stage_rows: dict[str, int] = dict(
            conn.execute(select(uses.c.stage, func.count()).group_by(uses.c.stage)).all()
        )
        by_tier_rows: dict[str, int] = dict(
            conn.execute(select(uses.c.tier, func.count()).where(live).group_by(uses.c.tier)).all()
        )
        by_assessment_rows: dict[str, int] = dict(
            conn.execute(
                select(uses.c.assessment, func.count()).where(live).group_by(uses.c.assessment)
            ).all()
        )
    return {
        **{key: int(n or 0) for key, n in zip(_COUNTED, sizes, strict=True)},
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
        "gaps": gap_total(source),
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
