"""Column mapping: suggestions, saving, and turning rows into AIUse field values."""

from __future__ import annotations

import datetime as dt
import json
import types
import typing
from pathlib import Path

import openpyxl
import pytest

from riskdesk.importers.errors import ImportFileError, ImportProblem
from riskdesk.importers.fields import FIELDS, IMPACT_FIELD, RELATIONAL_FIELDS, Kind
from riskdesk.importers.mapped_rows import apply_mapping, check_mapping
from riskdesk.importers.mapping import (
    ColumnMap,
    Mapping,
    suggest_mapping,
)
from riskdesk.importers.tables import RawTable, read_table
from riskdesk.scoring.exposure import QUESTIONS
from riskdesk.store.models import AIUse


def _csv(tmp_path: Path, text: str, name: str = "register.csv") -> RawTable:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return read_table(path)


# --- the field table matches the model ---------------------------------------------------

_NOT_IMPORTED = {
    "id", "vendor_id", "owner_first_id", "owner_second_id", "owner_third_id", "source_record",
    "exposure", "tier", "score_method", "created_at", "updated_at",
    "assessment", "exposure_low", "exposure_high", "tier_low", "tier_high",
    "model_id",  # issue 17: a catalogue reference, not a column of a foreign inventory
}  # fmt: skip
_KIND_TYPES = {
    Kind.TEXT: {str},
    Kind.LONG_TEXT: {str},
    Kind.ENUM: {str},
    Kind.INT: {int},
    Kind.BOOL: {bool},
    Kind.OPTIONAL_BOOL: {bool, type(None)},
    Kind.DATE: {dt.date, type(None)},
}


def test_every_importable_aiuse_field_is_known_with_its_type() -> None:
    hints = typing.get_type_hints(AIUse)
    model_fields = set(AIUse.model_fields)
    importable = model_fields - _NOT_IMPORTED
    own = set(FIELDS) - set(RELATIONAL_FIELDS) - {IMPACT_FIELD}
    assert own == importable
    for name in own:
        hint = hints[name]
        types_ = set(typing.get_args(hint)) if isinstance(hint, types.UnionType) else {hint}
        if name in QUESTIONS:  # an exposure question may be unanswered (None), issue 13
            types_.discard(type(None))
        assert types_ == _KIND_TYPES[FIELDS[name].kind], name


# --- suggestions ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("Use case", "name"), ("AI system", "name"), ("Name", "name"), ("Use Case Name", "name"),
        ("2_use_case_name", "name"), ("Dept", "department"), ("Department", "department"),
        ("Bureau", "department"), ("People affected", "people_affected"),
        ("People affected per year", "people_affected"), ("Vendor", "vendor_name"),
        ("Owner (1st line)", "owner_first_name"), ("2nd line reviewer", "owner_second_name"),
        ("Internal audit", "owner_third_name"), ("Go-live date", "go_live"),
        ("Last reviewed", "last_review"), ("Next review date", "next_review"),
        ("Rights-impacting?", "rights_impacting"), ("Children's data", "childrens_data"),
        ("EU AI Act risk class", "eu_ai_act_class"), ("Lifecycle stage", "stage"),
        ("Peple affected", "people_affected"),  # a typo still finds its field
    ],
)  # fmt: skip
def test_single_header_suggestions(header: str, field: str) -> None:
    assert suggest_mapping([header]) == {header: field}


def test_each_field_offered_to_its_best_column_only() -> None:
    headers = ["Name", "Use case", "Department", "Team", "Second line owner", "Colour"]
    assert suggest_mapping(headers) == {
        "Name": "name",
        "Use case": None,
        "Department": "department",
        "Team": None,
        "Second line owner": "owner_second_name",
        "Colour": None,
    }


# --- saving and loading ------------------------------------------------------------------


def test_mapping_round_trips_through_json(tmp_path: Path) -> None:
    mapping = Mapping(
        columns={
            "Tool": ColumnMap(field="name"),
            "Status": ColumnMap(field="stage", translate={"Live": "production", "*": None}),
            "Outputs": ColumnMap(field="purpose", label="Outputs", on_unknown="warn"),
            "Colour": ColumnMap(),
        },
        date_order="dmy",
        fiscal_year_start_month=4,
        duplicate_key=["Tool"],
        skip_rows={"Status": ["Rejected", ""]},
        description="Springfield register",
    )
    path = tmp_path / "mapping.json"
    mapping.save(path)
    assert json.loads(path.read_text("utf-8"))["columns"]["Status"]["translate"] == {
        "Live": "production",
        "*": None,
    }
    assert Mapping.load(path) == mapping


