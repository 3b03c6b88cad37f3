"""The board pack's content, gathered from the register in a few queries.

Layout lives in ``pdf.py``; this module decides *what* the board sees: the numbers of
the executive summary, the points for its attention, what changed since the previous
pack, the heatmaps, the top risks, who is accountable for the High and Critical uses,
the gaps by owner, incidents, framework coverage and the audit chain head.

Issue 19: uses and risks are streamed, never held as lists: one pass keeps counters,
the top-N lists (``pack_figures``) and the columnar snapshot, and the appendix reads
them again a page at a time while it is laid out.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import Any

from sqlalchemy import Connection, Select, func, select

from riskdesk.enums import Band, ChallengeStatus, IncidentKind, Tier
from riskdesk.reports.coverage import CoverageRow, coverage_rows
from riskdesk.reports.evidence_rows import PackEvidence, pack_evidence
from riskdesk.reports.pack_figures import RiskTally, UseTally
from riskdesk.reports.pack_gaps import RungCounts, rung_counts
from riskdesk.reports.pack_records import chain, created, since
from riskdesk.reports.pack_records import challenges as read_challenges
from riskdesk.reports.snapshot import (
    Changes,
    PreviousPack,
    SnapshotBuilder,
    TrendPoint,
    compare,
    pack_trend,
    previous_pack,
    trend_point,
)
from riskdesk.scoring.config import DEFAULT_CONFIG, ScoringConfig
from riskdesk.scoring.ladder import review_due
from riskdesk.service.oversight import iter_register_gaps
from riskdesk.service.register import RegisterService, table_of

Row = dict[str, Any]
Record = Mapping[str, Any]  # a use or risk row, read-only

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
# What counting a risk reads (``RiskTally``, the snapshot), before its use's columns.
TALLY_RISK_COLUMNS = (
    "id",
    "use_id",
    "inherent_likelihood",
    "inherent_impact",
    "residual_likelihood",
    "residual_impact",
    "status",
)
TOP_RISKS = 10
ACCOUNTABLE_LIMIT = 40  # rows of the accountability table before "and N more"
INCIDENT_LIMIT = 30
LIST_LIMIT = 15  # rows per "what changed" list before "and N more"
STREAM_BATCH = 2000  # rows fetched at a time when streaming uses and risks
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
    use_tally: UseTally  # figures over every use and its gaps (issue 19: no list of rows)
    risk_tally: RiskTally
    people: dict[int, Row]
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
    vendor_agent: Any = None  # issue 17: reports.pdf.vendors_agents.VendorAgentContent
    evidence: PackEvidence | None = None  # issue 18: evidence-backed vs claimed controls
    risk_titles: dict[int, str] = field(default_factory=dict)  # the risks "what changed" lists
    source: RegisterService | None = None  # where the appendix streams its rows from

    # --- the numbers ----------------------------------------------------------------
    @property
    def use_count(self) -> int:
        return self.use_tally.uses

    @property
    def live_count(self) -> int:
        return self.use_tally.live

    @property
    def risk_count(self) -> int:
        return self.risk_tally.risks

    @property
    def open_risk_count(self) -> int:
        """Risks that count: not closed, on uses that are not retired."""
        return self.risk_tally.open

    def residual_band_count(self, b: Band) -> int:
        return self.risk_tally.residual_bands.get(b, 0)

    def tier_counts(self) -> dict[str, int]:
        counts = self.use_tally.tiers
        return {t.value: counts.get(t.value, 0) for t in Tier}

    def unassessed_count(self) -> int:
        """Live uses not fully assessed: their tier and exposure are not known yet."""
        return self.use_tally.unassessed

    def gap_count(self, rung: str | None = None) -> int:
        by_rung = self.use_tally.gaps_by_rung
        return sum(by_rung.values()) if rung is None else by_rung.get(rung, 0)

    def uses_with(self, rung: str) -> int:
        """How many uses have a gap of ``rung``."""
        return self.use_tally.uses_by_rung.get(rung, 0)

    def gaps_of(self, use_id: int) -> int:
        return self.use_tally.gap_counts.get(use_id, 0)

    @cached_property
    def use_names(self) -> dict[int, str]:
        """Every use's name by id, sharing the snapshot's strings."""
        uses = self.snapshot["uses"]
        return dict(zip(uses["id"], uses["name"], strict=True))

    def heatmap(self, stage: str) -> list[list[int]]:
        """Counts of open risks by [likelihood-1][impact-1] for inherent or residual."""
        return self.risk_tally.grids[stage]

    def top_risks(self) -> list[Record]:
        """The open risks with the highest residual score (each with its ``use_name``)."""
        return self.risk_tally.top.result()

    def accountable_uses(self) -> tuple[list[Record], int]:
        """High and Critical uses, most exposed first; (shown, how many more)."""
        top = self.use_tally.accountable
        shown = top.result()
        return shown, max(0, top.count - len(shown))

    def gaps_by_owner(self) -> list[OwnerGaps]:
        out: list[OwnerGaps] = []
        for owner_id, tally in self.use_tally.owners.items():
            person = self.people.get(owner_id) if owner_id is not None else None
            out.append(
                OwnerGaps(
                    owner_id,
                    person["name"] if person else "No 1st-line owner named",
                    person["title"] if person else "",
                    bool(person and person["has_left"]),
                    tally.uses,
                    tally.gaps,
                    tally.titles.most_common(3),
                )
            )
        out.sort(key=lambda o: (-o.gaps, o.name))
        return out

    def incident_counts(self, rows: list[Row]) -> dict[str, int]:
        counts = Counter(i["kind"] for i in rows)
        return {k.value: counts.get(k.value, 0) for k in IncidentKind}

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

    # --- the appendix, streamed -------------------------------------------------------
    def iter_uses(self) -> Iterator[Record]:
        """Every use in id order, read as the appendix is laid out (a page at a time)."""
        table = table_of("ai_use")
        yield from _stream(self, select(*(table.c[c] for c in USE_COLUMNS)).order_by(table.c.id))

    def iter_risks(self) -> Iterator[Record]:
        """Every risk in id order with its use's name (``use_name``), streamed."""
        yield from _stream(self, _risk_select())


