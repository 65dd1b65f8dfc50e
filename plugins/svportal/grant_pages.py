"""The page model of the grants: what /grants/ and the pages below it show, and the grants of each
supplier and buyer page.

Pure: the validated grants table, the contracts' parties (model.supplier_parties, model.buyer_parties) and
the published grants table in; plain rows, DataFrames and one Chart out, no Pelican and no HTML. The
grouping and the totals are grants.py's; this adds the words, the page addresses and the links.

A recipient (or a funder) that is a supplier or a buyer of the contracts has that organisation's page
(suppliers first for recipients, buyers first for funders): its grants are listed there, beside its
contracts. Only a recipient with no such page gets one under /grants/recipient/.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pandas as pd

from . import charts, grants, records
from .formatting import date, is_missing, money, number, rounded

PROGRAMMES, RECIPIENTS, YEARS = "programme", "recipient", "year"  # the folders below /grants/ (grant_id reserves them)
BENEFICIARY_CODE_TYPES = {  # the 360Giving codelist's commonest Geographic Code Types, as words
    "WD": "ward",
    "MD": "metropolitan district",
    "LAD": "local authority district",
    "UA": "unitary authority",
    "CTY": "county",
    "NMD": "non-metropolitan district",
    "LONB": "London borough",
    "RGN": "region",
    "CTRY": "country",
    "MSOA": "middle layer super output area",
    "LSOA": "lower layer super output area",
}


class GrantRows(list):
    """A list of grants (rows of :attr:`GrantPages.rows`) that also says how many and what they are worth."""

    @property
    def total(self) -> int:
        return len(self)

    @property
    def amount_gbp(self) -> float:
        return sum(row["amount_gbp"] for row in self if row["amount_gbp"] is not None)

    @property
    def summary_text(self) -> str:
        """``3 grants, worth £12,500 in total``, and the grants in other currencies that are not added."""
        return worth_text(self.total, self.amount_gbp, sum(1 for row in self if not row["in_gbp"]))


@dataclass
class GrantPages:
    """Every grants page, as the templates and downloads need it."""

    rows: GrantRows = field(default_factory=GrantRows)  # every grant, newest first
    totals: dict = field(default_factory=dict)  # grants.totals, with the sentences the pages say
    programmes: list[dict] = field(default_factory=list)  # grants.by_programme, each with its grants
    recipients: list[dict] = field(default_factory=list)  # grants.by_recipient, each with its page and grants
    years: list[dict] = field(default_factory=list)  # grants.by_year, each with its grants
    chart: charts.Chart | None = None  # amount awarded by financial year
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)  # the downloads of /grants/, by file stem
    supplier_grants: dict[str, GrantRows] = field(default_factory=dict)  # supplier slug -> the grants it received
    buyer_grants: dict[str, GrantRows] = field(default_factory=dict)  # buyer slug -> the grants it received
    published: pd.DataFrame | None = field(default=None, repr=False)  # the grants table as /data/ publishes it
    _positions: dict[str, int] = field(default_factory=dict, repr=False)  # grant_id -> row of published, on first use

    @property
    def recipient_pages(self) -> list[dict]:
        """The recipients with a page under /grants/recipient/: those that are not a supplier or a buyer."""
        return [row for row in self.recipients if row["own_page"]]

    def download(self, grant_ids) -> pd.DataFrame:
        """The published rows of these grants, in this order."""
        frame = self.published
        if not self._positions:
            self._positions.update((key, n) for n, key in enumerate(frame["grant_id"]))
        return frame.iloc[[self._positions[i] for i in grant_ids]].reset_index(drop=True)


# --- words -----------------------------------------------------------------------------------------


def grants_count(count: int) -> str:
    """``1 grant``, ``3 grants``."""
    return f"{count:,} grant{'' if count == 1 else 's'}"


def worth_text(count: int, amount_gbp: float, other_currency: int = 0) -> str:
    """``3 grants, worth £12,500 in total`` (``1 grant, worth £500``), saying which grants are not added."""
    text = f"{grants_count(count)}, worth {money(amount_gbp)}" + (" in total" if count > 1 else "")
    if other_currency:
        text += f" ({grants_count(other_currency)} in another currency not added)"
    return text


def amount_text(value, currency: str | None) -> str | None:
    """An amount exactly as given: ``£4,950``, ``£4,950.50``, ``4,950.50 EUR``; None when blank."""
    if is_missing(value):
        return None
    if currency and currency != grants.GBP:
        return f"{rounded(value, 2):,.2f} {currency}"
    if float(value).is_integer():
        return money(value)
    return f"£{rounded(value, 2):,.2f}"


def financial_year_period(start: int) -> str:
    """``1 April 2025 to 31 March 2026``."""
    return f"{date(dt.date(start, 4, 1))} to {date(dt.date(start + 1, 3, 31))}"


def _beneficiary_text(row: dict) -> str | None:
    """``Hulme (ward, geographic code E05011368)``: the place, the kind of place and its code, as given."""
    name = row.get("beneficiary_location_name")
    code = row.get("beneficiary_location_code")
    kind = row.get("beneficiary_location_code_type")
    about = [
        BENEFICIARY_CODE_TYPES.get(kind.upper(), kind) if kind else None,
        f"geographic code {code}" if code else None,
    ]
    about_text = ", ".join(part for part in about if part)
    if name:
        return f"{name} ({about_text})" if about_text else name
    return about_text or None


# --- the pages -----------------------------------------------------------------------------------------


def organisation_pages(parties: pd.DataFrame, folder: str) -> dict[str, str]:
    """The page of each organisation of the contracts' ``parties``, by the key grants.py knows it by."""
    if parties is None or not len(parties):
        return {}
    keys = grants.organisation_keys(parties["org_id"], parties["name"])
    found: dict[str, str] = {}
    for key, slug in zip(keys.tolist(), parties["slug"].tolist()):
        found.setdefault(key, f"{folder}/{slug}/")
    return found


