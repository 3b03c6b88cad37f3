"""Reading riskdesk's own exports back: the Excel workbook, or the CSV tables.

- **Workbook** (``.xlsx``): the layout is the exporter's contract,
  ``riskdesk.reports.sheets.SHEET_COLUMNS`` — one sheet per table, ids in the first
  column, references as ids with the referenced record's name beside them,
  enumerations as their labels, link tables as comma-separated ids. Computed columns
  (tier, scores, counts) are ignored and recomputed on import, except the creation and
  update times, which are history. The Accountability and Gaps sheets are views of
  the AI Uses sheet and are not read.
- **CSV tables** (a zip or a folder, ``riskdesk.reports.csv_export``): one file per
  table named for it (``ai_use.csv``…), database column names and stored values. It
  also holds reviews, the organisation profile and the settings (scoring weights), so
  it restores a register completely. Text a spreadsheet could run as a formula was
  written with a leading ``'``; every cell is unescaped with ``unescape_csv_cell``.

Cells are read one by one, not through ``read_table``: that reader tidies messy
spreadsheets (trims text, turns midnight date-times into dates), and a re-import must
give back exactly what was exported. This module writes nothing; the service layer
validates every value (``riskdesk.service.importing``).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import warnings
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import openpyxl
from openpyxl.utils import get_column_letter

from riskdesk.importers.errors import ImportFileError, ImportProblem
from riskdesk.importers.tables import list_sheets
from riskdesk.importers.values import header_key
from riskdesk.reports.safe_text import TRUNCATION_MARKER, unescape_csv_cell
from riskdesk.reports.sheets import SHEET_COLUMNS, SHEETS_BY_NAME, Column
from riskdesk.reports.xlsx import FORMAT_VERSION
from riskdesk.service.register import table_of
from riskdesk.service.validation import RULES

__all__ = [
    "ENTITY_ORDER",
    "FORMAT",
    "KEPT_COLUMNS",
    "BookSheet",
    "Record",
    "RiskdeskBook",
    "is_riskdesk_export",
    "read_riskdesk",
]

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
_SUMMARY = "Summary"
_PROFILE_LINES = {"organisation": "name", "confidentiality": "confidentiality"}
_ID_LIST = re.compile(r"[\s,;]+")
_MIN_TABLES = 3  # AI uses and at least two more record tables make an export


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


# --- recognising an export --------------------------------------------------------------


_SHEET_BY_KEY = {header_key(name): name for name in (*RECORD_SHEETS, _SUMMARY)}
_CSV_TABLES = (*ENTITY_ORDER, *CSV_LINKS, "org_profile", "setting")


def _workbook_sheets(names: Iterable[str]) -> dict[str, str]:
    """Known sheet name -> the sheet's name in the workbook (any case and spacing)."""
    found: dict[str, str] = {}
    for name in names:
        known = _SHEET_BY_KEY.get(header_key(name))
        if known is not None:
            found.setdefault(known, name)
    return found


def _csv_tables(members: Iterable[str]) -> dict[str, str]:
    """Table name -> its member path, for ``ai_use.csv`` and the like."""
    found: dict[str, str] = {}
    for member in members:
        stem = Path(member).name.lower().removesuffix(".csv")
        if stem in _CSV_TABLES and member.lower().endswith(".csv"):
            found.setdefault(stem, member)
    return found


def _looks_like_export(found: Iterable[str], main: str) -> bool:
    records = [n for n in found if n != _SUMMARY]
    return main in records and len(records) >= _MIN_TABLES


def _csv_members(path: Path) -> list[str] | None:
    """The files in a folder, or the members of a zip archive; None if neither."""
    if path.is_dir():
        return sorted(str(p) for p in path.iterdir() if p.is_file())
    if path.is_file() and zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as archive:
            names = archive.namelist()
        if any(n.endswith("workbook.xml") for n in names):
            return None  # an Excel workbook is a zip too
        return names
    return None


