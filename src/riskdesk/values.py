"""Reading yes/no answers, whole numbers and dates: one module, two modes.

Each parser takes one non-empty value and returns ``Parsed(value, note)``; a value
that cannot be read raises ``BadValue``, whose ``reason`` is written for the person who
typed it (callers in other layers re-word it when they need to).

- **Lenient** (the default) reads what people type into spreadsheets and forms.
  ``value`` is ``None`` when the cell says "nothing" ("N/A", "-", "unknown"), and
  ``note`` explains any guess the user should know about (a range read as its upper
  bound, "FY2023" read as a date).
- **Strict** (``strict=True``) reads what a program wrote — riskdesk's own exports,
  rule files: yes/no as TRUE/FALSE, yes/no, y/n or 1/0; plain whole numbers; ISO
  dates. It never guesses, never adds a note and never answers ``None``.

Lenient choices worth knowing:
- Approximate dates become the *first* day of the period they name: "2023" → 1 Jan
  2023, "Aug 2022" → 1 Aug 2022, "FY2023" → the first day of that fiscal year (US
  federal convention by default: FY2023 began on 1 October 2022), "Q4 FY25" → the
  first day of that quarter. Each gets a note, because go-live and review dates drive
  the review calendar.
- Slash dates are month/day/year (as in the OMB inventories) unless a part is over 12,
  which settles it, or the mapping says day-first. Dotted dates are always day-first.
- Whole numbers accept thousands separators ("12,000", "12 000"), k/m suffixes
  ("1.2k"), a leading "~"/"about" and a trailing "+"; a range ("1,000-5,000") is read
  as its upper bound (the cautious reading for exposure). "12.000" is refused as
  ambiguous (twelve, or twelve thousand in European notation).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

# Cells that mean "no value" in any column.
NULL_TOKENS = frozenset(
    {"n/a", "na", "n.a.", "n.a", "not applicable", "-", "--", "---", "#n/a", "nil"}
)
# For typed (non-text) columns these also mean "not known": leave the default.
SOFT_NULLS = NULL_TOKENS | {"none", "tbd", "tba", "unknown", "not known", "?", "todo"}
_LONGEST_NULL = 2 * max(len(token) for token in SOFT_NULLS)  # room for stray spaces

DASHES = str.maketrans(
    {"–": "-", "—": "-", "‐": "-", "‑": "-", "’": "'", "‘": "'", "“": '"', "”": '"'}
)


class BadValue(ValueError):
    """A cell that cannot be read as its column's type; ``reason`` is user-facing."""

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(reason)


@dataclass(frozen=True, slots=True)
class Parsed:
    value: object
    note: str | None = None


def squash(text: str) -> str:
    """Collapse every run of whitespace (newlines included) to one space."""
    return " ".join(text.split())


def value_key(value: object) -> str:
    """Key for matching a cell against a list of known answers.

    Case, stray whitespace and newlines, typographic dashes/quotes and a trailing full
    stop do not matter: "Rights-Impacting\\n" and "rights–impacting." match.
    """
    text = squash(str(value).translate(DASHES)).casefold()
    return text[:-1].rstrip() if text.endswith(".") else text


def describe(value: object) -> str:
    """Quote a cell for a message, shortened so one line stays readable."""
    if isinstance(value, dt.datetime):
        text = value.isoformat(sep=" ")
    elif isinstance(value, dt.date):
        text = value.isoformat()
    else:
        text = squash(str(value))
    if len(text) > 60:
        text = text[:57] + "…"
    return f'"{text}"'


def is_null(value: object, *, soft: bool) -> bool:
    if not isinstance(value, str) or len(value) > _LONGEST_NULL:
        return False  # the length test spares long text the normalising
    return value_key(value) in (SOFT_NULLS if soft else NULL_TOKENS)


# --- whole numbers --------------------------------------------------------------------

_SUFFIX = {
    "k": 1_000,
    "thousand": 1_000,
    "m": 1_000_000,
    "mn": 1_000_000,
    "mio": 1_000_000,
    "million": 1_000_000,
    "bn": 1_000_000_000,
    "billion": 1_000_000_000,
}
_PREFIXES = ("approximately", "approx.", "approx", "around", "about", "circa", "c.", "~", "≈")
_NUM = r"(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?\s*([a-z]+)?"
_NUM_RE = re.compile(_NUM)
_RANGE_RE = re.compile(rf"{_NUM}\s*(?:-|to)\s*{_NUM}")
_DIGIT_GAP = re.compile(r"(?<=\d)[ \u00a0\u202f'_](?=\d{3}(?:\D|$))")
_DOTTED_THOUSANDS = re.compile(r"\d{1,3}(?:\.\d{3})+")


