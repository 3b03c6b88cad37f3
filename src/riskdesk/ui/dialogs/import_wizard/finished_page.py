"""The import wizard's last page: what the import did, and what to do next.

It says what was created and what already in the register was used (matched by name;
an import never changes a record it matches), how many rows were left out and how many
warnings there are, and then offers the next steps: assess the uses that are not yet
assessed, open the AI uses page, export the register. The steps are the window's
(``NextSteps``, set by whoever opens the wizard); a wizard built alone offers none.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWizardPage,
)

from riskdesk.service.backlog import backlog_ids
from riskdesk.ui.dialogs.import_wizard.models import located
from riskdesk.ui.dialogs.import_wizard.pages import count_text, created_text, matched_text

if TYPE_CHECKING:
    from riskdesk.ui.dialogs.import_wizard.wizard import ImportWizard

Step = Callable[[], object]


@dataclass(frozen=True)
class NextSteps:
    """What the finished page's buttons do (each closes the wizard first)."""

    assess: Step | None = None  # walk the uses not yet assessed
    open_uses: Step | None = None  # show the AI uses page
    export: Step | None = None  # the export dialog


class SummaryPage(QWizardPage):
    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self.setObjectName("importSummaryPage")
        self.owner = wizard
        self.setTitle("Import finished")
        self.label = QLabel(self)
        self.label.setObjectName("importSummary")
        self.label.setWordWrap(True)
        self.next_label = QLabel("<b>Next steps</b>", self)
        self.assess_button = self._step("importAssess", "assess")
        self.uses_button = self._step("importOpenUses", "open_uses")
        self.uses_button.setText("Open the AI &uses page")
        self.export_button = self._step("importExport", "export")
        self.export_button.setText("&Export the register…")
        steps = QHBoxLayout()
        for button in (self.assess_button, self.uses_button, self.export_button):
            steps.addWidget(button)
        steps.addStretch(1)
        self.details = QPlainTextEdit(self)
        self.details.setObjectName("importDetails")
        self.details.setAccessibleName("Import warnings and problems")
        self.details.setReadOnly(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.label)
        layout.addWidget(self.next_label)
        layout.addLayout(steps)
        layout.addWidget(self.details, 1)
        self.setFinalPage(True)

    def nextId(self) -> int:
        return -1  # the last page, whatever ids come after it

    def _step(self, name: str, step: str) -> QPushButton:
        button = QPushButton(self)
        button.setObjectName(name)
        button.clicked.connect(lambda: self._run(step))
        return button

    def _run(self, step: str) -> None:
        action = getattr(self.owner.next_steps, step)
        self.owner.accept()  # the wizard closes; the step happens in the window
        if action is not None:
            action()

    def _show_steps(self, written: bool) -> None:
        steps = self.owner.next_steps
        backlog = len(backlog_ids(self.owner.service)) if written else 0
        self.assess_button.setText(
            f"&Assess the {count_text(backlog, 'use', 'uses')} not yet assessed"
        )
        self.assess_button.setToolTip(
            "Walk them one by one in the Classify questions (Edit ▸ Assess next…)"
        )
        shown = {
            self.assess_button: written and backlog > 0 and steps.assess is not None,
            self.uses_button: written and steps.open_uses is not None,
            self.export_button: written and steps.export is not None,
        }
        for button, visible in shown.items():
            button.setVisible(visible)
        self.next_label.setVisible(any(shown.values()))

    def initializePage(self) -> None:
        state = self.owner.state
        report = state.report
        details: list[str] = []
        written = False
        if state.outcome == "cancelled":
            self.setTitle("Import cancelled")
            self.label.setText("The import was cancelled and rolled back: nothing was written.")
        elif report is None or not report.written:
            self.setTitle("Import failed")
            reason = state.outcome if report is None else "problems stopped it"
            self.label.setText(f"Nothing was written: {reason}.")
            if report is not None:
                details += [f"Problem: {located(p)}" for p in report.problems]
        else:
            written = True
            self.setTitle("Import finished")
            lines = [f"Imported {created_text(report.created)} from {report.file}."]
            if report.matched:
                lines.append(
                    f"Used {matched_text(report.matched)} already in the register "
                    "(matched by name, not changed)."
                )
            if report.rows_rejected:
                lines.append(
                    f"{report.rows_rejected:,} rows with problems were left out (listed below)."
                )
            if report.warnings:
                lines.append(
                    f"{count_text(len(report.warnings), 'warning', 'warnings')} to read below."
                )
            else:
                lines.append("No warnings.")
            lines.append("Edit ▸ Undo takes the whole import back in one step.")
            self.label.setText(" ".join(lines))
            details += [f"Left out: {located(p)}" for p in report.problems]
        if report is not None:
            details += [f"Warning: {located(w)}" for w in report.warnings]
        self.details.setVisible(bool(details))
        self.details.setPlainText("\n".join(details))
        self._show_steps(written)
