"""Cell parsers for the spreadsheet forms staff publish.

Each parser takes a pandas Series of stripped, non-empty strings and returns the
parsed values plus a boolean mask of the cells it could not read. They are
vectorised: the common form is parsed in one pass and only the cells that fail
it are tried against the alternative spreadsheet form.
"""

from __future__ import annotations

import pandas as pd
from slugify import slugify as _slugify

ISO_DATE = r"\d{4}-\d{2}-\d{2}"
UK_DATE = r"\d{1,2}/\d{1,2}/\d{4}"

# 1234 or 1234.5 (plain), with an optional leading minus sign
PLAIN_NUMBER = r"-?\d+(?:\.\d+)?"
# 1,234 or 1,234,567.50 (thousands groups of exactly three digits)
GROUPED_NUMBER = r"-?\d{1,3}(?:,\d{3})+(?:\.\d+)?"


def parse_dates(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Read ISO ``YYYY-MM-DD`` or UK ``DD/MM/YYYY`` dates.

    Returns (datetime64 series, mask of cells that are not a real date in
    either form). ``31/02/2024`` and ``2024-13-01`` are errors, not guesses.
    """
    iso = values.str.fullmatch(ISO_DATE)
    uk = values.str.fullmatch(UK_DATE)
    parsed = pd.Series(pd.NaT, index=values.index, dtype="datetime64[ns]")
    if iso.any():
        parsed[iso] = pd.to_datetime(values[iso], format="%Y-%m-%d", errors="coerce")
    if uk.any():
        parsed[uk] = pd.to_datetime(values[uk], format="%d/%m/%Y", errors="coerce")
    bad = parsed.isna()
    return parsed, bad


def parse_numbers(
    values: pd.Series, *, currency: bool = False, percent: bool = False
) -> tuple[pd.Series, pd.Series]:
    """Read numbers; with ``currency`` also ``£1,234.50`` and ``1,234``.

    ``percent`` accepts a trailing ``%`` (``25%`` is 25). Returns (float
    series, mask of unreadable cells).
    """
    text = values
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


def parse_booleans(
    values: pd.Series, true_values: list[str], false_values: list[str]
) -> tuple[pd.Series, pd.Series]:
    """Read yes/no style booleans in any case; returns (boolean series, bad mask)."""
    lowered = values.str.lower()
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


def slugify(text: str) -> str:
    """The page-address form of an id or a name: ``MCC/ASC/2023/014`` -> ``mcc-asc-2023-014``."""
    return _slugify(text, replacements=[["&", " and "], ["'", ""], ["\u2019", ""]])
