"""The words of delivery (plugins/svportal/ratings.py) and the catalogue of count units (units.py)."""

from __future__ import annotations

import pytest

from svportal import model, ratings, units
from svportal.settings import Thresholds

# --- one vocabulary ----------------------------------------------------------------------------------


def test_the_ratings_are_the_procurement_act_words_best_first_with_their_bands_and_a_plain_line():
    found = ratings.scale(Thresholds())
    assert [(r["name"], r["band"], r["colour"]) for r in found] == [
        ("Good", "95% or more", "green"),
        ("Approaching target", "80% to 95%", "yellow"),
        ("Requires improvement", "50% to 80%", "orange"),
        ("Inadequate", "less than 50%", "red"),
    ]
    assert found[0]["meaning"] == "The supplier has delivered what was expected by now, or nearly all of it."
    assert all(r["meaning"].endswith(".") and r["meaning"][0].isupper() for r in found)


def test_the_bands_follow_the_thresholds_of_the_settings():
    found = ratings.scale(Thresholds(good=0.9, approaching=0.75, requires_improvement=0.4))
    assert [r["band"] for r in found] == ["90% or more", "75% to 90%", "40% to 75%", "less than 40%"]


def test_every_status_has_one_colour_and_one_meaning_and_the_flag_is_none_of_them():
    words = ratings.vocabulary(Thresholds())
    listed = [w["name"] for w in words["ratings"] + words["states"]]
    assert sorted(listed) == sorted(model.STATUSES)
    assert [w["name"] for w in words["states"]] == ["No returns yet", "Not yet due"]
    assert words["overdue"]["name"] == "Return overdue" not in model.STATUSES
    assert words["overdue"]["colour"] not in {w["colour"] for w in words["ratings"]}  # never read as a rating
    assert [w["name"] for w in words["returns"]] == ["Verified", "Reported by the supplier"]
    assert set(ratings.STATUS_COLOURS) == set(ratings.MEANINGS) == set(model.STATUSES)


# --- what lists say --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "row, expected",
    [
        ({"on_track": 2, "assessed": 3}, "2 of 3"),
        ({"on_track": 0, "assessed": 1}, "0 of 1"),
        ({"on_track": 0, "assessed": 0}, "Not assessed yet"),
    ],
)
def test_a_list_counts_the_commitments_rated_good(row, expected):
    assert ratings.rated_good_text(row) == expected


@pytest.mark.parametrize(
    "counts, expected",
    [
        ((0, 0, 0), None),
        ((2, 0, 1), "2 commitments rated Inadequate; 1 return overdue"),
        ((1, 1, 0), "1 commitment rated Inadequate; 1 commitment rated Requires improvement"),
        ((0, 3, 0), "3 commitments rated Requires improvement"),
        ((0, 0, 1), "1 return overdue"),
        ((0, 0, 4), "4 returns overdue"),
        ((1, 2, 3), "1 commitment rated Inadequate; 2 commitments rated Requires improvement; 3 returns overdue"),
    ],
)
def test_why_a_contract_needs_attention(counts, expected):
    inadequate, requires_improvement, overdue = counts
    row = {"inadequate": inadequate, "requires_improvement": requires_improvement, "overdue_returns": overdue}
    assert ratings.attention_text(row) == expected


@pytest.mark.parametrize(
    "returns, verified, expected",
    [
        (0, 0, None),
        (1, 1, "Return verified"),
        (8, 8, "All 8 returns verified"),
        (1, 0, "Reported by the supplier, not verified"),
        (8, 0, "Reported by the supplier, none verified"),
        (8, 3, "3 of 8 returns verified"),
    ],
)
def test_a_commitment_says_whether_its_returns_were_verified(returns, verified, expected):
    assert ratings.verified_text(returns, verified) == expected


@pytest.mark.parametrize(
    "returns, verified, expected",
    [(0, 0, "No return"), (1, 1, "Verified"), (1, 0, "Reported by the supplier"), (2, 1, "1 of 2 verified")],
)
def test_each_quarter_says_whether_its_return_was_verified(returns, verified, expected):
    assert ratings.quarter_verified_text(returns, verified) == expected


# --- count units -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("unit", ["people", "person", "People", " jobs ", "weeks", "hours", "apprenticeships"])
def test_things_counted_whole_are_count_units(unit):
    assert units.is_count(unit)


@pytest.mark.parametrize("unit", ["FTE", "tCO2e", "GBP", "percent", "%", "kWh", "unit", "", None, 3])
def test_measurements_are_not_count_units(unit):
    assert not units.is_count(unit)
    assert units.count_forms(unit) is None


@pytest.mark.parametrize(
    "unit, text, expected",
    [
        ("people", "1", "person"),
        ("people", "2", "people"),
        ("people", "0", "people"),
        ("people", "1.5", "people"),
        ("person", "3", "people"),
        ("People", "1", "Person"),
        ("weeks", "1", "week"),
        ("businesses", "1", "business"),
        ("FTE", "1", "FTE"),
        ("tCO2e", "2", "tCO2e"),
    ],
)
def test_a_unit_agrees_with_its_number(unit, text, expected):
    assert units.agreeing(unit, text) == expected
