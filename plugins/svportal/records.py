"""DataFrames as plain Python values, for templates, feeds and downloads.

Pure pandas, nothing of the portal's own: missing values become None (never NaN,
NaT or pd.NA), dates become ``datetime.date``, numpy scalars Python numbers.
"""

from __future__ import annotations

import math

import pandas as pd


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


def group_by(rows: list[dict], key: str) -> dict[str, list[dict]]:
    """Rows grouped by the value of ``key``, groups and rows in first-seen order."""
    groups: dict[str, list[dict]] = {}
    for row in rows:
        groups.setdefault(row[key], []).append(row)
    return groups
