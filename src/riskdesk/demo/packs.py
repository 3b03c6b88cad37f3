"""The demo's board packs of past quarters: the history the dashboard's trend draws.

A demo written today has an audit trail of one day, so its trend would show one quarter.
Back-dating audit events would make the trail lie about when it was written (the chain
would still verify: it hashes times but cannot know them), so the history is told
where a record carries its own date: one issued board pack per past quarter, whose
snapshot is the register as the demo's stories (``history``) describe it on that day.
Each pack record says it is invented: its issuer is the demo and it has no file.

On each pack's day:

- the register holds the uses live by then (``go_live``); a use never live only in the
  last two quarters (ideas and development are recent);
- a use's tier and exposure are those of its latest review on or before that day (the
  chatbot, the coding agent and the homework chatbot were smaller then: see
  ``history.exposure_crept_up``), else today's;
- gaps are the ladder's judgement of the use on that day, with "review overdue" taken
  from the reviews recorded by then (the clock starting at go-live);
- incidents are those that had occurred by then; challenges escalated or resolved by
  then are listed as the board pack lists them.

Only the curated demo gets them: a pack describes every use, and judging 100,000
generated uses on five past days would multiply ``demo --uses 100000``'s time.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from typing import Any

from riskdesk.enums import Stage, Tier
from riskdesk.reports.snapshot import take_snapshot
from riskdesk.scoring.ladder import add_months
from riskdesk.service import audit
from riskdesk.service.oversight import register_gaps
from riskdesk.service.register import RegisterService
from riskdesk.service.trends import previous_quarter, quarter_end, quarter_start

PAST_QUARTERS = 5  # with the current quarter, the six the trend chart shows
ISSUED_BY = "riskdesk demo: invented history, not a real board pack"
FILE_NAME = "demo data (no pack was issued)"
LIVE = frozenset({Stage.PILOT.value, Stage.PRODUCTION.value})
RECENT_DAYS = 180  # a use that never went live joined the register this recently


def pack_days(today: dt.date) -> list[dt.date]:
    """A board meeting two weeks before the end of each of the past quarters, oldest first."""
    days: list[dt.date] = []
    start = quarter_start(today)
    for _ in range(PAST_QUARTERS):
        start = previous_quarter(start)
        days.append(quarter_end(start) - dt.timedelta(days=14))
    return sorted(days)


def _on_register(use: dict[str, Any], day: dt.date, today: dt.date) -> bool:
    live_from = use["go_live"]
    if live_from is None:
        return day >= today - dt.timedelta(days=RECENT_DAYS)
    return bool(live_from <= day)


def write_past_packs(service: RegisterService, today: dt.date) -> int:
    """Record one invented board pack per past quarter; how many were written."""
    config = service.scoring_config()
    uses = service.rows("ai_use")
    risks = service.rows("risk")
    reviews = service.rows("review", order_by="reviewed_on")
    incidents = service.rows("incident")
    challenges = service.rows("challenge")
    records: list[dict[str, Any]] = []
    for day in pack_days(today):
        on = [u for u in uses if _on_register(u, day, today)]
        ids = {u["id"] for u in on}
        judged = {g.use_id: g.gaps for g in register_gaps(service, day, sorted(ids))}
        then: list[dict[str, Any]] = []
        gaps: dict[int, list[str]] = {}
        overdue: set[int] = set()
        for use in on:
            past = dict(use)
            reviewed = [r for r in reviews if r["use_id"] == use["id"] and r["reviewed_on"] <= day]
            if reviewed:  # as the latest review by then saw it
                past["tier"], past["exposure"] = reviewed[-1]["tier"], reviewed[-1]["exposure"]
            last = max(
                [r["reviewed_on"] for r in reviewed]
                + [d for d in (use["last_review"], use["go_live"]) if d is not None and d <= day],
                default=None,
            )
            late = (
                use["stage"] in LIVE
                and past["tier"] != Tier.NOT_ASSESSED.value
                and last is not None
                and add_months(last, config.review_months_for(past["tier"])) < day
            )
            keys = [
                f"{g.rung}|{g.subject}"
                for g in judged.get(use["id"], [])
                if g.rung != "review_overdue"
            ]
            if late:
                overdue.add(use["id"])
                keys.append("review_overdue|")
            gaps[use["id"]] = keys
            then.append(past)
        snapshot = take_snapshot(
            then,
            [r for r in risks if r["use_id"] in ids],
            gaps=gaps,
            overdue=overdue,
            escalated=[
                c["id"]
                for c in challenges
                if c["status"] == "escalated" and c["raised_on"] <= day and c["use_id"] in ids
            ],
            resolved=[
                c["id"]
                for c in challenges
                if c["resolved_on"] is not None and c["resolved_on"] <= day
            ],
            incidents=dict(Counter(i["kind"] for i in incidents if i["occurred_on"] <= day)),
        )
        records.append(
            {
                "exported_at": dt.datetime(day.year, day.month, day.day, 9, tzinfo=dt.UTC),
                "exported_by": ISSUED_BY,
                "file_name": FILE_NAME,
                "snapshot": json.dumps(snapshot, separators=(",", ":"), ensure_ascii=False),
            }
        )
    with service.action() as uow:
        head = audit.last_hash(uow.conn)  # the chain as it stood when these were written
        for record in records:  # oldest first: the newest is the next pack's baseline
            uow.create("board_pack", {**record, "chain_head": head})
    return len(records)
