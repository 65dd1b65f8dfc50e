"""The publisher's identity comes with the data (identity.py), and only contracts.csv is required (load.py)."""

from __future__ import annotations

import copy
import json

import pelican.settings
import pytest

from conftest import ROOT, SMALL
from svportal.identity import Identity, identity_of, read_identity
from svportal.load import load_dataset
from svportal.settings import PELICAN_DEFAULT_SITENAME, read_settings

TRAFFORD = {
    "contributors": [{"title": "Trafford Council", "role": "publisher"}, {"title": "A. Writer", "role": "author"}],
    "licenses": [
        {
            "name": "CC-BY-4.0",
            "title": "Creative Commons Attribution 4.0",
            "path": "https://creativecommons.org/licenses/by/4.0/",
        }
    ],
    "portal": {
        "area": "Trafford",
        "region": "Greater Manchester",
        "contact_email": "social.value@trafford.example.org",
        "contact_url": "https://trafford.example.org/contact",
        "mailing_list_url": "https://trafford.example.org/updates",
        "illustrative": False,
    },
}


def messages(descriptor, contract) -> list[str]:
    return [str(p) for p in identity_of(descriptor, contract)[1]]


def test_the_sample_data_is_manchester_and_illustrative(contract):
    identity, problems = read_identity(ROOT / "data", contract)
    assert problems == []
    assert identity.publisher == (
        "Manchester City Council, Manchester Health and Care Commissioning and Manchester Local Care Organisation"
    )
    assert (identity.area, identity.region, identity.illustrative) == ("Manchester", "Greater Manchester", True)
    assert identity.licence_name == "Open Government Licence v3.0"


def test_a_data_folder_without_datapackage_json_has_no_identity(tmp_path, contract):
    assert read_identity(tmp_path, contract) == (Identity(), [])


def test_another_publishers_identity(contract):
    identity, problems = identity_of(TRAFFORD, contract)
    assert problems == []
    assert identity.publisher == "Trafford Council"  # the author is not a publisher
    assert (identity.area, identity.region) == ("Trafford", "Greater Manchester")
    assert identity.contact_email == "social.value@trafford.example.org"
    assert identity.contact_url == "https://trafford.example.org/contact"
    assert identity.mailing_list_url == "https://trafford.example.org/updates"
    assert (identity.licence_name, identity.licence_url) == (
        "Creative Commons Attribution 4.0",
        "https://creativecommons.org/licenses/by/4.0/",
    )
    assert identity.illustrative is False


def test_frictionless_v2_roles_name_the_publisher_too(contract):
    identity, _ = identity_of({"contributors": [{"title": "Trafford Council", "roles": ["publisher"]}]}, contract)
    assert identity.publisher == "Trafford Council"


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            {"portal": {"contact_email": "not an address"}},
            'datapackage.json: portal.contact_email: "not an address" is not an email address '
            "(such as name@example.gov.uk)",
        ),
        (
            {"portal": {"contact_url": "http://trafford.example.org"}},
            'datapackage.json: portal.contact_url: "http://trafford.example.org" is not a web address starting '
            "https:// (http and other schemes are not accepted)",
        ),
        (
            {"portal": {"mailing_list_url": "https://example.org/a b"}},
            'datapackage.json: portal.mailing_list_url: "https://example.org/a b" has a space',
        ),
        (
            {"portal": {"illustrative": "yes"}},
            'datapackage.json: portal.illustrative: "yes" is not true or false (write them without quotes)',
        ),
        (
            {"portal": {"area": ""}},
            "datapackage.json: portal.area: is blank: give the area's name or leave the property out",
        ),
        (
            {"portal": {"area": "Traff\nord"}},
            'datapackage.json: portal.area: "Traff\\nord" has a line break (character 6)',
        ),
        (
            {"portal": {"region": 12}},
            "datapackage.json: portal.region: must be text in quotes (the region's name), not a number",
        ),
        (
            {"portal": {"areaname": "Trafford"}},
            "datapackage.json: portal.areaname: is not a property the portal knows: use area, region, "
            "contact_email, contact_url, mailing_list_url, illustrative, complete",
        ),
        ({"portal": ["Trafford"]}, "datapackage.json: portal: must be a JSON object {...}, not a list"),
        (
            {"contributors": [{"role": "publisher"}]},
            "datapackage.json: contributors[0]: is a publisher without a title: give the publisher's name as its title",
        ),
        (
            {"contributors": {"title": "Trafford Council"}},
            "datapackage.json: contributors: must be a list [...] of contributors, not an object",
        ),
        (
            {"licenses": [{"title": "Open Government Licence v3.0"}]},
            "datapackage.json: licenses[0]: has no path: give the web address of the licence as its path",
        ),
        ({"licenses": []}, "datapackage.json: licenses: must be a list [...] with the data's licence first"),
    ],
)
def test_invalid_identity_metadata_is_named_by_its_property(contract, change, expected):
    found = messages(change, contract)
    assert any(m.startswith(expected) for m in found), found


