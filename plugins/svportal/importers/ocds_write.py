"""The rows an OCDS import mapped: gathered on disk, checked the way a build would, merged into the data files.

:class:`Collected` keeps each table's rows in a temporary file (spooled.py) as the releases are mapped, so
a national source is imported in bounded memory. :func:`check_rows` leaves out the rows the portal's
loader refuses (rowcheck.py), with the loader's message as the reason, and the rows below them (a
contract's suppliers, an opportunity's lots). :func:`merge_and_write` merges what is left into the data
folder's file with datafiles.py: every column the import does not own, and every cell the source leaves
blank, stays as staff wrote it; a file whose rows do not change is not rewritten.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..parse import slugify
from .datafiles import merge_rows, read_data_file, write_data_files
from .ocds_map import CONTRACT_COLUMNS, LOT_COLUMNS, OPPORTUNITY_COLUMNS, SUPPLIER_COLUMNS
from .report import ImportReport
from .rowcheck import row_errors
from .spooled import SpooledRows

# table -> (the columns the import owns, the merge key), in the order they are written (parents first)
TABLES = {
    "contracts": (CONTRACT_COLUMNS, ("contract_id",)),
    "contract_suppliers": (SUPPLIER_COLUMNS, ("contract_id", "supplier_name")),
    "opportunities": (OPPORTUNITY_COLUMNS, ("opportunity_id",)),
    "opportunity_lots": (LOT_COLUMNS, ("opportunity_id", "lot_id")),
}
PARENTS = {"contract_suppliers": "contracts", "opportunity_lots": "opportunities"}  # their first column is its id
CHECK_CHUNK = 5_000  # rows the loader checks at a time


@dataclass
class Collected:
    """The rows mapped so far, table by table, and the buyers they name."""

    tables: dict[str, SpooledRows] = field(default_factory=lambda: {n: SpooledRows(c) for n, (c, _) in TABLES.items()})
    buyers: dict[str, str] = field(default_factory=dict)  # buyer name -> org-id ('' for none)
    refused: dict[str, set[int]] = field(default_factory=lambda: {name: set() for name in TABLES})  # rows left out

    def add(self, table: str, record: str, row: dict) -> None:
        self.tables[table].add(row, record)

    def count(self, table: str) -> int:
        return len(self.tables[table]) - len(self.refused[table])

    def close(self) -> None:
        for spooled in self.tables.values():
            spooled.close()


def check_rows(collected: Collected, contract, report: ImportReport) -> None:
    """Note the rows a build would refuse (and the rows below them), each refusal a skip with the reason.

    The loader reads the rows CHECK_CHUNK at a time; what it checks across rows, that no two ids share a
    page address, is checked here on the whole table.
    """
    dropped: dict[str, set[str]] = {name: set() for name in TABLES}
    for name, (columns, _) in TABLES.items():
        table = contract.table(name)
        gone = dropped.get(PARENTS.get(name, ""), set())
        owners: dict[str, str] = {}
        unique = len(table.primary_key) == 1 and table.field(table.primary_key[0]).descriptor.get("slugUnique")
        chunk: list[tuple[int, list[str], str]] = []
        for number, (cells, record) in enumerate(collected.tables[name]):
            if cells[0] in gone:
                collected.refused[name].add(number)  # its parent was left out, and said why
                continue
            if unique:
                slug = slugify(cells[0])
                if owners.setdefault(slug, cells[0]) != cells[0]:
                    why = f"{cells[0]} would share the page address '{slug}' with {owners[slug]}"
                    _refuse(collected, dropped, report, name, number, cells, record, why)
                    continue
            chunk.append((number, cells, record))
            if len(chunk) == CHECK_CHUNK:
                _check_chunk(collected, dropped, report, name, columns, table, chunk)
                chunk = []
        _check_chunk(collected, dropped, report, name, columns, table, chunk)


def _check_chunk(collected, dropped, report, name, columns, table, chunk) -> None:
    errors = row_errors(table, columns, [cells for _, cells, _ in chunk])
    for position, why in sorted(errors.items()):
        number, cells, record = chunk[position]
        _refuse(collected, dropped, report, name, number, cells, record, why)


def _refuse(collected, dropped, report, name, number, cells, record, why) -> None:
    report.skip(record, f"{name} row {cells[0]}: {why}")
    collected.refused[name].add(number)
    dropped[name].add(cells[0])


def merge_and_write(data_dir: Path, contract, name: str, collected: Collected, report: ImportReport) -> None:
    """Merge one table's rows into its data file and write it if anything changed."""
    columns, key = TABLES[name]
    table = contract.table(name)
    if not collected.count(name) and not (data_dir / table.filename).exists():
        return
    refused = collected.refused[name]
    incoming = (
        dict(zip(columns, cells)) for number, (cells, _) in enumerate(collected.tables[name]) if number not in refused
    )
    merged, stats = merge_rows(read_data_file(data_dir, table), incoming, key, name)
    report.merged[name] = stats
    write_data_files([merged])
