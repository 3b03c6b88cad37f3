"""The 5×5 risk heatmap: likelihood × impact, counts in cells, coloured by band.

Painted with QPainter (no QtCharts: it is not in PySide6-Essentials and a grid of 25
rectangles needs no chart engine). Clicking a cell, or pressing Enter on it, emits
``cell_activated(likelihood, impact)``; the panel turns that into a filter on the risk
list using the same SQL clause that produced the count (``service.dashboard.cell_filter``).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QPoint, QRect, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
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
    QButtonGroup,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from riskdesk.enums import Band
from riskdesk.scoring.bands import band
from riskdesk.service.dashboard import (
    HEAT_MODES,
    MODE_LABELS,
    HeatCounts,
    cell_filter,
    cell_title,
)
from riskdesk.service.queries import Filter

SIZE = 5
MAX_CELL = 96.0  # px; beyond this a cell is all padding
# Band fills: the table colours, a shade stronger so counts read on a projector.
BAND_FILL: dict[Band, str] = {
    Band.LOW: "#cdeccd",
    Band.MEDIUM: "#ffeb99",
    Band.HIGH: "#ffc285",
    Band.CRITICAL: "#f28b82",
}
BAND_EDGE: dict[Band, str] = {
    Band.LOW: "#5b9b5b",
    Band.MEDIUM: "#b59a1c",
    Band.HIGH: "#c7741f",
    Band.CRITICAL: "#b3261e",
}
LIKELIHOOD_WORDS = ("Rare", "Unlikely", "Possible", "Likely", "Almost certain")
IMPACT_WORDS = ("Minimal", "Minor", "Moderate", "Major", "Severe")

FilterRisks = Callable[[str, Filter], None]


def _fitted(font: QFont, text: str, width: float) -> QFont:
    """``font`` shrunk until ``text`` fits ``width`` (a 5-digit count in a small cell)."""
    fitted = QFont(font)
    while fitted.pixelSize() > 9 and QFontMetrics(fitted).horizontalAdvance(text) > width:
        fitted.setPixelSize(fitted.pixelSize() - 1)
    return fitted


class HeatmapWidget(QWidget):
    """The grid. Likelihood runs up the side (5 at the top), impact along the bottom."""

    cell_activated = Signal(int, int)  # likelihood, impact

    AXIS = 22  # room for the rotated "Likelihood" title
    BOTTOM = 60  # room for the two-line impact labels and the axis title
    TOP = 4
    RIGHT = 4

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("heatmap")
        self.counts: HeatCounts = {}
        self.current: tuple[int, int] = (3, 3)
        self._hover: tuple[int, int] | None = None
        self.setMouseTracking(True)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setMinimumSize(self.minimumSizeHint())
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setAccessibleName("Risk heatmap")
        self.setAccessibleDescription(
            "Likelihood by impact. Arrow keys move between cells; Enter lists the risks."
        )

    def left_margin(self) -> int:
        # the likelihood labels in full ("5 Almost certain") plus the axis title
        widest = max(
            self.fontMetrics().horizontalAdvance(f"{n} {w}")
            for n, w in enumerate(LIKELIHOOD_WORDS, 1)
        )
        return self.AXIS + widest + 10

    def sizeHint(self) -> QSize:
        return QSize(
            self.left_margin() + SIZE * 64 + self.RIGHT, self.TOP + SIZE * 52 + self.BOTTOM
        )

    def minimumSizeHint(self) -> QSize:
        return QSize(
            self.left_margin() + SIZE * 40 + self.RIGHT, self.TOP + SIZE * 34 + self.BOTTOM
        )

    def set_counts(self, counts: HeatCounts) -> None:
        self.counts = dict(counts)
        self.update()

    def count(self, likelihood: int, impact: int) -> int:
        return self.counts.get((likelihood, impact), 0)

    # --- geometry --------------------------------------------------------------------
    def _cell_size(self) -> tuple[float, float]:
        # square cells: a stretched grid reads as if one axis mattered more
        width = (self.width() - self.left_margin() - self.RIGHT) / SIZE
        height = (self.height() - self.TOP - self.BOTTOM) / SIZE
        side = max(min(width, height, MAX_CELL), 1.0)
        return side, side

    def cell_rect(self, likelihood: int, impact: int) -> QRect:
        """The cell's rectangle in widget coordinates (tests click its centre)."""
        w, h = self._cell_size()
        x = self.left_margin() + (impact - 1) * w
        y = self.TOP + (SIZE - likelihood) * h
        return QRectF(x, y, w, h).toAlignedRect().adjusted(1, 1, -1, -1)

    def cell_at(self, pos: QPoint) -> tuple[int, int] | None:
        w, h = self._cell_size()
        col = int((pos.x() - self.left_margin()) // w)
        row = int((pos.y() - self.TOP) // h)
        if (
            0 <= col < SIZE
            and 0 <= row < SIZE
            and pos.x() >= self.left_margin()
            and pos.y() >= self.TOP
        ):
            return SIZE - row, col + 1
        return None

    # --- painting --------------------------------------------------------------------
    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        base = QFont(self.font())
        bold = QFont(base)
        bold.setBold(True)
        w, h = self._cell_size()
        bold.setPixelSize(max(12, int(min(w, h) * 0.36)))
        small = QFont(base)
        small.setPixelSize(max(9, int(min(w, h) * 0.17)))
        text = self.palette().windowText().color()
        muted = QColor(text)
        muted.setAlpha(150)

        for likelihood in range(1, SIZE + 1):
            for impact in range(1, SIZE + 1):
                rect = QRectF(self.cell_rect(likelihood, impact))
                cell_band = band(likelihood * impact)
                fill = QColor(BAND_FILL[cell_band])
                n = self.count(likelihood, impact)
                if n == 0:
                    fill = fill.lighter(112)
                if self._hover == (likelihood, impact) and n:
                    fill = fill.darker(108)
                painter.setPen(QPen(QColor(BAND_EDGE[cell_band]), 1))
                painter.setBrush(fill)
                painter.drawRoundedRect(rect, 4, 4)
                # The score in the corner lets a reader check the band at a glance.
                painter.setFont(small)
                painter.setPen(QColor("#5f5f5f"))
                painter.drawText(
                    rect.adjusted(4, 2, -4, -2),
                    int(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignRight),
                    str(likelihood * impact),
                )
                if n:
                    painter.setFont(_fitted(bold, f"{n:,}", rect.width() - 8))
                    painter.setPen(QColor("#1a1a1a"))
                    painter.drawText(rect, int(Qt.AlignmentFlag.AlignCenter), f"{n:,}")
        if self.hasFocus():
            rect = QRectF(self.cell_rect(*self.current)).adjusted(-1, -1, 1, 1)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.setPen(QPen(self.palette().highlight().color(), 2.5))
            painter.drawRoundedRect(rect, 5, 5)

        painter.setFont(base)
        painter.setPen(text)
        for likelihood in range(1, SIZE + 1):
            cell = self.cell_rect(likelihood, 1)
            label = QRect(self.AXIS, cell.top(), self.left_margin() - self.AXIS - 8, cell.height())
            painter.drawText(
                label,
                int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter),
                f"{likelihood} {LIKELIHOOD_WORDS[likelihood - 1]}",
            )
        for impact in range(1, SIZE + 1):
            cell = self.cell_rect(1, impact)
            # number over word: "3 Moderate" on one line collides with its neighbours
            # once the cells are narrow
            label = QRect(cell.left() - 8, cell.bottom() + 3, cell.width() + 16, 34)
            painter.drawText(
                label,
                int(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop),
                f"{impact}\n{IMPACT_WORDS[impact - 1]}",
            )
        painter.setPen(muted)
        grid_bottom = self.cell_rect(1, 1).bottom()
        grid_left = self.cell_rect(1, 1).left()
        grid_right = self.cell_rect(1, SIZE).right()
        painter.drawText(
            QRect(grid_left, grid_bottom + 38, grid_right - grid_left, 18),
            int(Qt.AlignmentFlag.AlignHCenter),
            "Impact →",
        )
        painter.save()
        top = self.cell_rect(SIZE, 1).top()
        painter.translate(4, grid_bottom)
        painter.rotate(-90)
        painter.drawText(
            QRect(0, 0, grid_bottom - top, 16), int(Qt.AlignmentFlag.AlignHCenter), "Likelihood →"
        )
        painter.restore()
        painter.end()

    # --- interaction -----------------------------------------------------------------
    def click_cell(self, likelihood: int, impact: int) -> None:
        """Activate a cell as a click would (tests and keyboard use this)."""
        self.current = (likelihood, impact)
        self.update()
        self.cell_activated.emit(likelihood, impact)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        cell = self.cell_at(event.position().toPoint())
        if cell != self._hover:
            self._hover = cell
            self.setCursor(
                Qt.CursorShape.PointingHandCursor
                if cell and self.count(*cell)
                else Qt.CursorShape.ArrowCursor
            )
            if cell:
                n = self.count(*cell)
                self.setToolTip(
                    f"{n} risk{'s' if n != 1 else ''}: likelihood {cell[0]} × impact {cell[1]}"
                    f" = {cell[0] * cell[1]} ({band(cell[0] * cell[1]).label}). Click to list."
                )
            self.update()
        super().mouseMoveEvent(event)

    def leaveEvent(self, event: object) -> None:
        self._hover = None
        self.update()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        cell = self.cell_at(event.position().toPoint())
        if cell is not None and event.button() == Qt.MouseButton.LeftButton:
            self.click_cell(*cell)
        super().mouseReleaseEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        likelihood, impact = self.current
        key = event.key()
        moves = {
            Qt.Key.Key_Up: (1, 0),
            Qt.Key.Key_Down: (-1, 0),
            Qt.Key.Key_Right: (0, 1),
            Qt.Key.Key_Left: (0, -1),
        }
        if key in moves:
            dl, di = moves[Qt.Key(key)]
            self.current = (
                min(SIZE, max(1, likelihood + dl)),
                min(SIZE, max(1, impact + di)),
            )
            self.update()
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space):
            self.click_cell(*self.current)
        else:
            super().keyPressEvent(event)


