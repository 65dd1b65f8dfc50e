"""The page model: everything every page of the site shows, each thing computed once.

Pure: a validated Dataset and the portal settings in; plain values, DataFrames and Chart objects
out, no Pelican and no HTML. The generators (generators.py) only write what this prepares: the
contracts, suppliers, buyers, priorities and indicators, the home page's dashboard and next
opportunities to close, the opportunity listing and its filters, the data-quality page, the
static filter pages of the contracts list, every table as it is published, each contract's KPIs rated
(performance.py) and the contracts as an OCDS release package (ocds_export.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields

import pandas as pd

from . import (
    areas,
    charts,
    data_quality,
    exports,
    grant_pages,
    grants_export,
    model,
    ocds_export,
    payees,
    performance,
    ratings,
    records,
    spend_pages,
)
from .changelog import Changes, attach_recent, build_changes
from .formatting import date, money, number, percent, with_unit
from .load import LINE, Dataset
from .opportunities import CLOSED_EARLIER, Filter, Listing, build_listing, priorities_with_pages
from .parse import slugify
from .previous import Previous
from .schema import DataContract
from .settings import PortalSettings
from .wards import EVERYWHERE, ward_index

HOME_OPPORTUNITIES = 5  # the home page lists the next this many opportunities to close

STATUS_COLOURS = ratings.STATUS_COLOURS  # the words of delivery, their colours and meanings: ratings.py


TAG_COLOURS = {
    "weighting": None,
    "rlw": "green",
    "no_rlw": "grey",
    "ecc": "green",
    "cquin": "purple",
    "cqc": "grey",
    "vcse": "turquoise",
    "overdue": ratings.OVERDUE_COLOUR,
}
DIRECTION_NOTES = {"decrease": "Lower is better: the target is a ceiling"}  # a measure's direction, on its row
INDICATOR_DIRECTIONS = {"decrease": "Lower is better", "increase": "Higher is better"}


class Rows(list):
    """A list of rows (contracts, suppliers...) that also says how many and, for contracts, what
    they are worth: the sentence above a table reads these rather than adding up in the template."""

    @property
    def total(self) -> int:
        return len(self)

    @property
    def total_value_gbp(self) -> float:
        return sum(row["value_gbp"] for row in self)


@dataclass
class SiteData:
    """What the site shows, as the templates and downloads need it."""

    progress: pd.DataFrame
    summary: pd.DataFrame
    suppliers: pd.DataFrame
    buyers: pd.DataFrame
    headline: dict
    contracts: list[dict]
    commitments_by_contract: dict[str, list[dict]]
    as_at: pd.Timestamp
    data_updated: object  # datetime.date or None
    dashboard: dict = field(default_factory=dict)
    priorities: list[dict] = field(default_factory=list)
    indicators: list[dict] = field(default_factory=list)
    published: dict[str, pd.DataFrame] = field(default_factory=dict)  # every dataset as published, labels added
    quality: dict = field(default_factory=dict)  # what the data-quality page shows
    facets: list[dict] = field(default_factory=list)  # static filter pages of the contracts list
    supplier_rows: list[dict] = field(default_factory=list)  # one per supplier organisation (model.organisations)
    buyer_rows: list[dict] = field(default_factory=list)
    supplier_contracts: dict[str, list[dict]] = field(default_factory=dict)  # slug -> its contracts, for its page
    buyer_contracts: dict[str, list[dict]] = field(default_factory=dict)
    opportunities: OpportunityListing | None = None  # the opportunity listing, its sections and filters
    next_closing: list[dict] = field(default_factory=list)  # for the home page
    catalogue: list[tuple[dict, int]] = field(default_factory=list)  # (published resource, rows) per dataset
    vocabulary: dict = field(default_factory=dict)  # ratings.vocabulary: every status word and what it means
    ocds: dict = field(default_factory=dict)  # the OCDS release package of /data/ocds.json (ocds_export.py)
    performance: dict[str, list[dict]] = field(default_factory=dict)  # contract_id -> its KPIs rated (performance.py)
    grants: grant_pages.GrantPages = field(default_factory=grant_pages.GrantPages)  # the grants pages (grant_pages.py)
    spend: spend_pages.SpendPages = field(default_factory=spend_pages.SpendPages)  # /spend/ and paid (spend_pages.py)
    changes: Changes | None = None  # what changed since the previous publish: /changes/ and each page's (changelog.py)
    _positions: dict = field(default_factory=dict, repr=False)  # table -> {id: row number}, made on first use

    def contracts_download(self, contract_ids) -> pd.DataFrame:
        """The published contract rows for these ids, in this order, with their commitment counts."""
        return self._rows_by_id("contracts_listing", "contract_id", contract_ids)

    def opportunities_download(self, opportunity_ids) -> pd.DataFrame:
        """The published opportunity rows for these ids, in this order."""
        return self._rows_by_id("opportunities", "opportunity_id", opportunity_ids)

    def _rows_by_id(self, table: str, column: str, ids) -> pd.DataFrame:
        """The rows of a published table whose ``column`` is each of ``ids``, in that order."""
        frame = self.published[table]
        if table not in self._positions:
            self._positions[table] = {key: n for n, key in enumerate(frame[column])}
        position = self._positions[table]
        return frame.iloc[[position[i] for i in ids]].reset_index(drop=True)

    def rows_of_contract(self, table: str) -> dict[str, pd.DataFrame]:
        """A published table split by contract_id (contracts without rows are absent)."""
        return {key: frame for key, frame in self.published[table].groupby("contract_id", sort=False)}

    def priorities_download(self) -> pd.DataFrame:
        """The list of priorities as published: the table of /priorities/ without its page-only columns."""
        page_only = ["slug", "measures_list", "contracts_list", "on_track_text"]
        return pd.DataFrame(self.priorities).drop(columns=page_only, errors="ignore")

    def contracts_of(self, key: str) -> dict[str, list[dict]]:
        """The contracts grouped by ``supplier_slug`` or ``buyer_slug``."""
        return {name: Rows(rows) for name, rows in records.group_by(self.contracts, key).items()}

    @property
    def facet_groups(self) -> dict[str, list[dict]]:
        """The contracts list's filter pages, by group (the headings of the list of filters)."""
        return records.group_by(self.facets, "group")

    @property
    def datasets(self) -> list[dict]:
        """The /data/ page's list: each published dataset's name, title, description, rows and fields."""
        return [
            {
                "name": resource["name"],
                "title": resource["title"],
                "description": resource["description"],
                "rows": count,
                "fields": [_field_row(f) for f in resource["schema"]["fields"]],
                "json_format": grants_export.FORMAT if grants_export.is_package(resource["name"], count) else None,
            }
            for resource, count in self.catalogue
        ]

    def contract_charts(self) -> list[charts.Chart]:
        """The contracts' charts, in the order their pages are written (rendered while the other pages are)."""
        own = self.commitments_by_contract
        return [c["chart"] for row in self.contracts for c in own.get(row["contract_id"], []) if c.get("chart")]

    def other_charts(self) -> list[charts.Chart]:
        """Every chart of the site but the contracts': rendered first, before the pages are written."""
        found = [c for c in self.dashboard.get("charts", {}).values()]
        found += [i["chart"] for i in self.indicators if i.get("chart")]
        found += [self.grants.chart] if self.grants.chart else []
        found += self.spend.all_charts()
        return found


