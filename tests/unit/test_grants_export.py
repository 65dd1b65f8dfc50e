"""/data/grants.json (plugins/svportal/grants_export.py): the grants as a 360Giving JSON package.

The package is checked against the 360Giving Data Standard's JSON schema as far as this test restates it
(GRANT_SCHEMA below). The standard's own schema files are not copied into the repository and nothing is
fetched from the network: GRANT_SCHEMA restates, for the properties the portal writes, what
schema/360-giving-schema.json and schema/360-giving-package-schema.json of github.com/ThreeSixtyGiving/standard
require (the versions read while writing this: the required properties, the types, fromOpenCall's Yes/No,
Duration (months) as a string, at least one recipient and one funder, each with an id and a name, at
least one grant in a package). It is stricter than the standard in one way: a grant may have only the
standard's property names, so a misspelt one fails here.
"""

from __future__ import annotations

import json
import math

import pandas as pd
import pytest
from jsonschema import Draft4Validator

from conftest import FIXTURES, ROOT
from svportal import grants_export
from svportal.importers.giving360 import import_grants
from svportal.load import load_table
from svportal.schema import read_contract

GIVING360 = FIXTURES / "giving360"
DATE = r"^[0-9]{4}-(0[1-9]|1[012])-(0[1-9]|[12][0-9]|3[01])$"


def _organisation() -> dict:
    text = {"type": "string"}
    return {
        "type": "object",
        "required": ["id", "name"],
        "properties": {
            key: text for key in ("id", "name", "department", "charityNumber", "companyNumber", "postalCode", "url")
        },
        "additionalProperties": False,
    }


GRANT_SCHEMA = {
    "$schema": "http://json-schema.org/draft-04/schema#",
    "type": "object",
    "required": ["grants"],
    "additionalProperties": False,
    "properties": {
        "grants": {
            "type": "array",
            "minItems": 1,
            "uniqueItems": True,
            "items": {
                "type": "object",
                "required": [
                    "id",
                    "title",
                    "description",
                    "currency",
                    "amountAwarded",
                    "awardDate",
                    "recipientOrganization",
                    "fundingOrganization",
                ],
                "additionalProperties": False,
                "properties": {
                    "id": {"type": "string"},
                    "title": {"type": "string"},
                    "description": {"type": "string"},
                    "currency": {"type": "string", "pattern": "^[A-Z]{3}$"},
                    "amountAppliedFor": {"type": "number"},
                    "amountAwarded": {"type": "number"},
                    "amountDisbursed": {"type": "number"},
                    "awardDate": {"type": "string", "pattern": DATE},
                    "url": {"type": "string", "pattern": "^https?://"},
                    "plannedDates": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "additionalProperties": False,
                            "properties": {
                                "startDate": {"type": "string", "pattern": DATE},
                                "endDate": {"type": "string", "pattern": DATE},
                                "duration": {"type": "string"},
                            },
                        },
                    },
                    "recipientOrganization": {"type": "array", "minItems": 1, "items": _organisation()},
                    "fundingOrganization": {"type": "array", "minItems": 1, "items": _organisation()},
                    "beneficiaryLocation": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "additionalProperties": False,
                            "properties": {
                                "name": {"type": ["string", "null"]},
                                "geoCode": {"type": ["string", "null"]},
                                "geoCodeType": {"type": ["string", "null"]},
                            },
                        },
                    },
                    "grantProgramme": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "additionalProperties": False,
                            "properties": {
                                "code": {"type": "string"},
                                "title": {"type": ["string", "null"]},
                                "url": {"type": ["string", "null"]},
                            },
                        },
                    },
                    "fromOpenCall": {"type": "string", "enum": ["Yes", "No"]},
                    "dataSource": {"type": ["string", "null"], "pattern": "^https?://"},
                },
            },
        }
    },
}


def problems_of(package: dict) -> list[str]:
    return [
        f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
        for e in Draft4Validator(GRANT_SCHEMA).iter_errors(package)
    ]


@pytest.fixture(scope="module")
def table():
    return read_contract(ROOT / "data" / "datapackage.json").table("grants")


def imported(folder, source, table) -> pd.DataFrame:
    """The grants of a 360Giving file as the build loads them from grants.csv."""
    import_grants(source, folder)
    frame, problems = load_table(folder / "grants.csv", table)
    assert [p for p in problems if p.is_error] == []
    return frame


@pytest.fixture(scope="module")
def trafford(tmp_path_factory, table) -> pd.DataFrame:
    return imported(tmp_path_factory.mktemp("trafford"), GIVING360 / "trafford-grants-360giving-sample.csv", table)


@pytest.fixture(scope="module")
def hand_written(tmp_path_factory, table) -> pd.DataFrame:
    return imported(tmp_path_factory.mktemp("json"), GIVING360 / "hand-written-grants.json", table)


def test_the_sample_becomes_a_valid_360giving_package_sorted_by_identifier(trafford, table):
    package = grants_export.grants_package(trafford, table)
    assert problems_of(package) == []
    ids = [g["id"] for g in package["grants"]]
    assert len(ids) == 278 and ids == sorted(ids)
    assert ids[:2] == ["360G-traffordmbc-2021VSG10", "360G-traffordmbc-2021VSG12"]


