"""A compiled release's opportunity: one row per process that was announced or put out to tender, and its lots.

Its id is the ocid: the stage from ``tender.status`` (a status outside the codelist: a best guess, with a
warning), the closing date and time, the value range, the suitability for SMEs and VCSEs (the UK
extension), the CPV codes, the buyer's contact email, the market engagement event, the notice link; the
lots when there is more than one.
"""

from __future__ import annotations

from .ocds_fields import NOTICES, document_link, first_text
from .ocds_parties import Organisation
from .ocds_record import Record
from .ocds_values import boolean, day, email, moment, pounds, text

TITLE_MAX, TEXT_MAX, CODE_MAX = 300, 20000, 100
OPPORTUNITY_COLUMNS = (
    "opportunity_id",
    "title",
    "description",
    "buyer_name",
    "buyer_id",
    "stage",
    "route",
    "cpv_codes",
    "value_min_gbp",
    "value_max_gbp",
    "suitable_for_vcse",
    "suitable_for_sme",
    "published_date",
    "closing_date",
    "expected_start",
    "event_title",
    "event_date",
    "contact_email",
    "notice_url",
    "ocid",
)


LOT_COLUMNS = (
    "opportunity_id",
    "lot_id",
    "title",
    "description",
    "value_max_gbp",
    "suitable_for_vcse",
    "suitable_for_sme",
)


# tender.status -> opportunities.stage
STAGES = {
    "planning": "pipeline",
    "planned": "pipeline",
    "active": "open",
    "complete": "awarded",
    "cancelled": "cancelled",
    "unsuccessful": "unsuccessful",
    "withdrawn": "withdrawn",
}


# The releases of a process that make it an opportunity: it was announced (planning) or put out to tender
ADVERTISED = frozenset(
    {"planning", "planningUpdate", "tender", "tenderAmendment", "tenderUpdate", "tenderCancellation"}
)


ADVERTISED_STATUSES = ("planning", "planned", "active")  # for a compiled release, whose release tags are unknown


def is_opportunity(rec: Record, tags: frozenset[str] | None, known: bool) -> bool:
    if not isinstance(rec.get("tender", use=False), dict) and not isinstance(rec.get("planning", use=False), dict):
        return False
    if known:
        return True
    if tags is not None:
        return bool(tags & ADVERTISED)
    return rec.get("tender", "status", use=False) in ADVERTISED_STATUSES


def opportunity_row(rec: Record, buyer: Organisation, route: str, cpvs: list[str], awarded: bool, known_title: str):
    """(opportunities row, None) or (None, why there is none)."""
    title = first_text(rec, [("tender", "title"), ("title",)], TITLE_MAX) or known_title
    if not title:
        return None, "the tender has no title: no opportunity"
    stage = stage_of(rec, awarded)
    closing = moment(rec, ("tender", "tenderPeriod", "endDate"))
    if stage == "open" and not closing:
        return None, "the tender is open but has no closing date (tenderPeriod.endDate): no opportunity"
    low, high = pounds(rec, ("tender", "minValue")), pounds(rec, ("tender", "value"))
    if low and high and float(low) > float(high):
        rec.warn(("tender", "minValue"), f"the lower value {low} is above the upper value {high}: left out")
        rec.lose(("tender", "minValue"), rec.get("tender", "minValue", use=False), "a lower value above the upper one")
        low = ""
    event = engagement(rec)
    contact = ""
    if buyer.party is not None:
        contact = email(rec, ("parties", buyer.party, "contactPoint", "email"))
    elif isinstance(rec.get("buyer", "contactPoint", use=False), dict):
        contact = email(rec, ("buyer", "contactPoint", "email"))
    notice = document_link(rec, ("tender", "documents"), NOTICES["tender"]) or document_link(
        rec, ("planning", "documents"), NOTICES["planning"]
    )
    published = day(rec, ("tender", "datePublished")) or notice_date(rec)
    row = {
        "opportunity_id": rec.ocid,
        "title": title,
        "description": first_text(rec, [("tender", "description"), ("description",)], TEXT_MAX, True),
        "buyer_name": buyer.name,
        "buyer_id": buyer.org_id,
        "stage": stage,
        "route": route,
        "cpv_codes": ";".join(dict.fromkeys(cpvs)),
        "value_min_gbp": low,
        "value_max_gbp": high,
        "suitable_for_vcse": boolean(rec, ("tender", "suitability", "vcse")),
        "suitable_for_sme": boolean(rec, ("tender", "suitability", "sme")),
        "published_date": published,
        "closing_date": closing,
        "expected_start": day(rec, ("tender", "contractPeriod", "startDate")),
        "event_title": event[0],
        "event_date": event[1],
        "contact_email": contact,
        "notice_url": notice,
        "ocid": rec.ocid,
    }
    return row, None


