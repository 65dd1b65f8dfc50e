"""The organisations of a compiled release: its buyer, and the suppliers of its awards.

An OrganizationReference (``buyer``, ``awards[].suppliers[]``) names a party of ``parties[]`` by its id; the
party gives the name, the organisation identifier (its ``identifier``'s scheme and id, else its own id when
that is an org-id such as ``GB-CFS-123209`` or ``GB-PPON-PABC-1234-WXYZ``) and, in the UK extensions, the
size (``details.scale``) and VCSE status (``details.vcse``). OCDS 1.0 has no parties: the buyer and the
suppliers are whole organisations, with their identifier.
"""

from __future__ import annotations

from dataclasses import dataclass

from .ocds_record import Record
from .ocds_values import boolean, org_id, text

NAME_MAX = 300

SCALES = {"sme": "sme", "micro": "sme", "small": "sme", "medium": "sme", "large": "large"}


@dataclass(frozen=True)
class Organisation:
    name: str
    org_id: str
    party: int | None  # its position in parties[], if any


def party_positions(rec: Record) -> dict[str, int]:
    """The position in parties[] of each party id."""
    found: dict[str, int] = {}
    for number, party in rec.items("parties"):
        if party.get("id") is not None:
            found.setdefault(str(party["id"]), number)
    return found


def organisation(rec: Record, path, parties: dict[str, int]) -> Organisation | None:
    """The organisation an OrganizationReference (or, in OCDS 1.0, an Organization) at ``path`` names."""
    reference = rec.get(*path, use=False)
    if not isinstance(reference, dict):
        return None
    party = parties.get(str(reference.get("id"))) if reference.get("id") is not None else None
    name = text(rec, (*path, "name"), NAME_MAX)
    if party is not None:
        rec.use(*path, "id")
        rec.use("parties", party, "roles")
        party_name = text(rec, ("parties", party, "name"), NAME_MAX)
        name = name or party_name or text(rec, ("parties", party, "identifier", "legalName"), NAME_MAX)
        identifier = org_id(rec, ("parties", party))
    else:
        name = name or text(rec, (*path, "identifier", "legalName"), NAME_MAX)
        identifier = org_id(rec, path)
    if party is not None and rec.get("parties", party, "identifier", "legalName", use=False) == name:
        rec.use("parties", party, "identifier", "legalName")
    if rec.get(*path, "identifier", "legalName", use=False) == name:
        rec.use(*path, "identifier", "legalName")
    if not name:
        return None
    return Organisation(name, identifier, party)


def buyer_of(rec: Record, parties: dict[str, int]) -> Organisation | None:
    buyer = organisation(rec, ("buyer",), parties)
    if buyer is not None:
        return buyer
    for number, party in rec.items("parties"):
        roles = party.get("roles")
        if isinstance(roles, list) and "buyer" in roles:
            rec.use("parties", number, "roles")
            found = organisation(rec, ("parties", number), {})
            if found is not None:
                return Organisation(found.name, found.org_id, number)
    return None


def supplier_identity(rec: Record, supplier: Organisation) -> tuple[str, str]:
    """(supplier_size, supplier_vcse) from the party's details (UK extensions)."""
    if supplier.party is None:
        return "", ""
    path = ("parties", supplier.party, "details")
    size = ""
    scale = rec.get(*path, "scale", use=False)
    if scale is not None:
        size = SCALES.get(str(scale).strip().lower(), "")
        if size:
            rec.use(*path, "scale")
        else:
            rec.warn((*path, "scale"), f"'{scale}' is not a size the portal knows (sme, micro, small, medium, large)")
            rec.lose((*path, "scale"), scale, "an unknown organisation size")
    return size, boolean(rec, (*path, "vcse"))
