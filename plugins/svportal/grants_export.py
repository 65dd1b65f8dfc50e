"""The grants as a 360Giving JSON package, published as ``/data/grants.json``: ``{"grants": [...]}``.

Pure: the grants table as the loader returns it (and the contract's table, which says which 360Giving
field each column holds: :func:`.threesixtygiving.column_titles`) in, a dict (and its bytes) out. Each
grant has the standard's nested shape: ``recipientOrganization[0].id``, ``fundingOrganization[0].name``,
``plannedDates[0].startDate``, ``beneficiaryLocation[0].geoCode``, ``grantProgramme[0].title``...

* Amounts are JSON numbers (``2266``, ``4779.54``); every other value is text, as the standard's schema
  types it: dates ``YYYY-MM-DD``, ``duration`` ``"12"``, ``fromOpenCall`` ``"Yes"`` or ``"No"``.
* ``currency`` is GBP where the data leaves it blank (the data dictionary's rule).
* A blank value is left out, and so is an array with nothing in it (no planned dates, no programme).
* Left out too: ``last_modified``, as the portal keeps only its date and the standard's ``dateModified`` is
  a full date and time; and the columns staff added, which are not 360Giving fields (grants.csv has them).
* A grant whose data lacks a field the standard requires but the portal does not (a description, the
  recipient's or funder's identifier) is published without it rather than with something made up.

Grants are sorted by identifier and the text has a fixed form (:func:`to_json`), so the same data gives
the same bytes.
"""

from __future__ import annotations

import datetime
import json
import math

import pandas as pd

from .records import plain, records
from .schema import Table
from .threesixtygiving import NUMBERS, column_titles, json_path

DEFAULT_CURRENCY = "GBP"
FORMAT = "360Giving"  # what the /data/ page calls the form of grants.json
NOT_EXPORTED = ("last_modified",)
TABLE = "grants"
PATH = "data/grants.json"


def is_package(dataset: str, rows: int) -> bool:
    """Whether a dataset's JSON download is this package (the grants, when there are any: the standard's
    package schema wants at least one grant) rather than the array of records every other dataset has."""
    return dataset == TABLE and rows > 0


def grants_package(grants: pd.DataFrame, table: Table) -> dict:
    """``{"grants": [...]}``: one 360Giving grant per row, sorted by identifier."""
    places = _places(table)
    key = table.primary_key[0]
    rows = sorted(records(grants[[c for c in grants.columns if c in places]]), key=lambda row: str(row[key]))
    return {"grants": [_grant(row, places) for row in rows]}


def to_json(package: dict) -> bytes:
    """The package's text: UTF-8, two-space indentation, keys in the standard's order, never NaN."""
    return (json.dumps(package, ensure_ascii=False, indent=2, allow_nan=False) + "\n").encode("utf-8")


def _places(table: Table) -> dict[str, tuple[str | None, str]]:
    """Each exported column's place in a grant: (array property or None, property), in the contract's order."""
    found = {}
    for column, title in column_titles(table).items():
        place = json_path(title)
        if place is not None and column not in NOT_EXPORTED:
            found[column] = place
    return found


def _grant(row: dict, places: dict[str, tuple[str | None, str]]) -> dict:
    grant: dict = {}
    for column, (section, name) in places.items():
        value = _json_value(row.get(column), name in NUMBERS and section is None)
        if name == "currency" and section is None and value is None:
            value = DEFAULT_CURRENCY
        if value is None:
            continue
        if section is None:
            grant[name] = value
        else:
            grant.setdefault(section, [{}])[0][name] = value
    return grant


def _json_value(value, number: bool):
    """A cell as the standard writes it: a number for an amount, otherwise text; None for a blank."""
    value = plain(value)
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float):
        if math.isnan(value) or math.isinf(value):
            return None
        if number:
            return int(value) if value.is_integer() else value
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, int):
        return value if number else str(value)
    return str(value)
