"""The Excel register: one sheet per table, ready to filter, sort and send.

Written with openpyxl's write-only (streaming) mode so 10,000 uses and 50,000 risks
take seconds and little memory. Styling costs almost nothing per cell: each styled
column gets one prepared style that its cells share, tier and band colours are
conditional formats on whole columns, and drop-downs are data validations per column
pointing at the hidden "Lists" sheet.

The sheet and column layout is ``SHEET_COLUMNS`` (see ``riskdesk.fileformat.sheets`` and
docs/export-format.md) — the contract the re-import reads.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import math
import os
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import Cell
from openpyxl.formatting.rule import CellIsRule
from openpyxl.packaging.custom import StringProperty
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.styles.cell_style import StyleArray
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.utils.indexed_list import IndexedList
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.properties import PageSetupProperties

from riskdesk import __version__, enums
from riskdesk.fileformat.safe_text import FORMULA_TRIGGERS, xlsx_text
from riskdesk.fileformat.sheets import (
    FORMAT_VERSION,
    LIST_ENUMS,
    SHEET_COLUMNS,
    SHEET_ORDER,
    SHEETS,
    Column,
    Sheet,
)
from riskdesk.reports.coverage import coverage_rows
from riskdesk.reports.progress import (
    CancelFn,
    Progress,
    ProgressFn,
    atomic_file,
    export_progress,
    paused_gc,
)
from riskdesk.reports.registerdata import RegisterData, load_register
from riskdesk.reports.sheets import sheet_rows
from riskdesk.scoring.bands import band
from riskdesk.service.register import RegisterService
from riskdesk.service.summary import unassessed_sentence

__all__ = ["FORMAT_VERSION", "SHEET_COLUMNS", "SHEET_ORDER", "export_xlsx", "write_workbook"]

MAX_ROW = 1_048_576  # validations and colours cover the whole column, for added rows

# Tier and band colours (fill, font) — the same palette as the board pack.
LEVEL_COLOURS: dict[str, tuple[str, str]] = {
    "Critical": ("C00000", "FFFFFF"),
    "High": ("F4B183", "000000"),
    "Moderate": ("FFE699", "000000"),
    "Medium": ("FFE699", "000000"),
    "Low": ("C6EFCE", "000000"),
    "Not assessed": ("E4D7F5", "000000"),  # its own colour: unknown is not Low
}
HEADER_FILL = "1F3864"
TOP = Alignment(vertical="top")
# The same, as a separate format: a column must name a format other than the default.
COLUMN_TOP = Alignment(vertical="top", wrap_text=False)
# Wrapped rows get a height from their text, because spreadsheets do not reliably grow
# rows on opening a file: about 1.15 characters per unit of column width, 15 points a
# line, at most 8 lines (the cell holds the rest; the row can be enlarged).
CHARS_PER_WIDTH = 1.15
LINE_HEIGHT = 15.0
MAX_LINES = 8
HEADER_HEIGHT = 30.0


def _lines(text: Any, per_line: float) -> int:
    if not text or type(text) is not str:
        return 1
    if len(text) <= per_line and "\n" not in text:
        return 1
    return sum(max(1, math.ceil(len(part) / per_line)) for part in text.split("\n"))


class _Styles:
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


def _cell(ws: WriteOnlyWorksheet, value: Any, style: Any = None) -> Cell:
    return Cell(ws, row=1, column=1, value=value, style_array=style)


def _string_cell(ws: WriteOnlyWorksheet, text: str, style: Any = None) -> Cell:
    """A cell that is a string whatever its text: openpyxl would make "=…" a formula
    and "#N/A" an error. The text is already cleaned by ``xlsx_text``."""
    cell = Cell(ws, row=1, column=1, style_array=style)
    cell._value = text  # type: ignore[attr-defined]  # private: skips type guessing
    cell.data_type = "s"
    return cell


def _text_cell(ws: WriteOnlyWorksheet, text: str, styles: _Styles, long: bool) -> Any:
    """A value or a cell for text: always a string cell, never a formula or an error."""
    text = xlsx_text(text)
    if text.startswith(FORMULA_TRIGGERS):
        return _string_cell(ws, text, styles.inert_long if long else styles.inert)
    if long:
        return _string_cell(ws, text, styles.by_kind["long"])
    if text.startswith("#"):  # "#N/A" and friends would become error cells
        return _string_cell(ws, text)
    return text


def _fast_rows(ws: WriteOnlyWorksheet) -> None:
    """Give ``ws`` a row builder that takes ready-made cells without an exception.

    openpyxl's write-only ``append`` finds out that a value is a cell by failing to
    store it as a value and formatting the error message — a third of the styling cost
    on a big register. This does what its ``_values_to_row`` does for plain values and
    cells (riskdesk writes no hyperlinks), and is what the streaming writer calls.
    """

    def values_to_row(values: list[Any], row_idx: int) -> Iterator[Cell]:
        cell = Cell(ws, row=1, column=1)
        for col_idx, value in enumerate(values, 1):
            if value is None:
                continue
            if type(value) is Cell:
                value.row, value.column = row_idx, col_idx
                yield value
                continue
            cell.value = value
            cell.row, cell.column = row_idx, col_idx
            yield cell
            if cell.has_style:  # a date given as a plain value gets a number format
                cell = Cell(ws, row=1, column=1)

    ws._values_to_row = values_to_row  # type: ignore[attr-defined]  # private openpyxl API


def _converters(ws: WriteOnlyWorksheet, columns: tuple[Column, ...], styles: _Styles) -> list[Any]:
    """Per column: None (write the value as it is) or a function making the cell."""
    out: list[Any] = []
    for col in columns:
        if col.kind in ("date", "datetime"):
            style = styles.by_kind[col.kind]
            out.append(lambda v, s=style: _cell(ws, v, s))
        elif col.kind in ("text", "long", "name", "enum", "ids"):
            long = col.kind == "long"
            out.append(lambda v, long=long: _text_cell(ws, v, styles, long))
        else:
            out.append(None)
    return out


def _print_setup(ws: WriteOnlyWorksheet) -> None:
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


def _write_sheet(
    wb: Workbook, sheet: Sheet, data: RegisterData, lists: dict[str, str], progress: Progress
) -> None:
    ws = wb.create_sheet(sheet.name)
    _print_setup(ws)
    _fast_rows(ws)
    styles = _Styles(ws)
    columns = sheet.columns
    for index, col in enumerate(columns, 1):
        dim = ws.column_dimensions[get_column_letter(index)]
        dim.width = col.col_width
        dim.alignment = COLUMN_TOP  # LibreOffice aligns unformatted cells by this
    ws.freeze_panes = sheet.freeze
    # room for two-line headers (a plain dict of row attributes: see below)
    dict.__setitem__(ws.row_dimensions, 1, {"ht": f"{HEADER_HEIGHT:g}", "customHeight": "1"})
    ws.append([_cell(ws, c.header, styles.header) for c in columns])
    _, rows = sheet_rows(sheet, data)
    convert = _converters(ws, columns, styles)
    # Only text and date columns need work; numbers and yes/no go through as they are.
    active = [(i, fn) for i, fn in enumerate(convert) if fn is not None]
    wrapped = [
        (i, c.col_width * CHARS_PER_WIDTH) for i, c in enumerate(columns) if c.kind == "long"
    ]
    written = 0
    for values in rows:
        lines = max((_lines(values[i], per_line) for i, per_line in wrapped), default=1)
        for index, fn in active:
            value = values[index]
            if value is not None:
                values[index] = fn(value) if value != "" else None
        if lines > 1:
            # The streaming writer copies the row's attributes from row_dimensions; a
            # plain dict of them is far cheaper than a RowDimension per row.
            row = written + 2
            height = f"{LINE_HEIGHT * min(lines, MAX_LINES):g}"
            dict.__setitem__(ws.row_dimensions, row, {"ht": height, "customHeight": "1"})
            ws.append(values)
            dict.__delitem__(ws.row_dimensions, row)  # written; keep memory flat
        else:
            ws.append(values)
        written += 1
        progress.add()
    last = get_column_letter(len(columns))
    ws.auto_filter.ref = f"A1:{last}{written + 1}"
    _decorate_columns(ws, sheet, lists)


def _decorate_columns(ws: WriteOnlyWorksheet, sheet: Sheet, lists: dict[str, str]) -> None:
    """Tier and band colours; drop-downs on the columns people edit (not on Gaps)."""
    editable = bool(sheet.entity)
    for index, col in enumerate(sheet.columns, 1):
        letter = get_column_letter(index)
        span = f"{letter}2:{letter}{MAX_ROW}"
        if col.enum in (enums.Tier, enums.Band):
            for label, (fill, font) in LEVEL_COLOURS.items():
                if label not in {m.label for m in col.enum}:
                    continue
                ws.conditional_formatting.add(  # type: ignore[attr-defined]  # not in the stub
                    span,
                    CellIsRule(  # type: ignore[no-untyped-call]
                        operator="equal",
                        formula=[f'"{label}"'],
                        fill=PatternFill("solid", fgColor=fill, bgColor=fill),
                        font=Font(color=font, bold=label == "Critical"),
                    ),
                )
        if not editable:
            continue
        if col.enum is not None and not col.derived:
            dv = DataValidation(
                type="list",
                formula1=lists[col.enum.__name__],
                allow_blank=True,
                showErrorMessage=True,
                errorTitle=col.header,
                error=f"Choose one of the {col.header.lower()} values in the list.",
            )
            dv.add(span)
            ws.data_validations.append(dv)  # type: ignore[attr-defined]  # not in the stub
        elif col.kind in ("bool", "optbool"):
            dv = DataValidation(type="list", formula1='"TRUE,FALSE"', allow_blank=True)
            dv.add(span)
            ws.data_validations.append(dv)  # type: ignore[attr-defined]  # not in the stub


def _write_lists(wb: Workbook) -> None:
    """The hidden sheet of drop-down values: one column per enumeration (see _list_refs)."""
    ws = wb.create_sheet("Lists")
    ws.sheet_state = "hidden"
    _print_setup(ws)
    columns = [[e.__name__, *(m.label for m in e)] for e in LIST_ENUMS]
    height = max(len(c) for c in columns)
    for row in range(height):
        ws.append([c[row] if row < len(c) else None for c in columns])


def _list_refs() -> dict[str, str]:
    """Each enumeration's range on the Lists sheet, e.g. ``Lists!$A$2:$A$6``."""
    refs: dict[str, str] = {}
    for index, enum in enumerate(LIST_ENUMS, 1):
        letter = get_column_letter(index)
        refs[enum.__name__] = f"{quote_sheetname('Lists')}!${letter}$2:${letter}${len(enum) + 1}"
    return refs


