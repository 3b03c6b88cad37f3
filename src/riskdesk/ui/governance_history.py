"""A record's history (who, when, what changed) and a use's exposure trend.

Both read what the register already keeps: the audit trail's before/after states give
field-level diffs, and the review snapshots give the exposure at each review, drawn on
a time axis so an uneven review rhythm shows as uneven.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import Any

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QSizePolicy,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from riskdesk import enums
from riskdesk.scoring import tier_range
from riskdesk.scoring.config import DEFAULT_CONFIG, ScoringConfig
from riskdesk.service.integrity import HistoryEntry, record_history, record_label
from riskdesk.service.register import RegisterService, entity_label
from riskdesk.ui.table_model import TIER_COLOURS, AnyIndex, ListTableModel

PERSON_FIELDS = {
    "owner_first_id",
    "owner_second_id",
    "owner_third_id",
    "owner_id",
    "accepted_by_id",
    "raised_by_id",
    "answered_by_id",
    "reviewer_id",
}
ENUM_OF_FIELD: dict[str, type[enums.LabelledEnum]] = {
    "stage": enums.Stage,
    "sourcing": enums.Sourcing,
    "decision_role": enums.DecisionRole,
    "autonomy": enums.Autonomy,
    "human_oversight": enums.HumanOversight,
    "data_sensitivity": enums.DataSensitivity,
    "harm_severity": enums.HarmSeverity,
    "reversibility": enums.Reversibility,
    "eu_ai_act_class": enums.EUAIActClass,
    "tier": enums.Tier,
    "treatment": enums.Treatment,
    "default_line": enums.Line,
    "kind": enums.IncidentKind,
    "severity": enums.Severity,
    "control_type": enums.ControlType,
}
ACTION_WORDS = {"create": "Created", "update": "Changed", "delete": "Deleted"}
# Bookkeeping the reader does not need (the event itself says when it happened).
HIDDEN_FIELDS = {"id", "created_at", "updated_at"}
MAX_SHOWN = 90


# Field names whose words need more than "_" → " " (as the editors label them).
FIELD_WORDS = {
    "needs_rereview": "Needs re-review",
    "childrens_data": "Children's data",
    "eu_ai_act_class": "EU AI Act class",
    "eu_ai_act_basis": "EU AI Act basis",
    "owner_first_id": "1st-line owner",
    "owner_second_id": "2nd-line reviewer",
    "owner_third_id": "3rd-line assurance",
    "dev_prod_separated": "Dev/prod separated",
    "go_live": "Go-live date",
    "taxonomy_refs": "References",
    "accepted_by_id": "Accepted by",
    "public_facing": "Used by the public directly",
    "generative": "Generates text, images or code",
    "permissions_reviewed": "Agent permissions reviewed",
    "agent_permissions": "Agent tools and permissions",
}


def field_words(name: str) -> str:
    if name in FIELD_WORDS:
        return FIELD_WORDS[name]
    words = name.removesuffix("_id").replace("_", " ")
    return words[:1].upper() + words[1:]


class ValueNames:
    """Shows ids as the names they stand for, enum values as their labels."""

    def __init__(self, service: RegisterService) -> None:
        self.people = {p["id"]: p["name"] for p in service.rows("person")}
        self.vendors = {v["id"]: v["name"] for v in service.rows("vendor")}

    def show(self, field: str, value: Any) -> str:
        if value is None or value == "":
            return "—"
        if field in PERSON_FIELDS and isinstance(value, int):
            return self.people.get(value, f"person {value}")
        if field == "vendor_id" and isinstance(value, int):
            return self.vendors.get(value, f"vendor {value}")
        enum = ENUM_OF_FIELD.get(field)
        if enum is not None and field != "status":
            try:
                return enum(value).label
            except ValueError:
                pass
        if isinstance(value, bool):
            return "Yes" if value else "No"
        if isinstance(value, dict | list):
            return json.dumps(value, ensure_ascii=False)
        return " / ".join(str(value).splitlines())  # one line per cell


@dataclass(frozen=True)
class HistoryRow:
    event_id: int
    when: str
    who: str
    action: str
    field: str
    before: str
    after: str


def history_rows(entries: Sequence[HistoryEntry], names: ValueNames) -> list[HistoryRow]:
    """One row per changed field, newest event first."""
    rows: list[HistoryRow] = []
    for entry in reversed(entries):
        when = entry.at.strftime("%Y-%m-%d %H:%M") + " UTC"
        action = ACTION_WORDS.get(entry.action, entry.action)
        changes = [c for c in entry.changes if c.field not in HIDDEN_FIELDS]
        if not changes:
            rows.append(HistoryRow(entry.event_id, when, entry.actor, action, "", "", ""))
        for n, change in enumerate(changes):
            # who/when/what once per event, so the events read as groups
            first = n == 0
            rows.append(
                HistoryRow(
                    entry.event_id,
                    when if first else "",
                    entry.actor if first else "",
                    action if first else "",
                    field_words(change.field),
                    names.show(change.field, change.before) if entry.action != "create" else "",
                    names.show(change.field, change.after) if entry.action != "delete" else "",
                )
            )
    return rows


class HistoryModel(ListTableModel):
    HEADERS = ("When", "Who", "What", "Field", "Before", "After")

    rows: list[HistoryRow]

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        values = (row.when, row.who, row.action, row.field, row.before, row.after)
        text = values[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return text if len(text) <= MAX_SHOWN else text[: MAX_SHOWN - 1] + "…"
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{text}\n(audit event {row.event_id})" if text else None
        return None


class HistoryView(QWidget):
    """The history table for one record; ``reload`` after an edit."""

    def __init__(
        self, service: RegisterService, entity: str, key: Any, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.service, self.entity, self.key = service, entity, key
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.summary = QLabel(self)
        self.summary.setObjectName("historySummary")
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        self.model = HistoryModel(self)
        self.view = QTableView(self)
        self.view.setObjectName("historyTable")
        self.view.setAccessibleName("Change history")
        self.view.setModel(self.model)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setAlternatingRowColors(True)
        self.view.verticalHeader().hide()
        self.view.setWordWrap(False)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(5, QHeaderView.ResizeMode.Stretch)
        layout.addWidget(self.view, 1)
        self.reload()

    def reload(self) -> None:
        entries = record_history(self.service, self.entity, self.key)
        self.model.set_rows(history_rows(entries, ValueNames(self.service)))
        if not entries:
            self.summary.setText("No audit events for this record.")
            return
        people = sorted({e.actor for e in entries})
        self.summary.setText(
            f"{len(entries)} change{'s' if len(entries) != 1 else ''} by "
            f"{', '.join(people)} since {entries[0].at:%Y-%m-%d}. Every change is hash-chained "
            "in the audit trail; <i>riskdesk check</i> confirms none was made behind "
            "the application's back."
        )


class RecordHistoryDialog(QDialog):
    def __init__(
        self, service: RegisterService, entity: str, key: Any, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("recordHistoryDialog")
        try:
            record: dict[str, Any] | None = service.get(entity, key)
        except Exception:  # deleted records still have a history
            record = None
        label = record_label(entity, str(key), record).split(" ", 1)[-1]
        self.setWindowTitle(f"History — {entity_label(entity)} {label}")
        layout = QVBoxLayout(self)
        self.history = HistoryView(service, entity, key, self)
        layout.addWidget(self.history, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(900, 480)


# --- trend chart -------------------------------------------------------------------------


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
        for tier in enums.Tier:
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
    points = [
        TrendPoint(r["reviewed_on"], int(r["exposure"]), r["tier"], "review") for r in reviews
    ]
    today = dt.date.today()
    last_day = points[-1].day if points else None
    points.append(
        TrendPoint(max(today, last_day or today), int(use["exposure"]), use["tier"], "now")
    )
    return points
