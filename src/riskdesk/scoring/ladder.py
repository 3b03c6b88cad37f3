"""The proportional oversight ladder, and the gaps where a use falls short of it.

Oversight scales with exposure — "scaled down, but never to zero" (SR 11-7). Each tier
adds rungs to the one below; a missing rung is a *gap*. Some rungs hold at every tier
because no amount of low exposure excuses them: the lines must be held by different
people, residual risk above appetite needs a named acceptance that has not expired, and
an owner who has left is no owner. Retired uses have no gaps.

Review timing: a review is due at the earlier of the scheduled ``next_review`` and
``last_review`` plus the tier's cadence, so a use whose tier has crept up is reviewed on
its new, shorter cadence even if the old schedule said otherwise. A scheduled date
further out than the cadence allows is its own gap (``review_cadence``) before it ever
becomes overdue.

A use not yet fully assessed (tier "Not assessed") has the ``assessment_missing`` gap
naming the unanswered questions, due ``assessment_days`` after it was recorded. Its
review clock starts at assessment, so it is never "review overdue"; the other rungs
apply from the lowest tier its known answers allow (they are certainly needed).
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from riskdesk.enums import Autonomy, Band, Line, Stage, Tier
from riskdesk.scoring.bands import EXPIRED, MISSING, acceptance_status
from riskdesk.scoring.config import DEFAULT_CONFIG, LADDER_CODES, ScoringConfig


@dataclass(frozen=True)
class Rung:
    code: str  # stable: stored in snapshots and used in filters
    title: str  # the gap's title, shown when the rung is missing
    requirement: str  # what the rung asks for, in plain words
    every_tier: bool  # True: required at every tier, not set by the ladder


RUNGS: list[Rung] = [
    Rung(
        "assessment_missing",
        "Assessment missing",
        "Every exposure question answered within 30 days by default",
        True,
    ),
    Rung("owner_first", "No 1st-line owner", "A named 1st-line owner who runs the use", False),
    Rung(
        "owner_left",
        "Owner has left",
        "Every named owner still works for the organisation",
        True,
    ),
    Rung(
        "independence",
        "Lines not independent",
        "Different people hold the 1st, 2nd and 3rd lines",
        True,
    ),
    Rung(
        "review_overdue",
        "Review overdue",
        "Reviewed on the tier's cadence (12/6/3/1 months by default)",
        False,
    ),
    Rung(
        "review_cadence",
        "Next review too far away",
        "The next review is scheduled within the tier's cadence",
        False,
    ),
    Rung(
        "acceptance_missing",
        "Risk above appetite not accepted",
        "Residual risk above the appetite has a named acceptance",
        True,
    ),
    Rung(
        "acceptance_expired",
        "Risk acceptance expired",
        "Acceptances of residual risk have not expired",
        True,
    ),
    Rung(
        "incident_open",
        "Incident not closed",
        "Incidents followed to closure (owner, root cause, lessons)",
        True,
    ),
    Rung(
        "rereview",
        "Re-review after an incident",
        "A use flagged by an incident is reviewed again",
        True,
    ),
    Rung(
        "owner_second",
        "No 2nd-line reviewer",
        "A named 2nd-line reviewer (risk or compliance)",
        False,
    ),
    Rung("risk_assessed", "No risk assessed", "At least one assessed risk", False),
    Rung(
        "owner_third",
        "No 3rd-line assurance",
        "A named 3rd-line owner (internal audit) for independent assurance",
        False,
    ),
    Rung(
        "challenge",
        "No recorded challenge",
        "A 2nd-line challenge since the last review or within the review cadence",
        False,
    ),
    Rung("rollback_plan", "No rollback plan", "A recorded rollback plan", False),
    Rung("kill_switch", "No kill switch", "A recorded kill switch", False),
    Rung("monitoring", "No monitoring", "Recorded monitoring in operation", False),
    Rung(
        "board_reporting",
        "Not reported to the board",
        "The use is reported to the board",
        False,
    ),
    Rung(
        "permissions_review",
        "Agent permissions not reviewed",
        "Least-privilege review of tools and permissions (agents)",
        False,
    ),
]
RUNGS_BY_CODE: dict[str, Rung] = {r.code: r for r in RUNGS}
assert {r.code for r in RUNGS if not r.every_tier} == set(LADDER_CODES)

AGENT_LEVELS: frozenset[Autonomy] = frozenset(
    {Autonomy.AGENT_READ, Autonomy.AGENT_WRITE_APPROVAL, Autonomy.AGENT_AUTONOMOUS}
)


@dataclass(frozen=True)
class Gap:
    rung: str  # a code from RUNGS
    title: str
    reason: str  # one line, plain words
    tier_required: Tier  # the tier from which the rung applies
    subject: str = ""  # the risk title for per-risk gaps, the line for per-owner gaps
    due: dt.date | None = None  # when the gap must be closed, where the rung sets one


@dataclass(frozen=True)
class GapInputs:
    """What the ladder looks at for one use (built by the service layer)."""

    tier: Tier
    today: dt.date
    owner_first_id: int | None = None
    owner_second_id: int | None = None
    owner_third_id: int | None = None
    owners_left: frozenset[int] | set[int] = frozenset()
    last_review: dt.date | None = None
    next_review: dt.date | None = None
    risk_count: int = 0
    risks_above_appetite_unaccepted: Sequence[str] = field(default_factory=list)
    expired_acceptances: Sequence[str] = field(default_factory=list)
    has_recorded_challenge: bool = False
    # The 1st line of the use's risks (their owners): one of them also holding the
    # use's 2nd or 3rd line would check their own work.
    risk_owner_ids: frozenset[int] = frozenset()
    open_incidents: Sequence[str] = field(default_factory=list)  # titles, not closed
    needs_rereview: bool = False
    rollback_plan: str = ""
    kill_switch: str = ""
    monitoring: str = ""
    board_reporting: bool = False
    autonomy: str = Autonomy.NONE.value
    permissions_reviewed: bool = False
    stage: str = Stage.PRODUCTION.value
    # Not assessed: the unanswered questions (titles), the lowest tier the known answers
    # allow, and when the use was recorded (its assessment is due from then).
    missing_answers: Sequence[str] = ()
    tier_low: Tier | str | None = None
    recorded_on: dt.date | None = None

    @classmethod
    def from_use(
        cls,
        use: Any,
        *,
        today: dt.date,
        risks: Iterable[Any] = (),
        appetite: Band | str = Band.MEDIUM,
        owners_left: Iterable[int] = (),
        has_recorded_challenge: bool = False,
        tier: Tier | str | None = None,
    ) -> GapInputs:
        """Build the inputs from an ``AIUse``-like object and its ``Risk``-like rows.

        ``tier`` defaults to the use's stored tier; pass a freshly scored one when the
        factors have just changed.
        """
        from riskdesk.scoring.exposure import QUESTIONS, ExposureFactors, missing_answers

        risks = list(risks)
        tier = Tier(Tier.parse(tier if tier is not None else use.tier).value)
        missing: list[str] = []
        if tier is Tier.NOT_ASSESSED:
            missing = [QUESTIONS[n] for n in missing_answers(ExposureFactors.from_obj(use))]
        created = getattr(use, "created_at", None)
        recorded = created.date() if isinstance(created, dt.datetime) else created
        unaccepted: list[str] = []
        expired: list[str] = []
        for risk in risks:
            status = acceptance_status(risk, appetite, today)
            if status == MISSING:
                unaccepted.append(risk.title)
            elif status == EXPIRED:
                expired.append(risk.title)
        return cls(
            tier=tier,
            today=today,
            owner_first_id=use.owner_first_id,
            owner_second_id=use.owner_second_id,
            owner_third_id=use.owner_third_id,
            owners_left=frozenset(owners_left),
            last_review=use.last_review,
            next_review=use.next_review,
            risk_count=len(risks),
            risks_above_appetite_unaccepted=unaccepted,
            expired_acceptances=expired,
            has_recorded_challenge=has_recorded_challenge,
            risk_owner_ids=frozenset(
                o for o in (getattr(r, "owner_id", None) for r in risks) if o is not None
            ),
            open_incidents=list(getattr(use, "open_incidents", ())),
            needs_rereview=bool(getattr(use, "needs_rereview", False)),
            rollback_plan=use.rollback_plan,
            kill_switch=use.kill_switch,
            monitoring=use.monitoring,
            board_reporting=use.board_reporting,
            autonomy=use.autonomy,
            permissions_reviewed=use.permissions_reviewed,
            stage=use.stage,
            missing_answers=missing,
            tier_low=getattr(use, "tier_low", None),
            recorded_on=recorded,
        )


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` plus calendar months, clamped to the month's end (31 Jan + 1 → 28/29 Feb)."""
    years, month0 = divmod(day.month - 1 + months, 12)
    year, month = day.year + years, month0 + 1
    last_day = calendar.monthrange(year, month)[1]
    return day.replace(year=year, month=month, day=min(day.day, last_day))


