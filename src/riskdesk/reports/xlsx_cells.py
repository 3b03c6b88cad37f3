"""Cells for the Excel register: prepared styles, safe text cells, and a sheet writer.

Styling costs almost nothing per cell: each styled column gets one prepared style that
its cells share (see ``Styles``). ``SheetWriter`` streams a register sheet's rows, a
batch at a time, into a write-only worksheet (issue 19).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Iterator
from typing import Any

from openpyxl.cell import Cell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.worksheet.properties import PageSetupProperties

from riskdesk.fileformat.safe_text import FORMULA_TRIGGERS, xlsx_text
from riskdesk.fileformat.sheets import Column, Sheet
from riskdesk.reports.progress import Progress

HEADER_FILL = "1F3864"
# The same, as a separate format: a column must name a format other than the default.
COLUMN_TOP = Alignment(vertical="top", wrap_text=False)
# Wrapped rows get a height from their text, because spreadsheets do not reliably grow
# rows on opening a file: about 1.15 characters per unit of column width, 15 points a
# line, at most 8 lines (the cell holds the rest; the row can be enlarged).
CHARS_PER_WIDTH = 1.15
LINE_HEIGHT = 15.0
MAX_LINES = 8
HEADER_HEIGHT = 30.0
TEXT_KINDS = frozenset({"text", "long", "name", "enum", "ids"})  # written by ``text_cell``


def line_count(text: Any, per_line: float) -> int:
    if not text or type(text) is not str:
        return 1
    if len(text) <= per_line and "\n" not in text:
        return 1
    return sum(max(1, math.ceil(len(part) / per_line)) for part in text.split("\n"))


class Styles:
    """One prepared style per kind of cell, shared by every cell of that kind."""

    def __init__(self, ws: WriteOnlyWorksheet) -> None:
        top = Alignment(vertical="top")
        wrap = Alignment(vertical="top", wrap_text=True)

        def make(**attrs: Any) -> Any:
            proto = Cell(ws)  # type: ignore[call-arg]  # the stub wants row and column
            for name, value in attrs.items():
                setattr(proto, name, value)
            return proto._style  # type: ignore[attr-defined]  # private openpyxl API

        self.header = make(
            font=Font(bold=True, color="FFFFFF"),
            fill=PatternFill("solid", fgColor=HEADER_FILL),
            alignment=Alignment(vertical="center", wrap_text=True),
            border=Border(bottom=Side(style="thin", color="000000")),
        )
        self.by_kind = {
            "long": make(alignment=wrap),
            "date": make(number_format="yyyy-mm-dd", alignment=top),
            "datetime": make(number_format="yyyy-mm-dd hh:mm", alignment=top),
        }
        # Text a spreadsheet could take for a formula: Excel's quote prefix keeps it
        # text even after someone edits the cell.
        self.inert = make(quotePrefix=True, alignment=top)
        self.inert_long = make(quotePrefix=True, alignment=wrap)
        self.bold = make(font=Font(bold=True))
        self.title = make(font=Font(bold=True, size=14))


def styled_cell(ws: WriteOnlyWorksheet, value: Any, style: Any = None) -> Cell:
    return Cell(ws, row=1, column=1, value=value, style_array=style)


def date_cell(ws: WriteOnlyWorksheet, value: dt.date, style: Any) -> Cell:
    """A date or time cell in a date ``style``: what ``styled_cell`` makes, without
    openpyxl's type guessing and format lookup (a tenth of the time of a date column)."""
    if not isinstance(value, dt.date):  # a stray value: let openpyxl type it as before
        return styled_cell(ws, value, style)
    cell = Cell(ws, row=1, column=1, style_array=style)
    cell._value, cell.data_type = value, "d"  # type: ignore[attr-defined]  # private
    return cell


def string_cell(ws: WriteOnlyWorksheet, text: str, style: Any = None) -> Cell:
    """A cell that is a string whatever its text: openpyxl would make "=…" a formula
    and "#N/A" an error. The text is already cleaned by ``xlsx_text``."""
    cell = Cell(ws, row=1, column=1, style_array=style)
    cell._value = text  # type: ignore[attr-defined]  # private: skips type guessing
    cell.data_type = "s"
    return cell


def text_cell(ws: WriteOnlyWorksheet, text: str, styles: Styles, long: bool) -> Any:
    """A value or a cell for text: always a string cell, never a formula or an error."""
    text = xlsx_text(text)
    if text.startswith(FORMULA_TRIGGERS):
        return string_cell(ws, text, styles.inert_long if long else styles.inert)
    if long:
        return string_cell(ws, text, styles.by_kind["long"])
    if text.startswith("#"):  # "#N/A" and friends would become error cells
        return string_cell(ws, text)
    return text