def _number(groups: tuple[str | None, ...], original: object) -> int:
    whole, frac, suffix = groups
    mult = 1
    if suffix:
        if suffix not in _SUFFIX:
            raise BadValue(f"{describe(original)} is not a whole number")
        mult = _SUFFIX[suffix]
    try:
        number = Decimal((whole or "").replace(",", "") + (frac or "")) * mult
    except InvalidOperation as exc:
        raise BadValue(f"{describe(original)} is not a whole number") from exc
    if number != number.to_integral_value():
        if mult == 1:
            raise BadValue(f"{describe(original)} is not a whole number")
        number = number.to_integral_value()
    return int(number)


MAX_INTEGER = 2**63 - 1  # the largest whole number a register can store (SQLite)
_PLAIN_INT = re.compile(r"[+-]?\d+(\.0+)?")


def _strict_int(value: object) -> int:
    if isinstance(value, bool):
        raise BadValue("is a yes/no value, not a number")
    number: int | None = None
    if isinstance(value, int):
        number = value
    elif isinstance(value, float) and value.is_integer():
        number = int(value)
    else:
        text = str(value).strip().replace(",", "")
        if _PLAIN_INT.fullmatch(text):
            digits = text.partition(".")[0]  # exact, however long (float would round)
            if len(digits.lstrip("+-0")) > len(str(MAX_INTEGER)):
                raise BadValue(f'"{value}" is too large a number')
            number = int(digits)
    if number is None:
        raise BadValue(f'"{describe(value)[1:-1]}" is not a whole number')
    if abs(number) > MAX_INTEGER:
        raise BadValue(f'"{describe(value)[1:-1]}" is too large a number')
    return number


def parse_int(value: object, *, strict: bool = False) -> Parsed:
    """A whole number; lenient refuses negatives, strict takes any sign."""
    if strict:
        return Parsed(_strict_int(value))
    if isinstance(value, bool):
        raise BadValue(f"{describe(value)} is not a whole number")
    if isinstance(value, int):
        if value < 0:
            raise BadValue(f"{describe(value)} cannot be negative")
        return Parsed(value)
    if isinstance(value, float):
        if value != value or not value.is_integer():  # NaN or a fraction
            raise BadValue(f"{describe(value)} is not a whole number")
        if value < 0:
            raise BadValue(f"{describe(value)} cannot be negative")
        return Parsed(int(value))
    if not isinstance(value, str):
        raise BadValue(f"{describe(value)} is not a whole number")
    if is_null(value, soft=True):
        return Parsed(None)
    text = _DIGIT_GAP.sub("", squash(value).casefold())
    for prefix in _PREFIXES:
        if text.startswith(prefix):
            text = text[len(prefix) :].lstrip()
            break
    # "50,000+" is a lower bound: read as its number, and said so (a reach stated as
    # exactly 50,000 would be a guess presented as a fact)
    at_least = text.endswith("+")
    text = text.rstrip("+").rstrip()

    def read(number: int) -> Parsed:
        if not at_least:
            return Parsed(number)
        return Parsed(number, f"{describe(value)} means at least {number:,}: read as {number:,}")

    if text.startswith("-") and _NUM_RE.fullmatch(text[1:]):
        raise BadValue(f"{describe(value)} cannot be negative")
    if _DOTTED_THOUSANDS.fullmatch(text):
        if text.count(".") == 1:
            raise BadValue(
                f"{describe(value)} is ambiguous (a decimal, or thousands in European "
                "notation?): write the number without separators"
            )
        return read(int(text.replace(".", "")))
    match = _NUM_RE.fullmatch(text)
    if match:
        return read(_number(match.groups(), value))
    match = _RANGE_RE.fullmatch(text)
    if match:
        groups = match.groups()
        low, high = _number(groups[:3], value), _number(groups[3:], value)
        if high < low:
            raise BadValue(f"{describe(value)} is not a range from low to high")
        return Parsed(high, f"the range {describe(value)} was read as its upper bound {high:,}")
    raise BadValue(f"{describe(value)} is not a whole number")


# --- yes / no ---------------------------------------------------------------------------

_TRUE = frozenset({"yes", "y", "true", "t", "1", "x", "✓", "✔", "☑", "on", "checked", "ja", "oui"})
_FALSE = frozenset({"no", "n", "false", "f", "0", "off", "unchecked", "☐", "✗", "✘", "nein", "non"})
_LEADING_YES_NO = re.compile(r"(yes|no)\b[\s,.;:()'\"-]")


