"""What the board saw last time, and what changed since.

Each exported board pack is recorded in ``board_pack`` (through the service layer, so
the record is audited) with a compact JSON snapshot of every use's tier and exposure
and every risk's scores. The next pack compares the register with the latest record.

Snapshot format (version 2), column-wise so that 50,000 risks stay small and quick to
write, audit and read back::

    {"version": 2,
     "uses":  {"id": [...], "name": [...], "tier": [...], "exposure": [...], "stage": [...]},
     "risks": {"id": [...], "use_id": [...], "residual": [...], "status": [...]}}

``residual`` is the residual score (likelihood × impact). A snapshot of another
version is not compared (the pack says so).
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select

from riskdesk.enums import Stage, Tier
from riskdesk.service.register import RegisterService, table_of

SNAPSHOT_VERSION = 2
_TIER_RANK = {t.value: i for i, t in enumerate(Tier)}


def take_snapshot(uses: list[dict[str, Any]], risks: list[dict[str, Any]]) -> dict[str, Any]:
    """The snapshot of ``uses`` and ``risks`` rows (needs their scoring columns)."""
    return {
        "version": SNAPSHOT_VERSION,
        "uses": {
            "id": [u["id"] for u in uses],
            "name": [u["name"] for u in uses],
            "tier": [u["tier"] for u in uses],
            "exposure": [u["exposure"] for u in uses],
            "stage": [u["stage"] for u in uses],
        },
        "risks": {
            "id": [r["id"] for r in risks],
            "use_id": [r["use_id"] for r in risks],
            "residual": [r["residual_likelihood"] * r["residual_impact"] for r in risks],
            "status": [r["status"] for r in risks],
        },
    }


def _rows(part: dict[str, list[Any]], *keys: str) -> dict[int, tuple[Any, ...]]:
    """Column-wise snapshot part → {id: (values of ``keys``)}."""
    return dict(zip(part.get("id", []), zip(*(part[k] for k in keys), strict=True), strict=True))


@dataclass(frozen=True)
class PreviousPack:
    id: int
    exported_at: dt.datetime
    exported_by: str
    file_name: str
    chain_head: str
    snapshot: dict[str, Any]


def previous_pack(svc: RegisterService) -> PreviousPack | None:
    """The latest recorded board pack, or None if this is the first."""
    table = table_of("board_pack")
    with svc.engine.connect() as conn:
        row = conn.execute(select(table).order_by(table.c.id.desc()).limit(1)).mappings().first()
    if row is None:
        return None
    try:
        snapshot = json.loads(row["snapshot"]) if row["snapshot"] else {}
    except ValueError:
        snapshot = {}
    if not isinstance(snapshot, dict) or snapshot.get("version") != SNAPSHOT_VERSION:
        snapshot = {}
    return PreviousPack(
        row["id"],
        row["exported_at"],
        row["exported_by"],
        row["file_name"],
        row["chain_head"],
        snapshot,
    )


def record_pack(
    svc: RegisterService, file_name: str, chain_head: str, snapshot: dict[str, Any]
) -> int:
    """Remember an exported pack so the next one can say what changed (and sign its
    chain head when the register has a signing key and the passphrase is given)."""
    from riskdesk.service.signing import sign_if_keyed

    pack_id = int(
        svc.create(
            "board_pack",
            {
                "exported_at": dt.datetime.now(dt.UTC).replace(microsecond=0),
                "exported_by": svc.actor,
                "file_name": file_name,
                "chain_head": chain_head,
                "snapshot": json.dumps(snapshot, separators=(",", ":"), ensure_ascii=False),
            },
        )
    )
    sign_if_keyed(svc, chain_head)
    return pack_id


@dataclass(frozen=True)
class UseChange:
    use_id: int
    name: str
    before: str  # tier value ("" when new)
    after: str  # tier value ("" when removed)
    exposure_before: int = 0
    exposure_after: int = 0


@dataclass(frozen=True)
class RiskChange:
    risk_id: int
    use_id: int
    before: int  # residual score
    after: int


@dataclass
class Changes:
    """The register now against the previous pack's snapshot."""

    new_uses: list[UseChange] = field(default_factory=list)
    retired_uses: list[UseChange] = field(default_factory=list)  # retired since, or removed
    tier_up: list[UseChange] = field(default_factory=list)
    tier_down: list[UseChange] = field(default_factory=list)
    risks_up: list[RiskChange] = field(default_factory=list)
    risks_down: list[RiskChange] = field(default_factory=list)
    new_risks: int = 0
    removed_risks: int = 0
    closed_risks: int = 0

    @property
    def nothing(self) -> bool:
        return not (
            self.new_uses
            or self.retired_uses
            or self.tier_up
            or self.tier_down
            or self.risks_up
            or self.risks_down
            or self.new_risks
            or self.removed_risks
            or self.closed_risks
        )


def compare(before: dict[str, Any], now: dict[str, Any]) -> Changes:
    """What changed from snapshot ``before`` to snapshot ``now``, most severe first."""
    changes = Changes()
    retired = Stage.RETIRED.value
    use_keys = ("name", "tier", "exposure", "stage")
    old_uses = _rows(before["uses"], *use_keys)
    new_uses = _rows(now["uses"], *use_keys)
    for key, (name, tier, exposure, stage) in new_uses.items():
        old = old_uses.get(key)
        if old is None:
            if stage != retired:
                changes.new_uses.append(UseChange(key, name, "", tier, 0, exposure))
            continue
        _, old_tier, old_exposure, old_stage = old
        if stage == retired and old_stage != retired:
            changes.retired_uses.append(
                UseChange(key, name, old_tier, tier, old_exposure, exposure)
            )
        elif stage != retired and old_tier != tier:
            change = UseChange(key, name, old_tier, tier, old_exposure, exposure)
            rising = _TIER_RANK.get(tier, 0) > _TIER_RANK.get(old_tier, 0)
            (changes.tier_up if rising else changes.tier_down).append(change)
    for key, (name, tier, exposure, stage) in old_uses.items():
        if key not in new_uses and stage != retired:
            changes.retired_uses.append(UseChange(key, name, tier, "", exposure, 0))
    risk_keys = ("use_id", "residual", "status")
    old_risks = _rows(before["risks"], *risk_keys)
    new_risks = _rows(now["risks"], *risk_keys)
    for key, (use_id, residual, status) in new_risks.items():
        old = old_risks.get(key)
        if old is None:
            changes.new_risks += 1
            continue
        _, old_residual, old_status = old
        if status == "closed" and old_status != "closed":
            changes.closed_risks += 1
        elif residual > old_residual:
            changes.risks_up.append(RiskChange(key, use_id, old_residual, residual))
        elif residual < old_residual:
            changes.risks_down.append(RiskChange(key, use_id, old_residual, residual))
    changes.removed_risks = sum(1 for key in old_risks if key not in new_risks)
    for group in (changes.new_uses, changes.tier_up, changes.tier_down, changes.retired_uses):
        # an unknown exposure (not assessed) sorts first, never as 0
        group.sort(
            key=lambda c: (
                -_TIER_RANK.get(c.after or c.before, 0),
                -(101 if c.exposure_after is None else c.exposure_after),
            )
        )
    changes.risks_up.sort(key=lambda c: (-c.after, -(c.after - c.before)))
    changes.risks_down.sort(key=lambda c: (-(c.before - c.after), -c.before))
    return changes
