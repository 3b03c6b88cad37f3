"""The Frameworks page (coverage per framework) and the Controls page that feeds it.

Coverage is what a board and an auditor ask about: which items of the AI RMF, the
OWASP lists or the EU AI Act do our controls address — implemented or tested, only
planned, or not at all. The figures come from ``service.frameworks`` (the same as
the CLI and the exports). Users add their own frameworks from a CSV file; they are
stored in the register, so adding or removing one is an undoable, audited action.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QModelIndex,
    QPersistentModelIndex,
    QStringListModel,
    Qt,
)
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListView,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableView,
    QTabWidget,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from riskdesk import enums
from riskdesk.catalogue import (
    CatalogueIndex,
    Framework,
    FrameworkFileError,
    FrameworkItem,
    find_item,
    load_control_library,
    load_framework_file,
    split_refs,
)
from riskdesk.catalogue.library import ControlTemplate
from riskdesk.service import queries
from riskdesk.service.errors import ServiceError, StoreError
from riskdesk.service.frameworks import (
    FrameworkCoverage,
    all_frameworks,
    control_values,
    coverage_by_framework,
    export_framework,
    linked_risk_ids,
    load_user_frameworks,
    remove_user_framework,
    risk_titles,
    set_control_risks,
    store_user_framework,
    user_frameworks,
    write_template,
)
from riskdesk.service.register import RegisterService
from riskdesk.ui.record_dialog import FieldSpec, RecordDialog
from riskdesk.ui.register_models import RegisterTableModel
from riskdesk.ui.suggestions_panel import BANNER_STYLE
from riskdesk.ui.table_model import Column, ListTableModel
from riskdesk.ui.table_page import TablePage
from riskdesk.ui.undo import EditHistory

AnyIndex = QModelIndex | QPersistentModelIndex
CSV_FILTER = "Framework files (*.csv);;All files (*)"
ObjectRole = Qt.ItemDataRole.UserRole + 1


# --- the Frameworks page ---------------------------------------------------------------


class CoverageTableModel(ListTableModel):
    NAME, ITEMS, COVERED, PLANNED, UNCOVERED, PERCENT = range(6)
    HEADERS = ("Framework", "Items", "Covered", "Planned only", "Uncovered", "Coverage")
    TIPS = (
        "",
        "Leaf items counted (e.g. the AI RMF's 72 subcategories)",
        "Cited by an implemented or tested control",
        "Cited only by planned controls",
        "Cited by no current control",
        "Covered ÷ items",
    )

    rows: list[FrameworkCoverage]

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role == Qt.ItemDataRole.ToolTipRole and orientation == Qt.Orientation.Horizontal:
            return self.TIPS[section] or None if 0 <= section < len(self.TIPS) else None
        return super().headerData(section, orientation, role)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        row = self.rows[index.row()]
        fw, cov = row.framework, row.coverage
        column = index.column()
        if role == ObjectRole:
            return row
        if role == Qt.ItemDataRole.TextAlignmentRole and column != self.NAME:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole and column == self.NAME:
            return fw.name + ("" if fw.builtin else " (added to this register)")
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        return {
            self.NAME: short_name(fw) + ("" if fw.builtin else " ★"),
            self.ITEMS: cov.total,
            self.COVERED: cov.covered_tested_or_implemented,
            self.PLANNED: cov.planned_only,
            self.UNCOVERED: cov.uncovered,
            self.PERCENT: f"{cov.percent:.1f}%",
        }.get(column)


def short_name(framework: Framework) -> str:
    """A name that fits a table column; the full one is in the tooltip and heading."""
    from riskdesk.ui.catalogue_dialog import SHORT_NAMES

    return SHORT_NAMES.get(framework.id, framework.name)


def _item_lines(items: tuple[FrameworkItem, ...]) -> list[str]:
    return [f"{i.ref} — {i.title}" for i in items]


class FrameworksPage(QWidget):
    """Coverage of each framework by the register's controls, and user frameworks."""

    def __init__(
        self, service: RegisterService, history: EditHistory, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("frameworksPage")
        self.service, self.history = service, history
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        intro = QLabel(
            "How much of each framework your controls address. Cite a framework item in a "
            "control's <i>Framework refs</i> (Controls page) to cover it.",
            self,
        )
        intro.setWordWrap(True)
        top.addWidget(intro, 1)
        self.add_button = self._button("Add framework from &file…", "addFrameworkButton", top)
        self.template_button = self._button("Export &template…", "exportTemplateButton", top)
        self.export_button = self._button("E&xport framework…", "exportFrameworkButton", top)
        self.remove_button = self._button("Remo&ve framework", "removeFrameworkButton", top)
        layout.addLayout(top)
        self.banner = QLabel(self)
        self.banner.setObjectName("errorBanner")
        self.banner.setWordWrap(True)
        self.banner.setStyleSheet(BANNER_STYLE)
        self.banner.hide()
        layout.addWidget(self.banner)

        split = QSplitter(Qt.Orientation.Horizontal, self)
        self.model = CoverageTableModel(self)
        self.view = QTableView(split)
        self.view.setObjectName("coverageTable")
        self.view.setAccessibleName("Framework coverage")
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setAlternatingRowColors(True)
        self.view.verticalHeader().hide()
        self.view.verticalHeader().setDefaultSectionSize(24)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(CoverageTableModel.NAME, QHeaderView.ResizeMode.Stretch)

        detail = QWidget(split)
        right = QVBoxLayout(detail)
        right.setContentsMargins(6, 0, 0, 0)
        self.heading = QLabel(detail)
        self.heading.setObjectName("frameworkHeading")
        self.heading.setWordWrap(True)
        self.heading.setTextFormat(Qt.TextFormat.RichText)
        self.heading.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        right.addWidget(self.heading)
        self.lists = QTabWidget(detail)
        self.lists.setObjectName("coverageLists")
        self.item_models: dict[str, QStringListModel] = {}
        for key in ("covered", "planned", "uncovered"):
            model = QStringListModel(self)
            view = QListView(self.lists)
            view.setObjectName(f"{key}Items")
            view.setAccessibleName(f"{key.capitalize()} items")
            view.setModel(model)
            view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
            view.setAlternatingRowColors(True)
            view.setWordWrap(True)  # AI RMF items are whole sentences
            view.setResizeMode(QListView.ResizeMode.Adjust)
            view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
            self.item_models[key] = model
            self.lists.addTab(view, key)
        right.addWidget(self.lists, 1)
        note = QLabel(
            "Counted over each framework's leaf items. Lapsed and retired controls count for "
            "nothing; a control citing a whole category (e.g. GOVERN 1) covers none of its "
            "items. ★ = added to this register.",
            detail,
        )
        note.setWordWrap(True)
        right.addWidget(note)
        split.addWidget(self.view)
        split.addWidget(detail)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        layout.addWidget(split, 1)

        self.add_button.clicked.connect(self.choose_framework_file)
        self.template_button.clicked.connect(self.choose_template_path)
        self.export_button.clicked.connect(self.choose_export_path)
        self.remove_button.clicked.connect(self.remove_selected)
        self.view.selectionModel().currentRowChanged.connect(lambda *_: self._show_selected())
        self.reload()

    def _button(self, text: str, name: str, row: QHBoxLayout) -> QPushButton:
        button = QPushButton(text, self)
        button.setObjectName(name)
        row.addWidget(button, 0, Qt.AlignmentFlag.AlignTop)
        return button

    # --- state ---------------------------------------------------------------------
    def reload(self) -> None:
        selected = self.selected()
        keep = selected.framework.id if selected else None
        _frameworks, problems = load_user_frameworks(self.service)
        self.model.set_rows(coverage_by_framework(self.service))
        if problems:
            self.banner.setText(
                "Some frameworks stored in this register cannot be read: "
                + "; ".join(str(p) for p in problems)
            )
            self.banner.show()
        else:
            self.banner.hide()
        row = next((n for n, r in enumerate(self.model.rows) if r.framework.id == keep), 0)
        if self.model.rows:
            self.view.selectRow(row)
        self._show_selected()

    def selected(self) -> FrameworkCoverage | None:
        index = self.view.currentIndex()
        if not index.isValid() or index.row() >= len(self.model.rows):
            return None
        return self.model.rows[index.row()]

    def select_framework(self, framework_id: str) -> None:
        for n, row in enumerate(self.model.rows):
            if row.framework.id == framework_id:
                self.view.selectRow(n)
                return

    def _show_selected(self) -> None:
        row = self.selected()
        self.remove_button.setEnabled(row is not None and not row.framework.builtin)
        self.export_button.setEnabled(row is not None)
        if row is None:
            self.heading.setText("")
            for model in self.item_models.values():
                model.setStringList([])
            return
        fw, cov = row.framework, row.coverage
        esc = _html
        facts = [f"<b>{esc(fw.name)}</b>"]
        if fw.version:
            facts.append(f"Version: {esc(fw.version)}")
        if fw.source:
            facts.append(f"Source: {esc(fw.source)}")
        if fw.licence:
            facts.append(f"Licence: {esc(fw.licence)}")
        facts.append(
            f"<b>{cov.percent:.1f}%</b> of {cov.total} items covered by implemented or tested "
            f"controls; {cov.planned_percent:.1f}% once planned controls are in place."
        )
        self.heading.setText("<br>".join(facts))
        lists = {
            "covered": (cov.covered_items, "Covered"),
            "planned": (cov.planned_only_items, "Planned only"),
            "uncovered": (cov.uncovered_items, "Uncovered"),
        }
        for n, (key, (items, title)) in enumerate(lists.items()):
            self.item_models[key].setStringList(_item_lines(items))
            self.lists.setTabText(n, f"{title} ({len(items)})")

    # --- actions -------------------------------------------------------------------
    def show_message(self, title: str, text: str) -> None:
        QMessageBox.warning(self, title, text)

    def choose_framework_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Add framework from file", "", CSV_FILTER)
        if path:
            self.add_framework_file(path)

    def add_framework_file(self, path: str | Path) -> Framework | None:
        """Validate and store a framework file; a bad file is refused with its
        file/row/column message and changes nothing."""
        try:
            framework = load_framework_file(path)
        except FrameworkFileError as exc:
            self.show_message("Cannot add framework", f"Nothing was added.\n\n{exc}")
            return None
        replace = False
        if any(fw.id == framework.id for fw in user_frameworks(self.service)):
            answer = QMessageBox.question(
                self,
                "Replace framework",
                f"This register already has a framework with id “{framework.id}”. "
                "Replace it with the file's version? (You can undo this.)",
            )
            if answer != QMessageBox.StandardButton.Yes:
                return None
            replace = True
        try:
            self.history.run(
                f"Add framework “{framework.name}”",
                lambda: store_user_framework(self.service, framework, replace=replace),
            )
        except (ServiceError, StoreError) as exc:
            self.show_message("Cannot add framework", str(exc))
            return None
        self.reload()
        self.select_framework(framework.id)
        return framework

    def choose_template_path(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, "Export framework template", "my-framework.csv", CSV_FILTER
        )
        if path:
            self._write(lambda: write_template(path))

    def choose_export_path(self) -> None:
        row = self.selected()
        if row is None:
            return
        path, _ = QFileDialog.getSaveFileName(
            self, "Export framework", f"{row.framework.id}.csv", CSV_FILTER
        )
        if path:
            self._write(lambda: export_framework(row.framework, path))

    def _write(self, fn: Any) -> None:
        try:
            fn()
        except OSError as exc:
            self.show_message("Cannot write the file", str(exc))

    def remove_selected(self) -> None:
        row = self.selected()
        if row is None or row.framework.builtin:
            return
        name = row.framework.name
        answer = QMessageBox.question(
            self,
            "Remove framework",
            f"Remove “{name}” from this register? Controls keep their references. "
            "You can undo this with Ctrl+Z.",
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        try:
            self.history.run(
                f"Remove framework “{name}”",
                lambda: remove_user_framework(self.service, row.framework.id),
            )
        except (ServiceError, StoreError) as exc:
            self.show_message("Cannot remove framework", str(exc))


def _html(text: str) -> str:
    import html

    return html.escape(text)


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
    FieldSpec("evidence", "&Evidence", "text"),
]
REFS_PLACEHOLDER = "e.g. GOVERN 1.6, MANAGE 2.4, LLM01 — items this control addresses"


class ControlTableModel(RegisterTableModel):
    ID, NAME, TYPE, STATUS, OWNER, REFS, TESTED, RISKS = range(8)
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
    )


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


