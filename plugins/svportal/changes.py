"""What changed between two publishes: a compact snapshot of the data, the comparison, and the log.

Pure: DataFrames and rows in, plain dicts (JSON values) out; no clock, no files, no Pelican. The site
publishes its snapshot, with the log of changes so far, as ``/data/snapshot.json``; the next publish
reads it back (previous.py), checks it (:func:`parse_snapshot`), compares it with its own
(:func:`compare`) and carries the log forward (:func:`carry_forward`). The same data, build date and
previous snapshot give the same bytes.

What is compared, for residents and groups coming back to the site:

* contracts added, no longer published, ended (their end date passed) or changed (end date, value);
* social value commitments added, no longer published or changed (target, due date);
* statuses that moved, up or down the Procurement Act KPI scale (model.KPI_SCALE), or to or from a
  status off the scale (not yet due, no returns yet);
* quarterly returns received (a period not published before) or overdue (model.commitment_progress);
* opportunities added, opened, amended (closing date, estimated value), closed (or awarded,
  cancelled...) or no longer published.

The commitments, statuses and returns of a contract added at this publish are not listed one by one:
the contract's own entry says how many commitments it has; likewise for a commitment added.

A change is an event: ``kind``, ``subject`` (contract or opportunity), ``id``, ``title``, ``part``
(which commitment, return or field; None for the subject as a whole), ``before``, ``after``,
``direction`` (up, down or None) and ``detail``, one plain-English sentence. ``(subject, id, kind,
part)`` names it: one publish has at most one event of each name. The log holds one entry per publish
that found changes, newest first, for :data:`KEEP_DAYS` days.
"""

from __future__ import annotations

import datetime as dt
import json
import math

import pandas as pd

from . import model
from .formatting import date, date_time, money, with_unit
from .opportunities import CLOSING_SOON, FINISHED, OPEN, PIPELINE, STATUS_LABELS, value_range
from .records import plain, rows

SCHEMA = "svportal-snapshot"  # what /data/snapshot.json says it is
VERSION = 1  # the version of its format this code writes and reads
PATH = "data/snapshot.json"  # where the site publishes it
KEEP_DAYS = 730  # the log keeps the changes of the publishes of the last two years

FIRST, COMPARED, NO_COMPARISON = "first", "compared", "none"  # the states of a publish's comparison

CONTRACT, OPPORTUNITY = "contract", "opportunity"
SUBJECTS = (CONTRACT, OPPORTUNITY)
UP, DOWN = "up", "down"
# Every kind of change, in the order a subject's changes are listed
KINDS = (
    "contract-added",
    "contract-ended",
    "contract-changed",
    "contract-removed",
    "commitment-added",
    "commitment-changed",
    "commitment-removed",
    "status-changed",
    "return-received",
    "return-overdue",
    "opportunity-added",
    "opportunity-opened",
    "opportunity-amended",
    "opportunity-closed",
    "opportunity-status",
    "opportunity-removed",
)
CLOSED_DETAIL = {
    "closed": "Closed to bids.",
    "awarded": "Awarded: the contract or grant has been awarded.",
    "unsuccessful": "Not awarded: the procurement ended without an award.",
    "cancelled": "Cancelled by the buyer.",
    "withdrawn": "Withdrawn by the buyer.",
}
NO_DUE_DATE = "the end of the contract"


class SnapshotError(ValueError):
    """A previous snapshot that cannot be compared with; the message says why, in one line."""


# --- the snapshot of one publish ------------------------------------------------------------------


def _number(value):
    """A number for JSON: None when missing, an int when whole (30, not 30.0)."""
    value = plain(value)
    if value is None or isinstance(value, bool):
        return value
    value = float(value)
    if not math.isfinite(value):
        return None
    return int(value) if value.is_integer() and abs(value) < 2**53 else value


def _iso(value) -> str | None:
    """A date (``2026-11-23``) or a date and time with its offset (``2026-12-01T12:00:00+00:00``)."""
    value = plain(value)
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.isoformat()
    return f"{value:%Y-%m-%d}"


def _iso_dates(column: pd.Series) -> pd.Series:
    """A column of dates as ISO text (``2026-11-23``), fast for the many rows of outcomes.csv; '' when blank."""
    if pd.api.types.is_datetime64_any_dtype(column):
        return column.dt.strftime("%Y-%m-%d").fillna("")
    return column.map(lambda value: _iso(value) or "").astype(object)


