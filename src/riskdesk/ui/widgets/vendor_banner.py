"""The Vendors page's concentration line (issue 17): who most people depend on."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QWidget

from riskdesk.service.register import RegisterService
from riskdesk.service.vendors import concentration, concentration_headline
from riskdesk.ui.widgets.numbers import count_text


class ConcentrationBanner(QLabel):
    """Empty until the first ``refresh``: the window refreshes it with the Vendors page
    when that page is shown (it reads every use: seconds at 100,000 uses)."""

    def __init__(self, service: RegisterService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.service = service
        self.setObjectName("concentrationBanner")
        self.setWordWrap(True)

    def refresh(self) -> None:
        # counts as the user reads them (1,234 / 1.234 / 1 234)
        self.setText(concentration_headline(concentration(self.service), count_text))