def _sheet_names(path: Path) -> list[str]:
    """A workbook's sheet names from its index, without opening every sheet.

    openpyxl's read-only mode sizes every sheet on opening, which for a large export
    costs a second or more; the names alone are one small XML file. Anything unusual
    falls back to ``list_sheets``, which says clearly what is wrong with the file.
    """
    try:
        with zipfile.ZipFile(path) as archive:
            root = ElementTree.fromstring(archive.read("xl/workbook.xml"))
        names = [el.get("name", "") for el in root.iter() if el.tag.rsplit("}", 1)[-1] == "sheet"]
    except (KeyError, OSError, zipfile.BadZipFile, ElementTree.ParseError, EOFError):
        return list_sheets(path)
    return names if names else list_sheets(path)


def is_riskdesk_export(path: str | Path) -> bool:
    """Whether ``path`` is a riskdesk export (never raises: a broken file is just "no")."""
    path = Path(path)
    try:
        members = _csv_members(path)
        if members is not None:
            return _looks_like_export(_csv_tables(members), "ai_use")
        if not path.is_file() or not zipfile.is_zipfile(path):
            return False
        return _looks_like_export(_workbook_sheets(_sheet_names(path)), "AI Uses")
    except (ImportFileError, OSError, zipfile.BadZipFile):
        return False


# --- reading files ----------------------------------------------------------------------


Grid = list[tuple[Any, ...]]


def _file_error(path: Path, reason: str) -> ImportFileError:
    return ImportFileError(ImportProblem(file=path.name, reason=reason))


def _not_an_export(path: Path) -> ImportFileError:
    return _file_error(
        path,
        'this is not a riskdesk export: it needs the sheets "AI Uses", "People", "Vendors", '
        '"Risks"… as riskdesk writes them (File > Export), or the CSV tables ai_use.csv, '
        "person.csv…; for any other spreadsheet use the table or OMB formats",
    )


def _read_workbook(path: Path) -> tuple[dict[str, Grid], str | None]:
    found = _workbook_sheets(_sheet_names(path))  # a clear ImportFileError for a non-workbook
    if not _looks_like_export(found, "AI Uses"):
        raise _not_an_export(path)
    try:
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", category=UserWarning, module=r"openpyxl(\.|$)")
            book = openpyxl.load_workbook(path, read_only=True, data_only=True)
            try:
                grids: dict[str, Grid] = {}
                for known, actual in found.items():
                    sheet = book[actual]
                    sheet.reset_dimensions()  # an edited file's stated size may be wrong
                    grids[known] = list(sheet.iter_rows(values_only=True))
                props = {p.name: getattr(p, "value", None) for p in book.custom_doc_props.props}
            finally:
                book.close()
    except Exception as exc:  # openpyxl raises many types for a damaged package
        raise _file_error(
            path,
            "the workbook is damaged or incomplete (perhaps a download or copy was cut "
            "short); export it again",
        ) from exc
    version = props.get("riskdesk_format")
    return grids, None if version is None else str(version)


def _decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")


def _read_csv_tables(path: Path, members: list[str]) -> dict[str, Grid]:
    found = _csv_tables(members)
    if not _looks_like_export(found, "ai_use"):
        raise _not_an_export(path)
    grids: dict[str, Grid] = {}
    try:
        archive = None if path.is_dir() else zipfile.ZipFile(path)
        try:
            for table, member in found.items():
                data = Path(member).read_bytes() if archive is None else archive.read(member)
                old_limit = csv.field_size_limit()
                csv.field_size_limit(max(old_limit, len(data)))
                reader = csv.reader(io.StringIO(_decode(data), newline=""))
                try:
                    grids[table] = [tuple(unescape_csv_cell(c) for c in rec) for rec in reader]
                except csv.Error as exc:
                    raise _file_error(
                        path, f"{Path(member).name} cannot be read as CSV ({exc})"
                    ) from exc
                finally:
                    csv.field_size_limit(old_limit)
        finally:
            if archive is not None:
                archive.close()
    except (zipfile.BadZipFile, OSError, EOFError) as exc:
        raise _file_error(path, f"the export cannot be read ({exc})") from exc
    return grids


