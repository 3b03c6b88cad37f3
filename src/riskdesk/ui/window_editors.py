"""Opening, raising and deleting records from the main window.

One editor per record: a second request for a record whose editor is open raises that
editor instead of stacking an identical one whose Save would overwrite the first's.
Every page, the dashboard and the Drift page open records through here.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QDialog, QInputDialog, QMessageBox, QWidget

from riskdesk.service import oversight
from riskdesk.service.errors import ConflictError, ServiceError, StoreError
from riskdesk.ui.dialogs.catalogue import CatalogueDialog
from riskdesk.ui.dialogs.classify import make_classifier
from riskdesk.ui.dialogs.history import RecordHistoryDialog
from riskdesk.ui.editors.incident_dialog import IncidentDialog
from riskdesk.ui.editors.risk_editor import RiskEditor
from riskdesk.ui.editors.use_editor import Classifier, UseEditor
from riskdesk.ui.editors.use_review_dialog import RecordReviewDialog
from riskdesk.ui.editors.vendor_dialog import record_editor  # issue 17: vendors get theirs

if TYPE_CHECKING:
    from riskdesk.ui.main_window import MainWindow

# Page object name -> entity, for Edit ▸ Record history… on the current table.
PAGE_ENTITIES = {
    "usesPage": "ai_use",
    "risksPage": "risk",
    "peoplePage": "person",
    "vendorsPage": "vendor",
    "incidentsPage": "incident",
    "controlsPage": "control",
    "modelsPage": "ai_model",  # the Vendors page's Models section
}


class EditorLauncher:
    """The window's editors: which are open, and the actions that open or delete records."""

    def __init__(self, window: MainWindow) -> None:
        self.window = window
        self.service = window.service
        self.history = window.history
        # The editor open for each (entity, id).
        self.open_editors: dict[tuple[str, int], QDialog] = {}
        # The Exposure tab's "Classify…" questions; reads the settings each time it runs.
        self.classifier: Classifier = make_classifier(window.service.scoring_config)

    # --- one editor per record -------------------------------------------------------
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

    # --- AI uses ---------------------------------------------------------------------
    def use_editor(self, use_id: int | None) -> UseEditor:
        """Build (not show) the editor: tests drive it directly."""
        return UseEditor(
            self.service,
            self.history,
            use_id,
            self.window,
            gaps=self.gaps_for_use,
            open_risk=self.open_risk_from_editor,
            classify=self.classifier,
        )

    def gaps_for_use(self, use_id: int) -> list[oversight.Gap]:
        return oversight.gaps_for_use(self.service, use_id)

    def edit_use(self, use_id: int | None) -> None:
        if self.raise_editor("ai_use", use_id):
            return
        editor = self.use_editor(use_id)
        if self.run_editor("ai_use", use_id, editor) and editor.use_id is not None:
            self.window.show_page("uses")
            self.window.uses_page.select_id(editor.use_id)

    def open_use_on_gaps(self, use_id: int) -> None:
        """Open the use editor with its Gaps tab in front: the dashboard's "why"."""
        self.open_use_on(use_id, "gapsTab")

    def open_use_on(self, use_id: int, tab: str) -> None:
        """Open the use editor with the tab named ``tab`` (its object name) in front, so
        a button that says what to do next lands where it is done."""
        if self.raise_editor("ai_use", use_id):
            return
        editor = self.use_editor(use_id)
        editor.ui.tabs.setCurrentWidget(getattr(editor.ui, tab))
        self.run_editor("ai_use", use_id, editor)

    def delete_use(self, use_id: int) -> None:
        use = self.service.get("ai_use", use_id)
        risks = len(self.service.rows("risk", use_id=use_id))
        answer = QMessageBox.question(
            self.window,
            "Delete AI use",
            f"Delete “{use['name']}” and its {risks} risk(s)?\n\nYou can undo this with Ctrl+Z.",
        )
        if answer == QMessageBox.StandardButton.Yes:
            self.guarded(
                lambda: self.history.delete(f"Delete AI use “{use['name']}”", "ai_use", use_id)
            )

    # --- risks -----------------------------------------------------------------------
    def open_risk_from_editor(self, use_id: int, risk_id: int | None, parent: QWidget) -> None:
        if self.raise_editor("risk", risk_id):
            return
        self.run_editor(
            "risk", risk_id, RiskEditor(self.service, self.history, use_id, risk_id, parent)
        )

    def edit_risk(self, risk_id: int) -> None:
        if self.raise_editor("risk", risk_id):
            return
        risk = self.service.get("risk", risk_id)
        editor = RiskEditor(self.service, self.history, risk["use_id"], risk_id, self.window)
        self.run_editor("risk", risk_id, editor)

    def new_risk(self) -> None:
        """Risks page ▸ Add risk…: a risk belongs to a use, so ask which one first."""
        window = self.window
        uses = self.service.rows("ai_use", order_by="name")
        if not uses:
            QMessageBox.information(
                window,
                "Add risk",
                "A risk belongs to an AI use. Add the AI use first (AI uses ▸ New AI use…).",
            )
            return
        preselected = self.selected_use_id()
        names = [u["name"] for u in uses]
        ids = [u["id"] for u in uses]
        current = ids.index(preselected) if preselected in ids else 0
        name, ok = QInputDialog.getItem(
            window, "Add risk", "Which AI use is this risk about?", names, current, False
        )
        if ok:
            use_id = ids[names.index(name)]
            editor = RiskEditor(self.service, self.history, use_id, None, window)
            if self.run_editor("risk", None, editor) and editor.risk_id is not None:
                window.show_page("risks")
                window.risks_page.select_id(editor.risk_id)

    def delete_risk(self, risk_id: int) -> None:
        risk = self.service.get("risk", risk_id)
        answer = QMessageBox.question(
            self.window, "Delete risk", f"Delete the risk “{risk['title']}”?"
        )
        if answer == QMessageBox.StandardButton.Yes:
            self.guarded(
                lambda: self.history.delete(f"Delete risk “{risk['title']}”", "risk", risk_id)
            )

    def selected_use_id(self) -> int | None:
        """The use the user means: the one selected on the AI uses page, or the use of the
        risk selected on the Risks page."""
        page = self.window.current_table()
        if page is self.window.risks_page:
            risk_id = page.selected_id()
            return self.service.get("risk", risk_id)["use_id"] if risk_id is not None else None
        return self.window.uses_page.selected_id()

    def add_risk_from_catalogue(self) -> None:
        use_id = self.selected_use_id()
        if use_id is None:
            QMessageBox.information(
                self.window,
                "Add risk from catalogue",
                "Select an AI use (or one of its risks) first, then add a risk from the catalogue.",
            )
            return
        CatalogueDialog(self.service, self.history, use_id, self.window).exec()

    # --- other records ---------------------------------------------------------------
    def edit_record(self, entity: str, key: int | None) -> None:
        if self.raise_editor(entity, key):
            return
        window = self.window
        if entity == "incident":  # with linked risks and the Art. 73 deadline
            self.run_editor(entity, key, IncidentDialog(self.service, self.history, key, window))
            return
        self.run_editor(entity, key, record_editor(self.service, self.history, entity, key, window))

    def open_record(self, entity: str, key: int) -> None:
        """Open whatever a drift or due item points at."""
        if entity == "ai_use":
            self.edit_use(key)
        elif entity == "risk":
            self.edit_risk(key)
        elif entity == "control":
            self.window.controls_page.edit(key)
        else:
            self.edit_record(entity, key)

    def delete_record(self, entity: str, key: int) -> None:
        record = self.service.get(entity, key)
        name = record.get("name") or record.get("title") or key
        answer = QMessageBox.question(self.window, "Delete", f"Delete “{name}”?")
        if answer == QMessageBox.StandardButton.Yes:
            self.guarded(lambda: self.history.delete(f"Delete “{name}”", entity, key))

    def record_review(self, use_id: int) -> bool:
        return bool(RecordReviewDialog(self.service, self.history, use_id, self.window).exec())

    def show_history(self, entity: str, key: int) -> None:
        RecordHistoryDialog(self.service, entity, key, self.window).exec()

    def history_of_selected(self) -> None:
        """Edit ▸ Record history… for the row selected on the current table."""
        page = self.window.current_table()
        page = page.active_section() if page is not None else None  # the Models, in focus
        entity = PAGE_ENTITIES.get(page.objectName()) if page is not None else None
        key = page.selected_id() if page is not None else None
        if entity is None or key is None:
            QMessageBox.information(
                self.window,
                "Record history",
                "Select a row in one of the tables to see its history.",
            )
            return
        self.show_history(entity, key)

    def guarded(self, fn: Callable[[], object]) -> None:
        try:
            fn()
        except ConflictError as exc:
            self.window.show_error("Cannot delete", str(exc))
        except (ServiceError, StoreError) as exc:
            self.window.show_error("riskdesk", str(exc))
