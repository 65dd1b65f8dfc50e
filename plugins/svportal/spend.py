"""Local spend: what share of what the commissioner actually paid (payments.csv) went to suppliers based in
the area, in the region, to SMEs and to VCSE organisations; what each organisation and each contract's
suppliers were paid; and the Local Multiplier 3 estimate of the suppliers with a local re-spend survey.

Pure pandas: the payments as :func:`svportal.payees.match` gives them in, DataFrames out; no Pelican, no HTML.

**Each payment is classified** (:func:`classify`) by the organisation its payee was matched to:

- ``locality``: ``local`` when the organisation's postcode district (the outward code, the first half of its
  postcode: ``M17`` of ``M17 1DB``) is one the data's identity lists as the area's
  (``local_postcode_districts``), ``regional`` when it is one listed as the region's
  (``regional_postcode_districts``) and not the area's, ``elsewhere`` when it is neither, ``unknown`` when the
  payee was not matched or the organisation has no postcode. The lists are the publisher's: a council's
  boundary is not a postcode area's (Manchester is not the M postcode area), so the districts are what the
  publisher chose to count. A data folder that lists no local districts has no locality: ``not-listed``.
- ``size``: ``sme`` or ``large`` as the organisation's size says (organisations.csv, else its contracts),
  ``unknown`` when the payee was not matched or the size is not published.
- ``vcse``: ``vcse`` or ``not-vcse`` as the organisation says, else ``unknown``.
- ``supplier``: ``matched`` or ``unmatched`` (no organisation, or several: payees.UNKNOWN, AMBIGUOUS).

A payment whose payee's name was withheld (payees.REDACTED, usually a payment to an individual) is
``withheld`` in every one of them: a line of its own, never named, never matched.

**Shares** (:func:`shares`) are of the net amount paid: every payment counts with its sign, so a credit note
(a negative amount: money the payee returned, or a correction) takes its amount off the category of its
payee. ``paid_gbp`` is the sum of every amount, withheld payments included; a category's share is its net
amount over ``paid_gbp`` (None when ``paid_gbp`` is not more than nothing). The categories of each dimension
add up to the whole: the unknown share is always shown, never spread over the others.

**Quarters** are UK financial quarters (April to June is Q1 of the year starting in April): ``2025-26 Q4`` is
January to March 2026. **Buyers** are the body that made the payment as the spend file names it
(OrganisationLabel); **services** its Proclass label, a blank label (and one written "Not classified" in
any case) being ``Not classified``.

**Local Multiplier 3** (:func:`lm3`) follows the New Economics Foundation's LM3 (Sacks, *The Money Trail:
measuring your impact on the local economy using LM3*, NEF 2002): three rounds of spending, LM3 =
(round 1 + round 2 + round 3) / round 1, where round 1 is what the commissioner paid the supplier, round 2 the
part of it the supplier spends again in the area (its survey's ``local_respend_pct``, on local staff and local
suppliers) and round 3 the part of round 2 that those local staff and suppliers spend in the area again. The
portal has no survey of round 3, so it assumes the supplier's own share again (the simplification that
illustrations of LM3 use, such as Northumberland County Council's: £10 -> £8 -> £6.40 when 80% is re-spent
locally); this is an assumption, said so on the methodology page. With s = local_respend_pct / 100,

    LM3 = 1 + s + s * s

An LM3 is only ever given for an organisation with a survey (a share and its date); the total is that of the
organisations with a survey only (sum of the three rounds over the sum of round 1), never extrapolated to
the others.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .payees import REDACTED

LOCAL, REGIONAL, ELSEWHERE, UNKNOWN, WITHHELD, NOT_LISTED = (
    "local",
    "regional",
    "elsewhere",
    "unknown",
    "withheld",
    "not-listed",
)
SME, LARGE = "sme", "large"
VCSE, NOT_VCSE = "vcse", "not-vcse"
MATCHED, UNMATCHED = "matched", "unmatched"
DIMENSIONS = {  # dimension -> its categories (each also has WITHHELD), in the order the pages list them
    "locality": (LOCAL, REGIONAL, ELSEWHERE, UNKNOWN),
    "size": (SME, LARGE, UNKNOWN),
    "vcse": (VCSE, NOT_VCSE, UNKNOWN),
    "supplier": (MATCHED, UNMATCHED),
}
# The column stem of each (dimension, category) in the wide tables of shares (withheld has one: withheld)
STEMS = {
    ("locality", LOCAL): "local",
    ("locality", REGIONAL): "regional",
    ("locality", ELSEWHERE): "elsewhere",
    ("locality", UNKNOWN): "locality_unknown",
    ("size", SME): "sme",
    ("size", LARGE): "large",
    ("size", UNKNOWN): "size_unknown",
    ("vcse", VCSE): "vcse",
    ("vcse", NOT_VCSE): "not_vcse",
    ("vcse", UNKNOWN): "vcse_unknown",
    ("supplier", MATCHED): "matched",
    ("supplier", UNMATCHED): "unmatched",
}
ALL_PAYMENTS = "All payments"
NOT_CLASSIFIED = "Not classified"
NOT_NAMED = "Not named"  # a payment whose file does not name the body that made it
NO_DATE = "No payment date"
CLASSIFIED_COLUMNS = (
    "source",
    "source_line",
    "payment_date",
    "amount_gbp",
    "quarter",
    "buyer",
    "service",
    "withheld",
    "org_key",
    "org_id",
    "org_name",
    "supplier_slug",
    "postcode_district",
    "locality",
    "size",
    "vcse",
    "supplier",
    "local_respend_pct",
    "respend_survey_date",
)
_POSTCODE = re.compile(r"([A-Z]{1,2}[0-9][A-Z0-9]?) ?([0-9][A-Z]{2})")
_NOT_CLASSIFIED = re.compile(r"\s*not\s+classified\s*", re.IGNORECASE)
_MONTHS = ("April", "July", "October", "January")


@dataclass(frozen=True)
class Districts:
    """The postcode districts the data's identity lists as the area's and the region's (identity.py)."""

    local: frozenset[str] = frozenset()
    regional: frozenset[str] = frozenset()

    @classmethod
    def of(cls, local=(), regional=()) -> Districts:
        return cls(frozenset(d.upper() for d in local), frozenset(d.upper() for d in regional))

    @property
    def listed(self) -> bool:
        """Locality can be worked out: the area's districts are listed."""
        return bool(self.local)


