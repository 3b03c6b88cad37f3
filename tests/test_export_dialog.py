"""File ▸ Export… driven through its widgets: the export runs off the GUI thread, reports
progress, can be cancelled (leaving no file) and can open the result when done."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QPushButton
from pytestqt.qtbot import QtBot

from riskdesk.progress import CancelFn, ProgressFn
from riskdesk.service.register import RegisterService
from riskdesk.ui.dialogs import export as export_dialog
from riskdesk.ui.dialogs.export import ExportDialog
from riskdesk.ui.main_window import MainWindow


@pytest.fixture
def opened(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    calls: list[Path] = []
    monkeypatch.setattr(export_dialog, "open_file", lambda path: calls.append(path) or True)
    return calls


def make_dialog(window: MainWindow, qtbot: QtBot) -> ExportDialog:
    dialog = ExportDialog(window.service, window.settings, window)
    qtbot.addWidget(dialog)
    return dialog


def on_first_report(monkeypatch: pytest.MonkeyPatch, action: Callable[[], object]) -> None:
    """Run ``action`` in the worker when the board-pack export first reports progress."""
    real = export_dialog.export_pdf

    def export_pdf(
        service: RegisterService,
        path: Path,
        appendix: bool,
        progress: ProgressFn,
        cancel: CancelFn,
        **kwargs: Any,
    ) -> Path:
        first = threading.Event()

        def report(done: int, total: int) -> None:
            if not first.is_set():
                first.set()
                action()
            progress(done, total)

        return real(service, path, appendix, report, cancel, **kwargs)

    monkeypatch.setattr(export_dialog, "export_pdf", export_pdf)


def test_file_menu_has_export_before_quit(window: MainWindow) -> None:
    actions = window.file_menu.actions()
    export = next(a for a in actions if a.objectName() == "actionExport")
    assert export.shortcut() == QKeySequence("Ctrl+Shift+E")
    assert actions.index(export) < actions.index(window.export_anchor)


def test_the_menu_action_opens_the_dialog(window: MainWindow, qtbot: QtBot) -> None:
    window.show()
    window.export_action.trigger()
    dialog = window.findChild(ExportDialog)
    assert dialog is not None and dialog.isVisible()
    assert dialog.path.text().endswith(".xlsx")
    dialog.format.setCurrentIndex(dialog.format.findData("pdf"))
    assert dialog.path.text().endswith(".pdf") and dialog.appendix.isEnabled()
    dialog.close()


def test_export_runs_in_the_background_and_opens_when_done(
    window: MainWindow, qtbot: QtBot, tmp_path: Path, opened: list[Path]
) -> None:
    dialog = make_dialog(window, qtbot)
    target = tmp_path / "register.xlsx"
    dialog.path.setText(str(target))
    dialog.open_when_done.setChecked(True)
    progress: list[tuple[int, int]] = []
    dialog.jobs.progress.connect(lambda d, t: progress.append((d, t)))
    with qtbot.waitSignal(dialog.exported, timeout=60_000) as blocker:
        qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
        assert dialog.running  # the click returned while the worker runs
    assert blocker.args == [str(target)]
    assert opened == [target]
    assert progress and progress[-1][0] == progress[-1][1]
    assert not dialog.running and dialog.progress_dialog is None
    assert window.statusBar().currentMessage() == f"Exported {target}"
    book = load_workbook(target, read_only=True)
    assert "AI Uses" in book.sheetnames
    book.close()
    assert window.settings.value(export_dialog.SETTING_FOLDER) == str(tmp_path)


def test_cancel_leaves_no_file_and_no_record(
    window: MainWindow,
    qtbot: QtBot,
    tmp_path: Path,
    opened: list[Path],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    dialog = make_dialog(window, qtbot)
    dialog.format.setCurrentIndex(dialog.format.findData("pdf"))
    out = tmp_path / "out"
    out.mkdir()
    dialog.path.setText(str(out / "pack.pdf"))
    dialog.open_when_done.setChecked(True)
    # Cancel as soon as the export reports progress (in the worker), so it is stopped
    # part-way whatever the machine's speed.
    on_first_report(monkeypatch, lambda: dialog.jobs.cancel())
    packs = window.service.rows("board_pack")  # the demo's invented past quarters
    with qtbot.waitSignal(dialog.cancelled, timeout=60_000):
        dialog.start()
    assert list(out.iterdir()) == []
    assert window.service.rows("board_pack") == packs
    assert opened == []
    assert "cancelled" in dialog.message.text()
    assert dialog.export_button.isEnabled()


def test_the_progress_dialogs_cancel_button_stops_the_export(
    window: MainWindow, qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    dialog = make_dialog(window, qtbot)
    dialog.format.setCurrentIndex(dialog.format.findData("pdf"))
    dialog.path.setText(str(tmp_path / "pack.pdf"))
    clicked = threading.Event()
    # The worker waits at its first progress report until Cancel has been clicked.
    on_first_report(monkeypatch, lambda: clicked.wait(30))
    with qtbot.waitSignal(dialog.cancelled, timeout=60_000):
        dialog.start()
        assert dialog.progress_dialog is not None
        dialog.progress_dialog.findChild(QPushButton).click()  # its Cancel button
        assert dialog.jobs.cancelling
        clicked.set()
    assert not (tmp_path / "pack.pdf").exists()
    assert dialog.progress_dialog is None


def test_a_failure_is_reported_in_the_dialog(
    window: MainWindow, qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*_args: object, **_kwargs: object) -> Path:
        raise OSError("disk full")

    monkeypatch.setattr(export_dialog, "export_xlsx", broken)
    dialog = make_dialog(window, qtbot)
    dialog.path.setText(str(tmp_path / "x.xlsx"))
    with qtbot.waitSignal(dialog.failed, timeout=60_000) as blocker:
        dialog.start()
    assert blocker.args == ["disk full"]
    assert "disk full" in dialog.message.text()
    assert dialog.format.isEnabled()


def test_a_missing_folder_is_refused_before_starting(
    window: MainWindow, qtbot: QtBot, tmp_path: Path
) -> None:
    dialog = make_dialog(window, qtbot)
    dialog.path.setText(str(tmp_path / "nowhere" / "x.xlsx"))
    dialog.start()
    assert not dialog.running
    assert "does not exist" in dialog.message.text()


def test_the_result_stays_and_says_when_nothing_could_open_the_file(
    window: MainWindow, qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(export_dialog, "open_file", lambda _path: False)  # no viewer here
    dialog = make_dialog(window, qtbot)
    target = tmp_path / "tables.zip"
    dialog.format.setCurrentIndex(dialog.format.findData("csv"))
    dialog.path.setText(str(target))
    dialog.open_when_done.setChecked(True)
    with qtbot.waitSignal(dialog.exported, timeout=60_000):
        qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    message = window.statusBar().currentMessage()
    assert message.startswith(f"Exported {target}")
    assert "no application on this computer could open it" in message
