"""The use editor's Agent tab, its dialogs and the model chain (issue 17)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QLineEdit, QPlainTextEdit
from pytestqt.qtbot import QtBot

from riskdesk.service.integrity import record_history
from riskdesk.service.register import RegisterService
from riskdesk.ui.editors.agent_dialogs import PermissionDialog, PermissionReviewDialog
from riskdesk.ui.editors.use_editor import UseEditor
from riskdesk.ui.main_window import MainWindow
from tests.test_gui_first_hour import unnamed_widgets

TODAY = dt.date.today()


def _use(service: RegisterService, name: str) -> dict[str, Any]:
    return next(u for u in service.rows("ai_use") if u["name"] == name)


def _editor(window: MainWindow, qtbot: QtBot, name: str) -> UseEditor:
    editor = window.use_editor(_use(window.service, name)["id"])
    qtbot.addWidget(editor)
    return editor


def _agent_tab_shown(editor: UseEditor) -> bool:
    tabs = editor.ui.tabs
    return tabs.isTabVisible(tabs.indexOf(editor.agent_tab))


def test_agent_tab_shows_for_agent_autonomy_only(window: MainWindow, qtbot: QtBot) -> None:
    editor = _editor(window, qtbot, "Autonomous coding agent")
    assert _agent_tab_shown(editor)
    autonomy = editor.ui.autonomy
    autonomy.setCurrentIndex(autonomy.findData("assistive"))
    assert not _agent_tab_shown(editor)
    autonomy.setCurrentIndex(autonomy.findData("agent_read"))
    assert _agent_tab_shown(editor)
    assert not _agent_tab_shown(_editor(window, qtbot, "Student homework chatbot"))


def test_agent_facts_are_fields_of_the_use_and_unknown_stays_unknown(
    window: MainWindow, qtbot: QtBot
) -> None:
    editor = _editor(window, qtbot, "Autonomous coding agent")
    approval = editor.findChild(QComboBox, "human_approval_destructive")
    assert approval.currentData() is False and approval.currentText() == "No"
    scoped = editor.findChild(QComboBox, "credentials_scoped")
    logging = editor.findChild(QComboBox, "action_logging")
    before_logging = logging.currentData()
    scoped.setCurrentIndex(scoped.findData(True))
    approval.setCurrentIndex(approval.findData(True))
    editor.save()
    saved = window.service.get("ai_use", editor.use_id)
    assert saved["credentials_scoped"] is True and saved["human_approval_destructive"] is True
    assert saved["action_logging"] is before_logging  # untouched: not turned into "no"


def test_dev_prod_and_kill_switch_mirror_the_other_tabs(window: MainWindow, qtbot: QtBot) -> None:
    editor = _editor(window, qtbot, "Autonomous coding agent")
    mirror = editor.findChild(QComboBox, "agentDevProd")
    assert mirror.currentData() is editor.ui.dev_prod_separated.currentData() is False
    mirror.setCurrentIndex(mirror.findData(True))
    assert editor.ui.dev_prod_separated.currentData() is True
    editor.ui.kill_switch.setPlainText("Revoke the agent's token in the vault")
    kill = editor.findChild(QPlainTextEdit, "agentKillSwitch")
    assert kill.toPlainText() == "Revoke the agent's token in the vault"
    kill.setPlainText("Disable the runner")
    assert editor.ui.kill_switch.toPlainText() == "Disable the runner"
    editor.save()
    saved = window.service.get("ai_use", editor.use_id)
    assert saved["dev_prod_separated"] is True and saved["kill_switch"] == "Disable the runner"


def test_permission_table_lists_the_inventory(
    window: MainWindow, qtbot: QtBot, qtmodeltester: Any
) -> None:
    editor = _editor(window, qtbot, "Autonomous coding agent")
    model = editor.agent_tab.model
    qtmodeltester.check(model)
    held = window.service.rows("agent_permission", use_id=editor.use_id)
    assert model.rowCount() == len(held) > 0
    systems = [model.index(r, model.SYSTEM).data() for r in range(model.rowCount())]
    assert "Run DB migrations" in systems
    row = systems.index("Run DB migrations")
    assert model.index(row, model.ACCESS).data() == "Write"
    assert model.index(row, model.ENVIRONMENT).data() == "Production"


def test_add_edit_and_remove_a_permission(window: MainWindow, qtbot: QtBot) -> None:
    editor = _editor(window, qtbot, "Autonomous coding agent")
    tab = editor.agent_tab
    before = tab.model.rowCount()
    dialog = PermissionDialog(window.service, window.history, editor.use_id, None, editor)
    qtbot.addWidget(dialog)
    assert dialog.findChild(QComboBox, "environment").currentText() == "Not known"
    dialog.findChild(QLineEdit, "system").setText("Billing API")
    access = dialog.findChild(QComboBox, "access")
    access.setCurrentIndex(access.findData("spend_money"))
    dialog.save()
    assert dialog.result() == dialog.DialogCode.Accepted
    assert tab.model.rowCount() == before + 1
    added = window.service.get("agent_permission", dialog.key)
    assert added["use_id"] == editor.use_id and added["access"] == "spend_money"
    assert added["environment"] is None and added["needed"] is None  # nobody said
    edit = PermissionDialog(window.service, window.history, editor.use_id, dialog.key, editor)
    qtbot.addWidget(edit)
    needed = edit.findChild(QComboBox, "needed")
    needed.setCurrentIndex(needed.findData(False))
    edit.save()
    assert window.service.get("agent_permission", dialog.key)["needed"] is False
    window.history.delete("Remove", "agent_permission", dialog.key)
    assert tab.model.rowCount() == before


def test_permission_review_removes_reduces_and_is_in_the_use_history(
    window: MainWindow, qtbot: QtBot
) -> None:
    editor = _editor(window, qtbot, "Autonomous coding agent")
    held = {p["system"]: p for p in window.service.rows("agent_permission", use_id=editor.use_id)}
    dialog = PermissionReviewDialog(window.service, window.history, editor.use_id, editor)
    qtbot.addWidget(dialog)
    dialog.accepted.connect(editor.agent_tab.reviewed)
    migrations, logs = held["Run DB migrations"]["id"], held["Production logs"]["id"]
    outcome = dialog.findChild(QComboBox, f"outcome_{migrations}")
    outcome.setCurrentIndex(outcome.findData("removed"))
    reduce = dialog.findChild(QComboBox, f"outcome_{logs}")
    reduce.setCurrentIndex(reduce.findData("reduced"))
    env = dialog.findChild(QComboBox, f"environment_{logs}")
    assert env.isEnabled()
    dialog.save()  # reduced to nothing new: refused with a reason
    assert dialog.error.isVisibleTo(dialog) and "Production logs" in dialog.error.text()
    env.setCurrentIndex(env.findData("staging"))
    dialog.save()
    assert dialog.result() == dialog.DialogCode.Accepted
    systems = [p["system"] for p in editor.agent_tab.model.rows]
    assert "Run DB migrations" not in systems and "Production logs" in systems
    assert window.service.get("agent_permission", logs)["environment"] == "staging"
    assert "1 removed" in editor.agent_tab.reviews.text()
    history = record_history(window.service, "ai_use", editor.use_id)
    assert any(c.field == "permissions_reviewed_on" for e in history for c in e.changes)
    assert editor.ui.permissions_reviewed.isChecked()
    assert not editor.unsaved()  # the review is saved; the form has nothing new
    editor.ui.notes.setPlainText("after the review")
    editor.save()  # not refused as a change by someone else
    assert window.service.get("ai_use", editor.use_id)["notes"] == "after the review"
    window.history.stack.undo()  # the notes
    window.history.stack.undo()  # the review: the permission is back
    assert "Run DB migrations" in [p["system"] for p in editor.agent_tab.model.rows]


def test_findings_carry_their_crosswalk_and_lead_to_the_field(
    window: MainWindow, qtbot: QtBot
) -> None:
    editor = _editor(window, qtbot, "Autonomous coding agent")
    findings = editor.agent_tab.findings
    texts = [findings.item(i).text() for i in range(findings.count())]
    assert any("production" in t and "ASI02" in t and "600-1" in t for t in texts)
    kill = next(
        findings.item(i)
        for i in range(findings.count())
        if findings.item(i).data(Qt.ItemDataRole.UserRole) == "agent_dev_prod"
    )
    editor.ui.tabs.setCurrentWidget(editor.ui.generalTab)
    findings.itemActivated.emit(kill)  # a finding leads to the field that closes it
    assert editor.ui.tabs.currentWidget() is editor.agent_tab
    widget = editor.go_to_gap("agent_dev_prod")
    assert widget is not None and widget.objectName() == "agentDevProd"
    assert editor.ui.tabs.currentWidget() is editor.agent_tab


def test_model_chain_reads_as_one_line_and_saves_the_model(
    window: MainWindow, qtbot: QtBot
) -> None:
    editor = _editor(window, qtbot, "Student homework chatbot")
    chain = editor.findChild(QComboBox, "model_id")
    text = editor.agent_tab.chain.chain.text()
    assert "Student homework chatbot via Khan Academy → GPT-4 class → OpenAI" in text
    assert "OpenAI: " in text and "no exit plan" in text  # the provider's missing diligence
    assert "GOVERN 6.1" in text  # a High use: the gap and its crosswalk
    claude = next(m for m in window.service.rows("ai_model") if m["name"] == "Claude Sonnet 4")
    chain.setCurrentIndex(chain.findData(claude["id"]))
    assert "Khan Academy → Claude Sonnet 4 → Anthropic" in editor.agent_tab.chain.chain.text()
    editor.findChild(QLineEdit, "fallback").setText("Teacher office hours")
    editor.save()
    saved = window.service.get("ai_use", editor.use_id)
    assert saved["model_id"] == claude["id"] and saved["fallback"] == "Teacher office hours"


def test_agent_tab_and_dialogs_are_named_for_screen_readers(
    window: MainWindow, qtbot: QtBot
) -> None:
    editor = _editor(window, qtbot, "Autonomous coding agent")
    editor.ui.tabs.setCurrentWidget(editor.agent_tab)
    problems = unnamed_widgets(editor)
    editor.ui.tabs.setCurrentWidget(editor.ui.generalTab)
    problems += unnamed_widgets(editor)
    for dialog in (
        PermissionDialog(window.service, window.history, editor.use_id, None, editor),
        PermissionReviewDialog(window.service, window.history, editor.use_id, editor),
    ):
        qtbot.addWidget(dialog)
        problems += unnamed_widgets(dialog)
    assert problems == []


def test_a_new_use_asks_to_be_saved_before_permissions(window: MainWindow, qtbot: QtBot) -> None:
    editor = window.use_editor(None)
    qtbot.addWidget(editor)
    tab = editor.agent_tab
    assert not tab.add_button.isEnabled() and not tab.review_button.isEnabled()
    assert "Save the use first" in tab.reviews.text()
    assert tab.review_permissions() is None


def test_a_low_use_sees_the_missing_diligence_but_no_gap(window: MainWindow, qtbot: QtBot) -> None:
    editor = _editor(window, qtbot, "Teacher lesson-plan drafting")
    text = editor.agent_tab.chain.chain.text()
    assert "via Microsoft → GPT-4 class → OpenAI" in text and "OpenAI: " in text
    assert "A gap on" not in text
