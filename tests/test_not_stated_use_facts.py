"""How a use is built or bought, whether the public uses it and whether it is generative:
nobody's answer is "Not stated", never "SaaS embedded" or "No". A new use, an import that
cannot read the answer, the register's own workbook, the editor and the catalogue's
suggestions all say so; migration 0010 keeps the values registers already hold."""

from __future__ import annotations

import pytest

from riskdesk.enums import Sourcing
from riskdesk.service.register import RegisterService

pytestmark = pytest.mark.both_databases

UNSTATED = {"sourcing": "not_stated", "public_facing": None, "generative": None}


def _facts(use: dict[str, object]) -> dict[str, object]:
    return {k: use[k] for k in UNSTATED}


def test_a_new_use_states_none_of_them(service: RegisterService) -> None:
    use_id = service.create("ai_use", {"name": "Timetable planner"})
    assert _facts(service.get("ai_use", use_id)) == UNSTATED
    assert service.defaults("ai_use")["sourcing"] == Sourcing.NOT_STATED.value
    assert Sourcing.NOT_STATED.label == "Not stated"
    assert next(iter(Sourcing)) is Sourcing.NOT_STATED  # first in the editor's list


def test_answers_given_are_kept_and_can_be_taken_back(service: RegisterService) -> None:
    use_id = service.create(
        "ai_use",
        {"name": "Chat", "sourcing": "Vendor API", "public_facing": "yes", "generative": False},
    )
    stated = {"sourcing": "vendor_api", "public_facing": True, "generative": False}
    assert _facts(service.get("ai_use", use_id)) == stated
    # A workbook or CSV cell left blank says nothing: back to not stated.
    service.update("ai_use", use_id, {"public_facing": "", "generative": None})
    again = {"sourcing": "vendor_api", "public_facing": None, "generative": None}
    assert _facts(service.get("ai_use", use_id)) == again