def test_loading_a_bad_mapping_says_why(tmp_path: Path) -> None:
    path = tmp_path / "mapping.json"
    path.write_text('{"columns": {"Tool": {"field": "colour"}}}', "utf-8")
    with pytest.raises(ValueError, match='column "Tool" maps to unknown field "colour"'):
        Mapping.load(path)
    path.write_text("not json", "utf-8")
    with pytest.raises(ValueError, match=r"mapping\.json: cannot read this column mapping"):
        Mapping.load(path)
    path.write_text('{"riskdesk_mapping": 99, "columns": {}}', "utf-8")
    with pytest.raises(ValueError, match="newer riskdesk"):
        Mapping.load(path)


# --- applying ---------------------------------------------------------------------------------

MESSY = (
    "Use case,Dept,Status,People affected,Rights/safety impacting,Go-live,Vendor,Colour\n"
    '"  Essay marker\n",English ,"Pilot\n","12,000","Safety-Impacting\n",2024-03-01,Acme,Blue\n'
    "Timetable helper,Admin,in production,1.2k,Neither,4/1/2023,,\n"
    'Reading coach,English,Live,~90,"Safety-impacting",FY2023,Acme ,\n'
)


def test_messy_values_are_normalised(tmp_path: Path) -> None:
    table = _csv(tmp_path, MESSY)
    mapping = Mapping.from_fields(suggest_mapping(table.headers))
    assert mapping.fields() == {
        "Use case": "name",
        "Dept": "department",
        "Status": "stage",
        "People affected": "people_affected",
        "Rights/safety impacting": "impact_type",
        "Go-live": "go_live",
        "Vendor": "vendor_name",
        "Colour": None,
    }
    rows = apply_mapping(table, mapping)
    assert [r.problems for r in rows] == [[], [], []]
    first, second, third = (r.values for r in rows)
    assert first == {
        "name": "Essay marker",
        "department": "English",
        "stage": "pilot",
        "people_affected": 12000,
        "rights_impacting": False,
        "safety_impacting": True,
        "go_live": dt.date(2024, 3, 1),
        "vendor_name": "Acme",
    }
    assert second["people_affected"] == 1200
    assert second["stage"] == "production"
    assert second["go_live"] == dt.date(2023, 4, 1)
    assert (second["rights_impacting"], second["safety_impacting"]) == (False, False)
    assert third["stage"] == "production"
    assert third["go_live"] == dt.date(2022, 10, 1)
    assert [str(w) for w in rows[2].warnings] == [
        'register.csv, row 4, column "Go-live" (F): "FY2023" is approximate: read as 1 October 2022'
    ]
    assert rows[0].extra == {"Colour": "Blue"}
    assert rows[1].extra == {}


def _uses_workbook(path: Path, bad_row: int = 14) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Uses"
    sheet.append(["Name", "Department", "Stage", "Vendor", "Purpose", "People affected"])
    for number in range(2, 20):
        people: object = "lots" if number == bad_row else number * 100
        sheet.append([f"Use {number}", "IT", "Pilot", "Acme", "Helps", people])
    book.save(path)
    return path


def test_bad_number_names_file_sheet_row_and_column(tmp_path: Path) -> None:
    table = read_table(_uses_workbook(tmp_path / "inventory.xlsx"))
    rows = apply_mapping(table, Mapping.from_fields(suggest_mapping(table.headers)))
    assert not [r for r in rows if r.problems]  # reach is a factor: unknown, with a warning
    bad = [r for r in rows if any("People affected" in str(w) for w in r.warnings)]
    assert [r.source_row for r in bad] == [14]
    assert str(bad[0].warnings[0]).startswith(
        'inventory.xlsx, sheet "Uses", row 14, column "People affected" (F): '
        '"lots" has no number riskdesk can read as a count; People affected per year is '
        "left unknown"
    )
    assert "people_affected" not in bad[0].values
    assert rows[0].values["people_affected"] == 200


