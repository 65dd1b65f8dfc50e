"""Opportunity statuses, sections, filters and display text, as of a build date."""

import math

import pandas as pd
import pytest

from conftest import FIXTURES, SMALL
from svportal import opportunities as opp
from svportal.load import load_dataset

OPPORTUNITIES = FIXTURES / "opportunities"
BUILD = pd.Timestamp("2026-11-23")
TODAY = "OPP/TODAY/1"


@pytest.fixture(scope="module")
def tables(contract):
    dataset = load_dataset(OPPORTUNITIES, contract)
    assert dataset.ok, dataset.errors
    return dataset.tables


def listing(tables, build=BUILD, **options):
    known = opp.priorities_with_pages(tables["measures"], tables["commitments"])
    return opp.build_listing(tables["opportunities"], pd.Timestamp(build), known_priorities=known, **options)


def by_id(result: opp.Listing) -> dict[str, dict]:
    return {row["opportunity_id"]: row for row in result.rows}


def section_ids(result: opp.Listing, ids=None) -> dict[str, list[str]]:
    return {s["key"]: [r["opportunity_id"] for r in s["rows"]] for s in result.sections(ids)}


def test_statuses_as_of_the_build_date(tables):
    rows = by_id(listing(tables))
    assert {i: r["status"] for i, r in rows.items()} == {
        TODAY: opp.CLOSING_SOON,  # closes on the build date
        "OPP-TOMORROW": opp.CLOSING_SOON,
        "OPP-EDGE-IN": opp.CLOSING_SOON,  # 14 days: inside the window
        "OPP-EDGE-OUT": opp.OPEN,  # 15 days: just outside
        "OPP-PAST": opp.CLOSED,  # published as open, but its closing date has passed
        "OPP-PIPE-A": opp.PIPELINE,
        "OPP-PIPE-B": opp.PIPELINE,
        "OPP-AWARDED": opp.AWARDED,
        "OPP-CANCELLED": opp.CANCELLED,
        "OPP-OLD": opp.CLOSED,
        "OPP-CLOSED-RECENT": opp.CLOSED,
    }
    assert rows[TODAY]["closing_text"] == "closes today"
    assert rows["OPP-TOMORROW"]["closing_text"] == "closes tomorrow"
    assert rows["OPP-EDGE-IN"]["closing_text"] == "closes in 14 days"
    assert rows["OPP-EDGE-OUT"]["closing_text"] == "closes in 15 days"
    assert rows["OPP-PAST"]["closing_text"] is None
    assert rows["OPP-PAST"]["status_text"] == "Closed: bids closed on 22 November 2026."
    assert rows["OPP-AWARDED"]["status_text"].startswith("Awarded")


def test_the_closing_soon_window_is_a_setting(tables):
    rows = by_id(listing(tables, closing_soon_days=15))
    assert rows["OPP-EDGE-OUT"]["status"] == opp.CLOSING_SOON
    rows = by_id(listing(tables, closing_soon_days=0))
    assert [i for i, r in rows.items() if r["status"] == opp.CLOSING_SOON] == [TODAY]


def test_a_day_later_today_s_opportunity_has_closed(tables):
    rows = by_id(listing(tables, "2026-11-24"))
    assert rows[TODAY]["status"] == opp.CLOSED
    assert rows[TODAY]["section"] == opp.RECENTLY_CLOSED
    assert rows["OPP-TOMORROW"]["closing_text"] == "closes today"


def test_sections_and_their_order(tables):
    assert section_ids(listing(tables)) == {
        "closing-soon": [TODAY, "OPP-TOMORROW", "OPP-EDGE-IN"],
        "open": ["OPP-EDGE-OUT"],
        "pipeline": ["OPP-PIPE-B", "OPP-PIPE-A"],  # by expected start
        "recently-closed": ["OPP-PAST", "OPP-CLOSED-RECENT", "OPP-CANCELLED", "OPP-AWARDED"],  # most recent first
        "closed-earlier": ["OPP-OLD"],  # closed more than 365 days before the build date
    }


def test_the_recently_closed_window_is_a_setting(tables):
    assert "closed-earlier" not in section_ids(listing(tables, recently_closed_days=1000))
    assert section_ids(listing(tables, recently_closed_days=10))["closed-earlier"] == [
        "OPP-CLOSED-RECENT",
        "OPP-CANCELLED",
        "OPP-AWARDED",
        "OPP-OLD",
    ]


def test_empty_sections_say_so(tables):
    result = listing(tables)
    only_pipeline = frozenset({"OPP-PIPE-A"})
    sections = {s["key"]: s for s in result.sections(only_pipeline)}
    assert list(sections) == ["closing-soon", "open", "pipeline", "recently-closed"]
    assert sections["closing-soon"]["rows"] == []
    assert sections["closing-soon"]["empty"] == "Nothing closes in the next 14 days."
    intro = sections["recently-closed"]["intro"]
    assert intro.startswith("Closed, awarded, cancelled or withdrawn in the last 365 days")


@pytest.mark.parametrize(
    "low, high, text",
    [
        (10000.0, 50000.0, "£10,000 to £50,000"),
        (25000.0, None, "From £25,000"),
        (None, 8000.0, "Up to £8,000"),
        (None, None, "Not published"),
        (1000.0, 1000.0, "£1,000"),
        (0.0, 999.5, "£0 to £1,000"),
    ],
)
def test_value_range(low, high, text):
    assert opp.value_range(low, high) == text


