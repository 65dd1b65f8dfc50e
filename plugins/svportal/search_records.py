"""What a page tells search (Pagefind) about itself: its type, id, buyer, status and a one-line summary.

Each page of a contract, supplier, buyer, priority or opportunity carries these in hidden elements
(templates/_search.html): the type (and buyer) as Pagefind filters, the id, buyer and status as
metadata that the search page shows under each result, and the id again in an element weighted
high, so that a search for an id puts its page first. The summary is the page's meta description,
which Pagefind takes as the page's "summary" metadata: the search page shows it instead of an
excerpt of the page's text, which was often a run of table cells.

Pure: a page model row in, plain text out (autoescaped by the templates). ``search_record`` is a
Jinja filter: ``{% set record = contract|search_record("contract") %}``.
"""

from __future__ import annotations

from . import ratings
from .formatting import date, money

TYPES = {  # the kind of row -> the "Type" filter value, as the search page lists it
    "contract": "Contract",
    "supplier": "Supplier",
    "buyer": "Buyer",
    "priority": "Priority",
    "opportunity": "Opportunity",
}


def search_record(row: dict, kind: str) -> dict[str, str | None]:
    """``type``, ``id``, ``buyer`` (shown), ``buyer_filter``, ``status`` and ``summary`` of one page's row."""
    if kind not in TYPES:
        raise ValueError(f"search_record: unknown kind {kind!r}: use one of {', '.join(TYPES)}")
    return {"type": TYPES[kind], **RECORDS[kind](row)}


def _contract(row: dict) -> dict:
    end = date(row.get("end_date"), "no end date published")
    return {
        "id": row["contract_id"],
        "buyer": row.get("buyer_name"),
        "buyer_filter": row.get("buyer_name"),
        "status": contract_status(row),
        "summary": (
            f"A contract let by {row.get('buyer_name')} to {row.get('supplier_name')}, worth "
            f"{money(row.get('value_gbp'), 'an amount not published')}, from {date(row.get('start_date'))} to {end}."
        ),
    }


def contract_status(row: dict) -> str:
    """``2 of 3 commitments rated Good; 1 return overdue``, or why there is no rating."""
    if not row.get("commitments"):
        return "No social value commitments published"
    if not row.get("assessed"):
        status = "Commitments not assessed yet"
    else:
        status = f"{row['on_track']} of {row['assessed']} commitments rated Good"
    attention = ratings.attention_text(row)
    return f"{status}; {attention}" if attention else status


def organisation_status(row: dict) -> str:
    """A supplier's or buyer's commitments rated Good, across its contracts."""
    if not row.get("assessed"):
        return "Commitments not assessed yet"
    return f"{row['on_track']} of {row['assessed']} commitments rated Good"


def _contracts(count: int | None) -> str:
    count = count or 0
    return f"{count:,} {'contract' if count == 1 else 'contracts'}"


def _supplier(row: dict) -> dict:
    kind = row.get("supplier_type")
    return {
        "id": row.get("org_id"),
        "buyer": None,
        "buyer_filter": None,
        "status": organisation_status(row),
        "summary": (
            f"A supplier{f' ({kind})' if kind else ''} holding {_contracts(row.get('contracts'))} "
            f"worth {money(row.get('value_gbp'))} in total."
        ),
    }


def _buyer(row: dict) -> dict:
    return {
        "id": row.get("org_id"),
        "buyer": None,
        "buyer_filter": row.get("name"),
        "status": organisation_status(row),
        "summary": (
            f"A buyer that has let {_contracts(row.get('contracts'))} worth {money(row.get('value_gbp'))} in total."
        ),
    }


def _priority(row: dict) -> dict:
    commitments = row.get("commitments") or 0
    return {
        "id": None,
        "buyer": None,
        "buyer_filter": None,
        "status": organisation_status(row),
        "summary": (
            f"A social value priority: {commitments:,} {'commitment' if commitments == 1 else 'commitments'} "
            f"in {_contracts(row.get('contracts'))}."
        ),
    }


def _opportunity(row: dict) -> dict:
    route = row.get("route_label")
    what = route if route and route != "Not published" else "An opportunity"
    value = row.get("value_text")
    worth = f", {value}" if value and value != "Not published" else ""
    closing = row.get("closing_text")
    return {
        "id": row["opportunity_id"],
        "buyer": row.get("buyer_name"),
        "buyer_filter": row.get("buyer_name"),
        "status": f"{row['status_label']} ({closing})" if closing else row["status_label"],
        "summary": f"{what} from {row.get('buyer_name')}{worth}. {row['status_text']}",
    }


RECORDS = {
    "contract": _contract,
    "supplier": _supplier,
    "buyer": _buyer,
    "priority": _priority,
    "opportunity": _opportunity,
}
