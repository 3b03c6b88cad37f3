"""The use editor's Gaps tab: each gap says where it is closed, and activating it
(double-click or Enter) goes there — the field comes forward with focus, and a line under
the tabs says which field and what to do. An open incident opens its own editor."""

from __future__ import annotations

from types import SimpleNamespace
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QDialog, QLabel, QListWidgetItem, QWidget

from riskdesk import enums
from riskdesk.scoring.exposure import ExposureFactors, missing_answers
from riskdesk.service.oversight import Gap
from riskdesk.ui.editors.use_agent_tab import AGENT_GAP_WIDGETS
from riskdesk.ui.widgets.person_picker import caption_of

if TYPE_CHECKING:
    from riskdesk.ui.editors.use_editor import UseEditor

# Gap (ladder, agent or evidence rung) → the widget that closes it.
GAP_WIDGETS: dict[str, str] = {
    "owner_first": "owner_first_id",
    "owner_left": "owner_first_id",
    "owner_second": "owner_second_id",
    "independence": "owner_second_id",
    "owner_third": "owner_third_id",
    "review_overdue": "recordReview",  # recording a review restarts the clock
    "review_cadence": "next_review",
    "rereview": "recordReview",  # a review clears the flag
    "risk_assessed": "risksView",
    "acceptance_missing": "risksView",
    "acceptance_expired": "risksView",
    "rollback_plan": "rollback_plan",
    "kill_switch": "kill_switch",
    "monitoring": "monitoring",
    "board_reporting": "board_reporting",
    "permissions_review": "permissions_reviewed",
    "challenge": "challengesTab",
    "assessment_missing": "people_affected",  # the first unanswered question, in fact
    # issue 17's agent and supply-chain gaps: the Agent tab's facts and inventory
    **AGENT_GAP_WIDGETS,
}
# Where a widget closes its gap only through what is done there.
GAP_ACTIONS: dict[str, str] = {
    "review_overdue": "record a review",
    "rereview": "record a review",
    "risk_assessed": "add a risk and score it",
    "acceptance_missing": "open the risk above appetite and name who accepts it",
    "acceptance_expired": "open the risk and renew its acceptance",
    "challenge": "record a 2nd-line challenge",
}
# Gaps closed outside this editor: what to do instead.
GAP_ELSEWHERE: dict[str, str] = {
    "evidence_expired": "attach a current copy of the evidence to the record it supports "
    "(the gap names it): its Evidence tab, or View ▸ Evidence",
    "incident_open": "close the incident in its own editor: its status, owner, root cause, "
    "lessons learned and closed date",
}
FALLBACK_REVIEW = "needs_rereview"  # a new use has no History tab: the flag itself
ROLE_RUNG = Qt.ItemDataRole.UserRole
ROLE_SUBJECT, ROLE_TITLE = Qt.ItemDataRole.UserRole + 1, Qt.ItemDataRole.UserRole + 2


def make_guide(editor: UseEditor) -> QLabel:
    """The line under the tabs that says which field closes the gap just activated."""
    guide = QLabel(editor)
    guide.setObjectName("gapGuide")
    guide.setWordWrap(True)
    guide.setStyleSheet("background: #fff4d6; padding: 4px 6px; border-radius: 4px;")
    guide.hide()
    layout = editor.ui.mainLayout
    layout.insertWidget(layout.indexOf(editor.ui.tabs) + 1, guide)
    return guide


def fill_gaps(editor: UseEditor, gaps: list[Gap] | None) -> None:
    """List ``gaps`` (None: the use is not saved yet) with where each is closed."""
    view = editor.ui.gapsList
    view.clear()
    if gaps is None:
        view.addItem("Save the use to see its gaps.")
        return
    for gap in gaps:
        # the reason already starts with the gap's title in plain words
        item = QListWidgetItem(gap.reason)
        item.setData(ROLE_RUNG, gap.rung)
        item.setData(ROLE_SUBJECT, gap.subject)
        item.setData(ROLE_TITLE, gap.title)
        target = gap_target(editor, gap.rung)
        where = GAP_ELSEWHERE.get(gap.rung, "")
        if target is not None:
            where = f"go to {describe(editor, target)}"
        item.setToolTip(
            f"{gap.title} (needed from {enums.Tier(gap.tier_required).label}). "
            f"Double-click to {where}."
        )
        view.addItem(item)
    if not gaps:
        view.addItem("No gaps: this use has the oversight its tier needs.")
    index = editor.ui.tabs.indexOf(editor.ui.gapsTab)
    editor.ui.tabs.setTabText(index, f"Gaps ({len(gaps)})" if gaps else "Gaps")


