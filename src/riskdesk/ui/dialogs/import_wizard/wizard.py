"""File ▸ Import…: a wizard from a spreadsheet to AI uses in the register.

Pick a file → a sheet (workbooks with several) → the column mapping, suggested from
the headers and editable per column, savable for next quarter's file → the answers of
its choice columns translated (value maps, saved with the mapping) → a preview of
every row with its problems, checked by the service in a rolled-back dry run → the
import, with progress and cancel → a summary. riskdesk's own exports need no mapping
and go straight to the preview.

The pages live in ``pages.py`` (file, sheet, mapping), ``translate_page.py`` (each
answer of a choice column mapped to a level or Unknown), ``preview_pages.py`` (preview,
import) and ``finished_page.py`` (what was done, next steps), their table models in
``models.py``; this module holds the wizard, which owns the state and runs the work.

Checking and importing run as jobs (``ui/jobs.py``): the worker only calls the
importer — it never touches a widget. The import is one transaction: cancelling
rolls it back. Once written it is ONE undoable action: the worker's
``ActionResult`` goes through ``history.run`` on the GUI thread.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QSettings, QStandardPaths, Qt, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QApplication, QWidget, QWizard

from riskdesk.importers import ImportFileError, Mapping, read_inventory, read_table
from riskdesk.importers.omb import is_inventory_header
from riskdesk.importers.riskdesk_format import FORMAT as RISKDESK
from riskdesk.importers.riskdesk_format import RiskdeskBook, read_riskdesk
from riskdesk.progress import CancelFn, Cancelled, ProgressFn
from riskdesk.service.importing import ImportCancelled, ImportReport, import_book, import_plan
from riskdesk.service.register import RegisterService
from riskdesk.ui.dialogs.import_wizard.finished_page import NextSteps, SummaryPage
from riskdesk.ui.dialogs.import_wizard.models import (
    PAGE_IMPORT,
    PAGE_VALUES,
    SETTING_FOLDER,
    SETTING_MAPPINGS,
)
from riskdesk.ui.dialogs.import_wizard.pages import FilePage, ImportState, MappingPage, SheetPage
from riskdesk.ui.dialogs.import_wizard.preview_pages import ImportPage, PreviewPage
from riskdesk.ui.dialogs.import_wizard.translate_page import TranslatePage
from riskdesk.ui.jobs import Jobs, describe_error
from riskdesk.ui.undo import EditHistory

# --- the worker ---------------------------------------------------------------------------


def _job_error(exc: Exception) -> str:
    """A failed read or import in plain words (a file problem names its row and column)."""
    if isinstance(exc, ImportFileError):
        return str(exc.problem)
    return describe_error(exc)


class ImportWizard(QWizard):
    """The import, step by step; writes once, through ``history`` so it can be undone."""

    imported = Signal(object)  # the ImportReport of a written import

    def __init__(
        self,
        service: RegisterService,
        history: EditHistory,
        settings: QSettings | None = None,
        parent: QWidget | None = None,
        path: str | Path | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("importWizard")
        self.setWindowTitle("Import AI uses")
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnLastPage, True)
        self.setOption(QWizard.WizardOption.NoCancelButtonOnLastPage, True)
        self.resize(980, 680)
        self.service, self.history, self.settings = service, history, settings
        self.state = ImportState()
        self.next_steps = NextSteps()  # the finished page's buttons: the window sets them
        self.error = ""  # why the last read failed
        # Reading, checking and importing run as jobs; ImportCancelled: rolled back.
        self.jobs = Jobs(self, cancelled_by=(Cancelled, ImportCancelled), describe=_job_error)
        self.jobs.done.connect(self._job_done)
        self.jobs.cancelled.connect(self._job_cancelled)
        self.jobs.failed.connect(self._job_failed)
        self._job = ""
        self.file_page = FilePage(self)
        self.sheet_page = SheetPage(self)
        self.mapping_page = MappingPage(self)
        self.preview_page = PreviewPage(self)
        self.import_page = ImportPage(self)
        self.summary_page = SummaryPage(self)
        self.values_page = TranslatePage(self)
        for page_id, page in enumerate(
            (
                self.file_page,
                self.sheet_page,
                self.mapping_page,
                self.preview_page,
                self.import_page,
                self.summary_page,
                self.values_page,  # PAGE_VALUES: after the mapping (MappingPage.nextId)
            )
        ):
            self.setPage(page_id, page)
        if path is not None:
            self.file_page.path.setText(str(path))

    # --- settings ---------------------------------------------------------------------------
    def settings_set(self, key: str, value: str) -> None:
        if self.settings is not None:
            self.settings.setValue(key, value)

    def _saved_folder(self, key: str) -> Path | None:
        saved = self.settings.value(key, "") if self.settings is not None else ""
        return Path(str(saved)) if saved and Path(str(saved)).is_dir() else None

    def folder(self) -> Path:
        saved = self._saved_folder(SETTING_FOLDER)
        if saved is not None:
            return saved
        docs = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
        return Path(docs) if docs and Path(docs).is_dir() else Path.home()

    def mapping_folder(self) -> Path:
        return self._saved_folder(SETTING_MAPPINGS) or self.folder()

    # --- reading (on the GUI thread: a table reads in well under a second) -----------------
    def read(self, sheet: str | None) -> bool:
        """Read the chosen sheet (None: the best one, or the CSV file); False on failure."""
        state = self.state
        if state.path is None:
            return False
        if state.table is not None and (sheet is None or state.table.sheet == sheet):
            return True
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            state.table = read_table(state.path, sheet, known_header=is_inventory_header)
        except ImportFileError as exc:
            self.error = str(exc.problem)
            return False
        finally:
            QApplication.restoreOverrideCursor()
        state.sheet = state.table.sheet
        return True

    def current_mapping(self) -> Mapping:
        """The column mapping with the value maps of "Translate values" (once shown)."""
        mapping = self.mapping_page.model.mapping()
        if self.hasVisitedPage(PAGE_VALUES) or self.currentId() == PAGE_VALUES:
            mapping = self.values_page.mapping(mapping)
        return mapping

    # --- checking and importing in the worker ------------------------------------------------
    def check(self) -> None:
        """The preview: read and map the file, then a dry run through the service."""
        state = self.state
        state.plan, state.book, state.preview = None, None, None
        service, path = self.service, state.path
        assert path is not None
        if state.detected == RISKDESK:

            def work(progress: ProgressFn, cancel: CancelFn) -> Any:
                book = read_riskdesk(path)
                report = import_book(
                    service, book, dry_run=True, skip_invalid=True, progress=progress, cancel=cancel
                )
                return book, report
        else:
            mapping = self.current_mapping()
            fmt, sheet = state.detected, state.sheet

            def work(progress: ProgressFn, cancel: CancelFn) -> Any:
                plan = read_inventory(path, fmt, sheet, mapping)
                report = import_plan(
                    service, plan, dry_run=True, skip_invalid=True, progress=progress, cancel=cancel
                )
                return plan, report

        self._job = "check"
        self.jobs.start(work)

    def start_import(self) -> None:
        state = self.state
        skip = self.preview_page.skip_invalid.isChecked()
        service, plan, book = self.service, state.plan, state.book

        def work(progress: ProgressFn, cancel: CancelFn) -> Any:
            if book is not None:
                return import_book(
                    service, book, skip_invalid=skip, progress=progress, cancel=cancel
                )
            assert plan is not None
            return import_plan(service, plan, skip_invalid=skip, progress=progress, cancel=cancel)

        self._job = "import"
        state.report, state.outcome = None, ""
        self.jobs.start(work)
        self.button(QWizard.WizardButton.CancelButton).setEnabled(True)

    def cancel_import(self) -> None:
        if self.jobs.running:
            self.jobs.cancel()
            self.import_page.cancelling()

    def _job_done(self, result: Any) -> None:
        state = self.state
        if self._job == "check":
            first, preview = result
            if isinstance(first, RiskdeskBook):
                state.book = first
            else:
                state.plan = first
            state.preview = preview
            self.preview_page.show_result()
            return
        report: ImportReport = result
        state.report = report
        if report.written and report.result is not None:
            written = report.result
            text = f"Import {report.file}"
            self.history.run(text, lambda: written)  # one undoable action
            self.imported.emit(report)
            state.outcome = "done"
        else:
            state.outcome = "problems stopped it"
        self.import_page.completeChanged.emit()
        self.next()

    def _job_cancelled(self, _message: str = "") -> None:
        if self._job == "check":
            self.state.outcome = "cancelled"
            return
        self.state.outcome = "cancelled"
        self.import_page.completeChanged.emit()
        self.next()

    def _job_failed(self, message: str) -> None:
        self.state.outcome = message
        if self._job == "check":
            self.preview_page.show_result()
            return
        self.import_page.completeChanged.emit()
        self.next()

    # --- closing ----------------------------------------------------------------------------
    def reject(self) -> None:
        if self.jobs.running:  # cancel first; the wizard can close once the worker stops
            self.jobs.cancel()
            if self.currentId() == PAGE_IMPORT:
                self.import_page.cancelling()
                return
            self.jobs.wait()
        super().reject()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.jobs.running and self.currentId() == PAGE_IMPORT:
            self.cancel_import()
            event.ignore()
            return
        if self.jobs.running:
            self.jobs.cancel()
            self.jobs.wait()
        super().closeEvent(event)

    def wait(self, msecs: int = -1) -> bool:
        """Block until the worker is idle (tests, closing)."""
        return self.jobs.wait(msecs)
