"""The governance loop: effective challenge, reviews, risk acceptance and incidents.

The three lines only interact if each step is on the record, so every step here is one
audited action through the service layer:

- A **challenge** is raised by the 2nd line (or the 3rd) on a use or one of its risks,
  answered by the 1st line, then resolved or escalated by the reviewer. It freezes the
  scores and gaps when it is raised and again when it is resolved, so anyone can later
  see what the reviewer was looking at and whether the answer changed anything.
- A **review** stores a dated snapshot (exposure, tier, every risk's scores, the gaps)
  and schedules the next one on the tier's cadence. While a challenge is unresolved on a
  High or Critical use its review cannot be recorded as complete: signing off a use the
  2nd line is still pushing on would make the challenge decorative.
- A **risk acceptance** names a 2nd-line (or higher) acceptor, a rationale and an expiry.
- An **incident** (near miss, incident, rollback, shutdown) links the risks it realised
  and flags its use for re-review; a possibly reportable one carries the EU AI Act
  Art. 73 deadline (see ``reporting_deadline``).

Every function takes either the ``RegisterService`` (one action, one transaction) or an
open ``UnitOfWork`` (to take part in a larger action, as the demo does) and returns the
``ActionResult`` of its own changes, so the GUI can put it on the undo stack.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, func, select

from riskdesk import enums
from riskdesk.enums import ChallengeStatus, IncidentKind, Line, Severity, Tier
from riskdesk.scoring import GapInputs, band_for, find_gaps, next_review_due, risk_score
from riskdesk.scoring.ladder import Gap
from riskdesk.service import audit
from riskdesk.service.errors import ConflictError, FieldProblem, NotFoundError, ValidationError
from riskdesk.service.oversight import challenged_this_cycle, gap_inputs
from riskdesk.service.register import ActionResult, RegisterService, UnitOfWork, table_of

Target = RegisterService | UnitOfWork

UNRESOLVED = (ChallengeStatus.OPEN, ChallengeStatus.ANSWERED, ChallengeStatus.ESCALATED)
# Tiers at which an unresolved challenge blocks the review (the ladder's "challenge" rung
# starts at High by default).
REVIEW_BLOCKING_TIERS = (Tier.HIGH, Tier.CRITICAL)


@contextmanager
def _work(target: Target) -> Iterator[tuple[UnitOfWork, int]]:
    """The unit of work to write in, and where this call's changes start in its result."""
    if isinstance(target, UnitOfWork):
        yield target, len(target.result.changes)
    else:
        with target.action() as uow:
            yield uow, 0


def _own_changes(uow: UnitOfWork, start: int) -> ActionResult:
    return ActionResult(list(uow.result.changes[start:]))


def _today(today: dt.date | None) -> dt.date:
    return today or dt.date.today()


def _person(uow: UnitOfWork, person_id: int | None, field: str) -> dict[str, Any]:
    if person_id is None:
        raise ValidationError.single(field, "name the person")
    person = uow.row("person", person_id)
    if person is None:
        raise ValidationError.single(field, f"person {person_id} does not exist")
    if person["has_left"]:
        raise ValidationError.single(field, f"{person['name']} has left the organisation")
    return person


def _need_text(text: str, field: str, what: str) -> str:
    clean = (text or "").strip()
    if not clean:
        raise ValidationError.single(field, f"write the {what}")
    return clean


# --- snapshots ------------------------------------------------------------------------


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


# --- challenges -----------------------------------------------------------------------


