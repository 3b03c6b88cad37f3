"""The Controls page: the register's controls, the control library, linking controls to risks."""

from __future__ import annotations

from collections.abc import Callable
from html import escape
from typing import Any

from PySide6.QtCore import (
    QModelIndex,
    Qt,
)
from PySide6.QtGui import QBrush, QColor, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from riskdesk import enums
from riskdesk.catalogue import (
    CatalogueIndex,
    Framework,
    find_item,
    load_control_library,
    split_refs,
)
from riskdesk.catalogue.library import ControlTemplate
from riskdesk.service.errors import ServiceError, StoreError
from riskdesk.service.evidence import (
    CLAIMED_NO_EVIDENCE,
    CLAIMING,
    EVIDENCE_COLUMN,
    controls_with_evidence,
)
from riskdesk.service.frameworks import (
    all_frameworks,
    control_values,
    linked_risk_ids,
    risk_titles,
    set_control_risks,
)
from riskdesk.service.register import RegisterService
from riskdesk.ui.editors.record_dialog import FieldSpec, RecordDialog
from riskdesk.ui.editors.use_suggestions_tab import BANNER_STYLE
from riskdesk.ui.models.register_models import RegisterTableModel
from riskdesk.ui.models.table_model import AnyIndex, Column, ObjectRole, SortRole
from riskdesk.ui.pages.frameworks import short_name
from riskdesk.ui.pages.table_page import CELL_MARGINS, TablePage
from riskdesk.ui.undo import EditHistory
from riskdesk.ui.widgets.keyboard_table import KeyboardTableView

# --- the Controls page ---------------------------------------------------------------


def _people(service: RegisterService) -> list[tuple[str, Any]]:
    return [
        (p["name"] + (" (has left)" if p["has_left"] else ""), p["id"])
        for p in service.rows("person", order_by="name")
    ]


CONTROL_FIELDS: list[FieldSpec] = [
    FieldSpec("name", "&Name"),
    FieldSpec("description", "&Description", "text"),
    FieldSpec("control_type", "&Type", "enum", enums.ControlType),
    FieldSpec("owner_id", "&Owner", "choice", choices=_people),
    FieldSpec("status", "&Status", "enum", enums.ControlStatus),
    FieldSpec("framework_refs", "&Framework refs"),
    FieldSpec("last_tested", "&Last tested", "optdate"),
    FieldSpec("test_every_months", "Test every (&months)", "int"),
    FieldSpec("evidence", "Evidence not&es", "text"),  # free text; the files: Evidence tab
]
REFS_PLACEHOLDER = "e.g. GOVERN 1.6, MANAGE 2.4, LLM01 — items this control addresses"


class ControlTableModel(RegisterTableModel):
    ID, NAME, TYPE, STATUS, OWNER, REFS, TESTED, RISKS, EVIDENCE = range(9)
    ENTITY = "control"
    COLUMNS = (
        Column("id", "ID", align_right=True),
        Column("name", "Control"),
        Column("type", "Type", enum=enums.ControlType),
        Column("status", "Status", enum=enums.ControlStatus),
        Column("owner", "Owner"),
        Column("refs", "Framework refs"),
        Column("tested", "Last tested"),
        Column("risks", "Risks", align_right=True, tooltip="How many risks this control mitigates"),
        Column(
            EVIDENCE_COLUMN,
            "Evidence",
            tooltip="Current, unexpired files attached to the control (issue 18); an "
            "implemented or tested control without any is only claimed",
        ),
    )

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.column() != self.EVIDENCE or role == SortRole:
            return super().data(index, role)
        if role not in (
            Qt.ItemDataRole.DisplayRole,
            Qt.ItemDataRole.ForegroundRole,
            Qt.ItemDataRole.ToolTipRole,
        ):
            return None
        values = self.values(index.row())
        text = evidence_text(values[self.EVIDENCE], values[self.STATUS])
        if role == Qt.ItemDataRole.ForegroundRole:
            return QBrush(QColor(CLAIMED_COLOUR)) if text == CLAIMED_TEXT else None
        if role == Qt.ItemDataRole.ToolTipRole:
            return CLAIMED_TIP if text == CLAIMED_TEXT else None
        return text


CLAIMED_TEXT = CLAIMED_NO_EVIDENCE
CLAIMED_TIP = (
    "Marked implemented or tested, but no current, unexpired evidence is attached: "
    "open the control and add it on its Evidence tab."
)
CLAIMED_COLOUR = "#8a1f11"


def evidence_text(count: int | None, status: str | None) -> str:
    """ "evidence: 2 files", or "claimed, no evidence" for an implemented or tested
    control that has none (a planned control claims nothing yet)."""
    if count:
        return f"evidence: {count} file{'s' if count != 1 else ''}"
    return CLAIMED_TEXT if status in CLAIMING else ""


