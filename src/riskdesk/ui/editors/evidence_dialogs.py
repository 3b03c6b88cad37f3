"""The Evidence tab's dialogs: the details of a file being added (or a new revision)
and the list of a piece of evidence's revisions, each openable."""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from riskdesk import enums
from riskdesk.service import evidence as ev
from riskdesk.service.register import RegisterService
from riskdesk.ui.widgets.binding import fill_enum
from riskdesk.ui.widgets.evidence_table import EvidenceModel, open_copy, save_copy
from riskdesk.ui.widgets.keyboard_table import KeyboardTableView

REVISION_COLUMNS = ("revision", "file", "added_at", "added_by", "dated", "valid_until", "status")
MESSAGE_STYLE = "QLabel { background: #e8f1fb; color: #1c3d5a; padding: 6px; border-radius: 4px; }"
ERROR_STYLE = "QLabel { background: #fde2e2; color: #8a1f11; padding: 6px; border-radius: 4px; }"


def make_table(
    parent: QWidget, model: EvidenceModel, name: str, accessible: str, *, sortable: bool = True
) -> QTableView:
    view = KeyboardTableView(parent)  # Tab into it: a row is highlighted
    view.setObjectName(name)
    view.setAccessibleName(accessible)
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    if sortable:  # by the first column (the title) until the user clicks another header
        view.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        view.setSortingEnabled(True)
    view.verticalHeader().hide()
    header = view.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
    return view


class EvidenceDetailsDialog(QDialog):
    """Title, kind, the document's date and how long it is valid, for a file being added
    (or a new revision). Dates are optional: a date nobody gave stays unknown."""

    def __init__(
        self,
        file_label: str,
        parent: QWidget | None = None,
        *,
        heading: str = "Add evidence",
        title: str = "",
        kind: str = enums.EvidenceKind.OTHER.value,
        note: str = "",
    ) -> None:
        super().__init__(parent)
        self.setObjectName("evidenceDetailsDialog")
        self.setWindowTitle(heading)
        layout = QVBoxLayout(self)
        self.file_label = QLabel(file_label, self)
        self.file_label.setObjectName("evidenceFile")
        self.file_label.setWordWrap(True)
        layout.addWidget(self.file_label)
        form = QFormLayout()
        self.title = QLineEdit(title, self)
        self.title.setObjectName("evidenceTitle")
        self.kind = QComboBox(self)
        self.kind.setObjectName("evidenceKind")
        fill_enum(self.kind, enums.EvidenceKind)
        self.kind.setCurrentIndex(max(self.kind.findData(kind), 0))
        for text, widget in (("&Title", self.title), ("&Kind", self.kind)):
            label = QLabel(text, self)
            label.setBuddy(widget)
            form.addRow(label, widget)
        self.dated_known, self.dated = self._optional_date(form, "Document &date", "dated")
        self.valid_known, self.valid_until = self._optional_date(
            form, "&Valid until", "valid_until"
        )
        self.valid_until.setDate(QDate.currentDate().addYears(1))
        layout.addLayout(form)
        if note:
            hint = QLabel(note, self)
            hint.setWordWrap(True)
            layout.addWidget(hint)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.title.setFocus()

    def _optional_date(
        self, form: QFormLayout, text: str, name: str
    ) -> tuple[QCheckBox, QDateEdit]:
        known = QCheckBox(text, self)
        known.setObjectName(f"{name}_known")
        date = QDateEdit(QDate.currentDate(), self)
        date.setObjectName(name)
        date.setAccessibleName(text.replace("&", ""))
        date.setCalendarPopup(True)
        date.setDisplayFormat("yyyy-MM-dd")
        date.setEnabled(False)
        known.toggled.connect(date.setEnabled)
        form.addRow(known, date)
        return known, date

    def values(self) -> dict[str, Any]:
        def when(known: QCheckBox, date: QDateEdit) -> dt.date | None:
            return date.date().toPython() if known.isChecked() else None  # type: ignore[return-value]

        return {
            "title": self.title.text().strip() or None,
            "kind": self.kind.currentData(),
            "dated": when(self.dated_known, self.dated),
            "valid_until": when(self.valid_known, self.valid_until),
        }


def size_text(size: int) -> str:
    return f"{size / ev.MB:,.1f} MB" if size >= ev.MB else f"{size:,} bytes"


class RevisionsDialog(QDialog):
    """Every revision of one piece of evidence, oldest first; each can be opened."""

    def __init__(
        self,
        service: RegisterService,
        evidence_id: int,
        parent: QWidget | None = None,
        today: dt.date | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("evidenceRevisionsDialog")
        self.service = service
        chain = ev.revisions(service, evidence_id)
        self.setWindowTitle(f"Revisions — {chain[-1].title}")
        layout = QVBoxLayout(self)
        self.model = EvidenceModel((*REVISION_COLUMNS, "sha256"), self)
        people = {p["id"]: p["name"] for p in service.rows("person")}
        self.model.set_rows(chain, today or dt.date.today(), people)
        # Oldest first, as they were added: the story of the document.
        self.view = make_table(self, self.model, "revisionsTable", "Revisions", sortable=False)
        self.view.doubleClicked.connect(lambda _i: self.open_selected())
        layout.addWidget(self.view, 1)
        self.message = QLabel(self)
        self.message.setObjectName("revisionsMessage")
        self.message.setWordWrap(True)
        self.message.hide()
        layout.addWidget(self.message)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.open_button = buttons.addButton("&Open", QDialogButtonBox.ButtonRole.ActionRole)
        self.save_button = buttons.addButton(
            "Save a &copy…", QDialogButtonBox.ButtonRole.ActionRole
        )
        self.open_button.clicked.connect(self.open_selected)
        self.save_button.clicked.connect(self.save_selected)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.view.selectRow(len(chain) - 1)
        self.resize(820, 320)

    def selected(self) -> ev.EvidenceInfo | None:
        rows = self.view.selectionModel().selectedRows()
        return self.model.info_at(rows[0].row()) if rows else None

    def _say(self, text: str, error: bool) -> None:
        self.message.setText(text)
        self.message.setStyleSheet(ERROR_STYLE if error else MESSAGE_STYLE)
        self.message.show()

    def open_selected(self) -> None:
        info = self.selected()
        if info is not None and (problem := open_copy(self.service, info)) is not None:
            self._say(problem, True)

    def save_selected(self) -> None:
        info = self.selected()
        said = save_copy(self, self.service, info) if info is not None else None
        if said is not None:
            self._say(said[1], not said[0])
