"""The Drift page: where the register has slid since it was last looked at properly.

Scores
that rose since their review, reviews overdue, uses flagged by an incident, acceptances
expired, controls not tested in their period, owners who left. Beside it: what falls
due in the next 30 days, and incidents by kind (many near misses per incident is what a
register that is looking shows): those two panels are ``drift_panels.py``.

The figures take about half a second on a 10,000-use register, so the page gathers them
off the GUI thread and only while visible; an edit made while it is hidden marks it
stale.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from PySide6.QtCore import (
    Qt,
    Signal,
)
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from riskdesk.service import drift
from riskdesk.service import governance as gov
from riskdesk.service.register import RegisterService
from riskdesk.ui.jobs import Jobs
from riskdesk.ui.pages.drift_panels import (
    DueSoonPanel,
    IncidentKindsPanel,
    ItemListModel,
    OpenRecord,
    list_table,
)
from riskdesk.ui.pages.table_page import EmptyAction

KIND_COLOURS = {
    drift.RISING: "#f4a6a6",
    drift.REVIEW_OVERDUE: "#ffd1a3",
    drift.REREVIEW: "#ffd1a3",
    drift.ACCEPTANCE_EXPIRED: "#fff2b3",
    drift.CONTROL_UNTESTED: "#fff2b3",
    drift.OWNER_LEFT: "#e3d7f4",
}


# --- the empty state -------------------------------------------------------------------------

WHAT_DRIFT_IS = (
    "Drift lists what has slid since an AI use was last looked at properly: a risk score "
    "that rose after its review, a review date that passed, a use an incident flagged for "
    "re-review, a risk acceptance that lapsed, a control not tested in its period, an "
    "owner who left."
)
NO_USES_TEXT = (
    f"<b>Nothing to watch yet.</b><br>{WHAT_DRIFT_IS}<br><br>It fills by itself as time "
    "passes, once the register has AI uses that are assessed, owned and reviewed."
)
NO_DRIFT_TEXT = (
    f"<b>No drift: nothing has slid.</b><br>{WHAT_DRIFT_IS}<br><br>Each appears here by "
    "itself when it happens. Recording a review (an AI use's History tab ▸ Record review…) "
    "starts its review clock and is what a later rise is measured against."
)


class DriftEmptyState(QWidget):
    """What the Drift page shows instead of an empty grid."""

    def __init__(self, actions: Sequence[EmptyAction], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("emptyState")
        box = QVBoxLayout(self)
        box.setContentsMargins(40, 0, 40, 0)
        box.addStretch(1)
        self.label = QLabel(self)
        self.label.setObjectName("emptyText")
        self.label.setWordWrap(True)
        self.label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.label.setTextFormat(Qt.TextFormat.RichText)
        self.label.setStyleSheet("font-size: 11pt; color: #3e4c59;")
        box.addWidget(self.label)
        row = QHBoxLayout()
        row.addStretch(1)
        # Offered only on an empty register: with uses in it, drift comes by itself.
        self.buttons: list[QPushButton] = []
        for number, (text, action) in enumerate(actions):
            button = QPushButton(text, self)
            button.setObjectName(f"emptyAction{number}")
            button.clicked.connect(lambda _c=False, act=action: act())
            row.addWidget(button)
            self.buttons.append(button)
        row.addStretch(1)
        box.addLayout(row)
        box.addStretch(2)
        self.hide()

    def show_for(self, uses: int) -> None:
        self.label.setText(NO_DRIFT_TEXT if uses else NO_USES_TEXT)
        for button in self.buttons:
            button.setVisible(not uses)


# --- the page ----------------------------------------------------------------------------------


@dataclass
class DriftData:
    items: list[drift.DriftItem] = field(default_factory=list)
    due: list[drift.DueItem] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    reportable: list[gov.ReportableIncident] = field(default_factory=list)
    uses: int | None = None  # AI uses in the register; None: not gathered yet


def drift_data(service: RegisterService, today: dt.date | None = None, days: int = 30) -> DriftData:
    return DriftData(
        drift.find_drift(service, today),
        drift.due_within(service, days, today),
        gov.incident_counts_by_kind(service),
        gov.reportable_incidents(service, today),
        service.count("ai_use"),
    )


class DriftPage(QWidget):
    refreshed = Signal()

    def __init__(
        self,
        service: RegisterService,
        on_open: OpenRecord | None = None,
        on_review: Callable[[int], object] | None = None,
        on_history: OpenRecord | None = None,
        parent: QWidget | None = None,
        today: dt.date | None = None,
        empty_actions: Sequence[EmptyAction] = (),
    ) -> None:
        super().__init__(parent)
        self.setObjectName("driftPage")
        self.service, self.today = service, today
        self._on_open, self._on_review, self._on_history = on_open, on_review, on_history
        self._stale = True
        self.jobs = Jobs(self)  # the drift figures are gathered off the GUI thread
        self.jobs.done.connect(self._job_done)
        self.jobs.failed.connect(self._job_failed)
        self.data = DriftData()
        self.kind_filter: str | None = None
        self.shown_items: list[drift.DriftItem] = []  # the table's rows, in order

        layout = QVBoxLayout(self)
        title = QLabel("<h2 style='margin:0'>Drift</h2>", self)
        layout.addWidget(title)
        self.subtitle = QLabel(self)
        self.subtitle.setObjectName("driftSubtitle")
        self.subtitle.setWordWrap(True)
        layout.addWidget(self.subtitle)

        chips = QHBoxLayout()
        self.chip_group = QButtonGroup(self)
        self.chip_group.setExclusive(True)
        self.chips: dict[str | None, QPushButton] = {}
        for kind, label in [(None, "All"), *drift.DRIFT_KINDS.items()]:
            chip = QPushButton(label, self)
            chip.setCheckable(True)
            chip.setObjectName(f"chip_{kind or 'all'}")
            chip.clicked.connect(lambda _c=False, k=kind: self.set_filter(k))
            self.chip_group.addButton(chip)
            self.chips[kind] = chip
            chips.addWidget(chip)
        chips.addStretch(1)
        self.chips[None].setChecked(True)
        layout.addLayout(chips)

        split = QSplitter(Qt.Orientation.Horizontal, self)
        left = QWidget(split)
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        self.model = ItemListModel(("What", "Record", "Detail", "Since"), self)
        self.view = list_table(self.model, left, "driftTable", 2)
        self.view.setAccessibleName("What changed")
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(1, 260)  # names can be long; the detail matters more
        self.view.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.view.activated.connect(lambda index: self.open_row(index.row()))
        self.view.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        left_layout.addWidget(self.view, 1)
        self.empty_state = DriftEmptyState(empty_actions, left)
        left_layout.addWidget(self.empty_state, 1)
        self.button_row = QWidget(left)
        buttons = QHBoxLayout(self.button_row)
        buttons.setContentsMargins(0, 0, 0, 0)
        self.open_button = QPushButton("&Open", self.button_row)
        self.open_button.setObjectName("driftOpen")
        self.open_button.clicked.connect(self.open_selected)
        self.review_button = QPushButton("Record &review…", self.button_row)
        self.review_button.setObjectName("driftRecordReview")
        self.review_button.clicked.connect(self.review_selected)
        self.history_button = QPushButton("Histor&y…", self.button_row)  # Alt+H is Help
        self.history_button.setObjectName("driftHistory")
        self.history_button.clicked.connect(self.history_selected)
        for button in (self.open_button, self.review_button, self.history_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        left_layout.addWidget(self.button_row)
        right = QWidget(split)
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        self.due_panel = DueSoonPanel(service, 30, on_open, right, today)
        self.incidents_panel = IncidentKindsPanel(service, right, on_open, today)
        right_layout.addWidget(self.due_panel, 1)
        right_layout.addWidget(self.incidents_panel)
        split.addWidget(left)
        split.addWidget(right)
        split.setStretchFactor(0, 5)
        split.setStretchFactor(1, 2)
        split.setSizes([900, 380])
        layout.addWidget(split, 1)
        self._update_buttons()
        self._subtitle("Gathering…")

    # --- data ------------------------------------------------------------------------
    def refresh(self) -> None:
        """The register changed: recompute now if shown, else when next shown."""
        self._stale = True
        if self.isVisible():
            self._start()

    def refresh_now(self) -> None:
        """Recompute on this thread (tests, and small registers)."""
        self.jobs.discard()  # a job still running would show older figures
        self.show_data(drift_data(self.service, self.today))

    def _start(self) -> None:
        self._stale = False
        service, today = self.service, self.today
        self.jobs.start(lambda _progress, _cancel: drift_data(service, today))
        self._subtitle("Updating…")

    def _job_done(self, data: object) -> None:
        if isinstance(data, DriftData):
            self.show_data(data)

    def _job_failed(self, message: str) -> None:
        self._subtitle(f"Could not gather the drift figures: {message}")

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale:
            self._start()

    def _subtitle(self, state: str = "") -> None:
        self.subtitle.setText(
            "Where the register has slid since it was last looked at properly: scores that "
            "crept up, reviews that slipped, acceptances that lapsed, controls no longer "
            "tested, owners who left." + (f" <i>{state}</i>" if state else "")
        )

    def show_data(self, data: DriftData) -> None:
        self.data = data
        counts = drift.drift_counts(data.items)
        for kind, chip in self.chips.items():
            label = "All" if kind is None else drift.DRIFT_KINDS[kind]
            number = len(data.items) if kind is None else counts[kind]
            chip.setText(f"{label} ({number})")
        self._fill()
        self.due_panel.set_items(data.due)
        self.incidents_panel.set_data(data.counts, data.reportable)
        self._subtitle("")
        self.refreshed.emit()

    def set_filter(self, kind: str | None) -> None:
        self.kind_filter = kind
        self.chips[kind].setChecked(True)
        self._fill()

    def _fill(self) -> None:
        items = [i for i in self.data.items if self.kind_filter in (None, i.kind)]
        self.model.set_rows(
            [
                (
                    (i.label, i.title, i.detail, i.since.isoformat() if i.since else ""),
                    i.detail,
                    KIND_COLOURS.get(i.kind, ""),
                    i.entity,
                    i.entity_id,
                )
                for i in items
            ]
        )
        self.shown_items = items
        # Nothing drifting at all (not merely nothing of the chosen kind): say what would
        # come here and how it fills, instead of an empty grid.
        empty = self.data.uses is not None and not self.data.items
        self.empty_state.show_for(self.data.uses or 0)
        self.empty_state.setVisible(empty)
        self.view.setVisible(not empty)
        self.button_row.setVisible(not empty)
        self._update_buttons()

    # --- actions ---------------------------------------------------------------------
    def selected_item(self) -> drift.DriftItem | None:
        rows = self.view.selectionModel().selectedRows()
        return self.shown_items[rows[0].row()] if rows else None

    def _update_buttons(self) -> None:
        item = self.selected_item()
        self.open_button.setEnabled(item is not None)
        self.history_button.setEnabled(item is not None and self._on_history is not None)
        self.review_button.setEnabled(
            item is not None and item.use_id is not None and self._on_review is not None
        )

    def open_row(self, row: int) -> None:
        if self._on_open is not None and 0 <= row < self.model.rowCount():
            self._on_open(*self.model.target(row))

    def open_selected(self) -> None:
        rows = self.view.selectionModel().selectedRows()
        if rows:
            self.open_row(rows[0].row())

    def review_selected(self) -> None:
        item = self.selected_item()
        if item is not None and item.use_id is not None and self._on_review is not None:
            self._on_review(item.use_id)

    def history_selected(self) -> None:
        item = self.selected_item()
        if item is not None and self._on_history is not None:
            self._on_history(item.entity, item.entity_id)
