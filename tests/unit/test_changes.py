"""What changed between two publishes (svportal.changes), and what the pages make of it (svportal.changelog)."""

from __future__ import annotations

import copy
import datetime as dt
import json

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from svportal import changelog, changes, feeds
from svportal.changes import SnapshotError
from svportal.previous import Previous

BEFORE, AFTER = "2026-11-16", "2026-11-23"


def commitment(status="Good", target=30, due=None, overdue=None, returns=(), measure="Local people hired", unit="FTE"):
    return {
        "measure": measure,
        "unit": unit,
        "target": target,
        "due_date": due,
        "status": status,
        "overdue": overdue,
        "returns": list(returns),
    }


def contract(title="Homecare", end="2027-09-30", value=1000, **commitments):
    return {"title": title, "end_date": end, "value_gbp": value, "commitments": commitments}


def opportunity(title="Youth clubs", status="open", closing="2026-12-08", low=10000, high=50000):
    return {"title": title, "status": status, "closing_date": closing, "value_min_gbp": low, "value_max_gbp": high}


def snap(build_date=AFTER, contracts=None, opportunities=None, log=None) -> dict:
    found = {
        "schema": changes.SCHEMA,
        "version": changes.VERSION,
        "build_date": build_date,
        "contracts": contracts or {},
        "opportunities": opportunities or {},
    }
    if log is not None:
        found["log"] = log
    return found


def compared(before: dict, after: dict) -> list[tuple]:
    """(kind, id, part, direction, detail) of each change from ``before`` (as at BEFORE) to ``after`` (AFTER)."""
    events = changes.compare(snap(BEFORE, **before), snap(AFTER, **after), AFTER)
    return [(e["kind"], e["id"], e["part"], e["direction"], e["detail"]) for e in events]


# --- contracts -------------------------------------------------------------------------------------


def test_a_new_contract_is_one_change_that_counts_its_commitments():
    after = {"C1": contract(value=1234567.5, EMP=commitment(returns=["2026-07-01/2026-09-30"]), RLW=commitment())}
    assert compared({}, {"contracts": after}) == [
        ("contract-added", "C1", None, None, "New contract worth £1,234,568, with 2 social value commitments.")
    ]
    assert compared({}, {"contracts": {"C1": contract(value=None)}}) == [
        ("contract-added", "C1", None, None, "New contract worth Not published, with no social value commitments yet.")
    ]


def test_a_contract_no_longer_published():
    assert compared({"contracts": {"C1": contract()}}, {}) == [
        ("contract-removed", "C1", None, None, "Contract no longer published.")
    ]


@pytest.mark.parametrize(
    ("end_before", "end_after", "expected"),
    [
        ("2026-11-20", "2026-11-20", ["contract-ended"]),  # its last day passed between the two publishes
        ("2026-11-22", "2026-11-22", ["contract-ended"]),  # the day before this build: ended
        ("2026-11-23", "2026-11-23", []),  # its last day is the build date: still running
        ("2026-11-15", "2026-11-15", []),  # had ended before the previous publish: said then
        ("2027-01-31", "2026-11-01", ["contract-ended", "contract-changed"]),  # cut short
        (None, None, []),
    ],
)
def test_a_contract_ends_once_when_its_end_date_passes(end_before, end_after, expected):
    found = compared({"contracts": {"C1": contract(end=end_before)}}, {"contracts": {"C1": contract(end=end_after)}})
    assert [kind for kind, *_ in found] == expected


def test_a_contract_whose_end_date_or_value_changed():
    found = compared(
        {"contracts": {"C1": contract(end="2027-09-30", value=1000)}},
        {"contracts": {"C1": contract(end=None, value=1500.5)}},
    )
    assert found == [
        ("contract-changed", "C1", "end_date", None, "End date moved from 30 September 2027 to none."),
        ("contract-changed", "C1", "value_gbp", None, "Value changed from £1,000 to £1,501."),
    ]


