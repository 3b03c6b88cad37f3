"""The import wizard's "Translate values" page: each answer of a choice column, mapped.

After the column mapping, every mapped column whose field is a choice (a stage, a
level, yes/no, the one-column impact answer) or the reach count lists its distinct
answers with how many rows give each, and the riskdesk value each becomes — or the
field's own "nobody said" (``unknown_label``: "Not stated", "Not answered yet"…, as the
editors call it). It starts from the value map the mapping already has (a loaded one), then
from what riskdesk reads in the answer as it stands, then from the wording's suggestion
(``importers.translation.suggest_value``); an answer nobody can read starts as
unknown, so no row is ever rejected for it. The choices go into the mapping's value
maps (``ColumnMap.translate``), saved with the mapping file like ``--mapping``'s.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, Qt, Signal
from PySide6.QtGui import QBrush
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
    QWizardPage,
)

from riskdesk.enums import LabelledEnum
from riskdesk.importers import Mapping, RawTable
from riskdesk.importers.fields import (
    FACTOR_FIELDS,
    FIELDS,
    NOT_STATED_FIELDS,
    UNKNOWN,
    VALUE_SYNONYMS,
    Kind,
)
from riskdesk.importers.mapping import WILDCARD
from riskdesk.importers.translation import is_choice, suggest_value
from riskdesk.importers.values import (
    BadValue,
    header_key,
    parse_bool,
    parse_enum,
    parse_impact,
    parse_int,
    squash,
    value_key,
)
from riskdesk.ui.dialogs.import_wizard.models import (
    PAGE_PREVIEW,
    WARNING_COLOUR,
    AnyIndex,
)
from riskdesk.ui.widgets.binding import OPTBOOL_ITEMS

if TYPE_CHECKING:
    from riskdesk.ui.dialogs.import_wizard.wizard import ImportWizard

# What an answer that says nothing becomes, in the words the editors use for it:
UNKNOWN_LABEL = "Unknown"  # a plain yes/no (its editor is a tick box: no third state)
NOT_ANSWERED = "Not answered yet"  # an exposure question (the use editor's word)
NOT_STATED = "Not stated"  # public-facing, generative: not factors, "not stated yet"
_IMPACT = {(True, True): "both", (True, False): "rights", (False, True): "safety"}
_IMPACT[(False, False)] = "neither"
HOW_MAPPED = "your value map"
HOW_READ = "read as it stands"
HOW_SUGGESTED = "suggested: check it"
HOW_UNREAD = "not understood"
HOW_TIPS = {
    HOW_MAPPED: "Chosen by you, or by the mapping you loaded.",
    HOW_READ: "riskdesk reads this answer as it is written.",
    HOW_SUGGESTED: "Suggested from the answer's wording: the likeliest meaning, not a fact "
    "anyone gave. Check it.",
    HOW_UNREAD: "The wording does not say: the question stays unknown unless you choose.",
}


def unknown_member(field: str) -> LabelledEnum | None:
    """The member of ``field``'s enum that means nobody said (Sourcing.NOT_STATED…)."""
    enum = FIELDS[field].enum
    if enum is None:
        return None
    return next((m for m in enum if m.value in ("not_stated", "not_assessed")), None)


def unknown_label(field: str) -> str:
    """What the "this answer says nothing" choice of ``field`` is called: its enum's own
    label where it has one, else the editors' word for an unanswered question."""
    member = unknown_member(field)
    if member is not None:
        return member.label
    if field in FACTOR_FIELDS:
        return NOT_ANSWERED
    if field in NOT_STATED_FIELDS:
        return NOT_STATED
    if FIELDS[field].kind is Kind.OPTIONAL_BOOL:
        return OPTBOOL_ITEMS[0][0]  # as its combo box in the editors
    return UNKNOWN_LABEL


def canonical(field: str, target: str) -> str:
    """``target`` with the enum's own "not stated" member read as the unknown choice
    (one choice each: the import leaves both not stated)."""
    member = unknown_member(field)
    return UNKNOWN if member is not None and target == member.value else target


