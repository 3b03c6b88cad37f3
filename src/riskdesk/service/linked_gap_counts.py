"""Expired-evidence and vendor due-diligence gaps per use, counted in SQL (issue 19).

``evidence.evidence_gaps_by_use`` and ``due_diligence.gaps_by_use`` word these gaps
one use at a time; ``gap_counts`` only needs how many each use has. Both counts are
SQLAlchemy Core over light tables (no models imported), so they run on SQLite and
PostgreSQL alike; which vendors lack diligence is ``due_diligence.missing_items``' own
verdict on the few vendor rows. The tests hold them equal to the Python, use by use.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    Boolean,
    Connection,
    Date,
    and_,
    case,
    column,
    exists,
    func,
    or_,
    select,
    table,
    union,
)

from riskdesk.enums import Stage
from riskdesk.service.due_diligence import APPLIES_TO, missing_items

_USES = table(
    "ai_use", column("id"), column("stage"), column("tier"), column("vendor_id"), column("model_id")
)
_MODELS = table("ai_model", column("id"), column("provider_id"))
_VENDORS = table(
    "vendor",
    column("id"),
    column("name"),
    column("dpa_signed", Boolean),
    column("security_review_on", Date),
    column("exit_plan"),
)
_EVIDENCE = table(
    "evidence",
    column("id"),
    column("removed", Boolean),
    column("replaces_id"),
    column("valid_until", Date),
)
# ``evidence.base.TARGETS``' columns, in its order: a link's target is its first set one
_LINK_TARGETS = (
    ("use_id", None),
    ("risk_id", "risk"),
    ("control_id", None),
    ("review_id", "review"),
    ("challenge_id", "challenge"),
    ("incident_id", "incident"),
    ("vendor_id", None),
    ("model_id", None),
)
_LINKS = table("evidence_link", column("evidence_id"), *(column(c) for c, _ in _LINK_TARGETS))


def _live(uses: Any) -> Any:
    return uses.c.stage != Stage.RETIRED.value


def lacking_vendors(conn: Connection, today: dt.date) -> list[int]:
    """The vendors lacking due diligence, by id: ``missing_items``' own verdict."""
    vendors = conn.execute(select(_VENDORS)).mappings()
    return sorted(int(v["id"]) for v in vendors if missing_items(dict(v), today))


def _due_diligence_per_use(conn: Connection, today: dt.date) -> Any | None:
    """(use id, gaps) rows of ``due_diligence.gaps_for_uses``' counts, or None when no
    vendor lacks diligence."""
    lacking = lacking_vendors(conn, today)
    if not lacking:
        return None
    u, provider = _USES, _MODELS.c.provider_id
    # the vendor it buys through; the model's provider unless that is the same vendor
    n = case((u.c.vendor_id.in_(lacking), 1), else_=0) + case(
        (
            and_(
                provider.in_(lacking),
                or_(u.c.vendor_id.is_(None), provider != u.c.vendor_id),
            ),
            1,
        ),
        else_=0,
    )
    return (
        select(u.c.id.label("use_id"), n.label("gaps"))
        .select_from(u.outerjoin(_MODELS, _MODELS.c.id == u.c.model_id))
        .where(u.c.tier.in_(sorted(APPLIES_TO)), _live(u))
    )


def _expired_evidence_pairs(today: dt.date) -> Any:
    """Distinct (evidence id, use id): current evidence past its validity and each live
    use a record it supports bears on (``evidence.gaps._uses_of``) — one gap each."""
    ev, newer = _EVIDENCE, _EVIDENCE.alias("newer")
    expired = (
        select(_LINKS)
        .join(ev, ev.c.id == _LINKS.c.evidence_id)
        .where(
            ~ev.c.removed,
            ~exists().where(newer.c.replaces_id == ev.c.id),
            ev.c.valid_until.is_not(None),
            ev.c.valid_until < today,
        )
        .cte("expired")
    )
    parts = []
    for i, (col, owner) in enumerate(_LINK_TARGETS):
        first = [expired.c[c].is_(None) for c, _ in _LINK_TARGETS[:i]]
        uses = _USES.alias(f"u_{col}")
        target = expired.c[col]
        if col == "use_id":
            on = uses.c.id == target
            source: Any = expired.join(uses, on)
        elif col in ("vendor_id", "model_id"):  # the uses it supplies or runs
            source = expired.join(uses, uses.c[col] == target)
        elif col == "control_id":  # the uses of the risks it treats
            rc = table("risk_control", column("risk_id"), column("control_id")).alias("rc")
            risk = table("risk", column("id"), column("use_id")).alias("rc_risk")
            source = (
                expired.join(rc, rc.c.control_id == target)
                .join(risk, risk.c.id == rc.c.risk_id)
                .join(uses, uses.c.id == risk.c.use_id)
            )
        else:  # risk, review, challenge, incident: their own use
            assert owner is not None
            record = table(owner, column("id"), column("use_id")).alias(f"t_{owner}")
            source = expired.join(record, record.c.id == target).join(
                uses, uses.c.id == record.c.use_id
            )
        parts.append(
            select(expired.c.evidence_id, uses.c.id.label("use_id"))
            .select_from(source)
            .where(*first, _live(uses))
        )
    return union(*parts).subquery("pairs")


def linked_counts(conn: Connection, today: dt.date, *, diligence: bool = True) -> dict[int, int]:
    """Use id → its expired-evidence and (``diligence``) vendor due-diligence gaps
    (issue 17). ``gap_counts`` counts the diligence gaps in its own statement."""
    out: dict[int, int] = {}
    pairs = _expired_evidence_pairs(today)
    per_use = select(pairs.c.use_id, func.count()).group_by(pairs.c.use_id)
    queries = [per_use]
    per_use_diligence = _due_diligence_per_use(conn, today) if diligence else None
    if per_use_diligence is not None:
        d = per_use_diligence.subquery()
        queries.append(select(d.c.use_id, d.c.gaps).where(d.c.gaps > 0))
    for query in queries:
        for use_id, n in conn.execute(query):
            out[int(use_id)] = out.get(int(use_id), 0) + int(n)
    return out


def linked_total(conn: Connection, today: dt.date, *, diligence: bool = True) -> int:
    """``sum(linked_counts(...).values())``, summed by the database."""
    pairs = _expired_evidence_pairs(today)
    total = int(conn.execute(select(func.count()).select_from(pairs)).scalar() or 0)
    per_use_diligence = _due_diligence_per_use(conn, today) if diligence else None
    if per_use_diligence is not None:
        d = per_use_diligence.subquery()
        total += int(conn.execute(select(func.coalesce(func.sum(d.c.gaps), 0))).scalar() or 0)
    return total
