"""Two small panels beside the Drift page, which the dashboard can embed too.

What falls due in the next 30 days, and incidents by kind (many near misses per
incident is what a register that is looking shows).

Embedding::

    from riskdesk.ui.pages.drift_panels import DueSoonPanel, IncidentKindsPanel
    due = DueSoonPanel(window.service, days=30, on_open=open_record)  # reload() or set_items()
    kinds = IncidentKindsPanel(window.service)                        # reload() or set_data()
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QRectF,
    QSize,
    Qt,
)
from PySide6.QtGui import QColor, QPainter, QPaintEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHeaderView,
    QLabel,
    QSizePolicy,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from riskdesk.enums import IncidentKind
from riskdesk.service import drift
from riskdesk.service import governance as gov
from riskdesk.service.register import RegisterService
from riskdesk.ui.models.table_model import AnyIndex, ListTableModel, ObjectRole
from riskdesk.ui.widgets.keyboard_table import KeyboardTableView

CARD_STYLE = (
    "QFrame#governanceCard { background: palette(base); border: 1px solid #d5dae1; "
    "border-radius: 8px; }"
)


INCIDENT_COLOURS = {
    IncidentKind.NEAR_MISS.value: "#9cc9e8",
    IncidentKind.INCIDENT.value: "#f4a6a6",
    IncidentKind.ROLLBACK.value: "#ffd1a3",
    IncidentKind.SHUTDOWN.value: "#c9a6f4",
    IncidentKind.NOT_STATED.value: "#d5dae1",  # grey: no kind claimed
}
# The pyramid from near misses up, then the events nobody gave a kind (not one of them).
BAR_KINDS = (
    *(k for k in IncidentKind if k is not IncidentKind.NOT_STATED),
    IncidentKind.NOT_STATED,
)
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


class ItemListModel(ListTableModel):
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


def list_table(model: QAbstractTableModel, parent: QWidget, name: str, stretch: int) -> QTableView:
    view = KeyboardTableView(parent)  # Tab into it: a row is highlighted
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
        self.model = ItemListModel(("Due", "What", "Who"), self)
        self.view = list_table(self.model, frame, "dueSoonTable", 1)
        self.view.setAccessibleName(f"Due in the next {days} days")
        self.view.activated.connect(lambda index: self.open_row(index.row()))
        layout.addWidget(self.view, 1)
        self.empty = QLabel(f"Nothing falls due in the next {days} days.", frame)
        self.empty.setObjectName("dueSoonEmpty")
        layout.addWidget(self.empty)
        layout.addStretch()  # with the table hidden, the heading and note stay on top
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
        for row, kind in enumerate(BAR_KINDS):
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
    # An event of no stated kind is neither: it is not counted as an incident.
    others = (IncidentKind.NEAR_MISS.value, IncidentKind.NOT_STATED.value)
    worse = sum(v for k, v in counts.items() if k not in others)
    if not any(counts.values()):
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
        self.reportable.setTextInteractionFlags(  # Tab reaches the link, Enter opens it
            Qt.TextInteractionFlag.LinksAccessibleByMouse
            | Qt.TextInteractionFlag.LinksAccessibleByKeyboard
        )
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
