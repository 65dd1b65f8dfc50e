"""/data/ocds.json (plugins/svportal/ocds_export.py): the contracts as an OCDS 1.1 release package.

The values come from the small fixture (a contract with an ocid, a notice, a CPV code, commitments and
eight quarters of returns) and the organisations fixture (a joint award: a lead, a consortium member and
a subcontractor without an identifier). The package is then validated offline twice: by lib-cove-ocds
(the Open Contracting Partnership's own checker) with the OCDS 1.1.5 schema shipped in
plugins/svportal/reference/ocds/, and by jsonschema against the release package schema with the
metrics extension merged into the release schema.
"""

from __future__ import annotations

import copy
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import jsonschema
import pandas as pd
import pytest
from referencing import Registry, Resource

from support.sites import BUILD_DATE, FIXTURES, ROOT, SMALL
from svportal import model, ocds_export
from svportal.load import load_dataset
from svportal.settings import SettingsError, read_settings

REFERENCE = ROOT / "plugins" / "svportal" / "reference" / "ocds"
STANDARD = REFERENCE / "1.1.5"
HOMECARE, VCSE_CONTRACT, CONNECTORS = "MCC/ASC/2024/001", "MHCC-2026-002", "MLCO/CH/25/003"
JOINT = "MCC/HOM/2025/010"
PUBLICATION = ocds_export.Publication(
    publisher="Manchester City Council",
    published=pd.Timestamp(BUILD_DATE),
    ocid_prefix="ocds-abc123",
    siteurl="https://social-value.example.org",
    licence_url="https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/",
)
OFFLINE = "http://127.0.0.1:9"  # a proxy nothing listens on: any request for the network fails at once


def package_of(data_dir: Path, contract, publication=PUBLICATION, **changed) -> dict:
    """The release package of a fixture dataset, built as the site builds it (frames may be replaced)."""
    t = load_dataset(data_dir, contract).tables
    frames = {
        "contracts": t["contracts"],
        "suppliers": model.supplier_parties(t["contracts"], t.get("contract_suppliers")),
        "buyers": model.buyer_parties(t["contracts"]),
        "progress": model.commitment_progress(
            t["contracts"], t["measures"], t["commitments"], t["outcomes"], pd.Timestamp(BUILD_DATE)
        ),
        "outcomes": t["outcomes"],
    }
    frames.update(changed)
    return ocds_export.release_package(**frames, publication=publication)


@pytest.fixture(scope="module")
def small(contract) -> dict:
    return package_of(SMALL, contract)


@pytest.fixture(scope="module")
def organisations(contract) -> dict:
    return package_of(FIXTURES / "organisations", contract)


def release(package: dict, contract_id: str) -> dict:
    (found,) = [r for r in package["releases"] if r["contracts"][0]["id"] == contract_id]
    return found


# --- the package and its releases --------------------------------------------------------------------


def test_the_package_says_who_publishes_it_when_and_under_what_licence(small):
    assert small["uri"] == "https://social-value.example.org/data/ocds.json"
    assert small["version"] == "1.1"
    assert small["publishedDate"] == "2026-11-23T00:00:00Z"
    assert small["publisher"] == {"name": "Manchester City Council", "uri": "https://social-value.example.org"}
    assert small["license"] == PUBLICATION.licence_url
    assert small["extensions"] == [ocds_export.METRICS_EXTENSION]
    assert "publicationPolicy" not in small  # not known


def test_a_local_build_gives_the_package_its_path():
    local = ocds_export.Publication(publisher="X", published=pd.Timestamp(BUILD_DATE), ocid_prefix="ocds-abc123")
    assert local.uri == "/data/ocds.json"


def test_one_release_per_contract_with_its_own_ocid_or_one_made_from_the_prefix(small):
    assert [r["contracts"][0]["id"] for r in small["releases"]] == [HOMECARE, VCSE_CONTRACT, CONNECTORS]
    assert release(small, HOMECARE)["ocid"] == "ocds-b5fd17-0001"  # as the data gives it
    assert release(small, CONNECTORS)["ocid"] == "ocds-abc123-mlco-ch-25-003"  # prefix + the contract's slug
    first = release(small, HOMECARE)
    assert first["id"] == "MCC/ASC/2024/001-2026-11-23"
    assert first["date"] == "2026-11-23T00:00:00Z"
    assert first["initiationType"] == "tender"


