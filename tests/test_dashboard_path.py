"""The first-run path's steps (issue 14 item 2), worked out from the register alone."""

from __future__ import annotations

import datetime as dt

from riskdesk.service.getting_started import PackRecord, first_run_path, next_not_assessed
from riskdesk.service.register import RegisterService
from tests.answers import answered

NO_PACK = PackRecord(0, None)


def test_an_empty_register_has_every_step_to_do() -> None:
    steps = first_run_path(0, 0, 0, NO_PACK)
    assert [s.key for s in steps] == ["add", "assess", "owners", "pack"]
    assert not any(s.done for s in steps)  # nothing to assess is not "all assessed"
    assert steps[0].status == "No AI uses yet" and steps[3].status == "No pack issued yet"


def test_counts_read_as_sentences_and_steps_finish_when_the_register_has_them() -> None:
    steps = {s.key: s for s in first_run_path(12, 9, 12, NO_PACK)}
    assert steps["add"].done and steps["add"].status == "12 uses in the register"
    assert not steps["assess"].done and steps["assess"].status == "3 of 12 uses assessed"
    assert steps["owners"].status == "0 of 12 uses have an owner"
    one = {s.key: s for s in first_run_path(1, 0, 0, PackRecord(2, dt.date(2026, 9, 30)))}
    assert one["add"].status == "1 use in the register"
    assert one["assess"].done and one["owners"].done
    assert one["pack"].done and one["pack"].status == "Last issued 2026-09-30"


def test_the_next_use_to_assess_reaches_most_people_and_is_live(
    service: RegisterService,
) -> None:
    assert next_not_assessed(service) is None
    service.create("ai_use", {"name": "Small", "people_affected": 10})
    big = service.create("ai_use", {"name": "Big", "people_affected": 5000})
    service.create("ai_use", {"name": "Old", "people_affected": 90000, "stage": "retired"})
    service.create("ai_use", answered(name="Assessed", people_affected=80000))
    assert next_not_assessed(service) == big
