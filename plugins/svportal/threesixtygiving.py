"""The 360Giving Data Standard's vocabulary: its JSON property names and the column titles of its spreadsheets.

A 360Giving grant is a JSON object (``{"id": …, "recipientOrganization": [{"id": …, "name": …}], …}``); its
spreadsheet form names each field by a column title made of the titles of the JSON properties on its way:
``recipientOrganization[0].name`` is ``Recipient Org:Name``, ``plannedDates[0].duration`` is
``Planned Dates:Duration (months)``. The titles here are those of the standard's schema
(github.com/ThreeSixtyGiving/standard, schema/360-giving-schema.json).

Which column of the portal holds which field is said once, in the data contract: each field of the
``grants`` table has ``standard: {"360Giving": "<column title>"}`` (:func:`column_titles`). The importer
(importers/giving360*.py) and the export (grants_export.py) both go through this module, so the two cannot
disagree about where a value lives.
"""

from __future__ import annotations

import re
from functools import lru_cache

from .schema import Table

STANDARD = "360Giving"  # the key of a field's ``standard`` property

# The grant's own properties that hold one value
GRANT_FIELDS = {
    "id": "Identifier",
    "title": "Title",
    "description": "Description",
    "currency": "Currency",
    "amountAppliedFor": "Amount Applied For",
    "amountAwarded": "Amount Awarded",
    "amountDisbursed": "Amount Disbursed",
    "awardDate": "Award Date",
    "url": "URL",
    "fromOpenCall": "From an open call?",
    "relatedActivity": "Related Activity",
    "dateModified": "Last modified",
    "dataSource": "Data Source",
}

_ORGANIZATION = {
    "id": "Identifier",
    "name": "Name",
    "department": "Department",
    "charityNumber": "Charity Number",
    "companyNumber": "Company Number",
    "streetAddress": "Street Address",
    "addressLocality": "City",
    "addressRegion": "County",
    "addressCountry": "Country",
    "postalCode": "Postal Code",
    "description": "Description",
    "url": "Web Address",
}
_LOCATION = {
    "name": "Name",
    "countryCode": "Country Code",
    "latitude": "Latitude",
    "longitude": "Longitude",
    "geoCode": "Geographic Code",
    "geoCodeType": "Geographic Code Type",
}
_EVENT = {"startDate": "Start Date", "endDate": "End Date", "duration": "Duration (months)"}
_PROGRAMME = {"code": "Code", "title": "Title", "url": "URL"}

# The grant's arrays of objects: (section title, the titles of the first object's properties). The
# spreadsheet's "Section:Field" columns hold the first object of each; further objects have no column.
SECTIONS = {
    "plannedDates": ("Planned Dates", _EVENT),
    "actualDates": ("Actual Dates", _EVENT),
    "recipientOrganization": ("Recipient Org", _ORGANIZATION),
    "beneficiaryLocation": ("Beneficiary Location", _LOCATION),
    "fundingOrganization": ("Funding Org", _ORGANIZATION),
    "grantProgramme": ("Grant Programme", _PROGRAMME),
}

# The grant's properties the standard's schema types as numbers; every other value the portal keeps is text
# in its JSON (dates as YYYY-MM-DD, Duration (months) as "12", From an open call? as "Yes" or "No")
NUMBERS = ("amountAppliedFor", "amountAwarded", "amountDisbursed")

# The properties the standard's schema requires of a grant, and of an organisation
REQUIRED_GRANT = ("id", "title", "description", "currency", "amountAwarded", "awardDate")
REQUIRED_ORGANIZATION = ("id", "name")


def json_path(title: str) -> tuple[str | None, str] | None:
    """Where a column title's value lives in a grant: (array property or None, property); None if unknown.

    ``Recipient Org:Name`` -> ``("recipientOrganization", "name")``; ``Title`` -> ``(None, "title")``.
    """
    wanted = title_key(title)
    for key, known in GRANT_FIELDS.items():
        if title_key(known) == wanted:
            return None, key
    section_title, _, field_title = title.partition(":")
    for section, (known_section, fields) in SECTIONS.items():
        if title_key(known_section) == title_key(section_title):
            for key, known in fields.items():
                if title_key(known) == title_key(field_title):
                    return section, key
    return None


def title_of(section: str | None, key: str) -> str | None:
    """The column title of a grant property (``section`` is its array, None for the grant's own); None if none."""
    if section is None:
        return GRANT_FIELDS.get(key)
    found = SECTIONS.get(section)
    if found is None or key not in found[1]:
        return None
    return f"{found[0]}:{found[1][key]}"


@lru_cache(maxsize=1 << 12)
def title_key(title: str) -> str:
    """A column title in the form titles are matched in: any case, spaces around ``:`` and runs of spaces ignored."""
    return re.sub(r"\s*:\s*", ":", " ".join(title.split())).casefold()


def column_titles(table: Table) -> dict[str, str]:
    """The table's columns that hold a 360Giving field: column name -> the standard's column title."""
    found = {}
    for f in table.fields:
        title = (f.descriptor.get("standard") or {}).get(STANDARD)
        if title:
            found[f.name] = title
    return found
