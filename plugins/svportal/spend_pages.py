"""The page model of local spend: what /spend/ shows, and what the supplier and contract pages say about
the payments (payments.csv).

Pure: the payments as payees.match gives them, the contracts and their suppliers, and the site's settings
(the area's and the region's names and postcode districts) in; plain rows, DataFrames and Charts out, no
Pelican and no HTML. The arithmetic is spend.py's, done once for the whole site (one classification, one
group-by per table): this adds the words, the links, the charts and the downloads.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from . import charts, records, spend
from .formatting import date, money, number, rounded
from .settings import PortalSettings

TOP_ORGANISATIONS = 25  # /spend/ lists the organisations paid the most; its download lists them all
CHART_SERVICES = 12  # the chart of services shows the largest this many; the table shows them all
PATH = "spend/"
COLOURS = {  # GOV.UK colours, each at least 3:1 against white; the segments are outlined in white
    spend.LOCAL: "#00703c",
    spend.REGIONAL: "#1d70b8",
    spend.ELSEWHERE: "#912b88",
    spend.SME: "#00703c",
    spend.LARGE: "#1d70b8",
    spend.UNKNOWN: "#505a5f",
    spend.WITHHELD: "#d4351c",
}
DOWNLOADS = {  # the tables beside /spend/: file stem -> what it holds
    "spend-shares": "Shares of spend, by kind of supplier",
    "spend-by-quarter": "Shares of spend by financial quarter",
    "spend-by-buyer": "Shares of spend by buyer",
    "spend-by-service": "Shares of spend by service",
    "spend-by-organisation": "What each matched organisation was paid",
}
LM3_DOWNLOAD = ("spend-lm3", "Local Multiplier 3 estimates")
PAYMENTS_DOWNLOAD = "payments-classified.csv"  # every payment with its classification, CSV only (it is large)


@dataclass
class SpendPages:
    """/spend/ and the spend sections of the supplier and contract pages, as the templates need them."""

    present: bool = False  # the data has payments: /spend/ is written and the menu links it
    totals: dict = field(default_factory=dict)  # the headline figures and sentences
    localities_listed: bool = False  # the identity lists the area's postcode districts
    dimensions: list[dict] = field(default_factory=list)  # the overall shares, by dimension, with their rows
    columns: list[dict] = field(default_factory=list)  # the share columns of the tables by quarter, buyer, service
    by_quarter: list[dict] = field(default_factory=list)
    by_buyer: list[dict] = field(default_factory=list)
    by_service: list[dict] = field(default_factory=list)
    organisations: list[dict] = field(default_factory=list)  # the TOP_ORGANISATIONS paid the most
    organisation_count: int = 0
    lm3: dict | None = None  # the Local Multiplier 3 section; None when no organisation has a survey
    charts: dict[str, charts.Chart] = field(default_factory=dict)
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)  # the downloads beside /spend/, by stem
    payments: pd.DataFrame | None = field(default=None, repr=False)  # every payment classified (PAYMENTS_DOWNLOAD)
    supplier_paid: dict[str, dict] = field(default_factory=dict)  # supplier slug -> what its page says it was paid
    contract_spend: dict[str, dict] = field(default_factory=dict)  # contract_id -> its "Spend with this supplier"

    @property
    def downloads(self) -> list[tuple[str, str]]:
        """(label, stem) of each table beside /spend/."""
        found = [(label, stem) for stem, label in DOWNLOADS.items()]
        return found + ([(LM3_DOWNLOAD[1], LM3_DOWNLOAD[0])] if self.lm3 else [])

    def all_charts(self) -> list[charts.Chart]:
        return list(self.charts.values())


# --- words -------------------------------------------------------------------------------------------------


def share_text(value) -> str:
    """``9.5%`` (one decimal); ``Not worked out`` when nothing was paid in all."""
    if value is None or pd.isna(value):
        return "Not worked out"
    return f"{number(value, places=1)}%"


def multiplier_text(value: float) -> str:
    """An LM3 (or £ per £1) to two decimals: ``1.50``."""
    return f"{rounded(value, 2):.2f}"


def payments_text(count: int, credit_notes: int = 0) -> str:
    """``26 payments (7 credit notes)``, ``1 payment``."""
    text = f"{count:,} payment{'' if count == 1 else 's'}"
    if credit_notes:
        text += f" ({credit_notes:,} credit note{'' if credit_notes == 1 else 's'})"
    return text


def period_text(first, last) -> str | None:
    """``24 March 2026 to 31 March 2026``, ``on 24 March 2026``; None without dates."""
    if first is None or pd.isna(first):
        return None
    return f"on {date(first)}" if first == last else f"from {date(first)} to {date(last)}"


def labels(settings: PortalSettings, regional_listed: bool) -> dict[tuple[str, str], str]:
    """What each (dimension, category) is called on the pages."""
    area, region = settings.area_name, settings.region_name
    return {
        ("locality", spend.LOCAL): f"Based in {area}",
        ("locality", spend.REGIONAL): f"Elsewhere in {region}",
        ("locality", spend.ELSEWHERE): f"Outside {region}" if regional_listed else f"Outside {area}",
        ("locality", spend.UNKNOWN): "Not known",
        ("size", spend.SME): "Small or medium-sized (SME)",
        ("size", spend.LARGE): "Large",
        ("size", spend.UNKNOWN): "Not known",
        ("vcse", spend.VCSE): "Voluntary, community or social enterprise (VCSE)",
        ("vcse", spend.NOT_VCSE): "Not VCSE",
        ("vcse", spend.UNKNOWN): "Not known",
        ("supplier", spend.MATCHED): "Matched to an organisation",
        ("supplier", spend.UNMATCHED): "Not matched: unknown supplier",
    }


def phrases(settings: PortalSettings) -> dict[tuple[str, str], str]:
    """The kinds a chart's summary sentence can name: "... went to <phrase>"."""
    return {
        ("locality", spend.LOCAL): f"suppliers based in {settings.area_name}",
        ("size", spend.SME): "small or medium-sized suppliers (SMEs)",
    }