def snapshot(
    build_date,
    contracts: pd.DataFrame,
    commitments: pd.DataFrame,
    progress: pd.DataFrame,
    outcomes: pd.DataFrame,
    opportunities: list[dict],
) -> dict:
    """What the next publish needs to see what changed: the compact state of this one's data.

    ``progress`` is model.commitment_progress (statuses and overdue returns as of ``build_date``),
    ``commitments`` the table as published (a due date left blank stays blank here), ``opportunities``
    the rows of the opportunity listing (opportunities.build_listing: statuses as of ``build_date``).
    """
    found: dict[str, dict] = {}
    for contract_id, title, end, value in rows(contracts[["contract_id", "title", "end_date", "value_gbp"]]):
        found[contract_id] = {"title": title, "end_date": _iso(end), "value_gbp": _number(value), "commitments": {}}
    due = {(c, m): _iso(d) for c, m, d in rows(commitments[["contract_id", "measure_id", "due_date"]])}
    periods: dict[tuple[str, str], list[str]] = {}
    text = _iso_dates(outcomes["period_start"]) + "/" + _iso_dates(outcomes["period_end"])
    returns = pd.DataFrame({"c": outcomes["contract_id"], "m": outcomes["measure_id"], "p": text}).drop_duplicates()
    for contract_id, measure_id, period in rows(returns.sort_values(["c", "m", "p"], kind="stable")):
        periods.setdefault((contract_id, measure_id), []).append(period)
    columns = ["contract_id", "measure_id", "measure_title", "unit", "target", "status", "overdue_period_end"]
    for contract_id, measure_id, title, unit, target, status, overdue in rows(progress[columns]):
        found[contract_id]["commitments"][measure_id] = {
            "measure": plain(title) or measure_id,
            "unit": plain(unit),
            "target": _number(target),
            "due_date": due.get((contract_id, measure_id)),
            "status": status,
            "overdue": _iso(overdue),
            "returns": periods.get((contract_id, measure_id), []),
        }
    listed = {
        row["opportunity_id"]: {
            "title": row["title"],
            "status": OPEN if row["status"] == CLOSING_SOON else row["status"],
            "closing_date": _iso(row.get("closing_date")),
            "value_min_gbp": _number(row.get("value_min_gbp")),
            "value_max_gbp": _number(row.get("value_max_gbp")),
        }
        for row in opportunities
    }
    return {
        "schema": SCHEMA,
        "version": VERSION,
        "build_date": _iso(pd.Timestamp(build_date)),
        "contracts": found,
        "opportunities": listed,
    }


def _compact(value) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"), allow_nan=False)


def _is_log(value) -> bool:
    return (
        isinstance(value, list)
        and bool(value)
        and all(isinstance(e, dict) and isinstance(e.get("changes"), list) for e in value)
    )


def to_json(snapshot_with_log: dict) -> bytes:
    """The snapshot as /data/snapshot.json: compact, keys sorted, UTF-8; one line per contract, opportunity and
    change, so that it stays small for thousands of contracts and a diff of two shows what changed."""
    parts = []
    for key in sorted(snapshot_with_log):
        value = snapshot_with_log[key]
        if key in ("contracts", "opportunities") and isinstance(value, dict) and value:
            inner = ",\n".join(f"{_compact(name)}:{_compact(value[name])}" for name in sorted(value))
            parts.append(f"{_compact(key)}:{{\n{inner}\n}}")
        elif key == "log" and _is_log(value):
            entries = []
            for entry in value:
                rest = _compact({k: v for k, v in entry.items() if k != "changes"})
                events = ",\n".join(_compact(event) for event in entry["changes"])
                entries.append(f'{{"changes":[\n{events}\n]' + ("}" if rest == "{}" else f",{rest[1:]}"))
            parts.append(f"{_compact(key)}:[\n" + ",\n".join(entries) + "\n]")
        else:
            parts.append(f"{_compact(key)}:{_compact(value)}")
    return ("{\n" + ",\n".join(parts) + "\n}\n").encode("utf-8")


