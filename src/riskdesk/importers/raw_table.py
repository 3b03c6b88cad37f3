"""The plain table a file is read into, and finding its header row.

Shared by the workbook and text readers: cells are cleaned the same way (whitespace
and invisible characters stripped, a midnight date-time made a date), and the header
is the row among the first ones that looks most like one.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeGuard

from openpyxl.utils import get_column_letter

from riskdesk.importers.errors import ImportFileError, ImportProblem

Cell = str | int | float | bool | dt.date | dt.datetime | dt.time | None
HeaderTest = Callable[[str], bool]

HEADER_SCAN_ROWS = 30
_NUMBER_TEXT = re.compile(r"[-+]?[\d.,\s%]+")
INVISIBLE = "\ufeff\u200b\u200c\u200d\u2060"


@dataclass(slots=True)
class RawRow:
    number: int  # 1-based row as the spreadsheet shows it
    values: list[Cell]  # one per ``RawTable.headers``


@dataclass
class RawTable:
    """One sheet (or CSV file) with its header found and empty rows dropped."""

    file: str  # the file's name, for messages
    path: Path
    sheet: str | None  # None for CSV
    headers: list[str]  # unique, whitespace collapsed; "Column F" where the header is blank
    letters: list[str]  # each header's column letter in the source
    header_row: int
    rows: list[RawRow] = field(default_factory=list)
    encoding: str | None = None  # CSV only
    delimiter: str | None = None  # CSV only
    # (row number, header index) -> "=formula" ("" if its text is not in the cell) for
    # each empty cell that holds a formula with no value saved (workbooks only)
    formulas: dict[tuple[int, int], str] = field(default_factory=dict)

    def problem(
        self, reason: str, row: int | None = None, column: int | None = None
    ) -> ImportProblem:
        """An ``ImportProblem`` located in this table (``column`` is a header index)."""
        return ImportProblem(
            file=self.file,
            sheet=self.sheet,
            row=row,
            column=None if column is None else self.headers[column],
            column_letter=None if column is None else self.letters[column],
            reason=reason,
        )


def file_error(path: Path, reason: str) -> ImportFileError:
    return ImportFileError(ImportProblem(file=path.name, reason=reason))


def clean_cell(value: object) -> Cell:
    if isinstance(value, str):
        text = value.strip().strip(INVISIBLE).strip()
        if "\r" in text:
            text = text.replace("\r\n", "\n").replace("\r", "\n")
        return text or None
    if isinstance(value, dt.datetime):
        # Excel stores every date as a date-time; midnight means "just a date".
        return value.date() if value.time() == dt.time() else value
    if value is None or isinstance(value, int | float | dt.date | dt.time):
        return value
    return str(value).strip() or None


def clean_row(values: Sequence[object]) -> list[Cell]:
    row = [clean_cell(v) for v in values]
    while row and row[-1] is None:
        row.pop()
    return row


def header_text(value: Cell, letter: str) -> str:
    if value is None:
        return f"Column {letter}"
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return " ".join(str(value).split())


def _is_label(value: Cell) -> TypeGuard[str]:
    return isinstance(value, str) and not _NUMBER_TEXT.fullmatch(value)


def find_header(grid: list[list[Cell]], known_header: HeaderTest | None) -> tuple[int, int] | None:
    """(index of the header row, how many of its cells are known headers), or None.

    Candidates are rows among the first non-empty ones with at least half as many
    distinct text cells as the widest row (distinct, so a merged title repeated across
    the columns does not count); the one with most known headers wins, else the first.
    """
    scanned: list[tuple[int, list[Cell]]] = []
    for i, row in enumerate(grid):
        if any(v is not None for v in row):
            scanned.append((i, row))
            if len(scanned) == HEADER_SCAN_ROWS:
                break
    if not scanned:
        return None
    widest = max(len({v for v in row if v is not None}) for _, row in scanned)
    need = 1 if widest < 2 else max(2, math.ceil(widest / 2))
    candidates = []
    for i, row in scanned:
        labels = {" ".join(v.split()) for v in row if _is_label(v)}
        if len(labels) >= need:
            known = sum(1 for v in labels if known_header(v)) if known_header else 0
            candidates.append((known, -i))
    if not candidates:
        return scanned[0][0], 0
    known, neg_index = max(candidates)
    if known == 0:
        return -max(c[1] for c in candidates), 0  # the first candidate
    return -neg_index, known


def build_table(
    grid: list[list[Cell]],
    path: Path,
    sheet: str | None,
    known_header: HeaderTest | None,
    formulas: dict[tuple[int, int], str] | None = None,
) -> RawTable:
    formulas = formulas or {}
    found = find_header(grid, known_header)
    if found is None:
        what = "file" if sheet is None else "sheet"
        raise ImportFileError(
            ImportProblem(file=path.name, sheet=sheet, reason=f"the {what} is empty")
        )
    header_index = found[0]
    header = grid[header_index]
    formula_rows = {r for r, _ in formulas}
    formula_columns = {c - 1 for r, c in formulas if r > header_index + 1}
    body = [
        (i + 1, row)
        for i, row in enumerate(grid)
        if i > header_index and (row or i + 1 in formula_rows)
    ]
    width = max([len(header), *(len(row) for _, row in body), *(c + 1 for c in formula_columns)])
    used = [
        c
        for c in range(width)
        if (c < len(header) and header[c] is not None)
        or c in formula_columns
        or any(c < len(row) and row[c] is not None for _, row in body)
    ]
    letters = [get_column_letter(c + 1) for c in used]
    headers: list[str] = []
    seen: set[str] = set()
    for c, letter in zip(used, letters, strict=True):
        text = header_text(header[c] if c < len(header) else None, letter)
        if text.casefold() in seen:
            text = f"{text} ({letter})"
        seen.add(text.casefold())
        headers.append(text)
    rows = []
    kept_formulas: dict[tuple[int, int], str] = {}
    for number, row in body:
        values = [row[c] if c < len(row) else None for c in used]
        row_formulas = (
            {
                (number, i): formulas[(number, c + 1)]
                for i, c in enumerate(used)
                if values[i] is None and (number, c + 1) in formulas
            }
            if number in formula_rows
            else {}
        )
        if row_formulas or any(v is not None for v in values):
            rows.append(RawRow(number, values))
            kept_formulas.update(row_formulas)
    return RawTable(
        file=path.name,
        path=path,
        sheet=sheet,
        headers=headers,
        letters=letters,
        header_row=header_index + 1,
        rows=rows,
        formulas=kept_formulas,
    )
