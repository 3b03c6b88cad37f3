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


# --- numbers inside text ------------------------------------------------------------------

_SCALE = {"k": 1_000, "thousand": 1_000, "m": 1_000_000, "million": 1_000_000}
_NUMBER_IN_TEXT = re.compile(
    r"(?<![\w.,+-])(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)(?:\s*(k|m|thousand|million)\b)?",
    re.IGNORECASE,
)
_RANGE_IN_TEXT = re.compile(r"\d\s*(?:k|m|thousand|million)?\s*(?:-|to|or)\s*\d", re.IGNORECASE)
_EXPONENT = re.compile(r"\d\s*e\s*[+-]?\d", re.IGNORECASE)  # "1e+308"
# "10-20k": is the low end 10 or 10,000? The reader cannot know.
_SCALED_HIGH_ONLY = re.compile(
    r"(?<![\w.,])\d[\d,.]*\s*(?:-|to)\s*\d[\d,.]*\s*(?:k|m|thousand|million)\b", re.IGNORECASE
)


def is_ambiguous_range(value: object) -> bool:
    """A range whose scale is written on its high end only ("10-20k")."""
    return isinstance(value, str) and bool(_SCALED_HIGH_ONLY.search(value.translate(DASHES)))


def number_in_text(value: object) -> Parsed:
    """The one whole number written inside ``value`` ("approx 2,400 students" -> 2400).

    Raises ``BadValue`` when there is none, several, or a range: a guess between them
    would be stated as a fact.
    """
    text = squash(str(value)).translate(DASHES)
    if _EXPONENT.search(text):
        raise BadValue(f"{describe(value)} is not a whole number")
    if is_ambiguous_range(text) or _RANGE_IN_TEXT.search(text):
        raise BadValue(f"{describe(value)} gives a range, not one number")
    found = _NUMBER_IN_TEXT.findall(text)
    if len(found) != 1:
        what = "no number" if not found else "more than one number"
        raise BadValue(f"{describe(value)} has {what} riskdesk can read as a count")
    digits, scale = found[0]
    amount = float(digits.replace(",", "")) * _SCALE.get(scale.casefold(), 1)
    if not amount.is_integer():
        raise BadValue(f"{describe(value)} is not a whole number")
    number = int(amount)
    return Parsed(number, f"{describe(value)} was read as {number:,}")
