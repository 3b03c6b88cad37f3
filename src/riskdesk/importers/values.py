"""Turn the messy cell values people type into spreadsheets into typed values.

Yes/no, whole numbers and dates are read by ``riskdesk.values`` (its lenient mode is
the importers'); this module adds what only importers need: enumerations with their
synonyms, OMB's one-column impact answer, and header matching.
"""

from __future__ import annotations

import re

from riskdesk.enums import LabelledEnum
from riskdesk.values import DASHES
from riskdesk.values import NULL_TOKENS as NULL_TOKENS
from riskdesk.values import SOFT_NULLS as SOFT_NULLS
from riskdesk.values import BadValue as BadValue
from riskdesk.values import Parsed as Parsed
from riskdesk.values import describe as describe
from riskdesk.values import is_null as is_null
from riskdesk.values import parse_bool as parse_bool
from riskdesk.values import parse_date as parse_date
from riskdesk.values import parse_int as parse_int
from riskdesk.values import squash as squash
from riskdesk.values import value_key as value_key

_NON_ALNUM = re.compile(r"[^0-9a-z]+")


def enum_key(value: object) -> str:
    """``value_key`` that also ignores hyphens and underscores ("Safety-impacting")."""
    return " ".join(value_key(value).replace("-", " ").replace("_", " ").split())


def header_key(text: object) -> str:
    """Key for matching a header: lower case, punctuation and spacing ignored."""
    return _NON_ALNUM.sub(" ", str(text).translate(DASHES).casefold()).strip()


# --- enumerations -----------------------------------------------------------------------


def parse_enum(
    enum_cls: type[LabelledEnum], value: object, synonyms: dict[str, str] | None = None
) -> Parsed:
    """A value or label in any case/spacing, or one of the enum's known synonyms."""
    text = squash(str(value))
    try:
        return Parsed(enum_cls.parse(text).value)
    except ValueError:
        pass
    if synonyms:
        hit = synonyms.get(enum_key(text))
        if hit is not None:
            return Parsed(hit)
    if is_null(text, soft=True):
        return Parsed(None)
    allowed = ", ".join(m.label for m in enum_cls)
    raise BadValue(f"{describe(value)} is not one of: {allowed}")


_IMPACT_NOISE = frozenset({"impacting", "impact", "impacted", "ai", "use", "case", "is"})


def parse_impact(value: object) -> Parsed:
    """OMB's one-column answer "rights-impacting, safety-impacting, both, or neither".

    Returns ``(rights_impacting, safety_impacting)``.
    """
    key = enum_key(value).replace("/", " and ").replace("&", " and ").replace(",", " ")
    words = [w for w in key.split() if w not in _IMPACT_NOISE]
    found = set(words) - {"and"}
    if found in ({"both"}, {"rights", "safety"}, {"safety", "rights", "both"}):
        return Parsed((True, True))
    if found == {"rights"}:
        return Parsed((True, False))
    if found == {"safety"}:
        return Parsed((False, True))
    if found in ({"neither"}, {"none"}, {"no"}, {"n"}, {"not"}):
        return Parsed((False, False))
    if is_null(value, soft=True):
        return Parsed(None)
    raise BadValue(
        f"{describe(value)} is not one of: Rights-impacting, Safety-impacting, Both, Neither"
    )
