"""Organisation identifiers: ``SCHEME-ID``, such as ``GB-COH-01234567``, with the schemes of org-id.guide.

The schemes are the org-id.guide register, shipped with the code in ``reference/org-id-schemes.json``
(Open Database License 1.0: see ``reference/SOURCE.txt``). :func:`check` reads one identifier as a
publisher wrote it and says what it is:

* an identifier to use (``identifier``: the scheme in capitals, and for the UK schemes below the id
  in its usual form): its scheme is in the register, or is one of the few schemes used in UK
  procurement and grants that the register does not list (``NOT_REGISTERED``, a warning), or is a
  scheme the register does not know (a warning);
* no scheme at all (``01234567``): nothing to use, a warning; the organisation is known by its name;
* malformed (an error): characters an identifier cannot hold (``a;b``), a scheme with no id, or an
  id of the wrong shape for its scheme (``SHAPES``: GB-COH numbers have 8 characters...).

Pure and cached: the register is read once, and each different value is checked once.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

REGISTER = Path(__file__).parent / "reference" / "org-id-schemes.json"
REGISTER_URL = "https://org-id.guide"
LICENCE_NAME = "Open Database License (ODbL) 1.0"
LICENCE_URL = "https://opendatacommons.org/licenses/odbl/1-0/"
ATTRIBUTION = (
    "Contains information from the org-id.guide register (https://org-id.guide), which is made available "
    "under the Open Database License (ODbL) 1.0 (https://opendatacommons.org/licenses/odbl/1-0/)."
)

# One token: letters and digits, with - . _ / : between them (no spaces, no ; or , or quotes)
TOKEN = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9._/:-]*[A-Za-z0-9])?")
# 360Giving funders make 360G- ids from names, and keep the name's apostrophe (360G-trafford-st_john's_church)
TOKEN_360G = re.compile(r"360G-[A-Za-z0-9](?:[A-Za-z0-9._/:'\u2019-]*[A-Za-z0-9])?", re.IGNORECASE)
# A scheme the register does not know still looks like one: a country (or XI, XM...) and a list code
SCHEME_LIKE = re.compile(r"([A-Z]{2}(?:_[A-Z0-9]+)?-[A-Z0-9_]+)-(.+)", re.IGNORECASE)


@dataclass(frozen=True)
class Shape:
    """The form of the id after a scheme: ``pattern`` (matched in capitals; a group ``id``, if any, is the
    id's usual form) and the words that explain it."""

    pattern: str
    words: str

    @property
    def regex(self) -> re.Pattern:
        return re.compile(self.pattern)


_LOCAL_AUTHORITY = Shape(r"[A-Z]{3,4}", "3 or 4 letters, such as MAN")
_SCHOOL_7 = Shape(r"\d{7}", "7 digits")

SHAPES: dict[str, Shape] = {
    "GB-COH": Shape(
        r"\d{8}|[A-Z]{2}\d{6}|[A-Z]{2}\d{5}[A-Z]|R\d{7}",
        "a company number of 8 characters: 8 digits with the leading zeros (01234567), or 2 letters and 6 "
        "digits (SC123456, OC301234, NI012345)",
    ),
    "GB-CHC": Shape(r"\d{6,8}", "an England and Wales charity number: 6 to 8 digits, such as 1123456"),
    "GB-SC": Shape(r"SC\d{6}", "a Scottish charity number: SC and 6 digits, such as SC012345"),
    "GB-NIC": Shape(
        r"(?:NIC)?(?P<id>\d{6})", "a Northern Ireland charity number: 6 digits, such as 100123 (NIC100123 is read too)"
    ),
    "GB-LAE": _LOCAL_AUTHORITY,
    "GB-LAS": _LOCAL_AUTHORITY,
    "GB-PLA": _LOCAL_AUTHORITY,
    "GB-LANI": _LOCAL_AUTHORITY,
    "GB-NHS": Shape(r"[A-Z0-9]{3,6}", "an NHS Organisation Data Service code: 3 to 6 letters or digits, such as RW3"),
    "GB-GOR": Shape(r"[A-Z]{1,3}\d{1,6}", "a Government Organisation Register key: letters then digits, such as D1234"),
    "GB-MPR": Shape(r"[A-Z0-9]{1,10}", "a Mutuals Public Register number: letters and digits, such as RS008214"),
    "GB-UKPRN": Shape(r"1\d{7}", "a UK provider reference number: 8 digits starting 1, such as 10012345"),
    "GB-EDU": Shape(r"\d{6}", "a school's unique reference number (URN): 6 digits, such as 100000"),
    "GB-SCOTEDU": _SCHOOL_7,
    "GB-WALEDU": _SCHOOL_7,
    "GB-PPON": Shape(
        r"P[A-Z0-9]{3}-[A-Z0-9]{4}-[A-Z0-9]{4}",
        "a Public Procurement Organisation Number: P, 3 letters, then two groups of 4, such as PABC-1234-WXYZ",
    ),
    "XI-LEI": Shape(r"[A-Z0-9]{18}\d{2}", "a Legal Entity Identifier: 20 letters and digits"),
    "XI-DUNS": Shape(r"\d{9}", "a D-U-N-S number: 9 digits"),
}

# Schemes used in UK procurement and grants that the register does not list: accepted, with a warning
NOT_REGISTERED: dict[str, str] = {
    "GB-CFS": "Contracts Finder's own supplier identifier",
    "GB-PPON": "the Procurement Act's Public Procurement Organisation Number (Find a Tender)",
    "360G": "an identifier 360Giving funders make up for a group with no registered number",
}
ADVICE = "use the organisation's registered number (such as GB-COH-, GB-CHC- or GB-SC-) where it has one"


@dataclass(frozen=True)
class Scheme:
    code: str
    name: str
    url: str | None = None
    deprecated: bool = False
    registered: bool = True


@dataclass(frozen=True)
class Checked:
    """What one value is: the identifier to use (or None), its scheme, and an error or a warning."""

    text: str
    identifier: str | None = None
    scheme: str | None = None
    error: str | None = None
    warning: str | None = None


@cache
def schemes() -> dict[str, Scheme]:
    """The register's schemes by code, and the ones of ``NOT_REGISTERED``."""
    found = {
        entry["code"]: Scheme(entry["code"], entry["name"], entry.get("url"), bool(entry.get("deprecated")))
        for entry in json.loads(REGISTER.read_text(encoding="utf-8"))
    }
    for code, name in NOT_REGISTERED.items():
        found.setdefault(code, Scheme(code, name, registered=False))
    return found


def _split(text: str) -> tuple[Scheme | None, str]:
    """The scheme a value starts with (the longest code that is followed by ``-``) and the rest."""
    known = schemes()
    upper = text.upper()
    parts = upper.split("-")
    for width in (3, 2, 1):  # codes have one hyphen (GB-COH), two (CN-11-CR) or none (360G)
        if len(parts) > width:
            code = "-".join(parts[:width])
            if code in known:
                return known[code], text[len(code) + 1 :]
    return None, text


@lru_cache(maxsize=1 << 14)
def check(text: str) -> Checked:
    """Read one organisation identifier as written (already stripped of surrounding spaces)."""
    if not (TOKEN.fullmatch(text) or TOKEN_360G.fullmatch(text)):
        return Checked(
            text,
            error="is not an organisation identifier: write the scheme and the id, such as GB-COH-01234567, "
            "with only letters, digits and - . _ / :",
        )
    if text.upper() in schemes():
        return Checked(text, error=f"is only a scheme: add the organisation's id after it, such as {text}-...")
    scheme, rest = _split(text)
    if scheme is None:
        match = SCHEME_LIKE.fullmatch(text)
        if not match:
            return Checked(
                text,
                warning="has no scheme (such as GB-COH- before a company number): the organisation is known by "
                "its name until its identifier is given as SCHEME-ID",
            )
        code = match.group(1).upper()
        return Checked(
            text,
            f"{code}-{match.group(2)}",
            code,
            warning=f"uses the scheme {code}, which is not in the org-id.guide register: check it at {REGISTER_URL}",
        )
    shape = SHAPES.get(scheme.code)
    if shape is not None:
        match = shape.regex.fullmatch(rest.upper())
        if not match:
            hint = ""
            if scheme.code == "GB-COH" and rest.isdigit() and len(rest) < 8:
                hint = f" (did a spreadsheet drop leading zeros? write {scheme.code}-{rest.zfill(8)})"
            message = f"is not a well-formed {scheme.code} identifier: after {scheme.code}- comes {shape.words}{hint}"
            return Checked(text, scheme=scheme.code, error=message)
        rest = match.groupdict().get("id") or rest.upper()
    identifier = f"{scheme.code}-{rest}"
    warning = None
    if not scheme.registered:
        warning = (
            f"uses {scheme.code}, {scheme.name}, which is not in the org-id.guide register: it is accepted, "
            f"but {ADVICE}"
        )
    elif scheme.deprecated:
        warning = (
            f"uses {scheme.code} ({scheme.name}), which org-id.guide marks as deprecated: see {REGISTER_URL} "
            "for the scheme that replaces it"
        )
    return Checked(text, identifier, scheme.code, warning=warning)


def usable(value) -> bool:
    """The value is an identifier an organisation can be known by (it has a scheme and is well formed)."""
    return isinstance(value, str) and bool(value) and check(value).identifier is not None
