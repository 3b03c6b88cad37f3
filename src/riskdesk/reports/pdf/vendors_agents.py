"""The board pack's "Vendors and agents" section (issue 17).

Two risks a deployer carries without building anything: many uses leaning on one
provider (its failure or compromise hits them all at once, counted through
intermediaries), and agents holding permissions on live systems. The figures come from
``riskdesk.service.vendors`` and ``riskdesk.service.agents``, the same as the CLI.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable

from riskdesk.reports.pdf.builder import Builder
from riskdesk.reports.pdf.style import WARN, n_of
from riskdesk.service.register import RegisterService

MAX_PROVIDERS = 8
MAX_IF_DOWN = 15
MAX_AGENTS = 15


@dataclass
class VendorAgentContent:
    concentration: Any = None  # riskdesk.service.vendors.Concentration
    agents: list[dict[str, Any]] = field(default_factory=list)
    # Set by ``gather_vendor_agent`` once it has cut the lists to what the pack shows;
    # None: count ``agents`` and the top provider's ``if_down`` as they are.
    agent_count: int | None = None
    finding_count: int | None = None
    if_down_count: int | None = None


def gather_vendor_agent(svc: RegisterService, today: dt.date) -> VendorAgentContent:
    """The section's figures, with only the rows it lists kept (issue 19: at 100,000 uses
    the full lists held every agent and, per provider, every use depending on it)."""
    from riskdesk.service.agents import agent_overview
    from riskdesk.service.vendors import concentration

    conc = concentration(svc)
    agents = agent_overview(svc, today)
    content = VendorAgentContent(
        conc,
        agents[:MAX_AGENTS],
        len(agents),
        sum(len(a["findings"]) for a in agents),
        len(conc.providers[0].if_down) if conc.providers else 0,
    )
    for i, exposure in enumerate([*conc.providers, *conc.models]):
        del exposure.if_down[MAX_IF_DOWN if i == 0 else 0 :]  # only the top provider's shows
    return content


def _yes_no(value: bool | None) -> str:
    return {True: "yes", False: "no", None: "not recorded"}[value]


def _titles(findings: list[dict[str, Any]]) -> str:
    """Each finding's title once, with a count where it repeats (one per permission)."""
    counts: dict[str, int] = {}
    for f in findings:
        counts[f["title"]] = counts.get(f["title"], 0) + 1
    return "; ".join(t if n == 1 else f"{t} (×{n})" for t, n in counts.items()) or "none"


