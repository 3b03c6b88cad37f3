"""Register-wide counts used by ``riskdesk summary``, the dashboard and exports."""

from __future__ import annotations

from collections import Counter
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
    with source.engine.connect() as conn:
        # one statement for the six table counts
        sizes = conn.execute(
            select(*(select(func.count()).select_from(table(t)).scalar_subquery() for t in _TABLES))
        ).one()
        # one pass over the uses for the three breakdowns (tier and assessment: live only)
        groups = conn.execute(
            select(uses.c.stage, uses.c.tier, uses.c.assessment, func.count()).group_by(
                uses.c.stage, uses.c.tier, uses.c.assessment
            )
        ).all()
    by_stage_rows: Counter[str] = Counter()
    by_tier_rows: Counter[str] = Counter()
    by_assessment_rows: Counter[str] = Counter()
    for stage, tier, assessment, n in groups:
        by_stage_rows[stage] += n
        if stage is not None and stage != Stage.RETIRED.value:  # SQL's `stage != 'retired'`
            by_tier_rows[tier] += n
            by_assessment_rows[assessment] += n
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