def raise_challenge(
    target: Target,
    use_id: int,
    raised_by_id: int,
    question: str,
    severity: Severity | str = Severity.MEDIUM,
    risk_id: int | None = None,
    today: dt.date | None = None,
) -> ActionResult:
    """The 2nd line (or the 3rd) puts a question to the 1st line, on the record.

    Refused from a 1st-line person, from the use's own 1st-line owner, and on a risk of
    another use. Freezes the scores and gaps as they stood when the question was asked.
    """
    today = _today(today)
    with _work(target) as (uow, start):
        use = uow.row("ai_use", use_id)
        if use is None:
            raise NotFoundError(f"AI use {use_id} does not exist.")
        raiser = _person(uow, raised_by_id, "raised_by_id")
        if raiser["default_line"] == Line.FIRST.value:
            raise ValidationError.single(
                "raised_by_id",
                f"{raiser['name']} is 1st line; a challenge is raised by the 2nd line "
                "(risk or compliance) or above",
            )
        if raised_by_id == use["owner_first_id"]:
            raise ValidationError.single(
                "raised_by_id",
                f"{raiser['name']} is this use's 1st-line owner and cannot challenge it",
            )
        _need_text(question, "question", "question")
        snapshot = use_snapshot(uow.service, uow.conn, use_id, today)
        uow.create(
            "challenge",
            {
                "use_id": use_id,
                "risk_id": risk_id,
                "raised_by_id": raised_by_id,
                "raised_on": today,
                "question": question.strip(),
                "severity": severity,
                "status": ChallengeStatus.OPEN,
                "snapshot_raised": snapshot_text(snapshot),
            },
        )
        return _own_changes(uow, start)


def _challenge(uow: UnitOfWork, challenge_id: int) -> dict[str, Any]:
    found = uow.row("challenge", challenge_id)
    if found is None:
        raise NotFoundError(f"Challenge {challenge_id} does not exist.")
    return found


def _status(challenge: Mapping[str, Any]) -> ChallengeStatus:
    return ChallengeStatus(challenge["status"])


def answer_challenge(
    target: Target,
    challenge_id: int,
    answered_by_id: int,
    answer: str,
) -> ActionResult:
    """The 1st line answers (again, after an escalation, if need be).

    The answer comes from the use's 1st-line owner or another 1st-line person, never
    from whoever raised the challenge: a question one answers oneself is not a challenge.
    """
    with _work(target) as (uow, start):
        challenge = _challenge(uow, challenge_id)
        if _status(challenge) not in (ChallengeStatus.OPEN, ChallengeStatus.ESCALATED):
            raise ConflictError(
                f"This challenge is {_status(challenge).label.lower()}; only an open or "
                "escalated challenge can be answered."
            )
        person = _person(uow, answered_by_id, "answered_by_id")
        use = uow.row("ai_use", challenge["use_id"]) or {}
        if answered_by_id == challenge["raised_by_id"]:
            raise ValidationError.single(
                "answered_by_id", f"{person['name']} raised this challenge and cannot answer it"
            )
        if person["default_line"] != Line.FIRST.value and answered_by_id != use.get(
            "owner_first_id"
        ):
            raise ValidationError.single(
                "answered_by_id",
                f"{person['name']} is not 1st line; the 1st line that runs the use answers",
            )
        text = _need_text(answer, "answer", "answer")
        uow.update(
            "challenge",
            challenge_id,
            {"answer": text, "answered_by_id": answered_by_id, "status": ChallengeStatus.ANSWERED},
        )
        return _own_changes(uow, start)


def resolve_challenge(
    target: Target, challenge_id: int, resolution: str, today: dt.date | None = None
) -> ActionResult:
    """The reviewer accepts the answer; the scores and gaps are frozen again."""
    today = _today(today)
    with _work(target) as (uow, start):
        challenge = _challenge(uow, challenge_id)
        if _status(challenge) not in (ChallengeStatus.ANSWERED, ChallengeStatus.ESCALATED):
            raise ConflictError(
                "Only an answered or escalated challenge can be resolved: the 1st line "
                "answers first."
                if _status(challenge) is ChallengeStatus.OPEN
                else "This challenge is already resolved."
            )
        text = _need_text(resolution, "resolution", "resolution")
        snapshot = use_snapshot(uow.service, uow.conn, challenge["use_id"], today)
        uow.update(
            "challenge",
            challenge_id,
            {
                "status": ChallengeStatus.RESOLVED,
                "resolution": text,
                "resolved_on": today,
                "snapshot_resolved": snapshot_text(snapshot),
            },
        )
        return _own_changes(uow, start)


def escalate_challenge(target: Target, challenge_id: int, reason: str) -> ActionResult:
    """The reviewer is not satisfied and takes it higher (risk committee, board).

    An escalated challenge stays unresolved, so it still blocks a High/Critical review.
    """
    with _work(target) as (uow, start):
        challenge = _challenge(uow, challenge_id)
        if _status(challenge) not in (ChallengeStatus.OPEN, ChallengeStatus.ANSWERED):
            raise ConflictError(
                f"This challenge is already {_status(challenge).label.lower()}; "
                "only an open or answered challenge can be escalated."
            )
        text = _need_text(reason, "resolution", "reason for escalating")
        uow.update(
            "challenge",
            challenge_id,
            {"status": ChallengeStatus.ESCALATED, "resolution": text},
        )
        return _own_changes(uow, start)


