"""Effective challenge: the 2nd line (or the 3rd) asks, the 1st line answers, the
reviewer resolves or escalates — each step one audited action."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from sqlalchemy import Connection, select

from riskdesk.enums import ChallengeStatus, Line, Severity
from riskdesk.service.errors import ConflictError, NotFoundError, ValidationError
from riskdesk.service.governance.snapshots import snapshot_text, use_snapshot
from riskdesk.service.governance.steps import (
    Target,
    effective_day,
    own_changes,
    present_person,
    required_text,
    step,
)
from riskdesk.service.register import ActionResult, RegisterService, UnitOfWork, table_of

UNRESOLVED = (ChallengeStatus.OPEN, ChallengeStatus.ANSWERED, ChallengeStatus.ESCALATED)


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
    today = effective_day(today)
    with step(target) as (uow, start):
        use = uow.row("ai_use", use_id)
        if use is None:
            raise NotFoundError(f"AI use {use_id} does not exist.")
        raiser = present_person(uow, raised_by_id, "raised_by_id")
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
        required_text(question, "question", "question")
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
        return own_changes(uow, start)


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
    with step(target) as (uow, start):
        challenge = _challenge(uow, challenge_id)
        if _status(challenge) not in (ChallengeStatus.OPEN, ChallengeStatus.ESCALATED):
            raise ConflictError(
                f"This challenge is {_status(challenge).label.lower()}; only an open or "
                "escalated challenge can be answered."
            )
        person = present_person(uow, answered_by_id, "answered_by_id")
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
        text = required_text(answer, "answer", "answer")
        uow.update(
            "challenge",
            challenge_id,
            {"answer": text, "answered_by_id": answered_by_id, "status": ChallengeStatus.ANSWERED},
        )
        return own_changes(uow, start)


def resolve_challenge(
    target: Target, challenge_id: int, resolution: str, today: dt.date | None = None
) -> ActionResult:
    """The reviewer accepts the answer; the scores and gaps are frozen again."""
    today = effective_day(today)
    with step(target) as (uow, start):
        challenge = _challenge(uow, challenge_id)
        if _status(challenge) not in (ChallengeStatus.ANSWERED, ChallengeStatus.ESCALATED):
            raise ConflictError(
                "Only an answered or escalated challenge can be resolved: the 1st line "
                "answers first."
                if _status(challenge) is ChallengeStatus.OPEN
                else "This challenge is already resolved."
            )
        text = required_text(resolution, "resolution", "resolution")
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
        return own_changes(uow, start)


def escalate_challenge(target: Target, challenge_id: int, reason: str) -> ActionResult:
    """The reviewer is not satisfied and takes it higher (risk committee, board).

    An escalated challenge stays unresolved, so it still blocks a High/Critical review.
    """
    with step(target) as (uow, start):
        challenge = _challenge(uow, challenge_id)
        if _status(challenge) not in (ChallengeStatus.OPEN, ChallengeStatus.ANSWERED):
            raise ConflictError(
                f"This challenge is already {_status(challenge).label.lower()}; "
                "only an open or answered challenge can be escalated."
            )
        text = required_text(reason, "resolution", "reason for escalating")
        uow.update(
            "challenge",
            challenge_id,
            {"status": ChallengeStatus.ESCALATED, "resolution": text},
        )
        return own_changes(uow, start)


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
