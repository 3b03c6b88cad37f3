"""The board pack's content, gathered from the register in a few queries.

Layout lives in ``pdf.py``; this module decides *what* the board sees: the numbers of
the executive summary, the points for its attention, what changed since the previous
pack, the heatmaps, the top risks, who is accountable for the High and Critical uses,
the gaps by owner, incidents, framework coverage and the audit chain head.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from sqlalchemy import Connection, func, select

from riskdesk.enums import ChallengeStatus, EUAIActClass, IncidentKind, RiskStatus, Stage, Tier
from riskdesk.reports.coverage import CoverageRow, coverage_rows
from riskdesk.reports.evidence_rows import PackEvidence, pack_evidence
from riskdesk.reports.registerdata import TableRow
from riskdesk.reports.snapshot import (
    Changes,
    PreviousPack,
    TrendPoint,
    compare,
    pack_trend,
    previous_pack,
    take_snapshot,
    trend_point,
)
from riskdesk.scoring.config import DEFAULT_CONFIG, ScoringConfig
from riskdesk.scoring.ladder import Gap, review_due
from riskdesk.service import audit
from riskdesk.service.oversight import iter_register_gaps
from riskdesk.service.register import RegisterService, table_of
from riskdesk.store.models import AuditEvent

Row = dict[str, Any]
Record = Mapping[str, Any]  # a read-only use or risk (``TableRow``, issue 19)

USE_COLUMNS = (
    "id",
    "name",
    "department",
    "stage",
    "tier",
    "exposure",
    "exposure_low",
    "exposure_high",
    "owner_first_id",
    "owner_second_id",
    "owner_third_id",
    "last_review",
    "next_review",
    "eu_ai_act_class",
)
RISK_COLUMNS = (
    "id",
    "use_id",
    "title",
    "inherent_likelihood",
    "inherent_impact",
    "residual_likelihood",
    "residual_impact",
    "treatment",
    "status",
    "owner_id",
    "due_date",
    "accepted_by_id",
    "acceptance_expires",
)
TOP_RISKS = 10
ACCOUNTABLE_LIMIT = 40  # rows of the accountability table before "and N more"
INCIDENT_LIMIT = 30
_TIER_RANK = {t.value: i for i, t in enumerate(Tier)}
OPEN_CHALLENGE = {
    ChallengeStatus.OPEN.value,
    ChallengeStatus.ANSWERED.value,
    ChallengeStatus.ESCALATED.value,
}


@dataclass(frozen=True)
class OwnerGaps:
    owner_id: int | None
    name: str
    title: str
    has_left: bool
    uses_with_gaps: int
    gaps: int
    top: list[tuple[str, int]]  # most frequent gap titles


@dataclass
class BoardPackContent:
    profile: Row
    today: dt.date
    generated_at: dt.datetime  # local time, for people
    actor: str
    register_name: str
    uses: list[Record]
    risks: list[Record]
    people: dict[int, Row]
    gaps: dict[int, list[Gap]]
    incidents: list[Row]
    incidents_all: list[Row]
    open_challenges: int
    previous: PreviousPack | None
    changes: Changes | None
    coverage: list[CoverageRow]
    chain_head: str
    last_event_id: int
    event_count: int
    snapshot: dict[str, Any]
    period_start: dt.date
    config: ScoringConfig = DEFAULT_CONFIG
    escalated: list[Row] = field(default_factory=list)  # challenges escalated, unresolved
    trend: list[TrendPoint] = field(default_factory=list)  # last issued packs, then now
    will_record: bool = True  # the pack will be recorded in board_pack once written
    use_by_id: dict[int, Record] = field(default_factory=dict)
    vendor_agent: Any = None  # issue 17: reports.pdf.vendors_agents.VendorAgentContent
    evidence: PackEvidence | None = None  # issue 18: evidence-backed vs claimed controls

    def __post_init__(self) -> None:
        self.use_by_id = {u["id"]: u for u in self.uses}

    # --- the numbers ----------------------------------------------------------------
    @cached_property
    def live_uses(self) -> list[Record]:
        return [u for u in self.uses if u["stage"] != Stage.RETIRED.value]

    def tier_counts(self) -> dict[str, int]:
        counts = Counter(u["tier"] for u in self.live_uses)
        return {t.value: counts.get(t.value, 0) for t in Tier}

    def unassessed_count(self) -> int:
        """Live uses not fully assessed: their tier and exposure are not known yet."""
        return sum(1 for u in self.live_uses if u["tier"] == Tier.NOT_ASSESSED.value)

    def gap_count(self, rung: str | None = None) -> int:
        return sum(1 for gs in self.gaps.values() for g in gs if rung is None or g.rung == rung)

    def uses_with(self, rung: str) -> list[Record]:
        ids = {uid for uid, gs in self.gaps.items() if any(g.rung == rung for g in gs)}
        return [u for u in self.uses if u["id"] in ids]

    @cached_property
    def open_risks(self) -> list[Record]:
        """Risks that count: not closed, on uses that are not retired."""
        retired = {u["id"] for u in self.uses if u["stage"] == Stage.RETIRED.value}
        return [
            r
            for r in self.risks
            if r["status"] != RiskStatus.CLOSED.value and r["use_id"] not in retired
        ]

    def heatmap(self, stage: str) -> list[list[int]]:
        """Counts of open risks by [likelihood-1][impact-1] for inherent or residual."""
        grid = [[0] * 5 for _ in range(5)]
        like, imp = f"{stage}_likelihood", f"{stage}_impact"
        for r in self.open_risks:
            grid[r[like] - 1][r[imp] - 1] += 1
        return grid

    def top_risks(self, limit: int = TOP_RISKS) -> list[Record]:
        def key(r: Record) -> tuple[int, int, int]:
            use = self.use_by_id.get(r["use_id"], {})
            return (
                -(r["residual_likelihood"] * r["residual_impact"]),
                -(r["inherent_likelihood"] * r["inherent_impact"]),
                # not assessed: its worst case, never a silent 0
                -int(use.get("exposure") or use.get("exposure_high") or 0),
            )

        return sorted(self.open_risks, key=key)[:limit]

    def accountable_uses(self) -> tuple[list[Record], int]:
        """High and Critical uses, most exposed first; (shown, how many more)."""
        rows = [u for u in self.live_uses if u["tier"] in (Tier.HIGH.value, Tier.CRITICAL.value)]
        rows.sort(key=lambda u: (-_TIER_RANK[u["tier"]], -u["exposure"], u["name"]))
        return rows[:ACCOUNTABLE_LIMIT], max(0, len(rows) - ACCOUNTABLE_LIMIT)

    def gaps_by_owner(self) -> list[OwnerGaps]:
        per_owner: dict[int | None, list[list[Gap]]] = defaultdict(list)
        for u in self.uses:
            found = self.gaps.get(u["id"])
            if found:
                per_owner[u["owner_first_id"]].append(found)
        out: list[OwnerGaps] = []
        for owner_id, lists in per_owner.items():
            person = self.people.get(owner_id) if owner_id is not None else None
            titles = Counter(g.title for gs in lists for g in gs)
            out.append(
                OwnerGaps(
                    owner_id,
                    person["name"] if person else "No 1st-line owner named",
                    person["title"] if person else "",
                    bool(person and person["has_left"]),
                    len(lists),
                    sum(len(gs) for gs in lists),
                    titles.most_common(3),
                )
            )
        out.sort(key=lambda o: (-o.gaps, o.name))
        return out

    def incident_counts(self, rows: list[Row]) -> dict[str, int]:
        counts = Counter(i["kind"] for i in rows)
        return {k.value: counts.get(k.value, 0) for k in IncidentKind}

    def prohibited_in_use(self) -> list[Record]:
        return [u for u in self.live_uses if u["eu_ai_act_class"] == EUAIActClass.PROHIBITED.value]

    def review_due(self, use: Record) -> dt.date | None:
        """When the use's review falls due by its tier's cadence (not just the schedule)."""
        months = self.config.review_months_for(use["tier"])
        return review_due(use.get("last_review"), use.get("next_review"), months)

    def acceptance_expired(self, risk: Record) -> bool:
        """An acceptance on record that has lapsed (or never had an end date)."""
        return risk.get("accepted_by_id") is not None and (
            risk.get("acceptance_expires") is None or risk["acceptance_expires"] < self.today
        )

    @property
    def prepared_by(self) -> str:
        """Who answers for the pack: the register's AI champion, else who produced it."""
        return str(self.profile.get("champion_name") or self.actor)

    def person_name(self, person_id: int | None) -> str:
        if person_id is None:
            return ""
        person = self.people.get(person_id)
        return person["name"] if person else f"#{person_id}"


