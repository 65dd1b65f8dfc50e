"""Payees: who the council's payments (payments.csv) went to, matched to the organisations the portal knows.

Pure pandas and Python: the validated tables in, DataFrames out; nothing here knows about Pelican or HTML.

**The organisations the portal knows** (:func:`known_organisations`) come from three places, in this order:
the organisations table (staff's own, organisations.csv: the authority on names, VAT numbers, postcodes,
size, VCSE and local re-spend), the suppliers of contracts (contracts.csv and contract_suppliers.csv; buyers
are not payees) and the recipients of grants (grants.csv, whose charity and company numbers are identifiers
too: GB-CHC-…, GB-COH-…). One organisation is one identifier: a supplier or recipient with the identifier of
a row of organisations.csv is that organisation, and what the earlier source says is kept. One with no
identifier is the organisations.csv row that lists its name (ignoring case), else it is known by its name.

**A payee** is one beneficiary of the payments: the same name (ignoring case and spacing), VAT number and
identifier. Payments whose payee's name was withheld (``redacted``) have no payee: they are never named,
matched or linked (``match_method`` ``redacted``).

**The rules**, tried in this order; the first that finds exactly one organisation decides, and
``match_method`` records which:

1. ``vat-number``: the payee's VAT number is an organisation's (organisations.csv), compared as its nine
   digits (``GB 123 4567 89``, ``123456789`` and the branch form ``GB123456789001`` are one number);
2. ``org-id``: the payee's other identifier (BeneficiaryOtherID) is an organisation identifier with a scheme
   (``GB-COH-01234567``) that an organisation has. A bare number is not taken for a company number: spend
   files put the council's own supplier numbers there;
3. ``exact-name``: the payee's name is one of an organisation's names, ignoring case and spacing;
4. ``normalised-name``: the two names are equal once normalised (:func:`normalise_name`: case and accents,
   ``&`` as "and", punctuation, and the words of :data:`DROPPED_WORDS` such as "Limited" and "The").

**The threshold is equality**: no similarity score, no partial names, no guess. A rule that finds two or
more organisations decides nothing (the next rule is tried); a payee that no rule matches to exactly one
organisation is ``unknown``, or ``ambiguous`` when a rule found several (``match_note`` names them).
Staff fix either in organisations.csv: a row with the payee's VAT number, or its name in ``other_names``.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

import pandas as pd

from . import model, orgid

VAT_NUMBER, ORG_ID, EXACT_NAME, NORMALISED_NAME = "vat-number", "org-id", "exact-name", "normalised-name"
RULES = (VAT_NUMBER, ORG_ID, EXACT_NAME, NORMALISED_NAME)
UNKNOWN, AMBIGUOUS, REDACTED = "unknown", "ambiguous", "redacted"
ORGANISATIONS, CONTRACTS, GRANTS = "organisations", "contracts", "grants"  # where an organisation is known from

# Words a name is compared without: legal forms and "the" (anywhere in the name), and "trading as".
DROPPED_WORDS = frozenset({"the", "limited", "ltd", "plc", "llp", "lp", "cic", "cio", "ta"})
# The same, written out in full (dropped before the words above)
DROPPED_PHRASES = (
    "public limited company",
    "limited liability partnership",
    "limited partnership",
    "community interest company",
    "charitable incorporated organisation",
    "trading as",
)

# The columns matching adds to each payment and payee: what the payee was matched to
MATCH_COLUMNS = (
    "match_method",  # one of RULES, or unknown, ambiguous, redacted
    "match_note",  # why a payee is ambiguous: the organisations it could be
    "org_key",  # the organisation: its identifier, or name:<normalised name> for one known by its name
    "org_id",
    "org_name",
    "org_source",  # organisations, contracts or grants: where the organisation is first known from
    "postcode",
    "size",
    "vcse",
    "local_respend_pct",
    "respend_survey_date",
    "supplier_slug",  # the organisation's page under /suppliers/ when it supplies a contract, else None
)
PAYEE_COLUMNS = (
    "payee_key",
    "name",
    "vat_number",
    "other_org_id",
    "payments",
    "total_gbp",
    "credit_notes",
    "first_payment",
    "last_payment",
    *MATCH_COLUMNS,
)
ORGANISATION_COLUMNS = (
    "org_key",
    "org_id",
    "name",
    "other_names",
    "ids",
    "vat_numbers",
    "postcode",
    "size",
    "vcse",
    "local_respend_pct",
    "respend_survey_date",
    "source",
    "supplier_slug",
)


# --- comparing names, VAT numbers and identifiers ------------------------------------------------------

_APOSTROPHES = re.compile(r"['\u2018\u2019`.]")
_TRADING_AS = re.compile(r"\bt\s*/\s*a\b")
_NOT_WORD = re.compile(r"[^0-9a-z]+")


@lru_cache(maxsize=1 << 16)
def exact_name(name: str) -> str:
    """A name as the exact-name rule compares it: lower case (casefolded), single spaces."""
    return " ".join(name.casefold().split())


@lru_cache(maxsize=1 << 16)
def normalise_name(name: str) -> str:
    """A name as the normalised-name rule compares it: ``The Sale Moor Community Partnership Ltd.`` ->
    ``sale moor community partnership``; ``Smith & Sons (Devon) Limited`` -> ``smith and sons devon``.

    Accents are dropped (é is e), ``&`` is "and", apostrophes and full stops are dropped (``St John's`` is
    ``st johns``), other punctuation separates words, and :data:`DROPPED_PHRASES` and :data:`DROPPED_WORDS`
    are left out wherever they are. '' for a name with nothing else.
    """
    text = unicodedata.normalize("NFKD", name)
    text = "".join(char for char in text if not unicodedata.combining(char)).casefold()
    text = _TRADING_AS.sub(" ", text.replace("&", " and "))
    text = " " + _NOT_WORD.sub(" ", _APOSTROPHES.sub("", text)) + " "
    for phrase in DROPPED_PHRASES:
        text = text.replace(f" {phrase} ", " ")
    return " ".join(word for word in text.split() if word not in DROPPED_WORDS)


_VAT_SPACING = re.compile(r"[\s.\-]+")
_VAT_FORMS = re.compile(r"(?:GB|XI)?(?P<number>\d{9})(?:\d{3})?|(?:GB)?(?P<government>(?:GD|HA)\d{3})")


@lru_cache(maxsize=1 << 14)
def vat_key(text: str) -> str | None:
    """A VAT number as compared: its nine digits (``GB 123 4567 89`` -> ``123456789``; a branch's
    ``GB123456789001`` -> ``123456789``), or GD/HA and three digits for government departments and health
    authorities; None for text that is not a UK VAT number (``NA``, ``GB0128940791``)."""
    found = _VAT_FORMS.fullmatch(_VAT_SPACING.sub("", text.upper()))
    if not found:
        return None
    return found.group("number") or found.group("government")


def org_id_of(text) -> str | None:
    """An identifier an organisation can be known by (svportal.orgid), in its usual form; else None."""
    if not isinstance(text, str) or not text:
        return None
    return orgid.check(text).identifier


def _text(value) -> str | None:
    """A cell as text, or None when it is blank (None, NaN, '')."""
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return None
    return str(value) if str(value) else None


def _value(value):
    """A cell as a plain value (None for NaN, NaT and NA)."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float) and value != value:
        return None
    if hasattr(value, "item") and not isinstance(value, pd.Timestamp):
        return value.item()
    return value


