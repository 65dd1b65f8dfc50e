"""Read a 360Giving file (CSV, Excel .xlsx or JSON) into one list of values per grant, each with where it was.

The spreadsheet forms name each value by its column title (``Recipient Org:Name``); the JSON form by its
place in the grant object, which :mod:`..threesixtygiving` turns into the same title for the fields a
spreadsheet has a column for (the first recipient, the first planned dates...). Nothing is dropped here:
every value read is passed on, with its title (None when the standard gives it no column) and its path for
messages (the column title, or a JSON path such as ``grants[3].recipientOrganization[0].streetAddress``).

The file's encoding: CSV is read as UTF-8 (with or without a byte order mark); a file that is not UTF-8
is read as Windows-1252, the encoding Excel's plain "CSV (Comma delimited)" uses in the UK, and the import
warns that it did so. JSON must be UTF-8, as JSON is. A file that cannot be read at all raises
:class:`SourceError` with one line naming the file (and the line or the JSON path).
"""

from __future__ import annotations

import csv
import io
import json
import sys
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from ..threesixtygiving import SECTIONS, title_key, title_of

IDENTIFIER = "Identifier"
GRANTS_SHEET = "grants"
KINDS = {".csv": "CSV", ".json": "JSON", ".xlsx": "XLSX"}


class SourceError(Exception):
    """The file cannot be imported at all (not CSV, JSON or .xlsx, unreadable, without grants)."""


@dataclass(frozen=True)
class Value:
    title: str | None  # the standard's column title (as the file writes it), None when it has none
    path: str  # where, for messages: the column title, or the JSON path
    value: object  # str (CSV), str/int/float/bool/datetime (Excel), str/int/Decimal/bool/list/dict/None (JSON)


@dataclass(frozen=True)
class SourceGrant:
    place: str  # "line 12" (CSV), "sheet grants row 12" (Excel), "grants[3]" (JSON)
    values: tuple[Value, ...]
    problem: str | None = None  # why it cannot be read as a grant at all (a JSON item that is not an object)


@dataclass
class Source:
    name: str  # the file's name, for messages
    kind: str  # CSV, XLSX or JSON
    grants: list[SourceGrant]
    notes: list[str] = field(default_factory=list)  # how it was read
    warnings: list[str] = field(default_factory=list)  # what the person importing should know
    package: tuple[Value, ...] = ()  # JSON: the package's own properties besides "grants"


def read_source(path: Path) -> Source:
    """The grants of a 360Giving file, by its extension: .csv, .json or .xlsx."""
    kind = KINDS.get(path.suffix.lower())
    if kind is None:
        raise SourceError(
            f"{path}: is not a 360Giving file this import reads: give a .csv, .json or .xlsx file"
            + (" (save an old .xls workbook as .xlsx first)" if path.suffix.lower() == ".xls" else "")
        )
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise SourceError(f"{path}: cannot be read: {exc.strerror or exc}") from None
    if kind == "CSV":
        return read_csv(raw, path.name)
    if kind == "XLSX":
        return read_xlsx(raw, path.name)
    return read_json(raw, path.name)


# --- spreadsheets -------------------------------------------------------------------------------


def _header(cells: list, where: str) -> list[str]:
    """The column titles; the file must have an Identifier column and no title twice."""
    titles = ["" if cell is None else " ".join(str(cell).split()) for cell in cells]
    first: dict[str, int] = {}
    for number, title in enumerate(titles, start=1):
        if not title:
            continue
        key = title_key(title)
        if key in first:
            raise SourceError(f"{where}: the column title '{title}' appears twice (columns {first[key]} and {number})")
        first[key] = number
    if title_key(IDENTIFIER) not in first:
        raise SourceError(
            f"{where}: has no Identifier column: the first row must hold the 360Giving column titles "
            "(Identifier, Title, Description, Currency, Amount Awarded, Award Date, Recipient Org:Name...)"
        )
    return titles


def _row_values(titles: list[str], cells: list) -> tuple[Value, ...]:
    """The row's cells as values named by their column titles (``column N`` under a blank or missing title)."""
    values = []
    for number, cell in enumerate(cells, start=1):
        title = titles[number - 1] if number <= len(titles) else ""
        values.append(Value(title or None, title or f"column {number}", cell))
    return tuple(values)


def _blank(cell) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())


