"""What the board saw last time, and what changed since.

Each exported board pack is recorded in ``board_pack`` (through the service layer, so
the record is audited) with a compact JSON snapshot of every use's tier and exposure
and every risk's scores. The next pack compares the register with the latest record.

Snapshot format (version 2), column-wise so that 50,000 risks stay small and quick to
write, audit and read back::

    {"version": 2,
     "uses":  {"id": [...], "name": [...], "tier": [...], "exposure": [...], "stage": [...]},
     "risks": {"id": [...], "use_id": [...], "residual": [...], "status": [...]}}

``residual`` is the residual score (likelihood × impact). Since issue 15 the snapshot
also holds, optionally, ``uses.gaps`` (each use's gaps as ``"rung|subject"``),
``uses.overdue`` (review overdue, 0/1), ``people_left``, ``escalated`` and
``resolved`` (challenge ids); an older version-2 snapshot without them is still
compared, and those kinds of change are then left out rather than all reported as new.
A snapshot of another version is not compared (the pack says so).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select

from riskdesk.enums import Stage, Tier
from riskdesk.service.register import RegisterService, table_of

SNAPSHOT_VERSION = 2
_TIER_RANK = {t.value: i for i, t in enumerate(Tier)}


def take_snapshot(
    uses: Sequence[Mapping[str, Any]],
    risks: Sequence[Mapping[str, Any]],
    *,
    gaps: dict[int, list[str]] | None = None,
    overdue: set[int] | None = None,
    people_left: list[int] | None = None,
    escalated: list[int] | None = None,
    resolved: list[int] | None = None,
    incidents: dict[str, int] | None = None,
) -> dict[str, Any]:
    """The snapshot of ``uses`` and ``risks`` rows (needs their scoring columns)."""
    snapshot: dict[str, Any] = {
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
    if gaps is not None:
        snapshot["uses"]["gaps"] = [sorted(gaps.get(u["id"], [])) for u in uses]
    if overdue is not None:
        snapshot["uses"]["overdue"] = [int(u["id"] in overdue) for u in uses]
    if people_left is not None:
        snapshot["people_left"] = sorted(people_left)
    if escalated is not None:
        snapshot["escalated"] = sorted(escalated)
    if resolved is not None:
        snapshot["resolved"] = sorted(resolved)
    if incidents is not None:
        snapshot["incidents"] = dict(incidents)  # all logged so far, by kind
    return snapshot


@dataclass(frozen=True)
class TrendPoint:
    """The register's position at one issued pack (None: that pack did not record it)."""

    on: dt.date
    high_critical: int
    gaps: int | None
    overdue: int | None
    incidents: int | None  # incidents, rollbacks and shutdowns logged so far
    near_misses: int | None


def trend_point(on: dt.date, snapshot: dict[str, Any]) -> TrendPoint:
    uses = snapshot.get("uses", {})
    live = [
        tier
        for tier, stage in zip(uses.get("tier", []), uses.get("stage", []), strict=True)
        if stage != Stage.RETIRED.value
    ]
    gaps = uses.get("gaps")
    overdue = uses.get("overdue")
    kinds = snapshot.get("incidents")
    return TrendPoint(
        on,
        sum(1 for t in live if t in (Tier.HIGH.value, Tier.CRITICAL.value)),
        sum(len(g) for g in gaps) if gaps is not None else None,
        sum(overdue) if overdue is not None else None,
        sum(n for k, n in kinds.items() if k not in ("near_miss", "not_stated"))
        if kinds is not None
        else None,
        kinds.get("near_miss", 0) if kinds is not None else None,
    )


