"""The use editor's "Suggested risks" tab: what the catalogue's rules propose, and why.

Each suggestion is a card with its reason (the rule's own words), its framework
references and an "Add" button that copies the template into the register in one
undoable action. Suggestions follow the editor's unsaved answers, so ticking "used
by the public" shows the chatbot risks at once.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from riskdesk.catalogue import Suggestion
from riskdesk.service.errors import ServiceError, StoreError
from riskdesk.service.frameworks import add_risk_action, describe_ref, suggestions_for_use
from riskdesk.service.register import RegisterService
from riskdesk.ui.undo import EditHistory

ValuesProvider = Callable[[], dict[str, Any]]
CARD_STYLE = (
    "QFrame#card { border: 1px solid palette(mid); border-radius: 4px; }"
    " QLabel[role='meta'] { font-size: 90%; }"
)
BANNER_STYLE = "QLabel { background: #fde2e2; color: #8a1f11; padding: 6px; border-radius: 4px; }"


def label(text: str, parent: QWidget, *, rich: bool = False, role: str = "") -> QLabel:
    widget = QLabel(parent)
    widget.setWordWrap(True)
    widget.setTextFormat(Qt.TextFormat.RichText if rich else Qt.TextFormat.PlainText)
    widget.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    widget.setText(text)
    if role:
        widget.setProperty("role", role)
    return widget


class Card(QFrame):
    """A bordered box: a bold title with a button beside it, then lines of text."""

    def __init__(self, title: str, button_text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("card")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.body = QVBoxLayout(self)
        self.body.setContentsMargins(10, 8, 10, 8)
        self.body.setSpacing(3)
        top = QHBoxLayout()
        self.title = label(f"<b>{html.escape(title)}</b>", self, rich=True)
        top.addWidget(self.title, 1)
        self.button = QPushButton(button_text, self)
        # every card's button says the same ("Add"): a screen reader also hears which card
        self.button.setAccessibleName(f"{button_text.replace('&', '')}: {title}")
        top.addWidget(self.button, 0, Qt.AlignmentFlag.AlignTop)
        self.body.addLayout(top)

    def add_line(self, text: str, *, rich: bool = False, role: str = "") -> QLabel:
        line = label(text, self, rich=rich, role=role)
        self.body.addWidget(line)
        return line


class CardList(QWidget):
    """An intro line, an error banner and a scrolling column of cards, rebuilt lazily:
    a refresh while hidden waits until the tab is shown."""

    scroll: QScrollArea  # type: ignore[assignment]  # the attribute hides QWidget.scroll()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setStyleSheet(CARD_STYLE)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.intro = label("", self)
        self.intro.setObjectName("intro")
        layout.addWidget(self.intro)
        self.banner = QLabel(self)
        self.banner.setObjectName("errorBanner")
        self.banner.setWordWrap(True)
        self.banner.setStyleSheet(BANNER_STYLE)
        self.banner.hide()
        layout.addWidget(self.banner)
        self.header = QVBoxLayout()
        layout.addLayout(self.header)
        self.scroll = QScrollArea(self)
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        layout.addWidget(self.scroll, 1)
        self.footer = QVBoxLayout()
        layout.addLayout(self.footer)
        self.cards: list[Card] = []
        self._dirty = True

    def set_cards(self, cards: list[Card], empty_text: str) -> None:
        inner = QWidget()
        column = QVBoxLayout(inner)
        column.setContentsMargins(0, 4, 4, 4)
        for card in cards:
            column.addWidget(card)
        if not cards:
            column.addWidget(label(empty_text, inner))
        column.addStretch(1)
        self.scroll.setWidget(inner)  # the old column is deleted with its cards
        self.cards = cards

    def show_error(self, text: str) -> None:
        self.banner.setText(text)
        self.banner.show()

    def mark_dirty(self) -> None:
        self._dirty = True
        if self.isVisible():
            self.refresh()

    def refresh(self) -> None:
        self._dirty = False
        self.banner.hide()
        self.rebuild()

    def rebuild(self) -> None:
        raise NotImplementedError

    def showEvent(self, event: QShowEvent) -> None:
        if self._dirty:
            self.refresh()
        super().showEvent(event)


class SuggestionsPanel(CardList):
    """Suggested risks for one use, each with its reason and an Add button."""

    def __init__(
        self,
        service: RegisterService,
        history: EditHistory,
        use_id: int,
        parent: QWidget | None = None,
        values: ValuesProvider | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("suggestionsPanel")
        self.service, self.history, self.use_id = service, history, use_id
        self._values = values
        self.suggestions: list[Suggestion] = []
        self.counted: Callable[[int], None] | None = None  # told the count on each rebuild
        history.changed.connect(self.mark_dirty)

    def rebuild(self) -> None:
        overrides = self._values() if self._values is not None else None
        self.suggestions = suggestions_for_use(self.service, self.use_id, overrides)
        count = len(self.suggestions)
        if self.counted is not None:
            self.counted(count)
        self.intro.setText(
            f"{count} risk{'s' if count != 1 else ''} suggested from this use's answers "
            "(autonomy, data, who it affects…). Add the ones that apply — each is saved to the "
            "register at once (Cancel does not remove it; Ctrl+Z does) — then adjust its "
            "scores in the risk editor."
            if count
            else ""
        )
        self.set_cards(
            [self._card(s) for s in self.suggestions],
            "No suggestions: nothing in this use's answers calls for a catalogue risk it "
            "does not already have.",
        )

    def _card(self, suggestion: Suggestion) -> Card:
        risk = suggestion.risk
        card = Card(risk.title, "Add", self)
        card.setObjectName("card")
        card.setProperty("risk_id", risk.id)
        card.button.setObjectName(f"add_{risk.id}")
        card.button.setToolTip("Add this risk to the use now: saved at once (undo with Ctrl+Z)")
        card.add_line(
            f"{risk.id} · {risk.category} · default inherent score "
            f"{risk.likelihood} × {risk.impact}",
            role="meta",
        )
        refs = ", ".join(html.escape(describe_ref(r)) for r in risk.taxonomy_refs)
        card.add_line(f"<b>References:</b> {refs}", rich=True)
        card.add_line(f"<b>Why:</b> {html.escape(suggestion.reason)}", rich=True)
        for _rule, reason in suggestion.also:
            card.add_line(f"<b>Also:</b> {html.escape(reason)}", rich=True)
        card.button.clicked.connect(lambda _c=False, s=suggestion: self.add(s))
        return card

    def add(self, suggestion: Suggestion) -> None:
        title = suggestion.risk.title
        try:
            self.history.run(
                f"Add risk “{title}”",
                lambda: add_risk_action(self.service, self.use_id, suggestion.risk),
            )
        except (ServiceError, StoreError) as exc:
            self.show_error(f"Could not add “{title}”: {exc}")
