"""Cell parsers for the spreadsheet forms staff publish.

Each parser takes a pandas Series of stripped, non-empty strings and returns the
parsed values plus a boolean mask of the cells it could not read. They are
vectorised: the common form is parsed in one pass and only the cells that fail
it are tried against the alternative spreadsheet form.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache
from zoneinfo import ZoneInfo

import pandas as pd
from slugify import slugify as _slugify

ISO_DATE = r"\d{4}-\d{2}-\d{2}"
UK_DATE = r"\d{1,2}/\d{1,2}/\d{4}"
# An ISO 8601 (RFC 3339) date and time: 2026-12-01T12:00:00Z, 2020-10-22T00:00:00+01:00, 2026-12-01T12:00,
# 2026-12-01 17:30:00.123+0100. Seconds, fractions and the offset may be left out; a T or a space separates.
ISO_DATE_TIME = (
    r"(?P<date>\d{4}-\d{2}-\d{2})[T ](?P<hour>\d{2}):(?P<minute>\d{2})"
    r"(?::(?P<second>\d{2})(?:[.,](?P<fraction>\d{1,9}))?)?"
    r"(?P<offset>Z|[+-](?P<offset_hours>\d{2})(?::?(?P<offset_minutes>\d{2}))?)?"
)
_ISO_DATE_TIME = re.compile(ISO_DATE_TIME)
# The time of a date-time written without an offset: the time in the UK.
UK_TIME = ZoneInfo("Europe/London")
DATE_FORMS = "write YYYY-MM-DD or DD/MM/YYYY, or a date and time such as 2026-12-01T12:00:00Z or 2026-06-01T17:30+01:00"

# 1234 or 1234.5 (plain), with an optional leading minus sign
PLAIN_NUMBER = r"-?\d+(?:\.\d+)?"
# 1,234 or 1,234,567.50 (thousands groups of exactly three digits)
GROUPED_NUMBER = r"-?\d{1,3}(?:,\d{3})+(?:\.\d+)?"

# No date, number or yes/no is longer: longer cells are unreadable without being looked at (a 10 MB cell
# would otherwise go through every pattern).
MAX_FORM_LENGTH = 100


def _within_form_length(values: pd.Series) -> pd.Series:
    """The cells, with those too long to be any form blanked (so every parser reports them as unreadable)."""
    return values.where(values.str.len() <= MAX_FORM_LENGTH, "")


def parse_dates(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Read ISO ``YYYY-MM-DD`` or UK ``DD/MM/YYYY`` dates, or ISO 8601 date-times (the date as written).

    Returns (datetime64 series, mask of cells that are not a real date in
    any form). ``31/02/2024`` and ``2024-13-01`` are errors, not guesses. A
    date-time gives its calendar date as written, whatever its offset:
    ``2020-10-22T00:00:00+01:00`` is 22 October 2020 (not the 21st, as in UTC);
    its time must be a real time of day and its offset a real offset.
    """
    values = _within_form_length(values)
    iso = values.str.fullmatch(ISO_DATE)
    uk = values.str.fullmatch(UK_DATE)
    parsed = pd.Series(pd.NaT, index=values.index, dtype="datetime64[ns]")
    if iso.any():
        parsed[iso] = _in_range(pd.to_datetime(values[iso], format="%Y-%m-%d", errors="coerce"))
    if uk.any():
        parsed[uk] = _in_range(pd.to_datetime(values[uk], format="%d/%m/%Y", errors="coerce"))
    timed = ~(iso | uk) & values.str.len().ge(16)  # the shortest date-time: 2026-12-01T12:00
    if timed.any():
        moments = [parse_date_time(value) for value in values[timed]]
        days = [None if moment is None else moment.date().isoformat() for moment in moments]
        days = pd.Series(days, index=values.index[timed], dtype=object)
        parsed[timed] = _in_range(pd.to_datetime(days, format="%Y-%m-%d", errors="coerce"))
    bad = parsed.isna()
    return parsed, bad


FIRST_DAY, LAST_DAY = dt.date(1678, 1, 1), dt.date(2261, 12, 31)  # the dates pandas can hold, in whole years


def _in_range(days: pd.Series) -> pd.Series:
    """Dates as datetime64[ns], those pandas cannot hold (before 1678, after 2261) as NaT."""
    keep = days.notna() & (days >= pd.Timestamp(FIRST_DAY)) & (days <= pd.Timestamp(LAST_DAY))
    return days.where(keep).astype("datetime64[ns]")


