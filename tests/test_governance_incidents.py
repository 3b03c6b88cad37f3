"""Issue 15: incidents are followed to closure; open ones and re-review flags are gaps."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtWidgets import QComboBox, QPlainTextEdit
from pytestqt.qtbot import QtBot

from riskdesk.service import governance as gov
from riskdesk.service.errors import ValidationError
from riskdesk.service.oversight import gaps_for_use
from riskdesk.service.register import RegisterService
from riskdesk.ui.editors.incident_dialog import IncidentDialog
from riskdesk.ui.undo import EditHistory
from tests import test_governance as base
from tests.test_governance import TODAY, make_use

pytestmark = pytest.mark.both_databases  # SQLite and PostgreSQL (tests/conftest.py)

people = base.people  # the shared fixture


def rungs(service: RegisterService, use_id: int) -> list[str]:
    return [g.rung for g in gaps_for_use(service, use_id, TODAY)]


def log(service: RegisterService, use_id: int, **extra: object) -> int:
    result = gov.log_incident(
        service,
        {
            "use_id": use_id,
            "kind": "incident",
            "title": "Wrong refund",
            "occurred_on": TODAY - dt.timedelta(days=5),
            **extra,
        },
    )
    return int(result.created_id)


def test_an_open_incident_and_the_rereview_flag_are_gaps_until_dealt_with(
    service: RegisterService, people: dict[str, int]
) -> None:
    use_id = make_use(service, people, "low")
    gov.record_review(service, use_id, people["reviewer"], "", TODAY)
    assert rungs(service, use_id) == []
    incident = log(service, use_id)
    assert service.get("incident", incident)["status"] == "open"
    assert rungs(service, use_id) == ["incident_open", "rereview"]
    gov.update_incident(
        service,
        incident,
        {
            "status": "closed",
            "owner_id": people["owner"],
            "root_cause": "Rounding in the refund rule.",
            "lessons": "Test the rule with edge amounts.",
            "closed_on": TODAY,
        },
    )
    assert rungs(service, use_id) == ["rereview"]
    gov.record_review(service, use_id, people["reviewer"], "", TODAY)
    assert rungs(service, use_id) == []


def test_closing_needs_owner_root_cause_lessons_and_date(
    service: RegisterService, people: dict[str, int]
) -> None:
    use_id = make_use(service, people, "low")
    incident = log(service, use_id)
    with pytest.raises(ValidationError) as refused:
        gov.update_incident(service, incident, {"status": "closed"})
    assert {p.field for p in refused.value.problems} == {
        "closed_on",
        "owner_id",
        "root_cause",
        "lessons",
    }
    with pytest.raises(ValidationError, match="before it occurred"):
        gov.update_incident(
            service,
            incident,
            {
                "status": "closed",
                "owner_id": people["owner"],
                "root_cause": "x",
                "lessons": "y",
                "closed_on": TODAY - dt.timedelta(days=30),
            },
        )
    with pytest.raises(ValidationError, match="only a closed incident"):
        gov.update_incident(service, incident, {"status": "contained", "closed_on": TODAY})
    assert service.get("incident", incident)["status"] == "open"


def test_a_possibly_reportable_incident_closes_only_once_reported(
    service: RegisterService, people: dict[str, int]
) -> None:
    use_id = make_use(service, people, "low")
    incident = log(service, use_id, reportable=True, severity="high")
    closing = {
        "status": "closed",
        "owner_id": people["owner"],
        "root_cause": "Model drift.",
        "lessons": "Monitor weekly.",
        "closed_on": TODAY,
    }
    with pytest.raises(ValidationError, match=r"Art\. 73"):
        gov.update_incident(service, incident, closing)
    gov.update_incident(service, incident, {**closing, "reported_on": TODAY - dt.timedelta(1)})
    assert service.get("incident", incident)["status"] == "closed"


def test_an_incident_owner_cannot_be_deleted_from_under_it(
    service: RegisterService, people: dict[str, int]
) -> None:
    use_id = make_use(service, people, "low")
    other = service.create("person", {"name": "Ida Incident", "default_line": "first"})
    log(service, use_id, owner_id=other)
    with pytest.raises(Exception, match="incident"):
        service.delete("person", other)


@pytest.mark.sqlite_only(reason="a GUI dialog test; the GUI reads through the same service")
def test_the_incident_dialog_shows_the_follow_up_fields(
    service: RegisterService, people: dict[str, int], qtbot: QtBot
) -> None:
    use_id = make_use(service, people, "low")
    incident = log(service, use_id)
    dialog = IncidentDialog(service, EditHistory(service), incident, today=TODAY)
    qtbot.addWidget(dialog)
    status = dialog.findChild(QComboBox, "status")
    assert status is not None and status.currentData() == "open"
    assert dialog.findChild(QComboBox, "owner_id") is not None
    for name in ("root_cause", "lessons"):
        assert dialog.findChild(QPlainTextEdit, name) is not None
    status.setCurrentIndex(status.findData("closed"))
    dialog.save()
    assert not dialog.banner.isHidden()
    assert service.get("incident", incident)["status"] == "open"