def test_problem_string_without_sheet_or_column() -> None:
    assert (
        str(ImportProblem("uses.csv", "too many rows", row=3)) == "uses.csv, row 3: too many rows"
    )
    assert str(ImportProblem("uses.csv", "bad", column_letter="C")) == "uses.csv, column C: bad"


def test_missing_name_column_is_a_file_error(tmp_path: Path) -> None:
    table = _csv(tmp_path, "Dept,Stage\nIT,Pilot\n", "inventory.csv")
    with pytest.raises(ImportFileError) as caught:
        apply_mapping(table, Mapping.from_fields(suggest_mapping(table.headers)))
    message = str(caught.value)
    assert message.startswith("inventory.csv: no column holds the AI use's name")
    assert 'Columns found: A "Dept", B "Stage"' in message


def test_per_column_translation_and_wildcard(tmp_path: Path) -> None:
    table = _csv(tmp_path, "Tool,Status,PII?\nBot,Live,Y\nCam,Shelved,N\nPen,Odd,maybe\n")
    mapping = Mapping(
        columns={
            "Tool": ColumnMap(field="name"),
            "Status": ColumnMap(field="stage", translate={"LIVE": "production", "*": "idea"}),
            "PII?": ColumnMap(
                field="data_sensitivity", translate={"y": "personal", "n": "internal"}
            ),
        }
    )
    rows = apply_mapping(table, mapping)
    assert [r.values.get("stage") for r in rows] == ["production", "idea", "idea"]
    assert [r.values.get("data_sensitivity") for r in rows] == ["personal", "internal", None]
    # Data sensitivity is an exposure factor: an unreadable answer is unknown, warned.
    assert rows[2].problems == []
    assert [str(p) for p in rows[2].warnings] == [
        'register.csv, row 4, column "PII?" (C): "maybe" is not one of: Public, Internal, '
        "Personal, Sensitive, Children's or special-category; Data sensitivity is left "
        "unknown (map this answer in the column mapping's value map to set it)"
    ]


def test_unknown_answer_can_be_a_warning_that_keeps_the_default(tmp_path: Path) -> None:
    table = _csv(tmp_path, "Name,Stage\nBot,Someday\n")
    mapping = Mapping(
        columns={
            "Name": ColumnMap(field="name"),
            "Stage": ColumnMap(field="stage", on_unknown="warn"),
        }
    )
    (row,) = apply_mapping(table, mapping)
    assert row.problems == []
    assert "stage" not in row.values
    assert row.extra == {"Stage": "Someday"}  # the answer is not lost
    assert "Stage was left as it is" in row.warnings[0].reason


def test_several_columns_fill_one_field(tmp_path: Path) -> None:
    table = _csv(
        tmp_path,
        "Agency,Bureau,Name,Purpose,Outputs,Public info,Public service\n"
        "DHS,CBP,Scanner,Find contraband,Alerts,No,Yes\n"
        "DHS,DHS,Chat,,Answers,no,no\n",
    )
    mapping = Mapping(
        columns={
            "Agency": ColumnMap(field="department"),
            "Bureau": ColumnMap(field="department"),
            "Name": ColumnMap(field="name"),
            "Purpose": ColumnMap(field="purpose"),
            "Outputs": ColumnMap(field="purpose", label="Outputs"),
            "Public info": ColumnMap(field="public_facing"),
            "Public service": ColumnMap(field="public_facing"),
        }
    )
    first, second = (r.values for r in apply_mapping(table, mapping))
    assert first["department"] == "DHS / CBP"
    assert first["purpose"] == "Find contraband\n\nOutputs: Alerts"
    assert first["public_facing"] is True  # any column saying yes
    assert second["department"] == "DHS"  # said once
    assert second["purpose"] == "Outputs: Answers"
    assert second["public_facing"] is False


def test_keep_original_puts_the_raw_answer_in_extra(tmp_path: Path) -> None:
    table = _csv(tmp_path, "Name,Stage,Go-live\nBot,Operation and Maintenance,2024-03-01\n")
    mapping = Mapping(
        columns={
            "Name": ColumnMap(field="name"),
            "Stage": ColumnMap(field="stage", keep_original=True),
            "Go-live": ColumnMap(),
        }
    )
    (row,) = apply_mapping(table, mapping)
    assert row.values == {"name": "Bot", "stage": "production"}
    assert row.extra == {"Stage": "Operation and Maintenance", "Go-live": "2024-03-01"}