def _summary_lines(data: RegisterData, svc: RegisterService) -> Iterator[tuple[str, Any]]:
    profile = data.profile
    yield ("Organisation", profile.get("name") or "")
    yield ("Confidentiality", profile.get("confidentiality") or "")
    yield ("Exported", dt.datetime.now().replace(microsecond=0))
    yield ("Exported by", svc.actor)
    yield ("Register", svc.register.display_name)
    yield ("Gaps counted as of", data.today)
    yield ("Audit chain head (SHA-256)", data.chain_head)
    yield ("", None)
    live = [u for u in data.uses if u["stage"] != enums.Stage.RETIRED.value]
    yield ("AI uses in the register", len(data.uses))
    yield ("AI uses not retired", len(live))
    for tier in reversed(enums.Tier):
        yield (f"  {tier.label} tier", sum(1 for u in live if u["tier"] == tier.value))
    unassessed = sum(1 for u in live if u["tier"] == enums.Tier.NOT_ASSESSED.value)
    yield ("  Not yet assessed", unassessed_sentence(unassessed) or "Every use is assessed.")
    for stage in enums.Stage:
        yield (f"  Stage: {stage.label}", sum(1 for u in data.uses if u["stage"] == stage.value))
    yield ("Risks", len(data.risks))
    bands = Counter(band(r["residual_likelihood"] * r["residual_impact"]) for r in data.risks)
    for b in reversed(enums.Band):
        yield (f"  Residual risk {b.label}", bands.get(b, 0))
    yield ("Controls", len(data.controls))
    ev = data.evidence  # issue 18: what the register holds, not only what is claimed
    yield ("  Implemented or tested, backed by current evidence", ev.backed)
    yield ("  Implemented or tested, claimed with no evidence", ev.claimed)
    yield ("Evidence files (current revisions)", len(ev.rows))
    yield ("  of them expired", ev.expired)
    yield ("People", len(data.people))
    yield ("Vendors", len(data.vendors))
    yield ("Incidents and near misses", len(data.incidents))
    yield ("Challenges", len(data.challenges))
    with_gaps = [g for g in data.gaps if g.gaps]
    yield ("Uses with open gaps", len(with_gaps))
    yield ("Open gaps", sum(len(g.gaps) for g in with_gaps))