# --- cells to values ----------------------------------------------------------------------


class _Bad(ValueError):
    pass


def _number_text(value: Any) -> str:
    return str(value).strip().replace(",", "")


def _to_int(value: Any) -> int:
    if isinstance(value, bool):
        raise _Bad("is a yes/no value, not a number")
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    text = _number_text(value)
    if re.fullmatch(r"[+-]?\d+(\.0+)?", text):
        return int(float(text))
    raise _Bad(f'"{value}" is not a whole number')


def _to_text(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime) and value.time() == dt.time():
        return value.date().isoformat()
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value)


_TRUE = {"true", "yes", "y", "1"}
_FALSE = {"false", "no", "n", "0"}


def _to_bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float) and value in (0, 1):
        return bool(value)
    key = str(value).strip().casefold()
    if key in _TRUE:
        return True
    if key in _FALSE:
        return False
    raise _Bad(f'"{value}" is not TRUE or FALSE')


def _to_date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip()[:10])
    except ValueError:
        raise _Bad(f'"{value}" is not a date (YYYY-MM-DD)') from None


def _to_datetime(value: Any) -> dt.datetime:
    if isinstance(value, dt.datetime):
        stamp = value
    elif isinstance(value, dt.date):
        stamp = dt.datetime.combine(value, dt.time())
    else:
        try:
            stamp = dt.datetime.fromisoformat(str(value).strip())
        except ValueError:
            raise _Bad(f'"{value}" is not a date and time (YYYY-MM-DD HH:MM:SS)') from None
    # The export writes UTC wall-clock time (spreadsheets have no time zones).
    stamp = stamp.astimezone(dt.UTC) if stamp.tzinfo is not None else stamp.replace(tzinfo=dt.UTC)
    # Excel keeps times as fractions of a day; riskdesk stores whole seconds.
    return (stamp + dt.timedelta(microseconds=500_000)).replace(microsecond=0)


def _to_ids(value: Any) -> list[int]:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return [_to_int(value)]
    parts = [p for p in _ID_LIST.split(str(value)) if p]
    try:
        return list(dict.fromkeys(_to_int(p) for p in parts))
    except _Bad:
        raise _Bad(f'"{value}" is not a list of ids like "3, 7, 12"') from None


def _convert(column: Column, value: Any) -> Any:
    kind = column.kind
    if kind in ("id", "ref", "int"):
        return _to_int(value)
    if kind in ("text", "long", "name"):
        return _to_text(value)
    if kind == "enum":
        assert column.enum is not None
        try:
            return column.enum.parse(value).value
        except ValueError as exc:
            raise _Bad(str(exc)) from None
    if kind in ("bool", "optbool"):
        return _to_bool(value)
    if kind == "date":
        return _to_date(value)
    if kind == "datetime":
        return _to_datetime(value)
    if kind == "ids":
        return _to_ids(value)
    raise AssertionError(kind)


def _empty(column: Column) -> tuple[bool, Any]:
    """(set the field?, value) for an empty cell: text empties, optional values None."""
    if column.kind in ("text", "long"):
        return True, ""
    if column.kind in ("optbool", "date", "ref", "id"):
        return True, None
    if column.kind == "int" and column.field.startswith("target_"):
        return True, None  # an optional score
    return False, None  # the service's default


# --- workbook sheets ----------------------------------------------------------------------


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _header_row(grid: Grid) -> int | None:
    return next((i for i, row in enumerate(grid) if any(not _blank(v) for v in row)), None)