def postcode_district(postcode) -> str | None:
    """The district (outward code) of a full UK postcode: ``M17 1DB`` -> ``M17``, ``sk83lp`` -> ``SK8``;
    None for a blank or anything that is not a full postcode."""
    if not isinstance(postcode, str):
        return None
    found = _POSTCODE.fullmatch(" ".join(postcode.upper().split()))
    return found.group(1) if found else None


# --- quarters --------------------------------------------------------------------------------------------


def quarter_number(days: pd.Series) -> pd.Series:
    """Each date's UK financial quarter as a number (financial year start * 4 + quarter - 1); NaN for no date."""
    months = days.dt.month
    start_year = days.dt.year - (months < 4)
    return start_year * 4 + ((months - 4) % 12) // 3


def quarter_label(number: int) -> str:
    """``2025-26 Q4``."""
    year, quarter = divmod(int(number), 4)
    return f"{year}-{(year + 1) % 100:02d} Q{quarter + 1}"


def quarter_dates(number: int) -> tuple[pd.Timestamp, pd.Timestamp]:
    """The first and last days of a numbered financial quarter."""
    year, quarter = divmod(int(number), 4)
    start = pd.Timestamp(year + (quarter == 3), (4 + 3 * quarter - 1) % 12 + 1, 1)
    return start, start + pd.offsets.QuarterEnd(0)


