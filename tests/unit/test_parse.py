"""The cell parsers: property tests over the spreadsheet forms staff write."""

import datetime as dt

import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from svportal.parse import parse_booleans, parse_dates, parse_numbers, slugify, split_list

dates = st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2199, 12, 31))


@given(dates)
def test_iso_and_uk_forms_of_a_date_read_the_same(day):
    parsed, bad = parse_dates(pd.Series([day.isoformat(), f"{day:%d/%m/%Y}", f"{day.day}/{day.month}/{day.year}"]))
    assert not bad.any()
    assert {d.date() for d in parsed} == {day}


@given(st.text(max_size=12))
def test_dates_never_guess(text):
    parsed, bad = parse_dates(pd.Series([text.strip() or "x"]))
    assert bad.iloc[0] == pd.isna(parsed.iloc[0])
    if not bad.iloc[0]:
        assert text.strip()[:1].isdigit()


def test_impossible_and_other_date_forms_are_errors():
    _, bad = parse_dates(pd.Series(["31/02/2024", "2024-13-01", "2024/04/05", "5 April 2024", "04-05-2024"]))
    assert bad.all()


@given(st.decimals(min_value=0, max_value=10**12, places=2, allow_nan=False))
def test_money_in_every_spreadsheet_form_reads_the_same(amount):
    value = float(amount)
    forms = [f"{amount}", f"{value:,.2f}", f"£{value:,.2f}", f"£{value:.2f}"]
    parsed, bad = parse_numbers(pd.Series(forms), currency=True)
    assert not bad.any()
    assert all(abs(p - value) < 1e-6 * max(1, value) for p in parsed)


def test_money_rejects_what_is_not_money():
    _, bad = parse_numbers(pd.Series(["1,23", "12x", "£", "1.2.3", "$5", "1 234", "1,2345"]), currency=True)
    assert bad.all()


def test_plain_numbers_do_not_accept_currency_or_grouping():
    _, bad = parse_numbers(pd.Series(["£5", "1,234"]))
    assert bad.all()


def test_percent_sign_is_allowed_where_the_schema_says_so():
    parsed, bad = parse_numbers(pd.Series(["25%", "25 %", "25"]), percent=True)
    assert not bad.any() and list(parsed) == [25, 25, 25]


@given(st.sampled_from(["yes", "no", "y", "n", "true", "false", "1", "0"]), st.randoms())
def test_booleans_in_any_case(word, rnd):
    cased = "".join(c.upper() if rnd.random() < 0.5 else c for c in word)
    parsed, bad = parse_booleans(pd.Series([cased]), ["yes", "y", "true", "1"], ["no", "n", "false", "0"])
    assert not bad.any()
    assert bool(parsed.iloc[0]) == (word in ("yes", "y", "true", "1"))


def test_unknown_boolean_is_an_error():
    _, bad = parse_booleans(pd.Series(["maybe", "2"]), ["yes"], ["no"])
    assert bad.all()


@given(st.lists(st.text(alphabet=st.characters(blacklist_characters=";", blacklist_categories=("Cs",))), max_size=5))
def test_lists_split_on_semicolons_and_drop_blanks(items):
    assert split_list(";".join(items)) == tuple(i.strip() for i in items if i.strip())


@given(st.text(max_size=40))
def test_slugs_are_url_safe(text):
    slug = slugify(text)
    assert all(c.isascii() and (c.isalnum() or c == "-") for c in slug)
    assert not slug.startswith("-") and not slug.endswith("-")


def test_slug_examples():
    assert slugify("MCC/ASC/2023/014") == "mcc-asc-2023-014"
    assert slugify("O'Brien & Daughters <Ltd>") == "obrien-and-daughters-ltd"