def control_dialog(
    service: RegisterService,
    history: EditHistory,
    key: int | None,
    parent: QWidget | None,
    preset: dict[str, Any] | None = None,
) -> RecordDialog:
    dialog = RecordDialog(
        service, history, "control", key, parent, preset=preset, fields=CONTROL_FIELDS
    )
    refs = dialog.findChild(QLineEdit, "framework_refs")
    if refs is not None:
        refs.setPlaceholderText(REFS_PLACEHOLDER)
        _add_refs_feedback(dialog, refs, all_frameworks(service))
    return dialog


def refs_feedbackescape(text: str, frameworks: list[Framework]) -> str:
    """Say what each ref is — or that it counts for nothing — as the user types."""
    lines = []
    for ref in split_refs(text):
        found = find_item(ref, frameworks)
        if found is None:
            lines.append(f"<b>{escape(ref)}</b>: not an item of any framework riskdesk knows")
            continue
        framework, item = found
        leaf = not framework.children(item.ref)
        note = "" if leaf else " — a whole group: covers none of its items; cite those instead"
        lines.append(
            f"<b>{escape(item.ref)}</b> ({escape(short_name(framework))}): "
            f"{escape(item.title)}{escape(note)}"
        )
    return "<br>".join(lines)


def _add_refs_feedback(dialog: RecordDialog, refs: QLineEdit, frameworks: list[Framework]) -> None:
    feedback = QLabel(dialog)
    feedback.setObjectName("refsFeedback")
    feedback.setWordWrap(True)
    feedback.setTextFormat(Qt.TextFormat.RichText)
    position = dialog.form.getWidgetPosition(refs)  # (row, role); typed as object
    assert isinstance(position, tuple)
    dialog.form.insertRow(position[0] + 1, "", feedback)

    def update(text: str) -> None:
        feedback.setText(refs_feedbackescape(text, frameworks))
        feedback.setVisible(bool(text.strip()))

    refs.textChanged.connect(update)
    update(refs.text())


