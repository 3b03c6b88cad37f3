"""The Evidence page: every current piece of evidence in the register, what it supports
and whether it is still valid (expired in red, expiring within 30 days in amber), with
search and filters; open or save a copy of a file, or double-click to open the record
it supports. Reads through ``service.evidence`` only."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from riskdesk import enums
from riskdesk.service import evidence as ev
from riskdesk.service.errors import ServiceError, StoreError
from riskdesk.service.register import RegisterService
from riskdesk.ui.editors.evidence_dialogs import ERROR_STYLE, MESSAGE_STYLE, make_table
from riskdesk.ui.undo import EditHistory
from riskdesk.ui.widgets.evidence_table import (
    EvidenceModel,
    describe_targets,
    open_copy,
    save_copy,
    status_text,
)

PAGE_COLUMNS = ("title", "supports", "kind", "valid_until", "status", "added_by", "sha256")
# Filter label -> the EvidenceInfo.status values it keeps (None: all).
STATUS_FILTERS: tuple[tuple[str, frozenset[str] | None], ...] = (
    ("All", None),
    ("Expired", frozenset({"expired"})),
    (f"Expiring within {ev.EXPIRES_SOON_DAYS} days", frozenset({"expires soon"})),
    ("Current", frozenset({"valid", "no expiry", "expires soon"})),
)
EMPTY_TEXT = (
    "No evidence yet. Attach the files that show your controls work (a signed DPA, a bias "
    "test, an approved policy) on the Evidence tab of a use, risk, control, incident or "
    "vendor, or from a use's reviews and challenges."
)
OpenRecord = Callable[[str, int], object]  # (entity, id): the window opens its editor


class EvidencePage(QWidget):
    def __init__(
        self,
        service: RegisterService,
        history: EditHistory,
        open_record: OpenRecord,
        parent: QWidget | None = None,
        today: dt.date | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("evidencePage")
        self.service, self._open_record, self.today = service, open_record, today
        self._all: list[ev.EvidenceInfo] = []
        self._people: dict[int, str] = {}
        self._supports: dict[int, str] = {}  # evidence id -> what it supports, in words
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        self.search = QLineEdit(self)
        self.search.setObjectName("search")
        self.search.setPlaceholderText("Search titles, files, what it supports…")
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName("Search evidence")
        top.addWidget(self.search, 1)
        self.status_filter = self._combo(top, "S&tatus:", "statusFilter")  # Alt+S: Settings
        for label, keep in STATUS_FILTERS:
            self.status_filter.addItem(label, keep)
        self.kind_filter = self._combo(top, "&Kind:", "kindFilter")
        self.kind_filter.addItem("All kinds", None)
        for kind in enums.EvidenceKind:
            self.kind_filter.addItem(kind.label, kind.value)
        self.count_label = QLabel(self)
        self.count_label.setObjectName("countLabel")
        top.addWidget(self.count_label)
        layout.addLayout(top)
        row = QHBoxLayout()
        self.open_button = QPushButton("&Open file", self)
        self.open_button.setObjectName("openEvidence")
        self.save_button = QPushButton("Save a &copy…", self)
        self.save_button.setObjectName("saveEvidence")
        self.record_button = QPushButton("Open &record", self)
        self.record_button.setObjectName("openSupported")
        self.record_button.setToolTip("Open the record this evidence supports")
        for button in (self.open_button, self.save_button, self.record_button):
            row.addWidget(button)
        row.addStretch(1)
        layout.addLayout(row)
        self.message = QLabel(self)
        self.message.setObjectName("evidenceMessage")
        self.message.setWordWrap(True)
        self.message.hide()
        layout.addWidget(self.message)
        self.empty = QLabel(EMPTY_TEXT, self)
        self.empty.setObjectName("emptyText")
        self.empty.setWordWrap(True)
        self.empty.hide()
        layout.addWidget(self.empty)
        self.model = EvidenceModel(PAGE_COLUMNS, self)
        self.view = make_table(self, self.model, "table", "Evidence")
        # Soonest validity first: the expired and the expiring are what needs doing.
        self.view.sortByColumn(PAGE_COLUMNS.index("valid_until"), Qt.SortOrder.AscendingOrder)
        layout.addWidget(self.view, 1)
        self.search.textChanged.connect(lambda _t: self.apply_filters())
        self.status_filter.currentIndexChanged.connect(lambda _i: self.apply_filters())
        self.kind_filter.currentIndexChanged.connect(lambda _i: self.apply_filters())
        self.open_button.clicked.connect(self.open_selected)
        self.save_button.clicked.connect(self.save_selected)
        self.record_button.clicked.connect(self.open_supported)
        self.view.doubleClicked.connect(lambda _i: self.open_supported())
        self.view.selectionModel().selectionChanged.connect(lambda *_: self._enable())
        history.changed.connect(self._register_changed)
        self.reload()

    def _combo(self, row: QHBoxLayout, text: str, name: str) -> QComboBox:
        label = QLabel(text, self)
        combo = QComboBox(self)
        combo.setObjectName(name)
        label.setBuddy(combo)
        row.addWidget(label)
        row.addWidget(combo)
        return combo

    # --- state ---------------------------------------------------------------------
    def showEvent(self, event: QShowEvent) -> None:
        self.reload()  # an import or another window may have changed the register
        super().showEvent(event)

    def _register_changed(self) -> None:
        if self.isVisible():  # a hidden page re-reads when it is shown
            self.reload()

    def reload(self) -> None:
        try:
            self._all = ev.list_evidence(self.service)
            names = ev.supported_names(self.service, {t for e in self._all for t in e.attached_to})
            self._people = {p["id"]: p["name"] for p in self.service.rows("person")}
        except (ServiceError, StoreError) as exc:
            self.say(str(exc), error=True)
            return
        self._supports = {
            e.id: describe_targets(e.attached_to, names) or "nothing (detached everywhere)"
            for e in self._all
        }
        self.apply_filters()

    def apply_filters(self) -> None:
        today = self.today or dt.date.today()
        keep: frozenset[str] | None = self.status_filter.currentData()
        kind: str | None = self.kind_filter.currentData()
        words = self.search.text().casefold().split()
        selected = self.selected()
        shown = [
            e
            for e in self._all
            if (keep is None or e.status(today) in keep)
            and (kind is None or e.kind == kind)
            and all(w in self._haystack(e, today) for w in words)
        ]
        self.model.set_rows(shown, today, self._people, self._supports)
        if selected is not None and (row := self.model.row_of(selected.id)) >= 0:
            self.view.selectRow(row)
        total = len(self._all)
        filtered = len(shown) != total
        self.count_label.setText(
            f"{len(shown):,} of {total:,}" if filtered else f"{total:,} file{'s' * (total != 1)}"
        )
        self.empty.setVisible(total == 0)
        self.view.setVisible(total > 0)
        self._enable()

    def _haystack(self, info: ev.EvidenceInfo, today: dt.date) -> str:
        parts: list[Any] = [
            info.title,
            info.file_name,
            info.kind_label,
            self._supports.get(info.id, ""),
            status_text(info, today),
            info.added_by,
            info.sha256,
        ]
        return " ".join(str(p) for p in parts).casefold()

    def _enable(self) -> None:
        chosen = self.selected()
        for button in (self.open_button, self.save_button):
            button.setEnabled(chosen is not None)
        self.record_button.setEnabled(chosen is not None and bool(chosen.attached_to))

    def selected(self) -> ev.EvidenceInfo | None:
        rows = self.view.selectionModel().selectedRows()
        return self.model.info_at(rows[0].row()) if rows else None

    def select_id(self, evidence_id: int) -> bool:
        row = self.model.row_of(evidence_id)
        if row >= 0:
            self.view.selectRow(row)
        return row >= 0

    def say(self, text: str, *, error: bool = False) -> None:
        self.message.setText(text)
        self.message.setStyleSheet(ERROR_STYLE if error else MESSAGE_STYLE)
        self.message.show()

    # --- actions -------------------------------------------------------------------
    def open_selected(self) -> None:
        info = self.selected()
        if info is not None and (problem := open_copy(self.service, info)) is not None:
            self.say(problem, error=True)

    def save_selected(self) -> None:
        info = self.selected()
        said = save_copy(self, self.service, info) if info is not None else None
        if said is not None:
            self.say(said[1], error=not said[0])

    def open_supported(self) -> None:
        """Open the (first) record the selected evidence supports; a review or a
        challenge opens in its use's editor, where it lives."""
        info = self.selected()
        if info is None:
            return
        if not info.attached_to:
            self.say(f"“{info.title}” supports nothing at present: it was detached everywhere.")
            return
        target = info.attached_to[0]
        try:
            if target.kind in ("review", "challenge"):
                use_id = self.service.get(target.entity, target.id)["use_id"]
                self._open_record("ai_use", use_id)
            else:
                self._open_record(target.entity, target.id)
        except (ServiceError, StoreError) as exc:
            self.say(str(exc), error=True)
