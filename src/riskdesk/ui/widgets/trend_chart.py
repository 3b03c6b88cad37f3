"""A use's exposure trend: its value at each review (and now) on a time axis over the tier bands.

Drawn from the review snapshots the register keeps, on a real time axis so an uneven
review rhythm shows as uneven.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import Any

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import (
    QSizePolicy,
    QWidget,
)

from riskdesk import enums
from riskdesk.scoring import tier_range
from riskdesk.scoring.config import DEFAULT_CONFIG, ScoringConfig
from riskdesk.service.register import RegisterService
from riskdesk.ui.models.table_model import TIER_COLOURS


@dataclass(frozen=True)
class TrendPoint:
    day: dt.date
    exposure: int
    tier: str
    label: str = ""  # "now" for the current value


class TrendChart(QWidget):
    """Exposure at each review (and now), on a time axis over the tier bands."""

    MARGIN_LEFT, MARGIN_RIGHT, MARGIN_TOP, MARGIN_BOTTOM = 34, 72, 14, 24
    INSET = 22  # keeps the first and last points (and their numbers) off the frame

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("trendChart")
        self.points: list[TrendPoint] = []
        self.config: ScoringConfig = DEFAULT_CONFIG
        self.setMinimumHeight(150)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def sizeHint(self) -> QSize:
        return QSize(520, 170)

    def set_points(self, points: Sequence[TrendPoint], config: ScoringConfig) -> None:
        self.points = sorted(points, key=lambda p: p.day)
        self.config = config
        self.setToolTip(
            "\n".join(
                f"{p.day.isoformat()}: exposure {p.exposure} ({enums.Tier(p.tier).label})"
                + (f" — {p.label}" if p.label else "")
                for p in self.points
            )
        )
        self.update()

    def _plot(self) -> QRectF:
        return QRectF(
            self.MARGIN_LEFT,
            self.MARGIN_TOP,
            max(10, self.width() - self.MARGIN_LEFT - self.MARGIN_RIGHT),
            max(10, self.height() - self.MARGIN_TOP - self.MARGIN_BOTTOM),
        )

    def _y(self, plot: QRectF, value: float) -> float:
        return plot.bottom() - plot.height() * max(0.0, min(100.0, value)) / 100.0

    def _x(self, plot: QRectF, day: dt.date) -> float:
        first, last = self.points[0].day, self.points[-1].day
        span = (last - first).days
        if span <= 0:
            return plot.center().x()
        width = plot.width() - 2 * self.INSET
        return plot.left() + self.INSET + width * (day - first).days / span

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        plot = self._plot()
        small = QFont(self.font())
        small.setPointSizeF(max(7.0, small.pointSizeF() * 0.85))
        painter.setFont(small)
        # Tier bands, so a rise that crosses into the next tier is visible as such.
        for tier in enums.SCORED_TIERS:
            low, high = tier_range(tier, self.config)
            band = QRectF(
                plot.left(),
                self._y(plot, high + 1 if high < 100 else 100),
                plot.width(),
                self._y(plot, low) - self._y(plot, high + 1 if high < 100 else 100),
            )
            colour = QColor(TIER_COLOURS[tier.value])
            colour.setAlpha(110)
            painter.fillRect(band, colour)
            painter.setPen(QColor("#5f6b7a"))
            painter.drawText(
                QRectF(0, self._y(plot, low) - 8, self.MARGIN_LEFT - 4, 16),
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                str(low),
            )
            painter.drawText(  # the tier names sit in the right margin, off the data
                QRectF(plot.right() + 6, band.top(), self.MARGIN_RIGHT - 8, band.height()),
                Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                tier.label,
            )
        painter.setPen(QPen(QColor("#9aa5b1"), 1))
        painter.drawRect(plot)
        if not self.points:
            painter.setPen(QColor("#34495e"))
            painter.drawText(
                plot,
                Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap,
                "No reviews recorded yet: record one to start the trend.",
            )
            painter.end()
            return
        coords = [QPointF(self._x(plot, p.day), self._y(plot, p.exposure)) for p in self.points]
        painter.setPen(QPen(QColor("#34495e"), 2))
        for a, b in pairwise(coords):
            painter.drawLine(a, b)
        last_label_right = -1e9
        for point, at in zip(self.points, coords, strict=True):
            now = point.label == "now"
            painter.setPen(QPen(QColor("#1f2d3d"), 1.5))
            painter.setBrush(QColor("#ffffff") if now else QColor("#34495e"))
            painter.drawEllipse(at, 4, 4)
            painter.setPen(QColor("#1f2d3d"))
            painter.drawText(
                QRectF(at.x() - 20, at.y() - 20, 40, 14),
                Qt.AlignmentFlag.AlignCenter,
                str(point.exposure),
            )
            text = "now" if now else point.day.strftime("%b %Y")
            width = painter.fontMetrics().horizontalAdvance(text) + 6
            left = min(max(at.x() - width / 2, 0), self.width() - width)
            if left > last_label_right:  # skip date labels that would overlap
                painter.setPen(QColor("#5f6b7a"))
                painter.drawText(
                    QRectF(left, plot.bottom() + 3, width, 16),
                    Qt.AlignmentFlag.AlignCenter,
                    text,
                )
                last_label_right = left + width
        painter.end()


def trend_points(
    service: RegisterService, use: dict[str, Any], reviews: Sequence[dict[str, Any]]
) -> list[TrendPoint]:
    """A point per review plus today's value, so a rise since the review shows."""
    # A use not assessed has no exposure to plot (its review or today): no point, not 0.
    points = [
        TrendPoint(r["reviewed_on"], int(r["exposure"]), r["tier"], "review")
        for r in reviews
        if r["exposure"] is not None
    ]
    today = dt.date.today()
    last_day = points[-1].day if points else None
    if use["exposure"] is not None:
        points.append(
            TrendPoint(max(today, last_day or today), int(use["exposure"]), use["tier"], "now")
        )
    return points
