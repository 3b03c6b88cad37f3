"""The Vendors page names the provider most people depend on (issue 17)."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from riskdesk.service.register import RegisterService
from riskdesk.service.vendors import concentration, concentration_headline
from riskdesk.ui.main_window import MainWindow


def test_vendors_page_shows_the_concentration(
    window: MainWindow, window_service: RegisterService
) -> None:
    text = window.vendor_banner.text()
    assert text == concentration_headline(concentration(window_service))
    assert "depend on OpenAI" in text and "through another vendor" in text
    assert window.vendor_banner.parent() is window.vendors_page


def test_vendor_dialog_records_due_diligence_and_keeps_unknown(
    window: MainWindow, qtbot: QtBot
) -> None:
    from PySide6.QtWidgets import QComboBox, QLineEdit

    from riskdesk.ui.editors.record_dialog import RecordDialog

    vendor = next(v for v in window.service.rows("vendor") if v["name"] == "OpenAI")
    assert vendor["dpa_signed"] is None  # the demo never said
    dialog = RecordDialog(window.service, window.history, "vendor", vendor["id"], window)
    qtbot.addWidget(dialog)
    dpa = dialog.findChild(QComboBox, "dpa_signed")
    assert dpa.currentData() is None and dpa.currentText().startswith("Not known")
    dpa.setCurrentIndex(dpa.findData(False))
    dialog.findChild(QLineEdit, "data_location").setText("US and EU")
    dialog.save()
    saved = window.service.get("vendor", vendor["id"])
    assert saved["dpa_signed"] is False and saved["data_location"] == "US and EU"
    assert saved["contract_end"] is None  # untouched "Known" box: still unknown
