"""The Frameworks page: coverage per framework (the Controls page feeding it is ``controls.py``).

Coverage is what a board and an auditor ask about: which items of the AI RMF, the
OWASP lists or the EU AI Act do our controls address — implemented or tested, only
planned, or not at all. The figures come from ``service.frameworks`` (the same as
the CLI and the exports). Users add their own frameworks from a CSV file; they are
stored in the register, so adding or removing one is an undoable, audited action.
"""

from __future__ import annotations

from html import escape
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QModelIndex,
    QPersistentModelIndex,
    QStringListModel,
    Qt,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListView,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from riskdesk.catalogue import (
    Framework,
    FrameworkFileError,
    FrameworkItem,
    load_framework_file,
)
from riskdesk.service.errors import ServiceError, StoreError
from riskdesk.service.frameworks import (
    FrameworkCoverage,
    coverage_by_framework,
    export_framework,
    load_user_frameworks,
    remove_user_framework,
    store_user_framework,
    user_frameworks,
    write_template,
)
from riskdesk.service.register import RegisterService
from riskdesk.ui.editors.use_suggestions_tab import BANNER_STYLE
from riskdesk.ui.models.table_model import ListTableModel
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
    from riskdesk.ui.dialogs.catalogue import SHORT_NAMES

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
        # Alt+F, Alt+E, Alt+V… stay the menu bar's (an equal letter here took them over)
        self.add_button = self._button("&Add framework from file…", "addFrameworkButton", top)
        self.template_button = self._button("Export &template…", "exportTemplateButton", top)
        self.export_button = self._button("E&xport framework…", "exportFrameworkButton", top)
        self.remove_button = self._button("&Remove framework", "removeFrameworkButton", top)
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
        esc = escape
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
            "covered": (cov.covered_items, "&Covered"),
            "planned": (cov.planned_only_items, "&Planned only"),
            "uncovered": (cov.uncovered_items, "&Uncovered"),
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