class ControlsPage(TablePage):
    """The register's controls, with the control library and links to risks."""

    def __init__(
        self,
        service: RegisterService,
        history: EditHistory,
        on_delete: Callable[[int], None] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(
            "controls",
            ControlTableModel(controls_with_evidence(service), parent),
            on_open=lambda key: self.edit(key),
            on_add=lambda: self.edit(None),
            on_delete=on_delete,
            add_text="&Add control…",
            parent=parent,
            noun=("control", "controls"),
            empty_text=(
                "<b>No controls yet.</b><br>Controls are what you do to keep risks down "
                "(reviews, tests, training); link them to risks and frameworks."
            ),
            empty_actions=[
                ("&Add control…", lambda: self.edit(None)),
                ("Add from &library…", lambda: self.add_from_library()),
            ],
        )
        self.service, self.history = service, history
        # "claimed, no evidence" is the point of the column: never cut it short.
        header = self.view.horizontalHeader()
        claimed = self.view.fontMetrics().horizontalAdvance(CLAIMED_TEXT) + 4 * CELL_MARGINS
        if header.sectionSize(ControlTableModel.EVIDENCE) < claimed:
            header.resizeSection(ControlTableModel.EVIDENCE, claimed)
        # TablePage's first row holds search, count and Add; ours go beside them.
        top = self.top_row
        self.library_button = QPushButton("Add from &library…", self)
        self.library_button.setObjectName("libraryButton")
        self.library_button.clicked.connect(self.add_from_library)
        top.addWidget(self.library_button)
        self.link_button = QPushButton("Linked &risks…", self)
        self.link_button.setObjectName("linkRisksButton")
        self.link_button.clicked.connect(self.link_selected)
        top.addWidget(self.link_button)

    def edit(self, key: int | None, preset: dict[str, Any] | None = None) -> None:
        control_dialog(self.service, self.history, key, self, preset).exec()

    def add_from_library(self) -> None:
        dialog = ControlLibraryDialog(self)
        if dialog.exec() and dialog.chosen is not None:
            self.edit(None, control_values(dialog.chosen))

    def link_selected(self) -> None:
        key = self.selected_id()
        if key is None:
            QMessageBox.information(self, "Linked risks", "Select a control first.")
            return
        LinkRisksDialog(self.service, self.history, key, self).exec()


class ControlLibraryDialog(QDialog):
    """Pick a control template (search by words or a framework ref)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("controlLibraryDialog")
        self.setWindowTitle("Add control from library")
        self.chosen: ControlTemplate | None = None
        self.templates = {t.id: t for t in load_control_library()}
        self.index = CatalogueIndex(frameworks=[], risks=[])
        layout = QVBoxLayout(self)
        self.search = QLineEdit(self)
        self.search.setObjectName("librarySearch")
        self.search.setPlaceholderText("e.g. red team, least privilege, MEASURE 2.7, LLM01…")
        self.search.setClearButtonEnabled(True)
        layout.addWidget(self.search)
        self.model = QStandardItemModel(self)
        self.model.setHorizontalHeaderLabels(["Id", "Control", "Type", "Framework refs"])
        self.view = KeyboardTableView(self)  # Tab into it: a row is highlighted
        self.view.setObjectName("libraryResults")
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.verticalHeader().hide()
        self.view.verticalHeader().setDefaultSectionSize(24)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.resizeSection(0, 64)
        header.resizeSection(2, 90)
        header.resizeSection(3, 230)
        layout.addWidget(self.view, 1)
        self.description = QLabel(self)
        self.description.setWordWrap(True)
        layout.addWidget(self.description)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("&Use this…")
        buttons.accepted.connect(self.choose)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.search.textChanged.connect(self.refresh)
        self.view.selectionModel().currentRowChanged.connect(lambda *_: self._describe())
        self.view.doubleClicked.connect(lambda _i: self.choose())
        self.resize(760, 480)
        self.refresh()

    def refresh(self) -> None:
        query = self.search.text()
        if query.strip():
            ids = [h.ref for h in self.index.search(query, 40) if h.kind == "control"]
        else:
            ids = list(self.templates)
        self.model.removeRows(0, self.model.rowCount())
        for cid in ids:
            t = self.templates[cid]
            row = [
                QStandardItem(t.id),
                QStandardItem(t.name),
                QStandardItem(enums.ControlType(t.control_type).label),
                QStandardItem(t.refs_text),
            ]
            row[0].setData(t.id, ObjectRole)
            self.model.appendRow(row)
        if self.model.rowCount():
            self.view.selectRow(0)
        self._describe()

    def current(self) -> ControlTemplate | None:
        index = self.view.currentIndex()
        if not index.isValid():
            return None
        return self.templates[self.model.item(index.row(), 0).data(ObjectRole)]

    def _describe(self) -> None:
        template = self.current()
        self.description.setText(template.description if template else "")

    def choose(self) -> None:
        self.chosen = self.current()
        if self.chosen is not None:
            self.accept()


class LinkRisksDialog(QDialog):
    """Tick the risks a control mitigates; saved as one undoable action."""

    def __init__(
        self,
        service: RegisterService,
        history: EditHistory,
        control_id: int,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("linkRisksDialog")
        self.service, self.history, self.control_id = service, history, control_id
        control = service.get("control", control_id)
        self.setWindowTitle(f"Risks mitigated by “{control['name']}”")
        linked = set(linked_risk_ids(service, control_id))
        layout = QVBoxLayout(self)
        self.filter = QLineEdit(self)
        self.filter.setObjectName("riskFilter")
        self.filter.setPlaceholderText("Filter uses and risks…")
        self.filter.setClearButtonEnabled(True)
        layout.addWidget(self.filter)
        self.model = QStandardItemModel(self)
        self.model.setHorizontalHeaderLabels(["AI use / risk"])
        uses = {u["id"]: u["name"] for u in service.rows("ai_use", order_by="name")}
        parents: dict[int, QStandardItem] = {}
        for use_id, name in uses.items():
            item = QStandardItem(name)
            item.setEditable(False)
            parents[use_id] = item
        for risk_id, use_id, title in risk_titles(service):
            child = QStandardItem(title)
            child.setEditable(False)
            child.setCheckable(True)
            child.setCheckState(
                Qt.CheckState.Checked if risk_id in linked else Qt.CheckState.Unchecked
            )
            child.setData(risk_id, ObjectRole)
            parents[use_id].appendRow(child)
        for item in parents.values():
            if item.rowCount():
                self.model.appendRow(item)
        self.view = QTreeView(self)
        self.view.setObjectName("riskTree")
        self.view.setModel(self.model)
        self.view.setHeaderHidden(True)
        self.view.expandAll()
        layout.addWidget(self.view, 1)
        self.banner = QLabel(self)
        self.banner.setWordWrap(True)
        self.banner.setStyleSheet(BANNER_STYLE)
        self.banner.hide()
        layout.addWidget(self.banner)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.filter.textChanged.connect(self._filter)
        self.resize(520, 560)

    def risk_items(self) -> list[QStandardItem]:
        out: list[QStandardItem] = []
        for r in range(self.model.rowCount()):
            parent = self.model.item(r)
            out.extend(parent.child(c) for c in range(parent.rowCount()))
        return out

    def checked_ids(self) -> list[int]:
        return [
            int(i.data(ObjectRole))
            for i in self.risk_items()
            if i.checkState() == Qt.CheckState.Checked
        ]

    def _filter(self, text: str) -> None:
        words = text.casefold().split()
        root = QModelIndex()
        for r in range(self.model.rowCount()):
            parent = self.model.item(r)
            any_shown = False
            for c in range(parent.rowCount()):
                haystack = f"{parent.text()} {parent.child(c).text()}".casefold()
                shown = all(w in haystack for w in words)
                self.view.setRowHidden(c, parent.index(), not shown)
                any_shown = any_shown or shown
            self.view.setRowHidden(r, root, not any_shown)

    def save(self) -> None:
        try:
            self.history.run(
                "Link control to risks",
                lambda: set_control_risks(self.service, self.control_id, self.checked_ids()),
            )
        except (ServiceError, StoreError) as exc:
            self.banner.setText(str(exc))
            self.banner.show()
            return
        self.accept()
