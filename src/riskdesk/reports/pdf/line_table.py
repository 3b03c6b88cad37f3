"""Page-sized tables of one-line rows with fixed heights, for the appendix of a big register."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from itertools import islice
from typing import Any

from reportlab.lib import colors
from reportlab.platypus import Flowable, Table, TableStyle

from riskdesk.reports.fonts import BOLD, REGULAR
from riskdesk.reports.pdf.style import NAVY, ZEBRA, fit_line


class LineLayout:
    """Column widths and styling shared by every page of an appendix table."""

    size, row_h, head_h = 7.0, 10.0, 13.0

    def __init__(self, header: list[str], col_widths: list[float]) -> None:
        self.col_widths = col_widths
        self.fit_widths = [w - 5 for w in col_widths]
        self.header = [
            fit_line(h, self.fit_widths[j], BOLD, self.size) for j, h in enumerate(header)
        ]
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


class LinePage(Flowable):
    """One page of ``count`` one-line rows, taken from ``records`` (shared by the pages of
    one table, which are drawn in order) only when drawn, as is the reportlab Table.

    ``last``: the table's last page, which closes ``records`` (a streamed query's
    connection). Should the register have changed since it was counted, a page shows
    the rows there are rather than fail."""

    def __init__(
        self,
        layout: LineLayout,
        records: Iterator[Mapping[str, Any]],
        count: int,
        to_cells: Callable[[Any], tuple[Any, ...]],
        *,
        last: bool = False,
    ) -> None:
        super().__init__()
        self.layout = layout
        self.records = records
        self.count = count
        self.to_cells = to_cells
        self.last = last
        self.width = sum(layout.col_widths)
        self.height = layout.head_h + layout.row_h * count

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        lay = self.layout
        data: list[list[str]] = [lay.header]
        extra: list[tuple[Any, ...]] = []
        records = list(islice(self.records, self.count))
        if self.last:
            close = getattr(self.records, "close", None)
            if close is not None:
                close()
        for i, record in enumerate(records, 1):
            line: list[str] = []
            for j, value in enumerate(self.to_cells(record)):
                if isinstance(value, tuple):  # (text, background, text colour)
                    value, fill, ink = value
                    extra.append(("BACKGROUND", (j, i), (j, i), fill))
                    extra.append(("TEXTCOLOR", (j, i), (j, i), ink))
                line.append(fit_line(value, lay.fit_widths[j], REGULAR, lay.size) if value else "")
            data.append(line)
        table = Table(
            data,
            colWidths=lay.col_widths,
            rowHeights=[lay.head_h] + [lay.row_h] * len(records),
        )
        table.setStyle(TableStyle(lay.base + extra))
        _, height = table.wrapOn(self.canv, self.width, self.height)
        table.drawOn(self.canv, 0, self.height - height)  # from the top, if rows are fewer
