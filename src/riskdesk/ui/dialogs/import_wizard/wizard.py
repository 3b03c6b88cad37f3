"""File ▸ Import…: a wizard from a spreadsheet to AI uses in the register.

Pick a file → a sheet (workbooks with several) → the column mapping, suggested from
the headers and editable per column, savable for next quarter's file → a preview of
every row with its problems, checked by the service in a rolled-back dry run → the
import, with progress and cancel → a summary. riskdesk's own exports need no mapping
and go straight to the preview.

Checking and importing run as jobs (``ui/jobs.py``): the worker only calls the
importer — it never touches a widget. The import is one transaction:
cancelling rolls it back. Once written it is ONE undoable action: the worker's
``ActionResult`` goes through ``history.run`` on the GUI thread.
"""

from __future__ import annotations

import copy
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSettings,
    QStandardPaths,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QCloseEvent, QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from riskdesk.enums import Stage
from riskdesk.importers import (
    ImportFileError,
    ImportPlan,
    Mapping,
    RawTable,
    detect_format,
    list_sheets,
    omb_mapping,
    read_inventory,
    read_table,
    suggest_mapping,
)
from riskdesk.importers.errors import ImportProblem
from riskdesk.importers.fields import FIELDS, REQUIRED_FIELD
from riskdesk.importers.mapping import ColumnMap
from riskdesk.importers.omb import is_inventory_header
from riskdesk.importers.riskdesk_format import FORMAT as RISKDESK
from riskdesk.importers.riskdesk_format import RiskdeskBook, read_riskdesk
from riskdesk.importers.values import header_key
from riskdesk.progress import CancelFn, Cancelled, ProgressFn
from riskdesk.service.importing import (
    ImportCancelled,
    ImportReport,
    detect_file_format,
    import_book,
    import_plan,
)
from riskdesk.service.register import RegisterService
from riskdesk.ui.jobs import Jobs, describe_error
from riskdesk.ui.undo import EditHistory

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


# --- the worker ---------------------------------------------------------------------------


def _job_error(exc: Exception) -> str:
    """A failed read or import in plain words (a file problem names its row and column)."""
    if isinstance(exc, ImportFileError):
        return str(exc.problem)
    return describe_error(exc)


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

    def setData(
        self,
        index: AnyIndex,
        value: Any,
        role: int = Qt.ItemDataRole.EditRole,
    ) -> bool:
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
        self,
        parent: QWidget,
        option: QStyleOptionViewItem,
        index: AnyIndex,
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


# --- the wizard's state -------------------------------------------------------------------


@dataclass
class ImportState:
    path: Path | None = None
    fmt: str = "auto"  # as chosen
    detected: str = "table"  # what the file turned out to be
    sheets: list[str] = field(default_factory=list)
    sheet: str | None = None
    table: RawTable | None = None
    plan: ImportPlan | None = None
    book: RiskdeskBook | None = None
    preview: ImportReport | None = None
    report: ImportReport | None = None
    outcome: str = ""  # "done", "cancelled" or the failure's message


def _hint(text: str = "") -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setStyleSheet(HINT_STYLE)
    return label


def _count(n: int, one: str, many: str) -> str:
    return f"{n:,} {one if n == 1 else many}"


NOUNS: dict[str, tuple[str, str]] = {
    "ai_use": ("AI use", "AI uses"),
    "vendor": ("vendor", "vendors"),
    "person": ("person", "people"),
    "control": ("control", "controls"),
    "risk": ("risk", "risks"),
    "incident": ("incident", "incidents"),
    "challenge": ("challenge", "challenges"),
    "review": ("review", "reviews"),
    "risk_control": ("risk–control link", "risk–control links"),
    "incident_risk": ("incident–risk link", "incident–risk links"),
    "setting": ("setting", "settings"),
    "org_profile": ("organisation profile", "organisation profiles"),
}


def created_text(created: dict[str, int]) -> str:
    order = list(NOUNS)
    ranked = sorted(created.items(), key=lambda i: order.index(i[0]) if i[0] in order else 99)
    parts = [_count(n, *NOUNS.get(e, (e, e))) for e, n in ranked if n]
    return ", ".join(parts) if parts else "nothing"


