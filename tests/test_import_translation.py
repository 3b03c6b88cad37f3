"""Import translates answers instead of refusing or defaulting (issue 13, item 5).

A district's own sheet, with free-text answers in its "Personal data" and "Students
affected?" columns, imports every row: answers riskdesk can read are read, the others
get a value map suggested from their wording (each one said in a warning), and what
the file does not state stays unknown, so the use is "Not assessed", never Low.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from riskdesk.importers import read_inventory
from riskdesk.importers.mapping import ColumnMap, Mapping
from riskdesk.importers.translation import suggest_value
from riskdesk.importers.values import BadValue, number_in_text
from riskdesk.service.importing import import_file
from riskdesk.service.register import RegisterService
from tests.reference import FEDERAL_INVENTORY

F2023 = FEDERAL_INVENTORY / "2023_consolidated_ai_inventory_raw.csv"

DISTRICT = [
    ["Tool", "What it does", "Personal data", "Students affected?", "Children's data", "Status"],
    ["Tutor bot", "Homework help", "Student names, chat logs", "Yes - approx 2,400 students",
     "", "trial only"],
    ["Gaggle", "Self-harm scanning", "Student emails and documents", "all 10-20k students",
     "Yes", "Live"],
    ["Timetabler", "Plans rooms", "No", "No", "No", ""],
    ["Entrance cameras", "Facial recognition", "Faces", "approx 3k", "not sure", "pilot"],
    ["Lesson ideas", "Drafts plans", "", "", "", "Production"],
]  # fmt: skip


def _district(tmp_path: Path) -> Path:
    path = tmp_path / "district.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(DISTRICT)
    return path


def _by_name(service: RegisterService) -> dict[str, dict[str, object]]:
    return {str(u["name"]): u for u in service.rows("ai_use")}


def test_free_text_answers_import_every_row_with_value_translation(
    service: RegisterService, tmp_path: Path
) -> None:
    plan = read_inventory(_district(tmp_path))
    assert plan.format == "table" and plan.problems == []
    assert plan.mapping.columns["Students affected?"].field == "people_affected"
    assert plan.mapping.columns["Personal data"].translate == {
        "Student names, chat logs": "children_special",
        "Student emails and documents": "children_special",
        "No": "internal",
        "Faces": "children_special",
    }
    warnings = "\n".join(str(w) for w in plan.warnings)
    assert (
        'district.csv, column "Personal data" (C): "Student names, chat logs" (row 2) '
        "read as Children's or special-category: suggested from its wording, not stated"
    ) in warnings
    assert '"Yes - approx 2,400 students" (row 2) read as a reach of 2,400 a year' in warnings
    assert '"trial only" (row 2) read as Pilot' in warnings

    report = import_file(service, _district(tmp_path))
    assert report.written and report.rows_rejected == 0 and report.problems == []
    uses = _by_name(service)
    assert len(uses) == 5
    tutor = uses["Tutor bot"]
    assert tutor["people_affected"] == 2400
    assert tutor["data_sensitivity"] == "children_special"
    assert tutor["stage"] == "pilot"
    assert tutor["childrens_data"] is None  # a blank yes/no cell is unknown, never "No"
    # "10-20k": 10 or 10,000 at its low end? Unknown, with a warning naming the cell.
    gaggle = uses["Gaggle"]
    assert gaggle["people_affected"] is None and gaggle["childrens_data"] is True
    assert (
        'district.csv, column "Students affected?" (D): "all 10-20k students" (row 3) read as '
        "unknown: suggested from its wording"
    ) in "\n".join(str(w) for w in report.warnings)
    timetabler = uses["Timetabler"]
    assert timetabler["data_sensitivity"] == "internal" and timetabler["childrens_data"] is False
    assert timetabler["people_affected"] is None  # "No" students is not a count of people
    cameras = uses["Entrance cameras"]
    assert cameras["people_affected"] == 3000 and cameras["childrens_data"] is None
    # Factors the file does not state stay unknown: no use is Low, every one not assessed.
    assert {u["tier"] for u in uses.values()} == {"not_assessed"}
    assert {u["assessment"] for u in uses.values()} <= {"not_assessed", "partly"}
    assert uses["Lesson ideas"]["assessment"] == "not_assessed"
    # A stage the sheet does not state is not claimed as Production.
    assert timetabler["stage"] == "not_stated" and uses["Lesson ideas"]["stage"] == "production"
    assert any("1 row(s) state no stage" in str(w) and "row 4" in str(w) for w in report.warnings)


def test_a_saved_value_map_round_trips_and_is_applied_as_saved(
    service: RegisterService, tmp_path: Path
) -> None:
    plan = read_inventory(_district(tmp_path))
    saved = tmp_path / "district-mapping.json"
    plan.mapping.save(saved)
    data = json.loads(saved.read_text(encoding="utf-8"))
    # The user edits the saved file: faces are biometric (sensitive), not children's, and
    # Gaggle's ambiguous "all 10-20k students" is, they know, about 15,000.
    data["columns"]["Personal data"]["translate"]["Faces"] = "sensitive"
    data["columns"]["Students affected?"]["translate"]["all 10-20k students"] = "15000"
    saved.write_text(json.dumps(data), encoding="utf-8")
    loaded = Mapping.load(saved)
    assert loaded.to_dict() == Mapping.from_dict(loaded.to_dict()).to_dict()
    assert loaded.columns["Personal data"].translate["Faces"] == "sensitive"

    report = import_file(service, _district(tmp_path), mapping=loaded)
    assert report.written and report.rows_rejected == 0
    uses = _by_name(service)
    assert uses["Entrance cameras"]["data_sensitivity"] == "sensitive"
    assert uses["Gaggle"]["people_affected"] == 15000
    assert uses["Tutor bot"]["data_sensitivity"] == "children_special"
    # A saved mapping is used as it is: nothing is re-suggested over the user's map.
    assert not any("suggested from its wording" in str(w) for w in report.warnings)


def test_unknown_in_a_value_map_means_unknown(tmp_path: Path) -> None:
    path = tmp_path / "pii.csv"
    path.write_text("Name,PII?,Children\nBot,maybe,perhaps\nCam,y,y\n", encoding="utf-8")
    mapping = Mapping(
        columns={
            "Name": ColumnMap(field="name"),
            "PII?": ColumnMap(field="data_sensitivity", translate={"maybe": "unknown"}),
            "Children": ColumnMap(field="childrens_data"),
        }
    )
    plan = read_inventory(path, mapping=mapping)
    assert plan.problems == []
    first, second = plan.rows
    assert "data_sensitivity" not in first.values and "childrens_data" not in first.values
    # "perhaps" is not understood: unknown plus a warning naming the cell, not a rejection.
    assert [str(w) for w in first.warnings] == [
        'pii.csv, row 2, column "Children" (C): "perhaps" is not yes or no; Children\'s data '
        "is left unknown (map this answer in the column mapping's value map to set it)"
    ]
    assert second.values["childrens_data"] is True


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("approx 2,400 students", 2400),
        ("Yes - approx 2,400 students", 2400),
        ("about 3k pupils", 3000),
        ("1.5 million residents", 1_500_000),
    ],
)
def test_one_number_inside_text_is_read(text: str, number: int) -> None:
    assert number_in_text(text).value == number


@pytest.mark.parametrize(
    "text", ["10-20k", "between 10 and 20 thousand", "2 schools, 400 staff", "Yes", "-1", "1e+308"]
)
def test_ambiguous_or_missing_numbers_are_not_guessed(text: str) -> None:
    with pytest.raises(BadValue):
        number_in_text(text)


@pytest.mark.parametrize(
    ("field", "answer", "level"),
    [
        ("data_sensitivity", "Student names, chat logs", "children_special"),
        ("data_sensitivity", "Staff names and emails", "personal"),
        ("data_sensitivity", "Nothing personal", "internal"),
        ("data_sensitivity", "It depends", "unknown"),
        ("people_affected", "Yes - approx 2,400 students", "2400"),
        ("people_affected", "Yes", "unknown"),
        ("stage", "trial only", "pilot"),
        ("stage", "live since 2022", "production"),
        ("childrens_data", "all our pupils", "yes"),
        ("childrens_data", "not sure", "unknown"),
        ("harm_severity", "could be high", "serious"),
    ],
)
def test_suggestions_from_the_wording(field: str, answer: str, level: str) -> None:
    assert suggest_value(field, answer) == level


def test_omb_2023_leaves_no_use_low_unless_its_answers_make_it_low(
    service: RegisterService,
) -> None:
    report = import_file(service, F2023)
    assert report.written and report.rows_rejected == 0
    uses = service.rows("ai_use")
    assert len(uses) == 710
    # The 2023 inventory states none of the exposure factors: every one is unknown.
    factors = ("people_affected", "decision_role", "autonomy", "data_sensitivity",
               "childrens_data", "harm_severity", "reversibility", "rights_impacting",
               "safety_impacting", "eu_ai_act_class")  # fmt: skip
    assert all(u[f] is None for u in uses for f in factors)
    assert {u["tier"] for u in uses} == {"not_assessed"}
    assert {u["assessment"] for u in uses} == {"not_assessed"}
    # Its stage answers are kept; a row without one is not claimed as Production.
    unstated = [w for w in report.warnings if "state no stage" in str(w)]
    stages = {str(u["stage"]) for u in uses}
    assert "production" in stages and "not_stated" in stages
    if unstated:
        assert 'recorded as "Not stated"' in str(unstated[0])
