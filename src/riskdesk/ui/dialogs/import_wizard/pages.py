"""The import wizard's first pages (file and format, sheet, column mapping) and its state."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWizardPage,
)

from riskdesk.importers import (
    ImportFileError,
    ImportPlan,
    Mapping,
    RawTable,
    detect_format,
    list_sheets,
    omb_mapping,
    suggest_mapping,
)
from riskdesk.importers.fields import REQUIRED_FIELD
from riskdesk.importers.riskdesk_format import FORMAT as RISKDESK
from riskdesk.importers.riskdesk_format import RiskdeskBook, read_riskdesk
from riskdesk.service.importing import ImportReport, detect_file_format
from riskdesk.ui.dialogs.import_wizard.models import (
    FILE_FILTER,
    FORMAT_CHOICES,
    FORMAT_NAMES,
    HINT_STYLE,
    MAPPING_FILTER,
    PAGE_MAPPING,
    PAGE_PREVIEW,
    PAGE_SHEET,
    PAGE_VALUES,
    SETTING_FOLDER,
    SETTING_MAPPINGS,
    FieldDelegate,
    MappingModel,
)

if TYPE_CHECKING:
    from riskdesk.ui.dialogs.import_wizard.wizard import ImportWizard


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


def count_text(n: int, one: str, many: str) -> str:
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
    parts = [count_text(n, *NOUNS.get(e, (e, e))) for e, n in ranked if n]
    return ", ".join(parts) if parts else "nothing"


def matched_text(matched: dict[str, int]) -> str:
    return ", ".join(count_text(n, *NOUNS.get(e, (e, e))) for e, n in matched.items())


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
            f"{count_text(len(table.rows), 'row', 'rows')} of data) looks like "
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
            self.owner.current_mapping().save(path)  # with the value maps chosen
        except OSError as exc:
            self.message.setText(f"Could not save the mapping: {exc.strerror or exc}")
            return
        self.owner.settings_set(SETTING_MAPPINGS, str(Path(path).parent))
        self.message.setText(f"Mapping saved to {Path(path).name}.")

    def load_mapping(self) -> bool | None:
        """Load a mapping file (columns and value maps): True when loaded, False when
        refused (``message`` says why), None when the user cancelled."""
        start = str(self.owner.mapping_folder())
        path, _ = QFileDialog.getOpenFileName(self, "Load mapping", start, MAPPING_FILTER)
        if not path:
            return None
        try:
            mapping = Mapping.load(path)
        except ValueError as exc:
            self.message.setText(str(exc))
            return False
        missing = self.model.apply(mapping)
        self.owner.values_page.model.forget_choices()  # its value maps come with it
        self._open_editors()
        self.owner.settings_set(SETTING_MAPPINGS, str(Path(path).parent))
        note = f"Mapping loaded from {Path(path).name}."
        if missing:
            listed = ", ".join(f"“{h}”" for h in missing[:3])
            note += f" This file lacks {len(missing)} of its columns ({listed}…)."
        self.message.setText(note)
        return True

    def validatePage(self) -> bool:
        self.owner.state.preview = None
        return True

    def nextId(self) -> int:
        from riskdesk.ui.dialogs.import_wizard.translate_page import has_values

        table = self.owner.state.table
        if table is not None and has_values(table, self.model.mapping()):
            return PAGE_VALUES  # answers to translate first
        return PAGE_PREVIEW
