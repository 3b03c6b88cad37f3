"""Optimistic concurrency: an edit or undo of a record someone else changed since it
was read is refused ("changed by … at … — reload"), on one SQLite file opened twice
and on PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from riskdesk.service.errors import ConflictError, StaleRecordError
from riskdesk.service.integrity import check_register
from riskdesk.service.register import RegisterService
from riskdesk.store.db import open_register


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def target(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return str(tmp_path / "shared.db")
    return str(request.getfixturevalue("pg_url"))


@pytest.fixture
def two(target: str) -> Iterator[tuple[RegisterService, RegisterService]]:
    """Ada and Ben, each with their own connection to one register."""
    ada = RegisterService(open_register(target), actor="ada")
    ben = RegisterService(open_register(target), actor="ben")
    yield ada, ben
    ada.register.dispose()
    ben.register.dispose()


def test_a_new_record_starts_at_version_one_and_each_change_raises_it(
    two: tuple[RegisterService, RegisterService],
) -> None:
    ada, _ = two
    use = ada.create("ai_use", {"name": "Chatbot"})
    assert ada.get("ai_use", use)["version"] == 1
    ada.update("ai_use", use, {"kill_switch": "Pull the plug"})
    assert ada.get("ai_use", use)["version"] == 2
    ada.update("ai_use", use, {"kill_switch": "Pull the plug"})  # no change, no new version
    assert ada.get("ai_use", use)["version"] == 2


def test_an_edit_based_on_an_older_version_is_refused(
    two: tuple[RegisterService, RegisterService],
) -> None:
    ada, ben = two
    use = ada.create("ai_use", {"name": "Chatbot"})
    seen_by_ada = ada.get("ai_use", use)
    ben.update("ai_use", use, {"kill_switch": "Ben's plan", "version": 1})
    with pytest.raises(
        StaleRecordError, match=r"changed by ben at \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC .* reload"
    ):
        ada.update("ai_use", use, {"kill_switch": "Ada's plan", "version": seen_by_ada["version"]})
    assert ada.get("ai_use", use)["kill_switch"] == "Ben's plan"
    # After reloading, Ada's edit goes through.
    fresh = ada.get("ai_use", use)
    ada.update("ai_use", use, {"kill_switch": "Ada's plan", "version": fresh["version"]})
    assert ben.get("ai_use", use)["kill_switch"] == "Ada's plan"
    assert check_register(ada.register, remember=False).ok


def test_an_undo_never_overwrites_a_colleagues_later_edit(
    two: tuple[RegisterService, RegisterService],
) -> None:
    ada, ben = two
    use = ada.create("ai_use", {"name": "Chatbot", "kill_switch": "Old plan"})
    edit = ada.update("ai_use", use, {"name": "Homework chatbot"})
    ben.update("ai_use", use, {"kill_switch": "Ben's later plan"})
    with pytest.raises(StaleRecordError, match="changed by ben") as refused:
        ada.undo(edit)
    assert isinstance(refused.value, ConflictError)  # the GUI shows it like any refusal
    assert (refused.value.entity, refused.value.key) == ("ai_use", use)
    record = ben.get("ai_use", use)
    assert (record["name"], record["kill_switch"]) == ("Homework chatbot", "Ben's later plan")


def test_undoing_a_create_someone_since_edited_is_refused(
    two: tuple[RegisterService, RegisterService],
) -> None:
    ada, ben = two
    added = ada.add("person", {"name": "Cleo"})
    ben.update("person", added.created_id, {"title": "Head of IT"})
    with pytest.raises(StaleRecordError, match=r"Person .* changed by ben"):
        ada.undo(added)
    assert ada.get("person", added.created_id)["title"] == "Head of IT"


def test_undoing_ones_own_actions_newest_first_still_works(
    two: tuple[RegisterService, RegisterService],
) -> None:
    ada, ben = two
    added = ada.add("person", {"name": "Cleo"})
    renamed = ada.update("person", added.created_id, {"name": "Cleo K."})
    ada.undo(renamed)
    ada.undo(added)
    assert ben.rows("person") == []
    assert check_register(ben.register, remember=False).ok
