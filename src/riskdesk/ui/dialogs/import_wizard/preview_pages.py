"""The import wizard's preview (checked as the import would check it) and the import itself."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWizard,
    QWizardPage,
)

from riskdesk.ui.dialogs.import_wizard.models import (
    PAGE_IMPORT,
    PAGE_PREVIEW,
    ROW_HINT,
    PreviewModel,
    book_preview,
    located,
    plan_preview,
)
from riskdesk.ui.dialogs.import_wizard.pages import count_text, created_text, matched_text

if TYPE_CHECKING:
    from riskdesk.ui.dialogs.import_wizard.wizard import ImportWizard


class PreviewPage(QWizardPage):
    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self.setObjectName("importPreviewPage")
        self.owner = wizard
        self.setTitle("Check before importing")
        self.setSubTitle("Every row as riskdesk reads it, checked as the import would check it.")
        self.setCommitPage(True)
        self.setButtonText(QWizard.WizardButton.CommitButton, "&Import")
        self.summary = QLabel(self)
        self.summary.setObjectName("importPreviewSummary")
        self.summary.setWordWrap(True)
        self.bar = QProgressBar(self)
        self.bar.setObjectName("importPreviewProgress")
        self.model = PreviewModel(self)
        self.view = QTableView(self)
        self.view.setObjectName("importPreview")
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setWordWrap(False)
        self.view.verticalHeader().setVisible(False)
        self.view.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        self.view.horizontalHeader().setStretchLastSection(True)
        self.view.selectionModel().currentRowChanged.connect(self._show_row)
        self.detail = QLabel(self)
        self.detail.setObjectName("importRowDetail")
        self.detail.setWordWrap(True)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.only_flagged = QCheckBox("Show only rows with problems or warnings", self)
        self.only_flagged.setObjectName("importOnlyFlagged")
        self.only_flagged.toggled.connect(self.model.set_only_flagged)
        self.skip_invalid = QCheckBox(
            "Import the other rows and leave out those with problems", self
        )
        self.skip_invalid.setObjectName("importSkipInvalid")
        self.skip_invalid.toggled.connect(self.completeChanged)
        self.notes = QPlainTextEdit(self)
        self.notes.setObjectName("importNotes")
        self.notes.setReadOnly(True)
        self.notes.setMaximumHeight(70)
        options = QHBoxLayout()
        options.addWidget(self.only_flagged)
        options.addStretch(1)
        options.addWidget(self.skip_invalid)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.bar)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.detail)
        layout.addLayout(options)
        layout.addWidget(self.notes)
        wizard.jobs.progress.connect(self._progress)

    def _show_row(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if not current.isValid():
            self.detail.setText(ROW_HINT)
            return
        item = self.model.row_at(current.row())
        lines = [f"<b>Problem:</b> {m}" for m in item.problems]
        lines += [f"Warning: {m}" for m in item.warnings]
        where = f"Row {item.row}" + (f" of “{item.sheet}”" if item.sheet else "")
        self.detail.setText(f"{where}: " + ("<br>".join(lines) if lines else "ready to import."))

    def initializePage(self) -> None:
        self.owner.state.preview = None
        self.detail.setText(ROW_HINT)
        self.model.load([], [])
        self.skip_invalid.setChecked(False)
        self.skip_invalid.setVisible(False)
        self.notes.setVisible(False)
        self.bar.setVisible(True)
        self.bar.setRange(0, 0)
        self.summary.setText("Reading and checking every row…")
        self.owner.check()

    def _progress(self, done: int, total: int) -> None:
        if self.owner.currentId() == PAGE_PREVIEW:
            self.bar.setRange(0, max(total, 1))
            self.bar.setValue(min(done, total))

    def show_result(self) -> None:
        state = self.owner.state
        report = state.preview
        self.bar.setVisible(False)
        if report is None:
            self.summary.setText(f"<b>This file cannot be imported.</b> {state.outcome}")
            self.completeChanged.emit()
            return
        if state.book is not None:
            headers, rows = book_preview(state.book, report)
        else:
            assert state.plan is not None
            headers, rows = plan_preview(state.plan, report)
        self.model.load(headers, rows)
        self.view.resizeColumnsToContents()
        widest = {0: 60, 1: 240}  # the row number, the name; the rest narrower
        for column in range(self.model.columnCount() - 1):
            self.view.setColumnWidth(
                column, min(self.view.columnWidth(column), widest.get(column, 130))
            )
        bad, warned = self.model.flagged
        total = report.rows_read
        lines = [
            f"<b>{count_text(total, 'row', 'rows')}</b> read from {report.file}: "
            f"{total - report.rows_rejected:,} ready, {bad:,} with problems (red), "
            f"{warned:,} with warnings (yellow)."
        ]
        if report.rows_skipped:
            lines.append(f"{report.rows_skipped:,} rows are left out as not AI uses.")
        lines.append(f"Importing would create {created_text(report.created)}.")
        if report.matched:
            lines.append(f"It would use {matched_text(report.matched)} already in the register.")
        if bad:
            lines.append(
                "<b>Rows with problems stop the import.</b> Fix them in the file or the "
                "column mapping (Back), or leave them out."
            )
        self.summary.setText("<br>".join(lines))
        self.skip_invalid.setVisible(bool(bad))
        notes = [located(w) for w in report.warnings if w.row is None]
        notes += [located(p) for p in report.problems if p.row is None]
        self.notes.setVisible(bool(notes))
        self.notes.setPlainText("\n".join(notes))
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        report = self.owner.state.preview
        if report is None or self.owner.jobs.running:
            return False
        if not report.problems:
            return report.rows_read > 0
        return self.skip_invalid.isChecked() and any(report.created.values())


class ImportPage(QWizardPage):
    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self.setObjectName("importRunPage")
        self.owner = wizard
        self.setTitle("Importing")
        self.setSubTitle("All rows go in as one action; cancelling leaves the register as it was.")
        self.label = QLabel(self)
        self.label.setWordWrap(True)
        self.bar = QProgressBar(self)
        self.bar.setObjectName("importProgress")
        self.cancel_button = QPushButton("&Cancel import", self)
        self.cancel_button.setObjectName("importCancel")
        self.cancel_button.clicked.connect(self.owner.cancel_import)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.cancel_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.label)
        layout.addWidget(self.bar)
        layout.addLayout(row)
        layout.addStretch(1)
        wizard.jobs.progress.connect(self._progress)

    def initializePage(self) -> None:
        state = self.owner.state
        self.bar.setRange(0, 0)
        self.cancel_button.setEnabled(True)
        self.label.setText(f"Importing {state.path.name if state.path else 'the file'}…")
        self.owner.start_import()

    def _progress(self, done: int, total: int) -> None:
        if self.owner.currentId() == PAGE_IMPORT:
            self.bar.setRange(0, max(total, 1))
            self.bar.setValue(min(done, total))

    def isComplete(self) -> bool:
        return not self.owner.jobs.running

    def cancelling(self) -> None:
        self.cancel_button.setEnabled(False)
        self.label.setText("Cancelling: rolling the import back…")