def matched_text(matched: dict[str, int]) -> str:
    return ", ".join(_count(n, *NOUNS.get(e, (e, e))) for e, n in matched.items())


class FilePage(QWizardPage):
    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self.setObjectName("importFilePage")
        self.owner = wizard
        self.setTitle("Choose the file")
        self.setSubTitle(
            "An Excel workbook or CSV file of AI uses: your own register, a US federal "
            "AI use-case inventory, or a riskdesk export."
        )
        self.path = QLineEdit(self)
        self.path.setObjectName("importPath")
        self.path.setPlaceholderText("Choose a .xlsx or .csv file…")
        self.path.textChanged.connect(self.completeChanged)
        browse = QPushButton("&Browse…", self)
        browse.setObjectName("importBrowse")
        browse.clicked.connect(self._browse)
        self.format = QComboBox(self)
        self.format.setObjectName("importFormat")
        for key, text in FORMAT_CHOICES:
            self.format.addItem(text, key)
        self.message = QLabel(self)
        self.message.setObjectName("importFileMessage")
        self.message.setWordWrap(True)
        row = QHBoxLayout()
        row.addWidget(self.path, 1)
        row.addWidget(browse)
        file_label = QLabel("&File:", self)
        file_label.setBuddy(self.path)
        form = QFormLayout()
        form.addRow(file_label, row)
        form.addRow("&What it is:", self.format)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(
            _hint(
                "Columns are matched by their headers (you can change every match on the "
                "next pages), values like “Live”, “Safety-Impacting” or “1,200” are read "
                "as riskdesk's, and every column riskdesk does not use is kept with the use "
                "as its source record. Nothing is written until you press Import, and the "
                "import can be undone."
            )
        )
        layout.addWidget(self.message)
        layout.addStretch(1)

    def _browse(self) -> None:
        start = self.path.text() or str(self.owner.folder())
        path, _ = QFileDialog.getOpenFileName(self, "Import from", start, FILE_FILTER)
        if path:
            self.path.setText(path)

    def isComplete(self) -> bool:
        text = self.path.text().strip()
        return bool(text) and Path(text).expanduser().exists()

    def validatePage(self) -> bool:
        state = self.owner.state
        path = Path(self.path.text().strip()).expanduser()
        fmt = str(self.format.currentData())
        self.message.clear()
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            detected = detect_file_format(path) if fmt in ("auto", RISKDESK) else None
            if fmt == RISKDESK and detected != RISKDESK:
                read_riskdesk(path)  # raises, saying why it is not an export
            sheets = [] if detected == RISKDESK or path.is_dir() else list_sheets(path)
        except ImportFileError as exc:
            self.message.setText(f"<b>This file cannot be imported.</b> {exc.problem}")
            return False
        finally:
            QApplication.restoreOverrideCursor()
        if (state.path, state.fmt) != (path, fmt):
            state.table, state.sheet = None, None
        state.path, state.fmt, state.sheets = path, fmt, sheets
        state.detected = RISKDESK if RISKDESK in (detected, fmt) else "table"
        # A file with one table is read now, so a broken one is said about here.
        if state.detected != RISKDESK and len(sheets) <= 1 and not self.owner.read(None):
            self.message.setText(f"<b>This file cannot be imported.</b> {self.owner.error}")
            return False
        self.owner.settings_set(SETTING_FOLDER, str(path.parent))
        return True

    def nextId(self) -> int:
        state = self.owner.state
        if state.detected == RISKDESK:
            return PAGE_PREVIEW
        return PAGE_SHEET if len(state.sheets) > 1 else PAGE_MAPPING


