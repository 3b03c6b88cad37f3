"""The main window: navigation, pages, menus, shortcuts, undo.

It receives the open register's service (no globals), so a test can build one on a
temporary file. Opening another register is the ``Controller``'s job (``app.py``):
it builds a fresh window for it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QByteArray, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
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
from riskdesk.service import queries
from riskdesk.service.errors import ConflictError, ServiceError, StoreError
from riskdesk.service.register import RegisterService
from riskdesk.ui.record_dialog import RecordDialog
from riskdesk.ui.register_models import (
    IncidentTableModel,
    PersonTableModel,
    RiskTableModel,
    UseTableModel,
    VendorTableModel,
)
from riskdesk.ui.risk_editor import RiskEditor
from riskdesk.ui.table_page import TablePage
from riskdesk.ui.undo import EditHistory
from riskdesk.ui.use_editor import UseEditor


class MainWindow(QMainWindow):
    """One open register."""

    open_requested = Signal(str)  # path of a register to open instead
    new_requested = Signal()
    open_dialog_requested = Signal()

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
        self.page_hooks: list[Callable[[], None]] = []  # called on reload
        # entity -> editor(key or None): a feature's own dialog instead of RecordDialog
        self.record_editors: dict[str, Callable[[int | None], None]] = {}

        central = QWidget(self)
        layout = QHBoxLayout(central)
        layout.setContentsMargins(4, 4, 4, 4)
        self.nav = QListWidget(central)
        self.nav.setObjectName("navigation")
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
        self._build_menus()
        self.status = QLabel(self)
        self.statusBar().addPermanentWidget(self.status)
        self._update_title()
        self._update_status()  # the pages loaded their rows as they were built
        self._restore_geometry()

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
        service = self.service
        self.uses_page = TablePage(
            "uses",
            UseTableModel(queries.uses(service), self),
            on_open=self.edit_use,
            on_add=self.new_use,
            on_delete=self.delete_use,
            add_text="&New AI use…",
        )
        self.risks_page = TablePage(
            "risks",
            RiskTableModel(queries.risks(service), self),
            on_open=self.edit_risk,
            on_delete=self.delete_risk,
        )
        self.people_page = TablePage(
            "people",
            PersonTableModel(queries.people(service), self),
            on_open=lambda i: self.edit_record("person", i),
            on_add=lambda: self.edit_record("person", None),
            on_delete=lambda i: self.delete_record("person", i),
            add_text="&Add person…",
        )
        self.vendors_page = TablePage(
            "vendors",
            VendorTableModel(queries.vendors(service), self),
            on_open=lambda i: self.edit_record("vendor", i),
            on_add=lambda: self.edit_record("vendor", None),
            on_delete=lambda i: self.delete_record("vendor", i),
            add_text="&Add vendor…",
        )
        self.incidents_page = TablePage(
            "incidents",
            IncidentTableModel(queries.incidents(service), self),
            stretch_column=4,
            on_open=lambda i: self.edit_record("incident", i),
            on_add=lambda: self.edit_record("incident", None),
            on_delete=lambda i: self.delete_record("incident", i),
            add_text="&Log incident…",
        )
        self.add_page("uses", "AI uses", self.uses_page)
        self.add_page("risks", "Risks", self.risks_page)
        self.add_page("people", "People", self.people_page)
        self.add_page("vendors", "Vendors", self.vendors_page)
        self.add_page("incidents", "Incidents", self.incidents_page)
        self.nav.setCurrentRow(0)

    def _show_page(self, row: int) -> None:
        if row >= 0:
            self.stack.setCurrentIndex(row)

    def show_page(self, key: str) -> None:
        self.nav.setCurrentRow(self._page_order.index(key))

    def current_table(self) -> TablePage | None:
        widget = self.stack.currentWidget()
        return widget if isinstance(widget, TablePage) else None

    # --- menus and shortcuts ---------------------------------------------------------
    def _action(
        self,
        menu: QMenu,
        text: str,
        slot: Callable[[], Any],
        shortcut: QKeySequence | QKeySequence.StandardKey | str | None = None,
        name: str = "",
    ) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(lambda _checked=False: slot())
        if name:
            action.setObjectName(name)
        menu.addAction(action)
        return action

    def _build_menus(self) -> None:
        bar = self.menuBar()
        self.file_menu = bar.addMenu("&File")
        self._action(
            self.file_menu,
            "&New register…",
            self.new_requested.emit,
            "Ctrl+Shift+N",
            "actionNewRegister",
        )
        self._action(
            self.file_menu,
            "&Open register…",
            self.open_dialog_requested.emit,
            QKeySequence.StandardKey.Open,
            "actionOpenRegister",
        )
        self.recent_menu = self.file_menu.addMenu("Open &recent")
        self.recent_menu.aboutToShow.connect(self._fill_recent)
        self.file_menu.addSeparator()
        self.export_anchor = self.file_menu.addSeparator()
        self._action(self.file_menu, "&Quit", self.close, "Ctrl+Q", "actionQuit")

        edit = bar.addMenu("&Edit")
        self.edit_menu = edit
        undo = self.history.stack.createUndoAction(self, "&Undo")
        undo.setShortcut(QKeySequence.StandardKey.Undo)
        undo.setObjectName("actionUndo")
        redo = self.history.stack.createRedoAction(self, "&Redo")
        redo.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
        redo.setObjectName("actionRedo")
        edit.addAction(undo)
        edit.addAction(redo)
        self.undo_action, self.redo_action = undo, redo
        edit.addSeparator()
        self._action(
            edit, "&New AI use…", self.new_use, QKeySequence.StandardKey.New, "actionNewUse"
        )
        self._action(edit, "&Open selected", self._open_selected, "Ctrl+E", "actionOpen")
        self._action(
            edit,
            "&Delete selected…",
            self._delete_selected,
            QKeySequence.StandardKey.Delete,
            "actionDelete",
        )
        self._action(edit, "&Find", self._focus_search, QKeySequence.StandardKey.Find, "actionFind")
        self.view_menu = bar.addMenu("&View")
        for index in range(self.nav.count()):
            key = self._page_order[index]
            self._action(
                self.view_menu,
                self.nav.item(index).text(),
                lambda k=key: self.show_page(k),
                f"Ctrl+{index + 1}",
            )
        self.help_menu = bar.addMenu("&Help")
        self._action(self.help_menu, "&About riskdesk", self.show_about, None, "actionAbout")

    def _fill_recent(self) -> None:
        self.recent_menu.clear()
        recent = recent_files(self.settings)
        if not recent:
            self.recent_menu.addAction("(none)").setEnabled(False)
        for path in recent:
            action = self.recent_menu.addAction(path)
            action.triggered.connect(lambda _c=False, p=path: self.open_requested.emit(p))

    def _open_selected(self) -> None:
        page = self.current_table()
        if page is not None:
            page.open_selected()

    def _delete_selected(self) -> None:
        page = self.current_table()
        if page is not None:
            page.delete_selected()

    def _focus_search(self) -> None:
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

    gaps_for_use: Callable[[int], list[Any]] | None = None
    classifier: Callable[[QWidget, dict[str, Any]], dict[str, Any] | None] | None = None

    def edit_use(self, use_id: int | None) -> None:
        editor = self.use_editor(use_id)
        if editor.exec() and editor.use_id is not None:
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
        RiskEditor(self.service, self.history, use_id, risk_id, parent).exec()

    def edit_risk(self, risk_id: int) -> None:
        risk = self.service.get("risk", risk_id)
        RiskEditor(self.service, self.history, risk["use_id"], risk_id, self).exec()

    def delete_risk(self, risk_id: int) -> None:
        risk = self.service.get("risk", risk_id)
        answer = QMessageBox.question(self, "Delete risk", f"Delete the risk “{risk['title']}”?")
        if answer == QMessageBox.StandardButton.Yes:
            self._guarded(
                lambda: self.history.delete(f"Delete risk “{risk['title']}”", "risk", risk_id)
            )

    def edit_record(self, entity: str, key: int | None) -> None:
        if entity in self.record_editors:
            self.record_editors[entity](key)
            return
        RecordDialog(self.service, self.history, entity, key, self).exec()

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

    def show_about(self) -> None:
        from riskdesk.ui.about import about_text

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
        for hook in self.page_hooks:
            hook()
        self._update_status()

    def _update_status(self) -> None:
        self.status.setText(
            f"{self.service.count('ai_use'):,} AI uses · {self.service.count('risk'):,} risks"
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

    def schedule(self, fn: Callable[[], None]) -> None:
        """Run after the window is shown (first-run and error dialogs go here)."""
        QTimer.singleShot(0, fn)


RECENT_KEY = "recentFiles"
MAX_RECENT = 8


def recent_files(settings: QSettings) -> list[str]:
    value = settings.value(RECENT_KEY, [])
    if isinstance(value, str):
        value = [value]
    return [str(v) for v in (value or [])]


def remember_file(settings: QSettings, path: str) -> None:
    files = [p for p in recent_files(settings) if p != path]
    settings.setValue(RECENT_KEY, [path, *files][:MAX_RECENT])
    settings.sync()
