"""The cells of Transparency Code spend files: amounts, dates, redactions, blanks, text (importers/spend_values)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from svportal.importers.spend_values import (
    CellError,
    amount_text,
    clean_text,
    date_text,
    is_blank_marker,
    is_redaction,
    parse_amount,
    parse_date,
)
from svportal.parse import ONE_LINE_FORBIDDEN, parse_numbers

# --- amounts ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2850.00", "2850"),
        ("664.17", "664.17"),
        ("-1250.50", "-1250.5"),
        ("£1,234.50", "1234.5"),
        ("£ 1,234,567.89", "1234567.89"),
        ("GBP 12", "12"),
        ("(1,234.50)", "-1234.5"),
        ("(£12.00)", "-12"),
        ("-£12.00", "-12"),
        ("£-12.00", "-12"),
        ("12.00-", "-12"),
        ("12.00 CR", "-12"),
        ("\u221212.5", "-12.5"),
        (".5", "0.5"),
        ("0.00", "0"),
        ("-0.00", "0"),
    ],
)
def test_amounts_are_read_in_the_forms_councils_write_them(text, expected):
    assert amount_text(text) == expected


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("12,34", "is not an amount of money"),
        ("1,2345.00", "is not an amount of money"),
        ("twelve pounds", "is not an amount of money"),
        ("1.2.3", "is not an amount of money"),
        ("£", "is not an amount of money"),
        ("(12.00", "has an unmatched bracket"),
        ("(-12.00)", "says twice that it is negative"),
        ("-(12.00)", "is not an amount of money"),
        ("-12.00-", "says twice that it is negative"),
        ("1e5", "is not an amount of money"),
        ("NaN", "is not an amount of money"),
    ],
)
def test_what_is_not_an_amount_is_refused_with_the_reason(text, why):
    with pytest.raises(CellError, match=why):
        amount_text(text)


pence = st.integers(min_value=-(10**12), max_value=10**12).map(lambda p: Decimal(p).scaleb(-2))


def _grouped(value: Decimal) -> str:
    return f"{abs(value):,.2f}"


@given(
    value=pence,
    form=st.sampled_from(["plain", "pound", "grouped", "brackets", "trailing", "credit", "gbp"]),
)
def test_every_written_form_of_an_amount_reads_as_that_amount(value, form):
    plain = f"{abs(value):.2f}"
    negative = value < 0
    written = {
        "plain": ("-" if negative else "") + plain,
        "pound": ("-" if negative else "") + "£" + _grouped(value),
        "grouped": ("-" if negative else "") + _grouped(value),
        "brackets": f"(£{_grouped(value)})" if negative else f"£{_grouped(value)}",
        "trailing": plain + ("-" if negative else ""),
        "credit": plain + (" CR" if negative else ""),
        "gbp": ("-" if negative else "") + "GBP " + plain,
    }[form]
    assert parse_amount(written) == value
    text = amount_text(written)
    assert Decimal(text) == value
    # what the import writes, the loader reads back as the same amount
    parsed, bad = parse_numbers(pd.Series([text]), currency=True)
    assert not bad.iloc[0]
    assert parsed.iloc[0] == float(value)


@given(st.text(max_size=30))
def test_any_text_is_an_amount_or_refused_never_a_crash(text):
    try:
        result = amount_text(text)
    except CellError:
        return
    Decimal(result)  # a numeral


# --- dates ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-03-31", "2026-03-31"),
        ("31/03/2026", "2026-03-31"),
        ("1/4/2026", "2026-04-01"),
        ("31-03-2026", "2026-03-31"),
        ("31.03.2026", "2026-03-31"),
        ("2023-04-03 00:00:00", "2023-04-03"),
        ("2020-10-22T00:00:00+01:00", "2020-10-22"),
        ("2026-03-31T23:30:00Z", "2026-03-31"),
        ("31/03/2026 00:00", "2026-03-31"),
        ("31-Mar-2026", "2026-03-31"),
        ("1 April 2026", "2026-04-01"),
        ("05-SEPT-2025", "2025-09-05"),
    ],
)
def test_dates_are_read_in_the_forms_councils_write_them(text, expected):
    assert date_text(text) == expected


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("31/02/2026", "there is no such day"),
        ("2026-13-01", "there is no such day"),
        ("31/03/26", "year of fewer than 4 digits"),
        ("31-Foo-2026", "not a month's name"),
        ("March 2026", "is not a date"),
        ("45382", "is not a date"),
        ("0001-01-01", "the year must be from"),
    ],
)
def test_what_is_not_a_date_is_refused_with_the_reason(text, why):
    with pytest.raises(CellError, match=why):
        date_text(text)


@given(
    day=st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2200, 12, 31)),
    form=st.sampled_from(["%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%d-%b-%Y", "%d %B %Y", "%Y-%m-%dT%H:%M:%S"]),
)
def test_every_written_form_of_a_date_reads_as_that_date(day, form):
    written = dt.datetime(day.year, day.month, day.day, 13, 45, 10).strftime(form)
    assert parse_date(written) == day
    assert date_text(written) == day.isoformat()


@given(st.text(max_size=30))
def test_any_text_is_a_date_or_refused_never_a_crash(text):
    try:
        result = date_text(text)
    except CellError:
        return
    dt.date.fromisoformat(result)


# --- redactions, blanks and text ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    [
        "Redacted",
        "REDACTED",
        "REDACTED PERSONAL DATA",
        "Redacted Commercial Data",
        "Redacted information - included personal information",
        "Name redacted",
        "Name Withheld",
        "Personal Data",
        "PRIVATE INDIVIDUAL",
        "*****",
        "XXXXX",
    ],
)
def test_redactions_are_recognised(name):
    assert is_redaction(name)


@pytest.mark.parametrize(
    "name",
    ["Amey LG Ltd", "The Together Trust", "X-Ray Services Ltd", "Individual Care Services Ltd", "Personal Touch Care"],
)
def test_names_are_not_redactions(name):
    assert not is_redaction(name)


@pytest.mark.parametrize(("text", "blank"), [("NA", True), ("n/a", True), ("#N/A", True), ("-", True), ("NULL", True)])
def test_blank_markers(text, blank):
    assert is_blank_marker(text) is blank


@pytest.mark.parametrize("text", ["NAB", "Nathan", "0", "N A"])
def test_values_that_are_not_blank_markers(text):
    assert not is_blank_marker(text)


def test_text_is_one_line_with_single_spaces_and_windows_1252_characters_read():
    assert clean_text("Trinity CofE High School\xa0") == ("Trinity CofE High School", False)
    assert clean_text("  two\r\nlines\tand  spaces ") == ("two lines and spaces", False)
    assert clean_text("HR costs \x96 Year 1") == ("HR costs \u2013 Year 1", True)
    assert clean_text("bell\x07here\x81") == ("bell here", True)


@given(st.text(max_size=40))
def test_cleaned_text_is_what_a_one_line_column_accepts(text):
    cleaned, _ = clean_text(text)
    assert not ONE_LINE_FORBIDDEN.search(cleaned)
    assert "  " not in cleaned and cleaned == cleaned.strip()
