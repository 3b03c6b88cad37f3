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
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Any

from sqlalchemy import select

from riskdesk.enums import Stage, Tier
from riskdesk.service.register import RegisterService, table_of

SNAPSHOT_VERSION = 2
_TIER_RANK = {t.value: i for i, t in enumerate(Tier)}


class SnapshotBuilder:
    """A snapshot built column by column as the uses and risks stream past (issue 19:
    no list of rows behind it). Repeated words (tiers, stages, statuses, gap keys) are
    stored once, not once per row."""

    def __init__(self, *, gaps: bool = False, overdue: bool = False) -> None:
        self.uses: dict[str, list[Any]] = {k: [] for k in ("id", "name", "tier", "exposure")}
        self.uses["stage"] = []
        if gaps:
            self.uses["gaps"] = []
        if overdue:
            self.uses["overdue"] = []
        self.risks: dict[str, list[Any]] = {k: [] for k in ("id", "use_id", "residual")}
        self.risks["status"] = []
        self._words: dict[str, str] = {}

    def _word(self, text: str) -> str:
        return self._words.setdefault(text, text) if isinstance(text, str) else text

    def add_use(
        self, use: Mapping[str, Any], gaps: list[str] | None = None, overdue: bool = False
    ) -> None:
        u, word = self.uses, self._word
        u["id"].append(use["id"])
        u["name"].append(use["name"])
        u["tier"].append(word(use["tier"]))
        u["exposure"].append(use["exposure"])
        u["stage"].append(word(use["stage"]))
        if "gaps" in u:
            u["gaps"].append(sorted(word(g) for g in gaps or ()))
        if "overdue" in u:
            u["overdue"].append(int(overdue))

    def add_risk(self, risk: Mapping[str, Any]) -> None:
        r = self.risks
        r["id"].append(risk["id"])
        r["use_id"].append(risk["use_id"])
        r["residual"].append(risk["residual_likelihood"] * risk["residual_impact"])
        r["status"].append(self._word(risk["status"]))

    def add_risk_rows(self, rows: Iterable[Sequence[Any]], keys: Sequence[str]) -> None:
        """``add_risk`` for plain rows of ``keys`` columns (no mapping per risk)."""
        at = {k: i for i, k in enumerate(keys)}
        i, u, rl, ri, st = (
            at[k] for k in ("id", "use_id", "residual_likelihood", "residual_impact", "status")
        )
        r, word = self.risks, self._word
        ids, use_ids, residuals, statuses = r["id"], r["use_id"], r["residual"], r["status"]
        for row in rows:
            ids.append(row[i])
            use_ids.append(row[u])
            residuals.append(row[rl] * row[ri])
            statuses.append(word(row[st]))

    def finish(
        self,
        *,
        people_left: list[int] | None = None,
        escalated: list[int] | None = None,
        resolved: list[int] | None = None,
        incidents: dict[str, int] | None = None,
    ) -> dict[str, Any]:
        snapshot: dict[str, Any] = {
            "version": SNAPSHOT_VERSION,
            "uses": self.uses,
            "risks": self.risks,
        }
        if people_left is not None:
            snapshot["people_left"] = sorted(people_left)
        if escalated is not None:
            snapshot["escalated"] = sorted(escalated)
        if resolved is not None:
            snapshot["resolved"] = sorted(resolved)
        if incidents is not None:
            snapshot["incidents"] = dict(incidents)  # all logged so far, by kind
        return snapshot


def take_snapshot(
    uses: Iterable[Mapping[str, Any]],
    risks: Iterable[Mapping[str, Any]],
    *,
    gaps: dict[int, list[str]] | None = None,
    overdue: set[int] | None = None,
    people_left: list[int] | None = None,
    escalated: list[int] | None = None,
    resolved: list[int] | None = None,
    incidents: dict[str, int] | None = None,
) -> dict[str, Any]:
    """The snapshot of ``uses`` and ``risks`` rows (needs their scoring columns)."""
    builder = SnapshotBuilder(gaps=gaps is not None, overdue=overdue is not None)
    for u in uses:
        builder.add_use(u, (gaps or {}).get(u["id"]), u["id"] in (overdue or ()))
    for r in risks:
        builder.add_risk(r)
    return builder.finish(
        people_left=people_left, escalated=escalated, resolved=resolved, incidents=incidents
    )


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
    points: list[TrendPoint] = []
    with svc.engine.connect() as conn:
        ids = conn.execute(select(table.c.id).order_by(table.c.id.desc()).limit(limit)).scalars()
        # One snapshot at a time: at 100,000 uses each is tens of megabytes once parsed.
        for pack_id in reversed(list(ids)):
            exported_at, text = conn.execute(
                select(table.c.exported_at, table.c.snapshot).where(table.c.id == pack_id)
            ).one()
            try:
                data = json.loads(text) if text else {}
            except ValueError:
                continue
            if isinstance(data, dict) and data.get("version") == SNAPSHOT_VERSION:
                points.append(trend_point(exported_at.date(), data))
            del data, text
    return points


