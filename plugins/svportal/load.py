"""Read the published CSVs into typed DataFrames and check them against the contract.

``load_dataset(data_dir, contract)`` never raises for bad data: every problem
becomes a :class:`Problem` (file, line, column, message) and all of them are
returned together, so staff see every mistake in one run. Each DataFrame keeps
a ``_line`` column: the spreadsheet row each record came from.

Cells are checked cheapest first: a cell over its column's ``maxLength``, or with
a character it may not contain (a line break in a one-line column, a control
character anywhere), is reported once and left out of the later, costlier checks
(types, patterns, page addresses), so a 10 MB cell costs no more than reading it.
"""

from __future__ import annotations

import csv
import difflib
import io
import sys
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from . import orgid
from .boundaries import Boundaries, read_boundaries
from .parse import (
    ONE_LINE_FORBIDDEN,
    character_problem,
    date_problem,
    has_forbidden_characters,
    parse_booleans,
    parse_dates,
    parse_dates_or_date_times,
    parse_numbers,
    slugify,
    split_list,
    url_problem,
)
from .problems import ERROR, WARNING, Problem, errors
from .schema import DataContract, Field, Table
from .wards import check_wards

LINE = "_line"
FIRST_DATA_LINE = 2  # the header is line 1


@dataclass
class Dataset:
    """The validated tables, keyed by resource name, and every problem found."""

    tables: dict[str, pd.DataFrame]
    problems: list[Problem] = field(default_factory=list)
    contract: DataContract | None = None
    absent: tuple[str, ...] = ()  # the optional tables whose file is not in the data folder (empty here)
    boundaries: Boundaries | None = None  # the wards' boundaries (wards.geojson), for the map of the wards

    @property
    def errors(self) -> list[Problem]:
        return errors(self.problems)

    @property
    def ok(self) -> bool:
        return not self.errors


# --- reading text ----------------------------------------------------------------


def _decode(raw: bytes, filename: str) -> tuple[str | None, list[Problem]]:
    try:
        return raw.decode("utf-8-sig"), []
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        byte = raw[exc.start]
        hint = (
            " It looks like a Windows 'CSV' export (where £ is byte 0xA3):"
            if byte in (0xA3, 0x80, 0x92, 0x93, 0x94, 0x96)
            else ""
        )
        return None, [
            Problem(
                filename,
                line,
                None,
                f"the file is not UTF-8 text (byte 0x{byte:02X} cannot be read).{hint}"
                " save it again as 'CSV UTF-8 (Comma delimited)'.",
            )
        ]


@contextmanager
def _csv_fields_up_to(size: int):
    """Let the csv module read fields of up to ``size`` characters (its default stops at 131,072).

    An over-long cell must reach the length check, which names its row and column.
    """
    before = csv.field_size_limit()
    csv.field_size_limit(min(max(before, size), sys.maxsize))
    try:
        yield
    finally:
        csv.field_size_limit(before)


def read_rows(path: Path) -> tuple[list[str], list[tuple[int, list[str]]], list[Problem]]:
    """Header and (line, cells) records of one CSV file; wholly blank rows are skipped."""
    text, problems = _decode(path.read_bytes(), path.name)
    if text is None:
        return [], [], problems
    if "\x00" in text:
        return [], [], [Problem(path.name, None, None, "the file contains NUL bytes: it is not a CSV text file")]
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        with _csv_fields_up_to(len(text) + 1):
            records = list(reader)
    except csv.Error as exc:
        return [], [], [Problem(path.name, reader.line_num, None, f"cannot be read as CSV: {exc}")]
    if not records:
        return [], [], [Problem(path.name, 1, None, "the file is empty: it needs a header row")]
    header = [name.strip() for name in records[0]]
    rows = [
        (number, cells) for number, cells in enumerate(records[1:], start=FIRST_DATA_LINE) if "".join(cells).strip()
    ]
    return header, rows, problems


# --- one table ------------------------------------------------------------------


def _header_cell_problem(table: Table, column: str) -> str | None:
    """What is wrong with a header cell's text (a line break, a control character, too long a name), or None."""
    wrong = character_problem(column)
    if wrong:
        return f"the column name {_describe_value(column)} {wrong}"
    limit = table.column_name_max_length
    if limit and len(column) > limit and column not in table.field_names:
        return f"the column name {_describe_value(column)} is {len(column):,} characters long: the limit is {limit:,}"
    return None