# --- reading a previous snapshot back ------------------------------------------------------------

TEXT, TEXT_OR_NONE, DATE, DATE_OR_NONE, MOMENT_OR_NONE, NUMBER_OR_NONE, ANY = (
    "text",
    "text or null",
    "a date (YYYY-MM-DD)",
    "a date (YYYY-MM-DD) or null",
    "a date or a date and time, or null",
    "a number or null",
    "any",
)
COMMITMENT_SHAPE = {
    "measure": TEXT,
    "unit": TEXT_OR_NONE,
    "target": NUMBER_OR_NONE,
    "due_date": DATE_OR_NONE,
    "status": TEXT,
    "overdue": DATE_OR_NONE,
    "returns": [TEXT],
}
CONTRACT_SHAPE = {
    "title": TEXT,
    "end_date": DATE_OR_NONE,
    "value_gbp": NUMBER_OR_NONE,
    "commitments": {"*": COMMITMENT_SHAPE},
}
OPPORTUNITY_SHAPE = {
    "title": TEXT,
    "status": TEXT,
    "closing_date": MOMENT_OR_NONE,
    "value_min_gbp": NUMBER_OR_NONE,
    "value_max_gbp": NUMBER_OR_NONE,
}
EVENT_SHAPE = {
    "kind": TEXT,
    "subject": TEXT,
    "id": TEXT,
    "title": TEXT,
    "part": TEXT_OR_NONE,
    "before": ANY,
    "after": ANY,
    "direction": TEXT_OR_NONE,
    "detail": TEXT,
}
ENTRY_SHAPE = {"date": DATE, "compared_with": DATE, "changes": [EVENT_SHAPE]}
SNAPSHOT_SHAPE = {
    "build_date": DATE,
    "contracts": {"*": CONTRACT_SHAPE},
    "opportunities": {"*": OPPORTUNITY_SHAPE},
    "log": [ENTRY_SHAPE],
}


def _is_date(value) -> bool:
    try:
        return isinstance(value, str) and len(value) == 10 and dt.date.fromisoformat(value) is not None
    except ValueError:
        return False


def _is_moment(value) -> bool:
    if _is_date(value):
        return True
    try:
        return isinstance(value, str) and dt.datetime.fromisoformat(value).tzinfo is not None
    except ValueError:
        return False


SCALARS = {
    TEXT: lambda v: isinstance(v, str),
    TEXT_OR_NONE: lambda v: v is None or isinstance(v, str),
    DATE: _is_date,
    DATE_OR_NONE: lambda v: v is None or _is_date(v),
    MOMENT_OR_NONE: lambda v: v is None or _is_moment(v),
    NUMBER_OR_NONE: lambda v: v is None or (isinstance(v, (int, float)) and not isinstance(v, bool)),
    ANY: lambda v: True,
}


def _shape_problem(value, shape, path: str) -> str | None:
    """Where ``value`` first differs from ``shape`` (a JSON path and what was expected), or None."""
    if isinstance(shape, str):
        return None if SCALARS[shape](value) else f"{path}: expected {shape}, found {json.dumps(value)[:60]}"
    if isinstance(shape, list):
        if not isinstance(value, list):
            return f"{path}: expected a list"
        for number, item in enumerate(value):
            problem = _shape_problem(item, shape[0], f"{path}[{number}]")
            if problem:
                return problem
        return None
    if not isinstance(value, dict):
        return f"{path}: expected an object"
    if "*" in shape:
        for key, item in value.items():
            problem = _shape_problem(item, shape["*"], f"{path}[{json.dumps(key, ensure_ascii=False)}]")
            if problem:
                return problem
        return None
    for key, inner in shape.items():
        if key not in value:
            return f"{path}.{key}: missing"
        problem = _shape_problem(value[key], inner, f"{path}.{key}")
        if problem:
            return problem
    return None


