"""The 5×5 risk heatmap as vector graphics (crisp at any zoom, text searchable)."""

from __future__ import annotations

from reportlab.graphics.shapes import Drawing, Group, Rect, String
from reportlab.lib import colors

from riskdesk.enums import Band
from riskdesk.reports.fonts import BOLD, REGULAR
from riskdesk.scoring.bands import band

# Same palette as the workbook's tier and band colours.
BAND_FILL: dict[Band, colors.Color] = {
    Band.LOW: colors.HexColor("#C6EFCE"),
    Band.MEDIUM: colors.HexColor("#FFE699"),
    Band.HIGH: colors.HexColor("#F4B183"),
    Band.CRITICAL: colors.HexColor("#C00000"),
}
BAND_TEXT: dict[Band, colors.Color] = {
    Band.LOW: colors.black,
    Band.MEDIUM: colors.black,
    Band.HIGH: colors.black,
    Band.CRITICAL: colors.white,
}
LIKELIHOOD_WORDS = ("Rare", "Unlikely", "Possible", "Likely", "Almost certain")
IMPACT_WORDS = ("Minimal", "Minor", "Moderate", "Major", "Severe")


def heatmap(title: str, grid: list[list[int]], cell: float = 38) -> Drawing:
    """``grid[likelihood-1][impact-1]`` = number of risks; likelihood rises upwards."""
    left, bottom = 92, 42  # room for the axis words
    width = left + 5 * cell + 8
    height = bottom + 5 * cell + 26
    d = Drawing(width, height, initialFontName=REGULAR, initialFontSize=8)
    d.add(String(left, height - 14, title, fontName=BOLD, fontSize=10))
    for li in range(5):
        for ii in range(5):
            b = band((li + 1) * (ii + 1))
            x, y = left + ii * cell, bottom + li * cell
            d.add(
                Rect(
                    x,
                    y,
                    cell,
                    cell,
                    fillColor=BAND_FILL[b],  # type: ignore[arg-type]  # the stub lacks Unpack
                    strokeColor=colors.white,  # type: ignore[arg-type]
                    strokeWidth=1.5,  # type: ignore[arg-type]
                )
            )
            count = grid[li][ii]
            if count:
                d.add(
                    String(
                        x + cell / 2,
                        y + cell / 2 - 4,
                        f"{count:,}",
                        fontName=BOLD,
                        fontSize=11 if count < 1000 else 8,
                        fillColor=BAND_TEXT[b],
                        textAnchor="middle",
                    )
                )
    for i in range(5):
        d.add(
            String(
                left - 4,
                bottom + i * cell + cell / 2 - 3,
                f"{LIKELIHOOD_WORDS[i]} {i + 1}",
                fontName=REGULAR,
                fontSize=6.5,
                textAnchor="end",
            )
        )
        d.add(
            String(
                left + i * cell + cell / 2,
                bottom - 10,
                str(i + 1),
                fontName=REGULAR,
                fontSize=6.5,
                textAnchor="middle",
            )
        )
        d.add(
            String(
                left + i * cell + cell / 2,
                bottom - 18,
                IMPACT_WORDS[i],
                fontName=REGULAR,
                fontSize=6,
                textAnchor="middle",
            )
        )
    d.add(
        String(
            left + 2.5 * cell,
            bottom - 32,
            "Impact",
            fontName=BOLD,
            fontSize=8,
            textAnchor="middle",
        )
    )
    axis = Group(
        String(0, 0, "Likelihood", fontName=BOLD, fontSize=8, textAnchor="middle"),
    )
    axis.translate(8, bottom + 2.5 * cell)
    axis.rotate(90)
    d.add(axis)
    return d


def legend(width: float = 360) -> Drawing:
    """Colour key for the bands, with their score ranges."""
    d = Drawing(width, 16, initialFontName=REGULAR, initialFontSize=8)
    entries = [
        (Band.LOW, "Low 1–4"),
        (Band.MEDIUM, "Medium 5–9"),
        (Band.HIGH, "High 10–16"),
        (Band.CRITICAL, "Critical 20–25"),
    ]
    x = 0.0
    for b, text in entries:
        swatch = dict(fillColor=BAND_FILL[b], strokeColor=colors.grey, strokeWidth=0.3)
        d.add(Rect(x, 3, 10, 10, **swatch))  # type: ignore[arg-type]  # the stub lacks Unpack
        d.add(String(x + 14, 5, text, fontName=REGULAR, fontSize=7.5))
        x += 22 + len(text) * 4.6
    return d