def quarter_period(number: int) -> str:
    """``January to March 2026``."""
    start, end = quarter_dates(number)
    return f"{start:%B} to {end:%B %Y}"


# --- classifying payments ---------------------------------------------------------------------------------


def classify(payments: pd.DataFrame, districts: Districts) -> pd.DataFrame:
    """The payments (as payees.match gives them) with :data:`CLASSIFIED_COLUMNS`, in the same order.

    ``quarter``, ``buyer``, ``service`` and the dimensions (``locality``, ``size``, ``vcse``, ``supplier``) are
    categoricals: each distinct value is worked out once, and grouping by them is quick.
    """
    index = payments.index
    count = len(payments)
    column = lambda name: payments[name] if name in payments else pd.Series(None, index=index, dtype=object)  # noqa: E731
    withheld = column("match_method").eq(REDACTED).to_numpy(dtype=bool)
    matched = column("org_key").notna().to_numpy(dtype=bool) & ~withheld
    codes, postcodes = pd.factorize(column("postcode"), use_na_sentinel=True)
    districts_of = np.array([*(postcode_district(p) for p in postcodes), None], dtype=object)
    district = pd.Series(np.where(matched, districts_of[codes], None), index=index, dtype=object)
    if districts.listed:
        where = [_locality(d, districts) for d in districts_of]
        locality = _dimension(np.array(where, dtype=np.int8)[codes], withheld, matched, "locality")
    else:
        locality = pd.Categorical.from_codes(np.where(withheld, 1, 0), categories=[NOT_LISTED, WITHHELD])
    size = _per_category(column("size"), lambda v: v if v in (SME, LARGE) else UNKNOWN, "size")
    vcse = _per_category(column("vcse"), lambda v: {True: VCSE, False: NOT_VCSE}.get(v, UNKNOWN), "vcse")
    frame = pd.DataFrame(
        {
            "source": column("source"),
            "source_line": column("source_line"),
            "payment_date": payments["payment_date"] if count else pd.Series(dtype="datetime64[ns]"),
            "amount_gbp": payments["amount_gbp"].astype("float64") if count else pd.Series(dtype="float64"),
            "quarter": _quarters(payments["payment_date"]) if count else pd.Categorical([], categories=[NO_DATE]),
            "buyer": _per_value(column("organisation_label"), _label(NOT_NAMED), NOT_NAMED),
            "service": _per_value(column("proclass_label"), _service, NOT_CLASSIFIED),
            "withheld": withheld,
            "org_key": column("org_key"),
            "org_id": column("org_id"),
            "org_name": column("org_name"),
            "supplier_slug": column("supplier_slug"),
            "postcode_district": district,
            "locality": locality,
            "size": _dimension(size, withheld, matched, "size"),
            "vcse": _dimension(vcse, withheld, matched, "vcse"),
            "supplier": _dimension(np.zeros(count, dtype=np.int8), withheld, matched, "supplier"),
            "local_respend_pct": column("local_respend_pct"),
            "respend_survey_date": column("respend_survey_date"),
        },
        index=index,
    )
    return frame[list(CLASSIFIED_COLUMNS)]


def _locality(district: str | None, districts: Districts) -> int:
    """The position in DIMENSIONS["locality"] of a district's locality."""
    found = (
        UNKNOWN
        if district is None
        else LOCAL
        if district in districts.local
        else REGIONAL
        if district in districts.regional
        else ELSEWHERE
    )
    return DIMENSIONS["locality"].index(found)


def _per_value(values: pd.Series, function, missing: str) -> pd.Categorical:
    """``function`` of each value as a categorical, worked out once per distinct value; ``missing`` for a blank
    (None, NaN, NA). The categories are the results in the order first found."""
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    results = [function(value) for value in uniques]
    order = list(dict.fromkeys([*results, missing]))
    position = {result: n for n, result in enumerate(order)}
    mapped = np.array([position[r] for r in results] + [position[missing]], dtype=np.int64)
    return pd.Categorical.from_codes(mapped[codes], categories=order)


