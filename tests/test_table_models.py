"""The register's table models over service queries: Qt's model contract, lazy pages."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pytest
from PySide6.QtCore import Qt

from riskdesk.service import queries
from riskdesk.service.evidence import controls_with_evidence
from riskdesk.service.register import RegisterService
from riskdesk.ui.models import table_model
from riskdesk.ui.models.register_models import (
    IncidentTableModel,
    PersonTableModel,
    RiskTableModel,
    UseTableModel,
    VendorTableModel,
)
from riskdesk.ui.models.table_model import ObjectRole, QueryTableModel
from riskdesk.ui.pages.controls import ControlTableModel


def _models(service: RegisterService) -> list[QueryTableModel]:
    use_id = service.rows("risk")[0]["use_id"]
    return [
        UseTableModel(queries.uses(service)),
        RiskTableModel(queries.risks(service)),
        RiskTableModel(queries.risks(service, use_id)),
        PersonTableModel(queries.people(service)),
        VendorTableModel(queries.vendors(service)),
        IncidentTableModel(queries.incidents(service)),
        ControlTableModel(controls_with_evidence(service)),  # with its Evidence column
    ]


def test_every_model_passes_the_model_tester_sorted_and_searched(
    demo_service: RegisterService,
    qtmodeltester,  # type: ignore[no-untyped-def]
) -> None:
    for model in _models(demo_service):
        assert model.rowCount() > 0, type(model).__name__
        qtmodeltester.check(model, force_py=True)
        model.sort(1, Qt.SortOrder.DescendingOrder)
        model.set_search("a")
        qtmodeltester.check(model, force_py=True)


def test_a_filtered_use_model_passes_and_shows_only_the_filtered_rows(
    demo_service: RegisterService,
    qtmodeltester,  # type: ignore[no-untyped-def]
) -> None:
    model = UseTableModel(queries.uses(demo_service))
    model.set_filter(queries.live_uses_in_tier("critical"))
    assert model.has_filter
    expected = {
        u["id"]
        for u in demo_service.rows("ai_use")
        if u["tier"] == "critical" and u["stage"] != "retired"
    }
    assert {model.id_at(r) for r in range(model.rowCount())} == expected
    assert {model.index(r, UseTableModel.TIER).data() for r in range(model.rowCount())} == {
        "Critical"
    }
    qtmodeltester.check(model, force_py=True)
    model.set_filter(None)
    assert model.rowCount() == demo_service.count("ai_use")


def test_tier_column_sorts_by_severity_and_shows_labels(demo_service: RegisterService) -> None:
    model = UseTableModel(queries.uses(demo_service))
    model.sort(UseTableModel.TIER, Qt.SortOrder.DescendingOrder)
    shown = [model.index(r, UseTableModel.TIER).data() for r in range(model.rowCount())]
    order = ["Critical", "High", "Moderate", "Low"]
    assert shown == sorted(shown, key=order.index)
    assert shown[0] == "Critical" and shown[-1] == "Low"
    assert model.index(0, UseTableModel.TIER).data(Qt.ItemDataRole.BackgroundRole) is not None


def test_rows_are_fetched_a_page_at_a_time(
    demo_service: RegisterService, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(table_model, "PAGE", 10)
    query = queries.uses(demo_service)
    asked: list[list[int]] = []
    fetch = query.fetch

    def counting(ids: Sequence[int]) -> list[tuple[Any, ...]]:
        asked.append(list(ids))
        return fetch(ids)

    monkeypatch.setattr(query, "fetch", counting)
    model = UseTableModel(query)
    assert model.rowCount() == 28 and asked == []  # counting rows reads no row
    ids = [model.id_at(r) for r in range(model.rowCount())]
    assert model.index(3, UseTableModel.NAME).data()
    assert model.index(9, UseTableModel.NAME).data()
    assert asked == [ids[0:10]]
    assert model.index(25, UseTableModel.ID).data() == str(ids[25])
    assert asked == [ids[0:10], ids[20:28]]
    assert model.index(25, 0).data(ObjectRole) == ids[25]


def test_a_model_refuses_another_tables_query(service: RegisterService) -> None:
    with pytest.raises(ValueError, match="ai_use"):
        UseTableModel(queries.people(service))