# --- the organisations the portal knows ------------------------------------------------------------------


@dataclass
class Organisation:
    key: str
    org_id: str | None
    name: str
    source: str
    names: list[str] = field(default_factory=list)  # every name, the first its own
    ids: list[str] = field(default_factory=list)
    vat_numbers: list[str] = field(default_factory=list)  # as vat_key compares them
    postcode: str | None = None
    size: str | None = None
    vcse: bool | None = None
    local_respend_pct: float | None = None
    respend_survey_date: pd.Timestamp | None = None
    supplier_slug: str | None = None

    def add_name(self, name: str | None) -> None:
        if name and exact_name(name) not in {exact_name(n) for n in self.names}:
            self.names.append(name)

    def fill(self, **values) -> None:
        """Take each value this organisation does not have yet (what an earlier source says is kept)."""
        for attribute, value in values.items():
            if getattr(self, attribute) is None and value is not None:
                setattr(self, attribute, value)


class Registry:
    """The organisations the portal knows, and the indexes the rules look payees up in."""

    def __init__(self) -> None:
        self.organisations: dict[str, Organisation] = {}
        self.by_id: dict[str, str] = {}
        self.staff_names: dict[str, set[str]] = {}  # each name organisations.csv gives (exact_name) -> its rows

    def add(self, org_id: str | None, name: str, source: str) -> Organisation:
        """The organisation with this identifier (or, with none, this name), made if it is not known yet."""
        key = self.by_id.get(org_id, org_id) if org_id else self.name_key(name)
        found = self.organisations.get(key)
        if found is None:
            found = Organisation(key, org_id, name, source, names=[name])
            self.organisations[key] = found
        else:
            found.add_name(name)
        self.add_id(found, org_id)
        return found

    def add_id(self, organisation: Organisation, org_id: str | None) -> None:
        if org_id and org_id not in self.by_id:
            self.by_id[org_id] = organisation.key
            if org_id not in organisation.ids:
                organisation.ids.append(org_id)

    @staticmethod
    def name_key(name: str) -> str:
        return f"name:{normalise_name(name) or exact_name(name)}"

    def index(self) -> Index:
        index = Index(self.by_id)
        for organisation in self.organisations.values():
            for vat in organisation.vat_numbers:
                index.by_vat.setdefault(vat, set()).add(organisation.key)
            for name in organisation.names:
                index.by_exact.setdefault(exact_name(name), set()).add(organisation.key)
                normal = normalise_name(name)
                if normal:
                    index.by_normal.setdefault(normal, set()).add(organisation.key)
        return index