class SheetPage(QWizardPage):
    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self.setObjectName("importSheetPage")
        self.owner = wizard
        self.setTitle("Choose the sheet")
        self.setSubTitle("The workbook has several sheets; which one lists the AI uses?")
        self.sheets = QListWidget(self)
        self.sheets.setObjectName("importSheets")
        self.sheets.currentRowChanged.connect(self.completeChanged)
        self.hint = _hint()
        layout = QVBoxLayout(self)
        layout.addWidget(self.sheets, 1)
        layout.addWidget(self.hint)

    def initializePage(self) -> None:
        state = self.owner.state
        self.sheets.clear()
        for name in state.sheets:
            self.sheets.addItem(QListWidgetItem(name))
        best = state.sheet if state.sheet in state.sheets else None
        if best is None and self.owner.read(None):
            best = state.sheet
        self.sheets.setCurrentRow(state.sheets.index(best) if best in state.sheets else 0)
        self.hint.setText(f"“{best}” looks most like a register of AI uses." if best else "")

    def isComplete(self) -> bool:
        return self.sheets.currentItem() is not None

    def validatePage(self) -> bool:
        item = self.sheets.currentItem()
        if item is None:
            return False
        if not self.owner.read(item.text()):
            self.hint.setText(f"<b>This sheet cannot be imported.</b> {self.owner.error}")
            return False
        return True


