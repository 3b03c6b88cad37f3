"""The model editor (issue 17): name, provider, version, notes — and, when adding, the
seeded common models offered as a starting point (editable before saving)."""

from __future__ import annotations

from typing import Any, TypeVar

from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit, QWidget

from riskdesk import enums
from riskdesk.service import model_catalogue
from riskdesk.service.errors import ConflictError, StoreError, ValidationError
from riskdesk.service.register import RegisterService
from riskdesk.ui.editors.evidence_tab import add_evidence_tab
from riskdesk.ui.editors.record_dialog import FieldSpec, RecordDialog
from riskdesk.ui.undo import EditHistory

W = TypeVar("W", bound=QWidget)


def vendor_choices(service: RegisterService) -> list[tuple[str, Any]]:
    return [(v["name"], v["id"]) for v in service.rows("vendor", order_by="name")]


MODEL_FIELDS = [
    FieldSpec("name", "&Name"),
    FieldSpec("provider_id", "&Provider (vendor)", "choice", choices=vendor_choices),
    FieldSpec("model_version", "Model &version"),
    FieldSpec("notes", "N&otes", "text"),
]


class ModelDialog(RecordDialog):
    def __init__(
        self,
        service: RegisterService,
        history: EditHistory,
        key: int | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(service, history, "ai_model", key, parent, fields=MODEL_FIELDS)
        self.setWindowTitle("New model" if key is None else "Model")
        self.provider = self._child(QComboBox, "provider_id")
        # A suggestion's provider that is not a vendor yet: added with the model on Save.
        self.new_provider: tuple[str, str] | None = None
        self.note = QLabel(self)
        self.note.setObjectName("newProviderNote")
        self.note.setWordWrap(True)
        self.note.hide()
        self.suggestion = QComboBox(self)
        self.suggestion.setObjectName("suggestion")
        if key is None:
            self.suggestions = model_catalogue.open_suggestions(service)
            self.suggestion.addItem("— start from scratch —", None)
            for number, s in enumerate(self.suggestions):
                version = f" ({s['version']})" if s["version"] else ""
                self.suggestion.addItem(f"{s['provider']} — {s['model']}{version}", number)
            label = QLabel("Start from a &common model", self)
            label.setBuddy(self.suggestion)
            self.form.insertRow(0, label, self.suggestion)
            self.form.insertRow(1, "", self.note)
            self.suggestion.currentIndexChanged.connect(lambda _i: self.use_suggestion())
            self.provider.currentIndexChanged.connect(lambda _i: self._provider_picked())
        else:
            self.suggestion.hide()
        # issue 18: a model card or evaluation, after the dialog's own rows (RecordDialog
        # leaves the tab to its subclasses)
        self.evidence_panel = add_evidence_tab(self, service, history, "ai_model", key)

    def _child(self, kind: type[W], name: str) -> W:
        found = self.findChild(kind, name)
        assert found is not None, name  # a field of MODEL_FIELDS
        return found

    def use_suggestion(self) -> None:
        number = self.suggestion.currentData()
        if number is None:
            return
        s = self.suggestions[number]
        self._child(QLineEdit, "name").setText(s["model"])
        self._child(QLineEdit, "model_version").setText(s["version"])
        vendor_id = model_catalogue.vendor_named(self.service, s["provider"])
        self.provider.setCurrentIndex(max(self.provider.findData(vendor_id), 0))
        if vendor_id is None:
            kinds = {k.value for k in enums.VendorKind}
            kind = s["provider_kind"] if s["provider_kind"] in kinds else "other"
            self.new_provider = (s["provider"], kind)
            self.note.setText(
                f"{s['provider']} is not a vendor in the register yet: Save adds it as a "
                f"{enums.VendorKind(kind).label.lower()} with this model. Pick another "
                "provider above to use that instead."
            )
            self.note.show()

    def _provider_picked(self) -> None:
        if self.provider.currentData() is not None:
            self.new_provider = None
            self.note.hide()

    def save(self) -> None:
        if self.key is not None or self.new_provider is None:
            super().save()
            return
        self.binding.clear_errors()
        self.banner.hide()
        values = self.binding.values()
        provider = self.new_provider
        try:
            result = self.history.run(
                f"Add model “{values['name']}” from {provider[0]}",
                lambda: model_catalogue.add_model(self.service, values, provider),
            )
        except ValidationError as exc:
            self.binding.show_errors(exc.problems)
            self.banner.setText("Please correct the marked fields.")
            self.banner.show()
            return
        except (ConflictError, StoreError) as exc:
            self.banner.setText(str(exc))
            self.banner.show()
            return
        self.key = model_catalogue.model_id_of(result)
        self.accept()
