"""The back of the pack: the whole-register appendix and the audit-chain verification page."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import Any

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, NextPageTemplate, PageBreak, Paragraph, Spacer, Table

from riskdesk.enums import RiskStatus, Stage, Tier
from riskdesk.reports.boardpack import Row
from riskdesk.reports.heatmap import BAND_FILL, BAND_TEXT
from riskdesk.reports.pdf.builder import Builder
from riskdesk.reports.pdf.line_table import LineLayout, LinePage
from riskdesk.reports.pdf.style import (
    NAVY,
    TIER_FILL,
    TIER_TEXT,
    USE_HEADER,
    ZEBRA,
    esc,
    label_of,
    n_of,
    plain_style,
)
from riskdesk.scoring.bands import band
from riskdesk.scoring.exposure import exposure_text


class BackSections(Builder):
    """Appendix and verification page; mixed into the pack's builder."""

    # --- appendix ---------------------------------------------------------------------------------
    def appendix(self) -> list[Flowable]:
        c = self.c
        story: list[Flowable] = [
            NextPageTemplate("body"),
            PageBreak(),
            self.h1("Appendix: the full register"),
            self.p(
                f"Every AI use ({c.use_count:,}) and every risk ({c.risk_count:,}), one line "
                "each; long names are shortened (the Excel register has them in full).",
                "small",
            ),
        ]
        people = c.people
        name: Callable[[object], str] = lambda pid: people[pid]["name"] if pid in people else ""  # noqa: E731

        def use_row(u: Row) -> tuple[Any, ...]:
            return (
                str(u["id"]),
                u["name"],
                u["department"],
                label_of(Stage, u["stage"]),
                (label_of(Tier, u["tier"]), TIER_FILL.get(u["tier"]), TIER_TEXT.get(u["tier"])),
                exposure_text(u),
                name(u["owner_first_id"]),
                u["next_review"].isoformat() if u["next_review"] else "",
                str(c.gaps_of(u["id"])),
            )

        def risk_row(r: Row) -> tuple[Any, ...]:
            res = r["residual_likelihood"] * r["residual_impact"]
            b = band(res)
            return (
                str(r["id"]),
                r["title"],
                r["use_name"] or "",
                name(r["owner_id"]),
                str(r["inherent_likelihood"] * r["inherent_impact"]),
                (f"{res} {b.label}", BAND_FILL[b], BAND_TEXT[b]),
                label_of(RiskStatus, r["status"]),
                r["due_date"].isoformat() if r["due_date"] else "",
            )

        story += self._line_tables(
            "A. AI uses",
            USE_HEADER,
            # Tier and exposure wide enough for "Not assessed" and its range ("26–100")
            [7, 33, 20, 14, 18, 10, 22, 16, 8],
            c.use_count,
            c.iter_uses(),
            use_row,
            first_offset=30 * mm,
        )
        story.append(PageBreak())
        story += self._line_tables(
            "B. Risks",
            ["ID", "Risk", "AI use", "Owner", "Inh.", "Residual", "Status", "Due"],
            [8, 45, 34, 22, 7, 15, 15, 15],
            c.risk_count,
            c.iter_risks(),
            risk_row,
            first_offset=12 * mm,
        )
        return story

    def _line_tables(
        self,
        title: str,
        header: list[str],
        widths: list[float],
        total: int,
        records: Iterator[Mapping[str, Any]],
        to_cells: Callable[[Any], tuple[Any, ...]],
        first_offset: float,
    ) -> list[Flowable]:
        """Page-sized tables of one-line rows: fast for 50,000 rows, headers on every page.

        Each page is a ``LinePage`` that takes its rows from ``records`` (a streamed
        query, ``total`` rows long when counted) and builds its table only when drawn, so
        memory holds one page's rows and table at a time, not the register.
        """
        scale = self.width / sum(widths)
        layout = LineLayout(header, [w * scale for w in widths])
        per_page = int((self.height - layout.head_h - 4) // layout.row_h)
        story: list[Flowable] = [self.h2(title)]
        if not total:
            story.append(self.p("None recorded."))
            return story
        start = 0
        room = per_page - int(first_offset // layout.row_h) - 1
        while start < total:
            count = min(room, total - start)
            start += count
            story.append(LinePage(layout, records, count, to_cells, last=start >= total))
            room = per_page
            if start < total:
                story.append(PageBreak())
        return story

    # --- verification -----------------------------------------------------------------------------
    def verification(self) -> list[Flowable]:
        c = self.c
        head = c.chain_head
        words = [head[i : i + 8] for i in range(0, len(head), 8)]
        groups = " ".join(words[:4]) + "<br/>" + " ".join(words[4:])
        box = Table([[self.p(groups, "hash")]], colWidths=[self.width])
        box.setStyle(
            plain_style(
                [
                    ("BOX", (0, 0), (-1, -1), 1, NAVY),
                    ("BACKGROUND", (0, 0), (-1, -1), ZEBRA),
                    ("TOPPADDING", (0, 0), (-1, -1), 10),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 10),
                    ("LEFTPADDING", (0, 0), (-1, -1), 10),
                ]
            )
        )
        champion = esc(c.profile.get("champion_name") or "the AI champion")
        return [
            NextPageTemplate("body"),
            PageBreak(),
            self.h1("Verifying this pack"),
            self.p(
                "Every change to this register — by the application, an import or an undo — is "
                "written to an append-only audit trail. Each entry carries a SHA-256 hash of its "
                "own content and of the entry before it, so the hash of the last entry, the "
                "<b>chain head</b>, stands for the whole history up to that moment.",
                "lead",
            ),
            self.p(
                f"When this pack was produced ({c.generated_at:%Y-%m-%d %H:%M}) the chain head was:"
            ),
            box,
            Spacer(1, 3 * mm),
            self.p(f"As one string, to copy: {head}", "small"),
            Spacer(1, 2 * mm),
            self.p(
                (
                    f"That is the hash of audit event <b>{c.last_event_id:,}</b>, the last of "
                    f"{n_of(c.event_count, 'event')} in the register."
                    if c.event_count
                    else "The register's audit trail was still empty: this is the value the "
                    "chain starts from."
                )
                + (
                    " riskdesk then recorded this pack in the register, which added event "
                    f"{c.last_event_id + 1:,}."
                    if c.will_record
                    else " This copy was not recorded in the register (a draft)."
                ),
            ),
            self.h2("How to check it later"),
            Paragraph(
                f"Ask {champion} to confirm this chain head on the register file, with "
                f"<b>riskdesk check --db FILE --head {head}</b> (FILE is the register). It "
                "runs the database's integrity check, recomputes every link of the audit "
                "chain and confirms that the head printed above is in the chain and that "
                "nothing before it has changed; it ends with an error otherwise.",
                self.s["bullet"],
                bulletText="1.",
            ),
            Paragraph(
                "Because each hash covers everything before it, nobody can change, insert or "
                "remove an earlier entry without the check failing for this value.",
                self.s["bullet"],
                bulletText="2.",
            ),
            Paragraph(
                "Later changes simply continue the chain: a register that has been used since "
                "has a newer chain head and more events, while the event above keeps its hash.",
                self.s["bullet"],
                bulletText="3.",
            ),
        ]
