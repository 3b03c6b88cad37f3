"""Evidence in the window (issue 18 items 3 and 4), driven through real widgets: the
Evidence tab on every supported editor (add by file dialog or drag-and-drop, open, save
a copy, replace, revisions, remove, detach), the Evidence page and the Controls page's
"claimed, no evidence"."""

from __future__ import annotations

import datetime as dt
import hashlib
import stat
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDesktopServices, QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox, QTabWidget, QWidget
from pytestqt.qtbot import QtBot

from riskdesk.enums import EvidenceKind
from riskdesk.service import evidence as ev
from riskdesk.service.register import RegisterService
from riskdesk.ui.editors import evidence_dialogs
from riskdesk.ui.editors.evidence_dialogs import EvidenceDetailsDialog, RevisionsDialog
from riskdesk.ui.editors.evidence_panel import SAVE_FIRST, EvidencePanel
from riskdesk.ui.editors.evidence_tab import EvidenceDialog
from riskdesk.ui.editors.incident_dialog import IncidentDialog
from riskdesk.ui.editors.record_dialog import RecordDialog
from riskdesk.ui.editors.risk_editor import RiskEditor
from riskdesk.ui.main_window import MainWindow
from riskdesk.ui.pages.controls import CLAIMED_TEXT, ControlTableModel, control_dialog
from riskdesk.ui.pages.evidence import EvidencePage
from riskdesk.ui.pages.table_page import elided
from riskdesk.ui.undo import EditHistory
from riskdesk.ui.widgets.evidence_table import EXPIRED_COLOURS, EXPIRING_COLOURS
from tests.test_gui_first_hour import unnamed_widgets

# Every byte value, NULs and a non-UTF-8 tail: nothing may be "cleaned" on the way.
PAYLOAD = bytes(range(256)) * 4 + b"\x00" * 64 + b"\r\n\xff\xfe end"


@pytest.fixture
def history(demo_service: RegisterService) -> EditHistory:
    return EditHistory(demo_service)


@pytest.fixture
def vendor_id(demo_service: RegisterService) -> int:
    return int(demo_service.rows("vendor", order_by="id")[0]["id"])


@pytest.fixture
def dpa(tmp_path: Path) -> Path:
    path = tmp_path / "DPA Vendor X.pdf"
    path.write_bytes(PAYLOAD)
    return path