def _column_label(table: Table, column: str, position: int) -> str:
    """The name a column goes by in messages and frames: its own, or ``column N`` when that cannot be used."""
    if not column or _header_cell_problem(table, column):
        return f"column {position}"
    return column


def _check_header(table: Table, header: list[str]) -> list[Problem]:
    name = table.filename
    problems = []
    seen = set()
    for position, column in enumerate(header, start=1):
        wrong = _header_cell_problem(table, column) if column else None
        if not column:
            problems.append(Problem(name, 1, f"column {position}", "the header cell is blank: give the column a name"))
        elif wrong:
            problems.append(Problem(name, 1, f"column {position}", wrong))
        elif column in seen:
            problems.append(Problem(name, 1, column, "this column name appears more than once"))
        seen.add(column)
    for f in table.fields:
        if f.name in seen:
            continue
        close = difflib.get_close_matches(f.name, [h for h in header if h not in table.field_names], n=1)
        hint = f" (is '{close[0]}' meant to be '{f.name}'?)" if close else ""
        if f.required:
            problems.append(Problem(name, 1, f.name, f"required column is missing{hint}"))
        else:
            problems.append(
                Problem(name, 1, f.name, f"optional column is absent; treated as blank{hint}", severity=WARNING)
            )
    for column in header:
        if column and column not in table.field_names and not _header_cell_problem(table, column):
            problems.append(
                Problem(
                    name, 1, column, "column is not in the data dictionary; it is kept in downloads", severity=WARNING
                )
            )
    return problems


def _frame(table: Table, header: list[str], rows: list[tuple[int, list[str]]]) -> tuple[pd.DataFrame, list[Problem]]:
    problems = []
    width = len(header)
    data = []
    for line, cells in rows:
        if len(cells) > width and any(c.strip() for c in cells[width:]):
            problems.append(
                Problem(
                    table.filename, line, None, f"the row has {len(cells)} cells but the header has {width} columns"
                )
            )
        cells = (cells + [""] * width)[:width] if len(cells) != width else cells
        data.append([*map(str.strip, cells), line])
    columns = [_column_label(table, h, i) for i, h in enumerate(header, start=1)]
    frame = pd.DataFrame(data, columns=[*columns, LINE], dtype=object)
    frame = frame.loc[:, ~frame.columns.duplicated()]
    for f in table.fields:
        if f.name not in frame.columns:
            frame[f.name] = ""
    frame[LINE] = frame[LINE].astype("int64")
    return frame, problems


@lru_cache(maxsize=1 << 12)  # the same wrong value is often reported on many rows
def _describe_value(value: str) -> str:
    """A cell's text for a message: quoted, cut at 60 characters, line breaks and control characters escaped."""
    shown = value if len(value) <= 60 else value[:57] + "..."
    if not shown.isprintable():  # (printable text has none of them: the quick test first)
        shown = ONE_LINE_FORBIDDEN.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), shown)
    return f"'{shown}'"


def _where(mask: pd.Series, index: pd.Index) -> np.ndarray:
    """The positions in ``index`` where ``mask`` (perhaps with gaps or NA) is true."""
    return np.flatnonzero(mask.reindex(index, fill_value=False).fillna(False).to_numpy(dtype=bool))


def _is_web_address(f: Field) -> bool:
    return f.descriptor.get("format") == "uri"


def _pattern_message(f: Field, constraints: dict) -> Callable[[str], str]:
    """How a cell that does not match the column's pattern is explained."""
    if _is_web_address(f):
        generic = "is not a web address starting https:// (or http://; other schemes are not accepted)"
        return lambda v: (url_problem(v) if v.startswith(("https://", "http://")) else None) or generic
    if f.descriptor.get("format") == "email":
        return lambda v: "is not an email address"
    if "patternDescription" in f.descriptor:
        return lambda v: "is not " + f.descriptor["patternDescription"]
    return lambda v: "does not have the expected form " + constraints["pattern"]


