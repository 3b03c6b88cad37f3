"""A read-only table model over a ``service.queries.TableQuery``: sorted and searched in SQL.

Sorting through ``QSortFilterProxyModel.lessThan`` calls Python once per comparison
(17 s for 100k rows here); instead the model asks its query for the ordered ids that
match the search, and fetches the visible rows lazily in pages (Anki's browser model
works the same way). The query holds the SQL; this module only shows its rows.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from riskdesk.enums import LabelledEnum
from riskdesk.service.queries import Filter, TableQuery
from riskdesk.ui.widgets.numbers import count_text

ObjectRole = Qt.ItemDataRole.UserRole + 1  # the row's id
SortRole = Qt.ItemDataRole.UserRole + 2  # the raw value used for sorting

TIER_COLOURS = {
    "low": "#d9f2d9",
    "moderate": "#fff2b3",
    "high": "#ffd1a3",
    "critical": "#f4a6a6",
    "not_assessed": "#e4d7f5",  # its own colour: unknown is not any tier, least of all Low
    "medium": "#fff2b3",
}
PAGE = 256
# Sorts whose order a model keeps: each is ~3.6 MB at 100,000 rows (a list and its ints)
KEPT_ORDERS = 4

AnyIndex = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True)
class Column:
    """How one of a query's columns (``key``) is shown: header, labels, colour, width."""

    key: str
    header: str
    enum: type[LabelledEnum] | None = None
    align_right: bool = False
    colour: bool = False  # tier/band cells get a background colour
    tooltip: str = ""
    width: int | None = None  # initial width in pixels; None: by kind of value
    number: bool = False  # a count: shown with the locale's thousands separators
    unknown: str = ""  # what a value nobody gave (None) shows, e.g. "Unknown"


def display(value: Any, enum: type[LabelledEnum] | None) -> str:
    if value is None:
        return ""
    if enum is not None:
        try:
            return enum(value).label
        except ValueError:
            return str(value)
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


class ListTableModel(QAbstractTableModel):
    """A small read-only table over a Python list (panels, dialogs, previews).

    Subclasses set ``HEADERS`` (or pass ``headers``) and implement ``data``; the row
    count, column count, header text and ``set_rows`` are the same for all of them.
    """

    HEADERS: tuple[str, ...] = ()

    def __init__(self, parent: Any = None, headers: Sequence[str] | None = None) -> None:
        super().__init__(parent)
        self.headers: list[str] = list(self.HEADERS if headers is None else headers)
        self.rows: list[Any] = []

    def set_rows(self, rows: Sequence[Any]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.headers)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(self.headers)
        ):
            return self.headers[section]
        return None


