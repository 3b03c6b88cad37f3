"""The board pack: a PDF a governing board can read in ten minutes and trust.

Built with reportlab's platypus. Content comes from ``boardpack.gather``; this module
lays it out: a cover, a one-page executive summary in plain words, what changed since
the previous pack, vector heatmaps, the top risks, accountability, gaps by owner,
incidents, framework coverage, an optional appendix with the whole register, and a
last page with the audit chain head and how to check it.

Big registers: the appendix is cut into page-sized tables of single-line rows with
fixed heights, so reportlab never measures or splits a 50,000-row table; "Page X of Y"
draws Y from a PDF form filled in when the document is saved, so there is one pass.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import A4, LETTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    Frame,
    KeepTogether,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from riskdesk import __version__
from riskdesk.enums import (
    Band,
    IncidentKind,
    PaperSize,
    RiskStatus,
    Severity,
    Stage,
    Tier,
    Treatment,
)
from riskdesk.reports.boardpack import BoardPackContent, Row, gather
from riskdesk.reports.fonts import BOLD, REGULAR, register_fonts
from riskdesk.reports.heatmap import BAND_FILL, BAND_TEXT, heatmap, legend
from riskdesk.reports.progress import (
    CancelFn,
    Progress,
    ProgressFn,
    atomic_file,
    export_progress,
    paused_gc,
)
from riskdesk.reports.snapshot import record_pack
from riskdesk.scoring.bands import band
from riskdesk.scoring.exposure import exposure_text
from riskdesk.service.register import RegisterService
from riskdesk.service.summary import unassessed_sentence

__all__ = ["export_pdf", "write_pack"]

NAVY = colors.HexColor("#1F3864")
GREY = colors.HexColor("#595959")
RULE = colors.HexColor("#BFBFBF")
ZEBRA = colors.HexColor("#F2F5FA")
WARN = colors.HexColor("#C00000")
TIER_FILL = {
    Tier.LOW.value: BAND_FILL[Band.LOW],
    Tier.MODERATE.value: BAND_FILL[Band.MEDIUM],
    Tier.HIGH.value: BAND_FILL[Band.HIGH],
    Tier.CRITICAL.value: BAND_FILL[Band.CRITICAL],
    Tier.NOT_ASSESSED.value: colors.HexColor("#E4D7F5"),  # its own colour, never Low's
}
TIER_TEXT = {
    Tier.LOW.value: colors.black,
    Tier.MODERATE.value: colors.black,
    Tier.HIGH.value: colors.black,
    Tier.CRITICAL.value: colors.white,
    Tier.NOT_ASSESSED.value: colors.black,
}
LIST_LIMIT = 15  # rows per "what changed" list before "and N more"
MARGIN = 18 * mm
HEADER_SPACE = 14 * mm
FOOTER_SPACE = 12 * mm
PAGE_TOTAL_FORM = "riskdeskPageTotal"


USE_HEADER = [
    "ID",
    "AI use",
    "Department",
    "Stage",
    "Tier",
    "Exp.",
    "1st-line owner",
    "Next review",
    "Gaps",
]


# --- text helpers -----------------------------------------------------------------------
def _e(text: object) -> str:
    """Escape for Paragraph markup (names like "Smith & Partners" are common)."""
    return escape(str(text)) if text is not None else ""


def _n(count: int, one: str, many: str | None = None) -> str:
    return f"{count:,} {one if count == 1 else (many or one + 's')}"


def _day(d: dt.date | None) -> str:
    return f"{d.day} {d:%B %Y}" if d else "—"


KIND_PLURAL = {
    IncidentKind.NEAR_MISS.value: "near misses",
    IncidentKind.INCIDENT.value: "incidents",
    IncidentKind.ROLLBACK.value: "rollbacks",
    IncidentKind.SHUTDOWN.value: "shutdowns",
}


def _kinds(counts: dict[str, int]) -> str:
    """ "6 near misses, 3 incidents, 1 rollback, 0 shutdowns"."""
    parts = []
    for kind in IncidentKind:
        n = counts.get(kind.value, 0)
        parts.append(f"{n:,} {kind.label.lower() if n == 1 else KIND_PLURAL[kind.value]}")
    return ", ".join(parts)


def _exposure(value: int | None) -> str:
    """A snapshot's exposure: None was a use not yet assessed, never 0."""
    return "not assessed" if value is None else str(value)


def _label(enum: Any, value: str) -> str:
    try:
        return str(enum(value).label)
    except ValueError:
        return value


def _fit(text: str, width: float, font: str, size: float) -> str:
    """Cut ``text`` to one line of ``width`` points, with an ellipsis if it was cut."""
    text = " ".join(text.split())
    # No DejaVu Sans glyph is wider than 1 em: short text needs no measuring.
    if len(text) * size <= width or stringWidth(text, font, size) <= width:
        return text
    lo, hi = 0, len(text)
    while lo < hi:  # longest prefix that fits with the ellipsis
        mid = (lo + hi + 1) // 2
        if stringWidth(text[:mid] + "…", font, size) <= width:
            lo = mid
        else:
            hi = mid - 1
    return text[:lo].rstrip() + "…"


