"""What the Evidence tab, its Revisions dialog and the Evidence page share: a table model
over ``EvidenceInfo`` rows, the expiry status in words, and getting a file back out
(a read-only temporary copy to open, or a copy saved where the user says).

Everything goes through ``service.evidence``; a file that no longer matches its hash
is refused there, so what opens is always byte-identical to what was added.
"""

from __future__ import annotations

import atexit
import contextlib
import datetime as dt
import os
import re
import shutil
import stat
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, QUrl
from PySide6.QtGui import QBrush, QColor, QDesktopServices
from PySide6.QtWidgets import QFileDialog, QWidget

from riskdesk.service.errors import ServiceError, StoreError
from riskdesk.service.evidence import EvidenceInfo, Target, evidence_bytes
from riskdesk.service.register import RegisterService
from riskdesk.ui.models.table_model import ObjectRole

AnyIndex = QModelIndex | QPersistentModelIndex

# Column key -> header. Each view picks the columns it needs, in its own order.
HEADERS: dict[str, str] = {
    "revision": "Revision",
    "title": "Title",
    "supports": "Supports",
    "kind": "Kind",
    "file": "File",
    "dated": "Date",
    "valid_until": "Valid until",
    "status": "Status",
    "added_by": "Added by",
    "added_at": "Added on",
    "sha256": "SHA-256",
}
SHORT_HASH = 12  # characters of the hash shown; the tooltip has all 64
EXPIRED_COLOURS = ("#fde2e2", "#8a1f11")  # background, text: expired is red
EXPIRING_COLOURS = ("#fff2b3", "#5c4400")


def status_text(info: EvidenceInfo, today: dt.date) -> str:
    """The status in words: "expired 12 days ago", "expiring in 9 days", "current"."""
    status = info.status(today)
    if status == "replaced":
        return "replaced by a newer revision"
    if status in ("removed", "no expiry"):
        return "current (no expiry date)" if status == "no expiry" else status
    assert info.valid_until is not None  # expired, expires soon and valid all have one
    days = (info.valid_until - today).days
    if status == "expired":
        return f"expired {-days} day{'s' if days != -1 else ''} ago"
    if status == "expires soon":
        return "expiring today" if days == 0 else f"expiring in {days} day{'s' if days > 1 else ''}"
    return "current"


def added_by_text(info: EvidenceInfo, people: Mapping[int, str]) -> str:
    """The person named as adding it, else the account that did."""
    if info.added_by_id is not None and info.added_by_id in people:
        return people[info.added_by_id]
    return info.added_by


class EvidenceModel(QAbstractTableModel):
    """Read-only rows of evidence; ``columns`` are keys of ``HEADERS``."""

    def __init__(self, columns: Sequence[str], parent: Any = None) -> None:
        super().__init__(parent)
        self.columns = list(columns)
        self.rows: list[EvidenceInfo] = []
        self.today = dt.date.today()
        self.people: Mapping[int, str] = {}
        self.supports: Mapping[int, str] = {}  # evidence id -> what it supports, in words
        self._sort: tuple[int, Qt.SortOrder] | None = None

    def set_rows(
        self,
        rows: Sequence[EvidenceInfo],
        today: dt.date,
        people: Mapping[int, str],
        supports: Mapping[int, str] | None = None,
    ) -> None:
        self.beginResetModel()
        self.rows, self.today, self.people = list(rows), today, people
        self.supports = supports or {}
        if self._sort is not None:
            self._order(*self._sort)
        self.endResetModel()

    def info_at(self, row: int) -> EvidenceInfo:
        return self.rows[row]

    def row_of(self, evidence_id: int) -> int:
        return next((i for i, e in enumerate(self.rows) if e.id == evidence_id), -1)

    def value(self, info: EvidenceInfo, key: str) -> Any:
        """The cell's value for sorting (dates as dates, so they sort as dates)."""
        if key == "revision":
            return info.id
        if key == "kind":
            return info.kind_label
        if key == "file":
            return info.file_name
        if key == "status":
            return status_text(info, self.today)
        if key == "added_by":
            return added_by_text(info, self.people)
        if key == "supports":
            return self.supports.get(info.id, "")
        return getattr(info, key)

    def text(self, info: EvidenceInfo, key: str) -> str:
        value = self.value(info, key)
        if key == "sha256":
            return str(value)[:SHORT_HASH]
        if isinstance(value, dt.datetime):
            return value.strftime("%Y-%m-%d %H:%M")
        if isinstance(value, dt.date):
            return value.isoformat()
        return "" if value is None else str(value)

    # --- Qt model interface --------------------------------------------------------
    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self.columns):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[self.columns[section]]
        if role == Qt.ItemDataRole.ToolTipRole and self.columns[section] == "sha256":
            return "The file's SHA-256 fingerprint: riskdesk check recomputes it"
        return None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        info, key = self.rows[index.row()], self.columns[index.column()]
        if role == ObjectRole:
            return info.id
        if role == Qt.ItemDataRole.DisplayRole:
            return self.text(info, key)
        if role == Qt.ItemDataRole.ToolTipRole:
            if key == "sha256":
                return info.sha256
            if key in ("title", "supports"):
                return self.text(info, key) or None
            return None
        if role in (Qt.ItemDataRole.BackgroundRole, Qt.ItemDataRole.ForegroundRole):
            if key not in ("status", "valid_until"):
                return None
            status = info.status(self.today)
            colours = {"expired": EXPIRED_COLOURS, "expires soon": EXPIRING_COLOURS}.get(status)
            if colours is None:
                return None
            return QBrush(QColor(colours[0 if role == Qt.ItemDataRole.BackgroundRole else 1]))
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(self.columns):
            return
        self._sort = (column, order)
        self.layoutAboutToBeChanged.emit()
        self._order(column, order)
        self.layoutChanged.emit()

    def _order(self, column: int, order: Qt.SortOrder) -> None:
        key = self.columns[column]

        def sort_key(info: EvidenceInfo) -> tuple[bool, Any, int]:
            value = self.value(info, key)
            blank = value is None or value == ""
            return (blank, value if not blank else "", info.id)

        self.rows.sort(key=sort_key, reverse=order == Qt.SortOrder.DescendingOrder)


