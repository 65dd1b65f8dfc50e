"""What the last publish found in the data: pure functions for the data-quality page.

Warnings never stop a build (errors do); they are published here, for data users
and for the staff who maintain the data.
"""

from __future__ import annotations

import pandas as pd

from .problems import Problem
from .schema import DataContract


def completeness(tables: dict[str, pd.DataFrame], contract: DataContract, absent=()) -> pd.DataFrame:
    """For each optional column of each table but the ``absent`` ones: how many rows have a value, and the share."""
    rows = []
    for table in contract.tables:
        frame = tables.get(table.name)
        if frame is None or table.name in absent:
            continue
        for field in table.fields:
            if field.required:
                continue
            column = frame[field.name]
            filled = int(column.map(len).gt(0).sum()) if field.type == "list" else int(column.notna().sum())
            total = len(frame)
            rows.append(
                {
                    "table": table.name,
                    "file": table.filename,
                    "column": field.name,
                    "filled": filled,
                    "total": total,
                    "pct_filled": filled / total * 100 if total else None,
                }
            )
    return pd.DataFrame(rows, columns=["table", "file", "column", "filled", "total", "pct_filled"])


def missing_files(absent, contract: DataContract) -> pd.DataFrame:
    """The files of the contract that the data folder does not have (the ``absent`` tables): file and title."""
    rows = [{"file": t.filename, "title": t.title} for t in contract.tables if t.name in absent]
    return pd.DataFrame(rows, columns=["file", "title"])


def overdue_returns(progress: pd.DataFrame, summary: pd.DataFrame) -> pd.DataFrame:
    """Commitments whose return for the latest complete quarter has not been published."""
    overdue = progress[progress["overdue"]]
    names = summary[["contract_id", "title", "slug", "supplier_name", "buyer_name"]]
    frame = overdue.merge(names, on="contract_id", how="left")
    return (
        frame[
            [
                "contract_id",
                "title",
                "slug",
                "supplier_name",
                "buyer_name",
                "measure_id",
                "measure_title",
                "last_period_end",
                "overdue_period_end",
            ]
        ]
        .sort_values(["title", "contract_id", "measure_id"])
        .reset_index(drop=True)
    )


def contracts_without_commitments(summary: pd.DataFrame) -> pd.DataFrame:
    return summary.loc[
        summary["commitments"] == 0, ["contract_id", "title", "slug", "supplier_name", "buyer_name", "value_gbp"]
    ].reset_index(drop=True)


def loader_warnings(problems: list[Problem]) -> pd.DataFrame:
    """The loader's warnings (absent optional columns and files, extra columns), one row each."""
    rows = [
        {"file": p.file, "line": p.line, "column": p.column, "message": p.message, "text": str(p)}
        for p in sorted(problems, key=lambda p: (p.file, p.line or 0, p.column or ""))
        if not p.is_error
    ]
    return pd.DataFrame(rows, columns=["file", "line", "column", "message", "text"])
