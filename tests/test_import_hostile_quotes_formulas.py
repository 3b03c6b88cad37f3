"""Two hostile-import cases of issue 16 that used to go wrong quietly.

A CSV quote that never closes made the csv module read the rest of the file as one
cell (later rows merged into it); a workbook formula saved without its value read as
an empty cell, so a formula Name was reported as "the name is empty".
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import openpyxl
import pytest

from riskdesk.cli.main import main
from riskdesk.importers.errors import ImportFileError
from riskdesk.importers.limits import ReadLimits, read_limits
from riskdesk.importers.mapped_rows import apply_mapping
from riskdesk.importers.mapping import (
    Mapping,
    is_known_header,
    suggest_mapping,
)
from riskdesk.importers.tables import read_table
from tests.conftest import dump


def run_import(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    capsys.readouterr()
    code = main(["import", *argv])
    out = capsys.readouterr()
    return code, out.out + out.err


def seeded_db(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    db = tmp_path / "register.db"
    seed = tmp_path / "seed.csv"
    seed.write_text("Name,Department\nMeeting notes summariser,Legal\n", encoding="utf-8")
    assert run_import(capsys, str(seed), "--db", str(db))[0] == 0
    return db


# --- an unterminated CSV quote ------------------------------------------------------------

UNCLOSED = (
    "Name,Department,Notes\n"
    'Chat assistant,Support,"answers customers"\n'
    'CV screening,"HR,ranks applicants\n'
    "Fraud scoring,Finance,flags payments\n"
    "Grant triage,Grants,sorts applications\n"
)


def test_an_unclosed_quote_names_its_row_and_column(tmp_path: Path) -> None:
    path = tmp_path / "uses.csv"
    path.write_text(UNCLOSED, encoding="utf-8")
    with pytest.raises(ImportFileError) as caught:
        read_table(path, known_header=is_known_header)
    message = str(caught.value)
    assert message.startswith('uses.csv, row 3, column "Department" (B): a quote opened')
    assert "is never closed: the rest of the file would be read as one cell" in message
    assert "line 3" in message
    assert "\n" not in message


def test_an_unclosed_quote_leaves_the_register_unchanged(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = seeded_db(tmp_path, capsys)
    before = dump(db)
    path = tmp_path / "uses.csv"
    path.write_text(UNCLOSED, encoding="utf-8")
    for extra in ((), ("--skip-invalid",)):
        code, out = run_import(capsys, str(path), "--db", str(db), *extra)
        assert code != 0
        assert "row 3" in out and "never closed" in out
        assert "Traceback" not in out
    assert dump(db) == before


def test_an_unclosed_quote_in_the_header_row(tmp_path: Path) -> None:
    path = tmp_path / "uses.csv"
    path.write_text('Name,"Department\nChat assistant,Support\n', encoding="utf-8")
    with pytest.raises(ImportFileError, match=r"row 1, column B: a quote opened"):
        read_table(path)


def test_an_unclosed_quote_is_named_before_the_cell_length_limit(tmp_path: Path) -> None:
    """The swallowed rest of a big file is one huge cell; the quote is the cause to name."""
    path = tmp_path / "uses.csv"
    body = "".join(f"Use {i},Dept {i},note {i}\n" for i in range(200))
    path.write_text('Name,Department,Notes\nFirst,"Sales,x\n' + body, encoding="utf-8")
    quote = r'row 2, column "Department" \(B\): a quote'
    with read_limits(ReadLimits(cell_chars=500)), pytest.raises(ImportFileError, match=quote):
        read_table(path, known_header=is_known_header)


@pytest.mark.parametrize(
    "text",
    [
        # a closed multi-line quote in the last row, with doubled quotes inside
        'Name,Notes\nChat assistant,"first line\nsecond ""quoted"" line"\n',
        # quotes that do not start a field are plain characters
        'Name,Notes\nChat assistant,says "hi\nCV screening,ok\n',
        # text after a closing quote runs on to the delimiter
        'Name,Notes\nChat assistant,"a"b"\nCV screening,ok\n',
    ],
)
def test_closed_or_literal_quotes_still_read(tmp_path: Path, text: str) -> None:
    path = tmp_path / "uses.csv"
    path.write_text(text, encoding="utf-8")
    table = read_table(path, known_header=is_known_header)
    assert table.rows[0].values[0] == "Chat assistant"
    assert all("\n" not in str(v) or "line" in str(v) for r in table.rows for v in r.values)


def test_a_quote_opened_on_the_last_line_is_caught(tmp_path: Path) -> None:
    path = tmp_path / "uses.csv"
    path.write_text('Name,Notes\nChat assistant,ok\nCV screening,"ranks\n', encoding="utf-8")
    with pytest.raises(ImportFileError, match=r'row 3, column "Notes" \(B\)'):
        read_table(path, known_header=is_known_header)


# --- a formula with no value saved ------------------------------------------------------


def formula_book(path: Path) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Uses"
    sheet.append(["Name", "Department", "People affected", "First", "Last"])
    sheet.append(["=D2&E2", "Support", "=2*600", "Chat", "assistant"])
    sheet.append(["CV screening", "HR", 800, "", ""])
    sheet.append(["Fraud scoring", "Finance", "=C3*2", "", ""])
    book.save(path)  # openpyxl saves formulas without a value: it does not calculate
    return path


def test_a_formula_name_is_reported_as_a_formula(tmp_path: Path) -> None:
    table = read_table(formula_book(tmp_path / "uses.xlsx"), known_header=is_known_header)
    assert table.formulas == {(2, 0): "=D2&E2", (2, 2): "=2*600", (4, 2): "=C3*2"}
    rows = apply_mapping(table, Mapping.from_fields(suggest_mapping(table.headers)))
    first = rows[0]
    assert [str(p) for p in first.problems] == [
        'uses.xlsx, sheet "Uses", row 2, column "Name" (A): the cell holds a formula '
        "(=D2&E2) with no value saved, and riskdesk does not run formulas, so the name is "
        "unknown; in Excel, copy the column and paste it back as values, then save"
    ]
    assert not any("name is empty" in str(p) for p in first.problems + first.warnings)
    people = [str(w) for w in first.warnings if "People affected" in str(w)]
    assert people and "(=2*600) with no value saved" in people[0]
    assert "it was read as empty" in people[0]
    assert rows[1].problems == [] and rows[1].values["name"] == "CV screening"
    assert rows[2].problems == [] and "(=C3*2)" in str(rows[2].warnings[0])


def test_a_formula_name_is_an_error_even_where_unnamed_rows_are_allowed(tmp_path: Path) -> None:
    table = read_table(formula_book(tmp_path / "uses.xlsx"), known_header=is_known_header)
    mapping = Mapping.from_fields(suggest_mapping(table.headers), unnamed="warn")
    first = apply_mapping(table, mapping)[0]
    assert first.problems and "holds a formula (=D2&E2)" in str(first.problems[0])
    assert "name" not in first.values


def test_a_row_of_formulas_only_is_not_dropped_as_empty(tmp_path: Path) -> None:
    path = tmp_path / "uses.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Name", "Department", "Notes"])
    sheet.append(["=B3", None, None])
    sheet.append(["Chat assistant", "Support", "answers customers"])
    book.save(path)
    table = read_table(path, known_header=is_known_header)
    assert [r.number for r in table.rows] == [2, 3]
    rows = apply_mapping(table, Mapping.from_fields(suggest_mapping(table.headers)))
    assert rows[0].skip_reason is None
    assert "holds a formula (=B3)" in str(rows[0].problems[0])


def test_a_formula_with_its_value_saved_reads_the_value(tmp_path: Path) -> None:
    """Excel saves the result beside the formula; that value is what is imported."""
    path = formula_book(tmp_path / "uses.xlsx")
    with zipfile.ZipFile(path) as archive:
        parts = {n: archive.read(n) for n in archive.namelist()}
    sheet = next(n for n in parts if n.startswith("xl/worksheets/sheet"))
    parts[sheet] = (
        parts[sheet]
        .replace(b"<f>D2&amp;E2</f><v />", b"<f>D2&amp;E2</f><v>Chat assistant</v>")
        .replace(b'<c r="A2">', b'<c r="A2" t="str">')
    )
    assert b"<v>Chat assistant</v>" in parts[sheet]
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    table = read_table(path, known_header=is_known_header)
    assert (2, 0) not in table.formulas
    rows = apply_mapping(table, Mapping.from_fields(suggest_mapping(table.headers)))
    assert rows[0].values["name"] == "Chat assistant" and rows[0].problems == []


def test_a_formula_name_leaves_the_register_unchanged(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = seeded_db(tmp_path, capsys)
    before = dump(db)
    code, out = run_import(capsys, str(formula_book(tmp_path / "uses.xlsx")), "--db", str(db))
    assert code != 0
    assert 'row 2, column "Name" (A): the cell holds a formula (=D2&E2)' in out
    assert "name is empty" not in out and "Traceback" not in out
    assert dump(db) == before
