"""The section builder's shared parts: paragraphs, tables, coloured cells, people."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, Paragraph, Spacer, Table

from riskdesk.enums import Tier
from riskdesk.reports.boardpack import BoardPackContent
from riskdesk.reports.fonts import BOLD
from riskdesk.reports.heatmap import BAND_FILL, BAND_TEXT
from riskdesk.reports.pdf.style import (
    TIER_FILL,
    TIER_TEXT,
    Heading,
    esc,
    label_of,
    styles,
    table_style,
)
from riskdesk.scoring.bands import band

MIN_ROWS_PER_PART = 3  # body rows a split table keeps on each page (no orphans or widows)


class KeptTable(Table):
    """A table that, when split across pages, keeps at least ``MIN_ROWS_PER_PART`` body
    rows on each side (the header repeats), so no page holds one orphaned row."""

    def split(self, availWidth: float, availHeight: float) -> list[Any]:
        parts = super().split(availWidth, availHeight)
        if len(parts) != 2:
            return parts
        head = self.repeatRows if isinstance(self.repeatRows, int) else len(self.repeatRows)
        body = len(self._cellvalues) - head  # type: ignore[attr-defined]  # reportlab internals, not in the stubs
        if body < 2 * MIN_ROWS_PER_PART:
            return []  # too short to split well: move it whole to the next page
        first = len(parts[0]._cellvalues) - head  # type: ignore[attr-defined]
        if first < MIN_ROWS_PER_PART:
            return []
        second = body - first
        if second >= MIN_ROWS_PER_PART:
            return parts
        # Leave fewer rows on this page so enough go over with the repeated header.
        keep = head + first - (MIN_ROWS_PER_PART - second)
        height = sum(self._rowHeights[:keep]) + 0.01  # type: ignore[attr-defined]
        return super().split(availWidth, height)


class Builder:
    """Shared helpers for the section mixins: ``self.c`` is the content, ``self.s`` the
    paragraph styles, ``width``/``height`` the body frame."""

    def __init__(self, content: BoardPackContent, frame_width: float, frame_height: float) -> None:
        self.c = content
        self.s = styles()
        self.width = frame_width
        self.height = frame_height

    def p(self, text: str, style: str = "body") -> Paragraph:
        return Paragraph(text, self.s[style])

    def cell(self, text: object, style: str = "cell") -> Paragraph:
        return Paragraph(esc(text), self.s[style])

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
        head = [Paragraph(esc(h), self.s["head"]) for h in header]
        t = KeptTable([head, *rows], colWidths=[w * scale for w in widths], repeatRows=1)
        t.setStyle(table_style(extra))
        return t

    def tier_cell(self, tier: str, row: int, col: int, extra: list[tuple[Any, ...]]) -> str:
        extra.append(("BACKGROUND", (col, row), (col, row), TIER_FILL.get(tier, colors.white)))
        extra.append(("TEXTCOLOR", (col, row), (col, row), TIER_TEXT.get(tier, colors.black)))
        extra.append(("FONT", (col, row), (col, row), BOLD, 8))
        return label_of(Tier, tier)

    def band_cell(self, score: int, row: int, col: int, extra: list[tuple[Any, ...]]) -> str:
        b = band(score)
        extra.append(("BACKGROUND", (col, row), (col, row), BAND_FILL[b]))
        extra.append(("TEXTCOLOR", (col, row), (col, row), BAND_TEXT[b]))
        return f"{score} {b.label}"

    def person(self, person_id: int | None, missing: str = "none named") -> Paragraph:
        if person_id is None:
            return Paragraph(f'<font color="#C00000">{esc(missing)}</font>', self.s["cell"])
        person = self.c.people.get(person_id)
        if person is None:
            return self.cell(f"#{person_id}")
        text = esc(person["name"])
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
        return Paragraph(esc(text), style)