def parse_snapshot(text: str) -> dict:
    """A previous /data/snapshot.json, checked; :class:`SnapshotError` says why one cannot be compared with."""
    try:
        found = json.loads(text)
    except json.JSONDecodeError as exc:
        raise SnapshotError(f"it is not valid JSON ({exc.msg} at line {exc.lineno}, column {exc.colno})") from exc
    except RecursionError as exc:
        raise SnapshotError("it is not valid JSON (nested too deeply)") from exc
    if not isinstance(found, dict) or found.get("schema") != SCHEMA:
        raise SnapshotError(f'it is not a portal snapshot (a JSON object with "schema": "{SCHEMA}")')
    if found.get("version") != VERSION:
        raise SnapshotError(
            f"it is version {json.dumps(found.get('version'))[:20]} of the snapshot format; "
            f"this portal reads version {VERSION}"
        )
    problem = _shape_problem(found, SNAPSHOT_SHAPE, "$")
    if problem:
        raise SnapshotError(f"it is not a snapshot this portal can read: {problem}")
    for number, entry in enumerate(found["log"]):
        for position, event in enumerate(entry["changes"]):
            where = f"$.log[{number}].changes[{position}]"
            if event["kind"] not in KINDS:
                raise SnapshotError(f"it is not a snapshot this portal can read: {where}.kind: {event['kind']!r}")
            if event["subject"] not in SUBJECTS:
                raise SnapshotError(f"it is not a snapshot this portal can read: {where}.subject: {event['subject']!r}")
            if event["direction"] not in (UP, DOWN, None):
                raise SnapshotError(
                    f"it is not a snapshot this portal can read: {where}.direction: {event['direction']!r}"
                )
        if entry["date"] > found["build_date"]:
            raise SnapshotError(
                f"it is not a snapshot this portal can read: $.log[{number}].date {entry['date']} is after its "
                f"build_date {found['build_date']}"
            )
    return found


def comparable(previous: dict, build_date) -> None:
    """Raise :class:`SnapshotError` when ``previous`` was built after ``build_date``: it cannot come before."""
    today = _iso(pd.Timestamp(build_date))
    if previous["build_date"] > today:
        raise SnapshotError(
            f"it was built as at {previous['build_date']}, after this build's date, {today}: "
            "give BUILD_DATE on or after it"
        )


# --- the comparison ----------------------------------------------------------------------------


def _event(kind, subject, key, title, detail, part=None, before=None, after=None, direction=None) -> dict:
    return {
        "kind": kind,
        "subject": subject,
        "id": key,
        "title": title,
        "part": part,
        "before": before,
        "after": after,
        "direction": direction,
        "detail": detail,
    }


def event_name(event: dict) -> tuple:
    """What names an event within one publish: ``(subject, id, kind, part)``."""
    return (event["subject"], event["id"], event["kind"], event["part"] or "")


def event_order(event: dict) -> tuple:
    """Contracts first, then opportunities; by title, id, kind (in :data:`KINDS` order) and part."""
    return (
        SUBJECTS.index(event["subject"]),
        event["title"].casefold(),
        event["title"],
        event["id"],
        KINDS.index(event["kind"]),
        event["part"] or "",
    )


def status_direction(before: str, after: str) -> str | None:
    """``up`` or ``down`` the KPI scale (Good is the top), or None when either is off the scale."""
    if before in model.KPI_SCALE and after in model.KPI_SCALE:
        return UP if model.KPI_SCALE.index(after) < model.KPI_SCALE.index(before) else DOWN
    return None