def test_the_ocid_of_a_contract_without_one_is_the_prefix_and_its_slug():
    contracts = pd.DataFrame({"contract_id": ["MCC/ASC/2024/001", "B 2"], "ocid": ["ocds-b5fd17-0001", None]})
    assert ocds_export.ocids(contracts, "ocds-abc123").tolist() == ["ocds-b5fd17-0001", "ocds-abc123-b-2"]


def test_the_ocid_prefix_setting_must_be_one_the_standard_allows(tmp_path):
    assert read_settings({"PATH": str(tmp_path)}).ocid_prefix == "ocds-000000"  # a placeholder
    assert read_settings({"PATH": str(tmp_path), "PORTAL": {"ocid_prefix": "ocds-b5fd17"}}).ocid_prefix == "ocds-b5fd17"
    with pytest.raises(SettingsError, match="ocid_prefix 'MCC' is not an OCDS ocid prefix"):
        read_settings({"PATH": str(tmp_path), "PORTAL": {"ocid_prefix": "MCC"}})


def test_the_tag_says_what_each_release_holds(small):
    assert release(small, HOMECARE)["tag"] == ["award", "contract", "implementation"]  # it has returns
    assert release(small, CONNECTORS)["tag"] == ["award", "contract"]


def test_award_and_contract_give_value_period_cpv_notice_and_status(small):
    homecare = release(small, HOMECARE)
    (award,) = homecare["awards"]
    (contract,) = homecare["contracts"]
    period = {"startDate": "2024-10-01T00:00:00Z", "endDate": "2027-09-30T23:59:59Z"}
    assert award["value"] == contract["value"] == {"amount": 1234567.5, "currency": "GBP"}
    assert award["contractPeriod"] == contract["period"] == period
    assert contract["awardID"] == award["id"] == HOMECARE
    assert contract["items"][0]["classification"] == {"scheme": "CPV", "id": "85000000"}
    assert contract["documents"] == [
        {"id": "notice", "title": "Published notice", "url": "https://www.contractsfinder.service.gov.uk/notice/0001"}
    ]
    assert contract["status"] == "active"
    assert release(small, VCSE_CONTRACT)["contracts"][0]["status"] == "active"  # started 15 October 2026
    assert "items" not in release(small, CONNECTORS)["contracts"][0]  # no CPV code


def test_the_status_of_a_contract_follows_its_dates():
    today = pd.Timestamp("2026-11-23")
    assert ocds_export._status(pd.Timestamp("2027-01-01"), None, today) == "pending"
    assert ocds_export._status(pd.Timestamp("2025-01-01"), pd.Timestamp("2026-03-31"), today) == "terminated"
    assert ocds_export._status(pd.Timestamp("2025-01-01"), None, today) == "active"


# --- parties -------------------------------------------------------------------------------------------


def test_a_joint_award_names_both_suppliers_and_every_party_with_its_roles(organisations):
    joint = release(organisations, JOINT)
    parties = {p["id"]: p for p in joint["parties"]}
    assert list(parties) == ["GB-LAE-MAN", "GB-COH-01234567", "GB-CHC-1123456", "hulme-friends-group"]
    assert parties["GB-LAE-MAN"] == {
        "id": "GB-LAE-MAN",
        "name": "Manchester City Council",
        "identifier": {"scheme": "GB-LAE", "id": "MAN"},
        "roles": ["buyer"],
    }
    assert parties["GB-COH-01234567"]["identifier"] == {"scheme": "GB-COH", "id": "01234567"}
    assert parties["GB-COH-01234567"]["roles"] == ["supplier"]
    assert parties["GB-COH-01234567"]["details"] == {"scale": "sme", "vcse": False}
    assert parties["GB-CHC-1123456"]["roles"] == ["supplier"]  # a consortium member is a party to the contract
    assert parties["GB-CHC-1123456"]["details"] == {"scale": "sme", "vcse": True}
    assert parties["hulme-friends-group"]["roles"] == ["subcontractor"]
    assert "identifier" not in parties["hulme-friends-group"]  # no identifier: known by its name
    assert joint["buyer"] == {"id": "GB-LAE-MAN", "name": "Manchester City Council"}
    assert joint["awards"][0]["suppliers"] == [
        {"id": "GB-COH-01234567", "name": "Acme Care Ltd"},
        {"id": "GB-CHC-1123456", "name": "Bright Futures Trust"},
    ]


