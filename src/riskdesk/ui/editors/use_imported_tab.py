"""The use editor's "Imported details" tab: the source file's columns kept with the use.

An import keeps every column riskdesk does not map (and the original wording of an
answer it could not read) as the use's source record; until now it could only be read
as JSON in an export. The tab lists each column and its value, and beside a column
whose wording suggests an answer to an exposure question, that suggestion (which the
Classify dialog offers too, marked as such). Built in code and added by
``add_imported_tab`` so the Designer form stays as it is.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from riskdesk import enums
from riskdesk.scoring.exposure import QUESTIONS as TITLES
from riskdesk.service.imported_details import ImportedDetail, detail_suggests, imported_details
from riskdesk.ui.models.table_model import AnyIndex, ListTableModel

if TYPE_CHECKING:
    from riskdesk.ui.editors.use_editor import UseEditor

_ENUMS: dict[str, type[enums.LabelledEnum]] = {
    "decision_role": enums.DecisionRole,
    "autonomy": enums.Autonomy,
    "data_sensitivity": enums.DataSensitivity,
    "harm_severity": enums.HarmSeverity,
    "reversibility": enums.Reversibility,
}


def _answer_text(field: str, value: Any) -> str:
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if field == "people_affected":
        return f"{int(value):,}"
    enum = _ENUMS.get(field)
    return enum(value).label if enum is not None else str(value)


def suggestion_text(detail: ImportedDetail) -> str:
    """What the column's wording suggests ("Data sensitivity: Personal"), or ""."""
    found = detail_suggests(detail)
    return "; ".join(f"{TITLES.get(f, f)}: {_answer_text(f, v)}" for f, v in found.items())


class ImportedDetailsModel(ListTableModel):
    COLUMN, VALUE, SUGGESTS = range(3)
    HEADERS = ("Column in the file", "Value", "Suggests (to check in Classify…)")

    def __init__(self, details: list[ImportedDetail], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.rows = list(details)
        self.suggests = [suggestion_text(d) for d in details]

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        detail, col = self.rows[index.row()], index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            text = (detail.column, detail.value, self.suggests[index.row()])[col]
            if role == Qt.ItemDataRole.DisplayRole:
                return " ".join(text.split())  # one line in the table; the tooltip keeps all
            return text or None
        return None


class ImportedDetailsPanel(QWidget):
    """The kept columns of one use (``imported_details``, read through the service)."""

    def __init__(self, details: list[ImportedDetail], parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("importedDetailsPanel")
        self.model = ImportedDetailsModel(details, self)
        intro = QLabel(
            "The columns of the imported file that riskdesk keeps with this use, as the file "
            "wrote them. Where a column's wording suggests an answer to an exposure "
            "question, Classify… offers it, marked as a suggestion to check.",
            self,
        )
        intro.setWordWrap(True)
        self.view = QTableView(self)
        self.view.setObjectName("importedDetails")
        self.view.setAccessibleName("Imported details")
        self.view.setModel(self.model)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setAlternatingRowColors(True)
        self.view.setWordWrap(False)
        self.view.verticalHeader().hide()
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(ImportedDetailsModel.VALUE, QHeaderView.ResizeMode.Stretch)
        self.view.setColumnWidth(ImportedDetailsModel.COLUMN, 220)
        self.view.setColumnWidth(ImportedDetailsModel.SUGGESTS, 260)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.view, 1)


def add_imported_tab(editor: UseEditor) -> ImportedDetailsPanel | None:
    """Add the tab to a saved use's editor when its import kept any columns."""
    # Read before building: a panel built and then deleted leaves a dying model behind
    # for anything that walks the editor's children meanwhile.
    details = [] if editor.use_id is None else imported_details(editor.service, editor.use_id)
    if not details:
        return None
    panel = ImportedDetailsPanel(details, editor.ui.tabs)
    editor.ui.tabs.addTab(panel, f"Imported details ({panel.model.rowCount()})")
    return panel
