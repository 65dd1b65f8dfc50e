"""One 360Giving value as the text of a grants.csv cell, by the type of the column it goes into.

Pure: ``cell_text(value, field)`` returns (text, None) or ("", why it cannot be kept). The forms written are
the ones the loader reads back as the same value: amounts as plain numbers (``2266``, ``4779.54``; the
spreadsheet forms ``£2,266.00`` and ``2,266`` are read), dates as ISO dates (a date-time keeps its date as
written: ``2022-05-03T18:09:56Z`` is ``2022-05-03``; Excel dates are dates), yes/no for the open-call
question. Text is kept as written, identifiers with their apostrophes; only the ends are trimmed, and a
one-line column gets a space for each line break or tab.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation

from ..parse import GROUPED_NUMBER, ISO_DATE, PLAIN_NUMBER, UK_DATE, parse_date_time
from ..schema import Field
from .datafiles import number_text

_LINE_BREAKS = re.compile(r"[\t\r\n\u2028\u2029\x85\x0b\x0c]+")
_PLAIN = re.compile(PLAIN_NUMBER)
_GROUPED = re.compile(GROUPED_NUMBER)
_ISO_DATE = re.compile(ISO_DATE)
_UK_DATE = re.compile(UK_DATE)
MAX_FORM_LENGTH = 100  # no number, date or yes/no is longer


def is_blank(value) -> bool:
    """No value: null, an empty or blank string, an empty array or object."""
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, (list, dict)):
        return not value
    return False


def cell_text(value, f: Field) -> tuple[str, str | None]:
    """The cell text of ``value`` in column ``f`` ('' for a blank), or ('', why it cannot be kept)."""
    if is_blank(value):
        return "", None
    if isinstance(value, (list, dict)):
        return "", "is a list of values, not one value" if isinstance(value, list) else "is an object, not one value"
    if f.type in ("number", "integer"):
        return _number(value)
    if f.type == "date":
        return _date(value)
    if f.type == "boolean":
        return _boolean(value, f)
    return _text(value, f.multiline), None


def _text(value, multiline: bool) -> str:
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, (int, float, Decimal)):
        return number_text(Decimal(repr(value)) if isinstance(value, float) else Decimal(value))
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value)
    if multiline:
        return text.replace("\r\n", "\n").replace("\r", "\n").strip()
    return _LINE_BREAKS.sub(" ", text).strip()


def _number(value) -> tuple[str, str | None]:
    if isinstance(value, bool):
        return "", "is yes or no, not a number"
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            return "", "is not a number"
        return number_text(Decimal(repr(value))), None
    if isinstance(value, (int, Decimal)):
        if isinstance(value, Decimal) and not value.is_finite():
            return "", "is not a number"
        return number_text(Decimal(value)), None
    if isinstance(value, (dt.date, dt.datetime)):
        return "", "is a date, not a number"
    text = str(value).strip()
    if len(text) <= MAX_FORM_LENGTH:
        text = re.sub(r"^(-?)\s*£\s*", r"\1", text)
        if _GROUPED.fullmatch(text):
            text = text.replace(",", "")
        if _PLAIN.fullmatch(text):
            try:
                return number_text(Decimal(text)), None
            except InvalidOperation:  # (the pattern admits only numerals)
                pass
    return "", "is not a number: write it in digits, such as 1500 or 1500.50"


def _date(value) -> tuple[str, str | None]:
    if isinstance(value, dt.datetime):
        return value.date().isoformat(), None
    if isinstance(value, dt.date):
        return value.isoformat(), None
    if not isinstance(value, str):
        return "", "is not a date: 360Giving dates are written YYYY-MM-DD"
    text = value.strip()
    if len(text) > MAX_FORM_LENGTH:
        return "", "is not a date: 360Giving dates are written YYYY-MM-DD"
    try:
        if _ISO_DATE.fullmatch(text):
            return dt.date.fromisoformat(text).isoformat(), None
        if _UK_DATE.fullmatch(text):
            return dt.datetime.strptime(text, "%d/%m/%Y").date().isoformat(), None
    except ValueError:
        return "", f"is not a date: there is no day {text}"
    moment = parse_date_time(text)
    if moment is not None:
        return text[:10], None  # the date as written, whatever the offset (as the loader reads it)
    if re.fullmatch(r"\d{4}(?:-\d{2})?", text):
        return "", "is only a year or a month: the portal keeps whole dates (YYYY-MM-DD)"
    return "", "is not a date: 360Giving dates are written YYYY-MM-DD (or as a date and time)"


def _boolean(value, f: Field) -> tuple[str, str | None]:
    if isinstance(value, bool):
        return ("yes" if value else "no"), None
    text = str(value).strip().casefold()
    if text in {v.casefold() for v in f.descriptor.get("trueValues", ("yes",))}:
        return "yes", None
    if text in {v.casefold() for v in f.descriptor.get("falseValues", ("no",))}:
        return "no", None
    return "", "is not Yes or No"
