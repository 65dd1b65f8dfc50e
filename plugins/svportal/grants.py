"""Grants: the grants of grants.csv (360Giving), grouped by programme, recipient and financial year.

Pure pandas: the validated grants table in, DataFrames out; nothing here knows about Pelican or HTML.

* **Years** are UK financial years, 1 April to 31 March, written ``2025-26``: a grant counts in the
  financial year of its award date (a grant awarded on 31 March 2026 is in 2025-26, one on 1 April 2026
  in 2026-27).
* **Programmes** are grouped by their title (by its page address, so ``Community Fund`` and
  ``Community fund`` are one programme), else by their code; grants with neither are together, as
  :data:`NO_PROGRAMME`.
* **Recipients** are organisations, known as suppliers and buyers are (model.organisation_slugs): by
  their identifier (recipient_org_id) when it is usable, else by their name. A recipient that is also
  a supplier or a buyer (the same identifier; or, for one with no identifier, the same name) is that
  organisation: its grants are listed on its page beside its contracts, and it gets no second page.
* **Amounts** are added up in pounds: a grant in another currency (``currency`` neither blank nor
  GBP) is counted, but its amount is not added to any total; ``other_currency`` says how many such
  grants each row leaves out of its amount.
"""

from __future__ import annotations

import pandas as pd

from . import orgid
from .model import organisation_slugs
from .parse import slugify

GBP = "GBP"
NO_PROGRAMME = "Not in a named programme"
SLUG_LIMIT = 150  # a page address of a programme or a recipient, as grant_id's pageAddress limits grants'
FIRST_MONTH = 4  # the UK financial year starts on 1 April


# --- financial years -----------------------------------------------------------------------------


def financial_year_start(days: pd.Series) -> pd.Series:
    """The calendar year each financial year starts in: 2026-03-31 -> 2025, 2026-04-01 -> 2026."""
    days = pd.to_datetime(days)
    return (days.dt.year - (days.dt.month < FIRST_MONTH).astype("int64")).astype("int64")


def financial_year_label(start: int) -> str:
    """``2025`` -> ``2025-26``; ``1999`` -> ``1999-00``."""
    return f"{start}-{(start + 1) % 100:02d}"


# --- keys and page addresses -----------------------------------------------------------------------


def organisation_keys(ids: pd.Series, names: pd.Series) -> pd.Series:
    """What tells organisations apart: ``id:<identifier's slug>`` when it has a usable identifier,
    else ``name:<name's slug>`` (so an identifier and a name never match each other)."""
    keys = [
        f"id:{slugify(i)}" if orgid.usable(i) else f"name:{slugify(n) if isinstance(n, str) else ''}"
        for i, n in zip(ids.tolist(), names.tolist())
    ]
    return pd.Series(keys, index=ids.index, dtype=object)


def page_slugs(keys: pd.Series, slugs: pd.Series, fallback: str) -> pd.Series:
    """One page slug for each key, no two keys sharing one.

    Each key's slug (the first given for it) is cut to :data:`SLUG_LIMIT` characters, ``fallback`` when it has
    no letters or digits. Keys whose slugs would be the same are taken in sorted order: the first keeps the
    slug, the others get ``-2``, ``-3``... So the same data always gives the same addresses.
    """
    wanted: dict[str, str] = {}
    for key, slug in zip(keys.tolist(), slugs.tolist()):
        if key not in wanted:
            wanted[key] = (slug or "")[:SLUG_LIMIT].strip("-") or fallback
    taken: set[str] = set()
    chosen: dict[str, str] = {}
    waiting = []
    for key in sorted(wanted):
        if wanted[key] in taken:
            waiting.append(key)
        else:
            chosen[key] = wanted[key]
            taken.add(wanted[key])
    for key in waiting:
        base, number = wanted[key], 2
        while True:
            suffix = f"-{number}"
            slug = base[: SLUG_LIMIT - len(suffix)].rstrip("-") + suffix
            if slug not in taken:
                break
            number += 1
        chosen[key] = slug
        taken.add(slug)
    return keys.map(chosen)


