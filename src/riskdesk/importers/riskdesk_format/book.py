"""A riskdesk export as read: its tables, records and problems, and the names it uses."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from riskdesk.fileformat.sheets import SHEETS_BY_NAME
from riskdesk.importers.errors import ImportProblem

FORMAT = "riskdesk"
# Record tables in an order in which every reference points at a table already written.
ENTITY_ORDER: tuple[str, ...] = (
    "person",
    "vendor",
    "ai_model",  # issue 17
    "control",
    "ai_use",
    "risk",
    "incident",
    "challenge",
    "review",
    "agent_permission",  # issue 17
    "permission_review",  # issue 17
    "evidence",  # issue 18 (CSV only): revisions, each naming its file by hash
    "evidence_link",
)
# Workbook sheets that hold records, one per table: the first sheet of each (the
# Accountability sheet shows the AI uses again, as a view).
_FIRST_SHEET = {spec.entity: n for n, spec in reversed(SHEETS_BY_NAME.items()) if spec.entity}
RECORD_SHEETS: tuple[str, ...] = tuple(_FIRST_SHEET[e] for e in ENTITY_ORDER if e in _FIRST_SHEET)
# Computed columns that are history, not derivable: kept as exported.
KEPT_COLUMNS = frozenset({"created_at", "updated_at"})
# CSV link tables -> (the table whose records list the links, its key, the other key).
CSV_LINKS: dict[str, tuple[str, str, str]] = {
    "risk_control": ("risk", "risk_id", "control_id"),
    "incident_risk": ("incident", "incident_id", "risk_id"),
}
SUMMARY = "Summary"


@dataclass
class Record:
    """One row of a record table as the service layer takes it."""

    row: int  # 1-based, as the spreadsheet numbers it
    values: dict[str, Any] = field(default_factory=dict)  # field -> value; "id" is the file's
    names: dict[str, str] = field(default_factory=dict)  # reference field -> name shown beside
    links: dict[str, list[int]] = field(default_factory=dict)  # link table -> the other ids


@dataclass
class BookSheet:
    """One record table: a workbook sheet, or one CSV file of the export."""

    name: str  # the sheet's name, or the CSV file's
    entity: str
    headers: list[str]
    letters: list[str]
    columns: dict[str, int]  # field -> index in ``headers``
    records: list[Record] = field(default_factory=list)
    link_fields: dict[str, str] = field(default_factory=dict)  # link table -> its ids column

    def locate(self, name: str) -> tuple[str | None, str | None]:
        """(header, letter) of the column holding field ``name``, if the sheet has it."""
        index = self.columns.get(name)
        if index is None:
            return None, None
        return self.headers[index], self.letters[index]


@dataclass
class RiskdeskBook:
    """A riskdesk export, read: its records per table and what is wrong with them."""

    file: str
    path: Path
    kind: str = "xlsx"  # or "csv"
    sheets: dict[str, BookSheet] = field(default_factory=dict)  # record tables, write order
    profile: dict[str, Any] = field(default_factory=dict)  # organisation profile fields
    settings: dict[str, str] = field(default_factory=dict)  # CSV only: key -> JSON text
    # CSV only (issue 18): evidence files, SHA-256 named -> member path or file
    blobs: dict[str, str] = field(default_factory=dict)
    version: str | None = None
    problems: list[ImportProblem] = field(default_factory=list)
    warnings: list[ImportProblem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def record_count(self) -> int:
        return sum(len(s.records) for s in self.sheets.values())

    def problem(
        self, sheet: str | None, reason: str, row: int | None = None, name: str | None = None
    ) -> ImportProblem:
        """A problem located at ``row`` of ``sheet`` in the column of field ``name``."""
        header = letter = None
        book_sheet = self.sheets.get(sheet or "")
        if book_sheet is not None and name is not None:
            header, letter = book_sheet.locate(name)
        return ImportProblem(
            file=self.file, sheet=sheet, row=row, column=header, column_letter=letter, reason=reason
        )


Grid = list[tuple[Any, ...]]
