"""The use editor's Agent tab (issue 17): facts, permission inventory, review, findings.

Built in code and installed by one call from ``UseEditor`` *before* its form binding is
made, so the per-agent facts (``human_approval_destructive``, ``credentials_scoped``,
``action_logging``) are ordinary fields of the use, saved with it. Dev/prod separation
and the kill switch already have fields on the Exposure and Oversight tabs; the tab
shows them again as mirrors kept in step, so there is one value and no second field
for the binding to save. The permission inventory is its own table and is written
straight away through the undo stack, like the use's risks.
"""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from riskdesk import enums
from riskdesk.scoring.ladder import AGENT_LEVELS
from riskdesk.service import agents, oversight
from riskdesk.service.errors import ServiceError
from riskdesk.service.register import RegisterService
from riskdesk.ui.editors.agent_dialogs import (
    PermissionDialog,
    PermissionReviewDialog,
    people_choices,
)
from riskdesk.ui.editors.use_model_chain import ModelChain
from riskdesk.ui.models.table_model import AnyIndex, ListTableModel
from riskdesk.ui.widgets.binding import FormBinding, fill_optbool

if TYPE_CHECKING:
    from riskdesk.ui.editors.use_editor import UseEditor

# Gap → the widget on this tab (or the model chain) that closes it.
AGENT_GAP_WIDGETS = {
    "agent_prod_unapproved": "human_approval_destructive",
    "agent_dev_prod": "agentDevProd",
    "agent_permission_unneeded": "permissionsView",
    "agent_permission_review": "reviewPermissionsButton",
    "agent_kill_switch": "agentKillSwitch",
    "vendor_due_diligence": "vendor_id",
}
FACTS = (
    ("human_approval_destructive", "Human &approval for destructive actions"),
    ("credentials_scoped", "&Credentials scoped to the agent (not a person's)"),
    ("action_logging", "Every action &logged"),
)
REVIEW_FIELDS = ("permissions_reviewed", "permissions_reviewed_on")  # set by a review
YES_NO = {True: "Yes", False: "No", None: "Not known"}


class PermissionModel(ListTableModel):
    """One agent's permissions (a handful of rows: held in a list)."""

    SYSTEM, ACCESS, ENVIRONMENT, NEEDED, APPROVED, REVIEWED, REVIEWER = range(7)
    HEADERS = (
        "System or tool",
        "Access",
        "Environment",
        "Needed",
        "Approved by",
        "Last reviewed",
        "Reviewed by",
    )

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.names: dict[int, str] = {}

    def load(self, rows: list[dict[str, Any]], names: dict[int, str]) -> None:
        self.names = names
        self.set_rows(rows)

    def id_at(self, row: int) -> int:
        return int(self.rows[row]["id"])

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or role != Qt.ItemDataRole.DisplayRole:
            return None
        p = self.rows[index.row()]
        col = index.column()
        if col == self.SYSTEM:
            return p["system"]
        if col == self.ACCESS:
            return enums.PermissionAccess(p["access"]).label
        if col == self.ENVIRONMENT:
            env = p["environment"]
            return enums.PermissionEnvironment(env).label if env else "Not known"
        if col == self.NEEDED:
            return YES_NO[p["needed"]]
        if col in (self.APPROVED, self.REVIEWER):
            pid = p["approved_by_id" if col == self.APPROVED else "reviewed_by_id"]
            return self.names.get(pid, "") if pid is not None else ""
        day = p["last_reviewed"]
        return day.isoformat() if day else "Never"