def _typed_column(table: Table, f: Field, text: pd.Series, lines: pd.Series) -> tuple[pd.Series, list[Problem]]:
    """Parse one column's text into its type and check its constraints."""
    problems: list[Problem] = []
    cells, line_numbers = text.to_numpy(dtype=object), lines.to_numpy()

    def report_each(mask: pd.Series, why: Callable[[str], str]) -> None:
        """One problem per cell in ``mask``: the cell's text, then ``why(text)``."""
        for i in _where(mask, text.index):
            value = cells[i]
            message = f"{_describe_value(value)} {why(value)}"
            problems.append(Problem(table.filename, int(line_numbers[i]), f.name, message, value))

    def report(mask: pd.Series, message: str) -> None:
        """One problem per cell in ``mask``; ``{v}`` in the message stands for the cell's text."""
        said: dict[str, str] = {}
        for i in _where(mask, text.index):
            value = cells[i]
            if value not in said:
                said[value] = message.replace("{v}", _describe_value(value))
            problems.append(Problem(table.filename, int(line_numbers[i]), f.name, said[value], value))

    blank = text == ""
    present = ~blank
    if f.required:
        report(blank, "is required but blank")

    checked = present  # the cells still worth checking: present, and not already reported as unusable
    if f.max_length is not None:
        too_long = present & (text.str.len() > f.max_length)
        report_each(too_long, lambda v: f"is {len(v):,} characters long: the limit for this column is {f.max_length:,}")
        checked = checked & ~too_long
    if f.type in ("string", "list"):
        wrong = checked & has_forbidden_characters(text.where(checked, ""), f.multiline)
        report_each(wrong, lambda v: character_problem(v, f.multiline))
        checked = checked & ~wrong

    constraints = f.constraints
    values: pd.Series
    if f.type == "date":
        values, bad = parse_dates(text[present])
        values = values.reindex(text.index)
        report_each(bad, date_problem)
    elif f.type == "datetime":
        values, bad = parse_dates_or_date_times(text[present])
        values = values.reindex(text.index).astype(object).where(present, None)
        report_each(bad, date_problem)
    elif f.type in ("number", "integer"):
        percent = f.descriptor.get("bareNumber") is False and not f.currency
        values, bad = parse_numbers(text[present], currency=f.currency, percent=percent)
        values = values.reindex(text.index)
        form = (
            "an amount of money: write 1234.50, 1,234 or £1,234.50" if f.currency else "a number: write e.g. 12 or 12.5"
        )
        report(bad, "{v} is not " + form)
        if "minimum" in constraints:
            report(values < constraints["minimum"], "{v} is below the minimum of " + f"{constraints['minimum']:g}")
        if "maximum" in constraints:
            report(values > constraints["maximum"], "{v} is above the maximum of " + f"{constraints['maximum']:g}")
    elif f.type == "boolean":
        values, bad = parse_booleans(text[present], f.descriptor["trueValues"], f.descriptor["falseValues"])
        values = values.reindex(text.index)
        report(bad, "{v} is not yes or no (also accepted: y/n, true/false, 1/0)")
    elif f.type == "list":
        values, list_problems = _list_column(table, f, text, lines, checked)
        problems += list_problems
    else:
        values = text.where(checked, None)
        if "enum" in constraints:
            allowed = {v.lower(): v for v in constraints["enum"]}
            lowered = text.str.lower()
            report(checked & ~lowered.isin(allowed), "{v} is not one of: " + ", ".join(constraints["enum"]))
            values = lowered.map(allowed).where(checked & lowered.isin(allowed), values)
        if "pattern" in constraints:
            matches = text.where(checked, "").str.fullmatch(constraints["pattern"])
            report_each(checked & ~matches, _pattern_message(f, constraints))
        values = values.astype("str").where(checked, None) if len(values) else values.astype(object)
        if f.org_id_name is not None:
            values, id_problems = _org_id_column(table, f, values, lines)
            problems += id_problems

    if constraints.get("unique"):
        first_line = {}
        for i in _where(checked, text.index):
            key, line = cells[i], int(line_numbers[i])
            if key in first_line:
                message = f"{_describe_value(key)} is used again (first on line {first_line[key]}): it must be unique"
                problems.append(Problem(table.filename, line, f.name, message, key))
            else:
                first_line[key] = line
    return values, problems