def _per_category(values: pd.Series, function, dimension: str) -> np.ndarray:
    """The position in DIMENSIONS[dimension] of ``function`` of each value (worked out once per distinct value;
    a blank value is UNKNOWN)."""
    categories = DIMENSIONS[dimension]
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    table = np.array([*(categories.index(function(v)) for v in uniques), categories.index(UNKNOWN)], dtype=np.int8)
    return table[codes]


def _dimension(positions: np.ndarray, withheld: np.ndarray, matched: np.ndarray, dimension: str) -> pd.Categorical:
    """A dimension's categorical: each payment's category (``positions`` in DIMENSIONS[dimension]) when its payee
    was matched, UNKNOWN (UNMATCHED for ``supplier``) when it was not, WITHHELD when it was withheld."""
    categories = DIMENSIONS[dimension]
    unmatched = categories.index(UNMATCHED if dimension == "supplier" else UNKNOWN)
    codes = np.where(withheld, len(categories), np.where(matched, positions, unmatched))
    return pd.Categorical.from_codes(codes, categories=[*categories, WITHHELD])


def _label(missing: str):
    def label(value) -> str:
        return value if isinstance(value, str) and value.strip() else missing

    return label


def _service(value) -> str:
    """A Proclass label; NOT_CLASSIFIED for a blank one and one that says so, in any case."""
    if not isinstance(value, str) or not value.strip() or _NOT_CLASSIFIED.fullmatch(value):
        return NOT_CLASSIFIED
    return value


def _quarters(days: pd.Series) -> pd.Categorical:
    """The label of each date's financial quarter (``2025-26 Q4``), in time order; NO_DATE for no date, last."""
    numbers = quarter_number(days)
    known = sorted(int(n) for n in numbers.dropna().unique())
    labels = {n: quarter_label(n) for n in known}
    order = [labels[n] for n in known] + [NO_DATE]
    return pd.Categorical(numbers.map(labels).fillna(NO_DATE), categories=order)


# --- shares -------------------------------------------------------------------------------------------------


def share_columns(dimensions=tuple(DIMENSIONS)) -> list[str]:
    """The columns of a wide table of shares after its group column: totals, then each category's amount and
    share, then the withheld payments'."""
    columns = ["paid_gbp", "payments", "credit_notes", "credit_notes_gbp"]
    for dimension in dimensions:
        for category in DIMENSIONS[dimension]:
            stem = STEMS[(dimension, category)]
            columns += [f"{stem}_gbp", f"{stem}_pct"]
    return [*columns, "withheld_gbp", "withheld_pct"]


def dimensions_of(districts: Districts) -> tuple[str, ...]:
    """The dimensions that can be worked out: all, or all but locality when no local district is listed."""
    return tuple(d for d in DIMENSIONS if d != "locality" or districts.listed)


