"""Reading riskdesk's own exports back: the Excel workbook, or the CSV tables.

- **Workbook** (``.xlsx``): the layout is the exporter's contract,
  ``riskdesk.fileformat.sheets.SHEET_COLUMNS`` — one sheet per table, ids in the first
  column, references as ids with the referenced record's name beside them,
  enumerations as their labels, link tables as comma-separated ids. Computed columns
  (tier, scores, counts) are ignored and recomputed on import, except the creation and
  update times, which are history. The Accountability and Gaps sheets are views of
  the AI Uses sheet and are not read.
- **CSV tables** (a zip or a folder, ``riskdesk.reports.csv_export``): one file per
  table named for it (``ai_use.csv``…), database column names and stored values. It
  also holds reviews, the organisation profile and the settings (scoring weights), so
  it restores a register completely, evidence included: revisions in ``evidence.csv``
  and ``evidence_link.csv``, files as ``evidence/<sha256>`` (``book.blobs``). Text a
  spreadsheet could run as a formula was written with a leading ``'``; every cell is
  unescaped with ``unescape_csv_cell``.

The package: ``book`` (what is read), ``files`` (recognising and opening the file),
``sheets`` (the record tables), ``cells`` (one cell to its value).

Cells are read one by one, not through ``read_table``: that reader tidies messy
spreadsheets (trims text, turns midnight date-times into dates), and a re-import must
give back exactly what was exported. This module writes nothing; the service layer
validates every value (``riskdesk.service.importing``).
"""

from __future__ import annotations

from pathlib import Path

from riskdesk.fileformat.sheets import FORMAT_VERSION
from riskdesk.importers.errors import ImportProblem
from riskdesk.importers.limits import check_file, guarded
from riskdesk.importers.riskdesk_format.book import (
    ENTITY_ORDER,
    FORMAT,
    KEPT_COLUMNS,
    RECORD_SHEETS,
    SUMMARY,
    BookSheet,
    Record,
    RiskdeskBook,
)
from riskdesk.importers.riskdesk_format.files import (
    blob_members,
    csv_members,
    is_riskdesk_export,
    read_csv_tables,
    read_workbook,
)
from riskdesk.importers.riskdesk_format.sheets import read_csv, read_sheet, read_summary

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
    with guarded(path):
        if not path.is_dir():
            check_file(path)  # before opening: a pipe would block, a device never end
        members = csv_members(path)
        if members is not None:
            book = RiskdeskBook(file=path.name, path=path, kind="csv")
            read_csv(book, read_csv_tables(path, members))
            book.blobs = blob_members(path, members)
        else:
            grids, version = read_workbook(path)
            book = RiskdeskBook(file=path.name, path=path, version=version)
            _check_version(book)
            if SUMMARY in grids:
                read_summary(book, grids[SUMMARY])
            for name in RECORD_SHEETS:
                if name in grids:
                    read_sheet(book, name, grids[name])
        _check_ids(book)
    return book
