"""The page model of what changed: ``/changes/``, its feed, each page's "Recent changes" and ``/data/snapshot.json``.

Pure: this publish's data and the previous snapshot (as previous.py read it) in; plain values, feed
entries and bytes out. The comparison itself is changes.py; this module decides what the pages show:
the state of this publish's comparison (the first, compared, or none and why), the log grouped by
publish and by contracts and opportunities, links to the pages that exist in this build, and each
contract's and opportunity's own changes, newest first.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pandas as pd
from markupsafe import Markup

from . import changes, feeds
from .formatting import date
from .markup import plain_text
from .parse import slugify
from .previous import Previous

FEED_PATH = "changes/feed.atom"
PAGE_PATH = "changes/"
FEED_LIMIT = 200  # the feed carries the newest publishes' changes, whole publishes, up to this many (or one publish)
RECENT_LIMIT = 10  # a contract's or opportunity's page lists its newest this many changes
FOLDERS = {changes.CONTRACT: "contracts", changes.OPPORTUNITY: "opportunities"}
GROUP_TITLES = {changes.CONTRACT: "Contracts", changes.OPPORTUNITY: "Opportunities"}

# (label, GOV.UK tag colour) of each kind of change; a status's label and colour say which way it moved
LABELS = {
    "contract-added": ("New contract", "green"),
    "contract-ended": ("Contract ended", "grey"),
    "contract-changed": ("Contract changed", "yellow"),
    "contract-removed": ("No longer published", "grey"),
    "commitment-added": ("New commitment", "green"),
    "commitment-changed": ("Commitment changed", "yellow"),
    "commitment-removed": ("Commitment removed", "grey"),
    "status-changed": ("Status changed", "blue"),
    "return-received": ("Return received", "blue"),
    "return-overdue": ("Return overdue", "orange"),
    "opportunity-added": ("New opportunity", "green"),
    "opportunity-opened": ("Opened", "green"),
    "opportunity-amended": ("Amended", "yellow"),
    "opportunity-closed": ("Closed", "grey"),
    "opportunity-status": ("Status changed", "blue"),
    "opportunity-removed": ("No longer published", "grey"),
}
DIRECTION_LABELS = {changes.UP: ("Status up", "green"), changes.DOWN: ("Status down", "red")}


@dataclass
class Changes:
    """What the site says about changes at this publish."""

    state: str  # changes.FIRST, COMPARED or NO_COMPARISON
    build_date: dt.date
    compared_with: dt.date | None = None  # the build date of the previous snapshot, when compared
    reason: str | None = None  # why there is no comparison (it names no path or address)
    count: int = 0  # the changes this publish found
    entries: list[dict] = field(default_factory=list)  # the log for /changes/, newest publish first
    snapshot_json: bytes = b""  # /data/snapshot.json: this publish's snapshot and the log
    _by_subject: dict[tuple[str, str], list[dict]] = field(default_factory=dict, repr=False)

    @property
    def total(self) -> int:
        """Every change the log holds."""
        return sum(entry["count"] for entry in self.entries)

    def of(self, subject: str, key: str) -> list[dict]:
        """The changes of one contract or opportunity, newest first (each with its publish date)."""
        return self._by_subject.get((subject, key), [])


def build_changes(
    build_date,
    tables: dict[str, pd.DataFrame],
    progress: pd.DataFrame,
    opportunities: list[dict],
    previous: Previous | None,
) -> Changes:
    """This publish's snapshot, compared with the ``previous`` one (None: none was given, the first publish)."""
    day = pd.Timestamp(build_date).normalize()
    current = changes.snapshot(
        day, tables["contracts"], tables["commitments"], progress, tables["outcomes"], opportunities
    )
    state, reason, compared_with, events, log = changes.FIRST, None, None, [], []
    if previous is not None:
        try:
            if previous.why:
                raise changes.SnapshotError(previous.why)
            before = changes.parse_snapshot(previous.text)
            changes.comparable(before, day)
        except changes.SnapshotError as exc:
            state, reason = changes.NO_COMPARISON, str(exc)
        else:
            state, compared_with = changes.COMPARED, before["build_date"]
            events = changes.compare(before, current, day)
            log = changes.carry_forward(before["log"], events, day, compared_with)
    published = {
        **current,
        "comparison": {"state": state, "compared_with": compared_with, "reason": reason, "changes": len(events)},
        "log": log,
    }
    found = Changes(
        state=state,
        build_date=day.date(),
        compared_with=dt.date.fromisoformat(compared_with) if compared_with else None,
        reason=reason,
        count=len(events),
        snapshot_json=changes.to_json(published),
    )
    pages = {changes.CONTRACT: set(current["contracts"]), changes.OPPORTUNITY: set(current["opportunities"])}
    found.entries = [_entry(entry, pages) for entry in log]
    for entry in found.entries:
        for group in entry["groups"]:
            for row in group["rows"]:
                found._by_subject.setdefault((row["subject"], row["id"]), []).append(row)
    return found