@dataclass
class Index:
    by_id: dict[str, str]
    by_vat: dict[str, set[str]] = field(default_factory=dict)
    by_exact: dict[str, set[str]] = field(default_factory=dict)
    by_normal: dict[str, set[str]] = field(default_factory=dict)


def registry(tables: dict[str, pd.DataFrame]) -> Registry:
    """The organisations the portal knows, from the organisations table, contract suppliers and grant recipients."""
    found = Registry()
    staff = tables.get("organisations")
    if staff is not None and len(staff):
        _add_staff_organisations(found, staff)
    contracts = tables.get("contracts")
    if contracts is not None and len(contracts):
        _add_suppliers(found, model.supplier_parties(contracts, tables.get("contract_suppliers")))
    grants = tables.get("grants")
    if grants is not None and len(grants):
        _add_recipients(found, grants)
    return found


def _add_staff_organisations(found: Registry, staff: pd.DataFrame) -> None:
    for row in staff.to_dict("records"):
        name = _text(row.get("name"))
        if not name:
            continue
        organisation = found.add(org_id_of(row.get("org_id")), name, ORGANISATIONS)
        for other in row.get("other_names") or ():
            organisation.add_name(other)
        vat = vat_key(_text(row.get("vat_number")) or "")
        if vat and vat not in organisation.vat_numbers:
            organisation.vat_numbers.append(vat)
        organisation.fill(
            postcode=_text(row.get("postcode")),
            size=_text(row.get("size")),
            vcse=_value(row.get("vcse")),
            local_respend_pct=_value(row.get("local_respend_pct")),
            respend_survey_date=_value(row.get("respend_survey_date")),
        )
    for organisation in found.organisations.values():
        for name in organisation.names:
            found.staff_names.setdefault(exact_name(name), set()).add(organisation.key)


def _listed_by_staff(found: Registry, name: str) -> Organisation | None:
    """The one organisations.csv organisation that lists ``name`` among its names (ignoring case), if one does."""
    listed = found.staff_names.get(exact_name(name), ())
    return found.organisations[next(iter(listed))] if len(listed) == 1 else None


def _add_suppliers(found: Registry, parties: pd.DataFrame) -> None:
    parties = parties.sort_values(["recency", "contract_id"], ascending=False, na_position="last", kind="stable")
    for row in parties.to_dict("records"):
        name = _text(row.get("name"))
        if not name:
            continue
        org_id = org_id_of(row.get("org_id"))
        listed = None if org_id else _listed_by_staff(found, name)
        organisation = listed or found.add(org_id, name, CONTRACTS)
        organisation.add_name(name)
        organisation.fill(
            supplier_slug=_text(row.get("slug")),
            size=_text(row.get("supplier_size")),
            vcse=_value(row.get("supplier_vcse")),
        )


