"""Writing an import into the register, every record validated and audited by the service.

The importers read a file into plain values and write nothing: ``read_inventory`` (any
table, the OMB inventories) and ``read_riskdesk`` (riskdesk's own export). Here those
values become records, in ONE ``UnitOfWork``: vendors and people are found by name
(any case) or created, the columns riskdesk does not map become the use's
``source_record``, and every ``ValidationError`` the service raises is mapped back to
the file, sheet, row and column it came from — the person fixing it has the file open.

- Without ``skip_invalid`` the import is all-or-nothing: every row is still checked, so
  every problem is reported at once, and then nothing is written — not even an audit
  event, because the transaction is rolled back.
- With ``skip_invalid`` the valid rows go in and the others are reported.
- ``dry_run`` runs the whole import inside the transaction and rolls it back.
- ``cancel()`` returning True rolls back too (``ImportCancelled``).

Rows are written with ``UnitOfWork.create_many``, a few hundred at a time so progress
can be shown: the 2,133-row 2024 OMB inventory imports in well under a second.

This package: ``import_file`` (here) picks the reader; ``plan`` writes a table of AI
uses, ``restore`` riskdesk's own export; ``names`` finds or creates vendors and people
by name; ``report`` holds ``ImportReport``, cancelling and the wording of problems.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from riskdesk.importers.inventory import FORMATS as TABLE_FORMATS
from riskdesk.importers.inventory import read_inventory
from riskdesk.importers.mapping import Mapping as ColumnMapping
from riskdesk.importers.riskdesk_format import FORMAT as RISKDESK_FORMAT
from riskdesk.importers.riskdesk_format import is_riskdesk_export, read_riskdesk
from riskdesk.progress import CancelFn, ProgressFn
from riskdesk.service.importing.plan import import_plan
from riskdesk.service.importing.report import ImportCancelled, ImportReport
from riskdesk.service.importing.restore import import_book
from riskdesk.service.register import RegisterService

__all__ = [
    "FORMATS",
    "CancelFn",
    "ImportCancelled",
    "ImportReport",
    "ProgressFn",
    "detect_file_format",
    "import_book",
    "import_file",
    "import_plan",
]

FORMATS: tuple[str, ...] = ("auto", RISKDESK_FORMAT, *(f for f in TABLE_FORMATS if f != "auto"))


def detect_file_format(path: str | Path) -> str | None:
    """ "riskdesk" for riskdesk's own export; None: let ``read_inventory`` decide."""
    return RISKDESK_FORMAT if is_riskdesk_export(path) else None


def import_file(
    service: RegisterService,
    path: str | Path,
    fmt: str = "auto",
    *,
    sheet: str | None = None,
    mapping: ColumnMapping | None = None,
    dry_run: bool = False,
    skip_invalid: bool = False,
    progress: ProgressFn | None = None,
    cancel: CancelFn | None = None,
) -> ImportReport:
    """Read ``path`` and import it; ``fmt`` is one of ``FORMATS``.

    Raises ``ImportFileError`` for a file that cannot be read at all (nothing written),
    ``ValueError`` for an unknown format or a mapping given for a riskdesk export.
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown import format {fmt!r}; use one of {', '.join(FORMATS)}")
    if fmt == "auto" and mapping is None:
        fmt = detect_file_format(path) or "auto"
    options: dict[str, Any] = {
        "dry_run": dry_run,
        "skip_invalid": skip_invalid,
        "progress": progress,
        "cancel": cancel,
    }
    if fmt == RISKDESK_FORMAT:
        if mapping is not None:
            raise ValueError("a riskdesk export needs no column mapping")
        return import_book(service, read_riskdesk(path), **options)
    return import_plan(service, read_inventory(path, fmt, sheet, mapping), **options)
