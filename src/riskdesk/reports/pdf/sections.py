"""The register sections: heatmaps, top risks, accountability, gaps, incidents, coverage."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, Paragraph, Spacer, Table

from riskdesk.enums import IncidentKind, IncidentStatus, RiskStatus, Severity, Treatment
from riskdesk.reports.boardpack import INCIDENT_LIMIT
from riskdesk.reports.heatmap import heatmap, legend
from riskdesk.reports.pdf.builder import Builder
from riskdesk.reports.pdf.style import (
    WARN,
    day_str,
    esc,
    kinds_text,
    label_of,
    n_of,
    people_text,
    plain_style,
)
from riskdesk.scoring.exposure import exposure_text
from riskdesk.service.governance.incidents import people_affected_total as people_total


class RegisterSections(Builder):
    """The register's sections, in reading order; mixed into the pack's builder."""

    # --- heatmaps and top risks ----------------------------------------------------------------
    def heatmaps(self) -> list[Flowable]:
        c = self.c
        left = heatmap("Inherent risk (before controls)", c.heatmap("inherent"))
        right = heatmap("Residual risk (after controls)", c.heatmap("residual"))
        scale = min(1.0, (self.width / 2 - 4) / left.width)
        for d in (left, right):
            d.scale(scale, scale)
            d.width, d.height = d.width * scale, d.height * scale
        pair = Table([[left, right]], colWidths=[self.width / 2, self.width / 2])
        pair.setStyle(plain_style([("ALIGN", (0, 0), (-1, -1), "CENTER")]))
        return [
            self.h1("Where the risks sit"),
            self.p(
                f"Each square counts the open risks ({c.open_risk_count:,}; closed risks and "
                "risks of retired uses are left out) at that likelihood and impact. The "
                "controls in place should move risks down and to the left, from the inherent "
                "map to the residual one."
            ),
            KeepTogether([pair, Spacer(1, 2 * mm), legend()]),
        ]

    def top_risks(self) -> list[Flowable]:
        c = self.c
        top = c.top_risks()
        heading = self.h1(f"Top {len(top)} risks" if top else "Top risks")
        if not top:
            return [heading, self.p("No open risks are recorded.")]
        intro = self.p(
            "The open risks with the highest residual score, the risk that remains today."
        )
        extra: list[tuple[Any, ...]] = []
        rows: list[list[Any]] = []
        for i, r in enumerate(top, 1):
            if c.acceptance_expired(r):
                extra.append(("TEXTCOLOR", (5, i), (5, i), WARN))
            rows.append(
                [
                    self.cell(str(i)),
                    [self.cell(r["title"], "cellb"), self.cell(r["use_name"] or "", "cellsmall")],
                    self.person(r["owner_id"]),
                    self.band_cell(r["inherent_likelihood"] * r["inherent_impact"], i, 3, extra),
                    self.band_cell(r["residual_likelihood"] * r["residual_impact"], i, 4, extra),
                    self.cell(
                        f"{label_of(Treatment, r['treatment'])} · "
                        + (
                            "Expired"
                            if c.acceptance_expired(r)
                            else label_of(RiskStatus, r["status"])
                        )
                    ),
                    self.cell(r["due_date"].isoformat() if r["due_date"] else "—"),
                ]
            )
        # Kept whole: ten rows split over two pages read badly.
        return [
            KeepTogether(
                [
                    heading,
                    intro,
                    self.table(
                        [
                            "#",
                            "Risk and AI use",
                            "Owner",
                            "Inherent",
                            "Residual",
                            "Treatment",
                            "Due",
                        ],
                        rows,
                        [6, 48, 21, 16, 16, 20, 18],
                        extra,
                    ),
                ]
            )
        ]

    # --- accountability ---------------------------------------------------------------------
    def accountability(self) -> list[Flowable]:
        c = self.c
        shown, more = c.accountable_uses()
        story: list[Flowable] = [
            CondPageBreak(90 * mm),
            self.h1("Who is accountable: High and Critical uses"),
            self.p(
                "Each use has a 1st-line owner who runs it, a 2nd-line reviewer who challenges "
                "it and, for High and Critical uses, a 3rd-line owner who gives independent "
                "assurance. Red marks a missing owner or one who has left."
            ),
        ]
        if not shown:
            story.append(self.p("No use is rated High or Critical."))
            return story
        extra: list[tuple[Any, ...]] = []
        rows: list[list[Any]] = []
        for i, u in enumerate(shown, 1):
            gaps = c.gaps_of(u["id"])
            rows.append(
                [
                    [self.cell(u["name"], "cellb"), self.cell(u["department"], "cellsmall")],
                    self.tier_cell(u["tier"], i, 1, extra),
                    exposure_text(u),
                    self.person(u["owner_first_id"]),
                    self.person(u["owner_second_id"]),
                    self.person(u["owner_third_id"]),
                    self.review_cell(u),
                    str(gaps) if gaps else "—",
                ]
            )
            if gaps:
                extra.append(("TEXTCOLOR", (7, i), (7, i), WARN))
        story.append(
            self.table(
                [
                    "AI use",
                    "Tier",
                    "Exp.",
                    "1st line",
                    "2nd line",
                    "3rd line",
                    "Review due",
                    "Gaps",
                ],
                rows,
                [40, 15, 10, 22, 22, 22, 20, 10],
                extra,
            )
        )
        story += self.more(more, "High or Critical use")
        if more:
            story.append(
                self.p("Every use is listed in the appendix and the Excel register.", "small")
            )
        return story

    def review_cell(self, use: Mapping[str, Any]) -> Paragraph:
        """The review due date by the tier's cadence; in red, with how late, if overdue."""
        due = self.c.review_due(use)
        if due is None:
            return Paragraph('<font color="#C00000">never reviewed</font>', self.s["cell"])
        late = (self.c.today - due).days
        if late > 0:
            return Paragraph(
                f'<font color="#C00000"><b>{due.isoformat()}</b><br/>overdue by '
                f"{n_of(late, 'day')}</font>",
                self.s["cell"],
            )
        return self.cell(due.isoformat())

    # --- escalated challenges ------------------------------------------------------------------
    def escalations(self) -> list[Flowable]:
        """Challenges the 2nd line escalated: the board is where they end up."""
        c = self.c
        if not c.escalated:
            return []
        rows = [
            [
                self.cell(ch["raised_on"].isoformat()),
                [self.cell(ch["use_name"], "cellb"), self.cell(ch["question"], "cellsmall")],
                self.person(ch["raised_by_id"]),
                self.cell(ch["resolution"] or "—"),
            ]
            for ch in c.escalated[:INCIDENT_LIMIT]
        ]
        story: list[Flowable] = [
            CondPageBreak(50 * mm),
            self.h1("Challenges escalated by the 2nd line"),
            self.p(
                "The 2nd line was not satisfied with the 1st line's answer and took these "
                "higher. Each stays open, and blocks its use's review, until it is resolved."
            ),
            self.table(
                ["Raised", "AI use and question", "Raised by", "Why escalated"],
                rows,
                [14, 46, 18, 36],
            ),
        ]
        story += self.more(len(c.escalated) - INCIDENT_LIMIT, "challenge")
        return story

    # --- gaps by owner --------------------------------------------------------------------------
    def gaps_by_owner(self) -> list[Flowable]:
        c = self.c
        owners = c.gaps_by_owner()
        story: list[Flowable] = [
            CondPageBreak(70 * mm),
            self.h1("Oversight gaps by owner"),
            self.p(
                "A gap is a step of oversight that a use's tier requires but that is missing — "
                "a named owner, a review on time, an acceptance of risk above appetite, a "
                "rollback plan. Grouped here by the use's 1st-line owner, who closes them."
            ),
        ]
        if not owners:
            story.append(self.p("No gaps: every use has the oversight its tier requires."))
            return story
        rows: list[list[Any]] = []
        for o in owners:
            name = esc(o.name) + (' <font color="#C00000">(has left)</font>' if o.has_left else "")
            rows.append(
                [
                    [Paragraph(name, self.s["cellb"]), self.cell(o.title, "cellsmall")],
                    str(o.uses_with_gaps),
                    str(o.gaps),
                    self.cell("; ".join(f"{t} ({n:,})" for t, n in o.top)),
                ]
            )
        story.append(
            self.table(
                ["1st-line owner", "Uses", "Gaps", "Most frequent gaps"], rows, [34, 8, 8, 60]
            )
        )
        return story

    # --- incidents --------------------------------------------------------------------------------
    def incidents(self) -> list[Flowable]:
        c = self.c
        period = (
            f"since the previous pack ({day_str(c.period_start)})"
            if c.previous
            else f"in the last twelve months (since {day_str(c.period_start)})"
        )
        kinds = c.incident_counts(c.incidents)
        all_kinds = c.incident_counts(c.incidents_all)
        story: list[Flowable] = [
            CondPageBreak(70 * mm),
            self.h1("Incidents and near misses"),
            self.p(
                f"Logged {period}: {kinds_text(kinds)}. In the register as a whole: "
                f"{n_of(len(c.incidents_all), 'event')} ({kinds_text(all_kinds)})."
                + (
                    f" People affected by those logged {period}: {people_total(c.incidents)}."
                    if c.incidents
                    else ""
                )
            ),
        ]
        shown = c.incidents[:INCIDENT_LIMIT]
        if not shown:
            story.append(self.p(f"Nothing was logged {period}."))
            return story
        rows: list[list[Any]] = []
        extra: list[tuple[Any, ...]] = []
        for i, inc in enumerate(shown, 1):
            use_name = c.use_names.get(inc["use_id"], "") if inc["use_id"] else ""
            flag = ""
            if inc["reportable"]:
                flag = (
                    f"reported {inc['reported_on'].isoformat()}"
                    if inc["reported_on"]
                    else "may be reportable — not yet reported"
                )
                if not inc["reported_on"]:
                    extra.append(("TEXTCOLOR", (5, i), (5, i), WARN))
            logged = inc.get("logged_on", inc["occurred_on"])
            rows.append(
                [
                    self.cell(
                        inc["occurred_on"].isoformat()
                        + (
                            f" (logged {logged.isoformat()})"
                            if logged is not None and logged != inc["occurred_on"]
                            else ""
                        )
                    ),
                    self.cell(
                        f"{label_of(IncidentKind, inc['kind'])} · "
                        f"{label_of(IncidentStatus, inc.get('status') or 'open')}"
                    ),
                    self.cell(label_of(Severity, inc["severity"])),
                    [self.cell(inc["title"], "cellb"), self.cell(use_name, "cellsmall")],
                    people_text(inc["people_affected"]),
                    self.cell(flag) if flag else "—",
                ]
            )
        story.append(
            self.table(
                [
                    "Date",
                    "Kind · status",
                    "Severity",
                    "What happened, and the AI use",
                    "People",
                    "EU AI Act",
                ],
                rows,
                [18, 14, 15, 55, 13, 24],
                extra,
            )
        )
        story += self.more(len(c.incidents) - len(shown), "event")
        return story

    # --- evidence behind the controls (issue 18) ---------------------------------------------
    def evidence_standing(self) -> list[Flowable]:
        """One paragraph: how many controls that claim to work can show it."""
        ev = self.c.evidence
        if ev is None:
            return []
        if not ev.claiming:
            text = "No control is marked implemented or tested yet."
        else:
            text = (
                f"Of {n_of(ev.claiming, 'control')} marked implemented or tested, "
                f"<b>{ev.backed:,} {'is' if ev.backed == 1 else 'are'} backed by current "
                f"evidence</b> and <b>{len(ev.claimed):,} {'is' if len(ev.claimed) == 1 else 'are'}"
                " claimed with no evidence</b>"
            )
            if ev.claimed:
                names = ", ".join(esc(n) for n in ev.claimed[:5])
                more = f" and {len(ev.claimed) - 5:,} more" if len(ev.claimed) > 5 else ""
                text += f" ({names}{more})"
            text += "."
        files = f" The register holds {n_of(ev.files, 'current evidence file')}"
        files += f", {ev.expired:,} of them expired." if ev.expired else "."
        return [self.p(text + files)]

    # --- framework coverage (issue 7 fills coverage_rows) ------------------------------------
    def coverage(self) -> list[Flowable]:
        rows = self.c.coverage
        story: list[Flowable] = [CondPageBreak(60 * mm), self.h1("Framework coverage")]
        story += self.evidence_standing()
        if not rows:
            story.append(self.p("Framework coverage is not available for this register yet."))
            return story
        story.append(
            self.p(
                "How much of each framework the register's controls address: covered by "
                "implemented or tested controls, or only by planned ones. Of the covered "
                "items, those whose controls have current evidence on file are backed "
                "by evidence; the rest are claimed with no evidence."
            )
        )
        body = [
            [
                self.cell(r.name),
                str(r.total),
                str(r.covered),
                str(r.planned),
                str(r.uncovered),
                f"{r.percent:.0f}%",
                str(r.evidence_backed),
                str(r.claimed_no_evidence),
            ]
            for r in rows
        ]
        table = self.table(
            [
                "Framework",
                "Items",
                "Covered",
                "Planned only",
                "Not covered",
                "% covered",
                "Backed by evidence",
                "Claimed, no evidence",
            ],
            body,
            [34, 8, 11, 11, 11, 11, 14, 14],
        )
        return [KeepTogether([*story, table])]
