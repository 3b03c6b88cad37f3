"""The import wizard's data: the column-mapping and preview table models, their texts.

No page or wizard here: what the tables show is built from an ``ImportPlan`` or a
``RiskdeskBook`` and the service's ``ImportReport``, so it can be tested alone.
"""

from __future__ import annotations

import copy
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import QComboBox, QStyledItemDelegate, QStyleOptionViewItem, QWidget

from riskdesk.enums import Stage
from riskdesk.importers import ImportPlan, Mapping, RawTable
from riskdesk.importers.errors import ImportProblem
from riskdesk.importers.fields import FIELDS, REQUIRED_FIELD
from riskdesk.importers.mapping import ColumnMap
from riskdesk.importers.riskdesk_format import FORMAT as RISKDESK
from riskdesk.importers.riskdesk_format import RiskdeskBook
from riskdesk.importers.values import header_key
from riskdesk.service.importing import ImportReport

FORMAT_CHOICES: tuple[tuple[str, str], ...] = (
    ("auto", "Recognise it (recommended)"),
    ("table", "A spreadsheet of AI uses (match its columns)"),
    ("omb-2023", "US federal inventory, 2023 (EO 13960)"),
    ("omb-2024", "US federal inventory, 2024 (M-24-10)"),
    ("omb-2025", "US federal inventory, 2025 (M-25-21)"),
    (RISKDESK, "riskdesk export (Excel or CSV tables)"),
)
FORMAT_NAMES = {
    "table": "a spreadsheet of AI uses",
    "omb-2023": "the US federal AI inventory, 2023 format (EO 13960)",
    "omb-2024": "the US federal AI inventory, 2024 format (M-24-10)",
    "omb-2025": "the US federal AI inventory, 2025 format (M-25-21)",
    RISKDESK: "a riskdesk export",
}
FILE_FILTER = "Spreadsheets (*.xlsx *.xlsm *.csv *.txt *.zip);;All files (*)"
MAPPING_FILTER = "Column mappings (*.json);;All files (*)"
SETTING_FOLDER = "import/folder"
SETTING_MAPPINGS = "import/mapping_folder"
KEEP = "— keep in the source record —"
SAMPLES = 3
SAMPLE_CHARS = 40
PROBLEM_COLOUR = QColor("#f8d7da")
WARNING_COLOUR = QColor("#fff3cd")
HINT_STYLE = "color: #52606d;"
ROW_HINT = "Select a row to read all its problems and warnings."
AnyIndex = QModelIndex | QPersistentModelIndex
PAGE_FILE, PAGE_SHEET, PAGE_MAPPING, PAGE_PREVIEW, PAGE_IMPORT, PAGE_SUMMARY = range(6)
PAGE_VALUES = 6  # "Translate values": shown between the mapping and the preview


# --- the column mapping ------------------------------------------------------------------


def _sample_text(value: object) -> str:
    text = " ".join(str(value).split())
    return text if len(text) <= SAMPLE_CHARS else text[: SAMPLE_CHARS - 1] + "…"


