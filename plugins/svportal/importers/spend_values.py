"""The cells of a Transparency Code spend file, read the ways councils write them. Pure functions of one cell.

* Amounts (:func:`amount_text`): ``1234.50``, ``£1,234.50``, ``GBP 1234.5``, and negatives (credit notes)
  as ``-12.00``, ``-£12``, ``£-12``, ``(1,234.50)``, ``12.00-`` or ``12.00 CR``. Thousands separators must
  group by three (``12,34`` is refused, not guessed at). The result is the contract's plain form:
  ``1234.5``, ``-12``.
* Dates (:func:`date_text`): ``31/03/2026`` (or ``31-03-2026``, ``31.03.2026``, ``1/4/2026``), ``2026-03-31``
  (a time after it, as in ``2026-03-31 00:00:00`` or ``2026-03-31T00:00:00Z``, is dropped: the date is kept
  as written), and ``31-Mar-2026`` or ``31 March 2026``. Two-digit years are refused: they are a guess.
* Redactions (:func:`is_redaction`): the words councils put in place of a payee's name when they withhold it
  (``REDACTED``, ``Redacted personal data``, ``Name withheld``, ``Private individual``...).
* Blanks (:func:`is_blank_marker`): ``NA``, ``N/A``, ``#N/A``, ``NULL``, ``-`` and the like mean "none".
* Text (:func:`clean_text`): one line, single spaces, no control characters.

Each parser raises :class:`CellError` with the reason a value cannot be read.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from ..parse import FIRST_DAY, LAST_DAY, ONE_LINE_FORBIDDEN
from .datafiles import number_text

AMOUNT_FORMS = "write e.g. 1234.50, £1,234.50, -12.00 or (12.00)"
DATE_FORMS = "write DD/MM/YYYY, YYYY-MM-DD or 31-Mar-2026"


class CellError(ValueError):
    """A cell that cannot be read; the message says why (without the cell's text: the caller quotes it)."""


# --- amounts --------------------------------------------------------------------------------------------

_PLAIN = re.compile(r"-?\d+(?:\.\d+)?")
_DIGITS = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|\.\d+"
_AMOUNT = re.compile(
    r"(?P<open>\()?\s*(?P<lead>[-\u2212])?\s*(?:£|GBP)?\s*(?P<inner>[-\u2212])?\s*"
    rf"(?P<number>{_DIGITS})\s*(?P<trail>-|CR)?\s*(?P<close>\))?",
    re.IGNORECASE,
)


@lru_cache(maxsize=1 << 16)
def amount_text(text: str) -> str:
    """The amount in ``text`` in the contract's plain form (``-1234.5``); CellError if it is not one."""
    if _PLAIN.fullmatch(text):  # the usual form, as most files write it
        return number_text(Decimal(text))
    return number_text(parse_amount(text))


def parse_amount(text: str) -> Decimal:
    """An amount of money as a Decimal (negative for a credit note); CellError if ``text`` is not one."""
    found = _AMOUNT.fullmatch(text.strip()) if len(text) <= 60 else None
    if not found:
        raise CellError("is not an amount of money: " + AMOUNT_FORMS)
    parts = found.groupdict()
    if bool(parts["open"]) != bool(parts["close"]):
        raise CellError("has an unmatched bracket: " + AMOUNT_FORMS)
    signs = sum(bool(parts[name]) for name in ("open", "lead", "inner", "trail"))
    if signs > 1:
        raise CellError("says twice that it is negative: " + AMOUNT_FORMS)
    try:
        value = Decimal(parts["number"].replace(",", ""))
    except InvalidOperation:  # (the pattern admits only numerals; kept for safety)
        raise CellError("is not an amount of money: " + AMOUNT_FORMS) from None
    return -value if signs else value


# --- dates ----------------------------------------------------------------------------------------------

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
_TIME = r"(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?(?:Z|[+-]\d{2}(?::?\d{2})?)?)?"
_ISO = re.compile(rf"(?P<y>\d{{4}})-(?P<m>\d{{1,2}})-(?P<d>\d{{1,2}}){_TIME}")
_UK = re.compile(rf"(?P<d>\d{{1,2}})(?P<sep>[/.-])(?P<m>\d{{1,2}})(?P=sep)(?P<y>\d{{2,4}}){_TIME}")
_NAMED = re.compile(rf"(?P<d>\d{{1,2}})[ -](?P<month>[A-Za-z]{{3,9}})\.?[ -](?P<y>\d{{2,4}}){_TIME}")


@lru_cache(maxsize=1 << 14)
def date_text(text: str) -> str:
    """The date in ``text`` as ``YYYY-MM-DD``; CellError if it is not a date."""
    return parse_date(text).isoformat()


def parse_date(text: str) -> dt.date:
    """A date written as a spend file writes it (see the module docstring); CellError if it is not one."""
    text = text.strip()
    found = (_ISO.fullmatch(text) or _UK.fullmatch(text) or _NAMED.fullmatch(text)) if len(text) <= 40 else None
    if not found:
        raise CellError("is not a date: " + DATE_FORMS)
    parts = found.groupdict()
    if len(parts["y"]) != 4:
        raise CellError("has a year of fewer than 4 digits, which could be any century: write the year in full")
    if "month" in parts:
        month = _MONTHS.get(parts["month"].casefold())
        if month is None:
            raise CellError("is not a date: the month is not a month's name: " + DATE_FORMS)
    else:
        month = int(parts["m"])
    try:
        day = dt.date(int(parts["y"]), month, int(parts["d"]))
    except ValueError:
        raise CellError("is not a date: there is no such day") from None
    if not FIRST_DAY <= day <= LAST_DAY:
        raise CellError(f"is not a date the portal can read: the year must be from {FIRST_DAY.year} to {LAST_DAY.year}")
    return day


# --- redactions and blanks ----------------------------------------------------------------------------

# A withheld name: one of these words anywhere in it...
REDACTION_WORDS = frozenset({"redacted", "redact", "redaction", "withheld"})
# ...or the whole name is one of these (compared in lower case, punctuation as spaces)
REDACTION_NAMES = frozenset(
    {
        "personal data",
        "personal information",
        "personal",
        "private individual",
        "individual",
        "private",
        "confidential",
        "not disclosed",
        "name not disclosed",
        "data protection",
        "sensitive",
    }
)
_NOT_LETTERS = re.compile(r"[^a-z0-9]+")


@lru_cache(maxsize=1 << 16)
def is_redaction(text: str) -> bool:
    """``text`` is a council's word for a withheld name (``REDACTED``, ``Redacted - personal data``), or only
    symbols such as ``*****`` or ``XXXXX``."""
    words = _NOT_LETTERS.sub(" ", text.casefold()).split()
    if not words:
        return bool(text.strip())  # only symbols: "*****"
    if REDACTION_WORDS.intersection(words) or " ".join(words) in REDACTION_NAMES:
        return True
    return len(words) == 1 and set(words[0]) == {"x"} and len(words[0]) >= 3  # XXXXX


BLANK_MARKERS = frozenset({"na", "n/a", "#n/a", "n.a.", "null", "none", "nil", "-", "--", "---", "."})


def is_blank_marker(text: str) -> bool:
    """``text`` is a spreadsheet's way of writing "nothing" (``NA``, ``N/A``, ``NULL``, ``-``...)."""
    return len(text) <= 4 and text.casefold() in BLANK_MARKERS


# --- text -----------------------------------------------------------------------------------------------


# C1 control characters in text are, in practice, Windows-1252 characters read as Latin-1 on the way
# (0x96 is Windows-1252's en dash): they are read as those characters. The five bytes Windows-1252 leaves
# undefined stay control characters, and are removed.
_C1 = str.maketrans(
    {
        chr(byte): bytes([byte]).decode("cp1252")
        for byte in range(0x80, 0xA0)
        if byte not in (0x81, 0x8D, 0x8F, 0x90, 0x9D)
    }
)


def clean_text(text: str) -> tuple[str, bool]:
    """``text`` on one line with single spaces and no control characters; and whether it had any (read as
    Windows-1252 characters, or removed: see ``_C1``).

    Line breaks, tabs and runs of spaces become one space (they carry no meaning in a spend file's cells).
    """
    if text.isprintable() and "  " not in text and text == text.strip():
        return text, False
    joined = " ".join(text.split())
    if joined.isprintable() or not ONE_LINE_FORBIDDEN.search(joined):
        return joined, False
    cleaned = " ".join(ONE_LINE_FORBIDDEN.sub(" ", joined.translate(_C1)).split())
    return cleaned, True
