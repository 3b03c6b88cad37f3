""" "Add risk from catalogue…": one search box over every framework and the risk library.

A pick never writes by itself: it opens the ordinary risk editor prefilled with the
entry's title, text, scores and references, so the user confirms (and can adjust)
what goes into the register — as one undoable action. Crosswalk neighbours are shown
with their basis, because most are riskdesk's judgement rather than a published
mapping, and the user should see which.
"""

from __future__ import annotations

import html
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from riskdesk.catalogue import (
    CatalogueHit,
    CatalogueIndex,
    Framework,
    load_risk_library,
    related_links,
)
from riskdesk.service.frameworks import all_frameworks, describe_ref, risk_values
from riskdesk.service.register import RegisterService
from riskdesk.ui.editors.risk_editor import RiskEditor
from riskdesk.ui.undo import EditHistory

AnyIndex = QModelIndex | QPersistentModelIndex
ObjectRole = Qt.ItemDataRole.UserRole + 1

SHORT_NAMES = {
    "nist-ai-rmf-1.0": "NIST AI RMF",
    "nist-ai-600-1": "NIST AI 600-1",
    "owasp-llm-2025": "OWASP LLM 2025",
    "owasp-agentic-2026": "OWASP Agentic 2026",
    "eu-ai-act-art5": "EU AI Act Art. 5",
    "eu-ai-act-annex-iii": "EU AI Act Annex III",
    "mit-ai-risk-domains-v3": "MIT AI Risk Repository",
}
RISK_LIBRARY = "risk library"
SEARCH_LIMIT = 60


def source_label(hit: CatalogueHit, names: dict[str, str]) -> str:
    if hit.kind == "risk":
        return "Risk library"
    return SHORT_NAMES.get(hit.framework_id) or names.get(hit.framework_id, hit.framework_id)


class CatalogueHitModel(QAbstractTableModel):
    """Search results: where from, ref, title, and the refs a pick would carry."""

    SOURCE, REF, TITLE, REFS = range(4)
    HEADERS = ("Source", "Ref", "Title", "References (own and related)")

    def __init__(self, names: dict[str, str], parent: Any = None) -> None:
        super().__init__(parent)
        self._names = names
        self._hits: list[CatalogueHit] = []

    def set_hits(self, hits: list[CatalogueHit]) -> None:
        self.beginResetModel()
        self._hits = list(hits)
        self.endResetModel()

    def hit(self, row: int) -> CatalogueHit:
        return self._hits[row]

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._hits)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(self.HEADERS)
        ):
            return self.HEADERS[section]
        return None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._hits):
            return None
        hit = self._hits[index.row()]
        if role == ObjectRole:
            return hit
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return None
        column = index.column()
        if column == self.SOURCE:
            return source_label(hit, self._names)
        if column == self.REF:
            return hit.ref
        if column == self.TITLE:
            return hit.title if role == Qt.ItemDataRole.DisplayRole else hit.text or hit.title
        if column == self.REFS:
            return ", ".join(hit.refs)
        return None


def hit_details_html(hit: CatalogueHit, frameworks: list[Framework]) -> str:
    """What a pick would carry, with each crosswalk link's basis spelled out."""
    esc = html.escape
    parts = [f"<h3>{esc(hit.ref)} — {esc(hit.title)}</h3>"]
    if hit.text and hit.text != hit.title:
        parts.append(f"<p>{esc(hit.text)}</p>")
    if hit.kind == "risk":
        template = next(t for t in load_risk_library() if t.id == hit.ref)
        parts.append(
            f"<p><b>Default inherent score:</b> likelihood {template.likelihood} × impact "
            f"{template.impact} — adjust it to your context.</p>"
        )
        refs = "".join(f"<li>{esc(describe_ref(r, frameworks))}</li>" for r in hit.refs)
        parts.append(f"<p><b>References</b></p><ul>{refs}</ul>")
        return "".join(parts)
    links = related_links(hit.ref)
    if links:
        items = []
        for link in links:
            other = describe_ref(link.other(hit.ref), frameworks)
            if link.basis == "published":
                basis = f"published mapping ({esc(link.citation)})"
            else:
                basis = f"riskdesk's judgement: {esc(link.note)}"
            items.append(f"<li>{esc(other)} — <i>{basis}</i></li>")
        parts.append(f"<p><b>Related items (crosswalk)</b></p><ul>{''.join(items)}</ul>")
    else:
        parts.append("<p><i>No crosswalk links for this item.</i></p>")
    return "".join(parts)