class AgentTab(QScrollArea):
    """The Agent tab; ``install`` puts it (and the model chain) into ``editor``."""

    @classmethod
    def install(cls, editor: UseEditor) -> AgentTab:
        tab = cls(editor)
        tabs = editor.ui.tabs
        tabs.insertTab(tabs.indexOf(editor.ui.oversightTab) + 1, tab, "A&gent")
        editor.ui.autonomy.currentIndexChanged.connect(lambda _i: tab.follow_autonomy())
        editor.history.changed.connect(tab.reload)
        tab.follow_autonomy()
        tab.reload()
        return tab

    def __init__(self, editor: UseEditor) -> None:
        super().__init__(editor.ui.tabs)
        self.setObjectName("agentTab")
        self.setWidgetResizable(True)
        self.editor = editor
        self.service: RegisterService = editor.service
        self.use_id: int | None = editor.use_id
        self.chain = ModelChain(editor)
        inner = QWidget(self)
        layout = QVBoxLayout(inner)
        intro = QLabel(
            "An agent meets risk where it acts on systems (OWASP Agentic ASI02 tool misuse, "
            "ASI03 identity and privilege abuse). These facts add gaps at every tier; they "
            "never change the exposure score.",
            inner,
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        layout.addWidget(self._facts(inner))
        layout.addWidget(self._inventory(inner), 1)
        findings = QGroupBox("Findings and their crosswalk", inner)
        box = QVBoxLayout(findings)
        self.findings = QListWidget(findings)
        self.findings.setObjectName("agentFindings")
        self.findings.setAccessibleName("Agent findings")
        self.findings.setWordWrap(True)
        self.findings.setMaximumHeight(150)
        self.findings.itemActivated.connect(
            lambda item: editor.go_to_gap(str(item.data(Qt.ItemDataRole.UserRole) or ""))
        )
        box.addWidget(self.findings)
        layout.addWidget(findings)
        self.setWidget(inner)

    # --- facts -----------------------------------------------------------------------
    def _facts(self, parent: QWidget) -> QGroupBox:
        group = QGroupBox("Agent facts", parent)
        form = QFormLayout(group)
        for name, label in FACTS:
            combo = QComboBox(group)
            combo.setObjectName(name)  # a field of the use: the editor's binding saves it
            fill_optbool(combo)
            lab = QLabel(label, group)
            lab.setBuddy(combo)
            form.addRow(lab, combo)
        # Mirrors of fields on other tabs, kept in step both ways.
        ui = self.editor.ui
        self.dev_prod = QComboBox(group)
        self.dev_prod.setObjectName("agentDevProd")
        fill_optbool(self.dev_prod)
        self.dev_prod.setToolTip("The same answer as “Dev/prod separated” on the Exposure tab.")
        self.kill_switch = QPlainTextEdit(group)
        self.kill_switch.setObjectName("agentKillSwitch")
        self.kill_switch.setTabChangesFocus(True)
        self.kill_switch.setMaximumHeight(60)
        self.kill_switch.setToolTip("The same text as “Kill switch” on the Oversight tab.")
        self.kill_switch.setPlaceholderText("Who can stop the agent, and how")
        for text, widget in (
            ("&Development and production separated", self.dev_prod),
            ("&Kill switch", self.kill_switch),
        ):
            lab = QLabel(text, group)
            lab.setBuddy(widget)
            form.addRow(lab, widget)
        self.dev_prod.currentIndexChanged.connect(
            lambda i: ui.dev_prod_separated.setCurrentIndex(i)
        )
        ui.dev_prod_separated.currentIndexChanged.connect(self.dev_prod.setCurrentIndex)
        self.dev_prod.setCurrentIndex(ui.dev_prod_separated.currentIndex())

        def copy(source: QPlainTextEdit, target: QPlainTextEdit) -> None:
            if target.toPlainText() != source.toPlainText():  # no echo back and forth
                target.setPlainText(source.toPlainText())

        self.kill_switch.textChanged.connect(lambda: copy(self.kill_switch, ui.kill_switch))
        ui.kill_switch.textChanged.connect(lambda: copy(ui.kill_switch, self.kill_switch))
        copy(ui.kill_switch, self.kill_switch)
        return group

    # --- permission inventory --------------------------------------------------------
    def _inventory(self, parent: QWidget) -> QGroupBox:
        group = QGroupBox("Permission inventory", parent)
        box = QVBoxLayout(group)
        self.model = PermissionModel(group)
        self.view = QTableView(group)
        self.view.setObjectName("permissionsView")
        self.view.setAccessibleName("Agent permissions")
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.verticalHeader().hide()
        self.view.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.view.setMinimumHeight(140)
        self.view.activated.connect(lambda index: self.edit_permission(index))
        box.addWidget(self.view)
        row = QHBoxLayout()
        self.add_button = QPushButton("Add &permission…", group)
        self.edit_button = QPushButton("&Edit…", group)
        self.remove_button = QPushButton("Re&move", group)
        self.review_button = QPushButton("&Record permission review…", group)
        self.review_button.setObjectName("reviewPermissionsButton")
        for name, button in (
            ("addPermission", self.add_button),
            ("editPermission", self.edit_button),
            ("removePermission", self.remove_button),
        ):
            button.setObjectName(name)
        self.add_button.clicked.connect(lambda: self.edit_permission(None))
        self.edit_button.clicked.connect(lambda: self.edit_permission(self.selected_index()))
        self.remove_button.clicked.connect(self.remove_permission)
        self.review_button.clicked.connect(self.review_permissions)
        for button in (self.add_button, self.edit_button, self.remove_button):
            row.addWidget(button)
        row.addStretch(1)
        row.addWidget(self.review_button)
        box.addLayout(row)
        self.reviews = QLabel(group)
        self.reviews.setObjectName("permissionReviews")
        self.reviews.setWordWrap(True)
        box.addWidget(self.reviews)
        saved = self.use_id is not None
        for button in (self.add_button, self.edit_button, self.remove_button, self.review_button):
            button.setEnabled(saved)
        if not saved:
            self.reviews.setText("Save the use first, then record its agent's permissions.")
        return group

    def selected_index(self) -> QModelIndex | None:
        rows = self.view.selectionModel().selectedRows()
        return rows[0] if rows else None

    def edit_permission(self, index: QModelIndex | None) -> PermissionDialog | None:
        if self.use_id is None:
            return None
        key = self.model.id_at(index.row()) if index is not None and index.isValid() else None
        dialog = PermissionDialog(self.service, self.editor.history, self.use_id, key, self)
        dialog.open()
        return dialog

    def remove_permission(self) -> None:
        index = self.selected_index()
        if index is None:
            return
        row = self.model.rows[index.row()]
        answer = QMessageBox.question(
            self,
            "Remove permission",
            f"Remove “{row['system']}” from the inventory? A permission review records why; "
            "this removes it without one.",
        )
        if answer == QMessageBox.StandardButton.Yes:
            self.editor.history.delete(
                f"Remove agent permission “{row['system']}”", "agent_permission", row["id"]
            )

    def review_permissions(self) -> PermissionReviewDialog | None:
        if self.use_id is None:
            return None
        dialog = PermissionReviewDialog(self.service, self.editor.history, self.use_id, self)
        dialog.accepted.connect(self.reviewed)
        dialog.open()
        return dialog

    def reviewed(self) -> None:
        """The review marked the use reviewed: show it, and keep a later Save from
        writing the old values back (or being refused as someone else's change)."""
        fresh = self.service.get("ai_use", self.use_id)
        for name in (*REVIEW_FIELDS, "version"):
            self.editor.original[name] = fresh[name]
        FormBinding(self.editor, list(REVIEW_FIELDS)).set_values(fresh)
        self.editor.binding.mark_clean(REVIEW_FIELDS)

    # --- state -----------------------------------------------------------------------
    def follow_autonomy(self) -> None:
        """Shown only while the use's autonomy (as the form has it) is an agent level."""
        value = self.editor.ui.autonomy.currentData()
        shown = value is not None and enums.Autonomy.parse(value) in AGENT_LEVELS
        tabs = self.editor.ui.tabs
        tabs.setTabVisible(tabs.indexOf(self), shown)

    def reload(self) -> None:
        self.chain.reload_vendors()
        self.chain.refresh()
        if self.use_id is None:
            return
        try:
            rows = agents.permissions(self.service, self.use_id)
            gaps = oversight.gaps_for_use(self.service, self.use_id)
            reviews = agents.permission_reviews(self.service, self.use_id)
        except ServiceError:
            return  # the use was deleted (or an undo removed it) while the editor is open
        names = {pid: name for name, pid in people_choices(self.service)}
        self.model.load(rows, names)
        self.findings.clear()
        found = [g for g in gaps if g.rung in agents.AGENT_RUNGS]
        for gap in found:
            rung = agents.AGENT_RUNGS[gap.rung]
            item = QListWidgetItem(f"{gap.reason}  [{', '.join(rung.refs)}]")
            item.setData(Qt.ItemDataRole.UserRole, gap.rung)
            item.setToolTip(f"{rung.title}. Required: {rung.requirement}.")
            self.findings.addItem(item)
        if not found:
            self.findings.addItem("No agent findings from the facts recorded (as saved).")
        self.reviews.setText(_reviews_text(reviews, names))


def _reviews_text(reviews: list[dict[str, Any]], names: dict[int, str]) -> str:
    if not reviews:
        return "No permission review recorded yet."
    lines = []
    for review in reversed(reviews[-3:]):  # the latest three, newest first
        counts: dict[str, int] = {}
        for d in review["decisions"]:
            counts[d["outcome"]] = counts.get(d["outcome"], 0) + 1
        what = ", ".join(f"{n} {outcome}" for outcome, n in sorted(counts.items()))
        who = names.get(review["reviewer_id"], "no reviewer named")
        lines.append(f"{review['reviewed_on'].isoformat()} by {escape(who)}: {what or 'nothing'}")
    return "<b>Permission reviews</b><br>" + "<br>".join(lines)
