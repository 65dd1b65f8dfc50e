"""A compiled release as rows of the data contract: contracts, their suppliers, an opportunity and its lots.

:func:`map_release` reads the buyer (ocds_parties.py) and what contracts and opportunities share (how it
was let, the CPV codes: ocds_fields.py), then makes the contract rows (ocds_contracts.py) and the
opportunity row (ocds_opportunities.py). Every value read has a home, or is reported
(:class:`~.ocds_record.Record`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .ocds_contracts import CONTRACT_COLUMNS, SUPPLIER_COLUMNS, contract_row, contract_units
from .ocds_fields import route_of, tender_cpvs
from .ocds_opportunities import LOT_COLUMNS, OPPORTUNITY_COLUMNS, is_opportunity, lot_rows, opportunity_row
from .ocds_parties import Organisation, buyer_of, party_positions
from .ocds_record import Record
from .ocds_values import codes

__all__ = ["CONTRACT_COLUMNS", "LOT_COLUMNS", "OPPORTUNITY_COLUMNS", "SUPPLIER_COLUMNS", "Mapped", "map_release"]


@dataclass
class Mapped:
    """The rows of one compiled release, and why anything of it was not imported."""

    contracts: list[dict] = field(default_factory=list)
    suppliers: list[dict] = field(default_factory=list)
    opportunity: dict | None = None
    lots: list[dict] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    buyer: Organisation | None = None


def map_release(rec: Record, tags: frozenset[str] | None = None, known_opportunity: str | None = None) -> Mapped:
    """The rows of ``rec``'s compiled release (see the module docstring).

    ``tags``: the tags of the releases compiled (None when unknown). A process is an opportunity when one of
    its releases announced it or put it out to tender (``ADVERTISED``), when its tender status says it is
    still to come or open (tags unknown), or when it is already an opportunity in the data
    (``known_opportunity``: its title there; its stage is brought up to date, and a later notice that does
    not repeat the title keeps it, for the opportunity and for its contracts). A process known only from
    its award notice is a contract, not an opportunity anyone could have bid for.
    """
    for path in (("ocid",), ("id",), ("date",), ("tag",)):
        rec.use(*path)
    if rec.get("initiationType", use=False) == "tender":
        rec.use("initiationType")  # the only code there is: nothing to show
    if rec.get("language", use=False) == "en":
        rec.use("language")  # the portal is in English
    mapped = Mapped()
    parties = party_positions(rec)
    buyer = buyer_of(rec, parties)
    mapped.buyer = buyer
    if buyer is None:
        mapped.skipped.append("no buyer (neither 'buyer' nor a party with the role buyer has a name)")
        return mapped
    route = route_of(rec)
    cpvs = tender_cpvs(rec)
    for unit in contract_units(rec):
        row, suppliers, why = contract_row(rec, unit, buyer, parties, route, cpvs, known_opportunity or "")
        if row is None:
            mapped.skipped.append(why)
            continue
        mapped.contracts.append(row)
        mapped.suppliers += suppliers
    if is_opportunity(rec, tags, known_opportunity is not None):
        opportunity, why = opportunity_row(rec, buyer, route, cpvs, bool(mapped.contracts), known_opportunity or "")
        if opportunity is None:
            mapped.skipped.append(why)
        else:
            mapped.opportunity = opportunity
            mapped.lots = lot_rows(rec, opportunity["opportunity_id"])
    status = rec.get("tender", "status", use=False)
    if mapped.opportunity is None and status is not None and str(status).strip() not in codes("tenderStatus.csv"):
        rec.warn(("tender", "status"), f"'{status}' is not a status of the OCDS tenderStatus codelist")
        rec.lose(("tender", "status"), status, "a status outside the codelist")
    if not mapped.contracts and mapped.opportunity is None and not mapped.skipped:
        mapped.skipped.append("neither an award, a contract nor a tender: nothing the portal shows")
    return mapped
