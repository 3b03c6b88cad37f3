"""The dashboard's trend chart (issue 15), concentration tile (issue 17) and first-run
path (issue 14), on real widgets."""

from __future__ import annotations

import datetime as dt
from functools import partial
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from pytestqt.qtbot import QtBot

from riskdesk.service import audit
from riskdesk.service.register import RegisterService
from riskdesk.service.trends import previous_quarter, quarter_label
from riskdesk.service.vendors import concentration, concentration_headline
from riskdesk.ui.main_window import MainWindow
from riskdesk.ui.pages.dashboard import DashboardActions, DashboardPage
from riskdesk.ui.pages.dashboard_extras import PathActions
from tests.answers import answered


# --- the trend chart --------------------------------------------------------------------------
def test_trend_chart_shows_the_register_now_as_text(window: MainWindow, qtbot: QtBot) -> None:
    page = window.dashboard_page
    data, chart = page.data, page.trend_card.chart
    assert data is not None and chart.trend is not None and page.trend_card.isVisible()
    now = chart.trend.points[-1]
    assert now.source == "now" and now.label == quarter_label(data.today)
    description = chart.accessibleDescription()
    assert f"open gaps {data.gaps_total:,}" in description
    assert f"overdue reviews {len(data.overdue)}" in description
    high = data.by_tier["high"] + data.by_tier["critical"]
    assert f"high or critical {high}" in description
    near = sum(1 for i in window.service.rows("incident") if i["kind"] == "near_miss")
    assert f"near misses {near}" in description
    assert chart.toolTip() == chart.text_alternative() == chart.trend.text()
    assert chart.accessibleName() and chart.focusPolicy() & Qt.FocusPolicy.TabFocus


def test_trend_chart_walks_the_quarters_by_keyboard_and_says_unknown(
    qtbot: QtBot, service: RegisterService, monkeypatch: pytest.MonkeyPatch
) -> None:
    today = dt.date.today()
    earlier = previous_quarter(today) + dt.timedelta(days=20)
    when = dt.datetime(earlier.year, earlier.month, earlier.day, 12, tzinfo=dt.UTC)
    monkeypatch.setattr(audit, "append", partial(audit.append, at=when))
    service.create("ai_use", answered(name="CV screening", eu_ai_act_class="high_risk"))
    service.create("ai_use", {"name": "Unassessed chatbot"})
    monkeypatch.undo()
    page = DashboardPage(service, DashboardActions())
    qtbot.addWidget(page)
    page.resize(1200, 900)
    page.show()
    page.refresh_now()
    chart = page.trend_card.chart
    assert [p.label for p in chart.trend.points] == [  # type: ignore[union-attr]
        quarter_label(earlier),
        quarter_label(today),
    ]
    assert page.trend_card.note.text() == f"{quarter_label(earlier)} – {quarter_label(today)}"
    chart.setFocus()
    qtbot.keyClick(chart, Qt.Key.Key_Left)
    description = chart.accessibleDescription()
    assert description.startswith(quarter_label(earlier))
    # replayed from the audit trail: the tiers are known, gaps are not (and not 0)
    assert "open gaps unknown" in description and "overdue reviews unknown" in description
    assert "high or critical 1" in description and "not assessed 1" in description
    qtbot.keyClick(chart, Qt.Key.Key_End)
    assert chart.accessibleDescription().startswith(quarter_label(today))
    assert "open gaps unknown" not in chart.accessibleDescription()
    assert not chart.grab().isNull()  # paints with a gap in the line


# --- the concentration tile -------------------------------------------------------------------
def test_concentration_tile_names_the_top_provider_and_opens_vendors(
    window: MainWindow, qtbot: QtBot
) -> None:
    tile = window.dashboard_page.concentration_tile
    found = concentration(window.service)
    top = found.providers[0]
    assert top.uses - top.direct > 0  # the demo's top provider is reached through others
    assert tile.caption == f"of people affected depend on {top.name}"
    assert tile.detail.startswith(f"{top.name} — {top.uses} uses, {top.high_or_critical} High")
    assert tile.big == f"{found.top_share:.0%}"
    assert concentration_headline(found) in tile.accessibleDescription()
    tile.setFocus()
    qtbot.keyClick(tile, Qt.Key.Key_Return)
    assert window.stack.currentWidget() is window.vendors_page
    window.show_page("dashboard")
    qtbot.mouseClick(tile, Qt.MouseButton.LeftButton)
    assert window.stack.currentWidget() is window.vendors_page


