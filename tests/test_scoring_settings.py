"""Saving the scoring settings: stored, audited, every use rescored, undoable."""

from __future__ import annotations

import json
from pathlib import Path
from types import MappingProxyType

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from riskdesk.progress import CancelFn, Cancelled, ProgressFn
from riskdesk.scoring import DEFAULT_CONFIG, METHOD_VERSION, SETTING_KEY, ScoringConfig
from riskdesk.service import audit
from riskdesk.service.errors import ValidationError
from riskdesk.service.register import ActionResult, RegisterService, table_of
from riskdesk.service.scoring_settings import (
    PROGRESS_EVERY,
    RescoreCancelled,
    parse_config,
    save_scoring_config,
    tier_changes,
)
from riskdesk.ui.dialogs.settings import SettingsDialog
from riskdesk.ui.main_window import MainWindow


def stricter() -> ScoringConfig:
    """Lower thresholds: every use scores the same points but lands in a higher tier."""
    return ScoringConfig(tier_thresholds={"moderate": 10, "high": 30, "critical": 50})


def uses_by_id(service: RegisterService) -> dict[int, dict[str, object]]:
    # Without ``version``: it only rises (an undo is a change too), the content returns.
    return {u["id"]: {k: v for k, v in u.items() if k != "version"} for u in service.rows("ai_use")}


def audit_rows(service: RegisterService) -> list[dict[str, object]]:
    table = table_of("audit_event")
    with service.engine.connect() as conn:
        return [dict(r) for r in conn.execute(select(table).order_by(table.c.id)).mappings()]


def test_save_stores_setting_and_rescores_every_use(demo_service: RegisterService) -> None:
    before = uses_by_id(demo_service)
    expected_moves = tier_changes(demo_service, stricter())
    assert expected_moves, "the stricter thresholds should move some demo uses up a tier"
    events_before = len(audit_rows(demo_service))

    result = save_scoring_config(demo_service, stricter())

    assert demo_service.scoring_config() == stricter()
    after = uses_by_id(demo_service)
    method = stricter().method_version
    assert method != DEFAULT_CONFIG.method_version
    for use in after.values():
        assert use["score_method"] == method
        assert use["tier"] == stricter().tier_for_score(int(use["exposure"]))  # type: ignore[arg-type]
    moved = {c.use_id: c.new_tier for c in expected_moves}
    assert {i for i in after if after[i]["tier"] != before[i]["tier"]} == set(moved)
    assert all(after[i]["tier"] == t for i, t in moved.items())

    # one audited action: the setting, then each rescored use
    events = audit_rows(demo_service)[events_before:]
    assert events[0]["entity"] == "setting" and events[0]["action"] == "create"
    assert json.loads(str(events[0]["after"]))["key"] == SETTING_KEY
    assert {e["entity"] for e in events[1:]} == {"ai_use"}
    assert len(events) == len(result.changes) == 1 + len(after)
    with demo_service.engine.connect() as conn:
        assert audit.verify_chain(conn)[1] is None


def test_undo_restores_the_old_scores_and_removes_the_setting(
    demo_service: RegisterService,
) -> None:
    before = uses_by_id(demo_service)
    result = save_scoring_config(demo_service, stricter())
    demo_service.undo(result)
    assert demo_service.setting(SETTING_KEY) is None
    assert demo_service.scoring_config() == DEFAULT_CONFIG
    assert uses_by_id(demo_service) == before


def test_rescored_register_still_passes_the_integrity_check(
    demo_service: RegisterService,
) -> None:
    """The bulk rescore audits exactly what it stored: check finds no altered record."""
    from riskdesk.service.integrity import check_register

    result = save_scoring_config(demo_service, stricter())
    report = check_register(demo_service.register)
    assert report.ok, report.summary()
    demo_service.undo(result)
    assert check_register(demo_service.register).ok


