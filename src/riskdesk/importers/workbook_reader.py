"""Reading a workbook (.xlsx) into a ``RawTable``.

Workbooks are read with openpyxl in read-only mode, which was 2.3x faster than normal
mode here (0.97 s against 2.28 s for 10,000 rows x 20 columns). Read-only mode does not
expose merged cells, so their ranges are read from the sheet's XML directly, and the
value of each merged range is copied into every cell of it (a department merged down
five rows belongs to all five).
"""

from __future__ import annotations

import html
import posixpath
import re
import warnings
import zipfile
import zlib
from collections.abc import Iterable
from pathlib import Path
from xml.etree import ElementTree

import openpyxl
from openpyxl.utils import column_index_from_string
from openpyxl.utils.cell import range_boundaries

from riskdesk.importers.errors import ImportFileError
from riskdesk.importers.limits import check_archive, check_rows
from riskdesk.importers.raw_table import (
    HEADER_SCAN_ROWS,
    Cell,
    HeaderTest,
    RawTable,
    build_table,
    clean_row,
    file_error,
    find_header,
)

_MERGE_RE = re.compile(
    rb'<(?:\w+:)?mergeCell\b[^>]*?\bref="([A-Za-z]+[0-9]+(?::[A-Za-z]+[0-9]+)?)"'
)
_FORMULA_TAG = re.compile(rb"<(?:\w+:)?f\b")
# A cell whose first child is a formula (the schema puts <f> first), with its value if any.
_FORMULA_CELL = re.compile(
    rb"<(?:\w+:)?c\b(?P<attrs>[^>]*)(?<!/)>\s*"
    rb"<(?:\w+:)?f\b[^>]*?(?:/>|>(?P<f>.*?)</(?:\w+:)?f>)\s*"
    rb"(?P<has_v><(?:\w+:)?v\b[^>]*?(?:/>|>(?P<v>.*?)</(?:\w+:)?v>))?",
    re.DOTALL,
)
_CELL_REF = re.compile(rb'\br="([A-Za-z]{1,3})([0-9]{1,7})"')
_CELL_TYPE = re.compile(rb'\bt="(?:str|inlineStr|s)"')