def test_a_buyer_without_an_identifier_is_known_by_its_name(organisations):
    connectors = release(organisations, CONNECTORS)
    assert connectors["buyer"] == {
        "id": "manchester-local-care-organisation",
        "name": "Manchester Local Care Organisation",
    }
    assert connectors["parties"][1]["details"] == {"scale": "sme", "vcse": True}


# --- metrics -------------------------------------------------------------------------------------------


def test_each_commitment_is_an_agreed_metric_with_its_target_to_its_due_date(small):
    metrics = {m["id"]: m for m in release(small, HOMECARE)["contracts"][0]["agreedMetrics"]}
    assert list(metrics) == ["EMP-01", "GRN-01", "RLW-01"]
    assert metrics["EMP-01"] == {
        "id": "EMP-01",
        "title": "Local people hired",
        "description": "Social value priority: Create employment and skills opportunities.",
        "observations": [
            {
                "id": "EMP-01-target",
                "measure": 30,
                "unit": {"name": "FTE"},
                "period": {"startDate": "2024-10-01T00:00:00Z", "endDate": "2027-09-30T23:59:59Z"},
            }
        ],
    }
    assert metrics["GRN-01"]["observations"][0]["notes"] == "The target is a ceiling: lower is better."
    assert "latest quarterly return" in metrics["RLW-01"]["observations"][0]["notes"]


def test_each_quarterly_return_is_an_observation_of_the_implementation(small):
    metrics = {m["id"]: m for m in release(small, HOMECARE)["contracts"][0]["implementation"]["metrics"]}
    assert list(metrics) == ["EMP-01", "GRN-01", "RLW-01"]
    observations = metrics["EMP-01"]["observations"]
    assert len(observations) == 8
    assert observations[0] == {
        "id": "EMP-01-2024-10-01",
        "period": {"startDate": "2024-10-01T00:00:00Z", "endDate": "2024-12-31T23:59:59Z"},
        "measure": 3,
        "unit": {"name": "FTE"},
        "dimensions": {"verification": "verified"},
        "notes": "Payroll records",
    }
    assert observations[-1]["period"]["endDate"] == "2026-09-30T23:59:59Z"
    assert [o["measure"] for o in metrics["RLW-01"]["observations"]] == [10, 15, 20, 25, 25, 30, 30, 30]
    assert "implementation" not in release(small, CONNECTORS)["contracts"][0]  # no returns


def test_an_amount_in_pounds_is_a_value(contract):
    t = load_dataset(SMALL, contract).tables
    measures = t["measures"].assign(unit=t["measures"]["unit"].where(t["measures"]["measure_id"] != "EMP-01", "GBP"))
    progress = model.commitment_progress(
        t["contracts"], measures, t["commitments"], t["outcomes"], pd.Timestamp(BUILD_DATE)
    )
    package = package_of(SMALL, contract, progress=progress)
    (contract_record,) = release(package, HOMECARE)["contracts"]
    target = contract_record["agreedMetrics"][0]["observations"][0]
    assert target["value"] == {"amount": 30, "currency": "GBP"} and "measure" not in target and "unit" not in target
    delivered = contract_record["implementation"]["metrics"][0]["observations"][0]
    assert delivered["value"] == {"amount": 3, "currency": "GBP"}


# --- the file --------------------------------------------------------------------------------------------


def test_the_file_is_deterministic_sorted_and_never_nan(small, contract):
    text = ocds_export.to_json(small)
    assert text == ocds_export.to_json(package_of(SMALL, contract))
    t = load_dataset(SMALL, contract).tables
    shuffled = package_of(SMALL, contract, contracts=t["contracts"].iloc[::-1])  # rows in another order
    assert ocds_export.to_json(shuffled) == text
    assert b"NaN" not in text and text.endswith(b"}\n")
    parsed = json.loads(text)
    assert list(parsed) == sorted(parsed)
    assert list(parsed["releases"][0]) == sorted(parsed["releases"][0])


# --- validation, offline -----------------------------------------------------------------------------------


