"""The contracts as Open Contracting data: an OCDS 1.1 release package, published as ``/data/ocds.json``.

Pure: the validated tables and the model's frames in, a plain dict (and its bytes) out. One release per
contract, with its tag ``award`` and ``contract`` (and ``implementation`` when quarterly returns have
been published):

* ``ocid``: the contract's ``ocid`` when the data gives one (as published on Contracts Finder or Find a
  Tender), otherwise ``<ocid_prefix>-<the contract's page slug>`` (the ``ocid_prefix`` setting): stable
  for as long as the contract keeps its id. Release ids are ``<contract_id>-<build date>``.
* ``parties``: the buyer and every supplier of contracts.csv and contract_suppliers.csv, known by
  their organisation identifier (``GB-COH-01234567``, split into ``identifier.scheme`` and
  ``identifier.id``) or, without one, by their name's slug. Roles: ``buyer``; ``supplier`` for the lead
  and the consortium members (the award's suppliers); ``subcontractor`` (a code of the open
  partyRole codelist that the core list does not have) for subcontractors. ``details.scale``
  (``sme`` or ``large``) and ``details.vcse`` as on this contract, as the UK's OCDS data has them.
* ``awards`` and ``contracts``: one each, both with the contract's id, value in GBP, period and CPV
  classification; the contract's status is worked out from its dates at the build date.
* The social value commitments and their delivery, with the OCDS metrics extension: each
  commitment's target is one of ``contracts[].agreedMetrics`` (one observation: the target, in the
  measure's unit, over the period from the contract's start to the commitment's due date) and each
  quarterly return an observation of ``contracts[].implementation.metrics`` (the period it covers and
  what was delivered). An amount in pounds is a ``value``; one in another unit a ``measure`` with its
  ``unit.name``.

The package's ``publishedDate`` and each release's ``date`` are the build date, so the same data and
build date give the same bytes (:func:`to_json`: sorted keys, compact, never NaN).
"""

from __future__ import annotations

import datetime
import functools
import json
from dataclasses import dataclass

import pandas as pd

from . import orgid
from .parse import slugify
from .records import group_by, plain, records

VERSION = "1.1"
PATH = "data/ocds.json"  # where the package is published, below the site's address
METRICS_EXTENSION = (
    "https://raw.githubusercontent.com/open-contracting-extensions/ocds_metrics_extension/master/extension.json"
)
EXTENSIONS = (METRICS_EXTENSION,)
CURRENCY = "GBP"
MONEY_UNITS = frozenset({"gbp", "£", "pounds"})  # a measure in these units is money: an observation's value
AWARD_SUPPLIERS = ("lead", "consortium-member")  # the parties to the contract; subcontractors are not
PARTY_ROLES = {"buyer": "buyer", "lead": "supplier", "consortium-member": "supplier", "subcontractor": "subcontractor"}
TARGET_NOTES = {
    "decrease": "The target is a ceiling: lower is better.",
    "latest": "The target is a level: the latest quarterly return is compared with it.",
}


@dataclass(frozen=True)
class Publication:
    """Who publishes the package, when, under what licence, and the ocid prefix for contracts without an ocid."""

    publisher: str
    published: pd.Timestamp  # the build date
    ocid_prefix: str
    siteurl: str = ""  # the site's absolute address without a trailing slash, or "" (a local build)
    licence_url: str | None = None
    publication_policy: str | None = None  # the address of the publisher's publication policy, if it has one

    @property
    def uri(self) -> str:
        """The package's own address (its path alone in a local build, which has no address)."""
        return f"{self.siteurl}/{PATH}" if self.siteurl else f"/{PATH}"


def ocids(contracts: pd.DataFrame, prefix: str) -> pd.Series:
    """Each contract's ocid: its own ``ocid`` when given, else ``<prefix>-<contract slug>``."""
    made = prefix.rstrip("-") + "-" + contracts["contract_id"].map(slugify)
    given = contracts["ocid"] if "ocid" in contracts.columns else pd.Series(None, index=contracts.index)
    return given.where(given.notna() & given.astype("string").str.strip().ne(""), made)