class HeatmapPanel(QWidget):
    """The grid plus its inherent / residual / target switch and a band legend."""

    def __init__(self, filter_risks: FilterRisks | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("heatmapPanel")
        self._filter_risks = filter_risks
        self._all: dict[str, HeatCounts] = {}
        self.mode = "residual"
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        switch = QHBoxLayout()
        switch.setSpacing(0)
        self.mode_buttons: dict[str, QPushButton] = {}
        self._group = QButtonGroup(self)
        for mode in HEAT_MODES:
            button = QPushButton(MODE_LABELS[mode], self)
            button.setObjectName(f"heatmode_{mode}")
            button.setCheckable(True)
            button.setToolTip(
                {
                    "inherent": "Before any controls",
                    "residual": "After the controls in place today",
                    "target": "Where the treatment plan aims to bring it (risks with a target)",
                }[mode]
            )
            self._group.addButton(button)
            self.mode_buttons[mode] = button
            switch.addWidget(button)
            button.clicked.connect(lambda _c=False, m=mode: self.set_mode(m))
        switch.addStretch(1)
        self.total = QLabel(self)
        self.total.setObjectName("heatmapTotal")
        switch.addWidget(self.total)
        layout.addLayout(switch)
        self.grid = HeatmapWidget(self)
        self.grid.cell_activated.connect(self._activated)
        layout.addWidget(self.grid, 1)
        legend = QLabel(self)
        legend.setObjectName("heatmapLegend")
        legend.setTextFormat(Qt.TextFormat.RichText)
        legend.setWordWrap(True)
        legend.setText(
            " &nbsp; ".join(
                f'<span style="background:{BAND_FILL[b]}; border:1px solid {BAND_EDGE[b]};">'
                f"&nbsp;&nbsp;&nbsp;&nbsp;</span> {b.label} {rng}"
                for b, rng in zip(Band, ("1–4", "5–9", "10–16", "20–25"), strict=True)
            )
        )
        layout.addWidget(legend)
        hint = QLabel("Click a cell to list its risks.", self)
        hint.setStyleSheet("color: #52606d;")
        layout.addWidget(hint)
        self.mode_buttons[self.mode].setChecked(True)

    def set_all_counts(self, counts: dict[str, HeatCounts]) -> None:
        self._all = dict(counts)
        self._show()

    def set_mode(self, mode: str) -> None:
        if mode not in HEAT_MODES:
            raise ValueError(f"heatmap mode must be one of {HEAT_MODES}, not {mode!r}")
        self.mode = mode
        self.mode_buttons[mode].setChecked(True)
        self._show()

    def _show(self) -> None:
        counts = self._all.get(self.mode, {})
        self.grid.set_counts(counts)
        n = sum(counts.values())
        self.total.setText(f"{n:,} open risk{'s' if n != 1 else ''}")

    def _activated(self, likelihood: int, impact: int) -> None:
        if self._filter_risks is not None:
            self._filter_risks(
                cell_title(self.mode, likelihood, impact),
                cell_filter(self.mode, likelihood, impact),
            )