class Workbook:
    """openpyxl in read-only mode, with its errors and chatter turned into ours."""

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            self.zip = zipfile.ZipFile(path)
        except (zipfile.BadZipFile, EOFError, OSError) as exc:
            raise _damaged(path) from exc
        try:
            check_archive(path, self.zip)
        except ImportFileError:
            self.zip.close()
            raise
        names = set(self.zip.namelist())
        if "mimetype" in names and b"opendocument" in self.zip.read("mimetype"):
            self.zip.close()
            raise file_error(
                path,
                "this is an OpenDocument spreadsheet (.ods); open it in LibreOffice and save "
                "it as an Excel Workbook (.xlsx) or as CSV",
            )
        if not any(name.endswith("workbook.xml") for name in names):
            self.zip.close()
            raise file_error(path, "this is a zip archive, not an Excel workbook (.xlsx)")
        self.handle = path.open("rb")  # a file object skips openpyxl's extension check
        try:
            with _quiet():
                self.book = openpyxl.load_workbook(self.handle, read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises many types for a broken package
            self.close()
            raise _damaged(path) from exc

    @property
    def sheetnames(self) -> list[str]:
        return list(self.book.sheetnames)

    def rows(self, name: str, limit: int | None = None) -> list[list[Cell]]:
        sheet = self.book[name]
        sheet.reset_dimensions()  # stated dimensions are often wrong; read what is there
        try:
            with _quiet():
                cleaned = (
                    clean_row(values) for values in sheet.iter_rows(max_row=limit, values_only=True)
                )
                return list(check_rows(self.path, name, cleaned))
        except (zipfile.BadZipFile, zlib.error, EOFError, KeyError, ValueError) as exc:
            raise _damaged(self.path) from exc
        except ElementTree.ParseError as exc:
            raise _damaged(self.path) from exc

    def sheet_xml(self, name: str) -> bytes:
        try:
            return self.zip.read(_sheet_xml_paths(self.zip)[name])
        except (
            KeyError,
            StopIteration,
            ElementTree.ParseError,
            zipfile.BadZipFile,
            zlib.error,
        ) as exc:
            raise _damaged(self.path) from exc

    def close(self) -> None:
        book = getattr(self, "book", None)
        if book is not None:
            book.close()
        self.handle.close()
        self.zip.close()

    def __enter__(self) -> Workbook:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class _quiet(warnings.catch_warnings):
    """openpyxl warns about styles and extensions it drops; irrelevant to reading data."""

    def __enter__(self) -> None:
        super().__enter__()
        warnings.filterwarnings("ignore", category=UserWarning, module=r"openpyxl(\.|$)")


def _damaged(path: Path) -> ImportFileError:
    return file_error(
        path,
        "the workbook is damaged or incomplete (perhaps a download or copy was cut short); "
        "open it in Excel and save it again, or export it again",
    )


def _sheet_xml_paths(archive: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name -> path of its XML part, following the package relationships."""

    def local(tag: str) -> str:
        return tag.rsplit("}", 1)[-1]

    def rel_targets(rels_path: str) -> dict[str, tuple[str, str]]:
        root = ElementTree.fromstring(archive.read(rels_path))
        return {r.get("Id", ""): (r.get("Type", ""), r.get("Target", "")) for r in root}

    def resolve(base: str, target: str) -> str:
        return (
            target.lstrip("/")
            if target.startswith("/")
            else posixpath.normpath(posixpath.join(base, target))
        )

    book_path = next(
        resolve("", target)
        for kind, target in rel_targets("_rels/.rels").values()
        if kind.endswith("/officeDocument")
    )
    base = posixpath.dirname(book_path)
    targets = rel_targets(posixpath.join(base, "_rels", posixpath.basename(book_path) + ".rels"))
    paths: dict[str, str] = {}
    for element in ElementTree.fromstring(archive.read(book_path)).iter():
        if local(element.tag) != "sheet":
            continue
        rel_id = next((v for k, v in element.attrib.items() if local(k) == "id"), "")
        if rel_id in targets:
            paths[element.get("name", "")] = resolve(base, targets[rel_id][1])
    return paths


def _merged_ranges(xml: bytes) -> list[tuple[int, int, int, int]]:
    """(min_col, min_row, max_col, max_row) of each merged range, 1-based."""
    if b"mergeCell" not in xml:
        return []
    ranges = []
    for ref in _MERGE_RE.findall(xml):
        min_col, min_row, max_col, max_row = range_boundaries(ref.decode().upper())
        if min_col and min_row and max_col and max_row:  # the regex admits cell refs only
            ranges.append((min_col, min_row, max_col, max_row))
    return ranges


def _unsaved_formulas(xml: bytes) -> dict[tuple[int, int], str]:
    """(row, column), 1-based -> "=formula" for each formula cell with no value saved.

    openpyxl (like any file written without a calculating engine) saves formulas without
    their result; read with ``data_only`` such a cell is simply empty, and riskdesk does
    not run formulas. Knowing where they are lets messages say so instead of "empty".
    The text is "" for a shared formula's later cells, which hold no formula text.
    """
    if not _FORMULA_TAG.search(xml):
        return {}
    found: dict[tuple[int, int], str] = {}
    for match in _FORMULA_CELL.finditer(xml):
        attrs, formula, value = match.group("attrs"), match.group("f"), match.group("v")
        saved_text = _CELL_TYPE.search(attrs)
        if match.group("has_v") and (value.strip() if value else saved_text):
            continue  # a value was saved (an empty string result counts)
        ref = _CELL_REF.search(attrs)
        if ref is None:
            continue  # no address: we cannot say where it is, so say nothing
        column = column_index_from_string(ref.group(1).decode().upper())
        text = html.unescape(formula.decode("utf-8", "replace")) if formula else ""
        found[(int(ref.group(2)), column)] = f"={text}" if text else ""
    return found


def read_workbook(path: Path, sheet: str | None, known_header: HeaderTest | None) -> RawTable:
    with Workbook(path) as book:
        names = book.sheetnames
        if not names:
            raise file_error(path, "the workbook has no sheets")
        if sheet is None:
            chosen = names[0] if len(names) == 1 else _best_sheet(book, known_header)
        else:
            wanted = " ".join(sheet.split()).casefold()
            chosen = next((n for n in names if " ".join(n.split()).casefold() == wanted), "")
            if not chosen:
                listed = ", ".join(f'"{n}"' for n in names)
                raise file_error(path, f'there is no sheet "{sheet}"; the sheets are {listed}')
        grid = book.rows(chosen)
        xml = book.sheet_xml(chosen)
        _fill_merged(grid, _merged_ranges(xml))
        formulas = _unsaved_formulas(xml)
    return build_table(grid, path, chosen, known_header, formulas)


def _best_sheet(book: Workbook, known_header: HeaderTest | None) -> str:
    best, best_score = "", (-1, -1)
    for name in book.sheetnames:
        grid = book.rows(name, limit=HEADER_SCAN_ROWS)
        found = find_header(grid, known_header)
        if found is None:
            continue
        score = (found[1], len(grid))
        if score > best_score:
            best, best_score = name, score
    return best or book.sheetnames[0]


def _fill_merged(grid: list[list[Cell]], ranges: Iterable[tuple[int, int, int, int]]) -> None:
    for min_col, min_row, max_col, max_row in ranges:
        if min_row > len(grid):
            continue
        top = grid[min_row - 1]
        value = top[min_col - 1] if min_col - 1 < len(top) else None
        if value is None:
            continue
        for r in range(min_row, min(max_row, len(grid)) + 1):
            row = grid[r - 1]
            if len(row) < max_col:
                row.extend([None] * (max_col - len(row)))
            for c in range(min_col, max_col + 1):
                row[c - 1] = value
