"""The Jinja filters of plugins/svportal/formatting.py: how values read on the page.

Every filter shows a missing value (None, NaN, pandas' NA and NaT) as its ``missing`` text, never
as ``nan``, ``None`` or ``NaT``; money and percentages are whole numbers rounded half up.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from decimal import ROUND_HALF_UP, Decimal

import jinja2
import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from svportal import formatting
from svportal.formatting import (
    FILTERS,
    MISSING,
    date,
    iso_date,
    money,
    number,
    percent,
    short_date,
    with_unit,
    yes_no,
)

MISSING_VALUES = [None, float("nan"), np.nan, np.float64("nan"), pd.NA, pd.NaT]
MISSING_IDS = ["None", "nan", "np.nan", "np.float64 nan", "pd.NA", "pd.NaT"]
PYTHON_WORDS = re.compile(r"nan|None|NaT|<NA>|inf", re.IGNORECASE)


def half_up(value: Decimal) -> int:
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


# --- missing values -------------------------------------------------------------------------------


@pytest.mark.parametrize("value", MISSING_VALUES, ids=MISSING_IDS)
@pytest.mark.parametrize("name", ["money", "number", "percent", "date", "short_date", "yes_no"])
def test_a_missing_value_reads_not_published(name, value):
    assert FILTERS[name](value) == MISSING == "Not published"


@pytest.mark.parametrize("value", MISSING_VALUES, ids=MISSING_IDS)
@pytest.mark.parametrize("name", ["money", "number", "percent", "date", "short_date", "yes_no", "iso_date"])
def test_a_missing_value_reads_as_the_text_given(name, value):
    assert FILTERS[name](value, "Not applicable") == "Not applicable"


@pytest.mark.parametrize("value", MISSING_VALUES, ids=MISSING_IDS)
def test_a_missing_iso_date_is_empty_so_a_datetime_attribute_stays_valid(value):
    assert iso_date(value) == ""


@pytest.mark.parametrize("value", MISSING_VALUES, ids=MISSING_IDS)
@pytest.mark.parametrize("unit", ["GBP", "percent", "%", "FTE", "people"])
def test_a_missing_quantity_reads_not_published_whatever_its_unit(value, unit):
    assert with_unit(value, unit) == MISSING
    assert with_unit(value, unit, "None yet") == "None yet"


def test_is_missing_knows_missing_from_zero_false_and_empty():
    assert all(formatting.is_missing(v) for v in MISSING_VALUES)
    assert not any(formatting.is_missing(v) for v in [0, 0.0, False, "", "0", np.int64(0), dt.date(2024, 1, 1)])


def test_is_missing_of_a_list_is_false_not_an_error():
    assert formatting.is_missing(["a", "b"]) is False


# --- money ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value, expected",
    [
        (0, "£0"),
        (0.0, "£0"),
        (1, "£1"),
        (999, "£999"),
        (1000, "£1,000"),
        (1234567.5, "£1,234,568"),
        (12_000, "£12,000"),
        (0.49, "£0"),
        (0.5, "£1"),  # half up ...
        (1.5, "£2"),
        (2.5, "£3"),  # ... never to the even pound
        (999.5, "£1,000"),
        (999_999.5, "£1,000,000"),
        (1_000_000_000_000, "£1,000,000,000,000"),
        (np.int64(5), "£5"),
        (np.float64(2.5), "£3"),
        (Decimal("2.5"), "£3"),
        ("1234.5", "£1,235"),  # text that reads as a number, as a CSV cell might arrive
    ],
)
def test_money_is_whole_pounds_rounded_half_up_with_thousands_separators(value, expected):
    assert money(value) == expected


@pytest.mark.parametrize("value", [-0.0, -0.1, -0.4, -0.49999999999999994])
def test_money_that_rounds_to_nothing_is_never_minus_zero(value):
    assert money(value) == "£0"


@pytest.mark.parametrize("value, digits", [(-1, "1"), (-1234.4, "1,234"), (-1_000_000, "1,000,000")])
def test_negative_money_keeps_its_sign(value, digits):
    text = money(value)
    assert text.count("-") == 1 and text.endswith(digits) and "£" in text


@given(st.integers(min_value=0, max_value=10**14))
def test_money_of_any_amount_in_pence_rounds_half_up(pence):
    assert money(pence / 100) == f"£{half_up(Decimal(pence) / 100):,}"


@pytest.mark.parametrize(
    "value, expected",
    [
        (16.5, "£16.50"),  # a unit value keeps its pence
        (16.50, "£16.50"),
        (0.125, "£0.13"),  # to the penny, half up
        (1234.05, "£1,234.05"),
        (14500, "£14,500"),  # and has none to keep when it is whole pounds
        (310.0, "£310"),
        (0.004, "£0"),  # less than half a penny is nothing, never £0.00
        (-2.5, "-£2.50"),
        (-0.001, "£0"),
        (None, MISSING),
    ],
)
def test_a_unit_value_keeps_its_pence(value, expected):
    assert money(value, pence=True) == expected
    if expected != MISSING and "." not in expected:
        assert money(value) == expected  # the same as a total when there are no pence


@given(st.integers(min_value=0, max_value=10**14))
def test_a_unit_value_is_to_the_penny_and_whole_pounds_have_no_pence(pence):
    text = money(pence / 100, pence=True)
    exact = Decimal(pence) / 100
    assert text == (f"£{exact:,.2f}" if pence % 100 else f"£{exact:,.0f}")


# --- percent ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value, expected",
    [
        (0, "0%"),
        (84.6, "85%"),
        (84.4, "84%"),
        (84.5, "85%"),
        (85.5, "86%"),  # half up, not to even
        (99.5, "100%"),
        (100, "100%"),
        (0.4, "0%"),
        (-0.4, "0%"),
        (1234.5, "1,235%"),
        (np.float64(12.5), "13%"),
    ],
)
def test_percent_is_a_whole_number_rounded_half_up(value, expected):
    assert percent(value) == expected


def test_percent_takes_the_text_for_a_missing_value_from_the_template():
    assert percent(None, "Not applicable") == "Not applicable"


@given(st.integers(min_value=0, max_value=10**9))
def test_percent_of_any_value_in_hundredths_rounds_half_up(hundredths):
    assert percent(hundredths / 100) == f"{half_up(Decimal(hundredths) / 100):,}%"


# --- number -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value, expected",
    [
        (0, "0"),
        (0.0, "0"),
        (12.0, "12"),
        (12, "12"),
        (100, "100"),  # zeros before the point stay
        (1000.0, "1,000"),
        (1234.50, "1,234.5"),
        (12.10, "12.1"),
        (0.25, "0.25"),
        (0.004, "0"),
        (-0.0, "0"),
        (-0.001, "0"),  # never -0
        (-0.5, "-0.5"),
        (-1234.567, "-1,234.57"),
        (1_000_000_000, "1,000,000,000"),
        (1e16, "10,000,000,000,000,000"),
        (np.int64(7), "7"),
        (np.float64(2.75), "2.75"),
    ],
)
def test_number_has_at_most_two_decimals_no_trailing_zeros_and_separators(value, expected):
    assert number(value) == expected


@pytest.mark.parametrize(
    "value, places, expected",
    [(12.345678, 0, "12"), (12.5678, 1, "12.6"), (-0.04, 1, "0"), (-0.4, 0, "0"), (1.23456, 4, "1.2346")],
)
def test_number_rounds_to_the_places_asked_for(value, places, expected):
    assert number(value, places=places) == expected


@pytest.mark.parametrize(
    "value, places, expected", [(0.125, 2, "0.13"), (0.625, 2, "0.63"), (2.5, 0, "3"), (1234.5, 0, "1,235")]
)
def test_number_rounds_exact_halves_up_like_money_and_percent(value, places, expected):
    assert number(value, places=places) == expected


finite = st.floats(allow_nan=False, allow_infinity=False)


@given(finite, st.integers(min_value=0, max_value=4))
def test_number_never_shows_nan_minus_zero_or_a_dangling_point(value, places):
    text = number(value, places=places)
    assert not PYTHON_WORDS.search(text)
    assert text != "-0" and not text.endswith(".")
    assert re.fullmatch(r"-?\d{1,3}(,\d{3})*(\.\d*[1-9])?", text), text
    if "." in text:
        assert len(text.split(".")[1]) <= places


@given(st.floats(min_value=-1e12, max_value=1e12, allow_nan=False), st.integers(min_value=0, max_value=4))
def test_number_is_the_value_to_the_places_asked_for(value, places):
    shown = float(number(value, places=places).replace(",", ""))
    assert math.isclose(shown, value, abs_tol=0.5 * 10**-places + 1e-9 * max(1, abs(value)))
    if shown < 0:
        assert value < 0


@given(
    st.one_of(
        st.none(),
        st.floats(allow_infinity=False),
        st.integers(min_value=-(10**15), max_value=10**15),
        st.sampled_from(MISSING_VALUES),
    )
)
def test_no_numeric_filter_shows_a_python_word(value):
    for text in (money(value), number(value), percent(value), with_unit(value, "FTE"), with_unit(value, "%")):
        assert not PYTHON_WORDS.search(text), text


# --- dates ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        dt.date(2024, 4, 5),
        dt.datetime(2024, 4, 5, 23, 59),
        pd.Timestamp("2024-04-05"),
        "2024-04-05",
    ],
)
def test_date_is_written_as_gov_uk_writes_it(value):
    assert date(value) == "5 April 2024"  # no leading zero, the month in full


def test_short_and_iso_dates():
    day = pd.Timestamp("2024-04-05")
    assert short_date(day) == "5 Apr 2024"
    assert short_date(dt.date(2026, 11, 23)) == "23 Nov 2026"
    assert iso_date(day) == "2024-04-05"
    assert iso_date(dt.date(2026, 1, 9)) == "2026-01-09"


def test_date_takes_the_text_for_a_missing_value_from_the_template():
    assert date(pd.NaT, "no due date") == "no due date"


@given(st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2200, 12, 31)))
def test_every_date_reads_the_same_in_every_form(day):
    month = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
             "October", "November", "December"][day.month - 1]  # fmt: skip
    assert date(day) == date(day.isoformat()) == date(pd.Timestamp(day)) == f"{day.day} {month} {day.year}"
    assert short_date(day) == short_date(pd.Timestamp(day)) == f"{day.day} {month[:3]} {day.year}"
    assert iso_date(day) == iso_date(pd.Timestamp(day)) == day.isoformat()


# --- yes/no -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value, expected",
    [(True, "Yes"), (False, "No"), (np.bool_(True), "Yes"), (np.bool_(False), "No"), (1, "Yes"), (0, "No")],
)
def test_yes_no(value, expected):
    assert yes_no(value) == expected


def test_yes_no_of_a_missing_value_is_not_no():
    assert yes_no(None) == yes_no(pd.NA) == MISSING
    assert yes_no(pd.NA, "Not known") == "Not known"


# --- quantities with units --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value, unit, expected",
    [
        (12000, "GBP", "£12,000"),
        (12000.5, "GBP", "£12,001"),  # money: whole pounds, half up
        (0, "GBP", "£0"),
        (45, "%", "45%"),
        (45, "percent", "45%"),
        (45.36, "percent", "45.4%"),  # one decimal place for percentages
        (-0.01, "percent", "0%"),
        (12.5, "FTE", "12.5 FTE"),
        (12.0, "FTE", "12 FTE"),
        (1234.567, "tCO2e", "1,234.57 tCO2e"),
        (0, "people", "0 people"),
        (-0.001, "people", "0 people"),
        (3, "hours", "3 hours"),
        (1, "people", "1 person"),  # a count unit agrees with its number
        (1.0, "People", "1 Person"),
        (1.001, "people", "1 person"),  # as it reads
        (2, "people", "2 people"),
        (1, "person", "1 person"),
        (3, "person", "3 people"),
        (1, "hours", "1 hour"),
        (1, "weeks", "1 week"),
        (1, "jobs", "1 job"),
        (1, "apprenticeships", "1 apprenticeship"),
        (29.98, "people", "29.98 people"),  # delivered amounts are written as given
        (1.5, "hours", "1.5 hours"),
        (1, "FTE", "1 FTE"),  # measurements are never made singular or plural
        (1, "tCO2e", "1 tCO2e"),
        (2, "tCO2e", "2 tCO2e"),
        (1, "unit", "1 unit"),
    ],
)
def test_with_unit_writes_each_unit_its_own_way(value, unit, expected):
    assert with_unit(value, unit) == expected


@pytest.mark.parametrize(
    "value, unit, expected",
    [
        (29.98, "people", "30 people"),  # an expected amount of a count unit is a whole number, half up
        (0.5, "people", "1 person"),
        (0.49, "people", "0 people"),
        (1.4, "people", "1 person"),
        (1234.5, "hours", "1,235 hours"),
        (12.5, "weeks", "13 weeks"),
        (19.99, "FTE", "19.99 FTE"),  # measurements keep their decimals
        (66.64, "tCO2e", "66.64 tCO2e"),
        (45.36, "percent", "45.4%"),
        (12000.5, "GBP", "£12,001"),
    ],
)
def test_an_expected_amount_of_a_count_unit_reads_as_a_whole_number(value, unit, expected):
    assert with_unit(value, unit, expected=True) == expected


@given(st.floats(min_value=0, max_value=1e12), st.sampled_from(["FTE", "tCO2e", "kWh", "unit"]))
def test_a_measurement_is_its_number_then_its_unit(value, unit):
    assert with_unit(value, unit) == f"{number(value)} {unit}"


@given(st.floats(min_value=0, max_value=1e12), st.sampled_from(["people", "hours", "weeks", "jobs"]))
def test_a_count_is_its_number_then_the_word_that_agrees_with_it(value, unit):
    text = number(value)
    singular = {"people": "person", "hours": "hour", "weeks": "week", "jobs": "job"}[unit]
    assert with_unit(value, unit) == f"{text} {singular if text == '1' else unit}"
    whole = number(value, places=0)
    assert with_unit(value, unit, expected=True) == f"{whole} {singular if whole == '1' else unit}"


# --- as Jinja filters -------------------------------------------------------------------------------


def test_filters_are_registered_under_their_names():
    assert set(FILTERS) == {
        "money",
        "number",
        "percent",
        "date",
        "date_time",
        "short_date",
        "iso_date",
        "yes_no",
        "with_unit",
    }
    assert all(FILTERS[name] is getattr(formatting, name) for name in FILTERS)


def test_filters_work_in_a_template():
    env = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined)
    env.filters.update(FILTERS)
    template = env.from_string(
        "{{ value|money }} | {{ blank|money }} | {{ share|percent('Not applicable') }} | {{ day|date }} | "
        "{{ fte|with_unit(unit) }} | {{ flag|yes_no }}"
    )
    text = template.render(value=1234.5, blank=None, share=float("nan"), day=dt.date(2026, 11, 23), fte=2.5,
                           unit="FTE", flag=False)  # fmt: skip
    assert text == "£1,235 | Not published | Not applicable | 23 November 2026 | 2.5 FTE | No"
