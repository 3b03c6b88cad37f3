"""Issue 15: a board pack that is never misleading — issued, edited, issued again."""

from __future__ import annotations

import datetime as dt
import subprocess
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from riskdesk.cli.main import main
from riskdesk.reports import export_pdf
from riskdesk.reports.snapshot import previous_pack
from riskdesk.service import audit
from riskdesk.service import governance as gov
from riskdesk.service.register import RegisterService
from riskdesk.ui.main_window import MainWindow
from tests.test_export_pdf import flat, pdftotext, tool

TODAY = dt.date.today()


def text_of(path: Path) -> str:
    return flat(pdftotext(path))


def raw_text(path: Path) -> str:
    """Text in content order (a table cell's lines stay together)."""
    done = subprocess.run(
        [tool("pdftotext"), "-raw", str(path), "-"], capture_output=True, text=True, check=True
    )
    return flat(done.stdout)


def test_a_pack_issued_edited_and_issued_again_shows_every_kind_of_change(
    demo_service: RegisterService, tmp_path: Path
) -> None:
    svc = demo_service
    export_pdf(svc, tmp_path / "first.pdf", appendix=False, record=True, today=TODAY)
    # A person leaves while owning a use: a gap opens and they are listed as leavers.
    use = next(u for u in svc.rows("ai_use") if u["stage"] != "retired" and u["owner_first_id"])
    leaver = svc.get("person", use["owner_first_id"])
    svc.update("person", leaver["id"], {"has_left": True})
    # A use's review falls overdue by its schedule.
    fresh = next(
        u
        for u in svc.rows("ai_use")
        if u["stage"] != "retired"
        and u["last_review"] is not None
        and u["tier"] == "low"
        and u["id"] != use["id"]
    )
    svc.update(
        "ai_use",
        fresh["id"],
        {"last_review": TODAY - dt.timedelta(days=400), "next_review": None},
    )
    # A challenge raised, answered and escalated; an incident logged now but dated last year.
    reviewer = next(p for p in svc.rows("person") if p["default_line"] == "second")
    first_line = next(
        p for p in svc.rows("person") if p["default_line"] == "first" and not p["has_left"]
    )
    high = next(
        u
        for u in svc.rows("ai_use")
        if u["tier"] == "high" and u["owner_first_id"] != reviewer["id"]
    )
    gov.raise_challenge(svc, high["id"], reviewer["id"], "Who checks the outputs?")
    [challenge] = [c for c in svc.rows("challenge") if c["question"] == "Who checks the outputs?"]
    gov.answer_challenge(svc, challenge["id"], first_line["id"], "The team lead.")
    gov.escalate_challenge(svc, challenge["id"], "Nobody has the time; to the risk committee.")
    gov.log_incident(
        svc,
        {
            "use_id": high["id"],
            "kind": "near_miss",
            "title": "Late-found wrong answer",
            "occurred_on": TODAY - dt.timedelta(days=300),
        },
    )
    second = export_pdf(svc, tmp_path / "second.pdf", appendix=False, record=True, today=TODAY)
    text = text_of(second)
    assert "Oversight since the previous pack" in text
    assert "Oversight gaps:" in text and "opened" in text and "closed" in text
    assert f"1 person left: {leaver['name']}" in text
    assert "newly overdue" in text and fresh["name"] in text
    assert "1 raised, 1 escalated and 0 resolved" in text
    assert "Incidents logged since (by the day they were logged): 1 near miss" in text
    # The incident table is by logged date: the back-dated incident is listed.
    assert "Late-found wrong answer" in text
    # Escalated challenges reach the board.
    assert "Challenges escalated by the 2nd line" in text
    assert "Nobody has the time; to the risk committee." in raw_text(second)


def test_a_draft_does_not_move_the_baseline(demo_service: RegisterService, tmp_path: Path) -> None:
    export_pdf(demo_service, tmp_path / "issued.pdf", appendix=False, record=True, today=TODAY)
    baseline = previous_pack(demo_service)
    assert baseline is not None
    demo_service.create("ai_use", {"name": "Drafted after the pack"})
    for name in ("draft1.pdf", "draft2.pdf"):
        draft = export_pdf(demo_service, tmp_path / name, appendix=False, record=False, today=TODAY)
        text = text_of(draft)
        assert "DRAFT — not issued" in text
        assert "Nothing in the register has changed" not in text
        assert "New uses (1)" in text and "Drafted after the pack" in text
    assert previous_pack(demo_service) == baseline


def test_cover_names_the_organisation_and_champion_never_a_path(
    demo_service: RegisterService, tmp_path: Path
) -> None:
    pack = export_pdf(demo_service, tmp_path / "pack.pdf", appendix=False, today=TODAY)
    text = text_of(pack)
    profile = demo_service.profile()
    assert profile["name"] in text and profile["champion_name"] in text
    assert str(demo_service.register.path) not in text
    assert str(tmp_path) not in text
    assert "Produced by tester" not in text and "by tester" not in text


def test_verification_asks_the_champion_to_confirm_the_head_with_riskdesk_check(
    demo_service: RegisterService, tmp_path: Path
) -> None:
    with demo_service.engine.connect() as conn:
        head = audit.last_hash(conn)
    pack = export_pdf(demo_service, tmp_path / "pack.pdf", appendix=False, today=TODAY)
    text = text_of(pack)
    assert "sqlite3" not in text
    assert "riskdesk check --db FILE --head" in text
    assert head in text.replace(" ", "")
    assert demo_service.profile()["champion_name"] in text.split("Verifying this pack")[-1]


