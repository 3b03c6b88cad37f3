"""CSV tables: one file per table, the stored values, formula triggers escaped and undone."""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from pathlib import Path

import pytest

from riskdesk.reports import ExportCancelled, ExportError, export_csv, unescape_csv_cell
from riskdesk.reports.csv_export import CSV_TABLES
from riskdesk.service.register import RegisterService, table_of

HOSTILE = ['=HYPERLINK("http://x","y")', "+1", "@SUM(A1)", "-2+3"]


def read_zip(path: Path) -> dict[str, list[dict[str, str]]]:
    out: dict[str, list[dict[str, str]]] = {}
    with zipfile.ZipFile(path) as zf:
        for name in zf.namelist():
            text = zf.read(name).decode("utf-8-sig")
            out[name.removesuffix(".csv")] = list(csv.DictReader(io.StringIO(text)))
    return out


def test_zip_holds_one_csv_per_table_with_the_stored_values(
    demo_service: RegisterService, tmp_path: Path
) -> None:
    tables = read_zip(export_csv(demo_service, tmp_path / "tables.zip"))
    assert set(tables) == set(CSV_TABLES)
    for entity in CSV_TABLES:
        assert len(tables[entity]) == demo_service.count(entity), entity
    with zipfile.ZipFile(tmp_path / "tables.zip") as zf:
        header = zf.read("risk.csv").decode("utf-8-sig").splitlines()[0]
    # Every column but ``version`` (edits counted in one database, not content).
    columns = [c.name for c in table_of("risk").columns if c.name != "version"]
    assert header == ",".join(f'"{c}"' for c in columns)
    uses = {int(r["id"]): r for r in tables["ai_use"]}
    for use in demo_service.rows("ai_use"):
        row = uses[use["id"]]
        assert unescape_csv_cell(row["name"]) == use["name"]
        assert row["tier"] == use["tier"] and int(row["exposure"]) == use["exposure"]
        assert row["childrens_data"] == ("true" if use["childrens_data"] else "false")
        assert row["go_live"] == (use["go_live"].isoformat() if use["go_live"] else "")
        assert row["owner_first_id"] == str(use["owner_first_id"] or "")


def test_hostile_text_is_escaped_and_unescapes_to_the_original(
    service: RegisterService, tmp_path: Path
) -> None:
    owner = service.create("person", {"name": HOSTILE[0], "notes": "'already quoted"})
    service.create(
        "ai_use",
        {
            "name": HOSTILE[1],
            "purpose": HOSTILE[2],
            "department": HOSTILE[3],
            "owner_first_id": owner,
            "notes": "n" * 40_000,
            "model_name": "Модель Ω",
        },
    )
    tables = read_zip(export_csv(service, tmp_path / "t.zip"))
    person, use = tables["person"][0], tables["ai_use"][0]
    assert person["name"] == "'" + HOSTILE[0]
    assert [use["name"], use["purpose"], use["department"]] == ["'" + t for t in HOSTILE[1:]]
    assert unescape_csv_cell(person["notes"]) == "'already quoted"
    assert [unescape_csv_cell(use[k]) for k in ("name", "purpose", "department")] == HOSTILE[1:]
    assert len(use["notes"]) == 40_000  # CSV keeps the full text
    assert use["model_name"] == "Модель Ω"
    for rows in tables.values():
        for row in rows:
            for value in row.values():
                assert not value.startswith(("=", "+", "-", "@", "\t", "\r")), value


def test_folder_export_and_replacing_an_earlier_one(
    demo_service: RegisterService, tmp_path: Path
) -> None:
    folder = tmp_path / "tables"
    export_csv(demo_service, folder)
    assert {p.name for p in folder.iterdir()} == {f"{t}.csv" for t in CSV_TABLES}
    demo_service.create("vendor", {"name": "Newcomer Ltd"})
    export_csv(demo_service, folder)  # an earlier export may be replaced
    text = (folder / "vendor.csv").read_text(encoding="utf-8-sig")
    assert "Newcomer Ltd" in text
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_a_folder_holding_other_files_is_refused(
    demo_service: RegisterService, tmp_path: Path
) -> None:
    folder = tmp_path / "documents"
    folder.mkdir()
    (folder / "thesis.docx").write_text("precious")
    with pytest.raises(ExportError, match="other files"):
        export_csv(demo_service, folder)
    assert [p.name for p in folder.iterdir()] == ["thesis.docx"]


def test_cancel_leaves_nothing(demo_service: RegisterService, tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    calls = iter(range(100))
    with pytest.raises(ExportCancelled):
        export_csv(demo_service, out / "t.zip", cancel=lambda: next(calls) >= 4)
    with pytest.raises(ExportCancelled):
        export_csv(demo_service, out / "folder", cancel=lambda: True)
    assert list(out.iterdir()) == []


def test_dates_and_datetimes_are_iso(demo_service: RegisterService, tmp_path: Path) -> None:
    tables = read_zip(export_csv(demo_service, tmp_path / "t.zip"))
    incident = tables["incident"][0]
    assert dt.date.fromisoformat(incident["occurred_on"])
    created = tables["ai_use"][0]["created_at"]
    assert dt.datetime.fromisoformat(created).tzinfo is None  # UTC wall-clock time
