"""The GUI's minimal handling of a conflicting edit: the use editor sends the version it
read, and a use someone changed since is refused with who and when, nothing saved."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from riskdesk.service.register import RegisterService
from riskdesk.store.db import open_register
from riskdesk.ui.editors.use_editor import UseEditor
from riskdesk.ui.undo import EditHistory


def test_use_editor_refuses_to_overwrite_a_colleagues_later_edit(
    qtbot: QtBot, service: RegisterService, db_path: Path
) -> None:
    use = service.create("ai_use", {"name": "Chatbot"})
    editor = UseEditor(service, EditHistory(service), use)
    qtbot.addWidget(editor)
    ben = RegisterService(open_register(db_path), actor="ben")  # another window or the CLI
    try:
        ben.update("ai_use", use, {"kill_switch": "Ben's plan"})
        editor.binding.set_values({**editor.original, "kill_switch": "Ada's plan"})
        editor.save()
        assert not editor.ui.errorBanner.isHidden()
        assert "changed by ben at" in editor.ui.errorBanner.text()
        assert "reload" in editor.ui.errorBanner.text()
        assert service.get("ai_use", use)["kill_switch"] == "Ben's plan"
    finally:
        ben.register.dispose()