class MappingPage(QWizardPage):
    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self.setObjectName("importMappingPage")
        self.owner = wizard
        self.setTitle("Match the columns")
        self.setSubTitle("Each column of the file and the riskdesk field it fills.")
        self.found = QLabel(self)
        self.found.setObjectName("importFound")
        self.found.setWordWrap(True)
        self.model = MappingModel(self)
        self.model.mapping_changed.connect(self._changed)
        self.view = QTableView(self)
        self.view.setObjectName("importMapping")
        self.view.setModel(self.model)
        self.view.setItemDelegateForColumn(MappingModel.FIELD, FieldDelegate(self.view))
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.AllEditTriggers)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setAlternatingRowColors(True)
        self.view.setWordWrap(False)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(MappingModel.COLUMN, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(MappingModel.SAMPLES, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(MappingModel.FIELD, QHeaderView.ResizeMode.Fixed)
        self.view.setColumnWidth(MappingModel.COLUMN, 290)
        self.view.setColumnWidth(MappingModel.FIELD, 300)
        self.view.verticalHeader().setVisible(False)
        self.message = QLabel(self)
        self.message.setObjectName("importMappingMessage")
        self.message.setWordWrap(True)
        save = QPushButton("&Save mapping…", self)
        save.setObjectName("importSaveMapping")
        save.clicked.connect(self.save_mapping)
        load = QPushButton("&Load mapping…", self)
        load.setObjectName("importLoadMapping")
        load.clicked.connect(self.load_mapping)
        buttons = QHBoxLayout()
        buttons.addWidget(self.message, 1)
        buttons.addWidget(load)
        buttons.addWidget(save)
        layout = QVBoxLayout(self)
        layout.addWidget(self.found)
        layout.addWidget(self.view, 1)
        layout.addLayout(buttons)

    def initializePage(self) -> None:
        state = self.owner.state
        if state.table is None and not self.owner.read(state.sheet):
            self.found.setText(f"<b>This file cannot be imported.</b> {self.owner.error}")
            self.model.load(RawTable("", Path(), None, [], [], 0), Mapping())
            return
        table = state.table
        assert table is not None
        fmt = state.fmt if state.fmt not in ("auto", RISKDESK) else detect_format(table) or "table"
        state.detected = fmt
        try:
            mapping = (
                Mapping.from_fields(suggest_mapping(table.headers))
                if fmt == "table"
                else omb_mapping(table, fmt)
            )
        except ValueError:
            mapping = Mapping.from_fields(suggest_mapping(table.headers))
        self.model.load(table, mapping)
        where = f"sheet “{table.sheet}”, " if table.sheet else ""
        how = (
            "columns matched by their headers"
            if fmt == "table"
            else "columns mapped from the format's own definitions"
        )
        self.found.setText(
            f"<b>{table.file}</b> ({where}header on row {table.header_row}, "
            f"{_count(len(table.rows), 'row', 'rows')} of data) looks like "
            f"<b>{FORMAT_NAMES.get(fmt, fmt)}</b>: {how}. Check each match and change it "
            "where needed; a column left out is kept with each use as its source record."
        )
        self._open_editors()

    def _open_editors(self) -> None:
        for row in range(self.model.rowCount()):
            self.view.openPersistentEditor(self.model.index(row, MappingModel.FIELD))

    def _changed(self) -> None:
        mapped = sum(1 for f in self.model.fields().values() if f)
        if REQUIRED_FIELD not in self.model.fields().values():
            self.message.setText(
                "<b>Choose the column that holds each AI use's name</b> (set its field to “Name”)."
            )
        else:
            self.message.setText(
                f"{mapped} of {self.model.rowCount()} columns fill riskdesk fields."
            )
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        return REQUIRED_FIELD in self.model.fields().values()

    def save_mapping(self) -> None:
        start = str(self.owner.mapping_folder() / "column-mapping.json")
        path, _ = QFileDialog.getSaveFileName(self, "Save mapping", start, MAPPING_FILTER)
        if not path:
            return
        if not path.lower().endswith(".json"):
            path += ".json"
        try:
            self.model.mapping().save(path)
        except OSError as exc:
            self.message.setText(f"Could not save the mapping: {exc.strerror or exc}")
            return
        self.owner.settings_set(SETTING_MAPPINGS, str(Path(path).parent))
        self.message.setText(f"Mapping saved to {Path(path).name}.")

    def load_mapping(self) -> None:
        start = str(self.owner.mapping_folder())
        path, _ = QFileDialog.getOpenFileName(self, "Load mapping", start, MAPPING_FILTER)
        if not path:
            return
        try:
            mapping = Mapping.load(path)
        except ValueError as exc:
            self.message.setText(str(exc))
            return
        missing = self.model.apply(mapping)
        self._open_editors()
        self.owner.settings_set(SETTING_MAPPINGS, str(Path(path).parent))
        note = f"Mapping loaded from {Path(path).name}."
        if missing:
            listed = ", ".join(f"“{h}”" for h in missing[:3])
            note += f" This file lacks {len(missing)} of its columns ({listed}…)."
        self.message.setText(note)

    def validatePage(self) -> bool:
        self.owner.state.preview = None
        return True


class PreviewPage(QWizardPage):
    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self.setObjectName("importPreviewPage")
        self.owner = wizard
        self.setTitle("Check before importing")
        self.setSubTitle("Every row as riskdesk reads it, checked as the import would check it.")
        self.setCommitPage(True)
        self.setButtonText(QWizard.WizardButton.CommitButton, "&Import")
        self.summary = QLabel(self)
        self.summary.setObjectName("importPreviewSummary")
        self.summary.setWordWrap(True)
        self.bar = QProgressBar(self)
        self.bar.setObjectName("importPreviewProgress")
        self.model = PreviewModel(self)
        self.view = QTableView(self)
        self.view.setObjectName("importPreview")
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setWordWrap(False)
        self.view.verticalHeader().setVisible(False)
        self.view.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        self.view.horizontalHeader().setStretchLastSection(True)
        self.view.selectionModel().currentRowChanged.connect(self._show_row)
        self.detail = QLabel(self)
        self.detail.setObjectName("importRowDetail")
        self.detail.setWordWrap(True)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.only_flagged = QCheckBox("Show only rows with problems or warnings", self)
        self.only_flagged.setObjectName("importOnlyFlagged")
        self.only_flagged.toggled.connect(self.model.set_only_flagged)
        self.skip_invalid = QCheckBox(
            "Import the other rows and leave out those with problems", self
        )
        self.skip_invalid.setObjectName("importSkipInvalid")
        self.skip_invalid.toggled.connect(self.completeChanged)
        self.notes = QPlainTextEdit(self)
        self.notes.setObjectName("importNotes")
        self.notes.setReadOnly(True)
        self.notes.setMaximumHeight(70)
        options = QHBoxLayout()
        options.addWidget(self.only_flagged)
        options.addStretch(1)
        options.addWidget(self.skip_invalid)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.bar)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.detail)
        layout.addLayout(options)
        layout.addWidget(self.notes)
        wizard.jobs.progress.connect(self._progress)

    def _show_row(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if not current.isValid():
            self.detail.setText(ROW_HINT)
            return
        item = self.model.row_at(current.row())
        lines = [f"<b>Problem:</b> {m}" for m in item.problems]
        lines += [f"Warning: {m}" for m in item.warnings]
        where = f"Row {item.row}" + (f" of “{item.sheet}”" if item.sheet else "")
        self.detail.setText(f"{where}: " + ("<br>".join(lines) if lines else "ready to import."))

    def initializePage(self) -> None:
        self.owner.state.preview = None
        self.detail.setText(ROW_HINT)
        self.model.load([], [])
        self.skip_invalid.setChecked(False)
        self.skip_invalid.setVisible(False)
        self.notes.setVisible(False)
        self.bar.setVisible(True)
        self.bar.setRange(0, 0)
        self.summary.setText("Reading and checking every row…")
        self.owner.check()

    def _progress(self, done: int, total: int) -> None:
        if self.owner.currentId() == PAGE_PREVIEW:
            self.bar.setRange(0, max(total, 1))
            self.bar.setValue(min(done, total))

    def show_result(self) -> None:
        state = self.owner.state
        report = state.preview
        self.bar.setVisible(False)
        if report is None:
            self.summary.setText(f"<b>This file cannot be imported.</b> {state.outcome}")
            self.completeChanged.emit()
            return
        if state.book is not None:
            headers, rows = book_preview(state.book, report)
        else:
            assert state.plan is not None
            headers, rows = plan_preview(state.plan, report)
        self.model.load(headers, rows)
        self.view.resizeColumnsToContents()
        widest = {0: 60, 1: 240}  # the row number, the name; the rest narrower
        for column in range(self.model.columnCount() - 1):
            self.view.setColumnWidth(
                column, min(self.view.columnWidth(column), widest.get(column, 130))
            )
        bad, warned = self.model.flagged
        total = report.rows_read
        lines = [
            f"<b>{_count(total, 'row', 'rows')}</b> read from {report.file}: "
            f"{total - report.rows_rejected:,} ready, {bad:,} with problems (red), "
            f"{warned:,} with warnings (yellow)."
        ]
        if report.rows_skipped:
            lines.append(f"{report.rows_skipped:,} rows are left out as not AI uses.")
        lines.append(f"Importing would create {created_text(report.created)}.")
        if report.matched:
            lines.append(f"It would use {matched_text(report.matched)} already in the register.")
        if bad:
            lines.append(
                "<b>Rows with problems stop the import.</b> Fix them in the file or the "
                "column mapping (Back), or leave them out."
            )
        self.summary.setText("<br>".join(lines))
        self.skip_invalid.setVisible(bool(bad))
        notes = [located(w) for w in report.warnings if w.row is None]
        notes += [located(p) for p in report.problems if p.row is None]
        self.notes.setVisible(bool(notes))
        self.notes.setPlainText("\n".join(notes))
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        report = self.owner.state.preview
        if report is None or self.owner.jobs.running:
            return False
        if not report.problems:
            return report.rows_read > 0
        return self.skip_invalid.isChecked() and any(report.created.values())


class ImportPage(QWizardPage):
    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self.setObjectName("importRunPage")
        self.owner = wizard
        self.setTitle("Importing")
        self.setSubTitle("All rows go in as one action; cancelling leaves the register as it was.")
        self.label = QLabel(self)
        self.label.setWordWrap(True)
        self.bar = QProgressBar(self)
        self.bar.setObjectName("importProgress")
        self.cancel_button = QPushButton("&Cancel import", self)
        self.cancel_button.setObjectName("importCancel")
        self.cancel_button.clicked.connect(self.owner.cancel_import)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.cancel_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.label)
        layout.addWidget(self.bar)
        layout.addLayout(row)
        layout.addStretch(1)
        wizard.jobs.progress.connect(self._progress)

    def initializePage(self) -> None:
        state = self.owner.state
        self.bar.setRange(0, 0)
        self.cancel_button.setEnabled(True)
        self.label.setText(f"Importing {state.path.name if state.path else 'the file'}…")
        self.owner.start_import()

    def _progress(self, done: int, total: int) -> None:
        if self.owner.currentId() == PAGE_IMPORT:
            self.bar.setRange(0, max(total, 1))
            self.bar.setValue(min(done, total))

    def isComplete(self) -> bool:
        return not self.owner.jobs.running

    def cancelling(self) -> None:
        self.cancel_button.setEnabled(False)
        self.label.setText("Cancelling: rolling the import back…")