# --- commitments, statuses and returns --------------------------------------------------------------


def test_commitments_added_removed_and_changed():
    before = {"C1": contract(EMP=commitment(target=30, due=None), RLW=commitment(measure="Real Living Wage"))}
    after = {
        "C1": contract(
            EMP=commitment(target=40, due="2027-03-31"),
            GRN=commitment(measure="Carbon", unit="tCO2e", target=12.5, due="2027-03-31"),
        )
    }
    assert compared({"contracts": before}, {"contracts": after}) == [
        (
            "commitment-added",
            "C1",
            "GRN",
            None,
            "New commitment: Carbon, 12.5 tCO2e by 31 March 2027.",
        ),
        (
            "commitment-changed",
            "C1",
            "EMP/due_date",
            None,
            "Due date for Local people hired moved from the end of the contract to 31 March 2027.",
        ),
        (
            "commitment-changed",
            "C1",
            "EMP/target",
            None,
            "Target for Local people hired changed from 30 FTE to 40 FTE.",
        ),
        ("commitment-removed", "C1", "RLW", None, "Commitment on Real Living Wage no longer published."),
    ]


@pytest.mark.parametrize(
    ("before", "after", "direction", "detail"),
    [
        (
            "Requires improvement",
            "Good",
            "up",
            "Status of Local people hired moved up from Requires improvement to Good.",
        ),
        (
            "Good",
            "Approaching target",
            "down",
            "Status of Local people hired moved down from Good to Approaching target.",
        ),
        ("Approaching target", "Inadequate", "down", None),
        ("Inadequate", "Requires improvement", "up", None),
        ("No returns yet", "Good", None, "Status of Local people hired is now Good (was No returns yet)."),
        ("Not yet due", "No returns yet", None, None),
        ("Good", "No returns yet", None, None),
    ],
)
def test_a_status_that_moved_says_which_way(before, after, direction, detail):
    found = compared(
        {"contracts": {"C1": contract(EMP=commitment(status=before))}},
        {"contracts": {"C1": contract(EMP=commitment(status=after))}},
    )
    assert [(kind, part, way) for kind, _, part, way, _ in found] == [("status-changed", "EMP", direction)]
    if detail:
        assert found[0][4] == detail
    assert changes.status_direction(before, after) == direction


def test_returns_received_and_overdue():
    before = {"C1": contract(EMP=commitment(returns=["2026-04-01/2026-06-30"], overdue="2026-09-30"))}
    after = {
        "C1": contract(
            EMP=commitment(returns=["2026-04-01/2026-06-30", "2026-07-01/2026-09-30", "2026-01-01/2026-03-31"])
        )
    }
    assert compared({"contracts": before}, {"contracts": after}) == [
        (
            "return-received",
            "C1",
            "EMP/2026-01-01/2026-03-31",
            None,
            "Return received for Local people hired, for the period 1 January 2026 to 31 March 2026.",
        ),
        (
            "return-received",
            "C1",
            "EMP/2026-07-01/2026-09-30",
            None,
            "Return received for Local people hired, for the period 1 July 2026 to 30 September 2026.",
        ),
    ]
    overdue = {"C1": contract(EMP=commitment(overdue="2026-12-31"))}
    assert compared({"contracts": before}, {"contracts": overdue})[-1] == (
        "return-overdue",
        "C1",
        "EMP/2026-12-31",
        None,
        "Return for Local people hired for the quarter to 31 December 2026 is overdue.",
    )
    # still overdue for the same quarter: said once, at the publish that found it
    assert compared({"contracts": overdue}, {"contracts": overdue}) == []


