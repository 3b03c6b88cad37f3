"""Read a spreadsheet or CSV file into a plain table, whatever state it is in.

The file's *content* decides how it is read, not its extension: a workbook saved as
``.csv`` still opens, and a legacy ``.xls``, an encrypted workbook, a PDF or a web page
gets a message that says what it is and what to do. CSV text may be UTF-8 (with or
without a byte-order mark), UTF-16 (Excel's "Unicode text") or Windows-1252, and be
separated by commas, semicolons, tabs or bars. The header need not be on the first
row: title rows and notes above it are skipped.

Here: the entry points and telling the kinds of file apart. Workbooks are read in
``workbook_reader``, text in ``text_reader``; both build the ``RawTable`` of
``raw_table`` (re-exported here with its cell types).
"""

from __future__ import annotations

from pathlib import Path

from riskdesk.importers.errors import ImportFileError
from riskdesk.importers.limits import check_file, guarded
from riskdesk.importers.raw_table import Cell as Cell
from riskdesk.importers.raw_table import HeaderTest as HeaderTest
from riskdesk.importers.raw_table import RawRow as RawRow
from riskdesk.importers.raw_table import RawTable as RawTable
from riskdesk.importers.raw_table import file_error
from riskdesk.importers.text_reader import read_text
from riskdesk.importers.workbook_reader import Workbook, read_workbook

_OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06")


def list_sheets(path: str | Path) -> list[str]:
    """The sheet names of a workbook, in order; ``[]`` for a CSV/text file."""
    path = Path(path)
    with guarded(path):
        if _sniff(path) != "xlsx":
            return []
        with Workbook(path) as book:
            return list(book.sheetnames)


def read_table(
    path: str | Path, sheet: str | None = None, *, known_header: HeaderTest | None = None
) -> RawTable:
    """Read ``path`` into a ``RawTable``.

    ``sheet`` picks a workbook sheet by name (any case); without it the sheet whose
    header looks most like an AI register is used (the first, if none does).
    ``known_header`` says whether a header text is one the caller recognises; it helps
    find a header that is not on the first row.
    """
    path = Path(path)
    with guarded(path):
        if _sniff(path) == "xlsx":
            return read_workbook(path, sheet, known_header)
        return read_text(path, known_header)


# --- what kind of file is it ----------------------------------------------------------


def _sniff(path: Path) -> str:
    check_file(path)  # before opening: a pipe would block, a device never end
    try:
        with path.open("rb") as handle:
            head = handle.read(8)
    except FileNotFoundError as exc:
        raise file_error(path, "the file does not exist") from exc
    except IsADirectoryError as exc:
        raise file_error(path, "this is a folder, not a file") from exc
    except OSError as exc:
        raise file_error(path, f"the file cannot be read ({exc.strerror or exc})") from exc
    if not head:
        raise file_error(path, "the file is empty")
    if head.startswith(_ZIP_MAGICS):
        return "xlsx"
    if head.startswith(_OLE2_MAGIC):
        raise _ole2_error(path)
    return "text"


def _ole2_error(path: Path) -> ImportFileError:
    """Both legacy .xls workbooks and encrypted .xlsx ones are OLE2 compound files."""
    data = path.read_bytes()
    encrypted = "EncryptionInfo".encode("utf-16-le") in data
    legacy = any(name.encode("utf-16-le") in data for name in ("Workbook", "Book"))
    if encrypted or (not legacy and path.suffix.lower() != ".xls"):
        return file_error(
            path,
            "the workbook is password-protected (encrypted), so it cannot be read; open it "
            "in Excel, remove the password (File > Info > Protect Workbook) and save a copy "
            "to import",
        )
    return file_error(
        path,
        "this is an Excel 97-2003 workbook (.xls), which riskdesk cannot read; open it in "
        "Excel or LibreOffice and save it as an Excel Workbook (.xlsx) or as CSV",
    )
