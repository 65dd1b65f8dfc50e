"""A compiled release's contracts: one row per contract of ``contracts[]``, and one per award that no contract
comes from.

An award or contract that is not in force (pending, cancelled, unsuccessful) is skipped with the reason,
and so is one without what a contract row needs (a title, a supplier, a value in pounds, a start date). Its
id is the award's or contract's, after the ocid when it does not already start with it (OCDS ids of awards
are only unique within their process: Find a Tender's are 1, 2...). With more than one supplier (a joint
award), every supplier is also a row of contract_suppliers: the first is the lead, the others consortium
members.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..parse import slugify
from .ocds_fields import NOTICES, document_link, first_text, item_cpvs
from .ocds_parties import Organisation, organisation, supplier_identity
from .ocds_record import Record
from .ocds_values import codes, day, pounds

ID_MAX, TITLE_MAX, TEXT_MAX = 100, 300, 20000
CONTRACT_COLUMNS = (
    "contract_id",
    "title",
    "description",
    "buyer_name",
    "buyer_id",
    "supplier_name",
    "supplier_id",
    "supplier_size",
    "supplier_vcse",
    "procurement_route",
    "start_date",
    "end_date",
    "value_gbp",
    "cpv_code",
    "ocid",
    "notice_url",
    "last_updated",
)


SUPPLIER_COLUMNS = ("contract_id", "supplier_id", "supplier_name", "role", "supplier_size", "supplier_vcse")


IN_FORCE = {"awards": ("active",), "contracts": ("active", "terminated")}


@dataclass(frozen=True)
class Unit:
    """What one contract row comes from: a contract of contracts[] and its award, or an award alone."""

    contract: int | None
    award: int | None


def contract_units(rec: Record) -> list[Unit]:
    awards = {str(award.get("id")): number for number, award in rec.items("awards") if award.get("id") is not None}
    units, covered = [], set()
    for number, contract in rec.items("contracts"):
        award = awards.get(str(contract.get("awardID"))) if contract.get("awardID") is not None else None
        if award is not None:
            covered.add(award)
            rec.use("contracts", number, "awardID")
            rec.use("awards", award, "id")  # the link between the two
        units.append(Unit(number, award))
    units += [Unit(None, number) for number, _ in rec.items("awards") if number not in covered]
    return units


def contract_row(rec: Record, unit: Unit, buyer: Organisation, parties, route: str, cpvs: list[str], known_title: str):
    """(contract row, contract_suppliers rows, None) or (None, [], why it was skipped)."""
    own = ("contracts", unit.contract) if unit.contract is not None else ("awards", unit.award)
    award = ("awards", unit.award) if unit.award is not None else None
    raw_id = rec.get(*own, "id")
    label = f"{own[0][:-1]} {raw_id if raw_id is not None else own[1] + 1}"
    status = rec.get(*own, "status")
    if status is not None and status not in IN_FORCE[own[0]]:
        known = status in codes("awardStatus.csv" if own[0] == "awards" else "contractStatus.csv")
        if known:
            return None, [], f"{label} is {status}, not in force: not a contract to show"
        rec.warn((*own, "status"), f"'{status}' is not a status of the OCDS codelist: imported as in force")
    contract_id = contract_id_of(rec.ocid, raw_id)
    if not contract_id:
        return None, [], f"{label} has no id (or one over {ID_MAX} characters with the ocid before it)"
    sources = [own, award] if award and award != own else [own]
    title = first_text(rec, [(*p, "title") for p in sources] + [("tender", "title"), ("title",)], TITLE_MAX)
    title = title or known_title
    if not title:
        return None, [], f"{label} has no title (nor has its tender)"
    suppliers = suppliers_of(rec, award, parties)
    if not suppliers:
        return None, [], f"{label} has no supplier"
    value = pounds(rec, (*own, "value")) or (pounds(rec, (*award, "value")) if award and award != own else "")
    if not value:
        currency = rec.get(*own, "value", "currency", use=False)
        if isinstance(currency, str) and currency.strip().upper() in codes("currency.csv") and currency != "GBP":
            return None, [], f"{label} has its value in {currency.strip().upper()}, not pounds"
        return None, [], f"{label} has no value in pounds"
    periods = list(
        dict.fromkeys([(*own, "period"), (*own, "contractPeriod")] + ([(*award, "contractPeriod")] if award else []))
    )
    start = next((found for path in periods if (found := day(rec, (*path, "startDate")))), "")
    if not start:
        return None, [], f"{label} has no start date (contract period)"
    end, ends = "", None
    for path in periods:
        end = day(rec, (*path, "endDate"))
        if end:
            ends = (*path, "endDate")
            break
    if end and end < start:
        rec.warn(ends, f"ends ({end}) before it starts ({start}): the end date is left out")
        rec.lose(ends, rec.get(*ends, use=False), "an end date before the start date")
        end = ""
    lead = suppliers[0]
    size, vcse = supplier_identity(rec, lead)
    description = first_text(rec, [(*p, "description") for p in sources] + [("tender", "description")], TEXT_MAX, True)
    codes_here = [code for path in sources for code in item_cpvs(rec, (*path, "items"))] + cpvs
    row = {
        "contract_id": contract_id,
        "title": title,
        "description": description,
        "buyer_name": buyer.name,
        "buyer_id": buyer.org_id,
        "supplier_name": lead.name,
        "supplier_id": lead.org_id,
        "supplier_size": size,
        "supplier_vcse": vcse,
        "procurement_route": route,
        "start_date": start,
        "end_date": end,
        "value_gbp": value,
        "cpv_code": codes_here[0] if codes_here else "",
        "ocid": rec.ocid,
        "notice_url": notice_of(rec, sources),
        "last_updated": day(rec, ("date",)),
    }
    joint = []
    if len(suppliers) > 1:
        for number, supplier in enumerate(suppliers):
            size, vcse = supplier_identity(rec, supplier) if number else (row["supplier_size"], row["supplier_vcse"])
            joint.append(
                {
                    "contract_id": contract_id,
                    "supplier_id": supplier.org_id,
                    "supplier_name": supplier.name,
                    "role": "lead" if number == 0 else "consortium-member",
                    "supplier_size": size,
                    "supplier_vcse": vcse,
                }
            )
    return row, joint, None


def contract_id_of(ocid: str, raw) -> str:
    if raw is None or isinstance(raw, bool) or not str(raw).strip():
        return ""
    found = " ".join(str(raw).split())
    if not found.startswith(ocid):
        found = f"{ocid}-{found}"
    return found if len(found) <= ID_MAX else ""


def suppliers_of(rec: Record, award, parties) -> list[Organisation]:
    """The award's suppliers, each once (by identifier, else by name), in the award's order."""
    if award is None:
        return []
    found, seen = [], set()
    for number, _ in rec.items(*award, "suppliers"):
        supplier = organisation(rec, (*award, "suppliers", number), parties)
        if supplier is None:
            continue
        key = supplier.org_id.upper() or _name_key(supplier.name)
        if key not in seen:
            seen.add(key)
            found.append(supplier)
    return found


def notice_of(rec: Record, sources) -> str:
    """The link of the notice of an award or a contract (its award notice, else its contract notice)."""
    for path in sources:
        url = document_link(rec, (*path, "documents"), NOTICES[path[0]])
        if url:
            return url
    return ""


def _name_key(name: str) -> str:
    return slugify(name)
