"""The dashboard's newer cards: the first-run path, the register trend and the vendor
concentration tile (issues 14, 15 and 17). Their figures are gathered in the same worker
job as the rest of the dashboard (``gather_extras``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetrics,
    QPainter,
    QPaintEvent,
    QPen,
    QResizeEvent,
)
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from riskdesk.service.dashboard import DashboardData
from riskdesk.service.getting_started import (
    PackRecord,
    Step,
    first_run_path,
    next_not_assessed,
    pack_record,
)
from riskdesk.service.register import RegisterService
from riskdesk.service.trends import RegisterTrend, register_trend
from riskdesk.service.vendors import Concentration, concentration, concentration_headline
from riskdesk.ui.pages.dashboard_cards import ClickableTile, card_frame
from riskdesk.ui.widgets.register_trend import RegisterTrendChart

DONE_COLOUR = "#2e7d32"
TODO_COLOUR = "#52606d"


@dataclass(frozen=True)
class Extras:
    trend: RegisterTrend
    concentration: Concentration
    packs: PackRecord
    next_to_assess: int | None


def gather_extras(service: RegisterService, data: DashboardData) -> Extras:
    """The trend, concentration and first-run figures; the trend's "now" is ``data``'s."""
    now = {
        "gaps": data.gaps_total,
        "overdue": len(data.overdue),
        "high_critical": data.by_tier.get("high", 0) + data.by_tier.get("critical", 0),
        "not_assessed": data.by_tier.get("not_assessed", 0),
    }
    return Extras(
        register_trend(service, data.today, now=now),
        concentration(service),
        pack_record(service),
        next_not_assessed(service),
    )


# --- the concentration tile ---------------------------------------------------------------
class ConcentrationTile(ClickableTile):
    """The provider most people depend on, through intermediaries too; opens Vendors."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("tile_concentration", "Vendor concentration", parent)
        self.big, self.caption, self.detail = "–", "Vendor concentration", ""
        self.captions = [self.caption]  # longest first; the first that fits is drawn

    def sizeHint(self) -> QSize:
        return QSize(340, 86)

    def minimumSizeHint(self) -> QSize:
        return QSize(260, 86)

    def set_concentration(self, found: Concentration) -> None:
        if found.top_provider is None or not found.providers:
            self.big, self.caption = "–", "No use names a vendor yet"
            self.captions = [self.caption]
            self.detail = "Vendors page: who your uses depend on"
        else:
            top = found.providers[0]
            self.big = f"{found.top_share:.0%}" if found.top_share is not None else "?"
            known = " known to be" if found.people_unknown else ""  # a share of those known
            self.captions = [
                f"of people{known} affected depend on {top.name}",
                f"of people depend on {top.name}",
                f"depend on {top.name}",  # a narrow window: the detail line says the rest
            ]
            self.caption = self.captions[0]
            high = f"{top.high_or_critical:,} High/Critical"
            reach = (
                f"people {top.people_words()}" if top.people_unknown else f"{top.people:,} people"
            )
            self.detail = (
                f"{top.name} — {top.uses:,} use{'s' if top.uses != 1 else ''}, {high}, {reach}"
            )
        headline = concentration_headline(found)
        self.setAccessibleDescription(f"{headline} Press Enter to open the Vendors page.")
        self.setToolTip(f"{headline}\nClick to open the Vendors page.")
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        rect = QRectF(self.rect()).adjusted(1, 1, -1, -1)
        accent = QColor("#1d5d90")
        edge = QColor(accent)
        edge.setAlpha(110)
        painter.setPen(QPen(edge, 1))
        painter.setBrush(QColor("#eaf2f9"))
        painter.drawRoundedRect(rect, 8, 8)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(accent)
        painter.drawRoundedRect(QRectF(rect.left(), rect.top(), 6, rect.height()), 3, 3)
        big = QFont(self.font())
        big.setPixelSize(28)
        big.setBold(True)
        painter.setFont(big)
        painter.setPen(accent)
        big_width = QFontMetrics(big).horizontalAdvance(self.big)
        top = QRectF(rect.left() + 16, rect.top() + 6, rect.width() - 24, 40)
        painter.drawText(
            top, int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter), self.big
        )
        caption = QFont(self.font())
        caption.setPixelSize(13)
        caption.setBold(True)
        painter.setFont(caption)
        painter.setPen(QColor("#1f2933"))
        room = top.adjusted(big_width + 8, 0, 0, 0)
        fits = [
            c for c in self.captions if QFontMetrics(caption).horizontalAdvance(c) <= room.width()
        ]
        painter.drawText(
            room,
            int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
            fits[0]
            if fits
            else QFontMetrics(caption).elidedText(
                self.captions[-1], Qt.TextElideMode.ElideRight, int(room.width())
            ),
        )
        note = QFont(self.font())
        note.setPixelSize(12)
        painter.setFont(note)
        painter.setPen(QColor("#52606d"))
        bottom = QRectF(rect.left() + 16, rect.top() + 48, rect.width() - 24, 26)
        painter.drawText(
            bottom,
            int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
            QFontMetrics(note).elidedText(
                self.detail, Qt.TextElideMode.ElideRight, int(bottom.width())
            ),
        )
        self.paint_focus(painter, rect)
        painter.end()