def choices(field: str) -> list[tuple[str, str]]:
    """``(target, label)`` for each value an answer of ``field`` can become."""
    spec = FIELDS[field]
    unknown = (UNKNOWN, unknown_label(field))
    if spec.kind in (Kind.BOOL, Kind.OPTIONAL_BOOL):
        return [("yes", "Yes"), ("no", "No"), unknown]
    if spec.kind is Kind.IMPACT:
        return [
            ("rights", "Rights-impacting"),
            ("safety", "Safety-impacting"),
            ("both", "Both"),
            ("neither", "Neither"),
            unknown,
        ]
    if spec.enum is not None:
        member = unknown_member(field)
        if member is not None:  # in the enum's place for it, as the editors list it
            return [unknown if m is member else (m.value, m.label) for m in spec.enum]
        return [(m.value, m.label) for m in spec.enum] + [unknown]
    return [unknown]  # the reach count: "Not answered yet" or a number typed in


def target_label(field: str, target: str) -> str:
    if field == "people_affected" and target != UNKNOWN:
        return f"{int(target):,} people a year"
    return dict(choices(field)).get(target, target)


def read_as_is(field: str, raw: object) -> str | None:
    """The target riskdesk reads in ``raw`` without a value map; None if it cannot."""
    spec = FIELDS[field]
    try:
        if field == "people_affected" or spec.kind is Kind.INT:
            value = parse_int(raw).value
        elif spec.kind in (Kind.BOOL, Kind.OPTIONAL_BOOL):
            value = parse_bool(raw).value
            value = None if value is None else ("yes" if value else "no")
        elif spec.kind is Kind.IMPACT:
            pair = parse_impact(raw).value
            value = _IMPACT.get(pair) if isinstance(pair, tuple) else None
        else:
            assert spec.enum is not None
            value = parse_enum(spec.enum, raw, VALUE_SYNONYMS.get(spec.enum)).value
    except BadValue:
        return None
    return UNKNOWN if value is None else canonical(field, str(value))


@dataclass
class ValueRow:
    header: str
    letter: str
    field: str
    answer: str  # the answer as the file writes it (whitespace squashed)
    rows: int  # how many rows give it
    as_is: str | None  # what riskdesk reads without a value map
    target: str  # what it becomes
    how: str