def build_site_data(dataset: Dataset, settings: PortalSettings, previous: Previous | None = None) -> SiteData:
    """Everything the site shows, from the validated dataset, as of the build date.

    ``previous``: the snapshot the site published last time (previous.read), to say what changed since.
    """
    t = dataset.tables
    progress = model.commitment_progress(
        t["contracts"], t["measures"], t["commitments"], t["outcomes"], settings.build_date, settings.thresholds
    )
    supplier_parties = model.supplier_parties(t["contracts"], t.get("contract_suppliers"))
    buyer_parties = model.buyer_parties(t["contracts"])
    summary = model.contract_summary(t["contracts"], progress, supplier_parties, buyer_parties)
    summary = areas.with_ward_links(summary, ward_index(t.get("wards"))[0])  # (its problems are the loader's)
    suppliers = model.organisations(supplier_parties, summary)
    buyers = model.organisations(buyer_parties, summary)
    contracts = contract_rows(summary, settings)
    series = model.quarterly_series(progress, t["outcomes"], settings.build_date)
    commitments = records.group_by(_commitments_with_charts(progress, series), "contract_id")
    as_at = model.assessment_date(settings.build_date)
    published = _published(t, progress, summary, as_at)
    kpis = performance.kpi_ratings(t["contracts"], supplier_parties, progress, as_at)
    published[performance.NAME] = kpis
    listing = _opportunities(t, settings, dataset.contract)
    for row in listing.rows:
        _opportunity_labels(row, dataset.contract)
    _opportunity_lots_and_buyers(listing.rows, t.get("opportunity_lots"), buyers)
    label_codes(contracts, dataset.contract, "contracts")
    changes = build_changes(settings.build_date, t, progress, listing.rows, previous)
    paid = payees.match(t)  # (the payments with their payees matched; one row per payee): once, for every page
    attach_recent(contracts, changes, "contract", "contract_id")
    attach_recent(listing.rows, changes, "opportunity", "opportunity_id")
    return SiteData(
        progress=progress,
        summary=summary,
        suppliers=suppliers,
        buyers=buyers,
        headline=model.headline_figures(summary, progress),
        contracts=contracts,
        commitments_by_contract=commitments,
        as_at=as_at,
        data_updated=records.plain(t["contracts"]["last_updated"].max()),
        dashboard=_dashboard(summary, progress, settings),
        priorities=_priorities(progress, summary, settings),
        indicators=_indicators(t["indicators"], t["indicator_values"]),
        published=published,
        quality=_quality(dataset, progress, summary, paid),
        facets=_facets(contracts, progress, settings),
        supplier_rows=Rows(entity_rows(suppliers, as_at, settings, supplier_parties)),
        buyer_rows=Rows(entity_rows(buyers, as_at, settings)),
        supplier_contracts=organisation_contracts(supplier_parties, contracts, settings),
        buyer_contracts=organisation_contracts(buyer_parties, contracts, settings),
        opportunities=listing,
        changes=changes,
        next_closing=listing.next_closing(HOME_OPPORTUNITIES),
        catalogue=_catalogue(dataset.contract, published),
        vocabulary=ratings.vocabulary(settings.thresholds),
        ocds=ocds_export.release_package(
            t["contracts"], supplier_parties, buyer_parties, progress, t["outcomes"], _publication(settings)
        ),
        performance=performance_rows(kpis),
        grants=grant_pages.build_grant_pages(t.get("grants"), supplier_parties, buyer_parties, published.get("grants")),
        spend=spend_pages.build_spend_pages(*paid, settings, summary, supplier_parties),
    )