def _select(conn: Connection, entity: str, columns: tuple[str, ...]) -> list[Record]:
    table = table_of(entity)
    stmt = select(*(table.c[c] for c in columns)).order_by(table.c.id)
    # Read-only rows sharing one column index (issue 19: a dict per risk was most of
    # the pack's memory at 100,000 uses).
    index = {c: i for i, c in enumerate(columns)}
    return [TableRow(index, tuple(row)) for row in conn.execute(stmt)]


def _chain(conn: Connection) -> tuple[str, int, int]:
    cols = AuditEvent.__table__.c  # type: ignore[attr-defined]
    last = conn.execute(select(cols.id, cols.hash).order_by(cols.id.desc()).limit(1)).first()
    count = int(conn.execute(select(func.count()).select_from(AuditEvent.__table__)).scalar() or 0)  # type: ignore[attr-defined]
    if last is None:
        return audit.GENESIS, 0, 0
    return str(last.hash), int(last.id), count


def _created(conn: Connection, entity: str) -> dict[int, tuple[int, dt.datetime | None]]:
    """When each record of ``entity`` was put on the register: (audit event id, time).

    "Logged since the last pack" must include an incident logged after the pack but
    dated earlier, or it would never reach the board. The audit event id orders events
    exactly (times are kept to the second).
    """
    cols = AuditEvent.__table__.c  # type: ignore[attr-defined]
    stmt = (
        # type_: SQLite's min() would otherwise hand back the stored text, not a datetime.
        select(cols.entity_id, func.min(cols.id), func.min(cols.at, type_=cols.at.type))
        .where(cols.entity == entity, cols.action == "create")
        .group_by(cols.entity_id)
    )
    out: dict[int, tuple[int, dt.datetime | None]] = {}
    for entity_id, event_id, at in conn.execute(stmt):
        if str(entity_id).isdigit():
            out[int(entity_id)] = (int(event_id), at if isinstance(at, dt.datetime) else None)
    return out


