"""Turning what a person types into a safe SQLite FTS5 query.

User text never reaches FTS5's query syntax: words are extracted and quoted, so
"C++", "don't" or an unbalanced quote cannot raise a syntax error. Search runs an
AND query first (precise) and tops up with an OR query (forgiving), so a long
description still finds something while a short query stays sharp.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable, Sequence

TOKENIZER = "porter unicode61 remove_diacritics 2"
MAX_TERMS = 40

_WORD = re.compile(r"[^\W_]+", re.UNICODE)

# Words that match almost every record and only slow ranking down.
STOPWORDS = frozenset(
    """a about after all also an and any are as at be been but by can could do does
    for from had has have he her his how i if in into is it its may more most my no
    not of on or our out over she so some such than that the their them then there
    these they this those to under up use used uses using was we were what when where
    which while who will with would you your ai""".split()  # noqa: SIM905 - readable as prose
)


def terms(text: str, *, keep_stopwords: bool = False) -> list[str]:
    """Lower-cased words of ``text`` in order, without repeats or stopwords."""
    seen: set[str] = set()
    out: list[str] = []
    for word in _WORD.findall(text.casefold()):
        if word in seen or (not keep_stopwords and word in STOPWORDS):
            continue
        seen.add(word)
        out.append(word)
        if len(out) >= MAX_TERMS:
            break
    return out


def match_expression(words: Sequence[str], mode: str, *, prefix_last: bool = False) -> str:
    """An FTS5 MATCH string joining quoted ``words`` with AND or OR."""
    quoted = [f'"{w}"' for w in words]
    if prefix_last and quoted and len(words[-1]) >= 3:
        quoted[-1] += "*"
    return f" {mode} ".join(quoted)


def ranked_ids(
    conn: sqlite3.Connection,
    sql: str,
    words: Sequence[str],
    limit: int,
    *,
    prefix_last: bool = False,
    extra: Callable[[], list[int]] | None = None,
) -> list[int]:
    """Row ids best first: AND matches, then OR matches, without repeats.

    ``sql`` takes two parameters (MATCH expression, LIMIT) and returns rowids in
    rank order. ``extra`` supplies ids to put first (e.g. an exact ref match).
    """
    ids: list[int] = list(extra() if extra else [])
    if not words:
        return ids[:limit]
    modes = ["AND", "OR"] if len(words) > 1 else ["AND"]
    for mode in modes:
        if len(ids) >= limit:
            break
        expr = match_expression(words, mode, prefix_last=prefix_last)
        for (rowid,) in conn.execute(sql, (expr, limit + len(ids))):
            if rowid not in ids:
                ids.append(rowid)
    return ids[:limit]