def supplier_type(row: dict) -> str:
    """``VCSE``, ``SME`` or ``Large`` (VCSE first: a small charity is both)."""
    if row.get("supplier_vcse"):
        return "VCSE"
    return {"sme": "SME", "large": "Large"}.get(row.get("supplier_size") or "", "Not published")


def commitment_rows(progress: pd.DataFrame) -> list[dict]:
    """One dict per commitment, with its status colour, its overdue flag, whether its returns were verified
    and the slug of its priority."""
    rows = records.records(progress)
    for row in rows:
        row["status_colour"] = STATUS_COLOURS[row["status"]]
        row["overdue_flag"] = (ratings.OVERDUE, ratings.OVERDUE_COLOUR) if row.get("overdue") else None
        row["verified_text"] = ratings.verified_text(row.get("returns") or 0, row.get("verified_returns") or 0)
        row["priority_slug"] = slugify(row["priority"]) if row.get("priority") else None
        row["direction_note"] = DIRECTION_NOTES.get(row.get("direction"))
        row["delivered_note"] = "latest return" if row.get("aggregation") == "latest" else None
        if not row.get("returns"):
            row["pct_of_target_text"] = "–"
        else:
            row["pct_of_target_text"] = percent(
                row.get("pct_of_target"), "Not applicable" if row.get("target") == 0 else "Not published"
            )
    return rows


ROLE_LABELS = {"lead": "Lead supplier", "consortium-member": "Consortium member", "subcontractor": "Subcontractor"}


def _and(names: list[str]) -> str:
    """``A``, ``A and B``, ``A, B and C``."""
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def supplier_description(row: dict, settings: PortalSettings) -> str:
    """``SME, based in Manchester``: a supplier's type and where it is based, as on one contract."""
    based = {
        "local": f", based in {settings.area_name}",
        "regional": f", based in {settings.region_name}",
        "elsewhere": f", based outside {settings.region_name}",
    }
    return supplier_type(row) + based.get(row.get("supplier_locality"), "")


def contract_rows(summary: pd.DataFrame, settings: PortalSettings) -> Rows:
    """One dict per contract, with its supplier type and what its page and table rows say.

    ``suppliers`` (model.contract_summary) gets each supplier's ``role_label`` and ``description`` (its type
    and where it is based, on this contract); ``joint_with_text`` names the lead's partners, if any.
    """
    rows = Rows(records.records(summary))
    for row in rows:
        row["supplier_type"] = supplier_type(row)
        row["supplier_description"] = supplier_description(row, settings)
        listed = row.get("suppliers") or []
        for supplier in listed:
            supplier["role_label"] = ROLE_LABELS.get(supplier["role"], supplier["role"])
            supplier["description"] = supplier_description(supplier, settings)
        others = [s["name"] for s in listed if s["slug"] != row.get("supplier_slug")]
        row["joint_with_text"] = f"Joint with {_and(others)}" if others else None
        row["on_track_text"] = on_track_text(row) if row.get("commitments") else "No commitments"
        row["attention_text"] = ratings.attention_text(row)
        row["on_track_sort"] = round(row["on_track"] / row["assessed"], 4) if row.get("assessed") else None
        weighting = row.get("sv_weighting_pct")
        row["sv_weighting_text"] = None if weighting is None else f"{number(weighting)}% of the award evaluation"
        row["ethical_care_charter_label"] = _yes_no(row.get("ethical_care_charter"), "Signed up", "Not signed up")
        row["cquin_linked_label"] = _yes_no(row.get("cquin_linked"), "Yes", "No")
        row["cqc_rating_label"] = _code_label(row.get("cqc_rating"))
        row["procurement_route_label"] = _code_label(row.get("procurement_route"))
        row["wards_text"] = ", ".join(row["wards"]) if row.get("wards") else None
        row["wards_served"] = [(ward_link_text(link, settings), link["slug"]) for link in row.get("ward_links") or ()]
        row["ward_names"] = [text for text, slug in row["wards_served"] if slug]  # what the ward filter offers
        row["tags"] = _contract_tags(row)
    return rows


