"""``riskdesk trend``: the dashboard's quarterly trend as a table and as JSON."""

from __future__ import annotations

import datetime as dt
import json
from functools import partial
from pathlib import Path

import pytest

from riskdesk.cli import cmd_trend
from riskdesk.cli.main import main
from riskdesk.reports.snapshot import take_snapshot
from riskdesk.service import audit, trends
from riskdesk.service.register import RegisterService
from tests.answers import answered
from tests.test_cli_imports import modules_after

TODAY = "2026-11-15"  # Q4 2026
ORIGINAL_APPEND = audit.append


def _logged_on(monkeypatch: pytest.MonkeyPatch, day: dt.date) -> None:
    """Every change from now on is audited as made at noon on ``day``."""
    when = dt.datetime(day.year, day.month, day.day, 12, tzinfo=dt.UTC)
    monkeypatch.setattr(audit, "append", partial(ORIGINAL_APPEND, at=when))


def _issue(service: RegisterService, on: dt.date, gaps: dict[int, list[str]]) -> None:
    snapshot = take_snapshot(service.rows("ai_use"), service.rows("risk"), gaps=gaps, overdue=set())
    service.create(
        "board_pack",
        {
            "exported_at": dt.datetime(on.year, on.month, on.day, 12),
            "exported_by": "Champion",
            "file_name": f"pack-{on.isoformat()}.pdf",
            "chain_head": "x",
            "snapshot": json.dumps(snapshot),
        },
    )


@pytest.fixture
def history(service: RegisterService, monkeypatch: pytest.MonkeyPatch) -> dict[str, int]:
    """Audit events in Q1 2026, a pack in Q2 and another in Q3."""
    ids: dict[str, int] = {}
    _logged_on(monkeypatch, dt.date(2026, 2, 10))  # Q1: audit trail only
    ids["a"] = service.create("ai_use", answered(name="Drafting aid", stage="production"))
    ids["b"] = service.create("ai_use", {"name": "Unassessed chatbot", "stage": "pilot"})
    service.create("incident", {"use_id": ids["a"], "kind": "near_miss", "title": "Wrong"})
    _logged_on(monkeypatch, dt.date(2026, 5, 20))  # Q2: a pack with two gaps
    _issue(service, dt.date(2026, 5, 20), {ids["a"]: ["owner|a"], ids["b"]: ["assess|b"]})
    _logged_on(monkeypatch, dt.date(2026, 8, 1))  # Q3: a new High use, a pack with three
    ids["c"] = service.create(
        "ai_use", answered(name="CV screening", stage="production", eu_ai_act_class="high_risk")
    )
    service.create("incident", {"use_id": ids["c"], "kind": "incident", "title": "Bias"})
    _issue(service, dt.date(2026, 8, 1), {ids["a"]: ["owner|a"], ids["c"]: ["x|c", "y|c"]})
    monkeypatch.setattr(audit, "append", ORIGINAL_APPEND)
    return ids


def test_trend_json_has_each_quarter_and_unknowns_as_null(
    service: RegisterService,
    history: dict[str, int],
    db_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["trend", "--db", str(db_path), "--json", "--today", TODAY]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["started"] == "2026-02-10"
    quarters = data["quarters"]
    assert [q["quarter"] for q in quarters] == ["Q1 2026", "Q2 2026", "Q3 2026", "Q4 2026"]
    assert [q["source"] for q in quarters] == ["audit", "pack", "pack", "now"]
    q1, q2, q3, q4 = (q["values"] for q in quarters)
    # Q1 from the audit trail: tiers known, gaps and overdue never recorded
    assert q1 == {
        "gaps": None,
        "overdue": None,
        "not_assessed": 1,
        "high_critical": 0,
        "incidents": 0,
        "near_misses": 1,
    }
    assert (q2["gaps"], q2["overdue"], q2["high_critical"]) == (2, 0, 0)
    assert (q3["gaps"], q3["high_critical"], q3["incidents"]) == (3, 1, 1)
    assert quarters[2]["as_of"] == "2026-08-01" and quarters[1]["as_of"] == "2026-05-20"
    # the current quarter is the register now, as the service computes it
    now = trends.current_position(service, dt.date.fromisoformat(TODAY))
    assert {k: q4[k] for k in now} == now
    assert quarters[3]["start"] == "2026-10-01" and quarters[3]["end"] == "2026-12-31"


def test_trend_table_prints_unknown_never_zero(
    history: dict[str, int], db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["trend", "--db", str(db_path), "--today", TODAY]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split()[:2] == ["Quarter", "As"]
    q1 = next(line for line in lines if line.startswith("Q1 2026"))
    q3 = next(line for line in lines if line.startswith("Q3 2026"))
    # open gaps and overdue reviews of Q1: unknown, then not assessed 1, High 0
    assert q1.split()[3:7] == ["unknown", "unknown", "1", "0"]
    assert q1.endswith("from the audit trail, at the quarter's end")
    assert q3.split()[3:5] == ["3", "0"] and "from the board pack issued" in q3
    assert "2026-08-01" in q3
    assert any("Audit trail starts on 2026-02-10" in line for line in lines)


def test_trend_quarters_limits_the_points(
    history: dict[str, int], db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["trend", "--db", str(db_path), "--json", "--quarters", "2", "--today", TODAY]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [q["quarter"] for q in data["quarters"]] == ["Q3 2026", "Q4 2026"]
    assert main(["trend", "--db", str(db_path), "--quarters", "0"]) == 1
    assert "--quarters must be 1 or more" in capsys.readouterr().err


def test_trend_default_matches_the_service_and_help_stays_light() -> None:
    assert cmd_trend.DEFAULT_QUARTERS == trends.QUARTERS
    loaded = modules_after(
        "import contextlib, io\n"
        "from riskdesk.cli.main import main\n"
        "out = io.StringIO()\n"
        "with contextlib.redirect_stdout(out):\n"
        "    try:\n"
        "        main(['--help'])\n"
        "    except SystemExit:\n"
        "        pass\n"
        "assert 'trend' in out.getvalue()\n"
    )
    assert "riskdesk.service.trends" not in loaded