def _org_id_column(table: Table, f: Field, values: pd.Series, lines: pd.Series) -> tuple[pd.Series, list[Problem]]:
    """An organisation identifier column, each value checked against the org-id.guide schemes (svportal.orgid).

    A malformed value is an error on its row. A warning (no scheme, or one outside the register) is given
    once for each value, on its first row. Identifiers are kept in their usual form (GB-COH-SC123456);
    a value with no scheme is kept as written, and the model knows the organisation by its name.
    """
    problems: list[Problem] = []
    warned: dict[str, list[int]] = {}
    kept = []
    for value, line in zip(values.tolist(), lines.tolist()):
        if not isinstance(value, str) or not value:
            kept.append(None)
            continue
        found = orgid.check(value)
        if found.error:
            message = f"{_describe_value(value)} {found.error}"
            problems.append(Problem(table.filename, int(line), f.name, message, value))
            kept.append(None)
            continue
        if found.warning:
            warned.setdefault(value, []).append(int(line))
        kept.append(found.identifier or value)
    for value, found_lines in warned.items():
        message = f"{_describe_value(value)} {orgid.check(value).warning}{_also_on(found_lines)}"
        problems.append(Problem(table.filename, found_lines[0], f.name, message, value, severity=WARNING))
    return pd.Series(kept, index=values.index, dtype=object), problems


def _also_on(lines: list[int]) -> str:
    """`` (also on 2 other rows)`` after a warning given once for several rows."""
    more = len(lines) - 1
    return f" (also on {more:,} other row{'s' if more != 1 else ''})" if more else ""


def _unidentified(table: Table, f: Field, frame: pd.DataFrame, raw: pd.DataFrame) -> list[Problem]:
    """Rows with a name but a blank identifier: the organisation is known by its name (a warning for each name)."""
    name_column = f.org_id_name
    by_name: dict[str, list[int]] = {}
    blank = raw[f.name].eq("")
    for name, line in frame.loc[blank, [name_column, LINE]].itertuples(index=False, name=None):
        if isinstance(name, str) and name:
            by_name.setdefault(name, []).append(int(line))
    address = table.field(name_column).page_address
    problems = []
    for name, lines in by_name.items():
        page = f" (its page is {address.of(slugify(name))})" if address else ""
        message = (
            f"is blank: {_describe_value(name)} is known by its name{page}; give its organisation identifier, "
            f"such as GB-COH-01234567, so that its contracts are listed together whatever name they give it"
            f"{_also_on(lines)}"
        )
        problems.append(Problem(table.filename, lines[0], f.name, message, severity=WARNING))
    return problems


def _list_column(
    table: Table, f: Field, text: pd.Series, lines: pd.Series, checked: pd.Series
) -> tuple[pd.Series, list[Problem]]:
    """A list column's items (as tuples), with cells over ``maxItems`` or with an item over ``itemMaxLength``."""
    problems: list[Problem] = []
    delimiter = f.descriptor.get("delimiter", ";")
    kept = []
    for value, line, usable in zip(text, lines, checked):
        items = split_list(value, delimiter) if usable else ()
        longest = max(items, key=len, default="")
        wrong = None
        if f.max_items is not None and len(items) > f.max_items:
            wrong = f"has {len(items):,} items: the limit is {f.max_items:,}"
        elif f.item_max_length is not None and len(longest) > f.item_max_length:
            wrong = f"has an item {len(longest):,} characters long: the limit for an item is {f.item_max_length:,}"
        if wrong:
            problems.append(Problem(table.filename, int(line), f.name, f"{_describe_value(value)} {wrong}", value))
            items = ()
        kept.append(items)
    return pd.Series(kept, index=text.index, dtype=object), problems


