"""How the GUI is put together: pages and editors take what they need and build alone;
no module reaches into a window or an editor from outside."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from riskdesk.service.register import RegisterService
from riskdesk.ui.editors.use_editor import UseEditor
from riskdesk.ui.pages.controls import ControlsPage
from riskdesk.ui.pages.drift import DriftPage
from riskdesk.ui.pages.frameworks import FrameworksPage
from riskdesk.ui.undo import EditHistory

UI = Path(__file__).resolve().parents[1] / "src" / "riskdesk" / "ui"


def test_the_controls_page_builds_alone_and_hands_deletes_back(
    qtbot: QtBot, service: RegisterService
) -> None:
    history = EditHistory(service)
    control_id = service.create("control", {"name": "Red-team before release"})
    asked: list[int] = []
    page = ControlsPage(service, history, on_delete=asked.append)
    qtbot.addWidget(page)
    assert page.model.rowCount() == 1
    page.select_id(control_id)
    page.delete_selected()
    assert asked == [control_id]  # the page asks; whoever built it decides
    assert service.count("control") == 1


def test_the_frameworks_and_drift_pages_build_alone(
    qtbot: QtBot, demo_service: RegisterService
) -> None:
    history = EditHistory(demo_service)
    frameworks = FrameworksPage(demo_service, history)
    qtbot.addWidget(frameworks)
    assert frameworks.model.rowCount() > 0
    opened: list[tuple[str, int]] = []
    today = dt.date(2026, 11, 1)
    drift = DriftPage(demo_service, on_open=lambda e, k: opened.append((e, k)), today=today)
    qtbot.addWidget(drift)
    drift.refresh_now()
    assert drift.model.rowCount() == len(drift.shown_items) > 0
    drift.open_row(0)
    item = drift.shown_items[0]
    assert opened == [(item.entity, item.entity_id)]


def test_the_use_editor_builds_its_own_panels(qtbot: QtBot, demo_service: RegisterService) -> None:
    history = EditHistory(demo_service)
    use_id = demo_service.rows("ai_use", order_by="id")[0]["id"]
    editor = UseEditor(demo_service, history, use_id)  # no window needed
    qtbot.addWidget(editor)
    ui = editor.ui
    assert editor.suggestions_panel is not None
    assert editor.incidents_panel is not None
    assert editor.challenges_panel is not None
    assert editor.use_history_panel is not None
    assert ui.suggestionsTab.isAncestorOf(editor.suggestions_panel)
    assert ui.incidentsTab.isAncestorOf(editor.incidents_panel)
    assert ui.challengesTab.isAncestorOf(editor.challenges_panel)
    assert ui.historyTab.isAncestorOf(editor.use_history_panel)
    count = len(editor.suggestions_panel.suggestions)
    title = ui.tabs.tabText(ui.tabs.indexOf(ui.suggestionsTab))
    assert title == (f"Suggested risks ({count})" if count else "Suggested risks")
    assert ui.catalogueRiskButton.isEnabled()
    assert ui.classifyButton.isHidden()  # no classifier was given


def test_a_new_use_says_to_save_first(qtbot: QtBot, service: RegisterService) -> None:
    editor = UseEditor(service, EditHistory(service), None)
    qtbot.addWidget(editor)
    assert editor.suggestions_panel is None and editor.challenges_panel is None
    assert not editor.ui.catalogueRiskButton.isEnabled()
    for tab in (editor.ui.suggestionsTab, editor.ui.challengesTab):
        notes = [label.text() for label in tab.findChildren(QLabel)]
        assert any(text.startswith("Save the use first") for text in notes)


def test_nothing_in_ui_patches_a_window_or_an_editor() -> None:
    """Windows and editors are typed, and only they set their own attributes."""
    assert not (UI / "features.py").exists()
    untyped = re.compile(r"\b(window|editor)\s*:\s*Any\b")
    patching = re.compile(r"^\s*(window|editor)\.\w+(\.\w+)*\s*=[^=]", re.MULTILINE)
    attach = re.compile(r"^def attach\w*\(", re.MULTILINE)
    found: list[str] = []
    paths = sorted(UI.rglob("*.py"))  # the sub-packages (pages/, editors/, …) too
    assert len(paths) > 30
    for path in paths:
        text = path.read_text(encoding="utf-8")
        for rule in (untyped, patching, attach):
            name = path.relative_to(UI).as_posix()
            found += [f"{name}: {m.group(0).strip()}" for m in rule.finditer(text)]
    assert found == []
