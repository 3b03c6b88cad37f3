"""Issue 14, finished: the Drift page's empty state, field hints, adding a person from
an owner picker, Ctrl+Tab in multi-line fields, the export dialog's result, suggested
risks and a cancelled editor, and every gap opening the editor at its field."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTabWidget,
    QWidget,
)
from pytestqt.qtbot import QtBot

from riskdesk.service.register import RegisterService
from riskdesk.ui.editors.record_dialog import RecordDialog
from riskdesk.ui.main_window import MainWindow
from riskdesk.ui.pages.drift import DriftPage

DEMO_DAY = dt.date(2026, 10, 20)


def blank(qtbot: QtBot, service: RegisterService, settings: QSettings) -> MainWindow:
    from riskdesk.ui.app import build_window

    win = build_window(service, settings)
    qtbot.addWidget(win)
    win.resize(1100, 760)
    win.show()
    qtbot.waitExposed(win)
    return win


# --- the Drift page's empty state ------------------------------------------------------------


def test_empty_drift_page_says_what_comes_there_and_offers_to_fill_the_register(
    qtbot: QtBot, service: RegisterService, settings: QSettings
) -> None:
    win = blank(qtbot, service, settings)
    page = win.drift_page
    win.show_page("drift")
    page.refresh_now()
    assert page.empty_state.isVisible() and not page.view.isVisible()
    text = page.empty_state.label.text()
    assert "Nothing to watch yet" in text and "review" in text and "fills by itself" in text
    assert not page.button_row.isVisible()  # Open / Record review / History: nothing to act on
    buttons = [b for b in page.empty_state.buttons if b.isVisible()]
    assert [b.text() for b in buttons] == [
        "&New AI use…",  # no Add button on this page: the mnemonic is its own
        "&Import a spreadsheet…",
        "Open the &demo",
    ]
    with qtbot.waitSignal(win.open_requested, timeout=60_000):
        qtbot.mouseClick(buttons[2], Qt.MouseButton.LeftButton)


def test_drift_page_with_uses_but_no_drift_says_nothing_has_slid(
    qtbot: QtBot, service: RegisterService
) -> None:
    service.create("ai_use", {"name": "Grading aid"})
    page = DriftPage(service)
    qtbot.addWidget(page)
    page.show()
    page.refresh_now()
    assert page.empty_state.isVisible() and not page.view.isVisible()
    assert "No drift" in page.empty_state.label.text()
    assert not any(b.isVisible() for b in page.empty_state.buttons)


def test_drift_page_with_drift_shows_the_table(qtbot: QtBot, demo_service: RegisterService) -> None:
    from tests.conftest import DEMO_TODAY

    page = DriftPage(demo_service, today=DEMO_TODAY)
    qtbot.addWidget(page)
    page.show()
    page.refresh_now()
    assert page.model.rowCount() > 0
    assert page.view.isVisible() and not page.empty_state.isVisible()
    assert page.button_row.isVisible()


# --- hints on every field of the use and risk editors ----------------------------------------


def form_fields(ui: object) -> dict[str, QWidget]:
    """Every input and button of a compiled form (``editor.ui``), by object name."""
    kinds = (QAbstractButton, QAbstractItemView, QAbstractSpinBox, QComboBox, QLineEdit)
    kinds += (QPlainTextEdit,)
    return {
        name: w
        for name, w in vars(ui).items()
        if isinstance(w, kinds) and not isinstance(w, QDialogButtonBox)
    }


def test_every_field_of_the_use_and_risk_editors_has_a_hint(
    window: MainWindow, qtbot: QtBot
) -> None:
    from riskdesk.ui.editors.risk_editor import RiskEditor

    use_editor = window.use_editor(1)
    risk = window.service.rows("risk")[0]
    risk_editor = RiskEditor(window.service, window.history, risk["use_id"], risk["id"], window)
    missing = []
    for editor in (use_editor, risk_editor):
        qtbot.addWidget(editor)
        fields = form_fields(editor.ui)
        assert len(fields) >= 15
        missing += [f"{type(editor).__name__}.{n}" for n, w in fields.items() if not w.toolTip()]
    assert missing == []
    # The code-set hints add to the form's, never replace them.
    tip = risk_editor.ui.inherent_likelihood.toolTip()
    assert "before any controls" in tip and "5 = Almost certain" in tip
    tip = use_editor.ui.childrens_data.toolTip()
    assert "children" in tip and "not answered" in tip


# --- add a person from any owner picker ----------------------------------------------------


def add_person_named(name: str, seen: list[dict[str, object]]) -> Callable[[QDialog], int]:
    """A stand-in for the person dialog's exec: type ``name`` and save."""

    def run(dialog: QDialog) -> int:
        assert isinstance(dialog, RecordDialog) and dialog.entity == "person"
        line = dialog.findChild(QComboBox, "default_line")
        seen.append({"line": line.currentData() if line else None})
        name_field = dialog.findChild(QLineEdit, "name")
        assert name_field is not None
        name_field.setText(name)
        dialog.save()
        return int(dialog.result())

    return run


