"""Counts as the user reads them: the locale's digits and thousands separator.

``QLocale().toString`` alone leaves the separator out under the "C" locale (its default
number options omit it), so 1250000 people read as a phone number; the separator is
kept on in every locale here.
"""

from __future__ import annotations

from PySide6.QtCore import QLocale


def count_text(value: int) -> str:
    """1,250,000 (en), 1.250.000 (de), 1 250 000 (fr)."""
    locale = QLocale()
    locale.setNumberOptions(locale.numberOptions() & ~QLocale.NumberOption.OmitGroupSeparator)
    return locale.toString(value)