def _programme_keys(titles: pd.Series, codes: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Each grant's programme key (``title:``, ``code:`` or ``none``) and the slug its page would have."""
    keys, slugs = [], []
    for title, code in zip(titles.tolist(), codes.tolist()):
        if isinstance(title, str) and title:
            keys.append(f"title:{slugify(title)}")
            slugs.append(slugify(title))
        elif isinstance(code, str) and code:
            keys.append(f"code:{slugify(code)}")
            slugs.append(slugify(code))
        else:
            keys.append("none")
            slugs.append("no-programme")
    return pd.Series(keys, index=titles.index, dtype=object), pd.Series(slugs, index=titles.index, dtype=object)


# --- the grants -------------------------------------------------------------------------------------


def _text(frame: pd.DataFrame, column: str) -> pd.Series:
    """A text column with blanks as None (a column the frame lacks is all None)."""
    if column not in frame.columns:
        return pd.Series([None] * len(frame), index=frame.index, dtype=object)
    values = frame[column].astype(object)
    return values.where(values.notna() & values.ne(""), None)


def grant_table(grants: pd.DataFrame) -> pd.DataFrame:
    """The grants, newest first (award date, then grant_id), with what the pages group them by.

    Columns added: ``slug`` (the grant's page), ``in_gbp`` (the amount is in pounds), ``amount_gbp`` (the
    amount awarded when it is in pounds, else NaN), ``financial_year`` (``2025-26``) and
    ``financial_year_start`` (2025), ``programme`` (the title, else the code, else :data:`NO_PROGRAMME`),
    ``programme_key`` and ``programme_slug``, ``recipient_identifier`` (recipient_org_id when it is usable),
    ``recipient_key`` and ``recipient_slug`` (the page of a recipient that has no other), and ``funder_key``.
    """
    frame = grants.drop(columns=["_line"], errors="ignore").copy()
    frame["slug"] = frame["grant_id"].map(slugify)
    currency = _text(frame, "currency")
    frame["in_gbp"] = currency.isna() | currency.eq(GBP)
    frame["amount_gbp"] = frame["amount_awarded"].astype("float64").where(frame["in_gbp"])
    starts = financial_year_start(frame["award_date"]) if len(frame) else pd.Series([], dtype="int64")
    frame["financial_year_start"] = starts
    frame["financial_year"] = starts.map(financial_year_label)
    titles, codes = _text(frame, "programme_title"), _text(frame, "programme_code")
    frame["programme"] = titles.fillna(codes).fillna(NO_PROGRAMME)
    frame["programme_key"], programme_slugs = _programme_keys(titles, codes)
    frame["programme_slug"] = page_slugs(frame["programme_key"], programme_slugs, "programme")
    ids, names = _text(frame, "recipient_org_id"), frame["recipient_org_name"]
    frame["recipient_identifier"] = ids.where(ids.map(orgid.usable).astype(bool), None)
    frame["recipient_key"] = organisation_keys(ids, names)
    slugs = organisation_slugs(ids, names) if len(frame) else pd.Series([], dtype=object)
    frame["recipient_slug"] = page_slugs(frame["recipient_key"], slugs, "recipient")
    frame["funder_key"] = organisation_keys(_text(frame, "funding_org_id"), frame["funding_org_name"])
    return frame.sort_values(["award_date", "grant_id"], ascending=[False, True], kind="stable").reset_index(drop=True)


def _latest_first(table: pd.DataFrame) -> pd.DataFrame:
    """The grants newest first: award date, then last modified, then grant_id (for names that changed)."""
    return table.sort_values(
        ["award_date", "last_modified", "grant_id"], ascending=[False, False, True], na_position="last", kind="stable"
    )


def _amounts(table: pd.DataFrame, key: str, sort: bool = False) -> pd.DataFrame:
    """Grants, amount in pounds and grants in another currency for each ``key``, and the named programmes
    (``programmes``: grants in none are not a programme) and recipients they went to."""
    frame = table.assign(_other=(~table["in_gbp"].astype(bool)).astype("int64"))
    frame["_programme"] = frame["programme_key"].where(frame["programme_key"].ne("none"))
    grouped = frame.groupby(key, sort=sort)
    found = grouped.agg(
        grants=("grant_id", "size"),
        amount_gbp=("amount_gbp", "sum"),
        other_currency=("_other", "sum"),
        programmes=("_programme", "nunique"),
        recipients=("recipient_key", "nunique"),
        first_award=("award_date", "min"),
        last_award=("award_date", "max"),
    )
    return found.astype({"programmes": "int64", "recipients": "int64"})


def _named_programmes(keys: pd.Series) -> int:
    """How many named programmes the grants are in (grants in none are not a programme)."""
    return int(keys[keys.ne("none")].nunique())


def _distinct(table: pd.DataFrame, key: str, column: str) -> pd.Series:
    """The distinct non-blank values of ``column`` for each ``key``, as tuples in the table's order."""
    found: dict = {}
    for k, value in zip(table[key].tolist(), table[column].tolist()):
        seen = found.setdefault(k, {})
        if isinstance(value, str) and value:
            seen.setdefault(value, None)
    return pd.Series({k: tuple(seen) for k, seen in found.items()}, dtype=object)


def by_programme(table: pd.DataFrame) -> pd.DataFrame:
    """One row per programme: ``programme_key``, ``programme_slug``, ``programme`` (its latest title),
    ``other_titles``, ``programme_codes``, ``programme_url`` (the latest given), ``grants``, ``amount_gbp``,
    ``other_currency``, ``recipients``, ``first_award`` and ``last_award``.

    Sorted by amount awarded, largest first, then by name; the grants of no named programme come last.
    """
    latest = _latest_first(table)
    grouped = latest.groupby("programme_key", sort=False)
    found = _amounts(latest, "programme_key")
    found["programme_slug"] = grouped["programme_slug"].first()
    found["programme"] = grouped["programme"].first()
    found["other_titles"] = _distinct(latest, "programme_key", "programme").map(lambda titles: titles[1:])
    found["programme_codes"] = _distinct(latest, "programme_key", "programme_code")
    found["programme_url"] = _distinct(latest, "programme_key", "programme_url").map(
        lambda urls: next(iter(urls), None)
    )
    found = found.reset_index()
    found["_last"] = found["programme_key"].eq("none")
    found["_name"] = found["programme"].str.casefold()
    found = found.sort_values(["_last", "amount_gbp", "_name", "programme_key"], ascending=[True, False, True, True])
    columns = ["programme_key", "programme_slug", "programme", "other_titles", "programme_codes", "programme_url"]
    return found[[*columns, "grants", "amount_gbp", "other_currency", "recipients", "first_award", "last_award"]]


def by_recipient(table: pd.DataFrame) -> pd.DataFrame:
    """One row per recipient organisation: ``recipient_key``, ``recipient_slug``, ``name`` (on its latest grant),
    ``other_names`` (most recent first), ``org_id`` (the latest usable one given), ``charity_numbers``,
    ``company_numbers``, ``grants``, ``amount_gbp``, ``other_currency``, ``programmes``, ``first_award`` and
    ``last_award``.

    Sorted by amount awarded, largest first, then by name.
    """
    latest = _latest_first(table)
    grouped = latest.groupby("recipient_key", sort=False)
    found = _amounts(latest, "recipient_key")
    found["recipient_slug"] = grouped["recipient_slug"].first()
    found["name"] = grouped["recipient_org_name"].first()
    found["other_names"] = _distinct(latest, "recipient_key", "recipient_org_name").map(lambda names: names[1:])
    found["org_id"] = _distinct(latest, "recipient_key", "recipient_identifier").map(lambda ids: next(iter(ids), None))
    found["charity_numbers"] = _distinct(latest, "recipient_key", "recipient_charity_number")
    found["company_numbers"] = _distinct(latest, "recipient_key", "recipient_company_number")
    found = found.reset_index()
    found["_name"] = found["name"].str.casefold()
    found = found.sort_values(["amount_gbp", "_name", "recipient_key"], ascending=[False, True, True])
    columns = ["recipient_key", "recipient_slug", "name", "other_names", "org_id", "charity_numbers"]
    columns += ["company_numbers", "grants", "amount_gbp", "other_currency", "programmes", "first_award", "last_award"]
    return found[columns]


def by_year(table: pd.DataFrame) -> pd.DataFrame:
    """One row per financial year with grants: ``financial_year``, ``financial_year_start``, ``grants``,
    ``amount_gbp``, ``other_currency``, ``recipients`` and ``programmes``; earliest year first."""
    found = _amounts(table, "financial_year_start", sort=True).reset_index()
    found["financial_year"] = found["financial_year_start"].map(financial_year_label)
    columns = ["financial_year", "financial_year_start", "grants", "amount_gbp", "other_currency"]
    return found[[*columns, "recipients", "programmes"]]


def totals(table: pd.DataFrame) -> dict:
    """The headline figures: ``grants``, ``amount_gbp``, ``other_currency`` (grants not added: another
    currency), ``currencies`` (those others), ``recipients``, ``programmes`` (named ones), ``years``,
    ``first_award`` and ``last_award`` (None without grants). Plain Python values."""
    currencies = sorted({c for c in _text(table, "currency").dropna() if c != GBP})
    return {
        "grants": len(table),
        "amount_gbp": float(table["amount_gbp"].sum()),
        "other_currency": int((~table["in_gbp"].astype(bool)).sum()),
        "currencies": currencies,
        "recipients": int(table["recipient_key"].nunique()),
        "programmes": _named_programmes(table["programme_key"]),
        "years": int(table["financial_year_start"].nunique()),
        "first_award": table["award_date"].min().date() if len(table) else None,
        "last_award": table["award_date"].max().date() if len(table) else None,
    }