def release_package(
    contracts: pd.DataFrame,
    suppliers: pd.DataFrame,
    buyers: pd.DataFrame,
    progress: pd.DataFrame,
    outcomes: pd.DataFrame,
    publication: Publication,
) -> dict:
    """The OCDS release package of the contracts, one release per contract (sorted by contract id).

    ``suppliers`` and ``buyers`` are the contracts' parties (model.supplier_parties, model.buyer_parties),
    ``progress`` the commitments (model.commitment_progress) and ``outcomes`` the quarterly returns.
    """
    frame = contracts.drop(columns=["_line"], errors="ignore").assign(_ocid=ocids(contracts, publication.ocid_prefix))
    frame = frame.sort_values("contract_id", kind="stable")
    supplier_rows = group_by(records(suppliers), "contract_id")
    buyer_rows = group_by(records(buyers), "contract_id")
    commitments = group_by(records(progress), "contract_id") if len(progress) else {}
    returns = outcomes.sort_values(["contract_id", "measure_id", "period_start", "period_end"], kind="stable")
    returned = group_by(records(returns), "contract_id") if len(returns) else {}
    published = _timestamp(publication.published)
    releases = [
        _release(
            contract,
            supplier_rows.get(contract["contract_id"], []),
            buyer_rows.get(contract["contract_id"], []),
            commitments.get(contract["contract_id"], []),
            group_by(returned.get(contract["contract_id"], []), "measure_id"),
            publication,
            published,
        )
        for contract in records(frame)
    ]
    package = {
        "uri": publication.uri,
        "version": VERSION,
        "extensions": list(EXTENSIONS),
        "publishedDate": published,
        "publisher": _without_blanks({"name": publication.publisher, "uri": publication.siteurl or None}),
        "license": publication.licence_url,
        "publicationPolicy": publication.publication_policy,
        "releases": releases,
    }
    return _without_blanks(package)


def to_json(package: dict) -> bytes:
    """The package as compact UTF-8 JSON: keys sorted, a final line break, never NaN.

    Compact, because Python writes indented JSON with its slow encoder (4 s for 300 contracts' releases):
    any JSON tool shows it indented."""
    text = json.dumps(package, ensure_ascii=False, sort_keys=True, allow_nan=False, separators=(",", ":"))
    return (text + "\n").encode("utf-8")


# --- one release -------------------------------------------------------------------------------


def _release(
    contract: dict,
    suppliers: list[dict],
    buyers: list[dict],
    commitments: list[dict],
    returns: dict[str, list[dict]],
    publication: Publication,
    published: str,
) -> dict:
    parties = _parties(buyers, suppliers)
    buyer = next((_reference(row) for row in buyers), None)
    awarded = [_reference(row) for row in suppliers if row.get("role") in AWARD_SUPPLIERS]
    period = _period(contract.get("start_date"), contract.get("end_date"))
    value = _value(contract.get("value_gbp"))
    items = _items(contract)
    award = _without_blanks(
        {
            "id": contract["contract_id"],
            "title": contract.get("title"),
            "status": "active",
            "value": value,
            "suppliers": awarded,
            "contractPeriod": period,
            "items": items,
        }
    )
    metrics = [
        _implementation_metric(row, returns[row["measure_id"]]) for row in commitments if row["measure_id"] in returns
    ]
    record = _without_blanks(
        {
            "id": contract["contract_id"],
            "awardID": contract["contract_id"],
            "title": contract.get("title"),
            "description": contract.get("description"),
            "status": _status(contract.get("start_date"), contract.get("end_date"), publication.published),
            "period": period,
            "value": value,
            "items": items,
            "documents": [{"id": "notice", "title": "Published notice", "url": contract["notice_url"]}]
            if contract.get("notice_url")
            else None,
            "agreedMetrics": [_agreed_metric(row) for row in commitments if row.get("target") is not None],
            "implementation": {"metrics": metrics} if metrics else None,
        }
    )
    tag = ["award", "contract", *(["implementation"] if metrics else [])]
    release = {
        "ocid": contract["_ocid"],
        "id": f"{contract['contract_id']}-{publication.published:%Y-%m-%d}",
        "date": published,
        "tag": tag,
        "initiationType": "tender",
        "language": "en",
        "parties": parties,
        "buyer": buyer,
        "awards": [award],
        "contracts": [record],
    }
    return _without_blanks(release)


def _party_id(row: dict) -> str:
    """An organisation's id in the release: its identifier (``GB-COH-01234567``), or its name's slug."""
    checked = orgid.check(row["org_id"]) if row.get("org_id") else None
    return (checked.identifier if checked else None) or row["slug"]


def _reference(row: dict) -> dict:
    return {"id": _party_id(row), "name": row.get("name")}