def _plural(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


def _moment(value: str | None):
    """An ISO date or date and time back as a value formatting.date_time shows."""
    if value is None:
        return None
    return dt.date.fromisoformat(value) if len(value) == 10 else dt.datetime.fromisoformat(value)


def _period(text: str) -> str:
    start, _, end = text.partition("/")
    try:
        return f"the period {date(start)} to {date(end)}"
    except ValueError:
        return f"the period {text}"


def _contract_changes(key: str, before: dict | None, after: dict | None, day: str, since: str) -> list[dict]:
    """The changes of one contract: added, removed, ended, changed, and those of its commitments."""
    if before is None:
        count = len(after["commitments"])
        commitments = (
            _plural(count, "social value commitment", "social value commitments")
            if count
            else "no social value commitments yet"
        )
        detail = f"New contract worth {money(after['value_gbp'])}, with {commitments}."
        return [_event("contract-added", CONTRACT, key, after["title"], detail, after=after["value_gbp"])]
    if after is None:
        return [_event("contract-removed", CONTRACT, key, before["title"], "Contract no longer published.")]
    title, found = after["title"], []
    end = after["end_date"]
    if end is not None and end < day and not (before["end_date"] is not None and before["end_date"] < since):
        found.append(_event("contract-ended", CONTRACT, key, title, f"Contract ended on {date(end)}.", after=end))
    if before["end_date"] != end:
        detail = f"End date moved from {date(before['end_date'], 'none')} to {date(end, 'none')}."
        found.append(_event("contract-changed", CONTRACT, key, title, detail, "end_date", before["end_date"], end))
    if before["value_gbp"] != after["value_gbp"]:
        detail = f"Value changed from {money(before['value_gbp'])} to {money(after['value_gbp'])}."
        found.append(
            _event(
                "contract-changed", CONTRACT, key, title, detail, "value_gbp", before["value_gbp"], after["value_gbp"]
            )
        )
    old, new = before["commitments"], after["commitments"]
    for measure_id in sorted(old.keys() | new.keys()):
        found += _commitment_changes(key, title, measure_id, old.get(measure_id), new.get(measure_id))
    return found


def _commitment_changes(key: str, title: str, measure_id: str, before: dict | None, after: dict | None) -> list[dict]:
    """The changes of one commitment of a contract published both times."""
    if before is None:
        detail = (
            f"New commitment: {after['measure']}, {with_unit(after['target'], after['unit'] or '')} by "
            f"{date(after['due_date'], NO_DUE_DATE)}."
        )
        return [_event("commitment-added", CONTRACT, key, title, detail, measure_id, after=after["target"])]
    if after is None:
        detail = f"Commitment on {before['measure']} no longer published."
        return [_event("commitment-removed", CONTRACT, key, title, detail, measure_id)]
    measure, unit, found = after["measure"], after["unit"] or "", []
    if before["target"] != after["target"]:
        detail = (
            f"Target for {measure} changed from {with_unit(before['target'], before['unit'] or '')} "
            f"to {with_unit(after['target'], unit)}."
        )
        found.append(
            _event(
                "commitment-changed",
                CONTRACT,
                key,
                title,
                detail,
                f"{measure_id}/target",
                before["target"],
                after["target"],
            )
        )
    if before["due_date"] != after["due_date"]:
        detail = (
            f"Due date for {measure} moved from {date(before['due_date'], NO_DUE_DATE)} "
            f"to {date(after['due_date'], NO_DUE_DATE)}."
        )
        part = f"{measure_id}/due_date"
        found.append(
            _event("commitment-changed", CONTRACT, key, title, detail, part, before["due_date"], after["due_date"])
        )
    if before["status"] != after["status"]:
        direction = status_direction(before["status"], after["status"])
        if direction:
            detail = f"Status of {measure} moved {direction} from {before['status']} to {after['status']}."
        else:
            detail = f"Status of {measure} is now {after['status']} (was {before['status']})."
        found.append(
            _event(
                "status-changed", CONTRACT, key, title, detail, measure_id, before["status"], after["status"], direction
            )
        )
    for period in sorted(set(after["returns"]) - set(before["returns"])):
        detail = f"Return received for {measure}, for {_period(period)}."
        found.append(_event("return-received", CONTRACT, key, title, detail, f"{measure_id}/{period}", after=period))
    if after["overdue"] is not None and after["overdue"] != before["overdue"]:
        detail = f"Return for {measure} for the quarter to {date(after['overdue'])} is overdue."
        part = f"{measure_id}/{after['overdue']}"
        found.append(_event("return-overdue", CONTRACT, key, title, detail, part, before["overdue"], after["overdue"]))
    return found


def _opportunity_changes(key: str, before: dict | None, after: dict | None) -> list[dict]:
    """The changes of one opportunity: added or opened, amended, closed, status, removed."""
    if after is None:
        return [_event("opportunity-removed", OPPORTUNITY, key, before["title"], "Opportunity no longer published.")]
    title, status, closing = after["title"], after["status"], _moment(after["closing_date"])
    until = f" until {date_time(closing)}" if closing else ""
    if before is None:
        if status == OPEN:
            return [_event("opportunity-opened", OPPORTUNITY, key, title, f"New opportunity, open for bids{until}.")]
        if status == PIPELINE:
            detail = "New planned opportunity, not open for bids yet."
        else:
            detail = f"New opportunity, listed as {STATUS_LABELS.get(status, status)}."
        return [_event("opportunity-added", OPPORTUNITY, key, title, detail, after=status)]
    found = []
    if before["status"] != status:
        was = before["status"]
        if status == OPEN:
            kind, detail = "opportunity-opened", f"Opened for bids{until}."
        elif status in FINISHED and was not in FINISHED:
            kind, detail = "opportunity-closed", CLOSED_DETAIL.get(status, f"{STATUS_LABELS.get(status, status)}.")
        else:
            kind = "opportunity-status"
            detail = f"Status changed from {STATUS_LABELS.get(was, was)} to {STATUS_LABELS.get(status, status)}."
        found.append(_event(kind, OPPORTUNITY, key, title, detail, None, was, status))
    if before["closing_date"] != after["closing_date"]:
        old = date_time(_moment(before["closing_date"]), "none")
        detail = f"Closing date moved from {old} to {date_time(closing, 'none')}."
        found.append(
            _event(
                "opportunity-amended",
                OPPORTUNITY,
                key,
                title,
                detail,
                "closing_date",
                before["closing_date"],
                after["closing_date"],
            )
        )
    old_value = [before["value_min_gbp"], before["value_max_gbp"]]
    new_value = [after["value_min_gbp"], after["value_max_gbp"]]
    if old_value != new_value:
        detail = f"Estimated value changed from {value_range(*old_value)} to {value_range(*new_value)}."
        found.append(_event("opportunity-amended", OPPORTUNITY, key, title, detail, "value", old_value, new_value))
    return found


def compare(previous: dict, current: dict, build_date) -> list[dict]:
    """Every change from the ``previous`` snapshot to the ``current`` one, built as at ``build_date``, in order."""
    day = _iso(pd.Timestamp(build_date))
    since = previous["build_date"]
    found: list[dict] = []
    old, new = previous["contracts"], current["contracts"]
    for key in old.keys() | new.keys():
        found += _contract_changes(key, old.get(key), new.get(key), day, since)
    old, new = previous["opportunities"], current["opportunities"]
    for key in old.keys() | new.keys():
        found += _opportunity_changes(key, old.get(key), new.get(key))
    return sorted(found, key=event_order)


def comparison_warning(published: bytes, source: str | None) -> str | None:
    """The build's one warning line when the snapshot it published says there was no comparison, else None."""
    try:
        comparison = json.loads(published)["comparison"]
    except (ValueError, KeyError, TypeError):
        return None
    if not isinstance(comparison, dict) or comparison.get("state") != NO_COMPARISON:
        return None
    return (
        f"warning: the previous snapshot {source} cannot be compared with: {comparison.get('reason')}; "
        "the site is published with no comparison (/changes/ says so)"
    )


def describe(event: dict) -> str:
    """The event as one sentence with its subject: ``Homecare: status of Local people hired moved down ...``."""
    detail = event["detail"]
    return f"{event['title']}: {detail[:1].lower()}{detail[1:]}"


# --- the log, carried from publish to publish ------------------------------------------------------


def carry_forward(previous_log: list[dict], events: list[dict], build_date, compared_with: str) -> list[dict]:
    """The log after this publish: its changes (if any) first, then the earlier ones of the last KEEP_DAYS days.

    A second publish on the same day adds its changes to that day's entry (an event of the same name
    replaces the earlier one). Entries are newest first, and so is each entry's order of events.
    """
    day = pd.Timestamp(build_date).normalize()
    today, cutoff = _iso(day), _iso(day - pd.Timedelta(days=KEEP_DAYS))
    kept = [entry for entry in previous_log if cutoff < entry["date"] <= today]
    if events:
        same = next((entry for entry in kept if entry["date"] == today), None)
        if same is None:
            kept.append({"date": today, "compared_with": compared_with, "changes": sorted(events, key=event_order)})
        else:
            merged = {event_name(e): e for e in same["changes"]}
            merged.update({event_name(e): e for e in events})
            kept = [entry for entry in kept if entry is not same]
            changes = sorted(merged.values(), key=event_order)
            kept.append({"date": today, "compared_with": same["compared_with"], "changes": changes})
    return sorted(kept, key=lambda entry: entry["date"], reverse=True)
