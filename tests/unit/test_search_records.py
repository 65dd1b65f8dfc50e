"""What each page tells search: type, id, buyer, status and summary, from page model rows."""

import datetime as dt

import pytest

from svportal.search_records import search_record

CONTRACT = {
    "contract_id": "MCC/ASC/2024/001",
    "title": "Homecare in North Manchester",
    "buyer_name": "Manchester City Council",
    "supplier_name": "Northside Care Ltd",
    "value_gbp": 1234567.5,
    "start_date": dt.date(2024, 10, 1),
    "end_date": dt.date(2027, 9, 30),
    "commitments": 3,
    "on_track": 1,
    "assessed": 3,
    "inadequate": 0,
    "requires_improvement": 1,
    "overdue_returns": 1,
}


def test_a_contract_says_who_let_it_to_whom_its_worth_and_how_it_is_doing():
    assert search_record(CONTRACT, "contract") == {
        "type": "Contract",
        "id": "MCC/ASC/2024/001",
        "buyer": "Manchester City Council",
        "buyer_filter": "Manchester City Council",
        "status": "1 of 3 commitments rated Good; 1 commitment rated Requires improvement; 1 return overdue",
        "summary": (
            "A contract let by Manchester City Council to Northside Care Ltd, worth £1,234,568, "
            "from 1 October 2024 to 30 September 2027."
        ),
    }


@pytest.mark.parametrize(
    "changes, status, summary_end",
    [
        ({"commitments": 0, "assessed": 0, "on_track": 0}, "No social value commitments published", None),
        (
            {"assessed": 0, "on_track": 0, "requires_improvement": 0, "overdue_returns": 0},
            "Commitments not assessed yet",
            None,
        ),
        (
            {"end_date": None, "value_gbp": None},
            None,
            "worth an amount not published, from 1 October 2024 to no end date published.",
        ),
    ],
)
def test_a_contract_without_ratings_or_dates_says_so(changes, status, summary_end):
    record = search_record({**CONTRACT, **changes}, "contract")
    if status:
        assert record["status"] == status
    if summary_end:
        assert record["summary"].endswith(summary_end)


def test_suppliers_and_buyers_give_their_org_id_and_totals():
    supplier = {
        "org_id": "GB-COH-01234567",
        "name": "Northside Care Ltd",
        "supplier_type": "SME",
        "contracts": 2,
        "value_gbp": 1254567.5,
        "on_track": 1,
        "assessed": 3,
    }
    assert search_record(supplier, "supplier") == {
        "type": "Supplier",
        "id": "GB-COH-01234567",
        "buyer": None,
        "buyer_filter": None,
        "status": "1 of 3 commitments rated Good",
        "summary": "A supplier (SME) holding 2 contracts worth £1,254,568 in total.",
    }
    buyer = {
        "org_id": None,
        "name": "Manchester Health and Care Commissioning",
        "contracts": 1,
        "value_gbp": 50000,
        "on_track": 0,
        "assessed": 0,
    }
    assert search_record(buyer, "buyer") == {
        "type": "Buyer",
        "id": None,  # known by its name: no id to search for
        "buyer": None,  # its own name is the result's title
        "buyer_filter": "Manchester Health and Care Commissioning",
        "status": "Commitments not assessed yet",
        "summary": "A buyer that has let 1 contract worth £50,000 in total.",
    }


def test_a_priority_counts_its_commitments_and_contracts():
    record = search_record(
        {"priority": "Keep the air clean", "commitments": 1, "contracts": 1, "on_track": 1, "assessed": 1}, "priority"
    )
    assert (record["type"], record["id"], record["status"]) == ("Priority", None, "1 of 1 commitments rated Good")
    assert record["summary"] == "A social value priority: 1 commitment in 1 contract."


def test_an_opportunity_gives_its_route_value_and_status():
    row = {
        "opportunity_id": "OPP/TODAY/1",
        "buyer_name": "Manchester City Council",
        "route_label": "Grant",
        "value_text": "£10,000 to £50,000",
        "status_label": "Closing soon",
        "closing_text": "closes today",
        "status_text": "Open for bids until 23 November 2026: it closes today.",
    }
    assert search_record(row, "opportunity") == {
        "type": "Opportunity",
        "id": "OPP/TODAY/1",
        "buyer": "Manchester City Council",
        "buyer_filter": "Manchester City Council",
        "status": "Closing soon (closes today)",
        "summary": (
            "Grant from Manchester City Council, £10,000 to £50,000. "
            "Open for bids until 23 November 2026: it closes today."
        ),
    }
    planned = {
        **row,
        "route_label": "Not published",
        "value_text": "Not published",
        "status_label": "Planned",
        "closing_text": None,
        "status_text": "Planned: not open for bids yet.",
    }
    record = search_record(planned, "opportunity")
    assert (record["status"], record["summary"]) == (
        "Planned",
        "An opportunity from Manchester City Council. Planned: not open for bids yet.",
    )


def test_an_unknown_kind_is_refused_by_name():
    with pytest.raises(ValueError, match="unknown kind 'grant': use one of contract, supplier, buyer, priority"):
        search_record({}, "grant")
