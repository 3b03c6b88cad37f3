"""The Vendors page's Models section (issue 17): the model catalogue uses point at.

Models sit under the vendors because each names its provider, a vendor: reading down
the page goes from who is paid to what runs. The section is a table page of its own
(search, sort in SQL, add/edit/delete) that reloads whenever the register changes.
"""

from __future__ import annotations

from PySide6.QtWidgets import QBoxLayout, QLabel, QMessageBox, QVBoxLayout, QWidget

from riskdesk.service import model_catalogue
from riskdesk.service.errors import ServiceError, StoreError
from riskdesk.service.register import RegisterService
from riskdesk.ui.editors.model_dialog import ModelDialog
from riskdesk.ui.models.register_models import RegisterTableModel
from riskdesk.ui.models.table_model import Column
from riskdesk.ui.pages.table_page import TablePage
from riskdesk.ui.undo import EditHistory
from riskdesk.ui.widgets.vendor_banner import ConcentrationBanner


class ModelTableModel(RegisterTableModel):
    ENTITY = "ai_model"
    COLUMNS = (
        Column("id", "ID", align_right=True),
        Column("name", "Model"),
        Column("provider", "Provider"),
        Column("version", "Version"),
        Column(
            "uses",
            "AI uses",
            align_right=True,
            tooltip="How many uses run on this model",
            number=True,
        ),
        Column("notes", "Notes"),
    )


class ModelsPanel(QWidget):
    def __init__(
        self, service: RegisterService, history: EditHistory, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("modelsPanel")
        self.service, self.history = service, history
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 6, 0, 0)
        heading = QLabel(
            "<b>Models</b> — the catalogue AI uses point at; each model's provider is a "
            "vendor above, so a use bought through one vendor still depends on its "
            "model's provider.",
            self,
        )
        heading.setWordWrap(True)
        layout.addWidget(heading)
        self.page = TablePage(
            "models",
            ModelTableModel(model_catalogue.models(service), self),
            on_open=self._open,
            on_add=self._add,
            on_delete=self.delete,
            add_text="Add m&odel…",
            noun=("model", "models"),
            empty_text="<b>No models catalogued.</b><br>Add the models your uses run on "
            "(common ones are offered); a use then names its model beside its vendor.",
            empty_actions=[("Add m&odel…", self._add)],
        )
        # One shortcut, two searches: Ctrl+F searches the section the focus is in.
        self.page.search.setPlaceholderText("Search models (Ctrl+F in this section)…")
        self.page.search.setToolTip(
            "Ctrl+F searches the models while the focus is in this section, the vendors "
            "anywhere else on the page."
        )
        layout.addWidget(self.page)
        history.changed.connect(self.page.reload)

    def _open(self, key: int) -> None:
        self.edit(key)

    def _add(self) -> None:
        self.edit(None)

    def edit(self, key: int | None) -> ModelDialog:
        dialog = ModelDialog(self.service, self.history, key, self)
        dialog.open()
        return dialog

    def delete(self, key: int) -> None:
        model = self.service.get("ai_model", key)
        uses = self.service.rows("ai_use", model_id=key)
        also = (
            f" {len(uses)} AI use{'s' if len(uses) != 1 else ''} run on it; they keep their "
            "vendor but no longer name a model."
            if uses
            else ""
        )
        answer = QMessageBox.question(self, "Delete model", f"Delete “{model['name']}”?{also}")
        if answer != QMessageBox.StandardButton.Yes:
            return
        try:
            self.history.delete(f"Delete model “{model['name']}”", "ai_model", key)
        except (ServiceError, StoreError) as exc:
            QMessageBox.warning(self, "Cannot delete", str(exc))


def vendor_extras(page: QWidget, history: EditHistory) -> tuple[ConcentrationBanner, ModelsPanel]:
    """Add the concentration line under the search row of ``page`` (the Vendors page)
    and the Models section at its foot."""
    layout = page.layout()
    assert isinstance(layout, QBoxLayout)  # TablePage stacks its rows
    banner = ConcentrationBanner(history.service, page)
    layout.insertWidget(1, banner)
    panel = ModelsPanel(history.service, history, page)
    layout.addWidget(panel, 1)
    return banner, panel
