"""The data folder's CSV files as text: read them, merge imported rows in, write them back.

An import owns some columns of a table (those it can fill from the source). Merging a row whose key is
already in the file updates only those columns, and only where the source gives a value: a blank from
the source never erases what staff typed, and every other column (social value weighting, flags, a
column staff added) is kept as written. Rows the import does not mention are kept, in their order; new
rows follow, in the order the importer gives them. Cells are text throughout, so a value staff wrote as
``£1,234`` stays ``£1,234`` unless the source changes it.

Writing is all or nothing per file (a temporary file beside it, then one rename), and a file whose rows
did not change is not rewritten: importing the same source twice leaves every byte as it was.
"""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

from ..schema import Table

ENCODING = "utf-8"
# The project's data contract: the importers write the tables it describes (--contract to use another)
CONTRACT = Path(__file__).resolve().parents[3] / "data" / "datapackage.json"


@dataclass
class DataFile:
    """One table's CSV file as text: its header and its rows (column -> cell)."""

    path: Path
    header: list[str]
    rows: list[dict[str, str]]
    original: bytes | None = None  # the file's bytes as read; None for a file that did not exist

    @property
    def exists(self) -> bool:
        return self.original is not None


@dataclass
class Merged:
    """What merging did to one table: the keys of the rows added, updated and unchanged."""

    table: str
    added: list[tuple[str, ...]] = field(default_factory=list)
    updated: list[tuple[str, ...]] = field(default_factory=list)
    unchanged: list[tuple[str, ...]] = field(default_factory=list)


class DataFileError(Exception):
    """A data file the import cannot merge into (unreadable, or without the key columns)."""


def read_data_file(data_dir: Path | str, table: Table) -> DataFile:
    """The table's file in ``data_dir``; an empty one with the contract's columns when there is none."""
    path = Path(data_dir) / table.filename
    if not path.exists():
        return DataFile(path, list(table.field_names), [])
    raw = path.read_bytes()
    try:
        raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DataFileError(f"{path}: not UTF-8 text (byte {exc.start}): save it as CSV UTF-8 first") from None
    reader = csv.reader(text_lines(raw))
    first = next(reader, None)
    if first is None:
        return DataFile(path, list(table.field_names), [], raw)
    header = [name.strip() for name in first]
    rows = []
    for cells in reader:
        if not any(cell.strip() for cell in cells):
            continue
        cells = cells + [""] * (len(header) - len(cells))
        rows.append(dict(zip(header, cells)))
    return DataFile(path, header, rows, raw)


def merge_rows(
    data: DataFile, incoming: Iterable[Mapping[str, str]], key: tuple[str, ...], table_name: str
) -> tuple[DataFile, Merged]:
    """``data`` with the ``incoming`` rows merged in by ``key`` (see the module docstring).

    Each incoming row holds the columns the import owns, as text ('' where the source has nothing).
    """
    missing = [k for k in key if k not in data.header and data.rows]
    if missing:
        raise DataFileError(f"{data.path}: has no {', '.join(missing)} column, so imported rows cannot be matched")
    header = list(data.header)
    rows = [dict(row) for row in data.rows]
    where = {tuple(row.get(k, "").strip() for k in key): n for n, row in enumerate(rows)}
    merged = Merged(table_name)
    for new in incoming:
        for column in new:
            if column not in header:
                header.append(column)
        identity = tuple(new[k] for k in key)
        if identity in where:
            row = rows[where[identity]]
            before = dict(row)
            for column, value in new.items():
                if value != "" and row.get(column, "") != value:
                    row[column] = value
            (merged.updated if row != before else merged.unchanged).append(identity)
        else:
            where[identity] = len(rows)
            rows.append({column: new.get(column, "") for column in header})
            merged.added.append(identity)
    return DataFile(data.path, header, rows, data.original), merged


def csv_bytes(header: list[str], rows: list[Mapping[str, str]]) -> bytes:
    """The CSV text of a table: UTF-8, LF line ends, quoted only where needed."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([row.get(column, "") for column in header])
    return out.getvalue().encode(ENCODING)


def text_lines(raw: bytes) -> io.TextIOWrapper:
    """UTF-8 bytes as lines for csv.reader, decoded a piece at a time: a large file is never held as text
    (an io.StringIO of it would take four bytes a character)."""
    return io.TextIOWrapper(io.BytesIO(raw), encoding="utf-8-sig", newline="")


def changed(data: DataFile) -> bool:
    """Whether writing ``data`` would change its file (a file read and left as it was is not rewritten).

    The file's rows are compared one at a time with ``data``'s, so a large file is never held twice.
    """
    if not data.exists:
        return bool(data.rows)
    lines = _lines_of(data.original)
    first = next(lines, None)
    header = [name.strip() for name in first] if first is not None else []
    if header != data.header:
        return True
    rows = iter(data.rows)
    for cells in lines:
        row = next(rows, None)
        if row is None or cells + [""] * (len(header) - len(cells)) != [row.get(c, "") for c in header]:
            return True
    return next(rows, None) is not None


def _lines_of(raw: bytes) -> Iterator[list[str]]:
    """The non-blank lines of CSV bytes, as cells."""
    for cells in csv.reader(text_lines(raw)):
        if any(c.strip() for c in cells):
            yield cells


def write_data_files(files: Iterable[DataFile]) -> list[Path]:
    """Write each changed file (temporary file, then rename); return the paths written.

    Rows are written one at a time (the same bytes as :func:`csv_bytes`), so a large table is not held
    twice in memory.
    """
    pending = [data for data in files if changed(data)]
    for data in pending:
        write_rows_atomically(data.path, data.header, data.rows)
    return [data.path for data in pending]


def write_rows_atomically(path: Path, header: list[str], rows: Iterable[Mapping[str, str]]) -> None:
    """Write a table's CSV (as :func:`csv_bytes` makes it) through a temporary file beside it and one rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with temporary.open("w", encoding=ENCODING, newline="") as out:
            writer = csv.writer(out, lineterminator="\n")
            writer.writerow(header)
            writer.writerows([row.get(column, "") for column in header] for row in rows)
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)


def write_atomically(path: Path, content: bytes) -> None:
    """Write ``content`` to ``path`` through a temporary file beside it and one rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        temporary.write_bytes(content)
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)


# --- cells: values as the data contract writes them ---------------------------------------------------


def cell(value) -> str:
    """A value as CSV text the loader reads back as the same value ('' for none)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            return ""
        return number_text(Decimal(repr(value)))
    if isinstance(value, Decimal):
        return number_text(value)
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return ";".join(cell(item) for item in value if cell(item))
    return " ".join(str(value).split()) if "\n" not in str(value) else str(value).strip()


def number_text(value: Decimal) -> str:
    """A plain decimal numeral: no exponent, no trailing zeros after the point (``1500``, ``12.5``)."""
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text