def _check_table_rules(table: Table, frame: pd.DataFrame, raw: pd.DataFrame) -> list[Problem]:
    """Rules across columns of one table: composite keys, date order, conditional requirements, page addresses.

    The page-address rules read ``frame``, where cells already reported as unusable are blank.
    """
    problems = []
    name = table.filename
    key = list(table.primary_key)
    if len(key) > 1:
        complete = raw[key].ne("").all(axis=1)
        keyed = raw.loc[complete, [*key, LINE]]
        repeated = keyed.duplicated(subset=key, keep="first")
        if repeated.any():
            first_lines = keyed.drop_duplicates(subset=key, keep="first").set_index(key)[LINE]
            for row in keyed[repeated].itertuples(index=False, name=None):
                value, line = tuple(row[:-1]), row[-1]
                first = first_lines.loc[value]
                problems.append(
                    Problem(
                        name,
                        int(line),
                        ", ".join(key),
                        f"{' / '.join(value)} appears again (first on line {int(first)}): each combination must be "
                        f"unique",
                    )
                )
    for f in table.fields:
        other = f.descriptor.get("notBefore") or f.descriptor.get("notBelow")
        if other:
            later, earlier = frame[f.name], frame[other]
            wrong = later.notna() & earlier.notna() & (later < earlier)
            word = "before" if f.type == "date" else "below"
            for line, mine, theirs in raw.loc[wrong, [LINE, f.name, other]].itertuples(index=False, name=None):
                message = f"{_describe_value(mine)} is {word} {other} {_describe_value(theirs)}"
                problems.append(Problem(name, int(line), f.name, message, mine))
        for column, expected in f.descriptor.get("requiredWhen", {}).items():
            needed = (frame[column].eq(expected) & raw[f.name].eq("")).fillna(False).astype(bool)
            for line in raw.loc[needed, LINE]:
                problems.append(Problem(name, int(line), f.name, f"is required when {column} is {expected}, but blank"))
        given = f.descriptor.get("requiredWith")  # required whenever that column has a value
        if given:
            needed = raw[given].ne("") & raw[f.name].eq("")
            for line in raw.loc[needed, LINE]:
                problems.append(Problem(name, int(line), f.name, f"is required when {given} is given, but blank"))
        if f.org_id_name in frame.columns:
            problems += _unidentified(table, f, frame, raw)
        if f.descriptor.get("slugUnique") or f.page_address:
            named = _names_and_slugs(frame, f)
            if f.descriptor.get("slugUnique"):
                problems += _slug_collisions(table, f, named)
            if f.page_address:
                problems += _address_problems(table, f, named)
    return problems


def _names_and_slugs(frame: pd.DataFrame, f: Field) -> list[tuple[int, str, str]]:
    """(line, name, slug) for each name in a column: its text, or each item of a list.

    Blank cells and cells already reported as unusable give none. Each different name is slugified once.
    """
    found = []
    for cell, line in zip(frame[f.name].tolist(), frame[LINE].tolist()):
        if isinstance(cell, tuple):
            found += [(line, item, item) for item in cell]
        elif isinstance(cell, str) and cell:
            found.append((line, cell, cell))
    slugs = {name: slugify(name) for name in {name for _, name, _ in found}}
    return [(line, name, slugs[name]) for line, name, _ in found]


def _slug_collisions(table: Table, f: Field, named: list[tuple[int, str, str]]) -> list[Problem]:
    """Different values whose page addresses would be the same."""
    problems = []
    owner: dict[str, tuple[str, int]] = {}
    for line, value, slug in named:
        if not slug:
            message = f"{_describe_value(value)} has no letters or digits to make a page address from"
            problems.append(Problem(table.filename, line, f.name, message, value))
            continue
        if slug in owner and owner[slug][0] != value:
            first, first_line = owner[slug]
            message = (
                f"{_describe_value(value)} and {_describe_value(first)} (line {first_line}) would share the page "
                f"address '{slug}': make them differ by more than punctuation or case"
            )
            problems.append(Problem(table.filename, line, f.name, message, value))
        owner.setdefault(slug, (value, line))
    return problems


def _address_problems(table: Table, f: Field, named: list[tuple[int, str, str]]) -> list[Problem]:
    """Values whose page address would be too long for a file name, or one the site already uses."""
    address = f.page_address
    problems = []
    for line, value, slug in named:
        if len(slug) > address.max_length:
            why = (
                f"would make a page address {len(slug):,} characters long ({address.of(slug[:20] + '...')}): "
                f"the limit is {address.max_length}: shorten it"
            )
        elif slug in address.reserved:
            why = f"would take the address {address.of(slug)}, which the site uses for {address.used_for}: change it"
        else:
            continue
        problems.append(Problem(table.filename, line, f.name, f"{_describe_value(value)} {why}", value))
    return problems