def whole_area_name(settings: PortalSettings) -> str:
    """What the page of the contracts serving every ward is called: ``All of Manchester``."""
    return f"All of {settings.area_name}"


def ward_link_text(link: dict, settings: PortalSettings) -> str:
    """A contract's ward value (areas.ward_links) as its page lists it: the ward's name, the whole area, or as
    written when it names no ward."""
    if link["code"] == EVERYWHERE:
        return whole_area_name(settings)
    return link["name"] or link["written"]


def _contract_tags(row: dict) -> list[tuple[str, str | None]]:
    """The contract page's "Commitments at a glance": (text, GOV.UK tag colour) pairs."""
    tags = []
    if row.get("sv_weighting_pct") is not None:
        tags.append((f"Social value weighting {number(row['sv_weighting_pct'])}%", TAG_COLOURS["weighting"]))
    if row.get("real_living_wage"):
        tags.append(("Pays the Real Living Wage", TAG_COLOURS["rlw"]))
    elif row.get("real_living_wage") is False:
        tags.append(("Does not pay the Real Living Wage", TAG_COLOURS["no_rlw"]))
    if row.get("ethical_care_charter"):
        tags.append(("Ethical Care Charter", TAG_COLOURS["ecc"]))
    if row.get("cquin_linked"):
        tags.append(("CQUIN-linked", TAG_COLOURS["cquin"]))
    if row.get("cqc_rating"):
        tags.append((f"CQC rating: {row['cqc_rating_label']}", TAG_COLOURS["cqc"]))
    if row.get("supplier_vcse"):
        tags.append(("VCSE supplier", TAG_COLOURS["vcse"]))
    if row.get("overdue_returns"):
        count = row["overdue_returns"]
        tags.append((f"{count} {'return' if count == 1 else 'returns'} overdue", TAG_COLOURS["overdue"]))
    return tags


def on_track_text(row: dict) -> str:
    """``3 of 4`` commitments rated Good, or ``Not assessed yet`` (ratings.rated_good_text)."""
    return ratings.rated_good_text(row)


def _as_on_contracts(values: list[str]) -> str:
    """One value, or the different values of an organisation's contracts (latest first): never only the first."""
    distinct = list(dict.fromkeys(values))
    return distinct[0] if len(distinct) == 1 else f"{_and(distinct)}, on different contracts"


def entity_rows(
    frame: pd.DataFrame, as_at: pd.Timestamp, settings: PortalSettings, parties: pd.DataFrame | None = None
) -> list[dict]:
    """Suppliers or buyers (model.organisations) as rows for their list and their own page.

    With the suppliers' ``parties``, each supplier's type and where it is based, as its contracts give them.
    """
    based = {
        "local": f"In {settings.area_name}",
        "regional": f"In {settings.region_name}",
        "elsewhere": f"Outside {settings.region_name}",
    }
    rows = records.records(frame)
    identities = {}
    if parties is not None:
        latest_first = parties.sort_values(["recency", "contract_id"], ascending=False, na_position="last")
        identities = records.group_by(records.records(latest_first), "slug")
    for row in rows:
        if parties is not None:
            own = identities.get(row["slug"], [])
            row["supplier_type"] = _as_on_contracts([supplier_type(p) for p in own])
            row["based_label"] = _as_on_contracts([based.get(p.get("supplier_locality"), "Not published") for p in own])
        row["also_known_as_text"] = "; ".join(row["other_names"]) if row.get("other_names") else None
        row["org_id_text"] = row.get("org_id") or "Not published: known by its name"
        joint = row.get("joint_contracts")
        row["contracts_text"] = f"{row['contracts']}, worth {money(row['value_gbp'])} in total" + (
            f" ({joint} of them joint with other suppliers, each counted once at its full value)" if joint else ""
        )
        row["on_track_text"] = on_track_text(row)
        row["assessed_text"] = (
            f"{row['on_track']} of {row['assessed']} assessed as at {date(as_at)}"
            if row.get("assessed")
            else "Not assessed yet"
        )
    return rows


