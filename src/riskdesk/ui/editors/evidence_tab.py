"""Putting the Evidence panel on an editor: beside the use editor's own tabs, or, for
the simpler dialogs (risk, control, incident, vendor), by moving their fields into a
"Details" tab next to it; and, for records edited inside a use's tabs (reviews and
challenges), a button opening the panel in a dialog of its own."""

from __future__ import annotations

import itertools

from PySide6.QtWidgets import (
    QAbstractItemView,
    QBoxLayout,
    QDialog,
    QDialogButtonBox,
    QMessageBox,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from riskdesk.service import evidence as ev
from riskdesk.service.register import RegisterService
from riskdesk.ui.editors.evidence_panel import EvidencePanel
from riskdesk.ui.undo import EditHistory
from riskdesk.ui.widgets.tab_order import tab_stops

# Editor entity -> evidence target kind ("ai_use" is a "use" when typed as use:12).
TARGET_KIND = {entity: kind for kind, (_column, entity) in ev.TARGETS.items()}


def _wrap_in_tabs(dialog: QDialog) -> QTabWidget:
    """Move a plain dialog's fields into a "Details" tab, leaving its error banner above
    and its buttons below the tabs, so an Evidence tab can sit beside them.

    A layout moved to a new parent re-parents its widgets in the layout's item order,
    which put a row rebuilt later (an owner picker with its "New person…" button) at
    the end of the Tab order: the fields' order is put back as it was."""
    fields = [w for w in tab_stops(dialog) if w.parentWidget() is dialog]
    outer = dialog.layout()
    assert isinstance(outer, QBoxLayout)
    details = QWidget()
    details.setObjectName("detailsTab")
    box = QVBoxLayout(details)
    box.setContentsMargins(8, 8, 8, 8)
    at = -1
    index = 0
    while index < outer.count():
        item = outer.itemAt(index)
        widget = item.widget() if item is not None else None
        if isinstance(widget, QDialogButtonBox) or (
            widget is not None and widget.objectName() == "errorBanner"
        ):
            index += 1
            continue
        at = index if at < 0 else at
        taken = outer.takeAt(index)
        if taken is None:
            break
        if (child := taken.widget()) is not None:
            box.addWidget(child)
        elif (inner := taken.layout()) is not None:
            box.addLayout(inner)
        else:
            box.addItem(taken)
    tabs = QTabWidget(dialog)
    tabs.setObjectName("recordTabs")
    tabs.addTab(details, "Details")
    outer.insertWidget(at if at >= 0 else 0, tabs, 1)
    moved = [w for w in fields if w.parentWidget() is details]
    for first, second in itertools.pairwise(moved):
        QWidget.setTabOrder(first, second)  # siblings: each moves with its insides
    return tabs


def add_evidence_tab(
    dialog: QDialog,
    service: RegisterService,
    history: EditHistory,
    entity: str,
    key: int | None,
    tabs: QTabWidget | None = None,
) -> EvidencePanel | None:
    """An "Evidence" tab on the editor of ``entity`` (``key`` None: not saved yet), on
    ``tabs`` or on a "Details"/"Evidence" pair made from the dialog's own layout. None
    when evidence cannot be attached to that kind of record."""
    kind = TARGET_KIND.get(entity)
    if kind is None:
        return None
    if tabs is None:
        tabs = _wrap_in_tabs(dialog)
    panel = EvidencePanel(service, history, ev.Target(kind, key) if key is not None else None)
    tabs.addTab(panel, "Evidence")

    def retitle(count: int) -> None:
        if (index := tabs.indexOf(panel)) >= 0:
            tabs.setTabText(index, f"Evidence ({count})" if count else "Evidence")

    panel.count_changed.connect(retitle)
    if panel.target is not None:
        retitle(panel.model.rowCount())
    # A closed editor is kept (not deleted) by its parent: stop it re-reading the
    # register on every later edit.
    dialog.finished.connect(lambda _result: panel.stop_following())
    return panel


class EvidenceDialog(QDialog):
    """The Evidence panel on its own, for records edited inside another editor's tab
    (a use's reviews and challenges)."""

    def __init__(
        self,
        service: RegisterService,
        history: EditHistory,
        target: ev.Target,
        heading: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("evidenceDialog")
        self.setWindowTitle(f"Evidence — {heading}")
        layout = QVBoxLayout(self)
        self.panel = EvidencePanel(service, history, target, self)
        layout.addWidget(self.panel, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.finished.connect(lambda _result: self.panel.stop_following())
        self.resize(760, 420)


def selected_record_id(view: QAbstractItemView) -> int | None:
    """The id of the row selected in a view over a ``ListTableModel`` of records."""
    chosen = view.selectionModel().selectedRows() if view.selectionModel() else []
    rows = getattr(view.model(), "rows", None)
    return int(rows[chosen[0].row()]["id"]) if chosen and rows else None


def add_evidence_button(
    row: QBoxLayout,
    parent: QWidget,
    service: RegisterService,
    history: EditHistory,
    kind: str,
    view: QAbstractItemView,
    text: str = "E&vidence…",
) -> QPushButton:
    """A button on ``row`` opening the evidence of the record selected in ``view``."""
    button = QPushButton(text, parent)
    button.setObjectName(f"{kind}EvidenceButton")
    button.setToolTip(f"Files attached to the selected {kind}")

    def show() -> None:
        key = selected_record_id(view)
        if key is None:
            QMessageBox.information(parent, "Evidence", f"Select a {kind} first.")
            return
        target = ev.Target(kind, key)
        name = ev.supported_names(service, [target]).get(target) or f"{kind} {key}"
        EvidenceDialog(service, history, target, name, parent).exec()

    button.clicked.connect(show)
    row.addWidget(button)
    return button