# --- opportunities ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "closing", "kind", "detail"),
    [
        ("open", "2026-12-08", "opportunity-opened", "New opportunity, open for bids until 8 December 2026."),
        (
            "open",
            "2026-12-01T12:00:00+00:00",
            "opportunity-opened",
            "New opportunity, open for bids until 12pm on 1 December 2026.",
        ),
        ("open", None, "opportunity-opened", "New opportunity, open for bids."),
        ("pipeline", None, "opportunity-added", "New planned opportunity, not open for bids yet."),
        ("awarded", "2026-10-01", "opportunity-added", "New opportunity, listed as Awarded."),
    ],
)
def test_a_new_opportunity(status, closing, kind, detail):
    after = {"O1": opportunity(status=status, closing=closing)}
    assert compared({}, {"opportunities": after}) == [(kind, "O1", None, None, detail)]


@pytest.mark.parametrize(
    ("before", "after", "kind", "detail"),
    [
        ("pipeline", "open", "opportunity-opened", "Opened for bids until 8 December 2026."),
        ("open", "closed", "opportunity-closed", "Closed to bids."),
        ("open", "awarded", "opportunity-closed", "Awarded: the contract or grant has been awarded."),
        ("pipeline", "cancelled", "opportunity-closed", "Cancelled by the buyer."),
        ("open", "withdrawn", "opportunity-closed", "Withdrawn by the buyer."),
        ("open", "unsuccessful", "opportunity-closed", "Not awarded: the procurement ended without an award."),
        ("closed", "awarded", "opportunity-status", "Status changed from Closed to Awarded."),
        ("open", "pipeline", "opportunity-status", "Status changed from Open to Planned."),
    ],
)
def test_an_opportunity_opened_closed_or_moved_on(before, after, kind, detail):
    found = compared(
        {"opportunities": {"O1": opportunity(status=before)}}, {"opportunities": {"O1": opportunity(status=after)}}
    )
    assert found == [(kind, "O1", None, None, detail)]


def test_an_opportunity_amended_and_one_no_longer_published():
    before = {"O1": opportunity(), "O2": opportunity(title="Gone")}
    after = {"O1": opportunity(closing="2026-12-15T17:00:00+00:00", low=None, high=60000)}
    assert compared({"opportunities": before}, {"opportunities": after}) == [
        ("opportunity-removed", "O2", None, None, "Opportunity no longer published."),
        (
            "opportunity-amended",
            "O1",
            "closing_date",
            None,
            "Closing date moved from 8 December 2026 to 5pm on 15 December 2026.",
        ),
        (
            "opportunity-amended",
            "O1",
            "value",
            None,
            "Estimated value changed from £10,000 to £50,000 to Up to £60,000.",
        ),
    ]


def test_nothing_changed_is_no_change():
    same = {"contracts": {"C1": contract(EMP=commitment())}, "opportunities": {"O1": opportunity()}}
    assert compared(same, copy.deepcopy(same)) == []


def test_changes_come_in_one_order_whatever_the_order_of_the_snapshots():
    before = {"contracts": {"B": contract("beta"), "A": contract("Alpha")}, "opportunities": {}}
    after = {
        "contracts": {"A": contract("Alpha", value=2), "Z": contract("alpha")},
        "opportunities": {"O": opportunity()},
    }
    found = compared(before, after)
    reverse = {key: dict(reversed(list(value.items()))) for key, value in after.items()}
    assert compared(before, reverse) == found
    assert [(kind, key) for kind, key, *_ in found] == [
        ("contract-changed", "A"),  # Alpha, then alpha (title, then id), then beta
        ("contract-added", "Z"),
        ("contract-removed", "B"),
        ("opportunity-opened", "O"),  # opportunities after contracts
    ]


def test_a_change_reads_as_one_sentence_with_its_subject():
    event = changes.compare(
        snap(BEFORE, contracts={"C1": contract(EMP=commitment(status="Good"))}),
        snap(AFTER, contracts={"C1": contract(EMP=commitment(status="Inadequate"))}),
        AFTER,
    )[0]
    assert changes.describe(event) == "Homecare: status of Local people hired moved down from Good to Inadequate."