# --- styles ------------------------------------------------------------------------------
def _styles() -> dict[str, ParagraphStyle]:
    base = ParagraphStyle(
        "body", fontName=REGULAR, bulletFontName=REGULAR, fontSize=9.5, leading=13.5, spaceAfter=5
    )
    return {
        "body": base,
        "lead": ParagraphStyle("lead", parent=base, fontSize=10.5, leading=15, spaceAfter=8),
        "small": ParagraphStyle("small", parent=base, fontSize=8, leading=10.5, textColor=GREY),
        "h1": ParagraphStyle(
            "h1",
            parent=base,
            fontName=BOLD,
            fontSize=16,
            leading=20,
            textColor=NAVY,
            spaceBefore=12,
            spaceAfter=8,
        ),
        "h2": ParagraphStyle(
            "h2",
            parent=base,
            fontName=BOLD,
            fontSize=11.5,
            leading=15,
            textColor=NAVY,
            spaceBefore=8,
            spaceAfter=4,
        ),
        "bullet": ParagraphStyle(
            "bullet", parent=base, leftIndent=12, bulletIndent=2, spaceAfter=3
        ),
        "cell": ParagraphStyle("cell", parent=base, fontSize=8, leading=10, spaceAfter=0),
        "cellb": ParagraphStyle(
            "cellb", parent=base, fontName=BOLD, fontSize=8, leading=10, spaceAfter=0
        ),
        "cellsmall": ParagraphStyle(
            "cellsmall", parent=base, fontSize=7, leading=8.5, spaceAfter=0, textColor=GREY
        ),
        "head": ParagraphStyle(
            "head",
            parent=base,
            fontName=BOLD,
            fontSize=8,
            leading=10,
            spaceAfter=0,
            textColor=colors.white,
        ),
        "title": ParagraphStyle(
            "title", parent=base, fontName=BOLD, fontSize=28, leading=34, textColor=NAVY
        ),
        "subtitle": ParagraphStyle(
            "subtitle", parent=base, fontSize=15, leading=20, textColor=NAVY, spaceAfter=4
        ),
        "tile_n": ParagraphStyle(
            "tile_n", parent=base, fontName=BOLD, fontSize=18, leading=22, textColor=NAVY
        ),
        "tile_t": ParagraphStyle("tile_t", parent=base, fontSize=8, leading=10, spaceAfter=0),
        "hash": ParagraphStyle(
            "hash", parent=base, fontName=BOLD, fontSize=12, leading=17, alignment=TA_LEFT
        ),
    }


class Heading(Paragraph):
    """A heading that also becomes a PDF bookmark (outline entry) at ``level``."""

    def __init__(self, text: str, style: ParagraphStyle, level: int) -> None:
        super().__init__(_e(text), style)
        self.outline_text = text
        self.outline_level = level


def _table_style(extra: Iterable[tuple[Any, ...]] = (), header: bool = True) -> TableStyle:
    commands: list[tuple[Any, ...]] = [
        ("FONT", (0, 0), (-1, -1), REGULAR, 8),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBELOW", (0, 0), (-1, -1), 0.25, RULE),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ("LEFTPADDING", (0, 0), (-1, -1), 4),
        ("RIGHTPADDING", (0, 0), (-1, -1), 4),
    ]
    if header:
        commands += [
            ("BACKGROUND", (0, 0), (-1, 0), NAVY),
            ("TEXTCOLOR", (0, 0), (-1, 0), colors.white),
            ("FONT", (0, 0), (-1, 0), BOLD, 8),
            ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, ZEBRA]),
        ]
    commands.extend(extra)
    return TableStyle(commands)


def _plain_style(commands: list[tuple[Any, ...]]) -> TableStyle:
    """A table style that names our font (the table default would pull in Helvetica)."""
    return TableStyle([("FONT", (0, 0), (-1, -1), REGULAR, 8), *commands])


# --- the document --------------------------------------------------------------------------
class _PackCanvas(Canvas):
    """A canvas that writes the page total into a form once the total is known."""

    def save(self) -> None:
        total = self.getPageNumber() - (0 if self._code else 1)
        if self._code:
            self.showPage()
        self.beginForm(PAGE_TOTAL_FORM)
        self.setFont(REGULAR, 7.5)
        self.setFillColor(GREY)
        self.drawString(0, 0, f"{total:,}")
        self.endForm()
        super().save()