def _stream(content: BoardPackContent, stmt: Select[Any]) -> Iterator[Record]:
    if content.source is None:
        return
    with content.source.engine.connect() as conn:
        result = conn.execution_options(yield_per=STREAM_BATCH).execute(stmt)
        keys = list(result.keys())
        for row in result:
            yield dict(zip(keys, row, strict=True))


def _risk_select(columns: tuple[str, ...] = RISK_COLUMNS, named: bool = True) -> Select[Any]:
    """Risks in id order, each with its use's name, stage and exposure (outer join: a risk
    whose use is missing still counts, as open and unexposed)."""
    risk, use = table_of("risk"), table_of("ai_use")
    return (
        select(
            *(risk.c[c] for c in columns),
            *([use.c.name.label("use_name")] if named else []),
            use.c.stage.label("use_stage"),
            use.c.exposure.label("use_exposure"),
            use.c.exposure_high.label("use_exposure_high"),
        )
        .select_from(risk.outerjoin(use, use.c.id == risk.c.use_id))
        .order_by(risk.c.id)
    )


def _tally_uses(
    conn: Connection,
    svc: RegisterService,
    today: dt.date,
    tally: UseTally,
    snap: SnapshotBuilder,
    counted: Iterator[tuple[int, RungCounts]] | None,
) -> None:
    """One streamed pass over the uses, each met with its gaps: ``counted`` per rung in
    SQL (``pack_gaps``), or else judged a batch at a time by ``iter_register_gaps`` on
    the same read connection, in the same id order."""
    table = table_of("ai_use")
    stmt = select(*(table.c[c] for c in USE_COLUMNS)).order_by(table.c.id)
    result = conn.execution_options(yield_per=STREAM_BATCH).execute(stmt)
    keys = list(result.keys())
    if counted is not None:
        pending_count = next(counted, None)
        for row in result:
            use = dict(zip(keys, row, strict=True))
            while pending_count is not None and pending_count[0] < use["id"]:
                pending_count = next(counted, None)
            found: RungCounts = ()
            if pending_count is not None and pending_count[0] == use["id"]:
                found = pending_count[1]
            tally.add_counted(use, found)
            snap.add_use(use, None, any(rung == "review_overdue" for rung, _t, _n in found))
        return
    judged = iter_register_gaps(svc, today, conn=conn)
    pending = next(judged, None)
    try:
        for row in result:
            # A dict per row, dropped once counted: its lookups are the cheapest.
            use = dict(zip(keys, row, strict=True))
            while pending is not None and pending.use_id < use["id"]:
                pending = next(judged, None)
            gaps = pending.gaps if pending is not None and pending.use_id == use["id"] else []
            tally.add(use, gaps)
            snap.add_use(
                use,
                [f"{g.rung}|{g.subject}" for g in gaps],
                any(g.rung == "review_overdue" for g in gaps),
            )
    finally:
        close = getattr(judged, "close", None)
        if close is not None:
            close()  # the generator, if it was not used up