# --- the snapshot of a publish ------------------------------------------------------------------------


def test_the_snapshot_of_a_publish():
    contracts = pd.DataFrame(
        {
            "contract_id": ["C1"],
            "title": ["Homecare"],
            "end_date": [pd.Timestamp("2027-09-30")],
            "value_gbp": [1234.0],
        }
    )
    commitments = pd.DataFrame({"contract_id": ["C1"], "measure_id": ["EMP"], "due_date": [pd.NaT]})
    progress = pd.DataFrame(
        {
            "contract_id": ["C1"],
            "measure_id": ["EMP"],
            "measure_title": ["Local people hired"],
            "unit": ["FTE"],
            "target": [30.0],
            "status": ["Good"],
            "overdue_period_end": [pd.Timestamp("2026-09-30")],
        }
    )
    outcomes = pd.DataFrame(
        {
            "contract_id": ["C1", "C1", "C1"],
            "measure_id": ["EMP"] * 3,
            "period_start": pd.to_datetime(["2026-04-01", "2026-01-01", "2026-04-01"]),
            "period_end": pd.to_datetime(["2026-06-30", "2026-03-31", "2026-06-30"]),
        }
    )
    rows = [
        {
            "opportunity_id": "O1",
            "title": "Youth clubs",
            "status": "closing-soon",
            "closing_date": dt.datetime(2026, 12, 1, 12, tzinfo=dt.UTC),
            "value_min_gbp": None,
            "value_max_gbp": 5e4,
        }
    ]
    assert changes.snapshot(pd.Timestamp(AFTER), contracts, commitments, progress, outcomes, rows) == {
        "schema": "svportal-snapshot",
        "version": 1,
        "build_date": AFTER,
        "contracts": {
            "C1": {
                "title": "Homecare",
                "end_date": "2027-09-30",
                "value_gbp": 1234,
                "commitments": {
                    "EMP": {
                        "measure": "Local people hired",
                        "unit": "FTE",
                        "target": 30,
                        "due_date": None,
                        "status": "Good",
                        "overdue": "2026-09-30",
                        "returns": ["2026-01-01/2026-03-31", "2026-04-01/2026-06-30"],
                    }
                },
            }
        },
        "opportunities": {
            "O1": {
                "title": "Youth clubs",
                "status": "open",  # closing soon is open
                "closing_date": "2026-12-01T12:00:00+00:00",
                "value_min_gbp": None,
                "value_max_gbp": 50000,
            }
        },
    }


def test_the_published_snapshot_reads_back_as_it_was():
    original = snap(
        contracts={"C1": contract(EMP=commitment(returns=["2026-04-01/2026-06-30"]))},
        opportunities={"O1": opportunity(title='<b>"Youth" & clubs</b> – £')},
        log=[],
    )
    text = changes.to_json(original)
    assert text.endswith(b"\n") and b"\\u" not in text  # UTF-8 as it is
    assert changes.parse_snapshot(text.decode("utf-8")) == original
    assert changes.to_json(changes.parse_snapshot(text.decode("utf-8"))) == text


# --- reading a previous snapshot: anything malformed is a one-line reason --------------------------------


def valid() -> dict:
    event = changes.compare(
        snap(BEFORE, contracts={"C1": contract()}), snap(AFTER, contracts={"C1": contract(value=5)}), AFTER
    )[0]
    return snap(
        contracts={"C1": contract(EMP=commitment())},
        opportunities={"O1": opportunity()},
        log=[{"date": AFTER, "compared_with": BEFORE, "changes": [event]}],
    )


def reason(text: str) -> str:
    with pytest.raises(SnapshotError) as caught:
        changes.parse_snapshot(text)
    return str(caught.value)


