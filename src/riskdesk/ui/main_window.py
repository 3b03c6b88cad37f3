"""The main window: navigation, pages, menus, status bar, undo.

It receives the open register's service (no globals), so a test can build one on a
temporary file. Its parts live in their own modules: the pages (``window_pages.py``),
the menu bar (``menus.py``), opening and raising editors (``window_editors.py``), the
demo, export and import (``window_files.py``), recent files (``recent.py``) and help
(``dialogs/help.py``); the window keeps each as a declared attribute, so renaming one is
a type error rather than a run-time ``AttributeError``. Opening another register is the
``Controller``'s job (``app.py``): it builds a fresh window for it.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QSettings, Qt, QThreadPool, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMenu,
    QMessageBox,
    QStackedWidget,
    QWidget,
)

from riskdesk import __version__
from riskdesk.catalogue import default_incident_index
from riskdesk.enums import Stage
from riskdesk.service import oversight, queries
from riskdesk.service.register import RegisterService
from riskdesk.ui import window_files
from riskdesk.ui.dialogs import backups_calendar
from riskdesk.ui.dialogs.classify_backlog import install_assessment
from riskdesk.ui.dialogs.export import ExportDialog
from riskdesk.ui.dialogs.help import show_help
from riskdesk.ui.dialogs.settings import SettingsDialog
from riskdesk.ui.editors.use_editor import UseEditor
from riskdesk.ui.jobs import Jobs
from riskdesk.ui.menus import build_menus
from riskdesk.ui.pages.table_page import TablePage, plural
from riskdesk.ui.recent import fill_recent_menu, recent_files, remember_file
from riskdesk.ui.undo import EditHistory
from riskdesk.ui.window_editors import EditorLauncher
from riskdesk.ui.window_pages import build_pages

if TYPE_CHECKING:
    from riskdesk.ui.dialogs.import_wizard.wizard import ImportWizard

__all__ = ["MainWindow", "recent_files", "remember_file"]  # the last two for app.py


class MainWindow(QMainWindow):
    """One open register."""

    open_requested = Signal(str)  # path of a register to open instead
    new_requested = Signal()
    open_dialog_requested = Signal()
    backup_checked = Signal(object)  # a BackupCheck: File ▸ Back up register… was verified

    def __init__(
        self, service: RegisterService, settings: QSettings, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("MainWindow")
        self.service = service
        self.settings = settings
        self.history = EditHistory(service, self)
        self.backup_jobs = Jobs(self)  # the rolling backup on open (backups_calendar)
        self.history.changed.connect(self.reload)
        self.history.failed.connect(lambda msg: self.show_error("Undo", msg))
        self.history.stepped.connect(lambda text: self.statusBar().showMessage(text, 8000))
        self.pages: dict[str, QWidget] = {}
        self._page_order: list[str] = []
        self.editors = EditorLauncher(self)
        self.open_editors = self.editors.open_editors  # (entity, id) -> its one editor
        self.classifier = self.editors.classifier
        self.help_windows: dict[str, QDialog] = {}  # one window per help text, kept open

        central = QWidget(self)
        layout = QHBoxLayout(central)
        layout.setContentsMargins(4, 4, 4, 4)
        self.nav = QListWidget(central)
        self.nav.setObjectName("navigation")
        self.nav.setAccessibleName("Pages")
        self.nav.setFixedWidth(170)
        self.nav.setStyleSheet(
            "QListWidget#navigation { font-size: 11pt; }"
            "QListWidget#navigation::item { padding: 7px 10px; }"
        )
        self.stack = QStackedWidget(central)
        layout.addWidget(self.nav)
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)
        self.nav.currentRowChanged.connect(self._show_page)
        self.stale: set[str] = set()  # pages to reload when next shown
        self._reloaders: dict[str, Callable[[], object]] = {}

        pages = build_pages(self)
        self.uses_page, self.risks_page = pages.uses, pages.risks
        self.people_page, self.vendors_page = pages.people, pages.vendors
        self.incidents_page, self.vendor_banner = pages.incidents, pages.vendor_banner
        self.models_panel = pages.models_panel  # issue 17
        self.dashboard_page, self.controls_page = pages.dashboard, pages.controls
        self.frameworks_page, self.drift_page = pages.frameworks, pages.drift
        self.evidence_page = pages.evidence  # issue 18
        # How each page reloads after a change; a page not on screen is only marked
        # stale and reloads when next shown (the Evidence page and the Vendors page's
        # models panel follow ``history.changed`` themselves).
        self._reloaders = {
            "uses": self.uses_page.reload,
            "risks": self.risks_page.reload,
            "people": self.people_page.reload,
            "vendors": self._reload_vendors,
            "incidents": self.incidents_page.reload,
            "dashboard": self.dashboard_page.refresh,
            "controls": self.controls_page.reload,
            "frameworks": self.frameworks_page.reload,
            "drift": self.drift_page.refresh,
        }
        self.stale = {"uses", "risks", "people", "vendors", "incidents"}  # no rows yet
        # The menu bar (ui/menus.py); its entries stay reachable as the window's attributes.
        menus = build_menus(self)
        self.file_menu, self.recent_menu = menus.file, menus.recent
        self.edit_menu, self.view_menu, self.help_menu = menus.edit, menus.view, menus.help
        self.settings_menu = menus.settings
        self.import_action, self.export_action = menus.import_action, menus.export_action
        self.export_anchor = menus.export_anchor  # exports and backups above, Quit below
        self.undo_action, self.redo_action = menus.undo, menus.redo
        self.assessment = install_assessment(self)  # Assess next, Answer for selected…
        self.recent_menu.aboutToShow.connect(
            lambda: fill_recent_menu(self.recent_menu, self.settings, self.open_requested.emit)
        )
        self.status = QLabel(self)
        self.statusBar().addPermanentWidget(self.status)
        self.update_title()
        self._update_status()  # the pages loaded their rows as they were built
        self._restore_geometry()
        self.show_page("dashboard")
        # Build the incident index (0.05–0.2 s) off the GUI thread once the window is up,
        # so the first "Incidents elsewhere" tab opens at once; the index is thread-safe.
        self.schedule(lambda: QThreadPool.globalInstance().start(default_incident_index().build))
        self.schedule(lambda: backups_calendar.auto_backup(self))  # the rolling backup

    # --- pages ---------------------------------------------------------------------
    def add_page(self, key: str, title: str, widget: QWidget, *, first: bool = False) -> None:
        self.pages[key] = widget
        index = 0 if first else self.stack.count()
        self.stack.insertWidget(index, widget)
        item = QListWidgetItem(title)
        item.setData(Qt.ItemDataRole.UserRole, key)
        self.nav.insertItem(index, item)
        self._page_order.insert(index, key)

    def filter_on(self, page: TablePage, key: str) -> Callable[[str, object], None]:
        """A dashboard tile's click: show ``page`` filtered to what the tile counts."""

        def apply(text: str, clause: object) -> None:
            assert isinstance(clause, queries.Filter)  # DashboardActions types it loosely
            self.stale.discard(key)  # the filter reads the rows afresh: not twice
            page.show_filter(text, clause)
            self.show_page(key)

        return apply

    def _show_page(self, row: int) -> None:
        if row >= 0:
            self.stack.setCurrentIndex(row)
            self._reload_if_stale(self._page_order[row])

    def _reload_vendors(self) -> None:
        self.vendors_page.reload()
        self.vendor_banner.refresh()  # issue 17

    def _reload_if_stale(self, key: str) -> None:
        if key in self.stale:
            self.stale.discard(key)
            self._reloaders[key]()

    def page_title(self, key: str) -> str:
        return self.nav.item(self._page_order.index(key)).text()

    def show_page(self, key: str) -> None:
        self.nav.setCurrentRow(self._page_order.index(key))

    def current_table(self) -> TablePage | None:
        widget = self.stack.currentWidget()
        return widget if isinstance(widget, TablePage) else None

    # --- menus and shortcuts ---------------------------------------------------------
    def add_action(
        self,
        menu: QMenu,
        text: str,
        slot: Callable[[], object],
        shortcut: QKeySequence | QKeySequence.StandardKey | str | None = None,
        name: str = "",
        tip: str = "",
    ) -> QAction:
        """Add an entry to ``menu`` that calls ``slot`` (its shortcut works window-wide)."""
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(lambda _checked=False: slot())
        if name:
            action.setObjectName(name)
        if tip:
            action.setStatusTip(tip)
        menu.addAction(action)
        return action

    def open_selected(self) -> None:
        page = self.current_table()
        if page is not None:
            page.open_selected()

    def delete_selected(self) -> None:
        page = self.current_table()
        if page is not None:
            page.delete_selected()

    def focus_search(self) -> None:
        page = self.current_table()
        if page is None:
            self.show_page("uses")
            page = self.uses_page
        page.focus_search()

    # --- records (window_editors.py does the work) ---------------------------------------
    def use_editor(self, use_id: int | None) -> UseEditor:
        """Build (not show) the editor: tests drive it directly."""
        return self.editors.use_editor(use_id)

    def gaps_for_use(self, use_id: int) -> list[oversight.Gap]:
        return self.editors.gaps_for_use(use_id)

    def new_use(self) -> None:
        self.editors.edit_use(None)

    def edit_use(self, use_id: int | None) -> None:
        self.editors.edit_use(use_id)

    def open_record(self, entity: str, key: int) -> None:
        """Open whatever a drift item, due item or gap points at."""
        self.editors.open_record(entity, key)

    def history_of_selected(self) -> None:
        self.editors.history_of_selected()

    def add_risk_from_catalogue(self) -> None:
        self.editors.add_risk_from_catalogue()

    # --- files and dialogs (window_files.py) -----------------------------------------
    def open_demo(self) -> None:
        window_files.open_demo(self)

    def open_export_dialog(self) -> ExportDialog:
        return window_files.open_export_dialog(self)

    def open_import_wizard(self, path: str | Path | None = None) -> ImportWizard:
        return window_files.open_import_wizard(self, path)

    def open_organisation(self) -> None:
        """Settings ▸ Organisation…: what the welcome dialog asked, editable later."""
        from riskdesk.ui.dialogs.first_run import OrganisationDialog

        if OrganisationDialog(self.service, self.history, self.settings, self).exec():
            self.update_title()
            self.reload()

    def open_scoring_settings(self) -> None:
        SettingsDialog(self.service, self.history, self).exec()

    def show_error(self, title: str, message: str) -> None:
        QMessageBox.warning(self, title, message)

    def show_help(self, name: str) -> QDialog:
        """Help ▸ Getting started / How scoring works (resources/help/<name>.md)."""
        return show_help(self.help_windows, name, self)

    def show_about(self) -> None:
        from riskdesk.ui.dialogs.about import about_text

        QMessageBox.about(self, "About riskdesk", about_text(self.service))

    # --- state -----------------------------------------------------------------------
    def reload(self) -> None:
        """The register changed: reload the page on screen now; mark the others stale,
        reloaded when next shown (at 100,000 uses each table reads its ids again)."""
        self.stale = set(self._reloaders)
        current = self.nav.currentRow()
        if 0 <= current < len(self._page_order):
            self._reload_if_stale(self._page_order[current])
        self._update_status()

    def _update_status(self) -> None:
        uses = self.service.count("ai_use")
        retired = self.service.count_where("ai_use", stage=Stage.RETIRED.value)
        # The dashboard counts uses in use; say both so the totals never seem to disagree.
        split = f" ({uses - retired:,} in use, {retired:,} retired)" if retired else ""
        self.status.setText(
            f"{plural(uses, ('AI use', 'AI uses'))}{split}"
            f" · {plural(self.service.count('risk'), ('risk', 'risks'))}"
            f" · {self.service.register.display_name}"
        )

    def update_title(self) -> None:
        name = self.service.profile().get("name") or "AI risk register"
        self.setWindowTitle(f"{name} — riskdesk {__version__}")

    def _restore_geometry(self) -> None:
        geometry = self.settings.value("window/geometry")
        if isinstance(geometry, QByteArray) and not geometry.isEmpty():
            self.restoreGeometry(geometry)
        else:
            self.resize(1200, 760)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.settings.setValue("window/geometry", self.saveGeometry())
        self.settings.sync()
        super().closeEvent(event)

    def schedule(self, fn: Callable[[], object]) -> None:
        """Run after the window is shown (first-run and error dialogs go here)."""
        QTimer.singleShot(0, fn)
