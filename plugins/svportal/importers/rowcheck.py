"""Imported rows checked the way a build checks them, before they are merged into the data folder.

An importer fits each value to its column as it maps it; this is the net under it. The rows of one table
are written to a temporary CSV file and read back with the portal's own loader (load.py); a row the
loader finds an error in is not imported, and the loader's message is the reason. Warnings (an
organisation identifier outside the org-id.guide register...) are left to the build, which shows them.
"""

from __future__ import annotations

import csv
import tempfile
from collections.abc import Sequence
from pathlib import Path

from ..load import FIRST_DATA_LINE, load_table
from ..schema import Table
from .datafiles import ENCODING


def row_errors(table: Table, columns: Sequence[str], rows: Sequence[Sequence[str]]) -> dict[int, str]:
    """For each row (a sequence of cells in ``columns`` order) the loader refuses: its position -> why."""
    if not rows:
        return {}
    header = list(columns)
    with tempfile.TemporaryDirectory(prefix="svportal-check-") as folder:
        path = Path(folder) / table.filename
        with path.open("w", encoding=ENCODING, newline="") as stream:
            writer = csv.writer(stream, lineterminator="\n")  # as datafiles.csv_bytes writes the data files
            writer.writerow(header)
            writer.writerows(rows)
        _, problems = load_table(path, table)
    found: dict[int, str] = {}
    for problem in problems:
        if not problem.is_error:
            continue
        if problem.line is None or problem.line < FIRST_DATA_LINE:
            raise ValueError(f"imported {table.filename} rows cannot be read at all: {problem}")
        where = f"{problem.column}: " if problem.column else ""
        found.setdefault(problem.line - FIRST_DATA_LINE, f"{where}{problem.message}")
    return found