class QueryTableModel(QAbstractTableModel):
    """The rows of ``query`` matching a search text (and maybe a filter), shown by ``columns``."""

    def __init__(
        self,
        query: TableQuery,
        columns: Sequence[Column],
        parent: Any = None,
        *,
        load: bool = True,
    ) -> None:
        """``load=False``: no rows until the first ``reload`` (a page not yet shown need
        not read 100,000 ids before the window's first paint)."""
        super().__init__(parent)
        self.query = query
        self.columns = list(columns)
        # where each shown column's value sits in the query's rows (KeyError: no such column)
        self._slots = [query.keys.index(c.key) for c in self.columns]
        self._ids: list[int] = []
        self._cache: dict[int, tuple[Any, ...]] = {}
        self._search = ""
        self._filter: Filter | None = None
        self._sort_column = 0
        self._sort_order = Qt.SortOrder.AscendingOrder
        self._total: int | None = None  # rows without search or filter, until a reload
        # Until the data changes (a reload) or the filter does: each sort's unsearched
        # order, and the ids matching the search text (see ``_ordered_ids``).
        self._orders: dict[tuple[int, Qt.SortOrder], list[int]] = {}
        self._matched: tuple[str, frozenset[int]] | None = None
        self.loaded = False
        if load:
            self.reload()

    # --- querying ----------------------------------------------------------------
    def _ordered_ids(self) -> list[int]:
        """The rows in order. Searched and sorted by a column other than the id, they
        are the column's unsearched order (kept since the last reload) less the rows
        the search does not match (a scan in id order, no sort): one query that both
        searched and sorted made SQLite sort the matches, or walk the name index and
        read each row (100k uses sorted by name, a keystroke: ~280 → ~80 ms)."""
        key = self.columns[self._sort_column].key
        descending = self._sort_order == Qt.SortOrder.DescendingOrder
        if not self._search.split():
            return self._full_order()
        if key == self.query.id_key or self.query.id_key is None:
            return self.query.ordered_ids(key, descending, self._search, self._filter)
        matched = self._matching(self.query.id_key)
        return [rid for rid in self._full_order() if rid in matched]

    def _full_order(self) -> list[int]:
        """Every row (of the filter) in the present sort, unsearched; read once per sort
        until the data changes, so a sort asked again costs no query."""
        sort = (self._sort_column, self._sort_order)
        kept = self._orders.pop(sort, None)
        if kept is None:
            kept = self.query.ordered_ids(
                self.columns[self._sort_column].key,
                descending=self._sort_order == Qt.SortOrder.DescendingOrder,
                filter=self._filter,
            )
        self._orders[sort] = kept  # the most recent last
        while len(self._orders) > KEPT_ORDERS:
            del self._orders[next(iter(self._orders))]
        return kept

    def _matching(self, id_key: str) -> frozenset[int]:
        if self._matched is None or self._matched[0] != self._search:
            ids = self.query.ordered_ids(id_key, search=self._search, filter=self._filter)
            self._matched = (self._search, frozenset(ids))
        return self._matched[1]

    def _forget(self) -> None:
        """The data or the filter changed: no kept order or match still holds."""
        self._orders.clear()
        self._matched = None

    def _fetch(self, row: int) -> None:
        start = (row // PAGE) * PAGE
        ids = self._ids[start : start + PAGE]
        for rid, values in zip(ids, self.query.fetch(ids), strict=True):
            self._cache[rid] = tuple(values[slot] for slot in self._slots)

    def reload(self) -> None:
        """Re-read the rows: the data may have changed (after an edit)."""
        self._forget()
        self._requery(keep_total=False)

    def set_search(self, text: str) -> None:
        if text != self._search:
            self._search = text
            self._requery()

    def set_filter(self, filter: Filter | None) -> None:
        self._filter = filter
        self._forget()
        self._requery()

    def _requery(self, keep_total: bool = True) -> None:
        """Run the query again; a new search or filter over the same data keeps the
        unfiltered total. It is set before the reset is announced: the page shows the
        count on ``modelReset``, and a total unknown there was counted afresh on every
        keystroke (100k uses: 80 ms of a 170 ms keystroke)."""
        total = self._total if keep_total else None
        self.beginResetModel()
        self.loaded = True
        self._ids = self._ordered_ids()
        self._cache.clear()
        # unsearched, unfiltered: the rows are the total ("3 of 27" costs no count then)
        self._total = len(self._ids) if not (self._search or self._filter) else total
        self.endResetModel()

    @property
    def has_filter(self) -> bool:
        return self._filter is not None

    @property
    def search_text(self) -> str:
        return self._search

    def total(self) -> int:
        """How many rows there are without the search and filter ("3 of 27"); counted
        once per reload of the data, not on every keystroke."""
        if self._total is None:
            self._total = self.query.count()
        return self._total

    def id_at(self, row: int) -> int:
        return self._ids[row]

    def row_of(self, rid: int) -> int:
        try:
            return self._ids.index(rid)
        except ValueError:
            return -1

    def values(self, row: int) -> tuple[Any, ...]:
        rid = self._ids[row]
        if rid not in self._cache:
            self._fetch(row)
        return self._cache[rid]

    # --- Qt model interface --------------------------------------------------------
    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self.columns):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self.columns[section].header
        if role == Qt.ItemDataRole.ToolTipRole and self.columns[section].tooltip:
            return self.columns[section].tooltip
        return None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._ids):
            return None
        col = self.columns[index.column()]
        if role == ObjectRole:
            return self._ids[index.row()]
        if role not in (
            Qt.ItemDataRole.DisplayRole,
            Qt.ItemDataRole.ToolTipRole,
            Qt.ItemDataRole.BackgroundRole,
            Qt.ItemDataRole.ForegroundRole,
            Qt.ItemDataRole.TextAlignmentRole,
            SortRole,
        ):
            return None
        value = self.values(index.row())[index.column()]
        if role == SortRole:
            return value
        if role == Qt.ItemDataRole.TextAlignmentRole:
            if col.align_right:
                return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            return None
        if role == Qt.ItemDataRole.BackgroundRole:
            if col.colour and value in TIER_COLOURS:
                return QBrush(QColor(TIER_COLOURS[value]))
            return None
        if role == Qt.ItemDataRole.ForegroundRole:
            if col.colour and value in TIER_COLOURS:
                return QBrush(QColor("#1a1a1a"))  # readable on the pale colours in dark mode
            return None
        if value is None and col.unknown:
            text = col.unknown
        elif col.number and isinstance(value, int) and not isinstance(value, bool):
            text = count_text(value)
        else:
            text = display(value, col.enum)
        if role == Qt.ItemDataRole.ToolTipRole:
            return text if len(text) > 40 else None
        return text

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(self.columns):
            return
        if (column, order) == (self._sort_column, self._sort_order):
            # QTableView.sortByColumn asks twice (indicator change, then the call);
            # the ids are already in this order since the last reload.
            return
        self._sort_column, self._sort_order = column, order
        if not self.loaded:
            return  # the first reload sorts this way
        self.layoutAboutToBeChanged.emit()
        old = self.persistentIndexList()
        old_ids = [self._ids[i.row()] if i.row() < len(self._ids) else None for i in old]
        self._ids = self._ordered_ids()
        position = _positions(self._ids, {rid for rid in old_ids if rid is not None})
        self.changePersistentIndexList(
            old,
            [
                self.index(position[rid], i.column()) if rid in position else QModelIndex()
                for rid, i in zip(old_ids, old, strict=True)
            ],
        )
        self.layoutChanged.emit()


def _positions(ids: list[int], wanted: set[int]) -> dict[int, int]:
    """Where each of ``wanted`` (the few rows the view holds on to: the current one, the
    selection) stands in ``ids``; a dict of every row took 25 ms at 100k rows."""
    if len(wanted) > 32:  # many rows selected: one pass over all beats a scan each
        return {rid: row for row, rid in enumerate(ids) if rid in wanted}
    found: dict[int, int] = {}
    for rid in wanted:
        with contextlib.suppress(ValueError):  # gone from the rows: its index goes invalid
            found[rid] = ids.index(rid)  # a scan in C, no Python object per row
    return found
