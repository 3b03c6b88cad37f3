"""The register as an export reads it: tables streamed a batch at a time, small lookups.

Issue 19: an export must not hold the register in memory (100,000 uses and half a
million risks were over a gigabyte). Each sheet is read straight from SQL, ``batch``
rows at a time (``yield_per``: a server-side cursor on PostgreSQL), inside the export's
one read transaction; what rows refer to — person, vendor, model and use names, per-use
and per-vendor counts — is read once into ``Lookups``. The Summary's figures are SQL
aggregates (``RegisterCounts``), not counts of lists.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import ColumnElement, Connection, func, select

from riskdesk import enums
from riskdesk.reports.evidence_rows import EvidenceFigures, load_evidence
from riskdesk.scoring.bands import band
from riskdesk.service import audit
from riskdesk.service.register import RegisterService, table_of
from riskdesk.service.vendors import people_text

Row = Mapping[str, Any]
BATCH = 2000  # rows per fetch: big enough to amortise a round trip, small in memory


class TableRow(Mapping[str, Any]):
    """One record, read-only: its values in a tuple, its column names shared by the
    table (issue 19: a dict per row was most of an export's memory at 100,000 uses —
    500,000 risks of 20 keys each)."""

    __slots__ = ("_index", "_values")

    def __init__(self, index: dict[str, int], values: Sequence[Any]) -> None:
        self._index, self._values = index, values

    def __getitem__(self, key: str) -> Any:
        return self._values[self._index[key]]

    def __iter__(self) -> Iterator[str]:
        return iter(self._index)

    def __len__(self) -> int:
        return len(self._index)

    def __repr__(self) -> str:
        return repr(dict(self))


@contextlib.contextmanager
def one_read(service: RegisterService) -> Iterator[Connection]:
    """The export's read transaction: every table read in it shows the same moment."""
    with service.engine.connect() as conn, conn.begin():
        yield conn


def read_table(conn: Connection, entity: str) -> list[Row]:
    """A whole (small) table: for catalogues such as people, vendors and controls."""
    table = table_of(entity)
    result = conn.execute(select(table).order_by(*table.primary_key.columns))
    index = {name: i for i, name in enumerate(result.keys())}
    return [TableRow(index, tuple(r)) for r in result]


@dataclass
class Batch:
    """Consecutive records of one table in primary-key order: values by column position."""

    index: dict[str, int]  # column name -> position in each row
    rows: Sequence[Sequence[Any]]


def stream_table(conn: Connection, entity: str, batch: int = BATCH) -> Iterator[Batch]:
    """Every record of ``entity`` in id order, ``batch`` at a time."""
    table = table_of(entity)
    # on the statement, not the connection: Connection.execution_options sets it for good
    stmt = select(table).order_by(*table.primary_key.columns).execution_options(yield_per=batch)
    result = conn.execute(stmt)
    index = {name: i for i, name in enumerate(result.keys())}
    for part in result.partitions():
        yield Batch(index, part)


def links_for(
    conn: Connection, entity: str, key: str, other: str, ids: Iterable[int]
) -> dict[int, list[int]]:
    """``key`` -> its ``other`` ids in a link table, for one batch of records."""
    table = table_of(entity)
    ids = list(ids)
    out: dict[int, list[int]] = defaultdict(list)
    if not ids:
        return out
    where: ColumnElement[bool] = table.c[key].between(min(ids), max(ids))
    rows = conn.execute(
        select(table.c[key], table.c[other]).where(where).order_by(table.c[key], table.c[other])
    )
    for a, b in rows:
        out[a].append(b)
    return out


def _names(conn: Connection, entity: str) -> dict[int, str]:
    table = table_of(entity)
    return {i: n for i, n in conn.execute(select(table.c.id, table.c.name))}


def _count(conn: Connection, entity: str) -> int:
    return int(conn.execute(select(func.count()).select_from(table_of(entity))).scalar() or 0)


@dataclass
class RegisterCounts:
    """The Summary's figures, from SQL aggregates."""

    uses: int = 0
    by_stage: Counter[str] = field(default_factory=Counter)
    live_by_tier: Counter[str] = field(default_factory=Counter)  # uses not retired
    risks: int = 0
    residual_bands: Counter[enums.Band] = field(default_factory=Counter)
    tables: dict[str, int] = field(default_factory=dict)  # entity -> rows

    @property
    def live(self) -> int:
        return sum(self.live_by_tier.values())