def parse_date_time(text: str) -> dt.datetime | None:
    """An ISO 8601 date-time as written, with its offset (UK time when it has none), or None if it is not one.

    ``2026-12-01T12:00:00Z`` is noon UTC; ``2020-10-22T00:00:00+01:00`` keeps its +01:00. Fractions of a
    second are kept to the microsecond. Hours run 00 to 23, minutes and seconds 00 to 59, offsets up to 23:59.
    """
    found = _ISO_DATE_TIME.fullmatch(text) if len(text) <= MAX_FORM_LENGTH else None
    if not found:
        return None
    parts = found.groupdict()
    try:
        day = dt.date.fromisoformat(parts["date"])
        hour, minute, second = int(parts["hour"]), int(parts["minute"]), int(parts["second"] or 0)
        micro = int((parts["fraction"] or "0").ljust(6, "0")[:6])
        if parts["offset"] is None:
            zone = UK_TIME
        elif parts["offset"] == "Z":
            zone = dt.UTC
        else:
            sign = -1 if parts["offset"].startswith("-") else 1
            hours, minutes = int(parts["offset_hours"]), int(parts["offset_minutes"] or 0)
            if hours > 23 or minutes > 59:
                return None
            zone = dt.timezone(sign * dt.timedelta(hours=hours, minutes=minutes))
        return dt.datetime(day.year, day.month, day.day, hour, minute, second, micro, tzinfo=zone)
    except ValueError:  # no such day, hour, minute or second
        return None


