"""The area's wards (wards.csv) and how contracts.csv names them.

Staff write the wards a contract serves as they always have: a ward's ONS code (E05011372), its
name or another spelling of it (Ancoats and Beswick for Ancoats & Beswick), in any case, with
``&`` or ``and``; or a word for the whole area (All, Citywide). Each value is matched to one ward,
on its code in the end: a spelling is compared with each ward's code, name and other names once
all are folded the same way (:func:`spelling`). A value that matches nothing is a warning naming
its file, row and column: the contract is then listed under no ward for it, and the data-quality
page says so. Nothing here reads files or knows about pages.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from .parse import slugify
from .problems import WARNING, Problem

WARDS_FILE = "wards.csv"
EVERYWHERE = "*"  # the ward code that stands for the whole area (a contract serving every ward)
EVERYWHERE_SLUG = "whole-area"  # its page: areas/whole-area/
# What a contract may say to serve the whole area (any case, & or and, spaces or hyphens).
EVERYWHERE_WORDS = ("All", "All wards", "Citywide", "City-wide", "Whole city", "All of the city", "Whole area")
SHOWN_ROWS = 10  # a warning about a value names this many of its rows, then counts the rest


def spelling(text: str) -> str:
    """The form two spellings of a ward are compared in: ``Ancoats & Beswick`` and ``ancoats and beswick``
    are both ``ancoats-and-beswick`` (case folded, ``&`` read as ``and``, punctuation and spaces folded)."""
    return slugify(text)


EVERYWHERE_SPELLINGS = frozenset(spelling(word) for word in EVERYWHERE_WORDS)


@dataclass(frozen=True)
class Ward:
    """One ward of wards.csv."""

    code: str
    name: str
    slug: str  # its page: areas/<slug>/
    other_names: tuple[str, ...] = ()


@dataclass(frozen=True)
class WardIndex:
    """The wards by code (in order of name) and every spelling that names one."""

    wards: dict[str, Ward]
    spellings: dict[str, str]  # spelling -> ward code

    def match(self, value: str) -> str | None:
        """The code of the ward ``value`` names, :data:`EVERYWHERE` for the whole area, or None."""
        key = spelling(value)
        if key in EVERYWHERE_SPELLINGS:
            return EVERYWHERE
        return self.spellings.get(key) if key else None

    def __len__(self) -> int:
        return len(self.wards)


EMPTY = WardIndex({}, {})


def _text(value) -> str | None:
    """A cell as text, None when blank or unusable (the loader reported it)."""
    return value if isinstance(value, str) and value else None


def ward_index(wards: pd.DataFrame | None, filename: str = WARDS_FILE) -> tuple[WardIndex, list[Problem]]:
    """The index of the validated wards table, and each spelling that cannot be used.

    A ward is named by its code, its name and its other names. A name or other name that is a word for the
    whole area, or an other name that another ward already has (as its code, name or other name), would be
    ambiguous: it is an error on its row. Two names with one spelling are reported by the loader (``slugUnique``).
    """
    if wards is None or not len(wards):
        return EMPTY, []
    problems: list[Problem] = []
    rows = []
    for code, name, others, line in wards[["ward_code", "name", "other_names", "_line"]].itertuples(index=False):
        if _text(code) and _text(name):
            rows.append((code, name, tuple(others) if isinstance(others, tuple) else (), int(line)))
    rows.sort(key=lambda row: (spelling(row[1]), row[0]))
    found: dict[str, Ward] = {}
    owner: dict[str, tuple[str, int]] = {}  # spelling -> (ward code, line)
    for code, name, others, line in rows:
        found[code] = Ward(code, name, slugify(name), others)
        if spelling(name) in EVERYWHERE_SPELLINGS:
            why = f"is a word for the whole area ({', '.join(EVERYWHERE_WORDS)}): a ward cannot be called that"
            problems.append(Problem(filename, line, "name", f"'{name}' {why}", name))
        for key in (spelling(code), spelling(name)):
            if key:
                owner.setdefault(key, (code, line))
    for code, _name, others, line in sorted(rows, key=lambda row: row[3]):
        for other in others:
            key = spelling(other)
            if not key:
                message = f"'{other}' has no letters or digits: it names no ward"
                problems.append(Problem(filename, line, "other_names", message, other, severity=WARNING))
                continue
            if key in EVERYWHERE_SPELLINGS:
                why = f"is a word for the whole area ({', '.join(EVERYWHERE_WORDS)}): it cannot name one ward"
            elif key in owner and owner[key][0] != code:
                first_code, first_line = owner[key]
                why = (
                    f"also names {first_code} {found[first_code].name} (line {first_line}): "
                    "a spelling may name one ward only"
                )
            else:
                owner.setdefault(key, (code, line))
                continue
            problems.append(Problem(filename, line, "other_names", f"'{other}' {why}", other))
    return WardIndex(found, {key: code for key, (code, _) in owner.items()}), problems


def served(contracts: pd.DataFrame, index: WardIndex) -> pd.DataFrame:
    """One row per ward value of each contract, in order: ``contract_id``, ``written`` (as in the file),
    ``ward_code`` (:data:`EVERYWHERE` for the whole area, None when it names no ward) and ``_line``."""
    rows = []
    for contract_id, values, line in contracts[["contract_id", "wards", "_line"]].itertuples(index=False):
        for value in values if isinstance(values, tuple) else ():
            rows.append((contract_id, value, index.match(value), int(line)))
    return pd.DataFrame(rows, columns=["contract_id", "written", "ward_code", "_line"], dtype=object)


def _rows_text(lines: list[int]) -> str:
    """`` (also on rows 5, 9 and 12)`` after a warning given once for a value on several rows."""
    others = lines[1:]
    if not others:
        return ""
    shown = [f"{line:,}" for line in others[:SHOWN_ROWS]]
    if len(others) > SHOWN_ROWS:
        shown.append(f"{len(others) - SHOWN_ROWS:,} more")
    listed = shown[0] if len(shown) == 1 else ", ".join(shown[:-1]) + " and " + shown[-1]
    return f" (also on row{'s' if len(others) > 1 else ''} {listed})"


def unmatched_problems(found: pd.DataFrame, filename: str = "contracts.csv", column: str = "wards") -> list[Problem]:
    """A warning for each value of :func:`served` that names no ward: on its first row, naming the others."""
    missing = found[found["ward_code"].isna()]
    lines: dict[str, list[int]] = {}
    for value, line in missing[["written", "_line"]].itertuples(index=False):
        lines.setdefault(value, []).append(line)
    return [
        Problem(
            filename,
            rows[0],
            column,
            f"'{value}' matches no ward of {WARDS_FILE} by code, name or other name, nor a word for the whole "
            f"area such as All: the contract is listed under no ward for it. Correct it, or add it to the "
            f"ward's other_names{_rows_text(sorted(set(rows)))}",
            value,
            severity=WARNING,
        )
        for value, rows in lines.items()
    ]


def check_wards(tables: dict[str, pd.DataFrame], absent=()) -> list[Problem]:
    """The loader's checks of the wards: spellings of wards.csv that are ambiguous (errors), and the values of
    contracts.csv's wards that name no ward (warnings). Nothing when wards.csv is absent: its absence is noted."""
    wards, contracts = tables.get("wards"), tables.get("contracts")
    if wards is None or "wards" in absent:
        return []
    index, problems = ward_index(wards)
    if contracts is not None and "wards" in contracts.columns:
        problems += unmatched_problems(served(contracts, index))
    return problems
