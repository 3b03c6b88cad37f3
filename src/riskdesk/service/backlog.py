"""The assessment backlog: which uses still wait for answers, and one answer for many.

"Assess next" walks ``backlog_ids`` one use at a time; "Answer for selected…" sets one
factor for several uses ("these 6 use no personal data") with ``answer_for_uses`` — ONE
action, so one audit block and one undo step, and each use rescored as it is written.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import select

from riskdesk.enums import Assessment, Stage
from riskdesk.fileformat.schema import table_of
from riskdesk.service.errors import ValidationError
from riskdesk.service.register import ActionResult, RegisterService

# The questions a bulk answer may set: the exposure factors and the floors' inputs.
# (Free text and references are per use; a shared answer would be a guess.)
ANSWERABLE: tuple[str, ...] = (
    "people_affected",
    "decision_role",
    "autonomy",
    "data_sensitivity",
    "childrens_data",
    "harm_severity",
    "reversibility",
    "rights_impacting",
    "safety_impacting",
)


def backlog_ids(service: RegisterService) -> list[int]:
    """Uses in use that are not assessed or only partly assessed, in walking order.

    Partly assessed first (a few answers finish them), then by how high their
    provisional exposure can go, so the uses that may be the most exposed come early;
    retired uses are left out (nobody needs to assess what is no longer used).
    """
    table = table_of("ai_use")
    stmt = (
        select(table.c.id)
        .where(
            table.c.assessment.in_([Assessment.NOT_ASSESSED.value, Assessment.PARTLY.value]),
            table.c.stage != Stage.RETIRED.value,
        )
        .order_by(
            (table.c.assessment == Assessment.PARTLY.value).desc(),
            table.c.exposure_high.desc(),
            table.c.name,
            table.c.id,
        )
    )
    with service.engine.connect() as conn:
        return [int(i) for i in conn.execute(stmt).scalars()]


def answer_for_uses(
    service: RegisterService, use_ids: Sequence[int], field: str, value: Any
) -> ActionResult:
    """Set ``field`` to ``value`` on every use of ``use_ids`` in one audited action.

    Raises ``ValidationError`` for a question that cannot be answered in bulk or a value
    it does not accept (nothing is written then); ``NotFoundError`` for a missing use.
    """
    if field not in ANSWERABLE:
        raise ValidationError.single(field, "cannot be answered for several uses at once", "AI use")
    with service.action() as uow:
        for use_id in dict.fromkeys(use_ids):  # once each, in the order given
            uow.update("ai_use", use_id, {field: value})
        return uow.result