def test_second_save_updates_and_unchanged_save_writes_nothing(
    demo_service: RegisterService,
) -> None:
    save_scoring_config(demo_service, stricter())
    again = save_scoring_config(demo_service, stricter())
    assert again.changes == []
    back = save_scoring_config(demo_service, DEFAULT_CONFIG)
    assert back.changes[0].entity == "setting" and back.changes[0].action == "update"
    assert demo_service.scoring_config() == DEFAULT_CONFIG
    assert {u["score_method"] for u in demo_service.rows("ai_use")} == {METHOD_VERSION}


def test_review_cadence_change_keeps_scores(demo_service: RegisterService) -> None:
    before = uses_by_id(demo_service)
    config = ScoringConfig(review_months={"low": 12, "moderate": 6, "high": 2, "critical": 1})
    result = save_scoring_config(demo_service, config)
    assert [c.entity for c in result.changes] == ["setting"]
    assert uses_by_id(demo_service) == before


def test_profile_appetite_saved_in_the_same_action(demo_service: RegisterService) -> None:
    result = save_scoring_config(
        demo_service, DEFAULT_CONFIG, {"risk_appetite": "high", "paper_size": "letter"}
    )
    assert [c.entity for c in result.changes] == ["org_profile"]
    profile = demo_service.profile()
    assert (profile["risk_appetite"], profile["paper_size"]) == ("high", "letter")


def test_profile_created_when_missing(service: RegisterService) -> None:
    save_scoring_config(service, DEFAULT_CONFIG, {"risk_appetite": "low"})
    assert service.profile()["risk_appetite"] == "low"


@pytest.mark.parametrize(
    ("raw", "field"),
    [
        ({"weights": {**DEFAULT_CONFIG._plain()["weights"], "reach": [0, 5, 10]}}, "weights.reach"),
        ({"tier_thresholds": {"moderate": 50, "high": 40, "critical": 70}}, "tier_thresholds.high"),
        ({"review_months": {"low": 12, "moderate": 6, "high": 3}}, "review_months.critical"),
        ({"ladder": {**DEFAULT_CONFIG.ladder, "kill_switch": "sometimes"}}, "ladder.kill_switch"),
        ({"colour": "red"}, "colour"),
        ("{not json", "scoring"),
    ],
)
def test_invalid_config_names_the_key_and_writes_nothing(
    demo_service: RegisterService, raw: object, field: str
) -> None:
    before = uses_by_id(demo_service)
    events_before = len(audit_rows(demo_service))
    with pytest.raises(ValidationError) as caught:
        save_scoring_config(demo_service, raw)  # type: ignore[arg-type]
    assert caught.value.problems[0].field == field
    assert field in str(caught.value)
    assert uses_by_id(demo_service) == before
    assert len(audit_rows(demo_service)) == events_before
    assert demo_service.setting(SETTING_KEY) is None


def test_bad_appetite_rolls_back_the_setting_too(demo_service: RegisterService) -> None:
    with pytest.raises(ValidationError) as caught:
        save_scoring_config(demo_service, stricter(), {"risk_appetite": "enormous"})
    assert caught.value.for_field("risk_appetite")
    assert demo_service.setting(SETTING_KEY) is None
    assert {u["score_method"] for u in demo_service.rows("ai_use")} == {METHOD_VERSION}


def test_unknown_profile_field_refused(demo_service: RegisterService) -> None:
    with pytest.raises(ValidationError) as caught:
        save_scoring_config(demo_service, stricter(), {"name": "Other"})
    assert caught.value.for_field("name")


def test_cancel_during_rescore_rolls_everything_back(demo_service: RegisterService) -> None:
    before = uses_by_id(demo_service)
    asked: list[bool] = []

    def cancel() -> bool:
        asked.append(True)
        return True

    with pytest.raises(RescoreCancelled) as caught:
        save_scoring_config(demo_service, stricter(), cancel=cancel)
    assert isinstance(caught.value, Cancelled)  # the shared contract's cancel
    assert "not changed" in str(caught.value)
    assert asked
    assert demo_service.setting(SETTING_KEY) is None
    assert uses_by_id(demo_service) == before


