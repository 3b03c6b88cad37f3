"""The dashboard: the page that opens first and answers "where do we stand?".

Uses by tier, open gaps and the uses with the most, overdue reviews, the top risks by
residual score, uses with no 1st-line owner, which uses are Critical and why, and the
heatmap (its tiles and list cards are in ``dashboard_cards.py``). Every item opens
what it points at: a use opens its editor on the Gaps tab, a risk opens the risk
editor, a tile or a heatmap cell filters the list behind it.

The figures are gathered off the GUI thread (``dashboard_data`` reads every use's gaps,
about 2.5 s for 10,000 uses) and only while the page is visible; an edit made while it
is hidden just marks it stale.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from html import escape
from typing import Any

from PySide6.QtCore import (
    Qt,
    Signal,
)
from PySide6.QtGui import (
    QShowEvent,
)
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from riskdesk.enums import Tier
from riskdesk.service import queries
from riskdesk.service.dashboard import DashboardData, dashboard_data
from riskdesk.service.queries import Filter
from riskdesk.service.register import RegisterService
from riskdesk.ui.jobs import Jobs
from riskdesk.ui.models.table_model import TIER_COLOURS
from riskdesk.ui.pages.dashboard_cards import ListCard, Row, Tile, card_frame
from riskdesk.ui.pages.dashboard_extras import (
    ConcentrationTile,
    Extras,
    FirstRunCard,
    PathActions,
    TrendCard,
    gather_extras,
)
from riskdesk.ui.widgets.heatmap import BAND_FILL, HeatmapPanel

# Strong tones for numbers and edges; the pastel TIER_COLOURS fill the tiles.
TIER_ACCENT = {
    "low": "#2e7d32",
    "moderate": "#8a6d00",
    "high": "#b85c00",
    "critical": "#b3261e",
    "not_assessed": "#5b3e96",
}
NEUTRAL_FILL = "#eef2f7"
# Rows per card: a card is a summary, and sizing columns to 5,000 rows took 3.5 s;
# the tile above each card filters the full list on its page.
SHOWN_ROWS = 20
CRITICAL_SHOWN = 4  # prohibited practices first, then the highest exposure
NO_USES = (
    "No AI uses yet: import a spreadsheet or add them (the steps above), "
    "or open the demo register to explore."
)
NEUTRAL_ACCENT = "#34495e"


@dataclass
class DashboardActions:
    """What clicking does; the window supplies these (a test can supply its own)."""

    open_use: Callable[[int], None] | None = None  # open the use editor on its Gaps tab
    open_risk: Callable[[int], None] | None = None
    filter_uses: Callable[[str, object], None] | None = None
    filter_risks: Callable[[str, object], None] | None = None
    show_page: Callable[[str], object] | None = None  # a page by key ("vendors", "people")
    path: PathActions | None = None  # the first-run steps' buttons (issue 14)


def _uses(n: int) -> str:
    return f"{n} use" if n == 1 else f"{n} uses"


def _shown(total: int) -> str:
    if total <= SHOWN_ROWS:
        return _uses(total) if total else ""
    return f"{SHOWN_ROWS} of {total:,} shown"  # short: a long note widens the whole page


def _tier_cell(tier: str) -> tuple[str, str]:
    return Tier(tier).label, TIER_COLOURS.get(tier, "#eeeeee")


# --- the page ------------------------------------------------------------------------
class DashboardPage(QScrollArea):
    updated = Signal()  # new figures are on screen

    def __init__(
        self,
        service: RegisterService,
        actions: DashboardActions | None = None,
        parent: QWidget | None = None,
        today: Callable[[], Any] | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("dashboardPage")
        self.service = service
        self.callbacks = actions or DashboardActions()
        self._today = today
        self.data: DashboardData | None = None
        self.extras: Extras | None = None
        self.jobs = Jobs(self)  # the figures are gathered off the GUI thread
        self.jobs.done.connect(self._job_done)
        self.jobs.failed.connect(self._job_failed)
        self._stale = True

        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        inner = QWidget(self)
        inner.setObjectName("dashboardInner")
        self.setWidget(inner)
        root = QVBoxLayout(inner)
        root.setContentsMargins(16, 12, 16, 16)
        root.setSpacing(12)

        head = QHBoxLayout()
        self.title = QLabel("Dashboard", inner)
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.6)
        font.setBold(True)
        self.title.setFont(font)
        head.addWidget(self.title)
        head.addStretch(1)
        self.subtitle = QLabel(inner)
        self.subtitle.setObjectName("dashboardSubtitle")
        self.subtitle.setStyleSheet("color: #52606d;")
        head.addWidget(self.subtitle)
        root.addLayout(head)
        self.first_run = FirstRunCard(self.callbacks.path or PathActions(), inner)
        self.first_run.hide()  # until the figures say where the register stands
        root.addWidget(self.first_run)

        tiles = QHBoxLayout()
        tiles.setSpacing(10)
        self.tier_tiles: dict[str, Tile] = {}
        for tier in Tier:
            tile = Tile(tier.value, tier.label, TIER_COLOURS[tier.value], TIER_ACCENT[tier.value])
            tile.setToolTip(
                f"AI uses in the {tier.label} tier (retired uses left out). Click to list."
            )
            tile.clicked.connect(lambda t=tier.value: self._filter_tier(t))
            self.tier_tiles[tier.value] = tile
            tiles.addWidget(tile)
        root.addLayout(tiles)
        # The oversight figures get a row of their own: nine tiles side by side (five
        # tiers with Not assessed) were wider than a laptop window and scrolled sideways.
        tiles = QHBoxLayout()
        tiles.setSpacing(10)
        self.gaps_tile = Tile("gaps", "Open gaps", NEUTRAL_FILL, NEUTRAL_ACCENT)
        self.gaps_tile.setToolTip("Oversight the uses need for their tier but lack. Click to list.")
        self.gaps_tile.clicked.connect(self._filter_gaps)
        self.overdue_tile = Tile("overdue", "Reviews overdue", NEUTRAL_FILL, NEUTRAL_ACCENT)
        self.overdue_tile.setToolTip("Uses whose review is past due. Click to list.")
        self.overdue_tile.clicked.connect(self._filter_overdue)
        self.owner_tile = Tile("no_owner", "No 1st-line owner", NEUTRAL_FILL, NEUTRAL_ACCENT)
        self.owner_tile.setToolTip(
            "Uses with nobody named to run them, or whose owner has left. Click to list."
        )
        self.owner_tile.clicked.connect(self._filter_no_owner)
        for tile in (self.gaps_tile, self.overdue_tile, self.owner_tile):
            tiles.addWidget(tile)
        self.concentration_tile = ConcentrationTile(inner)  # issue 17: who we all lean on
        self.concentration_tile.clicked.connect(lambda: self._show_page("vendors"))
        tiles.addWidget(self.concentration_tile, 2)
        root.addLayout(tiles)
        self.trend_card = TrendCard(inner)  # issue 15: the register's direction
        root.addWidget(self.trend_card)

        grid = QGridLayout()
        grid.setHorizontalSpacing(12)
        grid.setVerticalSpacing(12)
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)

        self.critical_card, critical_layout, self.critical_note = card_frame(
            "Critical uses — and why", inner
        )
        self.critical_text = QLabel(self.critical_card)
        self.critical_text.setObjectName("criticalText")
        self.critical_text.setWordWrap(True)
        self.critical_text.setTextFormat(Qt.TextFormat.RichText)
        self.critical_text.setTextInteractionFlags(
            Qt.TextInteractionFlag.LinksAccessibleByMouse
            | Qt.TextInteractionFlag.LinksAccessibleByKeyboard
        )
        self.critical_text.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.critical_text.linkActivated.connect(self._link)
        critical_layout.addWidget(self.critical_text)
        critical_layout.addStretch(1)
        grid.addWidget(self.critical_card, 0, 0)

        heat_card, heat_layout, self.heat_note = card_frame("Risk heatmap", inner)
        self.heatmap = HeatmapPanel(self.callbacks.filter_risks, heat_card)
        heat_layout.addWidget(self.heatmap, 1)
        heat_card.setMinimumHeight(460)
        grid.addWidget(heat_card, 0, 1)

        open_use = self.callbacks.open_use
        self.most_gaps = ListCard(
            "most_gaps",
            "Uses with the most gaps",
            ["AI use", "Tier", "Gaps"],
            "No gaps: every use has the oversight its tier needs.",
            open_use,
            stretch=0,
            right_aligned=[2],
        )
        self.top_risks = ListCard(
            "top_risks",
            "Top risks by residual score",
            ["Risk", "AI use", "Residual", "Inherent"],
            "No open risks recorded yet.",
            self.callbacks.open_risk,
            stretch=0,
            right_aligned=[3],
            max_section=170,  # the risk's own title gets the room
        )
        self.overdue = ListCard(
            "overdue",
            "Overdue reviews",
            ["AI use", "Tier", "Was due"],
            "No review is overdue.",
            open_use,
            stretch=0,
        )
        self.no_owner = ListCard(
            "no_owner",
            "Uses with no 1st-line owner",
            ["AI use", "Tier", "Why"],
            "Every use has a 1st-line owner who still works here.",
            open_use,
            stretch=0,
        )
        grid.addWidget(self.most_gaps, 1, 0)
        grid.addWidget(self.top_risks, 1, 1)
        grid.addWidget(self.overdue, 2, 0)
        grid.addWidget(self.no_owner, 2, 1)
        root.addLayout(grid)
        root.addStretch(1)

    # --- refreshing ------------------------------------------------------------------
    def _compute(self) -> tuple[DashboardData, Extras]:
        today = self._today() if self._today is not None else None
        data = dashboard_data(self.service, today)
        return data, gather_extras(self.service, data)

    def refresh(self) -> None:
        """Reload when visible; otherwise remember to reload when next shown."""
        self._stale = True
        if not self.isVisible():
            return
        if self.jobs.running:
            return  # the running job's end starts another, since the page is stale
        self._stale = False
        self.subtitle.setText(self._subtitle(updating=True))
        compute = self._compute
        self.jobs.start(lambda _progress, _cancel: compute())

    def refresh_now(self) -> None:
        """Gather and show the figures synchronously (tests, screenshots)."""
        self.jobs.discard()  # a job still running would show older figures
        self._stale = False
        self.show_data(*self._compute())

    def _job_done(self, result: object) -> None:
        if isinstance(result, tuple):
            self.show_data(*result)
        if self._stale:
            self.refresh()

    def _job_failed(self, message: str) -> None:
        self.subtitle.setText(f"Could not update the dashboard: {message}")
        if self._stale:
            self.refresh()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale:
            self.refresh()

    def _subtitle(self, updating: bool = False) -> str:
        profile = self.service.profile()
        parts = [profile.get("name") or "AI risk register"]
        if self.data is not None:
            parts.append(f"as of {self.data.today.isoformat()}")
        appetite = (profile.get("risk_appetite") or "medium").capitalize()
        parts.append(f"risk appetite: {appetite}")
        if updating:
            parts.append("updating…")
        return " · ".join(parts)

    # --- showing ---------------------------------------------------------------------
    def show_data(self, data: DashboardData, extras: Extras | None = None) -> None:
        self.data = data
        self.subtitle.setText(self._subtitle())
        if extras is not None:
            self.extras = extras
            self.first_run.set_state(data, extras)
            self.concentration_tile.set_concentration(extras.concentration)
            self.trend_card.set_trend(extras.trend)
            # An empty register has no direction yet: the first-run path says what to do.
            self.trend_card.setVisible(
                data.live_uses > 0 or any(any(p.values.values()) for p in extras.trend.points)
            )
        for tier, tile in self.tier_tiles.items():
            n = data.by_tier.get(tier, 0)
            tile.set_value(n)
        self.gaps_tile.set_value(
            data.gaps_total, f"in {_uses(len(data.gap_use_ids))}" if data.gaps_total else ""
        )
        self.overdue_tile.set_value(len(data.overdue))
        self.owner_tile.set_value(len(data.no_owner))
        self._show_critical(data)
        self.heatmap.set_all_counts(data.heat)

        self.most_gaps.set_rows(
            [
                Row(
                    r.use_id,
                    [r.name, _tier_cell(r.tier)[0], str(r.count)],
                    {1: _tier_cell(r.tier)[1]},
                    f"{r.name}: " + "; ".join(r.titles),
                )
                for r in data.most_gaps
            ],
            f"{data.gaps_total} gaps in {_uses(len(data.gap_use_ids))}" if data.gaps_total else "",
            empty_text=self.most_gaps.empty_text if data.live_uses else NO_USES,
        )
        self.top_risks.set_rows(
            [
                Row(
                    r.risk_id,
                    [r.title, r.use_name, f"{r.band.label} {r.score}", str(r.inherent)],
                    {2: BAND_FILL[r.band]},
                    f"{r.title} — {r.use_name}: residual likelihood {r.likelihood} × "
                    f"impact {r.impact} = {r.score} ({r.band.label}); inherent {r.inherent}",
                )
                for r in data.top_risks
            ]
        )
        self.overdue.set_rows(
            [
                Row(
                    r.use_id,
                    [r.name, _tier_cell(r.tier)[0], r.due.isoformat() if r.due else "never"],
                    {1: _tier_cell(r.tier)[1]},
                    f"{r.name} — 1st-line owner: {r.owner or 'nobody named'}; "
                    + (f"review was due {r.due.isoformat()}" if r.due else "never reviewed"),
                )
                for r in data.overdue[:SHOWN_ROWS]
            ],
            _shown(len(data.overdue)),
        )
        self.no_owner.set_rows(
            [
                Row(r.use_id, [r.name, _tier_cell(r.tier)[0], r.reason], {1: _tier_cell(r.tier)[1]})
                for r in data.no_owner[:SHOWN_ROWS]
            ],
            _shown(len(data.no_owner)),
        )
        self.updated.emit()

    def _show_critical(self, data: DashboardData) -> None:
        accent = TIER_ACCENT["critical"]
        if not data.critical:
            self.critical_note.setText("")
            self.critical_text.setText(
                "<p style='color:#3d7a3d'>No use is in the Critical tier.</p>"
            )
            return
        total = len(data.critical)
        self.critical_note.setText(
            f"{total} of {data.live_uses} uses"
            if total <= CRITICAL_SHOWN
            else f"{CRITICAL_SHOWN} of {total:,} shown"
        )
        blocks: list[str] = []
        for row in data.critical[:CRITICAL_SHOWN]:
            flag = (
                f"<br><span style='background:{accent}; color:white;'>&nbsp;<b>MUST&nbsp;NOT"
                "&nbsp;BE&nbsp;DEPLOYED</b>&nbsp;</span>"
                if row.must_not_deploy
                else ""
            )
            gaps = (
                f"<a href='use:{row.use_id}'>{row.gap_count} gap"
                f"{'s' if row.gap_count != 1 else ''} — see what is missing</a>"
                if row.gap_count
                else "no gaps"
            )
            why = "".join(f"<li>{escape(line)}</li>" for line in row.why)
            blocks.append(
                f"<p style='margin:6px 0 0 0'><a href='use:{row.use_id}' "
                f"style='color:{accent}; font-weight:bold; text-decoration:none'>"
                f"{escape(row.name)}</a><br>"
                f"<span style='color:#52606d'>Exposure {row.exposure}/100 · {gaps}</span>"
                f"{flag}</p>"
                f"<ul style='margin-top:2px; margin-bottom:4px; -qt-list-indent:1'>{why}</ul>"
            )
        self.critical_text.setText("".join(blocks))

    # --- clicking --------------------------------------------------------------------
    def _link(self, href: str) -> None:
        kind, _sep, key = href.partition(":")
        if kind == "use" and self.callbacks.open_use is not None:
            self.callbacks.open_use(int(key))

    def _show_page(self, key: str) -> None:
        if self.callbacks.show_page is not None:
            self.callbacks.show_page(key)

    def _filter_uses(self, text: str, filter: Filter) -> None:
        if self.callbacks.filter_uses is not None:
            self.callbacks.filter_uses(text, filter)

    def _filter_tier(self, tier: str) -> None:
        self._filter_uses(
            f"{Tier(tier).label}-tier uses (retired uses hidden)",
            queries.live_uses_in_tier(tier),
        )

    def _filter_ids(self, text: str, ids: Sequence[int]) -> None:
        self._filter_uses(text, queries.uses_with_ids(ids))

    def _filter_gaps(self) -> None:
        if self.data is not None:
            self._filter_ids("Uses with open gaps", self.data.gap_use_ids)

    def _filter_overdue(self) -> None:
        if self.data is not None:
            self._filter_ids("Uses with an overdue review", [r.use_id for r in self.data.overdue])

    def _filter_no_owner(self) -> None:
        if self.data is not None:
            self._filter_ids(
                "Uses with no 1st-line owner (or whose owner has left)",
                [r.use_id for r in self.data.no_owner],
            )