def _tally_risks(conn: Connection, tally: RiskTally, snap: SnapshotBuilder) -> None:
    """Every risk counted and put in the snapshot, reading only the columns that takes
    (issue 19: text and dates of 500,000 risks cost more to read than to count); the
    few that make the top list are then read in full."""
    stmt = _risk_select(TALLY_RISK_COLUMNS, named=False)
    result = conn.execution_options(yield_per=STREAM_BATCH).execute(stmt)
    keys = list(result.keys())
    for rows in result.partitions():  # a batch at a time, each row a plain tuple
        tally.add_rows(rows, keys)
        snap.add_risk_rows(rows, keys)
    top = tally.top
    shown = top.result()
    if shown:
        ids = [r["id"] for r in shown]
        full = conn.execute(_risk_select().where(table_of("risk").c.id.in_(ids))).mappings()
        by_id = {r["id"]: dict(r) for r in full}
        top.items = [by_id[i] for i in ids]


def _risk_titles(conn: Connection, changes: Changes | None) -> dict[int, str]:
    """Titles of the risks "what changed" lists by name (the first ``LIST_LIMIT`` of each)."""
    if changes is None:
        return {}
    ids = [r.risk_id for r in (*changes.risks_up[:LIST_LIMIT], *changes.risks_down[:LIST_LIMIT])]
    if not ids:
        return {}
    table = table_of("risk")
    stmt = select(table.c.id, table.c.title).where(table.c.id.in_(ids))
    return {int(i): str(t) for i, t in conn.execute(stmt)}


def gather(
    svc: RegisterService, today: dt.date | None = None, *, gap_keys: bool = True
) -> BoardPackContent:
    """Read everything the pack shows, in one read transaction.

    Uses and risks stream past once into counters, the top-N lists and the snapshot
    (issue 19); the appendix reads them again, a page at a time, as it is laid out.
    ``gap_keys``: the snapshot keeps every gap (the pack is to be issued). Without
    it, and with no previous snapshot of gaps to compare with, the gaps are only
    counted, in SQL where the register allows (``pack_gaps``)."""
    today = today or dt.date.today()
    previous = previous_pack(svc)
    compared = previous is not None and "gaps" in previous.snapshot.get("uses", {})
    use_tally, risk_tally = UseTally(ACCOUNTABLE_LIMIT), RiskTally(TOP_RISKS)
    with svc.engine.connect() as conn, conn.begin():
        counted = None if gap_keys or compared else rung_counts(conn, today)
        snap = SnapshotBuilder(gaps=counted is None, overdue=True)
        _tally_uses(conn, svc, today, use_tally, snap, counted)
        _tally_risks(conn, risk_tally, snap)
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
        logged = created(conn, "incident")
        raised = created(conn, "challenge")
        packs = created(conn, "board_pack")
        challenges = read_challenges(conn)
        chain_head, last_event_id, event_count = chain(conn)
        for incident in incidents_all:
            at = logged.get(incident["id"], (0, None))[1]
            incident["logged_on"] = at.date() if at else incident["occurred_on"]
        left = sorted(pid for pid, p in people.items() if p["has_left"])
        escalated = [ch for ch in challenges if ch["status"] == ChallengeStatus.ESCALATED.value]
        snapshot = snap.finish(
            people_left=left,
            escalated=[ch["id"] for ch in escalated],
            resolved=[
                ch["id"] for ch in challenges if ch["status"] == ChallengeStatus.RESOLVED.value
            ],
            incidents=dict(Counter(i["kind"] for i in incidents_all)),
        )
        mark = packs.get(previous.id, (0, None))[0] if previous else None
        changes = None
        if previous and previous.snapshot:
            changes = compare(previous.snapshot, snapshot)
            changes.challenges_opened = [ch for ch in challenges if since(ch, raised, mark)]
            changes.incidents_logged = [i for i in incidents_all if since(i, logged, mark)]
            previous = replace(previous, snapshot={})  # compared: not kept through the layout
        risk_titles = _risk_titles(conn, changes)
    config = svc.scoring_config()
    # "Since the last pack", or the last twelve months for a first pack.
    if previous is not None:
        period_start = previous.exported_at.date()
    else:
        period_start = (
            today.replace(year=today.year - 1)
            if not (today.month == 2 and today.day == 29)
            else today - dt.timedelta(days=365)
        )
    if mark is not None:
        incidents = [i for i in incidents_all if since(i, logged, mark)]
    else:
        incidents = [i for i in incidents_all if i["logged_on"] >= period_start]
    return BoardPackContent(
        profile=svc.profile(),
        today=today,
        generated_at=dt.datetime.now().replace(microsecond=0),
        actor=svc.actor,
        register_name=svc.register.display_name,
        use_tally=use_tally,
        risk_tally=risk_tally,
        people=people,
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
        # the gaps counted, also where the snapshot does not keep them
        trend=[*pack_trend(svc), replace(trend_point(today, snapshot), gaps=use_tally.gap_total)],
        risk_titles=risk_titles,
        source=svc,
    )


def _vendor_agent(svc: RegisterService, today: dt.date) -> Any:
    from riskdesk.reports.pdf.vendors_agents import gather_vendor_agent

    return gather_vendor_agent(svc, today)
