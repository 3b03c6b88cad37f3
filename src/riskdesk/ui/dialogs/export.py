"""File ▸ Export…: the Excel register, the PDF board pack or CSV tables, off the GUI thread.

The export runs as a job (``ui/jobs.py``) with a cancellable progress dialog; the
worker only calls the export function — it never touches a widget.
A cancelled or failed export leaves no file (the exports write all or nothing). "Open
when done" hands the file to the desktop (``open_file``, replaced in tests). A finished
export stays in the dialog ("Saved to …", Open file, Open folder), saying so when
nothing on the computer can open it.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSettings, QStandardPaths, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QCloseEvent, QDesktopServices
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMessageBox,
    QProgressDialog,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from riskdesk.progress import CancelFn, ProgressFn
from riskdesk.reports import export_csv, export_pdf, export_xlsx
from riskdesk.service.register import RegisterService
from riskdesk.ui.jobs import Jobs

# format key → (menu text, file suffix, file dialog filter, name stem)
FORMATS: dict[str, tuple[str, str, str, str]] = {
    "xlsx": ("Excel register (.xlsx)", ".xlsx", "Excel workbooks (*.xlsx)", "ai-register"),
    "pdf": ("Board pack (.pdf)", ".pdf", "PDF documents (*.pdf)", "board-pack"),
    "csv": ("CSV tables (.zip)", ".zip", "Zip archives (*.zip)", "register-tables"),
}
SETTING_FOLDER = "export/folder"
SETTING_OPEN = "export/open_when_done"
SETTING_FORMAT = "export/format"
HINT_STYLE = "color: #52606d;"
NOT_OPENED = " — no application on this computer could open it; open it from its folder"
NO_VIEWER = (
    "No application on this computer could open it (no program is set up for {kind} "
    "files). Use Open folder, or copy the file to a computer that has one."
)
NO_FOLDER = "The folder could not be opened either: find the file in {folder}."


def open_file(path: Path) -> bool:
    """Open an exported file with the desktop's default application."""
    return bool(QDesktopServices.openUrl(QUrl.fromLocalFile(str(path))))


def default_name(service: RegisterService, fmt: str, today: dt.date | None = None) -> str:
    org = service.profile().get("name") or "riskdesk"
    slug = re.sub(r"[^\w]+", "-", org.casefold()).strip("-")[:40] or "riskdesk"
    _, suffix, _, stem = FORMATS[fmt]
    return f"{slug}-{stem}-{(today or dt.date.today()).isoformat()}{suffix}"


