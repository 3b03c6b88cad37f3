"""The Evidence tab: the files attached to one record (a use, risk, control, review,
challenge, incident or vendor), with add (file dialog or drag-and-drop), open, save a
copy, replace, revisions, remove and detach — all through ``service.evidence``, and
undoable through the window's edit history where the service can reverse them.

``evidence_tab.add_evidence_tab`` puts it on an editor; its dialogs are in
``evidence_dialogs``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from riskdesk.service import evidence as ev
from riskdesk.service.errors import ServiceError, StoreError
from riskdesk.service.register import ActionResult, RegisterService
from riskdesk.ui.editors.evidence_dialogs import (
    ERROR_STYLE,
    MESSAGE_STYLE,
    EvidenceDetailsDialog,
    RevisionsDialog,
    make_table,
    size_text,
)
from riskdesk.ui.undo import EditHistory
from riskdesk.ui.widgets.evidence_table import EvidenceModel, open_copy, save_copy

PANEL_COLUMNS = ("title", "kind", "dated", "valid_until", "status", "added_by", "sha256")
SAVE_FIRST = "Save the record first to attach evidence."


class EvidencePanel(QWidget):
    """The evidence attached to ``target``; ``None`` for a record not saved yet."""

    count_changed = Signal(int)

    def __init__(
        self,
        service: RegisterService,
        history: EditHistory,
        target: ev.Target | str | None,
        parent: QWidget | None = None,
        today: dt.date | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("evidencePanel")
        self.service, self.history = service, history
        self.target = ev.parse_target(target) if target is not None else None
        self.today = today
        self._following = False  # reloading on the register's changes
        layout = QVBoxLayout(self)
        if self.target is None:
            note = QLabel(SAVE_FIRST, self)
            note.setObjectName("saveFirst")
            note.setWordWrap(True)
            layout.addWidget(note)
            layout.addStretch(1)
            return
        intro = QLabel(
            "Files that show this is done: the signed DPA, the test result, the approved "
            f"policy. Drop files here to add them (at most {ev.MAX_FILE_BYTES // ev.MB} MB "
            "each); they are kept inside the register.",
            self,
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        row = QHBoxLayout()
        self.buttons: dict[str, QPushButton] = {}
        for key, text, slot in (
            ("add", "&Add…", self.add),
            ("open", "&Open", self.open_selected),
            ("save", "Save a &copy…", self.save_selected),
            ("replace", "Re&place…", self.replace_selected),
            ("revisions", "Re&visions…", self.show_revisions),
            ("remove", "Re&move…", self.remove_selected),
            ("detach", "De&tach", self.detach_selected),
        ):
            button = QPushButton(text, self)
            button.setObjectName(f"evidence_{key}")
            button.clicked.connect(lambda _c=False, act=slot: act())
            row.addWidget(button)
            self.buttons[key] = button
        row.addStretch(1)
        self.buttons["detach"].setToolTip(
            "Stop this file supporting this record; it stays on everything else it supports."
        )
        layout.addLayout(row)
        self.message = QLabel(self)
        self.message.setObjectName("evidenceMessage")
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message.hide()
        layout.addWidget(self.message)
        self.model = EvidenceModel(PANEL_COLUMNS, self)
        self.view = make_table(self, self.model, "evidenceTable", "Evidence")
        self.view.doubleClicked.connect(lambda _i: self.open_selected())
        self.view.selectionModel().selectionChanged.connect(lambda *_: self._enable())
        layout.addWidget(self.view, 1)
        self.setAcceptDrops(True)
        history.changed.connect(self.reload)
        self._following = True
        self.reload()

    # --- state ---------------------------------------------------------------------
    def stop_following(self) -> None:
        """No more reloads on the register's changes (its editor was closed)."""
        if self._following:
            self.history.changed.disconnect(self.reload)
            self._following = False

    def reload(self) -> None:
        if self.target is None:
            return
        selected = self.selected()
        try:
            rows = ev.evidence_for(self.service, self.target)
            people = {p["id"]: p["name"] for p in self.service.rows("person")}
        except (ServiceError, StoreError):
            return  # the register is gone or the record with it (an undo): nothing to show
        self.model.set_rows(rows, self.today or dt.date.today(), people)
        if selected is not None and (row := self.model.row_of(selected.id)) >= 0:
            self.view.selectRow(row)
        self._enable()
        self.count_changed.emit(len(rows))

    def _enable(self) -> None:
        chosen = self.selected() is not None
        for key in ("open", "save", "replace", "revisions", "remove", "detach"):
            self.buttons[key].setEnabled(chosen)

    def selected(self) -> ev.EvidenceInfo | None:
        if self.target is None:
            return None
        rows = self.view.selectionModel().selectedRows()
        return self.model.info_at(rows[0].row()) if rows else None

    def show_message(self, text: str, *, error: bool = False) -> None:
        self.message.setText(text)
        self.message.setStyleSheet(ERROR_STYLE if error else MESSAGE_STYLE)
        self.message.show()

    def _run(self, text: str, action: Callable[[], ActionResult]) -> bool:
        """One undoable action; the service's own words when it refuses."""
        try:
            self.history.run(text, action)
        except (ServiceError, StoreError) as exc:
            self.show_message(str(exc), error=True)
            return False
        self.message.hide()
        return True

    # --- adding ------------------------------------------------------------------------
    def add(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Add evidence", str(Path.home()))
        if path:
            self.add_files([path])

    def add_files(self, paths: list[str]) -> int:
        """Ask for each file's details and add it; how many were added."""
        added = 0
        for path in paths:
            try:
                data, name = ev.read_source(path)  # the size limit, before anyone types
            except ServiceError as exc:
                self.show_message(str(exc), error=True)
                continue
            dialog = EvidenceDetailsDialog(
                f"File: {name} ({size_text(len(data))})", self, title=Path(name).stem
            )
            if not dialog.exec():
                continue
            added += self._add(data, name, dialog.values())
        return added

    def _add(self, data: bytes, name: str, values: dict[str, Any]) -> int:
        assert self.target is not None
        target, warnings = self.target, list[str]()

        def action() -> ActionResult:
            result = ev.add_evidence(self.service, data, to=[target], file_name=name, **values)
            warnings.extend(result.warnings)
            return result.result

        if not self._run(f"Add evidence “{values.get('title') or name}”", action):
            return 0
        if warnings:
            self.show_message(" ".join(warnings))
        return 1

    # --- drag and drop -------------------------------------------------------------
    @staticmethod
    def _dropped_files(event: QDragEnterEvent | QDragMoveEvent | QDropEvent) -> list[str]:
        urls = event.mimeData().urls() if event.mimeData().hasUrls() else []
        return [u.toLocalFile() for u in urls if u.isLocalFile()]

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if self.target is not None and self._dropped_files(event):
            event.acceptProposedAction()

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        if self.target is not None and self._dropped_files(event):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = self._dropped_files(event)
        if self.target is None or not paths:
            return
        event.acceptProposedAction()
        # Ask for the details once the drop is over: a dialog inside the drop would
        # keep the program the files came from waiting.
        QTimer.singleShot(0, lambda: self.add_files(paths))

    # --- one piece of evidence -----------------------------------------------------------
    def open_selected(self) -> None:
        info = self.selected()
        if info is not None and (problem := open_copy(self.service, info)) is not None:
            self.show_message(problem, error=True)

    def save_selected(self) -> None:
        info = self.selected()
        said = save_copy(self, self.service, info) if info is not None else None
        if said is not None:
            self.show_message(said[1], error=not said[0])

    def replace_selected(self) -> None:
        info = self.selected()
        if info is None:
            return
        path, _ = QFileDialog.getOpenFileName(self, f"Replace “{info.title}”", str(Path.home()))
        if not path:
            return
        try:
            data, name = ev.read_source(path)
        except ServiceError as exc:
            self.show_message(str(exc), error=True)
            return
        dialog = EvidenceDetailsDialog(
            f"New revision of “{info.title}”: {name} ({size_text(len(data))})",
            self,
            heading="Replace evidence",
            title=info.title,
            kind=info.kind,
            note="The old revision and its file stay in the register (Revisions…). The "
            "new document has its own date and validity: give them if known.",
        )
        if not dialog.exec():
            return
        values = dialog.values()
        self._run(
            f"Replace evidence “{info.title}”",
            lambda: (
                ev.replace_evidence(self.service, info.id, data, file_name=name, **values).result
            ),
        )

    def show_revisions(self) -> None:
        info = self.selected()
        if info is not None:
            RevisionsDialog(self.service, info.id, self, self.today).exec()

    def remove_selected(self) -> None:
        info = self.selected()
        if info is None:
            return
        answer = QMessageBox.question(
            self,
            "Remove evidence",
            f"Remove “{info.title}”? It will no longer support anything. Its file and "
            "revisions stay in the register for the audit trail, and Edit ▸ Undo brings it "
            "back.",
        )
        if answer == QMessageBox.StandardButton.Yes:
            self._run(
                f"Remove evidence “{info.title}”",
                lambda: ev.remove_evidence(self.service, info.id),
            )

    def detach_selected(self) -> None:
        info, target = self.selected(), self.target
        if info is not None and target is not None:
            self._run(
                f"Detach evidence “{info.title}”",
                lambda: ev.detach(self.service, info.id, target),
            )
