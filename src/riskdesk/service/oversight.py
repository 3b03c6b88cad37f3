"""Gaps for every use, read from the register in a few queries (not one per use).

The ladder itself is pure (``riskdesk.scoring.ladder``); this module gathers its inputs:
each use, its risks, which owners have left, and whether a 2nd-line challenge is on
record. The GUI, ``riskdesk gaps`` and the exports all call ``register_gaps`` so they
always agree.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

from sqlalchemy import Connection, func, select
from sqlalchemy.sql import ColumnElement

from riskdesk.enums import IncidentStatus
from riskdesk.scoring.ladder import Gap as Gap  # re-exported for ui/
from riskdesk.scoring.ladder import GapInputs, challenge_current, find_gaps
from riskdesk.service import agents, due_diligence  # issue 17
from riskdesk.service.register import RegisterService, table_of


@dataclass(frozen=True)
class UseGaps:
    use_id: int
    use_name: str
    tier: str
    department: str
    owner_first_id: int | None
    gaps: list[Gap]
    assessment: str = "assessed"  # an Assessment value
    tier_low: str | None = None  # not assessed: the provisional range of tiers
    tier_high: str | None = None


_BULKY_USE_COLUMNS = frozenset({"purpose", "notes", "source_record", "agent_permissions"})
_LADDER_RISK_COLUMNS = (
    "id",
    "use_id",
    "title",
    "status",
    "residual_likelihood",
    "residual_impact",
    "accepted_by_id",
    "acceptance_expires",
    "owner_id",
)


def gap_inputs(
    conn: Connection, use_ids: list[int] | None
) -> tuple[list[Any], dict[int, list[Any]], set[int], dict[int, dt.date]]:
    uses_t, risk_t, incident_t = table_of("ai_use"), table_of("risk"), table_of("incident")
    if use_ids is None:
        uses, risks = _use_rows(conn, None, None)
    else:
        uses, risks = _use_rows(
            conn,
            uses_t.c.id.in_(use_ids),
            risk_t.c.use_id.in_(use_ids),
            incident_t.c.use_id.in_(use_ids),
            slim=False,
        )
    return uses, risks, _left(conn), _challenged(conn)


def _left(conn: Connection) -> set[int]:
    person_t = table_of("person")
    return set(conn.execute(select(person_t.c.id).where(person_t.c.has_left)).scalars())


def _challenged(conn: Connection) -> dict[int, dt.date]:
    # A challenge counts once it is on the record (raised), whatever its status: the
    # rung asks that the 2nd line has pushed in this cycle, not that it has finished.
    # The latest one per use is enough to tell (``ladder.challenge_current``).
    challenge_t = table_of("challenge")
    return dict(
        conn.execute(
            select(challenge_t.c.use_id, func.max(challenge_t.c.raised_on)).group_by(
                challenge_t.c.use_id
            )
        ).all()
    )


def _use_rows(
    conn: Connection,
    use_where: ColumnElement[bool] | None,
    risk_where: ColumnElement[bool] | None,
    incident_where: ColumnElement[bool] | None = None,
    *,
    slim: bool = True,
) -> tuple[list[Any], dict[int, list[Any]]]:
    """The uses (and their risks, open incidents) the ``where`` clauses select, in id order.

    ``slim``: only what the ladder reads, so the free text of 100,000 uses (purposes,
    imported source records, risk descriptions) stays in the database.
    """
    uses_t, risk_t, incident_t = table_of("ai_use"), table_of("risk"), table_of("incident")
    if slim:
        use_cols = [c for c in uses_t.c if c.name not in _BULKY_USE_COLUMNS]
        risk_cols = [risk_t.c[name] for name in _LADDER_RISK_COLUMNS]
    else:
        use_cols, risk_cols = list(uses_t.c), list(risk_t.c)
    stmt = select(*use_cols).order_by(uses_t.c.id)
    risk_stmt = select(*risk_cols)
    open_stmt = select(incident_t.c.use_id, incident_t.c.title).where(
        incident_t.c.status != IncidentStatus.CLOSED.value, incident_t.c.use_id.is_not(None)
    )
    if use_where is not None:
        stmt = stmt.where(use_where)
    if risk_where is not None:
        risk_stmt = risk_stmt.where(risk_where)
    if incident_where is not None:
        open_stmt = open_stmt.where(incident_where)
    # Plain tuples zipped with the column names once: a RowMapping per row rebuilt its
    # key view for every ``**`` and cost a third of this function at 10,000 uses.
    use_names = [c.name for c in use_cols]
    uses = [SimpleNamespace(**dict(zip(use_names, r, strict=True))) for r in conn.execute(stmt)]
    risks: dict[int, list[Any]] = defaultdict(list)
    risk_names = [c.name for c in risk_cols]
    for r in conn.execute(risk_stmt):
        risk = SimpleNamespace(**dict(zip(risk_names, r, strict=True)))
        risks[risk.use_id].append(risk)
    # Incidents not yet closed ride on the use rows (the ladder reads ``open_incidents``).
    open_incidents: dict[int, list[str]] = defaultdict(list)
    for use_id, title in conn.execute(open_stmt.order_by(incident_t.c.id)):
        open_incidents[use_id].append(title)
    for use in uses:
        use.open_incidents = open_incidents.get(use.id, [])
    return uses, risks


def challenged_this_cycle(
    use: Any, challenged: dict[int, dt.date], today: dt.date, config: Any
) -> bool:
    """Whether ``use`` has a 2nd-line challenge in its current review cycle."""
    return challenge_current(
        challenged.get(use.id), use.last_review, today, config.review_months_for(use.tier)
    )


def register_gaps(
    service: RegisterService, today: dt.date | None = None, use_ids: list[int] | None = None
) -> list[UseGaps]:
    if use_ids is None:
        return list(iter_register_gaps(service, today))
    today = today or dt.date.today()
    from riskdesk.service.evidence import evidence_gaps_by_use  # imports drift: not at top

    with service.engine.connect() as conn:
        uses, risks, left, challenged = gap_inputs(conn, use_ids)
        expired_evidence = evidence_gaps_by_use(conn, today, use_ids)
        held = agents.permissions_by_use(conn, use_ids)  # issue 17
        vendors = due_diligence.vendor_inputs(conn)  # issue 17
    judge = _Judge(service, today, left, challenged, expired_evidence, held, vendors)
    return [judge(use, risks.get(use.id, [])) for use in uses]


def iter_register_gaps(
    service: RegisterService,
    today: dt.date | None = None,
    batch: int = 2000,
    *,
    conn: Connection | None = None,
) -> Iterator[UseGaps]:
    """``register_gaps`` for the whole register, read and judged ``batch`` uses at a time
    (issue 19: bounded memory at 100,000 uses). Holds a read connection while iterated:
    ``conn`` if given (an export's read transaction, so the gaps come from the same
    snapshot of the register as its other figures), else one of its own."""
    if conn is None:
        with service.engine.connect() as own:
            yield from iter_register_gaps(service, today, batch, conn=own)
        return
    today = today or dt.date.today()
    from riskdesk.service.evidence import evidence_gaps_by_use  # imports drift: not at top

    uses_t, risk_t, incident_t = table_of("ai_use"), table_of("risk"), table_of("incident")
    judge = _Judge(
        service,
        today,
        _left(conn),
        _challenged(conn),
        evidence_gaps_by_use(conn, today),
        agents.permissions_by_use(conn, None),  # issue 17
        due_diligence.vendor_inputs(conn),  # issue 17
    )
    ids = list(conn.execute(select(uses_t.c.id).order_by(uses_t.c.id)).scalars())
    for start in range(0, len(ids), batch):
        lo, hi = ids[start], ids[min(start + batch, len(ids)) - 1]
        uses, risks = _use_rows(
            conn,
            uses_t.c.id.between(lo, hi),
            risk_t.c.use_id.between(lo, hi),
            incident_t.c.use_id.between(lo, hi),
        )
        for use in uses:
            yield judge(use, risks.get(use.id, []))


class _Judge:
    """One use's gaps from its rows and the register-wide inputs, as ``UseGaps``."""

    def __init__(
        self,
        service: RegisterService,
        today: dt.date,
        left: set[int],
        challenged: dict[int, dt.date],
        expired_evidence: dict[int, list[Gap]],
        held: dict[int, list[Any]],
        vendors: due_diligence.VendorInputs,
    ) -> None:
        self.today, self.left, self.challenged = today, left, challenged
        self.expired_evidence, self.held = expired_evidence, held
        self.vendors = vendors
        self.appetite = service.profile().get("risk_appetite") or "medium"
        self.config = service.scoring_config()

    def __call__(self, use: Any, risks: list[Any]) -> UseGaps:
        today, config = self.today, self.config
        owners = {use.owner_first_id, use.owner_second_id, use.owner_third_id}
        inputs = GapInputs.from_use(
            use,
            today=today,
            risks=risks,
            appetite=self.appetite,
            owners_left=[o for o in owners if o in self.left],
            has_recorded_challenge=challenged_this_cycle(use, self.challenged, today, config),
        )
        return UseGaps(
            use.id,
            use.name,
            use.tier,
            use.department,
            use.owner_first_id,
            find_gaps(inputs, config)
            + self.expired_evidence.get(use.id, [])
            + agents.agent_gaps(use, self.held.get(use.id, []), today, config)  # issue 17
            # issue 17: vendor due diligence on the chain a High/Critical use depends on
            + due_diligence.gaps_for_uses([use], *self.vendors, today).get(use.id, []),
            use.assessment,
            use.tier_low,
            use.tier_high,
        )


def gaps_for_use(service: RegisterService, use_id: int, today: dt.date | None = None) -> list[Gap]:
    found = register_gaps(service, today, [use_id])
    return found[0].gaps if found else []


def gap_count(service: RegisterService, today: dt.date | None = None) -> int:
    """``sum(len(u.gaps) for u in register_gaps(...))``, counted in SQL (issue 19)."""
    from riskdesk.service.gap_counts import gap_total

    return gap_total(service, today)
