"""The main window's file actions that open dialogs or other registers: the demo,
File ▸ Export… and File ▸ Import… (opening and creating registers is ``app.py``'s)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from riskdesk.service.errors import ServiceError, StoreError
from riskdesk.service.register import RegisterService
from riskdesk.ui.dialogs.classify_backlog import import_next_steps
from riskdesk.ui.dialogs.export import ExportDialog

if TYPE_CHECKING:
    from riskdesk.ui.dialogs.import_wizard.wizard import ImportWizard
    from riskdesk.ui.main_window import MainWindow


def open_demo(window: MainWindow) -> None:
    """Open the demo register (built in the data folder the first time)."""
    from riskdesk.paths import data_dir

    path = data_dir() / "demo.db"
    if not path.exists():
        from riskdesk.demo import build_demo

        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            demo = RegisterService.open(str(path))
            try:
                build_demo(demo)
            finally:
                demo.register.dispose()
        except (ServiceError, StoreError) as exc:
            window.show_error("Open the demo", str(exc))
            return
        finally:
            QApplication.restoreOverrideCursor()
    window.open_requested.emit(str(path))


def open_export_dialog(window: MainWindow) -> ExportDialog:
    dialog = ExportDialog(window.service, window.settings, window)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    # An issued pack ends the dashboard's first-run path: show it without another edit.
    dialog.exported.connect(lambda _path: window.dashboard_page.refresh())
    dialog.open()
    return dialog


def open_import_wizard(window: MainWindow, path: str | Path | None = None) -> ImportWizard:
    # Loaded when first asked for: the wizard and its importers are ~0.2 s of imports.
    from riskdesk.ui.dialogs.import_wizard.wizard import ImportWizard

    wizard = ImportWizard(window.service, window.history, window.settings, window, path)
    wizard.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    wizard.imported.connect(lambda _report: window.show_page("uses"))
    wizard.next_steps = import_next_steps(window)  # the finished page's buttons
    wizard.open()
    return wizard