# --- getting a file back out ------------------------------------------------------------

_temp_root: Path | None = None
_UNSAFE = re.compile(r'[<>:"/\\|?*\x00-\x1f]')


def _remove_tree(root: Path) -> None:
    for folder, _dirs, files in os.walk(root):
        for name in files:  # Windows will not delete a read-only file
            with contextlib.suppress(OSError):
                os.chmod(os.path.join(folder, name), stat.S_IWRITE | stat.S_IREAD)
    shutil.rmtree(root, ignore_errors=True)


def temp_folder() -> Path:
    """One folder per session for the copies handed to other programs, removed on exit."""
    global _temp_root
    if _temp_root is None or not _temp_root.exists():
        _temp_root = Path(tempfile.mkdtemp(prefix="riskdesk-evidence-"))
        atexit.register(_remove_tree, _temp_root)
    return _temp_root


def file_name_for(info: EvidenceInfo) -> str:
    """The name the file was added under, made safe for any file system."""
    name = _UNSAFE.sub("_", Path(info.file_name.replace("\\", "/")).name).strip(" .")
    return name or f"evidence-{info.id}"


def temp_copy(service: RegisterService, info: EvidenceInfo) -> Path:
    """A read-only copy of one revision's file: what another program opens, so nothing
    it does can touch the register (which keeps the only real copy)."""
    data = evidence_bytes(service, info.id)  # refuses a file that fails its hash
    folder = temp_folder() / str(info.id)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / file_name_for(info)
    if path.exists():
        path.chmod(stat.S_IWRITE | stat.S_IREAD)  # opened before: write it afresh
    path.write_bytes(data)
    path.chmod(stat.S_IREAD)
    return path


def open_copy(service: RegisterService, info: EvidenceInfo) -> str | None:
    """Open a temporary read-only copy with the program the system picks; the message
    to show when that cannot be done, else None."""
    try:
        path = temp_copy(service, info)
    except (ServiceError, StoreError) as exc:
        return str(exc)
    except OSError as exc:
        return f"Could not write a temporary copy to open: {exc.strerror or exc}"
    if not QDesktopServices.openUrl(QUrl.fromLocalFile(str(path))):
        kind = f"“{path.suffix}” files" if path.suffix else "files without an extension"
        return (
            f"Nothing on this computer opens {kind}, so “{info.title}” could not be opened. "
            "Use Save a copy… and open it with a program of your choice."
        )
    return None


def save_copy(
    parent: QWidget, service: RegisterService, info: EvidenceInfo
) -> tuple[bool, str] | None:
    """Ask where, and write the file there byte for byte. Returns whether it worked and
    what to tell the user (where it went, or why not); None when they cancelled."""
    start = str(Path.home() / file_name_for(info))
    path, _ = QFileDialog.getSaveFileName(parent, f"Save a copy of “{info.title}”", start)
    if not path:
        return None
    try:
        Path(path).write_bytes(evidence_bytes(service, info.id))
    except (ServiceError, StoreError) as exc:
        return False, str(exc)
    except OSError as exc:
        return False, f"Could not save to {path}: {exc.strerror or exc}"
    return True, f"Saved a copy of “{info.title}” to {path}."


def describe_targets(targets: Sequence[Target], names: Mapping[Target, str]) -> str:
    """ "vendor Vendor X; use Essay helper" for a list of what evidence supports."""
    words = {"use": "AI use"}
    return "; ".join(f"{words.get(t.kind, t.kind)} {names.get(t) or f'#{t.id}'}" for t in targets)