def with_value(path: list, value) -> str:
    found = valid()
    target = found
    for key in path[:-1]:
        target = target[key]
    if value is KeyError:
        del target[path[-1]]
    else:
        target[path[-1]] = value
    return json.dumps(found)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", "it is not valid JSON (Expecting value at line 1, column 1)"),
        ('{"schema": ', "it is not valid JSON (Expecting value at line 1, column 12)"),
        ("[1, 2]", 'it is not a portal snapshot (a JSON object with "schema": "svportal-snapshot")'),
        ('{"schema": "other"}', 'it is not a portal snapshot (a JSON object with "schema": "svportal-snapshot")'),
        (
            '{"schema": "svportal-snapshot", "version": 2}',
            "it is version 2 of the snapshot format; this portal reads version 1",
        ),
        (
            '{"schema": "svportal-snapshot"}',
            "it is version null of the snapshot format; this portal reads version 1",
        ),
        (
            with_value(["build_date"], "23/11/2026"),
            'it is not a snapshot this portal can read: $.build_date: expected a date (YYYY-MM-DD), found "23/11/2026"',
        ),
        (with_value(["log"], KeyError), "it is not a snapshot this portal can read: $.log: missing"),
        (
            with_value(["contracts", "C1", "commitments", "EMP", "target"], "30"),
            'it is not a snapshot this portal can read: $.contracts["C1"].commitments["EMP"].target: '
            'expected a number or null, found "30"',
        ),
        (
            with_value(["contracts", "C1", "commitments", "EMP", "returns"], [1]),
            'it is not a snapshot this portal can read: $.contracts["C1"].commitments["EMP"].returns[0]: '
            "expected text, found 1",
        ),
        (
            with_value(["opportunities", "O1", "closing_date"], "2026-12-01T12:00:00"),
            'it is not a snapshot this portal can read: $.opportunities["O1"].closing_date: '
            'expected a date or a date and time, or null, found "2026-12-01T12:00:00"',
        ),
        (
            with_value(["opportunities"], []),
            "it is not a snapshot this portal can read: $.opportunities: expected an object",
        ),
        (
            with_value(["log", 0, "changes", 0, "kind"], "contract-exploded"),
            "it is not a snapshot this portal can read: $.log[0].changes[0].kind: 'contract-exploded'",
        ),
        (
            with_value(["log", 0, "changes", 0, "direction"], "sideways"),
            "it is not a snapshot this portal can read: $.log[0].changes[0].direction: 'sideways'",
        ),
        (
            with_value(["log", 0, "date"], "2026-12-01"),
            "it is not a snapshot this portal can read: $.log[0].date 2026-12-01 is after its build_date 2026-11-23",
        ),
        ("[" * 100_000 + "]" * 100_000, "it is not valid JSON (nested too deeply)"),
    ],
)
def test_a_malformed_snapshot_is_one_line_saying_why(text, expected):
    assert reason(text) == expected


def test_a_snapshot_built_after_this_build_date_cannot_be_compared_with():
    with pytest.raises(SnapshotError, match=r"^it was built as at 2026-11-30, after this build's date, 2026-11-23: "):
        changes.comparable(snap("2026-11-30", log=[]), pd.Timestamp(AFTER))
    changes.comparable(snap(AFTER, log=[]), pd.Timestamp(AFTER))  # the same day: a publish again


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=12),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=20,
)


def leaf_paths(value, path=()):
    """The path of every value inside a JSON value (objects and lists included)."""
    yield path
    if isinstance(value, dict):
        for key, inner in value.items():
            yield from leaf_paths(inner, (*path, key))
    elif isinstance(value, list):
        for number, inner in enumerate(value):
            yield from leaf_paths(inner, (*path, number))


VALID_PATHS = [p for p in leaf_paths(valid()) if p]


