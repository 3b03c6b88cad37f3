"""The dashboard page: first page, figures agree with the service, clicks lead somewhere."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QWidget
from pytestqt.qtbot import QtBot

from riskdesk.enums import SCORED_TIERS, Tier
from riskdesk.service.dashboard import dashboard_data
from riskdesk.service.oversight import gap_count, register_gaps
from riskdesk.service.register import RegisterService
from riskdesk.service.summary import register_summary
from riskdesk.ui.editors.use_editor import UseEditor
from riskdesk.ui.main_window import MainWindow
from riskdesk.ui.pages.dashboard import DashboardActions, DashboardPage
from riskdesk.ui.pages.dashboard_cards import Row, RowsModel
from tests.answers import answered


def tile_values(win: MainWindow) -> dict[str, int]:
    return {tier: tile.value for tier, tile in win.dashboard_page.tier_tiles.items()}


def test_dashboard_is_the_first_page_and_shown_on_opening(window: MainWindow) -> None:
    assert window.nav.item(0).text() == "Dashboard"
    assert window.stack.currentWidget() is window.dashboard_page
    action = window.findChild(type(window.undo_action), "actionDashboard")
    window.show_page("risks")
    action.trigger()
    assert window.stack.currentWidget() is window.dashboard_page


def by_tier_value(summary: dict[str, Any]) -> dict[str, int]:
    """``summary --json``'s by_tier keyed by tier value ("unassessed" is Not assessed)."""
    counts = dict(summary["by_tier"])
    counts[Tier.NOT_ASSESSED.value] = counts.pop("unassessed")
    return counts


def test_tile_counts_equal_register_summary(window: MainWindow) -> None:
    summary = register_summary(window.service)
    assert tile_values(window) == by_tier_value(summary)
    assert set(tile_values(window)) == {t.value for t in Tier}
    # the demo has every tier, and its curated uses are all assessed
    assert all(tile_values(window)[t.value] > 0 for t in SCORED_TIERS)
    assert tile_values(window)[Tier.NOT_ASSESSED.value] == 0
    page = window.dashboard_page
    assert page.gaps_tile.value == summary["gaps"] == gap_count(window.service)


def test_lists_agree_with_register_gaps(window: MainWindow) -> None:
    page = window.dashboard_page
    gaps = register_gaps(window.service)
    overdue = {u.use_id for u in gaps if any(g.rung == "review_overdue" for g in u.gaps)}
    assert page.overdue_tile.value == len(overdue)
    assert {page.overdue.model.key_at(r) for r in range(page.overdue.model.rowCount())} <= overdue
    counts = sorted((len(u.gaps) for u in gaps if u.gaps), reverse=True)
    shown = [int(r.cells[2]) for r in page.most_gaps.model.rows]
    assert shown == counts[: len(shown)] and shown
    # the demo has one use whose 1st-line owner has left and one with nobody named
    no_owner = page.no_owner.model.rows
    assert sorted(r.cells[2] for r in no_owner) == ["Jordan Reyes has left", "Nobody is named"]
    assert page.owner_tile.value == 2


def test_zero_tiers_are_shown_as_zero(qtbot: QtBot, service: RegisterService) -> None:
    service.create("ai_use", answered(name="Staff drafting aid"))
    page = DashboardPage(service, DashboardActions())
    qtbot.addWidget(page)
    page.refresh_now()
    assert {t: tile.value for t, tile in page.tier_tiles.items()} == {
        "low": 1,
        "moderate": 0,
        "high": 0,
        "critical": 0,
        "not_assessed": 0,
    }
    assert page.gaps_tile.value == 2  # no owner, never reviewed
    assert page.no_owner.model.rows[0].cells == ["Staff drafting aid", "Low", "Nobody is named"]
    assert "No use is in the Critical tier" in page.critical_text.text()
    assert [r.cells for r in page.most_gaps.model.rows] == [["Staff drafting aid", "Low", "2"]]
    assert page.top_risks.model.rowCount() == 0
    assert not page.top_risks.empty.isHidden() and page.top_risks.view.isHidden()