class SummaryPage(QWizardPage):
    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self.setObjectName("importSummaryPage")
        self.owner = wizard
        self.setTitle("Import finished")
        self.label = QLabel(self)
        self.label.setObjectName("importSummary")
        self.label.setWordWrap(True)
        self.details = QPlainTextEdit(self)
        self.details.setObjectName("importDetails")
        self.details.setReadOnly(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.label)
        layout.addWidget(self.details, 1)
        self.setFinalPage(True)

    def initializePage(self) -> None:
        state = self.owner.state
        report = state.report
        details: list[str] = []
        if state.outcome == "cancelled":
            self.setTitle("Import cancelled")
            self.label.setText("The import was cancelled and rolled back: nothing was written.")
        elif report is None or not report.written:
            self.setTitle("Import failed")
            reason = state.outcome if report is None else "problems stopped it"
            self.label.setText(f"Nothing was written: {reason}.")
            if report is not None:
                details += [f"Problem: {located(p)}" for p in report.problems]
        else:
            self.setTitle("Import finished")
            lines = [f"Imported {created_text(report.created)} from {report.file}."]
            if report.matched:
                used = ", ".join(
                    _count(n, *NOUNS.get(e, (e, e))) for e, n in report.matched.items()
                )
                lines.append(f"Linked to {used} already in the register.")
            if report.rows_rejected:
                lines.append(
                    f"{report.rows_rejected:,} rows with problems were left out (listed below)."
                )
            lines.append("Edit ▸ Undo takes the whole import back in one step.")
            self.label.setText(" ".join(lines))
            details += [f"Left out: {located(p)}" for p in report.problems]
        if report is not None:
            details += [f"Warning: {located(w)}" for w in report.warnings]
        self.details.setVisible(bool(details))
        self.details.setPlainText("\n".join(details))


