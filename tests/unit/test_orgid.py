"""Organisation identifiers (plugins/svportal/orgid.py): schemes of org-id.guide and the shapes of UK ids."""

from __future__ import annotations

import pytest

from svportal import orgid

VALID = [
    ("GB-COH-01234567", "GB-COH-01234567"),
    ("GB-COH-SC123456", "GB-COH-SC123456"),
    ("gb-coh-oc301234", "GB-COH-OC301234"),  # any case: kept in the usual form
    ("GB-COH-NI012345", "GB-COH-NI012345"),
    ("GB-COH-IP28421R", "GB-COH-IP28421R"),
    ("GB-CHC-220949", "GB-CHC-220949"),
    ("GB-CHC-1123456", "GB-CHC-1123456"),
    ("GB-SC-SC012345", "GB-SC-SC012345"),
    ("GB-NIC-100123", "GB-NIC-100123"),
    ("GB-NIC-NIC100123", "GB-NIC-100123"),
    ("GB-LAE-MAN", "GB-LAE-MAN"),
    ("GB-LAS-GLAS", "GB-LAS-GLAS"),
    ("GB-PLA-CRF", "GB-PLA-CRF"),
    ("GB-NHS-RW3", "GB-NHS-RW3"),
    ("GB-NHS-14L", "GB-NHS-14L"),
    ("GB-NHS-E85001", "GB-NHS-E85001"),
    ("GB-GOR-D1234", "GB-GOR-D1234"),
    ("GB-MPR-RS008214", "GB-MPR-RS008214"),
    ("GB-UKPRN-10012345", "GB-UKPRN-10012345"),
    ("GB-EDU-100000", "GB-EDU-100000"),
    ("XI-LEI-5493001KJTIIGC8Y1R12", "XI-LEI-5493001KJTIIGC8Y1R12"),
    ("XI-DUNS-123456789", "XI-DUNS-123456789"),
    ("CN-11-CR-110000000000001", "CN-11-CR-110000000000001"),  # a code with two hyphens
    ("NL-KVK-12345678", "NL-KVK-12345678"),  # a registered scheme without a known shape
]

MALFORMED = [
    ("GB-COH-1234567", "leading zeros"),
    ("GB-COH-123456789", "8 characters"),
    ("GB-COH-SC12345", "8 characters"),
    ("GB-CHC-12345", "6 to 8 digits"),
    ("GB-CHC-SC012345", "6 to 8 digits"),
    ("GB-SC-012345", "SC and 6 digits"),
    ("GB-NIC-10012", "6 digits"),
    ("GB-LAE-MANCHESTER", "3 or 4 letters"),
    ("GB-LAE-M4N", "3 or 4 letters"),
    ("GB-NHS-ABCDEFG", "3 to 6"),
    ("GB-GOR-1234", "letters then digits"),
    ("GB-UKPRN-20012345", "starting 1"),
    ("GB-UKPRN-1001234", "starting 1"),
    ("GB-EDU-10000", "6 digits"),
    ("GB-PPON-ABCD-1234-WXYZ", "Public Procurement Organisation Number"),
    ("XI-LEI-5493001KJTIIGC8Y1R1", "20 letters and digits"),
    ("a;b", "is not an organisation identifier"),
    ("GB-COH-0123 4567", "is not an organisation identifier"),
    ("GB-COH", "is only a scheme"),
]


@pytest.mark.parametrize("text, identifier", VALID)
def test_valid_identifiers_are_used_in_their_usual_form(text, identifier):
    found = orgid.check(text)
    assert (found.identifier, found.error, found.warning) == (identifier, None, None)


@pytest.mark.parametrize("text, why", MALFORMED)
def test_malformed_identifiers_are_errors_that_say_why(text, why):
    found = orgid.check(text)
    assert found.identifier is None
    assert why in found.error


@pytest.mark.parametrize(
    "text, scheme", [("GB-CFS-12345", "GB-CFS"), ("360G-MCC-ORG-00417", "360G"), ("GB-PPON-PABC-1234-WXYZ", "GB-PPON")]
)
def test_schemes_known_outside_the_register_are_accepted_with_a_warning(text, scheme):
    found = orgid.check(text)
    assert (found.identifier, found.scheme, found.error) == (text, scheme, None)
    assert "not in the org-id.guide register" in found.warning


def test_an_unknown_scheme_is_a_warning_and_the_identifier_is_used():
    found = orgid.check("GB-XYZ-123")
    assert (found.identifier, found.scheme, found.error) == ("GB-XYZ-123", "GB-XYZ", None)
    assert "GB-XYZ, which is not in the org-id.guide register" in found.warning


def test_a_deprecated_scheme_is_a_warning():
    assert "deprecated" in orgid.check("GB-GOVUK-cabinet-office").warning


@pytest.mark.parametrize("text", ["01234567", "ACME", "GB-01234567"])
def test_no_scheme_falls_back_to_the_name_with_a_warning(text):
    found = orgid.check(text)
    assert (found.identifier, found.error) == (None, None)
    assert "known by its name" in found.warning
    assert not orgid.usable(text)


def test_the_register_ships_with_the_code_with_its_licence():
    schemes = orgid.schemes()
    assert {"GB-COH", "GB-CHC", "GB-SC", "GB-NIC", "GB-LAE", "GB-NHS", "XI-LEI"} <= set(schemes)
    assert not schemes["GB-CFS"].registered and schemes["GB-COH"].registered
    notice = (orgid.REGISTER.parent / "SOURCE.txt").read_text(encoding="utf-8")
    assert "Open Database License" in notice and orgid.LICENCE_URL in notice