def _write_summary(wb: Workbook, data: RegisterData, svc: RegisterService) -> None:
    ws = wb.create_sheet("Summary")
    _print_setup(ws)
    styles = _Styles(ws)
    ws.column_dimensions["A"].width = 48
    ws.column_dimensions["B"].width = 24
    ws.column_dimensions["C"].width = 12
    ws.column_dimensions["D"].width = 12
    ws.column_dimensions["E"].width = 12
    ws.column_dimensions["F"].width = 12
    ws.column_dimensions["G"].width = 14
    ws.column_dimensions["H"].width = 14
    ws.append([_cell(ws, "AI risk register", styles.title)])
    for label, value in _summary_lines(data, svc):
        if isinstance(value, str):
            value = _text_cell(ws, value, styles, False)
        elif isinstance(value, dt.datetime):
            value = _cell(ws, value, styles.by_kind["datetime"])
        elif isinstance(value, dt.date):
            value = _cell(ws, value, styles.by_kind["date"])
        ws.append([_text_cell(ws, label, styles, False) if label else None, value])
    # Framework coverage (issue 7): filled by riskdesk.reports.coverage.coverage_rows.
    rows = coverage_rows(svc)
    ws.append([])
    ws.append([_cell(ws, "Framework coverage", styles.bold)])
    if not rows:
        ws.append(["No framework coverage is available for this register yet."])
        return
    header = [
        "Framework",
        "Items",
        "Covered",
        "Planned only",
        "Not covered",
        "Covered %",
        "Evidence-backed",
        "Claimed, no evidence",
    ]
    ws.append([_cell(ws, h, styles.header) for h in header])
    for r in rows:
        ws.append(
            [
                _text_cell(ws, r.name, styles, False),
                r.total,
                r.covered,
                r.planned,
                r.uncovered,
                r.percent,
                r.evidence_backed,
                r.claimed_no_evidence,
            ]
        )