WITHHELD_LABEL = "Payee withheld (usually an individual)"
DIMENSION_TITLES = {
    "locality": "Where the supplier is based",
    "size": "Size of the supplier",
    "vcse": "Voluntary, community and social enterprise (VCSE)",
    "supplier": "Whether the payee is known",
}


# --- the pages -----------------------------------------------------------------------------------------------


def build_spend_pages(
    matched: pd.DataFrame | None,
    payees: pd.DataFrame | None,
    settings: PortalSettings,
    contracts: pd.DataFrame | None = None,
    supplier_parties: pd.DataFrame | None = None,
) -> SpendPages:
    """Everything the site shows about the payments (payees.match's two frames; None or none: no payments).

    ``contracts`` is model.contract_summary (the contracts with their page's slug), ``supplier_parties``
    model.supplier_parties: with them, each contract's suppliers' payments while it ran.
    """
    if matched is None or not len(matched):
        return SpendPages()
    districts = spend.Districts.of(settings.local_postcode_districts, settings.regional_postcode_districts)
    regional_listed = districts.listed and bool(districts.regional - districts.local)
    names = labels(settings, regional_listed)
    classified = spend.classify(matched, districts)
    overall = spend.shares(classified, None, districts).iloc[0].to_dict()
    tables = {
        "quarter": spend.shares(classified, "quarter", districts),
        "buyer": spend.shares(classified, "buyer", districts),
        "service": spend.shares(classified, "service", districts),
    }
    breakdown = spend.breakdown(classified, districts)
    organisations = spend.organisation_totals(classified)
    estimates = spend.lm3(organisations)
    columns = _columns(districts, regional_listed, names)
    pages = SpendPages(
        present=True,
        totals=_totals(overall, classified, payees, settings, districts),
        localities_listed=districts.listed,
        dimensions=_dimensions(breakdown, names, regional_listed),
        columns=columns,
        by_quarter=_rows(tables["quarter"], columns),
        by_buyer=_rows(tables["buyer"], columns),
        by_service=_rows(tables["service"], columns),
        organisations=_organisation_rows(organisations.head(TOP_ORGANISATIONS), names),
        organisation_count=len(organisations),
        lm3=_lm3(estimates),
        charts=_charts(overall, tables, districts, regional_listed, names, phrases(settings)),
        tables=_downloads(breakdown, tables, organisations, estimates, names),
        payments=_payments_download(classified, matched),
        supplier_paid=_supplier_paid(organisations, estimates),
    )
    if contracts is not None and supplier_parties is not None and len(contracts):
        by_supplier, by_quarter = spend.contract_spend(classified, supplier_parties, contracts)
        dates = (pages.totals["first_payment"], pages.totals["last_payment"])
        pages.contract_spend = _contract_spend(contracts, supplier_parties, by_supplier, by_quarter, dates)
        _add_contracts(pages.supplier_paid, contracts, supplier_parties, by_supplier)
    return pages