def fast_rows(ws: WriteOnlyWorksheet, texts: frozenset[int] = frozenset()) -> None:
    """Give ``ws`` a row builder that takes ready-made cells without an exception.

    openpyxl's write-only ``append`` finds out that a value is a cell by failing to
    store it as a value and formatting the error message — a third of the styling cost
    on a big register. This does what its ``_values_to_row`` does for plain values and
    cells (riskdesk writes no hyperlinks), and is what the streaming writer calls.
    Whole numbers, and strings in the ``texts`` columns (1-based; ``text_cell`` has
    cleaned them and made any formula- or error-like text a cell), skip openpyxl's type
    guessing, which would find what is set here: a number, a plain string.
    """

    def values_to_row(values: list[Any], row_idx: int) -> Iterator[Cell]:
        cell = Cell(ws, row=1, column=1)
        for col_idx, value in enumerate(values, 1):
            if value is None:
                continue
            kind = type(value)
            if kind is Cell:
                value.row, value.column = row_idx, col_idx
                yield value
                continue
            if kind is int:
                cell._value, cell.data_type = value, "n"  # type: ignore[attr-defined]
            elif kind is str and col_idx in texts:
                cell._value, cell.data_type = value, "s"  # type: ignore[attr-defined]
            else:
                cell.value = value
            cell.row, cell.column = row_idx, col_idx
            yield cell
            if cell.has_style:  # a date given as a plain value gets a number format
                cell = Cell(ws, row=1, column=1)

    ws._values_to_row = values_to_row  # type: ignore[attr-defined]  # private openpyxl API


def converters(ws: WriteOnlyWorksheet, columns: tuple[Column, ...], styles: Styles) -> list[Any]:
    """Per column: None (write the value as it is) or a function making the cell."""
    out: list[Any] = []
    for col in columns:
        if col.kind in ("date", "datetime"):
            style = styles.by_kind[col.kind]
            out.append(lambda v, s=style: date_cell(ws, v, s))
        elif col.kind in TEXT_KINDS:
            long = col.kind == "long"
            out.append(lambda v, long=long: text_cell(ws, v, styles, long))
        else:
            out.append(None)
    return out


def print_setup(ws: WriteOnlyWorksheet) -> None:
    """Print landscape, as wide as one page, with the header row on every page: without
    this the AI uses sheet (50 columns) printed as 73 pages. Set before the first row,
    because the streaming writer writes the sheet's properties with it."""
    # The write-only sheet proxies these to its worksheet (missing from the stubs).
    setup = ws.page_setup  # type: ignore[attr-defined]
    setup.orientation = "landscape"
    setup.fitToWidth = 1
    setup.fitToHeight = 0  # as many pages down as the rows need
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(  # type: ignore[attr-defined]
        fitToPage=True
    )
    ws.print_title_rows = "1:1"


class SheetWriter:
    """One register sheet, written a batch of rows at a time."""

    def __init__(self, ws: WriteOnlyWorksheet, sheet: Sheet, progress: Progress) -> None:
        self.ws, self.sheet, self.progress = ws, sheet, progress
        self.written = 0
        columns = sheet.columns
        print_setup(ws)
        fast_rows(ws, frozenset(i for i, c in enumerate(columns, 1) if c.kind in TEXT_KINDS))
        styles = Styles(ws)
        for index, col in enumerate(columns, 1):
            dim = ws.column_dimensions[get_column_letter(index)]  # type: ignore[attr-defined]
            dim.width = col.col_width
            dim.alignment = COLUMN_TOP  # LibreOffice aligns unformatted cells by this
        ws.freeze_panes = sheet.freeze
        # room for two-line headers (a plain dict of row attributes: see below)
        self.heights: dict[int, Any] = ws.row_dimensions  # type: ignore[attr-defined]
        dict.__setitem__(self.heights, 1, {"ht": f"{HEADER_HEIGHT:g}", "customHeight": "1"})
        ws.append([styled_cell(ws, c.header, styles.header) for c in columns])
        convert = converters(ws, columns, styles)
        # Only text and date columns need work; numbers and yes/no go through as they are.
        self.active = [(i, fn) for i, fn in enumerate(convert) if fn is not None]
        self.wrapped = [
            (i, c.col_width * CHARS_PER_WIDTH) for i, c in enumerate(columns) if c.kind == "long"
        ]

    def write(self, rows: Iterable[list[Any]]) -> None:
        ws, active, wrapped = self.ws, self.active, self.wrapped
        for values in rows:
            lines = max((line_count(values[i], per_line) for i, per_line in wrapped), default=1)
            for index, fn in active:
                value = values[index]
                if value is not None:
                    values[index] = fn(value) if value != "" else None
            if lines > 1:
                # The streaming writer copies the row's attributes from row_dimensions; a
                # plain dict of them is far cheaper than a RowDimension per row.
                row = self.written + 2
                height = f"{LINE_HEIGHT * min(lines, MAX_LINES):g}"
                dict.__setitem__(self.heights, row, {"ht": height, "customHeight": "1"})
                ws.append(values)
                dict.__delitem__(self.heights, row)  # written; keep memory flat
            else:
                ws.append(values)
            self.written += 1
            self.progress.add()

    def finish(self) -> None:
        """After the last row: the filter covers every row written."""
        last = get_column_letter(len(self.sheet.columns))
        self.ws.auto_filter.ref = f"A1:{last}{self.written + 1}"  # type: ignore[attr-defined]
