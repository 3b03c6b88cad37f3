"""People affected nobody gave are unknown, not 0, in every vendor total: the service,
the Vendors table, the CLI, the workbook, the board pack and the dashboard tile."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import Qt

from riskdesk.cli.main import main
from riskdesk.reports import export_pdf
from riskdesk.reports.xlsx import export_xlsx
from riskdesk.service import queries
from riskdesk.service.register import RegisterService
from riskdesk.service.vendors import (
    concentration,
    concentration_headline,
    concentration_of,
    people_text,
)
from riskdesk.ui.models.register_models import VendorTableModel
from riskdesk.ui.pages.dashboard_extras import ConcentrationTile

TODAY = dt.date(2026, 11, 1)
VENDORS = {
    1: SimpleNamespace(id=1, name="OpenAI", kind="model_provider"),
    2: SimpleNamespace(id=2, name="Zendesk", kind="saas"),
    3: SimpleNamespace(id=3, name="Feedzai", kind="saas"),
}


def _use(uid: int, vendor: int | None, people: int | None, **facts: Any) -> SimpleNamespace:
    base = {
        "id": uid,
        "name": f"use {uid}",
        "stage": "production",
        "tier": "low",
        "people_affected": people,
        "vendor_id": vendor,
        "model_id": None,
        "fallback": "",
        "rollback_plan": "",
        "kill_switch": "",
    }
    return SimpleNamespace(**{**base, **facts})


def test_people_text_never_reads_a_floor_as_exact() -> None:
    assert people_text(12400, 0, 5) == "12,400"
    assert people_text(12400, 3, 5) == "at least 12,400 (3 uses unknown)"
    assert people_text(10, 1, 2) == "at least 10 (1 use unknown)"
    assert people_text(0, 2, 2) == "Unknown"
    assert people_text(0, 0, 0) == "0"  # no use at all: nobody depends on it


def test_unknown_reach_is_counted_apart_and_sorts_last() -> None:
    uses = [
        _use(1, 1, 1000),
        _use(2, 1, None),  # OpenAI: at least 1,000
        _use(3, 2, None),  # Zendesk: every use unknown
        _use(4, 2, None, tier="high"),
        _use(5, 3, 500),
        _use(6, 3, None, stage="retired"),  # retired: depends on nobody, counts nowhere
    ]
    found = concentration_of(uses, VENDORS, {})
    assert [p.name for p in found.providers] == ["OpenAI", "Feedzai", "Zendesk"]
    openai, feedzai, zendesk = found.providers
    assert (openai.people, openai.people_unknown, openai.people_known) == (1000, 1, 1000)
    assert openai.people_words() == "at least 1,000 (1 use unknown)"
    assert (zendesk.people_unknown, zendesk.people_known, zendesk.people_words()) == (
        2,
        None,
        "Unknown",
    )
    assert (feedzai.people_unknown, feedzai.people_words()) == (0, "500")
    assert (found.total_people, found.people_unknown, found.live_uses) == (1500, 3, 5)
    assert found.top_share == round(1000 / 1500, 3)  # of the people known
    assert [d.people for d in openai.if_down] == [1000, None]  # unknown after known
    data = found.as_dict()
    assert (data["total_people"], data["total_people_unknown_uses"]) == (1500, 3)
    by_name = {p["name"]: p for p in data["providers"]}
    assert by_name["Zendesk"]["people"] is None and by_name["Zendesk"]["people_unknown_uses"] == 2
    assert by_name["OpenAI"]["people"] == 1000 and by_name["OpenAI"]["people_unknown_uses"] == 1
    assert by_name["OpenAI"]["if_down"][1]["people"] is None


def test_headline_says_the_share_is_of_the_people_known() -> None:
    uses = [_use(1, 1, 300), _use(2, 3, 100), _use(3, 3, None)]
    text = concentration_headline(concentration_of(uses, VENDORS, {}))
    assert text.startswith(
        "75% of the 400 people known to be affected by live uses (1 live use with people "
        "affected unknown) depend on OpenAI"
    )
    known = concentration_headline(concentration_of(uses[:2], VENDORS, {}))
    assert known.startswith("75% of the 400 people affected by live uses depend on OpenAI")
    nobody = concentration_of([_use(1, 1, None), _use(2, 2, None)], VENDORS, {})
    assert nobody.top_share is None and nobody.as_dict()["total_people"] is None
    assert concentration_headline(nobody).startswith(
        "An unknown share of the people affected by live uses (unknown for every live use) "
        "depend on OpenAI"
    )


# --- on the demo register, with some reach made unknown ---------------------------------------
@pytest.fixture
def unknown_reach(demo_service: RegisterService) -> RegisterService:
    """Zendesk's one use and one of OpenAI's three direct uses without a reach."""
    ids = {v["name"]: v["id"] for v in demo_service.rows("vendor")}
    zendesk = demo_service.rows("ai_use", vendor_id=ids["Zendesk"])
    openai = sorted(
        demo_service.rows("ai_use", vendor_id=ids["OpenAI"]), key=lambda u: u["people_affected"]
    )
    assert len(zendesk) == 1 and len(openai) == 3
    for use in (zendesk[0], openai[0]):  # OpenAI's smallest: it stays the top provider
        demo_service.update("ai_use", use["id"], {"people_affected": None})
    return demo_service


def _vendor_rows(service: RegisterService, sort: str, descending: bool) -> list[dict[str, Any]]:
    query = queries.vendors(service)
    ids = query.ordered_ids(sort, descending=descending)
    return [dict(zip(query.keys, row, strict=True)) for row in query.fetch(ids)]


@pytest.mark.both_databases
def test_vendors_query_keeps_unknown_apart(unknown_reach: RegisterService) -> None:
    uses = unknown_reach.rows("ai_use")
    for descending in (False, True):
        rows = _vendor_rows(unknown_reach, "people", descending)
        assert rows[-1]["name"] == "Zendesk"  # unknown sorts last either way
        for row in rows:
            theirs = [u for u in uses if u["vendor_id"] == row["id"]]
            known = [u["people_affected"] for u in theirs if u["people_affected"] is not None]
            assert row["people_unknown"] == len(theirs) - len(known)
            assert row["people"] == (sum(known) if known or not theirs else None)
    by_name = {r["name"]: r for r in rows}
    assert (by_name["Zendesk"]["people"], by_name["Zendesk"]["people_unknown"]) == (None, 1)
    assert (by_name["OpenAI"]["people"], by_name["OpenAI"]["people_unknown"]) == (121100, 1)


def test_vendors_table_says_at_least_and_unknown(
    unknown_reach: RegisterService,
    qtmodeltester,  # type: ignore[no-untyped-def]
) -> None:
    model = VendorTableModel(queries.vendors(unknown_reach))
    qtmodeltester.check(model, force_py=True)
    cells = {
        model.index(r, 1).data(): model.index(r, VendorTableModel.PEOPLE).data()
        for r in range(model.rowCount())
    }
    assert cells["OpenAI"] == "at least 121,100 (1 use unknown)"
    assert cells["Zendesk"] == "Unknown"
    assert cells["Google"] == "51,200"
    model.sort(VendorTableModel.PEOPLE, Qt.SortOrder.DescendingOrder)
    assert model.index(model.rowCount() - 1, 1).data() == "Zendesk"
    model.sort(VendorTableModel.PEOPLE, Qt.SortOrder.AscendingOrder)
    assert model.index(model.rowCount() - 1, 1).data() == "Zendesk"


def test_vendors_cli_says_at_least(
    unknown_reach: RegisterService, db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["vendors", "--db", str(db_path), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["total_people_unknown_uses"] == 2
    by_name = {p["name"]: p for p in data["providers"]}
    assert by_name["Zendesk"]["people"] is None
    assert by_name["OpenAI"]["people_unknown_uses"] == 1
    assert main(["vendors", "--db", str(db_path)]) == 0
    out = capsys.readouterr().out
    assert "people known to be affected by live uses (2 live uses with people affected" in out
    openai = next(line for line in out.splitlines() if line.strip().startswith("OpenAI"))
    assert f"at least {by_name['OpenAI']['people']:,} (1 use unknown)" in openai
    zendesk_line = next(line for line in out.splitlines() if line.strip().startswith("Zendesk"))
    assert zendesk_line.split()[1:3] == ["1", "Unknown"]  # uses, people


def test_workbook_vendor_sheet_says_at_least(
    unknown_reach: RegisterService, tmp_path: Path
) -> None:
    book = load_workbook(export_xlsx(unknown_reach, tmp_path / "r.xlsx", today=TODAY))
    rows = list(book["Vendors"].iter_rows(values_only=True))
    column = list(rows[0]).index("People affected through it")
    cells = {r[1]: r[column] for r in rows[1:]}
    openai = next(p for p in concentration(unknown_reach).providers if p.name == "OpenAI")
    assert openai.people_unknown >= 1
    assert cells["OpenAI"] == openai.people_words() and cells["OpenAI"].startswith("at least")
    assert cells["Zendesk"] == "Unknown"
    assert isinstance(cells["Google"], int)  # every reach known: still a number


def test_board_pack_vendor_section_says_at_least(
    unknown_reach: RegisterService, tmp_path: Path
) -> None:
    path = export_pdf(unknown_reach, tmp_path / "pack.pdf", today=TODAY)
    pdftotext = shutil.which("pdftotext")
    assert pdftotext
    text = " ".join(
        subprocess.run([pdftotext, str(path), "-"], capture_output=True, text=True).stdout.split()
    )
    found = concentration(unknown_reach)
    assert f"of the {found.total_people:,} people known to be affected by live uses" in text
    assert "(2 live uses with people affected unknown)" in text
    openai = found.providers[0]
    assert openai.name == "OpenAI" and openai.people_unknown == 1
    assert f"at least {openai.people:,} (1 use unknown)" in text
    if_down = text.split("If OpenAI is down")[1].split("Agent permissions")[0]
    assert "Unknown" in if_down  # its use of unknown reach


def test_dashboard_tile_says_of_the_people_known(
    unknown_reach: RegisterService,
    qtbot,  # type: ignore[no-untyped-def]
) -> None:
    tile = ConcentrationTile()
    qtbot.addWidget(tile)
    found = concentration(unknown_reach)
    tile.set_concentration(found)
    assert tile.caption.startswith("of people known to be affected depend on")
    top = found.providers[0]
    assert top.people_unknown and f"people {top.people_words()}" in tile.detail
    assert "known to be affected" in tile.toolTip()
