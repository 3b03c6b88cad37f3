"""The dashboard's building blocks: the clickable number tile and the card with a short list."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import (
    QPointF,
    QRectF,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontMetrics,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPen,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QSizePolicy,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from riskdesk.ui.models.table_model import AnyIndex, ListTableModel, ObjectRole

CARD_STYLE = (
    "QFrame#card { background: palette(base); border: 1px solid #d5dae1; border-radius: 8px; }"
)


class ClickableTile(QWidget):
    """A painted dashboard tile: focusable, clicked with the mouse or Enter/Space, with
    a focus ring drawn by ``paint_focus`` (subclasses paint the rest)."""

    clicked = Signal()

    def __init__(self, name: str, accessible_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.setAccessibleName(accessible_name)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def paint_focus(self, painter: QPainter, rect: QRectF) -> None:
        if self.hasFocus():
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.setPen(QPen(self.palette().highlight().color(), 2))
            painter.drawRoundedRect(rect.adjusted(1, 1, -1, -1), 7, 7)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton and self.rect().contains(
            event.position().toPoint()
        ):
            self.clicked.emit()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space):
            self.clicked.emit()
        else:
            super().keyPressEvent(event)


class Tile(ClickableTile):
    """A big number with a caption; clickable with the mouse or Enter/Space."""

    def __init__(
        self, key: str, caption: str, fill: str, accent: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(f"tile_{key}", caption, parent)
        self.caption, self.fill, self.accent = caption, fill, accent
        self.value = 0
        self.note = ""

    def sizeHint(self) -> QSize:
        return QSize(132, 86)

    def minimumSizeHint(self) -> QSize:
        # wide enough for the caption in full: a cut-off "Reviews overd" reads badly
        font = QFont(self.font())
        font.setPixelSize(13)
        font.setBold(True)
        return QSize(max(96, QFontMetrics(font).horizontalAdvance(self.caption) + 30), 86)

    def set_value(self, value: int, note: str = "") -> None:
        self.value, self.note = value, note
        self.setAccessibleDescription(f"{value} {note}".strip())
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        rect = QRectF(self.rect()).adjusted(1, 1, -1, -1)
        accent = QColor(self.accent)
        edge = QColor(accent)
        edge.setAlpha(110)
        painter.setPen(QPen(edge, 1))
        painter.setBrush(QColor(self.fill))
        painter.drawRoundedRect(rect, 8, 8)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(accent)
        painter.drawRoundedRect(QRectF(rect.left(), rect.top(), 6, rect.height()), 3, 3)
        big = QFont(self.font())
        big.setPixelSize(30)
        big.setBold(True)
        # "37,046" must fit a tile sized for its caption: shrink rather than clip
        while big.pixelSize() > 14 and (
            QFontMetrics(big).horizontalAdvance(f"{self.value:,}") > rect.width() - 26
        ):
            big.setPixelSize(big.pixelSize() - 1)
        painter.setFont(big)
        painter.setPen(accent)
        painter.drawText(
            rect.adjusted(16, 6, -8, -30),
            int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
            f"{self.value:,}",
        )
        caption = QFont(self.font())
        caption.setPixelSize(13)
        caption.setBold(True)
        painter.setFont(caption)
        painter.setPen(QColor("#1f2933"))
        painter.drawText(
            rect.adjusted(16, 0, -8, -12),
            int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignBottom),
            self.caption,
        )
        if self.note:
            # beside the number, sharing its baseline, and only if it fits whole
            number_width = QFontMetrics(big).horizontalAdvance(f"{self.value:,}")
            number_box = rect.adjusted(16, 6, -8, -30)
            baseline = number_box.center().y() + QFontMetrics(big).ascent() / 2 - 4
            note = QFont(self.font())
            note.setPixelSize(12)
            x = number_box.left() + number_width + 8
            if x + QFontMetrics(note).horizontalAdvance(self.note) < rect.right() - 6:
                painter.setFont(note)
                painter.setPen(QColor("#52606d"))
                painter.drawText(QPointF(x, baseline), self.note)
        self.paint_focus(painter, rect)
        painter.end()


@dataclass(frozen=True)
class Row:
    key: int
    cells: Sequence[str]
    colours: dict[int, str] = field(default_factory=dict)  # column -> background
    tooltip: str = ""


class RowsModel(ListTableModel):
    """A short read-only list (at most a screenful) for a dashboard card."""

    def __init__(
        self, headers: Sequence[str], right_aligned: Sequence[int] = (), parent: Any = None
    ) -> None:
        super().__init__(parent, headers)
        self.right = set(right_aligned)
        self.rows: list[Row] = []

    def data(self, index: AnyIndex, role: int = 0) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        row = self.rows[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return row.cells[col]
        if role == Qt.ItemDataRole.ToolTipRole:
            return row.tooltip or row.cells[col]
        if role == Qt.ItemDataRole.BackgroundRole and col in row.colours:
            return QBrush(QColor(row.colours[col]))
        if role == Qt.ItemDataRole.ForegroundRole and col in row.colours:
            return QBrush(QColor("#1a1a1a"))
        if role == Qt.ItemDataRole.TextAlignmentRole:
            horizontal = (
                Qt.AlignmentFlag.AlignRight if col in self.right else Qt.AlignmentFlag.AlignLeft
            )
            return int(horizontal | Qt.AlignmentFlag.AlignVCenter)
        if role == ObjectRole:
            return row.key
        return None

    def key_at(self, row: int) -> int:
        return self.rows[row].key


def card_frame(title: str, parent: QWidget) -> tuple[QFrame, QVBoxLayout, QLabel]:
    card = QFrame(parent)
    card.setObjectName("card")
    card.setStyleSheet(CARD_STYLE)
    layout = QVBoxLayout(card)
    layout.setContentsMargins(14, 10, 14, 12)
    layout.setSpacing(6)
    head = QHBoxLayout()
    label = QLabel(title, card)
    font = label.font()
    font.setPointSizeF(font.pointSizeF() * 1.15)
    font.setBold(True)
    label.setFont(font)
    head.addWidget(label)
    head.addStretch(1)
    note = QLabel(card)
    note.setStyleSheet("color: #52606d;")
    note.setToolTip("Click the tile above to list them all")
    head.addWidget(note)
    layout.addLayout(head)
    return card, layout, note


class ListCard(QFrame):
    """A titled card with a short clickable list and a friendly empty state."""

    def __init__(
        self,
        key: str,
        title: str,
        headers: Sequence[str],
        empty_text: str,
        on_open: Callable[[int], None] | None,
        stretch: int = 0,
        right_aligned: Sequence[int] = (),
        parent: QWidget | None = None,
        max_section: int = 230,
    ) -> None:
        super().__init__(parent)
        card, layout, self.note = card_frame(title, self)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(card)
        self.setObjectName(f"card_{key}")
        self._on_open = on_open
        self.model = RowsModel(headers, right_aligned, self)
        self.view = QTableView(card)
        self.view.setObjectName(f"{key}View")
        self.view.setAccessibleName(title)
        self.view.setModel(self.model)
        self.view.setShowGrid(False)
        self.view.setFrameShape(QFrame.Shape.NoFrame)
        self.view.verticalHeader().hide()
        self.view.verticalHeader().setDefaultSectionSize(26)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.view.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self.view.setWordWrap(False)
        self.view.setTextElideMode(Qt.TextElideMode.ElideRight)
        header = self.view.horizontalHeader()
        header.setHighlightSections(False)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        for col in range(len(headers)):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
        header.setMaximumSectionSize(max_section)  # long names elide, not crowd the rest
        if on_open is not None:
            self.view.setCursor(Qt.CursorShape.PointingHandCursor)
            self.view.clicked.connect(lambda index: self.open_row(index.row()))
            self.view.activated.connect(lambda index: self.open_row(index.row()))
        layout.addWidget(self.view)
        self.empty_text = empty_text
        self.empty = QLabel(empty_text, card)
        self.empty.setObjectName("emptyText")
        self.empty.setWordWrap(True)
        self.empty.setStyleSheet("color: #3d7a3d; padding: 6px 0;")
        layout.addWidget(self.empty)
        layout.addStretch(1)

    def set_rows(
        self,
        rows: Sequence[Row],
        note: str = "",
        visible_rows: int = 8,
        empty_text: str | None = None,
    ) -> None:
        self.model.set_rows(rows)
        if empty_text is not None:
            self.empty.setText(empty_text)
        self.note.setText(note)
        self.empty.setVisible(not rows)
        self.view.setVisible(bool(rows))
        shown = min(len(rows), visible_rows)
        height = self.view.horizontalHeader().sizeHint().height() + shown * 26 + 4
        self.view.setFixedHeight(height)

    def open_row(self, row: int) -> None:
        if self._on_open is not None and 0 <= row < self.model.rowCount():
            self._on_open(self.model.key_at(row))
