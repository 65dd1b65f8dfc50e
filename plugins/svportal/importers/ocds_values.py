"""OCDS values as the data contract's cells: text, dates, pounds, CPV codes, links, organisation ids, codes.

Each function reads one value of a :class:`~.ocds_record.Record` and returns the cell's text ('' for
none). A value that has to be corrected to fit (a status outside the codelist, an unknown currency, an
http link, a line break in a title) is used as well as it can be, with a warning; a value that cannot be
used at all is a loss-report line with the reason. Nothing here writes files.
"""

from __future__ import annotations

import csv
import re
from decimal import Decimal, InvalidOperation
from functools import cache
from pathlib import Path

from .. import orgid
from ..identity import EMAIL_ADDRESS
from ..parse import MULTI_LINE_FORBIDDEN, ONE_LINE_FORBIDDEN, character_problem, parse_date_time, url_problem
from .datafiles import cell
from .ocds_record import Record

CODELISTS = Path(__file__).resolve().parent.parent / "reference" / "ocds" / "1.1.5" / "codelists"
POUNDS = "GBP"
URL_MAX_LENGTH = 2000
_URL = re.compile(r"https?://[^\s/?#]+[^\s]*", re.IGNORECASE)
_CPV = re.compile(r"(\d{8})(?:-\d)?")
_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


@cache
def codes(codelist: str) -> frozenset[str]:
    """The codes of one of the OCDS 1.1.5 codelists shipped in reference/ocds/."""
    with (CODELISTS / codelist).open(encoding="utf-8", newline="") as stream:
        return frozenset(row["Code"] for row in csv.DictReader(stream))


# --- text -------------------------------------------------------------------------------------------


def text(rec: Record, path, limit: int, *, multiline: bool = False, use: bool = True) -> str:
    """A text value fitted to a column: one line (or paragraphs), no control characters, at most ``limit``."""
    value = rec.get(*path, use=use)
    if value is None:
        return ""
    if not isinstance(value, str):
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            value = cell(value)
        else:
            rec.lose(path, value, "is not text")
            return ""
    return fit_text(rec, path, value, limit, multiline=multiline)


def fit_text(rec: Record, path, value: str, limit: int, *, multiline: bool = False) -> str:
    if value.isprintable():  # the usual case: no line break, tab or control character to look for
        cleaned = value.strip() if multiline else " ".join(value.split())
    elif multiline:
        breaks = value.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n\n")
        breaks = breaks.replace("\t", " ")
        cleaned = MULTI_LINE_FORBIDDEN.sub("", breaks)
        if cleaned != breaks:
            rec.warn(path, "control characters a web page cannot show were taken out")
        cleaned = cleaned.strip()
    else:
        cleaned = " ".join(ONE_LINE_FORBIDDEN.sub(" ", value).split())
    if len(cleaned) > limit:
        rec.warn(path, f"is {len(cleaned):,} characters long: cut to the column's {limit:,}")
        rec.lose(path, value, f"the text after character {limit - 1:,} is not shown")
        cleaned = cleaned[: limit - 1].rstrip() + "…"
    return cleaned


# --- dates ------------------------------------------------------------------------------------------


def day(rec: Record, path) -> str:
    """The calendar date of an OCDS date-time, as written (``2020-10-22T00:00:00+01:00`` -> ``2020-10-22``)."""
    value = rec.get(*path)
    if value is None:
        return ""
    if isinstance(value, str):
        value = value.strip()
        if _ISO_DAY.fullmatch(value) and parse_date_time(value + "T00:00Z"):
            return value
        moment = parse_date_time(value)
        if moment is not None and 1678 < moment.year < 2261:
            return value[:10]
    rec.warn(path, f"{_shown(value)} is not a date and time such as 2026-12-01T12:00:00Z")
    rec.lose(path, value, "not a date")
    return ""


def moment(rec: Record, path) -> str:
    """An OCDS date-time as written (its time and offset kept), or a date alone."""
    value = rec.get(*path)
    if value is None:
        return ""
    if isinstance(value, str):
        value = value.strip()
        if _ISO_DAY.fullmatch(value) and parse_date_time(value + "T00:00Z"):
            return value
        found = parse_date_time(value)
        if found is not None and 1678 < found.year < 2261:
            return value
    rec.warn(path, f"{_shown(value)} is not a date and time such as 2026-12-01T12:00:00Z")
    rec.lose(path, value, "not a date and time")
    return ""


# --- money ------------------------------------------------------------------------------------------