class ImportWizard(QWizard):
    """The import, step by step; writes once, through ``history`` so it can be undone."""

    imported = Signal(object)  # the ImportReport of a written import

    def __init__(
        self,
        service: RegisterService,
        history: EditHistory,
        settings: QSettings | None = None,
        parent: QWidget | None = None,
        path: str | Path | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("importWizard")
        self.setWindowTitle("Import AI uses")
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnLastPage, True)
        self.setOption(QWizard.WizardOption.NoCancelButtonOnLastPage, True)
        self.resize(980, 680)
        self.service, self.history, self.settings = service, history, settings
        self.state = ImportState()
        self.error = ""  # why the last read failed
        # Reading, checking and importing run as jobs; ImportCancelled: rolled back.
        self.jobs = Jobs(self, cancelled_by=(Cancelled, ImportCancelled), describe=_job_error)
        self.jobs.done.connect(self._job_done)
        self.jobs.cancelled.connect(self._job_cancelled)
        self.jobs.failed.connect(self._job_failed)
        self._job = ""
        self.file_page = FilePage(self)
        self.sheet_page = SheetPage(self)
        self.mapping_page = MappingPage(self)
        self.preview_page = PreviewPage(self)
        self.import_page = ImportPage(self)
        self.summary_page = SummaryPage(self)
        for page_id, page in enumerate(
            (
                self.file_page,
                self.sheet_page,
                self.mapping_page,
                self.preview_page,
                self.import_page,
                self.summary_page,
            )
        ):
            self.setPage(page_id, page)
        if path is not None:
            self.file_page.path.setText(str(path))

    # --- settings ---------------------------------------------------------------------------
    def settings_set(self, key: str, value: str) -> None:
        if self.settings is not None:
            self.settings.setValue(key, value)

    def _saved_folder(self, key: str) -> Path | None:
        saved = self.settings.value(key, "") if self.settings is not None else ""
        return Path(str(saved)) if saved and Path(str(saved)).is_dir() else None

    def folder(self) -> Path:
        saved = self._saved_folder(SETTING_FOLDER)
        if saved is not None:
            return saved
        docs = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
        return Path(docs) if docs and Path(docs).is_dir() else Path.home()

    def mapping_folder(self) -> Path:
        return self._saved_folder(SETTING_MAPPINGS) or self.folder()

    # --- reading (on the GUI thread: a table reads in well under a second) -----------------
    def read(self, sheet: str | None) -> bool:
        """Read the chosen sheet (None: the best one, or the CSV file); False on failure."""
        state = self.state
        if state.path is None:
            return False
        if state.table is not None and (sheet is None or state.table.sheet == sheet):
            return True
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            state.table = read_table(state.path, sheet, known_header=is_inventory_header)
        except ImportFileError as exc:
            self.error = str(exc.problem)
            return False
        finally:
            QApplication.restoreOverrideCursor()
        state.sheet = state.table.sheet
        return True

    # --- checking and importing in the worker ------------------------------------------------
    def check(self) -> None:
        """The preview: read and map the file, then a dry run through the service."""
        state = self.state
        state.plan, state.book, state.preview = None, None, None
        service, path = self.service, state.path
        assert path is not None
        if state.detected == RISKDESK:

            def work(progress: ProgressFn, cancel: CancelFn) -> Any:
                book = read_riskdesk(path)
                report = import_book(
                    service, book, dry_run=True, skip_invalid=True, progress=progress, cancel=cancel
                )
                return book, report
        else:
            mapping = self.mapping_page.model.mapping()
            fmt, sheet = state.detected, state.sheet

            def work(progress: ProgressFn, cancel: CancelFn) -> Any:
                plan = read_inventory(path, fmt, sheet, mapping)
                report = import_plan(
                    service, plan, dry_run=True, skip_invalid=True, progress=progress, cancel=cancel
                )
                return plan, report

        self._job = "check"
        self.jobs.start(work)

    def start_import(self) -> None:
        state = self.state
        skip = self.preview_page.skip_invalid.isChecked()
        service, plan, book = self.service, state.plan, state.book

        def work(progress: ProgressFn, cancel: CancelFn) -> Any:
            if book is not None:
                return import_book(
                    service, book, skip_invalid=skip, progress=progress, cancel=cancel
                )
            assert plan is not None
            return import_plan(service, plan, skip_invalid=skip, progress=progress, cancel=cancel)

        self._job = "import"
        state.report, state.outcome = None, ""
        self.jobs.start(work)
        self.button(QWizard.WizardButton.CancelButton).setEnabled(True)

    def cancel_import(self) -> None:
        if self.jobs.running:
            self.jobs.cancel()
            self.import_page.cancelling()

    def _job_done(self, result: Any) -> None:
        state = self.state
        if self._job == "check":
            first, preview = result
            if isinstance(first, RiskdeskBook):
                state.book = first
            else:
                state.plan = first
            state.preview = preview
            self.preview_page.show_result()
            return
        report: ImportReport = result
        state.report = report
        if report.written and report.result is not None:
            written = report.result
            text = f"Import {report.file}"
            self.history.run(text, lambda: written)  # one undoable action
            self.imported.emit(report)
            state.outcome = "done"
        else:
            state.outcome = "problems stopped it"
        self.import_page.completeChanged.emit()
        self.next()

    def _job_cancelled(self, _message: str = "") -> None:
        if self._job == "check":
            self.state.outcome = "cancelled"
            return
        self.state.outcome = "cancelled"
        self.import_page.completeChanged.emit()
        self.next()

    def _job_failed(self, message: str) -> None:
        self.state.outcome = message
        if self._job == "check":
            self.preview_page.show_result()
            return
        self.import_page.completeChanged.emit()
        self.next()

    # --- closing ----------------------------------------------------------------------------
    def reject(self) -> None:
        if self.jobs.running:  # cancel first; the wizard can close once the worker stops
            self.jobs.cancel()
            if self.currentId() == PAGE_IMPORT:
                self.import_page.cancelling()
                return
            self.jobs.wait()
        super().reject()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.jobs.running and self.currentId() == PAGE_IMPORT:
            self.cancel_import()
            event.ignore()
            return
        if self.jobs.running:
            self.jobs.cancel()
            self.jobs.wait()
        super().closeEvent(event)

    def wait(self, msecs: int = -1) -> bool:
        """Block until the worker is idle (tests, closing)."""
        return self.jobs.wait(msecs)
