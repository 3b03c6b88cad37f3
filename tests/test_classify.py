"""The "Classify this use" dialog: plain answers set the factors, and so the tier."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QDialog, QRadioButton
from pytestqt.qtbot import QtBot

from riskdesk.enums import Tier
from riskdesk.scoring import DEFAULT_CONFIG, ScoringConfig
from riskdesk.service.register import RegisterService
from riskdesk.ui.dialogs.classify import ClassifyDialog, classify_use
from riskdesk.ui.dialogs.classify_questions import (
    ANNEX_III_SUMMARY,
    ARTICLE_5_SUMMARY,
    QUESTIONS,
    annex_iii_points,
    article_5_points,
    basis_refs,
    eu_classification,
)
from riskdesk.ui.main_window import MainWindow

BLANK: dict[str, Any] = {"name": "New use", "eu_ai_act_class": "not_assessed"}


def make(qtbot: QtBot, record: dict[str, Any] | None = None) -> ClassifyDialog:
    dialog = ClassifyDialog(dict(record or BLANK), DEFAULT_CONFIG)
    qtbot.addWidget(dialog)
    return dialog


def answer_all(dialog: ClassifyDialog, people: int, answers: dict[str, Any]) -> None:
    dialog.people.setValue(people)
    for field, value in answers.items():
        dialog.answer(field, value)
    # The EU AI Act question too ("No" to transparency; ticks may still class it higher).
    dialog.findChild(QRadioButton, "transparency__minimal").setChecked(True)


CASES = [
    pytest.param(
        40,
        {
            "decision_role": "none",
            "autonomy": "assistive",
            "data_sensitivity": "public",
            "childrens_data": False,
            "harm_severity": "minor",
            "reversibility": "reversible",
            "rights_impacting": False,
            "safety_impacting": False,
        },
        [],
        Tier.LOW,
        id="staff drafting aid",
    ),
    pytest.param(
        5_000,
        {
            "decision_role": "informs_staff",
            "autonomy": "none",
            "data_sensitivity": "personal",
            "childrens_data": True,
            "harm_severity": "minor",
            "reversibility": "reversible",
            "rights_impacting": False,
            "safety_impacting": False,
        },
        [],
        Tier.MODERATE,
        id="tutoring chatbot",
    ),
    pytest.param(
        900,
        {
            "decision_role": "recommends",
            "autonomy": "none",
            "data_sensitivity": "sensitive",
            "childrens_data": False,
            "harm_severity": "moderate",
            "reversibility": "reversible",
            "rights_impacting": False,
            "safety_impacting": False,
        },
        ["Annex III 3(b)"],
        Tier.HIGH,
        id="grading aid lifted by Annex III 3(b)",
    ),
    pytest.param(
        50,
        {
            "decision_role": "informs_staff",
            "autonomy": "none",
            "data_sensitivity": "internal",
            "childrens_data": False,
            "harm_severity": "minor",
            "reversibility": "reversible",
            "rights_impacting": True,
            "safety_impacting": False,
        },
        [],
        Tier.HIGH,
        id="rights-impacting floor",
    ),
    pytest.param(
        250_000,
        {
            "decision_role": "decides_automatically",
            "autonomy": "agent_autonomous",
            "data_sensitivity": "sensitive",
            "childrens_data": False,
            "harm_severity": "severe",
            "reversibility": "irreversible",
            "rights_impacting": False,
            "safety_impacting": False,
        },
        [],
        Tier.CRITICAL,
        id="automated benefit decisions",
    ),
    pytest.param(
        300,
        {
            "decision_role": "none",
            "autonomy": "none",
            "data_sensitivity": "personal",
            "childrens_data": True,
            "harm_severity": "minor",
            "reversibility": "reversible",
            "rights_impacting": False,
            "safety_impacting": False,
        },
        ["Article 5.1.f"],
        Tier.CRITICAL,
        id="emotion inference in class: prohibited",
    ),
]


@pytest.mark.parametrize(("people", "answers", "ticks", "tier"), CASES)
def test_answers_set_the_factors_and_the_tier(
    qtbot: QtBot,
    service: RegisterService,
    people: int,
    answers: dict[str, Any],
    ticks: list[str],
    tier: Tier,
) -> None:
    dialog = make(qtbot)
    answer_all(dialog, people, answers)
    for ref in ticks:
        dialog.tick(ref)
    values = dialog.values()
    assert {k: values[k] for k in answers} == answers
    assert values["people_affected"] == people
    # the returned factors, stored through the service, give the same tier
    use_id = service.create("ai_use", {"name": "Classified", **values})
    stored = service.get("ai_use", use_id)
    assert stored["tier"] == tier.value
    assert dialog.result_score().tier is tier
    assert f"<b>{tier.label}</b>" in dialog.badge.text()
    if ticks and ticks[0].startswith("Article 5"):
        assert values["eu_ai_act_class"] == "prohibited"
        assert "must not be deployed" in dialog.badge.text()
    elif ticks:
        assert values["eu_ai_act_class"] == "high_risk"
    assert values["eu_ai_act_basis"] == "; ".join(ticks)


def test_clicking_the_radio_buttons_and_labels(qtbot: QtBot) -> None:
    dialog = make(qtbot)
    dialog.show()
    qtbot.waitExposed(dialog)
    button = dialog.findChild(QRadioButton, "autonomy__agent_autonomous")
    assert button is not None and "without anyone approving" in button.text()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert dialog.values()["autonomy"] == "agent_autonomous"
    qtbot.mouseClick(
        dialog.findChild(QRadioButton, "childrens_data__true"), Qt.MouseButton.LeftButton
    )
    assert dialog.values()["childrens_data"] is True
    dialog.tabs.setCurrentIndex(1)
    check = dialog.findChild(QCheckBox, "annex__3(d)")
    assert check is not None and not check.isChecked()
    label = check.parentWidget().findChildren(type(dialog.badge))  # the wrapping labels
    toggle = next(lbl for lbl in label if "proctoring" in lbl.text())
    dialog.tabs.currentWidget().ensureWidgetVisible(toggle)  # type: ignore[attr-defined]
    qtbot.mouseClick(toggle, Qt.MouseButton.LeftButton)
    assert check.isChecked()
    assert dialog.values()["eu_ai_act_basis"] == "Annex III 3(d)"
    assert "Annex III 3(d)" in dialog.eu_summary.text()


def test_existing_answers_round_trip(qtbot: QtBot, demo_service: RegisterService) -> None:
    for use in demo_service.rows("ai_use"):
        dialog = make(qtbot, use)
        values = dialog.values()
        for field in (*(q.field for q in QUESTIONS), "people_affected", "eu_ai_act_basis"):
            assert values[field] == use[field], (use["name"], field)
        if use["eu_ai_act_class"] in ("high_risk", "prohibited", "transparency", "minimal"):
            assert values["eu_ai_act_class"] == use["eu_ai_act_class"], use["name"]
        assert dialog.result_score().tier.value == use["tier"], use["name"]
        dialog.close()


def test_a_new_use_starts_unanswered_never_at_the_lowest_levels(qtbot: QtBot) -> None:
    dialog = make(qtbot)
    values = dialog.values()
    assert values["people_affected"] is None and dialog.people.text() == "Not answered yet"
    assert all(values[q.field] is None for q in QUESTIONS)
    assert dialog.result_score().tier is Tier.NOT_ASSESSED
    assert "Not assessed" in dialog.badge.text() and "between Low and Critical" in (
        dialog.badge.text()
    )
    assert "not answered yet" in dialog.why.text()


def test_transparency_answer_when_nothing_is_ticked(qtbot: QtBot) -> None:
    dialog = make(qtbot)
    assert dialog.values()["eu_ai_act_class"] == "not_assessed"
    dialog.findChild(QRadioButton, "transparency__transparency").setChecked(True)
    assert (dialog.values()["eu_ai_act_class"], dialog.values()["eu_ai_act_basis"]) == (
        "transparency",
        "",
    )
    dialog.tick("Annex III 4(a)")
    assert dialog.values()["eu_ai_act_class"] == "high_risk"
    dialog.tick("Annex III 4(a)", False)
    dialog.findChild(QRadioButton, "transparency__minimal").setChecked(True)
    assert dialog.values()["eu_ai_act_class"] == "minimal"


def test_gravest_class_wins_and_names_only_its_basis() -> None:
    assert eu_classification(["Article 5.1.c"], ["Annex III 5(a)"], "minimal") == (
        "prohibited",
        "Article 5.1.c",
    )
    assert eu_classification([], ["Annex III 3(a)", "Annex III 3(b)"], "transparency") == (
        "high_risk",
        "Annex III 3(a); Annex III 3(b)",
    )
    assert eu_classification([], [], "transparency") == ("transparency", "")
    assert basis_refs("Annex III 3(a); Annex III 3(b) , Article 5.1.f") == {
        "Annex III 3(a)",
        "Annex III 3(b)",
        "Article 5.1.f",
    }


def test_eu_ai_act_points_load_from_resources() -> None:
    art5 = article_5_points()
    assert [p.ref for p in art5] == [f"Article 5.1.{c}" for c in "abcdefgh"]
    assert all(p.summary == ARTICLE_5_SUMMARY[p.ref.split()[-1]] for p in art5)
    assert "(i) the targeted search" in art5[-1].text  # sub-points read with their point
    annex = article = annex_iii_points()
    assert len(annex) == 25 and {p.ref for p in annex} == set(ANNEX_III_SUMMARY)
    assert article[0].group.startswith("1. Biometrics")
    assert len({p.group for p in annex}) == 8


def test_uses_the_registers_own_thresholds(qtbot: QtBot) -> None:
    strict = ScoringConfig(tier_thresholds={"moderate": 5, "high": 10, "critical": 15})
    dialog = ClassifyDialog(dict(BLANK), strict)
    qtbot.addWidget(dialog)
    answer_all(dialog, 500, {"decision_role": "informs_staff", "data_sensitivity": "personal"})
    # Not every question is answered, but 5 + 5 + 8 = 18 ≥ 15 is Critical already.
    found = dialog.result_score()
    assert found.tier is Tier.NOT_ASSESSED
    assert found.tier_range == (Tier.CRITICAL, Tier.CRITICAL)
    assert "Critical whatever the answers still missing" in dialog.badge.text()


def test_use_editor_button_applies_the_answers_live(
    window: MainWindow, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    low = next(u for u in window.service.rows("ai_use") if u["tier"] == "low")

    def answer(dialog: ClassifyDialog) -> int:
        assert dialog.values()["people_affected"] == low["people_affected"]  # pre-filled
        dialog.answer("decision_role", "decides_automatically")
        dialog.answer("autonomy", "agent_autonomous")
        dialog.answer("harm_severity", "severe")
        dialog.answer("reversibility", "irreversible")
        dialog.answer("data_sensitivity", "sensitive")
        dialog.people.setValue(150_000)
        return QDialog.DialogCode.Accepted.value

    monkeypatch.setattr(ClassifyDialog, "exec", answer)
    editor = window.use_editor(low["id"])
    qtbot.addWidget(editor)
    assert not editor.ui.classifyButton.isHidden()
    assert "<b>Low</b>" in editor.ui.tierBadge.text()
    qtbot.mouseClick(editor.ui.classifyButton, Qt.MouseButton.LeftButton)
    assert "<b>Critical</b>" in editor.ui.tierBadge.text()
    assert editor.ui.people_affected.value() == 150_000
    assert window.service.get("ai_use", low["id"])["tier"] == "low"  # nothing saved yet
    editor.save()
    stored = window.service.get("ai_use", low["id"])
    assert (stored["tier"], stored["autonomy"]) == ("critical", "agent_autonomous")


def test_cancelling_changes_nothing(
    window: MainWindow, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    def cancel(dialog: ClassifyDialog) -> int:
        dialog.answer("decision_role", "decides_automatically")
        return QDialog.DialogCode.Rejected.value

    monkeypatch.setattr(ClassifyDialog, "exec", cancel)
    editor = window.use_editor(1)
    qtbot.addWidget(editor)
    before = editor.binding.values()
    assert classify_use(editor, dict(before), DEFAULT_CONFIG) is None
    editor.ui.classifyButton.click()
    assert editor.binding.values() == before
