"""An edit reloads the page on screen and marks the others stale (issue 19 §4); the
dashboard's kept gap counts equal a fresh count after every kind of edit."""

from __future__ import annotations

import datetime as dt

from pytestqt.qtbot import QtBot

from riskdesk.service import dashboard, dashboard_state
from riskdesk.service.dashboard import dashboard_data
from riskdesk.service.register import RegisterService
from riskdesk.ui.main_window import MainWindow

TODAY = dt.date(2026, 11, 1)  # the demo register's day (conftest.DEMO_TODAY)


def risk_titles(window: MainWindow) -> list[str]:
    model = window.risks_page.model
    return [model.values(row)[1] for row in range(model.rowCount())]


def test_table_pages_read_no_rows_until_shown(window: MainWindow) -> None:
    assert not window.uses_page.model.loaded and window.uses_page.model.rowCount() == 0
    window.show_page("uses")
    assert window.uses_page.model.loaded and window.uses_page.model.rowCount() == 28
    assert "uses" not in window.stale and "risks" in window.stale


def test_an_edit_reloads_the_page_shown_and_marks_the_others_stale(
    window: MainWindow, qtbot: QtBot
) -> None:
    window.show_page("risks")
    before = risk_titles(window)
    window.show_page("uses")
    use_id = window.uses_page.model.id_at(0)
    window.history.update("Rename", "ai_use", use_id, {"name": "Renamed on the uses page"})
    window.history.create("Add risk", "risk", {"use_id": use_id, "title": "A risk added meanwhile"})
    # the page on screen shows the edit at once
    assert "Renamed on the uses page" in [
        window.uses_page.model.values(r)[1] for r in range(window.uses_page.model.rowCount())
    ]
    # the risks page did not read its rows again: it still lists what it had
    assert "risks" in window.stale and risk_titles(window) == before
    window.show_page("risks")
    assert "risks" not in window.stale
    assert "A risk added meanwhile" in risk_titles(window)  # reloaded when shown
    assert len(risk_titles(window)) == len(before) + 1


def test_the_vendors_banner_is_filled_when_the_vendors_page_is_shown(window: MainWindow) -> None:
    assert window.vendor_banner.text() == ""
    window.show_page("vendors")
    assert window.vendor_banner.text() != ""


def test_kept_dashboard_figures_equal_a_fresh_count_after_edits(
    demo_service: RegisterService,
) -> None:
    service = demo_service

    def same() -> None:
        kept = dashboard_data(service, TODAY)
        assert kept == dashboard_data(service, TODAY, cached=False)

    same()
    state = dashboard_state._STATES[service]
    assert dashboard_data(service, TODAY) is dashboard_data(service, TODAY)  # nothing changed
    uses = service.rows("ai_use")
    first, second = uses[0]["id"], uses[1]["id"]
    risk = service.rows("risk", use_id=first)[0]

    service.update("ai_use", first, {"kill_switch": "", "monitoring": ""})  # a use's own gaps
    same()
    assert dashboard_state._STATES[service].counts is not state.counts  # brought up to date
    service.update("risk", risk["id"], {"use_id": second})  # a risk moves to another use
    same()
    service.create(
        "risk",
        {
            "use_id": first,
            "title": "New",
            "inherent_likelihood": 5,
            "inherent_impact": 5,
            "residual_likelihood": 5,
            "residual_impact": 5,
        },
    )
    same()
    service.update("ai_use", second, {"stage": "retired"})  # retired: out of the counts
    same()
    new = service.create("ai_use", {"name": "Brand new use"})
    same()
    service.delete("ai_use", new)
    same()
    person = service.rows("person")[0]
    service.update("person", person["id"], {"has_left": True})  # reaches many uses
    same()
    # a new day counts afresh
    assert dashboard_data(service, TODAY + dt.timedelta(days=400)) == dashboard_data(
        service, TODAY + dt.timedelta(days=400), cached=False
    )


def test_changed_uses_reads_the_events_after_the_head(demo_service: RegisterService) -> None:
    service = demo_service
    head = dashboard.audit_head(service)
    assert dashboard.changed_uses(service, head) == set()
    use_id = service.rows("ai_use")[0]["id"]
    risk_id = service.rows("risk", use_id=use_id)[0]["id"]
    service.update("risk", risk_id, {"title": "Retitled"})
    assert dashboard.changed_uses(service, head) == {use_id}
    service.update("person", service.rows("person")[0]["id"], {"title": "Chief"})
    assert dashboard.changed_uses(service, head) is None  # a person reaches other uses