def test_extra_is_json_safe_for_workbook_values(tmp_path: Path) -> None:
    path = tmp_path / "typed.xlsx"
    book = openpyxl.Workbook()
    book.active.append(["Name", "Reviewed", "Count", "Flag"])
    book.active.append(["Bot", dt.datetime(2024, 3, 1), 7, True])
    book.save(path)
    table = read_table(path)
    (row,) = apply_mapping(table, Mapping.from_fields({"Name": "name"}))
    assert row.extra == {"Reviewed": "2024-03-01", "Count": 7, "Flag": True}
    json.dumps(row.extra)


def test_duplicates_stay_separate_and_are_flagged(tmp_path: Path) -> None:
    table = _csv(tmp_path, "Name,Department\nChatbot,IT\nChatbot,HR\n chatbot ,it\nOther,IT\n")
    rows = apply_mapping(table, Mapping.from_fields(suggest_mapping(table.headers)))
    assert len(rows) == 4
    assert [len(r.warnings) for r in rows] == [1, 0, 1, 0]
    assert str(rows[0].warnings[0]) == (
        'register.csv, row 2, column "Name" (A): same department and name as row 4: '
        "imported as a separate AI use, not merged"
    )


def test_empty_name_is_a_problem_or_a_named_warning(tmp_path: Path) -> None:
    table = _csv(tmp_path, "Name,Department,Stage\n,IT,Pilot\nBot,IT,Pilot\n")
    (unnamed, _named) = apply_mapping(table, Mapping.from_fields(suggest_mapping(table.headers)))
    assert [str(p) for p in unnamed.problems] == [
        'register.csv, row 2, column "Name" (A): the name is empty: every AI use needs a name'
    ]
    lenient = Mapping.from_fields(suggest_mapping(table.headers), unnamed="warn")
    (unnamed, _named) = apply_mapping(table, lenient)
    assert unnamed.problems == []
    assert unnamed.values["name"] == "Unnamed use (row 2)"


def test_footnote_row_is_skipped_not_a_problem(tmp_path: Path) -> None:
    table = _csv(tmp_path, "Name,Department,Stage\nBot,IT,Pilot\n,,Source: the IT team\n")
    rows = apply_mapping(table, Mapping.from_fields(suggest_mapping(table.headers)))
    assert rows[1].problems == []
    assert rows[1].skip_reason is not None


def test_skip_rows_by_answer(tmp_path: Path) -> None:
    table = _csv(tmp_path, "Name,In use?\nBot,Y\nCam,N\nPen,\n")
    mapping = Mapping.from_fields({"Name": "name"}, skip_rows={"In use?": ["n", ""]})
    rows = apply_mapping(table, mapping)
    assert [r.skip_reason for r in rows] == [None, '"In use?" is "N"', '"In use?" is empty']


def test_saved_mapping_matches_headers_loosely_and_reports_missing_ones(tmp_path: Path) -> None:
    table = _csv(tmp_path, "use CASE,Dept.\nBot,IT\n")
    mapping = Mapping.from_fields(
        {"Use case": "name", "Dept": "department", "Owner": "owner_first_name"}
    )
    (row,) = apply_mapping(table, mapping)
    assert row.values == {"name": "Bot", "department": "IT"}
    assert [w.reason for w in check_mapping(table, mapping)] == [
        'the mapping expects a column "Owner", which this file does not have'
    ]


def test_relational_and_owner_fields_pass_through_as_text(tmp_path: Path) -> None:
    table = _csv(
        tmp_path,
        "Name,Vendor,Owner,2nd line,3rd line\nBot, OpenAI ,Ann Lee,Raj Patel,Internal Audit Team\n",
    )
    (row,) = apply_mapping(table, Mapping.from_fields(suggest_mapping(table.headers)))
    assert row.values == {
        "name": "Bot",
        "vendor_name": "OpenAI",
        "owner_first_name": "Ann Lee",
        "owner_second_name": "Raj Patel",
        "owner_third_name": "Internal Audit Team",
    }