def organisation_contracts(parties: pd.DataFrame, contracts: list[dict], settings: PortalSettings) -> dict[str, Rows]:
    """Each organisation's contracts (by its slug), as its page lists them: each contract once, at its full value.

    A copy of each contract row, with what it was on that contract: ``role_label``, ``identity_text``
    (type and where it was based), ``joint_with_text`` (the contract's other suppliers) and
    ``name_on_contract`` (when it is not the organisation's latest name).
    """
    by_id = {row["contract_id"]: row for row in contracts}
    latest = parties.sort_values(["recency", "contract_id"], na_position="first").groupby("slug")["name"].last()
    found: dict[str, Rows] = {}
    for party in records.records(parties):
        contract = by_id[party["contract_id"]]
        row = dict(contract)
        others = [s["name"] for s in contract.get("suppliers") or [] if s["slug"] != party["slug"]]
        row["joint_with_text"] = f"Joint with {_and(others)}" if others and party["role"] != "buyer" else None
        row["role_label"] = ROLE_LABELS.get(party["role"])
        row["identity_text"] = supplier_description(party, settings) if party["role"] != "buyer" else None
        row["name_on_contract"] = party["name"] if party["name"] != latest[party["slug"]] else None
        found.setdefault(party["slug"], Rows()).append(row)
    order = {row["contract_id"]: n for n, row in enumerate(contracts)}
    return {slug: Rows(sorted(rows, key=lambda r: order[r["contract_id"]])) for slug, rows in found.items()}


def _yes_no(value, yes: str, no: str) -> str | None:
    """``yes`` or ``no`` for a yes/no column, None when it is blank."""
    return None if value is None else (yes if value else no)


def _code_label(code: str | None) -> str | None:
    """A code of the data (``requires-improvement``, ``open-procedure``) as words: ``Requires improvement``."""
    return code.replace("-", " ").capitalize() if code else None


def label_codes(rows: list[dict], contract: DataContract | None, table: str) -> None:
    """Give each code of an ``enum`` column its label: ``<column>_label``, from the contract's ``enumLabels``.

    The one place codes become what people read (``open`` -> ``Open procedure``); the rows keep the codes, and
    so do the downloads. A code without a label reads as words; a blank cell's label is None.
    """
    if contract is None or table not in {t.name for t in contract.tables}:
        return
    coded = [f for f in contract.table(table).fields if "enum" in f.constraints]
    for row in rows:
        for f in coded:
            if f.name in row:
                row[f"{f.name}_label"] = f.label(row[f.name])


def _measure_rows(frame: pd.DataFrame) -> list[dict]:
    """model.measure_totals as rows for the measures tables, with their notes."""
    rows = records.records(frame)
    for row in rows:
        row["direction_note"] = DIRECTION_NOTES.get(row.get("direction"))
        row["combined_note"] = "average" if row.get("combined") == "average" else None
        row["on_track_text"] = on_track_text(row)
        row["proxy_source_text"] = row.get("proxy_source") or "not published"
    return rows


def _field_row(field: dict) -> dict:
    """One column of the data dictionary, with what its row says (a copy: the package keeps its own)."""
    constraints = field.get("constraints") or {}
    return {
        **field,
        "always_given": "Yes" if constraints.get("required") else "No",
        "allowed": ", ".join(map(str, constraints["enum"])) if constraints.get("enum") else None,
    }


def _opportunity_labels(row: dict, contract: DataContract | None = None) -> None:
    """What an opportunity's page says beyond the listing's values (see opportunities.py), codes as labels."""
    label_codes([row], contract, "opportunities")
    row["route_label"] = row.get("route_label") or "Not published"
    stages = contract.table("opportunities").field("stage").labels if contract else {}
    row["status_label"] = stages.get(row["status"], row["status_label"])  # closing soon is not a stage
    links = row.get("priority_links") or []
    row["priorities_intro"] = (
        f"The buyer will look for social value under {'this priority' if len(links) == 1 else 'these priorities'}."
        if links
        else None
    )
    row["published_as"] = row.get("stage_label") if row.get("status") != row.get("stage") else None
    row["event_name"] = row.get("event_title") or "Market engagement event"


def _opportunity_lots_and_buyers(rows: list[dict], lots: pd.DataFrame | None, buyers: pd.DataFrame) -> None:
    """Each opportunity's lots (in the order published), and its buyer's page when that buyer also lets
    contracts here: the same organisation by org-id, or by name when neither has one."""
    by_opportunity = {}
    if lots is not None and not lots.empty:
        by_opportunity = records.group_by(records.records(lots.drop(columns=[LINE], errors="ignore")), "opportunity_id")
    if rows:
        known = set(buyers["slug"])
        slugs = model.organisation_slugs(
            pd.Series([row.get("buyer_id") for row in rows], dtype=object),
            pd.Series([row.get("buyer_name") for row in rows], dtype=object),
        )
        for row, slug in zip(rows, slugs):
            row["buyer_page"] = slug if slug in known else None
    for row in rows:
        row["lots"] = by_opportunity.get(row["opportunity_id"], [])
        row["cpv_codes"] = list(row.get("cpv_codes") or [])


