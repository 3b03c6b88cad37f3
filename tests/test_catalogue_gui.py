"""The catalogue in the window: add risk from catalogue, suggestions, incidents elsewhere,
the Frameworks and Controls pages (pytest-qt, offscreen)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QMessageBox, QPushButton
from pytestqt.qtbot import QtBot

from riskdesk.catalogue.incidents import ATTRIBUTION
from riskdesk.service import frameworks as fw
from riskdesk.service.register import RegisterService
from riskdesk.ui.dialogs.catalogue import CatalogueDialog, CatalogueHitModel
from riskdesk.ui.editors.risk_editor import RiskEditor
from riskdesk.ui.editors.use_incidents_tab import IncidentsPanel
from riskdesk.ui.editors.use_suggestions_tab import SuggestionsPanel
from riskdesk.ui.main_window import MainWindow
from riskdesk.ui.pages.controls import (
    ControlLibraryDialog,
    ControlsPage,
    LinkRisksDialog,
    control_dialog,
)
from riskdesk.ui.pages.frameworks import CoverageTableModel, FrameworksPage
from tests.demo_expectations import demo_rmf_coverage


def use_id(service: RegisterService, name: str) -> int:
    return int(service.rows("ai_use", name=name)[0]["id"])


def risk_titles(service: RegisterService, uid: int) -> list[str]:
    return [r["title"] for r in service.rows("risk", use_id=uid)]


def save_editor_instead_of_exec(monkeypatch: pytest.MonkeyPatch, seen: list[RiskEditor]) -> None:
    """Stand in for the modal loop: record the prefilled editor, then press Save."""

    def fake_exec(editor: RiskEditor) -> int:
        seen.append(editor)
        editor.save()
        return int(editor.result())

    monkeypatch.setattr(RiskEditor, "exec", fake_exec)


# --- add risk from catalogue ------------------------------------------------------------


def test_catalogue_pick_opens_prefilled_editor_and_save_is_one_undoable_risk(
    window: MainWindow, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    service = window.service
    uid = use_id(service, "Student homework chatbot")
    before = risk_titles(service, uid)
    dialog = CatalogueDialog(service, window.history, uid, window)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.model.rowCount() == 57  # empty box: the whole risk library
    qtbot.keyClicks(dialog.search, "prompt injection")
    refs = {dialog.model.hit(r).ref: r for r in range(dialog.model.rowCount())}
    assert {"LLM01", "RL-GEN-02", "RL-AGT-04"} <= set(refs)
    assert all(dialog.model.hit(r).kind != "control" for r in range(dialog.model.rowCount()))
    dialog.view.selectRow(refs["RL-GEN-02"])
    assert "LLM01 Prompt Injection" in dialog.details.toPlainText()

    seen: list[RiskEditor] = []
    save_editor_instead_of_exec(monkeypatch, seen)
    qtbot.mouseClick(dialog.use_button, Qt.MouseButton.LeftButton)
    editor = seen[0]
    assert editor.ui.title.text() == "Public chatbot manipulated by prompt injection"
    assert editor.ui.taxonomy_refs.text() == "LLM01, LLM07, 600-1.9, MIT 2.2"
    assert editor.ui.inherent_likelihood.value() == 4
    assert dialog.result() == QDialog.DialogCode.Accepted
    risk = service.get("risk", dialog.created_risk_id)
    assert risk["use_id"] == uid and risk["taxonomy_refs"] == "LLM01, LLM07, 600-1.9, MIT 2.2"
    assert window.history.stack.count() == 1
    window.history.stack.undo()
    assert risk_titles(service, uid) == before


def test_catalogue_framework_item_with_or_without_crosswalk_refs(
    window: MainWindow, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    service = window.service
    uid = use_id(service, "Customer support chatbot")
    dialog = CatalogueDialog(service, window.history, uid, window)
    qtbot.addWidget(dialog)
    qtbot.keyClicks(dialog.search, "LLM01")
    assert dialog.model.hit(0).ref == "LLM01"  # an exact ref comes first
    details = dialog.details.toPlainText()
    assert "riskdesk's judgement" in details  # the basis of each crosswalk link is shown
    seen: list[RiskEditor] = []
    save_editor_instead_of_exec(monkeypatch, seen)
    dialog.include_related.setChecked(False)
    dialog.pick(0)
    assert seen[0].ui.taxonomy_refs.text() == "LLM01"
    assert seen[0].ui.title.text() == "Prompt Injection"
    dialog2 = CatalogueDialog(service, window.history, uid, window)
    qtbot.addWidget(dialog2)
    dialog2.search.setText("LLM01")
    dialog2.pick(0)
    assert seen[1].ui.taxonomy_refs.text().startswith("LLM01, 600-1.9")


def test_catalogue_scope_and_empty_results(window: MainWindow, qtbot: QtBot) -> None:
    uid = use_id(window.service, "Customer support chatbot")
    dialog = CatalogueDialog(window.service, window.history, uid, window)
    qtbot.addWidget(dialog)
    dialog.scope.setCurrentIndex(dialog.scope.findData("owasp-agentic-2026"))
    dialog.search.setText("privilege")
    hits = [dialog.model.hit(r) for r in range(dialog.model.rowCount())]
    assert hits and all(h.framework_id == "owasp-agentic-2026" for h in hits)
    dialog.search.setText("zzzqqq")
    assert dialog.model.rowCount() == 0 and not dialog.use_button.isEnabled()


def test_catalogue_models_pass_the_model_tester(window: MainWindow, qtmodeltester: Any) -> None:
    dialog = CatalogueDialog(window.service, window.history, 1, window)
    dialog.search.setText("bias")
    assert isinstance(dialog.model, CatalogueHitModel)
    qtmodeltester.check(dialog.model)
    page = window.frameworks_page
    assert isinstance(page.model, CoverageTableModel)
    qtmodeltester.check(page.model)
    qtmodeltester.check(window.controls_page.model)


# --- the use editor's tabs ---------------------------------------------------------------


def test_use_editor_has_catalogue_button_and_tabs(window: MainWindow, qtbot: QtBot) -> None:
    editor = window.use_editor(use_id(window.service, "Autonomous coding agent"))
    qtbot.addWidget(editor)
    ui = editor.ui
    titles = [ui.tabs.tabText(i) for i in range(ui.tabs.count())]
    assert "Suggested risks (14)" in titles and "Incidents elsewhere" in titles
    assert ui.catalogueRiskButton.isEnabled()
    new = window.use_editor(None)
    qtbot.addWidget(new)
    assert not new.ui.catalogueRiskButton.isEnabled()


def test_suggestions_tab_shows_reasons_and_adds_in_one_click(
    window: MainWindow, qtbot: QtBot
) -> None:
    service = window.service
    uid = use_id(service, "Autonomous coding agent")
    editor = window.use_editor(uid)
    qtbot.addWidget(editor)
    editor.show()
    editor.ui.tabs.setCurrentWidget(editor.ui.suggestionsTab)
    panel: SuggestionsPanel = editor.suggestions_panel
    cards = {c.property("risk_id"): c for c in panel.cards}
    card = cards["RL-AGT-03"]
    text = " ".join(lab.text() for lab in card.findChildren(type(card.title)))
    assert "July 2025" in text and "ASI02 Tool Misuse" in text
    qtbot.mouseClick(card.findChild(QPushButton, "add_RL-AGT-03"), Qt.MouseButton.LeftButton)
    assert "Agent deletes or corrupts live production data" in risk_titles(service, uid)
    assert "RL-AGT-03" not in {c.property("risk_id") for c in panel.cards}
    index = editor.ui.tabs.indexOf(editor.ui.suggestionsTab)
    assert editor.ui.tabs.tabText(index) == "Suggested risks (13)"
    window.history.stack.undo()
    assert "RL-AGT-03" in {c.property("risk_id") for c in panel.cards}
    assert "Agent deletes or corrupts live production data" not in risk_titles(service, uid)


def test_suggestions_follow_the_form_before_saving(window: MainWindow, qtbot: QtBot) -> None:
    editor = window.use_editor(use_id(window.service, "Parent newsletter translation"))
    qtbot.addWidget(editor)
    editor.show()
    assert "RL-GEN-02" not in {s.risk.id for s in editor.suggestions_panel.suggestions}
    editor.ui.generative.setChecked(True)
    editor.ui.tabs.setCurrentWidget(editor.ui.suggestionsTab)
    assert "RL-GEN-02" in {s.risk.id for s in editor.suggestions_panel.suggestions}


@pytest.mark.parametrize(
    ("use_name", "expected"),
    [
        ("Student homework chatbot", 793),
        ("Online exam proctoring", 301),
        ("CV screening and ranking", 37),
    ],
)
def test_incidents_elsewhere_for_demo_uses(
    window: MainWindow, qtbot: QtBot, use_name: str, expected: int
) -> None:
    service = window.service
    uid = use_id(service, use_name)
    editor = window.use_editor(uid)
    qtbot.addWidget(editor)
    editor.resize(900, 700)
    editor.show()
    editor.ui.tabs.setCurrentWidget(editor.ui.incidentsTab)
    panel: IncidentsPanel = editor.incidents_panel
    assert len(panel.cards) == 8
    cards = {c.property("incident_id"): c for c in panel.cards}
    assert expected in cards
    assert panel.findChild(type(panel.intro), "attribution").text() == ATTRIBUTION
    card_text = " ".join(lab.text() for lab in cards[expected].findChildren(type(panel.intro)))
    assert f"https://incidentdatabase.ai/cite/{expected}/" in card_text
    assert "deployed by" in card_text
    button = cards[expected].findChild(QPushButton, f"addIncident_{expected}")
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    added = [t for t in risk_titles(service, uid) if t.startswith("Could happen here:")]
    assert len(added) == 1
    again = {c.property("incident_id"): c for c in panel.cards}[expected]
    done = again.findChild(QPushButton, f"addIncident_{expected}")
    assert not done.isEnabled() and "Added" in done.text()
    window.history.stack.undo()
    assert not [t for t in risk_titles(service, uid) if t.startswith("Could happen here:")]


def test_incident_search_box(window: MainWindow, qtbot: QtBot) -> None:
    uid = use_id(window.service, "Customer support chatbot")
    panel = IncidentsPanel(window.service, window.history, uid)
    qtbot.addWidget(panel)
    panel.show()
    qtbot.keyClicks(panel.search, "eating disorder chatbot")
    assert 545 in {c.property("incident_id") for c in panel.cards}
    assert "matching" in panel.intro.text()


# --- Frameworks and Controls pages ------------------------------------------------------


def test_frameworks_page_shows_coverage_and_item_lists(window: MainWindow) -> None:
    window.show_page("frameworks")
    page: FrameworksPage = window.frameworks_page
    assert page.model.rowCount() == 7
    page.view.selectRow(0)
    covered, planned, uncovered, percent = demo_rmf_coverage()
    assert f"{percent}%" in page.heading.text()
    assert page.item_models["covered"].rowCount() == covered
    assert page.item_models["planned"].rowCount() == planned
    assert page.item_models["uncovered"].rowCount() == uncovered
    assert page.lists.tabText(2) == f"&Uncovered ({uncovered})"
    assert not page.remove_button.isEnabled()  # built-ins cannot be removed


def test_add_framework_from_file_refuses_bad_files_and_undoes(
    window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    page: FrameworksPage = window.frameworks_page
    window.show_page("frameworks")  # a page off screen reloads when shown
    messages: list[str] = []
    monkeypatch.setattr(page, "show_message", lambda _title, text: messages.append(text))
    bad = tmp_path / "checklist.csv"
    bad.write_text("item_ref,title\n1,Inventory\n2,Notice,extra\n", encoding="utf-8")
    events = window.service.count("audit_event")
    assert page.add_framework_file(bad) is None
    assert "checklist.csv, row 3" in messages[0] and "Nothing was added" in messages[0]
    assert window.service.count("audit_event") == events and page.model.rowCount() == 7

    good = fw.write_template(tmp_path / "policy.csv")
    added = page.add_framework_file(good)
    assert added is not None and page.model.rowCount() == 8
    assert page.selected() is not None and page.selected().framework.id == "ca-k12-ai-policy"
    assert page.remove_button.isEnabled()
    window.history.stack.undo()
    assert page.model.rowCount() == 7 and fw.user_frameworks(window.service) == []


def test_remove_user_framework_from_the_page(
    window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    page: FrameworksPage = window.frameworks_page
    window.show_page("frameworks")  # a page off screen reloads when shown
    page.add_framework_file(fw.write_template(tmp_path / "policy.csv"))
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    page.select_framework("ca-k12-ai-policy")
    page.remove_selected()
    assert fw.user_frameworks(window.service) == []
    assert page.model.rowCount() == 7


def test_controls_page_adds_from_library_and_counts_towards_coverage(
    window: MainWindow, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    window.show_page("controls")
    page: ControlsPage = window.controls_page
    assert page.model.rowCount() == 10
    library = ControlLibraryDialog(page)
    qtbot.addWidget(library)
    qtbot.keyClicks(library.search, "prompt-injection")
    assert library.current() is not None and library.current().id == "CL-15"

    def fake_exec(self: Any) -> int:
        if isinstance(self, ControlLibraryDialog):
            self.search.setText("prompt-injection")
            self.choose()
            return int(self.result())
        # the control dialog: mark it implemented, then save
        status = self.binding.widgets["status"]
        status.setCurrentIndex(status.findData("implemented"))
        self.save()
        return int(self.result())

    monkeypatch.setattr(QDialog, "exec", fake_exec)
    page.add_from_library()
    assert page.model.rowCount() == 11
    control = window.service.rows("control")[-1]
    assert control["name"].startswith("Prompt-injection defences")
    assert control["status"] == "implemented" and "LLM01" in control["framework_refs"]
    llm = next(r for r in window.frameworks_page.model.rows if r.framework.id == "owasp-llm-2025")
    assert llm.coverage.covered_tested_or_implemented >= 1  # the page reloaded
    window.history.stack.undo()
    assert page.model.rowCount() == 10


def test_control_dialog_explains_refs(window: MainWindow, qtbot: QtBot) -> None:
    dialog = control_dialog(window.service, window.history, None, window)
    qtbot.addWidget(dialog)
    dialog.show()
    refs = dialog.binding.widgets["framework_refs"]
    qtbot.keyClicks(refs, "GOVERN 1, LLM01, XYZ 9")
    feedback = dialog.findChild(type(dialog.banner), "refsFeedback").text()
    assert "covers none of its items" in feedback  # GOVERN 1 is a category
    assert "Prompt Injection" in feedback
    assert "XYZ 9</b>: not an item" in feedback


def test_link_risks_dialog_saves_one_undoable_action(window: MainWindow, qtbot: QtBot) -> None:
    service = window.service
    cid = 5  # Prompt-injection red team (demo)
    before = sorted(fw.linked_risk_ids(service, cid))
    dialog = LinkRisksDialog(service, window.history, cid, window)
    qtbot.addWidget(dialog)
    items = dialog.risk_items()
    checked = [i for i in items if i.checkState() == Qt.CheckState.Checked]
    assert sorted(int(i.data(Qt.ItemDataRole.UserRole + 1)) for i in checked) == before
    unchecked = next(i for i in items if i.checkState() == Qt.CheckState.Unchecked)
    unchecked.setCheckState(Qt.CheckState.Checked)
    dialog.filter.setText("chatbot")
    dialog.save()
    after = sorted(fw.linked_risk_ids(service, cid))
    assert len(after) == len(before) + 1
    window.history.stack.undo()
    assert sorted(fw.linked_risk_ids(service, cid)) == before


def test_edit_menu_opens_catalogue_for_the_selected_use(
    window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened: list[int] = []
    monkeypatch.setattr(CatalogueDialog, "exec", lambda self: opened.append(self.use_id) or 0)
    infos: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda *a: infos.append(a[2]))
    action = window.findChild(type(window.undo_action), "actionAddRiskFromCatalogue")
    window.show_page("uses")
    action.trigger()
    assert infos and not opened  # nothing selected yet
    uid = use_id(window.service, "CV screening and ranking")
    window.uses_page.select_id(uid)
    action.trigger()
    assert opened == [uid]
