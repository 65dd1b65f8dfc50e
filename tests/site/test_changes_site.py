"""What changed: /changes/, its feed and each page's "Recent changes", over publishes of edited data.

The opportunities fixture is built once with no previous snapshot (the first publish), then a copy of
its data is edited (a new contract, a commitment's target, a return that moves a status, a return
that changes a level, an opportunity's closing date moved, one closed) and built again with
PREVIOUS pointing at the first build; a week later it is built again, with PREVIOUS at the second.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import feedparser
import pytest

from conftest import OPPORTUNITIES, ROOT, build_site, edit_csv
from support.pagetext import page, page_text
from svportal import sitemap

pytestmark = pytest.mark.site

NEW_CONTRACT = (
    "MCC/NEW/2026/010,Youth employment programme,,Manchester City Council,GB-LAE-MAN,,Northside Care Ltd,"
    'GB-COH-01234567,sme,No,local,open,2026-11-01,2028-10-31,,"£80,000",10,Yes,,,,,,,,2026-11-20\n'
)
CONTRACT_1, CONTRACT_2, CONTRACT_3 = (
    "/contracts/mcc-asc-2024-001/",
    "/contracts/mhcc-2026-002/",
    "/contracts/mlco-ch-25-003/",
)
NEW, EDGE, TOMORROW = "/contracts/mcc-new-2026-010/", "/opportunities/opp-edge-out/", "/opportunities/opp-tomorrow/"
HOSTILE = '<script>alert("x")</script> & Sons "Care"'
CHANGES = [
    "## 23 November 2026",
    "7 changes since the site published on 23 November 2026.",
    "### Contracts",
    f"- [{HOSTILE}](../contracts/mhcc-2026-002/)",
    "  Commitment changed Target for Local people hired changed from 4 FTE to 6 FTE.",
    "- [Community connectors](../contracts/mlco-ch-25-003/)",
    "  Status changed Status of Volunteering hours is now Approaching target (was No returns yet).",
    "  Return received Return received for Volunteering hours, for the period 1 July 2026 to 30 September 2026.",
    "- [Homecare in North Manchester](../contracts/mcc-asc-2024-001/)",
    "  Status up Status of Staff paid the Real Living Wage moved up from Requires improvement to Good.",
    "- [Youth employment programme](../contracts/mcc-new-2026-010/)",
    "  New contract New contract worth £80,000, with 1 social value commitment.",
    "### Opportunities",
    "- [Carers co-design fund](../opportunities/opp-edge-out/)",
    "  Amended Closing date moved from 8 December 2026 to 15 December 2026.",
    "- [Hospital discharge support](../opportunities/opp-tomorrow/)",
    "  Closed Closed to bids.",
]


def edited_copy(folder: Path) -> Path:
    """The opportunities fixture with the edits a publisher might make between two publishes."""
    data = folder / "data"
    shutil.copytree(OPPORTUNITIES, data)
    with (data / "contracts.csv").open("a", encoding="utf-8") as file:
        file.write(NEW_CONTRACT)
    with (data / "commitments.csv").open("a", encoding="utf-8") as file:
        file.write("MCC/NEW/2026/010,EMP-01,5,,\n")
    edit_csv(data / "commitments.csv", "MHCC-2026-002,EMP-01,4,,", "MHCC-2026-002,EMP-01,6,,")
    with (data / "outcomes.csv").open("a", encoding="utf-8") as file:  # the overdue return, received
        file.write("MLCO/CH/25/003,COM-01,2026-07-01,2026-09-30,150,reported,\n")
    edit_csv(  # the latest level of staff paid the Real Living Wage, corrected: 48 of 50
        data / "outcomes.csv", "RLW-01,2026-07-01,2026-09-30,30,", "RLW-01,2026-07-01,2026-09-30,48,"
    )
    edit_csv(data / "opportunities.csv", "2026-11-15,2026-12-08,", "2026-11-15,2026-12-15,")
    edit_csv(
        data / "opportunities.csv",
        "Manchester Local Care Organisation,,open,tender,25000",
        "Manchester Local Care Organisation,,closed,tender,25000",
    )
    return data


def main_text(site: Path, path: str) -> list[str]:
    """The lines of a page's own content: from its h1 to the provenance box."""
    lines = page_text((site / path / "index.html").read_bytes()).splitlines()
    start = next(n for n, line in enumerate(lines) if line.startswith("# "))
    end = lines.index("## About this information")
    return lines[start:end]


def section(site: Path, path: str, heading: str) -> list[str]:
    """The lines of one h2 section of a page's content (empty when the page has no such section)."""
    lines = main_text(site, path)
    if f"## {heading}" not in lines:
        return []
    start = lines.index(f"## {heading}") + 1
    end = next((n for n in range(start, len(lines)) if lines[n].startswith("## ")), len(lines))
    return lines[start:end]


