"""Text that is safe to put in a spreadsheet cell, and back again.

Spreadsheet formula injection (OWASP "CSV injection"): a cell whose text begins with
``=``, ``+``, ``-``, ``@``, a tab or a carriage return may be run as a formula when the
file is opened. riskdesk keeps such text inert:

- **xlsx** — every text value is written as a typed string cell (never a formula cell)
  and, when it begins with one of those characters, also carries Excel's *quote prefix*
  so that editing the cell keeps it text. The stored text is the original, unchanged.
- **csv** — a CSV file has no types, so OWASP's remedy is used: a cell that begins with
  one of those characters — or with the single quote itself, so the rule can be undone
  without ambiguity — gets one ``'`` in front. ``unescape_csv_cell`` takes it away again;
  an importer applies it to every cell.

Control characters that XML cannot hold are removed; text over Excel's 32,767-character
cell limit is cut with a visible marker in the workbook (the CSV export keeps it whole).
"""

from __future__ import annotations

import re

FORMULA_TRIGGERS: tuple[str, ...] = ("=", "+", "-", "@", "\t", "\r")
CSV_ESCAPE = "'"
XLSX_CELL_LIMIT = 32_767
TRUNCATION_MARKER = " … [truncated: the full text is in riskdesk and its CSV export]"

# What XML 1.0 (and therefore xlsx) cannot hold: C0 controls other than tab, newline
# and carriage return. The same set openpyxl refuses with IllegalCharacterError.
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_CSV_TRIGGERS = (*FORMULA_TRIGGERS, CSV_ESCAPE)


def strip_control(text: str) -> str:
    """Remove the control characters spreadsheets cannot store (keeps tab and newlines)."""
    return _ILLEGAL.sub("", text) if _ILLEGAL.search(text) else text


def is_formula_like(text: str) -> bool:
    """True when a spreadsheet could read this text as a formula."""
    return text.startswith(FORMULA_TRIGGERS)


def xlsx_text(text: str) -> str:
    """Text for an xlsx string cell: control characters gone, cut to the cell limit."""
    text = strip_control(text)
    if len(text) > XLSX_CELL_LIMIT:
        text = text[: XLSX_CELL_LIMIT - len(TRUNCATION_MARKER)] + TRUNCATION_MARKER
    return text


def csv_cell(text: str) -> str:
    """Text for a CSV cell: control characters gone, formula triggers made inert."""
    text = strip_control(text)
    return CSV_ESCAPE + text if text.startswith(_CSV_TRIGGERS) else text


def unescape_csv_cell(text: str) -> str:
    """Undo ``csv_cell``: every cell that starts with ``'`` had exactly one added.

    Safe on any cell of a riskdesk CSV export, text or not: numbers, dates, yes/no
    values and enumeration codes never begin with a quote.
    """
    return text[1:] if text.startswith(CSV_ESCAPE) else text