def _order(ids: list[int]) -> range | list[int]:
    """Positions of ``ids`` in id order: as written (snapshots are taken in id order),
    or sorted if a snapshot ever is not."""
    if all(a < b for a, b in pairwise(ids)):
        return range(len(ids))
    return sorted(range(len(ids)), key=ids.__getitem__)


def _pairs(old_ids: list[int], new_ids: list[int]) -> Iterator[tuple[int | None, int | None]]:
    """Merge-join two id columns: per id in id order, its position before and now (None
    where absent). Walks the columns as they are: no {id: row} copy of either side."""
    old, new = iter(_order(old_ids)), iter(_order(new_ids))
    i, j = next(old, None), next(new, None)
    while i is not None or j is not None:
        if j is None or (i is not None and old_ids[i] < new_ids[j]):
            yield i, None
            i = next(old, None)
        elif i is None or new_ids[j] < old_ids[i]:
            yield None, j
            j = next(new, None)
        else:
            yield i, j
            i, j = next(old, None), next(new, None)


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
    was, is_ = before["uses"], now["uses"]
    removed: list[UseChange] = []  # listed after the uses retired since, as they were
    for i, j in _pairs(was["id"], is_["id"]):
        if j is None:
            assert i is not None
            if was["stage"][i] != retired:
                removed.append(
                    UseChange(
                        was["id"][i], was["name"][i], was["tier"][i], "", was["exposure"][i], 0
                    )
                )
            continue
        key, name, tier = is_["id"][j], is_["name"][j], is_["tier"][j]
        exposure, stage = is_["exposure"][j], is_["stage"][j]
        if i is None:
            if stage != retired:
                changes.new_uses.append(UseChange(key, name, "", tier, 0, exposure))
            continue
        old_tier, old_exposure, old_stage = was["tier"][i], was["exposure"][i], was["stage"][i]
        if stage == retired and old_stage != retired:
            changes.retired_uses.append(
                UseChange(key, name, old_tier, tier, old_exposure, exposure)
            )
        elif stage != retired and old_tier != tier:
            change = UseChange(key, name, old_tier, tier, old_exposure, exposure)
            rising = _TIER_RANK.get(tier, 0) > _TIER_RANK.get(old_tier, 0)
            (changes.tier_up if rising else changes.tier_down).append(change)
    changes.retired_uses += removed
    was, is_ = before["risks"], now["risks"]
    for i, j in _pairs(was["id"], is_["id"]):
        if j is None:
            changes.removed_risks += 1
            continue
        if i is None:
            changes.new_risks += 1
            continue
        residual, old_residual = is_["residual"][j], was["residual"][i]
        if is_["status"][j] == "closed" and was["status"][i] != "closed":
            changes.closed_risks += 1
        elif residual > old_residual:
            changes.risks_up.append(
                RiskChange(is_["id"][j], is_["use_id"][j], old_residual, residual)
            )
        elif residual < old_residual:
            changes.risks_down.append(
                RiskChange(is_["id"][j], is_["use_id"][j], old_residual, residual)
            )
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
    was, is_ = before["uses"], now["uses"]
    gaps = "gaps" in was and "gaps" in is_
    overdue = "overdue" in was and "overdue" in is_
    gaps_before = gaps_after = 0
    newly_overdue: list[UseChange] = []
    for i, j in _pairs(was["id"], is_["id"]):
        now_side = j is not None
        side, at = (is_, j) if j is not None else (was, i)
        use_id, name = side["id"][at], side["name"][at]
        if gaps:
            old = set(was["gaps"][i]) if i is not None else set()
            new = set(is_["gaps"][j]) if j is not None else set()
            gaps_before += len(old)
            gaps_after += len(new)
            changes.gaps_opened += [GapChange(use_id, name, g) for g in sorted(new - old)]
            changes.gaps_closed += [GapChange(use_id, name, g) for g in sorted(old - new)]
        if overdue and now_side and is_["overdue"][j] and (i is None or not was["overdue"][i]):
            tier, exposure = is_["tier"][j], is_["exposure"][j]
            newly_overdue.append(UseChange(use_id, name, tier, tier, exposure, exposure))
    if gaps:
        changes.gaps_before, changes.gaps_after = gaps_before, gaps_after
    if overdue:
        changes.newly_overdue = newly_overdue
    if "people_left" in before and "people_left" in now:
        changes.people_left = sorted(set(now["people_left"]) - set(before["people_left"]))
    if "escalated" in before and "escalated" in now:
        changes.challenges_escalated = sorted(set(now["escalated"]) - set(before["escalated"]))
    if "resolved" in before and "resolved" in now:
        changes.challenges_resolved = sorted(set(now["resolved"]) - set(before["resolved"]))
