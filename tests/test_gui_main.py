"""The main window driven through real widgets (pytest-qt, offscreen)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QDialogButtonBox, QMessageBox
from pytestqt.qtbot import QtBot

from riskdesk.service.register import RegisterService
from riskdesk.ui.app import build_window
from riskdesk.ui.main_window import MainWindow


@pytest.fixture
def empty_window(qtbot: QtBot, service: RegisterService, settings: QSettings) -> MainWindow:
    owner = service.create("person", {"name": "Ada Owner"})
    del owner
    win = build_window(service, settings)
    qtbot.addWidget(win)
    win.show()
    return win


def names(win: MainWindow) -> list[str]:
    model = win.uses_page.model
    return [model.data(model.index(r, model.NAME)) for r in range(model.rowCount())]


def test_window_lists_the_demo_register(window: MainWindow) -> None:
    window.show_page("uses")  # the dashboard opens first; a table reads its rows when shown
    assert window.uses_page.model.rowCount() == 28
    assert "Student homework chatbot" in names(window)
    assert "28 AI uses" in window.status.text()


def test_search_filters_the_table_instantly(window: MainWindow, qtbot: QtBot) -> None:
    page = window.uses_page
    qtbot.keyClicks(page.search, "chatbot")
    assert sorted(names(window)) == ["Customer support chatbot", "Student homework chatbot"]
    assert page.count_label.text() == "2 of 28 AI uses"
    page.search.clear()
    qtbot.keyClicks(page.search, "Priya")  # owner names are searchable too
    assert all(n for n in names(window)) and len(names(window)) >= 4


def test_sorting_by_tier_orders_by_meaning(window: MainWindow) -> None:
    view, model = window.uses_page.view, window.uses_page.model
    view.sortByColumn(model.TIER, Qt.SortOrder.DescendingOrder)
    tiers = [model.data(model.index(r, model.TIER)) for r in range(model.rowCount())]
    order = ["Critical", "High", "Moderate", "Low"]
    assert tiers == sorted(tiers, key=order.index)


def test_ctrl_f_focuses_search(window: MainWindow, qtbot: QtBot) -> None:
    # Focus only exists in the active window: make it active rather than excuse it.
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    window.show_page("people")
    find = window.findChild(type(window.undo_action), "actionFind")
    find.trigger()
    qtbot.waitUntil(window.people_page.search.hasFocus)
    # From a page without a search box, Find opens the AI uses and focuses theirs.
    window.show_page("dashboard")
    find.trigger()
    assert window.stack.currentWidget() is window.uses_page
    qtbot.waitUntil(window.uses_page.search.hasFocus)


def test_create_edit_undo_redo_through_the_form(empty_window: MainWindow, qtbot: QtBot) -> None:
    win = empty_window
    win.show_page("uses")
    editor = win.use_editor(None)
    qtbot.addWidget(editor)
    qtbot.keyClicks(editor.ui.name, "Grading aid")
    editor.ui.owner_first_id.setCurrentIndex(editor.ui.owner_first_id.findText("Ada Owner"))
    editor.ui.people_affected.setValue(5000)
    qtbot.mouseClick(
        editor.ui.buttons.button(QDialogButtonBox.StandardButton.Save), Qt.MouseButton.LeftButton
    )
    assert editor.result() == editor.DialogCode.Accepted
    assert names(win) == ["Grading aid"]
    use_id = editor.use_id
    assert win.service.get("ai_use", use_id)["people_affected"] == 5000

    editor = win.use_editor(use_id)
    qtbot.addWidget(editor)
    editor.ui.name.setText("Grading assistant")
    editor.save()
    assert names(win) == ["Grading assistant"]

    win.undo_action.trigger()
    assert names(win) == ["Grading aid"]
    win.undo_action.trigger()
    assert names(win) == []
    win.redo_action.trigger()
    assert names(win) == ["Grading aid"]
    win.redo_action.trigger()
    assert names(win) == ["Grading assistant"]
    assert win.service.get("ai_use", use_id)["people_affected"] == 5000


def test_validation_error_is_shown_next_to_the_field(
    empty_window: MainWindow, qtbot: QtBot
) -> None:
    editor = empty_window.use_editor(None)
    qtbot.addWidget(editor)
    editor.show()
    editor.save()  # empty name
    assert editor.isVisible()
    assert not editor.ui.errorBanner.isHidden()
    error = editor.findChild(type(editor.ui.errorBanner), "name_error")
    assert error is not None and error.text() == "must not be empty"
    assert empty_window.service.count("ai_use") == 0


def test_delete_asks_and_can_be_undone(
    window: MainWindow, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    window.show_page("uses")  # the dashboard opens first; Delete acts on the page shown
    page = window.uses_page
    page.select_id(1)
    risks_before = window.service.count("risk")
    qtbot.keyClick(page.view, Qt.Key.Key_Delete)
    assert "Student homework chatbot" not in names(window)
    assert window.service.count("risk") < risks_before
    window.undo_action.trigger()
    assert "Student homework chatbot" in names(window)
    assert window.service.count("risk") == risks_before


def test_delete_declined_changes_nothing(
    window: MainWindow, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.No)
    window.show_page("uses")
    window.uses_page.select_id(1)
    window.uses_page.delete_selected()
    assert window.uses_page.model.rowCount() == 28


def test_risk_editor_refuses_residual_above_inherent(window: MainWindow, qtbot: QtBot) -> None:
    from riskdesk.ui.editors.risk_editor import RiskEditor

    editor = RiskEditor(window.service, window.history, use_id=1, parent=window)
    qtbot.addWidget(editor)
    editor.ui.title.setText("Made-up citations")
    editor.ui.inherent_likelihood.setValue(2)
    editor.ui.inherent_impact.setValue(2)
    editor.ui.residual_likelihood.setValue(4)
    editor.ui.residual_impact.setValue(4)
    before = window.service.count("risk")
    editor.save()
    error = editor.findChild(type(editor.ui.errorBanner), "residual_likelihood_error")
    assert error is not None and "above the inherent" in error.text()
    assert window.service.count("risk") == before
    editor.ui.residual_likelihood.setValue(1)
    editor.ui.residual_impact.setValue(2)
    editor.save()
    assert window.service.count("risk") == before + 1


def test_people_page_adds_a_person(window: MainWindow, qtbot: QtBot) -> None:
    from riskdesk.ui.editors.record_dialog import RecordDialog

    dialog = RecordDialog(window.service, window.history, "person", None, window)
    qtbot.addWidget(dialog)
    qtbot.keyClicks(dialog.findChild(type(window.people_page.search), "name"), "Nora Newhire")
    dialog.save()
    assert any(p["name"] == "Nora Newhire" for p in window.service.rows("person"))
    window.show_page("people")  # marked stale by the edit, reloaded when shown
    assert window.people_page.model.rowCount() == 14


def test_geometry_is_remembered(window: MainWindow, settings: QSettings) -> None:
    window.resize(900, 600)
    window.close()
    assert settings.value("window/geometry") is not None


def test_table_models_pass_the_model_tester(window: MainWindow, qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    for page in (
        window.uses_page,
        window.risks_page,
        window.people_page,
        window.vendors_page,
        window.incidents_page,
    ):
        qtmodeltester.check(page.model, force_py=True)


def test_first_run_dialog_requires_a_name_then_sets_the_profile(
    qtbot: QtBot, empty_window: MainWindow, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    from riskdesk.ui import app as app_module
    from riskdesk.ui.dialogs.first_run import FirstRunDialog

    def fake_exec(dialog: FirstRunDialog) -> int:
        dialog._accept()
        assert not dialog.ui.errorBanner.isHidden()  # no name yet
        dialog.ui.org_name.setText("Hill Valley Schools")
        dialog.ui.champion_name.setText("Jo")
        dialog._accept()
        return int(dialog.result())

    monkeypatch.setattr(FirstRunDialog, "exec", fake_exec)
    app_module.run_first_run(empty_window)
    profile = empty_window.service.profile()
    assert profile["name"] == "Hill Valley Schools" and profile["champion_name"] == "Jo"
    assert "Hill Valley Schools" in empty_window.windowTitle()


def test_first_run_can_start_from_the_demo(
    qtbot: QtBot, empty_window: MainWindow, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    from riskdesk.ui import app as app_module
    from riskdesk.ui.dialogs.first_run import FirstRunDialog

    def fake_exec(dialog: FirstRunDialog) -> int:
        dialog.ui.startDemo.setChecked(True)
        dialog._accept()
        return int(dialog.result())

    monkeypatch.setattr(FirstRunDialog, "exec", fake_exec)
    empty_window.service.delete("person", 1)
    app_module.run_first_run(empty_window)
    empty_window.show_page("uses")
    assert empty_window.uses_page.model.rowCount() >= 25


def test_controller_refuses_a_bad_file_with_a_message(
    qtbot: QtBot, tmp_path: Path, settings: QSettings, monkeypatch: pytest.MonkeyPatch
) -> None:
    from riskdesk.ui.app import Controller

    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "critical", lambda _p, _t, text: shown.append(text))
    bogus = tmp_path / "holiday.db"
    bogus.write_bytes(b"\x89PNG not a database at all")
    controller = Controller(settings, first_run=False)
    assert controller.open(str(bogus)) is None
    assert shown and "not a riskdesk register" in shown[0]
    assert bogus.read_bytes() == b"\x89PNG not a database at all"


def test_controller_opens_and_remembers_recent_files(
    qtbot: QtBot, tmp_path: Path, settings: QSettings
) -> None:
    from riskdesk.ui.app import Controller
    from riskdesk.ui.main_window import recent_files

    controller = Controller(settings, first_run=False)
    first = controller.open(str(tmp_path / "one.db"))
    assert first is not None
    qtbot.addWidget(first)
    second = controller.open(str(tmp_path / "two.db"))
    assert second is not None
    qtbot.addWidget(second)
    assert not first.isVisible()
    assert recent_files(settings)[:2] == [str(tmp_path / "two.db"), str(tmp_path / "one.db")]


def test_the_editor_keeps_an_unanswered_use_unknown(empty_window: MainWindow, qtbot: QtBot) -> None:
    win = empty_window
    editor = win.use_editor(None)
    qtbot.addWidget(editor)
    qtbot.keyClicks(editor.ui.name, "Self-harm scanning")
    assert "Not assessed" in editor.ui.tierBadge.text()
    assert "between Low and Critical" in editor.ui.tierBadge.text()
    why = editor.ui.tierExplanation.text()
    assert "not answered yet" in why and "Uses internal information" not in why
    editor.save()
    use_id = editor.use_id
    factors = ("people_affected", "decision_role", "childrens_data", "rights_impacting")
    stored = win.service.get("ai_use", use_id)
    assert [stored[f] for f in factors] == [None] * len(factors)

    # Opening it and saving another change must not turn the unknowns into answers.
    editor = win.use_editor(use_id)
    qtbot.addWidget(editor)
    assert editor.ui.people_affected.text() == "Not answered yet"
    assert editor.ui.childrens_data.checkState() == Qt.CheckState.PartiallyChecked
    editor.ui.name.setText("Gaggle self-harm scanning")
    editor.save()
    stored = win.service.get("ai_use", use_id)
    assert stored["name"] == "Gaggle self-harm scanning"
    assert [stored[f] for f in factors] == [None] * len(factors)
    assert stored["tier"] == "not_assessed"

    # The register shows its tier as Not assessed and its exposure as a range.
    model = win.uses_page.model
    win.uses_page.reload()
    row = names(win).index("Gaggle self-harm scanning")
    assert model.data(model.index(row, model.TIER)) == "Not assessed"
    assert model.data(model.index(row, model.EXPOSURE)) == "0–100"


def test_not_assessed_sorts_above_critical(window: MainWindow) -> None:
    window.service.create("ai_use", {"name": "Unassessed tool"})
    view, model = window.uses_page.view, window.uses_page.model
    window.uses_page.reload()
    view.sortByColumn(model.TIER, Qt.SortOrder.DescendingOrder)
    tiers = [model.data(model.index(r, model.TIER)) for r in range(model.rowCount())]
    assert tiers[0] == "Not assessed" and tiers[1] == "Critical"
