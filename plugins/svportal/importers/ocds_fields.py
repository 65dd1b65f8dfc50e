"""What contracts and opportunities both take from a compiled release: how it was let, CPV codes, notices.

Each function reads through a :class:`~.ocds_record.Record`, so what it reads has a home and what it cannot
use is reported.
"""

from __future__ import annotations

import re
from functools import lru_cache

from .ocds_record import Record
from .ocds_values import cpv, fit_text, link, text

# procurementMethodDetails as Contracts Finder and Find a Tender write it -> the contract's route codes.
# The first pattern found in the text wins, so the more particular ones come first.
ROUTES = (
    (r"dynamic purchasing", "dps"),
    (r"dynamic market", "dynamic-market"),
    (r"call[- ]?off|mini[- ]?competition", "call-off"),
    (r"framework", "framework"),
    (r"competitive flexible", "competitive-flexible"),
    (r"competitive dialogue", "competitive-dialogue"),
    (r"innovation partnership", "innovation-partnership"),
    (r"without (?:prior )?(?:publication|a call|competition)", "negotiated-without-publication"),
    (r"negotiat", "negotiated-with-publication"),
    (r"restricted", "restricted"),
    (r"\bopen\b", "open"),
    (r"quot", "quote"),
    (r"single tender|direct award|\bdirect\b", "direct"),
    (r"\blimited\b", "limited"),
    (r"\bselective\b", "selective"),
    (r"^other\b", "other"),
)


METHODS = {"open": "open", "selective": "selective", "limited": "limited", "direct": "direct"}


NOT_GIVEN = ("not specified", "not applicable", "unknown", "")


NOTICES = {
    "contracts": ("contractNotice", "awardNotice", "contractSigned"),
    "awards": ("awardNotice", "contractNotice"),
    "tender": ("tenderNotice",),
    "planning": ("plannedProcurementNotice", "marketEngagementNotice", "procurementPlan"),
}


def route_of(rec: Record) -> str:
    """procurement_route (and route) from procurementMethodDetails, else procurementMethod."""
    details = rec.get("tender", "procurementMethodDetails", use=False)
    method = rec.get("tender", "procurementMethod", use=False)
    if details is None and method is None:
        return ""
    by_details = route_code(details) if isinstance(details, str) else None
    if by_details:
        rec.use("tender", "procurementMethodDetails")
        if method is not None:
            rec.use("tender", "procurementMethod")
        return by_details
    by_method = METHODS.get(method.strip().lower()) if isinstance(method, str) else None
    if by_method:
        rec.use("tender", "procurementMethod")
        if details is not None:
            why = "says no procedure" if by_details == "" else f"not a procedure the portal knows: shown as {by_method}"
            rec.lose(("tender", "procurementMethodDetails"), details, why)
        return by_method
    if by_details == "":
        rec.lose(("tender", "procurementMethodDetails"), details, "says no procedure")
        if method is not None:
            rec.lose(("tender", "procurementMethod"), method, "not a method of the OCDS codelist")
        return ""
    shown = details if details is not None else method
    rec.warn(("tender", "procurementMethodDetails"), f"'{shown}' is not a procedure the portal knows: shown as other")
    rec.lose(("tender", "procurementMethodDetails"), shown, "an unknown procedure, shown as other")
    if method is not None:
        rec.use("tender", "procurementMethod")
    return "other"


_ROUTES = tuple((re.compile(pattern), code) for pattern, code in ROUTES)


@lru_cache(maxsize=4096)
def route_code(details: str) -> str | None:
    """The route code procurementMethodDetails names; '' when it says there is none; None when it names none
    the portal knows."""
    words = " ".join(details.lower().split())
    for pattern, code in _ROUTES:
        if pattern.search(words):
            return code
    return "" if words.strip(" -") in NOT_GIVEN else None


def tender_cpvs(rec: Record) -> list[str]:
    """The CPV codes of the tender: its classification, its additional ones, then its items' (8 digits each)."""
    found = []
    if rec.get("tender", "classification", use=False) is not None:
        found.append(cpv(rec, ("tender", "classification")))
    for number, _ in rec.items("tender", "additionalClassifications"):
        found.append(cpv(rec, ("tender", "additionalClassifications", number)))
    found += item_cpvs(rec, ("tender", "items"))
    return [code for code in dict.fromkeys(found) if code]


def item_cpvs(rec: Record, path) -> list[str]:
    """The CPV codes of a list of items (OCDS 1.0 gives them only there; ``xClassifications`` as well)."""
    found = []
    for number, item in rec.items(*path):
        codes_here = []
        if item.get("classification") is not None:
            codes_here.append(cpv(rec, (*path, number, "classification")))
        for key in ("additionalClassifications", "xClassifications"):
            for inner, _ in rec.items(*path, number, key):
                codes_here.append(cpv(rec, (*path, number, key, inner)))
        if any(codes_here):
            rec.use(*path, number, "id")  # an item's id only tells items apart
        found += codes_here
    return [code for code in found if code]


def document_link(rec: Record, path, types: tuple[str, ...]) -> str:
    """The link of the latest document of the first of ``types`` there is (a notice published again is
    added after the first one)."""
    for wanted in types:
        for number, document in reversed(rec.items(*path)):
            if document.get("documentType") == wanted and document.get("url") is not None:
                url = link(rec, (*path, number, "url"))
                if url:
                    rec.use(*path, number)  # the notice is the link: its title, format and dates go with it
                    return url
    return ""


def first_text(rec: Record, paths, limit: int, multiline: bool = False) -> str:
    """The first of ``paths`` with text; the others that say the same are noted as shown too."""
    chosen = ""
    for path in paths:
        value = rec.get(*path, use=False)
        if value is None or (isinstance(value, str) and not value.strip()):
            continue
        if not chosen:
            chosen = text(rec, path, limit, multiline=multiline)
        elif (
            isinstance(value, str) and fit_text(Record(rec.ocid, {}), path, value, limit, multiline=multiline) == chosen
        ):
            rec.use(*path)
    return chosen