def shares(classified: pd.DataFrame, by: str | None, districts: Districts) -> pd.DataFrame:
    """One row per group of ``by`` (``quarter``, ``buyer``, ``service``; None: one row, ALL_PAYMENTS) with
    :func:`share_columns`: amounts in pounds to the penny, shares in per cent of ``paid_gbp`` (not rounded: the
    pages and downloads round them).

    Quarters are in time order (NO_DATE last); buyers and services by amount paid, largest first, then name.
    """
    dimensions = dimensions_of(districts)
    if by:
        group = classified[by].astype("category")
    else:
        group = pd.Series(pd.Categorical([ALL_PAYMENTS] * len(classified)), index=classified.index)
    amounts = classified["amount_gbp"]
    credit = amounts < 0
    grouped = amounts.groupby(group, observed=True, sort=True)
    table = pd.DataFrame(
        {
            "paid_gbp": grouped.sum(),
            "payments": grouped.size(),
            "credit_notes": credit.groupby(group, observed=True, sort=True).sum(),
            "credit_notes_gbp": amounts.where(credit, 0.0).groupby(group, observed=True, sort=True).sum(),
        }
    )
    for dimension in dimensions:
        sums = amounts.groupby([group, classified[dimension]], observed=True, sort=True).sum().unstack(fill_value=0.0)
        for category in DIMENSIONS[dimension]:
            stem = STEMS[(dimension, category)]
            table[f"{stem}_gbp"] = sums[category].reindex(table.index, fill_value=0.0) if category in sums else 0.0
    table["withheld_gbp"] = amounts.where(classified["withheld"], 0.0).groupby(group, observed=True, sort=True).sum()
    money = [c for c in table.columns if c.endswith("_gbp")]
    table[money] = table[money].astype("float64").round(2) + 0.0  # + 0.0: no minus zero
    paid = table["paid_gbp"].where(table["paid_gbp"] > 0)
    for column in money:
        if column not in ("paid_gbp", "credit_notes_gbp"):
            table[column.removesuffix("_gbp") + "_pct"] = table[column] / paid * 100
    table["payments"] = table["payments"].astype(int)
    table["credit_notes"] = table["credit_notes"].astype(int)
    table.index = table.index.astype(object)
    table = table.rename_axis("group").reset_index()
    if by != "quarter":  # (quarters are in their categories' order: time, then NO_DATE)
        name = table["group"].astype(str).str.casefold()
        table = table.assign(_name=name).sort_values(["paid_gbp", "_name"], ascending=[False, True], kind="stable")
    return table[["group", *share_columns(dimensions)]].reset_index(drop=True)


def breakdown(classified: pd.DataFrame, districts: Districts) -> pd.DataFrame:
    """The whole spend by dimension and category (each dimension's categories, then withheld): ``dimension``,
    ``category``, ``paid_gbp``, ``payments``, ``share_pct`` (as :func:`shares`)."""
    total = round(float(classified["amount_gbp"].sum()), 2)
    rows = []
    for dimension in dimensions_of(districts):
        column = classified[dimension]
        sums = classified["amount_gbp"].groupby(column, observed=True).agg(["sum", "size"])
        for category in (*DIMENSIONS[dimension], WITHHELD):
            paid = round(float(sums.at[category, "sum"]), 2) + 0.0 if category in sums.index else 0.0
            count = int(sums.at[category, "size"]) if category in sums.index else 0
            share = paid / total * 100 if total > 0 else None
            rows.append(
                {"dimension": dimension, "category": category, "paid_gbp": paid, "payments": count, "share_pct": share}
            )
    return pd.DataFrame(rows, columns=["dimension", "category", "paid_gbp", "payments", "share_pct"])


# --- organisations and contracts ----------------------------------------------------------------------------

ORGANISATION_COLUMNS = (
    "org_key",
    "org_id",
    "name",
    "supplier_slug",
    "postcode_district",
    "locality",
    "size",
    "vcse",
    "payments",
    "paid_gbp",
    "credit_notes",
    "first_payment",
    "last_payment",
    "local_respend_pct",
    "respend_survey_date",
)


def organisation_totals(classified: pd.DataFrame) -> pd.DataFrame:
    """One row per organisation payees were matched to (:data:`ORGANISATION_COLUMNS`): what it was paid in all
    (net), in how many payments, how many of them credit notes, first and last; the largest total first."""
    mine = classified[classified["supplier"] == MATCHED]
    if not len(mine):
        return pd.DataFrame(columns=list(ORGANISATION_COLUMNS))
    mine = mine.assign(_credit=mine["amount_gbp"] < 0)
    found = (
        mine.groupby("org_key", sort=False)
        .agg(
            org_id=("org_id", "first"),
            name=("org_name", "first"),
            supplier_slug=("supplier_slug", "first"),
            postcode_district=("postcode_district", "first"),
            locality=("locality", "first"),
            size=("size", "first"),
            vcse=("vcse", "first"),
            payments=("amount_gbp", "size"),
            paid_gbp=("amount_gbp", "sum"),
            credit_notes=("_credit", "sum"),
            first_payment=("payment_date", "min"),
            last_payment=("payment_date", "max"),
            local_respend_pct=("local_respend_pct", "first"),
            respend_survey_date=("respend_survey_date", "first"),
        )
        .reset_index()
    )
    found["paid_gbp"] = found["paid_gbp"].round(2) + 0.0
    found["credit_notes"] = found["credit_notes"].astype(int)
    found["_name"] = found["name"].astype(str).str.casefold()
    found = found.sort_values(["paid_gbp", "_name", "org_key"], ascending=[False, True, True], kind="stable")
    return found[list(ORGANISATION_COLUMNS)].reset_index(drop=True)


