"""The dashboard's register trend: six small charts, one per figure, a column per quarter.

Small multiples rather than one chart: open gaps may be in the hundreds while incidents
are two or three, and one shared scale would flatten the figures that matter most.
Positions (gaps, overdue, not assessed, High/Critical) are lines; incidents and near
misses, counted over the quarter, are bars. An unknown value is a break in the line
with a "?" — never a point at 0. Left/Right choose a quarter, whose figures become the
widget's accessible description; the tooltip gives every number.
"""

from __future__ import annotations

from itertools import pairwise

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetrics,
    QKeyEvent,
    QPainter,
    QPaintEvent,
    QPen,
    QPolygonF,
)
from PySide6.QtWidgets import QSizePolicy, QWidget

from riskdesk.service.trends import FLOWS, SERIES, SERIES_LABELS, RegisterTrend

PANEL_HEIGHT = 112
PANEL_MIN_WIDTH = 150
GAP = 10
COLOURS = {
    "gaps": "#34495e",
    "overdue": "#b85c00",
    "not_assessed": "#5b3e96",
    "high_critical": "#b3261e",
    "incidents": "#8e3b46",
    "near_misses": "#4a6fa5",
}


class RegisterTrendChart(QWidget):
    """The register's figures per quarter; keyboard-focusable, with a text alternative."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("registerTrend")
        self.setAccessibleName("Register trend by quarter")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        sizing = QSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        sizing.setHeightForWidth(True)
        self.setSizePolicy(sizing)
        self.trend: RegisterTrend | None = None
        self.selected = -1  # the quarter chosen with the keyboard (-1: none yet)

    # --- data --------------------------------------------------------------------------
    def set_trend(self, trend: RegisterTrend) -> None:
        self.trend = trend
        self.selected = len(trend.points) - 1
        self.setToolTip(trend.text())
        self._describe()
        self.update()

    def text_alternative(self) -> str:
        return self.trend.text() if self.trend is not None else "No figures yet."

    def _describe(self) -> None:
        if self.trend is None or not self.trend.points:
            self.setAccessibleDescription("No figures yet.")
            return
        point = self.trend.points[self.selected]
        self.setAccessibleDescription(
            point.describe() + " Left and Right arrows choose another quarter."
        )

    # --- geometry ----------------------------------------------------------------------
    def _columns(self, width: int) -> int:
        for columns in (len(SERIES), 3, 2):
            if width >= columns * PANEL_MIN_WIDTH + (columns - 1) * GAP:
                return columns
        return 1

    def _rows(self, width: int) -> int:
        return -(-len(SERIES) // self._columns(width))

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        rows = self._rows(width)
        return rows * PANEL_HEIGHT + (rows - 1) * GAP

    def sizeHint(self) -> QSize:
        return QSize(960, self.heightForWidth(960))

    def minimumSizeHint(self) -> QSize:
        return QSize(PANEL_MIN_WIDTH * 2 + GAP, PANEL_HEIGHT)

    def resizeEvent(self, event: object) -> None:
        if self.minimumHeight() != self.heightForWidth(self.width()):
            self.setMinimumHeight(self.heightForWidth(self.width()))  # rows after a wrap
        super().resizeEvent(event)  # type: ignore[arg-type]

    def panel_rect(self, index: int) -> QRectF:
        columns = self._columns(self.width())
        width = (self.width() - (columns - 1) * GAP) / columns
        row, col = divmod(index, columns)
        return QRectF(col * (width + GAP), row * (PANEL_HEIGHT + GAP), width, PANEL_HEIGHT)

    # --- keyboard ----------------------------------------------------------------------
    def keyPressEvent(self, event: QKeyEvent) -> None:
        count = len(self.trend.points) if self.trend is not None else 0
        moves = {
            Qt.Key.Key_Left: self.selected - 1,
            Qt.Key.Key_Right: self.selected + 1,
            Qt.Key.Key_Home: 0,
            Qt.Key.Key_End: count - 1,
        }
        key = Qt.Key(event.key())
        if count and key in moves:
            self.selected = max(0, min(count - 1, moves[key]))
            self._describe()
            self.update()
            return
        super().keyPressEvent(event)

    # --- painting ----------------------------------------------------------------------
    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        for index, key in enumerate(SERIES):
            self._paint_panel(painter, self.panel_rect(index), key)
        if self.hasFocus():
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.setPen(QPen(self.palette().highlight().color(), 2))
            painter.drawRoundedRect(QRectF(self.rect()).adjusted(1, 1, -1, -1), 6, 6)
        painter.end()

    def _paint_panel(self, painter: QPainter, rect: QRectF, key: str) -> None:
        painter.setPen(QPen(QColor("#d5dae1"), 1))
        painter.setBrush(QColor("#fafbfc"))
        painter.drawRoundedRect(rect.adjusted(0.5, 0.5, -0.5, -0.5), 6, 6)
        title = QFont(self.font())
        title.setPixelSize(12)
        title.setBold(True)
        small = QFont(self.font())
        small.setPixelSize(11)
        colour = QColor(COLOURS[key])
        points = self.trend.points if self.trend is not None else []
        values = [p.value(key) for p in points]
        latest = values[-1] if values else None
        painter.setFont(title)
        painter.setPen(QColor("#1f2933"))
        head = rect.adjusted(8, 4, -8, 0)
        painter.drawText(
            QRectF(head.left(), head.top(), head.width(), 18),
            int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
            SERIES_LABELS[key],
        )
        painter.setPen(colour)
        painter.drawText(
            QRectF(head.left(), head.top(), head.width(), 18),
            int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter),
            "?" if latest is None else f"{latest:,}",
        )
        if not points:
            return
        plot = QRectF(rect.left() + 8, rect.top() + 38, rect.width() - 16, rect.height() - 58)
        step = plot.width() / len(points)
        known = [v for v in values if v is not None]
        top = max([*known, 1])
        painter.setFont(small)
        metrics = QFontMetrics(small)
        if 0 <= self.selected < len(points) and self.hasFocus():
            band = QRectF(
                plot.left() + self.selected * step, rect.top() + 22, step, rect.height() - 24
            )
            chosen = QColor(self.palette().highlight().color())
            chosen.setAlpha(45)  # marks the quarter being read out, under its numbers
            painter.fillRect(band, chosen)
        painter.setPen(QPen(QColor("#c3cad3"), 1))
        painter.drawLine(QPointF(plot.left(), plot.bottom()), QPointF(plot.right(), plot.bottom()))

        def y(value: int) -> float:
            return plot.bottom() - plot.height() * value / top

        centres: list[QPointF | None] = []
        for i, (point, value) in enumerate(zip(points, values, strict=True)):
            x = plot.left() + step * (i + 0.5)
            label = point.label.split()[0]  # "Q3"; the card's note gives the years
            painter.setPen(QColor("#52606d"))
            painter.drawText(
                QRectF(x - step / 2, plot.bottom() + 2, step, 14),
                int(Qt.AlignmentFlag.AlignCenter),
                label,
            )
            if value is None:
                painter.setPen(QColor("#9aa5b1"))
                painter.drawText(
                    QRectF(x - step / 2, plot.bottom() - 16, step, 14),
                    int(Qt.AlignmentFlag.AlignCenter),
                    "?",
                )
                centres.append(None)
                continue
            at = QPointF(x, y(value))
            centres.append(at)
            if key in FLOWS:
                bar = min(18.0, step * 0.55)
                painter.fillRect(QRectF(x - bar / 2, at.y(), bar, plot.bottom() - at.y()), colour)
            text = f"{value:,}"
            if metrics.horizontalAdvance(text) <= step + 4:
                painter.setPen(QColor("#1f2933"))
                painter.drawText(
                    QRectF(x - step / 2, at.y() - 16, step, 14),
                    int(Qt.AlignmentFlag.AlignCenter),
                    text,
                )
        if key in FLOWS:
            return
        painter.setPen(QPen(colour, 2))
        for a, b in pairwise(centres):
            if a is not None and b is not None:  # an unknown breaks the line
                painter.drawLine(a, b)
        for point, centre in zip(points, centres, strict=True):
            if centre is None:
                continue
            painter.setPen(QPen(colour, 1.5))
            painter.setBrush(QColor("#ffffff") if point.source == "now" else colour)
            if point.source == "pack":  # what the board was shown: a diamond
                x, y0 = centre.x(), centre.y()
                painter.drawPolygon(
                    QPolygonF(
                        [
                            QPointF(x, y0 - 5),
                            QPointF(x + 5, y0),
                            QPointF(x, y0 + 5),
                            QPointF(x - 5, y0),
                        ]
                    )
                )
            else:
                painter.drawEllipse(centre, 3.5, 3.5)
