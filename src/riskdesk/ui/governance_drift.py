"""The Drift page, and two small panels the dashboard can embed.

Drift lists where the register has slid since it was last looked at properly: scores
that rose since their review, reviews overdue, uses flagged by an incident, acceptances
expired, controls not tested in their period, owners who left. Beside it: what falls
due in the next 30 days, and incidents by kind (many near misses per incident is what a
register that is looking shows).

The figures take about half a second on a 10,000-use register, so the page gathers them
off the GUI thread and only while visible; an edit made while it is hidden marks it
stale.

Embedding in the dashboard::

    from riskdesk.ui.governance_drift import DueSoonPanel, IncidentKindsPanel
    due = DueSoonPanel(window.service, days=30, on_open=open_record)  # reload() or set_items()
    kinds = IncidentKindsPanel(window.service)                        # reload() or set_data()
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QRectF,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSizePolicy,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from riskdesk.enums import IncidentKind
from riskdesk.service import drift
from riskdesk.service import governance as gov
from riskdesk.service.register import RegisterService
from riskdesk.ui.jobs import Jobs
from riskdesk.ui.table_model import AnyIndex, ListTableModel, ObjectRole

CARD_STYLE = (
    "QFrame#governanceCard { background: palette(base); border: 1px solid #d5dae1; "
    "border-radius: 8px; }"
)
KIND_COLOURS = {
    drift.RISING: "#f4a6a6",
    drift.REVIEW_OVERDUE: "#ffd1a3",
    drift.REREVIEW: "#ffd1a3",
    drift.ACCEPTANCE_EXPIRED: "#fff2b3",
    drift.CONTROL_UNTESTED: "#fff2b3",
    drift.OWNER_LEFT: "#e3d7f4",
}
INCIDENT_COLOURS = {
    IncidentKind.NEAR_MISS.value: "#9cc9e8",
    IncidentKind.INCIDENT.value: "#f4a6a6",
    IncidentKind.ROLLBACK.value: "#ffd1a3",
    IncidentKind.SHUTDOWN.value: "#c9a6f4",
}
OpenRecord = Callable[[str, int], None]


def _card(title: str, parent: QWidget | None) -> tuple[QFrame, QVBoxLayout, QLabel]:
    frame = QFrame(parent)
    frame.setObjectName("governanceCard")
    frame.setStyleSheet(CARD_STYLE)
    layout = QVBoxLayout(frame)
    layout.setContentsMargins(12, 10, 12, 10)
    heading = QLabel(f"<b>{title}</b>", frame)
    layout.addWidget(heading)
    return frame, layout, heading


class _ListModel(ListTableModel):
    """Rows of (cells, tooltip, background, entity, id); read-only."""

    rows: list[tuple[tuple[str, ...], str, str, str, int]]

    def __init__(self, headers: Sequence[str], parent: Any = None) -> None:
        super().__init__(parent, headers)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        cells, tip, colour, entity, key = self.rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return cells[index.column()]
        if role == Qt.ItemDataRole.ToolTipRole:
            return tip or cells[index.column()]
        if role == Qt.ItemDataRole.BackgroundRole and colour and index.column() == 0:
            return QColor(colour)
        if role == ObjectRole:
            return (entity, key)
        return None

    def target(self, row: int) -> tuple[str, int]:
        _cells, _tip, _colour, entity, key = self.rows[row]
        return entity, key


def _table(model: QAbstractTableModel, parent: QWidget, name: str, stretch: int) -> QTableView:
    view = QTableView(parent)
    view.setObjectName(name)
    view.setModel(model)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setAlternatingRowColors(True)
    view.setWordWrap(False)
    view.verticalHeader().hide()
    view.verticalHeader().setDefaultSectionSize(24)
    header = view.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    return view


# --- due soon ------------------------------------------------------------------------------


class DueSoonPanel(QFrame):
    """Reviews, acceptance expiries and control tests falling due in the next N days."""

    def __init__(
        self,
        service: RegisterService,
        days: int = 30,
        on_open: OpenRecord | None = None,
        parent: QWidget | None = None,
        today: dt.date | None = None,
    ) -> None:
        super().__init__(parent)
        self.service, self.days, self.today = service, days, today
        self._on_open = on_open
        frame, layout, self.heading = _card(f"Due in the next {days} days", self)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(frame)
        self.setObjectName("dueSoonPanel")
        self.model = _ListModel(("Due", "What", "Who"), self)
        self.view = _table(self.model, frame, "dueSoonTable", 1)
        self.view.setAccessibleName(f"Due in the next {days} days")
        self.view.activated.connect(lambda index: self.open_row(index.row()))
        layout.addWidget(self.view, 1)
        self.empty = QLabel(f"Nothing falls due in the next {days} days.", frame)
        self.empty.setObjectName("dueSoonEmpty")
        layout.addWidget(self.empty)
        self.items: list[drift.DueItem] = []
        self.set_items([])

    def reload(self) -> None:
        """Read the register now (about 0.5 s at 10,000 uses; the Drift page uses a worker)."""
        self.set_items(drift.due_within(self.service, self.days, self.today))

    def set_items(self, items: Sequence[drift.DueItem]) -> None:
        self.items = list(items)
        self.model.set_rows(
            [
                (
                    (i.due.isoformat(), i.title, i.responsible),
                    f"{i.label}: {i.detail}",
                    "",
                    i.entity,
                    i.entity_id,
                )
                for i in self.items
            ]
        )
        self.heading.setText(
            f"<b>Due in the next {self.days} days</b> ({len(self.items)})"
            if self.items
            else f"<b>Due in the next {self.days} days</b>"
        )
        self.empty.setVisible(not self.items)
        self.view.setVisible(bool(self.items))

    def open_row(self, row: int) -> None:
        if self._on_open is not None and 0 <= row < self.model.rowCount():
            self._on_open(*self.model.target(row))


# --- incidents by kind -----------------------------------------------------------------------


class KindBars(QWidget):
    """Horizontal bars, one per incident kind, longest = most."""

    ROW = 22

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("incidentKindBars")
        self.counts: dict[str, int] = {k.value: 0 for k in IncidentKind}
        self.setMinimumHeight(self.ROW * len(IncidentKind) + 4)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def sizeHint(self) -> QSize:
        return QSize(260, self.ROW * len(IncidentKind) + 4)

    def set_counts(self, counts: dict[str, int]) -> None:
        self.counts = dict(counts)
        self.setToolTip("\n".join(f"{IncidentKind(k).label}: {v}" for k, v in self.counts.items()))
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        metrics = painter.fontMetrics()
        label_w = max(metrics.horizontalAdvance(k.label) for k in IncidentKind) + 10
        number_w = metrics.horizontalAdvance("0000") + 6
        top = max(self.counts.values(), default=0) or 1
        span = max(10, self.width() - label_w - number_w)
        for row, kind in enumerate(IncidentKind):
            y = row * self.ROW + 2
            count = self.counts.get(kind.value, 0)
            painter.setPen(QColor("#1f2d3d"))
            painter.drawText(
                QRectF(0, y, label_w - 6, self.ROW - 4),
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                kind.label,
            )
            width = span * count / top
            if count:
                painter.fillRect(
                    QRectF(label_w, y + 3, max(width, 2), self.ROW - 10),
                    QColor(INCIDENT_COLOURS[kind.value]),
                )
            painter.drawText(
                QRectF(label_w + width + 4, y, number_w, self.ROW - 4),
                Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                str(count),
            )
        painter.end()


def pyramid_note(counts: dict[str, int]) -> str:
    """Heinrich's pyramid, in one line: near misses are signal, not shame."""
    near = counts.get(IncidentKind.NEAR_MISS.value, 0)
    worse = sum(v for k, v in counts.items() if k != IncidentKind.NEAR_MISS.value)
    if near == 0 and worse == 0:
        return "Nothing logged yet. A register that shows no near misses is not looking."
    if near == 0:
        return "No near misses logged: most organisations see many per incident."
    if worse == 0:
        return f"{near} near miss{'es' if near != 1 else ''} and nothing worse: keep logging."
    return f"{near / worse:.1f} near misses per incident, rollback or shutdown."


