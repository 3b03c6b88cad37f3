"""Framework item references as the register stores them: "LLM01, MIT 7.3, GOVERN 1.1".

A ref never contains a comma or semicolon (the framework loader enforces it), so a
list of refs is safe to keep in one text column.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

_SEPARATORS = re.compile(r"[,;\n]")


def normalise_ref(ref: str) -> str:
    """The comparison key: case-folded, whitespace collapsed ('mit  7.3' == 'MIT 7.3')."""
    return " ".join(ref.split()).casefold()


def split_refs(text: str | None) -> list[str]:
    """'LLM01; MIT 7.3,GOVERN 1.1' -> ['LLM01', 'MIT 7.3', 'GOVERN 1.1'], order kept, no repeats."""
    seen: set[str] = set()
    out: list[str] = []
    for part in _SEPARATORS.split(text or ""):
        ref = " ".join(part.split())
        key = ref.casefold()
        if ref and key not in seen:
            seen.add(key)
            out.append(ref)
    return out


def join_refs(refs: Iterable[str]) -> str:
    """The inverse of :func:`split_refs`, in the register's comma-separated form."""
    return ", ".join(split_refs(", ".join(refs)))
