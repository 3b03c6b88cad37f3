"""Keyboard and number leftovers: Tab into the Evidence, Controls and Drift tables shows a
row; Ctrl+F, Ctrl+E, Delete and Ctrl+H on the Vendors page act on the section with focus;
the Vendors page writes
counts with the locale's thousands separator."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QLocale, Qt
from PySide6.QtWidgets import QMessageBox, QTableView
from pytestqt.qtbot import QtBot

from riskdesk.service import evidence as ev
from riskdesk.ui.main_window import MainWindow
from riskdesk.ui.pages.controls import ControlLibraryDialog
from riskdesk.ui.widgets.keyboard_table import KeyboardTableView
from riskdesk.ui.widgets.numbers import count_text
from tests.test_keyboard_table import focus


def _tab_highlights_the_first_row(view: QTableView) -> None:
    assert isinstance(view, KeyboardTableView)
    assert view.model().rowCount() > 0
    view.setCurrentIndex(view.model().index(-1, -1))  # nothing current, as first shown
    focus(view, Qt.FocusReason.TabFocusReason)
    assert view.currentIndex().row() == 0
    assert [i.row() for i in view.selectionModel().selectedRows()] == [0]


def test_tab_into_the_evidence_controls_and_drift_tables_shows_a_row(
    window: MainWindow, qtbot: QtBot
) -> None:
    vendor = window.service.rows("vendor", order_by="id")[0]["id"]
    ev.add_evidence(window.service, b"signed", to=[f"vendor:{vendor}"], title="DPA")
    window.evidence_page.reload()
    window.show_page("evidence")
    qtbot.waitUntil(lambda: window.evidence_page.view.model().rowCount() > 0, timeout=10_000)
    _tab_highlights_the_first_row(window.evidence_page.view)
    library = ControlLibraryDialog(window.controls_page)
    qtbot.addWidget(library)
    _tab_highlights_the_first_row(library.view)
    window.show_page("drift")
    drift = window.drift_page
    qtbot.waitUntil(lambda: drift.view.model().rowCount() > 0, timeout=10_000)
    _tab_highlights_the_first_row(drift.view)
    assert isinstance(drift.due_panel.view, KeyboardTableView)


def test_ctrl_f_searches_the_vendors_or_the_models_whichever_has_focus(
    window: MainWindow,
) -> None:
    window.show_page("vendors")
    vendors, models = window.vendors_page, window.models_panel.page
    assert models.search.placeholderText() != vendors.search.placeholderText()
    window.focus_search()  # Ctrl+F anywhere else on the page: the vendors
    assert window.focusWidget() is vendors.search
    models.view.setFocus()
    window.focus_search()  # from the Models section: the models
    assert window.focusWidget() is models.search
    vendors.view.setFocus()
    window.focus_search()
    assert window.focusWidget() is vendors.search


def test_the_vendors_page_writes_people_with_thousands_separators(window: MainWindow) -> None:
    window.show_page("vendors")  # a table page reads its rows when first shown
    page = window.vendors_page
    column = [c.key for c in page.model.columns].index("people")
    people = [page.model.values(r)[column] for r in range(page.model.rowCount())]
    row = max(range(len(people)), key=lambda r: people[r] or 0)
    assert people[row] >= 1000  # the demo's biggest vendor reaches thousands
    shown = page.model.index(row, column).data()
    assert shown == count_text(people[row])
    assert shown == f"{people[row]:,}" or QLocale().name() != "C"  # "C": 12,345
    before = QLocale()
    try:  # another locale, its own separator
        QLocale.setDefault(QLocale(QLocale.Language.German, QLocale.Country.Germany))
        assert count_text(1_250_000) == "1.250.000"
        assert page.model.index(row, column).data() == f"{people[row]:,}".replace(",", ".")
    finally:
        QLocale.setDefault(before)


def test_ctrl_e_delete_and_ctrl_h_act_on_the_section_with_focus(
    window: MainWindow, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    window.show_page("vendors")
    vendors, panel = window.vendors_page, window.models_panel
    models = panel.page
    vendor_id, model_id = vendors.model.id_at(0), models.model.id_at(0)
    vendors.select_id(vendor_id)
    models.select_id(model_id)
    opened: list[tuple[str, int]] = []
    monkeypatch.setattr(panel, "edit", lambda key: opened.append(("ai_model", key)))
    monkeypatch.setattr(window.editors, "edit_record", lambda e, k: opened.append((e, k)))
    monkeypatch.setattr(window.editors, "show_history", lambda e, k: opened.append((e, k)))
    asked: list[str] = []

    def yes(_parent: object, title: str, *_rest: object) -> QMessageBox.StandardButton:
        asked.append(title)
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", yes)
    models.view.setFocus()
    assert window.focusWidget() is models.view
    ctrl = Qt.KeyboardModifier.ControlModifier
    qtbot.keyClick(models.view, Qt.Key.Key_E, ctrl)
    qtbot.keyClick(models.view, Qt.Key.Key_H, ctrl)
    assert opened == [("ai_model", model_id), ("ai_model", model_id)]
    vendors.view.setFocus()  # the vendors table: its own row
    qtbot.keyClick(vendors.view, Qt.Key.Key_E, ctrl)
    qtbot.keyClick(vendors.view, Qt.Key.Key_H, ctrl)
    assert opened[2:] == [("vendor", vendor_id), ("vendor", vendor_id)]

    vendors_before = window.service.count("vendor")
    models.view.setFocus()
    qtbot.keyClick(models.view, Qt.Key.Key_Delete)
    assert asked == ["Delete model"]
    assert model_id not in {m["id"] for m in window.service.rows("ai_model")}
    assert window.service.count("vendor") == vendors_before