def unresolved_challenges(conn: Connection, use_id: int) -> list[dict[str, Any]]:
    table = table_of("challenge")
    stmt = (
        select(table)
        .where(table.c.use_id == use_id, table.c.status.in_([s.value for s in UNRESOLVED]))
        .order_by(table.c.id)
    )
    return [dict(r) for r in conn.execute(stmt).mappings()]


def pending_challenges(service: RegisterService, use_id: int) -> list[dict[str, Any]]:
    """A use's unresolved challenges: on a High or Critical use they block its review."""
    with service.engine.connect() as conn:
        return unresolved_challenges(conn, use_id)


# --- reviews --------------------------------------------------------------------------


def _independent_reviewer(
    uow: UnitOfWork, use: Mapping[str, Any], reviewer_id: int | None, tier: Tier
) -> None:
    """A High/Critical review is signed by the 2nd or 3rd line, never by the 1st.

    A review the use's own 1st-line owner records, or nobody signs, is no oversight.
    """
    if reviewer_id is None:
        raise ValidationError.single(
            "reviewer_id",
            f"a {tier.label}-tier use's review must name its reviewer (2nd or 3rd line)",
        )
    person = _person(uow, reviewer_id, "reviewer_id")
    if reviewer_id == use["owner_first_id"]:
        raise ValidationError.single(
            "reviewer_id",
            f"{person['name']} is this use's 1st-line owner; a {tier.label}-tier use is "
            "reviewed by the 2nd or 3rd line",
        )
    if person["default_line"] == Line.FIRST.value:
        raise ValidationError.single(
            "reviewer_id",
            f"{person['name']} is 1st line; a {tier.label}-tier use is reviewed by the "
            "2nd line (risk or compliance) or the 3rd (internal audit)",
        )


def record_review(
    target: Target,
    use_id: int,
    reviewer_id: int | None,
    notes: str = "",
    today: dt.date | None = None,
) -> ActionResult:
    """Store a dated snapshot of the use and schedule the next review from its tier.

    Refused (``ConflictError``) while a challenge is unresolved on a High or Critical
    use, and (``ValidationError``) when such a use's reviewer is unnamed, 1st line or
    its own 1st-line owner. Clears the re-review flag an incident set. The snapshot is
    taken after the review dates move, so its gaps are what the reviewer signed off as
    outstanding.
    """
    today = _today(today)
    with _work(target) as (uow, start):
        use = uow.row("ai_use", use_id)
        if use is None:
            raise NotFoundError(f"AI use {use_id} does not exist.")
        tier = Tier(use["tier"])
        if tier in REVIEW_BLOCKING_TIERS:
            _independent_reviewer(uow, use, reviewer_id, tier)
        elif reviewer_id is not None:
            _person(uow, reviewer_id, "reviewer_id")
        if tier in REVIEW_BLOCKING_TIERS:
            pending = unresolved_challenges(uow.conn, use_id)
            if pending:
                first = pending[0]
                raise ConflictError(
                    f"“{use['name']}” is a {tier.label}-tier use with {len(pending)} "
                    f"unresolved challenge(s) (first: “{first['question']}”, "
                    f"{ChallengeStatus(first['status']).label.lower()}). Resolve them before "
                    "recording the review as complete."
                )
        config = uow.service.scoring_config(uow.conn)
        uow.update(
            "ai_use",
            use_id,
            {
                "last_review": today,
                "next_review": next_review_due(tier, today, config),
                "needs_rereview": False,
            },
        )
        fresh = uow.row("ai_use", use_id)
        assert fresh is not None
        snapshot = use_snapshot(uow.service, uow.conn, use_id, today)
        uow.create(
            "review",
            {
                "use_id": use_id,
                "reviewed_on": today,
                "reviewer_id": reviewer_id,
                "exposure": fresh["exposure"],
                "tier": fresh["tier"],
                "score_method": fresh["score_method"],
                "snapshot": snapshot_text(snapshot),
                "notes": (notes or "").strip(),
            },
        )
        return _own_changes(uow, start)