class IncidentKindsPanel(QFrame):
    """Counts by kind, the near-miss ratio, and any possibly reportable incident."""

    def __init__(
        self,
        service: RegisterService,
        parent: QWidget | None = None,
        on_open: OpenRecord | None = None,
        today: dt.date | None = None,
    ) -> None:
        super().__init__(parent)
        self.service, self.today = service, today
        self._on_open = on_open
        frame, layout, self.heading = _card("Incidents by kind", self)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(frame)
        self.setObjectName("incidentKindsPanel")
        self.bars = KindBars(frame)
        layout.addWidget(self.bars)
        self.note = QLabel(frame)
        self.note.setObjectName("pyramidNote")
        self.note.setWordWrap(True)
        layout.addWidget(self.note)
        self.reportable = QLabel(frame)
        self.reportable.setObjectName("reportableNote")
        self.reportable.setWordWrap(True)
        self.reportable.setToolTip(gov.DEADLINE_NOTE)
        self.reportable.linkActivated.connect(self._link)
        layout.addWidget(self.reportable)
        self.counts: dict[str, int] = {}
        self.set_data({k.value: 0 for k in IncidentKind}, [])

    def reload(self) -> None:
        self.set_data(
            gov.incident_counts_by_kind(self.service),
            gov.reportable_incidents(self.service, self.today),
        )

    def set_data(
        self, counts: dict[str, int], reportable: Sequence[gov.ReportableIncident]
    ) -> None:
        self.counts = dict(counts)
        self.bars.set_counts(self.counts)
        total = sum(self.counts.values())
        self.heading.setText(f"<b>Incidents by kind</b> ({total})")
        self.note.setText(pyramid_note(self.counts))
        pending = [r for r in reportable if r.reported_on is None]
        if not reportable:
            self.reportable.setText("")
            self.reportable.hide()
            return
        lines = [
            f'<a href="incident:{r.incident_id}">{r.title}</a> — {r.status}'
            for r in (pending or reportable[:3])
        ]
        head = (
            f"<b>May be reportable (EU AI Act Art. 73): {len(pending)} not yet reported</b>"
            if pending
            else f"May be reportable (EU AI Act Art. 73): {len(reportable)}, all reported"
        )
        self.reportable.setText(head + "<br>" + "<br>".join(lines))
        self.reportable.show()

    def _link(self, href: str) -> None:
        entity, _, key = href.partition(":")
        if self._on_open is not None and key.isdigit():
            self._on_open(entity, int(key))


