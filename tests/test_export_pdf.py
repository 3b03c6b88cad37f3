"""The board pack: what a board reads (pdftotext), a valid PDF (qpdf), embedded fonts,
bookmarks, the page size, what changed since the last pack and the audit chain head."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from riskdesk.enums import Tier
from riskdesk.reports import ExportCancelled, export_pdf
from riskdesk.reports.snapshot import compare, previous_pack, record_pack
from riskdesk.service import audit
from riskdesk.service.register import RegisterService

TODAY = dt.date(2026, 11, 1)


def tool(name: str) -> str:
    path = shutil.which(name)
    assert path, f"{name} is needed (Debian: poppler-utils / qpdf)"
    return path


def pdftotext(path: Path) -> str:
    done = subprocess.run(
        [tool("pdftotext"), "-layout", str(path), "-"], capture_output=True, text=True, check=True
    )
    return done.stdout


def flat(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture
def pack(demo_service: RegisterService, tmp_path: Path) -> Path:
    return export_pdf(demo_service, tmp_path / "pack.pdf", today=TODAY)


def test_a_board_reads_the_organisation_every_critical_use_and_the_heatmaps(
    demo_service: RegisterService, pack: Path
) -> None:
    text = flat(pdftotext(pack))
    org = demo_service.profile()["name"]
    assert org in text
    critical = [u["name"] for u in demo_service.rows("ai_use", tier=Tier.CRITICAL.value)]
    assert critical
    for name in critical:
        assert name in text, name
    for label in (
        "Inherent risk (before controls)",
        "Residual risk (after controls)",
        "Likelihood",
        "Impact",
        "Almost certain 5",
        "Severe",
        "Critical 20–25",
    ):
        assert label in text, label
    for heading in (
        "Executive summary",
        "What changed since the previous pack",
        "Top 10 risks",
        "Who is accountable: High and Critical uses",
        "Oversight gaps by owner",
        "Incidents and near misses",
        "Framework coverage",
        "Appendix: the full register",
        "Verifying this pack",
    ):
        assert heading in text, heading
    assert "Confidential — board use only" in text
    assert re.search(r"Page 1 of (\d+)", text)


def test_the_pdf_is_valid_with_metadata_fonts_and_bookmarks(
    demo_service: RegisterService, pack: Path
) -> None:
    check = subprocess.run([tool("qpdf"), "--check", str(pack)], capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr
    reader = PdfReader(pack)
    pages = len(reader.pages)
    text = flat(pdftotext(pack))
    assert f"Page {pages} of {pages}" in text
    meta = reader.metadata
    assert meta is not None
    assert demo_service.profile()["name"] in (meta.title or "")
    assert meta.author == demo_service.profile()["champion_name"]
    assert meta.subject == "AI risk board pack"
    width, height = reader.pages[0].mediabox.width, reader.pages[0].mediabox.height
    assert (round(float(width)), round(float(height))) == (595, 842)  # A4
    fonts = subprocess.run(
        [tool("pdffonts"), str(pack)], capture_output=True, text=True, check=True
    ).stdout.splitlines()[2:]
    assert fonts and all(" yes yes " in f for f in fonts), fonts  # embedded subsets only
    assert all("DejaVuSans" in f for f in fonts)
    titles = [o.title for o in reader.outline if not isinstance(o, list)]
    assert "Executive summary" in titles and "Verifying this pack" in titles
    assert "Top 10 risks" in titles


def test_last_page_prints_the_chain_head_and_the_pack_is_recorded(
    demo_service: RegisterService, tmp_path: Path
) -> None:
    with demo_service.engine.connect() as conn:
        head = audit.last_hash(conn)
    demo_packs = demo_service.rows("board_pack")  # the demo's invented past quarters
    path = export_pdf(demo_service, tmp_path / "pack.pdf", appendix=False, today=TODAY)
    last = PdfReader(path).pages[-1].extract_text()
    assert head in last.replace(" ", "").replace("\n", "")
    assert "riskdesk check" in last
    packs = demo_service.rows("board_pack")[len(demo_packs) :]
    assert len(packs) == 1
    assert packs[0]["chain_head"] == head and packs[0]["file_name"] == "pack.pdf"
    # Issued by the champion who answers for it, not the OS login (issue 15).
    assert packs[0]["exported_by"] == demo_service.profile()["champion_name"]
    snapshot = json.loads(packs[0]["snapshot"])
    assert snapshot["version"] == 2
    assert snapshot["uses"]["id"] == [u["id"] for u in demo_service.rows("ai_use")]
    risks = demo_service.rows("risk")
    assert snapshot["risks"]["residual"] == [
        r["residual_likelihood"] * r["residual_impact"] for r in risks
    ]
    with demo_service.engine.connect() as conn:
        assert audit.verify_chain(conn)[1] is None
        # recorded through the service: the record is the newest audited event
        assert audit.last_hash(conn) != head


def test_the_next_pack_says_what_changed(demo_service: RegisterService, tmp_path: Path) -> None:
    export_pdf(demo_service, tmp_path / "first.pdf", appendix=False, today=TODAY)
    uses = {u["name"]: u for u in demo_service.rows("ai_use")}
    low = next(u for u in uses.values() if u["tier"] == "low" and u["stage"] != "retired")
    demo_service.update(
        "ai_use",
        low["id"],
        {"rights_impacting": True, "eu_ai_act_class": "high_risk"},  # floors lift it to High
    )
    risk = next(r for r in demo_service.rows("risk") if r["residual_likelihood"] > 1)
    demo_service.update("risk", risk["id"], {"residual_likelihood": 1, "residual_impact": 1})
    demo_service.create("ai_use", {"name": "Новый помощник — νέο εργαλείο"})
    second = export_pdf(demo_service, tmp_path / "second.pdf", appendix=False, today=TODAY)
    text = flat(pdftotext(second))
    assert "Uses that moved up a tier (1)" in text
    assert low["name"] in text
    assert "New uses (1)" in text and "Новый помощник — νέο εργαλείο" in text
    assert "Risks whose residual score fell (1)" in text
    assert risk["title"] in text
    previous = previous_pack(demo_service)
    assert previous is not None and previous.file_name == "second.pdf"


def test_compare_ranks_retirements_and_moves() -> None:
    def snap(uses: list[tuple[Any, ...]], risks: list[tuple[Any, ...]]) -> dict[str, Any]:
        u_keys, r_keys = ("id", "name", "tier", "exposure", "stage"), ("id", "use_id")
        return {
            "version": 2,
            "uses": {k: [u[i] for u in uses] for i, k in enumerate(u_keys)},
            "risks": {
                k: [r[i] for r in risks] for i, k in enumerate((*r_keys, "residual", "status"))
            },
        }

    before = snap(
        [(1, "A", "low", 10, "production"), (2, "B", "high", 50, "production")],
        [(1, 1, 9, "open"), (2, 2, 16, "open"), (3, 2, 4, "open")],
    )
    now = snap(
        [(1, "A", "moderate", 25, "production"), (2, "B", "high", 50, "retired")],
        [(1, 1, 12, "open"), (2, 2, 16, "closed"), (4, 1, 6, "open")],
    )
    changes = compare(before, now)
    assert [(c.use_id, c.before, c.after) for c in changes.tier_up] == [(1, "low", "moderate")]
    assert [c.use_id for c in changes.retired_uses] == [2]
    assert [(c.risk_id, c.before, c.after) for c in changes.risks_up] == [(1, 9, 12)]
    assert (changes.new_risks, changes.closed_risks, changes.removed_risks) == (1, 1, 1)
    assert not changes.nothing and compare(now, now).nothing
    gone = snap([(1, "A", "moderate", 25, "production")], [])
    assert [(c.use_id, c.after) for c in compare(now, gone).retired_uses] == []  # 2 was retired
    assert [c.use_id for c in compare(before, gone).retired_uses] == [2]  # removed


def test_letter_paper_and_a_draft_that_is_not_recorded(
    demo_service: RegisterService, tmp_path: Path
) -> None:
    demo_service.save_profile({"paper_size": "letter"})
    packs = demo_service.rows("board_pack")  # the demo's invented past quarters
    path = export_pdf(demo_service, tmp_path / "draft.pdf", appendix=False, record=False)
    box = PdfReader(path).pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (612, 792)
    assert demo_service.rows("board_pack") == packs
    assert "not recorded" in flat(pdftotext(path))


def test_cancel_leaves_no_file_and_no_record(demo_service: RegisterService, tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    calls = iter(range(1000))
    packs = demo_service.rows("board_pack")  # the demo's invented past quarters
    with pytest.raises(ExportCancelled):
        export_pdf(demo_service, out / "pack.pdf", cancel=lambda: next(calls) >= 3)
    assert list(out.iterdir()) == []
    assert demo_service.rows("board_pack") == packs


def test_an_empty_register_still_makes_a_sensible_pack(
    service: RegisterService, tmp_path: Path
) -> None:
    path = export_pdf(service, tmp_path / "empty.pdf")
    text = flat(pdftotext(path))
    assert "No board pack has been issued from this register yet" in text
    assert "No open risks are recorded." in text
    assert "No use is rated High or Critical." in text
    check = subprocess.run([tool("qpdf"), "--check", str(path)], capture_output=True)
    assert check.returncode == 0


def test_a_big_registers_snapshot_is_recorded(service: RegisterService) -> None:
    """A 10,000-use snapshot is megabytes of JSON: more than free text may hold."""
    snapshot = {
        "version": 1,
        "uses": {str(i): [f"Use {i} " + "x" * 40, "high", 50, "production"] for i in range(3000)},
        "risks": {str(i): [i % 3000, 12, 9, "open"] for i in range(3000)},
    }
    pack_id = record_pack(service, "big.pdf", audit.GENESIS, snapshot)
    stored = service.get("board_pack", pack_id)["snapshot"]
    assert len(stored) > 100_000
    assert json.loads(stored) == snapshot