class _PackDoc(BaseDocTemplate):
    def __init__(self, filename: str, content: BoardPackContent, **kw: Any) -> None:
        super().__init__(filename, **kw)
        self.content = content
        self._outline_keys = 0
        width, height = self.pagesize
        body = Frame(
            MARGIN,
            MARGIN + FOOTER_SPACE - 6 * mm,
            width - 2 * MARGIN,
            height - 2 * MARGIN - HEADER_SPACE - FOOTER_SPACE + 6 * mm,
            id="body",
            leftPadding=0,
            rightPadding=0,
            topPadding=0,
            bottomPadding=0,
        )
        cover = Frame(MARGIN, MARGIN, width - 2 * MARGIN, height - 2 * MARGIN, id="cover")
        self.addPageTemplates(
            [
                PageTemplate("cover", [cover], onPage=self._cover_page),
                PageTemplate("body", [body], onPage=self._body_page),
            ]
        )
        self.body_frame = body

    def afterFlowable(self, flowable: Flowable) -> None:
        if isinstance(flowable, Heading):
            self._outline_keys += 1
            key = f"s{self._outline_keys}"
            self.canv.bookmarkPage(key)
            self.canv.addOutlineEntry(
                flowable.outline_text, key, flowable.outline_level, closed=True
            )
        progress = getattr(self, "progress", None)
        if progress is not None:
            progress.add()

    def _cover_page(self, canv: Canvas, doc: Any) -> None:
        width, height = self.pagesize
        canv.saveState()
        canv.setFillColor(NAVY)
        canv.rect(0, height - 28 * mm, width, 28 * mm, stroke=0, fill=1)
        canv.setFillColor(colors.white)
        canv.setFont(BOLD, 11)
        canv.drawString(MARGIN, height - 17 * mm, "AI RISK BOARD PACK")
        self._footer(canv)
        canv.restoreState()

    def _body_page(self, canv: Canvas, doc: Any) -> None:
        width, height = self.pagesize
        c = self.content
        canv.saveState()
        top = height - MARGIN
        canv.setFont(BOLD, 8)
        canv.setFillColor(NAVY)
        org = c.profile.get("name") or "AI risk register"
        canv.drawString(MARGIN, top, _fit(org, width / 2, BOLD, 8))
        canv.setFont(REGULAR, 8)
        canv.setFillColor(GREY)
        canv.drawRightString(
            width - MARGIN, top, f"AI risk board pack · {_day(c.generated_at.date())}"
        )
        canv.setStrokeColor(RULE)
        canv.setLineWidth(0.5)
        canv.line(MARGIN, top - 3 * mm, width - MARGIN, top - 3 * mm)
        self._footer(canv)
        canv.restoreState()

    def _footer(self, canv: Canvas) -> None:
        width, _ = self.pagesize
        y = MARGIN - 4 * mm
        canv.setStrokeColor(RULE)
        canv.setLineWidth(0.5)
        canv.line(MARGIN, y + 4 * mm, width - MARGIN, y + 4 * mm)
        canv.setFont(REGULAR, 7.5)
        canv.setFillColor(GREY)
        text = f"Page {canv.getPageNumber():,} of "
        canv.drawString(MARGIN, y, text)
        canv.saveState()
        canv.translate(MARGIN + stringWidth(text, REGULAR, 7.5), y)
        canv.doForm(PAGE_TOTAL_FORM)
        canv.restoreState()
        marking = self.content.profile.get("confidentiality") or ""
        if marking:
            canv.setFont(BOLD, 7.5)
            canv.setFillColor(WARN)
            canv.drawRightString(width - MARGIN, y, _fit(marking, width / 2, BOLD, 7.5))


class _LineLayout:
    """Column widths and styling shared by every page of an appendix table."""

    size, row_h, head_h = 7.0, 10.0, 13.0

    def __init__(self, header: list[str], col_widths: list[float]) -> None:
        self.col_widths = col_widths
        self.fit_widths = [w - 5 for w in col_widths]
        self.header = [_fit(h, self.fit_widths[j], BOLD, self.size) for j, h in enumerate(header)]
        self.base: list[tuple[Any, ...]] = [
            ("FONT", (0, 0), (-1, -1), REGULAR, self.size),
            ("FONT", (0, 0), (-1, 0), BOLD, self.size),
            ("BACKGROUND", (0, 0), (-1, 0), NAVY),
            ("TEXTCOLOR", (0, 0), (-1, 0), colors.white),
            ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, ZEBRA]),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("TOPPADDING", (0, 0), (-1, -1), 0),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
            ("LEFTPADDING", (0, 0), (-1, -1), 2.5),
            ("RIGHTPADDING", (0, 0), (-1, -1), 2.5),
        ]