def reviews_of(service: RegisterService, use_id: int) -> list[dict[str, Any]]:
    """A use's reviews, oldest first (the trend chart's points)."""
    table = table_of("review")
    stmt = select(table).where(table.c.use_id == use_id).order_by(table.c.reviewed_on, table.c.id)
    with service.engine.connect() as conn:
        return [dict(r) for r in conn.execute(stmt).mappings()]


# --- risk acceptance ------------------------------------------------------------------


def accept_risk(
    target: Target,
    risk_id: int,
    acceptor_id: int | None,
    rationale: str,
    expiry: dt.date | None,
    today: dt.date | None = None,
    edits: Mapping[str, Any] | None = None,
) -> ActionResult:
    """A named acceptance of a risk's residual, with a rationale and an expiry date.

    ``edits`` (other fields of the risk, from the risk editor) are saved in the same
    action, so the editor's one Save is one undo step.

    The rule is ``validation.acceptance_problems``, the same one every write of an
    acceptance meets (the risk editor, imports): a named 2nd-line (or higher) acceptor
    who is not the risk's 1st line, a rationale, an expiry at most the setting's maximum
    ahead. Accepting here is an act done today, so the expiry must also be after today.
    """
    today = _today(today)
    with _work(target) as (uow, start):
        if uow.row("risk", risk_id) is None:
            raise NotFoundError(f"Risk {risk_id} does not exist.")
        if edits:
            uow.update("risk", risk_id, edits)
        risk = uow.row("risk", risk_id)
        assert risk is not None
        record = {
            **risk,
            "accepted_by_id": acceptor_id,
            "acceptance_rationale": (rationale or "").strip(),
            "acceptance_expires": expiry,
        }
        problems: list[FieldProblem] = []
        if acceptor_id is None:
            problems.append(FieldProblem("accepted_by_id", "name the person accepting the risk"))
        else:
            problems.extend(uow.acceptance_problems(record, today))
        if expiry is not None and expiry <= today:
            problems.append(
                FieldProblem("acceptance_expires", "the acceptance must expire after today")
            )
        if problems:
            raise ValidationError(problems, "risk")
        uow.update(
            "risk",
            risk_id,
            {
                "accepted_by_id": acceptor_id,
                "acceptance_rationale": record["acceptance_rationale"],
                "acceptance_expires": expiry,
                "status": enums.RiskStatus.ACCEPTED,
                "treatment": enums.Treatment.ACCEPT,
            },
        )
        return _own_changes(uow, start)


# --- incidents ------------------------------------------------------------------------

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
    so the safe reading is taken: a Critical incident gets the shortest period (2 days),
    anything else the general 15 days, both counted from ``occurred_on``.
    """
    if not incident.get("reportable") or incident.get("occurred_on") is None:
        return None
    severity = Severity.parse(incident.get("severity") or Severity.LOW)
    days = DEADLINE_WIDESPREAD_DAYS if severity is Severity.CRITICAL else DEADLINE_GENERAL_DAYS
    occurred: dt.date = incident["occurred_on"]
    return occurred + dt.timedelta(days=days)


def reporting_status(incident: Mapping[str, Any], today: dt.date | None = None) -> str:
    """One line for the GUI and reports: reported, due in N days, or overdue."""
    deadline = reporting_deadline(incident)
    if deadline is None:
        return ""
    if incident.get("reported_on") is not None:
        return f"Reported on {incident['reported_on'].isoformat()} (deadline {deadline})"
    days = (deadline - _today(today)).days
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
    with _work(target) as (uow, start):
        incident_id = uow.create("incident", values)
        incident = uow.row("incident", incident_id)
        assert incident is not None
        use_id = incident["use_id"]
        _check_links(uow, use_id, risk_ids)
        for rid in dict.fromkeys(risk_ids):
            uow.create("incident_risk", {"incident_id": incident_id, "risk_id": rid})
        if use_id is not None:
            uow.update("ai_use", use_id, {"needs_rereview": True})
        return _own_changes(uow, start)


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
    with _work(target) as (uow, start):
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
        return _own_changes(uow, start)


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
    today = _today(today)
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