def load_table(path: Path, table: Table) -> tuple[pd.DataFrame | None, list[Problem]]:
    """One CSV file as a typed DataFrame (None if it could not be read at all)."""
    header, rows, problems = read_rows(path)
    if not header:
        return None, problems
    problems += _check_header(table, header)
    if any(p.is_error and p.line == 1 and p.message.startswith("required column") for p in problems):
        return None, problems
    raw, shape_problems = _frame(table, header, rows)
    problems += shape_problems
    frame = raw.copy()
    for f in table.fields:
        frame[f.name], column_problems = _typed_column(table, f, raw[f.name], raw[LINE])
        problems += column_problems
    for column in raw.columns:
        if column != LINE and column not in table.field_names:  # added by the publisher: kept, as text
            _, column_problems = _typed_column(table, table.extra_field(column), raw[column], raw[LINE])
            problems += column_problems
    problems += _check_table_rules(table, frame, raw)
    ordered = table.field_names + [c for c in frame.columns if c not in table.field_names]
    return frame[ordered], problems


# --- the whole dataset ------------------------------------------------------------


def _key_strings(frame: pd.DataFrame, columns: tuple[str, ...]) -> pd.Series:
    """Each row's key as one string (columns joined by a separator no cell contains)."""
    if not len(frame):
        return pd.Series(dtype=str)
    key = frame[columns[0]].astype("str")
    for column in columns[1:]:
        key = key + "\x1f" + frame[column].astype("str")
    return key


def _check_foreign_keys(
    contract: DataContract, tables: dict[str, pd.DataFrame], absent: frozenset[str] = frozenset()
) -> list[Problem]:
    """Every key that names a row of another table names one that is there.

    An optional file that is absent is needed after all when another table has rows that name its rows
    (commitments name measures): one problem says so, instead of one for each row.
    """
    problems = []
    for table in contract.tables:
        frame = tables.get(table.name)
        if frame is None:
            continue
        for fk in table.foreign_keys:
            if fk.resource in absent:
                if len(frame):
                    target_file = contract.table(fk.resource).filename
                    rows = f"{len(frame):,} row{'s' if len(frame) != 1 else ''}"
                    message = (
                        f"the file is missing, but {table.filename} has {rows} naming a {' / '.join(fk.fields)} "
                        f"of {target_file}: publish {target_file} with {table.filename}"
                    )
                    problems.append(Problem(target_file, None, None, message))
                continue
            target = tables.get(fk.resource)
            if target is None:
                if fk.resource in {t.name for t in contract.tables if t.required} or len(frame):
                    continue  # the missing file is already an error of its own
                continue
            complete = frame[list(fk.fields)].notna().all(axis=1)
            own = _key_strings(frame[complete], fk.fields)
            known = set(_key_strings(target, fk.reference_fields))
            target_file = contract.table(fk.resource).filename
            unknown = own.index[~own.isin(known)]
            for row in frame.loc[unknown, [LINE, *fk.fields]].itertuples(index=False, name=None):
                shown = " / ".join(str(v) for v in row[1:])
                message = f"'{shown}' is not in {target_file}"
                problems.append(Problem(table.filename, int(row[0]), ", ".join(fk.fields), message, shown))
    return problems


def load_dataset(data_dir: Path | str, contract: DataContract) -> Dataset:
    """Read every table of the contract from ``data_dir``, and the wards' boundaries (boundaries.py) if there are
    any; all problems are collected, with the ward values of contracts.csv that name no ward (wards.py)."""
    data_dir = Path(data_dir)
    tables: dict[str, pd.DataFrame] = {}
    problems: list[Problem] = []
    absent: list[str] = []
    for table in contract.tables:
        path = data_dir / table.filename
        if not path.is_file():
            if table.required:
                problems.append(Problem(table.filename, None, None, f"required file is missing from {data_dir}"))
            else:
                problems.append(
                    Problem(
                        table.filename, None, None, "file is absent: that part of the site is empty", severity=WARNING
                    )
                )
                tables[table.name] = _empty(table)
                absent.append(table.name)
            continue
        frame, table_problems = load_table(path, table)
        problems += table_problems
        if frame is not None:
            tables[table.name] = frame
    problems += _check_foreign_keys(contract, tables, frozenset(absent))
    problems += check_wards(tables, absent)
    boundaries, found = read_boundaries(data_dir, None if "wards" in absent else tables.get("wards"))
    return Dataset(tables, problems + found, contract, tuple(absent), boundaries)


def _empty(table: Table) -> pd.DataFrame:
    frame, _ = _frame(table, table.field_names, [])
    for f in table.fields:
        frame[f.name], _ = _typed_column(table, f, frame[f.name], frame[LINE])
    return frame


__all__ = ["ERROR", "LINE", "WARNING", "Dataset", "load_dataset", "load_table", "read_rows"]
