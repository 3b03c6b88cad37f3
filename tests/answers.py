"""Exposure answers for tests that need an *assessed* use.

Since unknown is not Low (issue 13), a use created without answers is "Not assessed".
Tests about something else (gaps, drift, exports…) start from these answers: the
levels riskdesk used to assume, now given explicitly.
"""

from __future__ import annotations

from typing import Any

ANSWERED: dict[str, Any] = {
    "people_affected": 0,
    "decision_role": "none",
    "autonomy": "none",
    "data_sensitivity": "internal",
    "childrens_data": False,
    "harm_severity": "minor",
    "reversibility": "reversible",
    "rights_impacting": False,
    "safety_impacting": False,
    "eu_ai_act_class": "minimal",
}


def answered(**values: Any) -> dict[str, Any]:
    """An AI use's values with every exposure question answered (``values`` win)."""
    return {**ANSWERED, **values}