@dataclass(frozen=True)
class OpportunityFilter(Filter):
    """A filter of the opportunity listing, with the sentence its page starts with."""

    matching_text: str = ""


@dataclass
class OpportunityListing(Listing):
    """The opportunity listing (opportunities.py) with what its pages say about each section."""

    def sections(self, ids: frozenset[str] | None = None) -> list[dict]:
        """The sections, each with its count and, for the one folded away, the words of the fold."""
        found = super().sections(ids)
        for section in found:
            count = len(section["rows"])
            section["count"] = count
            section["fold_text"] = (
                f"Show {_opportunities_count(count)} that closed earlier" if section["key"] == CLOSED_EARLIER else None
            )
        return found


def _opportunities_count(count: int) -> str:
    """``1 opportunity``, ``3 opportunities``."""
    return f"{count} {'opportunity' if count == 1 else 'opportunities'}"


def _opportunities(
    tables: dict[str, pd.DataFrame], settings: PortalSettings, contract: DataContract | None = None
) -> OpportunityListing:
    """The opportunity listing as of the build date (see opportunities.py), ready for its pages."""
    listing = _listing(tables, settings, contract)
    values = {f.name: getattr(listing, f.name) for f in fields(Listing)}
    values["filters"] = [
        OpportunityFilter(
            **{f.name: getattr(chosen, f.name) for f in fields(Filter)},
            matching_text=_opportunities_count(len(chosen.ids)) + (" matches" if len(chosen.ids) == 1 else " match"),
        )
        for chosen in listing.filters
    ]
    return OpportunityListing(**values)


def _listing(
    tables: dict[str, pd.DataFrame], settings: PortalSettings, contract: DataContract | None = None
) -> Listing:
    """The opportunity listing as opportunities.py builds it, as of the build date."""
    routes = contract.table("opportunities").field("route").labels if contract else {}
    return build_listing(
        tables["opportunities"],
        settings.build_date,
        closing_soon_days=settings.closing_soon_days,
        recently_closed_days=settings.recently_closed_days,
        known_priorities=priorities_with_pages(tables["measures"], tables["commitments"]),
        route_labels=routes,
    )


def _catalogue(contract: DataContract, published: dict[str, pd.DataFrame]) -> list[tuple[dict, int]]:
    """Each dataset of /data/ (the contract's tables, then commitment_progress) with its row count."""
    found = [
        (exports.published_resource(table, published[table.name], table.name), len(published[table.name]))
        for table in contract.tables
    ]
    found.append((exports.progress_resource("commitment_progress"), len(published["commitment_progress"])))
    found.append((exports.performance_resource(performance.NAME), len(published[performance.NAME])))
    return found


STATUS_FACETS = {model.NO_RETURNS: "At least one with no returns yet", model.NOT_YET_DUE: "At least one not yet due"}


def _facets(contracts: list[dict], progress: pd.DataFrame, settings: PortalSettings) -> list[dict]:
    """Static filter pages of the contracts list, so filtering works with JavaScript off.

    Each facet: group (heading), label, path below /contracts/, and the contracts it lists.
    Buyers and priorities have their own pages already (/buyers/, /priorities/).
    """
    statuses = progress.groupby("contract_id")["status"].agg(set).to_dict()
    groups = [
        (
            "Type of supplier",
            "type",
            [
                ("Voluntary, community and social enterprise (VCSE)", "vcse", lambda c: c["supplier_type"] == "VCSE"),
                ("Small and medium-sized enterprises (SME)", "sme", lambda c: c["supplier_type"] == "SME"),
                ("Large", "large", lambda c: c["supplier_type"] == "Large"),
            ],
        ),
        (
            "Where the supplier is based",
            "based",
            [
                (f"In {settings.area_name}", "local", lambda c: c.get("supplier_locality") == "local"),
                (
                    f"Elsewhere in {settings.region_name}",
                    "regional",
                    lambda c: c.get("supplier_locality") == "regional",
                ),
                (f"Outside {settings.region_name}", "elsewhere", lambda c: c.get("supplier_locality") == "elsewhere"),
            ],
        ),
        (
            "Status of a commitment",
            "status",
            [
                (
                    STATUS_FACETS.get(status, f"At least one rated {status}"),
                    slugify(status),
                    lambda c, s=status: s in statuses.get(c["contract_id"], ()),
                )
                for status in model.STATUSES
            ]
            + [("With a return overdue", "return-overdue", lambda c: bool(c.get("overdue_returns")))],
        ),
    ]
    facets = []
    for group, key, options in groups:
        for label, slug, test in options:
            rows = Rows(c for c in contracts if test(c))
            facets.append(
                {
                    "group": group,
                    "label": label,
                    "path": f"{key}/{slug}",
                    "contracts": rows,
                    "link_text": f"{label} ({len(rows)})",
                }
            )
    return facets