def standard_zip(folder: Path) -> Path:
    """The OCDS 1.1.5 schema files as lib-cove-ocds reads a copy of the standard: its first entry is the root."""
    path = folder / "standard.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("standard-1__1__5/", "")
        for file in sorted(p for p in STANDARD.rglob("*") if p.is_file()):
            archive.write(file, "standard-1__1__5/schema/" + file.relative_to(STANDARD).as_posix())
    return path


def cove(package: dict, folder: Path) -> dict:
    """lib-cove-ocds' results for ``package`` without its extensions (which it would fetch), with no network."""
    package = {k: v for k, v in package.items() if k != "extensions"}
    data = folder / "package.json"
    data.write_text(json.dumps(package), encoding="utf-8")
    proxies = {name: OFFLINE for name in ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy")}
    environment = {**os.environ, **proxies, "NO_PROXY": "", "no_proxy": ""}
    command = Path(sys.executable).with_name("libcoveocds")
    result = subprocess.run(
        [str(command), "--standard-zip", str(standard_zip(folder)), "-s", "1.1", str(data)],
        capture_output=True,
        text=True,
        env=environment,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout)


@pytest.mark.parametrize("fixture", ["small", "organisations"])
def test_lib_cove_ocds_finds_no_error(fixture, request, tmp_path):
    results = cove(request.getfixturevalue(fixture), tmp_path)
    assert results["version_used"] == "1.1"
    assert results["validation_errors"] == []
    assert results["additional_closed_codelist_values"] == {}
    assert "conformance_errors" not in results  # such as an ocid prefix of the wrong form
    assert results["count"] == len(request.getfixturevalue(fixture)["releases"])


def test_lib_cove_ocds_would_find_an_error(small, tmp_path):
    """The check above can fail: a release without its date and a tag not in the closed codelist are reported."""
    broken = copy.deepcopy(small)
    del broken["releases"][0]["date"]
    broken["releases"][1]["tag"] = ["bogus"]
    results = cove(broken, tmp_path)
    assert "'date' is missing but required" in json.dumps(results["validation_errors"])
    assert results["additional_closed_codelist_values"]["releases/tag"]["values"] == ["bogus"]


def merge_patch(target, patch):
    """RFC 7386 JSON Merge Patch: how an OCDS extension's release-schema.json applies to the release schema."""
    if not isinstance(patch, dict):
        return patch
    merged = dict(target) if isinstance(target, dict) else {}
    for key, value in patch.items():
        if value is None:
            merged.pop(key, None)
        else:
            merged[key] = merge_patch(merged.get(key), value)
    return merged


def extended_validator() -> jsonschema.Draft4Validator:
    """The release package schema, its release schema patched with the metrics extension; formats checked."""
    release_schema = json.loads((STANDARD / "release-schema.json").read_text(encoding="utf-8"))
    metrics = json.loads((REFERENCE / "extensions" / "metrics" / "release-schema.json").read_text(encoding="utf-8"))
    package_schema = json.loads((STANDARD / "release-package-schema.json").read_text(encoding="utf-8"))
    extended = merge_patch(release_schema, metrics)
    registry = Registry().with_resource(
        package_schema["properties"]["releases"]["items"]["$ref"], Resource.from_contents(extended)
    )
    return jsonschema.Draft4Validator(
        package_schema, registry=registry, format_checker=jsonschema.Draft4Validator.FORMAT_CHECKER
    )


@pytest.mark.parametrize("fixture", ["small", "organisations"])
def test_the_package_is_valid_against_the_schema_with_the_metrics_extension(fixture, request):
    package = request.getfixturevalue(fixture)
    errors = [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in extended_validator().iter_errors(package)]
    assert errors == []


def test_the_extended_schema_knows_the_metrics_and_checks_formats(small):
    """The patch took: a metric without its id is an error (the core schema alone would not say so); and
    the formats of addresses and dates are checked."""
    broken = copy.deepcopy(small)
    del release(broken, HOMECARE)["contracts"][0]["agreedMetrics"][0]["id"]
    broken["uri"], broken["publishedDate"] = "not an address", "2026-11-23"
    messages = sorted(e.message for e in extended_validator().iter_errors(broken))
    assert messages == [
        "'2026-11-23' is not a 'date-time'",
        "'id' is a required property",
        "'not an address' is not a 'uri'",
    ]
