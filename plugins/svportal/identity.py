"""Who publishes the data, for which area, how to reach them, under what licence: it comes with the data.

A data folder may hold its own ``datapackage.json`` beside the CSV files. Its descriptor-level metadata
(Frictionless Data Package properties, and a ``portal`` block of the portal's own) give the site its
identity::

    {
      "contributors": [{"title": "Trafford Council", "role": "publisher"}],
      "licenses": [{"name": "OGL-UK-3.0", "title": "Open Government Licence v3.0",
                    "path": "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"}],
      "portal": {
        "area": "Trafford",
        "region": "Greater Manchester",
        "contact_email": "social.value@trafford.gov.uk",
        "contact_url": "https://www.trafford.gov.uk/contact",
        "mailing_list_url": "https://www.trafford.gov.uk/newsletters",
        "local_postcode_districts": ["M16", "M17", "M31", "M32", "M33", "M41", "WA14", "WA15"],
        "regional_postcode_districts": ["M1", "M2", "...", "BL1", "OL1", "SK1", "WN1", "WA14", "..."],
        "illustrative": false
      }
    }

Every property is optional: what the file does not give, the settings give (settings.py), and a data
folder without the file has the settings' identity and no illustrative notice. Each contributor whose
``role`` (or one of whose ``roles``) is ``publisher`` publishes the data; the first licence is the data's.
``illustrative: true`` says the data is made up: every page then says so. ``complete: false`` says the
identity is a first draft (``make import-ocds`` writes one into an empty data folder): the site is built,
and its data-quality page asks staff for what is still missing (area, contact email, licence).
``local_postcode_districts`` and ``regional_postcode_districts`` list the postcode districts (the outward
code, the first half of a postcode: ``M14``, ``SK4``) /spend/ counts as the area and the region (spend.py):
the publisher's choice, as a council's boundary is not a postcode area's; without them /spend/ cannot say
what share of spend was local.

The file may also carry the table schemas (``resources``, ``extraFields``): they must then be exactly the
project's data contract (data/datapackage.json, the one the build checks the files against); the first
difference is an error. Every problem is a :class:`Problem` of ``datapackage.json`` naming the property.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from .parse import character_problem, url_problem
from .problems import WARNING, Problem
from .schema import DataContract

IDENTITY_FILE = "datapackage.json"
TEXT_MAX_LENGTH = 300  # a name (publisher, area, region, licence)
EMAIL_MAX_LENGTH = 254
URL_MAX_LENGTH = 2000
PORTAL_TEXT = {"area": "the area's name", "region": "the region's name"}
PORTAL_URLS = ("contact_url", "mailing_list_url")
PORTAL_DISTRICTS = {"local_postcode_districts": "the area", "regional_postcode_districts": "the region"}
PORTAL_KEYS = (*PORTAL_TEXT, "contact_email", *PORTAL_URLS, "illustrative", "complete", *PORTAL_DISTRICTS)
MAX_DISTRICTS = 3000  # the UK has about 3,000 postcode districts
_DISTRICT = re.compile(r"[A-Z]{1,2}[0-9][A-Z0-9]?")  # an outward code: M1, M14, SK4, EC1A, W1D
CONTRACT_PROPERTIES = ("resources", "extraFields")  # the table schemas: the project's, or none
EMAIL_ADDRESS = re.compile(  # the contract's email pattern (contact_email columns)
    r"[^@\s\"<>\\^`{|}\[\]%#?/,;:()]+@[^@\s\"<>\\^`{|}\[\]%#?/,;:()]+\.[^@\s\"<>\\^`{|}\[\]%#?/,;:()]+"
)


@dataclass(frozen=True)
class Identity:
    """What the data says about its publisher; None where it says nothing."""

    publisher: str | None = None
    area: str | None = None
    region: str | None = None
    contact_email: str | None = None
    contact_url: str | None = None
    mailing_list_url: str | None = None
    licence_name: str | None = None
    licence_url: str | None = None
    illustrative: bool = False
    complete: bool = True  # false: a draft for staff to complete (a warning, not an error)
    local_postcode_districts: tuple[str, ...] = ()  # the districts /spend/ counts as the area (upper case)
    regional_postcode_districts: tuple[str, ...] = ()  # ... and as the region
    source: Path | None = None  # the file it came from; None: the data folder has none


def read_identity(data_dir: Path | str, contract: DataContract) -> tuple[Identity, list[Problem]]:
    """The identity of the data in ``data_dir`` (empty when it has no datapackage.json), and its problems."""
    path = Path(data_dir) / IDENTITY_FILE
    if not path.is_file():
        return Identity(), []
    try:
        descriptor = json.loads(path.read_bytes().decode("utf-8-sig"))
    except UnicodeDecodeError:
        return Identity(source=path), [Problem(IDENTITY_FILE, None, None, "the file is not UTF-8 text")]
    except json.JSONDecodeError as exc:
        why = f"is not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})"
        return Identity(source=path), [Problem(IDENTITY_FILE, exc.lineno, None, why)]
    return identity_of(descriptor, contract, path)


def identity_of(descriptor, contract: DataContract, source: Path | None = None) -> tuple[Identity, list[Problem]]:
    """The identity a datapackage.json descriptor gives, and what is wrong with it."""
    if not isinstance(descriptor, dict):
        return Identity(source=source), [_problem(None, f"must be a JSON object {{...}}, not {_kind(descriptor)}")]
    problems: list[Problem] = []
    for name in CONTRACT_PROPERTIES:
        if name in descriptor:
            difference = first_difference(contract.descriptor.get(name), descriptor[name], name)
            if difference:
                where, why = difference
                problems.append(
                    _problem(
                        where,
                        f"{why}: the table schemas in the data folder must be exactly the project's data contract; "
                        f"leave '{name}' out to use the project's",
                    )
                )
                break
    publisher = _publisher(descriptor.get("contributors"), problems)
    licence_name, licence_url = _licence(descriptor.get("licenses"), problems)
    portal = descriptor.get("portal", {})
    values: dict = {}
    if not isinstance(portal, dict):
        problems.append(_problem("portal", f"must be a JSON object {{...}}, not {_kind(portal)}"))
        portal = {}
    for key in portal:
        if key not in PORTAL_KEYS:
            problems.append(_problem(f"portal.{key}", f"is not a property the portal knows: {_one_of(PORTAL_KEYS)}"))
    for key, what in PORTAL_TEXT.items():
        if key in portal:
            values[key] = _text(portal[key], f"portal.{key}", what, problems)
    if "contact_email" in portal:
        values["contact_email"] = _email(portal["contact_email"], "portal.contact_email", problems)
    for key in PORTAL_URLS:
        if key in portal:
            values[key] = _url(portal[key], f"portal.{key}", problems)
    for key, what in PORTAL_DISTRICTS.items():
        if key in portal:
            values[key] = _districts(portal[key], f"portal.{key}", what, problems)
    illustrative = portal.get("illustrative", False)
    if not isinstance(illustrative, bool):
        problems.append(
            _problem("portal.illustrative", f"{_shown(illustrative)} is not true or false (write them without quotes)")
        )
        illustrative = False
    complete = portal.get("complete", True)
    if not isinstance(complete, bool):
        problems.append(
            _problem("portal.complete", f"{_shown(complete)} is not true or false (write them without quotes)")
        )
        complete = True
    elif not complete:
        problems.append(_draft_warning(publisher, licence_name, values))
    identity = Identity(
        publisher=publisher,
        licence_name=licence_name,
        licence_url=licence_url,
        illustrative=illustrative,
        complete=complete,
        source=source,
        **values,
    )
    return identity, problems


# --- the parts -----------------------------------------------------------------------------------


def _publisher(contributors, problems: list[Problem]) -> str | None:
    """The contributors whose role is publisher, by title: ``A``, ``A and B``, ``A, B and C``."""
    if contributors is None:
        return None
    if not isinstance(contributors, list):
        problems.append(_problem("contributors", f"must be a list [...] of contributors, not {_kind(contributors)}"))
        return None
    names = []
    for number, contributor in enumerate(contributors):
        where = f"contributors[{number}]"
        if not isinstance(contributor, dict):
            problems.append(_problem(where, f"must be a JSON object {{...}}, not {_kind(contributor)}"))
            continue
        roles = contributor.get("roles", [contributor.get("role")])
        if "publisher" not in (roles if isinstance(roles, list) else [roles]):
            continue
        if "title" not in contributor:
            problems.append(_problem(where, "is a publisher without a title: give the publisher's name as its title"))
            continue
        name = _text(contributor["title"], f"{where}.title", "the publisher's name", problems)
        if name:
            names.append(name)
    if not names:
        return None
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _licence(licenses, problems: list[Problem]) -> tuple[str | None, str | None]:
    """The first licence's title (or name) and web address."""
    if licenses is None:
        return None, None
    if not isinstance(licenses, list) or not licenses:
        problems.append(_problem("licenses", "must be a list [...] with the data's licence first"))
        return None, None
    licence = licenses[0]
    if not isinstance(licence, dict):
        problems.append(_problem("licenses[0]", f"must be a JSON object {{...}}, not {_kind(licence)}"))
        return None, None
    key = "title" if "title" in licence else "name"
    if key not in licence:
        problems.append(_problem("licenses[0]", "has no title: give the licence's name as its title"))
        name = None
    else:
        name = _text(licence[key], f"licenses[0].{key}", "the licence's name", problems)
    if "path" not in licence:
        problems.append(_problem("licenses[0]", "has no path: give the web address of the licence as its path"))
        return name, None
    return name, _url(licence["path"], "licenses[0].path", problems)


