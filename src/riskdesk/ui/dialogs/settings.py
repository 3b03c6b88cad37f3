"""Edit ▸ Scoring settings…: points, tier thresholds, review cadence, ladder, appetite.

Every edit is validated as it is made by building a ``ScoringConfig`` (which names the
bad key), and a preview says how many uses would change tier before anything is saved.
Saving runs ``service.scoring_settings.save_scoring_config`` — one audited action that
rescores every use — in a worker thread with a progress dialog, because rescoring is
about a millisecond a use; it then goes on the undo stack like any other edit.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QLabel,
    QProgressDialog,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from riskdesk.enums import SCORED_TIERS, Band, PaperSize, Tier
from riskdesk.progress import CancelFn, ProgressFn
from riskdesk.scoring.config import (
    DEFAULT_CONFIG,
    FACTOR_LEVELS,
    FACTOR_TITLES,
    FACTORS,
    LADDER_CODES,
    METHOD_VERSION,
    ScoringConfig,
)
from riskdesk.scoring.ladder import RUNGS
from riskdesk.service.register import ActionResult, RegisterService
from riskdesk.service.scoring_settings import save_scoring_config, tier_changes
from riskdesk.ui.jobs import Jobs
from riskdesk.ui.undo import EditHistory
from riskdesk.ui.widgets.binding import fill_choices, fill_enum

ERROR_STYLE = "color: #b00020;"
HINT_STYLE = "color: #52606d;"
PREVIEW_DELAY_MS = 300  # re-count tier changes once typing pauses


class SettingsDialog(QDialog):
    saved = Signal()  # the settings were stored (and pushed on the undo stack)

    def __init__(
        self, service: RegisterService, history: EditHistory, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("scoringSettingsDialog")
        self.setWindowTitle("Scoring settings")
        self.service, self.history = service, history
        self.original = service.scoring_config()
        self.profile = service.profile()
        self.config: ScoringConfig | None = self.original
        self.weight_spins: dict[str, list[QSpinBox]] = {}
        self.threshold_spins: dict[str, QSpinBox] = {}
        self.review_spins: dict[str, QSpinBox] = {}
        self.ladder_combos: dict[str, QComboBox] = {}
        self.jobs = Jobs(self)  # the save rescoring every use, off the GUI thread
        self.jobs.progress.connect(self._progress)
        self.jobs.done.connect(self._saved)
        self.jobs.cancelled.connect(self._failed)
        self.jobs.failed.connect(self._failed)
        self._progress_dialog: QProgressDialog | None = None

        layout = QVBoxLayout(self)
        self.tabs = QTabWidget(self)
        self.tabs.addTab(self._build_points(), "Points")
        self.tabs.addTab(self._build_tiers(), "Tiers and reviews")
        self.tabs.addTab(self._build_ladder(), "Oversight ladder")
        self.tabs.addTab(self._build_organisation(), "Organisation")
        layout.addWidget(self.tabs, 1)
        self.error = QLabel(self)
        self.error.setObjectName("settingsError")
        self.error.setWordWrap(True)
        self.error.setStyleSheet(ERROR_STYLE)
        layout.addWidget(self.error)
        self.preview = QLabel(self)
        self.preview.setObjectName("settingsPreview")
        self.preview.setWordWrap(True)
        layout.addWidget(self.preview)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save
            | QDialogButtonBox.StandardButton.Cancel
            | QDialogButtonBox.StandardButton.RestoreDefaults,
            self,
        )
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setDefault(True)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        defaults = self.buttons.button(QDialogButtonBox.StandardButton.RestoreDefaults)
        defaults.setToolTip("Fill in riskdesk's documented defaults (nothing is saved yet)")
        defaults.clicked.connect(lambda: self.load(DEFAULT_CONFIG))
        layout.addWidget(self.buttons)

        self._preview_timer = QTimer(self)
        self._preview_timer.setSingleShot(True)
        self._preview_timer.setInterval(PREVIEW_DELAY_MS)
        self._preview_timer.timeout.connect(self._update_preview)
        self.load(self.original)
        self._load_profile()
        self._wire()
        self._changed()
        self._update_preview()
        self.resize(860, 640)

    # --- building --------------------------------------------------------------------
    def _hint(self, text: str, parent: QWidget) -> QLabel:
        label = QLabel(text, parent)
        label.setWordWrap(True)
        label.setStyleSheet(HINT_STYLE)
        return label

    def _spin(self, name: str, low: int, high: int, parent: QWidget) -> QSpinBox:
        spin = QSpinBox(parent)
        spin.setObjectName(name)
        spin.setRange(low, high)
        spin.setMaximumWidth(160)  # a number, not a text field
        return spin

    def _build_points(self) -> QWidget:
        page = QWidget(self)
        box = QVBoxLayout(page)
        box.addWidget(
            self._hint(
                "Each level earns these points; a use's exposure is their sum. More exposed "
                "levels never earn fewer points, and the top levels must add up to 100 so a "
                "score reads as a share of the worst case.",
                page,
            )
        )
        grid = QGridLayout()
        for index, factor in enumerate(FACTORS):
            group = QGroupBox(FACTOR_TITLES[factor], page)
            form = QFormLayout(group)
            spins = []
            for level, label in enumerate(FACTOR_LEVELS[factor]):
                spin = self._spin(f"weights.{factor}.{level}", 0, 100, group)
                spin.setSuffix(" points")
                form.addRow(label, spin)
                spins.append(spin)
            self.weight_spins[factor] = spins
            grid.addWidget(group, index // 2, index % 2)
        box.addLayout(grid)
        self.total = QLabel(page)
        self.total.setObjectName("weightsTotal")
        box.addWidget(self.total)
        self.method = QLabel(page)
        self.method.setObjectName("methodVersion")
        self.method.setStyleSheet(HINT_STYLE)
        self.method.setWordWrap(True)
        box.addWidget(self.method)
        box.addStretch(1)
        return page

    def _build_tiers(self) -> QWidget:
        page = QWidget(self)
        box = QVBoxLayout(page)
        thresholds = QGroupBox("Tier thresholds (exposure 0–100)", page)
        form = QFormLayout(thresholds)
        form.addRow(QLabel("Low", thresholds), QLabel("from 0", thresholds))
        for tier in SCORED_TIERS[1:]:
            spin = self._spin(f"tier_thresholds.{tier.value}", 1, 100, thresholds)
            spin.setPrefix("from ")
            form.addRow(tier.label, spin)
            self.threshold_spins[tier.value] = spin
        box.addWidget(thresholds)
        reviews = QGroupBox("Review cadence", page)
        form = QFormLayout(reviews)
        for tier in SCORED_TIERS:
            spin = self._spin(f"review_months.{tier.value}", 1, 60, reviews)
            spin.setPrefix("every ")
            spin.valueChanged.connect(
                lambda n, box=spin: box.setSuffix(" month" if n == 1 else " months")
            )
            spin.setSuffix(" month" if spin.value() == 1 else " months")  # the loaded value
            form.addRow(tier.label, spin)
            self.review_spins[tier.value] = spin
        box.addWidget(reviews)
        box.addWidget(
            self._hint(
                "A more exposed tier is never reviewed less often. Changing the thresholds "
                "or the points changes the method version stored with every score; changing "
                "the cadence or the ladder changes only the gaps.",
                page,
            )
        )
        box.addStretch(1)
        return page

    def _build_ladder(self) -> QWidget:
        page = QWidget(self)
        box = QVBoxLayout(page)
        box.addWidget(
            self._hint(
                "From which tier each piece of oversight is required. A use that lacks a "
                "required piece has a gap. Some apply at every tier and cannot be changed.",
                page,
            )
        )
        form = QFormLayout()
        for rung in RUNGS:
            if rung.code in LADDER_CODES:
                combo = QComboBox(page)
                combo.setObjectName(f"ladder.{rung.code}")
                fill_choices(combo, [(t.label, t.value) for t in SCORED_TIERS], none=False)
                combo.setMaximumWidth(160)
                form.addRow(rung.requirement, combo)
                self.ladder_combos[rung.code] = combo
            else:
                fixed = QLabel("every tier (fixed)", page)
                fixed.setStyleSheet(HINT_STYLE)
                form.addRow(rung.requirement, fixed)
        box.addLayout(form)
        box.addStretch(1)
        return page

    def _build_organisation(self) -> QWidget:
        page = QWidget(self)
        form = QFormLayout(page)
        self.appetite = QComboBox(page)
        self.appetite.setObjectName("risk_appetite")
        fill_enum(self.appetite, Band)
        form.addRow("Risk &appetite", self.appetite)
        form.addRow(
            "",
            self._hint(
                "The worst residual risk band the organisation accepts without a named, "
                "dated acceptance. Risks above it need one, or they show as gaps.",
                page,
            ),
        )
        self.paper = QComboBox(page)
        self.paper.setObjectName("paper_size")
        fill_enum(self.paper, PaperSize)
        form.addRow("&Paper size for the board pack", self.paper)
        return page

    # --- state -----------------------------------------------------------------------
    def load(self, config: ScoringConfig) -> None:
        """Show ``config`` in the fields (Restore defaults uses this too)."""
        self._assessment_days = config.assessment_days
        for factor, spins in self.weight_spins.items():
            for spin, points in zip(spins, config.weights[factor], strict=True):
                spin.setValue(points)
        for tier, spin in self.threshold_spins.items():
            spin.setValue(config.tier_thresholds[tier])
        for tier, spin in self.review_spins.items():
            spin.setValue(config.review_months[tier])
        for code, combo in self.ladder_combos.items():
            combo.setCurrentIndex(combo.findData(config.ladder[code]))

    def _load_profile(self) -> None:
        self.appetite.setCurrentIndex(
            self.appetite.findData(self.profile.get("risk_appetite") or Band.MEDIUM.value)
        )
        self.paper.setCurrentIndex(
            self.paper.findData(self.profile.get("paper_size") or PaperSize.A4.value)
        )

    def _wire(self) -> None:
        spins = [s for group in self.weight_spins.values() for s in group]
        spins += [*self.threshold_spins.values(), *self.review_spins.values()]
        for spin in spins:
            spin.valueChanged.connect(self._changed)
        for combo in (*self.ladder_combos.values(), self.appetite, self.paper):
            combo.currentIndexChanged.connect(self._changed)

    def raw(self) -> dict[str, Any]:
        """The fields as the JSON shape ``ScoringConfig`` reads."""
        return {
            "weights": {f: [s.value() for s in spins] for f, spins in self.weight_spins.items()},
            "tier_thresholds": {t: s.value() for t, s in self.threshold_spins.items()},
            "review_months": {t: s.value() for t, s in self.review_spins.items()},
            "ladder": {c: combo.currentData() for c, combo in self.ladder_combos.items()},
            # no field of its own yet: kept as loaded
            "assessment_days": getattr(self, "_assessment_days", DEFAULT_CONFIG.assessment_days),
        }

    def profile_changes(self) -> dict[str, Any]:
        chosen = {
            "risk_appetite": self.appetite.currentData(),
            "paper_size": self.paper.currentData(),
        }
        return {k: v for k, v in chosen.items() if v != self.profile.get(k)}

    def _changed(self) -> None:
        raw = self.raw()
        total = sum(points[-1] for points in raw["weights"].values())
        self.total.setText(
            f"The top levels add up to {total} of 100."
            + ("" if total == 100 else " Raise one factor and lower another.")
        )
        self.total.setStyleSheet("" if total == 100 else ERROR_STYLE)
        try:
            self.config = ScoringConfig(**raw)
        except ValueError as exc:
            self.config = None
            self.error.setText(f"Cannot save yet — {exc}")
            self.method.setText("")
        else:
            self.error.setText("")
            self.method.setText(
                f"Method version: {self.config.method_version}"
                + (" (riskdesk's defaults)" if self.config.method_version == METHOD_VERSION else "")
            )
        self.save_button.setEnabled(self.config is not None and not self.jobs.running)
        self._preview_timer.start()

    def _update_preview(self) -> None:
        if self.config is None:
            self.preview.setText("")
            return
        moves = tier_changes(self.service, self.config)
        parts: list[str] = []
        if moves:
            up = sum(1 for m in moves if Tier(m.new_tier).ordinal() > Tier(m.old_tier).ordinal())
            names = ", ".join(f"{m.name} → {Tier(m.new_tier).label}" for m in moves[:4])
            more = f" and {len(moves) - 4} more" if len(moves) > 4 else ""
            parts.append(
                f"Saving moves {len(moves)} use{'s' if len(moves) != 1 else ''} to another tier "
                f"({up} up, {len(moves) - up} down): {names}{more}."
            )
        elif self.config != self.original:
            parts.append("No use changes tier.")
        if self.profile_changes().get("risk_appetite"):
            parts.append("The new appetite changes which risks need a named acceptance.")
        self.preview.setText(" ".join(parts))

    # --- saving ------------------------------------------------------------------------
    def save(self) -> None:
        if self.config is None or self.jobs.running:
            return
        profile = self.profile_changes()
        if self.config == self.original and not profile:
            self.accept()
            return
        self.tabs.setEnabled(False)
        self.save_button.setEnabled(False)
        progress = QProgressDialog("Rescoring every AI use…", "Cancel", 0, 0, self)
        progress.setObjectName("rescoreProgress")
        progress.setWindowTitle("Scoring settings")
        progress.setWindowModality(Qt.WindowModality.WindowModal)
        progress.setMinimumDuration(400)  # a small register never sees it flash
        progress.canceled.connect(self.jobs.cancel)
        self._progress_dialog = progress
        service, config = self.service, self.config

        def work(report: ProgressFn, cancel: CancelFn) -> ActionResult:
            return save_scoring_config(service, config, profile, report, cancel)

        self.jobs.start(work)

    def _progress(self, done: int, total: int) -> None:
        if self._progress_dialog is not None:
            self._progress_dialog.setMaximum(max(total, 1))
            self._progress_dialog.setValue(done)

    def _finish(self) -> None:
        if self._progress_dialog is not None:
            self._progress_dialog.reset()
            self._progress_dialog.deleteLater()
            self._progress_dialog = None
        self.tabs.setEnabled(True)
        self.save_button.setEnabled(self.config is not None)

    def _saved(self, result: object) -> None:
        self._finish()
        assert isinstance(result, ActionResult)
        # The action already ran in the worker; this makes it undoable and reloads views.
        self.history.run("Change scoring settings", lambda: result)
        self.saved.emit()
        self.accept()

    def _failed(self, message: str) -> None:
        self._finish()
        self.error.setText(message)

    def reject(self) -> None:
        if self.jobs.running:  # cancel the save first; the dialog stays until it has stopped
            self.jobs.cancel()
            return
        super().reject()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.jobs.running:
            self.jobs.cancel()
            event.ignore()
            return
        super().closeEvent(event)