class _LinePage(Flowable):
    """One page of one-line rows; the reportlab Table is built only to draw it."""

    def __init__(
        self, layout: _LineLayout, records: list[Row], to_cells: Callable[[Row], tuple[Any, ...]]
    ) -> None:
        super().__init__()
        self.layout = layout
        self.records = records
        self.to_cells = to_cells
        self.width = sum(layout.col_widths)
        self.height = layout.head_h + layout.row_h * len(records)

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        lay = self.layout
        data: list[list[str]] = [lay.header]
        extra: list[tuple[Any, ...]] = []
        for i, record in enumerate(self.records, 1):
            line: list[str] = []
            for j, value in enumerate(self.to_cells(record)):
                if isinstance(value, tuple):  # (text, background, text colour)
                    value, fill, ink = value
                    extra.append(("BACKGROUND", (j, i), (j, i), fill))
                    extra.append(("TEXTCOLOR", (j, i), (j, i), ink))
                line.append(_fit(value, lay.fit_widths[j], REGULAR, lay.size) if value else "")
            data.append(line)
        table = Table(
            data,
            colWidths=lay.col_widths,
            rowHeights=[lay.head_h] + [lay.row_h] * len(self.records),
        )
        table.setStyle(TableStyle(lay.base + extra))
        table.wrapOn(self.canv, self.width, self.height)
        table.drawOn(self.canv, 0, 0)