# --- the first-run path -----------------------------------------------------------------------
def test_first_run_path_on_an_empty_register_and_done_step_by_step(
    qtbot: QtBot, service: RegisterService
) -> None:
    page = DashboardPage(service, DashboardActions())
    qtbot.addWidget(page)
    page.resize(1200, 900)
    page.show()
    page.refresh_now()
    card = page.first_run
    assert card.isVisible() and not page.trend_card.isVisible()
    assert [card.titles[k].text() for k in ("add", "assess", "owners", "pack")] == [
        "1. Import or add your AI uses",
        "2. Assess each use",
        "3. Name a 1st-line owner for each",
        "4. Issue a board pack",
    ]
    assert not any(card.is_done(k) for k in ("add", "assess", "owners", "pack"))
    assert card.note.text() == "0 of 4 steps done"
    assert not card.buttons["assess_next"].isEnabled()

    first = service.create("ai_use", {"name": "Chatbot"})
    service.create("ai_use", answered(name="Drafting aid"))
    page.refresh_now()
    assert card.is_done("add") and not card.is_done("assess")
    assert card.statuses["assess"].text() == "1 of 2 uses assessed"
    assert card.titles["add"].text().startswith("✓")
    assert card.buttons["assess_next"].isEnabled() and card.next_to_assess == first

    for use in service.rows("ai_use"):
        service.update("ai_use", use["id"], answered())
    page.refresh_now()
    assert card.is_done("assess") and card.statuses["assess"].text().startswith("2 of 2 uses")
    assert card.statuses["owners"].text() == "0 of 2 uses have an owner"
    person = service.create("person", {"name": "Dana Whitfield"})
    for use in service.rows("ai_use"):
        service.update("ai_use", use["id"], {"owner_first_id": person})
    page.refresh_now()
    assert card.is_done("owners") and card.note.text() == "3 of 4 steps done"

    service.create(
        "board_pack",
        {"exported_by": "Dana", "file_name": "pack.pdf", "chain_head": "x", "snapshot": ""},
    )
    page.refresh_now()
    assert card.is_done("pack") and not card.isVisible()  # the first run is over


def test_first_run_buttons_do_their_step(qtbot: QtBot, service: RegisterService) -> None:
    calls: list[object] = []
    actions = PathActions(
        import_spreadsheet=lambda: calls.append("import"),
        new_use=lambda: calls.append("new"),
        edit_use=lambda key: calls.append(("edit", key)),
        show_page=lambda key: calls.append(("page", key)),
        export_board_pack=lambda: calls.append("export"),
    )
    use = service.create("ai_use", {"name": "Chatbot"})
    page = DashboardPage(service, DashboardActions(path=actions))
    qtbot.addWidget(page)
    page.show()
    page.refresh_now()
    for name in ("import", "new_use", "assess_next", "uses_page", "owner_next", "people"):
        qtbot.mouseClick(page.first_run.buttons[name], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(page.first_run.buttons["export_pack"], Qt.MouseButton.LeftButton)
    assert calls == [
        "import",
        "new",
        ("edit", use),
        ("page", "uses"),
        ("edit", use),
        ("page", "people"),
        "export",
    ]


def test_the_window_wires_the_path_to_real_pages_and_the_board_pack(
    qtbot: QtBot, service: RegisterService, settings: QSettings, tmp_path: Path
) -> None:
    from riskdesk.ui.app import build_window
    from riskdesk.ui.dialogs.export import ExportDialog

    win = build_window(service, settings)
    qtbot.addWidget(win)
    win.resize(1366, 768)
    win.show()
    qtbot.waitUntil(lambda: win.dashboard_page.data is not None, timeout=10_000)
    card = win.dashboard_page.first_run
    assert card.isVisible()
    qtbot.mouseClick(card.buttons["people"], Qt.MouseButton.LeftButton)
    assert win.stack.currentWidget() is win.people_page
    win.show_page("dashboard")
    qtbot.mouseClick(card.buttons["export_pack"], Qt.MouseButton.LeftButton)
    dialog = win.findChild(ExportDialog)
    assert dialog is not None and dialog.fmt == "pdf"
    # Issuing the pack ends the first run: the dashboard notices without another edit.
    dialog.path.setText(str(tmp_path / "first-pack.pdf"))
    dialog.record.setChecked(True)
    with qtbot.waitSignal(dialog.exported, timeout=120_000):
        qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not card.isVisible(), timeout=10_000)
    assert card.is_done("pack")
    # the whole dashboard fits a laptop window's width: no sideways scrolling
    assert not win.dashboard_page.horizontalScrollBar().isVisible()
    assert card._columns == 4  # the four steps side by side at 1366 px


def test_narrow_dashboard_wraps_the_steps_instead_of_scrolling_sideways(
    qtbot: QtBot, service: RegisterService
) -> None:
    page = DashboardPage(service, DashboardActions())
    qtbot.addWidget(page)
    page.resize(760, 700)
    page.show()
    page.refresh_now()
    qtbot.waitUntil(lambda: page.first_run._columns == 2)
    inner = page.widget()
    qtbot.waitUntil(lambda: inner.width() <= page.viewport().width())
    assert not page.horizontalScrollBar().isVisible()


def test_first_run_steps_open_the_use_where_the_step_is_done(
    window: MainWindow, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    # "Assess next" lands on the questions, "Next without owner" on the owners: opening
    # on "What it is" left the user to find the tab (found walking the first hour)
    use = window.service.create("ai_use", {"name": "Chatbot"})
    shown: list[tuple[int | None, object, bool]] = []

    def run(kind: str, key: int | None, editor: object) -> bool:
        ui = editor.ui  # type: ignore[attr-defined]
        owner_in_front = ui.tabs.currentWidget().isAncestorOf(ui.owner_first_id)
        shown.append((key, ui.tabs.currentWidget().objectName(), owner_in_front))
        editor.deleteLater()  # type: ignore[attr-defined]
        return False

    monkeypatch.setattr(window.editors, "run_editor", run)
    page = window.dashboard_page
    window.show_page("dashboard")
    page.refresh_now()
    qtbot.mouseClick(page.first_run.buttons["assess_next"], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(page.first_run.buttons["owner_next"], Qt.MouseButton.LeftButton)
    assert shown == [(use, "exposureTab", False), (use, "oversightTab", True)]
