"""First-run dialog: organisation, sector, champion, and empty or demo register; and
Settings ▸ Organisation…, which edits the same profile afterwards."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from riskdesk import enums
from riskdesk.service.errors import StoreError, ValidationError
from riskdesk.service.register import RegisterService
from riskdesk.ui.forms.ui_first_run import Ui_FirstRun
from riskdesk.ui.undo import EditHistory
from riskdesk.ui.widgets.binding import AskBeforeDiscard, FormBinding, fill_choices, fill_enum

# QSettings key: the person this user is, whose name the audit trail records (per user,
# not per register: the same person works on several registers).
ME_SETTING = "identity/me"

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


def audit_name(service: RegisterService, settings: QSettings) -> str | None:
    """The name changes are recorded under: the person chosen as "me" in Settings ▸
    Organisation (when this register has them), else the champion, else nobody (the
    service then records the OS login)."""
    me = str(settings.value(ME_SETTING, "") or "").strip()
    if me and any(p["name"] == me for p in service.rows("person")):
        return me
    return str(service.profile().get("champion_name") or "").strip() or None


def add_champion_person(service: RegisterService, history: EditHistory | None = None) -> None:
    """The champion is a person of the register (an owner to pick, a name on History)."""
    name = str(service.profile().get("champion_name") or "").strip()
    if not name or any(p["name"] == name for p in service.rows("person")):
        return
    values = {"name": name, "title": "AI champion", "default_line": enums.Line.SECOND.value}
    if history is not None:
        history.create(f"Add person “{name}”", "person", values)
    else:
        service.add("person", values)


class OrganisationDialog(AskBeforeDiscard, QDialog):
    """Settings ▸ Organisation…: name, sector, champion, paper size, and who "I" am."""

    FIELDS = ("name", "sector", "champion_name", "paper_size")

    def __init__(
        self,
        service: RegisterService,
        history: EditHistory,
        settings: QSettings,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("organisationDialog")
        self.setWindowTitle("Organisation")
        self.service, self.history, self.settings = service, history, settings
        layout = QVBoxLayout(self)
        self.banner = QLabel(self)
        self.banner.setObjectName("errorBanner")
        self.banner.setWordWrap(True)
        self.banner.setStyleSheet("color: #8a1f11;")
        self.banner.hide()
        layout.addWidget(self.banner)
        form = QFormLayout()
        layout.addLayout(form)
        self.name = QLineEdit(self)
        self.name.setObjectName("name")
        self.sector = QComboBox(self)
        self.sector.setObjectName("sector")
        self.sector.setEditable(True)  # a sector of their own words is fine
        self.sector.addItems(SECTORS)
        self.champion = QLineEdit(self)
        self.champion.setObjectName("champion_name")
        self.champion.setToolTip("The person who keeps this register; named on the board pack.")
        self.paper = QComboBox(self)
        self.paper.setObjectName("paper_size")
        fill_enum(self.paper, enums.PaperSize)
        self.me = QComboBox(self)
        self.me.setObjectName("me")
        people = [(p["name"], p["name"]) for p in service.rows("person", order_by="name")]
        fill_choices(self.me, people)
        self.me.setItemText(0, "The champion")
        self.me.setToolTip(
            "Your changes are recorded under this name on this computer "
            "(the computer login is kept beside it)."
        )
        for text, widget in (
            ("Organisation &name", self.name),
            ("&Sector", self.sector),
            ("AI &champion", self.champion),
            ("&Paper size", self.paper),
            ("Record my changes &as", self.me),
        ):
            label = QLabel(text, self)
            label.setBuddy(widget)
            form.addRow(label, widget)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.binding = FormBinding(self, ["name", "champion_name", "paper_size"])
        self.original = service.profile()
        self.binding.set_values(self.original)
        self.sector.setCurrentText(str(self.original.get("sector") or ""))
        me = str(settings.value(ME_SETTING, "") or "")
        self.me.setCurrentIndex(max(0, self.me.findData(me)))
        self._clean = (self.sector.currentText(), self.me.currentIndex())
        self.binding.mark_clean()
        self.resize(460, self.sizeHint().height())

    def changes(self) -> dict[str, Any]:
        changes = self.binding.changes(self.original)
        sector = self.sector.currentText().strip()
        if sector != (self.original.get("sector") or ""):
            changes["sector"] = sector
        return changes

    def unsaved(self) -> bool:
        here = (self.sector.currentText(), self.me.currentIndex())
        return self.binding.is_dirty() or here != self._clean

    def reject(self) -> None:
        if self.may_discard():
            super().reject()

    def save(self) -> None:
        self.banner.hide()
        changes = self.changes()
        if "name" in changes and not str(changes["name"]).strip():
            self.banner.setText("Please give your organisation's name.")
            self.banner.show()
            self.name.setFocus()
            return
        self.settings.setValue(ME_SETTING, self.me.currentData() or "")
        self.service.act_as(audit_name(self.service, self.settings))
        try:
            if changes:
                self.history.run("Edit organisation", lambda: self.service.save_profile(changes))
            if self.service.profile().get("champion_name") and "champion_name" in changes:
                add_champion_person(self.service, self.history)
                self.service.act_as(audit_name(self.service, self.settings))
        except (ValidationError, StoreError) as exc:
            self.banner.setText(str(exc))
            self.banner.show()
            return
        self.accept()
