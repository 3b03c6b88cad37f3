"""Draw the riskdesk icon: a shield holding a three-line register with ticks.

Run once when the design changes; the outputs are committed under resources/icons/:
riskdesk.svg (the source of truth for designers), riskdesk.png (256×256, used by the
window and the Linux bundle), riskdesk.ico (16–256 px, Windows) and riskdesk.icns
(16–1024 px, macOS). Needs PySide6 (QtSvg) and Pillow — a developer tool, not part of
the app:

    /work/venv/bin/python packaging/make_icon.py
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

from PIL import Image
from PySide6.QtCore import QBuffer, QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QGuiApplication, QImage, QPainter, QPainterPath, QPen
from PySide6.QtSvg import QSvgGenerator

OUT = Path(__file__).resolve().parents[1] / "resources" / "icons"
NAVY = QColor("#1d3f6e")
RIM = QColor("#4f86c6")
PAPER = QColor("#ffffff")
TICK = QColor("#2e9e5b")
ICO_SIZES = [16, 24, 32, 48, 64, 128, 256]


def draw(p: QPainter, size: float) -> None:
    """The glyph on a ``size``-wide square canvas (vector, so any size is crisp)."""
    s = size / 256.0
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    shield = QPainterPath()
    shield.moveTo(128 * s, 14 * s)
    shield.cubicTo(168 * s, 34 * s, 200 * s, 40 * s, 226 * s, 40 * s)
    shield.cubicTo(228 * s, 150 * s, 196 * s, 206 * s, 128 * s, 244 * s)
    shield.cubicTo(60 * s, 206 * s, 28 * s, 150 * s, 30 * s, 40 * s)
    shield.cubicTo(56 * s, 40 * s, 88 * s, 34 * s, 128 * s, 14 * s)
    shield.closeSubpath()
    p.setPen(QPen(RIM, 10 * s))
    p.setBrush(NAVY)
    p.drawPath(shield)

    # The register: three rows, each a tick box and a line of text.
    for row in range(3):
        y = (78 + row * 46) * s
        box = QRectF(70 * s, y, 26 * s, 26 * s)
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(PAPER)
        p.drawRoundedRect(box, 5 * s, 5 * s)
        p.drawRoundedRect(QRectF(108 * s, y + 8 * s, 80 * s - row * 14 * s, 10 * s), 5 * s, 5 * s)
        if row < 2:  # the last row is still open: a register is never finished
            pen = QPen(TICK, 6 * s)
            pen.setCapStyle(Qt.PenCapStyle.RoundCap)
            pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
            p.setPen(pen)
            p.setBrush(Qt.BrushStyle.NoBrush)
            tick = QPainterPath(QPointF(76 * s, y + 13 * s))
            tick.lineTo(QPointF(82 * s, y + 20 * s))
            tick.lineTo(QPointF(92 * s, y + 6 * s))
            p.drawPath(tick)


def render(size: int) -> Image.Image:
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    draw(painter, float(size))
    painter.end()
    buffer = QBuffer()
    buffer.open(QBuffer.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    return Image.open(io.BytesIO(bytes(buffer.data()))).convert("RGBA")


def write_svg(path: Path) -> None:
    generator = QSvgGenerator()
    generator.setFileName(str(path))
    generator.setSize(QSize(256, 256))
    generator.setViewBox(QRectF(0, 0, 256, 256))
    generator.setTitle("riskdesk")
    painter = QPainter(generator)
    draw(painter, 256.0)
    painter.end()


def main() -> int:
    _app = QGuiApplication.instance() or QGuiApplication(sys.argv)
    OUT.mkdir(parents=True, exist_ok=True)
    write_svg(OUT / "riskdesk.svg")
    render(256).save(OUT / "riskdesk.png", optimize=True)
    # Each size drawn from the vector, not scaled from 256: small sizes stay sharp.
    ico = {n: render(n) for n in ICO_SIZES}
    ico[256].save(
        OUT / "riskdesk.ico",
        sizes=[(n, n) for n in ICO_SIZES],
        append_images=[ico[n] for n in ICO_SIZES[:-1]],
    )
    render(1024).save(OUT / "riskdesk.icns", append_images=[render(n) for n in (512, 256, 128)])
    for name in ("riskdesk.svg", "riskdesk.png", "riskdesk.ico", "riskdesk.icns"):
        print(f"{OUT / name}: {(OUT / name).stat().st_size} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