def _columns(districts: spend.Districts, regional_listed: bool, names: dict) -> list[dict]:
    """The share columns of the tables by quarter, buyer and service: {stem, text (the heading), numeric}."""
    wanted = [("locality", spend.LOCAL)] if districts.listed else []
    wanted += [("locality", spend.REGIONAL)] if regional_listed else []
    wanted += [("size", spend.SME), ("vcse", spend.VCSE), ("supplier", spend.UNMATCHED)]
    headings = {("size", spend.SME): "SME", ("vcse", spend.VCSE): "VCSE", ("supplier", spend.UNMATCHED): "Not matched"}
    found = [{"stem": spend.STEMS[key], "text": headings.get(key, names[key]), "numeric": True} for key in wanted]
    return [*found, {"stem": "withheld", "text": "Payee withheld", "numeric": True}]


def _totals(
    overall: dict,
    classified: pd.DataFrame,
    payees: pd.DataFrame | None,
    settings: PortalSettings,
    districts: spend.Districts,
) -> dict:
    """The headline figures of /spend/ and the sentences that say them."""
    dates = classified["payment_date"].dropna()
    first, last = (dates.min(), dates.max()) if len(dates) else (None, None)
    credit_notes, credit_gbp = overall["credit_notes"], overall["credit_notes_gbp"]
    named_payees = len(payees) if payees is not None else 0
    when = period_text(first, last)
    lead = f"{settings.publisher[:1].upper()}{settings.publisher[1:]} paid {money(overall['paid_gbp'])} in " + (
        payments_text(overall["payments"]) + (f" {when}" if when else "")
    )
    if credit_notes:
        lead += (
            f", net of {credit_notes:,} credit note{'' if credit_notes == 1 else 's'} "
            f"(negative amounts) worth {money(-credit_gbp)}"
        )
    pct = overall  # (the shares, per cent)
    found = {
        "paid_gbp": overall["paid_gbp"],
        "paid_text": money(overall["paid_gbp"]),
        "payments": overall["payments"],
        "payments_text": f"{overall['payments']:,}",
        "payees_text": f"{named_payees:,}",
        "matched_text": share_text(pct["matched_pct"]),
        "first_payment": records.plain(first),
        "last_payment": records.plain(last),
        "lead_text": lead + ".",
        "withheld_text": (
            f"{share_text(pct['withheld_pct'])} of the money ({money(overall['withheld_gbp'])}) went to payees whose "
            "names were withheld, usually individuals: those payments are counted, as a line of their own, but never "
            "named."
            if overall["withheld_gbp"]
            else None
        ),
        "unknown_text": (
            f"{share_text(pct['unmatched_pct'])} of the money went to payees that could not be matched to any "
            "organisation the site knows, so nothing is known about them"
            + (
                f"; for {share_text(pct['locality_unknown_pct'])} in all (these and matched organisations without a "
                "postcode) it is not known where the supplier is based"
                if districts.listed
                else ""
            )
            + ". Their payments count as not known: they are not shared out among the other kinds, so the shares "
            "with local, SME and VCSE suppliers are what is known for certain, and may be higher."
        ),
    }
    if districts.listed:
        regional = (
            f" and {share_text(pct['regional_pct'])} to suppliers elsewhere in {settings.region_name}"
            if districts.regional - districts.local
            else ""
        )
        found["local_text"] = (
            f"{share_text(pct['local_pct'])} of the money went to suppliers based in {settings.area_name}{regional}; "
            f"{share_text(pct['sme_pct'])} to small and medium-sized enterprises (SMEs) and "
            f"{share_text(pct['vcse_pct'])} to voluntary, community and social enterprise (VCSE) organisations."
        )
    else:
        found["local_text"] = (
            f"{share_text(pct['sme_pct'])} of the money went to small and medium-sized enterprises (SMEs) and "
            f"{share_text(pct['vcse_pct'])} to voluntary, community and social enterprise (VCSE) organisations."
        )
    return found


