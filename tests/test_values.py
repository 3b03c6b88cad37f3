"""riskdesk.values: the one reader of yes/no, whole numbers and dates, strict and lenient."""

from __future__ import annotations

import datetime as dt

import pytest

from riskdesk.catalogue.suggest import RuleError, parse_clause
from riskdesk.fileformat.schema import RULES
from riskdesk.service.validation import coerce
from riskdesk.values import (
    STRICT_FALSE,
    STRICT_TRUE,
    BadValue,
    parse_bool,
    parse_date,
    parse_datetime,
    parse_int,
)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [(True, True), (0, False), (1.0, True), ("TRUE", True), (" no ", False), ("Y", True)],
)
def test_strict_yes_no_reads_what_programs_write(raw: object, expected: bool) -> None:
    assert parse_bool(raw, strict=True).value is expected


@pytest.mark.parametrize("raw", ["x", "✓", "on", "unknown", "n/a", "Yes - mostly", "", 2, 0.5])
def test_strict_yes_no_refuses_what_only_people_write(raw: object) -> None:
    with pytest.raises(BadValue, match="is not TRUE or FALSE"):
        parse_bool(raw, strict=True)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("x", True), ("✓", True), ("Off", False), ("Yes.", True), ("Yes - logs hold ids", True)],
)
def test_lenient_yes_no_reads_what_people_write(raw: str, expected: bool) -> None:
    assert parse_bool(raw).value is expected


def test_lenient_yes_no_keeps_not_known_unknown() -> None:
    assert parse_bool("unknown").value is None
    assert parse_bool("N/A").value is None
    with pytest.raises(BadValue, match="is not yes or no"):
        parse_bool("maybe")


def test_strict_words_mean_the_same_when_lenient() -> None:
    for word in STRICT_TRUE | STRICT_FALSE:
        assert (
            parse_bool(word).value is parse_bool(word, strict=True).value is (word in STRICT_TRUE)
        )


@pytest.mark.parametrize(
    ("raw", "expected"),
    [(-3, -3), ("-3", -3), ("12,000", 12000), ("3.0", 3), (7.0, 7), (str(2**63 - 1), 2**63 - 1)],
)
def test_strict_int(raw: object, expected: int) -> None:
    assert parse_int(raw, strict=True).value == expected


@pytest.mark.parametrize(
    "raw", [True, "1.5", "1.2k", "~500", "1,000-5,000", "N/A", "1e400", str(2**63), "9" * 5000]
)
def test_strict_int_refuses_anything_it_would_have_to_guess(raw: object) -> None:
    with pytest.raises(BadValue):
        parse_int(raw, strict=True)


def test_lenient_int_guesses_and_says_so() -> None:
    parsed = parse_int("1,000-5,000")
    assert parsed.value == 5000 and parsed.note is not None
    assert parse_int("unknown").value is None
    with pytest.raises(BadValue, match="cannot be negative"):
        parse_int("-3")


def test_strict_date_is_iso_only() -> None:
    assert parse_date("2024-03-05", strict=True).value == dt.date(2024, 3, 5)
    assert parse_date("2024-03-05 10:00", strict=True).value == dt.date(2024, 3, 5)
    for raw in ("03/05/2024", "FY2024", "unknown"):
        with pytest.raises(BadValue, match="YYYY-MM-DD"):
            parse_date(raw, strict=True)
    assert parse_date("03/05/2024").value == dt.date(2024, 3, 5)  # lenient: month first


def test_datetime_is_utc_to_the_second() -> None:
    stamp = parse_datetime("2024-03-05 10:00:00.6").value
    assert stamp == dt.datetime(2024, 3, 5, 10, 0, 1, tzinfo=dt.UTC)
    local = parse_datetime("2024-03-05T12:00:00+02:00").value
    assert local == dt.datetime(2024, 3, 5, 10, 0, tzinfo=dt.UTC)
    with pytest.raises(BadValue, match="date and time"):
        parse_datetime("soon")


def test_service_reads_yes_no_with_the_lenient_words() -> None:
    """A form or CLI field takes the words an import takes; 'not known' is refused."""
    rule = RULES["ai_use"]["board_reporting"]
    assert coerce(rule, "✔") is True and coerce(rule, "none") is False
    assert coerce(rule, None) is False and coerce(rule, "") is False
    with pytest.raises(ValueError, match="is not yes or no"):
        coerce(rule, "unknown")
    assert coerce(RULES["ai_use"]["dev_prod_separated"], "unknown") is None
    # Generative nobody gave is not stated, not "no".
    generative = RULES["ai_use"]["generative"]
    assert coerce(generative, "✔") is True and coerce(generative, "none") is False
    assert coerce(generative, None) is None and coerce(generative, "") is None


def test_suggestion_rules_read_yes_no_strictly() -> None:
    assert parse_clause("generative = yes").values == (True,)
    assert parse_clause("generative = FALSE").values == (False,)
    with pytest.raises(RuleError, match="true or false"):
        parse_clause("generative = x")


def test_service_bounds_whole_numbers() -> None:
    """Numbers SQLite cannot store, or more people than live on Earth, are refused."""
    people = RULES["ai_use"]["people_affected"]
    assert coerce(people, "10,000,000,000") == 10**10
    for raw in ("10,000,000,001", 2**63, "9" * 5000, float("inf")):
        with pytest.raises(ValueError):
            coerce(people, raw)
    with pytest.raises(ValueError, match="too large"):
        coerce(RULES["review"]["exposure"], 2**63)
