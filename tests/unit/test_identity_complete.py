"""A draft identity (``"complete": false`` in datapackage.json's portal block, as make import-ocds writes it
into an empty data folder): the site is built, and the data-quality page says what staff must still give."""

from __future__ import annotations

import pytest

from svportal.identity import identity_of
from svportal.problems import errors


def test_a_draft_identity_is_a_warning_naming_what_is_missing(contract):
    identity, problems = identity_of(
        {"contributors": [{"title": "Cabinet Office", "role": "publisher"}], "portal": {"complete": False}}, contract
    )
    assert (identity.publisher, identity.complete) == ("Cabinet Office", False)
    assert errors(problems) == []
    assert [(p.severity, str(p)) for p in problems] == [
        (
            "warning",
            "datapackage.json: portal.complete: this identity is a draft, written by an import: give the area "
            "(portal.area), a contact email (portal.contact_email), the licence of the data (licenses), then "
            'remove "complete": false',
        )
    ]


def test_a_draft_with_everything_given_asks_only_to_remove_the_flag(contract):
    descriptor = {
        "contributors": [{"title": "Trafford Council", "role": "publisher"}],
        "licenses": [{"title": "Open Government Licence v3.0", "path": "https://example.org/ogl"}],
        "portal": {"area": "Trafford", "contact_email": "sv@trafford.example.org", "complete": False},
    }
    _, problems = identity_of(descriptor, contract)
    assert [p.message for p in problems] == ['this identity is a draft, written by an import: remove "complete": false']


@pytest.mark.parametrize("portal", [{}, {"complete": True}])
def test_a_complete_identity_says_nothing(contract, portal):
    identity, problems = identity_of({"portal": portal}, contract)
    assert (identity.complete, problems) == (True, [])


def test_complete_must_be_true_or_false(contract):
    identity, problems = identity_of({"portal": {"complete": "no"}}, contract)
    assert identity.complete is True
    assert [str(p) for p in problems] == [
        'datapackage.json: portal.complete: "no" is not true or false (write them without quotes)'
    ]
    assert errors(problems) == problems
