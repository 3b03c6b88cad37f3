""" "Classify this use": plain questions and an EU AI Act checklist that set the factors.

The dialog writes nothing. It returns the factor values (``values()``) to the use editor,
which shows them in its fields with the tier updated live; the person still saves the
use. The tier shown here is computed by ``assess_exposure`` with the register's own
settings, exactly as it will be stored.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict
from html import escape
from types import SimpleNamespace
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QButtonGroup,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QRadioButton,
    QScrollArea,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from riskdesk.enums import EUAIActClass
from riskdesk.scoring.config import REACH_LEVELS, ScoringConfig
from riskdesk.scoring.exposure import (
    ExposureAssessment,
    ExposureFactors,
    assess_exposure,
    reach_level,
)
from riskdesk.service.imported_details import SuggestedAnswer, suggested_answers
from riskdesk.ui.dialogs.classify_questions import (
    ARTICLE_6_3_NOTE,
    GROUPS_QUESTION,
    QUESTIONS,
    REACH_HINT,
    REACH_QUESTION,
    TRANSPARENCY_CHOICES,
    TRANSPARENCY_QUESTION,
    ActPoint,
    Question,
    annex_iii_points,
    article_5_points,
    basis_refs,
    eu_classification,
    transparency_answer,
)
from riskdesk.ui.editors.use_editor import assessment_badge_html

HINT_STYLE = "color: #52606d;"
SUGGESTION_STYLE = "color: #7a4b00; font-style: italic;"
RESULT_FIELDS = (
    "people_affected",
    "affected_groups",
    *(q.field for q in QUESTIONS),
    "eu_ai_act_class",
    "eu_ai_act_basis",
)


def _object_name(field: str, value: object) -> str:
    return f"{field}__{str(value).lower()}"


def _scroll(content: QWidget, parent: QWidget) -> QScrollArea:
    area = QScrollArea(parent)
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    # text wraps to the width instead: a sideways scroll hides half of each question
    area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    area.setWidget(content)
    return area


class _ToggleLabel(QLabel):
    """A wrapping label that ticks its checkbox when clicked (QCheckBox cannot wrap)."""

    def __init__(self, text: str, check: QCheckBox, parent: QWidget) -> None:
        super().__init__(text, parent)
        self._check = check
        self.setWordWrap(True)
        self.setCursor(Qt.CursorShape.PointingHandCursor)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self._check.toggle()


def _point_row(
    point: ActPoint, ref_text: str, name: str, parent: QWidget
) -> tuple[QHBoxLayout, QCheckBox]:
    row = QHBoxLayout()
    row.setSpacing(6)
    check = QCheckBox(parent)
    check.setObjectName(name)
    check.setAccessibleName(f"{point.summary} ({point.ref})")
    check.setToolTip(_legal_tooltip(point))
    label = _ToggleLabel(
        f"{escape(point.summary)} <span style='{HINT_STYLE}'>({escape(ref_text)})</span>",
        check,
        parent,
    )
    label.setToolTip(_legal_tooltip(point))
    row.addWidget(check, 0, Qt.AlignmentFlag.AlignTop)
    row.addWidget(label, 1)
    return row, check


def _legal_tooltip(point: ActPoint) -> str:
    # rich text so Qt wraps the long legal wording
    return f"<p><b>{escape(point.ref)}</b> — {escape(point.text)}</p>"


class ClassifyDialog(QDialog):
    """Ask, score live, and hand back the answers as ``AIUse`` field values."""

    def __init__(
        self,
        record: dict[str, Any],
        config: ScoringConfig,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("classifyDialog")
        # a partial record (a brand-new use) starts from the factors' defaults
        self.record = {**asdict(ExposureFactors()), **record}
        self.config = config
        name = record.get("name") or "this use"
        self.setWindowTitle(f"Classify — {name}")
        self.groups: dict[str, QButtonGroup] = {}
        self.prohibited: dict[str, QCheckBox] = {}
        self.high_risk: dict[str, QCheckBox] = {}
        # "suggested from the import: …" under each question a kept column answers
        self.suggestion_labels: dict[str, QLabel] = {}
        self.suggestions: dict[str, SuggestedAnswer] = {}

        layout = QHBoxLayout(self)
        left = QVBoxLayout()
        self.left = left  # the questions' column: Assess next puts its progress on top
        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("classifyTabs")
        self.tabs.addTab(_scroll(self._build_questions(), self), "&1. About the use")
        self.tabs.addTab(_scroll(self._build_eu(), self), "&2. EU AI Act")
        left.addWidget(self.tabs, 1)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText("&Use these answers")
        ok.setObjectName("useAnswers")
        ok.setToolTip("Put the answers into the use's fields (you still save the use)")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        left.addWidget(self.buttons)
        layout.addLayout(left, 3)
        layout.addWidget(self._build_result(), 2)
        self._load(self.record)
        self._suggest(self.record)
        self._wire()
        self.update_result()
        self.resize(1040, 700)

    # --- building ------------------------------------------------------------------
    def _question_label(self, text: str, hint: str, parent: QWidget, box: QVBoxLayout) -> None:
        label = QLabel(f"<b>{escape(text)}</b>", parent)
        label.setWordWrap(True)
        box.addWidget(label)
        if hint:
            note = QLabel(hint, parent)
            note.setWordWrap(True)
            note.setStyleSheet(HINT_STYLE)
            box.addWidget(note)

    def _build_questions(self) -> QWidget:
        page = QWidget(self)
        box = QVBoxLayout(page)
        box.setSpacing(4)
        self._question_label(REACH_QUESTION, REACH_HINT, page, box)
        row = QHBoxLayout()
        self.people = QSpinBox(page)
        self.people.setObjectName("people_affected")
        # -1 shows as "not answered yet": an unanswered reach is unknown, not 0 people
        self.people.setRange(-1, 2_000_000_000)
        self.people.setSpecialValueText("Not answered yet")
        self.people.setGroupSeparatorShown(True)
        self.people.setSuffix(" people a year")
        self.people.setMinimumWidth(200)
        self.people.setAccessibleName(REACH_QUESTION)
        row.addWidget(self.people)
        self.reach_band = QLabel(page)
        self.reach_band.setObjectName("reachBand")
        self.reach_band.setStyleSheet(HINT_STYLE)
        row.addWidget(self.reach_band, 1)
        box.addLayout(row)
        box.addWidget(self._suggestion_label("people_affected", page))
        groups_row = QHBoxLayout()
        groups_label = QLabel(GROUPS_QUESTION, page)
        self.affected_groups = QLineEdit(page)
        self.affected_groups.setObjectName("affected_groups")
        self.affected_groups.setPlaceholderText("students, patients, applicants, customers…")
        groups_label.setBuddy(self.affected_groups)
        groups_row.addWidget(groups_label)
        groups_row.addWidget(self.affected_groups, 1)
        box.addLayout(groups_row)
        for question in QUESTIONS:
            box.addSpacing(10)
            self._add_choice_question(question, page, box)
        box.addStretch(1)
        return page

    def _add_choice_question(self, question: Question, page: QWidget, box: QVBoxLayout) -> None:
        self._question_label(question.text, question.hint, page, box)
        group = QButtonGroup(page)
        group.setObjectName(f"{question.field}Group")
        inline = all(isinstance(c.value, bool) for c in question.choices)
        holder = QHBoxLayout() if inline else QVBoxLayout()
        holder.setContentsMargins(12, 0, 0, 0)
        for index, choice in enumerate(question.choices):
            button = QRadioButton(choice.text, page)
            button.setObjectName(_object_name(question.field, choice.value))
            button.setAccessibleDescription(question.text)  # "Yes" alone says nothing
            group.addButton(button, index)
            holder.addWidget(button)
        if inline:
            holder.addStretch(1)  # type: ignore[union-attr]
        box.addLayout(holder)
        box.addWidget(self._suggestion_label(question.field, page))
        self.groups[question.field] = group

    def _suggestion_label(self, field: str, parent: QWidget) -> QLabel:
        label = QLabel(parent)
        label.setObjectName(f"{field}Suggestion")
        label.setWordWrap(True)
        label.setStyleSheet(SUGGESTION_STYLE)
        label.hide()
        self.suggestion_labels[field] = label
        return label

    def _build_eu(self) -> QWidget:
        page = QWidget(self)
        box = QVBoxLayout(page)
        intro = QLabel(
            "Walk through the EU AI Act (Regulation (EU) 2024/1689). Tick every point that "
            "describes what this use does. Hover a point to read the Regulation's wording.",
            page,
        )
        intro.setWordWrap(True)
        box.addWidget(intro)

        banned = QGroupBox("Article 5 — prohibited practices: does it do any of these?", page)
        banned.setObjectName("article5Group")
        inner = QVBoxLayout(banned)
        for point in article_5_points():
            row, check = _point_row(
                point, point.ref, _object_name("art5", point.ref.split()[-1]), banned
            )
            inner.addLayout(row)
            self.prohibited[point.ref] = check
        box.addWidget(banned)

        box.addWidget(self._bold("Annex III — high-risk uses: is it used for any of these?", page))
        # Area names can be long ("5. Access to and enjoyment of essential private
        # services…"): a wrapping label, not a QGroupBox title, which never wraps and
        # would force the whole page wider than the window.
        group = ""
        area_box = QVBoxLayout()
        for point in annex_iii_points():
            if point.group != group:
                group = point.group
                heading = QLabel(escape(group), page)
                heading.setWordWrap(True)
                heading.setStyleSheet("font-weight: bold; margin-top: 6px;")
                box.addWidget(heading)
                area_box = QVBoxLayout()
                area_box.setContentsMargins(12, 0, 0, 0)
                box.addLayout(area_box)
            short = point.ref.removeprefix("Annex III ")
            row, check = _point_row(point, short, _object_name("annex", short), page)
            area_box.addLayout(row)
            self.high_risk[point.ref] = check
        note = QLabel(ARTICLE_6_3_NOTE, page)
        note.setWordWrap(True)
        note.setStyleSheet(HINT_STYLE)
        box.addWidget(note)

        box.addSpacing(8)
        self._question_label(
            TRANSPARENCY_QUESTION, "Asked only if nothing above applies.", page, box
        )
        self.transparency = QButtonGroup(page)
        holder = QVBoxLayout()
        holder.setContentsMargins(12, 0, 0, 0)
        for index, choice in enumerate(TRANSPARENCY_CHOICES):
            button = QRadioButton(choice.text, page)
            button.setObjectName(_object_name("transparency", choice.value))
            button.setAccessibleDescription(TRANSPARENCY_QUESTION)
            self.transparency.addButton(button, index)
            holder.addWidget(button)
        box.addLayout(holder)
        box.addStretch(1)
        return page

    def _bold(self, text: str, parent: QWidget) -> QLabel:
        label = QLabel(f"<b>{escape(text)}</b>", parent)
        label.setWordWrap(True)
        return label

    def _build_result(self) -> QWidget:
        panel = QFrame(self)
        panel.setObjectName("resultPanel")
        panel.setFrameShape(QFrame.Shape.StyledPanel)
        box = QVBoxLayout(panel)
        box.addWidget(self._bold("Result", panel))
        self.badge = QLabel(panel)
        self.badge.setObjectName("resultBadge")
        self.badge.setTextFormat(Qt.TextFormat.RichText)
        box.addWidget(self.badge)
        self.eu_summary = QLabel(panel)
        self.eu_summary.setObjectName("euSummary")
        self.eu_summary.setWordWrap(True)
        box.addWidget(self.eu_summary)
        self.suggested_note = QLabel(panel)
        self.suggested_note.setObjectName("suggestedNote")
        self.suggested_note.setWordWrap(True)
        self.suggested_note.setStyleSheet(SUGGESTION_STYLE)
        self.suggested_note.hide()
        box.addWidget(self.suggested_note)
        self.why = QLabel(panel)
        self.why.setObjectName("resultWhy")
        self.why.setWordWrap(True)
        self.why.setTextFormat(Qt.TextFormat.RichText)
        self.why.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        box.addWidget(self.why, 1)
        return panel

    # --- state ---------------------------------------------------------------------
    def _load(self, record: dict[str, Any]) -> None:
        people = record.get("people_affected")
        self.people.setValue(-1 if people is None else int(people))
        self.affected_groups.setText(str(record.get("affected_groups") or ""))
        for question in QUESTIONS:
            current = record.get(question.field)
            for index, choice in enumerate(question.choices):
                if current is not None and (
                    choice.value == current
                    or (isinstance(choice.value, bool) and bool(current) == choice.value)
                ):
                    button = self.groups[question.field].button(index)
                    button.setChecked(True)
                    break
        refs = basis_refs(str(record.get("eu_ai_act_basis") or ""))
        cls = record.get("eu_ai_act_class")
        for ref, check in self.prohibited.items():
            check.setChecked(cls == EUAIActClass.PROHIBITED.value and ref in refs)
        for ref, check in self.high_risk.items():
            check.setChecked(
                cls in (EUAIActClass.HIGH_RISK.value, EUAIActClass.PROHIBITED.value) and ref in refs
            )
        start = transparency_answer(record)
        for index, choice in enumerate(TRANSPARENCY_CHOICES):
            if choice.value == start:
                self.transparency.button(index).setChecked(True)

    def _suggest(self, record: dict[str, Any]) -> None:
        """Pre-fill each unanswered question a column kept from the import answers, and
        say so beside it: a suggestion to check, not an answer anyone gave."""
        offered = {q.field: {c.value for c in q.choices} for q in QUESTIONS}
        self.suggestions = {
            field: found
            for field, found in suggested_answers(record).items()
            if field == "people_affected" or found.value in offered.get(field, ())
        }
        for field, label in self.suggestion_labels.items():
            found = self.suggestions.get(field)
            label.setVisible(found is not None)
            label.setText(escape(found.text()) if found is not None else "")
        for field, found in self.suggestions.items():
            if field == "people_affected":
                self.people.setValue(int(found.value))
            elif field in self.groups:
                self.answer(field, found.value)
        count = len(self.suggestions)
        self.suggested_note.setVisible(bool(count))
        self.suggested_note.setText(
            f"{count} answer{'s' if count != 1 else ''} suggested from the import's columns "
            "(marked under each question): check them before you use them."
        )

    def _wire(self) -> None:
        self.people.valueChanged.connect(self.update_result)
        for group in (*self.groups.values(), self.transparency):
            group.buttonToggled.connect(self._toggled)
        for check in (*self.prohibited.values(), *self.high_risk.values()):
            check.toggled.connect(self.update_result)

    def _toggled(self, _button: QAbstractButton, checked: bool) -> None:
        if checked:  # one toggle-off and one toggle-on per change: score once
            self.update_result()

    def answer(self, field: str, value: object) -> None:
        """Choose an answer as a click would (tests and scripted use)."""
        question = next(q for q in QUESTIONS if q.field == field)
        index = next(i for i, c in enumerate(question.choices) if c.value == value)
        self.groups[field].button(index).setChecked(True)

    def tick(self, ref: str, ticked: bool = True) -> None:
        """Tick an EU AI Act point by its ref ("Article 5.1.f", "Annex III 3(b)")."""
        (self.prohibited.get(ref) or self.high_risk[ref]).setChecked(ticked)

    def values(self) -> dict[str, Any]:
        """The answers as ``AIUse`` field values (only the fields the dialog asks)."""
        out: dict[str, Any] = {
            "people_affected": self.people.value() if self.people.value() >= 0 else None,
            "affected_groups": self.affected_groups.text().strip(),
        }
        for question in QUESTIONS:
            index = self.groups[question.field].checkedId()
            value = question.choices[index].value if index >= 0 else self.record.get(question.field)
            out[question.field] = value
        transparency = TRANSPARENCY_CHOICES[max(self.transparency.checkedId(), 0)].value
        eu_class, basis = eu_classification(
            [ref for ref, c in self.prohibited.items() if c.isChecked()],
            [ref for ref, c in self.high_risk.items() if c.isChecked()],
            transparency,
        )
        out["eu_ai_act_class"] = eu_class
        out["eu_ai_act_basis"] = basis
        return out

    def result_score(self) -> ExposureAssessment:
        merged = {**self.record, **self.values()}
        return assess_exposure(ExposureFactors.from_obj(SimpleNamespace(**merged)), self.config)

    def update_result(self) -> None:
        people = self.people.value()
        level = reach_level(max(people, 0))
        self.reach_band.setText(f"counts as “{REACH_LEVELS[level]}”" if people >= 0 else "")
        result = self.result_score()
        self.badge.setText(
            "<span style='font-size:large'>" + assessment_badge_html(result) + "</span>"
        )
        values = self.values()
        eu = EUAIActClass(values["eu_ai_act_class"]).label
        basis = f" — {values['eu_ai_act_basis']}" if values["eu_ai_act_basis"] else ""
        self.eu_summary.setText(f"EU AI Act: {eu}{basis}")
        lines = "".join(f"<li>{escape(line)}</li>" for line in result.explain())
        self.why.setText(f"<b>Why this tier</b><ul>{lines}</ul>")


def classify_use(
    parent: QWidget, record: dict[str, Any], config: ScoringConfig
) -> dict[str, Any] | None:
    """Run the dialog; the answers, or None if cancelled."""
    dialog = ClassifyDialog(record, config, parent)
    try:
        if dialog.exec() == QDialog.DialogCode.Accepted.value:
            return dialog.values()
        return None
    finally:
        dialog.deleteLater()


def make_classifier(
    config: Callable[[], ScoringConfig],
) -> Callable[[QWidget, dict[str, Any]], dict[str, Any] | None]:
    """The ``window.classifier`` hook: reads the register's settings when it runs."""
    return lambda parent, record: classify_use(parent, record, config())