def test_the_postcode_districts_of_the_area_and_the_region(contract):
    portal = {"local_postcode_districts": ["m16", " M17 ", "WA14", "M16"], "regional_postcode_districts": ["EC1A"]}
    identity, problems = identity_of({"portal": portal}, contract)
    assert problems == []
    assert identity.local_postcode_districts == ("M16", "M17", "WA14")  # upper case, each once, as listed
    assert identity.regional_postcode_districts == ("EC1A",)
    assert identity_of({}, contract)[0].local_postcode_districts == ()
    settings = read_settings({"PATH": "content"}).with_identity(identity)
    assert settings.local_postcode_districts == ("M16", "M17", "WA14")
    assert settings.regional_postcode_districts == ("EC1A",)


@pytest.mark.parametrize(
    ("districts", "expected"),
    [
        (
            "M1, M2",
            "datapackage.json: portal.local_postcode_districts: must be a list [...] of the postcode districts of "
            "the area, not text",
        ),
        (
            ["M1", "M14 4PX"],
            'datapackage.json: portal.local_postcode_districts[1]: "M14 4PX" is not a postcode district: write the '
            "first half of a postcode, such as M14 or SK4",
        ),
        (
            [14],
            "datapackage.json: portal.local_postcode_districts[0]: 14 is not a postcode district: write the first "
            "half of a postcode, such as M14 or SK4",
        ),
        (["M1"] * 3001, "datapackage.json: portal.local_postcode_districts: has 3,001 items: the limit is 3,000"),
    ],
)
def test_postcode_districts_that_are_not(contract, districts, expected):
    assert messages({"portal": {"local_postcode_districts": districts}}, contract) == [expected]


def test_a_file_that_is_not_json_or_not_an_object(tmp_path, contract):
    (tmp_path / "datapackage.json").write_text('{"portal": {"area": "Trafford",}}', encoding="utf-8")
    found = [str(p) for p in read_identity(tmp_path, contract)[1]]
    assert found == [
        "datapackage.json:1: is not valid JSON: Expecting property name enclosed in double quotes (line 1, column 32)"
    ]
    (tmp_path / "datapackage.json").write_text('["Trafford"]', encoding="utf-8")
    assert [str(p) for p in read_identity(tmp_path, contract)[1]] == [
        "datapackage.json: must be a JSON object {...}, not a list"
    ]