def _dimensions(breakdown: pd.DataFrame, names: dict, regional_listed: bool) -> list[dict]:
    """The overall shares for the page: each dimension with its title and rows (label, amount, share, payments)."""
    found = []
    for dimension, rows in breakdown.groupby("dimension", sort=False):
        shown = []
        for row in rows.to_dict("records"):
            if dimension == "locality" and row["category"] == spend.REGIONAL and not regional_listed:
                continue
            category = row["category"]
            shown.append(
                {
                    "label": WITHHELD_LABEL if category == spend.WITHHELD else names[(dimension, category)],
                    "paid_text": money(row["paid_gbp"]),
                    "share_text": share_text(row["share_pct"]),
                    "payments_text": f"{row['payments']:,}",
                }
            )
        found.append({"key": dimension, "title": DIMENSION_TITLES[dimension], "rows": shown})
    return found


def _rows(table: pd.DataFrame, columns: list[dict]) -> list[dict]:
    """The rows of a table by quarter, buyer or service: group, amount paid, payments, each share as text."""
    rows = []
    for row in table.to_dict("records"):
        rows.append(
            {
                "group": row["group"],
                "paid_text": money(row["paid_gbp"]),
                "payments_text": payments_text(row["payments"], row["credit_notes"]),
                "payments": row["payments"],
                "shares": [share_text(row[f"{c['stem']}_pct"]) for c in columns],
            }
        )
    return rows


def _organisation_rows(organisations: pd.DataFrame, names: dict) -> list[dict]:
    rows = []
    for row in records.records(organisations):
        rows.append(
            {
                "name": row["name"],
                "org_id": row.get("org_id"),
                "supplier_slug": row.get("supplier_slug"),
                "paid_text": money(row["paid_gbp"]),
                "payments_text": payments_text(row["payments"], row["credit_notes"]),
                "based_text": _based_text(row, names),
                "size_text": {spend.SME: "SME", spend.LARGE: "Large"}.get(row["size"], "Not known"),
                "vcse_text": {spend.VCSE: "Yes", spend.NOT_VCSE: "No"}.get(row["vcse"], "Not known"),
            }
        )
    return rows


def _based_text(row: dict, names: dict) -> str:
    """``Based in Trafford (M17)``; ``M17`` alone when the area's districts are not listed; ``Not known``."""
    district = row.get("postcode_district")
    if row.get("locality") in (spend.LOCAL, spend.REGIONAL, spend.ELSEWHERE):
        return f"{names[('locality', row['locality'])]} ({district})"
    return f"Postcode district {district}" if district else "Not known"


# --- Local Multiplier 3 ---------------------------------------------------------------------------------------


def _lm3(estimates: spend.Lm3) -> dict | None:
    """The LM3 section: each surveyed organisation's estimate and the total; None when there is none."""
    if not len(estimates.rows):
        return None
    rows = []
    for row in records.records(estimates.rows):
        rows.append(
            {
                **row,
                "paid_text": money(row["round_1_gbp"]),
                "respend_text": f"{number(row['local_respend_pct'], places=1)}%",
                "survey_text": date(row["respend_survey_date"]),
                "round_2_text": money(row["round_2_gbp"]),
                "round_3_text": money(row["round_3_gbp"]),
                "lm3_text": multiplier_text(row["lm3"]),
                "value_text": money(row["round_1_gbp"] + row["round_2_gbp"] + row["round_3_gbp"]),
            }
        )
    total = estimates.total
    value = estimates.round_1_gbp + estimates.round_2_gbp + estimates.round_3_gbp
    count = len(rows)
    return {
        "rows": rows,
        "total_text": multiplier_text(total),
        "paid_text": money(estimates.round_1_gbp),
        "round_2_text": money(estimates.round_2_gbp),
        "round_3_text": money(estimates.round_3_gbp),
        "value_text": money(value),
        "summary_text": (
            f"For the {count} organisation{'s' if count != 1 else ''} with a local re-spend survey, paid "
            f"{money(estimates.round_1_gbp)} in all, the Local Multiplier 3 estimate is {multiplier_text(total)}: "
            f"each £1 paid to them is estimated to be worth £{multiplier_text(total)} to the local economy over "
            f"three rounds of spending, {money(value)} in all."
        ),
        "unpaid_text": (
            f"{estimates.surveyed_unpaid} more organisation{'s' if estimates.surveyed_unpaid != 1 else ''} with a "
            "survey were paid nothing (net) in these payments, so have no estimate."
            if estimates.surveyed_unpaid
            else None
        ),
    }


# --- charts -------------------------------------------------------------------------------------------------