def read_csv(raw: bytes, name: str) -> Source:
    """A CSV file with the standard's column titles in its first row."""
    notes, warnings = [], []
    try:
        text = raw.decode("utf-8-sig")
        notes.append(f"read {name} as CSV (UTF-8)")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        try:
            text = raw.decode("cp1252")
        except UnicodeDecodeError:
            raise SourceError(
                f"{name}:{line}: is neither UTF-8 nor Windows-1252 text (byte 0x{raw[exc.start]:02X}): "
                "save it as 'CSV UTF-8 (Comma delimited)'"
            ) from None
        notes.append(f"read {name} as CSV (Windows-1252: it is not UTF-8 from line {line})")
        warnings.append(
            f"{name} is not UTF-8 (line {line}), so it was read as Windows-1252: check that £, accents and "
            "curly quotes came through, or save it as 'CSV UTF-8 (Comma delimited)' and import it again"
        )
    if "\x00" in text:
        raise SourceError(f"{name}: contains NUL bytes: it is not a CSV text file")
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    records: list[tuple[int, list[str]]] = []
    before = csv.field_size_limit()
    csv.field_size_limit(min(max(before, len(text) + 1), sys.maxsize))
    try:
        header = next(reader, None)
        line = reader.line_num + 1
        for cells in reader:
            records.append((line, cells))
            line = reader.line_num + 1
    except csv.Error as exc:
        raise SourceError(f"{name}:{reader.line_num}: cannot be read as CSV: {exc}") from None
    finally:
        csv.field_size_limit(before)
    if header is None:
        raise SourceError(f"{name}: is empty: it needs a header row of 360Giving column titles")
    titles = _header(header, f"{name}:1")
    grants = [
        SourceGrant(f"line {line}", _row_values(titles, cells))
        for line, cells in records
        if not all(_blank(cell) for cell in cells)
    ]
    return Source(name, "CSV", grants, notes, warnings)


def read_xlsx(raw: bytes, name: str) -> Source:
    """An Excel workbook: the sheet named "grants" (in any case), else the first sheet."""
    from openpyxl import load_workbook  # (only an Excel import needs it)

    try:
        workbook = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, TypeError) as exc:
        raise SourceError(f"{name}: cannot be read as an Excel .xlsx workbook ({exc})") from None
    try:
        sheets = workbook.worksheets
        if not sheets:
            raise SourceError(f"{name}: the workbook has no sheets")
        sheet = next((s for s in sheets if s.title.strip().casefold() == GRANTS_SHEET), sheets[0])
        rows = sheet.iter_rows(values_only=True)
        header = next(rows, None)
        where = f"{name}: sheet '{sheet.title}'"
        if header is None:
            raise SourceError(f"{where}: is empty: it needs a header row of 360Giving column titles")
        titles = _header(list(header), f"{where} row 1")
        grants = []
        for number, cells in enumerate(rows, start=2):
            if all(_blank(cell) for cell in cells):
                continue
            grants.append(SourceGrant(f"sheet '{sheet.title}' row {number}", _row_values(titles, list(cells))))
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise SourceError(f"{name}: cannot be read as an Excel .xlsx workbook ({exc})") from None
    finally:
        workbook.close()
    return Source(name, "XLSX", grants, [f"read {name} as an Excel workbook (sheet '{sheet.title}')"])


# --- JSON ---------------------------------------------------------------------------------------


def _no_constant(name: str):
    raise ValueError(f"{name} is not a JSON number")


def read_json(raw: bytes, name: str) -> Source:
    """A 360Giving JSON package: ``{"grants": [{...}, ...], ...}``. Amounts keep their decimals exactly."""
    try:
        data = json.loads(raw.decode("utf-8-sig"), parse_float=Decimal, parse_constant=_no_constant)
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise SourceError(f"{name}:{line}: is not UTF-8 text, as JSON must be") from None
    except json.JSONDecodeError as exc:
        raise SourceError(f"{name}:{exc.lineno}: is not valid JSON: {exc.msg} (column {exc.colno})") from None
    except (ValueError, RecursionError) as exc:
        raise SourceError(f"{name}: is not valid JSON: {exc}") from None
    if not isinstance(data, dict) or "grants" not in data:
        raise SourceError(f'{name}: has no "grants" at the top: a 360Giving JSON file is {{"grants": [...]}}')
    if not isinstance(data["grants"], list):
        raise SourceError(f"{name}: grants: is not an array of grants")
    grants = []
    for index, grant in enumerate(data["grants"]):
        place = f"grants[{index}]"
        if isinstance(grant, dict):
            grants.append(SourceGrant(place, tuple(_grant_values(grant, place))))
        else:
            grants.append(SourceGrant(place, (), f"is not a JSON object but {_kind(grant)}"))
    package = tuple(Value(None, key, value) for key, value in data.items() if key != "grants")
    return Source(name, "JSON", grants, [f"read {name} as 360Giving JSON"], package=package)


def _grant_values(grant: dict, place: str) -> Iterator[Value]:
    """A grant's values: its own properties, and the properties of the first object of each of its arrays
    (an object where the standard has an array of them is read as that array's one object)."""
    for key, value in grant.items():
        path = f"{place}.{key}"
        if key in SECTIONS and isinstance(value, (list, dict)):
            items = value if isinstance(value, list) else [value]  # (one object where an array belongs: read as one)
            for number, item in enumerate(items):
                item_path = f"{path}[{number}]" if isinstance(value, list) else path
                if number == 0 and isinstance(item, dict):
                    for sub, sub_value in item.items():
                        yield Value(title_of(key, sub), f"{item_path}.{sub}", sub_value)
                else:
                    yield Value(None, item_path, item)
        else:
            yield Value(title_of(None, key), path, value)


def _kind(value) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true or false"
    if isinstance(value, (int, Decimal)):
        return "a number"
    if isinstance(value, str):
        return "a string"
    return "an array"
