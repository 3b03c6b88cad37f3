"""The AI-use editor: the Designer form ``forms/use_editor.ui`` plus its behaviour.

The dialog never writes itself: Save hands the changed fields to ``EditHistory``
(service layer + undo). A ``ValidationError`` keeps the dialog open with each problem
shown under its field. The tier badge updates live as exposure answers change.
"""

from __future__ import annotations

from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from riskdesk import enums
from riskdesk.scoring.exposure import ExposureAssessment, ExposureFactors, assess_exposure
from riskdesk.service import queries
from riskdesk.service.agents import tier_notes_for  # issue 17
from riskdesk.service.errors import ConflictError, ServiceError, StoreError, ValidationError
from riskdesk.service.oversight import Gap
from riskdesk.service.register import RegisterService
from riskdesk.service.validation import RULES
from riskdesk.ui.dialogs.catalogue import CatalogueDialog
from riskdesk.ui.editors.evidence_tab import add_evidence_tab  # issue 18
from riskdesk.ui.editors.use_agent_tab import AgentTab  # issue 17
from riskdesk.ui.editors.use_challenges_tab import ChallengesPanel
from riskdesk.ui.editors.use_gaps import fill_gaps, gap_of, go_to_gap
from riskdesk.ui.editors.use_gaps import make_guide as make_gap_guide
from riskdesk.ui.editors.use_history_tab import UseHistoryPanel
from riskdesk.ui.editors.use_imported_tab import add_imported_tab
from riskdesk.ui.editors.use_incidents_tab import IncidentsPanel
from riskdesk.ui.editors.use_suggestions_tab import SuggestionsPanel
from riskdesk.ui.forms.ui_use_editor import Ui_UseEditor
from riskdesk.ui.models.register_models import RiskTableModel
from riskdesk.ui.models.table_model import TIER_COLOURS
from riskdesk.ui.undo import EditHistory
from riskdesk.ui.widgets.binding import (
    AskBeforeDiscard,
    FormBinding,
    confirm_discard,
    fill_choices,
    fill_enum,
    fill_optbool,
)
from riskdesk.ui.widgets.person_picker import PersonPickers
from riskdesk.ui.widgets.text_keys import ctrl_tab_types_tab

ENUM_FIELDS: dict[str, type[enums.LabelledEnum]] = {
    "stage": enums.Stage,
    "sourcing": enums.Sourcing,
    "decision_role": enums.DecisionRole,
    "autonomy": enums.Autonomy,
    "human_oversight": enums.HumanOversight,
    "data_sensitivity": enums.DataSensitivity,
    "harm_severity": enums.HarmSeverity,
    "reversibility": enums.Reversibility,
    "eu_ai_act_class": enums.EUAIActClass,
}
OWNER_FIELDS = ("owner_first_id", "owner_second_id", "owner_third_id")
EXPOSURE_FIELDS = (
    "people_affected",
    "decision_role",
    "autonomy",
    "data_sensitivity",
    "childrens_data",
    "harm_severity",
    "reversibility",
    "rights_impacting",
    "safety_impacting",
    "eu_ai_act_class",
    "eu_ai_act_basis",
)

REVIEW_FIELDS = ("last_review", "next_review", "needs_rereview")

GapsProvider = Callable[[int], list[Gap]]
RiskOpener = Callable[[int, int | None, QWidget], None]  # use id, risk id (None: new), parent
# The Exposure tab's "Classify…": the form's values in, the answers to fill in out (None:
# cancelled).
Classifier = Callable[[QWidget, dict[str, Any]], dict[str, Any] | None]


def tier_badge_html(tier: str, score: int, must_not_deploy: bool = False) -> str:
    colour = TIER_COLOURS.get(tier, "#eeeeee")
    label = enums.Tier(tier).label
    warning = " — <b>must not be deployed</b>" if must_not_deploy else ""
    return (
        f'<span style="background:{colour}; color:#1a1a1a; padding:2px 8px;">'
        f"<b>{label}</b></span> exposure {score}/100{warning}"
    )