# --- the trend card -----------------------------------------------------------------------
class TrendCard(QFrame):
    """The register trend chart in a card, with what its marks mean."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("card_trend")
        card, layout, self.note = card_frame("Direction by quarter", self)
        self.note.setToolTip("")
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(card)
        self.chart = RegisterTrendChart(card)
        layout.addWidget(self.chart)
        self.legend = QLabel(
            "Each quarter as it ended, or as the board pack issued in it showed it (◆); "
            "the current quarter is the register now (○). Incidents and near misses: "
            "logged in the quarter. ? = not known for that quarter (gaps and overdue "
            "reviews are known only from an issued pack).",
            card,
        )
        self.legend.setObjectName("trendLegend")
        self.legend.setWordWrap(True)
        self.legend.setStyleSheet("color: #52606d;")
        layout.addWidget(self.legend)

    def set_trend(self, trend: RegisterTrend) -> None:
        self.chart.set_trend(trend)
        first, last = trend.points[0], trend.points[-1]
        if first is last:  # nothing earlier is known: the register began this quarter
            self.note.setText(f"{last.label} · the register's first quarter")
        else:
            self.note.setText(f"{first.label} – {last.label}")


# --- the first-run path -------------------------------------------------------------------
@dataclass
class PathActions:
    """What the first-run buttons do; the window supplies them."""

    import_spreadsheet: Callable[[], object] | None = None
    new_use: Callable[[], object] | None = None
    edit_use: Callable[[int], object] | None = None
    show_page: Callable[[str], object] | None = None
    export_board_pack: Callable[[], object] | None = None
    # the use editor opened on a tab (object name): the questions, or the owners
    edit_use_on: Callable[[int, str], object] | None = None


class FirstRunCard(QFrame):
    """import or add → assess → name owners → board pack, each step done when it is."""

    def __init__(self, actions: PathActions, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("card_first_run")
        self.path_actions = actions
        self.next_to_assess: int | None = None
        self.first_without_owner: int | None = None
        card, layout, self.note = card_frame("Getting to your first board pack", self)
        self.note.setToolTip("")
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(card)
        self.grid = QGridLayout()
        self.grid.setHorizontalSpacing(14)
        self.grid.setVerticalSpacing(10)
        layout.addLayout(self.grid)
        self.titles: dict[str, QLabel] = {}
        self.statuses: dict[str, QLabel] = {}
        self.buttons: dict[str, QPushButton] = {}
        self.boxes: list[QWidget] = []
        self.steps: list[Step] = []
        buttons = {
            "add": [
                ("import", "&Import a spreadsheet…", self._import),
                ("new_use", "&New AI use…", self._new_use),
            ],
            "assess": [
                ("assess_next", "&Assess next", self._assess_next),
                ("uses_page", "AI &uses page", lambda: self._show("uses")),
            ],
            "owners": [
                ("owner_next", "Next &without owner", self._owner_next),
                ("people", "&People", lambda: self._show("people")),
            ],
            "pack": [("export_pack", "Export &board pack…", self._export)],
        }
        for key, row in buttons.items():
            box = QWidget(card)
            box.setObjectName(f"step_{key}_box")
            column = QVBoxLayout(box)
            column.setContentsMargins(0, 0, 0, 0)
            column.setSpacing(4)
            title = QLabel(box)
            title.setObjectName(f"step_{key}")
            title.setWordWrap(True)
            font = title.font()
            font.setBold(True)
            title.setFont(font)
            status = QLabel(box)
            status.setObjectName(f"step_{key}_status")
            status.setWordWrap(True)
            line = QHBoxLayout()
            line.setSpacing(6)
            for name, text, slot in row:
                button = QPushButton(text, box)
                button.setObjectName(f"firstRun_{name}")
                button.clicked.connect(slot)
                self.buttons[name] = button
                line.addWidget(button)
            line.addStretch(1)
            column.addWidget(title)
            column.addWidget(status)
            column.addLayout(line)
            column.addStretch(1)
            self.titles[key], self.statuses[key] = title, status
            self.boxes.append(box)
        self._columns = 0
        self._arrange(len(self.boxes))

    def _arrange(self, columns: int) -> None:
        """Steps side by side, or two by two when a narrow window cannot hold four."""
        if columns == self._columns:
            return
        self._columns = columns
        for box in self.boxes:
            self.grid.removeWidget(box)
        for index, box in enumerate(self.boxes):
            self.grid.addWidget(box, *divmod(index, columns))
        for column in range(len(self.boxes)):
            self.grid.setColumnStretch(column, 1 if column < columns else 0)

    def resizeEvent(self, event: QResizeEvent) -> None:
        needed = sum(box.minimumSizeHint().width() for box in self.boxes)
        needed += 14 * (len(self.boxes) - 1) + 40  # spacing and the card's margins
        self._arrange(len(self.boxes) if self.width() >= needed else 2)
        super().resizeEvent(event)

    def set_state(self, data: DashboardData, extras: Extras) -> None:
        self.steps = first_run_path(
            data.live_uses, data.by_tier.get("not_assessed", 0), len(data.no_owner), extras.packs
        )
        self.next_to_assess = extras.next_to_assess
        self.first_without_owner = data.no_owner[0].use_id if data.no_owner else None
        for number, step in enumerate(self.steps, start=1):
            mark = "✓" if step.done else f"{number}."
            self.titles[step.key].setText(f"{mark} {step.title}")
            self.titles[step.key].setStyleSheet(
                f"color: {DONE_COLOUR if step.done else '#1f2933'};"
            )
            self.titles[step.key].setAccessibleName(
                f"Step {number}{', done' if step.done else ''}: {step.title}"
            )
            self.statuses[step.key].setText(step.status)
            self.statuses[step.key].setStyleSheet(
                f"color: {DONE_COLOUR if step.done else TODO_COLOUR};"
            )
        self.buttons["assess_next"].setEnabled(self.next_to_assess is not None)
        self.buttons["owner_next"].setEnabled(self.first_without_owner is not None)
        done = sum(step.done for step in self.steps)
        self.note.setText(f"{done} of {len(self.steps)} steps done")
        # The path ends with the first issued pack; after that the card makes way.
        self.setVisible(extras.packs.issued == 0)

    def is_done(self, key: str) -> bool:
        return any(step.key == key and step.done for step in self.steps)

    def _import(self) -> None:
        if self.path_actions.import_spreadsheet is not None:
            self.path_actions.import_spreadsheet()

    def _new_use(self) -> None:
        if self.path_actions.new_use is not None:
            self.path_actions.new_use()

    def _open_use(self, use_id: int | None, tab: str) -> None:
        actions = self.path_actions
        if use_id is None:
            return
        if actions.edit_use_on is not None:
            actions.edit_use_on(use_id, tab)
        elif actions.edit_use is not None:
            actions.edit_use(use_id)

    def _assess_next(self) -> None:
        self._open_use(self.next_to_assess, "exposureTab")  # where the questions are

    def _owner_next(self) -> None:
        self._open_use(self.first_without_owner, "oversightTab")  # where owners are named

    def _show(self, page: str) -> None:
        if self.path_actions.show_page is not None:
            self.path_actions.show_page(page)

    def _export(self) -> None:
        if self.path_actions.export_board_pack is None:
            return
        dialog = self.path_actions.export_board_pack()
        from riskdesk.ui.dialogs.export import ExportDialog

        if isinstance(dialog, ExportDialog):  # open it on the board pack, not the workbook
            dialog.format.setCurrentIndex(max(0, dialog.format.findData("pdf")))