def _charts(
    overall: dict, tables: dict, districts: spend.Districts, regional_listed: bool, names: dict, phrases: dict
) -> dict:
    """The chart of the overall shares, and the stacked charts by quarter, buyer and service."""
    found = {"shares": _shares_chart(overall, districts, regional_listed, names)}
    if districts.listed:
        dimension = "locality"
        cats = [spend.LOCAL, *([spend.REGIONAL] if regional_listed else []), spend.ELSEWHERE, spend.UNKNOWN]
        what = "where the supplier is based"
    else:
        dimension, cats, what = "size", [spend.SME, spend.LARGE, spend.UNKNOWN], "the size of the supplier"
    series = {names[(dimension, c)] + " (%)": (spend.STEMS[(dimension, c)], COLOURS[c]) for c in cats}
    lead = phrases[(dimension, cats[0])]
    series[f"{WITHHELD_LABEL} (%)"] = ("withheld", COLOURS[spend.WITHHELD])
    specs = {
        "quarter": ("Financial quarter", "by financial quarter (April to March years)", "spend-by-quarter.csv"),
        "buyer": ("Buyer", "by buyer", "spend-by-buyer.csv"),
        "service": ("Service (Proclass)", "by service (Proclass category)", "spend-by-service.csv"),
    }
    for key, (heading, by_what, csv_name) in specs.items():
        table = tables[key][tables[key]["paid_gbp"] > 0]
        note = ""
        if key == "service" and len(table) > CHART_SERVICES:
            table = table.head(CHART_SERVICES)
            note = f" (the {CHART_SERVICES} services paid the most; the table lists all)"
        if not len(table):
            continue
        frame = pd.DataFrame({heading: table["group"].astype(str), "Paid (£)": table["paid_gbp"]})
        for label, (stem, _) in series.items():
            frame[label] = table[f"{stem}_pct"].round(1).to_numpy()
        first = frame.iloc[0]
        lead_label = next(iter(series))
        summary = (
            f"{first[heading]} had the most paid, {money(first['Paid (£)'])}, of which {share_text(first[lead_label])} "
            f"went to {lead}."
            if key != "quarter"
            else _quarter_summary(frame, heading, lead_label, lead)
        )
        found[key] = charts.stacked_share_chart(
            f"chart-spend-{key}",
            f"Share of the amount paid by {what}, {by_what}{note}",
            summary,
            frame,
            heading,
            {label: colour for label, (_, colour) in series.items()},
            csv_name,
        )
    return found


def _quarter_summary(frame: pd.DataFrame, heading: str, lead_label: str, what: str) -> str:
    first, last = frame.iloc[0], frame.iloc[-1]
    if len(frame) == 1:
        return f"In {first[heading]}, {share_text(first[lead_label])} of the amount paid went to {what}."
    return (
        f"The share paid to {what} went from {share_text(first[lead_label])} in {first[heading]} to "
        f"{share_text(last[lead_label])} in {last[heading]}."
    )


def _shares_chart(overall: dict, districts: spend.Districts, regional_listed: bool, names: dict) -> charts.Chart:
    wanted = [("locality", spend.LOCAL)] if districts.listed else []
    wanted += [("locality", spend.REGIONAL)] if regional_listed else []
    wanted += [("size", spend.SME), ("vcse", spend.VCSE), ("supplier", spend.UNMATCHED)]
    kinds = [names[key] for key in wanted] + [WITHHELD_LABEL]
    values = [overall[f"{spend.STEMS[key]}_pct"] for key in wanted] + [overall["withheld_pct"]]
    amounts = [overall[f"{spend.STEMS[key]}_gbp"] for key in wanted] + [overall["withheld_gbp"]]
    table = pd.DataFrame(
        {
            "Kind of supplier": kinds,
            "Paid (£)": amounts,
            "Share of the amount paid (%)": [None if v is None or pd.isna(v) else round(v, 1) for v in values],
        }
    )
    summary = " ".join(
        f"{kind}: {share_text(value)}."
        for kind, value in zip(kinds, values)
        if value is not None and not pd.isna(value)
    )
    return charts.bar_chart(
        "chart-spend-shares",
        "Share of the amount paid, by kind of supplier (a supplier can be of several kinds)",
        summary or "Nothing was paid in all, so no share can be worked out.",
        table.fillna({"Share of the amount paid (%)": 0.0}),
        "Kind of supplier",
        "Share of the amount paid (%)",
        "Share of the amount paid (%)",
        "spend-shares.csv",
        label_format=".1f",
    )


