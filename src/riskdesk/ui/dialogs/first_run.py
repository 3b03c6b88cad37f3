"""First-run dialog: organisation, sector, champion, and empty or demo register."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QDialog, QWidget

from riskdesk.ui.forms.ui_first_run import Ui_FirstRun

SECTORS = [
    "Education (school district)",
    "Healthcare (clinic)",
    "Financial services",
    "Software / SaaS",
    "Local government",
    "Non-profit",
    "Other",
]


class FirstRunDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ui = Ui_FirstRun()
        self.ui.setupUi(self)
        self.ui.sector.addItems(SECTORS)
        self.ui.buttons.accepted.connect(self._accept)
        self.ui.buttons.rejected.connect(self.reject)
        self.ui.org_name.setFocus()

    def _accept(self) -> None:
        if not self.ui.startDemo.isChecked() and not self.ui.org_name.text().strip():
            self.ui.errorBanner.setText("Please give your organisation's name.")
            self.ui.errorBanner.show()
            self.ui.org_name.setFocus()
            return
        self.accept()

    @property
    def use_demo(self) -> bool:
        return self.ui.startDemo.isChecked()

    def profile(self) -> dict[str, Any]:
        return {
            "name": self.ui.org_name.text().strip(),
            "sector": self.ui.sector.currentText().strip(),
            "champion_name": self.ui.champion_name.text().strip(),
        }