SUPPLIER_COLUMNS = ("supplier_slug", "payments", "paid_gbp", "credit_notes", "first_payment", "last_payment")


def supplier_totals(organisations: pd.DataFrame) -> pd.DataFrame:
    """What each supplier page's organisation was paid (organisations of :func:`organisation_totals` with a
    supplier page), by ``supplier_slug``."""
    mine = organisations[organisations["supplier_slug"].notna()]
    if not len(mine):
        return pd.DataFrame(columns=list(SUPPLIER_COLUMNS))
    found = mine.groupby("supplier_slug", sort=True).agg(
        payments=("payments", "sum"),
        paid_gbp=("paid_gbp", "sum"),
        credit_notes=("credit_notes", "sum"),
        first_payment=("first_payment", "min"),
        last_payment=("last_payment", "max"),
    )
    found["paid_gbp"] = found["paid_gbp"].round(2) + 0.0
    return found.reset_index()[list(SUPPLIER_COLUMNS)]


CONTRACT_SUPPLIER_COLUMNS = (
    "contract_id",
    "slug",
    "name",
    "payments",
    "paid_gbp",
    "credit_notes",
    "first_payment",
    "last_payment",
)


def contract_spend(
    classified: pd.DataFrame, parties: pd.DataFrame, contracts: pd.DataFrame
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """What each contract's suppliers were paid while it ran: (one row per contract and supplier with a
    payment, :data:`CONTRACT_SUPPLIER_COLUMNS`; one row per contract and financial quarter: ``contract_id``,
    ``quarter``, ``payments``, ``paid_gbp``).

    A payment counts when its payee is the supplier's organisation (its supplier page, ``supplier_slug``) and
    its date is on or after the contract's start date and on or before its end date (no end date: every
    payment from the start). Spend files do not say which contract a payment is for: a supplier with two
    contracts at once has its payments counted on both. Payments without a date are not counted.
    """
    empty = (
        pd.DataFrame(columns=list(CONTRACT_SUPPLIER_COLUMNS)),
        pd.DataFrame(columns=["contract_id", "quarter", "payments", "paid_gbp"]),
    )
    paid = classified[classified["supplier_slug"].notna() & classified["payment_date"].notna()]
    if not len(paid) or not len(parties):
        return empty
    daily = (
        paid.assign(_credit=paid["amount_gbp"] < 0)
        .groupby(["supplier_slug", "payment_date"], sort=False)
        .agg(paid=("amount_gbp", "sum"), payments=("amount_gbp", "size"), credit_notes=("_credit", "sum"))
        .reset_index()
    )
    dates = contracts[["contract_id", "start_date", "end_date"]]
    joined = (
        parties[["contract_id", "slug", "name"]]
        .merge(dates, on="contract_id", how="left")
        .merge(daily, left_on="slug", right_on="supplier_slug", how="inner")
    )
    during = joined["payment_date"].ge(joined["start_date"]) & (
        joined["end_date"].isna() | joined["payment_date"].le(joined["end_date"])
    )
    joined = joined[during.fillna(False).astype(bool)]
    if not len(joined):
        return empty
    by_supplier = (
        joined.groupby(["contract_id", "slug"], sort=True)
        .agg(
            name=("name", "first"),
            payments=("payments", "sum"),
            paid_gbp=("paid", "sum"),
            credit_notes=("credit_notes", "sum"),
            first_payment=("payment_date", "min"),
            last_payment=("payment_date", "max"),
        )
        .reset_index()
    )
    by_supplier["paid_gbp"] = by_supplier["paid_gbp"].round(2) + 0.0
    by_supplier["credit_notes"] = by_supplier["credit_notes"].astype(int)
    joined = joined.assign(_quarter=quarter_number(joined["payment_date"]))
    by_quarter = (
        joined.groupby(["contract_id", "_quarter"], sort=True)
        .agg(payments=("payments", "sum"), paid_gbp=("paid", "sum"))
        .reset_index()
    )
    by_quarter["quarter"] = by_quarter["_quarter"].map(quarter_label)
    by_quarter["paid_gbp"] = by_quarter["paid_gbp"].round(2) + 0.0
    return (
        by_supplier[list(CONTRACT_SUPPLIER_COLUMNS)],
        by_quarter[["contract_id", "quarter", "payments", "paid_gbp"]],
    )


# --- Local Multiplier 3 --------------------------------------------------------------------------------------

LM3_COLUMNS = (
    "org_key",
    "org_id",
    "name",
    "supplier_slug",
    "local_respend_pct",
    "respend_survey_date",
    "round_1_gbp",
    "round_2_gbp",
    "round_3_gbp",
    "lm3",
)


def lm3_of(local_respend_pct: float) -> float:
    """The LM3 of a supplier that spends ``local_respend_pct`` per cent of its income in the area (see the
    module docstring): 1 + s + s * s with s the share as a fraction."""
    share = local_respend_pct / 100
    return 1 + share + share * share


@dataclass(frozen=True)
class Lm3:
    """The LM3 estimates: one row per organisation with a survey that was paid more than nothing
    (:data:`LM3_COLUMNS`), and the total of those organisations."""

    rows: pd.DataFrame
    round_1_gbp: float = 0.0
    round_2_gbp: float = 0.0
    round_3_gbp: float = 0.0
    surveyed_unpaid: int = 0  # organisations with a survey that the payments paid nothing (net)

    @property
    def total(self) -> float | None:
        """LM3 of the surveyed organisations together: all three rounds over round 1 (None with none)."""
        if self.round_1_gbp <= 0:
            return None
        return (self.round_1_gbp + self.round_2_gbp + self.round_3_gbp) / self.round_1_gbp


def lm3(organisations: pd.DataFrame) -> Lm3:
    """The LM3 estimate of each organisation (:func:`organisation_totals`) with a local re-spend survey (a
    share and the survey's date), and of them all; never one for an organisation without a survey."""
    surveyed = organisations[organisations["local_respend_pct"].notna() & organisations["respend_survey_date"].notna()]
    paid = surveyed[surveyed["paid_gbp"] > 0]
    share = paid["local_respend_pct"].astype(float) / 100
    rows = pd.DataFrame(
        {
            "org_key": paid["org_key"],
            "org_id": paid["org_id"],
            "name": paid["name"],
            "supplier_slug": paid["supplier_slug"],
            "local_respend_pct": paid["local_respend_pct"].astype(float),
            "respend_survey_date": paid["respend_survey_date"],
            "round_1_gbp": paid["paid_gbp"].astype(float),
            "round_2_gbp": (paid["paid_gbp"] * share).round(2),
            "round_3_gbp": (paid["paid_gbp"] * share * share).round(2),
            "lm3": paid["local_respend_pct"].astype(float).map(lm3_of).round(4),
        },
        columns=list(LM3_COLUMNS),
    ).reset_index(drop=True)
    return Lm3(
        rows=rows,
        round_1_gbp=round(float(rows["round_1_gbp"].sum()), 2),
        round_2_gbp=round(float(rows["round_2_gbp"].sum()), 2),
        round_3_gbp=round(float(rows["round_3_gbp"].sum()), 2),
        surveyed_unpaid=len(surveyed) - len(paid),
    )
