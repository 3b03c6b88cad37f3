"""Recognising a riskdesk export and reading its files into grids of cells.

A workbook is read with openpyxl (read-only); CSV tables from a zip or a folder, each
cell unescaped with ``unescape_csv_cell``.
"""

from __future__ import annotations

import csv
import io
import re
import warnings
import zipfile
import zlib
from collections.abc import Iterable
from pathlib import Path
from xml.etree import ElementTree

import openpyxl

from riskdesk.fileformat.safe_text import unescape_csv_cell
from riskdesk.importers.errors import ImportFileError, ImportProblem
from riskdesk.importers.limits import READ_ERRORS, check_archive, check_file, check_rows
from riskdesk.importers.riskdesk_format.book import (
    CSV_LINKS,
    ENTITY_ORDER,
    RECORD_SHEETS,
    SUMMARY,
    Grid,
)
from riskdesk.importers.tables import list_sheets
from riskdesk.importers.values import header_key

_MIN_TABLES = 3  # AI uses and at least two more record tables make an export


_SHEET_BY_KEY = {header_key(name): name for name in (*RECORD_SHEETS, SUMMARY)}
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


_BLOB_NAME = re.compile(r"[0-9a-f]{64}")
BLOB_FOLDER = "evidence"


def blob_members(path: Path, members: list[str]) -> dict[str, str]:
    """Evidence files of a CSV export: ``evidence/<sha256>`` -> its member (zip) or path."""
    if path.is_dir():
        folder = path / BLOB_FOLDER
        names = [str(p) for p in folder.iterdir() if p.is_file()] if folder.is_dir() else []
    else:
        names = [m for m in members if Path(m).parent.name == BLOB_FOLDER]
    return {Path(n).name: n for n in names if _BLOB_NAME.fullmatch(Path(n).name)}


def read_blob(path: Path, member: str) -> bytes:
    """One evidence file of a CSV export (a zip's size was checked on opening it)."""
    if path.is_dir():
        check_file(Path(member))
        return Path(member).read_bytes()
    with zipfile.ZipFile(path) as archive:
        return archive.read(member)


def _looks_like_export(found: Iterable[str], main: str) -> bool:
    records = [n for n in found if n != SUMMARY]
    return main in records and len(records) >= _MIN_TABLES


def csv_members(path: Path) -> list[str] | None:
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
            check_archive(path, archive)
            root = ElementTree.fromstring(archive.read("xl/workbook.xml"))
        names = [el.get("name", "") for el in root.iter() if el.tag.rsplit("}", 1)[-1] == "sheet"]
    except (
        KeyError,
        OSError,
        zipfile.BadZipFile,
        ElementTree.ParseError,
        EOFError,
        zlib.error,
        RuntimeError,
        NotImplementedError,
    ):
        return list_sheets(path)
    return names if names else list_sheets(path)


def is_riskdesk_export(path: str | Path) -> bool:
    """Whether ``path`` is a riskdesk export (never raises: a broken file is just "no")."""
    path = Path(path)
    try:
        members = csv_members(path)
        if members is not None:
            return _looks_like_export(_csv_tables(members), "ai_use")
        if not path.is_file() or not zipfile.is_zipfile(path):
            return False
        return _looks_like_export(_workbook_sheets(_sheet_names(path)), "AI Uses")
    except ImportFileError:
        return False
    except READ_ERRORS:  # anything a damaged zip raises, e.g. "zip file version 14.8"
        return False


# --- reading files ----------------------------------------------------------------------


def file_error(path: Path, reason: str) -> ImportFileError:
    return ImportFileError(ImportProblem(file=path.name, reason=reason))


def not_an_export(path: Path) -> ImportFileError:
    return file_error(
        path,
        'this is not a riskdesk export: it needs the sheets "AI Uses", "People", "Vendors", '
        '"Risks"… as riskdesk writes them (File > Export), or the CSV tables ai_use.csv, '
        "person.csv…; for any other spreadsheet use the table or OMB formats",
    )


def read_workbook(path: Path) -> tuple[dict[str, Grid], str | None]:
    found = _workbook_sheets(_sheet_names(path))  # a clear ImportFileError for a non-workbook
    if not _looks_like_export(found, "AI Uses"):
        raise not_an_export(path)
    try:
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", category=UserWarning, module=r"openpyxl(\.|$)")
            book = openpyxl.load_workbook(path, read_only=True, data_only=True)
            try:
                grids: dict[str, Grid] = {}
                for known, actual in found.items():
                    sheet = book[actual]
                    sheet.reset_dimensions()  # an edited file's stated size may be wrong
                    grids[known] = list(check_rows(path, known, sheet.iter_rows(values_only=True)))
                custom = book.custom_doc_props  # type: ignore[attr-defined]  # not in the stub
                props = {p.name: getattr(p, "value", None) for p in custom.props}
            finally:
                book.close()
    except ImportFileError:
        raise  # a read limit, said as such
    except Exception as exc:  # openpyxl raises many types for a damaged package
        raise file_error(
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


def read_csv_tables(path: Path, members: list[str]) -> dict[str, Grid]:
    found = _csv_tables(members)
    if not _looks_like_export(found, "ai_use"):
        raise not_an_export(path)
    grids: dict[str, Grid] = {}
    try:
        archive = None if path.is_dir() else zipfile.ZipFile(path)
        try:
            if archive is not None:
                check_archive(path, archive)
            for table, member in found.items():
                if archive is None:
                    check_file(Path(member))
                data = Path(member).read_bytes() if archive is None else archive.read(member)
                old_limit = csv.field_size_limit()
                csv.field_size_limit(max(old_limit, len(data)))
                reader = csv.reader(io.StringIO(_decode(data), newline=""))
                try:
                    rows = check_rows(path, Path(member).name, reader)
                    grids[table] = [tuple(unescape_csv_cell(c) for c in rec) for rec in rows]
                except csv.Error as exc:
                    raise file_error(
                        path, f"{Path(member).name} cannot be read as CSV ({exc})"
                    ) from exc
                finally:
                    csv.field_size_limit(old_limit)
        finally:
            if archive is not None:
                archive.close()
    except (
        zipfile.BadZipFile,
        OSError,
        EOFError,
        zlib.error,
        RuntimeError,
        NotImplementedError,
    ) as exc:
        raise file_error(path, f"the export cannot be read ({exc})") from exc
    return grids