def _text(value, where: str, what: str, problems: list[Problem]) -> str | None:
    """One line of text, up to TEXT_MAX_LENGTH characters, as the pages show it."""
    if not isinstance(value, str):
        problems.append(_problem(where, f"must be text in quotes ({what}), not {_kind(value)}"))
        return None
    text = value.strip()
    wrong = (
        "is blank: give " + what + " or leave the property out"
        if not text
        else (
            f"is {len(text):,} characters long: the limit is {TEXT_MAX_LENGTH}"
            if len(text) > TEXT_MAX_LENGTH
            else character_problem(text)
        )
    )
    if wrong:
        problems.append(_problem(where, f"{_shown(value)} {wrong}" if text else wrong))
        return None
    return text


def _districts(value, where: str, what: str, problems: list[Problem]) -> tuple[str, ...]:
    """A list of postcode districts (``["M1", "M14"]``), in upper case, each once, in the order given."""
    if not isinstance(value, list):
        problems.append(
            _problem(where, f"must be a list [...] of the postcode districts of {what}, not {_kind(value)}")
        )
        return ()
    if len(value) > MAX_DISTRICTS:
        problems.append(_problem(where, f"has {len(value):,} items: the limit is {MAX_DISTRICTS:,}"))
        return ()
    found: list[str] = []
    for number, item in enumerate(value):
        district = " ".join(item.upper().split()) if isinstance(item, str) else None
        if district is None or not _DISTRICT.fullmatch(district):
            problems.append(
                _problem(
                    f"{where}[{number}]",
                    f"{_shown(item)} is not a postcode district: write the first half of a postcode, such as M14 "
                    "or SK4",
                )
            )
        elif district not in found:
            found.append(district)
    return tuple(found)


