"""Tab into a record table shows a row: the first becomes current and selected, so the
arrow keys, Enter and Delete act on a row the user can see; a click still picks its own."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QFocusEvent
from PySide6.QtWidgets import QApplication

from riskdesk.ui.main_window import MainWindow
from riskdesk.ui.widgets.keyboard_table import KeyboardTableView


def focus(view: KeyboardTableView, reason: Qt.FocusReason) -> None:
    QApplication.sendEvent(view, QFocusEvent(QEvent.Type.FocusIn, reason))


def test_tab_into_a_table_highlights_its_first_row(window: MainWindow) -> None:
    window.show_page("uses")
    view = window.uses_page.view
    assert isinstance(view, KeyboardTableView)
    assert not view.currentIndex().isValid()
    focus(view, Qt.FocusReason.MouseFocusReason)  # a click chooses its own row
    assert not view.currentIndex().isValid()
    focus(view, Qt.FocusReason.TabFocusReason)
    assert view.currentIndex().row() == 0
    assert [i.row() for i in view.selectionModel().selectedRows()] == [0]
    view.selectRow(3)
    focus(view, Qt.FocusReason.BacktabFocusReason)  # coming back keeps where it was
    assert view.currentIndex().row() == 3


def test_an_empty_table_takes_focus_without_a_row(window: MainWindow) -> None:
    view = window.uses_page.view
    window.uses_page.search.setText("no use is called this")
    assert view.model().rowCount() == 0
    focus(view, Qt.FocusReason.TabFocusReason)
    assert not view.currentIndex().isValid()
