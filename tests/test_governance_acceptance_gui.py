"""Issue 15: the risk editor saves acceptances through the service's one rule."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate
from pytestqt.qtbot import QtBot

from riskdesk.service.register import RegisterService
from riskdesk.ui.editors.risk_editor import RiskEditor
from riskdesk.ui.undo import EditHistory
from tests import test_governance as base
from tests.test_governance import make_risk, make_use

people = base.people  # the shared fixture


def test_the_risk_editor_cannot_bypass_the_acceptance_rule(
    service: RegisterService, people: dict[str, int], qtbot: QtBot
) -> None:
    use_id = make_use(service, people, "low")
    risk_id = make_risk(service, use_id, residual_likelihood=4, residual_impact=3)
    history = EditHistory(service)
    editor = RiskEditor(service, history, use_id, risk_id)
    qtbot.addWidget(editor)
    ui = editor.ui
    ui.accepted_by_id.setCurrentIndex(ui.accepted_by_id.findData(people["reviewer"]))
    ui.acceptance_rationale.setPlainText("Vendor fix due.")
    ui.acceptance_expires_known.setChecked(False)  # the old bypass: no expiry at all
    editor.save()
    assert service.get("risk", risk_id)["accepted_by_id"] is None
    assert not editor.ui.errorBanner.isHidden()

    ui.acceptance_expires_known.setChecked(True)
    ui.acceptance_expires.setDate(QDate.currentDate().addYears(20))
    editor.save()
    assert service.get("risk", risk_id)["accepted_by_id"] is None

    expiry = dt.date.today() + dt.timedelta(days=90)
    ui.acceptance_expires.setDate(QDate(expiry.year, expiry.month, expiry.day))
    editor.save()
    risk = service.get("risk", risk_id)
    assert risk["accepted_by_id"] == people["reviewer"]
    assert risk["acceptance_expires"] == expiry
    assert risk["status"] == "accepted" and risk["treatment"] == "accept"
    # Saved as one undoable act through accept_risk.
    assert history.stack.count() == 1 and history.stack.undoText().startswith("Accept risk")


def test_the_settings_dialog_says_why_it_refuses_a_floor(
    service: RegisterService, qtbot: QtBot
) -> None:
    from riskdesk.ui.dialogs.settings import SettingsDialog

    dialog = SettingsDialog(service, EditHistory(service))
    qtbot.addWidget(dialog)
    dialog.review_spins["low"].setValue(24)
    assert not dialog.save_button.isEnabled()
    assert "never to zero" in dialog.error.text() and "review_months.low" in dialog.error.text()
    dialog.review_spins["low"].setValue(12)
    combo = dialog.ladder_combos["owner_first"]
    combo.setCurrentIndex(combo.findData("critical"))
    assert not dialog.save_button.isEnabled()
    assert "ladder.owner_first" in dialog.error.text() and "never to zero" in dialog.error.text()
    combo.setCurrentIndex(combo.findData("low"))
    assert dialog.save_button.isEnabled()


def test_the_review_dialog_shows_why_the_1st_line_cannot_sign_off_a_high_use(
    service: RegisterService, people: dict[str, int], qtbot: QtBot
) -> None:
    from riskdesk.ui.editors.use_review_dialog import RecordReviewDialog

    use_id = make_use(service, people, "high")
    dialog = RecordReviewDialog(service, EditHistory(service), use_id)
    qtbot.addWidget(dialog)
    dialog.reviewer.setCurrentIndex(dialog.reviewer.findData(people["owner"]))
    dialog.save()
    assert not dialog.error.isHidden()
    assert "1st-line owner" in dialog.error.text()
    assert service.rows("review", use_id=use_id) == []
    dialog.reviewer.setCurrentIndex(dialog.reviewer.findData(people["reviewer"]))
    dialog.save()
    assert len(service.rows("review", use_id=use_id)) == 1