def build_grant_pages(
    grant_table: pd.DataFrame | None,
    supplier_parties: pd.DataFrame | None = None,
    buyer_parties: pd.DataFrame | None = None,
    published: pd.DataFrame | None = None,
) -> GrantPages:
    """Every grants page from the validated grants table (None or empty: no grants, no pages)."""
    if grant_table is None or not len(grant_table):
        return GrantPages(published=published)
    table = grants.grant_table(grant_table)
    suppliers = organisation_pages(supplier_parties, "suppliers")
    buyers = organisation_pages(buyer_parties, "buyers")
    recipient_pages = {**buyers, **suppliers}  # suppliers first
    funder_pages = {**suppliers, **buyers}  # buyers first
    rows = GrantRows(records.records(table))
    for row in rows:
        _grant_labels(row, recipient_pages, funder_pages)
    by_key = records.group_by(rows, "recipient_key")
    recipients = records.records(grants.by_recipient(table))
    for recipient in recipients:
        _recipient_labels(recipient, recipient_pages, GrantRows(by_key[recipient["recipient_key"]]))
    programme_grants = records.group_by(rows, "programme_key")
    programmes = records.records(grants.by_programme(table))
    for programme in programmes:
        programme["path"] = f"grants/{PROGRAMMES}/{programme['programme_slug']}/"
        programme["title"] = programme["programme"]
        programme["download_label"] = (
            "Grants in this programme" if programme["programme_key"] != "none" else "Grants not in a named programme"
        )
        programme["grants_list"] = GrantRows(programme_grants[programme["programme_key"]])
        programme["codes_text"] = ", ".join(programme["programme_codes"]) or None
        programme["other_titles_text"] = "; ".join(programme["other_titles"]) or None
    year_grants = records.group_by(rows, "financial_year")
    years = records.records(grants.by_year(table))
    for year in years:
        year["path"] = f"grants/{YEARS}/{year['financial_year']}/"
        year["title"] = f"Grants awarded in {year['financial_year']}"
        year["download_label"] = year["title"]
        year["period_text"] = financial_year_period(year["financial_year_start"])
        year["grants_list"] = GrantRows(year_grants[year["financial_year"]])
    return GrantPages(
        rows=rows,
        totals=_totals(grants.totals(table)),
        programmes=programmes,
        recipients=recipients,
        years=years,
        chart=_year_chart(years),
        tables=_tables(programmes, recipients, years),
        supplier_grants=_of_organisations(by_key, suppliers, "suppliers/"),
        buyer_grants=_of_organisations(by_key, buyers, "buyers/"),
        published=published,
    )


