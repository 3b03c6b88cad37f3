"""How a governance step runs: in an action of its own, or inside a caller's.

Every step takes a ``Target`` — the ``RegisterService`` (one action, one transaction) or
an open ``UnitOfWork`` (to take part in a larger action, as the demo does) — and returns
the ``ActionResult`` of its own changes only, so the GUI can put it on the undo stack.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from riskdesk.service.errors import ValidationError
from riskdesk.service.register import ActionResult, RegisterService, UnitOfWork

Target = RegisterService | UnitOfWork


@contextmanager
def step(target: Target) -> Iterator[tuple[UnitOfWork, int]]:
    """The unit of work to write in, and where this call's changes start in its result."""
    if isinstance(target, UnitOfWork):
        yield target, len(target.result.changes)
    else:
        with target.action() as uow:
            yield uow, 0


def own_changes(uow: UnitOfWork, start: int) -> ActionResult:
    """Only what this step changed, not the rest of the caller's action."""
    return ActionResult(list(uow.result.changes[start:]))


def effective_day(today: dt.date | None) -> dt.date:
    return today or dt.date.today()


def present_person(uow: UnitOfWork, person_id: int | None, field: str) -> dict[str, Any]:
    """The named person, refused when unnamed, unknown or gone from the organisation."""
    if person_id is None:
        raise ValidationError.single(field, "name the person")
    person = uow.row("person", person_id)
    if person is None:
        raise ValidationError.single(field, f"person {person_id} does not exist")
    if person["has_left"]:
        raise ValidationError.single(field, f"{person['name']} has left the organisation")
    return person


def required_text(text: str, field: str, what: str) -> str:
    clean = (text or "").strip()
    if not clean:
        raise ValidationError.single(field, f"write the {what}")
    return clean