@settings(max_examples=200, deadline=None)
@given(path=st.sampled_from(VALID_PATHS), value=json_values)
def test_any_damage_to_a_snapshot_is_reported_or_compared_never_a_crash(path, value):
    damaged = valid()
    target = damaged
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    try:
        previous = changes.parse_snapshot(json.dumps(damaged))
    except SnapshotError as exc:
        assert str(exc).startswith("it ") and "\n" not in str(exc)
        return
    current = snap(contracts={"C1": contract()}, opportunities={"O2": opportunity()})
    events = changes.compare(previous, current, AFTER)
    changes.carry_forward(previous["log"], events, pd.Timestamp(AFTER), previous["build_date"])
    assert all(e["kind"] in changes.KINDS for e in events)


@settings(max_examples=100, deadline=None)
@given(text=st.text(max_size=40) | json_values.map(json.dumps))
def test_any_text_is_a_snapshot_or_a_reason(text):
    try:
        changes.parse_snapshot(text)
    except SnapshotError as exc:
        assert "\n" not in str(exc)


# --- the log, carried forward --------------------------------------------------------------------


def event(key: str, kind="contract-added", part=None, title="Homecare", detail="New contract.") -> dict:
    return changes._event(kind, "contract", key, title, detail, part)


def entry(day: str, *events, compared_with="2026-01-01") -> dict:
    return {"date": day, "compared_with": compared_with, "changes": list(events)}


def test_this_publishs_changes_come_first_then_the_earlier_ones():
    earlier = [entry("2026-11-16", event("A")), entry("2026-11-09", event("B"))]
    log = changes.carry_forward(earlier, [event("D"), event("C", title="Alpha")], pd.Timestamp(AFTER), "2026-11-16")
    assert log == [
        entry(AFTER, event("C", title="Alpha"), event("D"), compared_with="2026-11-16"),
        *earlier,
    ]


def test_a_publish_without_changes_leaves_the_log_as_it_was():
    earlier = [entry("2026-11-16", event("A"))]
    assert changes.carry_forward(earlier, [], pd.Timestamp(AFTER), "2026-11-16") == earlier


def test_a_second_publish_the_same_day_adds_to_that_days_changes():
    first = entry(AFTER, event("A", detail="Old"), event("B"), compared_with="2026-11-16")
    log = changes.carry_forward([first], [event("A", detail="New"), event("C")], pd.Timestamp(AFTER), AFTER)
    assert log == [entry(AFTER, event("A", detail="New"), event("B"), event("C"), compared_with="2026-11-16")]


def test_changes_are_kept_for_two_years():
    today = pd.Timestamp("2026-11-23")
    kept = entry("2024-11-24", event("A"))  # 729 days before
    dropped = entry("2024-11-23", event("B"))  # 730 days before
    assert changes.KEEP_DAYS == 730
    assert changes.carry_forward([kept, dropped], [], today, "2026-11-16") == [kept]


# --- the build's warning ----------------------------------------------------------------------------


def test_the_build_warns_in_one_line_only_without_a_comparison():
    none = {"comparison": {"state": "none", "reason": "there is no such file or folder"}}
    assert changes.comparison_warning(json.dumps(none).encode(), "/srv/old") == (
        "warning: the previous snapshot /srv/old cannot be compared with: there is no such file or folder; "
        "the site is published with no comparison (/changes/ says so)"
    )
    for state in ("first", "compared"):
        assert changes.comparison_warning(json.dumps({"comparison": {"state": state}}).encode(), "x") is None
    assert changes.comparison_warning(b"not json", "x") is None


# --- the page model: /changes/, each page's changes, the feed -------------------------------------------


def tables() -> dict:
    return {
        "contracts": pd.DataFrame(
            {"contract_id": ["C1"], "title": ["Homecare"], "end_date": [pd.NaT], "value_gbp": [100.0]}
        ),
        "commitments": pd.DataFrame({"contract_id": [], "measure_id": [], "due_date": []}),
        "outcomes": pd.DataFrame({"contract_id": [], "measure_id": [], "period_start": [], "period_end": []}),
    }


PROGRESS = pd.DataFrame(
    columns=["contract_id", "measure_id", "measure_title", "unit", "target", "status", "overdue_period_end"]
)