def _grant_labels(row: dict, recipient_pages: dict[str, str], funder_pages: dict[str, str]) -> None:
    """What a grant's page and the rows of the lists say, beyond its values."""
    currency = row.get("currency")
    row["path"] = f"grants/{row['slug']}/"
    row["programme_path"] = f"grants/{PROGRAMMES}/{row['programme_slug']}/"
    row["year_path"] = f"grants/{YEARS}/{row['financial_year']}/"
    row["recipient_path"] = recipient_pages.get(row["recipient_key"]) or f"grants/{RECIPIENTS}/{row['recipient_slug']}/"
    row["funder_path"] = funder_pages.get(row["funder_key"])
    row["amount_text"] = amount_text(row["amount_awarded"], currency)
    row["applied_text"] = amount_text(row.get("amount_applied_for"), currency) or "Not published"
    row["disbursed_text"] = amount_text(row.get("amount_disbursed"), currency) or "Not published"
    row["currency_text"] = currency if currency and currency != grants.GBP else None
    row["planned_start_text"] = date(row.get("planned_start_date"), "Not published")
    row["planned_end_text"] = date(row.get("planned_end_date"), "Not published")
    months = row.get("planned_duration_months")
    row["duration_text"] = "Not published" if months is None else f"{number(months)} month{'' if months == 1 else 's'}"
    row["open_call_text"] = {True: "Yes", False: "No"}.get(row.get("from_an_open_call"), "Not published")
    row["beneficiary_text"] = _beneficiary_text(row) or "Not published"
    row["last_modified_text"] = date(row.get("last_modified"), "Not published")


def _recipient_labels(row: dict, pages: dict[str, str], own: GrantRows) -> None:
    """A recipient's page (its organisation's, or its own under /grants/recipient/) and what its row says."""
    organisation = pages.get(row["recipient_key"])
    row["own_page"] = organisation is None
    row["path"] = organisation or f"grants/{RECIPIENTS}/{row['recipient_slug']}/"
    row["also_text"] = (
        None
        if organisation is None
        else ("Also a supplier" if organisation.startswith("suppliers/") else "Also a buyer")
    )
    row["grants_list"] = own
    row["title"] = row["name"]
    row["download_label"] = f"Grants received by {row['name']}"
    row["summary_text"] = own.summary_text
    row["org_id_text"] = row.get("org_id") or "Not published: known by its name"
    row["also_known_as_text"] = "; ".join(row["other_names"]) or None
    row["charity_numbers_text"] = ", ".join(row["charity_numbers"]) or None
    row["company_numbers_text"] = ", ".join(row["company_numbers"]) or None


def _of_organisations(by_key: dict[str, list[dict]], pages: dict[str, str], folder: str) -> dict[str, GrantRows]:
    """The grants each organisation of ``pages`` (of ``folder``: ``suppliers/``) received, by its slug, newest first.

    An organisation that is both a supplier and a buyer lists them on both its pages.
    """
    found: dict[str, GrantRows] = {}
    for key, path in pages.items():
        if key in by_key:
            found.setdefault(path.removeprefix(folder).rstrip("/"), GrantRows()).extend(by_key[key])
    return {
        slug: GrantRows(sorted(rows, key=lambda r: (-r["award_date"].toordinal(), r["grant_id"])))
        for slug, rows in found.items()
    }


