"""A control's risks: the links the Controls page shows and sets."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select

from riskdesk.service.errors import NotFoundError
from riskdesk.service.register import ActionResult, RegisterService, table_of


def linked_risk_ids(svc: RegisterService, control_id: int) -> list[int]:
    return [r["risk_id"] for r in svc.rows("risk_control", control_id=control_id)]


def risk_titles(svc: RegisterService) -> list[tuple[int, int, str]]:
    """Every risk as (risk id, use id, title), grouped by use name: the linking picker."""
    risk, use = table_of("risk"), table_of("ai_use")
    stmt = (
        select(risk.c.id, risk.c.use_id, risk.c.title)
        .join(use, use.c.id == risk.c.use_id)
        .order_by(use.c.name, risk.c.id)
    )
    with svc.engine.connect() as conn:
        return [(int(r), int(u), t) for r, u, t in conn.execute(stmt)]


def set_control_risks(
    svc: RegisterService, control_id: int, risk_ids: Iterable[int]
) -> ActionResult:
    """Make the control mitigate exactly ``risk_ids`` (one action: links added/removed)."""
    wanted = set(risk_ids)
    with svc.action() as uow:
        if uow.row("control", control_id) is None:
            raise NotFoundError(f"Control {control_id} does not exist.")
        table = table_of("risk_control")
        current = set(
            uow.conn.execute(
                select(table.c.risk_id).where(table.c.control_id == control_id)
            ).scalars()
        )
        for risk_id in sorted(current - wanted):
            uow.delete("risk_control", (risk_id, control_id))
        for risk_id in sorted(wanted - current):
            uow.create("risk_control", {"risk_id": risk_id, "control_id": control_id})
        return uow.result
