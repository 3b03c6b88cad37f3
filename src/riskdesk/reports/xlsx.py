"""The Excel register: one sheet per table, ready to filter, sort and send.

Written with openpyxl's write-only (streaming) mode, straight from SQL a batch of rows
at a time (issue 19), so 100,000 uses and 500,000 risks take little memory. Cells share
prepared styles (``xlsx_cells``), tier and band colours are conditional formats on
whole columns, and drop-downs are data validations per column pointing at the hidden
"Lists" sheet.

The sheet and column layout is ``SHEET_COLUMNS`` (see ``riskdesk.fileformat.sheets`` and
docs/export-format.md) — the contract the re-import reads.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
from collections.abc import Generator, Iterator
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.formatting.rule import CellIsRule
from openpyxl.packaging.custom import StringProperty
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.styles.cell_style import StyleArray
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.utils.indexed_list import IndexedList
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.worksheet.datavalidation import DataValidation

from riskdesk import __version__, enums
from riskdesk.fileformat.sheets import (
    FORMAT_VERSION,
    LIST_ENUMS,
    SHEET_COLUMNS,
    SHEET_ORDER,
    SHEETS,
    SHEETS_BY_NAME,
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
from riskdesk.reports.registerdata import BATCH, Lookups, one_read, read_lookups
from riskdesk.reports.sheets import SOURCES, gap_getters, gap_rows, listed_rows, table_rows
from riskdesk.reports.xlsx_cells import SheetWriter, Styles, print_setup, styled_cell, text_cell
from riskdesk.service.oversight import iter_register_gaps
from riskdesk.service.register import RegisterService
from riskdesk.service.summary import unassessed_sentence

__all__ = ["FORMAT_VERSION", "SHEET_COLUMNS", "SHEET_ORDER", "export_xlsx", "write_workbook"]

GAPS = SHEETS_BY_NAME["Gaps"]
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
TOP = Alignment(vertical="top")


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
    print_setup(ws)
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


def _summary_lines(look: Lookups, svc: RegisterService) -> Iterator[tuple[str, Any]]:
    profile, counts = look.profile, look.counts
    yield ("Organisation", profile.get("name") or "")
    yield ("Confidentiality", profile.get("confidentiality") or "")
    yield ("Exported", dt.datetime.now().replace(microsecond=0))
    yield ("Exported by", svc.actor)
    yield ("Register", svc.register.display_name)
    yield ("Gaps counted as of", look.today)
    yield ("Audit chain head (SHA-256)", look.chain_head)
    yield ("", None)
    yield ("AI uses in the register", counts.uses)
    yield ("AI uses not retired", counts.live)
    for tier in reversed(enums.Tier):
        yield (f"  {tier.label} tier", counts.live_by_tier[tier.value])
    unassessed = counts.live_by_tier[enums.Tier.NOT_ASSESSED.value]
    yield ("  Not yet assessed", unassessed_sentence(unassessed) or "Every use is assessed.")
    for stage in enums.Stage:
        yield (f"  Stage: {stage.label}", counts.by_stage[stage.value])
    yield ("Risks", counts.risks)
    for b in reversed(enums.Band):
        yield (f"  Residual risk {b.label}", counts.residual_bands[b])
    yield ("Controls", counts.tables["control"])
    ev = look.evidence  # issue 18: what the register holds, not only what is claimed
    yield ("  Implemented or tested, backed by current evidence", ev.backed)
    yield ("  Implemented or tested, claimed with no evidence", ev.claimed)
    yield ("Evidence files (current revisions)", len(ev.rows))
    yield ("  of them expired", ev.expired)
    yield ("People", counts.tables["person"])
    yield ("Vendors", counts.tables["vendor"])
    yield ("Incidents and near misses", counts.tables["incident"])
    yield ("Challenges", counts.tables["challenge"])
    yield ("Uses with open gaps", sum(1 for n in look.gap_count.values() if n))
    yield ("Open gaps", look.open_gaps)


def _write_summary(ws: WriteOnlyWorksheet, look: Lookups, svc: RegisterService) -> None:
    print_setup(ws)
    styles = Styles(ws)
    for letter, width in zip("ABCDEFGH", (48, 24, 12, 12, 12, 12, 14, 14), strict=True):
        ws.column_dimensions[letter].width = width  # type: ignore[attr-defined]  # proxied
    ws.append([styled_cell(ws, "AI risk register", styles.title)])
    for label, value in _summary_lines(look, svc):
        if isinstance(value, str):
            value = text_cell(ws, value, styles, False)
        elif isinstance(value, dt.datetime):
            value = styled_cell(ws, value, styles.by_kind["datetime"])
        elif isinstance(value, dt.date):
            value = styled_cell(ws, value, styles.by_kind["date"])
        ws.append([text_cell(ws, label, styles, False) if label else None, value])
    # Framework coverage (issue 7): filled by riskdesk.reports.coverage.coverage_rows.
    rows = coverage_rows(svc)
    ws.append([])
    ws.append([styled_cell(ws, "Framework coverage", styles.bold)])
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
    ws.append([styled_cell(ws, h, styles.header) for h in header])
    for r in rows:
        ws.append(
            [
                text_cell(ws, r.name, styles, False),
                r.total,
                r.covered,
                r.planned,
                r.uncovered,
                r.percent,
                r.evidence_backed,
                r.claimed_no_evidence,
            ]
        )


def _set_properties(wb: Workbook, look: Lookups, svc: RegisterService) -> None:
    org = look.profile.get("name") or "AI risk register"
    props = wb.properties
    props.title = f"{org} — AI risk register"
    props.subject = "AI risk register export"
    props.creator = svc.actor
    props.lastModifiedBy = svc.actor
    props.created = dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)
    props.modified = props.created
    props.keywords = "AI risk register; riskdesk"
    props.description = f"Exported by riskdesk {__version__} from {svc.register.display_name}."
    props.category = look.profile.get("confidentiality") or ""
    custom = wb.custom_doc_props  # type: ignore[attr-defined]  # missing from types-openpyxl
    custom.append(StringProperty(name="riskdesk_format", value=FORMAT_VERSION))
    custom.append(StringProperty(name="riskdesk_chain_head", value=look.chain_head))


def write_workbook(
    svc: RegisterService, target: Path, progress: Progress, today: dt.date, batch: int = BATCH
) -> None:
    """Stream the register into ``target``: every sheet is written as its rows are read,
    a batch at a time, so memory stays flat however large the register (issue 19)."""
    wb = Workbook(write_only=True)
    _top_align_by_default(wb)
    try:
        # The tab order is the order sheets are created; each streams to its own file,
        # so they can be filled in any order: Gaps first, because the open-gap counts
        # appear on other sheets, and the Summary last, when every figure is known.
        summary = wb.create_sheet("Summary")
        tabs = {s.name: wb.create_sheet(s.name) for s in SHEETS}
        refs = _list_refs()  # Lists comes last in the tab order; validations need its ranges
        with one_read(svc) as conn:
            look = read_lookups(svc, conn, today, batch)
            progress.total = _total(look)
            progress.check()
            _write_gaps(svc, look, SheetWriter(tabs["Gaps"], GAPS, progress), refs, batch, conn)
            for sheet in SHEETS:
                if sheet is GAPS:
                    continue
                progress.check()
                writer = SheetWriter(tabs[sheet.name], sheet, progress)
                if sheet.name in SOURCES:
                    for rows in table_rows(sheet, conn, look, batch):
                        writer.write(rows)
                else:  # Evidence (issue 18): rows read with the lookups
                    writer.write(listed_rows(sheet, look.evidence.rows, look))
                writer.finish()
                _decorate_columns(writer.ws, sheet, refs)
        _set_properties(wb, look, svc)
        _write_summary(summary, look, svc)
        _write_lists(wb)
        progress.check()
    except BaseException:
        _discard(wb)
        raise
    wb.save(target)


def _total(look: Lookups) -> int:
    """Units of progress: a row per record (uses appear on two sheets) and, for the
    Gaps sheet, one per use judged until its rows are known."""
    counts = look.counts
    return sum(counts.tables.values()) + 3 * counts.uses + counts.risks + len(look.evidence.rows)


def _write_gaps(
    svc: RegisterService,
    look: Lookups,
    writer: SheetWriter,
    refs: dict[str, str],
    batch: int,
    conn: Any,
) -> None:
    """The Gaps sheet from the batched judge; fills ``look.gap_count`` on the way."""
    getters = gap_getters(GAPS, look)
    judged = iter_register_gaps(svc, look.today, batch, conn=conn)  # the sheets' snapshot
    try:
        for use in judged:
            if use.gaps:
                look.gap_count[use.use_id] = len(use.gaps)
                writer.progress.total += len(use.gaps) - 1
                writer.write(gap_rows(use, getters))
            else:
                writer.progress.add()
    finally:
        if isinstance(judged, Generator):  # a cancel closes its read connection at once
            judged.close()
    writer.finish()
    _decorate_columns(writer.ws, GAPS, refs)


def _top_align_by_default(wb: Workbook) -> None:
    """Make the workbook's default cell format top-aligned.

    Rows grow for wrapped text, and bottom-aligned neighbours (the spreadsheet default)
    would then sit far from their row's first line. Styling every cell would cost a
    style per cell; changing the default format (xf 0) costs nothing and is what Excel
    applies to a cell without a format (LibreOffice uses the column's format instead,
    set by ``SheetWriter``). openpyxl has no public API for it, hence its private style
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
    batch: int = BATCH,
) -> Path:
    """Write the register to ``path`` as an Excel workbook; all or nothing.

    ``progress(done, total)`` is called now and then; ``cancel()`` returning True stops
    the export with ``ExportCancelled`` and leaves no file. ``batch``: records read and
    written at a time.
    """
    target = Path(path)
    tracker = export_progress(1, progress, cancel)
    tracker.check()
    with paused_gc(), atomic_file(target) as tmp:
        write_workbook(svc, tmp, tracker, today or dt.date.today(), batch)
    tracker.finish()
    return target
