"""Sourcing, public-facing and generative nobody gave, through an import, the catalogue's
suggestions and the use editor: "Not stated", never "SaaS embedded" or "No"."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from riskdesk.catalogue.suggest import suggest_risks
from riskdesk.importers.inventory import read_inventory
from riskdesk.importers.mapping import ColumnMap, Mapping
from riskdesk.service.importing import import_file
from riskdesk.service.register import RegisterService
from riskdesk.ui.editors.use_editor import UseEditor
from riskdesk.ui.undo import EditHistory


def _facts(service: RegisterService) -> dict[str, tuple[object, object, object]]:
    return {
        u["name"]: (u["sourcing"], u["public_facing"], u["generative"])
        for u in service.rows("ai_use")
    }


def test_an_unreadable_sourcing_is_imported_as_not_stated_with_a_warning(
    service: RegisterService, tmp_path: Path
) -> None:
    sheet = tmp_path / "tools.csv"
    sheet.write_text(
        "Name,Build or buy,Public facing,Generative AI\n"
        "Essay grader,SaaS,yes,no\n"
        "Bus router,carrier pigeon,,\n",
        "utf-8",
    )
    report = import_file(service, sheet)
    assert report.written and not report.problems, report.problems
    assert _facts(service) == {
        "Essay grader": ("saas_embedded", True, False),
        "Bus router": ("not_stated", None, None),
    }
    said = [w.reason for w in report.warnings]
    assert any('"carrier pigeon" (row 3) read as not stated' in r for r in said), said


def test_a_mapping_that_cannot_read_the_answer_leaves_it_not_stated(tmp_path: Path) -> None:
    """A saved mapping (no suggested value map): the row is not rejected either."""
    sheet = tmp_path / "inventory.csv"
    sheet.write_text("Name,How built\nChat helper,grown in a vat\n", "utf-8")
    mapping = Mapping(columns={"Name": ColumnMap("name"), "How built": ColumnMap("sourcing")})
    plan = read_inventory(sheet, mapping=mapping)
    assert not plan.problems, plan.problems
    assert "sourcing" not in plan.rows[0].values  # the register's default: not stated
    assert any("How it is built or bought is left not stated" in w.reason for w in plan.warnings), (
        plan.warnings
    )


def test_an_omb_answer_riskdesk_cannot_read_is_not_stated(tmp_path: Path) -> None:
    sheet = tmp_path / "omb.csv"
    sheet.write_text(
        "2_use_case_name,3_abr,16_dev_stage,22_dev_method\n"
        "Benefits chatbot,SSA,Deployed,Borrowed from another agency\n"
        "Claims triage,SSA,Deployed,Developed in-house.\n",
        "utf-8",
    )
    plan = read_inventory(sheet, fmt="omb-2024")
    assert not plan.problems, plan.problems
    by_name = {r.values["name"]: r.values.get("sourcing") for r in plan.rows}
    assert by_name == {"Benefits chatbot": None, "Claims triage": "in_house"}
    assert any("left not stated" in w.reason and w.row == 2 for w in plan.warnings)


# --- suggestions: unknown is not "no" ----------------------------------------------------

BASE: dict[str, object] = {"name": "Helper", "stage": "idea", "sourcing": "not_stated"}


def _rules(attrs: dict[str, object]) -> dict[str, str]:
    """risk id -> the rule that suggested it."""
    return {s.risk.id: s.rule_id for s in suggest_risks(attrs)}


def test_a_public_generative_risk_is_offered_when_one_half_is_unknown_and_says_why() -> None:
    public_unknown = suggest_risks({**BASE, "public_facing": None, "generative": True})
    assert {s.rule_id for s in public_unknown} == {"SR-39"}
    assert "nobody has said whether the public uses" in public_unknown[0].reason
    generative_unknown = suggest_risks({**BASE, "public_facing": True, "generative": None})
    assert {s.rule_id for s in generative_unknown} == {"SR-40"}
    assert "nobody has said whether it generates" in generative_unknown[0].reason
    # The same risks the rules for a known public generative system suggest.
    known = _rules({**BASE, "public_facing": True, "generative": True})
    assert {s.risk.id for s in public_unknown} == set(known)
    assert {s.risk.id for s in generative_unknown} == set(known)


def test_nothing_is_offered_when_nothing_is_known_and_a_no_is_not_unknown() -> None:
    assert _rules({**BASE, "public_facing": None, "generative": None}) == {}
    assert _rules({**BASE, "public_facing": False, "generative": True}) == {}
    assert _rules({**BASE, "public_facing": True, "generative": False}) == {}
    # Generative-only rules wait for the answer: an unknown is not read as "yes".
    with_people = {**BASE, "decision_role": "informs_staff", "data_sensitivity": "personal"}
    assert "RL-GEN-01" in _rules({**with_people, "generative": True})
    assert "RL-GEN-01" not in _rules({**with_people, "generative": None})


def test_a_sourcing_not_stated_suggests_no_vendor_or_own_model_risks() -> None:
    assert "RL-REL-02" in _rules({**BASE, "sourcing": "saas_embedded"})
    assert "RL-SUP-01" in _rules({**BASE, "sourcing": "open_model"})
    assert _rules(BASE) == {}


# --- the editor ------------------------------------------------------------------------


def test_the_editor_shows_and_saves_not_stated_until_someone_answers(
    service: RegisterService, qtbot: QtBot
) -> None:
    editor = UseEditor(service, EditHistory(service), None)
    qtbot.addWidget(editor)
    ui = editor.ui
    assert ui.sourcing.currentText() == "Not stated"
    assert ui.sourcing.itemText(0) == "Not stated"
    for box in (ui.public_facing, ui.generative):
        assert box.isTristate()
        assert box.checkState() == Qt.CheckState.PartiallyChecked
    ui.name.setText("Timetable planner")
    editor.save()
    use_id = next(u["id"] for u in service.rows("ai_use") if u["name"] == "Timetable planner")
    assert _facts(service)["Timetable planner"] == ("not_stated", None, None)
    # Reopened, it still says so; an answer given is shown as given.
    service.update("ai_use", use_id, {"public_facing": False, "sourcing": "in_house"})
    again = UseEditor(service, EditHistory(service), use_id)
    qtbot.addWidget(again)
    assert again.ui.sourcing.currentData() == "in_house"
    assert again.ui.public_facing.checkState() == Qt.CheckState.Unchecked
    assert again.ui.generative.checkState() == Qt.CheckState.PartiallyChecked
