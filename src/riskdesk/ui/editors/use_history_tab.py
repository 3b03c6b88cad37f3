"""The use editor's History tab: the exposure trend, the reviews, every audited change."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from riskdesk.enums import Tier
from riskdesk.service import governance as gov
from riskdesk.service.register import RegisterService
from riskdesk.ui.dialogs.history import HistoryView
from riskdesk.ui.editors.evidence_tab import add_evidence_button
from riskdesk.ui.editors.use_review_dialog import RecordReviewDialog
from riskdesk.ui.models.table_model import TIER_COLOURS, AnyIndex, ListTableModel
from riskdesk.ui.undo import EditHistory
from riskdesk.ui.widgets.trend_chart import TrendChart, trend_points

NOTE_STYLE = "QLabel { background: #fff6d6; color: #5c4400; padding: 6px; border-radius: 4px; }"


class ReviewModel(ListTableModel):
    HEADERS = ("Reviewed", "Reviewer", "Tier", "Exposure", "Gaps", "Notes")

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.names: dict[int, str] = {}

    def set_rows(  # type: ignore[override]
        self, rows: list[dict[str, Any]], names: dict[int, str]
    ) -> None:
        self.names = names
        super().set_rows(list(reversed(rows)))  # newest first

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        col = index.column()
        snapshot = gov.read_snapshot(row["snapshot"]) or {}
        if role == Qt.ItemDataRole.BackgroundRole and col == 2:
            from PySide6.QtGui import QColor

            return QColor(TIER_COLOURS.get(row["tier"], "#eeeeee"))
        if role == Qt.ItemDataRole.ToolTipRole:
            if col == 4:
                return "\n".join(g["title"] for g in snapshot.get("gaps", [])) or "No gaps"
            if col == 5:
                return row["notes"] or None
            return gov.snapshot_summary(snapshot)
        if role == Qt.ItemDataRole.TextAlignmentRole and col in (3, 4):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        return (
            row["reviewed_on"].isoformat(),
            self.names.get(row["reviewer_id"], ""),
            Tier(row["tier"]).label,
            "" if row["exposure"] is None else str(row["exposure"]),
            str(len(snapshot.get("gaps", []))),
            row["notes"],
        )[col]


class UseHistoryPanel(QWidget):
    """Trend, reviews and every audited change to one use."""

    def __init__(
        self,
        service: RegisterService,
        history: EditHistory,
        use_id: int,
        parent: QWidget | None = None,
        on_reviewed: Callable[[], None] | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("useHistoryPanel")
        self.service, self.history, self.use_id = service, history, use_id
        self._on_reviewed = on_reviewed
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        self.trend_label = QLabel("<b>Exposure at each review, and now</b>", self)
        top.addWidget(self.trend_label, 1)
        self.review_button = QPushButton("Record &review…", self)
        self.review_button.setObjectName("recordReview")
        self.review_button.clicked.connect(lambda: self.record_review())
        top.addWidget(self.review_button)
        layout.addLayout(top)
        self.rereview = QLabel(self)
        self.rereview.setObjectName("rereviewNote")
        self.rereview.setWordWrap(True)
        self.rereview.setStyleSheet(NOTE_STYLE)
        layout.addWidget(self.rereview)
        self.chart = TrendChart(self)
        layout.addWidget(self.chart)
        split = QSplitter(Qt.Orientation.Vertical, self)
        self.reviews_model = ReviewModel(self)
        self.reviews = QTableView(split)
        self.reviews.setObjectName("reviewsTable")
        self.reviews.setAccessibleName("Reviews")
        self.reviews.setModel(self.reviews_model)
        self.reviews.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.reviews.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.reviews.verticalHeader().hide()
        header = self.reviews.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(5, QHeaderView.ResizeMode.Stretch)
        self.changes = HistoryView(service, "ai_use", use_id, split)
        split.addWidget(self.reviews)
        split.addWidget(self.changes)
        layout.addWidget(split, 1)
        add_evidence_button(
            top, self, service, history, "review", self.reviews, "Review e&vidence…"
        )
        self.reload()

    def reload(self) -> None:
        use = self.service.get("ai_use", self.use_id)
        reviews = gov.reviews_of(self.service, self.use_id)
        names = {p["id"]: p["name"] for p in self.service.rows("person")}
        self.reviews_model.set_rows(reviews, names)
        self.chart.set_points(
            trend_points(self.service, use, reviews), self.service.scoring_config()
        )
        self.changes.reload()
        if use["needs_rereview"]:
            self.rereview.setText(
                "An incident was logged on this use since its last review: review it again."
            )
            self.rereview.show()
        else:
            self.rereview.hide()

    def record_review(self, dialog: RecordReviewDialog | None = None) -> bool:
        dialog = dialog or RecordReviewDialog(self.service, self.history, self.use_id, self)
        if not dialog.exec():
            return False
        self.reload()
        if self._on_reviewed is not None:
            self._on_reviewed()
        return True
