"""Places: which contracts serve each ward, and what they promised and delivered there.

Pure pandas: the wards index (wards.py), the contracts' ward values and the contract summary
(model.contract_summary) in; plain frames out. A contract serves a ward when one of its ward values
names that ward; one that says it serves the whole area (All) is counted once, under the whole area,
and not under each ward. A contract whose wards are blank is counted under neither.
"""

from __future__ import annotations

import pandas as pd

from . import model
from .wards import EVERYWHERE, EVERYWHERE_SLUG, WardIndex, served

TOTALS = ["contracts", "value_gbp", "commitments", "assessed", "on_track", "overdue_returns"]


def ward_links(values, index: WardIndex) -> tuple[dict, ...]:
    """A contract's ward values as links: ``written`` (as in the file), ``code``, ``name`` and ``slug`` of the ward
    it names (the whole area: code :data:`EVERYWHERE`, no name; no ward: no code, name or slug), each ward once."""
    found, seen = [], set()
    for value in values if isinstance(values, tuple) else ():
        code = index.match(value)
        if code is not None:
            if code in seen:
                continue
            seen.add(code)
        ward = index.wards.get(code)
        found.append(
            {
                "written": value,
                "code": code,
                "name": ward.name if ward else None,
                "slug": ward.slug if ward else (EVERYWHERE_SLUG if code == EVERYWHERE else None),
            }
        )
    return tuple(found)


def with_ward_links(summary: pd.DataFrame, index: WardIndex) -> pd.DataFrame:
    """The contract summary with ``ward_links`` (see :func:`ward_links`) for each contract's ``wards``."""
    frame = summary.copy()
    frame["ward_links"] = [ward_links(values, index) for values in frame["wards"]]
    return frame


def contracts_by_ward(contracts: pd.DataFrame, index: WardIndex) -> dict[str, list[str]]:
    """The ids of the contracts serving each ward (and :data:`EVERYWHERE`), each once, in file order.

    Every ward of the index and the whole area have an entry, empty when nothing serves them.
    """
    found: dict[str, list[str]] = {code: [] for code in [*index.wards, EVERYWHERE]}
    matched = served(contracts, index).dropna(subset=["ward_code"]).drop_duplicates(["contract_id", "ward_code"])
    for contract_id, code in matched[["contract_id", "ward_code"]].itertuples(index=False):
        found[code].append(contract_id)
    return found


def without_wards(contracts: pd.DataFrame) -> list[str]:
    """The ids of the contracts whose wards are not published (blank), in file order."""
    blank = contracts["wards"].map(lambda values: not (isinstance(values, tuple) and values))
    return contracts.loc[blank, "contract_id"].tolist()


def ward_totals(index: WardIndex, by_ward: dict[str, list[str]], summary: pd.DataFrame) -> pd.DataFrame:
    """One row per ward (in order of name), then one for the whole area: ``ward_code``, ``name`` (None for the
    whole area), ``slug``, and the totals of the contracts serving it: ``contracts``, ``value_gbp``, ``commitments``,
    ``assessed``, ``on_track`` (rated Good) and ``overdue_returns``."""
    figures = summary.set_index("contract_id")[TOTALS[1:]]
    rows = []
    for code in [*index.wards, EVERYWHERE]:
        ward = index.wards.get(code)
        own = figures.loc[by_ward.get(code, [])]
        rows.append(
            {
                "ward_code": code,
                "name": ward.name if ward else None,
                "slug": ward.slug if ward else EVERYWHERE_SLUG,
                "contracts": len(own),
                **{column: own[column].sum() for column in TOTALS[1:]},
            }
        )
    frame = pd.DataFrame(rows, columns=["ward_code", "name", "slug", *TOTALS])
    for column in TOTALS:
        if column != "value_gbp":
            frame[column] = frame[column].astype("int64")
    frame["value_gbp"] = frame["value_gbp"].astype("float64")
    return frame


def delivery(progress: pd.DataFrame, contract_ids: list[str]) -> pd.DataFrame:
    """What the contracts serving a ward promised and delivered, per measure (model.measure_totals of theirs)."""
    return model.measure_totals(progress[progress["contract_id"].isin(contract_ids)])
