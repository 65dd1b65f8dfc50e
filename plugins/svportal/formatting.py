"""How values read on the page: money as £1,234,567, dates as 5 April 2024.

These are Jinja filters; each takes a value that may be missing (None) and
returns text. A missing value is shown as the ``missing`` text, never as
``nan``, ``None`` or ``NaT``.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Context, Decimal

from . import units
from .parse import UK_TIME

MISSING = "Not published"
WIDE = Context(prec=400)  # room for every digit of any finite float


def is_missing(value) -> bool:
    if value is None:
        return True
    try:
        import pandas as pd

        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def rounded(value, places: int = 0) -> Decimal:
    """``value`` rounded half away from zero to ``places`` decimals, as people round (2.5 -> 3, 0.125 -> 0.13).

    Goes through the shortest text of the float, so 0.125 is a half and 0.49999999999999994 is not.
    """
    return Decimal(repr(float(value))).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP, context=WIDE)


def money(value, missing: str = MISSING, pence: bool = False) -> str:
    """``1234567.5`` -> ``£1,234,568``; ``-20`` -> ``-£20`` (whole pounds, rounded half up).

    Totals read in whole pounds. A unit value (``pence=True``, such as a measure's pounds per unit) keeps
    its pence when it has any, to the penny: ``16.5`` -> ``£16.50``, ``14500`` -> ``£14,500``.
    """
    if is_missing(value):
        return missing
    if pence:
        amount = rounded(value, 2) + 0
        if amount != amount.to_integral_value():
            return f"-£{-amount:,.2f}" if amount < 0 else f"£{amount:,.2f}"
    pounds = rounded(value) + 0  # + 0: no minus zero
    return f"-£{-pounds:,}" if pounds < 0 else f"£{pounds:,}"


def number(value, missing: str = MISSING, places: int = 2) -> str:
    """``1234.50`` -> ``1,234.5``; ``12.0`` -> ``12``: at most ``places`` decimals, no trailing zeros."""
    if is_missing(value):
        return missing
    text = f"{rounded(value, places) + 0:,.{places}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def percent(value, missing: str = MISSING) -> str:
    """``84.6`` -> ``85%``."""
    if is_missing(value):
        return missing
    return f"{rounded(value) + 0:,}%"


def date(value, missing: str = MISSING) -> str:
    """A date as GOV.UK writes it: ``5 April 2024``."""
    if is_missing(value):
        return missing
    if isinstance(value, str):
        value = dt.date.fromisoformat(value)
    return f"{value.day} {value:%B %Y}"


def time_of_day(value: dt.datetime) -> str:
    """A time as GOV.UK writes it: ``12pm``, ``5:30pm``, ``9am``, ``12am`` (seconds are left out)."""
    hour = value.hour % 12 or 12
    minutes = f":{value.minute:02d}" if value.minute else ""
    return f"{hour}{minutes}{'am' if value.hour < 12 else 'pm'}"


def uk_time(value: dt.datetime) -> dt.datetime:
    """A date-time as the clocks in the UK show it (one without an offset is taken to be UK time already)."""
    return value.astimezone(UK_TIME) if value.tzinfo else value


def date_time(value, missing: str = MISSING) -> str:
    """A date (``1 December 2026``) or a date and time in UK time (``12pm on 1 December 2026``)."""
    if is_missing(value):
        return missing
    if isinstance(value, dt.datetime):
        local = uk_time(value)
        return f"{time_of_day(local)} on {date(local.date())}"
    return date(value)


def short_date(value, missing: str = MISSING) -> str:
    """``5 Apr 2024``, for dense tables."""
    if is_missing(value):
        return missing
    return f"{value.day} {value:%b %Y}"


def iso_date(value, missing: str = "") -> str:
    if is_missing(value):
        return missing
    return f"{value:%Y-%m-%d}"


def yes_no(value, missing: str = MISSING) -> str:
    if is_missing(value):
        return missing
    return "Yes" if value else "No"


def with_unit(value, unit: str, missing: str = MISSING, expected: bool = False) -> str:
    """A quantity in its measure's unit: ``£12,000``, ``45%``, ``12.5 FTE``, ``1 person``, ``3 people``.

    A count unit (units.py) agrees with its number; an ``expected`` amount of one (an estimate, such as
    the target shared out over time) reads as a whole number, rounded half up: ``29.98`` -> ``30 people``.
    Delivered amounts are written as given. Other units keep up to two decimals and their own word.
    """
    if is_missing(value):
        return missing
    if unit == "GBP":
        return money(value, missing)
    if unit in ("percent", "%"):
        return f"{number(value, missing, 1)}%"
    if not units.is_count(unit):
        return f"{number(value, missing)} {unit}"
    text = number(value, missing, 0 if expected else 2)
    return f"{text} {units.agreeing(unit, text)}"


FILTERS = {
    "money": money,
    "number": number,
    "percent": percent,
    "date": date,
    "date_time": date_time,
    "short_date": short_date,
    "iso_date": iso_date,
    "yes_no": yes_no,
    "with_unit": with_unit,
}


# What makes a spreadsheet read a cell as a formula (OWASP, "CSV Injection"), full-width forms included
FORMULA_STARTS = frozenset("=+-@\uff1d\uff0b\uff0d\uff20")
CONTROL_STARTS = frozenset("\t\r\n")


def neutralise_formula(text: str) -> str:
    """Text as a spreadsheet will show it, never run it: prefixed with ``'`` if it could start a formula.

    That is text beginning with ``=``, ``+``, ``-`` or ``@`` (or their full-width forms ``＝ ＋ － ＠``),
    also after leading spaces, or beginning with a tab or a line break (OWASP's guidance on CSV
    injection). Only for text: numbers, dates and yes/no values are written as they are.
    """
    first = text[:1]
    if first in FORMULA_STARTS or first in CONTROL_STARTS or (first.isspace() and text.lstrip()[:1] in FORMULA_STARTS):
        return "'" + text
    return text
