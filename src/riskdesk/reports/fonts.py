"""The board pack's embedded font: DejaVu Sans, shipped in resources/fonts with its licence.

Reportlab's built-in Helvetica covers Latin-1 only; DejaVu Sans covers Latin, Greek and
Cyrillic, and embedding it (as a subset) makes the PDF look the same everywhere.
"""

from __future__ import annotations

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from riskdesk.paths import resource_path

REGULAR = "DejaVuSans"
BOLD = "DejaVuSans-Bold"


def register_fonts() -> None:
    """Register the fonts once per process (reportlab keeps a global registry)."""
    if REGULAR in pdfmetrics.getRegisteredFontNames():
        return
    folder = resource_path("fonts")
    pdfmetrics.registerFont(TTFont(REGULAR, str(folder / "DejaVuSans.ttf")))
    pdfmetrics.registerFont(TTFont(BOLD, str(folder / "DejaVuSans-Bold.ttf")))
    # No italic face is shipped: <i> in a paragraph falls back to the upright faces.
    addMapping(REGULAR, 0, 0, REGULAR)
    addMapping(REGULAR, 1, 0, BOLD)
    addMapping(REGULAR, 0, 1, REGULAR)
    addMapping(REGULAR, 1, 1, BOLD)