def stage_of(rec: Record, awarded: bool) -> str:
    """The opportunity's stage from tender.status; a status outside the codelist: a best guess, with a warning."""
    status = rec.get("tender", "status")
    has_tender = isinstance(rec.get("tender", use=False), dict)
    if status is None:
        guess = "awarded" if awarded else ("open" if rec.get("tender", "tenderPeriod", use=False) else "pipeline")
        if has_tender:
            rec.warn(("tender", "status"), f"the tender has no status: taken as {guess}")
        return guess
    stage = STAGES.get(str(status).strip())
    if stage is None:
        stage = STAGES.get(str(status).strip().lower())
        if stage is None:
            stage = "awarded" if awarded else ("open" if rec.get("tender", "tenderPeriod", use=False) else "pipeline")
        rec.warn(
            ("tender", "status"), f"'{status}' is not a status of the OCDS tenderStatus codelist: taken as {stage}"
        )
        rec.lose(("tender", "status"), status, f"a status outside the codelist, shown as {stage}")
        return stage
    if stage in ("pipeline", "open") and awarded:
        rec.warn(
            ("tender", "status"), f"the tender is '{status}' but the process has a contract in force: taken as awarded"
        )
        return "awarded"
    return stage


def engagement(rec: Record) -> tuple[str, str]:
    """The first market-engagement milestone of the planning stage: (its title, its date)."""
    for number, milestone in rec.items("planning", "milestones"):
        if milestone.get("type") == "engagement":
            path = ("planning", "milestones", number)
            title = text(rec, (*path, "title"), TITLE_MAX) or text(rec, (*path, "description"), TITLE_MAX)
            when = day(rec, (*path, "dueDate")) or day(rec, (*path, "dateMet"))
            if title or when:
                rec.use(*path, "type")
                rec.use(*path, "id")
                return title or "Market engagement", when
    return "", ""


def notice_date(rec: Record) -> str:
    """When the tender notice was published, from its document (Contracts Finder gives it there)."""
    for path in (("tender", "documents"), ("planning", "documents")):
        for number, document in rec.items(*path):
            if document.get("documentType") in NOTICES[path[0]] and document.get("datePublished"):
                return day(rec, (*path, number, "datePublished"))
    return ""


def lot_rows(rec: Record, opportunity_id: str) -> list[dict]:
    lots = rec.items("tender", "lots")
    if len(lots) < 2:
        return []
    rows, seen = [], set()
    for number, lot in lots:
        path = ("tender", "lots", number)
        lot_id = text(rec, (*path, "id"), CODE_MAX)
        if not lot_id or lot_id in seen:
            rec.lose(path, lot, "a lot without an id of its own")
            continue
        seen.add(lot_id)
        title = text(rec, (*path, "title"), TITLE_MAX)
        if not title:
            title = f"Lot {lot_id}"
            rec.warn((*path, "title"), f"the lot has no title: shown as '{title}'")
        rows.append(
            {
                "opportunity_id": opportunity_id,
                "lot_id": lot_id,
                "title": title,
                "description": text(rec, (*path, "description"), TEXT_MAX, multiline=True),
                "value_max_gbp": pounds(rec, (*path, "value")),
                "suitable_for_vcse": boolean(rec, (*path, "suitability", "vcse")),
                "suitable_for_sme": boolean(rec, (*path, "suitability", "sme")),
            }
        )
    return rows
