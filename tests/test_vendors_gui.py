"""The Vendors page names the provider most people depend on (issue 17)."""

from __future__ import annotations

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
