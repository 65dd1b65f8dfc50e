"""What each page shows, prepared as plain Python values for the templates.

Pure functions of the model's DataFrames: no Pelican, no HTML. Missing values
become None (never NaN, NaT or pd.NA), dates become ``datetime.date``.
"""

from __future__ import annotations

import math

import pandas as pd

from . import model
from .parse import slugify

STATUS_COLOURS = {
    model.GOOD: "green",
    model.APPROACHING: "yellow",
    model.REQUIRES_IMPROVEMENT: "orange",
    model.INADEQUATE: "red",
    model.NO_RETURNS: "grey",
    model.NOT_YET_DUE: "blue",
}


def plain(value):
    """One cell as a plain Python value for Jinja."""
    if isinstance(value, (tuple, list)):
        return list(value)
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, pd.Timestamp):
        return value.date()
    if hasattr(value, "item"):  # numpy scalars
        value = value.item()
        if isinstance(value, float) and math.isnan(value):
            return None
    return value


def records(frame: pd.DataFrame) -> list[dict]:
    """Rows as dicts of plain values, in the frame's order."""
    columns = list(frame.columns)
    return [dict(zip(columns, map(plain, row))) for row in rows(frame)]


def rows(frame: pd.DataFrame) -> list[list]:
    """The frame's rows as lists of Python objects (much faster than itertuples on small frames)."""
    return frame.to_numpy(dtype=object).tolist()


def supplier_type(row: dict) -> str:
    """``VCSE``, ``SME`` or ``Large`` (VCSE first: a small charity is both)."""
    if row.get("supplier_vcse"):
        return "VCSE"
    return {"sme": "SME", "large": "Large"}.get(row.get("supplier_size") or "", "Not published")


def commitment_rows(progress: pd.DataFrame) -> list[dict]:
    rows = records(progress)
    for row in rows:
        row["status_colour"] = STATUS_COLOURS[row["status"]]
        row["priority_slug"] = slugify(row["priority"]) if row.get("priority") else None
    return rows


def contract_rows(summary: pd.DataFrame) -> list[dict]:
    rows = records(summary)
    for row in rows:
        row["supplier_type"] = supplier_type(row)
    return rows


def group_by(rows: list[dict], key: str) -> dict[str, list[dict]]:
    groups: dict[str, list[dict]] = {}
    for row in rows:
        groups.setdefault(row[key], []).append(row)
    return groups
