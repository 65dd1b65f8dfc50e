"""Read the published CSVs into typed DataFrames and check them against the contract.

``load_dataset(data_dir, contract)`` never raises for bad data: every problem
becomes a :class:`Problem` (file, line, column, message) and all of them are
returned together, so staff see every mistake in one run. Each DataFrame keeps
a ``_line`` column: the spreadsheet row each record came from.
"""

from __future__ import annotations

import csv
import difflib
import io
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from .parse import parse_booleans, parse_dates, parse_numbers, slugify, split_list
from .problems import ERROR, WARNING, Problem, errors
from .schema import DataContract, Field, Table

LINE = "_line"
FIRST_DATA_LINE = 2  # the header is line 1


@dataclass
class Dataset:
    """The validated tables, keyed by resource name, and every problem found."""

    tables: dict[str, pd.DataFrame]
    problems: list[Problem] = field(default_factory=list)
    contract: DataContract | None = None

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


def read_rows(path: Path) -> tuple[list[str], list[tuple[int, list[str]]], list[Problem]]:
    """Header and (line, cells) records of one CSV file; wholly blank rows are skipped."""
    text, problems = _decode(path.read_bytes(), path.name)
    if text is None:
        return [], [], problems
    if "\x00" in text:
        return [], [], [Problem(path.name, None, None, "the file contains NUL bytes: it is not a CSV text file")]
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        records = list(reader)
    except csv.Error as exc:
        return [], [], [Problem(path.name, reader.line_num, None, f"cannot be read as CSV: {exc}")]
    if not records:
        return [], [], [Problem(path.name, 1, None, "the file is empty: it needs a header row")]
    header = [name.strip() for name in records[0]]
    rows = [
        (number, cells)
        for number, cells in enumerate(records[1:], start=FIRST_DATA_LINE)
        if any(cell.strip() for cell in cells)
    ]
    return header, rows, problems


# --- one table ------------------------------------------------------------------


def _check_header(table: Table, header: list[str]) -> list[Problem]:
    name = table.filename
    problems = []
    seen = set()
    for position, column in enumerate(header, start=1):
        if not column:
            problems.append(Problem(name, 1, f"column {position}", "the header cell is blank: give the column a name"))
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
        if column and column not in table.field_names:
            problems.append(
                Problem(name, 1, column, "column is not in the data dictionary; it is kept in downloads", severity=WARNING)
            )
    return problems


def _frame(table: Table, header: list[str], rows: list[tuple[int, list[str]]]) -> tuple[pd.DataFrame, list[Problem]]:
    problems = []
    width = len(header)
    data = []
    for line, cells in rows:
        if len(cells) > width and any(c.strip() for c in cells[width:]):
            problems.append(
                Problem(table.filename, line, None, f"the row has {len(cells)} cells but the header has {width} columns")
            )
        cells = (cells + [""] * width)[:width]
        data.append([c.strip() for c in cells] + [line])
    columns = [h if h else f"column {i}" for i, h in enumerate(header, start=1)]
    frame = pd.DataFrame(data, columns=columns + [LINE], dtype=object)
    frame = frame.loc[:, ~frame.columns.duplicated()]
    for f in table.fields:
        if f.name not in frame.columns:
            frame[f.name] = ""
    frame[LINE] = frame[LINE].astype("int64")
    return frame, problems


def _describe_value(value: str) -> str:
    return f"'{value}'" if len(value) <= 60 else f"'{value[:57]}...'"


