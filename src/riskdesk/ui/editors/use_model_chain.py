"""The use's supply chain on the editor's first tab (issue 17).

Beside the vendor the use is bought through: the catalogued model it runs on and the
chain they make ("Khanmigo via Khan Academy → GPT-4 class → OpenAI"), what any vendor in
the chain still lacks in due diligence, and the fallback if the provider fails. The
pickers are fields of the use (``model_id``, ``fallback``) saved with it.
"""

from __future__ import annotations

import datetime as dt
from html import escape
from typing import TYPE_CHECKING, cast

from PySide6.QtWidgets import QComboBox, QFormLayout, QLabel, QLineEdit, QWidget

from riskdesk.service import due_diligence
from riskdesk.service.vendors import chain_words
from riskdesk.ui.widgets.binding import fill_choices

if TYPE_CHECKING:
    from riskdesk.ui.editors.use_editor import UseEditor


def form_of(widget: QWidget) -> tuple[QFormLayout, int] | None:
    """The form layout holding ``widget`` and its row (None: not in a form)."""
    parent = widget.parentWidget()
    for form in parent.findChildren(QFormLayout) if parent is not None else []:
        row, _role = cast(tuple[int, object], form.getWidgetPosition(widget))  # stub: object
        if row >= 0:
            return form, row
    return None


class ModelChain:
    """The model picker, chain line and fallback, placed under the vendor picker."""

    def __init__(self, editor: UseEditor) -> None:
        self.editor = editor
        self.service = editor.service
        parent = editor.ui.vendor_id.parentWidget()
        self.model = QComboBox(parent)
        self.model.setObjectName("model_id")
        self.model.setToolTip(
            "The catalogued model the use runs on; its provider counts as a vendor the use "
            "depends on. Models are kept on the Vendors page."
        )
        self.chain = QLabel(parent)
        self.chain.setObjectName("modelChain")
        self.chain.setWordWrap(True)
        self.fallback = QLineEdit(parent)
        self.fallback.setObjectName("fallback")
        self.fallback.setPlaceholderText("What the use falls back to if its provider fails")
        self._fill()
        where = form_of(editor.ui.vendor_id)
        form, row = where if where is not None else (None, -1)
        for offset, (text, widget) in enumerate(
            (
                ("Catalogued m&odel", self.model),
                ("Supply chain", self.chain),
                ("&Fallback if the provider fails", self.fallback),
            ),
            start=1,
        ):
            label = QLabel(text, parent)
            if not isinstance(widget, QLabel):
                label.setBuddy(widget)
            if form is not None:
                form.insertRow(row + offset, label, widget)
        # made after the form, they would come last in the Tab order (after Cancel)
        QWidget.setTabOrder(editor.ui.vendor_id, self.model)
        QWidget.setTabOrder(self.model, self.fallback)
        editor.ui.vendor_id.currentIndexChanged.connect(lambda _i: self.refresh())
        self.model.currentIndexChanged.connect(lambda _i: self.refresh())
        editor.ui.name.textChanged.connect(lambda _t: self.refresh())

    def reload_vendors(self) -> None:
        """Re-read the vendors' records (their due diligence may have changed)."""
        self.vendors = {v["id"]: v for v in self.service.rows("vendor")}
        self.vendor_names = {vid: v["name"] for vid, v in self.vendors.items()}

    def _fill(self) -> None:
        self.reload_vendors()
        vendors = self.vendor_names
        self.models = {m["id"]: m for m in self.service.rows("ai_model", order_by="name")}
        fill_choices(
            self.model,
            [
                (m["name"] + (f" ({vendors[m['provider_id']]})" if m["provider_id"] else ""), mid)
                for mid, m in self.models.items()
            ],
        )

    def text(self) -> str:
        """The chain as the form now shows it (saved or not)."""
        model = self.models.get(self.model.currentData())
        provider = model["provider_id"] if model is not None else None
        return chain_words(
            self.editor.ui.name.text().strip() or "This use",
            self.vendor_names.get(self.editor.ui.vendor_id.currentData()),
            model["name"] if model is not None else None,
            self.vendor_names.get(provider) if provider is not None else None,
        )

    def refresh(self) -> None:
        lines = [escape(self.text())]
        model = self.models.get(self.model.currentData())
        chain = [self.editor.ui.vendor_id.currentData()]
        if model is not None and model["provider_id"] not in chain:
            chain.append(model["provider_id"])
        today = dt.date.today()
        for vid in filter(None, chain):
            vendor = self.vendors.get(vid)
            missing = due_diligence.missing_items(vendor, today) if vendor is not None else []
            if missing:
                name = escape(self.vendor_names.get(vid, ""))
                lines.append(f"<i>{name}: {escape('; '.join(missing))}</i>")
        if len(lines) > 1 and self.editor.original.get("tier") in due_diligence.APPLIES_TO:
            refs = ", ".join(due_diligence.REFS)
            lines.append(f"A gap on this High or Critical use ({refs}).")
        self.chain.setText("<br>".join(lines))