# Strict: the words programs write (Excel's TRUE/FALSE, riskdesk's yes/no, 1/0).
STRICT_TRUE = frozenset({"true", "yes", "y", "1"})
STRICT_FALSE = frozenset({"false", "no", "n", "0"})


def parse_bool(value: object, *, strict: bool = False) -> Parsed:
    if isinstance(value, bool):
        return Parsed(value)
    if isinstance(value, int | float) and value in (0, 1):
        return Parsed(bool(value))
    if strict:
        key = str(value).strip().casefold()
        if key in STRICT_TRUE or key in STRICT_FALSE:
            return Parsed(key in STRICT_TRUE)
        raise BadValue(f'"{value}" is not TRUE or FALSE')
    if isinstance(value, int | float):
        raise BadValue(f"{describe(value)} is not yes or no")
    if not isinstance(value, str):
        raise BadValue(f"{describe(value)} is not yes or no")
    key = value_key(value)
    if key in _TRUE:
        return Parsed(True)
    if key in _FALSE:
        return Parsed(False)
    if key in SOFT_NULLS:
        return Parsed(None)
    match = _LEADING_YES_NO.match(key)  # "Yes - system logs hold user ids"
    if match:
        return Parsed(match.group(1) == "yes")
    raise BadValue(f"{describe(value)} is not yes or no")


# --- dates ------------------------------------------------------------------------------

_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ),
        start=1,
    )
    for name in names
}
_EXCEL_EPOCH = dt.date(1899, 12, 30)
_ISO = re.compile(r"(\d{4})[-/](\d{1,2})[-/](\d{1,2})(?:[t ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?z?)?")
_NUMERIC_DATE = re.compile(
    r"(\d{1,2})([/.-])(\d{1,2})\2(\d{4}|\d{2})(?: \d{1,2}:\d{2}(?::\d{2})?)?"
)
_YEAR_MONTH = re.compile(r"(\d{4})-(\d{1,2})")
_MONTH_YEAR_NUM = re.compile(r"(\d{1,2})/(\d{4})")
_DAY_MONTH_YEAR = re.compile(r"(\d{1,2})(?:st|nd|rd|th)?[ -]([a-z]+)\.?,?[ -](\d{4}|\d{2})")
_MONTH_DAY_YEAR = re.compile(r"([a-z]+)\.? (\d{1,2})(?:st|nd|rd|th)?,? (\d{4})")
_MONTH_YEAR = re.compile(r"([a-z]+)\.?[ -](\d{4}|\d{2})")
_YY_MONTH = re.compile(r"(\d{2})-([a-z]{3,})")  # Excel's "24-Nov" for November 2024
_YEAR = re.compile(r"(?:cy ?)?(\d{4})")
_FISCAL_YEAR = re.compile(r"fy ?(\d{4}|\d{2})")
_FISCAL_QUARTER = re.compile(r"q([1-4]) ?fy ?(\d{4}|\d{2})|fy ?(\d{4}|\d{2}) ?q([1-4])")
_QUARTER = re.compile(r"q([1-4]) ?(\d{4})|(\d{4}) ?q([1-4])")
_TRAILING_REMARK = re.compile(r"(.+?)\s*\(([^()]*)\)")


def _year(text: str) -> int:
    year = int(text)
    if len(text) == 2:
        year += 2000 if year < 70 else 1900
    return year


def _month(text: str) -> int | None:
    return _MONTHS.get(text.rstrip(".").lower())


def _make(year: int, month: int, day: int, original: object) -> dt.date:
    try:
        return dt.date(year, month, day)
    except ValueError as exc:
        raise BadValue(f"{describe(original)} is not a real date") from exc


def _shift_months(start: dt.date, months: int) -> dt.date:
    index = start.year * 12 + start.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def _fiscal_year_start(fiscal_year: int, start_month: int) -> dt.date:
    # US federal convention: fiscal year N runs from start_month of year N-1.
    return dt.date(fiscal_year if start_month == 1 else fiscal_year - 1, start_month, 1)


def _approx(day: dt.date, original: object) -> Parsed:
    return Parsed(day, f"{describe(original)} is approximate: read as {day.day} {day:%B %Y}")


