"""Reviews: a dated snapshot of the use, the next review scheduled from its tier."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from sqlalchemy import select

from riskdesk.enums import ChallengeStatus, Line, Tier
from riskdesk.scoring import next_review_due
from riskdesk.service.errors import ConflictError, NotFoundError, ValidationError
from riskdesk.service.governance.challenges import unresolved_challenges
from riskdesk.service.governance.snapshots import snapshot_text, use_snapshot
from riskdesk.service.governance.steps import (
    Target,
    effective_day,
    own_changes,
    present_person,
    step,
)
from riskdesk.service.register import ActionResult, RegisterService, UnitOfWork, table_of

# Tiers at which an unresolved challenge blocks the review (the ladder's "challenge" rung
# starts at High by default).
REVIEW_BLOCKING_TIERS = (Tier.HIGH, Tier.CRITICAL)


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
    person = present_person(uow, reviewer_id, "reviewer_id")
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
    today = effective_day(today)
    with step(target) as (uow, start):
        use = uow.row("ai_use", use_id)
        if use is None:
            raise NotFoundError(f"AI use {use_id} does not exist.")
        tier = Tier(use["tier"])
        if tier in REVIEW_BLOCKING_TIERS:
            _independent_reviewer(uow, use, reviewer_id, tier)
        elif reviewer_id is not None:
            present_person(uow, reviewer_id, "reviewer_id")
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
        return own_changes(uow, start)


def reviews_of(service: RegisterService, use_id: int) -> list[dict[str, Any]]:
    """A use's reviews, oldest first (the trend chart's points)."""
    table = table_of("review")
    stmt = select(table).where(table.c.use_id == use_id).order_by(table.c.reviewed_on, table.c.id)
    with service.engine.connect() as conn:
        return [dict(r) for r in conn.execute(stmt).mappings()]