@pytest.fixture(scope="module")
def first(opportunities_site) -> Path:
    """The first publish: the opportunities fixture, built with no previous snapshot."""
    return opportunities_site


@pytest.fixture(scope="module")
def data(tmp_path_factory) -> Path:
    return edited_copy(tmp_path_factory.mktemp("changes-data"))


@pytest.fixture(scope="module")
def second(tmp_path_factory, first, data) -> Path:
    """The edited data published again on the same day, compared with the first publish."""
    output = tmp_path_factory.mktemp("changes-second") / "output"
    assert build_site(data, output, previous=str(first)) == 0
    return output


# --- the first publish --------------------------------------------------------------------------


def test_a_first_publish_says_there_is_nothing_to_compare(first):
    lines = main_text(first, "changes")
    assert lines[0] == "# What has changed"
    assert (
        "This is the first publish: there is no earlier one to compare with, so there is nothing to list yet. "
        "The next publish will list what changed since this one, built on 23 November 2026."
    ) in lines
    assert not [line for line in lines if line.startswith("## 2")]
    snapshot = json.loads((first / "data" / "snapshot.json").read_bytes())
    assert snapshot["comparison"] == {"state": "first", "compared_with": None, "reason": None, "changes": 0}
    assert snapshot["log"] == []
    assert feedparser.parse((first / "changes" / "feed.atom").read_bytes()).entries == []
    assert section(first, "contracts/mcc-asc-2024-001", "Recent changes") == []


def test_every_page_links_to_the_changes(first):
    soup = page(first, "contracts")
    assert [a.get_text() for a in soup.select("nav a[href$='changes/']")] == ["Changes"]
    assert [a.get_text() for a in soup.select("footer a[href$='changes/']")] == ["What has changed"]
    home = page(first, "")
    assert [a.get_text() for a in home.select("main a[href$='changes/']")] == ["What has changed"]
    changes = page(first, "changes")
    assert changes.select_one("head link[type='application/atom+xml']")["href"] == "../changes/feed.atom"
    assert "https://example.org/changes/" in sitemap.page_urls(first, "https://example.org")


# --- the second: what changed -------------------------------------------------------------------------


def test_the_changes_page_lists_what_changed_by_publish(second):
    lines = main_text(second, "changes")
    assert (
        "The site was last published on 23 November 2026, and compared with what it published on "
        "23 November 2026: 7 changes."
    ) in lines
    start = lines.index("## 23 November 2026")
    assert lines[start:] == CHANGES


def test_the_feed_has_one_entry_per_change(second):
    feed = feedparser.parse((second / "changes" / "feed.atom").read_bytes())
    assert not feed.bozo
    assert feed.feed.title == "What has changed – Social value in Manchester"
    tag = "tag:social-value-in-manchester,2026:changes/2026-11-23/"
    assert all(entry.id.startswith(tag) for entry in feed.entries)
    found = sorted((entry.id.removeprefix(tag), entry.title, entry.link) for entry in feed.entries)
    assert found == [
        ("contract/mcc-asc-2024-001/status-changed/rlw-01", "Status up: Homecare in North Manchester", CONTRACT_1),
        ("contract/mcc-new-2026-010/contract-added", "New contract: Youth employment programme", NEW),
        ("contract/mhcc-2026-002/commitment-changed/emp-01-target", f"Commitment changed: {HOSTILE}", CONTRACT_2),
        (
            "contract/mlco-ch-25-003/return-received/com-01-2026-07-01-2026-09-30",
            "Return received: Community connectors",
            CONTRACT_3,
        ),
        ("contract/mlco-ch-25-003/status-changed/com-01", "Status changed: Community connectors", CONTRACT_3),
        ("opportunity/opp-edge-out/opportunity-amended/closing-date", "Amended: Carers co-design fund", EDGE),
        ("opportunity/opp-tomorrow/opportunity-closed", "Closed: Hospital discharge support", TOMORROW),
    ]
    closed = next(e for e in feed.entries if e.id.endswith("opp-tomorrow/opportunity-closed"))
    assert closed.summary == "Hospital discharge support: closed to bids."
    assert closed.updated == "2026-11-23T00:00:00Z"


def test_each_changed_page_shows_its_own_recent_changes(second):
    assert section(second, "contracts/mlco-ch-25-003", "Recent changes") == [
        "What changed in this contract's data when the site was published, newest first.",
        "- 23 November 2026",
        "  Status changed Status of Volunteering hours is now Approaching target (was No returns yet).",
        "- 23 November 2026",
        "  Return received Return received for Volunteering hours, for the period 1 July 2026 to 30 September 2026.",
        "[See what has changed across the site](../../changes/)",
    ]
    assert section(second, "contracts/mcc-new-2026-010", "Recent changes")[1:3] == [
        "- 23 November 2026",
        "  New contract New contract worth £80,000, with 1 social value commitment.",
    ]
    assert section(second, "opportunities/opp-edge-out", "Recent changes")[1:3] == [
        "- 23 November 2026",
        "  Amended Closing date moved from 8 December 2026 to 15 December 2026.",
    ]
    assert section(second, "opportunities/opp-tomorrow", "Recent changes")[1:3] == [
        "- 23 November 2026",
        "  Closed Closed to bids.",
    ]
    # unchanged: no section at all
    assert section(second, "opportunities/opp-pipe-a", "Recent changes") == []