def _typed_column(table: Table, f: Field, text: pd.Series, lines: pd.Series) -> tuple[pd.Series, list[Problem]]:
    """Parse one column's text into its type and check its constraints."""
    problems: list[Problem] = []

    def report(mask: pd.Series, message: str) -> None:
        """One problem per cell in ``mask``; ``{v}`` in the message stands for the cell's text."""
        for idx in mask[mask].index:
            problems.append(Problem(table.filename, int(lines[idx]), f.name, message.replace("{v}", _describe_value(text[idx])), text[idx]))

    blank = text == ""
    present = ~blank
    if f.required:
        report(blank, "is required but blank")

    constraints = f.constraints
    values: pd.Series
    if f.type == "date":
        values, bad = parse_dates(text[present])
        values = values.reindex(text.index)
        report(bad.reindex(text.index, fill_value=False), "{v} is not a date: write YYYY-MM-DD (or DD/MM/YYYY)")
    elif f.type in ("number", "integer"):
        percent = f.descriptor.get("bareNumber") is False and not f.currency
        values, bad = parse_numbers(text[present], currency=f.currency, percent=percent)
        values = values.reindex(text.index)
        form = "an amount of money: write 1234.50, 1,234 or £1,234.50" if f.currency else "a number: write e.g. 12 or 12.5"
        report(bad.reindex(text.index, fill_value=False), "{v} is not " + form)
        if "minimum" in constraints:
            report(values < constraints["minimum"], "{v} is below the minimum of " + f"{constraints['minimum']:g}")
        if "maximum" in constraints:
            report(values > constraints["maximum"], "{v} is above the maximum of " + f"{constraints['maximum']:g}")
    elif f.type == "boolean":
        values, bad = parse_booleans(text[present], f.descriptor["trueValues"], f.descriptor["falseValues"])
        values = values.reindex(text.index)
        report(bad.reindex(text.index, fill_value=False), "{v} is not yes or no (also accepted: y/n, true/false, 1/0)")
    elif f.type == "list":
        values = text.map(lambda v: split_list(v, f.descriptor.get("delimiter", ";")))
    else:
        values = text.where(present, None)
        if "enum" in constraints:
            allowed = {v.lower(): v for v in constraints["enum"]}
            lowered = text.str.lower()
            report(present & ~lowered.isin(allowed), "{v} is not one of: " + ", ".join(constraints["enum"]))
            values = lowered.map(allowed).where(present & lowered.isin(allowed), values)
        if "pattern" in constraints:
            matches = text.str.fullmatch(constraints["pattern"])
            if f.descriptor.get("format") == "uri":
                message = "{v} is not a web address starting https:// (http and other schemes are not accepted)"
            elif f.descriptor.get("format") == "email":
                message = "{v} is not an email address"
            elif "patternDescription" in f.descriptor:
                message = "{v} is not " + f.descriptor["patternDescription"]
            else:
                message = "{v} does not have the expected form " + constraints["pattern"]
            report(present & ~matches, message)
        values = values.astype("str").where(present, None) if len(values) else values.astype(object)

    if constraints.get("unique"):
        first_line = {}
        for idx in text[present].index:
            key = text[idx]
            if key in first_line:
                problems.append(Problem(table.filename, int(lines[idx]), f.name, f"{_describe_value(key)} is used again (first on line {first_line[key]}): it must be unique", key))
            else:
                first_line[key] = int(lines[idx])
    return values, problems


def _check_table_rules(table: Table, frame: pd.DataFrame, raw: pd.DataFrame) -> list[Problem]:
    """Rules across columns of one table: composite keys, date order, conditional requirements, slugs."""
    problems = []
    name = table.filename
    key = list(table.primary_key)
    if len(key) > 1:
        complete = raw[key].ne("").all(axis=1)
        keyed = raw.loc[complete, key + [LINE]]
        repeated = keyed.duplicated(subset=key, keep="first")
        if repeated.any():
            first_lines = keyed.drop_duplicates(subset=key, keep="first").set_index(key)[LINE]
            for row in keyed[repeated].itertuples(index=False, name=None):
                value, line = tuple(row[:-1]), row[-1]
                first = first_lines.loc[value]
                problems.append(Problem(name, int(line), ", ".join(key), f"{' / '.join(value)} appears again (first on line {int(first)}): each combination must be unique"))
    for f in table.fields:
        other = f.descriptor.get("notBefore") or f.descriptor.get("notBelow")
        if other:
            later, earlier = frame[f.name], frame[other]
            wrong = later.notna() & earlier.notna() & (later < earlier)
            word = "before" if f.type == "date" else "below"
            for idx in frame.index[wrong]:
                problems.append(Problem(name, int(frame.loc[idx, LINE]), f.name, f"{_describe_value(raw.loc[idx, f.name])} is {word} {other} {_describe_value(raw.loc[idx, other])}", raw.loc[idx, f.name]))
        for column, expected in f.descriptor.get("requiredWhen", {}).items():
            needed = frame[column].eq(expected) & raw[f.name].eq("")
            for idx in frame.index[needed.fillna(False)]:
                problems.append(Problem(name, int(frame.loc[idx, LINE]), f.name, f"is required when {column} is {expected}, but blank"))
        if f.descriptor.get("slugUnique"):
            problems += _slug_collisions(table, f, raw)
        reserved = set(f.descriptor.get("reservedSlugs", ()))
        if reserved:
            for value, line in zip(raw[f.name], raw[LINE]):
                if value and slugify(value) in reserved:
                    problems.append(Problem(table.filename, int(line), f.name, f"{_describe_value(value)} would take the page address '{slugify(value)}/', which the site uses for a list: change the id", value))
    return problems