def _entry(entry: dict, pages: dict[str, set[str]]) -> dict:
    """One publish of the log as /changes/ shows it: its date, what it was compared with, its changes by subject."""
    day = dt.date.fromisoformat(entry["date"])
    rows = [_row(event, day, pages) for event in entry["changes"]]
    groups = [
        {"subject": subject, "title": GROUP_TITLES[subject], "rows": [r for r in rows if r["subject"] == subject]}
        for subject in changes.SUBJECTS
    ]
    for group in groups:
        group["subjects"] = _by_subject(group["rows"])
    return {
        "date": day,
        "compared_with": dt.date.fromisoformat(entry["compared_with"]),
        "anchor": f"changes-{entry['date']}",
        "count": len(rows),
        "count_text": f"{len(rows)} {'change' if len(rows) == 1 else 'changes'}",
        "groups": [group for group in groups if group["rows"]],
    }


def _by_subject(rows: list[dict]) -> list[dict]:
    """A group's changes by contract or opportunity (in the order of the rows): its title, link and changes."""
    items: dict[str, dict] = {}
    for row in rows:
        item = items.setdefault(row["id"], {"id": row["id"], "title": row["title"], "link": row["link"], "rows": []})
        item["rows"].append(row)
    return list(items.values())


def _row(event: dict, day: dt.date, pages: dict[str, set[str]]) -> dict:
    """One change as a line of /changes/ and of its page's "Recent changes"."""
    label, colour = DIRECTION_LABELS.get(event["direction"]) or LABELS[event["kind"]]
    slug = slugify(event["id"])
    exists = event["id"] in pages[event["subject"]] and bool(slug)
    return {
        "date": day,
        "kind": event["kind"],
        "subject": event["subject"],
        "id": event["id"],
        "title": event["title"],
        "detail": event["detail"],
        "direction": event["direction"],
        "label": label,
        "colour": colour,
        "link": f"{FOLDERS[event['subject']]}/{slug}/" if exists else None,
        "tag": f"changes/{event_path(event, day)}",
    }


def event_path(event: dict, day: dt.date) -> str:
    """A change's stable name in feeds: its publish date, subject, id, kind and part (no clock)."""
    part = slugify(event["part"]) if event["part"] else ""
    return "/".join(p for p in (f"{day:%Y-%m-%d}", event["subject"], slugify(event["id"]), event["kind"], part) if p)


def attach_recent(rows: list[dict], found: Changes, subject: str, key: str) -> None:
    """Give each row (a contract or an opportunity) its newest changes, and how many more the log holds."""
    for row in rows:
        own = found.of(subject, row[key])
        row["recent_changes"] = own[:RECENT_LIMIT]
        row["recent_changes_more"] = max(0, len(own) - RECENT_LIMIT)


# --- the feed ------------------------------------------------------------------------------------


def feed_entries(site: feeds.Site, found: Changes) -> list[feeds.Entry]:
    """One Atom entry per change of the newest publishes: whole publishes, up to FEED_LIMIT changes (or one)."""
    chosen: list[dict] = []
    for entry in found.entries:
        if chosen and len(chosen) + entry["count"] > FEED_LIMIT:
            break
        chosen += [
            {**row, "compared_with": entry["compared_with"]} for group in entry["groups"] for row in group["rows"]
        ]
    return [_feed_entry(site, row) for row in chosen]


def _feed_entry(site: feeds.Site, row: dict) -> feeds.Entry:
    title, day = plain_text(row["title"]), row["date"]
    sentence = f"{title}: {row['detail'][:1].lower()}{row['detail'][1:]}"
    note = f"Found when the site was published on {date(day)}, compared with what it published on "
    note += f"{date(row['compared_with'])}."
    categories = [(row["kind"], LABELS[row["kind"]][0])]
    if row["direction"]:
        categories.append((f"status/{row['direction']}", DIRECTION_LABELS[row["direction"]][0]))
    return feeds.Entry(
        id=site.tag(row["tag"]),
        title=f"{row['label']}: {title}",
        link=site.link(row["link"] or f"{PAGE_PATH}#changes-{day:%Y-%m-%d}"),
        updated=day,
        published=day,
        summary=sentence,
        content_html=str(Markup("<p>{}</p><p>{}</p>").format(sentence, note)),
        categories=tuple(categories),
    )
