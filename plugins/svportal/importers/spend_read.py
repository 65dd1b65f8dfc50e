"""Find and read Transparency Code spend files: CSV files, zips of them, or a folder of either.

Each CSV file becomes a :class:`SpendFile`, known by its ``source`` name (what ``payments.source`` records):
the file's name; in a folder, its path inside the folder given; in a zip, ``zip-name/path-in-zip``. A
folder is read in the order of those names (so monthly files named by date are read in date order).

Text: UTF-8 with or without a byte order mark; a file that is not UTF-8 is read as Windows-1252 (Excel's
"CSV (Comma delimited)" in the UK, where ``£`` is byte A3) with a warning; UTF-16 (Excel's "Unicode Text")
is read too. CRLF or LF line ends. The delimiter is the comma, or a tab or semicolon when the header line
has those and no commas.

Columns are found by their names, compared without case, spaces or punctuation (``Beneficiary Name``,
``beneficiary_name`` and ``BeneficiaryName`` are one name), among the LGA spend schema's titles and the
other names councils give them (:data:`ALIASES`). Lines above the header (a title, a blank line) are
skipped and reported. What cannot be read raises :class:`SourceError` naming the file (and the line).
"""

from __future__ import annotations

import codecs
import csv
import io
import itertools
import re
import sys
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

HEADER_SEARCH_LINES = 20  # the header is looked for in this many first lines
CSV_SUFFIX = ".csv"
ZIP_SUFFIX = ".zip"
SPREADSHEET_SUFFIXES = (".xlsx", ".xls", ".ods")

# The names councils give each column, besides the LGA spend schema's own title (the contract's ``standard``),
# compared as keys (see ``column_key``). The first found, in this order, is read; any other is reported.
ALIASES: dict[str, tuple[str, ...]] = {
    "organisation_label": ("organisationname", "organisation", "bodyname", "nameofbody", "council", "authority"),
    "organisation_uri": ("bodyuri",),
    "effective_date": (),
    "organisational_unit": (
        "organisationunit",
        "department",
        "directorate",
        "service",
        "servicearea",
        "expensearea",
        "serviceunit",
        "servicedivision",
    ),
    "beneficiary_name": (
        "suppliername",
        "supplier",
        "beneficiary",
        "payeename",
        "payee",
        "vendorname",
        "vendor",
        "creditorname",
        "creditor",
        "recipientname",
        "recipient",
    ),
    "beneficiary_other_id": (
        "beneficiaryid",
        "supplierid",
        "suppliernumber",
        "supplierno",
        "suppliercode",
        "supplierref",
        "supplierreference",
        "vendorid",
        "vendornumber",
        "vendorno",
        "creditorid",
        "creditornumber",
        "creditorno",
        "payeeid",
    ),
    "payment_date": ("date", "datepaid", "paiddate", "dateofpayment", "transactiondate", "paymentdatedate"),
    "transaction_number": (
        "transactionno",
        "transactionid",
        "transactionref",
        "transactionreference",
        "paymentreference",
        "paymentref",
        "paymentnumber",
    ),
    "amount_gbp": (
        "amountgbp",
        "netamount",
        "amountpaid",
        "paymentamount",
        "amountexvat",
        "amountexcludingvat",
        "amountexclvat",
        "netvalue",
        "value",
        "totalamount",
    ),
    "irrecoverable_vat_gbp": (
        "irrecoverablevat",
        "vatirrecoverable",
        "nonrecoverablevat",
        "unrecoverablevat",
        "vatnotrecoverable",
        "irrecoverablevatgbp",
    ),
    "purpose": (
        "purposeofexpenditure",
        "description",
        "expensetype",
        "expensedescription",
        "expendituredescription",
        "narrative",
        "details",
    ),
    "proclass_label": ("proclass", "proclassdescription", "proclasscategory", "procurementcategory"),
    "proclass_code": (),
    "invoice_number": ("invoiceno", "invoiceref", "invoicereference", "invoiceid", "supplierinvoicenumber"),
    "profit_centre": ("profitcentrecode", "costcentre", "costcentrecode", "costcentrenumber"),
    "vat_number": (
        "vatregistrationno",
        "vatregno",
        "vatregnumber",
        "vatreg",
        "vatregistration",
        "vatnumber",
        "vatno",
        "suppliervatnumber",
        "suppliervatregistrationnumber",
    ),
}
REQUIRED = ("amount_gbp", "beneficiary_name")  # a file without these is not spend data
DATES = ("payment_date", "effective_date")  # ... and it needs at least one of these

