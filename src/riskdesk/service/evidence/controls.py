"""Controls and their evidence: a control marked implemented or tested with no current,
unexpired evidence is *claimed*, not evidenced."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, bindparam, func, or_, select

from riskdesk import enums
from riskdesk.service import queries
from riskdesk.service.evidence.records import current_clause
from riskdesk.service.register import RegisterService, table_of


def evidenced_control_ids(conn: Connection, today: dt.date) -> set[int]:
    """Controls with at least one current, unexpired piece of evidence attached."""
    ev, links = table_of("evidence"), table_of("evidence_link")
    stmt = (
        select(links.c.control_id)
        .join(ev, ev.c.id == links.c.evidence_id)
        .where(
            links.c.control_id.is_not(None),
            current_clause(),
            or_(ev.c.valid_until.is_(None), ev.c.valid_until >= today),
        )
        .distinct()
    )
    return set(conn.execute(stmt).scalars())


@dataclass(frozen=True)
class ControlEvidence:
    """Implemented or tested controls: backed by evidence, or only claimed."""

    evidenced: list[dict[str, Any]]
    claimed: list[dict[str, Any]]  # "claimed, no evidence"


CLAIMING = frozenset({enums.ControlStatus.IMPLEMENTED.value, enums.ControlStatus.TESTED.value})


def control_evidence(svc: RegisterService, today: dt.date | None = None) -> ControlEvidence:
    today = today or dt.date.today()
    controls = table_of("control")
    with svc.engine.connect() as conn:
        backed = evidenced_control_ids(conn, today)
        rows = [
            dict(r)
            for r in conn.execute(
                select(controls.c.id, controls.c.name, controls.c.status)
                .where(controls.c.status.in_(CLAIMING))
                .order_by(controls.c.id)
            ).mappings()
        ]
    return ControlEvidence(
        [r for r in rows if r["id"] in backed], [r for r in rows if r["id"] not in backed]
    )


def evidence_backed_controls(
    svc: RegisterService, today: dt.date | None = None
) -> list[tuple[str, str]]:
    """``(framework_refs, status)`` of the controls backed by evidence, in the form the
    catalogue's coverage count takes, so coverage can say what is only claimed."""
    controls = table_of("control")
    with svc.engine.connect() as conn:
        backed = evidenced_control_ids(conn, today or dt.date.today())
        if not backed:
            return []
        rows = conn.execute(
            select(controls.c.framework_refs, controls.c.status).where(controls.c.id.in_(backed))
        ).all()
    return [(refs or "", status) for refs, status in rows]


EVIDENCE_COLUMN = "evidence"
# What an implemented or tested control with no current evidence is called everywhere
# (Controls page, workbook, board pack).
CLAIMED_NO_EVIDENCE = "claimed, no evidence"


def controls_with_evidence(svc: RegisterService) -> queries.TableQuery:
    """The Controls page's query plus ``evidence``: how many current, unexpired files
    back each control (counted as of the day the query runs), so the page can say
    "evidence: 2 files" or, for an implemented or tested control, "claimed, no evidence"."""
    plain = queries.controls(svc)
    control = table_of("control")
    ev, links = table_of("evidence"), table_of("evidence_link")
    # Evaluated at each execution: a window left open overnight counts as of today.
    today = bindparam("evidence_today", callable_=dt.date.today, type_=ev.c.valid_until.type)
    backing = (
        select(func.count(func.distinct(ev.c.id)))
        .select_from(links.join(ev, ev.c.id == links.c.evidence_id))
        .where(
            links.c.control_id == control.c.id,
            current_clause(),
            or_(ev.c.valid_until.is_(None), ev.c.valid_until >= today),
        )
        .correlate(control)
        .scalar_subquery()
    )
    columns = [*plain.columns, queries.QueryColumn(EVIDENCE_COLUMN, backing)]
    # The same joins as the plain query (its owner column needs them).
    return queries.TableQuery(svc, "control", columns, plain._base)