def test_critical_uses_say_why(window: MainWindow) -> None:
    text = window.dashboard_page.critical_text.text()
    critical = [
        u for u in window.service.rows("ai_use", tier="critical") if u["stage"] != "retired"
    ]
    assert critical
    for use in critical:
        assert use["name"] in text
        assert f"use:{use['id']}" in text
    assert "MUST&nbsp;NOT&nbsp;BE&nbsp;DEPLOYED" in text  # the Article 5 demo use
    assert "Article 5.1.f" in text
    assert "Floor: rights-impacting (OMB M-24-10)" in text


def test_critical_link_opens_the_use_on_its_gaps_tab(
    window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[tuple[int | None, QWidget, int]] = []

    def fake_exec(editor: UseEditor) -> int:
        seen.append((editor.use_id, editor.ui.tabs.currentWidget(), editor.ui.gapsList.count()))
        return QDialog.DialogCode.Rejected.value

    monkeypatch.setattr(UseEditor, "exec", fake_exec)
    critical = window.dashboard_page.data.critical[0]  # type: ignore[union-attr]
    window.dashboard_page.critical_text.linkActivated.emit(f"use:{critical.use_id}")
    assert len(seen) == 1
    use_id, tab, items = seen[0]
    assert use_id == critical.use_id
    assert tab.objectName() == "gapsTab"
    assert items == critical.gap_count


def test_fixing_a_gap_in_the_editor_removes_it_from_the_dashboard(
    window: MainWindow, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    page = window.dashboard_page
    lacking = {
        u.use_id
        for u in register_gaps(window.service)
        if u.tier == "high" and any(g.rung == "kill_switch" for g in u.gaps)
    }
    row = next(r for r, item in enumerate(page.most_gaps.model.rows) if item.key in lacking)
    use_id = page.most_gaps.model.key_at(row)
    before = page.gaps_tile.value

    def fix_kill_switch(editor: UseEditor) -> int:
        assert editor.ui.tabs.currentWidget() is editor.ui.gapsTab
        listed = [editor.ui.gapsList.item(i).text() for i in range(editor.ui.gapsList.count())]
        assert any(text.startswith("No kill switch") for text in listed)
        editor.ui.kill_switch.setPlainText("IT can disable the integration in the admin console.")
        editor.save()
        return editor.result()

    monkeypatch.setattr(UseEditor, "exec", fix_kill_switch)
    view = page.most_gaps.view
    qtbot.mouseClick(
        view.viewport(),
        Qt.MouseButton.LeftButton,
        pos=view.visualRect(page.most_gaps.model.index(row, 0)).center(),
    )
    qtbot.waitUntil(lambda: page.gaps_tile.value == before - 1, timeout=10_000)
    assert window.stack.currentWidget() is page  # still on the dashboard
    rungs = [g.rung for g in register_gaps(window.service, use_ids=[use_id])[0].gaps]
    assert "kill_switch" not in rungs
    # and Undo brings the gap back
    window.undo_action.trigger()
    qtbot.waitUntil(lambda: page.gaps_tile.value == before, timeout=10_000)


def test_tier_tile_filters_the_uses_page(window: MainWindow, qtbot: QtBot) -> None:
    tile = window.dashboard_page.tier_tiles["high"]
    qtbot.mouseClick(tile, Qt.MouseButton.LeftButton)
    assert window.stack.currentWidget() is window.uses_page
    model = window.uses_page.model
    ids = {model.id_at(r) for r in range(model.rowCount())}
    expected = {
        u["id"] for u in window.service.rows("ai_use", tier="high") if u["stage"] != "retired"
    }
    assert ids == expected and len(ids) == tile.value
    assert "High-tier uses" in window.uses_page.filter_label.text()


def test_gap_and_owner_tiles_filter_by_keyboard(window: MainWindow, qtbot: QtBot) -> None:
    page = window.dashboard_page
    page.gaps_tile.setFocus()
    qtbot.keyClick(page.gaps_tile, Qt.Key.Key_Return)
    model = window.uses_page.model
    assert {model.id_at(r) for r in range(model.rowCount())} == set(page.data.gap_use_ids)  # type: ignore[union-attr]
    window.show_page("dashboard")
    qtbot.keyClick(page.owner_tile, Qt.Key.Key_Space)
    assert model.rowCount() == page.owner_tile.value == 2


def test_top_risk_opens_the_risk_editor(
    window: MainWindow, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    from riskdesk.ui.editors.risk_editor import RiskEditor

    opened: list[int | None] = []
    monkeypatch.setattr(RiskEditor, "exec", lambda self: opened.append(self.risk_id) or 0)
    card = window.dashboard_page.top_risks
    first = card.model.rows[0]
    qtbot.mouseClick(
        card.view.viewport(),
        Qt.MouseButton.LeftButton,
        pos=card.view.visualRect(card.model.index(0, 0)).center(),
    )
    assert opened == [first.key]
    scores = [int(r.cells[2].split()[-1]) for r in card.model.rows]
    assert scores == sorted(scores, reverse=True)
    assert scores[0] == 25


def test_hidden_page_waits_until_shown(qtbot: QtBot, demo_service: RegisterService) -> None:
    page = DashboardPage(demo_service, DashboardActions())
    qtbot.addWidget(page)
    page.refresh()
    assert page.data is None  # nothing gathered while nobody can see it
    with qtbot.waitSignal(page.updated, timeout=10_000):
        page.show()
    assert page.data is not None and page.data.live_uses == 27


def test_dashboard_data_counts_with_a_fixed_day(demo_service: RegisterService) -> None:
    today = dt.date(2026, 11, 1)
    data = dashboard_data(demo_service, today)
    assert data.today == today
    gaps = register_gaps(demo_service, today)
    assert data.gaps_total == sum(len(u.gaps) for u in gaps)
    assert data.by_tier == by_tier_value(register_summary(demo_service))
    dues = [r.due for r in data.overdue]
    never = [d for d in dues if d is None]
    assert dues == never + sorted(d for d in dues if d is not None)  # most overdue first
    assert all(d is None or d < today for d in dues)


def test_rows_model_passes_the_model_tester(qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    model = RowsModel(["Name", "Tier", "Gaps"], right_aligned=[2])
    model.set_rows(
        [
            Row(1, ["Chatbot", "High", "3"], {1: "#ffd1a3"}, "tip"),
            Row(2, ["Planner", "Low", "0"]),
        ]
    )
    qtmodeltester.check(model, force_py=True)
    assert model.data(model.index(0, 2), Qt.ItemDataRole.TextAlignmentRole) & int(
        Qt.AlignmentFlag.AlignRight
    )
    assert model.key_at(1) == 2


def test_empty_register_points_to_where_to_start(qtbot: QtBot, service: RegisterService) -> None:
    from riskdesk.ui.pages.dashboard import NO_USES

    page = DashboardPage(service, DashboardActions())
    qtbot.addWidget(page)
    page.refresh_now()
    assert page.most_gaps.empty.text() == NO_USES
    assert page.gaps_tile.value == 0 and page.gaps_tile.note == ""
    assert sum(page.heatmap.grid.counts.values()) == 0
    service.create("ai_use", {"name": "First use"})
    page.refresh_now()
    assert page.most_gaps.model.rowCount() == 1
    assert page.gaps_tile.note == "in 1 use"


def test_an_unanswered_use_is_counted_not_assessed_never_low(
    qtbot: QtBot, service: RegisterService
) -> None:
    service.create("ai_use", {"name": "Self-harm scanning"})
    page = DashboardPage(service, DashboardActions())
    qtbot.addWidget(page)
    page.refresh_now()
    tiles = {t: tile.value for t, tile in page.tier_tiles.items()}
    assert tiles["not_assessed"] == 1 and tiles["low"] == 0
    assert page.tier_tiles["not_assessed"].caption == "Not assessed"
    assert page.overdue_tile.value == 0  # its review clock starts at assessment
    [row] = page.most_gaps.model.rows
    assert row.cells[:2] == ["Self-harm scanning", "Not assessed"]