@pytest.mark.parametrize(
    "days, text", [(0, "closes today"), (1, "closes tomorrow"), (3, "closes in 3 days"), (-1, None), (None, None)]
)
def test_closing_phrase(days, text):
    assert opp.closing_phrase(days) == text


def test_display_values(tables):
    rows = by_id(listing(tables))
    today = rows[TODAY]
    assert today["slug"] == "opp-today-1"
    assert today["value_text"] == "£10,000 to £50,000"
    assert today["route_label"] == "Grant"
    assert today["suitability"] == ["VCSE"]
    assert rows["OPP-EDGE-IN"]["suitability"] == ["VCSE", "SME"]
    assert rows["OPP-PIPE-B"]["suitability"] == ["SME"]
    # a priority links to its page only when the portal has one (a measure with commitments)
    assert today["priority_links"] == [
        {"name": "Be part of a strong local community", "slug": "be-part-of-a-strong-local-community"},
        {"name": "Keep the air clean", "slug": None},
    ]
    assert not today["event_upcoming"]  # 20 November: before the build date
    assert rows["OPP-EDGE-OUT"]["event_upcoming"]


def test_no_missing_value_reaches_a_template_as_nan(tables):
    for row in listing(tables).rows:
        for key, value in row.items():
            assert value is not pd.NaT and value is not pd.NA, key
            assert not (isinstance(value, float) and math.isnan(value)), key


def test_filters_match_exactly(tables):
    result = listing(tables)
    found = {f.path: f for f in result.filters}
    assert list(found) == [
        "vcse",
        "sme",
        "route/co-design",
        "route/framework",
        "route/grant",
        "route/quote",
        "route/tender",
        "buyer/manchester-city-council",
        "buyer/manchester-health-and-care-commissioning",
        "buyer/manchester-local-care-organisation",
        "priority/be-part-of-a-strong-local-community",
        "priority/create-employment-and-skills-opportunities",
        "priority/keep-the-air-clean",
        "priority/make-your-organisation-greener",
        "priority/provide-the-best-employment-that-you-can",
    ]
    assert found["vcse"].ids == {
        TODAY,
        "OPP-EDGE-IN",
        "OPP-EDGE-OUT",
        "OPP-PAST",
        "OPP-PIPE-A",
        "OPP-AWARDED",
        "OPP-OLD",
    }
    assert found["sme"].ids == {"OPP-TOMORROW", "OPP-EDGE-IN", "OPP-PIPE-A", "OPP-PIPE-B", "OPP-CANCELLED"}
    assert found["buyer/manchester-local-care-organisation"].ids == {"OPP-TOMORROW", "OPP-AWARDED", "OPP-CANCELLED"}
    assert found["route/grant"].ids == {TODAY, "OPP-PAST", "OPP-OLD", "OPP-CLOSED-RECENT"}
    assert found["priority/keep-the-air-clean"].ids == {TODAY}
    assert found["buyer/manchester-city-council"].title == "Opportunities from Manchester City Council"


def test_filter_groups_for_the_listing(tables):
    groups = listing(tables).filter_groups()
    assert [g["title"] for g in groups] == ["Who can bid", "Route", "Buyer", "Social value priority sought"]
    assert groups[0]["filters"][0] == {"path": "vcse", "label": "Suitable for VCSE organisations", "count": 7}


def test_filtered_sections_keep_the_order(tables):
    result = listing(tables)
    vcse = next(f for f in result.filters if f.path == "vcse")
    assert section_ids(result, vcse.ids) == {
        "closing-soon": [TODAY, "OPP-EDGE-IN"],
        "open": ["OPP-EDGE-OUT"],
        "pipeline": ["OPP-PIPE-A"],
        "recently-closed": ["OPP-PAST", "OPP-AWARDED"],
        "closed-earlier": ["OPP-OLD"],
    }
    assert [r["opportunity_id"] for r in result.actionable(vcse.ids)] == [
        TODAY,
        "OPP-EDGE-IN",
        "OPP-EDGE-OUT",
        "OPP-PIPE-A",
    ]


def test_next_closing_for_the_home_page(tables):
    result = listing(tables)
    assert [r["opportunity_id"] for r in result.next_closing()] == [
        TODAY,
        "OPP-TOMORROW",
        "OPP-EDGE-IN",
        "OPP-EDGE-OUT",
    ]
    assert [r["opportunity_id"] for r in result.next_closing(2)] == [TODAY, "OPP-TOMORROW"]
    assert listing(tables, "2027-01-01").next_closing() == []


def test_no_opportunities_file_gives_an_empty_listing(contract):
    tables = load_dataset(SMALL, contract).tables
    result = listing(tables)
    assert result.rows == [] and result.next_closing() == []
    assert [f.path for f in result.filters] == ["vcse", "sme"]
    assert [s["key"] for s in result.sections()] == ["closing-soon", "open", "pipeline", "recently-closed"]


def test_only_priorities_with_commitments_have_pages():
    measures = pd.DataFrame({"measure_id": ["A", "B", "C"], "priority": ["Used", "Unused", "Used"]})
    commitments = pd.DataFrame({"measure_id": ["A", "A", "C"]})
    assert opp.priorities_with_pages(measures, commitments) == ["Used"]