def test_cancel_after_the_last_use_still_rolls_back(demo_service: RegisterService) -> None:
    before = uses_by_id(demo_service)
    checks: list[int] = []

    def cancel() -> bool:  # says yes only at the final check, once every use is scored
        checks.append(1)
        return len(checks) > 1 + demo_service.count("ai_use") // PROGRESS_EVERY

    with pytest.raises(RescoreCancelled):
        save_scoring_config(demo_service, stricter(), cancel=cancel)
    assert demo_service.setting(SETTING_KEY) is None
    assert uses_by_id(demo_service) == before


def test_progress_reaches_the_total(demo_service: RegisterService) -> None:
    seen: list[tuple[int, int]] = []
    save_scoring_config(demo_service, stricter(), progress=lambda d, t: seen.append((d, t)))
    assert seen[-1][0] == seen[-1][1] == demo_service.count("ai_use")


def test_parse_config_accepts_config_mapping_and_text() -> None:
    config = stricter()
    assert parse_config(config) is config
    assert parse_config(json.loads(config.to_json())) == config
    assert parse_config(config.to_json()) == config
    assert parse_config(MappingProxyType({})) == DEFAULT_CONFIG


# --- the Settings dialog ------------------------------------------------------------------
def _window(qtbot: QtBot, service: RegisterService, tmp_path: Path) -> MainWindow:
    from PySide6.QtCore import QSettings

    from riskdesk.ui.app import build_window

    win = build_window(service, QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(win)
    return win


def _dialog(qtbot: QtBot, win: MainWindow) -> SettingsDialog:
    dialog = SettingsDialog(win.service, win.history, win)
    qtbot.addWidget(dialog)
    return dialog


def test_dialog_saves_rescores_and_undoes(
    qtbot: QtBot, demo_service: RegisterService, tmp_path: Path
) -> None:
    from riskdesk.service.summary import register_summary

    win = _window(qtbot, demo_service, tmp_path)
    win.show()
    qtbot.waitUntil(lambda: win.dashboard_page.data is not None, timeout=10_000)
    before = uses_by_id(demo_service)
    dialog = _dialog(qtbot, win)
    assert dialog.threshold_spins["high"].value() == 45
    dialog.threshold_spins["moderate"].setValue(10)
    dialog.threshold_spins["high"].setValue(30)
    dialog.threshold_spins["critical"].setValue(50)
    moves = tier_changes(demo_service, stricter())
    qtbot.waitUntil(lambda: f"Saving moves {len(moves)} uses" in dialog.preview.text())
    assert f"{METHOD_VERSION}+" in dialog.method.text()
    with qtbot.waitSignal(dialog.saved, timeout=10_000):
        dialog.save()
    assert demo_service.scoring_config() == stricter()
    assert win.history.stack.undoText() == "Change scoring settings"
    qtbot.waitUntil(
        lambda: (
            {t: tile.value for t, tile in win.dashboard_page.tier_tiles.items()}
            == {
                ("not_assessed" if k == "unassessed" else k): n
                for k, n in register_summary(demo_service)["by_tier"].items()
            }
        ),
        timeout=10_000,
    )
    win.undo_action.trigger()
    assert demo_service.scoring_config() == DEFAULT_CONFIG
    assert uses_by_id(demo_service) == before


def test_dialog_refuses_an_invalid_setting_naming_it(
    qtbot: QtBot, demo_service: RegisterService, tmp_path: Path
) -> None:
    win = _window(qtbot, demo_service, tmp_path)
    dialog = _dialog(qtbot, win)
    dialog.weight_spins["reach"][4].setValue(25)
    assert not dialog.save_button.isEnabled()
    assert "weights" in dialog.error.text() and "105" in dialog.error.text()
    assert "105 of 100" in dialog.total.text()
    dialog.weight_spins["reach"][4].setValue(20)
    dialog.review_spins["critical"].setValue(6)  # longer than the High cadence
    assert "review_months.critical" in dialog.error.text()
    dialog.review_spins["critical"].setValue(1)
    assert dialog.save_button.isEnabled() and dialog.error.text() == ""
    dialog.weight_spins["autonomy"][1].setValue(9)  # above the next level
    assert "weights.autonomy" in dialog.error.text()
    dialog.load(DEFAULT_CONFIG)  # Restore defaults
    assert dialog.save_button.isEnabled()
    assert dialog.config == DEFAULT_CONFIG


def test_dialog_saves_appetite_and_ladder(
    qtbot: QtBot, demo_service: RegisterService, tmp_path: Path
) -> None:
    from riskdesk.service.oversight import gap_count

    win = _window(qtbot, demo_service, tmp_path)
    gaps_before = gap_count(demo_service)
    dialog = _dialog(qtbot, win)
    dialog.appetite.setCurrentIndex(dialog.appetite.findData("high"))
    combo = dialog.ladder_combos["kill_switch"]
    combo.setCurrentIndex(combo.findData("critical"))
    qtbot.waitUntil(lambda: "appetite" in dialog.preview.text())
    with qtbot.waitSignal(dialog.saved, timeout=10_000):
        dialog.save()
    assert demo_service.profile()["risk_appetite"] == "high"
    assert demo_service.scoring_config().ladder["kill_switch"] == "critical"
    assert gap_count(demo_service) < gaps_before  # fewer acceptances and kill switches due
    win.undo_action.trigger()
    assert demo_service.profile()["risk_appetite"] == "medium"
    assert gap_count(demo_service) == gaps_before


def test_unchanged_dialog_writes_nothing(
    qtbot: QtBot, demo_service: RegisterService, tmp_path: Path
) -> None:
    win = _window(qtbot, demo_service, tmp_path)
    events = len(audit_rows(demo_service))
    dialog = _dialog(qtbot, win)
    dialog.save()
    assert dialog.result() == dialog.DialogCode.Accepted
    assert len(audit_rows(demo_service)) == events
    assert win.history.stack.count() == 0


def test_cancel_while_rescoring_changes_nothing(
    qtbot: QtBot, demo_service: RegisterService, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import threading

    from riskdesk.ui.dialogs import settings as settings_dialog

    started, go_on = threading.Event(), threading.Event()
    real = settings_dialog.save_scoring_config

    def held(
        service: RegisterService,
        config: ScoringConfig,
        profile: dict[str, object],
        progress: ProgressFn,
        cancel: CancelFn,
    ) -> ActionResult:
        def wait_then_check() -> bool:  # the first cancel check waits for the test's Cancel
            started.set()
            go_on.wait(5)
            return cancel()

        return real(service, config, profile, progress, wait_then_check)

    monkeypatch.setattr(settings_dialog, "save_scoring_config", held)
    win = _window(qtbot, demo_service, tmp_path)
    before = uses_by_id(demo_service)
    dialog = _dialog(qtbot, win)
    dialog.threshold_spins["high"].setValue(40)
    dialog.save()
    assert started.wait(5)
    assert not dialog.tabs.isEnabled()
    dialog.reject()  # Cancel while saving cancels the save, not the dialog
    go_on.set()
    qtbot.waitUntil(lambda: "Cancelled" in dialog.error.text(), timeout=10_000)
    assert dialog.result() != dialog.DialogCode.Accepted
    assert dialog.tabs.isEnabled()
    assert demo_service.setting(SETTING_KEY) is None
    assert uses_by_id(demo_service) == before
    assert win.history.stack.count() == 0


def test_edit_menu_opens_the_dialog(
    qtbot: QtBot, demo_service: RegisterService, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PySide6.QtGui import QAction

    shown: list[str] = []
    monkeypatch.setattr(SettingsDialog, "exec", lambda self: shown.append(self.windowTitle()) or 0)
    win = _window(qtbot, demo_service, tmp_path)
    action = win.findChild(QAction, "actionScoringSettings")
    assert action is not None and action in win.settings_menu.actions()
    action.trigger()
    assert shown == ["Scoring settings"]
