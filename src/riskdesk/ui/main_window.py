"""The main window: navigation, pages, menus (built by ``menus.py``), shortcuts, undo.

It receives the open register's service (no globals), so a test can build one on a
temporary file. It builds every page, menu entry and dialog itself, as declared
attributes and methods, so renaming one is a type error rather than a run-time
``AttributeError``; each page takes the service and callables, so a test can also build
it alone. Opening another register is the ``Controller``'s job (``app.py``): it builds
a fresh window for it.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QByteArray, QSettings, Qt, QThreadPool, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QBoxLayout,
    QDialog,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMenu,
    QMessageBox,
    QStackedWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from riskdesk import __version__
from riskdesk.catalogue import default_incident_index
from riskdesk.enums import Stage
from riskdesk.paths import resource_path
from riskdesk.service import oversight, queries
from riskdesk.service.errors import ConflictError, ServiceError, StoreError
from riskdesk.service.register import RegisterService
from riskdesk.ui.dialogs import backups_calendar
from riskdesk.ui.dialogs.catalogue import CatalogueDialog
from riskdesk.ui.dialogs.classify import make_classifier
from riskdesk.ui.dialogs.export import ExportDialog
from riskdesk.ui.dialogs.history import RecordHistoryDialog
from riskdesk.ui.dialogs.settings import SettingsDialog
from riskdesk.ui.editors.incident_dialog import IncidentDialog
from riskdesk.ui.editors.record_dialog import RecordDialog
from riskdesk.ui.editors.risk_editor import RiskEditor
from riskdesk.ui.editors.use_editor import Classifier, UseEditor
from riskdesk.ui.editors.use_review_dialog import RecordReviewDialog
from riskdesk.ui.menus import build_menus
from riskdesk.ui.models.register_models import (
    IncidentTableModel,
    PersonTableModel,
    RiskTableModel,
    UseTableModel,
    VendorTableModel,
)
from riskdesk.ui.pages.controls import ControlsPage
from riskdesk.ui.pages.dashboard import DashboardPage, window_actions
from riskdesk.ui.pages.drift import DriftPage
from riskdesk.ui.pages.frameworks import FrameworksPage
from riskdesk.ui.pages.table_page import TablePage, plural
from riskdesk.ui.undo import EditHistory
from riskdesk.ui.widgets.vendor_banner import ConcentrationBanner  # issue 17

if TYPE_CHECKING:
    from riskdesk.ui.dialogs.import_wizard.wizard import ImportWizard

# Page object name -> entity, for Edit ▸ Record history… on the current table.
PAGE_ENTITIES = {
    "usesPage": "ai_use",
    "risksPage": "risk",
    "peoplePage": "person",
    "vendorsPage": "vendor",
    "incidentsPage": "incident",
    "controlsPage": "control",
}


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
        self.history.changed.connect(self.reload)
        self.history.failed.connect(lambda msg: self.show_error("Undo", msg))
        self.pages: dict[str, QWidget] = {}
        self._page_order: list[str] = []
        # The editor open for each (entity, id): a second request raises it instead of
        # stacking an identical editor whose Save would overwrite the first one's.
        self.open_editors: dict[tuple[str, int], QDialog] = {}
        self.help_windows: dict[str, QDialog] = {}  # one window per help text, kept open
        # The Exposure tab's "Classify…" questions; reads the settings each time it runs.
        self.classifier: Classifier = make_classifier(service.scoring_config)

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

        self._build_pages()
        # The menu bar (ui/menus.py); its entries stay reachable as the window's attributes.
        menus = build_menus(self)
        self.file_menu, self.recent_menu = menus.file, menus.recent
        self.edit_menu, self.view_menu, self.help_menu = menus.edit, menus.view, menus.help
        self.settings_menu = menus.settings
        self.import_action, self.export_action = menus.import_action, menus.export_action
        self.export_anchor = menus.export_anchor  # exports and backups above, Quit below
        self.undo_action, self.redo_action = menus.undo, menus.redo
        self.recent_menu.aboutToShow.connect(self._fill_recent)
        self.status = QLabel(self)
        self.statusBar().addPermanentWidget(self.status)
        self._update_title()
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

    def _build_pages(self) -> None:
        # Built in this order, which is also the keyboard focus order between them.
        service = self.service
        # What an empty page offers besides its own New…: bringing a spreadsheet in, or
        # looking around the demo register first.
        fill: list[tuple[str, Callable[[], object]]] = [
            ("&Import a spreadsheet…", self.open_import_wizard),
            ("Open the &demo", self.open_demo),
        ]
        self.uses_page = TablePage(
            "uses",
            UseTableModel(queries.uses(service), self),
            on_open=self.edit_use,
            on_add=self.new_use,
            on_delete=self.delete_use,
            add_text="&New AI use…",
            noun=("AI use", "AI uses"),
            empty_text="<b>No AI uses yet.</b><br>List every AI tool or system your "
            "organisation uses or is trying out: chatbots, writing aids, screening or "
            "scoring tools, AI features inside software you already have.",
            empty_actions=[("&New AI use…", self.new_use), *fill],
        )
        self.risks_page = TablePage(
            "risks",
            RiskTableModel(queries.risks(service), self),
            on_open=self.edit_risk,
            on_add=self.new_risk,
            on_delete=self.delete_risk,
            add_text="&Add risk…",
            noun=("risk", "risks"),
            empty_text="<b>No risks yet.</b><br>Each AI use has its own risks: what could "
            "go wrong, how likely and how bad, before and after controls. Add them from a "
            "use's Risks tab, its Suggested risks, or the catalogue.",
            empty_actions=[("&Add risk…", self.new_risk), *fill],
        )
        self.people_page = TablePage(
            "people",
            PersonTableModel(queries.people(service), self),
            on_open=lambda i: self.edit_record("person", i),
            on_add=lambda: self.edit_record("person", None),
            on_delete=lambda i: self.delete_record("person", i),
            add_text="&Add person…",
            stretch_column=2,  # titles are long, names short
            noun=("person", "people"),
            empty_text="<b>No people yet.</b><br>Add the people who own, review and "
            "assure your AI uses, so each use can name its owners.",
            empty_actions=[("&Add person…", lambda: self.edit_record("person", None)), *fill],
        )
        self.vendors_page = TablePage(
            "vendors",
            VendorTableModel(queries.vendors(service), self),
            on_open=lambda i: self.edit_record("vendor", i),
            on_add=lambda: self.edit_record("vendor", None),
            on_delete=lambda i: self.delete_record("vendor", i),
            add_text="&Add vendor…",
            noun=("vendor", "vendors"),
            empty_text="<b>No vendors yet.</b><br>Add the companies whose AI products or "
            "models you use; an AI use then names its vendor.",
            empty_actions=[("&Add vendor…", lambda: self.edit_record("vendor", None)), *fill],
        )
        self.incidents_page = TablePage(
            "incidents",
            IncidentTableModel(queries.incidents(service), self),
            stretch_column=4,
            on_open=lambda i: self.edit_record("incident", i),
            on_add=lambda: self.edit_record("incident", None),
            on_delete=lambda i: self.delete_record("incident", i),
            add_text="&Log incident…",
            noun=("incident", "incidents"),
            empty_text="<b>No incidents logged.</b><br>When an AI use goes wrong, or nearly "
            "does, log it here: what happened, how bad, and which risks it realised.",
            empty_actions=[("&Log incident…", lambda: self.edit_record("incident", None))],
        )
        self.add_page("uses", "AI uses", self.uses_page)
        self.add_page("risks", "Risks", self.risks_page)
        self.add_page("people", "People", self.people_page)
        self.add_page("vendors", "Vendors", self.vendors_page)
        self.vendor_banner = ConcentrationBanner(service, self.vendors_page)  # issue 17
        vendors_layout = self.vendors_page.layout()
        assert isinstance(vendors_layout, QBoxLayout)  # TablePage stacks its rows
        vendors_layout.insertWidget(1, self.vendor_banner)  # issue 17
        self.add_page("incidents", "Incidents", self.incidents_page)
        self.nav.setCurrentRow(0)
        self.dashboard_page = DashboardPage(self.service, window_actions(self), self)
        self.add_page("dashboard", "Dashboard", self.dashboard_page, first=True)
        self.frameworks_page = FrameworksPage(self.service, self.history, self)
        self.controls_page = ControlsPage(
            self.service, self.history, lambda key: self.delete_record("control", key), self
        )
        self.add_page("controls", "Controls", self.controls_page)
        self.add_page("frameworks", "Frameworks", self.frameworks_page)
        self.drift_page = DriftPage(
            self.service,
            on_open=self.open_record,
            on_review=self.record_review,
            on_history=self.show_history,
            parent=self,
        )
        self.add_page("drift", "Drift", self.drift_page)

    def _filter_on(self, page: TablePage, key: str) -> Callable[[str, object], None]:
        """A dashboard tile's click: show ``page`` filtered to what the tile counts."""

        def apply(text: str, clause: object) -> None:
            assert isinstance(clause, queries.Filter)  # DashboardActions types it loosely
            page.show_filter(text, clause)
            self.show_page(key)

        return apply

    def _show_page(self, row: int) -> None:
        if row >= 0:
            self.stack.setCurrentIndex(row)

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
        slot: Callable[[], Any],
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

    def _fill_recent(self) -> None:
        self.recent_menu.clear()
        recent = recent_files(self.settings)
        if not recent:
            self.recent_menu.addAction("(none)").setEnabled(False)
        for path in recent:
            action = self.recent_menu.addAction(path)
            action.triggered.connect(lambda _c=False, p=path: self.open_requested.emit(p))

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

    # --- actions ---------------------------------------------------------------------
    def new_use(self) -> None:
        self.edit_use(None)

    def use_editor(self, use_id: int | None) -> UseEditor:
        """Build (not show) the editor: tests drive it directly."""
        return UseEditor(
            self.service,
            self.history,
            use_id,
            self,
            gaps=self.gaps_for_use,
            open_risk=self._open_risk_from_editor,
            classify=self.classifier,
        )

    def gaps_for_use(self, use_id: int) -> list[oversight.Gap]:
        return oversight.gaps_for_use(self.service, use_id)

    def open_use_on_gaps(self, use_id: int) -> None:
        """Open the use editor with its Gaps tab in front: the dashboard's "why"."""
        if self.raise_editor("ai_use", use_id):
            return
        editor = self.use_editor(use_id)
        editor.ui.tabs.setCurrentWidget(editor.ui.gapsTab)
        self.run_editor("ai_use", use_id, editor)

    def raise_editor(self, entity: str, key: int | None) -> bool:
        """Bring the editor already open on this record forward; False if there is none."""
        dialog = self.open_editors.get((entity, key)) if key is not None else None
        if dialog is None:
            return False
        dialog.raise_()
        dialog.activateWindow()
        return True

    def run_editor(self, entity: str, key: int | None, dialog: QDialog) -> int:
        """Run ``dialog`` as the one editor of (entity, key) until it closes."""
        if key is None:
            return dialog.exec()
        self.open_editors[(entity, key)] = dialog
        try:
            return dialog.exec()
        finally:
            self.open_editors.pop((entity, key), None)

    def edit_use(self, use_id: int | None) -> None:
        if self.raise_editor("ai_use", use_id):
            return
        editor = self.use_editor(use_id)
        if self.run_editor("ai_use", use_id, editor) and editor.use_id is not None:
            self.show_page("uses")
            self.uses_page.select_id(editor.use_id)

    def delete_use(self, use_id: int) -> None:
        use = self.service.get("ai_use", use_id)
        risks = len(self.service.rows("risk", use_id=use_id))
        answer = QMessageBox.question(
            self,
            "Delete AI use",
            f"Delete “{use['name']}” and its {risks} risk(s)?\n\nYou can undo this with Ctrl+Z.",
        )
        if answer == QMessageBox.StandardButton.Yes:
            self._guarded(
                lambda: self.history.delete(f"Delete AI use “{use['name']}”", "ai_use", use_id)
            )

    def _open_risk_from_editor(self, use_id: int, risk_id: int | None, parent: QWidget) -> None:
        if self.raise_editor("risk", risk_id):
            return
        self.run_editor(
            "risk", risk_id, RiskEditor(self.service, self.history, use_id, risk_id, parent)
        )

    def edit_risk(self, risk_id: int) -> None:
        if self.raise_editor("risk", risk_id):
            return
        risk = self.service.get("risk", risk_id)
        editor = RiskEditor(self.service, self.history, risk["use_id"], risk_id, self)
        self.run_editor("risk", risk_id, editor)

    def new_risk(self) -> None:
        """Risks page ▸ Add risk…: a risk belongs to a use, so ask which one first."""
        uses = self.service.rows("ai_use", order_by="name")
        if not uses:
            QMessageBox.information(
                self,
                "Add risk",
                "A risk belongs to an AI use. Add the AI use first (AI uses ▸ New AI use…).",
            )
            return
        preselected = self.selected_use_id()
        names = [u["name"] for u in uses]
        ids = [u["id"] for u in uses]
        current = ids.index(preselected) if preselected in ids else 0
        name, ok = QInputDialog.getItem(
            self, "Add risk", "Which AI use is this risk about?", names, current, False
        )
        if ok:
            use_id = ids[names.index(name)]
            editor = RiskEditor(self.service, self.history, use_id, None, self)
            if self.run_editor("risk", None, editor) and editor.risk_id is not None:
                self.show_page("risks")
                self.risks_page.select_id(editor.risk_id)

    def open_demo(self) -> None:
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
                self.show_error("Open the demo", str(exc))
                return
            finally:
                QApplication.restoreOverrideCursor()
        self.open_requested.emit(str(path))

    def delete_risk(self, risk_id: int) -> None:
        risk = self.service.get("risk", risk_id)
        answer = QMessageBox.question(self, "Delete risk", f"Delete the risk “{risk['title']}”?")
        if answer == QMessageBox.StandardButton.Yes:
            self._guarded(
                lambda: self.history.delete(f"Delete risk “{risk['title']}”", "risk", risk_id)
            )

    def edit_record(self, entity: str, key: int | None) -> None:
        if self.raise_editor(entity, key):
            return
        if entity == "incident":  # with linked risks and the Art. 73 deadline
            self.run_editor(entity, key, IncidentDialog(self.service, self.history, key, self))
            return
        self.run_editor(entity, key, RecordDialog(self.service, self.history, entity, key, self))

    def open_record(self, entity: str, key: int) -> None:
        """Open whatever a drift or due item points at."""
        if entity == "ai_use":
            self.edit_use(key)
        elif entity == "risk":
            self.edit_risk(key)
        elif entity == "control":
            self.controls_page.edit(key)
        else:
            self.edit_record(entity, key)

    def record_review(self, use_id: int) -> bool:
        return bool(RecordReviewDialog(self.service, self.history, use_id, self).exec())

    def show_history(self, entity: str, key: int) -> None:
        RecordHistoryDialog(self.service, entity, key, self).exec()

    def history_of_selected(self) -> None:
        """Edit ▸ Record history… for the row selected on the current table."""
        page = self.current_table()
        entity = PAGE_ENTITIES.get(page.objectName()) if page is not None else None
        key = page.selected_id() if page is not None else None
        if entity is None or key is None:
            QMessageBox.information(
                self, "Record history", "Select a row in one of the tables to see its history."
            )
            return
        self.show_history(entity, key)

    def selected_use_id(self) -> int | None:
        """The use the user means: the one selected on the AI uses page, or the use of the
        risk selected on the Risks page."""
        page = self.current_table()
        if page is self.risks_page:
            risk_id = page.selected_id()
            return self.service.get("risk", risk_id)["use_id"] if risk_id is not None else None
        return self.uses_page.selected_id()

    def add_risk_from_catalogue(self) -> None:
        use_id = self.selected_use_id()
        if use_id is None:
            QMessageBox.information(
                self,
                "Add risk from catalogue",
                "Select an AI use (or one of its risks) first, then add a risk from the catalogue.",
            )
            return
        CatalogueDialog(self.service, self.history, use_id, self).exec()

    # --- dialogs ---------------------------------------------------------------------
    def open_export_dialog(self) -> ExportDialog:
        dialog = ExportDialog(self.service, self.settings, self)
        dialog.exported.connect(lambda _path: self.dashboard_page.refresh())  # pack issued
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def open_import_wizard(self, path: str | Path | None = None) -> ImportWizard:
        # Loaded when first asked for: the wizard and its importers are ~0.2 s of imports.
        from riskdesk.ui.dialogs.import_wizard.wizard import ImportWizard

        wizard = ImportWizard(self.service, self.history, self.settings, self, path)
        wizard.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        wizard.imported.connect(lambda _report: self.show_page("uses"))
        wizard.open()
        return wizard

    def open_organisation(self) -> None:
        """Settings ▸ Organisation…: what the welcome dialog asked, editable later."""
        from riskdesk.ui.dialogs.first_run import OrganisationDialog

        if OrganisationDialog(self.service, self.history, self.settings, self).exec():
            self._update_title()
            self.reload()

    def open_scoring_settings(self) -> None:
        SettingsDialog(self.service, self.history, self).exec()

    def delete_record(self, entity: str, key: int) -> None:
        record = self.service.get(entity, key)
        name = record.get("name") or record.get("title") or key
        answer = QMessageBox.question(self, "Delete", f"Delete “{name}”?")
        if answer == QMessageBox.StandardButton.Yes:
            self._guarded(lambda: self.history.delete(f"Delete “{name}”", entity, key))

    def _guarded(self, fn: Callable[[], Any]) -> None:
        try:
            fn()
        except ConflictError as exc:
            self.show_error("Cannot delete", str(exc))
        except (ServiceError, StoreError) as exc:
            self.show_error("riskdesk", str(exc))

    def show_error(self, title: str, message: str) -> None:
        QMessageBox.warning(self, title, message)

    def show_help(self, name: str) -> QDialog:
        """A help text shipped with the app (resources/help/<name>.md): offline, beside
        the window rather than in front of it, so the user can follow it step by step."""
        dialog = self.help_windows.get(name)
        if dialog is None:
            text = resource_path("help", f"{name}.md").read_text(encoding="utf-8")
            dialog = QDialog(self)
            dialog.setObjectName(f"help-{name}")
            browser = QTextBrowser(dialog)
            browser.setObjectName("helpText")
            browser.setOpenExternalLinks(True)
            browser.setMarkdown(text)
            title = text.splitlines()[0].lstrip("# ").strip()
            browser.setAccessibleName(title)
            dialog.setWindowTitle(f"{title} — riskdesk")
            QVBoxLayout(dialog).addWidget(browser)
            dialog.resize(620, 640)
            self.help_windows[name] = dialog
        dialog.show()
        dialog.raise_()
        dialog.activateWindow()
        return dialog

    def show_about(self) -> None:
        from riskdesk.ui.dialogs.about import about_text

        QMessageBox.about(self, "About riskdesk", about_text(self.service))

    # --- state -----------------------------------------------------------------------
    def reload(self) -> None:
        for page in (
            self.uses_page,
            self.risks_page,
            self.people_page,
            self.vendors_page,
            self.incidents_page,
        ):
            page.reload()
        self.dashboard_page.refresh()
        self.vendor_banner.refresh()  # issue 17
        self.controls_page.reload()
        self.frameworks_page.reload()
        self.drift_page.refresh()
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

    def _update_title(self) -> None:
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


RECENT_KEY = "recentFiles"
MAX_RECENT = 8


def recent_files(settings: QSettings) -> list[str]:
    value = settings.value(RECENT_KEY, [])
    if isinstance(value, str):  # QSettings gives a lone entry back as a plain string
        return [value]
    return [str(v) for v in value] if isinstance(value, list) else []


def remember_file(settings: QSettings, path: str) -> None:
    files = [p for p in recent_files(settings) if p != path]
    settings.setValue(RECENT_KEY, [path, *files][:MAX_RECENT])
    settings.sync()