def pounds(rec: Record, path) -> str:
    """The amount of an OCDS Value object in pounds ('' if there is none or it is in another currency).

    No currency, or a currency that is not in the ISO 4217 codelist (``GPB``, ``£``): read as pounds, with a
    warning. Another real currency: not converted, a loss-report line.
    """
    value = rec.get(*path, use=False)
    if not isinstance(value, dict):
        if value is not None:
            rec.lose(path, value, "is not a Value object with an amount and a currency")
        return ""
    amount = rec.get(*path, "amount")
    currency = rec.get(*path, "currency")
    if amount is None:
        return ""
    try:
        number = Decimal(str(amount).replace(",", "").strip()) if not isinstance(amount, bool) else None
    except InvalidOperation:
        number = None
    if number is None or not number.is_finite():
        rec.warn((*path, "amount"), f"{_shown(amount)} is not a number")
        rec.lose((*path, "amount"), amount, "not a number")
        return ""
    if isinstance(amount, str):
        rec.warn((*path, "amount"), f"{_shown(amount)} is text, not a number: read as {cell(number)}")
    if number < 0:
        rec.warn((*path, "amount"), f"{cell(number)} is below zero: not imported")
        rec.lose((*path, "amount"), amount, "a negative amount")
        return ""
    if currency is None:
        rec.warn((*path, "currency"), f"no currency: {cell(number)} read as pounds")
    elif not isinstance(currency, str) or currency.strip().upper() not in codes("currency.csv"):
        rec.warn((*path, "currency"), f"{_shown(currency)} is not a currency code (ISO 4217): read as pounds")
        rec.lose((*path, "currency"), currency, "an unknown currency: the amount was read as pounds")
    elif currency.strip().upper() != POUNDS:
        rec.lose(path, value, f"in {currency.strip().upper()}: the portal shows amounts in pounds only")
        return ""
    return cell(number)


# --- codes, links, identifiers ----------------------------------------------------------------------


def cpv(rec: Record, path) -> str:
    """The 8-digit CPV code of a Classification (its check digit dropped); '' for other schemes."""
    scheme = rec.get(*path, "scheme", use=False)
    code = rec.get(*path, "id", use=False)
    if code is None:
        return ""
    if not isinstance(scheme, str) or scheme.strip().upper() != "CPV":
        rec.lose(path, rec.get(*path, use=False), f"a {scheme or 'classification without a scheme'} code, not CPV")
        return ""
    rec.use(*path)
    found = _CPV.fullmatch(str(code).strip())
    if not found:
        rec.warn((*path, "id"), f"{_shown(code)} is not a CPV code (8 digits, such as 85000000)")
        rec.lose((*path, "id"), code, "not a CPV code")
        return ""
    return found.group(1)


def link(rec: Record, path) -> str:
    """A web address a link can hold; http is kept, with a warning (https is preferred)."""
    value = rec.get(*path)
    if value is None:
        return ""
    address = value.strip() if isinstance(value, str) else ""
    wrong = None
    if not _URL.fullmatch(address):
        wrong = "is not a web address starting https://"
    elif len(address) > URL_MAX_LENGTH:
        wrong = f"is {len(address):,} characters long: the limit is {URL_MAX_LENGTH:,}"
    else:
        wrong = character_problem(address) or url_problem(address)
    if wrong:
        rec.warn(path, f"{_shown(value)} {wrong}: not imported")
        rec.lose(path, value, "not a usable web address")
        return ""
    if not address.lower().startswith("https://"):
        rec.warn(path, f"{_shown(value)} is http, not https: imported, but browsers may warn about it")
        rec.lose(path, value, "an http link: shown, but not secure (the publisher should give https)")
    return address


def email(rec: Record, path) -> str:
    value = rec.get(*path)
    if value is None:
        return ""
    address = value.strip() if isinstance(value, str) else ""
    if len(address) > 254 or not EMAIL_ADDRESS.fullmatch(address):
        rec.warn(path, f"{_shown(value)} is not an email address")
        rec.lose(path, value, "not an email address")
        return ""
    return address


def boolean(rec: Record, path) -> str:
    value = rec.get(*path)
    if value is None:
        return ""
    if isinstance(value, bool):
        return cell(value)
    if isinstance(value, str) and value.strip().lower() in ("true", "false"):
        rec.warn(path, f"{_shown(value)} is text, not true or false: read as {value.strip().lower()}")
        return cell(value.strip().lower() == "true")
    rec.lose(path, value, "not true or false")
    return ""


def org_id(rec: Record, path) -> str:
    """An organisation's identifier: its ``identifier`` (scheme and id), else its own ``id`` when that is an
    org-id (``GB-CFS-123209``, ``GB-PPON-PABC-1234-WXYZ``), else ''."""
    scheme = rec.get(*path, "identifier", "scheme", use=False)
    local = rec.get(*path, "identifier", "id", use=False)
    candidates = []
    if isinstance(scheme, str) and scheme.strip() and local is not None and str(local).strip():
        candidates.append((f"{scheme.strip()}-{str(local).strip()}", ("identifier",)))
    own = rec.get(*path, "id", use=False)
    if own is not None and str(own).strip():
        candidates.append((str(own).strip(), ("id",)))
    for value, where in candidates:
        checked = orgid.check(value)
        if checked.identifier is not None and len(checked.identifier) <= 100:
            rec.use(*path, *where)
            if where == ("identifier",):
                rec.use(*path, "id")
            return checked.identifier
    if candidates and candidates[0][1] == ("identifier",):
        rec.warn((*path, "identifier"), f"{_shown(candidates[0][0])} is not an organisation identifier: not imported")
    return ""


def _shown(value) -> str:
    """A value for a message: quoted, one line, at most 60 characters."""
    shown = repr(value) if not isinstance(value, str) else f"'{value}'"
    shown = " ".join(shown.split())
    return shown if len(shown) <= 60 else shown[:57] + "..."
