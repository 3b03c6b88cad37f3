"""The register read once for an export: every table in a few queries, lookups by id.

Exports read a consistent picture (one connection, one read transaction) and never
query per row, so a 10,000-use register is read in well under a second.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, select

from riskdesk.reports.evidence_rows import EvidenceFigures, load_evidence
from riskdesk.service import audit
from riskdesk.service.oversight import UseGaps, register_gaps
from riskdesk.service.register import RegisterService, table_of

Row = Mapping[str, Any]


class TableRow(Mapping[str, Any]):
    """One record, read-only: its values in a tuple, its column names shared by the
    table (issue 19: a dict per row was most of an export's memory at 100,000 uses —
    500,000 risks of 20 keys each)."""

    __slots__ = ("_index", "_values")

    def __init__(self, index: dict[str, int], values: tuple[Any, ...]) -> None:
        self._index, self._values = index, values

    def __getitem__(self, key: str) -> Any:
        return self._values[self._index[key]]

    def __iter__(self) -> Iterator[str]:
        return iter(self._index)

    def __len__(self) -> int:
        return len(self._index)

    def __repr__(self) -> str:
        return repr(dict(self))


def read_table(conn: Connection, entity: str) -> list[Row]:
    table = table_of(entity)
    result = conn.execute(select(table).order_by(*table.primary_key.columns))
    index = {name: i for i, name in enumerate(result.keys())}
    return [TableRow(index, tuple(r)) for r in result]


@dataclass
class RegisterData:
    """Everything the workbook shows, keyed for fast lookups."""

    profile: Row
    people: list[Row]
    vendors: list[Row]
    uses: list[Row]
    risks: list[Row]
    controls: list[Row]
    incidents: list[Row]
    challenges: list[Row]
    risk_controls: dict[int, list[int]]
    incident_risks: dict[int, list[int]]
    chain_head: str
    today: dt.date
    gaps: list[UseGaps] = field(default_factory=list)
    models: list[Row] = field(default_factory=list)  # issue 17
    permissions: list[Row] = field(default_factory=list)  # issue 17
    evidence: EvidenceFigures = field(default_factory=EvidenceFigures)  # issue 18
    person_name: dict[int, str] = field(default_factory=dict)
    vendor_name: dict[int, str] = field(default_factory=dict)
    use_name: dict[int, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.person_name = {p["id"]: p["name"] for p in self.people}
        self.vendor_name = {v["id"]: v["name"] for v in self.vendors}
        self.use_name = {u["id"]: u["name"] for u in self.uses}

    def row_counts(self) -> dict[str, int]:
        return {
            "uses": len(self.uses),
            "risks": len(self.risks),
            "controls": len(self.controls),
            "people": len(self.people),
            "vendors": len(self.vendors),
            "incidents": len(self.incidents),
            "challenges": len(self.challenges),
            "gaps": sum(len(g.gaps) for g in self.gaps),
            "models": len(self.models),
            "permissions": len(self.permissions),
            "evidence": len(self.evidence.rows),
        }


def _links(conn: Connection, entity: str, key: str, other: str) -> dict[int, list[int]]:
    table = table_of(entity)
    out: dict[int, list[int]] = defaultdict(list)
    for a, b in conn.execute(select(table.c[key], table.c[other]).order_by(table.c[key])):
        out[a].append(b)
    return dict(out)


def load_register(service: RegisterService, today: dt.date | None = None) -> RegisterData:
    today = today or dt.date.today()
    with service.engine.connect() as conn, conn.begin():
        data = RegisterData(
            profile=service.profile(),
            people=read_table(conn, "person"),
            vendors=read_table(conn, "vendor"),
            uses=read_table(conn, "ai_use"),
            risks=read_table(conn, "risk"),
            controls=read_table(conn, "control"),
            incidents=read_table(conn, "incident"),
            challenges=read_table(conn, "challenge"),
            risk_controls=_links(conn, "risk_control", "risk_id", "control_id"),
            incident_risks=_links(conn, "incident_risk", "incident_id", "risk_id"),
            chain_head=audit.last_hash(conn),
            today=today,
            models=read_table(conn, "ai_model"),  # issue 17
            permissions=read_table(conn, "agent_permission"),  # issue 17
        )
        data.evidence = load_evidence(service, conn, data.controls, today)  # issue 18
    data.gaps = register_gaps(service, today)
    return data
