"""Reading spreadsheets and CSV files into RawTable: encodings, delimiters, layout quirks
and files that are not spreadsheets at all."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

import openpyxl
import pytest

from riskdesk.importers.errors import ImportFileError
from riskdesk.importers.mapping import is_known_header
from riskdesk.importers.tables import list_sheets, read_table

HEADERS = ["Name", "Department", "Stage", "People affected"]
ROWS = [
    ["Essay marker", "English", "Pilot", "1200"],
    ["Timetable helper", "Admin; Ops", "Production", "40"],
    ["Café chatbot ’24", "Catering, front desk", "Idea", ""],
]


def _csv_text(delimiter: str, rows: list[list[str]] | None = None) -> str:
    def cell(value: str) -> str:
        needs_quotes = any(ch in value for ch in (delimiter, '"', "\n", ",", ";"))
        return '"' + value.replace('"', '""') + '"' if needs_quotes else value

    lines = [delimiter.join(cell(v) for v in row) for row in [HEADERS, *(rows or ROWS)]]
    return "\r\n".join(lines) + "\r\n"


def _write_xlsx(path: Path, sheets: dict[str, list[list[object]]]) -> Path:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    book.save(path)
    return path


@pytest.mark.parametrize(
    ("encoding", "prefix", "expected_encoding"),
    [
        ("utf-8", b"", "utf-8"),
        ("utf-8", b"\xef\xbb\xbf", "utf-8-sig"),
        ("cp1252", b"", "cp1252"),
        ("utf-16", b"", "utf-16"),  # Excel's "Unicode text" export
    ],
)
def test_csv_encodings_decode_to_the_same_table(
    tmp_path: Path, encoding: str, prefix: bytes, expected_encoding: str
) -> None:
    path = tmp_path / "register.csv"
    path.write_bytes(prefix + _csv_text(",").encode(encoding))
    table = read_table(path)
    assert table.encoding == expected_encoding
    assert table.headers == HEADERS
    assert table.rows[2].values[0] == "Café chatbot ’24"  # é and ’ survive every encoding
    assert table.rows[2].values[3] is None


def test_cp1252_file_that_is_not_utf8_falls_back(tmp_path: Path) -> None:
    path = tmp_path / "v2.csv"
    path.write_bytes("Name,Purpose\r\nBot,The system\x92s outputs\r\n".encode("latin-1"))
    table = read_table(path)
    assert table.encoding == "cp1252"
    assert table.rows[0].values == ["Bot", "The system’s outputs"]


@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"])
def test_csv_delimiters_are_sniffed(tmp_path: Path, delimiter: str) -> None:
    path = tmp_path / "register.csv"
    path.write_text(_csv_text(delimiter), encoding="utf-8")
    table = read_table(path)
    assert table.delimiter == delimiter
    assert table.headers == HEADERS
    assert [r.values[1] for r in table.rows] == ["English", "Admin; Ops", "Catering, front desk"]


def test_header_below_title_rows_and_empty_rows_are_skipped(tmp_path: Path) -> None:
    path = tmp_path / "register.csv"
    path.write_text(
        "AI register — Springfield School District\n"
        "Exported 2026-01-05\n"
        "\n"
        "Name,Department,Stage,People affected\n"
        "Essay marker,English,Pilot,1200\n"
        ",,,\n"
        "\n"
        "Timetable helper,Admin,Production,40\n",
        encoding="utf-8",
    )
    table = read_table(path, known_header=is_known_header)
    assert table.header_row == 4
    assert table.headers == HEADERS
    # Row numbers are the spreadsheet's, so messages point at the right line.
    assert [(r.number, r.values[0]) for r in table.rows] == [
        (5, "Essay marker"),
        (8, "Timetable helper"),
    ]


def test_header_found_without_known_headers_by_width(tmp_path: Path) -> None:
    path = tmp_path / "register.csv"
    path.write_text("Quarterly list\nAlpha,Beta,Gamma\n1,2,3\n", encoding="utf-8")
    table = read_table(path)
    assert table.header_row == 2
    assert table.headers == ["Alpha", "Beta", "Gamma"]


def test_stray_whitespace_and_newlines_in_headers_and_values(tmp_path: Path) -> None:
    path = tmp_path / "register.csv"
    path.write_text(
        '" Name ","People\naffected ","Notes"\n'
        '"  Essay marker\n"," 1200 ","Line one\r\nLine two  "\n',
        encoding="utf-8",
    )
    table = read_table(path)
    assert table.headers == ["Name", "People affected", "Notes"]
    assert table.rows[0].values == ["Essay marker", "1200", "Line one\nLine two"]


def test_duplicate_and_blank_headers_get_unique_names(tmp_path: Path) -> None:
    path = tmp_path / "register.csv"
    path.write_text(
        "Name,If Other, please explain.,,If Other, please explain.\n".replace(
            "If Other, please explain.", '"If Other, please explain."'
        )
        + "Bot,a,b,c\n",
        encoding="utf-8",
    )
    table = read_table(path)
    assert table.headers == [
        "Name",
        "If Other, please explain.",
        "Column C",
        "If Other, please explain. (D)",
    ]
    assert table.letters == ["A", "B", "C", "D"]


def test_xlsx_merged_cells_fill_their_whole_range(tmp_path: Path) -> None:
    path = tmp_path / "register.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Uses"
    sheet["A1"] = "Springfield AI register"
    sheet.merge_cells("A1:D1")  # a title across the table: must not be taken as the header
    sheet.append(HEADERS)
    sheet.append(["Essay marker", "English", "Pilot", 1200])
    sheet.append(["Feedback bot", None, "Pilot", 300])
    sheet.append(["Reading coach", None, "Production", 90])
    sheet.merge_cells("B3:B5")  # one department for three uses
    book.save(path)

    table = read_table(path, known_header=is_known_header)
    assert table.sheet == "Uses"
    assert table.header_row == 2
    assert table.headers == HEADERS
    assert [r.values[1] for r in table.rows] == ["English"] * 3
    assert [r.number for r in table.rows] == [3, 4, 5]


def test_xlsx_keeps_numbers_dates_and_booleans(tmp_path: Path) -> None:
    path = _write_xlsx(
        tmp_path / "typed.xlsx",
        {
            "Uses": [
                ["Name", "People affected", "Go-live", "Reviewed at", "Public-facing", "Score"],
                ["Bot", 1200, dt.datetime(2024, 3, 1), dt.datetime(2024, 3, 1, 9, 30), True, 2.5],
            ]
        },
    )
    row = read_table(path).rows[0].values
    assert row == ["Bot", 1200, dt.date(2024, 3, 1), dt.datetime(2024, 3, 1, 9, 30), True, 2.5]
    assert type(row[2]) is dt.date  # midnight date-times are plain dates


def test_xlsx_table_not_in_column_a_keeps_source_letters(tmp_path: Path) -> None:
    path = _write_xlsx(
        tmp_path / "offset.xlsx",
        {"Uses": [[None, None, "Name", "Stage"], [None, None, "Bot", "Pilot"]]},
    )
    table = read_table(path)
    assert table.headers == ["Name", "Stage"]
    assert table.letters == ["C", "D"]


def test_sheets_listed_and_the_register_sheet_chosen(tmp_path: Path) -> None:
    path = _write_xlsx(
        tmp_path / "book.xlsx",
        {
            "Read me": [["This workbook lists our AI"], ["Ask Sam for help"]],
            "Uses": [["Name", "Department", "Stage"], ["Bot", "IT", "Pilot"]],
            "Lookups": [["Colour", "Code"], ["Red", 1], ["Green", 2]],
        },
    )
    assert list_sheets(path) == ["Read me", "Uses", "Lookups"]
    assert read_table(path, known_header=is_known_header).sheet == "Uses"
    assert read_table(path, "  lookups ").sheet == "Lookups"  # any case, stray spaces
    with pytest.raises(ImportFileError) as caught:
        read_table(path, "Register")
    assert 'no sheet "Register"' in str(caught.value)
    assert '"Read me", "Uses", "Lookups"' in str(caught.value)


def test_list_sheets_of_csv_is_empty(tmp_path: Path) -> None:
    path = tmp_path / "register.csv"
    path.write_text(_csv_text(","), encoding="utf-8")
    assert list_sheets(path) == []


def test_content_decides_not_extension(tmp_path: Path) -> None:
    path = _write_xlsx(tmp_path / "really-a-workbook.csv", {"Uses": [["Name"], ["Bot"]]})
    table = read_table(path)
    assert table.sheet == "Uses"
    assert table.rows[0].values == ["Bot"]


# --- files that cannot be read ---------------------------------------------------------


def _file_error(path: Path) -> str:
    with pytest.raises(ImportFileError) as caught:
        read_table(path)
    message = str(caught.value)
    assert message.startswith((path.name + ": ", path.name + ", sheet"))  # names the file
    assert caught.value.problem.file == path.name
    return message


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.csv"
    path.write_bytes(b"")
    assert _file_error(path) == "empty.csv: the file is empty"


def test_blank_text_file_is_empty(tmp_path: Path) -> None:
    path = tmp_path / "blank.csv"
    path.write_bytes(b"\xef\xbb\xbf \r\n\r\n")
    assert "the file is empty" in _file_error(path)


def test_missing_file(tmp_path: Path) -> None:
    assert "does not exist" in _file_error(tmp_path / "nowhere.xlsx")


def test_binary_file_is_not_a_spreadsheet(tmp_path: Path) -> None:
    path = tmp_path / "photo.csv"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4)
    assert "not a spreadsheet" in _file_error(path)


def test_pdf_and_html_are_named(tmp_path: Path) -> None:
    pdf = tmp_path / "board-pack.xlsx"
    pdf.write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n")
    assert "PDF document" in _file_error(pdf)
    html = tmp_path / "export.xls"
    html.write_text("<!DOCTYPE html><html><body><table></table></body></html>", "utf-8")
    assert "web page (HTML)" in _file_error(html)


def test_truncated_xlsx_is_damaged(tmp_path: Path) -> None:
    whole = _write_xlsx(
        tmp_path / "whole.xlsx", {"Uses": [["Name"], *[[f"Use {i}"] for i in range(200)]]}
    )
    cut = tmp_path / "cut.xlsx"
    cut.write_bytes(whole.read_bytes()[: whole.stat().st_size // 2])
    assert "damaged or incomplete" in _file_error(cut)


def test_encrypted_xlsx_is_named_password_protected(tmp_path: Path) -> None:
    path = tmp_path / "locked.xlsx"
    path.write_bytes(bytes.fromhex("D0CF11E0A1B11AE1") + b"\x00" * 4096)
    message = _file_error(path)
    assert "password-protected (encrypted)" in message
    assert "remove the password" in message


def test_encrypted_package_detected_by_its_stream_name_whatever_the_extension(
    tmp_path: Path,
) -> None:
    path = tmp_path / "locked.xls"
    path.write_bytes(
        bytes.fromhex("D0CF11E0A1B11AE1") + b"\x00" * 504 + "EncryptionInfo".encode("utf-16-le")
    )
    assert "password-protected" in _file_error(path)


def test_legacy_xls_asks_for_xlsx(tmp_path: Path) -> None:
    path = tmp_path / "old.xls"
    path.write_bytes(
        bytes.fromhex("D0CF11E0A1B11AE1") + b"\x00" * 504 + "Workbook".encode("utf-16-le")
    )
    message = _file_error(path)
    assert "Excel 97-2003" in message
    assert "save it as an Excel Workbook (.xlsx)" in message


def test_zip_that_is_not_a_workbook(tmp_path: Path) -> None:
    path = tmp_path / "archive.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("readme.txt", "hello")
    assert "not an Excel workbook" in _file_error(path)


def test_opendocument_spreadsheet_is_named(tmp_path: Path) -> None:
    path = tmp_path / "register.ods"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
    assert "OpenDocument spreadsheet" in _file_error(path)


def test_empty_sheet(tmp_path: Path) -> None:
    path = _write_xlsx(tmp_path / "blank.xlsx", {"Uses": []})
    assert _file_error(path) == 'blank.xlsx, sheet "Uses": the sheet is empty'
