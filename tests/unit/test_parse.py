"""The cell parsers: property tests over the spreadsheet forms staff write."""

import datetime as dt
import re

import pandas as pd
from hypothesis import given
from hypothesis import strategies as st
from slugify import slugify as python_slugify

from svportal.parse import (
    LINE_BREAKS,
    MAX_FORM_LENGTH,
    character_problem,
    has_forbidden_characters,
    parse_booleans,
    parse_dates,
    parse_numbers,
    slugify,
    split_list,
    url_problem,
)

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


# --- characters a cell may not contain, web addresses, and the quick slug --------------------------
any_text = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=30)
plain_text = st.text(alphabet="abcXYZ019 ./_-", max_size=30)


@given(plain_text)
def test_the_quick_slug_is_python_slugify_s(text):
    assert slugify(text) == python_slugify(text, replacements=[["&", " and "], ["'", ""], ["\u2019", ""]])


@given(any_text, st.booleans())
def test_the_column_check_finds_exactly_the_cells_the_cell_check_names(text, multiline):
    cells = pd.Series([text, "plain", text + "\u00e9"])
    found = has_forbidden_characters(cells, multiline)
    assert list(found) == [character_problem(c, multiline) is not None for c in cells]


@given(any_text, st.sampled_from(list(LINE_BREAKS)), any_text)
def test_a_line_break_is_allowed_only_in_multi_line_text(before, line_break, after):
    text = before + line_break + after
    problem = character_problem(text)
    assert problem is not None and "character" in problem
    assert character_problem(text, multiline=True) == character_problem(before + " " + after, multiline=True)


@given(st.characters(min_codepoint=0, max_codepoint=0x10FFFF, blacklist_categories=("Cs",)))
def test_control_characters_are_refused_everywhere_and_printable_text_never(char):
    code = ord(char)
    control = code < 0x20 or 0x7F <= code <= 0x9F
    allowed_in_multi_line = char in "\t\r\n\u2028\u2029"
    assert (character_problem(f"a{char}b", multiline=True) is not None) == (
        (control and not allowed_in_multi_line) or 0xFDD0 <= code <= 0xFDEF or code & 0xFFFE == 0xFFFE
    )
    if char.isprintable():
        assert character_problem(f"a{char}b") is None


def test_what_is_wrong_is_named():
    assert character_problem("Homecare\nNorth") == "has a line break (character 9): this column must be one line"
    assert character_problem("a\x00") == (
        "has the invisible control character U+0000 (character 2), which a web page cannot show: delete it"
    )
    assert character_problem("a\ufffe") == "has U+FFFE (character 2), which is not a character: delete it"
    assert character_problem("a\tb") == "has a tab (character 2): this column must be one line; use a space"
    assert character_problem("a\tb\nc", multiline=True) is None


def web_address_pattern(contract) -> re.Pattern:
    return re.compile(contract.table("contracts").field("notice_url").constraints["pattern"])


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=30))
def test_the_contract_s_web_address_pattern_and_the_explanation_agree(contract, path):
    """The pattern Frictionless checks and the words staff read refuse the same addresses."""
    address = "https://example.org/" + path
    assert (web_address_pattern(contract).fullmatch(address) is None) == (url_problem(address) is not None), address


def test_web_addresses_the_html_check_refuses():
    for address, character in [
        ("https://a.org/x y", "a space"),
        ('https://a.org/"', "a double quote"),
        ("https://a.org/<b>", "an angle bracket"),
        ("https://a.org/`", "a backtick"),
        ("https://a.org/{x}", "a curly bracket"),
        ("https://a.org/a|b", "a vertical bar"),
        ("https://a.org/a[1]", "a square bracket"),
        ("https://a.org/a\\b", "a backslash"),
    ]:
        assert url_problem(address).startswith(f"has {character}, which a web address cannot contain: write it as %")
    assert url_problem("https://a.org/x#a#b") == "has a second #, which a web address cannot contain: write it as %23"
    assert url_problem("https://a.org/50%").startswith("has a % that is not followed by two hexadecimal digits")
    assert url_problem("https://a.org/caf\u00e9?q=%20&x='y'#top") is None


@given(st.text(alphabet="0123456789 -/,.%£", min_size=MAX_FORM_LENGTH + 1, max_size=MAX_FORM_LENGTH + 50))
def test_a_cell_too_long_to_be_a_date_number_or_yes_no_is_unreadable(text):
    cells = pd.Series([text])
    assert parse_dates(cells)[1].all()
    assert parse_numbers(cells, currency=True, percent=True)[1].all()
    assert parse_booleans(cells, ["yes"], ["no"])[1].all()