def review_due(
    last_review: dt.date | None, next_review: dt.date | None, months: int
) -> dt.date | None:
    """When a review falls due: the earlier of the schedule and last review + cadence.

    The one rule behind the ``review_overdue`` gap, the Drift page and the dashboard:
    a use whose tier crept up is due on its new, shorter cadence even if the old
    schedule said otherwise. None: never reviewed and nothing scheduled.
    """
    candidates = [d for d in (next_review,) if d is not None]
    if last_review is not None:
        candidates.append(add_months(last_review, months))
    return min(candidates) if candidates else None


def challenge_current(
    last_challenge: dt.date | None,
    last_review: dt.date | None,
    today: dt.date,
    months: int,
) -> bool:
    """Whether the 2nd line has pushed in this cycle, not just once years ago.

    A challenge counts when it was raised on or after the last review, or within one
    review cadence of today (so a review that just closed a cycle's challenges does not
    open a gap the same day).
    """
    if last_challenge is None:
        return False
    if last_review is not None and last_challenge >= last_review:
        return True
    return last_challenge > add_months(today, -months)


def next_review_due(
    tier: Tier | str, from_date: dt.date, config: ScoringConfig = DEFAULT_CONFIG
) -> dt.date:
    """The date a review is next due after one on ``from_date``."""
    return add_months(from_date, config.review_months_for(tier))


