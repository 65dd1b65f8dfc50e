"""The page model of the places: /areas/, one page per ward and one for the whole area.

Pure: the validated Dataset, the site's page model (pages.SiteData) and the settings in; plain
rows, sentences, a table to download and the map (a charts.Chart) out. Each ward page lists the
contracts that name the ward among those they serve, what they promised and delivered, and the
opportunities open for bids. Opportunities are not published ward by ward (opportunities.csv has
no wards), so every open one is listed on every ward page, saying so: an organisation in any ward
may bid for it. Contracts serving the whole area (All) are listed once, on the whole area's page,
and each ward page says how many there are and links to it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from . import areas, maps, records
from .charts import Chart, ChartTable
from .formatting import date, money
from .load import Dataset
from .opportunities import CLOSING_SOON, OPEN
from .pages import Rows, SiteData, _measure_rows, whole_area_name
from .settings import PortalSettings
from .wards import EVERYWHERE, EVERYWHERE_SLUG, ward_index

FACET_GROUP = "Ward served"  # the heading of the ward filter in the contracts list's "Filter contracts"
NAMED_UP_TO = 3  # a sentence names this many wards, or counts them


@dataclass
class AreaPages:
    """Everything /areas/ and the pages below it show."""

    pages: list[dict]  # one per ward (in order of name), then the whole area's: what each page shows
    table: list[dict] = field(default_factory=list)  # the wards' figures, for /areas/ and beside the map
    without_wards: Rows = field(default_factory=Rows)  # the contracts that do not say which wards they serve
    opportunities: list[dict] = field(default_factory=list)  # open for bids, soonest to close first
    opportunities_section: dict = field(default_factory=dict)  # the same, as the opportunity table shows a section
    chart: Chart | None = None  # the map of the wards, when the data has their boundaries
    attribution: str | None = None  # the boundaries' attribution, shown under the map
    wards_published: bool = False  # wards.csv is in the data
    whole_area: dict = field(default_factory=dict)  # the whole area's page (also the last of ``pages``)
    download: pd.DataFrame = field(default_factory=pd.DataFrame)  # /areas/areas.csv and .json

    @property
    def charts(self) -> list[Chart]:
        return [self.chart] if self.chart else []

    @property
    def ward_pages(self) -> list[dict]:
        return [page for page in self.pages if page["is_ward"]]

    @property
    def facet_groups(self) -> dict[str, list[dict]]:
        """The ward filter of the contracts list: a link to each area's page, with its count (the ward pages are
        the filter's static pages)."""
        if not self.ward_pages and not self.whole_area["contracts"]:
            return {}
        options = [self.whole_area, *self.ward_pages]
        return {
            FACET_GROUP: [
                {
                    "group": FACET_GROUP,
                    "label": page["name"],
                    "path": page["slug"],
                    "folder": "areas",
                    "link_text": f"{page['name']} ({page['contracts'].total})",
                }
                for page in options
            ]
        }


def _contracts(count: int) -> str:
    return f"{count:,} contract{'s' if count != 1 else ''}"