def _set_properties(wb: Workbook, data: RegisterData, svc: RegisterService) -> None:
    org = data.profile.get("name") or "AI risk register"
    props = wb.properties
    props.title = f"{org} — AI risk register"
    props.subject = "AI risk register export"
    props.creator = svc.actor
    props.lastModifiedBy = svc.actor
    props.created = dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)
    props.modified = props.created
    props.keywords = "AI risk register; riskdesk"
    props.description = f"Exported by riskdesk {__version__} from {svc.register.display_name}."
    props.category = data.profile.get("confidentiality") or ""
    custom = wb.custom_doc_props  # type: ignore[attr-defined]  # missing from types-openpyxl
    custom.append(StringProperty(name="riskdesk_format", value=FORMAT_VERSION))
    custom.append(StringProperty(name="riskdesk_chain_head", value=data.chain_head))


def write_workbook(
    svc: RegisterService, data: RegisterData, target: Path, progress: Progress
) -> None:
    wb = Workbook(write_only=True)
    _top_align_by_default(wb)
    try:
        _set_properties(wb, data, svc)
        _write_summary(wb, data, svc)
        # Lists comes last in the tab order, but the validations need its ranges first.
        refs = _list_refs()
        for sheet in SHEETS:
            progress.check()
            _write_sheet(wb, sheet, data, refs, progress)
        _write_lists(wb)
        progress.check()
    except BaseException:
        _discard(wb)
        raise
    wb.save(target)


def _top_align_by_default(wb: Workbook) -> None:
    """Make the workbook's default cell format top-aligned.

    Rows grow for wrapped text, and bottom-aligned neighbours (the spreadsheet default)
    would then sit far from their row's first line. Styling every cell would cost a
    style per cell; changing the default format (xf 0) costs nothing and is what Excel
    applies to a cell without a format (LibreOffice uses the column's format instead,
    set in ``_write_sheet``). openpyxl has no public API for it, hence its private style
    lists, set before any style is used.
    """
    default = StyleArray()
    default.alignmentId = wb._alignments.add(TOP)  # type: ignore[attr-defined]
    wb._cell_styles = IndexedList([default])  # type: ignore[attr-defined]


def _discard(wb: Workbook) -> None:
    """Close and delete the streaming sheets' temporary files after a cancel or error.

    openpyxl has no public way to abandon a write-only workbook; left alone, its sheet
    generators are closed later by the garbage collector against closed files.
    """
    for ws in wb.worksheets:
        writer = getattr(ws, "_writer", None)
        if writer is None:
            continue
        rows = getattr(ws, "_rows", None)
        with contextlib.suppress(Exception):
            if rows is not None:
                rows.close()
        with contextlib.suppress(Exception):
            writer.close()
        with contextlib.suppress(Exception):
            writer.cleanup()


def export_xlsx(
    svc: RegisterService,
    path: str | os.PathLike[str],
    progress: ProgressFn | None = None,
    cancel: CancelFn | None = None,
    *,
    today: dt.date | None = None,
) -> Path:
    """Write the register to ``path`` as an Excel workbook; all or nothing.

    ``progress(done, total)`` is called now and then; ``cancel()`` returning True stops
    the export with ``ExportCancelled`` and leaves no file.
    """
    target = Path(path)
    tracker = export_progress(1, progress, cancel)
    tracker.check()
    with paused_gc():
        data = load_register(svc, today)
        counts = data.row_counts()
        tracker.total = sum(counts.values()) + counts["uses"]  # uses appear on two sheets
        with atomic_file(target) as tmp:
            write_workbook(svc, data, tmp, tracker)
    tracker.finish()
    return target