def test_the_same_data_and_previous_snapshot_give_the_same_bytes(tmp_path, first, data, second):
    again = tmp_path / "again"
    assert build_site(data, again, previous=str(first / "data" / "snapshot.json")) == 0
    for path in (
        "changes/index.html",
        "changes/feed.atom",
        "data/snapshot.json",
        "contracts/mlco-ch-25-003/index.html",
    ):
        assert (again / path).read_bytes() == (second / path).read_bytes(), path


def test_the_log_accumulates_across_publishes(tmp_path, data, second):
    later = tmp_path / "later"
    assert build_site(data, later, build_date="2026-11-30", previous=str(second)) == 0
    snapshot = json.loads((later / "data" / "snapshot.json").read_bytes())
    earlier = json.loads((second / "data" / "snapshot.json").read_bytes())["log"]
    assert [entry["date"] for entry in snapshot["log"]] == ["2026-11-30", "2026-11-23"]
    assert snapshot["log"][1:] == earlier  # carried forward as it was
    assert [(e["kind"], e["id"]) for e in snapshot["log"][0]["changes"]] == [
        ("opportunity-closed", "OPP/TODAY/1"),  # its closing date passed
    ]
    lines = main_text(later, "changes")
    assert lines[lines.index("## Publishes with changes") + 1 :][:2] == [
        "- [30 November 2026](#changes-2026-11-30): 1 change",
        "- [23 November 2026](#changes-2026-11-23): 7 changes",
    ]
    feed = feedparser.parse((later / "changes" / "feed.atom").read_bytes())
    assert len(feed.entries) == 8
    assert section(later, "opportunities/opp-tomorrow", "Recent changes")[1:3] == [
        "- 23 November 2026",
        "  Closed Closed to bids.",
    ]


# --- a previous snapshot that cannot be used ------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("malformed.json", b'{"schema": "svportal-snapshot", ', "it is not valid JSON (Expecting property name"),
        ("missing.json", None, "there is no such file or folder"),
    ],
)
def test_an_unusable_previous_snapshot_gives_a_warning_and_no_comparison(tmp_path, capsys, name, content, reason):
    previous = tmp_path / name
    if content is not None:
        previous.write_bytes(content)
    output = tmp_path / "output"
    assert build_site(OPPORTUNITIES, output, previous=str(previous)) == 0
    warnings = [line for line in capsys.readouterr().err.splitlines() if line.startswith("warning: ")]
    assert len(warnings) == 1
    assert warnings[0].startswith(f"warning: the previous snapshot {previous} cannot be compared with: {reason}")
    assert warnings[0].endswith("; the site is published with no comparison (/changes/ says so)")
    text = " ".join(main_text(output, "changes"))
    assert (
        f"No comparison. The publish on 23 November 2026 could not be compared with the previous one: {reason}" in text
    )
    assert str(tmp_path) not in text  # the reason names no local path
    quality = section(output, "data-quality", "No comparison with the previous publish")
    assert quality[0].startswith(f"This publish could not be compared with what the site published last time: {reason}")
    assert json.loads((output / "data" / "snapshot.json").read_bytes())["comparison"]["state"] == "none"


# --- make publish compares with the live site by default; make html only when told --------------------


def make_line(target: str, **variables: str) -> str:
    """The command ``make -n`` would run for ``target`` (the svportal line)."""
    assignments = [f"{name}={value}" for name, value in variables.items()]
    result = subprocess.run(
        ["make", "-n", "-C", str(ROOT), target, *assignments], capture_output=True, text=True, check=True
    )
    return next(line for line in result.stdout.splitlines() if "-m svportal " in line)


def test_make_publish_compares_with_the_live_output_and_make_html_only_when_told(tmp_path):
    live = tmp_path / "output"
    assert make_line("publish", OUTPUTDIR=str(live)).startswith('PREVIOUS="" ')  # no site yet: the first publish
    (live / "data").mkdir(parents=True)
    (live / "data" / "snapshot.json").write_text("{}")
    assert make_line("publish", OUTPUTDIR=str(live)).startswith(f'PREVIOUS="{live}" ')
    given = "https://example.org/data/snapshot.json"
    assert make_line("publish", OUTPUTDIR=str(live), PREVIOUS=given).startswith(f'PREVIOUS="{given}" ')
    assert "PREVIOUS" not in make_line("html", OUTPUTDIR=str(live))  # from the environment, only if given