def build(previous: Previous | None, opportunities=()) -> changelog.Changes:
    return changelog.build_changes(pd.Timestamp(AFTER), tables(), PROGRESS, list(opportunities), previous)


def test_a_first_publish_has_nothing_to_compare():
    found = build(None)
    assert (found.state, found.reason, found.count, found.entries) == ("first", None, 0, [])
    published = json.loads(found.snapshot_json)
    assert published["comparison"] == {"state": "first", "compared_with": None, "reason": None, "changes": 0}
    assert published["log"] == []


@pytest.mark.parametrize(
    ("previous", "why"),
    [
        (Previous("/srv/old", why="there is no such file or folder"), "there is no such file or folder"),
        (Previous("/srv/old.json", text="{oops"), "it is not valid JSON"),
        (Previous("x", text=json.dumps(snap("2026-12-01", log=[]))), "it was built as at 2026-12-01"),
    ],
)
def test_a_previous_snapshot_that_cannot_be_used_gives_no_comparison(previous, why):
    found = build(previous)
    assert found.state == "none" and found.reason.startswith(why)
    assert found.entries == []
    assert json.loads(found.snapshot_json)["comparison"]["state"] == "none"


def previous_with(contracts: dict, log: list, opportunities=None) -> Previous:
    return Previous("old", text=changes.to_json(snap(BEFORE, contracts, opportunities, log)).decode())


def test_a_comparison_groups_the_log_by_publish_and_links_the_pages_still_published():
    earlier = entry("2026-11-09", event("GONE", title="Old contract"), compared_with="2026-11-02")
    previous = previous_with({"C1": contract(value=50, end=None), "GONE": contract("Old contract")}, [earlier])
    found = build(previous)
    assert (found.state, found.compared_with, found.count) == ("compared", dt.date(2026, 11, 16), 2)
    assert [(e["date"], e["compared_with"], e["count_text"]) for e in found.entries] == [
        (dt.date(2026, 11, 23), dt.date(2026, 11, 16), "2 changes"),
        (dt.date(2026, 11, 9), dt.date(2026, 11, 2), "1 change"),
    ]
    [contracts] = found.entries[0]["groups"]
    assert [(i["title"], i["link"], [r["label"] for r in i["rows"]]) for i in contracts["subjects"]] == [
        ("Homecare", "contracts/c1/", ["Contract changed"]),
        ("Old contract", None, ["No longer published"]),  # its page is gone: no link
    ]
    rows = [{"contract_id": "C1"}, {"contract_id": "NEW"}]
    changelog.attach_recent(rows, found, "contract", "contract_id")
    assert [(r["detail"], r["date"]) for r in rows[0]["recent_changes"]] == [
        ("Value changed from £50 to £100.", dt.date(2026, 11, 23))
    ]
    assert (rows[1]["recent_changes"], rows[1]["recent_changes_more"]) == ([], 0)
    assert json.loads(found.snapshot_json)["log"][1] == earlier


def test_a_page_shows_its_newest_changes_and_counts_the_rest():
    log = [entry(f"2026-10-{day:02d}", event("C1", "contract-changed", "value_gbp")) for day in range(1, 16)]
    found = build(previous_with({"C1": contract(value=100, end=None)}, log))
    rows = [{"contract_id": "C1"}]
    changelog.attach_recent(rows, found, "contract", "contract_id")
    assert len(rows[0]["recent_changes"]) == changelog.RECENT_LIMIT == 10
    assert rows[0]["recent_changes"][0]["date"] == dt.date(2026, 10, 15)
    assert rows[0]["recent_changes_more"] == 5


SITE = feeds.Site(url="https://example.org", name="Social value", publisher="Council", build_date=dt.date(2026, 11, 23))


