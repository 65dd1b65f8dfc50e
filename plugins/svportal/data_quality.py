"""What the last publish found in the data: pure functions for the data-quality page.

Warnings never stop a build (errors do); they are published here, for data users
and for the staff who maintain the data.
"""

from __future__ import annotations

import pandas as pd

from . import payees as payee_matches
from .payees import AMBIGUOUS, REDACTED, UNKNOWN
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


# --- payees of the payments ---------------------------------------------------------------------------

LARGEST_UNMATCHED = 20  # the data-quality page lists this many unmatched payees; the download has them all
UNMATCHED_COLUMNS = ["name", "vat_number", "payments", "total_gbp", "match_method", "match_note"]


def unmatched_payees(payees: pd.DataFrame) -> pd.DataFrame:
    """The payees matched to no organisation (``unknown``, or ``ambiguous``), the largest total paid first (then
    by name): what staff can fix in organisations.csv. Payees whose name is withheld are never payees."""
    found = payees[payees["match_method"].isin((UNKNOWN, AMBIGUOUS))]
    found = found.assign(_name=found["name"].fillna("").str.casefold())
    found = found.sort_values(["total_gbp", "_name"], ascending=[False, True], kind="stable")
    return found[UNMATCHED_COLUMNS].reset_index(drop=True)


def payee_matching(payments: pd.DataFrame, payees: pd.DataFrame) -> dict:
    """How many payees, and how much of what was paid to them, were matched to an organisation; and the
    payments to payees whose name is withheld (never matched). ``matched_pct`` is of the money paid to payees
    (None when that is not more than nothing)."""
    matched = payees[~payees["match_method"].isin((UNKNOWN, AMBIGUOUS))]
    paid = float(payees["total_gbp"].sum()) if len(payees) else 0.0
    matched_gbp = float(matched["total_gbp"].sum()) if len(matched) else 0.0
    withheld = payments[payments["match_method"] == REDACTED] if len(payments) else payments
    return {
        "payments": len(payments),
        "payees": len(payees),
        "matched": len(matched),
        "ambiguous": int((payees["match_method"] == AMBIGUOUS).sum()),
        "unknown": int((payees["match_method"] == UNKNOWN).sum()),
        "paid_gbp": round(paid, 2),
        "matched_gbp": round(matched_gbp, 2),
        "matched_pct": matched_gbp / paid * 100 if paid > 0 else None,
        "withheld_payments": len(withheld),
        "withheld_gbp": round(float(withheld["amount_gbp"].sum()), 2) if len(withheld) else 0.0,
    }


def payee_quality(tables: dict[str, pd.DataFrame]) -> tuple[pd.DataFrame, dict]:
    """(every unmatched payee, as :func:`unmatched_payees`; the summary of :func:`payee_matching`), from the
    payments and the organisations the portal knows (svportal.payees)."""
    payments, payees = payee_matches.match(tables)
    return unmatched_payees(payees), payee_matching(payments, payees)