# --- the page ----------------------------------------------------------------------------------


@dataclass
class DriftData:
    items: list[drift.DriftItem] = field(default_factory=list)
    due: list[drift.DueItem] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    reportable: list[gov.ReportableIncident] = field(default_factory=list)


def drift_data(service: RegisterService, today: dt.date | None = None, days: int = 30) -> DriftData:
    return DriftData(
        drift.find_drift(service, today),
        drift.due_within(service, days, today),
        gov.incident_counts_by_kind(service),
        gov.reportable_incidents(service, today),
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
        self.model = _ListModel(("What", "Record", "Detail", "Since"), self)
        self.view = _table(self.model, left, "driftTable", 2)
        self.view.setAccessibleName("What changed")
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(1, 260)  # names can be long; the detail matters more
        self.view.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.view.activated.connect(lambda index: self.open_row(index.row()))
        self.view.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        left_layout.addWidget(self.view, 1)
        buttons = QHBoxLayout()
        self.open_button = QPushButton("&Open", left)
        self.open_button.setObjectName("driftOpen")
        self.open_button.clicked.connect(self.open_selected)
        self.review_button = QPushButton("Record &review…", left)
        self.review_button.setObjectName("driftRecordReview")
        self.review_button.clicked.connect(self.review_selected)
        self.history_button = QPushButton("&History…", left)
        self.history_button.setObjectName("driftHistory")
        self.history_button.clicked.connect(self.history_selected)
        for button in (self.open_button, self.review_button, self.history_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        left_layout.addLayout(buttons)
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