def _quality(
    dataset: Dataset, progress: pd.DataFrame, summary: pd.DataFrame, paid: tuple[pd.DataFrame, pd.DataFrame]
) -> dict:
    """What the data-quality page shows: overdue returns, contracts without commitments, completeness, warnings."""
    frames = {
        "overdue": data_quality.overdue_returns(progress, summary),
        "without_commitments": data_quality.contracts_without_commitments(summary),
        "completeness": data_quality.completeness(dataset.tables, dataset.contract, dataset.absent),
        "missing": data_quality.missing_files(dataset.absent, dataset.contract),
        "loader": data_quality.loader_warnings(dataset.problems),
    }
    frames["unmatched_payees"] = data_quality.unmatched_payees(paid[1])  # (payees.match, done once for the site)
    payee_summary = data_quality.payee_matching(*paid)
    shown = {name: records.records(frame) for name, frame in frames.items()}
    shown["payees"] = {
        **payee_summary,
        "largest_unmatched": shown["unmatched_payees"][: data_quality.LARGEST_UNMATCHED],
    }
    shown["completeness_by_file"] = records.group_by(shown["completeness"], "file")
    shown["completeness_files"] = [
        {"file": name, "rows": columns[0]["total"], "columns": columns}
        for name, columns in shown["completeness_by_file"].items()
    ]
    shown["counts"] = {
        name: len(shown[name]) for name in ("overdue", "without_commitments", "loader", "missing", "unmatched_payees")
    }
    shown["frames"] = frames
    return shown


def _published(
    tables: dict[str, pd.DataFrame], progress: pd.DataFrame, summary: pd.DataFrame, as_at
) -> dict[str, pd.DataFrame]:
    """Every dataset as published (labels beside ids), the computed progress and the contracts listing."""
    published = {name: exports.with_labels(name, frame, tables) for name, frame in tables.items()}
    published["commitment_progress"] = exports.progress_table(progress, tables["contracts"], as_at)
    counts = summary[["contract_id", "commitments", "assessed", "on_track"]].rename(
        columns={"assessed": "commitments_assessed", "on_track": "commitments_rated_good"}
    )
    published["contracts_listing"] = published["contracts"].merge(counts, on="contract_id", how="left")
    return published


NOT_RATED_TEXT = {
    model.NOT_YET_DUE: "Not yet rated: no return was due by the assessment date",
    model.NO_RETURNS: "Not yet rated: no return has been published",
}


def performance_rows(kpis: pd.DataFrame) -> dict[str, list[dict]]:
    """Each contract's KPIs (performance.kpi_ratings) for its page, with the words and colour of each rating."""
    rows = records.records(kpis)
    for row in rows:
        status = row["rating"] or row["not_rated_reason"]
        row["rating_colour"] = STATUS_COLOURS[status]
        row["rating_text"] = row["rating"] or NOT_RATED_TEXT.get(status, status)
    return records.group_by(rows, "contract_id")


def _publication(settings: PortalSettings) -> ocds_export.Publication:
    """Who publishes /data/ocds.json, when, under what licence: the site's identity and the build date."""
    return ocds_export.Publication(
        publisher=settings.publisher,
        published=settings.build_date,
        ocid_prefix=settings.ocid_prefix,
        siteurl=settings.absolute_siteurl,
        licence_url=settings.licence_url,
    )


def _commitments_with_charts(progress: pd.DataFrame, series: pd.DataFrame) -> list[dict]:
    """Every commitment as a row for its contract page, with the chart of its quarters (if it has returns)."""
    rows = commitment_rows(progress)
    by_commitment = _split_series(series)
    for row in rows:
        row["measure_slug"] = slugify(row["measure_id"])
        quarters = by_commitment.get((row["contract_id"], row["measure_id"]))
        row["chart"] = charts.commitment_chart(row, quarters) if quarters is not None else None
    return rows


def _split_series(series: pd.DataFrame) -> dict[tuple[str, str], dict[str, list]]:
    """Each commitment's quarters as lists of plain values (series is sorted by commitment), with ``checked``:
    whether each quarter's return was verified, as the chart's table says it."""
    columns = ["quarter_end", "delivered", "delivered_to_date", "expected_to_date", "returns", "verified_returns"]
    values = {c: series[c].tolist() for c in columns}
    keys = list(zip(series["contract_id"], series["measure_id"]))
    found: dict[tuple[str, str], dict[str, list]] = {}
    start = 0
    for end in range(1, len(keys) + 1):
        if end == len(keys) or keys[end] != keys[start]:
            found[keys[start]] = {c: values[c][start:end] for c in columns}
            start = end
    for quarters in found.values():
        checked = zip(quarters.pop("returns"), quarters.pop("verified_returns"))
        quarters["checked"] = [ratings.quarter_verified_text(n, v) for n, v in checked]
    return found


