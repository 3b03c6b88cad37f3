"""Risk acceptance: a named 2nd-line (or higher) acceptor, a rationale and an expiry."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from riskdesk import enums
from riskdesk.service.errors import FieldProblem, NotFoundError, ValidationError
from riskdesk.service.governance.steps import Target, effective_day, own_changes, step
from riskdesk.service.register import ActionResult


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
    today = effective_day(today)
    with step(target) as (uow, start):
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
        return own_changes(uow, start)
