"""Exports: the Excel register, the PDF board pack and CSV, shared by the GUI and the CLI.

Every export takes ``progress(done, total)`` and ``cancel() -> bool`` callbacks and
writes all or nothing. Heavy libraries (openpyxl, reportlab) load only when an export
runs, so importing this package stays cheap.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import TYPE_CHECKING

from riskdesk.fileformat.safe_text import unescape_csv_cell
from riskdesk.reports.progress import CancelFn, ExportCancelled, ExportError, ProgressFn

if TYPE_CHECKING:
    from riskdesk.service.register import RegisterService

__all__ = [
    "ExportCancelled",
    "ExportError",
    "export_csv",
    "export_pdf",
    "export_xlsx",
    "unescape_csv_cell",
]


def export_xlsx(
    svc: RegisterService,
    path: str | os.PathLike[str],
    progress: ProgressFn | None = None,
    cancel: CancelFn | None = None,
    *,
    today: dt.date | None = None,
) -> Path:
    """The Excel register (see ``riskdesk.reports.xlsx.export_xlsx``)."""
    from riskdesk.reports import xlsx

    return xlsx.export_xlsx(svc, path, progress, cancel, today=today)


def export_pdf(
    svc: RegisterService,
    path: str | os.PathLike[str],
    appendix: bool = True,
    progress: ProgressFn | None = None,
    cancel: CancelFn | None = None,
    *,
    record: bool = True,
    today: dt.date | None = None,
) -> Path:
    """The PDF board pack (see ``riskdesk.reports.pdf.export_pdf``)."""
    from riskdesk.reports import pdf

    return pdf.export_pdf(svc, path, appendix, progress, cancel, record=record, today=today)


def export_csv(
    svc: RegisterService,
    path: str | os.PathLike[str],
    progress: ProgressFn | None = None,
    cancel: CancelFn | None = None,
) -> Path:
    """One CSV per table, zipped or in a folder (see ``riskdesk.reports.csv_export``)."""
    from riskdesk.reports import csv_export

    return csv_export.export_csv(svc, path, progress, cancel)