def refs_feedback_html(text: str, frameworks: list[Framework]) -> str:
    """Say what each ref is — or that it counts for nothing — as the user types."""
    lines = []
    for ref in split_refs(text):
        found = find_item(ref, frameworks)
        if found is None:
            lines.append(f"<b>{_html(ref)}</b>: not an item of any framework riskdesk knows")
            continue
        framework, item = found
        leaf = not framework.children(item.ref)
        note = "" if leaf else " — a whole group: covers none of its items; cite those instead"
        lines.append(
            f"<b>{_html(item.ref)}</b> ({_html(short_name(framework))}): "
            f"{_html(item.title)}{_html(note)}"
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
        feedback.setText(refs_feedback_html(text, frameworks))
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
            ControlTableModel(queries.controls(service), parent),
            on_open=lambda key: self.edit(key),
            on_add=lambda: self.edit(None),
            on_delete=on_delete,
            add_text="&Add control…",
            parent=parent,
            noun=("control", "controls"),
            empty_text="<b>No controls yet.</b><br>Controls are what you do to keep risks down (reviews, tests, training); link them to risks and frameworks.",  # noqa: E501
            empty_actions=[
                ("&Add control…", lambda: self.edit(None)),
                ("Add from &library…", lambda: self.add_from_library()),
            ],
        )
        self.service, self.history = service, history
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
        self.view = QTableView(self)
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
