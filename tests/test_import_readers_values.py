"""Reading the values people type: numbers, yes/no, dates, enumerations."""

from __future__ import annotations

import datetime as dt

import pytest

from riskdesk.enums import Autonomy, DataSensitivity, Stage
from riskdesk.importers.fields import VALUE_SYNONYMS
from riskdesk.importers.values import (
    BadValue,
    parse_bool,
    parse_date,
    parse_enum,
    parse_impact,
    parse_int,
    value_key,
)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (1200, 1200),
        (3.0, 3),
        ("12,000", 12000),
        ("12 000", 12000),
        ("12\u00a0000", 12000),
        ("1.2k", 1200),
        ("2M", 2_000_000),
        ("1.5 million", 1_500_000),
        ("~500", 500),
        ("about 500", 500),
        ("1.500.000", 1_500_000),
        (" 40\n", 40),
        ("N/A", None),
        ("unknown", None),
    ],
)
def test_whole_numbers(raw: object, expected: int | None) -> None:
    parsed = parse_int(raw)
    assert parsed.value == expected
    assert parsed.note is None


def test_a_number_with_a_plus_is_read_as_its_least_and_says_so() -> None:
    parsed = parse_int("10,000+")
    assert parsed.value == 10000
    assert parsed.note == '"10,000+" means at least 10,000: read as 10,000'
    assert parse_int("2k+").note == '"2k+" means at least 2,000: read as 2,000'


def test_range_reads_as_upper_bound_with_a_note() -> None:
    parsed = parse_int("1,000-5,000")
    assert parsed.value == 5000
    assert parsed.note == 'the range "1,000-5,000" was read as its upper bound 5,000'
    assert parse_int("10 to 50").value == 50


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("lots", '"lots" is not a whole number'),
        ("12.5", '"12.5" is not a whole number'),
        (12.5, '"12.5" is not a whole number'),
        ("-5", '"-5" cannot be negative'),
        (-5, '"-5" cannot be negative'),
        (True, '"True" is not a whole number'),
        ("12 people", '"12 people" is not a whole number'),
        ("500-100", '"500-100" is not a range from low to high'),
    ],
)
def test_bad_whole_numbers(raw: object, reason: str) -> None:
    with pytest.raises(BadValue) as caught:
        parse_int(raw)
    assert caught.value.reason == reason


def test_european_thousands_are_refused_as_ambiguous() -> None:
    with pytest.raises(BadValue, match="ambiguous"):
        parse_int("12.000")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("yes", True), ("Y", True), ("TRUE", True), ("1", True), ("x", True), ("✓", True),
        (" Yes\n", True), ("no", False), ("N", False), ("false", False), ("0", False),
        (True, True), (0, False), (1.0, True),
        ("Yes - System logs may contain user identifiers", True),
        ("No.  Engineering Review and Release instead.", False),
        ("N/A", None), ("unknown", None),
    ],
)  # fmt: skip
def test_yes_no(raw: object, expected: bool | None) -> None:
    assert parse_bool(raw).value is expected


@pytest.mark.parametrize("raw", ["maybe", "Yesterday", 2, "sometimes"])
def test_bad_yes_no(raw: object) -> None:
    with pytest.raises(BadValue, match="is not yes or no"):
        parse_bool(raw)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (dt.date(2024, 3, 1), dt.date(2024, 3, 1)),
        (dt.datetime(2024, 3, 1, 9, 30), dt.date(2024, 3, 1)),
        ("2023-04-01", dt.date(2023, 4, 1)),
        ("2023-04-01 00:00:00", dt.date(2023, 4, 1)),
        ("2023-04-01T12:30:00Z", dt.date(2023, 4, 1)),
        ("2023/04/01", dt.date(2023, 4, 1)),
        ("4/1/2023", dt.date(2023, 4, 1)),  # US month/day/year, as in the OMB files
        ("5/11/2023", dt.date(2023, 5, 11)),
        ("13/4/2023", dt.date(2023, 4, 13)),  # 13 cannot be a month: day first
        ("1.4.2023", dt.date(2023, 4, 1)),  # dotted dates are day first
        ("4/1/23", dt.date(2023, 4, 1)),
        ("5 March 2023", dt.date(2023, 3, 5)),
        ("March 5, 2023", dt.date(2023, 3, 5)),
        ("1-Mar-2023", dt.date(2023, 3, 1)),
        (45000, dt.date(2023, 3, 15)),  # an unformatted Excel serial day number
    ],
)
def test_exact_dates(raw: object, expected: dt.date) -> None:
    parsed = parse_date(raw)
    assert parsed.value == expected
    assert parsed.note is None