_NOT_KEY = re.compile(r"[^0-9a-z]+")


class SourceError(Exception):
    """A spend file (or folder, or zip) that cannot be imported at all."""


@dataclass(frozen=True)
class SpendFile:
    """A CSV file to import, read when it is imported (a year of files need not all be in memory at once)."""

    source: str  # the name payments.source records
    path: Path  # the file, or the zip it is in
    member: str | None = None  # its name in the zip

    def read(self) -> bytes:
        if self.member is None:
            return _read_bytes(self.path)
        try:
            with zipfile.ZipFile(self.path) as archive:
                return archive.read(self.member)
        except (zipfile.BadZipFile, OSError, KeyError, RuntimeError, NotImplementedError) as exc:
            raise SourceError(f"{self.path}: cannot be read as a zip: {exc}") from None


@dataclass
class Table:
    """One spend file's header and data lines as text, column by column, and how it was read."""

    source: str
    columns: dict[str, int]  # contract column -> position in the file's header
    header: list[str]  # the file's header as written
    lines: list[int]  # the line number of each non-blank line below the header
    cells: list[list[str]]  # for each position of the header, the cell of each of those lines ('' if none)
    wide: list[tuple[int, int]] = field(default_factory=list)  # (index, cells) of lines with more cells than titles
    header_line: int = 1
    notes: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def unused(self) -> list[tuple[int, str]]:
        """(position, title) of the file's columns the portal has no column for (blank titles left out)."""
        used = set(self.columns.values())
        return [(n, title) for n, title in enumerate(self.header) if n not in used and title.strip()]


def column_key(title: str) -> str:
    """A column name as compared: lower case, letters and digits only (``Beneficiary Name`` -> beneficiaryname)."""
    return _NOT_KEY.sub("", title.casefold())


# --- files ------------------------------------------------------------------------------------------------


def find_files(path: Path) -> tuple[list[SpendFile], list[str]]:
    """The CSV files of ``path`` (a CSV file, a zip, or a folder of them), and notes on what was left out."""
    if not path.exists():
        raise SourceError(f"{path}: no such file or folder")
    if path.is_dir():
        found: list[SpendFile] = []
        notes: list[str] = []
        for item in sorted(path.rglob("*"), key=lambda p: p.relative_to(path).as_posix()):
            name = item.relative_to(path).as_posix()
            if not item.is_file() or any(part.startswith(".") for part in PurePosixPath(name).parts):
                continue
            suffix = item.suffix.lower()
            if suffix == CSV_SUFFIX:
                found.append(SpendFile(name, item))
            elif suffix == ZIP_SUFFIX:
                members, left_out = _zip_members(item, name)
                found += members
                notes += left_out
            elif suffix in SPREADSHEET_SUFFIXES:
                notes.append(f"{name}: not read: a spreadsheet (save it as CSV to import it)")
            else:
                notes.append(f"{name}: not read: not a CSV or zip file")
        if not found:
            raise SourceError(f"{path}: the folder has no CSV files (or zips of them)")
        return found, notes
    suffix = path.suffix.lower()
    if suffix == CSV_SUFFIX:
        return [SpendFile(path.name, path)], []
    if suffix == ZIP_SUFFIX:
        members, notes = _zip_members(path, path.name)
        if not members:
            raise SourceError(f"{path}: the zip has no CSV files")
        return members, notes
    hint = " (save it as CSV first)" if suffix in SPREADSHEET_SUFFIXES else ""
    raise SourceError(f"{path}: is not a spend file this import reads: give a .csv or .zip file, or a folder{hint}")


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise SourceError(f"{path}: cannot be read: {exc.strerror or exc}") from None