# --- sections ----------------------------------------------------------------------------------
class _Builder:
    def __init__(self, content: BoardPackContent, frame_width: float, frame_height: float) -> None:
        self.c = content
        self.s = _styles()
        self.width = frame_width
        self.height = frame_height

    def p(self, text: str, style: str = "body") -> Paragraph:
        return Paragraph(text, self.s[style])

    def cell(self, text: object, style: str = "cell") -> Paragraph:
        return Paragraph(_e(text), self.s[style])

    def h1(self, text: str) -> Heading:
        return Heading(text, self.s["h1"], 0)

    def h2(self, text: str, level: int = 1) -> Heading:
        return Heading(text, self.s["h2"], level)

    def table(
        self,
        header: Sequence[str],
        rows: list[list[Any]],
        widths: Sequence[float],
        extra: Iterable[tuple[Any, ...]] = (),
    ) -> Table:
        scale = self.width / sum(widths)
        head = [Paragraph(_e(h), self.s["head"]) for h in header]
        t = Table([head, *rows], colWidths=[w * scale for w in widths], repeatRows=1)
        t.setStyle(_table_style(extra))
        return t

    def tier_cell(self, tier: str, row: int, col: int, extra: list[tuple[Any, ...]]) -> str:
        extra.append(("BACKGROUND", (col, row), (col, row), TIER_FILL.get(tier, colors.white)))
        extra.append(("TEXTCOLOR", (col, row), (col, row), TIER_TEXT.get(tier, colors.black)))
        extra.append(("FONT", (col, row), (col, row), BOLD, 8))
        return _label(Tier, tier)

    def band_cell(self, score: int, row: int, col: int, extra: list[tuple[Any, ...]]) -> str:
        b = band(score)
        extra.append(("BACKGROUND", (col, row), (col, row), BAND_FILL[b]))
        extra.append(("TEXTCOLOR", (col, row), (col, row), BAND_TEXT[b]))
        return f"{score} {b.label}"

    def person(self, person_id: int | None, missing: str = "none named") -> Paragraph:
        if person_id is None:
            return Paragraph(f'<font color="#C00000">{_e(missing)}</font>', self.s["cell"])
        person = self.c.people.get(person_id)
        if person is None:
            return self.cell(f"#{person_id}")
        text = _e(person["name"])
        if person["has_left"]:
            text += ' <font color="#C00000">(has left)</font>'
        return Paragraph(text, self.s["cell"])

    def more(self, count: int, what: str) -> list[Flowable]:
        if count <= 0:
            return []
        plural = what if count == 1 else what + "s"
        return [Spacer(1, 3), self.p(f"… and {count:,} more {plural}.", "small")]

    def _tile_number(self, text: str, width: float) -> Paragraph:
        """A key figure, shrunk to stay on one line (big registers have long numbers)."""
        style = self.s["tile_n"]
        size = min(style.fontSize, width / max(stringWidth(text, BOLD, 1), 1))
        if size < style.fontSize:
            style = ParagraphStyle("tile_fit", parent=style, fontSize=size)
        return Paragraph(_e(text), style)

    # --- cover ---------------------------------------------------------------------------------
    def cover(self) -> list[Flowable]:
        c = self.c
        profile = c.profile
        org = profile.get("name") or "Our organisation"
        prepared = profile.get("champion_name") or c.actor
        rows = [
            ["Organisation", org],
            ["Date", _day(c.generated_at.date())],
            [
                "Prepared by",
                f"{prepared} (AI champion)" if profile.get("champion_name") else c.actor,
            ],
            ["Register", c.register_name],
            [
                "Previous pack",
                _day(c.previous.exported_at.date()) if c.previous else "none — this is the first",
            ],
        ]
        info = Table(
            [[self.cell(k, "cellb"), self.cell(v)] for k, v in rows],
            colWidths=[35 * mm, self.width - 35 * mm],
        )
        info.setStyle(_table_style(header=False))
        story: list[Flowable] = [
            Spacer(1, 45 * mm),
            self.p("AI risk board pack", "title"),
            Spacer(1, 4 * mm),
            self.p(_e(org), "subtitle"),
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
                [[self.p(f'<font color="#C00000"><b>{_e(marking)}</b></font>', "body")]],
                colWidths=[self.width],
            )
            box.setStyle(
                _plain_style(
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
                f"Produced by riskdesk {_e(__version__)} on "
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
            points.append(f"<b>{_e(unassessed)}</b>")
        prohibited = c.prohibited_in_use()
        if prohibited:
            names = ", ".join(_e(u["name"]) for u in prohibited[:3])
            points.append(
                f"<b>{_n(len(prohibited), 'use')} may be a practice the EU AI Act prohibits</b> "
                f"({names}). Such a use must not be deployed; it should be stopped or "
                "re-assessed now."
            )
        critical_gaps = [
            u for u in c.live_uses if u["tier"] == Tier.CRITICAL.value and c.gaps.get(u["id"])
        ]
        if critical_gaps:
            names = ", ".join(_e(u["name"]) for u in critical_gaps[:3])
            more = f" and {len(critical_gaps) - 3:,} more" if len(critical_gaps) > 3 else ""
            points.append(
                f"<b>{_n(len(critical_gaps), 'Critical use')} "
                f"{'lacks' if len(critical_gaps) == 1 else 'lack'} oversight the tier "
                f"requires</b>: {names}{more}."
            )
        unaccepted = c.gap_count("acceptance_missing")
        if unaccepted:
            appetite = _label(Band, c.profile.get("risk_appetite") or "medium")
            points.append(
                f"<b>{_n(unaccepted, 'risk')} above the board's appetite ({appetite})</b> "
                "have no named acceptance from the 2nd line."
            )
        expired = c.gap_count("acceptance_expired")
        if expired:
            points.append(
                f"{_n(expired, 'risk acceptance')} {'has' if expired == 1 else 'have'} "
                "expired and must be renewed or the risk treated."
            )
        left = len(c.uses_with("owner_left"))
        if left:
            points.append(
                f"{_n(left, 'use')} {'is' if left == 1 else 'are'} still assigned to someone "
                "who has left the organisation."
            )
        reportable = [i for i in c.incidents_all if i["reportable"] and i["reported_on"] is None]
        if reportable:
            points.append(
                f"<b>{_n(len(reportable), 'incident')} may be reportable</b> as a serious "
                "incident under the EU AI Act and {} not yet been reported.".format(
                    "has" if len(reportable) == 1 else "have"
                )
            )
        overdue = len(c.uses_with("review_overdue"))
        if overdue:
            points.append(
                f"{_n(overdue, 'review')} of AI uses {'is' if overdue == 1 else 'are'} overdue."
            )
        return points[:7]

    def summary(self) -> list[Flowable]:
        c = self.c
        tiers = c.tier_counts()
        live = c.live_uses
        retired = len(c.uses) - len(live)
        gap_total = c.gap_count()
        with_gaps = sum(1 for u in live if c.gaps.get(u["id"]))
        overdue = len(c.uses_with("review_overdue"))
        open_risks = c.open_risks
        residual = [band(r["residual_likelihood"] * r["residual_impact"]) for r in open_risks]
        crit_res = sum(1 for b in residual if b is Band.CRITICAL)
        high_res = sum(1 for b in residual if b is Band.HIGH)
        kinds = c.incident_counts(c.incidents)
        since = (
            f"since the last pack ({_day(c.period_start)})"
            if c.previous
            else "in the last twelve months"
        )

        tiles = [
            (f"{len(live):,}", "AI uses in the register (not retired)"),
            (
                f"{tiers['critical']:,} · {tiers['high']:,}",
                "Critical · High tier uses",
            ),
            (f"{gap_total:,}", f"oversight gaps on {_n(with_gaps, 'use')}"),
            (f"{overdue:,}", "reviews overdue"),
            (
                f"{kinds['incident'] + kinds['rollback'] + kinds['shutdown']:,} · "
                f"{kinds['near_miss']:,}",
                f"incidents · near misses {since}",
            ),
        ]
        tile_w = self.width / len(tiles)
        tile_table = Table(
            [
                [self._tile_number(n, tile_w - 14) for n, _ in tiles],
                [self.p(_e(t), "tile_t") for _, t in tiles],
            ],
            colWidths=[tile_w] * len(tiles),
        )
        tile_table.setStyle(
            _plain_style(
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
        org = _e(c.profile.get("name") or "The organisation")
        tier_words = ", ".join(
            f"{tiers[t.value]:,} {t.label}" for t in reversed(Tier) if tiers[t.value]
        )
        paragraphs = [
            f"{org} has <b>{_n(len(live), 'use')} of AI</b> in the register"
            + (f" (and {retired:,} retired)" if retired else "")
            + f": {tier_words or 'none yet'}. The tier says how exposed a use leaves the "
            "organisation — how many people it reaches, how much it decides about them, "
            "how freely it acts, what data it touches and how bad and lasting a mistake "
            "could be — and so how much oversight it needs.",
            f"<b>Oversight.</b> {_n(with_gaps, 'use')} "
            f"{'falls' if with_gaps == 1 else 'fall'} short of the oversight "
            f"{'its' if with_gaps == 1 else 'their'} tier requires, with "
            f"{_n(gap_total, 'gap')} between them; {_n(overdue, 'review')} "
            f"{'is' if overdue == 1 else 'are'} overdue and {_n(c.open_challenges, 'challenge')} "
            f"from the 2nd line {'is' if c.open_challenges == 1 else 'are'} still open.",
            f"<b>Risks.</b> Of {_n(len(open_risks), 'open risk')}, {crit_res:,} "
            f"{'remains' if crit_res == 1 else 'remain'} Critical and {high_res:,} High after "
            "the controls in place.",
            f"<b>Incidents.</b> {_n(sum(kinds.values()), 'event')} {since}: "
            + _kinds(kinds)
            + ". Many near misses for each incident is healthy: it shows people report "
            "what almost went wrong.",
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

    # --- what changed ----------------------------------------------------------------------------
    def changes(self) -> list[Flowable]:
        c = self.c
        story: list[Flowable] = [self.h1("What changed since the previous pack")]
        if c.previous is None:
            story.append(
                self.p(
                    "This is the first board pack produced from this register. The next pack "
                    "will show what changed since this one: new and retired uses, tier moves "
                    "and risks whose scores went up or down."
                )
            )
            return story
        if c.changes is None:
            story.append(
                self.p(
                    f"The previous pack ({_day(c.previous.exported_at.date())}) was recorded "
                    "without a comparable snapshot, so changes cannot be listed this time."
                )
            )
            return story
        ch = c.changes
        story.append(
            self.p(
                f"Compared with the pack of <b>{_day(c.previous.exported_at.date())}</b> "
                f"(produced by {_e(c.previous.exported_by)}): "
                f"{_n(len(ch.new_uses), 'new use')}, {_n(len(ch.retired_uses), 'use')} retired "
                f"or removed, {_n(len(ch.tier_up), 'use')} moved up a tier and "
                f"{len(ch.tier_down):,} down; {_n(len(ch.risks_up), 'risk')} rose and "
                f"{len(ch.risks_down):,} fell in residual score; {_n(ch.new_risks, 'new risk')}, "
                f"{ch.closed_risks:,} closed and {ch.removed_risks:,} removed."
            )
        )
        if ch.nothing:
            story.append(self.p("Nothing in the register's uses or risk scores has changed."))
            return story
        tier = lambda v: _label(Tier, v) if v else "—"  # noqa: E731
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
                        f"{_exposure(u.exposure_before)} → {_exposure(u.exposure_after)}"
                        if u.before and u.after
                        else _exposure(u.exposure_after if u.after else u.exposure_before)
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
        titles = {r["id"]: r["title"] for r in c.risks}
        for title, risk_items in (
            ("Risks whose residual score rose", ch.risks_up),
            ("Risks whose residual score fell", ch.risks_down),
        ):
            if not risk_items:
                continue
            rows = [
                [
                    self.cell(titles.get(r.risk_id, f"Risk {r.risk_id}")),
                    self.cell(c.use_by_id.get(r.use_id, {}).get("name", f"Use {r.use_id}")),
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
        pair.setStyle(_plain_style([("ALIGN", (0, 0), (-1, -1), "CENTER")]))
        return [
            self.h1("Where the risks sit"),
            self.p(
                f"Each square counts the open risks ({len(c.open_risks):,}; closed risks and "
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
            use = c.use_by_id.get(r["use_id"], {})
            rows.append(
                [
                    self.cell(str(i)),
                    [self.cell(r["title"], "cellb"), self.cell(use.get("name", ""), "cellsmall")],
                    self.person(r["owner_id"]),
                    self.band_cell(r["inherent_likelihood"] * r["inherent_impact"], i, 3, extra),
                    self.band_cell(r["residual_likelihood"] * r["residual_impact"], i, 4, extra),
                    self.cell(
                        f"{_label(Treatment, r['treatment'])} · {_label(RiskStatus, r['status'])}"
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
            gaps = len(c.gaps.get(u["id"], []))
            rows.append(
                [
                    [self.cell(u["name"], "cellb"), self.cell(u["department"], "cellsmall")],
                    self.tier_cell(u["tier"], i, 1, extra),
                    exposure_text(u),
                    self.person(u["owner_first_id"]),
                    self.person(u["owner_second_id"]),
                    self.person(u["owner_third_id"]),
                    self.cell(u["next_review"].isoformat() if u["next_review"] else "none set"),
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
                    "Next review",
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
            name = _e(o.name) + (' <font color="#C00000">(has left)</font>' if o.has_left else "")
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
            f"since the previous pack ({_day(c.period_start)})"
            if c.previous
            else f"in the last twelve months (since {_day(c.period_start)})"
        )
        kinds = c.incident_counts(c.incidents)
        all_kinds = c.incident_counts(c.incidents_all)
        story: list[Flowable] = [
            CondPageBreak(70 * mm),
            self.h1("Incidents and near misses"),
            self.p(
                f"Logged {period}: {_kinds(kinds)}. In the register as a whole: "
                f"{_n(len(c.incidents_all), 'event')} ({_kinds(all_kinds)})."
            ),
        ]
        shown = c.incidents[:30]
        if not shown:
            story.append(self.p(f"Nothing was logged {period}."))
            return story
        rows: list[list[Any]] = []
        extra: list[tuple[Any, ...]] = []
        for i, inc in enumerate(shown, 1):
            use = c.use_by_id.get(inc["use_id"], {}) if inc["use_id"] else {}
            flag = ""
            if inc["reportable"]:
                flag = (
                    f"reported {inc['reported_on'].isoformat()}"
                    if inc["reported_on"]
                    else "may be reportable — not yet reported"
                )
                if not inc["reported_on"]:
                    extra.append(("TEXTCOLOR", (5, i), (5, i), WARN))
            rows.append(
                [
                    inc["occurred_on"].isoformat(),
                    self.cell(_label(IncidentKind, inc["kind"])),
                    self.cell(_label(Severity, inc["severity"])),
                    [self.cell(inc["title"], "cellb"), self.cell(use.get("name", ""), "cellsmall")],
                    f"{inc['people_affected']:,}",
                    self.cell(flag) if flag else "—",
                ]
            )
        story.append(
            self.table(
                [
                    "Date",
                    "Kind",
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

    # --- framework coverage (issue 7 fills coverage_rows) ------------------------------------
    def coverage(self) -> list[Flowable]:
        rows = self.c.coverage
        story: list[Flowable] = [CondPageBreak(60 * mm), self.h1("Framework coverage")]
        if not rows:
            story.append(self.p("Framework coverage is not available for this register yet."))
            return story
        story.append(
            self.p(
                "How much of each framework the register's controls address: covered by "
                "implemented or tested controls, or only by planned ones."
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
            ]
            for r in rows
        ]
        table = self.table(
            ["Framework", "Items", "Covered", "Planned only", "Not covered", "Covered"],
            body,
            [56, 10, 11, 13, 13, 11],
        )
        return [KeepTogether([*story, table])]

    # --- appendix ---------------------------------------------------------------------------------
    def appendix(self) -> list[Flowable]:
        c = self.c
        story: list[Flowable] = [
            NextPageTemplate("body"),
            PageBreak(),
            self.h1("Appendix: the full register"),
            self.p(
                f"Every AI use ({len(c.uses):,}) and every risk ({len(c.risks):,}), one line "
                "each; long names are shortened (the Excel register has them in full).",
                "small",
            ),
        ]
        people = c.people
        name = lambda pid: people[pid]["name"] if pid in people else ""  # noqa: E731
        use_name = {u["id"]: u["name"] for u in c.uses}

        def use_row(u: Row) -> tuple[Any, ...]:
            return (
                str(u["id"]),
                u["name"],
                u["department"],
                _label(Stage, u["stage"]),
                (_label(Tier, u["tier"]), TIER_FILL.get(u["tier"]), TIER_TEXT.get(u["tier"])),
                exposure_text(u),
                name(u["owner_first_id"]),
                u["next_review"].isoformat() if u["next_review"] else "",
                str(len(c.gaps.get(u["id"], []))),
            )

        def risk_row(r: Row) -> tuple[Any, ...]:
            res = r["residual_likelihood"] * r["residual_impact"]
            b = band(res)
            return (
                str(r["id"]),
                r["title"],
                use_name.get(r["use_id"], ""),
                name(r["owner_id"]),
                str(r["inherent_likelihood"] * r["inherent_impact"]),
                (f"{res} {b.label}", BAND_FILL[b], BAND_TEXT[b]),
                _label(RiskStatus, r["status"]),
                r["due_date"].isoformat() if r["due_date"] else "",
            )

        story += self._line_tables(
            "A. AI uses",
            USE_HEADER,
            # Tier and exposure wide enough for "Not assessed" and its range ("26–100")
            [7, 33, 20, 14, 18, 10, 22, 16, 8],
            c.uses,
            use_row,
            first_offset=30 * mm,
        )
        story.append(PageBreak())
        story += self._line_tables(
            "B. Risks",
            ["ID", "Risk", "AI use", "Owner", "Inh.", "Residual", "Status", "Due"],
            [8, 45, 34, 22, 7, 15, 15, 15],
            c.risks,
            risk_row,
            first_offset=12 * mm,
        )
        return story

    def _line_tables(
        self,
        title: str,
        header: list[str],
        widths: list[float],
        records: list[Row],
        to_cells: Callable[[Row], tuple[Any, ...]],
        first_offset: float,
    ) -> list[Flowable]:
        """Page-sized tables of one-line rows: fast for 50,000 rows, headers on every page.

        Each page is a ``_LinePage`` that builds its table only when drawn, so memory
        holds one page's table at a time, not a thousand.
        """
        scale = self.width / sum(widths)
        layout = _LineLayout(header, [w * scale for w in widths])
        per_page = int((self.height - layout.head_h - 4) // layout.row_h)
        story: list[Flowable] = [self.h2(title)]
        if not records:
            story.append(self.p("None recorded."))
            return story
        start = 0
        room = per_page - int(first_offset // layout.row_h) - 1
        while start < len(records):
            chunk = records[start : start + room]
            story.append(_LinePage(layout, chunk, to_cells))
            start += len(chunk)
            room = per_page
            if start < len(records):
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
            _plain_style(
                [
                    ("BOX", (0, 0), (-1, -1), 1, NAVY),
                    ("BACKGROUND", (0, 0), (-1, -1), ZEBRA),
                    ("TOPPADDING", (0, 0), (-1, -1), 10),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 10),
                    ("LEFTPADDING", (0, 0), (-1, -1), 10),
                ]
            )
        )
        register = _e(c.register_name)
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
                    f"{_n(c.event_count, 'event')} in the register <b>{register}</b>."
                    if c.event_count
                    else f"The audit trail of <b>{register}</b> was still empty: this is the "
                    "value the chain starts from."
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
                "On a copy of the register file, run <b>riskdesk check --db "
                f"{register}</b>. It runs the database's integrity check, recomputes every link "
                "of the audit chain and confirms that each record still matches its last audited "
                "state. It ends with an error naming the first problem if anything fails, and "
                "otherwise prints the number of events and the current chain head.",
                self.s["bullet"],
                bulletText="1.",
            ),
            Paragraph(
                f"Confirm that audit event {c.last_event_id:,} still carries the hash above, "
                "for example with <b>sqlite3 "
                f'{register} "select hash from audit_event where id = {c.last_event_id}"</b>. '
                "Because each hash covers everything before it, nobody can change, insert or "
                "remove an earlier entry without changing this value.",
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


def _story(builder: _Builder, appendix: bool) -> list[Flowable]:
    """The sections in reading order; page breaks where a section should start afresh."""
    b = builder
    story: list[Flowable] = [*b.cover(), NextPageTemplate("body"), PageBreak()]
    story += b.summary()
    story += [PageBreak(), *b.changes()]
    story += [CondPageBreak(120 * mm), *b.heatmaps()]
    story += b.top_risks()
    story += b.accountability()
    story += b.gaps_by_owner()
    story += b.incidents()
    story += b.coverage()
    if appendix:
        story += b.appendix()
    story += b.verification()
    return story


def write_pack(
    content: BoardPackContent,
    target: Path,
    *,
    appendix: bool = True,
    progress: Progress | None = None,
) -> None:
    """Lay out ``content`` into a PDF at ``target``."""
    register_fonts()
    paper = content.profile.get("paper_size") or PaperSize.A4.value
    pagesize = LETTER if paper == PaperSize.LETTER.value else A4
    org = content.profile.get("name") or "AI risk register"
    doc = _PackDoc(
        str(target),
        content,
        pagesize=pagesize,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN,
        title=f"{org} — AI risk board pack, {_day(content.generated_at.date())}",
        author=content.profile.get("champion_name") or content.actor,
        subject="AI risk board pack",
        creator=f"riskdesk {__version__}",
        keywords="AI risk; board pack; riskdesk",
        pageCompression=1,
        initialFontName=REGULAR,  # else every page names Helvetica, which is not embedded
    )
    doc.progress = progress  # type: ignore[attr-defined]
    builder = _Builder(content, doc.body_frame._width, doc.body_frame._height)
    story = _story(builder, appendix)
    if progress is not None:
        progress.total = progress.done + len(story)  # one unit per flowable laid out
    doc.build(story, canvasmaker=_PackCanvas)


def export_pdf(
    svc: RegisterService,
    path: str | os.PathLike[str],
    appendix: bool = True,
    progress: ProgressFn | None = None,
    cancel: CancelFn | None = None,
    *,
    record: bool = True,
    today: dt.date | None = None,
) -> Path:
    """Write the board pack to ``path`` (all or nothing) and record it in the register.

    Recording (``record=True``) stores a snapshot in ``board_pack`` so the next pack can
    say what changed; it happens only once the file is complete.
    """
    target = Path(path)
    tracker = export_progress(1, progress, cancel, step=5)
    tracker.check()
    with paused_gc():
        content = gather(svc, today)
        content.will_record = record
        with atomic_file(target) as tmp:
            write_pack(content, tmp, appendix=appendix, progress=tracker)
    if record:
        record_pack(svc, target.name, content.chain_head, content.snapshot)
    tracker.finish()
    return target
