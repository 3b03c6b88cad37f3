"""What an import did, how it reports progress, and how its messages are worded."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from riskdesk.importers.errors import ImportProblem
from riskdesk.importers.mapping import Mapping as ColumnMapping
from riskdesk.importers.values import header_key
from riskdesk.progress import CancelFn, Cancelled, Progress, ProgressFn
from riskdesk.service.errors import ServiceError
from riskdesk.service.register import ActionResult

CHUNK = 500  # rows per create_many: progress and cancel between chunks
EXAMPLES = 3  # rows named in a summary warning


class ImportCancelled(Cancelled, ServiceError):
    """The user cancelled the import; it was rolled back and nothing was written."""


class Rollback(Exception):
    """Leave the transaction without committing (dry run, or problems found)."""


@dataclass
class ImportReport:
    """What an import did (or, in a dry run, would do)."""

    file: str
    format: str
    sheet: str | None = None
    dry_run: bool = False
    skip_invalid: bool = False
    rows_read: int = 0  # records in the file, rows left out as "not AI uses" excepted
    rows_skipped: int = 0  # rows left out as not AI uses (the file says so)
    rows_rejected: int = 0  # rows with problems, not imported
    created: dict[str, int] = field(default_factory=dict)  # entity -> records created
    matched: dict[str, int] = field(default_factory=dict)  # entity -> existing records used
    problems: list[ImportProblem] = field(default_factory=list)
    warnings: list[ImportProblem] = field(default_factory=list)
    written: bool = False  # committed to the register
    mapping: ColumnMapping | None = field(default=None, repr=False)  # a table import's
    result: ActionResult | None = field(default=None, repr=False)  # for undo

    @property
    def stopped(self) -> bool:
        """Problems stopped the import: nothing was (or would be) written."""
        return bool(self.problems) and (not self.skip_invalid or not any(self.created.values()))

    @property
    def imported(self) -> int:
        """Rows of the file that became records (or would, in a dry run)."""
        return 0 if self.stopped else self.rows_read - self.rows_rejected

    def to_dict(self) -> dict[str, Any]:
        def problem(p: ImportProblem) -> dict[str, Any]:
            return {**dataclasses.asdict(p), "message": str(p)}

        return {
            "file": self.file,
            "format": self.format,
            "sheet": self.sheet,
            "dry_run": self.dry_run,
            "skip_invalid": self.skip_invalid,
            "written": self.written,
            "stopped": self.stopped,
            "rows": {
                "read": self.rows_read,
                "imported": self.imported,
                "rejected": self.rows_rejected,
                "skipped": self.rows_skipped,
            },
            "created": dict(self.created),
            "matched": dict(self.matched),
            "problems": [problem(p) for p in self.problems],
            "warnings": [problem(p) for p in self.warnings],
        }


def import_progress(total: int, progress: ProgressFn | None, cancel: CancelFn | None) -> Progress:
    """Progress after every chunk of rows (``step=1``: each ``add`` reports), and cancel."""
    return Progress(
        total,
        progress,
        cancel,
        step=1,
        cancelled=ImportCancelled,
        message="import cancelled: nothing was written",
    )


def sentence(label: str, reason: str) -> str:
    """ "Name" + "is longer than 300 characters" -> "Name is longer than 300 characters"."""
    if reason.startswith(("is ", "must ", "refers ", "give ", "an ", "the ")):
        return f"{label} {reason}"
    return f"{label}: {reason}"


def in_cell(label: str, header: str | None, reason: str) -> str:
    """The reason for a problem in a column: the field is named only if the header does not."""
    if header is not None and header_key(header) == header_key(label):
        return sentence("this cell", reason)
    return sentence(label, reason)


def chunks(items: Sequence[Any], size: int = CHUNK) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]