@pytest.fixture
def opened(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """What the panel handed to the desktop to open (nothing is really opened)."""
    urls: list[Path] = []

    def open_url(url: QUrl) -> bool:
        urls.append(Path(url.toLocalFile()))
        return True

    monkeypatch.setattr(QDesktopServices, "openUrl", staticmethod(open_url))
    return urls


def answer_details(monkeypatch: pytest.MonkeyPatch, **values: Any) -> list[str]:
    """Make the details dialog fill in ``values`` and press OK; returns what each
    dialog showed as its file line."""
    seen: list[str] = []

    def exec_(self: EvidenceDetailsDialog) -> int:
        seen.append(self.file_label.text())
        if "title" in values:
            self.title.setText(values["title"])
        if "kind" in values:
            self.kind.setCurrentIndex(self.kind.findData(values["kind"]))
        for name in ("dated", "valid_until"):
            if values.get(name) is not None:
                getattr(self, f"{name}_known" if name == "dated" else "valid_known").setChecked(
                    True
                )
                getattr(self, name).setDate(values[name])
        return 1

    monkeypatch.setattr(EvidenceDetailsDialog, "exec", exec_)
    return seen


def choose_file(monkeypatch: pytest.MonkeyPatch, path: Path) -> None:
    monkeypatch.setattr(
        QFileDialog, "getOpenFileName", staticmethod(lambda *_a, **_k: (str(path), ""))
    )


def tab_titles(dialog: QWidget) -> list[str]:
    tabs = dialog.findChildren(QTabWidget)[0]
    return [tabs.tabText(i) for i in range(tabs.count())]


def vendor_panel(
    qtbot: QtBot, service: RegisterService, history: EditHistory, vendor_id: int
) -> tuple[RecordDialog, EvidencePanel]:
    dialog = RecordDialog(service, history, "vendor", vendor_id)
    qtbot.addWidget(dialog)
    assert dialog.evidence_panel is not None
    return dialog, dialog.evidence_panel


# --- the Evidence tab -----------------------------------------------------------------------


def test_add_through_the_file_dialog_and_save_a_copy_byte_identical(
    qtbot: QtBot,
    demo_service: RegisterService,
    history: EditHistory,
    vendor_id: int,
    dpa: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    dialog, panel = vendor_panel(qtbot, demo_service, history, vendor_id)
    assert "Evidence" in tab_titles(dialog)
    choose_file(monkeypatch, dpa)
    shown = answer_details(
        monkeypatch, title="DPA with Vendor X", kind="contract", valid_until=dt.date(2031, 6, 30)
    )
    qtbot.mouseClick(panel.buttons["add"], Qt.MouseButton.LeftButton)
    assert shown == [f"File: DPA Vendor X.pdf ({len(PAYLOAD):,} bytes)"]
    [info] = ev.evidence_for(demo_service, f"vendor:{vendor_id}")
    assert (info.title, info.kind, info.valid_until) == (
        "DPA with Vendor X",
        "contract",
        dt.date(2031, 6, 30),
    )
    assert info.sha256 == hashlib.sha256(PAYLOAD).hexdigest()
    assert panel.model.rowCount() == 1 and "Evidence (1)" in tab_titles(dialog)
    row = [panel.model.index(0, c).data() for c in range(panel.model.columnCount())]
    assert row[:2] == ["DPA with Vendor X", EvidenceKind.CONTRACT.label]
    assert row[-1] == info.sha256[:12] and row[4] == "current"
    assert history.stack.count() == 1
    history.stack.undo()
    assert ev.evidence_for(demo_service, f"vendor:{vendor_id}") == []
    assert panel.model.rowCount() == 0 and tab_titles(dialog)[-1] == "Evidence"
    history.stack.redo()
    assert panel.model.rowCount() == 1

    copy = tmp_path / "back" / "copy.pdf"
    copy.parent.mkdir()
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", staticmethod(lambda *_a, **_k: (str(copy), ""))
    )
    panel.view.selectRow(0)
    qtbot.mouseClick(panel.buttons["save"], Qt.MouseButton.LeftButton)
    assert copy.read_bytes() == PAYLOAD
    assert panel.message.text() == f"Saved a copy of “DPA with Vendor X” to {copy}."


def test_drag_and_drop_files_onto_the_panel(
    qtbot: QtBot,
    demo_service: RegisterService,
    history: EditHistory,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    risk = demo_service.rows("risk", order_by="id")[0]
    editor = RiskEditor(demo_service, history, risk["use_id"], risk["id"])
    qtbot.addWidget(editor)
    panel = editor.evidence_panel
    assert panel is not None and tab_titles(editor) == ["Details", "Evidence"]
    files = [tmp_path / "bias test.csv", tmp_path / "model card.md"]
    for number, path in enumerate(files):
        path.write_bytes(PAYLOAD + bytes([number]))
    seen = answer_details(monkeypatch)
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in files])
    enter = QDragEnterEvent(
        QPoint(5, 5),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(panel, enter)
    assert enter.isAccepted()
    drop = QDropEvent(
        QPointF(5, 5),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(panel, drop)
    assert drop.isAccepted()
    qtbot.waitUntil(lambda: panel.model.rowCount() == 2)
    assert len(seen) == 2
    stored = ev.evidence_for(demo_service, f"risk:{risk['id']}")
    assert sorted(e.title for e in stored) == ["bias test", "model card"]  # titles from names
    for info, path in zip(sorted(stored, key=lambda e: e.title), files, strict=True):
        assert ev.evidence_bytes(demo_service, info.id) == path.read_bytes()

    not_files = QMimeData()
    not_files.setText("just text")
    refused = QDragEnterEvent(
        QPoint(5, 5),
        Qt.DropAction.CopyAction,
        not_files,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    refused.setAccepted(False)
    QApplication.sendEvent(panel, refused)
    assert not refused.isAccepted()


def test_open_hands_over_a_read_only_copy_and_says_when_nothing_opens_it(
    qtbot: QtBot,
    demo_service: RegisterService,
    history: EditHistory,
    vendor_id: int,
    dpa: Path,
    opened: list[Path],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    ev.add_evidence(demo_service, dpa, to=[f"vendor:{vendor_id}"], title="DPA")
    _dialog, panel = vendor_panel(qtbot, demo_service, history, vendor_id)
    panel.view.selectRow(0)
    qtbot.mouseClick(panel.buttons["open"], Qt.MouseButton.LeftButton)
    [path] = opened
    assert path.name == "DPA Vendor X.pdf" and path.read_bytes() == PAYLOAD
    assert stat.S_IMODE(path.stat().st_mode) & 0o222 == 0  # read-only
    qtbot.mouseClick(panel.buttons["open"], Qt.MouseButton.LeftButton)  # again: rewritten
    assert opened[-1] == path and path.read_bytes() == PAYLOAD
    assert panel.message.isHidden()

    monkeypatch.setattr(QDesktopServices, "openUrl", staticmethod(lambda _url: False))
    qtbot.mouseClick(panel.buttons["open"], Qt.MouseButton.LeftButton)
    assert panel.message.isVisibleTo(panel)
    assert "Nothing on this computer opens “.pdf” files" in panel.message.text()
    assert "Save a copy" in panel.message.text()


def test_replace_keeps_revisions_and_each_opens(
    qtbot: QtBot,
    demo_service: RegisterService,
    history: EditHistory,
    vendor_id: int,
    dpa: Path,
    tmp_path: Path,
    opened: list[Path],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    first = ev.add_evidence(demo_service, dpa, to=[f"vendor:{vendor_id}"], title="DPA")
    _dialog, panel = vendor_panel(qtbot, demo_service, history, vendor_id)
    newer = tmp_path / "DPA 2027.pdf"
    newer.write_bytes(b"signed again\x00")
    choose_file(monkeypatch, newer)
    seen = answer_details(monkeypatch, valid_until=dt.date(2032, 1, 31))
    panel.view.selectRow(0)
    qtbot.mouseClick(panel.buttons["replace"], Qt.MouseButton.LeftButton)
    assert seen and seen[0].startswith("New revision of “DPA”: DPA 2027.pdf")
    [current] = ev.evidence_for(demo_service, f"vendor:{vendor_id}")
    assert current.replaces_id == first.evidence_id and current.title == "DPA"
    assert current.valid_until == dt.date(2032, 1, 31)
    assert panel.model.rowCount() == 1 and panel.model.info_at(0).id == current.id

    shown: list[RevisionsDialog] = []
    monkeypatch.setattr(RevisionsDialog, "exec", lambda self: shown.append(self) or 0)
    panel.view.selectRow(0)
    qtbot.mouseClick(panel.buttons["revisions"], Qt.MouseButton.LeftButton)
    [revisions] = shown
    qtbot.addWidget(revisions)
    assert [revisions.model.info_at(r).id for r in range(2)] == [first.evidence_id, current.id]
    assert revisions.model.index(0, 6).data() == "replaced by a newer revision"
    assert unnamed_widgets(revisions) == []
    revisions.view.selectRow(0)
    qtbot.mouseClick(revisions.open_button, Qt.MouseButton.LeftButton)
    revisions.view.selectRow(1)
    qtbot.mouseClick(revisions.open_button, Qt.MouseButton.LeftButton)
    assert [p.read_bytes() for p in opened] == [PAYLOAD, b"signed again\x00"]

    history.stack.undo()  # the replacement: the first revision is current again
    [back] = ev.evidence_for(demo_service, f"vendor:{vendor_id}")
    assert back.id == first.evidence_id and panel.model.info_at(0).id == first.evidence_id
    assert ev.revisions(demo_service, first.evidence_id) == [back]


def test_remove_asks_and_undo_brings_it_back(
    qtbot: QtBot,
    demo_service: RegisterService,
    history: EditHistory,
    vendor_id: int,
    dpa: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    added = ev.add_evidence(demo_service, dpa, to=[f"vendor:{vendor_id}"], title="DPA")
    _dialog, panel = vendor_panel(qtbot, demo_service, history, vendor_id)
    asked: list[str] = []

    def question(_parent: object, _title: str, text: str, *_a: object) -> object:
        asked.append(text)
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", staticmethod(question))
    panel.view.selectRow(0)
    qtbot.mouseClick(panel.buttons["remove"], Qt.MouseButton.LeftButton)
    assert asked and "Remove “DPA”?" in asked[0]
    assert panel.model.rowCount() == 0
    assert ev.evidence_info(demo_service, added.evidence_id).removed
    history.stack.undo()
    assert panel.model.rowCount() == 1
    assert not ev.evidence_info(demo_service, added.evidence_id).removed
    history.stack.redo()
    assert panel.model.rowCount() == 0


def test_detach_keeps_it_on_the_other_record(
    qtbot: QtBot,
    demo_service: RegisterService,
    history: EditHistory,
    vendor_id: int,
    dpa: Path,
) -> None:
    use_id = demo_service.rows("ai_use", order_by="id")[0]["id"]
    added = ev.add_evidence(
        demo_service, dpa, to=[f"vendor:{vendor_id}", f"use:{use_id}"], title="DPA"
    )
    _dialog, panel = vendor_panel(qtbot, demo_service, history, vendor_id)
    panel.view.selectRow(0)
    qtbot.mouseClick(panel.buttons["detach"], Qt.MouseButton.LeftButton)
    assert panel.model.rowCount() == 0
    info = ev.evidence_info(demo_service, added.evidence_id)
    assert [str(t) for t in info.attached_to] == [f"use:{use_id}"] and info.current
    history.stack.undo()
    assert panel.model.rowCount() == 1


def test_a_closed_editor_stops_following_the_register(
    qtbot: QtBot,
    demo_service: RegisterService,
    history: EditHistory,
    vendor_id: int,
) -> None:
    dialog, panel = vendor_panel(qtbot, demo_service, history, vendor_id)
    target = f"vendor:{vendor_id}"
    history.run("Add", lambda: ev.add_evidence(demo_service, b"one", to=[target]).result)
    assert panel.model.rowCount() == 1
    dialog.done(0)  # closed, but kept by its parent as editors are
    history.run("Add", lambda: ev.add_evidence(demo_service, b"two", to=[target]).result)
    assert panel.model.rowCount() == 1  # not re-read for a window nobody sees


def test_a_file_over_the_limit_is_refused_with_the_services_message(
    qtbot: QtBot,
    demo_service: RegisterService,
    history: EditHistory,
    vendor_id: int,
    dpa: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(ev.base, "MAX_FILE_BYTES", 100)
    _dialog, panel = vendor_panel(qtbot, demo_service, history, vendor_id)
    choose_file(monkeypatch, dpa)
    asked = answer_details(monkeypatch)
    qtbot.mouseClick(panel.buttons["add"], Qt.MouseButton.LeftButton)
    assert asked == []  # refused before anyone types a title
    said = f"DPA Vendor X.pdf is {len(PAYLOAD):,} bytes; evidence files are limited to"
    assert said in panel.message.text()
    assert ev.evidence_for(demo_service, f"vendor:{vendor_id}") == []


def test_every_supported_editor_has_an_evidence_tab(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    service, history = window.service, window.history
    risk = service.rows("risk", order_by="id")[0]
    control = service.rows("control", order_by="id")[0]
    incident = service.rows("incident", order_by="id")[0]
    vendor = service.rows("vendor", order_by="id")[0]
    saved: list[tuple[QWidget, str]] = [
        (window.use_editor(1), "use:1"),
        (RiskEditor(service, history, risk["use_id"], risk["id"]), f"risk:{risk['id']}"),
        (control_dialog(service, history, control["id"], None), f"control:{control['id']}"),
        (IncidentDialog(service, history, incident["id"]), f"incident:{incident['id']}"),
        (RecordDialog(service, history, "vendor", vendor["id"]), f"vendor:{vendor['id']}"),
    ]
    for editor, target in saved:
        qtbot.addWidget(editor)
        panel = editor.evidence_panel  # type: ignore[attr-defined]
        assert isinstance(panel, EvidencePanel) and str(panel.target) == target
        assert "Evidence" in tab_titles(editor), target
    # The incident's own rows stay on its Details tab, not under the Evidence tab.
    incident_dialog = saved[3][0]
    details = incident_dialog.findChild(QWidget, "detailsTab")
    assert details is not None and details.isAncestorOf(
        incident_dialog.findChild(QWidget, "linkedRisks")
    )
    unsaved = [
        window.use_editor(None),
        RiskEditor(service, history, risk["use_id"], None),
        RecordDialog(service, history, "vendor", None),
        IncidentDialog(service, history, None),
    ]
    for editor in unsaved:
        qtbot.addWidget(editor)
        panel = editor.evidence_panel  # type: ignore[attr-defined]
        assert panel is not None and panel.target is None
        assert panel.findChild(QWidget, "saveFirst").text() == SAVE_FIRST  # type: ignore[union-attr]
    person = RecordDialog(service, history, "person", 1)
    qtbot.addWidget(person)
    assert person.evidence_panel is None and not person.findChildren(QTabWidget)


@pytest.mark.parametrize("kind", ["challenge", "review"])
def test_reviews_and_challenges_open_their_evidence_from_the_use(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch, kind: str
) -> None:
    record = window.service.rows(kind, order_by="id")[0]
    editor = window.use_editor(record["use_id"])
    qtbot.addWidget(editor)
    shown: list[EvidenceDialog] = []
    monkeypatch.setattr(EvidenceDialog, "exec", lambda self: shown.append(self) or 0)
    if kind == "challenge":
        assert editor.challenges_panel is not None
        editor.challenges_panel.select(record["id"])
        button = editor.challenges_panel.findChild(QWidget, "challengeEvidenceButton")
    else:
        assert editor.use_history_panel is not None
        panel = editor.use_history_panel
        row = [r["id"] for r in panel.reviews_model.rows].index(record["id"])
        panel.reviews.selectRow(row)
        button = panel.findChild(QWidget, "reviewEvidenceButton")
    assert button is not None
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)  # type: ignore[arg-type]
    [dialog] = shown
    qtbot.addWidget(dialog)
    assert str(dialog.panel.target) == f"{kind}:{record['id']}"
    assert unnamed_widgets(dialog) == []


def test_the_evidence_dialogs_are_named_for_screen_readers(qtbot: QtBot) -> None:
    details = EvidenceDetailsDialog("File: a.pdf (3 bytes)")
    qtbot.addWidget(details)
    assert unnamed_widgets(details) == []
    assert details.values()["dated"] is None and details.values()["valid_until"] is None
    details.valid_known.setChecked(True)
    assert isinstance(details.values()["valid_until"], dt.date)
    assert evidence_dialogs.size_text(3 * ev.MB) == "3.0 MB"


# --- the Evidence page ------------------------------------------------------------------------


def test_the_page_lists_expiry_and_opens_what_it_supports(
    qtbot: QtBot, demo_service: RegisterService, history: EditHistory, vendor_id: int
) -> None:
    today = dt.date(2026, 11, 1)
    control_id = demo_service.rows("control", order_by="id")[0]["id"]
    ev.add_evidence(
        demo_service,
        b"old dpa",
        title="DPA with Vendor X",
        kind="DPA",
        to=[f"vendor:{vendor_id}"],
        valid_until=today - dt.timedelta(days=12),
    )
    ev.add_evidence(
        demo_service,
        b"bias",
        title="Bias test",
        kind="test result",
        to=[f"control:{control_id}"],
        valid_until=today + dt.timedelta(days=9),
    )
    ev.add_evidence(demo_service, b"policy", title="AI policy", kind="policy")
    opened: list[tuple[str, int]] = []
    page = EvidencePage(demo_service, history, lambda e, k: opened.append((e, k)), today=today)
    qtbot.addWidget(page)
    assert unnamed_widgets(page) == []
    model = page.model
    rows = {model.index(r, 0).data(): r for r in range(model.rowCount())}
    # Soonest validity first, no expiry last: what needs doing is on top.
    assert list(rows) == ["DPA with Vendor X", "Bias test", "AI policy"]
    status = model.columns.index("status")
    expired = model.index(rows["DPA with Vendor X"], status)
    assert expired.data() == "expired 12 days ago"
    assert expired.data(Qt.ItemDataRole.BackgroundRole).color().name() == EXPIRED_COLOURS[0]
    soon = model.index(rows["Bias test"], status)
    assert soon.data() == "expiring in 9 days"
    assert soon.data(Qt.ItemDataRole.BackgroundRole).color().name() == EXPIRING_COLOURS[0]
    assert model.index(rows["AI policy"], status).data() == "current (no expiry date)"
    vendor_name = demo_service.get("vendor", vendor_id)["name"]
    supports = model.columns.index("supports")
    assert model.index(rows["DPA with Vendor X"], supports).data() == f"vendor {vendor_name}"

    page.status_filter.setCurrentIndex(page.status_filter.findText("Expired"))
    assert [model.index(r, 0).data() for r in range(model.rowCount())] == ["DPA with Vendor X"]
    assert page.count_label.text() == "1 of 3"
    page.status_filter.setCurrentIndex(0)
    page.kind_filter.setCurrentIndex(page.kind_filter.findData("policy"))
    assert [model.index(r, 0).data() for r in range(model.rowCount())] == ["AI policy"]
    page.kind_filter.setCurrentIndex(0)
    page.search.setText("bias")
    assert [model.index(r, 0).data() for r in range(model.rowCount())] == ["Bias test"]

    page.view.selectRow(0)
    page.view.doubleClicked.emit(model.index(0, 0))
    assert opened == [("control", control_id)]
    page.search.setText("policy")
    page.view.selectRow(0)
    assert not page.record_button.isEnabled()  # attached to nothing: nothing to open


def test_the_window_has_the_evidence_page_in_the_sidebar_and_view_menu(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    review = window.service.rows("review", order_by="id")[0]
    ev.add_evidence(window.service, b"minutes", title="Minutes", to=[f"review:{review['id']}"])
    action = next(a for a in window.view_menu.actions() if a.objectName() == "actionEvidence")
    action.trigger()
    page = window.pages["evidence"]
    assert window.stack.currentWidget() is page and isinstance(page, EvidencePage)
    assert page.model.rowCount() == 1  # reloaded as it was shown
    edited: list[int | None] = []
    monkeypatch.setattr(window.editors, "edit_use", lambda key: edited.append(key))
    page.view.selectRow(0)
    qtbot.mouseClick(page.record_button, Qt.MouseButton.LeftButton)
    assert edited == [review["use_id"]]  # a review opens in its use's editor


# --- the Controls page ------------------------------------------------------------------------


def test_controls_page_shows_claimed_and_evidenced_controls(
    qtbot: QtBot, window: MainWindow
) -> None:
    service = window.service
    claimed = [c for c in service.rows("control", order_by="id") if c["status"] in ev.CLAIMING]
    planned = [c for c in service.rows("control") if c["status"] not in ev.CLAIMING]
    assert claimed and planned
    window.show_page("controls")
    page = window.controls_page
    model = page.model

    def cell(control_id: int) -> str:
        return str(model.index(model.row_of(control_id), ControlTableModel.EVIDENCE).data())

    target = claimed[0]["id"]
    assert cell(target) == CLAIMED_TEXT
    qtbot.waitUntil(page.view.isVisible)
    assert not elided(page.view, model.row_of(target), ControlTableModel.EVIDENCE)
    assert cell(planned[0]["id"]) == ""  # a planned control claims nothing
    assert (
        model.index(model.row_of(target), ControlTableModel.EVIDENCE)
        .data(Qt.ItemDataRole.ForegroundRole)
        .color()
        .name()
        == "#8a1f11"
    )
    window.history.run(
        "Add evidence",
        lambda: ev.add_evidence(service, b"test run", to=[f"control:{target}"]).result,
    )
    assert cell(target) == "evidence: 1 file"
    window.history.run(
        "Add evidence",
        lambda: (
            ev.add_evidence(
                service, b"old run", to=[f"control:{target}"], valid_until="2020-01-01"
            ).result
        ),
    )
    assert cell(target) == "evidence: 1 file"  # expired evidence backs nothing
    model.sort(ControlTableModel.EVIDENCE, Qt.SortOrder.DescendingOrder)
    assert model.id_at(0) == target
    window.history.stack.undo()
    window.history.stack.undo()
    assert cell(target) == CLAIMED_TEXT