# --- downloads ------------------------------------------------------------------------------------------------


def _downloads(
    breakdown: pd.DataFrame, tables: dict, organisations: pd.DataFrame, estimates: spend.Lm3, names: dict
) -> dict[str, pd.DataFrame]:
    """The tables beside /spend/ (CSV and JSON): shares in per cent to two decimals, amounts to the penny."""
    shares = breakdown.assign(
        label=[
            WITHHELD_LABEL if c == spend.WITHHELD else names[(d, c)]
            for d, c in zip(breakdown["dimension"], breakdown["category"])
        ],
        share_pct=breakdown["share_pct"].round(2),
    )[["dimension", "category", "label", "paid_gbp", "payments", "share_pct"]]
    found = {"spend-shares": shares}
    for key, frame in tables.items():
        frame = _rounded(frame).rename(columns={"group": key})
        if key == "quarter":
            frame = _with_quarter_dates(frame)
        found[f"spend-by-{key}"] = frame
    found["spend-by-organisation"] = organisations.drop(columns=["org_key"])
    if len(estimates.rows):
        found[LM3_DOWNLOAD[0]] = estimates.rows.drop(columns=["org_key"])
    return found


def _rounded(frame: pd.DataFrame) -> pd.DataFrame:
    pct = [c for c in frame.columns if c.endswith("_pct")]
    return frame.assign(**{c: frame[c].round(2) for c in pct})


def _with_quarter_dates(frame: pd.DataFrame) -> pd.DataFrame:
    """The table by quarter with each quarter's first and last days after its label (none for NO_DATE)."""
    starts, ends = [], []
    for label in frame["quarter"]:
        if label == spend.NO_DATE:
            starts.append(None)
            ends.append(None)
            continue
        year, quarter = int(label[:4]), int(label[-1])
        start, end = spend.quarter_dates(year * 4 + quarter - 1)
        starts.append(start.date())
        ends.append(end.date())
    frame = frame.copy()
    frame.insert(1, "starts", starts)
    frame.insert(2, "ends", ends)
    return frame


PAYMENT_COLUMNS = {  # the classified payments download: column -> from which frame
    "source": "classified",
    "source_line": "classified",
    "payment_date": "classified",
    "amount_gbp": "classified",
    "quarter": "classified",
    "buyer": "classified",
    "service": "classified",
    "org_id": "classified",
    "organisation": "org_name",
    "match_method": "matched",
    "postcode_district": "classified",
    "locality": "classified",
    "size": "classified",
    "vcse": "classified",
    "supplier": "classified",
}


def _payments_download(classified: pd.DataFrame, matched: pd.DataFrame) -> pd.DataFrame:
    """Every payment with what /spend/ counted it as: the key of its row of payments.csv (source, line), its
    amount, quarter, buyer and service, the organisation it was matched to, and its categories."""
    frame = pd.DataFrame(index=classified.index)
    for column, source in PAYMENT_COLUMNS.items():
        if source == "classified":
            values = classified[column]
        elif source == "org_name":
            values = classified["org_name"]
        else:
            values = matched[column]
        frame[column] = values.astype(object) if isinstance(values.dtype, pd.CategoricalDtype) else values
    if "source_line" in frame:
        frame["source_line"] = frame["source_line"].astype("Int64")
    return frame.reset_index(drop=True)


# --- supplier and contract pages --------------------------------------------------------------------------------


def _supplier_paid(organisations: pd.DataFrame, estimates: spend.Lm3) -> dict[str, dict]:
    """What each supplier page says it was paid, by its slug."""
    totals = spend.supplier_totals(organisations)
    lm3_rows = {row["supplier_slug"]: row for row in records.records(estimates.rows) if row.get("supplier_slug")}
    found = {}
    for row in records.records(totals):
        when = period_text(row["first_payment"], row["last_payment"])
        found[row["supplier_slug"]] = {
            **row,
            "paid_text": money(row["paid_gbp"]),
            "summary_text": f"{money(row['paid_gbp'])} in {payments_text(row['payments'], row['credit_notes'])}"
            + (f" {when}" if when else ""),
            "lm3": _lm3_of_one(lm3_rows.get(row["supplier_slug"])),
            "contracts": [],
        }
    return found