def parse_dates_or_date_times(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Read a column that holds a date or a date-time in each cell (``timeOptional``).

    Returns (object series of ``datetime.date`` for a date and aware ``datetime.datetime`` for a date-time,
    its offset as written; mask of unreadable cells). A date-time without an offset is UK time.
    """
    values = _within_form_length(values)
    days, bad = parse_dates(values)
    moments = [parse_date_time(value) for value in values]  # (a map would make them Timestamps, NaT for none)
    parsed = pd.Series(
        [
            None if pd.isna(day) else (moment if moment is not None else day.date())
            for moment, day in zip(moments, days)
        ],
        index=values.index,
        dtype=object,
    )
    return parsed, bad


def date_problem(text: str) -> str:
    """Why ``text`` is not a date (or a date-time), for the message of its cell."""
    if len(text) > MAX_FORM_LENGTH:
        return "is not a date: " + DATE_FORMS
    found = _ISO_DATE_TIME.fullmatch(text)
    written = found.group("date") if found else text
    for form in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            day = dt.datetime.strptime(written, form).date()
        except ValueError:
            continue
        if not FIRST_DAY <= day <= LAST_DAY:
            return f"is not a date the portal can read: write a year from {FIRST_DAY.year} to {LAST_DAY.year}"
    if found:
        parts = found.groupdict()
        try:
            dt.date.fromisoformat(parts["date"])
        except ValueError:
            return f"is not a date: there is no day {parts['date']}"
        if int(parts["hour"]) > 23 or int(parts["minute"]) > 59 or int(parts["second"] or 0) > 59:
            return "is not a date and time: the time of day runs from 00:00:00 to 23:59:59"
        return "is not a date and time: the offset must be Z or from -23:59 to +23:59, such as +01:00"
    if re.fullmatch(ISO_DATE, text) or re.fullmatch(UK_DATE, text):
        return f"is not a date: there is no day {text}"
    return "is not a date: " + DATE_FORMS


def parse_numbers(values: pd.Series, *, currency: bool = False, percent: bool = False) -> tuple[pd.Series, pd.Series]:
    """Read numbers; with ``currency`` also ``£1,234.50`` and ``1,234``.

    ``percent`` accepts a trailing ``%`` (``25%`` is 25). Returns (float
    series, mask of unreadable cells).
    """
    text = _within_form_length(values)
    if currency:
        text = text.str.replace(r"^(-?)\s*£\s*", r"\1", regex=True)
    if percent:
        text = text.str.replace(r"\s*%$", "", regex=True)
    plain = text.str.fullmatch(PLAIN_NUMBER)
    grouped = text.str.fullmatch(GROUPED_NUMBER) if currency else plain & False
    ok = plain | grouped
    cleaned = text.where(~grouped, text.str.replace(",", "", regex=False))
    parsed = pd.to_numeric(cleaned.where(ok), errors="coerce").astype("float64")
    return parsed, ~ok


def parse_booleans(values: pd.Series, true_values: list[str], false_values: list[str]) -> tuple[pd.Series, pd.Series]:
    """Read yes/no style booleans in any case; returns (boolean series, bad mask)."""
    lowered = _within_form_length(values).str.lower()
    trues = {v.lower() for v in true_values}
    falses = {v.lower() for v in false_values}
    is_true = lowered.isin(trues)
    is_false = lowered.isin(falses)
    parsed = pd.Series(pd.NA, index=values.index, dtype="boolean")
    parsed[is_true] = True
    parsed[is_false] = False
    return parsed, ~(is_true | is_false)


def split_list(value: str, delimiter: str = ";") -> tuple[str, ...]:
    """Split a ``;``-separated cell into its stripped, non-empty items."""
    return tuple(item.strip() for item in value.split(delimiter) if item.strip())


# Text in this alphabet has the slug python-slugify would give it by one substitution (tested against it).
_PLAIN_TEXT = re.compile(r"[A-Za-z0-9 ./_-]*")
_NOT_SLUG = re.compile(r"[^a-z0-9]+")


@lru_cache(maxsize=1 << 16)
def slugify(text: str) -> str:
    """The page-address form of an id or a name: ``MCC/ASC/2023/014`` -> ``mcc-asc-2023-014``."""
    if _PLAIN_TEXT.fullmatch(text):  # the common case, 30 times faster than transliterating
        return _NOT_SLUG.sub("-", text.lower()).strip("-")
    return _slugify(text, replacements=[["&", " and "], ["'", ""], ["\u2019", ""]])


# --- characters a cell may not contain ------------------------------------------------

LINE_BREAKS = "\r\n\u2028\u2029"  # (NEL, vertical tab and form feed are control characters below)
_CONTROL = "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f"  # C0 but tab, LF and CR; DEL; C1
_NONCHARACTERS = "\ufdd0-\ufdef" + "".join(  # U+FDD0 to U+FDEF, and the last two code points of each plane
    chr(plane + 0xFFFE) + chr(plane + 0xFFFF) for plane in range(0, 0x110000, 0x10000)
)
ONE_LINE_FORBIDDEN = re.compile(f"[\t{LINE_BREAKS}{_CONTROL}{_NONCHARACTERS}]")
MULTI_LINE_FORBIDDEN = re.compile(f"[{_CONTROL}{_NONCHARACTERS}]")
_ASCII_ONE_LINE_FORBIDDEN = re.compile("[\t\r\n\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")  # the same, for ASCII text
_ASCII_MULTI_LINE_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def forbidden_pattern(multiline: bool, ascii_only: bool = False) -> re.Pattern:
    """The characters a cell may not contain: control characters always, line breaks and tabs unless ``multiline``.

    ``ascii_only``: a quicker pattern, for text known to be ASCII.
    """
    if ascii_only:
        return _ASCII_MULTI_LINE_FORBIDDEN if multiline else _ASCII_ONE_LINE_FORBIDDEN
    return MULTI_LINE_FORBIDDEN if multiline else ONE_LINE_FORBIDDEN


def has_forbidden_characters(values: pd.Series, multiline: bool = False) -> pd.Series:
    """Mask of the cells with a character they may not contain.

    The whole column is looked at first, in one pass: a column where every character is printable (the
    usual case; tabs, line breaks and control characters are not) has none, and only a column where the
    pattern finds one is searched cell by cell.
    """
    none = pd.Series(False, index=values.index)
    joined = "".join(values)
    if joined.isprintable():
        return none
    if not forbidden_pattern(multiline, joined.isascii()).search(joined):
        return none
    pattern = forbidden_pattern(multiline)
    return values.map(lambda v: pattern.search(v) is not None).astype(bool)


def character_problem(value: str, multiline: bool = False) -> str | None:
    """Why ``value`` cannot be used as it is (its first forbidden character, named), or None."""
    found = forbidden_pattern(multiline).search(value)
    if not found:
        return None
    char, at = found.group(), f"(character {found.start() + 1})"
    if char in LINE_BREAKS:
        return f"has a line break {at}: this column must be one line"
    if char == "\t":
        return f"has a tab {at}: this column must be one line; use a space"
    code = f"U+{ord(char):04X}"
    if ord(char) >= 0xFDD0:
        return f"has {code} {at}, which is not a character: delete it"
    return f"has the invisible control character {code} {at}, which a web page cannot show: delete it"


# --- web addresses ----------------------------------------------------------------

_URL_SPELLINGS = {
    " ": "a space",
    '"': "a double quote",
    "<": "an angle bracket",
    ">": "an angle bracket",
    "`": "a backtick",
    "\\": "a backslash",
    "[": "a square bracket",
    "]": "a square bracket",
    "{": "a curly bracket",
    "}": "a curly bracket",
    "|": "a vertical bar",
    "^": "a caret",
}
_URL_FORBIDDEN = re.compile(r"[\s\"<>`\\\[\]{}|^]|%(?![0-9A-Fa-f]{2})")


def url_problem(value: str) -> str | None:
    """What a web address has that a link cannot contain (the HTML check of ``make publish`` refuses it), or None.

    Control characters are reported by ``character_problem``; this names spaces, quotes, brackets and the like,
    a % that does not start an escape, and a second #.
    """
    found = _URL_FORBIDDEN.search(value)
    if found:
        char = found.group()
        if char == "%":
            return "has a % that is not followed by two hexadecimal digits: write %25 for a per cent sign"
        spelled = _URL_SPELLINGS.get(char, f"the character U+{ord(char):04X}")
        escaped = "".join(f"%{byte:02X}" for byte in char.encode("utf-8"))
        return f"has {spelled}, which a web address cannot contain: write it as {escaped}"
    if value.count("#") > 1:
        return "has a second #, which a web address cannot contain: write it as %23"
    return None