def _parse_date_text(text: str, original: object, day_first: bool, fy_start: int) -> Parsed:
    if match := _ISO.fullmatch(text):
        y, m, d = (int(g) for g in match.groups())
        return Parsed(_make(y, m, d, original))
    if match := _NUMERIC_DATE.fullmatch(text):
        first, sep, second, year_text = match.groups()
        a, b, year = int(first), int(second), _year(year_text)
        if sep == "." or a > 12 or (day_first and b <= 12):
            return Parsed(_make(year, b, a, original))
        return Parsed(_make(year, a, b, original))
    if match := _DAY_MONTH_YEAR.fullmatch(text):
        month = _month(match.group(2))
        if month:
            return Parsed(_make(_year(match.group(3)), month, int(match.group(1)), original))
    if match := _MONTH_DAY_YEAR.fullmatch(text):
        month = _month(match.group(1))
        if month:
            return Parsed(_make(int(match.group(3)), month, int(match.group(2)), original))
    if match := _YEAR_MONTH.fullmatch(text):
        return _approx(_make(int(match.group(1)), int(match.group(2)), 1, original), original)
    if match := _MONTH_YEAR_NUM.fullmatch(text):
        return _approx(_make(int(match.group(2)), int(match.group(1)), 1, original), original)
    if (match := _MONTH_YEAR.fullmatch(text)) and (month := _month(match.group(1))):
        return _approx(_make(_year(match.group(2)), month, 1, original), original)
    if (match := _YY_MONTH.fullmatch(text)) and (month := _month(match.group(2))):
        return _approx(_make(_year(match.group(1)), month, 1, original), original)
    if match := _FISCAL_QUARTER.fullmatch(text):
        quarter = int(match.group(1) or match.group(4))
        start = _fiscal_year_start(_year(match.group(2) or match.group(3)), fy_start)
        return _approx(_shift_months(start, 3 * (quarter - 1)), original)
    if match := _FISCAL_YEAR.fullmatch(text):
        return _approx(_fiscal_year_start(_year(match.group(1)), fy_start), original)
    if match := _QUARTER.fullmatch(text):
        quarter = int(match.group(1) or match.group(4))
        year = int(match.group(2) or match.group(3))
        return _approx(dt.date(year, 3 * (quarter - 1) + 1, 1), original)
    if match := _YEAR.fullmatch(text):
        year = int(match.group(1))
        if 1900 <= year <= 2200:
            return _approx(dt.date(year, 1, 1), original)
    raise BadValue(f"{describe(original)} is not a date (write it as YYYY-MM-DD)")


def parse_date(
    value: object, *, strict: bool = False, day_first: bool = False, fy_start_month: int = 10
) -> Parsed:
    """A date; strict reads only YYYY-MM-DD (a time after it is dropped)."""
    if isinstance(value, dt.datetime):
        return Parsed(value.date())
    if isinstance(value, dt.date):
        return Parsed(value)
    if strict:
        try:
            return Parsed(dt.date.fromisoformat(str(value).strip()[:10]))
        except ValueError:
            raise BadValue(f'"{value}" is not a date (YYYY-MM-DD)') from None
    if isinstance(value, bool):
        raise BadValue(f"{describe(value)} is not a date")
    if isinstance(value, int | float):
        if float(value).is_integer() and 1900 <= value <= 2200:
            return _approx(dt.date(int(value), 1, 1), value)
        if 1 <= value < 2_958_466:  # an Excel serial day number left unformatted
            return Parsed(_EXCEL_EPOCH + dt.timedelta(days=int(value)))
        raise BadValue(f"{describe(value)} is not a date")
    if not isinstance(value, str):
        raise BadValue(f"{describe(value)} is not a date")
    if is_null(value, soft=True):
        return Parsed(None)
    text = squash(value).lower()
    try:
        return _parse_date_text(text, value, day_first, fy_start_month)
    except BadValue:
        # "2022-08 (estimated)": read the date, keep the remark in the note.
        match = _TRAILING_REMARK.fullmatch(text)
        if not match:
            raise
        parsed = _parse_date_text(match.group(1), value, day_first, fy_start_month)
        assert isinstance(parsed.value, dt.date)
        return Parsed(
            parsed.value,
            f"{describe(value)}: read as {parsed.value.isoformat()}, the remark was left out",
        )


def parse_datetime(value: object) -> Parsed:
    """A date and time in UTC, to the second (strict: ISO 8601; naive means UTC)."""
    if isinstance(value, dt.datetime):
        stamp = value
    elif isinstance(value, dt.date):
        stamp = dt.datetime.combine(value, dt.time())
    else:
        try:
            stamp = dt.datetime.fromisoformat(str(value).strip())
        except ValueError:
            raise BadValue(f'"{value}" is not a date and time (YYYY-MM-DD HH:MM:SS)') from None
    # Spreadsheets have no time zones: riskdesk writes UTC wall-clock time.
    stamp = stamp.astimezone(dt.UTC) if stamp.tzinfo is not None else stamp.replace(tzinfo=dt.UTC)
    # Excel keeps times as fractions of a day; riskdesk stores whole seconds.
    return Parsed((stamp + dt.timedelta(microseconds=500_000)).replace(microsecond=0))
