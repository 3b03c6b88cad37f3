"""A page with an instant search box, a sortable table and add/edit/delete buttons."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import (
    QEvent,
    QItemSelectionModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QHelpEvent, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from riskdesk.service.queries import Filter
from riskdesk.ui.models.table_model import QueryTableModel
from riskdesk.ui.widgets.keyboard_table import KeyboardTableView

EmptyAction = tuple[str, Callable[[], object]]  # button text, what it does


def plural(count: int, noun: tuple[str, str]) -> str:
    """'1 risk', '2 risks', '1,204 AI uses'."""
    return f"{count:,} {noun[0] if count == 1 else noun[1]}"


def elided(view: QAbstractItemView, row: int, column: int) -> bool:
    """Whether the cell's text is cut short (elided) at the column's present width."""
    index = view.model().index(row, column)
    text = str(index.data(Qt.ItemDataRole.DisplayRole) or "")
    room = view.visualRect(index).width() - CELL_MARGINS
    return bool(text) and view.fontMetrics().horizontalAdvance(text) > room


CELL_MARGINS = 8  # the style's padding either side of a cell's text
HEADER_PADDING = 28  # the header's margins and its sort arrow
MAX_FITTED_WIDTH = 220  # a long value is elided (with a tooltip) rather than hog the row
FIT_SAMPLE_ROWS = 60  # rows measured to fit the columns
SHORT_VALUE = 130  # content up to this wide is never trimmed
STRETCH_ROOM = 900  # the table width the fitted columns leave ≥ 220 px of stretch within


class ElidedTipDelegate(QStyledItemDelegate):
    """A cell whose text is cut short shows the whole text as its tooltip.

    (A delegate, not an event filter on the page: a Python event filter can be called
    while its page is half destroyed, and crash.)"""

    def helpEvent(
        self,
        event: QHelpEvent,
        view: QAbstractItemView,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> bool:
        if event.type() == QEvent.Type.ToolTip and index.isValid():
            text = str(index.data(Qt.ItemDataRole.DisplayRole) or "")
            room = option.rect.width() - CELL_MARGINS
            if text and option.fontMetrics.horizontalAdvance(text) > room:
                QToolTip.showText(event.globalPos(), text, view)
                return True
        return super().helpEvent(event, view, option, index)


class TablePage(QWidget):
    """``model`` rows; ``on_open(id)``, ``on_add()``, ``on_delete(id)`` do the work."""

    activated = Signal(int)

    def __init__(
        self,
        name: str,
        model: QueryTableModel,
        on_open: Callable[[int], None] | None = None,
        on_add: Callable[[], None] | None = None,
        on_delete: Callable[[int], None] | None = None,
        stretch_column: int = 1,
        add_text: str = "&Add…",
        parent: QWidget | None = None,
        noun: tuple[str, str] = ("row", "rows"),
        empty_text: str = "",
        empty_actions: Sequence[EmptyAction] = (),
    ) -> None:
        super().__init__(parent)
        self.setObjectName(f"{name}Page")
        self.model = model
        self.noun = noun
        self._on_open, self._on_add, self._on_delete = on_open, on_add, on_delete
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        self.top_row = top  # search, count and Add; a page may add its own buttons here
        self.search = QLineEdit(self)
        self.search.setObjectName("search")
        self.search.setPlaceholderText("Search (Ctrl+F)…")
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName(f"Search {noun[1]}")
        self.search.textChanged.connect(self._search_changed)
        top.addWidget(self.search, 1)
        self.count_label = QLabel(self)
        self.count_label.setObjectName("countLabel")
        top.addWidget(self.count_label)
        self.add_button = QPushButton(add_text, self)
        self.add_button.setObjectName("addButton")
        self.add_button.setVisible(on_add is not None)
        if on_add is not None:
            self.add_button.clicked.connect(on_add)
        top.addWidget(self.add_button)
        layout.addLayout(top)
        self.filter_bar = QWidget(self)
        bar = QHBoxLayout(self.filter_bar)
        bar.setContentsMargins(0, 0, 0, 0)
        self.filter_label = QLabel(self.filter_bar)
        self.filter_label.setObjectName("filterLabel")
        clear = QPushButton("Clear filter", self.filter_bar)
        clear.setObjectName("clearFilter")
        clear.clicked.connect(self.clear_filter)
        bar.addWidget(self.filter_label, 1)
        bar.addWidget(clear)
        self.filter_bar.hide()
        layout.addWidget(self.filter_bar)
        self.view = KeyboardTableView(self)  # Tab into it: a row is highlighted
        self.view.setObjectName("table")
        self.view.setAccessibleName(noun[1][:1].upper() + noun[1][1:])
        self.view.setModel(model)
        self.view.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.view.setItemDelegate(ElidedTipDelegate(self.view))  # tooltips for cut cells
        self.view.setSortingEnabled(True)
        self.view.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setAlternatingRowColors(True)
        self.view.verticalHeader().hide()
        self.view.verticalHeader().setDefaultSectionSize(24)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(False)
        header.setSectionResizeMode(stretch_column, QHeaderView.ResizeMode.Stretch)
        header.setDefaultSectionSize(120)
        self._stretch_column = stretch_column
        for index, column in enumerate(model.columns):
            # Numbers and ids need little room; the stretch column takes the rest.
            width = column.width or (64 if column.align_right else 110)
            header.resizeSection(index, width)
        self._fit_columns()
        # ``activated`` alone: a double-click emits it as well as ``doubleClicked``, and
        # listening to both opened the editor a second time after the first was closed.
        self.view.activated.connect(lambda index: self.open_row(index.row()))
        layout.addWidget(self.view, 1)
        self.empty_state = self._build_empty_state(empty_text, empty_actions)
        layout.addWidget(self.empty_state, 1)
        model.modelReset.connect(self._update_count)
        self._update_count()

    def _build_empty_state(self, text: str, actions: Sequence[EmptyAction]) -> QWidget:
        """What a blank page says instead of an empty grid: what belongs here and the
        one or two actions that fill it."""
        panel = QWidget(self)
        panel.setObjectName("emptyState")
        box = QVBoxLayout(panel)
        box.addStretch(1)
        self.empty_label = QLabel(text, panel)
        self.empty_label.setObjectName("emptyText")
        self.empty_label.setWordWrap(True)
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setTextFormat(Qt.TextFormat.RichText)
        self.empty_label.setStyleSheet("font-size: 11pt; color: #3e4c59;")
        # Full width with wide margins: a width-capped, centred rich-text label measured
        # its height for the cap and cut off its second and third lines.
        box.setContentsMargins(60, 0, 60, 0)
        box.addWidget(self.empty_label)
        row = QHBoxLayout()
        row.addStretch(1)
        self.empty_buttons: list[QPushButton] = []
        for number, (label, action) in enumerate(actions):
            button = QPushButton(label, panel)
            button.setObjectName(f"emptyAction{number}")
            button.clicked.connect(lambda _c=False, act=action: act())
            row.addWidget(button)
            self.empty_buttons.append(button)
        row.addStretch(1)
        box.addLayout(row)
        box.addStretch(2)
        panel.hide()
        self._has_empty_state = bool(text)
        return panel

    def is_empty(self) -> bool:
        """Nothing to show at all (not merely nothing matching a search or filter)."""
        return (
            self.model.rowCount() == 0 and not self.model.search_text and not self.model.has_filter
        )

    def _fit_columns(self) -> None:
        """Start each column as wide as its header and the rows in view need (within
        bounds), so no header is clipped and short values do not sit in wide columns."""
        header = self.view.horizontalHeader()
        header.setResizeContentsPrecision(FIT_SAMPLE_ROWS)  # not every row of a big register
        metrics = header.fontMetrics()
        widths: dict[int, tuple[int, int]] = {}  # column: (header needs, content wants)
        for index, column in enumerate(self.model.columns):
            if index == self._stretch_column:
                continue
            title = metrics.horizontalAdvance(column.header) + HEADER_PADDING
            content = self.view.sizeHintForColumn(index) if self.model.rowCount() else 0
            widths[index] = (max(title, 40), min(content, MAX_FITTED_WIDTH))
        # Leave the stretch column (the name, the title) room: trim the contents' share,
        # never below what the header text needs.
        # Short values (dates, names, numbers) always fit; only long ones are trimmed.
        base = {i: max(t, min(c, SHORT_VALUE)) for i, (t, c) in widths.items()}
        extra = {i: max(c - base[i], 0) for i, (_t, c) in widths.items()}
        excess = max(sum(base.values()) + sum(extra.values()) - (STRETCH_ROOM - 220), 0)
        spare = sum(extra.values())
        keep = 1 - min(excess / spare, 1) if spare else 1
        for index in widths:
            header.resizeSection(index, base[index] + int(extra[index] * keep))

    def _search_changed(self, text: str) -> None:
        self.model.set_search(text)

    def _update_count(self) -> None:
        shown = self.model.rowCount()
        if self.model.search_text or self.model.has_filter:
            total = self.model.total()
            self.count_label.setText(f"{shown:,} of {plural(total, self.noun)}")
        else:
            self.count_label.setText(plural(shown, self.noun))
        empty = self._has_empty_state and self.is_empty()
        self.view.setVisible(not empty)
        self.empty_state.setVisible(empty)
        if empty:
            self._share_mnemonics()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self.empty_state.isHidden():  # a subclass may have added its buttons since
            self._share_mnemonics()

    def _share_mnemonics(self) -> None:
        """The empty state repeats the page's own buttons (New…, Add from library…): one
        Alt+letter each — two buttons with one mnemonic only move focus between them."""
        own = {
            b.text()
            for b in self.findChildren(QPushButton)
            if not self.empty_state.isAncestorOf(b) and not b.isHidden()
        }
        for button in self.empty_buttons:
            if button.text() in own:
                button.setText(button.text().replace("&", ""))

    def reload(self) -> None:
        first = not self.model.loaded
        selected = self.selected_id()
        self.model.reload()
        if first:  # built without rows (not yet shown): fit the columns to them now
            self._fit_columns()
        if selected is not None:
            self.select_id(selected)

    def selected_id(self) -> int | None:
        rows = self.view.selectionModel().selectedRows()
        return self.model.id_at(rows[0].row()) if rows else None

    def select_id(self, rid: int) -> None:
        row = self.model.row_of(rid)
        if row >= 0:
            index = self.model.index(row, 0)
            self.view.selectionModel().select(
                index,
                QItemSelectionModel.SelectionFlag.ClearAndSelect
                | QItemSelectionModel.SelectionFlag.Rows,
            )
            self.view.scrollTo(index)

    def open_row(self, row: int) -> None:
        if self._on_open is not None and 0 <= row < self.model.rowCount():
            self._on_open(self.model.id_at(row))

    def open_selected(self) -> None:
        """Ctrl+E: the selected row of the section with focus (as Ctrl+F)."""
        page = self.active_section()
        rid = page.selected_id()
        if rid is not None and page._on_open is not None:
            page._on_open(rid)

    def delete_selected(self) -> None:
        """Delete: the selected row of the section with focus (as Ctrl+F)."""
        page = self.active_section()
        rid = page.selected_id()
        if rid is not None and page._on_delete is not None:
            page._on_delete(rid)

    def add(self) -> None:
        if self._on_add is not None:
            self._on_add()

    def focus_search(self) -> None:
        """Ctrl+F: the search of the section with focus — a section with a table page of
        its own (the Vendors page's Models) searches itself, the rest of the page here."""
        target = self.active_section()
        target.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        target.search.selectAll()

    def active_section(self) -> TablePage:
        """The table the window's keys act on: a section with a table page of its own
        while the focus is in it (the Vendors page's Models), else this page."""
        return self._section_with_focus() or self

    def _section_with_focus(self) -> TablePage | None:
        widget: QWidget | None = self.window().focusWidget()
        while widget is not None and widget is not self:
            if isinstance(widget, TablePage):
                return widget
            widget = widget.parentWidget()
        return None

    def show_filter(self, text: str, filter: Filter) -> None:
        self.model.set_filter(filter)
        self.filter_label.setText(text)
        self.filter_bar.show()

    def clear_filter(self) -> None:
        self.model.set_filter(None)
        self.filter_bar.hide()
