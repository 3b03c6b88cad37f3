"""The record tables of an export, sheet by sheet (workbook) or file by file (CSV)."""

from __future__ import annotations

from typing import Any

from openpyxl.utils import get_column_letter

from riskdesk.fileformat.safe_text import TRUNCATION_MARKER
from riskdesk.fileformat.schema import RULES, table_of
from riskdesk.fileformat.sheets import SHEET_COLUMNS, SHEETS_BY_NAME, Column
from riskdesk.importers.errors import ImportProblem
from riskdesk.importers.riskdesk_format.book import (
    CSV_LINKS,
    ENTITY_ORDER,
    KEPT_COLUMNS,
    BookSheet,
    Grid,
    Record,
    RiskdeskBook,
)
from riskdesk.importers.riskdesk_format.cells import (
    blank,
    convert,
    empty_value,
    to_datetime,
    to_int,
    to_text,
)
from riskdesk.importers.values import header_key
from riskdesk.values import BadValue

_PROFILE_LINES = {"organisation": "name", "confidentiality": "confidentiality"}


def _header_row(grid: Grid) -> int | None:
    return next((i for i, row in enumerate(grid) if any(not blank(v) for v in row)), None)


def _problem(book: RiskdeskBook, sheet: BookSheet, row: int, index: int, reason: str) -> None:
    book.problems.append(
        ImportProblem(
            book.file, reason, sheet.name, row, sheet.headers[index], sheet.letters[index]
        )
    )


def read_sheet(book: RiskdeskBook, name: str, grid: Grid) -> None:
    spec = SHEETS_BY_NAME[name]
    start = _header_row(grid)
    if start is None:
        return  # an empty sheet: no records
    headers = [to_text(h).strip() if not blank(h) else "" for h in grid[start]]
    letters = [get_column_letter(i + 1) for i in range(len(headers))]
    sheet = BookSheet(name, spec.entity, headers, letters, {})
    by_key = {header_key(c.header): c for c in SHEET_COLUMNS[name]}
    used: list[tuple[int, Column]] = []
    for index, header in enumerate(headers):
        column = by_key.get(header_key(header)) if header else None
        if column is None:
            if header:
                book.warnings.append(
                    ImportProblem(
                        book.file,
                        f"riskdesk's {name} sheet has no such column; it was not imported",
                        name,
                        start + 1,
                        header,
                        letters[index],
                    )
                )
            continue
        if column.field in sheet.columns:
            continue  # the same column twice: the first wins
        sheet.columns[column.field] = index
        if column.link:
            sheet.link_fields[column.link] = column.field
        if not column.derived or column.field in KEPT_COLUMNS:
            used.append((index, column))
    book.sheets[name] = sheet
    label = next(c for c in SHEET_COLUMNS[name] if c.kind in ("text", "long") and not c.derived)
    if label.field not in sheet.columns:
        book.problems.append(
            ImportProblem(
                book.file,
                f'the sheet has no "{label.header}" column, which every record needs',
                name,
                start + 1,
            )
        )
        return
    for number, cells in enumerate(grid[start + 1 :], start + 2):
        if not all(blank(v) for v in cells):
            sheet.records.append(_read_record(book, sheet, number, cells, used))


def _read_record(
    book: RiskdeskBook, sheet: BookSheet, row: int, cells: tuple[Any, ...], used: list[Any]
) -> Record:
    record = Record(row)
    for index, column in used:
        value = cells[index] if index < len(cells) else None
        if blank(value):
            wanted, empty = empty_value(column)
            if wanted:
                record.values[column.field] = empty
            continue
        try:
            converted = convert(column, value)
        except BadValue as exc:
            _problem(book, sheet, row, index, str(exc))
            continue
        if column.kind == "name":
            record.names[column.field.removesuffix(".name")] = converted.strip()
        elif column.kind == "ids":
            record.links[column.link] = converted
        else:
            record.values[column.field] = converted
            if isinstance(converted, str) and converted.endswith(TRUNCATION_MARKER):
                book.warnings.append(
                    ImportProblem(
                        book.file,
                        "this text was cut to fit a spreadsheet cell when it was exported and "
                        "is imported as cut (the CSV export keeps it whole)",
                        sheet.name,
                        row,
                        sheet.headers[index],
                        sheet.letters[index],
                    )
                )
    return record


