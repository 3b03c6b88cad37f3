"""Frozen pictures of a use: exposure, tier, each risk's scores and the gaps.

A challenge freezes one when raised and one when resolved, a review one when recorded,
so anyone can later see what the reviewer was looking at.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import Connection, select

from riskdesk.enums import Tier
from riskdesk.scoring import GapInputs, band_for, find_gaps, risk_score
from riskdesk.scoring.ladder import Gap
from riskdesk.service import audit
from riskdesk.service.errors import NotFoundError
from riskdesk.service.oversight import challenged_this_cycle, gap_inputs
from riskdesk.service.register import RegisterService, table_of


def risk_entry(risk: Mapping[str, Any]) -> dict[str, Any]:
    """One risk's scores as frozen in a snapshot."""
    il, ii = risk["inherent_likelihood"], risk["inherent_impact"]
    rl, ri = risk["residual_likelihood"], risk["residual_impact"]
    return {
        "id": risk["id"],
        "title": risk["title"],
        "status": risk["status"],
        "inherent_likelihood": il,
        "inherent_impact": ii,
        "inherent_score": risk_score(il, ii),
        "residual_likelihood": rl,
        "residual_impact": ri,
        "residual_score": risk_score(rl, ri),
        "residual_band": band_for(rl, ri).value,
    }


def gap_entry(gap: Gap) -> dict[str, Any]:
    return {"rung": gap.rung, "title": gap.title, "reason": gap.reason, "subject": gap.subject}


def build_snapshot(
    use: Mapping[str, Any],
    risks: Iterable[Mapping[str, Any]],
    gaps: Iterable[Gap],
    taken_on: dt.date,
) -> dict[str, Any]:
    """The frozen picture of a use: exposure, tier, each risk's scores and the gaps."""
    return {
        "taken_on": taken_on.isoformat(),
        "use_id": use["id"],
        "use_name": use["name"],
        "exposure": use["exposure"],
        "tier": use["tier"],
        "score_method": use["score_method"],
        "risks": [risk_entry(r) for r in sorted(risks, key=lambda r: r["id"])],
        "gaps": [gap_entry(g) for g in gaps],
    }


def _appetite(conn: Connection) -> str:
    table = table_of("org_profile")
    found = conn.execute(select(table.c.risk_appetite).where(table.c.id == 1)).scalar()
    return found or "medium"


def use_snapshot(
    service: RegisterService, conn: Connection, use_id: int, today: dt.date
) -> dict[str, Any]:
    """Snapshot of a use as ``conn`` sees it (inside the caller's transaction).

    Gaps come from the same inputs ``oversight.register_gaps`` uses, read on ``conn`` so
    a snapshot taken mid-action sees the action's own writes.
    """
    uses, risks, left, challenged = gap_inputs(conn, [use_id])
    config = service.scoring_config(conn)
    if not uses:
        raise NotFoundError(f"AI use {use_id} does not exist.")
    use = uses[0]
    owners = {use.owner_first_id, use.owner_second_id, use.owner_third_id}
    use_risks = risks.get(use_id, [])
    inputs = GapInputs.from_use(
        use,
        today=today,
        risks=use_risks,
        appetite=_appetite(conn),
        owners_left=[o for o in owners if o in left],
        has_recorded_challenge=challenged_this_cycle(use, challenged, today, config),
    )
    gaps = find_gaps(inputs, config)
    return build_snapshot(vars(use), [vars(r) for r in use_risks], gaps, today)


def snapshot_text(snapshot: Mapping[str, Any]) -> str:
    return audit.canonical(snapshot)


def read_snapshot(text: str | None) -> dict[str, Any] | None:
    """A stored snapshot, or None when absent or unreadable (hand-edited)."""
    if not text:
        return None
    try:
        data = json.loads(text)
    except ValueError:
        return None
    return data if isinstance(data, dict) else None


def snapshot_summary(snapshot: Mapping[str, Any] | None) -> str:
    """One line describing a frozen snapshot (for lists and tooltips)."""

    def _exposure_words(snap: Mapping[str, Any]) -> str:
        value = snap.get("exposure", "?")
        return "not assessed" if value is None else str(value)

    if not snapshot:
        return "—"
    tier = snapshot.get("tier") or "low"
    try:
        tier_label = Tier(tier).label
    except ValueError:
        tier_label = str(tier)
    risks = snapshot.get("risks") or []
    top = max((r.get("residual_score", 0) for r in risks), default=0)
    return (
        f"exposure {_exposure_words(snapshot)} ({tier_label}), {len(risks)} risk(s), "
        f"highest residual {top}, {len(snapshot.get('gaps') or [])} gap(s)"
    )
