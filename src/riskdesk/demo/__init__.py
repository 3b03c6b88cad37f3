"""A realistic, deterministic demo register: a school district and a small company.

The same seed and the same ``today`` give the same register. Dates are set relative to
``today`` so a fresh demo always shows something due, something overdue and a history.
Everything is written through the service layer (validated and audited).

- ``data``: reads the invented records in ``resources/demo/``;
- ``build``: writes people, uses, risks, controls and incidents;
- ``history``: one function per story (reviews, challenges, incidents over past months),
  with the helpers they share in ``story``;
- ``packs``: a board pack per past quarter, marked as invented, so the dashboard's
  trend tells the story over time (written as a second action, after the register).
"""

from __future__ import annotations

from riskdesk.demo.build import build_demo
from riskdesk.demo.data import (
    ControlSpec,
    DemoData,
    IncidentSpec,
    Person,
    RiskSpec,
    UseSpec,
    demo_data,
)

__all__ = [
    "ControlSpec",
    "DemoData",
    "IncidentSpec",
    "Person",
    "RiskSpec",
    "UseSpec",
    "build_demo",
    "demo_data",
]