def test_new_person_from_the_use_editors_owner_picker(
    window: MainWindow, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    editor = window.use_editor(1)
    qtbot.addWidget(editor)
    qtbot.keyClicks(editor.ui.name, " (edited)")
    second_before = editor.ui.owner_second_id.currentData()
    button = editor.findChild(QPushButton, "owner_first_id_new")
    assert button is not None and button.text() == "New person…"
    assert "1st-line owner" in button.accessibleName()
    # In the picker's own form row, right beside it.
    form = editor.ui.owner_first_id.parentWidget().layout()
    assert isinstance(form, QFormLayout)
    row = next(
        r
        for r in range(form.rowCount())
        if (item := form.itemAt(r, QFormLayout.ItemRole.FieldRole)) is not None
        and item.layout() is not None
        and item.layout().indexOf(button) >= 0
    )
    assert (
        form.itemAt(row, QFormLayout.ItemRole.FieldRole).layout().indexOf(editor.ui.owner_first_id)
        >= 0
    )
    seen: list[dict[str, object]] = []
    monkeypatch.setattr(RecordDialog, "exec", add_person_named("Avery Quinn", seen))
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    people = {p["name"]: p["id"] for p in window.service.rows("person")}
    assert "Avery Quinn" in people
    assert editor.ui.owner_first_id.currentData() == people["Avery Quinn"]
    assert editor.ui.owner_first_id.currentText() == "Avery Quinn"
    # Listed in the other pickers too, which keep their choice; the edit is still there.
    assert editor.ui.owner_third_id.findData(people["Avery Quinn"]) >= 0
    assert editor.ui.owner_second_id.currentData() == second_before
    assert editor.ui.name.text().endswith(" (edited)")
    window.undo_action.trigger()  # the person is its own undoable step
    assert "Avery Quinn" not in {p["name"] for p in window.service.rows("person")}


def test_new_person_from_the_risk_and_incident_owner_pickers(
    window: MainWindow, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    from riskdesk.ui.editors.incident_dialog import IncidentDialog
    from riskdesk.ui.editors.risk_editor import RiskEditor

    seen: list[dict[str, object]] = []
    monkeypatch.setattr(RecordDialog, "exec", add_person_named("Rae Lin", seen))
    risk = window.service.rows("risk")[0]
    editor = RiskEditor(window.service, window.history, risk["use_id"], risk["id"], window)
    qtbot.addWidget(editor)
    accept = editor.findChild(QPushButton, "accepted_by_id_new")
    assert accept is not None
    qtbot.mouseClick(accept, Qt.MouseButton.LeftButton)
    # Who accepts a risk is 2nd or 3rd line: the new person starts as 2nd line, so listed.
    assert seen == [{"line": "second"}]
    assert editor.ui.accepted_by_id.currentText() == "Rae Lin"
    assert editor.ui.owner_id.findText("Rae Lin") >= 0
    owner = editor.findChild(QPushButton, "owner_id_new")
    assert owner is not None

    monkeypatch.setattr(RecordDialog, "exec", add_person_named("Sol Park", seen))
    incident = IncidentDialog(window.service, window.history, None, window)
    qtbot.addWidget(incident)
    button = incident.findChild(QPushButton, "owner_id_new")
    assert button is not None
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    combo = incident.findChild(QComboBox, "owner_id")
    assert combo is not None and combo.currentText() == "Sol Park"


def test_an_error_on_an_owner_picker_is_shown_under_its_row(
    window: MainWindow, qtbot: QtBot
) -> None:
    from riskdesk.service.errors import FieldProblem

    editor = window.use_editor(1)
    qtbot.addWidget(editor)
    editor.binding.show_errors([FieldProblem("owner_first_id", "Choose someone still here")])
    label = editor.findChild(QLabel, "owner_first_id_error")
    assert label is not None and label.text() == "Choose someone still here"
    form = editor.ui.owner_first_id.parentWidget().layout()
    assert isinstance(form, QFormLayout) and form.indexOf(label) >= 0


# --- Ctrl+Tab types a tab in multi-line fields ------------------------------------------------


def test_ctrl_tab_types_a_tab_where_tab_moves_on(window: MainWindow, qtbot: QtBot) -> None:
    from riskdesk.ui.editors.incident_dialog import IncidentDialog
    from riskdesk.ui.editors.risk_editor import RiskEditor

    risk = window.service.rows("risk")[0]
    dialogs: list[QDialog] = [
        window.use_editor(1),
        RiskEditor(window.service, window.history, risk["use_id"], risk["id"], window),
        RecordDialog(window.service, window.history, "person", 1, window),
        IncidentDialog(window.service, window.history, None, window),
    ]
    typed = []
    for dialog in dialogs:
        qtbot.addWidget(dialog)
        dialog.show()
        qtbot.waitExposed(dialog)
        tabs = dialog.findChild(QTabWidget)
        for text in dialog.findChildren(QPlainTextEdit):
            if text.isReadOnly() or not text.tabChangesFocus():
                continue
            if tabs is not None:  # bring its tab to the front, as the user would
                page = next(
                    tabs.widget(i) for i in range(tabs.count()) if tabs.widget(i).isAncestorOf(text)
                )
                tabs.setCurrentWidget(page)
            if not text.isVisible():
                continue  # a section this record does not show (e.g. not an agent)
            text.setPlainText("a")
            text.moveCursor(QTextCursor.MoveOperation.End)
            text.setFocus()
            qtbot.waitUntil(text.hasFocus)
            qtbot.keyClick(text, Qt.Key.Key_Tab, Qt.KeyboardModifier.ControlModifier)
            assert text.toPlainText() == "a\t", text.objectName()
            assert text.hasFocus() and (tabs is None or tabs.currentWidget().isAncestorOf(text))
            qtbot.keyClick(text, Qt.Key.Key_Tab)
            assert text.toPlainText() == "a\t"  # plain Tab moved on, typed nothing
            typed.append(f"{type(dialog).__name__}.{text.objectName()}")
        dialog.done(0)  # from code: the edits above are test data, nothing to ask about
    for name in ("purpose", "notes", "rollback_plan", "description", "acceptance_rationale"):
        assert any(t.endswith(f".{name}") for t in typed), name


# --- the export dialog: the whole path, a result that stays ---------------------------------


def test_export_dialog_shows_the_whole_path_and_a_result_that_stays(
    window: MainWindow, qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from riskdesk.ui.dialogs import export as export_dialog

    opened: list[Path] = []
    viewer = {"works": True}
    monkeypatch.setattr(export_dialog, "open_file", lambda p: opened.append(p) or viewer["works"])
    window.show_page("uses")
    dialog = window.open_export_dialog()
    qtbot.waitExposed(dialog)
    folder = tmp_path / "a folder with a rather long name" / "board papers for the autumn term"
    folder.mkdir(parents=True)
    target = folder / "hill-valley-unified-school-district-board-pack-2026-11-01.pdf"
    dialog.format.setCurrentIndex(dialog.format.findData("pdf"))
    dialog.path.setText(str(target))
    shown = dialog.destination.text().replace("\u200b", "")
    assert shown == f"Saves to {target}" and dialog.path.toolTip() == str(target)
    assert dialog.destination.wordWrap()
    # Wrapped within the dialog's width, never wider than the screen allows.
    qtbot.waitUntil(lambda: dialog.destination.width() <= dialog.width())
    assert not dialog.result_box.isVisible()

    with qtbot.waitSignal(dialog.exported, timeout=60_000):
        qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    assert target.is_file()
    assert dialog.isVisible() and dialog.result_box.isVisible()  # stays until closed
    assert dialog.result_label.text() == f"Saved to {target}"
    qtbot.mouseClick(dialog.open_folder_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(dialog.open_file_button, Qt.MouseButton.LeftButton)
    assert opened == [folder, target]

    viewer["works"] = False  # a computer with no PDF viewer and no file manager
    qtbot.mouseClick(dialog.open_file_button, Qt.MouseButton.LeftButton)
    text = dialog.result_label.text()
    assert text.startswith(f"Saved to {target}")
    assert "No application on this computer could open it" in text and ".pdf" in text
    label = dialog.result_label  # every wrapped line shown, none cut off
    qtbot.waitUntil(lambda: label.height() >= label.heightForWidth(label.width()))
    destination = dialog.destination
    assert destination.height() >= destination.heightForWidth(destination.width())
    qtbot.mouseClick(dialog.open_folder_button, Qt.MouseButton.LeftButton)
    assert f"find the file in {folder}" in dialog.result_label.text()
    dialog.close()


def test_open_when_done_without_a_viewer_says_so_in_the_dialog(
    window: MainWindow, qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from riskdesk.ui.dialogs import export as export_dialog
    from riskdesk.ui.dialogs.export import ExportDialog

    monkeypatch.setattr(export_dialog, "open_file", lambda _p: False)
    dialog = ExportDialog(window.service, window.settings, window)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.format.setCurrentIndex(dialog.format.findData("csv"))
    dialog.path.setText(str(tmp_path / "tables.zip"))
    dialog.open_when_done.setChecked(True)
    with qtbot.waitSignal(dialog.exported, timeout=60_000):
        dialog.start()
    assert dialog.result_box.isVisible()
    assert "No application on this computer could open it" in dialog.result_label.text()
    dialog.path.setText(str(tmp_path / "again.zip"))
    with qtbot.waitSignal(dialog.exported, timeout=60_000):
        dialog.start()  # a second export replaces the first one's result
    assert dialog.result_label.text().startswith(f"Saved to {tmp_path / 'again.zip'}")


# --- suggested risks and a cancelled editor ------------------------------------------------


def test_cancel_says_the_suggested_risks_added_stay_saved(window: MainWindow, qtbot: QtBot) -> None:
    from tests.test_gui_first_hour import answer_box

    editor = window.use_editor(1)  # a saved use: it has the Suggested risks panel
    qtbot.addWidget(editor)
    editor.show()
    qtbot.waitExposed(editor)
    panel = editor.suggestions_panel
    assert panel is not None
    panel.rebuild()
    assert panel.suggestions, "the demo use has suggestions"
    assert "Cancel does not remove it" in panel.intro.text()  # said before, too
    title = panel.suggestions[0].risk.title
    before = window.service.count("risk")
    panel.add(panel.suggestions[0])
    assert window.service.count("risk") == before + 1

    seen: list[str] = []
    answer_box("keepEditingButton", seen)
    qtbot.keyClick(editor, Qt.Key.Key_Escape)  # the form is unchanged, yet it asks
    assert len(seen) == 1 and editor.isVisible()
    assert f"1 risk was added to the register while this editor was open (“{title}”)" in seen[0]
    assert "already saved" in seen[0] and "Ctrl+Z" in seen[0]
    assert "Discard your changes" not in seen[0]

    qtbot.keyClicks(editor.ui.name, " (renamed)")  # now the form has an edit too
    answer_box("discardButton", seen)
    buttons = editor.findChild(QDialogButtonBox)
    assert buttons is not None
    cancel = buttons.button(QDialogButtonBox.StandardButton.Cancel)
    qtbot.mouseClick(cancel, Qt.MouseButton.LeftButton)
    assert len(seen) == 2 and "Discard your changes" in seen[1] and title in seen[1]
    assert not editor.isVisible()
    assert window.service.count("risk") == before + 1  # as the message said
    window.undo_action.trigger()  # and as it said, Ctrl+Z takes it back
    assert window.service.count("risk") == before


# --- every gap opens the editor at the field that closes it, and says which ------------------


def every_gap_code() -> list[str]:
    from riskdesk.scoring.ladder import RUNGS
    from riskdesk.service.agents import AGENT_RUNGS
    from riskdesk.service.evidence import GAP_RUNG

    return [r.code for r in RUNGS] + list(AGENT_RUNGS) + [GAP_RUNG]


def test_every_kind_of_gap_leads_somewhere_and_says_where(window: MainWindow, qtbot: QtBot) -> None:
    from riskdesk.ui.editors.use_gaps import GAP_ELSEWHERE

    editor = window.use_editor(1)
    qtbot.addWidget(editor)
    editor.show()
    qtbot.waitExposed(editor)
    nowhere = []
    for code in every_gap_code():
        editor.gap_guide.hide()
        target = editor.go_to_gap(code, "Some gap")
        guide = editor.gap_guide.text()
        if target is not None:
            qtbot.waitUntil(target.hasFocus)
            assert editor.ui.tabs.currentWidget().isAncestorOf(target) or (
                target is editor.ui.tabs.currentWidget()
            ), code
            assert editor.gap_guide.isVisible() and guide.startswith("To close “Some gap”:")
            assert " tab" in guide, (code, guide)  # says which tab the field is on
        elif code in GAP_ELSEWHERE:
            assert editor.gap_guide.isVisible() and GAP_ELSEWHERE[code] in guide, code
        else:
            nowhere.append(code)
    assert nowhere == []


def test_double_clicking_an_assessment_gap_goes_to_the_first_unanswered_question(
    window: MainWindow, qtbot: QtBot
) -> None:
    use_id = window.history.create(
        "Add", "ai_use", {"name": "Timetable helper", "people_affected": 300}
    ).created_id
    editor = window.use_editor(use_id)
    qtbot.addWidget(editor)
    editor.show()
    qtbot.waitExposed(editor)
    editor.ui.tabs.setCurrentWidget(editor.ui.gapsTab)
    gaps = editor.ui.gapsList
    item = next(
        gaps.item(i)
        for i in range(gaps.count())
        if gaps.item(i).data(Qt.ItemDataRole.UserRole) == "assessment_missing"
    )
    # Reach is answered (300), so the first question still open is the decision role.
    assert "Double-click to go to Decision role on the" in item.toolTip()
    rect = gaps.visualItemRect(item)
    qtbot.mouseClick(gaps.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(gaps.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.waitUntil(editor.ui.decision_role.hasFocus)
    assert editor.ui.tabs.currentWidget() is editor.ui.exposureTab
    assert "fill in Decision role on the" in editor.gap_guide.text()


def test_an_open_incident_gap_opens_the_incident_at_its_status(
    window: MainWindow, qtbot: QtBot
) -> None:
    service = window.service
    use_id = 1
    window.history.create(
        "Log",
        "incident",
        {"title": "Wrong grade sent home", "use_id": use_id, "occurred_on": DEMO_DAY},
    )
    editor = window.use_editor(use_id)
    qtbot.addWidget(editor)
    editor.show()
    qtbot.waitExposed(editor)
    gaps = editor.ui.gapsList
    item = next(
        gaps.item(i)
        for i in range(gaps.count())
        if gaps.item(i).data(Qt.ItemDataRole.UserRole) == "incident_open"
        and "Wrong grade sent home" in gaps.item(i).text()
    )
    assert "close the incident in its own editor" in item.toolTip()
    editor.ui.tabs.setCurrentWidget(editor.ui.gapsTab)
    gaps.setCurrentItem(item)
    gaps.setFocus()
    qtbot.keyClick(gaps, Qt.Key.Key_Return)  # Enter works like a double-click
    dialog = editor.incident_dialog
    assert dialog is not None
    qtbot.addWidget(dialog)
    qtbot.waitExposed(dialog)
    title = dialog.findChild(QLineEdit, "title")
    assert title is not None and title.text() == "Wrong grade sent home"
    status = dialog.findChild(QComboBox, "status")
    qtbot.waitUntil(lambda: status is not None and status.hasFocus())
    assert "Wrong grade sent home" in editor.gap_guide.text()
    dialog.done(0)
    assert service.count("incident") >= 1


def test_the_review_and_challenge_dialogs_ask_before_losing_typed_notes(
    window: MainWindow, qtbot: QtBot
) -> None:
    from riskdesk.ui.editors.use_challenges_tab import ChallengeStepDialog
    from riskdesk.ui.editors.use_review_dialog import RecordReviewDialog
    from tests.test_gui_first_hour import answer_box

    review = RecordReviewDialog(window.service, window.history, 1, window)
    challenge = ChallengeStepDialog("Raise a challenge", "What to question.", "&Challenge", window)
    for dialog, text in ((review, review.notes), (challenge, challenge.text)):
        qtbot.addWidget(dialog)
        dialog.show()
        qtbot.waitExposed(dialog)
        qtbot.keyClick(dialog, Qt.Key.Key_Escape)  # nothing typed: closes at once
        assert not dialog.isVisible()
        dialog.show()
        qtbot.waitExposed(dialog)
        dialog.activateWindow()
        text.setFocus()
        qtbot.waitUntil(text.hasFocus)
        qtbot.keyClicks(text, "Looked at the logs.")
        qtbot.keyClick(text, Qt.Key.Key_Tab, Qt.KeyboardModifier.ControlModifier)
        assert text.toPlainText() == "Looked at the logs.\t"
        seen: list[str] = []
        answer_box("keepEditingButton", seen)
        qtbot.keyClick(dialog, Qt.Key.Key_Escape)
        assert seen and dialog.isVisible()
        answer_box("discardButton", seen)
        qtbot.keyClick(dialog, Qt.Key.Key_Escape)
        assert len(seen) == 2 and not dialog.isVisible()


def test_mnemonics_are_unique_on_every_tab_of_the_editors(window: MainWindow, qtbot: QtBot) -> None:
    """Alt+letter reaches one field: two labels with the same letter on one tab (People
    &affected, &Autonomy) made the second unreachable; a tab's letter counts on every page."""
    import re

    from PySide6.QtWidgets import QAbstractButton

    from riskdesk.ui.editors.incident_dialog import IncidentDialog
    from riskdesk.ui.editors.risk_editor import RiskEditor

    def letters(root: QWidget) -> list[tuple[str, QWidget]]:
        out = []
        for w in root.findChildren(QWidget):
            text = w.text() if isinstance(w, (QLabel, QAbstractButton)) else ""
            if "<" in text:
                continue  # rich text: its & are entities, and it takes no mnemonic
            found = re.search(r"&([^&\s])", text)
            if found:
                out.append((found.group(1).lower(), w))
        return out

    risk = window.service.rows("risk")[0]
    dialogs: list[QDialog] = [
        window.use_editor(1),
        RiskEditor(window.service, window.history, risk["use_id"], risk["id"], window),
        RecordDialog(window.service, window.history, "person", 1, window),
        RecordDialog(window.service, window.history, "vendor", 1, window),
        IncidentDialog(window.service, window.history, None, window),
    ]
    clashes = []
    for dialog in dialogs:
        qtbot.addWidget(dialog)
        tabs = dialog.findChild(QTabWidget)
        pages = [tabs.widget(i) for i in range(tabs.count())] if tabs else []
        shared = [(k, w) for k, w in letters(dialog) if not any(p.isAncestorOf(w) for p in pages)]
        if tabs:  # a tab's own letter works on every page (A&gent vs Affected &groups)
            for i in range(tabs.count()):
                found = re.search(r"&([^&\s])", tabs.tabText(i))
                shared += [(found.group(1).lower(), tabs.tabBar())] if found else []
        for page in pages or [dialog]:
            found = shared + (letters(page) if page is not dialog else [])
            keys = [k for k, _w in found]
            clashes += [
                f"{type(dialog).__name__}/{page.objectName()}: {k}"
                for k in sorted(set(keys))
                if keys.count(k) > 1
            ]
    assert clashes == []


def test_tab_goes_from_an_owner_picker_to_its_new_person_button(
    window: MainWindow, qtbot: QtBot
) -> None:
    editor = window.use_editor(1)
    qtbot.addWidget(editor)
    editor.show()
    qtbot.waitExposed(editor)
    editor.ui.tabs.setCurrentWidget(editor.ui.oversightTab)
    order = []
    editor.ui.owner_first_id.setFocus()
    qtbot.waitUntil(editor.ui.owner_first_id.hasFocus)
    for _ in range(4):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        order.append(QApplication.focusWidget().objectName())
    assert order == [
        "owner_first_id_new",
        "owner_second_id",
        "owner_second_id_new",
        "owner_third_id",
    ]


def test_empty_pages_have_one_button_per_mnemonic(
    qtbot: QtBot, service: RegisterService, settings: QSettings
) -> None:
    import re

    win = blank(qtbot, service, settings)
    clashes = []
    for key in ("uses", "risks", "people", "vendors", "incidents", "controls", "drift"):
        win.show_page(key)
        page = win.pages[key]
        qtbot.waitUntil(page.isVisible)
        keys = [
            found.group(1).lower()
            for b in page.findChildren(QPushButton)
            if b.isVisible() and (found := re.search(r"&(\w)", b.text()))
        ]
        clashes += [f"{key}: {k}" for k in sorted(set(keys)) if keys.count(k) > 1]
    assert clashes == []