def assessment_badge_html(found: ExposureAssessment) -> str:
    """The tier badge, or for a use not yet assessed its provisional range."""
    if found.result is not None:
        return tier_badge_html(found.tier.value, found.result.score, found.result.must_not_deploy)
    colour = TIER_COLOURS.get(enums.Tier.NOT_ASSESSED.value, "#eeeeee")
    low, high = found.score_range
    return (
        f'<span style="background:{colour}; color:#1a1a1a; padding:2px 8px;">'
        f"<b>{enums.Tier.NOT_ASSESSED.label}</b></span> {found.range_words()} "
        f"(exposure {low}–{high})"
    )


# Factor fields whose widget must be able to say "not answered yet".
UNKNOWN_TEXT = "Not answered yet"


class UseEditor(AskBeforeDiscard, QDialog):
    """One AI use: its form tabs, its risks and gaps, and (once saved) the panels for
    suggested risks, incidents elsewhere, challenges and history."""

    def __init__(
        self,
        service: RegisterService,
        history: EditHistory,
        use_id: int | None = None,
        parent: QWidget | None = None,
        gaps: GapsProvider | None = None,
        open_risk: RiskOpener | None = None,
        classify: Classifier | None = None,
    ) -> None:
        super().__init__(parent)
        self.ui = Ui_UseEditor()
        self.ui.setupUi(self)
        self.service = service
        self.history = history
        self.use_id = use_id
        self._gaps = gaps
        self._open_risk = open_risk
        self._classify = classify
        self.risk_model: RiskTableModel | None = None  # a saved use's risks
        # The panels a saved use has (a new one shows a "save first" note instead).
        self.suggestions_panel: SuggestionsPanel | None = None
        self.incidents_panel: IncidentsPanel | None = None
        self.challenges_panel: ChallengesPanel | None = None
        self.use_history_panel: UseHistoryPanel | None = None
        self.gap_guide = make_gap_guide(self)  # which field closes the gap just activated
        self.incident_dialog: QDialog | None = None  # an open incident, opened from its gap
        self._populate_choices()
        # The use's risks as the editor opened: risks added meanwhile are saved at once,
        # and Cancel says so rather than seem to take them back.
        self._risks_at_open = (
            {r["id"] for r in service.rows("risk", use_id=use_id)} if use_id is not None else set()
        )
        self.agent_tab = AgentTab.install(self)  # issue 17: before the binding finds its fields
        fields = list(RULES["ai_use"])
        self.binding = FormBinding(self, fields)
        self.original = (
            service.get("ai_use", use_id) if use_id is not None else service.defaults("ai_use")
        )
        self.binding.set_values(self.original)
        self.binding.mark_clean()
        self.setWindowTitle(f"AI use — {self.original['name']}" if use_id else "New AI use")
        self.ui.buttons.accepted.connect(self.save)
        self.ui.buttons.rejected.connect(self.reject)
        self.ui.buttons.button(QDialogButtonBox.StandardButton.Save).setDefault(True)
        self._wire_live_score()
        self._setup_risks()
        self._refresh_gaps()
        self._setup_catalogue_tabs()
        self._setup_governance_tabs()
        self.evidence_panel = add_evidence_tab(
            self, service, history, "ai_use", use_id, self.ui.tabs
        )
        self.imported_panel = add_imported_tab(self)  # the source file's kept columns
        ctrl_tab_types_tab(self)  # the form's and the panels' multi-line fields
        self.ui.classifyButton.setVisible(classify is not None)
        if classify is not None:
            self.ui.classifyButton.clicked.connect(self._run_classify)
        QShortcut(QKeySequence.StandardKey.Save, self, self.save)
        self.ui.tabs.setCurrentIndex(0)
        self.ui.name.setFocus()

    # --- set-up --------------------------------------------------------------------
    def _populate_choices(self) -> None:
        for field, enum in ENUM_FIELDS.items():
            fill_enum(getattr(self.ui, field), enum)
            if field in EXPOSURE_FIELDS and field != "eu_ai_act_class":
                getattr(self.ui, field).insertItem(0, UNKNOWN_TEXT, None)
        # Unknown is not the lowest level: tri-state ticks and a "not answered" reach.
        # Public-facing and generative are not factors, but nobody's answer is not "no".
        tristate = ("childrens_data", "rights_impacting", "safety_impacting")
        for field in (*tristate, "public_facing", "generative"):
            box = getattr(self.ui, field)
            box.setTristate(True)  # its tooltip (forms/use_editor.ui) explains the grey
        self.ui.people_affected.setMinimum(-1)
        self.ui.people_affected.setSpecialValueText(UNKNOWN_TEXT)
        fill_optbool(self.ui.dev_prod_separated)
        service = self.service

        def owners() -> list[tuple[str, Any]]:
            people = service.rows("person", order_by="name")
            return [(p["name"] + (" (has left)" if p["has_left"] else ""), p["id"]) for p in people]

        # Each owner picker can add the person it needs (and then lists them all).
        self.person_pickers = PersonPickers(service, self.history, self)
        for field in OWNER_FIELDS:
            fill_choices(getattr(self.ui, field), owners())
            self.person_pickers.add(getattr(self.ui, field), owners)
        fill_choices(
            self.ui.vendor_id,
            [(v["name"], v["id"]) for v in self.service.rows("vendor", order_by="name")],
        )

    def _wire_live_score(self) -> None:
        for field in EXPOSURE_FIELDS:
            widget = getattr(self.ui, field)
            if isinstance(widget, QComboBox):
                widget.currentIndexChanged.connect(self._update_score)
            elif isinstance(widget, QCheckBox):
                widget.toggled.connect(self._update_score)
            elif isinstance(widget, QSpinBox):
                widget.valueChanged.connect(self._update_score)
            elif isinstance(widget, QLineEdit):
                widget.textChanged.connect(self._update_score)
        self._update_score()

    def _update_score(self) -> None:
        record = {**self.original, **self.binding.values()}
        found = assess_exposure(
            ExposureFactors.from_obj(SimpleNamespace(**record)), self.service.scoring_config()
        )
        self.ui.tierBadge.setText(assessment_badge_html(found))
        notes = tier_notes_for(self.service, self.use_id, record)  # issue 17: agent facts
        lines = "".join(f"<li>{line}</li>" for line in found.explain() + notes)
        self.ui.tierExplanation.setText(f"<b>Why this tier</b><ul>{lines}</ul>")

    def _setup_risks(self) -> None:
        view = self.ui.risksView
        enabled = self.use_id is not None
        for button in (self.ui.addRiskButton, self.ui.editRiskButton, self.ui.removeRiskButton):
            button.setEnabled(enabled)
        if not enabled:
            self.ui.risksTab.setToolTip("Save the use first, then add its risks.")
            return
        self.risk_model = RiskTableModel(queries.risks(self.service, self.use_id), self)
        view.setModel(self.risk_model)
        view.setColumnHidden(2, True)  # the use column: it is this use
        view.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        view.doubleClicked.connect(lambda _i: self._edit_risk())
        self.ui.gapsList.itemActivated.connect(lambda item: self.go_to_gap(*gap_of(item)))
        self.ui.addRiskButton.clicked.connect(lambda: self._edit_risk(new=True))
        self.ui.editRiskButton.clicked.connect(lambda: self._edit_risk())
        self.ui.removeRiskButton.clicked.connect(self._remove_risk)
        self.history.changed.connect(self._register_changed)

    def _register_changed(self) -> None:
        if self.risk_model is not None:
            self.risk_model.reload()
        self._refresh_gaps()

    def _selected_risk(self) -> int | None:
        if self.risk_model is None:
            return None
        rows = self.ui.risksView.selectionModel().selectedRows()
        return self.risk_model.id_at(rows[0].row()) if rows else None

    def _edit_risk(self, new: bool = False) -> None:
        if self._open_risk is None or self.use_id is None:
            return
        risk_id = None if new else self._selected_risk()
        if not new and risk_id is None:
            return
        self._open_risk(self.use_id, risk_id, self)

    def _remove_risk(self) -> None:
        risk_id = self._selected_risk()
        if risk_id is None:
            return
        title = self.service.get("risk", risk_id)["title"]
        answer = QMessageBox.question(self, "Remove risk", f"Remove the risk “{title}”?")
        if answer == QMessageBox.StandardButton.Yes:
            self.history.delete(f"Remove risk “{title}”", "risk", risk_id)

    def _refresh_gaps(self) -> None:
        gaps = self._gaps(self.use_id) if self._gaps and self.use_id is not None else None
        fill_gaps(self, gaps)  # None: not saved yet

    def go_to_gap(self, rung: str, title: str = "", subject: str = "") -> QWidget | None:
        """Bring forward and focus the field (or tab) that closes the gap ``rung``."""
        target = go_to_gap(self, rung, title, subject)
        if isinstance(target, QDialog):  # an open incident, in its own editor
            self.incident_dialog = target
        return target

    def _form_values(self) -> dict[str, Any]:
        """The use as the form now shows it, saved or not."""
        return {**self.original, **self.binding.values()}

    def _save_first(self, layouts: tuple[QVBoxLayout, ...], text: str) -> None:
        for layout in layouts:
            note = QLabel(text)
            note.setWordWrap(True)
            layout.addWidget(note)
            layout.addStretch(1)

    def _setup_catalogue_tabs(self) -> None:
        """The "Add from catalogue…" button and the "Suggested risks" and "Incidents
        elsewhere" tabs; both tabs follow the form's unsaved answers."""
        ui = self.ui
        if self.use_id is None:
            ui.catalogueRiskButton.setEnabled(False)
            self._save_first(
                (ui.suggestionsLayout, ui.incidentsLayout),
                "Save the use first: suggestions and similar incidents follow.",
            )
            return
        use_id = self.use_id
        ui.catalogueRiskButton.clicked.connect(
            lambda: CatalogueDialog(self.service, self.history, use_id, self).exec()
        )
        suggestions = SuggestionsPanel(
            self.service, self.history, use_id, ui.suggestionsTab, values=self._form_values
        )
        ui.suggestionsLayout.addWidget(suggestions)
        incidents = IncidentsPanel(
            self.service, self.history, use_id, ui.incidentsTab, values=self._form_values
        )
        ui.incidentsLayout.addWidget(incidents)
        self.suggestions_panel, self.incidents_panel = suggestions, incidents
        suggestions.counted = self._count_suggestions
        suggestions.refresh()  # cheap (rules only): the tab title shows the count

        def tab_changed(index: int) -> None:
            widget = ui.tabs.widget(index)
            if widget is ui.suggestionsTab:
                suggestions.refresh()
            elif widget is ui.incidentsTab:
                incidents.refresh()

        ui.tabs.currentChanged.connect(tab_changed)

    def _count_suggestions(self, count: int) -> None:
        index = self.ui.tabs.indexOf(self.ui.suggestionsTab)
        self.ui.tabs.setTabText(index, f"Suggested risks ({count})" if count else "Suggested risks")

    def _setup_governance_tabs(self) -> None:
        """The Challenges and History tabs (with Record review…)."""
        ui = self.ui
        if self.use_id is None:
            self._save_first(
                (ui.challengesLayout, ui.historyLayout),
                "Save the use first; then its challenges and history appear here.",
            )
            return
        self.challenges_panel = ChallengesPanel(self.service, self.history, self.use_id)
        ui.challengesLayout.addWidget(self.challenges_panel)
        self.use_history_panel = UseHistoryPanel(
            self.service, self.history, self.use_id, on_reviewed=self._reviewed
        )
        ui.historyLayout.addWidget(self.use_history_panel)
        self.history.changed.connect(self._refresh_governance)
        self._retitle_challenges()

    def _reviewed(self) -> None:
        # The review moved the dates on the Oversight tab: show them, and make sure a
        # later Save does not write the old ones back.
        fresh = self.service.get("ai_use", self.use_id)
        for name in (*REVIEW_FIELDS, "version"):  # our own review is no one else's change
            self.original[name] = fresh[name]
        FormBinding(self, list(REVIEW_FIELDS)).set_values(fresh)
        self.binding.mark_clean(REVIEW_FIELDS)  # saved by the review, not unsaved edits

    def _refresh_governance(self) -> None:
        try:
            self.service.get("ai_use", self.use_id)
        except ServiceError:
            return  # the use was deleted (or an undo removed it) while the editor is open
        if self.challenges_panel is not None:
            self.challenges_panel.reload()
        if self.use_history_panel is not None:
            self.use_history_panel.reload()
        self._retitle_challenges()

    def _retitle_challenges(self) -> None:
        panel = self.challenges_panel
        if panel is None:
            return
        unresolved = panel.unresolved()
        total = panel.model.rowCount()
        text = "Challenges"
        if total:
            text += f" ({unresolved} open)" if unresolved else f" ({total})"
        self.ui.tabs.setTabText(self.ui.tabs.indexOf(self.ui.challengesTab), text)

    def _run_classify(self) -> None:
        assert self._classify is not None
        record = self._form_values()
        answers = self._classify(self, record)
        if answers:
            self.binding.set_values({**record, **answers})
            self._update_score()

    # --- saving --------------------------------------------------------------------
    def reject(self) -> None:
        """Esc, Cancel and closing the window all come here: never lose an edit silently,
        and never let Cancel seem to take back the risks added meanwhile (they were saved
        as they were added)."""
        note = "" if self._closing_from_code else self.risks_added_note()
        if not note:
            if self.may_discard():
                super().reject()
        elif confirm_discard(self, note, discarding=self.unsaved()):
            super().reject()

    def risks_added_note(self) -> str:
        """What closing leaves behind: the risks added to this use since the editor opened."""
        if self.use_id is None:
            return ""
        added = [
            r["title"]
            for r in self.service.rows("risk", use_id=self.use_id, order_by="id")
            if r["id"] not in self._risks_at_open
        ]
        if not added:
            return ""
        names = ", ".join(f"“{t}”" for t in added[:3]) + (", …" if len(added) > 3 else "")
        were = "risk was" if len(added) == 1 else "risks were"
        them = "it" if len(added) == 1 else "them"
        return (
            f"{len(added)} {were} added to the register while this editor was open "
            f"({names}). {'It is' if len(added) == 1 else 'They are'} already saved and "
            f"{'stays' if len(added) == 1 else 'stay'} when you close it; "
            f"Edit ▸ Undo (Ctrl+Z) removes {them}."
        )

    def unsaved(self) -> bool:
        return self.binding.is_dirty()

    def save(self) -> None:
        self.binding.clear_errors()
        self.ui.errorBanner.hide()
        changes = self.binding.changes(self.original)
        try:
            if self.use_id is None:
                values = self.binding.values()
                result = self.history.create(f"Add AI use “{values['name']}”", "ai_use", values)
                self.use_id = result.created_id
            elif changes:
                # The version read: a use someone changed since is refused ("reload").
                changes["version"] = self.original.get("version")
                self.history.update(
                    f"Edit AI use “{self.original['name']}”", "ai_use", self.use_id, changes
                )
        except ValidationError as exc:
            self._show_problems(exc)
            return
        except (ConflictError, StoreError) as exc:  # e.g. the file is locked elsewhere
            self.ui.errorBanner.setText(str(exc))
            self.ui.errorBanner.show()
            return
        self.accept()

    def _show_problems(self, exc: ValidationError) -> None:
        unplaced = self.binding.show_errors(exc.problems)
        count = len(exc.problems)
        text = (
            f"{count} field{'s' if count > 1 else ''} need{'s' if count == 1 else ''} "
            "attention before this use can be saved."
        )
        if unplaced:
            text += " " + "; ".join(str(p) for p in unplaced)
        self.ui.errorBanner.setText(text)
        self.ui.errorBanner.show()
        widget = self.binding.first_invalid(exc.problems)
        if widget is not None:
            # bring the tab holding the first bad field forward
            for i in range(self.ui.tabs.count()):
                if self.ui.tabs.widget(i).isAncestorOf(widget):
                    self.ui.tabs.setCurrentIndex(i)
                    break
            widget.setFocus(Qt.FocusReason.OtherFocusReason)