def _since(row: Row, created: dict[int, tuple[int, dt.datetime | None]], mark: int | None) -> bool:
    """Put on the register after the previous pack was issued (audit event ``mark``)."""
    found = created.get(row["id"])
    return mark is not None and found is not None and found[0] > mark


def _challenges(conn: Connection) -> list[Row]:
    table, uses = table_of("challenge"), table_of("ai_use")
    stmt = (
        select(
            table.c.id,
            table.c.use_id,
            table.c.raised_on,
            table.c.resolved_on,
            table.c.status,
            table.c.question,
            table.c.severity,
            table.c.resolution,
            table.c.raised_by_id,
            uses.c.name.label("use_name"),
        )
        .select_from(table.join(uses, uses.c.id == table.c.use_id))
        .order_by(table.c.raised_on, table.c.id)
    )
    return [dict(r) for r in conn.execute(stmt).mappings()]


def gather(svc: RegisterService, today: dt.date | None = None) -> BoardPackContent:
    """Read everything the pack shows, in one read transaction (plus the gap ladder)."""
    today = today or dt.date.today()
    previous = previous_pack(svc)
    with svc.engine.connect() as conn, conn.begin():
        uses = _select(conn, "ai_use", USE_COLUMNS)
        risks = _select(conn, "risk", RISK_COLUMNS)
        people_t = table_of("person")
        people = {p["id"]: dict(p) for p in conn.execute(select(people_t)).mappings()}
        incident_t = table_of("incident")
        incidents_all = [
            dict(i)
            for i in conn.execute(
                select(incident_t).order_by(incident_t.c.occurred_on.desc(), incident_t.c.id)
            ).mappings()
        ]
        challenge_t = table_of("challenge")
        open_challenges = int(
            conn.execute(
                select(func.count())
                .select_from(challenge_t)
                .where(challenge_t.c.status.in_(OPEN_CHALLENGE))
            ).scalar()
            or 0
        )
        logged = _created(conn, "incident")
        raised = _created(conn, "challenge")
        packs = _created(conn, "board_pack")
        challenges = _challenges(conn)
        chain_head, last_event_id, event_count = _chain(conn)
    for incident in incidents_all:
        at = logged.get(incident["id"], (0, None))[1]
        incident["logged_on"] = at.date() if at else incident["occurred_on"]
    config = svc.scoring_config()
    gaps = {g.use_id: g.gaps for g in iter_register_gaps(svc, today) if g.gaps}
    overdue = {uid for uid, gs in gaps.items() if any(g.rung == "review_overdue" for g in gs)}
    left = sorted(pid for pid, p in people.items() if p["has_left"])
    escalated = [ch for ch in challenges if ch["status"] == ChallengeStatus.ESCALATED.value]
    snapshot = take_snapshot(
        uses,
        risks,
        gaps={uid: [f"{g.rung}|{g.subject}" for g in gs] for uid, gs in gaps.items()},
        overdue=overdue,
        people_left=left,
        escalated=[ch["id"] for ch in escalated],
        resolved=[ch["id"] for ch in challenges if ch["status"] == ChallengeStatus.RESOLVED.value],
        incidents=dict(Counter(i["kind"] for i in incidents_all)),
    )
    # "Since the last pack", or the last twelve months for a first pack.
    if previous is not None:
        period_start = previous.exported_at.date()
    else:
        period_start = (
            today.replace(year=today.year - 1)
            if not (today.month == 2 and today.day == 29)
            else today - dt.timedelta(days=365)
        )
    mark = packs.get(previous.id, (0, None))[0] if previous else None
    changes = None
    if previous and previous.snapshot:
        changes = compare(previous.snapshot, snapshot)
        changes.challenges_opened = [ch for ch in challenges if _since(ch, raised, mark)]
        changes.incidents_logged = [i for i in incidents_all if _since(i, logged, mark)]
    if mark is not None:
        incidents = [i for i in incidents_all if _since(i, logged, mark)]
    else:
        incidents = [i for i in incidents_all if i["logged_on"] >= period_start]
    return BoardPackContent(
        profile=svc.profile(),
        today=today,
        generated_at=dt.datetime.now().replace(microsecond=0),
        actor=svc.actor,
        register_name=svc.register.display_name,
        uses=uses,
        risks=risks,
        people=people,
        gaps=gaps,
        incidents=incidents,
        incidents_all=incidents_all,
        open_challenges=open_challenges,
        previous=previous,
        changes=changes,
        coverage=coverage_rows(svc),
        chain_head=chain_head,
        last_event_id=last_event_id,
        event_count=event_count,
        snapshot=snapshot,
        period_start=period_start,
        vendor_agent=_vendor_agent(svc, today),  # issue 17
        evidence=pack_evidence(svc, today),  # issue 18
        config=config,
        escalated=escalated,
        trend=[*pack_trend(svc), trend_point(today, snapshot)],
    )


def _vendor_agent(svc: RegisterService, today: dt.date) -> Any:
    from riskdesk.reports.pdf.vendors_agents import gather_vendor_agent

    return gather_vendor_agent(svc, today)