def _recipient_ids(row: dict) -> list[str]:
    """A grant recipient's identifiers: its own, and those of its charity and company numbers."""
    ids = [org_id_of(row.get("recipient_org_id"))]
    charity = _text(row.get("recipient_charity_number"))
    if charity:
        ids.append(org_id_of(f"GB-CHC-{charity.replace(' ', '')}"))
    company = _text(row.get("recipient_company_number"))
    if company:
        company = company.replace(" ", "").upper()
        ids.append(org_id_of(f"GB-COH-{company.zfill(8) if company.isdigit() else company}"))
    return list(dict.fromkeys(i for i in ids if i))


def _add_recipients(found: Registry, grants: pd.DataFrame) -> None:
    order = grants.sort_values("award_date", ascending=False, na_position="last", kind="stable")
    for row in order.to_dict("records"):
        name = _text(row.get("recipient_org_name"))
        if not name:
            continue
        ids = _recipient_ids(row)
        known = next((found.by_id[i] for i in ids if i in found.by_id), None)
        if known is not None:
            organisation = found.organisations[known]
            organisation.add_name(name)
        elif ids:
            organisation = found.add(ids[0], name, GRANTS)
        else:
            listed = _listed_by_staff(found, name)
            organisation = listed if listed else found.add(None, name, GRANTS)
            organisation.add_name(name)
        for other in ids:
            found.add_id(organisation, other)
        organisation.fill(postcode=_text(row.get("recipient_postcode")))


