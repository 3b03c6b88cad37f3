"""The document: page templates (cover, body), header and footer, outline, "Page X of Y"."""

from __future__ import annotations

from typing import Any

from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfdoc import PDFArray, PDFBase85Encode, PDFName, PDFStream, PDFZCompress
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate

from riskdesk.reports.boardpack import BoardPackContent
from riskdesk.reports.fonts import BOLD, REGULAR
from riskdesk.reports.pdf.style import (
    FOOTER_SPACE,
    GREY,
    HEADER_SPACE,
    MARGIN,
    NAVY,
    PAGE_TOTAL_FORM,
    RULE,
    WARN,
    Heading,
    day_str,
    fit_line,
)


class PackCanvas(Canvas):
    """A canvas that writes the page total into a form once the total is known, and
    compresses each page as it is finished."""

    def showPage(self) -> None:
        super().showPage()
        self._seal_last_page()

    def _seal_last_page(self) -> None:
        """Compress the page just finished now, not when the file is saved: the text of
        9,000 appendix pages would otherwise wait uncompressed in memory (issue 19).
        The same filters, in the same order, as reportlab's ``PDFPage.check_format``."""
        page = self._doc.Pages.pages[-1]  # type: ignore[attr-defined]  # not in the stubs
        stream = getattr(page, "stream", None)
        if not page.compression or not stream or getattr(page, "Contents", None):
            return
        filters: list[Any] = [PDFBase85Encode, PDFZCompress] if rl_config.useA85 else [PDFZCompress]
        content = stream
        for f in reversed(filters):
            content = f.encode(content)
        sealed = PDFStream(content=content)
        # A stream that names its filters is written as it is (already encoded).
        sealed.dictionary["Filter"] = PDFArray([PDFName(f.pdfname) for f in filters])
        sealed.__Comment__ = "page stream"  # type: ignore[attr-defined]
        page.Contents = sealed
        page.stream = None

    def save(self) -> None:
        code = self._code  # type: ignore[attr-defined]  # Canvas's private page operators
        total = self.getPageNumber() - (0 if code else 1)
        if code:
            self.showPage()
        self.beginForm(PAGE_TOTAL_FORM)
        self.setFont(REGULAR, 7.5)
        self.setFillColor(GREY)
        self.drawString(0, 0, f"{total:,}")
        self.endForm()
        super().save()


class PackDoc(BaseDocTemplate):
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
        canv.drawString(MARGIN, top, fit_line(org, width / 2, BOLD, 8))
        canv.setFont(REGULAR, 8)
        canv.setFillColor(GREY)
        canv.drawRightString(
            width - MARGIN, top, f"AI risk board pack · {day_str(c.generated_at.date())}"
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
            canv.drawRightString(width - MARGIN, y, fit_line(marking, width / 2, BOLD, 7.5))
