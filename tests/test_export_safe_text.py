"""Formula injection, control characters and long text: the rules every export follows."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from riskdesk.fileformat.safe_text import (
    TRUNCATION_MARKER,
    XLSX_CELL_LIMIT,
    csv_cell,
    is_formula_like,
    strip_control,
    xlsx_text,
)
from riskdesk.reports import unescape_csv_cell

HOSTILE = ['=HYPERLINK("http://x","y")', "+1", "@SUM(A1)", "-2+3", "\tTAB", "\rCR=1"]


def test_hostile_text_gets_one_quote_in_csv_and_comes_back() -> None:
    for text in HOSTILE:
        escaped = csv_cell(text)
        assert escaped == "'" + text
        assert unescape_csv_cell(escaped) == text


def test_harmless_text_is_left_alone() -> None:
    for text in ("Essay grading", "12", "2026-11-01", "a=b", "Ελληνικά", "Кириллица", ""):
        assert csv_cell(text) == text
        assert unescape_csv_cell(text) == text
        assert not is_formula_like(text)


def test_a_leading_quote_is_escaped_too_so_unescaping_is_unambiguous() -> None:
    assert csv_cell("'quoted'") == "''quoted'"
    assert unescape_csv_cell(csv_cell("'quoted'")) == "'quoted'"
    assert unescape_csv_cell(csv_cell("'=1+1")) == "'=1+1"


@given(st.text())
def test_csv_round_trip_for_any_text_without_control_characters(text: str) -> None:
    clean = strip_control(text)
    assert unescape_csv_cell(csv_cell(clean)) == clean
    assert not is_formula_like(csv_cell(clean))


def test_control_characters_are_removed_but_tabs_and_newlines_kept() -> None:
    assert strip_control("a\x00b\x07c\x1fd") == "abcd"
    assert strip_control("line 1\nline 2\r\n\tend") == "line 1\nline 2\r\n\tend"
    assert csv_cell("\x01=x") == "'=x"  # removing the control character exposes "="


def test_xlsx_text_is_cut_to_the_cell_limit_with_a_visible_marker() -> None:
    long = "x" * (XLSX_CELL_LIMIT + 10)
    cut = xlsx_text(long)
    assert len(cut) == XLSX_CELL_LIMIT
    assert cut.endswith(TRUNCATION_MARKER)
    exact = "y" * XLSX_CELL_LIMIT
    assert xlsx_text(exact) == exact