def _totals(found: dict) -> dict:
    """grants.totals with the sentence /grants/ starts with."""
    found = dict(found)
    other = found["other_currency"]
    found["amount_text"] = money(found["amount_gbp"])
    found["other_currency_text"] = (
        f"{grants_count(other)} in {', '.join(found['currencies'])} {'is' if other == 1 else 'are'} counted, "
        "but not added to the amounts in pounds."
        if other
        else None
    )
    return found


def _year_chart(years: list[dict]) -> charts.Chart:
    """The amount awarded in each financial year, earliest first, as a bar chart."""
    table = pd.DataFrame(
        {
            "Financial year": [y["financial_year"] for y in years],
            "Grants": [y["grants"] for y in years],
            "Amount awarded (£)": [round(y["amount_gbp"], 2) for y in years],
        }
    )
    peak = max(years, key=lambda y: (y["amount_gbp"], -y["financial_year_start"]))
    total = sum(y["amount_gbp"] for y in years)
    if len(years) == 1:
        summary = f"Grants worth {money(total)} were awarded in {peak['financial_year']}."
    else:
        summary = (
            f"Grants worth {money(total)} were awarded from {years[0]['financial_year']} to "
            f"{years[-1]['financial_year']}: the most in {peak['financial_year']}, {money(peak['amount_gbp'])}."
        )
    return charts.bar_chart(
        "chart-grants-by-year",
        "Amount awarded in grants, by financial year (April to March)",
        summary,
        table,
        "Financial year",
        "Amount awarded (£)",
        "Amount awarded (£)",
        "grants-by-year.csv",
    )


def _tables(programmes: list[dict], recipients: list[dict], years: list[dict]) -> dict[str, pd.DataFrame]:
    """The downloads of /grants/'s tables: by programme, by recipient and by year."""
    by_programme = pd.DataFrame(
        {
            "programme_title": [p["programme"] for p in programmes],
            "other_titles": [p["other_titles"] for p in programmes],
            "programme_codes": [p["programme_codes"] for p in programmes],
            "grants": [p["grants"] for p in programmes],
            "amount_awarded_gbp": [p["amount_gbp"] for p in programmes],
            "grants_in_other_currencies": [p["other_currency"] for p in programmes],
            "recipients": [p["recipients"] for p in programmes],
            "first_award_date": [p["first_award"] for p in programmes],
            "last_award_date": [p["last_award"] for p in programmes],
        }
    )
    by_recipient = pd.DataFrame(
        {
            "recipient_org_id": [r["org_id"] for r in recipients],
            "recipient_org_name": [r["name"] for r in recipients],
            "other_names": [r["other_names"] for r in recipients],
            "charity_numbers": [r["charity_numbers"] for r in recipients],
            "company_numbers": [r["company_numbers"] for r in recipients],
            "grants": [r["grants"] for r in recipients],
            "amount_awarded_gbp": [r["amount_gbp"] for r in recipients],
            "grants_in_other_currencies": [r["other_currency"] for r in recipients],
            "programmes": [r["programmes"] for r in recipients],
            "first_award_date": [r["first_award"] for r in recipients],
            "last_award_date": [r["last_award"] for r in recipients],
        }
    )
    by_year = pd.DataFrame(
        {
            "financial_year": [y["financial_year"] for y in years],
            "starts": [dt.date(y["financial_year_start"], 4, 1) for y in years],
            "ends": [dt.date(y["financial_year_start"] + 1, 3, 31) for y in years],
            "grants": [y["grants"] for y in years],
            "amount_awarded_gbp": [y["amount_gbp"] for y in years],
            "grants_in_other_currencies": [y["other_currency"] for y in years],
            "recipients": [y["recipients"] for y in years],
            "programmes": [y["programmes"] for y in years],
        }
    )
    return {"grants-by-programme": by_programme, "grants-by-recipient": by_recipient, "grants-by-year": by_year}