def _problem(book: RiskdeskBook, sheet: BookSheet, row: int, index: int, reason: str) -> None:
    book.problems.append(
        ImportProblem(
            book.file, reason, sheet.name, row, sheet.headers[index], sheet.letters[index]
        )
    )


def _read_sheet(book: RiskdeskBook, name: str, grid: Grid) -> None:
    spec = SHEETS_BY_NAME[name]
    start = _header_row(grid)
    if start is None:
        return  # an empty sheet: no records
    headers = [_to_text(h).strip() if not _blank(h) else "" for h in grid[start]]
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
        if not all(_blank(v) for v in cells):
            sheet.records.append(_read_record(book, sheet, number, cells, used))


def _read_record(
    book: RiskdeskBook, sheet: BookSheet, row: int, cells: tuple[Any, ...], used: list[Any]
) -> Record:
    record = Record(row)
    for index, column in used:
        value = cells[index] if index < len(cells) else None
        if _blank(value):
            wanted, empty = _empty(column)
            if wanted:
                record.values[column.field] = empty
            continue
        try:
            converted = _convert(column, value)
        except _Bad as exc:
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


def _read_summary(book: RiskdeskBook, grid: Grid) -> None:
    for cells in grid:
        if len(cells) < 2 or not isinstance(cells[0], str):
            continue
        key = _PROFILE_LINES.get(cells[0].strip().casefold())
        if key is not None and not _blank(cells[1]) and key not in book.profile:
            book.profile[key] = _to_text(cells[1]).strip()


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
                values[name] = _to_int(text) if text.strip() else None
            elif name in KEPT_COLUMNS:
                if text.strip():
                    values[name] = _to_datetime(text)
            elif rule is not None:
                values[name] = text
        except _Bad as exc:
            _problem(book, sheet, row, index, str(exc))
    return values


def _read_csv(book: RiskdeskBook, grids: dict[str, Grid]) -> None:
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
                own, other = _to_int(cells[a]), _to_int(cells[b])
            except (_Bad, IndexError):
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


# --- the whole export -----------------------------------------------------------------------


def _check_ids(book: RiskdeskBook) -> None:
    for sheet in book.sheets.values():
        seen: dict[int, int] = {}
        for record in sheet.records:
            key = record.values.get("id")
            if key is None:
                continue
            if key in seen:
                book.problems.append(
                    book.problem(
                        sheet.name,
                        f"ID {key} is also on row {seen[key]}: each record needs its own ID "
                        "(leave the ID empty for a new record)",
                        record.row,
                        "id",
                    )
                )
            else:
                seen[key] = record.row


def _check_version(book: RiskdeskBook) -> None:
    if book.version is None:
        return
    try:
        newer = int(book.version) > int(FORMAT_VERSION)
    except ValueError:
        newer = True
    if newer:
        book.warnings.append(
            ImportProblem(
                book.file,
                f"exported by a newer riskdesk (format {book.version}; this version reads "
                f"format {FORMAT_VERSION}): columns it does not know are left out",
            )
        )


def read_riskdesk(path: str | Path) -> RiskdeskBook:
    """Read a riskdesk export: a workbook, or a zip or folder of its CSV tables.

    Raises ``ImportFileError`` when it cannot be read or is not an export; problems with
    single cells are collected in ``problems``, located by sheet, row and column.
    """
    path = Path(path)
    members = _csv_members(path)
    if members is not None:
        book = RiskdeskBook(file=path.name, path=path, kind="csv")
        _read_csv(book, _read_csv_tables(path, members))
    else:
        if not path.exists():
            raise _file_error(path, "the file does not exist")
        grids, version = _read_workbook(path)
        book = RiskdeskBook(file=path.name, path=path, version=version)
        _check_version(book)
        if _SUMMARY in grids:
            _read_summary(book, grids[_SUMMARY])
        for name in RECORD_SHEETS:
            if name in grids:
                _read_sheet(book, name, grids[name])
    _check_ids(book)
    return book
