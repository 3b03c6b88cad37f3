"""The Vendors page names the provider most people depend on (issue 17)."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QCheckBox, QWidget
from pytestqt.qtbot import QtBot

from riskdesk.service.register import RegisterService
from riskdesk.service.vendors import concentration, concentration_headline
from riskdesk.ui.editors.model_dialog import ModelDialog
from riskdesk.ui.editors.vendor_dialog import VendorDialog
from riskdesk.ui.main_window import MainWindow


def test_vendors_page_shows_the_concentration(
    window: MainWindow, window_service: RegisterService
) -> None:
    window.show_page("vendors")  # the banner is read with its page
    text = window.vendor_banner.text()
    assert text == concentration_headline(concentration(window_service))
    assert "depend on OpenAI" in text and "through another vendor" in text
    assert window.vendor_banner.parent() is window.vendors_page


def test_vendor_dialog_records_due_diligence_and_keeps_unknown(
    window: MainWindow, qtbot: QtBot
) -> None:
    from PySide6.QtWidgets import QComboBox, QLineEdit

    vendor = next(v for v in window.service.rows("vendor") if v["name"] == "GitHub")
    assert vendor["dpa_signed"] is None  # the demo never said
    dialog = VendorDialog(window.service, window.history, vendor["id"], window)
    qtbot.addWidget(dialog)
    assert "DPA not recorded" in dialog.missing.text()
    dpa = dialog.findChild(QComboBox, "dpa_signed")
    assert dpa.currentData() is None and dpa.currentText().startswith("Not known")
    dpa.setCurrentIndex(dpa.findData(False))
    dialog.findChild(QLineEdit, "data_location").setText("US and EU")
    assert "DPA not signed" in dialog.missing.text()
    dialog.save()
    saved = window.service.get("vendor", vendor["id"])
    assert saved["dpa_signed"] is False and saved["data_location"] == "US and EU"
    assert saved["contract_end"] is None  # untouched "Known" box: still unknown


# --- the vendor dialog with its due diligence, and the model catalogue (issue 17) ---------


def _vendor(service: RegisterService, name: str) -> dict[str, Any]:
    return next(v for v in service.rows("vendor") if v["name"] == name)


def test_editing_a_vendor_opens_the_due_diligence_dialog(window: MainWindow, qtbot: QtBot) -> None:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    seen: list[QWidget | None] = []

    def close_it() -> None:
        dialog = QApplication.activeModalWidget()
        seen.append(dialog)
        if dialog is not None:
            dialog.close()

    QTimer.singleShot(0, close_it)
    window.editors.edit_record("vendor", _vendor(window.service, "OpenAI")["id"])
    assert seen and isinstance(seen[0], VendorDialog)


def test_vendor_dialog_lists_what_is_missing_and_the_uses_it_reaches(
    window: MainWindow, qtbot: QtBot
) -> None:
    from PySide6.QtCore import QDate
    from PySide6.QtWidgets import QDateEdit, QPlainTextEdit

    openai = _vendor(window.service, "OpenAI")
    dialog = VendorDialog(window.service, window.history, openai["id"], window)
    qtbot.addWidget(dialog)
    text = dialog.missing.text()
    assert "over 12 months old" in text and "no exit plan" in text
    assert "Student homework chatbot" in text  # through Khan Academy
    assert "Teacher lesson-plan drafting" not in text  # a Low use carries no gap
    dialog.findChild(QPlainTextEdit, "exit_plan").setPlainText("Move to the Anthropic contract")
    assert dialog.findChild(QCheckBox, "security_review_on_known").isChecked()
    dialog.findChild(QDateEdit, "security_review_on").setDate(QDate.currentDate())
    assert "no exit plan" not in dialog.missing.text()
    assert "Student homework chatbot" not in dialog.missing.text()  # no gap left to explain
    dialog.save()
    saved = window.service.get("vendor", openai["id"])
    assert saved["exit_plan"] == "Move to the Anthropic contract"
    assert saved["security_review_on"] is not None


def test_models_section_lists_the_catalogue(
    window: MainWindow, qtbot: QtBot, qtmodeltester: Any
) -> None:
    panel = window.models_panel
    assert panel.parent() is window.vendors_page
    model = panel.page.model
    qtmodeltester.check(model)
    assert model.rowCount() == window.service.count("ai_model")
    rows = {model.index(r, 1).data(): r for r in range(model.rowCount())}
    gpt = rows["GPT-4 class"]
    assert model.index(gpt, 2).data() == "OpenAI"
    uses = [u for u in window.service.rows("ai_use") if u["model_id"] == model.id_at(gpt)]
    assert int(model.index(gpt, 4).data()) == len(uses) > 1


def test_adding_a_model_from_a_suggestion_adds_its_provider_too(
    window: MainWindow, qtbot: QtBot
) -> None:
    from PySide6.QtWidgets import QComboBox, QLineEdit

    before = window.models_panel.page.model.rowCount()
    dialog = window.models_panel.edit(None)
    qtbot.addWidget(dialog)
    pick = dialog.findChild(QComboBox, "suggestion")
    texts = [pick.itemText(i) for i in range(pick.count())]
    assert not any(t.startswith("OpenAI — GPT-4o (") for t in texts)  # already catalogued
    mistral = next(i for i, t in enumerate(texts) if t.startswith("Mistral"))
    pick.setCurrentIndex(mistral)
    assert dialog.findChild(QLineEdit, "name").text()  # filled in, still editable
    assert dialog.note.isVisibleTo(dialog) and "not a vendor" in dialog.note.text()
    dialog.findChild(QLineEdit, "model_version").setText("2506")
    dialog.save()
    model = window.service.get("ai_model", dialog.key)
    provider = window.service.get("vendor", model["provider_id"])
    assert provider["name"] == "Mistral AI" and model["model_version"] == "2506"
    assert window.models_panel.page.model.rowCount() == before + 1
    window.history.stack.undo()  # one step takes both back
    assert window.service.count("ai_model") == before
    assert all(v["name"] != "Mistral AI" for v in window.service.rows("vendor"))


def test_a_suggestion_from_a_known_provider_links_that_vendor(
    window: MainWindow, qtbot: QtBot
) -> None:
    from PySide6.QtWidgets import QComboBox

    dialog = window.models_panel.edit(None)
    qtbot.addWidget(dialog)
    pick = dialog.findChild(QComboBox, "suggestion")
    claude = next(i for i in range(pick.count()) if "Claude Opus" in pick.itemText(i))
    pick.setCurrentIndex(claude)
    anthropic = _vendor(window.service, "Anthropic")
    assert dialog.findChild(QComboBox, "provider_id").currentData() == anthropic["id"]
    assert not dialog.note.isVisibleTo(dialog)
    dialog.save()
    assert window.service.get("ai_model", dialog.key)["provider_id"] == anthropic["id"]


def test_vendor_and_model_dialogs_are_named_for_screen_readers(
    window: MainWindow, qtbot: QtBot
) -> None:
    from tests.test_gui_first_hour import unnamed_widgets

    openai = _vendor(window.service, "OpenAI")
    problems: list[str] = []
    for dialog in (
        VendorDialog(window.service, window.history, openai["id"], window),
        ModelDialog(window.service, window.history, None, window),
        ModelDialog(
            window.service, window.history, window.service.rows("ai_model")[0]["id"], window
        ),
    ):
        qtbot.addWidget(dialog)
        problems += unnamed_widgets(dialog)
    window.show_page("vendors")
    problems += unnamed_widgets(window.vendors_page)
    assert problems == []
