"""The governance loop in the window: Drift page, challenges, reviews, incidents, history,
calendar and backups — every write through ``window.history`` so it can be undone."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import icalendar
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox, QFileDialog, QMessageBox
from pytestqt.qtbot import QtBot

from riskdesk.paths import backups_dir
from riskdesk.scoring import next_review_due
from riskdesk.service import drift
from riskdesk.service import governance as gov
from riskdesk.service.register import RegisterService
from riskdesk.ui.dialogs.history import RecordHistoryDialog
from riskdesk.ui.editors.incident_dialog import IncidentDialog
from riskdesk.ui.editors.use_challenges_tab import ChallengeStepDialog
from riskdesk.ui.editors.use_editor import UseEditor
from riskdesk.ui.editors.use_review_dialog import RecordReviewDialog
from riskdesk.ui.main_window import MainWindow
from riskdesk.ui.pages.drift_panels import DueSoonPanel, IncidentKindsPanel, pyramid_note
from riskdesk.ui.widgets.trend_chart import TrendChart, TrendPoint


def use_id(service: RegisterService, name: str) -> int:
    return next(u["id"] for u in service.rows("ai_use") if u["name"] == name)


def person(service: RegisterService, name: str) -> int:
    return next(p["id"] for p in service.rows("person") if p["name"] == name)


def show_drift(window: MainWindow, qtbot: QtBot) -> Any:
    page = window.drift_page
    with qtbot.waitSignal(page.refreshed, timeout=10000):
        window.show_page("drift")
    return page


def test_drift_page_lists_drift_off_the_gui_thread(window: MainWindow, qtbot: QtBot) -> None:
    page = show_drift(window, qtbot)
    kinds = [page.model.data(page.model.index(r, 0)) for r in range(page.model.rowCount())]
    assert kinds[0] == "Risen since last review"
    assert set(kinds) == {drift.DRIFT_KINDS[k] for k in drift.DRIFT_KINDS}
    records = {page.model.data(page.model.index(r, 1)) for r in range(page.model.rowCount())}
    assert {"Customer support chatbot", "Autonomous coding agent"} <= records
    assert page.chips[drift.RISING].text() == "Risen since last review (3)"
    page.set_filter(drift.OWNER_LEFT)
    assert page.model.rowCount() == 4
    assert {page.model.data(page.model.index(r, 0)) for r in range(4)} == {"Owner has left"}
    page.set_filter(None)
    assert page.incidents_panel.counts["near_miss"] == 9
    assert "near misses per incident" in page.incidents_panel.note.text()
    assert "Missed self-harm alert" in page.incidents_panel.reportable.text()


def test_drift_items_open_what_they_point_at(
    window: MainWindow, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened: list[int | None] = []
    monkeypatch.setattr(UseEditor, "exec", lambda self: opened.append(self.use_id) or 0)
    page = show_drift(window, qtbot)
    page.view.selectRow(0)
    assert page.open_button.isEnabled() and page.review_button.isEnabled()
    page.open_selected()
    assert opened == [page.selected_item().use_id]


def test_record_review_from_the_drift_page_is_undoable(
    window: MainWindow, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    service = window.service
    homework = use_id(service, "Student homework chatbot")
    reviews_before = len(service.rows("review", use_id=homework))

    def fake_exec(self: RecordReviewDialog) -> int:
        self.notes.setPlainText("Reach grew to 14,000: moved to quarterly reviews.")
        self.save()
        return self.result()

    monkeypatch.setattr(RecordReviewDialog, "exec", fake_exec)
    page = show_drift(window, qtbot)
    row = next(i for i, item in enumerate(page.shown_items) if item.use_id == homework)
    page.view.selectRow(row)
    with qtbot.waitSignal(page.refreshed, timeout=10000):
        page.review_selected()
    use = service.get("ai_use", homework)
    assert use["last_review"] == dt.date.today() and use["needs_rereview"] is False
    assert use["next_review"] == next_review_due("high", dt.date.today())
    assert len(service.rows("review", use_id=homework)) == reviews_before + 1
    rising = {i.use_id for i in page.data.items if i.kind == drift.RISING}
    assert homework not in rising
    with qtbot.waitSignal(page.refreshed, timeout=10000):
        window.undo_action.trigger()
    assert len(service.rows("review", use_id=homework)) == reviews_before
    assert homework in {i.use_id for i in page.data.items if i.kind == drift.RISING}


def test_challenge_flow_in_the_use_editor_blocks_then_allows_the_review(
    window: MainWindow, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    service = window.service
    homework = use_id(service, "Student homework chatbot")  # High now, never challenged
    editor = window.use_editor(homework)
    qtbot.addWidget(editor)
    panel = editor.challenges_panel
    tabs = editor.ui.tabs
    assert panel.model.rowCount() == 0
    assert tabs.tabText(tabs.indexOf(editor.ui.challengesTab)) == "Challenges"

    # Raise through the real dialog: pick the reviewer, type the question.
    def fill_raise(self: ChallengeStepDialog) -> int:
        self.person.setCurrentIndex(self.person.findData(person(service, "Ingrid Nilsson")))
        self.severity.setCurrentIndex(self.severity.findData("high"))
        self.text.setPlainText("Reach tripled: is transcript sampling still 50 a week?")
        return 1

    monkeypatch.setattr(ChallengeStepDialog, "exec", fill_raise)
    assert panel.raise_challenge()
    assert panel.model.rowCount() == 1
    assert tabs.tabText(tabs.indexOf(editor.ui.challengesTab)) == "Challenges (1 open)"
    assert "When raised" in panel.detail.toPlainText()

    # The High-tier use's review is blocked while the challenge is open.
    dialog = RecordReviewDialog(service, window.history, homework, editor)
    qtbot.addWidget(dialog)
    assert not dialog.blocked.isHidden()
    assert not dialog.buttons.button(QDialogButtonBox.StandardButton.Save).isEnabled()

    owner = person(service, "Marcus Obi")
    assert panel.answer({"person": owner, "text": "Sampling is now 150 a week."})
    assert panel.resolve({"text": "Sampling log seen."})
    challenge = service.rows("challenge", use_id=homework)[0]
    assert challenge["status"] == "resolved" and challenge["snapshot_resolved"]
    assert tabs.tabText(tabs.indexOf(editor.ui.challengesTab)) == "Challenges (1)"

    dialog = RecordReviewDialog(service, window.history, homework, editor)
    qtbot.addWidget(dialog)
    assert dialog.blocked.isHidden()
    dialog.notes.setPlainText("Reviewed after the challenge.")
    dialog.save()
    assert dialog.result() == dialog.DialogCode.Accepted
    assert service.get("ai_use", homework)["last_review"] == dt.date.today()

    # Four undoable steps, undone in turn.
    for _ in range(4):
        window.undo_action.trigger()
    assert service.rows("challenge", use_id=homework) == []
    assert service.get("ai_use", homework)["last_review"] != dt.date.today()
    assert panel.model.rowCount() == 0


def test_a_refused_step_shows_the_reason(
    window: MainWindow, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    warnings: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text: warnings.append(text))
    service = window.service
    editor = window.use_editor(use_id(service, "Essay grading assistant"))
    qtbot.addWidget(editor)
    first_line = person(service, "Tom Kowalski")
    before = service.count("challenge")
    assert not editor.challenges_panel.raise_challenge({"person": first_line, "text": "Why?"})
    assert service.count("challenge") == before
    assert warnings and "1st line" in warnings[0]


def test_the_history_tab_shows_trend_reviews_and_changes(window: MainWindow, qtbot: QtBot) -> None:
    service = window.service
    chatbot = use_id(service, "Customer support chatbot")
    editor = window.use_editor(chatbot)
    qtbot.addWidget(editor)
    panel = editor.use_history_panel
    assert panel.reviews_model.rowCount() == 2
    assert [p.label for p in panel.chart.points] == ["review", "review", "now"]
    exposures = [p.exposure for p in panel.chart.points]
    assert exposures == sorted(exposures) and exposures[0] < exposures[-1]
    assert panel.changes.model.rowCount() > 5
    assert not panel.rereview.isHidden()  # an incident since the last review
    assert not panel.chart.grab().isNull()


def test_recording_a_review_in_the_editor_keeps_the_form_in_step(
    window: MainWindow, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    service = window.service
    ocr = use_id(service, "Enrolment document OCR")
    editor = window.use_editor(ocr)
    qtbot.addWidget(editor)

    def fake_exec(self: RecordReviewDialog) -> int:
        self.save()
        return self.result()

    monkeypatch.setattr(RecordReviewDialog, "exec", fake_exec)
    assert editor.use_history_panel.record_review()
    assert editor.ui.last_review.date().toPython() == dt.date.today()
    assert editor.original["last_review"] == dt.date.today()
    editor.ui.notes.setPlainText("edited after the review")
    editor.save()  # must not write the old review dates back
    use = service.get("ai_use", ocr)
    assert use["last_review"] == dt.date.today() and use["notes"] == "edited after the review"


def test_logging_an_incident_links_risks_flags_the_use_and_undoes(
    window: MainWindow, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    service = window.service
    essay = use_id(service, "Essay grading assistant")
    shown: list[IncidentDialog] = []

    def fake_exec(self: IncidentDialog) -> int:
        shown.append(self)
        self.findChild(type(self.use_combo), "use_id").setCurrentIndex(
            self.use_combo.findData(essay)
        )
        self.binding.widgets["title"].setText("Rubric score for an unrelated essay")
        self.binding.widgets["reportable"].setChecked(True)
        self.set_linked([self.risk_model.item(0).data(Qt.ItemDataRole.UserRole)])
        self.save()
        return self.result()

    monkeypatch.setattr(IncidentDialog, "exec", fake_exec)
    before = service.count("incident")
    window.incidents_page.add_button.click()
    assert len(shown) == 1
    assert service.count("incident") == before + 1
    assert service.get("ai_use", essay)["needs_rereview"] is True
    incident = max(service.rows("incident"), key=lambda i: i["id"])
    assert len(gov.linked_risks(service, incident["id"])) == 1
    assert "Report due by" in shown[0].deadline.text()
    window.undo_action.trigger()
    assert service.count("incident") == before
    assert service.get("ai_use", essay)["needs_rereview"] is False


def test_record_history_from_the_edit_menu(
    window: MainWindow, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[RecordHistoryDialog] = []
    monkeypatch.setattr(RecordHistoryDialog, "exec", lambda self: seen.append(self) or 0)
    window.show_page("uses")
    window.uses_page.select_id(2)
    window.findChild(type(window.undo_action), "actionRecordHistory").trigger()
    assert len(seen) == 1
    model = seen[0].history.model
    assert model.rowCount() > 5
    assert "Essay grading assistant" in seen[0].windowTitle()


def test_export_calendar_from_the_file_menu(
    window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "due"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    window.findChild(type(window.undo_action), "actionExportCalendar").trigger()
    written = tmp_path / "due.ics"
    cal = icalendar.Calendar.from_ical(written.read_bytes())
    items = drift.all_due_items(window.service)
    upcoming = [i for i in items if i.due >= dt.date.today()]
    # Everything overdue is one "overdue" event today (issue 15).
    assert len(list(cal.walk("VEVENT"))) == len(upcoming) + (len(items) > len(upcoming))


def test_automatic_backup_on_open_and_its_setting(
    window: MainWindow, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    qtbot.waitUntil(lambda: any(backups_dir().glob("register-*.db")), timeout=5000)
    assert len(list(backups_dir().glob("register-*.db"))) == 1
    from riskdesk.ui.dialogs import backups_calendar

    backups_calendar.configure_backups(window, keep=3)
    assert window.service.setting("backups") == {"keep": 3}
    window.undo_action.trigger()
    assert window.service.setting("backups") is None
    with qtbot.waitSignal(window.backup_checked, timeout=10000) as checked:
        made = backups_calendar.backup_now(window, str(window.service.register.path) + ".copy")
        assert made is not None and made.exists()
    assert checked.args[0].ok and "checked" in window.statusBar().currentMessage()


def test_dashboard_panels_standalone(demo_service: RegisterService, qtbot: QtBot) -> None:
    today = dt.date(2026, 11, 1)
    opened: list[tuple[str, int]] = []
    due = DueSoonPanel(demo_service, 30, lambda e, k: opened.append((e, k)), today=today)
    qtbot.addWidget(due)
    due.reload()
    assert due.model.rowCount() == len(drift.due_within(demo_service, 30, today)) > 0
    due.open_row(0)
    assert opened and opened[0][0] in ("ai_use", "risk", "control")
    kinds = IncidentKindsPanel(demo_service, today=today)
    qtbot.addWidget(kinds)
    kinds.reload()
    assert kinds.counts == gov.incident_counts_by_kind(demo_service)
    assert not kinds.bars.grab().isNull()


def test_pyramid_note() -> None:
    assert "not looking" in pyramid_note({"near_miss": 0, "incident": 0})
    assert "No near misses" in pyramid_note({"near_miss": 0, "incident": 2})
    assert pyramid_note({"near_miss": 6, "incident": 2, "rollback": 1}).startswith("2.0 near")


def test_trend_chart_with_one_point_and_none(qtbot: QtBot) -> None:
    from riskdesk.scoring.config import DEFAULT_CONFIG

    chart = TrendChart()
    qtbot.addWidget(chart)
    chart.resize(400, 160)
    assert not chart.grab().isNull()  # empty state
    chart.set_points([TrendPoint(dt.date(2026, 1, 1), 50, "high", "now")], DEFAULT_CONFIG)
    assert "exposure 50 (High)" in chart.toolTip()
    assert not chart.grab().isNull()