def _zip_members(path: Path, name: str) -> tuple[list[SpendFile], list[str]]:
    """The CSV files inside a zip, in the order of their names (folders of Mac OS metadata left out)."""
    try:
        with zipfile.ZipFile(path) as archive:
            infos = sorted((i for i in archive.infolist() if not i.is_dir()), key=lambda i: i.filename)
            found, notes = [], []
            for info in infos:
                parts = PurePosixPath(info.filename).parts
                if parts and (parts[0] == "__MACOSX" or any(part.startswith(".") for part in parts)):
                    continue
                source = f"{name}/{info.filename}"
                if info.filename.lower().endswith(CSV_SUFFIX):
                    found.append(SpendFile(source, path, info.filename))
                else:
                    notes.append(f"{source}: not read: not a CSV file")
            return found, notes
    except (zipfile.BadZipFile, OSError, RuntimeError, NotImplementedError) as exc:
        raise SourceError(f"{path}: cannot be read as a zip: {exc}") from None


# --- one file's text ------------------------------------------------------------------------------------


def encoding_of(data: bytes, source: str) -> tuple[str, list[str]]:
    """The encoding a file's text is read in, and a warning when it is not UTF-8. The whole file is decoded to
    check it, a megabyte at a time. SourceError for text that cannot be read, or that holds NUL characters
    (it is not a CSV file)."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        where = _undecodable(data, "utf-16", source)
        if where is not None:
            raise SourceError(f"{source}: is not readable UTF-16 text (byte {where})")
        return "utf-16", []
    where = _undecodable(data, "utf-8-sig", source)
    if where is None:
        return "utf-8-sig", []
    line = data[:where].count(b"\n") + 1
    if _undecodable(data, "cp1252", source) is not None:
        raise SourceError(
            f"{source}:{line}: is neither UTF-8 nor Windows-1252 text: save it as 'CSV UTF-8 (Comma delimited)'"
        )
    warning = (
        f"not UTF-8 (line {line} has byte 0x{data[where]:02X}): read as Windows-1252, the encoding of "
        "Excel's 'CSV (Comma delimited)'; check names with accents or £ signs"
    )
    return "cp1252", [warning]


DECODE_STEP = 1 << 20


def _undecodable(data: bytes, encoding: str, source: str) -> int | None:
    """The offset of the first byte ``data`` cannot be decoded at in ``encoding``, or None when it all can.
    SourceError when the text has a NUL character."""
    decoder = codecs.getincrementaldecoder(encoding)()
    view = memoryview(data)
    for offset in range(0, max(len(data), 1), DECODE_STEP):
        try:
            text = decoder.decode(view[offset : offset + DECODE_STEP], final=offset + DECODE_STEP >= len(data))
        except UnicodeDecodeError:
            try:  # where exactly (the rare file that is not in this encoding is decoded again, whole)
                data.decode(encoding)
            except UnicodeDecodeError as exc:
                return exc.start
            return offset  # (not reached: the whole text cannot decode when a part cannot)
        if "\x00" in text:
            raise SourceError(f"{source}: contains NUL characters: it is not a CSV text file")
    return None


def _delimiter(first_line: str) -> str:
    if "," in first_line:
        return ","
    counts = {d: first_line.count(d) for d in ("\t", ";")}
    best = max(counts, key=counts.get)
    return best if counts[best] else ","


def read_table(spend_file: SpendFile, standard_titles: dict[str, str]) -> Table:
    """The header and lines of one spend file; SourceError if it has no header with the columns needed.

    ``standard_titles`` maps each contract column to its LGA spend schema title (the contract's ``standard``).
    """
    source = spend_file.source
    data = spend_file.read()
    encoding, warnings = encoding_of(data, source)
    start = data[:100_000].decode(encoding, errors="replace")
    first = next((line for line in start.splitlines() if line.strip()), "")
    text = io.TextIOWrapper(io.BytesIO(data), encoding=encoding, newline="")  # read as the csv reads it
    reader = csv.reader(text, delimiter=_delimiter(first), strict=True)
    aliases = _aliases(standard_titles)
    before = csv.field_size_limit()
    csv.field_size_limit(min(max(before, len(data) + 1), sys.maxsize))
    try:
        top = _numbered(reader, HEADER_SEARCH_LINES, 0)
        position, columns = next(
            ((n, found) for n, (_, cells) in enumerate(top) if _has_header(found := _columns(cells, aliases))),
            (None, {}),
        )
        if position is None:
            raise SourceError(
                f"{source}: has no {standard_titles['amount_gbp']} column in its first {HEADER_SEARCH_LINES} lines "
                "(is it a spend file?)"
            )
        line, cells = top[position]
        header = [cell.strip() for cell in cells]
        _check_columns(source, line, header, columns, standard_titles)
        table = Table(source, columns, header, [], [[] for _ in header], header_line=line)
        _add_lines(table, top[position + 1 :])
        last = reader.line_num
        while chunk := _numbered(reader, CHUNK, last):
            _add_lines(table, chunk)
            last = reader.line_num
    except csv.Error as exc:
        raise SourceError(f"{source}:{reader.line_num}: cannot be read as CSV: {exc}") from None
    finally:
        csv.field_size_limit(before)
    table.warnings += warnings
    skipped = [n for n, cells in top[:position] if any(c.strip() for c in cells)]
    if skipped:
        table.notes.append(f"{source}: lines above the header not read: {', '.join(map(str, skipped))}")
    for column, _title, duplicate in _duplicates(header, aliases, columns):
        table.warnings.append(
            f"the columns {header[columns[column]]!r} and {duplicate!r} are both {standard_titles[column]}: "
            f"{header[columns[column]]!r} is read"
        )
    return table


CHUNK = 20_000  # lines read at a time: their cells are turned into columns, each different text kept once


def _has_header(columns: dict[str, int]) -> bool:
    return "amount_gbp" in columns or "beneficiary_name" in columns


def _check_columns(source: str, line: int, header: list[str], columns: dict[str, int], titles: dict[str, str]):
    """SourceError when the file lacks a column every payment needs."""
    for needed in REQUIRED:
        if needed not in columns:
            names = ", ".join([titles[needed], *ALIASES[needed][:4]])
            found = ", ".join(h for h in header if h) or "none"
            raise SourceError(
                f"{source}:{line}: has no {titles[needed]} column (looked for {names}...; the header has {found})"
            )
    if not any(name in columns for name in DATES):
        raise SourceError(
            f"{source}:{line}: has no {titles['payment_date']} or {titles['effective_date']} column: a payment "
            "needs a date"
        )


def _numbered(reader, count: int, last: int) -> list[tuple[int, list[str]]]:
    """The next ``count`` records (fewer at the end), each with the line it starts on: a quoted cell may hold
    line breaks, so a record can take several lines. ``last`` is the line the record before ended on."""
    found = []
    for cells in itertools.islice(reader, count):
        found.append((last + 1, cells))
        last = reader.line_num
    return found


def _add_lines(table: Table, records: list[tuple[int, list[str]]]) -> None:
    """Add the non-blank records to the table's columns (each different text of a column kept once a chunk)."""
    width = len(table.header)
    kept = []
    for line, cells in records:
        if not "".join(cells).strip():
            continue
        if len(cells) != width:
            if len(cells) > width and "".join(cells[width:]).strip():
                table.wide.append((len(table.lines), len(cells)))
            cells = (cells + [""] * width)[:width]
        kept.append(cells)
        table.lines.append(line)
    if not kept:
        return
    for column, values in zip(table.cells, zip(*kept)):
        known: dict[str, str] = {}
        column += [known.setdefault(value, value) for value in values]


def _aliases(standard_titles: dict[str, str]) -> dict[str, tuple[str, ...]]:
    """Each contract column's names as keys, the LGA title first."""
    return {column: (column_key(standard_titles[column]), *ALIASES[column]) for column in ALIASES}


def _columns(cells: list[str], aliases: dict[str, tuple[str, ...]]) -> dict[str, int]:
    """Which position of the header each contract column is read from (the first of its names found)."""
    positions: dict[str, int] = {}
    for n, title in enumerate(cells):
        positions.setdefault(column_key(title), n)
    found = {}
    taken = set()
    for column, keys in aliases.items():
        for key in keys:
            if key in positions and positions[key] not in taken:
                found[column] = positions[key]
                taken.add(positions[key])
                break
    return found


def _duplicates(header: list[str], aliases, columns: dict[str, int]) -> Iterator[tuple[str, str, str]]:
    """Columns of the file that are another name of a contract column already read from another position."""
    used = set(columns.values())
    for n, title in enumerate(header):
        if n in used:
            continue
        key = column_key(title)
        for column, keys in aliases.items():
            if key in keys and column in columns:
                yield column, header[columns[column]], title
                break