def test_table_schemas_in_the_data_folder_must_be_the_projects(contract):
    same = {**TRAFFORD, "resources": copy.deepcopy(contract.descriptor["resources"])}
    assert messages(same, contract) == []
    changed = copy.deepcopy(same)
    contracts = next(r for r in changed["resources"] if r["name"] == "contracts")
    next(f for f in contracts["schema"]["fields"] if f["name"] == "title")["constraints"]["maxLength"] = 50
    assert messages(changed, contract) == [
        "datapackage.json: resources[contracts].schema.fields[title].constraints.maxLength: is 50 here but 300 in "
        "the project's data contract: the table schemas in the data folder must be exactly the project's data "
        "contract; leave 'resources' out to use the project's"
    ]
    fewer = copy.deepcopy(same)
    del fewer["resources"][-1]
    tables = len(contract.tables)
    assert messages(fewer, contract)[0].startswith(
        f"datapackage.json: resources: has {tables - 1} items here but {tables} in the project's data contract"
    )
    added = copy.deepcopy(same)
    commitments = next(r for r in added["resources"] if r["name"] == "commitments")
    commitments["schema"]["fields"][0]["unit"] = "FTE"
    assert messages(added, contract)[0].startswith(
        "datapackage.json: resources[commitments].schema.fields[contract_id].unit: is not in the project's data "
        "contract"
    )


def test_the_identity_replaces_the_settings_fallbacks(tmp_path, contract):
    settings = read_settings({"PATH": str(tmp_path / "content"), "SITENAME": PELICAN_DEFAULT_SITENAME})
    assert (settings.publisher, settings.area_name, settings.region_name) == (
        "the commissioners",
        "the area",
        "the region",
    )
    assert settings.sitename == "Social value transparency portal" and not settings.illustrative
    trafford = settings.with_identity(identity_of(TRAFFORD, contract)[0])
    assert trafford.sitename == "Social value in Trafford"
    assert (trafford.publisher, trafford.area_name, trafford.contact_email) == (
        "Trafford Council",
        "Trafford",
        "social.value@trafford.example.org",
    )
    assert trafford.licence_name == "Creative Commons Attribution 4.0"
    named = read_settings({"PATH": str(tmp_path / "content"), "SITENAME": "Trafford's social value"})
    assert named.with_identity(identity_of(TRAFFORD, contract)[0]).sitename == "Trafford's social value"
    with_area = read_settings({"PORTAL": {"area_name": "Stockport"}, "PATH": str(tmp_path / "content")})
    assert with_area.sitename == "Social value in Stockport"
    assert with_area.with_identity(Identity()).sitename == "Social value in Stockport"


def test_pelicans_default_sitename_is_the_one_the_settings_ignore():
    assert pelican.settings.DEFAULT_CONFIG["SITENAME"] == PELICAN_DEFAULT_SITENAME


# --- only contracts.csv is required ------------------------------------------------------------


def test_a_data_folder_with_contracts_only_loads(tmp_path, contract):
    (tmp_path / "contracts.csv").write_bytes((SMALL / "contracts.csv").read_bytes())
    dataset = load_dataset(tmp_path, contract)
    assert dataset.errors == []
    assert sorted(dataset.absent) == sorted(t.name for t in contract.tables if t.name != "contracts")


def test_commitments_need_their_measures(tmp_path, contract):
    for name in ("contracts.csv", "commitments.csv"):
        (tmp_path / name).write_bytes((SMALL / name).read_bytes())
    commitments = len((SMALL / "commitments.csv").read_text(encoding="utf-8").strip().splitlines()) - 1
    found = [str(p) for p in load_dataset(tmp_path, contract).errors]
    assert found == [
        f"measures.csv: the file is missing, but commitments.csv has {commitments} rows naming a measure_id of "
        "measures.csv: publish measures.csv with commitments.csv"
    ]


def test_outcomes_need_their_commitments(tmp_path, contract):
    for name in ("contracts.csv", "measures.csv", "outcomes.csv"):
        (tmp_path / name).write_bytes((SMALL / name).read_bytes())
    found = [str(p) for p in load_dataset(tmp_path, contract).errors]
    assert len(found) == 1 and found[0].startswith("commitments.csv: the file is missing, but outcomes.csv has ")


def test_the_identity_file_of_the_fixtures_is_valid(contract):
    for folder in (SMALL, ROOT / "tests" / "golden" / "data"):
        assert read_identity(folder, contract)[1] == [], folder
        assert json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))["portal"]["illustrative"] is True