def _parties(buyers: list[dict], suppliers: list[dict]) -> list[dict]:
    """The buyer, then each supplier, once each by id, with every role it has on this contract."""
    found: dict[str, dict] = {}
    for row in [*buyers, *suppliers]:
        party_id = _party_id(row)
        party = found.setdefault(party_id, {"id": party_id, "name": row.get("name"), "roles": []})
        role = PARTY_ROLES.get(row.get("role"), row.get("role"))
        if role and role not in party["roles"]:
            party["roles"].append(role)
        if row.get("org_id"):
            checked = orgid.check(row["org_id"])
            if checked.identifier and checked.scheme:
                party["identifier"] = {"scheme": checked.scheme, "id": checked.identifier[len(checked.scheme) + 1 :]}
        details = {"scale": row.get("supplier_size"), "vcse": row.get("supplier_vcse")}
        if row.get("role") != "buyer" and any(v is not None for v in details.values()):
            party["details"] = {**party.get("details", {}), **_without_blanks(details)}
    return list(found.values())


def _agreed_metric(row: dict) -> dict:
    """A commitment as an agreed metric: its target over the period from the contract's start to its due date."""
    notes = " ".join(TARGET_NOTES[key] for key in (row.get("direction"), row.get("aggregation")) if key in TARGET_NOTES)
    observation = {
        "id": f"{row['measure_id']}-target",
        "period": _period(row.get("start_date"), row.get("due_date")),
        "notes": notes or None,
        **_amount(row["target"], row.get("unit")),
    }
    return _without_blanks(
        {
            "id": row["measure_id"],
            "title": row.get("measure_title"),
            "description": f"Social value priority: {row['priority']}." if row.get("priority") else None,
            "observations": [_without_blanks(observation)],
        }
    )


def _implementation_metric(row: dict, returns: list[dict]) -> dict:
    """A commitment's quarterly returns, each an observation of what was delivered in its period."""
    observations = [
        _without_blanks(
            {
                "id": f"{row['measure_id']}-{_date(one['period_start'])}",
                "period": _period(one.get("period_start"), one.get("period_end")),
                "dimensions": {"verification": one["status"]} if one.get("status") else None,
                "notes": one.get("evidence"),
                **_amount(one["delivered"], row.get("unit")),
            }
        )
        for one in returns
    ]
    return _without_blanks({"id": row["measure_id"], "title": row.get("measure_title"), "observations": observations})


# --- values ----------------------------------------------------------------------------------------


def _amount(number, unit: str | None) -> dict:
    """An observation's amount: a value in pounds, or a measure in its unit."""
    number = _number(number)
    if unit and unit.strip().casefold() in MONEY_UNITS:
        return {"value": {"amount": number, "currency": CURRENCY}}
    return {"measure": number, "unit": {"name": unit} if unit else None}


def _value(amount) -> dict | None:
    amount = _number(amount)
    return None if amount is None else {"amount": amount, "currency": CURRENCY}


def _items(contract: dict) -> list[dict] | None:
    """One item, classified by the contract's CPV code (none without one)."""
    code = contract.get("cpv_code")
    if not code:
        return None
    return [{"id": "1", "description": contract.get("title"), "classification": {"scheme": "CPV", "id": str(code)}}]


def _status(start, end, today: pd.Timestamp) -> str | None:
    """pending before the start date, terminated after the end date, else active (as at the build date)."""
    today = pd.Timestamp(today).date()
    start, end = plain(start), plain(end)
    if start is None:
        return None
    if today < start:
        return "pending"
    if end is not None and today > end:
        return "terminated"
    return "active"


def _period(start, end) -> dict | None:
    """A period from the start of its first day to the end of its last (UTC)."""
    start, end = plain(start), plain(end)
    period = {"startDate": _timestamp(start) if start else None, "endDate": _timestamp(end, end=True) if end else None}
    return _without_blanks(period) or None


@functools.lru_cache(maxsize=4096)  # the same quarter ends, thousands of times
def _date(day) -> str:
    return plain(day).strftime("%Y-%m-%d")


@functools.lru_cache(maxsize=4096)
def _timestamp(day, end: bool = False) -> str:
    """A date as an OCDS date-time: ``2026-09-30T00:00:00Z`` (``T23:59:59Z`` for the end of a period)."""
    day = pd.Timestamp(day).date() if not isinstance(day, datetime.date) else day
    return f"{day:%Y-%m-%d}" + ("T23:59:59Z" if end else "T00:00:00Z")


def _number(value):
    """A plain int or float (an int when whole), None when missing."""
    value = plain(value)
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _without_blanks(values: dict) -> dict:
    """The dict without None, empty strings, empty lists and empty dicts (OCDS leaves out what is not known)."""
    return {k: v for k, v in values.items() if v is not None and v != "" and v != [] and v != {}}