def pack_trend(svc: RegisterService, limit: int = 4) -> list[TrendPoint]:
    """The last ``limit`` issued packs' positions, oldest first (the pack's "direction")."""
    table = table_of("board_pack")
    with svc.engine.connect() as conn:
        rows = conn.execute(
            select(table.c.exported_at, table.c.snapshot).order_by(table.c.id.desc()).limit(limit)
        ).all()
    points: list[TrendPoint] = []
    for exported_at, text in reversed(rows):
        try:
            data = json.loads(text) if text else {}
        except ValueError:
            continue
        if isinstance(data, dict) and data.get("version") == SNAPSHOT_VERSION:
            points.append(trend_point(exported_at.date(), data))
    return points


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
    svc: RegisterService,
    file_name: str,
    chain_head: str,
    snapshot: dict[str, Any],
    issued_by: str | None = None,
) -> int:
    """Remember an issued pack: the baseline the next one says what changed against
    (and sign its chain head when the register has a signing key and the passphrase
    is given).

    ``issued_by`` is the person answering for it (the AI champion); the service's actor
    (which may be an OS login) only when nobody is named.
    """
    from riskdesk.service.signing import sign_if_keyed

    pack_id = int(
        svc.create(
            "board_pack",
            {
                "exported_at": dt.datetime.now(dt.UTC).replace(microsecond=0),
                "exported_by": issued_by or svc.actor,
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


@dataclass(frozen=True)
class GapChange:
    use_id: int
    name: str
    gap: str  # "rung|subject"


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
    # None: the previous snapshot did not record it (an older pack), so it is not listed.
    gaps_before: int | None = None
    gaps_after: int | None = None
    gaps_opened: list[GapChange] = field(default_factory=list)
    gaps_closed: list[GapChange] = field(default_factory=list)
    people_left: list[int] | None = None  # person ids who left since
    newly_overdue: list[UseChange] | None = None
    challenges_escalated: list[int] | None = None  # ids newly escalated
    challenges_resolved: list[int] | None = None  # ids newly resolved
    # Put on the register since the pack (set by the caller, from the audit trail).
    challenges_opened: list[dict[str, Any]] = field(default_factory=list)
    incidents_logged: list[dict[str, Any]] = field(default_factory=list)

    @property
    def nothing(self) -> bool:
        return not (
            self.gaps_opened
            or self.gaps_closed
            or self.people_left
            or self.newly_overdue
            or self.challenges_escalated
            or self.challenges_opened
            or self.challenges_resolved
            or self.incidents_logged
            or self.new_uses
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
    _compare_oversight(changes, before, now)
    return changes


def _compare_oversight(changes: Changes, before: dict[str, Any], now: dict[str, Any]) -> None:
    """Gaps opened and closed, reviews newly overdue, leavers, escalations."""
    names = dict(zip(now["uses"]["id"], now["uses"]["name"], strict=True))
    names.update(
        (k, v)
        for k, v in zip(before["uses"]["id"], before["uses"]["name"], strict=True)
        if k not in names
    )
    if "gaps" in before["uses"] and "gaps" in now["uses"]:
        old = {k: set(v[0]) for k, v in _rows(before["uses"], "gaps").items()}
        new = {k: set(v[0]) for k, v in _rows(now["uses"], "gaps").items()}
        changes.gaps_before = sum(len(v) for v in old.values())
        changes.gaps_after = sum(len(v) for v in new.values())
        for use_id in sorted(set(old) | set(new)):
            was, is_ = old.get(use_id, set()), new.get(use_id, set())
            name = names.get(use_id, f"Use {use_id}")
            changes.gaps_opened += [GapChange(use_id, name, g) for g in sorted(is_ - was)]
            changes.gaps_closed += [GapChange(use_id, name, g) for g in sorted(was - is_)]
    if "overdue" in before["uses"] and "overdue" in now["uses"]:
        was_overdue = {k for k, v in _rows(before["uses"], "overdue").items() if v[0]}
        tiers = _rows(now["uses"], "tier", "exposure", "overdue")
        changes.newly_overdue = [
            UseChange(k, names[k], tier, tier, exposure, exposure)
            for k, (tier, exposure, overdue) in tiers.items()
            if overdue and k not in was_overdue
        ]
    if "people_left" in before and "people_left" in now:
        changes.people_left = sorted(set(now["people_left"]) - set(before["people_left"]))
    if "escalated" in before and "escalated" in now:
        changes.challenges_escalated = sorted(set(now["escalated"]) - set(before["escalated"]))
    if "resolved" in before and "resolved" in now:
        changes.challenges_resolved = sorted(set(now["resolved"]) - set(before["resolved"]))
