"""The use editor's "Incidents elsewhere" tab: public AI incidents most like this use.

"Could this happen here?" is the question; one click turns an incident into a risk on
the use (undoable), carrying the incident's MIT coding and the references of the
risk-library entries that cite it. Links are shown as text: riskdesk opens no network
connection. The AI Incident Database's CC BY-SA 4.0 attribution is always shown.
"""

from __future__ import annotations

import html

from PySide6.QtWidgets import QLineEdit, QWidget

from riskdesk.catalogue import IncidentRecord, search_incidents
from riskdesk.catalogue.incidents import ATTRIBUTION
from riskdesk.service.errors import ServiceError, StoreError
from riskdesk.service.frameworks import (
    IncidentMatch,
    add_risk_action,
    incidents_for_use,
    risk_values,
)
from riskdesk.service.register import RegisterService
from riskdesk.ui.editors.use_suggestions_tab import Card, CardList, ValuesProvider, label
from riskdesk.ui.undo import EditHistory

EXCERPT = 320
LIMIT = 8


def excerpt(text: str, limit: int = EXCERPT) -> str:
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    return text[: limit - 1].rsplit(" ", 1)[0].rstrip(" .,;:") + "…"


def parties(slugs: tuple[str, ...]) -> str:
    return ", ".join(s.replace("-", " ") for s in slugs)


class IncidentsPanel(CardList):
    """Public incidents like one use, or matching the user's own search words."""

    def __init__(
        self,
        service: RegisterService,
        history: EditHistory,
        use_id: int,
        parent: QWidget | None = None,
        values: ValuesProvider | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("incidentsPanel")
        self.service, self.history, self.use_id = service, history, use_id
        self._values = values
        self.matches: list[IncidentMatch] = []
        self.search = QLineEdit(self)
        self.search.setObjectName("incidentSearch")
        self.search.setAccessibleName("Search incidents elsewhere")
        self.search.setPlaceholderText("Or search all public incidents for other words…")
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(lambda _t: self.refresh())
        self.header.addWidget(self.search)
        QWidget.setTabOrder(self.search, self.scroll)  # Tab: the search box, then its results
        attribution = label(ATTRIBUTION, self, role="meta")
        attribution.setObjectName("attribution")
        self.footer.addWidget(attribution)
        history.changed.connect(self.mark_dirty)

    def rebuild(self) -> None:
        query = self.search.text().strip()
        if query:
            self.matches = [
                IncidentMatch(h, h.score, ("matches your search",))
                for h in search_incidents(query, 15)
            ]
            self.intro.setText(f"Public incidents matching “{query}”.")
        else:
            overrides = self._values() if self._values is not None else None
            self.matches = incidents_for_use(self.service, self.use_id, LIMIT, overrides=overrides)
            self.intro.setText(
                "Public AI incidents most like this use — by what it does, who it affects, "
                "its vendor and the risks suggested for it. Could one of them happen here?"
            )
        have = {" ".join(str(r["title"]).split()).casefold() for r in self.risks()}
        self.set_cards(
            [self._card(m, have) for m in self.matches],
            "No similar public incidents found.",
        )

    def risks(self) -> list[dict[str, object]]:
        return self.service.rows("risk", use_id=self.use_id)

    def _card(self, match: IncidentMatch, have: set[str]) -> Card:
        record: IncidentRecord = match.incident
        card = Card(record.title, "Could this happen here? → Add as risk", self)
        card.setProperty("incident_id", record.incident_id)
        card.button.setObjectName(f"addIncident_{record.incident_id}")
        who = parties(record.deployers) or "deployer not recorded"
        card.add_line(
            f"{record.date} · deployed by {who} · AI Incident Database #{record.incident_id}",
            role="meta",
        )
        card.add_line(excerpt(record.description))
        card.add_line(record.url, role="meta")  # text only: no network from riskdesk
        details = [f"<b>Why shown:</b> {html.escape('; '.join(match.why))}"]
        if record.mit_ref:
            details.append(f"<b>MIT coding:</b> {html.escape(record.mit_ref)}")
        card.add_line(" · ".join(details), rich=True, role="meta")
        title = " ".join(str(risk_values(match)["title"]).split()).casefold()
        if title in have:
            card.button.setText("Added as a risk ✓")
            card.button.setEnabled(False)
        card.button.clicked.connect(lambda _c=False, m=match: self.add(m))
        return card

    def add(self, match: IncidentMatch) -> None:
        title = match.incident.title
        try:
            self.history.run(
                f"Add risk from incident #{match.incident.incident_id}",
                lambda: add_risk_action(self.service, self.use_id, match),
            )
        except (ServiceError, StoreError) as exc:
            self.show_error(f"Could not add a risk for “{title}”: {exc}")
