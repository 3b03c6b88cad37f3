"""What expired evidence means for oversight: a gap on the uses it supports and an
event in the calendar on the day it stops being valid."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, select

from riskdesk import enums
from riskdesk.scoring.ladder import Gap
from riskdesk.service.drift import DueItem
from riskdesk.service.evidence.base import (
    EVIDENCE_DUE,
    GAP_RUNG,
    GAP_TITLE,
    LINK_COLUMNS,
    TARGETS,
    Target,
)
from riskdesk.service.evidence.records import current_clause, link_target, list_evidence
from riskdesk.service.register import RegisterService, table_of


@dataclass(frozen=True)
class ExpiredEvidence:
    """Current evidence past its ``valid_until``, and one record it was supporting."""

    evidence_id: int
    title: str
    kind: str
    valid_until: dt.date
    target: Target
    target_name: str

    @property
    def supports(self) -> str:
        named = f" ({self.target_name})" if self.target_name else ""
        return f"{self.target.kind} {self.target.id}{named}"

    @property
    def reason(self) -> str:
        return (
            f"{self.title} expired on {self.valid_until.isoformat()}; it supports {self.supports}"
        )


_NAME_COLUMN = {
    "ai_use": "name",
    "risk": "title",
    "control": "name",
    "challenge": "question",
    "incident": "title",
    "vendor": "name",
    "ai_model": "name",
}


def target_names(conn: Connection, targets: Iterable[Target]) -> dict[Target, str]:
    by_entity: dict[str, set[int]] = defaultdict(set)
    for t in targets:
        by_entity[t.entity].add(t.id)
    out: dict[Target, str] = {}
    kind_of = {entity: kind for kind, (_, entity) in TARGETS.items()}
    for entity, ids in by_entity.items():
        table = table_of(entity)
        if entity == "review":
            uses = table_of("ai_use")
            stmt = (
                select(table.c.id, uses.c.name, table.c.reviewed_on)
                .join(uses, uses.c.id == table.c.use_id)
                .where(table.c.id.in_(ids))
            )
            for rid, use_name, on in conn.execute(stmt):
                out[Target("review", rid)] = f"review of {use_name} on {on.isoformat()}"
            continue
        column = table.c[_NAME_COLUMN[entity]]
        for tid, name in conn.execute(select(table.c.id, column).where(table.c.id.in_(ids))):
            out[Target(kind_of[entity], tid)] = name
    return out


def supported_names(svc: RegisterService, targets: Iterable[Target]) -> dict[Target, str]:
    """What each target is called ("Vendor X", "review of Essay helper on …")."""
    with svc.engine.connect() as conn:
        return target_names(conn, targets)


def expired_evidence(conn: Connection, today: dt.date) -> list[ExpiredEvidence]:
    """Per target: every current evidence whose validity ended before ``today``."""
    ev, links = table_of("evidence"), table_of("evidence_link")
    stmt = (
        select(
            ev.c.id, ev.c.title, ev.c.kind, ev.c.valid_until, *[links.c[c] for c in LINK_COLUMNS]
        )
        .join(links, links.c.evidence_id == ev.c.id)
        .where(current_clause(), ev.c.valid_until.is_not(None), ev.c.valid_until < today)
        .order_by(ev.c.valid_until, ev.c.id, links.c.id)
    )
    rows = [dict(r) for r in conn.execute(stmt).mappings()]
    targets = [link_target(r) for r in rows]
    names = target_names(conn, targets)
    return [
        ExpiredEvidence(r["id"], r["title"], r["kind"], r["valid_until"], t, names.get(t, ""))
        for r, t in zip(rows, targets, strict=True)
    ]


def _uses_of(conn: Connection, targets: Iterable[Target]) -> dict[Target, set[int]]:
    """The live AI uses each target bears on (a vendor: the uses it supplies; a control:
    the uses of the risks it treats; a model: the uses running on it). Retired uses have
    no gaps."""
    wanted = set(targets)
    out: dict[Target, set[int]] = {t: set() for t in wanted}
    uses = table_of("ai_use")
    by_kind: dict[str, set[int]] = defaultdict(set)
    for t in wanted:
        by_kind[t.kind].add(t.id)
    for kind, ids in by_kind.items():
        stmt: Any
        if kind == "use":
            stmt = select(uses.c.id, uses.c.id.label("use_id"))
            key = uses.c.id
        elif kind == "vendor":
            stmt, key = select(uses.c.vendor_id, uses.c.id), uses.c.vendor_id
        elif kind == "model":  # the uses that run on the model
            stmt, key = select(uses.c.model_id, uses.c.id), uses.c.model_id
        elif kind == "control":
            rc, risk = table_of("risk_control"), table_of("risk")
            stmt = select(rc.c.control_id, risk.c.use_id).join(risk, risk.c.id == rc.c.risk_id)
            stmt = stmt.join(uses, uses.c.id == risk.c.use_id)
            key = rc.c.control_id
        else:  # risk, review, challenge, incident: their own use
            table = table_of(TARGETS[kind][1])
            stmt = select(table.c.id, table.c.use_id).join(uses, uses.c.id == table.c.use_id)
            key = table.c.id
        live = stmt.where(key.in_(ids), uses.c.stage != enums.Stage.RETIRED.value)
        for tid, use_id in conn.execute(live):
            out[Target(kind, tid)].add(use_id)
    return out


def evidence_gaps_by_use(
    conn: Connection, today: dt.date, use_ids: Sequence[int] | None = None
) -> dict[int, list[Gap]]:
    """Expired evidence as gaps on the AI uses it supports ("DPA with Vendor X expired
    on …"), for ``oversight.register_gaps`` to add to the ladder's own."""
    expired = expired_evidence(conn, today)
    if not expired:
        return {}
    reach = _uses_of(conn, (e.target for e in expired))
    wanted = set(use_ids) if use_ids is not None else None
    # One gap per use and evidence, naming every record of that use it supported.
    by_use: dict[int, dict[int, list[ExpiredEvidence]]] = defaultdict(lambda: defaultdict(list))
    for item in expired:
        for use_id in reach.get(item.target, ()):
            if wanted is None or use_id in wanted:
                by_use[use_id][item.evidence_id].append(item)
    out: dict[int, list[Gap]] = {}
    for use_id, per_evidence in by_use.items():
        out[use_id] = []
        for items in per_evidence.values():
            first = items[0]
            supports = " and ".join(dict.fromkeys(i.supports for i in items))
            reason = (
                f"{first.title} expired on {first.valid_until.isoformat()}; it supports {supports}"
            )
            out[use_id].append(
                Gap(GAP_RUNG, GAP_TITLE, reason, enums.Tier.LOW, subject=first.title)
            )
    return out


@dataclass(frozen=True)
class EvidenceDueItem(DueItem):
    """A calendar entry for the day evidence stops being valid."""

    @property
    def label(self) -> str:
        return "Evidence expiry"


def evidence_due_items(svc: RegisterService) -> list[EvidenceDueItem]:
    """Every current evidence with a ``valid_until``, for the calendar. The event is
    keyed by the first revision, so a replacement updates it instead of adding one."""
    infos = list_evidence(svc, include_old=True)
    by_id = {e.id: e for e in infos}
    people = {r["id"]: r["name"] for r in svc.rows("person")}
    with svc.engine.connect() as conn:
        names = target_names(conn, {t for e in infos for t in e.attached_to})
    items: list[EvidenceDueItem] = []
    for info in infos:
        if not info.current or info.valid_until is None:
            continue
        root = info
        while root.replaces_id is not None and root.replaces_id in by_id:
            root = by_id[root.replaces_id]
        supports = "; ".join(f"{t.kind} {names.get(t, t.id)}" for t in info.attached_to)
        detail = (
            f"{info.kind_label} (evidence {info.id}) is valid until "
            f"{info.valid_until.isoformat()}. Supports: {supports or 'nothing attached'}. "
            "Add its replacement as a new revision."
        )
        use_id = next((t.id for t in info.attached_to if t.kind == "use"), None)
        items.append(
            EvidenceDueItem(
                EVIDENCE_DUE,
                info.valid_until,
                f"Evidence expires: {info.title}",
                detail,
                "evidence",
                root.id,
                use_id,
                people.get(info.added_by_id, "") if info.added_by_id is not None else "",
            )
        )
    items.sort(key=lambda i: (i.due, i.entity_id))
    return items
