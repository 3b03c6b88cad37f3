"""Drift: where the register has slid since it was last looked at properly.

Organisations drift toward the unsafe boundary under everyday pressure (Rasmussen), and
the slide is quiet: a score creeps up, a review date passes, an acceptance lapses, a
control stops being tested, an owner leaves. This module finds each of those from the
register and the review snapshots, and lists what falls due in the coming days (the
dashboard's "due soon" and the iCalendar export read the same dates).

Everything is read in a handful of queries, not one per use, so it stays quick on a
10,000-use register. Retired uses are out of scope: nothing is due for them.

A use not yet assessed has no review clock (it starts at assessment): it is never
"review overdue"; its assessment falls due instead, ``assessment_days`` after it was
recorded.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, func, select

from riskdesk.enums import ControlStatus, Line, RiskStatus, Stage, Tier
from riskdesk.scoring import add_months, risk_score
from riskdesk.scoring import review_due as ladder_review_due
from riskdesk.scoring.config import ScoringConfig
from riskdesk.service.governance import read_snapshot, reporting_deadline
from riskdesk.service.register import RegisterService, table_of

# DueItem kinds
REVIEW = "review"
ASSESSMENT = "assessment"
ACCEPTANCE = "acceptance"
CONTROL_TEST = "control_test"
ART73 = "art73"  # a possibly reportable incident's EU AI Act reporting deadline
DUE_LABELS = {
    REVIEW: "Review due",
    ASSESSMENT: "Assessment due",
    ACCEPTANCE: "Acceptance expires",
    CONTROL_TEST: "Control test due",
    ART73: "Art. 73 report due",
}

# DriftItem kinds, in the order the Drift page shows them
RISING = "rising"
REVIEW_OVERDUE = "review_overdue"
REREVIEW = "rereview"
ACCEPTANCE_EXPIRED = "acceptance_expired"
CONTROL_UNTESTED = "control_untested"
OWNER_LEFT = "owner_left"
DRIFT_KINDS: dict[str, str] = {
    RISING: "Risen since last review",
    REVIEW_OVERDUE: "Review overdue",
    REREVIEW: "Flagged for re-review",
    ACCEPTANCE_EXPIRED: "Acceptance expired",
    CONTROL_UNTESTED: "Control not tested",
    OWNER_LEFT: "Owner has left",
}
# Controls in operation are expected to be tested; planned and retired ones are not.
TESTED_STATUSES = (ControlStatus.IMPLEMENTED, ControlStatus.TESTED, ControlStatus.LAPSED)


@dataclass(frozen=True)
class DueItem:
    kind: str  # REVIEW / ASSESSMENT / ACCEPTANCE / CONTROL_TEST
    due: dt.date
    title: str
    detail: str
    entity: str
    entity_id: int
    use_id: int | None
    responsible: str = ""  # who should act (name), if known

    @property
    def label(self) -> str:
        return DUE_LABELS[self.kind]


@dataclass(frozen=True)
class DriftItem:
    kind: str  # a DRIFT_KINDS key
    title: str
    detail: str
    entity: str
    entity_id: int
    use_id: int | None
    since: dt.date | None = None  # when it started (due date, expiry, last review)

    @property
    def label(self) -> str:
        return DRIFT_KINDS[self.kind]


def review_due(use: Any, config: ScoringConfig) -> dt.date | None:
    """When a use's review falls due: the earlier of the schedule and the cadence.

    The same rule as the ladder's ``review_overdue`` gap: a use whose tier crept up is
    due on its new, shorter cadence even if the old schedule said otherwise. None for
    a use not yet assessed: its review clock has not started.
    """
    if use["tier"] == Tier.NOT_ASSESSED.value:
        return None
    return ladder_review_due(
        use["last_review"], use["next_review"], config.review_months_for(use["tier"])
    )


def _live_uses(conn: Connection) -> list[dict[str, Any]]:
    table = table_of("ai_use")
    stmt = select(table).where(table.c.stage != Stage.RETIRED.value).order_by(table.c.id)
    return [dict(r) for r in conn.execute(stmt).mappings()]


def _people(conn: Connection) -> dict[int, dict[str, Any]]:
    table = table_of("person")
    return {r["id"]: dict(r) for r in conn.execute(select(table)).mappings()}


def _name(people: dict[int, dict[str, Any]], person_id: int | None) -> str:
    person = people.get(person_id) if person_id is not None else None
    return person["name"] if person else ""


def _tier_label(tier: str) -> str:
    try:
        return Tier(tier).label
    except ValueError:
        return tier


def _open_risks(conn: Connection, use_ids: set[int]) -> list[dict[str, Any]]:
    table = table_of("risk")
    stmt = select(table).where(table.c.status != RiskStatus.CLOSED.value).order_by(table.c.id)
    return [dict(r) for r in conn.execute(stmt).mappings() if r["use_id"] in use_ids]


def _controls(conn: Connection) -> list[dict[str, Any]]:
    table = table_of("control")
    stmt = (
        select(table)
        .where(table.c.status.in_([s.value for s in TESTED_STATUSES]))
        .order_by(table.c.id)
    )
    return [dict(r) for r in conn.execute(stmt).mappings()]


def _test_due(control: dict[str, Any]) -> dt.date | None:
    if control["last_tested"] is None:
        return None
    return add_months(control["last_tested"], max(1, int(control["test_every_months"] or 12)))


def assessment_due(use: Any, config: ScoringConfig) -> dt.date:
    """When a not-assessed use should be assessed: ``assessment_days`` after recording."""
    created = use["created_at"]
    recorded = created.date() if isinstance(created, dt.datetime) else created
    return recorded + dt.timedelta(days=config.assessment_days)


def _assessment_due(
    use: dict[str, Any], config: ScoringConfig, people: dict[int, dict[str, Any]]
) -> DueItem:
    return DueItem(
        ASSESSMENT,
        assessment_due(use, config),
        f"Assess: {use['name']}",
        "Not yet assessed: answer its exposure questions to give it a tier "
        "(its review clock starts then).",
        "ai_use",
        use["id"],
        use["id"],
        _name(people, use["owner_first_id"]),
    )


def all_due_items(service: RegisterService, today: dt.date | None = None) -> list[DueItem]:
    """Every dated obligation: review due dates, acceptance expiries, control tests.

    Sorted by date. ``today`` only shapes the wording ("flagged for re-review").
    """
    config = service.scoring_config()
    with service.engine.connect() as conn:
        uses = _live_uses(conn)
        people = _people(conn)
        risks = _open_risks(conn, {u["id"] for u in uses})
        controls = _controls(conn)
    names = {u["id"]: u["name"] for u in uses}
    items: list[DueItem] = []
    for use in uses:
        if use["tier"] == Tier.NOT_ASSESSED.value:
            items.append(_assessment_due(use, config, people))
            continue
        due = review_due(use, config)
        if due is None:
            continue
        months = config.review_months_for(use["tier"])
        last = use["last_review"].isoformat() if use["last_review"] else "never"
        detail = (
            f"{_tier_label(use['tier'])}-tier use, reviewed every {months} month"
            f"{'s' if months != 1 else ''}; last review {last}."
        )
        if use["needs_rereview"]:
            detail += " Flagged for re-review after an incident."
        reviewer = use["owner_second_id"] or use["owner_first_id"]
        items.append(
            DueItem(
                REVIEW,
                due,
                f"Review: {use['name']}",
                detail,
                "ai_use",
                use["id"],
                use["id"],
                _name(people, reviewer),
            )
        )
    for risk in risks:
        if risk["accepted_by_id"] is None or risk["acceptance_expires"] is None:
            continue
        items.append(
            DueItem(
                ACCEPTANCE,
                risk["acceptance_expires"],
                f"Acceptance expires: {risk['title']} ({names[risk['use_id']]})",
                f"Accepted by {_name(people, risk['accepted_by_id'])}: "
                f"{risk['acceptance_rationale'] or 'no rationale recorded'}",
                "risk",
                risk["id"],
                risk["use_id"],
                _name(people, risk["accepted_by_id"]),
            )
        )
    for control in controls:
        due = _test_due(control)
        if due is None:
            continue
        items.append(
            DueItem(
                CONTROL_TEST,
                due,
                f"Control test: {control['name']}",
                f"Tested every {control['test_every_months']} months; last tested "
                f"{control['last_tested'].isoformat()}.",
                "control",
                control["id"],
                None,
                _name(people, control["owner_id"]),
            )
        )
    items += _art73_items(service, people)
    items.sort(key=lambda i: (i.due, i.kind, i.entity_id))
    return items


def _art73_items(service: RegisterService, people: dict[int, dict[str, Any]]) -> list[DueItem]:
    """Each possibly reportable incident not yet reported: due until it is (closing one
    needs the report, so the deadline is tracked to closure)."""
    table = table_of("incident")
    stmt = (
        select(table)
        .where(table.c.reportable.is_(True), table.c.reported_on.is_(None))
        .order_by(table.c.id)
    )
    with service.engine.connect() as conn:
        rows = [dict(r) for r in conn.execute(stmt).mappings()]
    items: list[DueItem] = []
    for incident in rows:
        deadline = reporting_deadline(incident)
        if deadline is None:
            continue
        items.append(
            DueItem(
                ART73,
                deadline,
                f"Art. 73 report due: {incident['title']}",
                "May be a serious incident under the EU AI Act (Art. 73): report it to the "
                f"market surveillance authority by {deadline.isoformat()}.",
                "incident",
                incident["id"],
                incident["use_id"],
                _name(people, incident.get("owner_id")),
            )
        )
    return items


def due_within(
    service: RegisterService,
    days: int = 30,
    today: dt.date | None = None,
    *,
    include_overdue: bool = False,
) -> list[DueItem]:
    """What falls due from today through ``days`` days ahead (the dashboard's panel).

    Already-overdue items belong on the Drift page; pass ``include_overdue`` to list
    them here too.
    """
    today = today or dt.date.today()
    end = today + dt.timedelta(days=days)
    return [
        item
        for item in all_due_items(service, today)
        if item.due <= end and (include_overdue or item.due >= today)
    ]


def _last_reviews(conn: Connection) -> dict[int, dict[str, Any]]:
    table = table_of("review")
    stmt = select(table).order_by(table.c.use_id, table.c.reviewed_on, table.c.id)
    last: dict[int, dict[str, Any]] = {}
    for row in conn.execute(stmt).mappings():
        last[row["use_id"]] = dict(row)
    return last


def _rises(use: dict[str, Any], risks: list[dict[str, Any]], review: dict[str, Any]) -> list[str]:
    """What rose since the review, in words; empty when nothing did."""
    changes: list[str] = []
    if (
        use["exposure"] is not None
        and review["exposure"] is not None
        and (use["exposure"] > review["exposure"])
    ):
        move = f"exposure {review['exposure']} → {use['exposure']}"
        if use["tier"] != review["tier"]:
            move += f" ({_tier_label(review['tier'])} → {_tier_label(use['tier'])})"
        changes.append(move)
    snapshot = read_snapshot(review["snapshot"]) or {}
    before = {r.get("id"): r for r in snapshot.get("risks") or [] if isinstance(r, dict)}
    for risk in risks:
        old = before.get(risk["id"])
        if old is None:
            continue
        now = risk_score(risk["residual_likelihood"], risk["residual_impact"])
        was = old.get("residual_score")
        if isinstance(was, int) and now > was:
            changes.append(f"risk “{risk['title']}” residual {was} → {now}")
    return changes


def find_drift(service: RegisterService, today: dt.date | None = None) -> list[DriftItem]:
    """Everything that has drifted, grouped by kind in ``DRIFT_KINDS`` order."""
    today = today or dt.date.today()
    config = service.scoring_config()
    with service.engine.connect() as conn:
        uses = _live_uses(conn)
        people = _people(conn)
        risks = _open_risks(conn, {u["id"] for u in uses})
        controls = _controls(conn)
        last_reviews = _last_reviews(conn)
        incident_t = table_of("incident")
        latest_incident: dict[int, dt.date] = dict(
            conn.execute(
                select(incident_t.c.use_id, func.max(incident_t.c.occurred_on))
                .where(incident_t.c.use_id.is_not(None))
                .group_by(incident_t.c.use_id)
            ).all()
        )
        all_controls = [
            dict(r)
            for r in conn.execute(
                select(table_of("control")).where(
                    table_of("control").c.status != ControlStatus.RETIRED.value
                )
            ).mappings()
        ]
    by_use: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for risk in risks:
        by_use[risk["use_id"]].append(risk)
    names = {u["id"]: u["name"] for u in uses}
    found: dict[str, list[DriftItem]] = {kind: [] for kind in DRIFT_KINDS}

    for use in uses:
        review = last_reviews.get(use["id"])
        if review is not None:
            rises = _rises(use, by_use[use["id"]], review)
            if rises:
                found[RISING].append(
                    DriftItem(
                        RISING,
                        use["name"],
                        "Since the review on "
                        f"{review['reviewed_on'].isoformat()}: " + "; ".join(rises) + ".",
                        "ai_use",
                        use["id"],
                        use["id"],
                        review["reviewed_on"],
                    )
                )
        due = review_due(use, config)
        if use["tier"] != Tier.NOT_ASSESSED.value and (due is None or due < today):
            months = config.review_months_for(use["tier"])
            if due is None:
                detail = "Never reviewed and no review scheduled"
            else:
                detail = f"Due {due.isoformat()} ({(today - due).days} days ago)"
            detail += f"; a {_tier_label(use['tier'])}-tier use is reviewed every {months} "
            detail += "month." if months == 1 else "months."
            found[REVIEW_OVERDUE].append(
                DriftItem(REVIEW_OVERDUE, use["name"], detail, "ai_use", use["id"], use["id"], due)
            )
        if use["needs_rereview"]:
            happened = latest_incident.get(use["id"])
            detail = (
                f"Incident logged for {happened.isoformat()}"
                if happened is not None
                else "Flagged after an incident"
            )
            last = use["last_review"].isoformat() if use["last_review"] else "never"
            found[REREVIEW].append(
                DriftItem(
                    REREVIEW,
                    use["name"],
                    f"{detail}; last review {last}. Review it again.",
                    "ai_use",
                    use["id"],
                    use["id"],
                    happened,
                )
            )

    for risk in risks:
        expires = risk["acceptance_expires"]
        if risk["accepted_by_id"] is None or expires is None or expires >= today:
            continue
        found[ACCEPTANCE_EXPIRED].append(
            DriftItem(
                ACCEPTANCE_EXPIRED,
                f"{risk['title']} ({names[risk['use_id']]})",
                f"Acceptance by {_name(people, risk['accepted_by_id'])} expired "
                f"{expires.isoformat()}; renew it or treat the risk.",
                "risk",
                risk["id"],
                risk["use_id"],
                expires,
            )
        )

    for control in controls:
        due = _test_due(control)
        status = ControlStatus(control["status"])
        if due is not None and due >= today and status is not ControlStatus.LAPSED:
            continue
        if status is ControlStatus.LAPSED:
            detail = "Marked as lapsed"
            detail += f"; last tested {control['last_tested']}." if control["last_tested"] else "."
        elif due is None:
            detail = f"{status.label}, but never tested (test every "
            detail += f"{control['test_every_months']} months)."
        else:
            detail = f"Test was due {due.isoformat()} (tested every "
            detail += f"{control['test_every_months']} months)."
        found[CONTROL_UNTESTED].append(
            DriftItem(
                CONTROL_UNTESTED, control["name"], detail, "control", control["id"], None, due
            )
        )

    left = {pid for pid, p in people.items() if p["has_left"]}
    lines = (
        ("owner_first_id", Line.FIRST),
        ("owner_second_id", Line.SECOND),
        ("owner_third_id", Line.THIRD),
    )
    for use in uses:
        for column, line in lines:
            if use[column] in left:
                found[OWNER_LEFT].append(
                    DriftItem(
                        OWNER_LEFT,
                        use["name"],
                        f"{_name(people, use[column])} ({line.label}) has left; "
                        "name a replacement.",
                        "ai_use",
                        use["id"],
                        use["id"],
                    )
                )
    for risk in risks:
        if risk["owner_id"] in left:
            found[OWNER_LEFT].append(
                DriftItem(
                    OWNER_LEFT,
                    f"{risk['title']} ({names[risk['use_id']]})",
                    f"Risk owner {_name(people, risk['owner_id'])} has left.",
                    "risk",
                    risk["id"],
                    risk["use_id"],
                )
            )
    for control in all_controls:
        if control["owner_id"] in left:
            found[OWNER_LEFT].append(
                DriftItem(
                    OWNER_LEFT,
                    control["name"],
                    f"Control owner {_name(people, control['owner_id'])} has left.",
                    "control",
                    control["id"],
                    None,
                )
            )
    return [item for kind in DRIFT_KINDS for item in found[kind]]


def drift_counts(items: list[DriftItem]) -> dict[str, int]:
    counts = dict.fromkeys(DRIFT_KINDS, 0)
    for item in items:
        counts[item.kind] += 1
    return counts