class MappingModel(QAbstractTableModel):
    """One row per column of the file: its header, sample values and the field it fills."""

    COLUMN, SAMPLES, FIELD = range(3)
    HEADERS = ("Column in the file", "Sample values", "riskdesk field")
    mapping_changed = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.table: RawTable | None = None
        self._mapping = Mapping()
        self._original: dict[str, ColumnMap] = {}
        self._headers: list[str] = []
        self._letters: list[str] = []
        self._samples: list[str] = []

    def load(self, table: RawTable, mapping: Mapping) -> None:
        self.beginResetModel()
        self.table = table
        self._headers, self._letters = list(table.headers), list(table.letters)
        self._samples = []
        for index in range(len(table.headers)):
            seen: dict[str, None] = {}
            for row in table.rows:
                value = row.values[index]
                if value is not None and str(value).strip():
                    seen.setdefault(_sample_text(value), None)
                    if len(seen) == SAMPLES:
                        break
            self._samples.append("  ·  ".join(seen))
        self._mapping = copy.deepcopy(mapping)
        by_key = {header_key(h): c for h, c in mapping.columns.items()}
        self._mapping.columns = {
            h: copy.deepcopy(mapping.columns.get(h) or by_key.get(header_key(h)) or ColumnMap())
            for h in self._headers
        }
        self._original = copy.deepcopy(self._mapping.columns)
        self.endResetModel()
        self.mapping_changed.emit()

    def mapping(self) -> Mapping:
        return copy.deepcopy(self._mapping)

    def field_of(self, row: int) -> str | None:
        return self._mapping.columns[self._headers[row]].field

    def fields(self) -> dict[str, str | None]:
        return self._mapping.fields()

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._headers)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return self.HEADERS[section]
        return str(section + 1)

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.column() == self.FIELD:
            return base | Qt.ItemFlag.ItemIsEditable
        return base

    def _shared(self) -> set[str]:
        """Fields filled by several columns where only the first value counts."""
        counts: dict[str, int] = defaultdict(int)
        for column in self._mapping.columns.values():
            if column.field:
                counts[column.field] += 1
        joined = ("text", "long_text", "bool", "impact")
        return {f for f, n in counts.items() if n > 1 and FIELDS[f].kind.value not in joined}

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row, col = index.row(), index.column()
        header, name = self._headers[row], self.field_of(row)
        if role == Qt.ItemDataRole.DisplayRole:
            if col == self.COLUMN:
                return f"{self._letters[row]}   {header}"
            if col == self.SAMPLES:
                return self._samples[row]
            return FIELDS[name].label if name else KEEP
        if role == Qt.ItemDataRole.EditRole:
            return name or "" if col == self.FIELD else self.data(index)
        if role == Qt.ItemDataRole.ToolTipRole:
            if col == self.COLUMN:
                return header
            if col == self.SAMPLES:
                return self._samples[row]
            if name in self._shared():
                return "Several columns fill this field: each row's first non-empty value counts."
            return "Kept with each use as its source record" if not name else FIELDS[name].label
        if role == Qt.ItemDataRole.ForegroundRole and col == self.FIELD and not name:
            return QBrush(QColor("#6b7785"))
        if role == Qt.ItemDataRole.FontRole and col == self.FIELD and name == REQUIRED_FIELD:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.BackgroundRole and col == self.FIELD and name in self._shared():
            return QBrush(WARNING_COLOUR)
        return None

    def setData(self, index: AnyIndex, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or index.column() != self.FIELD or role != Qt.ItemDataRole.EditRole:
            return False
        name = str(value) if value else None
        if name is not None and name not in FIELDS:
            return False
        header = self._headers[index.row()]
        if self._mapping.columns[header].field == name:
            return False
        original = self._original[header]
        # Back to the suggested field: its answer translations come back too.
        self._mapping.columns[header] = (
            copy.deepcopy(original) if original.field == name else ColumnMap(field=name)
        )
        self.dataChanged.emit(
            self.index(0, self.FIELD), self.index(self.rowCount() - 1, self.FIELD)
        )
        self.mapping_changed.emit()
        return True

    def apply(self, mapping: Mapping) -> list[str]:
        """Take a saved mapping's columns (matched by header); the headers it lacks."""
        by_key = {header_key(h): c for h, c in mapping.columns.items()}
        missing = [
            h
            for h, c in mapping.columns.items()
            if c.field and header_key(h) not in {header_key(x) for x in self._headers}
        ]
        self.beginResetModel()
        options = copy.deepcopy(mapping)
        options.columns = {
            h: copy.deepcopy(mapping.columns.get(h) or by_key.get(header_key(h)) or ColumnMap())
            for h in self._headers
        }
        self._mapping = options
        self._original = copy.deepcopy(options.columns)
        self.endResetModel()
        self.mapping_changed.emit()
        return missing


class FieldDelegate(QStyledItemDelegate):
    """A combo box of riskdesk's fields; the choice is committed as soon as it is made."""

    def createEditor(
        self, parent: QWidget, option: QStyleOptionViewItem, index: AnyIndex
    ) -> QWidget:
        combo = QComboBox(parent)
        combo.setObjectName("fieldCombo")
        combo.addItem(KEEP, "")
        for name, spec in sorted(FIELDS.items(), key=lambda item: item[1].label.casefold()):
            combo.addItem(spec.label, name)
        combo.setMaxVisibleItems(20)
        combo.currentIndexChanged.connect(lambda _i, c=combo: self.commitData.emit(c))
        return combo

    def setEditorData(self, editor: QWidget, index: AnyIndex) -> None:
        assert isinstance(editor, QComboBox)
        editor.blockSignals(True)
        editor.setCurrentIndex(max(0, editor.findData(index.data(Qt.ItemDataRole.EditRole) or "")))
        editor.blockSignals(False)

    def setModelData(self, editor: QWidget, model: Any, index: AnyIndex) -> None:
        assert isinstance(editor, QComboBox)
        model.setData(index, editor.currentData(), Qt.ItemDataRole.EditRole)


# --- the preview --------------------------------------------------------------------------


@dataclass
class PreviewRow:
    sheet: str | None
    row: int | None
    cells: list[str]
    problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


_PLAN_COLUMNS: tuple[tuple[str, str], ...] = (
    ("name", "Name"),
    ("department", "Department"),
    ("stage", "Stage"),
    ("impact", "Impact"),
    ("vendor_name", "Vendor"),
    ("owner_first_name", "1st-line owner"),
)
MESSAGES = "Problems and warnings"


def _shown(value: object) -> str:
    if value is True:
        return "Yes"
    if value is False or value is None:
        return ""
    return _sample_text(value) if isinstance(value, str) else str(value)


def located(problem: ImportProblem) -> str:
    """A problem without the file's name, which the wizard shows once, above."""
    parts = []
    if problem.sheet is not None:
        parts.append(f"sheet “{problem.sheet}”")
    if problem.row is not None:
        parts.append(f"row {problem.row}")
    if problem.column is not None:
        parts.append(f"column “{problem.column}” ({problem.column_letter})")
    return f"{', '.join(parts)}: {problem.reason}" if parts else problem.reason


def _messages(report: ImportReport) -> tuple[dict[tuple[str | None, int], list[str]], ...]:
    problems: dict[tuple[str | None, int], list[str]] = defaultdict(list)
    warnings: dict[tuple[str | None, int], list[str]] = defaultdict(list)
    for target, items in ((problems, report.problems), (warnings, report.warnings)):
        for p in items:
            if p.row is not None:
                where = f"“{p.column}” ({p.column_letter}): " if p.column else ""
                target[(p.sheet, p.row)].append(where + p.reason)
    return problems, warnings


def _cell(values: dict[str, object], name: str) -> str:
    if name == "impact":
        flags = (("rights_impacting", "rights"), ("safety_impacting", "safety"))
        return ", ".join(label for key, label in flags if values.get(key))
    if name == "stage" and values.get("stage"):
        return Stage(str(values["stage"])).label
    return _shown(values.get(name))


def plan_preview(plan: ImportPlan, report: ImportReport) -> tuple[list[str], list[PreviewRow]]:
    """Rows of a table import: the main values as mapped, and each row's messages."""
    problems, warnings = _messages(report)
    table = [[_cell(r.values, name) for name, _label in _PLAN_COLUMNS] for r in plan.rows]
    # Columns the file leaves empty throughout are not worth the room.
    kept = [i for i in range(len(_PLAN_COLUMNS)) if i == 0 or any(row[i] for row in table)]
    rows = []
    for mapped, cells in zip(plan.rows, table, strict=True):
        key = (plan.sheet, mapped.source_row)
        shown = [cells[i] for i in kept]
        rows.append(PreviewRow(plan.sheet, mapped.source_row, shown, problems[key], warnings[key]))
    return ["Row", *(_PLAN_COLUMNS[i][1] for i in kept), MESSAGES], rows


def book_preview(book: RiskdeskBook, report: ImportReport) -> tuple[list[str], list[PreviewRow]]:
    problems, warnings = _messages(report)
    rows = []
    for sheet in book.sheets.values():
        label = next((n for n in ("name", "title", "question") if n in sheet.columns), None)
        for record in sheet.records:
            key = (sheet.name, record.row)
            shown = _shown(record.values.get(label)) if label else ""
            ident = record.values.get("id")
            rows.append(
                PreviewRow(
                    sheet.name,
                    record.row,
                    [sheet.name, "" if ident is None else str(ident), shown],
                    problems[key],
                    warnings[key],
                )
            )
    return ["Row", "Sheet", "ID", "Record", MESSAGES], rows


class PreviewModel(QAbstractTableModel):
    """The rows about to be imported; rows with problems red, with warnings yellow."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._headers: list[str] = []
        self._all: list[PreviewRow] = []
        self._rows: list[PreviewRow] = []
        self.only_flagged = False

    def load(self, headers: Sequence[str], rows: list[PreviewRow]) -> None:
        self.beginResetModel()
        self._headers, self._all = list(headers), rows
        self._filter()
        self.endResetModel()

    def set_only_flagged(self, only: bool) -> None:
        self.beginResetModel()
        self.only_flagged = only
        self._filter()
        self.endResetModel()

    def _filter(self) -> None:
        self._rows = (
            [r for r in self._all if r.problems or r.warnings] if self.only_flagged else self._all
        )

    def row_at(self, row: int) -> PreviewRow:
        return self._rows[row]

    @property
    def flagged(self) -> tuple[int, int]:
        """(rows with problems, rows with warnings only)."""
        bad = sum(1 for r in self._all if r.problems)
        return bad, sum(1 for r in self._all if r.warnings and not r.problems)

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._headers)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self._headers[section]
        return None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        item = self._rows[index.row()]
        col, last = index.column(), len(self._headers) - 1
        if role == Qt.ItemDataRole.DisplayRole:
            if col == 0:
                return "" if item.row is None else str(item.row)
            if col == last:
                messages = item.problems or item.warnings
                more = len(item.problems) + len(item.warnings) - 1
                return messages[0] + (f"  (+{more} more)" if more > 0 else "") if messages else ""
            return item.cells[col - 1]
        if role == Qt.ItemDataRole.ToolTipRole and (item.problems or item.warnings):
            lines = [f"Problem: {m}" for m in item.problems] + [
                f"Warning: {m}" for m in item.warnings
            ]
            return "\n".join(lines)
        if role == Qt.ItemDataRole.BackgroundRole:
            if item.problems:
                return QBrush(PROBLEM_COLOUR)
            if item.warnings:
                return QBrush(WARNING_COLOUR)
        if role == Qt.ItemDataRole.TextAlignmentRole and col == 0:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None
