"""Framework files: the shipped ones load with the published item counts, a user's own
file round-trips, and a broken file is refused with its row and column named."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest

from riskdesk.catalogue.frameworks import (
    BUILTIN_FILES,
    CANONICAL_COLUMNS,
    Framework,
    FrameworkFileError,
    FrameworkItem,
    builtin_dir,
    builtin_framework,
    find_item,
    load_builtin_frameworks,
    load_framework_dir,
    load_framework_file,
    short_title,
    write_framework_file,
)
from tests.reference import ISO_42001_EXCERPT

ISO_REFERENCE = ISO_42001_EXCERPT

# Counts as published: AI RMF 1.0 core (NIST AI 100-1), NIST AI 600-1 §2, OWASP lists,
# EU AI Act Art. 5(1)(a)-(h) and Annex III, MIT Domain Taxonomy v3.
EXPECTED_KINDS = {
    "nist-ai-rmf-1.0": {"function": 4, "category": 19, "subcategory": 72},
    "nist-ai-600-1": {"risk": 12},
    "owasp-llm-2025": {"risk": 10},
    "owasp-agentic-2026": {"risk": 10},
    "eu-ai-act-art5": {"article": 1, "prohibited_practice": 8},
    "eu-ai-act-annex-iii": {"area": 8, "point": 25},
    "mit-ai-risk-domains-v3": {"domain": 7, "subdomain": 24},
}


def test_every_builtin_framework_loads_with_its_published_item_counts() -> None:
    frameworks = {fw.id: fw for fw in load_builtin_frameworks()}
    assert {fw_id: fw.kinds() for fw_id, fw in frameworks.items()} == EXPECTED_KINDS
    assert all(fw.builtin and fw.licence and fw.source for fw in frameworks.values())


def test_ai_rmf_subcategories_per_function_match_the_core() -> None:
    rmf = builtin_framework("nist-ai-rmf-1.0")
    per_function = {
        f.ref: sum(len(rmf.children(c.ref)) for c in rmf.children(f.ref)) for f in rmf.roots()
    }
    assert per_function == {"GOVERN": 19, "MAP": 18, "MEASURE": 22, "MANAGE": 13}
    assert len(rmf.leaves()) == 72
    item = rmf.item("govern 1.6")
    assert item is not None
    assert item.text.startswith("Mechanisms are in place to inventory AI systems")
    # PDF-extraction glitch fixed to NIST's wording.
    assert "context-specific laws" in rmf.item("MAP 1.1").text  # type: ignore[union-attr]


def test_builtin_refs_are_unique_across_frameworks_and_named_as_the_register_expects() -> None:
    refs = [i.ref.casefold() for fw in load_builtin_frameworks() for i in fw.items]
    assert len(refs) == len(set(refs))
    for ref in ["LLM01", "ASI02", "MIT 7.3", "600-1.9", "Article 5.1.f", "Annex III 3(b)"]:
        assert find_item(ref) is not None, ref
    fw, item = find_item("600-1.2")  # type: ignore[misc]
    assert (fw.id, item.title) == ("nist-ai-600-1", "Confabulation")
    asi = builtin_framework("owasp-agentic-2026")
    assert asi.item("ASI03").title == "Identity & Privilege Abuse"  # type: ignore[union-attr]
    art5 = builtin_framework("eu-ai-act-art5")
    # Sub-points are folded into their practice so each reads on its own.
    assert "(iii)" in art5.item("Article 5.1.h").text  # type: ignore[union-attr]


def test_builtin_dir_holds_only_known_csv_files() -> None:
    libraries = {
        "crosswalk.csv",
        "risk_library.csv",
        "control_library.csv",
        "suggestion_rules.csv",
    }
    on_disk = {p.name for p in builtin_dir().glob("*.csv")}
    assert on_disk == set(BUILTIN_FILES) | libraries
    assert (builtin_dir() / "SOURCES.md").read_text(encoding="utf-8").count(".csv") >= 11


def test_iso_42001_is_not_shipped() -> None:
    texts = [p.read_text(encoding="utf-8") for p in builtin_dir().glob("*.csv")]
    assert not any("A.6.2.8" in t or "42001" in t for t in texts)


def test_a_user_checklist_round_trips(tmp_path: Path) -> None:
    original = Framework(
        id="ca-k12-ai-policy",
        name="Model AI policy for school districts",
        version="2025 draft",
        source="State department of education",
        licence="Public record",
        items=(
            FrameworkItem("1", "Governance", "", "section"),
            FrameworkItem(
                "1.1",
                "AI use inventory",
                'The district keeps an inventory of AI tools, "including" free ones, teachers use.',
                "requirement",
                "1",
            ),
            FrameworkItem(
                "1.2", "Parent notice", "Parents are told, in plain words.", "requirement", "1"
            ),
            FrameworkItem(
                "2", "Student data", "No student PII in consumer tools;\nask first.", "section"
            ),
        ),
    )
    path = write_framework_file(original, tmp_path / "policy.csv")
    loaded = load_framework_file(path)
    assert loaded == original
    assert loaded.path == path and not loaded.builtin
    assert [i.ref for i in loaded.leaves()] == ["1.1", "1.2", "2"]
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")  # Excel needs the BOM for UTF-8


def test_a_builtin_framework_round_trips_through_the_writer(tmp_path: Path) -> None:
    rmf = builtin_framework("nist-ai-rmf-1.0")
    again = load_framework_file(write_framework_file(rmf, tmp_path / "rmf.csv"))
    assert again == rmf


def test_a_licensed_iso_42001_list_imports_as_the_user_has_it(tmp_path: Path) -> None:
    copy = tmp_path / "iso_iec_42001_2023_ids_titles.csv"  # as the user names their copy
    shutil.copyfile(ISO_REFERENCE, copy)
    fw = load_framework_file(
        copy, framework_id="iso-42001-2023", framework_name="ISO/IEC 42001:2023"
    )
    assert (fw.id, fw.name, len(fw)) == ("iso-42001-2023", "ISO/IEC 42001:2023", 17)
    assert fw.count("control") == 9
    a628 = fw.item("a.6.2.8")
    assert a628 is not None
    assert (a628.title, a628.parent_ref, a628.kind) == (
        "AI system recording of event logs",
        "A.6.2",
        "control",
    )
    assert dict(a628.extra) == {"part": "Annex A"}  # the unknown column is kept
    # Without names given, they come from the file name.
    assert load_framework_file(copy).id == "iso_iec_42001_2023_ids_titles"
    # And it survives export to the canonical format.
    assert load_framework_file(write_framework_file(fw, tmp_path / "out.csv")) == fw


def _write_rows(
    path: Path, rows: list[list[str]], *, encoding: str = "utf-8", delimiter: str = ","
) -> Path:
    with path.open("w", encoding=encoding, newline="") as handle:
        csv.writer(handle, delimiter=delimiter).writerows(rows)
    return path


HEADER = ["framework_id", "framework_name", "item_ref", "parent_ref", "title", "text", "kind"]


def test_excel_variants_load(tmp_path: Path) -> None:
    rows = [HEADER, ["my-list", "Liste", "1", "", "Übersicht – café", "", ""]]
    for name, encoding, delimiter in [
        ("semicolons.csv", "utf-8-sig", ";"),
        ("windows.csv", "cp1252", ","),
        ("tabs.csv", "utf-8", "\t"),
    ]:
        fw = load_framework_file(
            _write_rows(tmp_path / name, rows, encoding=encoding, delimiter=delimiter)
        )
        assert fw.items[0].title == "Übersicht – café", name
        assert fw.items[0].kind == "item"


def test_headers_are_matched_loosely(tmp_path: Path) -> None:
    path = _write_rows(
        tmp_path / "loose.csv",
        [
            ["Framework ID", "Framework-Name", " Item Ref ", "Description"],
            ["x", "X", "A", "Only a text."],
        ],
    )
    fw = load_framework_file(path)
    assert (fw.id, fw.items[0].ref, fw.items[0].title, fw.items[0].text) == (
        "x",
        "A",
        "Only a text",
        "Only a text.",
    )


@pytest.mark.parametrize(
    ("rows", "row", "column", "words"),
    [
        (
            [HEADER, ["f", "F", "1", "", "A", "", ""], ["f", "F", "1", "", "B", "", ""]],
            3,
            "item_ref",
            "used twice",
        ),
        ([HEADER, ["f", "F", "1", "9", "A", "", ""]], 2, "parent_ref", "not an item_ref"),
        (
            [HEADER, ["f", "F", "1", "2", "A", "", ""], ["", "", "2", "1", "B", "", ""]],
            2,
            "parent_ref",
            "ancestor",
        ),
        ([HEADER, ["f", "F", "", "", "A", "", ""]], 2, "item_ref", "empty"),
        ([HEADER, ["f", "F", "A, B", "", "A", "", ""]], 2, "item_ref", "','"),
        ([HEADER, ["f", "F", "1", "", "", "", ""]], 2, "title", "neither"),
        ([HEADER, ["f", "F", "1", "", "A", "", "two words!"]], 2, "kind", "kind"),
        (
            [HEADER, ["f", "F", "1", "", "A", "", ""], ["g", "", "2", "", "B", "", ""]],
            3,
            "framework_id",
            "differs",
        ),
        ([HEADER, ["My Framework", "F", "1", "", "A", "", ""]], 2, "framework_id", "usable id"),
        ([HEADER, ["f", "F", "1", "", "A", "", "", "surplus"]], 2, None, "cells"),
        ([["framework_id", "title"], ["f", "A"]], 1, None, "item_ref"),
        ([["item_ref", "kind"], ["1", "x"]], 1, None, "'title' or a 'text'"),
        ([["item_ref", "title", "Item Ref"], ["1", "A", "2"]], 1, "item_ref", "twice"),
        ([HEADER], None, None, "no items"),
    ],
)
def test_bad_framework_file_names_row_and_column(
    tmp_path: Path, rows: list[list[str]], row: int | None, column: str | None, words: str
) -> None:
    path = _write_rows(tmp_path / "bad.csv", rows)
    with pytest.raises(FrameworkFileError) as caught:
        load_framework_file(path)
    error = caught.value
    assert (error.path, error.row, error.column) == (path, row, column)
    assert words in str(error)
    assert str(error).startswith(str(path))  # the message a user sees names the file first


def test_unreadable_and_empty_files(tmp_path: Path) -> None:
    with pytest.raises(FrameworkFileError, match="cannot be read"):
        load_framework_file(tmp_path / "missing.csv")
    (tmp_path / "empty.csv").write_text("", encoding="utf-8")
    with pytest.raises(FrameworkFileError, match="is empty"):
        load_framework_file(tmp_path / "empty.csv")
    (tmp_path / "quote.csv").write_bytes(b'item_ref,title\n1,"never closed\n')
    with pytest.raises(FrameworkFileError, match="valid CSV") as caught:
        load_framework_file(tmp_path / "quote.csv")
    assert caught.value.row == 2


def test_a_folder_of_frameworks_reports_broken_files_without_hiding_good_ones(
    tmp_path: Path,
) -> None:
    _write_rows(tmp_path / "a_good.csv", [HEADER, ["good", "Good", "1", "", "A", "", ""]])
    _write_rows(tmp_path / "b_bad.csv", [HEADER, ["bad", "Bad", "1", "7", "A", "", ""]])
    frameworks, errors = load_framework_dir(tmp_path)
    assert [fw.id for fw in frameworks] == ["good"]
    assert [(e.path.name, e.row, e.column) for e in errors] == [("b_bad.csv", 2, "parent_ref")]


def test_canonical_columns_are_the_documented_ones() -> None:
    assert CANONICAL_COLUMNS == (
        "framework_id", "framework_name", "version", "source", "licence",
        "item_ref", "parent_ref", "title", "text", "kind",
    )  # fmt: skip
    docs = (Path(__file__).parents[1] / "docs" / "frameworks.md").read_text(encoding="utf-8")
    assert ",".join(CANONICAL_COLUMNS) in docs


def test_short_title_cuts_at_a_word() -> None:
    assert short_title("Roles are clear. More text.") == "Roles are clear"
    long = "word " * 40
    cut = short_title(long)
    assert cut.endswith("…") and len(cut) <= 100 and not cut.endswith(" …")
