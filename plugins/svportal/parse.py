"""Cell parsers for the spreadsheet forms staff publish.

Each parser takes a pandas Series of stripped, non-empty strings and returns the
parsed values plus a boolean mask of the cells it could not read. They are
vectorised: the common form is parsed in one pass and only the cells that fail
it are tried against the alternative spreadsheet form.
"""

from __future__ import annotations

import re
from functools import lru_cache

import pandas as pd
from slugify import slugify as _slugify

ISO_DATE = r"\d{4}-\d{2}-\d{2}"
UK_DATE = r"\d{1,2}/\d{1,2}/\d{4}"

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
    """Read ISO ``YYYY-MM-DD`` or UK ``DD/MM/YYYY`` dates.

    Returns (datetime64 series, mask of cells that are not a real date in
    either form). ``31/02/2024`` and ``2024-13-01`` are errors, not guesses.
    """
    values = _within_form_length(values)
    iso = values.str.fullmatch(ISO_DATE)
    uk = values.str.fullmatch(UK_DATE)
    parsed = pd.Series(pd.NaT, index=values.index, dtype="datetime64[ns]")
    if iso.any():
        parsed[iso] = pd.to_datetime(values[iso], format="%Y-%m-%d", errors="coerce")
    if uk.any():
        parsed[uk] = pd.to_datetime(values[uk], format="%d/%m/%Y", errors="coerce")
    bad = parsed.isna()
    return parsed, bad


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