class ExportDialog(QDialog):
    """Choose a format and a file, then export with progress and cancel."""

    exported = Signal(str)  # path of the finished file
    cancelled = Signal()
    failed = Signal(str)

    def __init__(
        self, service: RegisterService, settings: QSettings, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("exportDialog")
        self.setWindowTitle("Export")
        self.service, self.settings = service, settings
        self.jobs = Jobs(self)  # the export, off the GUI thread
        self.jobs.progress.connect(self._progress)
        self.jobs.done.connect(self._done)
        self.jobs.cancelled.connect(self._cancelled)
        self.jobs.failed.connect(self._failed)
        self.progress_dialog: QProgressDialog | None = None

        self.format = QComboBox(self)
        self.format.setObjectName("exportFormat")
        for key, (text, *_rest) in FORMATS.items():
            self.format.addItem(text, key)
        self.path = QLineEdit(self)
        self.path.setObjectName("exportPath")
        self.path.setMinimumWidth(380)
        browse = QPushButton("&Browse…", self)
        browse.setObjectName("exportBrowse")
        browse.clicked.connect(self._browse)
        path_row = QHBoxLayout()
        path_row.addWidget(self.path, 1)
        path_row.addWidget(browse)
        self.appendix = QCheckBox("Include the full register as an &appendix", self)
        self.appendix.setObjectName("exportAppendix")
        self.appendix.setChecked(True)
        # Issuing is an explicit act: a draft must not become the next pack's baseline.
        self.record = QCheckBox("&Issue pack (sets the baseline)", self)
        self.record.setObjectName("exportRecord")
        self.record.setToolTip(
            "Record this pack in the register as issued to the board, so the next pack "
            "shows what changed since it. Leave unticked for a draft."
        )
        self.record.setChecked(False)
        self.open_when_done = QCheckBox("Open the file &when done", self)
        self.open_when_done.setObjectName("exportOpenWhenDone")
        self.open_when_done.setChecked(_bool(settings.value(SETTING_OPEN, False)))
        self.hint = QLabel(self)
        self.hint.setWordWrap(True)
        self.hint.setStyleSheet(HINT_STYLE)
        self.message = QLabel(self)
        self.message.setObjectName("exportMessage")
        self.message.setWordWrap(True)
        # The whole destination, wrapped at its separators: the field shows only part of
        # a long path, and which folder it lands in is what people check.
        self.destination = QLabel(self)
        self.destination.setObjectName("exportDestination")
        self.destination.setWordWrap(True)
        self.destination.setTextFormat(Qt.TextFormat.PlainText)
        self.destination.setStyleSheet(HINT_STYLE)
        self.path.textChanged.connect(self._show_destination)
        self.result_box = self._build_result()

        form = QFormLayout()
        form.addRow("&Format:", self.format)
        save_to = QLabel("&Save to:", self)  # a label of its own: a layout takes no buddy
        save_to.setBuddy(self.path)
        form.addRow(save_to, path_row)
        form.addRow("", self.appendix)
        form.addRow("", self.record)
        form.addRow("", self.open_when_done)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.export_button = self.buttons.addButton(
            "&Export", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.export_button.setObjectName("exportStart")
        self.export_button.setDefault(True)
        self.buttons.accepted.connect(self.start)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        # Below the form, not in a row of it: a form row kept a wrapped label one line
        # high and its second line was drawn over the next row.
        layout.addWidget(self.destination)
        layout.addWidget(self.hint)
        layout.addWidget(self.message)
        layout.addWidget(self.result_box)
        layout.addWidget(self.buttons)

        saved = str(settings.value(SETTING_FORMAT, "xlsx"))
        self.format.setCurrentIndex(max(0, self.format.findData(saved)))
        self.format.currentIndexChanged.connect(self._format_changed)
        self.path.setText(str(self._folder() / default_name(service, self.fmt)))
        self._shown_fmt = self.fmt  # the format whose default name the path may hold
        self._format_changed()

    def _build_result(self) -> QFrame:
        """What a finished export leaves in the dialog until the next one: where the file
        is, and buttons to open it or its folder."""
        box = QFrame(self)
        box.setObjectName("exportResult")
        box.setFrameShape(QFrame.Shape.StyledPanel)
        box.setStyleSheet("QFrame#exportResult { background: #e6f4ea; border-radius: 4px; }")
        layout = QVBoxLayout(box)
        self.result_label = QLabel(box)
        self.result_label.setObjectName("exportResultText")
        self.result_label.setWordWrap(True)
        self.result_label.setTextFormat(Qt.TextFormat.PlainText)
        self.result_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        row = QHBoxLayout()
        self.open_file_button = QPushButton("&Open file", box)
        self.open_file_button.setObjectName("exportOpenFile")
        self.open_file_button.clicked.connect(self.open_result_file)
        self.open_folder_button = QPushButton("Open fo&lder", box)
        self.open_folder_button.setObjectName("exportOpenFolder")
        self.open_folder_button.clicked.connect(self.open_result_folder)
        for button in (self.open_file_button, self.open_folder_button):
            button.setAutoDefault(False)
            row.addWidget(button)
        row.addStretch(1)
        layout.addWidget(self.result_label)
        layout.addLayout(row)
        box.hide()
        self.saved_path: Path | None = None
        return box

    def _show_destination(self, text: str) -> None:
        path = str(Path(text.strip()).expanduser()) if text.strip() else ""
        self.path.setToolTip(path)
        # A zero-width space after each separator lets the label wrap a long path there.
        wrap = path.replace("/", "/\u200b").replace("\\", "\\\u200b")
        self.destination.setText(f"Saves to {wrap}" if path else "")
        self.destination.setAccessibleName(f"Saves to {path}")

    # --- the result --------------------------------------------------------------------
    def show_result(self, path: Path, note: str = "") -> None:
        self.saved_path = path
        self.result_label.setText(f"Saved to {path}" + (f"\n\n{note}" if note else ""))
        self.result_box.show()
        self._fit_height()
        QTimer.singleShot(0, self, self._fit_height)  # again once the new text is laid out

    def _fit_height(self) -> None:
        """Grow to show every wrapped line (a dialog does not grow for a label that
        wraps onto more lines at its present width)."""
        layout = self.layout()
        assert layout is not None
        layout.invalidate()  # the new text's line count is not measured until then
        layout.activate()
        need = layout.totalHeightForWidth(self.width()) if layout.hasHeightForWidth() else 0
        if need > self.height():
            self.resize(self.width(), need)

    def open_result_file(self) -> bool:
        if self.saved_path is None:
            return False
        if open_file(self.saved_path):
            return True
        self.show_result(self.saved_path, NO_VIEWER.format(kind=self.saved_path.suffix))
        return False

    def open_result_folder(self) -> bool:
        if self.saved_path is None:
            return False
        if open_file(self.saved_path.parent):
            return True
        self.show_result(self.saved_path, NO_FOLDER.format(folder=self.saved_path.parent))
        return False

    # --- choices -----------------------------------------------------------------------------
    @property
    def fmt(self) -> str:
        return str(self.format.currentData())

    def _folder(self) -> Path:
        saved = self.settings.value(SETTING_FOLDER, "")
        if saved and Path(str(saved)).is_dir():
            return Path(str(saved))
        docs = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
        return Path(docs) if docs and Path(docs).is_dir() else Path.home()

    def _format_changed(self) -> None:
        fmt = self.fmt
        is_pdf = fmt == "pdf"
        self.appendix.setEnabled(is_pdf)
        self.record.setEnabled(is_pdf)
        current = Path(self.path.text()) if self.path.text() else self._folder() / "x"
        previous, self._shown_fmt = self._shown_fmt, fmt
        if current.name == default_name(self.service, previous):
            # Still the suggested name: suggest the new format's ("board-pack", not
            # "ai-register.pdf"); a name the user typed only changes its suffix.
            self.path.setText(str(current.with_name(default_name(self.service, fmt))))
        else:
            self.path.setText(str(current.with_suffix(FORMATS[fmt][1])))
        self.hint.setText(
            {
                "xlsx": "One sheet per table, with drop-downs and coloured tiers; "
                "it can be edited and imported back.",
                "pdf": "A board pack: executive summary, what changed, heatmaps, top risks, "
                "accountability, gaps, incidents and the audit chain head.",
                "csv": "One CSV file per table in a zip, for other tools.",
            }[fmt]
        )

    def _browse(self) -> None:
        _, suffix, file_filter, _ = FORMATS[self.fmt]
        path, _ = QFileDialog.getSaveFileName(self, "Export to", self.path.text(), file_filter)
        if path:
            if not path.lower().endswith(suffix):
                path += suffix
            self.path.setText(path)

    # --- running -----------------------------------------------------------------------------
    @property
    def running(self) -> bool:
        return self.jobs.running

    def start(self) -> None:
        """Validate the destination and start the export in the worker thread."""
        if self.running:
            return
        text = self.path.text().strip()
        if not text:
            self.message.setText("Choose where to save the export.")
            return
        path = Path(text).expanduser()
        if not path.parent.is_dir():
            self.message.setText(f"The folder {path.parent} does not exist.")
            return
        if path.exists() and not self.confirm_overwrite(path):
            return
        fmt = self.fmt
        appendix, record = self.appendix.isChecked(), self.record.isChecked()
        service = self.service

        def work(progress: ProgressFn, cancel: CancelFn) -> Path:
            if fmt == "xlsx":
                return export_xlsx(service, path, progress, cancel)
            if fmt == "pdf":
                return export_pdf(service, path, appendix, progress, cancel, record=record)
            return export_csv(service, path, progress, cancel)

        self.message.clear()
        self.result_box.hide()  # the last export's result, until this one's
        self._set_inputs_enabled(False)
        progress = QProgressDialog(f"Exporting {FORMATS[fmt][0]}…", "Cancel", 0, 0, self)
        progress.setObjectName("exportProgress")
        progress.setWindowTitle("Export")
        progress.setWindowModality(Qt.WindowModality.WindowModal)
        progress.setMinimumDuration(300)  # a small register never sees it flash
        progress.canceled.connect(self.cancel)
        self.progress_dialog = progress
        self.settings.setValue(SETTING_FORMAT, fmt)
        self.settings.setValue(SETTING_OPEN, self.open_when_done.isChecked())
        self.settings.setValue(SETTING_FOLDER, str(path.parent))
        self.jobs.start(work)

    def confirm_overwrite(self, path: Path) -> bool:
        answer = QMessageBox.question(self, "Export", f"{path.name} already exists. Replace it?")
        return answer == QMessageBox.StandardButton.Yes

    def cancel(self) -> None:
        """Ask the worker to stop at its next check; it then reports ``cancelled``."""
        self.jobs.cancel()
        if self.progress_dialog is not None:
            self.progress_dialog.setLabelText("Cancelling…")

    def wait(self, msecs: int = -1) -> bool:
        """Block until the worker is done (closing the window, tests)."""
        return self.jobs.wait(msecs)

    def _progress(self, done: int, total: int) -> None:
        if self.progress_dialog is not None and not self.jobs.cancelling:
            self.progress_dialog.setMaximum(max(total, 1))
            self.progress_dialog.setValue(min(done, total))

    def _finish(self) -> None:
        if self.progress_dialog is not None:
            self.progress_dialog.canceled.disconnect(self.cancel)
            self.progress_dialog.reset()
            self.progress_dialog.deleteLater()
            self.progress_dialog = None
        self._set_inputs_enabled(True)

    def _done(self, result: object) -> None:
        self._finish()
        path = str(result)
        parent = self.parent()
        opened = open_file(Path(path)) if self.open_when_done.isChecked() else True
        if isinstance(parent, QMainWindow):
            # Stays until the next message: the user may look away while it runs.
            note = "" if opened else NOT_OPENED
            parent.statusBar().showMessage(f"Exported {path}{note}")
        # The dialog stays open on its result (the status bar is easy to miss).
        self.show_result(Path(path), "" if opened else NO_VIEWER.format(kind=Path(path).suffix))
        self.open_file_button.setFocus()
        self.exported.emit(path)

    def _cancelled(self, _message: str = "") -> None:
        self._finish()
        self.message.setText("Export cancelled; nothing was written.")
        self.cancelled.emit()

    def _failed(self, message: str) -> None:
        self._finish()
        self.message.setText(f"Export failed: {message}")
        self.failed.emit(message)

    def _set_inputs_enabled(self, enabled: bool) -> None:
        for widget in (self.format, self.path, self.open_when_done, self.export_button):
            widget.setEnabled(enabled)
        self.appendix.setEnabled(enabled and self.fmt == "pdf")
        self.record.setEnabled(enabled and self.fmt == "pdf")

    def reject(self) -> None:
        if self.running:  # closing means cancel; the dialog closes once the worker stops
            self.cancel()
            return
        super().reject()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.running:
            self.cancel()
            event.ignore()
            return
        super().closeEvent(event)


def _bool(value: Any) -> bool:
    return value is True or str(value).lower() in ("true", "1", "yes")