def known_organisations(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """One row per organisation the portal knows (:data:`ORGANISATION_COLUMNS`), in the order first known."""
    rows = [
        {
            "org_key": o.key,
            "org_id": o.org_id,
            "name": o.name,
            "other_names": tuple(o.names[1:]),
            "ids": tuple(o.ids),
            "vat_numbers": tuple(o.vat_numbers),
            "postcode": o.postcode,
            "size": o.size,
            "vcse": o.vcse,
            "local_respend_pct": o.local_respend_pct,
            "respend_survey_date": o.respend_survey_date,
            "source": o.source,
            "supplier_slug": o.supplier_slug,
        }
        for o in registry(tables).organisations.values()
    ]
    return pd.DataFrame(rows, columns=list(ORGANISATION_COLUMNS))


# --- matching -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Match:
    method: str
    key: str | None = None  # the organisation, when matched
    note: str | None = None


def match_payee(name: str | None, vat: str | None, other_id: str | None, index: Index, names: dict) -> Match:
    """Which organisation a payee is, by the first rule that finds exactly one (see the module docstring).

    ``names`` gives each organisation's name and identifier (for the note of an ambiguous payee).
    """
    tried: list[tuple[str, set[str]]] = [
        (VAT_NUMBER, index.by_vat.get(vat_key(vat), set()) if vat and vat_key(vat) else set()),
        (ORG_ID, {index.by_id[org_id_of(other_id)]} if org_id_of(other_id) in index.by_id else set()),
        (EXACT_NAME, index.by_exact.get(exact_name(name), set()) if name else set()),
        (NORMALISED_NAME, index.by_normal.get(normalise_name(name), set()) if name and normalise_name(name) else set()),
    ]
    ambiguous = None
    for rule, keys in tried:
        if len(keys) == 1:
            return Match(rule, next(iter(keys)))
        if len(keys) > 1 and ambiguous is None:
            ambiguous = (rule, keys)
    if ambiguous is None:
        return Match(UNKNOWN)
    rule, keys = ambiguous
    listed = sorted(names[key] for key in keys)
    what = {VAT_NUMBER: "its VAT number", ORG_ID: "its identifier"}.get(rule, "its name")
    return Match(AMBIGUOUS, note=f"{what} is that of {len(listed)} organisations: {'; '.join(listed)}")


def _payee_keys(payments: pd.DataFrame) -> pd.DataFrame:
    """The columns that tell payees apart, for each payment: its name, VAT number and identifier as written
    (``_name``, ``_vat``, ``_other_id``) and ``payee_key``, the three as compared (None for a payment whose
    payee is withheld)."""
    names = [_text(v) for v in payments["beneficiary_name"].tolist()]
    vats = [_text(v) for v in payments["vat_number"].tolist()]
    other_ids = [org_id_of(_text(v)) for v in payments["beneficiary_other_id"].tolist()]
    withheld = payments["redacted"].fillna(False).astype(bool).tolist()
    keys = [
        None
        if hidden
        else "\x1f".join(
            (
                exact_name(name) if name else "",
                (vat_key(vat) or " ".join(vat.upper().split())) if vat else "",
                other_id or "",
            )
        )
        for name, vat, other_id, hidden in zip(names, vats, other_ids, withheld)
    ]
    return pd.DataFrame(
        {"payee_key": keys, "_name": names, "_vat": vats, "_other_id": other_ids}, index=payments.index, dtype=object
    )


def match(tables: dict[str, pd.DataFrame]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(the payments with their payee and what it was matched to; one row per payee, :data:`PAYEE_COLUMNS`).

    The payments keep their own columns and order, and gain ``payee_key`` and :data:`MATCH_COLUMNS` (a
    payment whose payee is withheld has no payee_key, ``match_method`` ``redacted`` and nothing else).
    Payees are sorted by total paid (largest first), then name.
    """
    payments = tables.get("payments")
    if payments is None:
        payments = pd.DataFrame(columns=["beneficiary_name", "vat_number", "beneficiary_other_id", "redacted"])
    found = registry(tables)
    index = found.index()
    labels = {key: f"{o.name} ({o.org_id})" if o.org_id else o.name for key, o in found.organisations.items()}
    keys = _payee_keys(payments)
    frame = pd.concat([payments[["amount_gbp", "payment_date"]] if len(payments) else _no_amounts(), keys], axis=1)
    named = frame[frame["payee_key"].notna()]
    grouped = named.groupby("payee_key", sort=False)
    payees = grouped.agg(
        name=("_name", "first"),
        vat_number=("_vat", "first"),
        other_org_id=("_other_id", "first"),
        payments=("payee_key", "size"),
        total_gbp=("amount_gbp", "sum"),
        credit_notes=("amount_gbp", lambda a: int((a < 0).sum())),
        first_payment=("payment_date", "min"),
        last_payment=("payment_date", "max"),
    ).reset_index()
    matches = [
        match_payee(_text(row["name"]), _text(row["vat_number"]), _text(row["other_org_id"]), index, labels)
        for row in payees[["name", "vat_number", "other_org_id"]].to_dict("records")
    ]
    details = pd.DataFrame([_details(m, found) for m in matches], columns=list(MATCH_COLUMNS), index=payees.index)
    payees = pd.concat([payees, details], axis=1)
    payees["total_gbp"] = payees["total_gbp"].round(2)  # whole pence: sums of floats leave crumbs
    payees["_sort"] = payees["name"].fillna("").str.casefold()
    payees = payees.sort_values(["total_gbp", "_sort", "payee_key"], ascending=[False, True, True], kind="stable")
    payees = payees.drop(columns="_sort").reset_index(drop=True)[list(PAYEE_COLUMNS)]
    matched = payments.copy()
    matched["payee_key"] = keys["payee_key"]
    by_key = payees.set_index("payee_key")[list(MATCH_COLUMNS)]
    for column in MATCH_COLUMNS:
        matched[column] = matched["payee_key"].map(by_key[column]) if len(by_key) else None
    matched.loc[matched["payee_key"].isna(), "match_method"] = REDACTED
    return matched, payees


def _no_amounts() -> pd.DataFrame:
    return pd.DataFrame({"amount_gbp": pd.Series(dtype="float64"), "payment_date": pd.Series(dtype="datetime64[ns]")})


def _details(found: Match, known: Registry) -> dict:
    """The match columns of one payee."""
    empty = dict.fromkeys(MATCH_COLUMNS)
    if found.key is None:
        return {**empty, "match_method": found.method, "match_note": found.note}
    o = known.organisations[found.key]
    return {
        **empty,
        "match_method": found.method,
        "org_key": o.key,
        "org_id": o.org_id,
        "org_name": o.name,
        "org_source": o.source,
        "postcode": o.postcode,
        "size": o.size,
        "vcse": o.vcse,
        "local_respend_pct": o.local_respend_pct,
        "respend_survey_date": o.respend_survey_date,
        "supplier_slug": o.supplier_slug,
    }
