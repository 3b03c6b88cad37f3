"""Colours, sizes, text helpers and paragraph/table styles shared by every part of the pack."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Paragraph, TableStyle

from riskdesk.enums import Band, IncidentKind, Tier
from riskdesk.reports.boardpack import LIST_LIMIT as LIST_LIMIT  # "what changed" rows
from riskdesk.reports.fonts import BOLD, REGULAR
from riskdesk.reports.heatmap import BAND_FILL

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
def esc(text: object) -> str:
    """Escape for Paragraph markup (names like "Smith & Partners" are common)."""
    return escape(str(text)) if text is not None else ""


def n_of(count: int, one: str, many: str | None = None) -> str:
    return f"{count:,} {one if count == 1 else (many or one + 's')}"


def day_str(d: dt.date | None) -> str:
    return f"{d.day} {d:%B %Y}" if d else "—"


KIND_PLURAL = {
    IncidentKind.NEAR_MISS.value: "near misses",
    IncidentKind.INCIDENT.value: "incidents",
    IncidentKind.ROLLBACK.value: "rollbacks",
    IncidentKind.SHUTDOWN.value: "shutdowns",
}


def kinds_text(counts: dict[str, int]) -> str:
    """ "6 near misses, 3 incidents, 1 rollback, 0 shutdowns" (", 2 of kind not stated":
    logged without a kind, counted as none of them)."""
    parts = []
    for kind in IncidentKind:
        n = counts.get(kind.value, 0)
        if kind is IncidentKind.NOT_STATED:
            continue
        parts.append(f"{n:,} {kind.label.lower() if n == 1 else KIND_PLURAL[kind.value]}")
    unstated = counts.get(IncidentKind.NOT_STATED.value, 0)
    if unstated:
        parts.append(f"{unstated:,} of kind not stated")
    return ", ".join(parts)


def people_text(value: int | None) -> str:
    """An incident's people affected: None is unknown, never 0."""
    return "Unknown" if value is None else f"{value:,}"


def exposure_of(value: int | None) -> str:
    """A snapshot's exposure: None was a use not yet assessed, never 0."""
    return "not assessed" if value is None else str(value)


def label_of(enum: Any, value: str) -> str:
    try:
        return str(enum(value).label)
    except ValueError:
        return value


def fit_line(text: str, width: float, font: str, size: float) -> str:
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
def styles() -> dict[str, ParagraphStyle]:
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
        super().__init__(esc(text), style)
        self.outline_text = text
        self.outline_level = level


def table_style(extra: Iterable[tuple[Any, ...]] = (), header: bool = True) -> TableStyle:
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


def plain_style(commands: list[tuple[Any, ...]]) -> TableStyle:
    """A table style that names our font (the table default would pull in Helvetica)."""
    return TableStyle([("FONT", (0, 0), (-1, -1), REGULAR, 8), *commands])
