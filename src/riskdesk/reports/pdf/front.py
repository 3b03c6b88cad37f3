"""The front of the pack: cover, executive summary and what changed since the last pack."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Any

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer, Table

from riskdesk import __version__
from riskdesk.enums import Band, Tier
from riskdesk.reports.pdf.builder import Builder
from riskdesk.reports.pdf.style import (
    LIST_LIMIT,
    WARN,
    ZEBRA,
    day_str,
    esc,
    exposure_of,
    kinds_text,
    label_of,
    n_of,
    plain_style,
    table_style,
)
from riskdesk.reports.snapshot import Changes
from riskdesk.scoring.ladder import RUNGS_BY_CODE
from riskdesk.service.summary import unassessed_sentence


@cache
def _other_gap_titles() -> dict[str, str]:
    """Gaps that are not ladder rungs: agents' facts, vendors' diligence, evidence."""
    from riskdesk.service import due_diligence
    from riskdesk.service.agents import AGENT_RUNGS
    from riskdesk.service.evidence import GAP_RUNG, GAP_TITLE

    return {
        **{code: r.title for code, r in AGENT_RUNGS.items()},
        due_diligence.RUNG: due_diligence.TITLE,
        GAP_RUNG: GAP_TITLE,
    }


def _gap_words(key: str) -> str:
    """``"rung|subject"`` as the gap's title, with its subject if any."""
    rung, _, subject = key.partition("|")
    found = RUNGS_BY_CODE.get(rung)
    title = found.title if found else _other_gap_titles().get(rung, rung.replace("_", " "))
    return f"{title}: {subject}" if subject else title