class CatalogueDialog(QDialog):
    """Search the catalogue for a risk to add to one AI use."""

    def __init__(
        self,
        service: RegisterService,
        history: EditHistory,
        use_id: int,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("catalogueDialog")
        self.service, self.history, self.use_id = service, history, use_id
        self.created_risk_id: int | None = None
        self.frameworks = all_frameworks(service)
        self.index = CatalogueIndex(frameworks=self.frameworks)
        names = {fw.id: fw.name for fw in self.frameworks}
        use = service.get("ai_use", use_id)
        self.setWindowTitle(f"Add risk from catalogue — {use['name']}")

        layout = QVBoxLayout(self)
        intro = QLabel(
            "Search every framework riskdesk knows and its risk library — words or a "
            "reference such as <i>LLM01</i> or <i>GOVERN 1.6</i>. Pick an entry to open the "
            "risk editor with its title, text and references filled in; you confirm there.",
            self,
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        top = QHBoxLayout()
        self.search = QLineEdit(self)
        self.search.setObjectName("catalogueSearch")
        self.search.setAccessibleName("Search the catalogue")
        self.search.setPlaceholderText("e.g. prompt injection, children's data, hiring bias…")
        self.search.setClearButtonEnabled(True)
        top.addWidget(self.search, 1)
        self.scope = QComboBox(self)
        self.scope.setObjectName("catalogueScope")
        self.scope.setAccessibleName("Catalogue to search")
        self.scope.addItem("Everything", "")
        self.scope.addItem("Risk library", RISK_LIBRARY)
        for fw in self.frameworks:
            self.scope.addItem(SHORT_NAMES.get(fw.id, fw.name), fw.id)
        top.addWidget(self.scope)
        layout.addLayout(top)

        split = QSplitter(Qt.Orientation.Vertical, self)
        self.model = CatalogueHitModel(names, self)
        self.view = QTableView(split)
        self.view.setObjectName("catalogueResults")
        self.view.setAccessibleName("Catalogue entries")
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setAlternatingRowColors(True)
        self.view.verticalHeader().hide()
        self.view.setWordWrap(False)
        self.view.verticalHeader().setDefaultSectionSize(24)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.resizeSection(CatalogueHitModel.SOURCE, 140)
        header.resizeSection(CatalogueHitModel.REF, 100)
        header.setSectionResizeMode(CatalogueHitModel.TITLE, QHeaderView.ResizeMode.Stretch)
        header.resizeSection(CatalogueHitModel.REFS, 230)
        self.details = QTextBrowser(split)
        self.details.setObjectName("catalogueDetails")
        self.details.setAccessibleName("Entry details")
        self.details.setOpenLinks(False)
        split.addWidget(self.view)
        split.addWidget(self.details)
        split.setSizes([300, 200])
        layout.addWidget(split, 1)

        self.include_related = QCheckBox(
            "For a framework item, also cite its related items from the crosswalk", self
        )
        self.include_related.setObjectName("includeRelated")
        self.include_related.setChecked(True)
        layout.addWidget(self.include_related)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.use_button = QPushButton("&Use this…", self)
        self.use_button.setObjectName("useButton")
        self.use_button.setDefault(True)
        buttons.addButton(self.use_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

        self.search.textChanged.connect(self.refresh)
        self.scope.currentIndexChanged.connect(self.refresh)
        self.view.selectionModel().currentRowChanged.connect(self._show_details)
        self.view.doubleClicked.connect(lambda index: self.pick(index.row()))
        self.use_button.clicked.connect(self.pick_selected)
        self.resize(860, 620)
        self.refresh()
        self.search.setFocus()

    # --- searching -----------------------------------------------------------------
    def results(self, query: str) -> list[CatalogueHit]:
        scope = self.scope.currentData()
        if query.strip():
            hits = self.index.search(query, SEARCH_LIMIT * 3 if scope else SEARCH_LIMIT)
        else:  # an empty box lists the risk library: the usual starting point
            hits = [
                CatalogueHit("risk", t.id, t.title, t.description, "", t.taxonomy_refs)
                for t in load_risk_library()
            ]
        hits = [h for h in hits if h.kind != "control"]  # controls are not risks
        if scope == RISK_LIBRARY:
            hits = [h for h in hits if h.kind == "risk"]
        elif scope:
            hits = [h for h in hits if h.framework_id == scope]
        return hits[:SEARCH_LIMIT]

    def refresh(self) -> None:
        self.model.set_hits(self.results(self.search.text()))
        if self.model.rowCount():
            self.view.selectRow(0)
        else:
            self.details.setHtml("<p><i>Nothing matches. Try fewer or other words.</i></p>")
        self.use_button.setEnabled(self.model.rowCount() > 0)

    def _show_details(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if current.isValid():
            self.details.setHtml(hit_details_html(self.model.hit(current.row()), self.frameworks))

    # --- picking -------------------------------------------------------------------
    def pick_selected(self) -> None:
        rows = self.view.selectionModel().selectedRows()
        if rows:
            self.pick(rows[0].row())

    def pick(self, row: int) -> None:
        if not 0 <= row < self.model.rowCount():
            return
        hit = self.model.hit(row)
        values = risk_values(hit, include_related=self.include_related.isChecked())
        editor = self.editor_for(values)
        if editor.exec() and editor.risk_id is not None:
            self.created_risk_id = editor.risk_id
            self.accept()

    def editor_for(self, values: dict[str, Any]) -> RiskEditor:
        """The prefilled editor (a method so tests can drive it without a modal loop)."""
        return RiskEditor(self.service, self.history, self.use_id, None, self, template=values)