def _email(value, where: str, problems: list[Problem]) -> str | None:
    """An email address, as a mailto: link can hold it."""
    if not isinstance(value, str):
        problems.append(_problem(where, f"must be an email address in quotes, not {_kind(value)}"))
        return None
    text = value.strip()
    if len(text) > EMAIL_MAX_LENGTH or character_problem(text) or not EMAIL_ADDRESS.fullmatch(text):
        problems.append(_problem(where, f"{_shown(value)} is not an email address (such as name@example.gov.uk)"))
        return None
    return text


def _url(value, where: str, problems: list[Problem]) -> str | None:
    """A web address starting https:// that a link can hold."""
    if not isinstance(value, str):
        problems.append(_problem(where, f"must be a web address in quotes, not {_kind(value)}"))
        return None
    text = value.strip()
    if not text.startswith("https://") or len(text) <= len("https://"):
        wrong = "is not a web address starting https:// (http and other schemes are not accepted)"
    elif len(text) > URL_MAX_LENGTH:
        wrong = f"is {len(text):,} characters long: the limit is {URL_MAX_LENGTH:,}"
    else:
        wrong = character_problem(text) or url_problem(text)
    if wrong:
        problems.append(_problem(where, f"{_shown(value)} {wrong}"))
        return None
    return text