def read_summary(book: RiskdeskBook, grid: Grid) -> None:
    for cells in grid:
        if len(cells) < 2 or not isinstance(cells[0], str):
            continue
        key = _PROFILE_LINES.get(cells[0].strip().casefold())
        if key is not None and not blank(cells[1]) and key not in book.profile:
            book.profile[key] = to_text(cells[1]).strip()


# --- CSV tables ---------------------------------------------------------------------------


def _csv_sheet(book: RiskdeskBook, table: str, grid: Grid) -> tuple[BookSheet, list[str]] | None:
    if not grid:
        return None
    headers = [h.strip() for h in grid[0]]
    letters = [get_column_letter(i + 1) for i in range(len(headers))]
    sheet = BookSheet(f"{table}.csv", table, headers, letters, {})
    known = {c.name for c in table_of(table).columns}
    for index, header in enumerate(headers):
        if header in known:
            sheet.columns.setdefault(header, index)
        elif header:
            book.warnings.append(
                ImportProblem(
                    book.file,
                    f"riskdesk's {table} table has no such column; it was not imported",
                    sheet.name,
                    1,
                    header,
                    letters[index],
                )
            )
    return sheet, headers


def _csv_values(
    book: RiskdeskBook, sheet: BookSheet, row: int, cells: tuple[str, ...]
) -> dict[str, Any] | None:
    """Ids, references and kept times typed; the rest as text for the service to coerce."""
    rules = RULES[sheet.entity]
    values: dict[str, Any] = {}
    for name, index in sheet.columns.items():
        text = cells[index] if index < len(cells) else ""
        rule = rules.get(name)
        try:
            if name == "id" or (rule is not None and rule.kind == "fk"):
                values[name] = to_int(text) if text.strip() else None
            elif name in KEPT_COLUMNS or (rule is not None and rule.kind == "datetime"):
                # kept history, and date-times the register stores (evidence added_at)
                if text.strip():
                    values[name] = to_datetime(text)
            elif rule is not None:
                values[name] = text
        except BadValue as exc:
            _problem(book, sheet, row, index, str(exc))
    return values


def read_csv(book: RiskdeskBook, grids: dict[str, Grid]) -> None:
    for table in ("org_profile", "setting"):
        found = _csv_sheet(book, table, grids.get(table, []))
        if found is None:
            continue
        sheet, _headers = found
        for number, cells in enumerate(grids[table][1:], 2):
            values = _csv_values(book, sheet, number, cells)
            if table == "org_profile" and values and not book.profile:
                book.profile = {k: v for k, v in values.items() if k != "id"}
            elif table == "setting" and values and values.get("key"):
                book.settings[str(values["key"])] = str(values.get("value") or "")
    for table in ENTITY_ORDER:
        found = _csv_sheet(book, table, grids.get(table, []))
        if found is None:
            continue
        sheet, _headers = found
        book.sheets[sheet.name] = sheet
        for number, cells in enumerate(grids[table][1:], 2):
            if any(c.strip() for c in cells):
                sheet.records.append(Record(number, _csv_values(book, sheet, number, cells) or {}))
    for link, (owner, own_key, other_key) in CSV_LINKS.items():
        grid = grids.get(link, [])
        target = book.sheets.get(f"{owner}.csv")
        if not grid or target is None:
            continue
        by_id = {r.values.get("id"): r for r in target.records if r.values.get("id") is not None}
        headers = [h.strip() for h in grid[0]]
        if own_key not in headers or other_key not in headers:
            continue
        a, b = headers.index(own_key), headers.index(other_key)
        for number, cells in enumerate(grid[1:], 2):
            try:
                own, other = to_int(cells[a]), to_int(cells[b])
            except (BadValue, IndexError):
                book.problems.append(
                    ImportProblem(book.file, "this link is not two ids", f"{link}.csv", number)
                )
                continue
            record = by_id.get(own)
            if record is None:
                book.problems.append(
                    ImportProblem(
                        book.file,
                        f"{own_key} {own} is not in {owner}.csv",
                        f"{link}.csv",
                        number,
                        own_key,
                        get_column_letter(a + 1),
                    )
                )
                continue
            record.links.setdefault(link, []).append(other)