class ValueMapModel(QAbstractTableModel):
    """One row per distinct answer of each choice column; the last column is editable."""

    COLUMN, ANSWER, ROWS, VALUE, HOW = range(5)
    HEADERS = ("Column", "Answer in the file", "Rows", "riskdesk value", "How")
    changed = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.rows: list[ValueRow] = []
        # Choices the user made, kept across a trip Back to the column mapping.
        self._chosen: dict[tuple[str, str, str], str] = {}

    def load(self, table: RawTable, mapping: Mapping) -> None:
        self.beginResetModel()
        self.rows = []
        by_key = {header_key(h): c for h, c in mapping.columns.items()}
        for index, header in enumerate(table.headers):
            column = mapping.columns.get(header) or by_key.get(header_key(header))
            field = column.field if column is not None else None
            if column is None or field is None or not is_choice(FIELDS.get(field), field):
                continue
            translate = {value_key(k): v for k, v in column.translate.items()}
            counts: dict[str, int] = {}
            first: dict[str, Any] = {}
            for row in table.rows:
                raw = row.values[index]
                if raw is None or isinstance(raw, bool | int | float):
                    continue  # numbers and booleans read as they are
                key = value_key(raw)
                if not key:
                    continue
                counts[key] = counts.get(key, 0) + 1
                first.setdefault(key, raw)
            for key, raw in first.items():
                as_is = read_as_is(field, raw)
                if key in translate or WILDCARD in translate:
                    mapped = translate.get(key, translate.get(WILDCARD))
                    known = mapped and value_key(mapped) != UNKNOWN
                    target, how = canonical(field, str(mapped)) if known else UNKNOWN, HOW_MAPPED
                elif as_is is not None:
                    target, how = as_is, HOW_READ
                else:
                    target = canonical(field, suggest_value(field, raw))
                    how = HOW_SUGGESTED if target != UNKNOWN else HOW_UNREAD
                chosen = self._chosen.get((header, field, key))
                if chosen is not None:
                    target, how = chosen, HOW_MAPPED
                letter = table.letters[index]
                answer = squash(str(raw))
                self.rows.append(
                    ValueRow(header, letter, field, answer, counts[key], as_is, target, how)
                )
        self.endResetModel()
        self.changed.emit()

    def forget_choices(self) -> None:
        """A loaded mapping's value maps replace the choices made on the page."""
        self._chosen.clear()

    def apply(self, mapping: Mapping) -> Mapping:
        """``mapping`` with each listed answer's choice in its column's value map.

        An answer riskdesk reads as it stands, left as read, needs no entry (the saved
        file stays short); every other answer gets one, "unknown" included.
        """
        out = copy.deepcopy(mapping)
        by_key = {header_key(h): h for h in out.columns}
        for row in self.rows:
            name = row.header if row.header in out.columns else by_key.get(header_key(row.header))
            if name is None or out.columns[name].field != row.field:
                continue  # the mapping changed since: the page reloads before it counts
            translate = out.columns[name].translate
            key = value_key(row.answer)
            present = [k for k in translate if k != WILDCARD and value_key(k) == key]
            if row.target == row.as_is and not present and WILDCARD not in translate:
                continue
            for old in present:
                del translate[old]
            translate[row.answer] = row.target
        return out

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.HEADERS[section]
        return None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        return base | Qt.ItemFlag.ItemIsEditable if index.column() == self.VALUE else base

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row, col = self.rows[index.row()], index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return (
                f"{row.letter}   {row.header}  →  {FIELDS[row.field].label}",
                row.answer,
                f"{row.rows:,}",
                target_label(row.field, row.target),
                row.how,
            )[col]
        if role == Qt.ItemDataRole.EditRole:
            return row.target if col == self.VALUE else self.data(index)
        if role == Qt.ItemDataRole.ToolTipRole:
            if col == self.COLUMN:
                return f"Column {row.letter} “{row.header}” fills {FIELDS[row.field].label}"
            if col == self.ANSWER:
                return row.answer
            if col == self.HOW:
                return HOW_TIPS.get(row.how)
            return None
        if role == Qt.ItemDataRole.TextAlignmentRole and col == self.ROWS:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.BackgroundRole and col == self.HOW and row.how == HOW_SUGGESTED:
            return QBrush(WARNING_COLOUR)
        return None

    def setData(self, index: AnyIndex, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or index.column() != self.VALUE or role != Qt.ItemDataRole.EditRole:
            return False
        row = self.rows[index.row()]
        target = parse_target(row.field, value)
        if target is None:
            return False
        if target == row.target:
            return True
        row.target, row.how = target, HOW_MAPPED
        self._chosen[(row.header, row.field, value_key(row.answer))] = target
        self.dataChanged.emit(index, self.index(index.row(), self.HOW))
        self.changed.emit()
        return True


def has_values(table: RawTable, mapping: Mapping) -> bool:
    """Whether any mapped choice column has an answer in words to translate (cheap: the
    wizard asks on every change of the mapping page's buttons)."""
    by_key = {header_key(h): c for h, c in mapping.columns.items()}
    for index, header in enumerate(table.headers):
        column = mapping.columns.get(header) or by_key.get(header_key(header))
        field = column.field if column is not None else None
        if field is None or not is_choice(FIELDS.get(field), field):
            continue
        for row in table.rows:
            value = row.values[index]
            if isinstance(value, str) and value.strip():
                return True
    return False


def parse_target(field: str, value: object) -> str | None:
    """A choice as a value map target; None if ``field`` cannot take it."""
    text = squash(str(value or ""))
    if value_key(text) in (UNKNOWN, value_key(UNKNOWN_LABEL), value_key(unknown_label(field)), ""):
        return UNKNOWN
    if field == "people_affected":
        try:
            number = parse_int(text).value
        except BadValue:
            return None
        return UNKNOWN if number is None else str(number)
    text = canonical(field, text)
    return text if text in dict(choices(field)) else None


class ValueDelegate(QStyledItemDelegate):
    """A combo box of the values the row's field takes; typed numbers for the reach."""

    def createEditor(
        self, parent: QWidget, option: QStyleOptionViewItem, index: AnyIndex
    ) -> QWidget:
        model = index.model()
        assert isinstance(model, ValueMapModel)
        row = model.rows[index.row()]
        combo = QComboBox(parent)
        combo.setObjectName("valueCombo")
        combo.setAccessibleName(f"riskdesk value for “{row.answer}” ({row.header})")
        for target, label in choices(row.field):
            combo.addItem(label, target)
        if row.field == "people_affected":
            combo.setEditable(True)  # a number typed in: "2400", "2,400"
            combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
            combo.setToolTip(
                f"Type the number of people a year, or choose {unknown_label(row.field)}."
            )
            if row.target != UNKNOWN:
                combo.insertItem(0, f"{int(row.target):,}", row.target)
            line = combo.lineEdit()
            assert line is not None  # an editable combo box has one
            line.editingFinished.connect(lambda c=combo: self.commitData.emit(c))
        combo.currentIndexChanged.connect(lambda _i, c=combo: self.commitData.emit(c))
        return combo

    def setEditorData(self, editor: QWidget, index: AnyIndex) -> None:
        assert isinstance(editor, QComboBox)
        editor.blockSignals(True)
        editor.setCurrentIndex(max(0, editor.findData(index.data(Qt.ItemDataRole.EditRole))))
        editor.blockSignals(False)

    def setModelData(self, editor: QWidget, model: Any, index: AnyIndex) -> None:
        assert isinstance(editor, QComboBox)
        value: object = editor.currentData()
        if editor.isEditable() and editor.currentText() != editor.itemText(editor.currentIndex()):
            value = editor.currentText()  # typed, not chosen
        model.setData(index, value, Qt.ItemDataRole.EditRole)


class TranslatePage(QWizardPage):
    """Each answer of each choice column and the riskdesk value it becomes."""

    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self.setObjectName("importValuesPage")
        self.owner = wizard
        self.setTitle("Translate values")
        self.setSubTitle(
            "Each answer in the file's choice columns and the riskdesk value it becomes. "
            "Choose “Not stated” or “Not answered yet” where the answer does not say: the "
            "question stays open, and no row is turned away."
        )
        self.intro = QLabel(self)
        self.intro.setObjectName("importValuesIntro")
        self.intro.setWordWrap(True)
        self.model = ValueMapModel(self)
        self.model.changed.connect(self._changed)
        self.view = QTableView(self)
        self.view.setObjectName("importValues")
        self.view.setAccessibleName("Answers and their riskdesk values")
        self.view.setModel(self.model)
        self.view.setItemDelegateForColumn(ValueMapModel.VALUE, ValueDelegate(self.view))
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.AllEditTriggers)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setWordWrap(False)
        self.view.verticalHeader().setVisible(False)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(ValueMapModel.ANSWER, QHeaderView.ResizeMode.Stretch)
        for column, width in ((0, 230), (2, 50), (3, 240), (4, 140)):
            self.view.setColumnWidth(column, width)
        self.message = QLabel(self)
        self.message.setObjectName("importValuesMessage")
        self.message.setWordWrap(True)
        load = QPushButton("&Load mapping…", self)
        load.setObjectName("importValuesLoad")
        load.clicked.connect(self.load_mapping)
        save = QPushButton("&Save mapping…", self)
        save.setObjectName("importValuesSave")
        save.clicked.connect(self.save_mapping)
        buttons = QHBoxLayout()
        buttons.addWidget(self.message, 1)
        buttons.addWidget(load)
        buttons.addWidget(save)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(self.view, 1)
        layout.addLayout(buttons)

    def initializePage(self) -> None:
        table = self.owner.state.table
        assert table is not None
        self.model.load(table, self.owner.mapping_page.model.mapping())
        for row in range(self.model.rowCount()):
            self.view.openPersistentEditor(self.model.index(row, ValueMapModel.VALUE))
        # The column names whole (within reason); the answers take the rest.
        self.view.resizeColumnToContents(ValueMapModel.COLUMN)
        self.view.setColumnWidth(
            ValueMapModel.COLUMN, min(self.view.columnWidth(ValueMapModel.COLUMN), 340)
        )
        self.view.setFocus()
        if self.model.rowCount():
            self.view.setCurrentIndex(self.model.index(0, ValueMapModel.VALUE))

    def _changed(self) -> None:
        rows = self.model.rows
        suggested = sum(1 for r in rows if r.how == HOW_SUGGESTED)
        unknown = sum(1 for r in rows if r.target == UNKNOWN)
        columns = len({r.header for r in rows})
        self.intro.setText(
            f"{len(rows):,} different answers in {columns:,} column(s): "
            f"{suggested:,} suggested from their wording (shaded: check them), "
            f"{unknown:,} left unknown. Tab to a value and type or use the arrow keys "
            "to change it."
        )

    def mapping(self, mapping: Mapping) -> Mapping:
        return self.model.apply(mapping)

    def save_mapping(self) -> None:
        self.owner.mapping_page.save_mapping()
        self.message.setText(self.owner.mapping_page.message.text())

    def load_mapping(self) -> None:
        """The mapping page loads it (the columns and these value maps come together);
        this page then shows the loaded choices."""
        page = self.owner.mapping_page
        loaded = page.load_mapping()
        if loaded is None:
            return
        if loaded:
            self.initializePage()
        self.message.setText(page.message.text())

    def nextId(self) -> int:
        return PAGE_PREVIEW