def _dashboard(summary: pd.DataFrame, progress: pd.DataFrame, settings: PortalSettings) -> dict:
    """The home page's dashboard: priorities, measures, weighting bands, supplier shares, attention, charts."""
    priorities = model.priority_summary(progress)
    measures = model.measure_totals(progress)
    bands = model.weighting_bands(summary)
    shares = model.supplier_shares(summary, settings.area_name, settings.region_name)
    attention = model.needing_attention(summary)
    found: dict[str, charts.Chart] = {}
    if len(priorities):
        table = pd.DataFrame(
            {
                "Priority": priorities["priority"],
                "Commitments assessed": priorities["assessed"],
                "Rated Good": priorities["on_track"],
                "Share rated Good (%)": priorities["pct_on_track"].round(1),
            }
        )
        best = priorities.loc[priorities["pct_on_track"].idxmax()] if priorities["pct_on_track"].notna().any() else None
        found["priorities"] = charts.bar_chart(
            "chart-priorities",
            "Share of assessed commitments rated Good, by social value priority",
            (
                f"The share of commitments rated Good ranges from {percent(priorities['pct_on_track'].min())} to "
                f"{percent(priorities['pct_on_track'].max())}, highest for {best['priority']}."
            )
            if best is not None
            else "No commitments have been assessed yet.",
            table,
            "Priority",
            "Share rated Good (%)",
            "Share rated Good (%)",
            "priorities.csv",
        )
    if len(bands):
        table = pd.DataFrame(
            {"Weighting": bands["band"], "Contracts": bands["contracts"], "Value (£)": bands["value_gbp"].round(2)}
        )
        top = bands.loc[bands["contracts"].idxmax()]
        found["weighting"] = charts.bar_chart(
            "chart-weighting",
            "Contracts by social value weighting",
            f"Most contracts ({top['contracts']} of {int(bands['contracts'].sum())}) give social value a weighting "
            f"of {top['band'][0].lower() + top['band'][1:]}.",
            table,
            "Weighting",
            "Contracts",
            "Number of contracts",
            "weighting.csv",
            whole=True,
        )
    measures_by_priority = records.group_by(_measure_rows(measures), "priority")
    priority_rows = records.records(priorities)
    for row in priority_rows:
        row["measures_list"] = measures_by_priority.get(row["priority"], [])
    return {
        "priorities": priority_rows,
        "measures_by_priority": measures_by_priority,
        "weighting_bands": records.records(bands),
        "supplier_shares": records.records(shares),
        "attention": contract_rows(attention, settings),
        "charts": found,
    }


def _priorities(progress: pd.DataFrame, summary: pd.DataFrame, settings: PortalSettings) -> list[dict]:
    """One row per social value priority, with its measures and the contracts that commit to it."""
    measures = records.group_by(_measure_rows(model.measure_totals(progress)), "priority")
    contracts = contract_rows(summary, settings)
    by_id = {c["contract_id"]: c for c in contracts}
    rows = records.records(model.priority_summary(progress))
    for row in rows:
        ids = progress.loc[progress["priority"] == row["priority"], "contract_id"].unique()
        row["measures_list"] = measures.get(row["priority"], [])
        row["contracts_list"] = Rows(by_id[i] for i in sorted(ids, key=lambda i: (by_id[i]["title"], i)))
        row["on_track_text"] = on_track_text(row)
    return rows


def _indicators(indicators: pd.DataFrame, values: pd.DataFrame) -> list[dict]:
    """One row per outcome-framework indicator, with its latest value and its chart."""
    rows = records.records(indicators.drop(columns=["_line"], errors="ignore"))
    for row in rows:
        row["slug"] = slugify(row["indicator_id"])
        own = values[values["indicator_id"] == row["indicator_id"]].sort_values("period_start").reset_index(drop=True)
        row["chart"] = charts.indicator_chart(row, own) if len(own) else None
        row["latest"] = records.plain(own["value"].iloc[-1]) if len(own) else None
        row["latest_period_end"] = records.plain(own["period_end"].iloc[-1]) if len(own) else None
        row["latest_text"] = (
            f"{with_unit(row['latest'], row.get('unit'))} in the period ending {date(row['latest_period_end'])}"
            if row["latest"] is not None
            else "Not published"
        )
        row["direction_label"] = INDICATOR_DIRECTIONS.get(row.get("direction"), "Not published")
    return rows
