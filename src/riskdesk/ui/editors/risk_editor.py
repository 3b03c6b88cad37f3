"""The risk editor (``forms/risk_editor.ui``): likelihood × impact, treatment, acceptance."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QSpinBox, QWidget

from riskdesk import enums
from riskdesk.scoring.bands import band
from riskdesk.service import governance as gov
from riskdesk.service.errors import ConflictError, StoreError, ValidationError
from riskdesk.service.register import ActionResult, RegisterService
from riskdesk.service.validation import ACCEPTANCE_FIELDS, RULES
from riskdesk.ui.editors.evidence_tab import add_evidence_tab
from riskdesk.ui.forms.ui_risk_editor import Ui_RiskEditor
from riskdesk.ui.models.table_model import TIER_COLOURS
from riskdesk.ui.undo import EditHistory
from riskdesk.ui.widgets.binding import AskBeforeDiscard, FormBinding, fill_choices, fill_enum
from riskdesk.ui.widgets.person_picker import PersonPickers
from riskdesk.ui.widgets.text_keys import ctrl_tab_types_tab

# The words of the 1–5 ratings (also in resources/help/how-scoring-works.md).
LIKELIHOOD_WORDS = ("Rare", "Unlikely", "Possible", "Likely", "Almost certain")
IMPACT_WORDS = ("Minimal", "Minor", "Moderate", "Major", "Severe")


def show_words(spin: QSpinBox, words: tuple[str, ...]) -> None:
    """Show a 1–5 rating with its word ("3 — Possible"); the value stays the number."""

    def update(value: int) -> None:
        spin.setSuffix(f" — {words[value - 1]}" if 1 <= value <= len(words) else "")

    spin.valueChanged.connect(update)
    update(spin.value())
    scale = "; ".join(f"{n} = {w}" for n, w in enumerate(words, 1))
    spin.setToolTip(f"{spin.toolTip()} {scale}.".strip())  # after the form's own hint
    spin.setMinimumWidth(spin.fontMetrics().horizontalAdvance(f"5 — {max(words, key=len)}") + 40)


def band_html(score: int) -> str:
    b = band(score)
    return (
        f'<span style="background:{TIER_COLOURS.get(b.value, "#eee")}; color:#1a1a1a; '
        f'padding:1px 6px;">{b.label} ({score})</span>'
    )


class RiskEditor(AskBeforeDiscard, QDialog):
    def __init__(
        self,
        service: RegisterService,
        history: EditHistory,
        use_id: int,
        risk_id: int | None = None,
        parent: QWidget | None = None,
        template: dict | None = None,
    ) -> None:  # type: ignore[type-arg]
        super().__init__(parent)
        self.ui = Ui_RiskEditor()
        self.ui.setupUi(self)
        self.service, self.history = service, history
        self.use_id, self.risk_id = use_id, risk_id
        fill_enum(self.ui.treatment, enums.Treatment)
        fill_enum(self.ui.status, enums.RiskStatus)

        def people() -> list[tuple[str, Any]]:
            return [
                (p["name"], p["id"])
                for p in service.rows("person", order_by="name")
                if not p["has_left"]
            ]

        def seniors() -> list[tuple[str, Any]]:  # who may accept a risk: not the 1st line
            return [
                (p["name"], p["id"])
                for p in service.rows("person", order_by="name")
                if p["default_line"] != enums.Line.FIRST.value and not p["has_left"]
            ]

        fill_choices(self.ui.owner_id, people())
        fill_choices(self.ui.accepted_by_id, seniors())
        self.person_pickers = PersonPickers(service, history, self)
        self.person_pickers.add(self.ui.owner_id, people)
        second = {"default_line": enums.Line.SECOND.value}  # so they may accept it
        self.person_pickers.add(self.ui.accepted_by_id, seniors, preset=second)
        self.binding = FormBinding(self, list(RULES["risk"]))
        if risk_id is not None:
            self.original = service.get("risk", risk_id)
        else:
            self.original = {**service.defaults("risk"), "use_id": use_id, **(template or {})}
            use = service.get("ai_use", use_id)
            self.original.setdefault("owner_id", use["owner_first_id"])
            if self.original.get("owner_id") is None:
                self.original["owner_id"] = use["owner_first_id"]
        self.binding.set_values(self.original)
        self.binding.mark_clean()
        use_name = service.get("ai_use", use_id)["name"]
        self.setWindowTitle(
            f"Risk — {use_name}" if risk_id is None else f"Risk — {self.original['title']}"
        )
        for spin, words in (
            (self.ui.inherent_likelihood, LIKELIHOOD_WORDS),
            (self.ui.inherent_impact, IMPACT_WORDS),
            (self.ui.residual_likelihood, LIKELIHOOD_WORDS),
            (self.ui.residual_impact, IMPACT_WORDS),
        ):
            show_words(spin, words)
        for spin in (
            self.ui.inherent_likelihood,
            self.ui.inherent_impact,
            self.ui.residual_likelihood,
            self.ui.residual_impact,
        ):
            spin.valueChanged.connect(self._update_summary)
        self._update_summary()
        ctrl_tab_types_tab(self)
        self.ui.buttons.accepted.connect(self.save)
        self.ui.buttons.rejected.connect(self.reject)
        self.ui.buttons.button(QDialogButtonBox.StandardButton.Save).setDefault(True)
        self.evidence_panel = add_evidence_tab(self, service, history, "risk", risk_id)  # issue 18
        self.ui.title.setFocus()

    def reject(self) -> None:
        """Esc, Cancel and closing the window all come here: never lose an edit silently."""
        if self.may_discard():
            super().reject()

    def unsaved(self) -> bool:
        return self.binding.is_dirty()

    def _update_summary(self) -> None:
        inherent = self.ui.inherent_likelihood.value() * self.ui.inherent_impact.value()
        residual = self.ui.residual_likelihood.value() * self.ui.residual_impact.value()
        self.ui.scoreSummary.setText(
            f"Inherent {band_html(inherent)} → residual {band_html(residual)}"
        )

    def save(self) -> None:
        self.binding.clear_errors()
        self.ui.errorBanner.hide()
        try:
            if self.risk_id is None:
                values = {**self.binding.values(), "use_id": self.use_id}
                acceptance = {f: values.pop(f, None) for f in ACCEPTANCE_FIELDS}
                result = self.history.create(f"Add risk “{values['title']}”", "risk", values)
                self.risk_id = result.created_id
                if acceptance["accepted_by_id"] is not None:
                    self._accept({**self.original, **values}, acceptance)
            else:
                changes = self.binding.changes(self.original)
                if changes and any(f in changes for f in ACCEPTANCE_FIELDS):
                    merged = {**self.original, **changes}
                    if merged.get("accepted_by_id") is not None:
                        self._accept(merged, changes)
                        changes = {}
                if changes:
                    changes["version"] = self.original.get("version")  # changed since? reload
                    self.history.update(
                        f"Edit risk “{self.original['title']}”", "risk", self.risk_id, changes
                    )
        except ValidationError as exc:
            unplaced = self.binding.show_errors(exc.problems)
            self.ui.errorBanner.setText(
                "Please correct the marked fields."
                + (" " + "; ".join(str(p) for p in unplaced) if unplaced else "")
            )
            self.ui.errorBanner.show()
            return
        except (ConflictError, StoreError) as exc:  # e.g. the file is locked elsewhere
            self.ui.errorBanner.setText(str(exc))
            self.ui.errorBanner.show()
            return
        self.accept()

    def _accept(self, merged: dict, changes: dict) -> None:  # type: ignore[type-arg]
        """Save through ``accept_risk``: the service's one acceptance rule, no bypass."""
        risk_id, service = self.risk_id, self.service
        assert risk_id is not None
        other = {k: v for k, v in changes.items() if k not in ACCEPTANCE_FIELDS}

        def action() -> ActionResult:
            return gov.accept_risk(
                service,
                risk_id,
                merged.get("accepted_by_id"),
                merged.get("acceptance_rationale") or "",
                merged.get("acceptance_expires"),
                edits=other,
            )

        self.history.run(f"Accept risk “{merged.get('title', '')}”", action)