class VendorAgentSections(Builder):
    """Mixed into the pack's builder; reads ``self.c.vendor_agent``."""

    def vendors_and_agents(self) -> list[Flowable]:
        data: VendorAgentContent | None = getattr(self.c, "vendor_agent", None)
        if data is None:
            return []
        story: list[Flowable] = [CondPageBreak(80 * mm), self.h1("Vendors and agents")]
        story += self._concentration(data.concentration, data.if_down_count)
        story += self._agents(data)
        return story

    def _concentration(self, conc: Any, if_down_count: int | None = None) -> list[Flowable]:
        if conc is None or conc.top_provider is None:
            return [self.p("No use names a vendor or a catalogued model.")]
        from riskdesk.service.vendors import share_words

        top = conc.providers[0]
        through = top.uses - top.direct
        share, _, scope = share_words(conc).partition(" of ")  # of the people known, if not all
        story: list[Flowable] = [
            self.h2("Concentration"),
            self.p(
                f"<b>{share}</b> of {scope} "
                f"depend on <b>{self.esc(top.name)}</b>: {n_of(top.uses, 'use')}, "
                f"{through:,} of them through another vendor. People are summed over uses."
            ),
        ]
        rows = []
        extra: list[tuple[Any, ...]] = []
        for i, p in enumerate(conc.providers[:MAX_PROVIDERS], 1):
            if p.no_fallback and p.high_or_critical:
                extra.append(("TEXTCOLOR", (4, i), (4, i), WARN))
            rows.append(
                [
                    self.cell(p.name),
                    f"{p.uses:,} ({p.uses - p.direct:,})",
                    # "at least … (3 uses unknown)" wraps in its cell; "Unknown": none known
                    self.cell(p.people_words(), "cellsmall")
                    if p.people_unknown
                    else f"{p.people:,}",
                    f"{p.high_or_critical:,}",
                    f"{p.no_fallback:,}",
                    self.cell(", ".join(p.models), "cellsmall"),
                ]
            )
        story.append(
            self.table(
                [
                    "Provider",
                    "Uses (via others)",
                    "People",
                    "High or Critical",  # wraps at a space, not inside a word
                    "No fallback",
                    "Models",
                ],
                rows,
                [30, 18, 20, 16, 16, 36],  # People: room for "at least … (k unknown)"
                extra,
            )
        )
        story += self.more(len(conc.providers) - MAX_PROVIDERS, "provider")
        story.append(self.h2(f"If {top.name} is down or compromised tomorrow", 2))
        rows = []
        extra = []
        for i, d in enumerate(top.if_down[:MAX_IF_DOWN], 1):
            tier = self.tier_cell(d.tier, i, 1, extra)
            for col, ok in (
                (4, bool(d.fallback.strip())),
                (5, d.rollback_plan),
                (6, d.kill_switch),
            ):
                if not ok:
                    extra.append(("TEXTCOLOR", (col, i), (col, i), WARN))
            rows.append(
                [
                    self.cell(d.use),
                    tier,
                    f"{d.people:,}" if d.people is not None else "Unknown",
                    self.cell(d.via, "cellsmall"),
                    self.cell(d.fallback or "none recorded", "cellsmall"),
                    "yes" if d.rollback_plan else "none",
                    "yes" if d.kill_switch else "none",
                ]
            )
        story.append(
            self.table(
                ["Use", "Tier", "People", "Depends through", "Fallback", "Rollback", "Kill switch"],
                rows,
                # in points of a 480-pt frame: "Not assessed" (bold) and "Rollback" fit whole
                [88, 70, 48, 100, 84, 48, 42],
                extra,
            )
        )
        if_down = len(top.if_down) if if_down_count is None else if_down_count
        story += self.more(if_down - MAX_IF_DOWN, "use")
        return story

    def _agents(self, data: VendorAgentContent) -> list[Flowable]:
        agents = data.agents
        story: list[Flowable] = [self.h2("Agent permissions")]
        if not agents:
            return [*story, self.p("No live use is an agent.")]
        count = len(agents) if data.agent_count is None else data.agent_count
        findings = (
            sum(len(a["findings"]) for a in agents)
            if data.finding_count is None
            else data.finding_count
        )
        story.append(
            self.p(
                f"{n_of(count, 'agent')} with {n_of(findings, 'permission finding')} "
                "(OWASP Agentic ASI02 tool misuse, ASI03 privilege abuse). These findings "
                "apply at every tier; they do not change exposure scores."
            )
        )
        rows = []
        extra: list[tuple[Any, ...]] = []
        for i, a in enumerate(agents[:MAX_AGENTS], 1):
            prod = sum(
                1
                for p in a["permissions"]
                if p["environment"] == "production"
                and p["access"] in ("write", "delete", "execute")
            )
            if a["findings"]:
                extra.append(("TEXTCOLOR", (5, i), (5, i), WARN))
            rows.append(
                [
                    self.cell(a["use"]),
                    self.tier_cell(a["tier"], i, 1, extra),
                    f"{len(a['permissions'])} ({prod})",
                    _yes_no(a["human_approval_destructive"]),
                    _yes_no(a["dev_prod_separated"]),
                    self.cell(_titles(a["findings"]), "cellsmall"),
                ]
            )
        story.append(
            self.table(
                [
                    "Agent",
                    "Tier",
                    "Permissions (change prod)",
                    "Approval",
                    "Dev/prod split",
                    "Findings",
                ],
                rows,
                # in points of a 480-pt frame: "Not assessed", "Permissions" and
                # "not recorded" fit whole (they ran into the next column)
                [90, 70, 64, 62, 62, 132],
                extra,
            )
        )
        story += self.more(count - MAX_AGENTS, "agent")
        return story

    @staticmethod
    def esc(text: str) -> str:
        from riskdesk.reports.pdf.style import esc

        return esc(text)