def _slug_collisions(table: Table, f: Field, raw: pd.DataFrame) -> list[Problem]:
    """Different values whose page addresses would be the same."""
    problems = []
    owner: dict[str, tuple[str, int]] = {}
    for value, line in zip(raw[f.name], raw[LINE]):
        if not value:
            continue
        slug = slugify(value)
        if not slug:
            problems.append(Problem(table.filename, int(line), f.name, f"{_describe_value(value)} has no letters or digits to make a page address from", value))
            continue
        if slug in owner and owner[slug][0] != value:
            first, first_line = owner[slug]
            problems.append(Problem(table.filename, int(line), f.name, f"{_describe_value(value)} and {_describe_value(first)} (line {first_line}) would share the page address '{slug}': make them differ by more than punctuation or case", value))
        owner.setdefault(slug, (value, int(line)))
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


def _check_foreign_keys(contract: DataContract, tables: dict[str, pd.DataFrame]) -> list[Problem]:
    problems = []
    for table in contract.tables:
        frame = tables.get(table.name)
        if frame is None:
            continue
        for fk in table.foreign_keys:
            target = tables.get(fk.resource)
            if target is None:
                if fk.resource in {t.name for t in contract.tables if t.required} or len(frame):
                    continue  # the missing file is already an error of its own
                continue
            complete = frame[list(fk.fields)].notna().all(axis=1)
            own = _key_strings(frame[complete], fk.fields)
            known = set(_key_strings(target, fk.reference_fields))
            target_file = contract.table(fk.resource).filename
            for idx in own.index[~own.isin(known)]:
                shown = " / ".join(str(frame.loc[idx, c]) for c in fk.fields)
                problems.append(
                    Problem(table.filename, int(frame.loc[idx, LINE]), ", ".join(fk.fields), f"'{shown}' is not in {target_file}", shown)
                )
    return problems


def load_dataset(data_dir: Path | str, contract: DataContract) -> Dataset:
    """Read every table of the contract from ``data_dir``; all problems are collected."""
    data_dir = Path(data_dir)
    tables: dict[str, pd.DataFrame] = {}
    problems: list[Problem] = []
    for table in contract.tables:
        path = data_dir / table.filename
        if not path.is_file():
            if table.required:
                problems.append(Problem(table.filename, None, None, f"required file is missing from {data_dir}"))
            else:
                problems.append(Problem(table.filename, None, None, "file is absent: that part of the site is empty", severity=WARNING))
                tables[table.name] = _empty(table)
            continue
        frame, table_problems = load_table(path, table)
        problems += table_problems
        if frame is not None:
            tables[table.name] = frame
    problems += _check_foreign_keys(contract, tables)
    return Dataset(tables, problems, contract)


def _empty(table: Table) -> pd.DataFrame:
    frame, _ = _frame(table, table.field_names, [])
    for f in table.fields:
        frame[f.name], _ = _typed_column(table, f, frame[f.name], frame[LINE])
    return frame


__all__ = ["Dataset", "LINE", "load_dataset", "load_table", "read_rows", "ERROR", "WARNING"]