def _and(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _which(names: list[str]) -> str:
    """The wards named, or how many when there are more than a sentence can carry."""
    return _and(names) if len(names) <= NAMED_UP_TO else f"{len(names)} wards"


def _on_track_text(row: dict, as_at) -> str:
    if not row["assessed"]:
        return "No commitments assessed yet"
    return f"{row['on_track']:,} of {row['assessed']:,} assessed as at {date(as_at)}"


def build_area_pages(dataset: Dataset, data: SiteData, settings: PortalSettings) -> AreaPages:
    """The places pages, from the dataset and the site's page model, as of the build date."""
    tables = dataset.tables
    published = "wards" in tables and "wards" not in dataset.absent
    index, _ = ward_index(tables.get("wards") if published else None)  # (its problems are the loader's)
    by_ward = areas.contracts_by_ward(tables["contracts"], index)
    totals = records.records(areas.ward_totals(index, by_ward, data.summary))
    rows = {row["contract_id"]: row for row in data.contracts}
    order = {row["contract_id"]: n for n, row in enumerate(data.contracts)}
    area = whole_area_name(settings)
    everywhere = len(by_ward[EVERYWHERE])
    pages = []
    for total in totals:
        code = total["ward_code"]
        ward = index.wards.get(code)
        ids = sorted(by_ward[code], key=order.__getitem__)
        page = {
            **total,
            "name": ward.name if ward else area,
            "is_ward": ward is not None,
            "whole_area_slug": EVERYWHERE_SLUG,  # where a ward page sends readers for the contracts serving every ward
            "contracts": Rows(rows[i] for i in ids),
            "other_names_text": "; ".join(ward.other_names) if ward and ward.other_names else None,
            "on_track_text": _on_track_text(total, data.as_at),
            "measures_by_priority": records.group_by(_measure_rows(areas.delivery(data.progress, ids)), "priority"),
        }
        page["contracts_text"] = (
            f"{_contracts(len(ids))}, worth {money(total['value_gbp'])} in total" if ids else "None"
        )
        if ward:
            page["intro"] = (
                f"{_contracts(len(ids))} {'names' if len(ids) == 1 else 'name'} {ward.name} among the wards "
                f"{'it serves' if len(ids) == 1 else 'they serve'}."
                if ids
                else f"No contract names {ward.name} among the wards it serves."
            )
            page["elsewhere_text"] = (
                f"{everywhere:,} more contract{'s' if everywhere != 1 else ''} "
                f"{'serves' if everywhere == 1 else 'serve'} every ward of {settings.area_name}, {ward.name} included"
                if everywhere
                else None
            )
        else:
            page["intro"] = (
                f"{_contracts(len(ids))} {'serves' if len(ids) == 1 else 'serve'} every ward of {settings.area_name} "
                f"rather than named wards."
                if ids
                else f"No contract says it serves every ward of {settings.area_name}."
            )
            page["elsewhere_text"] = None
        pages.append(page)
    open_rows = [r for r in data.opportunities.rows if r["status"] in (CLOSING_SOON, OPEN)]
    open_rows.sort(key=lambda r: (r["closes_at"] is None, r["closes_at"] or 0, r["title"], r["opportunity_id"]))
    wards = [page for page in pages if page["is_ward"]]
    found = AreaPages(
        pages=pages,
        table=wards,
        without_wards=Rows(rows[i] for i in sorted(areas.without_wards(tables["contracts"]), key=order.__getitem__)),
        opportunities=open_rows,
        opportunities_section={
            "key": "open",
            "title": "Opportunities open for bids",
            "date_heading": "Closing date",
            "show_status": True,
            "rows": open_rows,
        },
        wards_published=published,
        whole_area=pages[-1],
        download=_download(pages),
    )
    boundaries = dataset.boundaries
    if boundaries and wards:
        found.chart = _map(wards, pages[-1], boundaries.shapes, settings.area_name)
        found.attribution = boundaries.attribution
    return found


def _download(pages: list[dict]) -> pd.DataFrame:
    """/areas/areas.csv: each ward's figures, then the whole area's (no code)."""
    return pd.DataFrame(
        {
            "ward_code": [None if not p["is_ward"] else p["ward_code"] for p in pages],
            "name": [p["name"] for p in pages],
            "contracts": [p["contracts"].total for p in pages],
            "value_gbp": [round(p["value_gbp"], 2) for p in pages],
            "commitments": [p["commitments"] for p in pages],
            "commitments_assessed": [p["assessed"] for p in pages],
            "commitments_rated_good": [p["on_track"] for p in pages],
            "overdue_returns": [p["overdue_returns"] for p in pages],
        }
    )


def _map(wards: list[dict], whole: dict, shapes: dict, area_name: str) -> Chart:
    """The map of the wards, shaded by the number of contracts naming each, with its summary and table."""
    counts = [page["contracts"].total for page in wards]
    low, high = min(counts), max(counts)
    lowest = [page["name"] for page in wards if page["contracts"].total == low]
    highest = [page["name"] for page in wards if page["contracts"].total == high]
    summary = (
        f"The number of contracts naming a ward runs from {low:,} ({_which(lowest)}) to {high:,} ({_which(highest)})"
        if low != high
        else (f"Every ward is named by {_contracts(low)}" if low else "No contract names a ward")
    )
    summary += (
        f"; {whole['contracts'].total:,} more contract{'s' if whole['contracts'].total != 1 else ''} "
        f"{'serves' if whole['contracts'].total == 1 else 'serve'} every ward of {area_name}."
        if whole["contracts"]
        else "."
    )
    table = ChartTable(
        ["Ward", "ONS code", "Contracts naming the ward", "Commitments assessed", "Commitments rated Good"],
        [[p["name"], p["ward_code"], p["contracts"].total, p["assessed"], p["on_track"]] for p in wards],
    )
    return maps.ward_map(
        "chart-wards",
        "Contracts naming each ward",
        summary,
        [(page["ward_code"], page["contracts"].total) for page in wards],
        shapes,
        "Contracts naming the ward",
        table,
        "wards.csv",
    )