def first_difference(ours, theirs, where: str) -> tuple[str, str] | None:
    """Where ``theirs`` first differs from ``ours`` (a JSON path such as ``resources[contracts].schema``), and how."""
    if isinstance(ours, dict) and isinstance(theirs, dict):
        for key in ours:
            if key not in theirs:
                return f"{where}.{key}", "is missing here but is in the project's data contract"
            found = first_difference(ours[key], theirs[key], f"{where}.{key}")
            if found:
                return found
        for key in theirs:
            if key not in ours:
                return f"{where}.{key}", "is not in the project's data contract"
        return None
    if isinstance(ours, list) and isinstance(theirs, list):
        for number, (mine, yours) in enumerate(zip(ours, theirs)):
            found = first_difference(mine, yours, f"{where}[{_item_name(yours, number)}]")
            if found:
                return found
        if len(ours) != len(theirs):
            return where, f"has {len(theirs)} items here but {len(ours)} in the project's data contract"
        return None
    numbers = all(isinstance(v, int | float) and not isinstance(v, bool) for v in (ours, theirs))
    same = ours == theirs if numbers else (type(ours) is type(theirs) and ours == theirs)
    return None if same else (where, f"is {_shown(theirs)} here but {_shown(ours)} in the project's data contract")


def _item_name(item, number: int) -> str:
    """A list item in a path: its ``name`` when it has one (a table, a column), else its position."""
    name = item.get("name") if isinstance(item, dict) else None
    return name if isinstance(name, str) and name else str(number)


def _draft_warning(publisher: str | None, licence: str | None, values: dict) -> Problem:
    """What staff still have to give in a draft identity (``complete: false``), as a warning."""
    wanted = [
        what
        for what, given in (
            ("the publisher (contributors)", publisher),
            ("the area (portal.area)", values.get("area")),
            ("a contact email (portal.contact_email)", values.get("contact_email")),
            ("the licence of the data (licenses)", licence),
        )
        if not given
    ]
    missing = f"give {', '.join(wanted)}, then " if wanted else ""
    message = f'this identity is a draft, written by an import: {missing}remove "complete": false'
    return Problem(IDENTITY_FILE, None, "portal.complete", message, severity=WARNING)


def _problem(where: str | None, message: str) -> Problem:
    return Problem(IDENTITY_FILE, None, where, message)


def _shown(value) -> str:
    """A JSON value for a message, cut at 60 characters."""
    text = json.dumps(value, ensure_ascii=False)
    text = text if len(text) <= 60 else text[:57] + "..."
    return text.replace("\n", "\\n")


def _kind(value) -> str:
    kinds = {dict: "an object", list: "a list", str: "text", bool: "true or false", type(None): "null"}
    return kinds.get(type(value), "a number")


def _one_of(names) -> str:
    return "use " + ", ".join(names[:-1]) + " or " + names[-1]