def gap_target(editor: UseEditor, rung: str) -> QWidget | None:
    """The widget that closes the gap ``rung`` here, if one does."""
    name = GAP_WIDGETS.get(rung, "")
    if rung == "assessment_missing":
        record = {**editor.original, **editor.binding.values()}
        missing = missing_answers(ExposureFactors.from_obj(SimpleNamespace(**record)))
        name = missing[0] if missing else name
    widget = editor.findChild(QWidget, name) if name else None
    if widget is None and name == "recordReview":
        widget = editor.findChild(QWidget, FALLBACK_REVIEW)
    return widget


def tab_of(editor: UseEditor, widget: QWidget) -> int:
    tabs = editor.ui.tabs
    for i in range(tabs.count()):
        tab = tabs.widget(i)
        if tab is widget or tab.isAncestorOf(widget):
            return i
    return -1


def describe(editor: UseEditor, widget: QWidget) -> str:
    """ "Kill switch on the Oversight tab", "the Challenges tab"."""
    index = tab_of(editor, widget)
    tab = editor.ui.tabs.tabText(index).replace("&", "").split(" (")[0] if index >= 0 else ""
    if widget is editor.ui.tabs.widget(index):
        return f"the {tab} tab"
    if isinstance(widget, QAbstractButton):
        name = widget.text().replace("&", "").rstrip("…").strip()
    elif widget is editor.ui.risksView:
        name = "the risks list"
    else:
        name = caption_of(widget)
    return f"{name} on the {tab} tab" if tab else name


def gap_of(item: QListWidgetItem) -> tuple[str, str, str]:
    """The rung, title and subject of a listed gap (empty for the "no gaps" line)."""
    rung, title, subject = (str(item.data(r) or "") for r in (ROLE_RUNG, ROLE_TITLE, ROLE_SUBJECT))
    return rung, title, subject


def go_to_gap(editor: UseEditor, rung: str, title: str = "", subject: str = "") -> QWidget | None:
    """Bring forward and focus what closes the gap ``rung``, and say which; an open
    incident's gap opens the incident's own editor (returned)."""
    what = (f"“{title}”" if title else "this gap") + (f" ({subject})" if subject else "")
    if rung == "incident_open":
        dialog = open_incident(editor, subject)
        if dialog is not None:
            show_guide(editor, f"To close {what}: {GAP_ELSEWHERE[rung]}.")
            return dialog
    widget = gap_target(editor, rung) if rung else None
    if widget is None:
        if rung in GAP_ELSEWHERE:
            show_guide(editor, f"To close {what}: {GAP_ELSEWHERE[rung]}.")
        return None
    index = tab_of(editor, widget)
    if index >= 0:
        editor.ui.tabs.setCurrentIndex(index)
    widget.setFocus(Qt.FocusReason.OtherFocusReason)
    action = GAP_ACTIONS.get(rung)
    place = describe(editor, widget)
    show_guide(
        editor,
        f"To close {what}: {action} ({place})." if action else f"To close {what}: fill in {place}.",
    )
    return widget


def show_guide(editor: UseEditor, text: str) -> None:
    editor.gap_guide.setText(text)
    editor.gap_guide.show()


def open_incident(editor: UseEditor, subject: str) -> QDialog | None:
    """Open the use's open incident titled ``subject`` in its editor, at its status."""
    from PySide6.QtWidgets import QComboBox

    from riskdesk.ui.editors.incident_dialog import IncidentDialog

    if editor.use_id is None:
        return None
    found = [
        i["id"]
        for i in editor.service.rows("incident", use_id=editor.use_id, order_by="id")
        if i["status"] != enums.IncidentStatus.CLOSED.value and i["title"] == subject
    ]
    if not found:
        return None
    dialog = IncidentDialog(editor.service, editor.history, found[0], editor)
    status = dialog.findChild(QComboBox, "status")
    if status is not None:
        status.setFocus(Qt.FocusReason.OtherFocusReason)
    dialog.open()
    return dialog