def test_a_grant_has_the_standards_nested_shape(trafford, table):
    grants = {g["id"]: g for g in grants_export.grants_package(trafford, table)["grants"]}
    assert grants["360G-traffordmbc-VSG1327"] == {
        "id": "360G-traffordmbc-VSG1327",
        "title": "Voluntary Sector Grant to St John's Centre for Freespace Project",
        "description": "St John's Centre will provide meeting space or 'hot desk' in order to incubate voluntary "
        "groups and or small social enterprises in Old Trafford or North Trafford area just starting up or who "
        "do not have their own space or access to funding at present.",
        "currency": "GBP",
        "amountAwarded": 2980,
        "awardDate": "2013-06-29",
        "plannedDates": [{"duration": "12"}],
        "recipientOrganization": [
            {
                "id": "GB-COH-07597525",
                "name": "St. John's Centre",
                "charityNumber": "1146058",
                "companyNumber": "07597525",
            }
        ],
        "beneficiaryLocation": [{"name": "Trafford", "geoCode": "E08000009", "geoCodeType": "MD"}],
        "fundingOrganization": [
            {
                "id": "GB-LAE-TRF",
                "name": "Trafford Metropolitan Borough Council",
                "department": "Partnerships and Communities",
            }
        ],
        "grantProgramme": [{"code": "VSG", "title": "Voluntary Sector Grants"}],
        "fromOpenCall": "Yes",
        "dataSource": "https://www.trafford.gov.uk/",
    }
    assert grants["360G-traffordmbc-VSG1315"]["amountAwarded"] == 4779.54
    assert grants["360G-traffordmbc-2024VSG3"]["recipientOrganization"][0]["postalCode"] == "M16 7GX"
    assert grants["360G-traffordmbc-2024VSG3"]["fromOpenCall"] == "No"


def test_json_grants_come_back_as_they_were_published(hand_written, table):
    """Imported from 360Giving JSON and exported again: every field the portal keeps, apostrophes and all."""
    package = grants_export.grants_package(hand_written, table)
    assert problems_of(package) == []
    source = json.loads((GIVING360 / "hand-written-grants.json").read_text(encoding="utf-8"))["grants"]
    grants = {g["id"]: g for g in package["grants"]}
    assert list(grants) == [
        "360G-example-2024-0001",
        "360G-example-2024-0004",
        "360G-example-2024-friends_of_o'neill_park",
    ]
    assert grants["360G-example-2024-0001"] == {
        **{k: source[0][k] for k in ("id", "title", "description", "currency", "url", "fromOpenCall", "dataSource")},
        "amountAppliedFor": 2000,
        "amountAwarded": 1500.5,
        "amountDisbursed": 750,
        "awardDate": "2024-02-15",  # the date of the date-time
        "plannedDates": [{"startDate": "2024-04-01", "endDate": "2025-03-31", "duration": "12"}],
        "recipientOrganization": [
            {"id": "360G-example-st_john's_church", "name": "St John's Church", "postalCode": "M32 0AA"}
        ],
        "beneficiaryLocation": [{"name": "Stretford", "geoCode": "E05000829", "geoCodeType": "WD"}],
        "fundingOrganization": source[0]["fundingOrganization"],
        "grantProgramme": source[0]["grantProgramme"],
    }
    park = grants["360G-example-2024-friends_of_o'neill_park"]
    assert park["plannedDates"] == [{"duration": "6"}]  # the blank start and end dates stay out
    assert "beneficiaryLocation" not in park and "grantProgramme" not in park


def test_the_same_data_gives_the_same_bytes_whatever_its_order(trafford, table):
    first = grants_export.to_json(grants_export.grants_package(trafford, table))
    shuffled = trafford.sample(frac=1, random_state=7)
    assert grants_export.to_json(grants_export.grants_package(shuffled, table)) == first
    assert first.endswith(b"\n") and b"NaN" not in first and b"null" not in first
    assert first.startswith(b'{\n  "grants": [\n    {\n      "id": "360G-traffordmbc-2021VSG10",\n')


def test_blanks_are_left_out_and_a_blank_currency_is_gbp(trafford, table):
    frame = trafford.head(1).copy()
    for column in ("currency", "description", "planned_duration_months", "beneficiary_location_name"):
        frame[column] = None if frame[column].dtype == object else math.nan
    frame["beneficiary_location_code"] = None
    frame["beneficiary_location_code_type"] = None
    frame["officer_notes"] = "a column staff added"
    grant = grants_export.grants_package(frame, table)["grants"][0]
    assert grant["currency"] == "GBP"
    assert "description" not in grant and "plannedDates" not in grant and "beneficiaryLocation" not in grant
    assert "officer_notes" not in json.dumps(grant) and "dateModified" not in grant
    assert problems_of({"grants": [grant]}) == ["grants/0: 'description' is a required property"]


def test_the_json_download_is_the_package_only_when_there_are_grants():
    assert grants_export.is_package("grants", 3)
    assert not grants_export.is_package("grants", 0)  # the standard's package needs a grant
    assert not grants_export.is_package("contracts", 3)
    assert problems_of({"grants": []}) == ["grants: [] should be non-empty"]