def test_day_first_option() -> None:
    assert parse_date("4/1/2023", day_first=True).value == dt.date(2023, 1, 4)
    assert parse_date("4/13/2023", day_first=True).value == dt.date(2023, 4, 13)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2023", dt.date(2023, 1, 1)),
        (2023, dt.date(2023, 1, 1)),
        ("2022-08", dt.date(2022, 8, 1)),
        ("08/2022", dt.date(2022, 8, 1)),
        ("Aug 2022", dt.date(2022, 8, 1)),
        ("24-Nov", dt.date(2024, 11, 1)),  # Excel's rendering of November 2024
        ("FY2023", dt.date(2022, 10, 1)),  # US federal fiscal year starts 1 October
        ("FY 23", dt.date(2022, 10, 1)),
        ("Q4FY25", dt.date(2025, 7, 1)),
        ("Q2 2024", dt.date(2024, 4, 1)),
    ],
)
def test_approximate_dates_take_the_first_day_with_a_note(raw: object, expected: dt.date) -> None:
    parsed = parse_date(raw)
    assert parsed.value == expected
    assert parsed.note is not None
    assert "approximate" in parsed.note
    assert expected.strftime("%B %Y") in parsed.note


def test_fiscal_year_start_month_is_configurable() -> None:
    assert parse_date("FY2024", fy_start_month=1).value == dt.date(2024, 1, 1)
    assert parse_date("FY2024", fy_start_month=7).value == dt.date(2023, 7, 1)


def test_trailing_remark_is_dropped_with_a_note() -> None:
    parsed = parse_date("2024-10-16 (pilot licenses assigned)")
    assert parsed.value == dt.date(2024, 10, 16)
    assert parsed.note is not None and "remark was left out" in parsed.note


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("Ongoing", '"Ongoing" is not a date (write it as YYYY-MM-DD)'),
        ("2023-02-30", '"2023-02-30" is not a real date'),
        ("10/12023", '"10/12023" is not a date (write it as YYYY-MM-DD)'),
        (True, '"True" is not a date'),
    ],
)
def test_bad_dates(raw: object, reason: str) -> None:
    with pytest.raises(BadValue) as caught:
        parse_date(raw)
    assert caught.value.reason == reason


def test_empty_answers_are_no_date() -> None:
    assert parse_date("N/A").value is None
    assert parse_date("TBD").value is None


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Production", "production"),
        (" production\n", "production"),
        ("PILOT", "pilot"),
        ("In production", "production"),
        ("Operation and Maintenance", "production"),
        ("Acquisition and/or Development", "development"),
        ("Implementation and Assessment", "pilot"),
        ("Initiated", "idea"),
        ("decommissioned", "retired"),
    ],
)
def test_stage_values_labels_and_synonyms(raw: str, expected: str) -> None:
    assert parse_enum(Stage, raw, VALUE_SYNONYMS[Stage]).value == expected


def test_enum_labels_in_any_case() -> None:
    assert parse_enum(DataSensitivity, "children's OR special-category").value == "children_special"
    assert parse_enum(Autonomy, "Agent with read-only tools").value == "agent_read"
    assert parse_enum(Autonomy, "agent_write_approval").value == "agent_write_approval"


def test_bad_enum_lists_the_choices() -> None:
    with pytest.raises(BadValue) as caught:
        parse_enum(Stage, "Someday", VALUE_SYNONYMS[Stage])
    assert caught.value.reason == (
        '"Someday" is not one of: Not stated, Idea, Development, Pilot, Production, Retired'
    )


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Safety-impacting", (False, True)),
        ("Safety-Impacting\n", (False, True)),
        ("Rights-Impacting\n", (True, False)),
        ("rights impacting", (True, False)),
        ("Both", (True, True)),
        ("Rights- and safety-impacting", (True, True)),
        ("rights/safety", (True, True)),
        ("Neither", (False, False)),
        ("none", (False, False)),
    ],
)
def test_rights_safety_one_column(raw: str, expected: tuple[bool, bool]) -> None:
    assert parse_impact(raw).value == expected


def test_rights_safety_unreadable() -> None:
    with pytest.raises(BadValue, match="Rights-impacting, Safety-impacting, Both, Neither"):
        parse_impact("No, use case is too new to fully assess impacts")


def test_value_key_ignores_case_space_dashes_and_full_stop() -> None:
    assert value_key("Rights–Impacting.\n") == value_key("  rights-impacting")
    assert value_key("The system’s outputs") == "the system's outputs"