def test_feed_entries_have_ids_from_the_subject_and_the_publish_date():
    previous = previous_with(
        {"C1": contract(value=50, end=None, EMP=commitment(status="Good"))},
        [],
        {"GONE": opportunity(title="Fridges")},
    )
    found = changelog.build_changes(
        pd.Timestamp(AFTER),
        tables(),
        pd.DataFrame(
            {
                "contract_id": ["C1"],
                "measure_id": ["EMP"],
                "measure_title": ["Local people hired"],
                "unit": ["FTE"],
                "target": [30],
                "status": ["Inadequate"],
                "overdue_period_end": [pd.NaT],
            }
        ),
        [],
        previous,
    )
    entries = changelog.feed_entries(SITE, found)
    assert [(e.id, e.title, e.link, e.updated, e.categories) for e in entries] == [
        (
            "tag:example.org,2026:changes/2026-11-23/contract/c1/contract-changed/value-gbp",
            "Contract changed: Homecare",
            "https://example.org/contracts/c1/",
            dt.date(2026, 11, 23),
            (("contract-changed", "Contract changed"),),
        ),
        (
            "tag:example.org,2026:changes/2026-11-23/contract/c1/status-changed/emp",
            "Status down: Homecare",
            "https://example.org/contracts/c1/",
            dt.date(2026, 11, 23),
            (("status-changed", "Status changed"), ("status/down", "Status down")),
        ),
        (
            "tag:example.org,2026:changes/2026-11-23/opportunity/gone/opportunity-removed",
            "No longer published: Fridges",
            "https://example.org/changes/#changes-2026-11-23",
            dt.date(2026, 11, 23),
            (("opportunity-removed", "No longer published"),),
        ),
    ]
    assert entries[1].summary == "Homecare: status of Local people hired moved down from Good to Inadequate."
    assert entries[1].content_html == (
        "<p>Homecare: status of Local people hired moved down from Good to Inadequate.</p>"
        "<p>Found when the site was published on 23 November 2026, compared with what it published on "
        "16 November 2026.</p>"
    )


def test_the_feed_carries_whole_publishes_up_to_its_limit():
    def publish(day: str, count: int) -> dict:
        return entry(day, *[event(f"C{n:03d}", "contract-removed") for n in range(count)])

    big = changelog.FEED_LIMIT - 10
    log = [publish("2026-11-16", big), publish("2026-11-09", 10), publish("2026-11-02", 1)]
    found = build(previous_with({"C1": contract(value=100, end=None)}, log))
    assert found.count == 0
    assert len(changelog.feed_entries(SITE, found)) == big + 10  # the third would go over the limit
    log = [publish("2026-11-16", changelog.FEED_LIMIT + 5), publish("2026-11-09", 1)]
    found = build(previous_with({"C1": contract(value=100, end=None)}, log))
    assert len(changelog.feed_entries(SITE, found)) == changelog.FEED_LIMIT + 5  # one publish, whole


@settings(max_examples=100, deadline=None)
@given(
    value=st.dictionaries(
        st.sampled_from(["build_date", "contracts", "opportunities", "log", "schema", "other"]),
        json_values | st.lists(st.dictionaries(st.sampled_from(["changes", "date"]), json_values), max_size=3),
    )
)
def test_the_published_json_is_valid_json_of_what_it_was_given(value):
    assert json.loads(changes.to_json(value)) == json.loads(json.dumps(value))


def test_the_published_json_has_a_line_per_contract_opportunity_and_change():
    found = valid()
    found["contracts"]["C2"] = contract("Second")
    lines = changes.to_json(found).decode("utf-8").splitlines()
    assert lines[0] == "{" and lines[-1] == "}"
    assert [line[:6] for line in lines if line.startswith('"C')] == ['"C1":{', '"C2":{']
    assert [line for line in lines if line.startswith('{"after"')] == [
        '{"after":5,"before":1000,"detail":"Value changed from £1,000 to £5.","direction":null,"id":"C1",'
        '"kind":"contract-changed","part":"value_gbp","subject":"contract","title":"Homecare"}'
    ]