def register_counts(conn: Connection) -> RegisterCounts:
    counts = RegisterCounts()
    uses, risks = table_of("ai_use"), table_of("risk")
    stmt = select(uses.c.stage, uses.c.tier, func.count()).group_by(uses.c.stage, uses.c.tier)
    for stage, tier, n in conn.execute(stmt):
        counts.uses += n
        counts.by_stage[stage] += n
        if stage != enums.Stage.RETIRED.value:
            counts.live_by_tier[tier] += n
    like, imp = risks.c.residual_likelihood, risks.c.residual_impact
    for likelihood, impact, n in conn.execute(select(like, imp, func.count()).group_by(like, imp)):
        counts.risks += n
        counts.residual_bands[band(likelihood * impact)] += n
    for entity in (
        "control",
        "person",
        "vendor",
        "incident",
        "challenge",
        "ai_model",
        "agent_permission",
    ):
        counts.tables[entity] = _count(conn, entity)
    return counts


@dataclass(frozen=True)
class Dependents:
    """A vendor's concentration figures (issue 17), summed over every use."""

    uses: int = 0
    people: int = 0  # over the uses whose reach is known
    high_or_critical: int = 0
    no_fallback: int = 0
    people_unknown: int = 0  # uses whose reach nobody gave: ``people`` is at least

    @property
    def people_cell(self) -> int | str:
        """The sheet's cell: the number when every use's reach is known, else in words
        ("at least 12,400 (3 uses unknown)", "Unknown"), never a bare floor."""
        if not self.people_unknown:
            return self.people
        return people_text(self.people, self.people_unknown, self.uses)


@dataclass
class Lookups:
    """What the sheets' rows refer to, keyed by id; no list of uses or risks."""

    profile: Row
    chain_head: str
    today: dt.date
    person_name: dict[int, str]
    vendor_name: dict[int, str]
    model_name: dict[int, str]
    use_name: dict[int, str]
    uses_per_vendor: dict[int, int]
    dependents: dict[int, Dependents]
    evidence: EvidenceFigures
    counts: RegisterCounts
    gap_count: dict[int, int] = field(default_factory=dict)  # use id -> open gaps

    @property
    def open_gaps(self) -> int:
        return sum(self.gap_count.values())


def _use_figures(
    conn: Connection, batch: int
) -> tuple[dict[int, str], dict[int, int], dict[int, Dependents]]:
    """Use names, uses per vendor, and the vendors' concentration, in one pass over the
    uses' few columns. ``concentration_of`` keeps every dependent use; run per batch,
    its per-vendor sums are added up instead (they are sums over uses)."""
    from riskdesk.service.vendors import _USE_COLUMNS, concentration_of

    uses_t, vendor_t, model_t = table_of("ai_use"), table_of("vendor"), table_of("ai_model")
    vendors = {r.id: r for r in conn.execute(select(vendor_t))}
    models = {r.id: r for r in conn.execute(select(model_t))}
    names: dict[int, str] = {}
    per_vendor: Counter[int] = Counter()
    sums: dict[int, list[int]] = {}
    stmt = select(*(uses_t.c[n] for n in _USE_COLUMNS)).order_by(uses_t.c.id)
    for part in conn.execute(stmt.execution_options(yield_per=batch)).partitions():
        for use in part:
            names[use.id] = use.name
            if use.vendor_id is not None:
                per_vendor[use.vendor_id] += 1
        for p in concentration_of(part, vendors, models).providers:
            assert p.vendor_id is not None  # providers are vendors
            s = sums.setdefault(p.vendor_id, [0, 0, 0, 0, 0])
            s[0] += p.uses
            s[1] += p.people
            s[2] += p.high_or_critical
            s[3] += p.no_fallback
            s[4] += p.people_unknown
    return names, dict(per_vendor), {v: Dependents(*s) for v, s in sums.items()}


def read_lookups(
    service: RegisterService, conn: Connection, today: dt.date, batch: int = BATCH
) -> Lookups:
    """The lookups, read in the export's transaction ``conn``."""
    use_name, per_vendor, dependents = _use_figures(conn, batch)
    return Lookups(
        profile=service.profile(),
        chain_head=audit.last_hash(conn),
        today=today,
        person_name=_names(conn, "person"),
        vendor_name=_names(conn, "vendor"),
        model_name=_names(conn, "ai_model"),
        use_name=use_name,
        uses_per_vendor=per_vendor,
        dependents=dependents,
        evidence=load_evidence(service, conn, read_table(conn, "control"), today),  # issue 18
        counts=register_counts(conn),
    )