def test_top_risks_show_an_expired_acceptance_as_expired(
    demo_service: RegisterService, tmp_path: Path
) -> None:
    expired = [
        r
        for r in demo_service.rows("risk")
        if r["accepted_by_id"] is not None
        and r["acceptance_expires"] is not None
        and r["acceptance_expires"] < TODAY
    ]
    assert expired, "the demo has an expired acceptance"
    risk = expired[0]
    # Make it the top risk so it is in the top ten.
    demo_service.update(
        "risk",
        risk["id"],
        {
            "inherent_likelihood": 5,
            "inherent_impact": 5,
            "residual_likelihood": 5,
            "residual_impact": 5,
        },
    )
    pack = export_pdf(demo_service, tmp_path / "pack.pdf", appendix=False, today=TODAY)
    top = raw_text(pack).split("Top 10 risks")[1].split("Who is accountable")[0]
    assert "Accept · Expired" in top
    assert "Accept · Accepted" not in top


def test_overdue_reviews_are_due_by_the_cadence_and_say_how_late(
    demo_service: RegisterService, tmp_path: Path
) -> None:
    use = next(
        u for u in demo_service.rows("ai_use") if u["tier"] == "high" and u["stage"] != "retired"
    )
    last = TODAY - dt.timedelta(days=200)
    # Scheduled far away, but a High use is due 3 months after its last review.
    demo_service.update(
        "ai_use",
        use["id"],
        {"last_review": last, "next_review": TODAY + dt.timedelta(days=300)},
    )
    from riskdesk.scoring.ladder import add_months

    due = add_months(last, 3)
    pack = export_pdf(demo_service, tmp_path / "pack.pdf", appendix=False, today=TODAY)
    text = raw_text(pack).split("Who is accountable")[1]
    assert f"{due.isoformat()} overdue by {(TODAY - due).days} days" in text
    assert (TODAY + dt.timedelta(days=300)).isoformat() not in text


def test_no_near_miss_sentence_when_nothing_was_logged(
    service: RegisterService, tmp_path: Path
) -> None:
    text = text_of(export_pdf(service, tmp_path / "empty.pdf", today=TODAY))
    assert "Many near misses" not in text


def test_cli_exports_a_draft_unless_told_to_issue(
    demo_service: RegisterService, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(demo_service.register.path)
    draft, issued = tmp_path / "draft.pdf", tmp_path / "issued.pdf"
    assert main(["export", "--db", db, "--out", str(draft), "--no-appendix"]) == 0
    assert "a draft" in capsys.readouterr().out
    demo = [p["file_name"] for p in demo_service.rows("board_pack")]
    assert set(demo) == {"demo data (no pack was issued)"}  # the demo's past quarters
    assert main(["export", "--db", db, "--out", str(issued), "--no-appendix", "--issue"]) == 0
    assert "issued" in capsys.readouterr().out
    assert [p["file_name"] for p in demo_service.rows("board_pack")] == [*demo, "issued.pdf"]


def test_export_dialog_issues_only_when_asked(window: MainWindow, qtbot: QtBot) -> None:
    from riskdesk.ui.dialogs.export import ExportDialog

    dialog = ExportDialog(window.service, window.settings, window)
    qtbot.addWidget(dialog)
    assert dialog.record.text() == "&Issue pack (sets the baseline)"
    assert not dialog.record.isChecked()


@pytest.mark.parametrize("rows", [5, 7, 12, 40])
def test_a_split_table_leaves_no_orphan_rows(rows: int) -> None:
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import Paragraph

    from riskdesk.reports.pdf.builder import MIN_ROWS_PER_PART, KeptTable

    style = getSampleStyleSheet()["Normal"]
    data = [["head"]] + [[Paragraph(f"row {i}", style)] for i in range(rows)]
    for room_rows in range(1, rows + 1):
        table = KeptTable(data, colWidths=[100], rowHeights=[20] * (rows + 1), repeatRows=1)
        table.wrap(100, 10_000)
        parts = table.split(100, 20 * (room_rows + 1) + 1)  # header + room_rows fit
        if not parts:
            continue  # moved whole to the next page
        if len(parts) == 1:
            assert len(parts[0]._cellvalues) == rows + 1
            continue
        body = [len(p._cellvalues) - 1 for p in parts]
        assert sum(body) == rows
        assert min(body) >= MIN_ROWS_PER_PART, (rows, room_rows, body)


def test_the_pack_shows_the_direction_since_the_last_packs(
    demo_service: RegisterService, tmp_path: Path
) -> None:
    svc = demo_service
    export_pdf(svc, tmp_path / "p1.pdf", appendix=False, record=True, today=TODAY)
    person = next(p for p in svc.rows("person") if not p["has_left"])
    svc.update("person", person["id"], {"has_left": True})
    export_pdf(svc, tmp_path / "p2.pdf", appendix=False, record=True, today=TODAY)
    from riskdesk.reports.snapshot import pack_trend

    *_, first, second = pack_trend(svc)  # after the demo's invented past quarters
    assert first.gaps is not None and second.gaps is not None
    assert second.gaps > first.gaps  # the leaver's uses opened gaps
    third = export_pdf(svc, tmp_path / "p3.pdf", appendix=False, today=TODAY)
    text = text_of(third)
    assert "Direction since the last 4 packs" in text
    assert f"{first.gaps}" in raw_text(third).split("Direction since")[1]


def test_incidents_in_the_pack_show_their_status(
    demo_service: RegisterService, tmp_path: Path
) -> None:
    pack = export_pdf(demo_service, tmp_path / "pack.pdf", appendix=False, today=TODAY)
    section = raw_text(pack).split("Incidents and near misses")[-1]
    assert "Near miss · Open" in section or "Incident · Open" in section
