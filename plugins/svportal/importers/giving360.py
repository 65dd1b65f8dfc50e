"""``python -m svportal.importers 360giving --data DIR FILE`` (``make import-360giving``): 360Giving grants
into the data folder's grants.csv.

The file is a funder's 360Giving publication (CSV with the standard's column titles, an Excel .xlsx
workbook, or 360Giving JSON): see :mod:`.giving360_read`. Its grants become rows of the contract's
``grants`` table (:mod:`.giving360_rows`) and are merged into DIR/grants.csv by their Identifier
(:mod:`.datafiles`): columns staff added and values staff typed where the file has none are kept, and
importing the same file again changes no byte. What was added, updated, unchanged and skipped, the
warnings, and every value the portal has no column for are printed and written to
DIR/import-reports/360giving-report.txt and 360giving-loss-report.csv.

A file that cannot be imported at all (not CSV, JSON or .xlsx; no Identifier column; JSON without
"grants") stops the import with one line naming the file, exit code 1, and nothing is written.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..schema import SchemaError, read_contract
from .datafiles import CONTRACT, DataFileError, merge_rows, read_data_file, write_data_files
from .giving360_read import SourceError, read_source
from .giving360_rows import checked_rows, grant_rows
from .report import ImportReport

TABLE = "grants"
REPORT_STEM = "360giving"


def main(argv: list[str] | None = None) -> int:
    args = _arguments(argv)
    try:
        report = import_grants(args.source, args.data, args.contract)
    except (SourceError, DataFileError, SchemaError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(report.summary())
    return 0


def import_grants(source_path: Path, data_dir: Path, contract_path: Path = CONTRACT) -> ImportReport:
    """Import one 360Giving file into ``data_dir``; raise SourceError (or DataFileError) before writing anything."""
    if data_dir.exists() and not data_dir.is_dir():
        raise DataFileError(f"{data_dir}: is not a folder")
    table = read_contract(contract_path).table(TABLE)
    source = read_source(source_path)
    report = ImportReport("360Giving", str(source_path))
    report.notes += source.notes
    report.notes.append(f"{len(source.grants):,} grant{'s' if len(source.grants) != 1 else ''} read")
    for message in source.warnings:
        report.warn(source.name, "(the file)", message)
    rows = checked_rows(grant_rows(source, table, report), table, report)
    data, merged = merge_rows(read_data_file(data_dir, table), [r.row for r in rows], table.primary_key, TABLE)
    report.merged[TABLE] = merged
    write_data_files([data])
    report.write(data_dir, REPORT_STEM)
    return report


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m svportal.importers 360giving",
        description="Read a 360Giving file (CSV, .xlsx or JSON) into the data folder's grants.csv.",
    )
    parser.add_argument("--data", type=Path, required=True, help="the data folder (grants.csv is created if absent)")
    parser.add_argument(
        "--contract", type=Path, default=CONTRACT, help="the data contract (default: data/datapackage.json)"
    )
    parser.add_argument("source", type=Path, help="the 360Giving file: .csv, .json or .xlsx")
    return parser.parse_args(argv)
