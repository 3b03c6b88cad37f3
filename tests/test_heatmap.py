"""The 5×5 heatmap: counts per cell, mode switch, and a click filters the risk list."""

from __future__ import annotations

from collections import Counter

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from riskdesk.enums import Band
from riskdesk.scoring.bands import band
from riskdesk.service.dashboard import HEAT_MODES, heat_counts
from riskdesk.service.register import RegisterService
from riskdesk.ui.main_window import MainWindow
from riskdesk.ui.widgets.heatmap import BAND_FILL, HeatmapPanel, HeatmapWidget


def expected_cells(service: RegisterService, mode: str) -> dict[tuple[int, int], set[int]]:
    """Worked out in Python from the rows, independently of the SQL the widget uses."""
    live_uses = {u["id"] for u in service.rows("ai_use") if u["stage"] != "retired"}
    cells: dict[tuple[int, int], set[int]] = {}
    for risk in service.rows("risk"):
        lik, imp = risk[f"{mode}_likelihood"], risk[f"{mode}_impact"]
        if risk["status"] == "closed" or risk["use_id"] not in live_uses or lik is None:
            continue
        cells.setdefault((lik, imp), set()).add(risk["id"])
    return cells


def listed_risks(win: MainWindow) -> set[int]:
    model = win.risks_page.model
    return {model.id_at(r) for r in range(model.rowCount())}


def test_counts_match_the_risks_for_every_mode(demo_service: RegisterService) -> None:
    risks = demo_service.rows("risk")
    # give a few risks a target and close one, so every mode and the exclusions are exercised
    for risk in risks[:4]:
        demo_service.update("risk", risk["id"], {"target_likelihood": 1, "target_impact": 2})
    demo_service.update("risk", risks[5]["id"], {"status": "closed"})
    for mode in HEAT_MODES:
        expected = {cell: len(ids) for cell, ids in expected_cells(demo_service, mode).items()}
        assert heat_counts(demo_service, mode) == expected
    assert heat_counts(demo_service, "target")[(1, 2)] >= 4


def test_clicking_a_cell_filters_the_risks_page_to_exactly_that_cell(
    window: MainWindow, qtbot: QtBot
) -> None:
    panel = window.dashboard_page.heatmap
    assert panel.mode == "residual"
    cells = expected_cells(window.service, "residual")
    (lik, imp), ids = max(cells.items(), key=lambda kv: len(kv[1]))
    grid = panel.grid
    assert grid.count(lik, imp) == len(ids)
    qtbot.mouseClick(grid, Qt.MouseButton.LeftButton, pos=grid.cell_rect(lik, imp).center())
    assert window.stack.currentWidget() is window.risks_page
    assert listed_risks(window) == ids
    label = window.risks_page.filter_label.text()
    assert f"Residual likelihood {lik} × impact {imp}" in label
    assert band(lik * imp).label in label
    window.risks_page.clear_filter()
    assert len(listed_risks(window)) == window.service.count("risk")


def test_switching_to_inherent_recounts_and_filters_by_inherent(
    window: MainWindow, qtbot: QtBot
) -> None:
    panel = window.dashboard_page.heatmap
    qtbot.mouseClick(panel.mode_buttons["inherent"], Qt.MouseButton.LeftButton)
    assert panel.mode == "inherent"
    cells = expected_cells(window.service, "inherent")
    assert {c: n for c, n in panel.grid.counts.items()} == {c: len(i) for c, i in cells.items()}
    assert panel.total.text() == f"{sum(len(i) for i in cells.values())} open risks"
    panel.grid.click_cell(5, 5)
    assert listed_risks(window) == cells.get((5, 5), set())
    assert "Inherent likelihood 5 × impact 5" in window.risks_page.filter_label.text()


def test_empty_cell_lists_nothing(window: MainWindow) -> None:
    panel = window.dashboard_page.heatmap
    cells = expected_cells(window.service, "residual")
    empty = next(
        (lik, imp) for lik in range(1, 6) for imp in range(1, 6) if (lik, imp) not in cells
    )
    panel.grid.click_cell(*empty)
    assert listed_risks(window) == set()
    assert not window.risks_page.filter_bar.isHidden()


def test_target_mode_counts_only_risks_with_a_target(window: MainWindow) -> None:
    panel = window.dashboard_page.heatmap
    panel.set_mode("target")
    cells = expected_cells(window.service, "target")
    assert cells, "the demo gives treated risks a target"
    assert panel.grid.counts == {c: len(i) for c, i in cells.items()}
    assert panel.total.text() == f"{sum(len(i) for i in cells.values())} open risks"
    for risk in window.service.rows("risk"):
        window.service.update(
            "risk", risk["id"], {"target_likelihood": None, "target_impact": None}
        )
    window.dashboard_page.refresh_now()
    panel.set_mode("target")
    assert panel.grid.counts == {}
    assert panel.total.text() == "0 open risks"
    with pytest.raises(ValueError, match="heatmap mode"):
        panel.set_mode("hoped-for")


def test_cells_are_laid_out_likelihood_up_impact_across(qtbot: QtBot) -> None:
    grid = HeatmapWidget()
    qtbot.addWidget(grid)
    grid.resize(grid.sizeHint())
    for lik in range(1, 6):
        for imp in range(1, 6):
            assert grid.cell_at(grid.cell_rect(lik, imp).center()) == (lik, imp)
    assert grid.cell_rect(5, 1).top() < grid.cell_rect(1, 1).top()  # 5 at the top
    assert grid.cell_rect(1, 5).left() > grid.cell_rect(1, 1).left()  # impact to the right
    assert grid.cell_at(grid.rect().bottomLeft()) is None  # the axis labels are not cells


def test_keyboard_moves_and_activates_cells(qtbot: QtBot) -> None:
    grid = HeatmapWidget()
    qtbot.addWidget(grid)
    grid.show()
    grid.setFocus()
    hits: list[tuple[int, int]] = []
    grid.cell_activated.connect(lambda lik, imp: hits.append((lik, imp)))
    assert grid.current == (3, 3)
    for key in (Qt.Key.Key_Up, Qt.Key.Key_Up, Qt.Key.Key_Up, Qt.Key.Key_Left):
        qtbot.keyClick(grid, key)
    qtbot.keyClick(grid, Qt.Key.Key_Return)
    assert hits == [(5, 2)]  # clamped at the top row


def test_cells_are_painted_in_their_band_colour(qtbot: QtBot) -> None:
    panel = HeatmapPanel()
    qtbot.addWidget(panel)
    panel.resize(520, 420)
    panel.set_all_counts({"residual": {(1, 1): 2, (5, 5): 1, (2, 3): 4, (3, 4): 7}})
    panel.show()
    qtbot.waitExposed(panel)
    image = panel.grid.grab().toImage()
    for (lik, imp), expected in {
        (1, 1): Band.LOW,
        (2, 3): Band.MEDIUM,
        (3, 4): Band.HIGH,
        (5, 5): Band.CRITICAL,
    }.items():
        rect = panel.grid.cell_rect(lik, imp)
        # a point inside the cell, clear of the count and the score in the corner
        colour = image.pixelColor(rect.left() + 6, rect.bottom() - 6).name()
        assert colour == BAND_FILL[expected], (lik, imp, colour)
    assert Counter(panel.grid.counts.values()) == Counter([2, 1, 4, 7])