class FrontSections(Builder):
    """Cover, executive summary and changes; mixed into the pack's builder."""

    # --- cover ---------------------------------------------------------------------------------
    def cover(self) -> list[Flowable]:
        c = self.c
        profile = c.profile
        org = profile.get("name") or "Our organisation"
        champion = profile.get("champion_name") or ""
        # Names, never a path: the cover is read by the board, not by the file system.
        rows = [
            ["Organisation", org],
            ["Date", day_str(c.generated_at.date())],
            [
                "AI champion",
                champion or "not named in the register (set it in the organisation profile)",
            ],
            ["Status", "Issued to the board" if c.will_record else "DRAFT — not issued"],
            [
                "Previous pack",
                day_str(c.previous.exported_at.date())
                if c.previous
                else "none — this is the first",
            ],
        ]
        info = Table(
            [[self.cell(k, "cellb"), self.cell(v)] for k, v in rows],
            colWidths=[35 * mm, self.width - 35 * mm],
        )
        info.setStyle(table_style(header=False))
        story: list[Flowable] = [
            Spacer(1, 45 * mm),
            self.p("AI risk board pack", "title"),
            Spacer(1, 4 * mm),
            self.p(esc(org), "subtitle"),
            self.p(
                "The organisation's uses of AI, how exposed each leaves us, the risks and "
                "who is accountable for them — for the board's oversight.",
                "lead",
            ),
            Spacer(1, 10 * mm),
            info,
        ]
        marking = profile.get("confidentiality") or ""
        if marking:
            box = Table(
                [[self.p(f'<font color="#C00000"><b>{esc(marking)}</b></font>', "body")]],
                colWidths=[self.width],
            )
            box.setStyle(
                plain_style(
                    [
                        ("BOX", (0, 0), (-1, -1), 1, WARN),
                        ("TEXTCOLOR", (0, 0), (-1, -1), WARN),
                        ("TOPPADDING", (0, 0), (-1, -1), 6),
                        ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
                        ("LEFTPADDING", (0, 0), (-1, -1), 8),
                    ]
                )
            )
            story += [Spacer(1, 12 * mm), box]
        story += [
            Spacer(1, 12 * mm),
            self.p(
                f"Produced by riskdesk {esc(__version__)} on "
                f"{c.generated_at:%Y-%m-%d %H:%M}. The last page gives the audit chain head "
                "that lets anyone confirm later that the register behind this pack has not "
                "been rewritten.",
                "small",
            ),
        ]
        return story

    # --- executive summary ---------------------------------------------------------------------
    def attention_points(self) -> list[str]:
        c = self.c
        points: list[str] = []
        unassessed = unassessed_sentence(c.unassessed_count())
        if unassessed:
            points.append(f"<b>{esc(unassessed)}</b>")
        prohibited = c.use_tally.prohibited
        if prohibited.count:
            names = ", ".join(esc(name) for name in prohibited.names[:3])
            points.append(
                f"<b>{n_of(prohibited.count, 'use')} may be a practice the EU AI Act prohibits</b> "
                f"({names}). Such a use must not be deployed; it should be stopped or "
                "re-assessed now."
            )
        critical = c.use_tally.critical_with_gaps
        if critical.count:
            names = ", ".join(esc(name) for name in critical.names[:3])
            more = f" and {critical.count - 3:,} more" if critical.count > 3 else ""
            points.append(
                f"<b>{n_of(critical.count, 'Critical use')} "
                f"{'lacks' if critical.count == 1 else 'lack'} oversight the tier "
                f"requires</b>: {names}{more}."
            )
        unaccepted = c.gap_count("acceptance_missing")
        if unaccepted:
            appetite = label_of(Band, c.profile.get("risk_appetite") or "medium")
            points.append(
                f"<b>{n_of(unaccepted, 'risk')} above the board's appetite ({appetite})</b> "
                "have no named acceptance from the 2nd line."
            )
        expired = c.gap_count("acceptance_expired")
        if expired:
            points.append(
                f"{n_of(expired, 'risk acceptance')} {'has' if expired == 1 else 'have'} "
                "expired and must be renewed or the risk treated."
            )
        left = c.uses_with("owner_left")
        if left:
            points.append(
                f"{n_of(left, 'use')} {'is' if left == 1 else 'are'} still assigned to someone "
                "who has left the organisation."
            )
        reportable = [i for i in c.incidents_all if i["reportable"] and i["reported_on"] is None]
        if reportable:
            points.append(
                f"<b>{n_of(len(reportable), 'incident')} may be reportable</b> as a serious "
                "incident under the EU AI Act and {} not yet been reported.".format(
                    "has" if len(reportable) == 1 else "have"
                )
            )
        overdue = c.uses_with("review_overdue")
        if overdue:
            points.append(
                f"{n_of(overdue, 'review')} of AI uses {'is' if overdue == 1 else 'are'} overdue."
            )
        if c.escalated:
            names = ", ".join(esc(ch["use_name"]) for ch in c.escalated[:3])
            points.append(
                f"<b>{n_of(len(c.escalated), 'challenge')} from the 2nd line "
                f"{'has' if len(c.escalated) == 1 else 'have'} been escalated</b> and "
                f"{'is' if len(c.escalated) == 1 else 'are'} unresolved ({names})."
            )
        return points[:8]

    def summary(self) -> list[Flowable]:
        c = self.c
        tiers = c.tier_counts()
        live = c.live_count
        retired = c.use_count - live
        gap_total = c.gap_count()
        with_gaps = c.use_tally.live_with_gaps
        overdue = c.uses_with("review_overdue")
        open_risks = c.open_risk_count
        crit_res = c.residual_band_count(Band.CRITICAL)
        high_res = c.residual_band_count(Band.HIGH)
        kinds = c.incident_counts(c.incidents)
        since = (
            f"since the last pack ({day_str(c.period_start)})"
            if c.previous
            else "in the last twelve months"
        )

        tiles = [
            (f"{live:,}", "AI uses in the register (not retired)"),
            (
                f"{tiers['critical']:,} · {tiers['high']:,}",
                "Critical · High tier uses",
            ),
            (f"{gap_total:,}", f"oversight gaps on {n_of(with_gaps, 'use')}"),
            (f"{overdue:,}", "reviews overdue"),
            (
                f"{kinds['incident'] + kinds['rollback'] + kinds['shutdown']:,} · "
                f"{kinds['near_miss']:,}",
                f"incidents · near misses {since}"
                + (
                    f" ({kinds['not_stated']:,} more of kind not stated)"
                    if kinds["not_stated"]
                    else ""
                ),
            ),
        ]
        tile_w = self.width / len(tiles)
        tile_table = Table(
            [
                [self._tile_number(n, tile_w - 14) for n, _ in tiles],
                [self.p(esc(t), "tile_t") for _, t in tiles],
            ],
            colWidths=[tile_w] * len(tiles),
        )
        tile_table.setStyle(
            plain_style(
                [
                    ("BACKGROUND", (0, 0), (-1, -1), ZEBRA),
                    ("LINEBEFORE", (1, 0), (-1, -1), 2, colors.white),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("TOPPADDING", (0, 0), (-1, 0), 8),
                    ("BOTTOMPADDING", (0, -1), (-1, -1), 8),
                    ("LEFTPADDING", (0, 0), (-1, -1), 7),
                ]
            )
        )
        org = esc(c.profile.get("name") or "The organisation")
        tier_words = ", ".join(
            f"{tiers[t.value]:,} {t.label}" for t in reversed(Tier) if tiers[t.value]
        )
        paragraphs = [
            f"{org} has <b>{n_of(live, 'use')} of AI</b> in the register"
            + (f" (and {retired:,} retired)" if retired else "")
            + f": {tier_words or 'none yet'}. The tier says how exposed a use leaves the "
            "organisation — how many people it reaches, how much it decides about them, "
            "how freely it acts, what data it touches and how bad and lasting a mistake "
            "could be — and so how much oversight it needs.",
            f"<b>Oversight.</b> {n_of(with_gaps, 'use')} "
            f"{'falls' if with_gaps == 1 else 'fall'} short of the oversight "
            f"{'its' if with_gaps == 1 else 'their'} tier requires, with "
            f"{n_of(gap_total, 'gap')} between them; {n_of(overdue, 'review')} "
            f"{'is' if overdue == 1 else 'are'} overdue and {n_of(c.open_challenges, 'challenge')} "
            f"from the 2nd line {'is' if c.open_challenges == 1 else 'are'} still open.",
            f"<b>Risks.</b> Of {n_of(open_risks, 'open risk')}, {crit_res:,} "
            f"{'remains' if crit_res == 1 else 'remain'} Critical and {high_res:,} High after "
            "the controls in place.",
            f"<b>Incidents.</b> {n_of(sum(kinds.values()), 'event')} {since}: "
            + kinds_text(kinds)
            + (
                ". Many near misses for each incident is healthy: it shows people report "
                "what almost went wrong."
                if sum(kinds.values())
                else "."
            ),
        ]
        story: list[Flowable] = [
            self.h1("Executive summary"),
            tile_table,
            Spacer(1, 6 * mm),
            *[self.p(t, "lead") for t in paragraphs],
        ]
        points = self.attention_points()
        story.append(self.h2("For the board's attention"))
        if points:
            story += [Paragraph(t, self.s["bullet"], bulletText="•") for t in points]
        else:
            story.append(self.p("Nothing needs the board's particular attention this time."))
        story.append(Spacer(1, 4 * mm))
        story.append(
            self.p(
                "Tiers: Low, Moderate, High, Critical — reviewed every 12, 6, 3 and 1 months. "
                "Risks are rated 1–5 for likelihood and impact; their product falls in a band "
                "(Low 1–4, Medium 5–9, High 10–16, Critical 20–25).",
                "small",
            )
        )
        return story

    # --- what changed: oversight -----------------------------------------------------------------
    def oversight_changes(self, ch: Changes) -> list[Flowable]:
        """Gaps, leavers, overdue reviews, challenges and incidents since the last pack."""
        c = self.c
        lines: list[str] = []
        if ch.gaps_before is not None and ch.gaps_after is not None:
            lines.append(
                f"<b>Oversight gaps: {ch.gaps_before:,} → {ch.gaps_after:,}</b> "
                f"({n_of(len(ch.gaps_opened), 'gap')} opened, {len(ch.gaps_closed):,} closed)."
            )
        if ch.people_left:
            names = ", ".join(esc(c.person_name(pid)) for pid in ch.people_left[:LIST_LIMIT])
            lines.append(f"<b>{n_of(len(ch.people_left), 'person')} left</b>: {names}.")
        if ch.newly_overdue:
            names = ", ".join(esc(u.name) for u in ch.newly_overdue[:LIST_LIMIT])
            lines.append(f"<b>{n_of(len(ch.newly_overdue), 'review')} newly overdue</b>: {names}.")
        escalated = len(ch.challenges_escalated or [])
        lines.append(
            f"Challenges from the 2nd line: {len(ch.challenges_opened):,} raised, "
            f"{escalated:,} escalated and {len(ch.challenges_resolved or []):,} resolved."
        )
        kinds = c.incident_counts(ch.incidents_logged)
        lines.append(
            f"Incidents logged since (by the day they were logged): {kinds_text(kinds)}."
            if ch.incidents_logged
            else "No incident or near miss was logged since."
        )
        story: list[Flowable] = [self.h2("Oversight since the previous pack")]
        story += [Paragraph(t, self.s["bullet"], bulletText="•") for t in lines]
        if ch.gaps_opened:
            rows = [
                [self.cell(g.name), self.cell(_gap_words(g.gap))]
                for g in ch.gaps_opened[:LIST_LIMIT]
            ]
            story.append(
                KeepTogether(
                    [
                        self.h2(f"Gaps opened ({len(ch.gaps_opened):,})"),
                        self.table(["Use", "Gap"], rows, [50, 50]),
                    ]
                )
            )
            story += self.more(len(ch.gaps_opened) - LIST_LIMIT, "gap")
        return story

    def direction(self) -> list[Flowable]:
        """The register's direction since the last four issued packs, and now."""
        points = self.c.trend
        if len(points) < 2:
            return []

        def num(value: int | None) -> str:
            return "—" if value is None else f"{value:,}"

        rows = [
            [
                self.cell("now" if i == len(points) - 1 else day_str(p.on)),
                num(p.high_critical),
                num(p.gaps),
                num(p.overdue),
                num(p.incidents),
                num(p.near_misses),
            ]
            for i, p in enumerate(points)
        ]
        return [
            KeepTogether(
                [
                    self.h2(f"Direction since the last {n_of(len(points) - 1, 'pack')}"),
                    self.table(
                        [
                            "Pack",
                            "High · Critical uses",
                            "Open gaps",
                            "Reviews overdue",
                            "Incidents (all time)",
                            "Near misses (all time)",
                        ],
                        rows,
                        [22, 16, 14, 16, 16, 16],
                    ),
                    self.p("— : that pack did not record the figure.", "small"),
                ]
            )
        ]

    # --- what changed ----------------------------------------------------------------------------
    def changes(self) -> list[Flowable]:
        c = self.c
        story: list[Flowable] = [self.h1("What changed since the previous pack")]
        if c.previous is None:
            story.append(
                self.p(
                    "No board pack has been issued from this register yet. The pack after the "
                    "first issued one will show what changed since it: new and retired uses, "
                    "tier moves, risk scores, gaps opened and closed, people who left, "
                    "reviews newly overdue, challenges and incidents."
                )
            )
            return story
        if c.changes is None:
            story.append(
                self.p(
                    f"The previous pack ({day_str(c.previous.exported_at.date())}) was recorded "
                    "without a comparable snapshot, so changes cannot be listed this time."
                )
            )
            return story
        ch = c.changes
        story.append(
            self.p(
                f"Compared with the pack of <b>{day_str(c.previous.exported_at.date())}</b> "
                f"(issued by {esc(c.previous.exported_by)}): "
                f"{n_of(len(ch.new_uses), 'new use')}, {n_of(len(ch.retired_uses), 'use')} retired "
                f"or removed, {n_of(len(ch.tier_up), 'use')} moved up a tier and "
                f"{len(ch.tier_down):,} down; {n_of(len(ch.risks_up), 'risk')} rose and "
                f"{len(ch.risks_down):,} fell in residual score; {n_of(ch.new_risks, 'new risk')}, "
                f"{ch.closed_risks:,} closed and {ch.removed_risks:,} removed."
            )
        )
        story += self.oversight_changes(ch)
        story += self.direction()
        if ch.nothing:
            story.append(self.p("Nothing in the register has changed since that pack."))
            return story
        tier: Callable[[Any], str] = lambda v: label_of(Tier, v) if v else "—"  # noqa: E731
        groups = [
            ("Uses that moved up a tier", ch.tier_up),
            ("New uses", ch.new_uses),
            ("Uses that moved down a tier", ch.tier_down),
            ("Uses retired or removed", ch.retired_uses),
        ]
        for title, items in groups:
            if not items:
                continue
            rows = [
                [
                    self.cell(u.name),
                    self.cell(tier(u.before)),
                    self.cell(tier(u.after)),
                    self.cell(
                        f"{exposure_of(u.exposure_before)} → {exposure_of(u.exposure_after)}"
                        if u.before and u.after
                        else exposure_of(u.exposure_after if u.after else u.exposure_before)
                    ),
                ]
                for u in items[:LIST_LIMIT]
            ]
            story.append(
                KeepTogether(
                    [
                        self.h2(f"{title} ({len(items):,})"),
                        self.table(
                            ["Use", "Tier before", "Tier now", "Exposure"], rows, [60, 14, 14, 14]
                        ),
                    ]
                )
            )
            story += self.more(len(items) - LIST_LIMIT, "use")
        titles = c.risk_titles
        for title, risk_items in (
            ("Risks whose residual score rose", ch.risks_up),
            ("Risks whose residual score fell", ch.risks_down),
        ):
            if not risk_items:
                continue
            rows = [
                [
                    self.cell(titles.get(r.risk_id, f"Risk {r.risk_id}")),
                    self.cell(c.use_names.get(r.use_id, f"Use {r.use_id}")),
                    self.cell(f"{r.before} → {r.after}"),
                ]
                for r in risk_items[:LIST_LIMIT]
            ]
            story.append(
                KeepTogether(
                    [
                        self.h2(f"{title} ({len(risk_items):,})"),
                        self.table(["Risk", "Use", "Residual"], rows, [50, 36, 14]),
                    ]
                )
            )
            story += self.more(len(risk_items) - LIST_LIMIT, "risk")
        return story
