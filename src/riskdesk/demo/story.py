"""What the demo's history stories share: the register being written and small helpers.

Only the curated uses get a history (a 10,000-use demo stays fast). Stories write
through the governance functions where they apply, so the history is audited like any
other change and obeys the same rules (a review waits for challenges to be resolved).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

from sqlalchemy import select

from riskdesk.demo.data import DemoData
from riskdesk.scoring import GapInputs, find_gaps, next_review_due
from riskdesk.service import governance as gov
from riskdesk.service.governance import build_snapshot, snapshot_text
from riskdesk.service.register import RegisterService, UnitOfWork, table_of


@dataclass
class Story:
    """The register a story writes into, with names for its people and uses."""

    uow: UnitOfWork
    data: DemoData
    today: dt.date
    people: dict[str, int]  # name -> person id
    use_ids: list[int]  # the curated uses, in data order
    control_ids: list[int]
    use: dict[str, int] = field(init=False)  # use name -> id

    def __post_init__(self) -> None:
        self.use = {
            spec.name: self.use_ids[i]
            for i, spec in enumerate(self.data.uses)
            if i < len(self.use_ids)
        }

    def ago(self, days: int) -> dt.date:
        return self.today - dt.timedelta(days=days)

    def risk_ids_by_title(self, use_id: int) -> dict[str, int]:
        risk = table_of("risk")
        rows = self.uow.conn.execute(select(risk.c.id, risk.c.title).where(risk.c.use_id == use_id))
        return {title: rid for rid, title in rows}

    def risk_id(self, use_name: str, key: str) -> int | None:
        """The use's risk made from demo risk ``key``, if it has one."""
        return self.risk_ids_by_title(self.use[use_name]).get(self.data.risks[key].title)

    def reviewer(self, name: str) -> int:
        """The use's 2nd-line owner, or someone other than its 1st-line owner."""
        dana, omar = self.people["Dana Whitfield"], self.people["Omar Haddad"]
        row = self.uow.row("ai_use", self.use[name]) or {}
        second = row.get("owner_second_id")
        if second is not None and second != row.get("owner_first_id"):
            return int(second)
        return omar if row.get("owner_first_id") == dana else dana

    def review(self, name: str, days: int, notes: str) -> None:
        gov.record_review(self.uow, self.use[name], self.reviewer(name), notes, self.ago(days))

    def challenge(
        self, name: str, days: int, by: int, question: str, severity: str, risk: str | None = None
    ) -> int:
        risk_id = self.risk_id(name, risk) if risk else None
        result = gov.raise_challenge(
            self.uow, self.use[name], by, question, severity, risk_id, self.ago(days)
        )
        return int(result.created_id)

    def past_review(
        self,
        name: str,
        days: int,
        notes: str,
        was: dict[str, Any],
        residuals: dict[str, tuple[int, int]] | None = None,
    ) -> None:
        """A review of the use as it was ``days`` ago (factors ``was``), before it grew.

        ``record_review`` snapshots the use as it is now; for the uses whose exposure
        has crept up since, the snapshot has to describe the smaller use they were then.
        ``residuals`` gives the residual (likelihood, impact) its risks had then, by key.
        """
        uow, use_id, on = self.uow, self.use[name], self.ago(days)
        reviewer = self.reviewer(name)
        config = uow.service.scoring_config(uow.conn)
        current = uow.row("ai_use", use_id)
        assert current is not None
        past = {**current, **was}
        RegisterService.derive_use(past, config)
        past["last_review"] = on
        past["next_review"] = next_review_due(past["tier"], on, config)
        risk_t, person_t, challenge_t = table_of("risk"), table_of("person"), table_of("challenge")
        risks = [
            dict(r)
            for r in uow.conn.execute(select(risk_t).where(risk_t.c.use_id == use_id)).mappings()
        ]
        then = {self.data.risks[k].title: v for k, v in (residuals or {}).items()}
        for risk in risks:
            if risk["title"] in then:
                risk["residual_likelihood"], risk["residual_impact"] = then[risk["title"]]
        left = set(uow.conn.execute(select(person_t.c.id).where(person_t.c.has_left)).scalars())
        challenged = uow.conn.execute(
            select(challenge_t.c.id).where(
                challenge_t.c.use_id == use_id, challenge_t.c.raised_on <= on
            )
        ).first()
        owners = {past["owner_first_id"], past["owner_second_id"], past["owner_third_id"]}
        gaps = find_gaps(
            GapInputs.from_use(
                SimpleNamespace(**past),
                today=on,
                risks=[SimpleNamespace(**r) for r in risks],
                owners_left=[o for o in owners if o in left],
                has_recorded_challenge=challenged is not None,
            ),
            config,
        )
        uow.create(
            "review",
            {
                "use_id": use_id,
                "reviewed_on": on,
                "reviewer_id": reviewer,
                "exposure": past["exposure"],
                "tier": past["tier"],
                "score_method": past["score_method"],
                "snapshot": snapshot_text(build_snapshot(past, risks, gaps, on)),
                "notes": notes,
            },
        )
        uow.update("ai_use", use_id, {"last_review": on, "next_review": past["next_review"]})