def cadence_words(months: int) -> str:
    if months == 1:
        return "every month"
    if months == 12:
        return "every year"
    return f"every {months} months"


_LINE_WORDS: dict[Line, str] = {
    Line.FIRST: "1st-line owner",
    Line.SECOND: "2nd-line reviewer",
    Line.THIRD: "3rd-line owner",
}


def _blank(text: str | None) -> bool:
    return not (text or "").strip()


def find_gaps(inp: GapInputs, config: ScoringConfig = DEFAULT_CONFIG) -> list[Gap]:
    """Every missing rung for one use, in ``RUNGS`` order."""
    if Stage.parse(inp.stage) is Stage.RETIRED:
        return []
    tier = Tier(Tier.parse(inp.tier).value)
    unassessed = tier is Tier.NOT_ASSESSED
    if unassessed:
        # The rungs its known answers already demand; the rest wait for the answers.
        tier = Tier(Tier.parse(inp.tier_low or Tier.LOW).value)
    a_use = f"A use of at least {tier.label} tier" if unassessed else f"A {tier.label}-tier use"
    gaps: list[Gap] = []

    def required(code: str) -> bool:
        return tier.ordinal() >= config.rung_tier(code).ordinal()

    def add(code: str, reason: str, subject: str = "", due: dt.date | None = None) -> None:
        rung = RUNGS_BY_CODE[code]
        needed = Tier.LOW if rung.every_tier else config.rung_tier(code)
        gaps.append(Gap(code, rung.title, reason, needed, subject, due))

    if unassessed:
        recorded = inp.recorded_on or inp.today
        assess_by = recorded + dt.timedelta(days=config.assessment_days)
        when = (
            f"overdue since {assess_by.isoformat()}"
            if assess_by < inp.today
            else f"due {assess_by.isoformat()}"
        )
        questions = ", ".join(inp.missing_answers) or "the exposure questions"
        add(
            "assessment_missing",
            f"Not yet assessed, so its tier is unknown ({when}); still to answer: {questions}.",
            due=assess_by,
        )

    owners = {
        Line.FIRST: inp.owner_first_id,
        Line.SECOND: inp.owner_second_id,
        Line.THIRD: inp.owner_third_id,
    }

    if inp.owner_first_id is None and required("owner_first"):
        add("owner_first", "Nobody is named as the 1st-line owner who runs this use.")

    for line, person in owners.items():
        if person is not None and person in inp.owners_left:
            add(
                "owner_left",
                f"The {_LINE_WORDS[line]} has left the organisation; name a replacement.",
                line.label,
            )

    holders: dict[int, list[Line]] = {}
    for line, person in owners.items():
        if person is not None:
            holders.setdefault(person, []).append(line)
    for person in inp.risk_owner_ids:
        if person in holders and Line.FIRST not in holders[person]:
            holders[person].insert(0, Line.FIRST)  # owns a risk: 1st line on this use
    for lines in holders.values():
        if len(lines) > 1:
            names = " and ".join(line.label for line in lines)
            add(
                "independence",
                f"The same person holds the {names}, so nobody independent checks the work.",
                names,
            )

    months = config.review_months_for(tier)
    cadence = f"a {tier.label}-tier use is reviewed {cadence_words(months)}"
    due = review_due(inp.last_review, inp.next_review, months)
    last = f"last reviewed {inp.last_review.isoformat()}" if inp.last_review else "never reviewed"
    if required("review_overdue") and not unassessed:
        if due is None:
            add("review_overdue", f"Never reviewed and no review scheduled: {cadence}.")
        elif due < inp.today:
            add("review_overdue", f"Review was due on {due.isoformat()} ({last}): {cadence}.")
    overdue = due is None or due < inp.today
    if (
        required("review_cadence")
        and not unassessed
        and not overdue
        and inp.next_review is not None
    ):
        base = inp.last_review or inp.today
        limit = add_months(base, months)
        if inp.next_review > limit:
            add(
                "review_cadence",
                f"Next review is scheduled for {inp.next_review.isoformat()}, but {cadence} "
                f"(by {limit.isoformat()}).",
            )

    for title in inp.risks_above_appetite_unaccepted:
        add(
            "acceptance_missing",
            f"Risk “{title}” stays above the organisation's appetite and nobody has "
            "formally accepted it.",
            title,
        )
    for title in inp.expired_acceptances:
        add(
            "acceptance_expired",
            f"The acceptance of risk “{title}” has expired; renew it or treat the risk.",
            title,
        )

    for title in inp.open_incidents:
        add(
            "incident_open",
            f"Incident “{title}” is not closed: name its owner, find the root cause and "
            "record the lessons learned.",
            title,
        )
    if inp.needs_rereview:
        add(
            "rereview",
            "An incident flagged this use for re-review; record a review to clear it.",
        )

    if inp.owner_second_id is None and required("owner_second"):
        add(
            "owner_second",
            f"{a_use} needs a named 2nd-line reviewer (risk or compliance) to challenge it.",
        )
    if inp.risk_count < 1 and required("risk_assessed"):
        add("risk_assessed", f"{a_use} needs at least one assessed risk; none is recorded.")
    if inp.owner_third_id is None and required("owner_third"):
        add(
            "owner_third",
            f"{a_use} needs a named 3rd-line owner (internal audit) for independent assurance.",
        )
    if not inp.has_recorded_challenge and required("challenge"):
        add(
            "challenge",
            f"{a_use} needs a 2nd-line challenge in every review cycle; none is recorded "
            "since the last review or within the cadence.",
        )
    if _blank(inp.rollback_plan) and required("rollback_plan"):
        add("rollback_plan", "No rollback plan: how would you go back to working without it?")
    if _blank(inp.kill_switch) and required("kill_switch"):
        add("kill_switch", "No kill switch: who can switch it off, and how?")
    if _blank(inp.monitoring) and required("monitoring"):
        add("monitoring", "No monitoring: how would anyone notice it going wrong?")
    if not inp.board_reporting and required("board_reporting"):
        add("board_reporting", f"{a_use} must be reported to the board; it is not.")
    is_agent = Autonomy.parse(inp.autonomy) in AGENT_LEVELS
    if is_agent and not inp.permissions_reviewed and required("permissions_review"):
        add(
            "permissions_review",
            "This agent's tools and permissions have not been checked for least privilege.",
        )
    return gaps


def ladder_table(config: ScoringConfig = DEFAULT_CONFIG) -> list[str]:
    """The ladder as Markdown table rows, for the README and the app's help."""
    rows = ["| Code | Requirement | Required from |", "|---|---|---|"]
    for rung in RUNGS:
        start = "every tier" if rung.every_tier else config.rung_tier(rung.code).label
        rows.append(f"| `{rung.code}` | {rung.requirement} | {start} |")
    return rows
