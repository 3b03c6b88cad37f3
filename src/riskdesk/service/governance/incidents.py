"""Incidents: near misses, incidents, rollbacks and shutdowns, the risks they realised,
and the EU AI Act Art. 73 reporting deadline of a possibly reportable one."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select

from riskdesk.enums import IncidentKind, Severity
from riskdesk.service.errors import FieldProblem, ValidationError
from riskdesk.service.governance.steps import Target, effective_day, own_changes, step
from riskdesk.service.register import ActionResult, RegisterService, UnitOfWork, table_of

# EU AI Act Art. 73: a serious incident is reported "immediately" once a causal link is
# established and at the latest 15 days after becoming aware of it (73(2)); 2 days for a
# widespread infringement or a serious disruption of critical infrastructure (73(3));
# 10 days in case of a death (73(4)).
DEADLINE_GENERAL_DAYS = 15
DEADLINE_DEATH_DAYS = 10
DEADLINE_WIDESPREAD_DAYS = 2
DEADLINE_NOTE = (
    "EU AI Act Art. 73: report within 15 days of becoming aware; 10 days if a person "
    "died; 2 days for a widespread infringement or a serious disruption of critical "
    "infrastructure. riskdesk records neither cause, so it gives a Critical-severity "
    "incident the 2-day deadline and any other the 15-day one, counted from the day it "
    "occurred — awareness cannot come earlier, so the date shown is never too late."
)


def reporting_deadline(incident: Mapping[str, Any]) -> dt.date | None:
    """The last day to report a possibly reportable incident, or None if not flagged.

    The register does not say whether a death or critical infrastructure is involved,
    so the safe reading is taken: a Critical incident, or one whose severity nobody has
    stated yet, gets the shortest period (2 days), anything else the general 15 days,
    both counted from ``occurred_on``.
    """
    if not incident.get("reportable") or incident.get("occurred_on") is None:
        return None
    severity = Severity.parse(incident.get("severity") or Severity.NOT_STATED)
    shortest = severity in (Severity.CRITICAL, Severity.NOT_STATED)
    days = DEADLINE_WIDESPREAD_DAYS if shortest else DEADLINE_GENERAL_DAYS
    occurred: dt.date = incident["occurred_on"]
    return occurred + dt.timedelta(days=days)


def reporting_status(incident: Mapping[str, Any], today: dt.date | None = None) -> str:
    """One line for the GUI and reports: reported, due in N days, or overdue."""
    deadline = reporting_deadline(incident)
    if deadline is None:
        return ""
    if incident.get("reported_on") is not None:
        return f"Reported on {incident['reported_on'].isoformat()} (deadline {deadline})"
    days = (deadline - effective_day(today)).days
    if days < 0:
        return f"Report OVERDUE: deadline was {deadline} ({-days} days ago)"
    if days == 0:
        return f"Report due TODAY ({deadline})"
    return f"Report due by {deadline} (in {days} day{'s' if days != 1 else ''})"


def _check_links(uow: UnitOfWork, use_id: int | None, risk_ids: Sequence[int]) -> None:
    problems: list[FieldProblem] = []
    for rid in risk_ids:
        risk = uow.row("risk", rid)
        if risk is None:
            problems.append(FieldProblem("risk_ids", f"risk {rid} does not exist"))
        elif use_id is None or risk["use_id"] != use_id:
            problems.append(
                FieldProblem("risk_ids", f"risk “{risk['title']}” belongs to a different AI use")
            )
    if problems:
        raise ValidationError(problems, "incident")


def log_incident(
    target: Target, values: Mapping[str, Any], risk_ids: Sequence[int] = ()
) -> ActionResult:
    """Log a near miss, incident, rollback or shutdown; link the risks it realised.

    The use is flagged for re-review: whatever its schedule says, the register should
    not carry its last sign-off forward past something going wrong.
    """
    with step(target) as (uow, start):
        incident_id = uow.create("incident", values)
        incident = uow.row("incident", incident_id)
        assert incident is not None
        use_id = incident["use_id"]
        _check_links(uow, use_id, risk_ids)
        for rid in dict.fromkeys(risk_ids):
            uow.create("incident_risk", {"incident_id": incident_id, "risk_id": rid})
        if use_id is not None:
            uow.update("ai_use", use_id, {"needs_rereview": True})
        return own_changes(uow, start)


def linked_risks(service: RegisterService, incident_id: int) -> list[int]:
    table = table_of("incident_risk")
    with service.engine.connect() as conn:
        return list(
            conn.execute(
                select(table.c.risk_id)
                .where(table.c.incident_id == incident_id)
                .order_by(table.c.risk_id)
            ).scalars()
        )


def update_incident(
    target: Target,
    incident_id: int,
    changes: Mapping[str, Any],
    risk_ids: Sequence[int] | None = None,
) -> ActionResult:
    """Edit an incident and, if given, set its linked risks to exactly ``risk_ids``."""
    with step(target) as (uow, start):
        uow.update("incident", incident_id, changes)
        if risk_ids is not None:
            incident = uow.row("incident", incident_id)
            assert incident is not None
            _check_links(uow, incident["use_id"], risk_ids)
            table = table_of("incident_risk")
            current = set(
                uow.conn.execute(
                    select(table.c.risk_id).where(table.c.incident_id == incident_id)
                ).scalars()
            )
            wanted = set(risk_ids)
            for rid in sorted(current - wanted):
                uow.delete("incident_risk", (incident_id, rid))
            for rid in sorted(wanted - current):
                uow.create("incident_risk", {"incident_id": incident_id, "risk_id": rid})
        return own_changes(uow, start)


def incident_counts_by_kind(
    service: RegisterService, since: dt.date | None = None
) -> dict[str, int]:
    """Incidents per kind, every kind present (zeros too), in the pyramid's order.

    Most organisations should log many near misses per incident: a register showing
    none is not looking.
    """
    table = table_of("incident")
    stmt = select(table.c.kind, func.count()).group_by(table.c.kind)
    if since is not None:
        stmt = stmt.where(table.c.occurred_on >= since)
    with service.engine.connect() as conn:
        found: dict[str, int] = dict(conn.execute(stmt).all())
    return {kind.value: int(found.get(kind.value, 0)) for kind in IncidentKind}


def people_affected_total(incidents: Iterable[Mapping[str, Any]]) -> str:
    """People the incidents affected, in words: an unknown count is never added as 0.

    "1,200 people", or "at least 1,200 people; 2 incidents with people affected unknown".
    """
    known = unknown = counted = 0
    for incident in incidents:
        people = incident.get("people_affected")
        if people is None:
            unknown += 1
        else:
            known, counted = known + int(people), counted + 1
    noun = "person" if known == 1 else "people"
    if not unknown:
        return f"{known:,} {noun}"
    which = "incident" if unknown == 1 else "incidents"
    if not counted:  # nothing known at all: no "at least 0"
        return f"unknown ({unknown:,} {which})"
    return f"at least {known:,} {noun}; {unknown:,} {which} with people affected unknown"


@dataclass(frozen=True)
class ReportableIncident:
    incident_id: int
    title: str
    use_name: str
    occurred_on: dt.date
    severity: str
    deadline: dt.date
    reported_on: dt.date | None
    status: str


def reportable_incidents(
    service: RegisterService, today: dt.date | None = None
) -> list[ReportableIncident]:
    """Incidents flagged as possibly reportable, soonest deadline first."""
    today = effective_day(today)
    inc, use = table_of("incident"), table_of("ai_use")
    stmt = (
        select(inc, use.c.name.label("use_name"))
        .select_from(inc.outerjoin(use, use.c.id == inc.c.use_id))
        .where(inc.c.reportable.is_(True))
    )
    out: list[ReportableIncident] = []
    with service.engine.connect() as conn:
        for row in conn.execute(stmt).mappings():
            deadline = reporting_deadline(dict(row))
            assert deadline is not None
            out.append(
                ReportableIncident(
                    row["id"],
                    row["title"],
                    row["use_name"] or "",
                    row["occurred_on"],
                    row["severity"],
                    deadline,
                    row["reported_on"],
                    reporting_status(dict(row), today),
                )
            )
    out.sort(key=lambda r: (r.reported_on is not None, r.deadline, r.incident_id))
    return out
