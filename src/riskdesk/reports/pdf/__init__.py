"""The board pack: a PDF a governing board can read in ten minutes and trust.

Built with reportlab's platypus. Content comes from ``boardpack.gather``; this module
lays it out: a cover, a one-page executive summary in plain words, what changed since
the previous pack, vector heatmaps, the top risks, accountability, gaps by owner,
incidents, framework coverage, an optional appendix with the whole register, and a
last page with the audit chain head and how to check it.

Big registers: the appendix is cut into page-sized tables of single-line rows with
fixed heights, so reportlab never measures or splits a 50,000-row table; "Page X of Y"
draws Y from a PDF form filled in when the document is saved, so there is one pass.

Parts: ``style`` (colours, text helpers), ``document`` (page templates, footer),
``line_table`` (appendix pages), ``builder`` and the section mixins ``front``,
``sections`` and ``appendix``; this module assembles them.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from reportlab.lib.pagesizes import A4, LETTER
from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, NextPageTemplate, PageBreak

from riskdesk import __version__
from riskdesk.enums import PaperSize
from riskdesk.reports.boardpack import BoardPackContent, gather
from riskdesk.reports.fonts import REGULAR, register_fonts
from riskdesk.reports.pdf.appendix import BackSections
from riskdesk.reports.pdf.document import PackCanvas, PackDoc
from riskdesk.reports.pdf.front import FrontSections
from riskdesk.reports.pdf.sections import RegisterSections
from riskdesk.reports.pdf.style import MARGIN, day_str
from riskdesk.reports.pdf.vendors_agents import VendorAgentSections
from riskdesk.reports.progress import (
    CancelFn,
    Progress,
    ProgressFn,
    atomic_file,
    export_progress,
    paused_gc,
)
from riskdesk.reports.snapshot import record_pack
from riskdesk.service.register import RegisterService

__all__ = ["export_pdf", "write_pack"]


class PackBuilder(FrontSections, RegisterSections, VendorAgentSections, BackSections):
    """Every section of the pack, each a method returning its flowables."""


def _story(builder: PackBuilder, appendix: bool) -> list[Flowable]:
    """The sections in reading order; page breaks where a section should start afresh."""
    b = builder
    story: list[Flowable] = [*b.cover(), NextPageTemplate("body"), PageBreak()]
    story += b.summary()
    story += [PageBreak(), *b.changes()]
    story += [CondPageBreak(120 * mm), *b.heatmaps()]
    story += b.top_risks()
    story += b.accountability()
    story += b.gaps_by_owner()
    story += b.escalations()
    story += b.incidents()
    story += b.coverage()
    story += b.vendors_and_agents()  # issue 17
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
    doc = PackDoc(
        str(target),
        content,
        pagesize=pagesize,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN,
        title=f"{org} — AI risk board pack, {day_str(content.generated_at.date())}",
        author=content.prepared_by,
        subject="AI risk board pack",
        creator=f"riskdesk {__version__}",
        keywords="AI risk; board pack; riskdesk",
        pageCompression=1,
        initialFontName=REGULAR,  # else every page names Helvetica, which is not embedded
    )
    doc.progress = progress  # type: ignore[attr-defined]
    frame = doc.body_frame
    builder = PackBuilder(content, frame._width, frame._height)  # type: ignore[attr-defined]
    story = _story(builder, appendix)
    if progress is not None:
        progress.total = progress.done + len(story)  # one unit per flowable laid out
    doc.build(story, canvasmaker=PackCanvas)


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
    """Write the board pack to ``path`` (all or nothing); ``record`` issues it.

    Issuing (``record=True``; ``riskdesk export --issue``, "Issue pack" in the export
    dialog) stores a snapshot in ``board_pack``: the baseline the next pack's "what
    changed" compares with. It happens only once the file is complete. A draft
    (``record=False``) leaves the baseline alone, so drafting twice never hides a change.
    """
    target = Path(path)
    tracker = export_progress(1, progress, cancel, step=5)
    tracker.check()
    with paused_gc():
        content = gather(svc, today, gap_keys=record)  # a draft's snapshot is not kept
        content.will_record = record
        with atomic_file(target) as tmp:
            write_pack(content, tmp, appendix=appendix, progress=tracker)
    if record:
        record_pack(
            svc,
            target.name,
            content.chain_head,
            content.snapshot,
            content.profile.get("champion_name") or None,
        )
    tracker.finish()
    return target