def _lm3_of_one(row: dict | None) -> str | None:
    if row is None:
        return None
    value = row["round_1_gbp"] + row["round_2_gbp"] + row["round_3_gbp"]
    return (
        f"{multiplier_text(row['lm3'])}: it spends {number(row['local_respend_pct'], places=1)}% of what it is paid "
        f"in the area (its survey of {date(row['respend_survey_date'])}), so the {money(row['round_1_gbp'])} paid "
        f"is estimated to be worth {money(value)} to the local economy over three rounds of spending"
    )


def _add_contracts(
    paid: dict[str, dict], contracts: pd.DataFrame, parties: pd.DataFrame, by_supplier: pd.DataFrame
) -> None:
    """Each paid supplier's contracts beside what it was paid while each ran (its page's table)."""
    during = {(r["contract_id"], r["slug"]): r for r in records.records(by_supplier)}
    about = {r["contract_id"]: r for r in records.records(contracts[["contract_id", "slug", "title", "value_gbp"]])}
    for party in records.records(parties[["contract_id", "slug"]]):
        if party["slug"] not in paid:
            continue
        contract = about[party["contract_id"]]
        found = during.get((party["contract_id"], party["slug"]))
        paid[party["slug"]]["contracts"].append(
            {
                "contract_id": party["contract_id"],
                "slug": contract["slug"],
                "title": contract["title"],
                "value_text": money(contract["value_gbp"]),
                "paid_text": money(found["paid_gbp"]) if found else money(0),
                "payments_text": payments_text(found["payments"], found["credit_notes"]) if found else "No payments",
            }
        )


def _contract_spend(
    contracts: pd.DataFrame,
    parties: pd.DataFrame,
    by_supplier: pd.DataFrame,
    by_quarter: pd.DataFrame,
    dates: tuple,
) -> dict[str, dict]:
    """Each contract's "Spend with this supplier" section: every contract has one (the payments may have none
    for it), with its suppliers' payments while it ran and the quarters they fall in. ``dates`` are the first
    and last dates of the published payments (None, None when none has a date)."""
    first, last = dates
    data_period = period_text(first, last)
    suppliers = records.group_by(records.records(by_supplier), "contract_id")
    quarters = records.group_by(records.records(by_quarter), "contract_id")
    named = records.group_by(records.records(parties[["contract_id", "slug", "name"]]), "contract_id")
    found = {}
    for row in records.records(contracts[["contract_id", "value_gbp", "start_date", "end_date"]]):
        own = suppliers.get(row["contract_id"], [])
        paid = round(sum(s["paid_gbp"] for s in own), 2)
        count = sum(s["payments"] for s in own)
        value = row["value_gbp"]
        listed = named.get(row["contract_id"], [])
        whom = "its supplier" if len(listed) == 1 else "its suppliers"
        ran = f"from {date(row['start_date'])} " + (
            f"to {date(row['end_date'])}" if row.get("end_date") is not None else "(it has no end date)"
        )
        when = f"The published payments run {data_period}. " if data_period else ""
        outside = first is not None and (
            row["start_date"] > last or (row.get("end_date") is not None and row["end_date"] < first)
        )
        if own:
            share = f": {share_text(paid / value * 100)} of the contract's value" if value and value > 0 else ""
            text = (
                f"{when}While this contract ran, {ran}, {whom} was paid {money(paid)} in "
                f"{payments_text(count, sum(s['credit_notes'] for s in own))}{share}."
            )
        elif outside:
            text = f"{when}This contract runs {ran}: outside that time, so no payment is counted for it."
        else:
            text = f"{when}None of them was to {whom} while this contract ran, {ran}."
        paid_slugs = {s["slug"] for s in own}
        found[row["contract_id"]] = {
            "outside": outside,
            "paid_gbp": paid,
            "payments": count,
            "summary_text": text,
            "suppliers": [
                {
                    **s,
                    "paid_text": money(s["paid_gbp"]),
                    "payments_text": payments_text(s["payments"], s["credit_notes"]),
                    "period_text": period_text(s["first_payment"], s["last_payment"]),
                }
                for s in own
            ],
            "quarters": [
                {**q, "paid_text": money(q["paid_gbp"]), "payments_text": payments_text(q["payments"])}
                for q in quarters.get(row["contract_id"], [])
            ],
            "unpaid_names": [p["name"] for p in listed if p["slug"] not in paid_slugs] if own else [],
        }
    return found
