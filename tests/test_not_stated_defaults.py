"""Values nobody gave are "Not stated", never the most reassuring answer: a use's human
oversight (not "Human in the loop") and an incident's severity (not "Low")."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from pytestqt.qtbot import QtBot

from riskdesk.enums import HumanOversight, Severity
from riskdesk.service.governance.incidents import reporting_deadline
from riskdesk.service.importing import import_file
from riskdesk.service.register import RegisterService
from riskdesk.ui.editors.use_editor import UseEditor
from riskdesk.ui.undo import EditHistory


def test_a_new_use_does_not_claim_a_human_in_the_loop(service: RegisterService) -> None:
    use = service.create("ai_use", {"name": "Timetable planner"})
    assert service.get("ai_use", use)["human_oversight"] == HumanOversight.NOT_STATED.value
    assert HumanOversight.NOT_STATED.label == "Not stated"


def test_an_import_without_the_column_says_not_stated(
    service: RegisterService, tmp_path: Path
) -> None:
    sheet = tmp_path / "tools.csv"
    sheet.write_text("Name,Oversight\nEssay grader,HITL\nChat helper,\n", "utf-8")
    report = import_file(service, sheet)
    assert report.written and not report.problems, report.problems
    found = {u["name"]: u["human_oversight"] for u in service.rows("ai_use")}
    assert found == {"Essay grader": "in_the_loop", "Chat helper": "not_stated"}


def test_the_editor_shows_not_stated_until_someone_answers(
    service: RegisterService, qtbot: QtBot
) -> None:
    editor = UseEditor(service, EditHistory(service), None)
    qtbot.addWidget(editor)
    assert editor.ui.human_oversight.currentText() == "Not stated"


def test_an_unrated_incident_is_not_low_and_gets_the_shortest_art73_period(
    service: RegisterService,
) -> None:
    incident = service.create(
        "incident",
        {"title": "Chatbot gave a pupil harmful advice", "occurred_on": "2026-11-02"},
    )
    row = service.get("incident", incident)
    assert row["severity"] == Severity.NOT_STATED.value
    assert Severity.NOT_STATED.label == "Not stated"
    row["reportable"] = True
    # Until someone rates it, the safe reading: 2 days, as for a Critical incident.
    assert reporting_deadline(row) == dt.date(2026, 11, 4)
    assert reporting_deadline({**row, "severity": "low"}) == dt.date(2026, 11, 17)
