"""Compiling the releases of one contracting process, with OCDS's own merge library (ocdsmerge).

The merge rules come from the OCDS 1.1.5 release schema shipped in ``reference/ocds/`` (given to ocdsmerge
as a dict: nothing is fetched). Releases are merged in date order, each later release replacing, field by
field, what earlier ones said (a later ``awardUpdate`` wins for the fields it gives; the others stay).

OCDS 1.0 releases (a ``buyer`` with its ``identifier`` and no ``parties``) name suppliers and tenderers
without an ``id``; the 1.0 schema merged those lists whole, so they are merged whole here too, instead of
being appended release after release.

A record's ``compiledRelease`` is used as it is when the record has no full releases to compile.
"""

from __future__ import annotations

import json
import warnings
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import ocdsmerge
from ocdsmerge.exceptions import OCDSMergeError, OCDSMergeWarning
from ocdsmerge.rules import get_merge_rules

from .ocds_store import COMPILED

SCHEMA = Path(__file__).resolve().parent.parent / "reference" / "ocds" / "1.1.5" / "release-schema.json"
LEGACY_WHOLE_LISTS = (("awards", "suppliers"), ("tender", "tenderers"))  # OCDS 1.0: lists of objects without ids


@dataclass
class Compiled:
    """A process's compiled release, or why there is none; and what the merge library warned about."""

    ocid: str
    release: dict | None
    releases: int  # how many releases went into it
    why_not: str | None = None
    warnings: list[str] = field(default_factory=list)
    tags: frozenset[str] | None = None  # the tags of its releases (None: a compiled release, its tags unknown)


@cache
def merge_rules() -> dict:
    return get_merge_rules(json.loads(SCHEMA.read_text(encoding="utf-8")))


@cache
def _merger(legacy: bool) -> ocdsmerge.Merger:
    rules = dict(merge_rules())
    if legacy:
        rules.update(dict.fromkeys(LEGACY_WHOLE_LISTS, "wholeListMerge"))
    return ocdsmerge.Merger(merge_rules=rules)


def is_legacy(release: dict) -> bool:
    """An OCDS 1.0 release: a buyer given as an organisation (with an identifier) and no parties."""
    buyer = release.get("buyer")
    return "parties" not in release and isinstance(buyer, dict) and "identifier" in buyer


def compile_process(ocid: str, entries: list[tuple[str, dict]]) -> Compiled:
    """The compiled release of one ocid's releases (``entries``: (kind, release) as the store gives them)."""
    releases = [data for kind, data in entries if kind != COMPILED]
    compiled = [data for kind, data in entries if kind == COMPILED]
    if not releases:
        if not compiled:
            return Compiled(ocid, None, 0, "the record has neither releases nor a compiled release")
        latest = max(compiled, key=lambda data: str(data.get("date") or ""))
        return Compiled(ocid, latest, len(compiled))
    if len(releases) > 1:
        undated = [r for r in releases if not isinstance(r.get("date"), str)]
        if undated:
            release_id = undated[0].get("id")
            return Compiled(
                ocid,
                None,
                len(releases),
                f"{len(undated)} of its {len(releases)} releases have no date (release id {release_id!r}), so "
                "they cannot be merged in order",
            )
    tags = frozenset(tag for release in releases for tag in _tags(release))
    legacy = any(is_legacy(release) for release in releases)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", OCDSMergeWarning)
        try:
            result = _merger(legacy).create_compiled_release(releases)
        except OCDSMergeError as exc:
            return Compiled(ocid, None, len(releases), f"its releases cannot be merged: {exc}")
    found = [str(w.message) for w in caught if issubclass(w.category, OCDSMergeWarning)]
    return Compiled(ocid, result, len(releases), warnings=found, tags=tags)


def _tags(release: dict) -> list[str]:
    tags = release.get("tag")
    return [tag for tag in tags if isinstance(tag, str)] if isinstance(tags, list) else []
